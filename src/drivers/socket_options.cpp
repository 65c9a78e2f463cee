// socket_options.cpp: getsockopt/setsockopt and ioctlsocket/WSAIoctl codes of the socket
// driver: Windows' levels, names and value layouts to Linux's, and the options Linux has
// no equivalent for, kept by the driver (SO_CONNECT_TIME, SO_EXCLUSIVEADDRUSE...).
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstddef>
#include <ctime>
#include <vector>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/socket.h"
#include "drivers/socket_translate.h"

namespace overlapped::drivers {

namespace tr = translate;

namespace {

// How an option's value is laid out on each side (Linux always takes an int). Windows'
// lengths per option are those of Wine's sock.c test_set_getsockopt (test_optsize: the
// length getsockopt answers when given 1, 2 and 4 bytes, and whether setsockopt takes
// fewer than 4), whose checks pass on Windows.
enum class Value : uint8_t {
    Int,      // an int: set and get need 4 bytes (WSAEFAULT)
    Small,    // an int that set also takes as 1-3 bytes (the low ones); get answers one
              // byte when given fewer than 4 (IP_TTL, IP_TOS, the hop limits)
    Boolean,  // a BOOLEAN: set reads the first byte of any length, get answers one byte
              // (SO_KEEPALIVE, SO_DONTROUTE, TCP_NODELAY, IPV6_V6ONLY)
    Bool,     // a BOOL: set takes 1-4 bytes (non-zero: on), get answers 4 bytes, or one
              // byte when given fewer (SO_BROADCAST, SO_OOBINLINE, the multicast loops)
    Flag,     // a BOOL that needs 4 bytes both ways (IP_PKTINFO and the other receive
              // flags); a short get also sets the length to 0
    Linger,   // LINGER (two u_shorts) <-> struct linger (two ints)
    Buffer,   // SO_SNDBUF/SO_RCVBUF: Linux doubles what it is given; Windows reports it as set
    Raw,      // the same bytes on both sides (ip_mreq, ipv6_mreq)
};

struct Mapping {
    int level, name;              // Windows
    int linux_level, linux_name;  // Linux
    Value value;
};

const Mapping kMappings[] = {
    {ws::kSolSocket, ws::kSoKeepAlive, SOL_SOCKET, SO_KEEPALIVE, Value::Boolean},
    {ws::kSolSocket, ws::kSoBroadcast, SOL_SOCKET, SO_BROADCAST, Value::Bool},
    {ws::kSolSocket, ws::kSoDontRoute, SOL_SOCKET, SO_DONTROUTE, Value::Boolean},
    {ws::kSolSocket, ws::kSoOobInline, SOL_SOCKET, SO_OOBINLINE, Value::Bool},
    {ws::kSolSocket, ws::kSoDebug, SOL_SOCKET, SO_DEBUG, Value::Bool},
    {ws::kSolSocket, ws::kSoLinger, SOL_SOCKET, SO_LINGER, Value::Linger},
    {ws::kSolSocket, ws::kSoSndBuf, SOL_SOCKET, SO_SNDBUF, Value::Buffer},
    {ws::kSolSocket, ws::kSoRcvBuf, SOL_SOCKET, SO_RCVBUF, Value::Buffer},
    {ws::kSolSocket, ws::kSoRcvLowat, SOL_SOCKET, SO_RCVLOWAT, Value::Int},
    {ws::kIpprotoTcp, ws::kTcpNoDelay, IPPROTO_TCP, TCP_NODELAY, Value::Boolean},
    {ws::kIpprotoTcp, ws::kTcpKeepAlive, IPPROTO_TCP, TCP_KEEPIDLE, Value::Int},
    {ws::kIpprotoTcp, ws::kTcpKeepCnt, IPPROTO_TCP, TCP_KEEPCNT, Value::Int},
    {ws::kIpprotoTcp, ws::kTcpKeepIntvl, IPPROTO_TCP, TCP_KEEPINTVL, Value::Int},
    {ws::kIpprotoTcp, ws::kTcpMaxSeg, IPPROTO_TCP, TCP_MAXSEG, Value::Int},
    {ws::kIpprotoIp, ws::kIpTtl, IPPROTO_IP, IP_TTL, Value::Small},
    {ws::kIpprotoIp, ws::kIpTos, IPPROTO_IP, IP_TOS, Value::Small},
    {ws::kIpprotoIp, ws::kIpHdrIncl, IPPROTO_IP, IP_HDRINCL, Value::Bool},
    {ws::kIpprotoIp, ws::kIpMulticastIf, IPPROTO_IP, IP_MULTICAST_IF, Value::Raw},
    {ws::kIpprotoIp, ws::kIpMulticastTtl, IPPROTO_IP, IP_MULTICAST_TTL, Value::Small},
    {ws::kIpprotoIp, ws::kIpMulticastLoop, IPPROTO_IP, IP_MULTICAST_LOOP, Value::Bool},
    {ws::kIpprotoIp, ws::kIpAddMembership, IPPROTO_IP, IP_ADD_MEMBERSHIP, Value::Raw},
    {ws::kIpprotoIp, ws::kIpDropMembership, IPPROTO_IP, IP_DROP_MEMBERSHIP, Value::Raw},
    {ws::kIpprotoIp, ws::kIpPktInfo, IPPROTO_IP, IP_PKTINFO, Value::Flag},
    {ws::kIpprotoIp, ws::kIpRecvTtl, IPPROTO_IP, IP_RECVTTL, Value::Flag},
    {ws::kIpprotoIp, ws::kIpRecvTos, IPPROTO_IP, IP_RECVTOS, Value::Flag},
    {ws::kIpprotoIp, ws::kIpMtu, IPPROTO_IP, IP_MTU, Value::Int},
    {ws::kIpprotoIp, ws::kIpOptions, IPPROTO_IP, IP_OPTIONS, Value::Raw},
    // The interface index in network byte order on both sides (Microsoft Learn, IPPROTO_IP
    // socket options). IPV6_UNICAST_IF, in host byte order on Windows, is get_option's.
    {ws::kIpprotoIp, ws::kIpUnicastIf, IPPROTO_IP, IP_UNICAST_IF, Value::Int},
    {ws::kIpprotoIpv6, ws::kIpv6V6Only, IPPROTO_IPV6, IPV6_V6ONLY, Value::Boolean},
    {ws::kIpprotoIpv6, ws::kIpv6UnicastHops, IPPROTO_IPV6, IPV6_UNICAST_HOPS, Value::Small},
    {ws::kIpprotoIpv6, ws::kIpv6MulticastIf, IPPROTO_IPV6, IPV6_MULTICAST_IF, Value::Int},
    {ws::kIpprotoIpv6, ws::kIpv6MulticastHops, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, Value::Small},
    {ws::kIpprotoIpv6, ws::kIpv6MulticastLoop, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, Value::Bool},
    {ws::kIpprotoIpv6, ws::kIpv6AddMembership, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, Value::Raw},
    {ws::kIpprotoIpv6, ws::kIpv6DropMembership, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, Value::Raw},
    {ws::kIpprotoIpv6, ws::kIpv6PktInfo, IPPROTO_IPV6, IPV6_RECVPKTINFO, Value::Flag},
    {ws::kIpprotoIpv6, ws::kIpv6HopLimit, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, Value::Flag},
    {ws::kIpprotoIpv6, ws::kIpv6Tclass, IPPROTO_IPV6, IPV6_TCLASS, Value::Int},
    {ws::kIpprotoIpv6, ws::kIpv6RecvTclass, IPPROTO_IPV6, IPV6_RECVTCLASS, Value::Flag},
    {ws::kIpprotoIpv6, ws::kIpv6DontFrag, IPPROTO_IPV6, IPV6_DONTFRAG, Value::Bool},
    {ws::kIpprotoIpv6, ws::kIpv6Mtu, IPPROTO_IPV6, IPV6_MTU, Value::Int},
    // Windows' send segmentation (USO) is Linux's GSO: the segment size, 0 for none.
    {ws::kIpprotoUdp, ws::kUdpSendMsgSize, IPPROTO_UDP, UDP_SEGMENT, Value::Int},
};

const Mapping* find_mapping(int level, int name)
{
    for (const Mapping& mapping : kMappings)
        if (mapping.level == level && mapping.name == name) return &mapping;
    return nullptr;
}

bool known_level(int level)
{
    return level == ws::kSolSocket || level == ws::kIpprotoTcp || level == ws::kIpprotoIp ||
           level == ws::kIpprotoIpv6 || level == ws::kIpprotoUdp;
}

// SO_LINGER and SO_DONTLINGER: a connection's close; a datagram socket has neither
// (WSAENOPROTOOPT both ways on Windows, where Linux would take them).
bool lingering_option(int level, int name)
{
    return level == ws::kSolSocket && (name == ws::kSoLinger || name == ws::kSoDontLinger);
}

// setsockopt's value (`length` > 0) as a number, read as `kind` says; 0 or WSAEFAULT.
int read_number(const char* value, int length, Value kind, int* out)
{
    switch (kind) {
    case Value::Boolean: *out = static_cast<unsigned char>(value[0]); return 0;
    case Value::Small:
    case Value::Bool:
        if (length < static_cast<int>(sizeof(int))) {  // the low bytes
            unsigned number = 0;
            for (int i = length - 1; i >= 0; --i) number = number << 8 | static_cast<unsigned char>(value[i]);
            *out = static_cast<int>(number);
            return 0;
        }
        break;
    default:
        if (length < static_cast<int>(sizeof(int))) return WSAEFAULT;
        break;
    }
    memcpy(out, value, sizeof(*out));
    return 0;
}

int write_value(char* value, int* length, const void* data, int size)
{
    if (*length < size) return WSAEFAULT;
    memcpy(value, data, static_cast<size_t>(size));
    *length = size;
    return 0;
}

// getsockopt's answer `number` as `kind` lays it out (`level`: Windows').
int write_number(char* value, int* length, Value kind, int level, int number)
{
    switch (kind) {
    case Value::Boolean: {
        unsigned char byte = number != 0;
        return write_value(value, length, &byte, sizeof(byte));
    }
    case Value::Bool:
    case Value::Small:
        if (kind == Value::Bool) number = number != 0;
        if (*length >= static_cast<int>(sizeof(int))) return write_value(value, length, &number, sizeof(number));
        if (kind == Value::Bool && level == ws::kSolSocket && *length >= static_cast<int>(sizeof(USHORT))) {
            // Given 2 or 3 bytes, Windows writes two for these and answers a length of 1.
            USHORT word = static_cast<USHORT>(number);
            memcpy(value, &word, sizeof(word));
            *length = 1;
            return 0;
        } else {
            unsigned char byte = static_cast<unsigned char>(number);
            return write_value(value, length, &byte, sizeof(byte));
        }
    case Value::Flag:
        if (*length < static_cast<int>(sizeof(int))) {
            *length = 0;
            return WSAEFAULT;
        }
        number = number != 0;
        return write_value(value, length, &number, sizeof(number));
    default:
        if (level != ws::kSolSocket && *length < static_cast<int>(sizeof(int))) {
            // A protocol level's 4-byte option given fewer bytes: Windows fails and sets
            // the length to 0 (Wine's test_optsize: TCP_KEEPALIVE, TCP_KEEPCNT... answer
            // {0, 0, 4}); SOL_SOCKET's leave it as given.
            *length = 0;
            return WSAEFAULT;
        }
        return write_value(value, length, &number, sizeof(number));
    }
}

// setsockopt with a length of 0: the BOOLs of SOL_SOCKET take it (succeed); every other
// option fails with WSAEFAULT. Wine's test_optsize
// (bool_value rows: SO_BROADCAST, SO_DONTLINGER, SO_OOBINLINE, SO_REUSEADDR,
// SO_EXCLUSIVEADDRUSE), whose checks pass on Windows.
bool takes_empty_value(int level, int name)
{
    return level == ws::kSolSocket && (name == ws::kSoBroadcast || name == ws::kSoDontLinger || name == ws::kSoOobInline ||
                                       name == ws::kSoReuseAddr || name == ws::kSoExclusiveAddrUse);
}

// A failed getsockopt/setsockopt of an option: Linux's "no such option" (ENOPROTOOPT, or
// EOPNOTSUPP at a level the protocol lacks) is WSAENOPROTOOPT, as Windows answers.
int option_error(int error)
{
    return error == ENOPROTOOPT || error == EOPNOTSUPP ? WSAENOPROTOOPT : tr::wsa_error(error);
}

// getsockopt of an IPPROTO_IP/IPPROTO_IPV6 option that does not apply to a socket of this
// type: WSAEINVAL, as Windows answers (Wine's sock.c test_sockopt_validity): on a stream
// socket the multicast options, the receive-information flags and the header option; on a
// datagram socket the header option (raw sockets only). 0 if it applies.
int inapplicable_option(int type, int level, int name)
{
    if (type == ws::kSockRaw) return 0;
    bool stream = type == ws::kSockStream;
    if (level == ws::kIpprotoIp) {
        switch (name) {
        case ws::kIpHdrIncl: return WSAEINVAL;
        case ws::kIpMulticastIf:
        case ws::kIpMulticastTtl:
        case ws::kIpMulticastLoop:
        case ws::kIpPktInfo:
        case ws::kIpRecvTtl:
        case ws::kIpRecvTos:
        case ws::kIpEcn: return stream ? WSAEINVAL : 0;
        default: return 0;
        }
    }
    if (level == ws::kIpprotoIpv6) {
        switch (name) {
        case ws::kIpv6HdrIncl: return WSAEINVAL;
        case ws::kIpv6MulticastIf:
        case ws::kIpv6MulticastHops:
        case ws::kIpv6MulticastLoop:
        case ws::kIpv6PktInfo:
        case ws::kIpv6HopLimit:
        case ws::kIpv6RecvTclass:
        case ws::kIpv6Ecn: return stream ? WSAEINVAL : 0;
        default: return 0;
        }
    }
    return 0;
}

// IP_RECVTOS, IP_RECVECN, IPV6_RECVTCLASS, IPV6_RECVECN: the traffic-class receive options
// (socket.h, receive_tos_...). *ip: IPPROTO_IP's; *ecn: the ECN bits' option.
bool traffic_class_option(int level, int name, bool* ip, bool* ecn)
{
    *ip = level == ws::kIpprotoIp;
    if (*ip ? name != ws::kIpRecvTos && name != ws::kIpEcn
            : level != ws::kIpprotoIpv6 || (name != ws::kIpv6RecvTclass && name != ws::kIpv6Ecn))
        return false;
    *ecn = name == (*ip ? ws::kIpEcn : ws::kIpv6Ecn);
    return true;
}


// SIO_ADDRESS_LIST_QUERY: the local addresses of the socket's family a program can bind
// to. Windows leaves out the loopback interface's addresses (127.*, ::1; Microsoft Learn,
// "SIO_ADDRESS_LIST_QUERY Control Code", remarks) and those not usable yet (its DAD
// states; here: interfaces that are down). The answer is a SOCKET_ADDRESS_LIST, then the
// addresses its entries point to. An output buffer smaller than the list's header is
// WSAEINVAL with no count; one too small for the list is WSAEFAULT with the size needed
// (Microsoft Learn; Wine's ws2_32 answers the same two ways).
int address_list(int family, void* out, DWORD out_length, DWORD* returned)
{
    constexpr DWORD header = offsetof(ws::SocketAddressList, Address);
    if (out != nullptr && out_length < header) return WSAEINVAL;
    if (family != ws::kAfInet && family != ws::kAfInet6) return WSAEOPNOTSUPP;
    int wanted = family == ws::kAfInet6 ? AF_INET6 : AF_INET;
    ifaddrs* interfaces = nullptr;
    if (getifaddrs(&interfaces) != 0) return WSAENOBUFS;
    std::vector<ws::SockaddrStorage> addresses;
    std::vector<int> lengths;
    for (ifaddrs* entry = interfaces; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != wanted) continue;
        if ((entry->ifa_flags & IFF_UP) == 0 || (entry->ifa_flags & IFF_LOOPBACK) != 0) continue;
        ws::SockaddrStorage address{};
        int length = sizeof(address);
        socklen_t size = wanted == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
        if (tr::to_windows(entry->ifa_addr, size, reinterpret_cast<ws::Sockaddr*>(&address), &length) != 0) continue;
        addresses.push_back(address);
        lengths.push_back(length);
    }
    freeifaddrs(interfaces);
    DWORD needed = header + static_cast<DWORD>(addresses.size() * sizeof(ws::SocketAddress));
    for (int length : lengths) needed += static_cast<DWORD>(length);
    *returned = needed;
    if (out == nullptr || out_length < needed) return WSAEFAULT;
    auto* bytes = static_cast<unsigned char*>(out);
    INT count = static_cast<INT>(addresses.size());
    memcpy(bytes, &count, sizeof(count));
    memset(bytes + sizeof(count), 0, header - sizeof(count));
    size_t data = header + addresses.size() * sizeof(ws::SocketAddress);
    for (size_t i = 0; i < addresses.size(); ++i) {
        ws::SocketAddress entry{};
        entry.lpSockaddr = reinterpret_cast<ws::Sockaddr*>(bytes + data);
        entry.iSockaddrLength = lengths[i];
        memcpy(bytes + header + i * sizeof(entry), &entry, sizeof(entry));
        memcpy(bytes + data, &addresses[i], static_cast<size_t>(lengths[i]));
        data += static_cast<size_t>(lengths[i]);
    }
    return 0;
}

// An INTERFACE_INFO address: the IPv4 `address` in Windows' form, zeros without one.
ws::SockaddrGen ipv4_entry(const sockaddr* address)
{
    ws::SockaddrGen out{};
    if (address == nullptr || address->sa_family != AF_INET) return out;
    int length = sizeof(out);
    tr::to_windows(address, sizeof(sockaddr_in), reinterpret_cast<ws::Sockaddr*>(&out), &length);
    return out;
}

// SIO_GET_INTERFACE_LIST: one INTERFACE_INFO per IPv4 address of an interface that is up,
// the loopback interface's too: flags (Windows' IFF_* values), the address, the broadcast
// address (the peer's on a point-to-point link) and the netmask. A buffer too small for the
// list is WSAEFAULT (Microsoft Learn, "Winsock IOCTLs", SIO_GET_INTERFACE_LIST); the count
// is then 0 (as Wine answers).
int interface_list(void* out, DWORD out_length, DWORD* returned)
{
    ifaddrs* interfaces = nullptr;
    if (getifaddrs(&interfaces) != 0) return WSAENOBUFS;
    std::vector<ws::InterfaceInfo> entries;
    for (ifaddrs* entry = interfaces; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
        if ((entry->ifa_flags & IFF_UP) == 0) continue;
        ws::InterfaceInfo info{};
        info.iiFlags = ws::kIffUp;
        if (entry->ifa_flags & IFF_BROADCAST) info.iiFlags |= ws::kIffBroadcast;
        if (entry->ifa_flags & IFF_LOOPBACK) info.iiFlags |= ws::kIffLoopback;
        if (entry->ifa_flags & IFF_POINTOPOINT) info.iiFlags |= ws::kIffPointToPoint;
        if (entry->ifa_flags & IFF_MULTICAST) info.iiFlags |= ws::kIffMulticast;
        info.iiAddress = ipv4_entry(entry->ifa_addr);
        // ifa_broadaddr and ifa_dstaddr are one field (ifa_ifu): the broadcast address, or
        // the other end of a point-to-point link.
        if (entry->ifa_flags & (IFF_BROADCAST | IFF_POINTOPOINT)) info.iiBroadcastAddress = ipv4_entry(entry->ifa_broadaddr);
        info.iiNetmask = ipv4_entry(entry->ifa_netmask);
        entries.push_back(info);
    }
    freeifaddrs(interfaces);
    DWORD needed = static_cast<DWORD>(entries.size() * sizeof(ws::InterfaceInfo));
    if (out == nullptr || out_length < needed) return WSAEFAULT;
    if (needed != 0) memcpy(out, entries.data(), needed);
    *returned = needed;
    return 0;
}

// SIO_ROUTING_INTERFACE_QUERY: the local address a datagram to the destination in `in`
// would leave from (Linux's answer for a datagram socket connected there), port 0. As
// Windows answers (Wine's sock.c test_sioRoutingInterfaceQuery): no destination, or one
// shorter than a sockaddr_in, is WSAEINVAL; a family that is not the socket's
// WSAEAFNOSUPPORT; the wildcard address WSAEINVAL; no output WSAEFAULT; an output too
// small WSAEFAULT with the size needed.
int routing_interface(int family, const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* returned)
{
    if (in == nullptr || in_length < sizeof(ws::SockaddrIn)) return WSAEINVAL;
    ws::Sockaddr header;
    memcpy(&header, in, sizeof(header.sa_family));
    if (header.sa_family != family || (family != ws::kAfInet && family != ws::kAfInet6)) return WSAEAFNOSUPPORT;
    sockaddr_storage destination{};
    socklen_t destination_length = 0;
    if (tr::to_linux(static_cast<const ws::Sockaddr*>(in), static_cast<int>(in_length), &destination,
                     &destination_length) != 0)
        return WSAEINVAL;
    auto* destination4 = reinterpret_cast<sockaddr_in*>(&destination);
    auto* destination6 = reinterpret_cast<sockaddr_in6*>(&destination);
    if (destination.ss_family == AF_INET ? destination4->sin_addr.s_addr == htonl(INADDR_ANY)
                                         : IN6_IS_ADDR_UNSPECIFIED(&destination6->sin6_addr))
        return WSAEINVAL;
    if (out == nullptr) return WSAEFAULT;
    // The port does not choose the route; a datagram socket cannot be connected to port 0.
    if (destination.ss_family == AF_INET)
        destination4->sin_port = htons(9);
    else
        destination6->sin6_port = htons(9);
    int probe = ::socket(destination.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return tr::wsa_error(errno);
    sockaddr_storage local{};
    socklen_t local_length = sizeof(local);
    int error = 0;
    if (::connect(probe, reinterpret_cast<sockaddr*>(&destination), destination_length) != 0 ||
        getsockname(probe, reinterpret_cast<sockaddr*>(&local), &local_length) != 0)
        error = tr::wsa_error(errno);
    ::close(probe);
    if (error != 0) return error;
    if (local.ss_family == AF_INET)
        reinterpret_cast<sockaddr_in*>(&local)->sin_port = 0;
    else
        reinterpret_cast<sockaddr_in6*>(&local)->sin6_port = 0;
    int needed = tr::windows_length(reinterpret_cast<sockaddr*>(&local));
    *returned = static_cast<DWORD>(needed);
    if (out_length < static_cast<DWORD>(needed)) return WSAEFAULT;
    int length = needed;
    return tr::to_windows(reinterpret_cast<sockaddr*>(&local), local_length, static_cast<ws::Sockaddr*>(out), &length);
}

// SIO_ADDRESS_LIST_SORT: the SOCKET_ADDRESS_LIST in `in`, its entries put in the order a
// program should try them (the output may be the input). Windows orders by RFC 3484's
// rules, with the default policy table first of all (Microsoft Learn, "SIO_ADDRESS_LIST_SORT
// Control Code"); the destinations' precedence from that table (RFC 6724 section 2.1,
// IPv4 addresses counted as IPv4-mapped ones) is what orders them here, and entries of
// equal precedence keep their order. A list too short for its count is WSAEINVAL; an output
// smaller than the input is WSAEFAULT.
int address_precedence(const ws::Sockaddr* address, int length)
{
    if (address == nullptr) return -1;
    USHORT family = 0;
    memcpy(&family, address, sizeof(family));
    if (family == ws::kAfInet) return 35;  // ::ffff:0:0/96
    if (family != ws::kAfInet6 || length < static_cast<int>(sizeof(ws::SockaddrIn6))) return -1;
    ws::SockaddrIn6 a6;
    memcpy(&a6, address, sizeof(a6));
    const unsigned char* b = reinterpret_cast<const unsigned char*>(&a6.sin6_addr);
    static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char zero[12] = {};
    if (memcmp(b, loopback, 16) == 0) return 50;                                                // ::1/128
    if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) return 35;                 // ::ffff:0:0/96
    if (b[0] == 0x20 && b[1] == 0x02) return 30;                                                // 2002::/16
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) return 5;                       // 2001::/32
    if ((b[0] & 0xfe) == 0xfc) return 3;                                                        // fc00::/7
    if (memcmp(b, zero, 12) == 0) return 1;                                                     // ::/96
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return 1;                                        // fec0::/10
    if (b[0] == 0x3f && b[1] == 0xfe) return 1;                                                 // 3ffe::/16
    return 40;                                                                                  // ::/0
}

