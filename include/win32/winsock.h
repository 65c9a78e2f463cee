/* winsock.h: Windows Sockets 1.1. Here it is Winsock 2 (a superset with the same
 * names and values), so that programs including either, or both, build. */
#ifndef OVERLAPPED_WINSOCK_H
#define OVERLAPPED_WINSOCK_H

#include <winsock2.h>

#endif
