/* test_socket_names.c: name and address conversion, local names only (no DNS).
 *
 * Covers: getaddrinfo/freeaddrinfo (numeric hosts, "localhost", AI_PASSIVE with a NULL
 * host, the loopback default, AI_NUMERICHOST, service names and numeric ports, family and
 * type filters, errors returned as WSA codes and set as the last error); GetAddrInfoW /
 * FreeAddrInfoW; GetAddrInfoExW (synchronous); getnameinfo and GetNameInfoW;
 * gethostbyname; gethostname; inet_addr; inet_ntoa; inet_pton/inet_ntop,
 * InetPtonA/W and InetNtopA/W; WSAStringToAddressA/W; WSAAddressToStringA/W; byte order.
 *
 * Every fact is sourced in docs/research/windows-sockets-udp-names.md; checks Wine gets
 * wrong are listed in tests/win32/WINE_DEVIATIONS_sockets_udp.md. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <wspiapi.h>
#include "testlib.h"


#define U_STATUS_INVALID_PARAMETER 0xC000000Du

static void startup(void)
{
    WSADATA data;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static const SOCKADDR_IN *as_in(const ADDRINFOA *ai)
{
    return (const SOCKADDR_IN *)ai->ai_addr;
}

static const SOCKADDR_IN6 *as_in6(const ADDRINFOA *ai)
{
    return (const SOCKADDR_IN6 *)ai->ai_addr;
}

static int is_any6(const IN6_ADDR *a)
{
    static const unsigned char zero[16];
    return memcmp(a, zero, 16) == 0;
}

static int is_loop6(const IN6_ADDR *a)
{
    static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return memcmp(a, one, 16) == 0;
}

/* ------------------------------------------------------------------------------------ */

