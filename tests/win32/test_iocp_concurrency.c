/* test_iocp_concurrency.c: the port's NumberOfConcurrentThreads limit.
 *
 * A thread that got a packet from a port counts as "running" on that port until it
 * calls Get again, blocks on something else, or exits. While the running count is at
 * the limit, a posted packet stays queued even though threads wait for it. When a running
 * thread blocks elsewhere, a waiter is released; when it calls Get again it takes the
 * next queued packet itself; when it exits, a waiter is released.
 *
 * Workers are driven by the packets: the "bytes" field of each packet says what the
 * receiving worker does with it (spin until told to go on, then Get again / block on an
 * event first / exit). Spinning is busy: the worker must not block, or it would stop
 * counting as running. Every spin and wait is bounded.
 *
 * Wine does not implement the limit (every waiter is released at once), so checks that
 * depend on it are WINE_DEVIATIONs; the rest (every packet delivered once, to a thread
 * that was free to take it) is checked everywhere.
 *
 * The limit-1 sequence runs twice: on a port with no device, and on a port with a socket
 * whose receive is pending, so that a waiting thread may be the one that waits for the
 * device's completions (the library's engine) rather than for posted packets only. Both
 * waiters must be released alike. */
#include <winsock2.h>
#include "testlib.h"

#define MAX_WORKERS 20
#define MAX_KEYS 64
#define STOP_KEY 999

enum action { ACT_RUN = 1, ACT_RUN_BLOCK = 2, ACT_RUN_EXIT = 3 };

struct worker {
    HANDLE port;
    int idx;
    volatile LONG proceed;   /* main adds one for each packet the worker may finish */
    HANDLE unblock;          /* ACT_RUN_BLOCK waits for this */
    HANDLE thread;
    volatile LONG alive;
};

static struct worker workers[MAX_WORKERS];
static volatile LONG got_by[MAX_KEYS];   /* worker index that received key k, or -1 */
static volatile LONG worker_errors;

static LONG load(volatile LONG *p)
{
    return InterlockedCompareExchange((LONG *)p, 0, 0);
}

static void reset_keys(void)
{
    int k;
    for (k = 0; k < MAX_KEYS; k++)
        InterlockedExchange((LONG *)&got_by[k], -1);
}

/* Busy-wait (no blocking call) until main allows this worker to go on. */
static int spin_until_proceed(struct worker *w)
{
    ULONGLONG deadline = GetTickCount64() + 5000;
    volatile unsigned sink = 0;
    while (load(&w->proceed) <= 0) {
        if (GetTickCount64() > deadline)
            return 0;
        sink++;
    }
    InterlockedDecrement((LONG *)&w->proceed);
    return 1;
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    struct worker *w = arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ov = NULL;
        if (!GetQueuedCompletionStatus(w->port, &bytes, &key, &ov, 5000)) {
            InterlockedIncrement((LONG *)&worker_errors);
            break;
        }
        if (key == STOP_KEY)
            break;
        if (key < MAX_KEYS)
            InterlockedExchange((LONG *)&got_by[key], w->idx);
        if (!spin_until_proceed(w)) {
            InterlockedIncrement((LONG *)&worker_errors);
            break;
        }
        if (bytes == ACT_RUN_BLOCK) {
            if (WaitForSingleObject(w->unblock, 5000) != WAIT_OBJECT_0) {
                InterlockedIncrement((LONG *)&worker_errors);
                break;
            }
        } else if (bytes == ACT_RUN_EXIT) {
            break;
        }
    }
    InterlockedExchange((LONG *)&w->alive, 0);
    return 0;
}

static void start_workers(HANDLE port, int n, DWORD pause_ms)
{
    int i;
    InterlockedExchange((LONG *)&worker_errors, 0);
    for (i = 0; i < n; i++) {
        struct worker *w = &workers[i];
        w->port = port;
        w->idx = i;
        w->proceed = 0;
        w->alive = 1;
        w->unblock = CreateEventA(NULL, FALSE, FALSE, NULL);
        w->thread = CreateThread(NULL, 0, worker_main, w, 0, NULL);
        CHECK(w->thread != NULL);
        if (pause_ms)
            Sleep(pause_ms);
    }
    Sleep(200); /* all of them are now blocked in GetQueuedCompletionStatus */
}

