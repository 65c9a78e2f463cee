/* test_iocp_order.c: which waiting thread a completion packet goes to.
 *
 * Windows releases threads blocked on a completion port in LIFO order: the thread that
 * started waiting last is the first to get a packet (this keeps a hot thread hot).
 * Threads A, B, C start waiting one after another (100 ms apart, so each is surely
 * blocked before the next starts); each posted packet must then go to the most recent
 * waiter still waiting. The port's concurrency limit is set well above the number of
 * threads so that it plays no part, and each receiver exits before the next post. */
#include "testlib.h"

#define WAITERS 3

struct waiter {
    HANDLE port;
    int use_ex;
    HANDLE done;        /* set once the wait returned */
    BOOL ret;
    ULONG_PTR key;
    LPOVERLAPPED ov;
};

static DWORD WINAPI waiter_main(LPVOID arg)
{
    struct waiter *w = arg;
    DWORD bytes = 0;

    w->key = 0xdeadbeef;
    w->ov = (LPOVERLAPPED)(ULONG_PTR)0xdeadbeef;
    if (w->use_ex) {
        OVERLAPPED_ENTRY entry;
        ULONG removed = 0;
        w->ret = GetQueuedCompletionStatusEx(w->port, &entry, 1, &removed, 5000, FALSE);
        if (w->ret) {
            w->key = entry.lpCompletionKey;
            w->ov = entry.lpOverlapped;
        }
    } else {
        w->ret = GetQueuedCompletionStatus(w->port, &bytes, &w->key, &w->ov, 5000);
    }
    SetEvent(w->done);
    return 0;
}

static const char *const names[WAITERS] = { "A", "B", "C" };

/* use_ex: bit i set -> waiter i uses GetQueuedCompletionStatusEx. */
static void run_lifo(int use_ex)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 16);
    struct waiter w[WAITERS];
    HANDLE threads[WAITERS], done[WAITERS];
    HANDLE never = CreateEventA(NULL, TRUE, FALSE, NULL);
    int received_by[WAITERS] = { -1, -1, -1 };
    int i, k;

    CHECK(port != NULL);
    for (i = 0; i < WAITERS; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].port = port;
        w[i].use_ex = (use_ex >> i) & 1;
        w[i].done = CreateEventA(NULL, TRUE, FALSE, NULL);
        done[i] = w[i].done;
        threads[i] = CreateThread(NULL, 0, waiter_main, &w[i], 0, NULL);
        CHECK(threads[i] != NULL);
        Sleep(100); /* waiter i is blocked in the port wait before i+1 starts */
    }
    /* Nobody has received anything yet. */
    CHECK_EQ(WaitForMultipleObjects(WAITERS, done, FALSE, 0), WAIT_TIMEOUT);

    for (k = 0; k < WAITERS; k++) {
        int expected = WAITERS - 1 - k;   /* C, then B, then A */
        DWORD which;
        CHECK(PostQueuedCompletionStatus(port, 0, (ULONG_PTR)(100 + k), (LPOVERLAPPED)(ULONG_PTR)(200 + k)));
        which = WaitForMultipleObjects(WAITERS, done, FALSE, 2000);
        /* Exactly one waiter was released per packet, and it got that packet. */
        CHECK(which < WAIT_OBJECT_0 + WAITERS);
        if (which >= WAIT_OBJECT_0 + WAITERS)
            break;
        received_by[k] = (int)(which - WAIT_OBJECT_0);
        CHECK(w[received_by[k]].ret);
        CHECK_EQ(w[received_by[k]].key, 100 + k);
        CHECK(w[received_by[k]].ov == (LPOVERLAPPED)(ULONG_PTR)(200 + k));
        /* The receiver exits; its slot gets a never-signalled event so it is not seen again. */
        CHECK_EQ(WaitForSingleObject(threads[received_by[k]], 2000), WAIT_OBJECT_0);
        done[received_by[k]] = never;
        printf("packet %d went to waiter %s (LIFO expects %s)\n", k, names[received_by[k]],
               names[expected]);
    }
    WINE_DEVIATION("Wine releases completion-port waiters in FIFO order, Windows in LIFO order") {
        for (k = 0; k < WAITERS; k++)
            CHECK_EQ(received_by[k], WAITERS - 1 - k);
    }
    for (i = 0; i < WAITERS; i++) {
        CHECK_EQ(WaitForSingleObject(threads[i], 2000), WAIT_OBJECT_0);
        CHECK(CloseHandle(threads[i]));
        CHECK(CloseHandle(w[i].done));
    }
    CHECK(CloseHandle(never));
    CHECK(CloseHandle(port));
}

static void test_lifo_get(void)
{
    TEST("LIFO: three GetQueuedCompletionStatus waiters are released C, B, A");
    run_lifo(0);
}

static void test_lifo_ex(void)
{
    TEST("LIFO: three GetQueuedCompletionStatusEx waiters are released C, B, A");
    run_lifo(7);
}

static void test_lifo_mixed(void)
{
    TEST("LIFO: Get and Ex waiters share one LIFO order (A Ex, B Get, C Ex)");
    run_lifo(5);
}

static void test_no_waiter_then_waiter(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 16);
    struct waiter w;
    HANDLE thread;

    TEST("a packet posted with no waiter stays queued and goes to the next caller");
    CHECK(PostQueuedCompletionStatus(port, 0, 77, NULL));
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.done = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, waiter_main, &w, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(w.done, 2000), WAIT_OBJECT_0);
    CHECK(w.ret);
    CHECK_EQ(w.key, 77);
    CHECK_EQ(WaitForSingleObject(thread, 2000), WAIT_OBJECT_0);
    CHECK(CloseHandle(thread));
    CHECK(CloseHandle(w.done));
    CHECK(CloseHandle(port));
}

int main(void)
{
    test_lifo_get();
    test_lifo_ex();
    test_lifo_mixed();
    test_no_waiter_then_waiter();
    return tl_finish();
}
