/* bench_rio.c: Winsock registered I/O (RIO) against overlapped WSARecv/WSASend on a
 * completion port, the same work in the same program (anchor: anchors/uring_rio.c, raw
 * liburing).
 *
 *   bench_rio [--quick] [--rounds N] [--only=NAME,...]
 *
 * Two TCP sockets connected over loopback (TCP_NODELAY), both driven by this one thread,
 * so that a figure is the cost of the requests and their completions, not of a hand-off
 * between threads (the machine may have two CPUs):
 *  *_pingpong_us    64 B: a receive stays posted on each end; A sends, the thread waits
 *                   for B's receive, reposts it, B sends back, it waits for A's receive
 *                   and reposts it: microseconds a round trip (two sends, two receives)
 *  *_stream_mbps    16 KiB sends from A, 8 in flight, into 8 receives of 16 KiB posted
 *                   on B; every completion issues the next: MB/s (10^6 bytes) received
 * each of them three ways:
 *  rio_poll_*       RIOSend/RIOReceive, completions taken by polling RIODequeueCompletion
 *                   (one completion queue for both request queues)
 *  rio_notify_*     the same, the thread sleeping in GetQueuedCompletionStatus until the
 *                   completion queue's RIONotify packet comes, then RIODequeueCompletion
 *  wsa_iocp_*       WSASend/WSARecv with OVERLAPPEDs, both sockets bound to one port,
 *                   completions taken by GetQueuedCompletionStatusEx(16)
 * The three run interleaved, round after round (5, 3 with --quick; each measurement
 * 0.5 s, 0.2 s with --quick, after a warm-up); each metric is the median over rounds.
 * A RIO that is not there (Wine) leaves its rows out with a note. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "bench_common.h"

/* The RIO declarations mingw-w64's headers lack (the test's). */
#include "../../tests/win32/rio_decls.h"

#define PING_BYTES 64
#define CHUNK (16 * 1024)
#define DEPTH 8
#define WAIT_MS 10000 /* no single wait may take longer: a stuck run fails, not hangs */

static RIO_EXTENSION_FUNCTION_TABLE rio;
static int have_rio;

static void fail(const char *what)
{
    fprintf(stderr, "bench_rio: %s failed (error %d, WSA %d)\n", what, (int)GetLastError(), WSAGetLastError());
    exit(1);
}

/* A connected loopback TCP pair, both ends made with `flags` (an accepted socket takes
 * its listener's). */
static void make_pair(DWORD flags, SOCKET *a, SOCKET *b)
{
    SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof(addr);
    if (listener == INVALID_SOCKET || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&addr, &length) != 0)
        fail("listener");
    *a = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    if (*a == INVALID_SOCKET || connect(*a, (struct sockaddr *)&addr, sizeof(addr)) != 0) fail("connect");
    *b = accept(listener, NULL, NULL);
    if (*b == INVALID_SOCKET) fail("accept");
    closesocket(listener);
    BOOL on = TRUE;
    setsockopt(*a, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof(on));
    setsockopt(*b, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof(on));
}

/* ---- RIO. Request contexts: 1 + end for a receive (end 0: A, 1: B), 3 + end for a
 * send; in the stream, sends are A's and receives B's. */
enum { RECV_A = 1, RECV_B = 2, SEND_A = 3, SEND_B = 4 };

struct rio_run {
    SOCKET a, b;
    RIO_CQ cq;
    RIO_RQ qa, qb;
    HANDLE port; /* notify mode: RIONotify's port, else NULL */
    OVERLAPPED notify_overlapped;
    char *memory;
    RIO_BUFFERID id;
    RIORESULT results[4 * DEPTH];
    ULONG have, next; /* results[next..have) not yet handled */
};

