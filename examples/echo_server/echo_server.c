/* echo_server.c: the classic I/O completion port echo server.
 *
 *   echo_server [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-b BATCH] [-n] [-q]
 *
 *   -p PORT             port on 127.0.0.1 (default 5000; 0 picks a free one)
 *   -t THREADS          worker threads (default: one per processor)
 *   -a PENDING_ACCEPTS  AcceptEx requests kept posted on the listener (default 16)
 *   -b BATCH            completions a worker takes at a time (1-64, default 64): fewer
 *                       cost more CPU per request; more let a worker that is preempted
 *                       hold more connections waiting (bench/README.md, "The echo p99
 *                       miss, looked into")
 *   -n                  no FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: every completion goes
 *                       through the port, even of a request that finished at once
 *   -q                  quiet: no message per connection
 *
 * When it is ready it prints "listening on 127.0.0.1:<port>". Ctrl-C (or Ctrl-Break, or
 * closing the console; SIGINT on Linux) stops it cleanly; it then prints
 * "connections <n>, requests <n>, bytes <n>" and returns 0.
 *
 * How it works
 *
 * One completion port serves everything, and THREADS workers wait on it, each taking up
 * to BATCH (64) completions at a time with GetQueuedCompletionStatusEx. The listening
 * socket is bound to the port with the key KEY_LISTENER, and PENDING_ACCEPTS AcceptEx
 * requests wait on it, each in an AcceptSlot with a socket made in advance. When one
 * completes, the worker posts the slot again at once (so the listener always has accepts
 * waiting), then sets the new connection up: SO_UPDATE_ACCEPT_CONTEXT,
 * GetAcceptExSockaddrs for the peer's address, and CreateIoCompletionPort to bind the
 * socket to the port with its Connection as the completion key.
 *
 * A connection has exactly one request in flight, so one OVERLAPPED suffices: a WSARecv
 * into its buffer; when that brings data, a WSASend of the same bytes back; when the send
 * is done, the next WSARecv. Each received chunk is one "request" in the counters.
 *
 * Accepted sockets are put in FILE_SKIP_COMPLETION_PORT_ON_SUCCESS mode, as
 * high-performance servers do: a WSARecv or WSASend that completes at once (data was
 * already there, or the send fitted in the socket's buffer) then queues no packet, and the
 * thread that issued it carries on with the result itself (connection_run). Only requests
 * that really wait come back through the port. With -n, every completion comes through
 * the port, the classic way.
 *
 * Stopping: the console control handler only signals an event. The main thread then takes
 * the server lock, marks the server as stopping and closes the listener and every
 * connection's socket, so that each pending AcceptEx, WSARecv and WSASend completes with
 * an error (ERROR_OPERATION_ABORTED on Windows). The workers retire each slot and
 * connection as its last completion arrives; when none is left, the main thread posts one
 * KEY_QUIT packet per worker, waits for them, and prints the counters. */
#define __USE_MINGW_ANSI_STDIO 1 /* mingw-w64: C99 printf, for %llu */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE (16 * 1024)
/* AcceptEx wants room for each address plus 16 bytes. */
#define ADDRESS_LENGTH (sizeof(SOCKADDR_STORAGE) + 16)
#define MAX_THREADS 256
#define MAX_PENDING_ACCEPTS 4096
#define MAX_BATCH 64 /* -b: at most this many completions per GetQueuedCompletionStatusEx */
#define DRAIN_TIMEOUT_MS 10000 /* after closing every socket, how long their completions may take */

/* Completion keys. A connection's key is its Connection*, which is never 0 or 1. */
#define KEY_QUIT ((ULONG_PTR)0)     /* posted by main at exit: the worker returns */
#define KEY_LISTENER ((ULONG_PTR)1) /* an AcceptEx finished: the OVERLAPPED is an AcceptSlot's */

/* One AcceptEx kept posted on the listener. */
typedef struct {
    OVERLAPPED overlapped;
    SOCKET socket; /* the socket the next connection is accepted into */
    char addresses[2 * ADDRESS_LENGTH];
} AcceptSlot;

typedef enum { OP_RECV, OP_SEND } Operation;

