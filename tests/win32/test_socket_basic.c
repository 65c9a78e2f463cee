/* test_socket_basic.c: the blocking and synchronous core of Winsock.
 *
 * Covers: WSAStartup/WSACleanup reference counting and WSANOTINITIALISED, the thread's
 * last error shared by WSAGetLastError/WSASetLastError and GetLastError/SetLastError,
 * socket/WSASocketA/WSASocketW and their argument errors, bind, listen, connect, accept
 * (addresses and lengths), send/recv (partial reads, MSG_PEEK, MSG_WAITALL), shutdown and
 * the WSAESHUTDOWN errors after it, getsockname/getpeername, closesocket of bad handles,
 * socket options (SO_TYPE, SO_RCVBUF, SO_SNDBUF, SO_KEEPALIVE, SO_LINGER, SO_REUSEADDR,
 * SO_ERROR, SO_ACCEPTCONN, TCP_NODELAY) and their length rules, ioctlsocket FIONBIO and
 * FIONREAD (and a bad argp), connection refused, sockets as handles (GetFileType, DuplicateHandle,
 * GetHandleInformation, CloseHandle), and WSAAccept's condition function (CF_ACCEPT,
 * CF_REJECT, CF_DEFER and the deferred connection coming back), WSAConnectByNameA/W.
 *
 * Every fact is sourced in docs/research/windows-sockets-core.md; checks that Wine gets
 * wrong are in WINE_DEVIATION and listed in tests/win32/WINE_DEVIATIONS_sockets.md.
 * Loopback only (127.0.0.1, port 0 then getsockname). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include "testlib.h"

#define LOOPBACK_ADDR 0x7f000001UL /* 127.0.0.1 in host order */
#define WATCHDOG_MS 90000

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

static void loopback_any_port(struct sockaddr_in *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(LOOPBACK_ADDR);
    addr->sin_port = 0;
}

/* A TCP socket listening on 127.0.0.1 with a system-chosen port; *addr gets the address. */
static SOCKET make_listener(struct sockaddr_in *addr, int backlog)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*addr);
    CHECK(s != INVALID_SOCKET);
    loopback_any_port(addr);
    CHECK_EQ(bind(s, (struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    CHECK_EQ(listen(s, backlog), 0);
    return s;
}

/* A connected pair over loopback: *client connected, *server accepted. */
static void tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = make_listener(&addr, 1);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(*client != INVALID_SOCKET);
    CHECK_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *server = accept(listener, NULL, NULL);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

/* Waits (bounded) until FIONREAD reports at least `want` bytes. Returns the count. */
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

/* A connection waits on `listener` within `ms` milliseconds. */
static int connection_waiting(SOCKET listener, long ms)
{
    fd_set set;
    struct timeval tv;
    FD_ZERO(&set);
    FD_SET(listener, &set);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, &set, NULL, NULL, &tv) == 1;
}

/* accept (or WSAAccept without a condition function) with an address length one byte
 * short of SOCKADDR_IN fails with WSAEFAULT and leaves the connection for the next call. */
static void short_address_keeps_connection(SOCKET listener, const struct sockaddr_in *laddr, int use_wsaaccept)
{
    struct sockaddr_storage ss;
    struct sockaddr_in caddr;
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (const struct sockaddr *)laddr, sizeof(*laddr)), 0);
    int len = sizeof(struct sockaddr_in) - 1;
    WSASetLastError(0xdeadbeef);
    SOCKET server = use_wsaaccept ? WSAAccept(listener, (struct sockaddr *)&ss, &len, NULL, 0)
                                  : accept(listener, (struct sockaddr *)&ss, &len);
    CHECK(server == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    if (server != INVALID_SOCKET) closesocket(server);
    len = sizeof(caddr);
    CHECK_EQ(getsockname(client, (struct sockaddr *)&caddr, &len), 0);
    WINE_DEVIATION("Wine 8.0 accepts the connection before checking the address length: "
                   "the failed call consumed it") {
        CHECK(connection_waiting(listener, 2000));
        len = sizeof(ss);
        server = accept(listener, (struct sockaddr *)&ss, &len);
        CHECK(server != INVALID_SOCKET);
        CHECK(memcmp(&ss, &caddr, sizeof(caddr)) == 0);
        if (server != INVALID_SOCKET) closesocket(server);
    }
    closesocket(client);
}

/* A socket is writable (connect finished) within the timeout. */
static int wait_writable(SOCKET s, int ms)
{
    fd_set wr, ex;
    struct timeval tv;
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    FD_SET(s, &wr);
    FD_SET(s, &ex);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, NULL, &wr, &ex, &tv) == 1 && FD_ISSET(s, &wr);
}

/* ---------------------------------------------------------------------------------
 * WSAStartup / WSACleanup. Runs first, before anything else starts the library; leaves
 * it started (one reference) for the rest of the program. */

static void test_startup_cleanup(void)
{
    WSADATA data;
    SOCKET s;

    TEST("before WSAStartup: socket and WSASocketA fail with WSANOTINITIALISED");
    WSASetLastError(0xdeadbeef);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0xdeadbeef);
    s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);

    TEST("WSAStartup(2.2) twice: the library stays up until the second WSACleanup");
    memset(&data, 0xcc, sizeof(data));
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    CHECK_EQ(data.wVersion, MAKEWORD(2, 2));
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    CHECK_EQ(WSACleanup(), 0);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET); /* one reference left: still started */
    CHECK_EQ(WSACleanup(), 0);

    TEST("after the last WSACleanup: WSANOTINITIALISED again, and old sockets are gone");
    WSASetLastError(0xdeadbeef);
    CHECK(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);

    /* Started again for the rest of the program. The socket made before the final
     * WSACleanup was destroyed by it: no socket has been made since, so its value has
     * not been reused. */
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    if (s != INVALID_SOCKET) {
        struct sockaddr_in addr;
        int len = sizeof(addr);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getsockname(s, (struct sockaddr *)&addr, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
}

/* ---------------------------------------------------------------------------------
 * The last error */

static volatile LONG other_thread_error;

static DWORD WINAPI set_error_thread(LPVOID arg)
{
    (void)arg;
    WSASetLastError(WSAECONNRESET);
    tl_store(&other_thread_error, (LONG)GetLastError());
    return 0;
}

static void test_last_error(void)
{
    HANDLE thread;

    TEST("WSAGetLastError/WSASetLastError are the thread's GetLastError/SetLastError");
    WSASetLastError(WSAEWOULDBLOCK);
    CHECK_EQ(GetLastError(), WSAEWOULDBLOCK);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    SetLastError(ERROR_IO_PENDING);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(WSA_IO_PENDING, ERROR_IO_PENDING);

    /* Per thread: another thread's value does not leak into this one. */
    WSASetLastError(1234);
    thread = CreateThread(NULL, 0, set_error_thread, NULL, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&other_thread_error), WSAECONNRESET);
    CHECK_EQ(WSAGetLastError(), 1234);

    /* A failing call sets it; GetLastError sees the same value. */
    SetLastError(0xdeadbeef);
    CHECK_EQ(closesocket(INVALID_SOCKET), SOCKET_ERROR);
    CHECK_EQ(GetLastError(), WSAENOTSOCK);
}

/* ---------------------------------------------------------------------------------
 * socket / WSASocketA / WSASocketW */

static int socket_type_of(SOCKET s)
{
    int type = 0xdead, len = sizeof(type);
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0)
        return -1;
    return type;
}

