/* test_threadpool_env.c: callback environments (TP_CALLBACK_ENVIRON_V3's layout, the
 * inline helpers, the versions and priorities the allocators accept), cleanup groups (CloseThreadpoolCleanupGroupMembers with and without
 * cancelling, the cancel callback) and the callback-instance calls. */
#include <stddef.h>
#include "testlib.h"

static void environment_layout(void)
{
    TEST("TP_CALLBACK_ENVIRON has Windows' layout");
    CHECK_EQ(sizeof(void *) == 8 ? sizeof(TP_CALLBACK_ENVIRON) : 72, 72);
    if (sizeof(void *) == 8) {
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, Pool), 8);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, CleanupGroup), 16);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, CleanupGroupCancelCallback), 24);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, RaceDll), 32);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, FinalizationCallback), 48);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, u), 56);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, CallbackPriority), 60);
        CHECK_EQ(offsetof(TP_CALLBACK_ENVIRON, Size), 64);
    }

    TEST("InitializeThreadpoolEnvironment and the setters fill the fields");
    TP_CALLBACK_ENVIRON environment;
    memset(&environment, 0xcc, sizeof(environment));
    InitializeThreadpoolEnvironment(&environment);
    CHECK_EQ(environment.Version, 3);
    CHECK(environment.Pool == NULL);
    CHECK(environment.CleanupGroup == NULL);
    CHECK(environment.CleanupGroupCancelCallback == NULL);
    CHECK(environment.RaceDll == NULL);
    CHECK(environment.FinalizationCallback == NULL);
    CHECK_EQ(environment.u.Flags, 0);
    CHECK_EQ(environment.CallbackPriority, TP_CALLBACK_PRIORITY_NORMAL);
    CHECK_EQ(environment.Size, sizeof(TP_CALLBACK_ENVIRON));
    PTP_POOL pool = CreateThreadpool(NULL);
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    CHECK(group != NULL);
    SetThreadpoolCallbackPool(&environment, pool);
    CHECK(environment.Pool == pool);
    SetThreadpoolCallbackCleanupGroup(&environment, group, NULL);
    CHECK(environment.CleanupGroup == group);
    SetThreadpoolCallbackRunsLong(&environment);
    CHECK_EQ(environment.u.s.LongFunction, 1);
    SetThreadpoolCallbackPriority(&environment, TP_CALLBACK_PRIORITY_HIGH);
    CHECK_EQ(environment.CallbackPriority, TP_CALLBACK_PRIORITY_HIGH);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpoolCleanupGroup(group);
    CloseThreadpool(pool);
}

static HANDLE started, go;
static volatile LONG runs;
static volatile LONG cancel_calls;
static PVOID volatile cancel_object_context;
static PVOID volatile cancel_cleanup_context;

static VOID CALLBACK blocking_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)context;
    (void)work;
    SetEvent(started);
    WaitForSingleObject(go, 5000);
    InterlockedIncrement(&runs);
}

static volatile LONG runs_at_cancel = -1;

static VOID CALLBACK group_cancel_cb(PVOID object_context, PVOID cleanup_context)
{
    tl_store(&runs_at_cancel, tl_load(&runs));
    InterlockedIncrement(&cancel_calls);
    InterlockedExchangePointer(&cancel_object_context, object_context);
    InterlockedExchangePointer(&cancel_cleanup_context, cleanup_context);
}

/* Sets the event in 1 s: time enough, even on a loaded machine, for the caller to start
 * closing the members first. */
static DWORD WINAPI set_later(LPVOID parameter)
{
    Sleep(1000);
    SetEvent((HANDLE)parameter);
    return 0;
}

static volatile LONG timer_runs;
static VOID CALLBACK timer_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    (void)instance;
    (void)context;
    (void)timer;
    InterlockedIncrement(&timer_runs);
}

