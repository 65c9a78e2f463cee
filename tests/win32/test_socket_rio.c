/* test_socket_rio.c: Winsock registered I/O (RIO), reached as programs reach it:
 * WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) on a socket
 * made with WSA_FLAG_REGISTERED_IO.
 *
 * The function table and its size; buffer registration and RIO_BUFs outside their
 * region; completion and request queue creation and their refusals; TCP loopback:
 * receives posted before the data, sends, contexts and byte counts, a full request queue
 * (WSAENOBUFS until the completion is dequeued); RIONotify with an event (NotifyReset,
 * a second RIONotify while armed: WSAEALREADY, RIO_MSG_DONT_NOTIFY) and with a completion
 * port (its key and OVERLAPPED); RIO_MSG_DEFER and RIO_MSG_COMMIT_ONLY; UDP with
 * RIOReceiveEx / RIOSendEx addresses and RIOReceiveEx's flags; queue resizing; a closed
 * completion queue a request queue still names (invalid);
 * closesocket with receives outstanding (each ends aborted in the completion queue);
 * data buffers of 4 GiB in all.
 * Every wait is bounded.
 * Sources: Microsoft Learn's pages of each RIO function (LPFN_RIO*), of RIORESULT and of
 * RIO_NOTIFICATION_COMPLETION. */
#include "sockex_common.h"

#include "rio_decls.h"

#define RIO_SOCKET_FLAGS (WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO)
#define WAIT_MS 5000

static RIO_EXTENSION_FUNCTION_TABLE rio;

/* The memory every test's buffers come from, registered once. */
static char memory[4096];
static RIO_BUFFERID memory_id;

static RIO_BUF part(ULONG offset, ULONG length)
{
    RIO_BUF b;
    b.BufferId = memory_id;
    b.Offset = offset;
    b.Length = length;
    return b;
}

static SOCKET rio_socket(int type)
{
    SOCKET s = WSASocketW(AF_INET, type, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP, NULL, 0,
                          RIO_SOCKET_FLAGS);
    CHECK(s != INVALID_SOCKET);
    return s;
}

/* A connected TCP pair: `client` made with WSA_FLAG_REGISTERED_IO, `server` a plain
 * socket the test sends and receives on. */
static void rio_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = sx_listener(&addr, 1);
    *client = rio_socket(SOCK_STREAM);
    CHECK_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *server = sx_accept(listener, WAIT_MS);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

/* Dequeues until `wanted` results have come (or WAIT_MS passed); returns how many. */
static ULONG dequeue_wait(RIO_CQ cq, RIORESULT *results, ULONG wanted)
{
    ULONG got = 0;
    DWORD start = GetTickCount();
    while (got < wanted && GetTickCount() - start < WAIT_MS) {
        ULONG n = rio.RIODequeueCompletion(cq, results + got, wanted - got);
        if (n == RIO_CORRUPT_CQ) {
            CHECK(n != RIO_CORRUPT_CQ);
            break;
        }
        got += n;
        if (got < wanted)
            Sleep(1);
    }
    return got;
}

/* Nothing more comes in `ms` milliseconds. */
static int stays_empty(RIO_CQ cq, DWORD ms)
{
    RIORESULT r;
    DWORD start = GetTickCount();
    while (GetTickCount() - start < ms) {
        if (rio.RIODequeueCompletion(cq, &r, 1) != 0)
            return 0;
        Sleep(5);
    }
    return 1;
}

