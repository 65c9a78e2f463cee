/* echo_client.c: load generator and checker for an echo server.
 *
 *   echo_client [-h HOST] [-p PORT] [-c CONNECTIONS] [-s SIZE] [-d SECONDS]
 *
 *   -h HOST         server name or address (default 127.0.0.1)
 *   -p PORT         server port (default 5000)
 *   -c CONNECTIONS  connections, each with one request in flight (default 8)
 *   -s SIZE         bytes per request (default 64)
 *   -d SECONDS      how long to run (default 3)
 *
 * Each connection sends a request of SIZE bytes and waits for all of it to come back
 * before sending the next; every echoed byte is compared with what was sent. The
 * contents differ per connection and per request, so an echo that comes from the wrong
 * connection, from an earlier request, or out of order is caught. While it runs it shows
 * the requests per second, on one line rewritten in place when stdout is a console, one
 * line per second otherwise. At the end it prints
 *     requests <n>, errors <n>, <x> requests/s
 * and exits with 0 only if no connection failed and no byte was wrong.
 *
 * Everything runs on one thread around one completion port. Each connection is
 * established with ConnectEx and has two OVERLAPPEDs, so that the receive of the echo is
 * posted together with the send of the request: a large request can come back while it
 * is still being sent. Completions are taken in batches with GetQueuedCompletionStatusEx. */
#define __USE_MINGW_ANSI_STDIO 1 /* mingw-w64: C99 printf, for %llu */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONNECTIONS 10000
#define MAX_SIZE (16 * 1024 * 1024)
#define BATCH 64            /* completions taken per GetQueuedCompletionStatusEx */
#define GRACE_MS 5000       /* after the run, how long requests in flight may take to finish */
#define DRAIN_MS 5000       /* after closing the sockets, how long their completions may take */

typedef enum {
    CLIENT_CONNECTING, /* ConnectEx pending */
    CLIENT_RUNNING,    /* a request in flight */
    CLIENT_IDLE,       /* finished its last request at the end of the run */
    CLIENT_FAILED      /* closed after an error; its aborted requests may still come back */
} ClientState;

typedef struct {
    OVERLAPPED send_overlapped; /* ConnectEx, then the send of each request */
    OVERLAPPED recv_overlapped; /* the receive of each echo */
    SOCKET socket;
    unsigned id;
    ClientState state;
    int in_flight;           /* requests posted and not completed yet */
    DWORD recv_flags;
    ULONGLONG request;       /* number of the current request, from 0 */
    DWORD sent, received;    /* progress of the current request */
    unsigned char *send_buffer, *recv_buffer;
} Client;

static struct {
    DWORD size;
    HANDLE port;
    LPFN_CONNECTEX connect_ex;
    BOOL stopping;           /* the run is over: finish the requests in flight, start no more */
    unsigned busy;           /* clients connecting or running */
    unsigned in_flight;      /* requests in flight over all clients */
    ULONGLONG requests, errors;
    BOOL line_open;          /* the live line is on the console, without its newline */
} run;

/* ---- request contents ------------------------------------------------------------------ */

