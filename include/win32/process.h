/* process.h: the C runtime's thread functions (_beginthreadex, _beginthread and their
 * _end* pair), which Windows programs use more than CreateThread. glibc has no
 * process.h; the library implements them over CreateThread and ExitThread. */
#ifndef OVERLAPPED_PROCESS_H
#define OVERLAPPED_PROCESS_H

#include <windef.h>
#include <stdint.h>

OVERLAPPED_BEGIN_C

/* A thread running start_address(arglist); its handle back (0 and errno on failure),
 * the caller's to close. initflag: 0 or CREATE_SUSPENDED. */
OVERLAPPED_API uintptr_t __cdecl _beginthreadex(void *security, unsigned stack_size,
                                                unsigned(__stdcall *start_address)(void *),
                                                void *arglist, unsigned initflag,
                                                unsigned *thrdaddr);
OVERLAPPED_API DECLSPEC_NORETURN void __cdecl _endthreadex(unsigned retval);

/* A thread whose handle the runtime closes as it ends: -1 and errno on failure. */
OVERLAPPED_API uintptr_t __cdecl _beginthread(void(__cdecl *start_address)(void *),
                                              unsigned stack_size, void *arglist);
OVERLAPPED_API DECLSPEC_NORETURN void __cdecl _endthread(void);

OVERLAPPED_END_C

#endif