/* One accepted connection: the completion key of its socket. */
typedef struct Connection {
    OVERLAPPED overlapped; /* its one request in flight */
    Operation operation;   /* what that request is */
    /* Orders issuing a request against closing the socket: the main thread closes every
     * connection's socket when the server stops, while workers may be issuing requests,
     * and closesocket must never run concurrently with another call on the same socket
     * (its handle value may be reused at once). */
    CRITICAL_SECTION lock;
    SOCKET socket; /* INVALID_SOCKET once closed */
    BOOL skip_on_success;
    DWORD recv_flags;
    DWORD length, sent; /* the echo being sent: its size and how much of it went out */
    ULONGLONG requests;
    char peer[64];
    struct Connection *previous, *next; /* in server.live, or in server.spare (next only) */
    char buffer[BUFFER_SIZE];
} Connection;

/* A worker thread and its counters (summed at exit, so no thread shares a counter). */
typedef struct {
    HANDLE thread;
    ULONGLONG connections, requests, bytes;
    char padding[64]; /* keeps two workers' counters off one cache line */
} Worker;

/* How issuing a request went. */
typedef enum {
    REQUEST_PENDING, /* a completion packet will come through the port */
    REQUEST_DONE,    /* it completed at once and no packet will come: handle it now */
    REQUEST_FAILED   /* it failed at once; nothing was queued */
} RequestResult;

static struct {
    BOOL quiet;
    BOOL skip_on_success; /* cleared by -n */
    ULONG batch;          /* -b */
    HANDLE port;
    SOCKET listener;
    LPFN_ACCEPTEX accept_ex;
    LPFN_GETACCEPTEXSOCKADDRS get_accept_ex_sockaddrs;
    HANDLE stop_requested; /* set by the console control handler */
    HANDLE drained;        /* set when nothing is left after stopping */
    HANDLE exited;         /* set when main is done, for CTRL_CLOSE_EVENT */

    CRITICAL_SECTION lock; /* guards the members below, and posting AcceptEx */
    BOOL stopping;
    Connection *live;  /* open connections, for closing them at the end */
    Connection *spare; /* closed connections, kept for the next ones */
    LONG outstanding;  /* accept slots still posting + connections still open */
} server;

/* ---- messages ------------------------------------------------------------------------ */

static void report_error(const char *what, DWORD error)
{
    fprintf(stderr, "echo_server: %s: error %lu\n", what, (unsigned long)error);
}

/* "address:port" of an IPv4 or IPv6 socket address. */
static void format_address(const SOCKADDR *address, char *text, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (address->sa_family == AF_INET) {
        const SOCKADDR_IN *in = (const SOCKADDR_IN *)address;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        port = ntohs(in->sin_port);
        snprintf(text, size, "%s:%u", host, port);
    } else if (address->sa_family == AF_INET6) {
        const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)address;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        port = ntohs(in6->sin6_port);
        snprintf(text, size, "[%s]:%u", host, port);
    } else {
        snprintf(text, size, "(address family %d)", address->sa_family);
    }
}

/* ---- bookkeeping under the server lock ------------------------------------------------ */

/* One slot or connection is gone for good. Called with server.lock held. */
static void retire_locked(void)
{
    if (--server.outstanding == 0 && server.stopping) SetEvent(server.drained);
}

static void retire(void)
{
    EnterCriticalSection(&server.lock);
    retire_locked();
    LeaveCriticalSection(&server.lock);
}

/* A Connection for a new socket: a spare one, or a new one. Contexts are reused rather
 * than freed while the server runs, so a thread still leaving a connection's lock never
 * touches freed memory. */
static Connection *connection_new(void)
{
    EnterCriticalSection(&server.lock);
    Connection *c = server.spare;
    if (c != NULL) server.spare = c->next;
    LeaveCriticalSection(&server.lock);
    if (c == NULL) {
        c = (Connection *)calloc(1, sizeof(*c));
        if (c == NULL) return NULL;
        InitializeCriticalSection(&c->lock);
    }
    c->socket = INVALID_SOCKET;
    c->requests = 0;
    c->previous = c->next = NULL;
    return c;
}

static void connection_recycle(Connection *c)
{
    EnterCriticalSection(&server.lock);
    c->next = server.spare;
    server.spare = c;
    LeaveCriticalSection(&server.lock);
}

