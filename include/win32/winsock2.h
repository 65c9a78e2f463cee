/* winsock2.h: Windows Sockets 2 with Windows' types, values and layouts, implemented by
 * the library on Linux sockets (docs/sockets.md).
 *
 * Names Winsock shares with the C library (socket, bind, connect, send, recv, select,
 * getaddrinfo, inet_pton, ...) are declared here with an assembler label: a program
 * that includes this header calls the library's overlapped_<name>, and the C library's
 * own functions keep their meaning for everyone else in the process (the glibc resolver,
 * other libraries). A translation unit uses either Winsock or the BSD socket headers
 * (<sys/socket.h>, <netinet/in.h>, <netdb.h>, <arpa/inet.h>, <poll.h>), as on Windows;
 * docs/porting.md has the details. */
#ifndef OVERLAPPED_WINSOCK2_H
#define OVERLAPPED_WINSOCK2_H

#define _WINSOCKAPI_
#define _WINSOCK2API_

#include <windows.h>
#include <guiddef.h>
#include <ws2def.h>
#include <ws2ipdef.h>

OVERLAPPED_BEGIN_C

#define WSAAPI

/* Assembler label of a Winsock name the C library also has (see the top of the file). */
#define OVERLAPPED_WS_NAME(name) __asm__("overlapped_" #name)

/* ---- basic types ----------------------------------------------------------------------
 * u_long is 32 bits, as on Windows; glibc's 64-bit u_long (<sys/types.h>) stays glibc's
 * under its own name. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
#define u_long overlapped_u_long
typedef unsigned int overlapped_u_long;
typedef unsigned long long u_int64;

typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

typedef unsigned int GROUP;
typedef HANDLE WSAEVENT, *LPWSAEVENT;
typedef OVERLAPPED WSAOVERLAPPED, *LPWSAOVERLAPPED;
typedef void(CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                          LPWSAOVERLAPPED lpOverlapped, DWORD dwFlags);

/* ---- fd_set: Windows' array of sockets with a count (not a bitmap) ---------------------- */
#ifndef FD_SETSIZE
#define FD_SETSIZE 64
#endif
#define fd_set overlapped_fd_set
typedef struct fd_set {
    u_int fd_count;
    SOCKET fd_array[FD_SETSIZE];
} fd_set, FD_SET, *PFD_SET, *LPFD_SET;

OVERLAPPED_API int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set) OVERLAPPED_WS_NAME(__WSAFDIsSet);

#define FD_CLR(fd, set)                                                                     \
    do {                                                                                    \
        u_int overlapped_i_;                                                                \
        for (overlapped_i_ = 0; overlapped_i_ < ((fd_set *)(set))->fd_count; ++overlapped_i_) { \
            if (((fd_set *)(set))->fd_array[overlapped_i_] == (SOCKET)(fd)) {               \
                for (; overlapped_i_ + 1 < ((fd_set *)(set))->fd_count; ++overlapped_i_)    \
                    ((fd_set *)(set))->fd_array[overlapped_i_] =                            \
                        ((fd_set *)(set))->fd_array[overlapped_i_ + 1];                     \
                ((fd_set *)(set))->fd_count--;                                              \
                break;                                                                      \
            }                                                                               \
        }                                                                                   \
    } while (0)
#define FD_SET(fd, set)                                                                     \
    do {                                                                                    \
        u_int overlapped_i_;                                                                \
        for (overlapped_i_ = 0; overlapped_i_ < ((fd_set *)(set))->fd_count; ++overlapped_i_) \
            if (((fd_set *)(set))->fd_array[overlapped_i_] == (SOCKET)(fd)) break;          \
        if (overlapped_i_ == ((fd_set *)(set))->fd_count && ((fd_set *)(set))->fd_count < FD_SETSIZE) { \
            ((fd_set *)(set))->fd_array[overlapped_i_] = (SOCKET)(fd);                      \
            ((fd_set *)(set))->fd_count++;                                                  \
        }                                                                                   \
    } while (0)
#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)
#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (fd_set *)(set))

/* struct timeval is the C library's (the fields have Windows' names; they are 64 bits
 * here, 32 on Windows). */
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;
#ifndef timerisset
#define timerisset(tvp) ((tvp)->tv_sec || (tvp)->tv_usec)
#define timercmp(tvp, uvp, cmp) \
    ((tvp)->tv_sec cmp (uvp)->tv_sec || ((tvp)->tv_sec == (uvp)->tv_sec && (tvp)->tv_usec cmp (uvp)->tv_usec))
