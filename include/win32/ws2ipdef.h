/* ws2ipdef.h: IPv4 and IPv6 definitions with Windows' values and layouts: IN6_ADDR,
 * SOCKADDR_IN6 (28 bytes), the IPPROTO_IP and IPPROTO_IPV6 options, multicast requests,
 * packet information, in6addr_any and in6addr_loopback. */
#ifndef OVERLAPPED_WS2IPDEF_H
#define OVERLAPPED_WS2IPDEF_H

#pragma GCC diagnostic push /* unnamed members: see winnt.h */
#pragma GCC diagnostic ignored "-Wpedantic"

#include <ws2def.h>

OVERLAPPED_BEGIN_C

typedef struct in6_addr {
    union {
        UCHAR Byte[16];
        USHORT Word[8];
    } u;
} IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
#define in_addr6 in6_addr
#define _S6_un u
#define _S6_u8 Byte
#define s6_addr _S6_un._S6_u8
#define s6_bytes u.Byte
#define s6_words u.Word

#define IN6ADDR_ANY_INIT {{{0}}}
#define IN6ADDR_LOOPBACK_INIT {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}}

typedef struct sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
    union {
        ULONG sin6_scope_id;
        SCOPE_ID sin6_scope_struct;
    };
} SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH, *LPSOCKADDR_IN6_LH;
typedef SOCKADDR_IN6_LH SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;

