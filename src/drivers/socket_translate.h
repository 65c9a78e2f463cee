// socket_translate.h: Winsock's values and layouts to Linux's and back, for the socket
// driver: addresses, families and types, flags, errors. (Linux side: includes Linux's
// socket headers; never included beside <winsock2.h>.)
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include "drivers/winsock_abi.h"

namespace overlapped::drivers::translate {

// Windows' address family to Linux's, or -1.
int linux_family(int family);
// Linux's address family to Windows', or -1.
int windows_family(int family);
// Windows' socket type to Linux's, or -1.
int linux_type(int type);

// A Windows sockaddr (`length` bytes) as a Linux one. Returns 0, WSAEFAULT (too short,
// null), or WSAEAFNOSUPPORT (a family we do not know). `expected_family` (Windows'
// value, 0 for any) refuses other families with WSAEAFNOSUPPORT.
int to_linux(const ws::Sockaddr* address, int length, sockaddr_storage* out, socklen_t* out_length);
// A Linux sockaddr as Windows', into `out` of *length bytes; *length becomes the size.
// Returns 0, or WSAEFAULT (no room: *length is not changed).
int to_windows(const sockaddr* address, socklen_t length, ws::Sockaddr* out, int* out_length);
// The size of `address`'s Windows form.
int windows_length(const sockaddr* address);

// MSG_* flags: Windows' to Linux's (those that mean the same), and back.
int linux_message_flags(DWORD flags);
DWORD windows_message_flags(int flags);
// The flags WSARecv/WSARecvFrom give back: no MSG_TRUNC (a cut datagram is WSAEMSGSIZE)
// and no MSG_CTRUNC (they take no control data; Linux cuts what an option such as
// IP_PKTINFO asked for): those two are WSARecvMsg's dwFlags only.
DWORD windows_receive_flags(int flags);

// The WSA error for an errno.
int wsa_error(int error);

// CLOCK_MONOTONIC in whole seconds (SO_CONNECT_TIME).
uint64_t monotonic_seconds();

}  // namespace overlapped::drivers::translate
