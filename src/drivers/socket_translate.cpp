// socket_translate.cpp: Winsock <-> Linux values and layouts (socket_translate.h), and
// the socket errors' NTSTATUS and WSA tables (socket.h).
#include "drivers/socket_translate.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/un.h>

#include "common/errors.h"
#include "drivers/socket.h"

namespace overlapped::drivers {

namespace translate {

int linux_family(int family)
{
    switch (family) {
    case ws::kAfUnspec: return AF_UNSPEC;
    case ws::kAfUnix: return AF_UNIX;
    case ws::kAfInet: return AF_INET;
    case ws::kAfInet6: return AF_INET6;
    default: return -1;
    }
}

int windows_family(int family)
{
    switch (family) {
    case AF_UNSPEC: return ws::kAfUnspec;
    case AF_UNIX: return ws::kAfUnix;
    case AF_INET: return ws::kAfInet;
    case AF_INET6: return ws::kAfInet6;
    default: return -1;
    }
}

int linux_type(int type)
{
    switch (type) {
    case ws::kSockStream: return SOCK_STREAM;
    case ws::kSockDgram: return SOCK_DGRAM;
    case ws::kSockRaw: return SOCK_RAW;
    case ws::kSockRdm: return SOCK_RDM;
    case ws::kSockSeqpacket: return SOCK_SEQPACKET;
    default: return -1;
    }
}

int to_linux(const ws::Sockaddr* address, int length, sockaddr_storage* out, socklen_t* out_length)
{
    if (address == nullptr || length < static_cast<int>(sizeof(USHORT))) return WSAEFAULT;
    memset(out, 0, sizeof(*out));
    switch (address->sa_family) {
    case ws::kAfInet: {
        if (length < static_cast<int>(sizeof(ws::SockaddrIn))) return WSAEFAULT;
        const auto* in = reinterpret_cast<const ws::SockaddrIn*>(address);
        auto* v4 = reinterpret_cast<sockaddr_in*>(out);
        v4->sin_family = AF_INET;
        v4->sin_port = in->sin_port;
        v4->sin_addr.s_addr = in->sin_addr.value;
        *out_length = sizeof(sockaddr_in);
        return 0;
    }
    case ws::kAfInet6: {
        // The 24-byte SOCKADDR_IN6 of old headers (no scope id) is accepted too.
        if (length < static_cast<int>(offsetof(ws::SockaddrIn6, sin6_scope_id))) return WSAEFAULT;
        const auto* in = reinterpret_cast<const ws::SockaddrIn6*>(address);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = in->sin6_port;
        v6->sin6_flowinfo = in->sin6_flowinfo;
        memcpy(&v6->sin6_addr, &in->sin6_addr, sizeof(v6->sin6_addr));
        v6->sin6_scope_id = length >= static_cast<int>(sizeof(ws::SockaddrIn6)) ? in->sin6_scope_id : 0;
        *out_length = sizeof(sockaddr_in6);
        return 0;
    }
    case ws::kAfUnix: {
        // Windows' sockaddr_un has Linux's layout: a family, then a 108-byte path.
        if (length > static_cast<int>(sizeof(sockaddr_un))) length = sizeof(sockaddr_un);
        memcpy(out, address, static_cast<size_t>(length));
        out->ss_family = AF_UNIX;
        *out_length = static_cast<socklen_t>(length);
        return 0;
    }
    default: return WSAEAFNOSUPPORT;
    }
}

int windows_length(const sockaddr* address)
{
    switch (address->sa_family) {
    case AF_INET: return sizeof(ws::SockaddrIn);
    case AF_INET6: return sizeof(ws::SockaddrIn6);
    case AF_UNIX: return sizeof(sockaddr_un);
    default: return sizeof(ws::Sockaddr);
    }
}

int to_windows(const sockaddr* address, socklen_t length, ws::Sockaddr* out, int* out_length)
{
    int needed = windows_length(address);
    if (out == nullptr || out_length == nullptr || *out_length < needed) return WSAEFAULT;
    switch (address->sa_family) {
    case AF_INET: {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
        ws::SockaddrIn in{};
        in.sin_family = ws::kAfInet;
        in.sin_port = v4->sin_port;
        in.sin_addr.value = v4->sin_addr.s_addr;
        memcpy(out, &in, sizeof(in));
        break;
    }
    case AF_INET6: {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
        ws::SockaddrIn6 in{};
        in.sin6_family = ws::kAfInet6;
        in.sin6_port = v6->sin6_port;
        in.sin6_flowinfo = v6->sin6_flowinfo;
        memcpy(&in.sin6_addr, &v6->sin6_addr, sizeof(in.sin6_addr));
        in.sin6_scope_id = v6->sin6_scope_id;
        memcpy(out, &in, sizeof(in));
        break;
    }
    case AF_UNIX: {
        memset(out, 0, static_cast<size_t>(needed));
        memcpy(out, address, length < static_cast<socklen_t>(needed) ? length : static_cast<socklen_t>(needed));
        out->sa_family = ws::kAfUnix;
        break;
    }
    default: {
        ws::Sockaddr unknown{};
        unknown.sa_family = static_cast<USHORT>(address->sa_family);
        memcpy(out, &unknown, sizeof(unknown));
        break;
    }
    }
    *out_length = needed;
    return 0;
}

int linux_message_flags(DWORD flags)
{
    int out = 0;
    if (flags & ws::kMsgOob) out |= MSG_OOB;
    if (flags & ws::kMsgPeek) out |= MSG_PEEK;
    if (flags & ws::kMsgDontRoute) out |= MSG_DONTROUTE;
    if (flags & ws::kMsgWaitAll) out |= MSG_WAITALL;
    return out;
}

DWORD windows_message_flags(int flags)
{
    DWORD out = 0;
    if (flags & MSG_OOB) out |= ws::kMsgOob;
    if (flags & MSG_TRUNC) out |= ws::kMsgTrunc;
    if (flags & MSG_CTRUNC) out |= ws::kMsgCtrunc;
    return out;
}

DWORD windows_receive_flags(int flags) { return windows_message_flags(flags) & ~(ws::kMsgTrunc | ws::kMsgCtrunc); }

int wsa_error(int error)
{
    switch (error) {
    case 0: return 0;
    case EINTR: return WSAEINTR;
    case EBADF: return WSAENOTSOCK;
    case EACCES:
    case EPERM: return WSAEACCES;
    case EFAULT: return WSAEFAULT;
    case EINVAL: return WSAEINVAL;
    case EMFILE:
    case ENFILE: return WSAEMFILE;
    case EAGAIN: return WSAEWOULDBLOCK;
    case EINPROGRESS: return WSAEWOULDBLOCK;  // a non-blocking connect under way
    case EALREADY: return WSAEALREADY;
    case ENOTSOCK: return WSAENOTSOCK;
    case EDESTADDRREQ: return WSAEDESTADDRREQ;
    case EMSGSIZE: return WSAEMSGSIZE;
    case EPROTOTYPE: return WSAEPROTOTYPE;
    case ENOPROTOOPT: return WSAENOPROTOOPT;
    case EPROTONOSUPPORT: return WSAEPROTONOSUPPORT;
    case ESOCKTNOSUPPORT: return WSAESOCKTNOSUPPORT;
    case EOPNOTSUPP: return WSAEOPNOTSUPP;
    case EPFNOSUPPORT: return WSAEPFNOSUPPORT;
    case EAFNOSUPPORT: return WSAEAFNOSUPPORT;
    case EADDRINUSE: return WSAEADDRINUSE;
    case EADDRNOTAVAIL: return WSAEADDRNOTAVAIL;
    case ENETDOWN: return WSAENETDOWN;
    case ENETUNREACH: return WSAENETUNREACH;
    case ENETRESET: return WSAENETRESET;
    case ECONNABORTED: return WSAECONNABORTED;
    case ECONNRESET:
    case EPIPE: return WSAECONNRESET;
    case ENOBUFS:
    case ENOMEM: return WSAENOBUFS;
    case EISCONN: return WSAEISCONN;
    case ENOTCONN: return WSAENOTCONN;
    case ESHUTDOWN: return WSAESHUTDOWN;
    case ETIMEDOUT: return WSAETIMEDOUT;
    case ECONNREFUSED: return WSAECONNREFUSED;
    case ELOOP: return WSAELOOP;
    case ENAMETOOLONG: return WSAENAMETOOLONG;
    case EHOSTDOWN: return WSAEHOSTDOWN;
    case EHOSTUNREACH: return WSAEHOSTUNREACH;
    case ECANCELED: return ERROR_OPERATION_ABORTED;
    default: return WSAEINVAL;
    }
}

uint64_t monotonic_seconds()
{
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec);
}

}  // namespace translate

