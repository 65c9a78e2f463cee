/* test_sync_misc.c: what completion-port programs also call: critical sections, SRW
 * locks, condition variables, Interlocked*, system information, clocks, the process
 * heap, FormatMessageA/W, and the per-thread last error. Heap information: Microsoft Learn
 * (HeapQueryInformation: "Starting with Windows Vista ... the LFH is enabled by default";
 * HeapSetInformation: once on, the LFH cannot be disabled; HeapEnableTerminationOnCorruption
 * takes any heap handle); Wine's kernel32 heap test, test_HeapCreate, passing on Windows
 * (a buffer short of a ULONG: ERROR_INSUFFICIENT_BUFFER and the size 4; a NULL heap:
 * ERROR_NOACCESS; turning the LFH off: ERROR_GEN_FAILURE). */
#include "testlib.h"

static CRITICAL_SECTION section;
static SRWLOCK srw = SRWLOCK_INIT;
static CONDITION_VARIABLE condition = CONDITION_VARIABLE_INIT;
static volatile LONG counter, flag;

static DWORD WINAPI try_enter_elsewhere(LPVOID unused)
{
    (void)unused;
    return TryEnterCriticalSection(&section) ? 1 : 0;
}

static DWORD WINAPI add_under_section(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 20000; ++i) {
        EnterCriticalSection(&section);
        EnterCriticalSection(&section);
        counter = counter + 1;
        LeaveCriticalSection(&section);
        LeaveCriticalSection(&section);
    }
    return 0;
}

static DWORD WINAPI add_under_srw(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 20000; ++i) {
        AcquireSRWLockExclusive(&srw);
        counter = counter + 1;
        ReleaseSRWLockExclusive(&srw);
        AcquireSRWLockShared(&srw);
        ReleaseSRWLockShared(&srw);
    }
    return 0;
}

static DWORD WINAPI signal_condition(LPVOID unused)
{
    (void)unused;
    Sleep(100);
    EnterCriticalSection(&section);
    flag = 1;
    LeaveCriticalSection(&section);
    WakeConditionVariable(&condition);
    return 0;
}

static void critical_sections(void)
{
    TEST("critical section: recursive, and owned against other threads");
    InitializeCriticalSection(&section);
    EnterCriticalSection(&section);
    EnterCriticalSection(&section);
    CHECK(TryEnterCriticalSection(&section));
    HANDLE thread = CreateThread(NULL, 0, try_enter_elsewhere, NULL, 0, NULL);
    DWORD code = 99;
    WaitForSingleObject(thread, 3000);
    GetExitCodeThread(thread, &code);
    CHECK_EQ(code, 0);
    CloseHandle(thread);
    LeaveCriticalSection(&section);
    LeaveCriticalSection(&section);
    LeaveCriticalSection(&section);
    thread = CreateThread(NULL, 0, try_enter_elsewhere, NULL, 0, NULL);
    WaitForSingleObject(thread, 3000);
    GetExitCodeThread(thread, &code);
    CHECK_EQ(code, 1); /* it entered and exited without leaving: do not reuse the section */
    CloseHandle(thread);
    DeleteCriticalSection(&section);

    /* Wine's kernel32 sync test_crit_section: programs test DebugInfo to know whether a
     * section is initialized ((void *)-1 since Windows 8, a real pointer before). */
    TEST("critical section: DebugInfo set by the initialization, NULL after the deletion");
    CRITICAL_SECTION fresh;
    memset(&fresh, 0, sizeof(fresh));
    InitializeCriticalSection(&fresh);
    CHECK(fresh.DebugInfo != NULL);
    DeleteCriticalSection(&fresh);
    CHECK(fresh.DebugInfo == NULL);
    memset(&fresh, 0, sizeof(fresh));
    CHECK(InitializeCriticalSectionEx(&fresh, 0, CRITICAL_SECTION_NO_DEBUG_INFO));
    CHECK(fresh.DebugInfo != NULL);
    CHECK(TryEnterCriticalSection(&fresh));
    CHECK(fresh.OwningThread == (HANDLE)(ULONG_PTR)GetCurrentThreadId());
    CHECK_EQ(fresh.RecursionCount, 1);
    LeaveCriticalSection(&fresh);
    DeleteCriticalSection(&fresh);
    WINE_DEVIATION("Wine 8 leaves DebugInfo (void *)-1 when it deletes a section made without debug info")
    {
        CHECK(fresh.DebugInfo == NULL);
    }

    TEST("critical section with spin count: four threads count without losing updates");
    CHECK(InitializeCriticalSectionAndSpinCount(&section, 4000));
    counter = 0;
    HANDLE threads[4];
    for (int i = 0; i < 4; ++i) threads[i] = CreateThread(NULL, 0, add_under_section, NULL, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(4, threads, TRUE, 20000), WAIT_OBJECT_0);
    CHECK_EQ(counter, 80000);
    for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
}

