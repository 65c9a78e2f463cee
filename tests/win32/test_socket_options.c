/* test_socket_options.c: IPv6, address-sharing options, constants and structure layouts.
 *
 * Covers: AF_INET6 and the SOCKADDR_IN6 layout; IPV6_V6ONLY (on by default, one-byte
 * result, dual-stack sockets see IPv4 peers as v4-mapped addresses); ::1 connections
 * (TCP and UDP); SO_REUSEADDR as Windows defines it (both sockets must set it; a listening
 * socket can share; the wildcard/specific rules without options); SO_EXCLUSIVEADDRUSE
 * (a table of first/second binds) and its exclusion with SO_REUSEADDR; a table of
 * Winsock constants against their Windows values; the layouts of the Winsock structures
 * a Windows program depends on (x64); WSAIoctl codes the driver does not know, given an
 * OVERLAPPED (pending, then STATUS_NOT_SUPPORTED), the byte counts of overlapped FIONREAD
 * and SIOCATMARK, SIO_IDEAL_SEND_BACKLOG_QUERY and SIO_ENABLE_CIRCULAR_QUEUEING; which
 * IPPROTO_IP/IPPROTO_IPV6 options apply to TCP and UDP sockets (Wine's test_sockopt_validity),
 * IP_DONTFRAGMENT, IP_UNICAST_IF and IPV6_UNICAST_IF.
 *
 * Every fact is sourced in docs/research/windows-sockets-udp-names.md; checks Wine gets
 * wrong are listed in tests/win32/WINE_DEVIATIONS_sockets_udp.md. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <stddef.h>
#include "testlib.h"

#define WAIT_MS 5000

static void startup(void)
{
    WSADATA data;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static int wait_readable(SOCKET s, long ms)
{
    fd_set set;
    struct timeval tv;
    FD_ZERO(&set);
    FD_SET(s, &set);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, &set, NULL, NULL, &tv);
}

static SOCKADDR_IN v4(ULONG host_order_addr, u_short port_net)
{
    SOCKADDR_IN a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(host_order_addr);
    a.sin_port = port_net;
    return a;
}

static SOCKADDR_IN6 v6(const IN6_ADDR *addr, u_short port_net)
{
    SOCKADDR_IN6 a;
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    a.sin6_addr = *addr;
    a.sin6_port = port_net;
    return a;
}

static u_short local_port(SOCKET s)
{
    SOCKADDR_STORAGE st;
    int len = sizeof(st);
    memset(&st, 0, sizeof(st));
    CHECK_EQ(getsockname(s, (SOCKADDR *)&st, &len), 0);
    return st.ss_family == AF_INET6 ? ((SOCKADDR_IN6 *)&st)->sin6_port : ((SOCKADDR_IN *)&st)->sin_port;
}

static int set_int(SOCKET s, int level, int name, DWORD value)
{
    return setsockopt(s, level, name, (const char *)&value, sizeof(value));
}

/* Accepts one connection within WAIT_MS; INVALID_SOCKET if none came. */
static SOCKET accept_bounded(SOCKET listener, SOCKADDR *addr, int *len)
{
    if (wait_readable(listener, WAIT_MS) != 1)
        return INVALID_SOCKET;
    return accept(listener, addr, len);
}

/* ------------------------------------------------------------------------------------ */

static void test_sockaddr_in6_layout(void)
{
    TEST("IPv6: AF_INET6 is 23 and SOCKADDR_IN6 has Windows' layout");
    CHECK_EQ(AF_INET6, 23);
    CHECK_EQ(sizeof(SOCKADDR_IN6), 28);
    CHECK_EQ(offsetof(SOCKADDR_IN6, sin6_family), 0);
    CHECK_EQ(offsetof(SOCKADDR_IN6, sin6_port), 2);
    CHECK_EQ(offsetof(SOCKADDR_IN6, sin6_flowinfo), 4);
    CHECK_EQ(offsetof(SOCKADDR_IN6, sin6_addr), 8);
    CHECK_EQ(offsetof(SOCKADDR_IN6, sin6_scope_id), 24);
    CHECK_EQ(sizeof(((SOCKADDR_IN6 *)0)->sin6_family), 2);
    CHECK_EQ(sizeof(IN6_ADDR), 16);
    CHECK_EQ(sizeof(struct sockaddr_in6), 28);
}

static void test_v6only(void)
{
    IN6_ADDR any6 = IN6ADDR_ANY_INIT;
    SOCKET l, c, a;
    SOCKADDR_IN6 la, peer6;
    SOCKADDR_IN target;
    DWORD value;
    int len, ret;

    TEST("IPV6_V6ONLY: on by default for TCP and UDP IPv6 sockets (a one-byte result)");
    {
        int types[2] = {SOCK_STREAM, SOCK_DGRAM}, i;
        for (i = 0; i < 2; i++) {
            SOCKET s = socket(AF_INET6, types[i], 0);
            CHECK(s != INVALID_SOCKET);
            value = 0xdeadbe00;
            len = sizeof(value);
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len), 0);
            CHECK_EQ(len, 1);
            CHECK_EQ(value, 0xdeadbe01);
            closesocket(s);
        }
    }

    TEST("IPV6_V6ONLY: set to 0 reads back as 0");
    l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(set_int(l, IPPROTO_IPV6, IPV6_V6ONLY, 0), 0);
    value = 2;
    len = sizeof(value);
    CHECK_EQ(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    closesocket(l);

    TEST("IPV6_V6ONLY: getsockopt on an IPv4 socket succeeds and reports 1");
    {
        SOCKET s4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        value = 2;
        len = sizeof(value);
        ret = getsockopt(s4, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len);
        WINE_DEVIATION("getsockopt(IPV6_V6ONLY) on an AF_INET socket fails under Wine")
        {
            CHECK_EQ(ret, 0);
            CHECK_EQ(value, 1);
        }
        closesocket(s4);
    }

    TEST("V6ONLY (default): an IPv6 listener on [::] refuses an IPv4 connection");
    l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    la = v6(&any6, 0);
    CHECK_EQ(bind(l, (SOCKADDR *)&la, sizeof(la)), 0);
    CHECK_EQ(listen(l, 4), 0);
    target = v4(INADDR_LOOPBACK, local_port(l));
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ret = connect(c, (SOCKADDR *)&target, sizeof(target));
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
    CHECK_EQ(wait_readable(l, 100), 0);
    closesocket(c);

    TEST("V6ONLY (default): IPV6_V6ONLY cannot be changed once the socket is bound");
    CHECK_EQ(set_int(l, IPPROTO_IPV6, IPV6_V6ONLY, 0), SOCKET_ERROR);
    closesocket(l);

    TEST("V6ONLY 0: an IPv4 client connects; accept shows a v4-mapped ::ffff:127.0.0.1");
    l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(set_int(l, IPPROTO_IPV6, IPV6_V6ONLY, 0), 0);
    la = v6(&any6, 0);
    CHECK_EQ(bind(l, (SOCKADDR *)&la, sizeof(la)), 0);
    value = 2;
    len = sizeof(value);
    CHECK_EQ(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(listen(l, 4), 0);
    target = v4(INADDR_LOOPBACK, local_port(l));
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&target, sizeof(target)), 0);
    memset(&peer6, 0xcc, sizeof(peer6));
    len = sizeof(peer6);
    a = accept_bounded(l, (SOCKADDR *)&peer6, &len);
    CHECK(a != INVALID_SOCKET);
    CHECK_EQ(len, sizeof(SOCKADDR_IN6));
    CHECK_EQ(peer6.sin6_family, AF_INET6);
    {
        static const unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
        CHECK(memcmp(&peer6.sin6_addr, mapped, 16) == 0);
        CHECK(IN6_IS_ADDR_V4MAPPED(&peer6.sin6_addr));
    }
    TEST("V6ONLY 0: the accepted socket's local address is v4-mapped too; data flows");
    {
        SOCKADDR_IN6 me;
        char buf[8];
        len = sizeof(me);
        CHECK_EQ(getsockname(a, (SOCKADDR *)&me, &len), 0);
        CHECK_EQ(me.sin6_family, AF_INET6);
        CHECK(IN6_IS_ADDR_V4MAPPED(&me.sin6_addr));
        CHECK_EQ(me.sin6_port, target.sin_port);
        CHECK_EQ(send(c, "dual", 4, 0), 4);
        CHECK_EQ(wait_readable(a, WAIT_MS), 1);
        CHECK_EQ(recv(a, buf, sizeof(buf), 0), 4);
        CHECK(memcmp(buf, "dual", 4) == 0);
    }
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_loopback6(void)
{
    IN6_ADDR lo6 = IN6ADDR_LOOPBACK_INIT;
    SOCKADDR_IN6 la, peer, me;
    SOCKET l, c, a, u1, u2;
    int len;
    char buf[8];

    TEST("::1 TCP: listen, connect, accept; both ends report ::1 with 28-byte addresses");
    l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    CHECK(l != INVALID_SOCKET);
    la = v6(&lo6, 0);
    CHECK_EQ(bind(l, (SOCKADDR *)&la, sizeof(la)), 0);
    CHECK_EQ(listen(l, 4), 0);
    la.sin6_port = local_port(l);
    CHECK(la.sin6_port != 0);
    c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(c, (SOCKADDR *)&la, sizeof(la)), 0);
    len = sizeof(peer);
    a = accept_bounded(l, (SOCKADDR *)&peer, &len);
    CHECK(a != INVALID_SOCKET);
    CHECK_EQ(len, 28);
    CHECK_EQ(peer.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_LOOPBACK(&peer.sin6_addr));
    CHECK_EQ(peer.sin6_port, local_port(c));
    len = sizeof(me);
    CHECK_EQ(getpeername(c, (SOCKADDR *)&me, &len), 0);
    CHECK_EQ(len, 28);
    CHECK(IN6_IS_ADDR_LOOPBACK(&me.sin6_addr));
    CHECK_EQ(me.sin6_port, la.sin6_port);
    CHECK_EQ(send(a, "six", 3, 0), 3);
    CHECK_EQ(wait_readable(c, WAIT_MS), 1);
    CHECK_EQ(recv(c, buf, sizeof(buf), 0), 3);
    closesocket(a);
    closesocket(c);
    closesocket(l);

    TEST("::1 UDP: a datagram carries the sender's IPv6 address");
    u1 = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    u2 = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    la = v6(&lo6, 0);
    CHECK_EQ(bind(u1, (SOCKADDR *)&la, sizeof(la)), 0);
    CHECK_EQ(bind(u2, (SOCKADDR *)&la, sizeof(la)), 0);
    la.sin6_port = local_port(u2);
    CHECK_EQ(sendto(u1, "udp6", 4, 0, (SOCKADDR *)&la, sizeof(la)), 4);
    CHECK_EQ(wait_readable(u2, WAIT_MS), 1);
    memset(&peer, 0xcc, sizeof(peer));
    len = sizeof(peer);
    CHECK_EQ(recvfrom(u2, buf, sizeof(buf), 0, (SOCKADDR *)&peer, &len), 4);
    CHECK_EQ(len, 28);
    CHECK_EQ(peer.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_LOOPBACK(&peer.sin6_addr));
    CHECK_EQ(peer.sin6_port, local_port(u1));
    CHECK_EQ(peer.sin6_flowinfo, 0);

    TEST("::1 UDP: recvfrom with a 16-byte from buffer fails with WSAEFAULT");
    CHECK_EQ(sendto(u1, "udp6", 4, 0, (SOCKADDR *)&la, sizeof(la)), 4);
    CHECK_EQ(wait_readable(u2, WAIT_MS), 1);
    len = sizeof(SOCKADDR_IN);
    WSASetLastError(0xdeadbeef);
    {
        int r = recvfrom(u2, buf, sizeof(buf), 0, (SOCKADDR *)&peer, &len);
        WINE_DEVIATION("recvfrom with a too-small fromlen: Wine succeeds and sets fromlen to 0")
        {
            CHECK_EQ(r, SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        }
    }
    closesocket(u1);
    closesocket(u2);
}

