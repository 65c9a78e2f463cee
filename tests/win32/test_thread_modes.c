/* test_thread_modes.c: a thread's error mode and the process's (SetErrorMode/GetErrorMode,
 * SetThreadErrorMode/GetThreadErrorMode), its stack (GetCurrentThreadStackLimits,
 * SetThreadStackGuarantee), its processor group affinity (GetThreadGroupAffinity,
 * SetThreadGroupAffinity) and the floating-point environment it starts with.
 *
 * Facts: Wine's kernel32 thread.c (passes on Windows): test_ThreadErrorMode (the three
 * valid bits, the previous mode through the out pointer, every other bit
 * ERROR_INVALID_PARAMETER), test_SetThreadStackGuarantee (sizes rounded up to pages, at
 * least two pages on 64-bit, never lowered, the previous size written back, a size past
 * the stack refused), test_GetCurrentThreadStackLimits, test_thread_processor (group
 * affinity: group 0 holds this machine's processors, no "every processor" shortcut, a
 * NULL affinity refused), test_thread_fpu_cw (a new thread starts with the default
 * floating-point control words, not its creator's); Microsoft Learn (SetErrorMode: "the return value is the previous
 * state of the error-mode bit flags"; GetErrorMode; SetThreadErrorMode). */
#include "testlib.h"

#include <fenv.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#ifndef SEM_FAILCRITICALERRORS
#define SEM_FAILCRITICALERRORS 0x0001
#define SEM_NOGPFAULTERRORBOX 0x0002
#define SEM_NOALIGNMENTFAULTEXCEPT 0x0004
#define SEM_NOOPENFILEERRORBOX 0x8000
#endif

#define WAIT_MS 10000

static DWORD WINAPI read_thread_mode(LPVOID arg)
{
    *(DWORD *)arg = GetThreadErrorMode();
    return 0;
}

static void test_error_modes(void)
{
    DWORD old = 0xdeadbeef, mode, bit, initial = GetThreadErrorMode();

    TEST("SetThreadErrorMode: the three valid bits, the previous mode back");
    CHECK(SetThreadErrorMode(0, &old));
    CHECK_EQ(old, initial);
    CHECK_EQ(GetThreadErrorMode(), 0);
    old = 0xdeadbeef;
    CHECK(SetThreadErrorMode(SEM_FAILCRITICALERRORS, &old));
    CHECK_EQ(old, 0);
    CHECK_EQ(GetThreadErrorMode(), SEM_FAILCRITICALERRORS);
    CHECK(SetThreadErrorMode(SEM_NOGPFAULTERRORBOX, &old));
    CHECK_EQ(old, SEM_FAILCRITICALERRORS);
    CHECK_EQ(GetThreadErrorMode(), SEM_NOGPFAULTERRORBOX);
    CHECK(SetThreadErrorMode(SEM_NOOPENFILEERRORBOX, NULL)); /* no old mode wanted */
    CHECK_EQ(GetThreadErrorMode(), SEM_NOOPENFILEERRORBOX);

    TEST("SetThreadErrorMode: any other bit is ERROR_INVALID_PARAMETER and changes nothing");
    int refused = 0, wrong_error = 0;
    for (bit = 1; bit != 0; bit <<= 1) {
        if (bit & (SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX)) continue;
        SetLastError(0xdeadbeef);
        if (!SetThreadErrorMode(bit, NULL)) {
            refused++;
            if (GetLastError() != ERROR_INVALID_PARAMETER) wrong_error++;
        }
    }
    CHECK_EQ(refused, 29);
    CHECK_EQ(wrong_error, 0);
    CHECK_EQ(GetThreadErrorMode(), SEM_NOOPENFILEERRORBOX);
    SetLastError(0xdeadbeef);
    old = 0x1234;
    CHECK(!SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOALIGNMENTFAULTEXCEPT, &old));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(GetThreadErrorMode(), SEM_NOOPENFILEERRORBOX);

    TEST("the thread error mode is the thread's: another thread does not see it");
    CHECK(SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX, NULL));
    mode = 0xdeadbeef;
    HANDLE thread = CreateThread(NULL, 0, read_thread_mode, &mode, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK(mode != (SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX));
    CHECK(SetThreadErrorMode(initial, NULL));

    TEST("SetErrorMode returns the previous mode; GetErrorMode reads it");
    UINT process_initial = GetErrorMode();
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    CHECK_EQ(GetErrorMode(), SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    CHECK_EQ(SetErrorMode(SEM_NOGPFAULTERRORBOX), SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
    CHECK_EQ(GetErrorMode(), SEM_NOGPFAULTERRORBOX);
    CHECK_EQ(SetErrorMode(process_initial), SEM_NOGPFAULTERRORBOX);
    CHECK_EQ(GetErrorMode(), process_initial);
}

static DWORD WINAPI guarantee_in_new_thread(LPVOID arg)
{
    ULONG size = 0;
    BOOL ok = SetThreadStackGuarantee(&size);
    *(ULONG *)arg = ok ? size : 0xFFFFFFFFu;
    return 0;
}

static void test_stack(void)
{
    ULONG_PTR low = 0, high = 0;
    char local = 0;

    TEST("GetCurrentThreadStackLimits: the stack holds the caller's locals");
    GetCurrentThreadStackLimits(&low, &high);
    CHECK(low != 0 && low < high);
    CHECK((ULONG_PTR)&local >= low && (ULONG_PTR)&local < high);
    CHECK_EQ(low % 4096, 0);
    CHECK_EQ(high % 4096, 0);

    TEST("SetThreadStackGuarantee: pages, a minimum, never lowered, the previous size back");
    ULONG page = 4096, least = 4096 * sizeof(void *) / 4; /* two pages on 64-bit */
    ULONG size = 0;
    CHECK(SetThreadStackGuarantee(&size)); /* 0 asks for the current guarantee */
    CHECK_EQ(size, 0);
    size = 200;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, 0);
    size = 0;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least);
    size = least + 1000;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least);
    size = 2000; /* smaller: the guarantee stays */
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least + page);
    size = least + page + 1;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least + page);
    size = 0;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least + 2 * page);

    TEST("SetThreadStackGuarantee: a size past the stack fails and keeps the guarantee");
    size = (ULONG)(high - low) + page;
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadStackGuarantee(&size));
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER || GetLastError() == ERROR_INVALID_ADDRESS);
    CHECK_EQ(size, least + 2 * page); /* the previous guarantee, as on success */
    size = 0;
    CHECK(SetThreadStackGuarantee(&size));
    CHECK_EQ(size, least + 2 * page);

    TEST("SetThreadStackGuarantee: each thread has its own");
    ULONG other = 0xdeadbeef;
    HANDLE thread = CreateThread(NULL, 0, guarantee_in_new_thread, &other, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(other, 0);
}