static void srw_locks(void)
{
    TEST("SRW lock: exclusive excludes, shared shares");
    counter = 0;
    HANDLE threads[4];
    for (int i = 0; i < 4; ++i) threads[i] = CreateThread(NULL, 0, add_under_srw, NULL, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(4, threads, TRUE, 20000), WAIT_OBJECT_0);
    CHECK_EQ(counter, 80000);
    for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
    AcquireSRWLockShared(&srw);
    CHECK(TryAcquireSRWLockShared(&srw));
    CHECK(!TryAcquireSRWLockExclusive(&srw));
    ReleaseSRWLockShared(&srw);
    ReleaseSRWLockShared(&srw);
    CHECK(TryAcquireSRWLockExclusive(&srw));
    CHECK(!TryAcquireSRWLockShared(&srw));
    ReleaseSRWLockExclusive(&srw);
}

static void condition_variables(void)
{
    TEST("condition variable: a timed sleep returns FALSE with ERROR_TIMEOUT");
    EnterCriticalSection(&section);
    SetLastError(0xdeadbeef);
    CHECK(!SleepConditionVariableCS(&condition, &section, 50));
    CHECK_ERROR(ERROR_TIMEOUT);

    TEST("condition variable: woken by another thread, the section held again");
    flag = 0;
    HANDLE thread = CreateThread(NULL, 0, signal_condition, NULL, 0, NULL);
    int rounds = 0;
    while (!flag && rounds++ < 50) SleepConditionVariableCS(&condition, &section, 100);
    CHECK_EQ(flag, 1);
    CHECK(TryEnterCriticalSection(&section)); /* we own it: recursive entry succeeds */
    LeaveCriticalSection(&section);
    LeaveCriticalSection(&section);
    WaitForSingleObject(thread, 3000);
    CloseHandle(thread);

    TEST("condition variable with an SRW lock");
    AcquireSRWLockExclusive(&srw);
    SetLastError(0xdeadbeef);
    CHECK(!SleepConditionVariableSRW(&condition, &srw, 20, 0));
    CHECK_ERROR(ERROR_TIMEOUT);
    ReleaseSRWLockExclusive(&srw);
    DeleteCriticalSection(&section);
}

/* Windows takes these structures at any address: Wine's kernel32 sync tests (which pass on
 * Windows) run a condition variable and an SRW lock placed at an odd offset of a packed
 * structure. */
#pragma pack(push, 1)
static struct {
    char pad1;
    CONDITION_VARIABLE condition;
    char pad2;
    SRWLOCK srw;
    char pad3;
    CRITICAL_SECTION section;
} odd;
#pragma pack(pop)
static volatile LONG odd_srw_counter, odd_section_counter;

static DWORD WINAPI wake_odd_condition(LPVOID unused)
{
    (void)unused;
    Sleep(50);
    AcquireSRWLockExclusive(&odd.srw);
    tl_store(&flag, 1);
    ReleaseSRWLockExclusive(&odd.srw);
    WakeAllConditionVariable(&odd.condition);
    return 0;
}

static DWORD WINAPI add_under_odd_locks(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 20000; ++i) {
        AcquireSRWLockExclusive(&odd.srw);
        odd_srw_counter = odd_srw_counter + 1;
        ReleaseSRWLockExclusive(&odd.srw);
        EnterCriticalSection(&odd.section);
        odd_section_counter = odd_section_counter + 1;
        LeaveCriticalSection(&odd.section);
    }
    return 0;
}

static void unaligned_locks(void)
{
    TEST("a condition variable and an SRW lock at odd addresses: a timed sleep ends");
    InitializeConditionVariable(&odd.condition);
    InitializeSRWLock(&odd.srw);
    InitializeCriticalSection(&odd.section);
    AcquireSRWLockExclusive(&odd.srw);
    SetLastError(0xdeadbeef);
    DWORD start = GetTickCount();
    CHECK(!SleepConditionVariableSRW(&odd.condition, &odd.srw, 30, 0));
    CHECK_ERROR(ERROR_TIMEOUT);
    CHECK(GetTickCount() - start < 3000);

    TEST("a condition variable at an odd address is woken by another thread");
    tl_store(&flag, 0);
    HANDLE thread = CreateThread(NULL, 0, wake_odd_condition, NULL, 0, NULL);
    int rounds = 0;
    while (!tl_load(&flag) && rounds++ < 50) SleepConditionVariableSRW(&odd.condition, &odd.srw, 100, 0);
    CHECK_EQ(tl_load(&flag), 1);
    CHECK(!TryAcquireSRWLockShared(&odd.srw)); /* held exclusive again */
    ReleaseSRWLockExclusive(&odd.srw);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);

    TEST("an SRW lock and a critical section at odd addresses: four threads count");
    HANDLE threads[4];
    for (int i = 0; i < 4; ++i) threads[i] = CreateThread(NULL, 0, add_under_odd_locks, NULL, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(4, threads, TRUE, 20000), WAIT_OBJECT_0);
    CHECK_EQ(odd_srw_counter, 80000);
    CHECK_EQ(odd_section_counter, 80000);
    for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
    DeleteCriticalSection(&odd.section);
}

/* WaitOnAddress and its wakes live in the Synchronization API set, which mingw-w64 links
 * from a library of its own: looked up in kernelbase (this library, on Linux). */
