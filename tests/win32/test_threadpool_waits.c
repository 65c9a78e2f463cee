/* test_threadpool_waits.c: thread-pool waits: signalled and timed-out waits, relative,
 * absolute and zero timeouts, one shot per SetThreadpoolWait, cancelling with a NULL
 * handle, SetThreadpoolWaitEx's result, many waits at once. */
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

int main(void)
{
    basic();
    many();
    return tl_finish();
}