#define timerclear(tvp) ((tvp)->tv_sec = (tvp)->tv_usec = 0)
#endif

/* ---- ioctl codes ------------------------------------------------------------------------- */
#define IOCPARM_MASK 0x7f
#define IOC_VOID 0x20000000U
#define IOC_OUT 0x40000000U
#define IOC_IN 0x80000000U
#define IOC_INOUT (IOC_IN | IOC_OUT)
#define _IO(x, y) (IOC_VOID | ((x) << 8) | (y))
#define _IOR(x, y, t) (IOC_OUT | (((u_int)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define _IOW(x, y, t) (IOC_IN | (((u_int)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define FIONREAD _IOR('f', 127, u_long)
#define FIONBIO _IOW('f', 126, u_long)
#define FIOASYNC _IOW('f', 125, u_long)
#define SIOCSHIWAT _IOW('s', 0, u_long)
#define SIOCGHIWAT _IOR('s', 1, u_long)
#define SIOCSLOWAT _IOW('s', 2, u_long)
#define SIOCGLOWAT _IOR('s', 3, u_long)
#define SIOCATMARK _IOR('s', 7, u_long)

#define IOC_UNIX 0x00000000U
#define IOC_WS2 0x08000000U
#define IOC_PROTOCOL 0x10000000U
#define IOC_VENDOR 0x18000000U
#define _WSAIO(x, y) (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y) (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y) (IOC_IN | (x) | (y))
#define _WSAIORW(x, y) (IOC_INOUT | (x) | (y))
#define SIO_ASSOCIATE_HANDLE _WSAIOW(IOC_WS2, 1)
#define SIO_ENABLE_CIRCULAR_QUEUEING _WSAIO(IOC_WS2, 2)
#define SIO_FIND_ROUTE _WSAIOR(IOC_WS2, 3)
#define SIO_FLUSH _WSAIO(IOC_WS2, 4)
#define SIO_GET_BROADCAST_ADDRESS _WSAIOR(IOC_WS2, 5)
#define SIO_GET_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 6)
#define SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 36)
#define SIO_GET_QOS _WSAIORW(IOC_WS2, 7)
#define SIO_GET_GROUP_QOS _WSAIORW(IOC_WS2, 8)
#define SIO_MULTIPOINT_LOOPBACK _WSAIOW(IOC_WS2, 9)
#define SIO_MULTICAST_SCOPE _WSAIOW(IOC_WS2, 10)
#define SIO_SET_QOS _WSAIOW(IOC_WS2, 11)
#define SIO_SET_GROUP_QOS _WSAIOW(IOC_WS2, 12)
#define SIO_TRANSLATE_HANDLE _WSAIORW(IOC_WS2, 13)
#define SIO_ROUTING_INTERFACE_QUERY _WSAIORW(IOC_WS2, 20)
#define SIO_ROUTING_INTERFACE_CHANGE _WSAIOW(IOC_WS2, 21)
#define SIO_ADDRESS_LIST_QUERY _WSAIOR(IOC_WS2, 22)
#define SIO_ADDRESS_LIST_CHANGE _WSAIO(IOC_WS2, 23)
#define SIO_QUERY_TARGET_PNP_HANDLE _WSAIOR(IOC_WS2, 24)
#define SIO_ADDRESS_LIST_SORT _WSAIORW(IOC_WS2, 25)
#define SIO_BASE_HANDLE _WSAIOR(IOC_WS2, 34)

/* ---- send/recv flags, shutdown, listen ----------------------------------------------------- */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_WAITALL 0x8
#define MSG_INTERRUPT 0x10
#define MSG_PUSH_IMMEDIATE 0x20
#define MSG_PARTIAL 0x8000
#define MSG_MAXIOVLEN 16

#define SD_RECEIVE 0x00
#define SD_SEND 0x01
#define SD_BOTH 0x02

#define SOMAXCONN 0x7fffffff
#define SOMAXCONN_HINT(b) (-(b))

#define MAXGETHOSTSTRUCT 1024

/* ---- options with structure values ------------------------------------------------------- */
typedef struct linger {
    u_short l_onoff;
    u_short l_linger;
} LINGER, *PLINGER, *LPLINGER;

#define SO_PROTOCOL_INFOA 0x2004
#define SO_PROTOCOL_INFOW 0x2005
#define PVD_CONFIG 0x3001

