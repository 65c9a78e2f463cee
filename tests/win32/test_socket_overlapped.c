/* test_socket_overlapped.c: overlapped socket transfers and the four ways of learning
 * of their completion.
 *
 * Covers: WSARecv/WSASend with an event (WSACreateEvent, WSAWaitForMultipleEvents,
 * WSAGetOverlappedResult and WSA_IO_INCOMPLETE), with a completion routine (alertable
 * waits, WAIT_IO_COMPLETION, the routine's arguments), with a completion port (key, bytes,
 * OVERLAPPED*), and with the socket handle itself signalled; immediate completion and
 * SetFileCompletionNotificationModes; hEvent's low bit; scatter/gather and stack WSABUF
 * arrays; OVERLAPPED.Internal/InternalHigh; ReadFile/WriteFile on sockets (also with no
 * OVERLAPPED: the call waits); zero-byte
 * receives; graceful and abortive close by the peer; closesocket with requests pending;
 * CancelIo/CancelIoEx; the issuing thread's exit; ordering of sends and of pending
 * receives; MSG_PEEK; argument errors; WSAGetOverlappedResult's answer for every status
 * in Internal (Windows' Winsock table); WSARecv/WSASend with an OVERLAPPED on a socket made
 * without WSA_FLAG_OVERLAPPED, on a never-connected one and on a closed handle; the
 * address arguments of recvfrom/WSARecvFrom/sendto on a stream socket (ignored).
 *
 * Sources: docs/research/windows-sockets-core.md. Wine deviations:
 * tests/win32/WINE_DEVIATIONS_sockets.md. Loopback only. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include "testlib.h"

#define LOOPBACK_ADDR 0x7f000001UL
#define WATCHDOG_MS 90000

/* NTSTATUS values a completed OVERLAPPED carries in Internal. */
#define ST_SUCCESS 0x00000000UL
#define ST_PENDING 0x00000103UL
#define ST_CANCELLED 0xC0000120UL
#define ST_CONNECTION_RESET 0xC000020DUL
#define ST_CONNECTION_ABORTED 0xC0000241UL

#define CLOSE_ABORTS_WINE                                                                      \
    "Wine 8.0 completes a receive cut off by closing the socket with STATUS_HANDLES_CLOSED "     \
    "(ERROR_HANDLES_CLOSED; WSAEINVAL to a completion routine); Windows uses "                   \
    "STATUS_CONNECTION_ABORTED (ERROR_CONNECTION_ABORTED; WSAECONNABORTED)"

/* ---------------------------------------------------------------------------------
 * Helpers */

static HANDLE watchdog_done;

static DWORD WINAPI watchdog_main(LPVOID arg)
{
    (void)arg;
    if (WaitForSingleObject(watchdog_done, WATCHDOG_MS) == WAIT_TIMEOUT) {
        printf("FAIL watchdog: the program did not finish within %d ms (a call hangs)\n", WATCHDOG_MS);
        fflush(stdout);
        ExitProcess(3);
    }
    return 0;
}

static SOCKET make_listener(struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*addr);
    CHECK(s != INVALID_SOCKET);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(LOOPBACK_ADDR);
    CHECK_EQ(bind(s, (struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    CHECK_EQ(listen(s, 5), 0);
    return s;
}

/* A connected pair of overlapped sockets (socket() makes overlapped sockets). */
static void tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = make_listener(&addr);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(*client != INVALID_SOCKET);
    CHECK_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *server = accept(listener, NULL, NULL);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

/* Abortive close: SO_LINGER {1, 0} then closesocket sends a reset. */
static void close_with_reset(SOCKET s)
{
    LINGER linger = {1, 0};
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    CHECK_EQ(closesocket(s), 0);
}

static u_long wait_readable(SOCKET s, u_long want)
{
    u_long avail = 0;
    for (int i = 0; i < 200; ++i) {
        avail = 0;
        if (ioctlsocket(s, FIONREAD, &avail) != 0)
            return 0;
        if (avail >= want)
            break;
        Sleep(10);
    }
    return avail;
}

/* Receives exactly n bytes with blocking recv (bounded by the watchdog). */
static int recv_all(SOCKET s, char *buf, int n)
{
    int got = 0;
    while (got < n) {
        int ret = recv(s, buf + got, n - got, 0);
        if (ret <= 0)
            break;
        got += ret;
    }
    return got;
}

static void reset_overlapped(WSAOVERLAPPED *ov, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->Internal = 0xdeadbeef;
    ov->InternalHigh = 0xdeadbeef;
    ov->hEvent = event;
}

/* Polls (bounded) until the request is no longer pending. */
static int wait_completed(WSAOVERLAPPED *ov, int ms)
{
    for (int i = 0; i < ms / 5; ++i) {
        if (HasOverlappedIoCompleted(ov))
            return 1;
        Sleep(5);
    }
    return HasOverlappedIoCompleted(ov);
}

/* Posts a receive that must pend; returns 1 if it did. */
static int post_pending_recv(SOCKET s, char *buf, ULONG len, WSAOVERLAPPED *ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSABUF wb;
    DWORD flags = 0, bytes = 0xdeadbeef;
    int ret;
    wb.buf = buf;
    wb.len = len;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, ov, routine);
    if (ret != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING) {
        printf("  WSARecv did not pend: ret %d error %d\n", ret, WSAGetLastError());
        return 0;
    }
    return 1;
}

/* The completion routine records what it was called with. */
static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes, routine_flags, routine_thread;
static LPWSAOVERLAPPED routine_ov;

static void CALLBACK record_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
    routine_flags = flags;
    routine_thread = GetCurrentThreadId();
    InterlockedIncrement(&routine_calls);
}

static void reset_routine(void)
{
    tl_store(&routine_calls, 0);
    routine_error = routine_bytes = routine_flags = routine_thread = 0xdeadbeef;
    routine_ov = NULL;
}

/* ---------------------------------------------------------------------------------
 * Event objects */

struct delayed_send {
    SOCKET s;
    const char *data;
    int len;
    DWORD delay_ms;
};

static DWORD WINAPI delayed_send_main(LPVOID arg)
{
    struct delayed_send *d = arg;
    Sleep(d->delay_ms);
    return send(d->s, d->data, d->len, 0) == d->len ? 0 : 1;
}

