/* test_winsock_names.c: Winsock's name resolution and address text functions: getaddrinfo,
 * GetAddrInfoW, GetAddrInfoExW, getnameinfo, GetNameInfoW, gethostbyname, gethostbyaddr,
 * gethostname, GetHostNameW, getservbyname/port, getprotobyname/number, inet_addr,
 * inet_ntoa, inet_pton/InetPtonW, inet_ntop/InetNtopW, WSAStringToAddressA/W,
 * WSAAddressToStringA/W, gai_strerror, WSAHtonl; GetAddrInfoExW's asynchronous forms (event,
 * completion routine, GetAddrInfoExCancel, time-out). No network: numeric names and "localhost"
 * only. Every Windows fact here has its source in docs/research/windows-sockets-names.md. */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00 /* mingw-w64 declares GetAddrInfoEx & co. from Windows 8 on */
#endif
#include <winsock2.h>
#include <ws2tcpip.h>

#include "testlib.h"

#ifdef __MINGW32__
/* In ws2_32's import library, missing from mingw-w64's ws2tcpip.h. */
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
#endif

static void widen(const char *in, WCHAR *out, size_t size)
{
    size_t i;
    for (i = 0; in[i] && i + 1 < size; ++i) out[i] = (WCHAR)(unsigned char)in[i];
    out[i] = 0;
}

static int wide_equals(const WCHAR *a, const char *b)
{
    for (; *a && *b; ++a, ++b)
        if (*a != (WCHAR)(unsigned char)*b) return 0;
    return *a == 0 && *b == 0;
}

static void test_without_startup(void)
{
    TEST("before WSAStartup");
    WSASetLastError(0xdeadbeef);
    CHECK(gethostbyname("localhost") == NULL);
    CHECK_EQ((DWORD)WSAGetLastError(), WSANOTINITIALISED);

    WINE_DEVIATION("Wine's getservbyname/getservbyport work before WSAStartup")
    {
        WSASetLastError(0xdeadbeef);
        CHECK(getservbyname("http", "tcp") == NULL);
        CHECK_EQ((DWORD)WSAGetLastError(), WSANOTINITIALISED);

        WSASetLastError(0xdeadbeef);
        CHECK(getservbyport(htons(80), "tcp") == NULL);
        CHECK_EQ((DWORD)WSAGetLastError(), WSANOTINITIALISED);
    }

    /* inet_addr needs no WSAStartup. */
    CHECK_EQ(inet_addr("127.0.0.1"), htonl(0x7f000001));
}

/* ---- getaddrinfo ------------------------------------------------------------------------ */

static int same_list(const ADDRINFOA *a, const ADDRINFOA *b)
{
    for (; a && b; a = a->ai_next, b = b->ai_next) {
        if (a->ai_family != b->ai_family || a->ai_socktype != b->ai_socktype || a->ai_protocol != b->ai_protocol ||
            a->ai_addrlen != b->ai_addrlen || memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen) != 0)
            return 0;
    }
    return a == NULL && b == NULL;
}

static void test_getaddrinfo_basics(void)
{
    ADDRINFOA *result, *result2, *p, hints;
    int ret;

    TEST("getaddrinfo: no name and no service");
    result = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo(NULL, NULL, NULL, &result);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(result == NULL);

    TEST("getaddrinfo: empty name is the local computer, last error 0");
    result = NULL;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("", NULL, NULL, &result);
    CHECK_EQ(ret, 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0);
    CHECK(result != NULL);
    freeaddrinfo(result);

    TEST("getaddrinfo: empty service is port 0");
    result = result2 = NULL;
    CHECK_EQ(getaddrinfo(NULL, "0", NULL, &result), 0);
    CHECK_EQ(getaddrinfo(NULL, "", NULL, &result2), 0);
    CHECK(result != NULL && result2 != NULL && same_list(result, result2));
    freeaddrinfo(result);
    freeaddrinfo(result2);

    TEST("getaddrinfo: localhost");
    result = NULL;
    WSASetLastError(0xdeadbeef);
    ret = getaddrinfo("localhost", "80", NULL, &result);
    CHECK_EQ(ret, 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0);
    CHECK(result != NULL);
    for (p = result; p; p = p->ai_next) {
        CHECK(p->ai_family == AF_INET || p->ai_family == AF_INET6);
        WINE_DEVIATION("with no hints Wine answers one entry per socket type, with the C library's default flags")
        {
            CHECK_EQ(p->ai_flags, 0);
            CHECK_EQ(p->ai_socktype, 0);
            CHECK_EQ(p->ai_protocol, 0);
        }
        CHECK(p->ai_canonname == NULL);
        CHECK(p->ai_addr != NULL);
        if (p->ai_family == AF_INET) {
            const SOCKADDR_IN *in = (const SOCKADDR_IN *)p->ai_addr;
            CHECK_EQ(p->ai_addrlen, sizeof(SOCKADDR_IN));
            CHECK_EQ(in->sin_family, AF_INET);
            CHECK_EQ(in->sin_port, htons(80));
            CHECK_EQ(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        } else if (p->ai_family == AF_INET6) {
            const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)p->ai_addr;
            CHECK_EQ(p->ai_addrlen, sizeof(SOCKADDR_IN6));
            CHECK_EQ(in6->sin6_family, AF_INET6);
            CHECK_EQ(in6->sin6_port, htons(80));
            CHECK(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
        }
    }
    freeaddrinfo(result);

    TEST("getaddrinfo: AI_NUMERICHOST refuses a name");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    result = (ADDRINFOA *)0xdeadbeef;
    ret = getaddrinfo("localhost", "80", &hints, &result);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(result == NULL);

    TEST("getaddrinfo: AI_NUMERICHOST refuses an empty name");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    result = (ADDRINFOA *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getaddrinfo("", "80", &hints, &result), WSAHOST_NOT_FOUND);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(result == NULL);

    TEST("getaddrinfo: unknown service");
    memset(&hints, 0, sizeof(hints));
    result = (ADDRINFOA *)0xdeadbeef;
    CHECK_EQ(getaddrinfo(NULL, "nonexistentservice", &hints, &result), WSATYPE_NOT_FOUND);
    CHECK(result == NULL);

    TEST("getaddrinfo: a numeric service is read as strtoul reads it, the port its low 16 bits");
    {
        static const struct {
            const char *service;
            int port; /* -1: WSATYPE_NOT_FOUND */
        } cases[] = {
            {"010", 10},         {" 123", 123},      {"+5", 5},          {"65536", 0},
            {"65537", 1},        {"4294967295", 65535}, {"4294967296", 65535},
            {"9999999999", 65535}, {"-1", 65535},    {"-4", 65532},      {"-65537", 65535},
            {"0x1a", -1},        {"28 ", -1},        {"28a", -1},        {":0", -1},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
            memset(&hints, 0, sizeof(hints));
            hints.ai_family = AF_INET;
            result = (ADDRINFOA *)0xdeadbeef;
            ret = getaddrinfo(NULL, cases[i].service, &hints, &result);
            if (cases[i].port < 0) {
                CHECK_EQ(ret, WSATYPE_NOT_FOUND);
                CHECK(result == NULL);
                continue;
            }
            WINE_DEVIATION("Wine reads the port with the C library, which refuses negative and 32-bit values")
            {
                CHECK_EQ(ret, 0);
                if (ret == 0 && result)
                    CHECK_EQ(ntohs(((SOCKADDR_IN *)result->ai_addr)->sin_port), cases[i].port);
            }
            if (ret == 0) freeaddrinfo(result);
        }
    }

    TEST("getaddrinfo: a named service");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    result = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "http", &hints, &result), 0);
    if (result) {
        CHECK_EQ(((SOCKADDR_IN *)result->ai_addr)->sin_port, htons(80));
        CHECK_EQ(result->ai_socktype, SOCK_STREAM);
    }
    freeaddrinfo(result);

    TEST("getaddrinfo: AI_CANONNAME names the first entry");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    hints.ai_family = AF_INET;
    result = NULL;
    CHECK_EQ(getaddrinfo("localhost", NULL, &hints, &result), 0);
    CHECK(result != NULL && result->ai_canonname != NULL && result->ai_canonname[0] != 0);
    freeaddrinfo(result);

    TEST("getaddrinfo: hints must have no address, name or next");
    memset(&hints, 0, sizeof(hints));
    hints.ai_addrlen = sizeof(SOCKADDR_IN);
    result = (ADDRINFOA *)0xdeadbeef;
    ret = getaddrinfo("127.0.0.1", NULL, &hints, &result);
    WINE_DEVIATION("Wine ignores ai_addrlen in the hints")
    {
        CHECK_EQ(ret, WSANO_RECOVERY);
        CHECK(result == NULL);
    }
    if (ret == 0) freeaddrinfo(result);

    freeaddrinfo(NULL);
}