static int load_table(void)
{
    SOCKET s = rio_socket(SOCK_STREAM);
    GUID id = WSAID_MULTIPLE_RIO, other = WSAID_ACCEPTEX;
    DWORD bytes = 0xdeadbeef;
    RIO_EXTENSION_FUNCTION_TABLE small;
    int ret, ok;

    TEST("function table");
    memset(&rio, 0, sizeof(rio));
    rio.cbSize = sizeof(rio);
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &rio, sizeof(rio), &bytes,
                   NULL, NULL);
    ok = ret == 0;
    WINE_DEVIATION("Wine's ws2_32 has no registered I/O (WSAID_MULTIPLE_RIO)")
    {
        CHECK_EQ(ret, 0);
        CHECK_EQ(bytes, sizeof(rio));
        CHECK_EQ(rio.cbSize, sizeof(rio));
        CHECK(rio.RIOReceive != NULL && rio.RIOReceiveEx != NULL && rio.RIOSend != NULL && rio.RIOSendEx != NULL);
        CHECK(rio.RIOCloseCompletionQueue != NULL && rio.RIOCreateCompletionQueue != NULL);
        CHECK(rio.RIOCreateRequestQueue != NULL && rio.RIODequeueCompletion != NULL);
        CHECK(rio.RIODeregisterBuffer != NULL && rio.RIONotify != NULL && rio.RIORegisterBuffer != NULL);
        CHECK(rio.RIOResizeCompletionQueue != NULL && rio.RIOResizeRequestQueue != NULL);
        /* Another GUID with this code: WSAEINVAL; no room for the table: WSAEFAULT. */
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &other, sizeof(other), &small,
                          sizeof(small), &bytes, NULL, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &small,
                          sizeof(DWORD) + sizeof(void *), &bytes, NULL, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
    closesocket(s);
    return ok;
}

static void test_buffers(void)
{
    RIO_BUFFERID id;

    TEST("buffer registration");
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIORegisterBuffer(NULL, 16) == RIO_INVALID_BUFFERID);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIORegisterBuffer(memory, 0) == RIO_INVALID_BUFFERID);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    memory_id = rio.RIORegisterBuffer(memory, sizeof(memory));
    CHECK(memory_id != RIO_INVALID_BUFFERID);
    id = rio.RIORegisterBuffer(memory + 100, 100);
    CHECK(id != RIO_INVALID_BUFFERID && id != memory_id);
    rio.RIODeregisterBuffer(id);
    rio.RIODeregisterBuffer(RIO_INVALID_BUFFERID); /* ignored */
}

