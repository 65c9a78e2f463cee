/* ws2tcpip.h: TCP/IP additions to Winsock: protocol-independent name resolution
 * (getaddrinfo, GetAddrInfoW, GetAddrInfoExW, getnameinfo), address text conversion
 * (inet_pton, InetPtonW, inet_ntop, InetNtopW) and socklen_t, with Windows' layouts and
 * error codes (EAI_* are WSA codes). */
#ifndef OVERLAPPED_WS2TCPIP_H
#define OVERLAPPED_WS2TCPIP_H

#include <winsock2.h>
#include <mstcpip.h>

OVERLAPPED_BEGIN_C

#ifndef __socklen_t_defined /* glibc's <unistd.h> first: its (unsigned) socklen_t stays */
#define __socklen_t_defined
typedef int socklen_t;
#endif

#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NOSECURENAME WSA_SECURE_HOST_NOT_FOUND
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_IPSECPOLICY WSA_IPSEC_NAME_POLICY_ERROR
#define EAI_NODATA EAI_NONAME

typedef ADDRINFOA ADDRINFO, *LPADDRINFO;

typedef void(CALLBACK *LPLOOKUPSERVICE_COMPLETION_ROUTINE)(DWORD dwError, DWORD dwBytes,
                                                          LPWSAOVERLAPPED lpOverlapped);

OVERLAPPED_API INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                                      PADDRINFOA *ppResult) OVERLAPPED_WS_NAME(getaddrinfo);
OVERLAPPED_API VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) OVERLAPPED_WS_NAME(freeaddrinfo);
OVERLAPPED_API INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                                       PADDRINFOW *ppResult);
OVERLAPPED_API VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);
OVERLAPPED_API INT WSAAPI GetAddrInfoExA(PCSTR pName, PCSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId,
                                         const ADDRINFOEXA *hints, PADDRINFOEXA *ppResult,
                                         struct timeval *timeout, LPOVERLAPPED lpOverlapped,
                                         LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                                         LPHANDLE lpNameHandle);
OVERLAPPED_API INT WSAAPI GetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId,
                                         const ADDRINFOEXW *hints, PADDRINFOEXW *ppResult,
                                         struct timeval *timeout, LPOVERLAPPED lpOverlapped,
                                         LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                                         LPHANDLE lpNameHandle);
OVERLAPPED_API void WSAAPI FreeAddrInfoExA(PADDRINFOEXA pAddrInfoEx);
OVERLAPPED_API void WSAAPI FreeAddrInfoExW(PADDRINFOEXW pAddrInfoEx);
OVERLAPPED_API INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
OVERLAPPED_API INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);

OVERLAPPED_API INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                                      DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                                      INT Flags) OVERLAPPED_WS_NAME(getnameinfo);
OVERLAPPED_API INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer,
                                       DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize,
                                       INT Flags);

OVERLAPPED_API INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)
    OVERLAPPED_WS_NAME(inet_pton);
OVERLAPPED_API PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)
    OVERLAPPED_WS_NAME(inet_ntop);
OVERLAPPED_API INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
OVERLAPPED_API PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize);
#define InetPtonA inet_pton
#define InetNtopA inet_ntop

OVERLAPPED_API char *WSAAPI gai_strerrorA(int ecode) OVERLAPPED_WS_NAME(gai_strerrorA);
OVERLAPPED_API WCHAR *WSAAPI gai_strerrorW(int ecode) OVERLAPPED_WS_NAME(gai_strerrorW);

#define GetAddrInfoA getaddrinfo
#define FreeAddrInfoA freeaddrinfo
#define GetNameInfoA getnameinfo

