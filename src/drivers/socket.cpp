// socket.cpp: the socket driver (socket.h): creation, Winsock's synchronous calls, and
// the overlapped requests' plans and steps for the I/O manager.
#include "drivers/socket.h"

#include <algorithm>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/raw_io.h"
#include "drivers/socket_translate.h"
#include "engine/attempt.h"
#include "engine/interrupt.h"
#include "io/request.h"
#include "kernel/thread_state.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace overlapped::drivers {

namespace tr = translate;

namespace {

// The kernel carries data from a send to the receive that gets it, possibly on another
// socket of the process and in another thread (a loopback datagram completing a pending
// WSARecvFrom on the completion thread); ThreadSanitizer cannot see that edge, so it is
// told: release before a send, acquire after a receive.
#if defined(__SANITIZE_THREAD__)
char network_edge;
#endif
inline void data_sent()
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(&network_edge);
#endif
}
inline void data_received()
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(&network_edge);
#endif
}

// A request's driver state (io::Request::driver_state): kept in the request from prepare
// to finish.
struct SocketState {
    SocketOperation operation;
    uint8_t phase;              // the step a request of several operations is at
    msghdr message;             // recvmsg/sendmsg
    sockaddr_storage address;   // Linux form: the sender (Receive), destination (Send,
                                // Connect), the peer (Accept)
    ws::Sockaddr* from;         // Receive: the program's address output, or null
    int* from_length;
    ws::WsaMsg* wsa_message;    // WSARecvMsg / WSASendMsg
    SocketDevice* other;        // Accept: the accept socket (a reference)
    SocketDevice* deferred;     // Accept: the connection WSAAccept deferred, which the
                                // request took (a reference; its descriptor duplicated)
    char* output;               // Accept: the output buffer; TransmitFile: head/tail
    DWORD receive_length;
    DWORD local_length;
    DWORD remote_length;
    // TransmitFile / TransmitPackets.
    TransmitPiece* pieces;
    DWORD piece_count;
    DWORD piece_index;
    DWORD transmit_flags;
    DWORD chunk;
    int file;                   // the file piece in progress: its descriptor,
    int64_t file_offset;        //  where it is (-1: the file pointer),
    uint64_t file_remaining;    //  and what is left of it
    int control_error;          // Control: WSA error, or 0
    int receive_flags;          // Receive waiting for an urgent byte (phase 2): its MSG_*
};

// WSARecvMsg: room for Linux's control data before translation, after the request's
// iovecs (the request's own room is too small): every message the options Windows has
// can ask for at once, IP_PKTINFO (32 bytes with its header), IPV6_PKTINFO (40), and 24
// each for the TTL, TOS, hop limit and traffic class (a dual-stack socket may get both
// families'), rounded up to whole iovecs.
constexpr size_t kControlRoom = 256;
constexpr uint32_t kControlVectors = (kControlRoom + sizeof(iovec) - 1) / sizeof(iovec);
static_assert(alignof(iovec) >= alignof(cmsghdr), "control data after the iovecs must be aligned");


// `buffers` as iovecs in the request (copied: the WSABUF array may be reused at once).
// Returns their total length, at most UINT32_MAX: several buffers of up to 4 GiB each
// (WSARecv's, a RIO request's) may add up to more, which wrapped would read as a
// zero-byte receive (a poll that reads nothing) or a MSG_WAITALL ended too early.
uint32_t copy_buffers(io::Request* request, const ws::WsaBuf* buffers, DWORD count, iovec** vectors,
                      uint32_t extra = 0)
{
    iovec* out = request->reserve_vectors((count == 0 ? 1 : count) + extra);
    uint64_t total = 0;
    for (DWORD i = 0; i < count; ++i) {
        out[i].iov_base = buffers[i].buf;
        out[i].iov_len = buffers[i].len;
        total += buffers[i].len;
    }
    *vectors = out;
    return static_cast<uint32_t>(std::min<uint64_t>(total, UINT32_MAX));
}

// A blocking call's WSABUFs as iovecs: on the stack for up to 16, else on the heap.
struct BufferVectors {
    iovec local[16];
    std::vector<iovec> more;
    iovec* data = local;
    size_t total = 0;
    BufferVectors(const ws::WsaBuf* buffers, DWORD count)
    {
        if (count > 16) {
            more.resize(count);
            data = more.data();
        }
        for (DWORD i = 0; i < count; ++i) {
            data[i].iov_base = buffers[i].buf;
            data[i].iov_len = buffers[i].len;
            total += buffers[i].len;
        }
    }
};

// Consumes `bytes` from the front of a message's iovecs (after a partial transfer).
void consume(msghdr* message, size_t bytes)
{
    while (bytes > 0 && message->msg_iovlen > 0) {
        iovec& first = message->msg_iov[0];
        if (bytes < first.iov_len) {
            first.iov_base = static_cast<char*>(first.iov_base) + bytes;
            first.iov_len -= bytes;
            return;
        }
        bytes -= first.iov_len;
        ++message->msg_iov;
        --message->msg_iovlen;
    }
}

// The same for an operation's data: its single buffer, or its message.
void advance(engine::Op* op, size_t bytes)
{
    if (op->message == nullptr) {
        op->buffer = static_cast<char*>(op->buffer) + bytes;
        op->length -= static_cast<uint32_t>(bytes);
        return;
    }
    consume(op->message, bytes);
    // A destination is sent once, with the first part.
    op->message->msg_name = nullptr;
    op->message->msg_namelen = 0;
}

bool is_stream(int type) { return type == ws::kSockStream; }

// Makes a finished operation the request's next one: `code` on the stream `descriptor`,
// everything else cleared (the completion callback stays).
void restart(engine::Op* op, engine::OpCode code, int descriptor)
{
    void (*complete)(engine::Op*) = op->complete;
    op->reset();
    op->complete = complete;
    op->code = code;
    op->kind = engine::OpKind::Stream;
    op->descriptor = descriptor;
}

// Writes AcceptEx's two addresses after the received data: each area is the address's
// length (an int) and, 8 bytes in, the address in Windows' layout.
constexpr size_t kAcceptAddressOffset = 8;

// SocketState::phase of an AcceptEx whose address areas are too small: it waits for a
// connection (a Poll on the listener) without taking it.
constexpr uint8_t kAcceptTooSmall = 2;

void write_accept_address(char* area, DWORD area_length, const sockaddr* address, socklen_t length)
{
    if (area_length < sizeof(int)) return;  // a local area of 0 bytes: nothing written
    int room = static_cast<int>(area_length) - static_cast<int>(kAcceptAddressOffset);
    int written = room;
    if (room <= 0 || tr::to_windows(address, length, reinterpret_cast<ws::Sockaddr*>(area + kAcceptAddressOffset),
                                    &written) != 0)
        written = 0;
    memcpy(area, &written, sizeof(written));
}

// ---- the addresses the process's sockets are bound to, and Windows' sharing rules.
// Which second bind of a port Windows allows depends on both sockets' options (none,
// SO_REUSEADDR, SO_EXCLUSIVEADDRUSE) and on which of the two addresses is the wider one
// (MS Learn, "Sharing Transport Addresses", the table of second bind against first bind;
// Wine's sock.c test_reuseaddr checks its cases on Windows, dual stack included). Linux
// has other rules: it refuses a bind beside a listening socket unless both have
// SO_REUSEPORT, and (TCP sockets here carry SO_REUSEADDR, so that a server binds its port
// again while connections of its last run linger in TIME_WAIT, as on Windows) lets two
// sockets that are not listening bind the same address. So the driver decides by
// Windows' table for the sockets of the process (docs/deviations.md: other processes'
// sockets are Linux's to judge), and gives both sockets SO_REUSEPORT where the table lets
// them share and Linux would not. (SO_REUSEADDR as set by the program is SO_REUSEPORT
// from the start, so that programs that all ask for it share across processes too.)
enum Sharing : uint8_t { kNoOption, kReuse, kExclusive };
enum Verdict : uint8_t { kShare, kInUse, kDenied };  // success, WSAEADDRINUSE, WSAEACCES
// [second bind's option][its address: 0 the wider, 1 the narrower][first bind's option]
// [its address]. Windows' "access check" cases succeed: the process's sockets share a user.
constexpr Verdict kSharingTable[3][2][3][2] = {
    {{{kInUse, kShare}, {kInUse, kShare}, {kInUse, kShare}},      // no option, wildcard
     {{kShare, kInUse}, {kShare, kDenied}, {kDenied, kInUse}}},   //            specific
    {{{kDenied, kShare}, {kShare, kShare}, {kDenied, kShare}},    // SO_REUSEADDR
     {{kShare, kDenied}, {kShare, kShare}, {kDenied, kDenied}}},
    {{{kInUse, kInUse}, {kInUse, kInUse}, {kInUse, kInUse}},      // SO_EXCLUSIVEADDRUSE
     {{kShare, kInUse}, {kShare, kInUse}, {kDenied, kInUse}}},
};

// What a bound address covers: for IPv4 and for IPv6, nothing, everything (a wildcard),
// or one address. An IPv6 wildcard covers IPv4 too unless IPV6_V6ONLY; an IPv4-mapped
// IPv6 address is the IPv4 address.
struct Coverage {
    enum : uint8_t { kNone, kAll, kOne } v4 = kNone, v6 = kNone;
    uint32_t address4 = 0;
    in6_addr address6{};
    int breadth() const { return (v4 == kAll) + (v6 == kAll); }
};

Coverage coverage_of(const sockaddr_storage& address, bool v6only)
{
    Coverage c;
    if (address.ss_family == AF_INET) {
        c.address4 = reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr;
        c.v4 = c.address4 == 0 ? Coverage::kAll : Coverage::kOne;
        return c;
    }
    const in6_addr& a = reinterpret_cast<const sockaddr_in6&>(address).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
        memcpy(&c.address4, &a.s6_addr[12], sizeof(c.address4));
        c.v4 = c.address4 == 0 ? Coverage::kAll : Coverage::kOne;
    } else if (IN6_IS_ADDR_UNSPECIFIED(&a)) {
        c.v6 = Coverage::kAll;
        if (!v6only) c.v4 = Coverage::kAll;
    } else {
        c.v6 = Coverage::kOne;
        c.address6 = a;
    }
    return c;
}

bool overlap(const Coverage& a, const Coverage& b)
{
    bool v4 = a.v4 != Coverage::kNone && b.v4 != Coverage::kNone &&
              (a.v4 == Coverage::kAll || b.v4 == Coverage::kAll || a.address4 == b.address4);
    bool v6 = a.v6 != Coverage::kNone && b.v6 != Coverage::kNone &&
              (a.v6 == Coverage::kAll || b.v6 == Coverage::kAll || memcmp(&a.address6, &b.address6, 16) == 0);
    return v4 || v6;
}

uint16_t port_of(const sockaddr_storage& address)
{
    return address.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in&>(address).sin_port
                                        : reinterpret_cast<const sockaddr_in6&>(address).sin6_port;
}

struct BoundAddress {
    const SocketDevice* socket;
    int descriptor;  // open while the entry is listed (forget_bound_address comes first)
    int type;        // Linux's: TCP and UDP ports are apart
    sockaddr_storage address;
    Coverage coverage;
    Sharing sharing;
};
std::mutex bound_mutex;
std::vector<BoundAddress>* bound_addresses = new std::vector<BoundAddress>();

// Windows' verdict on binding `second` while `first` holds the port.
Verdict sharing_verdict(const Coverage& second, Sharing second_option, const Coverage& first, Sharing first_option)
{
    // Of two overlapping addresses, the one that covers more is the wildcard (an IPv6
    // dual-stack wildcard is wider than IPv4's: sock.c test_reuseaddr); equal ones are
    // both wildcards or both specific.
    int a = second.breadth(), b = first.breadth();
    int second_kind = a > b ? 0 : a < b ? 1 : a > 0 ? 0 : 1;
    int first_kind = b > a ? 0 : b < a ? 1 : b > 0 ? 0 : 1;
    return kSharingTable[second_option][second_kind][first_option][first_kind];
}

// Whether an IPv6 socket takes IPv6 only (IPV6_V6ONLY).
bool v6only_of(int descriptor)
{
    int v6only = 1;
    socklen_t size = sizeof(v6only);
    getsockopt(descriptor, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &size);
    return v6only != 0;
}

void forget_bound_address(const SocketDevice* socket)
{
    std::lock_guard<std::mutex> guard(bound_mutex);
    auto& list = *bound_addresses;
    for (size_t i = 0; i < list.size(); ++i)
        if (list[i].socket == socket) {
            list[i] = list.back();
            list.pop_back();
            return;
        }
}

// ---- a datagram socket's default peer (connect() on UDP).
// On Windows, connect() on a datagram socket sets the destination of send() and makes the
// socket drop, without a word, the datagrams of every other sender; connecting to another
// peer discards the datagrams already queued; connecting to AF_UNSPEC dissolves the
// association and the socket keeps its address. Linux's connect() differs on each point:
// it answers other senders' datagrams with ICMP "port unreachable" (they then see a
// reset), keeps the queue, and forgets an ephemeral port on the disconnect. So the Linux
// socket is never connected: sends name the peer, and a socket filter (classic BPF)
// keeps only the peer's datagrams; a datagram a socket filter refuses is dropped quietly.

bool is_any_address(const sockaddr_storage& address)
{
    if (address.ss_family == AF_INET) return reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr == 0;
    if (address.ss_family == AF_INET6) {
        static const in6_addr any = IN6ADDR_ANY_INIT;
        return memcmp(&reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, &any, sizeof(any)) == 0;
    }
    return false;
}

// The filter: the sender's address (read from the network header, IPv4 or IPv6: a
// dual-stack socket receives both) and its port (the first field of the UDP header, where
// a socket filter's data starts) must be the peer's. After its two returns, which end
// every run of it, come two more that never run: kPeerRecord, then an IPv6 peer's scope
// id. The filter travels with the descriptor, so a socket rebuilt over the descriptor in
// another process (inherited, or shared by WSADuplicateSocket) reads its default peer
// back from it (peer_from_filter).
constexpr uint32_t kPeerRecord = 0x4f565046;  // "OVPF"
constexpr unsigned kPeerFilterRoom = 24;       // instructions, the two records included

