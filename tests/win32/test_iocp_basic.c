/* test_iocp_basic.c: the single-threaded contract of an I/O completion port.
 *
 * Covers: creating ports; PostQueuedCompletionStatus / GetQueuedCompletionStatus
 * round trips (bytes, key and OVERLAPPED* come back exactly as posted, the pointer is
 * never dereferenced); FIFO order; timeouts (zero and non-zero); bad handles;
 * GetQueuedCompletionStatusEx batching; alertable and non-alertable waits with user
 * APCs; the port as a waitable object; binding a handle that is not a device, and
 * passing INVALID_HANDLE_VALUE together with an existing port. */
#include "testlib.h"

#define SENTINEL_OV ((LPOVERLAPPED)(ULONG_PTR)0xdeadbeef)

static HANDLE new_port(DWORD threads)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, threads);
    CHECK(port != NULL);
    return port;
}

/* One GetQueuedCompletionStatus call with all out-params pre-filled with sentinels. */
struct got {
    BOOL ret;
    DWORD error;
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
};

static struct got get_one(HANDLE port, DWORD timeout)
{
    struct got g;
    g.bytes = 0xdeadbeef;
    g.key = (ULONG_PTR)0xdeadbeef;
    g.ov = SENTINEL_OV;
    SetLastError(0xdeadbeef);
    g.ret = GetQueuedCompletionStatus(port, &g.bytes, &g.key, &g.ov, timeout);
    g.error = GetLastError();
    return g;
}

static void test_create(void)
{
    HANDLE p0, p1, p8;
    TEST("create: NumberOfConcurrentThreads 0, 1 and 8 give distinct ports");
    p0 = new_port(0);
    p1 = new_port(1);
    p8 = new_port(8);
    CHECK(p0 != INVALID_HANDLE_VALUE);
    CHECK(p1 != INVALID_HANDLE_VALUE);
    CHECK(p0 != p1);
    CHECK(p1 != p8);
    CHECK(CloseHandle(p0));
    CHECK(CloseHandle(p1));
    CHECK(CloseHandle(p8));
}

static void test_roundtrip(void)
{
    HANDLE port = new_port(0);
    OVERLAPPED real;
    struct got g;

    TEST("roundtrip: a real OVERLAPPED comes back as the same pointer, untouched");
    memset(&real, 0x5a, sizeof(real));
    CHECK(PostQueuedCompletionStatus(port, 1234, 0xabcd, &real));
    g = get_one(port, 1000);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 1234);
    CHECK_EQ(g.key, 0xabcd);
    CHECK(g.ov == &real);
    CHECK_EQ(((unsigned char *)&real)[0], 0x5a);
    CHECK_EQ(((unsigned char *)&real)[sizeof(real) - 1], 0x5a);

    TEST("roundtrip: NULL OVERLAPPED and zero values succeed");
    CHECK(PostQueuedCompletionStatus(port, 0, 0, NULL));
    g = get_one(port, 1000);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 0);
    CHECK_EQ(g.key, 0);
    CHECK(g.ov == NULL);

    TEST("roundtrip: arbitrary pointer values and extreme numbers are opaque");
    CHECK(PostQueuedCompletionStatus(port, 0xffffffff, ~(ULONG_PTR)0, (LPOVERLAPPED)(ULONG_PTR)1));
    CHECK(PostQueuedCompletionStatus(port, 7, 0x8000, (LPOVERLAPPED)(ULONG_PTR)0x12345677));
    g = get_one(port, 1000);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 0xffffffff);
    CHECK_EQ(g.key, ~(ULONG_PTR)0);
    CHECK(g.ov == (LPOVERLAPPED)(ULONG_PTR)1);
    g = get_one(port, 1000);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 7);
    CHECK_EQ(g.key, 0x8000);
    CHECK(g.ov == (LPOVERLAPPED)(ULONG_PTR)0x12345677);

    CHECK(CloseHandle(port));
}

