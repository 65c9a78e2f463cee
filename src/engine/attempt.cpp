// attempt.cpp: one operation as plain system calls (attempt.h).
#include "engine/attempt.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/raw_io.h"

namespace overlapped::engine {
namespace {

bool is_socket_op(const Op* op)
{
    return op->code == OpCode::Receive || op->code == OpCode::Send || op->code == OpCode::Accept ||
           op->code == OpCode::Connect || op->code == OpCode::Poll;
}

// preadv2/pwritev2 at `offset` (-1: the stream's own position), made directly: glibc's
// wrappers add cancellation-point bookkeeping we never use. (The offset travels as two
// halves, low first.)
ssize_t transfer_vectors(int descriptor, bool read, const iovec* vectors, int count, off_t offset, int flags)
{
    long number = read ? SYS_preadv2 : SYS_pwritev2;
    return syscall(number, descriptor, vectors, count, static_cast<unsigned long>(offset),
                   static_cast<unsigned long>(static_cast<uint64_t>(offset) >> 32), flags);
}

// A read or write at the offset (files) or in order (streams).
int transfer(Op* op, bool nowait)
{
    bool read = op->code == OpCode::Read || op->code == OpCode::ReadVector;
    iovec single{op->buffer, op->length};
    const iovec* vectors = &single;
    int count = 1;
    if (op->code == OpCode::ReadVector || op->code == OpCode::WriteVector) {
        vectors = op->vectors;
        count = static_cast<int>(op->length);
    }
    off_t offset = op->kind == OpKind::Stream ? -1 : static_cast<off_t>(op->offset);
    int flags = (nowait ? RWF_NOWAIT : 0) | (op->kind == OpKind::Stream ? 0 : op->flags);  // a file's RWF_APPEND
    ssize_t done = transfer_vectors(op->descriptor, read, vectors, count, offset, flags);
    if (done < 0 && errno == EOPNOTSUPP && nowait && op->kind == OpKind::Stream) {
        // Streams that cannot be asked per call (FIFOs opened by name, for one) are made
        // non-blocking for good: an overlapped handle only ever does I/O through us.
        int status = fcntl(op->descriptor, F_GETFL);
        if (status < 0 || ((status & O_NONBLOCK) == 0 && fcntl(op->descriptor, F_SETFL, status | O_NONBLOCK) != 0))
            return -EOPNOTSUPP;
        done = read ? readv(op->descriptor, vectors, count) : writev(op->descriptor, vectors, count);
    }
    return done >= 0 ? static_cast<int>(done) : -errno;
}

// A socket operation without blocking (the library's sockets are non-blocking).
int socket_once(Op* op, bool probe)
{
    ssize_t done = -1;
    switch (op->code) {
    case OpCode::Receive:
        if (probe) {
            pollfd entry{op->descriptor, static_cast<short>((op->flags & MSG_OOB) ? POLLPRI : POLLIN), 0};
            if (poll(&entry, 1, 0) == 0) return -EAGAIN;
        }
        done = op->message != nullptr ? raw::recvmsg(op->descriptor, op->message, op->flags | MSG_DONTWAIT)
                                      : raw::recv(op->descriptor, op->buffer, op->length, op->flags | MSG_DONTWAIT);
        break;
    case OpCode::Send:
        done = op->message != nullptr
                   ? raw::sendmsg(op->descriptor, op->message, op->flags | MSG_DONTWAIT | MSG_NOSIGNAL)
                   : raw::send(op->descriptor, op->buffer, op->length, op->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
        break;
    case OpCode::Accept: {
        socklen_t length = op->address_length;
        done = accept4(op->descriptor, static_cast<sockaddr*>(op->address), op->address != nullptr ? &length : nullptr,
                       SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (done >= 0) op->address_length = length;
        break;
    }
    case OpCode::Connect:
        if (!op->engine_connecting) {
            if (connect(op->descriptor, static_cast<const sockaddr*>(op->address), op->address_length) == 0) return 0;
            if (errno != EINPROGRESS && errno != EAGAIN) return -errno;
            op->engine_connecting = true;
            return -EAGAIN;
        } else {
            pollfd entry{op->descriptor, POLLOUT, 0};
            if (poll(&entry, 1, 0) <= 0) return -EAGAIN;
            int error = 0;
            socklen_t length = sizeof(error);
            if (getsockopt(op->descriptor, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return -errno;
            return -error;
        }
    case OpCode::Poll: {
        pollfd entry{op->descriptor, static_cast<short>(op->flags), 0};
        int ready = poll(&entry, 1, 0);
        if (ready < 0) return -errno;
        return ready == 0 ? -EAGAIN : entry.revents;
    }
    default: return -EINVAL;
    }
    if (done < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    return static_cast<int>(done);
}

}  // namespace

bool wants_input(const Op* op)
{
    switch (op->code) {
    case OpCode::Read:
    case OpCode::ReadVector:
    case OpCode::Receive:
    case OpCode::Accept: return true;
    case OpCode::Poll: return (op->flags & POLLOUT) == 0;
    default: return false;
    }
}

size_t requested_length(const Op* op)
{
    if (op->code == OpCode::ReadVector || op->code == OpCode::WriteVector) {
        size_t total = 0;
        for (uint32_t i = 0; i < op->length; ++i) total += op->vectors[i].iov_len;
        return total;
    }
    return op->length;
}

int attempt_at(int descriptor, bool write, void* buffer, uint32_t length, uint64_t offset)
{
    iovec single{buffer, length};
    ssize_t done = transfer_vectors(descriptor, !write, &single, 1, static_cast<off_t>(offset), RWF_NOWAIT);
    return done >= 0 ? static_cast<int>(done) : -errno;
}

int attempt(Op* op, bool nowait, bool probe)
{
    for (;;) {
        // A stream the fast path made non-blocking (above) answers EAGAIN to a blocking
        // attempt too: that waits for its descriptor as a socket's does.
        int result = is_socket_op(op) ? socket_once(op, probe) : transfer(op, nowait);
        if (result != -EAGAIN || nowait) return result;
        // Blocking: wait for the descriptor, then try again.
        pollfd entry{op->descriptor, static_cast<short>(wants_input(op) ? POLLIN : POLLOUT), 0};
        if (op->code == OpCode::Poll) entry.events = static_cast<short>(op->flags);
        if (poll(&entry, 1, -1) < 0 && errno == EINTR) return -EINTR;
    }
}

}  // namespace overlapped::engine
