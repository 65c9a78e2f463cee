// anchor_common.h: the same timing and output conventions as win32/bench_common.h, for
// the native anchors.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include <sys/resource.h>

inline double anchor_seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// This process's CPU time so far (user and system, all threads), in seconds: as
// bench_process_cpu_seconds() in bench/win32/bench_common.h measures it for the Win32
// programs. CPU time per operation hardly moves when other programs share the processors.
inline double anchor_cpu_seconds()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

inline double anchor_duration(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--quick") == 0) return 0.3;
    return 1.0;
}

inline double anchor_median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

inline void anchor_metric(const char* name, double value, const char* unit)
{
    std::printf("METRIC %s %.4f %s\n", name, value, unit);
    std::fflush(stdout);
}