static void test_event_notification(void)
{
    SOCKET c, s;
    WSAEVENT ev;
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD bytes, flags;
    int ret;

    tcp_pair(&c, &s);
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);

    TEST("event: a receive with nothing queued pends; nothing is written back yet");
    memset(buf, 0xcc, sizeof(buf));
    reset_overlapped(&ov, ev);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(bytes, 0xdeadbeef);
    CHECK_EQ(ov.Internal, ST_PENDING);
    CHECK_EQ(ov.InternalHigh, 0xdeadbeef);
    CHECK(!HasOverlappedIoCompleted(&ov));
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);

    TEST("event: WSAGetOverlappedResult(fWait FALSE) on a pending request is WSA_IO_INCOMPLETE");
    bytes = 0xdeadbeef;
    flags = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK(!WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSA_IO_INCOMPLETE);
    CHECK_EQ(WSA_IO_INCOMPLETE, ERROR_IO_INCOMPLETE);

    TEST("event: data arrives; the event is signalled; Internal 0, InternalHigh the bytes");
    CHECK_EQ(send(c, "hello", 5, 0), 5);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, TRUE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(HasOverlappedIoCompleted(&ov));
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 5);
    bytes = 0xdeadbeef;
    flags = 0xdeadbeef;
    CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(bytes, 5);
    CHECK_EQ(flags, 0);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ((unsigned char)buf[5], 0xcc);
    CHECK(WSAResetEvent(ev));
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);

    TEST("event: WSAGetOverlappedResult(fWait TRUE) waits for the completion");
    {
        struct delayed_send d = {c, "later", 5, 200};
        HANDLE thread;
        reset_overlapped(&ov, ev);
        CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
        thread = CreateThread(NULL, 0, delayed_send_main, &d, 0, NULL);
        CHECK(thread != NULL);
        bytes = 0xdeadbeef;
        flags = 0xdeadbeef;
        CHECK(WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags));
        CHECK_EQ(bytes, 5);
        CHECK(memcmp(buf, "later", 5) == 0);
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
        WSAResetEvent(ev);
    }

    TEST("event: WSAGetOverlappedResult with a NULL lpdwFlags gives the byte count");
    {
        wb.buf = buf;
        wb.len = sizeof(buf);
        flags = 0;
        reset_overlapped(&ov, ev);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(c, "nil", 3, 0), 3);
        bytes = 0xdeadbeef;
        CHECK(WSAGetOverlappedResult(s, &ov, &bytes, TRUE, NULL));
        CHECK_EQ(bytes, 3);
        CHECK(memcmp(buf, "nil", 3) == 0);
    }

    TEST("event: a send with buffer room completes at once: 0, the byte count, the event set");
    reset_overlapped(&ov, ev);
    wb.buf = (char *)"12345678";
    wb.len = 8;
    bytes = 0xdeadbeef;
    ret = WSASend(c, &wb, 1, &bytes, 0, &ov, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 8);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, TRUE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 8);
    CHECK(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(bytes, 8);
    WSAResetEvent(ev);

    TEST("event: a receive with data queued completes at once: 0, the count, flags 0");
    CHECK_EQ(wait_readable(s, 8), 8);
    memset(buf, 0, sizeof(buf));
    reset_overlapped(&ov, ev);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 8);
    CHECK_EQ(flags, 0);
    CHECK(memcmp(buf, "12345678", 8) == 0);
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 8);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, TRUE, 0, FALSE), WSA_WAIT_EVENT_0);
    WSAResetEvent(ev);

    TEST("WSAGetOverlappedResult on something that is not a socket: WSAENOTSOCK");
    WSASetLastError(0xdeadbeef);
    CHECK(!WSAGetOverlappedResult(INVALID_SOCKET, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("WSAWaitForMultipleEvents reports which event of several is signalled");
    {
        WSAEVENT evs[3];
        WSAOVERLAPPED ovs[3];
        char bufs[3][8];
        for (int i = 0; i < 3; ++i)
            evs[i] = WSACreateEvent();
        /* Three pending receives on three sockets; only the middle one gets data. */
        SOCKET c2[3], s2[3];
        for (int i = 0; i < 3; ++i) {
            tcp_pair(&c2[i], &s2[i]);
            reset_overlapped(&ovs[i], evs[i]);
            CHECK(post_pending_recv(s2[i], bufs[i], sizeof(bufs[i]), &ovs[i], NULL));
        }
        CHECK_EQ(WSAWaitForMultipleEvents(3, evs, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
        CHECK_EQ(send(c2[1], "x", 1, 0), 1);
        CHECK_EQ(WSAWaitForMultipleEvents(3, evs, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0 + 1);
        for (int i = 0; i < 3; ++i) {
            closesocket(c2[i]);
            closesocket(s2[i]);
        }
        /* The other two complete too (the peer closed); wait before reusing nothing. */
        for (int i = 0; i < 3; ++i) {
            CHECK(wait_completed(&ovs[i], 5000));
            WSACloseEvent(evs[i]);
        }
    }

    CHECK(WSACloseEvent(ev));
    closesocket(c);
    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * WSAGetOverlappedResult's reading of Internal */

/* Winsock's error for each failure status that has one (Windows' table, as Wine's
 * test_WSAGetOverlappedResult records it); a failure status not listed gives WSAEINVAL. */
static const struct {
    ULONG status;
    DWORD error;
} status_errors[] = {
    {0x80000005UL, WSAEMSGSIZE},        /* STATUS_BUFFER_OVERFLOW */
    {0xC0000206UL, WSAEMSGSIZE},        /* STATUS_INVALID_BUFFER_SIZE */
    {0xC0000002UL, WSAEOPNOTSUPP},      /* STATUS_NOT_IMPLEMENTED */
    {0xC00000BBUL, WSAEOPNOTSUPP},      /* STATUS_NOT_SUPPORTED */
    {0xC0000005UL, WSAEFAULT},          /* STATUS_ACCESS_VIOLATION */
    {0xC0000023UL, WSAEFAULT},          /* STATUS_BUFFER_TOO_SMALL */
    {0xC00002C5UL, WSAEFAULT},          /* STATUS_DATATYPE_MISALIGNMENT_ERROR */
    {0xC0000007UL, WSAENOBUFS},         /* STATUS_PAGEFILE_QUOTA */
    {0xC0000017UL, WSAENOBUFS},         /* STATUS_NO_MEMORY */
    {0xC0000018UL, WSAENOBUFS},         /* STATUS_CONFLICTING_ADDRESSES */
    {0xC0000044UL, WSAENOBUFS},         /* STATUS_QUOTA_EXCEEDED */
    {0xC0000097UL, WSAENOBUFS},         /* STATUS_TOO_MANY_PAGING_FILES */
    {0xC000009AUL, WSAENOBUFS},         /* STATUS_INSUFFICIENT_RESOURCES */
    {0xC00000A1UL, WSAENOBUFS},         /* STATUS_WORKING_SET_QUOTA */
    {0xC000012DUL, WSAENOBUFS},         /* STATUS_COMMITMENT_LIMIT */
    {0xC000013DUL, WSAENOBUFS},         /* STATUS_REMOTE_RESOURCES */
    {0xC0000209UL, WSAENOBUFS},         /* STATUS_TOO_MANY_ADDRESSES */
    {0xC0000008UL, WSAENOTSOCK},        /* STATUS_INVALID_HANDLE */
    {0xC0000024UL, WSAENOTSOCK},        /* STATUS_OBJECT_TYPE_MISMATCH */
    {0xC000000EUL, WSAENETDOWN},        /* STATUS_NO_SUCH_DEVICE */
    {0xC000000FUL, WSAENETDOWN},        /* STATUS_NO_SUCH_FILE */
    {0xC0000034UL, WSAENETDOWN},        /* STATUS_OBJECT_NAME_NOT_FOUND */
    {0xC000003AUL, WSAENETDOWN},        /* STATUS_OBJECT_PATH_NOT_FOUND */
    {0xC00000BFUL, WSAENETDOWN},        /* STATUS_NETWORK_BUSY */
    {0xC00000C3UL, WSAENETDOWN},        /* STATUS_INVALID_NETWORK_RESPONSE */
    {0xC00000C4UL, WSAENETDOWN},        /* STATUS_UNEXPECTED_NETWORK_ERROR */
    {0xC0000022UL, WSAEACCES},          /* STATUS_ACCESS_DENIED */
    {0xC0000043UL, WSAEADDRINUSE},      /* STATUS_SHARING_VIOLATION */
    {0xC000020AUL, WSAEADDRINUSE},      /* STATUS_ADDRESS_ALREADY_EXISTS */
    {0xC00000A3UL, WSAEWOULDBLOCK},     /* STATUS_DEVICE_NOT_READY */
    {0xC00000D0UL, WSAEWOULDBLOCK},     /* STATUS_REQUEST_NOT_ACCEPTED */
    {0xC00000B0UL, WSAESHUTDOWN},       /* STATUS_PIPE_DISCONNECTED */
    {0xC00000B5UL, WSAETIMEDOUT},       /* STATUS_IO_TIMEOUT */
    {0xC000013FUL, WSAETIMEDOUT},       /* STATUS_LINK_TIMEOUT */
    {0xC00000BCUL, WSAECONNREFUSED},    /* STATUS_REMOTE_NOT_LISTENING */
    {0xC0000236UL, WSAECONNREFUSED},    /* STATUS_CONNECTION_REFUSED */
    {0xC00000BEUL, WSAENETUNREACH},     /* STATUS_BAD_NETWORK_PATH */
    {0xC000023CUL, WSAENETUNREACH},     /* STATUS_NETWORK_UNREACHABLE */
    {0xC000023EUL, WSAENETUNREACH},     /* STATUS_PROTOCOL_UNREACHABLE */
    {0xC0000120UL, WSA_OPERATION_ABORTED}, /* STATUS_CANCELLED */
    {0xC000013BUL, WSAECONNABORTED},    /* STATUS_LOCAL_DISCONNECT */
    {0xC000020FUL, WSAECONNABORTED},    /* STATUS_TRANSACTION_ABORTED */
    {0xC0000241UL, WSAECONNABORTED},    /* STATUS_CONNECTION_ABORTED */
    {0xC000013CUL, WSAECONNRESET},      /* STATUS_REMOTE_DISCONNECT */
    {0xC000013EUL, WSAECONNRESET},      /* STATUS_LINK_FAILED */
    {0xC000020CUL, WSAECONNRESET},      /* STATUS_CONNECTION_DISCONNECTED */
    {0xC000020DUL, WSAECONNRESET},      /* STATUS_CONNECTION_RESET */
    {0xC000023FUL, WSAECONNRESET},      /* STATUS_PORT_UNREACHABLE */
    {0xC0000140UL, WSAENOTCONN},        /* STATUS_INVALID_CONNECTION */
    {0xC0000141UL, WSAEADDRNOTAVAIL},   /* STATUS_INVALID_ADDRESS */
    {0xC0000207UL, WSAEADDRNOTAVAIL},   /* STATUS_INVALID_ADDRESS_COMPONENT */
    {0xC0000237UL, WSAEDISCON},         /* STATUS_GRACEFUL_DISCONNECT */
    {0xC000023BUL, WSAEISCONN},         /* STATUS_CONNECTION_ACTIVE */
    {0xC000023DUL, WSAEHOSTUNREACH},    /* STATUS_HOST_UNREACHABLE */
    {0xC0000240UL, WSAEINTR},           /* STATUS_REQUEST_ABORTED */
    {0xC0000350UL, WSAEHOSTDOWN},       /* STATUS_HOST_DOWN */
    {0x800703E4UL, WSA_IO_INCOMPLETE},  /* ERROR_IO_INCOMPLETE in the three HRESULT-like forms */
    {0xC00103E4UL, WSA_IO_INCOMPLETE},
    {0xC00703E4UL, WSA_IO_INCOMPLETE},
};

static DWORD expected_status_error(ULONG status)
{
    size_t i;
    for (i = 0; i < sizeof(status_errors) / sizeof(status_errors[0]); ++i)
        if (status_errors[i].status == status)
            return status_errors[i].error;
    return WSAEINVAL;
}

static LONG apc_runs;
static VOID CALLBACK count_apc(ULONG_PTR arg)
{
    (void)arg;
    InterlockedIncrement(&apc_runs);
}

static void test_overlapped_result_statuses(void)
{
    /* The ranges Wine's test walks (every status in each). */
    static const ULONG ranges[][2] = {
        {0x00000000UL, 0x00010000UL}, {0x40000000UL, 0x40001000UL}, {0x80000000UL, 0x80001000UL},
        {0x80070000UL, 0x80080000UL}, {0xC0000000UL, 0xC0001000UL}, {0xC0070000UL, 0xC0080000UL},
        {0xD0000000UL, 0xD0010000UL}, {0xD0070000UL, 0xD0080000UL},
    };
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAOVERLAPPED ov;
    DWORD bytes, flags;
    size_t r;
    size_t i;
    CHECK(s != INVALID_SOCKET);

    TEST("WSAGetOverlappedResult: a failure status in Internal gives FALSE and Winsock's error for it");
    for (i = 0; i < sizeof(status_errors) / sizeof(status_errors[0]); ++i) {
        memset(&ov, 0, sizeof(ov));
        ov.Internal = status_errors[i].status;
        ov.InternalHigh = 5;
        bytes = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags), FALSE);
        CHECK_EQ(WSAGetLastError(), status_errors[i].error);
        CHECK_EQ(bytes, 5);
    }

    TEST("WSAGetOverlappedResult: a failure status Winsock has no error for gives WSAEINVAL");
    {
        static const ULONG others[] = {0xC0000001UL /* STATUS_UNSUCCESSFUL */, 0xC000000DUL /* STATUS_INVALID_PARAMETER */,
                                       0xC0000011UL /* STATUS_END_OF_FILE */, 0x80000001UL, 0xD0000000UL,
                                       0xC0070000UL | WSAECONNRESET};
        for (i = 0; i < sizeof(others) / sizeof(others[0]); ++i) {
            memset(&ov, 0, sizeof(ov));
            ov.Internal = others[i];
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags), FALSE);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        }
    }

    TEST("WSAGetOverlappedResult: a success status other than STATUS_PENDING gives TRUE");
    {
        static const ULONG successes[] = {0x00000001UL, 0x00000102UL /* STATUS_TIMEOUT */, 0x0000010BUL,
                                          0x40000000UL, 0x7FFFFFFFUL};
        for (i = 0; i < sizeof(successes) / sizeof(successes[0]); ++i) {
            memset(&ov, 0, sizeof(ov));
            ov.Internal = successes[i];
            ov.InternalHigh = 9;
            bytes = 0xdeadbeef;
            CHECK_EQ(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags), TRUE);
            CHECK_EQ(bytes, 9);
        }
    }

    TEST("WSAGetOverlappedResult: every status of Wine's ranges, FALSE/TRUE and the error as Windows");
    for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]); ++r) {
        ULONG status, first_bad = 0;
        DWORD bad_ret = 0, bad_error = 0;
        int mismatches = 0;
        for (status = ranges[r][0]; status < ranges[r][1]; ++status) {
            int success = (LONG)status >= 0 && status != ST_PENDING;
            DWORD expected = status == ST_PENDING ? WSA_IO_INCOMPLETE : expected_status_error(status);
            BOOL ret;
            memset(&ov, 0, sizeof(ov));
            ov.Internal = status;
            WSASetLastError(0xdeadbeef);
            ret = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
            if (ret != (success ? TRUE : FALSE) || (!success && (DWORD)WSAGetLastError() != expected)) {
                if (mismatches++ == 0) {
                    first_bad = status;
                    bad_ret = (DWORD)ret;
                    bad_error = (DWORD)WSAGetLastError();
                }
            }
        }
        if (mismatches != 0)
            printf("   range %#lx: first mismatch at %#lx: returned %lu, error %lu\n", (unsigned long)ranges[r][0],
                   (unsigned long)first_bad, (unsigned long)bad_ret, (unsigned long)bad_error);
        CHECK_EQ(mismatches, 0);
    }

    TEST("WSAGetOverlappedResult(fWait) with Internal still STATUS_PENDING and the event signalled: TRUE, no APC run");
    memset(&ov, 0, sizeof(ov));
    ov.Internal = ST_PENDING;
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    CHECK(ov.hEvent != NULL);
    tl_store(&apc_runs, 0);
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    bytes = 0xdeadbeef;
    CHECK_EQ(WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags), TRUE);
    CHECK_EQ(bytes, 0);
    CHECK_EQ(tl_load(&apc_runs), 0); /* the wait is not alertable */
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&apc_runs), 1);
    CloseHandle(ov.hEvent);

    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * Completion routines */