int address_list_sort(const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* returned)
{
    constexpr DWORD header = offsetof(ws::SocketAddressList, Address);
    if (in == nullptr || in_length < header) return WSAEINVAL;
    INT count = 0;
    memcpy(&count, in, sizeof(count));
    if (count < 0 || (in_length - header) / sizeof(ws::SocketAddress) < static_cast<DWORD>(count)) return WSAEINVAL;
    DWORD needed = header + static_cast<DWORD>(count) * sizeof(ws::SocketAddress);
    if (out == nullptr || out_length < needed) return WSAEFAULT;
    std::vector<ws::SocketAddress> entries(static_cast<size_t>(count));
    if (count > 0) memcpy(entries.data(), static_cast<const char*>(in) + header, entries.size() * sizeof(entries[0]));
    std::stable_sort(entries.begin(), entries.end(), [](const ws::SocketAddress& a, const ws::SocketAddress& b) {
        return address_precedence(a.lpSockaddr, a.iSockaddrLength) >
               address_precedence(b.lpSockaddr, b.iSockaddrLength);
    });
    memmove(out, in, header);
    if (count > 0) memcpy(static_cast<char*>(out) + header, entries.data(), entries.size() * sizeof(entries[0]));
    *returned = needed;
    return 0;
}

}  // namespace

