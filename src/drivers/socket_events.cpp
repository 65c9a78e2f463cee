// socket_events.cpp: WSAEventSelect and WSAEnumNetworkEvents for the socket driver.
//
// Windows records each network event once and records it again only after the call
// that re-enables it (a recv for FD_READ and FD_OOB, an accept or AcceptEx for
// FD_ACCEPT, a send that would block for FD_WRITE, a new connect for FD_CONNECT;
// nothing for FD_CLOSE). A re-enabling call records the event at once if its condition
// still holds (data left after a recv, another connection waiting after an accept).
// New data and new connections record FD_READ and FD_ACCEPT even before that call;
// a receive or an AcceptEx in progress takes them first and nothing is recorded.
// `reported` holds the events recorded and not re-enabled since.
//
// How changes are seen: while events are selected, the socket's descriptor sits in an
// epoll instance of its own, edge-triggered, so that the instance becomes readable
// each time the socket's state changes (data arrives, a connection comes in, room to
// send returns, the peer ends the stream), and not merely while a condition holds. The
// socket keeps one Poll operation on that instance (its "watch") with the engine,
// through the I/O manager's process queue; its completion, on the I/O manager's
// completion thread, takes the edge and compares the socket's state with what it last
// saw (bytes queued, connections waiting) to decide what to record, then watches again.
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/socket.h"
#include "drivers/socket_translate.h"
#include "io/request.h"
#include "kernel/sync.h"

