/* test_socket_acceptex.c: the connection-management Winsock extensions.
 *
 * Every extension function is obtained the way real servers do it, through
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with its GUID. Covers:
 *  - the extension-pointer ioctl itself (all eight GUIDs, an unknown GUID, the overlapped
 *    form);
 *  - AcceptEx without and with a first receive, GetAcceptExSockaddrs, the address-length
 *    rules, many AcceptEx posted on one listener and completed through a port,
 *    SO_UPDATE_ACCEPT_CONTEXT, SO_CONNECT_TIME, the invalid-socket errors, cancellation
 *    (closing the listener, closing the accept socket, CancelIo / CancelIoEx);
 *  - ConnectEx: unbound / listening / connected sockets, send data, event and port
 *    completion, SO_UPDATE_CONNECT_CONTEXT, a refused connection;
 *  - DisconnectEx, and TF_REUSE_SOCKET reuse of the socket for AcceptEx and ConnectEx.
 * Facts and sources: docs/research/windows-sockets-extensions.md. */
#include "sockex_common.h"

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;

static void load_extensions(void)
{
    SOCKET s = sx_tcp();
    GUID acceptex = WSAID_ACCEPTEX, sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    GUID connectex = WSAID_CONNECTEX, disconnectex = WSAID_DISCONNECTEX;
    sx_get_ext(s, acceptex, &pAcceptEx, sizeof(pAcceptEx));
    sx_get_ext(s, sockaddrs, &pGetAcceptExSockaddrs, sizeof(pGetAcceptExSockaddrs));
    sx_get_ext(s, connectex, &pConnectEx, sizeof(pConnectEx));
    sx_get_ext(s, disconnectex, &pDisconnectEx, sizeof(pDisconnectEx));
    closesocket(s);
}

/* ---------------------------------------------------------------------------------- */

static void test_extension_pointers(void)
{
    static const struct {
        const char *name;
        GUID guid;
        int udp; /* fetched on a datagram socket, where these functions are used */
    } guids[] = {
        {"WSAID_ACCEPTEX", WSAID_ACCEPTEX, 0},
        {"WSAID_GETACCEPTEXSOCKADDRS", WSAID_GETACCEPTEXSOCKADDRS, 0},
        {"WSAID_CONNECTEX", WSAID_CONNECTEX, 0},
        {"WSAID_DISCONNECTEX", WSAID_DISCONNECTEX, 0},
        {"WSAID_TRANSMITFILE", WSAID_TRANSMITFILE, 0},
        {"WSAID_TRANSMITPACKETS", WSAID_TRANSMITPACKETS, 0},
        {"WSAID_WSARECVMSG", WSAID_WSARECVMSG, 1},
        {"WSAID_WSASENDMSG", WSAID_WSASENDMSG, 1},
    };
    GUID bogus = {0xdeadbeef, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    GUID acceptex = WSAID_ACCEPTEX;
    SOCKET tcp = sx_tcp(), udp = sx_udp();
    void *fn, *first[8];
    DWORD bytes, err;
    size_t i, j;
    int ret;
    OVERLAPPED ov;
    HANDLE port;
    struct sx_packet p;

    TEST("extension pointers: every GUID gives a non-NULL pointer, bytes = pointer size");
    for (i = 0; i < sizeof(guids) / sizeof(guids[0]); i++) {
        SOCKET s = guids[i].udp ? udp : tcp;
        fn = NULL;
        bytes = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&guids[i].guid, sizeof(GUID),
                       &fn, sizeof(fn), &bytes, NULL, NULL);
        err = WSAGetLastError();
        first[i] = fn;
        if (i == 5) {
            WINE_DEVIATION("SIO_GET_EXTENSION_FUNCTION_POINTER does not know WSAID_TRANSMITPACKETS")
            {
                CHECK_EQ(ret, 0);
                CHECK_EQ(err, 0);
                CHECK(fn != NULL);
                CHECK_EQ(bytes, sizeof(fn));
            }
            continue;
        }
        if (ret != 0 || fn == NULL)
            printf("  %s: ret %d error %lu\n", guids[i].name, ret, (unsigned long)err);
        CHECK_EQ(ret, 0);
        CHECK_EQ(err, 0);
        CHECK(fn != NULL);
        CHECK_EQ(bytes, sizeof(fn));
    }

    TEST("extension pointers: the eight functions are distinct");
    for (i = 0; i < 8; i++)
        for (j = i + 1; j < 8; j++)
            if (first[i] != NULL || first[j] != NULL)
                CHECK(first[i] != first[j]);

    TEST("extension pointers: asking twice gives the same pointer");
    fn = NULL;
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof(acceptex), &fn,
                   sizeof(fn), &bytes, NULL, NULL);
    CHECK_EQ(ret, 0);
    CHECK(fn == first[0]);

    TEST("extension pointers: an unknown GUID fails with WSAEINVAL and leaves outputs alone");
    fn = (void *)(ULONG_PTR)0x1234;
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &fn, sizeof(fn),
                   &bytes, NULL, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(bytes, 0xdeadbeef);

    TEST("extension pointers: NULL lpcbBytesReturned with an OVERLAPPED fails with WSAEFAULT");
    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof(acceptex), &fn,
                   sizeof(fn), NULL, &ov, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("extension pointers: overlapped form completes at once and posts a 0-byte packet");
    port = CreateIoCompletionPort((HANDLE)tcp, NULL, 123, 0);
    CHECK(port != NULL);
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    fn = NULL;
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof(acceptex), &fn,
                   sizeof(fn), &bytes, &ov, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(bytes, sizeof(fn));
    CHECK(fn == first[0]);
    p = sx_get_packet(port, 1000);
    CHECK(p.ret);
    CHECK_EQ(p.bytes, 0);
    CHECK_EQ(p.key, 123);
    CHECK(p.ov == &ov);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 0);

    TEST("extension pointers: an unknown GUID with an OVERLAPPED queues nothing");
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &fn, sizeof(fn),
                   &bytes, &ov, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(bytes, 0xdeadbeef);
    CHECK_EQ(ov.Internal, 0xdeadbeef);
    CHECK_EQ(ov.InternalHigh, 0xdeadbeef);
    p = sx_get_packet(port, 0);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);

    closesocket(tcp);
    closesocket(udp);
    CloseHandle(port);
}

/* ---------------------------------------------------------------------------------- */

static DWORD connect_time(SOCKET s)
{
    DWORD value = 0xcccccccc;
    int len = sizeof(value);
    SetLastError(0xdeadbeef);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, (char *)&value, &len), 0);
    CHECK_EQ(len, sizeof(value));
    return value;
}

