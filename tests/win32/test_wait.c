/* test_wait.c: WaitForMultipleObjects (wait-any index rule, wait-all atomicity, limits,
 * bad handles), SignalObjectAndWait, timeouts, waits on threads and semaphores. */
#include "testlib.h"

static void wait_any(void)
{
    TEST("wait-any returns the lowest signalled index and consumes only that one");
    HANDLE events[3];
    for (int i = 0; i < 3; ++i) events[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetEvent(events[2]);
    SetEvent(events[1]);
    CHECK_EQ(WaitForMultipleObjects(3, events, FALSE, 0), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForMultipleObjects(3, events, FALSE, 0), WAIT_OBJECT_0 + 2);
    CHECK_EQ(WaitForMultipleObjects(3, events, FALSE, 0), WAIT_TIMEOUT);
    for (int i = 0; i < 3; ++i) CloseHandle(events[i]);

    TEST("wait-any accepts the same handle twice");
    HANDLE event = CreateEventA(NULL, TRUE, TRUE, NULL);
    HANDLE twice[2] = {event, event};
    CHECK_EQ(WaitForMultipleObjects(2, twice, FALSE, 0), WAIT_OBJECT_0);
    CloseHandle(event);
}

static void wait_all(void)
{
    TEST("wait-all: one of two auto events signalled is not consumed");
    HANDLE events[2];
    for (int i = 0; i < 2; ++i) events[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetEvent(events[0]);
    CHECK_EQ(WaitForMultipleObjects(2, events, TRUE, 50), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(events[0], 0), WAIT_OBJECT_0); /* still signalled */

    TEST("wait-all: both signalled are consumed together");
    SetEvent(events[0]);
    SetEvent(events[1]);
    CHECK_EQ(WaitForMultipleObjects(2, events, TRUE, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(events[0], 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(events[1], 0), WAIT_TIMEOUT);

    TEST("wait-all: a semaphore and an event, the event set later by another wait's timeout");
    HANDLE semaphore = CreateSemaphoreA(NULL, 1, 1, NULL);
    HANDLE mixed[2] = {semaphore, events[1]};
    CHECK_EQ(WaitForMultipleObjects(2, mixed, TRUE, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0); /* untouched by the failed wait */
    ReleaseSemaphore(semaphore, 1, NULL);
    SetEvent(events[1]);
    CHECK_EQ(WaitForMultipleObjects(2, mixed, TRUE, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
    CloseHandle(semaphore);

    TEST("wait-all with the same object twice is invalid");
    HANDLE twice[2] = {events[0], events[0]};
    WINE_DEVIATION("Wine waits on a wait-all array holding one object twice; Windows "
                   "rejects it (STATUS_INVALID_PARAMETER_MIX, ERROR_INVALID_PARAMETER)")
    {
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForMultipleObjects(2, twice, TRUE, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    for (int i = 0; i < 2; ++i) CloseHandle(events[i]);
}

static HANDLE late_event;

static DWORD WINAPI set_later(LPVOID unused)
{
    (void)unused;
    Sleep(100);
    SetEvent(late_event);
    return 0;
}

static void wait_all_blocks_until_all(void)
{
    TEST("wait-all blocks until the last object is signalled by another thread");
    HANDLE events[2];
    events[0] = CreateEventA(NULL, TRUE, TRUE, NULL);
    events[1] = late_event = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, set_later, NULL, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(2, events, TRUE, 3000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(late_event, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(events[0]);
    CloseHandle(events[1]);
}

static void limits(void)
{
    HANDLE events[MAXIMUM_WAIT_OBJECTS + 1];
    for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; ++i) events[i] = CreateEventA(NULL, TRUE, FALSE, NULL);

    TEST("count 0 and count above MAXIMUM_WAIT_OBJECTS are invalid");
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForMultipleObjects(0, events, FALSE, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, events, FALSE, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("exactly MAXIMUM_WAIT_OBJECTS works, wait-any and wait-all");
    SetEvent(events[MAXIMUM_WAIT_OBJECTS - 1]);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, events, FALSE, 0), WAIT_OBJECT_0 + MAXIMUM_WAIT_OBJECTS - 1);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, events, TRUE, 0), WAIT_TIMEOUT);
    for (int i = 0; i < MAXIMUM_WAIT_OBJECTS; ++i) SetEvent(events[i]);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, events, TRUE, 0), WAIT_OBJECT_0);

    TEST("a NULL or closed handle in the array is ERROR_INVALID_HANDLE");
    HANDLE with_null[2] = {events[0], NULL};
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForMultipleObjects(2, with_null, FALSE, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE closed = CreateEventA(NULL, TRUE, TRUE, NULL);
    CloseHandle(closed);
    HANDLE with_closed[2] = {closed, events[0]};
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForMultipleObjects(2, with_closed, FALSE, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(closed, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    /* Wine's kernel32 sync tests test_WaitForSingleObject and test_WaitForMultipleObjects. */
    TEST("pseudo handles: WaitForSingleObject waits on them, WaitForMultipleObjects refuses them");
    CHECK_EQ(WaitForSingleObject(GetCurrentProcess(), 10), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(GetCurrentThread(), 10), WAIT_TIMEOUT);
    WINE_DEVIATION("Wine waits on the pseudo handles in WaitForMultipleObjects too")
    {
        HANDLE pseudo[2] = {GetCurrentProcess(), NULL};
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForMultipleObjects(1, pseudo, FALSE, 10), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        pseudo[0] = events[0];
        pseudo[1] = GetCurrentThread();
        SetEvent(events[0]);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForMultipleObjectsEx(2, pseudo, FALSE, 10, FALSE), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }

    /* NT's NtWaitForMultipleObjects looks the handles up in the array's order and fails at
     * the first bad one: no handle, or one without SYNCHRONIZE (ReactOS's obwait.c;
     * Microsoft Learn, WaitForMultipleObjects: "The handles must have the SYNCHRONIZE
     * access right"). */
    TEST("the first bad handle in the array gives the error");
    HANDLE no_synchronize = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), events[0], GetCurrentProcess(), &no_synchronize, EVENT_MODIFY_STATE,
                          FALSE, 0));
    HANDLE mixed[3] = {events[0], NULL, no_synchronize};
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForMultipleObjects(3, mixed, FALSE, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    WINE_DEVIATION("Wine does not ask for SYNCHRONIZE on the handles of a wait")
    {
        mixed[1] = no_synchronize;
        mixed[2] = GetCurrentThread();
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForMultipleObjects(3, mixed, FALSE, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        mixed[2] = NULL;
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForMultipleObjects(3, mixed, FALSE, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject(no_synchronize, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CloseHandle(no_synchronize);
    for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; ++i) CloseHandle(events[i]);
}

/* Milliseconds from the performance counter: GetTickCount64 moves in steps of 10-16 ms
   on Windows (and under Wine, whose tick is updated by the server, sometimes later
   still), too coarse to check that a 50 ms sleep lasted 40. */
static double now_ms(void)
{
    LARGE_INTEGER counter, frequency;
    QueryPerformanceCounter(&counter);
    QueryPerformanceFrequency(&frequency);
    return (double)counter.QuadPart * 1000.0 / (double)frequency.QuadPart;
}

static void timeouts(void)
{
    TEST("a timed wait lasts about as long as asked");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    double start = now_ms();
    CHECK_EQ(WaitForSingleObject(event, 200), WAIT_TIMEOUT);
    double elapsed = now_ms() - start;
    CHECK(elapsed >= 180);
    CHECK(elapsed < 2000);
    start = now_ms();
    HANDLE two[2] = {event, event};
    CHECK_EQ(WaitForMultipleObjects(2, two, FALSE, 100), WAIT_TIMEOUT);
    CHECK(now_ms() - start >= 80);

    TEST("Sleep(0) and Sleep(50)");
    Sleep(0);
    start = now_ms();
    Sleep(50);
    CHECK(now_ms() - start >= 40);
    CloseHandle(event);
}

static void signal_object_and_wait(void)
{
    TEST("SignalObjectAndWait: sets one event and waits on another");
    HANDLE to_signal = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE to_wait = CreateEventA(NULL, TRUE, TRUE, NULL);
    CHECK_EQ(SignalObjectAndWait(to_signal, to_wait, 0, FALSE), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(to_signal, 0), WAIT_OBJECT_0);
    ResetEvent(to_wait);
    CHECK_EQ(SignalObjectAndWait(to_signal, to_wait, 50, FALSE), WAIT_TIMEOUT);

    TEST("SignalObjectAndWait: releases a semaphore, a mutex it owns");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    CHECK_EQ(SignalObjectAndWait(semaphore, semaphore, 0, FALSE), WAIT_OBJECT_0);
    HANDLE mutex = CreateMutexA(NULL, TRUE, NULL);
    SetEvent(to_wait);
    CHECK_EQ(SignalObjectAndWait(mutex, to_wait, 0, FALSE), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(mutex, to_wait, 0, FALSE), WAIT_FAILED); /* not owned any more */
    CHECK_ERROR(ERROR_NOT_OWNER);

    TEST("SignalObjectAndWait: a full semaphore gives ERROR_TOO_MANY_POSTS");
    ReleaseSemaphore(semaphore, 1, NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(semaphore, to_wait, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_TOO_MANY_POSTS);

    TEST("SignalObjectAndWait: a handle without the right to change the object is refused");
    HANDLE wait_only = NULL, semaphore_wait_only = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), to_signal, GetCurrentProcess(), &wait_only, SYNCHRONIZE, FALSE, 0));
    CHECK(DuplicateHandle(GetCurrentProcess(), semaphore, GetCurrentProcess(), &semaphore_wait_only, SYNCHRONIZE, FALSE,
                          0));
    ResetEvent(to_signal);
    SetEvent(to_wait);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(wait_only, to_wait, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(to_signal, 0), WAIT_TIMEOUT);
    WaitForSingleObject(semaphore, 0); /* empty it */
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(semaphore_wait_only, to_wait, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);

    TEST("SignalObjectAndWait: the handle to signal is looked up first, its rights last");
    /* NT's NtSignalAndWaitForSingleObject references the object to signal, then the one to
     * wait on (with SYNCHRONIZE), and only then checks what it may do to the first
     * (ReactOS's obwait.c; Wine fails a bad handle to signal first too). */
    HANDLE no_synchronize = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), to_wait, GetCurrentProcess(), &no_synchronize, EVENT_MODIFY_STATE,
                          FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(NULL, no_synchronize, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(to_signal, no_synchronize, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(to_signal, 0), WAIT_TIMEOUT); /* not set: the call failed */
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(wait_only, NULL, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(no_synchronize);
    CloseHandle(wait_only);
    CloseHandle(semaphore_wait_only);
    CloseHandle(semaphore);
    CloseHandle(mutex);
    CloseHandle(to_signal);
    CloseHandle(to_wait);
}

static DWORD WINAPI quick_thread(LPVOID unused)
{
    (void)unused;
    Sleep(50);
    return 5;
}

static void wait_on_thread(void)
{
    TEST("a thread handle is signalled when the thread ends");
    HANDLE thread = CreateThread(NULL, 0, quick_thread, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(thread, 0), WAIT_OBJECT_0); /* stays signalled */
    CloseHandle(thread);
}


/* Windows ignores a handle value's two low bits (they are free for the caller's tags):
 * Wine's kernel32 sync test_WaitForSingleObject waits through a handle with each of them
 * set, and an invalid value with them set stays invalid. */
static HANDLE with_tag(HANDLE handle, ULONG_PTR bits) { return (HANDLE)((ULONG_PTR)handle | bits); }

static void handle_tag_bits(void)
{
    TEST("a handle's two low bits are ignored: waits, SetEvent, DuplicateHandle, CloseHandle");
    HANDLE set = CreateEventA(NULL, TRUE, TRUE, NULL);
    HANDLE unset = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (ULONG_PTR bits = 0; bits < 4; ++bits) {
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject(with_tag((HANDLE)0xdeadbee0, bits), 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject(with_tag(unset, bits), 0), WAIT_TIMEOUT);
        CHECK_ERROR(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject(with_tag(set, bits), 0), WAIT_OBJECT_0);
        CHECK_ERROR(0xdeadbeef);
    }
    HANDLE both[2] = {with_tag(unset, 3), with_tag(set, 1)};
    CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, 0), WAIT_OBJECT_0 + 1);
    CHECK(SetEvent(with_tag(unset, 2)));
    CHECK_EQ(WaitForSingleObject(unset, 0), WAIT_OBJECT_0);
    CHECK(ResetEvent(with_tag(unset, 1)));
    CHECK_EQ(WaitForSingleObject(unset, 0), WAIT_TIMEOUT);
    HANDLE copy = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), with_tag(unset, 1), GetCurrentProcess(), &copy, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    CHECK(CloseHandle(with_tag(copy, 3)));
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(copy));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(set);
    CloseHandle(unset);
}

static void CALLBACK release_in_apc(ULONG_PTR semaphore) { ReleaseSemaphore((HANDLE)semaphore, 1, NULL); }

static void alertable_and_signal_pairs(void)
{
    /* Wine's kernel32 sync test_alertable_wait: an APC that signals the object waited on
     * ends the alertable wait with WAIT_IO_COMPLETION; the next wait finds the object. */
    TEST("alertable wait-all: an APC that signals the object ends it with WAIT_IO_COMPLETION");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    CHECK(QueueUserAPC(release_in_apc, GetCurrentThread(), (ULONG_PTR)semaphore));
    CHECK_EQ(WaitForMultipleObjectsEx(1, &semaphore, TRUE, 1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(WaitForMultipleObjectsEx(1, &semaphore, TRUE, 200, TRUE), WAIT_OBJECT_0);

    TEST("alertable wait on a signalled object with an APC queued: the object first, the APC stays");
    HANDLE event = CreateEventA(NULL, TRUE, TRUE, NULL);
    CHECK(QueueUserAPC(release_in_apc, GetCurrentThread(), (ULONG_PTR)semaphore));
    CHECK_EQ(WaitForSingleObjectEx(event, 0, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);

    TEST("SignalObjectAndWait: NULL handles; objects that cannot be signalled");
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(NULL, NULL, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE timer = CreateWaitableTimerA(NULL, FALSE, NULL);
    HANDLE unsignallable[3] = {port, timer, GetCurrentThread()};
    ResetEvent(event);
    for (int i = 0; i < 3; ++i) {
        SetLastError(0xdeadbeef);
        CHECK_EQ(SignalObjectAndWait(unsignallable[i], event, 0, FALSE), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
    /* A bad handle to wait on: nothing is signalled (the handles are looked up first). */
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(event, (HANDLE)0xdeadbee0, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    /* A port and the current thread's pseudo handle may be waited on. */
    CHECK_EQ(SignalObjectAndWait(event, port, 0, FALSE), WAIT_TIMEOUT);
    CHECK_EQ(SignalObjectAndWait(event, GetCurrentThread(), 10, FALSE), WAIT_TIMEOUT);
    CloseHandle(port);
    CloseHandle(timer);

    TEST("SignalObjectAndWait: a mutex not owned is ERROR_NOT_OWNER; one owned twice is released once");
    HANDLE mutex = CreateMutexA(NULL, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SignalObjectAndWait(mutex, event, 0, FALSE), WAIT_FAILED);
    CHECK_ERROR(ERROR_NOT_OWNER);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK_EQ(SignalObjectAndWait(mutex, mutex, 0, FALSE), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(mutex));
    CHECK(ReleaseMutex(mutex));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(mutex));
    CHECK_ERROR(ERROR_NOT_OWNER);

    TEST("SignalObjectAndWait alertable with an APC queued: signals, then WAIT_IO_COMPLETION");
    HANDLE to_signal = CreateEventA(NULL, FALSE, FALSE, NULL);
    ResetEvent(event);
    CHECK(QueueUserAPC(release_in_apc, GetCurrentThread(), (ULONG_PTR)semaphore));
    CHECK_EQ(SignalObjectAndWait(to_signal, event, 1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(WaitForSingleObject(to_signal, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
    /* The object to wait on signalled by the signal itself wins over the APC. */
    CHECK(QueueUserAPC(release_in_apc, GetCurrentThread(), (ULONG_PTR)semaphore));
    CHECK_EQ(SignalObjectAndWait(to_signal, to_signal, 1000, TRUE), WAIT_OBJECT_0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
    CloseHandle(to_signal);

    /* Wine's kernel32 sync test_signalandwait: an auto-reset event signalled and waited on
     * by the same call, many times over, ends unsignalled. */
    TEST("SignalObjectAndWait on one auto-reset event, a thousand times");
    HANDLE automatic = CreateEventA(NULL, FALSE, FALSE, NULL);
    DWORD result = WAIT_OBJECT_0;
    for (int i = 0; i < 1000 && result == WAIT_OBJECT_0; ++i) result = SignalObjectAndWait(automatic, automatic, 0, FALSE);
    CHECK_EQ(result, WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(automatic, 0), WAIT_TIMEOUT);
    CloseHandle(automatic);
    CloseHandle(mutex);
    CloseHandle(event);
    CloseHandle(semaphore);
}


/* SignalObjectAndWait signals and starts its wait as one step (Microsoft Learn: "The
 * function signals an object and waits on another object as a single operation"): a
 * thread that takes the mutex released and at once pulses the event waited on always
 * finds the caller waiting. Done in two steps, the pulse sometimes came first and was
 * lost (a few in a few hundred rounds). */
static HANDLE atomic_mutex, atomic_event, atomic_go;

static DWORD WINAPI take_mutex_then_pulse(LPVOID rounds)
{
    for (LONG_PTR i = 0; i < (LONG_PTR)rounds; ++i) {
        if (WaitForSingleObject(atomic_go, 5000) != WAIT_OBJECT_0) break;
        if (WaitForSingleObject(atomic_mutex, 5000) != WAIT_OBJECT_0) break;
        PulseEvent(atomic_event);
        ReleaseMutex(atomic_mutex);
    }
    return 0;
}

static void signal_and_wait_is_one_step(void)
{
    TEST("SignalObjectAndWait: the pulse of a thread that takes the mutex released is never lost");
    const LONG_PTR rounds = 1000;
    atomic_mutex = CreateMutexA(NULL, FALSE, NULL);
    atomic_event = CreateEventA(NULL, FALSE, FALSE, NULL);
    atomic_go = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, take_mutex_then_pulse, (LPVOID)rounds, 0, NULL);
    LONG_PTR round = 0;
    DWORD result = WAIT_OBJECT_0;
    for (; round < rounds && result == WAIT_OBJECT_0; ++round) {
        CHECK_EQ(WaitForSingleObject(atomic_mutex, 5000), WAIT_OBJECT_0);
        SetEvent(atomic_go);
        for (volatile int spin = 0; spin < (round % 50) * 20; ++spin) {
        } /* varies where the other thread is when the mutex goes */
        result = SignalObjectAndWait(atomic_mutex, atomic_event, 1000, FALSE);
    }
    CHECK_EQ(result, WAIT_OBJECT_0);
    CHECK_EQ(round, rounds);
    /* After a lost pulse the other thread ends once its wait for the next round times out. */
    CHECK_EQ(WaitForSingleObject(thread, 7000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(atomic_go);
    CloseHandle(atomic_event);
    CloseHandle(atomic_mutex);
}


/* A wait-all whose other objects are signalled is satisfied by the signal itself, as NT
 * satisfies it under its dispatcher lock (Wine's server does the same): a PulseEvent
 * releases it, and a released mutex or semaphore is its before anyone who asks later. */
static HANDLE all_pair[2];
static HANDLE all_done;
static volatile LONG all_result, all_ready, all_release_mutex;

static DWORD WINAPI wait_for_both(LPVOID unused)
{
    (void)unused;
    tl_store(&all_ready, 1);
    DWORD result = WaitForMultipleObjects(2, all_pair, TRUE, 5000);
    tl_store(&all_result, (LONG)result);
    if (result == WAIT_OBJECT_0 && tl_load(&all_release_mutex)) {
        WaitForSingleObject(all_done, 5000); /* holds the mutex until the checks are made */
        ReleaseMutex(all_pair[0]);
    }
    return 0;
}

static HANDLE start_wait_for_both(HANDLE first, HANDLE second)
{
    all_pair[0] = first;
    all_pair[1] = second;
    tl_store(&all_result, 12345);
    tl_store(&all_ready, 0);
    HANDLE thread = CreateThread(NULL, 0, wait_for_both, NULL, 0, NULL);
    while (!tl_load(&all_ready)) Sleep(1);
    Sleep(200); /* into its wait */
    return thread;
}

static void wait_all_satisfied_by_the_signal(void)
{
    HANDLE open_gate = CreateEventA(NULL, TRUE, TRUE, NULL);
    for (int manual = 0; manual < 2; ++manual) {
        TEST(manual ? "wait-all: PulseEvent of a manual-reset event releases it"
                    : "wait-all: PulseEvent of an auto-reset event releases it");
        HANDLE event = CreateEventA(NULL, manual, FALSE, NULL);
        HANDLE thread = start_wait_for_both(event, open_gate);
        CHECK(PulseEvent(event));
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&all_result), WAIT_OBJECT_0);
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
        CloseHandle(thread);
        CloseHandle(event);
    }

    TEST("wait-all: an auto-reset event set and reset at once was the waiter's");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE thread = start_wait_for_both(event, open_gate);
    CHECK(SetEvent(event));
    CHECK(ResetEvent(event));
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&all_result), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(event);

    TEST("wait-all: a semaphore released goes to it, not to a poll right after");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    thread = start_wait_for_both(semaphore, open_gate);
    CHECK(ReleaseSemaphore(semaphore, 1, NULL));
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&all_result), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(semaphore);

    TEST("wait-all: a mutex released goes to it, not back to its old owner");
    HANDLE mutex = CreateMutexA(NULL, TRUE, NULL);
    tl_store(&all_release_mutex, 1);
    thread = start_wait_for_both(mutex, open_gate);
    all_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(ReleaseMutex(mutex));
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_TIMEOUT);
    SetEvent(all_done);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&all_result), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0); /* released, not abandoned */
    CloseHandle(all_done);
    CHECK(ReleaseMutex(mutex));
    tl_store(&all_release_mutex, 0);
    CloseHandle(thread);
    CloseHandle(mutex);
    CloseHandle(open_gate);
}


/* A wait holds the objects, not the handles: closing the handles during the wait (the
 * last handle of the mutex) changes nothing; the event set through another handle ends
 * both waits. */
static HANDLE closed_event, closed_mutex;
static volatile LONG closed_single = 12345, closed_all = 12345;

static DWORD WINAPI wait_on_closed_single(LPVOID unused)
{
    (void)unused;
    tl_store(&closed_single, (LONG)WaitForSingleObject(closed_event, 5000));
    return 0;
}

static DWORD WINAPI wait_on_closed_all(LPVOID unused)
{
    (void)unused;
    HANDLE both[2] = {closed_mutex, closed_event};
    tl_store(&closed_all, (LONG)WaitForMultipleObjects(2, both, TRUE, 5000));
    return 0;
}

static void handles_closed_during_the_wait(void)
{
    TEST("handles closed during a wait: the wait goes on, and ends when the object is signalled");
    closed_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    closed_mutex = CreateMutexA(NULL, FALSE, NULL);
    HANDLE other = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), closed_event, GetCurrentProcess(), &other, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    HANDLE threads[2] = {CreateThread(NULL, 0, wait_on_closed_single, NULL, 0, NULL),
                         CreateThread(NULL, 0, wait_on_closed_all, NULL, 0, NULL)};
    Sleep(200); /* both in their waits */
    CHECK(CloseHandle(closed_event));
    CHECK(CloseHandle(closed_mutex));
    Sleep(50);
    CHECK_EQ(tl_load(&closed_single), 12345);
    CHECK_EQ(tl_load(&closed_all), 12345);
    CHECK(SetEvent(other));
    CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&closed_single), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&closed_all), WAIT_OBJECT_0);
    CloseHandle(threads[0]);
    CloseHandle(threads[1]);
    CloseHandle(other);
}

int main(void)
{
    wait_any();
    wait_all();
    wait_all_blocks_until_all();
    limits();
    timeouts();
    signal_object_and_wait();
    wait_on_thread();
    handle_tag_bits();
    alertable_and_signal_pairs();
    signal_and_wait_is_one_step();
    wait_all_satisfied_by_the_signal();
    handles_closed_during_the_wait();
    return tl_finish();
}