static void rio_open(struct rio_run *r, int notify)
{
    memset(r, 0, sizeof(*r));
    make_pair(WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO, &r->a, &r->b);
    /* A's and B's receive buffers, then the send buffers: DEPTH chunks each. */
    r->memory = (char *)VirtualAlloc(NULL, 4 * DEPTH * CHUNK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (r->memory == NULL) fail("VirtualAlloc");
    memset(r->memory, 'x', 4 * DEPTH * CHUNK);
    r->id = rio.RIORegisterBuffer(r->memory, 4 * DEPTH * CHUNK);
    if (r->id == RIO_INVALID_BUFFERID) fail("RIORegisterBuffer");
    RIO_NOTIFICATION_COMPLETION how;
    memset(&how, 0, sizeof(how));
    if (notify) {
        r->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
        how.Type = RIO_IOCP_COMPLETION;
        how.Iocp.IocpHandle = r->port;
        how.Iocp.CompletionKey = (PVOID)1;
        how.Iocp.Overlapped = &r->notify_overlapped;
    }
    r->cq = rio.RIOCreateCompletionQueue(4 * DEPTH, notify ? &how : NULL);
    if (r->cq == RIO_INVALID_CQ) fail("RIOCreateCompletionQueue");
    r->qa = rio.RIOCreateRequestQueue(r->a, DEPTH, 1, DEPTH, 1, r->cq, r->cq, NULL);
    r->qb = rio.RIOCreateRequestQueue(r->b, DEPTH, 1, DEPTH, 1, r->cq, r->cq, NULL);
    if (r->qa == RIO_INVALID_RQ || r->qb == RIO_INVALID_RQ) fail("RIOCreateRequestQueue");
}

static void rio_close(struct rio_run *r)
{
    closesocket(r->a);
    closesocket(r->b);
    rio.RIOCloseCompletionQueue(r->cq);
    rio.RIODeregisterBuffer(r->id);
    VirtualFree(r->memory, 0, MEM_RELEASE);
    if (r->port != NULL) CloseHandle(r->port);
}

static RIO_BUF rio_buf(struct rio_run *r, int area, int slot, ULONG length)
{
    RIO_BUF b;
    b.BufferId = r->id;
    b.Offset = (ULONG)((area * DEPTH + slot) * CHUNK);
    b.Length = length;
    return b;
}

/* The next completion, waiting as the mode says. */
static RIORESULT *rio_next(struct rio_run *r)
{
    if (r->next < r->have) return &r->results[r->next++];
    for (;;) {
        ULONG n = rio.RIODequeueCompletion(r->cq, r->results, 4 * DEPTH);
        if (n == RIO_CORRUPT_CQ) fail("RIODequeueCompletion");
        if (n != 0) {
            r->have = n;
            r->next = 1;
            return &r->results[0];
        }
        if (r->port != NULL) {
            if (rio.RIONotify(r->cq) != 0) fail("RIONotify");
            DWORD bytes;
            ULONG_PTR key;
            OVERLAPPED *overlapped;
            if (!GetQueuedCompletionStatus(r->port, &bytes, &key, &overlapped, WAIT_MS)) fail("RIONotify's packet");
        }
    }
}

static void rio_receive(struct rio_run *r, int end, int slot, ULONG length)
{
    RIO_BUF b = rio_buf(r, end, slot, length);
    if (!rio.RIOReceive(end ? r->qb : r->qa, &b, 1, 0, (PVOID)(ULONG_PTR)((RECV_A + end) | (slot << 8))))
        fail("RIOReceive");
}

static void rio_send(struct rio_run *r, int end, int slot, ULONG length)
{
    RIO_BUF b = rio_buf(r, 2 + end, slot, length);
    if (!rio.RIOSend(end ? r->qb : r->qa, &b, 1, 0, (PVOID)(ULONG_PTR)((SEND_A + end) | (slot << 8))))
        fail("RIOSend");
}

/* Waits for the receive of `end`, taking the sends' completions on the way. */
static void rio_wait_receive(struct rio_run *r, int end)
{
    for (;;) {
        RIORESULT *result = rio_next(r);
        if (result->Status != 0) fail("a RIO request");
        if ((result->RequestContext & 0xff) == (ULONGLONG)(RECV_A + end)) {
            if (result->BytesTransferred != PING_BYTES) fail("a whole ping");
            return;
        }
    }
}

static double rio_pingpong(int notify, double duration)
{
    struct rio_run r;
    rio_open(&r, notify);
    rio_receive(&r, 0, 0, PING_BYTES);
    rio_receive(&r, 1, 0, PING_BYTES);
    long rounds = 0;
    double start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) { /* warm-up, then the measurement */
        start = bench_seconds();
        rounds = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                rio_send(&r, 0, 0, PING_BYTES);
                rio_wait_receive(&r, 1);
                rio_receive(&r, 1, 0, PING_BYTES);
                rio_send(&r, 1, 0, PING_BYTES);
                rio_wait_receive(&r, 0);
                rio_receive(&r, 0, 0, PING_BYTES);
            }
            rounds += 64;
            elapsed = bench_seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    rio_close(&r);
    return elapsed * 1e6 / (double)rounds;
}

