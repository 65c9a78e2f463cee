/* testlib.h: the small harness every Win32 test program shares. Builds against our
 * <windows.h> on Linux and against mingw-w64's under Wine, from the same source.
 *
 * Rules the tests follow:
 *  - every check can fail and says where and why when it does;
 *  - every wait is bounded (no INFINITE in a test unless a watchdog covers it);
 *  - checks for behaviour Wine is known to get wrong sit inside WINE_DEVIATION(reason),
 *    which runs them on our library and counts them as skipped under Wine, printing why;
 *  - checks for Windows behaviour this library deliberately does not reproduce sit inside
 *    OUR_DEVIATION(reason), the other way round;
 *  - main() ends with `return tl_finish();`, which prints the line
 *    "N passed, M failed, K skipped" and returns nonzero if anything failed. */
#ifndef OVERLAPPED_TESTLIB_H
#define OVERLAPPED_TESTLIB_H

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tl_passed, tl_failed, tl_skipped;

/* Set by tests/run-wine.sh: the program runs under Wine, not on our library. */
static inline int tl_under_wine(void)
{
    const char *value = getenv("OVERLAPPED_UNDER_WINE");
    return value != NULL && value[0] == '1';
}

static inline void tl_record(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        tl_passed++;
    } else {
        tl_failed++;
        printf("FAIL %s:%d: %s\n", file, line, what);
        fflush(stdout);
    }
}

/* CHECK(condition): one check. */
#define CHECK(condition) tl_record((condition) ? 1 : 0, __FILE__, __LINE__, #condition)

/* CHECK_EQ(actual, expected): integer comparison that prints both values. */
#define CHECK_EQ(actual, expected)                                                       \
    do {                                                                                 \
        unsigned long long tl_a = (unsigned long long)(actual);                          \
        unsigned long long tl_e = (unsigned long long)(expected);                        \
        if (tl_a == tl_e) {                                                              \
            tl_passed++;                                                                 \
        } else {                                                                         \
            tl_failed++;                                                                 \
            printf("FAIL %s:%d: %s == %s: got %llu (0x%llx), expected %llu (0x%llx)\n",  \
                   __FILE__, __LINE__, #actual, #expected, tl_a, tl_a, tl_e, tl_e);       \
            fflush(stdout);                                                              \
        }                                                                                \
    } while (0)

/* CHECK_ERROR(expected): GetLastError() equals the expected code. */
#define CHECK_ERROR(expected) CHECK_EQ(GetLastError(), (expected))

/* CHECK_FAILS(call, error): `call` returns 0 and sets the last error to `error`. */
#define CHECK_FAILS(call, error)                                                         \
    do {                                                                                 \
        SetLastError(0xdeadbeef);                                                        \
        CHECK_EQ((call), 0);                                                             \
        CHECK_ERROR(error);                                                              \
    } while (0)

/* WINE_DEVIATION(reason) { checks }: the checks run on our library; under Wine they are
 * skipped and the reason is printed. Every use is listed in docs/deviations.md. */
#define WINE_DEVIATION(reason)                                                           \
    if (tl_under_wine() && (tl_skipped++, printf("SKIP %s:%d: known Wine deviation: %s\n", \
                                                __FILE__, __LINE__, reason), 1)) {       \
    } else

/* OUR_DEVIATION(reason) { checks }: the opposite: a Windows fact the library deliberately
 * does not reproduce (a real Linux limit). The checks run under Wine (which has Windows'
 * behaviour here) and are counted as skipped on our library, printing why. Every use is
 * listed, with its reason, in docs/deviations.md. */
#define OUR_DEVIATION(reason)                                                            \
    if (!tl_under_wine() && (tl_skipped++, printf("SKIP %s:%d: deviation of this library: %s\n", \
                                                 __FILE__, __LINE__, reason), 1)) {      \
    } else

/* Reads of values another thread writes: a plain (even volatile) read racing with a
 * write is a data race that ThreadSanitizer reports, so tests read and write shared
 * flags and counters through these. */
static inline LONG tl_load(volatile LONG *value) { return InterlockedCompareExchange(value, 0, 0); }
static inline void tl_store(volatile LONG *value, LONG new_value) { InterlockedExchange(value, new_value); }
static inline PVOID tl_load_pointer(PVOID volatile *value)
{
    return InterlockedCompareExchangePointer(value, NULL, NULL);
}

/* TEST(name): prints the name of the case about to run, so a failure can be placed. */
#define TEST(name) (printf("-- %s\n", name), fflush(stdout))

static inline int tl_finish(void)
{
    printf("%d passed, %d failed, %d skipped\n", tl_passed, tl_failed, tl_skipped);
    fflush(stdout);
    return tl_failed != 0 ? 1 : 0;
}

#endif
