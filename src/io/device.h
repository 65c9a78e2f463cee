// device.h: what every device object shares, whatever its driver: the completion port
// it is bound to (CreateIoCompletionPort) with its key, the requests in progress on it,
// its signalled state (a device is signalled when a request completes and reset when one
// is issued), and its completion notification modes.
#pragma once

#include <windows.h>

#include "engine/engine.h"
#include "kernel/object.h"
#include "kernel/port.h"

namespace overlapped::io {

struct Request;

// A transfer as the caller asked for it; the driver turns it into an engine operation.
struct Transfer {
    bool write = false;
    void* buffer = nullptr;
    DWORD length = 0;
    const FILE_SEGMENT_ELEMENT* segments = nullptr;  // ReadFileScatter / WriteFileGather
    uint64_t offset = 0;
};

class Device : public kernel::Object {
public:
    // Binds the device to `port` with `key`, under `lock`. A device is bound at most once
    // for its life, and only if it was opened for overlapped I/O: ERROR_INVALID_PARAMETER
    // otherwise (as Windows answers).
    DWORD bind(kernel::CompletionPort* port, ULONG_PTR key);

    // Whether the handle was opened for overlapped I/O (FILE_FLAG_OVERLAPPED).
    virtual bool overlapped_io() const = 0;

    // Under `lock`: checks `transfer` and fills `op` (descriptor, buffer, offset) for the
    // engine. Returns ERROR_SUCCESS or the Win32 error the request fails with at once.
    virtual DWORD prepare(const Transfer& transfer, engine::Op* op) = 0;

    // Under `lock`: the bound port (it holds a reference) and key, or nullptr.
    kernel::CompletionPort* port() const { return port_; }
    ULONG_PTR key() const { return key_; }

    bool is_signaled(const kernel::ThreadState*) const override { return signaled_; }
    // Cancels every request in progress (CloseHandle of the last handle).
    void last_handle_closed() override;

    // ---- under `lock`: the I/O manager's (src/io/request.cpp).
    Request* requests = nullptr;  // in progress, doubly linked
    bool signaled_ = true;
    UCHAR notification_modes = 0;  // FILE_SKIP_* (SetFileCompletionNotificationModes)
    bool registered = false;       // in the I/O manager's device set

protected:
    explicit Device(kernel::ObjectType type) : Object(type) {}
    // Resets the device state for a new open.
    void reset_device();
    // Drops the binding; called when the device is recycled.
    void unbind();

private:
    kernel::CompletionPort* port_ = nullptr;
    ULONG_PTR key_ = 0;
};

// Takes `device` out of the I/O manager's device set (when it is recycled).
void forget_device(Device* device);

// The device behind `handle`, locked (any device type), or nullptr with *error
// (ERROR_INVALID_HANDLE for a handle that is not a device).
Device* device_lock(HANDLE handle, ACCESS_MASK access, DWORD* error);

}  // namespace overlapped::io

namespace overlapped::io {

// Runs a driver call that may block as a synchronous request: while it runs, the calling
// thread counts as blocked for its completion port (a released thread that blocks lets
// another waiter run, as on Windows), and CancelSynchronousIo can interrupt it.
template <class Call>
DWORD run_synchronous(Call call)
{
    kernel::ThreadState* self = kernel::current_thread();
    kernel::port_thread_blocking(self);
    self->sync_lock.lock();
    self->sync_io = true;
    self->sync_cancelled.store(0, std::memory_order_relaxed);
    self->sync_lock.unlock();
    DWORD result = call();
    self->sync_lock.lock();
    self->sync_io = false;
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