static void test_queue_creation(void)
{
    RIO_NOTIFICATION_COMPLETION how;
    RIO_CQ cq, tiny;
    RIO_RQ rq;
    RIORESULT result;
    SOCKET plain = sx_tcp(), s = rio_socket(SOCK_STREAM), other = rio_socket(SOCK_STREAM);

    TEST("queue creation");
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateCompletionQueue(0, NULL) == RIO_INVALID_CQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateCompletionQueue(RIO_MAX_CQ_SIZE + 1, NULL) == RIO_INVALID_CQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    memset(&how, 0, sizeof(how));
    how.Type = RIO_IOCP_COMPLETION;
    how.Iocp.IocpHandle = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    how.Iocp.Overlapped = NULL; /* must not be NULL */
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateCompletionQueue(8, &how) == RIO_INVALID_CQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CloseHandle(how.Iocp.IocpHandle);

    cq = rio.RIOCreateCompletionQueue(8, NULL);
    CHECK(cq != RIO_INVALID_CQ);
    /* Nothing completed: nothing to dequeue. */
    CHECK_EQ(rio.RIODequeueCompletion(cq, NULL, 0), 0);
    /* No notification method: RIONotify has nothing to arm. */
    CHECK_EQ(rio.RIONotify(cq), WSAEINVAL);
    CHECK_EQ(rio.RIONotify(RIO_INVALID_CQ), WSAEINVAL);

    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue(s, 1, 1, 1, 1, RIO_INVALID_CQ, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue(s, 0, 1, 0, 1, cq, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue((SOCKET)(ULONG_PTR)0xdead0, 1, 1, 1, 1, cq, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    /* A socket made without WSA_FLAG_REGISTERED_IO is refused. */
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue(plain, 1, 1, 1, 1, cq, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    /* Its completions would not fit the completion queue: 5 + 5 outstanding, 8 entries. */
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue(s, 5, 1, 5, 1, cq, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
    rq = rio.RIOCreateRequestQueue(s, 4, 1, 4, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    /* The queue is full now: it cannot shrink below 8, nor a request queue grow. */
    WSASetLastError(0xdeadbeef);
    CHECK(!rio.RIOResizeCompletionQueue(cq, 7));
    CHECK_EQ(WSAGetLastError(), WSAETOOMANYREFS);
    WSASetLastError(0xdeadbeef);
    CHECK(!rio.RIOResizeRequestQueue(rq, 5, 4));
    CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
    CHECK(rio.RIOResizeCompletionQueue(cq, 10));
    CHECK(rio.RIOResizeRequestQueue(rq, 5, 5));
    WSASetLastError(0xdeadbeef);
    CHECK(!rio.RIOResizeCompletionQueue(cq, RIO_MAX_CQ_SIZE + 1));
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    tiny = rio.RIOCreateCompletionQueue(1, NULL);
    CHECK(tiny != RIO_INVALID_CQ);
    rio.RIOCloseCompletionQueue(tiny);
    /* Closed, the completion queue is marked invalid (Microsoft Learn,
     * RIOCloseCompletionQueue), though its request queue (its socket still open) names it:
     * no new request queue takes it (room for one made first), nor does anything else. */
    CHECK(rio.RIOResizeCompletionQueue(cq, 12));
    rio.RIOCloseCompletionQueue(cq);
    WSASetLastError(0xdeadbeef);
    CHECK(rio.RIOCreateRequestQueue(other, 1, 1, 1, 1, cq, cq, NULL) == RIO_INVALID_RQ);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK(!rio.RIOResizeCompletionQueue(cq, 14));
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(rio.RIODequeueCompletion(cq, &result, 1), RIO_CORRUPT_CQ);
    CHECK_EQ(rio.RIONotify(cq), WSAEINVAL);
    closesocket(s);
    closesocket(other);
    closesocket(plain);
}

static void test_bad_bufs(void)
{
    SOCKET client, server;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq;
    RIO_BUF b[2];
    RIO_BUFFERID gone = rio.RIORegisterBuffer(memory, 64);

    TEST("bad RIO_BUFs and flags");
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 2, 1, 2, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    rio.RIODeregisterBuffer(gone);

    b[0] = part(sizeof(memory) - 10, 11); /* one byte past the region */
    CHECK_FAILS(rio.RIOReceive(rq, b, 1, 0, NULL), WSAEINVAL);
    b[0] = part(0xffffffff, 2); /* an offset that wraps */
    CHECK_FAILS(rio.RIOSend(rq, b, 1, 0, NULL), WSAEINVAL);
    b[0].BufferId = gone;
    b[0].Offset = 0;
    b[0].Length = 8;
    CHECK_FAILS(rio.RIOSend(rq, b, 1, 0, NULL), WSAEFAULT);
    b[0].BufferId = RIO_INVALID_BUFFERID;
    CHECK_FAILS(rio.RIOReceive(rq, b, 1, 0, NULL), WSAEFAULT);
    b[0] = part(0, 8);
    b[1] = part(8, 8);
    CHECK_FAILS(rio.RIOReceive(rq, b, 2, 0, NULL), WSAEINVAL); /* MaxReceiveDataBuffers is 1 */
    CHECK_FAILS(rio.RIOReceive(rq, b, 1, 0x100, NULL), WSAEINVAL);
    CHECK_FAILS(rio.RIOSend(rq, b, 1, RIO_MSG_WAITALL, NULL), WSAEINVAL);
    /* RIO_MSG_COMMIT_ONLY takes no buffer, context or other flag. */
    CHECK_FAILS(rio.RIOSend(rq, b, 1, RIO_MSG_COMMIT_ONLY, NULL), WSAEINVAL);
    CHECK_FAILS(rio.RIOSend(rq, NULL, 0, RIO_MSG_COMMIT_ONLY | RIO_MSG_DEFER, NULL), WSAEINVAL);
    CHECK_FAILS(rio.RIOReceive(RIO_INVALID_RQ, b, 1, 0, NULL), WSAEINVAL);
    /* Refused requests took nothing: nothing completes. */
    CHECK(stays_empty(cq, 50));
    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
}

static void test_tcp(void)
{
    SOCKET client, server;
    RIO_CQ receive_cq = rio.RIOCreateCompletionQueue(16, NULL);
    RIO_CQ send_cq = rio.RIOCreateCompletionQueue(16, NULL);
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r[8];
    char got[64];
    ULONG i, total;

    TEST("TCP receives and sends");
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 4, 1, 4, 1, receive_cq, send_cq, (PVOID)(ULONG_PTR)0x5150);
    CHECK(rq != RIO_INVALID_RQ);
    /* Receives posted before any data. */
    b = part(0, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)1));
    b = part(8, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)2));
    CHECK(stays_empty(receive_cq, 50));
    CHECK_EQ(send(server, "abcdefgh", 8, 0), 8);
    CHECK_EQ(dequeue_wait(receive_cq, r, 1), 1);
    CHECK_EQ(r[0].Status, 0);
    CHECK_EQ(r[0].BytesTransferred, 8);
    CHECK_EQ(r[0].SocketContext, 0x5150);
    CHECK_EQ(r[0].RequestContext, 1);
    CHECK(memcmp(memory, "abcdefgh", 8) == 0);
    CHECK_EQ(send(server, "ijk", 3, 0), 3);
    CHECK_EQ(dequeue_wait(receive_cq, r, 1), 1);
    CHECK_EQ(r[0].Status, 0);
    CHECK_EQ(r[0].BytesTransferred, 3);
    CHECK_EQ(r[0].RequestContext, 2);
    CHECK(memcmp(memory + 8, "ijk", 3) == 0);

    TEST("TCP send");
    memcpy(memory + 100, "hello, rio", 10);
    b = part(100, 10);
    CHECK(rio.RIOSend(rq, &b, 1, 0, (PVOID)(ULONG_PTR)77));
    CHECK_EQ(dequeue_wait(send_cq, r, 1), 1);
    CHECK_EQ(r[0].Status, 0);
    CHECK_EQ(r[0].BytesTransferred, 10);
    CHECK_EQ(r[0].SocketContext, 0x5150);
    CHECK_EQ(r[0].RequestContext, 77);
    CHECK_EQ(sx_recv_all(server, got, 10, WAIT_MS), 10);
    CHECK(memcmp(got, "hello, rio", 10) == 0);
    /* The sends completed on the send queue only. */
    CHECK(stays_empty(receive_cq, 20));

    TEST("full request queue");
    for (i = 0; i < 4; i++) {
        b = part(200 + i * 8, 8);
        CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)(10 + i)));
    }
    b = part(300, 8);
    CHECK_FAILS(rio.RIOReceive(rq, &b, 1, 0, NULL), WSAENOBUFS);
    /* Completed but not dequeued, a request still counts. */
    CHECK_EQ(send(server, "0123456789abcdefghijklmnopqrstuv", 32, 0), 32);
    Sleep(100);
    CHECK_FAILS(rio.RIOReceive(rq, &b, 1, 0, NULL), WSAENOBUFS);
    total = 0;
    CHECK_EQ(dequeue_wait(receive_cq, r, 4), 4);
    for (i = 0; i < 4; i++) {
        CHECK_EQ(r[i].Status, 0);
        CHECK_EQ(r[i].RequestContext, 10 + i);
        CHECK(memcmp(memory + 200 + i * 8, "0123456789abcdefghijklmnopqrstuv" + i * 8, r[i].BytesTransferred) == 0);
        total += r[i].BytesTransferred;
    }
    CHECK_EQ(total, 32);
    /* Dequeued: room again. RIO_MSG_WAITALL fills the whole buffer. */
    b = part(300, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, RIO_MSG_WAITALL, (PVOID)(ULONG_PTR)5));
    CHECK_EQ(send(server, "wxyz", 4, 0), 4);
    CHECK(stays_empty(receive_cq, 50));
    CHECK_EQ(send(server, "WXYZ", 4, 0), 4);
    CHECK_EQ(dequeue_wait(receive_cq, r, 1), 1);
    CHECK_EQ(r[0].BytesTransferred, 8);
    CHECK(memcmp(memory + 300, "wxyzWXYZ", 8) == 0);

    TEST("end of stream");
    b = part(300, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)6));
    shutdown(server, SD_SEND);
    CHECK_EQ(dequeue_wait(receive_cq, r, 1), 1);
    CHECK_EQ(r[0].Status, 0);
    CHECK_EQ(r[0].BytesTransferred, 0);
    CHECK_EQ(r[0].RequestContext, 6);

    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(receive_cq);
    rio.RIOCloseCompletionQueue(send_cq);
}

