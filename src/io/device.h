// device.h: what every device object shares, whatever its driver: the completion port
// it is bound to (CreateIoCompletionPort) with its key, the requests in progress on it,
// its signalled state (a device is signalled when a request completes and reset when one
// is issued), and its completion notification modes.
#pragma once

#include <utility>
#include <vector>

#include <windows.h>

#include "engine/engine.h"
#include "kernel/object.h"
#include "kernel/port.h"

namespace overlapped::io {

struct Request;

// An operation a driver runs for itself, not for a program's request (a socket's
// readiness watch for WSAEventSelect, a pipe name's accept; io::submit_internal): the
// driver embeds it first in its own record (the engine hands back the engine::Op) and
// fills the engine::Op part. The fields here belong to the I/O manager.
struct InternalOp : engine::Op {
    void (*driver_complete)(engine::Op* op) = nullptr;  // the driver's `complete`
    bool cancel_asked = false;                          // cancel_internal was called
    // The I/O manager's list of operations under way: what only the engine (the kernel's
    // ring) points to stays reachable, for leak checkers too, while the process ends with
    // operations in flight.
    InternalOp* live_previous = nullptr;
    InternalOp* live_next = nullptr;
};

// Where a request with no OVERLAPPED delivery of its own ends (Winsock's registered I/O:
// a completion queue, win32/winsock_rio.cpp): deliver() hands its outcome to complete(),
// once, in place of the OVERLAPPED, the handle's signal, hEvent, a completion routine and
// a port's packet. It runs in whatever thread delivers (the issuer's, an engine's, the
// completion thread), with no lock of the I/O manager held.
struct Sink {
    void (*complete)(Sink* sink, void* context, DWORD status, DWORD bytes);
};

// A transfer as the caller asked for it; the driver turns it into an engine operation.
struct Transfer {
    bool write = false;
    void* buffer = nullptr;
    DWORD length = 0;
    const FILE_SEGMENT_ELEMENT* segments = nullptr;  // ReadFileScatter / WriteFileGather
    uint64_t offset = 0;
    // A write at the end of the file, wherever the end is when the write runs (an
    // OVERLAPPED offset of 0xFFFFFFFF'FFFFFFFF: NtWriteFile's FILE_WRITE_TO_END_OF_FILE);
    // `offset` is unused then. Files only (win32/file.cpp decides).
    bool append = false;
    // A driver's own request (a socket's WSARecv, AcceptEx...): its arguments, which the
    // driver's prepare() reads; null for ReadFile/WriteFile.
    const void* driver_request = nullptr;
    // Winsock's completion routines take four arguments (the fourth: the flags, which
    // the driver leaves in OVERLAPPED.Offset) and a WSA error, which this gives for the
    // request's NTSTATUS. Null: ReadFileEx's three arguments and a Win32 error.
    int (*winsock_error)(DWORD status) = nullptr;
    // Delivered to `sink` (with `sink_context`), not through the OVERLAPPED: such a
    // request posts no packet, is not cancelled when its thread exits, and a failure of
    // its operation is delivered like a completion (Plan::deliver_failure); one the fast
    // I/O path finishes is delivered to the sink in the issuing thread.
    Sink* sink = nullptr;
    void* sink_context = nullptr;
    // With a sink: the completion port whose engine queue runs the request (its waiting
    // threads finish it, as they finish the requests of handles bound to it), rather than
    // the process queue; for a sink that notifies that port (RIONotify's packet). The
    // caller keeps the port until the request is delivered. Null: the process queue.
    kernel::CompletionPort* sink_port = nullptr;
};

// Requests of one lane of a device start one at a time, in the order they were issued
// (a stream's receives, a stream's sends): the engine never has two at once, so data
// cannot be reordered between them. Lane::None requests start at once (files, accepts).
enum class Lane : uint8_t { None = 0, In = 1, Out = 2 };

// What a driver's prepare() decides beside the engine operation it fills.
struct Plan {
    Lane lane = Lane::None;
    // Try the operation without blocking in the issuing thread first (engine/attempt.h):
    // a request that can finish at once finishes there, as on Windows.
    bool attempt_now = false;
    // prepare() did the work itself; `result` is what the operation gave (as Op::result).
    bool done_now = false;
    // The fast I/O path already tried the operation (Device::fast_transfer): `result` is
    // what the try gave, taken as the request's first attempt.
    bool tried = false;
    int result = 0;
    // The fast I/O path's try found that the operation would wait (Device::fast_transfer
    // gave -EAGAIN): a driver whose step() tries its operation itself may send it
    // straight to the engine instead of trying again (set after prepare()).
    bool would_wait = false;
    // A failure is delivered like a completion, even one in the issuing call, which then
    // reports the request pending: Windows' answer for a request its driver accepts and
    // fails later (a socket control code the driver does not know).
    bool deliver_failure = false;
    // A success in the issuing call is reported pending all the same, and delivered as a
    // request that waited (its port packet even on a handle that skips the port on
    // success): Windows' answer for a request its driver always pends (DisconnectEx).
    bool success_pends = false;
    // An error prepare() returns is the driver's answer at once, past the issue: the
    // handle's signal stays reset, as Windows' I/O manager leaves a file object whose
    // request its driver failed at once (ReactOS's IopCompleteRequest). Without it the
    // refusal is taken as one made before the issue, which leaves the signal alone.
    bool failed_past_issue = false;
};

// One call of the fast I/O path (Device::fast_ready, Device::fast_transfer): what the
// driver looked up under `lock` for the transfer, and how the transfer ended.
struct FastIo {
    OVERLAPPED* overlapped = nullptr;  // the caller's
    int descriptor = -1;       // the driver's, from fast_ready()
    bool flag = false;         // the driver's, from fast_ready()
    void* buffer = nullptr;    // the driver's, from fast_ready(): where the bytes are
    DWORD length = 0;
    // fast_transfer()'s answer when it finished the transfer: the NTSTATUS (a success,
    // a warning such as STATUS_BUFFER_OVERFLOW, or an error: nothing is delivered then)
    // and the bytes.
    DWORD status = 0;
    DWORD bytes = 0;
    // When it did not: what its try gave (as Op::result: bytes, -EAGAIN, -errno), which
    // the request's first step sees as its own attempt's (Plan::tried), or kNotTried.
    int result = 0;
};

// What a driver's step() decides once an operation of a request has finished.
enum class Next : uint8_t {
    Done,     // the request is over: Outcome says how
    Engine,   // the driver refilled the operation: give it to the engine
    Attempt,  // the driver refilled the operation: try it at once, then the engine
};

// How a request ended: the NTSTATUS for OVERLAPPED.Internal and the byte count.
struct Outcome {
    DWORD status = 0;
    DWORD bytes = 0;
    DWORD flags = 0;  // the driver's: given back to a caller whose request finished at once
};

class Device : public kernel::Object {
public:
    // Binds the device to `port` with `key`, under `lock`. A device is bound at most once
    // for its life, and only if it was opened for overlapped I/O: ERROR_INVALID_PARAMETER
    // otherwise (as Windows answers).
    DWORD bind(kernel::CompletionPort* port, ULONG_PTR key);