static void test_getaddrinfo_numeric(void)
{
    ADDRINFOA hints, *res, *p;
    int ret;

    TEST("getaddrinfo: a numeric IPv4 host gives one AF_INET entry per socket type asked for");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    res = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("192.0.2.7", "5353", &hints, &res);
    CHECK_EQ(ret, 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK(res != NULL && res != (ADDRINFOA *)0xdeadbeef);
    if (ret == 0) {
        CHECK_EQ(res->ai_family, AF_INET);
        CHECK_EQ(res->ai_socktype, SOCK_DGRAM);
        CHECK_EQ(res->ai_protocol, IPPROTO_UDP);
        CHECK_EQ(res->ai_addrlen, sizeof(SOCKADDR_IN));
        CHECK_EQ(as_in(res)->sin_family, AF_INET);
        CHECK_EQ(as_in(res)->sin_port, htons(5353));
        CHECK_EQ(as_in(res)->sin_addr.s_addr, htonl(0xc0000207));
        CHECK(res->ai_canonname == NULL);
        CHECK(res->ai_next == NULL);
        freeaddrinfo(res);
    }

    TEST("getaddrinfo: a numeric IPv6 host, with and without brackets");
    {
        const char *names[3] = {"2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:10239"};
        static const unsigned char want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        int i;
        for (i = 0; i < 3; i++) {
            res = NULL;
            ret = getaddrinfo(names[i], NULL, NULL, &res);
            CHECK_EQ(ret, 0);
            if (ret == 0) {
                CHECK_EQ(res->ai_family, AF_INET6);
                CHECK_EQ(res->ai_addrlen, sizeof(SOCKADDR_IN6));
                CHECK(memcmp(&as_in6(res)->sin6_addr, want, 16) == 0);
                CHECK_EQ(as_in6(res)->sin6_port, 0);
                freeaddrinfo(res);
            }
        }
    }

    TEST("getaddrinfo: AI_NUMERICHOST with a numeric address works");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_INET6;
    res = NULL;
    ret = getaddrinfo("[beef::cafe]", NULL, &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0)
        freeaddrinfo(res);

    TEST("getaddrinfo: AI_NUMERICHOST with a name fails with WSAHOST_NOT_FOUND, result NULL");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    res = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("localhost", "80", &hints, &res);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ(ret, EAI_NONAME);
    CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(res == NULL);

    TEST("getaddrinfo: AI_NUMERICHOST with \"a.b.c.d:port\" or unmatched brackets fails");
    res = NULL;
    CHECK_EQ(getaddrinfo("192.168.1.253:1024", NULL, &hints, &res), WSAHOST_NOT_FOUND);
    CHECK(res == NULL);
    CHECK_EQ(getaddrinfo("[beef::cafe", NULL, &hints, &res), WSAHOST_NOT_FOUND);
    CHECK_EQ(getaddrinfo("beef::cafe]", NULL, &hints, &res), WSAHOST_NOT_FOUND);

    TEST("getaddrinfo: an IPv6 literal with ai_family AF_INET fails with WSAHOST_NOT_FOUND");
    hints.ai_family = AF_INET;
    CHECK_EQ(getaddrinfo("[beef::cafe]", NULL, &hints, &res), WSAHOST_NOT_FOUND);

    TEST("getaddrinfo: NULL host and NULL service fail with WSAHOST_NOT_FOUND, result NULL");
    res = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo(NULL, NULL, NULL, &res);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(res == NULL);

    TEST("getaddrinfo: AI_PASSIVE with a NULL host gives the wildcard addresses");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    res = NULL;
    ret = getaddrinfo(NULL, "8080", &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0) {
        CHECK_EQ(res->ai_family, AF_INET);
        CHECK_EQ(as_in(res)->sin_addr.s_addr, htonl(INADDR_ANY));
        CHECK_EQ(as_in(res)->sin_port, htons(8080));
        CHECK_EQ(res->ai_socktype, SOCK_STREAM);
        freeaddrinfo(res);
    }
    hints.ai_family = AF_INET6;
    res = NULL;
    ret = getaddrinfo(NULL, "8080", &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0) {
        CHECK_EQ(res->ai_family, AF_INET6);
        CHECK(is_any6(&as_in6(res)->sin6_addr));
        CHECK_EQ(as_in6(res)->sin6_port, htons(8080));
        freeaddrinfo(res);
    }

    TEST("getaddrinfo: without AI_PASSIVE a NULL host gives the loopback addresses");
    hints.ai_flags = 0;
    hints.ai_family = AF_INET;
    res = NULL;
    ret = getaddrinfo(NULL, "8080", &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0) {
        CHECK_EQ(as_in(res)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        freeaddrinfo(res);
    }
    hints.ai_family = AF_INET6;
    res = NULL;
    ret = getaddrinfo(NULL, "8080", &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0) {
        CHECK(is_loop6(&as_in6(res)->sin6_addr));
        freeaddrinfo(res);
    }

    TEST("getaddrinfo: socket types and protocols are copied from the hints");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    res = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", NULL, &hints, &res), 0);
    for (p = res; p != NULL; p = p->ai_next) {
        CHECK_EQ(p->ai_socktype, SOCK_STREAM);
        CHECK_EQ(p->ai_protocol, IPPROTO_TCP);
    }
    freeaddrinfo(res);

    TEST("getaddrinfo: an unsupported socket type fails with WSAESOCKTNOSUPPORT");
    hints.ai_socktype = 999;
    hints.ai_protocol = IPPROTO_TCP;
    WSASetLastError(0xdeadbeef);
    res = NULL;
    ret = getaddrinfo("127.0.0.1", NULL, &hints, &res);
    CHECK_EQ(ret, WSAESOCKTNOSUPPORT);
    CHECK_EQ(ret, EAI_SOCKTYPE);
    CHECK_EQ(WSAGetLastError(), WSAESOCKTNOSUPPORT);

    TEST("getaddrinfo: an unsupported family fails with WSAEAFNOSUPPORT");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = 999;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("127.0.0.1", NULL, &hints, &res);
    CHECK_EQ(ret, WSAEAFNOSUPPORT);
    CHECK_EQ(ret, EAI_FAMILY);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_getaddrinfo_names(void)
{
    ADDRINFOA hints, *res, *p;
    int ret, n;

    TEST("getaddrinfo: \"localhost\" with AF_INET gives 127.0.0.1 only");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    res = NULL;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("localhost", "53", &hints, &res);
    CHECK_EQ(ret, 0);
    CHECK_EQ(WSAGetLastError(), 0);
    n = 0;
    for (p = res; p != NULL; p = p->ai_next, n++) {
        CHECK_EQ(p->ai_family, AF_INET);
        CHECK_EQ(as_in(p)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(as_in(p)->sin_port, htons(53));
        CHECK_EQ(p->ai_socktype, SOCK_DGRAM);
    }
    CHECK(n >= 1);
    freeaddrinfo(res);

    TEST("getaddrinfo: \"localhost\" with AF_UNSPEC gives only loopback addresses");
    memset(&hints, 0, sizeof(hints));
    res = NULL;
    ret = getaddrinfo("localhost", NULL, &hints, &res);
    CHECK_EQ(ret, 0);
    n = 0;
    for (p = res; p != NULL; p = p->ai_next, n++) {
        if (p->ai_family == AF_INET)
            CHECK_EQ(ntohl(as_in(p)->sin_addr.s_addr) >> 24, 127);
        else
            CHECK(p->ai_family == AF_INET6 && is_loop6(&as_in6(p)->sin6_addr));
    }
    CHECK(n >= 1);
    freeaddrinfo(res);

    TEST("getaddrinfo: service names and numeric ports");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    res = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "http", &hints, &res), 0);
    if (res != NULL)
        CHECK_EQ(as_in(res)->sin_port, htons(80));
    freeaddrinfo(res);
    res = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "65535", &hints, &res), 0);
    if (res != NULL)
        CHECK_EQ(as_in(res)->sin_port, htons(65535));
    freeaddrinfo(res);
    res = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "0", &hints, &res), 0);
    if (res != NULL)
        CHECK_EQ(as_in(res)->sin_port, 0);
    freeaddrinfo(res);

    TEST("getaddrinfo: an unknown service fails with WSATYPE_NOT_FOUND");
    memset(&hints, 0, sizeof(hints));
    res = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo(NULL, "nonexistentservice", &hints, &res);
    CHECK_EQ(ret, WSATYPE_NOT_FOUND);
    CHECK_EQ(ret, EAI_SERVICE);
    CHECK_EQ(WSAGetLastError(), WSATYPE_NOT_FOUND);

    TEST("getaddrinfo: AF_UNSPEC, no type: each entry's family is AF_INET or AF_INET6");
    res = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "7", NULL, &res), 0);
    for (p = res; p != NULL; p = p->ai_next) {
        CHECK_EQ(p->ai_family, AF_INET);
        CHECK_EQ(as_in(p)->sin_port, htons(7));
        CHECK(p->ai_addr != NULL);
    }
    freeaddrinfo(res);

    TEST("freeaddrinfo(NULL) is harmless");
    freeaddrinfo(NULL);
    CHECK(1);
}