typedef BOOL(WINAPI *wait_on_address_fn)(volatile VOID *, PVOID, SIZE_T, DWORD);
typedef VOID(WINAPI *wake_by_address_fn)(PVOID);
static wait_on_address_fn wait_on_address;
static wake_by_address_fn wake_by_address_single, wake_by_address_all;
static volatile LONG address_value;

static DWORD WINAPI change_address_later(LPVOID unused)
{
    (void)unused;
    Sleep(50);
    tl_store(&address_value, 1);
    wake_by_address_single((PVOID)&address_value);
    return 0;
}

/* Waits until the value is not 0, then takes one from it. */
static DWORD WINAPI take_one_from_address(LPVOID unused)
{
    (void)unused;
    LONG seen;
    do {
        while ((seen = tl_load(&address_value)) == 0)
            if (!wait_on_address(&address_value, &seen, sizeof(seen), 10000)) return 1;
    } while (InterlockedCompareExchange(&address_value, seen - 1, seen) != seen);
    return 0;
}

static void wait_on_address_tests(void)
{
    HMODULE kernelbase = GetModuleHandleA("kernelbase.dll");
    wait_on_address = (wait_on_address_fn)(void (*)(void))GetProcAddress(kernelbase, "WaitOnAddress");
    wake_by_address_single = (wake_by_address_fn)(void (*)(void))GetProcAddress(kernelbase, "WakeByAddressSingle");
    wake_by_address_all = (wake_by_address_fn)(void (*)(void))GetProcAddress(kernelbase, "WakeByAddressAll");
    CHECK(wait_on_address != NULL && wake_by_address_single != NULL && wake_by_address_all != NULL);
    if (wait_on_address == NULL || wake_by_address_single == NULL || wake_by_address_all == NULL) return;

    /* Wine's ntdll sync test_wait_on_address (RtlWaitOnAddress, under WaitOnAddress). */
    TEST("WaitOnAddress: sizes 1, 2, 4 and 8; others ERROR_INVALID_PARAMETER");
    LONG64 address = 0, compare = 0;
    SetLastError(0xdeadbeef);
    CHECK(!wait_on_address(NULL, NULL, 0, 0)); /* the size is checked first */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!wait_on_address(&address, &compare, 5, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!wait_on_address(&address, &compare, 3, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    for (SIZE_T size = 1; size <= 4; size <<= 1) {
        /* the low `size` bytes match, the next ones do not (shifted unsigned: no sign) */
        compare = (LONG64)(~(ULONG64)0 << (size * 8));
        SetLastError(0xdeadbeef);
        CHECK(!wait_on_address(&address, &compare, size, 20));
        CHECK_ERROR(ERROR_TIMEOUT);
        SetLastError(0xdeadbeef);
        CHECK(wait_on_address(&address, &compare, size << 1, 20)); /* differs: returns at once */
        CHECK_ERROR(0xdeadbeef);                                   /* success leaves the last error */
    }
    compare = 0;
    SetLastError(0xdeadbeef);
    CHECK(!wait_on_address(&address, &compare, 8, 0));
    CHECK_ERROR(ERROR_TIMEOUT);
    unsigned char bytes[16] = {0}; /* a value at an odd address */
    LONG odd_compare = 0;
    SetLastError(0xdeadbeef);
    CHECK(!wait_on_address(bytes + 3, &odd_compare, sizeof(LONG), 10));
    CHECK_ERROR(ERROR_TIMEOUT);
    bytes[5] = 1;
    CHECK(wait_on_address(bytes + 3, &odd_compare, sizeof(LONG), 10));
    CHECK_EQ(address, 0);
    wake_by_address_single(&address); /* nobody waits: nothing happens */
    wake_by_address_all(&address);
    wake_by_address_single(NULL);
    wake_by_address_all(NULL);
    CHECK_EQ(address, 0);

    TEST("WaitOnAddress: woken when another thread changes the value and wakes");
    tl_store(&address_value, 0);
    LONG zero = 0;
    HANDLE thread = CreateThread(NULL, 0, change_address_later, NULL, 0, NULL);
    int rounds = 0;
    while (tl_load(&address_value) == 0 && rounds++ < 50) wait_on_address(&address_value, &zero, sizeof(LONG), 100);
    CHECK_EQ(tl_load(&address_value), 1);
    CHECK(rounds < 10); /* the wake ended the wait, not 100 ms time-outs */
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);

    /* Wine's kernelbase sync test_WaitOnAddress. */
    TEST("WakeByAddressAll wakes every thread waiting on the address");
    tl_store(&address_value, 0);
    HANDLE threads[8];
    for (int i = 0; i < 8; ++i) threads[i] = CreateThread(NULL, 0, take_one_from_address, NULL, 0, NULL);
    Sleep(100);
    tl_store(&address_value, 8);
    wake_by_address_all((PVOID)&address_value);
    CHECK_EQ(WaitForMultipleObjects(8, threads, TRUE, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&address_value), 0);
    for (int i = 0; i < 8; ++i) CloseHandle(threads[i]);
}

#define BARRIER_THREADS 4
static SYNCHRONIZATION_BARRIER barrier;
static volatile LONG barrier_arrived, barrier_last, barrier_early;

static DWORD WINAPI enter_barrier(LPVOID flags)
{
    InterlockedIncrement(&barrier_arrived);
    if (EnterSynchronizationBarrier(&barrier, (DWORD)(ULONG_PTR)flags)) InterlockedIncrement(&barrier_last);
    if (tl_load(&barrier_arrived) != BARRIER_THREADS + 1) InterlockedIncrement(&barrier_early);
    return 0;
}

static DWORD WINAPI enter_barrier_often(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 1000; ++i)
        if (EnterSynchronizationBarrier(&barrier, 0)) InterlockedIncrement(&barrier_last);
    return 0;
}

