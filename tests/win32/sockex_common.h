/* sockex_common.h: small helpers shared by the Winsock extension and readiness tests
 * (test_socket_acceptex.c, test_socket_transmit.c, test_socket_select*.c).
 *
 * Everything here uses the standard Winsock names only, so the same source builds with
 * mingw-w64 (run under Wine) and with gcc against the project's own headers. Every
 * helper is bounded in time: nothing here can block forever. Loopback only. */
#ifndef OVERLAPPED_SOCKEX_COMMON_H
#define OVERLAPPED_SOCKEX_COMMON_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include "testlib.h"

/* The address-buffer size AcceptEx and GetAcceptExSockaddrs need for IPv4: the
 * sockaddr plus 16 bytes (Microsoft Learn, AcceptEx). */
#define SX_ADDRLEN ((DWORD)(sizeof(SOCKADDR_IN) + 16))

#define SX_STATUS_PENDING ((ULONG_PTR)0x00000103)
#define SX_STATUS_CANCELLED ((ULONG_PTR)0xC0000120)
#define SX_STATUS_BUFFER_TOO_SMALL ((ULONG_PTR)0xC0000023)

static inline void sx_startup(void)
{
    WSADATA data;
    int ret = WSAStartup(MAKEWORD(2, 2), &data);
    CHECK_EQ(ret, 0);
}

static inline void sx_cleanup(void)
{
    CHECK_EQ(WSACleanup(), 0);
}

/* An overlapped TCP/IPv4 socket (socket() gives overlapped sockets too; WSASocket says so
 * explicitly). */
static inline SOCKET sx_tcp(void)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    return s;
}

static inline SOCKET sx_udp(void)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    return s;
}

static inline struct sockaddr_in sx_loopback(u_short port_network_order)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = port_network_order;
    return a;
}

/* Binds s to 127.0.0.1 on a port the system picks. */
static inline int sx_bind_loopback(SOCKET s)
{
    struct sockaddr_in a = sx_loopback(0);
    return bind(s, (struct sockaddr *)&a, sizeof(a));
}

static inline struct sockaddr_in sx_name(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return a;
}

static inline struct sockaddr_in sx_peer(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    CHECK_EQ(getpeername(s, (struct sockaddr *)&a, &len), 0);
    return a;
}

static inline int sx_same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* A listening TCP socket on 127.0.0.1:<any>; its address is returned in *addr. */
static inline SOCKET sx_listener(struct sockaddr_in *addr, int backlog)
{
    SOCKET s = sx_tcp();
    CHECK_EQ(sx_bind_loopback(s), 0);
    *addr = sx_name(s);
    CHECK_EQ(listen(s, backlog), 0);
    return s;
}

/* A loopback port that nothing listens on: bind a socket, read the port, close it. */
static inline u_short sx_unused_port(void)
{
    SOCKET s = sx_tcp();
    struct sockaddr_in a;
    CHECK_EQ(sx_bind_loopback(s), 0);
    a = sx_name(s);
    closesocket(s);
    return a.sin_port;
}

static inline void sx_set_nonblocking(SOCKET s, u_long on)
{
    CHECK_EQ(ioctlsocket(s, FIONBIO, &on), 0);
}

/* accept() that waits at most ms milliseconds for a connection (INVALID_SOCKET if none). */
static inline SOCKET sx_accept(SOCKET listener, DWORD ms)
{
    fd_set r;
    struct timeval tv;
    tv.tv_sec = (long)(ms / 1000);
    tv.tv_usec = (long)((ms % 1000) * 1000);
    FD_ZERO(&r);
    FD_SET(listener, &r);
    if (select(0, &r, NULL, NULL, &tv) != 1)
        return INVALID_SOCKET;
    return accept(listener, NULL, NULL);
}

