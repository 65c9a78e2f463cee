/* test_thread_apc.c: CreateThread (suspended start, resume counts, exit codes, ExitThread,
 * TerminateThread, ids, OpenThread, many threads) and APCs (QueueUserAPC to self and to another thread,
 * FIFO, only alertable waits run them, WAIT_IO_COMPLETION). */
#include "testlib.h"

static volatile LONG ran;

static DWORD WINAPI mark_ran(LPVOID parameter)
{
    InterlockedIncrement(&ran);
    return (DWORD)(ULONG_PTR)parameter;
}

static DWORD WINAPI exit_early(LPVOID unused)
{
    (void)unused;
    ExitThread(77);
}

static DWORD WINAPI terminate_self(LPVOID unused)
{
    (void)unused;
    TerminateThread(GetCurrentThread(), 81);
    InterlockedIncrement(&ran); /* never reached */
    return 1;
}

static DWORD WINAPI wait_for_event(LPVOID event)
{
    return WaitForSingleObject((HANDLE)event, 10000) == WAIT_OBJECT_0 ? 2 : 3;
}

static DWORD WINAPI report_id(LPVOID out)
{
    tl_store((volatile LONG *)out, (LONG)GetCurrentThreadId());
    Sleep(300);
    return 0;
}

static void threads(void)
{
    TEST("CREATE_SUSPENDED: nothing runs until ResumeThread brings the count to zero");
    tl_store(&ran, 0);
    DWORD id = 0;
    HANDLE thread = CreateThread(NULL, 0, mark_ran, (LPVOID)12, CREATE_SUSPENDED, &id);
    CHECK(thread != NULL);
    CHECK(id != 0);
    Sleep(100);
    CHECK_EQ(tl_load(&ran), 0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&ran), 1);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 12);
    CHECK_EQ(ResumeThread(thread), 0); /* not suspended: previous count 0 */
    CHECK_EQ(GetThreadId(thread), id);
    /* An ended thread cannot be suspended (Wine's thread.c test_SuspendThread). */
    SetLastError(0xdeadbeef);
    CHECK_EQ(SuspendThread(thread), (DWORD)-1);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(thread);

    TEST("SuspendThread counts up to 127 (MAXIMUM_SUSPEND_COUNT), then fails");
    tl_store(&ran, 0);
    thread = CreateThread(NULL, 0, mark_ran, (LPVOID)3, CREATE_SUSPENDED, NULL);
    CHECK(thread != NULL);
    DWORD previous = 0;
    for (DWORD count = 1; count < 127; ++count) {
        previous = SuspendThread(thread);
        if (previous != count) break;
    }
    CHECK_EQ(previous, 126);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SuspendThread(thread), (DWORD)-1); /* STATUS_SUSPEND_COUNT_EXCEEDED */
    CHECK_ERROR(ERROR_SIGNAL_REFUSED);
    for (DWORD count = 127; count > 1; --count) {
        previous = ResumeThread(thread);
        if (previous != count) break;
    }
    CHECK_EQ(previous, 2);
    CHECK_EQ(tl_load(&ran), 0);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&ran), 1);
    CloseHandle(thread);

    TEST("ExitThread sets the exit code");
    thread = CreateThread(NULL, 0, exit_early, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 77);
    CloseHandle(thread);

    TEST("TerminateThread: the calling thread ends with the code given");
    tl_store(&ran, 0);
    thread = CreateThread(NULL, 0, terminate_self, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 81);
    CHECK_EQ(tl_load(&ran), 0);
    CloseHandle(thread);

    TEST("TerminateThread: a thread created suspended ends without running its routine");
    tl_store(&ran, 0);
    thread = CreateThread(NULL, 0, mark_ran, (LPVOID)5, CREATE_SUSPENDED, NULL);
    CHECK(TerminateThread(thread, 44));
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 44);
    Sleep(50);
    CHECK_EQ(tl_load(&ran), 0);
    CloseHandle(thread);

    TEST("TerminateThread: the handle's rights and kind");
    thread = CreateThread(NULL, 0, mark_ran, (LPVOID)6, CREATE_SUSPENDED, NULL);
    HANDLE limited = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), thread, GetCurrentProcess(), &limited, SYNCHRONIZE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!TerminateThread(limited, 1));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!TerminateThread(NULL, 1));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!TerminateThread(event, 1)); /* not a thread */
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 6); /* the refused calls changed nothing */
    CloseHandle(limited);
    CloseHandle(thread);

    TEST("TerminateThread: a thread that is running");
    thread = CreateThread(NULL, 0, wait_for_event, event, 0, NULL);
    Sleep(50);
    OUR_DEVIATION("a running thread cannot be ended safely on Linux: ERROR_CALL_NOT_IMPLEMENTED") {
        CHECK(TerminateThread(thread, 55));
        CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, 55);
    }
    SetEvent(event); /* ours still runs: let it end */
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(event);

    TEST("thread ids: GetCurrentThreadId inside, GetThreadId and OpenThread outside");
    volatile LONG inside = 0;
    thread = CreateThread(NULL, 0, report_id, (LPVOID)&inside, 0, &id);
    while (tl_load(&inside) == 0) Sleep(1);
    CHECK_EQ((DWORD)tl_load(&inside), id);
    CHECK_EQ(GetThreadId(thread), id);
    HANDLE opened = OpenThread(SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, id);
    CHECK(opened != NULL);
    CHECK_EQ(WaitForSingleObject(opened, 3000), WAIT_OBJECT_0);
    CloseHandle(opened);
    CloseHandle(thread);
    CHECK(GetCurrentThreadId() != id);
    CHECK_EQ(GetThreadId(GetCurrentThread()), GetCurrentThreadId());

    TEST("OpenThread of a thread that ended: opened while a handle keeps it, not after");
    thread = CreateThread(NULL, 0, mark_ran, (LPVOID)(ULONG_PTR)77, 0, &id);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    opened = OpenThread(SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, id);
    CHECK(opened != NULL);
    if (opened != NULL) {
        DWORD code = 0;
        CHECK(GetExitCodeThread(opened, &code));
        CHECK_EQ(code, 77);
        CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
        CloseHandle(opened);
    }
    CloseHandle(thread);
    /* The last handle gone, the id names nothing (the object may take a moment to go). */
    HANDLE late = NULL;
    for (int i = 0; i < 200; ++i) {
        late = OpenThread(THREAD_QUERY_INFORMATION, FALSE, id);
        if (late == NULL) break;
        CloseHandle(late);
        Sleep(10);
    }
    CHECK(late == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("OpenThread of an id that does not exist");
    SetLastError(0xdeadbeef);
    CHECK(OpenThread(THREAD_ALL_ACCESS, FALSE, 0xfffffff0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("fifty threads, each with its own exit code");
    HANDLE many[50];
    tl_store(&ran, 0);
    for (int i = 0; i < 50; ++i) many[i] = CreateThread(NULL, 0, mark_ran, (LPVOID)(ULONG_PTR)(i + 1000), 0, NULL);
    int wrong = 0;
    for (int i = 0; i < 50; ++i) {
        if (WaitForSingleObject(many[i], 5000) != WAIT_OBJECT_0) wrong++;
        if (!GetExitCodeThread(many[i], &code) || code != (DWORD)(i + 1000)) wrong++;
        CloseHandle(many[i]);
    }
    CHECK_EQ(wrong, 0);
    CHECK_EQ(tl_load(&ran), 50);
}

static int order[16];
static int order_count;

static void CALLBACK record_apc(ULONG_PTR value)
{
    if (order_count < 16) order[order_count++] = (int)value;
}

static void CALLBACK queue_another(ULONG_PTR value)
{
    record_apc(value);
    QueueUserAPC(record_apc, GetCurrentThread(), value + 1);
}

static void apcs_to_self(void)
{
    TEST("APCs queued to self wait for an alertable wait, then run FIFO");
    order_count = 0;
    CHECK(QueueUserAPC(record_apc, GetCurrentThread(), 1) != 0);
    CHECK(QueueUserAPC(record_apc, GetCurrentThread(), 2) != 0);
    CHECK(QueueUserAPC(record_apc, GetCurrentThread(), 3) != 0);
    Sleep(10);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK_EQ(WaitForSingleObject(event, 10), WAIT_TIMEOUT);
    CHECK_EQ(order_count, 0); /* non-alertable waits never run them */
    CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(order_count, 3);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 2);
    CHECK_EQ(order[2], 3);

    TEST("an alertable wait with nothing queued just times out");
    CHECK_EQ(SleepEx(10, TRUE), 0);
    CHECK_EQ(WaitForSingleObjectEx(event, 10, TRUE), WAIT_TIMEOUT);

    TEST("an APC that queues another: both run in the same alertable wait");
    order_count = 0;
    QueueUserAPC(queue_another, GetCurrentThread(), 10);
    CHECK_EQ(WaitForSingleObjectEx(event, 1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(order_count, 2);
    CHECK_EQ(order[1], 11);

    TEST("WaitForMultipleObjectsEx alertable returns WAIT_IO_COMPLETION");
    order_count = 0;
    QueueUserAPC(record_apc, GetCurrentThread(), 5);
    HANDLE two[2] = {event, event};
    CHECK_EQ(WaitForMultipleObjectsEx(2, two, FALSE, 1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(order_count, 1);
    CloseHandle(event);
}

static volatile LONG other_result;
static volatile LONG other_ready;
static volatile LONG other_apcs;

static void CALLBACK count_in_other(ULONG_PTR unused)
{
    (void)unused;
    InterlockedIncrement(&other_apcs);
}

static DWORD WINAPI sleep_alertably(LPVOID unused)
{
    (void)unused;
    tl_store(&other_ready, 1);
    tl_store(&other_result, (LONG)SleepEx(5000, TRUE));
    return 0;
}

static DWORD WINAPI wait_not_alertable_then_alertable(LPVOID event)
{
    tl_store(&other_ready, 1);
    WaitForSingleObject((HANDLE)event, 3000); /* the APC must not run here */
    LONG before = tl_load(&other_apcs);
    tl_store(&other_result, (LONG)SleepEx(3000, TRUE));
    return (DWORD)before;
}

static void apcs_to_another_thread(void)
{
    TEST("QueueUserAPC to a thread blocked in SleepEx(alertable) wakes it");
    tl_store(&other_ready, 0);
    tl_store(&other_apcs, 0);
    HANDLE thread = CreateThread(NULL, 0, sleep_alertably, NULL, 0, NULL);
    while (!tl_load(&other_ready)) Sleep(1);
    Sleep(100);
    ULONGLONG start = GetTickCount64();
    CHECK(QueueUserAPC(count_in_other, thread, 0) != 0);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(GetTickCount64() - start < 2000);
    CHECK_EQ(tl_load(&other_result), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&other_apcs), 1);
    CloseHandle(thread);

    TEST("an APC to a thread in a non-alertable wait stays queued until it waits alertably");
    tl_store(&other_ready, 0);
    tl_store(&other_apcs, 0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, wait_not_alertable_then_alertable, event, 0, NULL);
    while (!tl_load(&other_ready)) Sleep(1);
    Sleep(100);
    CHECK(QueueUserAPC(count_in_other, thread, 0) != 0);
    Sleep(100);
    CHECK_EQ(tl_load(&other_apcs), 0);
    SetEvent(event);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    DWORD before = 99;
    GetExitCodeThread(thread, &before);
    CHECK_EQ(before, 0);
    CHECK_EQ(tl_load(&other_apcs), 1);
    CHECK_EQ(tl_load(&other_result), WAIT_IO_COMPLETION);
    CloseHandle(thread);
    CloseHandle(event);

    TEST("QueueUserAPC with a bad thread handle");
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueueUserAPC(count_in_other, NULL, 0), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE not_a_thread = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueueUserAPC(count_in_other, not_a_thread, 0), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(not_a_thread);
}


static DWORD WINAPI return_42(LPVOID unused)
{
    (void)unused;
    return 42;
}

static void CALLBACK count_apc(ULONG_PTR counter) { InterlockedIncrement((volatile LONG *)counter); }

static void ended_threads_and_bad_handles(void)
{
    /* Wine's kernel32 sync test_QueueUserAPC: an APC to a thread that has ended fails
     * with ERROR_GEN_FAILURE. */
    TEST("QueueUserAPC to a thread that has ended: ERROR_GEN_FAILURE");
    HANDLE thread = CreateThread(NULL, 0, return_42, NULL, CREATE_SUSPENDED, NULL);
    CHECK(TerminateThread(thread, 5));
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueueUserAPC(count_in_other, thread, 0), 0);
    CHECK_ERROR(ERROR_GEN_FAILURE);

    CloseHandle(thread);

    TEST("a thread that returned: ResumeThread 0, SuspendThread ERROR_ACCESS_DENIED");
    thread = CreateThread(NULL, 0, return_42, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(ResumeThread(thread), 0);
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SuspendThread(thread), (DWORD)-1);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(thread);

    TEST("an APC queued to a thread created suspended is accepted; the thread runs once resumed");
    volatile LONG count = 0;
    thread = CreateThread(NULL, 0, return_42, NULL, CREATE_SUSPENDED, NULL);
    CHECK(QueueUserAPC(count_apc, thread, (ULONG_PTR)&count) != 0);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 42);
    CloseHandle(thread);

    TEST("ResumeThread of the running thread: 0");
    SetLastError(0xdeadbeef);
    CHECK_EQ(ResumeThread(GetCurrentThread()), 0);
    CHECK_ERROR(0xdeadbeef);

    TEST("thread functions on handles that are no threads: ERROR_INVALID_HANDLE");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadPriority(NULL), THREAD_PRIORITY_ERROR_RETURN);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadPriority(event), THREAD_PRIORITY_ERROR_RETURN);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeThread(event, &code));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadPriority(GetCurrentThread(), 1000));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(event);
}