static void test_notify_event(void)
{
    SOCKET client, server;
    RIO_NOTIFICATION_COMPLETION how;
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    RIO_CQ cq;
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r[2];

    TEST("RIONotify with an event");
    memset(&how, 0, sizeof(how));
    how.Type = RIO_EVENT_COMPLETION;
    how.Event.EventHandle = event;
    how.Event.NotifyReset = TRUE;
    cq = rio.RIOCreateCompletionQueue(8, &how);
    CHECK(cq != RIO_INVALID_CQ);
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 2, 1, 2, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);

    SetEvent(event); /* NotifyReset: RIONotify resets it */
    CHECK_EQ(rio.RIONotify(cq), ERROR_SUCCESS);
    CHECK(!sx_signalled(event, 0));
    CHECK_EQ(rio.RIONotify(cq), WSAEALREADY); /* armed, not yet given */
    b = part(400, 16);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)1));
    CHECK(!sx_signalled(event, 50));
    CHECK_EQ(send(server, "ping", 4, 0), 4);
    CHECK(sx_signalled(event, WAIT_MS));
    /* Given: it may be asked again; with the result still queued, at once. */
    CHECK_EQ(rio.RIONotify(cq), ERROR_SUCCESS);
    CHECK(sx_signalled(event, WAIT_MS));
    CHECK_EQ(rio.RIODequeueCompletion(cq, r, 2), 1);
    CHECK_EQ(r[0].RequestContext, 1);
    CHECK_EQ(r[0].BytesTransferred, 4);

    TEST("RIO_MSG_DONT_NOTIFY");
    CHECK_EQ(rio.RIONotify(cq), ERROR_SUCCESS); /* empty: armed */
    CHECK(!sx_signalled(event, 0));
    CHECK(rio.RIOReceive(rq, &b, 1, RIO_MSG_DONT_NOTIFY, (PVOID)(ULONG_PTR)2));
    CHECK_EQ(send(server, "pong", 4, 0), 4);
    CHECK_EQ(dequeue_wait(cq, r, 1), 1);
    CHECK_EQ(r[0].RequestContext, 2);
    CHECK(!sx_signalled(event, 0)); /* that completion does not notify */
    CHECK_EQ(rio.RIONotify(cq), WSAEALREADY); /* still armed */
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)3));
    CHECK_EQ(send(server, "pang", 4, 0), 4);
    CHECK(sx_signalled(event, WAIT_MS));
    CHECK_EQ(dequeue_wait(cq, r, 1), 1);
    CHECK_EQ(r[0].RequestContext, 3);

    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
    CloseHandle(event);
}

