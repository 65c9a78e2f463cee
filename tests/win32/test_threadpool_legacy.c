/* test_threadpool_legacy.c: the thread-pool API before Vista: QueueUserWorkItem,
 * RegisterWaitForSingleObject / UnregisterWait(Ex), timer queues, and
 * BindIoCompletionCallback. */
#include "testlib.h"

static volatile LONG work_runs;
static PVOID volatile work_context;

static DWORD WINAPI work_fn(LPVOID context)
{
    InterlockedExchangePointer(&work_context, context);
    InterlockedIncrement(&work_runs);
    return 0;
}

static void queue_user_work_item(void)
{
    TEST("QueueUserWorkItem runs each item once with its context");
    for (int i = 0; i < 50; ++i) CHECK(QueueUserWorkItem(work_fn, (PVOID)0x99, WT_EXECUTEDEFAULT));
    CHECK(QueueUserWorkItem(work_fn, (PVOID)0x99, WT_EXECUTELONGFUNCTION));
    for (int i = 0; i < 500 && tl_load(&work_runs) < 51; ++i) Sleep(10);
    CHECK_EQ(tl_load(&work_runs), 51);
    CHECK(tl_load_pointer(&work_context) == (PVOID)0x99);
}

static volatile LONG wait_signalled, wait_timed_out;
static HANDLE wait_done;

static VOID CALLBACK wait_cb(PVOID context, BOOLEAN timed_out)
{
    (void)context;
    if (timed_out)
        InterlockedIncrement(&wait_timed_out);
    else
        InterlockedIncrement(&wait_signalled);
    ReleaseSemaphore(wait_done, 1, NULL);
}

static HANDLE self_wait;
static volatile LONG self_unregister_result, self_unregister_error;

static VOID CALLBACK self_unregister_cb(PVOID context, BOOLEAN timed_out)
{
    (void)context;
    (void)timed_out;
    /* The handle is there before the callback can run, even for a signalled object. */
    HANDLE wait = self_wait;
    SetLastError(0xdeadbeef);
    BOOL result = wait != INVALID_HANDLE_VALUE && UnregisterWait(wait);
    tl_store(&self_unregister_error, (LONG)GetLastError());
    tl_store(&self_unregister_result, result ? 1 : 0);
    ReleaseSemaphore(wait_done, 1, NULL);
}

