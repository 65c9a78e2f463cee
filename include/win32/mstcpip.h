/* mstcpip.h: TCP/IP-specific ioctls and structures: keep-alive values, loopback fast
 * path, receive-all. */
#ifndef OVERLAPPED_MSTCPIP_H
#define OVERLAPPED_MSTCPIP_H

#include <winsock2.h>
#include <ws2ipdef.h>

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

/* ---- IPv4 and family-independent address helpers (the SDK's inline functions) ---------------
 * Addresses are in network byte order, as in the structures; INETADDR_* take an AF_INET or
 * AF_INET6 address and act on the family the address names. */
#define IN4ADDR_ANY INADDR_ANY
#define IN4ADDR_LOOPBACK 0x0100007f /* 127.0.0.1 as stored in memory */

static inline BOOLEAN IN4_IS_ADDR_UNSPECIFIED(const IN_ADDR *a) { return (BOOLEAN)(a->s_addr == IN4ADDR_ANY); }
static inline BOOLEAN IN4_IS_ADDR_LOOPBACK(const IN_ADDR *a)
{
    return (BOOLEAN)(((const UCHAR *)a)[0] == 127); /* all of 127.0.0.0/8 */
}
static inline void IN4ADDR_SETANY(PSOCKADDR_IN a)
{
    a->sin_family = AF_INET;
    a->sin_port = 0;
    a->sin_addr.s_addr = IN4ADDR_ANY;
    for (unsigned i = 0; i < sizeof(a->sin_zero); ++i) a->sin_zero[i] = 0;
}
static inline void IN4ADDR_SETLOOPBACK(PSOCKADDR_IN a)
{
    IN4ADDR_SETANY(a);
    a->sin_addr.s_addr = IN4ADDR_LOOPBACK;
}
static inline BOOLEAN IN4ADDR_ISANY(const SOCKADDR_IN *a) { return IN4_IS_ADDR_UNSPECIFIED(&a->sin_addr); }
static inline BOOLEAN IN4ADDR_ISLOOPBACK(const SOCKADDR_IN *a) { return IN4_IS_ADDR_LOOPBACK(&a->sin_addr); }
static inline SCOPE_ID IN4ADDR_SCOPE_ID(const SOCKADDR_IN *a)
{
    SCOPE_ID none;
    (void)a;
    none.Value = 0;
    return none;
}

/* ::ffff:a.b.c.d, the IPv6 form of an IPv4 address. */
static inline void IN6_SET_ADDR_V4MAPPED(PIN6_ADDR a6, const IN_ADDR *a4)
{
    IN6_SET_ADDR_UNSPECIFIED(a6);
    a6->u.Byte[10] = 0xff;
    a6->u.Byte[11] = 0xff;
    for (int i = 0; i < 4; ++i) a6->u.Byte[12 + i] = ((const UCHAR *)a4)[i];
}
/* A v4-mapped socket address. The scope keeps only what the address needs: none for a
 * loopback or global address, and no level where the address implies it (link-local
 * 169.254.0.0/16 is of link scope). */
static inline void IN6ADDR_SETV4MAPPED(PSOCKADDR_IN6 a6, const IN_ADDR *a4, SCOPE_ID scope, USHORT port)
{
    const UCHAR *bytes = (const UCHAR *)a4;
    BOOLEAN link_local = (BOOLEAN)(bytes[0] == 169 && bytes[1] == 254);
    ULONG level = (link_local || IN4_IS_ADDR_LOOPBACK(a4)) ? ScopeLevelLink : ScopeLevelGlobal;
    a6->sin6_family = AF_INET6;
    a6->sin6_port = port;
    a6->sin6_flowinfo = 0;
    IN6_SET_ADDR_V4MAPPED(&a6->sin6_addr, a4);
    if (!link_local) scope.Value = 0;
    if (scope.Level == level) scope.Level = 0;
    a6->sin6_scope_struct = scope;
}

static inline SIZE_T INET_ADDR_LENGTH(ADDRESS_FAMILY af)
{
    return af == AF_INET6 ? sizeof(IN6_ADDR) : sizeof(IN_ADDR);
}
static inline SIZE_T INET_SOCKADDR_LENGTH(ADDRESS_FAMILY af)
{
    return af == AF_INET6 ? sizeof(SOCKADDR_IN6) : sizeof(SOCKADDR_IN);
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
static inline BOOLEAN INETADDR_ISANY(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? IN6ADDR_ISANY((const SOCKADDR_IN6 *)a)
                                    : IN4ADDR_ISANY((const SOCKADDR_IN *)a);
}
static inline BOOLEAN INETADDR_ISLOOPBACK(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? IN6ADDR_ISLOOPBACK((const SOCKADDR_IN6 *)a)
                                    : IN4ADDR_ISLOOPBACK((const SOCKADDR_IN *)a);
}
static inline SCOPE_ID INETADDR_SCOPE_ID(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? ((const SOCKADDR_IN6 *)a)->sin6_scope_struct
                                    : IN4ADDR_SCOPE_ID((const SOCKADDR_IN *)a);
}
static inline USHORT INETADDR_PORT(const SOCKADDR *a) { return SS_PORT(a); }
static inline void INETADDR_SET_PORT(PSOCKADDR a, USHORT Port) { SS_PORT(a) = Port; }
static inline PUCHAR INETADDR_ADDRESS(const SOCKADDR *a)
{
    return a->sa_family == AF_INET6 ? (PUCHAR) & ((PSOCKADDR_IN6)a)->sin6_addr
                                    : (PUCHAR) & ((PSOCKADDR_IN)a)->sin_addr;
}

OVERLAPPED_END_C

#endif