int SocketDevice::get_option(int level, int name, char* value, int* length)
{
    if (value == nullptr || length == nullptr || *length <= 0) return WSAEFAULT;
    if (!known_level(level)) return WSAEINVAL;
    if (lingering_option(level, name) && !is_stream_type()) return WSAENOPROTOOPT;
    if (int error = inapplicable_option(type_, level, name)) return error;
    if ((level == ws::kIpprotoIp && name == ws::kIpDontFragment) ||
        (level == ws::kIpprotoIpv6 && name == ws::kIpv6DontFrag && is_stream_type())) {
        int8_t set = (level == ws::kIpprotoIp ? dont_fragment_ : dont_fragment6_).load();
        return write_number(value, length, Value::Bool, level, set < 0 ? is_stream_type() : set);
    }
    if (level == ws::kIpprotoIpv6 && name == ws::kIpv6UnicastIf) {
        int index = 0;
        socklen_t size = sizeof(index);
        if (getsockopt(descriptor_, IPPROTO_IPV6, IPV6_UNICAST_IF, &index, &size) != 0) return option_error(errno);
        return write_number(value, length, Value::Int, level, static_cast<int>(ntohl(static_cast<uint32_t>(index))));
    }
    if (level == ws::kIpprotoUdp && name == ws::kUdpRecvMaxCoalescedSize) {
        if (type_ != ws::kSockDgram) return WSAENOPROTOOPT;
        return write_number(value, length, Value::Int, level, static_cast<int>(receive_coalesced_max_.load()));
    }
    bool ip, ecn;
    if (traffic_class_option(level, name, &ip, &ecn) && (ecn || (ip ? receive_ecn_ : receive_ecn6_).load())) {
        // As the program set them: Linux's one option per level is on for the ECN bits too.
        if (ecn && type_ != ws::kSockDgram) return WSAENOPROTOOPT;  // datagram sockets only
        if (!ip && family_ != ws::kAfInet6) return WSAENOPROTOOPT;
        bool on = ip ? (ecn ? receive_ecn_ : receive_tos_).load() : (ecn ? receive_ecn6_ : receive_tclass_).load();
        return write_number(value, length, Value::Flag, level, on ? 1 : 0);
    }
    int number = 0;
    if (level == ws::kSolSocket) {
        switch (name) {
        case ws::kSoType: number = type_; return write_value(value, length, &number, sizeof(number));
        case ws::kSoAcceptConn: number = listening() ? 1 : 0; return write_value(value, length, &number, sizeof(number));
        case ws::kSoReuseAddr: return write_number(value, length, Value::Bool, level, reuse_address_);
        case ws::kSoExclusiveAddrUse: return write_number(value, length, Value::Bool, level, exclusive_address_);
        case ws::kSoRcvTimeo: return write_value(value, length, &receive_timeout_, sizeof(DWORD));
        case ws::kSoSndTimeo: return write_value(value, length, &send_timeout_, sizeof(DWORD));
        case ws::kSoError: {
            // A non-blocking connect that has ended is looked at first: reading Linux's
            // SO_ERROR here would take its outcome from connected() (which would then take
            // the socket for connected).
            if (is_stream_type()) connected();
            int error = 0;
            socklen_t size = sizeof(error);
            if (getsockopt(descriptor_, SOL_SOCKET, SO_ERROR, &error, &size) != 0) return tr::wsa_error(errno);
            if (error != 0 && !is_stream_type()) {
                // A datagram socket's ICMP error (IP_RECVERR): a receive reports it on
                // Windows, not SO_ERROR. Its queue entry goes with it.
                take_icmp_error();
                if (error == ECONNREFUSED) owe_reset();
                error = 0;
            }
            if (is_stream_type() && (error == ECONNRESET || error == EPIPE)) {
                // The peer's reset (EPIPE: after its FIN): Linux hands it out once, here.
                // Windows keeps SO_ERROR 0 and fails every later transfer with
                // WSAECONNRESET (Wine's sock.c test_tcp_reset), so it is kept for them.
                reset_.store(true, std::memory_order_release);
                error = 0;
            }
            if (error != 0) pending_error_ = tr::wsa_error(error);
            number = pending_error_;
            return write_value(value, length, &number, sizeof(number));
        }
        case ws::kSoDontLinger: {
            struct linger linger {};
            socklen_t size = sizeof(linger);
            if (getsockopt(descriptor_, SOL_SOCKET, SO_LINGER, &linger, &size) != 0) return tr::wsa_error(errno);
            return write_number(value, length, Value::Bool, level, linger.l_onoff == 0);
        }
        case ws::kSoConnectTime: {
            // Seconds since the connection was made; 0xFFFFFFFF while not connected.
            DWORD seconds = connected() && connect_time_ != 0 ? static_cast<DWORD>(tr::monotonic_seconds() - connect_time_)
                                                              : 0xFFFFFFFFu;
            return write_value(value, length, &seconds, sizeof(seconds));
        }
        case ws::kSoMaxMsgSize:
            if (is_stream_type()) return WSAENOPROTOOPT;
            number = 65507;
            return write_value(value, length, &number, sizeof(number));
        case ws::kSoPortScalability: return write_number(value, length, Value::Bool, level, port_scalability_);
        case ws::kSoRandomizePort: return write_number(value, length, Value::Bool, level, randomize_port_);
        case ws::kSoConditionalAccept:
            number = 0;
            return write_value(value, length, &number, sizeof(number));
        default: break;
        }
    }
    const Mapping* mapping = find_mapping(level, name);
    if (mapping == nullptr) return WSAENOPROTOOPT;
    if ((mapping->value == Value::Linger || mapping->value == Value::Buffer) &&
        *length < static_cast<int>(sizeof(int))) {
        // Too short: Windows zeroes what it was given, and fails.
        memset(value, 0, static_cast<size_t>(*length));
        return WSAEFAULT;
    }
    switch (mapping->value) {
    case Value::Linger: {
        struct linger linger {};
        socklen_t size = sizeof(linger);
        if (getsockopt(descriptor_, mapping->linux_level, mapping->linux_name, &linger, &size) != 0)
            return tr::wsa_error(errno);
        USHORT on = linger_on_.load(std::memory_order_relaxed);
        ws::Linger out{static_cast<USHORT>(linger.l_onoff == 0 ? 0 : on != 0 ? on : 1), static_cast<USHORT>(linger.l_linger)};
        return write_value(value, length, &out, sizeof(out));
    }
    case Value::Raw: {
        socklen_t size = static_cast<socklen_t>(*length);
        if (getsockopt(descriptor_, mapping->linux_level, mapping->linux_name, value, &size) != 0)
            return tr::wsa_error(errno);
        *length = static_cast<int>(size);
        return 0;
    }
    default: break;
    }
    if (mapping->value == Value::Buffer) {
        int set = name == ws::kSoSndBuf ? send_buffer_ : receive_buffer_;
        if (set >= 0) return write_value(value, length, &set, sizeof(set));
    }
    if (level == ws::kIpprotoIpv6 && name == ws::kIpv6V6Only && family_ != ws::kAfInet6)
        return write_number(value, length, Value::Boolean, level, 1);  // an IPv4 socket is, as on Windows
    socklen_t size = sizeof(number);
    if (getsockopt(descriptor_, mapping->linux_level, mapping->linux_name, &number, &size) != 0)
        return option_error(errno);
    if (mapping->value == Value::Buffer) number /= 2;  // Linux reports twice what it was given
    return write_number(value, length, mapping->value, level, number);
}