static void cleanup_groups(void)
{
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 1);
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    SetThreadpoolCallbackCleanupGroup(&environment, group, group_cancel_cb);
    started = CreateEventA(NULL, FALSE, FALSE, NULL);
    go = CreateEventA(NULL, TRUE, FALSE, NULL);

    TEST("closing members with cancel: pending callbacks dropped, the cancel callback told");
    PTP_WORK work = CreateThreadpoolWork(blocking_cb, (PVOID)0x55, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(started, 5000), WAIT_OBJECT_0);
    SubmitThreadpoolWork(work);
    SubmitThreadpoolWork(work);
    HANDLE helper = CreateThread(NULL, 0, set_later, go, 0, NULL);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, (PVOID)0x66);
    CHECK_EQ(tl_load(&runs), 1);
    CHECK_EQ(tl_load(&cancel_calls), 1);
    /* told once the running callback has returned (Wine's ntdll test_tp_group_cancel) */
    CHECK_EQ(tl_load(&runs_at_cancel), 1);
    CHECK(tl_load_pointer(&cancel_object_context) == (PVOID)0x55);
    CHECK(tl_load_pointer(&cancel_cleanup_context) == (PVOID)0x66);
    Sleep(100);
    CHECK_EQ(tl_load(&runs), 1);
    WaitForSingleObject(helper, 5000);
    CloseHandle(helper);

    TEST("closing members without cancel: every pending callback runs first");
    ResetEvent(go);
    tl_store(&runs, 0);
    tl_store(&cancel_calls, 0);
    work = CreateThreadpoolWork(blocking_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(started, 5000), WAIT_OBJECT_0);
    SubmitThreadpoolWork(work);
    SubmitThreadpoolWork(work);
    helper = CreateThread(NULL, 0, set_later, go, 0, NULL);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    CHECK_EQ(tl_load(&runs), 3);
    CHECK_EQ(tl_load(&cancel_calls), 0);
    WaitForSingleObject(helper, 5000);
    CloseHandle(helper);

    TEST("a timer in the group stops when the members are closed");
    PTP_TIMER timer = CreateThreadpoolTimer(timer_cb, NULL, &environment);
    FILETIME due;
    ULARGE_INTEGER value;
    value.QuadPart = (ULONGLONG)(-10 * 10000);
    due.dwLowDateTime = value.LowPart;
    due.dwHighDateTime = value.HighPart;
    SetThreadpoolTimer(timer, &due, 10, 0);
    for (int i = 0; i < 500 && tl_load(&timer_runs) < 2; ++i) Sleep(10);
    CHECK(tl_load(&timer_runs) >= 2);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    LONG count = tl_load(&timer_runs);
    Sleep(150);
    CHECK_EQ(tl_load(&timer_runs), count);

    TEST("closing members with cancel: the cancel callback for each object, pending or not");
    /* "called if the cleanup group is canceled before the associated object is released"
     * (Microsoft Learn, SetThreadpoolCallbackCleanupGroup): a work never submitted and a
     * timer never set are told too, once each. */
    tl_store(&cancel_calls, 0);
    tl_store(&runs, 0);
    work = CreateThreadpoolWork(blocking_cb, (PVOID)0x77, &environment);
    CHECK(work != NULL);
    timer = CreateThreadpoolTimer(timer_cb, (PVOID)0x77, &environment);
    CHECK(timer != NULL);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, (PVOID)0x88);
    CHECK_EQ(tl_load(&cancel_calls), 2);
    CHECK(tl_load_pointer(&cancel_object_context) == (PVOID)0x77);
    CHECK(tl_load_pointer(&cancel_cleanup_context) == (PVOID)0x88);
    CHECK_EQ(tl_load(&runs), 0);
    tl_store(&cancel_calls, 0);

    TEST("a member closed by itself leaves the group");
    work = CreateThreadpoolWork(blocking_cb, NULL, &environment);
    CloseThreadpoolWork(work);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, NULL);
    CHECK_EQ(tl_load(&cancel_calls), 0);

    CloseThreadpoolCleanupGroup(group);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpool(pool);
}

