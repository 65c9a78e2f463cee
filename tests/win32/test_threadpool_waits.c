/* test_threadpool_waits.c: thread-pool waits: signalled and timed-out waits, relative,
 * absolute and zero timeouts, one shot per SetThreadpoolWait, cancelling with a NULL
 * handle, SetThreadpoolWaitEx's result, many waits at once; the pseudo-handle
 * INVALID_HANDLE_VALUE, re-setting a pending wait, two waits on one semaphore. */
#include "testlib.h"

struct wait_info {
    HANDLE done;
    volatile LONG signalled;
    volatile LONG timed_out;
};

static VOID CALLBACK wait_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WAIT wait, TP_WAIT_RESULT result)
{
    (void)instance;
    (void)wait;
    struct wait_info *info = context;
    if (result == WAIT_OBJECT_0)
        InterlockedIncrement(&info->signalled);
    else if (result == WAIT_TIMEOUT)
        InterlockedIncrement(&info->timed_out);
    ReleaseSemaphore(info->done, 1, NULL);
}

static FILETIME relative_ms(LONGLONG milliseconds)
{
    ULARGE_INTEGER value;
    value.QuadPart = (ULONGLONG)(-milliseconds * 10000);
    FILETIME time;
    time.dwLowDateTime = value.LowPart;
    time.dwHighDateTime = value.HighPart;
    return time;
}

static void basic(void)
{
    struct wait_info info = {CreateSemaphoreA(NULL, 0, 100, NULL), 0, 0};
    HANDLE object = CreateSemaphoreA(NULL, 0, 10, NULL);
    PTP_WAIT wait = CreateThreadpoolWait(wait_cb, &info, NULL);
    CHECK(wait != NULL);

    TEST("no timeout: the callback comes when the object is signalled, and takes the signal");
    SetThreadpoolWait(wait, object, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 100), WAIT_TIMEOUT);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.signalled), 1);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_TIMEOUT);

    TEST("one callback per SetThreadpoolWait");
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 200), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&info.signalled), 1);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_OBJECT_0);

    TEST("relative timeout, nothing signalled: WAIT_TIMEOUT after the time");
    FILETIME timeout = relative_ms(200);
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 50), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 1);

    TEST("relative timeout, signalled before it: WAIT_OBJECT_0");
    timeout = relative_ms(2000);
    SetThreadpoolWait(wait, object, &timeout);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.signalled), 2);
    CHECK_EQ(tl_load(&info.timed_out), 1);

    TEST("a timeout of zero: WAIT_TIMEOUT at once, the object untouched");
    timeout.dwLowDateTime = timeout.dwHighDateTime = 0;
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 2);

    TEST("a timeout centuries away: no WAIT_TIMEOUT now, the signal still comes");
    timeout.dwHighDateTime = 0x20000000; /* an absolute time in the 89th century */
    timeout.dwLowDateTime = 0;
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 100), WAIT_TIMEOUT);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.signalled), 3);
    CHECK_EQ(tl_load(&info.timed_out), 2);

    TEST("SetThreadpoolWait(NULL) cancels a pending wait");
    timeout = relative_ms(250);
    SetThreadpoolWait(wait, object, &timeout);
    SetThreadpoolWait(wait, NULL, NULL);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 400), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_OBJECT_0);

    TEST("SetThreadpoolWaitEx tells whether a pending wait was replaced");
    WINE_DEVIATION("Wine 8 does not implement SetThreadpoolWaitEx (the call aborts)")
    {
        CHECK(!SetThreadpoolWaitEx(wait, object, NULL, NULL));
        CHECK(SetThreadpoolWaitEx(wait, NULL, NULL, NULL));
        CHECK(!SetThreadpoolWaitEx(wait, NULL, NULL, NULL));
    }

    TEST("closing a pending wait: no callback");
    SetThreadpoolWait(wait, object, NULL);
    WaitForThreadpoolWaitCallbacks(wait, TRUE);
    CloseThreadpoolWait(wait);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 300), WAIT_TIMEOUT);
    CloseHandle(object);
    CloseHandle(info.done);
}

