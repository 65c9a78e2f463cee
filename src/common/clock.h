// clock.h: the monotonic clock in milliseconds, for the time-outs Win32 gives in DWORD
// milliseconds (pipe waits, mailslot reads, GetOverlappedResultEx).
#pragma once

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
