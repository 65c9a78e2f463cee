/* test_socket_edges.c: edges of Winsock found by comparing with Wine's conformance tests.
 *
 * Covers: for each socket option of a table (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP,
 * IPPROTO_IPV6), what setsockopt and getsockopt do with lengths of -1, 0, 1, 2, 4 and 8,
 * the length getsockopt answers with, the bytes it writes, and whether 0x100 is taken;
 * FIONREAD/SIOCATMARK with urgent data (inline or not); WSAEventSelect's ordering
 * (events selected after the fact, FD_READ and pending receives, FD_CLOSE with data
 * unread); blocking calls that wait alertably (accept, recv, WSARecv, WSAPoll, select);
 * WSAIoctl with completion routines and its byte counts; SIO_BASE_HANDLE overlapped; a
 * port bound after a request was issued; WSAPoll after the peer's shutdowns;
 * WSASendMsg's odd failures; AcceptEx with no local address area; a socket whose
 * connect() is under way (getpeername, recv, send, connect again).
 *
 * Sources: Wine's dlls/ws2_32/tests/sock.c (test_set_getsockopt's option-size table,
 * test_fionread_siocatmark, test_events, test_WSARecv, test_accept, test_WSAPoll,
 * test_fionbio, test_keepalive_vals, test_unsupported_ioctls, test_base_handle,
 * test_completion_port, test_WSASendMsg, test_AcceptEx, test_connecting_socket), whose plain ok() checks pass on
 * Windows; facts in docs/research/windows-sockets-core.md; Wine 8.0's deviations in
 * tests/win32/WINE_DEVIATIONS_sockets.md. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include "testlib.h"

/* mstcpip.h values mingw-w64's headers lack */
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

struct opt_case {
    const char *name;
    int af, type, level, opt;
    int short_ok;         /* lengths 1 and 2 are taken */
    int got_len[3];       /* the length getsockopt answers after a set of 1, 2, 4 bytes */
    DWORD got_value[3];   /* the bytes read back (0: the set bytes over 0xdeadbeef) */
    int large_ok;         /* 0x100 is taken */
    int is_bool;
};