int SocketDevice::set_option(int level, int name, const char* value, int length)
{
    if (!known_level(level)) return WSAEINVAL;
    if (value == nullptr) return WSAEFAULT;
    if (length < 0) {
        // Windows takes a negative length as a huge one (an unsigned size): SOL_SOCKET's
        // options read their value from it; a one-byte option, and every option of a
        // protocol level, fail with WSAENOBUFS (Wine's test_optsize, length -1).
        const Mapping* kind = find_mapping(level, name);
        if (level != ws::kSolSocket || (kind != nullptr && kind->value == Value::Boolean)) return WSAENOBUFS;
        length = INT_MAX;
    }
    if (length == 0 && level == ws::kIpprotoIp && name == ws::kIpOptions) {
        // No options: what getsockopt answers for a socket without any (a length of 0),
        // and what clears them.
        if (setsockopt(descriptor_, IPPROTO_IP, IP_OPTIONS, value, 0) != 0) return option_error(errno);
        return 0;
    }
    if (length == 0 && !takes_empty_value(level, name)) return WSAEFAULT;
    if (lingering_option(level, name) && !is_stream_type()) return WSAENOPROTOOPT;
    // A raw socket's option: on or off, WSAEINVAL on others (Wine's sock.c
    // test_set_getsockopt, Vista and later), where Linux answers ENOPROTOOPT.
    if (level == ws::kIpprotoIp && name == ws::kIpHdrIncl && type_ != ws::kSockRaw) return WSAEINVAL;
    if (length == 0) {
        // What Windows then sets is not in the sources; the value is left as it was (for
        // SO_DONTLINGER, FALSE would turn on a linger of 0 s: an abortive close).
        return 0;
    }
    if (level == ws::kIpprotoUdp && name == ws::kUdpRecvMaxCoalescedSize) {
        // Receive coalescing: Linux's UDP_GRO coalesces up to 64 KiB and takes no maximum,
        // so it is on only for a maximum that no coalesced datagram can pass; a smaller
        // one is kept and datagrams come one by one (a single datagram is a coalesced
        // message of one, within any maximum).
        int size = 0;
        if (int error = read_number(value, length, Value::Int, &size)) return error;
        if (type_ != ws::kSockDgram) return WSAENOPROTOOPT;
        int on = static_cast<DWORD>(size) >= 65535;
        if (setsockopt(descriptor_, IPPROTO_UDP, UDP_GRO, &on, sizeof(on)) != 0)
            return option_error(errno);
        receive_coalesced_max_.store(static_cast<DWORD>(size));
        return 0;
    }
    bool ip, ecn;
    if (traffic_class_option(level, name, &ip, &ecn)) {
        // Linux has one option per level for both (IP_RECVTOS, IPV6_RECVTCLASS): on while
        // either is; the receive path makes the control objects asked for of its message.
        int on = 0;
        if (int error = read_number(value, length, Value::Flag, &on)) return error;
        if (ecn && type_ != ws::kSockDgram) return WSAENOPROTOOPT;  // datagram sockets only
        std::atomic<bool>& whole = ip ? receive_tos_ : receive_tclass_;
        std::atomic<bool>& bits = ip ? receive_ecn_ : receive_ecn6_;
        int linux_on = on != 0 || (ecn ? whole : bits).load();
        if (setsockopt(descriptor_, ip ? IPPROTO_IP : IPPROTO_IPV6, ip ? IP_RECVTOS : IPV6_RECVTCLASS, &linux_on,
                       sizeof(linux_on)) != 0)
            return option_error(errno);
        (ecn ? bits : whole).store(on != 0);
        return 0;
    }
    if ((level == ws::kIpprotoIp && name == ws::kIpDontFragment) ||
        (level == ws::kIpprotoIpv6 && name == ws::kIpv6DontFrag && is_stream_type())) {
        // Windows respects it for datagrams only (Microsoft Learn, IPPROTO_IP socket
        // options: "for UDP and ICMP"); a stream socket keeps the value (on at first,
        // where Linux's IPV6_DONTFRAG would read 0). Linux sets DF with IP_PMTUDISC_DO;
        // off is its default, IP_PMTUDISC_WANT. A datagram socket's IPV6_DONTFRAG is
        // Linux's own (the table).
        int on = 0;
        if (int error = read_number(value, length, Value::Bool, &on)) return error;
        if (!is_stream_type()) {
            int mode = on != 0 ? IP_PMTUDISC_DO : IP_PMTUDISC_WANT;
            if (setsockopt(descriptor_, IPPROTO_IP, IP_MTU_DISCOVER, &mode, sizeof(mode)) != 0) return option_error(errno);
        }
        (level == ws::kIpprotoIp ? dont_fragment_ : dont_fragment6_).store(on != 0 ? 1 : 0);
        return 0;
    }
    if (level == ws::kIpprotoIpv6 && name == ws::kIpv6UnicastIf) {
        // Host byte order on Windows (Microsoft Learn, IPPROTO_IPV6 socket options),
        // network byte order for Linux.
        int index = 0;
        if (int error = read_number(value, length, Value::Int, &index)) return error;
        int linux_index = static_cast<int>(htonl(static_cast<uint32_t>(index)));
        if (setsockopt(descriptor_, IPPROTO_IPV6, IPV6_UNICAST_IF, &linux_index, sizeof(linux_index)) != 0)
            return option_error(errno);
        return 0;
    }
    const Mapping* found = find_mapping(level, name);
    // The options kept here: SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and SO_DONTLINGER are BOOLs.
    bool kept_bool = level == ws::kSolSocket &&
                     (name == ws::kSoReuseAddr || name == ws::kSoExclusiveAddrUse || name == ws::kSoDontLinger);
    int number = 0;
    if (int error = read_number(value, length, found != nullptr ? found->value : kept_bool ? Value::Bool : Value::Int,
                                &number))
        return error;
    if (level == ws::kSolSocket) {
        switch (name) {
        case ws::kSoReuseAddr: {
            if (exclusive_address_ && number) return WSAEINVAL;
            // Windows' SO_REUSEADDR lets sockets that all ask for it share an address, even
            // a listening one: Linux's SO_REUSEPORT.
            int on = number != 0;
            if (setsockopt(descriptor_, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) return tr::wsa_error(errno);
            reuse_address_ = on;
            return 0;
        }
        case ws::kSoExclusiveAddrUse: {
            if (reuse_address_ && number) return WSAEINVAL;
            if (bound()) return WSAEINVAL;
            // No sharing at all: not even with sockets in TIME_WAIT.
            int off = 0;
            if (number) setsockopt(descriptor_, SOL_SOCKET, SO_REUSEADDR, &off, sizeof(off));
            exclusive_address_ = number != 0;
            return 0;
        }
        case ws::kSoRcvTimeo:
            receive_timeout_ = static_cast<DWORD>(number);
            return 0;
        case ws::kSoSndTimeo:
            send_timeout_ = static_cast<DWORD>(number);
            return 0;
        case ws::kSoDontLinger: {
            struct linger linger {};
            socklen_t size = sizeof(linger);
            getsockopt(descriptor_, SOL_SOCKET, SO_LINGER, &linger, &size);
            linger.l_onoff = number == 0;
            if (setsockopt(descriptor_, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)) != 0) return tr::wsa_error(errno);
            linger_on_.store(0, std::memory_order_relaxed);
            return 0;
        }
        case ws::kSoUpdateAcceptContext:
        case ws::kSoUpdateConnectContext:
            // Handled by the Winsock layer (update_accept_context), which knows handles.
            return 0;
        case ws::kSoPortScalability:
        case ws::kSoRandomizePort:
            // Port allocation policies: Linux picks ephemeral ports its own way (randomised,
            // from its one range), so the BOOL is kept for getsockopt and has no effect
            // (docs/deviations.md). Programs set these and check only the result.
            (name == ws::kSoPortScalability ? port_scalability_ : randomize_port_) = number != 0;
            return 0;
        case ws::kSoConditionalAccept:
            return 0;
        case ws::kSoError:  // Windows keeps the value; getsockopt returns it
            pending_error_ = number;
            return 0;
        case ws::kSoType:
        case ws::kSoAcceptConn:
        case ws::kSoConnectTime:
        case ws::kSoMaxMsgSize: return WSAENOPROTOOPT;  // read-only
        default: break;
        }
    }
    const Mapping* mapping = find_mapping(level, name);
    if (mapping == nullptr) return WSAENOPROTOOPT;
    int result = 0;
    switch (mapping->value) {
    case Value::Linger: {
        if (length < static_cast<int>(sizeof(ws::Linger))) return WSAEFAULT;
        ws::Linger in;
        memcpy(&in, value, sizeof(in));
        struct linger linger {in.l_onoff != 0, in.l_linger};
        result = setsockopt(descriptor_, mapping->linux_level, mapping->linux_name, &linger, sizeof(linger));
        if (result == 0) linger_on_.store(in.l_onoff, std::memory_order_relaxed);
        break;
    }
    case Value::Raw:
        result = setsockopt(descriptor_, mapping->linux_level, mapping->linux_name, value, static_cast<socklen_t>(length));
        break;
    case Value::Buffer:
        if (number < 0) return WSAEINVAL;
        result = setsockopt(descriptor_, mapping->linux_level, mapping->linux_name, &number, sizeof(number));
        if (result == 0) (name == ws::kSoSndBuf ? send_buffer_ : receive_buffer_) = number;
        break;
    case Value::Boolean:
        if (level == ws::kIpprotoIpv6 && name == ws::kIpv6V6Only && bound()) return WSAEINVAL;  // fixed once bound
        [[fallthrough]];
    case Value::Bool:
    case Value::Flag:
        number = number != 0;
        [[fallthrough]];
    case Value::Int:
    case Value::Small:
        // IP_TOS is a byte: Windows refuses a larger value (WSAEINVAL, Wine's test_optsize),
        // where Linux would keep its low bits.
        if (level == ws::kIpprotoIp && name == ws::kIpTos && (number < 0 || number > 255)) return WSAEINVAL;
        result = setsockopt(descriptor_, mapping->linux_level, mapping->linux_name, &number, sizeof(number));
        break;
    }
    // The traffic-class byte an ECN send keeps is read again (socket.h, traffic_class_).
    if (level == ws::kIpprotoIp && name == ws::kIpTos) traffic_class_[0].store(-1, std::memory_order_relaxed);
    if (level == ws::kIpprotoIpv6 && name == ws::kIpv6Tclass) traffic_class_[1].store(-1, std::memory_order_relaxed);
    if (level == ws::kSolSocket && name == ws::kSoOobInline) {
        oob_inline_.store(-1, std::memory_order_relaxed);
        // An urgent byte already waiting stays out of band for SIOCATMARK (see control).
        struct pollfd poll_entry {descriptor_, POLLPRI, 0};
        bool urgent = result == 0 && number != 0 && is_stream_type() && ::poll(&poll_entry, 1, 0) == 1 &&
                      (poll_entry.revents & POLLPRI);
        urgent_before_inline_.store(urgent, std::memory_order_relaxed);
    }
    if (result != 0) return option_error(errno);
    return 0;
}