/* SO_REUSEADDR as Windows defines it (TCP, loopback, ephemeral ports). */
static void test_reuseaddr(void)
{
    SOCKET s1, s2, s3, s4;
    SOCKADDR_IN a;
    u_short port;
    DWORD value;
    int len, ret;

    TEST("SO_REUSEADDR: off by default (getsockopt, 4 bytes)");
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    value = 0x1234;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s1, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(len, 4);

    TEST("SO_REUSEADDR on the second socket only: bind fails with WSAEACCES");
    a = v4(INADDR_LOOPBACK, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    port = local_port(s1);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    a = v4(INADDR_LOOPBACK, port);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEACCES);
    closesocket(s1);
    closesocket(s2);

    TEST("SO_REUSEADDR on the first socket only: a plain second bind fails with WSAEACCES");
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(set_int(s1, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    value = 0;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s1, SOL_SOCKET, SO_REUSEADDR, (char *)&value, &len), 0);
    CHECK_EQ(value, 1);
    a = v4(INADDR_LOOPBACK, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    port = local_port(s1);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_LOOPBACK, port);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), SOCKET_ERROR);
    WINE_DEVIATION("a plain bind over an SO_REUSEADDR socket's address fails with WSAEADDRINUSE under Wine")
    {
        CHECK_EQ(WSAGetLastError(), WSAEACCES);
    }

    TEST("SO_REUSEADDR on both: the second bind succeeds (after the failed one)");
    CHECK_EQ(set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), 0);
    CHECK_EQ(local_port(s2), port);

    TEST("SO_REUSEADDR on both: both can listen; a connection is accepted by the first");
    CHECK_EQ(listen(s1, 4), 0);
    ret = listen(s2, 4);
    WINE_DEVIATION("listen on a second socket sharing the address fails under Wine")
    {
        CHECK_EQ(ret, 0);
    }
    s3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(s3, (SOCKADDR *)&a, sizeof(a)), 0);
    len = sizeof(a);
    s4 = accept_bounded(s1, (SOCKADDR *)&a, &len);
    CHECK(s4 != INVALID_SOCKET);
    closesocket(s1);
    closesocket(s2);
    closesocket(s3);
    closesocket(s4);

    TEST("no options: a listener on 0.0.0.0:P and a second on 127.0.0.1:P may coexist");
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_ANY, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    CHECK_EQ(listen(s1, 4), 0);
    port = local_port(s1);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_LOOPBACK, port);
    ret = bind(s2, (SOCKADDR *)&a, sizeof(a));
    WINE_DEVIATION("a specific bind under a listening wildcard bind of the same port fails under Wine")
    {
        CHECK_EQ(ret, 0);
        CHECK_EQ(listen(s2, 4), 0);
        s3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK_EQ(connect(s3, (SOCKADDR *)&a, sizeof(a)), 0);
        len = sizeof(a);
        s4 = accept_bounded(s2, (SOCKADDR *)&a, &len);
        CHECK(s4 != INVALID_SOCKET);
        closesocket(s3);
        closesocket(s4);
    }
    closesocket(s1);
    closesocket(s2);

    TEST("no options: 127.0.0.1:P listening, then a bind to 0.0.0.0:P succeeds; loopback goes to the first");
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_LOOPBACK, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    CHECK_EQ(listen(s1, 4), 0);
    port = local_port(s1);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_ANY, port);
    ret = bind(s2, (SOCKADDR *)&a, sizeof(a));
    WINE_DEVIATION("a wildcard bind over a specific bind of the same port fails under Wine")
    {
        CHECK_EQ(ret, 0);
        CHECK_EQ(listen(s2, 4), 0);
    }
    a = v4(INADDR_LOOPBACK, port);
    s3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(s3, (SOCKADDR *)&a, sizeof(a)), 0);
    len = sizeof(a);
    s4 = accept_bounded(s1, (SOCKADDR *)&a, &len);
    CHECK(s4 != INVALID_SOCKET);
    closesocket(s1);
    closesocket(s2);
    closesocket(s3);
    closesocket(s4);

    TEST("no options: two binds to 0.0.0.0:P, the second fails with WSAEADDRINUSE");
    s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_ANY, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    port = local_port(s1);
    s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = v4(INADDR_ANY, port);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEADDRINUSE);
    closesocket(s1);
    closesocket(s2);

    TEST("UDP: two sockets with SO_REUSEADDR bind the same address and port");
    s1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    s2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK_EQ(set_int(s1, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    CHECK_EQ(set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    a = v4(INADDR_LOOPBACK, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    a.sin_port = local_port(s1);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), 0);
    CHECK_EQ(local_port(s2), a.sin_port);
    closesocket(s1);
    closesocket(s2);

    TEST("UDP: without SO_REUSEADDR the second bind fails with WSAEADDRINUSE");
    s1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    s2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    a = v4(INADDR_LOOPBACK, 0);
    CHECK_EQ(bind(s1, (SOCKADDR *)&a, sizeof(a)), 0);
    a.sin_port = local_port(s1);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(bind(s2, (SOCKADDR *)&a, sizeof(a)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEADDRINUSE);
    closesocket(s1);
    closesocket(s2);
}

/* How a second bind of the same port fares against a first one. */
enum { PLAIN, REUSE, EXCL };
struct bind_case {
    int family[2];
    int wildcard[2]; /* 1: 0.0.0.0 / [::], 0: 127.0.0.1 / ::1 */
    int option[2];
    int expected; /* 0 or the WSA error of the second bind */
};

static int bind_one(SOCKET s, int family, int wildcard, u_short port)
{
    if (family == AF_INET) {
        SOCKADDR_IN a = v4(wildcard ? INADDR_ANY : INADDR_LOOPBACK, port);
        return bind(s, (SOCKADDR *)&a, sizeof(a));
    } else {
        IN6_ADDR any6 = IN6ADDR_ANY_INIT, lo6 = IN6ADDR_LOOPBACK_INIT;
        SOCKADDR_IN6 a = v6(wildcard ? &any6 : &lo6, port);
        return bind(s, (SOCKADDR *)&a, sizeof(a));
    }
}

static void test_exclusiveaddruse(void)
{
    /* IPv6 sockets have IPV6_V6ONLY set to 0. */
    static const struct bind_case cases[] = {
        {{AF_INET, AF_INET}, {1, 0}, {EXCL, PLAIN}, WSAEACCES},
        {{AF_INET6, AF_INET}, {1, 0}, {EXCL, PLAIN}, WSAEACCES},
        {{AF_INET, AF_INET}, {1, 0}, {PLAIN, EXCL}, 0},
        {{AF_INET, AF_INET}, {1, 0}, {EXCL, EXCL}, WSAEACCES},
        {{AF_INET, AF_INET}, {0, 1}, {EXCL, PLAIN}, 0},
        {{AF_INET, AF_INET}, {0, 1}, {PLAIN, EXCL}, WSAEADDRINUSE},
        {{AF_INET, AF_INET6}, {0, 1}, {PLAIN, EXCL}, WSAEADDRINUSE},
        {{AF_INET6, AF_INET}, {0, 1}, {PLAIN, EXCL}, 0},
        {{AF_INET6, AF_INET}, {0, 0}, {EXCL, EXCL}, 0},
        {{AF_INET6, AF_INET}, {1, 1}, {EXCL, PLAIN}, WSAEACCES},
        {{AF_INET6, AF_INET}, {1, 1}, {PLAIN, EXCL}, 0},
        {{AF_INET, AF_INET}, {1, 1}, {PLAIN, EXCL}, WSAEADDRINUSE},
        {{AF_INET, AF_INET}, {1, 1}, {PLAIN, PLAIN}, WSAEADDRINUSE},
        {{AF_INET6, AF_INET}, {1, 1}, {PLAIN, PLAIN}, 0},
        {{AF_INET, AF_INET}, {0, 0}, {EXCL, PLAIN}, WSAEADDRINUSE},
        {{AF_INET, AF_INET}, {0, 0}, {PLAIN, EXCL}, WSAEADDRINUSE},
        {{AF_INET, AF_INET}, {0, 0}, {EXCL, REUSE}, WSAEACCES},
    };
    unsigned int i;
    DWORD value;
    int len;
    SOCKET s;

    TEST("SO_EXCLUSIVEADDRUSE: off by default; cannot be set together with SO_REUSEADDR");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    value = 0x1234;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&value, &len), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(set_int(s, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(set_int(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(set_int(s, SOL_SOCKET, SO_REUSEADDR, 0), 0);
    CHECK_EQ(set_int(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), 0);
    value = 0;
    len = sizeof(value);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&value, &len), 0);
    CHECK_EQ(value, 1);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(set_int(s, SOL_SOCKET, SO_REUSEADDR, 1), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(s);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bind_case *c = &cases[i];
        SOCKET sk[2];
        u_short port = 0;
        int j, ret;
        char name[160];

        sprintf(name, "SO_EXCLUSIVEADDRUSE case %u: %s %s %s, then %s %s %s -> %d", i,
                c->family[0] == AF_INET ? "v4" : "v6", c->wildcard[0] ? "any" : "loopback",
                c->option[0] == EXCL ? "exclusive" : c->option[0] == REUSE ? "reuse" : "plain",
                c->family[1] == AF_INET ? "v4" : "v6", c->wildcard[1] ? "any" : "loopback",
                c->option[1] == EXCL ? "exclusive" : c->option[1] == REUSE ? "reuse" : "plain",
                c->expected);
        TEST(name);
        /* The first socket takes a free port of its own family and address; the port may
         * still be held on another family or address by a socket of another program, in
         * which case the second bind is refused for a reason that is not this case's: a
         * case that expects success gets a few ports before it counts as failed. */
        for (int attempt = 0; attempt < 5; attempt++) {
            for (j = 0; j < 2; j++) {
                sk[j] = socket(c->family[j], SOCK_STREAM, IPPROTO_TCP);
                CHECK(sk[j] != INVALID_SOCKET);
                if (c->option[j] == EXCL)
                    CHECK_EQ(set_int(sk[j], SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), 0);
                if (c->option[j] == REUSE)
                    CHECK_EQ(set_int(sk[j], SOL_SOCKET, SO_REUSEADDR, 1), 0);
                if (c->family[j] == AF_INET6)
                    CHECK_EQ(set_int(sk[j], IPPROTO_IPV6, IPV6_V6ONLY, 0), 0);
            }
            CHECK_EQ(bind_one(sk[0], c->family[0], c->wildcard[0], 0), 0);
            port = local_port(sk[0]);
            WSASetLastError(0xdeadbeef);
            ret = bind_one(sk[1], c->family[1], c->wildcard[1], port);
            if (c->expected != 0 || ret == 0 || attempt == 4) break;
            closesocket(sk[0]);
            closesocket(sk[1]);
        }
        if (c->expected == 0) {
            CHECK_EQ(ret, 0);
        } else {
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), c->expected);
        }
        closesocket(sk[0]);
        closesocket(sk[1]);
    }
}

/* ------------------------------------------------------------------------------------ */

struct constant {
    const char *name;
    unsigned int value;    /* the header's value, as 32 bits */
    unsigned int expected; /* Windows' value */
};
#define K(name, expected) {#name, (unsigned int)(name), (unsigned int)(expected)}

static void check_table(const char *group, const struct constant *t, unsigned int n)
{
    unsigned int i;
    printf("-- constants: %s\n", group);
    for (i = 0; i < n; i++) {
        if (t[i].value == t[i].expected) {
            tl_passed++;
        } else {
            tl_failed++;
            printf("FAIL %s:%d: %s is 0x%x, Windows has 0x%x\n", __FILE__, __LINE__, t[i].name, t[i].value,
                   t[i].expected);
        }
    }
}
#define CHECK_TABLE(group, t) check_table(group, t, sizeof(t) / sizeof(t[0]))

static void test_constants(void)
{
    static const struct constant families[] = {
        K(AF_UNSPEC, 0), K(AF_UNIX, 1), K(AF_INET, 2), K(AF_IPX, 6), K(AF_NETBIOS, 17),
        K(AF_INET6, 23), K(AF_IRDA, 26), K(AF_BTH, 32),
        K(PF_INET, 2), K(PF_INET6, 23), K(PF_UNSPEC, 0),
        K(SOCK_STREAM, 1), K(SOCK_DGRAM, 2), K(SOCK_RAW, 3), K(SOCK_RDM, 4), K(SOCK_SEQPACKET, 5),
    };
    static const struct constant protocols[] = {
        K(IPPROTO_IP, 0), K(IPPROTO_ICMP, 1), K(IPPROTO_IGMP, 2), K(IPPROTO_TCP, 6),
        K(IPPROTO_UDP, 17), K(IPPROTO_IPV6, 41), K(IPPROTO_ICMPV6, 58), K(IPPROTO_RAW, 255),
    };
    static const struct constant sol_socket[] = {
        K(SOL_SOCKET, 0xffff), K(SO_DEBUG, 0x0001), K(SO_ACCEPTCONN, 0x0002), K(SO_REUSEADDR, 0x0004),
        K(SO_KEEPALIVE, 0x0008), K(SO_DONTROUTE, 0x0010), K(SO_BROADCAST, 0x0020),
        K(SO_USELOOPBACK, 0x0040), K(SO_LINGER, 0x0080), K(SO_OOBINLINE, 0x0100),
        K(SO_DONTLINGER, 0xffffff7f), K(SO_EXCLUSIVEADDRUSE, 0xfffffffb),
        K(SO_SNDBUF, 0x1001), K(SO_RCVBUF, 0x1002), K(SO_SNDLOWAT, 0x1003), K(SO_RCVLOWAT, 0x1004),
        K(SO_SNDTIMEO, 0x1005), K(SO_RCVTIMEO, 0x1006), K(SO_ERROR, 0x1007), K(SO_TYPE, 0x1008),
        K(SO_GROUP_ID, 0x2001), K(SO_GROUP_PRIORITY, 0x2002), K(SO_MAX_MSG_SIZE, 0x2003),
        K(SO_PROTOCOL_INFOA, 0x2004), K(SO_PROTOCOL_INFOW, 0x2005), K(SO_CONDITIONAL_ACCEPT, 0x3002),
        K(SO_CONNECT_TIME, 0x700C), K(SO_UPDATE_ACCEPT_CONTEXT, 0x700B),
        K(SO_UPDATE_CONNECT_CONTEXT, 0x7010), K(SO_OPENTYPE, 0x7008),
    };
    static const struct constant ip_options[] = {
        K(TCP_NODELAY, 1),
        K(IP_TOS, 3), K(IP_TTL, 4), K(IP_MULTICAST_IF, 9), K(IP_MULTICAST_TTL, 10),
        K(IP_MULTICAST_LOOP, 11), K(IP_ADD_MEMBERSHIP, 12), K(IP_DROP_MEMBERSHIP, 13),
        K(IP_DONTFRAGMENT, 14), K(IP_PKTINFO, 19),
        K(IPV6_UNICAST_HOPS, 4), K(IPV6_MULTICAST_IF, 9), K(IPV6_MULTICAST_HOPS, 10),
        K(IPV6_MULTICAST_LOOP, 11), K(IPV6_ADD_MEMBERSHIP, 12), K(IPV6_DROP_MEMBERSHIP, 13),
        K(IPV6_PKTINFO, 19), K(IPV6_V6ONLY, 27),
    };
    static const struct constant msg_flags[] = {
        K(MSG_OOB, 0x1), K(MSG_PEEK, 0x2), K(MSG_DONTROUTE, 0x4), K(MSG_WAITALL, 0x8),
        K(MSG_INTERRUPT, 0x10), K(MSG_PARTIAL, 0x8000), K(MSG_TRUNC, 0x0100), K(MSG_CTRUNC, 0x0200),
        K(MSG_BCAST, 0x0400), K(MSG_MCAST, 0x0800),
        K(SD_RECEIVE, 0), K(SD_SEND, 1), K(SD_BOTH, 2),
    };
    static const struct constant ioctls[] = {
        K(FIONBIO, 0x8004667E), K(FIONREAD, 0x4004667F), K(SIOCATMARK, 0x40047307),
        K(SIO_GET_EXTENSION_FUNCTION_POINTER, 0xC8000006), K(SIO_KEEPALIVE_VALS, 0x98000004),
        K(SIO_UDP_CONNRESET, 0x9800000C), K(SIO_ADDRESS_LIST_QUERY, 0x48000016),
        K(SIO_ROUTING_INTERFACE_QUERY, 0xC8000014), K(SIO_BASE_HANDLE, 0x48000022),
        K(SIO_GET_INTERFACE_LIST, 0x4004747F), K(SIO_ADDRESS_LIST_CHANGE, 0x28000017),
        K(SIO_ENABLE_CIRCULAR_QUEUEING, 0x28000002), K(SIO_FLUSH, 0x28000004),
    };
    static const struct constant misc[] = {
        K(SOCKET_ERROR, 0xffffffff), K(SOMAXCONN, 0x7fffffff), K(FD_SETSIZE, 64),
        K(WSA_FLAG_OVERLAPPED, 0x01), K(WSADESCRIPTION_LEN, 256), K(WSASYS_STATUS_LEN, 128),
        K(WSAPROTOCOL_LEN, 255), K(MAX_PROTOCOL_CHAIN, 7),
        K(INADDR_ANY, 0), K(INADDR_LOOPBACK, 0x7f000001), K(INADDR_NONE, 0xffffffff),
        K(INADDR_BROADCAST, 0xffffffff), K(INET_ADDRSTRLEN, 22), K(INET6_ADDRSTRLEN, 65),
        K(FD_READ, 0x01), K(FD_WRITE, 0x02), K(FD_OOB, 0x04), K(FD_ACCEPT, 0x08),
        K(FD_CONNECT, 0x10), K(FD_CLOSE, 0x20),
    };
    static const struct constant errors[] = {
        K(WSAEINTR, 10004), K(WSAEBADF, 10009), K(WSAEACCES, 10013), K(WSAEFAULT, 10014),
        K(WSAEINVAL, 10022), K(WSAEMFILE, 10024), K(WSAEWOULDBLOCK, 10035),
        K(WSAEINPROGRESS, 10036), K(WSAEALREADY, 10037), K(WSAENOTSOCK, 10038),
        K(WSAEDESTADDRREQ, 10039), K(WSAEMSGSIZE, 10040), K(WSAEPROTOTYPE, 10041),
        K(WSAENOPROTOOPT, 10042), K(WSAEPROTONOSUPPORT, 10043), K(WSAESOCKTNOSUPPORT, 10044),
        K(WSAEOPNOTSUPP, 10045), K(WSAEPFNOSUPPORT, 10046), K(WSAEAFNOSUPPORT, 10047),
        K(WSAEADDRINUSE, 10048), K(WSAEADDRNOTAVAIL, 10049), K(WSAENETDOWN, 10050),
        K(WSAENETUNREACH, 10051), K(WSAENETRESET, 10052), K(WSAECONNABORTED, 10053),
        K(WSAECONNRESET, 10054), K(WSAENOBUFS, 10055), K(WSAEISCONN, 10056),
        K(WSAENOTCONN, 10057), K(WSAESHUTDOWN, 10058), K(WSAETIMEDOUT, 10060),
        K(WSAECONNREFUSED, 10061), K(WSAEHOSTDOWN, 10064), K(WSAEHOSTUNREACH, 10065),
        K(WSASYSNOTREADY, 10091), K(WSAVERNOTSUPPORTED, 10092), K(WSANOTINITIALISED, 10093),
        K(WSAEDISCON, 10101), K(WSATYPE_NOT_FOUND, 10109), K(WSAHOST_NOT_FOUND, 11001),
        K(WSATRY_AGAIN, 11002), K(WSANO_RECOVERY, 11003), K(WSANO_DATA, 11004),
        K(WSA_IO_PENDING, 997), K(WSA_IO_INCOMPLETE, 996), K(WSA_OPERATION_ABORTED, 995),
        K(WSA_INVALID_HANDLE, 6), K(WSA_INVALID_PARAMETER, 87), K(WSA_NOT_ENOUGH_MEMORY, 8),
    };

    TEST("constants: SOL_SOCKET is 0xffff; INVALID_SOCKET is all ones, pointer-sized");
    CHECK_EQ(SOL_SOCKET, 0xffff);
    CHECK_EQ(sizeof(SOCKET), sizeof(void *));
    CHECK(INVALID_SOCKET == (SOCKET)~(ULONG_PTR)0);
    CHECK_TABLE("families and types (socket, ws2def.h)", families);
    CHECK_TABLE("protocols (ws2def.h)", protocols);
    CHECK_TABLE("SOL_SOCKET options (ws2def.h, winsock2.h, mswsock.h)", sol_socket);
    CHECK_TABLE("IPPROTO_TCP/IP/IPV6 options (ws2def.h, ws2ipdef.h)", ip_options);
    CHECK_TABLE("MSG_* and SD_* (winsock2.h, ws2def.h)", msg_flags);
    CHECK_TABLE("ioctl codes (winsock2.h, ws2def.h, mstcpip.h, mswsock.h)", ioctls);
    CHECK_TABLE("limits, addresses, FD_* (winsock2.h, ws2def.h, ws2ipdef.h)", misc);
    CHECK_TABLE("error codes (Windows Sockets Error Codes)", errors);
}

static void test_struct_layouts(void)
{
    TEST("layout: SOCKADDR and SOCKADDR_IN (16 bytes)");
    CHECK_EQ(sizeof(SOCKADDR), 16);
    CHECK_EQ(sizeof(SOCKADDR_IN), 16);
    CHECK_EQ(offsetof(SOCKADDR_IN, sin_family), 0);
    CHECK_EQ(offsetof(SOCKADDR_IN, sin_port), 2);
    CHECK_EQ(offsetof(SOCKADDR_IN, sin_addr), 4);
    CHECK_EQ(offsetof(SOCKADDR_IN, sin_zero), 8);
    CHECK_EQ(sizeof(IN_ADDR), 4);
    CHECK_EQ(sizeof(ADDRESS_FAMILY), 2);

    TEST("layout: SOCKADDR_STORAGE is 128 bytes, family first, 8-byte aligned");
    CHECK_EQ(sizeof(SOCKADDR_STORAGE), 128);
    CHECK_EQ(offsetof(SOCKADDR_STORAGE, ss_family), 0);
    CHECK_EQ(_Alignof(SOCKADDR_STORAGE), 8);

    TEST("layout: WSABUF is { ULONG len; CHAR *buf; } (len first)");
    CHECK_EQ(offsetof(WSABUF, len), 0);
    CHECK_EQ(sizeof(((WSABUF *)0)->len), 4);
    CHECK_EQ(offsetof(WSABUF, buf), sizeof(void *));
    CHECK_EQ(sizeof(WSABUF), 2 * sizeof(void *));

    TEST("layout: WSAOVERLAPPED is OVERLAPPED");
    CHECK_EQ(sizeof(WSAOVERLAPPED), sizeof(OVERLAPPED));
    CHECK_EQ(offsetof(WSAOVERLAPPED, hEvent), offsetof(OVERLAPPED, hEvent));

    TEST("layout: fd_set is { u_int fd_count; SOCKET fd_array[FD_SETSIZE]; }");
    CHECK_EQ(offsetof(fd_set, fd_count), 0);
    CHECK_EQ(sizeof(((fd_set *)0)->fd_count), 4);
    CHECK_EQ(offsetof(fd_set, fd_array), sizeof(SOCKET));
    CHECK_EQ(sizeof(fd_set), sizeof(SOCKET) + 64 * sizeof(SOCKET));

    TEST("layout: struct timeval has two 32-bit longs; struct linger two u_shorts");
    OUR_DEVIATION("struct timeval is the C library's (two 64-bit fields), docs/deviations.md")
    {
        CHECK_EQ(sizeof(struct timeval), 8);
        CHECK_EQ(offsetof(struct timeval, tv_usec), 4);
    }
    CHECK_EQ(sizeof(struct linger), 4);
    CHECK_EQ(offsetof(struct linger, l_linger), 2);

    if (sizeof(void *) == 8) {
        TEST("layout (x64): ADDRINFOA/ADDRINFOW: flags, family, socktype, protocol, addrlen, canonname, addr, next");
        CHECK_EQ(offsetof(ADDRINFOA, ai_flags), 0);
        CHECK_EQ(offsetof(ADDRINFOA, ai_family), 4);
        CHECK_EQ(offsetof(ADDRINFOA, ai_socktype), 8);
        CHECK_EQ(offsetof(ADDRINFOA, ai_protocol), 12);
        CHECK_EQ(offsetof(ADDRINFOA, ai_addrlen), 16);
        CHECK_EQ(sizeof(((ADDRINFOA *)0)->ai_addrlen), 8);
        CHECK_EQ(offsetof(ADDRINFOA, ai_canonname), 24);
        CHECK_EQ(offsetof(ADDRINFOA, ai_addr), 32);
        CHECK_EQ(offsetof(ADDRINFOA, ai_next), 40);
        CHECK_EQ(sizeof(ADDRINFOA), 48);
        CHECK_EQ(offsetof(ADDRINFOW, ai_canonname), 24);
        CHECK_EQ(offsetof(ADDRINFOW, ai_addr), 32);
        CHECK_EQ(offsetof(ADDRINFOW, ai_next), 40);
        CHECK_EQ(sizeof(ADDRINFOW), 48);
        CHECK_EQ(sizeof(struct addrinfo), 48);

        TEST("layout (x64): ADDRINFOEXW adds blob, bloblen, provider before next (72 bytes)");
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_canonname), 24);
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_addr), 32);
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_blob), 40);
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_bloblen), 48);
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_provider), 56);
        CHECK_EQ(offsetof(ADDRINFOEXW, ai_next), 64);
        CHECK_EQ(sizeof(ADDRINFOEXW), 72);

        TEST("layout (x64): WSADATA: versions, iMaxSockets, iMaxUdpDg, lpVendorInfo, then the strings");
        CHECK_EQ(offsetof(WSADATA, wVersion), 0);
        CHECK_EQ(offsetof(WSADATA, wHighVersion), 2);
        CHECK_EQ(offsetof(WSADATA, iMaxSockets), 4);
        CHECK_EQ(offsetof(WSADATA, iMaxUdpDg), 6);
        CHECK_EQ(offsetof(WSADATA, lpVendorInfo), 8);
        CHECK_EQ(offsetof(WSADATA, szDescription), 16);
        CHECK_EQ(offsetof(WSADATA, szSystemStatus), 16 + 257);
        CHECK_EQ(sizeof(WSADATA), 408);

        TEST("layout (x64): WSAPROTOCOL_INFOA is 372 bytes, WSAPROTOCOL_INFOW 628");
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, dwServiceFlags1), 0);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, ProviderId), 20);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, dwCatalogEntryId), 36);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, ProtocolChain), 40);
        CHECK_EQ(sizeof(WSAPROTOCOLCHAIN), 32);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, iVersion), 72);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, iAddressFamily), 76);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, iSocketType), 88);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, iProtocol), 92);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, dwMessageSize), 108);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOA, szProtocol), 116);
        CHECK_EQ(sizeof(WSAPROTOCOL_INFOA), 372);
        CHECK_EQ(offsetof(WSAPROTOCOL_INFOW, szProtocol), 116);
        CHECK_EQ(sizeof(WSAPROTOCOL_INFOW), 628);

        TEST("layout (x64): hostent, WSAMSG, WSAPOLLFD");
        CHECK_EQ(offsetof(struct hostent, h_addrtype), 16);
        CHECK_EQ(offsetof(struct hostent, h_length), 18);
        CHECK_EQ(offsetof(struct hostent, h_addr_list), 24);
        CHECK_EQ(sizeof(struct hostent), 32);
        CHECK_EQ(offsetof(WSAMSG, namelen), 8);
        CHECK_EQ(offsetof(WSAMSG, lpBuffers), 16);
        CHECK_EQ(offsetof(WSAMSG, dwBufferCount), 24);
        CHECK_EQ(offsetof(WSAMSG, Control), 32);
        CHECK_EQ(offsetof(WSAMSG, dwFlags), 48);
        CHECK_EQ(sizeof(WSAMSG), 56);
        CHECK_EQ(offsetof(WSAPOLLFD, events), 8);
        CHECK_EQ(offsetof(WSAPOLLFD, revents), 10);
        CHECK_EQ(sizeof(WSAPOLLFD), 16);
    }

    TEST("WSAStartup fills WSADATA: version 2.2, the description and status strings");
    {
        WSADATA d;
        memset(&d, 0xcc, sizeof(d));
        CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &d), 0);
        CHECK_EQ(d.wVersion, MAKEWORD(2, 2));
        CHECK_EQ(d.wHighVersion, MAKEWORD(2, 2));
        CHECK(memchr(d.szDescription, 0, sizeof(d.szDescription)) != NULL);
        CHECK(memchr(d.szSystemStatus, 0, sizeof(d.szSystemStatus)) != NULL);
        CHECK_EQ(WSACleanup(), 0);
    }
}