static HANDLE action_event, action_semaphore, action_mutex;
static CRITICAL_SECTION action_section;
static volatile LONG may_run_long_result;

static VOID CALLBACK actions_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)work;
    switch ((int)(ULONG_PTR)context) {
    case 0:
        SetEventWhenCallbackReturns(instance, action_event);
        break;
    case 1:
        ReleaseSemaphoreWhenCallbackReturns(instance, action_semaphore, 2);
        break;
    case 2:
        WaitForSingleObject(action_mutex, 5000);
        ReleaseMutexWhenCallbackReturns(instance, action_mutex);
        break;
    case 3:
        EnterCriticalSection(&action_section);
        LeaveCriticalSectionWhenCallbackReturns(instance, &action_section);
        break;
    case 4:
        tl_store(&may_run_long_result, CallbackMayRunLong(instance) ? 1 : 0);
        break;
    }
}

static volatile LONG disassociated_done;
static VOID CALLBACK disassociate_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)context;
    (void)work;
    DisassociateCurrentThreadFromCallback(instance);
    WaitForSingleObject(go, 5000);
    tl_store(&disassociated_done, 1);
}

/* CallbackMayRunLong's answer in one callback on a new pool of these limits. */
static LONG may_run_long_in_pool(DWORD maximum, DWORD minimum)
{
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, maximum);
    if (minimum) CHECK(SetThreadpoolThreadMinimum(pool, minimum));
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    tl_store(&may_run_long_result, -1);
    PTP_WORK work = CreateThreadpoolWork(actions_cb, (PVOID)4, &environment);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CloseThreadpoolWork(work);
    CloseThreadpool(pool);
    return tl_load(&may_run_long_result);
}

static void instance_calls(void)
{
    action_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    action_semaphore = CreateSemaphoreA(NULL, 0, 10, NULL);
    action_mutex = CreateMutexA(NULL, FALSE, NULL);
    InitializeCriticalSection(&action_section);

    TEST("SetEventWhenCallbackReturns");
    PTP_WORK work = CreateThreadpoolWork(actions_cb, (PVOID)0, NULL);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(action_event, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CloseThreadpoolWork(work);

    TEST("ReleaseSemaphoreWhenCallbackReturns releases the count given");
    work = CreateThreadpoolWork(actions_cb, (PVOID)1, NULL);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(WaitForSingleObject(action_semaphore, 5000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(action_semaphore, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(action_semaphore, 0), WAIT_TIMEOUT);
    CloseThreadpoolWork(work);

    TEST("ReleaseMutexWhenCallbackReturns: the mutex is free afterwards, not abandoned");
    work = CreateThreadpoolWork(actions_cb, (PVOID)2, NULL);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(WaitForSingleObject(action_mutex, 0), WAIT_OBJECT_0);
    ReleaseMutex(action_mutex);
    CloseThreadpoolWork(work);

    TEST("LeaveCriticalSectionWhenCallbackReturns");
    work = CreateThreadpoolWork(actions_cb, (PVOID)3, NULL);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK(TryEnterCriticalSection(&action_section));
    LeaveCriticalSection(&action_section);
    CloseThreadpoolWork(work);

    TEST("CallbackMayRunLong: TRUE on the default pool, FALSE on a full pool of one");
    work = CreateThreadpoolWork(actions_cb, (PVOID)4, NULL);
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&may_run_long_result), 1);
    CloseThreadpoolWork(work);
    CHECK_EQ(may_run_long_in_pool(1, 0), 0);

    TEST("CallbackMayRunLong: TRUE while the pool's maximum leaves room for another thread");
    /* Whatever threads the pool made meanwhile (its minimum, one for the submission), a
     * pool of two with one callback running has another thread or room for one. */
    for (int round = 0; round < 10; ++round) CHECK_EQ(may_run_long_in_pool(2, 1), 1);

    TEST("DisassociateCurrentThreadFromCallback: waiting for callbacks no longer waits for it");
    ResetEvent(go);
    work = CreateThreadpoolWork(disassociate_cb, NULL, NULL);
    SubmitThreadpoolWork(work);
    Sleep(100);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&disassociated_done), 0);
    SetEvent(go);
    for (int i = 0; i < 500 && !tl_load(&disassociated_done); ++i) Sleep(10);
    CHECK_EQ(tl_load(&disassociated_done), 1);
    CloseThreadpoolWork(work);

    TEST("FreeLibraryWhenCallbackReturns is not implemented here (no DLLs)");
    if (!tl_under_wine()) {
        SetLastError(0);
        FreeLibraryWhenCallbackReturns(NULL, NULL);
        CHECK_ERROR(ERROR_CALL_NOT_IMPLEMENTED);
    }

    DeleteCriticalSection(&action_section);
    CloseHandle(action_event);
    CloseHandle(action_semaphore);
    CloseHandle(action_mutex);
}

