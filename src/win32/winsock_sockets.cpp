// winsock_sockets.cpp: Winsock's socket calls: socket/WSASocket, closesocket, bind,
// listen, connect, accept, the transfers (send/recv, sendto/recvfrom, WSASend/WSARecv and
// their To/From/Msg forms, overlapped or not), shutdown, the names, options and ioctls,
// WSAGetOverlappedResult, and the mswsock extensions (AcceptEx, GetAcceptExSockaddrs,
// ConnectEx, DisconnectEx, TransmitFile, TransmitPackets, WSARecvMsg, WSASendMsg).
// Arguments and WSA errors here; the work in drivers/socket.
#include <cstring>
#include <mutex>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "drivers/socket.h"
#include "drivers/socket_share.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"
#include "win32/winsock_rio.h"
#include "win32/winsock_state.h"

using namespace overlapped;
using drivers::SocketDevice;
using drivers::SocketOperation;
using drivers::SocketRequest;
using overlapped::win32::set_last_error;
using overlapped::win32::winsock_started;
using overlapped::win32::wsa_error_of;
using overlapped::win32::wsa_fail;

int overlapped::win32::wsa_error_of(const io::Submitted& submitted)
{
    if (submitted.status != 0) return drivers::wsa_error_from_status(submitted.status);
    switch (submitted.error) {
    case ERROR_INVALID_PARAMETER: return WSAEINVAL;
    case ERROR_INVALID_HANDLE: return WSA_INVALID_HANDLE;
    case ERROR_NOT_SUPPORTED: return WSAEOPNOTSUPP;
    default: return static_cast<int>(submitted.error);
    }
}