static void test_getaddrinfo_numeric(void)
{
    ADDRINFOA *result, hints;
    char text[64];
    int ret;

    TEST("getaddrinfo: IPv4 literal");
    result = NULL;
    ret = getaddrinfo("192.168.1.253", NULL, NULL, &result);
    CHECK_EQ(ret, 0);
    if (result) {
        SOCKADDR_IN *in = (SOCKADDR_IN *)result->ai_addr;
        CHECK_EQ(result->ai_family, AF_INET);
        CHECK_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN));
        CHECK_EQ(in->sin_family, AF_INET);
        CHECK_EQ(in->sin_port, 0);
        CHECK(strcmp(inet_ntoa(in->sin_addr), "192.168.1.253") == 0);
        WINE_DEVIATION("with no hints Wine answers one entry per socket type")
        {
            CHECK(result->ai_next == NULL);
        }
        freeaddrinfo(result);
    }

    TEST("getaddrinfo: IPv4 literal with a port is no number");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    result = (ADDRINFOA *)0xdeadbeef;
    CHECK_EQ(getaddrinfo("192.168.1.253:1024", NULL, &hints, &result), WSAHOST_NOT_FOUND);
    CHECK(result == NULL);

    TEST("getaddrinfo: a literal of the other family than the hints' is no host");
    {
        static const struct {
            const char *input;
            int flags, family;
        } cases[] = {
            {"127.0.0.1", 0, AF_INET6},
            {"127.0.0.1", AI_NUMERICHOST, AF_INET6},
            {"::1", 0, AF_INET},
            {"::1", AI_NUMERICHOST, AF_INET},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
            memset(&hints, 0, sizeof(hints));
            hints.ai_flags = cases[i].flags;
            hints.ai_family = cases[i].family;
            result = (ADDRINFOA *)0xdeadbeef;
            WSASetLastError(0xdeadbeef);
            ret = getaddrinfo(cases[i].input, NULL, &hints, &result);
            WINE_DEVIATION("Wine passes on the C library's EAI_ADDRFAMILY (-9) untranslated")
            {
                CHECK_EQ(ret, WSAHOST_NOT_FOUND);
                CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
            }
            CHECK(ret != 0);
            CHECK(result == NULL);
            if (ret == 0) freeaddrinfo(result);
        }
    }

    TEST("getaddrinfo: IPv6 literals, with brackets and a port");
    {
        static const struct {
            const char *input;
            int flags, family;
            int error;
            const char *expect;
        } cases[] = {
            {"2a00:2039:dead:beef:cafe::6666", 0, AF_UNSPEC, 0, "2a00:2039:dead:beef:cafe::6666"},
            {"[beef::cafe]", 0, AF_UNSPEC, 0, "beef::cafe"},
            {"[beef::cafe]", AI_NUMERICHOST, AF_INET6, 0, "beef::cafe"},
            {"[beef::cafe]", AI_NUMERICHOST, AF_INET, WSAHOST_NOT_FOUND, NULL},
            {"[beef::cafe]:10239", 0, AF_UNSPEC, 0, "beef::cafe"},
            {"[beef::cafe", AI_NUMERICHOST, AF_UNSPEC, WSAHOST_NOT_FOUND, NULL},
            {"beef::cafe]", AI_NUMERICHOST, AF_UNSPEC, WSAHOST_NOT_FOUND, NULL},
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
            memset(&hints, 0, sizeof(hints));
            hints.ai_flags = cases[i].flags;
            hints.ai_family = cases[i].family;
            result = NULL;
            ret = getaddrinfo(cases[i].input, NULL, &hints, &result);
            CHECK_EQ(ret, cases[i].error);
            if (ret != 0) {
                CHECK(result == NULL);
                continue;
            }
            if (!result) continue;
            CHECK_EQ(result->ai_family, AF_INET6);
            CHECK_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN6));
            CHECK_EQ(((SOCKADDR_IN6 *)result->ai_addr)->sin6_family, AF_INET6);
            CHECK_EQ(((SOCKADDR_IN6 *)result->ai_addr)->sin6_port, 0);
            memset(text, 0, sizeof(text));
            CHECK(inet_ntop(AF_INET6, &((SOCKADDR_IN6 *)result->ai_addr)->sin6_addr, text, sizeof(text)) != NULL);
            CHECK(strcmp(text, cases[i].expect) == 0);
            freeaddrinfo(result);
        }
    }

    TEST("getaddrinfo: AI_PASSIVE without a name is the wildcard address, otherwise loopback");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = AF_INET;
    result = NULL;
    CHECK_EQ(getaddrinfo(NULL, "8080", &hints, &result), 0);
    if (result) {
        CHECK_EQ(((SOCKADDR_IN *)result->ai_addr)->sin_addr.s_addr, htonl(INADDR_ANY));
        CHECK_EQ(((SOCKADDR_IN *)result->ai_addr)->sin_port, htons(8080));
        freeaddrinfo(result);
    }
    hints.ai_family = AF_INET6;
    result = NULL;
    CHECK_EQ(getaddrinfo(NULL, "8080", &hints, &result), 0);
    if (result) {
        CHECK_EQ(result->ai_family, AF_INET6);
        CHECK(IN6_IS_ADDR_UNSPECIFIED(&((SOCKADDR_IN6 *)result->ai_addr)->sin6_addr));
        freeaddrinfo(result);
    }
    hints.ai_flags = 0;
    hints.ai_family = AF_INET;
    result = NULL;
    CHECK_EQ(getaddrinfo(NULL, "8080", &hints, &result), 0);
    if (result) {
        CHECK_EQ(((SOCKADDR_IN *)result->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        freeaddrinfo(result);
    }
}

static void test_getaddrinfo_hints(void)
{
    static const struct {
        int family, socktype, protocol;
        int error;
    } cases[] = {
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0}, {AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP, 0},
        {AF_UNSPEC, SOCK_DGRAM, IPPROTO_TCP, 0},  {AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP, 0},
        {AF_INET, SOCK_STREAM, IPPROTO_IPV6, 0},  {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0},
        {AF_UNSPEC, 0, IPPROTO_TCP, 0},           {AF_INET, 0, IPPROTO_UDP, 0},
        {AF_UNSPEC, SOCK_STREAM, 0, 0},           {AF_INET, SOCK_DGRAM, 0, 0},
        {AF_UNSPEC, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT}, {AF_INET, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT},
        {AF_UNSPEC, SOCK_STREAM, 999, 0},         {AF_INET, SOCK_DGRAM, 999, 0},
    };
    ADDRINFOA hints, *result, *p;
    size_t i;

    TEST("getaddrinfo: the hints' type and protocol are copied into every entry");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = cases[i].family;
        hints.ai_socktype = cases[i].socktype;
        hints.ai_protocol = cases[i].protocol;
        result = NULL;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getaddrinfo("localhost", NULL, &hints, &result), cases[i].error);
        if (cases[i].error) {
            CHECK_EQ((DWORD)WSAGetLastError(), cases[i].error);
            continue;
        }
        CHECK(result != NULL);
        for (p = result; p; p = p->ai_next) {
            if (cases[i].family == AF_UNSPEC)
                CHECK(p->ai_family == AF_INET || p->ai_family == AF_INET6);
            else
                CHECK_EQ(p->ai_family, cases[i].family);
            CHECK_EQ(p->ai_socktype, cases[i].socktype);
            CHECK_EQ(p->ai_protocol, cases[i].protocol);
        }
        freeaddrinfo(result);
    }

    TEST("getaddrinfo: unknown family");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = 999;
    result = (ADDRINFOA *)0xdeadbeef;
    CHECK_EQ(getaddrinfo("127.0.0.1", NULL, &hints, &result), WSAEAFNOSUPPORT);
    CHECK(result == NULL);
}