#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

/* SIO_KEEPALIVE_VALS with `values`; returns the call's result, *error its error. */
static int keepalive_vals(SOCKET s, ULONG on, ULONG time_ms, ULONG interval_ms, int *error)
{
    struct tcp_keepalive values;
    DWORD bytes = 0xdeadbeef;
    int ret;

    values.onoff = on;
    values.keepalivetime = time_ms;
    values.keepaliveinterval = interval_ms;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_KEEPALIVE_VALS, &values, sizeof(values), NULL, 0, &bytes, NULL, NULL);
    *error = ret == 0 ? 0 : WSAGetLastError();
    if (ret == 0)
        CHECK_EQ(bytes, 0);
    return ret;
}

static DWORD tcp_option(SOCKET s, int level, int name)
{
    DWORD value = 0;
    int length = sizeof(value);
    CHECK_EQ(getsockopt(s, level, name, (char *)&value, &length), 0);
    return value;
}

static void test_keepalive_vals(void)
{
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD bytes;
    int error;

    CHECK(tcp != INVALID_SOCKET && udp != INVALID_SOCKET);

    TEST("SIO_KEEPALIVE_VALS: no input: WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(tcp, SIO_KEEPALIVE_VALS, NULL, 0, NULL, 0, &bytes, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("SIO_KEEPALIVE_VALS on, 20 s and 3 s: SO_KEEPALIVE on, TCP_KEEPALIVE 20, TCP_KEEPINTVL 3");
    CHECK_EQ(keepalive_vals(tcp, 1, 20000, 3000, &error), 0);
    CHECK_EQ(error, 0);
    CHECK(tcp_option(tcp, SOL_SOCKET, SO_KEEPALIVE) != 0);
    WINE_DEVIATION("Wine 8.0 has no getsockopt TCP_KEEPALIVE or TCP_KEEPINTVL")
    {
        CHECK_EQ(tcp_option(tcp, IPPROTO_TCP, TCP_KEEPALIVE), 20);
        CHECK_EQ(tcp_option(tcp, IPPROTO_TCP, TCP_KEEPINTVL), 3);
    }

    TEST("SIO_KEEPALIVE_VALS accepts times of 0, under a second and of 49 days");
    CHECK_EQ(keepalive_vals(tcp, 1, 0, 0, &error), 0);
    CHECK_EQ(error, 0);
    CHECK_EQ(keepalive_vals(tcp, 1, 1500, 50, &error), 0);
    CHECK_EQ(error, 0);
    CHECK_EQ(keepalive_vals(tcp, 1, 0xfffffff0u, 0xfffffff0u, &error), 0);
    CHECK_EQ(error, 0);
    CHECK(tcp_option(tcp, SOL_SOCKET, SO_KEEPALIVE) != 0);

    TEST("SIO_KEEPALIVE_VALS off: SO_KEEPALIVE off");
    CHECK_EQ(keepalive_vals(tcp, 0, 20000, 3000, &error), 0);
    CHECK_EQ(tcp_option(tcp, SOL_SOCKET, SO_KEEPALIVE) & 0xff, 0);

    TEST("SIO_KEEPALIVE_VALS on a UDP socket: WSAENOPROTOOPT");
    {
        CHECK_EQ(keepalive_vals(udp, 1, 20000, 3000, &error), SOCKET_ERROR);
        WINE_DEVIATION("Wine 8.0 refuses SIO_KEEPALIVE_VALS on a UDP socket with WSAEINVAL")
        {
            CHECK_EQ(error, WSAENOPROTOOPT);
        }
    }
    closesocket(tcp);
    closesocket(udp);
}

#ifndef SO_RANDOMIZE_PORT
#define SO_RANDOMIZE_PORT 0x3005
#endif
#ifndef SO_PORT_SCALABILITY
#define SO_PORT_SCALABILITY 0x3006
#endif

/* SO_PORT_SCALABILITY and SO_RANDOMIZE_PORT: DWORD BOOLs a program sets and reads back
 * (Microsoft Learn, "SOL_SOCKET socket options"). */
static void test_port_policy_options(void)
{
    static const int names[2] = {SO_PORT_SCALABILITY, SO_RANDOMIZE_PORT};
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD value, got[3];
    int i, j, length, ret[3];

    CHECK(tcp != INVALID_SOCKET && udp != INVALID_SOCKET);
    for (i = 0; i < 2; i++) {
        SOCKET s = i == 0 ? tcp : udp;
        TEST(i == 0 ? "SO_PORT_SCALABILITY on TCP: 0 at first; TRUE set and read back, then FALSE"
                    : "SO_RANDOMIZE_PORT on UDP: 0 at first; TRUE set and read back, then FALSE");
        for (j = 0; j < 3; j++) {
            if (j > 0) {
                value = j == 1 ? TRUE : FALSE;
                CHECK_EQ(setsockopt(s, SOL_SOCKET, names[i], (char *)&value, sizeof(value)), 0);
            }
            got[j] = 0xdeadbeef;
            length = sizeof(got[j]);
            ret[j] = getsockopt(s, SOL_SOCKET, names[i], (char *)&got[j], &length);
        }
        WINE_DEVIATION("Wine 8.0 accepts SO_PORT_SCALABILITY and SO_RANDOMIZE_PORT but does not report them")
        {
            for (j = 0; j < 3; j++) {
                CHECK_EQ(ret[j], 0);
                CHECK_EQ(got[j], j == 1 ? 1 : 0);
            }
        }
    }
    closesocket(tcp);
    closesocket(udp);
}

#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
#define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, ULONG)
#endif
#ifndef SIO_ENABLE_CIRCULAR_QUEUEING
#define SIO_ENABLE_CIRCULAR_QUEUEING _WSAIO(IOC_WS2, 2)
#endif
#ifndef SIO_FLUSH
#define SIO_FLUSH _WSAIO(IOC_WS2, 4)
#endif

static LONG ioctl_apc_count;
static DWORD ioctl_apc_error, ioctl_apc_bytes;
static void CALLBACK ioctl_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    InterlockedIncrement(&ioctl_apc_count);
    ioctl_apc_error = error;
    ioctl_apc_bytes = bytes;
}