namespace {

// A socket's handle: read and write, and the mark of a handle Winsock made (which
// DuplicateHandle does not copy).
constexpr ACCESS_MASK kSocketAccess = FILE_GENERIC_READ | FILE_GENERIC_WRITE | kernel::kAccessNotDuplicated;

HANDLE as_handle(SOCKET s) { return reinterpret_cast<HANDLE>(s); }

// The socket behind `s` with a reference, or null with the WSA error set
// (WSANOTINITIALISED, WSAENOTSOCK).
SocketDevice* socket_reference(SOCKET s)
{
    if (!winsock_started()) return nullptr;
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(as_handle(s), kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) return wsa_fail(WSAENOTSOCK, static_cast<SocketDevice*>(nullptr));
    return static_cast<SocketDevice*>(object);
}

// SO_OPENTYPE: a property of the calling thread, not of a socket (any handle, even
// INVALID_SOCKET, names it): 0 (the default in every thread) makes socket() create
// overlapped sockets, anything else synchronous ones. Its value is 4 bytes both ways;
// a negative length is a huge one (Wine's sock.c set_so_opentype, check_so_opentype and
// the SO_OPENTYPE row of test_optsize, whose checks pass on Windows).
thread_local int open_type = 0;

// setsockopt (`setting`, from `value`) or getsockopt (into `get`) of SO_OPENTYPE.
int open_type_option(bool setting, const char* value, char* get, int* length)
{
    if (!winsock_started()) return SOCKET_ERROR;
    const void* pointer = setting ? static_cast<const void*>(value) : static_cast<const void*>(get);
    if (pointer == nullptr || length == nullptr || reinterpret_cast<uintptr_t>(pointer) < 0x10000)
        return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    if (*length >= 0 && *length < static_cast<int>(sizeof(int))) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    if (setting) {
        memcpy(&open_type, value, sizeof(open_type));
    } else {
        memcpy(get, &open_type, sizeof(open_type));
        *length = sizeof(open_type);
    }
    set_last_error(0);
    return 0;
}

// Runs `call(socket)`; its result is 0 or a WSA error. Returns 0 or SOCKET_ERROR.
template <class Call>
int with_socket(SOCKET s, Call call)
{
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return SOCKET_ERROR;
    int error = call(socket);
    socket->release_reference();
    if (error != 0) return wsa_fail(error, SOCKET_ERROR);
    set_last_error(0);
    return 0;
}

// The handle of a new socket (its reference goes to the handle); the last error 0, or
// WSAEMFILE and INVALID_SOCKET.
SOCKET make_handle(SocketDevice* device, bool inherit)
{
    DWORD error;
    HANDLE handle = kernel::handle_create(device, kSocketAccess, inherit ? HANDLE_FLAG_INHERIT : 0, &error);
    if (handle == nullptr) return wsa_fail(WSAEMFILE, INVALID_SOCKET);
    set_last_error(0);
    return reinterpret_cast<SOCKET>(handle);
}

int winsock_error_of(DWORD status) { return drivers::wsa_error_from_status(status); }

// What an overlapped Winsock call returns for io::submit's answer: 0 with the counts
// when the request finished at once, SOCKET_ERROR with WSA_IO_PENDING, or the error.
int overlapped_return(const io::Submitted& submitted, LPDWORD bytes, LPDWORD flags)
{
    if (submitted.error == ERROR_SUCCESS) {
        if (bytes != nullptr) *bytes = submitted.bytes;
        if (flags != nullptr) *flags = submitted.flags;
        if (submitted.status != STATUS_SUCCESS) return wsa_fail(drivers::wsa_error_from_status(submitted.status), SOCKET_ERROR);
        set_last_error(0);
        return 0;
    }
    if (submitted.error == ERROR_IO_PENDING) return wsa_fail(WSA_IO_PENDING, SOCKET_ERROR);
    return wsa_fail(wsa_error_of(submitted), SOCKET_ERROR);
}

// Issues an overlapped request on the socket behind `s`. One lock from the lookup to the
// submission when there is no event to look up (the hot path of WSARecv/WSASend).
// `checked`, if given: the caller has not looked at the socket yet; the request goes ahead
// only on an overlapped socket (and, for a send on a stream, one known to be connected),
// else *checked is set false and nothing is done: the caller takes its general path.
io::Submitted submit_request(SOCKET s, const SocketRequest& asked, OVERLAPPED* overlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, bool* checked = nullptr)
{
    io::Transfer transfer;
    transfer.write = asked.operation != SocketOperation::Receive;
    transfer.driver_request = &asked;
    transfer.winsock_error = routine != nullptr ? &winsock_error_of : nullptr;
    // The I/O manager keeps the routine as ReadFileEx's type; winsock_error marks it as
    // Winsock's (called with its four arguments).
    auto file_routine = reinterpret_cast<LPOVERLAPPED_COMPLETION_ROUTINE>(reinterpret_cast<void (*)()>(routine));
    DWORD error;
    kernel::Object* object =
        kernel::handle_lock(as_handle(s), kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) {
        if (checked != nullptr) *checked = false;  // the general path reports it
        return {WSAENOTSOCK, 0, 0, 0};
    }
    auto* socket = static_cast<SocketDevice*>(object);
    if (checked != nullptr &&
        (!socket->overlapped_io() || (transfer.write && socket->is_stream_type() && !socket->known_connected()))) {
        socket->lock.unlock();
        *checked = false;
        return {ERROR_INVALID_FUNCTION, 0, 0, 0};
    }
    if (io::request_event(overlapped, file_routine) == nullptr)
        return io::submit_and_unlock(socket, transfer, overlapped, file_routine, nullptr);
    socket->add_reference();
    socket->lock.unlock();
    io::Submitted submitted = io::submit(socket, transfer, overlapped, file_routine);
    socket->release_reference();
    return submitted;
}

// A request on a socket opened without WSA_FLAG_OVERLAPPED but given an OVERLAPPED:
// Windows does the work now (blocking) and then completes the OVERLAPPED.
void complete_now(SocketDevice* socket, OVERLAPPED* overlapped, int error, DWORD bytes)
{
    if (overlapped == nullptr) return;
    DWORD status = error == 0 ? STATUS_SUCCESS : ntstatus_from_win32_error(static_cast<DWORD>(error));
    io::complete_synchronously(socket, overlapped, status, bytes);
}

const ws::WsaBuf* as_buffers(const WSABUF* buffers) { return reinterpret_cast<const ws::WsaBuf*>(buffers); }

// WSARecv, WSARecvFrom and their synchronous forms.
int receive(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received, LPDWORD flags, struct sockaddr* from,
            LPINT from_length, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (count == 0) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    if (buffers == nullptr || flags == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    if (overlapped == nullptr && received == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    SocketRequest asked;
    asked.operation = SocketOperation::Receive;
    asked.buffers = as_buffers(buffers);
    asked.buffer_count = count;
    asked.flags = *flags;
    asked.address = reinterpret_cast<ws::Sockaddr*>(from);
    asked.address_length = from_length;
    if (overlapped != nullptr && from == nullptr) {
        // WSARecv's hot path: one lookup, its checks and the submission under one lock.
        bool checked = true;
        io::Submitted submitted = submit_request(s, asked, overlapped, routine, &checked);
        if (checked) return overlapped_return(submitted, received, flags);
    }
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return SOCKET_ERROR;
    if (from != nullptr && socket->is_stream_type()) {
        // A connection-oriented socket ignores lpFrom and lpFromlen: they are neither
        // checked nor written (Wine's sock.c test_tcp_sendto_recvfrom: recvfrom with a
        // garbage length succeeds and leaves both alone).
        from = nullptr;
        from_length = nullptr;
        asked.address = nullptr;
        asked.address_length = nullptr;
    }
    if (from != nullptr) {
        // Room for the sender's whole address, in the socket's family (a dual-stack
        // socket's IPv4 senders come as IPv4-mapped IPv6 addresses).
        int needed = socket->family() == AF_INET6 ? static_cast<int>(sizeof(SOCKADDR_IN6))
                     : socket->family() == AF_INET ? static_cast<int>(sizeof(SOCKADDR_IN))
                                                   : static_cast<int>(sizeof(SOCKADDR));
        if (from_length == nullptr || *from_length < needed) {
            socket->release_reference();
            return wsa_fail(WSAEFAULT, SOCKET_ERROR);
        }
    }
    bool asynchronous = overlapped != nullptr && socket->overlapped_io();
    if (!asynchronous) {
        DWORD done = 0, flags_out = 0;
        int error = socket->receive(as_buffers(buffers), count, *flags, reinterpret_cast<ws::Sockaddr*>(from),
                                    from_length, &done, &flags_out);
        complete_now(socket, overlapped, error, done);
        socket->release_reference();
        if (received != nullptr) *received = done;
        if (error != 0 && error != WSAEMSGSIZE) return wsa_fail(error, SOCKET_ERROR);
        *flags = flags_out;
        if (error != 0) return wsa_fail(error, SOCKET_ERROR);
        set_last_error(0);
        return 0;
    }
    socket->release_reference();
    return overlapped_return(submit_request(s, asked, overlapped, routine), received, flags);
}

// WSASend, WSASendTo and their synchronous forms.
// `message`: WSASendMsg's, for its control data (or null).
int send_data(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags, const struct sockaddr* to,
              int to_length, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
              LPWSAMSG message = nullptr)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (buffers == nullptr && count != 0) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    if (overlapped == nullptr && sent == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    SocketRequest asked;
    asked.operation = SocketOperation::Send;
    asked.buffers = as_buffers(buffers);
    asked.buffer_count = count;
    asked.flags = flags;
    asked.destination = reinterpret_cast<const ws::Sockaddr*>(to);
    asked.destination_length = to_length;
    asked.message = reinterpret_cast<ws::WsaMsg*>(message);
    if (overlapped != nullptr) {
        // WSASend's hot path: one lookup, its checks and the submission under one lock.
        bool checked = true;
        io::Submitted submitted = submit_request(s, asked, overlapped, routine, &checked);
        if (checked) return overlapped_return(submitted, sent, nullptr);
    }
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return SOCKET_ERROR;
    bool asynchronous = overlapped != nullptr && socket->overlapped_io();
    if (!asynchronous) {
        DWORD done = 0;
        int error = socket->send(as_buffers(buffers), count, flags, reinterpret_cast<const ws::Sockaddr*>(to),
                                 to_length, &done, message != nullptr ? &asked.message->Control : nullptr);
        complete_now(socket, overlapped, error, done);
        socket->release_reference();
        if (sent != nullptr) *sent = done;
        if (error != 0) return wsa_fail(error, SOCKET_ERROR);
        set_last_error(0);
        return 0;
    }
    bool stream = socket->is_stream_type();
    bool unconnected_stream = stream && !socket->connected();
    socket->release_reference();
    if (unconnected_stream) return wsa_fail(WSAENOTCONN, SOCKET_ERROR);
    return overlapped_return(submit_request(s, asked, overlapped, routine), sent, nullptr);
}

// ---- the extensions (mswsock), also reached through WSAIoctl.
BOOL PASCAL accept_ex(SOCKET listener, SOCKET accept_socket, PVOID output, DWORD receive_length, DWORD local_length,
                      DWORD remote_length, LPDWORD received, LPOVERLAPPED overlapped)
{
    if (!winsock_started()) return FALSE;
    if (overlapped == nullptr) return wsa_fail(ERROR_INVALID_PARAMETER, FALSE);
    io::mark_pending(overlapped);  // refused at once, it stays so (Wine's sock.c test_AcceptEx, test_connect)
    SocketDevice* listening = socket_reference(listener);
    if (listening == nullptr) return FALSE;
    SocketDevice* target = socket_reference(accept_socket);
    if (target == nullptr) {
        listening->release_reference();
        return FALSE;
    }
    // Address areas too small for the address are refused only when a connection comes
    // (drivers/socket.cpp); a remote area of 0 bytes is refused at once.
    int error = 0;
    bool claimed = false;
    if (output == nullptr) error = WSAEFAULT;
    else if (!listening->listening()) error = WSAEINVAL;
    else if (remote_length == 0) error = WSAEFAULT;
    else if (listening == target) error = WSAEINVAL;
    else if (int check = target->claim_for_accept(listening, overlapped)) error = check;
    else claimed = true;
    if (error != 0) {
        listening->release_reference();
        target->release_reference();
        return wsa_fail(error, FALSE);
    }
    SocketRequest asked;
    asked.operation = SocketOperation::Accept;
    asked.accept_socket = target;
    asked.output = output;
    asked.receive_length = receive_length;
    asked.local_length = local_length;
    asked.remote_length = remote_length;
    io::Transfer transfer;
    transfer.driver_request = &asked;
    io::Submitted submitted = io::submit(listening, transfer, overlapped, nullptr);
    // Refused before the driver took the request (finish() lets the claim go otherwise).
    if (claimed && submitted.error != ERROR_SUCCESS && submitted.error != ERROR_IO_PENDING && submitted.status == 0)
        target->release_accept_claim();
    listening->release_reference();
    target->release_reference();  // the request holds its own
    return overlapped_return(submitted, received, nullptr) == 0;
}

VOID PASCAL get_accept_ex_sockaddrs(PVOID output, DWORD receive_length, DWORD local_length, DWORD remote_length,
                                    struct sockaddr** local, LPINT local_size, struct sockaddr** remote,
                                    LPINT remote_size)
{
    // The layout AcceptEx writes (drivers/socket.cpp): after the data, each area holds
    // the address's length and, 8 bytes in, the address.
    // An area too small to hold an address was not written (AcceptEx allows a local
    // area of 0 bytes): its outputs are left as they are.
    char* areas = static_cast<char*>(output) + receive_length;
    auto read = [](char* area, DWORD area_length, struct sockaddr** address, LPINT size) {
        if (area_length < 8 + sizeof(SOCKADDR)) return;
        int length;
        memcpy(&length, area, sizeof(length));
        if (address != nullptr) *address = reinterpret_cast<struct sockaddr*>(area + 8);
        if (size != nullptr) *size = length;
    };
    read(areas, local_length, local, local_size);
    read(areas + local_length, remote_length, remote, remote_size);
}

BOOL PASCAL connect_ex(SOCKET s, const struct sockaddr* name, int name_length, PVOID send_buffer, DWORD send_length,
                       LPDWORD sent, LPOVERLAPPED overlapped)
{
    if (!winsock_started()) return FALSE;
    if (overlapped == nullptr) return wsa_fail(ERROR_INVALID_PARAMETER, FALSE);  // Wine's sock.c test_connect
    io::mark_pending(overlapped);  // refused at once, it stays so (Wine's sock.c test_AcceptEx, test_connect)
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return FALSE;
    if (name == nullptr) {
        socket->release_reference();
        return wsa_fail(WSAEFAULT, FALSE);
    }
    if (int error = socket->claim_for_connect()) {
        socket->release_reference();
        return wsa_fail(error, FALSE);
    }
    SocketRequest asked;
    asked.operation = SocketOperation::Connect;
    asked.destination = reinterpret_cast<const ws::Sockaddr*>(name);
    asked.destination_length = name_length;
    asked.output = send_buffer;
    asked.receive_length = send_buffer != nullptr ? send_length : 0;
    io::Transfer transfer;
    transfer.write = true;
    transfer.driver_request = &asked;
    io::Submitted submitted = io::submit(socket, transfer, overlapped, nullptr);
    // Refused before the driver took the request (finish() lets the claim go otherwise).
    if (submitted.error != ERROR_SUCCESS && submitted.error != ERROR_IO_PENDING && submitted.status == 0)
        socket->release_connect_claim();
    socket->release_reference();
    return overlapped_return(submitted, sent, nullptr) == 0;
}

// A request issued without an OVERLAPPED (DisconnectEx, TransmitFile, WSARecvMsg may be
// called so): issued with one of our own and waited for, as Windows does then. `submit`
// issues it with the OVERLAPPED it is given. Returns 0 or SOCKET_ERROR (last error set).
// The event's low bit keeps the request off the socket's completion port: the call is
// synchronous and queues nothing there (Wine's sock.c test_shutdown_completion_port,
// DisconnectEx with a NULL OVERLAPPED); a packet would carry our OVERLAPPED, gone by the
// time a thread of the port dequeues it.
template <class Submit>
int wait_for_own_request(SOCKET s, Submit submit, LPDWORD bytes)
{
    OVERLAPPED own{};
    HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
    if (event == nullptr) return wsa_fail(WSAENOBUFS, SOCKET_ERROR);
    own.hEvent = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(event) | 1);
    int result = overlapped_return(submit(&own), bytes, nullptr);
    DWORD flags = 0, transferred = 0;
    if (result != 0 && WSAGetLastError() == WSA_IO_PENDING)
        result = WSAGetOverlappedResult(s, &own, bytes != nullptr ? bytes : &transferred, TRUE, &flags) ? 0 : SOCKET_ERROR;
    DWORD error = GetLastError();
    CloseHandle(event);
    set_last_error(error);
    return result;
}

BOOL PASCAL disconnect_ex(SOCKET s, LPOVERLAPPED overlapped, DWORD flags, DWORD reserved)
{
    if (!winsock_started()) return FALSE;
    if (reserved != 0 || (flags & ~TF_REUSE_SOCKET) != 0) return wsa_fail(WSAEINVAL, FALSE);
    SocketRequest asked;
    asked.operation = SocketOperation::Disconnect;
    asked.flags = flags;
    if (overlapped != nullptr) return overlapped_return(submit_request(s, asked, overlapped, nullptr), nullptr, nullptr) == 0;
    auto submit = [&](OVERLAPPED* own) { return submit_request(s, asked, own, nullptr); };
    return wait_for_own_request(s, submit, nullptr) == 0;
}

// TransmitFile and TransmitPackets: the pieces, with the files' descriptors looked up.
void free_pieces(drivers::TransmitPiece* pieces, DWORD count);

BOOL transmit(SOCKET s, drivers::TransmitPiece* pieces, DWORD count, DWORD chunk, LPOVERLAPPED overlapped, DWORD flags)
{
    SocketRequest asked;
    asked.operation = SocketOperation::TransmitFile;
    asked.pieces = pieces;
    asked.piece_count = count;
    asked.chunk = chunk;
    asked.flags = flags;
    // The request owns the pieces once the driver has taken them; a request refused
    // before that leaves them to us.
    auto submit_transmit = [&](OVERLAPPED* used) {
        io::Submitted submitted = submit_request(s, asked, used, nullptr);
        if (!asked.pieces_taken) free_pieces(pieces, count);
        return submitted;
    };
    if (overlapped != nullptr) return overlapped_return(submit_transmit(overlapped), nullptr, nullptr) == 0;
    return wait_for_own_request(s, submit_transmit, nullptr) == 0;
}

// A file handle's descriptor, with a reference on the file kept in `piece`.
bool file_piece(HANDLE file, drivers::TransmitPiece* piece)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(file, kernel::ObjectType::File, 0, &error);
    if (object == nullptr) return false;
    piece->file_object = object;
    piece->file = static_cast<drivers::FileDevice*>(object)->descriptor();
    return true;
}

void free_pieces(drivers::TransmitPiece* pieces, DWORD count)
{
    for (DWORD i = 0; i < count; ++i)
        if (pieces[i].file_object != nullptr) pieces[i].file_object->release_reference();
    delete[] pieces;
}

BOOL PASCAL transmit_file(SOCKET s, HANDLE file, DWORD bytes_to_write, DWORD bytes_per_send, LPOVERLAPPED overlapped,
                          LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    if (!winsock_started()) return FALSE;
    auto* pieces = new drivers::TransmitPiece[3];
    if (buffers != nullptr) {
        pieces[0].memory = buffers->Head;
        pieces[0].length = buffers->Head != nullptr ? buffers->HeadLength : 0;
        pieces[2].memory = buffers->Tail;
        pieces[2].length = buffers->Tail != nullptr ? buffers->TailLength : 0;
    }
    if (file != nullptr) {
        if (!file_piece(file, &pieces[1])) {
            free_pieces(pieces, 3);
            return wsa_fail(WSAEINVAL, FALSE);
        }
        pieces[1].length = bytes_to_write;  // 0: the whole file
        // With an OVERLAPPED the offset is in it; without, the file pointer (moved on).
        pieces[1].offset = overlapped != nullptr
                               ? static_cast<int64_t>((static_cast<uint64_t>(overlapped->OffsetHigh) << 32) | overlapped->Offset)
                               : -1;
    }
    return transmit(s, pieces, 3, bytes_per_send, overlapped, flags);
}

BOOL PASCAL transmit_packets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count, DWORD send_size,
                             LPOVERLAPPED overlapped, DWORD flags)
{
    if (!winsock_started()) return FALSE;
    if (elements == nullptr && count != 0) return wsa_fail(WSAEFAULT, FALSE);
    auto* pieces = new drivers::TransmitPiece[count == 0 ? 1 : count];
    for (DWORD i = 0; i < count; ++i) {
        const TRANSMIT_PACKETS_ELEMENT& element = elements[i];
        if (element.dwElFlags & TP_ELEMENT_MEMORY) {
            pieces[i].memory = element.pBuffer;
            pieces[i].length = element.cLength;
        } else if (element.dwElFlags & TP_ELEMENT_FILE) {
            if (!file_piece(element.hFile, &pieces[i])) {
                free_pieces(pieces, count);
                return wsa_fail(WSAEINVAL, FALSE);
            }
            pieces[i].length = element.cLength;
            pieces[i].offset = element.nFileOffset.QuadPart;
        } else {
            free_pieces(pieces, count);
            return wsa_fail(WSAEINVAL, FALSE);
        }
    }
    return transmit(s, pieces, count, send_size, overlapped, flags);
}