typedef union _SOCKADDR_INET {
    SOCKADDR_IN Ipv4;
    SOCKADDR_IN6 Ipv6;
    ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

/* The library's copies, under names of its own (libc exports in6addr_any too). */
OVERLAPPED_API extern const IN6_ADDR in6addr_any __asm__("overlapped_in6addr_any");
OVERLAPPED_API extern const IN6_ADDR in6addr_loopback __asm__("overlapped_in6addr_loopback");

/* ---- IPPROTO_IP options --------------------------------------------------------------- */
#define IP_OPTIONS 1
#define IP_HDRINCL 2
#define IP_TOS 3
#define IP_TTL 4
#define IP_MULTICAST_IF 9
#define IP_MULTICAST_TTL 10
#define IP_MULTICAST_LOOP 11
#define IP_ADD_MEMBERSHIP 12
#define IP_DROP_MEMBERSHIP 13
#define IP_DONTFRAGMENT 14
#define IP_ADD_SOURCE_MEMBERSHIP 15
#define IP_DROP_SOURCE_MEMBERSHIP 16
#define IP_BLOCK_SOURCE 17
#define IP_UNBLOCK_SOURCE 18
#define IP_PKTINFO 19
#define IP_HOPLIMIT 21
#define IP_RECVTTL 21
#define IP_RECEIVE_BROADCAST 22
#define IP_RECVIF 24
#define IP_RECVDSTADDR 25
#define IP_IFLIST 28
#define IP_ADD_IFLIST 29
#define IP_DEL_IFLIST 30
#define IP_UNICAST_IF 31
#define IP_RTHDR 32
#define IP_GET_IFLIST 33
#define IP_RECVRTHDR 38
#define IP_TCLASS 39
#define IP_RECVTCLASS 40
#define IP_RECVTOS 40
#define IP_ORIGINAL_ARRIVAL_IF 47
#define IP_ECN 50
#define IP_RECVECN 50
#define IP_PKTINFO_EX 51
#define IP_WFP_REDIRECT_RECORDS 60
#define IP_WFP_REDIRECT_CONTEXT 70
#define IP_MTU_DISCOVER 71
#define IP_MTU 73
#define IP_NRT_INTERFACE 74
#define IP_RECVERR 75
#define IP_USER_MTU 76

#define IP_UNSPECIFIED_TYPE_OF_SERVICE (-1)
#define IP_DEFAULT_MULTICAST_TTL 1
#define IP_DEFAULT_MULTICAST_LOOP 1
#define IP_MAX_MEMBERSHIPS 20

/* ---- IPPROTO_IPV6 options ------------------------------------------------------------- */
#define IPV6_HOPOPTS 1
#define IPV6_HDRINCL 2
#define IPV6_UNICAST_HOPS 4
#define IPV6_MULTICAST_IF 9
#define IPV6_MULTICAST_HOPS 10
#define IPV6_MULTICAST_LOOP 11
#define IPV6_ADD_MEMBERSHIP 12
#define IPV6_JOIN_GROUP IPV6_ADD_MEMBERSHIP
#define IPV6_DROP_MEMBERSHIP 13
#define IPV6_LEAVE_GROUP IPV6_DROP_MEMBERSHIP
#define IPV6_DONTFRAG 14
#define IPV6_PKTINFO 19
#define IPV6_HOPLIMIT 21
#define IPV6_PROTECTION_LEVEL 23
#define IPV6_RECVIF 24
#define IPV6_RECVDSTADDR 25
#define IPV6_CHECKSUM 26
#define IPV6_V6ONLY 27
#define IPV6_IFLIST 28
#define IPV6_ADD_IFLIST 29
#define IPV6_DEL_IFLIST 30
#define IPV6_UNICAST_IF 31
#define IPV6_RTHDR 32
#define IPV6_GET_IFLIST 33
#define IPV6_RECVRTHDR 38
#define IPV6_TCLASS 39
#define IPV6_RECVTCLASS 40
#define IPV6_ECN 50
#define IPV6_RECVECN 50
#define IPV6_PKTINFO_EX 51
#define IPV6_WFP_REDIRECT_RECORDS 60
#define IPV6_WFP_REDIRECT_CONTEXT 70
#define IPV6_MTU_DISCOVER 71
#define IPV6_MTU 72
#define IPV6_NRT_INTERFACE 74
#define IPV6_RECVERR 75
#define IPV6_USER_MTU 76

#define PROTECTION_LEVEL_UNRESTRICTED 10
#define PROTECTION_LEVEL_EDGERESTRICTED 20
#define PROTECTION_LEVEL_RESTRICTED 30

typedef enum {
    IP_PMTUDISC_NOT_SET,
    IP_PMTUDISC_DO,
    IP_PMTUDISC_DONT,
    IP_PMTUDISC_PROBE,
    IP_PMTUDISC_MAX
} PMTUD_STATE, *PPMTUD_STATE;

/* TCP options beyond TCP_NODELAY (IPPROTO_TCP level). */
#define TCP_EXPEDITED_1122 0x0002
#define TCP_KEEPALIVE 3
#define TCP_MAXSEG 4
#define TCP_MAXRT 5
#define TCP_STDURG 6
#define TCP_NOURG 7
#define TCP_ATMARK 8
#define TCP_NOSYNRETRIES 9
#define TCP_TIMESTAMPS 10
#define TCP_OFFLOAD_PREFERENCE 11
#define TCP_CONGESTION_ALGORITHM 12
#define TCP_DELAY_FIN_ACK 13
#define TCP_MAXRTMS 14
#define TCP_FASTOPEN 15
#define TCP_KEEPCNT 16
#define TCP_KEEPIDLE TCP_KEEPALIVE
#define TCP_KEEPINTVL 17
#define TCP_FAIL_CONNECT_ON_ICMP_ERROR 18
#define TCP_ICMP_ERROR_INFO 19

/* ---- UDP options ------------------------------------------------------------------------ */
#define UDP_NOCHECKSUM 1
#define UDP_CHECKSUM_COVERAGE 20
#define UDP_SEND_MSG_SIZE 2
#define UDP_RECV_MAX_COALESCED_SIZE 3
#define UDP_COALESCED_INFO 3 /* the control object (IPPROTO_UDP) of a coalesced receive */

/* ---- multicast requests and packet information ------------------------------------------ */
typedef struct ip_mreq {
    IN_ADDR imr_multiaddr;
    IN_ADDR imr_interface;
} IP_MREQ, *PIP_MREQ;

typedef struct ip_mreq_source {
    IN_ADDR imr_multiaddr;
    IN_ADDR imr_sourceaddr;
    IN_ADDR imr_interface;
} IP_MREQ_SOURCE, *PIP_MREQ_SOURCE;

typedef struct ipv6_mreq {
    IN6_ADDR ipv6mr_multiaddr;
    ULONG ipv6mr_interface;
} IPV6_MREQ, *PIPV6_MREQ;

typedef struct in_pktinfo {
    IN_ADDR ipi_addr;
    ULONG ipi_ifindex;
} IN_PKTINFO, *PIN_PKTINFO;

typedef struct in6_pktinfo {
    IN6_ADDR ipi6_addr;
    ULONG ipi6_ifindex;
} IN6_PKTINFO, *PIN6_PKTINFO;

/* ---- address tests (as the SDK's inline helpers) ------------------------------------------ */
static inline int IN6_IS_ADDR_UNSPECIFIED(const IN6_ADDR *a)
{
    for (int i = 0; i < 8; ++i)
        if (a->u.Word[i] != 0) return 0;
    return 1;
}
static inline int IN6_IS_ADDR_LOOPBACK(const IN6_ADDR *a)
{
    for (int i = 0; i < 15; ++i)
        if (a->u.Byte[i] != 0) return 0;
    return a->u.Byte[15] == 1;
}
static inline int IN6_IS_ADDR_MULTICAST(const IN6_ADDR *a) { return a->u.Byte[0] == 0xff; }
static inline int IN6_IS_ADDR_LINKLOCAL(const IN6_ADDR *a)
{
    return a->u.Byte[0] == 0xfe && (a->u.Byte[1] & 0xc0) == 0x80;
}
static inline int IN6_IS_ADDR_SITELOCAL(const IN6_ADDR *a)
{
    return a->u.Byte[0] == 0xfe && (a->u.Byte[1] & 0xc0) == 0xc0;
}
static inline int IN6_IS_ADDR_V4MAPPED(const IN6_ADDR *a)
{
    for (int i = 0; i < 10; ++i)
        if (a->u.Byte[i] != 0) return 0;
    return a->u.Byte[10] == 0xff && a->u.Byte[11] == 0xff;
}
static inline int IN6_IS_ADDR_V4COMPAT(const IN6_ADDR *a)
{
    for (int i = 0; i < 12; ++i)
        if (a->u.Byte[i] != 0) return 0;
    return !(a->u.Byte[12] == 0 && a->u.Byte[13] == 0 && a->u.Byte[14] == 0 && a->u.Byte[15] <= 1);
}
static inline int IN6_ADDR_EQUAL(const IN6_ADDR *a, const IN6_ADDR *b)
{
    for (int i = 0; i < 16; ++i)
        if (a->u.Byte[i] != b->u.Byte[i]) return 0;
    return 1;
}
#define IN6_ARE_ADDR_EQUAL IN6_ADDR_EQUAL
static inline void IN6_SET_ADDR_UNSPECIFIED(IN6_ADDR *a)
{
    for (int i = 0; i < 16; ++i) a->u.Byte[i] = 0;
}
static inline void IN6_SET_ADDR_LOOPBACK(IN6_ADDR *a)
{
    IN6_SET_ADDR_UNSPECIFIED(a);
    a->u.Byte[15] = 1;
}

/* Socket addresses: the wildcard and loopback address with port 0, and tests for them. */
static inline void IN6ADDR_SETANY(PSOCKADDR_IN6 a)
{
    a->sin6_family = AF_INET6;
    a->sin6_port = 0;
    a->sin6_flowinfo = 0;
    IN6_SET_ADDR_UNSPECIFIED(&a->sin6_addr);
    a->sin6_scope_id = 0;
}
static inline void IN6ADDR_SETLOOPBACK(PSOCKADDR_IN6 a)
{
    IN6ADDR_SETANY(a);
    IN6_SET_ADDR_LOOPBACK(&a->sin6_addr);
}
static inline BOOLEAN IN6ADDR_ISANY(const SOCKADDR_IN6 *a)
{
    return (BOOLEAN)(a->sin6_scope_id == 0 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr));
}
static inline BOOLEAN IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a)
{
    return (BOOLEAN)(a->sin6_scope_id == 0 && IN6_IS_ADDR_LOOPBACK(&a->sin6_addr));
}