static void barriers(void)
{
    /* Wine's kernel32 sync test_barrier (Windows 10 1607 and later). */
    TEST("synchronization barrier: parameters");
    SetLastError(0xdeadbeef);
    CHECK(InitializeSynchronizationBarrier(&barrier, 1, -1));
    CHECK_ERROR(0xdeadbeef);
    CHECK(EnterSynchronizationBarrier(&barrier, 0)); /* one thread: every entry completes it */
    CHECK(EnterSynchronizationBarrier(&barrier, SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE));
    CHECK(DeleteSynchronizationBarrier(&barrier));
    CHECK_ERROR(0xdeadbeef);
    CHECK(!InitializeSynchronizationBarrier(NULL, 1, -1));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitializeSynchronizationBarrier(&barrier, 0, -1));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitializeSynchronizationBarrier(&barrier, 1, -2));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("synchronization barrier of one thread: every entry gets TRUE, however many enter at once");
    CHECK(InitializeSynchronizationBarrier(&barrier, 1, -1));
    tl_store(&barrier_last, 0);
    HANDLE ones[BARRIER_THREADS];
    for (int i = 0; i < BARRIER_THREADS; ++i) ones[i] = CreateThread(NULL, 0, enter_barrier_often, NULL, 0, NULL);
    enter_barrier_often(NULL);
    CHECK_EQ(WaitForMultipleObjects(BARRIER_THREADS, ones, TRUE, 10000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&barrier_last), (BARRIER_THREADS + 1) * 1000);
    for (int i = 0; i < BARRIER_THREADS; ++i) CloseHandle(ones[i]);
    CHECK(DeleteSynchronizationBarrier(&barrier));

    TEST("synchronization barrier: nobody passes before all arrive; TRUE for exactly one");
    for (int phase = 0; phase < 2; ++phase) {
        CHECK(InitializeSynchronizationBarrier(&barrier, BARRIER_THREADS + 1, -1));
        tl_store(&barrier_arrived, 0);
        tl_store(&barrier_last, 0);
        tl_store(&barrier_early, 0);
        ULONG_PTR flags = phase == 0 ? 0 : SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE;
        HANDLE threads[BARRIER_THREADS];
        for (int i = 0; i < BARRIER_THREADS; ++i)
            threads[i] = CreateThread(NULL, 0, enter_barrier, (LPVOID)flags, 0, NULL);
        CHECK_EQ(WaitForMultipleObjects(BARRIER_THREADS, threads, FALSE, 100), WAIT_TIMEOUT); /* all wait */
        enter_barrier((LPVOID)flags);
        CHECK_EQ(WaitForMultipleObjects(BARRIER_THREADS, threads, TRUE, 5000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&barrier_last), 1);
        CHECK_EQ(tl_load(&barrier_early), 0);
        CHECK(DeleteSynchronizationBarrier(&barrier));
        for (int i = 0; i < BARRIER_THREADS; ++i) CloseHandle(threads[i]);
    }
}