static void test_completion_routine(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD bytes, flags;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    int ret;

    tcp_pair(&c, &s);

    TEST("routine: a pending receive; the routine runs only in an alertable wait");
    reset_routine();
    reset_overlapped(&ov, ev); /* hEvent is ignored when a routine is given */
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, record_routine));
    CHECK_EQ(send(c, "hello", 5, 0), 5);
    CHECK(wait_completed(&ov, 5000));
    Sleep(50); /* not alertable */
    CHECK_EQ(tl_load(&routine_calls), 0);
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK_EQ(routine_error, 0);
    CHECK_EQ(routine_bytes, 5);
    CHECK(routine_ov == &ov);
    CHECK_EQ(routine_flags, 0);
    CHECK_EQ(routine_thread, GetCurrentThreadId());
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);

    TEST("routine: WSAWaitForMultipleEvents(fAlertable TRUE) returns WSA_WAIT_IO_COMPLETION");
    reset_routine();
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, record_routine));
    CHECK_EQ(send(c, "abc", 3, 0), 3);
    {
        WSAEVENT never = WSACreateEvent();
        CHECK_EQ(WSAWaitForMultipleEvents(1, &never, FALSE, 5000, TRUE), WSA_WAIT_IO_COMPLETION);
        WSACloseEvent(never);
    }
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK_EQ(routine_bytes, 3);

    TEST("routine: a receive that completes at once returns 0 and still queues the routine");
    reset_routine();
    CHECK_EQ(send(c, "now", 3, 0), 3);
    CHECK_EQ(wait_readable(s, 3), 3);
    reset_overlapped(&ov, NULL);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ov, record_routine);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 3);
    CHECK_EQ(tl_load(&routine_calls), 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK_EQ(routine_bytes, 3);
    CHECK_EQ(routine_error, 0);

    TEST("routine: a send that completes at once queues the routine with the byte count");
    reset_routine();
    reset_overlapped(&ov, NULL);
    wb.buf = (char *)"send";
    wb.len = 4;
    bytes = 0xdeadbeef;
    ret = WSASend(c, &wb, 1, &bytes, 0, &ov, record_routine);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 4);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK_EQ(routine_bytes, 4);
    CHECK_EQ(routine_flags, 0);
    CHECK(routine_ov == &ov);
    CHECK_EQ(recv_all(s, buf, 4), 4);

    TEST("routine: refused with WSAEINVAL once the socket is bound to a completion port");
    {
        HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 1, 0);
        CHECK(port != NULL);
        reset_routine();
        reset_overlapped(&ov, NULL);
        wb.buf = buf;
        wb.len = sizeof(buf);
        flags = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, &flags, &ov, record_routine), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        CHECK_EQ(SleepEx(0, TRUE), 0);
        CHECK_EQ(tl_load(&routine_calls), 0);
        closesocket(s);
        CloseHandle(port);
    }
    closesocket(c);
    CloseHandle(ev);
}