static void test_fifo(void)
{
    HANDLE port = new_port(1);
    int i, in_order = 1, posted_all = 1;
    struct got g;

    TEST("fifo: 1000 packets come out in the order they were posted");
    for (i = 0; i < 1000 && posted_all; i++)
        posted_all = PostQueuedCompletionStatus(port, (DWORD)i, (ULONG_PTR)(i * 3),
                                                (LPOVERLAPPED)(ULONG_PTR)(i + 1));
    CHECK(posted_all);
    for (i = 0; i < 1000; i++) {
        g = get_one(port, 0);
        if (!g.ret || g.bytes != (DWORD)i || g.key != (ULONG_PTR)(i * 3) ||
            g.ov != (LPOVERLAPPED)(ULONG_PTR)(i + 1)) {
            printf("packet %d: ret %d bytes %lu key %lu\n", i, g.ret, (unsigned long)g.bytes,
                   (unsigned long)g.key);
            in_order = 0;
            break;
        }
    }
    CHECK(in_order);
    g = get_one(port, 0);
    CHECK(!g.ret);
    CHECK_EQ(g.error, WAIT_TIMEOUT);
    CHECK(CloseHandle(port));
}

static void test_empty_timeouts(void)
{
    HANDLE port = new_port(0);
    struct got g;
    ULONGLONG start, elapsed;

    TEST("empty port, timeout 0: FALSE, WAIT_TIMEOUT, *lpOverlapped NULL");
    /* bytes and key are documented as indeterminate when nothing was dequeued,
     * so only the OVERLAPPED* is checked. */
    g = get_one(port, 0);
    CHECK(!g.ret);
    CHECK_EQ(g.error, WAIT_TIMEOUT);
    CHECK(g.ov == NULL);

    TEST("empty port, timeout 300 ms: waits about that long, then WAIT_TIMEOUT");
    start = GetTickCount64();
    g = get_one(port, 300);
    elapsed = GetTickCount64() - start;
    CHECK(!g.ret);
    CHECK_EQ(g.error, WAIT_TIMEOUT);
    CHECK(g.ov == NULL);
    CHECK(elapsed >= 250);
    CHECK(elapsed < 3000);
    if (elapsed < 250 || elapsed >= 3000)
        printf("elapsed %lu ms\n", (unsigned long)elapsed);

    CHECK(CloseHandle(port));
}

#ifndef IO_COMPLETION_QUERY_STATE /* winnt.h's; mingw-w64 lacks it */
#define IO_COMPLETION_QUERY_STATE 0x0001
#endif

static void test_bad_handles(void)
{
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE bad[3];
    const char *names[3] = { "NULL", "an event", "INVALID_HANDLE_VALUE (the process)" };
    int i;
    struct got g;
    BOOL ret;

    bad[0] = NULL;
    bad[1] = event;
    bad[2] = INVALID_HANDLE_VALUE;
    for (i = 0; i < 3; i++) {
        printf("-- bad handles: %s as the port: Get and Post fail with ERROR_INVALID_HANDLE\n", names[i]);
        g = get_one(bad[i], 0);
        CHECK(!g.ret);
        CHECK_EQ(g.error, ERROR_INVALID_HANDLE);
        CHECK(g.ov == NULL);

        SetLastError(0xdeadbeef);
        ret = PostQueuedCompletionStatus(bad[i], 1, 2, NULL);
        CHECK(!ret);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
    /* The event was not signalled or otherwise disturbed by being used as a port. */
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(event));

    /* NT's NtSetIoCompletion and NtRemoveIoCompletion ask for IO_COMPLETION_MODIFY_STATE
     * (Wine's server too): a handle that may only wait on the port can neither post nor
     * take a packet; the packet stays for a handle that may. */
    printf("-- bad handles: a port handle without IO_COMPLETION_MODIFY_STATE: ERROR_ACCESS_DENIED\n");
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE wait_only = NULL;
    OVERLAPPED_ENTRY entry;
    ULONG removed = 0;
    CHECK(DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &wait_only,
                          SYNCHRONIZE | IO_COMPLETION_QUERY_STATE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!PostQueuedCompletionStatus(wait_only, 1, 2, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(PostQueuedCompletionStatus(port, 5, 6, NULL));
    CHECK_EQ(WaitForSingleObject(wait_only, 0), WAIT_OBJECT_0);
    g = get_one(wait_only, 0);
    CHECK(!g.ret);
    CHECK_EQ(g.error, ERROR_ACCESS_DENIED);
    CHECK(g.ov == NULL);
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatusEx(wait_only, &entry, 1, &removed, 0, FALSE));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    g = get_one(port, 0);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 5);
    CHECK_EQ(g.key, 6);
    CHECK(CloseHandle(wait_only));
    CHECK(CloseHandle(port));
}