DWORD socket_status_from_errno(int error)
{
    switch (error) {
    case ECANCELED:
    case EINTR: return STATUS_CANCELLED;
    case ECONNRESET:
    case EPIPE: return STATUS_CONNECTION_RESET;
    case ECONNREFUSED: return STATUS_CONNECTION_REFUSED;
    case ECONNABORTED: return STATUS_CONNECTION_ABORTED;
    case ETIMEDOUT: return STATUS_IO_TIMEOUT;
    case ENETUNREACH: return STATUS_NETWORK_UNREACHABLE;
    case EHOSTUNREACH: return STATUS_HOST_UNREACHABLE;
    case ENOTCONN: return STATUS_INVALID_CONNECTION;
    // Both of Windows' tables know this one: WSAEADDRINUSE (Winsock), ERROR_DUP_NAME
    // (RtlNtStatusToDosError).
    case EADDRINUSE: return STATUS_ADDRESS_ALREADY_EXISTS;
    case ENOBUFS:
    case ENOMEM: return STATUS_INSUFFICIENT_RESOURCES;
    case EINVAL: return STATUS_INVALID_PARAMETER;
    case EACCES:
    case EPERM: return STATUS_ACCESS_DENIED;
    case EBADF:
    case ENOTSOCK: return STATUS_INVALID_HANDLE;
    case EMSGSIZE: return STATUS_INVALID_BUFFER_SIZE;
    default:
        // No NTSTATUS says it better: the WSA code itself, wrapped (its round trip
        // through OVERLAPPED.Internal is lossless, and GetLastError shows it).
        return ntstatus_from_win32_error(static_cast<DWORD>(translate::wsa_error(error)));
    }
}

