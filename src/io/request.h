// request.h: the I/O manager: one request lifecycle for every device.
//
//   submit ──► pending (OVERLAPPED.Internal = STATUS_PENDING, ERROR_IO_PENDING)
//          ├─► finished at once (success or a warning; delivered as below, except that
//          │   FILE_SKIP_COMPLETION_PORT_ON_SUCCESS keeps a success off the port)
//          └─► failed at once (an error; nothing is delivered)
//   pending ──► completed or cancelled ──► delivered exactly once:
//       Internal/InternalHigh written (then the OVERLAPPED is never touched again),
//       the device signalled (unless FILE_SKIP_SET_EVENT_ON_HANDLE, or the request has
//       an event on an overlapped handle: then only the event), hEvent set,
//       the completion routine queued as an APC to the issuing thread (ReadFileEx),
//       a packet posted to the bound port (unless hEvent's low bit is set).
//     A request with a sink (Transfer::sink: Winsock's registered I/O) is delivered to
//     its sink instead, and has none of these.
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
class ThreadObject;
}

namespace overlapped::io {

// One request: the engine operation it runs, and everything its delivery needs. Requests
// come from a per-thread cache; the fields above `driver` belong to the I/O manager.
struct Request {
    engine::Op op;  // first: the engine hands it back
    Device* device = nullptr;  // the device's list of requests holds one reference for all
    OVERLAPPED* overlapped = nullptr;
    kernel::EventObject* event = nullptr;  // one reference, or null
    LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
    int (*winsock_error)(DWORD status) = nullptr;  // a Winsock routine (Transfer)
    Sink* sink = nullptr;  // delivered there, not to the OVERLAPPED (Transfer::sink)
    void* sink_context = nullptr;
    kernel::ThreadState* issuer = nullptr;
    kernel::ThreadObject* issuer_object = nullptr;  // a reference, for the APC only
    engine::Queue* queue = nullptr;
    kernel::CompletionPort* port = nullptr;  // whose queue `queue` is; null: the process queue
    Request* prev = nullptr;  // in device->requests, under the device's lock
    Request* next = nullptr;
    Request* lane_next = nullptr;  // waiting in its lane, under the device's lock
    Plan plan;
    bool no_port = false;           // hEvent's low bit, or a completion routine
    bool cancel_on_exit = false;    // counted in issuer->io_pending
    bool cancel_requested = false;  // under the device's lock
    bool lane_waiting = false;      // in its lane's queue, not started (under the lock)
    bool lane_active = false;       // its lane's current request
    bool started = false;           // given to an engine at least once
    // op.result, as the driver's step() sees it, came from an attempt in this thread
    // (engine/attempt.h), not from an engine: a driver can tell "would have blocked
    // part-way" (a short read of a file) from what an engine reports.
    bool attempted = false;

    // ---- the driver's (prepare, step, finish).
    iovec* vectors = nullptr;  // room for iovecs, `vector_capacity` of them, kept for reuse
    uint32_t vector_capacity = 0;
    uint32_t requested = 0;  // bytes asked for (Transfer::length)
    uint32_t done = 0;       // bytes transferred so far
    bool write = false;
    // Room for a driver's state (a socket's message header and addresses).
    alignas(16) unsigned char driver[384];
    template <class State>
    State* driver_state()
    {
        static_assert(sizeof(State) <= sizeof(driver) && alignof(State) <= 16, "driver state too large");
        return reinterpret_cast<State*>(driver);
    }
    // At least `count` iovecs in `vectors`.
    iovec* reserve_vectors(uint32_t count);
};

// What submit() did with a request.
struct Submitted {
    // ERROR_IO_PENDING: under way, delivered later. ERROR_SUCCESS: finished at once and
    // delivered (see `status` and `bytes`). Anything else: failed at once with that
    // Win32 error; nothing is delivered (`status` then holds its NTSTATUS when the
    // driver's operation produced one, else 0).
    DWORD error = ERROR_SUCCESS;
    DWORD status = 0;  // the NTSTATUS the request finished with (success or warning)
    DWORD bytes = 0;
    DWORD flags = 0;   // Outcome::flags
};

// Issues an asynchronous transfer on `device` (an overlapped handle; the caller holds a
// reference). `overlapped` is required; `routine` is the ReadFileEx/WriteFileEx
// completion routine or null.
Submitted submit(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                 LPOVERLAPPED_COMPLETION_ROUTINE routine);

// Marks `overlapped` (if any) pending, as kernelbase does before it asks the I/O manager:
// a call refused at once leaves Internal at STATUS_PENDING and InternalHigh untouched.
void mark_pending(OVERLAPPED* overlapped);

// The handle of the event a request on `overlapped` sets when it completes, or null:
// hEvent without its low bit; none for a request with a completion routine.
HANDLE request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine);

// submit(), for a caller that holds `device`'s lock (from the handle lookup: one lock
// for lookup and submission) and has already looked up and reset the request's event
// (`event`: a reference the request takes over, or null). Releases the lock.
Submitted submit_and_unlock(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                            LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event);

