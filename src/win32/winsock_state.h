// winsock_state.h: what every Winsock entry point shares: whether WSAStartup is in
// effect, and the one-line failure return that sets the WSA error.
#pragma once

#include <windows.h>

#include "win32/entry.h"

namespace overlapped::win32 {

// True while WSAStartup has been called more often than WSACleanup; otherwise sets
// WSANOTINITIALISED and returns false (every Winsock call but WSAStartup checks it).
bool winsock_started();

// True if `s` is an open socket handle Winsock made (winsock_sockets.cpp).
bool winsock_is_socket(UINT_PTR s);

// Sets the WSA error (the thread's last error, as on Windows) and returns `value`.
template <class T>
inline T wsa_fail(int error, T value)
{
    set_last_error(static_cast<DWORD>(error));
    return value;
}

}  // namespace overlapped::win32
