// threadpool_internal.h: the Win32 thread-pool objects (TP_WORK, TP_TIMER, TP_WAIT,
// TP_IO, simple callbacks, cleanup groups) over the kernel's pool (kernel/threadpool.h),
// shared by threadpool.cpp (the Vista API) and threadpool_legacy.cpp (the older one).
#pragma once

#include <atomic>
#include <mutex>

#include <windows.h>

#include "kernel/threadpool.h"

namespace overlapped::win32::tp {

using kernel::Packet;
using kernel::tp::Instance;
using kernel::tp::Item;
using kernel::tp::Pool;

struct Group;

// What every object of the API keeps from its callback environment.
struct Environment {
    Pool* pool = nullptr;
    Group* group = nullptr;
    PTP_CLEANUP_GROUP_CANCEL_CALLBACK cancel_callback = nullptr;
    PTP_SIMPLE_CALLBACK finalization = nullptr;
};
// Whether the object allocators accept this environment (NULL is fine): a known version
// and, in a version 3 environment, a valid priority.
bool environment_valid(const TP_CALLBACK_ENVIRON* environment);
// Reads a TP_CALLBACK_ENVIRON (NULL: the default pool, no group).
Environment read_environment(const TP_CALLBACK_ENVIRON* environment);

class CallbackItem : public Item {
public:
    CallbackItem(const Environment& environment, void* context, bool is_io);
    ~CallbackItem() override;
    // Stops new callbacks (timers disarm, waits unregister); before close.
    virtual void shutdown() {}
    // Closes the caller's reference (CloseThreadpool*): stops it, leaves its group.
    void close();
    void* context;
    Environment environment;
    bool simple = false;  // a TrySubmitThreadpoolCallback item: no handle to close
    // The program's reference is gone: closed by CloseThreadpool* (possibly from its own
    // callback while its group's members are being closed) or by the group.
    std::atomic<bool> closed{false};

protected:
    // The instance's actions and the finalization callback, after the user's callback.
    void finish(Instance& instance);
};

// A cleanup group (TP_CLEANUP_GROUP). Every object made with it holds a reference until
// it is freed (it may be freed after the group is closed), and so does the program's
// handle until CloseThreadpoolCleanupGroup.
struct Group {
    std::mutex mutex;
    Item* head = nullptr;
    std::atomic<uint32_t> references{1};
    void add(Item* item);
    // Unlinks `item` if it is still a member (under the lock).
    void remove(Item* item);
    void release()
    {
        if (references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
};

// Due times and timeouts: a FILETIME (negative: relative, 100 ns units; otherwise an
// absolute system time) to an absolute CLOCK_MONOTONIC time in nanoseconds.
int64_t monotonic_from_filetime(const FILETIME* time);

}  // namespace overlapped::win32::tp