static void test_socket_create(void)
{
    static const struct {
        int af, type, protocol;
        int error;          /* 0: succeeds */
        int result_type;    /* SO_TYPE on success */
    } cases[] = {
        {0xdead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0},
        {AF_INET, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0},
        {AF_INET, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0},
        {0xdead, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0},
        {AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT, 0},
        {AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT, 0},
        {AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL, 0},
        {AF_INET, SOCK_STREAM, 0, 0, SOCK_STREAM},
        {AF_INET, SOCK_DGRAM, 0, 0, SOCK_DGRAM},
        {AF_INET, 0, IPPROTO_TCP, 0, SOCK_STREAM},
        {AF_INET, 0, IPPROTO_UDP, 0, SOCK_DGRAM},
        {AF_INET, 0, 0, 0, SOCK_STREAM},
    };
    SOCKET s;

    TEST("WSASocketA/WSASocketW: argument errors and the defaults they pick");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        for (int wide = 0; wide < 2; ++wide) {
            SetLastError(0xdeadbeef);
            if (wide)
                s = WSASocketW(cases[i].af, cases[i].type, cases[i].protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
            else
                s = WSASocketA(cases[i].af, cases[i].type, cases[i].protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
            if (cases[i].error) {
                if (s != INVALID_SOCKET)
                    printf("  case %u (wide %d) unexpectedly made a socket\n", (unsigned)i, wide);
                CHECK(s == INVALID_SOCKET);
                if (WSAGetLastError() != (int)cases[i].error)
                    printf("  case %u (wide %d): error %d\n", (unsigned)i, wide, WSAGetLastError());
                CHECK_EQ(WSAGetLastError(), cases[i].error);
            } else {
                CHECK(s != INVALID_SOCKET);
                CHECK_EQ(WSAGetLastError(), 0); /* success clears the last error */
                CHECK_EQ(socket_type_of(s), cases[i].result_type);
                closesocket(s);
            }
        }
    }

    TEST("socket(): the same errors; SO_TYPE of a new socket; SO_TYPE is read-only");
    SetLastError(0xdeadbeef);
    CHECK(socket(0xdead, SOCK_STREAM, IPPROTO_TCP) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    SetLastError(0xdeadbeef);
    CHECK(socket(AF_INET, 0xdead, 0) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAESOCKTNOSUPPORT);
    SetLastError(0xdeadbeef);
    CHECK(socket(AF_INET, SOCK_STREAM, 0xdead) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAEPROTONOSUPPORT);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(socket_type_of(s), SOCK_STREAM);
    {
        int type = SOCK_DGRAM;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, sizeof(type)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    }
    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * bind, getsockname, getpeername */

static void test_bind_and_names(void)
{
    struct sockaddr_in addr, got, bound;
    struct sockaddr generic;
    SOCKET s, s2;
    int len;

    TEST("getsockname before bind: WSAEINVAL, the buffer untouched");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    memset(&got, 0xcc, sizeof(got));
    len = sizeof(got);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockname(s, (struct sockaddr *)&got, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(((unsigned char *)&got)[0], 0xcc);
    CHECK_EQ(len, sizeof(got));

    TEST("getpeername before connect: WSAENOTCONN; on a bad handle: WSAENOTSOCK");
    len = sizeof(got);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getpeername(s, (struct sockaddr *)&got, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getpeername(INVALID_SOCKET, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("bind: WSAEFAULT for a NULL or short address, WSAEAFNOSUPPORT for a bad family");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, NULL, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, NULL, sizeof(addr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    loopback_any_port(&addr);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, sizeof(addr) - 1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    memset(&generic, 0, sizeof(generic));
    generic.sa_family = 0xdead;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, &generic, sizeof(generic)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);

    TEST("bind: an address this host does not have gives WSAEADDRNOTAVAIL");
    {
        struct sockaddr_in foreign = addr;
        foreign.sin_addr.s_addr = htonl(0xc0000200UL); /* 192.0.2.0, TEST-NET-1: sends nothing */
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(bind(s, (struct sockaddr *)&foreign, sizeof(foreign)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    }

    TEST("bind 127.0.0.1:0 succeeds and clears the last error; binding twice is WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, sizeof(addr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    TEST("getsockname after bind: family, loopback address, a real port, zeroed padding");
    memset(&bound, 0xcc, sizeof(bound));
    len = sizeof(bound);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockname(s, (struct sockaddr *)&bound, &len), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(len, sizeof(struct sockaddr_in));
    CHECK_EQ(bound.sin_family, AF_INET);
    CHECK_EQ(ntohl(bound.sin_addr.s_addr), LOOPBACK_ADDR);
    CHECK(bound.sin_port != 0);
    CHECK(memcmp(bound.sin_zero, "\0\0\0\0\0\0\0\0", 8) == 0);

    TEST("getsockname with a buffer one byte short: WSAEFAULT, length unchanged");
    len = sizeof(got) - 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockname(s, (struct sockaddr *)&got, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, sizeof(got) - 1);

    TEST("a second socket bound to the same address and port: WSAEADDRINUSE");
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s2 != INVALID_SOCKET);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s2, (struct sockaddr *)&bound, sizeof(bound)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEADDRINUSE);

    TEST("SO_REUSEADDR on the second socket only: still refused, with WSAEACCES");
    {
        int one = 1;
        CHECK_EQ(setsockopt(s2, SOL_SOCKET, SO_REUSEADDR, (char *)&one, sizeof(one)), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(bind(s2, (struct sockaddr *)&bound, sizeof(bound)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEACCES);
    }
    closesocket(s2);
    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * listen */

static void test_listen(void)
{
    struct sockaddr_in addr;
    SOCKET s, u;
    int value, len;

    TEST("listen: WSAENOTSOCK on a bad handle, WSAEINVAL before bind, WSAEOPNOTSUPP for UDP");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(listen(INVALID_SOCKET, 1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(listen(s, 1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(listen(s, SOMAXCONN), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(u != INVALID_SOCKET);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(listen(u, 1), SOCKET_ERROR);
    WINE_DEVIATION("Wine 8.0 fails listen on a UDP socket with WSAEINVAL instead of WSAEOPNOTSUPP") {
        CHECK_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    }
    closesocket(u);

    TEST("SO_ACCEPTCONN: 0 before listen, 1 after; it cannot be set; listen twice is fine");
    loopback_any_port(&addr);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
    len = sizeof(addr);
    CHECK_EQ(getsockname(s, (struct sockaddr *)&addr, &len), 0);
    value = 0xdead;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    value = 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&value, sizeof(value)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOPROTOOPT);

    CHECK_EQ(listen(s, 0), 0);
    CHECK_EQ(listen(s, SOMAXCONN), 0);
    value = 0xdead;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&value, &len), 0);
    CHECK_EQ(value, 1);

    TEST("connect on a listening socket: WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(s, (struct sockaddr *)&addr, sizeof(addr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(s);
}

/* ---------------------------------------------------------------------------------
 * connect and accept */

static void test_connect_accept(void)
{
    struct sockaddr_in laddr, caddr, got, peer;
    SOCKADDR_STORAGE ss;
    SOCKET listener, client, server;
    int len, err;

    TEST("accept returns the client's address and its length");
    listener = make_listener(&laddr, 5);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(client != INVALID_SOCKET);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    len = sizeof(caddr);
    CHECK_EQ(getsockname(client, (struct sockaddr *)&caddr, &len), 0);
    memset(&ss, 0xcc, sizeof(ss));
    len = sizeof(ss);
    server = accept(listener, (struct sockaddr *)&ss, &len);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(len, sizeof(struct sockaddr_in));
    CHECK_EQ(ss.ss_family, AF_INET);
    CHECK(memcmp(&ss, &caddr, sizeof(caddr)) == 0);

    TEST("getpeername/getsockname on both ends name each other");
    len = sizeof(peer);
    CHECK_EQ(getpeername(client, (struct sockaddr *)&peer, &len), 0);
    CHECK_EQ(len, sizeof(peer));
    CHECK(memcmp(&peer, &laddr, sizeof(laddr)) == 0);
    len = sizeof(peer);
    CHECK_EQ(getpeername(server, (struct sockaddr *)&peer, &len), 0);
    CHECK(memcmp(&peer, &caddr, sizeof(caddr)) == 0);
    len = sizeof(got);
    CHECK_EQ(getsockname(server, (struct sockaddr *)&got, &len), 0);
    CHECK(memcmp(&got, &laddr, sizeof(laddr)) == 0);

    TEST("a connected socket: SO_ERROR 0; connect again is WSAEISCONN");
    err = 0xdead;
    len = sizeof(err);
    CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    CHECK_EQ(err, 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEISCONN);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(server, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEISCONN);
    closesocket(client);
    closesocket(server);

    TEST("accept(listener, NULL, NULL), and an address with a NULL length left untouched");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);
    closesocket(server);
    closesocket(client);

    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    memset(&ss, 0, sizeof(ss));
    server = accept(listener, (struct sockaddr *)&ss, NULL);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(ss.ss_family, 0);
    closesocket(server);
    closesocket(client);

    TEST("accept with an address length of 0: WSAEFAULT, length still 0");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    len = 0;
    WSASetLastError(0xdeadbeef);
    CHECK(accept(listener, (struct sockaddr *)&ss, &len) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 0);
    closesocket(client);
    closesocket(listener);

    TEST("accept with an address length one byte short of SOCKADDR_IN: WSAEFAULT, "
         "and the connection is still there for the next accept");
    listener = make_listener(&laddr, 5);
    short_address_keeps_connection(listener, &laddr, 0);
    TEST("WSAAccept without a condition function, address length short: WSAEFAULT, "
         "the connection stays");
    short_address_keeps_connection(listener, &laddr, 1);
    closesocket(listener);

    TEST("connect with a name length one byte short: WSAEFAULT");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr) - 1), SOCKET_ERROR);
    WINE_DEVIATION("Wine 8.0 fails connect with a short name length with WSAEADDRNOTAVAIL, not WSAEFAULT") {
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
    closesocket(client);

    TEST("connect to a port where nothing listens: WSAECONNREFUSED");
    {
        /* A socket bound but not listening holds the port, so nothing else takes it. */
        SOCKET holder = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in closed;
        loopback_any_port(&closed);
        CHECK_EQ(bind(holder, (struct sockaddr *)&closed, sizeof(closed)), 0);
        len = sizeof(closed);
        CHECK_EQ(getsockname(holder, (struct sockaddr *)&closed, &len), 0);
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(client, (struct sockaddr *)&closed, sizeof(closed)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
        closesocket(client);
        closesocket(holder);
    }
}

/* ---------------------------------------------------------------------------------
 * send and recv */

struct sender_args {
    SOCKET s;
    int chunks;
    int chunk;
    int pause_ms;
};

static DWORD WINAPI slow_sender(LPVOID arg)
{
    struct sender_args *a = arg;
    char buf[256];
    for (int i = 0; i < a->chunks; ++i) {
        memset(buf, 'a' + i, sizeof(buf));
        Sleep(a->pause_ms);
        if (send(a->s, buf, a->chunk, 0) != a->chunk)
            return 1;
    }
    return 0;
}

struct big_send {
    SOCKET s;
    const char *p;
    int n;
    volatile LONG sent;
};

static DWORD WINAPI big_sender(LPVOID arg)
{
    struct big_send *big = arg;
    int done = 0;
    while (done < big->n) {
        int ret = send(big->s, big->p + done, big->n - done, 0);
        if (ret <= 0)
            break;
        done += ret;
    }
    tl_store(&big->sent, done);
    return 0;
}

static void test_send_recv(void)
{
    SOCKET client, server;
    char buf[512];
    u_long avail;
    int ret;

    tcp_pair(&client, &server);

    TEST("send returns the byte count and clears the last error");
    SetLastError(0xdeadbeef);
    CHECK_EQ(send(client, "hello world", 11, 0), 11);
    CHECK_EQ(GetLastError(), 0);

    TEST("recv of part of the queued data returns just that part, in order");
    avail = wait_readable(server, 11);
    CHECK_EQ(avail, 11);
    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(recv(server, buf, 5, 0), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ((unsigned char)buf[5], 0xcc);
    avail = 0xdead;
    CHECK_EQ(ioctlsocket(server, FIONREAD, &avail), 0);
    CHECK_EQ(avail, 6);

    TEST("recv of 0 bytes returns 0 at once when data is queued, and takes none of it");
    CHECK_EQ(recv(server, NULL, 0, 0), 0);
    avail = 0xdead;
    CHECK_EQ(ioctlsocket(server, FIONREAD, &avail), 0);
    CHECK_EQ(avail, 6);

    TEST("MSG_PEEK copies the data and leaves it queued");
    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(recv(server, buf, sizeof(buf), MSG_PEEK), 6);
    CHECK(memcmp(buf, " world", 6) == 0);
    avail = 0xdead;
    CHECK_EQ(ioctlsocket(server, FIONREAD, &avail), 0);
    CHECK_EQ(avail, 6);
    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 6);
    CHECK(memcmp(buf, " world", 6) == 0);
    avail = 0xdead;
    CHECK_EQ(ioctlsocket(server, FIONREAD, &avail), 0);
    CHECK_EQ(avail, 0);

    TEST("MSG_WAITALL waits until the whole buffer is filled");
    {
        struct sender_args args = {client, 3, 100, 100};
        HANDLE thread = CreateThread(NULL, 0, slow_sender, &args, 0, NULL);
        int total;
        CHECK(thread != NULL);
        memset(buf, 0, sizeof(buf));
        ret = recv(server, buf, 300, MSG_WAITALL);
        WINE_DEVIATION("Wine 8.0 ignores MSG_WAITALL on stream sockets and returns what has arrived") {
            CHECK_EQ(ret, 300);
        }
        /* Whatever the first call returned, the rest of the 300 bytes follow in order. */
        total = ret > 0 ? ret : 0;
        while (ret > 0 && total < 300) {
            ret = recv(server, buf + total, 300 - total, 0);
            if (ret > 0)
                total += ret;
        }
        CHECK_EQ(total, 300);
        CHECK(buf[0] == 'a' && buf[99] == 'a' && buf[100] == 'b' && buf[199] == 'b' && buf[200] == 'c' &&
              buf[299] == 'c');
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
    }

    TEST("a large transfer arrives whole and in order");
    {
        enum { TOTAL = 256 * 1024 };
        char *out = malloc(TOTAL), *in = malloc(TOTAL);
        int got = 0;
        for (int i = 0; i < TOTAL; ++i)
            out[i] = (char)(i * 7 + i / 251);
        /* The peer's receive buffer takes far less than 256 KiB on some systems, so
         * a thread sends while this one receives. */
        static struct big_send big;
        HANDLE thread;
        big.s = client;
        big.p = out;
        big.n = TOTAL;
        tl_store(&big.sent, 0);
        thread = CreateThread(NULL, 0, big_sender, &big, 0, NULL);
        CHECK(thread != NULL);
        while (got < TOTAL) {
            ret = recv(server, in + got, TOTAL - got, 0);
            if (ret <= 0)
                break;
            got += ret;
        }
        CHECK_EQ(got, TOTAL);
        CHECK(memcmp(in, out, TOTAL) == 0);
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&big.sent), TOTAL);
        CloseHandle(thread);
        free(out);
        free(in);
    }

    TEST("send/recv on an invalid handle: WSAENOTSOCK; on an unconnected socket: WSAENOTCONN");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(INVALID_SOCKET, "x", 1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(INVALID_SOCKET, buf, 1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    {
        SOCKET lone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(send(lone, "x", 1, 0), SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 fails send on a never-connected TCP socket with WSAECONNRESET") {
            CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
        }
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(recv(lone, buf, 1, 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
        closesocket(lone);
    }

    closesocket(client);
    closesocket(server);
}

/* ---------------------------------------------------------------------------------
 * shutdown */

static void test_shutdown(void)
{
    struct sockaddr_in laddr, addr, caddr;
    SOCKET listener, client, server;
    char buf[16];
    int len;

    TEST("shutdown before connect: WSAENOTCONN; on a listening socket: WSAENOTCONN");
    listener = make_listener(&laddr, 5);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(shutdown(client, SD_SEND), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(shutdown(client, SD_RECEIVE), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(shutdown(listener, SD_SEND), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);

    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);

    TEST("SD_SEND: succeeds (twice), then send is WSAESHUTDOWN and the peer reads 0");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(client, "test", 5, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 0);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 0);

    TEST("SD_RECEIVE: recv is WSAESHUTDOWN; sending the other way still works");
    CHECK_EQ(shutdown(server, SD_RECEIVE), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    CHECK_EQ(send(server, "test", 5, 0), 5);
    CHECK_EQ(recv(client, buf, 5, MSG_WAITALL), 5);
    CHECK(memcmp(buf, "test", 5) == 0);

    TEST("SD_RECEIVE: an overlapped WSARecv fails at once with WSAESHUTDOWN, data queued or not");
    {
        /* Microsoft Learn, WSARecv: WSAESHUTDOWN once shutdown was called with SD_RECEIVE
         * or SD_BOTH; the overlapped form is no exception. */
        WSAOVERLAPPED ov;
        WSABUF bufs[2] = {{8, buf}, {8, buf + 8}};
        DWORD count, got, flags;
        SOCKET a, b;
        int round;
        for (round = 0; round < 4; ++round) {
            a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            CHECK_EQ(connect(a, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
            b = accept(listener, NULL, NULL);
            CHECK(b != INVALID_SOCKET);
            if (round >= 2) { /* data waiting when the receive side is shut */
                CHECK_EQ(send(a, "abc", 3, 0), 3);
                CHECK_EQ(wait_readable(b, 3), 3);
            }
            CHECK_EQ(shutdown(b, SD_RECEIVE), 0);
            memset(&ov, 0, sizeof(ov));
            ov.hEvent = WSACreateEvent();
            count = (round % 2) ? 2 : 1;
            got = 77;
            flags = 0;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(WSARecv(b, bufs, count, &got, &flags, &ov, NULL), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
            CHECK_EQ(got, 77);
            CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
            WSACloseEvent(ov.hEvent);
            closesocket(a);
            closesocket(b);
        }
    }

    CHECK_EQ(shutdown(client, SD_RECEIVE), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(client, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    CHECK_EQ(shutdown(server, SD_SEND), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(server, "test", 5, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);

    TEST("after shutdown in both directions the names remain; a bad 'how' is WSAEINVAL");
    len = sizeof(caddr);
    CHECK_EQ(getsockname(client, (struct sockaddr *)&caddr, &len), 0);
    WINE_DEVIATION("Wine 8.0 fails getpeername with WSAENOTCONN once both directions are shut down") {
        len = sizeof(addr);
        CHECK_EQ(getpeername(client, (struct sockaddr *)&addr, &len), 0);
        CHECK(memcmp(&addr, &laddr, sizeof(laddr)) == 0);
        len = sizeof(addr);
        CHECK_EQ(getpeername(server, (struct sockaddr *)&addr, &len), 0);
        CHECK(memcmp(&addr, &caddr, sizeof(caddr)) == 0);
    }
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(shutdown(client, 0xdeadbeef), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(client);
    closesocket(server);

    TEST("SD_BOTH: both directions give WSAESHUTDOWN; the peer reads 0");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(shutdown(client, SD_BOTH), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(client, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(client, "test", 5, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(client);
    closesocket(server);
    closesocket(listener);
}

/* ---------------------------------------------------------------------------------
 * Socket options */

static void test_options(void)
{
    SOCKET s, closed;
    int value, len, ret;
    DWORD dw;
    LINGER linger;

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);

    TEST("SO_RCVBUF/SO_SNDBUF: the value set is the value read back (0 included)");
    dw = 4096;
    SetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&dw, sizeof(dw)), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    dw = 0xdeadbeef;
    len = sizeof(dw);
    SetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&dw, &len), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(dw, 4096);
    CHECK_EQ(len, 4);
    dw = 4096;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&dw, sizeof(dw)), 0);
    dw = 0xdeadbeef;
    len = sizeof(dw);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&dw, &len), 0);
    CHECK_EQ(dw, 4096);
    dw = 0;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&dw, sizeof(dw)), 0);
    dw = 0xdeadbeef;
    len = sizeof(dw);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&dw, &len), 0);
    CHECK_EQ(dw, 0);

    TEST("4-byte options refuse lengths of 1 and 2 with WSAEFAULT (set and get)");
    value = 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, 2), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    len = 2;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 2);
    len = 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("a length of 0 on get is WSAEFAULT for every option");
    len = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    len = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("SO_KEEPALIVE: one byte is enough to set it; get answers with a length of 1");
    value = 0;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, &len), 0);
    CHECK_EQ(value & 0xff, 0);
    value = 1;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, 1), 0);
    dw = 0xdeadbeef;
    len = 4;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&dw, &len), 0);
    CHECK_EQ(len, 1);
    CHECK_EQ(dw, 0xdeadbe01);
    value = 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("TCP_NODELAY: any positive length sets it; only the first byte counts; length 0 fails");
    value = 1;
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 1), 0);
    dw = 0xdeadbeef;
    len = 4;
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&dw, &len), 0);
    CHECK_EQ(len, 1);
    CHECK_EQ(dw & 0xff, 1);
    value = 0;
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 4), 0);
    value = 1;
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 42), 0);
    value = 0xff;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, &len), 0);
    CHECK_EQ(value & 0xff, 1);
    value = 0;
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 4), 0);
    value = 1;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    value = 0x100; /* first byte 0: off */
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, 4), 0);
    value = 0xff;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, &len), 0);
    CHECK_EQ(value & 0xff, 0);

    TEST("set with length 0: the SOL_SOCKET BOOLs take it, other options fail with WSAEFAULT");
    {
        static const int bools[] = {SO_REUSEADDR, SO_OOBINLINE, SO_DONTLINGER, SO_EXCLUSIVEADDRUSE};
        SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        int i;
        for (i = 0; i < 4; i++) {
            value = 1;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(setsockopt(t, SOL_SOCKET, bools[i], (char *)&value, 0), 0);
            CHECK_EQ(WSAGetLastError(), 0);
        }
        value = 1;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(u, SOL_SOCKET, SO_BROADCAST, (char *)&value, 0), 0);
        CHECK_EQ(WSAGetLastError(), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_DONTLINGER, NULL, 0), SOCKET_ERROR); /* no value at all */
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&value, 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_MULTICAST_LOOP, (char *)&value, 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);

        TEST("set with length -1: a 4-byte SOL_SOCKET option takes it; one-byte and protocol-level "
             "options fail with WSAENOBUFS");
        value = 8192;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&value, -1), 0);
        CHECK_EQ(WSAGetLastError(), 0);
        value = 1234;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_SNDTIMEO, (char *)&value, -1), 0);
        CHECK_EQ(WSAGetLastError(), 0);
        value = 1;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_REUSEADDR, (char *)&value, -1), 0);
        CHECK_EQ(WSAGetLastError(), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, -1), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&value, -1), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, IPPROTO_TCP, TCP_NODELAY, (char *)&value, -1), SOCKET_ERROR);
        CHECK(WSAGetLastError() == WSAENOBUFS || WSAGetLastError() == WSAEFAULT); /* both seen on Windows */
        len = -1;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        CHECK_EQ(len, -1);

        TEST("setsockopt with the value passed as the pointer ((char *)1): WSAEFAULT");
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)1, 1), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);

        TEST("IP_TOS: 0x100 is refused with WSAEINVAL (IP_TTL likewise)");
        value = 0x100;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_TOS, (char *)&value, 4), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&value, 4), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);

        TEST("a protocol level's 4-byte option got with 2 bytes: WSAEFAULT and a length of 0");
        len = 2;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getsockopt(u, IPPROTO_IP, IP_PKTINFO, (char *)&value, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        CHECK_EQ(len, 0);
        WINE_DEVIATION("Wine 8.0 has no getsockopt TCP_KEEPALIVE")
        {
            len = 2;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(getsockopt(t, IPPROTO_TCP, 3 /* TCP_KEEPALIVE */, (char *)&value, &len), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
            CHECK_EQ(len, 0);
        }

        TEST("SO_PROTOCOL_INFOA: a short buffer gets the size it needs; a larger one keeps its length");
        {
            static char info[2 * sizeof(WSAPROTOCOL_INFOA)];
            len = sizeof(WSAPROTOCOL_INFOA) / 2;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(getsockopt(t, SOL_SOCKET, SO_PROTOCOL_INFOA, info, &len), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
            CHECK_EQ(len, sizeof(WSAPROTOCOL_INFOA));
            len = sizeof(info);
            CHECK_EQ(getsockopt(t, SOL_SOCKET, SO_PROTOCOL_INFOA, info, &len), 0);
            CHECK_EQ(len, sizeof(info));
            CHECK_EQ(((WSAPROTOCOL_INFOA *)info)->iSocketType, SOCK_STREAM);
        }
        closesocket(t);
        closesocket(u);
    }

    TEST("SO_LINGER: round trip; NULL value or a 2-byte length is WSAEFAULT");
    linger.l_onoff = 1;
    linger.l_linger = 5;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    memset(&linger, 0xcc, sizeof(linger));
    len = sizeof(linger);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), 0);
    CHECK_EQ(len, sizeof(LINGER));
    CHECK(linger.l_onoff != 0);
    CHECK_EQ(linger.l_linger, 5);
    linger.l_onoff = 0;
    linger.l_linger = 0;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    memset(&linger, 0xcc, sizeof(linger));
    len = sizeof(linger);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), 0);
    CHECK_EQ(linger.l_onoff, 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, NULL, sizeof(linger)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, 2), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    len = 2;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("SO_LINGER and SO_DONTLINGER on a UDP socket: WSAENOPROTOOPT both ways");
    {
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        CHECK(u != INVALID_SOCKET);
        /* SO_LINGER takes a struct linger, SO_DONTLINGER a BOOL: both refused both ways. */
        static const int lingering[2] = {SO_LINGER, SO_DONTLINGER};
        for (int i = 0; i < 2; ++i) {
            struct linger option = {1, 3};
            int size = lingering[i] == SO_LINGER ? (int)sizeof(option) : (int)sizeof(BOOL);
            WSASetLastError(0xdeadbeef);
            ret = setsockopt(u, SOL_SOCKET, lingering[i], (char *)&option, size);
            WINE_DEVIATION("Wine 8.0 lets setsockopt set SO_LINGER and SO_DONTLINGER on a UDP socket") {
                CHECK_EQ(ret, SOCKET_ERROR);
                CHECK_EQ(WSAGetLastError(), WSAENOPROTOOPT);
            }
            len = size;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(getsockopt(u, SOL_SOCKET, lingering[i], (char *)&option, &len), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAENOPROTOOPT);
        }
        closesocket(u);
    }

    TEST("SO_REUSEADDR: 0 by default, 1 after setting it");
    value = 0x1234;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    value = 1;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, sizeof(value)), 0);
    value = 0x1234;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), 0);
    CHECK_EQ(value, 1);
    CHECK_EQ(len, 4);

    TEST("SO_ERROR: 0 on a fresh socket; setting it succeeds");
    value = 0xdead;
    len = sizeof(value);
    SetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(value, 0);
    value = 1234;
    SetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, sizeof(value)), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    value = 4321;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&value, &len), 0);
    WINE_DEVIATION("Wine ignores setsockopt(SO_ERROR); Windows stores the value and getsockopt returns it") {
        CHECK_EQ(value, 1234);
    }

    TEST("SO_RCVTIMEO is 0 by default; a bad level is WSAEINVAL");
    dw = 0xdeadbeef;
    len = sizeof(dw);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&dw, &len), 0);
    CHECK_EQ(dw, 0);
    dw = 1000;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, (int)0xffffffff, SO_RCVTIMEO, (char *)&dw, sizeof(dw)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    closesocket(s);

    TEST("options on a closed socket: WSAENOTSOCK, the value untouched");
    closed = s;
    value = 1234;
    len = sizeof(value);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(closed, SOL_SOCKET, SO_ERROR, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(value, 1234);

    TEST("options a listener sets are inherited by the accepted socket");
    {
        struct sockaddr_in addr;
        SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), c, a;
        value = 1;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, sizeof(value)), 0);
        CHECK_EQ(setsockopt(l, IPPROTO_TCP, TCP_NODELAY, (char *)&value, sizeof(value)), 0);
        value = 0x8000;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_RCVBUF, (char *)&value, sizeof(value)), 0);
        loopback_any_port(&addr);
        CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
        len = sizeof(addr);
        CHECK_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
        CHECK_EQ(listen(l, 1), 0);
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
        a = accept(l, NULL, NULL);
        CHECK(a != INVALID_SOCKET);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, &len), 0);
        CHECK_EQ(value & 0xff, 1);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, IPPROTO_TCP, TCP_NODELAY, (char *)&value, &len), 0);
        CHECK_EQ(value & 0xff, 1);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len), 0);
        CHECK_EQ(value, 0x8000);
        closesocket(a);

        TEST("the accepted socket also inherits SO_SNDBUF as set (0x123), SO_RCVTIMEO, "
             "SO_SNDTIMEO and SO_REUSEADDR");
        value = 0x123;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_SNDBUF, (char *)&value, sizeof(value)), 0);
        value = 2500;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, (char *)&value, sizeof(value)), 0);
        value = 3500;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_SNDTIMEO, (char *)&value, sizeof(value)), 0);
        value = 1;
        CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, (char *)&value, sizeof(value)), 0);
        closesocket(c);
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
        a = accept(l, NULL, NULL);
        CHECK(a != INVALID_SOCKET);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_SNDBUF, (char *)&value, &len), 0);
        CHECK_EQ(value, 0x123);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (char *)&value, &len), 0);
        CHECK_EQ(value, 2500);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_SNDTIMEO, (char *)&value, &len), 0);
        CHECK_EQ(value, 3500);
        value = 0;
        len = sizeof(value);
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), 0);
        CHECK_EQ(value, 1);
        closesocket(a);
        closesocket(c);
        closesocket(l);
    }
}