static void test_ex_batches(void)
{
    HANDLE port = new_port(0);
    OVERLAPPED_ENTRY entries[16];
    ULONG removed, i;
    BOOL ret;

    TEST("Ex: ulCount limits the batch; entries come out in FIFO order");
    for (i = 0; i < 10; i++)
        CHECK(PostQueuedCompletionStatus(port, 100 + i, 200 + i, (LPOVERLAPPED)(ULONG_PTR)(300 + i)));
    memset(entries, 0xcc, sizeof(entries));
    removed = 0xdeadbeef;
    ret = GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE);
    CHECK(ret);
    CHECK_EQ(removed, 4);
    for (i = 0; i < 4; i++) {
        CHECK_EQ(entries[i].dwNumberOfBytesTransferred, 100 + i);
        CHECK_EQ(entries[i].lpCompletionKey, 200 + i);
        CHECK(entries[i].lpOverlapped == (LPOVERLAPPED)(ULONG_PTR)(300 + i));
    }
    /* Entries past the limit are not written. */
    CHECK_EQ(entries[4].dwNumberOfBytesTransferred, 0xcccccccc);

    TEST("Ex: asks for 16, gets the 6 that remain, without waiting for more");
    removed = 0xdeadbeef;
    ret = GetQueuedCompletionStatusEx(port, entries, 16, &removed, 2000, FALSE);
    CHECK(ret);
    CHECK_EQ(removed, 6);
    for (i = 0; i < 6 && i < removed; i++) {
        CHECK_EQ(entries[i].dwNumberOfBytesTransferred, 104 + i);
        CHECK_EQ(entries[i].lpCompletionKey, 204 + i);
        CHECK(entries[i].lpOverlapped == (LPOVERLAPPED)(ULONG_PTR)(304 + i));
    }

    TEST("Ex: NULL OVERLAPPED packets are delivered too");
    CHECK(PostQueuedCompletionStatus(port, 5, 6, NULL));
    removed = 0xdeadbeef;
    ret = GetQueuedCompletionStatusEx(port, entries, 16, &removed, 0, FALSE);
    CHECK(ret);
    CHECK_EQ(removed, 1);
    CHECK_EQ(entries[0].dwNumberOfBytesTransferred, 5);
    CHECK_EQ(entries[0].lpCompletionKey, 6);
    CHECK(entries[0].lpOverlapped == NULL);

    TEST("Ex: empty port, timeout 0: FALSE, WAIT_TIMEOUT");
    SetLastError(0xdeadbeef);
    ret = GetQueuedCompletionStatusEx(port, entries, 16, &removed, 0, FALSE);
    CHECK(!ret);
    CHECK_ERROR(WAIT_TIMEOUT);

    TEST("Ex: a bad port handle fails with ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    ret = GetQueuedCompletionStatusEx(NULL, entries, 16, &removed, 0, FALSE);
    CHECK(!ret);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("Ex and plain Get share one queue");
    CHECK(PostQueuedCompletionStatus(port, 1, 1, NULL));
    CHECK(PostQueuedCompletionStatus(port, 2, 2, NULL));
    {
        struct got g = get_one(port, 0);
        CHECK(g.ret);
        CHECK_EQ(g.key, 1);
    }
    removed = 0xdeadbeef;
    ret = GetQueuedCompletionStatusEx(port, entries, 16, &removed, 0, FALSE);
    CHECK(ret);
    CHECK_EQ(removed, 1);
    CHECK_EQ(entries[0].lpCompletionKey, 2);

    CHECK(CloseHandle(port));
}

/* APCs: QueueUserAPC needs a thread handle, so the waits run on a worker thread. */
static volatile LONG apc_runs;
static volatile ULONG_PTR apc_param;

static void CALLBACK count_apc(ULONG_PTR param)
{
    apc_param = param;
    InterlockedIncrement(&apc_runs);
}