INT PASCAL wsa_recv_msg(SOCKET s, LPWSAMSG message, LPDWORD received, LPWSAOVERLAPPED overlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (message == nullptr || (message->lpBuffers == nullptr && message->dwBufferCount != 0) ||
        (message->Control.buf == nullptr && message->Control.len != 0))
        return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return SOCKET_ERROR;
    bool stream = socket->is_stream_type();
    socket->release_reference();
    if (stream) return wsa_fail(WSAEINVAL, SOCKET_ERROR);  // datagram sockets only
    SocketRequest asked;
    asked.operation = SocketOperation::Receive;
    asked.buffers = as_buffers(message->lpBuffers);
    asked.buffer_count = message->dwBufferCount;
    asked.flags = message->dwFlags;
    asked.message = reinterpret_cast<ws::WsaMsg*>(message);
    if (overlapped != nullptr) return overlapped_return(submit_request(s, asked, overlapped, routine), received, nullptr);
    auto submit = [&](OVERLAPPED* own) { return submit_request(s, asked, own, nullptr); };
    return wait_for_own_request(s, submit, received);
}

// The extension functions WSAIoctl hands out, by GUID.
struct Extension {
    GUID id;
    void* function;
};

const Extension kExtensions[] = {
    {WSAID_ACCEPTEX, reinterpret_cast<void*>(&accept_ex)},
    {WSAID_GETACCEPTEXSOCKADDRS, reinterpret_cast<void*>(&get_accept_ex_sockaddrs)},
    {WSAID_CONNECTEX, reinterpret_cast<void*>(&connect_ex)},
    {WSAID_DISCONNECTEX, reinterpret_cast<void*>(&disconnect_ex)},
    {WSAID_TRANSMITFILE, reinterpret_cast<void*>(&transmit_file)},
    {WSAID_TRANSMITPACKETS, reinterpret_cast<void*>(&transmit_packets)},
    {WSAID_WSARECVMSG, reinterpret_cast<void*>(&wsa_recv_msg)},
    {WSAID_WSASENDMSG, reinterpret_cast<void*>(&WSASendMsg)},
    {WSAID_WSAPOLL, reinterpret_cast<void*>(&WSAPoll)},
};

// WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). As Wine's sock.c
// test_get_extension_func records Windows: an unknown GUID fails with WSAEINVAL and
// touches no output (nor the OVERLAPPED: nothing is queued); an OVERLAPPED needs a byte
// count pointer (WSAEFAULT); with one, the call succeeds at once with the pointer's size
// in *returned and also completes the OVERLAPPED, with 0 bytes.
int extension_pointer(SOCKET s, LPVOID in, DWORD in_length, LPVOID out, DWORD out_length, LPDWORD returned,
                      LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (in == nullptr || in_length < sizeof(GUID)) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    if (overlapped != nullptr && returned == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    GUID id;
    memcpy(&id, in, sizeof(id));
    const Extension* found = nullptr;
    for (const Extension& extension : kExtensions)
        if (memcmp(&extension.id, &id, sizeof(id)) == 0) found = &extension;
    if (found == nullptr) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    if (out == nullptr || out_length < sizeof(void*)) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    memcpy(out, &found->function, sizeof(void*));
    if (overlapped != nullptr) {
        SocketRequest asked;
        asked.operation = SocketOperation::Control;
        int result = overlapped_return(submit_request(s, asked, overlapped, routine), nullptr, nullptr);
        if (result != 0) return result;
    }
    if (returned != nullptr) *returned = sizeof(void*);
    set_last_error(0);
    return 0;
}

// WSAPROTOCOL_INFO for a socket of this kind (SO_PROTOCOL_INFO, WSAEnumProtocols).
template <class Info>
void describe_protocol(int family, int type, int protocol, Info* info)
{
    memset(info, 0, sizeof(*info));
    bool stream = type == SOCK_STREAM;
    info->dwServiceFlags1 = stream ? (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                                      XP1_EXPEDITED_DATA | XP1_IFS_HANDLES)
                                   : (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST |
                                      XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES);
    info->dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    info->ProviderId = {0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
    info->dwCatalogEntryId = stream ? 1001 : 1002;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = family;
    info->iMaxSockAddr = family == AF_INET6 ? sizeof(SOCKADDR_IN6) : sizeof(SOCKADDR_IN);
    info->iMinSockAddr = info->iMaxSockAddr;
    info->iSocketType = type;
    info->iProtocol = protocol;
    info->iNetworkByteOrder = BIGENDIAN;
    info->dwMessageSize = stream ? 0 : 65467;
    const char* name = family == AF_INET6 ? (stream ? "MSAFD Tcpip [TCP/IPv6]" : "MSAFD Tcpip [UDP/IPv6]")
                                          : (stream ? "MSAFD Tcpip [TCP/IP]" : "MSAFD Tcpip [UDP/IP]");
    using Char = std::remove_reference_t<decltype(info->szProtocol[0])>;
    for (size_t i = 0; name[i] != 0; ++i) info->szProtocol[i] = static_cast<Char>(name[i]);
}

SOCKET create_socket(int af, int type, int protocol, DWORD flags)
{
    if (!winsock_started()) return INVALID_SOCKET;
    int error = 0;
    SocketDevice* device = SocketDevice::create(af, type, protocol, flags, &error);
    if (device == nullptr) return wsa_fail(error, INVALID_SOCKET);
    return make_handle(device, !(flags & WSA_FLAG_NO_HANDLE_INHERIT));
}

// A WSAPROTOCOL_INFO from WSADuplicateSocket carries the offer (drivers/socket_share.h):
// the token where Windows' own provider keeps the duplicated handle (dwProviderReserved),
// the source's process id, the socket's mode and its traffic-class receive options in two
// service-flag words Windows leaves 0, the second marked so that a protocol description
// from elsewhere is never taken for one.
constexpr DWORD kShareMark = 0x4f560000;  // "OV"
constexpr DWORD kShareMarkMask = 0xffff0000;

template <class Info>
void put_ticket(const drivers::ShareTicket& ticket, Info* info)
{
    info->dwProviderReserved = ticket.token;
    info->dwServiceFlags3 = ticket.source_pid;
    info->dwServiceFlags4 =
        kShareMark | (ticket.overlapped ? 1u : 0u) | (static_cast<DWORD>(ticket.traffic_class) << 1);
}

template <class Info>
bool get_ticket(const Info* info, drivers::ShareTicket* ticket)
{
    if (info->dwProviderReserved == 0 || (info->dwServiceFlags4 & kShareMarkMask) != kShareMark) return false;
    ticket->token = info->dwProviderReserved;
    ticket->source_pid = info->dwServiceFlags3;
    ticket->overlapped = (info->dwServiceFlags4 & 1u) != 0;
    ticket->traffic_class = static_cast<uint8_t>((info->dwServiceFlags4 >> 1) & 0xfu);
    return true;
}

// Offers of a socket to this process itself. Windows' WSADuplicateSocket duplicates the
// socket's handle into the target process at once, so a copy made for this process is a
// second handle of the same socket: it shares the socket's completion port, and closing
// either handle alone cancels none of the requests (Wine's sock.c test_completion_port,
// "Test IOCP with duplicated handle": an AcceptEx issued through the copy completes under
// the original's key, and only when both handles are closed). So the offer is that second
// handle, made now; WSASocket with the information gives it out. An offer never taken
// keeps its handle open, as on Windows.
struct SelfOffer {
    HANDLE handle;
    SocketDevice* socket;  // one reference, to tell the handle's object
};

struct SelfOffers {
    std::mutex lock;
    std::unordered_map<uint32_t, SelfOffer> offers;
    uint32_t last_token = 0;
};

SelfOffers& self_offers()
{
    static SelfOffers* offers = new SelfOffers;  // never destroyed: used until exit
    return *offers;
}

int offer_to_self(SocketDevice* socket, drivers::ShareTicket* ticket)
{
    DWORD error;
    socket->add_reference();  // the handle's
    HANDLE handle = kernel::handle_create(socket, kSocketAccess, 0, &error);
    if (handle == nullptr) return WSAEMFILE;
    socket->add_reference();  // the offer's
    SelfOffers& all = self_offers();
    std::lock_guard<std::mutex> guard(all.lock);
    do {
        ++all.last_token;
    } while (all.last_token == 0 || all.offers.count(all.last_token) != 0);
    all.offers[all.last_token] = SelfOffer{handle, socket};
    ticket->token = all.last_token;
    ticket->source_pid = static_cast<uint32_t>(getpid());
    ticket->overlapped = socket->overlapped_io();
    ticket->traffic_class = socket->traffic_class_options();
    return 0;
}

// The handle offered under `token` (once), inheritable unless WSA_FLAG_NO_HANDLE_INHERIT;
// INVALID_SOCKET and WSAEINVAL when there is no such offer, or its handle no longer names
// the socket (closed, WSACleanup).
SOCKET take_self_offer(uint32_t token, DWORD flags)
{
    SelfOffer offer{};
    {
        SelfOffers& all = self_offers();
        std::lock_guard<std::mutex> guard(all.lock);
        auto found = all.offers.find(token);
        if (found == all.offers.end()) return wsa_fail(WSAEINVAL, INVALID_SOCKET);
        offer = found->second;
        all.offers.erase(found);
    }
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(offer.handle, kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    bool same = object == offer.socket;
    if (object != nullptr) object->release_reference();
    offer.socket->release_reference();
    if (!same) return wsa_fail(WSAEINVAL, INVALID_SOCKET);
    kernel::handle_set_flags(offer.handle, HANDLE_FLAG_INHERIT,
                             (flags & WSA_FLAG_NO_HANDLE_INHERIT) ? 0 : HANDLE_FLAG_INHERIT);
    set_last_error(0);
    return reinterpret_cast<SOCKET>(offer.handle);
}

// WSADuplicateSocketA/W.
template <class Info>
int duplicate_socket(SOCKET s, DWORD process, Info* info)
{
    if (!winsock_started()) return SOCKET_ERROR;
    return with_socket(s, [&](SocketDevice* socket) {
        drivers::ShareTicket ticket;
        Info described;
        describe_protocol(socket->family(), socket->type(), socket->protocol(), &described);
        // The order of Wine's checks: the socket, the process, then the buffer.
        if (int error = drivers::check_share_target(process)) return error;
        if (info == nullptr) return WSAEFAULT;
        if (process == static_cast<DWORD>(getpid())) {
            if (int error = offer_to_self(socket, &ticket)) return error;
        } else if (int error = drivers::share_socket(socket, process, &ticket)) {
            return error;
        }
        put_ticket(ticket, &described);
        *info = described;
        return 0;
    });
}

// WSASocketA/W: FROM_PROTOCOL_INFO takes the value from the protocol information; the
// information WSADuplicateSocket gave makes a descriptor of the shared socket.
template <class Info>
SOCKET create_socket_as(int af, int type, int protocol, const Info* info, DWORD flags)
{
    drivers::ShareTicket ticket;
    if (info != nullptr && get_ticket(info, &ticket)) {
        if (!winsock_started()) return INVALID_SOCKET;
        if (ticket.source_pid == static_cast<uint32_t>(getpid())) return take_self_offer(ticket.token, flags);
        int error = 0;
        SocketDevice* device =
            drivers::take_shared_socket(ticket, info->iAddressFamily, info->iSocketType, info->iProtocol, &error);
        if (device == nullptr) return wsa_fail(error, INVALID_SOCKET);
        return make_handle(device, !(flags & WSA_FLAG_NO_HANDLE_INHERIT));
    }
    if (info != nullptr) {
        if (af == FROM_PROTOCOL_INFO) af = info->iAddressFamily;
        if (type == FROM_PROTOCOL_INFO) type = info->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO) protocol = info->iProtocol;
    }
    return create_socket(af, type, protocol, flags);
}

// Copies a name the system filled in to a caller's buffer with its length (WSAConnectByName's
// local and remote addresses): false (WSAEFAULT) when it does not fit.
bool give_address(const SOCKADDR_STORAGE& address, int length, LPSOCKADDR out, LPDWORD out_length)
{
    if (out == nullptr) return true;
    if (*out_length < static_cast<DWORD>(length)) return false;
    memcpy(out, &address, static_cast<size_t>(length));
    *out_length = static_cast<DWORD>(length);
    return true;
}

// The checks WSAConnectByName and WSAConnectByList share; gives the socket's family and
// whether it is non-blocking (the connection is made non-blocking and put back).
bool connect_helper_start(SOCKET s, LPDWORD local_length, LPSOCKADDR local, LPDWORD remote_length,
                          LPSOCKADDR remote, const struct timeval* timeout, int* family, bool* was_nonblocking)
{
    if ((local != nullptr && local_length == nullptr) || (remote != nullptr && remote_length == nullptr))
        return wsa_fail(WSAEFAULT, false);
    if (timeout != nullptr && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) return wsa_fail(WSAEINVAL, false);
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return false;
    *family = socket->family();
    *was_nonblocking = socket->nonblocking();
    socket->release_reference();
    if (*family != AF_INET && *family != AF_INET6) return wsa_fail(WSAEAFNOSUPPORT, false);
    return true;
}

struct ConnectTarget {
    const sockaddr* address;
    int length;
};

// Tries each target in turn until one connects; every attempt is bounded by what is left
// of `timeout` (null: no limit). An IPv6 socket reaches IPv4 addresses as IPv4-mapped
// ones (its IPV6_V6ONLY decides whether they connect, as on Windows); targets of another
// family are skipped. On success gives the local and remote addresses.
BOOL connect_to_any(SOCKET s, int family, bool was_nonblocking, const std::vector<ConnectTarget>& targets,
                    LPDWORD local_length, LPSOCKADDR local, LPDWORD remote_length, LPSOCKADDR remote,
                    const struct timeval* timeout)
{
    ULONGLONG deadline = timeout != nullptr ? GetTickCount64() + static_cast<ULONGLONG>(timeout->tv_sec) * 1000 +
                                                  static_cast<ULONGLONG>(timeout->tv_usec) / 1000
                                            : 0;
    u_long on = 1;
    ioctlsocket(s, FIONBIO, &on);
    int last_error = WSAEHOSTUNREACH;
    bool connected = false;
    for (const ConnectTarget& entry : targets) {
        if (entry.address == nullptr) continue;
        SOCKADDR_STORAGE target{};
        int target_length = entry.length;
        if (family == AF_INET6 && entry.address->sa_family == AF_INET &&
            target_length >= static_cast<int>(sizeof(SOCKADDR_IN))) {
            // An IPv4 address for an IPv6 socket: ::ffff:a.b.c.d.
            const auto* v4 = reinterpret_cast<const SOCKADDR_IN*>(entry.address);
            auto* v6 = reinterpret_cast<SOCKADDR_IN6*>(&target);
            v6->sin6_family = AF_INET6;
            v6->sin6_port = v4->sin_port;
            v6->sin6_addr.s6_addr[10] = 0xff;
            v6->sin6_addr.s6_addr[11] = 0xff;
            memcpy(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4);
            target_length = sizeof(SOCKADDR_IN6);
        } else if (entry.address->sa_family == family && target_length > 0 &&
                   target_length <= static_cast<int>(sizeof(target))) {
            memcpy(&target, entry.address, static_cast<size_t>(target_length));
        } else {
            continue;
        }
        if (connect(s, reinterpret_cast<const sockaddr*>(&target), target_length) == 0) {
            connected = true;
            break;
        }
        int error = WSAGetLastError();
        if (error != WSAEWOULDBLOCK) {
            last_error = error;
            continue;
        }
        timeval left{};
        if (timeout != nullptr) {
            ULONGLONG now = GetTickCount64();
            ULONGLONG remaining = deadline > now ? deadline - now : 0;
            left.tv_sec = static_cast<long>(remaining / 1000);
            left.tv_usec = static_cast<long>(remaining % 1000) * 1000;
        }
        fd_set writable, failed;
        FD_ZERO(&writable);
        FD_ZERO(&failed);
        FD_SET(s, &writable);
        FD_SET(s, &failed);
        int ready = select(0, nullptr, &writable, &failed, timeout != nullptr ? &left : nullptr);
        if (ready == 0) {
            last_error = WSAETIMEDOUT;  // the time is up: no further address is tried
            break;
        }
        if (ready < 0) {
            last_error = WSAGetLastError();
            break;
        }
        int socket_error = 0, size = sizeof(socket_error);
        getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&socket_error), &size);
        if (socket_error == 0 && FD_ISSET(s, &writable)) connected = true;
        else last_error = socket_error != 0 ? socket_error : WSAECONNREFUSED;
        if (connected) break;
    }
    u_long mode = was_nonblocking ? 1 : 0;
    ioctlsocket(s, FIONBIO, &mode);  // refused (and left non-blocking) under WSAEventSelect, as Windows
    if (!connected) return wsa_fail(last_error, FALSE);

    SOCKADDR_STORAGE name{};
    int name_length = sizeof(name);
    if (local != nullptr) {
        if (getsockname(s, reinterpret_cast<sockaddr*>(&name), &name_length) != 0) return FALSE;
        if (!give_address(name, name_length, local, local_length)) return wsa_fail(WSAEFAULT, FALSE);
    }
    if (remote != nullptr) {
        name_length = sizeof(name);
        if (getpeername(s, reinterpret_cast<sockaddr*>(&name), &name_length) != 0) return FALSE;
        if (!give_address(name, name_length, remote, remote_length)) return wsa_fail(WSAEFAULT, FALSE);
    }
    set_last_error(0);
    return TRUE;
}

