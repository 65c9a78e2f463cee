/* test_tls.c: thread-local storage slots (TlsAlloc, TlsFree, TlsGetValue, TlsSetValue),
 * MulDiv, IsDebuggerPresent, OutputDebugString.
 *
 * Facts: Microsoft Learn (TlsAlloc: TLS_MINIMUM_AVAILABLE guaranteed, "the slot's value is
 * initialized to zero" in every thread, TLS_OUT_OF_INDEXES on failure; TlsGetValue:
 * "calls SetLastError to clear a thread's last error value when it succeeds", so that a
 * stored 0 can be told from a failure; TlsFree: the index may be reused; MulDiv: the
 * product is 64-bit, the result rounded, -1 on overflow or a zero denominator; FlsAlloc:
 * the callback gets a thread's value when the thread ends and each live value when the
 * index is freed). Every wait is bounded. */
#include "testlib.h"

static DWORD slot;

static DWORD WINAPI other_thread(LPVOID parameter)
{
    (void)parameter;
    if (TlsGetValue(slot) != NULL) return 1; /* this thread's cell starts at 0 */
    if (!TlsSetValue(slot, (LPVOID)0x5678)) return 2;
    if (TlsGetValue(slot) != (LPVOID)0x5678) return 3;
    return 0;
}

static void test_slots(void)
{
    HANDLE thread;
    DWORD code = 99, again;

    TEST("TlsAlloc, TlsSetValue, TlsGetValue: each thread its own cell; TlsFree clears them all");
    slot = TlsAlloc();
    CHECK(slot != TLS_OUT_OF_INDEXES);
    SetLastError(0xdeadbeef);
    CHECK(TlsGetValue(slot) == NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    CHECK(TlsSetValue(slot, (LPVOID)0x1234));
    SetLastError(0xdeadbeef);
    CHECK(TlsGetValue(slot) == (LPVOID)0x1234);
    CHECK_ERROR(ERROR_SUCCESS);
    thread = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 0);
    CloseHandle(thread);
    CHECK(TlsGetValue(slot) == (LPVOID)0x1234); /* the other thread's value is its own */
    CHECK(TlsFree(slot));
    /* Freed and allocated again: 0 in this thread too. */
    again = TlsAlloc();
    CHECK(again != TLS_OUT_OF_INDEXES);
    if (again == slot) CHECK(TlsGetValue(again) == NULL);
    CHECK(TlsFree(again));
}

static void test_limits(void)
{
    static DWORD taken[TLS_MINIMUM_AVAILABLE + 1024 + 1];
    DWORD count = 0, i;

    TEST("TLS slots: TLS_MINIMUM_AVAILABLE and more, then TLS_OUT_OF_INDEXES; indexes out of range");
    for (;;) {
        DWORD index = TlsAlloc();
        if (index == TLS_OUT_OF_INDEXES) break;
        taken[count++] = index;
        if (count == sizeof taken / sizeof taken[0]) break;
    }
    CHECK(count >= TLS_MINIMUM_AVAILABLE);
    CHECK(count <= TLS_MINIMUM_AVAILABLE + 1024);
    for (i = 0; i < count; i++) CHECK(taken[i] < TLS_MINIMUM_AVAILABLE + 1024);
    for (i = 0; i < count; i++) TlsFree(taken[i]);
    SetLastError(0xdeadbeef);
    CHECK(TlsGetValue(TLS_MINIMUM_AVAILABLE + 1024) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!TlsSetValue(TLS_MINIMUM_AVAILABLE + 1024, (LPVOID)1));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!TlsFree(TLS_MINIMUM_AVAILABLE + 1024));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static volatile LONG callbacks, callback_sum;

static VOID WINAPI fls_callback(PVOID value)
{
    InterlockedIncrement(&callbacks);
    InterlockedExchangeAdd(&callback_sum, (LONG)(ULONG_PTR)value);
}

static DWORD fls_slot;

static DWORD WINAPI fls_thread(LPVOID parameter)
{
    if (FlsGetValue(fls_slot) != NULL) return 1;
    if (!FlsSetValue(fls_slot, parameter)) return 2;
    return 0; /* its value goes to the callback as it ends */
}

static void test_fls(void)
{
    HANDLE thread;
    DWORD code = 99;

    TEST("FlsAlloc's callback: a thread's value as it ends, every live value as the slot is freed");
    callbacks = callback_sum = 0;
    fls_slot = FlsAlloc(fls_callback);
    CHECK(fls_slot != FLS_OUT_OF_INDEXES);
    thread = CreateThread(NULL, 0, fls_thread, (LPVOID)(ULONG_PTR)5, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 0);
    CloseHandle(thread);
    CHECK_EQ(callbacks, 1);
    CHECK_EQ(callback_sum, 5);
    SetLastError(0xdeadbeef);
    CHECK(FlsGetValue(fls_slot) == NULL);
    CHECK(FlsSetValue(fls_slot, (PVOID)(ULONG_PTR)7));
    CHECK(FlsGetValue(fls_slot) == (PVOID)(ULONG_PTR)7);
    CHECK(FlsFree(fls_slot)); /* this thread's 7 goes to the callback */
    CHECK_EQ(callbacks, 2);
    CHECK_EQ(callback_sum, 12);
    SetLastError(0xdeadbeef);
    CHECK(!FlsFree(fls_slot));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("FlsGetValue, FlsSetValue: an index not allocated works, 0 does not");
    /* Wine's fiber.c test_FiberLocalStorage: FlsFree of an unallocated index fails, but
     * FlsGetValue and FlsSetValue succeed on it; what the freed slot held is gone. */
    SetLastError(0xdeadbeef);
    CHECK(FlsGetValue(fls_slot) == NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    CHECK(FlsSetValue(fls_slot, (PVOID)(ULONG_PTR)0x217));
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(FlsGetValue(fls_slot) == (PVOID)(ULONG_PTR)0x217);
    CHECK_ERROR(ERROR_SUCCESS);
    CHECK(FlsSetValue(fls_slot, NULL));
    CHECK_EQ(callbacks, 2);
    SetLastError(0xdeadbeef);
    CHECK(FlsGetValue(0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!FlsSetValue(0, (PVOID)1));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static void test_misc(void)
{
    TEST("MulDiv, IsDebuggerPresent, OutputDebugString");
    CHECK_EQ(MulDiv(10, 3, 2), 15);
    CHECK_EQ(MulDiv(2, 3, 4), 2);          /* 1.5 rounds to 2 */
    CHECK_EQ(MulDiv(7, 1, 3), 2);          /* 2.33 rounds to 2 */
    CHECK_EQ(MulDiv(0x40000000, 4, 8), 0x20000000); /* a 64-bit product */
    CHECK_EQ(MulDiv(1, 1, 0), -1);
    CHECK_EQ(MulDiv(0x7fffffff, 2, 1), -1); /* does not fit */
    CHECK(!IsDebuggerPresent());
    OutputDebugStringA("test_tls: a debug string nobody reads\n");
}

int main(void)
{
    test_slots();
    test_limits();
    test_fls();
    test_misc();
    return tl_finish();
}
