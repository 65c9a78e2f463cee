// futex.h: the two futex operations the library sleeps and wakes with.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#if defined(__SANITIZE_THREAD__)
#include <csignal>
#include <pthread.h>
#endif
#include <unistd.h>

namespace overlapped {

// Sleeps while *word == expected, at most until the absolute CLOCK_MONOTONIC `deadline`
// (nullptr: no limit). Returns 0 when woken (or the value had changed), ETIMEDOUT, or
// EINTR. Callers always re-check their condition: wake-ups may be spurious.
inline int futex_wait(std::atomic<uint32_t>* word, uint32_t expected, const timespec* deadline)
{
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer runs a program's signal handler only when the thread the signal
    // came to next passes through one of its interceptors, and this raw system call is
    // not one: a thread asleep here would hold back a Ctrl-C handler (console_ctrl.cpp)
    // for as long as it sleeps. So under TSan sleep in slices of at most 100 ms, and
    // between slices make one intercepted call, where TSan delivers what it held back.
    timespec slice;
    clock_gettime(CLOCK_MONOTONIC, &slice);
    slice.tv_nsec += 100 * 1000 * 1000;
    if (slice.tv_nsec >= 1000 * 1000 * 1000) {
        slice.tv_nsec -= 1000 * 1000 * 1000;
        slice.tv_sec += 1;
    }
    bool sliced = deadline == nullptr || deadline->tv_sec > slice.tv_sec ||
                  (deadline->tv_sec == slice.tv_sec && deadline->tv_nsec > slice.tv_nsec);
    if (sliced) deadline = &slice;
#endif
    long rc = syscall(SYS_futex, reinterpret_cast<uint32_t*>(word),
                      FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, deadline, nullptr,
                      FUTEX_BITSET_MATCH_ANY);
    if (rc == 0) return 0;
    int error = errno;
#if defined(__SANITIZE_THREAD__)
    if (sliced && (error == ETIMEDOUT || error == EINTR)) {
        sigset_t unused;
        pthread_sigmask(SIG_BLOCK, nullptr, &unused);  // intercepted: held-back signals run here
        return 0;  // a spurious wake-up: the caller checks again and sleeps again
    }
#endif
    if (error == EAGAIN) return 0;
    return error;
}

// Wakes at most `count` threads sleeping on `word`.
inline void futex_wake(std::atomic<uint32_t>* word, int count)
{
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count,
            nullptr, nullptr, 0);
}

}  // namespace overlapped
