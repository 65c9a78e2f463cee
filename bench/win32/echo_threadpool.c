/* echo_threadpool.c: the echo server of examples/echo_server/echo_server.c written on the
 * thread-pool I/O API instead of a hand-written completion-port loop, as a Windows
 * programmer since Vista would: CreateThreadpoolIo for the listener and each connection,
 * StartThreadpoolIo before each AcceptEx/WSARecv/WSASend, CancelThreadpoolIo when a call
 * failed at once or (in FILE_SKIP_COMPLETION_PORT_ON_SUCCESS mode) completed at once.
 *
 *   echo_threadpool [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-n] [-q]
 *
 * The same command line, output and behaviour as echo_server: -t sets the maximum number
 * of threads of the private pool the callbacks run on (default: one per processor). When
 * ready it prints "listening on 127.0.0.1:<port>"; Ctrl-C stops it cleanly, then it
 * prints "connections <n>, requests <n>, bytes <n>" and returns 0. bench/threadpool.sh
 * and bench/echo.sh measure it against echo_server. */
#define __USE_MINGW_ANSI_STDIO 1 /* mingw-w64: C99 printf, for %llu */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE (16 * 1024)
#define ADDRESS_LENGTH (sizeof(SOCKADDR_STORAGE) + 16)
#define MAX_THREADS 256
#define MAX_PENDING_ACCEPTS 4096
#define DRAIN_TIMEOUT_MS 10000

typedef struct {
    OVERLAPPED overlapped;
    SOCKET socket;
    char addresses[2 * ADDRESS_LENGTH];
} AcceptSlot;

typedef enum { OP_RECV, OP_SEND } Operation;

typedef struct Connection {
    OVERLAPPED overlapped;
    Operation operation;
    CRITICAL_SECTION lock; /* issuing a request against closing the socket */
    SOCKET socket;
    PTP_IO io;
    BOOL skip_on_success;
    DWORD recv_flags;
    DWORD length, sent;
    ULONGLONG requests, bytes;
    char peer[64];
    struct Connection *previous, *next;
    char buffer[BUFFER_SIZE];
} Connection;

typedef enum { REQUEST_PENDING, REQUEST_DONE, REQUEST_FAILED } RequestResult;

static struct {
    BOOL quiet;
    BOOL skip_on_success;
    PTP_POOL pool;
    TP_CALLBACK_ENVIRON environment;
    SOCKET listener;
    PTP_IO listener_io;
    LPFN_ACCEPTEX accept_ex;
    LPFN_GETACCEPTEXSOCKADDRS get_accept_ex_sockaddrs;
    HANDLE stop_requested, drained, exited;

    CRITICAL_SECTION lock;
    BOOL stopping;
    Connection *live, *spare;
    LONG outstanding;
    ULONGLONG connections, requests, bytes; /* under lock, added as connections end */
} server;

static void report_error(const char *what, DWORD error)
{
    fprintf(stderr, "echo_threadpool: %s: error %lu\n", what, (unsigned long)error);
}

static void format_address(const SOCKADDR *address, char *text, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (address->sa_family == AF_INET) {
        const SOCKADDR_IN *in = (const SOCKADDR_IN *)address;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        snprintf(text, size, "%s:%u", host, ntohs(in->sin_port));
    } else if (address->sa_family == AF_INET6) {
        const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)address;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        snprintf(text, size, "[%s]:%u", host, ntohs(in6->sin6_port));
    } else {
        snprintf(text, size, "(address family %d)", address->sa_family);
    }
}

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
    c->io = NULL;
    c->requests = c->bytes = 0;
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

static void connection_close_socket(Connection *c)
{
    EnterCriticalSection(&c->lock);
    SOCKET s = c->socket;
    c->socket = INVALID_SOCKET;
    LeaveCriticalSection(&c->lock);
    if (s != INVALID_SOCKET) closesocket(s);
}

/* Issues the next request. StartThreadpoolIo comes before every call that may complete
 * through the pool; CancelThreadpoolIo undoes it when none will (failed at once, or
 * finished at once in skip-on-success mode). */
