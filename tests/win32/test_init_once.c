/* test_init_once.c: one-time initialization (InitOnceExecuteOnce, InitOnceBeginInitialize,
 * InitOnceComplete).
 *
 * Facts: Microsoft Learn (InitOnceExecuteOnce: the callback runs once, "other threads
 * that call InitOnceExecuteOnce ... wait", a callback that returns FALSE fails the call
 * and a later call tries again; the context's low INIT_ONCE_CTX_RESERVED_BITS are
 * reserved; InitOnceBeginInitialize with INIT_ONCE_CHECK_ONLY fails with
 * ERROR_GEN_FAILURE when the initialization is not complete; InitOnceComplete with
 * INIT_ONCE_INIT_FAILED lets the next caller initialize; INIT_ONCE_ASYNC lets several
 * threads initialize at once, the first InitOnceComplete with INIT_ONCE_ASYNC wins). Wine's
 * conformance test test_initonce (dlls/kernel32/tests/sync.c, passing on Windows) for the
 * error codes: INIT_ONCE_CHECK_ONLY with INIT_ONCE_ASYNC, a synchronous call meeting an
 * asynchronous initialization and the reverse, and INIT_ONCE_INIT_FAILED with
 * INIT_ONCE_ASYNC are ERROR_INVALID_PARAMETER. Every wait is bounded. */
#include "testlib.h"

static INIT_ONCE shared_once = INIT_ONCE_STATIC_INIT;
static volatile LONG runs, succeed_from;

static BOOL CALLBACK initialize(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    LONG run = InterlockedIncrement(&runs);
    (void)once;
    Sleep(50); /* the others arrive meanwhile and wait */
    if (run < succeed_from) return FALSE;
    *context = parameter;
    return TRUE;
}

static DWORD WINAPI racer(LPVOID parameter)
{
    PVOID context = NULL;
    (void)parameter;
    if (!InitOnceExecuteOnce(&shared_once, initialize, (PVOID)0x1000, &context)) return 1;
    return context == (PVOID)0x1000 ? 0 : 2;
}

