/* test_timer.c: waitable timers: manual and synchronization timers, relative and
 * absolute due times, periods, cancellation, completion routines as APCs to the thread
 * that set the timer. */
#include "testlib.h"

static LARGE_INTEGER relative_ms(LONGLONG milliseconds)
{
    LARGE_INTEGER due;
    due.QuadPart = -milliseconds * 10000;
    return due;
}

static void one_shot(void)
{
    TEST("manual timer: not signalled before it is due, signalled after, stays so");
    HANDLE timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    CHECK(timer != NULL);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT); /* never set */
    LARGE_INTEGER due = relative_ms(150);
    ULONGLONG start = GetTickCount64();
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start >= 130);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);

    TEST("setting the timer again resets its signal");
    due = relative_ms(100);
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);
    CloseHandle(timer);

    TEST("synchronization timer: one wait consumes the signal");
    timer = CreateWaitableTimerA(NULL, FALSE, NULL);
    due = relative_ms(50);
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(timer, 100), WAIT_TIMEOUT);
    CloseHandle(timer);

    TEST("absolute due time (a FILETIME)");
    timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    due.QuadPart = (((LONGLONG)now.dwHighDateTime << 32) | now.dwLowDateTime) + 100 * 10000;
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);

    TEST("an absolute due time in the past: signalled at once");
    due.QuadPart = 116444736000000000LL; /* 1970-01-01 */
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);

    TEST("due times centuries away (past 2^63 nanoseconds) are not due now");
    due.QuadPart = 0x2000000000000000LL; /* an absolute time in the 89th century */
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 100), WAIT_TIMEOUT);
    due.QuadPart = -0x0200000000000000LL; /* about 457 years from now */
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 100), WAIT_TIMEOUT);
    due.QuadPart = (LONGLONG)0x8000000000000000ULL; /* the farthest relative time */
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 100), WAIT_TIMEOUT);
    CHECK(CancelWaitableTimer(timer));
    CloseHandle(timer);
}

static void periodic_and_cancel(void)
{
    TEST("periodic synchronization timer signals again and again");
    HANDLE timer = CreateWaitableTimerA(NULL, FALSE, NULL);
    LARGE_INTEGER due = relative_ms(20);
    CHECK(SetWaitableTimer(timer, &due, 30, NULL, NULL, FALSE));
    int signals = 0;
    for (int i = 0; i < 4; ++i)
        if (WaitForSingleObject(timer, 2000) == WAIT_OBJECT_0) signals++;
    CHECK_EQ(signals, 4);

    TEST("CancelWaitableTimer stops it");
    CHECK(CancelWaitableTimer(timer));
    WaitForSingleObject(timer, 0); /* drop a signal that may have come just before */
    CHECK_EQ(WaitForSingleObject(timer, 200), WAIT_TIMEOUT);

    TEST("a cancelled one-shot timer never signals");
    due = relative_ms(100);
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK(CancelWaitableTimer(timer));
    CHECK_EQ(WaitForSingleObject(timer, 300), WAIT_TIMEOUT);
    CloseHandle(timer);

    TEST("timer functions on a non-timer handle");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!SetWaitableTimer(event, &due, 0, NULL, NULL, FALSE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!CancelWaitableTimer(event));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);

    TEST("generic rights stand for the timer's rights");
    timer = CreateWaitableTimerExA(NULL, NULL, 0, GENERIC_WRITE); /* TIMER_MODIFY_STATE */
    due = relative_ms(10);
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK(CancelWaitableTimer(timer));
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_FAILED); /* no SYNCHRONIZE */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(timer);
    timer = CreateWaitableTimerExA(NULL, NULL, 0, GENERIC_READ | GENERIC_EXECUTE);
    SetLastError(0xdeadbeef);
    CHECK(!SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    CloseHandle(timer);
}

static int routine_calls;
static LPVOID routine_argument;
static DWORD routine_thread;

static void CALLBACK timer_routine(LPVOID argument, DWORD low, DWORD high)
{
    (void)low;
    (void)high;
    routine_calls++;
    routine_argument = argument;
    routine_thread = GetCurrentThreadId();
}

