// lock.h: the small lock that guards every kernel object's state.
#pragma once

#include <atomic>
#include <cstdint>
#include <sched.h>

namespace overlapped {

// One pause in a spin-wait loop: tells the processor (and a hypervisor) we are waiting.
inline void cpu_relax()
{
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

// A test-and-set lock in one 32-bit word (0 free, 1 held). It guards critical sections
// of a few dozen instructions (a kernel object's state; no system call is made while it
// is held, except the rare wake-up of a long waiter list), so:
//  - unlock() is a plain release store, not an atomic read-modify-write: on x86 that
//    halves the cost of a lock/unlock pair, which is most of the cost of
//    PostQueuedCompletionStatus + GetQueuedCompletionStatus;
//  - a contended lock() spins briefly, then yields the processor (the holder may have
//    been preempted; on 2 cores spinning longer only delays it).
// The word needs no destruction, so an object's lock stays usable for as long as its
// memory exists (see kernel/object.h on type-stable memory).
class Lock {
public:
    void lock()
    {
        if (!word_.exchange(1, std::memory_order_acquire)) return;
        lock_contended();
    }

    bool try_lock()
    {
        return word_.load(std::memory_order_relaxed) == 0 &&
               !word_.exchange(1, std::memory_order_acquire);
    }

    void unlock() { word_.store(0, std::memory_order_release); }

private:
    void lock_contended()
    {
        for (unsigned attempt = 0;; ++attempt) {
            if (word_.load(std::memory_order_relaxed) == 0 &&
                !word_.exchange(1, std::memory_order_acquire))
                return;
            if (attempt < 64) {
                cpu_relax();
            } else {
                sched_yield();
            }
        }
    }

    std::atomic<uint32_t> word_{0};
};

// Scoped holder, as std::lock_guard, for the places that need no early unlock.
class LockGuard {
public:
    explicit LockGuard(Lock& lock) : lock_(lock) { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Lock& lock_;
};

}  // namespace overlapped
