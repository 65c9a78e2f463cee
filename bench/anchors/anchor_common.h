// anchor_common.h: the same timing and output conventions as win32/bench_common.h, for
// the native anchors.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

inline double anchor_seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
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