/* SIO_GET_INTERFACE_LIST: the interfaces, as INTERFACE_INFO entries. */
#define SIO_GET_INTERFACE_LIST _IOR('t', 127, u_long)
#define SIO_GET_INTERFACE_LIST_EX _IOR('t', 126, u_long)
#define SIO_SET_MULTICAST_FILTER _IOW('t', 125, u_long)
#define SIO_GET_MULTICAST_FILTER _IOW('t', 124 | IOC_IN, u_long)
#define IFF_UP 0x00000001
#define IFF_BROADCAST 0x00000002
#define IFF_LOOPBACK 0x00000004
#define IFF_POINTTOPOINT 0x00000008
#define IFF_MULTICAST 0x00000010

typedef struct sockaddr_in6_old {
    SHORT sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
} SOCKADDR_IN6_OLD;

typedef union sockaddr_gen {
    struct sockaddr Address;
    struct sockaddr_in AddressIn;
    struct sockaddr_in6_old AddressIn6;
} sockaddr_gen;

typedef struct _INTERFACE_INFO {
    ULONG iiFlags;
    sockaddr_gen iiAddress;
    sockaddr_gen iiBroadcastAddress;
    sockaddr_gen iiNetmask;
} INTERFACE_INFO, *LPINTERFACE_INFO;

#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

OVERLAPPED_END_C

#pragma GCC diagnostic pop

#endif