/* Facts of Wine's ntdll test_tp_group_cancel, test_tp_instance and test_tp_disassociate,
 * which pass on Windows. */
static HANDLE facts_started, facts_release;
static volatile LONG facts_done;
static volatile LONG facts_blocker_wait = -1;
static volatile LONG facts_cancel_calls;
static volatile LONG facts_cancel_tid;
static PVOID volatile facts_cancel_object;
static PVOID volatile facts_cancel_cleanup;
static volatile LONG facts_unexpected;
static volatile LONG facts_finalization_saw = -1;

static VOID CALLBACK facts_disassociate_work_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)context;
    (void)work;
    DisassociateCurrentThreadFromCallback(instance);
    SetEvent(facts_started);
    Sleep(300);
    tl_store(&facts_done, 1);
}

static VOID CALLBACK facts_disassociate_simple_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)context;
    DisassociateCurrentThreadFromCallback(instance);
    SetEvent(facts_started);
    Sleep(300);
    tl_store(&facts_done, 1);
}

/* Holds the only thread of its pool until the group's cancel callback lets it go. */
static VOID CALLBACK facts_blocker_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    SetEvent(facts_started);
    tl_store(&facts_blocker_wait, (LONG)WaitForSingleObject(facts_release, 2000));
}

static VOID CALLBACK facts_unexpected_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    InterlockedIncrement(&facts_unexpected);
}

static VOID CALLBACK facts_cancel_cb(PVOID object_context, PVOID cleanup_context)
{
    InterlockedIncrement(&facts_cancel_calls);
    tl_store(&facts_cancel_tid, (LONG)GetCurrentThreadId());
    InterlockedExchangePointer(&facts_cancel_object, object_context);
    InterlockedExchangePointer(&facts_cancel_cleanup, cleanup_context);
    SetEvent(facts_release);
}

static VOID CALLBACK facts_semaphore_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    ReleaseSemaphoreWhenCallbackReturns(instance, (HANDLE)context, 1);
}

static VOID CALLBACK facts_finalization_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    /* The instance's actions come after the finalization callback. */
    tl_store(&facts_finalization_saw, (LONG)WaitForSingleObject((HANDLE)context, 0));
    SetEvent(facts_started);
}