/* A connected TCP pair through a temporary listener (blocking connect + accept). */
static inline void sx_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = sx_listener(&addr, 1);
    *client = sx_tcp();
    CHECK_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *server = sx_accept(listener, 5000);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

/* Gets an extension function pointer with SIO_GET_EXTENSION_FUNCTION_POINTER, the way
 * real servers do, and checks the documented outputs. */
static inline int sx_get_ext(SOCKET s, GUID guid, void *fn_out, DWORD fn_size)
{
    DWORD bytes = 0xdeadbeef;
    int ret;
    memset(fn_out, 0, fn_size);
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), fn_out, fn_size,
                   &bytes, NULL, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(bytes, fn_size);
    return ret == 0;
}

/* TRUE if the handle is signalled within ms milliseconds. */
static inline int sx_signalled(HANDLE h, DWORD ms)
{
    return WaitForSingleObject(h, ms) == WAIT_OBJECT_0;
}

/* TRUE if select() says s is readable within ms milliseconds. */
static inline int sx_readable(SOCKET s, DWORD ms)
{
    fd_set r;
    struct timeval tv;
    tv.tv_sec = (long)(ms / 1000);
    tv.tv_usec = (long)((ms % 1000) * 1000);
    FD_ZERO(&r);
    FD_SET(s, &r);
    return select(0, &r, NULL, NULL, &tv) == 1;
}

/* Receives until len bytes arrived, the peer closed, an error, or timeout_ms of silence.
 * Returns the number of bytes received. */
static inline int sx_recv_all(SOCKET s, char *buf, int len, DWORD timeout_ms)
{
    int got = 0;
    while (got < len) {
        int n;
        if (!sx_readable(s, timeout_ms))
            break;
        n = recv(s, buf + got, len - got, 0);
        if (n <= 0)
            break;
        got += n;
    }
    return got;
}

/* TRUE if the next recv on s reports a graceful close (returns 0) within timeout_ms. */
static inline int sx_recv_eof(SOCKET s, DWORD timeout_ms)
{
    char c;
    if (!sx_readable(s, timeout_ms))
        return 0;
    return recv(s, &c, 1, 0) == 0;
}

/* One GetQueuedCompletionStatus call with sentinel-filled outputs. */
struct sx_packet {
    BOOL ret;
    DWORD error;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
};

static inline struct sx_packet sx_get_packet(HANDLE port, DWORD ms)
{
    struct sx_packet p;
    p.bytes = 0xdeadbeef;
    p.key = (ULONG_PTR)0xdeadbeef;
    p.ov = (OVERLAPPED *)(ULONG_PTR)0xdeadbeef;
    SetLastError(0xdeadbeef);
    p.ret = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ov, ms);
    p.error = GetLastError();
    return p;
}

/* An OVERLAPPED with a fresh manual-reset event and sentinel Internal fields. */
static inline void sx_ov_init(OVERLAPPED *ov)
{
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(ov->hEvent != NULL);
}

static inline void sx_ov_reset(OVERLAPPED *ov)
{
    HANDLE e = ov->hEvent;
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = e;
    ResetEvent(e);
    ov->Internal = 0xdeadbeef;
    ov->InternalHigh = 0xdeadbeef;
}

static inline void sx_ov_free(OVERLAPPED *ov)
{
    if (ov->hEvent != NULL)
        CloseHandle(ov->hEvent);
    ov->hEvent = NULL;
}

/* Byte i of the test pattern used by the data-verifying tests. */
static inline unsigned char sx_pattern(size_t i)
{
    return (unsigned char)((i * 131u + (i >> 8) * 7u + 0x5au) & 0xffu);
}

/* Index of the first byte that differs from the pattern starting at offset, or -1. */
static inline long sx_pattern_mismatch(const char *buf, size_t len, size_t offset)
{
    size_t i;
    for (i = 0; i < len; i++)
        if ((unsigned char)buf[i] != sx_pattern(offset + i))
            return (long)i;
    return -1;
}

#endif