static void test_notify_port(void)
{
    SOCKET client, server;
    RIO_NOTIFICATION_COMPLETION how;
    OVERLAPPED ov;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    struct sx_packet p;
    RIO_CQ cq;
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r;

    TEST("RIONotify with a completion port");
    memset(&ov, 0, sizeof(ov));
    memset(&how, 0, sizeof(how));
    how.Type = RIO_IOCP_COMPLETION;
    how.Iocp.IocpHandle = port;
    how.Iocp.CompletionKey = (PVOID)(ULONG_PTR)0x1234;
    how.Iocp.Overlapped = &ov;
    cq = rio.RIOCreateCompletionQueue(4, &how);
    CHECK(cq != RIO_INVALID_CQ);
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 2, 1, 2, 1, cq, cq, (PVOID)(ULONG_PTR)9);
    CHECK(rq != RIO_INVALID_RQ);
    CHECK_EQ(rio.RIONotify(cq), ERROR_SUCCESS);
    CHECK_EQ(rio.RIONotify(cq), WSAEALREADY);
    p = sx_get_packet(port, 20);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);
    b = part(500, 16);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)4));
    CHECK_EQ(send(server, "knock", 5, 0), 5);
    p = sx_get_packet(port, WAIT_MS);
    CHECK(p.ret);
    CHECK_EQ(p.key, 0x1234);
    CHECK(p.ov == &ov);
    CHECK_EQ(rio.RIODequeueCompletion(cq, &r, 1), 1);
    CHECK_EQ(r.RequestContext, 4);
    CHECK_EQ(r.SocketContext, 9);
    CHECK_EQ(r.BytesTransferred, 5);
    /* One notification per RIONotify. */
    p = sx_get_packet(port, 20);
    CHECK(!p.ret);

    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
    CloseHandle(port);
}

