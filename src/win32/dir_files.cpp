// dir_files.cpp: MoveFileA/W, MoveFileExA/W and MoveFileWithProgressA/W (rename and
// move of files and directories), ReplaceFileA/W, CreateHardLinkA/W. docs/directories.md,
// docs/files-management.md.
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

bool to_linux(const char* name, std::string* path)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, false);
    if (DWORD error = drivers::file_linux_path(name, path)) return fail(error, false);
    return true;
}

bool to_linux(const WCHAR* name, std::string* path)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, false);
    return to_linux(win32::utf8_from_utf16(name).c_str(), path);
}

// `check_sharing`: MoveFileEx opens the source for DELETE sharing everything, so a handle
// of it without FILE_SHARE_DELETE makes it fail with ERROR_SHARING_VIOLATION (Wine's
// kernel32 test_MoveFileA, which passes on Windows). A rename through the file's own
// handle (FileRenameInfo) has that open already and skips the check.
// `progress`, `data`: MoveFileWithProgress's routine, which sees the copy of a file moved
// across file systems (CopyFileEx's, with its cancellation); a rename moves no data and
// calls nothing (Windows' MoveFileEx is MoveFileWithProgress without a routine).
template <class Char>
BOOL move_file(const Char* existing, const Char* target, DWORD flags, bool check_sharing = true,
               LPPROGRESS_ROUTINE progress = nullptr, LPVOID data = nullptr)
{
    constexpr DWORD kKnown = MOVEFILE_REPLACE_EXISTING | MOVEFILE_COPY_ALLOWED | MOVEFILE_DELAY_UNTIL_REBOOT |
                             MOVEFILE_WRITE_THROUGH | MOVEFILE_CREATE_HARDLINK | MOVEFILE_FAIL_IF_NOT_TRACKABLE;
    if (flags & ~kKnown) return fail(ERROR_INVALID_PARAMETER, FALSE);
    // Moves at the next boot (the session manager's PendingFileRenameOperations) have no
    // counterpart here.
    if (flags & (MOVEFILE_DELAY_UNTIL_REBOOT | MOVEFILE_CREATE_HARDLINK)) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    std::string from, to;
    if (!to_linux(existing, &from)) return FALSE;
    if (target == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);  // deletion is for reboot moves only
    if (!to_linux(target, &to)) return FALSE;
    struct stat source;
    if (lstat(from.c_str(), &source) != 0) return fail(errno == ENOENT ? win32::missing_path_error(from) : win32_error_from_errno(errno), FALSE);
    // A device moved (MoveFile("nul", x)): ERROR_INVALID_PARAMETER; a device replaced
    // (MoveFileEx(x, "nul", MOVEFILE_REPLACE_EXISTING)): ERROR_NOT_SAME_DEVICE, the name
    // being another device's (Wine 8's answers; Windows' NUL device refuses both).
    if (drivers::is_device_node(source)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    struct stat named;
    if (stat(to.c_str(), &named) == 0 && drivers::is_device_node(named)) return fail(ERROR_NOT_SAME_DEVICE, FALSE);
    if (check_sharing)
        if (DWORD error = drivers::file_delete_share_check(source.st_dev, source.st_ino)) return fail(error, FALSE);
    struct stat destination;
    bool exists = lstat(to.c_str(), &destination) == 0;
    if (exists && !(source.st_dev == destination.st_dev && source.st_ino == destination.st_ino)) {
        // Windows never replaces a directory, and replaces a file only when asked.
        if (!(flags & MOVEFILE_REPLACE_EXISTING) || S_ISDIR(destination.st_mode) || S_ISDIR(source.st_mode))
            return fail(S_ISDIR(destination.st_mode) && (flags & MOVEFILE_REPLACE_EXISTING) ? ERROR_ACCESS_DENIED
                                                                                             : ERROR_ALREADY_EXISTS,
                        FALSE);
        if (S_ISREG(destination.st_mode) && !(destination.st_mode & 0222)) return fail(ERROR_ACCESS_DENIED, FALSE);
        // An open file is never replaced, whatever its share mode (Wine's ntdll
        // test_file_rename_information: "Replace = TRUE, target file opened").
        if (drivers::file_is_open(destination.st_dev, destination.st_ino)) return fail(ERROR_ACCESS_DENIED, FALSE);
    }
    // Without MOVEFILE_REPLACE_EXISTING the check above is not enough: a file created at
    // the target after it would be replaced. RENAME_NOREPLACE makes the kernel refuse
    // atomically (a target that is the source itself, another link of it, is renamed as
    // before: nothing to replace).
    bool replace = (flags & MOVEFILE_REPLACE_EXISTING) || exists;
    int result = replace ? rename(from.c_str(), to.c_str())
                         : renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
    if (result != 0 && !replace && errno == EINVAL) {
        // A file system that does not take the flag (some network and FUSE ones): a file
        // is linked under the new name (link fails if the name exists) and the old name
        // removed; where hard links are refused too, and for directories, the checked
        // rename is what is left.
        if (!S_ISDIR(source.st_mode) && link(from.c_str(), to.c_str()) == 0) {
            result = unlink(from.c_str());
            if (result != 0) {
                int failure = errno;
                unlink(to.c_str());
                errno = failure;
            }
        } else if (S_ISDIR(source.st_mode) || errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP) {
            result = rename(from.c_str(), to.c_str());
        } else {
            result = -1;  // errno from link: EEXIST and the rest, mapped below
        }
    }
    if (result == 0) {
        if (flags & MOVEFILE_WRITE_THROUGH) sync();
        return TRUE;
    }
    int error = errno;
    if (error == EEXIST && !replace) return fail(ERROR_ALREADY_EXISTS, FALSE);  // appeared since the check
    if (error == EXDEV) {
        if (!(flags & MOVEFILE_COPY_ALLOWED)) return fail(ERROR_NOT_SAME_DEVICE, FALSE);
        if (S_ISDIR(source.st_mode)) return fail(ERROR_ACCESS_DENIED, FALSE);  // as Windows: directories do not cross volumes
        // CopyFileEx's copy, as Windows' move across volumes is: the data, the attributes
        // and the last write time, the routine told of each chunk and able to cancel.
        if (!win32::copy_for_move(existing, target, progress, data, replace, (flags & MOVEFILE_WRITE_THROUGH) != 0)) {
            // A file that appeared at the target since the checks: MoveFileEx's error
            // (the copy's own is CopyFile's ERROR_FILE_EXISTS).
            DWORD copy_error = GetLastError();
            return fail(copy_error == ERROR_FILE_EXISTS ? ERROR_ALREADY_EXISTS : copy_error, FALSE);
        }
        if (unlink(from.c_str()) != 0) return fail(win32_error_from_errno(errno), FALSE);
        return TRUE;
    }
    if (error == ENOENT) return fail(ERROR_PATH_NOT_FOUND, FALSE);  // the target's directory
    // A file on the way to the target ("file.txt\x"): the target's directory cannot be
    // opened, and NTFS fails a path through a file with STATUS_OBJECT_PATH_NOT_FOUND.
    if (error == ENOTDIR) {
        struct stat probe;
        if (stat(to.c_str(), &probe) != 0 && errno == ENOTDIR) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    }
    if (error == ENOTEMPTY || error == EEXIST || error == EISDIR || error == ENOTDIR || error == EINVAL)
        return fail(ERROR_ACCESS_DENIED, FALSE);
    return fail(win32_error_from_errno(error), FALSE);
}

// ReplaceFile: `replacement` takes the name of `replaced` and its attributes (here the
// permission bits, so the read-only attribute too); the replaced file is kept as `backup`
// when one is named (an existing backup is overwritten), else it is gone. The last
// write time is the replacement's (Wine's kernel32 test_ReplaceFileA, which passes on
// Windows). Errors: a missing file ERROR_FILE_NOT_FOUND (ERROR_PATH_NOT_FOUND for a
// missing directory); a directory ERROR_ACCESS_DENIED; a file open without
// FILE_SHARE_DELETE ERROR_SHARING_VIOLATION (both are opened for DELETE); a read-only
// replaced file ERROR_ACCESS_DENIED (it is opened for writing), nothing changed; the
// replaced file that cannot be moved to the backup ERROR_UNABLE_TO_REMOVE_REPLACED,
// nothing changed; the replacement that cannot take the name
// ERROR_UNABLE_TO_MOVE_REPLACEMENT with the replaced file put back, or, when that fails
// too, ERROR_UNABLE_TO_MOVE_REPLACEMENT_2 (the replaced file is then the backup).
// Microsoft Learn, ReplaceFileW.
template <class Char>
BOOL replace_file(const Char* replaced, const Char* replacement, const Char* backup, DWORD flags)
{
    constexpr DWORD kKnown = REPLACEFILE_WRITE_THROUGH | REPLACEFILE_IGNORE_MERGE_ERRORS | REPLACEFILE_IGNORE_ACL_ERRORS;
    if (replaced == nullptr || replacement == nullptr || (flags & ~kKnown)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string target, source, keep;
    if (!to_linux(replaced, &target) || !to_linux(replacement, &source)) return FALSE;
    bool backing_up = backup != nullptr && backup[0] != 0;
    if (backing_up && !to_linux(backup, &keep)) return FALSE;
    struct stat old_file, new_file;
    if (stat(target.c_str(), &old_file) != 0)
        return fail(errno == ENOENT ? win32::missing_path_error(target) : win32_error_from_errno(errno), FALSE);
    if (stat(source.c_str(), &new_file) != 0)
        return fail(errno == ENOENT ? win32::missing_path_error(source) : win32_error_from_errno(errno), FALSE);
    if (S_ISDIR(old_file.st_mode) || S_ISDIR(new_file.st_mode)) return fail(ERROR_ACCESS_DENIED, FALSE);
    if (drivers::is_device_node(old_file) || drivers::is_device_node(new_file)) return fail(ERROR_NOT_SAME_DEVICE, FALSE);  // as MoveFile's
    if (DWORD error = drivers::file_delete_share_check(old_file.st_dev, old_file.st_ino)) return fail(error, FALSE);
    if (DWORD error = drivers::file_delete_share_check(new_file.st_dev, new_file.st_ino)) return fail(error, FALSE);
    if (S_ISREG(old_file.st_mode) && !(old_file.st_mode & 0222)) return fail(ERROR_ACCESS_DENIED, FALSE);
    bool same = old_file.st_dev == new_file.st_dev && old_file.st_ino == new_file.st_ino;
    if (same) return fail(ERROR_SHARING_VIOLATION, FALSE);  // one file under both names: opened twice for DELETE
    if (backing_up) {
        struct stat existing;
        // The backup name is taken as MoveFileEx(MOVEFILE_REPLACE_EXISTING) takes its
        // target: never a directory, a device, a read-only file or an open file.
        if (lstat(keep.c_str(), &existing) == 0 &&
            (S_ISDIR(existing.st_mode) || drivers::is_device_node(existing) || (S_ISREG(existing.st_mode) && !(existing.st_mode & 0222)) ||
             drivers::file_is_open(existing.st_dev, existing.st_ino)))
            return fail(ERROR_UNABLE_TO_REMOVE_REPLACED, FALSE);
        if (rename(target.c_str(), keep.c_str()) != 0) return fail(ERROR_UNABLE_TO_REMOVE_REPLACED, FALSE);
    }
    // The replaced file's attributes go to the replacement.
    mode_t replacement_mode = new_file.st_mode & 07777;
    chmod(source.c_str(), old_file.st_mode & 07777);
    if (rename(source.c_str(), target.c_str()) != 0) {
        chmod(source.c_str(), replacement_mode);
        if (backing_up && rename(keep.c_str(), target.c_str()) != 0)
            return fail(ERROR_UNABLE_TO_MOVE_REPLACEMENT_2, FALSE);
        return fail(ERROR_UNABLE_TO_MOVE_REPLACEMENT, FALSE);
    }
    if (flags & REPLACEFILE_WRITE_THROUGH) sync();
    return TRUE;
}

// CreateHardLink: `name` becomes a second name of the file `existing` (link(2), which
// links a symbolic link itself, as Windows links a reparse point). Errors, as Wine's
// kernel32 test_hard_link records for Windows: a name that exists
// ERROR_ALREADY_EXISTS (a directory's too: Wine's test takes ERROR_ACCESS_DENIED as
// well, Wine 8 answers this); a directory to be
// linked ERROR_ACCESS_DENIED; an empty or missing name ERROR_PATH_NOT_FOUND (a missing
// existing file ERROR_FILE_NOT_FOUND); another volume ERROR_NOT_SAME_DEVICE; too many
// links ERROR_TOO_MANY_LINKS; a file system without hard links ERROR_INVALID_FUNCTION.
template <class Char>
BOOL create_hard_link(const Char* name, const Char* existing)
{
    std::string from, to;
    if (!to_linux(existing, &from) || !to_linux(name, &to)) return FALSE;
    struct stat source;
    if (lstat(from.c_str(), &source) != 0)
        return fail(errno == ENOENT ? win32::missing_path_error(from) : win32_error_from_errno(errno), FALSE);
    if (S_ISDIR(source.st_mode)) return fail(ERROR_ACCESS_DENIED, FALSE);
    if (drivers::is_device_node(source)) return fail(ERROR_INVALID_PARAMETER, FALSE);  // as a device's move
    if (link(from.c_str(), to.c_str()) == 0) return TRUE;
    int error = errno;
    switch (error) {
    case EEXIST:
        return fail(ERROR_ALREADY_EXISTS, FALSE);  // a name collision, a directory's too (as Wine 8)
    case ENOENT:
    case ENOTDIR:
        return fail(ERROR_PATH_NOT_FOUND, FALSE);  // the new name's directory
    case EXDEV:
        return fail(ERROR_NOT_SAME_DEVICE, FALSE);
    case EMLINK:
        return fail(ERROR_TOO_MANY_LINKS, FALSE);
    case EPERM:
    case EOPNOTSUPP:
        return fail(ERROR_INVALID_FUNCTION, FALSE);
    default:
        return fail(win32_error_from_errno(error), FALSE);
    }
}

}  // namespace

namespace overlapped::win32 {
BOOL rename_open_file(const char* existing, const char* target, DWORD flags)
{
    return move_file(existing, target, flags, false);
}
}  // namespace overlapped::win32

extern "C" {

BOOL WINAPI MoveFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName)
{
    return move_file(lpExistingFileName, lpNewFileName, MOVEFILE_COPY_ALLOWED);
}
BOOL WINAPI MoveFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName)
{
    return move_file(lpExistingFileName, lpNewFileName, MOVEFILE_COPY_ALLOWED);
}
BOOL WINAPI MoveFileExA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, DWORD dwFlags)
{
    return move_file(lpExistingFileName, lpNewFileName, dwFlags);
}
BOOL WINAPI MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags)
{
    return move_file(lpExistingFileName, lpNewFileName, dwFlags);
}
BOOL WINAPI MoveFileWithProgressA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName,
                                  LPPROGRESS_ROUTINE lpProgressRoutine, LPVOID lpData, DWORD dwFlags)
{
    return move_file(lpExistingFileName, lpNewFileName, dwFlags, true, lpProgressRoutine, lpData);
}
BOOL WINAPI MoveFileWithProgressW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName,
                                  LPPROGRESS_ROUTINE lpProgressRoutine, LPVOID lpData, DWORD dwFlags)
{
    return move_file(lpExistingFileName, lpNewFileName, dwFlags, true, lpProgressRoutine, lpData);
}

BOOL WINAPI ReplaceFileA(LPCSTR lpReplacedFileName, LPCSTR lpReplacementFileName, LPCSTR lpBackupFileName,
                         DWORD dwReplaceFlags, LPVOID, LPVOID)
{
    return replace_file(lpReplacedFileName, lpReplacementFileName, lpBackupFileName, dwReplaceFlags);
}
BOOL WINAPI ReplaceFileW(LPCWSTR lpReplacedFileName, LPCWSTR lpReplacementFileName, LPCWSTR lpBackupFileName,
                         DWORD dwReplaceFlags, LPVOID, LPVOID)
{
    return replace_file(lpReplacedFileName, lpReplacementFileName, lpBackupFileName, dwReplaceFlags);
}

BOOL WINAPI CreateHardLinkA(LPCSTR lpFileName, LPCSTR lpExistingFileName, LPSECURITY_ATTRIBUTES)
{
    return create_hard_link(lpFileName, lpExistingFileName);
}
BOOL WINAPI CreateHardLinkW(LPCWSTR lpFileName, LPCWSTR lpExistingFileName, LPSECURITY_ATTRIBUTES)
{
    return create_hard_link(lpFileName, lpExistingFileName);
}

}  // extern "C"
