/* test_port_statistics.c: overlapped_get_port_statistics, the library's per-port
 * counters (Windows has none): queued, running, waiting, paused, totals. */
#include "testlib.h"

#include <overlapped/overlapped.h>

static HANDLE port;
static volatile LONG phase;

static DWORD WINAPI waiter(LPVOID unused)
{
    (void)unused;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 5000)) return 1;
    /* Released: now block elsewhere, so the port counts this thread as paused. */
    while (InterlockedCompareExchange(&phase, 0, 0) == 0) Sleep(10);
    return 0;
}

int main(void)
{
    overlapped_port_statistics stats;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 3);
    CHECK(port != NULL);

    TEST("a new port");
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.queued, 0);
    CHECK_EQ(stats.concurrency, 3);
    CHECK_EQ(stats.total_posted, 0);

    TEST("queued packets and totals");
    for (int i = 0; i < 5; ++i) PostQueuedCompletionStatus(port, i, i, NULL);
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.queued, 5);
    CHECK_EQ(stats.total_posted, 5);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    for (int i = 0; i < 5; ++i) GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0);
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.queued, 0);
    CHECK_EQ(stats.total_dequeued, 5);
    CHECK_EQ(stats.running, 1); /* this thread, released by its last successful Get */

    TEST("waiting and paused threads");
    HANDLE thread = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    Sleep(100);
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.waiting, 1);
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    Sleep(100);
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.waiting, 0);
    CHECK_EQ(stats.paused, 1);
    InterlockedExchange(&phase, 1);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK(overlapped_get_port_statistics(port, &stats));
    CHECK_EQ(stats.paused, 0);
    CloseHandle(thread);

    TEST("bad arguments");
    SetLastError(0xdeadbeef);
    CHECK(!overlapped_get_port_statistics(port, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!overlapped_get_port_statistics(event, &stats));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
    CloseHandle(port);
    return tl_finish();
}