// WSAConnectByNameA/W: resolves `node` and `service` and tries each address in turn.
BOOL connect_by_name(SOCKET s, const char* node, const char* service, LPDWORD local_length, LPSOCKADDR local,
                     LPDWORD remote_length, LPSOCKADDR remote, const struct timeval* timeout, LPWSAOVERLAPPED reserved)
{
    if (!winsock_started()) return FALSE;
    if (node == nullptr || service == nullptr || reserved != nullptr) return wsa_fail(WSAEINVAL, FALSE);
    int family = 0;
    bool was_nonblocking = false;
    if (!connect_helper_start(s, local_length, local, remote_length, remote, timeout, &family, &was_nonblocking))
        return FALSE;

    ADDRINFOA hints{};
    hints.ai_family = family == AF_INET6 ? AF_UNSPEC : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    PADDRINFOA results = nullptr;
    if (int error = getaddrinfo(node, service, &hints, &results)) return wsa_fail(error, FALSE);
    std::vector<ConnectTarget> targets;
    for (PADDRINFOA entry = results; entry != nullptr; entry = entry->ai_next)
        targets.push_back({entry->ai_addr, static_cast<int>(entry->ai_addrlen)});
    BOOL ok = connect_to_any(s, family, was_nonblocking, targets, local_length, local, remote_length, remote, timeout);
    DWORD error = GetLastError();
    freeaddrinfo(results);
    SetLastError(error);
    return ok;
}

}  // namespace