struct apc_worker {
    HANDLE port;
    HANDLE go;          /* the worker waits (non-alertably) for this before the port wait */
    int use_ex;
    BOOL alertable;
    DWORD timeout;
    /* results */
    BOOL ret;
    DWORD error;
    ULONG removed;
    LPOVERLAPPED ov;
    LONG apc_runs_after_wait;
    DWORD sleepex_ret;
    LONG apc_runs_after_sleepex;
    ULONGLONG elapsed;
};

static DWORD WINAPI apc_worker_main(LPVOID arg)
{
    struct apc_worker *w = arg;
    OVERLAPPED_ENTRY entries[4];
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    ULONGLONG start;

    if (w->go != NULL && WaitForSingleObject(w->go, 5000) != WAIT_OBJECT_0)
        return 1;
    start = GetTickCount64();
    w->ov = SENTINEL_OV;
    w->removed = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    if (w->use_ex)
        w->ret = GetQueuedCompletionStatusEx(w->port, entries, 4, &w->removed, w->timeout, w->alertable);
    else
        w->ret = GetQueuedCompletionStatus(w->port, &bytes, &key, &w->ov, w->timeout);
    w->error = GetLastError();
    w->elapsed = GetTickCount64() - start;
    w->apc_runs_after_wait = apc_runs;
    /* Whatever is still pending runs now. */
    w->sleepex_ret = SleepEx(0, TRUE);
    w->apc_runs_after_sleepex = apc_runs;
    return 0;
}

static void run_apc_worker(struct apc_worker *w, int queue_before_wait)
{
    HANDLE thread;
    apc_runs = 0;
    apc_param = 0;
    w->go = queue_before_wait ? CreateEventA(NULL, TRUE, FALSE, NULL) : NULL;
    thread = CreateThread(NULL, 0, apc_worker_main, w, 0, NULL);
    CHECK(thread != NULL);
    if (thread == NULL)
        return;
    if (queue_before_wait) {
        /* The worker is blocked in a non-alertable wait for `go`: the APC stays queued. */
        Sleep(50);
        CHECK(QueueUserAPC(count_apc, thread, 42));
        Sleep(50);
        CHECK_EQ(apc_runs, 0);
        CHECK(SetEvent(w->go));
    } else {
        Sleep(100); /* the worker is now inside the port wait */
        CHECK(QueueUserAPC(count_apc, thread, 42));
    }
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK(CloseHandle(thread));
    if (w->go != NULL)
        CHECK(CloseHandle(w->go));
}

static void test_apcs(void)
{
    HANDLE port = new_port(0);
    struct apc_worker w;

    TEST("alertable Ex, APC queued during the wait: APC runs, FALSE + WAIT_IO_COMPLETION");
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.use_ex = 1;
    w.alertable = TRUE;
    w.timeout = 3000;
    run_apc_worker(&w, 0);
    CHECK(!w.ret);
    CHECK_EQ(w.error, WAIT_IO_COMPLETION);
    CHECK_EQ(w.apc_runs_after_wait, 1);
    CHECK_EQ(apc_param, 42);
    CHECK(w.elapsed < 2000);

    TEST("alertable Ex, APC already pending on entry: returns at once with WAIT_IO_COMPLETION");
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.use_ex = 1;
    w.alertable = TRUE;
    w.timeout = 3000;
    run_apc_worker(&w, 1);
    CHECK(!w.ret);
    CHECK_EQ(w.error, WAIT_IO_COMPLETION);
    CHECK_EQ(w.apc_runs_after_wait, 1);
    CHECK(w.elapsed < 2000);

    TEST("non-alertable Get: APC does not run, the wait times out; SleepEx runs it later");
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.use_ex = 0;
    w.timeout = 400;
    run_apc_worker(&w, 0);
    CHECK(!w.ret);
    CHECK_EQ(w.error, WAIT_TIMEOUT);
    CHECK(w.ov == NULL);
    CHECK_EQ(w.apc_runs_after_wait, 0);
    CHECK(w.elapsed >= 300);
    CHECK_EQ(w.sleepex_ret, WAIT_IO_COMPLETION);
    CHECK_EQ(w.apc_runs_after_sleepex, 1);

    TEST("non-alertable Ex: APC does not run, the wait times out");
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.use_ex = 1;
    w.alertable = FALSE;
    w.timeout = 400;
    run_apc_worker(&w, 1);
    CHECK(!w.ret);
    CHECK_EQ(w.error, WAIT_TIMEOUT);
    CHECK_EQ(w.apc_runs_after_wait, 0);
    CHECK(w.elapsed >= 300);
    CHECK_EQ(w.sleepex_ret, WAIT_IO_COMPLETION);
    CHECK_EQ(w.apc_runs_after_sleepex, 1);

    TEST("non-alertable Get with a packet waiting: packet returned, APC still pending");
    memset(&w, 0, sizeof(w));
    w.port = port;
    w.use_ex = 0;
    w.timeout = 1000;
    CHECK(PostQueuedCompletionStatus(port, 1, 2, (LPOVERLAPPED)(ULONG_PTR)3));
    run_apc_worker(&w, 1);
    CHECK(w.ret);
    CHECK(w.ov == (LPOVERLAPPED)(ULONG_PTR)3);
    CHECK_EQ(w.apc_runs_after_wait, 0);
    CHECK_EQ(w.apc_runs_after_sleepex, 1);

    CHECK(CloseHandle(port));
}