static void group_facts(void)
{
    facts_started = CreateEventA(NULL, FALSE, FALSE, NULL);
    facts_release = CreateEventA(NULL, FALSE, FALSE, NULL);
    PTP_POOL pool = CreateThreadpool(NULL);
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    SetThreadpoolCallbackCleanupGroup(&environment, group, facts_cancel_cb);

    TEST("closing a group's members waits for a disassociated work callback");
    /* Waiting for the work's callbacks does not wait for it (tested above), but closing
     * the group does. */
    tl_store(&facts_done, 0);
    PTP_WORK work = CreateThreadpoolWork(facts_disassociate_work_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(facts_started, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(tl_load(&facts_done), 0);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    CHECK_EQ(tl_load(&facts_done), 1);

    TEST("closing a group's members waits for a disassociated simple callback");
    tl_store(&facts_done, 0);
    CHECK(TrySubmitThreadpoolCallback(facts_disassociate_simple_cb, NULL, &environment));
    CHECK_EQ(WaitForSingleObject(facts_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);
    CHECK_EQ(tl_load(&facts_done), 1);

    TEST("a pending simple callback cancelled: never runs; told once, on the closing thread");
    /* A new pool of one thread (the first may have made more threads than one). */
    CloseThreadpool(pool);
    pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 1);
    SetThreadpoolCallbackPool(&environment, pool);
    TP_CALLBACK_ENVIRON outside;
    InitializeThreadpoolEnvironment(&outside);
    SetThreadpoolCallbackPool(&outside, pool);
    CHECK(TrySubmitThreadpoolCallback(facts_blocker_cb, NULL, &outside));
    CHECK_EQ(WaitForSingleObject(facts_started, 5000), WAIT_OBJECT_0);
    CHECK(TrySubmitThreadpoolCallback(facts_unexpected_cb, (PVOID)0x1234, &environment));
    tl_store(&facts_cancel_calls, 0);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, (PVOID)0x5678);
    CHECK_EQ(tl_load(&facts_cancel_calls), 1);
    CHECK_EQ(tl_load(&facts_cancel_tid), (LONG)GetCurrentThreadId());
    CHECK(tl_load_pointer(&facts_cancel_object) == (PVOID)0x1234);
    CHECK(tl_load_pointer(&facts_cancel_cleanup) == (PVOID)0x5678);
    /* The cancel callback did not wait for the blocker (not a member) to return. */
    for (int i = 0; i < 300 && tl_load(&facts_blocker_wait) == -1; ++i) Sleep(10);
    CHECK_EQ(tl_load(&facts_blocker_wait), WAIT_OBJECT_0);
    Sleep(100);
    CHECK_EQ(tl_load(&facts_unexpected), 0);
    DestroyThreadpoolEnvironment(&outside);

    TEST("the finalization callback runs before the instance's actions");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    TP_CALLBACK_ENVIRON finalized;
    InitializeThreadpoolEnvironment(&finalized);
    SetThreadpoolCallbackPool(&finalized, pool);
    finalized.FinalizationCallback = facts_finalization_cb;
    CHECK(TrySubmitThreadpoolCallback(facts_semaphore_cb, semaphore, &finalized));
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(facts_started, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&facts_finalization_saw), WAIT_TIMEOUT);
    DestroyThreadpoolEnvironment(&finalized);
    CloseHandle(semaphore);

    CloseThreadpoolCleanupGroup(group);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpool(pool);
    CloseHandle(facts_started);
    CloseHandle(facts_release);
}

static VOID CALLBACK priority_simple_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    ReleaseSemaphore((HANDLE)context, 1, NULL);
}
static VOID CALLBACK priority_work_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)work;
    ReleaseSemaphore((HANDLE)context, 1, NULL);
}
static VOID CALLBACK priority_timer_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    (void)instance;
    (void)context;
    (void)timer;
}
static VOID CALLBACK priority_wait_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WAIT wait,
                                      TP_WAIT_RESULT result)
{
    (void)instance;
    (void)context;
    (void)wait;
    (void)result;
}

/* Wine's ntdll test_tp_simple (TpSimpleTryPost) and msvcp140_atomic_wait test
 * (CreateThreadpoolWork through __std_create_threadpool_work), passing on Windows 7 and
 * later. */