namespace overlapped::win32 {

bool winsock_is_socket(UINT_PTR s)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(as_handle(s), kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) return false;
    object->release_reference();
    return true;
}

}  // namespace overlapped::win32

extern "C" {

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    // Sockets made by socket() are overlapped, as on Windows, unless the thread asked for
    // synchronous ones with SO_OPENTYPE (any non-zero value, as Wine's sock.c servers use it).
    return create_socket(af, type, protocol, open_type != 0 ? 0 : WSA_FLAG_OVERLAPPED);
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP, DWORD dwFlags)
{
    return create_socket_as(af, type, protocol, info, dwFlags);
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP, DWORD dwFlags)
{
    return create_socket_as(af, type, protocol, info, dwFlags);
}

int WSAAPI closesocket(SOCKET s)
{
    if (!winsock_started()) return SOCKET_ERROR;
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(as_handle(s), kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    object->release_reference();
    if (kernel::handle_close(as_handle(s)) != ERROR_SUCCESS) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    set_last_error(0);
    return 0;
}

int WSAAPI bind(SOCKET s, const struct sockaddr* name, int namelen)
{
    return with_socket(s, [&](SocketDevice* socket) {
        return socket->bind(reinterpret_cast<const ws::Sockaddr*>(name), namelen);
    });
}

int WSAAPI listen(SOCKET s, int backlog)
{
    return with_socket(s, [&](SocketDevice* socket) { return socket->listen(backlog); });
}

int WSAAPI connect(SOCKET s, const struct sockaddr* name, int namelen)
{
    return with_socket(s, [&](SocketDevice* socket) {
        return socket->connect(reinterpret_cast<const ws::Sockaddr*>(name), namelen);
    });
}

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr* name, int namelen, LPWSABUF caller_data, LPWSABUF, LPQOS,
                      LPQOS)
{
    // Connect data is an OSI feature TCP/IP never had: Windows ignores it too.
    (void)caller_data;
    return connect(s, name, namelen);
}

BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR nodename, LPCSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const struct timeval* timeout, LPWSAOVERLAPPED Reserved)
{
    return connect_by_name(s, nodename, servicename, LocalAddressLength, LocalAddress, RemoteAddressLength,
                           RemoteAddress, timeout, Reserved);
}

BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const struct timeval* timeout, LPWSAOVERLAPPED Reserved)
{
    if (nodename == nullptr || servicename == nullptr)
        return winsock_started() ? wsa_fail(WSAEINVAL, FALSE) : FALSE;
    std::string node = win32::utf8_from_utf16(nodename), service = win32::utf8_from_utf16(servicename);
    return connect_by_name(s, node.c_str(), service.c_str(), LocalAddressLength, LocalAddress, RemoteAddressLength,
                           RemoteAddress, timeout, Reserved);
}

BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddress, LPDWORD LocalAddressLength,
                             LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                             const struct timeval* timeout, LPWSAOVERLAPPED Reserved)
{
    if (!winsock_started()) return FALSE;
    if (SocketAddress == nullptr || SocketAddress->iAddressCount < 0 || Reserved != nullptr)
        return wsa_fail(WSAEINVAL, FALSE);
    int family = 0;
    bool was_nonblocking = false;
    if (!connect_helper_start(s, LocalAddressLength, LocalAddress, RemoteAddressLength, RemoteAddress, timeout,
                              &family, &was_nonblocking))
        return FALSE;
    std::vector<ConnectTarget> targets;
    for (INT i = 0; i < SocketAddress->iAddressCount; ++i)
        targets.push_back({SocketAddress->Address[i].lpSockaddr, SocketAddress->Address[i].iSockaddrLength});
    return connect_to_any(s, family, was_nonblocking, targets, LocalAddressLength, LocalAddress, RemoteAddressLength,
                          RemoteAddress, timeout);
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr* addr, int* addrlen)
{
    if (addrlen == nullptr) addr = nullptr;  // no length: the address is not written
    if (addr != nullptr && *addrlen < static_cast<int>(sizeof(SOCKADDR)))
        return winsock_started() ? wsa_fail(WSAEFAULT, INVALID_SOCKET) : INVALID_SOCKET;
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return INVALID_SOCKET;
    SocketDevice* accepted = nullptr;
    int error = socket->accept(&accepted, reinterpret_cast<ws::Sockaddr*>(addr), addrlen);
    socket->release_reference();
    if (error != 0) return wsa_fail(error, INVALID_SOCKET);
    return make_handle(accepted, true);
}

// WSAAccept with a condition function. Linux has no conditional acceptance (Windows'
// SO_CONDITIONAL_ACCEPT, off by default there too): the connection is accepted from the
// kernel first, as Windows' stack does by default, then offered to the condition
// function. CF_ACCEPT hands it out; CF_REJECT closes it (WSAECONNREFUSED); CF_DEFER keeps
// it on the listener, and the next accept or WSAAccept takes it first (WSATRY_AGAIN).
SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr* addr, LPINT addrlen, LPCONDITIONPROC condition, DWORD_PTR data)
{
    if (condition == nullptr) return accept(s, addr, addrlen);
    if (addrlen == nullptr) addr = nullptr;
    if (addr != nullptr && *addrlen < static_cast<int>(sizeof(SOCKADDR)))
        return winsock_started() ? wsa_fail(WSAEFAULT, INVALID_SOCKET) : INVALID_SOCKET;
    SocketDevice* listener = socket_reference(s);
    if (listener == nullptr) return INVALID_SOCKET;
    if (addr != nullptr && *addrlen < listener->address_length() && listener->listening()) {
        // No room for the address: the connection stays for the next call (as accept()).
        listener->release_reference();
        return wsa_fail(WSAEFAULT, INVALID_SOCKET);
    }
    SOCKADDR_STORAGE peer{}, local{};
    int peer_length = sizeof(peer), local_length = sizeof(local);
    SocketDevice* accepted = nullptr;
    int error = listener->accept(&accepted, reinterpret_cast<ws::Sockaddr*>(&peer), &peer_length);
    if (error == 0) {
        error = accepted->local_address(reinterpret_cast<ws::Sockaddr*>(&local), &local_length);
        if (error != 0) accepted->release_reference();
    }
    if (error != 0) {
        listener->release_reference();
        return wsa_fail(error, INVALID_SOCKET);
    }
    WSABUF caller_id{static_cast<ULONG>(peer_length), reinterpret_cast<char*>(&peer)};
    WSABUF callee_id{static_cast<ULONG>(local_length), reinterpret_cast<char*>(&local)};
    WSABUF caller_data{0, nullptr}, callee_data{0, nullptr};  // TCP carries no connect data
    GROUP group = 0;
    int verdict = condition(&caller_id, &caller_data, nullptr, nullptr, &callee_id, &callee_data, &group, data);
    if (verdict == CF_DEFER) {
        listener->defer_connection(accepted);
        listener->release_reference();
        return wsa_fail(WSATRY_AGAIN, INVALID_SOCKET);
    }
    listener->release_reference();
    if (verdict != CF_ACCEPT) {
        accepted->release_reference();  // closes the connection
        return wsa_fail(verdict == CF_REJECT ? WSAECONNREFUSED : WSAEINVAL, INVALID_SOCKET);
    }
    if (addr != nullptr) {
        memcpy(addr, &peer, static_cast<size_t>(peer_length));
        *addrlen = peer_length;
    }
    return make_handle(accepted, true);
}

// A negative length is a buffer of 2^32 - |len| bytes to Windows, which it cannot
// validate: WSAEFAULT (Wine's sock.c test_read_events, recv with a length of -1).
int WSAAPI recv(SOCKET s, char* buf, int len, int flags)
{
    if (len < 0) return winsock_started() ? wsa_fail(WSAEFAULT, SOCKET_ERROR) : SOCKET_ERROR;
    WSABUF buffer{static_cast<ULONG>(len), buf};
    DWORD received = 0, in_flags = static_cast<DWORD>(flags);
    if (receive(s, &buffer, 1, &received, &in_flags, nullptr, nullptr, nullptr, nullptr) != 0) return SOCKET_ERROR;
    return static_cast<int>(received);
}

int WSAAPI recvfrom(SOCKET s, char* buf, int len, int flags, struct sockaddr* from, int* fromlen)
{
    if (len < 0) return winsock_started() ? wsa_fail(WSAEFAULT, SOCKET_ERROR) : SOCKET_ERROR;  // as recv
    WSABUF buffer{static_cast<ULONG>(len), buf};
    DWORD received = 0, in_flags = static_cast<DWORD>(flags);
    if (receive(s, &buffer, 1, &received, &in_flags, from, fromlen, nullptr, nullptr) != 0) return SOCKET_ERROR;
    return static_cast<int>(received);
}

