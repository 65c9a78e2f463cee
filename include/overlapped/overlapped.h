/* overlapped/overlapped.h: the library's own C extensions beside the Win32 surface.
 * Windows has no equivalent of these; docs/extensions.md describes each. */
#ifndef OVERLAPPED_OVERLAPPED_H
#define OVERLAPPED_OVERLAPPED_H

#include <windows.h>

OVERLAPPED_BEGIN_C

/* A snapshot of one completion port's counters. */
typedef struct overlapped_port_statistics {
    ULONG64 queued;          /* packets waiting in the completion queue now */
    ULONG64 running;         /* released threads counted against the concurrency limit */
    ULONG64 waiting;         /* threads blocked in GetQueuedCompletionStatus(Ex) */
    ULONG64 paused;          /* released threads blocked elsewhere (not counted as running) */
    ULONG64 concurrency;     /* NumberOfConcurrentThreads in effect */
    ULONG64 total_posted;    /* packets ever queued: posts and I/O completions */
    ULONG64 total_dequeued;  /* packets ever handed to a thread */
} overlapped_port_statistics;

/* Fills *statistics for the completion port `port`. Returns TRUE, or FALSE with
 * ERROR_INVALID_HANDLE (not a port) or ERROR_INVALID_PARAMETER (NULL statistics). */
OVERLAPPED_API BOOL overlapped_get_port_statistics(HANDLE port, overlapped_port_statistics *statistics);

/* The library's version string, e.g. "0.1.0". */
OVERLAPPED_API const char *overlapped_version(void);

/* The I/O engine running overlapped requests in this process: "io_uring" or "fallback"
 * (epoll and a thread pool, where io_uring is missing or refused), chosen once per
 * process; OVERLAPPED_ENGINE=uring|fallback|auto forces the choice (docs/engines.md).
 * NULL if io_uring was forced where it is refused (overlapped requests then fail with
 * ERROR_NOT_SUPPORTED). */
OVERLAPPED_API const char *overlapped_engine(void);

/* The number of handles open in the process's handle table (events, threads, files,
 * sockets, ports...), for tests that check nothing leaks. */
OVERLAPPED_API DWORD overlapped_open_handles(void);

OVERLAPPED_END_C

#endif
