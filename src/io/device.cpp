// device.cpp: the device base: completion-port binding, per-open state.
#include "io/device.h"

#include <csignal>
#include <mutex>
#include <pthread.h>

#include "kernel/handle_table.h"

namespace overlapped::io {

DWORD Device::bind(kernel::CompletionPort* port, ULONG_PTR key)
{
    if (port_ != nullptr || !overlapped_io()) return ERROR_INVALID_PARAMETER;
    port->add_reference();
    port_ = port;
    key_ = key;
    return ERROR_SUCCESS;
}

void Device::reset_device()
{
    requests = nullptr;
    signaled_ = true;
    notification_modes = 0;
}

void Device::unbind()
{
    kernel::CompletionPort* port = port_;
    port_ = nullptr;
    key_ = 0;
    if (port != nullptr) port->release_reference();
}

Device* device_lock(HANDLE handle, ACCESS_MASK access, DWORD* error)
{
    kernel::Object* object = kernel::handle_lock(handle, kernel::ObjectType::Any, access, error);
    if (object == nullptr) return nullptr;
    if (object->type() != kernel::ObjectType::File) {
        object->lock.unlock();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    return static_cast<Device*>(object);
}

namespace {

// The signal that interrupts a synchronous request (docs/deviations.md): a real-time
// signal with a handler that does nothing, installed without SA_RESTART so that the
// blocked system call returns EINTR.
int interrupt_signal() { return SIGRTMIN + 6; }

void on_interrupt(int) {}

}  // namespace

DWORD cancel_synchronous(kernel::ThreadState* thread)
{
    static std::once_flag installed;
    std::call_once(installed, [] {
        struct sigaction action{};
        action.sa_handler = &on_interrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;
        sigaction(interrupt_signal(), &action, nullptr);
    });
    LockGuard guard(thread->sync_lock);
    if (!thread->sync_io) return ERROR_NOT_FOUND;
    thread->sync_cancelled.store(1, std::memory_order_release);
    // The thread cannot leave its request (nor exit) while we hold sync_lock.
    pthread_kill(static_cast<pthread_t>(thread->pthread), interrupt_signal());
    return ERROR_SUCCESS;
}

}  // namespace overlapped::io