static const struct opt_case opt_cases[] = {
    {"SO_BROADCAST", AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST, 1, {1, 1, 4}, {0, 0xdead0001, 0}, 1, 1},
    {"SO_DONTLINGER", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_DONTLINGER, 1, {1, 1, 4}, {0, 0xdead0001, 0}, 1, 1},
    {"SO_LINGER", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, 0, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, 1, 0},
    {"SO_OOBINLINE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_OOBINLINE, 1, {1, 1, 4}, {0, 0xdead0001, 0}, 1, 1},
    {"SO_RCVBUF", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, 0, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, 1, 0},
    {"SO_KEEPALIVE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, 1, {1, 1, 1}, {0, 0, 0}, 1, 0},
    {"SO_DONTROUTE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_DONTROUTE, 1, {1, 1, 1}, {0, 0, 0}, 1, 0},
    {"SO_RCVTIMEO", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, 0, {1, 2, 4}, {0, 0, 0}, 1, 0},
    {"SO_REUSEADDR", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, 1, {1, 1, 4}, {0, 0xdead0001, 0}, 1, 1},
    {"SO_EXCLUSIVEADDRUSE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1, {1, 1, 4}, {0, 0xdead0001, 0}, 1, 1},
    {"SO_SNDBUF", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_SNDBUF, 0, {1, 2, 4}, {0xdeadbe00, 0xdead0000, 0}, 1, 0},
    {"SO_SNDTIMEO", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_SNDTIMEO, 0, {1, 2, 4}, {0, 0, 0}, 1, 0},
    {"SO_OPENTYPE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_OPENTYPE, 0, {1, 2, 4}, {0, 0, 0}, 1, 0},
    {"TCP_NODELAY", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 1, {1, 1, 1}, {0, 0, 0}, 1, 0},
    {"TCP_KEEPALIVE", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_KEEPALIVE, 0, {0, 0, 4}, {0, 0, 0}, 1, 0},
    {"TCP_KEEPCNT", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_KEEPCNT, 0, {0, 0, 4}, {0, 0, 0}, 0, 0},
    {"TCP_KEEPINTVL", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_KEEPINTVL, 0, {0, 0, 4}, {0, 0, 0}, 1, 0},
    {"IP_MULTICAST_LOOP", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_LOOP, 1, {1, 1, 4}, {0, 0, 0}, 1, 1},
    {"IP_MULTICAST_TTL", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_TTL, 1, {1, 1, 4}, {0, 0, 0}, 0, 0},
    {"IP_PKTINFO", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_PKTINFO, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IP_RECVTOS", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_RECVTOS, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IP_RECVTTL", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_RECVTTL, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IP_TOS", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TOS, 1, {1, 1, 4}, {0, 0, 0}, 0, 0},
    {"IP_TTL", AF_INET, SOCK_DGRAM, IPPROTO_IP, IP_TTL, 1, {1, 1, 4}, {0, 0, 0}, 0, 0},
    {"IPV6_DONTFRAG", AF_INET6, SOCK_STREAM, IPPROTO_IPV6, IPV6_DONTFRAG, 1, {1, 1, 4}, {0, 0, 0}, 1, 1},
    {"IPV6_HOPLIMIT", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_HOPLIMIT, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IPV6_MULTICAST_HOPS", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1, {1, 1, 4}, {0, 0, 0}, 0, 0},
    {"IPV6_MULTICAST_LOOP", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 1, {1, 1, 4}, {0, 0, 0}, 1, 1},
    {"IPV6_PKTINFO", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_PKTINFO, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IPV6_RECVTCLASS", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_RECVTCLASS, 0, {0, 0, 4}, {0, 0, 0}, 1, 1},
    {"IPV6_UNICAST_HOPS", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 1, {1, 1, 4}, {0, 0, 0}, 0, 0},
    {"IPV6_V6ONLY", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_V6ONLY, 1, {1, 1, 1}, {0, 0, 0}, 1, 0},
};

static int fails_with(int ret, int error)
{
    return ret == SOCKET_ERROR && WSAGetLastError() == error;
}

static void test_option(const struct opt_case *c)
{
    SOCKET s = socket(c->af, c->type, 0);
    DWORD saved = 0, value, expect;
    unsigned long long wide;
    int len, ret, i, full = c->got_len[2];

    printf("-- %s: lengths -1, 0, 1, 2, 4, 8 and the value 0x100\n", c->name);
    fflush(stdout);
    CHECK(s != INVALID_SOCKET);
    if (s == INVALID_SOCKET) return;
    len = sizeof(saved);
    ret = getsockopt(s, c->level, c->opt, (char *)&saved, &len);
    if (ret != 0 && WSAGetLastError() == WSAENOPROTOOPT) {
        WINE_DEVIATION("Wine 8.0 does not know TCP_KEEPALIVE, TCP_KEEPCNT, TCP_KEEPINTVL (WSAENOPROTOOPT)")
            CHECK_EQ(ret, 0);
        closesocket(s);
        return;
    }
    CHECK_EQ(ret, 0);

    /* 8 bytes are taken; get answers with the option's own length */
    wide = 0xffffffff00000001ull;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(setsockopt(s, c->level, c->opt, (char *)&wide, sizeof(wide)), 0);
    len = sizeof(wide);
    CHECK_EQ(getsockopt(s, c->level, c->opt, (char *)&wide, &len), 0);
    CHECK_EQ(len, full);

    /* -1: taken by a 4-byte SOL_SOCKET option, else WSAENOBUFS */
    value = 1;
    WSASetLastError(0xdeadbeef);
    ret = setsockopt(s, c->level, c->opt, (char *)&value, -1);
    if (full == 1 || c->level != SOL_SOCKET) CHECK(fails_with(ret, WSAENOBUFS));
    else CHECK_EQ(ret, 0);
    len = -1;
    value = 0xdeadbeef;
    ret = getsockopt(s, c->level, c->opt, (char *)&value, &len);
    if (c->opt == SO_OPENTYPE && c->level == SOL_SOCKET) {
        CHECK_EQ(ret, 0);
        CHECK_EQ(len, 4);
    } else {
        CHECK(fails_with(ret, WSAEFAULT));
        CHECK_EQ(len, -1);
    }

    /* 0: the SOL_SOCKET BOOLs take it */
    value = 1;
    WSASetLastError(0xdeadbeef);
    ret = setsockopt(s, c->level, c->opt, (char *)&value, 0);
    if (c->level == SOL_SOCKET && c->is_bool) CHECK_EQ(ret, 0);
    else CHECK(fails_with(ret, WSAEFAULT));
    len = 0;
    CHECK(fails_with(getsockopt(s, c->level, c->opt, (char *)&value, &len), WSAEFAULT));

    /* 0x100 */
    value = 0x100;
    WSASetLastError(0xdeadbeef);
    ret = setsockopt(s, c->level, c->opt, (char *)&value, 4);
    if (!c->large_ok) {
        CHECK(fails_with(ret, WSAEINVAL));
    } else {
        CHECK_EQ(ret, 0);
        value = 0xdeadbeef;
        len = 4;
        CHECK_EQ(getsockopt(s, c->level, c->opt, (char *)&value, &len), 0);
        CHECK_EQ(len, full);
        expect = full == 1 ? 0xdeadbe00 : c->is_bool ? 1 : 0x100;
        if (c->level == SOL_SOCKET && (c->opt == SO_DONTROUTE || c->opt == SO_LINGER)) {
            WINE_DEVIATION("Wine reads SO_DONTROUTE/SO_LINGER set to 0x100 back wrongly (todo_wine)")
                CHECK_EQ(value, expect);
        } else {
            CHECK_EQ(value, expect);
        }
    }

    /* 1, 2 and 4 bytes */
    for (i = 0; i < 3; i++) {
        int size = 1 << i, ok = c->short_ok || size == 4;
        value = 1;
        WSASetLastError(0xdeadbeef);
        ret = setsockopt(s, c->level, c->opt, (char *)&value, size);
        if (ok) CHECK_EQ(ret, 0);
        else CHECK(fails_with(ret, WSAEFAULT));
        value = 0xdeadbeef;
        len = size;
        WSASetLastError(0xdeadbeef);
        ret = getsockopt(s, c->level, c->opt, (char *)&value, &len);
        if (ok) CHECK_EQ(ret, 0);
        else CHECK(fails_with(ret, WSAEFAULT));
        expect = c->got_value[i];
        if (!expect) {
            DWORD one = 1;
            expect = 0xdeadbeef;
            if (ok) memcpy(&expect, &one, c->got_len[i]);
        }
        CHECK_EQ(value, expect);
        CHECK_EQ(len, c->got_len[i]);
    }
    CHECK_EQ(setsockopt(s, c->level, c->opt, (char *)&saved, sizeof(saved)), 0);
    closesocket(s);
}

static void tcp_pair(SOCKET *client, SOCKET *server)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(l, (SOCKADDR *)&a, sizeof(a)), 0);
    CHECK_EQ(getsockname(l, (SOCKADDR *)&a, &len), 0);
    CHECK_EQ(listen(l, 1), 0);
    *client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK_EQ(connect(*client, (SOCKADDR *)&a, sizeof(a)), 0);
    *server = accept(l, NULL, NULL);
    CHECK(*server != INVALID_SOCKET);
    closesocket(l);
}

/* Waits (bounded) until WSAPoll reports one of the events asked for. */
static int poll_for(SOCKET s, SHORT events)
{
    WSAPOLLFD fd;
    fd.fd = s;
    fd.events = events;
    fd.revents = 0;
    return WSAPoll(&fd, 1, 2000) == 1 ? fd.revents : 0;
}

static void read_counts(SOCKET s, u_long *normal, u_long *at_mark)
{
    DWORD bytes = 0;
    *normal = 0xdeadbeef;
    *at_mark = 0xdeadbeef;
    CHECK_EQ(WSAIoctl(s, FIONREAD, NULL, 0, normal, sizeof(*normal), &bytes, NULL, NULL), 0);
    CHECK_EQ(WSAIoctl(s, SIOCATMARK, NULL, 0, at_mark, sizeof(*at_mark), &bytes, NULL, NULL), 0);
}

static void test_fionread_siocatmark(void)
{
    SOCKET c, s;
    u_long normal, mark;
    DWORD bytes;
    int value;
    char buf[8];

    TEST("FIONREAD/SIOCATMARK: the value itself as the pointer, a NULL byte count or a "
         "3-byte buffer: WSAEFAULT, the count untouched");
    tcp_pair(&c, &s);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(ioctlsocket(c, FIONREAD, (u_long *)1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(ioctlsocket(c, SIOCATMARK, (u_long *)1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(c, FIONREAD, NULL, 0, &value, sizeof(value), NULL, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(c, FIONREAD, NULL, 0, &value, sizeof(value) - 1, &bytes, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(bytes, 0xdeadbeef);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(c, SIOCATMARK, NULL, 0, &value, sizeof(value), NULL, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(c, SIOCATMARK, NULL, 0, &value, sizeof(value) - 1, &bytes, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(bytes, 0xdeadbeef);

    TEST("FIONREAD/SIOCATMARK: nothing queued: 0 and TRUE; 5 bytes: 5 and TRUE");
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 0);
    CHECK_EQ(mark, TRUE);
    CHECK_EQ(send(s, "data", 5, 0), 5);
    CHECK(poll_for(c, POLLRDNORM) & POLLRDNORM);
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 5);
    CHECK_EQ(mark, TRUE);

    TEST("an urgent byte waiting: FIONREAD leaves it out, SIOCATMARK is FALSE");
    CHECK_EQ(send(s, "a", 1, MSG_OOB), 1);
    CHECK(poll_for(c, POLLRDBAND) & POLLRDBAND);
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 5);
    WINE_DEVIATION("Wine's SIOCATMARK ignores urgent data (todo_wine)")
        CHECK_EQ(mark, FALSE);

    TEST("the urgent byte read with MSG_OOB: SIOCATMARK TRUE again, the normal data whole");
    CHECK_EQ(recv(c, buf, 1, MSG_OOB), 1);
    CHECK_EQ(buf[0], 'a');
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 5);
    CHECK_EQ(mark, TRUE);
    CHECK_EQ(recv(c, buf, sizeof(buf), 0), 5);
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 0);

    TEST("SO_OOBINLINE: the urgent byte is counted by FIONREAD and read by a plain recv");
    CHECK_EQ(send(s, "b", 1, MSG_OOB), 1);
    CHECK(poll_for(c, POLLRDBAND) & POLLRDBAND);
    value = 1;
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&value, sizeof(value)), 0);
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 1);
    WINE_DEVIATION("Wine's SIOCATMARK ignores urgent data (todo_wine)")
        CHECK_EQ(mark, FALSE);
    CHECK_EQ(recv(c, buf, sizeof(buf), 0), 1);
    CHECK_EQ(buf[0], 'b');
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 0);
    CHECK_EQ(mark, TRUE);

    TEST("SO_OOBINLINE set first: an urgent byte arrives as normal data, SIOCATMARK TRUE");
    CHECK_EQ(send(s, "c", 1, MSG_OOB), 1);
    CHECK(poll_for(c, POLLRDNORM) & POLLRDNORM);
    read_counts(c, &normal, &mark);
    CHECK_EQ(normal, 1);
    CHECK_EQ(mark, TRUE);
    closesocket(c);
    closesocket(s);

    TEST("FIONREAD/SIOCATMARK on a fresh and on a bound stream socket: 0 and TRUE");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    read_counts(s, &normal, &mark);
    CHECK_EQ(normal, 0);
    CHECK_EQ(mark, TRUE);
    {
        SOCKADDR_IN a;
        memset(&a, 0, sizeof(a));
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        CHECK_EQ(bind(s, (SOCKADDR *)&a, sizeof(a)), 0);
    }
    read_counts(s, &normal, &mark);
    CHECK_EQ(normal, 0);
    CHECK_EQ(mark, TRUE);
    closesocket(s);
}

/* Waits up to ms for the event, then reads and clears the record: the events recorded. */
static long events_after(SOCKET s, HANDLE ev, DWORD ms, int *close_error)
{
    WSANETWORKEVENTS ne;
    WaitForSingleObject(ev, ms);
    memset(&ne, 0, sizeof(ne));
    if (WSAEnumNetworkEvents(s, ev, &ne) != 0) return -1;
    if (close_error) *close_error = ne.iErrorCode[FD_CLOSE_BIT];
    return ne.lNetworkEvents;
}

#define ALL_EVENTS (FD_ACCEPT | FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE | FD_OOB)

static SOCKET listening(SOCKADDR_IN *where)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*where);
    memset(where, 0, sizeof(*where));
    where->sin_family = AF_INET;
    where->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(l, (SOCKADDR *)where, sizeof(*where)), 0);
    CHECK_EQ(getsockname(l, (SOCKADDR *)where, &len), 0);
    CHECK_EQ(listen(l, 4), 0);
    return l;
}

static void test_event_ordering(void)
{
    HANDLE ev = WSACreateEvent();
    SOCKADDR_IN where;
    SOCKET l, c, s;
    char buf[16];
    int i, error = -1;

    TEST("FD_ACCEPT: selected first without it, a connection, then with it: recorded");
    l = listening(&where);
    CHECK_EQ(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    CHECK_EQ(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB | FD_ACCEPT), 0);
    CHECK_EQ(events_after(l, ev, 1000, NULL), FD_ACCEPT);
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    closesocket(s);
    closesocket(c);

    TEST("FD_ACCEPT: the connection accepted before FD_ACCEPT is selected: nothing");
    CHECK_EQ(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    Sleep(100);
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(WSAEventSelect(l, ev, FD_CONNECT | FD_READ | FD_OOB | FD_ACCEPT), 0);
    CHECK_EQ(events_after(l, ev, 200, NULL), 0);
    closesocket(s);
    closesocket(c);
    WSAEventSelect(l, NULL, 0);

    TEST("FD_CONNECT: connected before WSAEventSelect: FD_CONNECT and FD_WRITE at once");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    s = accept(l, NULL, NULL);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    CHECK_EQ(WSAEventSelect(c, ev, ALL_EVENTS), 0);
    CHECK_EQ(events_after(c, ev, 1000, NULL), FD_CONNECT | FD_WRITE);
    CHECK_EQ(events_after(c, ev, 0, NULL), 0);
    closesocket(c);
    closesocket(s);

    TEST("FD_CONNECT: selected first without it: FD_WRITE; selected again with it: FD_CONNECT");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(WSAEventSelect(c, ev, FD_ACCEPT | FD_CLOSE | FD_OOB | FD_READ | FD_WRITE), 0);
    i = connect(c, (SOCKADDR *)&where, sizeof(where));
    CHECK(i == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(events_after(c, ev, 1000, NULL), FD_WRITE);
    CHECK_EQ(WSAEventSelect(c, ev, FD_ACCEPT | FD_CONNECT | FD_OOB | FD_READ | FD_WRITE), 0);
    CHECK_EQ(events_after(c, ev, 1000, NULL), FD_CONNECT);
    closesocket(c);
    closesocket(s);

    TEST("FD_READ: data sent while nothing is selected is recorded when FD_READ is selected");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    s = accept(l, NULL, NULL);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 200, NULL), 0);
    CHECK_EQ(WSAEventSelect(s, ev, 0), 0);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    Sleep(100);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 1000, NULL), FD_READ);
    CHECK_EQ(recv(s, buf, 5, 0), 5);

    TEST("FD_READ: data read whole while nothing is selected: nothing recorded");
    CHECK_EQ(WSAEventSelect(s, ev, 0), 0);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    Sleep(100);
    {
        u_long off = 0;
        CHECK_EQ(ioctlsocket(s, FIONBIO, &off), 0);
    }
    CHECK_EQ(recv(s, buf, 5, 0), 5);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 200, NULL), 0);

    TEST("FD_READ: an overlapped WSARecv done at once that leaves data re-records FD_READ");
    CHECK_EQ(send(c, "abcd", 4, 0), 4);
    CHECK_EQ(events_after(s, ev, 1000, NULL), FD_READ);
    for (i = 0; i < 4; i++) {
        OVERLAPPED ov;
        WSABUF wb;
        DWORD got = 0, flags = 0;
        int ret;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        wb.buf = buf;
        wb.len = 1;
        ret = WSARecv(s, &wb, 1, &got, &flags, &ov, NULL);
        if (ret != 0 && WSAGetLastError() == WSA_IO_PENDING) {
            CHECK_EQ(WaitForSingleObject(ov.hEvent, 1000), WAIT_OBJECT_0);
            CHECK(WSAGetOverlappedResult(s, &ov, &got, FALSE, &flags));
        }
        CHECK_EQ(got, 1);
        CHECK_EQ(buf[0], "abcd"[i]);
        CloseHandle(ov.hEvent);
        CHECK_EQ(events_after(s, ev, i < 3 ? 1000 : 200, NULL), i < 3 ? FD_READ : 0);
    }

    TEST("FD_READ: data that completes a pending WSARecv records nothing; the next data does");
    {
        OVERLAPPED ov;
        WSABUF wb;
        DWORD got = 0, flags = 0;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        wb.buf = buf;
        wb.len = 1;
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(c, "a", 1, 0), 1);
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 1000), WAIT_OBJECT_0);
        CHECK(GetOverlappedResult((HANDLE)s, &ov, &got, FALSE));
        CHECK_EQ(got, 1);
        CHECK_EQ(events_after(s, ev, 200, NULL), 0);
        CHECK_EQ(send(c, "b", 1, 0), 1);
        CHECK_EQ(events_after(s, ev, 1000, NULL), FD_READ);
        CHECK_EQ(recv(s, buf, 1, 0), 1);
        CloseHandle(ov.hEvent);
    }

    TEST("FD_WRITE: a send between WSAEventSelect and the wait does not take it away");
    CHECK_EQ(WSAEventSelect(c, ev, FD_ACCEPT | FD_CONNECT | FD_OOB | FD_READ | FD_WRITE), 0);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    CHECK_EQ(events_after(c, ev, 1000, NULL) & FD_WRITE, FD_WRITE);
    CHECK_EQ(WSAEventSelect(c, NULL, 0), 0);

    TEST("FD_CLOSE: data then the peer's close: FD_READ, FD_CLOSE; a part read re-records "
         "FD_READ, the rest nothing");
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 200, NULL) & ~FD_READ, 0);
    while (recv(s, buf, sizeof(buf), 0) > 0) {}
    events_after(s, ev, 100, NULL);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    CHECK_EQ(events_after(s, ev, 1000, NULL), FD_READ);
    closesocket(c);
    WINE_DEVIATION("Wine does not record FD_CLOSE while data is unread (todo_wine)")
        CHECK_EQ(events_after(s, ev, 1000, NULL), FD_CLOSE);
    CHECK_EQ(recv(s, buf, 3, 0), 3);
    CHECK_EQ(events_after(s, ev, 1000, NULL), FD_READ);
    CHECK_EQ(recv(s, buf, 5, 0), 2);
    WINE_DEVIATION("Wine records FD_CLOSE again after the last data is read (todo_wine)")
        CHECK_EQ(events_after(s, ev, 200, NULL), 0);
    closesocket(s);

    TEST("FD_CLOSE: the peer closed before WSAEventSelect: recorded at once");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    s = accept(l, NULL, NULL);
    closesocket(c);
    Sleep(100);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 1000, &error), FD_CLOSE);
    CHECK_EQ(error, 0);
    closesocket(s);

    TEST("FD_CLOSE: selected first without it, the peer closes, selected with it: recorded");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    s = accept(l, NULL, NULL);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CONNECT | FD_OOB | FD_READ), 0);
    closesocket(c);
    CHECK_EQ(events_after(s, ev, 200, NULL), 0);
    CHECK_EQ(WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(events_after(s, ev, 1000, NULL), FD_CLOSE);
    closesocket(s);

    closesocket(l);
    WSACloseEvent(ev);
}

