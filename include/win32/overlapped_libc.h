/* overlapped_libc.h: makes the C library's headers and Winsock's names live side by side.
 *
 * glibc's <stdlib.h> (through <sys/types.h> and <sys/select.h>, with the default
 * _DEFAULT_SOURCE) declares a POSIX fd_set, FD_SET & co., select() and a 64-bit u_long,
 * all of which Winsock defines differently. This header gets glibc's declarations over
 * with, once, before anything of ours needs the names: later includes of those glibc
 * headers are then no-ops. The POSIX FD_* macros are removed (winsock2.h defines
 * Windows' own); FD_SETSIZE keeps the value a program defined before including us, if
 * any. winsock2.h then gives fd_set, u_long and (in C) select Windows' meaning under
 * names of our own (docs/porting.md). */
#ifndef OVERLAPPED_LIBC_H
#define OVERLAPPED_LIBC_H

#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#include <sys/types.h>
#include <sys/select.h>
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO

#endif
