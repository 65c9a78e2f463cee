/* wspiapi.h: the SDK's fall-backs that gave getaddrinfo, getnameinfo and freeaddrinfo to
 * programs for Windows 2000 and older. Those functions are always present here
 * (ws2tcpip.h), so this header only brings them in; the Wspiapi* names map onto them. */
#ifndef OVERLAPPED_WSPIAPI_H
#define OVERLAPPED_WSPIAPI_H

#include <ws2tcpip.h>

#define WspiapiGetAddrInfo getaddrinfo
#define WspiapiGetNameInfo getnameinfo
#define WspiapiFreeAddrInfo freeaddrinfo

#endif