static void interlocked(void)
{
    TEST("Interlocked* return values");
    LONG value = 5;
    CHECK_EQ(InterlockedIncrement(&value), 6);
    CHECK_EQ(InterlockedDecrement(&value), 5);
    CHECK_EQ(InterlockedExchange(&value, 9), 5);
    CHECK_EQ(InterlockedExchangeAdd(&value, 3), 9);
    CHECK_EQ(value, 12);
    CHECK_EQ(InterlockedCompareExchange(&value, 1, 7), 12); /* no match: unchanged */
    CHECK_EQ(value, 12);
    CHECK_EQ(InterlockedCompareExchange(&value, 1, 12), 12);
    CHECK_EQ(value, 1);
    LONG64 big = 1LL << 40;
    CHECK_EQ(InterlockedIncrement64(&big), (1LL << 40) + 1);
    CHECK_EQ(InterlockedCompareExchange64(&big, 3, (1LL << 40) + 1), (1LL << 40) + 1);
    CHECK_EQ(big, 3);
    PVOID pointer = NULL;
    CHECK(InterlockedCompareExchangePointer(&pointer, &value, NULL) == NULL);
    CHECK(pointer == &value);
    CHECK(InterlockedExchangePointer(&pointer, NULL) == &value);

    /* The rest of winnt.h's family, as Windows programs (and the intrinsic names) use it. */
    CHECK_EQ(InterlockedIncrementAcquire(&value), 2);
    CHECK_EQ(InterlockedDecrementRelease(&value), 1);
    CHECK_EQ(InterlockedExchangeAdd(&value, 4), 1);
    CHECK_EQ(InterlockedCompareExchangeAcquire(&value, 8, 5), 5);
    CHECK_EQ(_InterlockedIncrement(&value), 9);
    CHECK_EQ(_InterlockedCompareExchange(&value, -1, 9), 9);
    CHECK_EQ(value, -1);
    SHORT small = 0x7fff;
    CHECK_EQ((USHORT)InterlockedIncrement16(&small), 0x8000);
    CHECK_EQ((USHORT)InterlockedCompareExchange16(&small, 2, (SHORT)0x8000), 0x8000);
    big = 0xff00;
    CHECK_EQ(InterlockedOr64(&big, 1LL << 50), 0xff00);
    CHECK_EQ(InterlockedAnd64(&big, (1LL << 50) | 0xf000), (1LL << 50) | 0xff00);
    CHECK_EQ(InterlockedXor64(&big, 0xf000), (1LL << 50) | 0xf000);
    CHECK_EQ(big, 1LL << 50);
    LONG bits[2] = {0, 0};
    CHECK_EQ(InterlockedBitTestAndSet(bits, 35), 0);
    CHECK_EQ(bits[1], 8);
    CHECK_EQ(InterlockedBitTestAndSet(bits, 35), 1);
    CHECK_EQ(InterlockedBitTestAndReset(bits, 35), 1);
    CHECK_EQ(bits[1], 0);
    CHECK_EQ(InterlockedBitTestAndComplement(bits, 0), 0);
    CHECK_EQ(bits[0], 1);
    CHECK_EQ(InterlockedBitTestAndSet64(&big, 3), 0);
    CHECK_EQ(InterlockedBitTestAndReset64(&big, 50), 1);
    CHECK_EQ(big, 8);
    SIZE_T size = 10;
    CHECK_EQ(InterlockedIncrementSizeT(&size), 11);
    CHECK_EQ(InterlockedExchangeAddSizeT(&size, 5), 11);
    CHECK_EQ(size, 16);
#ifndef __MINGW32__ /* mingw-w64 lacks these or their code (Windows' winnt.h has them) */
    value = 0;
    CHECK_EQ(InterlockedExchangeAddNoFence(&value, 4), 0);
    CHECK_EQ(InterlockedExchangeSubtract((ULONG volatile *)&value, 5), 4);
    CHECK_EQ(value, -1);
    CHECK_EQ(InterlockedExchange16(&small, 7), 2);
    CHAR byte = 0x0f;
    CHECK_EQ(InterlockedOr8(&byte, 0x30), 0x0f);
    CHECK_EQ(InterlockedAnd8(&byte, 0x3c), 0x3f);
    CHECK_EQ(InterlockedExchange8(&byte, 1), 0x3c);
    DECLSPEC_ALIGN(16) LONG64 pair[2] = {10, 20};
    LONG64 expected[2] = {10, 21};
    CHECK_EQ(InterlockedCompareExchange128(pair, 40, 30, expected), 0); /* no match */
    CHECK(expected[0] == 10 && expected[1] == 20);
    CHECK_EQ(InterlockedCompareExchange128(pair, 40, 30, expected), 1);
    CHECK(pair[0] == 30 && pair[1] == 40);
    WriteRelease(&value, 42);
    CHECK_EQ(ReadAcquire(&value), 42);
    WriteNoFence64(&big, 1LL << 33);
    CHECK_EQ(ReadNoFence64(&big), 1LL << 33);
    WritePointerRelease(&pointer, &value);
    CHECK(ReadPointerAcquire(&pointer) == &value);
    _ReadWriteBarrier();
#endif

    DWORD index = 99;
    CHECK_EQ(BitScanForward(&index, 0), 0);
    CHECK_EQ(BitScanForward(&index, 0x50), 1);
    CHECK_EQ(index, 4);
    CHECK_EQ(BitScanReverse(&index, 0x50), 1);
    CHECK_EQ(index, 6);
    CHECK_EQ(BitScanReverse64(&index, 1ULL << 60 | 1), 1);
    CHECK_EQ(index, 60);
    CHECK_EQ(_BitScanForward64(&index, 1ULL << 40), 1);
    CHECK_EQ(index, 40);
    LONG flags = 0;
    CHECK_EQ(_bittestandset(&flags, 5), 0);
    CHECK_EQ(_bittest(&flags, 5), 1);
    CHECK_EQ(flags, 32);
    CHECK_EQ(_bittestandreset(&flags, 5), 1);
    CHECK_EQ(flags, 0);
    CHECK_EQ(UInt32x32To64(0xffffffffu, 2), 0x1fffffffeULL);
    CHECK_EQ(Int32x32To64(-3, 0x40000000), (ULONGLONG)(-3LL * 0x40000000));
    DWORD64 high = 0;
    CHECK_EQ(UnsignedMultiply128(1ULL << 63, 4, &high), 0);
    CHECK_EQ(high, 2);
}