static void test_unknown_ioctls(void)
{
    /* Codes the socket driver does not know, and SIO_BASE_HANDLE (the Winsock DLL's). */
    static const DWORD codes[] = {0xdeadbeef, FIOASYNC, 0x667e, SIO_FLUSH, SIO_BASE_HANDLE};
    size_t i;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
        OVERLAPPED ov, *got = NULL;
        SOCKET base = (SOCKET)0xdeadbeef;
        DWORD size;
        ULONG_PTR key = 0;
        printf("   code %#lx\n", (unsigned long)codes[i]);
        TEST("an unknown WSAIoctl code with an OVERLAPPED: WSA_IO_PENDING, then STATUS_NOT_SUPPORTED "
             "through the port");
        CHECK(port != NULL);
        if (codes[i] != SIO_BASE_HANDLE) {
            size = 0xdeadbeef;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(WSAIoctl(s, codes[i], NULL, 0, NULL, 0, &size, NULL, NULL), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
            CHECK_EQ(size, 0);
        }
        memset(&ov, 0, sizeof(ov));
        ov.Internal = 0xdeadbeef;
        ov.InternalHigh = 0xdeadbeef;
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base), &size, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(size, 0xdeadbeef);
        size = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        CHECK(!GetQueuedCompletionStatus(port, &size, &key, &got, 1000));
        CHECK_ERROR(ERROR_NOT_SUPPORTED);
        CHECK_EQ(size, 0);
        CHECK_EQ(key, 123);
        CHECK(got == &ov);
        CHECK_EQ(ov.Internal, 0xC00000BBUL); /* STATUS_NOT_SUPPORTED */
        CHECK_EQ(ov.InternalHigh, 0);
        CHECK(base == (SOCKET)0xdeadbeef);
        CloseHandle(port);
        closesocket(s);

        TEST("... and with a completion routine: WSA_IO_PENDING, the routine gets WSAEOPNOTSUPP");
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        memset(&ov, 0, sizeof(ov));
        tl_store(&ioctl_apc_count, 0);
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base), &size, &ov, ioctl_routine), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(size, 0xdeadbeef);
        CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
        CHECK_EQ(tl_load(&ioctl_apc_count), 1);
        CHECK_EQ(ioctl_apc_error, WSAEOPNOTSUPP);
        CHECK_EQ(ioctl_apc_bytes, 0);
        closesocket(s);
    }

    TEST("FIONREAD and SIOCATMARK with an OVERLAPPED: the call reports 4 bytes, the completion 0");
    {
        static const DWORD answered[] = {FIONREAD, SIOCATMARK};
        for (i = 0; i < 2; ++i) {
            SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
            OVERLAPPED ov, *got = NULL;
            ULONG_PTR key = 0;
            DWORD size = 0xdeadbeef;
            int value = 0x55;
            printf("   code %#lx\n", (unsigned long)answered[i]);
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(WSAIoctl(s, answered[i], NULL, 0, &value, sizeof(value) - 1, &size, NULL, NULL), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEFAULT);
            CHECK_EQ(size, 0xdeadbeef); /* no room for the answer: the count is left alone */
            memset(&ov, 0, sizeof(ov));
            ov.Internal = 0xdeadbeef;
            ov.InternalHigh = 0xdeadbeef;
            CHECK_EQ(WSAIoctl(s, answered[i], NULL, 0, &value, sizeof(value), &size, &ov, NULL), 0);
            CHECK_EQ(size, sizeof(value));
            CHECK_EQ(value, answered[i] == FIONREAD ? 0 : 1);
            CHECK_EQ(ov.Internal, 0);
            CHECK_EQ(ov.InternalHigh, 0);
            size = 0xdeadbeef;
            CHECK(GetQueuedCompletionStatus(port, &size, &key, &got, 1000));
            CHECK_EQ(size, 0);
            CHECK_EQ(key, 123);
            CHECK(got == &ov);
            CloseHandle(port);
            closesocket(s);

            s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            memset(&ov, 0, sizeof(ov));
            tl_store(&ioctl_apc_count, 0);
            ioctl_apc_bytes = 0xdeadbeef;
            size = 0xdeadbeef;
            CHECK_EQ(WSAIoctl(s, answered[i], NULL, 0, &value, sizeof(value), &size, &ov, ioctl_routine), 0);
            CHECK_EQ(size, sizeof(value));
            CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
            CHECK_EQ(tl_load(&ioctl_apc_count), 1);
            CHECK_EQ(ioctl_apc_error, 0);
            CHECK_EQ(ioctl_apc_bytes, 0);
            closesocket(s);
        }
    }

    TEST("SIO_IDEAL_SEND_BACKLOG_QUERY: WSAENOTCONN unconnected, 64 KiB connected, WSAEOPNOTSUPP on UDP");
    {
        struct sockaddr_in addr;
        int len = sizeof(addr);
        SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        SOCKET accepted;
        ULONG backlog = 0;
        DWORD size;
        memset(&addr, 0, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        CHECK_EQ(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
        CHECK_EQ(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
        CHECK_EQ(listen(listener, 2), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &size, NULL, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
        CHECK_EQ(connect(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
        CHECK_EQ(WSAIoctl(s, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &size, NULL, NULL), 0);
        CHECK_EQ(backlog, 0x10000);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(u, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &backlog, sizeof(backlog), &size, NULL, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEOPNOTSUPP);

        TEST("SIO_ENABLE_CIRCULAR_QUEUEING on a UDP socket: accepted");
        CHECK_EQ(WSAIoctl(u, SIO_ENABLE_CIRCULAR_QUEUEING, NULL, 0, NULL, 0, &size, NULL, NULL), 0);
        accepted = accept(listener, NULL, NULL);
        closesocket(accepted);
        closesocket(s);
        closesocket(u);
        closesocket(listener);
    }
}

/* An overlapped control request's completion on the port: 0 bytes, the key, the OVERLAPPED,
 * status and size 0. */
static void check_control_packet(HANDLE port, ULONG_PTR expected_key, OVERLAPPED *ov)
{
    OVERLAPPED *got = NULL;
    ULONG_PTR key = 0;
    DWORD bytes = 0xdeadbeef;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000));
    CHECK_EQ(bytes, 0);
    CHECK_EQ(key, expected_key);
    CHECK(got == ov);
    CHECK_EQ(ov->Internal, 0);
    CHECK_EQ(ov->InternalHigh, 0);
}

/* SIO_ADDRESS_LIST_QUERY and SIO_GET_INTERFACE_LIST (Microsoft Learn, "SIO_ADDRESS_LIST_QUERY
 * Control Code" and "Winsock IOCTLs"): the local addresses a program can bind to, and the
 * IPv4 interfaces. Which addresses exist depends on the machine; the checks hold for any. */
static int is_loopback_address(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
    if (a->sa_family == AF_INET6) {
        static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, one, 16) == 0;
    }
    return 0;
}

static int is_unspecified_address(const struct sockaddr *a)
{
    static const unsigned char zero[16] = {0};
    if (a->sa_family == AF_INET) return ((const struct sockaddr_in *)a)->sin_addr.s_addr == 0;
    if (a->sa_family == AF_INET6) return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, zero, 16) == 0;
    return 0;
}

static void check_address_list(int family)
{
    static union {
        SOCKET_ADDRESS_LIST list;
        char bytes[8192];
    } u;
    const DWORD header = (DWORD)offsetof(SOCKET_ADDRESS_LIST, Address);
    const int address_length = family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN);
    SOCKET s = socket(family, SOCK_DGRAM, IPPROTO_UDP);
    DWORD needed = 0xdeadbeef, size;
    int i, wrong_family = 0, unspecified = 0, loopback = 0, outside = 0, unbindable = 0;
    printf("   family %d\n", family);
    TEST("SIO_ADDRESS_LIST_QUERY with no output buffer: WSAEFAULT and the size the list needs");
    CHECK(s != INVALID_SOCKET);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &needed, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK(needed >= header && needed <= sizeof(u.bytes));
    if (needed < header || needed > sizeof(u.bytes)) {
        closesocket(s);
        return;
    }

    TEST("SIO_ADDRESS_LIST_QUERY into a buffer smaller than the list's header: WSAEINVAL, no size");
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, u.bytes, 1, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(size, 0);

    TEST("SIO_ADDRESS_LIST_QUERY one byte short: WSAEFAULT and the size needed");
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, u.bytes, needed - 1, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(size, needed);

    TEST("SIO_ADDRESS_LIST_QUERY into a buffer of exactly that size: the list, its size returned");
    memset(u.bytes, 0xcc, sizeof(u.bytes));
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, u.bytes, needed, &size, NULL, NULL), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(size, needed);
    CHECK(u.list.iAddressCount >= 0);
    printf("   %d address(es)\n", u.list.iAddressCount);
    if (u.list.iAddressCount < 0 || u.list.iAddressCount > 64) {
        closesocket(s);
        return;
    }
    /* Address[] is declared with one element (ANYSIZE_ARRAY) and runs on: indexed
     * through a pointer, as the array bound is not the list's. */
    const SOCKET_ADDRESS *entries = u.list.Address;
    TEST("... the size is the header, the entries and the addresses they point to");
    {
        DWORD total = header + (DWORD)u.list.iAddressCount * (DWORD)sizeof(SOCKET_ADDRESS);
        for (i = 0; i < u.list.iAddressCount; ++i) total += (DWORD)entries[i].iSockaddrLength;
        CHECK_EQ(total, needed);
    }
    for (i = 0; i < u.list.iAddressCount; ++i) {
        const SOCKET_ADDRESS *entry = &entries[i];
        const char *at = (const char *)entry->lpSockaddr;
        if (at < u.bytes + header || at + entry->iSockaddrLength > u.bytes + needed) {
            ++outside;
            continue;
        }
        if (entry->lpSockaddr->sa_family != family || entry->iSockaddrLength != address_length) {
            ++wrong_family;
            continue;
        }
        if (is_unspecified_address(entry->lpSockaddr)) ++unspecified;
        if (is_loopback_address(entry->lpSockaddr)) ++loopback;
        {
            /* "local transport addresses ... to which the application can bind" */
            SOCKET b = socket(family, SOCK_DGRAM, IPPROTO_UDP);
            SOCKADDR_STORAGE any;
            memset(&any, 0, sizeof(any));
            memcpy(&any, entry->lpSockaddr, (size_t)entry->iSockaddrLength);
            ((struct sockaddr_in *)&any)->sin_port = 0;
            if (bind(b, (struct sockaddr *)&any, entry->iSockaddrLength) != 0) {
                printf("   cannot bind address %d: %d\n", i, WSAGetLastError());
                ++unbindable;
            }
            closesocket(b);
        }
    }
    TEST("... every entry points into the buffer, after the entries");
    CHECK_EQ(outside, 0);
    TEST("... the addresses are of the socket's family; none is the loopback interface's; each can be bound");
    WINE_DEVIATION("Wine 8.0 lists IPv4 addresses for an IPv6 socket")
    {
        CHECK_EQ(wrong_family, 0);
    }
    CHECK_EQ(loopback, 0);
    CHECK_EQ(unbindable, 0);
    TEST("... and no address is unspecified");
    WINE_DEVIATION("Wine 8.0 lists 0.0.0.0 for an adapter without an address")
    {
        CHECK_EQ(unspecified, 0);
    }

    TEST("SIO_ADDRESS_LIST_QUERY with an OVERLAPPED: done at once, the size returned, a packet with 0 bytes");
    {
        HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
        OVERLAPPED ov, *got = NULL;
        ULONG_PTR key = 0;
        DWORD bytes = 0xdeadbeef;
        CHECK(port != NULL);
        memset(&ov, 0, sizeof(ov));
        ov.Internal = 0xdeadbeef;
        ov.InternalHigh = 0xdeadbeef;
        size = 0xdeadbeef;
        CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, u.bytes, sizeof(u.bytes), &size, &ov, NULL), 0);
        CHECK_EQ(size, needed);
        check_control_packet(port, 77, &ov);
        TEST("... and a buffer smaller than the header with an OVERLAPPED: WSAEINVAL at once, nothing queued");
        ov.Internal = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, u.bytes, 1, &size, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        CHECK_EQ(ov.Internal, 0xdeadbeef);
        CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
        CHECK_ERROR(WAIT_TIMEOUT);
        CloseHandle(port);
    }
    closesocket(s);
}