static void test_defer(void)
{
    SOCKET client, server;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r[4];
    char got[8];

    TEST("RIO_MSG_DEFER and RIO_MSG_COMMIT_ONLY");
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 2, 1, 3, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    memcpy(memory + 600, "ABCDEF", 6);
    b = part(600, 2);
    CHECK(rio.RIOSend(rq, &b, 1, RIO_MSG_DEFER, (PVOID)(ULONG_PTR)1));
    b = part(602, 2);
    CHECK(rio.RIOSend(rq, &b, 1, RIO_MSG_DEFER, (PVOID)(ULONG_PTR)2));
    /* Deferred requests count against the queue. */
    b = part(604, 2);
    CHECK(rio.RIOSend(rq, &b, 1, RIO_MSG_DEFER, (PVOID)(ULONG_PTR)3));
    CHECK_FAILS(rio.RIOSend(rq, &b, 1, RIO_MSG_DEFER, NULL), WSAENOBUFS);
    CHECK(rio.RIOSend(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
    CHECK_EQ(dequeue_wait(cq, r, 3), 3);
    CHECK_EQ(r[0].RequestContext, 1);
    CHECK_EQ(r[1].RequestContext, 2);
    CHECK_EQ(r[2].RequestContext, 3);
    CHECK_EQ(r[0].BytesTransferred + r[1].BytesTransferred + r[2].BytesTransferred, 6);
    CHECK_EQ(sx_recv_all(server, got, 6, WAIT_MS), 6);
    CHECK(memcmp(got, "ABCDEF", 6) == 0);

    /* A request without RIO_MSG_DEFER starts the deferred ones too, first. */
    b = part(700, 4);
    CHECK(rio.RIOReceive(rq, &b, 1, RIO_MSG_DEFER | RIO_MSG_WAITALL, (PVOID)(ULONG_PTR)10));
    b = part(704, 4);
    CHECK(rio.RIOReceive(rq, &b, 1, RIO_MSG_WAITALL, (PVOID)(ULONG_PTR)11));
    CHECK_EQ(send(server, "12345678", 8, 0), 8);
    CHECK_EQ(dequeue_wait(cq, r, 2), 2);
    CHECK_EQ(r[0].RequestContext, 10);
    CHECK_EQ(r[1].RequestContext, 11);
    CHECK(memcmp(memory + 700, "12345678", 8) == 0);

    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
}

static void test_udp(void)
{
    SOCKET a = rio_socket(SOCK_DGRAM), b = rio_socket(SOCK_DGRAM);
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ qa, qb;
    RIO_BUF data, addr, flags;
    RIORESULT r;
    struct sockaddr_in name_a, name_b;
    ULONG flags_got;
    SOCKADDR_INET *from = (SOCKADDR_INET *)(memory + 1024);
    SOCKADDR_INET *to = (SOCKADDR_INET *)(memory + 1088);

    TEST("UDP with RIOReceiveEx and RIOSendEx");
    CHECK_EQ(sx_bind_loopback(a), 0);
    CHECK_EQ(sx_bind_loopback(b), 0);
    name_a = sx_name(a);
    name_b = sx_name(b);
    qa = rio.RIOCreateRequestQueue(a, 2, 1, 2, 1, cq, cq, (PVOID)(ULONG_PTR)0xa);
    qb = rio.RIOCreateRequestQueue(b, 2, 1, 2, 1, cq, cq, (PVOID)(ULONG_PTR)0xb);
    CHECK(qa != RIO_INVALID_RQ && qb != RIO_INVALID_RQ);
    /* An address area smaller than a SOCKADDR_INET is refused. */
    data = part(800, 64);
    addr = part(1024, sizeof(SOCKADDR_IN));
    CHECK_FAILS(rio.RIOReceiveEx(qa, &data, 1, NULL, &addr, NULL, NULL, 0, NULL), WSAEINVAL);
    memset(from, 0xcc, sizeof(*from));
    memset(memory + 1120, 0xcc, sizeof(ULONG));
    addr = part(1024, sizeof(SOCKADDR_INET));
    flags = part(1120, sizeof(ULONG));
    CHECK(rio.RIOReceiveEx(qa, &data, 1, NULL, &addr, NULL, &flags, 0, (PVOID)(ULONG_PTR)21));

    memset(to, 0, sizeof(*to));
    memcpy(&to->Ipv4, &name_a, sizeof(name_a));
    memcpy(memory + 900, "datagram", 8);
    data = part(900, 8);
    addr = part(1088, sizeof(SOCKADDR_INET));
    CHECK(rio.RIOSendEx(qb, &data, 1, NULL, &addr, NULL, NULL, 0, (PVOID)(ULONG_PTR)22));
    {
        RIORESULT both[2];
        int i, seen = 0;
        CHECK_EQ(dequeue_wait(cq, both, 2), 2);
        for (i = 0; i < 2; i++) {
            r = both[i];
            CHECK_EQ(r.Status, 0);
            CHECK_EQ(r.BytesTransferred, 8);
            if (r.RequestContext == 21) {
                seen |= 1;
                CHECK_EQ(r.SocketContext, 0xa);
            } else {
                seen |= 2;
                CHECK_EQ(r.RequestContext, 22);
                CHECK_EQ(r.SocketContext, 0xb);
            }
        }
        CHECK_EQ(seen, 3);
    }
    CHECK(memcmp(memory + 800, "datagram", 8) == 0);
    CHECK_EQ(from->si_family, AF_INET);
    CHECK(sx_same_addr(&from->Ipv4, &name_b));
    memcpy(&flags_got, memory + 1120, sizeof(flags_got));
    CHECK_EQ(flags_got, 0); /* a whole datagram: no message flags */

    closesocket(a);
    closesocket(b);
    rio.RIOCloseCompletionQueue(cq);
}

static void test_close(void)
{
    SOCKET client, server;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r[4];
    int i;

    TEST("closesocket with receives outstanding");
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 3, 1, 1, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    b = part(1200, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)1));
    b = part(1208, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)2));
    b = part(1216, 8);
    CHECK(rio.RIOReceive(rq, &b, 1, RIO_MSG_DEFER, (PVOID)(ULONG_PTR)3));
    CHECK(stays_empty(cq, 20));
    CHECK_EQ(closesocket(client), 0);
    CHECK_EQ(dequeue_wait(cq, r, 3), 3);
    /* Microsoft's RIOReceive page names WSA_OPERATION_ABORTED for a socket closed with
     * requests pending; a WSARecv cut off by closesocket reports WSAECONNABORTED (Wine's
     * sock.c tests, on Windows), which the library gives (docs/deviations.md). */
    CHECK(r[0].Status == WSAECONNABORTED || r[0].Status == WSA_OPERATION_ABORTED);
    for (i = 0; i < 3; i++) {
        CHECK_EQ(r[i].Status, r[0].Status);
        CHECK_EQ(r[i].BytesTransferred, 0);
    }
    CHECK_EQ(r[0].RequestContext + r[1].RequestContext + r[2].RequestContext, 6);
    CHECK(stays_empty(cq, 20));
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
}