static void test_getaddrinfo_wide(void)
{
    ADDRINFOW *result, *p, hints;
    ADDRINFOEXW *ex, ex_hints;
    WCHAR localhost[16], empty[1] = {0}, port[4];
    int ret;

    widen("localhost", localhost, 16);
    widen("80", port, 4);

    TEST("GetAddrInfoW");
    result = (ADDRINFOW *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(GetAddrInfoW(NULL, NULL, NULL, &result), WSAHOST_NOT_FOUND);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(result == NULL);

    result = NULL;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(GetAddrInfoW(empty, NULL, NULL, &result), 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0);
    CHECK(result != NULL);
    FreeAddrInfoW(result);

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    hints.ai_family = AF_INET;
    result = NULL;
    CHECK_EQ(GetAddrInfoW(localhost, port, &hints, &result), 0);
    CHECK(result != NULL && result->ai_canonname != NULL && result->ai_canonname[0] != 0);
    for (p = result; p; p = p->ai_next) {
        CHECK_EQ(p->ai_family, AF_INET);
        CHECK_EQ(((SOCKADDR_IN *)p->ai_addr)->sin_port, htons(80));
        CHECK_EQ(((SOCKADDR_IN *)p->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    }
    FreeAddrInfoW(result);

    TEST("GetAddrInfoExW (synchronous)");
    ex = (ADDRINFOEXW *)0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoExW(NULL, NULL, NS_DNS, NULL, NULL, &ex, NULL, NULL, NULL, NULL);
    CHECK_EQ(ret, WSAHOST_NOT_FOUND);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(ex == NULL);

    ex = NULL;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(GetAddrInfoExW(empty, NULL, NS_DNS, NULL, NULL, &ex, NULL, NULL, NULL, NULL), 0);
    CHECK_EQ((DWORD)WSAGetLastError(), 0);
    CHECK(ex != NULL);
    FreeAddrInfoExW(ex);

    memset(&ex_hints, 0, sizeof(ex_hints));
    ex_hints.ai_family = AF_INET;
    ex_hints.ai_socktype = SOCK_STREAM;
    ex_hints.ai_protocol = IPPROTO_TCP;
    ex = NULL;
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_ALL, NULL, &ex_hints, &ex, NULL, NULL, NULL, NULL), 0);
    CHECK(ex != NULL);
    if (ex) {
        CHECK_EQ(ex->ai_family, AF_INET);
        CHECK_EQ(ex->ai_socktype, SOCK_STREAM);
        CHECK_EQ(ex->ai_protocol, IPPROTO_TCP);
        CHECK_EQ(ex->ai_addrlen, sizeof(SOCKADDR_IN));
        CHECK_EQ(((SOCKADDR_IN *)ex->ai_addr)->sin_port, htons(80));
        CHECK(ex->ai_blob == NULL);
        CHECK_EQ(ex->ai_bloblen, 0);
        CHECK(ex->ai_provider == NULL);
    }
    FreeAddrInfoExW(ex);

    CHECK_EQ(GetAddrInfoExOverlappedResult(NULL), WSAEINVAL);
}

/* ---- GetAddrInfoExW's asynchronous forms ------------------------------------------------ */

/* On this library every asynchronous lookup is held back this long (a test knob of the
 * resolver), so that a lookup is still running when the checks need it to be; on Windows
 * and under Wine the variable means nothing and each check accepts both outcomes a
 * fast lookup can give. */
#define SLOW_LOOKUP_MS "300"

static struct {
    volatile LONG called;
    volatile LONG error;
    volatile LONG bytes;
    volatile LONG thread;
    PVOID volatile overlapped;
    PVOID volatile pointer;
    PVOID volatile event;
    volatile LONG internal;
    HANDLE done;
} lookup_routine;

static void CALLBACK lookup_done(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped)
{
    tl_store(&lookup_routine.error, (LONG)error);
    tl_store(&lookup_routine.bytes, (LONG)bytes);
    tl_store(&lookup_routine.thread, (LONG)GetCurrentThreadId());
    InterlockedExchangePointer(&lookup_routine.overlapped, overlapped);
    InterlockedExchangePointer(&lookup_routine.pointer, overlapped->Pointer);
    InterlockedExchangePointer(&lookup_routine.event, overlapped->hEvent);
    tl_store(&lookup_routine.internal, (LONG)overlapped->Internal);
    InterlockedIncrement(&lookup_routine.called);
    SetEvent(lookup_routine.done);
}

static void reset_lookup_routine(void)
{
    tl_store(&lookup_routine.called, 0);
    tl_store(&lookup_routine.error, -1);
    tl_store(&lookup_routine.bytes, -1);
    tl_store(&lookup_routine.thread, 0);
    InterlockedExchangePointer(&lookup_routine.overlapped, NULL);
    ResetEvent(lookup_routine.done);
}

static int loopback_only(const ADDRINFOEXW *list, int port)
{
    int count = 0;
    for (; list; list = (const ADDRINFOEXW *)list->ai_next, ++count) { /* mingw-w64 mistypes ai_next */
        if (list->ai_family == AF_INET) {
            const SOCKADDR_IN *in = (const SOCKADDR_IN *)list->ai_addr;
            if (in->sin_addr.s_addr != htonl(INADDR_LOOPBACK) || in->sin_port != htons((u_short)port)) return 0;
        } else if (list->ai_family == AF_INET6) {
            const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)list->ai_addr;
            if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) || in6->sin6_port != htons((u_short)port)) return 0;
        } else {
            return 0;
        }
    }
    return count > 0;
}