/* ---- WSAStartup ----------------------------------------------------------------------------- */
#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

/* ---- protocol information (WSASocket, WSADuplicateSocket) ------------------------------------ */
#define MAX_PROTOCOL_CHAIN 7
#define BASE_PROTOCOL 1
#define LAYERED_PROTOCOL 0
typedef struct _WSAPROTOCOLCHAIN {
    int ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

#define WSAPROTOCOL_LEN 255
typedef struct _WSAPROTOCOL_INFOA {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;
typedef struct _WSAPROTOCOL_INFOW {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

#define XP1_CONNECTIONLESS 0x00000001
#define XP1_GUARANTEED_DELIVERY 0x00000002
#define XP1_GUARANTEED_ORDER 0x00000004
#define XP1_MESSAGE_ORIENTED 0x00000008
#define XP1_PSEUDO_STREAM 0x00000010
#define XP1_GRACEFUL_CLOSE 0x00000020
#define XP1_EXPEDITED_DATA 0x00000040
#define XP1_CONNECT_DATA 0x00000080
#define XP1_DISCONNECT_DATA 0x00000100
#define XP1_SUPPORT_BROADCAST 0x00000200
#define XP1_SUPPORT_MULTIPOINT 0x00000400
#define XP1_MULTIPOINT_CONTROL_PLANE 0x00000800
#define XP1_MULTIPOINT_DATA_PLANE 0x00001000
#define XP1_QOS_SUPPORTED 0x00002000
#define XP1_INTERRUPT 0x00004000
#define XP1_UNI_SEND 0x00008000
#define XP1_UNI_RECV 0x00010000
#define XP1_IFS_HANDLES 0x00020000
#define XP1_PARTIAL_MESSAGE 0x00040000
#define XP1_SAN_SUPPORT_SDP 0x00080000
#define PFL_MULTIPLE_PROTO_ENTRIES 0x00000001
#define PFL_RECOMMENDED_PROTO_ENTRY 0x00000002
#define PFL_HIDDEN 0x00000004
#define PFL_MATCHES_PROTOCOL_ZERO 0x00000008
#define PFL_NETWORKDIRECT_PROVIDER 0x00000010
#define BIGENDIAN 0x0000
#define LITTLEENDIAN 0x0001
#define SECURITY_PROTOCOL_NONE 0x0000
#define FROM_PROTOCOL_INFO (-1)

/* WSASocket flags. */
#define WSA_FLAG_OVERLAPPED 0x01
#define WSA_FLAG_MULTIPOINT_C_ROOT 0x02
#define WSA_FLAG_MULTIPOINT_C_LEAF 0x04
#define WSA_FLAG_MULTIPOINT_D_ROOT 0x08
#define WSA_FLAG_MULTIPOINT_D_LEAF 0x10
#define WSA_FLAG_ACCESS_SYSTEM_SECURITY 0x40
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80
#define WSA_FLAG_REGISTERED_IO 0x100

#define SG_UNCONSTRAINED_GROUP 0x01
#define SG_CONSTRAINED_GROUP 0x02

/* ---- quality of service (accepted, not used) ------------------------------------------------ */
typedef ULONG SERVICETYPE;
typedef struct _flowspec {
    ULONG TokenRate;
    ULONG TokenBucketSize;
    ULONG PeakBandwidth;
    ULONG Latency;
    ULONG DelayVariation;
    SERVICETYPE ServiceType;
    ULONG MaxSduSize;
    ULONG MinimumPolicedSize;
} FLOWSPEC, *PFLOWSPEC, *LPFLOWSPEC;
typedef struct _QualityOfService {
    FLOWSPEC SendingFlowspec;
    FLOWSPEC ReceivingFlowspec;
    WSABUF ProviderSpecific;
} QOS, *LPQOS;

#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER 0x0002
typedef int(CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS, LPQOS lpGQOS,
                                       LPWSABUF lpCalleeId, LPWSABUF lpCalleeData, GROUP *g,
                                       DWORD_PTR dwCallbackData);

/* ---- events and network events ----------------------------------------------------------------- */
#define WSA_IO_PENDING (ERROR_IO_PENDING)
#define WSA_IO_INCOMPLETE (ERROR_IO_INCOMPLETE)
#define WSA_INVALID_HANDLE (ERROR_INVALID_HANDLE)
#define WSA_INVALID_PARAMETER (ERROR_INVALID_PARAMETER)
#define WSA_NOT_ENOUGH_MEMORY (ERROR_NOT_ENOUGH_MEMORY)
#define WSA_OPERATION_ABORTED (ERROR_OPERATION_ABORTED)
#define WSA_INVALID_EVENT ((WSAEVENT)NULL)
#define WSA_MAXIMUM_WAIT_EVENTS (MAXIMUM_WAIT_OBJECTS)
#define WSA_WAIT_FAILED (WAIT_FAILED)
#define WSA_WAIT_EVENT_0 (WAIT_OBJECT_0)
#define WSA_WAIT_IO_COMPLETION (WAIT_IO_COMPLETION)
#define WSA_WAIT_TIMEOUT (WAIT_TIMEOUT)
#define WSA_INFINITE (INFINITE)

#define FD_READ_BIT 0
#define FD_READ (1 << FD_READ_BIT)
#define FD_WRITE_BIT 1
#define FD_WRITE (1 << FD_WRITE_BIT)
#define FD_OOB_BIT 2
#define FD_OOB (1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT 3
#define FD_ACCEPT (1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT 4
#define FD_CONNECT (1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT 5
#define FD_CLOSE (1 << FD_CLOSE_BIT)
#define FD_QOS_BIT 6
#define FD_QOS (1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT 7
#define FD_GROUP_QOS (1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT 8
#define FD_ROUTING_INTERFACE_CHANGE (1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT 9
#define FD_ADDRESS_LIST_CHANGE (1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_MAX_EVENTS 10
#define FD_ALL_EVENTS ((1 << FD_MAX_EVENTS) - 1)

typedef struct _WSANETWORKEVENTS {
    LONG lNetworkEvents;
    int iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *LPWSANETWORKEVENTS;

/* WSAAsyncSelect's message parameters. */
#define WSAMAKEASYNCREPLY(buflen, error) MAKELONG(buflen, error)
#define WSAMAKESELECTREPLY(event, error) MAKELONG(event, error)
#define WSAGETASYNCBUFLEN(lParam) LOWORD(lParam)
#define WSAGETASYNCERROR(lParam) HIWORD(lParam)
#define WSAGETSELECTEVENT(lParam) LOWORD(lParam)
#define WSAGETSELECTERROR(lParam) HIWORD(lParam)

/* ---- WSAPoll ------------------------------------------------------------------------------------ */
#define POLLRDNORM 0x0100
#define POLLRDBAND 0x0200
#define POLLIN (POLLRDNORM | POLLRDBAND)
#define POLLPRI 0x0400
#define POLLWRNORM 0x0010
#define POLLOUT (POLLWRNORM)
#define POLLWRBAND 0x0020
#define POLLERR 0x0001
#define POLLHUP 0x0002
#define POLLNVAL 0x0004
typedef struct pollfd {
    SOCKET fd;
    SHORT events;
    SHORT revents;
} WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;

/* ---- database entries (Windows' layouts: shorts where Linux has ints) ---------------------------- */
typedef struct hostent {
    char *h_name;
    char **h_aliases;
    short h_addrtype;
    short h_length;
    char **h_addr_list;
} HOSTENT, *PHOSTENT, *LPHOSTENT;
#define h_addr h_addr_list[0]

typedef struct servent {
    char *s_name;
    char **s_aliases;
    char *s_proto; /* 64-bit Windows puts s_proto before s_port */
    short s_port;
} SERVENT, *PSERVENT, *LPSERVENT;

typedef struct protoent {
    char *p_name;
    char **p_aliases;
    short p_proto;
} PROTOENT, *PPROTOENT, *LPPROTOENT;

typedef struct netent {
    char *n_name;
    char **n_aliases;
    short n_addrtype;
    u_long n_net;
} NETENT;

#define h_errno WSAGetLastError()
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN WSATRY_AGAIN
#define NO_RECOVERY WSANO_RECOVERY
#define NO_DATA WSANO_DATA
#define WSANO_ADDRESS WSANO_DATA
#define NO_ADDRESS WSANO_ADDRESS

/* ---- byte order: inline functions here (the C library's are never reached) ------------------ */
static inline u_short htons(u_short hostshort) { return (u_short)__builtin_bswap16(hostshort); }
static inline u_short ntohs(u_short netshort) { return (u_short)__builtin_bswap16(netshort); }
static inline u_long htonl(u_long hostlong) { return (u_long)__builtin_bswap32(hostlong); }
static inline u_long ntohl(u_long netlong) { return (u_long)__builtin_bswap32(netlong); }
static inline unsigned long long htonll(unsigned long long value) { return __builtin_bswap64(value); }
static inline unsigned long long ntohll(unsigned long long value) { return __builtin_bswap64(value); }

/* ---- functions ------------------------------------------------------------------------------------ */
OVERLAPPED_API int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
OVERLAPPED_API int WSAAPI WSACleanup(void);
OVERLAPPED_API void WSAAPI WSASetLastError(int iError);
OVERLAPPED_API int WSAAPI WSAGetLastError(void);
OVERLAPPED_API BOOL WSAAPI WSAIsBlocking(void);
OVERLAPPED_API int WSAAPI WSAUnhookBlockingHook(void);
OVERLAPPED_API FARPROC WSAAPI WSASetBlockingHook(FARPROC lpBlockFunc);
OVERLAPPED_API int WSAAPI WSACancelBlockingCall(void);

OVERLAPPED_API SOCKET WSAAPI socket(int af, int type, int protocol) OVERLAPPED_WS_NAME(socket);
OVERLAPPED_API SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen) OVERLAPPED_WS_NAME(accept);
OVERLAPPED_API int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen) OVERLAPPED_WS_NAME(bind);
OVERLAPPED_API int WSAAPI closesocket(SOCKET s) OVERLAPPED_WS_NAME(closesocket);
OVERLAPPED_API int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen) OVERLAPPED_WS_NAME(connect);
OVERLAPPED_API int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp) OVERLAPPED_WS_NAME(ioctlsocket);
OVERLAPPED_API int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen) OVERLAPPED_WS_NAME(getpeername);
OVERLAPPED_API int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen) OVERLAPPED_WS_NAME(getsockname);
OVERLAPPED_API int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
    OVERLAPPED_WS_NAME(getsockopt);