static void test_getaddrinfow(void)
{
    ADDRINFOW hints, *res;
    int ret;

    TEST("GetAddrInfoW: numeric host and port");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    res = NULL;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoW(L"127.0.0.1", L"9000", &hints, &res);
    CHECK_EQ(ret, 0);
    CHECK_EQ(WSAGetLastError(), 0);
    if (ret == 0) {
        CHECK_EQ(res->ai_family, AF_INET);
        CHECK_EQ(res->ai_addrlen, sizeof(SOCKADDR_IN));
        CHECK_EQ(((SOCKADDR_IN *)res->ai_addr)->sin_port, htons(9000));
        CHECK_EQ(((SOCKADDR_IN *)res->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        FreeAddrInfoW(res);
    }

    TEST("GetAddrInfoW: \"localhost\" resolves");
    res = NULL;
    ret = GetAddrInfoW(L"localhost", L"80", &hints, &res);
    CHECK_EQ(ret, 0);
    if (ret == 0) {
        CHECK_EQ(((SOCKADDR_IN *)res->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        FreeAddrInfoW(res);
    }

    TEST("GetAddrInfoW: NULL host and service fail with WSAHOST_NOT_FOUND, result NULL");
    res = (ADDRINFOW *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoW(NULL, NULL, NULL, &res);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(res == NULL);

    TEST("GetAddrInfoW: AI_NUMERICHOST with a name fails with WSAHOST_NOT_FOUND");
    hints.ai_flags = AI_NUMERICHOST;
    res = (ADDRINFOW *)0xdeadbeef;
    ret = GetAddrInfoW(L"localhost", NULL, &hints, &res);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK(res == NULL);

    TEST("GetAddrInfoExW (synchronous): numeric host, then NULL host and service");
    {
        ADDRINFOEXW hx, *rx = NULL;
        memset(&hx, 0, sizeof(hx));
        hx.ai_family = AF_INET;
        hx.ai_socktype = SOCK_STREAM;
        WSASetLastError(0xdeadbeef);
        ret = GetAddrInfoExW(L"127.0.0.1", L"443", NS_DNS, NULL, &hx, &rx, NULL, NULL, NULL, NULL);
        CHECK_EQ(ret, 0);
        CHECK_EQ(WSAGetLastError(), 0);
        if (ret == 0 && rx != NULL) {
            CHECK_EQ(rx->ai_family, AF_INET);
            CHECK_EQ(rx->ai_addrlen, sizeof(SOCKADDR_IN));
            CHECK_EQ(((SOCKADDR_IN *)rx->ai_addr)->sin_port, htons(443));
            CHECK_EQ(((SOCKADDR_IN *)rx->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
            CHECK(rx->ai_blob == NULL);
            CHECK_EQ(rx->ai_bloblen, 0);
            FreeAddrInfoExW(rx);
        }
        rx = (ADDRINFOEXW *)0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        ret = GetAddrInfoExW(NULL, NULL, NS_DNS, NULL, NULL, &rx, NULL, NULL, NULL, NULL);
        CHECK_EQ(ret, WSAHOST_NOT_FOUND);
        CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
        CHECK(rx == NULL);
        rx = NULL;
        ret = GetAddrInfoExW(L"localhost", NULL, NS_DNS, NULL, NULL, &rx, NULL, NULL, NULL, NULL);
        CHECK_EQ(ret, 0);
        if (ret == 0)
            FreeAddrInfoExW(rx);
    }
}

static void test_getnameinfo(void)
{
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    WCHAR hostw[NI_MAXHOST], servw[NI_MAXSERV];
    IN6_ADDR lo6 = IN6ADDR_LOOPBACK_INIT;
    int ret;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons(80);

    TEST("getnameinfo: NI_NUMERICHOST | NI_NUMERICSERV on 127.0.0.1:80");
    memset(host, 0xcc, sizeof(host));
    memset(serv, 0xcc, sizeof(serv));
    WSASetLastError(0xdeadbeef);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(host, "127.0.0.1") == 0);
    CHECK(strcmp(serv, "80") == 0);

    TEST("getnameinfo: without NI_NUMERICSERV port 80 is \"http\"; an unknown port stays numeric");
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(serv, "http") == 0);
    sin.sin_port = htons(47813);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(serv, "47813") == 0);
    sin.sin_port = htons(80);

    TEST("getnameinfo: IPv6 ::1 port 8080, numeric");
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = lo6;
    sin6.sin6_port = htons(8080);
    ret = getnameinfo((SOCKADDR *)&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(host, "::1") == 0);
    CHECK(strcmp(serv, "8080") == 0);

    TEST("getnameinfo: host and service both NULL fail with WSAHOST_NOT_FOUND (EAI_NONAME)");
    WSASetLastError(0xdeadbeef);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), NULL, 0, NULL, 0, NI_NUMERICHOST);
    WINE_DEVIATION("getnameinfo with neither host nor service buffer succeeds under Wine")
    {
        CHECK_EQ(ret, WSAHOST_NOT_FOUND);
        CHECK_EQ(ret, EAI_NONAME);
        CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    }

    TEST("getnameinfo: a host buffer of length 0 fails with WSAEINVAL (EAI_BADFLAGS)");
    WSASetLastError(0xdeadbeef);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, 0, NULL, 0, NI_NUMERICHOST);
    WINE_DEVIATION("getnameinfo with a zero-length host buffer succeeds under Wine")
    {
        CHECK_EQ(ret, WSAEINVAL);
        CHECK_EQ(ret, EAI_BADFLAGS);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    }

    TEST("getnameinfo: a host buffer too small fails with a documented WSA code, also the last error");
    WSASetLastError(0xdeadbeef);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin), host, 4, NULL, 0, NI_NUMERICHOST);
    CHECK(ret != 0);
    WINE_DEVIATION("getnameinfo passes Linux's EAI_OVERFLOW (-12) through and leaves the last error alone")
    {
        CHECK(ret == WSAEFAULT || ret == WSAEINVAL || ret == WSAHOST_NOT_FOUND || ret == WSANO_RECOVERY ||
              ret == WSATRY_AGAIN || ret == WSAEAFNOSUPPORT || ret == WSA_NOT_ENOUGH_MEMORY);
        CHECK_EQ(WSAGetLastError(), ret);
    }

    TEST("getnameinfo: a too-short sockaddr length fails with WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    ret = getnameinfo((SOCKADDR *)&sin, sizeof(sin) - 1, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    CHECK(ret != 0);
    WINE_DEVIATION("getnameinfo with a too-short sockaddr length fails with WSAEAFNOSUPPORT under Wine")
    {
        CHECK_EQ(ret, WSAEFAULT);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
    ret = getnameinfo((SOCKADDR *)&sin6, sizeof(SOCKADDR_IN), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    CHECK(ret != 0);
    WINE_DEVIATION("getnameinfo with a too-short sockaddr length fails with WSAEAFNOSUPPORT under Wine")
    {
        CHECK_EQ(ret, WSAEFAULT);
    }

    TEST("getnameinfo: an unsupported family fails with WSAEAFNOSUPPORT (EAI_FAMILY)");
    {
        SOCKADDR_IN bad = sin;
        bad.sin_family = 99;
        WSASetLastError(0xdeadbeef);
        ret = getnameinfo((SOCKADDR *)&bad, sizeof(bad), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
        CHECK_EQ(ret, WSAEAFNOSUPPORT);
        CHECK_EQ(ret, EAI_FAMILY);
        WINE_DEVIATION("getnameinfo does not set the last error under Wine")
        {
            CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
        }
    }

    TEST("GetNameInfoW: numeric host and service as UTF-16");
    memset(hostw, 0xcc, sizeof(hostw));
    memset(servw, 0xcc, sizeof(servw));
    ret = GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), hostw, NI_MAXHOST, servw, NI_MAXSERV,
                       NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(lstrcmpW(hostw, L"127.0.0.1") == 0);
    CHECK(lstrcmpW(servw, L"80") == 0);
    ret = GetNameInfoW((SOCKADDR *)&sin6, sizeof(sin6), hostw, NI_MAXHOST, NULL, 0, NI_NUMERICHOST);
    CHECK_EQ(ret, 0);
    CHECK(lstrcmpW(hostw, L"::1") == 0);
    WSASetLastError(0xdeadbeef);
    ret = GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), NULL, 0, NULL, 0, 0);
    WINE_DEVIATION("GetNameInfoW with neither host nor service buffer succeeds under Wine")
    {
        CHECK_EQ(ret, WSAHOST_NOT_FOUND);
        CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    }
}