static void system_and_clocks(void)
{
    TEST("GetSystemInfo");
    SYSTEM_INFO info;
    memset(&info, 0xcc, sizeof(info));
    GetSystemInfo(&info);
    CHECK(info.dwNumberOfProcessors >= 1);
    CHECK_EQ(info.dwPageSize, 4096);
    CHECK_EQ(info.dwAllocationGranularity, 65536);
    CHECK_EQ(info.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);

    TEST("clocks move forward");
    LARGE_INTEGER frequency, first, second;
    CHECK(QueryPerformanceFrequency(&frequency));
    CHECK(frequency.QuadPart > 0);
    CHECK(QueryPerformanceCounter(&first));
    ULONGLONG tick = GetTickCount64();
    /* Long enough that a tick count updated by another process (Wine's wineserver, which
     * a loaded machine may not run for tens of milliseconds) has moved 20 ms too. */
    Sleep(200);
    CHECK(QueryPerformanceCounter(&second));
    CHECK(second.QuadPart - first.QuadPart >= frequency.QuadPart / 50);
    CHECK(GetTickCount64() - tick >= 20);
    CHECK((DWORD)(GetTickCount() - (DWORD)tick) >= 20);
}

static void heap(void)
{
    TEST("HeapAlloc, HEAP_ZERO_MEMORY, HeapReAlloc keeps contents, HeapSize, HeapFree");
    HANDLE heap = GetProcessHeap();
    CHECK(heap != NULL);
    unsigned char *block = (unsigned char *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    CHECK(block != NULL);
    int nonzero = 0;
    for (int i = 0; i < 100; ++i) nonzero += block[i] != 0;
    CHECK_EQ(nonzero, 0);
    for (int i = 0; i < 100; ++i) block[i] = (unsigned char)i;
    CHECK(HeapSize(heap, 0, block) >= 100);
    block = (unsigned char *)HeapReAlloc(heap, 0, block, 5000);
    CHECK(block != NULL);
    int changed = 0;
    for (int i = 0; i < 100; ++i) changed += block[i] != i;
    CHECK_EQ(changed, 0);
    CHECK(HeapSize(heap, 0, block) >= 5000);
    CHECK(HeapFree(heap, 0, block));

    TEST("HeapReAlloc of NULL: NULL, the last error NO_ERROR (Wine's heap.c test_HeapCreate)");
    SetLastError(0xdeadbeef);
    CHECK(HeapReAlloc(heap, 0, NULL, 1) == NULL);
    WINE_DEVIATION("Wine leaves the last error as it was")
    {
        CHECK_ERROR(NO_ERROR);
    }
    CHECK(HeapFree(heap, 0, NULL));

    TEST("HeapSetInformation and HeapQueryInformation: the low-fragmentation heap, termination on corruption");
    CHECK(HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0));
    ULONG compatibility = 0xdeadbeef;
    SIZE_T size = 0;
    CHECK(HeapQueryInformation(heap, HeapCompatibilityInformation, &compatibility, sizeof compatibility, &size));
    CHECK_EQ(size, sizeof(ULONG));
    WINE_DEVIATION("Wine's process heap does not report the low-fragmentation heap")
    {
        CHECK_EQ(compatibility, 2); /* on by default since Windows Vista */
    }
    size = 0;
    SetLastError(0xdeadbeef);
    CHECK(!HeapQueryInformation(heap, HeapCompatibilityInformation, NULL, 0, &size));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(size, sizeof(ULONG));
    SetLastError(0xdeadbeef);
    CHECK(!HeapQueryInformation(heap, HeapCompatibilityInformation, NULL, 0, NULL));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    compatibility = 2;
    CHECK(HeapSetInformation(heap, HeapCompatibilityInformation, &compatibility, sizeof compatibility));
    WINE_DEVIATION("Wine lets the low-fragmentation heap be turned off, and answers a NULL heap")
    {
        compatibility = 0; /* once on, it cannot be undone */
        SetLastError(0xdeadbeef);
        CHECK(!HeapSetInformation(heap, HeapCompatibilityInformation, &compatibility, sizeof compatibility));
        CHECK_ERROR(ERROR_GEN_FAILURE);
        size = 0;
        SetLastError(0xdeadbeef);
        CHECK(!HeapQueryInformation(NULL, HeapCompatibilityInformation, &compatibility, sizeof compatibility, &size));
        CHECK_ERROR(ERROR_NOACCESS);
        CHECK_EQ(size, 0);
    }
    /* HeapOptimizeResources (3) with a HEAP_OPTIMIZE_RESOURCES_INFORMATION of version 1
       (spelled out: mingw-w64's headers lack both). */
    struct {
        DWORD Version, Flags;
    } optimize = {1, 0};
    CHECK(HeapSetInformation(NULL, (HEAP_INFORMATION_CLASS)3, &optimize, sizeof optimize));
}

/* Interlocked singly linked lists: LIFO order, the previous first entry from each push,
 * QueryDepthSList counting, a flush handing over the whole chain (Microsoft Learn, "Using
 * Singly Linked Lists"; Wine's dlls/kernel32/tests/sync.c, test_slist, which passes on
 * Windows). */
