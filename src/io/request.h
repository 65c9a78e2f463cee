// request.h: the I/O manager: one request lifecycle for every device.
//
//   submit ──► pending (OVERLAPPED.Internal = STATUS_PENDING, ERROR_IO_PENDING)
//          └─► failed at once (an error; nothing is delivered)
//   pending ──► completed or cancelled ──► delivered exactly once:
//       Internal/InternalHigh written (then the OVERLAPPED is never touched again),
//       the device signalled (unless FILE_SKIP_SET_EVENT_ON_HANDLE), hEvent set,
//       the completion routine queued as an APC to the issuing thread (ReadFileEx),
//       a packet posted to the bound port (unless hEvent's low bit is set).
//
// Where a request runs: requests on a device bound to a completion port, with no event
// and no completion routine, go to the port's own engine queue, which the port's
// waiting threads harvest themselves (kernel::PortPoller): no helper thread between the
// completion and the thread that dequeues it. Every other request goes to the process
// queue, harvested by the I/O manager's completion thread, which also sweeps the port
// queues now and then so that nothing waits forever on a port nobody is waiting on.
#pragma once

#include <windows.h>

#include "io/device.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {
class EventObject;
}

namespace overlapped::io {

// Issues an asynchronous transfer on `device` (an overlapped handle; the caller holds a
// reference). `overlapped` is required; `routine` is the ReadFileEx/WriteFileEx
// completion routine or null. Returns ERROR_IO_PENDING when the request is under way, or
// the error it failed with at once.
DWORD submit(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
             LPOVERLAPPED_COMPLETION_ROUTINE routine);

// The handle of the event a request on `overlapped` sets when it completes, or null:
// hEvent without its low bit; none for a request with a completion routine.
HANDLE request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine);

// submit(), for a caller that holds `device`'s lock (from the handle lookup: one lock
// for lookup and submission) and has already looked up and reset the request's event
// (`event`: a reference the request takes over, or null). Releases the lock.
DWORD submit_and_unlock(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event);

// Completes a request that ran synchronously (a handle without FILE_FLAG_OVERLAPPED given
// an OVERLAPPED): writes the OVERLAPPED and sets its event, as a completion does.
void complete_synchronously(Device* device, OVERLAPPED* overlapped, DWORD status, DWORD bytes);

// CancelIoEx (overlapped may be null: all) and CancelIo (only_caller: the calling
// thread's requests). Returns ERROR_SUCCESS, or ERROR_NOT_FOUND if nothing matched.
DWORD cancel(HANDLE handle, OVERLAPPED* overlapped, bool only_caller);

// Delivers requests that finished in port queues nobody is waiting on, without
// blocking; for waits on a request's event or device (GetOverlappedResult).
// Returns whether any port queue has requests outstanding.
bool progress();

// The engine in use ("io_uring"), or null if none could start.
const char* engine_in_use();

}  // namespace overlapped::io