/* ---------------------------------------------------------------------------------
 * Completion ports */

static void expect_no_packet(HANDLE port, DWORD ms)
{
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    LPOVERLAPPED got = (LPOVERLAPPED)0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, ms));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(got == NULL);
    CHECK_EQ(bytes, 0xdeadbeef);
    CHECK_EQ(key, 0xdeadbeef);
}

static void test_completion_port(void)
{
    SOCKET c, s;
    HANDLE port;
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD bytes, flags;
    ULONG_PTR key;
    LPOVERLAPPED got;
    int ret;

    tcp_pair(&c, &s);

    TEST("port: CreateIoCompletionPort on a SOCKET; a pending receive queues nothing yet");
    port = CreateIoCompletionPort((HANDLE)s, NULL, 125, 0);
    CHECK(port != NULL);
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    expect_no_packet(port, 0);

    TEST("port: the completion packet carries the key, the byte count and the OVERLAPPED*");
    CHECK_EQ(send(c, "Hello World!", 12, 0), 12);
    bytes = 0xdeadbeef;
    key = 0xdeadbeef;
    got = NULL;
    SetLastError(0xdeadbeef);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(GetLastError(), 0xdeadbeef);
    CHECK_EQ(bytes, 12);
    CHECK_EQ(key, 125);
    CHECK(got == &ov);
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 12);
    CHECK(memcmp(buf, "Hello World!", 12) == 0);
    expect_no_packet(port, 0);

    TEST("port: a receive that completes at once returns 0 and still queues a packet");
    CHECK_EQ(send(c, "instant", 7, 0), 7);
    CHECK_EQ(wait_readable(s, 7), 7);
    reset_overlapped(&ov, NULL);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 7);
    CHECK_EQ(flags, 0);
    bytes = 0xdeadbeef;
    got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 7);
    CHECK_EQ(key, 125);
    CHECK(got == &ov);

    TEST("port: a send that completes at once queues a packet too");
    reset_overlapped(&ov, NULL);
    wb.buf = (char *)"reply";
    wb.len = 5;
    bytes = 0xdeadbeef;
    ret = WSASend(s, &wb, 1, &bytes, 0, &ov, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, 5);
    bytes = 0xdeadbeef;
    got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 5);
    CHECK(got == &ov);
    CHECK_EQ(recv_all(c, buf, 5), 5);

    TEST("port: hEvent with its low bit set signals the event and keeps the packet off the port");
    {
        HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
        reset_overlapped(&ov, (HANDLE)((ULONG_PTR)ev | 1));
        CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
        CHECK_EQ(send(c, "quiet", 5, 0), 5);
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        bytes = 0;
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
        CHECK_EQ(bytes, 5);
        expect_no_packet(port, 200);
        CloseHandle(ev);
    }

    TEST("port: a socket can be bound once; binding it to another port fails");
    {
        HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
        CHECK(CreateIoCompletionPort((HANDLE)s, other, 9, 0) == NULL);
        CloseHandle(other);
    }

    TEST("port: a receive that fails at once (not connected) queues nothing");
    {
        SOCKET lone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        HANDLE lport = CreateIoCompletionPort((HANDLE)lone, NULL, 7, 0);
        u_long one = 1;
        CHECK(lport != NULL);
        CHECK_EQ(ioctlsocket(lone, FIONBIO, &one), 0);
        reset_overlapped(&ov, NULL);
        wb.buf = buf;
        wb.len = sizeof(buf);
        bytes = 0xdeadbeef;
        flags = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(lone, &wb, 1, &bytes, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
        CHECK_EQ(bytes, 0xdeadbeef);
        expect_no_packet(lport, 200);
        closesocket(lone);
        CloseHandle(lport);
    }

    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

/* ---------------------------------------------------------------------------------
 * SetFileCompletionNotificationModes, and the socket handle as the signalled object */

static void test_notification_modes(void)
{
    SOCKET c, s;
    HANDLE port;
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD bytes, flags;
    ULONG_PTR key;
    LPOVERLAPPED got;

    TEST("handle: with no event, the socket handle is reset while pending and signalled after");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(WaitForSingleObject((HANDLE)s, 0), WAIT_TIMEOUT);
    CHECK_EQ(ov.Internal, ST_PENDING);
    CHECK_EQ(send(c, "data", 4, 0), 4);
    CHECK_EQ(WaitForSingleObject((HANDLE)s, 5000), WAIT_OBJECT_0);
    bytes = 0;
    CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 4);
    CHECK(memcmp(buf, "data", 4) == 0);

    TEST("handle: GetOverlappedResult(bWait TRUE) with no event waits on the handle");
    {
        struct delayed_send d = {c, "wait", 4, 200};
        HANDLE thread;
        reset_overlapped(&ov, NULL);
        CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
        thread = CreateThread(NULL, 0, delayed_send_main, &d, 0, NULL);
        bytes = 0;
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, 4);
        CHECK(memcmp(buf, "wait", 4) == 0);
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
    }
    closesocket(c);
    closesocket(s);

    TEST("FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: immediate successes queue no packet");
    tcp_pair(&c, &s);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 33, 0);
    CHECK(port != NULL);
    CHECK(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    CHECK_EQ(send(c, "skip", 4, 0), 4);
    CHECK_EQ(wait_readable(s, 4), 4);
    reset_overlapped(&ov, NULL);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL), 0);
    CHECK_EQ(bytes, 4);
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 4);
    expect_no_packet(port, 200);
    reset_overlapped(&ov, NULL);
    wb.buf = (char *)"back";
    wb.len = 4;
    bytes = 0xdeadbeef;
    CHECK_EQ(WSASend(s, &wb, 1, &bytes, 0, &ov, NULL), 0);
    CHECK_EQ(bytes, 4);
    expect_no_packet(port, 200);
    CHECK_EQ(recv_all(c, buf, 4), 4);

    TEST("FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a request that pends still queues its packet");
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(send(c, "late", 4, 0), 4);
    bytes = 0xdeadbeef;
    got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 4);
    CHECK_EQ(key, 33);
    CHECK(got == &ov);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);

    TEST("FILE_SKIP_SET_EVENT_ON_HANDLE: the handle is not signalled; an explicit event is");
    tcp_pair(&c, &s);
    CHECK(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_SET_EVENT_ON_HANDLE));
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(send(c, "nosig", 5, 0), 5);
    CHECK(wait_completed(&ov, 5000));
    CHECK_EQ(ov.InternalHigh, 5);
    CHECK_EQ(WaitForSingleObject((HANDLE)s, 200), WAIT_TIMEOUT);
    {
        HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
        reset_overlapped(&ov, ev);
        CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
        CHECK_EQ(send(c, "sig", 3, 0), 3);
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        CHECK_EQ(ov.InternalHigh, 3);
        CHECK_EQ(WaitForSingleObject((HANDLE)s, 0), WAIT_TIMEOUT);
        CloseHandle(ev);
    }
    closesocket(c);
    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * Scatter/gather, ReadFile/WriteFile, zero-byte receives */

