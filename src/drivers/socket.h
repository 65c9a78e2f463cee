// socket.h: the socket driver: Winsock sockets on Linux sockets.
//
// A socket is a device (io::Device) like a file: its handle works with
// CreateIoCompletionPort, ReadFile/WriteFile, CancelIoEx, WaitForSingleObject and
// DuplicateHandle. Its Linux descriptor is always non-blocking; Winsock's blocking calls
// wait with poll() (interruptible: CancelSynchronousIo, closesocket from another
// thread), its overlapped requests go through the I/O manager (a receive with data
// queued, or a send with room, finishes in the calling thread; the rest in the engine).
// Receives and sends are lanes (io/device.h): in order, one in the engine at a time.
//
// This header uses no Linux socket types (the Win32 layer includes it beside
// <winsock2.h>): addresses cross it in Windows' layout (ws::Sockaddr...), errors are WSA
// codes (0 for success), options and flags Windows' values.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include <windows.h>

#include "drivers/winsock_abi.h"
#include "io/device.h"
#include "io/drain.h"

namespace overlapped::drivers {

class SocketDevice;

// Winsock's registered I/O keeps a request queue per socket (win32/winsock_rio.cpp): the
// socket tells it when it is recycled (its handle closed, its requests delivered).
class RioQueueLink {
public:
    virtual void socket_gone() = 0;

protected:
    ~RioQueueLink() = default;
};

// What an overlapped socket request asks (io::Transfer::driver_request).
enum class SocketOperation : uint8_t {
    Receive,       // WSARecv, WSARecvFrom, WSARecvMsg, ReadFile
    Send,          // WSASend, WSASendTo, WSASendMsg, WriteFile
    Accept,        // AcceptEx (on the listener)
    Connect,       // ConnectEx
    Disconnect,    // DisconnectEx
    TransmitFile,  // TransmitFile, TransmitPackets
    Control,       // WSAIoctl with an OVERLAPPED: done at once
};

// One piece of a TransmitFile/TransmitPackets: memory, or a range of a file.
struct TransmitPiece {
    const void* memory = nullptr;
    uint32_t length = 0;             // memory: bytes; file: bytes, 0 to the end of the file
    int file = -1;                   // a file's descriptor, or -1 for memory
    int64_t offset = 0;              // file: where to start; -1: the file pointer (moved on)
    kernel::Object* file_object = nullptr;  // a reference that keeps the file open
};

struct SocketRequest {
    SocketOperation operation = SocketOperation::Receive;
    const ws::WsaBuf* buffers = nullptr;  // Receive / Send: copied at submission
    DWORD buffer_count = 0;
    DWORD flags = 0;                      // MSG_* (Windows) for Receive / Send; TF_* for
                                          // Disconnect, TransmitFile
    // Receive: where the sender's address and its length go (WSARecvFrom), written when
    // the request finishes; Send: the destination (WSASendTo); Connect: the peer.
    ws::Sockaddr* address = nullptr;
    int* address_length = nullptr;
    const ws::Sockaddr* destination = nullptr;
    int destination_length = 0;
    ws::WsaMsg* message = nullptr;  // WSARecvMsg / WSASendMsg
    // Accept: the socket the connection goes to, the output buffer and its parts.
    SocketDevice* accept_socket = nullptr;
    void* output = nullptr;
    DWORD receive_length = 0;
    DWORD local_length = 0;
    DWORD remote_length = 0;
    // TransmitFile / TransmitPackets: the pieces, in order (an array made with new[]
    // that the request owns from submission: finish() releases the files and frees it),
    // and the most to send at once (0: no limit).
    TransmitPiece* pieces = nullptr;
    DWORD piece_count = 0;
    DWORD chunk = 0;
    // Set by prepare() once the request owns `pieces`; until then (a request refused
    // before or by prepare) they are still the caller's to free.
    mutable bool pieces_taken = false;
    // Control: the result, computed at submission.
    int control_error = 0;
    DWORD control_bytes = 0;
};

class SocketDevice final : public io::Device {
public:
    SocketDevice() : Device(kernel::ObjectType::Socket) {}