static void test_getaddrinfoex_async(void)
{
    WCHAR localhost[16], port[8], bad_service[32];
    ADDRINFOEXW *result, hints;
    OVERLAPPED overlapped;
    HANDLE event, cancel;
    struct timeval timeout;
    int ret;

    widen("localhost", localhost, 16);
    widen("8080", port, 8);
    widen("no-such-service-xyz", bad_service, 32);
    SetEnvironmentVariableA("OVERLAPPED_TEST_RESOLVER_DELAY_MS", SLOW_LOOKUP_MS);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    lookup_routine.done = CreateEventA(NULL, TRUE, FALSE, NULL);

    TEST("GetAddrInfoExW with an event: WSA_IO_PENDING, then the list, the event, Pointer");
    result = (ADDRINFOEXW *)0xdeadbeef;
    memset(&overlapped, 0xcc, sizeof(overlapped));
    overlapped.hEvent = event;
    WSASetLastError(0xdeadbeef);
    ret = GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, NULL, &overlapped, NULL, NULL);
    CHECK_EQ(ret, WSA_IO_PENDING);
    CHECK_EQ((DWORD)WSAGetLastError(), WSA_IO_PENDING);
    CHECK(tl_load_pointer((PVOID volatile *)&result) == NULL);
    ret = GetAddrInfoExOverlappedResult(&overlapped);
    CHECK(ret == WSAEINPROGRESS || ret == 0);
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), 0);
    CHECK_EQ(overlapped.Internal, 0);
    CHECK(overlapped.Pointer == (PVOID)&result);
    CHECK(overlapped.hEvent == event);
    CHECK(result != NULL && result != (ADDRINFOEXW *)0xdeadbeef);
    if (result && result != (ADDRINFOEXW *)0xdeadbeef) {
        CHECK(loopback_only(result, 8080));
        CHECK(result->ai_blob == NULL);
        CHECK_EQ(result->ai_bloblen, 0);
        CHECK(result->ai_provider == NULL);
        FreeAddrInfoExW(result);
    }

    TEST("GetAddrInfoExW with an event: the hints reach the lookup");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    result = NULL;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = event;
    ResetEvent(event);
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_ALL, NULL, &hints, &result, NULL, &overlapped, NULL, NULL),
             WSA_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), 0);
    CHECK(result != NULL && result->ai_next == NULL);
    if (result) {
        CHECK_EQ(result->ai_family, AF_INET);
        CHECK_EQ(result->ai_socktype, SOCK_DGRAM);
        CHECK_EQ(result->ai_protocol, IPPROTO_UDP);
        CHECK(loopback_only(result, 8080));
        FreeAddrInfoExW(result);
    }

    TEST("GetAddrInfoExW asynchronous: no name and no service fail at once");
    result = (ADDRINFOEXW *)0xdeadbeef;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = event;
    ResetEvent(event);
    WINE_DEVIATION("Wine starts the lookup (WSA_IO_PENDING) and fails it later")
    {
        ret = GetAddrInfoExW(NULL, NULL, NS_DNS, NULL, NULL, &result, NULL, &overlapped, NULL, NULL);
        CHECK_EQ(ret, WSAHOST_NOT_FOUND);
        CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
        CHECK(result == NULL);
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    }

    TEST("GetAddrInfoExW: an event and a completion routine together are WSAEINVAL");
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = event;
    CHECK_EQ(GetAddrInfoExW(localhost, NULL, NS_DNS, NULL, NULL, &result, NULL, &overlapped, lookup_done, NULL),
             WSAEINVAL);

    TEST("GetAddrInfoExW with a completion routine: called once, on another thread");
    reset_lookup_routine();
    result = (ADDRINFOEXW *)0xdeadbeef;
    memset(&overlapped, 0, sizeof(overlapped));
    ret = GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, NULL, &overlapped, lookup_done, NULL);
    CHECK_EQ(ret, WSA_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(lookup_routine.done, 5000), WAIT_OBJECT_0);
    Sleep(20); /* a second call would come now */
    CHECK_EQ(tl_load(&lookup_routine.called), 1);
    CHECK_EQ(tl_load(&lookup_routine.error), 0);
    CHECK_EQ(tl_load(&lookup_routine.bytes), 0);
    CHECK(tl_load(&lookup_routine.thread) != (LONG)GetCurrentThreadId());
    CHECK(tl_load_pointer(&lookup_routine.overlapped) == (PVOID)&overlapped);
    CHECK(tl_load_pointer(&lookup_routine.pointer) == (PVOID)&result);
    CHECK(tl_load_pointer(&lookup_routine.event) == NULL);
    CHECK_EQ(tl_load(&lookup_routine.internal), 0);
    CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), 0);
    CHECK(result != NULL && result != (ADDRINFOEXW *)0xdeadbeef && loopback_only(result, 8080));
    if (result && result != (ADDRINFOEXW *)0xdeadbeef) FreeAddrInfoExW(result);

    TEST("GetAddrInfoExW with a completion routine: a lookup that fails reports its error");
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    reset_lookup_routine();
    result = (ADDRINFOEXW *)0xdeadbeef;
    memset(&overlapped, 0, sizeof(overlapped));
    ret = GetAddrInfoExW(localhost, bad_service, NS_DNS, NULL, &hints, &result, NULL, &overlapped, lookup_done, NULL);
    CHECK_EQ(ret, WSA_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(lookup_routine.done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&lookup_routine.called), 1);
    CHECK_EQ(tl_load(&lookup_routine.error), WSATYPE_NOT_FOUND);
    CHECK_EQ(tl_load(&lookup_routine.internal), WSATYPE_NOT_FOUND);
    CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), WSATYPE_NOT_FOUND);
    CHECK(result == NULL);

    TEST("GetAddrInfoExCancel: the event at once, WSA_E_CANCELLED, no list; then an invalid handle");
    result = (ADDRINFOEXW *)0xdeadbeef;
    cancel = NULL;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = event;
    ResetEvent(event);
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, NULL, &overlapped, NULL, &cancel),
             WSA_IO_PENDING);
    ret = GetAddrInfoExCancel(&cancel);
    if (ret == NO_ERROR) {
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
        CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), WSA_E_CANCELLED);
        CHECK(result == NULL);
    } else {
        /* The lookup had ended first (Wine cancels nothing: it always says this). */
        CHECK_EQ(ret, WSA_INVALID_HANDLE);
        CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
        CHECK_EQ(GetAddrInfoExOverlappedResult(&overlapped), 0);
        if (result) FreeAddrInfoExW(result);
    }
    WINE_DEVIATION("Wine's GetAddrInfoExCancel cancels nothing (WSA_INVALID_HANDLE)")
    {
        CHECK_EQ(ret, NO_ERROR); /* this library: the lookup is held back, so the cancel wins */
    }
    CHECK_EQ(GetAddrInfoExCancel(&cancel), WSA_INVALID_HANDLE);

    TEST("GetAddrInfoExCancel with a completion routine: called once, with WSA_E_CANCELLED");
    reset_lookup_routine();
    result = (ADDRINFOEXW *)0xdeadbeef;
    cancel = NULL;
    memset(&overlapped, 0, sizeof(overlapped));
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, NULL, &overlapped, lookup_done, &cancel),
             WSA_IO_PENDING);
    ret = GetAddrInfoExCancel(&cancel);
    if (ret == NO_ERROR) {
        /* Microsoft says the routine is invoked at once, not on which thread. */
        CHECK_EQ(WaitForSingleObject(lookup_routine.done, 5000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&lookup_routine.called), 1);
        CHECK_EQ(tl_load(&lookup_routine.error), WSA_E_CANCELLED);
        CHECK(tl_load_pointer((PVOID volatile *)&result) == NULL);
    } else {
        CHECK_EQ(ret, WSA_INVALID_HANDLE);
        CHECK_EQ(WaitForSingleObject(lookup_routine.done, 5000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&lookup_routine.error), 0);
        if (result && result != (ADDRINFOEXW *)0xdeadbeef) FreeAddrInfoExW(result);
    }
    Sleep(20);
    CHECK_EQ(tl_load(&lookup_routine.called), 1);

    TEST("GetAddrInfoExW: a time-out that passes first ends the lookup with WSAETIMEDOUT");
    timeout.tv_sec = 0;
    timeout.tv_usec = 1000;
    result = (ADDRINFOEXW *)0xdeadbeef;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = event;
    ResetEvent(event);
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, &timeout, &overlapped, NULL, NULL),
             WSA_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    ret = GetAddrInfoExOverlappedResult(&overlapped);
    CHECK(ret == WSAETIMEDOUT || ret == 0); /* a lookup faster than 1 ms may still win */
    if (ret == 0 && result) FreeAddrInfoExW(result);
    if (ret == WSAETIMEDOUT) CHECK(result == NULL);
    WINE_DEVIATION("Wine ignores the time-out")
    {
        CHECK_EQ(ret, WSAETIMEDOUT); /* this library: the lookup is held back past it */
    }

    TEST("GetAddrInfoExW: a time-out without an OVERLAPPED waits that long at most");
    result = (ADDRINFOEXW *)0xdeadbeef;
    ret = GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, &timeout, NULL, NULL, NULL);
    CHECK(ret == WSAETIMEDOUT || ret == 0);
    if (ret == 0 && result) FreeAddrInfoExW(result);
    if (ret == WSAETIMEDOUT) CHECK(result == NULL);
    WINE_DEVIATION("Wine ignores the time-out")
    {
        CHECK_EQ(ret, WSAETIMEDOUT);
    }
    timeout.tv_sec = 10;
    timeout.tv_usec = 0;
    result = NULL;
    CHECK_EQ(GetAddrInfoExW(localhost, port, NS_DNS, NULL, NULL, &result, &timeout, NULL, NULL, NULL), 0);
    CHECK(result != NULL && loopback_only(result, 8080));
    if (result) FreeAddrInfoExW(result);

    TEST("GetAddrInfoExA: the asynchronous arguments are reserved (WSAEINVAL)");
    WINE_DEVIATION("Wine 8.0 has no GetAddrInfoExA (a stub that aborts the program)")
    {
        ADDRINFOEXA *result_a = NULL;
        memset(&overlapped, 0, sizeof(overlapped));
        overlapped.hEvent = event;
        ret = GetAddrInfoExA("localhost", NULL, NS_DNS, NULL, NULL, &result_a, NULL, &overlapped, NULL, NULL);
        CHECK_EQ(ret, WSAEINVAL);
        if (ret == 0 && result_a) FreeAddrInfoExA(result_a);
    }

    SetEnvironmentVariableA("OVERLAPPED_TEST_RESOLVER_DELAY_MS", NULL);
    CloseHandle(lookup_routine.done);
    CloseHandle(event);
}

/* ---- getnameinfo ------------------------------------------------------------------------- */

