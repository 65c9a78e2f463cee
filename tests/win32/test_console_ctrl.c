/* test_console_ctrl.c: SetConsoleCtrlHandler and GenerateConsoleCtrlEvent: handlers run
 * on a thread other than the caller's, the most recently added first, until one returns
 * TRUE; SetConsoleCtrlHandler(NULL, TRUE) ignores Ctrl-C but not Ctrl-Break; removing a
 * handler that is not registered fails. Every handler here ends the chain with TRUE, so
 * the default handler (which ends the process) never runs. Sources:
 * docs/research/windows-console-strings.md. */
#include "testlib.h"

#define WAIT_MS 5000
#define QUIET_MS 500

static HANDLE called;          /* set by the handler that ends a chain */
static volatile LONG sequence; /* the order handlers run in */
static volatile LONG first_order, second_order, third_order;
static volatile LONG first_calls, second_calls, third_calls;
static volatile LONG last_event = -1;
static volatile LONG handler_thread;

static void reset(void)
{
    tl_store(&sequence, 0);
    tl_store(&first_order, 0);
    tl_store(&second_order, 0);
    tl_store(&third_order, 0);
    tl_store(&first_calls, 0);
    tl_store(&second_calls, 0);
    tl_store(&third_calls, 0);
    tl_store(&last_event, -1);
    tl_store(&handler_thread, 0);
    ResetEvent(called);
}

/* Added first: runs last, takes every event. */
static BOOL WINAPI first(DWORD type)
{
    InterlockedIncrement(&first_calls);
    tl_store(&first_order, InterlockedIncrement(&sequence));
    tl_store(&last_event, (LONG)type);
    tl_store(&handler_thread, (LONG)GetCurrentThreadId());
    SetEvent(called);
    return TRUE;
}

/* Added second: passes every event on. */
static BOOL WINAPI second(DWORD type)
{
    (void)type;
    InterlockedIncrement(&second_calls);
    tl_store(&second_order, InterlockedIncrement(&sequence));
    return FALSE;
}

/* Added third: takes every event, so the others never see it. */
static BOOL WINAPI third(DWORD type)
{
    InterlockedIncrement(&third_calls);
    tl_store(&third_order, InterlockedIncrement(&sequence));
    tl_store(&last_event, (LONG)type);
    tl_store(&handler_thread, (LONG)GetCurrentThreadId());
    SetEvent(called);
    return TRUE;
}

int main(void)
{
    DWORD main_thread = GetCurrentThreadId();

    /* A console of the test's own, so that GenerateConsoleCtrlEvent reaches no other
     * process sharing the console (on Windows and Wine; a no-op on the library). */
    FreeConsole();
    AllocConsole();

    called = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(called != NULL);

    TEST("removing a handler that was never added fails with ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleCtrlHandler(first, FALSE));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("adding handlers");
    CHECK(SetConsoleCtrlHandler(first, TRUE));
    CHECK(SetConsoleCtrlHandler(second, TRUE));
    CHECK(SetConsoleCtrlHandler(third, TRUE));

    TEST("Ctrl-C: the last handler added runs first, on a new thread; TRUE ends the chain");
    reset();
    SetLastError(0xdeadbeef);
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(WaitForSingleObject(called, WAIT_MS), WAIT_OBJECT_0);
    Sleep(QUIET_MS / 5); /* a handler that ran on although it should not have */
    CHECK_EQ(tl_load(&third_calls), 1);
    CHECK_EQ(tl_load(&second_calls), 0);
    CHECK_EQ(tl_load(&first_calls), 0);
    CHECK_EQ(tl_load(&last_event), CTRL_C_EVENT);
    CHECK(tl_load(&handler_thread) != 0);
    CHECK(tl_load(&handler_thread) != (LONG)main_thread);

    TEST("with the last handler removed, FALSE passes the event to the next one");
    CHECK(SetConsoleCtrlHandler(third, FALSE));
    reset();
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(WaitForSingleObject(called, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&second_calls), 1);
    CHECK_EQ(tl_load(&first_calls), 1);
    CHECK_EQ(tl_load(&second_order), 1);
    CHECK_EQ(tl_load(&first_order), 2);
    CHECK_EQ(tl_load(&third_calls), 0);
    CHECK(tl_load(&handler_thread) != (LONG)main_thread);

    TEST("SetConsoleCtrlHandler(NULL, TRUE): Ctrl-C is ignored");
    CHECK(SetConsoleCtrlHandler(NULL, TRUE));
    reset();
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(WaitForSingleObject(called, QUIET_MS), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&first_calls), 0);
    CHECK_EQ(tl_load(&second_calls), 0);

    TEST("... but Ctrl-Break is not");
    WINE_DEVIATION("Wine 8.0 fails GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, 0) with ERROR_INVALID_HANDLE")
    {
        reset();
        CHECK(GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, 0));
        CHECK_EQ(WaitForSingleObject(called, WAIT_MS), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&last_event), CTRL_BREAK_EVENT);
        CHECK_EQ(tl_load(&first_calls), 1);
        CHECK(tl_load(&handler_thread) != (LONG)main_thread);
    }

    TEST("SetConsoleCtrlHandler(NULL, FALSE): Ctrl-C reaches the handlers again");
    CHECK(SetConsoleCtrlHandler(NULL, FALSE));
    reset();
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(WaitForSingleObject(called, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&first_calls), 1);

    TEST("Ctrl-C with a process group other than 0 succeeds and reaches nobody");
    WINE_DEVIATION("Wine 8.0 delivers CTRL_C_EVENT to a nonzero process group")
    {
        reset();
        CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, GetCurrentProcessId()));
        CHECK_EQ(WaitForSingleObject(called, QUIET_MS), WAIT_TIMEOUT);
        CHECK_EQ(tl_load(&first_calls), 0);
        CHECK_EQ(tl_load(&second_calls), 0);
    }

    TEST("removing the handlers; removing one again fails");
    CHECK(SetConsoleCtrlHandler(second, FALSE));
    CHECK(SetConsoleCtrlHandler(first, FALSE));
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleCtrlHandler(first, FALSE));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    CloseHandle(called);
    return tl_finish();
}