    // socket()/WSASocket(): a new socket (one reference), or null with *error (WSA code).
    // `flags`: WSA_FLAG_OVERLAPPED (sockets from socket() have it).
    static SocketDevice* create(int family, int type, int protocol, DWORD flags, int* error);
    // A socket over `descriptor` (taken over when it succeeds) in whatever state it is:
    // listening, connected, bound or fresh, with a datagram socket's default peer, as the
    // descriptor says: a socket another process shared (drivers/socket_share.h) or a
    // child inherited (drivers/inherit.cpp). Family, type and protocol are Windows' values.
    static SocketDevice* adopt(int descriptor, int family, int type, int protocol, DWORD flags, int* error);
    // Under the lock: 0 when the socket can cross into another process as its descriptor
    // (the descriptor carries all its state, a datagram socket's default peer in its
    // filter), else WSAEINVAL for a stream socket whose connect (or ConnectEx) is under
    // way or one an AcceptEx is to accept into (state the library keeps itself), or
    // WSAENOTSOCK for a socket with no descriptor. A non-blocking connect that has ended
    // is settled here first.
    int crossing_refused();
    // A duplicate of the descriptor (close-on-exec) for another process to share the
    // socket, in *duplicate: 0, crossing_refused()'s error, or the error of the
    // duplication. Checked and duplicated under the lock, so a descriptor replaced
    // meanwhile (a connect renewed, TF_REUSE_SOCKET) is never the one handed out.
    int duplicate_for_sharing(int* duplicate);
    // The traffic-class receive options as the program set them (IP_RECVTOS 1,
    // IP_RECVECN 2, IPV6_RECVTCLASS 4, IPV6_RECVECN 8), which Linux keeps as one option
    // per level: a socket shared with another process carries them (socket_share.h).
    uint8_t traffic_class_options() const;
    void set_traffic_class_options(uint8_t options);
    // UDP_RECV_MAX_COALESCED_SIZE as the program set it (Linux's UDP_GRO, in the shared
    // descriptor, is only on or off): a socket shared with another process carries it.
    DWORD receive_coalesced_max() const { return receive_coalesced_max_.load(); }
    void set_receive_coalesced_max(DWORD size) { receive_coalesced_max_.store(size); }

    bool overlapped_io() const override { return (flags_ & ws::kWsaFlagOverlapped) != 0; }
    // Made with WSA_FLAG_REGISTERED_IO: Winsock's registered I/O may use it.
    bool registered_io() const { return (flags_ & ws::kWsaFlagRegisteredIo) != 0; }
    // Under `lock`: the registered I/O request queue made on the socket (one at most),
    // whose socket_gone() runs when the socket is recycled. Null: none.
    RioQueueLink* rio_queue = nullptr;
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    void finish(io::Request* request) override;
    bool fast_ready(const io::Transfer& transfer, io::FastIo* io) override;
    bool fast_transfer(const io::Transfer& transfer, io::FastIo* io) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;
    void last_handle_closed() override;

