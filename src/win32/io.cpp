// io.cpp: the I/O manager's Win32 surface: GetOverlappedResult(Ex), CancelIo(Ex),
// CancelSynchronousIo.
#include <ctime>

#include "common/clock.h"
#include "common/errors.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "kernel/thread.h"
#include "overlapped/overlapped.h"
#include "win32/entry.h"
#include "win32/wait_request.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// Whether a request on `file` whose event is `event` may sit in a port's own engine
// queue: only a request with no event on a device bound to a port goes there
// (io/request.h). Any other is in the process queue, which the completion thread
// harvests as its completions come.
bool may_be_in_port_queue(HANDLE file, HANDLE event)
{
    if (event != nullptr) return false;
    DWORD error;
    io::Device* device = io::device_lock(file, 0, &error);
    if (device == nullptr) return false;
    bool bound = device->port() != nullptr;
    device->lock.unlock();
    return bound;
}

// Waits on the request's event or device. A request in a port's queue that no port
// thread is harvesting is delivered here too (io::progress), so this never waits for the
// completion thread's next sweep; that takes a wait in slices of a millisecond, so only
// a request that may be in a port queue (`harvest`) gets it: any other wait is one wait.
DWORD wait_for_request(HANDLE object, DWORD milliseconds, BOOL alertable, bool harvest)
{
    if (!harvest || !io::progress()) return WaitForSingleObjectEx(object, milliseconds, alertable);
    uint64_t start = monotonic_ms();
    for (;;) {
        DWORD slice = 1;
        if (milliseconds != INFINITE) {
            uint64_t elapsed = monotonic_ms() - start;
            if (elapsed >= milliseconds) slice = 0;
            else if (milliseconds - elapsed < slice) slice = static_cast<DWORD>(milliseconds - elapsed);
        }
        DWORD result = WaitForSingleObjectEx(object, slice, alertable);
        if (result != WAIT_TIMEOUT || slice == 0) return result;
        if (!io::progress()) {
            if (milliseconds == INFINITE) return WaitForSingleObjectEx(object, INFINITE, alertable);
            uint64_t elapsed = monotonic_ms() - start;
            return WaitForSingleObjectEx(object, elapsed >= milliseconds ? 0 : static_cast<DWORD>(milliseconds - elapsed),
                                         alertable);
        }
    }
}

}  // namespace

namespace overlapped::win32 {

namespace {

// Issues `transfer` with an OVERLAPPED of its own (no event, no packet) and waits until it
// is delivered. `cancellable`: the caller runs it as a synchronous request, and
// CancelSynchronousIo cancels it (it then ends as any cancelled request, STATUS_CANCELLED);
// the wait looks for that at least every 50 ms.
io::Submitted wait_submitted(HANDLE handle, io::Device* device, const io::Transfer& transfer, bool cancellable)
{
    OVERLAPPED local = {};
    local.hEvent = reinterpret_cast<HANDLE>(1);  // the low bit alone: no event, no packet
    io::mark_pending(&local);
    io::Submitted result = io::submit(device, transfer, &local, nullptr);
    if (result.error != ERROR_IO_PENDING) return result;
    auto pending = [&] { return __atomic_load_n(&local.Internal, __ATOMIC_ACQUIRE) == STATUS_PENDING; };
    bool cancelled = false;
    while (pending()) {
        if (cancellable && !cancelled && io::sync_io_cancelled()) {
            cancelled = true;
            io::cancel(handle, &local, false);
            continue;
        }
        // Signalled (or closed) but not by this request: another request of the device
        // left the handle signalled; wait a little rather than spin on it.
        // (The request has no port: it is in the process queue, no harvest needed.)
        if (wait_for_request(handle, 50, FALSE, false) != WAIT_TIMEOUT && pending()) Sleep(1);
    }
    result.error = ERROR_SUCCESS;
    result.status = static_cast<DWORD>(local.Internal);
    result.bytes = static_cast<DWORD>(local.InternalHigh);
    return result;
}

}  // namespace

io::Submitted submit_and_wait(HANDLE handle, io::Device* device, const io::Transfer& transfer)
{
    return wait_submitted(handle, device, transfer, false);
}

io::Submitted submit_and_wait_cancellable(HANDLE handle, io::Device* device, const io::Transfer& transfer)
{
    io::Submitted result;
    io::run_synchronous([&] {
        result = wait_submitted(handle, device, transfer, true);
        return result.error;
    });
    return result;
}

}  // namespace overlapped::win32

extern "C" {

BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped, LPDWORD lpNumberOfBytesTransferred,
                                  DWORD dwMilliseconds, BOOL bAlertable)
{
    if (lpOverlapped == nullptr || lpNumberOfBytesTransferred == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD status = static_cast<DWORD>(__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE));
    if (status == STATUS_PENDING) {
        if (dwMilliseconds == 0) {
            *lpNumberOfBytesTransferred = 0;
            return fail(ERROR_IO_INCOMPLETE, FALSE);
        }
        HANDLE event = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(lpOverlapped->hEvent) & ~ULONG_PTR(1));
        DWORD result = wait_for_request(event != nullptr ? event : hFile, dwMilliseconds, bAlertable,
                                        may_be_in_port_queue(hFile, event));
        if (result == WAIT_FAILED) return FALSE;
        if (result != WAIT_OBJECT_0) return fail(result, FALSE);  // WAIT_TIMEOUT, WAIT_IO_COMPLETION
        // As Windows: the signal is trusted; a status still pending reads as success.
        status = static_cast<DWORD>(__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE));
        if (status == STATUS_PENDING) status = STATUS_SUCCESS;
    }
    *lpNumberOfBytesTransferred = static_cast<DWORD>(lpOverlapped->InternalHigh);
    if (status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(status), FALSE);
    return TRUE;
}

BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped, LPDWORD lpNumberOfBytesTransferred,
                                BOOL bWait)
{
    return GetOverlappedResultEx(hFile, lpOverlapped, lpNumberOfBytesTransferred, bWait ? INFINITE : 0, FALSE);
}

BOOL WINAPI CancelIo(HANDLE hFile)
{
    DWORD error = io::cancel(hFile, nullptr, true);
    if (error != ERROR_SUCCESS && error != ERROR_NOT_FOUND) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    DWORD error = io::cancel(hFile, lpOverlapped, false);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"

extern "C" BOOL WINAPI CancelSynchronousIo(HANDLE hThread)
{
    DWORD error;
    // The handle needs THREAD_TERMINATE (Microsoft Learn, CancelSynchronousIo).
    kernel::Object* object = kernel::handle_reference(hThread, kernel::ObjectType::Thread, THREAD_TERMINATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    error = io::cancel_synchronous(&static_cast<kernel::ThreadObject*>(object)->state);
    object->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

extern "C" const char* overlapped_engine(void) { return io::engine_in_use(); }