static volatile LONG apc_runs;
static void CALLBACK count_apc(ULONG_PTR arg)
{
    (void)arg;
    InterlockedIncrement(&apc_runs);
}

struct later {
    SOCKADDR_IN where;  /* connect here, or */
    SOCKET sender;      /* send one byte on this */
    SOCKET made;
};

static DWORD WINAPI connect_later(void *arg)
{
    struct later *l = arg;
    Sleep(200);
    l->made = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    connect(l->made, (SOCKADDR *)&l->where, sizeof(l->where));
    return 0;
}

static DWORD WINAPI send_later(void *arg)
{
    struct later *l = arg;
    Sleep(200);
    send(l->sender, "x", 1, 0);
    return 0;
}

/* An APC that sends: the receive it interrupted then gets data. */
static SOCKET apc_sender;
static void CALLBACK sending_apc(ULONG_PTR arg)
{
    (void)arg;
    InterlockedIncrement(&apc_runs);
    send(apc_sender, "test", 4, 0);
}

struct blocked_recv {
    SOCKET s;
    int got;
    DWORD error;
};

static DWORD WINAPI recv_blocking(void *arg)
{
    struct blocked_recv *b = arg;
    char buf[16];
    WSABUF wb;
    DWORD bytes = 0, flags = 0;
    wb.buf = buf;
    wb.len = sizeof(buf);
    WSASetLastError(0);
    b->got = WSARecv(b->s, &wb, 1, &bytes, &flags, NULL, NULL) == 0 ? (int)bytes : -1;
    b->error = WSAGetLastError();
    return 0;
}

