/* wspiapi.h: the SDK's getaddrinfo wrappers for systems older than Windows XP.
 *
 * Programs written for Windows 2000 include this header; it names the address functions
 * WspiapiGetAddrInfo, WspiapiGetNameInfo and WspiapiFreeAddrInfo and, on a system that
 * has them, forwards to getaddrinfo, getnameinfo and freeaddrinfo. Here they always
 * exist, so the wrappers forward and nothing else changes: a program that calls
 * getaddrinfo gets it directly. */
#ifndef OVERLAPPED_WSPIAPI_H
#define OVERLAPPED_WSPIAPI_H

#include <ws2tcpip.h>

OVERLAPPED_BEGIN_C

static inline int WINAPI WspiapiGetAddrInfo(const char *nodename, const char *servname,
                                            const struct addrinfo *hints, struct addrinfo **res)
{
    return getaddrinfo(nodename, servname, hints, res);
}

static inline int WINAPI WspiapiGetNameInfo(const struct sockaddr *sa, socklen_t salen, char *host,
                                            size_t hostlen, char *serv, size_t servlen, int flags)
{
    return getnameinfo(sa, salen, host, (DWORD)hostlen, serv, (DWORD)servlen, flags);
}

static inline void WINAPI WspiapiFreeAddrInfo(struct addrinfo *ai) { freeaddrinfo(ai); }

OVERLAPPED_END_C

#endif
