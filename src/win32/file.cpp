// file.cpp: the file functions: CreateFile, the transfers (synchronous and overlapped,
// ReadFileEx/WriteFileEx, scatter/gather), sizes and the file pointer, attributes and
// directories. Arguments and last errors here; the work in drivers/file and io/.
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "drivers/namespace.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"
#include "win32/console_open.h"
#include "win32/devices.h"
#include "win32/mailslot.h"
#include "win32/volume.h"
#include "win32/wait_request.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace overlapped::win32 {
HANDLE pipe_create_file(const std::string& name, DWORD access, DWORD disposition, DWORD flags,
                        LPSECURITY_ATTRIBUTES attributes);  // pipe.cpp
}

namespace {

HANDLE create_file(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                   LPSECURITY_ATTRIBUTES attributes)
{
    drivers::NameKind kind;
    if (drivers::is_device_name(name, &kind)) {
        // kernelbase's CreateFile maps the disposition to NtCreateFile's before it opens
        // anything, and refuses one it has no mapping for (Microsoft Learn, CreateFileA:
        // dwCreationDisposition "must be one of the following values"), so a pipe or a
        // mailslot client is not opened with it (Wine agrees, on both).
        if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING)
            return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
        if (kind == drivers::NameKind::Pipe) return win32::pipe_create_file(name, access, disposition, flags, attributes);
        // src/win32/mailslot.cpp
        return win32::create_mailslot_client(name, access, disposition, flags, attributes);
    }
    HANDLE device_handle;
    if (win32::open_named_device(name, access, share, disposition, flags, attributes, &device_handle))
        return device_handle;  // src/win32/devices.cpp
    std::string path;
    if (DWORD error = drivers::file_linux_path(name, &path)) return fail(error, INVALID_HANDLE_VALUE);
    bool existed = false;
    DWORD error;
    drivers::FileDevice* device = drivers::FileDevice::open(path, access, share, disposition, flags, &existed, &error);
    if (device == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    DWORD handle_flags = win32::inherit_flags(attributes);
    // kernelbase's CreateFile asks NtCreateFile for SYNCHRONIZE and FILE_READ_ATTRIBUTES
    // besides what the caller asked for: any file handle can be waited on (so
    // GetOverlappedResult with no event waits on it) and can read its times and size,
    // FILE_APPEND_DATA or FILE_READ_DATA alone included.
    ACCESS_MASK granted = io::map_generic_file_access(access) | SYNCHRONIZE | FILE_READ_ATTRIBUTES |
                          ((flags & FILE_FLAG_DELETE_ON_CLOSE) ? DELETE : 0);
    HANDLE handle = kernel::handle_create(device, granted, handle_flags, &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    bool reports_existing = existed && (disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS);
    set_last_error(reports_existing ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

// The file behind `handle` with a reference, checked for any of `access` (0: none
// needed), or nullptr with *error.
drivers::FileDevice* reference_file(HANDLE handle, ACCESS_MASK access, DWORD* error)
{
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::File, 0, &granted, error);
    if (object == nullptr) return nullptr;
    if (access != 0) {
        if ((granted & access) == 0) {
            object->release_reference();
            *error = ERROR_ACCESS_DENIED;
            return nullptr;
        }
    }
    return static_cast<drivers::FileDevice*>(object);
}

uint64_t offset_of(const OVERLAPPED* overlapped)
{
    return (static_cast<uint64_t>(overlapped->OffsetHigh) << 32) | overlapped->Offset;
}

// The argument checks of a transfer, once the handle is known to be good.
DWORD check_transfer(bool write, const void* buffer, const FILE_SEGMENT_ELEMENT* segments, DWORD length,
                     const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine, bool ex)
{
    if (segments == nullptr && buffer == nullptr && length != 0) return write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS;
    if ((ex || segments != nullptr) && overlapped == nullptr) return ERROR_INVALID_PARAMETER;
    if (ex && routine == nullptr) return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

// The OVERLAPPED offsets past 2^63 (negative as NtReadFile/NtWriteFile's LARGE_INTEGER)
// on a file: 0xFFFFFFFF'FFFFFFFF (FILE_WRITE_TO_END_OF_FILE) has a write land at the end
// of the file; 0xFFFFFFFF'FFFFFFFE (FILE_USE_FILE_POINTER_POSITION) has a handle without
// FILE_FLAG_OVERLAPPED use its file pointer (*use_pointer); any other, and these two where
// they do not apply, fail at once with ERROR_INVALID_PARAMETER (Wine's ntdll test
// test_read_write, which passes on Windows; Microsoft Learn, WriteFile: "To write to the
// end of file, specify both the Offset and OffsetHigh members ... as 0xFFFFFFFF").
constexpr uint64_t kWriteToEndOfFile = ~0ULL;
constexpr uint64_t kUseFilePointer = ~0ULL - 1;

DWORD check_file_offset(io::Device* file, bool write, io::Transfer* request, bool* use_pointer)
{
    if ((request->offset >> 63) == 0 || file->type() != kernel::ObjectType::File) return ERROR_SUCCESS;
    // Only a file system's file has a position (not a FIFO or a character device, such
    // as NUL, opened by name: the offset means nothing to them, and is dropped).
    if (static_cast<drivers::FileDevice*>(file)->type() != FILE_TYPE_DISK) {
        request->offset = 0;
        return ERROR_SUCCESS;
    }
    if (write && request->offset == kWriteToEndOfFile) {
        request->append = true;
        request->offset = 0;
        return ERROR_SUCCESS;
    }
    if (request->offset == kUseFilePointer && !file->overlapped_io()) {
        *use_pointer = true;
        request->offset = 0;
        return ERROR_SUCCESS;
    }
    return ERROR_INVALID_PARAMETER;
}

// What ReadFile and its kin return for io::submit's answer.
BOOL submitted(const io::Submitted& result, LPDWORD transferred, bool ex)
{
    if (result.error == ERROR_SUCCESS) {
        // Finished at once (and delivered): ReadFile returns TRUE with the byte count, or
        // FALSE with a warning's error (ERROR_MORE_DATA) and no count: the count is in
        // the OVERLAPPED (GetOverlappedResult), as kernelbase leaves it for any FALSE on
        // an overlapped handle (Wine's ReadFile, ReactOS' too).
        if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
        if (transferred != nullptr) *transferred = result.bytes;
        set_last_error(ERROR_SUCCESS);
        return TRUE;
    }
    if (result.error != ERROR_IO_PENDING) return fail(result.error, FALSE);
    if (!ex) return fail(ERROR_IO_PENDING, FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;  // ReadFileEx/WriteFileEx: TRUE while the request runs
}

// ReadFile, WriteFile, ReadFileEx, WriteFileEx, ReadFileScatter, WriteFileGather.
BOOL transfer(HANDLE handle, bool write, void* buffer, const FILE_SEGMENT_ELEMENT* segments, DWORD length,
              LPDWORD transferred, LPOVERLAPPED overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine, bool ex)
{
    if (transferred != nullptr) *transferred = 0;
    // A request refused at once leaves Internal at STATUS_PENDING (HasOverlappedIoCompleted
    // is false), as Wine's conformance tests record (pipe.c test_ReadFile).
    io::mark_pending(overlapped);
    DWORD error;
    ACCESS_MASK access = write ? (FILE_WRITE_DATA | FILE_APPEND_DATA) : FILE_READ_DATA;
    io::Transfer request;
    request.write = write;
    request.buffer = buffer;
    request.length = length;
    request.segments = segments;
    if (overlapped != nullptr) request.offset = offset_of(overlapped);

    // The lookup leaves the file locked. An overlapped request with no event to look up
    // first is submitted under that same lock (one lock, no reference of our own);
    // anything else takes a reference and lets the lock go.
    ACCESS_MASK granted = 0;
    io::Device* file = io::device_lock(handle, 0, &error, &granted);
    if (file == nullptr) return fail(error, FALSE);
    // A pipe request that fails at once leaves the OVERLAPPED as marked above: nothing is
    // written to it, no event set (Wine's kernel32 pipe test, run on Windows: a
    // disconnected pipe's ReadFile and WriteFile leave Internal STATUS_PENDING and
    // InternalHigh as it was, on a synchronous handle too).
    bool pipe = file->type() == kernel::ObjectType::Pipe;
    error = (granted & access) == 0 ? ERROR_ACCESS_DENIED
                                    : check_transfer(write, buffer, segments, length, overlapped, routine, ex);
    bool use_pointer = false;  // FILE_USE_FILE_POINTER_POSITION
    // A write's missing buffer is found by the file system's copy (ERROR_INVALID_USER_BUFFER),
    // a read's by the I/O manager's probe before it takes the event (ERROR_NOACCESS).
    bool refused_past_event = error == ERROR_INVALID_USER_BUFFER;
    if (error == ERROR_SUCCESS && overlapped != nullptr) {
        error = check_file_offset(file, write, &request, &use_pointer);
        refused_past_event = error != ERROR_SUCCESS;
    }
    if (error == ERROR_SUCCESS && file->overlapped_io() && overlapped != nullptr &&
        io::request_event(overlapped, routine) == nullptr)
        return submitted(io::submit_and_unlock(file, request, overlapped, routine, nullptr), transferred, ex);
    if (error == ERROR_SUCCESS) file->add_reference();
    file->lock.unlock();
    if (error != ERROR_SUCCESS) {
        // The I/O manager resets the request's event before it looks at the offset or the
        // file system copies the data, so those refusals leave the event reset, as any
        // request that fails past the handle and access checks does (Wine's ntdll pipe.c
        // read_pipe_test, on Windows: a read of a broken pipe resets the event, one through
        // a closed handle does not).
        if (refused_past_event && overlapped != nullptr) io::reset_request_event(overlapped, routine);
        return fail(error, FALSE);
    }
    struct Release {
        io::Device* file;
        ~Release() { file->release_reference(); }
    } release{file};

    if (file->overlapped_io()) {
        if (overlapped == nullptr) {
            // A file's overlapped handle needs an OVERLAPPED for its offset; a pipe's or a
            // socket's has none, and the call waits for its request (Wine's ntdll pipe.c
            // test_completion writes to overlapped pipe ends so, on Windows). So does a
            // mailslot's server end (always asynchronous): its read is a request queued
            // behind the reads issued before it, as Windows queues it, and
            // CancelSynchronousIo ends it.
            bool mailslot = file->type() == kernel::ObjectType::Mailslot;
            if (!pipe && !mailslot && file->type() != kernel::ObjectType::Socket)
                return fail(ERROR_INVALID_PARAMETER, FALSE);
            io::Submitted result = mailslot ? win32::submit_and_wait_cancellable(handle, file, request)
                                            : win32::submit_and_wait(handle, file, request);
            if (result.error != ERROR_SUCCESS) return fail(result.error, FALSE);
            // The count comes with a warning too (ERROR_MORE_DATA), as kernelbase gives it
            // when it has no OVERLAPPED to leave it in.
            if (transferred != nullptr) *transferred = result.bytes;
            if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
            set_last_error(ERROR_SUCCESS);
            return TRUE;
        }
        return submitted(io::submit(file, request, overlapped, routine), transferred, ex);
    }

    // A synchronous handle: the transfer runs now, on this thread.
    if (segments != nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);  // scatter/gather is asynchronous only
    DWORD done = 0;
    bool at_offset = overlapped != nullptr && !use_pointer;
    if (pipe) {
        // A pipe end's state can fail the request at once: the handle stays unsignalled,
        // the OVERLAPPED pending (pipe_sync_issue).
        if (DWORD refused = win32::pipe_sync_issue(file, overlapped, routine, write, false))
            return fail(refused, FALSE);
    } else {
        io::synchronous_issue(file, overlapped, routine);
    }
    error = io::run_synchronous([&] { return file->transfer_sync(request, at_offset, &done); });
    io::synchronous_end(file);
    // A read given an OVERLAPPED reports the end of the file, at the file pointer too
    // (kernelbase turns STATUS_END_OF_FILE into ERROR_HANDLE_EOF whenever it has one).
    if (use_pointer && !write && error == ERROR_SUCCESS && done == 0 && length != 0) error = ERROR_HANDLE_EOF;
    // ERROR_INVALID_PARAMETER and ERROR_NOACCESS are the I/O manager's refusals before any
    // transfer (FILE_FLAG_NO_BUFFERING's alignment, the probe of a read's buffer): nothing
    // completes, the OVERLAPPED stays pending and its event unset, as for an overlapped
    // handle's request refused at once.
    if (overlapped != nullptr && error != ERROR_INVALID_PARAMETER && error != ERROR_NOACCESS) {
        if (pipe) {
            win32::complete_pipe_sync(file, overlapped, error, done, routine);
        } else {
            DWORD status = error == ERROR_SUCCESS ? STATUS_SUCCESS : ntstatus_from_win32_error(error);
            io::complete_synchronously(file, overlapped, status, done, routine);
        }
    }
    // With an OVERLAPPED, kernelbase gives the count only when the request succeeded: a
    // warning's count (ERROR_MORE_DATA) is in the OVERLAPPED (Wine's kernel32 pipe test,
    // run on Windows, for a synchronous handle).
    if (transferred != nullptr) *transferred = overlapped != nullptr && error != ERROR_SUCCESS ? 0 : done;
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// A Win32 name to its Linux path; false with the last error set.
bool linux_path(const char* name, std::string* path)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, false);
    if (DWORD error = drivers::file_linux_path(name, path)) return fail(error, false);
    return true;
}

bool linux_path(const WCHAR* name, std::string* path)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, false);
    return linux_path(win32::utf8_from_utf16(name).c_str(), path);
}

template <class Char>
BOOL delete_file(const Char* name)
{
    std::string path;
    if (!linux_path(name, &path)) return FALSE;
    if (DWORD error = drivers::file_delete(path)) return fail(error, FALSE);
    return TRUE;
}

template <class Char>
BOOL create_directory(const Char* name)
{
    std::string path;
    if (!linux_path(name, &path)) return FALSE;
    if (DWORD error = drivers::directory_create(path)) return fail(error, FALSE);
    return TRUE;
}

template <class Char>
BOOL remove_directory(const Char* name)
{
    std::string path;
    if (!linux_path(name, &path)) return FALSE;
    if (DWORD error = drivers::directory_remove(path)) return fail(error, FALSE);
    return TRUE;
}

template <class Char>
DWORD get_attributes(const Char* name)
{
    std::string path;
    if (!linux_path(name, &path)) return INVALID_FILE_ATTRIBUTES;
    DWORD error = ERROR_SUCCESS;
    DWORD attributes = drivers::file_attributes(path, &error);
    if (attributes == INVALID_FILE_ATTRIBUTES) return fail(error, INVALID_FILE_ATTRIBUTES);
    return attributes;
}

template <class Char>
DWORD compressed_size(const Char* name, LPDWORD high)
{
    std::string path;
    if (!linux_path(name, &path)) return INVALID_FILE_SIZE;
    ULONGLONG size = 0;
    if (DWORD error = drivers::file_allocated_size(path, &size)) return fail(error, INVALID_FILE_SIZE);
    if (high != nullptr) *high = static_cast<DWORD>(size >> 32);
    // A low part equal to INVALID_FILE_SIZE is told from a failure by NO_ERROR; any
    // other success leaves the last error as it was (Microsoft Learn,
    // GetCompressedFileSizeW; Wine's kernelbase does the same).
    if (static_cast<DWORD>(size) == INVALID_FILE_SIZE) set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(size);
}

// Runs `call(file)` on the file behind `handle`; the last error on failure.
template <class Call>
BOOL with_file(HANDLE handle, ACCESS_MASK access, Call call)
{
    DWORD error;
    drivers::FileDevice* file = reference_file(handle, access, &error);
    if (file == nullptr) return fail(error, FALSE);
    error = call(file);
    file->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" {

HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE)
{
    if (lpFileName == nullptr) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    return create_file(lpFileName, dwDesiredAccess, dwShareMode, dwCreationDisposition, dwFlagsAndAttributes,
                       lpSecurityAttributes);
}

HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE)
{
    if (lpFileName == nullptr) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    return create_file(win32::utf8_from_utf16(lpFileName), dwDesiredAccess, dwShareMode, dwCreationDisposition,
                       dwFlagsAndAttributes, lpSecurityAttributes);
}

// CreateFile2 takes the attributes and the flags in separate fields and keeps only what
// belongs in each (kernelbase masks them): a FILE_FLAG_* given as an attribute is
// dropped, so FILE_FLAG_BACKUP_SEMANTICS there does not open a directory (Wine's kernel32
// test_CreateFile2, which passes on Windows; Wine 8 agrees).
HANDLE WINAPI CreateFile2(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode, DWORD dwCreationDisposition,
                          LPCREATEFILE2_EXTENDED_PARAMETERS pCreateExParams)
{
    constexpr DWORD kAttributes = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |
                                  FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_TEMPORARY |
                                  FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_ENCRYPTED | 0x00008000 /* INTEGRITY_STREAM */;
    constexpr DWORD kFlags = FILE_FLAG_WRITE_THROUGH | FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING |
                             FILE_FLAG_RANDOM_ACCESS | FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_DELETE_ON_CLOSE |
                             FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_POSIX_SEMANTICS |
                             0x00200000 /* OPEN_REPARSE_POINT */ | 0x00100000 /* OPEN_NO_RECALL */ |
                             0x00040000 /* OPEN_REQUIRING_OPLOCK */;
    DWORD flags = 0;
    LPSECURITY_ATTRIBUTES security = nullptr;
    HANDLE template_file = nullptr;
    if (pCreateExParams != nullptr) {
        flags = (pCreateExParams->dwFileAttributes & kAttributes) | (pCreateExParams->dwFileFlags & kFlags) |
                pCreateExParams->dwSecurityQosFlags;
        security = pCreateExParams->lpSecurityAttributes;
        template_file = pCreateExParams->hTemplateFile;
    }
    return CreateFileW(lpFileName, dwDesiredAccess, dwShareMode, security, dwCreationDisposition, flags,
                       template_file);
}

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                     LPOVERLAPPED lpOverlapped)
{
    return transfer(hFile, false, lpBuffer, nullptr, nNumberOfBytesToRead, lpNumberOfBytesRead, lpOverlapped,
                    nullptr, false);
}

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPDWORD lpNumberOfBytesWritten,
                      LPOVERLAPPED lpOverlapped)
{
    return transfer(hFile, true, const_cast<void*>(lpBuffer), nullptr, nNumberOfBytesToWrite, lpNumberOfBytesWritten,
                    lpOverlapped, nullptr, false);
}

BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPOVERLAPPED lpOverlapped,
                       LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return transfer(hFile, false, lpBuffer, nullptr, nNumberOfBytesToRead, nullptr, lpOverlapped,
                    lpCompletionRoutine, true);
}

BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPOVERLAPPED lpOverlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return transfer(hFile, true, const_cast<void*>(lpBuffer), nullptr, nNumberOfBytesToWrite, nullptr, lpOverlapped,
                    lpCompletionRoutine, true);
}

BOOL WINAPI ReadFileScatter(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToRead,
                            LPDWORD, LPOVERLAPPED lpOverlapped)
{
    if (aSegmentArray == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return transfer(hFile, false, nullptr, aSegmentArray, nNumberOfBytesToRead, nullptr, lpOverlapped, nullptr,
                    false);
}

BOOL WINAPI WriteFileGather(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToWrite,
                            LPDWORD, LPOVERLAPPED lpOverlapped)
{
    if (aSegmentArray == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return transfer(hFile, true, nullptr, aSegmentArray, nNumberOfBytesToWrite, nullptr, lpOverlapped, nullptr,
                    false);
}

BOOL WINAPI DeleteFileA(LPCSTR lpFileName) { return delete_file(lpFileName); }
BOOL WINAPI DeleteFileW(LPCWSTR lpFileName) { return delete_file(lpFileName); }
BOOL WINAPI CreateDirectoryA(LPCSTR lpPathName, LPSECURITY_ATTRIBUTES) { return create_directory(lpPathName); }
BOOL WINAPI CreateDirectoryW(LPCWSTR lpPathName, LPSECURITY_ATTRIBUTES) { return create_directory(lpPathName); }
BOOL WINAPI RemoveDirectoryA(LPCSTR lpPathName) { return remove_directory(lpPathName); }
BOOL WINAPI RemoveDirectoryW(LPCWSTR lpPathName) { return remove_directory(lpPathName); }
DWORD WINAPI GetFileAttributesA(LPCSTR lpFileName) { return get_attributes(lpFileName); }
DWORD WINAPI GetFileAttributesW(LPCWSTR lpFileName) { return get_attributes(lpFileName); }
DWORD WINAPI GetCompressedFileSizeA(LPCSTR lpFileName, LPDWORD lpFileSizeHigh)
{
    return compressed_size(lpFileName, lpFileSizeHigh);
}
DWORD WINAPI GetCompressedFileSizeW(LPCWSTR lpFileName, LPDWORD lpFileSizeHigh)
{
    return compressed_size(lpFileName, lpFileSizeHigh);
}

BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize)
{
    if (lpFileSize == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    BOOL piped;
    if (win32::pipe_size(hFile, lpFileSize, &piped)) return piped;  // a pipe end: the bytes to read
    DWORD error;
    if (kernel::Object* console = kernel::handle_reference(hFile, kernel::ObjectType::Console, 0, &error)) {
        // A console buffer has no size: ERROR_INVALID_FUNCTION, as Windows answers (Wine's
        // conformance test dlls/kernel32/tests/console.c, test_file_info).
        console->release_reference();
        return fail(ERROR_INVALID_FUNCTION, FALSE);
    }
    return with_file(hFile, 0, [&](drivers::FileDevice* file) {
        LONGLONG size = 0;
        DWORD error = file->size(&size);
        if (error == ERROR_SUCCESS) lpFileSize->QuadPart = size;
        return error;
    });
}

DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(hFile, &size)) return INVALID_FILE_SIZE;
    if (lpFileSizeHigh != nullptr) *lpFileSizeHigh = static_cast<DWORD>(static_cast<ULONGLONG>(size.QuadPart) >> 32);
    // Only a real low part equal to INVALID_FILE_SIZE clears the last error (to tell it
    // from a failure); other successes leave it as it was, as Windows and Wine do.
    if (static_cast<DWORD>(size.QuadPart) == INVALID_FILE_SIZE) set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(size.QuadPart);
}

BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove, PLARGE_INTEGER lpNewFilePointer,
                             DWORD dwMoveMethod)
{
    BOOL on_drive, piped;
    if (win32::drive_set_pointer(hFile, liDistanceToMove.QuadPart, dwMoveMethod, lpNewFilePointer, &on_drive))
        return on_drive;
    if (win32::pipe_set_pointer(hFile, liDistanceToMove.QuadPart, dwMoveMethod, lpNewFilePointer, &piped))
        return piped;
    return with_file(hFile, 0, [&](drivers::FileDevice* file) {
        LONGLONG position = 0;
        DWORD error = file->seek(liDistanceToMove.QuadPart, dwMoveMethod, &position);
        if (error == ERROR_SUCCESS && lpNewFilePointer != nullptr) lpNewFilePointer->QuadPart = position;
        return error;
    });
}

DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod)
{
    LARGE_INTEGER distance, position;
    if (lpDistanceToMoveHigh != nullptr)
        distance.QuadPart = static_cast<LONGLONG>((static_cast<ULONGLONG>(static_cast<DWORD>(*lpDistanceToMoveHigh)) << 32) |
                                                  static_cast<DWORD>(lDistanceToMove));
    else
        distance.QuadPart = lDistanceToMove;
    // Without a high part the new position must fit in 32 bits, or the call fails and the
    // pointer stays where it was (Microsoft Learn, SetFilePointer; Windows' kernel32 checks
    // the position before it sets it, as ReactOS' does). Only a move from the current
    // position or the end can get there (the distance is then a signed 32-bit value): the
    // position it started from is kept to be put back.
    LARGE_INTEGER before;
    before.QuadPart = -1;
    if (lpDistanceToMoveHigh == nullptr && dwMoveMethod != FILE_BEGIN) {
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        if (!SetFilePointerEx(hFile, zero, &before, FILE_CURRENT)) return INVALID_SET_FILE_POINTER;
    }
    if (!SetFilePointerEx(hFile, distance, &position, dwMoveMethod)) return INVALID_SET_FILE_POINTER;
    if (lpDistanceToMoveHigh != nullptr) {
        *lpDistanceToMoveHigh = static_cast<LONG>(static_cast<ULONGLONG>(position.QuadPart) >> 32);
    } else if (position.QuadPart > 0xFFFFFFFFLL) {
        if (before.QuadPart >= 0) SetFilePointerEx(hFile, before, nullptr, FILE_BEGIN);
        return fail(ERROR_INVALID_PARAMETER, INVALID_SET_FILE_POINTER);
    }
    // A real low part equal to INVALID_SET_FILE_POINTER is told from a failure by
    // NO_ERROR; other successes leave the last error as it was (Microsoft Learn,
    // SetFilePointer: success is any other return value, GetLastError need not be
    // called; The Old New Thing, "How to check for errors from SetFilePointer"; Wine and
    // ReactOS clear it only then).
    if (static_cast<DWORD>(position.QuadPart) == INVALID_SET_FILE_POINTER) set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(position.QuadPart);
}