int WSAAPI send(SOCKET s, const char* buf, int len, int flags)
{
    if (len < 0) return winsock_started() ? wsa_fail(WSAEINVAL, SOCKET_ERROR) : SOCKET_ERROR;
    WSABUF buffer{static_cast<ULONG>(len), const_cast<char*>(buf)};
    DWORD sent = 0;
    if (send_data(s, &buffer, 1, &sent, static_cast<DWORD>(flags), nullptr, 0, nullptr, nullptr) != 0)
        return SOCKET_ERROR;
    return static_cast<int>(sent);
}

int WSAAPI sendto(SOCKET s, const char* buf, int len, int flags, const struct sockaddr* to, int tolen)
{
    if (len < 0) return winsock_started() ? wsa_fail(WSAEINVAL, SOCKET_ERROR) : SOCKET_ERROR;
    WSABUF buffer{static_cast<ULONG>(len), const_cast<char*>(buf)};
    DWORD sent = 0;
    if (send_data(s, &buffer, 1, &sent, static_cast<DWORD>(flags), to, tolen, nullptr, nullptr) != 0)
        return SOCKET_ERROR;
    return static_cast<int>(sent);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return receive(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, nullptr, nullptr, lpOverlapped,
                   lpCompletionRoutine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                       LPDWORD lpFlags, struct sockaddr* lpFrom, LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return receive(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, lpOverlapped,
                   lpCompletionRoutine);
}

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return send_data(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, nullptr, 0, lpOverlapped,
                     lpCompletionRoutine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                     const struct sockaddr* lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return send_data(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped,
                     lpCompletionRoutine);
}

int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                      LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (lpMsg == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    SocketDevice* socket = socket_reference(Handle);
    if (socket == nullptr) return SOCKET_ERROR;
    bool stream = socket->is_stream_type();
    bool unbound = !socket->bound();
    int family = socket->family();
    socket->release_reference();
    // Datagram and raw sockets only: Windows refuses a stream socket (Wine's sock.c
    // test_WSASendMsg).
    if (stream) return wsa_fail(WSAEINVAL, SOCKET_ERROR);
    if (lpNumberOfBytesSent == nullptr && lpOverlapped == nullptr) {
        // No count to answer with: WSAEFAULT, but Windows has bound the socket by then, as
        // a send does (Wine's sock.c test_WSASendMsg: "a bad call to WSASendMsg will also
        // bind the socket", to the wildcard address and a port of its own).
        if (unbound && (family == AF_INET || family == AF_INET6)) {
            SOCKADDR_STORAGE any;
            memset(&any, 0, sizeof(any));
            any.ss_family = static_cast<ADDRESS_FAMILY>(family);
            int error = WSAGetLastError();
            ::bind(Handle, reinterpret_cast<sockaddr*>(&any), family == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6));
            WSASetLastError(error);
        }
        return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    }
    // Control data: IN_PKTINFO / IN6_PKTINFO choose the source address and interface
    // (drivers/socket.cpp, send_control); anything else fails with WSAEINVAL.
    return send_data(Handle, lpMsg->lpBuffers, lpMsg->dwBufferCount, lpNumberOfBytesSent, dwFlags, lpMsg->name,
                     lpMsg->namelen, lpOverlapped, lpCompletionRoutine, lpMsg->Control.len != 0 ? lpMsg : nullptr);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF)
{
    return with_socket(s, [](SocketDevice* socket) { return socket->shutdown(SD_RECEIVE); });
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF)
{
    return with_socket(s, [](SocketDevice* socket) { return socket->shutdown(SD_SEND); });
}

int WSAAPI shutdown(SOCKET s, int how)
{
    return with_socket(s, [&](SocketDevice* socket) { return socket->shutdown(how); });
}

int WSAAPI getsockname(SOCKET s, struct sockaddr* name, int* namelen)
{
    return with_socket(s, [&](SocketDevice* socket) {
        return socket->local_address(reinterpret_cast<ws::Sockaddr*>(name), namelen);
    });
}

int WSAAPI getpeername(SOCKET s, struct sockaddr* name, int* namelen)
{
    return with_socket(s, [&](SocketDevice* socket) {
        return socket->peer_address(reinterpret_cast<ws::Sockaddr*>(name), namelen);
    });
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen)
{
    if (level == SOL_SOCKET && optname == SO_OPENTYPE) return open_type_option(false, nullptr, optval, optlen);
    return with_socket(s, [&](SocketDevice* socket) {
        if ((optval != nullptr && reinterpret_cast<uintptr_t>(optval) < 0x10000) ||
            (optlen != nullptr && reinterpret_cast<uintptr_t>(optlen) < 0x10000))
            return WSAEFAULT;
        if (level == SOL_SOCKET && (optname == SO_PROTOCOL_INFOA || optname == SO_PROTOCOL_INFOW)) {
            bool wide = optname == SO_PROTOCOL_INFOW;
            int size = wide ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
            if (optval == nullptr || optlen == nullptr) return WSAEFAULT;
            if (*optlen < size) {
                *optlen = size;  // what it needs (Wine's test_set_getsockopt)
                return WSAEFAULT;
            }
            if (wide)
                describe_protocol(socket->family(), socket->type(), socket->protocol(),
                                  reinterpret_cast<WSAPROTOCOL_INFOW*>(optval));
            else
                describe_protocol(socket->family(), socket->type(), socket->protocol(),
                                  reinterpret_cast<WSAPROTOCOL_INFOA*>(optval));
            return 0;  // *optlen stays as given, even when larger (Wine's test_set_getsockopt)
        }
        return socket->get_option(level, optname, optval, optlen);
    });
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen)
{
    if (level == SOL_SOCKET && optname == SO_OPENTYPE) return open_type_option(true, optval, nullptr, &optlen);
    return with_socket(s, [&](SocketDevice* socket) {
        // A value passed where its address belongs ((char *)1): WSAEFAULT, as for ioctlsocket's
        // argp (Wine's test_set_getsockopt, SO_DONTROUTE).
        if (optval != nullptr && reinterpret_cast<uintptr_t>(optval) < 0x10000) return WSAEFAULT;
        if (level == SOL_SOCKET && (optname == SO_UPDATE_ACCEPT_CONTEXT || optname == SO_UPDATE_CONNECT_CONTEXT)) {
            // The value is the listening socket (accept) or nothing (connect).
            if (optname == SO_UPDATE_ACCEPT_CONTEXT) {
                if (optval == nullptr || optlen < static_cast<int>(sizeof(SOCKET))) return WSAEFAULT;
                SOCKET listener;
                memcpy(&listener, optval, sizeof(listener));
                SocketDevice* other = socket_reference(listener);
                if (other == nullptr) return WSAENOTSOCK;
                int error = socket->update_accept_context(other);
                other->release_reference();
                return error;
            }
            return socket->connected() ? 0 : WSAENOTCONN;
        }
        return socket->set_option(level, optname, optval, optlen);
    });
}

int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long* argp)
{
    return with_socket(s, [&](SocketDevice* socket) {
        // NULL, or a value passed where its address belongs (FIONBIO's 1): below the lowest
        // application address (64 KiB, GetSystemInfo's lpMinimumApplicationAddress) there
        // is no memory of the program's; Windows fails the call with WSAEFAULT rather than
        // fault (Wine's sock.c test_ioctlsocket: apps that pass argp's value directly).
        if (reinterpret_cast<uintptr_t>(argp) < 0x10000) return WSAEFAULT;
        DWORD code = static_cast<DWORD>(cmd);
        DWORD returned = 0;
        return socket->control(code, argp, sizeof(*argp), argp, sizeof(*argp), &returned);
    });
}