static void environment_checks(void)
{
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 10, NULL);
    TP_CALLBACK_ENVIRON environment;

    TEST("each valid priority of a version 3 environment: the callback runs");
    for (int priority = TP_CALLBACK_PRIORITY_HIGH; priority <= TP_CALLBACK_PRIORITY_LOW; ++priority) {
        InitializeThreadpoolEnvironment(&environment);
        SetThreadpoolCallbackPriority(&environment, (TP_CALLBACK_PRIORITY)priority);
        CHECK(TrySubmitThreadpoolCallback(priority_simple_cb, semaphore, &environment));
        CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
        SetLastError(0xdeadbeef);
        PTP_WORK work = CreateThreadpoolWork(priority_work_cb, semaphore, &environment);
        CHECK(work != NULL);
        CHECK_EQ(GetLastError(), 0xdeadbeef);
        SubmitThreadpoolWork(work);
        CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);
        WaitForThreadpoolWorkCallbacks(work, FALSE);
        CloseThreadpoolWork(work);
    }

    TEST("an invalid priority in a version 3 environment: ERROR_INVALID_PARAMETER");
    InitializeThreadpoolEnvironment(&environment);
    environment.CallbackPriority = TP_CALLBACK_PRIORITY_INVALID;
    SetLastError(0xdeadbeef);
    CHECK(CreateThreadpoolWork(priority_work_cb, semaphore, &environment) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(CreateThreadpoolTimer(priority_timer_cb, NULL, &environment) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(CreateThreadpoolWait(priority_wait_cb, NULL, &environment) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    environment.CallbackPriority = (TP_CALLBACK_PRIORITY)10;
    SetLastError(0xdeadbeef);
    CHECK(!TrySubmitThreadpoolCallback(priority_simple_cb, semaphore, &environment));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForSingleObject(semaphore, 100), WAIT_TIMEOUT);

    TEST("an environment of an unknown version: ERROR_INVALID_PARAMETER");
    WINE_DEVIATION("Wine 8 accepts any version (todo_wine in its ntdll test_tp_simple)")
    {
        InitializeThreadpoolEnvironment(&environment);
        environment.Version = 9999;
        SetLastError(0xdeadbeef);
        CHECK(!TrySubmitThreadpoolCallback(priority_simple_cb, semaphore, &environment));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(WaitForSingleObject(semaphore, 100), WAIT_TIMEOUT);
        SetLastError(0xdeadbeef);
        CHECK(CreateThreadpoolWork(priority_work_cb, semaphore, &environment) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("a version 1 environment (no priority field) is accepted");
    memset(&environment, 0, sizeof(environment));
    environment.Version = 1;
    environment.CallbackPriority = TP_CALLBACK_PRIORITY_INVALID; /* past a V1 structure */
    CHECK(TrySubmitThreadpoolCallback(priority_simple_cb, semaphore, &environment));
    CHECK_EQ(WaitForSingleObject(semaphore, 5000), WAIT_OBJECT_0);

    CloseHandle(semaphore);
}

/* Wine's ntdll test_tp_group_wait and test_tp_group_cancel: an object closed by its own
 * callback while its group's members are being closed. */
static HANDLE self_close_started;
static volatile LONG self_close_cancel_calls;

static VOID CALLBACK self_close_work_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)context;
    SetEvent(self_close_started);
    Sleep(200); /* the main thread is in CloseThreadpoolCleanupGroupMembers by then */
    CloseThreadpoolWork(work);
}
static VOID CALLBACK self_close_timer_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    (void)instance;
    (void)context;
    SetEvent(self_close_started);
    Sleep(200);
    CloseThreadpoolTimer(timer);
}
static VOID CALLBACK self_close_wait_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WAIT wait,
                                        TP_WAIT_RESULT result)
{
    (void)instance;
    (void)context;
    (void)result;
    SetEvent(self_close_started);
    Sleep(200);
    CloseThreadpoolWait(wait);
}
static volatile LONG self_close_other_context;
static VOID CALLBACK self_close_cancel_cb(PVOID object_context, PVOID cleanup_context)
{
    (void)cleanup_context;
    if (object_context != NULL && object_context != (PVOID)0xdeadbeef) InterlockedIncrement(&self_close_other_context);
    InterlockedIncrement(&self_close_cancel_calls);
}
static VOID CALLBACK self_close_simple_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    SetEvent(self_close_started);
    Sleep(200);
}