static void test_address_queries(void)
{
    static INTERFACE_INFO interfaces[64];
    SOCKET s;
    DWORD size;
    int count, i, bad_flags = 0, bad_family = 0, loopback = -1;
    check_address_list(AF_INET);
    check_address_list(AF_INET6);

    TEST("SIO_GET_INTERFACE_LIST with no buffer or one too small for the list: WSAEFAULT");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, NULL, 0, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, interfaces, 10, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("SIO_GET_INTERFACE_LIST: INTERFACE_INFO entries, the loopback interface's with IFF_LOOPBACK");
    memset(interfaces, 0xcc, sizeof(interfaces));
    size = 0xdeadbeef;
    CHECK_EQ(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, interfaces, sizeof(interfaces), &size, NULL, NULL), 0);
    CHECK_EQ(size % sizeof(INTERFACE_INFO), 0);
    CHECK(size >= sizeof(INTERFACE_INFO) && size <= sizeof(interfaces));
    count = size <= sizeof(interfaces) ? (int)(size / sizeof(INTERFACE_INFO)) : 0;
    for (i = 0; i < count; ++i) {
        const INTERFACE_INFO *info = &interfaces[i];
        if (!(info->iiFlags & IFF_UP) ||
            (info->iiFlags & ~(ULONG)(IFF_UP | IFF_BROADCAST | IFF_LOOPBACK | IFF_POINTTOPOINT | IFF_MULTICAST)))
            ++bad_flags;
        if (info->iiAddress.AddressIn.sin_family != AF_INET || info->iiNetmask.AddressIn.sin_family != AF_INET)
            ++bad_family;
        if (info->iiAddress.AddressIn.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) loopback = i;
    }
    CHECK_EQ(bad_flags, 0);
    CHECK_EQ(bad_family, 0);
    CHECK(loopback >= 0);
    if (loopback >= 0) {
        CHECK((interfaces[loopback].iiFlags & IFF_LOOPBACK) != 0);
        CHECK_EQ(interfaces[loopback].iiNetmask.AddressIn.sin_addr.s_addr, htonl(0xFF000000));
    }
    TEST("... a buffer one entry short: WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, interfaces, size - 1, &size, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

/* SIO_ROUTING_INTERFACE_QUERY: the local address that reaches a destination (Wine's sock.c
 * test_sioRoutingInterfaceQuery, which passes on Windows). */
static void test_routing_interface_query(void)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    struct sockaddr_in in, out;
    OVERLAPPED ov;
    DWORD size;
    int ret;

    CHECK(port != NULL);
    memset(&in, 0, sizeof(in));
    TEST("SIO_ROUTING_INTERFACE_QUERY: a short or missing destination is WSAEINVAL, the count kept");
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in) - 1, &out, sizeof(out), &size, NULL, NULL),
             SOCKET_ERROR);
    WINE_DEVIATION("Wine answers WSAEFAULT")
    {
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    }
    CHECK_EQ(size, 0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, NULL, sizeof(in), &out, sizeof(out), &size, NULL, NULL),
             SOCKET_ERROR);
    WINE_DEVIATION("Wine answers WSAEFAULT")
    {
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    }
    CHECK_EQ(size, 0xdeadbeef);

    TEST("... another family is WSAEAFNOSUPPORT, the wildcard address WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    CHECK_EQ(size, 0xdeadbeef);
    in.sin_family = AF_INET;
    ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, NULL, NULL);
    WINE_DEVIATION("Wine answers the wildcard address")
    {
        CHECK_EQ(ret, SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        CHECK_EQ(size, 0xdeadbeef);
    }

    TEST("... the loopback address: its interface's address, port 0, the size of a sockaddr_in");
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    in.sin_port = htons(1234);
    memset(&out, 0xcc, sizeof(out));
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, NULL, NULL), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(size, sizeof(out));
    CHECK_EQ(out.sin_family, AF_INET);
    CHECK_EQ(out.sin_port, 0);
    WINE_DEVIATION("Wine answers the address of its default route's interface")
    {
        CHECK_EQ(out.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    }

    TEST("... no output is WSAEFAULT, the count kept; one too short WSAEFAULT with the size needed");
    size = 0xdeadbeef;
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), NULL, sizeof(out), &size, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(size, 0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out) - 1, &size, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WINE_DEVIATION("Wine leaves the count")
    {
        CHECK_EQ(size, sizeof(out));
    }

    TEST("... with an OVERLAPPED: done at once, and a packet of 0 bytes on the port");
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, &ov, NULL), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(size, sizeof(out));
    check_control_packet(port, 123, &ov);
    CloseHandle(port);
    closesocket(s);

    TEST("SIO_ROUTING_INTERFACE_QUERY on an IPv6 socket: the loopback address's is ::1");
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    if (s != INVALID_SOCKET) {
        struct sockaddr_in6 in6, out6;
        memset(&in6, 0, sizeof(in6));
        in6.sin6_family = AF_INET6;
        in6.sin6_addr.s6_addr[15] = 1;
        memset(&out6, 0xcc, sizeof(out6));
        size = 0xdeadbeef;
        ret = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in6, sizeof(in6), &out6, sizeof(out6), &size, NULL, NULL);
        WINE_DEVIATION("Wine answers IPv4 destinations only")
        {
            CHECK_EQ(ret, 0);
            CHECK_EQ(size, sizeof(out6));
            CHECK_EQ(out6.sin6_family, AF_INET6);
            CHECK_EQ(out6.sin6_port, 0);
            CHECK(IN6_IS_ADDR_LOOPBACK(&out6.sin6_addr));
        }
        closesocket(s);
    }
}

