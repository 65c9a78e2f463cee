// winsock_select.cpp: Winsock's readiness calls: select() with Windows' fd_set (an array
// of sockets with a count) and its time-out rules, __WSAFDIsSet (FD_ISSET), WSAPoll.
// The waiting is the socket driver's (poll(2) on the sockets' descriptors).
#include <vector>

#include <winsock2.h>

#include "drivers/socket.h"
#include "kernel/handle_table.h"
#include "win32/winsock_state.h"

using namespace overlapped;
using drivers::SocketDevice;
using overlapped::win32::set_last_error;
using overlapped::win32::winsock_started;
using overlapped::win32::wsa_fail;

namespace {

SocketDevice* socket_of(SOCKET s)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(reinterpret_cast<HANDLE>(s), kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    return static_cast<SocketDevice*>(object);
}

struct Entries {
    std::vector<drivers::SocketPoll> list;
    ~Entries()
    {
        for (drivers::SocketPoll& entry : list)
            if (entry.socket != nullptr) entry.socket->release_reference();
    }
};

}  // namespace

extern "C" {

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set* set)
{
    for (u_int i = 0; set != nullptr && i < set->fd_count; ++i)
        if (set->fd_array[i] == fd) return 1;
    return 0;
}

}  // extern "C"

// Declared with C++ linkage in winsock2.h (an overload beside the C library's select);
// its assembler label makes it overlapped_select for C and C++ callers alike.
int WSAAPI select(int, fd_set* readfds, fd_set* writefds, fd_set* exceptfds, const struct timeval* timeout)
{
    if (!winsock_started()) return SOCKET_ERROR;
    const drivers::PollBits& bits = drivers::poll_bits();
    fd_set* sets[3] = {readfds, writefds, exceptfds};
    size_t total = 0;
    for (fd_set* set : sets)
        if (set != nullptr) total += set->fd_count;
    if (total == 0) return wsa_fail(WSAEINVAL, SOCKET_ERROR);  // nothing to wait for
    if (timeout != nullptr && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    Entries entries;
    entries.list.reserve(total);
    for (int kind = 0; kind < 3; ++kind) {
        fd_set* set = sets[kind];
        for (u_int i = 0; set != nullptr && i < set->fd_count; ++i) {
            SocketDevice* socket = socket_of(set->fd_array[i]);
            if (socket == nullptr) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
            short events = kind == 0 ? bits.in : kind == 1 ? bits.out : bits.priority;
            entries.list.push_back({socket, events, 0});
        }
    }
    int timeout_ms = -1;
    if (timeout != nullptr) {
        long long ms = static_cast<long long>(timeout->tv_sec) * 1000 + (timeout->tv_usec + 999) / 1000;
        timeout_ms = ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
    }
    int ready = drivers::poll_sockets(entries.list.data(), entries.list.size(), timeout_ms);
    if (ready < 0) return wsa_fail(-ready, SOCKET_ERROR);
    // Each set keeps only its ready sockets. Readable: data, a connection to accept, the
    // end of the stream or an error. Writable: room, or a connection made. Except:
    // out-of-band data, or a non-blocking connect that failed (which is not writable).
    int count = 0;
    size_t index = 0;
    for (int kind = 0; kind < 3; ++kind) {
        fd_set* set = sets[kind];
        if (set == nullptr) continue;
        u_int kept = 0;
        for (u_int i = 0; i < set->fd_count; ++i, ++index) {
            drivers::SocketPoll& entry = entries.list[index];
            short got = entry.ready;
            bool failed_connect = (got & bits.error) && !entry.socket->connected() && !entry.socket->listening() &&
                                  entry.socket->is_stream_type();
            bool yes = false;
            if (kind == 0) yes = got & (bits.in | bits.hangup | bits.error);
            if (kind == 1) yes = (got & bits.out) && !failed_connect;
            if (kind == 2) yes = (got & bits.priority) || failed_connect;
            if (yes) set->fd_array[kept++] = set->fd_array[i];
        }
        set->fd_count = kept;
        count += static_cast<int>(kept);
    }
    set_last_error(0);
    return count;
}

extern "C" {

int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (fdArray == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    const drivers::PollBits& bits = drivers::poll_bits();
    Entries entries;
    entries.list.resize(fds);
    int invalid = 0;
    for (ULONG i = 0; i < fds; ++i) {
        WSAPOLLFD& entry = fdArray[i];
        entry.revents = 0;
        if (entry.events & ~(POLLRDNORM | POLLRDBAND | POLLPRI | POLLWRNORM | POLLWRBAND))
            return wsa_fail(WSAEINVAL, SOCKET_ERROR);
        entries.list[i] = {nullptr, 0, 0};
        if (static_cast<INT_PTR>(entry.fd) < 0) continue;  // ignored, as Windows does
        SocketDevice* socket = socket_of(entry.fd);
        if (socket == nullptr) {
            entry.revents = POLLNVAL;
            ++invalid;
            continue;
        }
        short events = 0;
        if (entry.events & POLLRDNORM) events |= bits.in;
        if (entry.events & (POLLRDBAND | POLLPRI)) events |= bits.priority;
        if (entry.events & (POLLWRNORM | POLLWRBAND)) events |= bits.out;
        entries.list[i] = {socket, events, 0};
    }
    int ready = drivers::poll_sockets(entries.list.data(), entries.list.size(), invalid != 0 ? 0 : timeout);
    if (ready < 0) return wsa_fail(-ready, SOCKET_ERROR);
    int count = invalid;
    for (ULONG i = 0; i < fds; ++i) {
        drivers::SocketPoll& entry = entries.list[i];
        if (entry.socket == nullptr) continue;
        short got = entry.ready;
        SHORT out = 0;
        if (got & bits.in) out |= POLLRDNORM;
        if (got & bits.priority) out |= POLLRDBAND;
        if (got & bits.out) out |= POLLWRNORM;
        if (got & bits.error) out |= POLLERR;
        if (got & bits.hangup) out |= POLLHUP;
        fdArray[i].revents = static_cast<SHORT>(out & (fdArray[i].events | POLLERR | POLLHUP | POLLNVAL));
        if (fdArray[i].revents != 0) ++count;
    }
    set_last_error(0);
    return count;
}

}  // extern "C"

// ---- WSAEventSelect, WSAEnumNetworkEvents.
extern "C" {

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents)
{
    if (!winsock_started()) return SOCKET_ERROR;
    SocketDevice* socket = socket_of(s);
    if (socket == nullptr) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    kernel::Object* event = nullptr;
    if (hEventObject != nullptr) {
        DWORD error;
        event = kernel::handle_reference(hEventObject, kernel::ObjectType::Event, 0, &error);
    }
    if (event == nullptr && lNetworkEvents != 0) {
        socket->release_reference();
        return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    }
    int error = socket->event_select(event, lNetworkEvents);
    socket->release_reference();
    if (error != 0) return wsa_fail(error, SOCKET_ERROR);
    set_last_error(0);
    return 0;
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (lpNetworkEvents == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    SocketDevice* socket = socket_of(s);
    if (socket == nullptr) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    kernel::Object* event = nullptr;
    if (hEventObject != nullptr) {
        DWORD error;
        event = kernel::handle_reference(hEventObject, kernel::ObjectType::Event, 0, &error);
        if (event == nullptr) {
            socket->release_reference();
            return wsa_fail(WSAEINVAL, SOCKET_ERROR);
        }
    }
    int error = socket->enumerate_events(event, reinterpret_cast<ws::WsaNetworkEvents*>(lpNetworkEvents));
    if (event != nullptr) event->release_reference();
    socket->release_reference();
    if (error != 0) return wsa_fail(error, SOCKET_ERROR);
    set_last_error(0);
    return 0;
}

}  // extern "C"
