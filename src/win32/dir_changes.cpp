// dir_changes.cpp: ReadDirectoryChangesW and ReadDirectoryChangesExW, and
// FindFirstChangeNotification & co. on them. Arguments and last errors here; the watch in
// drivers/dir_watch, the request in io/.
#include "common/errors.h"
#include "drivers/dir_watch.h"
#include "drivers/file.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

constexpr DWORD kValidFilters = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                                FILE_NOTIFY_CHANGE_ATTRIBUTES | FILE_NOTIFY_CHANGE_SIZE |
                                FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_LAST_ACCESS |
                                FILE_NOTIFY_CHANGE_CREATION | FILE_NOTIFY_CHANGE_SECURITY;

BOOL read_changes(HANDLE handle, void* buffer, DWORD length, BOOL subtree, DWORD filter, DWORD* returned,
                  OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine, bool extended)
{
    // As Windows: no filter, or a bit outside the FILE_NOTIFY_CHANGE_* set, is refused
    // before anything else (wine's kernel32 change.c tests, which pass on Windows).
    if (filter == 0 || (filter & ~kValidFilters) != 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    ACCESS_MASK granted = 0;
    io::Device* object = io::device_lock(handle, 0, &error, &granted);
    if (object == nullptr) return fail(error, FALSE);
    if (object->type() != kernel::ObjectType::File) {
        object->lock.unlock();
        return fail(ERROR_INVALID_PARAMETER, FALSE);  // not a directory of the file system
    }
    auto* file = static_cast<drivers::FileDevice*>(object);
    // Held to the end: watch_start() may drop the lock to create the watch.
    file->add_reference();
    drivers::DirectoryWatch* watch = nullptr;
    error = (granted & FILE_LIST_DIRECTORY) == 0 ? ERROR_ACCESS_DENIED
                                                 : file->watch_start(filter, subtree != FALSE, &watch);
    if (error == ERROR_SUCCESS && routine != nullptr && overlapped == nullptr) error = ERROR_INVALID_PARAMETER;
    if (error != ERROR_SUCCESS) {
        file->lock.unlock();
        file->release_reference();
        return fail(error, FALSE);
    }
    drivers::WatchRequest args;
    args.filter = filter;
    args.subtree = subtree != FALSE;
    args.extended = extended;
    io::Transfer request;
    request.buffer = buffer;
    request.length = buffer == nullptr ? 0 : length;
    request.driver_request = &args;
    if (file->overlapped_io() && overlapped != nullptr) {
        io::Submitted result;
        if (io::request_event(overlapped, routine) == nullptr) {
            result = io::submit_and_unlock(file, request, overlapped, routine, nullptr);
        } else {
            file->lock.unlock();
            result = io::submit(file, request, overlapped, routine);
        }
        file->release_reference();
        // Queued or finished at once: TRUE either way (the result is in the OVERLAPPED and
        // is delivered as for a pending request). Only a refusal fails the call.
        if (result.error != ERROR_SUCCESS && result.error != ERROR_IO_PENDING) return fail(result.error, FALSE);
        set_last_error(ERROR_SUCCESS);
        return TRUE;
    }
    // No OVERLAPPED, or a handle without FILE_FLAG_OVERLAPPED: the call waits for the
    // changes in this thread.
    file->lock.unlock();
    DWORD bytes = 0;
    DWORD status =
        io::run_synchronous([&] { return file->watch_wait(buffer, request.length, extended, &bytes); });
    if (overlapped != nullptr) io::complete_synchronously(file, overlapped, status, bytes, routine);
    file->release_reference();
    if (returned != nullptr) *returned = bytes;
    if (status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(status), FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// FindFirstChangeNotification/FindNextChangeNotification: what kernelbase does on
// Windows, a change request with no buffer (NtNotifyChangeDirectoryFile, length 0) and no
// event, whose completion signals the directory handle itself. The first request's
// filter and subtree flag stay for the handle (as for ReadDirectoryChangesW), so
// FindNextChangeNotification passes placeholders. A request still pending is left alone.
DWORD request_change(HANDLE handle, BOOL subtree, DWORD filter, bool first)
{
    DWORD error;
    io::Device* object = io::device_lock(handle, 0, &error);
    if (object == nullptr) return error;
    if (object->type() != kernel::ObjectType::File) {
        object->lock.unlock();
        return ERROR_INVALID_PARAMETER;
    }
    auto* file = static_cast<drivers::FileDevice*>(object);
    if (first && !file->is_directory()) {
        object->lock.unlock();
        return ERROR_DIRECTORY;  // NtOpenFile with FILE_DIRECTORY_FILE: STATUS_NOT_A_DIRECTORY
    }
    OVERLAPPED* overlapped = &file->change_notification;
    if (!first && overlapped->Internal == STATUS_PENDING) {
        object->lock.unlock();
        return ERROR_SUCCESS;  // the last request still waits for a change
    }
    file->add_reference();
    file->lock.unlock();
    *overlapped = OVERLAPPED{};
    BOOL queued = read_changes(handle, nullptr, 0, subtree, filter, nullptr, overlapped, nullptr, false);
    error = queued ? ERROR_SUCCESS : GetLastError();
    file->release_reference();
    return error;
}

template <class Char, class Open>
HANDLE first_change(const Char* path, BOOL subtree, DWORD filter, Open open)
{
    if (path == nullptr) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    HANDLE handle = open(path, FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr);
    if (handle == INVALID_HANDLE_VALUE) return INVALID_HANDLE_VALUE;
    DWORD error = request_change(handle, subtree, filter, true);
    if (error != ERROR_SUCCESS) {
        CloseHandle(handle);
        return fail(error, INVALID_HANDLE_VALUE);
    }
    return handle;
}

}  // namespace

extern "C" {

HANDLE WINAPI FindFirstChangeNotificationA(LPCSTR lpPathName, BOOL bWatchSubtree, DWORD dwNotifyFilter)
{
    return first_change(lpPathName, bWatchSubtree, dwNotifyFilter, CreateFileA);
}

HANDLE WINAPI FindFirstChangeNotificationW(LPCWSTR lpPathName, BOOL bWatchSubtree, DWORD dwNotifyFilter)
{
    return first_change(lpPathName, bWatchSubtree, dwNotifyFilter, CreateFileW);
}

BOOL WINAPI FindNextChangeNotification(HANDLE hChangeHandle)
{
    DWORD error = request_change(hChangeHandle, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, false);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI FindCloseChangeNotification(HANDLE hChangeHandle) { return CloseHandle(hChangeHandle); }

BOOL WINAPI ReadDirectoryChangesW(HANDLE hDirectory, LPVOID lpBuffer, DWORD nBufferLength, BOOL bWatchSubtree,
                                  DWORD dwNotifyFilter, LPDWORD lpBytesReturned, LPOVERLAPPED lpOverlapped,
                                  LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return read_changes(hDirectory, lpBuffer, nBufferLength, bWatchSubtree, dwNotifyFilter, lpBytesReturned,
                        lpOverlapped, lpCompletionRoutine, false);
}

BOOL WINAPI ReadDirectoryChangesExW(HANDLE hDirectory, LPVOID lpBuffer, DWORD nBufferLength, BOOL bWatchSubtree,
                                    DWORD dwNotifyFilter, LPDWORD lpBytesReturned, LPOVERLAPPED lpOverlapped,
                                    LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                    READ_DIRECTORY_NOTIFY_INFORMATION_CLASS ReadDirectoryNotifyInformationClass)
{
    if (ReadDirectoryNotifyInformationClass != ReadDirectoryNotifyInformation &&
        ReadDirectoryNotifyInformationClass != ReadDirectoryNotifyExtendedInformation)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    return read_changes(hDirectory, lpBuffer, nBufferLength, bWatchSubtree, dwNotifyFilter, lpBytesReturned,
                        lpOverlapped, lpCompletionRoutine,
                        ReadDirectoryNotifyInformationClass == ReadDirectoryNotifyExtendedInformation);
}

}  // extern "C"
