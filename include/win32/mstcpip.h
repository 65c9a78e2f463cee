/* mstcpip.h: TCP/IP-specific ioctls and structures: keep-alive values, loopback fast
 * path, receive-all. */
#ifndef OVERLAPPED_MSTCPIP_H
#define OVERLAPPED_MSTCPIP_H

#include <winsock2.h>
#include <ws2ipdef.h>
#include <string.h>

OVERLAPPED_BEGIN_C

struct tcp_keepalive {
    ULONG onoff;
    ULONG keepalivetime;     /* milliseconds */
    ULONG keepaliveinterval; /* milliseconds */
};

#define SIO_RCVALL _WSAIOW(IOC_VENDOR, 1)
#define SIO_RCVALL_MCAST _WSAIOW(IOC_VENDOR, 2)
#define SIO_RCVALL_IGMPMCAST _WSAIOW(IOC_VENDOR, 3)
#define SIO_KEEPALIVE_VALS _WSAIOW(IOC_VENDOR, 4)
#define SIO_ABSORB_RTRALERT _WSAIOW(IOC_VENDOR, 5)
#define SIO_UCAST_IF _WSAIOW(IOC_VENDOR, 6)
#define SIO_LIMIT_BROADCASTS _WSAIOW(IOC_VENDOR, 7)
#define SIO_INDEX_BIND _WSAIOW(IOC_VENDOR, 8)
#define SIO_INDEX_MCASTIF _WSAIOW(IOC_VENDOR, 9)
#define SIO_INDEX_ADD_MCAST _WSAIOW(IOC_VENDOR, 10)
#define SIO_INDEX_DEL_MCAST _WSAIOW(IOC_VENDOR, 11)
#define SIO_LOOPBACK_FAST_PATH _WSAIOW(IOC_VENDOR, 16)
#define SIO_TCP_INITIAL_RTO _WSAIOW(IOC_VENDOR, 17)

#define RCVALL_OFF 0
#define RCVALL_ON 1
#define RCVALL_SOCKETLEVELONLY 2
#define RCVALL_IPLEVEL 3

/* ---- Address helpers (inline, as in the SDK's mstcpip.h) --------------------------------
 * IN4ADDR_* work on a SOCKADDR_IN, IN6ADDR_* on a SOCKADDR_IN6, INETADDR_* on either
 * (by sa_family). The SET functions fill the whole structure, the port with 0. */
static inline BOOLEAN IN4_IS_ADDR_UNSPECIFIED(const IN_ADDR *a) { return a->s_addr == INADDR_ANY; }
static inline BOOLEAN IN4_IS_ADDR_LOOPBACK(const IN_ADDR *a) { return ((const UCHAR *)a)[0] == 127; }
static inline BOOLEAN IN4ADDR_ISANY(const SOCKADDR_IN *a) { return IN4_IS_ADDR_UNSPECIFIED(&a->sin_addr); }
static inline BOOLEAN IN4ADDR_ISLOOPBACK(const SOCKADDR_IN *a) { return IN4_IS_ADDR_LOOPBACK(&a->sin_addr); }
static inline void IN4ADDR_SETANY(PSOCKADDR_IN a)
{
    memset(a, 0, sizeof(*a));
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = INADDR_ANY;
}
static inline void IN4ADDR_SETLOOPBACK(PSOCKADDR_IN a)
{
    memset(a, 0, sizeof(*a));
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}
static inline BOOLEAN IN6ADDR_ISANY(const SOCKADDR_IN6 *a) { return (BOOLEAN)IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr); }
static inline BOOLEAN IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a) { return (BOOLEAN)IN6_IS_ADDR_LOOPBACK(&a->sin6_addr); }
static inline void IN6ADDR_SETANY(PSOCKADDR_IN6 a)
{
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
}
static inline void IN6ADDR_SETLOOPBACK(PSOCKADDR_IN6 a)
{
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
    a->sin6_addr.s6_addr[15] = 1;
}
/* ::ffff:a4 with the given scope and port (network order). */
static inline void IN6ADDR_SETV4MAPPED(PSOCKADDR_IN6 a6, const IN_ADDR *a4, SCOPE_ID scope, USHORT port)
{
    memset(a6, 0, sizeof(*a6));
    a6->sin6_family = AF_INET6;
    a6->sin6_port = port;
    a6->sin6_addr.s6_addr[10] = 0xff;
    a6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&a6->sin6_addr.s6_addr[12], a4, 4);
    a6->sin6_scope_struct = scope;
}
static inline BOOLEAN INETADDR_ISANY(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? IN6ADDR_ISANY((const SOCKADDR_IN6 *)a) : IN4ADDR_ISANY((const SOCKADDR_IN *)a);
}
static inline BOOLEAN INETADDR_ISLOOPBACK(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? IN6ADDR_ISLOOPBACK((const SOCKADDR_IN6 *)a)
                                    : IN4ADDR_ISLOOPBACK((const SOCKADDR_IN *)a);
}
static inline USHORT INETADDR_PORT(const SOCKADDR *a) { return ((const SOCKADDR_IN *)a)->sin_port; }
static inline const UCHAR *INETADDR_ADDRESS(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? (const UCHAR *)&((const SOCKADDR_IN6 *)a)->sin6_addr
                                    : (const UCHAR *)&((const SOCKADDR_IN *)a)->sin_addr;
}
static inline SCOPE_ID INETADDR_SCOPE_ID(const SOCKADDR *a)
{
    SCOPE_ID unspecified = SCOPEID_UNSPECIFIED_INIT;
    return a->sa_family == AF_INET6 ? ((const SOCKADDR_IN6 *)a)->sin6_scope_struct : unspecified;
}
static inline void INETADDR_SETANY(PSOCKADDR a)
{
    if (a->sa_family == AF_INET6)
        IN6ADDR_SETANY((PSOCKADDR_IN6)a);
    else
        IN4ADDR_SETANY((PSOCKADDR_IN)a);
}
static inline void INETADDR_SETLOOPBACK(PSOCKADDR a)
{
    if (a->sa_family == AF_INET6)
        IN6ADDR_SETLOOPBACK((PSOCKADDR_IN6)a);
    else
        IN4ADDR_SETLOOPBACK((PSOCKADDR_IN)a);
}


OVERLAPPED_END_C

#endif