    // Whether the handle was opened for overlapped I/O (FILE_FLAG_OVERLAPPED).
    virtual bool overlapped_io() const = 0;

    // Under `lock`: checks `transfer` and fills the request's engine operation
    // (descriptor, buffer, offset) and `plan`; may keep state of its own in the request
    // (Request::driver_state). Returns ERROR_SUCCESS or the Win32 error the request fails
    // with at once (nothing is delivered then, and finish() is not called).
    virtual DWORD prepare(const Transfer& transfer, Request* request, Plan* plan) = 0;

    // Without `lock`: the request's operation finished (request->op.result). Either the
    // request is over (Next::Done, with *outcome), or the driver refilled the operation
    // for its next step. The default: transfers at an offset, short writes continued,
    // zero bytes read is the end of the file.
    virtual Next step(Request* request, Outcome* outcome);

    // Without `lock`: the request is over (just before its delivery): the driver lets
    // go of what prepare() or step() took.
    virtual void finish(Request*) {}

    // The fast I/O path (Windows' FastIoRead/FastIoWrite: the I/O manager asks the
    // driver before it builds a request; io::submit_and_unlock), for a driver that set
    // `fast_io`, on a transfer with no segments and no completion routine. First
    // fast_ready(), under `lock`: whether the path may serve this transfer now, noting in
    // *io what fast_transfer() needs (the default: a plain ReadFile/WriteFile, no driver
    // request). Then, without `lock`, the device kept by the caller (fast_running),
    // fast_transfer() tries it in the calling thread without waiting. True: the transfer is over (io->status,
    // io->bytes); the I/O manager delivers it as a request finished at once, with no
    // request object. False: the request path follows, and io->result is what the try
    // gave (as Op::result: bytes, -EAGAIN, -errno), which the request's first step sees
    // as its own attempt's (Plan::tried, Plan::would_wait), or kNotTried.
    // A driver that set `fast_lanes` has its transfers in lanes (reads In, writes Out):
    // the path serves a transfer only while its lane is idle, and holds the lane while
    // it runs, so that it never overtakes a request issued before it nor runs beside one.
    static constexpr int kNotTried = -0x7fffffff;
    virtual bool fast_ready(const Transfer& transfer, FastIo* io);
    virtual bool fast_transfer(const Transfer& transfer, FastIo* io);