static void test_buffers_and_files(void)
{
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    DWORD bytes, flags;
    char buf[64];

    tcp_pair(&c, &s);

    TEST("scatter: buffers are filled in array order; the WSABUF array may be reused at once");
    {
        char b0[3], b1[4], b2[8];
        WSABUF wb[3];
        memset(b0, 0, sizeof(b0));
        memset(b1, 0, sizeof(b1));
        memset(b2, 0, sizeof(b2));
        wb[0].buf = b0;
        wb[0].len = sizeof(b0);
        wb[1].buf = b1;
        wb[1].len = sizeof(b1);
        wb[2].buf = b2;
        wb[2].len = 5;
        reset_overlapped(&ov, ev);
        flags = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, wb, 3, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        /* The provider captured the array: scribbling over it changes nothing. */
        memset(wb, 0, sizeof(wb));
        CHECK_EQ(send(c, "abcdefghijkl", 12, 0), 12);
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
        CHECK_EQ(bytes, 12);
        CHECK(memcmp(b0, "abc", 3) == 0);
        CHECK(memcmp(b1, "defg", 4) == 0);
        CHECK(memcmp(b2, "hijkl", 5) == 0);
        CHECK_EQ(b2[5], 0);
        ResetEvent(ev);
    }

    TEST("gather: the buffers of one WSASend arrive concatenated in array order");
    {
        WSABUF wb[3];
        wb[0].buf = (char *)"one-";
        wb[0].len = 4;
        wb[1].buf = (char *)"two-";
        wb[1].len = 4;
        wb[2].buf = (char *)"three";
        wb[2].len = 5;
        reset_overlapped(&ov, ev);
        bytes = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        if (WSASend(c, wb, 3, &bytes, 0, &ov, NULL) == 0) {
            CHECK_EQ(bytes, 13);
        } else {
            CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        }
        memset(wb, 0, sizeof(wb));
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        CHECK(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
        CHECK_EQ(bytes, 13);
        memset(buf, 0, sizeof(buf));
        CHECK_EQ(recv_all(s, buf, 13), 13);
        CHECK(memcmp(buf, "one-two-three", 13) == 0);
        ResetEvent(ev);
    }

    TEST("WriteFile/ReadFile on sockets, overlapped");
    {
        OVERLAPPED fov;
        BOOL ok;
        memset(&fov, 0, sizeof(fov));
        fov.hEvent = ev;
        SetLastError(0xdeadbeef);
        ok = WriteFile((HANDLE)c, "filedata", 8, NULL, &fov);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        bytes = 0;
        CHECK(GetOverlappedResult((HANDLE)c, &fov, &bytes, TRUE));
        CHECK_EQ(bytes, 8);
        CHECK_EQ(wait_readable(s, 8), 8);
        memset(&fov, 0, sizeof(fov));
        fov.hEvent = ev;
        memset(buf, 0, sizeof(buf));
        SetLastError(0xdeadbeef);
        ok = ReadFile((HANDLE)s, buf, sizeof(buf), NULL, &fov);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        bytes = 0;
        CHECK(GetOverlappedResult((HANDLE)s, &fov, &bytes, TRUE));
        CHECK_EQ(bytes, 8);
        CHECK(memcmp(buf, "filedata", 8) == 0);

        /* With nothing queued ReadFile pends like WSARecv. */
        memset(&fov, 0, sizeof(fov));
        fov.hEvent = ev;
        SetLastError(0xdeadbeef);
        CHECK(!ReadFile((HANDLE)s, buf, sizeof(buf), NULL, &fov));
        CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
        CHECK_EQ(fov.Internal, ST_PENDING);
        CHECK_EQ(send(c, "more", 4, 0), 4);
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        bytes = 0;
        CHECK(GetOverlappedResult((HANDLE)s, &fov, &bytes, FALSE));
        CHECK_EQ(bytes, 4);
        CHECK(memcmp(buf, "more", 4) == 0);
    }

    /* A socket is an overlapped handle; with no OVERLAPPED, kernelbase issues the request
     * without an event and waits for it (a socket has no file offset to need one). */
    TEST("WriteFile/ReadFile on sockets with no OVERLAPPED wait for their request");
    {
        struct delayed_send later = {0};
        HANDLE sender;
        bytes = 0;
        CHECK(WriteFile((HANDLE)c, "plain", 5, &bytes, NULL));
        CHECK_EQ(bytes, 5);
        CHECK_EQ(wait_readable(s, 5), 5);
        bytes = 0;
        memset(buf, 0, sizeof(buf));
        CHECK(ReadFile((HANDLE)s, buf, sizeof(buf), &bytes, NULL));
        CHECK_EQ(bytes, 5);
        CHECK(memcmp(buf, "plain", 5) == 0);
        later.s = c;
        later.data = "waited";
        later.len = 6;
        later.delay_ms = 100;
        sender = CreateThread(NULL, 0, delayed_send_main, &later, 0, NULL);
        bytes = 0;
        CHECK(ReadFile((HANDLE)s, buf, sizeof(buf), &bytes, NULL));
        CHECK_EQ(bytes, 6);
        CHECK(memcmp(buf, "waited", 6) == 0);
        CHECK_EQ(WaitForSingleObject(sender, 5000), WAIT_OBJECT_0);
        CloseHandle(sender);
    }

    TEST("zero-byte WSARecv: refused without buffers; with one empty buffer it pends");
    {
        WSABUF wb;
        u_long avail;
        WSAOVERLAPPED bad[2];
        for (int i = 0; i < 2; ++i) {
            reset_overlapped(&bad[i], NULL);
            flags = 0;
            wb.buf = buf;
            wb.len = 0;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(WSARecv(s, i ? &wb : NULL, 0, NULL, &flags, &bad[i], NULL), SOCKET_ERROR);
            WINE_DEVIATION("Wine 8.0 accepts a WSARecv with no buffers (it pends) instead of failing it with WSAEINVAL") {
                CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            }
            if (WSAGetLastError() == WSA_IO_PENDING) { /* do not leave it to eat later data */
                CHECK(CancelIoEx((HANDLE)s, &bad[i]));
                CHECK(wait_completed(&bad[i], 5000));
            }
        }

        TEST("zero-byte WSARecv: completes with 0 bytes when data arrives, and takes none of it");
        ResetEvent(ev);
        reset_overlapped(&ov, ev);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(c, "data", 5, 0), 5);
        CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
        bytes = 0xdeadbeef;
        CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
        CHECK_EQ(bytes, 0);
        avail = 0;
        CHECK_EQ(ioctlsocket(s, FIONREAD, &avail), 0);
        CHECK_EQ(avail, 5);
        /* With data queued, another zero-byte receive completes at once. */
        bytes = 0xdeadbeef;
        CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL), 0);
        CHECK_EQ(bytes, 0);
        CHECK_EQ(recv(s, buf, sizeof(buf), 0), 5);
        CHECK(memcmp(buf, "data", 5) == 0);
        ResetEvent(ev);
    }

    TEST("MSG_PEEK with WSARecv (no OVERLAPPED: treated as non-overlapped) leaves data queued");
    {
        WSABUF wb;
        u_long avail;
        CHECK_EQ(send(c, "peekaboo", 8, 0), 8);
        CHECK_EQ(wait_readable(s, 8), 8);
        wb.buf = buf;
        wb.len = sizeof(buf);
        flags = MSG_PEEK;
        bytes = 0xdeadbeef;
        memset(buf, 0, sizeof(buf));
        CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, NULL, NULL), 0);
        CHECK_EQ(bytes, 8);
        CHECK(memcmp(buf, "peekaboo", 8) == 0);
        avail = 0;
        CHECK_EQ(ioctlsocket(s, FIONREAD, &avail), 0);
        CHECK_EQ(avail, 8);
        flags = 0;
        memset(buf, 0, sizeof(buf));
        CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, NULL, NULL), 0);
        CHECK_EQ(bytes, 8);
        CHECK(memcmp(buf, "peekaboo", 8) == 0);
    }

    TEST("WSARecv with lpFlags NULL fails with WSAEFAULT and queues nothing");
    {
        WSABUF wb;
        wb.buf = buf;
        wb.len = sizeof(buf);
        reset_overlapped(&ov, ev);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, NULL, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(s, &wb, 1, &bytes, NULL, NULL, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }

    TEST("WSASend/WSARecv on something that is not a socket: WSAENOTSOCK");
    {
        WSABUF wb;
        wb.buf = buf;
        wb.len = sizeof(buf);
        reset_overlapped(&ov, ev);
        flags = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(INVALID_SOCKET, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSASend(INVALID_SOCKET, &wb, 1, NULL, 0, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    }

    closesocket(c);
    closesocket(s);
    CloseHandle(ev);
}

/* ---------------------------------------------------------------------------------
 * The peer closes: gracefully, abortively */

/* An overlapped WSARecv of one buffer that must fail at once with `error`. */
static void check_recv_refused(SOCKET s, char *buf, ULONG len, WSAOVERLAPPED *ov, int error)
{
    WSABUF wb;
    DWORD flags = 0, bytes = 0xdeadbeef;
    wb.buf = buf;
    wb.len = len;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), error);
}