static void test_getnameinfo(void)
{
    SOCKADDR_IN in;
    SOCKADDR_IN6 in6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    WCHAR hostW[NI_MAXHOST], servW[NI_MAXSERV];
    int ret;

    memset(&in, 0, sizeof(in));
    in.sin_family = AF_INET;
    in.sin_port = htons(80);
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&in6, 0, sizeof(in6));
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(443);
    in6.sin6_addr.s6_addr[15] = 1;

    TEST("getnameinfo: numeric");
    memset(host, 0xcc, sizeof(host));
    memset(serv, 0xcc, sizeof(serv));
    ret = getnameinfo((SOCKADDR *)&in, sizeof(in), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(host, "127.0.0.1") == 0);
    CHECK(strcmp(serv, "80") == 0);

    memset(host, 0xcc, sizeof(host));
    ret = getnameinfo((SOCKADDR *)&in6, sizeof(in6), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(strcmp(host, "::1") == 0);
    CHECK(strcmp(serv, "443") == 0);

    TEST("getnameinfo: a name for loopback and a service name for port 80");
    ret = getnameinfo((SOCKADDR *)&in, sizeof(in), host, sizeof(host), serv, sizeof(serv), 0);
    CHECK_EQ(ret, 0);
    CHECK(host[0] != 0);
    CHECK(strcmp(serv, "http") == 0);

    TEST("getnameinfo: argument errors");
    WINE_DEVIATION("Wine's getnameinfo does not check the address pointer and length, nor for no buffer at all")
    {
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getnameinfo(NULL, sizeof(in), host, sizeof(host), NULL, 0, NI_NUMERICHOST), WSAEFAULT);
        CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
        CHECK_EQ(getnameinfo((SOCKADDR *)&in, sizeof(in) - 1, host, sizeof(host), NULL, 0, NI_NUMERICHOST),
                 WSAEFAULT);
        CHECK_EQ(getnameinfo((SOCKADDR *)&in6, sizeof(in6) - 1, host, sizeof(host), NULL, 0, NI_NUMERICHOST),
                 WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(getnameinfo((SOCKADDR *)&in, sizeof(in), NULL, 0, NULL, 0, NI_NUMERICHOST), WSAHOST_NOT_FOUND);
        CHECK_EQ((DWORD)WSAGetLastError(), WSAHOST_NOT_FOUND);
    }
    {
        SOCKADDR_IN other = in;
        other.sin_family = AF_UNIX;
        CHECK_EQ(getnameinfo((SOCKADDR *)&other, sizeof(other), host, sizeof(host), NULL, 0, NI_NUMERICHOST),
                 WSAEAFNOSUPPORT);
    }

    TEST("getnameinfo: host buffer too small");
    memset(host, 0xcc, sizeof(host));
    ret = getnameinfo((SOCKADDR *)&in, sizeof(in), host, 9, NULL, 0, NI_NUMERICHOST);
    CHECK(ret != 0);
    CHECK_EQ(getnameinfo((SOCKADDR *)&in, sizeof(in), host, 10, NULL, 0, NI_NUMERICHOST), 0);
    CHECK(strcmp(host, "127.0.0.1") == 0);

    TEST("GetNameInfoW: numeric");
    ret = GetNameInfoW((SOCKADDR *)&in, sizeof(in), hostW, NI_MAXHOST, servW, NI_MAXSERV,
                       NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK_EQ(ret, 0);
    CHECK(wide_equals(hostW, "127.0.0.1"));
    CHECK(wide_equals(servW, "80"));
}

/* ---- hostent, servent, protoent -------------------------------------------------------------- */

static void test_hostent(void)
{
    struct hostent *he;
    char name[256], **ptr;
    char *expect;
    int count, len;
    WCHAR nameW[256];
    BYTE loopback[4] = {127, 0, 0, 1};

    TEST("gethostbyname: localhost, Windows' hostent layout");
    he = gethostbyname("localhost");
    CHECK(he != NULL);
    if (he) {
        CHECK_EQ(he->h_addrtype, AF_INET);
        CHECK_EQ(he->h_length, 4);
        CHECK(he->h_addr_list[0] != NULL && memcmp(he->h_addr_list[0], loopback, 4) == 0);
        CHECK(he->h_aliases == (char **)(he + 1));
        for (ptr = he->h_aliases, count = 1; *ptr; ptr++) count++;
        expect = (char *)he->h_aliases + count * sizeof(char *);
        CHECK(he->h_addr_list == (char **)expect);
        for (ptr = he->h_addr_list, count = 1; *ptr; ptr++) count++;
        expect = (char *)he->h_addr_list + count * sizeof(char *);
        CHECK(he->h_addr_list[0] == expect);
    }

    TEST("gethostbyname: empty name");
    CHECK(gethostbyname("") != NULL);

    TEST("gethostname and GetHostNameW");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(gethostname(NULL, 256), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(gethostname(name, sizeof(name)), 0);
    CHECK(gethostbyname(name) != NULL);
    len = (int)strlen(name);
    strcpy(name, "deadbeef");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(gethostname(name, len), -1);
    CHECK(strcmp(name, "deadbeef") == 0);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(gethostname(name, len + 1), 0);

    WSASetLastError(0xdeadbeef);
    CHECK_EQ(GetHostNameW(NULL, 256), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(GetHostNameW(nameW, 256), 0);
    for (len = 0; nameW[len]; ++len) {
    }
    widen("deadbeef", nameW, 256);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(GetHostNameW(nameW, len), -1);
    CHECK(wide_equals(nameW, "deadbeef"));
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(GetHostNameW(nameW, len + 1), 0);

    TEST("gethostbyaddr");
    he = gethostbyaddr((const char *)loopback, 4, AF_INET);
    CHECK(he != NULL);
    if (he) {
        CHECK_EQ(he->h_addrtype, AF_INET);
        CHECK_EQ(he->h_length, 4);
        CHECK(he->h_name != NULL && he->h_name[0] != 0);
    }
}

static DWORD WINAPI servent_thread(void *arg)
{
    struct servent *first, *second;
    int i, same = 1;
    (void)arg;
    for (i = 0; i < 50; ++i) {
        first = getservbyname("domain", "udp");
        second = getservbyname("telnet", "tcp");
        if (!first || !second || first != second || ntohs(second->s_port) != 23 || strcmp(second->s_proto, "tcp"))
            same = 0;
    }
    return (DWORD)same;
}

static void test_servent(void)
{
    struct servent *se, *se2;
    HANDLE threads[3];
    DWORD code;
    int i;

    TEST("getservbyname / getservbyport");
    se = getservbyname("domain", "udp");
    CHECK(se != NULL);
    if (se) {
        CHECK_EQ(ntohs(se->s_port), 53);
        CHECK(strcmp(se->s_proto, "udp") == 0);
        CHECK(strcmp(se->s_name, "domain") == 0);
    }
    se2 = getservbyname("telnet", "tcp");
    CHECK(se2 != NULL);
    if (se2) {
        CHECK_EQ(ntohs(se2->s_port), 23);
        CHECK(strcmp(se2->s_proto, "tcp") == 0);
    }
    CHECK(se == se2); /* one buffer, reused while the entry fits */

    se = getservbyport(htons(80), "tcp");
    CHECK(se != NULL);
    if (se) {
        CHECK(strcmp(se->s_name, "http") == 0);
        CHECK_EQ(se->s_port, htons(80));
    }
    CHECK(getservbyname("nonexistentservice", "tcp") == NULL);

    TEST("getservbyname from several threads");
    for (i = 0; i < 3; ++i) threads[i] = CreateThread(NULL, 0, servent_thread, NULL, 0, NULL);
    for (i = 0; i < 3; ++i) {
        CHECK(threads[i] != NULL);
        if (!threads[i]) continue;
        CHECK_EQ(WaitForSingleObject(threads[i], 30000), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(threads[i], &code) && code == 1);
        CloseHandle(threads[i]);
    }
}

static void test_protoent(void)
{
    static const struct {
        int number;
        const char *name, *alias;
    } protocols[] = {
        {0, "ip", "IP"},       {1, "icmp", "ICMP"},   {3, "ggp", "GGP"},
        {6, "tcp", "TCP"},     {8, "egp", "EGP"},     {12, "pup", "PUP"},
        {17, "udp", "UDP"},    {20, "hmp", "HMP"},    {22, "xns-idp", "XNS-IDP"},
        {27, "rdp", "RDP"},    {41, "ipv6", "IPv6"},  {43, "ipv6-route", "IPv6-Route"},
        {44, "ipv6-frag", "IPv6-Frag"}, {50, "esp", "ESP"}, {51, "ah", "AH"},
        {58, "ipv6-icmp", "IPv6-ICMP"}, {59, "ipv6-nonxt", "IPv6-NoNxt"}, {60, "ipv6-opts", "IPv6-Opts"},
        {66, "rvd", "RVD"},
    };
    struct protoent *pe;
    size_t i, j;
    int n;

    TEST("getprotobyname: names, aliases, any case");
    for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); ++i) {
        char upper[32];
        pe = getprotobyname(protocols[i].name);
        CHECK(pe != NULL && pe->p_proto == protocols[i].number);
        pe = getprotobyname(protocols[i].alias);
        CHECK(pe != NULL && pe->p_proto == protocols[i].number);
        for (j = 0; protocols[i].name[j]; ++j)
            upper[j] = (char)((protocols[i].name[j] >= 'a' && protocols[i].name[j] <= 'z') ? protocols[i].name[j] - 32
                                                                                            : protocols[i].name[j]);
        upper[j] = 0;
        pe = getprotobyname(upper);
        CHECK(pe != NULL && pe->p_proto == protocols[i].number);
    }

    TEST("getprotobynumber: Windows' protocol list only");
    for (n = -1; n <= 256; ++n) {
        const char *name = NULL, *alias = NULL;
        for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); ++i)
            if (protocols[i].number == n) name = protocols[i].name, alias = protocols[i].alias;
        pe = getprotobynumber(n);
        if (!name) {
            CHECK(pe == NULL);
            continue;
        }
        CHECK(pe != NULL && pe->p_name && strcmp(pe->p_name, name) == 0);
        CHECK(pe != NULL && pe->p_aliases && pe->p_aliases[0] && strcmp(pe->p_aliases[0], alias) == 0);
    }
}

/* ---- inet_addr, inet_ntoa -------------------------------------------------------------------------- */

static DWORD WINAPI ntoa_thread(void *arg)
{
    HANDLE *events = arg;
    ULONG addr = inet_addr("4.3.2.1");
    const char *text = inet_ntoa(*(struct in_addr *)&addr);
    DWORD ok = strcmp(text, "4.3.2.1") == 0;
    SetEvent(events[0]);
    WaitForSingleObject(events[1], 10000);
    return ok;
}