static double rio_stream(int notify, double duration)
{
    struct rio_run r;
    rio_open(&r, notify);
    for (int i = 0; i < DEPTH; ++i) {
        rio_receive(&r, 1, i, CHUNK);
        rio_send(&r, 0, i, CHUNK);
    }
    double received = 0, start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) {
        start = bench_seconds();
        received = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                RIORESULT *result = rio_next(&r);
                if (result->Status != 0) fail("a RIO request");
                int slot = (int)(result->RequestContext >> 8);
                if ((result->RequestContext & 0xff) == RECV_B) {
                    if (result->BytesTransferred == 0) fail("a receive of data");
                    received += result->BytesTransferred;
                    rio_receive(&r, 1, slot, CHUNK);
                } else {
                    rio_send(&r, 0, slot, CHUNK);
                }
            }
            elapsed = bench_seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    rio_close(&r);
    return received / elapsed / 1e6;
}

/* ---- overlapped WSARecv/WSASend on a completion port. Keys: 1 A, 2 B. */
struct wsa_op {
    OVERLAPPED overlapped; /* first: the entry's lpOverlapped is the op */
    int end, receive, slot;
    int busy; /* issued, its completion not yet taken */
    WSABUF buffer;
};

struct wsa_run {
    SOCKET a, b;
    HANDLE port;
    char *memory;
    struct wsa_op ops[4][DEPTH]; /* receives of A, of B, sends of A, of B */
    OVERLAPPED_ENTRY entries[4 * DEPTH];
    ULONG have, next;
    int received[2]; /* a receive of A, of B completed, not yet waited for */
};

static void wsa_open(struct wsa_run *w)
{
    memset(w, 0, sizeof(*w));
    make_pair(WSA_FLAG_OVERLAPPED, &w->a, &w->b);
    w->memory = (char *)VirtualAlloc(NULL, 4 * DEPTH * CHUNK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (w->memory == NULL) fail("VirtualAlloc");
    memset(w->memory, 'x', 4 * DEPTH * CHUNK);
    w->port = CreateIoCompletionPort((HANDLE)w->a, NULL, 1, 1);
    if (w->port == NULL || CreateIoCompletionPort((HANDLE)w->b, w->port, 2, 1) == NULL) fail("CreateIoCompletionPort");
    for (int area = 0; area < 4; ++area)
        for (int slot = 0; slot < DEPTH; ++slot) {
            struct wsa_op *op = &w->ops[area][slot];
            op->end = area & 1;
            op->receive = area < 2;
            op->slot = slot;
            op->buffer.buf = w->memory + (area * DEPTH + slot) * CHUNK;
        }
}

static void wsa_close(struct wsa_run *w)
{
    closesocket(w->a);
    closesocket(w->b);
    CloseHandle(w->port);
    VirtualFree(w->memory, 0, MEM_RELEASE);
}

static struct wsa_op *wsa_next(struct wsa_run *w, DWORD *bytes)
{
    if (w->next >= w->have) {
        ULONG n = 0;
        if (!GetQueuedCompletionStatusEx(w->port, w->entries, 4 * DEPTH, &n, WAIT_MS, FALSE)) fail("a completion");
        w->have = n;
        w->next = 0;
    }
    OVERLAPPED_ENTRY *entry = &w->entries[w->next++];
    struct wsa_op *op = (struct wsa_op *)entry->lpOverlapped;
    if (op->overlapped.Internal != 0) fail("a WSA request");
    *bytes = entry->dwNumberOfBytesTransferred;
    op->busy = 0;
    if (op->receive) w->received[op->end] = 1;
    return op;
}

static void wsa_issue(struct wsa_run *w, int receive, int end, int slot, ULONG length)
{
    struct wsa_op *op = &w->ops[(receive ? 0 : 2) + end][slot];
    DWORD bytes;
    while (op->busy) wsa_next(w, &bytes); /* its OVERLAPPED is free again once taken */
    op->busy = 1;
    memset(&op->overlapped, 0, sizeof(op->overlapped));
    op->buffer.len = length;
    SOCKET s = end ? w->b : w->a;
    DWORD flags = 0;
    int rc = receive ? WSARecv(s, &op->buffer, 1, NULL, &flags, &op->overlapped, NULL)
                     : WSASend(s, &op->buffer, 1, NULL, 0, &op->overlapped, NULL);
    if (rc != 0 && WSAGetLastError() != WSA_IO_PENDING) fail(receive ? "WSARecv" : "WSASend");
}

static void wsa_wait_receive(struct wsa_run *w, int end)
{
    DWORD bytes;
    while (!w->received[end]) {
        struct wsa_op *op = wsa_next(w, &bytes);
        if (op->receive && bytes != PING_BYTES) fail("a whole ping");
    }
    w->received[end] = 0;
}

static double wsa_pingpong(double duration)
{
    struct wsa_run w;
    wsa_open(&w);
    wsa_issue(&w, 1, 0, 0, PING_BYTES);
    wsa_issue(&w, 1, 1, 0, PING_BYTES);
    long rounds = 0;
    double start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) {
        start = bench_seconds();
        rounds = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                int slot = i & 1; /* two sends' OVERLAPPEDs an end, in turn */
                wsa_issue(&w, 0, 0, slot, PING_BYTES);
                wsa_wait_receive(&w, 1);
                wsa_issue(&w, 1, 1, 0, PING_BYTES);
                wsa_issue(&w, 0, 1, slot, PING_BYTES);
                wsa_wait_receive(&w, 0);
                wsa_issue(&w, 1, 0, 0, PING_BYTES);
            }
            rounds += 64;
            elapsed = bench_seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    wsa_close(&w);
    return elapsed * 1e6 / (double)rounds;
}