int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
                    DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    // Windows (and Wine) refuse a NULL byte count for every code, overlapped or not,
    // before looking at anything else: nothing is done.
    if (lpcbBytesReturned == nullptr) return winsock_started() ? wsa_fail(WSAEFAULT, SOCKET_ERROR) : SOCKET_ERROR;
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return SOCKET_ERROR;
    if (dwIoControlCode == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) {
        socket->release_reference();
        int error = win32::rio_function_table(lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned);
        if (error != 0) return wsa_fail(error, SOCKET_ERROR);
        set_last_error(0);
        return 0;
    }
    if (dwIoControlCode == SIO_GET_EXTENSION_FUNCTION_POINTER) {
        bool asynchronous = socket->overlapped_io();
        socket->release_reference();
        return extension_pointer(s, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                 asynchronous ? lpOverlapped : nullptr, lpCompletionRoutine);
    }
    if (lpOverlapped != nullptr && socket->overlapped_io() &&
        (dwIoControlCode == SIO_BASE_HANDLE || !drivers::socket_control_known(dwIoControlCode))) {
        // A code Windows' socket driver does not know (SIO_BASE_HANDLE is the Winsock
        // DLL's, answered only without an OVERLAPPED): the request is accepted
        // (WSA_IO_PENDING, the byte count untouched) and completes with
        // STATUS_NOT_SUPPORTED, through the port (ERROR_NOT_SUPPORTED) or to the routine
        // (WSAEOPNOTSUPP). Wine's sock.c test_unsupported_ioctls, test_base_handle.
        SocketRequest asked;
        asked.operation = SocketOperation::Control;
        asked.control_error = ERROR_NOT_SUPPORTED;
        asked.control_bytes = 0;
        socket->release_reference();
        io::Submitted submitted = submit_request(s, asked, lpOverlapped, lpCompletionRoutine);
        if (submitted.error == ERROR_SUCCESS || submitted.error == ERROR_IO_PENDING)
            return wsa_fail(WSA_IO_PENDING, SOCKET_ERROR);
        return overlapped_return(submitted, nullptr, nullptr);
    }
    int error = 0;
    DWORD returned = 0;
    switch (dwIoControlCode) {
    case SIO_BASE_HANDLE:
        if (lpvOutBuffer == nullptr || cbOutBuffer < sizeof(SOCKET)) {
            error = WSAEFAULT;
            break;
        }
        memcpy(lpvOutBuffer, &s, sizeof(s));
        returned = sizeof(SOCKET);
        break;
    default:
        error = socket->control(dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, &returned);
        break;
    }
    bool asynchronous = socket->overlapped_io();
    socket->release_reference();
    // FIONREAD and SIOCATMARK with no room for their answer leave the count alone (Wine's
    // sock.c test_fionread_siocatmark), SIO_ROUTING_INTERFACE_QUERY's failures too, but
    // for an output too small, which gets the size needed (test_sioRoutingInterfaceQuery);
    // other failures set it to 0 (test_keepalive_vals, test_unsupported_ioctls), except
    // an overlapped call's, which leave it alone (test_keepalive_vals: SIO_KEEPALIVE_VALS
    // with an OVERLAPPED and a short input fails with WSAEFAULT, the count untouched).
    bool count_kept = (error == WSAEFAULT && (dwIoControlCode == FIONREAD || dwIoControlCode == SIOCATMARK)) ||
                      (error != 0 && dwIoControlCode == SIO_ROUTING_INTERFACE_QUERY && returned == 0) ||
                      (error != 0 && lpOverlapped != nullptr);
    if (!count_kept) *lpcbBytesReturned = returned;
    if (lpOverlapped != nullptr && error == 0 && asynchronous) {
        // An overlapped control request: done already, and delivered like one, with 0
        // bytes in the OVERLAPPED, the port's packet and the routine's call, whatever the
        // call itself reported (Wine's sock.c test_fionread_siocatmark: FIONREAD and
        // SIOCATMARK answer 4 bytes, their completions 0; test_get_extension_func).
        SocketRequest asked;
        asked.operation = SocketOperation::Control;
        asked.control_error = error;
        asked.control_bytes = 0;
        return overlapped_return(submit_request(s, asked, lpOverlapped, lpCompletionRoutine), nullptr, nullptr);
    }
    if (error != 0) return wsa_fail(error, SOCKET_ERROR);
    set_last_error(0);
    return 0;
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
                                   LPDWORD lpdwFlags)
{
    if (!winsock_started()) return FALSE;
    // lpdwFlags may be NULL: the flags are then not given (Wine's sock.c test_TransmitFile
    // reads the byte count of a TransmitFile so, plain ok).
    if (lpOverlapped == nullptr || lpcbTransfer == nullptr) return wsa_fail(WSAEFAULT, FALSE);
    SocketDevice* socket = socket_reference(s);
    if (socket == nullptr) return FALSE;
    socket->release_reference();
    DWORD bytes = 0;
    BOOL done = GetOverlappedResult(as_handle(s), lpOverlapped, &bytes, fWait);
    DWORD status = static_cast<DWORD>(__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE));
    if (!done && status == STATUS_PENDING) {
        DWORD error = GetLastError();
        return wsa_fail(error == ERROR_IO_INCOMPLETE ? WSA_IO_INCOMPLETE : static_cast<int>(error), FALSE);
    }
    *lpcbTransfer = static_cast<DWORD>(lpOverlapped->InternalHigh);
    if (lpdwFlags != nullptr) *lpdwFlags = lpOverlapped->Offset;
    // Windows answers from Internal (Wine's sock.c test_WSAGetOverlappedResult, every status
    // in its ranges): any success status (STATUS_PENDING too, when the wait for the event
    // ended) is TRUE; a failure status is FALSE with Winsock's error for it, WSAEINVAL for
    // one Winsock has no error for.
    if (static_cast<LONG>(status) < 0) return wsa_fail(drivers::wsa_error_from_status(status), FALSE);
    set_last_error(0);
    return TRUE;
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
    return duplicate_socket(s, dwProcessId, lpProtocolInfo);
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
    return duplicate_socket(s, dwProcessId, lpProtocolInfo);
}

}  // extern "C"

namespace {

template <class Info>
int enumerate_protocols(LPINT protocols, Info* buffer, LPDWORD length)
{
    if (!winsock_started()) return SOCKET_ERROR;
    if (length == nullptr) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    struct Entry {
        int family, type, protocol;
    } entries[] = {{AF_INET, SOCK_STREAM, IPPROTO_TCP},
                   {AF_INET, SOCK_DGRAM, IPPROTO_UDP},
                   {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
                   {AF_INET6, SOCK_DGRAM, IPPROTO_UDP}};
    Entry chosen[4];
    int count = 0;
    for (const Entry& entry : entries) {
        bool wanted = protocols == nullptr;
        for (int i = 0; protocols != nullptr && protocols[i] != 0; ++i)
            if (protocols[i] == entry.protocol) wanted = true;
        if (wanted) chosen[count++] = entry;
    }
    DWORD needed = static_cast<DWORD>(count * sizeof(Info));
    if (buffer == nullptr || *length < needed) {
        *length = needed;
        return wsa_fail(WSAENOBUFS, SOCKET_ERROR);
    }
    for (int i = 0; i < count; ++i) describe_protocol(chosen[i].family, chosen[i].type, chosen[i].protocol, &buffer[i]);
    *length = needed;
    set_last_error(0);
    return count;
}

}  // namespace

extern "C" {

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    return enumerate_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength);
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    return enumerate_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength);
}

// mswsock's own exports of the extension functions.
BOOL PASCAL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                     DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                     LPOVERLAPPED lpOverlapped)
{
    return accept_ex(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
                     dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped);
}

VOID PASCAL GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                                 DWORD dwRemoteAddressLength, struct sockaddr** LocalSockaddr,
                                 LPINT LocalSockaddrLength, struct sockaddr** RemoteSockaddr,
                                 LPINT RemoteSockaddrLength)
{
    get_accept_ex_sockaddrs(lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength,
                            LocalSockaddr, LocalSockaddrLength, RemoteSockaddr, RemoteSockaddrLength);
}

BOOL PASCAL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite, DWORD nNumberOfBytesPerSend,
                         LPOVERLAPPED lpOverlapped, LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved)
{
    return transmit_file(hSocket, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend, lpOverlapped,
                         lpTransmitBuffers, dwReserved);
}

int PASCAL WSARecvEx(SOCKET s, char* buf, int len, int* flags)
{
    // recv() that reports a datagram larger than the buffer with MSG_PARTIAL.
    if (flags == nullptr) return winsock_started() ? wsa_fail(WSAEFAULT, SOCKET_ERROR) : SOCKET_ERROR;
    WSABUF buffer{static_cast<ULONG>(len), buf};
    DWORD received = 0, in_flags = static_cast<DWORD>(*flags);
    int result = receive(s, &buffer, 1, &received, &in_flags, nullptr, nullptr, nullptr, nullptr);
    if (result != 0 && WSAGetLastError() == WSAEMSGSIZE) {
        *flags = MSG_PARTIAL;
        set_last_error(0);
        return static_cast<int>(received);
    }
    if (result != 0) return SOCKET_ERROR;
    *flags = 0;
    return static_cast<int>(received);
}

}  // extern "C"