static void test_alertable_waits(void)
{
    SOCKADDR_IN where;
    SOCKET l = listening(&where), c, s;
    struct later later;
    HANDLE thread;
    char buf[8];
    WSABUF wb;
    DWORD bytes, flags;

    TEST("blocking accept() waits alertably: an APC queued before it runs, accept succeeds");
    memset(&later, 0, sizeof(later));
    later.where = where;
    thread = CreateThread(NULL, 0, connect_later, &later, 0, NULL);
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    WINE_DEVIATION("Wine 8.0's accept() does not wait alertably (sock.c test_accept, no todo_wine today)")
        CHECK_EQ(apc_runs, 1);
    SleepEx(0, TRUE);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    c = later.made;

    TEST("a blocking WSARecv that completes at once runs no APC");
    CHECK_EQ(send(c, "ab", 2, 0), 2);
    CHECK(poll_for(s, POLLRDNORM) & POLLRDNORM);
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    wb.buf = buf;
    wb.len = 1;
    flags = 0;
    bytes = 0;
    CHECK_EQ(WSARecv(s, &wb, 1, &bytes, &flags, NULL, NULL), 0);
    CHECK_EQ(bytes, 1);
    CHECK_EQ(apc_runs, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(apc_runs, 1);
    CHECK_EQ(recv(s, buf, 1, 0), 1);

    TEST("a blocked WSARecv runs an APC another thread queues to it, and waits on for data");
    {
        struct blocked_recv b;
        b.s = s;
        b.got = -2;
        b.error = 0;
        apc_runs = 0;
        apc_sender = c;
        thread = CreateThread(NULL, 0, recv_blocking, &b, 0, NULL);
        Sleep(200);
        CHECK(QueueUserAPC(sending_apc, thread, 0));
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CloseHandle(thread);
        CHECK_EQ(apc_runs, 1);
        CHECK_EQ(b.got, 4);
        CHECK_EQ(b.error, 0);
    }

    TEST("blocking recv() waits alertably too");
    later.sender = c;
    thread = CreateThread(NULL, 0, send_later, &later, 0, NULL);
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), 1);
    CHECK_EQ(apc_runs, 1);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);

    TEST("WSAPoll waits alertably: the APC runs, the data is still reported");
    thread = CreateThread(NULL, 0, send_later, &later, 0, NULL);
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    {
        WSAPOLLFD fd;
        fd.fd = s;
        fd.events = POLLRDNORM;
        fd.revents = 0;
        CHECK_EQ(WSAPoll(&fd, 1, 5000), 1);
        CHECK_EQ(fd.revents, POLLRDNORM);
    }
    WINE_DEVIATION("Wine 8.0's WSAPoll does not wait alertably (sock.c test_WSAPoll, no todo_wine today)")
        CHECK_EQ(apc_runs, 1);
    SleepEx(0, TRUE);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), 1);

    TEST("select waits alertably: the APC runs, the socket is still reported readable");
    thread = CreateThread(NULL, 0, send_later, &later, 0, NULL);
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    {
        fd_set set;
        struct timeval tv = {5, 0};
        FD_ZERO(&set);
        FD_SET(s, &set);
        CHECK_EQ(select(0, &set, NULL, NULL, &tv), 1);
        CHECK(FD_ISSET(s, &set));
    }
    CHECK_EQ(apc_runs, 1);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), 1);

    TEST("SO_RCVTIMEO still bounds a receive whose wait ran an APC");
    {
        DWORD timeout = 300, t0;
        CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), 0);
        apc_runs = 0;
        CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
        t0 = GetTickCount();
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAETIMEDOUT);
        CHECK(GetTickCount() - t0 < 3000);
        CHECK_EQ(apc_runs, 1);
    }
    closesocket(c);
    closesocket(s);
    closesocket(l);
}