static void many(void)
{
    TEST("100 waits at once (more than one wait thread's 63): each fires once");
    enum { N = 100 };
    struct wait_info info = {CreateSemaphoreA(NULL, 0, 1000, NULL), 0, 0};
    HANDLE events[N];
    PTP_WAIT waits[N];
    for (int i = 0; i < N; ++i) {
        events[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
        waits[i] = CreateThreadpoolWait(wait_cb, &info, NULL);
        SetThreadpoolWait(waits[i], events[i], NULL);
    }
    for (int i = N - 1; i >= 0; --i) SetEvent(events[i]);
    int got = 0;
    while (got < N && WaitForSingleObject(info.done, 5000) == WAIT_OBJECT_0) ++got;
    CHECK_EQ(got, N);
    CHECK_EQ(tl_load(&info.signalled), N);
    for (int i = 0; i < N; ++i) {
        WaitForThreadpoolWaitCallbacks(waits[i], FALSE);
        CloseThreadpoolWait(waits[i]);
        CloseHandle(events[i]);
    }
    CloseHandle(info.done);
}

static FILETIME absolute_in_ms(LONGLONG milliseconds)
{
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    ULARGE_INTEGER value;
    value.LowPart = now.dwLowDateTime;
    value.HighPart = now.dwHighDateTime;
    value.QuadPart += (ULONGLONG)milliseconds * 10000;
    now.dwLowDateTime = value.LowPart;
    now.dwHighDateTime = value.HighPart;
    return now;
}

/* Facts of Wine's ntdll test_tp_wait (TpSetWait is SetThreadpoolWait's body), which pass on
 * Windows. */
static void more(void)
{
    struct wait_info info = {CreateSemaphoreA(NULL, 0, 100, NULL), 0, 0};
    HANDLE object = CreateSemaphoreA(NULL, 0, 10, NULL);
    PTP_WAIT wait = CreateThreadpoolWait(wait_cb, &info, NULL);
    PTP_WAIT wait2 = CreateThreadpoolWait(wait_cb, &info, NULL);
    CHECK(wait != NULL && wait2 != NULL);

    TEST("absolute timeout, nothing signalled: WAIT_TIMEOUT at that time, not before");
    FILETIME timeout = absolute_in_ms(200);
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 50), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 1);
    CHECK_EQ(tl_load(&info.signalled), 0);

    TEST("absolute timeout, signalled before it: WAIT_OBJECT_0, the signal taken");
    timeout = absolute_in_ms(2000);
    SetThreadpoolWait(wait, object, &timeout);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.signalled), 1);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_TIMEOUT);

    TEST("an absolute timeout already past: WAIT_TIMEOUT at once");
    timeout = absolute_in_ms(-1000);
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 2);

    TEST("WaitForThreadpoolWaitCallbacks(FALSE) on a pending wait returns at once");
    timeout = relative_ms(300);
    SetThreadpoolWait(wait, object, &timeout);
    ULONGLONG start = GetTickCount64();
    WaitForThreadpoolWaitCallbacks(wait, FALSE);
    CHECK(GetTickCount64() - start < 250);
    CHECK_EQ(tl_load(&info.timed_out), 2);
    CHECK_EQ(WaitForSingleObject(info.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 3);

    TEST("a NULL handle ignores the timeout argument");
    timeout = relative_ms(250);
    SetThreadpoolWait(wait, object, &timeout);
    SetThreadpoolWait(wait, NULL, (PFILETIME)(ULONG_PTR)0xdeadbeef);
    Sleep(50);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 400), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_OBJECT_0);

    TEST("INVALID_HANDLE_VALUE (the process, never signalled) with a zero timeout: WAIT_TIMEOUT");
    timeout.dwLowDateTime = timeout.dwHighDateTime = 0;
    SetThreadpoolWait(wait, INVALID_HANDLE_VALUE, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.timed_out), 4);
    CHECK_EQ(tl_load(&info.signalled), 1);

    TEST("re-setting a pending wait replaces it: the first object is left alone");
    timeout = relative_ms(250);
    SetThreadpoolWait(wait, object, &timeout);
    CHECK_EQ(WaitForSingleObject(info.done, 50), WAIT_TIMEOUT);
    timeout.dwLowDateTime = timeout.dwHighDateTime = 0;
    SetThreadpoolWait(wait, INVALID_HANDLE_VALUE, &timeout);
    Sleep(50);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(info.done, 400), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&info.timed_out), 5);
    CHECK_EQ(tl_load(&info.signalled), 1);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_OBJECT_0);

    TEST("two waits on one semaphore: a count of one wakes one, a count of two both");
    SetThreadpoolWait(wait, object, NULL);
    SetThreadpoolWait(wait2, object, NULL);
    Sleep(50);
    ReleaseSemaphore(object, 1, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(info.done, 300), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&info.signalled), 2);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_TIMEOUT);
    SetThreadpoolWait(wait, NULL, NULL);
    SetThreadpoolWait(wait2, NULL, NULL);
    WaitForThreadpoolWaitCallbacks(wait, FALSE);
    WaitForThreadpoolWaitCallbacks(wait2, FALSE);
    SetThreadpoolWait(wait, object, NULL);
    SetThreadpoolWait(wait2, object, NULL);
    Sleep(50);
    ReleaseSemaphore(object, 2, NULL);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(info.done, 2000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&info.signalled), 4);
    CHECK_EQ(WaitForSingleObject(object, 0), WAIT_TIMEOUT);

    WaitForThreadpoolWaitCallbacks(wait, TRUE);
    WaitForThreadpoolWaitCallbacks(wait2, TRUE);
    CloseThreadpoolWait(wait);
    CloseThreadpoolWait(wait2);
    CloseHandle(object);
    CloseHandle(info.done);
}

int main(void)
{
    basic();
    more();
    many();
    return tl_finish();
}