static void test_acceptex_no_receive(void)
{
    struct sockaddr_in laddr, client_name, *local, *remote;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), client = sx_tcp();
    char buffer[2 * (sizeof(SOCKADDR_IN) + 16) + 16];
    OVERLAPPED ov;
    DWORD bytes;
    int ret, llen, rlen;
    BOOL ok;
    char data[8];

    sx_ov_init(&ov);

    TEST("AcceptEx (no receive): SO_CONNECT_TIME is 0xFFFFFFFF on the unconnected socket");
    CHECK_EQ(connect_time(acceptor), 0xFFFFFFFF);

    TEST("AcceptEx (no receive): pends with ERROR_IO_PENDING, Internal = STATUS_PENDING");
    sx_ov_reset(&ov);
    bytes = 0xdeadbeef;
    memset(buffer, 0xcc, sizeof(buffer));
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    CHECK(!sx_signalled(ov.hEvent, 100));

    TEST("AcceptEx (no receive): completes as soon as a client connects, 0 bytes");
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    client_name = sx_name(client);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 0);

    TEST("GetAcceptExSockaddrs: local = listener's address, remote = client's address");
    local = remote = (struct sockaddr_in *)(ULONG_PTR)0xdeadbeef;
    llen = rlen = 0xdead;
    pGetAcceptExSockaddrs(buffer, 0, SX_ADDRLEN, SX_ADDRLEN, (struct sockaddr **)&local, &llen,
                          (struct sockaddr **)&remote, &rlen);
    CHECK(local != (struct sockaddr_in *)(ULONG_PTR)0xdeadbeef);
    CHECK(remote != (struct sockaddr_in *)(ULONG_PTR)0xdeadbeef);
    CHECK_EQ(llen, sizeof(struct sockaddr_in));
    CHECK_EQ(rlen, sizeof(struct sockaddr_in));
    if (local != (struct sockaddr_in *)(ULONG_PTR)0xdeadbeef &&
        remote != (struct sockaddr_in *)(ULONG_PTR)0xdeadbeef) {
        CHECK_EQ(local->sin_family, AF_INET);
        CHECK_EQ(local->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(local->sin_port, laddr.sin_port);
        CHECK_EQ(remote->sin_family, AF_INET);
        CHECK_EQ(remote->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(remote->sin_port, client_name.sin_port);
        /* the client's view of the same connection */
        {
            struct sockaddr_in cpeer = sx_peer(client);
            CHECK(sx_same_addr(&cpeer, local));
        }
    }

    TEST("SO_UPDATE_ACCEPT_CONTEXT: then getsockname/getpeername/shutdown work");
    ret = setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                     sizeof(listener));
    CHECK_EQ(ret, 0);
    {
        struct sockaddr_in n = sx_name(acceptor), pr = sx_peer(acceptor);
        CHECK(sx_same_addr(&n, &laddr));
        CHECK(sx_same_addr(&pr, &client_name));
    }
    CHECK_EQ(send(client, "hello", 5, 0), 5);
    memset(data, 0, sizeof(data));
    CHECK_EQ(sx_recv_all(acceptor, data, 5, 5000), 5);
    CHECK(memcmp(data, "hello", 5) == 0);
    CHECK_EQ(shutdown(acceptor, SD_SEND), 0);
    CHECK(sx_recv_eof(client, 5000));

    TEST("SO_CONNECT_TIME: seconds since the connection (small, not 0xFFFFFFFF)");
    {
        DWORD t = connect_time(acceptor);
        CHECK(t != 0xFFFFFFFF);
        CHECK(t < 30);
        t = connect_time(client);
        CHECK(t != 0xFFFFFFFF);
        CHECK(t < 30);
    }

    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

/* A listener bound to the wildcard address: the accepted connection's local address is
   the one the client connected to, with the listener's port, never 0.0.0.0. */
static void test_acceptex_wildcard_listener(void)
{
    struct sockaddr_in any, bound, target, *local, *remote;
    SOCKET listener = sx_tcp(), acceptor = sx_tcp(), client = sx_tcp();
    char buffer[2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ov;
    DWORD bytes;
    int llen, rlen;
    BOOL ok;

    TEST("GetAcceptExSockaddrs, listener on INADDR_ANY: local = the address connected to");
    sx_ov_init(&ov);
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    CHECK_EQ(bind(listener, (struct sockaddr *)&any, sizeof(any)), 0);
    CHECK_EQ(listen(listener, 5), 0);
    bound = sx_name(listener);
    CHECK_EQ(bound.sin_addr.s_addr, htonl(INADDR_ANY));
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    target = sx_loopback(bound.sin_port);
    CHECK_EQ(connect(client, (struct sockaddr *)&target, sizeof(target)), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    local = remote = NULL;
    llen = rlen = 0;
    pGetAcceptExSockaddrs(buffer, 0, SX_ADDRLEN, SX_ADDRLEN, (struct sockaddr **)&local, &llen,
                          (struct sockaddr **)&remote, &rlen);
    CHECK(local != NULL && remote != NULL);
    CHECK_EQ(llen, sizeof(struct sockaddr_in));
    if (local != NULL && remote != NULL) {
        struct sockaddr_in client_name = sx_name(client);
        CHECK_EQ(local->sin_family, AF_INET);
        CHECK_EQ(local->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(local->sin_port, bound.sin_port);
        CHECK(sx_same_addr(remote, &client_name));
    }

    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

/* A boolean option's value (Windows may write fewer bytes than an int: start from 0). */
static int option_value(SOCKET s, int level, int name)
{
    int value = 0, length = sizeof(value);
    if (getsockopt(s, level, name, (char *)&value, &length) != 0) return -1;
    return value;
}

/* One accept: `acceptor` gets a connection from a fresh client. Returns the client. */
static SOCKET accept_one(SOCKET listener, const struct sockaddr_in *laddr, SOCKET acceptor)
{
    char buffer[2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ov;
    DWORD bytes = 0;
    SOCKET client = sx_tcp();
    BOOL ok;
    sx_ov_init(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(connect(client, (const struct sockaddr *)laddr, sizeof(*laddr)), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    sx_ov_free(&ov);
    return client;
}

/* What is done to a socket before it accepts a connection stays with that socket: a
   socket made afterwards starts with every option at its default, unbound. */
static void test_acceptex_fresh_sockets_after(void)
{
    struct sockaddr_in laddr, name;
    SOCKET listener = sx_listener(&laddr, 5), acceptor, client, fresh;
    int one = 1, length;

    TEST("AcceptEx into a socket with options set: a socket made next has the defaults");
    acceptor = sx_tcp();
    CHECK_EQ(setsockopt(acceptor, SOL_SOCKET, SO_KEEPALIVE, (char *)&one, sizeof(one)), 0);
    CHECK_EQ(setsockopt(acceptor, IPPROTO_TCP, TCP_NODELAY, (char *)&one, sizeof(one)), 0);
    client = accept_one(listener, &laddr, acceptor);
    fresh = sx_tcp();
    CHECK_EQ(option_value(fresh, SOL_SOCKET, SO_KEEPALIVE), 0);
    CHECK_EQ(option_value(fresh, IPPROTO_TCP, TCP_NODELAY), 0);
    closesocket(fresh);
    closesocket(client);
    closesocket(acceptor);

    TEST("AcceptEx into an untouched socket: a socket made next is unbound and works");
    acceptor = sx_tcp();
    client = accept_one(listener, &laddr, acceptor);
    fresh = sx_tcp();
    CHECK_EQ(option_value(fresh, SOL_SOCKET, SO_KEEPALIVE), 0);
    CHECK_EQ(option_value(fresh, IPPROTO_TCP, TCP_NODELAY), 0);
    length = sizeof(name);
    CHECK_EQ(getsockname(fresh, (struct sockaddr *)&name, &length), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(connect(fresh, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    {
        SOCKET server = sx_accept(listener, 5000);
        CHECK(server != INVALID_SOCKET);
        CHECK_EQ(send(fresh, "x", 1, 0), 1);
        {
            char got = 0;
            CHECK_EQ(sx_recv_all(server, &got, 1, 5000), 1);
            CHECK_EQ(got, 'x');
        }
        closesocket(server);
    }
    closesocket(fresh);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
}

/* The options the listener has reach the socket AcceptEx filled once
   SO_UPDATE_ACCEPT_CONTEXT names the listener (what the socket answers before that is
   left unchecked: Windows documents it as "the default state" only loosely). */
static void test_acceptex_update_context_inherits(void)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), acceptor, client;
    DWORD timeout, got;
    int size, length;

    TEST("SO_UPDATE_ACCEPT_CONTEXT: the accept socket takes the listener's SO_SNDBUF, "
         "SO_RCVTIMEO, SO_SNDTIMEO, SO_REUSEADDR");
    size = 0x123;
    CHECK_EQ(setsockopt(listener, SOL_SOCKET, SO_SNDBUF, (char *)&size, sizeof(size)), 0);
    timeout = 1234;
    CHECK_EQ(setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
    timeout = 4321;
    CHECK_EQ(setsockopt(listener, SOL_SOCKET, SO_SNDTIMEO, (char *)&timeout, sizeof(timeout)), 0);
    size = 1;
    CHECK_EQ(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, (char *)&size, sizeof(size)), 0);
    acceptor = sx_tcp();
    client = accept_one(listener, &laddr, acceptor);
    CHECK_EQ(setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                        sizeof(listener)), 0);
    size = 0;
    length = sizeof(size);
    CHECK_EQ(getsockopt(acceptor, SOL_SOCKET, SO_SNDBUF, (char *)&size, &length), 0);
    got = 0;
    length = sizeof(got);
    CHECK_EQ(getsockopt(acceptor, SOL_SOCKET, SO_RCVTIMEO, (char *)&got, &length), 0);
    WINE_DEVIATION("Wine 8.0's SO_UPDATE_ACCEPT_CONTEXT gives the accept socket none of the "
                   "listener's options") {
        CHECK_EQ(size, 0x123);
        CHECK_EQ(got, 1234);
        got = 0;
        length = sizeof(got);
        CHECK_EQ(getsockopt(acceptor, SOL_SOCKET, SO_SNDTIMEO, (char *)&got, &length), 0);
        CHECK_EQ(got, 4321);
        CHECK_EQ(option_value(acceptor, SOL_SOCKET, SO_REUSEADDR), 1);
    }
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
}

static void test_acceptex_with_receive(void)
{
    struct sockaddr_in laddr, client_name, *local, *remote;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), client = sx_tcp();
    char buffer[64 + 2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ov;
    DWORD bytes, t;
    int llen, rlen;
    BOOL ok;

    sx_ov_init(&ov);

    TEST("AcceptEx (receive 64): pends; a connection alone does not complete it");
    sx_ov_reset(&ov);
    memset(buffer, 0xcc, sizeof(buffer));
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 64, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    client_name = sx_name(client);
    CHECK(!sx_signalled(ov.hEvent, 300));
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);

    TEST("AcceptEx (receive 64): SO_CONNECT_TIME tells the connection was accepted");
    t = connect_time(acceptor);
    CHECK(t != 0xFFFFFFFF);
    CHECK(t < 30);

    TEST("AcceptEx (receive 64): completes when data arrives, with the byte count");
    CHECK_EQ(send(client, "0123456789", 10, 0), 10);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 10);
    CHECK_EQ(ov.InternalHigh, 10);
    CHECK(memcmp(buffer, "0123456789", 10) == 0);

    TEST("GetAcceptExSockaddrs after a first receive: addresses after the data");
    local = remote = NULL;
    llen = rlen = 0;
    pGetAcceptExSockaddrs(buffer, 64, SX_ADDRLEN, SX_ADDRLEN, (struct sockaddr **)&local, &llen,
                          (struct sockaddr **)&remote, &rlen);
    CHECK(local != NULL && remote != NULL);
    if (local != NULL && remote != NULL) {
        CHECK_EQ(llen, sizeof(struct sockaddr_in));
        CHECK_EQ(rlen, sizeof(struct sockaddr_in));
        CHECK_EQ(local->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(local->sin_port, laddr.sin_port);
        CHECK_EQ(remote->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(remote->sin_port, client_name.sin_port);
    }
    closesocket(client);
    closesocket(acceptor);

    TEST("AcceptEx (receive): a client that closes without sending completes it with 0 bytes");
    acceptor = sx_tcp();
    client = sx_tcp();
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 64, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    closesocket(client);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);

    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

/* A connection that an AcceptEx failed on is still waiting in the backlog. */
static int accept_pending(SOCKET listener)
{
    SOCKET s = sx_accept(listener, 1000);
    if (s == INVALID_SOCKET)
        return 0;
    closesocket(s);
    return 1;
}

static void test_acceptex_errors(void)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), client, other;
    char buffer[256];
    OVERLAPPED ov, ov2;
    DWORD bytes;
    BOOL ok;
    DWORD err;

    sx_ov_init(&ov);
    sx_ov_init(&ov2);

    TEST("AcceptEx errors: INVALID_SOCKET as listener or as accept socket: WSAENOTSOCK");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(INVALID_SOCKET, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, INVALID_SOCKET, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);

    TEST("AcceptEx errors: NULL OVERLAPPED: ERROR_INVALID_PARAMETER");
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, NULL);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);

    TEST("AcceptEx errors: remote address length 0: WSAEFAULT at once");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);

    TEST("AcceptEx errors: NULL output buffer: WSAEFAULT");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, NULL, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    err = WSAGetLastError();
    CHECK(!ok);
    WINE_DEVIATION("AcceptEx with a NULL output buffer fails with WSAEINVAL, not WSAEFAULT")
    {
        CHECK_EQ(err, WSAEFAULT);
    }
    if (!ok && err == ERROR_IO_PENDING) {
        CancelIoEx((HANDLE)listener, &ov);
        sx_signalled(ov.hEvent, 2000);
    }

    TEST("AcceptEx errors: local address length 3 (too small): pends, then the connection "
         "completes it with ERROR_INSUFFICIENT_BUFFER");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, 3, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    client = sx_tcp();
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(ov.Internal, SX_STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(bytes, 0);
    TEST("AcceptEx errors: ... and that connection is still there for accept()");
    WINE_DEVIATION("the connection an AcceptEx failed on is dropped, not left in the backlog")
    {
        CHECK(accept_pending(listener));
    }
    closesocket(client);
    closesocket(acceptor);
    acceptor = sx_tcp();

    TEST("AcceptEx errors: local address length sizeof(SOCKADDR_IN)+4 fails the same way");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, sizeof(SOCKADDR_IN) + 4, SX_ADDRLEN, &bytes,
                   &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    client = sx_tcp();
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ok = GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE);
    err = GetLastError();
    CHECK_EQ(bytes, 0);
    WINE_DEVIATION("AcceptEx with a local address length of sizeof(SOCKADDR_IN)+4 succeeds")
    {
        CHECK(!ok);
        CHECK_EQ(err, ERROR_INSUFFICIENT_BUFFER);
        CHECK_EQ(ov.Internal, SX_STATUS_BUFFER_TOO_SMALL);
        CHECK(accept_pending(listener));
    }
    closesocket(client);
    closesocket(acceptor);
    acceptor = sx_tcp();

    TEST("AcceptEx errors: address lengths of sizeof(SOCKADDR_IN)+15 are accepted for pending");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, sizeof(SOCKADDR_IN) + 15, SX_ADDRLEN, &bytes,
                   &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    CHECK(CancelIo((HANDLE)listener));
    CHECK(sx_signalled(ov.hEvent, 2000));
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, sizeof(SOCKADDR_IN) + 15, &bytes,
                   &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(CancelIo((HANDLE)listener));
    CHECK(sx_signalled(ov.hEvent, 2000));

    TEST("AcceptEx errors: the same accept socket twice: WSAEINVAL; connect/ConnectEx on it "
         "fail with WSAEINVAL");
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    sx_ov_reset(&ov2);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov2);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(ov2.Internal, SX_STATUS_PENDING);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(acceptor, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    sx_ov_reset(&ov2);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(acceptor, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov2);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK(!sx_signalled(ov.hEvent, 0));

    TEST("AcceptEx errors: the pending one still completes normally");
    client = sx_tcp();
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);
    closesocket(client);
    closesocket(acceptor);

    TEST("AcceptEx errors: an accept socket that is bound: WSAEINVAL");
    other = sx_tcp();
    CHECK_EQ(sx_bind_loopback(other), 0);
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, other, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    err = WSAGetLastError();
    CHECK(!ok);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    WINE_DEVIATION("AcceptEx into a bound socket is accepted (pends)")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    if (!ok && err == ERROR_IO_PENDING) {
        CancelIoEx((HANDLE)listener, &ov);
        sx_signalled(ov.hEvent, 2000);
    }
    closesocket(other);

    TEST("AcceptEx errors: an accept socket that is connected: WSAEINVAL");
    {
        SOCKET a, b;
        sx_pair(&a, &b);
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pAcceptEx(listener, a, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
        err = WSAGetLastError();
        CHECK(!ok);
        CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
        WINE_DEVIATION("AcceptEx into a connected socket is accepted (pends)")
        {
            CHECK_EQ(err, WSAEINVAL);
        }
        if (!ok && err == ERROR_IO_PENDING) {
            CancelIoEx((HANDLE)listener, &ov);
            sx_signalled(ov.hEvent, 2000);
        }
        closesocket(a);
        closesocket(b);
    }

    TEST("AcceptEx errors: a UDP accept socket: WSAEINVAL");
    other = sx_udp();
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pAcceptEx(listener, other, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    err = WSAGetLastError();
    CHECK(!ok);
    WINE_DEVIATION("AcceptEx into a UDP socket is accepted (pends)")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    if (!ok && err == ERROR_IO_PENDING) {
        CancelIoEx((HANDLE)listener, &ov);
        sx_signalled(ov.hEvent, 2000);
    }
    closesocket(other);

    TEST("AcceptEx errors: a listener that is not listening: WSAEINVAL");
    {
        SOCKET notlistening = sx_tcp();
        CHECK_EQ(sx_bind_loopback(notlistening), 0);
        acceptor = sx_tcp();
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pAcceptEx(notlistening, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
        err = WSAGetLastError();
        CHECK(!ok);
        CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
        WINE_DEVIATION("AcceptEx on a socket that is not listening is accepted (pends)")
        {
            CHECK_EQ(err, WSAEINVAL);
        }
        if (!ok && err == ERROR_IO_PENDING) {
            CancelIoEx((HANDLE)notlistening, &ov);
            sx_signalled(ov.hEvent, 2000);
        }
        closesocket(notlistening);
        closesocket(acceptor);
    }

    closesocket(listener);
    sx_ov_free(&ov);
    sx_ov_free(&ov2);
}

/* ---------------------------------------------------------------------------------- */

#define MANY 16

static void test_acceptex_many_through_port(void)
{
    struct sockaddr_in laddr, names[MANY];
    SOCKET listener = sx_listener(&laddr, SOMAXCONN), acceptors[MANY], clients[MANY];
    char buffers[MANY][2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ovs[MANY];
    int seen[MANY], matched[MANY];
    HANDLE port;
    struct sx_packet p;
    DWORD bytes;
    int i, j, all_pending = 1, once = 1, in_range = 1;

    TEST("AcceptEx x16 on one listener: all pend");
    port = CreateIoCompletionPort((HANDLE)listener, NULL, 0x1157, 0);
    CHECK(port != NULL);
    for (i = 0; i < MANY; i++) {
        acceptors[i] = sx_tcp();
        memset(&ovs[i], 0, sizeof(ovs[i]));
        seen[i] = matched[i] = 0;
        WSASetLastError(0xdeadbeef);
        if (pAcceptEx(listener, acceptors[i], buffers[i], 0, SX_ADDRLEN, SX_ADDRLEN, &bytes,
                      &ovs[i]) ||
            WSAGetLastError() != ERROR_IO_PENDING)
            all_pending = 0;
    }
    CHECK(all_pending);
    p = sx_get_packet(port, 100);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);

    TEST("AcceptEx x16: 16 clients connect, each request completes exactly once");
    for (i = 0; i < MANY; i++) {
        clients[i] = sx_tcp();
        CHECK_EQ(connect(clients[i], (struct sockaddr *)&laddr, sizeof(laddr)), 0);
        names[i] = sx_name(clients[i]);
    }
    for (i = 0; i < MANY; i++) {
        int index;
        p = sx_get_packet(port, 5000);
        CHECK(p.ret);
        CHECK_EQ(p.key, 0x1157);
        CHECK_EQ(p.bytes, 0);
        index = (int)(p.ov - ovs);
        if (p.ov < ovs || index >= MANY) {
            in_range = 0;
            continue;
        }
        if (seen[index]++)
            once = 0;
    }
    CHECK(in_range);
    CHECK(once);
    p = sx_get_packet(port, 200);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);

    TEST("AcceptEx x16: each accepted socket is connected to a distinct client");
    for (i = 0; i < MANY; i++) {
        struct sockaddr_in peer;
        int found = -1;
        CHECK_EQ(setsockopt(acceptors[i], SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                            (char *)&listener, sizeof(listener)),
                 0);
        peer = sx_peer(acceptors[i]);
        for (j = 0; j < MANY; j++)
            if (sx_same_addr(&peer, &names[j]))
                found = j;
        CHECK(found >= 0);
        if (found >= 0) {
            CHECK_EQ(matched[found], 0);
            matched[found]++;
        }
    }

    TEST("AcceptEx x16: data flows both ways on every pair");
    for (i = 0; i < MANY; i++) {
        char b[4] = {0};
        char msg[4] = {'a', 'b', 'c', (char)('A' + i)};
        CHECK_EQ(send(acceptors[i], msg, 4, 0), 4);
        for (j = 0; j < MANY; j++) {
            struct sockaddr_in peer = sx_peer(acceptors[i]);
            if (sx_same_addr(&peer, &names[j])) {
                CHECK_EQ(sx_recv_all(clients[j], b, 4, 5000), 4);
                CHECK(memcmp(b, msg, 4) == 0);
            }
        }
    }

    for (i = 0; i < MANY; i++) {
        closesocket(clients[i]);
        closesocket(acceptors[i]);
    }
    closesocket(listener);
    CloseHandle(port);
}

/* ---------------------------------------------------------------------------------- */

static void test_acceptex_cancel(void)
{
    struct sockaddr_in laddr;
    SOCKET listener, acceptor;
    char buffer[256];
    OVERLAPPED ov;
    DWORD bytes;
    HANDLE port;
    struct sx_packet p;
    BOOL ok;

    sx_ov_init(&ov);

    TEST("AcceptEx cancel: closing the listener completes it with ERROR_OPERATION_ABORTED");
    listener = sx_listener(&laddr, 5);
    acceptor = sx_tcp();
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 64, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(closesocket(listener), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK_EQ(ov.Internal, SX_STATUS_CANCELLED);
    closesocket(acceptor);

    TEST("AcceptEx cancel: closing the listener, through a port: abort packet, key, 0 bytes");
    listener = sx_listener(&laddr, 5);
    acceptor = sx_tcp();
    port = CreateIoCompletionPort((HANDLE)listener, NULL, 0xabc, 0);
    CHECK(port != NULL);
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(closesocket(listener), 0);
    p = sx_get_packet(port, 5000);
    CHECK(!p.ret);
    CHECK_EQ(p.error, ERROR_OPERATION_ABORTED);
    CHECK_EQ(p.key, 0xabc);
    CHECK_EQ(p.bytes, 0);
    CHECK(p.ov == &ov);
    CHECK_EQ(ov.Internal, SX_STATUS_CANCELLED);
    p = sx_get_packet(port, 100);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);
    CloseHandle(port);
    closesocket(acceptor);

    TEST("AcceptEx cancel: closing the accept socket completes it with ERROR_OPERATION_ABORTED");
    listener = sx_listener(&laddr, 5);
    acceptor = sx_tcp();
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 64, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK_EQ(closesocket(acceptor), 0);
    CHECK(sx_signalled(ov.hEvent, 5000));
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);

    TEST("AcceptEx cancel: CancelIo on the accept socket does not cancel it (it belongs to the "
         "listener)");
    acceptor = sx_tcp();
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 64, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CancelIo((HANDLE)acceptor);
    CHECK(!sx_signalled(ov.hEvent, 300));

    TEST("AcceptEx cancel: CancelIoEx(listener, &ov) cancels it: ERROR_OPERATION_ABORTED");
    SetLastError(0xdeadbeef);
    CHECK(CancelIoEx((HANDLE)listener, &ov));
    CHECK(sx_signalled(ov.hEvent, 5000));
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK_EQ(ov.Internal, SX_STATUS_CANCELLED);

    TEST("AcceptEx cancel: CancelIoEx with nothing pending: ERROR_NOT_FOUND");
    SetLastError(0xdeadbeef);
    CHECK(!CancelIoEx((HANDLE)listener, &ov));
    CHECK_ERROR(ERROR_NOT_FOUND);

    TEST("AcceptEx cancel: the listener still works after a cancelled request");
    sx_ov_reset(&ov);
    ok = pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    {
        SOCKET client = sx_tcp();
        CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
        CHECK(sx_signalled(ov.hEvent, 5000));
        CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
        closesocket(client);
    }

    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

/* ---------------------------------------------------------------------------------- */

static void test_connectex(void)
{
    struct sockaddr_in laddr, local;
    SOCKET listener = sx_listener(&laddr, 5), s, server;
    OVERLAPPED ov;
    DWORD bytes, err;
    char big[3000], got[3000];
    BOOL ok;
    HANDLE port;
    struct sx_packet p;
    int i;

    sx_ov_init(&ov);
    for (i = 0; i < (int)sizeof(big); i++)
        big[i] = (char)sx_pattern((size_t)i);

    TEST("ConnectEx: INVALID_SOCKET: WSAENOTSOCK");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(INVALID_SOCKET, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("ConnectEx: an unbound socket: WSAEINVAL");
    s = sx_tcp();
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK(!sx_signalled(ov.hEvent, 0));

    TEST("ConnectEx: a listening socket: WSAEINVAL, Internal = STATUS_PENDING");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(listener, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);

    TEST("ConnectEx: NULL OVERLAPPED: ERROR_INVALID_PARAMETER");
    CHECK_EQ(sx_bind_loopback(s), 0);
    local = sx_name(s);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, NULL);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);

    TEST("ConnectEx: SO_CONNECT_TIME is 0xFFFFFFFF before the connection");
    CHECK_EQ(connect_time(s), 0xFFFFFFFF);

    TEST("ConnectEx: pends, completes through the event with 0 bytes");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);
    server = sx_accept(listener, 5000);
    CHECK(server != INVALID_SOCKET);

    TEST("ConnectEx: SO_UPDATE_CONNECT_CONTEXT, then getpeername/getsockname");
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    {
        struct sockaddr_in peer = sx_peer(s), name = sx_name(s), speer = sx_peer(server);
        CHECK(sx_same_addr(&peer, &laddr));
        CHECK(sx_same_addr(&name, &local));
        CHECK(sx_same_addr(&speer, &local));
    }
    {
        DWORD t = connect_time(s);
        CHECK(t != 0xFFFFFFFF);
        CHECK(t < 30);
    }

    TEST("ConnectEx: on a connected socket: WSAEISCONN, Internal = STATUS_PENDING");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSAEISCONN);
    CHECK_EQ(ov.Internal, SX_STATUS_PENDING);
    TEST("ConnectEx: connect() on a socket ConnectEx connected: WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(s, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    err = WSAGetLastError();
    WINE_DEVIATION("connect() on a socket connected by ConnectEx fails with WSAEISCONN")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    closesocket(s);
    closesocket(server);

    TEST("ConnectEx: with 3000 bytes of send data: bytes = 3000, the server gets every byte");
    s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    sx_ov_reset(&ov);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), big, sizeof(big), &bytes, &ov);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, sizeof(big));
    server = sx_accept(listener, 5000);
    CHECK(server != INVALID_SOCKET);
    memset(got, 0, sizeof(got));
    CHECK_EQ(sx_recv_all(server, got, sizeof(got), 5000), sizeof(got));
    CHECK_EQ(sx_pattern_mismatch(got, sizeof(got), 0), -1);
    closesocket(s);
    closesocket(server);

    TEST("ConnectEx: completion through a port: key, bytes, OVERLAPPED");
    s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 0x77, 0);
    CHECK(port != NULL);
    sx_ov_reset(&ov);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), "one", 3, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    p = sx_get_packet(port, 5000);
    CHECK(p.ret);
    CHECK_EQ(p.key, 0x77);
    CHECK_EQ(p.bytes, 3);
    CHECK(p.ov == &ov);
    server = sx_accept(listener, 5000);
    CHECK(server != INVALID_SOCKET);
    closesocket(server);
    closesocket(s);
    CloseHandle(port);

    TEST("ConnectEx: an hEvent with the low bit set keeps the completion off the port");
    s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 0x78, 0);
    CHECK(port != NULL);
    sx_ov_reset(&ov);
    ov.hEvent = (HANDLE)((ULONG_PTR)ov.hEvent | 1);
    ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
    ov.hEvent = (HANDLE)((ULONG_PTR)ov.hEvent & ~(ULONG_PTR)1);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 5000));
    p = sx_get_packet(port, 200);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);
    server = sx_accept(listener, 5000);
    CHECK(server != INVALID_SOCKET);
    closesocket(server);
    closesocket(s);
    CloseHandle(port);

    closesocket(listener);
    sx_ov_free(&ov);
}