static void test_pending_at_receive_shutdown(void)
{
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD bytes, flags;

    /* Wine's sock.c test_shutdown: a receive pending when SD_RECEIVE is applied still
     * completes with the data that comes; only later receives fail (WSAESHUTDOWN). */
    TEST("SD_RECEIVE with a receive pending: it stays pending and completes with the data");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(shutdown(s, SD_RECEIVE), 0);
    CHECK_EQ(WaitForSingleObject(ev, 200), WAIT_TIMEOUT);
    CHECK_EQ(ov.Internal, ST_PENDING);
    CHECK_EQ(send(c, "later", 5, 0), 5);
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    bytes = 0xdeadbeef;
    CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buf, "later", 5) == 0);
    reset_overlapped(&ov, ev);
    check_recv_refused(s, buf, sizeof(buf), &ov, WSAESHUTDOWN);
    closesocket(c);
    closesocket(s);
    CloseHandle(ev);
}

static void test_urgent_receive(void)
{
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD bytes, flags;
    int ret;

    /* Microsoft Learn, recv/WSARecv: MSG_OOB reads the urgent byte; WSAEINVAL only with
     * SO_OOBINLINE. Before the byte comes the receive has nothing to give, and ordinary
     * data is not for it: it stays pending. */
    TEST("WSARecv(MSG_OOB) pends until the urgent byte comes; ordinary data does not end it");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    wb.buf = buf;
    wb.len = sizeof(buf);
    flags = MSG_OOB;
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(send(c, "plain", 5, 0), 5);
    CHECK_EQ(wait_readable(s, 5), 5);
    CHECK_EQ(WaitForSingleObject(ev, 200), WAIT_TIMEOUT);
    CHECK_EQ(ov.Internal, ST_PENDING);
    CHECK_EQ(send(c, "U", 1, MSG_OOB), 1);
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    bytes = 0xdeadbeef;
    CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(bytes, 1);
    CHECK_EQ(buf[0], 'U');
    CHECK_EQ(recv_all(s, buf, 5), 5);
    CHECK(memcmp(buf, "plain", 5) == 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(ev);
}

static void test_peer_close(void)
{
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[64];
    DWORD bytes, flags;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;

    TEST("graceful close by the peer: a pending receive completes with success and 0 bytes");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(shutdown(c, SD_SEND), 0);
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    bytes = 0xdeadbeef;
    CHECK(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(bytes, 0);
    CHECK_EQ(ov.Internal, ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 0);
    /* Later receives complete at once with 0 bytes too. */
    wb.buf = buf;
    wb.len = sizeof(buf);
    flags = 0;
    bytes = 0xdeadbeef;
    reset_overlapped(&ov, ev);
    CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL), 0);
    CHECK_EQ(bytes, 0);
    closesocket(c);
    closesocket(s);
    ResetEvent(ev);

    TEST("graceful close by the peer, port: the packet is TRUE with 0 bytes");
    tcp_pair(&c, &s);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 8, 0);
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(closesocket(c), 0);
    bytes = 0xdeadbeef;
    got = NULL;
    SetLastError(0xdeadbeef);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 0);
    CHECK_EQ(key, 8);
    CHECK(got == &ov);
    closesocket(s);
    CloseHandle(port);

    TEST("abortive close by the peer: WSAECONNRESET / ERROR_NETNAME_DELETED, STATUS_CONNECTION_RESET");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    close_with_reset(c);
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, ST_CONNECTION_RESET);
    CHECK_EQ(ov.InternalHigh, 0);
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK(!WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
    CHECK_EQ(bytes, 0);
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
    CHECK_EQ(GetLastError(), ERROR_NETNAME_DELETED);
    CHECK_EQ(bytes, 0);

    TEST("after a reset: SO_ERROR is 0; receives and sends fail at once with WSAECONNRESET");
    {
        int err = 0xdead, len = sizeof(err);
        CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
        CHECK_EQ(err, 0);
    }
    wb.buf = buf;
    wb.len = sizeof(buf);
    flags = 0;
    bytes = 0xdeadbeef;
    reset_overlapped(&ov, ev);
    WSASetLastError(0xdeadbeef);
    WINE_DEVIATION("Wine 8.0 reports end of stream (0 bytes, success) to a receive posted after a reset") {
        CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
        CHECK_EQ(bytes, 0xdeadbeef);
    }
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(s, "data", 5, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
    closesocket(s);
    ResetEvent(ev);

    TEST("abortive close by the peer, port: FALSE with ERROR_NETNAME_DELETED, key, 0 bytes");
    tcp_pair(&c, &s);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 125, 0);
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    close_with_reset(c);
    bytes = 0xdeadbeef;
    key = 0xdeadbeef;
    got = NULL;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(GetLastError(), ERROR_NETNAME_DELETED);
    CHECK_EQ(key, 125);
    CHECK_EQ(bytes, 0);
    CHECK(got == &ov);

    TEST("after a reset, port: WSASend fails at once with WSAECONNRESET and queues nothing");
    wb.buf = buf;
    wb.len = 16;
    bytes = 0xdeadbeef;
    reset_overlapped(&ov, NULL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSASend(s, &wb, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
    CHECK_EQ(bytes, 0xdeadbeef);
    expect_no_packet(port, 200);
    closesocket(s);
    CloseHandle(port);
    CloseHandle(ev);
}

/* ---------------------------------------------------------------------------------
 * closesocket with requests pending */

static void test_close_pending(void)
{
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    char buf[64];
    DWORD bytes, err;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;
    BOOL ok;

    TEST("closesocket, event: the pending receive completes and its event is signalled");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(closesocket(s), 0);
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    CHECK(HasOverlappedIoCompleted(&ov));
    CHECK(ov.Internal != ST_SUCCESS); /* it failed */
    CHECK_EQ(ov.InternalHigh, 0);
    WINE_DEVIATION(CLOSE_ABORTS_WINE) {
        CHECK_EQ(ov.Internal, ST_CONNECTION_ABORTED);
    }
    closesocket(c);
    ResetEvent(ev);

    TEST("closesocket, port: FALSE with the key, 0 bytes and the OVERLAPPED*");
    tcp_pair(&c, &s);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 0x12345678, 0);
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK_EQ(closesocket(s), 0);
    bytes = 0xdeadbeef;
    key = 0xdeadbeef;
    got = NULL;
    SetLastError(0xdeadbeef);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
    err = GetLastError();
    CHECK(!ok);
    CHECK(got == &ov);
    CHECK_EQ(key, 0x12345678);
    CHECK_EQ(bytes, 0);
    CHECK(err != 0 && err != 0xdeadbeef);
    WINE_DEVIATION(CLOSE_ABORTS_WINE) {
        CHECK_EQ(err, ERROR_CONNECTION_ABORTED);
        CHECK_EQ(ov.Internal, ST_CONNECTION_ABORTED);
    }
    expect_no_packet(port, 200);
    closesocket(c);
    CloseHandle(port);

    TEST("closesocket, completion routine: the routine runs once with an error");
    tcp_pair(&c, &s);
    reset_routine();
    reset_overlapped(&ov, NULL);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, record_routine));
    CHECK_EQ(closesocket(s), 0);
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK(routine_ov == &ov);
    CHECK_EQ(routine_bytes, 0);
    CHECK(routine_error != 0);
    WINE_DEVIATION(CLOSE_ABORTS_WINE) {
        CHECK_EQ(routine_error, WSAECONNABORTED);
    }
    CHECK_EQ(SleepEx(0, TRUE), 0); /* exactly once */
    closesocket(c);

    TEST("CloseHandle on a socket also completes its pending receive");
    tcp_pair(&c, &s);
    reset_overlapped(&ov, ev);
    ResetEvent(ev);
    CHECK(post_pending_recv(s, buf, sizeof(buf), &ov, NULL));
    CHECK(CloseHandle((HANDLE)s));
    CHECK_EQ(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    CHECK(ov.Internal != ST_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 0);
    WINE_DEVIATION(CLOSE_ABORTS_WINE) {
        CHECK_EQ(ov.Internal, ST_CONNECTION_ABORTED);
    }
    closesocket(c);
    CloseHandle(ev);
}

/* ---------------------------------------------------------------------------------
 * CancelIo, CancelIoEx, and the issuing thread's exit */

struct poster {
    SOCKET s;
    WSAOVERLAPPED *ov;
    char *buf;
    HANDLE posted;
    HANDLE release;
    int exit_at_once;
};

static DWORD WINAPI poster_main(LPVOID arg)
{
    struct poster *p = arg;
    int ok = post_pending_recv(p->s, p->buf, 16, p->ov, NULL);
    SetEvent(p->posted);
    if (!p->exit_at_once)
        WaitForSingleObject(p->release, 10000);
    return ok ? 0 : 1;
}