// The WSA error Winsock reports for a request's NTSTATUS (WSAGetOverlappedResult, a
// completion routine's dwError, a call that completed at once). Windows' table, as Wine's
// sock.c test_WSAGetOverlappedResult records it for every status in its ranges (its
// map_status): the statuses below have their Winsock error; any other failure status is
// WSAEINVAL (not RtlNtStatusToDosError's answer). Success statuses are not errors at all:
// the caller answers them before asking here.
namespace {

// NTSTATUS values of that table that winerror.h does not name.
constexpr DWORD kStatusAccessViolation = 0xC0000005;
constexpr DWORD kStatusPagefileQuota = 0xC0000007;
constexpr DWORD kStatusNoSuchDevice = 0xC000000E;
constexpr DWORD kStatusNoSuchFile = 0xC000000F;
constexpr DWORD kStatusConflictingAddresses = 0xC0000018;
constexpr DWORD kStatusObjectTypeMismatch = 0xC0000024;
constexpr DWORD kStatusObjectNameNotFound = 0xC0000034;
constexpr DWORD kStatusObjectPathNotFound = 0xC000003A;
constexpr DWORD kStatusSharingViolation = 0xC0000043;
constexpr DWORD kStatusQuotaExceeded = 0xC0000044;
constexpr DWORD kStatusTooManyPagingFiles = 0xC0000097;
constexpr DWORD kStatusWorkingSetQuota = 0xC00000A1;
constexpr DWORD kStatusDeviceNotReady = 0xC00000A3;
constexpr DWORD kStatusRemoteNotListening = 0xC00000BC;
constexpr DWORD kStatusBadNetworkPath = 0xC00000BE;
constexpr DWORD kStatusNetworkBusy = 0xC00000BF;
constexpr DWORD kStatusInvalidNetworkResponse = 0xC00000C3;
constexpr DWORD kStatusUnexpectedNetworkError = 0xC00000C4;
constexpr DWORD kStatusRequestNotAccepted = 0xC00000D0;
constexpr DWORD kStatusCommitmentLimit = 0xC000012D;
constexpr DWORD kStatusRemoteResources = 0xC000013D;
constexpr DWORD kStatusLinkFailed = 0xC000013E;
constexpr DWORD kStatusLinkTimeout = 0xC000013F;
constexpr DWORD kStatusInvalidAddress = 0xC0000141;
constexpr DWORD kStatusTooManyAddresses = 0xC0000209;
constexpr DWORD kStatusTransactionAborted = 0xC000020F;
constexpr DWORD kStatusConnectionActive = 0xC000023B;
constexpr DWORD kStatusRequestAborted = 0xC0000240;
constexpr DWORD kStatusDatatypeMisalignmentError = 0xC00002C5;
constexpr DWORD kStatusHostDown = 0xC0000350;

// The customer-defined statuses errors.cpp wraps a Win32 (here: WSA) code in
// (ntstatus_from_win32_error). Windows never stores one; this library does, for errors
// no NTSTATUS says, and gives the wrapped code back.
constexpr DWORD kWrappedWin32Mask = 0xFFFF0000u;
constexpr DWORD kWrappedWin32 = 0xE0070000u;

}  // namespace

