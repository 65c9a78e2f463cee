/* test_thread_modes.c: a thread's error mode and the process's (SetErrorMode/GetErrorMode,
 * SetThreadErrorMode/GetThreadErrorMode), its stack (GetCurrentThreadStackLimits,
 * SetThreadStackGuarantee), its processor group affinity (GetThreadGroupAffinity,
 * SetThreadGroupAffinity), the floating-point environment it starts with, and
 * CreateRemoteThread(Ex) of this process.
 *
 * Facts: Wine's kernel32 thread.c (passes on Windows): test_ThreadErrorMode (the three
 * valid bits, the previous mode through the out pointer, every other bit
 * ERROR_INVALID_PARAMETER), test_SetThreadStackGuarantee (sizes rounded up to pages, at
 * least two pages on 64-bit, never lowered, the previous size written back, a size past
 * the stack refused), test_GetCurrentThreadStackLimits, test_thread_processor (group
 * affinity: group 0 holds this machine's processors, no "every processor" shortcut, a
 * NULL affinity refused), test_thread_fpu_cw (a new thread starts with the default
 * floating-point control words, not its creator's), test_CreateRemoteThreadEx_affinity
 * (a group affinity attribute places the thread; a processor the machine lacks is
 * ERROR_INVALID_PARAMETER); Microsoft Learn (CreateRemoteThread: the process rights it
 * needs); Microsoft Learn (SetErrorMode: "the return value is the previous
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

    TEST("SetErrorMode: SEM_NOALIGNMENTFAULTEXCEPT, once kept, cannot be cleared");
    SetErrorMode(process_initial | SEM_NOALIGNMENTFAULTEXCEPT);
    WINE_DEVIATION("Wine 8's SetErrorMode clears SEM_NOALIGNMENTFAULTEXCEPT")
    {
        if (GetErrorMode() & SEM_NOALIGNMENTFAULTEXCEPT) { /* x86 Windows may ignore the request */
            SetErrorMode(0);
            CHECK_EQ(GetErrorMode() & SEM_NOALIGNMENTFAULTEXCEPT, SEM_NOALIGNMENTFAULTEXCEPT);
        }
    }
    SetErrorMode(process_initial);
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

static DWORD WINAPI report_affinity(LPVOID arg)
{
    GROUP_AFFINITY *seen = arg;
    return GetThreadGroupAffinity(GetCurrentThread(), seen) ? 5 : 6;
}