namespace overlapped::drivers {

namespace tr = translate;

namespace {

int bit_index(LONG bit)
{
    int index = 0;
    while ((1 << index) != bit) ++index;
    return index;
}

// The connections waiting in a listener's queue (TCP_INFO gives a TCP listener's backlog
// length in tcpi_unacked); other listeners (AF_UNIX) tell only whether one waits.
uint32_t listener_backlog(int descriptor, short ready, bool* counted)
{
    tcp_info info{};
    socklen_t size = sizeof(info);
    *counted = getsockopt(descriptor, IPPROTO_TCP, TCP_INFO, &info, &size) == 0;
    if (!*counted) return (ready & POLLIN) ? 1 : 0;
    return info.tcpi_unacked;
}

uint32_t bytes_queued(int descriptor)
{
    int available = 0;
    if (ioctl(descriptor, FIONREAD, &available) != 0 || available < 0) return 0;
    return static_cast<uint32_t>(available);
}

}  // namespace

int SocketDevice::event_select(kernel::Object* event, LONG mask)
{
    kernel::Object* old_event = nullptr;
    {
        LockGuard guard(lock);
        old_event = events_.event;
        events_.event = mask != 0 ? event : nullptr;
        events_.mask = mask;
        event_selected_.store(mask != 0, std::memory_order_relaxed);
        nonblocking_.store(true, std::memory_order_release);  // whatever the mask, as Windows does
        if (mask == 0) {
            if (events_.armed) io::cancel_internal(&events_.watch.op);
        } else {
            // What holds now is recorded now (data waiting, a connection to accept, room to
            // send...), unless recorded before and not re-enabled since; and events
            // recorded earlier and not yet enumerated signal the new event too.
            events_update(false);
            if ((events_.recorded & mask) != 0 && events_.event != nullptr) {
                static_cast<kernel::EventObject*>(events_.event)->set_now();
            }
            events_arm();
        }
    }
    if (mask == 0 && event != nullptr) event->release_reference();
    if (old_event != nullptr) old_event->release_reference();
    return 0;
}

int SocketDevice::enumerate_events(kernel::Object* event, ws::WsaNetworkEvents* out)
{
    LockGuard guard(lock);
    LONG bits = events_.recorded & events_.mask;
    out->lNetworkEvents = bits;
    // Only the entries of the events reported are written (the others keep whatever the
    // caller had there, as on Windows).
    for (int i = 0; i < ws::kFdMaxEvents; ++i)
        if (bits & (1 << i)) out->iErrorCode[i] = events_.errors[i];
    events_.recorded &= ~bits;
    if (event != nullptr) {
        auto* object = static_cast<kernel::EventObject*>(event);
        object->lock.lock();
        object->reset();
        object->lock.unlock();
    }
    return 0;
}

void SocketDevice::inherit_event_select(SocketDevice* accepted)
{
    kernel::Object* event = nullptr;
    LONG mask = 0;
    {
        LockGuard guard(lock);
        if (events_.mask != 0 && events_.event != nullptr) {
            event = events_.event;
            event->add_reference();
            mask = events_.mask;
        }
    }
    if (event != nullptr) accepted->event_select(event, mask);
}

void SocketDevice::events_reenable(LONG bits, bool receive_finishing)
{
    if (!event_selected_.load(std::memory_order_relaxed)) return;
    LockGuard guard(lock);
    events_.receive_finishing = receive_finishing;
    events_reenable_locked(bits);
    events_.receive_finishing = false;
}

void SocketDevice::events_reenable_locked(LONG bits)
{
    if (events_.mask == 0) return;
    events_.reported &= ~bits;
    events_update(false);
    events_arm();
}

void SocketDevice::events_connect_started()
{
    connect_failed_.store(false, std::memory_order_release);
    events_.connect = ConnectState::Pending;
    events_.connect_error = 0;
    // A datagram socket's connect records FD_WRITE again with FD_CONNECT.
    events_.reported &= ~(is_stream_type() ? ws::kFdConnect : ws::kFdConnect | ws::kFdWrite);
    // The connect may have ended already (a loopback refusal comes back at once), and the
    // watch may have taken that edge before the connect was marked pending here, when it
    // meant nothing; so look now rather than wait for an edge that will not come again.
    events_update(false);
    events_arm();  // the watch now also waits for the connection (room to send)
}

void SocketDevice::events_connect_finished(int error)
{
    if (error != 0) connect_failed_.store(true, std::memory_order_release);
    events_.connect = ConnectState::Done;
    events_.connect_error = error;
    events_update(false);
    events_arm();
}

void SocketDevice::events_record(LONG bits, int error)
{
    bits &= events_.mask;
    if (bits == 0) return;
    events_.recorded |= bits;
    events_.reported |= bits;
    for (LONG bit = 1; bit < (1 << ws::kFdMaxEvents); bit <<= 1)
        if (bits & bit) events_.errors[bit_index(bit)] = error;
    if (events_.event != nullptr) static_cast<kernel::EventObject*>(events_.event)->set_now();
}

void SocketDevice::events_update(bool edges)
{
    int descriptor = descriptor_;
    if (events_.mask == 0 || descriptor < 0) return;
    LONG reported = events_.reported;
    pollfd entry{descriptor, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0};
    if (poll(&entry, 1, 0) < 0) entry.revents = 0;
    short ready = entry.revents;

    if (!is_stream_type()) {
        // Datagrams: FD_READ while one waits (or an error to report), FD_WRITE while
        // there is room once the socket is bound (Windows records nothing for an unbound
        // one), FD_CONNECT after connect(); each once until re-enabled.
        if (events_.connect == ConnectState::Done && !(reported & ws::kFdConnect))
            events_record(ws::kFdConnect, events_.connect_error);
        if ((ready & (POLLIN | POLLERR)) && !(reported & ws::kFdRead)) events_record(ws::kFdRead, 0);
        if ((ready & POLLOUT) && bound_.load(std::memory_order_acquire) && !(reported & ws::kFdWrite))
            events_record(ws::kFdWrite, 0);
        return;
    }

    if (listening_.load(std::memory_order_acquire)) {
        bool counted = true;
        uint32_t backlog = listener_backlog(descriptor, ready, &counted);
        // A connection an AcceptEx in progress will take is not announced.
        if (backlog > 0 && !has_pending(SocketOperation::Accept)) {
            bool arrived = edges && (backlog > events_.last_backlog || !counted);
            if (arrived || !(reported & ws::kFdAccept)) events_record(ws::kFdAccept, 0);
        }
        events_.last_backlog = backlog;
        return;
    }

    // This socket's own connect: FD_CONNECT when it ends, with its error.
    if (events_.connect == ConnectState::Pending && (ready & (POLLOUT | POLLERR | POLLHUP))) {
        bool made = connected();  // looks at the connect (once) if it just ended
        if (made) {
            events_.connect = ConnectState::Done;
            events_.connect_error = 0;
        } else if (connect_failed_.load(std::memory_order_acquire)) {
            events_.connect = ConnectState::Done;
            events_.connect_error = pending_error_ != 0 ? pending_error_ : WSAECONNREFUSED;
        }
    }
    if (events_.connect == ConnectState::Done && !(reported & ws::kFdConnect))
        events_record(ws::kFdConnect, events_.connect_error);

    if (!connected_.load(std::memory_order_acquire)) return;  // nothing else before a connection

    uint32_t available = bytes_queued(descriptor);
    // Data a pending receive is to take records nothing (Wine's sock.c test_read_events:
    // "Send data while there is a pending WSARecv()": no FD_READ; the next data, with no
    // receive pending, records it); the receive's finish() re-enables FD_READ, and data
    // it left records it then.
    int receives = pending_count(SocketOperation::Receive);
    if (events_.receive_finishing && receives > 0) --receives;
    if (available > 0 && receives == 0) {
        bool arrived = edges && available > events_.last_available;
        if (arrived || !(reported & ws::kFdRead)) events_record(ws::kFdRead, 0);
    }
    events_.last_available = available;
    // Out-of-band data read inline is data: FD_READ (above), never FD_OOB.
    if ((ready & POLLPRI) && !(reported & ws::kFdOob) && (events_.mask & ws::kFdOob) && !oob_inline())
        events_record(ws::kFdOob, 0);
    if ((ready & (POLLRDHUP | POLLHUP | POLLERR)) && !(reported & ws::kFdClose) && (events_.mask & ws::kFdClose) &&
        stream_ended(ready)) {
        // The end of the stream: FD_CLOSE once, error 0 for a graceful close; a reset
        // reports WSAECONNABORTED (and every later transfer fails with WSAECONNRESET).
        // This side's own shutdown is no end (stream_ended).
        int error = 0;
        if (ready & POLLERR) {
            int pending = 0;
            socklen_t size = sizeof(pending);
            if (getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &pending, &size) == 0 && pending != 0) {
                if (pending == ECONNRESET || pending == EPIPE) reset_.store(true, std::memory_order_release);
                else error = tr::wsa_error(pending);
            }
        }
        if (reset_.load(std::memory_order_acquire)) error = WSAECONNABORTED;
        events_record(ws::kFdClose, error);
    }
    if ((ready & POLLOUT) && !(reported & ws::kFdWrite) && !send_shut_.load(std::memory_order_acquire))
        events_record(ws::kFdWrite, 0);
}