/* Posts one STOP per live worker and joins them all. */
static void stop_workers(HANDLE port, int n)
{
    int i, live = 0;
    for (i = 0; i < n; i++)
        live += load(&workers[i].alive) ? 1 : 0;
    for (i = 0; i < live; i++)
        CHECK(PostQueuedCompletionStatus(port, 0, STOP_KEY, NULL));
    for (i = 0; i < n; i++) {
        CHECK_EQ(WaitForSingleObject(workers[i].thread, 5000), WAIT_OBJECT_0);
        CHECK(CloseHandle(workers[i].thread));
        CHECK(CloseHandle(workers[i].unblock));
    }
    CHECK_EQ(load(&worker_errors), 0);
}

/* Polls until key k was received by someone; returns the worker index or -1. */
static int wait_for_key(int k, DWORD timeout_ms)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms;
    for (;;) {
        LONG who = load(&got_by[k]);
        if (who >= 0)
            return (int)who;
        if (GetTickCount64() > deadline)
            return -1;
        Sleep(5);
    }
}

static void let_go(int worker)
{
    if (worker >= 0 && worker < MAX_WORKERS)
        InterlockedIncrement((LONG *)&workers[worker].proceed);
}

/* A device on the port with a request in progress: a connected TCP pair whose `reader`
 * end, associated with the port, has a receive pending (nothing is ever sent). */
struct pending_device {
    SOCKET reader, writer;
    WSAOVERLAPPED ov;
    char byte;
};

static void device_start(struct pending_device *d, HANDLE port)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSABUF buf;
    DWORD flags = 0;

    memset(d, 0, sizeof(*d));
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(listener != INVALID_SOCKET);
    CHECK_EQ(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
    CHECK_EQ(listen(listener, 1), 0);
    d->writer = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(d->writer, (struct sockaddr *)&addr, sizeof(addr)), 0);
    d->reader = accept(listener, NULL, NULL);
    CHECK(d->reader != INVALID_SOCKET);
    closesocket(listener);
    CHECK(CreateIoCompletionPort((HANDLE)d->reader, port, MAX_KEYS + 1, 0) == port);
    buf.len = 1;
    buf.buf = &d->byte;
    CHECK_EQ(WSARecv(d->reader, &buf, 1, NULL, &flags, &d->ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

/* After the workers are gone: closing the reader ends its receive, whose packet the
 * port queues; take it before the structure goes (the request writes into it). */
static void device_stop(struct pending_device *d, HANDLE port)
{
    DWORD bytes = 1;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = NULL;
    CHECK_EQ(closesocket(d->reader), 0);
    /* (Its error code is not this test's business: Windows gives ERROR_OPERATION_ABORTED
     * or ERROR_CONNECTION_ABORTED, per Wine's ws2_32 test_completion_port.) */
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &ov, 5000));
    CHECK(ov == &d->ov);
    CHECK_EQ(key, MAX_KEYS + 1);
    CHECK_EQ(bytes, 0);
    CHECK_EQ(closesocket(d->writer), 0);
}

static void test_limit_one(BOOL with_device)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    int first, other, holder, rest;
    static struct pending_device device;

    CHECK(port != NULL);
    if (with_device) {
        TEST("limit 1, port with a device whose receive is pending");
        device_start(&device, port);
    }
    reset_keys();
    start_workers(port, 2, 100);

    TEST("limit 1: of two packets only one is handed out while its receiver runs");
    CHECK(PostQueuedCompletionStatus(port, ACT_RUN_BLOCK, 1, NULL));
    CHECK(PostQueuedCompletionStatus(port, ACT_RUN, 2, NULL));
    first = wait_for_key(1, 2000);
    CHECK(first >= 0);
    other = 1 - first;
    Sleep(200);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: the second waiter is released at once") {
        CHECK_EQ(load(&got_by[2]), -1);
        CHECK_EQ(WaitForSingleObject(port, 0), WAIT_OBJECT_0);   /* packet 2 still queued */
    }

    TEST("limit 1: when the running thread blocks elsewhere, the other waiter is released");
    let_go(first);   /* first now blocks in WaitForSingleObject(unblock) */
    CHECK_EQ(wait_for_key(2, 2000), other);
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_TIMEOUT);

    TEST("limit 1: a thread back from its block is over the limit; new packets wait");
    CHECK(SetEvent(workers[first].unblock));  /* first wakes and calls Get again */
    Sleep(100);
    CHECK(PostQueuedCompletionStatus(port, ACT_RUN_EXIT, 3, NULL));
    Sleep(200);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: packet 3 goes to the idle waiter at once") {
        CHECK_EQ(load(&got_by[3]), -1);
    }

    TEST("limit 1: the running thread calling Get again takes the queued packet itself");
    let_go(other);   /* other finishes packet 2 and calls Get again */
    holder = wait_for_key(3, 2000);
    CHECK(holder >= 0);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: packet 3 already went to the idle waiter") {
        CHECK_EQ(holder, other);
    }

    TEST("limit 1: a running thread that exits makes room: the waiter gets the next packet");
    rest = 1 - holder;
    CHECK(PostQueuedCompletionStatus(port, ACT_RUN, 4, NULL));
    Sleep(200);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: packet 4 goes to the idle waiter at once") {
        CHECK_EQ(load(&got_by[4]), -1);
    }
    let_go(holder);  /* holder exits (ACT_RUN_EXIT) */
    if (holder >= 0)
        CHECK_EQ(WaitForSingleObject(workers[holder].thread, 2000), WAIT_OBJECT_0);
    CHECK_EQ(wait_for_key(4, 2000), rest);

    let_go(rest);
    stop_workers(port, 2);
    if (with_device)
        device_stop(&device, port);
    CHECK(CloseHandle(port));
}

