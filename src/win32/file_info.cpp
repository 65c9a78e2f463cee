// file_info.cpp: GetFullPathNameA/W, SetFileAttributesA/W, GetFileAttributesExA/W,
// GetFileInformationByHandleEx and SetFileInformationByHandle, GetFileTime and SetFileTime,
// GetFinalPathNameByHandleA/W. docs/files-management.md.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "common/errors.h"
#include "drivers/disk.h"
#include "drivers/file.h"
#include "kernel/handle_table.h"
#include "win32/devices.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

std::string narrow(const char* text) { return text; }
std::string narrow(const WCHAR* text) { return win32::utf8_from_utf16(text); }

bool to_linux(const std::string& name, std::string* path)
{
    if (DWORD error = drivers::file_linux_path(name, path)) return fail(error, false);
    return true;
}

// ---- GetFullPathName

bool is_separator(char c) { return c == '\\' || c == '/'; }

// Windows' rules on the text alone (no file system access): the current directory
// before a relative name, "." and ".." resolved (never above the root), runs of
// separators made one, trailing dots and spaces of the last component dropped, the one
// period another component ends in dropped. Windows forms ("C:\...", "\\server\share\...")
// keep '\'; a name that resolves against the current directory (a Linux path, as
// GetCurrentDirectory gives it) or a POSIX path keeps '/'. Returns the full name and the
// offset of its last component (npos if it ends in a separator).
std::string full_path(const std::string& name, size_t* file_part)
{
    std::string prefix, rest;
    char separator = '\\';
    if (name.compare(0, 4, R"(\\?\)") == 0) {  // "\\?\" itself: no parsing at all
        size_t last = name.find_last_of("\\/");
        *file_part = last + 1 < name.size() ? last + 1 : std::string::npos;
        return name;
    }
    if (name.size() >= 3 && is_separator(name[0]) && is_separator(name[1]) && (name[2] == '?' || name[2] == '.') &&
        (name.size() == 3 || is_separator(name[3]))) {
        // A device name ("\\.\x", "//./x", and "//?/x", which is parsed as "\\.\" is):
        // the root is "\\.\" (or "\\?\"), the rest is normalized.
        prefix = std::string("\\\\") + name[2] + "\\";
        rest = name.size() > 4 ? name.substr(4) : std::string();
    } else if (name.size() >= 2 && is_separator(name[0]) && is_separator(name[1])) {
        // UNC: "\\server\share" is the root; "\\server" alone stays as it is.
        size_t server_end = name.find_first_of("\\/", 2);
        size_t share_end = server_end == std::string::npos ? std::string::npos : name.find_first_of("\\/", server_end + 1);
        prefix = "\\\\" + name.substr(2, (server_end == std::string::npos ? name.size() : server_end) - 2);
        if (server_end != std::string::npos) {
            prefix += '\\';
            prefix += name.substr(server_end + 1, (share_end == std::string::npos ? name.size() : share_end) - server_end - 1);
            if (share_end != std::string::npos) prefix += '\\';
        }
        rest = share_end == std::string::npos ? std::string() : name.substr(share_end + 1);
        if (share_end == std::string::npos) {  // "\\server\share": the share is the file part
            *file_part = server_end != std::string::npos && server_end + 1 < name.size() ? server_end + 1 : std::string::npos;
            return prefix;
        }
    } else if (name.size() >= 2 && name[1] == ':' && isalpha(static_cast<unsigned char>(name[0]))) {
        // The letter as given ("c:\x" stays "c:\x", as Windows keeps it); a drive-relative
        // name takes the current directory's letter, which is upper case.
        prefix = std::string(1, name[0]) + ":\\";
        rest = name.substr(2);
        if (rest.empty() || !is_separator(rest[0])) {
            prefix[0] = static_cast<char>(toupper(static_cast<unsigned char>(name[0])));
            // Drive-relative ("C:x", "C:"): against the current directory when it lies
            // under the drive's root (Windows' current directory is then on that drive),
            // else against the root (per-drive current directories are not kept).
            std::string root, inside;
            if (drivers::file_linux_path(prefix, &root) == ERROR_SUCCESS &&
                drivers::current_directory_below(root, &inside) && !inside.empty())
                rest = inside + "\\" + rest;
        }
    } else if (is_separator(name[0])) {
        separator = '/';  // rooted: "\x" is "/x" (C: is "/" by default)
        prefix.assign(1, '/');
        rest = name.substr(1);
    } else {
        separator = '/';
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == nullptr) cwd[0] = 0;
        prefix.assign(1, '/');
        rest = std::string(cwd) + "/" + name;
    }
    bool trailing = !rest.empty() && is_separator(rest.back());
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= rest.size()) {
        size_t end = rest.find_first_of("\\/", start);
        if (end == std::string::npos) end = rest.size();
        std::string part = rest.substr(start, end - start);
        // A segment followed by a separator loses the one period it ends in ("a.\b" is
        // "a\b"; drivers::file_linux_path, which trims names so too, says where from).
        if (end < rest.size() && part.size() >= 2 && part.back() == '.' && part[part.size() - 2] != '.')
            part.pop_back();
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = end + 1;
    }
    if (!parts.empty() && !trailing) {
        std::string& last = parts.back();
        while (!last.empty() && (last.back() == '.' || last.back() == ' ')) last.pop_back();
        if (last.empty()) {
            parts.pop_back();
            trailing = true;
        }
    }
    std::string out = prefix;
    
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    if (trailing && !parts.empty()) out += separator;
    *file_part = std::string::npos;
    if (!parts.empty() && !trailing) *file_part = out.size() - parts.back().size();
    return out;
}

// The DOS device a name stands for, or "": a device name alone ("NUL", "aux", "COM1"),
// perhaps after a drive ("C:NUL") and before trailing dots and spaces ("NUL."), is that
// device, "\\.\NUL", with no file part; "NUL" is so in any directory too ("C:\x\nul"). The
// names every Windows version agrees on (Wine's ntdll path tests, test_RtlGetFullPathName_U:
// Windows 11 no longer takes CON and the others in a directory, earlier versions did).
std::string dos_device(const std::string& name)
{
    if (name.size() >= 2 && is_separator(name[0]) && is_separator(name[1])) return std::string();  // UNC, \\.\, \\?\ names
    size_t start = name.size() >= 2 && name[1] == ':' && isalpha(static_cast<unsigned char>(name[0])) ? 2 : 0;
    size_t last = name.find_last_of("\\/");
    bool in_directory = last != std::string::npos && last >= start;
    std::string component = name.substr(in_directory ? last + 1 : start);
    while (!component.empty() && (component.back() == '.' || component.back() == ' ')) component.pop_back();
    auto is = [&](const char* device) { return strcasecmp(component.c_str(), device) == 0; };
    if (is("NUL")) return component;
    if (in_directory) return std::string();
    if (is("CON") || is("PRN") || is("AUX")) return component;
    if (component.size() == 4 && component[3] >= '1' && component[3] <= '9' &&
        (strncasecmp(component.c_str(), "COM", 3) == 0 || strncasecmp(component.c_str(), "LPT", 3) == 0))
        return component;
    return std::string();
}

