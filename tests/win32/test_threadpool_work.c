/* test_threadpool_work.c: work objects (CreateThreadpoolWork, SubmitThreadpoolWork,
 * WaitForThreadpoolWorkCallbacks, CloseThreadpoolWork), TrySubmitThreadpoolCallback, and
 * private pools' thread limits. */
#include "testlib.h"

static volatile LONG counter;
static PVOID volatile seen_work;
static PVOID volatile seen_context;
static volatile LONG seen_instance;

static VOID CALLBACK count_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    InterlockedExchangePointer(&seen_work, work);
    InterlockedExchangePointer(&seen_context, context);
    if (instance != NULL) tl_store(&seen_instance, 1);
    InterlockedIncrement(&counter);
}

static void submit_and_wait(void)
{
    TEST("every submission runs the callback once, with its context and work object");
    tl_store(&counter, 0);
    PTP_WORK work = CreateThreadpoolWork(count_cb, (PVOID)0x1234, NULL);
    CHECK(work != NULL);
    for (int i = 0; i < 1000; ++i) SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&counter), 1000);
    CHECK(tl_load_pointer(&seen_work) == (PVOID)work);
    CHECK(tl_load_pointer(&seen_context) == (PVOID)0x1234);
    CHECK_EQ(tl_load(&seen_instance), 1);

    TEST("waiting with nothing submitted returns at once");
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    WaitForThreadpoolWorkCallbacks(work, TRUE);
    CHECK_EQ(tl_load(&counter), 1000);
    CloseThreadpoolWork(work);
}

/* A callback that tells it started, then waits (bounded) for the go event. */
static HANDLE started, go;
static volatile LONG concurrent, max_concurrent, blocked_runs;

static VOID CALLBACK blocking_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)context;
    (void)work;
    LONG now = InterlockedIncrement(&concurrent);
    LONG seen;
    while ((seen = tl_load(&max_concurrent)) < now) InterlockedCompareExchange(&max_concurrent, now, seen);
    SetEvent(started);
    WaitForSingleObject(go, 5000);
    InterlockedDecrement(&concurrent);
    InterlockedIncrement(&blocked_runs);
}

static DWORD WINAPI set_go_later(LPVOID parameter)
{
    Sleep((DWORD)(ULONG_PTR)parameter);
    SetEvent(go);
    return 0;
}

static void cancel_pending(void)
{
    TEST("WaitForThreadpoolWorkCallbacks(TRUE) cancels what has not started, waits for what runs");
    PTP_POOL pool = CreateThreadpool(NULL);
    CHECK(pool != NULL);
    SetThreadpoolThreadMaximum(pool, 1);
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    started = CreateEventA(NULL, FALSE, FALSE, NULL);
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    tl_store(&blocked_runs, 0);
    PTP_WORK work = CreateThreadpoolWork(blocking_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(started, 5000), WAIT_OBJECT_0);
    for (int i = 0; i < 5; ++i) SubmitThreadpoolWork(work);
    /* (1 s: time enough, even on a loaded machine, to reach the call below first) */
    HANDLE helper = CreateThread(NULL, 0, set_go_later, (LPVOID)(ULONG_PTR)1000, 0, NULL);
    WaitForThreadpoolWorkCallbacks(work, TRUE);
    CHECK_EQ(tl_load(&blocked_runs), 1); /* the running one finished; the 5 never ran */
    Sleep(100);
    CHECK_EQ(tl_load(&blocked_runs), 1);
    WaitForSingleObject(helper, 5000);
    CloseHandle(helper);

    TEST("a pool of one thread runs one callback at a time");
    tl_store(&max_concurrent, 0);
    tl_store(&blocked_runs, 0);
    for (int i = 0; i < 4; ++i) SubmitThreadpoolWork(work); /* go is set: they do not block */
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&blocked_runs), 4);
    CHECK_EQ(tl_load(&max_concurrent), 1);

    TEST("closing a work object with callbacks pending lets them run");
    ResetEvent(go);
    tl_store(&blocked_runs, 0);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(started, 5000), WAIT_OBJECT_0);
    SubmitThreadpoolWork(work);
    SubmitThreadpoolWork(work);
    CloseThreadpoolWork(work);
    SetEvent(go);
    for (int i = 0; i < 500 && tl_load(&blocked_runs) < 3; ++i) Sleep(10);
    CHECK_EQ(tl_load(&blocked_runs), 3);

    TEST("a pool with a larger maximum runs blocked callbacks side by side");
    SetThreadpoolThreadMaximum(pool, 4);
    CHECK(SetThreadpoolThreadMinimum(pool, 2));
    ResetEvent(go);
    tl_store(&max_concurrent, 0);
    tl_store(&blocked_runs, 0);
    work = CreateThreadpoolWork(blocking_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    SubmitThreadpoolWork(work);
    SubmitThreadpoolWork(work);
    for (int i = 0; i < 500 && tl_load(&concurrent) < 3; ++i) Sleep(10);
    CHECK_EQ(tl_load(&concurrent), 3);
    SetEvent(go);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&blocked_runs), 3);
    CloseThreadpoolWork(work);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpool(pool);
    CloseHandle(started);
    CloseHandle(go);
}

static volatile LONG simple_runs;
static PVOID volatile simple_context;

static VOID CALLBACK simple_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    InterlockedExchangePointer(&simple_context, context);
    InterlockedIncrement(&simple_runs);
}

static void simple_callbacks(void)
{
    TEST("TrySubmitThreadpoolCallback runs the callback once with its context");
    tl_store(&simple_runs, 0);
    for (int i = 0; i < 100; ++i) CHECK(TrySubmitThreadpoolCallback(simple_cb, (PVOID)0x77, NULL));
    for (int i = 0; i < 500 && tl_load(&simple_runs) < 100; ++i) Sleep(10);
    CHECK_EQ(tl_load(&simple_runs), 100);
    CHECK(tl_load_pointer(&simple_context) == (PVOID)0x77);

    TEST("CreateThreadpool then CloseThreadpool with nothing in it");
    PTP_POOL pool = CreateThreadpool(NULL);
    CHECK(pool != NULL);
    CloseThreadpool(pool);

    TEST("a simple callback on a private pool, the pool closed while it is queued");
    pool = CreateThreadpool(NULL);
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    tl_store(&simple_runs, 0);
    CHECK(TrySubmitThreadpoolCallback(simple_cb, NULL, &environment));
    CloseThreadpool(pool);
    for (int i = 0; i < 500 && tl_load(&simple_runs) < 1; ++i) Sleep(10);
    CHECK_EQ(tl_load(&simple_runs), 1);
}

int main(void)
{
    submit_and_wait();
    cancel_pending();
    simple_callbacks();
    return tl_finish();
}