BOOL WINAPI SetEndOfFile(HANDLE hFile)
{
    return with_file(hFile, FILE_WRITE_DATA, [](drivers::FileDevice* file) { return file->set_end_of_file(); });
}

BOOL WINAPI SetFileValidData(HANDLE hFile, LONGLONG ValidDataLength)
{
    return with_file(hFile, FILE_WRITE_DATA,
                     [&](drivers::FileDevice* file) { return file->set_valid_data(ValidDataLength); });
}

BOOL WINAPI FlushFileBuffers(HANDLE hFile)
{
    BOOL on_drive;
    if (win32::drive_flush(hFile, &on_drive)) return on_drive;
    BOOL drained;
    if (win32::flush_serial_port(hFile, &drained)) return drained;  // a COM port: drains its output
    if (win32::flush_pipe(hFile, &drained)) return drained;  // a pipe end: waits for the reader
    if (win32::flush_mailslot(hFile, &drained)) return drained;
    if (win32::flush_console(hFile, &drained)) return drained;  // the input buffer: its input dropped
    return with_file(hFile, FILE_WRITE_DATA | FILE_APPEND_DATA,
                     [](drivers::FileDevice* file) { return file->flush(); });
}

DWORD WINAPI GetFileType(HANDLE hFile)
{
    // The STD_*_HANDLE values stand for the standard handles here, as in kernelbase
    // (Wine's kernel32 test_GetFileType, which passes on Windows: the type of
    // (HANDLE)STD_OUTPUT_HANDLE is GetStdHandle(STD_OUTPUT_HANDLE)'s).
    for (DWORD standard : {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE})
        if (hFile == reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(standard))) hFile = GetStdHandle(standard);
    DWORD error;
    kernel::Object* object = kernel::handle_reference(hFile, kernel::ObjectType::Any, 0, &error);
    if (object == nullptr) return fail(error, static_cast<DWORD>(FILE_TYPE_UNKNOWN));
    DWORD type = FILE_TYPE_UNKNOWN;
    error = ERROR_SUCCESS;
    if (object->type() == kernel::ObjectType::File)
        type = static_cast<drivers::FileDevice*>(object)->type();
    else if (object->type() == kernel::ObjectType::Socket || object->type() == kernel::ObjectType::Pipe)
        type = FILE_TYPE_PIPE;  // a pipe end, or a socket (as Windows reports one)
    else if (object->type() == kernel::ObjectType::Mailslot || object->type() == kernel::ObjectType::Disk)
        type = FILE_TYPE_DISK;  // a mailslot (its device is not a pipe's), a drive
    else if (object->type() == kernel::ObjectType::Console || object->type() == kernel::ObjectType::Serial)
        type = FILE_TYPE_CHAR;  // a console buffer (src/drivers/console.h), a COM port
    else
        error = ERROR_INVALID_HANDLE;
    object->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, static_cast<DWORD>(FILE_TYPE_UNKNOWN));
    // NO_ERROR tells a known-to-be-unknown type from a failure (Microsoft Learn,
    // GetFileType); a known type leaves the last error as it was.
    if (type == FILE_TYPE_UNKNOWN) set_last_error(ERROR_SUCCESS);
    return type;
}

