// threadpool.h: the thread pool under the Win32 thread-pool API (src/win32/threadpool*.cpp).
//
// A pool is a completion port of its own (kernel/port.h) and the worker threads that
// wait on it. Everything a worker runs arrives as a packet on that port:
//  - completions of I/O handles bound to the port (TP_IO), one packet per request;
//  - "tokens" for the other callback objects (work, timers, waits, simple callbacks):
//    submitting counts a pending callback in the object's state word and posts a token
//    only when the count leaves zero; a worker holding the token runs pending callbacks
//    in a loop, and hands the token on (re-posts it) when another thread is idle, so
//    submitting N callbacks costs N atomic increments and a few port posts.
// The port's concurrency limit (the processor count) caps the callbacks running at once;
// a callback that blocks in a library wait lets another waiting thread run (the port's
// own accounting), and a monitor thread adds threads when a pool's callbacks are all
// blocked and packets are queued. Idle threads retire after kIdleRetireMs.
// Timers (one timer thread) and waits (wait threads, 63 objects each) submit callbacks.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include <windows.h>

#include "kernel/object.h"
#include "kernel/port.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel::tp {

class Pool;
class Item;

// How long an idle worker waits for a packet before it retires (above the minimum).
constexpr DWORD kIdleRetireMs = 2000;

// The TP_CALLBACK_INSTANCE a worker hands to the callback: lives on the worker's stack.
struct Instance {
    Item* item = nullptr;
    Pool* pool = nullptr;
    bool disassociated = false;  // DisassociateCurrentThreadFromCallback was called
    bool may_run_long = false;   // CallbackMayRunLong was called
    // Actions when the callback returns (run by the Win32 layer's Item::run).
    HANDLE event = nullptr;
    HANDLE semaphore = nullptr;
    LONG semaphore_count = 0;
    HANDLE mutex = nullptr;
    void* critical_section = nullptr;
};

// Called by the wait engine (port_thread_blocking) before the calling thread blocks: a
// pool worker running callbacks of a work object with more pending re-posts its token,
// so that another thread runs them while this one is blocked.
void thread_blocking();

// The instance of the callback running on this thread (nullptr outside callbacks).
Instance* current_instance();

// A callback object. Its state word counts, in one atomic: callbacks pending (submitted,
// or I/O started, not yet taken by a worker), completions to skip (I/O cancelled by
// WaitForThreadpoolIoCallbacks(TRUE)) and callbacks running.
class Item {
public:
    static constexpr uint64_t kPending = 1;
    static constexpr uint64_t kPendingMask = (uint64_t(1) << 28) - 1;
    static constexpr uint64_t kSkip = uint64_t(1) << 28;
    static constexpr uint64_t kSkipMask = ((uint64_t(1) << 20) - 1) << 28;
    static constexpr uint64_t kRunning = uint64_t(1) << 48;
    static constexpr uint64_t kRunningMask = ((uint64_t(1) << 16) - 1) << 48;

    explicit Item(Pool* pool, bool is_io);
    virtual ~Item();

    // Runs one callback (the Win32 layer: the user's function, then the instance's
    // actions). `packet` is the I/O completion for TP_IO items.
    virtual void run(const Packet& packet, Instance& instance) = 0;

    Pool* pool() const { return pool_; }
    bool is_io() const { return is_io_; }

    void add_reference() { references_.fetch_add(1, std::memory_order_relaxed); }
    // Adds a reference unless the item is already going (its count reached zero).
    bool try_add_reference()
    {
        uint32_t count = references_.load(std::memory_order_relaxed);
        while (count != 0)
            if (references_.compare_exchange_weak(count, count + 1, std::memory_order_acquire)) return true;
        return false;
    }
    void release();  // the last reference deletes the item

    // Work, timers, waits: one more pending callback.
    void submit();
    // Cancels the callbacks not yet started (for I/O: started requests' completions
    // will be skipped, unless a request started since takes them first: a completion
    // goes to a pending start before a skip). Returns how many were cancelled.
    uint64_t cancel_pending();
    // Until no callback is pending or running (WaitForThreadpool*Callbacks).
    void wait_callbacks();
    // TP_IO: StartThreadpoolIo / CancelThreadpoolIo.
    void io_start();
    void io_cancel();

    // Runs one callback on the calling thread now, counted as running (the legacy API's
    // WT_EXECUTEINTIMERTHREAD / WT_EXECUTEINWAITTHREAD).
    void run_inline();

    // The worker's side (threadpool.cpp).
    void finish_callback();  // a running callback ended (or was disassociated)
    // DisassociateCurrentThreadFromCallback: the callback no longer counts for
    // WaitForThreadpoolXxxCallbacks, but it still runs, and closing the object's cleanup
    // group waits for it (wait_detached).
    void disassociate();
    void detached_returned();  // a disassociated callback returned
    // Until no disassociated callback of this item is still running.
    void wait_detached();
    bool idle() const { return (state_.load(std::memory_order_acquire) & ~kSkipMask) == 0; }