static void test_remote_thread(void)
{
    DWORD id = 0, code = 0;

    TEST("CreateRemoteThread of this process is CreateThread");
    HANDLE thread = CreateRemoteThread(GetCurrentProcess(), NULL, 0, read_thread_mode, &code, 0, &id);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(GetThreadId(thread), id);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 0);
    CloseHandle(thread);
    HANDLE self = OpenProcess(PROCESS_ALL_ACCESS, FALSE, GetCurrentProcessId());
    CHECK(self != NULL);
    thread = CreateRemoteThread(self, NULL, 0, read_thread_mode, &code, CREATE_SUSPENDED, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(self);

    TEST("CreateRemoteThread: the process handle's rights and kind");
    self = OpenProcess(PROCESS_QUERY_INFORMATION | SYNCHRONIZE, FALSE, GetCurrentProcessId());
    CHECK(self != NULL);
    SetLastError(0xdeadbeef);
    CHECK(CreateRemoteThread(self, NULL, 0, read_thread_mode, &code, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(self);
    SetLastError(0xdeadbeef);
    CHECK(CreateRemoteThread(NULL, NULL, 0, read_thread_mode, &code, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(CreateRemoteThread(event, NULL, 0, read_thread_mode, &code, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);

    TEST("CreateRemoteThreadEx: PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY places the new thread");
    WINE_DEVIATION("Wine 8's UpdateProcThreadAttribute refuses PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY")
    {
        DWORD_PTR process_mask = 0, system_mask = 0;
        CHECK(GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask));
        DWORD_PTR highest = process_mask;
        while (highest & (highest - 1)) highest &= highest - 1; /* one processor: the last */
        SIZE_T size = 0;
        CHECK(!InitializeProcThreadAttributeList(NULL, 1, 0, &size));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        LPPROC_THREAD_ATTRIBUTE_LIST list = (LPPROC_THREAD_ATTRIBUTE_LIST)HeapAlloc(GetProcessHeap(), 0, size);
        CHECK(InitializeProcThreadAttributeList(list, 1, 0, &size));
        GROUP_AFFINITY wanted, seen;
        memset(&wanted, 0, sizeof(wanted));
        wanted.Mask = highest;
        SetLastError(0xdeadbeef);
        CHECK(UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY, &wanted, sizeof(wanted),
                                        NULL, NULL));
        memset(&seen, 0xcc, sizeof(seen));
        thread = CreateRemoteThreadEx(GetCurrentProcess(), NULL, 0, report_affinity, &seen, 0, list, NULL);
        CHECK(thread != NULL);
        CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, 5);
        CloseHandle(thread);
        CHECK_EQ(seen.Group, 0);
        CHECK(seen.Mask == highest);
        DeleteProcThreadAttributeList(list);

        /* A processor the machine lacks: refused when the thread is made. */
        if (system_mask != ~(DWORD_PTR)0) {
            CHECK(InitializeProcThreadAttributeList(list, 1, 0, &size));
            wanted.Mask = (system_mask + 1) | process_mask;
            CHECK(UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY, &wanted, sizeof(wanted),
                                            NULL, NULL));
            SetLastError(0xdeadbeef);
            thread = CreateRemoteThreadEx(GetCurrentProcess(), NULL, 0, report_affinity, &seen, 0, list, NULL);
            CHECK(thread == NULL);
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
            if (thread != NULL) {
                WaitForSingleObject(thread, WAIT_MS);
                CloseHandle(thread);
            }
            DeleteProcThreadAttributeList(list);
        }
        HeapFree(GetProcessHeap(), 0, list);
    }

    TEST("CreateProcess: PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY places the child's first thread");
    WINE_DEVIATION("Wine 8's UpdateProcThreadAttribute refuses PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY")
    {
        DWORD_PTR process_mask = 0, system_mask = 0;
        CHECK(GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask));
        DWORD highest_bit = 0;
        for (DWORD bit = 0; bit < 8 * sizeof(DWORD_PTR); ++bit)
            if (process_mask & ((DWORD_PTR)1 << bit)) highest_bit = bit;
        SIZE_T size = 0;
        InitializeProcThreadAttributeList(NULL, 1, 0, &size);
        STARTUPINFOEXA info;
        memset(&info, 0, sizeof(info));
        info.StartupInfo.cb = sizeof(info);
        info.lpAttributeList = (LPPROC_THREAD_ATTRIBUTE_LIST)HeapAlloc(GetProcessHeap(), 0, size);
        CHECK(InitializeProcThreadAttributeList(info.lpAttributeList, 1, 0, &size));
        GROUP_AFFINITY wanted;
        memset(&wanted, 0, sizeof(wanted));
        wanted.Mask = (DWORD_PTR)1 << highest_bit;
        CHECK(UpdateProcThreadAttribute(info.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY, &wanted,
                                        sizeof(wanted), NULL, NULL));
        char path[MAX_PATH], command[MAX_PATH + 32];
        CHECK(GetModuleFileNameA(NULL, path, sizeof(path)) > 0);
        snprintf(command, sizeof(command), "\"%s\" child-affinity", path);
        PROCESS_INFORMATION child;
        CHECK(CreateProcessA(path, command, NULL, NULL, FALSE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                             &info.StartupInfo, &child));
        CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
        DWORD child_code = 0;
        CHECK(GetExitCodeProcess(child.hProcess, &child_code));
        CHECK_EQ(child_code, highest_bit + 1); /* its only processor, counted from 1 */
        CloseHandle(child.hProcess);
        CloseHandle(child.hThread);
        DeleteProcThreadAttributeList(info.lpAttributeList);
        HeapFree(GetProcessHeap(), 0, info.lpAttributeList);
    }
}

static volatile LONG pool_rounding = -1;

static void CALLBACK note_rounding(PVOID event, BOOLEAN timed_out)
{
    (void)timed_out;
    tl_store(&pool_rounding, fegetround());
    SetEvent((HANDLE)event);
}

static void test_pool_fp_environment(void)
{
    TEST("WT_EXECUTEINWAITTHREAD and WT_EXECUTEINTIMERTHREAD callbacks see the default rounding");
    HANDLE done = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE signalled = CreateEventA(NULL, TRUE, TRUE, NULL);
    CHECK_EQ(fesetround(FE_TOWARDZERO), 0); /* the pool's helper threads start from here */
    HANDLE wait = NULL;
    CHECK(RegisterWaitForSingleObject(&wait, signalled, note_rounding, done, INFINITE,
                                      WT_EXECUTEINWAITTHREAD | WT_EXECUTEONLYONCE));
    CHECK_EQ(WaitForSingleObject(done, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&pool_rounding), FE_TONEAREST);
    tl_store(&pool_rounding, -1);
    HANDLE timer = NULL;
    CHECK(CreateTimerQueueTimer(&timer, NULL, note_rounding, done, 10, 0, WT_EXECUTEINTIMERTHREAD));
    CHECK_EQ(WaitForSingleObject(done, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&pool_rounding), FE_TONEAREST);
    fesetround(FE_TONEAREST);
    CHECK(DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE));
    CHECK(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    CloseHandle(signalled);
    CloseHandle(done);
}

/* The child of test_remote_thread: its processor if it has exactly one (counted from 1),
 * else 100. */
static int child_affinity(void)
{
    GROUP_AFFINITY affinity;
    if (!GetThreadGroupAffinity(GetCurrentThread(), &affinity)) return 101;
    if (affinity.Mask == 0 || (affinity.Mask & (affinity.Mask - 1)) != 0) return 100;
    int bit = 0;
    while (!(affinity.Mask & ((DWORD_PTR)1 << bit))) ++bit;
    return bit + 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child-affinity") == 0) return child_affinity();
    test_error_modes();
    test_stack();
    test_group_affinity();
    test_fp_environment();
    test_remote_thread();
    test_pool_fp_environment(); /* the first use of the pool's wait and timer threads */
    return tl_finish();
}
