// futex.h: the two futex operations the library sleeps and wakes with.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace overlapped {

// Sleeps while *word == expected, at most until the absolute CLOCK_MONOTONIC `deadline`
// (nullptr: no limit). Returns 0 when woken (or the value had changed), ETIMEDOUT, or
// EINTR. Callers always re-check their condition: wake-ups may be spurious.
inline int futex_wait(std::atomic<uint32_t>* word, uint32_t expected, const timespec* deadline)
{
    long rc = syscall(SYS_futex, reinterpret_cast<uint32_t*>(word),
                      FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, deadline, nullptr,
                      FUTEX_BITSET_MATCH_ANY);
    if (rc == 0) return 0;
    if (errno == EAGAIN) return 0;
    return errno;
}

// Wakes at most `count` threads sleeping on `word`.
inline void futex_wake(std::atomic<uint32_t>* word, int count)
{
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count,
            nullptr, nullptr, 0);
}

}  // namespace overlapped
