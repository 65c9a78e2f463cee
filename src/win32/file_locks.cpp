// file_locks.cpp: LockFile, LockFileEx, UnlockFile, UnlockFileEx (drivers/file_locks.h
// has the rules; an overlapped handle's LockFileEx is a request of the I/O manager).
#include <windows.h>

#include <cstdint>

#include "common/errors.h"
#include "drivers/file.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

uint64_t join(DWORD low, DWORD high) { return (static_cast<uint64_t>(high) << 32) | low; }

// The file behind `handle` (a reference), for a lock: the handle must read or write
// (LockFileEx: "GENERIC_READ or GENERIC_WRITE"; NtLockFile: FILE_READ_DATA or
// FILE_WRITE_DATA). Null with the last error set.
drivers::FileDevice* lockable_file(HANDLE handle)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::File, 0, &granted, &error);
    if (object == nullptr) return fail(error, static_cast<drivers::FileDevice*>(nullptr));
    if ((granted & (FILE_READ_DATA | FILE_WRITE_DATA)) == 0) {
        object->release_reference();
        return fail(ERROR_ACCESS_DENIED, static_cast<drivers::FileDevice*>(nullptr));
    }
    return static_cast<drivers::FileDevice*>(object);
}

BOOL lock(HANDLE handle, uint64_t offset, uint64_t length, DWORD flags, OVERLAPPED* overlapped)
{
    drivers::FileDevice* file = lockable_file(handle);
    if (file == nullptr) return FALSE;
    bool exclusive = (flags & LOCKFILE_EXCLUSIVE_LOCK) != 0;
    bool fail_now = (flags & LOCKFILE_FAIL_IMMEDIATELY) != 0;
    if (overlapped != nullptr && file->overlapped_io()) {
        // A request: granted at once (delivered as any request finished at once: the
        // event, the handle, the port), refused at once (LOCKFILE_FAIL_IMMEDIATELY:
        // nothing delivered), or pending until granted or cancelled.
        drivers::LockRequest request;
        request.exclusive = exclusive;
        request.fail_now = fail_now;
        request.length = length;
        io::Transfer transfer;
        transfer.offset = offset;
        transfer.driver_request = &request;
        io::Submitted result = io::submit(file, transfer, overlapped, nullptr);
        file->release_reference();
        if (result.error != ERROR_SUCCESS) return fail(result.error, FALSE);
        if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
        return TRUE;  // success leaves the last error as it was (kernelbase sets it on failure only)
    }
    DWORD error = file->lock_wait(offset, length, exclusive, fail_now);
    if (overlapped != nullptr && error == ERROR_SUCCESS)
        io::complete_synchronously(file, overlapped, STATUS_SUCCESS, 0);
    file->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL unlock(HANDLE handle, uint64_t offset, uint64_t length)
{
    drivers::FileDevice* file = lockable_file(handle);
    if (file == nullptr) return FALSE;
    DWORD error = file->unlock(offset, length);
    file->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" {

BOOL WINAPI LockFile(HANDLE hFile, DWORD dwFileOffsetLow, DWORD dwFileOffsetHigh, DWORD nNumberOfBytesToLockLow,
                     DWORD nNumberOfBytesToLockHigh)
{
    // An exclusive lock that never waits, whatever the handle.
    return lock(hFile, join(dwFileOffsetLow, dwFileOffsetHigh), join(nNumberOfBytesToLockLow, nNumberOfBytesToLockHigh),
                LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, nullptr);
}

BOOL WINAPI LockFileEx(HANDLE hFile, DWORD dwFlags, DWORD dwReserved, DWORD nNumberOfBytesToLockLow,
                       DWORD nNumberOfBytesToLockHigh, LPOVERLAPPED lpOverlapped)
{
    if (dwReserved != 0 || lpOverlapped == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return lock(hFile, join(lpOverlapped->Offset, lpOverlapped->OffsetHigh),
                join(nNumberOfBytesToLockLow, nNumberOfBytesToLockHigh), dwFlags, lpOverlapped);
}

BOOL WINAPI UnlockFile(HANDLE hFile, DWORD dwFileOffsetLow, DWORD dwFileOffsetHigh, DWORD nNumberOfBytesToUnlockLow,
                       DWORD nNumberOfBytesToUnlockHigh)
{
    return unlock(hFile, join(dwFileOffsetLow, dwFileOffsetHigh),
                  join(nNumberOfBytesToUnlockLow, nNumberOfBytesToUnlockHigh));
}

BOOL WINAPI UnlockFileEx(HANDLE hFile, DWORD dwReserved, DWORD nNumberOfBytesToUnlockLow,
                         DWORD nNumberOfBytesToUnlockHigh, LPOVERLAPPED lpOverlapped)
{
    // Never waits: nothing is delivered through the OVERLAPPED, which gives the offset.
    if (dwReserved != 0 || lpOverlapped == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return unlock(hFile, join(lpOverlapped->Offset, lpOverlapped->OffsetHigh),
                  join(nNumberOfBytesToUnlockLow, nNumberOfBytesToUnlockHigh));
}

}  // extern "C"
