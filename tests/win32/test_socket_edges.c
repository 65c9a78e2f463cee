/* test_socket_edges.c: option lengths and values, option by option, and other edges of
 * Winsock's argument checking.
 *
 * Covers: for each socket option of a table (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP,
 * IPPROTO_IPV6), what setsockopt and getsockopt do with lengths of -1, 0, 1, 2, 4 and 8,
 * the length getsockopt answers with, the bytes it writes, and whether a value of 0x100
 * is taken.
 *
 * Sources: Wine's dlls/ws2_32/tests/sock.c (test_set_getsockopt's option-size table,
 * which passes on Windows 10/11). */
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
    if (ret != 0 && tl_under_wine() && WSAGetLastError() == WSAENOPROTOOPT) {
        tl_skipped++;
        printf("SKIP %s: this Wine does not know the option\n", c->name);
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
    WINE_DEVIATION("Wine's FIONREAD/SIOCATMARK ignore urgent data (todo_wine)")
    {
        CHECK_EQ(normal, 1);
        CHECK_EQ(mark, FALSE);
    }
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

int main(void)
{
    WSADATA data;
    size_t i;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) test_option(&opt_cases[i]);
    test_fionread_siocatmark();
    WSACleanup();
    return tl_finish();
}