// A full name (UTF-8, its last component at `part`, npos for none) into the caller's
// buffer, GetFullPathName's way: the size needed with the terminator when it does not fit
// (nothing written), else the length and *file_part.
template <class Char>
DWORD deliver_path(const std::string& full, size_t part, DWORD length, Char* buffer, Char** file_part)
{
    std::basic_string<Char> out;
    size_t part_offset = std::string::npos;
    if constexpr (sizeof(Char) == 1) {
        out = full;
        part_offset = part;
    } else {
        out = win32::utf16_from_utf8(full);
        if (part != std::string::npos) part_offset = win32::utf16_from_utf8(full.substr(0, part)).size();
    }
    if (buffer == nullptr || length < out.size() + 1) return static_cast<DWORD>(out.size() + 1);  // the size needed
    std::copy(out.begin(), out.end(), buffer);
    buffer[out.size()] = 0;
    if (file_part != nullptr) *file_part = part_offset == std::string::npos ? nullptr : buffer + part_offset;
    return static_cast<DWORD>(out.size());  // the last error as it was (RtlGetFullPathName_U sets none)
}

template <class Char>
DWORD get_full_path_name(const Char* name, DWORD length, Char* buffer, Char** file_part)
{
    // No name and an empty name alike: ERROR_INVALID_NAME, the buffer untouched (Wine's
    // kernel32 path tests: Windows 7 and later).
    if (name == nullptr) return fail(ERROR_INVALID_NAME, DWORD(0));
    std::string text = narrow(name);
    if (text.empty()) return fail(ERROR_INVALID_NAME, DWORD(0));
    size_t part = std::string::npos;
    std::string device = dos_device(text);
    std::string full = device.empty() ? full_path(text, &part) : "\\\\.\\" + device;
    return deliver_path(full, part, length, buffer, file_part);
}

// ---- SearchPath

// SearchPath: `extension` is added when the name's last component has none; a name with
// a directory in it (rooted, on a drive, UNC, or starting ".\" or "..\") is looked at
// where it is; any other name is looked for in each directory of `path` (';' between
// them) or, with no path, in the program's directory, the current directory and then
// those of PATH (';' between them when it has one, else a Linux PATH's ':'). Windows'
// system and Windows directories do not exist here. The first name that exists (a file or
// a directory, as Windows' RtlDoesFileExists) is given as GetFullPathName gives it. No
// name or an empty one: ERROR_INVALID_PARAMETER (Wine's kernel32 path tests,
// test_SearchPathA); nothing found: ERROR_FILE_NOT_FOUND.
bool exists_as_named(const std::string& name)
{
    std::string path;
    struct stat status;
    return drivers::file_linux_path(name, &path) == ERROR_SUCCESS && stat(path.c_str(), &status) == 0;
}

std::vector<std::string> split_directories(const std::string& list, char separator)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(separator, start);
        if (end == std::string::npos) end = list.size();
        if (end > start) out.push_back(list.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

template <class Char>
DWORD search_path(const Char* path, const Char* name, const Char* extension, DWORD length, Char* buffer, Char** file_part)
{
    if (name == nullptr || name[0] == 0) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    std::string file = narrow(name);
    size_t last = file.find_last_of("\\/");
    std::string leaf = last == std::string::npos ? file : file.substr(last + 1);
    if (extension != nullptr && extension[0] != 0 && leaf.find('.') == std::string::npos) file += narrow(extension);
    bool placed = is_separator(file[0]) || (file.size() >= 2 && file[1] == ':') ||
                  (file[0] == '.' && file.size() >= 2 && (is_separator(file[1]) || (file[1] == '.' && file.size() >= 3 &&
                                                                                    is_separator(file[2]))));
    std::vector<std::string> directories;
    if (!placed) {
        if (path != nullptr) {
            directories = split_directories(narrow(path), ';');
        } else {
            std::string program = win32::executable_directory();
            if (!program.empty()) directories.push_back(program);
            directories.push_back(".");
            if (const char* variable = getenv("PATH")) {
                std::string list = variable;
                for (const std::string& entry : split_directories(list, list.find(';') != std::string::npos ? ';' : ':'))
                    directories.push_back(entry);
            }
        }
    }
    std::vector<std::string> candidates;
    if (placed) candidates.push_back(file);
    for (const std::string& directory : directories) {
        std::string candidate = directory;
        if (!is_separator(candidate.back())) candidate += candidate.find('\\') != std::string::npos || candidate[0] != '/' ? '\\' : '/';
        candidates.push_back(candidate + file);
    }
    for (const std::string& candidate : candidates) {
        if (!exists_as_named(candidate)) continue;
        size_t part = std::string::npos;
        std::string full = full_path(candidate, &part);
        return deliver_path(full, part, length, buffer, file_part);
    }
    return fail(ERROR_FILE_NOT_FOUND, DWORD(0));
}

// ---- SetFileAttributes, GetFileAttributesEx

template <class Char>
BOOL set_file_attributes(const Char* name, DWORD attributes)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    std::string path;
    if (!to_linux(narrow(name), &path)) return FALSE;
    struct stat status;
    if (stat(path.c_str(), &status) != 0)
        return fail(errno == ENOENT ? win32::missing_path_error(path) : win32_error_from_errno(errno), FALSE);
    // Only FILE_ATTRIBUTE_READONLY has a Linux counterpart: no write permission. The
    // others (hidden, system, archive, temporary, ...) are accepted and not kept. Windows
    // ignores the read-only attribute on directories for deletion; we leave directories'
    // permissions alone.
    if (S_ISDIR(status.st_mode)) return TRUE;
    // A device (NUL is /dev/null) keeps no attributes (Wine 8 succeeds on "nul" so);
    // its permissions are the system's, not the caller's to change.
    if (drivers::is_device_node(status)) return TRUE;
    mode_t mode = status.st_mode & 07777;
    if (attributes & FILE_ATTRIBUTE_READONLY)
        mode &= ~static_cast<mode_t>(0222);
    else if (!(mode & 0222))
        mode |= S_IWUSR;  // writable again (by the owner: the umask's other bits are unknown here)
    if (mode != (status.st_mode & 07777) && chmod(path.c_str(), mode) != 0) return fail(win32_error_from_errno(errno), FALSE);
    return TRUE;
}

