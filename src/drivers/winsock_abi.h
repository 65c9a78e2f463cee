// winsock_abi.h: Winsock's values and structure layouts, under names of our own, for the
// code that talks to Linux's sockets (which cannot include <winsock2.h>: its sockaddr,
// AF_INET6, SOL_SOCKET... are Linux's there). Only the windef.h types are used, so this
// header sits beside <sys/socket.h> in one translation unit. src/win32/winsock_abi_check.cpp
// checks every value and layout here against the public headers at compile time.
#pragma once

#include <cstddef>
#include <cstdint>

#include <windows.h>

namespace overlapped::ws {

using Socket = UINT_PTR;
constexpr Socket kInvalidSocket = ~Socket(0);
constexpr int kSocketError = -1;

// ---- address families, types, protocols.
constexpr int kAfUnspec = 0;
constexpr int kAfUnix = 1;
constexpr int kAfInet = 2;
constexpr int kAfInet6 = 23;
constexpr int kSockStream = 1;
constexpr int kSockDgram = 2;
constexpr int kSockRaw = 3;
constexpr int kSockRdm = 4;
constexpr int kSockSeqpacket = 5;
constexpr int kIpprotoIp = 0;
constexpr int kIpprotoIcmp = 1;
constexpr int kIpprotoTcp = 6;
constexpr int kIpprotoUdp = 17;
constexpr int kIpprotoIpv6 = 41;
constexpr int kIpprotoIcmpv6 = 58;
constexpr int kIpprotoRaw = 255;

// ---- socket options (level SOL_SOCKET).
constexpr int kSolSocket = 0xffff;
constexpr int kSoDebug = 0x0001;
constexpr int kSoAcceptConn = 0x0002;
constexpr int kSoReuseAddr = 0x0004;
constexpr int kSoKeepAlive = 0x0008;
constexpr int kSoDontRoute = 0x0010;
constexpr int kSoBroadcast = 0x0020;
constexpr int kSoUseLoopback = 0x0040;
constexpr int kSoLinger = 0x0080;
constexpr int kSoOobInline = 0x0100;
constexpr int kSoDontLinger = ~0x0080;
constexpr int kSoExclusiveAddrUse = ~0x0004;
constexpr int kSoSndBuf = 0x1001;
constexpr int kSoRcvBuf = 0x1002;
constexpr int kSoSndLowat = 0x1003;
constexpr int kSoRcvLowat = 0x1004;
constexpr int kSoSndTimeo = 0x1005;
constexpr int kSoRcvTimeo = 0x1006;
constexpr int kSoError = 0x1007;
constexpr int kSoType = 0x1008;
constexpr int kSoBspState = 0x1009;
constexpr int kSoMaxMsgSize = 0x2003;
constexpr int kSoProtocolInfoA = 0x2004;
constexpr int kSoProtocolInfoW = 0x2005;
constexpr int kSoConditionalAccept = 0x3002;
constexpr int kSoRandomizePort = 0x3005;
constexpr int kSoPortScalability = 0x3006;
constexpr int kSoOpenType = 0x7008;
constexpr int kSoMaxDg = 0x7009;
constexpr int kSoMaxPathDg = 0x700A;
constexpr int kSoUpdateAcceptContext = 0x700B;
constexpr int kSoConnectTime = 0x700C;
constexpr int kSoUpdateConnectContext = 0x7010;

// ---- IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6 options.
constexpr int kTcpNoDelay = 0x0001;
constexpr int kTcpKeepAlive = 3;  // TCP_KEEPIDLE
constexpr int kTcpMaxSeg = 4;
constexpr int kTcpKeepCnt = 16;
constexpr int kTcpKeepIntvl = 17;
constexpr int kTcpFastOpen = 15;
constexpr int kIpOptions = 1;
constexpr int kIpHdrIncl = 2;
constexpr int kIpTos = 3;
constexpr int kIpTtl = 4;
constexpr int kIpMulticastIf = 9;
constexpr int kIpMulticastTtl = 10;
constexpr int kIpMulticastLoop = 11;
constexpr int kIpAddMembership = 12;
constexpr int kIpDropMembership = 13;
constexpr int kIpDontFragment = 14;
constexpr int kIpPktInfo = 19;
constexpr int kIpRecvTtl = 21;
constexpr int kIpRecvTos = 40;
constexpr int kIpUnicastIf = 31;
constexpr int kIpEcn = 50;      // IP_ECN: the control object; IP_RECVECN, the option, has the same value
constexpr int kIpMtuDiscover = 71;
constexpr int kIpMtu = 73;
constexpr int kIpv6HdrIncl = 2;
constexpr int kIpv6UnicastHops = 4;
constexpr int kIpv6UnicastIf = 31;
constexpr int kIpv6MulticastIf = 9;
constexpr int kIpv6MulticastHops = 10;
constexpr int kIpv6MulticastLoop = 11;
constexpr int kIpv6AddMembership = 12;
constexpr int kIpv6DropMembership = 13;
constexpr int kIpv6DontFrag = 14;
constexpr int kIpv6PktInfo = 19;
constexpr int kIpv6HopLimit = 21;
constexpr int kIpv6V6Only = 27;
constexpr int kIpv6RecvTclass = 40;
constexpr int kIpv6Ecn = 50;    // IPV6_ECN and IPV6_RECVECN
constexpr int kIpv6Tclass = 39;
constexpr int kIpv6Mtu = 72;
constexpr int kUdpSendMsgSize = 2;  // UDP_SEND_MSG_SIZE: send segmentation (USO)
constexpr int kUdpRecvMaxCoalescedSize = 3;  // UDP_RECV_MAX_COALESCED_SIZE: receive coalescing (URO)
constexpr int kUdpCoalescedInfo = 3;         // UDP_COALESCED_INFO: its control object
constexpr int kIpv6MtuDiscover = 71;

// ---- flags.
constexpr int kMsgOob = 0x1;
constexpr int kMsgPeek = 0x2;
constexpr int kMsgDontRoute = 0x4;
constexpr int kMsgWaitAll = 0x8;
constexpr int kMsgInterrupt = 0x10;
constexpr int kMsgPushImmediate = 0x20;
constexpr int kMsgTrunc = 0x0100;
constexpr int kMsgCtrunc = 0x0200;
constexpr int kMsgBcast = 0x0400;
constexpr int kMsgMcast = 0x0800;
constexpr int kMsgPartial = 0x8000;
constexpr int kSdReceive = 0;
constexpr int kSdSend = 1;
constexpr int kSdBoth = 2;
constexpr int kSoMaxConn = 0x7fffffff;

constexpr int kAiPassive = 0x1;
constexpr int kAiCanonName = 0x2;
constexpr int kAiNumericHost = 0x4;
constexpr int kAiNumericServ = 0x8;
constexpr int kAiAll = 0x100;
constexpr int kAiAddrConfig = 0x400;
constexpr int kAiV4Mapped = 0x800;
constexpr int kAiFqdn = 0x20000;
constexpr int kAiDisableIdnEncoding = 0x80000;
constexpr DWORD kNsAll = 0;
constexpr DWORD kNsDns = 12;
constexpr int kNiNoFqdn = 0x01;
constexpr int kNiNumericHost = 0x02;
constexpr int kNiNameReqd = 0x04;
constexpr int kNiNumericServ = 0x08;
constexpr int kNiDgram = 0x10;

constexpr int kFdRead = 1 << 0;
constexpr int kFdWrite = 1 << 1;
constexpr int kFdOob = 1 << 2;
constexpr int kFdAccept = 1 << 3;
constexpr int kFdConnect = 1 << 4;
constexpr int kFdClose = 1 << 5;
constexpr int kFdMaxEvents = 10;

constexpr short kPollRdNorm = 0x0100;
constexpr short kPollRdBand = 0x0200;
constexpr short kPollPri = 0x0400;
constexpr short kPollWrNorm = 0x0010;
constexpr short kPollWrBand = 0x0020;
constexpr short kPollErr = 0x0001;
constexpr short kPollHup = 0x0002;
constexpr short kPollNval = 0x0004;

constexpr DWORD kFionRead = 0x4004667F;
constexpr DWORD kFionBio = 0x8004667E;
constexpr DWORD kSiocAtMark = 0x40047307;
constexpr DWORD kSioGetExtensionFunctionPointer = 0xC8000006;
constexpr DWORD kSioKeepAliveVals = 0x98000004;
constexpr DWORD kSioUdpConnReset = 0x9800000C;
constexpr DWORD kSioUdpNetReset = 0x9800000F;
constexpr DWORD kSioLoopbackFastPath = 0x98000010;
constexpr DWORD kSioBaseHandle = 0x48000022;
constexpr DWORD kSioIdealSendBacklogQuery = 0x4004747B;  // _IOR('t', 123, ULONG)
constexpr DWORD kSioEnableCircularQueueing = 0x28000002;
constexpr DWORD kSioGetInterfaceList = 0x4004747F;
constexpr DWORD kSioAddressListQuery = 0x48000016;
constexpr DWORD kSioRoutingInterfaceQuery = 0xC8000014;
constexpr DWORD kSioAddressListSort = 0xC8000019;

constexpr DWORD kTfDisconnect = 0x01;
constexpr DWORD kTfReuseSocket = 0x02;
constexpr ULONG kTpElementMemory = 1;
constexpr ULONG kTpElementFile = 2;
constexpr ULONG kTpElementEop = 4;

constexpr DWORD kWsaFlagOverlapped = 0x01;
constexpr DWORD kWsaFlagNoHandleInherit = 0x80;
constexpr DWORD kWsaFlagRegisteredIo = 0x100;

// ---- structures, with Windows' layouts.
struct Sockaddr {
    USHORT sa_family;
    CHAR sa_data[14];
};
struct InAddr {
    ULONG value;  // network byte order (Windows: S_un.S_addr)
};
struct SockaddrIn {
    USHORT sin_family;
    USHORT sin_port;
    InAddr sin_addr;
    CHAR sin_zero[8];
};
struct alignas(2) In6Addr {  // IN6_ADDR is a union with USHORT words
    UCHAR bytes[16];
};
struct SockaddrIn6 {
    USHORT sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    In6Addr sin6_addr;
    ULONG sin6_scope_id;
};
struct SockaddrStorage {
    USHORT ss_family;
    CHAR pad1[6];
    LONGLONG align;
    CHAR pad2[112];
};

// SIO_ADDRESS_LIST_QUERY's answer: a count, then SOCKET_ADDRESS entries (8-aligned), then
// the addresses they point to.
struct SocketAddress {
    Sockaddr* lpSockaddr;
    INT iSockaddrLength;
};
struct SocketAddressList {
    INT iAddressCount;
    SocketAddress Address[1];
};
// SIO_GET_INTERFACE_LIST's entries: sockaddr_gen is a union whose largest member is the
// 24-byte sockaddr_in6_old (ULONG members: 4-aligned).
struct SockaddrGen {
    ULONG words[6];
};
struct InterfaceInfo {
    ULONG iiFlags;
    SockaddrGen iiAddress;
    SockaddrGen iiBroadcastAddress;
    SockaddrGen iiNetmask;
};
constexpr ULONG kIffUp = 0x01;
constexpr ULONG kIffBroadcast = 0x02;
constexpr ULONG kIffLoopback = 0x04;
constexpr ULONG kIffPointToPoint = 0x08;
constexpr ULONG kIffMulticast = 0x10;

struct WsaBuf {
    ULONG len;
    CHAR* buf;
};
struct WsaMsg {
    Sockaddr* name;
    INT namelen;
    WsaBuf* lpBuffers;
    ULONG dwBufferCount;
    WsaBuf Control;
    ULONG dwFlags;
};
struct WsaCmsgHdr {
    SIZE_T cmsg_len;
    INT cmsg_level;
    INT cmsg_type;
};
struct InPktInfo {
    InAddr ipi_addr;
    ULONG ipi_ifindex;
};
struct In6PktInfo {
    In6Addr ipi6_addr;
    ULONG ipi6_ifindex;
};
struct Linger {
    USHORT l_onoff;
    USHORT l_linger;
};
struct IpMreq {
    InAddr imr_multiaddr;
    InAddr imr_interface;
};
struct Ipv6Mreq {
    In6Addr ipv6mr_multiaddr;
    ULONG ipv6mr_interface;
};
struct TcpKeepalive {
    ULONG onoff;
    ULONG keepalivetime;
    ULONG keepaliveinterval;
};
struct AddrInfoA {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    char* ai_canonname;
    Sockaddr* ai_addr;
    AddrInfoA* ai_next;
};
struct AddrInfoW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    WCHAR* ai_canonname;
    Sockaddr* ai_addr;
    AddrInfoW* ai_next;
};
struct AddrInfoExA {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    char* ai_canonname;
    Sockaddr* ai_addr;
    void* ai_blob;
    size_t ai_bloblen;
    void* ai_provider;
    AddrInfoExA* ai_next;
};
struct AddrInfoExW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    WCHAR* ai_canonname;
    Sockaddr* ai_addr;
    void* ai_blob;
    size_t ai_bloblen;
    void* ai_provider;
    AddrInfoExW* ai_next;
};
struct HostEnt {
    char* h_name;
    char** h_aliases;
    short h_addrtype;
    short h_length;
    char** h_addr_list;
};
struct ServEnt {
    char* s_name;
    char** s_aliases;
    char* s_proto;
    short s_port;
};
struct ProtoEnt {
    char* p_name;
    char** p_aliases;
    short p_proto;
};
struct FdSetHeader {  // fd_set: a count, then that many sockets (FD_SETSIZE is the program's)
    UINT fd_count;
    Socket fd_array[1];
};
struct WsaPollFd {
    Socket fd;
    SHORT events;
    SHORT revents;
};
struct WsaNetworkEvents {
    LONG lNetworkEvents;
    int iErrorCode[kFdMaxEvents];
};
struct TransmitFileBuffers {
    void* Head;
    DWORD HeadLength;
    void* Tail;
    DWORD TailLength;
};
struct TransmitPacketsElement {
    ULONG dwElFlags;
    ULONG cLength;
    union {
        struct {
            LARGE_INTEGER nFileOffset;
            HANDLE hFile;
        } file;
        void* pBuffer;
    };
};

}  // namespace overlapped::ws