#ifdef UNICODE
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
typedef ADDRINFOEXW ADDRINFOEX, *PADDRINFOEX;
#define GetAddrInfo GetAddrInfoW
#define FreeAddrInfo FreeAddrInfoW
#define GetAddrInfoEx GetAddrInfoExW
#define FreeAddrInfoEx FreeAddrInfoExW
#define GetNameInfo GetNameInfoW
#define InetPton InetPtonW
#define InetNtop InetNtopW
#define gai_strerror gai_strerrorW
#else
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
typedef ADDRINFOEXA ADDRINFOEX, *PADDRINFOEX;
#define GetAddrInfo GetAddrInfoA
#define FreeAddrInfo FreeAddrInfoA
#define GetAddrInfoEx GetAddrInfoExA
#define FreeAddrInfoEx FreeAddrInfoExA
#define GetNameInfo GetNameInfoA
#define InetPton InetPtonA
#define InetNtop InetNtopA
#define gai_strerror gai_strerrorA
#endif

/* WSAGetRecvIPEcn / WSASetRecvIPEcn: whether WSARecvMsg brings each datagram's ECN
 * codepoint (an IP_ECN or IPV6_ECN control object holding an INT), through the option
 * IP_RECVECN or IPV6_RECVECN as the socket's address family has it. Inline functions,
 * as Windows' SDK has them. */
/* The level of the socket's family for the option (IP_RECVECN and IPV6_RECVECN share
 * their value), or -1 with the last error set. */
static inline int overlapped_ecn_level(SOCKET Socket)
{
    WSAPROTOCOL_INFOW info;
    int length = (int)sizeof(info);
    if (getsockopt(Socket, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &length) == SOCKET_ERROR) return -1;
    if (info.iAddressFamily == AF_INET) return IPPROTO_IP;
    if (info.iAddressFamily == AF_INET6) return IPPROTO_IPV6;
    WSASetLastError(WSAEAFNOSUPPORT);
    return -1;
}

static inline INT WSAGetRecvIPEcn(SOCKET Socket, DWORD *Enabled)
{
    int level = overlapped_ecn_level(Socket), length = (int)sizeof(*Enabled);
    if (level < 0) return SOCKET_ERROR;
    return getsockopt(Socket, level, level == IPPROTO_IP ? IP_RECVECN : IPV6_RECVECN, (char *)Enabled, &length);
}

static inline INT WSASetRecvIPEcn(SOCKET Socket, DWORD Enabled)
{
    int level = overlapped_ecn_level(Socket);
    if (level < 0) return SOCKET_ERROR;
    return setsockopt(Socket, level, level == IPPROTO_IP ? IP_RECVECN : IPV6_RECVECN, (const char *)&Enabled,
                      (int)sizeof(Enabled));
}

/* WSASetUdpSendMessageSize / WSAGetUdpSendMessageSize: UDP send segmentation
 * (UDP_SEND_MSG_SIZE; 0: none), type-safe wrappers of the option as in Windows' SDK. */
static inline INT WSASetUdpSendMessageSize(SOCKET Socket, DWORD MsgSize)
{
    return setsockopt(Socket, IPPROTO_UDP, UDP_SEND_MSG_SIZE, (const char *)&MsgSize, (int)sizeof(MsgSize));
}

static inline INT WSAGetUdpSendMessageSize(SOCKET Socket, DWORD *MsgSize)
{
    int length = (int)sizeof(*MsgSize);
    return getsockopt(Socket, IPPROTO_UDP, UDP_SEND_MSG_SIZE, (char *)MsgSize, &length);
}

/* WSASetUdpRecvMaxCoalescedSize / WSAGetUdpRecvMaxCoalescedSize: UDP receive coalescing
 * (UDP_RECV_MAX_COALESCED_SIZE; 0: none), the same kind of wrappers. */
static inline INT WSASetUdpRecvMaxCoalescedSize(SOCKET Socket, DWORD MaxCoalescedMsgSize)
{
    return setsockopt(Socket, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (const char *)&MaxCoalescedMsgSize,
                      (int)sizeof(MaxCoalescedMsgSize));
}

static inline INT WSAGetUdpRecvMaxCoalescedSize(SOCKET Socket, DWORD *MaxCoalescedMsgSize)
{
    int length = (int)sizeof(*MaxCoalescedMsgSize);
    return getsockopt(Socket, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (char *)MaxCoalescedMsgSize, &length);
}

OVERLAPPED_END_C

#endif