static void test_connectex_refused(void)
{
    struct sockaddr_in target = sx_loopback(sx_unused_port()), laddr;
    SOCKET s, listener, server;
    OVERLAPPED ov;
    DWORD bytes, flags;
    HANDLE port;
    struct sx_packet p;
    BOOL ok;

    sx_ov_init(&ov);

    TEST("ConnectEx refused: GetOverlappedResult says ERROR_CONNECTION_REFUSED");
    s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    sx_ov_reset(&ov);
    ok = pConnectEx(s, (struct sockaddr *)&target, sizeof(target), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 15000));
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_CONNECTION_REFUSED);
    CHECK_EQ(bytes, 0);

    TEST("ConnectEx refused: WSAGetOverlappedResult says WSAECONNREFUSED");
    bytes = 0xdeadbeef;
    flags = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK(!WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
    CHECK_EQ(bytes, 0);

    TEST("ConnectEx refused: the same socket can ConnectEx again, to a listener");
    listener = sx_listener(&laddr, 5);
    WINE_DEVIATION("ConnectEx after a refused ConnectEx fails with WSAECONNABORTED")
    {
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pConnectEx(s, (struct sockaddr *)&laddr, sizeof(laddr), NULL, 0, &bytes, &ov);
        CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
        CHECK(sx_signalled(ov.hEvent, 5000));
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
        server = sx_accept(listener, 5000);
        CHECK(server != INVALID_SOCKET);
        closesocket(server);
    }
    closesocket(listener);
    closesocket(s);

    TEST("ConnectEx refused: through a port: ERROR_CONNECTION_REFUSED, key, OVERLAPPED, 0 bytes");
    s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 0x99, 0);
    CHECK(port != NULL);
    sx_ov_reset(&ov);
    ok = pConnectEx(s, (struct sockaddr *)&target, sizeof(target), NULL, 0, &bytes, &ov);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    p = sx_get_packet(port, 15000);
    CHECK(!p.ret);
    CHECK_EQ(p.error, ERROR_CONNECTION_REFUSED);
    CHECK_EQ(p.key, 0x99);
    CHECK_EQ(p.bytes, 0);
    CHECK(p.ov == &ov);
    closesocket(s);
    CloseHandle(port);

    sx_ov_free(&ov);
}