    // ---- Winsock's synchronous calls. Each returns 0 or a WSA error code.
    int bind(const ws::Sockaddr* address, int length);
    int listen(int backlog);
    int connect(const ws::Sockaddr* address, int length);
    // A new socket for the next connection (one reference); its peer's address if asked.
    // A connection deferred by WSAAccept comes first.
    int accept(SocketDevice** accepted, ws::Sockaddr* address, int* length);
    // WSAAccept's deferred connection (the condition function said CF_DEFER): accepted from
    // the kernel and held by the listener (one reference, given by the caller) until the
    // next accept() takes it back; a listener let go releases it.
    void defer_connection(SocketDevice* accepted);
    // send/recv/sendto/recvfrom and WSASend/WSARecv without an OVERLAPPED: blocking
    // unless the socket is in non-blocking mode. *done: bytes; *flags_out (may be null):
    // MSG_* of the received data (MSG_PARTIAL...).
    int receive(const ws::WsaBuf* buffers, DWORD count, DWORD flags, ws::Sockaddr* from, int* from_length,
                DWORD* done, DWORD* flags_out);
    // `control`: WSASendMsg's control data (IN_PKTINFO, IN6_PKTINFO), or null.
    int send(const ws::WsaBuf* buffers, DWORD count, DWORD flags, const ws::Sockaddr* to, int to_length,
             DWORD* done, const ws::WsaBuf* control = nullptr);
    int shutdown(int how);
    int local_address(ws::Sockaddr* address, int* length);
    int peer_address(ws::Sockaddr* address, int* length);
    int get_option(int level, int name, char* value, int* length);
    int set_option(int level, int name, const char* value, int length);
    // SO_UPDATE_ACCEPT_CONTEXT: this socket, which AcceptEx connected, takes on the
    // options `listener` keeps in the driver (as accept() gives them to its sockets);
    // WSAENOTCONN if it is not connected.
    int update_accept_context(const SocketDevice* listener);
    // ioctlsocket / WSAIoctl codes that are not requests: FIONBIO, FIONREAD, SIOCATMARK,
    // SIO_KEEPALIVE_VALS, SIO_UDP_CONNRESET... *returned: bytes written to `out`.
    int control(DWORD code, const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* returned);

    // ---- for the Winsock layer.
    int family() const { return family_; }  // Windows' value
    int address_length() const;  // the size of an address of the family, in Windows' form
    bool nonblocking() const { return nonblocking_.load(std::memory_order_acquire); }  // FIONBIO
    bool is_stream_type() const { return type_ == ws::kSockStream; }
    int type() const { return type_; }
    int protocol() const { return protocol_; }
    bool listening() const { return listening_.load(std::memory_order_acquire); }
    bool bound() const { return bound_.load(std::memory_order_acquire); }
    // Bound, or a datagram socket Linux bound by itself since (a sendto's implicit bind,
    // overlapped or not: Windows binds there too); looked at now.
    bool bound_by_now();
    // Connected: also a non-blocking connect() that has finished since (looked at now).
    bool connected();
    // Connected, as far as is known without asking the kernel (false while a connect is
    // under way): needs no lock.
    bool known_connected() const { return connected_.load(std::memory_order_acquire); }
    int descriptor() const { return descriptor_; }
    // AcceptEx on `listener` (with `overlapped`) into this socket: checks that it is a
    // fresh stream socket (not bound, listening or connected) that no other AcceptEx
    // claims, and claims it. Returns 0 or WSAEINVAL. While claimed, connect() and
    // ConnectEx fail with WSAEINVAL, and closing the socket cancels the AcceptEx.
    int claim_for_accept(SocketDevice* listener, OVERLAPPED* overlapped);
    // The claim ends: the AcceptEx is over (finish) or was refused at submission.
    void release_accept_claim();
    // ConnectEx's checks (a bound stream socket, not listening, not connected, no
    // ConnectEx or AcceptEx under way on it), and the claim of a ConnectEx under way.
    // Returns 0 or the WSA error.
    int claim_for_connect();
    void release_connect_claim();

    // ---- WSAEventSelect (src/drivers/socket_events.cpp).
    // Associates `event` (a reference the socket takes over; null with `mask` 0: none)
    // with the FD_* network events in `mask`, and makes the socket non-blocking.
    // Conditions already true are recorded at once, except those recorded before and not
    // re-enabled since (Windows' rules); events recorded and not yet enumerated stay.
    int event_select(kernel::Object* event, LONG mask);
    // WSAEnumNetworkEvents: the events recorded since the last call (of those selected),
    // and their errors (only the entries of those events are written); resets `event`
    // (may be null) as it reads them.
    int enumerate_events(kernel::Object* event, ws::WsaNetworkEvents* out);
    // accept(): the new socket takes this listener's WSAEventSelect (as on Windows).
    void inherit_event_select(SocketDevice* accepted);

