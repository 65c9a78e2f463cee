// peer.cpp: serve_target (peer.h).
#include "drivers/peer.h"

#include <poll.h>

#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace overlapped::drivers {

socklen_t abstract_address(sockaddr_un* address, const char* format, ...)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(address->sun_path + 1, sizeof(address->sun_path) - 1, format, arguments);
    va_end(arguments);
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + length);
}

namespace {

void receive_time_limit(int connection)
{
    timeval limit{5, 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
}

}  // namespace

int connect_to_user(const sockaddr_un& address, socklen_t length, int type, pid_t peer, bool* no_socket)
{
    int connection = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (no_socket != nullptr) *no_socket = connection < 0;
    if (connection < 0) return -1;
    pid_t pid = 0;
    uid_t uid = 0;
    // A name bound by anyone but such a peer is not the one looked for.
    if (connect(connection, reinterpret_cast<const sockaddr*>(&address), length) != 0 ||
        !unix_peer(connection, &pid, &uid) || uid != geteuid() || (peer != 0 && pid != peer)) {
        ::close(connection);
        return -1;
    }
    receive_time_limit(connection);
    return connection;
}

bool receive_record(int connection, void* record, size_t size)
{
    receive_time_limit(connection);
    ssize_t got;
    do got = recv(connection, record, size, 0);
    while (got < 0 && errno == EINTR);
    return got == static_cast<ssize_t>(size);
}

void await_hang_up(int connection)
{
    receive_time_limit(connection);
    char byte;
    ssize_t got;
    do got = recv(connection, &byte, sizeof(byte), 0);  // 0: hung up (a peer of ours sends nothing more)
    while (got < 0 && errno == EINTR);
}

int accept_from_user(int listener, pid_t* pid)
{
    int connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
        // Out of descriptors or memory with a connection waiting: poll would answer at
        // once again; give the process a moment rather than spin.
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == ENOBUFS) usleep(50 * 1000);
        return -1;
    }
    uid_t uid = 0;
    if (!unix_peer(connection, pid, &uid) || uid != geteuid()) {
        ::close(connection);
        return -1;
    }
    return connection;
}

void serve_target(int listener, int target_fd, pid_t target, const std::function<bool(int connection)>& hand)
{
    for (;;) {
        pollfd watched[2] = {{listener, POLLIN, 0}, {target_fd, POLLIN, 0}};
        int ready = poll(watched, 2, -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0 || (watched[1].revents & (POLLIN | POLLHUP | POLLERR))) break;
        pid_t pid = 0;
        int connection = accept_from_user(listener, &pid);
        if (connection < 0) continue;
        bool done = pid == target && hand(connection);
        ::close(connection);
        if (done) break;
    }
    ::close(listener);
    ::close(target_fd);
}

}  // namespace overlapped::drivers