void SocketDevice::events_arm()
{
    if (events_.mask == 0 || descriptor_ < 0 || closing_.load(std::memory_order_acquire)) return;
    if (events_.epoll < 0) {
        events_.epoll = epoll_create1(EPOLL_CLOEXEC);
        if (events_.epoll < 0) return;
    }
    // Room to send matters only while FD_WRITE may be recorded or a connect is under way
    // (otherwise a busy sender would wake the watch at every acknowledgement).
    uint32_t wanted = EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLET;
    if (events_.connect == ConnectState::Pending ||
        ((events_.mask & ws::kFdWrite) && !(events_.reported & ws::kFdWrite)))
        wanted |= EPOLLOUT;
    if (wanted != events_.registered) {
        epoll_event change{};
        change.events = wanted;
        int operation = events_.registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        int result = epoll_ctl(events_.epoll, operation, descriptor_, &change);
        if (result != 0 && errno == ENOENT) result = epoll_ctl(events_.epoll, EPOLL_CTL_ADD, descriptor_, &change);
        if (result != 0 && errno == EEXIST) result = epoll_ctl(events_.epoll, EPOLL_CTL_MOD, descriptor_, &change);
        if (result != 0) return;
        events_.registered = wanted;
    }
    if (events_.armed) return;
    io::InternalOp& op = events_.watch.op;
    events_.watch.socket = this;
    op.reset();
    op.code = engine::OpCode::Poll;
    op.kind = engine::OpKind::Stream;
    op.descriptor = events_.epoll;
    op.flags = POLLIN;
    op.complete = &SocketDevice::events_watched;
    events_.armed = true;
    add_reference();  // the watch keeps the socket
    if (!io::submit_internal(&op)) {
        events_.armed = false;
        release_reference();
    }
}

void SocketDevice::events_watched(engine::Op* op)
{
    SocketDevice* socket = reinterpret_cast<EventSelect::Watch*>(op)->socket;
    {
        LockGuard guard(socket->lock);
        socket->events_.armed = false;
        if (socket->events_.mask != 0 && socket->events_.epoll >= 0) {
            // Take the edge (the instance holds one descriptor), then see what changed.
            epoll_event edge;
            while (epoll_wait(socket->events_.epoll, &edge, 1, 0) > 0) {
            }
            socket->events_update(true);
        }
        socket->events_arm();
    }
    socket->release_reference();  // the watch's
}

}  // namespace overlapped::drivers