void SocketDevice::inherit_options(const SocketDevice* listener)
{
    // Linux copies its own options (SO_KEEPALIVE, SO_LINGER, TCP_NODELAY, the buffer
    // sizes...) into the socket accept4 makes; these are the ones Linux does not see.
    reuse_address_ = listener->reuse_address_;
    exclusive_address_ = listener->exclusive_address_;
    receive_timeout_ = listener->receive_timeout_;
    send_timeout_ = listener->send_timeout_;
    send_buffer_ = listener->send_buffer_;
    receive_buffer_ = listener->receive_buffer_;
    linger_on_.store(listener->linger_on_.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

int SocketDevice::update_accept_context(const SocketDevice* listener)
{
    if (!connected()) return WSAENOTCONN;
    // Windows: the socket AcceptEx fills "does not inherit the properties of the
    // listening socket until SO_UPDATE_ACCEPT_CONTEXT is set" (AcceptEx, Remarks).
    if (listener != this) inherit_options(listener);
    return 0;
}

int SocketDevice::control(DWORD code, const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* returned)
{
    *returned = 0;
    auto output = [&](const void* data, DWORD size) {
        if (out == nullptr || out_length < size) return WSAEFAULT;
        memcpy(out, data, size);
        *returned = size;
        return 0;
    };
    switch (code) {
    case ws::kFionBio: {
        if (in == nullptr || in_length < sizeof(ULONG)) return WSAEFAULT;
        ULONG on;
        memcpy(&on, in, sizeof(on));
        // A socket under WSAEventSelect stays non-blocking (Windows refuses).
        LockGuard guard(lock);
        if (!on && events_.mask != 0) return WSAEINVAL;
        nonblocking_.store(on != 0, std::memory_order_release);
        return 0;
    }
    case ws::kFionRead: {
        int available = 0;
        if (listening()) return WSAEINVAL;
        if (ioctl(descriptor_, FIONREAD, &available) != 0) return tr::wsa_error(errno);
        ULONG value = static_cast<ULONG>(available);
        return output(&value, sizeof(value));
    }
    case ws::kSiocAtMark: {
        // Windows' meaning: TRUE unless an urgent byte waits out of band (Microsoft Learn,
        // Winsock IOCTLs; Wine's sock.c test_fionread_siocatmark, on Windows: FALSE from
        // its arrival until a MSG_OOB receive takes it, whatever normal data comes before
        // it). Linux's SIOCATMARK says whether the next read is at the mark, so the answer
        // is Linux's urgent-data flag (POLLPRI, set until the byte is read). With
        // SO_OOBINLINE an urgent byte is normal data: TRUE, except for one that arrived out
        // of band before the option was turned on, until it is read.
        struct pollfd poll_entry {descriptor_, POLLPRI, 0};
        bool urgent = is_stream_type() && ::poll(&poll_entry, 1, 0) == 1 && (poll_entry.revents & POLLPRI);
        if (!urgent) urgent_before_inline_.store(false, std::memory_order_relaxed);
        else if (oob_inline()) urgent = urgent_before_inline_.load(std::memory_order_relaxed);
        ULONG value = urgent ? 0 : 1;
        return output(&value, sizeof(value));
    }
    case ws::kSioKeepAliveVals: {
        if (in == nullptr || in_length < sizeof(ws::TcpKeepalive)) return WSAEFAULT;
        // TCP's: a datagram socket is refused with WSAENOPROTOOPT (Microsoft Learn,
        // SIO_KEEPALIVE_VALS, "This error is returned for a datagram socket").
        if (!is_stream_type()) return WSAENOPROTOOPT;
        ws::TcpKeepalive values;
        memcpy(&values, in, sizeof(values));
        int on = values.onoff != 0;
        if (on) {
            // Windows takes milliseconds, any ULONG (0 too); Linux whole seconds from 1 to
            // 32767 (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL): rounded up to the next second and
            // held to that range, so no probe comes sooner than asked (docs/deviations.md).
            auto seconds = [](ULONG milliseconds) {
                ULONG whole = milliseconds / 1000 + (milliseconds % 1000 != 0 ? 1 : 0);
                return static_cast<int>(std::clamp<ULONG>(whole, 1, 32767));
            };
            int idle = seconds(values.keepalivetime);
            int interval = seconds(values.keepaliveinterval);
            if (setsockopt(descriptor_, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) != 0 ||
                setsockopt(descriptor_, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval)) != 0)
                return tr::wsa_error(errno);
        }
        if (setsockopt(descriptor_, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) != 0) return tr::wsa_error(errno);
        return 0;
    }
    case ws::kSioUdpNetReset:
        // Whether an ICMP "TTL expired" fails a later receive with WSAENETRESET: not built
        // (Linux reports it as EHOSTUNREACH among the other ICMP errors; telling it apart
        // and switching it needs the error queue's ICMP type), so neither setting is
        // promised (docs/win32-status.md, docs/deviations.md).
        return WSAEOPNOTSUPP;
    case ws::kSioUdpConnReset: {
        if (in == nullptr || in_length < sizeof(BOOL)) return WSAEFAULT;
        // A datagram socket's: "the command is not applicable to the type of socket
        // specified" is WSAEINVAL (Microsoft Learn, WSAIoctl).
        if (is_stream_type()) return WSAEINVAL;
        BOOL on;
        memcpy(&on, in, sizeof(on));
        if (udp_connreset_.load() == (on != 0)) return 0;
        // ICMP errors reach the socket through IP_RECVERR (it is never connected on
        // Linux): off, nothing is reported, as on Windows. Turning it off empties the
        // error queue; the pending error goes too.
        int value = on != 0;
        if (family_ == ws::kAfInet || family_ == ws::kAfInet6)
            setsockopt(descriptor_, IPPROTO_IP, IP_RECVERR, &value, sizeof(value));
        if (family_ == ws::kAfInet6) setsockopt(descriptor_, IPPROTO_IPV6, IPV6_RECVERR, &value, sizeof(value));
        udp_connreset_.store(on != 0);
        if (!on) {
            int error = 0;
            socklen_t size = sizeof(error);
            getsockopt(descriptor_, SOL_SOCKET, SO_ERROR, &error, &size);
            owed_resets_.store(0);
        }
        return 0;
    }
    case ws::kSioLoopbackFastPath:
        // A Windows tuning knob for loopback TCP; Linux's loopback needs none.
        return is_stream_type() ? 0 : WSAEOPNOTSUPP;
    case ws::kSioIdealSendBacklogQuery: {
        // How much a connection's sends should keep queued: Windows answers 64 KiB on a
        // loopback connection, WSAENOTCONN before it is connected, WSAEOPNOTSUPP on a
        // datagram socket (Wine's sock.c test_backlog_query). Linux has no such estimate;
        // 64 KiB, Windows' answer, is what is given for every connection.
        if (!is_stream_type()) return WSAEOPNOTSUPP;
        if (!connected()) return WSAENOTCONN;
        ULONG backlog = 0x10000;
        return output(&backlog, sizeof(backlog));
    }
    case ws::kSioAddressListQuery: return address_list(family_, out, out_length, returned);
    case ws::kSioGetInterfaceList: return interface_list(out, out_length, returned);
    case ws::kSioRoutingInterfaceQuery: return routing_interface(family_, in, in_length, out, out_length, returned);
    case ws::kSioAddressListSort: return address_list_sort(in, in_length, out, out_length, returned);
    case ws::kSioEnableCircularQueueing:
        // A datagram socket's full receive queue drops the oldest datagrams instead of the
        // newest: accepted (Wine's sock.c test_circular_queueing), not reproduced: Linux
        // drops the newest (docs/deviations.md).
        return is_stream_type() ? WSAEOPNOTSUPP : 0;
    default: return WSAEOPNOTSUPP;
    }
}

bool socket_control_known(DWORD code)
{
    switch (code) {
    case ws::kFionBio:
    case ws::kFionRead:
    case ws::kSiocAtMark:
    case ws::kSioKeepAliveVals:
    case ws::kSioUdpNetReset:
    case ws::kSioUdpConnReset:
    case ws::kSioLoopbackFastPath:
    case ws::kSioIdealSendBacklogQuery:
    case ws::kSioAddressListQuery:
    case ws::kSioGetInterfaceList:
    case ws::kSioRoutingInterfaceQuery:
    case ws::kSioAddressListSort:
    case ws::kSioEnableCircularQueueing: return true;
    default: return false;
    }
}

uint8_t SocketDevice::traffic_class_options() const
{
    return static_cast<uint8_t>((receive_tos_.load() ? 1 : 0) | (receive_ecn_.load() ? 2 : 0) |
                                (receive_tclass_.load() ? 4 : 0) | (receive_ecn6_.load() ? 8 : 0));
}

void SocketDevice::set_traffic_class_options(uint8_t options)
{
    receive_tos_.store((options & 1) != 0);
    receive_ecn_.store((options & 2) != 0);
    receive_tclass_.store((options & 4) != 0);
    receive_ecn6_.store((options & 8) != 0);
}

}  // namespace overlapped::drivers
