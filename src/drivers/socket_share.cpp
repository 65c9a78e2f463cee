// socket_share.cpp: WSADuplicateSocket's hand-over of a socket to another process; see
// socket_share.h for the scheme.
#include "drivers/socket_share.h"

#include "drivers/peer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>
#include <thread>


namespace overlapped::drivers {
namespace {

// The offer's address: "\0overlapped-share-<uid>-<source pid>-<token>".
socklen_t offer_address(uint32_t source_pid, uint32_t token, sockaddr_un* address)
{
    return abstract_address(address, "overlapped-share-%u-%u-%08x", static_cast<unsigned>(geteuid()), source_pid,
                            token);
}

// A token for the next offer, never 0. It need not be secret (the peers' credentials are
// what is checked); random, so that a stale or squatted name is unlikely to be met. Where
// getrandom is refused (old kernels, some sandboxes), a counter mixed with the clock.
uint32_t next_token()
{
    static std::atomic<uint32_t> counter{0};
    uint32_t token = 0;
    if (getrandom(&token, sizeof(token), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(token))) {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        token = static_cast<uint32_t>(now.tv_nsec) * 2654435761u + counter.fetch_add(1, std::memory_order_relaxed);
    }
    return token != 0 ? token : 1;
}

// The offer's thread: hands `shared` with `record` to the first connection from
// `target`, then ends; also ends, handing nothing, when the target process has exited.
// Closes all three descriptors; `shared` as soon as it is handed over, before the
// connection (the target waits for that: await_hang_up).
void serve_offer(int listener, int shared, int target_fd, pid_t target, ShareRecord record)
{
    serve_target(listener, target_fd, target, [&shared, record](int connection) {
        DescriptorMessage<ShareRecord, 1> message;
        message.record = record;
        if (!message.send(connection, &shared)) return false;
        ::close(shared);  // handed over: the offer is used
        shared = -1;
        return true;
    });
    if (shared >= 0) ::close(shared);
}

}  // namespace

int check_share_target(uint32_t target)
{
    if (target == 0 || target > 0x3fffffff) return WSAEINVAL;
    return kill(static_cast<pid_t>(target), 0) == 0 ? 0 : WSAEINVAL;  // another user's: EPERM
}

int share_socket(SocketDevice* socket, uint32_t target, ShareTicket* ticket)
{
    if (int error = check_share_target(target)) return error;
    int target_fd = static_cast<int>(syscall(SYS_pidfd_open, static_cast<pid_t>(target), 0));
    if (target_fd < 0) return errno == EMFILE || errno == ENFILE ? WSAEMFILE : WSAEINVAL;
    int shared = -1;
    if (int error = socket->duplicate_for_sharing(&shared)) {
        ::close(target_fd);
        return error;
    }
    // Non-blocking: a connection that goes away between poll and accept must not keep the
    // thread in accept (and deaf to the target's exit).
    int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    uint32_t source_pid = static_cast<uint32_t>(getpid());
    uint32_t token = 0;
    int error = listener < 0 ? (errno == EMFILE || errno == ENFILE ? WSAEMFILE : WSAENOBUFS) : 0;
    for (int attempt = 0; error == 0; ++attempt) {
        token = next_token();
        sockaddr_un address;
        socklen_t length = offer_address(source_pid, token, &address);
        if (bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0) break;
        // The name is taken (another user's squatter, or a token drawn twice): draw again.
        if (errno != EADDRINUSE || attempt >= 16) error = WSAENOBUFS;
    }
    if (error == 0 && listen(listener, 4) != 0) error = WSAENOBUFS;
    if (error == 0) {
        try {
            ShareRecord record;
            record.coalesced_max = socket->receive_coalesced_max();
            std::thread(serve_offer, listener, shared, target_fd, static_cast<pid_t>(target), record).detach();
        } catch (const std::system_error&) {
            error = WSAENOBUFS;
        }
    }
    if (error != 0) {
        if (listener >= 0) ::close(listener);
        ::close(shared);
        ::close(target_fd);
        return error;
    }
    ticket->token = token;
    ticket->source_pid = source_pid;
    ticket->overlapped = socket->overlapped_io();
    ticket->traffic_class = socket->traffic_class_options();
    return 0;
}

SocketDevice* take_shared_socket(const ShareTicket& ticket, int family, int type, int protocol, int* error)
{
    *error = WSAEINVAL;
    if (ticket.token == 0) return nullptr;
    sockaddr_un address;
    socklen_t length = offer_address(ticket.source_pid, ticket.token, &address);
    bool no_socket = false;
    // Only the source process of this user has the offer.
    int connection = connect_to_user(address, length, SOCK_STREAM, static_cast<pid_t>(ticket.source_pid), &no_socket);
    if (no_socket) {
        *error = errno == EMFILE || errno == ENFILE ? WSAEMFILE : WSAENOBUFS;
        return nullptr;
    }
    int shared = -1;
    ShareRecord record;
    if (connection >= 0) {
        DescriptorMessage<ShareRecord, 1> message;
        if (message.receive(connection, &shared)) {
            record = message.record;
            await_hang_up(connection);  // the offer has closed its copy
        } else {
            shared = -1;
        }
        ::close(connection);
    }
    if (shared < 0) return nullptr;
    SocketDevice* socket =
        SocketDevice::adopt(shared, family, type, protocol, ticket.overlapped ? ws::kWsaFlagOverlapped : 0, error);
    if (socket == nullptr) {
        ::close(shared);
        return nullptr;
    }
    socket->set_traffic_class_options(ticket.traffic_class);
    socket->set_receive_coalesced_max(record.coalesced_max);
    return socket;
}

}  // namespace overlapped::drivers