static void check_cancelled(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD bytes = 0xdeadbeef, flags = 0xdeadbeef;
    CHECK_EQ(ov->Internal, ST_CANCELLED);
    CHECK_EQ(ov->InternalHigh, 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)s, ov, &bytes, FALSE));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    WSASetLastError(0xdeadbeef);
    CHECK(!WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);
    CHECK_EQ(WSA_OPERATION_ABORTED, ERROR_OPERATION_ABORTED);
}

static void test_cancel(void)
{
    SOCKET c, s;
    HANDLE ev1 = CreateEventA(NULL, TRUE, FALSE, NULL), ev2 = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov1, ov2, stranger;
    char buf1[16], buf2[16];

    tcp_pair(&c, &s);

    TEST("CancelIoEx with nothing pending: ERROR_NOT_FOUND; CancelIo: TRUE");
    SetLastError(0xdeadbeef);
    WINE_DEVIATION("Wine 8.0's CancelIoEx(socket, NULL) returns TRUE when nothing is pending") {
        CHECK(!CancelIoEx((HANDLE)s, NULL));
        CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    }
    CHECK(CancelIo((HANDLE)s));

    TEST("CancelIoEx(one OVERLAPPED): only that request is cancelled");
    reset_overlapped(&ov1, ev1);
    reset_overlapped(&ov2, ev2);
    CHECK(post_pending_recv(s, buf1, sizeof(buf1), &ov1, NULL));
    CHECK(post_pending_recv(s, buf2, sizeof(buf2), &ov2, NULL));
    memset(&stranger, 0, sizeof(stranger));
    SetLastError(0xdeadbeef);
    CHECK(!CancelIoEx((HANDLE)s, &stranger));
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    CHECK(CancelIoEx((HANDLE)s, &ov1));
    CHECK_EQ(WaitForSingleObject(ev1, 5000), WAIT_OBJECT_0);
    check_cancelled(s, &ov1);
    CHECK_EQ(WaitForSingleObject(ev2, 100), WAIT_TIMEOUT);
    CHECK_EQ(ov2.Internal, ST_PENDING);
    SetLastError(0xdeadbeef);
    CHECK(!CancelIoEx((HANDLE)s, &ov1)); /* already done */
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);

    TEST("CancelIoEx(NULL): every request on the handle is cancelled");
    ResetEvent(ev1);
    reset_overlapped(&ov1, ev1);
    CHECK(post_pending_recv(s, buf1, sizeof(buf1), &ov1, NULL));
    CHECK(CancelIoEx((HANDLE)s, NULL));
    CHECK_EQ(WaitForSingleObject(ev1, 5000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ev2, 5000), WAIT_OBJECT_0);
    check_cancelled(s, &ov1);
    check_cancelled(s, &ov2);

    TEST("CancelIo cancels the calling thread's requests only");
    {
        struct poster p;
        HANDLE thread;
        ResetEvent(ev1);
        ResetEvent(ev2);
        reset_overlapped(&ov1, ev1);
        p.s = s;
        p.ov = &ov1;
        p.buf = buf1;
        p.posted = CreateEventA(NULL, TRUE, FALSE, NULL);
        p.release = CreateEventA(NULL, TRUE, FALSE, NULL);
        p.exit_at_once = 0;
        thread = CreateThread(NULL, 0, poster_main, &p, 0, NULL);
        CHECK_EQ(WaitForSingleObject(p.posted, 5000), WAIT_OBJECT_0);
        reset_overlapped(&ov2, ev2);
        CHECK(post_pending_recv(s, buf2, sizeof(buf2), &ov2, NULL));
        CHECK(CancelIo((HANDLE)s));
        CHECK_EQ(WaitForSingleObject(ev2, 5000), WAIT_OBJECT_0);
        check_cancelled(s, &ov2);
        CHECK_EQ(WaitForSingleObject(ev1, 200), WAIT_TIMEOUT);
        CHECK_EQ(ov1.Internal, ST_PENDING);
        /* CancelIoEx works across threads. */
        CHECK(CancelIoEx((HANDLE)s, &ov1));
        CHECK_EQ(WaitForSingleObject(ev1, 5000), WAIT_OBJECT_0);
        check_cancelled(s, &ov1);
        SetEvent(p.release);
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
        CloseHandle(p.posted);
        CloseHandle(p.release);
    }

    TEST("the issuing thread's exit cancels its requests (socket not bound to a port)");
    {
        struct poster p;
        HANDLE thread;
        ResetEvent(ev1);
        reset_overlapped(&ov1, ev1);
        p.s = s;
        p.ov = &ov1;
        p.buf = buf1;
        p.posted = CreateEventA(NULL, TRUE, FALSE, NULL);
        p.release = NULL;
        p.exit_at_once = 1;
        thread = CreateThread(NULL, 0, poster_main, &p, 0, NULL);
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
        CloseHandle(p.posted);
        CHECK_EQ(WaitForSingleObject(ev1, 5000), WAIT_OBJECT_0);
        check_cancelled(s, &ov1);
    }

    TEST("a cancelled request through a port: FALSE, ERROR_OPERATION_ABORTED, key, 0 bytes");
    {
        HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 55, 0);
        DWORD bytes = 0xdeadbeef;
        ULONG_PTR key = 0;
        LPOVERLAPPED got = NULL;
        reset_overlapped(&ov1, NULL);
        CHECK(post_pending_recv(s, buf1, sizeof(buf1), &ov1, NULL));
        CHECK(CancelIoEx((HANDLE)s, &ov1));
        SetLastError(0xdeadbeef);
        CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
        CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
        CHECK_EQ(key, 55);
        CHECK_EQ(bytes, 0);
        CHECK(got == &ov1);
        CHECK_EQ(ov1.Internal, ST_CANCELLED);

        TEST("port: the issuing thread's exit cancels nothing; the data completes the receive");
        {
            struct poster p;
            HANDLE thread;
            reset_overlapped(&ov1, NULL);
            memset(buf1, 0, sizeof(buf1));
            p.s = s;
            p.ov = &ov1;
            p.buf = buf1;
            p.posted = CreateEventA(NULL, TRUE, FALSE, NULL);
            p.release = NULL;
            p.exit_at_once = 1;
            thread = CreateThread(NULL, 0, poster_main, &p, 0, NULL);
            CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
            CloseHandle(thread);
            CloseHandle(p.posted);
            got = NULL;
            SetLastError(0xdeadbeef);
            CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 300));
            CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
            CHECK_EQ(ov1.Internal, ST_PENDING);
            CHECK_EQ(send(c, "Hello World!", 12, 0), 12);
            CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
            CHECK_EQ(bytes, 12);
            CHECK_EQ(key, 55);
            CHECK(got == &ov1);
            CHECK_EQ(ov1.Internal, ST_SUCCESS);
            CHECK_EQ(ov1.InternalHigh, 12);
            CHECK(memcmp(buf1, "Hello World!", 12) == 0);
        }
        CloseHandle(port);
    }

    closesocket(c);
    closesocket(s);
    CloseHandle(ev1);
    CloseHandle(ev2);
}

/* ---------------------------------------------------------------------------------
 * Ordering */