bool attach_peer_filter(int descriptor, const sockaddr_storage& peer)
{
    sock_filter code[kPeerFilterRoom];
    unsigned count = 0;
    unsigned checks[8];
    unsigned check_count = 0;
    auto load = [&](uint16_t size, int32_t offset) {
        code[count++] = sock_filter{static_cast<uint16_t>(BPF_LD | size | BPF_ABS), 0, 0, static_cast<uint32_t>(offset)};
    };
    auto require = [&](uint32_t value) {  // jumps to the refusal unless the value read is `value`
        checks[check_count++] = count;
        code[count++] = sock_filter{BPF_JMP | BPF_JEQ | BPF_K, 0, 0, value};
    };
    auto require_version = [&](uint32_t version) {
        load(BPF_B, SKF_NET_OFF);
        code[count++] = sock_filter{BPF_ALU | BPF_RSH | BPF_K, 0, 0, 4};
        require(version);
    };
    uint16_t port = 0;
    if (peer.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
        load(BPF_W, SKF_NET_OFF + 12);  // IPv4 source address
        require(ntohl(v4.sin_addr.s_addr));
        port = v4.sin_port;
    } else {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer);
        uint32_t words[4];
        memcpy(words, &v6.sin6_addr, sizeof(words));
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {  // an IPv4 peer of a dual-stack socket
            require_version(4);
            load(BPF_W, SKF_NET_OFF + 12);
            require(ntohl(words[3]));
        } else {
            require_version(6);
            for (int i = 0; i < 4; ++i) {
                load(BPF_W, SKF_NET_OFF + 8 + 4 * i);  // IPv6 source address
                require(ntohl(words[i]));
            }
        }
        port = v6.sin6_port;
    }
    load(BPF_H, 0);  // UDP source port
    require(ntohs(port));
    code[count++] = sock_filter{BPF_RET | BPF_K, 0, 0, 0xFFFFFFFFu};  // keep the datagram
    unsigned refuse = count;
    code[count++] = sock_filter{BPF_RET | BPF_K, 0, 0, 0};  // drop it
    for (unsigned i = 0; i < check_count; ++i) code[checks[i]].jf = static_cast<uint8_t>(refuse - checks[i] - 1);
    uint32_t scope = peer.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(peer).sin6_scope_id : 0;
    code[count++] = sock_filter{BPF_RET | BPF_K, 0, 0, kPeerRecord};
    code[count++] = sock_filter{BPF_RET | BPF_K, 0, 0, scope};
    sock_fprog program{static_cast<unsigned short>(count), code};
    return setsockopt(descriptor, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) == 0;
}

// The peer attach_peer_filter's filter on `descriptor` keeps, for a socket of Linux
// `family`; false when the descriptor has no such filter.
bool peer_from_filter(int descriptor, int family, sockaddr_storage* peer, socklen_t* length)
{
    sock_filter code[kPeerFilterRoom];
    socklen_t count = kPeerFilterRoom;  // in instructions, not bytes
    if (getsockopt(descriptor, SOL_SOCKET, SO_GET_FILTER, code, &count) != 0 || count < 6 || count > kPeerFilterRoom)
        return false;
    if (code[count - 2].code != (BPF_RET | BPF_K) || code[count - 2].k != kPeerRecord) return false;
    uint32_t words[4] = {0, 0, 0, 0};
    uint32_t version = 0, port = 0;
    bool have_port = false;
    int32_t loaded = -1;  // the offset the last load read, or -2 after the version's shift
    for (socklen_t i = 0; i + 2 < count; ++i) {
        const sock_filter& op = code[i];
        if (op.code == (BPF_LD | BPF_W | BPF_ABS) || op.code == (BPF_LD | BPF_H | BPF_ABS) ||
            op.code == (BPF_LD | BPF_B | BPF_ABS)) {
            loaded = static_cast<int32_t>(op.k);
        } else if (op.code == (BPF_ALU | BPF_RSH | BPF_K)) {
            loaded = -2;
        } else if (op.code == (BPF_JMP | BPF_JEQ | BPF_K)) {
            if (loaded == -2) version = op.k;
            else if (loaded == 0) port = op.k, have_port = true;
            else if (version == 6 && loaded >= SKF_NET_OFF + 8 && loaded < SKF_NET_OFF + 24)
                words[(loaded - SKF_NET_OFF - 8) / 4] = op.k;  // IPv6 source address
            else if (version != 6 && loaded == SKF_NET_OFF + 12) words[3] = op.k;  // IPv4 source address
            else return false;
        }
    }
    if (!have_port) return false;
    memset(peer, 0, sizeof(*peer));
    if (family == AF_INET) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(peer);
        v4->sin_family = AF_INET;
        v4->sin_addr.s_addr = htonl(words[3]);
        v4->sin_port = htons(static_cast<uint16_t>(port));
        *length = sizeof(sockaddr_in);
        return true;
    }
    if (family != AF_INET6 || (version != 4 && version != 6)) return false;
    auto* v6 = reinterpret_cast<sockaddr_in6*>(peer);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    if (version == 4) {  // an IPv4 peer of a dual-stack socket, as ::ffff:a.b.c.d
        words[0] = words[1] = 0;
        words[2] = 0xffff;
    } else {
        v6->sin6_scope_id = code[count - 1].k;
    }
    for (int i = 0; i < 4; ++i) words[i] = htonl(words[i]);
    memcpy(&v6->sin6_addr, words, sizeof(words));
    *length = sizeof(sockaddr_in6);
    return true;
}