template <class Char>
BOOL get_file_attributes_ex(const Char* name, GET_FILEEX_INFO_LEVELS level, void* out)
{
    if (level != GetFileExInfoStandard) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (name == nullptr || out == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string path;
    if (!to_linux(narrow(name), &path)) return FALSE;
    struct stat status;
    if (stat(path.c_str(), &status) != 0)
        return fail(errno == ENOENT ? win32::missing_path_error(path) : win32_error_from_errno(errno), FALSE);
    auto* data = static_cast<WIN32_FILE_ATTRIBUTE_DATA*>(out);
    data->dwFileAttributes = win32::attributes_of(status);
    data->ftCreationTime = win32::filetime_of(status.st_ctim);
    data->ftLastAccessTime = win32::filetime_of(status.st_atim);
    data->ftLastWriteTime = win32::filetime_of(status.st_mtim);
    ULONGLONG size = S_ISDIR(status.st_mode) ? 0 : static_cast<ULONGLONG>(status.st_size);
    data->nFileSizeHigh = static_cast<DWORD>(size >> 32);
    data->nFileSizeLow = static_cast<DWORD>(size);
    return TRUE;
}

// ---- by handle

LONGLONG ticks_of(const timespec& time)
{
    FILETIME t = win32::filetime_of(time);
    return static_cast<LONGLONG>((static_cast<ULONGLONG>(t.dwHighDateTime) << 32) | t.dwLowDateTime);
}

timespec timespec_of(LONGLONG ticks)
{
    LONGLONG since_1970 = ticks - 116444736000000000LL;
    timespec out;
    out.tv_sec = since_1970 / 10000000;
    out.tv_nsec = (since_1970 % 10000000) * 100;
    if (out.tv_nsec < 0) {
        out.tv_nsec += 1000000000;
        out.tv_sec -= 1;
    }
    return out;
}

struct FileRef {
    drivers::FileDevice* file = nullptr;
    ACCESS_MASK granted = 0;
    ~FileRef()
    {
        if (file != nullptr) file->release_reference();
    }
};

bool reference(HANDLE handle, FileRef* ref)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::File, 0, &ref->granted, &error);
    if (object == nullptr) return fail(error, false);
    ref->file = static_cast<drivers::FileDevice*>(object);
    return true;
}

std::string path_of_descriptor(int descriptor) { return drivers::descriptor_path(descriptor); }

// The name a handle reports (FileNameInfo, GetFinalPathNameByHandle): the descriptor's
// path without the " (deleted)" Linux adds once the name is gone. A deleted file that
// is still open keeps its name on Windows until the last handle closes.
std::string reported_name(int descriptor)
{
    std::string path = path_of_descriptor(descriptor);
    static const char kDeleted[] = " (deleted)";
    const size_t mark = sizeof kDeleted - 1;
    struct stat status;
    if (path.size() > mark && path.compare(path.size() - mark, mark, kDeleted) == 0 &&
        fstat(descriptor, &status) == 0 && status.st_nlink == 0)
        path.resize(path.size() - mark);
    return path;
}

// The directory classes: FileIdBothDirectoryInfo, FileFullDirectoryInfo,
// FileIdExtdDirectoryInfo (and their restart forms) share their first fields up to EaSize.
enum class DirectoryLayout { IdBoth, Full, IdExtd };

size_t name_offset(DirectoryLayout layout)
{
    switch (layout) {
    case DirectoryLayout::IdBoth: return offsetof(FILE_ID_BOTH_DIR_INFO, FileName);
    case DirectoryLayout::Full: return offsetof(FILE_FULL_DIR_INFO, FileName);
    case DirectoryLayout::IdExtd: return offsetof(FILE_ID_EXTD_DIR_INFO, FileName);
    }
    return 0;
}