static void test_hostbyname(void)
{
    struct hostent *he;
    char name[256];
    int len;

    TEST("gethostbyname(\"localhost\"): AF_INET, 4 bytes, 127.0.0.1 first");
    he = gethostbyname("localhost");
    CHECK(he != NULL);
    if (he != NULL) {
        CHECK_EQ(he->h_addrtype, AF_INET);
        CHECK_EQ(he->h_length, 4);
        CHECK(he->h_addr_list[0] != NULL);
        if (he->h_addr_list[0] != NULL)
            CHECK(memcmp(he->h_addr_list[0], "\x7f\x00\x00\x01", 4) == 0);
    }

    TEST("gethostbyname(\"127.0.0.2\"): the literal comes back as name and address");
    he = gethostbyname("127.0.0.2");
    CHECK(he != NULL);
    if (he != NULL) {
        CHECK(strcmp(he->h_name, "127.0.0.2") == 0);
        CHECK_EQ(he->h_addrtype, AF_INET);
        CHECK(memcmp(he->h_addr_list[0], "\x7f\x00\x00\x02", 4) == 0);
        CHECK(he->h_addr_list[1] == NULL);
    }

    TEST("gethostbyname(\"::1\"): an IPv6 literal fails with WSANO_DATA");
    WSASetLastError(0xdeadbeef);
    he = gethostbyname("::1");
    CHECK(he == NULL);
    WINE_DEVIATION("gethostbyname on an IPv6 literal fails with WSAHOST_NOT_FOUND under Wine, Windows WSANO_DATA")
    {
        CHECK_EQ(WSAGetLastError(), WSANO_DATA);
    }

    TEST("gethostname: NULL buffer fails with WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(gethostname(NULL, 256), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("gethostname: the name fits; a buffer of exactly strlen fails and is left alone");
    memset(name, 0, sizeof(name));
    CHECK_EQ(gethostname(name, sizeof(name)), 0);
    len = (int)strlen(name);
    CHECK(len > 0);
    strcpy(name, "deadbeef");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(gethostname(name, len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK(strcmp(name, "deadbeef") == 0);
    CHECK_EQ(gethostname(name, len + 1), 0);
    CHECK_EQ((int)strlen(name), len);
}

static void test_inet_addr_ntoa(void)
{
    static const struct {
        const char *s;
        ULONG value; /* network order, as stored */
    } cases[] = {
        {"1.2.3.4", 0x04030201}, {"0.0.0.0", 0x00000000}, {"127.127.127.255", 0xff7f7f7f},
        {"1.2.3", 0x03000201}, {"1.2", 0x02000001}, {"1", 0x01000000},
        {"0xa1a2b3b4 ", 0xb4b3a2a1}, {"1.2.3.0xaA", 0xaa030201}, {"0777", 0xff010000}, {"017700000001", 0x0100007f}, {"3.4.5.6 ", 0x06050403},
        {"", 0xffffffff}, {"127.127.127.256", 0xffffffff}, {"a", 0xffffffff},
        {"3.4.5.6.7", 0xffffffff}, {" 3.4.5.6", 0xffffffff}, {"::1", 0xffffffff},
        {"127.127.127.255:123", 0xffffffff}, {"255.255.255.255", 0xffffffff},
    };
    unsigned int i;
    IN_ADDR in;
    char *s;

    TEST("inet_addr: valid strings (including the classic short forms) and invalid ones");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ULONG got;
        WSASetLastError(0xdeadbeef);
        got = inet_addr(cases[i].s);
        if (got != cases[i].value)
            printf("   inet_addr(\"%s\") = 0x%08lx\n", cases[i].s, (unsigned long)got);
        CHECK_EQ(got, cases[i].value);
        CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
    }
    CHECK_EQ(inet_addr("bogus"), INADDR_NONE);

    TEST("inet_ntoa: dotted decimal, in a per-thread buffer");
    in.s_addr = htonl(0x0a000001);
    s = inet_ntoa(in);
    CHECK(s != NULL && strcmp(s, "10.0.0.1") == 0);
    in.s_addr = 0x20201015;
    s = inet_ntoa(in);
    CHECK(s != NULL && strcmp(s, "21.16.32.32") == 0);
    in.s_addr = 0xffffffff;
    CHECK(strcmp(inet_ntoa(in), "255.255.255.255") == 0);
}

static void test_pton_ntop(void)
{
    unsigned char buf[16];
    char text[64];
    WCHAR textw[64];
    const char *p;
    const WCHAR *pw;
    int ret;

    TEST("inet_pton AF_INET: valid gives 1; invalid gives 0 without touching the last error");
    memset(buf, 0xab, sizeof(buf));
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_INET, "192.0.2.33", buf), 1);
    CHECK(memcmp(buf, "\xc0\x00\x02\x21", 4) == 0);
    CHECK_EQ(buf[4], 0xab);
    CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
    CHECK_EQ(inet_pton(AF_INET, "1.2.3", buf), 0);
    CHECK_EQ(inet_pton(AF_INET, "1.1.1.0xaA", buf), 0);
    CHECK_EQ(inet_pton(AF_INET, "1.1.1.010", buf), 0);
    CHECK_EQ(inet_pton(AF_INET, "127.127.127.256", buf), 0);
    CHECK_EQ(inet_pton(AF_INET, "::1", buf), 0);
    CHECK_EQ(inet_pton(AF_INET, "", buf), 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);

    TEST("inet_pton AF_INET6: full, compressed, embedded IPv4; invalid forms give 0");
    memset(buf, 0xab, sizeof(buf));
    CHECK_EQ(inet_pton(AF_INET6, "2001:db8:85a3::8a2e:370:7334", buf), 1);
    CHECK(memcmp(buf, "\x20\x01\x0d\xb8\x85\xa3\x00\x00\x00\x00\x8a\x2e\x03\x70\x73\x34", 16) == 0);
    CHECK_EQ(inet_pton(AF_INET6, "::", buf), 1);
    CHECK(is_any6((IN6_ADDR *)buf));
    CHECK_EQ(inet_pton(AF_INET6, "0:0:0:0:0:FFFF:129.144.52.38", buf), 1);
    CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x81\x90\x34\x26", 16) == 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_INET6, "1::2::3", buf), 0);
    CHECK_EQ(inet_pton(AF_INET6, "[::]", buf), 0);
    CHECK_EQ(inet_pton(AF_INET6, "12345::6:7:8", buf), 0);
    CHECK_EQ(inet_pton(AF_INET6, "1.2.3.4", buf), 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);

    TEST("inet_pton: a bad family fails with -1 and WSAEAFNOSUPPORT; a NULL string with WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_UNSPEC, "127.0.0.1", buf), -1);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_INET, NULL, buf), -1);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("InetPtonA is inet_pton; InetPtonW sets WSAEINVAL on invalid input");
    CHECK_EQ(InetPtonA(AF_INET, "10.1.2.3", buf), 1);
    CHECK(memcmp(buf, "\x0a\x01\x02\x03", 4) == 0);
    memset(buf, 0xab, sizeof(buf));
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(InetPtonW(AF_INET6, L"fe80::1", buf), 1);
    CHECK(memcmp(buf, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16) == 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(InetPtonW(AF_INET, L"1.2.3", buf), 0);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(InetPtonW(AF_UNSPEC, NULL, buf), -1);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("inet_ntop AF_INET: dotted decimal; the exact size fits, one less fails");
    memcpy(buf, "\x15\x10\x20\x20", 4);
    memset(text, 0xcc, sizeof(text));
    p = inet_ntop(AF_INET, buf, text, sizeof(text));
    CHECK(p == text);
    CHECK(strcmp(text, "21.16.32.32") == 0);
    p = inet_ntop(AF_INET, buf, text, 12);
    CHECK(p == text);
    WSASetLastError(0);
    p = inet_ntop(AF_INET, buf, text, 6);
    CHECK(p == NULL);
    CHECK_EQ((DWORD)WSAGetLastError(), U_STATUS_INVALID_PARAMETER);

    TEST("inet_ntop: NULL buffer or size 0 fails with STATUS_INVALID_PARAMETER as the last error");
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, buf, NULL, 16) == NULL);
    CHECK_EQ((DWORD)WSAGetLastError(), U_STATUS_INVALID_PARAMETER);
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, buf, text, 0) == NULL);
    CHECK_EQ((DWORD)WSAGetLastError(), U_STATUS_INVALID_PARAMETER);

    TEST("inet_ntop: a bad family fails with WSAEAFNOSUPPORT");
    WSASetLastError(0xdeadbeef);
    CHECK(inet_ntop(1, buf, text, sizeof(text)) == NULL);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);

    TEST("inet_ntop AF_INET6: zero compression, embedded IPv4, sizes");
    {
        static const unsigned char a2[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74};
        static const unsigned char a3[16] = {0x20, 0x30, 0xa4, 0xb1};
        static const unsigned char a4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0x98, 0xbd, 0x74};
        static const unsigned char a5[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
        CHECK(inet_ntop(AF_INET6, a2, text, sizeof(text)) == text);
        CHECK(strcmp(text, "::fffe:cc98:bd74") == 0);
        CHECK(inet_ntop(AF_INET6, a3, text, sizeof(text)) == text);
        CHECK(strcmp(text, "2030:a4b1::") == 0);
        CHECK(inet_ntop(AF_INET6, a4, text, sizeof(text)) == text);
        CHECK(strcmp(text, "::204.152.189.116") == 0);
        CHECK(inet_ntop(AF_INET6, a5, text, sizeof(text)) == text);
        CHECK(strcmp(text, "::ffff:127.0.0.1") == 0);
        WSASetLastError(0);
        CHECK(inet_ntop(AF_INET6, a2, text, 16) == NULL);
        CHECK_EQ((DWORD)WSAGetLastError(), U_STATUS_INVALID_PARAMETER);
        CHECK(inet_ntop(AF_INET6, a2, text, 18) == text);
        CHECK(strcmp(text, "::fffe:cc98:bd74") == 0);
    }

    TEST("InetNtopA is inet_ntop; InetNtopW writes UTF-16");
    memcpy(buf, "\x7f\x00\x00\x01", 4);
    CHECK(InetNtopA(AF_INET, buf, text, sizeof(text)) == text);
    CHECK(strcmp(text, "127.0.0.1") == 0);
    pw = InetNtopW(AF_INET, buf, textw, 64);
    CHECK(pw == textw);
    CHECK(lstrcmpW(textw, L"127.0.0.1") == 0);
    {
        IN6_ADDR lo6 = IN6ADDR_LOOPBACK_INIT;
        CHECK(InetNtopW(AF_INET6, &lo6, textw, 64) == textw);
        CHECK(lstrcmpW(textw, L"::1") == 0);
    }
    WSASetLastError(0xdeadbeef);
    CHECK(InetNtopW(1, buf, textw, 64) == NULL);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    (void)ret;
}