    // ---- select() and WSAPoll(): the socket's state as they see it.
    enum class Readiness : uint8_t {
        Datagram,     // a datagram socket
        Listening,    // a listener
        Connected,    // a connected stream (including one the peer closed or reset)
        Connecting,   // a non-blocking connect under way
        Failed,       // a connect that failed
        Unconnected,  // a stream socket never connected: never ready
    };
    Readiness readiness();
    // Whether POLLERR, POLLHUP or POLLRDHUP in `revents` mean that the peer ended the
    // stream (or reset it). After this side's own shutdown(SD_RECEIVE), which Windows does
    // not count as the end (no FD_CLOSE, no POLLHUP, not readable), only a TCP state past
    // the peer's FIN does (SD_RECEIVE is the driver's flag; Linux is not told of it).
    bool stream_ended(short revents);
    bool receive_shut() const { return receive_shut_.load(std::memory_order_acquire); }
    // The peer reset the connection (a transfer, SO_ERROR or the events saw it).
    bool was_reset() const { return reset_.load(std::memory_order_acquire); }
    // Whether SO_OOBINLINE is on: out-of-band data is then ordinary data to select,
    // WSAPoll and WSAEventSelect (readable, POLLRDNORM, FD_READ; never FD_OOB).
    bool oob_inline() const;  // SO_OOBINLINE, read once and again after a setsockopt
    bool urgent_byte_awaited(int linux_flags);  // an MSG_OOB receive's EINVAL means "none yet"
    // wait_sockets: the calling thread waits on this socket, so that closing the socket
    // interrupts its wait. Both under `lock`; enter is false if the socket is closing.
    bool waiter_enter(kernel::ThreadState* self);
    void waiter_leave(kernel::ThreadState* self);
    bool closing() const { return closing_.load(std::memory_order_acquire); }

private:
    void recycle() override;
    // A new socket over `descriptor` (non-blocking, close-on-exec; taken over on success
    // only), connected or not as told: adopt's step.
    static SocketDevice* take_over(int descriptor, bool connected, int family, int type, int protocol, DWORD flags,
                                   int* error);
    SocketDevice* take_deferred();  // the deferred connection (its reference), or null
    // ---- WSAEventSelect's machinery (socket_events.cpp). Everything under `lock`.
    enum class ConnectState : uint8_t { None, Pending, Done };
    struct EventSelect {
        kernel::Object* event = nullptr;  // the program's event (a reference), or null
        LONG mask = 0;                    // FD_* asked for
        LONG recorded = 0;                // FD_* recorded, not yet enumerated
        LONG reported = 0;                // FD_* recorded and not re-enabled since
        int errors[ws::kFdMaxEvents] = {};
        // An edge-triggered epoll instance on the descriptor: it becomes readable when the
        // socket's state changes (new data, a connection, room to send, the end...), and
        // the watch waits for that.
        int epoll = -1;
        uint32_t registered = 0;          // the EPOLL* events registered (0: not yet)
        uint32_t last_available = 0;      // bytes queued when last looked at
        bool receive_finishing = false;   // a receive request's finish() re-enables FD_READ:
                                          // it no longer counts as pending
        uint32_t last_backlog = 0;        // connections waiting when last looked at
        ConnectState connect = ConnectState::None;  // this socket's own connect
        int connect_error = 0;            // its result (WSA code) once Done
        bool armed = false;               // `watch` is with the engine
        struct Watch {
            io::InternalOp op;                // first: the engine hands it back
            SocketDevice* socket = nullptr;
        } watch;                          // a Poll of `epoll`
    };
    // Network events `bits` may be recorded again (a recv re-enables FD_READ...): looks
    // at the socket now. Takes `lock` itself, and only if WSAEventSelect is in use.
    void events_reenable(LONG bits, bool receive_finishing = false);
    // Under `lock`: the same, for a caller that holds it.
    void events_reenable_locked(LONG bits);
    // Under `lock`: records what the socket's state calls for. With `edges`, new data
    // and new connections count even if FD_READ/FD_ACCEPT were recorded already (the
    // watch saw the socket change); otherwise only conditions not yet reported.
    void events_update(bool edges);
    // Under `lock`: keeps the epoll registration and the watch as the selection needs.
    void events_arm();
    // The watch's completion (the I/O manager's completion thread).
    static void events_watched(engine::Op* op);
    // Under `lock`: records `bits` (with `error` for each) and signals the event.
    void events_record(LONG bits, int error);
    // Under `lock`: a connect of this socket started / ended (`error`: WSA code, 0 for
    // success). Also kept for select() (connect_failed_) when no events are selected.
    void events_connect_started();
    void events_connect_finished(int error);
    // Under `lock`: whether an overlapped request of `operation` is in progress.
    bool has_pending(SocketOperation operation) const;
    int pending_count(SocketOperation operation) const;  // requests of that kind in progress
    // Waits (poll) until the descriptor is ready for `events` or `timeout_ms` passes
    // (INFINITE: none). Returns 0, WSAETIMEDOUT, or WSAEINTR (cancelled, closed).
    int wait_ready(short events, DWORD timeout_ms);
    // Replaces the descriptor (AcceptEx's accepted connection, a reused socket). An
    // accepted connection's peer address, when the accept gave it, spares a getpeername.
    // (`peer`: a Linux sockaddr; this header does not see Linux's socket types.)
    void replace_descriptor(int descriptor, bool connected, const void* peer = nullptr, unsigned peer_length = 0);
    // Remembers the peer's address (Windows' layout) once connected: `peer` as accept
    // gave it, or (nullptr) what getpeername says.
    void dissolve_failed_connect();  // a failed connect's socket, ready for another
    void remember_peer(const void* peer = nullptr, unsigned peer_length = 0);
    // The local address of a connection this listener accepted: the listener's own when
    // it listens on one address (kept by listen()), else getsockname of the connection.
    // `local`: a Linux sockaddr_storage. Returns its length, 0 if unknown.
    unsigned accepted_local_address(int accepted, void* local) const;
    // A receive by this thread left the stream empty (it got less than it asked for).
    void note_drained();
    // Whether this thread saw the stream empty and has not waited for anything since.
    bool drained_by_this_thread() const;
    // A new unconnected descriptor of the same kind (DisconnectEx/TransmitFile with
    // TF_REUSE_SOCKET), for the function that made the connection before: unbound after
    // accept/AcceptEx (AcceptEx wants a fresh socket), still bound to its local address
    // after connect/ConnectEx (ConnectEx wants a bound one). Returns 0 or a WSA error.
    int renew_descriptor();
    // The WSA error for an errno of this socket's operations.
    int error_for(int error);
    // ---- datagram sockets (socket.cpp).
    // connect() on a datagram socket: the default peer (a new one, or none to dissolve
    // the association). Returns 0 or a WSA error.
    int connect_datagram(const ws::Sockaddr* address, int length);
    // Takes the oldest ICMP error off the descriptor's error queue (IP_RECVERR). Every
    // path that sees the socket's pending error (a failed recvmsg, sendmsg, SO_ERROR)
    // takes its queue entry with it, so that the queue never holds an error the socket
    // no longer reports (poll would then report POLLERR for ever). Returns the entry's
    // errno, or 0 if the queue was empty.
    int take_icmp_error();
    // A datagram send, or SO_ERROR, consumed an ICMP "port unreachable" meant for a
    // receive: Windows reports it on the next receive (WSAECONNRESET), so it is kept.
    void owe_reset();
    // Whether a receive should fail with WSAECONNRESET for a reset kept by owe_reset()
    // (takes it).
    bool take_owed_reset();
    // The options the driver keeps itself (not in the Linux socket), copied from the
    // listener to a socket it accepted: Windows' accepted sockets inherit them.
    void inherit_options(const SocketDevice* listener);
    // TransmitFile/TransmitPackets' steps: the pieces one after the other.
    io::Next transmit_step(io::Request* request, io::Outcome* outcome);

