/* test_fibers.c: fibers, as Microsoft Learn's "Using Fibers" sample and coroutine
 * libraries use them. Microsoft Learn: ConvertThreadToFiber (a second call fails with
 * ERROR_ALREADY_FIBER), ConvertFiberToThread (fails in a thread that is no
 * fiber: ERROR_ALREADY_THREAD's text is "The current thread has already been converted
 * from a fiber"), CreateFiber/CreateFiberEx, SwitchToFiber, GetFiberData (the parameter the running
 * fiber was made with), IsThreadAFiber; "If the fiber function returns, the thread running
 * the fiber exits"; DeleteFiber of the running fiber ends its thread; FLS values are per
 * fiber and DeleteFiber hands the fiber's values to the FLS callbacks (Wine's fiber.c
 * test_FiberLocalStorageCallback, passing on Windows). */
#include "testlib.h"

#include <stdint.h>

static LPVOID main_fiber, worker_fiber;
static volatile LONG steps;
static DWORD fls_index;
static volatile LONG callback_calls;
static void *volatile callback_value;

static void WINAPI fls_callback(PVOID value)
{
    InterlockedIncrement(&callback_calls);
    callback_value = value;
}

static void WINAPI ping_pong(LPVOID parameter)
{
    /* A local on the fiber's own stack keeps its value across switches. */
    int local = 1000;
    CHECK(parameter == (LPVOID)(uintptr_t)0xfeed);
    CHECK(GetFiberData() == parameter);
    CHECK(GetCurrentFiber() == worker_fiber);
    CHECK(IsThreadAFiber());
    /* This fiber's FLS starts empty, whatever the main fiber set. */
    CHECK(FlsGetValue(fls_index) == NULL);
    CHECK(FlsSetValue(fls_index, (PVOID)(uintptr_t)0xb0b));
    for (;;) {
        InterlockedIncrement(&steps);
        local++;
        SwitchToFiber(main_fiber);
        CHECK_EQ(local, 1000 + steps);
        CHECK(FlsGetValue(fls_index) == (PVOID)(uintptr_t)0xb0b);
    }
}

static void switching(void)
{
    CHECK(!IsThreadAFiber());
    WINE_DEVIATION("ConvertFiberToThread in a thread that is no fiber succeeds")
    {
        SetLastError(0xdeadbeef);
        CHECK(!ConvertFiberToThread());
        CHECK_ERROR(ERROR_ALREADY_THREAD);
    }

    fls_index = FlsAlloc(fls_callback);
    CHECK(fls_index != FLS_OUT_OF_INDEXES);
    CHECK(FlsSetValue(fls_index, (PVOID)(uintptr_t)0xa11));

    main_fiber = ConvertThreadToFiber((LPVOID)(uintptr_t)0xcafe);
    CHECK(main_fiber != NULL);
    CHECK(IsThreadAFiber());
    CHECK(GetCurrentFiber() == main_fiber);
    CHECK(GetFiberData() == (LPVOID)(uintptr_t)0xcafe);
    /* The thread's FLS values stay with the fiber made of it. */
    CHECK(FlsGetValue(fls_index) == (PVOID)(uintptr_t)0xa11);
    SetLastError(0xdeadbeef);
    CHECK(ConvertThreadToFiber(NULL) == NULL);
    CHECK_ERROR(ERROR_ALREADY_FIBER);

    worker_fiber = CreateFiber(0, ping_pong, (LPVOID)(uintptr_t)0xfeed);
    CHECK(worker_fiber != NULL);
    CHECK_EQ(steps, 0); /* made, not started */
    for (int i = 1; i <= 100; ++i) {
        SwitchToFiber(worker_fiber);
        CHECK_EQ(steps, i);
        CHECK(GetCurrentFiber() == main_fiber);
    }
    CHECK(FlsGetValue(fls_index) == (PVOID)(uintptr_t)0xa11);

    /* Deleting a fiber hands its FLS values to their callbacks. */
    callback_calls = 0;
    DeleteFiber(worker_fiber);
    CHECK_EQ(callback_calls, 1);
    CHECK(callback_value == (PVOID)(uintptr_t)0xb0b);

    /* CreateFiberEx: a reserve and the floating-point flag. */
    steps = 0;
    worker_fiber = CreateFiberEx(64 * 1024, 256 * 1024, FIBER_FLAG_FLOAT_SWITCH, ping_pong,
                                 (LPVOID)(uintptr_t)0xfeed);
    CHECK(worker_fiber != NULL);
    SwitchToFiber(worker_fiber);
    CHECK_EQ(steps, 1);
    DeleteFiber(worker_fiber);

    CHECK(ConvertFiberToThread());
    CHECK(!IsThreadAFiber());
    CHECK(FlsGetValue(fls_index) == (PVOID)(uintptr_t)0xa11);
    /* Converted back, it may become a fiber again. */
    main_fiber = ConvertThreadToFiberEx(NULL, FIBER_FLAG_FLOAT_SWITCH);
    CHECK(main_fiber != NULL);
    CHECK(ConvertFiberToThread());
    CHECK(FlsSetValue(fls_index, NULL));
    CHECK(FlsFree(fls_index));
}