static void test_string_to_address(void)
{
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    int len, ret;
    char s[64];

    TEST("WSAStringToAddressA: length 0 fails with WSAEFAULT and reports the size needed");
    len = 0;
    strcpy(s, "127.0.0.1");
    WSASetLastError(0);
    ret = WSAStringToAddressA(s, AF_INET, NULL, (SOCKADDR *)&sin, &len);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK(len >= (int)sizeof(SOCKADDR_IN));

    TEST("WSAStringToAddressA: IPv4 without and with a port; the length is set to 16");
    memset(&sin, 0xab, sizeof(sin));
    len = sizeof(sin) + 10;
    WSASetLastError(0xdeadbeef);
    ret = WSAStringToAddressA(s, AF_INET, NULL, (SOCKADDR *)&sin, &len);
    CHECK_EQ(ret, 0);
    CHECK_EQ(len, sizeof(SOCKADDR_IN));
    CHECK_EQ(sin.sin_family, AF_INET);
    CHECK_EQ(sin.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(sin.sin_port, 0);
    strcpy(s, "10.0.0.1:8080");
    memset(&sin, 0xab, sizeof(sin));
    len = sizeof(sin);
    CHECK_EQ(WSAStringToAddressA(s, AF_INET, NULL, (SOCKADDR *)&sin, &len), 0);
    CHECK_EQ(sin.sin_addr.s_addr, htonl(0x0a000001));
    CHECK_EQ(sin.sin_port, htons(8080));

    TEST("WSAStringToAddressA: IPv4 errors give WSAEINVAL, family 0, the length unchanged");
    {
        const char *bad[] = {"", "127.127.127.127:", "127.127.127.127:0", "127.127.127.127:65537",
                             "255.255.255.256", "::1", " 3.4.5.6", "1.2.3."};
        unsigned int i;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            strcpy(s, bad[i]);
            memset(&sin, 0xab, sizeof(sin));
            len = sizeof(sin) + 10;
            WSASetLastError(0);
            ret = WSAStringToAddressA(s, AF_INET, NULL, (SOCKADDR *)&sin, &len);
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            CHECK_EQ(sin.sin_family, 0);
            CHECK_EQ(len, sizeof(sin) + 10);
        }
    }

    TEST("WSAStringToAddressA: IPv6, [brackets], [brackets]:port; the length is set to 28");
    strcpy(s, "::1");
    memset(&sin6, 0xab, sizeof(sin6));
    len = sizeof(sin6) + 10;
    CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
    CHECK_EQ(len, sizeof(SOCKADDR_IN6));
    CHECK_EQ(sin6.sin6_family, AF_INET6);
    CHECK(is_loop6(&sin6.sin6_addr));
    CHECK_EQ(sin6.sin6_port, 0);
    CHECK_EQ(sin6.sin6_flowinfo, 0);
    CHECK_EQ(sin6.sin6_scope_id, 0);
    strcpy(s, "[::1]:65535");
    memset(&sin6, 0xab, sizeof(sin6));
    len = sizeof(sin6);
    CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
    CHECK(is_loop6(&sin6.sin6_addr));
    CHECK_EQ(sin6.sin6_port, htons(65535));
    strcpy(s, "[2001::1]");
    len = sizeof(sin6);
    CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
    CHECK_EQ(sin6.sin6_port, 0);

    TEST("WSAStringToAddressA: IPv6 scope ids, bare and inside [brackets]:port");
    strcpy(s, "fe80::1%2");
    memset(&sin6, 0xab, sizeof(sin6));
    len = sizeof(sin6);
    CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
    CHECK_EQ(sin6.sin6_scope_id, 2);
    CHECK_EQ(sin6.sin6_port, 0);
    CHECK(memcmp(&sin6.sin6_addr, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16) == 0);
    strcpy(s, "[fe80::1%4660]:33274");
    memset(&sin6, 0xab, sizeof(sin6));
    len = sizeof(sin6);
    CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
    CHECK_EQ(sin6.sin6_scope_id, 4660);
    CHECK_EQ(sin6.sin6_port, htons(33274));

    TEST("WSAStringToAddressA: IPv6 errors give WSAEINVAL");
    {
        const char *bad[] = {"::1]:65535", "1.2.3.4", "1:2:3:", ""};
        unsigned int i;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            strcpy(s, bad[i]);
            memset(&sin6, 0xab, sizeof(sin6));
            len = sizeof(sin6) + 10;
            WSASetLastError(0);
            CHECK_EQ(WSAStringToAddressA(s, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), SOCKET_ERROR);
            CHECK_EQ(WSAGetLastError(), WSAEINVAL);
            CHECK_EQ(sin6.sin6_family, 0);
            CHECK_EQ(len, sizeof(sin6) + 10);
        }
    }

    TEST("WSAStringToAddressW: the same rules for UTF-16 strings");
    {
        WCHAR w[64];
        lstrcpyW(w, L"[::1]:80");
        memset(&sin6, 0xab, sizeof(sin6));
        len = sizeof(sin6);
        CHECK_EQ(WSAStringToAddressW(w, AF_INET6, NULL, (SOCKADDR *)&sin6, &len), 0);
        CHECK_EQ(sin6.sin6_port, htons(80));
        CHECK(is_loop6(&sin6.sin6_addr));
        lstrcpyW(w, L"1.2.3.4:5");
        len = sizeof(sin);
        CHECK_EQ(WSAStringToAddressW(w, AF_INET, NULL, (SOCKADDR *)&sin, &len), 0);
        CHECK_EQ(sin.sin_addr.s_addr, htonl(0x01020304));
        CHECK_EQ(sin.sin_port, htons(5));
        lstrcpyW(w, L"1.2.3.4:0");
        len = sizeof(sin);
        WSASetLastError(0);
        CHECK_EQ(WSAStringToAddressW(w, AF_INET, NULL, (SOCKADDR *)&sin, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEINVAL);
        len = 0;
        WSASetLastError(0);
        CHECK_EQ(WSAStringToAddressW(w, AF_INET, NULL, (SOCKADDR *)&sin, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
}

static void test_address_to_string(void)
{
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    char out[64];
    WCHAR outw[64];
    DWORD len;
    int ret;
    static const USHORT a20ab[8] = {0xab20, 0, 0, 0, 0, 0, 0, 0x120};

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;

    TEST("WSAAddressToStringA: a buffer too small fails with WSAEFAULT and the length needed");
    len = 0;
    WSASetLastError(0xdeadbeef);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 8);
    len = 7;
    WSASetLastError(0xdeadbeef);
    ret = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 8);

    TEST("WSAAddressToStringA: IPv4 with and without a port; the length includes the NUL");
    len = sizeof(out);
    memset(out, 0xcc, sizeof(out));
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len), 0);
    CHECK(strcmp(out, "0.0.0.0") == 0);
    CHECK_EQ(len, 8);
    sin.sin_addr.s_addr = 0xffffffff;
    sin.sin_port = 0xffff;
    len = sizeof(out);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len), 0);
    CHECK(strcmp(out, "255.255.255.255:65535") == 0);
    CHECK_EQ(len, 22);

    TEST("WSAAddressToStringA: IPv6 plain, [addr]:port, %scope and [addr%scope]:port");
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    memcpy(&sin6.sin6_addr, a20ab, 16);
    len = sizeof(out);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len), 0);
    CHECK(strcmp(out, "20ab::2001") == 0);
    CHECK_EQ(len, 11);
    sin6.sin6_port = 0xfa81;
    len = sizeof(out);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len), 0);
    CHECK(strcmp(out, "[20ab::2001]:33274") == 0);
    sin6.sin6_scope_id = 0x1234;
    len = sizeof(out);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len), 0);
    CHECK(strcmp(out, "[20ab::2001%4660]:33274") == 0);
    CHECK_EQ(len, strlen("[20ab::2001%4660]:33274") + 1);
    sin6.sin6_port = 0;
    len = sizeof(out);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len), 0);
    CHECK(strcmp(out, "20ab::2001%4660") == 0);

    TEST("WSAAddressToStringW: NULL buffer with length 0 reports the length needed");
    sin.sin_addr.s_addr = 0;
    sin.sin_port = 0;
    len = 0;
    WSASetLastError(0xdeadbeef);
    ret = WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), NULL, NULL, &len);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 8);
    len = 64;
    memset(outw, 0, sizeof(outw));
    CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), NULL, outw, &len), 0);
    CHECK(lstrcmpW(outw, L"0.0.0.0") == 0);
    CHECK_EQ(len, 8);
    len = 64;
    CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sin6, sizeof(sin6), NULL, outw, &len), 0);
    CHECK(lstrcmpW(outw, L"20ab::2001%4660") == 0);
    CHECK_EQ(len, 16);

    TEST("WSAAddressToStringA then WSAStringToAddressA round-trips [addr%scope]:port");
    {
        SOCKADDR_IN6 back;
        int blen = sizeof(back);
        sin6.sin6_port = htons(443);
        len = sizeof(out);
        CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len), 0);
        memset(&back, 0xab, sizeof(back));
        CHECK_EQ(WSAStringToAddressA(out, AF_INET6, NULL, (SOCKADDR *)&back, &blen), 0);
        CHECK(memcmp(&back.sin6_addr, &sin6.sin6_addr, 16) == 0);
        CHECK_EQ(back.sin6_port, htons(443));
        CHECK_EQ(back.sin6_scope_id, 0x1234);
    }
}