// Submits an internal operation to the process queue; its `complete` (the driver's)
// runs on the thread that harvests it, normally the I/O manager's completion thread.
// False if no engine runs.
//
// It completes with -ECANCELED only when cancel_internal asked: Linux also ends a
// thread's io_uring operations with -ECANCELED when they fire after that thread exited,
// and an internal operation does not belong to the thread that happened to arm it (a
// program's thread that makes a pipe instance, waits on a console, calls
// WSAEventSelect, then ends). Such an operation goes back to the engine, from the
// harvesting thread, and the driver never sees it (requests do the same:
// resubmit_if_not_cancelled in request.cpp).
bool submit_internal(InternalOp* op);
// Asks for an internal operation to end early (it then completes with -ECANCELED).
void cancel_internal(InternalOp* op);

// The NTSTATUS for an operation's result (a negative errno): STATUS_CANCELLED for
// ECANCELED, otherwise the status of the Win32 error the errno stands for.
DWORD status_from_errno(int error);

// A synchronous request (a handle without FILE_FLAG_OVERLAPPED) on `device`: its issue
// resets the handle and the event of its OVERLAPPED, if it has one (hEvent, unless a
// completion routine makes it the caller's); its end signals the handle again (unless
// FILE_SKIP_SET_EVENT_ON_HANDLE), as Windows' I/O manager does for every request (Wine's
// ntdll pipe.c test_blocking and test_cancelsynchronousio, on Windows: a synchronous pipe
// handle is not signalled while a read or a listen blocks on it, and is signalled once it
// returns; an event set before a request that fails is found reset, its read_pipe_test).
// complete_synchronously() then sets the event of a request that completed.
// Both run on every synchronous ReadFile and WriteFile, so their common case is inline
// (a lock and a store each); the rest is out of line.
void reset_request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine);
void synchronous_end_locked(Device* device);

inline void synchronous_issue(Device* device, const OVERLAPPED* overlapped = nullptr,
                              LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr)
{
    device->lock.lock();
    device->signaled_ = false;
    device->lock.unlock();
    if (overlapped != nullptr) reset_request_event(overlapped, routine);
}

inline void synchronous_end(Device* device)
{
    device->lock.lock();
    if (device->has_waiters() || (device->notification_modes & FILE_SKIP_SET_EVENT_ON_HANDLE) != 0) {
        synchronous_end_locked(device);  // unlocks
        return;
    }
    device->signaled_ = true;
    device->lock.unlock();
}

// Completes a request that ran synchronously (a handle without FILE_FLAG_OVERLAPPED given
// an OVERLAPPED): writes the OVERLAPPED and signals the handle, as a completion does; then
// sets hEvent, or, with a completion routine (ReadFileEx, WriteFileEx,
// ReadDirectoryChangesW), queues it to this thread as an APC when the request succeeded
// (a failure is the call's own answer), as Windows' I/O manager does. hEvent is then the
// caller's, not an event.
void complete_synchronously(Device* device, OVERLAPPED* overlapped, DWORD status, DWORD bytes,
                            LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr);

// CancelIoEx (overlapped may be null: all) and CancelIo (only_caller: the calling
// thread's requests). Returns ERROR_SUCCESS, or ERROR_NOT_FOUND if nothing matched.
DWORD cancel(HANDLE handle, OVERLAPPED* overlapped, bool only_caller);

// CancelIoEx(device, overlapped) for a driver that holds a reference to `device` but no
// handle (a socket closing cancels the AcceptEx that was to accept into it, a request of
// its listener). Takes the device's lock. ERROR_SUCCESS or ERROR_NOT_FOUND.
DWORD cancel_on_device(Device* device, OVERLAPPED* overlapped);

// cancel_on_device() for one request, by a driver that holds the device's lock and
// found the request in device->requests (PurgeComm): no lookup by OVERLAPPED, which a
// request that completed meanwhile may have handed on to a new one.
void cancel_locked(Request* request);

// Waits, at most `timeout_ms`, until the requests the calling thread issued on `device`
// are delivered (their OVERLAPPED written, their event set). For a close that cancelled
// them, where Windows completes them before CloseHandle returns to the issuer.
void await_own_requests(Device* device, uint32_t timeout_ms);

// Delivers requests that finished in port queues nobody is waiting on, without
// blocking; for waits on a request's event or device (GetOverlappedResult).
// Returns whether any port queue has requests outstanding.
bool progress();

// Whether requests are tried in the issuing thread before they go to an engine (the fast
// path: Plan::attempt_now and Next::Attempt). On unless OVERLAPPED_FAST_PATH=0, which
// sends every request to its engine (for comparisons; docs/engines.md).
bool fast_path_enabled();

// The engine in use ("io_uring"), or null if none could start.
const char* engine_in_use();

}  // namespace overlapped::io