static double wsa_stream(double duration)
{
    struct wsa_run w;
    wsa_open(&w);
    for (int i = 0; i < DEPTH; ++i) {
        wsa_issue(&w, 1, 1, i, CHUNK);
        wsa_issue(&w, 0, 0, i, CHUNK);
    }
    double received = 0, start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) {
        start = bench_seconds();
        received = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                DWORD bytes;
                struct wsa_op *op = wsa_next(&w, &bytes);
                if (op->receive) {
                    if (bytes == 0) fail("a receive of data");
                    received += bytes;
                    wsa_issue(&w, 1, 1, op->slot, CHUNK);
                } else {
                    wsa_issue(&w, 0, 0, op->slot, CHUNK);
                }
            }
            elapsed = bench_seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    wsa_close(&w);
    return received / elapsed / 1e6;
}

/* ---- the runs. */
enum { PP_POLL, PP_NOTIFY, PP_WSA, ST_POLL, ST_NOTIFY, ST_WSA, KINDS };
static const char *const names[KINDS] = {"rio_poll_pingpong_us", "rio_notify_pingpong_us", "wsa_iocp_pingpong_us",
                                         "rio_poll_stream_mbps", "rio_notify_stream_mbps", "wsa_iocp_stream_mbps"};
static const char *const units[KINDS] = {"us", "us", "us", "MB/s", "MB/s", "MB/s"};

static double measure(int kind, double duration)
{
    switch (kind) {
    case PP_POLL: return rio_pingpong(0, duration);
    case PP_NOTIFY: return rio_pingpong(1, duration);
    case PP_WSA: return wsa_pingpong(duration);
    case ST_POLL: return rio_stream(0, duration);
    case ST_NOTIFY: return rio_stream(1, duration);
    default: return wsa_stream(duration);
    }
}

int main(int argc, char **argv)
{
    int quick = bench_duration(argc, argv) < 1.0;
    double duration = quick ? 0.2 : 0.5;
    int rounds = quick ? 3 : 5;
    const char *only = NULL;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
    }
    if (rounds < 1 || rounds > 99) rounds = 5;
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) fail("WSAStartup");

    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    GUID guid = WSAID_MULTIPLE_RIO;
    DWORD returned = 0;
    memset(&rio, 0, sizeof(rio));
    rio.cbSize = sizeof(rio);
    have_rio = s != INVALID_SOCKET && WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                                               &rio, sizeof(rio), &returned, NULL, NULL) == 0;
    if (s != INVALID_SOCKET) closesocket(s);
    if (!have_rio) printf("NOTE registered I/O is not available here (WSA %d): the rio_* rows are left out\n", WSAGetLastError());

    double values[KINDS][99];
    int wanted[KINDS];
    for (int k = 0; k < KINDS; ++k) { /* --only=A,B: the metrics whose names hold A or B */
        wanted[k] = only == NULL;
        for (const char *item = only; item != NULL && *item != 0; item += strcspn(item, ",") + (strchr(item, ',') != NULL)) {
            char part[64];
            size_t length = strcspn(item, ",");
            if (length == 0 || length >= sizeof(part)) continue;
            memcpy(part, item, length);
            part[length] = 0;
            if (strstr(names[k], part) != NULL) wanted[k] = 1;
        }
        if (!have_rio && strncmp(names[k], "rio", 3) == 0) wanted[k] = 0;
    }
    for (int round = 0; round < rounds; ++round)
        for (int k = 0; k < KINDS; ++k)
            if (wanted[k]) values[k][round] = measure(k, duration);
    for (int k = 0; k < KINDS; ++k)
        if (wanted[k]) bench_metric(names[k], bench_median(values[k], rounds), units[k]);
    WSACleanup();
    return 0;
}