/* Closes the connection's socket unless that was done already. Its pending request, if
 * any, then completes with ERROR_OPERATION_ABORTED. */
static void connection_close_socket(Connection *c)
{
    EnterCriticalSection(&c->lock);
    SOCKET s = c->socket;
    c->socket = INVALID_SOCKET;
    LeaveCriticalSection(&c->lock);
    if (s != INVALID_SOCKET) closesocket(s);
}

/* ---- connections ----------------------------------------------------------------------- */

/* Issues the connection's next request: a receive into the whole buffer, or the send of
 * what is left of the echo. On REQUEST_DONE, *bytes is what it transferred; on
 * REQUEST_FAILED, *error says why. */
static RequestResult issue(Connection *c, DWORD *bytes, DWORD *error)
{
    BOOL skip_on_success = c->skip_on_success;
    /* A WSABUF array may live on the stack: Winsock captures it before WSARecv/WSASend
     * return. The buffer itself belongs to the request until it completes. */
    WSABUF buffer;
    int result;
    memset(&c->overlapped, 0, sizeof(c->overlapped));
    EnterCriticalSection(&c->lock);
    if (c->socket == INVALID_SOCKET) {
        /* Closed by the main thread: the server is stopping. */
        LeaveCriticalSection(&c->lock);
        *error = ERROR_OPERATION_ABORTED;
        return REQUEST_FAILED;
    }
    if (c->operation == OP_RECV) {
        buffer.buf = c->buffer;
        buffer.len = BUFFER_SIZE;
        c->recv_flags = 0;
        result = WSARecv(c->socket, &buffer, 1, NULL, &c->recv_flags, &c->overlapped, NULL);
    } else {
        buffer.buf = c->buffer + c->sent;
        buffer.len = c->length - c->sent;
        result = WSASend(c->socket, &buffer, 1, NULL, 0, &c->overlapped, NULL);
    }
    if (result == 0 && skip_on_success) {
        /* Finished at once, and in this mode no packet will come: read the result here.
         * (WSARecv and WSASend are given no byte count pointer, as their documentation
         * advises for overlapped calls.) */
        DWORD flags;
        if (!WSAGetOverlappedResult(c->socket, &c->overlapped, bytes, FALSE, &flags)) {
            *error = WSAGetLastError();
            LeaveCriticalSection(&c->lock);
            return REQUEST_FAILED;
        }
        LeaveCriticalSection(&c->lock);
        return REQUEST_DONE;
    }
    *error = result == 0 ? ERROR_SUCCESS : (DWORD)WSAGetLastError();
    LeaveCriticalSection(&c->lock);
    /* From here on a worker may already be handling the completion: touch nothing of c. */
    if (result == 0 || *error == WSA_IO_PENDING) return REQUEST_PENDING;
    return REQUEST_FAILED;
}

/* The connection is over: error is 0 when the peer closed it gracefully. */
static void connection_end(Connection *c, DWORD error)
{
    connection_close_socket(c);
    EnterCriticalSection(&server.lock);
    if (c->previous != NULL) c->previous->next = c->next;
    else server.live = c->next;
    if (c->next != NULL) c->next->previous = c->previous;
    BOOL stopping = server.stopping;
    retire_locked();
    LeaveCriticalSection(&server.lock);

    if (!server.quiet) {
        /* When the server stops, the code a request aborted by closesocket completes
         * with is not the point (Windows documents WSA_OPERATION_ABORTED; Wine 8 gives
         * ERROR_HANDLES_CLOSED). */
        if (stopping)
            printf("%s closed by the server, %llu requests\n", c->peer, c->requests);
        else if (error == ERROR_SUCCESS)
            printf("%s closed, %llu requests\n", c->peer, c->requests);
        else if (error == ERROR_NETNAME_DELETED || error == WSAECONNRESET)
            printf("%s reset by the peer, %llu requests\n", c->peer, c->requests);
        else
            printf("%s failed with error %lu, %llu requests\n", c->peer, (unsigned long)error, c->requests);
        fflush(stdout);
    }
    connection_recycle(c);
}