static void test_group_affinity(void)
{
    GROUP_AFFINITY affinity, wanted, previous;
    DWORD_PTR process_mask = 0, system_mask = 0;

    TEST("GetThreadGroupAffinity: group 0, this thread's processors");
    CHECK(GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask));
    memset(&affinity, 0xcc, sizeof(affinity));
    CHECK(GetThreadGroupAffinity(GetCurrentThread(), &affinity));
    CHECK_EQ(affinity.Group, 0);
    CHECK(affinity.Mask != 0 && (affinity.Mask & ~process_mask) == 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetThreadGroupAffinity(GetCurrentThread(), NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!GetThreadGroupAffinity(NULL, &affinity));
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("SetThreadGroupAffinity: sets the mask, returns the previous one");
    DWORD_PTR lowest = process_mask & (~process_mask + 1);
    memset(&wanted, 0, sizeof(wanted));
    wanted.Group = 0;
    wanted.Mask = lowest;
    memset(&previous, 0xcc, sizeof(previous));
    CHECK(SetThreadGroupAffinity(GetCurrentThread(), &wanted, &previous));
    CHECK_EQ(previous.Group, 0);
    CHECK(previous.Mask == affinity.Mask);
    CHECK(GetThreadGroupAffinity(GetCurrentThread(), &previous));
    CHECK(previous.Mask == lowest);
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), process_mask), lowest);

    TEST("SetThreadGroupAffinity: no every-processor shortcut, no group 1, NULL refused");
    if (system_mask != ~(DWORD_PTR)0) {
        wanted.Mask = ~(DWORD_PTR)0;
        SetLastError(0xdeadbeef);
        CHECK(!SetThreadGroupAffinity(GetCurrentThread(), &wanted, NULL));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    wanted.Group = 1;
    wanted.Mask = 1;
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadGroupAffinity(GetCurrentThread(), &wanted, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadGroupAffinity(GetCurrentThread(), NULL, NULL));
    CHECK_ERROR(ERROR_NOACCESS);
    wanted.Group = 0;
    wanted.Mask = 0;
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadGroupAffinity(GetCurrentThread(), &wanted, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(GetThreadGroupAffinity(GetCurrentThread(), &previous));
    CHECK(previous.Mask == process_mask); /* as SetThreadAffinityMask left it */
}

struct fp_seen {
    int rounding;
    unsigned int mxcsr;
};

static DWORD WINAPI read_fp(LPVOID arg)
{
    struct fp_seen *seen = arg;
    seen->rounding = fegetround();
#if defined(__x86_64__) || defined(__i386__)
    seen->mxcsr = _mm_getcsr();
#endif
    return 0;
}

static void test_fp_environment(void)
{
    struct fp_seen seen = {-1, 0};

    TEST("a new thread starts with the default rounding and MXCSR, not its creator's");
    CHECK_EQ(fesetround(FE_TOWARDZERO), 0);
#if defined(__x86_64__) || defined(__i386__)
    unsigned int creator_mxcsr = _mm_getcsr();
    _mm_setcsr(creator_mxcsr | 0x8040); /* flush-to-zero and denormals-are-zero */
#endif
    HANDLE thread = CreateThread(NULL, 0, read_fp, &seen, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(seen.rounding, FE_TONEAREST);
    CHECK_EQ(fegetround(), FE_TOWARDZERO); /* the creator keeps its own */
#if defined(__x86_64__) || defined(__i386__)
    CHECK_EQ(seen.mxcsr & 0xFFC0, 0x1F80); /* nearest, all exceptions masked, no FTZ/DAZ */
    CHECK_EQ(_mm_getcsr() & 0x8040, 0x8040);
    _mm_setcsr(creator_mxcsr);
#endif
    fesetround(FE_TONEAREST);
    CHECK_EQ(fegetround(), FE_TONEAREST);
}

int main(void)
{
    test_error_modes();
    test_stack();
    test_group_affinity();
    test_fp_environment();
    return tl_finish();
}