/* ---------------------------------------------------------------------------------- */

static void test_disconnectex(void)
{
    SOCKET client, server;
    OVERLAPPED ov;
    DWORD bytes, err;
    BOOL ok;
    char buf[8];

    sx_ov_init(&ov);

    TEST("DisconnectEx: INVALID_SOCKET: WSAENOTSOCK; not connected: WSAENOTCONN");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    CHECK(!pDisconnectEx(INVALID_SOCKET, &ov, 0, 0));
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    client = sx_tcp();
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    CHECK(!pDisconnectEx(client, &ov, 0, 0));
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    closesocket(client);

    TEST("DisconnectEx: a nonzero reserved argument: WSAEINVAL");
    sx_pair(&client, &server);
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pDisconnectEx(client, &ov, 0, 1);
    err = WSAGetLastError();
    CHECK(!ok);
    WINE_DEVIATION("DisconnectEx ignores a nonzero reserved argument")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    if (ok || err == ERROR_IO_PENDING)
        sx_signalled(ov.hEvent, 5000);
    closesocket(client);
    closesocket(server);
    sx_pair(&client, &server);

    TEST("DisconnectEx (flags 0): pends, completes with 0 bytes");
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pDisconnectEx(client, &ov, 0, 0);
    CHECK(!ok); /* it always pends (Wine's sock.c test_shutdown_completion_port) */
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);

    TEST("DisconnectEx (flags 0): the send side is shut: send fails with WSAESHUTDOWN, peer "
         "reads 0");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(send(client, "test", 5, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAESHUTDOWN);
    CHECK(sx_recv_eof(server, 5000));
    TEST("DisconnectEx (flags 0): the receive side still works; connect fails with WSAEISCONN");
    CHECK_EQ(send(server, "test", 5, 0), 5);
    CHECK_EQ(sx_recv_all(client, buf, 5, 5000), 5);
    CHECK(memcmp(buf, "test", 5) == 0);
    {
        struct sockaddr_in peer = sx_peer(client);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(client, (struct sockaddr *)&peer, sizeof(peer)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEISCONN);
    }
    closesocket(client);
    closesocket(server);

    TEST("DisconnectEx: a NULL OVERLAPPED makes it synchronous, TRUE");
    sx_pair(&client, &server);
    WSASetLastError(0xdeadbeef);
    CHECK(pDisconnectEx(client, NULL, 0, 0));
    CHECK(sx_recv_eof(server, 5000));
    closesocket(client);
    closesocket(server);

    sx_ov_free(&ov);
}