/* The thread ends when its fiber's routine returns, or when the running fiber deletes
 * itself. */
static LPVOID thread_main_fiber;
static volatile LONG after_end;

static void WINAPI returns(LPVOID parameter)
{
    (void)parameter;
    InterlockedIncrement(&steps);
}

static void WINAPI deletes_itself(LPVOID parameter)
{
    (void)parameter;
    InterlockedIncrement(&steps);
    DeleteFiber(GetCurrentFiber());
    InterlockedIncrement(&after_end); /* never reached */
}

static LPVOID ended_in; /* the fiber a thread ended in */

static DWORD WINAPI fiber_thread(LPVOID routine)
{
    thread_main_fiber = ConvertThreadToFiber(NULL);
    LPVOID f = CreateFiber(64 * 1024, (LPFIBER_START_ROUTINE)routine, NULL);
    InterlockedExchangePointer(&ended_in, f);
    SwitchToFiber(f);
    InterlockedIncrement(&after_end); /* never reached: the thread ended in the fiber */
    return 5;
}

static void ending_threads(void)
{
    LPFIBER_START_ROUTINE routines[2] = {returns, deletes_itself};
    for (int i = 0; i < 2; ++i) {
        steps = 0;
        after_end = 0;
        HANDLE h = CreateThread(NULL, 0, fiber_thread, (LPVOID)routines[i], 0, NULL);
        CHECK(h != NULL);
        CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
        DWORD code = 5;
        CHECK(GetExitCodeThread(h, &code));
        CHECK(code != 5 && code != STILL_ACTIVE);
        CHECK_EQ(steps, 1);
        CHECK_EQ(after_end, 0);
        /* A fiber whose routine returned is still the program's to delete (one that
         * deleted itself is gone). */
        if (routines[i] == returns) DeleteFiber(tl_load_pointer(&ended_in));
        CloseHandle(h);
    }
}

/* A fiber made on one thread runs on another that switches to it. */
static LPVOID roaming, home;
static volatile DWORD roaming_ran_on;

static void WINAPI roam(LPVOID parameter)
{
    (void)parameter;
    for (;;) {
        roaming_ran_on = GetCurrentThreadId();
        SwitchToFiber(home);
    }
}

static DWORD WINAPI adopt(LPVOID unused)
{
    (void)unused;
    home = ConvertThreadToFiber(NULL);
    SwitchToFiber(roaming);
    ConvertFiberToThread();
    return 0;
}

static void roaming_fiber(void)
{
    home = ConvertThreadToFiber(NULL);
    roaming = CreateFiber(0, roam, NULL);
    SwitchToFiber(roaming);
    CHECK_EQ(roaming_ran_on, GetCurrentThreadId());
    CHECK(ConvertFiberToThread());

    HANDLE h = CreateThread(NULL, 0, adopt, NULL, 0, NULL);
    DWORD id = GetThreadId(h);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    CHECK_EQ(roaming_ran_on, id);
    CloseHandle(h);
    DeleteFiber(roaming);
}

int main(void)
{
    switching();
    ending_threads();
    roaming_fiber();
    return tl_finish();
}
