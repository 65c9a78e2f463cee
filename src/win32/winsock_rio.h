// winsock_rio.h: what the Winsock layer shares with its registered I/O (winsock_rio.cpp).
#pragma once

#include <windows.h>

#include "io/request.h"

namespace overlapped::win32 {

// WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER): the input is a GUID, which must
// be WSAID_MULTIPLE_RIO (WSAEINVAL); the output receives the RIO_EXTENSION_FUNCTION_TABLE
// (WSAEFAULT if it has no room), *returned its size. Returns 0 or the WSA error.
int rio_function_table(const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* returned);

// The WSA error for a failure io::submit reported (winsock_sockets.cpp).
int wsa_error_of(const io::Submitted& submitted);

}  // namespace overlapped::win32
