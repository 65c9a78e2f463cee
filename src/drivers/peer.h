// peer.h: who is at the other end of a Unix-domain connection, and the thread that
// hands something to one other process over such connections (WSADuplicateSocket's and
// DuplicateHandle's offers: drivers/socket_share.cpp, drivers/handle_offer.cpp).
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

namespace overlapped::drivers {

// The process and user at the other end of `connection` (SO_PEERCRED: for a connected
// socket, the peer as it was when the connection was made); false if unknown.
inline bool unix_peer(int connection, pid_t* pid, uid_t* uid)
{
    ucred credentials{};
    socklen_t size = sizeof(credentials);
    if (getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) return false;
    *pid = credentials.pid;
    *uid = credentials.uid;
    return true;
}

// The descriptors a received `message` carried (SCM_RIGHTS): the first `room` go to
// `kept`, in order, and how many is the result; any more (the control buffer is rounded
// up, so it may hold more than asked for) are closed.
inline int take_passed_descriptors(msghdr* message, int* kept, int room)
{
    int taken = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(message); c != nullptr; c = CMSG_NXTHDR(message, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t passed = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < passed; ++i) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (taken < room) kept[taken++] = fd;
            else ::close(fd);
        }
    }
    return taken;
}

// A record of type T with room for `count` descriptors beside it (SCM_RIGHTS), to send
// or receive as one message.
template <class T, int count>
struct DescriptorMessage {
    T record{};
    iovec data{&record, sizeof(T)};
    alignas(cmsghdr) char control[CMSG_SPACE(count * sizeof(int))] = {};
    msghdr header{};

    DescriptorMessage()
    {
        header.msg_iov = &data;
        header.msg_iovlen = 1;
        header.msg_control = control;
        header.msg_controllen = sizeof(control);
    }
    DescriptorMessage(const DescriptorMessage&) = delete;
    DescriptorMessage& operator=(const DescriptorMessage&) = delete;

    // Sends the record with `descriptors` (count of them; the record alone if null);
    // whether all of it went.
    bool send(int connection, const int* descriptors) { return send_some(connection, descriptors, count); }

    // Sends the record with the first `number` (at most count) of `descriptors`.
    bool send_some(int connection, const int* descriptors, int number)
    {
        if (descriptors == nullptr || number > count) number = descriptors == nullptr ? 0 : count;
        header.msg_controllen = number > 0 ? CMSG_SPACE(number * sizeof(int)) : 0;
        if (number > 0) {
            cmsghdr* attached = CMSG_FIRSTHDR(&header);
            attached->cmsg_level = SOL_SOCKET;
            attached->cmsg_type = SCM_RIGHTS;
            attached->cmsg_len = CMSG_LEN(number * sizeof(int));
            memcpy(CMSG_DATA(attached), descriptors, number * sizeof(int));
        }
        ssize_t sent;
        do sent = sendmsg(connection, &header, MSG_NOSIGNAL);
        while (sent < 0 && errno == EINTR);
        return sent == static_cast<ssize_t>(sizeof(T));
    }

    // Receives a whole record and exactly `count` descriptors (close-on-exec) into
    // `descriptors`; false otherwise (nothing kept, `descriptors` untouched).
    bool receive(int connection, int* descriptors)
    {
        int came[count];
        int received = 0;
        if (!receive_some(connection, came, &received)) return false;
        if (received == count) {
            memcpy(descriptors, came, sizeof came);
            return true;
        }
        for (int i = 0; i < received; ++i) ::close(came[i]);
        return false;
    }

    // Receives a whole record with at most `count` descriptors: *received of them in
    // `descriptors`; false otherwise (nothing kept).
    bool receive_some(int connection, int* descriptors, int* received)
    {
        *received = 0;
        header.msg_controllen = sizeof(control);
        ssize_t got;
        do got = recvmsg(connection, &header, MSG_CMSG_CLOEXEC);
        while (got < 0 && errno == EINTR);
        if (got < 0) return false;
        int came[count] = {};
        int number = take_passed_descriptors(&header, came, count);
        if (got != static_cast<ssize_t>(sizeof(T)) || (header.msg_flags & MSG_CTRUNC)) {
            for (int i = 0; i < number; ++i) ::close(came[i]);
            return false;
        }
        memcpy(descriptors, came, number * sizeof(int));
        *received = number;
        return true;
    }
};

// An abstract Unix-domain address ("\0" and the printf-formatted name) and its length.
socklen_t abstract_address(sockaddr_un* address, const char* format, ...) __attribute__((format(printf, 2, 3)));

// Connects a socket of `type` to `address`, for a peer of this user (and, unless `peer` is
// 0, that process), with a receive time-out of 5 s (peers answer at once; never wait for
// good). The descriptor, or -1: *no_socket says whether no socket could even be made.
int connect_to_user(const sockaddr_un& address, socklen_t length, int type, pid_t peer, bool* no_socket = nullptr);

// Receives one whole record of `size` bytes, for at most 5 s.
bool receive_record(int connection, void* record, size_t size);

// Waits (at most 5 s) until the other end closes `connection`. A sender of descriptors
// closes its own copies before the connection, so a receiver that has waited knows that
// the only copies left are its own: a pipe end it closes last is then closed for good.
void await_hang_up(int connection);

// Accepts one connection on `listener`: its descriptor and the peer process, when that is
// a process of this user; -1 otherwise (another user's connection is closed unheard; out
// of descriptors or memory, after a pause rather than a spin).
int accept_from_user(int listener, pid_t* pid);

// Serves `listener` (a listening socket, non-blocking) for process `target` of this user:
// calls `hand(connection)` for each connection from it (others are closed unheard) until
// `hand` returns true (handed over), or until the target exits (`target_fd`, its pidfd,
// becomes readable). Closes each connection, `listener` and `target_fd`.
void serve_target(int listener, int target_fd, pid_t target, const std::function<bool(int connection)>& hand);

}  // namespace overlapped::drivers