static void group_self_close(void)
{
    self_close_started = CreateEventA(NULL, FALSE, FALSE, NULL);
    PTP_CLEANUP_GROUP group = CreateThreadpoolCleanupGroup();
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackCleanupGroup(&environment, group, self_close_cancel_cb);

    TEST("a work closed by its callback while the group's members are closed");
    PTP_WORK work = CreateThreadpoolWork(self_close_work_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);

    TEST("a timer closed by its callback while the group's members are closed");
    PTP_TIMER timer = CreateThreadpoolTimer(self_close_timer_cb, NULL, &environment);
    FILETIME due = {0, 0};
    SetThreadpoolTimer(timer, &due, 0, 0);
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);

    TEST("a wait closed by its callback while the group's members are closed");
    PTP_WAIT wait = CreateThreadpoolWait(self_close_wait_cb, NULL, &environment);
    SetThreadpoolWait(wait, INVALID_HANDLE_VALUE, &due);
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, FALSE, NULL);

    TEST("cancelling: an object closed by its callback meanwhile gets no cancel callback");
    tl_store(&self_close_cancel_calls, 0);
    work = CreateThreadpoolWork(self_close_work_cb, NULL, &environment);
    SubmitThreadpoolWork(work);
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, NULL);
    CHECK_EQ(tl_load(&self_close_cancel_calls), 0);

    TEST("a running simple callback, the group cancelled: no cancel callback for it");
    tl_store(&self_close_cancel_calls, 0);
    CHECK(TrySubmitThreadpoolCallback(self_close_simple_cb, NULL, &environment));
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, NULL);
    CHECK_EQ(tl_load(&self_close_cancel_calls), 0);

    TEST("cancelling a pending simple callback and idle work, timer, wait: one cancel callback each");
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 1);
    TP_CALLBACK_ENVIRON outside;
    InitializeThreadpoolEnvironment(&outside);
    SetThreadpoolCallbackPool(&outside, pool);
    SetThreadpoolCallbackPool(&environment, pool);
    CHECK(TrySubmitThreadpoolCallback(self_close_simple_cb, NULL, &outside)); /* holds the thread */
    CHECK_EQ(WaitForSingleObject(self_close_started, 5000), WAIT_OBJECT_0);
    CHECK(TrySubmitThreadpoolCallback(self_close_simple_cb, (PVOID)0xdeadbeef, &environment));
    CHECK(CreateThreadpoolWork(self_close_work_cb, (PVOID)0xdeadbeef, &environment) != NULL);
    CHECK(CreateThreadpoolTimer(self_close_timer_cb, (PVOID)0xdeadbeef, &environment) != NULL);
    CHECK(CreateThreadpoolWait(self_close_wait_cb, (PVOID)0xdeadbeef, &environment) != NULL);
    tl_store(&self_close_cancel_calls, 0);
    tl_store(&self_close_other_context, 0);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, NULL);
    CHECK_EQ(tl_load(&self_close_cancel_calls), 4);
    CHECK_EQ(tl_load(&self_close_other_context), 0);
    CHECK_EQ(WaitForSingleObject(self_close_started, 500), WAIT_TIMEOUT);
    DestroyThreadpoolEnvironment(&outside);
    CloseThreadpool(pool);
    SetThreadpoolCallbackPool(&environment, NULL);

    TEST("the group still works afterwards");
    tl_store(&self_close_cancel_calls, 0);
    work = CreateThreadpoolWork(self_close_work_cb, NULL, &environment);
    CloseThreadpoolCleanupGroupMembers(group, TRUE, NULL);
    CHECK_EQ(tl_load(&self_close_cancel_calls), 1);

    CloseThreadpoolCleanupGroup(group);
    DestroyThreadpoolEnvironment(&environment);
    CloseHandle(self_close_started);
}

int main(void)
{
    environment_layout();
    environment_checks();
    group_self_close();
    cleanup_groups();
    instance_calls();
    group_facts();
    return tl_finish();
}