static DWORD routine_error, routine_bytes;
static OVERLAPPED *routine_overlapped;
static LONG routine_runs;
static void CALLBACK ioctl_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_overlapped = ov;
    InterlockedIncrement(&routine_runs);
}

static void test_ioctl_routines(void)
{
    static const DWORD answered[] = {FIONREAD, SIOCATMARK};
    OVERLAPPED ov;
    SOCKET s;
    DWORD size, i;
    u_long value, one = 1;
    struct tcp_keepalive ka;

    for (i = 0; i < 2; i++) {
        TEST(i == 0 ? "WSAIoctl(FIONREAD) with a completion routine: done at once, 4 bytes; the routine "
                      "runs once at the next alertable wait, error 0, 0 bytes"
                    : "WSAIoctl(SIOCATMARK) with a completion routine: the same");
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        memset(&ov, 0, sizeof(ov));
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, answered[i], NULL, 0, &value, sizeof(value), NULL, &ov, ioctl_routine), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        routine_runs = 0;
        routine_error = routine_bytes = 0xdeadbeef;
        routine_overlapped = NULL;
        size = 0xdeadbeef;
        CHECK_EQ(WSAIoctl(s, answered[i], NULL, 0, &value, sizeof(value), &size, &ov, ioctl_routine), 0);
        CHECK_EQ(size, sizeof(value));
        CHECK_EQ(routine_runs, 0);
        CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
        CHECK_EQ(routine_runs, 1);
        CHECK_EQ(routine_error, 0);
        CHECK_EQ(routine_bytes, 0);
        CHECK(routine_overlapped == &ov);
        closesocket(s);
    }

    TEST("WSAIoctl(FIONBIO) with a completion routine: 0 bytes, the routine runs once");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    routine_runs = 0;
    routine_error = routine_bytes = 0xdeadbeef;
    size = 0xdeadbeef;
    CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, &size, &ov, ioctl_routine), 0);
    CHECK_EQ(size, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    CHECK_EQ(routine_error, 0);
    CHECK_EQ(routine_bytes, 0);

    TEST("WSAIoctl(FIONBIO): a longer input and an unreadable output buffer are fine; 3 bytes of "
         "input with an OVERLAPPED: WSAEFAULT");
    CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one) + 1, NULL, 0, &size, NULL, NULL), 0);
    {
        void *output = VirtualAlloc(NULL, 4, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
        CHECK(output != NULL);
        CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one) + 1, output, 4, &size, NULL, NULL), 0);
        VirtualFree(output, 0, MEM_RELEASE);
    }
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one) - 1, NULL, 0, &size, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);

    TEST("an unknown code with a completion routine: ERROR_IO_PENDING, the routine gets WSAEOPNOTSUPP");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    routine_runs = 0;
    routine_error = routine_bytes = 0xdeadbeef;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, ioctl_routine), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(size, 0xdeadbeef);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    CHECK_EQ(routine_error, WSAEOPNOTSUPP);
    CHECK_EQ(routine_bytes, 0);
    CHECK(routine_overlapped == &ov);
    closesocket(s);

    TEST("SIO_KEEPALIVE_VALS: no input, or a 0-byte one: WSAEFAULT and the byte count set to 0");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ka, 0, sizeof(ka));
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, 0, NULL, 0, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(size, 0);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_KEEPALIVE_VALS, NULL, sizeof(ka), NULL, 0, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(size, 0);

    TEST("SIO_KEEPALIVE_VALS with an OVERLAPPED and a short input: WSAEFAULT, count and "
         "InternalHigh untouched");
    memset(&ov, 0, sizeof(ov));
    ov.InternalHigh = 0xdeadbeef;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka) - 1, NULL, 0, &size, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(size, 0xdeadbeef);
    CHECK_EQ(ov.InternalHigh, 0xdeadbeef);

    TEST("SIO_KEEPALIVE_VALS with a completion routine: 0 bytes; the routine runs once, error 0");
    memset(&ov, 0, sizeof(ov));
    routine_runs = 0;
    routine_error = routine_bytes = 0xdeadbeef;
    size = 0xdeadbeef;
    ka.onoff = 1;
    ka.keepalivetime = 10000;
    ka.keepaliveinterval = 1000;
    CHECK_EQ(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, &ov, ioctl_routine), 0);
    CHECK_EQ(size, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    CHECK_EQ(routine_error, 0);
    CHECK_EQ(routine_bytes, 0);
    closesocket(s);
}