static RequestResult issue(Connection *c, DWORD *bytes, DWORD *error)
{
    WSABUF buffer;
    int result;
    memset(&c->overlapped, 0, sizeof(c->overlapped));
    EnterCriticalSection(&c->lock);
    if (c->socket == INVALID_SOCKET) {
        LeaveCriticalSection(&c->lock);
        *error = ERROR_OPERATION_ABORTED;
        return REQUEST_FAILED;
    }
    StartThreadpoolIo(c->io);
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
    if (result == 0 && c->skip_on_success) {
        CancelThreadpoolIo(c->io); /* no callback will come */
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
    if (result != 0 && *error != WSA_IO_PENDING) CancelThreadpoolIo(c->io);
    LeaveCriticalSection(&c->lock);
    if (result == 0 || *error == WSA_IO_PENDING) return REQUEST_PENDING;
    return REQUEST_FAILED;
}

/* The connection is over. Runs on its own callback (or before any was possible). */
static void connection_end(Connection *c, DWORD error)
{
    connection_close_socket(c);
    /* No request is pending now: the object goes once this callback returns. */
    CloseThreadpoolIo(c->io);
    EnterCriticalSection(&server.lock);
    if (c->previous != NULL) c->previous->next = c->next;
    else server.live = c->next;
    if (c->next != NULL) c->next->previous = c->previous;
    BOOL stopping = server.stopping;
    server.requests += c->requests;
    server.bytes += c->bytes;
    retire_locked();
    LeaveCriticalSection(&server.lock);
    if (!server.quiet) {
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

static RequestResult connection_step(Connection *c, DWORD done, DWORD *bytes, DWORD *error)
{
    if (c->operation == OP_RECV) {
        if (done == 0) {
            *error = ERROR_SUCCESS;
            return REQUEST_FAILED;
        }
        c->requests++;
        c->bytes += done;
        c->operation = OP_SEND;
        c->length = done;
        c->sent = 0;
    } else {
        c->sent += done;
        if (c->sent == c->length) c->operation = OP_RECV;
    }
    return issue(c, bytes, error);
}

static void connection_run(Connection *c, RequestResult result, DWORD bytes, DWORD error)
{
    while (result != REQUEST_PENDING) {
        if (result == REQUEST_FAILED) {
            connection_end(c, error);
            return;
        }
        result = connection_step(c, bytes, &bytes, &error);
    }
}

/* A connection's request completed. IoResult is a Win32 error code. */
static VOID CALLBACK on_connection_io(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped,
                                      ULONG result, ULONG_PTR transferred, PTP_IO io)
{
    (void)instance;
    (void)overlapped;
    (void)io;
    Connection *c = (Connection *)context;
    connection_run(c, result == ERROR_SUCCESS ? REQUEST_DONE : REQUEST_FAILED, (DWORD)transferred, result);
}

static void connection_start(SOCKET s, const char *peer)
{
    if (setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&server.listener, sizeof(server.listener)) ==
        SOCKET_ERROR) {
        report_error("setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", WSAGetLastError());
        closesocket(s);
        return;
    }
    BOOL no_delay = TRUE;
    if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&no_delay, sizeof(no_delay)) == SOCKET_ERROR)
        report_error("setsockopt(TCP_NODELAY)", WSAGetLastError());
    Connection *c = connection_new();
    if (c == NULL) {
        fprintf(stderr, "echo_threadpool: out of memory for a connection\n");
        closesocket(s);
        return;
    }
    c->io = CreateThreadpoolIo((HANDLE)s, on_connection_io, c, &server.environment);
    if (c->io == NULL) {
        report_error("CreateThreadpoolIo (connection)", GetLastError());
        closesocket(s);
        connection_recycle(c);
        return;
    }
    c->skip_on_success = FALSE;
    if (server.skip_on_success) {
        if (SetFileCompletionNotificationModes((HANDLE)s,
                                               FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
            c->skip_on_success = TRUE;
        else
            report_error("SetFileCompletionNotificationModes", GetLastError());
    }
    c->socket = s;
    c->operation = OP_RECV;
    snprintf(c->peer, sizeof(c->peer), "%s", peer);

    EnterCriticalSection(&server.lock);
    if (server.stopping) {
        LeaveCriticalSection(&server.lock);
        connection_close_socket(c);
        CloseThreadpoolIo(c->io);
        connection_recycle(c);
        return;
    }
    c->next = server.live;
    if (server.live != NULL) server.live->previous = c;
    server.live = c;
    server.outstanding++;
    server.connections++;
    LeaveCriticalSection(&server.lock);
    if (!server.quiet) {
        printf("%s connected\n", peer);
        fflush(stdout);
    }
    DWORD bytes = 0, error = ERROR_SUCCESS;
    RequestResult result = issue(c, &bytes, &error);
    connection_run(c, result, bytes, error);
}

static DWORD accept_once(AcceptSlot *slot)
{
    DWORD error = ERROR_IO_PENDING;
    EnterCriticalSection(&server.lock);
    if (server.stopping) {
        error = ERROR_OPERATION_ABORTED;
    } else {
        SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (s == INVALID_SOCKET) {
            error = WSAGetLastError();
        } else {
            slot->socket = s;
            memset(&slot->overlapped, 0, sizeof(slot->overlapped));
            DWORD received;
            StartThreadpoolIo(server.listener_io);
            if (!server.accept_ex(server.listener, s, slot->addresses, 0, ADDRESS_LENGTH, ADDRESS_LENGTH,
                                  &received, &slot->overlapped))
                error = WSAGetLastError();
            if (error != ERROR_IO_PENDING) {
                CancelThreadpoolIo(server.listener_io);
                closesocket(s);
                slot->socket = INVALID_SOCKET;
            }
        }
    }
    LeaveCriticalSection(&server.lock);
    return error;
}

static BOOL post_accept(AcceptSlot *slot)
{
    for (;;) {
        DWORD error = accept_once(slot);
        if (error == ERROR_IO_PENDING) return TRUE;
        if (error == WSAECONNRESET) continue;
        if (error != ERROR_OPERATION_ABORTED) report_error("AcceptEx (one pending accept fewer)", error);
        retire();
        return FALSE;
    }
}

static VOID CALLBACK on_listener_io(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped, ULONG error,
                                    ULONG_PTR transferred, PTP_IO io)
{
    (void)instance;
    (void)context;
    (void)transferred;
    (void)io;
    AcceptSlot *slot = CONTAINING_RECORD((LPOVERLAPPED)overlapped, AcceptSlot, overlapped);
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
    BOOL accepting = post_accept(slot);
    if (error != ERROR_SUCCESS) {
        if (accepting && !server.quiet) {
            printf("a connection failed before it was accepted: error %lu\n", (unsigned long)error);
            fflush(stdout);
        }
        closesocket(s);
        return;
    }
    connection_start(s, peer);
}

static BOOL WINAPI on_console_event(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        SetEvent(server.stop_requested);
        return TRUE;
    case CTRL_CLOSE_EVENT:
        SetEvent(server.stop_requested);
        WaitForSingleObject(server.exited, DRAIN_TIMEOUT_MS);
        return TRUE;
    default:
        return FALSE;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: echo_threadpool [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-n] [-q]\n");
    exit(2);
}

static unsigned long number_argument(int argc, char **argv, int *i, unsigned long low, unsigned long high)
{
    if (*i + 1 >= argc) usage();
    char *end;
    const char *text = argv[++*i];
    unsigned long value = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "echo_threadpool: %s: expected a number from %lu to %lu\n", argv[*i - 1], low, high);
        exit(2);
    }
    return value;
}

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
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-p") == 0) port = (unsigned)number_argument(argc, argv, &i, 0, 65535);
        else if (strcmp(argv[i], "-t") == 0) threads = (unsigned)number_argument(argc, argv, &i, 1, MAX_THREADS);
        else if (strcmp(argv[i], "-a") == 0)
            pending_accepts = (unsigned)number_argument(argc, argv, &i, 1, MAX_PENDING_ACCEPTS);
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
    /* The callbacks run on a private pool of at most THREADS threads. */
    server.pool = CreateThreadpool(NULL);
    if (server.pool == NULL) {
        report_error("CreateThreadpool", GetLastError());
        return 1;
    }
    SetThreadpoolThreadMaximum(server.pool, threads);
    if (!SetThreadpoolThreadMinimum(server.pool, 1)) {
        report_error("SetThreadpoolThreadMinimum", GetLastError());
        return 1;
    }
    InitializeThreadpoolEnvironment(&server.environment);
    SetThreadpoolCallbackPool(&server.environment, server.pool);

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
    server.listener_io = CreateThreadpoolIo((HANDLE)server.listener, on_listener_io, NULL, &server.environment);
    if (server.listener_io == NULL) {
        report_error("CreateThreadpoolIo (listener)", GetLastError());
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

    AcceptSlot *slots = (AcceptSlot *)calloc(pending_accepts, sizeof(AcceptSlot));
    if (slots == NULL) {
        fprintf(stderr, "echo_threadpool: out of memory\n");
        return 1;
    }
    server.outstanding = (LONG)pending_accepts;
    for (unsigned i = 0; i < pending_accepts; ++i) {
        slots[i].socket = INVALID_SOCKET;
        post_accept(&slots[i]);
    }

    printf("listening on 127.0.0.1:%u\n", ntohs(address.sin_port));
    fflush(stdout);

    WaitForSingleObject(server.stop_requested, INFINITE);

    EnterCriticalSection(&server.lock);
    server.stopping = TRUE;
    closesocket(server.listener);
    for (Connection *c = server.live; c != NULL; c = c->next) connection_close_socket(c);
    BOOL drained = server.outstanding == 0;
    LeaveCriticalSection(&server.lock);
    if (!drained && WaitForSingleObject(server.drained, DRAIN_TIMEOUT_MS) == WAIT_OBJECT_0) drained = TRUE;
    if (!drained)
        fprintf(stderr, "echo_threadpool: requests still pending %d s after closing every socket\n",
                DRAIN_TIMEOUT_MS / 1000);
    if (drained) {
        /* Every accept's completion has come: nothing more will. */
        WaitForThreadpoolIoCallbacks(server.listener_io, FALSE);
        CloseThreadpoolIo(server.listener_io);
    }

    EnterCriticalSection(&server.lock);
    printf("connections %llu, requests %llu, bytes %llu\n", server.connections, server.requests, server.bytes);
    LeaveCriticalSection(&server.lock);
    fflush(stdout);

    if (drained) {
        DestroyThreadpoolEnvironment(&server.environment);
        CloseThreadpool(server.pool);
        free(slots);
        while (server.spare != NULL) {
            Connection *c = server.spare;
            server.spare = c->next;
            DeleteCriticalSection(&c->lock);
            free(c);
        }
    }
    WSACleanup();
    SetEvent(server.exited);
    return drained ? 0 : 1;
}
