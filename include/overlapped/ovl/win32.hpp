// ovl/win32.hpp: the public Win32 headers the C++ layer is built on, nothing else.
#ifndef OVERLAPPED_OVL_WIN32_HPP
#define OVERLAPPED_OVL_WIN32_HPP

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#endif