    // A transfer on a handle opened without FILE_FLAG_OVERLAPPED (ReadFile/WriteFile with
    // no OVERLAPPED, or one only for the offset): done now, in the calling thread, at the
    // file pointer or (at_offset) at transfer.offset. Returns ERROR_SUCCESS or the error;
    // *done is what was transferred.
    virtual DWORD transfer_sync(const Transfer& transfer, bool at_offset, DWORD* done) = 0;

    // Under `lock`: the bound port (it holds a reference) and key, or nullptr.
    kernel::CompletionPort* port() const { return port_; }
    ULONG_PTR key() const { return key_; }

    bool is_signaled(const kernel::ThreadState*) const override { return signaled_; }
    // Cancels the requests in progress that the close of the last handle ends
    // (cancelled_by_close: all of them unless the driver says otherwise).
    void last_handle_closed() override;
    // Under `lock`: whether closing the last handle cancels `request`. A driver whose
    // requests run to their end whatever becomes of the handle (a disk file's transfers)
    // answers false for them; they are delivered when they finish.
    virtual bool cancelled_by_close(const Request* request) const
    {
        (void)request;
        return true;
    }
    // The last reference went: recycled now unless a fast transfer runs (fast_running).
    bool recycle_later() override;

    // ---- under `lock`: the I/O manager's (src/io/request.cpp).
    Request* requests = nullptr;  // in progress, doubly linked
    struct LaneState {
        Request* head = nullptr;  // waiting to start, first in first out
        Request* tail = nullptr;
        bool busy = false;        // one of the lane's requests is under way
    } lanes[2];                   // Lane::In, Lane::Out
    bool signaled_ = true;
    UCHAR notification_modes = 0;  // FILE_SKIP_* (SetFileCompletionNotificationModes)
    bool registered = false;       // in the I/O manager's device set
    bool fast_io = false;          // the driver's: fast_transfer() may finish a transfer
    bool fast_lanes = false;       // the driver's: fast transfers keep to the lanes
    // The fast I/O path's guard: transfers running in fast_transfer() without `lock`.
    // While one runs the device is not recycled: the release of its last reference (a
    // CloseHandle meanwhile) leaves the recycling to the last of them (recycle_later).
    // A counter under the lock the path takes anyway costs nothing, where a reference
    // taken and dropped by every transfer cost two atomic read-modify-writes a call.
    uint32_t fast_running = 0;
    bool recycle_deferred = false;
    // SetFileIoOverlappedRange's ranges, locked in memory (mlock) until the last handle
    // closes; null while there are none (nearly always).
    std::vector<std::pair<void*, size_t>>* overlapped_ranges = nullptr;
    // Under `lock`: the range locked and recorded; ERROR_SUCCESS or the Win32 error.
    DWORD lock_overlapped_range(void* start, size_t length);
    // Under `lock`: one fast transfer ended; true if the caller must call recycle_now()
    // once it has let the lock go (the last reference went while the transfer ran).
    bool fast_end()
    {
        if (--fast_running != 0 || !recycle_deferred) return false;
        recycle_deferred = false;
        return true;
    }
    using Object::recycle_now;

protected:
    explicit Device(kernel::ObjectType type) : Object(type) {}
    // Resets the device state for a new open.
    void reset_device();

