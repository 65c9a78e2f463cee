/* bench_common.h: timing helpers shared by the Win32 benchmark programs. Every run is
 * bounded by time, not by count, so the same source finishes quickly on our library
 * (tens of millions of operations a second) and under Wine (thousands). */
#ifndef OVERLAPPED_BENCH_COMMON_H
#define OVERLAPPED_BENCH_COMMON_H

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline double bench_seconds(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart / (double)frequency.QuadPart;
}

/* Seconds each measurement runs: 1.0, or 0.3 with --quick. */
static inline double bench_duration(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        if (strcmp(argv[i], "--quick") == 0) return 0.3;
    return 1.0;
}

static inline int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static inline double bench_median(double *values, int count)
{
    qsort(values, count, sizeof(values[0]), bench_compare_doubles);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

/* The CPU time this process has used so far (user and kernel, all its threads), in
 * seconds; negative if the system cannot say. Unlike a rate, CPU time per operation
 * hardly moves when other programs share the processors: it counts only this process's
 * own running time (bench/README.md, "CPU a round trip"). */
static inline double bench_process_cpu_seconds(void)
{
    FILETIME creation, exit_time, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &creation, &exit_time, &kernel, &user)) return -1;
    ULARGE_INTEGER k, u;
    k.LowPart = kernel.dwLowDateTime;
    k.HighPart = kernel.dwHighDateTime;
    u.LowPart = user.dwLowDateTime;
    u.HighPart = user.dwHighDateTime;
    return (double)(k.QuadPart + u.QuadPart) * 1e-7;
}

static inline void bench_metric(const char *name, double value, const char *unit)
{
    printf("METRIC %s %.4f %s\n", name, value, unit);
    fflush(stdout);
}

#endif
