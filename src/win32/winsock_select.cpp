// winsock_select.cpp: Winsock's readiness calls: select() with Windows' fd_set (an array
// of sockets with a count) and its time-out rules, __WSAFDIsSet (FD_ISSET), WSAPoll.
// The waiting is the socket driver's (poll(2) on the sockets' descriptors).
#include <algorithm>
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
    std::vector<drivers::SocketWait> list;
    ~Entries()
    {
        for (drivers::SocketWait& entry : list)
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
//
// Readable: a connection to accept, data, the end of the stream (graceful or a reset).
// Writable: room to send on a connected stream or a datagram socket. Except: out-of-band
// data, or a connect that failed (which is neither readable nor writable). A stream
// socket never connected is never ready. nfds is ignored; each set may hold any number
// of sockets (FD_SETSIZE is the program's), and a socket twice in a set counts once.
int WSAAPI select(int, fd_set* readfds, fd_set* writefds, fd_set* exceptfds, const struct timeval* timeout)
{
    if (!winsock_started()) return SOCKET_ERROR;
    fd_set* sets[3] = {readfds, writefds, exceptfds};
    static const uint8_t wanted[3] = {
        drivers::kReadyAccept | drivers::kReadyData | drivers::kReadyEnd,
        drivers::kReadyWrite,
        drivers::kReadyOob | drivers::kReadyFailed,
    };
    // The sets as given: the same fd_set may be passed for two of them (Wine's sock.c
    // test_select passes readfds as writefds too), so all are read before any is written.
    std::vector<SOCKET> given;
    size_t sizes[3] = {0, 0, 0};
    for (int kind = 0; kind < 3; ++kind) {
        if (sets[kind] == nullptr) continue;
        sizes[kind] = sets[kind]->fd_count;
        given.insert(given.end(), sets[kind]->fd_array, sets[kind]->fd_array + sizes[kind]);
    }
    if (given.empty()) return wsa_fail(WSAEINVAL, SOCKET_ERROR);  // nothing to wait for
    if (timeout != nullptr && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    Entries entries;
    entries.list.reserve(given.size());
    size_t index = 0;
    for (int kind = 0; kind < 3; ++kind) {
        size_t first = index;
        for (size_t end = index + sizes[kind]; index < end; ++index) {
            if (std::find(given.begin() + first, given.begin() + index, given[index]) != given.begin() + index) {
                entries.list.push_back({nullptr, 0, 0});  // counted once, at its first place
                continue;
            }
            SocketDevice* socket = socket_of(given[index]);
            if (socket == nullptr) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);  // sets left as they are
            entries.list.push_back({socket, wanted[kind], 0});
        }
    }
    int timeout_ms = -1;
    if (timeout != nullptr) {
        long long ms = static_cast<long long>(timeout->tv_sec) * 1000 + (timeout->tv_usec + 999) / 1000;
        timeout_ms = ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
    }
    int ready = drivers::wait_sockets(entries.list.data(), entries.list.size(), timeout_ms);
    if (ready < 0) return wsa_fail(-ready, SOCKET_ERROR);
    // Each set gets its ready sockets, in order, each once; the count is of the sockets
    // added (a socket ready in two aliased sets counts once). A socket closed during the
    // wait is readable if it was in readfds; if not, select fails with WSAENOTSOCK (Wine's
    // sock.c test_select, "Close the socket currently being selected in a thread").
    for (fd_set* set : sets)
        if (set != nullptr) set->fd_count = 0;
    auto add = [](fd_set* set, SOCKET socket) -> int {
        if (__WSAFDIsSet(socket, set)) return 0;
        set->fd_array[set->fd_count++] = socket;
        return 1;
    };
    const auto readable_end = given.begin() + static_cast<std::ptrdiff_t>(sizes[0]);
    int count = 0;
    bool closed_unreadable = false;
    index = 0;
    for (int kind = 0; kind < 3; ++kind) {
        for (size_t end = index + sizes[kind]; index < end; ++index) {
            uint8_t got = entries.list[index].ready;
            if (got & drivers::kReadyClosed) {
                if (std::find(given.begin(), readable_end, given[index]) != readable_end) count += add(readfds, given[index]);
                else closed_unreadable = true;
            } else if (got != 0) {
                count += add(sets[kind], given[index]);
            }
        }
    }
    if (closed_unreadable) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    set_last_error(0);
    return count;
}

extern "C" {

// The events a WSAPOLLFD may ask for: POLLRDNORM, POLLRDBAND, POLLWRNORM (POLLIN and
// POLLOUT are made of them), or none. Anything else (POLLPRI, POLLWRBAND, and the flags
// only ever reported: POLLERR, POLLHUP, POLLNVAL) is refused with WSAEINVAL, also for an
// element that is not a socket, unless its fd is INVALID_SOCKET; but only when some
// element is a socket (else WSAENOTSOCK). (Wine's sock.c test_WSAPoll, todo_wine there:
// Windows' behaviour; Microsoft Learn, WSAPOLLFD.) POLLHUP and POLLERR are reported
// whether asked or not; a failed connect reports POLLHUP and POLLERR, and POLLWRNORM when
// asked (test_WSAPoll, its interactive part); a reset connection, POLLHUP and POLLERR
// (test_tcp_reset); a socket closed during the wait, POLLNVAL.
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (fds == 0) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    if (fdArray == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    constexpr SHORT kAccepted = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    Entries entries;
    entries.list.resize(fds);
    ULONG sockets = 0;
    bool refused = false;
    for (ULONG i = 0; i < fds; ++i) {
        WSAPOLLFD& entry = fdArray[i];
        entries.list[i] = {nullptr, 0, 0};
        if (entry.fd != INVALID_SOCKET && (entry.events & ~kAccepted)) refused = true;
        SocketDevice* socket = socket_of(entry.fd);
        if (socket == nullptr) continue;  // not a socket: POLLNVAL, not counted
        ++sockets;
        uint8_t wanted = drivers::kReadyEnd | drivers::kReadyReset | drivers::kReadyFailed;
        if (entry.events & POLLRDNORM) wanted |= drivers::kReadyAccept | drivers::kReadyData;
        if (entry.events & POLLRDBAND) wanted |= drivers::kReadyOob;
        if (entry.events & POLLWRNORM) wanted |= drivers::kReadyWrite;
        entries.list[i] = {socket, wanted, 0};
    }
    for (ULONG i = 0; i < fds; ++i)
        fdArray[i].revents = entries.list[i].socket == nullptr && (sockets == 0 || !refused) ? POLLNVAL : 0;
    if (sockets == 0) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    if (refused) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    int ready = drivers::wait_sockets(entries.list.data(), entries.list.size(), timeout < 0 ? -1 : timeout);
    if (ready < 0) return wsa_fail(-ready, SOCKET_ERROR);
    int count = 0;
    for (ULONG i = 0; i < fds; ++i) {
        uint8_t got = entries.list[i].ready;
        if (entries.list[i].socket == nullptr || got == 0) continue;
        SHORT out = 0;
        if (got & (drivers::kReadyAccept | drivers::kReadyData)) out |= POLLRDNORM;
        if (got & drivers::kReadyOob) out |= POLLRDBAND;
        if (got & drivers::kReadyWrite) out |= POLLWRNORM;
        if (got & drivers::kReadyEnd) out |= POLLHUP;
        if (got & drivers::kReadyReset) out |= POLLERR;
        if (got & drivers::kReadyFailed) out |= POLLHUP | POLLERR | (fdArray[i].events & POLLWRNORM);
        if (got & drivers::kReadyClosed) out = POLLNVAL;
        fdArray[i].revents = out;
        ++count;
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