// The entries from the directory descriptor's own position on (getdents64 moves it; a
// restart seeks it back to 0), as many as fit.
struct LinuxDirent64 {
    ino64_t d_ino;
    off64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

DWORD directory_entries(int descriptor, bool restart, DirectoryLayout layout, void* out, DWORD size)
{
    if (restart && lseek(descriptor, 0, SEEK_SET) != 0) return win32_error_from_errno(errno);
    alignas(8) char raw[16384];
    auto* base = static_cast<char*>(out);
    const size_t header = name_offset(layout);
    DWORD used = 0;
    FILE_FULL_DIR_INFO* previous = nullptr;
    for (;;) {
        off64_t position = lseek(descriptor, 0, SEEK_CUR);
        long n = syscall(SYS_getdents64, descriptor, raw, sizeof raw);
        if (n < 0) return win32_error_from_errno(errno);
        if (n == 0) break;
        for (long offset = 0; offset < n;) {
            auto* item = reinterpret_cast<LinuxDirent64*>(raw + offset);
            std::u16string name = win32::utf16_from_utf8(item->d_name, strlen(item->d_name));
            DWORD need = static_cast<DWORD>(header + name.size() * sizeof(WCHAR));
            DWORD start = (used + 7) & ~7u;
            if (start + need > size) {
                lseek(descriptor, position, SEEK_SET);  // this entry comes next time
                return previous == nullptr ? ERROR_MORE_DATA : ERROR_SUCCESS;
            }
            struct stat status;
            bool known = fstatat(descriptor, item->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0;
            auto* info = reinterpret_cast<FILE_FULL_DIR_INFO*>(base + start);
            memset(info, 0, header);
            if (known) {
                info->CreationTime.QuadPart = ticks_of(status.st_ctim);
                info->LastAccessTime.QuadPart = ticks_of(status.st_atim);
                info->LastWriteTime.QuadPart = ticks_of(status.st_mtim);
                info->ChangeTime.QuadPart = ticks_of(status.st_ctim);
                info->EndOfFile.QuadPart = S_ISDIR(status.st_mode) ? 0 : status.st_size;
                info->AllocationSize.QuadPart =
                    S_ISDIR(status.st_mode) ? 0 : static_cast<LONGLONG>(status.st_blocks) * 512;
                info->FileAttributes = win32::attributes_of(status);
            } else {
                info->FileAttributes = FILE_ATTRIBUTE_NORMAL;
            }
            info->FileNameLength = static_cast<DWORD>(name.size() * sizeof(WCHAR));
            if (layout == DirectoryLayout::IdBoth) {
                reinterpret_cast<FILE_ID_BOTH_DIR_INFO*>(info)->FileId.QuadPart = static_cast<LONGLONG>(item->d_ino);
            } else if (layout == DirectoryLayout::IdExtd) {
                auto* extd = reinterpret_cast<FILE_ID_EXTD_DIR_INFO*>(info);
                ULONGLONG inode = item->d_ino;
                memcpy(extd->FileId.Identifier, &inode, sizeof inode);
            }
            memcpy(base + start + header, name.data(), name.size() * sizeof(WCHAR));
            if (previous != nullptr)
                previous->NextEntryOffset = static_cast<DWORD>(reinterpret_cast<char*>(info) - reinterpret_cast<char*>(previous));
            previous = info;
            used = start + need;
            position = item->d_off;
            offset += item->d_reclen;
        }
    }
    return previous == nullptr ? ERROR_NO_MORE_FILES : ERROR_SUCCESS;
}

// The classes SetFileInformationByHandle takes and GetFileInformationByHandleEx does not.
bool set_only(FILE_INFO_BY_HANDLE_CLASS kind)
{
    return kind == FileRenameInfo || kind == FileDispositionInfo || kind == FileAllocationInfo ||
           kind == FileEndOfFileInfo || kind == FileIoPriorityHintInfo;
}

// The least buffer a query class takes (ERROR_BAD_LENGTH below it); 0 where the class
// has no fixed least (it answers ERROR_MORE_DATA) or is not built.
DWORD least_query_length(FILE_INFO_BY_HANDLE_CLASS kind)
{
    switch (kind) {
    case FileBasicInfo: return sizeof(FILE_BASIC_INFO);
    case FileStandardInfo: return sizeof(FILE_STANDARD_INFO);
    case FileNameInfo: return sizeof(FILE_NAME_INFO);
    case FileAttributeTagInfo: return sizeof(FILE_ATTRIBUTE_TAG_INFO);
    case FileIdInfo: return sizeof(FILE_ID_INFO);
    case FileCompressionInfo: return sizeof(FILE_COMPRESSION_INFO);
    case FileAlignmentInfo: return sizeof(FILE_ALIGNMENT_INFO);
    case FileIdBothDirectoryInfo:
    case FileIdBothDirectoryRestartInfo:
        return static_cast<DWORD>(name_offset(DirectoryLayout::IdBoth) + sizeof(WCHAR));
    case FileFullDirectoryInfo:
    case FileFullDirectoryRestartInfo:
        return static_cast<DWORD>(name_offset(DirectoryLayout::Full) + sizeof(WCHAR));
    case FileIdExtdDirectoryInfo:
    case FileIdExtdDirectoryRestartInfo:
        return static_cast<DWORD>(name_offset(DirectoryLayout::IdExtd) + sizeof(WCHAR));
    default: return 0;
    }
}

BOOL get_information(HANDLE handle, FILE_INFO_BY_HANDLE_CLASS kind, void* out, DWORD size)
{
    // As kernelbase: the class first (unknown, or one that can only be set:
    // ERROR_INVALID_PARAMETER), then the buffer (NtQueryInformationFile's probe:
    // ERROR_NOACCESS), then the length (ERROR_BAD_LENGTH); wine's kernel32 file.c
    // test_GetFileInformationByHandleEx, which passes on Windows. All of these come
    // before the handle is looked at: NtQueryInformationFile and NtQueryDirectoryFile
    // check their arguments before they reference the handle, so a bad length on a
    // bad handle is ERROR_BAD_LENGTH.
    if (static_cast<unsigned>(kind) >= MaximumFileInfoByHandleClass || set_only(kind))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (out == nullptr && size != 0) return fail(ERROR_NOACCESS, FALSE);
    if (out == nullptr || size < least_query_length(kind)) return fail(ERROR_BAD_LENGTH, FALSE);
    if (kind == FileStandardInfo) {
        BOOL piped;  // a pipe end: what it has to read (pipe.cpp)
        if (win32::pipe_standard_info(handle, static_cast<FILE_STANDARD_INFO*>(out), &piped)) return piped;
    }
    FileRef ref;
    if (!reference(handle, &ref)) return FALSE;
    int descriptor = ref.file->descriptor();
    struct stat status;
    if (fstat(descriptor, &status) != 0) return fail(win32_error_from_errno(errno), FALSE);
    switch (kind) {
    case FileBasicInfo: {
        auto* info = static_cast<FILE_BASIC_INFO*>(out);
        info->CreationTime.QuadPart = ticks_of(status.st_ctim);
        info->LastAccessTime.QuadPart = ticks_of(status.st_atim);
        info->LastWriteTime.QuadPart = ticks_of(status.st_mtim);
        info->ChangeTime.QuadPart = ticks_of(status.st_ctim);
        info->FileAttributes = win32::attributes_of(status);
        return TRUE;
    }
    case FileStandardInfo: {
        auto* info = static_cast<FILE_STANDARD_INFO*>(out);
        bool directory = S_ISDIR(status.st_mode);
        info->AllocationSize.QuadPart = directory ? 0 : static_cast<LONGLONG>(status.st_blocks) * 512;
        info->EndOfFile.QuadPart = directory ? 0 : status.st_size;
        info->NumberOfLinks = directory ? 1 : static_cast<DWORD>(status.st_nlink);  // as NTFS
        info->DeletePending = ref.file->delete_pending() ? 1 : 0;
        info->Directory = directory ? 1 : 0;
        return TRUE;
    }
    case FileNameInfo: {
        // The name on its volume, without the drive: the Linux path with '\' (C: is "/").
        std::string path = reported_name(descriptor);
        std::replace(path.begin(), path.end(), '/', '\\');
        std::u16string name = win32::utf16_from_utf8(path);
        auto* info = static_cast<FILE_NAME_INFO*>(out);
        info->FileNameLength = static_cast<DWORD>(name.size() * sizeof(WCHAR));
        size_t room = (size - offsetof(FILE_NAME_INFO, FileName)) / sizeof(WCHAR);
        memcpy(info->FileName, name.data(), std::min(room, name.size()) * sizeof(WCHAR));
        if (room < name.size()) return fail(ERROR_MORE_DATA, FALSE);
        return TRUE;
    }
    case FileIdBothDirectoryInfo:
    case FileIdBothDirectoryRestartInfo:
    case FileFullDirectoryInfo:
    case FileFullDirectoryRestartInfo:
    case FileIdExtdDirectoryInfo:
    case FileIdExtdDirectoryRestartInfo: {
        DirectoryLayout layout = (kind == FileIdBothDirectoryInfo || kind == FileIdBothDirectoryRestartInfo)
                                     ? DirectoryLayout::IdBoth
                                 : (kind == FileFullDirectoryInfo || kind == FileFullDirectoryRestartInfo)
                                     ? DirectoryLayout::Full
                                     : DirectoryLayout::IdExtd;
        bool restart = kind == FileIdBothDirectoryRestartInfo || kind == FileFullDirectoryRestartInfo ||
                       kind == FileIdExtdDirectoryRestartInfo;
        // NtQueryDirectoryFile references the handle for FILE_LIST_DIRECTORY; the file
        // system then refuses a handle that is no directory.
        if (!(ref.granted & FILE_LIST_DIRECTORY)) return fail(ERROR_ACCESS_DENIED, FALSE);
        if (!S_ISDIR(status.st_mode)) return fail(ERROR_INVALID_PARAMETER, FALSE);
        static std::mutex enumeration_mutex;  // one enumeration step at a time (the descriptor's position)
        std::lock_guard<std::mutex> guard(enumeration_mutex);
        DWORD error = directory_entries(descriptor, restart, layout, out, size);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
        return TRUE;
    }
    case FileAttributeTagInfo: {
        auto* info = static_cast<FILE_ATTRIBUTE_TAG_INFO*>(out);
        info->FileAttributes = win32::attributes_of(status);
        info->ReparseTag = 0;  // the handle is the link's target: no reparse point
        return TRUE;
    }
    case FileIdInfo: {
        auto* info = static_cast<FILE_ID_INFO*>(out);
        info->VolumeSerialNumber = static_cast<ULONGLONG>(status.st_dev);
        memset(info->FileId.Identifier, 0, sizeof info->FileId.Identifier);
        ULONGLONG inode = status.st_ino;
        memcpy(info->FileId.Identifier, &inode, sizeof inode);
        return TRUE;
    }
    case FileStreamInfo: {
        // One unnamed data stream ("::$DATA") for a file; none for a directory.
        if (S_ISDIR(status.st_mode)) return fail(ERROR_HANDLE_EOF, FALSE);
        static const char16_t kName[] = u"::$DATA";
        const size_t chars = sizeof(kName) / sizeof(kName[0]) - 1;
        if (size < offsetof(FILE_STREAM_INFO, StreamName) + chars * sizeof(WCHAR)) return fail(ERROR_MORE_DATA, FALSE);
        auto* info = static_cast<FILE_STREAM_INFO*>(out);
        info->NextEntryOffset = 0;
        info->StreamNameLength = static_cast<DWORD>(chars * sizeof(WCHAR));
        info->StreamSize.QuadPart = status.st_size;
        info->StreamAllocationSize.QuadPart = static_cast<LONGLONG>(status.st_blocks) * 512;
        memcpy(info->StreamName, kName, chars * sizeof(WCHAR));
        return TRUE;
    }
    case FileCompressionInfo: {
        // Never compressed; the size as GetCompressedFileSize gives it (the allocation
        // when smaller: a sparse file).
        auto* info = static_cast<FILE_COMPRESSION_INFO*>(out);
        memset(info, 0, sizeof(*info));
        LONGLONG allocated = static_cast<LONGLONG>(status.st_blocks) * 512;
        info->CompressedFileSize.QuadPart = S_ISDIR(status.st_mode) ? 0 : std::min<LONGLONG>(allocated, status.st_size);
        info->CompressionFormat = COMPRESSION_FORMAT_NONE;
        return TRUE;
    }
    case FileAlignmentInfo: {
        static_cast<FILE_ALIGNMENT_INFO*>(out)->AlignmentRequirement = 0;  // FILE_BYTE_ALIGNMENT, as NTFS on disks
        return TRUE;
    }
    default:
        if (static_cast<unsigned>(kind) >= MaximumFileInfoByHandleClass) return fail(ERROR_INVALID_PARAMETER, FALSE);
        return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);  // the other classes (docs/win32-status.md)
    }
}

BOOL set_information(HANDLE handle, FILE_INFO_BY_HANDLE_CLASS kind, void* in, DWORD size)
{
    FileRef ref;
    if (!reference(handle, &ref)) return FALSE;
    // No buffer for a length: NtSetInformationFile's probe of it fails (ERROR_NOACCESS,
    // as the query side: Wine's kernel32 test_GetFileInformationByHandleEx; Wine 8
    // answers so here too).
    if (in == nullptr) return fail(size != 0 ? ERROR_NOACCESS : ERROR_INVALID_PARAMETER, FALSE);
    int descriptor = ref.file->descriptor();
    switch (kind) {
    case FileBasicInfo: {
        if (size < sizeof(FILE_BASIC_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        if (!(ref.granted & FILE_WRITE_ATTRIBUTES)) return fail(ERROR_ACCESS_DENIED, FALSE);
        auto* info = static_cast<FILE_BASIC_INFO*>(in);
        // 0 leaves a time as it is; -1 leaves it and stops I/O through this handle from
        // moving it (SetFileTime documentation); creation and change times cannot be set
        // on Linux.
        timespec times[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
        if (info->LastAccessTime.QuadPart > 0) times[0] = timespec_of(info->LastAccessTime.QuadPart);
        if (info->LastWriteTime.QuadPart > 0) times[1] = timespec_of(info->LastWriteTime.QuadPart);
        if (futimens(descriptor, times) != 0) return fail(win32_error_from_errno(errno), FALSE);
        ref.file->refreeze(times);
        if (DWORD error = ref.file->freeze_times(info->LastWriteTime.QuadPart == -1,
                                                 info->LastAccessTime.QuadPart == -1))
            return fail(error, FALSE);
        if (info->FileAttributes != 0) {
            struct stat status;
            if (fstat(descriptor, &status) == 0 && !S_ISDIR(status.st_mode)) {
                mode_t mode = status.st_mode & 07777;
                if (info->FileAttributes & FILE_ATTRIBUTE_READONLY)
                    mode &= ~static_cast<mode_t>(0222);
                else if (!(mode & 0222))
                    mode |= S_IWUSR;
                if (mode != (status.st_mode & 07777) && fchmod(descriptor, mode) != 0)
                    return fail(win32_error_from_errno(errno), FALSE);
            }
        }
        return TRUE;
    }
    case FileEndOfFileInfo: {
        if (size < sizeof(FILE_END_OF_FILE_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        if (!(ref.granted & FILE_WRITE_DATA)) return fail(ERROR_ACCESS_DENIED, FALSE);
        auto* info = static_cast<FILE_END_OF_FILE_INFO*>(in);
        if (info->EndOfFile.QuadPart < 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
        if (DWORD error = drivers::file_truncate(descriptor, static_cast<uint64_t>(info->EndOfFile.QuadPart)))
            return fail(error, FALSE);
        ref.file->keep_frozen_times();
        return TRUE;
    }
    case FileAllocationInfo: {
        if (size < sizeof(FILE_ALLOCATION_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        if (!(ref.granted & FILE_WRITE_DATA)) return fail(ERROR_ACCESS_DENIED, FALSE);
        auto* info = static_cast<FILE_ALLOCATION_INFO*>(in);
        if (info->AllocationSize.QuadPart < 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
        struct stat status;
        if (fstat(descriptor, &status) != 0) return fail(win32_error_from_errno(errno), FALSE);
        // Less than the end of file cuts the file there (as NTFS); more reserves blocks
        // without changing the size.
        if (info->AllocationSize.QuadPart < status.st_size) {
            if (DWORD error = drivers::file_truncate(descriptor, static_cast<uint64_t>(info->AllocationSize.QuadPart)))
                return fail(error, FALSE);
        } else if (info->AllocationSize.QuadPart > 0) {
            if (fallocate(descriptor, FALLOC_FL_KEEP_SIZE, 0, info->AllocationSize.QuadPart) != 0 && errno != EOPNOTSUPP)
                return fail(win32_error_from_errno(errno), FALSE);
        }
        ref.file->keep_frozen_times();
        return TRUE;
    }
    case FileIoPriorityHintInfo: {
        // A hint: checked, accepted and not applied (Linux I/O priorities belong to threads).
        if (size < sizeof(FILE_IO_PRIORITY_HINT_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        auto* info = static_cast<FILE_IO_PRIORITY_HINT_INFO*>(in);
        if (static_cast<unsigned>(info->PriorityHint) >= MaximumIoPriorityHintType)
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        return TRUE;
    }
    case FileDispositionInfo: {
        if (size < sizeof(FILE_DISPOSITION_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        if (!(ref.granted & DELETE)) return fail(ERROR_ACCESS_DENIED, FALSE);
        auto* info = static_cast<FILE_DISPOSITION_INFO*>(in);
        DWORD error = ref.file->set_delete_disposition(info->DeleteFile != 0, path_of_descriptor(descriptor));
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
        return TRUE;
    }
    case FileRenameInfo: {
        if (size < sizeof(FILE_RENAME_INFO)) return fail(ERROR_BAD_LENGTH, FALSE);
        if (!(ref.granted & DELETE)) return fail(ERROR_ACCESS_DENIED, FALSE);
        auto* info = static_cast<FILE_RENAME_INFO*>(in);
        size_t chars = info->FileNameLength / sizeof(WCHAR);
        if (offsetof(FILE_RENAME_INFO, FileName) + info->FileNameLength > size || chars == 0)
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        std::string target = win32::utf8_from_utf16(info->FileName, chars);
        if (info->RootDirectory != nullptr) {
            // Relative to an open directory: its path, then the name.
            FileRef root;
            if (!reference(info->RootDirectory, &root)) return FALSE;
            std::string directory = path_of_descriptor(root.file->descriptor());
            if (directory.empty() || target.empty() || target[0] == '\\' || target[0] == '/' ||
                (target.size() >= 2 && target[1] == ':'))
                return fail(ERROR_INVALID_PARAMETER, FALSE);
            target = directory + "/" + target;
        }
        std::string source = path_of_descriptor(descriptor);
        if (source.empty()) return fail(ERROR_INVALID_HANDLE, FALSE);
        return win32::rename_open_file(source.c_str(), target.c_str(), info->ReplaceIfExists ? MOVEFILE_REPLACE_EXISTING : 0);
    }
    default:
        // Every class Windows sets is handled above: the others (a class outside the
        // enumeration, and the classes that can only be read, such as FileStandardInfo,
        // FileCompressionInfo, FileAttributeTagInfo, FileRemoteProtocolInfo) are refused
        // by NtSetInformationFile as invalid (Wine's kernel32 file.c,
        // test_SetFileInformationByHandle).
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
}

}  // namespace

namespace overlapped::win32 {

bool drive_name_of(const std::string& path, char* drive, std::string* rest)
{
    if (path.empty() || path[0] != '/') return false;
    size_t best = 0;
    bool found = false;
    for (char letter = 'A'; letter <= 'Z'; ++letter) {
        std::string root = drivers::drive_root(letter);
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        if (root.empty() || root[0] != '/') continue;
        size_t length = root == "/" ? 0 : root.size();
        bool inside = length == 0 || (path.compare(0, length, root) == 0 &&
                                      (path.size() == length || path[length] == '/'));
        if (inside && (!found || length > best)) {
            best = length;
            *drive = letter;
            found = true;
        }
    }
    if (!found) return false;
    *rest = path.substr(best);
    if (rest->empty()) rest->assign(1, '/');
    std::replace(rest->begin(), rest->end(), '/', '\\');
    return true;
}

}  // namespace overlapped::win32

namespace {

using overlapped::win32::drive_name_of;

// GetVolumePathName: the root of the volume (mount) that holds a name, as a Windows name
// on the drive map: "C:\" for a name on C:'s file system, "C:\mnt\usb\" for one on a file
// system mounted at /mnt/usb inside C:. The name need not exist (its nearest existing
// directory decides); relative names are the current directory's. "\\?\X:\..." gives
// "\\?\X:\" with the letter as written, other drive names an upper-case letter. A letter
// with no root: ERROR_FILE_NOT_FOUND; UNC and device names: ERROR_INVALID_NAME. The
// buffer: the root with its separator, or without it when that alone does not fit, else
// ERROR_FILENAME_EXCED_RANGE (Wine's kernel32 volume tests, test_GetVolumePathNameA/W).
template <class Char>
BOOL volume_path_name(const Char* name, Char* buffer, DWORD size)
{
    if (name == nullptr || name[0] == 0 || buffer == nullptr || size == 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string text = narrow(name);
    bool verbatim = text.compare(0, 4, "\\\\?\\") == 0;
    if (verbatim) text.erase(0, 4);
    size_t ignored;
    std::string full = full_path(text, &ignored);
    char letter = 0, written = 0;
    std::string linux_path;
    if (full.size() >= 3 && full[1] == ':' && isalpha(static_cast<unsigned char>(full[0])) && full[2] == '\\') {
        written = full[0];
        letter = static_cast<char>(toupper(static_cast<unsigned char>(full[0])));
        std::string root = drivers::drive_root(letter);
        if (root.empty()) return fail(ERROR_FILE_NOT_FOUND, FALSE);
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        linux_path = (root == "/" ? std::string() : root) + "/" + full.substr(3);
        std::replace(linux_path.begin(), linux_path.end(), '\\', '/');
    } else if (!full.empty() && full[0] == '/' && !verbatim) {
        linux_path = full;
    } else {
        return fail(ERROR_INVALID_NAME, FALSE);
    }
    // The nearest directory that exists, then the mount that holds it.
    struct stat status;
    while (linux_path.size() > 1 && stat(linux_path.c_str(), &status) != 0) {
        size_t slash = linux_path.find_last_of('/', linux_path.back() == '/' ? linux_path.size() - 2 : std::string::npos);
        linux_path = slash == std::string::npos || slash == 0 ? std::string("/") : linux_path.substr(0, slash);
    }
    char holder = 0;
    std::string inside;
    if (!drive_name_of(linux_path, &holder, &inside)) return fail(ERROR_FILE_NOT_FOUND, FALSE);
    if (letter == 0) letter = written = holder;
    std::string root = drivers::drive_root(letter);
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    std::string mount_point;
    std::string volume = "\\";
    bool mounted = drivers::mount_of(linux_path, &mount_point, nullptr, nullptr);
    bool deeper = mounted && mount_point.size() > 1 &&
                  (root == "/" || (mount_point.size() > root.size() && mount_point.compare(0, root.size() + 1, root + "/") == 0));
    if (deeper) {  // a file system mounted inside the drive: its mount point
        volume = mount_point.substr(root == "/" ? 0 : root.size()) + "/";
        std::replace(volume.begin(), volume.end(), '/', '\\');
    }
    std::string out = std::string(verbatim ? "\\\\?\\" : "") + (verbatim ? written : letter) + ":" + volume;
    std::basic_string<Char> converted;
    if constexpr (sizeof(Char) == 1) {
        converted = out;
    } else {
        converted = win32::utf16_from_utf8(out);
    }
    size_t length = converted.size();
    if (size == length) --length;  // no room for the separator and the terminator: the root without it
    else if (size < length) return fail(ERROR_FILENAME_EXCED_RANGE, FALSE);
    std::copy(converted.begin(), converted.begin() + static_cast<std::ptrdiff_t>(length), buffer);
    buffer[length] = 0;
    return TRUE;
}

// GetFinalPathNameByHandle: the name (UTF-8) of the file open as `handle`, or 0 with the
// last error.
bool final_path(HANDLE handle, DWORD flags, std::string* name)
{
    constexpr DWORD kVolumeMask = VOLUME_NAME_GUID | VOLUME_NAME_NT | VOLUME_NAME_NONE;
    DWORD volume = flags & kVolumeMask;
    if ((flags & ~(kVolumeMask | FILE_NAME_OPENED)) != 0 ||
        (volume != VOLUME_NAME_DOS && volume != VOLUME_NAME_GUID && volume != VOLUME_NAME_NT &&
         volume != VOLUME_NAME_NONE))
        return fail(ERROR_INVALID_PARAMETER, false);
    FileRef ref;
    if (!reference(handle, &ref)) return false;
    // NT device names have no Linux counterpart.
    if (volume == VOLUME_NAME_NT) return fail(ERROR_CALL_NOT_IMPLEMENTED, false);
    std::string path = reported_name(ref.file->descriptor());
    if (volume == VOLUME_NAME_GUID) {
        // The volume's GUID path, then the name below the volume's root (drivers/volumes.cpp).
        drivers::Volume owner;
        if (path.empty() || !drivers::volume_of_path(path, &owner)) return fail(ERROR_PATH_NOT_FOUND, false);
        std::string root = owner.root == "/" ? std::string() : owner.root;
        if (path.compare(0, root.size(), root) != 0 || (path.size() > root.size() && path[root.size()] != '/'))
            return fail(ERROR_PATH_NOT_FOUND, false);
        std::string rest = path.size() > root.size() ? path.substr(root.size()) : std::string("/");
        std::replace(rest.begin(), rest.end(), '/', '\\');
        name->assign("\\\\?\\Volume");
        *name += owner.guid;
        *name += rest;
        return true;
    }
    char drive = 0;
    std::string rest;
    if (path.empty() || !drive_name_of(path, &drive, &rest)) return fail(ERROR_PATH_NOT_FOUND, false);
    // Linux already resolved the symbolic links: the opened name is the normalized one.
    if (volume == VOLUME_NAME_NONE)
        *name = rest;
    else
        *name = std::string("\\\\?\\") + drive + ":" + rest;
    return true;
}

// Copies `text` and its terminator into `buffer` of `size` characters: the length, or
// when it does not fit the size needed: the wide form counts the terminator, the ANSI
// form does not (Windows' kernelbase, as Wine's reproduces and its tests record).
template <class Char>
DWORD copy_out(const std::basic_string<Char>& text, Char* buffer, DWORD size)
{
    if (buffer == nullptr || size < text.size() + 1)
        return static_cast<DWORD>(sizeof(Char) == 1 ? text.size() : text.size() + 1);
    memcpy(buffer, text.data(), text.size() * sizeof(Char));
    buffer[text.size()] = 0;
    win32::set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(text.size());
}

// GetLongPathName and GetShortPathName: Linux file systems keep no 8.3 names, so every
// component's long name is itself and its short name is its long one (Windows on a
// volume without short names, Microsoft Learn, GetShortPathNameW: "the call will succeed,
// but will return the long-name path"). Both check that the name exists and give it back
// as it was written: relative names stay relative, case and separators are kept (Wine's
// kernel32 path tests, which pass on Windows: test_PathNameA, test_relative_path,
// test_GetLongPathNameW). No name: ERROR_INVALID_PARAMETER; an empty one:
// ERROR_PATH_NOT_FOUND; wildcards: ERROR_INVALID_NAME. A buffer too small is left as it
// is and the size needed (with the terminator) returned.
template <class Char>
DWORD long_or_short_path(const Char* name, Char* buffer, DWORD size)
{
    if (name == nullptr) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    std::basic_string<Char> given(name);
    if (given.empty()) return fail(ERROR_PATH_NOT_FOUND, DWORD(0));
    std::string text = narrow(name);
    size_t start = text.compare(0, 4, "\\\\?\\") == 0 ? 4 : 0;
    if (text.find_first_of("*?", start) != std::string::npos) return fail(ERROR_INVALID_NAME, DWORD(0));
    std::string path;
    if (!to_linux(text, &path)) return 0;
    struct stat status;
    if (stat(path.c_str(), &status) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) return fail(win32_error_from_errno(errno), DWORD(0));
        while (path.size() > 1 && path.back() == '/') path.pop_back();
        return fail(win32::missing_path_error(path), DWORD(0));
    }
    if (buffer == nullptr || size <= given.size()) return static_cast<DWORD>(given.size() + 1);
    std::copy(given.begin(), given.end(), buffer);
    buffer[given.size()] = 0;
    return static_cast<DWORD>(given.size());
}

// CheckNameLegalDOS8Dot3: the rules of RtlIsNameLegalDOS8Dot3 (Microsoft Learn, and
// Wine's kernel32 path tests, test_CheckNameLegalDOS8Dot3, which pass on Windows). The
// name is upper-cased into the OEM code page (UTF-8 in this library: GetOEMCP, docs/deviations.md)
// and is legal when that form has at most 12 bytes, is "." or ".." or does not start
// with a dot, has at most one dot, not last, at most 8 bytes before it and 3 after it (8
// without one), no spaces first, last or before the dot, and none of the characters FAT
// refuses (* ? < > | " + = , ; [ ] : / \ and controls). An empty name is legal, as on
// Windows. `oem` (when given) receives the upper-cased form: a buffer too small for it
// makes the name illegal.
BOOL check_name_legal_8dot3(const std::string& name, LPSTR oem, DWORD oem_size, PBOOL spaces, PBOOL legal)
{
    std::string upper = name;
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    auto verdict = [&]() -> int {  // -1 illegal, else 0/1: contains spaces
        if (oem != nullptr) {
            if (upper.size() > oem_size) return -1;
            memcpy(oem, upper.data(), upper.size());
            if (upper.size() < oem_size) oem[upper.size()] = 0;
        }
        size_t length = upper.size();
        if (length > 12) return -1;
        if (length > 0 && upper[0] == '.') return (upper == "." || upper == "..") ? 0 : -1;
        static const char refused[] = "*?<>|\"+=,;[]:/\\";
        size_t dot = std::string::npos;
        bool space = false;
        for (size_t i = 0; i < length; ++i) {
            unsigned char c = static_cast<unsigned char>(upper[i]);
            if (c == ' ') {
                if (i == 0 || i == length - 1 || upper[i + 1] == '.') return -1;
                space = true;
            } else if (c == '.') {
                if (dot != std::string::npos) return -1;
                dot = i;
            } else if (c < 0x20 || strchr(refused, c) != nullptr) {
                return -1;
            }
        }
        if (dot == std::string::npos) return length > 8 ? -1 : space;
        if (dot > 8 || length - dot > 4 || dot == length - 1) return -1;
        return space;
    };
    int result = verdict();
    *legal = result >= 0;
    if (spaces != nullptr && result >= 0) *spaces = result == 1;
    return TRUE;
}

}  // namespace

extern "C" {

BOOL WINAPI CheckNameLegalDOS8Dot3A(LPCSTR lpName, LPSTR lpOemName, DWORD OemNameSize, PBOOL pbNameContainsSpaces,
                                    PBOOL pbNameLegal)
{
    if (lpName == nullptr || pbNameLegal == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return check_name_legal_8dot3(lpName, lpOemName, OemNameSize, pbNameContainsSpaces, pbNameLegal);
}
BOOL WINAPI CheckNameLegalDOS8Dot3W(LPCWSTR lpName, LPSTR lpOemName, DWORD OemNameSize, PBOOL pbNameContainsSpaces,
                                    PBOOL pbNameLegal)
{
    if (lpName == nullptr || pbNameLegal == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return check_name_legal_8dot3(win32::utf8_from_utf16(lpName), lpOemName, OemNameSize, pbNameContainsSpaces,
                                  pbNameLegal);
}

DWORD WINAPI GetFullPathNameA(LPCSTR lpFileName, DWORD nBufferLength, LPSTR lpBuffer, LPSTR* lpFilePart)
{
    return get_full_path_name(lpFileName, nBufferLength, lpBuffer, lpFilePart);
}
DWORD WINAPI GetFullPathNameW(LPCWSTR lpFileName, DWORD nBufferLength, LPWSTR lpBuffer, LPWSTR* lpFilePart)
{
    return get_full_path_name(lpFileName, nBufferLength, lpBuffer, lpFilePart);
}
BOOL WINAPI GetVolumePathNameA(LPCSTR lpszFileName, LPSTR lpszVolumePathName, DWORD cchBufferLength)
{
    return volume_path_name(lpszFileName, lpszVolumePathName, cchBufferLength);
}
BOOL WINAPI GetVolumePathNameW(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName, DWORD cchBufferLength)
{
    return volume_path_name(lpszFileName, lpszVolumePathName, cchBufferLength);
}
DWORD WINAPI SearchPathA(LPCSTR lpPath, LPCSTR lpFileName, LPCSTR lpExtension, DWORD nBufferLength, LPSTR lpBuffer,
                         LPSTR* lpFilePart)
{
    return search_path(lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer, lpFilePart);
}
DWORD WINAPI SearchPathW(LPCWSTR lpPath, LPCWSTR lpFileName, LPCWSTR lpExtension, DWORD nBufferLength, LPWSTR lpBuffer,
                         LPWSTR* lpFilePart)
{
    return search_path(lpPath, lpFileName, lpExtension, nBufferLength, lpBuffer, lpFilePart);
}
// NeedCurrentDirectoryForExePath: whether a program's name is to be looked for in the
// current directory too: always for a name with a directory in it, else unless the
// variable NoDefaultCurrentDirectoryInExePath is set, whatever its value (Microsoft
// Learn, NeedCurrentDirectoryForExePathW; Wine's kernel32 path.c
// test_NeedCurrentDirectoryForExePathA/W, on Windows: ".", "cmd.exe" FALSE and "c:\"
// TRUE once it is set). A '/' is a separator here as well as '\'.
BOOL WINAPI NeedCurrentDirectoryForExePathW(LPCWSTR ExeName)
{
    for (const WCHAR* c = ExeName; c != nullptr && *c != 0; ++c)
        if (*c == '\\' || *c == '/') return TRUE;
    WCHAR value[1];
    DWORD saved = GetLastError();
    SetLastError(ERROR_SUCCESS);
    DWORD length = GetEnvironmentVariableW(u"NoDefaultCurrentDirectoryInExePath", value, 1);
    bool set = length != 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND;
    SetLastError(saved);
    return set ? FALSE : TRUE;
}
BOOL WINAPI NeedCurrentDirectoryForExePathA(LPCSTR ExeName)
{
    if (ExeName == nullptr) return NeedCurrentDirectoryForExePathW(nullptr);
    std::u16string wide = win32::utf16_from_utf8(ExeName);
    return NeedCurrentDirectoryForExePathW(reinterpret_cast<const WCHAR*>(wide.c_str()));
}
DWORD WINAPI GetLongPathNameA(LPCSTR lpszShortPath, LPSTR lpszLongPath, DWORD cchBuffer)
{
    return long_or_short_path(lpszShortPath, lpszLongPath, cchBuffer);
}
DWORD WINAPI GetLongPathNameW(LPCWSTR lpszShortPath, LPWSTR lpszLongPath, DWORD cchBuffer)
{
    return long_or_short_path(lpszShortPath, lpszLongPath, cchBuffer);
}
DWORD WINAPI GetShortPathNameA(LPCSTR lpszLongPath, LPSTR lpszShortPath, DWORD cchBuffer)
{
    return long_or_short_path(lpszLongPath, lpszShortPath, cchBuffer);
}
DWORD WINAPI GetShortPathNameW(LPCWSTR lpszLongPath, LPWSTR lpszShortPath, DWORD cchBuffer)
{
    return long_or_short_path(lpszLongPath, lpszShortPath, cchBuffer);
}
BOOL WINAPI SetFileAttributesA(LPCSTR lpFileName, DWORD dwFileAttributes)
{
    return set_file_attributes(lpFileName, dwFileAttributes);
}
BOOL WINAPI SetFileAttributesW(LPCWSTR lpFileName, DWORD dwFileAttributes)
{
    return set_file_attributes(lpFileName, dwFileAttributes);
}
BOOL WINAPI GetFileAttributesExA(LPCSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId, LPVOID lpFileInformation)
{
    return get_file_attributes_ex(lpFileName, fInfoLevelId, lpFileInformation);
}
BOOL WINAPI GetFileAttributesExW(LPCWSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId, LPVOID lpFileInformation)
{
    return get_file_attributes_ex(lpFileName, fInfoLevelId, lpFileInformation);
}
DWORD WINAPI GetFinalPathNameByHandleA(HANDLE hFile, LPSTR lpszFilePath, DWORD cchFilePath, DWORD dwFlags)
{
    std::string name;
    if (!final_path(hFile, dwFlags, &name)) return 0;
    return copy_out(name, lpszFilePath, cchFilePath);
}

DWORD WINAPI GetFinalPathNameByHandleW(HANDLE hFile, LPWSTR lpszFilePath, DWORD cchFilePath, DWORD dwFlags)
{
    std::string name;
    if (!final_path(hFile, dwFlags, &name)) return 0;
    std::u16string wide = win32::utf16_from_utf8(name);
    return copy_out(wide, reinterpret_cast<char16_t*>(lpszFilePath), cchFilePath);
}

BOOL WINAPI GetFileTime(HANDLE hFile, LPFILETIME lpCreationTime, LPFILETIME lpLastAccessTime,
                        LPFILETIME lpLastWriteTime)
{
    FileRef ref;
    if (!reference(hFile, &ref)) return FALSE;
    // FileBasicInformation: the handle must read attributes.
    if (!(ref.granted & FILE_READ_ATTRIBUTES)) return fail(ERROR_ACCESS_DENIED, FALSE);
    struct stat status;
    if (fstat(ref.file->descriptor(), &status) != 0) return fail(win32_error_from_errno(errno), FALSE);
    // The creation time is the status change time, as GetFileInformationByHandle's.
    if (lpCreationTime != nullptr) *lpCreationTime = win32::filetime_of(status.st_ctim);
    if (lpLastAccessTime != nullptr) *lpLastAccessTime = win32::filetime_of(status.st_atim);
    if (lpLastWriteTime != nullptr) *lpLastWriteTime = win32::filetime_of(status.st_mtim);
    return TRUE;  // a success leaves the last error alone, as kernelbase's
}

BOOL WINAPI SetFileTime(HANDLE hFile, const FILETIME* lpCreationTime, const FILETIME* lpLastAccessTime,
                        const FILETIME* lpLastWriteTime)
{
    // FileBasicInfo with the three times: NULL and 0 leave a time as it is, -1 stops
    // I/O through the handle from moving it, as SetFileInformationByHandle does (the
    // creation time cannot be set on Linux).
    FILE_BASIC_INFO info;
    memset(&info, 0, sizeof info);
    auto ticks = [](const FILETIME* time) -> LONGLONG {
        if (time == nullptr) return 0;
        return static_cast<LONGLONG>((static_cast<ULONGLONG>(time->dwHighDateTime) << 32) | time->dwLowDateTime);
    };
    info.CreationTime.QuadPart = ticks(lpCreationTime);
    info.LastAccessTime.QuadPart = ticks(lpLastAccessTime);
    info.LastWriteTime.QuadPart = ticks(lpLastWriteTime);
    return set_information(hFile, FileBasicInfo, &info, sizeof info);
}

BOOL WINAPI GetFileInformationByHandleEx(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                         LPVOID lpFileInformation, DWORD dwBufferSize)
{
    return get_information(hFile, FileInformationClass, lpFileInformation, dwBufferSize);
}
BOOL WINAPI SetFileInformationByHandle(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                       LPVOID lpFileInformation, DWORD dwBufferSize)
{
    return set_information(hFile, FileInformationClass, lpFileInformation, dwBufferSize);
}

}  // extern "C"