static void test_base_handle_overlapped(void)
{
    OVERLAPPED ov, *got_ov;
    SOCKET s, base;
    HANDLE port;
    DWORD size;
    ULONG_PTR key;

    TEST("SIO_BASE_HANDLE without an OVERLAPPED: the socket itself, 8 bytes");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    CHECK(port != NULL);
    size = 0xdeadbeef;
    base = (SOCKET)0xdeadbeef;
    CHECK_EQ(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, NULL, NULL), 0);
    CHECK_EQ(size, sizeof(base));
    CHECK_EQ(base, s);

    TEST("SIO_BASE_HANDLE with an OVERLAPPED: pending, then STATUS_NOT_SUPPORTED through the "
         "port; count and output untouched");
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    size = 0xdeadbeef;
    base = (SOCKET)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(size, 0xdeadbeef);
    got_ov = NULL;
    key = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &size, &key, &got_ov, 1000));
    CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
    CHECK_EQ(size, 0);
    CHECK_EQ(key, 123);
    CHECK(got_ov == &ov);
    CHECK_EQ(ov.Internal, 0xC00000BB); /* STATUS_NOT_SUPPORTED */
    CHECK_EQ(ov.InternalHigh, 0);
    CHECK_EQ(base, (SOCKET)0xdeadbeef);
    CloseHandle(port);
    closesocket(s);

    TEST("SIO_BASE_HANDLE with a completion routine: pending; the routine gets WSAEOPNOTSUPP");
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&ov, 0, sizeof(ov));
    routine_runs = 0;
    routine_error = routine_bytes = 0xdeadbeef;
    size = 0xdeadbeef;
    base = (SOCKET)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, &ov, ioctl_routine), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(size, 0xdeadbeef);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    CHECK_EQ(routine_error, WSAEOPNOTSUPP);
    CHECK_EQ(routine_bytes, 0);
    CHECK_EQ(base, (SOCKET)0xdeadbeef);
    closesocket(s);
}