/* splitmix64: a fast, well-mixed sequence of 64-bit values. */
static ULONGLONG next_value(ULONGLONG *state)
{
    ULONGLONG z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Fills the request's bytes; the sequence starts from the connection and request numbers. */
static void fill_request(Client *c)
{
    ULONGLONG state = ((ULONGLONG)c->id << 40) ^ c->request;
    DWORD i = 0;
    for (; i + 8 <= run.size; i += 8) {
        ULONGLONG value = next_value(&state);
        memcpy(c->send_buffer + i, &value, 8);
    }
    if (i < run.size) {
        ULONGLONG value = next_value(&state);
        memcpy(c->send_buffer + i, &value, run.size - i);
    }
}

/* ---- connections ----------------------------------------------------------------------- */

/* Reports the error and closes the connection. Requests it still has in flight complete
 * (aborted) later; the client's memory stays until they have. */
static void client_fail(Client *c, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    if (run.line_open) {
        printf("\n");
        fflush(stdout);
        run.line_open = FALSE;
    }
    fprintf(stderr, "echo_client: connection %u: ", c->id);
    vfprintf(stderr, format, arguments);
    fprintf(stderr, "\n");
    va_end(arguments);
    if (c->state == CLIENT_CONNECTING || c->state == CLIENT_RUNNING) run.busy--;
    c->state = CLIENT_FAILED;
    run.errors++;
    if (c->socket != INVALID_SOCKET) {
        closesocket(c->socket);
        c->socket = INVALID_SOCKET;
    }
}

/* A request was posted: its completion will come through the port (these sockets are not
 * in skip-on-success mode, so even one that completed at once queues a packet). */
static BOOL posted(Client *c, int result, const char *what)
{
    if (result == SOCKET_ERROR) {
        int error = WSAGetLastError();
        if (error != WSA_IO_PENDING) {
            client_fail(c, "%s: error %d", what, error);
            return FALSE;
        }
    }
    c->in_flight++;
    run.in_flight++;
    return TRUE;
}

static BOOL post_send(Client *c)
{
    WSABUF buffer = {.len = run.size - c->sent, .buf = (char *)c->send_buffer + c->sent};
    memset(&c->send_overlapped, 0, sizeof(c->send_overlapped));
    return posted(c, WSASend(c->socket, &buffer, 1, NULL, 0, &c->send_overlapped, NULL), "WSASend");
}

static BOOL post_recv(Client *c)
{
    WSABUF buffer = {.len = run.size - c->received, .buf = (char *)c->recv_buffer + c->received};
    memset(&c->recv_overlapped, 0, sizeof(c->recv_overlapped));
    c->recv_flags = 0;
    return posted(c, WSARecv(c->socket, &buffer, 1, NULL, &c->recv_flags, &c->recv_overlapped, NULL), "WSARecv");
}

/* Starts the next request: its echo's receive first, then its send. */
static void start_request(Client *c)
{
    fill_request(c);
    c->sent = c->received = 0;
    if (post_recv(c)) post_send(c);
}

/* Checks the bytes that just arrived against what was sent at the same place. */
static BOOL verify(Client *c, DWORD bytes)
{
    const unsigned char *got = c->recv_buffer + c->received, *expected = c->send_buffer + c->received;
    if (memcmp(got, expected, bytes) == 0) return TRUE;
    DWORD i = 0;
    while (got[i] == expected[i]) ++i;
    client_fail(c, "request %llu: byte %lu of %lu is 0x%02x, expected 0x%02x", c->request,
                (unsigned long)(c->received + i), (unsigned long)run.size, got[i], expected[i]);
    return FALSE;
}

static void on_completion(Client *c, OVERLAPPED *overlapped, DWORD bytes, DWORD error)
{
    c->in_flight--;
    run.in_flight--;
    if (c->state == CLIENT_FAILED) return; /* an aborted leftover of a closed connection */
    if (error != ERROR_SUCCESS) {
        const char *what = c->state == CLIENT_CONNECTING ? "ConnectEx"
                           : overlapped == &c->send_overlapped ? "WSASend" : "WSARecv";
        client_fail(c, "%s completed with error %lu", what, (unsigned long)error);
        return;
    }
    if (c->state == CLIENT_CONNECTING) {
        /* Makes the socket a fully connected one (getpeername, shutdown...). */
        if (setsockopt(c->socket, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == SOCKET_ERROR) {
            client_fail(c, "setsockopt(SO_UPDATE_CONNECT_CONTEXT): error %d", WSAGetLastError());
            return;
        }
        BOOL no_delay = TRUE;
        setsockopt(c->socket, IPPROTO_TCP, TCP_NODELAY, (char *)&no_delay, sizeof(no_delay));
        c->state = CLIENT_RUNNING;
        start_request(c);
        return;
    }
    if (overlapped == &c->send_overlapped) {
        c->sent += bytes;
        if (c->sent < run.size && !post_send(c)) return;
    } else {
        if (bytes == 0) {
            client_fail(c, "request %llu: the server closed the connection after %lu of %lu bytes", c->request,
                        (unsigned long)c->received, (unsigned long)run.size);
            return;
        }
        if (!verify(c, bytes)) return;
        c->received += bytes;
        if (c->received < run.size && !post_recv(c)) return;
    }
    if (c->sent == run.size && c->received == run.size) {
        run.requests++;
        c->request++;
        if (run.stopping) {
            c->state = CLIENT_IDLE;
            run.busy--;
        } else {
            start_request(c);
        }
    }
}

/* Creates the connection's socket and posts its ConnectEx. */
static void client_connect(Client *c, const ADDRINFOA *server)
{
    c->socket = WSASocketW(server->ai_family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (c->socket == INVALID_SOCKET) {
        client_fail(c, "WSASocket: error %d", WSAGetLastError());
        return;
    }
    if (CreateIoCompletionPort((HANDLE)c->socket, run.port, (ULONG_PTR)c, 0) != run.port) {
        client_fail(c, "CreateIoCompletionPort: error %lu", (unsigned long)GetLastError());
        return;
    }
    if (run.connect_ex == NULL) {
        GUID id = WSAID_CONNECTEX;
        DWORD bytes = 0;
        if (WSAIoctl(c->socket, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &run.connect_ex,
                     sizeof(run.connect_ex), &bytes, NULL, NULL) == SOCKET_ERROR) {
            fprintf(stderr, "echo_client: WSAIoctl(ConnectEx): error %d\n", WSAGetLastError());
            exit(1);
        }
    }
    /* ConnectEx wants a bound socket: any local address and port of the family. */
    SOCKADDR_STORAGE local;
    memset(&local, 0, sizeof(local));
    local.ss_family = (ADDRESS_FAMILY)server->ai_family;
    int local_length = server->ai_family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN);
    if (bind(c->socket, (SOCKADDR *)&local, local_length) == SOCKET_ERROR) {
        client_fail(c, "bind: error %d", WSAGetLastError());
        return;
    }
    memset(&c->send_overlapped, 0, sizeof(c->send_overlapped));
    BOOL done = run.connect_ex(c->socket, server->ai_addr, (int)server->ai_addrlen, NULL, 0, NULL,
                               &c->send_overlapped);
    posted(c, done ? 0 : SOCKET_ERROR, "ConnectEx");
}

/* ---- main ------------------------------------------------------------------------------ */

static double seconds_now(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart / (double)frequency.QuadPart;
}

/* Milliseconds from now until `until`, for a wait. */
static DWORD milliseconds_until(double until, double now)
{
    return until <= now ? 0 : (DWORD)((until - now) * 1000.0) + 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: echo_client [-h HOST] [-p PORT] [-c CONNECTIONS] [-s SIZE] [-d SECONDS]\n");
    exit(2);
}

static unsigned long number_argument(int argc, char **argv, int *i, unsigned long low, unsigned long high)
{
    if (*i + 1 >= argc) usage();
    char *end;
    const char *text = argv[++*i];
    unsigned long value = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "echo_client: %s: expected a number from %lu to %lu\n", argv[*i - 1], low, high);
        exit(2);
    }
    return value;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    unsigned long port = 5000, connections = 8, seconds = 3;
    run.size = 64;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-h") == 0) {
            if (i + 1 >= argc) usage();
            host = argv[++i];
        } else if (strcmp(argv[i], "-p") == 0) port = number_argument(argc, argv, &i, 1, 65535);
        else if (strcmp(argv[i], "-c") == 0) connections = number_argument(argc, argv, &i, 1, MAX_CONNECTIONS);
        else if (strcmp(argv[i], "-s") == 0) run.size = (DWORD)number_argument(argc, argv, &i, 1, MAX_SIZE);
        else if (strcmp(argv[i], "-d") == 0) seconds = number_argument(argc, argv, &i, 1, 24 * 3600);
        else usage();
    }

    WSADATA wsa;
    int startup = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (startup != 0) {
        fprintf(stderr, "echo_client: WSAStartup: error %d\n", startup);
        return 1;
    }
    char service[16];
    snprintf(service, sizeof(service), "%lu", port);
    ADDRINFOA hints, *server = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    int resolved = getaddrinfo(host, service, &hints, &server);
    if (resolved != 0 || server == NULL) {
        fprintf(stderr, "echo_client: getaddrinfo(%s): error %d\n", host, resolved);
        return 1;
    }
    run.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (run.port == NULL) {
        fprintf(stderr, "echo_client: CreateIoCompletionPort: error %lu\n", (unsigned long)GetLastError());
        return 1;
    }

    /* The live line is rewritten in place only on a console. */
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD console_mode;
    BOOL console = GetFileType(out) == FILE_TYPE_CHAR && GetConsoleMode(out, &console_mode);

    Client *clients = (Client *)calloc(connections, sizeof(Client));
    if (clients == NULL) {
        fprintf(stderr, "echo_client: out of memory\n");
        return 1;
    }
    double start = seconds_now();
    for (unsigned i = 0; i < connections; ++i) {
        Client *c = &clients[i];
        c->id = i;
        c->socket = INVALID_SOCKET;
        c->state = CLIENT_CONNECTING;
        run.busy++;
        c->send_buffer = (unsigned char *)malloc(run.size);
        c->recv_buffer = (unsigned char *)malloc(run.size);
        if (c->send_buffer == NULL || c->recv_buffer == NULL) {
            fprintf(stderr, "echo_client: out of memory\n");
            return 1;
        }
        client_connect(c, server);
    }

    /* The run: handle completions until the time is up, then let the requests in flight
     * finish (for at most GRACE_MS). */
    double deadline = start + (double)seconds, grace_end = 0, next_report = start + 1.0, finish = start;
    double last_report = start;
    ULONGLONG last_requests = 0;
    OVERLAPPED_ENTRY entries[BATCH];
    while (run.busy > 0) {
        double now = seconds_now();
        if (!run.stopping && now >= deadline) {
            run.stopping = TRUE;
            grace_end = now + GRACE_MS / 1000.0;
            /* Connections still connecting will not be needed. */
            for (unsigned i = 0; i < connections; ++i)
                if (clients[i].state == CLIENT_CONNECTING) client_fail(&clients[i], "not connected at the end of the run");
            if (run.busy == 0) break;
        }
        if (run.stopping && now >= grace_end) {
            for (unsigned i = 0; i < connections; ++i)
                if (clients[i].state == CLIENT_RUNNING)
                    client_fail(&clients[i], "request %llu: no complete echo %d ms after the end of the run",
                                clients[i].request, GRACE_MS);
            break;
        }
        double wake = run.stopping ? grace_end : (next_report < deadline ? next_report : deadline);
        ULONG count = 0;
        if (!GetQueuedCompletionStatusEx(run.port, entries, BATCH, &count, milliseconds_until(wake, now), FALSE)) {
            if (GetLastError() != WAIT_TIMEOUT) {
                fprintf(stderr, "echo_client: GetQueuedCompletionStatusEx: error %lu\n",
                        (unsigned long)GetLastError());
                return 1;
            }
            count = 0;
        }
        for (ULONG i = 0; i < count; ++i) {
            Client *c = (Client *)entries[i].lpCompletionKey;
            OVERLAPPED *overlapped = entries[i].lpOverlapped;
            DWORD bytes = entries[i].dwNumberOfBytesTransferred, error = ERROR_SUCCESS;
            if (c->state != CLIENT_FAILED) {
                DWORD flags;
                if (!WSAGetOverlappedResult(c->socket, overlapped, &bytes, FALSE, &flags))
                    error = (DWORD)WSAGetLastError();
            }
            on_completion(c, overlapped, bytes, error);
        }
        now = seconds_now();
        finish = now;
        if (!run.stopping && now >= next_report) {
            double rate = (double)(run.requests - last_requests) / (now - last_report);
            if (console) printf("\r%12.0f requests/s, %llu requests", rate, run.requests);
            else printf("%.0f requests/s\n", rate);
            run.line_open = console;
            fflush(stdout);
            last_requests = run.requests;
            last_report = now;
            next_report += 1.0;
            if (next_report < now) next_report = now + 1.0;
        }
    }
    if (run.line_open) printf("\n");

    /* Close everything and wait (boundedly) for the aborted leftovers of failed
     * connections, so no OVERLAPPED is freed while the system still owns it. */
    for (unsigned i = 0; i < connections; ++i) {
        if (clients[i].socket != INVALID_SOCKET) {
            closesocket(clients[i].socket);
            clients[i].socket = INVALID_SOCKET;
        }
        if (clients[i].state != CLIENT_FAILED) clients[i].state = CLIENT_FAILED; /* only leftovers from here on */
    }
    double drain_end = seconds_now() + DRAIN_MS / 1000.0;
    while (run.in_flight > 0) {
        double now = seconds_now();
        if (now >= drain_end) break;
        ULONG count = 0;
        if (!GetQueuedCompletionStatusEx(run.port, entries, BATCH, &count, milliseconds_until(drain_end, now), FALSE))
            continue;
        for (ULONG i = 0; i < count; ++i)
            on_completion((Client *)entries[i].lpCompletionKey, entries[i].lpOverlapped, 0, ERROR_OPERATION_ABORTED);
    }

    double elapsed = finish - start;
    printf("requests %llu, errors %llu, %.0f requests/s\n", run.requests, run.errors,
           elapsed > 0 ? (double)run.requests / elapsed : 0.0);
    fflush(stdout);

    if (run.in_flight == 0) {
        for (unsigned i = 0; i < connections; ++i) {
            free(clients[i].send_buffer);
            free(clients[i].recv_buffer);
        }
        free(clients);
        CloseHandle(run.port);
    }
    freeaddrinfo(server);
    WSACleanup();
    return run.errors == 0 ? 0 : 1;
}
