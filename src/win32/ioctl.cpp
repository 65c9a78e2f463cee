// ioctl.cpp: DeviceIoControl. Arguments, access and the two ways a control runs (now,
// on a handle without FILE_FLAG_OVERLAPPED or without an OVERLAPPED; through the I/O
// manager otherwise, which delivers it to all four notification methods). The controls
// themselves are the drivers': drivers/ioctl.cpp (files), drivers/disk.cpp (drives).
#include "common/errors.h"
#include "drivers/disk.h"
#include "drivers/file.h"
#include "drivers/ioctl.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

// The control's work, now, WITHOUT the device's lock (the caller holds a reference,
// which keeps the descriptor open): it may take long (a range written with zeros, a
// disk's first sector read), and object locks are spinlocks.
drivers::IoctlResult control_now(io::Device* device, const drivers::IoctlRequest& request)
{
    if (device->type() == kernel::ObjectType::File)
        return drivers::file_ioctl(static_cast<drivers::FileDevice*>(device)->descriptor(), request);
    auto done = static_cast<drivers::DiskDevice*>(device)->control(request);
    return drivers::IoctlResult{done.error, done.bytes};
}

}  // namespace

extern "C" BOOL WINAPI DeviceIoControl(HANDLE hDevice, DWORD dwIoControlCode, LPVOID lpInBuffer, DWORD nInBufferSize,
                                       LPVOID lpOutBuffer, DWORD nOutBufferSize, LPDWORD lpBytesReturned,
                                       LPOVERLAPPED lpOverlapped)
{
    if (lpBytesReturned != nullptr) *lpBytesReturned = 0;
    DWORD error;
    ACCESS_MASK granted = 0;
    io::Device* device = io::device_lock(hDevice, 0, &error, &granted);
    if (device == nullptr) return fail(error, FALSE);
    kernel::ObjectType type = device->type();
    // The access the control code asks of the handle (its bits 14-15), checked by the
    // I/O manager before any driver sees the request.
    DWORD wanted = (dwIoControlCode >> 14) & 3;
    error = ERROR_SUCCESS;
    if (((wanted & FILE_READ_ACCESS) && !(granted & FILE_READ_DATA)) ||
        ((wanted & FILE_WRITE_ACCESS) && !(granted & FILE_WRITE_DATA)))
        error = ERROR_ACCESS_DENIED;
    else if ((lpInBuffer == nullptr && nInBufferSize != 0) || (lpOutBuffer == nullptr && nOutBufferSize != 0))
        error = ERROR_NOACCESS;  // the I/O manager's probe of a buffer that is not there
    else if (type != kernel::ObjectType::File && type != kernel::ObjectType::Disk)
        error = ERROR_INVALID_FUNCTION;  // no controls on pipes, mailslots and sockets here
    if (error != ERROR_SUCCESS) {
        device->lock.unlock();
        return fail(error, FALSE);
    }
    drivers::IoctlRequest request;
    request.code = dwIoControlCode;
    request.in = lpInBuffer;
    request.in_size = nInBufferSize;
    request.out = lpOutBuffer;
    request.out_size = nOutBufferSize;
    request.granted = granted;

    if (device->overlapped_io() && lpOverlapped != nullptr) {
        // Through the I/O manager: the driver does the work in step() and the request
        // is delivered as any other (the event, the handle, the port, unless it fails at
        // once).
        device->add_reference();
        device->lock.unlock();
        io::Transfer transfer;
        transfer.driver_request = &request;
        io::Submitted result = io::submit(device, transfer, lpOverlapped, nullptr);
        device->release_reference();
        if (result.error == ERROR_SUCCESS) {
            if (lpBytesReturned != nullptr) *lpBytesReturned = result.bytes;
            if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
            set_last_error(ERROR_SUCCESS);
            return TRUE;
        }
        return fail(result.error, FALSE);
    }

    // Now, in this thread. A handle without FILE_FLAG_OVERLAPPED given an OVERLAPPED
    // has it completed as a synchronous transfer's.
    device->add_reference();
    device->lock.unlock();
    drivers::IoctlResult done = control_now(device, request);
    if (lpOverlapped != nullptr) {
        DWORD status = done.error == ERROR_SUCCESS ? STATUS_SUCCESS : ntstatus_from_win32_error(done.error);
        io::complete_synchronously(device, lpOverlapped, status, done.bytes);
    }
    device->release_reference();
    if (lpBytesReturned != nullptr) *lpBytesReturned = done.bytes;
    if (done.error != ERROR_SUCCESS) return fail(done.error, FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}