static void test_port_bound_after_request(void)
{
    GUID acceptex_guid = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX pAcceptEx = NULL;
    SOCKADDR_IN where;
    SOCKET l, a;
    OVERLAPPED ov, *got_ov;
    HANDLE port;
    DWORD bytes;
    ULONG_PTR key;
    char buf[256];

    TEST("AcceptEx pending, then the listener bound to a port, then closed: the port gets "
         "ERROR_OPERATION_ABORTED with the key, 0 bytes, Internal STATUS_CANCELLED");
    l = listening(&where);
    a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex_guid, sizeof(acceptex_guid), &pAcceptEx,
                      sizeof(pAcceptEx), &bytes, NULL, NULL), 0);
    memset(&ov, 0, sizeof(ov));
    SetLastError(0xdeadbeef);
    CHECK(!pAcceptEx(l, a, buf, 0, sizeof(SOCKADDR_IN) + 16, sizeof(SOCKADDR_IN) + 16, &bytes, &ov));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    port = CreateIoCompletionPort((HANDLE)l, NULL, 125, 0);
    CHECK(port != NULL);
    closesocket(l);
    got_ov = NULL;
    key = 0;
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 1000));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    CHECK_EQ(key, 125);
    CHECK_EQ(bytes, 0);
    CHECK(got_ov == &ov);
    CHECK_EQ(ov.Internal, 0xC0000120); /* STATUS_CANCELLED */
    closesocket(a);
    CloseHandle(port);

    TEST("WSARecv pending, then the socket bound to a port: the data's completion goes to the port");
    {
        SOCKET c, s;
        WSABUF wb;
        DWORD flags = 0;
        tcp_pair(&c, &s);
        memset(&ov, 0, sizeof(ov));
        wb.buf = buf;
        wb.len = sizeof(buf);
        CHECK_EQ(WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
        CHECK(port != NULL);
        CHECK_EQ(send(c, "late", 4, 0), 4);
        got_ov = NULL;
        key = 0;
        bytes = 0;
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 2000));
        CHECK_EQ(key, 77);
        CHECK_EQ(bytes, 4);
        CHECK(got_ov == &ov);
        CloseHandle(port);
        closesocket(c);
        closesocket(s);
    }
}

static SHORT poll_now(SOCKET s, SHORT events)
{
    WSAPOLLFD fd;
    fd.fd = s;
    fd.events = events;
    fd.revents = (SHORT)0xdead;
    return WSAPoll(&fd, 1, 1000) >= 0 ? fd.revents : (SHORT)-1;
}

#define ALL_POLL (POLLRDNORM | POLLRDBAND | POLLWRNORM)

static void test_poll_shutdowns(void)
{
    SOCKET c, s;
    char buf[8];
    int one = 1;

    TEST("WSAPoll: an inline urgent byte read: POLLWRNORM only again");
    tcp_pair(&c, &s);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, (char *)&one, sizeof(one)), 0);
    CHECK_EQ(send(c, "A", 1, MSG_OOB), 1);
    CHECK_EQ(poll_now(s, POLLRDNORM | POLLRDBAND), POLLRDNORM);
    CHECK_EQ(recv(s, buf, 1, 0), 1);
    CHECK_EQ(poll_now(s, ALL_POLL), POLLWRNORM);

    TEST("WSAPoll: the peer's shutdown(SD_RECEIVE): nothing new; its SD_SEND: POLLHUP, even unasked");
    CHECK_EQ(shutdown(c, SD_RECEIVE), 0);
    CHECK_EQ(poll_now(c, ALL_POLL), POLLWRNORM);
    CHECK_EQ(poll_now(s, ALL_POLL), POLLWRNORM);
    CHECK_EQ(shutdown(c, SD_SEND), 0);
    CHECK_EQ(poll_now(c, ALL_POLL), POLLWRNORM);
    CHECK_EQ(poll_now(s, 0), POLLHUP);
    CHECK_EQ(poll_now(s, ALL_POLL), POLLWRNORM | POLLHUP);
    closesocket(c);
    closesocket(s);

    TEST("WSAPoll: the peer's shutdown(SD_SEND) with data unread: POLLRDNORM and POLLHUP");
    tcp_pair(&c, &s);
    CHECK_EQ(send(c, "data", 5, 0), 5);
    CHECK_EQ(poll_now(s, POLLRDNORM | POLLRDBAND), POLLRDNORM);
    CHECK_EQ(shutdown(c, SD_SEND), 0);
    CHECK_EQ(poll_now(c, ALL_POLL), POLLWRNORM);
    WINE_DEVIATION("Wine 8.0 leaves POLLHUP out while data is unread (sock.c test_WSAPoll, check_poll_todo)")
    {
        CHECK_EQ(poll_now(s, 0), POLLHUP);
        CHECK_EQ(poll_now(s, ALL_POLL), POLLWRNORM | POLLRDNORM | POLLHUP);
    }
    closesocket(c);
    closesocket(s);
}

static void test_sendmsg_edges(void)
{
    GUID sendmsg_guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG pWSASendMsg = NULL;
    SOCKADDR_IN to, me;
    WSABUF wb;
    WSAMSG msg;
    DWORD bytes;
    SOCKET s;
    int len;
    char text[12] = "hello world";

    s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(sendmsg_guid), &pWSASendMsg,
                      sizeof(pWSASendMsg), &bytes, NULL, NULL), 0);
    closesocket(s);
    if (pWSASendMsg == NULL) return;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons(139);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    wb.buf = text;
    wb.len = sizeof(text);
    memset(&msg, 0, sizeof(msg));
    msg.name = (SOCKADDR *)&to;
    msg.namelen = sizeof(to);
    msg.lpBuffers = &wb;
    msg.dwBufferCount = 1;

    TEST("WSASendMsg with a NULL byte count on an unbound UDP socket: fails, and binds the socket");
    s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(pWSASendMsg(s, &msg, 0, NULL, NULL, NULL), SOCKET_ERROR);
    len = sizeof(me);
    WINE_DEVIATION("Wine 8.0 leaves the socket unbound (sock.c test_WSASendMsg, todo_wine)")
    {
        CHECK_EQ(getsockname(s, (SOCKADDR *)&me, &len), 0);
        CHECK_EQ(me.sin_addr.s_addr, htonl(INADDR_ANY));
        CHECK(me.sin_port != 0);
    }
    closesocket(s);

    TEST("WSASendMsg with no message: WSAEFAULT, the socket left unbound");
    s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_EQ(pWSASendMsg(s, NULL, 0, NULL, NULL, NULL), SOCKET_ERROR);
    len = sizeof(me);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockname(s, (SOCKADDR *)&me, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(s);

    TEST("WSASendMsg on a stream socket: WSAEINVAL");
    s = socket(AF_INET, SOCK_STREAM, 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL), SOCKET_ERROR);
    WINE_DEVIATION("Wine 8.0 answers another error (sock.c test_WSASendMsg, todo_wine)")
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(s);
}

