// copy_file.cpp: CopyFileA/W and CopyFileExA/W: the data by copy_file_range (read/write
// where the file systems refuse it), the progress routine, cancellation, the read-only
// attribute and the last write time copied. docs/files-management.md.
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <new>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

constexpr size_t kChunk = 1 << 20;  // a progress call per MiB, as Windows' chunks

std::string narrow(const char* text) { return text; }
std::string narrow(const WCHAR* text) { return win32::utf8_from_utf16(text); }

int descriptor_of(HANDLE handle)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::File, 0, &error);
    if (object == nullptr) return -1;
    int descriptor = static_cast<drivers::FileDevice*>(object)->descriptor();
    object->release_reference();  // the handle stays open for the copy's duration
    return descriptor;
}

// One chunk from `in` to `out` at `offset`; returns the bytes copied (0 at the end) or -1.
ssize_t copy_chunk(int in, int out, off_t offset, size_t length, bool* plain)
{
    if (!*plain) {
        off_t in_offset = offset, out_offset = offset;
        for (;;) {
            ssize_t n = copy_file_range(in, &in_offset, out, &out_offset, length, 0);
            if (n >= 0) return n;
            if (errno == EINTR) continue;
            if (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP || errno == EBADF) {
                *plain = true;  // file systems or kernels without it: read and write
                break;
            }
            return -1;
        }
    }
    // On the heap, made on a thread's first plain copy: a thread_local array would be
    // static TLS, which glibc carves out of every thread's stack, so CreateThread with a
    // small stack size would fail.
    constexpr size_t kBuffer = 256 * 1024;
    static thread_local std::unique_ptr<char[]> owned;
    if (!owned) owned.reset(new (std::nothrow) char[kBuffer]);
    char* buffer = owned.get();
    if (buffer == nullptr) {
        errno = ENOMEM;
        return -1;
    }
    size_t want = length < kBuffer ? length : kBuffer;
    ssize_t n;
    do n = pread(in, buffer, want, offset);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    for (ssize_t done = 0; done < n;) {
        ssize_t w = pwrite(out, buffer + done, static_cast<size_t>(n - done), offset + done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        done += w;
    }
    return n;
}

// CopyFile2's progress routine and its context (COPYFILE2_EXTENDED_PARAMETERS).
struct Copy2Progress {
    PCOPYFILE2_PROGRESS_ROUTINE routine;
    void* context;
};

constexpr DWORD kCopyExFlags = COPY_FILE_FAIL_IF_EXISTS | COPY_FILE_RESTARTABLE | COPY_FILE_OPEN_SOURCE_FOR_WRITE |
                               COPY_FILE_ALLOW_DECRYPTED_DESTINATION | COPY_FILE_COPY_SYMLINK | COPY_FILE_NO_BUFFERING;
// CopyFile2's further flags that ask nothing a Linux copy can give or needs: privileges to
// copy security descriptors, the offload (ODX) and compression of network copies,
// enterprise data protection and encryption, preallocation and the low-free-space mode.
// COPY_FILE_RESUME_FROM_PAUSE resumes a paused copy: this copies the whole file again,
// which is a complete resume.
constexpr DWORD kCopy2Flags = kCopyExFlags | COPY_FILE_REQUEST_SECURITY_PRIVILEGES | COPY_FILE_RESUME_FROM_PAUSE |
                              COPY_FILE_NO_OFFLOAD | COPY_FILE_IGNORE_EDP_BLOCK | COPY_FILE_IGNORE_SOURCE_ENCRYPTION |
                              COPY_FILE_DONT_REQUEST_DEST_WRITE_DAC | COPY_FILE_DISABLE_PRE_ALLOCATION |
                              COPY_FILE_ENABLE_LOW_FREE_SPACE_MODE | COPY_FILE_REQUEST_COMPRESSED_TRAFFIC;

template <class Char>
BOOL copy_file(const Char* existing, const Char* target, LPPROGRESS_ROUTINE progress, void* data, BOOL* cancel,
               DWORD flags, bool write_through = false, const Copy2Progress* copy2 = nullptr)
{
    if (existing == nullptr || target == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    if (flags & ~(copy2 != nullptr ? kCopy2Flags : kCopyExFlags)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string from = narrow(existing), to = narrow(target);
    std::string from_linux, to_linux;
    if (DWORD error = drivers::file_linux_path(from, &from_linux)) return fail(error, FALSE);
    if (DWORD error = drivers::file_linux_path(to, &to_linux)) return fail(error, FALSE);

    struct stat link_status;
    if ((flags & COPY_FILE_COPY_SYMLINK) && lstat(from_linux.c_str(), &link_status) == 0 && S_ISLNK(link_status.st_mode)) {
        // The link itself, not what it points to.
        char link[PATH_MAX];
        ssize_t n = readlink(from_linux.c_str(), link, sizeof link - 1);
        if (n < 0) return fail(win32_error_from_errno(errno), FALSE);
        link[n] = 0;
        struct stat existing_status;
        if (lstat(to_linux.c_str(), &existing_status) == 0) {
            if (flags & COPY_FILE_FAIL_IF_EXISTS) return fail(ERROR_FILE_EXISTS, FALSE);
            if (S_ISDIR(existing_status.st_mode) || unlink(to_linux.c_str()) != 0) return fail(ERROR_ACCESS_DENIED, FALSE);
        }
        if (symlink(link, to_linux.c_str()) != 0) return fail(win32_error_from_errno(errno), FALSE);
        return TRUE;
    }

    DWORD source_access = GENERIC_READ | ((flags & COPY_FILE_OPEN_SOURCE_FOR_WRITE) ? GENERIC_WRITE : 0);
    HANDLE source = CreateFileA(from.c_str(), source_access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                nullptr, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
    if (source == INVALID_HANDLE_VALUE) return FALSE;  // CreateFile's error
    int in = descriptor_of(source);
    struct stat status;
    if (in < 0 || fstat(in, &status) != 0) {
        CloseHandle(source);
        return fail(ERROR_INVALID_HANDLE, FALSE);
    }
    if (S_ISDIR(status.st_mode)) {
        CloseHandle(source);
        return fail(ERROR_ACCESS_DENIED, FALSE);
    }
    // Onto itself: Windows' opens of the two ends collide; with COPY_FILE_FAIL_IF_EXISTS
    // the target's create (FILE_CREATE) meets the existing name first, which a file
    // system reports before it looks at share modes (fastfat's FatOpenExistingFcb).
    struct stat target_status;
    if (stat(to_linux.c_str(), &target_status) == 0 && target_status.st_dev == status.st_dev &&
        target_status.st_ino == status.st_ino) {
        CloseHandle(source);
        return fail((flags & COPY_FILE_FAIL_IF_EXISTS) ? ERROR_FILE_EXISTS : ERROR_SHARING_VIOLATION, FALSE);
    }
    DWORD disposition = (flags & COPY_FILE_FAIL_IF_EXISTS) ? CREATE_NEW : CREATE_ALWAYS;
    // With DELETE when the target's other openers allow it, so that a cancelled copy can
    // remove what it made; without it, a cancelled copy leaves the target.
    bool can_delete = true;
    HANDLE destination = CreateFileA(to.c_str(), GENERIC_WRITE | DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                     disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (destination == INVALID_HANDLE_VALUE && GetLastError() == ERROR_SHARING_VIOLATION) {
        can_delete = false;
        destination = CreateFileA(to.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, disposition,
                                  FILE_ATTRIBUTE_NORMAL, nullptr);
    }
    if (destination == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        CloseHandle(source);
        return fail(error, FALSE);
    }
    int out = descriptor_of(destination);

    LARGE_INTEGER total, done, stream_size;
    total.QuadPart = status.st_size;
    stream_size.QuadPart = status.st_size;
    done.QuadPart = 0;
    DWORD error = ERROR_SUCCESS;
    bool remove = false;
    uint64_t chunk_number = 0, chunk_size = 0;  // for CopyFile2's messages
    bool paused = false;
    PCOPYFILE2_PROGRESS_ROUTINE routine2 = copy2 != nullptr ? copy2->routine : nullptr;
    // CopyFile2's message for CopyFileEx's reason (or the two CopyFileEx lacks).
    auto ask2 = [&](COPYFILE2_MESSAGE_TYPE type) {
        COPYFILE2_MESSAGE message;
        memset(&message, 0, sizeof message);
        message.Type = type;
        switch (type) {
        case COPYFILE2_CALLBACK_STREAM_STARTED:
            message.Info.StreamStarted.dwStreamNumber = 1;
            message.Info.StreamStarted.hSourceFile = source;
            message.Info.StreamStarted.hDestinationFile = destination;
            message.Info.StreamStarted.uliStreamSize.QuadPart = static_cast<ULONGLONG>(stream_size.QuadPart);
            message.Info.StreamStarted.uliTotalFileSize.QuadPart = static_cast<ULONGLONG>(total.QuadPart);
            break;
        case COPYFILE2_CALLBACK_CHUNK_STARTED:
            message.Info.ChunkStarted.dwStreamNumber = 1;
            message.Info.ChunkStarted.hSourceFile = source;
            message.Info.ChunkStarted.hDestinationFile = destination;
            message.Info.ChunkStarted.uliChunkNumber.QuadPart = chunk_number;
            message.Info.ChunkStarted.uliChunkSize.QuadPart = chunk_size;
            message.Info.ChunkStarted.uliStreamSize.QuadPart = static_cast<ULONGLONG>(stream_size.QuadPart);
            message.Info.ChunkStarted.uliTotalFileSize.QuadPart = static_cast<ULONGLONG>(total.QuadPart);
            break;
        case COPYFILE2_CALLBACK_CHUNK_FINISHED:
            message.Info.ChunkFinished.dwStreamNumber = 1;
            message.Info.ChunkFinished.hSourceFile = source;
            message.Info.ChunkFinished.hDestinationFile = destination;
            message.Info.ChunkFinished.uliChunkNumber.QuadPart = chunk_number;
            message.Info.ChunkFinished.uliChunkSize.QuadPart = chunk_size;
            message.Info.ChunkFinished.uliStreamSize.QuadPart = static_cast<ULONGLONG>(stream_size.QuadPart);
            message.Info.ChunkFinished.uliStreamBytesTransferred.QuadPart = static_cast<ULONGLONG>(done.QuadPart);
            message.Info.ChunkFinished.uliTotalFileSize.QuadPart = static_cast<ULONGLONG>(total.QuadPart);
            message.Info.ChunkFinished.uliTotalBytesTransferred.QuadPart = static_cast<ULONGLONG>(done.QuadPart);
            break;
        default:  // COPYFILE2_CALLBACK_STREAM_FINISHED
            message.Info.StreamFinished.dwStreamNumber = 1;
            message.Info.StreamFinished.hSourceFile = source;
            message.Info.StreamFinished.hDestinationFile = destination;
            message.Info.StreamFinished.uliStreamSize.QuadPart = static_cast<ULONGLONG>(stream_size.QuadPart);
            message.Info.StreamFinished.uliStreamBytesTransferred.QuadPart = static_cast<ULONGLONG>(done.QuadPart);
            message.Info.StreamFinished.uliTotalFileSize.QuadPart = static_cast<ULONGLONG>(total.QuadPart);
            message.Info.StreamFinished.uliTotalBytesTransferred.QuadPart = static_cast<ULONGLONG>(done.QuadPart);
            break;
        }
        COPYFILE2_MESSAGE_ACTION answer = routine2(&message, copy2->context);
        if (answer == COPYFILE2_PROGRESS_QUIET) routine2 = nullptr;
        if (answer == COPYFILE2_PROGRESS_CANCEL || answer == COPYFILE2_PROGRESS_STOP || answer == COPYFILE2_PROGRESS_PAUSE) {
            // Cancel removes the target; stop and pause keep it (a paused copy is resumed
            // with COPY_FILE_RESUME_FROM_PAUSE and answers ERROR_REQUEST_PAUSED).
            paused = answer == COPYFILE2_PROGRESS_PAUSE;
            error = paused ? ERROR_REQUEST_PAUSED : ERROR_REQUEST_ABORTED;
            remove = answer == COPYFILE2_PROGRESS_CANCEL;
            return false;
        }
        return true;
    };
    // `reason`: CALLBACK_STREAM_SWITCH or CALLBACK_CHUNK_FINISHED, or for CopyFile2 alone
    // (CopyFileEx's routine has no such calls) a chunk's start or the stream's end.
    constexpr DWORD kChunkStarted = 0x100, kStreamFinished = 0x101;
    auto ask = [&](DWORD reason) {
        if (copy2 != nullptr) {
            if (routine2 == nullptr) return true;
            switch (reason) {
            case CALLBACK_STREAM_SWITCH: return ask2(COPYFILE2_CALLBACK_STREAM_STARTED);
            case CALLBACK_CHUNK_FINISHED: return ask2(COPYFILE2_CALLBACK_CHUNK_FINISHED);
            case kChunkStarted: return ask2(COPYFILE2_CALLBACK_CHUNK_STARTED);
            default: return ask2(COPYFILE2_CALLBACK_STREAM_FINISHED);
            }
        }
        if (progress == nullptr || reason == kChunkStarted || reason == kStreamFinished) return true;
        DWORD answer = progress(total, done, stream_size, done, 1, reason, source, destination, data);
        if (answer == PROGRESS_QUIET) progress = nullptr;
        if (answer == PROGRESS_CANCEL || answer == PROGRESS_STOP) {
            error = ERROR_REQUEST_ABORTED;
            remove = answer == PROGRESS_CANCEL;
            return false;
        }
        return true;
    };
    auto cancelled = [&] {
        if (cancel == nullptr || !*reinterpret_cast<volatile BOOL*>(cancel)) return false;
        error = ERROR_REQUEST_ABORTED;
        remove = true;
        return true;
    };
    // A size of 0 may be a file that does not know its size (procfs, sysfs): read it to
    // its end with read/write (copy_file_range would stop at the reported size).
    const bool unknown_size = status.st_size == 0;
    bool plain = out < 0 || unknown_size;
    if (out < 0) error = ERROR_INVALID_HANDLE;
    if (error == ERROR_SUCCESS && !cancelled() && ask(CALLBACK_STREAM_SWITCH)) {
        while (unknown_size || done.QuadPart < total.QuadPart) {
            if (cancelled()) break;
            size_t want = unknown_size ? kChunk : static_cast<size_t>(total.QuadPart - done.QuadPart);
            if (want > kChunk) want = kChunk;
            chunk_size = want;
            if (!ask(kChunkStarted)) break;
            ssize_t n = copy_chunk(in, out, static_cast<off_t>(done.QuadPart), want, &plain);
            if (n < 0) {
                error = win32_error_from_errno(errno);
                remove = true;
                break;
            }
            if (n == 0) break;  // the source shrank, or a file of unknown size ended
            done.QuadPart += n;
            if (total.QuadPart < done.QuadPart) total.QuadPart = stream_size.QuadPart = done.QuadPart;
            chunk_size = static_cast<uint64_t>(n);
            if (!ask(CALLBACK_CHUNK_FINISHED)) break;
            ++chunk_number;
        }
        if (error == ERROR_SUCCESS) {
            ask(kStreamFinished);
        } else if (paused && routine2 != nullptr) {
            // A pause ends the stream with its message, then the call fails (Microsoft
            // Learn, COPYFILE2_MESSAGE_ACTION: COPYFILE2_PROGRESS_PAUSE).
            ask2(COPYFILE2_CALLBACK_STREAM_FINISHED);
            error = ERROR_REQUEST_PAUSED;
            remove = false;
        }
    }
    if (error == ERROR_SUCCESS) {
        // As Windows: the attributes (read-only: the permission bits) and the last write time.
        timespec times[2];
        times[0].tv_nsec = UTIME_OMIT;
        times[1] = status.st_mtim;
        futimens(out, times);
        fchmod(out, status.st_mode & 07777);
        // MoveFileEx's MOVEFILE_WRITE_THROUGH: the copy is on the disk before the source
        // goes.
        if (write_through && fsync(out) != 0) {
            error = win32_error_from_errno(errno);
            remove = true;
        }
    }
    CloseHandle(destination);
    CloseHandle(source);
    if (error != ERROR_SUCCESS) {
        if (remove && can_delete) DeleteFileA(to.c_str());
        return fail(error, FALSE);
    }
    win32::set_last_error(ERROR_SUCCESS);
    return TRUE;
}

}  // namespace

namespace overlapped::win32 {
BOOL copy_for_move(const char* existing, const char* target, LPPROGRESS_ROUTINE progress, void* data, bool replace,
                   bool write_through)
{
    return copy_file(existing, target, progress, data, nullptr, replace ? 0 : COPY_FILE_FAIL_IF_EXISTS, write_through);
}
BOOL copy_for_move(const WCHAR* existing, const WCHAR* target, LPPROGRESS_ROUTINE progress, void* data, bool replace,
                   bool write_through)
{
    return copy_file(existing, target, progress, data, nullptr, replace ? 0 : COPY_FILE_FAIL_IF_EXISTS, write_through);
}
}  // namespace overlapped::win32

extern "C" {

BOOL WINAPI CopyFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, BOOL bFailIfExists)
{
    return copy_file(lpExistingFileName, lpNewFileName, nullptr, nullptr, nullptr,
                     bFailIfExists ? COPY_FILE_FAIL_IF_EXISTS : 0);
}
BOOL WINAPI CopyFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, BOOL bFailIfExists)
{
    return copy_file(lpExistingFileName, lpNewFileName, nullptr, nullptr, nullptr,
                     bFailIfExists ? COPY_FILE_FAIL_IF_EXISTS : 0);
}
BOOL WINAPI CopyFileExA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, LPPROGRESS_ROUTINE lpProgressRoutine,
                        LPVOID lpData, LPBOOL pbCancel, DWORD dwCopyFlags)
{
    return copy_file(lpExistingFileName, lpNewFileName, lpProgressRoutine, lpData, pbCancel, dwCopyFlags);
}
BOOL WINAPI CopyFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, LPPROGRESS_ROUTINE lpProgressRoutine,
                        LPVOID lpData, LPBOOL pbCancel, DWORD dwCopyFlags)
{
    return copy_file(lpExistingFileName, lpNewFileName, lpProgressRoutine, lpData, pbCancel, dwCopyFlags);
}

// CopyFile2: CopyFileEx with an HRESULT, its flags and cancel flag in
// COPYFILE2_EXTENDED_PARAMETERS (optional; a dwSize smaller than the structure is
// E_INVALIDARG), and a progress routine that gets messages: a stream's start, each chunk's
// start and end, the stream's end. The failure is also the last error (Wine's kernel32
// file.c test_CopyFile2, on Windows: HRESULT_FROM_WIN32(ERROR_FILE_EXISTS) and
// GetLastError() ERROR_FILE_EXISTS, the share rules of CopyFile).
HRESULT WINAPI CopyFile2(PCWSTR pwszExistingFileName, PCWSTR pwszNewFileName,
                         COPYFILE2_EXTENDED_PARAMETERS* pExtendedParameters)
{
    DWORD flags = 0;
    BOOL* cancel = nullptr;
    Copy2Progress progress{nullptr, nullptr};
    if (pExtendedParameters != nullptr) {
        // Smaller than the structure: E_INVALIDARG. Larger (Windows 11's
        // COPYFILE2_EXTENDED_PARAMETERS_V2): its first members are these, the rest unused.
        if (pExtendedParameters->dwSize < sizeof(COPYFILE2_EXTENDED_PARAMETERS)) {
            win32::set_last_error(ERROR_INVALID_PARAMETER);
            return E_INVALIDARG;
        }
        flags = pExtendedParameters->dwCopyFlags;
        cancel = pExtendedParameters->pfCancel;
        progress.routine = pExtendedParameters->pProgressRoutine;
        progress.context = pExtendedParameters->pvCallbackContext;
    }
    if (copy_file(pwszExistingFileName, pwszNewFileName, nullptr, nullptr, cancel, flags, false, &progress))
        return S_OK;
    return HRESULT_FROM_WIN32(GetLastError());
}

}  // extern "C"