static void test_inet_addr_ntoa(void)
{
    static const struct {
        const char *input;
        ULONG addr; /* as stored (network order) on a little-endian machine */
    } cases[] = {
        {"1.2.3.4", 0x04030201},      {"1 2 3 4", 0x01000000},     {"1.2.3. 4", 0xffffffff},
        {"1.2.3 .4", 0x03000201},     {"3.4.5.6.7", 0xffffffff},   {"3.4.5.6  7", 0x06050403},
        {" 3.4.5.6", 0xffffffff},     {"\t3.4.5.6", 0xffffffff},   {"3.4.5.6 ", 0x06050403},
        {"3. 4.5.6", 0xffffffff},     {"3 .4.5.6", 0x03000000},    {"1.2.3", 0x03000201},
        {".1.2.3", 0xffffffff},       {"0.0.0.0", 0x00000000},     {"", 0xffffffff},
        {" 0", 0xffffffff},           {"0xa1a2b3b4 ", 0xb4b3a2a1}, {".", 0xffffffff},
        {" ", 0x00000000},            {"\t", 0xffffffff},          {"  ", 0xffffffff},
        {"127.127.127.255", 0xff7f7f7f}, {"127.127.127.255:123", 0xffffffff}, {"127.127.127.256", 0xffffffff},
        {"a", 0xffffffff},            {"1.2.3.0xaA", 0xaa030201},  {"1.1.1.0x", 0xffffffff},
        {"1.2.3.010", 0x08030201},    {"1.2.3.00", 0x00030201},    {"1.2.3.0a", 0xffffffff},
        {"1.1.1.-2", 0xffffffff},     {"1", 0x01000000},           {"1.2", 0x02000001},
        {"203569230", 0x4e38220c},    {"[0.1.2.3]", 0xffffffff},   {"0x00010203", 0x03020100},
        {"0x2134", 0x34210000},       {"1234BEEF", 0xffffffff},    {"017700000001", 0x0100007f},
        {"0777", 0xff010000},         {"2607:f0d0:1002:51::4", 0xffffffff}, {"::1", 0xffffffff},
    };
    HANDLE events[2], thread;
    const char *text;
    ULONG addr;
    size_t i;

    TEST("inet_addr");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_addr(NULL), 0xffffffff);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
        WSASetLastError(0xdeadbeef);
        addr = inet_addr(cases[i].input);
        if (addr != cases[i].addr) printf("  inet_addr(\"%s\")\n", cases[i].input);
        CHECK_EQ(addr, cases[i].addr);
        CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
    }

    TEST("inet_ntoa: one buffer per thread");
    addr = inet_addr("1.2.3.4");
    text = inet_ntoa(*(struct in_addr *)&addr);
    CHECK(strcmp(text, "1.2.3.4") == 0);
    events[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
    events[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, ntoa_thread, events, 0, NULL);
    CHECK(thread != NULL);
    if (thread) {
        DWORD code = 0;
        CHECK_EQ(WaitForSingleObject(events[0], 10000), WAIT_OBJECT_0);
        CHECK(strcmp(text, "1.2.3.4") == 0);
        SetEvent(events[1]);
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(thread, &code) && code == 1);
        CloseHandle(thread);
    }
    CloseHandle(events[0]);
    CloseHandle(events[1]);
}

/* ---- inet_pton, inet_ntop ---------------------------------------------------------------------------- */

static void test_inet_pton(void)
{
    static const struct {
        const char *input;
        int ret;
        DWORD addr;
    } v4[] = {
        {"", 0, 0xdeadbeef},
        {" ", 0, 0xdeadbeef},
        {"1.1.1.1", 1, 0x01010101},
        {"0.0.0.0", 1, 0x00000000},
        {"127.127.127.255", 1, 0xff7f7f7f},
        {"127.127.127.255:123", 0, 0xff7f7f7f},
        {"127.127.127.256", 0, 0xdeadbeef},
        {"a", 0, 0xdeadbeef},
        {"1.1.1.0xaA", 0, 0xdeadbeef},
        {"1.1.1.0x", 0, 0xdeadbeef},
        {"1.1.1.010", 0, 0xdeadbeef},
        {"1.1.1.00", 0, 0xdeadbeef},
        {"1.1.1.0a", 0, 0x00010101},
        {"1.1.1.-2", 0, 0xdeadbeef},
        {"1", 0, 0xdeadbeef},
        {"1.2", 0, 0xdeadbeef},
        {"1.2.3", 0, 0xdeadbeef},
        {"203569230", 0, 0xdeadbeef},
        {"3.4.5.6.7", 0, 0xdeadbeef},
        {" 3.4.5.6", 0, 0xdeadbeef},
        {"3.4.5.6 ", 0, 0x06050403},
        {"[0.1.2.3]", 0, 0xdeadbeef},
        {"0x00010203", 0, 0xdeadbeef},
        {"0777", 0, 0xdeadbeef},
        {"::1", 0, 0xdeadbeef},
    };
    /* Only outputs of complete parses are checked here (Windows leaves partial output
     * behind for some malformed strings; docs/deviations.md). */
    static const struct {
        const char *input;
        int ret;
        int check_addr;
        unsigned short addr[8];
    } v6[] = {
        {"0000:0000:0000:0000:0000:0000:0000:0001", 1, 1, {0, 0, 0, 0, 0, 0, 0, 0x100}},
        {"0:0:0:0:0:0:0::", 1, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"0:0:0:0:0:0:13.1.68.3", 1, 1, {0, 0, 0, 0, 0, 0, 0x10d, 0x344}},
        {"0:0:0:0:0:FFFF:129.144.52.38", 1, 1, {0, 0, 0, 0, 0, 0xffff, 0x9081, 0x2634}},
        {"0::", 1, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"1080:0:0:0:8:800:200c:417a", 1, 1, {0x8010, 0, 0, 0, 0x800, 0x8, 0x0c20, 0x7a41}},
        {"1111:2222:3333:4444:5555:6666:123.123.123.123", 1, 1,
         {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7b7b, 0x7b7b}},
        {"1111:2222:3333:4444:0x5555:6666:7777:8888", 0, 0, {0}},
        {"1111:2222:3333:4444:5555:6666:7777::", 1, 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0}},
        {"1111:2222:3333:4444:5555:6666::7777:8888", 0, 0, {0}},
        {"1111:2222:3333:4444:5555:6666:7777::8888", 0, 0, {0}},
        {"1111::123.123.123.123", 1, 1, {0x1111, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b}},
        {"2001:db8:85a3::8a2e:370:7334", 1, 1, {0x120, 0xb80d, 0xa385, 0, 0, 0x2e8a, 0x7003, 0x3473}},
        {"::", 1, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"::%16", 0, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"::/16", 0, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"::01234", 0, 0, {0}},
        {"::0:0:0:0:0:0", 1, 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"::123.123.123.123", 1, 1, {0, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b}},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, 1, {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
        {"-1", 0, 0, {0}},
        {"02001:0000:1234:0000:0000:C1C0:ABCD:0876", 0, 0, {0}},
        {"1.2.3.4", 0, 0, {0}},
        {"1111", 0, 0, {0}},
        {"1111:2222:", 0, 0, {0}},
        {"1111:2222:3333:4444:5555:6666::1.2.3.4", 0, 0, {0}},
        {"1111:2222:3333:4444:5555:6666:7777:8888:", 0, 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
        {"1111:2222:::", 0, 0, {0}},
        {"1111::3333::5555:6666:1.2.3.4", 0, 0, {0}},
        {"1::001.2.3.4", 1, 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
        {"1::0001.2.3.4", 0, 0, {0}},
        {"1::1.2.256.4", 0, 0, {0}},
        {"1::1.2.3.4::1", 0, 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
        {"1::1a.2.3.4", 0, 0, {0}},
        {"1::2::3", 0, 0, {0}},
        {"2001:0000:1234:0000:0000:C1C0:ABCD:0876  0", 0, 1, {0x120, 0, 0x3412, 0, 0, 0xc0c1, 0xcdab, 0x7608}},
        {":", 0, 0, {0}},
        {":1111::", 0, 0, {0}},
        {"[::]", 0, 0, {0}},
    };
    unsigned short addr6[8];
    WCHAR wide[64];
    DWORD addr;
    BYTE buffer[32];
    size_t i;
    int ret;

    TEST("inet_pton: argument errors");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_UNSPEC, NULL, buffer), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_INET, NULL, buffer), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(InetPtonW(AF_INET, NULL, buffer), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(inet_pton(AF_UNSPEC, "127.0.0.1", buffer), -1);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEAFNOSUPPORT);

    TEST("inet_pton / InetPtonW: IPv4 (strict dotted quad)");
    for (i = 0; i < sizeof(v4) / sizeof(v4[0]); ++i) {
        WSASetLastError(0xdeadbeef);
        addr = 0xdeadbeef;
        ret = inet_pton(AF_INET, v4[i].input, &addr);
        if (ret != v4[i].ret || addr != v4[i].addr) printf("  inet_pton(AF_INET, \"%s\")\n", v4[i].input);
        CHECK_EQ(ret, v4[i].ret);
        CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
        CHECK_EQ(addr, v4[i].addr);

        widen(v4[i].input, wide, 64);
        WSASetLastError(0xdeadbeef);
        addr = 0xdeadbeef;
        ret = InetPtonW(AF_INET, wide, &addr);
        CHECK_EQ(ret, v4[i].ret);
        CHECK_EQ((DWORD)WSAGetLastError(), (DWORD)(ret ? 0xdeadbeef : WSAEINVAL));
        CHECK_EQ(addr, v4[i].addr);
    }

    TEST("inet_pton: a leading :: and seven groups (Windows refuses them)");
    WINE_DEVIATION("Wine 8.0 accepts a leading :: followed by seven groups")
    {
        CHECK_EQ(inet_pton(AF_INET6, "::0:0:0:0:0:0:0", addr6), 0);
        CHECK_EQ(inet_pton(AF_INET6, "::0:a:b:c:d:e:f", addr6), 0);
    }

    TEST("inet_pton / InetPtonW: IPv6");
    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); ++i) {
        WSASetLastError(0xdeadbeef);
        memset(addr6, 0xab, sizeof(addr6));
        ret = inet_pton(AF_INET6, v6[i].input, addr6);
        if (ret != v6[i].ret) printf("  inet_pton(AF_INET6, \"%s\")\n", v6[i].input);
        CHECK_EQ(ret, v6[i].ret);
        CHECK_EQ((DWORD)WSAGetLastError(), 0xdeadbeef);
        if (v6[i].check_addr) CHECK(memcmp(addr6, v6[i].addr, sizeof(addr6)) == 0);

        widen(v6[i].input, wide, 64);
        WSASetLastError(0xdeadbeef);
        memset(addr6, 0xab, sizeof(addr6));
        ret = InetPtonW(AF_INET6, wide, addr6);
        CHECK_EQ(ret, v6[i].ret);
        CHECK_EQ((DWORD)WSAGetLastError(), (DWORD)(ret ? 0xdeadbeef : WSAEINVAL));
        if (v6[i].check_addr) CHECK(memcmp(addr6, v6[i].addr, sizeof(addr6)) == 0);
    }
}

