// lock.h: the small futex mutex that guards every kernel object's state.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/futex.h"

namespace overlapped {

// A non-recursive mutex in one 32-bit word: 0 free, 1 held, 2 held with sleepers.
// lock() and unlock() cost one atomic each when uncontended; a contended lock spins
// briefly (the holder is on the other core and holds it for nanoseconds) and then sleeps.
// The word needs no destruction, so an object's lock stays usable for as long as its
// memory exists (see kernel/object.h on type-stable memory).
class Lock {
public:
    void lock()
    {
        uint32_t expected = 0;
        if (word_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                          std::memory_order_relaxed))
            return;
        lock_contended();
    }

    bool try_lock()
    {
        uint32_t expected = 0;
        return word_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                             std::memory_order_relaxed);
    }

    void unlock()
    {
        if (word_.exchange(0, std::memory_order_release) == 2) futex_wake(&word_, 1);
    }

private:
    void lock_contended()
    {
        for (int spin = 0; spin < 100; ++spin) {
            uint32_t expected = 0;
            if (word_.load(std::memory_order_relaxed) == 0 &&
                word_.compare_exchange_weak(expected, 1, std::memory_order_acquire,
                                            std::memory_order_relaxed))
                return;
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
        while (word_.exchange(2, std::memory_order_acquire) != 0) futex_wait(&word_, 2, nullptr);
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