typedef struct {
    SLIST_ENTRY entry; /* first: the entry is 16-byte aligned */
    int value;
} LIST_ITEM;
static SLIST_HEADER shared_list;
static LIST_ITEM shared_items[64];
static volatile LONG slist_failures;

static DWORD WINAPI churn_list(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 20000; ++i) {
        PSLIST_ENTRY got = InterlockedPopEntrySList(&shared_list);
        if (got == NULL) {
            InterlockedIncrement(&slist_failures);
            continue;
        }
        InterlockedPushEntrySList(&shared_list, got);
    }
    return 0;
}

static void singly_linked_lists(void)
{
    TEST("SList: push returns the previous first entry, pop is LIFO, depth counts");
    {
        static SLIST_HEADER list;
        static LIST_ITEM items[3];
        InitializeSListHead(&list);
        CHECK_EQ(QueryDepthSList(&list), 0);
        CHECK(RtlFirstEntrySList(&list) == NULL);
        CHECK(InterlockedPopEntrySList(&list) == NULL);
        CHECK(InterlockedFlushSList(&list) == NULL);
        CHECK(InterlockedPushEntrySList(&list, &items[0].entry) == NULL);
        CHECK(InterlockedPushEntrySList(&list, &items[1].entry) == &items[0].entry);
        CHECK(InterlockedPushEntrySList(&list, &items[2].entry) == &items[1].entry);
        CHECK_EQ(QueryDepthSList(&list), 3);
        CHECK(RtlFirstEntrySList(&list) == &items[2].entry);
        CHECK(InterlockedPopEntrySList(&list) == &items[2].entry);
        CHECK_EQ(QueryDepthSList(&list), 2);
        CHECK(InterlockedPopEntrySList(&list) == &items[1].entry);
        CHECK(InterlockedPopEntrySList(&list) == &items[0].entry);
        CHECK(InterlockedPopEntrySList(&list) == NULL);
        CHECK_EQ(QueryDepthSList(&list), 0);
    }

    TEST("SList: a flush hands over the chain and empties the list");
    {
        static SLIST_HEADER list;
        static LIST_ITEM items[3];
        PSLIST_ENTRY chain;
        InitializeSListHead(&list);
        for (int i = 0; i < 3; ++i) InterlockedPushEntrySList(&list, &items[i].entry);
        chain = InterlockedFlushSList(&list);
        CHECK(chain == &items[2].entry);
        CHECK(chain != NULL && chain->Next == &items[1].entry && chain->Next->Next == &items[0].entry &&
              chain->Next->Next->Next == NULL);
        CHECK_EQ(QueryDepthSList(&list), 0);
        CHECK(InterlockedPopEntrySList(&list) == NULL);
    }

    TEST("SList: InterlockedPushListSListEx puts a linked chain on top, depth by its count");
    {
        static SLIST_HEADER list;
        static LIST_ITEM items[3];
        InitializeSListHead(&list);
        InterlockedPushEntrySList(&list, &items[0].entry);
        items[1].entry.Next = &items[2].entry;
        CHECK(InterlockedPushListSListEx(&list, &items[1].entry, &items[2].entry, 2) == &items[0].entry);
        CHECK_EQ(QueryDepthSList(&list), 3);
        CHECK(InterlockedPopEntrySList(&list) == &items[1].entry);
        CHECK(InterlockedPopEntrySList(&list) == &items[2].entry);
        CHECK(InterlockedPopEntrySList(&list) == &items[0].entry);
    }

    TEST("SList: four threads popping and pushing back lose and duplicate no entry");
    {
        HANDLE threads[4];
        int seen[64] = {0}, distinct = 0;
        PSLIST_ENTRY e;
        InitializeSListHead(&shared_list);
        for (int i = 0; i < 64; ++i) {
            shared_items[i].value = i;
            InterlockedPushEntrySList(&shared_list, &shared_items[i].entry);
        }
        for (int i = 0; i < 4; ++i) threads[i] = CreateThread(NULL, 0, churn_list, NULL, 0, NULL);
        CHECK_EQ(WaitForMultipleObjects(4, threads, TRUE, 60000), WAIT_OBJECT_0);
        for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
        CHECK_EQ(slist_failures, 0);
        CHECK_EQ(QueryDepthSList(&shared_list), 64);
        while ((e = InterlockedPopEntrySList(&shared_list)) != NULL) {
            int v = ((LIST_ITEM *)e)->value;
            if (v >= 0 && v < 64 && seen[v]++ == 0) ++distinct;
        }
        CHECK_EQ(distinct, 64);
        CHECK_EQ(QueryDepthSList(&shared_list), 0);
    }
}