OVERLAPPED_API int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
    OVERLAPPED_WS_NAME(setsockopt);
OVERLAPPED_API int WSAAPI listen(SOCKET s, int backlog) OVERLAPPED_WS_NAME(listen);
OVERLAPPED_API int WSAAPI recv(SOCKET s, char *buf, int len, int flags) OVERLAPPED_WS_NAME(recv);
OVERLAPPED_API int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
    OVERLAPPED_WS_NAME(recvfrom);
OVERLAPPED_API int WSAAPI send(SOCKET s, const char *buf, int len, int flags) OVERLAPPED_WS_NAME(send);
OVERLAPPED_API int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
    OVERLAPPED_WS_NAME(sendto);
OVERLAPPED_API int WSAAPI shutdown(SOCKET s, int how) OVERLAPPED_WS_NAME(shutdown);
OVERLAPPED_API u_long WSAAPI inet_addr(const char *cp) OVERLAPPED_WS_NAME(inet_addr);
OVERLAPPED_API char *WSAAPI inet_ntoa(struct in_addr in) OVERLAPPED_WS_NAME(inet_ntoa);

OVERLAPPED_API struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type)
    OVERLAPPED_WS_NAME(gethostbyaddr);
OVERLAPPED_API struct hostent *WSAAPI gethostbyname(const char *name) OVERLAPPED_WS_NAME(gethostbyname);
OVERLAPPED_API int WSAAPI GetHostNameW(PWSTR name, int namelen);
OVERLAPPED_API struct servent *WSAAPI getservbyport(int port, const char *proto) OVERLAPPED_WS_NAME(getservbyport);
OVERLAPPED_API struct servent *WSAAPI getservbyname(const char *name, const char *proto)
    OVERLAPPED_WS_NAME(getservbyname);
