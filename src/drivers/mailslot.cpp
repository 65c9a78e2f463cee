// mailslot.cpp: mailslots on Unix-domain datagram sockets (mailslot.h).
#include "drivers/mailslot.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/user_memory.h"
#include "drivers/inherit.h"
#include "io/request.h"
#include "kernel/thread_state.h"

namespace overlapped::drivers {
namespace {

// The longest mailslot path CreateMailslot and CreateFile accept (UTF-16 units).
constexpr size_t kMaxNameLength = MAX_PATH;

// A client asks for this much room to send (Linux caps it at net.core.wmem_max): one
// datagram cannot be larger than the sender's buffer.
constexpr int kClientSendBuffer = 8 << 20;

// A request's state: a read's, or a client's write (its message in buffer and length).
struct ReadState {
    void* buffer = nullptr;
    DWORD length = 0;
    bool taken = false;  // prepare() took the message itself (op.result: its size)
    bool read = false;   // a read (not a client's write)
    int timer = -1;      // a timed read's timerfd and the epoll instance it waits on
    int epoll = -1;
};

// Copies a message into the reader's buffer, or false when the buffer is not writable
// memory (Windows fails such a read with ERROR_NOACCESS and leaves the message): the copy
// goes through the kernel, which reports a bad address instead of faulting. A kernel
// that refuses process_vm_writev (seccomp) gets a plain copy.
bool copy_out(void* buffer, const void* data, size_t size)
{
    if (size == 0) return true;
    iovec local{const_cast<void*>(data), size};
    iovec remote{buffer, size};
    ssize_t copied = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
    if (copied == static_cast<ssize_t>(size)) return true;
    if (copied < 0 && (errno == ENOSYS || errno == EPERM)) {
        memcpy(buffer, data, size);
        return true;
    }
    return false;
}

bool epoll_add(int epoll, int descriptor)
{
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = descriptor;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0;
}

}  // namespace

// ---- creation, close.
MailslotDevice* MailslotDevice::create_server(const std::string& path, DWORD max_message_size, DWORD read_timeout,
                                              DWORD* error)
{
    DeviceName name;
    *error = parse_device_name(path, NameKind::Mailslot, false, kMaxNameLength, &name);
    if (*error != ERROR_SUCCESS) return nullptr;
    std::string entry;
    *error = namespace_path(name, "", &entry);
    if (*error != ERROR_SUCCESS) return nullptr;
    int socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (socket < 0) {
        *error = win32_error_from_errno(errno);
        return nullptr;
    }
    EntryId id;
    int bound = namespace_bind(socket, entry, &id);
    if (bound != 0) {
        ::close(socket);
        *error = bound == -EADDRINUSE ? ERROR_ALREADY_EXISTS : win32_error_from_errno(-bound);
        return nullptr;
    }
    // The maximum message size, for clients (mailslot.h); the entry's identity changes
    // with it (its change time).
    timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_NOW;
    times[1].tv_sec = static_cast<time_t>(max_message_size);
    times[1].tv_nsec = kMaxSizeMark;
    struct stat st;
    if (utimensat(AT_FDCWD, entry.c_str(), times, 0) == 0 && stat(entry.c_str(), &st) == 0) {
        id.inode = static_cast<unsigned long>(st.st_ino);
        id.changed_ns = static_cast<long long>(st.st_ctim.tv_sec) * 1000000000LL + st.st_ctim.tv_nsec;
    }
    int event = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    int drain = epoll_create1(EPOLL_CLOEXEC);
    if (event < 0 || epoll < 0 || drain < 0 || !epoll_add(epoll, socket) || !epoll_add(epoll, event) ||
        !epoll_add(drain, socket)) {
        *error = win32_error_from_errno(errno);
        namespace_unbind(entry, id);
        ::close(socket);
        for (int descriptor : {event, epoll, drain})
            if (descriptor >= 0) ::close(descriptor);
        return nullptr;
    }

    MailslotDevice* device = kernel::Pool<MailslotDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->server_ = true;
    device->flags_ = 0;
    device->socket_ = socket;
    device->ready_event_ = event;
    device->ready_epoll_ = epoll;
    device->drain_epoll_ = drain;
    device->path_ = entry;
    device->entry_ = id;
    device->max_message_ = max_message_size;
    device->read_timeout_.store(read_timeout, std::memory_order_relaxed);
    device->closing_.store(false, std::memory_order_relaxed);
    device->messages_.clear();
    device->event_set_ = false;
    device->drain_armed_ = false;
    device->arm_drain_locked();
    device->lock.unlock();
    return device;
}

// A client end on `socket` (connected to the mailslot's entry).
MailslotDevice* MailslotDevice::new_client(int socket, DWORD max_message_size, DWORD flags)
{
    MailslotDevice* device = kernel::Pool<MailslotDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->server_ = false;
    device->flags_ = flags;
    device->socket_ = socket;
    device->ready_event_ = -1;
    device->ready_epoll_ = -1;
    device->drain_epoll_ = -1;
    device->path_.clear();
    device->entry_ = EntryId{};
    device->max_message_ = max_message_size;
    device->read_timeout_.store(0, std::memory_order_relaxed);
    device->closing_.store(false, std::memory_order_relaxed);
    device->messages_.clear();
    device->event_set_ = false;
    device->drain_armed_ = false;
    device->lock.unlock();
    return device;
}

MailslotDevice* MailslotDevice::open_client(const std::string& path, DWORD flags, DWORD* error)
{
    DeviceName name;
    *error = parse_device_name(path, NameKind::Mailslot, true, kMaxNameLength, &name);
    if (*error != ERROR_SUCCESS) return nullptr;
    std::string entry;
    *error = namespace_path(name, "", &entry);
    if (*error != ERROR_SUCCESS) return nullptr;
    int socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (socket < 0) {
        *error = win32_error_from_errno(errno);
        return nullptr;
    }
    int room = kClientSendBuffer;
    setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &room, sizeof room);
    sockaddr_un address;
    socklen_t length;
    namespace_address(entry, &address, &length);
    if (connect(socket, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        int failure = errno;
        ::close(socket);
        // No entry, or one left by a server that is gone: no such mailslot (Windows'
        // answer when no server has created it).
        *error = failure == ENOENT || failure == ECONNREFUSED || failure == EPROTOTYPE ? ERROR_FILE_NOT_FOUND
                 : failure == EACCES                                                    ? ERROR_ACCESS_DENIED
                                                                                        : win32_error_from_errno(failure);
        return nullptr;
    }
    // The server marks its entry right after bind: an unmarked entry is one we reached in
    // between, so look again for a moment (20 ms at most) before taking it as "no limit".
    DWORD max_message_size = 0;
    for (int attempt = 0; attempt < 200; ++attempt) {
        struct stat st;
        if (stat(entry.c_str(), &st) != 0) break;
        if (st.st_mtim.tv_nsec == kMaxSizeMark) {
            max_message_size = static_cast<DWORD>(st.st_mtim.tv_sec);
            break;
        }
        usleep(100);
    }

    return new_client(socket, max_message_size, flags);
}

MailslotDevice* MailslotDevice::adopt_client(int descriptor, DWORD max_message_size, DWORD flags, DWORD* error)
{
    int fd_flags = fcntl(descriptor, F_GETFD);
    int status_flags = fcntl(descriptor, F_GETFL);
    if (fd_flags < 0 || status_flags < 0) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    fcntl(descriptor, F_SETFD, fd_flags | FD_CLOEXEC);
    fcntl(descriptor, F_SETFL, status_flags | O_NONBLOCK);
    return new_client(descriptor, max_message_size, flags);
}

bool MailslotDevice::export_client(int* descriptor, DWORD* max_message_size, DWORD* flags) const
{
    if (server_ || socket_ < 0) return false;
    *descriptor = socket_;
    *max_message_size = max_message_;
    *flags = flags_;
    return true;
}

namespace {
// A client end crosses (its connected socket; the word: the maximum message size in 31
// bits, saturated, and whether it is overlapped). A server end does not: its messages
// are queued in this process (mailslot.h), which a child could not share.
constexpr uint32_t kInheritOverlapped = 1u << 31;

bool export_mailslot(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    DWORD max_message_size = 0, flags = 0;
    if (!static_cast<MailslotDevice*>(object)->export_client(descriptor, &max_message_size, &flags)) return false;
    *extra = std::min<uint32_t>(max_message_size, kInheritOverlapped - 1) |
             ((flags & FILE_FLAG_OVERLAPPED) ? kInheritOverlapped : 0);
    return true;
}

kernel::Object* import_mailslot(int descriptor, uint32_t extra, ACCESS_MASK, DWORD* error)
{
    return MailslotDevice::adopt_client(descriptor, extra & ~kInheritOverlapped,
                                        (extra & kInheritOverlapped) ? FILE_FLAG_OVERLAPPED : 0, error);
}

const InheritKind mailslot_inherit_kind = {export_mailslot, import_mailslot};
const InheritRegistration mailslot_inherit_registration OVERLAPPED_INHERIT_EARLY(kernel::ObjectType::Mailslot,
                                                                                 &mailslot_inherit_kind);
}  // namespace

void MailslotDevice::last_handle_closed()
{
    closing_.store(true, std::memory_order_release);
    Device::last_handle_closed();  // cancels the requests in progress
    if (!server_) return;
    // The name is free at once (a new CreateMailslot of it succeeds), and clients' writes
    // fail from now on (the socket receives no more).
    namespace_unbind(path_, entry_);
    ::shutdown(socket_, SHUT_RDWR);
    if (drain_armed_) io::cancel_internal(&drain_.op);
    interrupt_blocked();
    messages_.clear();
}

void MailslotDevice::recycle()
{
    lock.lock();
    int descriptors[4] = {socket_, ready_event_, ready_epoll_, drain_epoll_};
    socket_ = ready_event_ = ready_epoll_ = drain_epoll_ = -1;
    messages_.clear();
    messages_.shrink_to_fit();
    path_.clear();
    unbind();
    lock.unlock();
    io::forget_device(this);
    for (int descriptor : descriptors)
        if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<MailslotDevice>::instance().release(this);
}

// ---- the server's queue.
void MailslotDevice::drain_locked()
{
    if (socket_ < 0 || closing_.load(std::memory_order_acquire)) return;
    for (;;) {
        ssize_t size = recv(socket_, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (size < 0) {
            if (errno == EINTR) continue;
            break;  // EAGAIN: the socket is empty
        }
        std::vector<char> message(static_cast<size_t>(size));
        ssize_t got = recv(socket_, message.data(), message.size(), MSG_DONTWAIT);
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        message.resize(static_cast<size_t>(got));
        messages_.push_back(std::move(message));
    }
    if (!messages_.empty() && !event_set_) {
        uint64_t one = 1;
        if (write(ready_event_, &one, sizeof one) == sizeof one) event_set_ = true;
    }
}

DWORD MailslotDevice::take_locked(void* buffer, DWORD length, DWORD* size)
{
    if (messages_.empty()) return ERROR_NO_DATA;
    std::vector<char>& message = messages_.front();
    if (message.size() > length) return ERROR_INSUFFICIENT_BUFFER;
    if (!copy_out(buffer, message.data(), message.size())) return ERROR_NOACCESS;  // the message stays
    *size = static_cast<DWORD>(message.size());
    messages_.pop_front();
    if (messages_.empty() && event_set_) {
        uint64_t count;
        if (read(ready_event_, &count, sizeof count) == sizeof count) event_set_ = false;
    }
    return ERROR_SUCCESS;
}

void MailslotDevice::arm_drain_locked()
{
    if (drain_armed_ || socket_ < 0 || closing_.load(std::memory_order_acquire)) return;
    io::InternalOp& op = drain_.op;
    drain_.device = this;
    op.reset();
    op.code = engine::OpCode::Poll;
    op.kind = engine::OpKind::Stream;
    op.descriptor = drain_epoll_;  // not the socket itself: see drain_epoll_
    op.flags = POLLIN;
    op.complete = &MailslotDevice::drained;
    drain_armed_ = true;
    add_reference();  // the drain keeps the mailslot
    if (!io::submit_internal(&op)) {
        drain_armed_ = false;
        release_reference();
    }
}

void MailslotDevice::drained(engine::Op* op)
{
    MailslotDevice* device = reinterpret_cast<Drain*>(op)->device;
    {
        LockGuard guard(device->lock);
        device->drain_armed_ = false;
        if (op->result >= 0) device->drain_locked();
        // Again, unless the mailslot is closing (its cancellation).
        device->arm_drain_locked();
    }
    device->release_reference();  // the drain's
}

// ---- transfers.
DWORD MailslotDevice::send_error(int error) const
{
    switch (error) {
    // The server is gone (Windows fails a write to a mailslot whose server closed with
    // STATUS_FILE_FORCED_CLOSED, which Win32 reports as ERROR_HANDLE_EOF).
    case ECONNREFUSED:
    case ENOTCONN:
    case EPIPE:
    case ECONNRESET:
    case EDESTADDRREQ: return ERROR_HANDLE_EOF;
    // Larger than Linux takes in one datagram (docs/mailslots.md).
    case EMSGSIZE:
    case ENOBUFS:
    case ENOMEM: return ERROR_NOT_ENOUGH_MEMORY;
    default: return win32_error_from_errno(error);
    }
}

DWORD MailslotDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    ReadState* state = request->driver_state<ReadState>();
    *state = ReadState{};
    engine::Op* op = &request->op;
    if (transfer.segments != nullptr || transfer.driver_request != nullptr) return ERROR_INVALID_PARAMETER;
    if (transfer.write) {
        if (server_) return ERROR_ACCESS_DENIED;
        if (max_message_ != 0 && transfer.length > max_message_) return ERROR_INVALID_PARAMETER;
        // The engine is asked only to wait for room (a Poll for POLLOUT), and step() sends
        // the datagram itself. Not an engine Send: an io_uring send of a datagram to a
        // Unix socket whose receiver is full (the server's drain has not emptied it yet)
        // sent an empty datagram in the message's place once room came, and reported 0
        // bytes (seen on Linux 6.18; the likely cause: unix_dgram_sendmsg copies the
        // message before it finds the queue full, and io_uring's retry after its wait
        // starts from the data the first try consumed).
        state->buffer = const_cast<void*>(transfer.buffer);
        state->length = transfer.length;
        op->code = engine::OpCode::Poll;
        op->kind = engine::OpKind::Stream;
        op->descriptor = socket_;
        op->flags = POLLOUT;
        plan->lane = io::Lane::Out;
        plan->attempt_now = true;
        return ERROR_SUCCESS;
    }
    if (transfer.length != 0 && !writable_memory(transfer.buffer, transfer.length)) return ERROR_NOACCESS;
    if (!server_) return ERROR_INVALID_PARAMETER;  // clients only write
    state->read = true;
    state->buffer = transfer.buffer;
    state->length = transfer.length;
    plan->lane = io::Lane::In;
    bool first = !lanes[0].busy;  // no read ahead of this one
    DWORD timeout = read_timeout_.load(std::memory_order_relaxed);
    if (first) {
        drain_locked();
        DWORD size = 0;
        DWORD taken = take_locked(transfer.buffer, transfer.length, &size);
        if (taken == ERROR_INSUFFICIENT_BUFFER || taken == ERROR_NOACCESS) return taken;  // the message stays
        if (taken == ERROR_SUCCESS) {
            state->taken = true;
            plan->done_now = true;
            plan->result = static_cast<int>(size);
            return ERROR_SUCCESS;
        }
        if (timeout == 0) return ERROR_SEM_TIMEOUT;  // nothing there, and no waiting
    }
    op->code = engine::OpCode::Poll;
    op->kind = engine::OpKind::Stream;
    op->flags = POLLIN;
    op->descriptor = ready_epoll_;
    if (timeout != MAILSLOT_WAIT_FOREVER) {
        // A timer of its own, from now (a read waiting behind another counts from its issue).
        state->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        state->epoll = epoll_create1(EPOLL_CLOEXEC);
        itimerspec when{};
        when.it_value.tv_sec = timeout / 1000;
        when.it_value.tv_nsec = static_cast<long>(timeout % 1000) * 1000000L;
        if (timeout == 0) when.it_value.tv_nsec = 1;  // already due (0 would disarm)
        if (state->timer < 0 || state->epoll < 0 || timerfd_settime(state->timer, 0, &when, nullptr) != 0 ||
            !epoll_add(state->epoll, socket_) || !epoll_add(state->epoll, ready_event_) ||
            !epoll_add(state->epoll, state->timer)) {
            DWORD error = win32_error_from_errno(errno);
            finish(request);
            return error == ERROR_SUCCESS ? ERROR_NOT_ENOUGH_MEMORY : error;
        }
        op->descriptor = state->epoll;
    }
    return ERROR_SUCCESS;
}

io::Next MailslotDevice::step(io::Request* request, io::Outcome* outcome)
{
    ReadState* state = request->driver_state<ReadState>();
    int result = request->op.result;
    outcome->bytes = 0;
    if (!state->read) {  // a client's message: the socket has room (or an error) now
        if (result >= 0) {
            ssize_t sent = send(socket_, state->buffer, state->length, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return io::Next::Engine;  // taken meanwhile
            result = sent < 0 ? -errno : static_cast<int>(sent);
        }
        if (result < 0) {
            outcome->status = result == -ECANCELED ? STATUS_CANCELLED : ntstatus_from_win32_error(send_error(-result));
            return io::Next::Done;
        }
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = static_cast<DWORD>(result);
        return io::Next::Done;
    }
    if (state->taken) {
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = static_cast<DWORD>(result);
        return io::Next::Done;
    }
    if (result < 0 || closing_.load(std::memory_order_acquire)) {
        outcome->status = result < 0 && result != -ECANCELED ? io::status_from_errno(-result) : STATUS_CANCELLED;
        return io::Next::Done;
    }
    {
        LockGuard guard(lock);
        drain_locked();
        DWORD size = 0;
        DWORD taken = take_locked(state->buffer, state->length, &size);
        if (taken == ERROR_SUCCESS) {
            outcome->status = STATUS_SUCCESS;
            outcome->bytes = size;
            return io::Next::Done;
        }
        if (taken == ERROR_INSUFFICIENT_BUFFER) {  // the message stays for a larger read
            outcome->status = STATUS_BUFFER_TOO_SMALL;
            return io::Next::Done;
        }
        if (taken == ERROR_NOACCESS) {  // a buffer that is not writable memory; the message stays
            outcome->status = ntstatus_from_win32_error(ERROR_NOACCESS);
            return io::Next::Done;
        }
        if (request->cancel_requested) {  // a cancellation that met the wake-up: not lost
            outcome->status = STATUS_CANCELLED;
            return io::Next::Done;
        }
    }
    if (state->timer >= 0) {
        uint64_t expirations = 0;
        if (read(state->timer, &expirations, sizeof expirations) == sizeof expirations && expirations != 0) {
            outcome->status = STATUS_IO_TIMEOUT;
            return io::Next::Done;
        }
    }
    return io::Next::Engine;  // woken for a message another reader took: wait again
}

void MailslotDevice::finish(io::Request* request)
{
    ReadState* state = request->driver_state<ReadState>();
    if (state->epoll >= 0) ::close(state->epoll);
    if (state->timer >= 0) ::close(state->timer);
    state->epoll = state->timer = -1;
}

DWORD MailslotDevice::transfer_sync(const io::Transfer& transfer, bool, DWORD* done)
{
    *done = 0;
    if (transfer.write) {
        if (server_) return ERROR_ACCESS_DENIED;
        if (max_message_ != 0 && transfer.length > max_message_) return ERROR_INVALID_PARAMETER;
        for (;;) {
            ssize_t sent = send(socket_, transfer.buffer, transfer.length, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (sent >= 0) {
                *done = static_cast<DWORD>(sent);
                return ERROR_SUCCESS;
            }
            if (errno == EINTR) {
                if (io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
                continue;
            }
            if (errno != EAGAIN) return send_error(errno);
            // The server's socket is full for a moment (its drain empties it): wait for room.
            pollfd entry{socket_, POLLOUT, 0};
            if (poll(&entry, 1, -1) < 0 && errno == EINTR && io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
        }
    }
    if (transfer.length != 0 && !writable_memory(transfer.buffer, transfer.length)) return ERROR_NOACCESS;
    // A client never reads. The server's handle is asynchronous (overlapped_io), so its
    // reads, ReadFile's without an OVERLAPPED too, are requests (prepare, step): they keep
    // the order they were issued in.
    return ERROR_INVALID_PARAMETER;
}

// ---- GetMailslotInfo, SetMailslotInfo.
DWORD MailslotDevice::info(DWORD* max_message_size, DWORD* next_size, DWORD* message_count, DWORD* read_timeout)
{
    if (!server_) return ERROR_INVALID_PARAMETER;
    LockGuard guard(lock);
    drain_locked();
    if (max_message_size != nullptr) *max_message_size = max_message_;
    if (next_size != nullptr)
        *next_size = messages_.empty() ? MAILSLOT_NO_MESSAGE : static_cast<DWORD>(messages_.front().size());
    if (message_count != nullptr) *message_count = static_cast<DWORD>(messages_.size());
    if (read_timeout != nullptr) *read_timeout = read_timeout_.load(std::memory_order_relaxed);
    return ERROR_SUCCESS;
}

DWORD MailslotDevice::set_read_timeout(DWORD read_timeout)
{
    if (!server_) return ERROR_INVALID_PARAMETER;
    read_timeout_.store(read_timeout, std::memory_order_relaxed);
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
