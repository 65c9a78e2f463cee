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
            bool repeated = false;
            for (u_int j = 0; j < i && !repeated; ++j) repeated = set->fd_array[j] == set->fd_array[i];
            if (repeated) {  // counted once, at its first place
                entries.list.push_back({nullptr, 0, 0});
                continue;
            }
            SocketDevice* socket = socket_of(set->fd_array[i]);
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
    // Each set keeps only its ready sockets, in order.
    int count = 0;
    size_t index = 0;
    for (int kind = 0; kind < 3; ++kind) {
        fd_set* set = sets[kind];
        if (set == nullptr) continue;
        u_int kept = 0;
        for (u_int i = 0; i < set->fd_count; ++i, ++index)
            if (entries.list[index].ready != 0) set->fd_array[kept++] = set->fd_array[i];
        set->fd_count = kept;
        count += static_cast<int>(kept);
    }
    set_last_error(0);
    return count;
}

extern "C" {

// The events a WSAPOLLFD may ask for: POLLRDNORM, POLLRDBAND, POLLWRNORM (POLLIN and
// POLLOUT are made of them), and the flags only ever reported, which are ignored;
// anything else, POLLPRI included, is refused with WSAEINVAL (Microsoft Learn, WSAPoll
// and WSAPOLLFD). POLLHUP and POLLERR are reported whether asked or not.
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (fds == 0) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    if (fdArray == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    constexpr SHORT kAccepted = POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLERR | POLLHUP | POLLNVAL;
    for (ULONG i = 0; i < fds; ++i)
        if (fdArray[i].events & ~kAccepted) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    Entries entries;
    entries.list.resize(fds);
    ULONG invalid = 0;
    for (ULONG i = 0; i < fds; ++i) {
        WSAPOLLFD& entry = fdArray[i];
        entry.revents = 0;
        entries.list[i] = {nullptr, 0, 0};
        SocketDevice* socket = socket_of(entry.fd);
        if (socket == nullptr) {
            // Not a socket (INVALID_SOCKET included): POLLNVAL, not counted.
            entry.revents = POLLNVAL;
            ++invalid;
            continue;
        }
        uint8_t wanted = drivers::kReadyEnd | drivers::kReadyFailed;
        if (entry.events & POLLRDNORM) wanted |= drivers::kReadyAccept | drivers::kReadyData;
        if (entry.events & POLLRDBAND) wanted |= drivers::kReadyOob;
        if (entry.events & (POLLWRNORM | POLLWRBAND)) wanted |= drivers::kReadyWrite;
        entries.list[i] = {socket, wanted, 0};
    }
    if (invalid == fds) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
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
        if (got & drivers::kReadyFailed) out |= POLLERR;
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