static void test_execute_once(void)
{
    HANDLE threads[8];
    INIT_ONCE once;
    PVOID context = NULL;
    DWORD i, code;

    TEST("InitOnceExecuteOnce: eight threads, one initialization, one context for all");
    runs = 0;
    succeed_from = 1;
    for (i = 0; i < 8; i++) {
        threads[i] = CreateThread(NULL, 0, racer, NULL, 0, NULL);
        CHECK(threads[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(8, threads, TRUE, 10000), WAIT_OBJECT_0);
    for (i = 0; i < 8; i++) {
        code = 99;
        CHECK(GetExitCodeThread(threads[i], &code));
        CHECK_EQ(code, 0);
        CloseHandle(threads[i]);
    }
    CHECK_EQ(runs, 1);

    TEST("InitOnceExecuteOnce: a callback that fails is tried again by the next call");
    InitOnceInitialize(&once);
    runs = 0;
    succeed_from = 2;
    CHECK(!InitOnceExecuteOnce(&once, initialize, (PVOID)0x2000, &context));
    CHECK(InitOnceExecuteOnce(&once, initialize, (PVOID)0x2000, &context));
    CHECK(context == (PVOID)0x2000);
    CHECK(InitOnceExecuteOnce(&once, initialize, (PVOID)0x3000, &context));
    CHECK(context == (PVOID)0x2000); /* done: the callback does not run again */
    CHECK_EQ(runs, 2);
}

static PVOID *seen_context = (PVOID *)1;

static BOOL CALLBACK note_context(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    seen_context = context;
    if (context != NULL) *context = parameter;
    return TRUE;
}

static void test_execute_once_without_context(void)
{
    INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    PVOID context = (PVOID)0x77;

    /* The callback's Context is "[out, optional]" (Microsoft Learn, InitOnceCallback): a
     * caller that asks for no context passes none on, and none is kept. */
    TEST("InitOnceExecuteOnce with a NULL context: the callback gets NULL, no context is kept");
    CHECK(InitOnceExecuteOnce(&once, note_context, (PVOID)0x4000, NULL));
    CHECK(seen_context == NULL);
    CHECK(InitOnceExecuteOnce(&once, note_context, (PVOID)0x5000, &context));
    CHECK(context == NULL);
    InitOnceInitialize(&once);
    CHECK(InitOnceExecuteOnce(&once, note_context, (PVOID)0x4000, &context));
    CHECK(seen_context != NULL);
    CHECK(context == (PVOID)0x4000);
}

static void test_begin_complete(void)
{
    INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending = 7;
    PVOID context = NULL;

    TEST("InitOnceBeginInitialize and InitOnceComplete");
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    CHECK_ERROR(ERROR_GEN_FAILURE);
    CHECK(InitOnceBeginInitialize(&once, 0, &pending, &context));
    CHECK_EQ(pending, TRUE);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, 0, (LPVOID)0x4001)); /* reserved low bits */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(InitOnceComplete(&once, INIT_ONCE_INIT_FAILED, NULL));
    CHECK(InitOnceBeginInitialize(&once, 0, &pending, &context)); /* failed: claimed again */
    CHECK_EQ(pending, TRUE);
    CHECK(InitOnceComplete(&once, 0, (LPVOID)0x4000));
    pending = 7;
    CHECK(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    CHECK_EQ(pending, FALSE);
    CHECK(context == (PVOID)0x4000);
    pending = 7;
    CHECK(InitOnceBeginInitialize(&once, 0, &pending, &context));
    CHECK_EQ(pending, FALSE);
    CHECK(!InitOnceComplete(&once, 0, (LPVOID)0x8000)); /* already complete */
}

static void test_async(void)
{
    INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending = 7;
    PVOID context = NULL;

    TEST("InitOnce: INIT_ONCE_ASYNC, several initializers, the first to complete wins");
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC, &pending, &context));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(pending, 7); /* untouched on failure */
    CHECK(InitOnceBeginInitialize(&once, INIT_ONCE_ASYNC, &pending, &context));
    CHECK_EQ(pending, TRUE);
    pending = 7;
    CHECK(InitOnceBeginInitialize(&once, INIT_ONCE_ASYNC, &pending, &context)); /* a second one */
    CHECK_EQ(pending, TRUE);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceBeginInitialize(&once, 0, &pending, &context)); /* a synchronous caller */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    CHECK_ERROR(ERROR_GEN_FAILURE);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, INIT_ONCE_INIT_FAILED, NULL)); /* not without ASYNC */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, INIT_ONCE_ASYNC, (LPVOID)0x5001)); /* reserved low bits */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(InitOnceComplete(&once, INIT_ONCE_ASYNC, (LPVOID)0x5000));
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, INIT_ONCE_ASYNC, (LPVOID)0x6000)); /* the second loses */
    CHECK_ERROR(ERROR_GEN_FAILURE);
    pending = 7;
    CHECK(InitOnceBeginInitialize(&once, INIT_ONCE_ASYNC, &pending, &context));
    CHECK_EQ(pending, FALSE);
    CHECK(context == (PVOID)0x5000);
    pending = 7;
    context = NULL;
    CHECK(InitOnceBeginInitialize(&once, INIT_ONCE_CHECK_ONLY, &pending, &context));
    CHECK_EQ(pending, FALSE);
    CHECK(context == (PVOID)0x5000);

    TEST("InitOnce: an asynchronous call meeting a synchronous initialization");
    InitOnceInitialize(&once);
    CHECK(InitOnceBeginInitialize(&once, 0, &pending, &context));
    CHECK_EQ(pending, TRUE);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceBeginInitialize(&once, INIT_ONCE_ASYNC, &pending, &context));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!InitOnceComplete(&once, INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(InitOnceComplete(&once, INIT_ONCE_INIT_FAILED, NULL));
    CHECK(once.Ptr == NULL);
}

int main(void)
{
    test_execute_once();
    test_execute_once_without_context();
    test_begin_complete();
    test_async();
    return tl_finish();
}