/* SIO_ADDRESS_LIST_SORT (Microsoft Learn, "SIO_ADDRESS_LIST_SORT Control Code"): the list's
 * entries in the order to try them, by RFC 3484's rules, the default policy table's
 * precedence among them (::1/128 above ::ffff:0:0/96). Microsoft's connectbylist sample
 * sorts its list in place this way before WSAConnectByList. */
static void test_address_list_sort(void)
{
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN6 mapped, loopback;
    char space[sizeof(SOCKET_ADDRESS_LIST) + sizeof(SOCKET_ADDRESS)];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)space;
    DWORD size, list_size = (DWORD)(FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address) + 2 * sizeof(SOCKET_ADDRESS));
    int ret;

    CHECK(s != INVALID_SOCKET);
    memset(&mapped, 0, sizeof(mapped));
    mapped.sin6_family = AF_INET6;
    mapped.sin6_port = htons(1001);
    mapped.sin6_addr.s6_addr[10] = 0xff;
    mapped.sin6_addr.s6_addr[11] = 0xff;
    mapped.sin6_addr.s6_addr[12] = 127;
    mapped.sin6_addr.s6_addr[15] = 1;
    memset(&loopback, 0, sizeof(loopback));
    loopback.sin6_family = AF_INET6;
    loopback.sin6_port = htons(1002);
    loopback.sin6_addr.s6_addr[15] = 1;
    list->iAddressCount = 2;
    list->Address[0].lpSockaddr = (LPSOCKADDR)&mapped;
    list->Address[0].iSockaddrLength = sizeof(mapped);
    list->Address[1].lpSockaddr = (LPSOCKADDR)&loopback;
    list->Address[1].iSockaddrLength = sizeof(loopback);

    TEST("SIO_ADDRESS_LIST_SORT, in place: ::1 comes before ::ffff:127.0.0.1");
    size = 0xdeadbeef;
    ret = WSAIoctl(s, SIO_ADDRESS_LIST_SORT, list, list_size, list, list_size, &size, NULL, NULL);
    WINE_DEVIATION("Wine 8.0 does not implement SIO_ADDRESS_LIST_SORT (WSAEOPNOTSUPP)") {
        CHECK_EQ(ret, 0);
        CHECK_EQ(list->iAddressCount, 2);
        CHECK(list->Address[0].lpSockaddr == (LPSOCKADDR)&loopback);
        CHECK_EQ(list->Address[0].iSockaddrLength, sizeof(loopback));
        CHECK(list->Address[1].lpSockaddr == (LPSOCKADDR)&mapped);
        CHECK_EQ(loopback.sin6_port, htons(1002)); /* the addresses themselves are untouched */
    }

    TEST("SIO_ADDRESS_LIST_SORT with an output smaller than the list: WSAEFAULT");
    WINE_DEVIATION("Wine 8.0 does not implement SIO_ADDRESS_LIST_SORT (WSAEOPNOTSUPP)") {
        CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_SORT, list, list_size, list, list_size - 1, &size, NULL, NULL),
                 SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
    closesocket(s);
}