    int descriptor_ = -1;
    int family_ = 0;
    int type_ = 0;
    int protocol_ = 0;
    DWORD flags_ = 0;
    std::atomic<bool> listening_{false};
    std::atomic<bool> bound_{false};
    std::atomic<bool> connected_{false};
    std::atomic<bool> connecting_{false};     // a non-blocking connect() under way
    std::atomic<bool> nonblocking_{false};    // FIONBIO
    std::atomic<bool> send_shut_{false};      // shutdown(SD_SEND/SD_BOTH)
    std::atomic<bool> receive_shut_{false};   // shutdown(SD_RECEIVE/SD_BOTH)
    mutable std::atomic<int8_t> oob_inline_{-1};  // SO_OOBINLINE: 0, 1, or -1 not read yet
    // An urgent byte was waiting out of band when SO_OOBINLINE was turned on: Windows'
    // SIOCATMARK answers FALSE until it is read (one arriving after answers TRUE).
    std::atomic<bool> urgent_before_inline_{false};
    std::atomic<bool> closing_{false};        // the last handle is closed
    std::atomic<bool> reset_{false};          // the peer reset the connection: Windows
                                              // fails every later transfer with WSAECONNRESET
    std::atomic<bool> accept_claimed_{false};       // an AcceptEx will accept into this socket
    std::atomic<bool> connect_claimed_{false};      // a ConnectEx is under way
    std::atomic<bool> extension_connected_{false};  // connected by ConnectEx (connect() is
                                                    // then WSAEINVAL, as on Windows)
    bool accepted_ = false;                   // the connection came from accept/AcceptEx
    SocketDevice* deferred_ = nullptr;        // under `lock`: WSAAccept's deferred connection
    SocketDevice* accept_listener_ = nullptr; // under `lock`: while claimed, the AcceptEx's
    OVERLAPPED* accept_overlapped_ = nullptr; //  listener (a reference) and its OVERLAPPED
    std::atomic<bool> connect_failed_{false}; // the last connect failed (select: exceptfds)
    std::atomic<bool> event_selected_{false}; // WSAEventSelect in use (a hint for hot paths)
    bool reuse_address_ = false;              // SO_REUSEADDR as set (Windows' meaning)
    bool exclusive_address_ = false;          // SO_EXCLUSIVEADDRUSE
    // IP_DONTFRAGMENT (and IPV6_DONTFRAG on a stream socket) as set, -1 until then: on by
    // default for TCP, off for UDP (Wine's sock.c test_set_getsockopt). A datagram socket's
    // goes to Linux (IP_MTU_DISCOVER); Windows ignores the option for TCP.
    std::atomic<int8_t> dont_fragment_{-1};
    std::atomic<int8_t> dont_fragment6_{-1};
    bool port_scalability_ = false;           // SO_PORT_SCALABILITY and SO_RANDOMIZE_PORT
    bool randomize_port_ = false;             //  as set: kept and reported, not applied
                                              //  (Linux chooses ports its own way)
    std::atomic<bool> udp_connreset_{true};   // SIO_UDP_CONNRESET; on: the
                                              // descriptor has IP_RECVERR (ICMP errors reach
                                              // the socket although Linux never connects it)
    std::atomic<uint32_t> owed_resets_{0};    // owe_reset()
    // The receive options of the IP header's traffic-class byte, as the program set them:
    // IP_RECVTOS / IPV6_RECVTCLASS (the whole byte) and IP_RECVECN / IPV6_RECVECN (its two
    // ECN bits). Linux has one option for both per level, on while either is; its control
    // message becomes the ones asked for.
    std::atomic<bool> receive_tos_{false}, receive_ecn_{false};
    std::atomic<bool> receive_tclass_{false}, receive_ecn6_{false};
    // The rest of the traffic-class byte an IP_ECN / IPV6_ECN send keeps: Linux's IP_TOS
    // ([0]) and IPV6_TCLASS ([1]) as last read, or -1 until read again (a send with ECN
    // reads it once; setsockopt of the option makes it -1).
    std::atomic<int> traffic_class_[2] = {-1, -1};
    // UDP_RECV_MAX_COALESCED_SIZE as set (0: none). Linux's UDP_GRO is on only for a
    // maximum of 65535 or more: it coalesces up to 64 KiB and honours no smaller bound.
    std::atomic<DWORD> receive_coalesced_max_{0};
    DWORD receive_timeout_ = 0;               // SO_RCVTIMEO, ms (0: none)
    DWORD send_timeout_ = 0;                  // SO_SNDTIMEO
    uint64_t connect_time_ = 0;               // CLOCK_MONOTONIC seconds at connection, 0: none
    int pending_error_ = 0;                   // SO_ERROR: a WSA error kept for getsockopt
                                              // (set by setsockopt, or a failed connect)
    ws::SockaddrStorage peer_{};              // the peer, once connected (Windows keeps
    int peer_length_ = 0;                     // answering getpeername after shutdown);
                                              // a datagram socket's default peer (under
                                              // `lock`; Linux's socket is never connected:
                                              // a socket filter drops other senders)
    alignas(8) unsigned char listen_address_[128]{};  // a listener's address (Linux's
    unsigned listen_address_length_ = 0;              // sockaddr_storage) when not a
                                                      // wildcard (0: a wildcard, or not listening)
    int send_buffer_ = -1;                    // SO_SNDBUF / SO_RCVBUF as set, -1: not set
    int receive_buffer_ = -1;
    // LINGER's l_onoff as set: Windows answers the value itself (0x100 reads back as
    // 0x100, Wine's test_optsize); Linux keeps a flag. 0: not set (1 is answered).
    std::atomic<USHORT> linger_on_{0};
    io::DrainHint drained_;  // note_drained()
    EventSelect events_;  // under `lock`
};

// select() and WSAPoll(): what a socket is ready for, in Windows' terms.
enum : uint8_t {
    kReadyAccept = 1 << 0,  // a connection waits (listener)
    kReadyData = 1 << 1,    // data to receive (datagram socket: or an error to report)
    kReadyEnd = 1 << 2,     // the peer ended the stream (graceful close or reset)
    kReadyOob = 1 << 3,     // out-of-band data
    kReadyWrite = 1 << 4,   // room to send (a connected stream, or a datagram socket)
    kReadyFailed = 1 << 5,  // a connect failed
    kReadyClosed = 1 << 6,  // closesocket() during the wait (reported whatever was wanted)
    kReadyReset = 1 << 7,   // the stream ended in a reset (or another error): WSAPoll's POLLERR
};
struct SocketWait {
    SocketDevice* socket;  // null: skipped
    uint8_t wanted;        // the kReady* that end the wait
    uint8_t ready;         // out: the wanted kReady* found
};
// Waits until an entry is ready for something it wants, or `timeout_ms` passes (-1: no
// limit), as a synchronous request (the thread counts as blocked for its port;
// CancelSynchronousIo ends it). Returns how many entries are ready, or -WSA error.
int wait_sockets(SocketWait* entries, size_t count, int timeout_ms);

// The WSA error for an NTSTATUS a socket request finished with (WSAGetOverlappedResult).
int wsa_error_from_status(DWORD status);

// Whether SocketDevice::control implements `code` (the Winsock layer answers an unknown
// code given an OVERLAPPED the way Windows' driver does: later, STATUS_NOT_SUPPORTED).
bool socket_control_known(DWORD code);

// The NTSTATUS for an errno of a socket operation (OVERLAPPED.Internal).
DWORD socket_status_from_errno(int error);

}  // namespace overlapped::drivers