static void completion_routine(void)
{
    TEST("the completion routine runs as an APC in the setting thread's alertable wait");
    HANDLE timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    LARGE_INTEGER due = relative_ms(50);
    routine_calls = 0;
    CHECK(SetWaitableTimer(timer, &due, 0, timer_routine, (LPVOID)0x1234, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 2000), WAIT_OBJECT_0); /* signalled, not alertable */
    CHECK_EQ(routine_calls, 0);
    CHECK_EQ(SleepEx(2000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK(routine_argument == (LPVOID)0x1234);
    CHECK_EQ(routine_thread, GetCurrentThreadId());
    CloseHandle(timer);
}

static void pending_routine_taken_back(void)
{
    /* Microsoft Learn: CancelWaitableTimer "stops the timer before it can be set to the
     * signaled state and cancels outstanding APCs"; SetWaitableTimer on an active timer
     * "does cancel any pending completion routines". */
    TEST("CancelWaitableTimer takes back a completion routine queued but not yet run");
    HANDLE timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    LARGE_INTEGER due = relative_ms(20);
    routine_calls = 0;
    CHECK(SetWaitableTimer(timer, &due, 0, timer_routine, (LPVOID)0x1234, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 2000), WAIT_OBJECT_0); /* expired: routine queued */
    CHECK(CancelWaitableTimer(timer));
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_EQ(routine_calls, 0);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_OBJECT_0); /* the signal stays */

    TEST("setting the timer again takes back a routine queued by the earlier setting");
    CHECK(SetWaitableTimer(timer, &due, 0, timer_routine, (LPVOID)0x1234, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 2000), WAIT_OBJECT_0);
    LARGE_INTEGER later = relative_ms(60000);
    CHECK(SetWaitableTimer(timer, &later, 0, timer_routine, (LPVOID)0x5678, FALSE));
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_EQ(routine_calls, 0);
    CHECK(CancelWaitableTimer(timer));

    TEST("a periodic timer's routine is queued once while it waits to run");
    LARGE_INTEGER soon = relative_ms(10);
    CHECK(SetWaitableTimer(timer, &soon, 10, timer_routine, (LPVOID)0x9abc, FALSE));
    Sleep(200); /* many periods, none alertable */
    CHECK(CancelWaitableTimer(timer)); /* takes back the one queued */
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_EQ(routine_calls, 0);
    CHECK(SetWaitableTimer(timer, &soon, 10, timer_routine, (LPVOID)0x9abc, FALSE));
    Sleep(200);
    /* One call, not twenty (a period that ends while it runs may add one more). */
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK(routine_calls >= 1 && routine_calls <= 2);
    CHECK(routine_argument == (LPVOID)0x9abc);
    CHECK(CancelWaitableTimer(timer));
    SleepEx(0, TRUE);
    CloseHandle(timer);
}


static void cancel_keeps_state(void)
{
    TEST("CancelWaitableTimer leaves a signalled timer signalled");
    HANDLE timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    LARGE_INTEGER due;
    due.QuadPart = -1;
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 2000), WAIT_OBJECT_0);
    CHECK(CancelWaitableTimer(timer));
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);

    TEST("a due time of 0 (the absolute 1601-01-01) is due at once");
    due.QuadPart = 0;
    CHECK(SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE));
    CHECK_EQ(WaitForSingleObject(timer, 1000), WAIT_OBJECT_0);

    /* Microsoft Learn, SetWaitableTimer: "If lPeriod is less than zero, the function
     * fails" (NT's NtSetTimer: STATUS_INVALID_PARAMETER_6). */
    TEST("a negative period fails with ERROR_INVALID_PARAMETER");
    due.QuadPart = -10000000;
    WINE_DEVIATION("Wine 8 accepts a negative period")
    {
        SetLastError(0xdeadbeef);
        CHECK(!SetWaitableTimer(timer, &due, -1, NULL, NULL, FALSE));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    SetLastError(0xdeadbeef);
    CHECK(!SetWaitableTimer(NULL, &due, 0, NULL, NULL, FALSE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(timer);
}

/* SetWaitableTimerEx (Windows 7 and later): SetWaitableTimer with a wake context and a
 * tolerable delay for coalescing (Microsoft Learn, SetWaitableTimerEx); the timer still
 * fires, no earlier than due, and its routine runs as SetWaitableTimer's does. */
static void set_ex(void)
{
    TEST("SetWaitableTimerEx: no context, no tolerance: due, then signalled");
    HANDLE timer = CreateWaitableTimerA(NULL, TRUE, NULL);
    LARGE_INTEGER due = relative_ms(100);
    ULONGLONG start = GetTickCount64();
    CHECK(SetWaitableTimerEx(timer, &due, 0, NULL, NULL, NULL, 0));
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(timer, 3000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start >= 80);

    TEST("SetWaitableTimerEx: a wake context and a tolerance; the routine runs in an alertable wait");
    WCHAR reason[] = {'t', 'e', 's', 't', 0};
    REASON_CONTEXT context;
    memset(&context, 0, sizeof context);
    context.Version = POWER_REQUEST_CONTEXT_VERSION;
    context.Flags = POWER_REQUEST_CONTEXT_SIMPLE_STRING;
    context.Reason.SimpleReasonString = reason;
    routine_calls = 0;
    due = relative_ms(50);
    CHECK(SetWaitableTimerEx(timer, &due, 0, timer_routine, (LPVOID)0x4321, &context, 20));
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK(routine_argument == (LPVOID)0x4321);
    CHECK_EQ(WaitForSingleObject(timer, 0), WAIT_OBJECT_0);
    CloseHandle(timer);

    TEST("SetWaitableTimerEx: a handle that is not a timer");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    due = relative_ms(10);
    SetLastError(0xdeadbeef);
    CHECK(!SetWaitableTimerEx(event, &due, 0, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
}

int main(void)
{
    one_shot();
    periodic_and_cancel();
    completion_routine();
    pending_routine_taken_back();
    cancel_keeps_state();
    set_ex();
    return tl_finish();
}