OVERLAPPED_API struct protoent *WSAAPI getprotobynumber(int number) OVERLAPPED_WS_NAME(getprotobynumber);
OVERLAPPED_API struct protoent *WSAAPI getprotobyname(const char *name) OVERLAPPED_WS_NAME(getprotobyname);

OVERLAPPED_API SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                                        DWORD dwFlags);
OVERLAPPED_API SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                        DWORD dwFlags);
OVERLAPPED_API SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                                       DWORD_PTR dwCallbackData);
OVERLAPPED_API int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                     LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS);
OVERLAPPED_API BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR nodename, LPCSTR servicename,
                                             LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
                                             LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                                             const struct timeval *timeout, LPWSAOVERLAPPED Reserved);
OVERLAPPED_API BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename,
                                             LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
                                             LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                                             const struct timeval *timeout, LPWSAOVERLAPPED Reserved);
/* Connects to the first of the addresses that answers (each tried in turn, within `timeout`). */
OVERLAPPED_API BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddress, LPDWORD LocalAddressLength,
                                            LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength,
                                            LPSOCKADDR RemoteAddress, const struct timeval *timeout,
                                            LPWSAOVERLAPPED Reserved);
OVERLAPPED_API int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                  LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                      LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                                      LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData);
OVERLAPPED_API int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                                  DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                                    DWORD dwFlags, const struct sockaddr *lpTo, int iTolen,
                                    LPWSAOVERLAPPED lpOverlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                                     LPWSAOVERLAPPED lpOverlapped,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData);