static void test_byte_order(void)
{
    TEST("htons/htonl/ntohs/ntohl: network order is big-endian");
    CHECK_EQ(htons(0x1234), 0x3412);
    CHECK_EQ(ntohs(0x3412), 0x1234);
    CHECK_EQ(htonl(0x12345678), 0x78563412);
    CHECK_EQ(ntohl(0x78563412), 0x12345678);
    CHECK_EQ(htonl(INADDR_LOOPBACK), 0x0100007f);
    {
        u_short port = htons(80);
        CHECK(memcmp(&port, "\x00\x50", 2) == 0);
    }
    CHECK_EQ(sizeof(htonl(0)), 4);
    CHECK_EQ(sizeof(htons(0)), 2);
}

/* The SDK's address helpers that Microsoft's samples use (wsapoll, connectbyname,
 * connectbylist, sendmsg): an address of either family set to the wildcard or loopback
 * address, its port read and written in place; and wspiapi.h's getaddrinfo wrappers,
 * which Windows 2000-era samples (simple, accept, sockdup, mcastip) call through. mingw-w64
 * has the wrappers but not the INETADDR_ helpers (mstcpip.h in the Windows SDK). */
static void test_sdk_address_helpers(void)
{
    struct addrinfo hints, *result = NULL;

    TEST("wspiapi.h: WspiapiGetAddrInfo/WspiapiFreeAddrInfo resolve as getaddrinfo does");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_NUMERICHOST;
    CHECK_EQ(WspiapiGetAddrInfo("127.0.0.1", "5001", &hints, &result), 0);
    CHECK(result != NULL);
    if (result != NULL) {
        CHECK_EQ(result->ai_family, AF_INET);
        CHECK_EQ(((struct sockaddr_in *)result->ai_addr)->sin_port, htons(5001));
        WspiapiFreeAddrInfo(result);
    }

#ifndef __MINGW32__
    {
        SOCKADDR_STORAGE addr;
        TEST("INETADDR_SETLOOPBACK/SETANY and SS_PORT on an IPv6 and an IPv4 address");
        memset(&addr, 0xcc, sizeof(addr));
        addr.ss_family = AF_INET6;
        INETADDR_SETLOOPBACK((SOCKADDR *)&addr);
        CHECK(IN6_IS_ADDR_LOOPBACK(&((SOCKADDR_IN6 *)&addr)->sin6_addr));
        CHECK_EQ(((SOCKADDR_IN6 *)&addr)->sin6_scope_id, 0);
        CHECK_EQ(((SOCKADDR_IN6 *)&addr)->sin6_flowinfo, 0);
        CHECK(INETADDR_ISLOOPBACK((SOCKADDR *)&addr));
        CHECK(!INETADDR_ISANY((SOCKADDR *)&addr));
        SS_PORT((SOCKADDR *)&addr) = htons(12345);
        CHECK_EQ(((SOCKADDR_IN6 *)&addr)->sin6_port, htons(12345));
        CHECK_EQ(INETADDR_PORT((SOCKADDR *)&addr), htons(12345));
        INETADDR_SETANY((SOCKADDR *)&addr);
        CHECK(INETADDR_ISANY((SOCKADDR *)&addr));
        CHECK_EQ(INETADDR_PORT((SOCKADDR *)&addr), 0);
        CHECK_EQ(addr.ss_family, AF_INET6);

        memset(&addr, 0xcc, sizeof(addr));
        addr.ss_family = AF_INET;
        INETADDR_SETLOOPBACK((SOCKADDR *)&addr);
        CHECK_EQ(((SOCKADDR_IN *)&addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        CHECK_EQ(((SOCKADDR_IN *)&addr)->sin_zero[7], 0);
        INETADDR_SET_PORT((SOCKADDR *)&addr, htons(80));
        CHECK_EQ(((SOCKADDR_IN *)&addr)->sin_port, htons(80));
        CHECK(INETADDR_ADDRESS((SOCKADDR *)&addr) == (PUCHAR) & ((SOCKADDR_IN *)&addr)->sin_addr);
        CHECK_EQ(INET_SOCKADDR_LENGTH(AF_INET6), sizeof(SOCKADDR_IN6));
        CHECK_EQ(INETADDR_SCOPE_ID((SOCKADDR *)&addr).Value, 0);
    }
#endif
}

int main(void)
{
    startup();
    test_sdk_address_helpers();
    test_getaddrinfo_numeric();
    test_getaddrinfo_names();
    test_getaddrinfow();
    test_getnameinfo();
    test_hostbyname();
    test_inet_addr_ntoa();
    test_pton_ntop();
    test_string_to_address();
    test_address_to_string();
    test_byte_order();
    WSACleanup();
    return tl_finish();
}
