/* test_threadpool_timers.c: thread-pool timers: relative, absolute and zero due times,
 * periods, IsThreadpoolTimerSet, stopping, SetThreadpoolTimerEx's result,
 * WaitForThreadpoolTimerCallbacks and CloseThreadpoolTimer. */
#include "testlib.h"

static HANDLE semaphore;
static volatile LONG fired;
static PVOID volatile seen_timer;

static VOID CALLBACK timer_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    (void)instance;
    InterlockedExchangePointer(&seen_timer, timer);
    InterlockedIncrement(&fired);
    ReleaseSemaphore((HANDLE)context, 1, NULL);
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

static void one_shot(void)
{
    TEST("a new timer is not set");
    semaphore = CreateSemaphoreA(NULL, 0, 100, NULL);
    PTP_TIMER timer = CreateThreadpoolTimer(timer_cb, semaphore, NULL);
    CHECK(timer != NULL);
    CHECK(!IsThreadpoolTimerSet(timer));

    TEST("relative due time: not before, then once; the timer stays set");
    FILETIME due = relative_ms(200);
    ULONGLONG start = GetTickCount64();
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK(IsThreadpoolTimerSet(timer));
    CHECK_EQ(WaitForSingleObject(semaphore, 50), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start >= 180);
    CHECK(tl_load_pointer(&seen_timer) == (PVOID)timer);
    CHECK_EQ(WaitForSingleObject(semaphore, 300), WAIT_TIMEOUT);
    CHECK(IsThreadpoolTimerSet(timer));

    TEST("absolute due time");
    due = absolute_in_ms(200);
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 50), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);

    TEST("a due time of zero fires at once");
    due.dwLowDateTime = due.dwHighDateTime = 0;
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 2000), WAIT_OBJECT_0);

    TEST("after a zero due time has fired, the timer is still set");
    CHECK(IsThreadpoolTimerSet(timer));

    TEST("an absolute due time already past fires at once");
    due = absolute_in_ms(-1000);
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 2000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 200), WAIT_TIMEOUT);

    TEST("WaitForThreadpoolTimerCallbacks(FALSE) on a set timer not yet due returns at once");
    /* It waits for callbacks queued or running, not for the timer (Wine's ntdll
     * test_tp_timer); the callback still comes at the due time. */
    due = relative_ms(300);
    SetThreadpoolTimer(timer, &due, 0, 0);
    start = GetTickCount64();
    WaitForThreadpoolTimerCallbacks(timer, FALSE);
    CHECK(GetTickCount64() - start < 250);
    CHECK(IsThreadpoolTimerSet(timer));
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);

    TEST("setting a set timer again replaces its due time: no shot at the first");
    due = relative_ms(150);
    SetThreadpoolTimer(timer, &due, 0, 0);
    due = relative_ms(600);
    start = GetTickCount64();
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 350), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start >= 580);
    CHECK_EQ(WaitForSingleObject(semaphore, 200), WAIT_TIMEOUT);

    TEST("due times centuries away (past 2^63 nanoseconds) are not due now");
    due.dwHighDateTime = 0x20000000; /* an absolute time in the 89th century */
    due.dwLowDateTime = 0;
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 100), WAIT_TIMEOUT);
    due.dwHighDateTime = 0xFE000000; /* relative: about 457 years from now */
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 100), WAIT_TIMEOUT);
    due.dwHighDateTime = 0x80000000; /* the farthest relative time */
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 100), WAIT_TIMEOUT);
    CHECK(IsThreadpoolTimerSet(timer));

    TEST("a NULL due time stops the timer: nothing fires, not set");
    due = relative_ms(200);
    SetThreadpoolTimer(timer, &due, 0, 0);
    SetThreadpoolTimer(timer, NULL, 0, 0);
    CHECK(!IsThreadpoolTimerSet(timer));
    CHECK_EQ(WaitForSingleObject(semaphore, 400), WAIT_TIMEOUT);

    TEST("SetThreadpoolTimerEx tells whether a set timer was replaced");
    WINE_DEVIATION("Wine 8 does not implement SetThreadpoolTimerEx (the call aborts)")
    {
        due = relative_ms(5000);
        CHECK(!SetThreadpoolTimerEx(timer, &due, 0, 0));
        CHECK(SetThreadpoolTimerEx(timer, NULL, 0, 0));
        CHECK(!SetThreadpoolTimerEx(timer, NULL, 0, 0));
    }
    WaitForThreadpoolTimerCallbacks(timer, TRUE);
    CloseThreadpoolTimer(timer);
}

static void periodic(void)
{
    TEST("a periodic timer fires again and again until stopped");
    PTP_TIMER timer = CreateThreadpoolTimer(timer_cb, semaphore, NULL);
    FILETIME due = relative_ms(50);
    ULONGLONG start = GetTickCount64();
    SetThreadpoolTimer(timer, &due, 50, 0);
    for (int i = 0; i < 4; ++i) CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start >= 180); /* four shots: 50 + 3 x 50 ms at least */
    SetThreadpoolTimer(timer, NULL, 0, 0);
    WaitForThreadpoolTimerCallbacks(timer, TRUE);
    while (WaitForSingleObject(semaphore, 0) == WAIT_OBJECT_0) {
    }
    LONG count = tl_load(&fired);
    Sleep(200);
    CHECK_EQ(tl_load(&fired), count);

    TEST("window length: the callback still comes");
    due = relative_ms(50);
    SetThreadpoolTimer(timer, &due, 0, 100);
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);

    TEST("closing a set timer: it never fires");
    due = relative_ms(100);
    SetThreadpoolTimer(timer, &due, 10, 0);
    CloseThreadpoolTimer(timer);
    CHECK_EQ(WaitForSingleObject(semaphore, 400), WAIT_TIMEOUT);
}

static HANDLE slow_go;
static volatile LONG slow_done;

static VOID CALLBACK slow_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    (void)instance;
    (void)timer;
    ReleaseSemaphore((HANDLE)context, 1, NULL);
    WaitForSingleObject(slow_go, 5000);
    InterlockedIncrement(&slow_done);
}

static DWORD WINAPI set_later(LPVOID parameter)
{
    Sleep(200);
    SetEvent((HANDLE)parameter);
    return 0;
}

static void wait_for_callbacks(void)
{
    TEST("WaitForThreadpoolTimerCallbacks waits for a running callback");
    slow_go = CreateEventA(NULL, TRUE, FALSE, NULL);
    PTP_TIMER timer = CreateThreadpoolTimer(slow_cb, semaphore, NULL);
    FILETIME due = relative_ms(10);
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
    HANDLE helper = CreateThread(NULL, 0, set_later, slow_go, 0, NULL);
    WaitForThreadpoolTimerCallbacks(timer, FALSE);
    CHECK_EQ(tl_load(&slow_done), 1);
    WaitForSingleObject(helper, 5000);
    CloseHandle(helper);
    CloseThreadpoolTimer(timer);
    CloseHandle(slow_go);
    CloseHandle(semaphore);
}

int main(void)
{
    one_shot();
    periodic();
    wait_for_callbacks();
    return tl_finish();
}