/* ---------------------------------------------------------------------------------
 * ioctlsocket */

static void test_ioctlsocket(void)
{
    struct sockaddr_in laddr;
    SOCKET listener, client, server;
    u_long arg;
    char buf[16];

    TEST("FIONBIO: recv and accept with nothing ready fail with WSAEWOULDBLOCK");
    tcp_pair(&client, &server);
    arg = 1;
    CHECK_EQ(ioctlsocket(server, FIONBIO, &arg), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    TEST("FIONBIO: recv(MSG_OOB) with no urgent byte waiting: WSAEWOULDBLOCK; then the byte");
    /* Microsoft Learn, recv: WSAEINVAL for MSG_OOB only with SO_OOBINLINE on; without an
     * urgent byte a non-blocking receive would block. Ordinary data does not change that. */
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    CHECK_EQ(send(client, "xy", 2, 0), 2);
    CHECK_EQ(wait_readable(server, 2), 2);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    CHECK_EQ(send(client, "u", 1, MSG_OOB), 1);
    {
        fd_set e;
        struct timeval tv = {5, 0};
        FD_ZERO(&e);
        FD_SET(server, &e);
        CHECK_EQ(select(0, NULL, NULL, &e, &tv), 1);
    }
    buf[0] = 0;
    CHECK_EQ(recv(server, buf, sizeof(buf), MSG_OOB), 1);
    CHECK_EQ(buf[0], 'u');
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 2);
    CHECK(memcmp(buf, "xy", 2) == 0);

    TEST("WSAIoctl(FIONBIO) with a NULL byte count: WSAEFAULT, and the socket stays non-blocking");
    {
        DWORD timeout = 3000; /* were it made blocking, the recv below would end, not hang */
        CHECK_EQ(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
        arg = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(server, FIONBIO, &arg, sizeof(arg), NULL, 0, NULL, NULL, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(recv(server, buf, sizeof(buf), 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        timeout = 0;
        CHECK_EQ(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
    }

    TEST("MSG_WAITALL on a non-blocking socket: WSAEOPNOTSUPP");
    {
        WSABUF wb;
        DWORD bytes = 0xdeadbeef, flags = MSG_WAITALL;
        wb.buf = buf;
        wb.len = 4;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(server, &wb, 1, &bytes, &flags, NULL, NULL), SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 ignores MSG_WAITALL: a non-blocking receive fails with WSAEWOULDBLOCK instead") {
            CHECK_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
        }
    }

    TEST("FIONREAD: 0 with nothing queued, the queued count after a send");
    arg = 0xdead;
    CHECK_EQ(ioctlsocket(server, FIONREAD, &arg), 0);
    CHECK_EQ(arg, 0);
    CHECK_EQ(send(client, "12345", 5, 0), 5);
    CHECK_EQ(wait_readable(server, 5), 5);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 5);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    TEST("ioctlsocket with argp NULL, or the value itself passed as the pointer: WSAEFAULT");
    {
        static const LONG codes[] = {FIONBIO, FIONREAD, SIOCATMARK};
        int i;
        for (i = 0; i < 3; i++) {
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(ioctlsocket(server, codes[i], NULL), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(ioctlsocket(server, codes[i], (u_long *)1), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        }
        /* FIONBIO was not applied: the socket is still non-blocking. */
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(recv(server, buf, sizeof(buf), 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    }

    TEST("FIONBIO back to blocking after WSAEventSelect: WSAEINVAL");
    {
        WSAEVENT ev = WSACreateEvent();
        CHECK(ev != WSA_INVALID_EVENT);
        CHECK_EQ(WSAEventSelect(server, ev, FD_READ), 0);
        arg = 0;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(ioctlsocket(server, FIONBIO, &arg), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        CHECK_EQ(WSAEventSelect(server, NULL, 0), 0);
        CHECK(WSACloseEvent(ev));
    }
    closesocket(client);
    closesocket(server);

    listener = make_listener(&laddr, 5);
    arg = 1;
    CHECK_EQ(ioctlsocket(listener, FIONBIO, &arg), 0);
    WSASetLastError(0xdeadbeef);
    CHECK(accept(listener, NULL, NULL) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    TEST("non-blocking connect: WSAEWOULDBLOCK, then writable and connected");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    arg = 1;
    CHECK_EQ(ioctlsocket(client, FIONBIO, &arg), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    CHECK(wait_writable(client, 5000));
    {
        int err = 0xdead, len = sizeof(err);
        CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
        CHECK_EQ(err, 0);
    }
    /* The listener is non-blocking: wait for the connection with select. */
    {
        fd_set rd;
        struct timeval tv = {5, 0};
        FD_ZERO(&rd);
        FD_SET(listener, &rd);
        CHECK_EQ(select(0, &rd, NULL, NULL, &tv), 1);
    }
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(send(client, "ok", 2, 0), 2);
    arg = 0;
    CHECK_EQ(ioctlsocket(server, FIONBIO, &arg), 0); /* blocking, for the recv below */
    CHECK_EQ(recv(server, buf, 2, MSG_WAITALL), 2);
    closesocket(server);
    closesocket(client);
    closesocket(listener);

    TEST("a non-blocking connect to a closed port: writable never, SO_ERROR WSAECONNREFUSED");
    {
        SOCKET holder = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in closed;
        int len = sizeof(closed), err;
        fd_set wr, ex;
        struct timeval tv = {10, 0};
        loopback_any_port(&closed);
        CHECK_EQ(bind(holder, (struct sockaddr *)&closed, sizeof(closed)), 0);
        CHECK_EQ(getsockname(holder, (struct sockaddr *)&closed, &len), 0);
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        arg = 1;
        CHECK_EQ(ioctlsocket(client, FIONBIO, &arg), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(client, (struct sockaddr *)&closed, sizeof(closed)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        FD_ZERO(&wr);
        FD_ZERO(&ex);
        FD_SET(client, &wr);
        FD_SET(client, &ex);
        CHECK_EQ(select(0, NULL, &wr, &ex, &tv), 1);
        CHECK(FD_ISSET(client, &ex));
        CHECK(!FD_ISSET(client, &wr));
        err = 0xdead;
        len = sizeof(err);
        CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
        CHECK_EQ(err, WSAECONNREFUSED);
        closesocket(client);
        closesocket(holder);
    }
}

/* ---------------------------------------------------------------------------------
 * Sockets as handles */

static void test_handles(void)
{
    SOCKET s, n;
    HANDLE dup;
    DWORD flags;
    char path[MAX_PATH + 64], dir[MAX_PATH];
    HANDLE file;
    int value, len;

    TEST("GetFileType of a socket is FILE_TYPE_PIPE");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFileType((HANDLE)s), FILE_TYPE_PIPE);

    TEST("GetHandleInformation: sockets are inheritable unless WSA_FLAG_NO_HANDLE_INHERIT");
    flags = 0xdeadbeef;
    CHECK(GetHandleInformation((HANDLE)s, &flags));
    CHECK((flags & HANDLE_FLAG_INHERIT) != 0);
    n = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    CHECK(n != INVALID_SOCKET);
    flags = 0xdeadbeef;
    CHECK(GetHandleInformation((HANDLE)n, &flags));
    CHECK_EQ(flags & HANDLE_FLAG_INHERIT, 0);
    closesocket(n);

    TEST("DuplicateHandle of a socket makes a handle, but not a socket Winsock knows");
    dup = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), &dup, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    CHECK(dup != NULL && dup != (HANDLE)s);
    {
        OVERLAPPED ov;
        DWORD bytes = 0, oflags = 0;
        memset(&ov, 0, sizeof(ov));
        WSASetLastError(0xdeadbeef);
        CHECK(!WSAGetOverlappedResult((SOCKET)dup, &ov, &bytes, FALSE, &oflags));
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
    CHECK_EQ(GetFileType(dup), FILE_TYPE_PIPE);
    CHECK(CloseHandle(dup));
    /* The original is unaffected. */
    CHECK_EQ(socket_type_of(s), SOCK_STREAM);

    TEST("closesocket: 0 and a cleared last error; a closed or bad descriptor is WSAENOTSOCK");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(closesocket(s), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(closesocket(s), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(closesocket(INVALID_SOCKET), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("Winsock calls on a file handle: WSAENOTSOCK");
    CHECK(GetTempPathA(sizeof(dir), dir) != 0);
    snprintf(path, sizeof(path), "%sovl_socket_basic_%lu.tmp", dir, (unsigned long)GetCurrentProcessId());
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    value = 0xdead;
    len = sizeof(value);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt((SOCKET)file, SOL_SOCKET, SO_TYPE, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK(CloseHandle(file));

    /* Last: ws2_32 keeps its own record of the socket closed this way, so nothing
     * after this may depend on that handle value. */
    TEST("CloseHandle closes a socket handle; a second CloseHandle is ERROR_INVALID_HANDLE");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    SetLastError(0xdeadbeef);
    CHECK(CloseHandle((HANDLE)s));
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle((HANDLE)s));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

/* ---------------------------------------------------------------------------------
 * WSAAccept with a condition function */

struct condition_call {
    int verdict;        /* what the condition function answers */
    int calls;
    SOCKADDR_STORAGE caller, callee;
    ULONG caller_len, callee_len;
    DWORD_PTR data;
};

static int CALLBACK condition_function(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
                                       LPWSABUF callee_id, LPWSABUF callee_data, GROUP *g, DWORD_PTR data)
{
    struct condition_call *call = (struct condition_call *)data;
    (void)caller_data;
    (void)sqos;
    (void)gqos;
    (void)callee_data;
    (void)g;
    call->calls++;
    call->data = data;
    call->caller_len = caller_id != NULL ? caller_id->len : 0;
    call->callee_len = callee_id != NULL ? callee_id->len : 0;
    if (caller_id != NULL && caller_id->len <= sizeof(call->caller)) memcpy(&call->caller, caller_id->buf, caller_id->len);
    if (callee_id != NULL && callee_id->len <= sizeof(call->callee)) memcpy(&call->callee, callee_id->buf, callee_id->len);
    return call->verdict;
}

/* A client connected to `listener_addr`; its own address in *client_addr. */
static SOCKET connect_client(const struct sockaddr_in *listener_addr, struct sockaddr_in *client_addr)
{
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*client_addr);
    CHECK(client != INVALID_SOCKET);
    CHECK_EQ(connect(client, (const struct sockaddr *)listener_addr, sizeof(*listener_addr)), 0);
    CHECK_EQ(getsockname(client, (struct sockaddr *)client_addr, &len), 0);
    return client;
}

/* One byte from client to server proves the pair connected; both are closed. */
static void check_pair_and_close(SOCKET client, SOCKET server, char byte)
{
    char got = 0;
    CHECK(server != INVALID_SOCKET);
    if (server != INVALID_SOCKET) {
        CHECK_EQ(send(client, &byte, 1, 0), 1);
        CHECK_EQ(recv(server, &got, 1, 0), 1);
        CHECK_EQ(got, byte);
        closesocket(server);
    }
    closesocket(client);
}

static void test_wsaaccept(void)
{
    struct sockaddr_in laddr, caddr, got;
    struct condition_call call;
    SOCKET listener, client, server;
    int len;
    char byte = 0;

    TEST("WSAAccept: the condition function sees the caller's and the callee's addresses; CF_ACCEPT accepts");
    listener = make_listener(&laddr, 5);
    client = connect_client(&laddr, &caddr);
    memset(&call, 0, sizeof(call));
    call.verdict = CF_ACCEPT;
    memset(&got, 0xcc, sizeof(got));
    len = sizeof(got);
    server = WSAAccept(listener, (struct sockaddr *)&got, &len, condition_function, (DWORD_PTR)&call);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(call.calls, 1);
    CHECK(call.data == (DWORD_PTR)&call);
    CHECK_EQ(call.caller_len, sizeof(struct sockaddr_in));
    CHECK(memcmp(&call.caller, &caddr, sizeof(caddr)) == 0);
    CHECK_EQ(call.callee_len, sizeof(struct sockaddr_in));
    CHECK(memcmp(&call.callee, &laddr, sizeof(laddr)) == 0);
    CHECK_EQ(len, sizeof(struct sockaddr_in));
    CHECK(memcmp(&got, &caddr, sizeof(caddr)) == 0);
    check_pair_and_close(client, server, 'a');

    TEST("WSAAccept: CF_REJECT fails with WSAECONNREFUSED and the client's connection ends");
    client = connect_client(&laddr, &caddr);
    memset(&call, 0, sizeof(call));
    call.verdict = CF_REJECT;
    WSASetLastError(0xdeadbeef);
    server = WSAAccept(listener, NULL, NULL, condition_function, (DWORD_PTR)&call);
    CHECK(server == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
    CHECK_EQ(call.calls, 1);
    {
        /* The rejected connection is closed: the client reads its end (or a reset). */
        DWORD timeout = 5000;
        int got_bytes;
        CHECK_EQ(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
        got_bytes = recv(client, &byte, 1, 0);
        CHECK(got_bytes == 0 || (got_bytes == SOCKET_ERROR && WSAGetLastError() == WSAECONNRESET));
    }
    closesocket(client);

    TEST("WSAAccept: CF_DEFER fails with WSATRY_AGAIN and the next WSAAccept offers the same connection");
    client = connect_client(&laddr, &caddr);
    memset(&call, 0, sizeof(call));
    call.verdict = CF_DEFER;
    WSASetLastError(0xdeadbeef);
    server = WSAAccept(listener, NULL, NULL, condition_function, (DWORD_PTR)&call);
    CHECK(server == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSATRY_AGAIN);
    CHECK_EQ(call.calls, 1);
    memset(&call, 0, sizeof(call));
    call.verdict = CF_ACCEPT;
    server = WSAAccept(listener, NULL, NULL, condition_function, (DWORD_PTR)&call);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(call.calls, 1);
    CHECK(memcmp(&call.caller, &caddr, sizeof(caddr)) == 0);
    check_pair_and_close(client, server, 'b');

    TEST("WSAAccept: a deferred connection is the next one accept returns");
    client = connect_client(&laddr, &caddr);
    memset(&call, 0, sizeof(call));
    call.verdict = CF_DEFER;
    CHECK(WSAAccept(listener, NULL, NULL, condition_function, (DWORD_PTR)&call) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSATRY_AGAIN);
    memset(&got, 0, sizeof(got));
    len = sizeof(got);
    server = accept(listener, (struct sockaddr *)&got, &len);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(len, sizeof(struct sockaddr_in));
    CHECK(memcmp(&got, &caddr, sizeof(caddr)) == 0);
    check_pair_and_close(client, server, 'c');

    TEST("WSAAccept with a condition function on a socket that does not listen: WSAEINVAL");
    {
        SOCKET lone = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        memset(&call, 0, sizeof(call));
        call.verdict = CF_ACCEPT;
        WSASetLastError(0xdeadbeef);
        CHECK(WSAAccept(lone, NULL, NULL, condition_function, (DWORD_PTR)&call) == INVALID_SOCKET);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        CHECK_EQ(call.calls, 0);
        closesocket(lone);
    }
    closesocket(listener);
}

/* ---------------------------------------------------------------------------------
 * WSAConnectByName */

#ifndef SIZEOF_SOCKET_ADDRESS_LIST /* mingw-w64's headers lack the SDK's helpers used below */
#define SIZEOF_SOCKET_ADDRESS_LIST(n) (FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address) + (n) * sizeof(SOCKET_ADDRESS))
static void IN6ADDR_SETV4MAPPED(PSOCKADDR_IN6 a6, const IN_ADDR *a4, SCOPE_ID scope, USHORT port)
{
    memset(a6, 0, sizeof(*a6));
    a6->sin6_family = AF_INET6;
    a6->sin6_port = port;
    a6->sin6_addr.s6_addr[10] = 0xff;
    a6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&a6->sin6_addr.s6_addr[12], a4, 4);
    a6->sin6_scope_id = scope.Value;
}
static USHORT INETADDR_PORT(const SOCKADDR *a) { return ((const SOCKADDR_IN *)a)->sin_port; }
#endif

/* The connection `client` made to `listener`: accepted, and one byte goes through it. */
static void accept_and_exchange(SOCKET listener, SOCKET client, char value)
{
    char byte = 0;
    SOCKET server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);
    CHECK_EQ(send(client, &value, 1, 0), 1);
    CHECK_EQ(recv(server, &byte, 1, 0), 1);
    CHECK_EQ(byte, value);
    closesocket(server);
}

static void test_connect_by_name(void)
{
    struct sockaddr_in laddr;
    SOCKADDR_STORAGE local, remote, named;
    DWORD local_len, remote_len;
    SOCKET listener, client, server;
    char port[16];
    int len;
    BOOL ok;

    listener = make_listener(&laddr, 5);
    snprintf(port, sizeof(port), "%u", ntohs(laddr.sin_port));

    TEST("WSAConnectByNameA: an IPv4 socket connects to a numeric host and port; both addresses given back");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&local, 0xcc, sizeof(local));
    memset(&remote, 0xcc, sizeof(remote));
    local_len = sizeof(local);
    remote_len = sizeof(remote);
    WSASetLastError(0xdeadbeef);
    ok = WSAConnectByNameA(client, "127.0.0.1", port, &local_len, (LPSOCKADDR)&local, &remote_len,
                           (LPSOCKADDR)&remote, NULL, NULL);
    {
        CHECK(ok);
        CHECK_EQ(remote_len, sizeof(struct sockaddr_in));
        CHECK(memcmp(&remote, &laddr, sizeof(laddr)) == 0);
        len = sizeof(named);
        CHECK_EQ(getsockname(client, (struct sockaddr *)&named, &len), 0);
        CHECK_EQ(local_len, (DWORD)len);
        /* Microsoft Learn: the local address is what getsockname would return. */
        WINE_DEVIATION("Wine 8.0's WSAConnectByName gives the local address with port 0") {
            CHECK(memcmp(&local, &named, (size_t)len) == 0);
        }
        CHECK(memcmp(&local, &named, 2) == 0 && memcmp((char *)&local + 4, (char *)&named + 4, 4) == 0);
        if (ok)
            accept_and_exchange(listener, client, 'x');
    }
    closesocket(client);

    TEST("WSAConnectByNameW: a dual-stack IPv6 socket reaches an IPv4 listener by name");
    client = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    {
        DWORD off = 0;
        WCHAR wport[16], whost[16];
        const char *host = "127.0.0.1";
        CHECK_EQ(setsockopt(client, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off)), 0);
        for (int i = 0;; ++i) { /* ASCII to WCHAR (16-bit on Windows and here) */
            wport[i] = (WCHAR)port[i];
            if (port[i] == 0) break;
        }
        for (int i = 0;; ++i) {
            whost[i] = (WCHAR)host[i];
            if (host[i] == 0) break;
        }
        remote_len = sizeof(remote);
        ok = WSAConnectByNameW(client, whost, wport, NULL, NULL, &remote_len, (LPSOCKADDR)&remote, NULL, NULL);
    }
    /* Microsoft Learn's own example of WSAConnectByName: an AF_INET6 socket with
     * IPV6_V6ONLY off reaches IPv4 and IPv6 hosts alike. */
    WINE_DEVIATION("Wine 8.0's WSAConnectByName on an IPv6 socket cannot reach an IPv4 address") {
        CHECK(ok);
        CHECK_EQ(remote_len, sizeof(SOCKADDR_IN6));
        CHECK_EQ(remote.ss_family, AF_INET6);
        if (ok) {
            server = accept(listener, NULL, NULL);
            CHECK(server != INVALID_SOCKET);
            closesocket(server);
        }
    }
    closesocket(client);

    TEST("WSAConnectByNameA: no host name, no service or a Reserved OVERLAPPED: WSAEINVAL");
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    {
        WSAOVERLAPPED reserved;
        memset(&reserved, 0, sizeof(reserved));
        WSASetLastError(0xdeadbeef);
        CHECK(!WSAConnectByNameA(client, NULL, port, NULL, NULL, NULL, NULL, NULL, NULL));
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        WSASetLastError(0xdeadbeef);
        CHECK(!WSAConnectByNameA(client, "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL));
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        WSASetLastError(0xdeadbeef);
        CHECK(!WSAConnectByNameA(client, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, &reserved));
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    }
    closesocket(client);

    TEST("WSAConnectByNameA to a port nobody listens on fails");
    {
        struct sockaddr_in gone;
        SOCKET probe = make_listener(&gone, 1);
        char gone_port[16];
        snprintf(gone_port, sizeof(gone_port), "%u", ntohs(gone.sin_port));
        closesocket(probe);
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct timeval limit = {5, 0};
        WSASetLastError(0xdeadbeef);
        CHECK(!WSAConnectByNameA(client, "127.0.0.1", gone_port, NULL, NULL, NULL, NULL, &limit, NULL));
        CHECK(WSAGetLastError() != 0 && (DWORD)WSAGetLastError() != 0xdeadbeef);
        closesocket(client);
    }

    TEST("WSAConnectByList: a dual-stack socket goes down the list to the address that answers");
    {
        /* Microsoft's connectbylist sample: IPv4 addresses as v4-mapped IPv6 ones on a socket
         * with IPV6_V6ONLY off; the first address has no listener. */
        struct sockaddr_in gone;
        SOCKET probe = make_listener(&gone, 1);
        SOCKADDR_IN6 targets[2];
        char list_space[SIZEOF_SOCKET_ADDRESS_LIST(2)];
        PSOCKET_ADDRESS_LIST list = (PSOCKET_ADDRESS_LIST)list_space;
        SCOPE_ID no_scope;
        DWORD off = 0;
        struct timeval limit = {10, 0};

        closesocket(probe);
        no_scope.Value = 0;
        IN6ADDR_SETV4MAPPED(&targets[0], &gone.sin_addr, no_scope, gone.sin_port);
        IN6ADDR_SETV4MAPPED(&targets[1], &laddr.sin_addr, no_scope, laddr.sin_port);
        CHECK(IN6_IS_ADDR_V4MAPPED(&targets[1].sin6_addr));
        CHECK_EQ(INETADDR_PORT((SOCKADDR *)&targets[1]), laddr.sin_port);
        list->iAddressCount = 2;
        for (int i = 0; i < 2; ++i) {
            list->Address[i].lpSockaddr = (LPSOCKADDR)&targets[i];
            list->Address[i].iSockaddrLength = sizeof(targets[i]);
        }
        client = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
        CHECK_EQ(setsockopt(client, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off)), 0);
        memset(&remote, 0xcc, sizeof(remote));
        remote_len = sizeof(remote);
        local_len = sizeof(local);
        /* Wine 8.0's ws2_32 exports it as an unimplemented stub: the call itself would
         * end the process there. */
        WINE_DEVIATION("Wine 8.0 has no WSAConnectByList (unimplemented function)") {
            ok = WSAConnectByList(client, list, &local_len, (LPSOCKADDR)&local, &remote_len, (LPSOCKADDR)&remote,
                                  &limit, NULL);
            CHECK(ok);
            CHECK_EQ(remote_len, sizeof(SOCKADDR_IN6));
            CHECK(memcmp(&remote, &targets[1], sizeof(SOCKADDR_IN6)) == 0);
            CHECK_EQ(local_len, sizeof(SOCKADDR_IN6));
            if (ok)
                accept_and_exchange(listener, client, 'y');
        }
        closesocket(client);

        TEST("WSAConnectByList: no list, or a Reserved OVERLAPPED: WSAEINVAL");
        client = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
        WINE_DEVIATION("Wine 8.0 has no WSAConnectByList (unimplemented function)") {
            WSAOVERLAPPED reserved;
            memset(&reserved, 0, sizeof(reserved));
            WSASetLastError(0xdeadbeef);
            CHECK(!WSAConnectByList(client, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            WSASetLastError(0xdeadbeef);
            CHECK(!WSAConnectByList(client, list, NULL, NULL, NULL, NULL, NULL, &reserved));
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        }
        closesocket(client);
    }
    closesocket(listener);
}

#ifndef SO_OPENTYPE
#define SO_OPENTYPE 0x7008
#define SO_SYNCHRONOUS_NONALERT 0x20
#endif

static DWORD WINAPI open_type_of_new_thread(LPVOID arg)
{
    int value = 0x55, len = sizeof(value);
    if (getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len) != 0)
        return 0xdead;
    *(int *)arg = value;
    return 0;
}

static SOCKET delayed_sender;
static DWORD WINAPI send_later(LPVOID arg)
{
    (void)arg;
    Sleep(300);
    send(delayed_sender, "late", 4, 0);
    return 0;
}

static void test_open_type(void)
{
    int value, len;
    HANDLE thread;

    TEST("SO_OPENTYPE: the thread's, 0 by default, read and set through any handle (INVALID_SOCKET)");
    value = 0x55;
    len = sizeof(value);
    CHECK_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(len, 4);
    value = SO_SYNCHRONOUS_NONALERT;
    CHECK_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, sizeof(value)), 0);
    value = 0;
    len = -1; /* a negative length is taken as a large one */
    CHECK_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    CHECK_EQ(value, SO_SYNCHRONOUS_NONALERT);
    CHECK_EQ(len, 4);
    len = 2;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, 2), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("SO_OPENTYPE: another thread still has 0");
    value = 0x55;
    thread = CreateThread(NULL, 0, open_type_of_new_thread, &value, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(value, 0);

    TEST("SO_OPENTYPE SO_SYNCHRONOUS_NONALERT: socket() makes a synchronous socket (an overlapped "
         "WSARecv waits for the data instead of pending)");
    {
        struct sockaddr_in addr;
        SOCKET listener, client, server;
        WSAOVERLAPPED ov;
        WSABUF wb;
        char buf[8];
        DWORD bytes = 0xdeadbeef, flags = 0;
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); /* made while SO_OPENTYPE is set */
        CHECK(client != INVALID_SOCKET);
        value = 0;
        CHECK_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, sizeof(value)), 0);
        listener = make_listener(&addr, 1);
        CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
        server = accept(listener, NULL, NULL);
        CHECK(server != INVALID_SOCKET);
        delayed_sender = server;
        thread = CreateThread(NULL, 0, send_later, NULL, 0, NULL);
        CHECK(thread != NULL);
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        wb.buf = buf;
        wb.len = sizeof(buf);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(client, &wb, 1, &bytes, &flags, &ov, NULL), 0);
        CHECK_EQ(bytes, 4);
        CHECK(memcmp(buf, "late", 4) == 0);
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
        CloseHandle(ov.hEvent);
        closesocket(client);
        closesocket(server);
        closesocket(listener);
    }
}

int main(void)
{
    HANDLE watchdog;

    watchdog_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    watchdog = CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL);

    test_startup_cleanup(); /* first: it needs the library not yet started */
    test_last_error();
    test_socket_create();
    test_bind_and_names();
    test_listen();
    test_connect_accept();
    test_send_recv();
    test_shutdown();
    test_options();
    test_ioctlsocket();
    test_open_type();
    test_handles();
    test_wsaaccept();
    test_connect_by_name();

    WSACleanup();
    SetEvent(watchdog_done);
    WaitForSingleObject(watchdog, 5000);
    CloseHandle(watchdog);
    CloseHandle(watchdog_done);
    return tl_finish();
}