/* Data buffers that add up to 4 GiB or more (four 1 GiB views of one region): the
 * receive reads what comes, as any other (their total once wrapped to 0, read as a
 * zero-byte receive that completed with nothing read). */
static void test_huge_buffers(void)
{
    SOCKET client, server;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq;
    RIO_BUF b[4];
    RIO_BUFFERID id;
    RIORESULT r;
    const DWORD gib = 0x40000000u;
    char *big;
    int i;

    TEST("data buffers of 4 GiB in all");
    big = VirtualAlloc(NULL, gib, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(big != NULL);
    if (big == NULL)
        return;
    id = rio.RIORegisterBuffer(big, gib);
    CHECK(id != RIO_INVALID_BUFFERID);
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 1, 4, 1, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    for (i = 0; i < 4; i++) {
        b[i].BufferId = id;
        b[i].Offset = 0;
        b[i].Length = gib;
    }
    CHECK(rio.RIOReceive(rq, b, 4, 0, (PVOID)(ULONG_PTR)1));
    CHECK_EQ(send(server, "abcd", 4, 0), 4);
    CHECK_EQ(dequeue_wait(cq, &r, 1), 1);
    CHECK_EQ(r.Status, 0);
    CHECK_EQ(r.BytesTransferred, 4);
    CHECK(memcmp(big, "abcd", 4) == 0);
    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
    VirtualFree(big, 0, MEM_RELEASE);
}

/* Many short exchanges: the completions come from the I/O manager's threads while this
 * thread dequeues (ThreadSanitizer watches the completion queue). */
static void test_many(void)
{
    SOCKET client, server;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(64, NULL);
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r[2];
    int i, ok = 1;
    char c;

    TEST("many exchanges");
    rio_pair(&client, &server);
    rq = rio.RIOCreateRequestQueue(client, 1, 1, 1, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    for (i = 0; i < 300 && ok; i++) {
        c = (char)i;
        b = part(2000, 1);
        ok = rio.RIOReceive(rq, &b, 1, 0, (PVOID)(ULONG_PTR)i);
        ok = ok && send(server, &c, 1, 0) == 1;
        ok = ok && dequeue_wait(cq, r, 1) == 1 && r[0].Status == 0 && r[0].BytesTransferred == 1 &&
             r[0].RequestContext == (ULONGLONG)i && memory[2000] == c;
        memory[2001] = c;
        b = part(2001, 1);
        ok = ok && rio.RIOSend(rq, &b, 1, 0, NULL);
        ok = ok && dequeue_wait(cq, r, 1) == 1 && r[0].BytesTransferred == 1;
        ok = ok && sx_recv_all(server, &c, 1, WAIT_MS) == 1 && c == (char)i;
    }
    CHECK(ok);
    CHECK_EQ(i, 300);
    closesocket(client);
    closesocket(server);
    rio.RIOCloseCompletionQueue(cq);
}

int main(void)
{
    sx_startup();
    if (load_table()) {
        test_buffers();
        test_queue_creation();
        test_bad_bufs();
        test_tcp();
        test_notify_event();
        test_notify_port();
        test_defer();
        test_udp();
        test_close();
        test_huge_buffers();
        test_many();
        rio.RIODeregisterBuffer(memory_id);
    }
    sx_cleanup();
    return tl_finish();
}