    // Links of the cleanup group this item belongs to (the Win32 layer's).
    void* group = nullptr;
    Item* group_prev = nullptr;
    Item* group_next = nullptr;

private:
    friend class Pool;
    friend void worker_dispatch(Pool* pool, const Packet& packet);
    Pool* pool_;
    const bool is_io_;
    std::atomic<uint64_t> state_{0};
    std::atomic<uint32_t> references_{1};
    std::atomic<uint32_t> waiters_{0};
    std::atomic<uint32_t> detached_{0};  // disassociated callbacks still running
    std::mutex idle_mutex_;
    std::condition_variable idle_cv_;
};

class Pool {
public:
    // The process's default pool: made on first use, starts no thread until it has work.
    static Pool* default_pool();
    // A private pool (CreateThreadpool): one reference, the caller's.
    static Pool* create();

    void add_reference() { references_.fetch_add(1, std::memory_order_relaxed); }
    void release();  // the last reference shuts the pool down (workers exit)

    void set_maximum(DWORD maximum);
    bool set_minimum(DWORD minimum);

    // The pool's port, for binding I/O handles (TP_IO, BindIoCompletionCallback).
    CompletionPort* port() const { return port_; }
    // A new I/O object: make sure a thread waits on the port.
    void ensure_thread();
    // CallbackMayRunLong: whether another thread is (or could be made) available.
    bool may_run_long();

    // Internal: posts `item`'s token (one reference taken by the caller).
    void post_token(Item* item);
    void worker_main();
    void monitor_tick();

    // Internal (the workers and the monitor).
    Pool() = default;
    bool spawn_locked();  // under mutex_
    void destroy();
    void maybe_grow();
    void arm_monitor();

    CompletionPort* port_ = nullptr;
    std::atomic<uint32_t> references_{1};
    std::mutex mutex_;  // thread creation and retirement, limits, shutdown
    uint32_t maximum_ = 500;
    uint32_t minimum_ = 0;
    bool shutting_down_ = false;
    bool is_default_ = false;
    std::atomic<uint32_t> threads_{0};  // live worker threads
    std::atomic<uint32_t> starting_{0};  // of those, made but not yet waiting on the port
    // Workers waiting on the port: written as workers go idle and wake, so on a cache
    // line of its own (the rest above is read-mostly).
    alignas(64) std::atomic<uint32_t> idle_{0};
    char idle_line_[60];
    std::atomic<uint32_t> saturated_{0};  // set when a worker found no idle peer
    uint64_t last_dequeued_ = 0;          // monitor's view of progress
};

// The process's timer thread: fires `callback(context)` at `due_ns` (CLOCK_MONOTONIC).
// A timer slot is owned by its user; arm/cancel under the timer thread's lock.
struct TimerSlot {
    void (*fire)(TimerSlot* slot) = nullptr;  // called on the timer thread, lock not held
    void* owner = nullptr;
    int64_t due_ns = 0;
    uint64_t period_ns = 0;
    bool armed = false;
    uint64_t sequence = 0;  // bumped by every arm/disarm
};
void timer_arm(TimerSlot* slot, int64_t due_ns, uint64_t period_ns);
// As timer_arm, but only if the slot is still armed (not a one-shot timer that has fired,
// nor a disarmed one); returns whether it was.
bool timer_rearm(TimerSlot* slot, int64_t due_ns, uint64_t period_ns);
// Disarms; returns whether it was armed. Does not wait for a fire() in progress.
bool timer_disarm(TimerSlot* slot);
// Waits until no fire() of `slot` is in progress on the timer thread.
void timer_quiesce(TimerSlot* slot);

// A registered wait: when `object` is signalled (WAIT_OBJECT_0) or `deadline_ns` passes
// (WAIT_TIMEOUT; -1: none), fire(slot, result) runs on a wait thread, which then drops
// the registration unless `repeat` (then it waits again, from a fresh timeout).
struct WaitSlot {
    void (*fire)(WaitSlot* slot, DWORD result) = nullptr;
    void* owner = nullptr;
    Object* object = nullptr;   // referenced by the registration
    int64_t deadline_ns = -1;
    uint32_t timeout_ms = INFINITE;  // for repeating waits: the relative timeout
    bool repeat = false;
    // Internal.
    void* thread = nullptr;
    uint32_t index = 0;
    bool registered = false;
};
// Registers (the slot must not be registered). Takes over the reference on `object`.
void wait_register(WaitSlot* slot);
// Unregisters; returns whether it was registered. Waits for a fire() in progress on
// another thread to end unless called from that fire() itself.
bool wait_unregister(WaitSlot* slot);

}  // namespace overlapped::kernel::tp