static int ntop_error_ok(void)
{
    /* STATUS_INVALID_PARAMETER on current Windows, WSAEINVAL on Windows 7. */
    DWORD e = (DWORD)WSAGetLastError();
    return e == (DWORD)0xC000000D || e == WSAEINVAL;
}

static void test_inet_ntop(void)
{
    static const struct {
        BYTE bytes[16];
        const char *text;
    } v6[] = {
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74}, "::fffe:cc98:bd74"},
        {{0x20, 0x30, 0xa4, 0xb1}, "2030:a4b1::"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0x98, 0xbd, 0x74}, "::204.152.189.116"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
        {{0}, "::"},
        /* the dotted quad: IPv4-compatible, -mapped and -translated forms when the IPv4
         * address's first half is not zero, ISATAP identifiers always (Wine's ntdll rtl.c
         * test_RtlIpv6AddressToString, which passes on Windows) */
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, "::ffff"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, "::0.1.0.0"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0x03, 0x44}, "::ffff:0:344"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 13, 1, 68, 3}, "::ffff:0:13.1.68.3"},
        {{0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 13, 1, 68, 3}, "::ffff:0:0:d01:4403"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0xfe, 0, 0, 0, 0}, "::5efe:0.0.0.0"},
        {{0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0, 0, 0x5e, 0xfe, 129, 144, 52, 38},
         "1111:2222:3333:4444:0:5efe:129.144.52.38"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0x5e, 0xfe, 129, 144, 52, 38}, "::200:5efe:129.144.52.38"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0, 0x5e, 0xfe, 129, 144, 52, 38}, "::300:5efe:8190:3426"},
        {{0x3f, 0xfe, 0x0b, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x0a}, "3ffe:b00::1:0:0:a"},
    };
    char dst[16], dst6[64];
    WCHAR dstW[64];
    struct in_addr in;
    const char *p;
    size_t i;

    in.s_addr = 0x20201015;
    TEST("inet_ntop: IPv4");
    CHECK(inet_ntop(AF_INET, &in, dst, sizeof(dst)) == dst);
    CHECK(strcmp(dst, "21.16.32.32") == 0);
    CHECK(inet_ntop(AF_INET, &in, dst, 12) == dst);
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, &in, dst, 11) == NULL);
    CHECK(ntop_error_ok());
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, &in, NULL, sizeof(dst)) == NULL);
    CHECK(ntop_error_ok());
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, &in, dst, 0) == NULL);
    CHECK(ntop_error_ok());
    WSASetLastError(0);
    CHECK(inet_ntop(1, &in, dst, sizeof(dst)) == NULL);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEAFNOSUPPORT);

    TEST("inet_ntop: IPv6");
    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); ++i) {
        memset(dst6, 0xcc, sizeof(dst6));
        p = inet_ntop(AF_INET6, v6[i].bytes, dst6, sizeof(dst6));
        CHECK(p == dst6);
        if (p && strcmp(p, v6[i].text) != 0) printf("  inet_ntop gave \"%s\", expected \"%s\"\n", p, v6[i].text);
        CHECK(p && strcmp(p, v6[i].text) == 0);
    }
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET6, v6[0].bytes, dst6, 16) == NULL);
    CHECK(ntop_error_ok());
    CHECK(inet_ntop(AF_INET6, v6[0].bytes, dst6, 17) == dst6);

    TEST("InetNtopW");
    CHECK(InetNtopW(AF_INET6, v6[3].bytes, dstW, 64) == dstW);
    CHECK(wide_equals(dstW, "::1"));
    CHECK(InetNtopW(AF_INET, &in, dstW, 11) == NULL);
}

/* ---- WSAAddressToString, WSAStringToAddress ----------------------------------------------------------- */

static void test_address_to_string(void)
{
    static const struct {
        ULONG address;
        USHORT port;
        const char *output;
    } v4[] = {
        {0, 0, "0.0.0.0"},
        {0xffffffff, 0, "255.255.255.255"},
        {0, 0xffff, "0.0.0.0:65535"},
        {0xffffffff, 0xffff, "255.255.255.255:65535"},
    };
    static const struct {
        USHORT address[8];
        ULONG scope;
        USHORT port;
        const char *output;
    } v6[] = {
        {{0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, "::1"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, "20ab::1"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0, 0xfa81, "[20ab::2001]:33274"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0x1234, 0xfa81, "[20ab::2001%4660]:33274"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0x1234, 0, "20ab::2001%4660"},
        /* RtlIpv6AddressToStringEx's forms (Wine's ntdll rtl.c, which passes on Windows) */
        {{0, 0, 0, 0, 0, 0, 0x10d, 0x344}, 0, 1, "[::13.1.68.3]:256"},
        {{0x1111, 0x2222, 0x3333, 0x4444, 0, 0xfe5e, 0x9081, 0x2634}, 0xffffbbbb, 0xeeff,
         "[1111:2222:3333:4444:0:5efe:129.144.52.38%4294949819]:65518"},
    };
    SOCKADDR_IN sa;
    SOCKADDR_IN6 sa6;
    char output[64];
    WCHAR outputW[64];
    DWORD len;
    size_t i;

    TEST("WSAAddressToString: buffer too small gives the length needed");
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    len = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sa, sizeof(sa), NULL, output, &len), SOCKET_ERROR);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 8);
    len = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sa, sizeof(sa), NULL, NULL, &len), SOCKET_ERROR);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 8);
    len = 64;
    CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sa, sizeof(sa), NULL, outputW, &len), 0);
    CHECK_EQ(len, 8);
    CHECK(wide_equals(outputW, "0.0.0.0"));

    TEST("WSAAddressToString: IPv4");
    for (i = 0; i < sizeof(v4) / sizeof(v4[0]); ++i) {
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = v4[i].address;
        sa.sin_port = v4[i].port;
        len = sizeof(output);
        memset(output, 0, sizeof(output));
        CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sa, sizeof(sa), NULL, output, &len), 0);
        CHECK(strcmp(output, v4[i].output) == 0);
        CHECK_EQ(len, strlen(v4[i].output) + 1);
        len = 64;
        CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sa, sizeof(sa), NULL, outputW, &len), 0);
        CHECK(wide_equals(outputW, v4[i].output));
        CHECK_EQ(len, strlen(v4[i].output) + 1);
    }

    TEST("WSAAddressToString: IPv6, with scope and port");
    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); ++i) {
        memset(&sa6, 0, sizeof(sa6));
        sa6.sin6_family = AF_INET6;
        sa6.sin6_scope_id = v6[i].scope;
        sa6.sin6_port = v6[i].port;
        memcpy(sa6.sin6_addr.s6_addr, v6[i].address, 16);
        len = sizeof(output);
        CHECK_EQ(WSAAddressToStringA((SOCKADDR *)&sa6, sizeof(sa6), NULL, output, &len), 0);
        if (strcmp(output, v6[i].output) != 0) printf("  got \"%s\", expected \"%s\"\n", output, v6[i].output);
        CHECK(strcmp(output, v6[i].output) == 0);
        CHECK_EQ(len, strlen(v6[i].output) + 1);
        len = 64;
        CHECK_EQ(WSAAddressToStringW((SOCKADDR *)&sa6, sizeof(sa6), NULL, outputW, &len), 0);
        CHECK(wide_equals(outputW, v6[i].output));
        CHECK_EQ(len, strlen(v6[i].output) + 1);
    }
}