/* Wine's sock.c test_sockopt_validity (plain ok() rows, which pass on Windows): for each
 * option of IPPROTO_IP / IPPROTO_IPV6 on a fresh TCP and UDP socket, getsockopt with a
 * 256-byte buffer either fails with the error given or succeeds, and then setsockopt of
 * what it answered succeeds. 0 means success. */
struct validity_row
{
    int option;
    int get_error;
};

static void check_validity(const char *what, int family, int type, int level, const struct validity_row *rows,
                           size_t count)
{
    SOCKET s = socket(family, type, 0);
    size_t i;
    CHECK(s != INVALID_SOCKET);
    for (i = 0; i < count; i++) {
        char value[256];
        int length = sizeof(value), ret, error;
        memset(value, 0, sizeof(value));
        WSASetLastError(0xdeadbeef);
        ret = getsockopt(s, level, rows[i].option, value, &length);
        error = WSAGetLastError();
        if (ret != (rows[i].get_error ? SOCKET_ERROR : 0) || (rows[i].get_error && error != rows[i].get_error))
            printf("  %s option %d: getsockopt %d, error %d; expected error %d\n", what, rows[i].option, ret, error,
                   rows[i].get_error);
        CHECK_EQ(ret, rows[i].get_error ? SOCKET_ERROR : 0);
        if (rows[i].get_error) {
            CHECK_EQ(error, rows[i].get_error);
            continue;
        }
        WSASetLastError(0xdeadbeef);
        ret = setsockopt(s, level, rows[i].option, value, length);
        if (ret != 0) printf("  %s option %d: setsockopt error %d\n", what, rows[i].option, WSAGetLastError());
        CHECK_EQ(ret, 0);
    }
    closesocket(s);
}

