// peer.cpp: serve_target (peer.h).
#include "drivers/peer.h"

#include <poll.h>

#include <cerrno>

namespace overlapped::drivers {

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
