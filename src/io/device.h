// device.h: what every device object shares, whatever its driver: the completion port
// it is bound to (CreateIoCompletionPort) with its key. The request lifecycle (submit,
// pending, complete, cancel; delivery to event, device, APC, port) joins it with the
// files issue.
#pragma once

#include <windows.h>

#include "kernel/object.h"
#include "kernel/port.h"

namespace overlapped::io {

class Device : public kernel::Object {
public:
    // Binds the device to `port` with `key`, under `lock`. A device is bound at most once
    // for its life, and only if it was opened for overlapped I/O: ERROR_INVALID_PARAMETER
    // otherwise (as Windows answers).
    DWORD bind(kernel::CompletionPort* port, ULONG_PTR key);

    // Whether the handle was opened for overlapped I/O (FILE_FLAG_OVERLAPPED).
    virtual bool overlapped_io() const = 0;

    // Under `lock`: the bound port (it holds a reference) and key, or nullptr.
    kernel::CompletionPort* port() const { return port_; }
    ULONG_PTR key() const { return key_; }

protected:
    explicit Device(kernel::ObjectType type) : Object(type) {}
    // Drops the binding; called when the device is recycled.
    void unbind();

private:
    kernel::CompletionPort* port_ = nullptr;
    ULONG_PTR key_ = 0;
};

// The device behind `handle`, locked (any device type), or nullptr with *error
// (ERROR_INVALID_HANDLE for a handle that is not a device).
Device* device_lock(HANDLE handle, ACCESS_MASK access, DWORD* error);

}  // namespace overlapped::io

namespace overlapped::io {

// Runs a driver call that may block as a synchronous request: while it runs, the calling
// thread counts as blocked for its completion port (a released thread that blocks lets
// another waiter run, as on Windows).
template <class Call>
DWORD run_synchronous(Call call)
{
    kernel::ThreadState* self = kernel::current_thread();
    kernel::port_thread_blocking(self);
    DWORD result = call();
    kernel::port_thread_unblocked(self);
    return result;
}

}  // namespace overlapped::io
