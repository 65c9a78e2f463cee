// fileman_internal.h: what the file-management entry points (find_files.cpp,
// copy_file.cpp, file_info.cpp, dir_files.cpp) share: Windows' name matching,
// stat-to-Win32 records, the copy a move across file systems makes.
#pragma once

#include <string>
#include <sys/stat.h>

#include <windows.h>

namespace overlapped::win32 {

// The upper case NTFS compares names in (ASCII, and towupper beyond).
char16_t fold_case(char16_t c);
// A Win32 search mask as kernelbase hands it to the file system: '?' to DOS_QM ('>'),
// '*' before '.' to DOS_STAR ('<'), '.' before a wildcard to DOS_DOT ('"'), a trailing
// '.' dropped, "*.*" to "*".
std::u16string find_expression(const std::u16string& mask);
// FsRtlIsNameInExpression: whether `name` matches `expression` (from find_expression).
bool name_matches(const std::u16string& expression, const std::u16string& name, bool case_sensitive);

FILETIME filetime_of(const timespec& time);
// The attributes GetFileAttributes reports (drivers/file.cpp's mapping).
DWORD attributes_of(const struct stat& status);
// ERROR_FILE_NOT_FOUND when the directory of `path` (Linux form) exists, else
// ERROR_PATH_NOT_FOUND.
DWORD missing_path_error(const std::string& path);
// MoveFileExA for SetFileInformationByHandle(FileRenameInfo): the file is renamed through
// an open handle, so the share modes of the process's handles are not checked again.
BOOL rename_open_file(const char* existing, const char* target, DWORD flags);
// MoveFileEx across file systems (dir_files.cpp): CopyFileEx's copy of `existing` to
// `target` (the caller's names), the routine told of it; `replace` FALSE fails on an
// existing target (ERROR_FILE_EXISTS); `write_through` syncs the copy before it returns.
BOOL copy_for_move(const char* existing, const char* target, LPPROGRESS_ROUTINE progress, void* data, bool replace,
                   bool write_through);
BOOL copy_for_move(const WCHAR* existing, const WCHAR* target, LPPROGRESS_ROUTINE progress, void* data, bool replace,
                   bool write_through);
// The Windows name of the Linux path `path` through the drive map (docs/paths.md): the
// drive whose root is the longest prefix of `path` at a component boundary, and the rest
// with '\' ("\" for the root itself). False if no drive holds it (file_info.cpp).
bool drive_name_of(const std::string& path, char* drive, std::string* rest);
// The directory of the program's file (Linux form), "" if unknown: the first place
// CreateProcess and SearchPath look for a name (process.cpp).
std::string executable_directory();

}  // namespace overlapped::win32
