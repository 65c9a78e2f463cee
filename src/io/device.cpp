// device.cpp: the device base: completion-port binding, per-open state.
#include "io/device.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <new>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

#include "engine/interrupt.h"
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
    lanes[0] = LaneState{};
    lanes[1] = LaneState{};
    signaled_ = true;
    notification_modes = 0;
    fast_io = false;
    fast_lanes = false;
    fast_running = 0;
    recycle_deferred = false;
    overlapped_ranges = nullptr;  // unlocked and freed when the last handle closed
    blocked_.clear();
}

DWORD Device::lock_overlapped_range(void* start, size_t length)
{
    // Windows locks the range for its I/O manager, and asks for SeLockMemoryPrivilege;
    // Linux asks the same of mlock: CAP_IPC_LOCK, or room under RLIMIT_MEMLOCK. (The
    // system call itself: AddressSanitizer's mlock and munlock do nothing.)
    if (syscall(SYS_mlock, start, length) != 0) {
        if (errno == EPERM || errno == EAGAIN) return ERROR_PRIVILEGE_NOT_HELD;
        // ENOMEM: unmapped addresses in the range, or locked memory over the limit.
        unsigned char page;
        long size = sysconf(_SC_PAGESIZE);
        uintptr_t first = reinterpret_cast<uintptr_t>(start) & ~static_cast<uintptr_t>(size - 1);
        uintptr_t end = reinterpret_cast<uintptr_t>(start) + length;
        for (uintptr_t at = first; at < end; at += static_cast<uintptr_t>(size))
            if (mincore(reinterpret_cast<void*>(at), 1, &page) != 0) return ERROR_NOACCESS;
        return ERROR_PRIVILEGE_NOT_HELD;
    }
    if (overlapped_ranges == nullptr) overlapped_ranges = new (std::nothrow) std::vector<std::pair<void*, size_t>>();
    if (overlapped_ranges == nullptr) {
        syscall(SYS_munlock, start, length);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    overlapped_ranges->emplace_back(start, length);
    return ERROR_SUCCESS;
}

void Device::unlock_overlapped_ranges()
{
    if (overlapped_ranges == nullptr) return;
    for (const auto& range : *overlapped_ranges) syscall(SYS_munlock, range.first, range.second);
    delete overlapped_ranges;
    overlapped_ranges = nullptr;
}

bool Device::recycle_later()
{
    LockGuard guard(lock);
    if (fast_running == 0) return false;
    recycle_deferred = true;  // the last fast transfer to end recycles it (fast_end)
    return true;
}

bool Device::fast_ready(const Transfer& transfer, FastIo*) { return transfer.driver_request == nullptr; }

bool Device::fast_transfer(const Transfer&, FastIo* io)
{
    io->result = kNotTried;
    return false;
}

void Device::blocked_leave(kernel::ThreadState* self)
{
    blocked_.erase(std::find(blocked_.begin(), blocked_.end(), self));
}

void Device::interrupt_blocked()
{
    for (kernel::ThreadState* thread : blocked_) cancel_synchronous(thread);
}

void Device::unbind()
{
    kernel::CompletionPort* port = port_;
    port_ = nullptr;
    key_ = 0;
    if (port != nullptr) port->release_reference();
}

Device* device_lock(HANDLE handle, ACCESS_MASK access, DWORD* error, ACCESS_MASK* granted)
{
    kernel::Object* object = kernel::handle_lock_granted(handle, kernel::ObjectType::Any, access, granted, error);
    if (object == nullptr) return nullptr;
    if (!is_device_type(object->type())) {
        object->lock.unlock();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    return static_cast<Device*>(object);
}

ACCESS_MASK map_generic_file_access(ACCESS_MASK desired)
{
    ACCESS_MASK access = desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    if (desired & GENERIC_READ) access |= FILE_GENERIC_READ;
    if (desired & GENERIC_WRITE) access |= FILE_GENERIC_WRITE;
    if (desired & GENERIC_EXECUTE) access |= FILE_GENERIC_EXECUTE;
    if (desired & GENERIC_ALL) access |= FILE_ALL_ACCESS;
    return access;
}

bool is_device_type(kernel::ObjectType type)
{
    return type == kernel::ObjectType::File || type == kernel::ObjectType::Socket || type == kernel::ObjectType::Pipe ||
           type == kernel::ObjectType::Mailslot || type == kernel::ObjectType::Console ||
           type == kernel::ObjectType::Disk || type == kernel::ObjectType::Serial;
}

void enable_alertable_sync() { kernel::set_sync_interrupter(&engine::interrupt_thread); }

DWORD cancel_synchronous(kernel::ThreadState* thread)
{
    LockGuard guard(thread->sync_lock);
    if (!thread->sync_io) return ERROR_NOT_FOUND;
    thread->sync_cancelled.store(1, std::memory_order_release);
    // The thread cannot leave its request (nor exit) while we hold sync_lock.
    engine::interrupt_thread(thread->pthread);
    return ERROR_SUCCESS;
}

}  // namespace overlapped::io