static void test_limit_two(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 2);
    int k, delivered = 0, third, finisher;

    CHECK(port != NULL);
    reset_keys();
    start_workers(port, 3, 50);

    TEST("limit 2, three waiters, three packets: two are released, one packet waits");
    for (k = 1; k <= 3; k++)
        CHECK(PostQueuedCompletionStatus(port, ACT_RUN, (ULONG_PTR)k, NULL));
    CHECK(wait_for_key(1, 2000) >= 0);
    CHECK(wait_for_key(2, 2000) >= 0);
    Sleep(200);
    for (k = 1; k <= 3; k++)
        delivered += load(&got_by[k]) >= 0 ? 1 : 0;
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: all three waiters are released") {
        CHECK_EQ(delivered, 2);
        CHECK_EQ(load(&got_by[3]), -1);
        CHECK_EQ(WaitForSingleObject(port, 0), WAIT_OBJECT_0);
    }

    TEST("limit 2: a runner that calls Get again takes the waiting packet");
    finisher = (int)load(&got_by[1]);
    let_go(finisher);
    third = wait_for_key(3, 2000);
    CHECK(third >= 0);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: packet 3 went to the third waiter at once") {
        CHECK_EQ(third, finisher);
    }

    let_go((int)load(&got_by[2]));
    let_go(third);
    stop_workers(port, 3);
    CHECK(CloseHandle(port));
}

static void test_zero_means_processors(void)
{
    SYSTEM_INFO si;
    HANDLE port;
    int n, k, delivered = 0;

    GetSystemInfo(&si);
    n = (int)si.dwNumberOfProcessors;
    TEST("limit 0 means one running thread per processor");
    if (n < 1 || n + 1 > MAX_WORKERS || n + 1 >= MAX_KEYS) {
        printf("   %d processors: too many for this test, not run\n", n);
        return;
    }
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);
    reset_keys();
    start_workers(port, n + 1, 0);
    for (k = 1; k <= n + 1; k++)
        CHECK(PostQueuedCompletionStatus(port, ACT_RUN, (ULONG_PTR)k, NULL));
    for (k = 1; k <= n; k++)
        CHECK(wait_for_key(k, 2000) >= 0);
    Sleep(200);
    for (k = 1; k <= n + 1; k++)
        delivered += load(&got_by[k]) >= 0 ? 1 : 0;
    printf("   %d processors, %d of %d packets handed out\n", n, delivered, n + 1);
    WINE_DEVIATION("Wine ignores NumberOfConcurrentThreads: every waiter is released") {
        CHECK_EQ(delivered, n);
    }
    /* Let everyone finish; the last packet is then taken and finished too. */
    for (k = 1; k <= n; k++)
        let_go((int)load(&got_by[k]));
    k = wait_for_key(n + 1, 2000);
    CHECK(k >= 0);
    let_go(k);
    stop_workers(port, n + 1);
    CHECK(CloseHandle(port));
}

int main(void)
{
    WSADATA wsa;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_limit_one(FALSE);
    test_limit_one(TRUE);
    test_limit_two();
    test_zero_means_processors();
    WSACleanup();
    return tl_finish();
}