OVERLAPPED_API BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                                  BOOL fWait, LPDWORD lpdwFlags);
OVERLAPPED_API int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                                   LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                                   LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo);
OVERLAPPED_API int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo);
OVERLAPPED_API int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                                            LPDWORD lpdwBufferLength);
OVERLAPPED_API int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                                            LPDWORD lpdwBufferLength);

OVERLAPPED_API WSAEVENT WSAAPI WSACreateEvent(void);
OVERLAPPED_API BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
OVERLAPPED_API BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
OVERLAPPED_API BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
OVERLAPPED_API DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                                     DWORD dwTimeout, BOOL fAlertable);
OVERLAPPED_API int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents);
OVERLAPPED_API int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                               LPWSANETWORKEVENTS lpNetworkEvents);
OVERLAPPED_API int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, u_int wMsg, LONG lEvent);
OVERLAPPED_API int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);

OVERLAPPED_API int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong);
OVERLAPPED_API int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort);
OVERLAPPED_API int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong);
OVERLAPPED_API int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort);

OVERLAPPED_API INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                              LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSTR lpszAddressString,
                                              LPDWORD lpdwAddressStringLength);
OVERLAPPED_API INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                              LPDWORD lpdwAddressStringLength);
OVERLAPPED_API INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                                              LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSOCKADDR lpAddress,
                                              LPINT lpAddressLength);
OVERLAPPED_API INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
                                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                                              LPINT lpAddressLength);

OVERLAPPED_END_C

/* select(): in C a macro to the library's name; in C++ an overload (its parameters differ
 * from the C library's select, so both may be in scope). */
#ifdef __cplusplus
OVERLAPPED_API int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                                 const struct timeval *timeout) OVERLAPPED_WS_NAME(select);
#else
#define select overlapped_select
OVERLAPPED_API int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                                 const struct timeval *timeout);
#endif

/* gethostname(): <unistd.h> has one too, with a size_t length, and C++'s standard headers
 * include it. In C++ ours is an overload; in C it is declared unless <unistd.h> came
 * first (glibc's then serves: same call, same result). */
#ifdef __cplusplus
OVERLAPPED_API int WSAAPI gethostname(char *name, int namelen) OVERLAPPED_WS_NAME(gethostname);
#elif !defined(_UNISTD_H)
OVERLAPPED_API int WSAAPI gethostname(char *name, int namelen) OVERLAPPED_WS_NAME(gethostname);
#endif

#ifdef UNICODE
typedef WSAPROTOCOL_INFOW WSAPROTOCOL_INFO, *LPWSAPROTOCOL_INFO;
#define WSASocket WSASocketW
#define WSADuplicateSocket WSADuplicateSocketW
#define WSAEnumProtocols WSAEnumProtocolsW
#define WSAAddressToString WSAAddressToStringW
#define WSAStringToAddress WSAStringToAddressW
#define WSAConnectByName WSAConnectByNameW
#define SO_PROTOCOL_INFO SO_PROTOCOL_INFOW
#else
typedef WSAPROTOCOL_INFOA WSAPROTOCOL_INFO, *LPWSAPROTOCOL_INFO;
#define WSASocket WSASocketA
#define WSADuplicateSocket WSADuplicateSocketA
#define WSAEnumProtocols WSAEnumProtocolsA
#define WSAAddressToString WSAAddressToStringA
#define WSAStringToAddress WSAStringToAddressA
#define WSAConnectByName WSAConnectByNameA
#define SO_PROTOCOL_INFO SO_PROTOCOL_INFOA
#endif

#endif
