/* test_threadpool_threads.c: the pool's threads as Linux sees them (/proc/self/task):
 * the default pool starts no thread until it has work; a burst of blocked callbacks
 * grows it; idle threads retire after a while (kIdleRetireMs, 2 s); a private pool's
 * minimum stays. */
#include "testlib.h"

#include <dirent.h>

static int thread_count(void)
{
    DIR *directory = opendir("/proc/self/task");
    if (directory == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL)
        if (entry->d_name[0] != '.') ++count;
    closedir(directory);
    return count;
}

/* Waits until the thread count has not changed for 3 s (at most 20 s); returns it. */
static int settled_count(void)
{
    int last = thread_count(), same = 0;
    for (int i = 0; i < 200 && same < 30; ++i) {
        Sleep(100);
        int now = thread_count();
        same = now == last ? same + 1 : 0;
        last = now;
    }
    return last;
}

static HANDLE go;
static volatile LONG running;

static VOID CALLBACK blocked_cb(PTP_CALLBACK_INSTANCE instance, PVOID context)
{
    (void)instance;
    (void)context;
    InterlockedIncrement(&running);
    WaitForSingleObject(go, 20000);
    InterlockedDecrement(&running);
}

static VOID CALLBACK nothing_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)context;
    (void)work;
}

int main(void)
{
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    int start = thread_count();

    TEST("creating a work object on the default pool starts no thread");
    PTP_WORK work = CreateThreadpoolWork(nothing_cb, NULL, NULL);
    CHECK_EQ(thread_count(), start);

    TEST("submitting starts some");
    SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK(thread_count() > start);
    CloseThreadpoolWork(work);

    TEST("ten blocked callbacks: the pool grows to run them all");
    for (int i = 0; i < 10; ++i) TrySubmitThreadpoolCallback(blocked_cb, NULL, NULL);
    for (int i = 0; i < 1000 && InterlockedCompareExchange(&running, 0, 0) < 10; ++i) Sleep(10);
    CHECK_EQ(InterlockedCompareExchange(&running, 0, 0), 10);
    int grown = thread_count();
    CHECK(grown >= start + 10);

    TEST("once idle for a while, the threads retire");
    SetEvent(go);
    int now = settled_count();
    CHECK(now <= start + 2); /* what may stay: the monitor and the timer thread */

    TEST("a private pool's minimum is made at once and does not retire");
    PTP_POOL pool = CreateThreadpool(NULL);
    int before = settled_count();
    CHECK(SetThreadpoolThreadMinimum(pool, 3));
    CHECK_EQ(thread_count(), before + 3);
    Sleep(2600);
    CHECK_EQ(thread_count(), before + 3);
    CloseThreadpool(pool);
    for (int i = 0; i < 100 && thread_count() > before; ++i) Sleep(20);
    CHECK_EQ(thread_count(), before);
    CloseHandle(go);
    return tl_finish();
}