/* Wine's sock.c test_shutdown_completion_port and test_connect_completion_port (plain ok
 * unless said): what DisconnectEx, ConnectEx and the shutdown calls queue on a port. */
static void test_disconnectex_port(void)
{
    SOCKET client, server;
    OVERLAPPED ov;
    HANDLE port, event;
    struct sx_packet packet;
    DWORD bytes;

    sx_ov_init(&ov);
    event = ov.hEvent;

    TEST("shutdown, WSASendDisconnect and WSARecvDisconnect queue nothing on the port");
    sx_pair(&client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 7, 0);
    CHECK(port != NULL);
    CHECK_EQ(WSASendDisconnect(client, NULL), 0);
    CHECK_EQ(WSARecvDisconnect(client, NULL), 0);
    CHECK_EQ(shutdown(client, SD_BOTH), 0);
    packet = sx_get_packet(port, 200);
    CHECK(!packet.ret);
    CHECK_EQ(packet.error, WAIT_TIMEOUT);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    TEST("DisconnectEx with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: it pends, and its packet comes");
    sx_pair(&client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 7, 0);
    CHECK(SetFileCompletionNotificationModes((HANDLE)client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    sx_ov_reset(&ov);
    SetLastError(0xdeadbeef);
    CHECK(!pDisconnectEx(client, &ov, 0, 0));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(sx_signalled(event, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 0);
    WINE_DEVIATION("Wine 8.0 queues no packet for a DisconnectEx on a handle that skips the port on success (todo_wine)")
    {
        packet = sx_get_packet(port, 5000);
        CHECK(packet.ret);
        CHECK_EQ(packet.key, 7);
        CHECK_EQ(packet.bytes, 0);
        CHECK(packet.ov == &ov);
    }
    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    TEST("DisconnectEx with a NULL OVERLAPPED on a socket bound to a port: TRUE, nothing queued");
    sx_pair(&client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 7, 0);
    SetLastError(0xdeadbeef);
    CHECK(pDisconnectEx(client, NULL, 0, 0));
    CHECK(GetLastError() == 0 || GetLastError() == 0xdeadbeef);
    CHECK(sx_recv_eof(server, 5000));
    packet = sx_get_packet(port, 200);
    CHECK(!packet.ret);
    CHECK_EQ(packet.error, WAIT_TIMEOUT);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    TEST("DisconnectEx with hEvent's low bit set: it pends, the event is set, nothing queued");
    sx_pair(&client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 7, 0);
    sx_ov_reset(&ov);
    ov.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    SetLastError(0xdeadbeef);
    CHECK(!pDisconnectEx(client, &ov, 0, 0));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(sx_signalled(event, 5000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, TRUE));
    packet = sx_get_packet(port, 200);
    CHECK(!packet.ret);
    CHECK_EQ(packet.error, WAIT_TIMEOUT);
    ov.hEvent = event;
    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    {
        struct sockaddr_in listen_address, local = sx_loopback(0);
        SOCKET listener = sx_listener(&listen_address, 5);

        TEST("ConnectEx with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: it pends, and its packet comes");
        client = sx_tcp();
        port = CreateIoCompletionPort((HANDLE)client, NULL, 0, 0);
        CHECK(SetFileCompletionNotificationModes((HANDLE)client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        CHECK_EQ(bind(client, (struct sockaddr *)&local, sizeof(local)), 0);
        sx_ov_reset(&ov);
        SetLastError(0xdeadbeef);
        CHECK(!pConnectEx(client, (struct sockaddr *)&listen_address, sizeof(listen_address), NULL, 0, &bytes, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(sx_signalled(event, 5000));
        CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
        server = sx_accept(listener, 5000);
        packet = sx_get_packet(port, 5000);
        CHECK(packet.ret);
        CHECK_EQ(packet.key, 0);
        CHECK_EQ(packet.bytes, 0);
        CHECK(packet.ov == &ov);
        closesocket(server);
        closesocket(client);
        CloseHandle(port);
        closesocket(listener);

        TEST("ConnectEx refused with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: the failure's packet comes");
        client = sx_tcp();
        port = CreateIoCompletionPort((HANDLE)client, NULL, 0, 0);
        CHECK(SetFileCompletionNotificationModes((HANDLE)client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        CHECK_EQ(bind(client, (struct sockaddr *)&local, sizeof(local)), 0);
        sx_ov_reset(&ov);
        SetLastError(0xdeadbeef);
        CHECK(!pConnectEx(client, (struct sockaddr *)&listen_address, sizeof(listen_address), NULL, 0, &bytes, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(sx_signalled(event, 15000));
        CHECK(!GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
        CHECK_ERROR(ERROR_CONNECTION_REFUSED);
        packet = sx_get_packet(port, 5000);
        CHECK(!packet.ret);
        CHECK_EQ(packet.error, ERROR_CONNECTION_REFUSED);
        CHECK_EQ(packet.key, 0);
        CHECK_EQ(packet.bytes, 0);
        CHECK(packet.ov == &ov);
        closesocket(client);
        CloseHandle(port);
    }

    sx_ov_free(&ov);
}

/* The peer closes first so that the reusing side never enters TIME_WAIT (MS Learn:
 * a reused socket is subject to the TCP TIME_WAIT state). */
static void test_disconnectex_reuse_acceptex(void)
{
    struct sockaddr_in laddr, cname, *local, *remote;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), client;
    char buffer[64 + 2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ok;
    int round, llen, rlen;

    sx_ov_init(&ov);
    for (round = 0; round < 2; round++) {
        if (round == 1) {
            int skip = 1;
            WINE_DEVIATION("AcceptEx into a socket reused with DisconnectEx(TF_REUSE_SOCKET) "
                           "never completes")
            {
                skip = 0;
            }
            if (skip)
                break;
        }
        printf("   (round %d)\n", round);
        TEST("TF_REUSE_SOCKET + AcceptEx: AcceptEx into the socket");
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pAcceptEx(listener, acceptor, buffer, 16, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov);
        CHECK(!ok);
        CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
        client = sx_tcp();
        CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
        cname = sx_name(client);
        CHECK_EQ(send(client, "round", 5, 0), 5);
        CHECK(sx_signalled(ov.hEvent, 5000));
        bytes = 0xdeadbeef;
        CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
        CHECK_EQ(bytes, 5);
        CHECK(memcmp(buffer, "round", 5) == 0);
        local = remote = NULL;
        pGetAcceptExSockaddrs(buffer, 16, SX_ADDRLEN, SX_ADDRLEN, (struct sockaddr **)&local,
                              &llen, (struct sockaddr **)&remote, &rlen);
        CHECK(remote != NULL && sx_same_addr(remote, &cname));
        CHECK_EQ(send(acceptor, "reply", 5, 0), 5);
        {
            char b[5];
            CHECK_EQ(sx_recv_all(client, b, 5, 5000), 5);
            CHECK(memcmp(b, "reply", 5) == 0);
        }

        TEST("TF_REUSE_SOCKET + AcceptEx: the client closes, DisconnectEx(TF_REUSE_SOCKET)");
        closesocket(client);
        CHECK(sx_recv_eof(acceptor, 5000));
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pDisconnectEx(acceptor, &ov, TF_REUSE_SOCKET, 0);
        CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
        CHECK(sx_signalled(ov.hEvent, 10000));
        bytes = 0xdeadbeef;
        CHECK(GetOverlappedResult((HANDLE)acceptor, &ov, &bytes, FALSE));
        CHECK_EQ(bytes, 0);
    }
    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

static void test_disconnectex_reuse_connectex(void)
{
    struct sockaddr_in laddr[2], local;
    SOCKET listeners[2], s = sx_tcp(), server;
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ok;
    int round;

    sx_ov_init(&ov);
    /* two listeners: the second connection must not reuse the first one's 4-tuple, whose
     * server side is in TIME_WAIT after closing first */
    listeners[0] = sx_listener(&laddr[0], 5);
    listeners[1] = sx_listener(&laddr[1], 5);
    CHECK_EQ(sx_bind_loopback(s), 0);
    local = sx_name(s);
    for (round = 0; round < 2; round++) {
        char b[5];
        if (round == 1) {
            int skip = 1;
            WINE_DEVIATION("ConnectEx on a socket reused with DisconnectEx(TF_REUSE_SOCKET) fails "
                           "with WSAEISCONN")
            {
                skip = 0;
            }
            if (skip)
                break;
        }
        printf("   (round %d)\n", round);
        TEST("TF_REUSE_SOCKET + ConnectEx: ConnectEx from the same (still bound) socket");
        sx_ov_reset(&ov);
        ok = pConnectEx(s, (struct sockaddr *)&laddr[round], sizeof(laddr[round]), "hi!", 3,
                        &bytes, &ov);
        CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
        CHECK(sx_signalled(ov.hEvent, 5000));
        bytes = 0xdeadbeef;
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
        CHECK_EQ(bytes, 3);
        server = sx_accept(listeners[round], 5000);
        CHECK(server != INVALID_SOCKET);
        {
            struct sockaddr_in speer = sx_peer(server);
            CHECK(sx_same_addr(&speer, &local));
        }
        CHECK_EQ(sx_recv_all(server, b, 3, 5000), 3);
        CHECK(memcmp(b, "hi!", 3) == 0);

        TEST("TF_REUSE_SOCKET + ConnectEx: the server closes, DisconnectEx(TF_REUSE_SOCKET)");
        closesocket(server);
        CHECK(sx_recv_eof(s, 5000));
        sx_ov_reset(&ov);
        WSASetLastError(0xdeadbeef);
        ok = pDisconnectEx(s, &ov, TF_REUSE_SOCKET, 0);
        CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
        CHECK(sx_signalled(ov.hEvent, 10000));
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE));
        {
            struct sockaddr_in n = sx_name(s);
            CHECK(sx_same_addr(&n, &local));
        }
    }
    closesocket(s);
    closesocket(listeners[0]);
    closesocket(listeners[1]);
    sx_ov_free(&ov);
}

/* Wine's sock.c test_AcceptEx, "Test CF_DEFER & AcceptEx interaction" (plain ok): a
 * connection WSAAccept deferred is the first of the listener's queue, and an AcceptEx
 * posted then takes it (pending all the same); a later connection is left to accept(). */
static int CALLBACK defer_every_connection(LPWSABUF caller, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
                                           LPWSABUF callee, LPWSABUF callee_data, GROUP *group, DWORD_PTR context)
{
    (void)caller;
    (void)caller_data;
    (void)sqos;
    (void)gqos;
    (void)callee;
    (void)callee_data;
    (void)group;
    (void)context;
    return CF_DEFER;
}

static void test_acceptex_deferred(void)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), first = sx_tcp(), second = sx_tcp(), other;
    char buffer[2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED ov;
    DWORD bytes;
    u_long blocking = 0;

    sx_ov_init(&ov);
    TEST("AcceptEx after WSAAccept deferred a connection: it pends");
    sx_set_nonblocking(first, 1);
    sx_set_nonblocking(second, 1);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(first, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    CHECK(sx_readable(listener, 5000));
    WSASetLastError(0xdeadbeef);
    CHECK(WSAAccept(listener, NULL, NULL, defer_every_connection, 0) == INVALID_SOCKET);
    CHECK_EQ(WSAGetLastError(), WSATRY_AGAIN);
    sx_ov_reset(&ov);
    SetLastError(0xdeadbeef);
    CHECK(!pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov));
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);

    TEST("... a later connection is left to accept(); each end hears its own client");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(connect(second, (struct sockaddr *)&laddr, sizeof(laddr)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    other = sx_accept(listener, 5000);
    CHECK(other != INVALID_SOCKET);
    CHECK(sx_signalled(ov.hEvent, 5000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)listener, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0);
    {
        fd_set writable;
        struct timeval five = {5, 0};
        FD_ZERO(&writable);
        FD_SET(first, &writable);
        FD_SET(second, &writable);
        CHECK_EQ(select(0, NULL, &writable, NULL, &five), 2);
    }
    sx_set_nonblocking(first, 0);
    sx_set_nonblocking(second, 0);
    CHECK_EQ(send(first, "1", 1, 0), 1);
    CHECK_EQ(send(second, "2", 1, 0), 1);
    CHECK_EQ(ioctlsocket(acceptor, FIONBIO, &blocking), 0);
    buffer[0] = 0;
    CHECK_EQ(sx_recv_all(acceptor, buffer, 1, 5000), 1);
    CHECK_EQ(buffer[0], '1');
    buffer[0] = 0;
    if (other != INVALID_SOCKET) {
        CHECK_EQ(sx_recv_all(other, buffer, 1, 5000), 1);
        CHECK_EQ(buffer[0], '2');
        closesocket(other);
    }
    closesocket(first);
    closesocket(second);
    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&ov);
}

int main(void)
{
    sx_startup();
    load_extensions();
    test_extension_pointers();
    test_acceptex_no_receive();
    test_acceptex_wildcard_listener();
    test_acceptex_fresh_sockets_after();
    test_acceptex_update_context_inherits();
    test_acceptex_with_receive();
    test_acceptex_errors();
    test_acceptex_many_through_port();
    test_acceptex_cancel();
    test_acceptex_deferred();
    test_connectex();
    test_connectex_refused();
    test_disconnectex();
    test_disconnectex_port();
    test_disconnectex_reuse_acceptex();
    test_disconnectex_reuse_connectex();
    sx_cleanup();
    return tl_finish();
}