/* The request in flight completed with `done` bytes: account for it and issue the next. */
static RequestResult connection_step(Worker *w, Connection *c, DWORD done, DWORD *bytes, DWORD *error)
{
    if (c->operation == OP_RECV) {
        if (done == 0) {
            /* A receive that completes with no data: the peer closed its side. */
            *error = ERROR_SUCCESS;
            return REQUEST_FAILED;
        }
        w->requests++;
        w->bytes += done;
        c->requests++;
        c->operation = OP_SEND;
        c->length = done;
        c->sent = 0;
    } else {
        c->sent += done;
        if (c->sent == c->length) c->operation = OP_RECV;
    }
    return issue(c, bytes, error);
}

/* Drives the connection on from a request's outcome until a request is pending (its
 * completion will come through the port) or the connection ends. */
static void connection_run(Worker *w, Connection *c, RequestResult result, DWORD bytes, DWORD error)
{
    while (result != REQUEST_PENDING) {
        if (result == REQUEST_FAILED) {
            connection_end(c, error);
            return;
        }
        result = connection_step(w, c, bytes, &bytes, &error);
    }
}

/* A socket AcceptEx has just accepted: make it a connection and start receiving. */
static void connection_start(Worker *w, SOCKET s, const char *peer)
{
    /* Gives the accepted socket the listener's properties; getpeername, getsockname and
     * shutdown work on it only after this. */
    if (setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&server.listener, sizeof(server.listener)) ==
        SOCKET_ERROR) {
        report_error("setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", WSAGetLastError());
        closesocket(s);
        return;
    }
    /* Echo each chunk at once instead of letting Nagle's algorithm hold small ones back. */
    BOOL no_delay = TRUE;
    if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&no_delay, sizeof(no_delay)) == SOCKET_ERROR)
        report_error("setsockopt(TCP_NODELAY)", WSAGetLastError());

    Connection *c = connection_new();
    if (c == NULL) {
        fprintf(stderr, "echo_server: out of memory for a connection\n");
        closesocket(s);
        return;
    }
    if (CreateIoCompletionPort((HANDLE)s, server.port, (ULONG_PTR)c, 0) != server.port) {
        report_error("CreateIoCompletionPort (connection)", GetLastError());
        closesocket(s);
        connection_recycle(c);
        return;
    }
    c->skip_on_success = FALSE;
    if (server.skip_on_success) {
        /* Safe for sockets only when every layered service provider returns real (IFS)
         * handles, which is the case on current Windows. */
        if (SetFileCompletionNotificationModes((HANDLE)s,
                                               FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
            c->skip_on_success = TRUE;
        else
            report_error("SetFileCompletionNotificationModes (every completion goes through the port)",
                         GetLastError());
    }
    c->socket = s;
    c->operation = OP_RECV;
    snprintf(c->peer, sizeof(c->peer), "%s", peer);

    EnterCriticalSection(&server.lock);
    if (server.stopping) {
        LeaveCriticalSection(&server.lock);
        connection_close_socket(c);
        connection_recycle(c);
        return;
    }
    c->next = server.live;
    if (server.live != NULL) server.live->previous = c;
    server.live = c;
    server.outstanding++;
    LeaveCriticalSection(&server.lock);

    w->connections++;
    if (!server.quiet) {
        printf("%s connected\n", peer);
        fflush(stdout);
    }
    DWORD bytes = 0, error = ERROR_SUCCESS;
    RequestResult result = issue(c, &bytes, &error);
    connection_run(w, c, result, bytes, error);
}

/* ---- accepting ------------------------------------------------------------------------- */

/* Posts one AcceptEx on the slot. Returns ERROR_IO_PENDING when it is posted (its
 * completion will come through the port), ERROR_OPERATION_ABORTED when the server is
 * stopping, or the error that kept it from being posted. */
static DWORD accept_once(AcceptSlot *slot)
{
    DWORD error = ERROR_IO_PENDING;
    EnterCriticalSection(&server.lock);
    if (server.stopping) {
        error = ERROR_OPERATION_ABORTED;
    } else {
        /* The socket is made under the lock too: after the main thread closed the
         * listener, no new socket can take over its handle value. */
        SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (s == INVALID_SOCKET) {
            error = WSAGetLastError();
        } else {
            slot->socket = s;
            memset(&slot->overlapped, 0, sizeof(slot->overlapped));
            DWORD received;
            /* Receive-data length 0: complete as soon as a connection arrives, without
             * waiting for its first bytes. The listener is not in skip-on-success mode,
             * so even an AcceptEx that completes at once queues its packet. */
            if (!server.accept_ex(server.listener, s, slot->addresses, 0, ADDRESS_LENGTH, ADDRESS_LENGTH,
                                  &received, &slot->overlapped))
                error = WSAGetLastError();
            if (error != ERROR_IO_PENDING) {
                closesocket(s);
                slot->socket = INVALID_SOCKET;
            }
        }
    }
    LeaveCriticalSection(&server.lock);
    return error;
}

/* Keeps the slot's AcceptEx posted; when that is impossible the slot retires. Returns
 * FALSE when the slot retired. */
static BOOL post_accept(AcceptSlot *slot)
{
    for (;;) {
        DWORD error = accept_once(slot);
        if (error == ERROR_IO_PENDING) return TRUE;
        /* WSAECONNRESET: a connection waiting in the backlog was reset before it could be
         * accepted. Try again with the next one. */
        if (error == WSAECONNRESET) continue;
        if (error != ERROR_OPERATION_ABORTED) report_error("AcceptEx (one pending accept fewer)", error);
        retire();
        return FALSE;
    }
}

/* An AcceptEx completed, successfully or not. */
static void on_accept(Worker *w, AcceptSlot *slot, DWORD error)
{
    SOCKET s = slot->socket;
    slot->socket = INVALID_SOCKET;
    char peer[64] = "?";
    if (error == ERROR_SUCCESS) {
        SOCKADDR *local, *remote;
        int local_length, remote_length;
        server.get_accept_ex_sockaddrs(slot->addresses, 0, ADDRESS_LENGTH, ADDRESS_LENGTH, &local, &local_length,
                                       &remote, &remote_length);
        format_address(remote, peer, sizeof(peer));
    }
    /* Post the slot again before serving this connection: the listener keeps its accepts. */
    BOOL accepting = post_accept(slot);
    if (error != ERROR_SUCCESS) {
        /* The listener was closed (the server is stopping), or the peer reset the
         * connection before it was accepted: a connection's failure, not the server's. */
        if (accepting && !server.quiet) {
            printf("a connection failed before it was accepted: error %lu\n", (unsigned long)error);
            fflush(stdout);
        }
        closesocket(s);
        return;
    }
    connection_start(w, s, peer);
}

/* ---- threads --------------------------------------------------------------------------- */

/* Why a request taken from the port failed: its OVERLAPPED holds the status (the entry's
 * own Internal member is documented as reserved, and Wine writes only its low 32 bits,
 * leaving whatever the upper ones held), and WSAGetOverlappedResult turns a failure into
 * its error code. */
static DWORD entry_error(const OVERLAPPED_ENTRY *entry, SOCKET s)
{
    DWORD bytes = 0, flags = 0;
    if (entry->lpOverlapped->Internal == 0) return ERROR_SUCCESS;
    if (WSAGetOverlappedResult(s, entry->lpOverlapped, &bytes, FALSE, &flags)) return ERROR_SUCCESS;
    return (DWORD)WSAGetLastError();
}

static DWORD WINAPI worker_main(LPVOID parameter)
{
    Worker *w = (Worker *)parameter;
    /* Completions are taken in batches: one call to the port for all that finished. */
    OVERLAPPED_ENTRY entries[MAX_BATCH];
    for (;;) {
        ULONG count = 0;
        if (!GetQueuedCompletionStatusEx(server.port, entries, server.batch, &count, INFINITE, FALSE)) {
            report_error("GetQueuedCompletionStatusEx", GetLastError());
            return 0;
        }
        ULONG quits = 0;
        for (ULONG i = 0; i < count; ++i) {
            const OVERLAPPED_ENTRY *entry = &entries[i];
            if (entry->lpOverlapped == NULL) { /* main's quit packet */
                quits++;
                continue;
            }
            if (entry->lpCompletionKey == KEY_LISTENER) {
                AcceptSlot *slot = CONTAINING_RECORD(entry->lpOverlapped, AcceptSlot, overlapped);
                on_accept(w, slot, entry_error(entry, server.listener));
            } else {
                Connection *c = (Connection *)entry->lpCompletionKey;
                DWORD error = ERROR_SUCCESS;
                if (entry->lpOverlapped->Internal != 0) {
                    EnterCriticalSection(&c->lock);
                    error = entry_error(entry, c->socket);
                    LeaveCriticalSection(&c->lock);
                }
                connection_run(w, c, error == ERROR_SUCCESS ? REQUEST_DONE : REQUEST_FAILED,
                               entry->dwNumberOfBytesTransferred, error);
            }
        }
        if (quits != 0) {
            /* One quit packet per worker: pass on the ones meant for the others. */
            while (--quits > 0) PostQueuedCompletionStatus(server.port, 0, KEY_QUIT, NULL);
            return 0;
        }
    }
}

/* Runs on a thread of its own, made by the system for each console event. */
static BOOL WINAPI on_console_event(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        SetEvent(server.stop_requested);
        return TRUE;
    case CTRL_CLOSE_EVENT:
        /* The process ends when this handler returns: let main finish first. */
        SetEvent(server.stop_requested);
        WaitForSingleObject(server.exited, DRAIN_TIMEOUT_MS);
        return TRUE;
    default:
        return FALSE;
    }
}