static void test_acceptex_no_local_area(void)
{
    GUID acceptex_guid = WSAID_ACCEPTEX, sockaddrs_guid = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_ACCEPTEX pAcceptEx = NULL;
    LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs = NULL;
    SOCKADDR_IN where, peer, *local, *remote;
    SOCKET l, a, c;
    OVERLAPPED ov;
    DWORD bytes;
    int local_size, remote_size, len;
    char buf[256];

    TEST("AcceptEx with a local address length of 0: pends, then succeeds with 0 bytes");
    l = listening(&where);
    a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex_guid, sizeof(acceptex_guid), &pAcceptEx,
                      sizeof(pAcceptEx), &bytes, NULL, NULL), 0);
    CHECK_EQ(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &sockaddrs_guid, sizeof(sockaddrs_guid),
                      &pGetAcceptExSockaddrs, sizeof(pGetAcceptExSockaddrs), &bytes, NULL, NULL), 0);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(buf, 0, sizeof(buf));
    SetLastError(0xdeadbeef);
    CHECK(!pAcceptEx(l, a, buf, 0, 0, sizeof(SOCKADDR_IN) + 16, &bytes, &ov));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&where, sizeof(where)), 0);
    len = sizeof(peer);
    CHECK_EQ(getsockname(c, (SOCKADDR *)&peer, &len), 0);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 2000), WAIT_OBJECT_0);
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)l, &ov, &bytes, FALSE));
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(bytes, 0);

    TEST("GetAcceptExSockaddrs with no local area: the remote address is the client's");
    local = remote = (SOCKADDR_IN *)(ULONG_PTR)0xdeadbeef;
    local_size = remote_size = 0x7eadbeef;
    pGetAcceptExSockaddrs(buf, 0, 0, sizeof(SOCKADDR_IN) + 16, (SOCKADDR **)&local, &local_size,
                          (SOCKADDR **)&remote, &remote_size);
    CHECK(remote != (SOCKADDR_IN *)(ULONG_PTR)0xdeadbeef);
    if (remote != (SOCKADDR_IN *)(ULONG_PTR)0xdeadbeef) CHECK(memcmp(remote, &peer, sizeof(peer)) == 0);
    CHECK_EQ(remote_size, sizeof(SOCKADDR_IN));
    WINE_DEVIATION("Wine 8.0 writes the local address and size (sock.c test_AcceptEx, todo_wine)")
    {
        CHECK(local == (SOCKADDR_IN *)(ULONG_PTR)0xdeadbeef);
        CHECK_EQ(local_size, 0x7eadbeef);
    }
    CloseHandle(ov.hEvent);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

/* Wine's sock.c test_connecting_socket (the connect() half): while a non-blocking
 * connect() is under way, getpeername names the destination, getsockname the local
 * address, recv and send fail with WSAENOTCONN, and connect() again answers
 * WSAEALREADY. A connect is kept under way here by a listener whose backlog is full
 * (Linux then drops the SYNs, so the connect stays in SYN_SENT). */
static void test_connecting_socket(void)
{
    SOCKADDR_IN any, target, name;
    SOCKET listener, clients[8], pending = INVALID_SOCKET;
    int i, count = 0, length, ret, err;
    char buffer[4];

    TEST("a connect() under way: getpeername names the destination, getsockname the local address");
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(bind(listener, (SOCKADDR *)&any, sizeof(any)), 0);
    length = sizeof(target);
    CHECK_EQ(getsockname(listener, (SOCKADDR *)&target, &length), 0);
    CHECK_EQ(listen(listener, 0), 0);
    for (i = 0; i < 8 && pending == INVALID_SOCKET; i++) {
        u_long one = 1;
        WSAPOLLFD entry;
        clients[count] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ioctlsocket(clients[count], FIONBIO, &one);
        ret = connect(clients[count], (SOCKADDR *)&target, sizeof(target));
        CHECK(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
        entry.fd = clients[count];
        entry.events = POLLWRNORM;
        entry.revents = 0;
        if (WSAPoll(&entry, 1, 300) == 0) pending = clients[count];
        count++;
    }
    CHECK(pending != INVALID_SOCKET);
    if (pending != INVALID_SOCKET) {
        memset(&name, 0xcc, sizeof(name));
        length = sizeof(name);
        WSASetLastError(0xdeadbeef);
        ret = getpeername(pending, (SOCKADDR *)&name, &length);
        err = WSAGetLastError();
        WINE_DEVIATION("Wine 8.0's getpeername fails with WSAENOTCONN while connect() is under way")
        {
            CHECK_EQ(ret, 0);
            CHECK_EQ(length, sizeof(name));
            CHECK_EQ(name.sin_family, AF_INET);
            CHECK_EQ(name.sin_port, target.sin_port);
            CHECK_EQ(name.sin_addr.s_addr, target.sin_addr.s_addr);
        }
        (void)err;
        length = sizeof(name);
        CHECK_EQ(getsockname(pending, (SOCKADDR *)&name, &length), 0);
        CHECK_EQ(name.sin_family, AF_INET);
        CHECK(name.sin_port != 0);

        TEST("... recv and send fail with WSAENOTCONN; connect() again with WSAEALREADY");
        WSASetLastError(0xdeadbeef);
        ret = recv(pending, buffer, sizeof(buffer), 0);
        err = WSAGetLastError();
        CHECK_EQ(ret, SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 answers WSAEWOULDBLOCK (todo_wine in test_connecting_socket)")
            CHECK_EQ(err, WSAENOTCONN);
        WSASetLastError(0xdeadbeef);
        ret = send(pending, "data", 5, 0);
        err = WSAGetLastError();
        CHECK_EQ(ret, SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 answers WSAEWOULDBLOCK (todo_wine in test_connecting_socket)")
            CHECK_EQ(err, WSAENOTCONN);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(pending, (SOCKADDR *)&target, sizeof(target)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEALREADY);
    }
    for (i = 0; i < count; i++) closesocket(clients[i]);
    closesocket(listener);
}

int main(void)
{
    WSADATA data;
    size_t i;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) test_option(&opt_cases[i]);
    test_fionread_siocatmark();
    test_event_ordering();
    test_alertable_waits();
    test_ioctl_routines();
    test_base_handle_overlapped();
    test_port_bound_after_request();
    test_poll_shutdowns();
    test_sendmsg_edges();
    test_acceptex_no_local_area();
    test_connecting_socket();
    WSACleanup();
    return tl_finish();
}
