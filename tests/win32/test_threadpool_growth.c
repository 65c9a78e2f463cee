/* test_threadpool_growth.c: the pool grows past blocked callbacks (they do not starve
 * the others) and keeps to a private pool's maximum. */
#include "testlib.h"

static HANDLE go, free_ran;
static volatile LONG running, most;

static VOID CALLBACK blocked_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    LONG now = InterlockedIncrement(&running);
    LONG seen;
    while ((seen = tl_load(&most)) < now) InterlockedCompareExchange(&most, now, seen);
    WaitForSingleObject(go, 20000);
    InterlockedDecrement(&running);
}

static VOID CALLBACK free_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    SetEvent(free_ran);
}

static void default_pool(void)
{
    TEST("eight blocked callbacks on the default pool: all run at once, and a ninth still runs");
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    free_ran = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (int i = 0; i < 8; ++i) CHECK(TrySubmitThreadpoolCallback(blocked_cb, NULL, NULL));
    CHECK(TrySubmitThreadpoolCallback(free_cb, NULL, NULL));
    CHECK_EQ(WaitForSingleObject(free_ran, 10000), WAIT_OBJECT_0);
    for (int i = 0; i < 1000 && tl_load(&running) < 8; ++i) Sleep(10);
    CHECK_EQ(tl_load(&running), 8);
    SetEvent(go);
    for (int i = 0; i < 1000 && tl_load(&running) > 0; ++i) Sleep(10);
    CHECK_EQ(tl_load(&running), 0);
}

static void private_pool(void)
{
    TEST("a private pool of at most three: three blocked at once, never more, then the rest");
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 3);
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    ResetEvent(go);
    tl_store(&most, 0);
    for (int i = 0; i < 5; ++i) CHECK(TrySubmitThreadpoolCallback(blocked_cb, NULL, &environment));
    for (int i = 0; i < 1000 && tl_load(&running) < 3; ++i) Sleep(10);
    Sleep(300);
    CHECK_EQ(tl_load(&running), 3);
    CHECK_EQ(tl_load(&most), 3);
    SetEvent(go);
    for (int i = 0; i < 1000 && tl_load(&running) > 0; ++i) Sleep(10);
    Sleep(100);
    CHECK_EQ(tl_load(&running), 0);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpool(pool);
    CloseHandle(go);
    CloseHandle(free_ran);
}

int main(void)
{
    default_pool();
    private_pool();
    return tl_finish();
}