static void test_option_validity(void)
{
    static const struct validity_row ipv4_tcp[] = {
        {-1, WSAENOPROTOOPT}, {IP_OPTIONS, 0}, {IP_HDRINCL, WSAEINVAL}, {IP_TOS, 0}, {IP_TTL, 0},
        {IP_MULTICAST_IF, WSAEINVAL}, {IP_MULTICAST_TTL, WSAEINVAL}, {IP_MULTICAST_LOOP, WSAEINVAL},
        {IP_ADD_MEMBERSHIP, WSAENOPROTOOPT}, {IP_DROP_MEMBERSHIP, WSAENOPROTOOPT}, {IP_DONTFRAGMENT, 0},
        {IP_PKTINFO, WSAEINVAL}, {IP_RECVTTL, WSAEINVAL}, {IP_UNICAST_IF, 0}, {IP_RECVTOS, WSAEINVAL},
    };
    static const struct validity_row ipv4_udp[] = {
        {-1, WSAENOPROTOOPT}, {IP_OPTIONS, 0}, {IP_HDRINCL, WSAEINVAL}, {IP_TOS, 0}, {IP_TTL, 0},
        {IP_MULTICAST_IF, 0}, {IP_MULTICAST_TTL, 0}, {IP_MULTICAST_LOOP, 0},
        {IP_ADD_MEMBERSHIP, WSAENOPROTOOPT}, {IP_DROP_MEMBERSHIP, WSAENOPROTOOPT}, {IP_DONTFRAGMENT, 0},
        {IP_PKTINFO, 0}, {IP_RECVTTL, 0}, {IP_UNICAST_IF, 0}, {IP_RECVTOS, 0},
    };
    static const struct validity_row ipv6_tcp[] = {
        {-1, WSAENOPROTOOPT}, {IPV6_UNICAST_HOPS, 0}, {IPV6_MULTICAST_IF, WSAEINVAL},
        {IPV6_MULTICAST_HOPS, WSAEINVAL}, {IPV6_MULTICAST_LOOP, WSAEINVAL}, {IPV6_ADD_MEMBERSHIP, WSAENOPROTOOPT},
        {IPV6_DROP_MEMBERSHIP, WSAENOPROTOOPT}, {IPV6_DONTFRAG, 0}, {IPV6_PKTINFO, WSAEINVAL},
        {IPV6_HOPLIMIT, WSAEINVAL}, {IPV6_V6ONLY, 0}, {IPV6_UNICAST_IF, 0},
        {IPV6_RECVTCLASS, WSAEINVAL},
    };
    static const struct validity_row ipv6_udp[] = {
        {-1, WSAENOPROTOOPT}, {IPV6_UNICAST_HOPS, 0}, {IPV6_MULTICAST_IF, 0}, {IPV6_MULTICAST_HOPS, 0},
        {IPV6_MULTICAST_LOOP, 0}, {IPV6_ADD_MEMBERSHIP, WSAENOPROTOOPT}, {IPV6_DROP_MEMBERSHIP, WSAENOPROTOOPT},
        {IPV6_DONTFRAG, 0}, {IPV6_PKTINFO, 0}, {IPV6_HOPLIMIT, 0}, {IPV6_V6ONLY, 0},
        {IPV6_UNICAST_IF, 0}, {IPV6_RECVTCLASS, 0},
    };
    /* The same test's todo_wine rows (Windows' answers, Wine 8.0's differ). */
    static const struct validity_row ipv4_tcp_todo[] = {{IP_ECN, WSAEINVAL}, {IP_MTU, WSAENOTCONN}};
    static const struct validity_row ipv6_tcp_todo[] = {{IPV6_HDRINCL, WSAEINVAL}, {IPV6_ECN, WSAEINVAL},
                                                        {IPV6_MTU, WSAENOTCONN}};
    static const struct validity_row ipv6_udp_todo[] = {{IPV6_HDRINCL, WSAEINVAL}, {IPV6_MTU, WSAENOTCONN}};
    SOCKET s;
    DWORD value;
    int length;

    TEST("IPPROTO_IP options on a TCP socket: multicast, receive-information and header options are WSAEINVAL");
    check_validity("IPv4 TCP", AF_INET, SOCK_STREAM, IPPROTO_IP, ipv4_tcp, ARRAYSIZE(ipv4_tcp));
    TEST("IPPROTO_IP options on a UDP socket: only IP_HDRINCL is WSAEINVAL");
    check_validity("IPv4 UDP", AF_INET, SOCK_DGRAM, IPPROTO_IP, ipv4_udp, ARRAYSIZE(ipv4_udp));
    TEST("IPPROTO_IPV6 options on a TCP socket: multicast and receive-information options are WSAEINVAL");
    check_validity("IPv6 TCP", AF_INET6, SOCK_STREAM, IPPROTO_IPV6, ipv6_tcp, ARRAYSIZE(ipv6_tcp));
    TEST("IPPROTO_IPV6 options on a UDP socket");
    check_validity("IPv6 UDP", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, ipv6_udp, ARRAYSIZE(ipv6_udp));
    TEST("IP_ECN, IPV6_ECN, IPV6_HDRINCL: WSAEINVAL where they do not apply; IP_MTU, IPV6_MTU unconnected: WSAENOTCONN");
    WINE_DEVIATION("Wine 8.0 answers WSAENOPROTOOPT for these options (todo_wine in test_sockopt_validity)")
    {
        check_validity("IPv4 TCP", AF_INET, SOCK_STREAM, IPPROTO_IP, ipv4_tcp_todo, ARRAYSIZE(ipv4_tcp_todo));
        check_validity("IPv6 TCP", AF_INET6, SOCK_STREAM, IPPROTO_IPV6, ipv6_tcp_todo, ARRAYSIZE(ipv6_tcp_todo));
        check_validity("IPv6 UDP", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, ipv6_udp_todo, ARRAYSIZE(ipv6_udp_todo));
    }

    /* Wine's sock.c test_set_getsockopt (Vista and later): IP_HDRINCL belongs to raw
     * sockets; setting it, on or off, on a TCP or UDP socket fails with WSAEINVAL, and so
     * does reading it, which leaves the value untouched. */
    TEST("IP_HDRINCL on TCP and UDP sockets: set (1 and 0) and get fail with WSAEINVAL");
    {
        static const int types[] = {SOCK_STREAM, SOCK_DGRAM};
        size_t t;
        for (t = 0; t < ARRAYSIZE(types); t++) {
            int k = 1, size = sizeof(k);
            s = socket(AF_INET, types[t], 0);
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&k, size), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            k = 0;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&k, size), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            k = 99;
            WSASetLastError(0xdeadbeef);
            CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_HDRINCL, (char *)&k, &size), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            CHECK_EQ(k, 99);
            closesocket(s);
        }
    }

    TEST("getsockopt on a file handle: WSAENOTSOCK");
    {
        char path[MAX_PATH], buffer[16];
        HANDLE file;
        GetTempPathA(sizeof(path), path);
        lstrcatA(path, "dfsock6-option-validity.tmp");
        file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
        CHECK(file != INVALID_HANDLE_VALUE);
        length = sizeof(buffer);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getsockopt((SOCKET)file, SOL_SOCKET, SO_TYPE, buffer, &length), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
        length = sizeof(buffer);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getsockopt((SOCKET)file, SOL_SOCKET, -1, buffer, &length), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
        CloseHandle(file);
    }

    /* Wine's sock.c test_set_getsockopt: off at first on a UDP socket, on (Vista and
     * later) on a TCP one; any non-zero value reads back as 1. IPPROTO_IPV6's
     * IPV6_DONTFRAG (the same number) the same on an IPv6 socket. */
    TEST("IP_DONTFRAGMENT and IPV6_DONTFRAG: on at first for TCP, off for UDP; 0xdead reads back as 1");
    {
        static const int families[] = {AF_INET, AF_INET6};
        size_t f;
        for (f = 0; f < ARRAYSIZE(families); f++) {
            int level = families[f] == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
            s = socket(families[f], SOCK_DGRAM, 0);
            value = 0xdead;
            length = sizeof(value);
            CHECK_EQ(getsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, &length), 0);
            CHECK_EQ(value, 0);
            value = 0xdead;
            CHECK_EQ(setsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, sizeof(value)), 0);
            value = 0xbeef;
            length = sizeof(value);
            CHECK_EQ(getsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, &length), 0);
            CHECK_EQ(value, 1);
            closesocket(s);
            s = socket(families[f], SOCK_STREAM, 0);
            value = 0xdead;
            length = sizeof(value);
            CHECK_EQ(getsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, &length), 0);
            CHECK_EQ(value, 1);
            value = 0;
            CHECK_EQ(setsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, sizeof(value)), 0);
            value = 0xdead;
            length = sizeof(value);
            CHECK_EQ(getsockopt(s, level, IP_DONTFRAGMENT, (char *)&value, &length), 0);
            CHECK_EQ(value, 0);
            closesocket(s);
        }
    }

    TEST("IP_DONTFRAGMENT: off at first; set to TRUE reads back TRUE, then FALSE again");
    s = socket(AF_INET, SOCK_DGRAM, 0);
    value = 0xdeadbeef;
    length = sizeof(value);
    CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_DONTFRAGMENT, (char *)&value, &length), 0);
    CHECK_EQ(value, 0);
    CHECK_EQ(length, sizeof(value));
    value = 1;
    CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_DONTFRAGMENT, (char *)&value, sizeof(value)), 0);
    value = 0xdeadbeef;
    length = sizeof(value);
    CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_DONTFRAGMENT, (char *)&value, &length), 0);
    CHECK_EQ(value, 1);
    value = 0;
    CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_DONTFRAGMENT, (char *)&value, sizeof(value)), 0);
    value = 0xdeadbeef;
    length = sizeof(value);
    CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_DONTFRAGMENT, (char *)&value, &length), 0);
    CHECK_EQ(value, 0);
    closesocket(s);

    /* Microsoft Learn, IPPROTO_IP socket options: IP_UNICAST_IF takes the interface index
     * in network byte order; IPPROTO_IPV6 socket options: IPV6_UNICAST_IF in host byte
     * order. 0 (no interface) at first. */
    TEST("IP_UNICAST_IF and IPV6_UNICAST_IF: 0 at first; the index set reads back as set");
    {
        DWORD index = 1; /* the loopback interface on both systems */
        s = socket(AF_INET, SOCK_DGRAM, 0);
        value = 0xdeadbeef;
        length = sizeof(value);
        CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_UNICAST_IF, (char *)&value, &length), 0);
        CHECK_EQ(value, 0);
        value = htonl(index);
        CHECK_EQ(setsockopt(s, IPPROTO_IP, IP_UNICAST_IF, (char *)&value, sizeof(value)), 0);
        value = 0xdeadbeef;
        length = sizeof(value);
        CHECK_EQ(getsockopt(s, IPPROTO_IP, IP_UNICAST_IF, (char *)&value, &length), 0);
        CHECK_EQ(value, htonl(index));
        closesocket(s);
        s = socket(AF_INET6, SOCK_DGRAM, 0);
        value = 0xdeadbeef;
        length = sizeof(value);
        CHECK_EQ(getsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_IF, (char *)&value, &length), 0);
        CHECK_EQ(value, 0);
        WINE_DEVIATION("Wine 8.0 hands IPV6_UNICAST_IF's host-order index to Linux, which reads network order")
        {
            value = index;
            CHECK_EQ(setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_IF, (char *)&value, sizeof(value)), 0);
            value = 0xdeadbeef;
            length = sizeof(value);
            CHECK_EQ(getsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_IF, (char *)&value, &length), 0);
            CHECK_EQ(value, index);
        }
        closesocket(s);
    }
}

int main(void)
{
    startup();
    test_address_list_sort();
    test_sockaddr_in6_layout();
    test_v6only();
    test_loopback6();
    test_reuseaddr();
    test_exclusiveaddruse();
    test_constants();
    test_struct_layouts();
    test_keepalive_vals();
    test_port_policy_options();
    test_unknown_ioctls();
    test_address_queries();
    test_routing_interface_query();
    test_option_validity();
    WSACleanup();
    return tl_finish();
}