static void format_message(void)
{
    TEST("FormatMessageA for system codes");
    char buffer[256];
    DWORD length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                  ERROR_FILE_NOT_FOUND, 0, buffer, sizeof(buffer), NULL);
    CHECK(length > 2);
    WINE_DEVIATION("Wine's system message texts are its own ('File not found.')")
    {
        CHECK(strncmp(buffer, "The system cannot find the file specified.", 42) == 0);
    }
    CHECK(length >= 2 && buffer[length - 2] == '\r' && buffer[length - 1] == '\n');
    CHECK_EQ(length, strlen(buffer));

    TEST("FormatMessageA with FORMAT_MESSAGE_ALLOCATE_BUFFER");
    char *allocated = NULL;
    length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                FORMAT_MESSAGE_ALLOCATE_BUFFER,
                            NULL, ERROR_ACCESS_DENIED, 0, (LPSTR)&allocated, 0, NULL);
    CHECK(length > 0);
    CHECK(allocated != NULL && allocated[0] != 0);
    WINE_DEVIATION("Wine's system message texts are its own ('Access denied.')")
    {
        CHECK(allocated != NULL && strncmp(allocated, "Access is denied.", 17) == 0);
    }
    LocalFree(allocated);

    TEST("FormatMessageA for a code with no message");
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 0x2fffffff, 0,
                            buffer, sizeof(buffer), NULL), 0);
    CHECK_ERROR(ERROR_MR_MID_NOT_FOUND);
    allocated = (char *)0x1; /* set to NULL whatever fails (Wine's format_msg.c tests) */
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                FORMAT_MESSAGE_ALLOCATE_BUFFER,
                            NULL, 0x2fffffff, 0, (LPSTR)&allocated, 0, NULL), 0);
    CHECK(allocated == NULL);
    allocated = (char *)0x1;
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER, "text", 0, 0, (LPSTR)&allocated, 0, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER); /* no source */
    CHECK(allocated == NULL);

    TEST("FormatMessageA: a NULL buffer (Wine's test_message_null_buffer, which passes on Windows)");
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0, 0, NULL, 0, NULL), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0, 0, NULL, 1, NULL), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, 0, 0, NULL, 256, NULL), 0);
    CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);

    TEST("FormatMessageA for Winsock codes and COM HRESULTs");
    length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, WSAECONNRESET, 0,
                            buffer, sizeof(buffer), NULL);
    CHECK(length > 2);
    WINE_DEVIATION("Wine's system message texts are its own ('Connection reset by peer.')")
    {
        CHECK(strcmp(buffer, "An existing connection was forcibly closed by the remote host.\r\n") == 0);
    }
    CHECK(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                         0x80070000u | WSAECONNRESET, 0, buffer, sizeof(buffer), NULL) == length);
    /* Wine's test_message_system_errors: E_NOTIMPL and E_FAIL have texts. */
    CHECK(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 0x80004001u, 0, buffer,
                         sizeof(buffer), NULL) > 2);
    length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 0x80004005u, 0, buffer,
                            sizeof(buffer), NULL);
    CHECK(length > 2);
    WINE_DEVIATION("Wine's system message texts are its own ('Call failed.')")
    {
        CHECK(strcmp(buffer, "Unspecified error\r\n") == 0);
    }

    TEST("FormatMessageW: the same text in UTF-16, sizes in characters");
    const DWORD flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
    length = FormatMessageA(flags, NULL, ERROR_FILE_NOT_FOUND, 0, buffer, sizeof(buffer), NULL);
    WCHAR wide[256];
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(flags, NULL, ERROR_FILE_NOT_FOUND, 0, wide, 256, NULL), length);
    int same = 1;
    for (DWORD i = 0; i <= length; ++i)
        if (wide[i] != (WCHAR)(unsigned char)buffer[i]) same = 0;
    CHECK(same);
    CHECK_EQ(FormatMessageW(flags, NULL, ERROR_FILE_NOT_FOUND, 0, wide, length + 1, NULL), length);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(flags, NULL, ERROR_FILE_NOT_FOUND, 0, wide, length, NULL), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    WCHAR *allocated_wide = NULL;
    CHECK_EQ(FormatMessageW(flags | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, ERROR_FILE_NOT_FOUND, 0,
                            (LPWSTR)&allocated_wide, 0, NULL),
             length);
    CHECK(allocated_wide != NULL && allocated_wide[0] == wide[0] && allocated_wide[length] == 0);
    LocalFree(allocated_wide);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(flags, NULL, 0x2fffffff, 0, wide, 256, NULL), 0);
    CHECK_ERROR(ERROR_MR_MID_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_FILE_NOT_FOUND, 0, wide, 256, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER); /* no source */
}

static DWORD WINAPI set_own_error(LPVOID unused)
{
    (void)unused;
    SetLastError(4242);
    return GetLastError();
}

static void last_error_per_thread(void)
{
    TEST("the last error belongs to each thread");
    SetLastError(1111);
    HANDLE thread = CreateThread(NULL, 0, set_own_error, NULL, 0, NULL);
    WaitForSingleObject(thread, 3000);
    DWORD code = 0;
    GetExitCodeThread(thread, &code);
    CHECK_EQ(code, 4242);
    CHECK_ERROR(1111);
    CloseHandle(thread);
}

int main(void)
{
    critical_sections();
    srw_locks();
    condition_variables();
    unaligned_locks();
    wait_on_address_tests();
    WINE_DEVIATION("Wine 8 does not implement synchronization barriers (its stub aborts)")
    {
        barriers();
    }
    interlocked();
    singly_linked_lists();
    system_and_clocks();
    heap();
    format_message();
    last_error_per_thread();
    return tl_finish();
}