static void registered_waits(void)
{
    wait_done = CreateSemaphoreA(NULL, 0, 1000, NULL);
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE wait = NULL;

    TEST("a registered wait fires each time its object is signalled");
    CHECK(RegisterWaitForSingleObject(&wait, event, wait_cb, NULL, INFINITE, WT_EXECUTEDEFAULT));
    CHECK(wait != NULL);
    for (int i = 0; i < 3; ++i) {
        SetEvent(event);
        CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
    }
    CHECK_EQ(tl_load(&wait_signalled), 3);
    CHECK(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    SetEvent(event);
    CHECK_EQ(WaitForSingleObject(wait_done, 200), WAIT_TIMEOUT);
    WINE_DEVIATION("Wine 8's wait thread may still be blocked on the object after "
                   "UnregisterWaitEx returns, and takes an auto-reset event's signal")
    {
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    }
    ResetEvent(event);

    TEST("a timeout fires with TRUE, again after each timeout");
    CHECK(RegisterWaitForSingleObject(&wait, event, wait_cb, NULL, 50, WT_EXECUTEDEFAULT));
    CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
    CHECK(tl_load(&wait_timed_out) >= 1);
    WINE_DEVIATION("Wine 8 fires a registered wait's timeout once, not after every timeout")
    {
        CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
        CHECK(tl_load(&wait_timed_out) >= 2);
    }
    CHECK(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    while (WaitForSingleObject(wait_done, 0) == WAIT_OBJECT_0) {
    }

    TEST("WT_EXECUTEONLYONCE: one callback only");
    tl_store(&wait_signalled, 0);
    CHECK(RegisterWaitForSingleObject(&wait, event, wait_cb, NULL, INFINITE, WT_EXECUTEONLYONCE));
    SetEvent(event);
    CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
    SetEvent(event);
    CHECK_EQ(WaitForSingleObject(wait_done, 200), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&wait_signalled), 1);
    /* The wait is done, but its handle stays valid until unregistered. */
    CHECK(UnregisterWait(wait));
    /* The second SetEvent found no waiter: the event is still signalled, and would fire
     * the next registration at once and again at its own SetEvent. */
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);

    TEST("WT_EXECUTEINWAITTHREAD runs the callback on the wait thread");
    CHECK(RegisterWaitForSingleObject(&wait, event, wait_cb, NULL, INFINITE, WT_EXECUTEINWAITTHREAD));
    SetEvent(event);
    CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
    CHECK(UnregisterWaitEx(wait, INVALID_HANDLE_VALUE));
    CHECK_EQ(WaitForSingleObject(wait_done, 0), WAIT_TIMEOUT);

    TEST("UnregisterWait from a WT_EXECUTEINWAITTHREAD wait's own callback: TRUE");
    HANDLE signalled = CreateEventA(NULL, TRUE, TRUE, NULL);
    for (int i = 0; i < 5; ++i) {
        self_wait = INVALID_HANDLE_VALUE;
        tl_store(&self_unregister_result, -1);
        tl_store(&self_unregister_error, 0);
        CHECK(RegisterWaitForSingleObject(&self_wait, signalled, self_unregister_cb, NULL, INFINITE,
                                          WT_EXECUTEONLYONCE | WT_EXECUTEINWAITTHREAD));
        CHECK_EQ(WaitForSingleObject(wait_done, 5000), WAIT_OBJECT_0);
        WINE_DEVIATION("Wine 8 answers FALSE with ERROR_IO_PENDING (todo_wine in its own thread.c test)")
        {
            CHECK_EQ(tl_load(&self_unregister_result), 1);
            CHECK_EQ((DWORD)tl_load(&self_unregister_error), 0xdeadbeef);
        }
    }
    CloseHandle(signalled);

    TEST("UnregisterWaitEx with an event signals it");
    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(RegisterWaitForSingleObject(&wait, event, wait_cb, NULL, INFINITE, WT_EXECUTEDEFAULT));
    BOOL result = UnregisterWaitEx(wait, done);
    CHECK(result || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    CloseHandle(done);

    TEST("bad handles");
    SetLastError(0xdeadbeef);
    CHECK(!UnregisterWait(NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
}

struct timer_data {
    volatile LONG calls;
    DWORD sleep;
};

static VOID CALLBACK timer_cb(PVOID context, BOOLEAN fired)
{
    struct timer_data *data = context;
    if (fired) InterlockedIncrement(&data->calls);
    if (data->sleep) Sleep(data->sleep);
}

struct self_change_data {
    volatile LONG calls;
    HANDLE queue;
    HANDLE timer;
    volatile LONG change_result;
};

static VOID CALLBACK self_change_cb(PVOID context, BOOLEAN fired)
{
    struct self_change_data *data = context;
    (void)fired;
    InterlockedIncrement(&data->calls);
    /* Periodic from now on, were the fired one-shot timer still updatable. */
    tl_store(&data->change_result, ChangeTimerQueueTimer(data->queue, data->timer, 20, 20) ? 1 : 0);
}

static void timer_queues(void)
{
    BOOL result;
    TEST("timer queue: a one-shot fires once, a fast periodic more than a slow one, a late one never");
    HANDLE queue = CreateTimerQueue();
    CHECK(queue != NULL);
    struct timer_data once = {0, 0}, slow = {0, 0}, fast = {0, 0}, late = {0, 0};
    HANDLE t1, t2, t3, t4;
    CHECK(CreateTimerQueueTimer(&t1, queue, timer_cb, &once, 0, 0, 0));
    CHECK(CreateTimerQueueTimer(&t2, queue, timer_cb, &slow, 0, 200, 0));
    CHECK(CreateTimerQueueTimer(&t3, queue, timer_cb, &fast, 0, 20, 0));
    CHECK(CreateTimerQueueTimer(&t4, queue, timer_cb, &late, 10000, 10, 0));
    Sleep(500);
    CHECK(DeleteTimerQueueTimer(queue, t1, INVALID_HANDLE_VALUE));
    CHECK(DeleteTimerQueueTimer(queue, t2, INVALID_HANDLE_VALUE));
    CHECK(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
    CHECK_EQ(tl_load(&once.calls), 1);
    CHECK(tl_load(&slow.calls) < tl_load(&fast.calls));
    CHECK_EQ(tl_load(&late.calls), 0);

    TEST("deleting a timer whose callback runs: ERROR_IO_PENDING, the event set when it ends");
    queue = CreateTimerQueue();
    struct timer_data quick = {0, 0}, busy = {0, 3000};
    CHECK(CreateTimerQueueTimer(&t1, queue, timer_cb, &quick, 0, 0, 0));
    CHECK(CreateTimerQueueTimer(&t2, queue, timer_cb, &busy, 0, 0, 0));
    CHECK(CreateTimerQueueTimer(&t3, queue, timer_cb, &busy, 0, 0, 0));
    Sleep(800); /* all three started (the busy ones run 3 s) */
    HANDLE event1 = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE event2 = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(DeleteTimerQueueTimer(queue, t1, event1));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(event1, 250), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK(!DeleteTimerQueueTimer(queue, t2, NULL));
    CHECK_ERROR(ERROR_IO_PENDING);
    SetLastError(0xdeadbeef);
    CHECK(!DeleteTimerQueueTimer(queue, t3, event2));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event2, 8000), WAIT_OBJECT_0);
    HANDLE queue_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    result = DeleteTimerQueueEx(queue, queue_done);
    CHECK(result || GetLastError() == ERROR_IO_PENDING); /* TRUE since Vista */
    CHECK_EQ(WaitForSingleObject(queue_done, 8000), WAIT_OBJECT_0);
    CloseHandle(event1);
    CloseHandle(event2);
    CloseHandle(queue_done);

    TEST("a timer due at once, deleted at once: ERROR_IO_PENDING, and its callback still runs");
    queue = CreateTimerQueue();
    struct timer_data at_once = {0, 200}; /* still queued or running when deleted */
    CHECK(CreateTimerQueueTimer(&t1, queue, timer_cb, &at_once, 0, 300, 0));
    SetLastError(0xdeadbeef);
    CHECK(!DeleteTimerQueueTimer(queue, t1, NULL));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
    for (int i = 0; i < 100 && tl_load(&at_once.calls) == 0; ++i) Sleep(10);
    WINE_DEVIATION("Wine 8 drops the callback (todo_wine in its own sync.c test)")
    {
        CHECK_EQ(tl_load(&at_once.calls), 1);
    }
    Sleep(400); /* past the period: the deleted timer does not fire again */
    CHECK(tl_load(&at_once.calls) <= 1);

    TEST("ChangeTimerQueueTimer makes a far timer due now; the default queue works");
    struct timer_data changed = {0, 0};
    CHECK(CreateTimerQueueTimer(&t1, NULL, timer_cb, &changed, 10000, 0, 0));
    CHECK(ChangeTimerQueueTimer(NULL, t1, 0, 0));
    for (int i = 0; i < 500 && tl_load(&changed.calls) == 0; ++i) Sleep(10);
    CHECK_EQ(tl_load(&changed.calls), 1);
    CHECK(DeleteTimerQueueTimer(NULL, t1, INVALID_HANDLE_VALUE));

    TEST("ChangeTimerQueueTimer on a one-shot timer that has fired: TRUE, and no second run");
    struct timer_data fired_once = {0, 0};
    CHECK(CreateTimerQueueTimer(&t1, NULL, timer_cb, &fired_once, 0, 0, 0));
    for (int i = 0; i < 500 && tl_load(&fired_once.calls) == 0; ++i) Sleep(10);
    Sleep(50); /* its callback has returned */
    SetLastError(0xdeadbeef);
    CHECK(ChangeTimerQueueTimer(NULL, t1, 0, 0));
    CHECK_ERROR(0xdeadbeef);
    CHECK(ChangeTimerQueueTimer(NULL, t1, 10, 10));
    Sleep(200);
    CHECK_EQ(tl_load(&fired_once.calls), 1);
    CHECK(DeleteTimerQueueTimer(NULL, t1, INVALID_HANDLE_VALUE));

    TEST("a one-shot timer changed from its own callback does not run again");
    queue = CreateTimerQueue();
    struct self_change_data self_change = {0, queue, NULL, -1};
    CHECK(CreateTimerQueueTimer(&self_change.timer, queue, self_change_cb, &self_change, 10, 0, 0));
    Sleep(300);
    CHECK_EQ(tl_load(&self_change.calls), 1);
    CHECK_EQ(tl_load(&self_change.change_result), 1);
    CHECK(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));

    TEST("WT_EXECUTEINTIMERTHREAD callbacks run too");
    struct timer_data in_thread = {0, 0};
    CHECK(CreateTimerQueueTimer(&t1, NULL, timer_cb, &in_thread, 10, 10, WT_EXECUTEINTIMERTHREAD));
    for (int i = 0; i < 500 && tl_load(&in_thread.calls) < 3; ++i) Sleep(10);
    CHECK(tl_load(&in_thread.calls) >= 3);
    CHECK(DeleteTimerQueueTimer(NULL, t1, INVALID_HANDLE_VALUE));

    TEST("the default queue cannot be deleted");
    SetLastError(0xdeadbeef);
    CHECK(!DeleteTimerQueueEx(NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    queue = CreateTimerQueue();
    SetLastError(0xdeadbeef);
    result = DeleteTimerQueue(queue);
    CHECK(result || GetLastError() == ERROR_IO_PENDING); /* TRUE since Vista */
}

static volatile LONG io_calls;
static volatile LONG io_error = -1, io_bytes = -1;
static LPOVERLAPPED volatile io_overlapped;

static VOID CALLBACK io_fn(DWORD error, DWORD bytes, LPOVERLAPPED overlapped)
{
    tl_store(&io_error, (LONG)error);
    tl_store(&io_bytes, (LONG)bytes);
    InterlockedExchangePointer((PVOID volatile *)&io_overlapped, overlapped);
    InterlockedIncrement(&io_calls);
}

static void bind_io(void)
{
    TEST("BindIoCompletionCallback: an overlapped write's completion calls the function");
    char path[MAX_PATH], directory[MAX_PATH];
    GetTempPathA(sizeof(directory), directory);
    GetTempFileNameA(directory, "tpb", 0, path);
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(BindIoCompletionCallback(file, io_fn, 0));
    SetLastError(0xdeadbeef);
    CHECK(!BindIoCompletionCallback(file, io_fn, 0)); /* bound already */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    static char data[4096];
    memset(data, 'x', sizeof(data));
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    BOOL ok = WriteFile(file, data, sizeof(data), NULL, &overlapped);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    for (int i = 0; i < 500 && tl_load(&io_calls) == 0; ++i) Sleep(10);
    CHECK_EQ(tl_load(&io_calls), 1);
    CHECK_EQ(tl_load(&io_error), 0);
    CHECK_EQ(tl_load(&io_bytes), (LONG)sizeof(data));
    CHECK(InterlockedCompareExchangePointer((PVOID volatile *)&io_overlapped, NULL, NULL) == &overlapped);

    TEST("an error completion reports the Win32 error");
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.Offset = 1 << 20; /* past the end */
    ok = ReadFile(file, data, sizeof(data), NULL, &overlapped);
    DWORD error = ok ? 0 : GetLastError();
    CHECK(error == ERROR_IO_PENDING || error == ERROR_HANDLE_EOF);
    if (error == ERROR_IO_PENDING) {
        for (int i = 0; i < 500 && tl_load(&io_calls) < 2; ++i) Sleep(10);
        CHECK_EQ(tl_load(&io_calls), 2);
        CHECK_EQ(tl_load(&io_error), ERROR_HANDLE_EOF);
    }

    TEST("a second handle bound to the same function: each handle's completion calls it");
    HANDLE second = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    /* The first handle was opened without sharing: open a fresh file instead when refused. */
    char second_path[MAX_PATH];
    if (second == INVALID_HANDLE_VALUE) {
        GetTempFileNameA(directory, "tpb", 0, second_path);
        second = CreateFileA(second_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                             FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    }
    CHECK(second != INVALID_HANDLE_VALUE);
    CHECK(BindIoCompletionCallback(second, io_fn, 0));
    LONG before = tl_load(&io_calls);
    OVERLAPPED on_second, on_first;
    memset(&on_second, 0, sizeof(on_second));
    memset(&on_first, 0, sizeof(on_first));
    on_first.Offset = 4096;
    ok = WriteFile(second, data, 100, NULL, &on_second);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    ok = WriteFile(file, data, 200, NULL, &on_first);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    for (int i = 0; i < 500 && tl_load(&io_calls) < before + 2; ++i) Sleep(10);
    CHECK_EQ(tl_load(&io_calls), before + 2);
    CloseHandle(second);
    CloseHandle(file);
}

int main(void)
{
    queue_user_work_item();
    registered_waits();
    timer_queues();
    bind_io();
    return tl_finish();
}