BOOL WINAPI GetFileInformationByHandle(HANDLE hFile, LPBY_HANDLE_FILE_INFORMATION lpFileInformation)
{
    if (lpFileInformation == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    BOOL piped;
    if (win32::pipe_information(hFile, lpFileInformation, &piped)) return piped;
    return with_file(hFile, 0, [&](drivers::FileDevice* file) { return file->information(lpFileInformation); });
}

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    // NT's FileIoCompletionNotificationInformation takes any flags and ORs in the ones it
    // knows: FILE_SKIP_SET_USER_EVENT_ON_FAST_IO (0x4) and unknown bits succeed, 0 changes
    // nothing (Wine's ntdll test_file_completion_information, on Windows). The fast-I/O
    // mode asks that a request done by a driver's fast path not set its event; a program
    // cannot tell when Windows takes that path, so setting the event anyway (as for a
    // request done at once through an IRP) is what it must already handle.
    Flags &= FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE;
    DWORD error;
    io::Device* device = io::device_lock(FileHandle, 0, &error);
    if (device == nullptr) return fail(error, FALSE);
    if (!device->overlapped_io()) {
        // Windows' I/O manager refuses the modes on a synchronous file object
        // (FO_SYNCHRONOUS_IO: STATUS_INVALID_PARAMETER); Wine 8 agrees.
        device->lock.unlock();
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    device->notification_modes |= Flags;  // modes are never removed
    // The handle is reset at once (Wine's ntdll pipe.c test_completion, which passes on
    // Windows: set right after a completion signalled it, and it is not signalled).
    if (Flags & FILE_SKIP_SET_EVENT_ON_HANDLE) device->signaled_ = false;
    device->lock.unlock();
    return TRUE;
}

// Windows locks the range for its I/O manager, which then writes the OVERLAPPEDs in it
// without taking certain locks; here the range is locked in memory (mlock) and the
// requests run as before. The handle needs FILE_READ_ATTRIBUTES (Microsoft Learn); the
// privilege Windows asks for is Linux's right to lock memory (ERROR_PRIVILEGE_NOT_HELD).
BOOL WINAPI SetFileIoOverlappedRange(HANDLE FileHandle, PUCHAR OverlappedRangeStart, ULONG Length)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    io::Device* device = io::device_lock(FileHandle, 0, &error, &granted);  // a file's handle first
    if (device == nullptr) return fail(error, FALSE);
    if (!(granted & FILE_READ_ATTRIBUTES))
        error = ERROR_ACCESS_DENIED;
    else if (OverlappedRangeStart == nullptr || Length == 0)
        error = ERROR_INVALID_PARAMETER;
    else
        error = device->lock_overlapped_range(OverlappedRangeStart, Length);
    device->lock.unlock();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"

namespace {

// GetTempFileName: "<path>\<up to 3 prefix characters><hex>.TMP". With `unique` 0 the
// number is chosen and the file created (empty) so that the name is taken; otherwise the
// name is only made. In UTF-8; `fits` says whether a name fits the caller's MAX_PATH
// buffer (counted in the caller's characters). Returns the number, or 0 (last error set).
UINT temp_file_name(const std::string& path, const std::string& prefix, UINT unique,
                    bool (*fits)(const std::string& name), std::string* out)
{
    std::string directory = path;
    // The directory must be one, whatever `unique` is (a missing one, or a file, is
    // ERROR_DIRECTORY: Wine's kernel32 path tests, test_InitPathA).
    if (!directory.empty()) {
        std::string linux_path;
        struct stat status;
        if (drivers::file_linux_path(directory, &linux_path) != ERROR_SUCCESS || stat(linux_path.c_str(), &status) != 0 ||
            !S_ISDIR(status.st_mode))
            return fail(ERROR_DIRECTORY, 0u);
    }
    if (!directory.empty() && directory.back() != '\\' && directory.back() != '/') directory += '\\';
    std::string start = directory + prefix;
    unsigned counter = unique != 0 ? unique : (static_cast<unsigned>(GetTickCount()) ^ static_cast<unsigned>(GetCurrentProcessId()));
    for (unsigned attempt = 0; attempt < 65535; ++attempt) {
        unsigned number = (counter + attempt) & 0xFFFF;
        if (number == 0) continue;
        char hex[8];
        snprintf(hex, sizeof(hex), "%X", number);
        std::string name = start + hex + ".TMP";
        if (!fits(name)) return fail(ERROR_BUFFER_OVERFLOW, 0u);
        if (unique == 0) {
            HANDLE file = CreateFileA(name.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
            if (file == INVALID_HANDLE_VALUE) {
                if (GetLastError() == ERROR_FILE_EXISTS) continue;
                return 0;  // the last error is CreateFile's
            }
            CloseHandle(file);
        }
        *out = name;
        set_last_error(ERROR_SUCCESS);
        return number;
    }
    return fail(ERROR_FILE_EXISTS, 0u);
}

}  // namespace

extern "C" UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique, LPSTR lpTempFileName)
{
    if (lpPathName == nullptr || lpTempFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, 0u);
    // The first three characters of the prefix (A strings are UTF-8: whole sequences).
    std::string prefix;
    for (size_t i = 0, characters = 0; lpPrefixString != nullptr && lpPrefixString[i] != 0; ++i) {
        bool lead = (static_cast<unsigned char>(lpPrefixString[i]) & 0xC0) != 0x80;
        if (lead && ++characters > 3) break;
        prefix += lpPrefixString[i];
    }
    std::string name;
    UINT number = temp_file_name(lpPathName, prefix, uUnique, [](const std::string& n) { return n.size() < MAX_PATH; },
                                 &name);
    if (number != 0) memcpy(lpTempFileName, name.c_str(), name.size() + 1);
    return number;
}

extern "C" UINT WINAPI GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique,
                                        LPWSTR lpTempFileName)
{
    if (lpPathName == nullptr || lpTempFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, 0u);
    size_t prefix_length = 0;
    while (lpPrefixString != nullptr && prefix_length < 3 && lpPrefixString[prefix_length] != 0) ++prefix_length;
    std::string prefix = prefix_length != 0 ? win32::utf8_from_utf16(lpPrefixString, prefix_length) : std::string();
    std::string name;
    UINT number = temp_file_name(
        win32::utf8_from_utf16(lpPathName), prefix, uUnique,
        [](const std::string& n) { return win32::utf16_from_utf8(n).size() < MAX_PATH; }, &name);
    if (number != 0) {
        std::u16string wide = win32::utf16_from_utf8(name);
        memcpy(lpTempFileName, wide.c_str(), (wide.size() + 1) * sizeof(WCHAR));
    }
    return number;
}