int wsa_error_from_status(DWORD status)
{
    switch (status) {
    case STATUS_SUCCESS: return 0;
    case STATUS_PENDING: return ERROR_IO_INCOMPLETE;
    case STATUS_BUFFER_OVERFLOW: return WSAEMSGSIZE;
    case STATUS_NOT_IMPLEMENTED:
    case STATUS_NOT_SUPPORTED: return WSAEOPNOTSUPP;
    case kStatusAccessViolation:
    case STATUS_BUFFER_TOO_SMALL:
    case kStatusDatatypeMisalignmentError: return WSAEFAULT;
    case kStatusPagefileQuota:
    case STATUS_NO_MEMORY:
    case kStatusConflictingAddresses:
    case kStatusQuotaExceeded:
    case kStatusTooManyPagingFiles:
    case STATUS_INSUFFICIENT_RESOURCES:
    case kStatusWorkingSetQuota:
    case kStatusCommitmentLimit:
    case kStatusRemoteResources:
    case kStatusTooManyAddresses: return WSAENOBUFS;
    case STATUS_INVALID_HANDLE:
    case kStatusObjectTypeMismatch: return WSAENOTSOCK;
    case kStatusNoSuchDevice:
    case kStatusNoSuchFile:
    case kStatusObjectNameNotFound:
    case kStatusObjectPathNotFound:
    case kStatusNetworkBusy:
    case kStatusInvalidNetworkResponse:
    case kStatusUnexpectedNetworkError: return WSAENETDOWN;
    case STATUS_ACCESS_DENIED: return WSAEACCES;
    case kStatusSharingViolation:
    case STATUS_ADDRESS_ALREADY_EXISTS: return WSAEADDRINUSE;
    case kStatusDeviceNotReady:
    case kStatusRequestNotAccepted: return WSAEWOULDBLOCK;
    case STATUS_PIPE_DISCONNECTED: return WSAESHUTDOWN;
    case STATUS_IO_TIMEOUT:
    case kStatusLinkTimeout: return WSAETIMEDOUT;
    case kStatusRemoteNotListening:
    case STATUS_CONNECTION_REFUSED: return WSAECONNREFUSED;
    case kStatusBadNetworkPath:
    case STATUS_NETWORK_UNREACHABLE:
    case STATUS_PROTOCOL_UNREACHABLE: return WSAENETUNREACH;
    case STATUS_CANCELLED: return ERROR_OPERATION_ABORTED;
    case STATUS_LOCAL_DISCONNECT:
    case kStatusTransactionAborted:
    case STATUS_CONNECTION_ABORTED: return WSAECONNABORTED;
    case STATUS_REMOTE_DISCONNECT:
    case kStatusLinkFailed:
    case STATUS_CONNECTION_DISCONNECTED:
    case STATUS_CONNECTION_RESET:
    case STATUS_PORT_UNREACHABLE: return WSAECONNRESET;
    case STATUS_INVALID_CONNECTION: return WSAENOTCONN;
    case kStatusInvalidAddress:
    case STATUS_INVALID_ADDRESS_COMPONENT: return WSAEADDRNOTAVAIL;
    case STATUS_INVALID_BUFFER_SIZE: return WSAEMSGSIZE;
    case STATUS_GRACEFUL_DISCONNECT: return WSAEDISCON;
    case kStatusConnectionActive: return WSAEISCONN;
    case STATUS_HOST_UNREACHABLE: return WSAEHOSTUNREACH;
    case kStatusRequestAborted: return WSAEINTR;
    case kStatusHostDown: return WSAEHOSTDOWN;
    case 0x80070000u | ERROR_IO_INCOMPLETE:
    case 0xC0010000u | ERROR_IO_INCOMPLETE:
    case 0xC0070000u | ERROR_IO_INCOMPLETE: return ERROR_IO_INCOMPLETE;
    default:
        if ((status & kWrappedWin32Mask) == kWrappedWin32) return static_cast<int>(win32_error_from_ntstatus(status));
        return WSAEINVAL;
    }
}

}  // namespace overlapped::drivers