    // Threads blocked in a system call of a synchronous request on this device (a poll
    // or a blocking receive), so that the close of the last handle can end their calls.
    // All three under `lock`: the calling thread is about to block / is back; and
    // interrupt every blocked thread (CancelSynchronousIo's path: the call then fails as
    // the driver says a closed handle's call fails).
    void blocked_enter(kernel::ThreadState* self) { blocked_.push_back(self); }
    void blocked_leave(kernel::ThreadState* self);
    void interrupt_blocked();
    // Drops the binding; called when the device is recycled.
    void unbind();
    // Under `lock`: unlocks SetFileIoOverlappedRange's ranges (the last handle closed).
    void unlock_overlapped_ranges();

private:
    kernel::CompletionPort* port_ = nullptr;
    ULONG_PTR key_ = 0;
    std::vector<kernel::ThreadState*> blocked_;
};

// Takes `device` out of the I/O manager's device set (when it is recycled).
void forget_device(Device* device);

// CreateFile's generic rights as the specific rights of a file object, the generic
// mapping every device shares: GENERIC_READ → FILE_GENERIC_READ, GENERIC_WRITE →
// FILE_GENERIC_WRITE, GENERIC_EXECUTE → FILE_GENERIC_EXECUTE, GENERIC_ALL →
// FILE_ALL_ACCESS; specific rights asked for are kept.
ACCESS_MASK map_generic_file_access(ACCESS_MASK desired);

// The device behind `handle`, locked (any device type), or nullptr with *error
// (ERROR_INVALID_HANDLE for a handle that is not a device). `granted`, if given,
// receives the access the handle grants (for callers that check it themselves).
Device* device_lock(HANDLE handle, ACCESS_MASK access, DWORD* error, ACCESS_MASK* granted = nullptr);

// Whether objects of `type` are devices (io::Device).
bool is_device_type(kernel::ObjectType type);

}  // namespace overlapped::io

namespace overlapped::io {

// Runs a driver call that may block as a synchronous request: while it runs, the calling
// thread counts as blocked for its completion port (a released thread that blocks lets
// another waiter run, as on Windows), and CancelSynchronousIo can interrupt it.
//
// `alertable`: the call waits as Windows' blocking Winsock calls do, alertably: an APC
// queued to the thread interrupts it (EINTR; its wait keeps the signal blocked outside
// its ppoll, engine::InterruptWindow). The call sees apc_pending, returns
// kRunApcs, and its caller runs the APCs outside the request and waits again.
constexpr DWORD kRunApcs = 0xFFFFFFFEu;
void enable_alertable_sync();
template <class Call>
DWORD run_synchronous(Call call, bool alertable = false)
{
    kernel::ThreadState* self = kernel::current_thread();
    if (alertable) enable_alertable_sync();
    kernel::port_thread_blocking(self);
    self->sync_lock.lock();
    self->sync_io = true;
    self->sync_cancelled.store(0, std::memory_order_relaxed);
    if (alertable) self->sync_alertable.store(1, std::memory_order_seq_cst);
    self->sync_lock.unlock();
    DWORD result = call();
    self->sync_lock.lock();
    self->sync_io = false;
    self->sync_alertable.store(0, std::memory_order_relaxed);
    self->sync_lock.unlock();
    kernel::port_thread_unblocked(self);
    return result;
}

// For drivers, after a system call of a synchronous request was interrupted (EINTR):
// whether CancelSynchronousIo asked for the request to end.
inline bool sync_io_cancelled()
{
    return kernel::current_thread()->sync_cancelled.load(std::memory_order_acquire) != 0;
}

// CancelSynchronousIo: interrupts `thread`'s synchronous request. ERROR_NOT_FOUND if it
// has none.
DWORD cancel_synchronous(kernel::ThreadState* thread);

}  // namespace overlapped::io