static void test_string_to_address(void)
{
    static const struct {
        const char *input;
        ULONG address; /* host order */
        USHORT port;
        int error;
    } v4[] = {
        {"", 0, 0, WSAEINVAL},
        {" ", 0, 0, WSAEINVAL},
        {"1.1.1.1", 0x01010101, 0, 0},
        {"127.127.127.127:", 0x7f7f7f7f, 0, WSAEINVAL},
        {"127.127.127.127:0", 0x7f7f7f7f, 0, WSAEINVAL},
        {"127.127.127.127:123", 0x7f7f7f7f, 123, 0},
        {"127.127.127.127:65535", 0x7f7f7f7f, 65535, 0},
        {"127.127.127.127:65537", 0x7f7f7f7f, 0, WSAEINVAL},
        {"127.127.127.127::1", 0x7f7f7f7f, 0, WSAEINVAL},
        {"127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981, 0},
        {"127.127.127.127:0x", 0x7f7f7f7f, 0, WSAEINVAL},
        {"127.127.127.127:010", 0x7f7f7f7f, 8, 0},
        {"127.127.127.127:08", 0x7f7f7f7f, 0, WSAEINVAL},
        {"255.255.255.256", 0, 0, WSAEINVAL},
        {"1.1.1.0xaA", 0x010101aa, 0, 0},
        {"1.1.1.0x100", 0, 0, WSAEINVAL},
        {"1.1.1.010", 0x01010108, 0, 0},
        {"1.1.1.08", 0, 0, WSAEINVAL},
        {"1.1.1.008", 0x01010100, 0, WSAEINVAL},
        {"1.1.1.0a", 0x01010100, 0, WSAEINVAL},
        {"1", 0x00000001, 0, 0},
        {"-1", 0, 0, WSAEINVAL},
        {"1:1", 0x00000001, 1, 0},
        {"1.2", 0x01000002, 0, 0},
        {"1000.2000", 0, 0, WSAEINVAL},
        {"1.2.", 0, 0, WSAEINVAL},
        {"1..2", 0, 0, WSAEINVAL},
        {"1.2.3", 0x01020003, 0, 0},
        {"203569230:123", 0x0c22384e, 123, 0},
        {"2001::1", 0x000007d1, 0, WSAEINVAL},
        {"1.223756", 0x01036a0c, 0, 0},
        {"3.4.756", 0x030402f4, 0, 0},
        {"756.3.4", 0, 0, WSAEINVAL},
        {"3.4.65536", 0, 0, WSAEINVAL},
        {"3.4.5.6.7", 0, 0, WSAEINVAL},
        {" 3.4.5.6", 0, 0, WSAEINVAL},
        {"3.4.5.6 ", 0x03040506, 0, WSAEINVAL},
        {"3.4.5.6:7 ", 0x03040506, 0, WSAEINVAL},
        {"[0.1.2.3]", 0, 0, WSAEINVAL},
        {"0x00010203:10", 0x00010203, 10, 0},
        {"0x123456789", 0x23456789, 0, 0},
        {"0x00010Q03", 0x00000010, 0, WSAEINVAL},
        {"1234BEEF", 0x000004d2, 0, WSAEINVAL},
        {"017700000001", 0x7f000001, 0, 0},
        {"0777:10", 0x000001ff, 10, 0},
        {"::1", 0, 0, WSAEINVAL},
    };
    static const struct {
        const char *input;
        USHORT address[8];
        USHORT port; /* as stored */
        int error;
    } v6[] = {
        {"::1", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0},
        {"[::1]", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0},
        {"[::1]:65535", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0xffff, 0},
        {"2001::1", {0x120, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0},
        {"::1]:65535", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, WSAEINVAL},
        {"001::1", {0x100, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0},
        {"", {0, 0, 0, 0, 0, 0, 0, 0}, 0, WSAEINVAL},
    };
    SOCKADDR_IN sa;
    SOCKADDR_IN6 sa6;
    WCHAR wide[64];
    int len, expected_len, ret, unicode;
    size_t i;

    TEST("WSAStringToAddress: length too small gives the length needed");
    len = 0;
    WSASetLastError(0);
    CHECK_EQ(WSAStringToAddressA((char *)"1.1.1.1", AF_INET, NULL, (SOCKADDR *)&sa, &len), SOCKET_ERROR);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK(len >= (int)sizeof(sa));
    len = 0;
    WSASetLastError(0);
    CHECK_EQ(WSAStringToAddressA((char *)"::1", AF_INET6, NULL, (SOCKADDR *)&sa6, &len), SOCKET_ERROR);
    CHECK_EQ((DWORD)WSAGetLastError(), WSAEFAULT);
    CHECK(len >= (int)sizeof(sa6));

    for (unicode = 0; unicode < 2; ++unicode) {
        TEST(unicode ? "WSAStringToAddressW: IPv4" : "WSAStringToAddressA: IPv4");
        for (i = 0; i < sizeof(v4) / sizeof(v4[0]); ++i) {
            len = sizeof(sa) + 10;
            expected_len = v4[i].error ? len : (int)sizeof(sa);
            memset(&sa, 0xab, sizeof(sa));
            WSASetLastError(0);
            if (unicode) {
                widen(v4[i].input, wide, 64);
                ret = WSAStringToAddressW(wide, AF_INET, NULL, (SOCKADDR *)&sa, &len);
            } else {
                ret = WSAStringToAddressA((char *)v4[i].input, AF_INET, NULL, (SOCKADDR *)&sa, &len);
            }
            if (ret != (v4[i].error ? SOCKET_ERROR : 0) || sa.sin_addr.s_addr != htonl(v4[i].address))
                printf("  WSAStringToAddress(\"%s\")\n", v4[i].input);
            CHECK_EQ(ret, v4[i].error ? SOCKET_ERROR : 0);
            CHECK_EQ((DWORD)WSAGetLastError(), v4[i].error);
            CHECK_EQ(sa.sin_family, v4[i].error ? 0 : AF_INET);
            CHECK_EQ(sa.sin_addr.s_addr, htonl(v4[i].address));
            CHECK_EQ(sa.sin_port, htons(v4[i].port));
            CHECK_EQ(len, expected_len);
        }

        TEST(unicode ? "WSAStringToAddressW: IPv6" : "WSAStringToAddressA: IPv6");
        for (i = 0; i < sizeof(v6) / sizeof(v6[0]); ++i) {
            len = sizeof(sa6) + 10;
            expected_len = v6[i].error ? len : (int)sizeof(sa6);
            memset(&sa6, 0xab, sizeof(sa6));
            WSASetLastError(0);
            if (unicode) {
                widen(v6[i].input, wide, 64);
                ret = WSAStringToAddressW(wide, AF_INET6, NULL, (SOCKADDR *)&sa6, &len);
            } else {
                ret = WSAStringToAddressA((char *)v6[i].input, AF_INET6, NULL, (SOCKADDR *)&sa6, &len);
            }
            if (ret != (v6[i].error ? SOCKET_ERROR : 0)) printf("  WSAStringToAddress(\"%s\")\n", v6[i].input);
            CHECK_EQ(ret, v6[i].error ? SOCKET_ERROR : 0);
            CHECK_EQ((DWORD)WSAGetLastError(), v6[i].error);
            CHECK_EQ(sa6.sin6_family, v6[i].error ? 0 : AF_INET6);
            CHECK(memcmp(&sa6.sin6_addr, v6[i].address, 16) == 0);
            CHECK_EQ(sa6.sin6_scope_id, 0);
            CHECK_EQ(sa6.sin6_port, v6[i].port);
            CHECK_EQ(sa6.sin6_flowinfo, 0);
            CHECK_EQ(len, expected_len);
        }
    }

    TEST("WSAStringToAddress: IPv6 scope");
    len = sizeof(sa6);
    CHECK_EQ(WSAStringToAddressA((char *)"[fe80::1%4]:80", AF_INET6, NULL, (SOCKADDR *)&sa6, &len), 0);
    CHECK_EQ(sa6.sin6_scope_id, 4);
    CHECK_EQ(sa6.sin6_port, htons(80));
}

/* ---- gai_strerror, WSAHtonl ------------------------------------------------------------------------------- */

static void test_misc(void)
{
    const char *text;
    u_long value = 0;

    TEST("gai_strerror");
    text = gai_strerrorA(WSAHOST_NOT_FOUND);
    CHECK(text != NULL && text[0] != 0);

    TEST("WSAHtonl on something that is not a socket");
    WINE_DEVIATION("Wine's WSAHtonl does not look at the socket")
    {
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSAHtonl(INVALID_SOCKET, 1, &value), SOCKET_ERROR);
        CHECK_EQ((DWORD)WSAGetLastError(), WSAENOTSOCK);
    }
}

int main(void)
{
    WSADATA data;

    test_without_startup();
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    test_getaddrinfo_basics();
    test_getaddrinfo_numeric();
    test_getaddrinfo_hints();
    test_getaddrinfo_wide();
    test_getaddrinfoex_async();
    test_getnameinfo();
    test_hostent();
    test_servent();
    test_protoent();
    test_inet_addr_ntoa();
    test_inet_pton();
    test_inet_ntop();
    test_address_to_string();
    test_string_to_address();
    test_misc();
    WSACleanup();
    return tl_finish();
}