// The local address Linux would give a socket of `family` connected to `peer` (a scratch
// socket is connected and asked), with port 0: connect() binds an unbound datagram
// socket there, as Windows does. Returns 0 or an errno.
int local_address_for(const sockaddr_storage& peer, socklen_t peer_length, bool v6only, sockaddr_storage* out,
                      socklen_t* out_length)
{
    int scratch = ::socket(peer.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (scratch < 0) return errno;
    int only = v6only;
    if (peer.ss_family == AF_INET6) setsockopt(scratch, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only));
    int error = 0;
    *out_length = sizeof(*out);
    if (::connect(scratch, reinterpret_cast<const sockaddr*>(&peer), peer_length) != 0 ||
        getsockname(scratch, reinterpret_cast<sockaddr*>(out), out_length) != 0)
        error = errno;
    ::close(scratch);
    if (error != 0) return error;
    if (out->ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(out)->sin_port = 0;
    if (out->ss_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(out)->sin6_port = 0;
    return 0;
}

// Errors of a datagram receive that are the socket's pending ICMP error (IP_RECVERR),
// not the call's own.
bool icmp_error(int error)
{
    switch (error) {
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENONET:
    case ENOPROTOOPT:
    case EPROTO:
    case EMSGSIZE:
    case EOPNOTSUPP:
    case EACCES: return true;
    default: return false;
    }
}

// WSASendMsg's control data (Windows' WSACMSGHDRs: a SIZE_T length, level and type, the
// data 8-aligned) as Linux's, into `out` (`room` bytes, cmsghdr-aligned); *length: the bytes
// written. Windows takes IN_PKTINFO and IN6_PKTINFO on a send, the source address and the
// interface of the datagram (Microsoft Learn, IN_PKTINFO, IN6_PKTINFO, WSASendMsg): they
// become IP_PKTINFO (Windows' source address in ipi_spec_dst, the address Linux sends from)
// and IPV6_PKTINFO. IP_ECN and IPV6_ECN (an INT) set the datagram's two ECN bits (Microsoft
// Learn, "Winsock explicit congestion notification"; Congestion Encountered, 3, is WSAEINVAL
// there): Linux's IP_TOS / IPV6_TCLASS with the rest of the byte as the socket (`descriptor`)
// has it, read once into `traffic_class` ([0] IP_TOS, [1] IPV6_TCLASS; -1: not read yet,
// SocketDevice::traffic_class_). UDP_SEND_MSG_SIZE (a DWORD: the datagram's bytes go as
// datagrams of that size, Windows' send segmentation) becomes Linux's UDP_SEGMENT. Any other object, or one whose
// length leaves its header or the buffer, is WSAEINVAL: nothing is sent without it.
int send_control(int descriptor, std::atomic<int>* traffic_class, const ws::WsaBuf& control, unsigned char* out,
                 size_t room, size_t* length)
{
    *length = 0;
    if (control.len == 0) return 0;
    if (control.buf == nullptr) return WSAEFAULT;
    constexpr size_t header = (sizeof(ws::WsaCmsgHdr) + 7) & ~size_t(7);
    size_t offset = 0, written = 0;
    while (offset + sizeof(ws::WsaCmsgHdr) <= control.len) {
        ws::WsaCmsgHdr in;
        memcpy(&in, control.buf + offset, sizeof(in));
        if (in.cmsg_len < header || in.cmsg_len > control.len - offset) return WSAEINVAL;
        const char* data = control.buf + offset + header;
        size_t payload = in.cmsg_len - header;
        int level, type;
        unsigned char linux_data[sizeof(in6_pktinfo)];
        size_t linux_length;
        if (in.cmsg_level == ws::kIpprotoIp && in.cmsg_type == ws::kIpPktInfo && payload >= sizeof(ws::InPktInfo)) {
            ws::InPktInfo info;
            memcpy(&info, data, sizeof(info));
            in_pktinfo linux_info{};
            linux_info.ipi_ifindex = static_cast<int>(info.ipi_ifindex);
            linux_info.ipi_spec_dst.s_addr = info.ipi_addr.value;
            memcpy(linux_data, &linux_info, sizeof(linux_info));
            linux_length = sizeof(linux_info);
            level = IPPROTO_IP;
            type = IP_PKTINFO;
        } else if (in.cmsg_level == ws::kIpprotoIpv6 && in.cmsg_type == ws::kIpv6PktInfo &&
                   payload >= sizeof(ws::In6PktInfo)) {
            ws::In6PktInfo info;
            memcpy(&info, data, sizeof(info));
            in6_pktinfo linux_info{};
            memcpy(&linux_info.ipi6_addr, &info.ipi6_addr, sizeof(linux_info.ipi6_addr));
            linux_info.ipi6_ifindex = info.ipi6_ifindex;
            memcpy(linux_data, &linux_info, sizeof(linux_info));
            linux_length = sizeof(linux_info);
            level = IPPROTO_IPV6;
            type = IPV6_PKTINFO;
        } else if (((in.cmsg_level == ws::kIpprotoIp && in.cmsg_type == ws::kIpEcn) ||
                    (in.cmsg_level == ws::kIpprotoIpv6 && in.cmsg_type == ws::kIpv6Ecn)) &&
                   payload >= sizeof(INT)) {
            INT ecn;
            memcpy(&ecn, data, sizeof(ecn));
            if (ecn < 0 || ecn > 2) return WSAEINVAL;  // not Congestion Encountered, nor no codepoint
            bool ip = in.cmsg_level == ws::kIpprotoIp;
            level = ip ? IPPROTO_IP : IPPROTO_IPV6;
            type = ip ? IP_TOS : IPV6_TCLASS;
            std::atomic<int>& cached = traffic_class[ip ? 0 : 1];
            int byte = cached.load(std::memory_order_relaxed);
            if (byte < 0) {
                socklen_t size = sizeof(byte);
                if (getsockopt(descriptor, level, type, &byte, &size) != 0 || byte < 0) byte = 0;
                cached.store(byte, std::memory_order_relaxed);
            }
            byte = (byte & ~3) | ecn;
            memcpy(linux_data, &byte, sizeof(byte));
            linux_length = sizeof(byte);
        } else if (in.cmsg_level == ws::kIpprotoUdp && in.cmsg_type == ws::kUdpSendMsgSize && payload >= sizeof(DWORD)) {
            DWORD size;
            memcpy(&size, data, sizeof(size));
            if (size > UINT16_MAX) return WSAEINVAL;
            uint16_t segment = static_cast<uint16_t>(size);
            memcpy(linux_data, &segment, sizeof(segment));
            linux_length = sizeof(segment);
            level = IPPROTO_UDP;
            type = UDP_SEGMENT;
        } else {
            return WSAEINVAL;
        }
        if (written + CMSG_SPACE(linux_length) > room) return WSAEINVAL;
        cmsghdr* c = reinterpret_cast<cmsghdr*>(out + written);
        c->cmsg_len = CMSG_LEN(linux_length);
        c->cmsg_level = level;
        c->cmsg_type = type;
        memcpy(CMSG_DATA(c), linux_data, linux_length);
        written += CMSG_SPACE(linux_length);
        offset += (in.cmsg_len + 7) & ~size_t(7);
    }
    *length = written;
    return 0;
}

}  // namespace

// ---- creation, close.
SocketDevice* SocketDevice::create(int family, int type, int protocol, DWORD flags, int* error)
{
    // Type 0 takes the protocol's (TCP: streams, UDP: datagrams, none: streams).
    if (type == 0) type = protocol == ws::kIpprotoUdp ? ws::kSockDgram : ws::kSockStream;
    int linux_type = tr::linux_type(type);
    if (linux_type < 0) {
        *error = WSAESOCKTNOSUPPORT;
        return nullptr;
    }
    // AF_UNSPEC takes the protocol's family (IPv4); with no protocol it is refused.
    if (family == ws::kAfUnspec) {
        if (protocol == 0) {
            *error = WSAEINVAL;
            return nullptr;
        }
        family = ws::kAfInet;
    }
    int linux_family = tr::linux_family(family);
    if (linux_family < 0) {
        *error = WSAEAFNOSUPPORT;
        return nullptr;
    }
    if (family != ws::kAfUnix) {
        // TCP/IP: streams are TCP, datagrams UDP; anything else is refused as Windows does.
        if ((type == ws::kSockStream && protocol != 0 && protocol != ws::kIpprotoTcp) ||
            (type == ws::kSockDgram && protocol != 0 && protocol != ws::kIpprotoUdp)) {
            *error = WSAEPROTONOSUPPORT;
            return nullptr;
        }
        if (type == ws::kSockSeqpacket || type == ws::kSockRdm) {
            *error = WSAESOCKTNOSUPPORT;
            return nullptr;
        }
    }
    int linux_protocol = protocol;
    if (family == ws::kAfUnix) linux_protocol = 0;
    int descriptor = ::socket(linux_family, linux_type | SOCK_NONBLOCK | SOCK_CLOEXEC, linux_protocol);
    if (descriptor < 0) {
        *error = errno == EACCES || errno == EPERM ? WSAEACCES : tr::wsa_error(errno);
        return nullptr;
    }
    int one = 1;
    // Windows' IPv6 sockets are IPv6 only unless told otherwise.
    if (linux_family == AF_INET6) setsockopt(descriptor, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    // A Windows server binds its port again at once after a restart (connections of the
    // last run in TIME_WAIT do not stop it): Linux needs SO_REUSEADDR for that.
    if (linux_type == SOCK_STREAM && linux_family != AF_UNIX)
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    // ICMP errors reach unconnected UDP sockets too, as on Windows (SIO_UDP_CONNRESET;
    // the Linux socket is never connected, see connect_datagram). An IPv6 socket needs
    // both: IPv4 traffic of a dual-stack socket follows the IPv4 option.
    if (linux_type == SOCK_DGRAM && (linux_family == AF_INET || linux_family == AF_INET6))
        setsockopt(descriptor, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
    if (linux_type == SOCK_DGRAM && linux_family == AF_INET6)
        setsockopt(descriptor, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));

    SocketDevice* device = kernel::Pool<SocketDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->descriptor_ = descriptor;
    device->family_ = family;
    device->type_ = type;
    device->protocol_ = protocol != 0 ? protocol
                        : family == ws::kAfUnix ? 0
                        : type == ws::kSockStream ? ws::kIpprotoTcp
                        : type == ws::kSockDgram  ? ws::kIpprotoUdp
                                                  : 0;
    device->flags_ = flags;
    device->listening_.store(false, std::memory_order_relaxed);
    device->bound_.store(false, std::memory_order_relaxed);
    device->connected_.store(false, std::memory_order_relaxed);
    device->connecting_.store(false, std::memory_order_relaxed);
    device->nonblocking_.store(false, std::memory_order_relaxed);
    device->send_shut_.store(false, std::memory_order_relaxed);
    device->receive_shut_.store(false, std::memory_order_relaxed);
    device->closing_.store(false, std::memory_order_relaxed);
    device->reset_.store(false, std::memory_order_relaxed);
    device->accept_claimed_.store(false, std::memory_order_relaxed);
    device->connect_claimed_.store(false, std::memory_order_relaxed);
    device->extension_connected_.store(false, std::memory_order_relaxed);
    device->accepted_ = false;
    device->accept_listener_ = nullptr;
    device->accept_overlapped_ = nullptr;
    device->connect_failed_.store(false, std::memory_order_relaxed);
    device->event_selected_.store(false, std::memory_order_relaxed);
    device->reuse_address_ = false;
    device->exclusive_address_ = false;
    device->port_scalability_ = false;
    device->randomize_port_ = false;
    device->dont_fragment_.store(-1, std::memory_order_relaxed);
    device->dont_fragment6_.store(-1, std::memory_order_relaxed);
    device->udp_connreset_.store(true, std::memory_order_relaxed);
    device->receive_tos_.store(false, std::memory_order_relaxed);
    device->receive_ecn_.store(false, std::memory_order_relaxed);
    device->receive_tclass_.store(false, std::memory_order_relaxed);
    device->receive_ecn6_.store(false, std::memory_order_relaxed);
    device->receive_coalesced_max_.store(0, std::memory_order_relaxed);
    device->traffic_class_[0].store(-1, std::memory_order_relaxed);
    device->traffic_class_[1].store(-1, std::memory_order_relaxed);
    device->oob_inline_.store(-1, std::memory_order_relaxed);
    device->owed_resets_.store(0, std::memory_order_relaxed);
    device->receive_timeout_ = 0;
    device->send_timeout_ = 0;
    device->connect_time_ = 0;
    device->pending_error_ = 0;
    device->peer_length_ = 0;
    device->listen_address_length_ = 0;
    device->send_buffer_ = -1;
    device->receive_buffer_ = -1;
    device->drained_.reset();
    // A stream's plain receives and sends may finish in the caller without a request
    // (fast_ready, fast_transfer), in its lanes as its requests.
    device->fast_io = type == ws::kSockStream;
    device->fast_lanes = true;
    device->events_ = EventSelect{};
    device->lock.unlock();
    return device;
}

void SocketDevice::last_handle_closed()
{
    closing_.store(true, std::memory_order_release);
    Device::last_handle_closed();  // cancels the requests in progress
    // WSAEventSelect ends: the watch is cancelled, the event let go.
    events_.mask = 0;
    event_selected_.store(false, std::memory_order_relaxed);
    if (events_.armed) io::cancel_internal(&events_.watch.op);
    if (events_.event != nullptr) {
        events_.event->release_reference();
        events_.event = nullptr;
    }
    // Threads blocked in a synchronous call on the socket end it (WSAEINTR, as Windows).
    interrupt_blocked();
    // An AcceptEx that was to accept into this socket ends too, aborted (a request of its
    // listener: the one nested lock is this socket's, then the listener's).
    if (accept_listener_ != nullptr) io::cancel_on_device(accept_listener_, accept_overlapped_);
}

void SocketDevice::defer_connection(SocketDevice* accepted)
{
    SocketDevice* replaced;
    {
        LockGuard guard(lock);
        replaced = deferred_;
        deferred_ = accepted;
    }
    if (replaced != nullptr) replaced->release_reference();  // (a caller takes it first)
}

SocketDevice* SocketDevice::take_deferred()
{
    LockGuard guard(lock);
    SocketDevice* taken = deferred_;
    deferred_ = nullptr;
    return taken;
}

void SocketDevice::recycle()
{
    lock.lock();
    SocketDevice* deferred = deferred_;
    deferred_ = nullptr;
    int descriptor = descriptor_;
    descriptor_ = -1;
    int epoll = events_.epoll;  // WSAEventSelect's (no watch runs: it holds a reference)
    events_.epoll = -1;
    RioQueueLink* rio = rio_queue;
    rio_queue = nullptr;
    unbind();
    lock.unlock();
    if (rio != nullptr) rio->socket_gone();
    io::forget_device(this);
    forget_bound_address(this);
    if (descriptor >= 0) ::close(descriptor);
    if (epoll >= 0) ::close(epoll);
    if (deferred != nullptr) deferred->release_reference();  // its connection closes
    kernel::Pool<SocketDevice>::instance().release(this);
}

SocketDevice* SocketDevice::take_over(int descriptor, bool connected, int family, int type, int protocol, DWORD flags,
                                      int* error)
{
    SocketDevice* socket = create(family, type, protocol, flags, error);
    if (socket == nullptr) return nullptr;
    int status = fcntl(descriptor, F_GETFL);
    if (status >= 0) fcntl(descriptor, F_SETFL, status | O_NONBLOCK);
    fcntl(descriptor, F_SETFD, FD_CLOEXEC);
    socket->replace_descriptor(descriptor, connected);  // closes the descriptor create() made
    return socket;
}

SocketDevice* SocketDevice::adopt(int descriptor, int family, int type, int protocol, DWORD flags, int* error)
{
    int accepting = 0;
    socklen_t size = sizeof(accepting);
    bool listening = getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 && accepting != 0;
    sockaddr_storage peer;
    socklen_t peer_length = sizeof(peer);
    bool connected = !listening && is_stream(type) &&
                     getpeername(descriptor, reinterpret_cast<sockaddr*>(&peer), &peer_length) == 0;
    sockaddr_storage local;
    socklen_t local_length = sizeof(local);
    bool bound = getsockname(descriptor, reinterpret_cast<sockaddr*>(&local), &local_length) == 0 &&
                 (local.ss_family == AF_INET || local.ss_family == AF_INET6) && port_of(local) != 0;
    SocketDevice* socket = take_over(descriptor, connected, family, type, protocol, flags, error);
    if (socket == nullptr) return nullptr;
    if (!connected && (bound || listening)) socket->bound_.store(true, std::memory_order_release);
    if (listening) {
        // As listen() records it: the address every accepted connection has, unless a wildcard.
        socket->lock.lock();
        socket->listen_address_length_ = 0;
        if (bound && !is_any_address(local)) {
            memcpy(socket->listen_address_, &local, local_length);
            socket->listen_address_length_ = local_length;
        }
        socket->listening_.store(true, std::memory_order_release);
        socket->lock.unlock();
    }
    // A datagram socket's default peer (connect) is in its filter (attach_peer_filter).
    sockaddr_storage default_peer;
    socklen_t default_length = 0;
    if (!is_stream(type) && peer_from_filter(descriptor, tr::linux_family(family), &default_peer, &default_length)) {
        ws::SockaddrStorage windows_peer{};
        int windows_length = sizeof(windows_peer);
        if (tr::to_windows(reinterpret_cast<sockaddr*>(&default_peer), default_length,
                           reinterpret_cast<ws::Sockaddr*>(&windows_peer), &windows_length) == 0) {
            LockGuard guard(socket->lock);
            memcpy(&socket->peer_, &windows_peer, sizeof(socket->peer_));
            socket->peer_length_ = windows_length;
            socket->connected_.store(true, std::memory_order_release);
            socket->connect_time_ = tr::monotonic_seconds();
        }
    }
    return socket;
}

int SocketDevice::crossing_refused()
{
    // A non-blocking connect that has ended is settled first (connected() takes no lock).
    if (connecting_.load(std::memory_order_acquire)) connected();
    if (connecting_.load(std::memory_order_acquire)) return WSAEINVAL;
    // A ConnectEx under way, or a socket an AcceptEx is to accept into (its descriptor
    // is about to be replaced). A datagram socket's default peer crosses in its filter.
    if (connect_claimed_.load(std::memory_order_acquire) || accept_claimed_.load(std::memory_order_acquire))
        return WSAEINVAL;
    if (descriptor_ < 0) return WSAENOTSOCK;
    return 0;
}

int SocketDevice::duplicate_for_sharing(int* duplicate)
{
    LockGuard guard(lock);
    if (int error = crossing_refused()) return error;
    *duplicate = fcntl(descriptor_, F_DUPFD_CLOEXEC, 0);
    if (*duplicate >= 0) return 0;
    return errno == EMFILE || errno == ENFILE ? WSAEMFILE : tr::wsa_error(errno);
}

void SocketDevice::replace_descriptor(int descriptor, bool connected, const void* peer, unsigned peer_length)
{
    lock.lock();
    int old = descriptor_;
    descriptor_ = descriptor;
    bound_.store(connected, std::memory_order_release);
    connected_.store(connected, std::memory_order_release);
    connecting_.store(false, std::memory_order_release);
    listening_.store(false, std::memory_order_release);
    send_shut_.store(false, std::memory_order_release);
    receive_shut_.store(false, std::memory_order_release);
    reset_.store(false, std::memory_order_release);
    extension_connected_.store(false, std::memory_order_release);
    oob_inline_.store(-1, std::memory_order_relaxed);  // another descriptor's
    accepted_ = connected;  // only accept/AcceptEx bring a connected descriptor
    connect_failed_.store(false, std::memory_order_release);
    connect_time_ = connected ? tr::monotonic_seconds() : 0;
    peer_length_ = 0;
    listen_address_length_ = 0;
    if (connected) remember_peer(peer, peer_length);
    // WSAEventSelect goes on with the new descriptor (the old one leaves the epoll
    // instance as it closes).
    events_.registered = 0;
    events_.last_available = 0;
    events_.last_backlog = 0;
    events_.connect = ConnectState::None;
    events_arm();
    lock.unlock();
    forget_bound_address(this);
    if (old >= 0) ::close(old);
}

int SocketDevice::renew_descriptor()
{
    int descriptor = ::socket(tr::linux_family(family_), tr::linux_type(type_) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                              family_ == ws::kAfUnix ? 0 : protocol_);
    if (descriptor < 0) return tr::wsa_error(errno);
    int one = 1;
    if (family_ == ws::kAfInet6) setsockopt(descriptor, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (type_ == ws::kSockStream && family_ != ws::kAfUnix)
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    // A socket that connected itself stays bound where it was ("not connected, but still
    // bound", for ConnectEx). The old descriptor still holds the address: both carry
    // SO_REUSEADDR and neither listens, so Linux lets the new one bind it too.
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    bool rebind = !accepted_ && family_ != ws::kAfUnix &&
                  getsockname(descriptor_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    if (rebind && ::bind(descriptor, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        int error = errno;
        ::close(descriptor);
        return tr::wsa_error(error);
    }
    replace_descriptor(descriptor, false);
    if (rebind) {
        // In the process's table of bound addresses again, as bind() leaves it.
        Sharing sharing = exclusive_address_ ? kExclusive : reuse_address_ ? kReuse : kNoOption;
        BoundAddress entry{this, descriptor, tr::linux_type(type_), address,
                           coverage_of(address, family_ != ws::kAfInet6 || v6only_of(descriptor)), sharing};
        {
            std::lock_guard<std::mutex> guard(bound_mutex);
            bound_addresses->push_back(entry);
        }
        bound_.store(true, std::memory_order_release);
    }
    return 0;
}

void SocketDevice::note_drained() { drained_.note(); }

bool SocketDevice::drained_by_this_thread() const { return drained_.applies(); }

bool SocketDevice::bound_by_now()
{
    if (bound() || is_stream(type_)) return bound();
    sockaddr_storage local{};
    socklen_t length = sizeof(local);
    if (getsockname(descriptor_, reinterpret_cast<sockaddr*>(&local), &length) != 0 ||
        (local.ss_family != AF_INET && local.ss_family != AF_INET6) || port_of(local) == 0)
        return false;
    bound_.store(true, std::memory_order_release);
    return true;
}

bool SocketDevice::connected()
{
    if (connected_.load(std::memory_order_acquire)) return true;
    if (!connecting_.load(std::memory_order_acquire)) return false;
    pollfd entry{descriptor_, POLLOUT, 0};
    if (poll(&entry, 1, 0) <= 0) return false;
    // The connect ended: one thread looks at how (SO_ERROR reads once).
    bool expected = true;
    if (!connecting_.compare_exchange_strong(expected, false, std::memory_order_acq_rel))
        return connected_.load(std::memory_order_acquire);
    int error = 0;
    socklen_t size = sizeof(error);
    getsockopt(descriptor_, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
        pending_error_ = tr::wsa_error(error);  // getsockopt(SO_ERROR) still reports it
        connect_failed_.store(true, std::memory_order_release);  // select: exceptfds
        dissolve_failed_connect();
        return false;
    }
    connected_.store(true, std::memory_order_release);
    connect_time_ = tr::monotonic_seconds();
    pending_error_ = 0;  // a connection clears the last attempt's error
    remember_peer();
    return true;
}

void SocketDevice::dissolve_failed_connect()
{
    // After a failed connect Windows lets the program call connect (or ConnectEx) again on
    // the same socket (Microsoft Learn, connect: "the application can call connect again
    // for the same socket"; Wine's sock.c test_select: WSAEWOULDBLOCK, then the connection).
    // Linux keeps a socket whose failure it reported through SO_ERROR "connecting": its
    // next connect() fails with ECONNABORTED. Dissolving the attempt (AF_UNSPEC) makes it
    // an unconnected socket again.
    sockaddr none{};
    none.sa_family = AF_UNSPEC;
    ::connect(descriptor_, &none, sizeof(none));
}

void SocketDevice::remember_peer(const void* peer, unsigned peer_length)
{
    static_assert(sizeof(listen_address_) == sizeof(sockaddr_storage));
    sockaddr_storage address;
    socklen_t length = peer_length;
    if (peer == nullptr || peer_length == 0) {
        length = sizeof(address);
        if (getpeername(descriptor_, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
        peer = &address;
    }
    int windows_length = sizeof(peer_);
    if (tr::to_windows(static_cast<const sockaddr*>(peer), length, reinterpret_cast<ws::Sockaddr*>(&peer_),
                       &windows_length) == 0)
        peer_length_ = windows_length;
}

unsigned SocketDevice::accepted_local_address(int accepted, void* local) const
{
    if (listen_address_length_ != 0) {
        memcpy(local, listen_address_, listen_address_length_);
        return listen_address_length_;
    }
    socklen_t length = sizeof(sockaddr_storage);
    if (getsockname(accepted, static_cast<sockaddr*>(local), &length) != 0) return 0;
    return length;
}

int SocketDevice::error_for(int error)
{
    if (error == ECONNRESET) reset_.store(true, std::memory_order_release);
    if (error == EPIPE) return send_shut_.load(std::memory_order_acquire) ? WSAESHUTDOWN : WSAECONNRESET;
    return tr::wsa_error(error);
}

int SocketDevice::take_icmp_error()
{
    alignas(cmsghdr) unsigned char control[256];
    msghdr message{};
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    if (recvmsg(descriptor_, &message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
            (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
            sock_extended_err error;
            memcpy(&error, CMSG_DATA(c), sizeof(error));
            return static_cast<int>(error.ee_errno);
        }
    }
    return 0;
}

void SocketDevice::owe_reset()
{
    if (udp_connreset_.load(std::memory_order_acquire)) owed_resets_.fetch_add(1, std::memory_order_acq_rel);
}

bool SocketDevice::take_owed_reset()
{
    uint32_t owed = owed_resets_.load(std::memory_order_acquire);
    while (owed != 0)
        if (owed_resets_.compare_exchange_weak(owed, owed - 1, std::memory_order_acq_rel)) return true;
    return false;
}

int SocketDevice::pending_count(SocketOperation operation) const
{
    int count = 0;
    for (const io::Request* request = requests; request != nullptr; request = request->next)
        if (const_cast<io::Request*>(request)->driver_state<SocketState>()->operation == operation) ++count;
    return count;
}

bool SocketDevice::has_pending(SocketOperation operation) const
{
    for (const io::Request* request = requests; request != nullptr; request = request->next)
        if (const_cast<io::Request*>(request)->driver_state<SocketState>()->operation == operation) return true;
    return false;
}

int SocketDevice::claim_for_accept(SocketDevice* listener, OVERLAPPED* overlapped)
{
    // The accept socket must be a fresh stream socket: not bound, not listening, not
    // connected, not already waiting for another AcceptEx's connection.
    if (!is_stream(type_) || listening() || bound() || connected()) return WSAEINVAL;
    LockGuard guard(lock);
    if (closing_.load(std::memory_order_acquire)) return WSAENOTSOCK;
    if (connect_claimed_.load(std::memory_order_acquire)) return WSAEINVAL;
    bool expected = false;
    if (!accept_claimed_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) return WSAEINVAL;
    listener->add_reference();
    accept_listener_ = listener;
    accept_overlapped_ = overlapped;
    return 0;
}

void SocketDevice::release_accept_claim()
{
    SocketDevice* listener;
    {
        LockGuard guard(lock);
        listener = accept_listener_;
        accept_listener_ = nullptr;
        accept_overlapped_ = nullptr;
        accept_claimed_.store(false, std::memory_order_release);
    }
    if (listener != nullptr) listener->release_reference();
}

int SocketDevice::claim_for_connect()
{
    if (!is_stream(type_)) return WSAEOPNOTSUPP;
    if (listening()) return WSAEINVAL;
    if (connected()) return WSAEISCONN;
    if (!bound()) return WSAEINVAL;  // ConnectEx needs a bound socket
    if (accept_claimed_.load(std::memory_order_acquire) || connecting_.load(std::memory_order_acquire))
        return WSAEINVAL;
    bool expected = false;
    if (!connect_claimed_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) return WSAEINVAL;
    return 0;
}

void SocketDevice::release_connect_claim() { connect_claimed_.store(false, std::memory_order_release); }

// ---- waiting in a synchronous call.

namespace {

// ppoll's time-out for what is left of `timeout_ms` (INFINITE: none) since `start`;
// false once it has passed.
bool time_left(const timespec& start, DWORD timeout_ms, timespec* left, timespec** timeout)
{
    *timeout = nullptr;
    if (timeout_ms == INFINITE) return true;
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long elapsed = (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000;
    if (elapsed >= static_cast<long long>(timeout_ms)) return false;
    long long rest = static_cast<long long>(timeout_ms) - elapsed;
    left->tv_sec = static_cast<time_t>(rest / 1000);
    left->tv_nsec = static_cast<long>((rest % 1000) * 1000000);
    *timeout = left;
    return true;
}

}  // namespace

int SocketDevice::wait_ready(short events, DWORD timeout_ms)
{
    kernel::ThreadState* self = kernel::current_thread();
    ++self->wait_epoch;
    timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    // SO_RCVTIMEO/SO_SNDTIMEO 0: no time-out.
    DWORD limit = timeout_ms == 0 ? INFINITE : timeout_ms;
    for (;;) {
        lock.lock();
        if (closing_.load(std::memory_order_acquire)) {
            lock.unlock();
            return WSAEINTR;
        }
        blocked_enter(self);
        int descriptor = descriptor_;
        lock.unlock();
        // Windows' blocking Winsock calls wait alertably (Wine's sock.c test_WSARecv: "a
        // non-overlapped WSARecv performs an alertable wait", test_accept): an APC queued
        // meanwhile runs, and the call waits on.
        DWORD result = io::run_synchronous(
            [&]() -> DWORD {
                engine::InterruptWindow window;
                for (;;) {
                    if (self->apc_pending.load(std::memory_order_seq_cst) != 0) return io::kRunApcs;
                    timespec left, *timeout;
                    if (!time_left(start, limit, &left, &timeout)) return WSAETIMEDOUT;
                    pollfd entry{descriptor, events, 0};
                    int ready = ppoll(&entry, 1, timeout, window.during());
                    if (ready > 0) return 0;
                    if (ready == 0) return WSAETIMEDOUT;
                    if (errno != EINTR) return static_cast<DWORD>(tr::wsa_error(errno));
                    if (io::sync_io_cancelled() || closing_.load(std::memory_order_acquire)) return WSAEINTR;
                }
            },
            true);
        lock.lock();
        blocked_leave(self);
        lock.unlock();
        if (result != io::kRunApcs) return static_cast<int>(result);
        kernel::run_pending_apcs(self);
    }
}

// ---- Winsock's synchronous calls.
int SocketDevice::bind(const ws::Sockaddr* address, int length)
{
    sockaddr_storage linux_address;
    socklen_t linux_length = 0;
    if (int error = tr::to_linux(address, length, &linux_address, &linux_length)) return error;
    if (tr::windows_family(linux_address.ss_family) != family_) return WSAEFAULT;
    if (bound()) return WSAEINVAL;
    bool tracked = family_ == ws::kAfInet || family_ == ws::kAfInet6;
    Sharing sharing = exclusive_address_ ? kExclusive : reuse_address_ ? kReuse : kNoOption;
    int v6only = family_ == ws::kAfInet6 ? v6only_of(descriptor_) : 1;
    int linux_type = tr::linux_type(type_);
    std::unique_lock<std::mutex> guard(bound_mutex, std::defer_lock);
    if (tracked) {
        guard.lock();
        // Port 0: the system picks a port nobody holds.
        if (port_of(linux_address) != 0) {
            Coverage mine = coverage_of(linux_address, v6only != 0);
            std::vector<int> sharers;
            for (const BoundAddress& other : *bound_addresses) {
                if (other.type != linux_type || port_of(other.address) != port_of(linux_address) ||
                    !overlap(mine, other.coverage))
                    continue;
                switch (sharing_verdict(mine, sharing, other.coverage, other.sharing)) {
                case kInUse: return WSAEADDRINUSE;
                case kDenied: return WSAEACCES;
                case kShare: sharers.push_back(other.descriptor); break;
                }
            }
            if (!sharers.empty()) {
                // Windows lets them share: so must Linux.
                int on = 1;
                setsockopt(descriptor_, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
                for (int other : sharers) setsockopt(other, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
            }
        }
    }
    if (::bind(descriptor_, reinterpret_cast<sockaddr*>(&linux_address), linux_length) != 0) {
        int error = errno;
        if (error == EADDRINUSE && reuse_address_) return WSAEACCES;
        if (error == EINVAL) return WSAEINVAL;  // already bound
        return tr::wsa_error(error);
    }
    if (tracked) {
        BoundAddress entry{this, descriptor_, linux_type, {}, {}, sharing};
        socklen_t size = sizeof(entry.address);
        if (getsockname(descriptor_, reinterpret_cast<sockaddr*>(&entry.address), &size) == 0) {
            entry.coverage = coverage_of(entry.address, v6only != 0);
            bound_addresses->push_back(entry);
        }
    }
    bound_.store(true, std::memory_order_release);
    return 0;
}

int SocketDevice::listen(int backlog)
{
    if (!is_stream(type_)) return WSAEOPNOTSUPP;
    if (connected()) return WSAEISCONN;
    if (!bound()) return WSAEINVAL;
    if (backlog < 0) backlog = -backlog;  // SOMAXCONN_HINT(n) is -n
    if (backlog == ws::kSoMaxConn || backlog > 4096) backlog = 4096;
    if (::listen(descriptor_, backlog) != 0) return tr::wsa_error(errno);
    // Every connection accepted here has the listener's address as its own, unless the
    // listener is bound to a wildcard (then it is the address the peer connected to).
    if (!listening_.load(std::memory_order_acquire)) {
        sockaddr_storage local;
        socklen_t length = sizeof(local);
        listen_address_length_ = 0;
        if (getsockname(descriptor_, reinterpret_cast<sockaddr*>(&local), &length) == 0 && !is_any_address(local)) {
            memcpy(listen_address_, &local, length);
            listen_address_length_ = length;
        }
    }
    int shared = 0;
    socklen_t size = sizeof(shared);
    if (getsockopt(descriptor_, SOL_SOCKET, SO_REUSEPORT, &shared, &size) == 0 && shared) {
        // Listeners sharing an address (SO_REUSEADDR on both): Windows gives the
        // connections to the first one; Linux would spread them over the group unless
        // its program picks one (index 0: the first to listen).
        sock_filter first{BPF_RET | BPF_K, 0, 0, 0};
        sock_fprog program{1, &first};
        setsockopt(descriptor_, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof(program));
    }
    listening_.store(true, std::memory_order_release);
    return 0;
}

int SocketDevice::connect(const ws::Sockaddr* address, int length)
{
    if (!is_stream(type_) && family_ != ws::kAfUnix) return connect_datagram(address, length);
    sockaddr_storage linux_address;
    socklen_t linux_length = 0;
    if (int error = tr::to_linux(address, length, &linux_address, &linux_length)) return error;
    if (listening()) return WSAEINVAL;
    // A socket an AcceptEx will accept into, one with a ConnectEx under way, and one that
    // ConnectEx connected: Windows answers WSAEINVAL (Wine's sock.c test_connect,
    // test_AcceptEx).
    if (accept_claimed_.load(std::memory_order_acquire) || connect_claimed_.load(std::memory_order_acquire) ||
        extension_connected_.load(std::memory_order_acquire))
        return WSAEINVAL;
    if (connected()) return WSAEISCONN;
    if (connecting_.load(std::memory_order_acquire)) return WSAEALREADY;
    // The connect's outcome, for WSAEventSelect's FD_CONNECT and select's exceptfds.
    auto ended = [this](int error) {
        LockGuard guard(lock);
        events_connect_started();
        events_connect_finished(error);
    };
    int made = ::connect(descriptor_, reinterpret_cast<sockaddr*>(&linux_address), linux_length);
    if (made != 0 && errno == ECONNABORTED) {
        // A failed attempt another thread has just seen end (connected()) and not yet
        // dissolved: dissolve it here and connect.
        dissolve_failed_connect();
        made = ::connect(descriptor_, reinterpret_cast<sockaddr*>(&linux_address), linux_length);
    }
    if (made == 0) {
        bound_.store(true, std::memory_order_release);
        connected_.store(true, std::memory_order_release);
        connect_time_ = tr::monotonic_seconds();
        pending_error_ = 0;
        remember_peer();
        ended(0);
        return 0;
    }
    int error = errno;
    if (error != EINPROGRESS) {
        if (error == EISCONN) return WSAEISCONN;
        if (error == EALREADY) return WSAEALREADY;
        if (error == ECONNREFUSED || error == ENETUNREACH || error == EHOSTUNREACH || error == ETIMEDOUT) {
            connect_failed_.store(true, std::memory_order_release);  // select: exceptfds
            ended(tr::wsa_error(error));
        }
        return tr::wsa_error(error);
    }
    bound_.store(true, std::memory_order_release);
    {
        // getpeername names the destination while the connect is under way (Wine's sock.c
        // test_connecting_socket), where Linux answers ENOTCONN until it is made.
        LockGuard guard(lock);
        remember_peer(&linux_address, linux_length);
    }
    if (nonblocking_.load(std::memory_order_acquire)) {
        connecting_.store(true, std::memory_order_release);
        LockGuard guard(lock);
        events_connect_started();  // FD_CONNECT (and FD_WRITE) when it ends
        return WSAEWOULDBLOCK;
    }
    if (int wait = wait_ready(POLLOUT, INFINITE)) return wait;
    int result = 0;
    socklen_t size = sizeof(result);
    getsockopt(descriptor_, SOL_SOCKET, SO_ERROR, &result, &size);
    if (result != 0) {
        // A blocking connect's failure is its return value: SO_ERROR is left clear (Wine's
        // sock.c test_select), and select reports the socket in exceptfds.
        connect_failed_.store(true, std::memory_order_release);
        dissolve_failed_connect();
        ended(tr::wsa_error(result));
        return tr::wsa_error(result);
    }
    connected_.store(true, std::memory_order_release);
    connect_time_ = tr::monotonic_seconds();
    pending_error_ = 0;
    remember_peer();
    ended(0);
    return 0;
}

int SocketDevice::connect_datagram(const ws::Sockaddr* address, int length)
{
    if (address == nullptr || length < static_cast<int>(sizeof(USHORT))) return WSAEFAULT;
    sockaddr_storage peer{};
    socklen_t peer_length = 0;
    // AF_UNSPEC, or an address of zeros, dissolves the association.
    bool dissolve = address->sa_family == ws::kAfUnspec;
    if (!dissolve) {
        if (int error = tr::to_linux(address, length, &peer, &peer_length)) return error;
        if (tr::windows_family(peer.ss_family) != family_) return WSAEAFNOSUPPORT;
        dissolve = is_any_address(peer);
    }
    if (dissolve) {
        LockGuard guard(lock);
        if (peer_length_ != 0) {
            int unused = 0;
            setsockopt(descriptor_, SOL_SOCKET, SO_DETACH_FILTER, &unused, sizeof(unused));
        }
        peer_length_ = 0;
        connected_.store(false, std::memory_order_release);
        return 0;
    }
    ws::SockaddrStorage windows_peer{};
    int windows_length = sizeof(windows_peer);
    if (int error = tr::to_windows(reinterpret_cast<sockaddr*>(&peer), peer_length,
                                   reinterpret_cast<ws::Sockaddr*>(&windows_peer), &windows_length))
        return error;
    if (!bound()) {
        // Bound where Linux would send from, on a port of its choosing (as Windows binds).
        sockaddr_storage local;
        socklen_t local_length = 0;
        int v6only = 1;
        socklen_t size = sizeof(v6only);
        if (peer.ss_family == AF_INET6) getsockopt(descriptor_, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &size);
        if (int error = local_address_for(peer, peer_length, v6only != 0, &local, &local_length))
            return tr::wsa_error(error);
        if (::bind(descriptor_, reinterpret_cast<sockaddr*>(&local), local_length) != 0 && errno != EINVAL)
            return tr::wsa_error(errno);
        bound_.store(true, std::memory_order_release);
    }
    if (!attach_peer_filter(descriptor_, peer)) return tr::wsa_error(errno);
    bool same_peer;
    {
        LockGuard guard(lock);
        same_peer = peer_length_ == windows_length &&
                    memcmp(&peer_, &windows_peer, static_cast<size_t>(windows_length)) == 0;
    }
    if (!same_peer) {
        // Windows discards what was queued before a connect to another peer.
        for (int i = 0; i < 65536; ++i) {
            msghdr message{};
            if (recvmsg(descriptor_, &message, MSG_DONTWAIT | MSG_TRUNC) >= 0 || errno == EINTR) continue;
            if (errno == EAGAIN) break;
            take_icmp_error();  // a pending ICMP error goes with the queue
        }
    }
    LockGuard guard(lock);
    memcpy(&peer_, &windows_peer, sizeof(peer_));
    peer_length_ = windows_length;
    connected_.store(true, std::memory_order_release);
    connect_time_ = tr::monotonic_seconds();
    // WSAEventSelect: FD_CONNECT (and FD_WRITE again) at once, as Windows records them
    // (Wine's sock.c test_connect_events, 'Test with UDP sockets').
    events_connect_started();
    events_connect_finished(0);
    return 0;
}

int SocketDevice::address_length() const
{
    sockaddr of_family{};
    of_family.sa_family = static_cast<sa_family_t>(tr::linux_family(family_));
    return tr::windows_length(&of_family);
}

int SocketDevice::accept(SocketDevice** accepted, ws::Sockaddr* address, int* length)
{
    if (!listening()) return WSAEINVAL;
    // No room for the peer's address: WSAEFAULT, and the connection stays queued for the
    // next call, as on Windows.
    if (address != nullptr && length != nullptr && *length < address_length()) return WSAEFAULT;
    if (SocketDevice* deferred = take_deferred()) {
        // The connection WSAAccept deferred comes first. One whose address does not fit
        // the caller's buffer waits for the next call.
        int error = address != nullptr && length != nullptr ? deferred->peer_address(address, length) : 0;
        if (error == WSAEFAULT) {
            defer_connection(deferred);
            return error;
        }
        if (error != 0) {
            deferred->release_reference();
            return error == WSAENOTCONN ? WSAECONNRESET : error;  // its peer has gone
        }
        *accepted = deferred;
        return 0;
    }
    sockaddr_storage peer;
    for (;;) {
        socklen_t peer_length = sizeof(peer);
        int descriptor = accept4(descriptor_, reinterpret_cast<sockaddr*>(&peer), &peer_length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (descriptor >= 0) {
            int error = 0;
            SocketDevice* device = create(family_, type_, protocol_, flags_, &error);
            if (device == nullptr) {
                ::close(descriptor);
                return error;
            }
            device->replace_descriptor(descriptor, true, &peer, peer_length);
            device->nonblocking_.store(nonblocking_.load(std::memory_order_acquire), std::memory_order_release);
            device->inherit_options(this);    // as Windows' accepted sockets do
            inherit_event_select(device);     // the listener's WSAEventSelect applies to it
            events_reenable(ws::kFdAccept);  // the next connection is reported again
            if (address != nullptr && length != nullptr &&
                tr::to_windows(reinterpret_cast<sockaddr*>(&peer), peer_length, address, length) != 0) {
                defer_connection(device);  // (cannot happen: checked above) kept for the next call
                return WSAEFAULT;
            }
            *accepted = device;
            return 0;
        }
        int error = errno;
        if (error == ECONNABORTED || error == EINTR) continue;
        if (error != EAGAIN) return tr::wsa_error(error);
        if (nonblocking_.load(std::memory_order_acquire)) {
            events_reenable(ws::kFdAccept);
            return WSAEWOULDBLOCK;
        }
        if (int wait = wait_ready(POLLIN, INFINITE)) return wait;
    }
}

namespace {

// A Receive with MSG_OOB becomes a wait for the urgent byte (or the stream's end), after
// which step() makes it the receive again (phase 2).
void await_urgent_byte(SocketState* state, engine::Op* op)
{
    state->receive_flags = op->flags;
    state->phase = 2;
    op->code = engine::OpCode::Poll;
    op->flags = POLLPRI | POLLRDHUP;
}

}  // namespace

// Linux answers an MSG_OOB receive with EINVAL while no urgent byte waits. Windows waits
// for one, or says WSAEWOULDBLOCK on a non-blocking socket (Microsoft Learn, recv:
// WSAEINVAL for MSG_OOB only with SO_OOBINLINE on); an overlapped receive stays pending
// (Wine's behaviour too). Past the stream's end the error stays.
bool SocketDevice::urgent_byte_awaited(int linux_flags)
{
    if (!(linux_flags & MSG_OOB) || !is_stream(type_) || oob_inline()) return false;
    pollfd entry{descriptor_, POLLPRI | POLLRDHUP, 0};
    return poll(&entry, 1, 0) >= 0 && !(entry.revents & (POLLHUP | POLLERR | POLLRDHUP));
}

int SocketDevice::receive(const ws::WsaBuf* buffers, DWORD count, DWORD flags, ws::Sockaddr* from, int* from_length,
                          DWORD* done, DWORD* flags_out)
{
    *done = 0;
    struct Reenable {  // a receive re-enables FD_READ (and FD_OOB), whatever it returns
        SocketDevice* socket;
        ~Reenable() { socket->events_reenable(ws::kFdRead | ws::kFdOob); }
    } reenable{this};
    if (listening()) return WSAENOTCONN;
    if (is_stream(type_) && !connected()) return WSAENOTCONN;
    if (!is_stream(type_) && !bound_by_now()) return WSAEINVAL;
    if (receive_shut_.load(std::memory_order_acquire)) return WSAESHUTDOWN;
    if (reset_.load(std::memory_order_acquire)) return WSAECONNRESET;
    if (!is_stream(type_) && take_owed_reset()) return WSAECONNRESET;
    BufferVectors vectors(buffers, count);
    size_t total = vectors.total;
    sockaddr_storage sender;
    msghdr message{};
    message.msg_iov = vectors.data;
    message.msg_iovlen = count;
    if (from != nullptr) {
        message.msg_name = &sender;
        message.msg_namelen = sizeof(sender);
    }
    int linux_flags = tr::linux_message_flags(flags);
    bool wait_all = (linux_flags & MSG_WAITALL) && is_stream(type_);
    if (wait_all && nonblocking_.load(std::memory_order_acquire)) return WSAEOPNOTSUPP;
    size_t received = 0;
    for (;;) {
        ssize_t n = raw::recvmsg(descriptor_, &message, (linux_flags & ~MSG_WAITALL) | MSG_DONTWAIT);
        if (n >= 0) {
            data_received();
            received += static_cast<size_t>(n);
            if (wait_all && n > 0 && received < total) {
                // MSG_WAITALL: keep the bytes, wait for the rest.
                consume(&message, static_cast<size_t>(n));
                continue;
            }
            *done = static_cast<DWORD>(received);
            if (flags_out != nullptr) *flags_out = tr::windows_receive_flags(message.msg_flags);
            if (from != nullptr && from_length != nullptr && message.msg_namelen > 0)
                tr::to_windows(reinterpret_cast<sockaddr*>(&sender), message.msg_namelen, from, from_length);
            if (message.msg_flags & MSG_TRUNC) return WSAEMSGSIZE;
            return 0;
        }
        int error = errno;
        if (error == EINTR) continue;
        if (!is_stream(type_) && icmp_error(error)) {
            // The socket's pending ICMP error, for an earlier datagram: its queue entry
            // goes with it. "Port unreachable" is a reset on Windows, or nothing once
            // SIO_UDP_CONNRESET is off.
            take_icmp_error();
            if (error != ECONNREFUSED) return tr::wsa_error(error);
            if (!udp_connreset_.load(std::memory_order_acquire)) continue;
            return WSAECONNRESET;
        }
        if (error == EINVAL && urgent_byte_awaited(linux_flags)) error = EAGAIN;
        if (error != EAGAIN) return error_for(error);
        if (nonblocking_.load(std::memory_order_acquire)) {
            if (received > 0) {
                *done = static_cast<DWORD>(received);
                return 0;
            }
            return WSAEWOULDBLOCK;
        }
        if (int wait = wait_ready(static_cast<short>((linux_flags & MSG_OOB) ? POLLPRI | POLLRDHUP : POLLIN), receive_timeout_)) {
            *done = static_cast<DWORD>(received);
            return wait;
        }
    }
}

int SocketDevice::send(const ws::WsaBuf* buffers, DWORD count, DWORD flags, const ws::Sockaddr* to, int to_length,
                       DWORD* done, const ws::WsaBuf* control)
{
    *done = 0;
    if (send_shut_.load(std::memory_order_acquire)) return WSAESHUTDOWN;
    if (is_stream(type_) && !connected()) return WSAENOTCONN;
    if (reset_.load(std::memory_order_acquire)) return WSAECONNRESET;
    BufferVectors vectors(buffers, count);
    size_t total = vectors.total;
    sockaddr_storage destination;
    msghdr message{};
    message.msg_iov = vectors.data;
    message.msg_iovlen = count;
    alignas(cmsghdr) unsigned char linux_control[kControlRoom];
    if (control != nullptr && control->len != 0) {
        size_t length = 0;
        if (int error = send_control(descriptor_, traffic_class_, *control, linux_control, sizeof(linux_control),
                                     &length))
            return error;
        message.msg_control = linux_control;
        message.msg_controllen = length;
    }
    if (to != nullptr && !is_stream(type_)) {
        socklen_t length = 0;
        if (int error = tr::to_linux(to, to_length, &destination, &length)) return error;
        message.msg_name = &destination;
        message.msg_namelen = length;
    } else if (!is_stream(type_) && family_ != ws::kAfUnix) {
        // The default peer (connect_datagram), or none: WSAENOTCONN.
        ws::SockaddrStorage peer;
        int peer_length;
        {
            LockGuard guard(lock);
            peer = peer_;
            peer_length = peer_length_;
        }
        if (peer_length == 0) return WSAENOTCONN;
        socklen_t length = 0;
        if (int error = tr::to_linux(reinterpret_cast<ws::Sockaddr*>(&peer), peer_length, &destination, &length))
            return error;
        message.msg_name = &destination;
        message.msg_namelen = length;
    }
    int linux_flags = tr::linux_message_flags(flags) & ~MSG_WAITALL;
    size_t sent = 0;
    data_sent();
    for (;;) {
        ssize_t n = raw::sendmsg(descriptor_, &message, linux_flags | MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<size_t>(n);
            if (!is_stream(type_) || sent >= total) {
                *done = static_cast<DWORD>(sent);
                if (!bound()) bound_.store(true, std::memory_order_release);  // sendto binds
                return 0;
            }
            // A blocking send on Windows sends everything: go on with the rest.
            consume(&message, static_cast<size_t>(n));
            if (nonblocking_.load(std::memory_order_acquire)) {
                *done = static_cast<DWORD>(sent);
                return 0;
            }
            continue;
        }
        int error = errno;
        if (error == EINTR) continue;
        if (error == ECONNREFUSED && !is_stream(type_)) {
            // An ICMP "port unreachable" for an earlier datagram, meant for a receive.
            take_icmp_error();
            owe_reset();
            continue;
        }
        if (error == EDESTADDRREQ && !is_stream(type_)) return WSAENOTCONN;
        // A datagram too large: with IP_RECVERR Linux also queues the send's own EMSGSIZE,
        // which would leave the socket readable (POLLERR) with nothing to read, and a
        // blocking receive spinning; Windows tells the send only.
        if (error == EMSGSIZE && !is_stream(type_)) take_icmp_error();
        if (error != EAGAIN) return error_for(error);
        if (nonblocking_.load(std::memory_order_acquire)) {
            *done = static_cast<DWORD>(sent);
            events_reenable(ws::kFdWrite);  // FD_WRITE again once there is room
            return sent > 0 ? 0 : WSAEWOULDBLOCK;
        }
        if (int wait = wait_ready(POLLOUT, send_timeout_)) {
            *done = static_cast<DWORD>(sent);
            return wait;
        }
    }
}

int SocketDevice::shutdown(int how)
{
    if (how != ws::kSdReceive && how != ws::kSdSend && how != ws::kSdBoth) return WSAEINVAL;
    if (is_stream(type_) && !connected()) return WSAENOTCONN;
    // SD_RECEIVE is this socket's own flag: later receives fail with WSAESHUTDOWN (and
    // "has no effect on the lower protocol layers", Microsoft Learn, shutdown). Linux's
    // SHUT_RD would also end the receives already pending with 0 bytes, where Windows
    // completes them with the data that comes (Wine's sock.c test_shutdown).
    if (how == ws::kSdReceive) {
        receive_shut_.store(true, std::memory_order_release);
        return 0;
    }
    int linux_how = SHUT_WR;
    // The flags first: the event selection's watcher (another thread on the fallback
    // engine) sees Linux's POLLRDHUP as soon as the shutdown is made, and must already
    // know it is this side's own (stream_ended), not the peer's close.
    bool was_send_shut = send_shut_.load(std::memory_order_acquire);
    bool was_receive_shut = receive_shut_.load(std::memory_order_acquire);
    if (how != ws::kSdReceive) send_shut_.store(true, std::memory_order_release);
    if (how != ws::kSdSend) receive_shut_.store(true, std::memory_order_release);
    if (::shutdown(descriptor_, linux_how) != 0 && errno != ENOTCONN) {
        int error = errno;
        send_shut_.store(was_send_shut, std::memory_order_release);
        receive_shut_.store(was_receive_shut, std::memory_order_release);
        return tr::wsa_error(error);
    }
    return 0;
}

int SocketDevice::local_address(ws::Sockaddr* address, int* length)
{
    if (address == nullptr || length == nullptr) return WSAEFAULT;
    if (!bound_by_now()) return WSAEINVAL;
    sockaddr_storage linux_address;
    socklen_t linux_length = sizeof(linux_address);
    if (getsockname(descriptor_, reinterpret_cast<sockaddr*>(&linux_address), &linux_length) != 0)
        return tr::wsa_error(errno);
    return tr::to_windows(reinterpret_cast<sockaddr*>(&linux_address), linux_length, address, length);
}

int SocketDevice::peer_address(ws::Sockaddr* address, int* length)
{
    if (address == nullptr || length == nullptr) return WSAEFAULT;
    sockaddr_storage linux_address;
    socklen_t linux_length = sizeof(linux_address);
    if (getpeername(descriptor_, reinterpret_cast<sockaddr*>(&linux_address), &linux_length) == 0)
        return tr::to_windows(reinterpret_cast<sockaddr*>(&linux_address), linux_length, address, length);
    if (errno != ENOTCONN) return tr::wsa_error(errno);
    // Linux forgets the peer once both sides have shut the connection; Windows does not.
    // (A datagram socket's default peer is only known here: connect_datagram.) While a
    // connect() is under way Linux does not name it yet; Windows does.
    bool under_way = !connected() && connecting_.load(std::memory_order_acquire);  // (connected() sees it end)
    LockGuard guard(lock);
    if ((!connected_.load(std::memory_order_acquire) && !under_way) || peer_length_ == 0) return WSAENOTCONN;
    if (*length < peer_length_) return WSAEFAULT;
    memcpy(address, &peer_, static_cast<size_t>(peer_length_));
    *length = peer_length_;
    return 0;
}

// ---- select() and WSAPoll().
SocketDevice::Readiness SocketDevice::readiness()
{
    if (!is_stream(type_)) return Readiness::Datagram;
    if (listening()) return Readiness::Listening;
    if (connected()) return Readiness::Connected;  // also sees a non-blocking connect end
    if (connecting_.load(std::memory_order_acquire)) return Readiness::Connecting;
    if (connect_failed_.load(std::memory_order_acquire)) return Readiness::Failed;
    // Linux reports a stream socket never connected as writable and hung up; Windows
    // reports nothing for it.
    return Readiness::Unconnected;
}

bool SocketDevice::stream_ended(short revents)
{
    if (revents & POLLERR) return true;
    if (!(revents & (POLLRDHUP | POLLHUP))) return false;
    if (!receive_shut_.load(std::memory_order_acquire)) return true;
    tcp_info info{};
    socklen_t size = sizeof(info);
    if (getsockopt(descriptor_, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return true;  // not TCP
    switch (info.tcpi_state) {
    case TCP_CLOSE_WAIT:
    case TCP_LAST_ACK:
    case TCP_CLOSING:
    case TCP_TIME_WAIT:
    case TCP_CLOSE: return true;  // the peer's FIN (or a reset) came
    default: return false;
    }
}

bool SocketDevice::oob_inline() const
{
    int8_t known = oob_inline_.load(std::memory_order_relaxed);
    if (known >= 0) return known != 0;
    int on = 0;
    socklen_t size = sizeof(on);
    bool inline_data = getsockopt(descriptor_, SOL_SOCKET, SO_OOBINLINE, &on, &size) == 0 && on != 0;
    oob_inline_.store(inline_data ? 1 : 0, std::memory_order_relaxed);
    return inline_data;
}

bool SocketDevice::waiter_enter(kernel::ThreadState* self)
{
    if (closing()) return false;
    blocked_enter(self);
    return true;
}

void SocketDevice::waiter_leave(kernel::ThreadState* self) { blocked_leave(self); }

int wait_sockets(SocketWait* entries, size_t count, int timeout_ms)
{
    kernel::ThreadState* self = kernel::current_thread();
    ++self->wait_epoch;
    using Readiness = SocketDevice::Readiness;
    std::vector<pollfd> fds(count);
    std::vector<Readiness> kinds(count);
    // An entry whose descriptor reports only what its caller does not want (POLLERR and
    // POLLHUP are reported unasked) is not polled again in this call: poll() would
    // return at once, again and again.
    std::vector<uint8_t> muted(count, 0);
    timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    DWORD limit = timeout_ms < 0 ? INFINITE : static_cast<DWORD>(timeout_ms);
    int found = 0;
    bool interruptible = false;
    engine::InterruptWindow* window = nullptr;
    auto wait = [&]() -> DWORD {
        for (;;) {
            found = 0;
            for (size_t i = 0; i < count; ++i) {
                SocketWait& entry = entries[i];
                entry.ready = 0;
                fds[i] = pollfd{-1, 0, 0};
                if (entry.socket == nullptr) continue;
                if (entry.socket->closing()) {  // closesocket() from another thread
                    entry.ready = kReadyClosed;
                    ++found;
                    continue;
                }
                if (muted[i]) continue;
                Readiness kind = entry.socket->readiness();
                kinds[i] = kind;
                short events = 0;
                switch (kind) {
                case Readiness::Datagram:
                    if (entry.wanted & kReadyData) events |= POLLIN;
                    if (entry.wanted & kReadyWrite) events |= POLLOUT;
                    break;
                case Readiness::Listening:
                    if (entry.wanted & kReadyAccept) events |= POLLIN;
                    break;
                case Readiness::Connected:
                    // After this side's own shutdown(SD_RECEIVE) data that still comes
                    // says nothing (a receive fails), nor does anything until the peer's FIN.
                    if (!entry.socket->receive_shut() || entry.socket->stream_ended(POLLRDHUP)) {
                        if (entry.wanted & kReadyData) events |= POLLIN;
                        if (entry.wanted & kReadyEnd) events |= POLLRDHUP;
                    }
                    if ((entry.wanted & kReadyOob) && !entry.socket->oob_inline()) events |= POLLPRI;
                    if (entry.wanted & kReadyWrite) events |= POLLOUT;
                    break;
                case Readiness::Connecting: events = POLLOUT; break;  // to see it end
                case Readiness::Failed: entry.ready = kReadyFailed & entry.wanted; break;
                case Readiness::Unconnected: break;
                }
                if (entry.ready != 0) ++found;
                if (events != 0) fds[i] = pollfd{entry.socket->descriptor(), events, 0};
            }
            // What is left of the time (null: no limit); a last look, without waiting, once
            // something is found or the time is up.
            timespec left_time{0, 0};
            timespec* timeout = &left_time;
            bool last_look = found != 0 || !time_left(start, limit, &left_time, &timeout);
            if (last_look) timeout = &left_time;
            if (interruptible && self->apc_pending.load(std::memory_order_seq_cst) != 0) return io::kRunApcs;
            int ready = ppoll(fds.data(), fds.size(), timeout, window != nullptr ? window->during() : nullptr);
            if (ready < 0) {
                if (errno != EINTR) return static_cast<DWORD>(tr::wsa_error(errno));
                bool closed = false;  // closesocket() interrupted the wait: see it above
                for (size_t i = 0; i < count && !closed; ++i)
                    closed = entries[i].socket != nullptr && entries[i].socket->closing();
                if (!closed && io::sync_io_cancelled()) return WSAEINTR;
                continue;
            }
            bool changed = false;  // a connect ended: look again
            for (size_t i = 0; ready > 0 && i < count; ++i) {
                short got = fds[i].revents;
                if (got == 0) continue;
                SocketWait& entry = entries[i];
                uint8_t facts = 0;
                switch (kinds[i]) {
                case Readiness::Datagram:
                    if (got & (POLLIN | POLLERR)) facts |= kReadyData;  // a datagram, or an error to report
                    if (got & POLLOUT) facts |= kReadyWrite;
                    break;
                case Readiness::Listening:
                    if (got & POLLIN) facts |= kReadyAccept;
                    break;
                case Readiness::Connected:
                    if (got & (POLLRDHUP | POLLHUP | POLLERR)) {
                        if (entry.socket->stream_ended(got)) facts |= kReadyEnd;
                        // A reset: its error still pending (POLLERR), or already taken by
                        // a transfer or SO_ERROR.
                        if ((got & POLLERR) || entry.socket->was_reset()) facts |= kReadyReset;
                        // Past the end, readable means data still queued.
                        int available = 0;
                        if ((got & POLLIN) && (entry.wanted & kReadyData) &&
                            ioctl(fds[i].fd, FIONREAD, &available) == 0 && available > 0)
                            facts |= kReadyData;
                    } else if (got & POLLIN) {
                        facts |= kReadyData;
                    }
                    if (got & POLLPRI) facts |= kReadyOob;  // (asked only without SO_OOBINLINE)
                    if (got & POLLOUT) facts |= kReadyWrite;
                    break;
                case Readiness::Connecting: changed = true; break;
                default: break;
                }
                entry.ready = facts & entry.wanted;
                if (entry.ready != 0) ++found;
                else if (kinds[i] != Readiness::Connecting) muted[i] = 1;
            }
            // The time is up, but a connect just ended: one more look (the time stays up).
            if (found != 0 || (last_look && !changed)) return 0;
        }
    };
    if (timeout_ms == 0) {  // nothing to interrupt
        if (DWORD error = wait()) return -static_cast<int>(error);
        return found;
    }
    // Closing a socket interrupts the wait (Device::interrupt_blocked), which then
    // reports it as closed. The wait is alertable, as Windows' (Wine's sock.c
    // test_WSAPoll: an APC queued before WSAPoll runs during it): an APC ends the
    // request, runs, and the wait goes on for what is left of the time.
    std::vector<uint8_t> entered(count, 0);
    for (;;) {
        for (size_t i = 0; i < count; ++i) {
            SocketDevice* socket = entries[i].socket;
            entered[i] = 0;
            if (socket == nullptr) continue;
            LockGuard guard(socket->lock);
            entered[i] = socket->waiter_enter(self) ? 1 : 0;
        }
        DWORD error = io::run_synchronous(
            [&]() -> DWORD {
                engine::InterruptWindow interrupt_window;
                window = &interrupt_window;
                interruptible = true;
                DWORD result = wait();
                interruptible = false;
                window = nullptr;
                return result;
            },
            true);
        for (size_t i = 0; i < count; ++i) {
            if (!entered[i]) continue;
            LockGuard guard(entries[i].socket->lock);
            entries[i].socket->waiter_leave(self);
        }
        if (error == io::kRunApcs) {
            kernel::run_pending_apcs(self);
            continue;
        }
        if (error != 0) return -static_cast<int>(error);
        return found;
    }
}

// ---- overlapped requests.
DWORD SocketDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    SocketState* state = request->driver_state<SocketState>();
    engine::Op* op = &request->op;
    SocketRequest plain;
    ws::WsaBuf single{transfer.length, static_cast<CHAR*>(transfer.buffer)};
    const SocketRequest* asked = static_cast<const SocketRequest*>(transfer.driver_request);
    if (asked == nullptr) {  // ReadFile / WriteFile
        if (transfer.segments != nullptr) return ERROR_INVALID_PARAMETER;
        plain.operation = transfer.write ? SocketOperation::Send : SocketOperation::Receive;
        plain.buffers = &single;
        plain.buffer_count = 1;
        asked = &plain;
    }
    state->operation = asked->operation;
    state->phase = 0;
    state->from = nullptr;
    state->from_length = nullptr;
    state->wsa_message = asked->message;
    state->other = nullptr;
    state->deferred = nullptr;
    state->pieces = nullptr;
    state->piece_count = 0;
    op->descriptor = descriptor_;
    op->kind = engine::OpKind::Stream;
    request->done = 0;

    // After shutdown(SD_RECEIVE) a receive fails at once, overlapped or not (Microsoft
    // Learn, WSARecv: WSAESHUTDOWN), before the reset the synchronous receive checks next.
    if (asked->operation == SocketOperation::Receive && receive_shut_.load(std::memory_order_acquire))
        return WSAESHUTDOWN;
    // A datagram socket never bound cannot receive, overlapped or not (Microsoft Learn,
    // WSARecv and WSARecvFrom: WSAEINVAL, "The socket has not been bound").
    if (asked->operation == SocketOperation::Receive && !is_stream(type_) && !bound_by_now()) return WSAEINVAL;
    if ((asked->operation == SocketOperation::Receive || asked->operation == SocketOperation::Send) &&
        is_stream(type_) && reset_.load(std::memory_order_acquire))
        return WSAECONNRESET;
    switch (asked->operation) {
    case SocketOperation::Receive: {
        iovec* vectors = nullptr;
        bool control = asked->message != nullptr && asked->message->Control.len != 0;
        request->requested =
            copy_buffers(request, asked->buffers, asked->buffer_count, &vectors, control ? kControlVectors : 0);
        request->write = false;
        op->flags = tr::linux_message_flags(asked->flags);
        plan->lane = io::Lane::In;
        // Tried at once unless this thread found the stream empty and has not waited since
        // (it answered a request and posts its next receive: the peer has had no time to
        // send; the engine catches anything that did arrive).
        plan->attempt_now = !(is_stream(type_) && drained_by_this_thread());
        if (!is_stream(type_) && take_owed_reset()) {
            // A reset a send took from the socket (owe_reset): this receive reports it.
            // (The operation is still filled in below, should it have to run after all.)
            plan->done_now = true;
            plan->result = -ECONNREFUSED;
            state->phase = 1;
        }
        if (request->requested == 0 && is_stream(type_) && asked->message == nullptr) {
            // A zero-byte receive: done when data (or the end) is there, nothing read.
            op->code = engine::OpCode::Poll;
            op->flags = POLLIN | POLLRDHUP;
            return ERROR_SUCCESS;
        }
        op->code = engine::OpCode::Receive;
        bool wants_address = asked->address != nullptr || (asked->message != nullptr && asked->message->name != nullptr);
        if (asked->buffer_count == 1 && !wants_address && asked->message == nullptr && is_stream(type_)) {
            op->buffer = vectors[0].iov_base;
            op->length = static_cast<uint32_t>(vectors[0].iov_len);
            return ERROR_SUCCESS;
        }
        state->message = msghdr{};
        state->message.msg_iov = vectors;
        state->message.msg_iovlen = asked->buffer_count;
        if (wants_address) {
            state->message.msg_name = &state->address;
            state->message.msg_namelen = sizeof(state->address);
            state->from = asked->address;
            state->from_length = asked->address_length;
        }
        if (control) {
            state->message.msg_control = vectors + (asked->buffer_count == 0 ? 1 : asked->buffer_count);
            state->message.msg_controllen = kControlRoom;
        }
        op->message = &state->message;
        return ERROR_SUCCESS;
    }
    case SocketOperation::Send: {
        data_sent();
        iovec* vectors = nullptr;
        bool control = asked->message != nullptr && asked->message->Control.len != 0;
        request->requested =
            copy_buffers(request, asked->buffers, asked->buffer_count, &vectors, control ? kControlVectors : 0);
        request->write = true;
        op->code = engine::OpCode::Send;
        // All of it, as Windows completes an overlapped send (io_uring retries short sends
        // of a stream with MSG_WAITALL; step() continues the others).
        op->flags = (tr::linux_message_flags(asked->flags) & ~MSG_WAITALL) | (is_stream(type_) ? MSG_WAITALL : 0);
        plan->lane = io::Lane::Out;
        plan->attempt_now = true;
        bool has_destination = asked->destination != nullptr && !is_stream(type_);
        // A datagram without a destination goes to the default peer (connect_datagram).
        bool to_peer = !has_destination && !is_stream(type_) && family_ != ws::kAfUnix;
        if (to_peer && peer_length_ == 0) return WSAENOTCONN;
        if (asked->buffer_count == 1 && !has_destination && !to_peer && !control) {
            op->buffer = vectors[0].iov_base;
            op->length = static_cast<uint32_t>(vectors[0].iov_len);
            return ERROR_SUCCESS;
        }
        state->message = msghdr{};
        state->message.msg_iov = vectors;
        state->message.msg_iovlen = asked->buffer_count;
        if (control) {
            // WSASendMsg's packet information, as Linux's, after the request's iovecs.
            auto* room = reinterpret_cast<unsigned char*>(vectors + (asked->buffer_count == 0 ? 1 : asked->buffer_count));
            size_t length = 0;
            if (int error =
                    send_control(descriptor_, traffic_class_, asked->message->Control, room, kControlRoom, &length))
                return static_cast<DWORD>(error);
            state->message.msg_control = room;
            state->message.msg_controllen = length;
        }
        if (has_destination || to_peer) {
            socklen_t length = 0;
            if (int error = has_destination ? tr::to_linux(asked->destination, asked->destination_length,
                                                           &state->address, &length)
                                            : tr::to_linux(reinterpret_cast<const ws::Sockaddr*>(&peer_),
                                                           peer_length_, &state->address, &length))
                return static_cast<DWORD>(error);
            state->message.msg_name = &state->address;
            state->message.msg_namelen = length;
        }
        op->message = &state->message;
        return ERROR_SUCCESS;
    }
    case SocketOperation::Accept: {
        state->other = asked->accept_socket;
        state->other->add_reference();
        state->output = static_cast<char*>(asked->output);
        state->receive_length = asked->receive_length;
        state->local_length = asked->local_length;
        state->remote_length = asked->remote_length;
        request->requested = asked->receive_length;
        // An address area too small for the address (in the layout GetAcceptExSockaddrs
        // reads) does not fail the call: Windows fails the request with
        // STATUS_BUFFER_TOO_SMALL when a connection comes, and leaves that connection
        // for the next accept (Wine's sock.c test_AcceptEx). A local area of 0 bytes is
        // allowed: the local address is then not written.
        DWORD need = static_cast<DWORD>(kAcceptAddressOffset +
                                        (family_ == ws::kAfInet6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in)));
        if ((asked->local_length != 0 && asked->local_length < need) || asked->remote_length < need) {
            state->phase = kAcceptTooSmall;
            op->code = engine::OpCode::Poll;
            op->flags = POLLIN;
            return ERROR_SUCCESS;
        }
        op->code = engine::OpCode::Accept;
        op->address = &state->address;
        op->address_length = sizeof(state->address);
        if (deferred_ != nullptr) {
            // A connection WSAAccept deferred (CF_DEFER) is the first of the queue: the
            // AcceptEx takes it, as accept() would (Wine's sock.c test_AcceptEx, "Test
            // CF_DEFER & AcceptEx interaction"). Its device has no handle: nothing else
            // touches its descriptor; the device goes in finish().
            int descriptor = fcntl(deferred_->descriptor_, F_DUPFD_CLOEXEC, 0);
            socklen_t length = sizeof(state->address);
            if (descriptor >= 0 &&
                getpeername(descriptor, reinterpret_cast<sockaddr*>(&state->address), &length) == 0) {
                state->deferred = deferred_;
                deferred_ = nullptr;
                op->address_length = length;
                plan->done_now = true;
                plan->success_pends = true;  // pending all the same, as Windows' test shows
                plan->result = descriptor;
            } else if (descriptor >= 0) {
                ::close(descriptor);  // its peer has gone: the engine's accept takes the next
            }
        }
        return ERROR_SUCCESS;
    }
    case SocketOperation::Connect: {
        socklen_t length = 0;
        if (int error = tr::to_linux(asked->destination, asked->destination_length, &state->address, &length))
            return static_cast<DWORD>(error);
        op->code = engine::OpCode::Connect;
        op->address = &state->address;
        op->address_length = length;
        events_connect_started();  // under the lock here
        state->output = static_cast<char*>(asked->output);  // the data to send once connected
        request->requested = asked->receive_length;          // its length
        request->write = true;
        return ERROR_SUCCESS;
    }
    case SocketOperation::Disconnect: {
        // Done at once: the send side is shut (the peer reads the end); with
        // TF_REUSE_SOCKET the socket gets a fresh descriptor for AcceptEx/ConnectEx.
        // Reported pending all the same, as Windows always does (Wine's sock.c
        // test_shutdown_completion_port: ERROR_IO_PENDING, then the port's packet even
        // with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS).
        plan->done_now = true;
        plan->success_pends = true;
        plan->result = 0;
        if (!connected()) {
            plan->result = -ENOTCONN;
            return ERROR_SUCCESS;
        }
        if (::shutdown(descriptor_, SHUT_WR) != 0 && errno != ENOTCONN) plan->result = -errno;
        send_shut_.store(true, std::memory_order_release);
        state->transmit_flags = asked->flags;
        return ERROR_SUCCESS;
    }
    case SocketOperation::TransmitFile: {
        // Refused at once, as Windows does (Microsoft Learn, TransmitFile: error table;
        // Wine's sock.c test_TransmitFile): an unconnected socket, TF_REUSE_SOCKET
        // without TF_DISCONNECT, a socket whose sending side is shut, a file offset past
        // the end of the file.
        if (!connected()) return WSAENOTCONN;
        if ((asked->flags & ws::kTfReuseSocket) && !(asked->flags & ws::kTfDisconnect)) return WSAEINVAL;
        if (send_shut_.load(std::memory_order_acquire)) return WSAESHUTDOWN;
        for (DWORD i = 0; i < asked->piece_count; ++i) {
            const TransmitPiece& piece = asked->pieces[i];
            struct stat status;
            if (piece.file >= 0 && piece.offset > 0 && fstat(piece.file, &status) == 0 && piece.offset > status.st_size)
                return WSAEINVAL;
        }
        asked->pieces_taken = true;
        state->pieces = asked->pieces;
        state->piece_count = asked->piece_count;
        state->piece_index = 0;
        state->transmit_flags = asked->flags;
        state->chunk = asked->chunk;
        request->write = true;
        request->requested = 0;
        plan->lane = io::Lane::Out;
        // step() starts the first piece (phase 0: nothing sent yet).
        plan->done_now = true;
        plan->result = 0;
        return ERROR_SUCCESS;
    }
    case SocketOperation::Control:
        plan->done_now = true;
        plan->result = static_cast<int>(asked->control_bytes);
        state->control_error = asked->control_error;
        // A code the driver does not know: accepted, then failed (winsock_sockets.cpp).
        plan->deliver_failure = asked->control_error == ERROR_NOT_SUPPORTED;
        return ERROR_SUCCESS;
    }
    return ERROR_INVALID_PARAMETER;
}

namespace {

// A step of a send (Send, ConnectEx's data, TransmitFile's head and tail): counts what
// went, and asks for the rest of a stream's data. True if the data is all sent.
bool send_progress(engine::Op* op, bool stream, DWORD* sent_total)
{
    size_t sent = static_cast<size_t>(op->result);
    *sent_total += static_cast<DWORD>(sent);
    size_t left = engine::requested_length(op);
    if (op->message != nullptr) {
        left = 0;
        for (size_t i = 0; i < op->message->msg_iovlen; ++i) left += op->message->msg_iov[i].iov_len;
    }
    if (!stream || sent >= left) return true;
    advance(op, sent);
    return false;
}

}  // namespace

io::Next SocketDevice::step(io::Request* request, io::Outcome* outcome)
{
    SocketState* state = request->driver_state<SocketState>();
    engine::Op* op = &request->op;
    int result = op->result;
    outcome->bytes = request->done;
    auto fail = [&](int error) {
        if (error == ECONNRESET) reset_.store(true, std::memory_order_release);
        outcome->status = error == EPIPE && send_shut_.load(std::memory_order_acquire) ? STATUS_PIPE_DISCONNECTED
                                                                                        : socket_status_from_errno(error);
        // A transfer cut off by closing the socket reports the connection aborted (as
        // Windows); CancelIo(Ex) and AcceptEx keep "operation aborted".
        if (error == ECANCELED && closing_.load(std::memory_order_acquire) &&
            (state->operation == SocketOperation::Receive || state->operation == SocketOperation::Send))
            outcome->status = STATUS_CONNECTION_ABORTED;
        outcome->bytes = request->done;
        return io::Next::Done;
    };
    auto succeed = [&](DWORD status = STATUS_SUCCESS) {
        outcome->status = status;
        outcome->bytes = request->done;
        return io::Next::Done;
    };

    switch (state->operation) {
    case SocketOperation::Receive: {
        data_received();
        if (op->code == engine::OpCode::Poll && state->phase == 2) {  // an urgent byte came (or the end)
            state->phase = 0;
            op->code = engine::OpCode::Receive;
            op->flags = state->receive_flags;
            if (result < 0) return fail(-result);
            return io::Next::Engine;
        }
        if (op->code == engine::OpCode::Poll) {  // a zero-byte receive
            if (result < 0) return fail(-result);
            if (result & POLLERR) {
                int error = 0;
                socklen_t size = sizeof(error);
                getsockopt(op->descriptor, SOL_SOCKET, SO_ERROR, &error, &size);
                if (error != 0) return fail(error);
            }
            return succeed();
        }
        if (result < 0) {
            if (!is_stream(type_) && icmp_error(-result)) {
                // The socket's pending ICMP error, for an earlier datagram (its queue entry
                // goes with it; phase 1: a reset owe_reset() kept, already off the
                // queue). Windows ends the receive with STATUS_PORT_UNREACHABLE (a port's
                // packet says ERROR_PORT_UNREACHABLE, Winsock calls it WSAECONNRESET), or
                // reports nothing once SIO_UDP_CONNRESET is off.
                if (state->phase == 0) take_icmp_error();
                state->phase = 0;
                if (result != -ECONNREFUSED) return fail(-result);
                if (!udp_connreset_.load(std::memory_order_acquire)) return io::Next::Attempt;
                outcome->status = STATUS_PORT_UNREACHABLE;
                outcome->bytes = 0;
                return io::Next::Done;
            }
            if (result == -EINVAL && urgent_byte_awaited(op->flags)) {
                // An MSG_OOB receive with no urgent byte yet (Linux's EINVAL) waits for
                // one: ordinary data does not end it.
                await_urgent_byte(state, op);
                return io::Next::Engine;
            }
            return fail(-result);
        }
        request->done += static_cast<uint32_t>(result);
        if (is_stream(type_) && (op->flags & MSG_WAITALL) && result > 0 && request->done < request->requested) {
            advance(op, static_cast<size_t>(result));
            return io::Next::Engine;
        }
        // Less than asked for: the stream is empty now, as far as this thread knows.
        if (is_stream(type_) && result > 0 && request->done < request->requested && !(op->flags & MSG_PEEK))
            note_drained();
        DWORD windows_flags = 0;
        DWORD status = STATUS_SUCCESS;
        if (op->message != nullptr) {
            msghdr* message = op->message;
            windows_flags = tr::windows_receive_flags(message->msg_flags);
            if ((message->msg_flags & MSG_TRUNC) && !is_stream(type_)) status = STATUS_BUFFER_OVERFLOW;
            if (state->from != nullptr && state->from_length != nullptr && message->msg_namelen > 0)
                tr::to_windows(reinterpret_cast<sockaddr*>(&state->address), message->msg_namelen, state->from,
                               state->from_length);
            if (ws::WsaMsg* wsa = state->wsa_message) {
                if (wsa->name != nullptr && message->msg_namelen > 0) {
                    int length = wsa->namelen;
                    if (tr::to_windows(reinterpret_cast<sockaddr*>(&state->address), message->msg_namelen, wsa->name,
                                       &length) == 0)
                        wsa->namelen = length;
                }
                wsa->dwFlags = tr::windows_message_flags(message->msg_flags);
                // Control data: what the options Windows has ask for (packet information,
                // TTL, TOS, hop limit, traffic class, the ECN bits, a coalesced receive's
                // segment size), in Windows' layout, each value an INT (Wine's sock.c
                // test_ipv4_cmsg, test_ipv6_cmsg; Microsoft Learn, "Winsock explicit
                // congestion notification"); nothing else is passed on.
                ULONG written = 0;
                // One Windows object into the caller's buffer; false once it is full
                // (MSG_CTRUNC; nothing more is written).
                auto emit = [&](int level, int type, const void* data, size_t data_length) {
                    size_t header = (sizeof(ws::WsaCmsgHdr) + 7) & ~size_t(7);
                    size_t space = header + ((data_length + 7) & ~size_t(7));
                    if (written + space > wsa->Control.len) {
                        wsa->dwFlags |= ws::kMsgCtrunc;
                        return false;
                    }
                    ws::WsaCmsgHdr out_header{header + data_length, level, type};
                    memcpy(wsa->Control.buf + written, &out_header, sizeof(out_header));
                    memcpy(wsa->Control.buf + written + header, data, data_length);
                    written += static_cast<ULONG>(space);
                    return true;
                };
                bool room = true;
                for (cmsghdr* c = message->msg_controllen != 0 ? CMSG_FIRSTHDR(message) : nullptr;
                     c != nullptr && room; c = CMSG_NXTHDR(message, c)) {
                    size_t payload = c->cmsg_len > CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;
                    // Linux gives an int, or one byte for IP_TOS.
                    int number = 0;
                    if (payload >= sizeof(int))
                        memcpy(&number, CMSG_DATA(c), sizeof(int));
                    else if (payload >= 1)
                        number = *CMSG_DATA(c);
                    // The traffic-class byte serves two Windows options (socket.h): the
                    // whole byte unless only the ECN bits were asked for, and those bits.
                    auto traffic_class = [&](int level, int whole_type, bool whole, int ecn_type, bool ecn) {
                        if (whole || !ecn) room = emit(level, whole_type, &number, sizeof(number));
                        int bits = number & 3;
                        if (room && ecn) room = emit(level, ecn_type, &bits, sizeof(bits));
                    };
                    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
                        room = emit(ws::kIpprotoIp, ws::kIpTtl, &number, sizeof(number));
                    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
                        traffic_class(ws::kIpprotoIp, ws::kIpTos, receive_tos_.load(std::memory_order_relaxed),
                                      ws::kIpEcn, receive_ecn_.load(std::memory_order_relaxed));
                    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
                        room = emit(ws::kIpprotoIpv6, ws::kIpv6HopLimit, &number, sizeof(number));
                    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
                        traffic_class(ws::kIpprotoIpv6, ws::kIpv6Tclass, receive_tclass_.load(std::memory_order_relaxed),
                                      ws::kIpv6Ecn, receive_ecn6_.load(std::memory_order_relaxed));
                    } else if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO) {
                        // Coalesced datagrams (UDP_RECV_MAX_COALESCED_SIZE): the size of
                        // each but the last, as a DWORD.
                        DWORD segment = static_cast<DWORD>(number);
                        room = emit(ws::kIpprotoUdp, ws::kUdpCoalescedInfo, &segment, sizeof(segment));
                    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                        const auto* info = reinterpret_cast<const in_pktinfo*>(CMSG_DATA(c));
                        ws::InPktInfo out{};
                        out.ipi_addr.value = info->ipi_addr.s_addr;
                        out.ipi_ifindex = static_cast<ULONG>(info->ipi_ifindex);
                        room = emit(ws::kIpprotoIp, ws::kIpPktInfo, &out, sizeof(out));
                    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
                        const auto* info = reinterpret_cast<const in6_pktinfo*>(CMSG_DATA(c));
                        ws::In6PktInfo out{};
                        memcpy(&out.ipi6_addr, &info->ipi6_addr, sizeof(out.ipi6_addr));
                        out.ipi6_ifindex = info->ipi6_ifindex;
                        room = emit(ws::kIpprotoIpv6, ws::kIpv6PktInfo, &out, sizeof(out));
                    }
                }
                wsa->Control.len = written;
                // Control data cut short fails the call like a cut datagram (WSAEMSGSIZE),
                // with MSG_CTRUNC in dwFlags (Wine's sock.c test_ipv4_cmsg).
                if (wsa->dwFlags & ws::kMsgCtrunc) status = STATUS_BUFFER_OVERFLOW;
            }
        }
        // The flags reach WSAGetOverlappedResult through the OVERLAPPED (Offset is unused
        // by socket requests), as Windows keeps them with the request.
        request->overlapped->Offset = windows_flags;
        outcome->flags = windows_flags;
        return succeed(status);
    }
    case SocketOperation::Send: {
        if (result == -ECONNREFUSED && !is_stream(type_)) {
            // An ICMP "port unreachable" for an earlier datagram, meant for a receive.
            take_icmp_error();
            owe_reset();
            return io::Next::Attempt;
        }
        if (result == -EDESTADDRREQ && !is_stream(type_)) return fail(ENOTCONN);
        if (result == -EMSGSIZE && !is_stream(type_)) take_icmp_error();  // as in send()
        if (result < 0) return fail(-result);
        DWORD sent = request->done;
        bool all = send_progress(op, is_stream(type_), &sent);
        request->done = sent;
        if (!all) return io::Next::Engine;
        // This thread answered on the stream: the peer has had no time to send again
        // (io/drain.h), whether or not the last receive emptied the stream.
        if (is_stream(type_) && request->attempted) note_drained();
        request->overlapped->Offset = 0;  // a send's flags, for a Winsock completion routine
        return succeed();
    }
    case SocketOperation::Accept: {
        if (state->phase == kAcceptTooSmall) {
            // A connection is waiting: the request fails, the connection stays queued.
            if (result < 0) return fail(-result);
            outcome->status = STATUS_BUFFER_TOO_SMALL;
            outcome->bytes = 0;
            return io::Next::Done;
        }
        if (state->phase == 0) {
            if (result < 0) return fail(-result);
            state->other->replace_descriptor(result, true, &state->address, op->address_length);
            // The peer's address length is kept in the (unused) message header.
            state->message.msg_namelen = op->address_length;
            state->phase = 1;
            if (state->receive_length > 0) {
                // With a first receive, AcceptEx completes once data is there.
                restart(op, engine::OpCode::Receive, result);
                op->buffer = state->output;
                op->length = state->receive_length;
                return io::Next::Attempt;
            }
            result = 0;
        } else if (result < 0) {
            return fail(-result);
        }
        request->done = static_cast<uint32_t>(result);
        // The two addresses, after the data.
        sockaddr_storage local;
        socklen_t local_length = accepted_local_address(state->other->descriptor_, &local);
        char* areas = state->output + state->receive_length;
        write_accept_address(areas, state->local_length, reinterpret_cast<sockaddr*>(&local), local_length);
        write_accept_address(areas + state->local_length, state->remote_length,
                             reinterpret_cast<sockaddr*>(&state->address), state->message.msg_namelen);
        return succeed();
    }
    case SocketOperation::Connect: {
        if (state->phase == 0) {
            if (result < 0) {
                // Windows lets the program call ConnectEx (or connect) again after a failed
                // one. Linux does too, but a socket whose failure was learnt by polling it
                // (the fallback engine) still counts as connecting, and its next connect()
                // fails with ECONNABORTED: dissolving the attempt (AF_UNSPEC) resets that.
                dissolve_failed_connect();
                if (result != -ECANCELED) {
                    LockGuard guard(lock);
                    events_connect_finished(tr::wsa_error(-result));
                }
                return fail(-result);
            }
            connected_.store(true, std::memory_order_release);
            extension_connected_.store(true, std::memory_order_release);
            connect_time_ = tr::monotonic_seconds();
            remember_peer();
            {
                LockGuard guard(lock);
                events_connect_finished(0);
            }
            state->phase = 1;
            if (request->requested == 0) return succeed();
            restart(op, engine::OpCode::Send, descriptor_);
            op->buffer = state->output;
            op->length = request->requested;
            op->flags = MSG_WAITALL;
            return io::Next::Attempt;
        }
        if (result < 0) return fail(-result);
        DWORD sent = request->done;
        bool all = send_progress(op, true, &sent);
        request->done = sent;
        return all ? succeed() : io::Next::Engine;
    }
    case SocketOperation::Disconnect: {
        if (result < 0) return fail(-result);
        if (state->transmit_flags & ws::kTfReuseSocket) {
            if (int error = renew_descriptor()) {
                outcome->status = ntstatus_from_win32_error(static_cast<DWORD>(error));
                return io::Next::Done;
            }
        }
        return succeed();
    }
    case SocketOperation::TransmitFile: return transmit_step(request, outcome);
    case SocketOperation::Control:
        if (state->control_error != 0) {
            outcome->status = ntstatus_from_win32_error(static_cast<DWORD>(state->control_error));
            outcome->bytes = 0;
            return io::Next::Done;
        }
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = static_cast<DWORD>(result);
        return io::Next::Done;
    }
    return succeed();
}

// The fast I/O path (io/device.h): a stream's receive or send of one buffer with no flags
// (WSARecv, WSASend, ReadFile, WriteFile). Anything else, a socket that was reset, or a
// receive right after this thread found the stream empty (the hint prepare() follows),
// takes the request path.
namespace {

// The one buffer of a plain receive or send, or false.
bool plain_buffer(const io::Transfer& transfer, void** buffer, DWORD* length)
{
    const auto* asked = static_cast<const SocketRequest*>(transfer.driver_request);
    if (asked == nullptr) {
        *buffer = transfer.buffer;
        *length = transfer.length;
        return true;
    }
    if (asked->operation != (transfer.write ? SocketOperation::Send : SocketOperation::Receive)) return false;
    if (asked->buffer_count != 1 || asked->flags != 0 || asked->message != nullptr || asked->address != nullptr ||
        asked->destination != nullptr)
        return false;
    *buffer = asked->buffers[0].buf;
    *length = asked->buffers[0].len;
    return true;
}

}  // namespace

bool SocketDevice::fast_ready(const io::Transfer& transfer, io::FastIo* io)
{
    if (!is_stream(type_) || !plain_buffer(transfer, &io->buffer, &io->length) || io->length == 0) return false;
    if (reset_.load(std::memory_order_acquire) || descriptor_ < 0) return false;
    if (!transfer.write && (drained_by_this_thread() || receive_shut_.load(std::memory_order_acquire))) return false;
    io->descriptor = descriptor_;
    return true;
}

bool SocketDevice::fast_transfer(const io::Transfer& transfer, io::FastIo* io)
{
    DWORD length = io->length;
    ssize_t n;
    if (transfer.write) {
        data_sent();
        n = raw::send(io->descriptor, io->buffer, length, MSG_DONTWAIT | MSG_NOSIGNAL);
    } else {
        n = raw::recv(io->descriptor, io->buffer, length, MSG_DONTWAIT);
        data_received();
    }
    // Not all of a send, the end of the stream, an error, nothing there: the request path
    // goes on from this try (its first step sees the result), with the lane still held.
    io->result = n >= 0 ? static_cast<int>(n) : errno == EWOULDBLOCK ? -EAGAIN : -errno;
    if (n <= 0 || (transfer.write && static_cast<DWORD>(n) != length)) return false;
    if (!transfer.write) {
        if (static_cast<DWORD>(n) < length) note_drained();  // less than asked for: empty now
        events_reenable(ws::kFdRead | ws::kFdOob);            // as a receive's finish()
    } else {
        note_drained();  // this thread answered: the peer has had no time to send (step())
    }
    // WSAGetOverlappedResult's flags (none), as step() leaves them for a Winsock request.
    if (transfer.driver_request != nullptr) io->overlapped->Offset = 0;
    io->status = STATUS_SUCCESS;
    io->bytes = static_cast<DWORD>(n);
    return true;
}

void SocketDevice::finish(io::Request* request)
{
    SocketState* state = request->driver_state<SocketState>();
    // WSARecv and AcceptEx re-enable FD_READ/FD_OOB and FD_ACCEPT, as recv and accept do.
    if (state->operation == SocketOperation::Receive) events_reenable(ws::kFdRead | ws::kFdOob, true);
    if (state->operation == SocketOperation::Accept) events_reenable(ws::kFdAccept);
    if (state->other != nullptr) {
        state->other->release_accept_claim();
        state->other->release_reference();
        state->other = nullptr;
    }
    if (state->deferred != nullptr) {
        state->deferred->release_reference();
        state->deferred = nullptr;
    }
    if (state->operation == SocketOperation::Connect) release_connect_claim();
    if (state->pieces != nullptr) {
        for (DWORD i = 0; i < state->piece_count; ++i)
            if (state->pieces[i].file_object != nullptr) state->pieces[i].file_object->release_reference();
        delete[] state->pieces;
        state->pieces = nullptr;
    }
}

// The pieces of a TransmitFile/TransmitPackets: memory goes as Send operations (tried
// at once, then the engine), files with sendfile(2) from the page cache to the socket
// (no copy through user memory) whenever the socket is writable (a Poll operation waits
// for that). Then TF_DISCONNECT / TF_REUSE_SOCKET.
io::Next SocketDevice::transmit_step(io::Request* request, io::Outcome* outcome)
{
    enum : uint8_t { kStart, kMemory, kFile, kPeerClose };
    SocketState* state = request->driver_state<SocketState>();
    engine::Op* op = &request->op;
    auto fail = [&](int error) {
        outcome->status = error == EPIPE && send_shut_.load(std::memory_order_acquire) ? STATUS_PIPE_DISCONNECTED
                                                                                        : socket_status_from_errno(error);
        outcome->bytes = request->done;
        return io::Next::Done;
    };
    auto reuse = [&]() {
        outcome->status = STATUS_SUCCESS;
        if (int error = renew_descriptor()) outcome->status = ntstatus_from_win32_error(static_cast<DWORD>(error));
        outcome->bytes = request->done;
        return io::Next::Done;
    };
    if (state->phase == kPeerClose) {
        // TF_DISCONNECT | TF_REUSE_SOCKET on a stream: the request ends once the peer has
        // closed its side too (Microsoft Learn, TransmitFile remarks). What it still sends
        // before its FIN is read here and dropped: the connection is being given up, and
        // a poll for the FIN alone would fire again and again while data waits unread.
        if (op->result < 0) return fail(-op->result);
        char scratch[2048];
        for (;;) {
            ssize_t n = recv(descriptor_, scratch, sizeof(scratch), MSG_DONTWAIT);
            if (n > 0) continue;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return io::Next::Engine;
            break;  // the end of the stream (or the connection is gone)
        }
        return reuse();
    }
    if (state->phase == kMemory) {  // a piece of memory was (partly) sent
        if (op->result < 0) return fail(-op->result);
        DWORD sent = request->done;
        bool all = send_progress(op, true, &sent);
        request->done = sent;
        if (!all) return io::Next::Engine;
        ++state->piece_index;
        state->phase = kStart;
    } else if (state->phase == kFile && op->result < 0) {  // waiting for room failed
        return fail(-op->result);
    }
    for (;;) {
        if (state->phase == kFile) {
            while (state->file_remaining > 0) {
                size_t want = static_cast<size_t>(std::min<uint64_t>(state->file_remaining, 1u << 30));
                if (state->chunk != 0 && want > state->chunk) want = state->chunk;
                off_t position = static_cast<off_t>(state->file_offset);
                ssize_t n = sendfile(descriptor_, state->file, state->file_offset < 0 ? nullptr : &position, want);
                if (n > 0) {
                    request->done += static_cast<uint32_t>(n);
                    state->file_remaining -= static_cast<uint64_t>(n);
                    if (state->file_offset >= 0) state->file_offset = position;
                    continue;
                }
                if (n == 0) break;  // the end of the file came first
                if (errno == EINTR) continue;
                if (errno != EAGAIN) return fail(errno);
                restart(op, engine::OpCode::Poll, descriptor_);
                op->flags = POLLOUT;
                return io::Next::Engine;
            }
            ++state->piece_index;
            state->phase = kStart;
        }
        if (state->piece_index >= state->piece_count) break;
        const TransmitPiece& piece = state->pieces[state->piece_index];
        if (piece.file < 0) {
            if (piece.memory == nullptr || piece.length == 0) {
                ++state->piece_index;
                continue;
            }
            restart(op, engine::OpCode::Send, descriptor_);
            op->buffer = const_cast<void*>(piece.memory);
            op->length = piece.length;
            op->flags = MSG_WAITALL;
            state->phase = kMemory;
            return io::Next::Attempt;
        }
        state->file = piece.file;
        state->file_offset = piece.offset;
        state->file_remaining = piece.length;
        if (piece.length == 0) {  // to the end of the file
            struct stat status;
            off_t from = piece.offset >= 0 ? piece.offset : lseek(piece.file, 0, SEEK_CUR);
            if (fstat(piece.file, &status) != 0) return fail(errno);
            state->file_remaining = status.st_size > from ? static_cast<uint64_t>(status.st_size - from) : 0;
        }
        state->phase = kFile;
    }
    if (state->transmit_flags & (ws::kTfDisconnect | ws::kTfReuseSocket)) {
        ::shutdown(descriptor_, SHUT_WR);
        send_shut_.store(true, std::memory_order_release);
    }
    if (state->transmit_flags & ws::kTfReuseSocket) {
        if (!is_stream(type_)) return reuse();
        state->phase = kPeerClose;
        restart(op, engine::OpCode::Poll, descriptor_);
        op->flags = POLLIN | POLLRDHUP;
        return io::Next::Attempt;
    }
    outcome->status = STATUS_SUCCESS;
    outcome->bytes = request->done;
    return io::Next::Done;
}

DWORD SocketDevice::transfer_sync(const io::Transfer& transfer, bool, DWORD* done)
{
    ws::WsaBuf buffer{transfer.length, static_cast<CHAR*>(transfer.buffer)};
    int error = transfer.write ? send(&buffer, 1, 0, nullptr, 0, done)
                               : receive(&buffer, 1, 0, nullptr, nullptr, done, nullptr);
    return static_cast<DWORD>(error);
}

}  // namespace overlapped::drivers
