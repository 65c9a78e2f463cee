// clock.h: the monotonic clock in milliseconds, for the time-outs Win32 gives in DWORD
// milliseconds (pipe waits, mailslot reads, GetOverlappedResultEx).
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <ctime>

namespace overlapped {

inline uint64_t monotonic_ms()
{
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1000 + static_cast<uint64_t>(now.tv_nsec) / 1000000;
}

}  // namespace overlapped

namespace overlapped {

// 1970-01-01 as a FILETIME: 100 ns ticks since 1601-01-01.
constexpr uint64_t kUnixEpochAsFileTime = 116444736000000000ull;

// UTC as a FILETIME's 100 ns ticks since 1601-01-01.
inline uint64_t filetime_now()
{
    timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<uint64_t>(now.tv_sec) * 10000000 + static_cast<uint64_t>(now.tv_nsec) / 100 +
           kUnixEpochAsFileTime;
}

// A getrusage/wait result's kernel and user time in FILETIME units (100 ns).
inline void rusage_times(const rusage& usage, uint64_t* kernel, uint64_t* user)
{
    *kernel = static_cast<uint64_t>(usage.ru_stime.tv_sec) * 10000000 + static_cast<uint64_t>(usage.ru_stime.tv_usec) * 10;
    *user = static_cast<uint64_t>(usage.ru_utime.tv_sec) * 10000000 + static_cast<uint64_t>(usage.ru_utime.tv_usec) * 10;
}

// CPU time and start of a Linux task, in FILETIME units (100 ns): kernel and user time,
// and the start as a FILETIME (UTC). `tid` 0: the whole process `pid` (/proc/PID/stat:
// its threads, dead ones included, not its children); else one thread of it
// (/proc/PID/task/TID/stat). False when there is no such task (it has been reaped).
bool task_times(int pid, int tid, uint64_t* kernel, uint64_t* user, uint64_t* creation);

// The state letter of process `pid` (/proc/PID/stat's third field: R, S, D, Z, X...; '?'
// if it cannot be read there). False when there is no such process (it has been reaped).
bool task_state(int pid, char* state);

}  // namespace overlapped