static void test_waitable(void)
{
    HANDLE port = new_port(0);
    HANDLE both[2];
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    struct got g;

    TEST("waitable: an empty port is not signalled");
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_TIMEOUT);

    TEST("waitable: a port with a packet is signalled, and waiting does not consume it");
    CHECK(PostQueuedCompletionStatus(port, 9, 8, (LPOVERLAPPED)(ULONG_PTR)7));
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_OBJECT_0);
    both[0] = event;
    both[1] = port;
    CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, 0), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, 0), WAIT_OBJECT_0 + 1);
    g = get_one(port, 0);
    CHECK(g.ret);
    CHECK_EQ(g.bytes, 9);
    CHECK_EQ(g.key, 8);
    CHECK(g.ov == (LPOVERLAPPED)(ULONG_PTR)7);

    TEST("waitable: not signalled again once the queue is drained");
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_TIMEOUT);
    g = get_one(port, 0);
    CHECK(!g.ret);
    CHECK_EQ(g.error, WAIT_TIMEOUT);

    CHECK(CloseHandle(event));
    CHECK(CloseHandle(port));
}

static void test_binding(void)
{
    HANDLE port = new_port(0);
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE other = new_port(0);
    HANDLE ret;
    struct got g;

    TEST("binding: an event is not a device: new port not created, ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    ret = CreateIoCompletionPort(event, NULL, 1, 0);
    CHECK(ret == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("binding: an event to an existing port fails the same way, the port still works");
    SetLastError(0xdeadbeef);
    ret = CreateIoCompletionPort(event, port, 1, 0);
    CHECK(ret == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("binding: another port is not a device either");
    SetLastError(0xdeadbeef);
    ret = CreateIoCompletionPort(other, port, 1, 0);
    CHECK(ret == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    CHECK(PostQueuedCompletionStatus(port, 3, 4, NULL));
    g = get_one(port, 0);
    CHECK(g.ret);
    CHECK_EQ(g.key, 4);

    TEST("INVALID_HANDLE_VALUE with an existing port: NULL, ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    ret = CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 5, 0);
    CHECK(ret == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(PostQueuedCompletionStatus(port, 3, 6, NULL));
    g = get_one(port, 0);
    CHECK(g.ret);
    CHECK_EQ(g.key, 6);

    CHECK(CloseHandle(other));
    CHECK(CloseHandle(event));
    CHECK(CloseHandle(port));
}


static void test_more_bad_input_and_failed_packets(void)
{
    TEST("CreateIoCompletionPort: NULL or a bad value as the file: ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(NULL, NULL, 0, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort((HANDLE)0xdeadbee0, NULL, 5, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(INVALID_HANDLE_VALUE, (HANDLE)0xdeadbee0, 5, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    /* NT's NtRemoveIoCompletionEx probes the array and the count's address (a NULL one:
     * STATUS_ACCESS_VIOLATION); Wine answers the same. */
    TEST("GetQueuedCompletionStatusEx with no array or no count: ERROR_NOACCESS");
    HANDLE queued = new_port(0);
    OVERLAPPED_ENTRY one;
    ULONG taken = 7;
    CHECK(PostQueuedCompletionStatus(queued, 3, 4, NULL));
    CHECK(PostQueuedCompletionStatus(queued, 3, 4, NULL));
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatusEx(queued, NULL, 1, &taken, 0, FALSE));
    CHECK_ERROR(ERROR_NOACCESS);
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatusEx(queued, &one, 1, NULL, 0, FALSE));
    CHECK_ERROR(ERROR_NOACCESS);
    CloseHandle(queued);

    TEST("CreateIoCompletionPort: any NumberOfConcurrentThreads makes a port");
    HANDLE many = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0xffffffff);
    CHECK(many != NULL);
    CloseHandle(many);

    TEST("GetQueuedCompletionStatus on the process pseudo handle: ERROR_INVALID_HANDLE");
    struct got g = get_one(GetCurrentProcess(), 0);
    CHECK(!g.ret);
    CHECK_EQ(g.error, ERROR_INVALID_HANDLE);

    TEST("empty port: GetQueuedCompletionStatus leaves the byte count and the key alone");
    HANDLE port = new_port(0);
    DWORD bytes = 5;
    ULONG_PTR key = 6;
    LPOVERLAPPED ov = SENTINEL_OV;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK_EQ(bytes, 5);
    CHECK_EQ(key, 6);
    CHECK(ov == NULL);

    /* A request that fails: Get returns FALSE with its OVERLAPPED, key and the error;
     * Ex returns TRUE with the status in the entry's Internal. */
    TEST("a failed request's packet: Get FALSE with ERROR_HANDLE_EOF and the OVERLAPPED; Ex TRUE, Internal the status");
    char path[MAX_PATH];
    GetTempPathA(MAX_PATH, path);
    strcat(path, "ovl-iocp-basic-eof.tmp");
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(CreateIoCompletionPort(file, port, 77, 0) == port);
    OVERLAPPED o;
    char buffer[16];
    memset(&o, 0, sizeof o);
    o.Offset = 100;
    SetLastError(0xdeadbeef);
    BOOL done = ReadFile(file, buffer, sizeof buffer, NULL, &o);
    CHECK(!done && (GetLastError() == ERROR_IO_PENDING || GetLastError() == ERROR_HANDLE_EOF));
    g = get_one(port, 2000);
    CHECK(!g.ret);
    CHECK_EQ(g.error, ERROR_HANDLE_EOF);
    CHECK(g.ov == &o);
    CHECK_EQ(g.key, 77);
    CHECK_EQ(g.bytes, 0);
    CHECK_EQ(o.Internal, 0xC0000011); /* STATUS_END_OF_FILE */
    memset(&o, 0, sizeof o);
    o.Offset = 100;
    ReadFile(file, buffer, sizeof buffer, NULL, &o);
    OVERLAPPED_ENTRY entry;
    ULONG removed = 0;
    SetLastError(0xdeadbeef);
    CHECK(GetQueuedCompletionStatusEx(port, &entry, 1, &removed, 2000, FALSE));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(removed, 1);
    CHECK(entry.lpOverlapped == &o);
    CHECK_EQ(entry.lpCompletionKey, 77);
    CHECK_EQ((DWORD)entry.Internal, 0xC0000011); /* an NTSTATUS: the low 32 bits */

    TEST("an event handle with its low bit set keeps the request's packet off the port");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(&o, 0, sizeof o);
    o.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    done = WriteFile(file, "abc", 3, NULL, &o);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    g = get_one(port, 100);
    CHECK(!g.ret);
    CHECK_EQ(g.error, WAIT_TIMEOUT);
    CloseHandle(event);
    CloseHandle(file);
    CloseHandle(port);
}

int main(void)
{
    test_create();
    test_roundtrip();
    test_fifo();
    test_empty_timeouts();
    test_bad_handles();
    test_ex_batches();
    test_apcs();
    test_waitable();
    test_binding();
    test_more_bad_input_and_failed_packets();
    return tl_finish();
}