/* ---- main ------------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr, "usage: echo_server [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-b BATCH] [-n] [-q]\n");
    exit(2);
}

/* The number after option argv[*i], between low and high. */
static unsigned long number_argument(int argc, char **argv, int *i, unsigned long low, unsigned long high)
{
    if (*i + 1 >= argc) usage();
    char *end;
    const char *text = argv[++*i];
    unsigned long value = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "echo_server: %s: expected a number from %lu to %lu\n", argv[*i - 1], low, high);
        exit(2);
    }
    return value;
}

/* Gets an extension function's address from the socket's provider. */
static BOOL load_extension(SOCKET s, GUID guid, void *function, DWORD size)
{
    DWORD bytes = 0;
    return WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), function, size, &bytes, NULL, NULL) !=
           SOCKET_ERROR;
}

int main(int argc, char **argv)
{
    unsigned port = 5000, threads = 0, pending_accepts = 16;
    server.skip_on_success = TRUE;
    server.batch = MAX_BATCH;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-p") == 0) port = (unsigned)number_argument(argc, argv, &i, 0, 65535);
        else if (strcmp(argv[i], "-t") == 0) threads = (unsigned)number_argument(argc, argv, &i, 1, MAX_THREADS);
        else if (strcmp(argv[i], "-a") == 0)
            pending_accepts = (unsigned)number_argument(argc, argv, &i, 1, MAX_PENDING_ACCEPTS);
        else if (strcmp(argv[i], "-b") == 0) server.batch = (ULONG)number_argument(argc, argv, &i, 1, MAX_BATCH);
        else if (strcmp(argv[i], "-n") == 0) server.skip_on_success = FALSE;
        else if (strcmp(argv[i], "-q") == 0) server.quiet = TRUE;
        else usage();
    }
    if (threads == 0) {
        SYSTEM_INFO info;
        GetSystemInfo(&info);
        threads = info.dwNumberOfProcessors < MAX_THREADS ? info.dwNumberOfProcessors : MAX_THREADS;
        if (threads == 0) threads = 1;
    }

    WSADATA wsa;
    int startup = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (startup != 0) {
        report_error("WSAStartup", (DWORD)startup);
        return 1;
    }
    InitializeCriticalSection(&server.lock);
    server.stop_requested = CreateEventW(NULL, TRUE, FALSE, NULL);
    server.drained = CreateEventW(NULL, TRUE, FALSE, NULL);
    server.exited = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (server.stop_requested == NULL || server.drained == NULL || server.exited == NULL) {
        report_error("CreateEvent", GetLastError());
        return 1;
    }
    /* At most THREADS workers run at once; they are all we have. */
    server.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, threads);
    if (server.port == NULL) {
        report_error("CreateIoCompletionPort", GetLastError());
        return 1;
    }

    /* The listener: 127.0.0.1:PORT, bound to the port with KEY_LISTENER. */
    server.listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (server.listener == INVALID_SOCKET) {
        report_error("WSASocket", WSAGetLastError());
        return 1;
    }
    SOCKADDR_IN address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons((u_short)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int address_length = sizeof(address);
    if (bind(server.listener, (SOCKADDR *)&address, sizeof(address)) == SOCKET_ERROR ||
        listen(server.listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(server.listener, (SOCKADDR *)&address, &address_length) == SOCKET_ERROR) {
        report_error("bind/listen on 127.0.0.1", WSAGetLastError());
        return 1;
    }
    if (CreateIoCompletionPort((HANDLE)server.listener, server.port, KEY_LISTENER, 0) != server.port) {
        report_error("CreateIoCompletionPort (listener)", GetLastError());
        return 1;
    }
    GUID accept_ex_id = WSAID_ACCEPTEX, sockaddrs_id = WSAID_GETACCEPTEXSOCKADDRS;
    if (!load_extension(server.listener, accept_ex_id, &server.accept_ex, sizeof(server.accept_ex)) ||
        !load_extension(server.listener, sockaddrs_id, &server.get_accept_ex_sockaddrs,
                        sizeof(server.get_accept_ex_sockaddrs))) {
        report_error("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)", WSAGetLastError());
        return 1;
    }

    if (!SetConsoleCtrlHandler(on_console_event, TRUE)) {
        report_error("SetConsoleCtrlHandler", GetLastError());
        return 1;
    }

    Worker *workers = (Worker *)calloc(threads, sizeof(Worker));
    AcceptSlot *slots = (AcceptSlot *)calloc(pending_accepts, sizeof(AcceptSlot));
    if (workers == NULL || slots == NULL) {
        fprintf(stderr, "echo_server: out of memory\n");
        return 1;
    }
    for (unsigned i = 0; i < threads; ++i) {
        workers[i].thread = CreateThread(NULL, 0, worker_main, &workers[i], 0, NULL);
        if (workers[i].thread == NULL) {
            report_error("CreateThread", GetLastError());
            return 1;
        }
    }
    server.outstanding = (LONG)pending_accepts;
    for (unsigned i = 0; i < pending_accepts; ++i) {
        slots[i].socket = INVALID_SOCKET;
        post_accept(&slots[i]);
    }

    printf("listening on 127.0.0.1:%u\n", ntohs(address.sin_port));
    fflush(stdout);

    WaitForSingleObject(server.stop_requested, INFINITE);

    /* Stop accepting and close every socket; each pending request completes with
     * ERROR_OPERATION_ABORTED and its worker retires the slot or connection. */
    EnterCriticalSection(&server.lock);
    server.stopping = TRUE;
    closesocket(server.listener);
    for (Connection *c = server.live; c != NULL; c = c->next) connection_close_socket(c);
    BOOL drained = server.outstanding == 0;
    LeaveCriticalSection(&server.lock);
    if (!drained && WaitForSingleObject(server.drained, DRAIN_TIMEOUT_MS) == WAIT_OBJECT_0) drained = TRUE;
    if (!drained) fprintf(stderr, "echo_server: requests still pending %d s after closing every socket\n",
                          DRAIN_TIMEOUT_MS / 1000);

    /* The port's queue is FIFO and everything else is done: each worker takes one quit
     * packet and returns. */
    for (unsigned i = 0; i < threads; ++i) PostQueuedCompletionStatus(server.port, 0, KEY_QUIT, NULL);
    ULONGLONG connections = 0, requests = 0, bytes = 0;
    for (unsigned i = 0; i < threads; ++i) {
        if (WaitForSingleObject(workers[i].thread, DRAIN_TIMEOUT_MS) != WAIT_OBJECT_0) {
            fprintf(stderr, "echo_server: a worker did not exit\n");
            drained = FALSE;
            continue;
        }
        CloseHandle(workers[i].thread);
        connections += workers[i].connections;
        requests += workers[i].requests;
        bytes += workers[i].bytes;
    }
    printf("connections %llu, requests %llu, bytes %llu\n", connections, requests, bytes);
    fflush(stdout);

    /* With requests still pending their memory must stay: only free it all when drained. */
    if (drained) {
        while (server.spare != NULL) {
            Connection *c = server.spare;
            server.spare = c->next;
            DeleteCriticalSection(&c->lock);
            free(c);
        }
        free(slots);
        free(workers);
        CloseHandle(server.port);
    }
    WSACleanup();
    SetEvent(server.exited);
    return drained ? 0 : 1;
}
