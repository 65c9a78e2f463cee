// socket_events.cpp: WSAEventSelect and WSAEnumNetworkEvents for the socket driver.
//
// While network events are wanted, the socket keeps one Poll operation (its "watch")
// with the engine, through the I/O manager's process queue. When the descriptor becomes
// ready, the watch's completion records the FD_* events it means, signals the program's
// event, and watches again for what is still wanted. Windows records each event once and
// re-enables it only after the call that consumes it (a recv for FD_READ, an accept for
// FD_ACCEPT, a send that would block for FD_WRITE): `enabled` keeps that state.
#include <cerrno>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

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

}  // namespace

int SocketDevice::event_select(kernel::Object* event, LONG mask)
{
    kernel::Object* old_event = nullptr;
    {
        LockGuard guard(lock);
        old_event = events_.event;
        events_.event = mask != 0 ? event : nullptr;
        events_.mask = mask;
        events_.recorded = 0;
        for (int& error : events_.errors) error = 0;
        // Everything may be recorded once, from now: conditions already true are
        // reported at once (data waiting, room to send, a connection to accept).
        events_.enabled = ws::kFdRead | ws::kFdWrite | ws::kFdOob | ws::kFdAccept | ws::kFdClose |
                          (events_.connect_pending ? ws::kFdConnect : 0);
        nonblocking_.store(true, std::memory_order_release);  // as Windows does
        if (mask != 0) events_arm();
    }
    if (mask == 0 && event != nullptr) event->release_reference();
    if (old_event != nullptr) old_event->release_reference();
    return 0;
}

int SocketDevice::enumerate_events(kernel::Object* event, ws::WsaNetworkEvents* out)
{
    LockGuard guard(lock);
    out->lNetworkEvents = events_.recorded;
    for (int i = 0; i < ws::kFdMaxEvents; ++i) out->iErrorCode[i] = events_.errors[i];
    events_.recorded = 0;
    for (int& error : events_.errors) error = 0;
    if (event != nullptr) {
        auto* object = static_cast<kernel::EventObject*>(event);
        object->lock.lock();
        object->reset();
        object->lock.unlock();
    }
    return 0;
}

void SocketDevice::events_enable(LONG bits)
{
    if (events_.mask == 0) return;
    events_.enabled |= bits;
    events_arm();
}

void SocketDevice::events_arm()
{
    if (events_.armed || events_.mask == 0 || closing_.load(std::memory_order_acquire)) return;
    LONG wanted = events_.mask & events_.enabled & ~events_.recorded;
    short poll_events = 0;
    if (wanted & (ws::kFdRead | ws::kFdAccept | ws::kFdClose)) poll_events |= POLLIN | POLLRDHUP;
    if (wanted & (ws::kFdWrite | ws::kFdConnect)) poll_events |= POLLOUT;
    if (wanted & ws::kFdOob) poll_events |= POLLPRI;
    if (poll_events == 0) return;
    engine::Op& op = events_.watch.op;
    events_.watch.socket = this;
    op.reset();
    op.code = engine::OpCode::Poll;
    op.kind = engine::OpKind::Stream;
    op.descriptor = descriptor_;
    op.flags = poll_events;
    op.complete = &SocketDevice::events_watched;
    events_.armed = true;
    add_reference();  // the watch keeps the socket
    if (!io::submit_internal(&op)) {
        events_.armed = false;
        release_reference();
    }
}

void SocketDevice::events_record(LONG bits, int error)
{
    bits &= events_.mask & events_.enabled;
    if (bits == 0) return;
    events_.recorded |= bits;
    events_.enabled &= ~bits;
    for (LONG bit = 1; bit < (1 << ws::kFdMaxEvents); bit <<= 1)
        if (bits & bit) events_.errors[bit_index(bit)] = error;
    if (events_.event != nullptr) {
        auto* event = static_cast<kernel::EventObject*>(events_.event);
        kernel::WakeList wake;
        event->lock.lock();
        event->set(wake);
        event->lock.unlock();
    }
}

void SocketDevice::events_watched(engine::Op* op)
{
    SocketDevice* socket = reinterpret_cast<EventSelect::Watch*>(op)->socket;
    int ready = op->result;
    {
        LockGuard guard(socket->lock);
        socket->events_.armed = false;
        if (ready > 0 && socket->events_.mask != 0) {
            int descriptor = socket->descriptor_;
            int error = 0;
            socklen_t size = sizeof(error);
            // (A datagram socket's error is an ICMP error that its next receive reports:
            // FD_READ, below; reading it here would take it from that receive.)
            if ((ready & (POLLERR | POLLHUP)) && socket->is_stream_type())
                getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size);
            if (socket->events_.connect_pending && (ready & (POLLOUT | POLLERR | POLLHUP))) {
                // A non-blocking connect finished: FD_CONNECT, with its error if it failed.
                socket->events_.connect_pending = false;
                socket->events_record(ws::kFdConnect, tr::wsa_error(error));
                if (error == 0) {
                    socket->connected_.store(true, std::memory_order_release);
                    socket->connecting_.store(false, std::memory_order_release);
                    socket->connect_time_ = tr::monotonic_seconds();
                }
                error = 0;
            }
            if (socket->listening_.load(std::memory_order_acquire)) {
                if (ready & POLLIN) socket->events_record(ws::kFdAccept, 0);
            } else {
                int available = 0;
                ioctl(descriptor, FIONREAD, &available);
                if (available > 0 && (ready & POLLIN)) socket->events_record(ws::kFdRead, 0);
                // A datagram may be empty (FIONREAD 0); an ICMP error is for a receive too.
                if (!socket->is_stream_type() && (ready & (POLLIN | POLLERR))) socket->events_record(ws::kFdRead, 0);
                // The end of the stream, once its data is read: FD_CLOSE (a reset carries
                // its error).
                bool ended = (ready & (POLLRDHUP | POLLHUP | POLLERR)) && socket->is_stream_type();
                if (ended && available == 0)
                    socket->events_record(ws::kFdClose, error == 0 ? 0 : tr::wsa_error(error));
                if ((ready & POLLOUT) && socket->connected_.load(std::memory_order_acquire))
                    socket->events_record(ws::kFdWrite, 0);
                if (!socket->is_stream_type() && (ready & POLLOUT)) socket->events_record(ws::kFdWrite, 0);
                if (ready & POLLPRI) socket->events_record(ws::kFdOob, 0);
            }
        }
        socket->events_arm();
    }
    socket->release_reference();  // the watch's
}

}  // namespace overlapped::drivers