static volatile LONG self_suspend_stage;

/* Suspends itself, then records that it was let go (Wine's thread.c threadFunc3). */
static DWORD WINAPI suspend_self(LPVOID unused)
{
    (void)unused;
    tl_store(&self_suspend_stage, 1);
    DWORD previous = SuspendThread(GetCurrentThread());
    tl_store(&self_suspend_stage, 2);
    return previous == 0 ? 99 : 98;
}

static void self_suspension(void)
{
    DWORD code = 0, count = 0;

    TEST("a thread suspends itself: held until another thread's ResumeThread, which gets 1");
    tl_store(&self_suspend_stage, 0);
    HANDLE thread = CreateThread(NULL, 0, suspend_self, NULL, 0, NULL);
    CHECK(thread != NULL);
    /* Poll until its own SuspendThread has counted: ours then sees 1 (Wine's thread.c
     * test_SuspendThread polls the same way). */
    for (int tries = 0; tries < 500; ++tries) {
        count = SuspendThread(thread);
        if (count == 1) break;
        if (count == 0) ResumeThread(thread); /* it had not suspended itself yet */
        Sleep(20);
    }
    CHECK_EQ(count, 1);
    CHECK_EQ(ResumeThread(thread), 2);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT); /* still held at count 1 */
    CHECK_EQ(tl_load(&self_suspend_stage), 1);

    TEST("a thread that suspended itself: a handle without THREAD_SUSPEND_RESUME cannot resume it");
    HANDLE limited = OpenThread(THREAD_QUERY_INFORMATION | SYNCHRONIZE, FALSE, GetThreadId(thread));
    CHECK(limited != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(ResumeThread(limited), (DWORD)-1);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SuspendThread(limited), (DWORD)-1);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(limited);

    TEST("a thread that suspended itself runs on once resumed; its SuspendThread returned 0");
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 99);
    CHECK_EQ(tl_load(&self_suspend_stage), 2);
    CloseHandle(thread);
}

int main(void)
{
    threads();
    self_suspension();
    apcs_to_self();
    apcs_to_another_thread();
    ended_threads_and_bad_handles();
    return tl_finish();
}