static void test_ordering(void)
{
    enum { SENDS = 8, SEND_SIZE = 1000, RECVS = 4, RECV_SIZE = 16 };
    SOCKET c, s;
    static char out[SENDS][SEND_SIZE];
    static char in[SENDS * SEND_SIZE];
    WSAOVERLAPPED ov[SENDS];
    HANDLE ev[SENDS];
    WSABUF wb;
    DWORD bytes, flags;

    tcp_pair(&c, &s);

    TEST("several WSASends posted back to back all complete and arrive in posting order");
    for (int i = 0; i < SENDS; ++i) {
        for (int j = 0; j < SEND_SIZE; ++j)
            out[i][j] = (char)(i * 31 + j);
        ev[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
        reset_overlapped(&ov[i], ev[i]);
        wb.buf = out[i];
        wb.len = SEND_SIZE;
        WSASetLastError(0xdeadbeef);
        if (WSASend(c, &wb, 1, NULL, 0, &ov[i], NULL) != 0)
            CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    }
    CHECK_EQ(recv_all(s, in, sizeof(in)), sizeof(in));
    for (int i = 0; i < SENDS; ++i) {
        CHECK_EQ(WaitForSingleObject(ev[i], 5000), WAIT_OBJECT_0);
        bytes = 0;
        CHECK(WSAGetOverlappedResult(c, &ov[i], &bytes, FALSE, &flags));
        CHECK_EQ(bytes, SEND_SIZE);
        CHECK(memcmp(in + i * SEND_SIZE, out[i], SEND_SIZE) == 0);
        ResetEvent(ev[i]);
    }

    TEST("several pending WSARecvs are filled in the order they were posted");
    {
        char bufs[RECVS][RECV_SIZE];
        char msg[RECVS * RECV_SIZE];
        for (int i = 0; i < (int)sizeof(msg); ++i)
            msg[i] = (char)('A' + i);
        for (int i = 0; i < RECVS; ++i) {
            reset_overlapped(&ov[i], ev[i]);
            CHECK(post_pending_recv(s, bufs[i], RECV_SIZE, &ov[i], NULL));
        }
        CHECK_EQ(send(c, msg, sizeof(msg), 0), sizeof(msg));
        for (int i = 0; i < RECVS; ++i) {
            CHECK_EQ(WaitForSingleObject(ev[i], 5000), WAIT_OBJECT_0);
            bytes = 0;
            CHECK(WSAGetOverlappedResult(s, &ov[i], &bytes, FALSE, &flags));
            CHECK_EQ(bytes, RECV_SIZE);
            CHECK(memcmp(bufs[i], msg + i * RECV_SIZE, RECV_SIZE) == 0);
        }
    }

    for (int i = 0; i < SENDS; ++i)
        CloseHandle(ev[i]);
    closesocket(c);
    closesocket(s);
}

/* WSARecv/WSASend given an OVERLAPPED take one of two paths in the library (one lookup
 * for an overlapped socket, the general one otherwise): each answer is checked here. */
static void test_socket_kinds(void)
{
    struct sockaddr_in addr;
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD bytes, flags;
    char out[100], in[100];
    for (int i = 0; i < (int)sizeof(out); ++i)
        out[i] = (char)(i * 7 + 1);

    TEST("a socket made without WSA_FLAG_OVERLAPPED: WSASend/WSARecv with an OVERLAPPED finish at once");
    {
        SOCKET listener = make_listener(&addr);
        SOCKET c = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
        CHECK(c != INVALID_SOCKET);
        CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
        SOCKET s = accept(listener, NULL, NULL);
        CHECK(s != INVALID_SOCKET);
        HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
        reset_overlapped(&ov, event);
        wb.buf = out;
        wb.len = sizeof(out);
        bytes = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSASend(c, &wb, 1, &bytes, 0, &ov, NULL), 0);
        CHECK_EQ(bytes, sizeof(out));
        CHECK_EQ(recv_all(s, in, sizeof(in)), sizeof(in));
        CHECK(memcmp(in, out, sizeof(out)) == 0);

        CHECK_EQ(send(s, out, 40, 0), 40);
        reset_overlapped(&ov, event);
        memset(in, 0, sizeof(in));
        wb.buf = in;
        wb.len = sizeof(in);
        bytes = 0xdeadbeef;
        flags = 0;
        CHECK_EQ(WSARecv(c, &wb, 1, &bytes, &flags, &ov, NULL), 0);
        CHECK(bytes > 0 && bytes <= 40);
        CHECK(memcmp(in, out, bytes) == 0);
        CloseHandle(event);
        closesocket(c);
        closesocket(s);
        closesocket(listener);
    }

    TEST("WSASend with an OVERLAPPED on a stream socket that never connected fails at once");
    {
        SOCKET lone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK(lone != INVALID_SOCKET);
        reset_overlapped(&ov, NULL);
        wb.buf = out;
        wb.len = sizeof(out);
        bytes = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSASend(lone, &wb, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 fails a send on a never-connected TCP socket with WSAECONNRESET") {
            CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
        }
        CHECK_EQ(bytes, 0xdeadbeef);
        closesocket(lone);
    }

    TEST("WSARecv/WSASend with an OVERLAPPED on a closed socket handle: WSAENOTSOCK");
    {
        SOCKET gone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK(gone != INVALID_SOCKET);
        closesocket(gone);
        reset_overlapped(&ov, NULL);
        check_recv_refused(gone, in, sizeof(in), &ov, WSAENOTSOCK);
        wb.buf = in;
        wb.len = sizeof(in);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSASend(gone, &wb, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
}

/* ---------------------------------------------------------------------------------
 * Addresses on a connection-oriented socket: sendto/recvfrom, WSARecvFrom */

static void test_stream_addresses(void)
{
    SOCKET c, s;
    char buf[64];
    struct sockaddr_in junk, junk_copy;
    int junk_length;
    WSAOVERLAPPED ov;
    HANDLE ev = WSACreateEvent();
    WSABUF wb;
    DWORD flags, bytes;

    tcp_pair(&c, &s);
    memset(&junk, 0xfe, sizeof(junk));
    memcpy(&junk_copy, &junk, sizeof(junk));
    wb.buf = buf;
    wb.len = sizeof(buf);

    TEST("recvfrom on a stream socket: from and fromlen are neither checked nor written");
    {
        CHECK_EQ(send(c, "stream", 7, 0), 7);
        CHECK_EQ(wait_readable(s, 7), 7);
        junk_length = (int)0xc0ffee11; /* negative: would be WSAEFAULT on a datagram socket */
        memset(buf, 0, sizeof(buf));
        CHECK_EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&junk, &junk_length), 7);
        CHECK(memcmp(buf, "stream", 7) == 0);
        CHECK(memcmp(&junk, &junk_copy, sizeof(junk)) == 0);
        CHECK_EQ(junk_length, (int)0xc0ffee11);
    }

    TEST("blocking WSARecvFrom on a stream socket with a length of -5: succeeds, both untouched");
    {
        CHECK_EQ(send(c, "again", 6, 0), 6);
        CHECK_EQ(wait_readable(s, 6), 6);
        junk_length = -5;
        flags = 0;
        bytes = 0xdeadbeef;
        CHECK_EQ(WSARecvFrom(s, &wb, 1, &bytes, &flags, (struct sockaddr *)&junk, &junk_length, NULL, NULL), 0);
        CHECK_EQ(bytes, 6);
        CHECK(memcmp(&junk, &junk_copy, sizeof(junk)) == 0);
        CHECK_EQ(junk_length, -5);
    }

    TEST("overlapped WSARecvFrom on a stream socket with a length of -5: pends, completes, both untouched");
    {
        junk_length = -5;
        flags = 0;
        reset_overlapped(&ov, ev);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecvFrom(s, &wb, 1, NULL, &flags, (struct sockaddr *)&junk, &junk_length, &ov, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(c, "later", 6, 0), 6);
        bytes = 0;
        CHECK(WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags));
        CHECK_EQ(bytes, 6);
        CHECK(memcmp(buf, "later", 6) == 0);
        CHECK(memcmp(&junk, &junk_copy, sizeof(junk)) == 0);
        CHECK_EQ(junk_length, -5);
    }

    TEST("sendto on a stream socket: the address is ignored and left alone");
    {
        WINE_DEVIATION("Wine 8.0 fails sendto on a connected stream socket with WSAEFAULT when the address is not a valid one") {
            memset(buf, 0, sizeof(buf));
            CHECK_EQ(sendto(s, "back", 5, 0, (struct sockaddr *)&junk, sizeof(junk)), 5);
            CHECK(memcmp(&junk, &junk_copy, sizeof(junk)) == 0);
            CHECK_EQ(wait_readable(c, 5), 5);
            CHECK_EQ(recv(c, buf, sizeof(buf), 0), 5);
            CHECK(memcmp(buf, "back", 5) == 0);
        }
    }

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

int main(void)
{
    WSADATA data;
    HANDLE watchdog;

    watchdog_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    watchdog = CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL);
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        printf("FAIL WSAStartup\n");
        return 1;
    }

    test_event_notification();
    test_overlapped_result_statuses();
    test_completion_routine();
    test_completion_port();
    test_notification_modes();
    test_buffers_and_files();
    test_peer_close();
    test_urgent_receive();
    test_pending_at_receive_shutdown();
    test_cancel();
    test_ordering();
    test_socket_kinds();
    test_stream_addresses();
    test_close_pending(); /* last: it closes a socket with CloseHandle */

    WSACleanup();
    SetEvent(watchdog_done);
    WaitForSingleObject(watchdog, 5000);
    CloseHandle(watchdog);
    CloseHandle(watchdog_done);
    return tl_finish();
}
