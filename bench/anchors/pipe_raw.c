/* pipe_raw.c: the native anchor of bench/win32/bench_pipe.c: the same two roles and the
 * same work on a Unix-domain socket, with epoll where the Win32 program has a completion
 * port. Started as two processes by bench/pipes.sh; prints the same METRIC lines.
 *
 *   pipe_raw server pingpong|stream PATH [-w WARM] [-d DURATION] [--quick]
 *   pipe_raw client pingpong|stream PATH [-w WARM] [-d DURATION] [--quick]
 *   pipe_raw loop loop PATH [-w WARM] [-d DURATION] [--quick]
 *
 * pingpong: SOCK_SEQPACKET (message boundaries, as a message-type pipe). The server's
 *   socket is non-blocking in a level-triggered epoll served by one thread: readable ->
 *   recv each waiting message and send it back at once. The client is a plain blocking
 *   socket: send 64 B, recv the echo, compare it, repeat; it reports
 *   pipe_pingpong_rtps and pipe_pingpong_p50_us.
 * stream: SOCK_STREAM. The client writes 64 KiB blocks from a non-blocking socket in an
 *   epoll (a partial send waits for EPOLLOUT), for WARM + DURATION seconds, then closes.
 *   The server reads 64 KiB at a time from a non-blocking socket in an epoll until EAGAIN,
 *   checks every byte against the stream's pattern and reports pipe_stream_mbps.
 * loop: one process, a SOCK_SEQPACKET socket pair (non-blocking): send a 64 B message on
 *   one end, recv it on the other, repeat; reports pipe_loop_ns (per message). PATH is
 *   not used.
 * Socket buffers are the kernel's defaults. Every wait is bounded (60 s).
 *
 * A study, not part of the anchor (bench/README.md, twenty-second session): the server's
 * `--touch PAGES[:STRIDE]` writes one byte in each of PAGES places STRIDE bytes apart
 * (4096 by default) for every message it echoes, so that the cost of touching memory
 * right after a context switch can be measured on the pinned ping-pong. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { PING_SIZE = 64, BLOCK = 64 * 1024, PATTERN_PERIOD = 251 };
static const int WAIT_LIMIT_MS = 60000;

static const char *role, *mode;
static double warm = 0.5, duration = 2.0;
static long touch_pages, touch_stride = 4096; /* --touch: the study above */
static volatile unsigned char *touch_area;
static unsigned char pattern[BLOCK + PATTERN_PERIOD];

/* This process's CPU time so far, user and system, as bench_process_cpu_seconds() in
 * bench/win32/bench_common.h measures it for the Win32 programs. */
static double process_cpu_seconds(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

static double seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void metric(const char *name, double value, const char *unit)
{
    printf("METRIC %s %.4f %s\n", name, value, unit);
    fflush(stdout);
}

static void fail(const char *what)
{
    printf("pipe_raw %s %s: %s: %s\n", role, mode, what, errno ? strerror(errno) : "failed");
    fflush(stdout);
    exit(1);
}

static void fail_msg(const char *what)
{
    errno = 0;
    fail(what);
}

static void make_pattern(void)
{
    for (int i = 0; i < (int)sizeof(pattern); ++i)
        pattern[i] = (unsigned char)((i % PATTERN_PERIOD) * 7 + 3);
}

static int wait_one(int epoll, struct epoll_event *event)
{
    for (;;) {
        int n = epoll_wait(epoll, event, 1, WAIT_LIMIT_MS);
        if (n > 0) return n;
        if (n == 0) fail_msg("epoll_wait: 60 s without an event");
        if (errno != EINTR) fail("epoll_wait");
    }
}

/* ---- ping-pong ---------------------------------------------------------------------- */

static void server_pingpong(int sock, int epoll)
{
    unsigned char buffer[4096];
    long long messages = 0;
    for (;;) {
        struct epoll_event event;
        wait_one(epoll, &event);
        for (;;) {
            ssize_t got = recv(sock, buffer, sizeof buffer, 0);
            if (got < 0) {
                if (errno == EAGAIN || errno == EINTR) break;
                if (errno == ECONNRESET) goto done;
                fail("recv");
            }
            if (got == 0) goto done;
            if (got != PING_SIZE) fail_msg("a message that is not 64 bytes");
            for (long page = 0; page < touch_pages; ++page) touch_area[page * touch_stride] += 1;
            ssize_t sent;
            while ((sent = send(sock, buffer, (size_t)got, MSG_NOSIGNAL)) < 0 && errno == EAGAIN) {
                /* Never with 64 B messages on an empty socket; wait for room if it happens. */
                struct epoll_event out = {.events = EPOLLOUT};
                epoll_ctl(epoll, EPOLL_CTL_MOD, sock, &out);
                wait_one(epoll, &event);
                struct epoll_event in = {.events = EPOLLIN};
                epoll_ctl(epoll, EPOLL_CTL_MOD, sock, &in);
            }
            if (sent != got) fail("send");
            ++messages;
        }
    }
done:
    printf("# server: %lld messages echoed\n", messages);
    double cpu = process_cpu_seconds();
    if (cpu >= 0 && messages > 0) metric("pipe_pingpong_server_cpu_us", cpu * 1e6 / (double)messages, "us");
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void client_pingpong(int sock)
{
    enum { MAX_SAMPLES = 1 << 22 };
    uint32_t *samples = malloc(MAX_SAMPLES * sizeof *samples);
    if (!samples) fail("malloc");
    unsigned char message[PING_SIZE], echo[PING_SIZE + 1];
    long long sequence = 0, samples_taken = 0, measured = 0;
    double start = seconds(), measure_start = 0, now = start, cpu_start = 0, cpu_end = 0;
    int measuring = 0;
    for (;;) {
        memcpy(message, &sequence, sizeof sequence);
        memcpy(message + sizeof sequence, pattern + sequence % PATTERN_PERIOD, PING_SIZE - sizeof sequence);
        struct timespec before, after;
        clock_gettime(CLOCK_MONOTONIC, &before);
        if (send(sock, message, PING_SIZE, MSG_NOSIGNAL) != PING_SIZE) fail("send");
        ssize_t got = recv(sock, echo, sizeof echo, 0);
        clock_gettime(CLOCK_MONOTONIC, &after);
        if (got != PING_SIZE || memcmp(message, echo, PING_SIZE) != 0) fail("the echo differs from the message");
        ++sequence;
        if (measuring) {
            ++measured;
            if (samples_taken < MAX_SAMPLES)
                samples[samples_taken++] = (uint32_t)((after.tv_sec - before.tv_sec) * 1000000000LL +
                                                      (after.tv_nsec - before.tv_nsec));
        }
        if ((sequence & 15) == 0) {
            now = seconds();
            if (!measuring && now - start >= warm) {
                measuring = 1;
                measure_start = now;
                cpu_start = process_cpu_seconds();
            } else if (measuring && now - measure_start >= duration) {
                cpu_end = process_cpu_seconds();
                break;
            }
        }
    }
    close(sock);
    if (cpu_start >= 0 && cpu_end >= cpu_start)
        metric("pipe_pingpong_client_cpu_us", (cpu_end - cpu_start) * 1e6 / (double)measured, "us");
    qsort(samples, (size_t)samples_taken, sizeof *samples, compare_u32);
    metric("pipe_pingpong_rtps", (double)measured / (now - measure_start), "per_s");
    metric("pipe_pingpong_p50_us", samples[samples_taken / 2] / 1000.0, "us");
    free(samples);
}

/* ---- streaming ---------------------------------------------------------------------- */

static void server_stream(int sock, int epoll)
{
    static unsigned char buffer[BLOCK];
    long long offset = 0, warm_offset = -1;
    double first = 0, warm_time = 0, last = 0;
    for (;;) {
        struct epoll_event event;
        wait_one(epoll, &event);
        for (;;) {
            ssize_t got = recv(sock, buffer, sizeof buffer, 0);
            if (got < 0) {
                if (errno == EAGAIN || errno == EINTR) break;
                fail("recv");
            }
            if (got == 0) goto done;
            if (memcmp(buffer, pattern + offset % PATTERN_PERIOD, (size_t)got) != 0)
                fail_msg("a byte of the stream differs from the pattern");
            double now = seconds();
            if (offset == 0) first = now;
            offset += got;
            last = now;
            if (warm_offset < 0 && now - first >= warm) {
                warm_offset = offset;
                warm_time = now;
            }
        }
    }
done:
    printf("# server: %lld bytes received and checked\n", offset);
    if (offset % BLOCK != 0) fail_msg("the stream's length is not a whole number of blocks");
    if (warm_offset < 0 || last <= warm_time) fail_msg("the stream ended before the warm-up did");
    metric("pipe_stream_mbps", (double)(offset - warm_offset) / (last - warm_time) / 1e6, "MB_per_s");
}

static void client_stream(int sock)
{
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event out = {.events = EPOLLOUT};
    if (epoll < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, sock, &out) != 0) fail("epoll");
    long long offset = 0;
    double start = seconds();
    while (seconds() - start < warm + duration) {
        /* One block at a time, as far as the socket takes it, then wait for room. */
        size_t done_in_block = 0;
        while (done_in_block < BLOCK) {
            long long at = offset + (long long)done_in_block;
            ssize_t sent = send(sock, pattern + at % PATTERN_PERIOD, BLOCK - done_in_block, MSG_NOSIGNAL);
            if (sent < 0) {
                if (errno != EAGAIN && errno != EINTR) fail("send");
                struct epoll_event event;
                wait_one(epoll, &event);
                continue;
            }
            done_in_block += (size_t)sent;
        }
        offset += BLOCK;
    }
    double elapsed = seconds() - start;
    close(sock);
    close(epoll);
    printf("# client: %lld bytes written in %.2f s\n", offset, elapsed);
}

/* ---- set-up ------------------------------------------------------------------------- */

static struct sockaddr_un address_of(const char *path)
{
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address.sun_path) fail_msg("the socket path is too long");
    strcpy(address.sun_path, path);
    return address;
}

static void server(int stream, const char *path)
{
    struct sockaddr_un address = address_of(path);
    int listener = socket(AF_UNIX, (stream ? SOCK_STREAM : SOCK_SEQPACKET) | SOCK_CLOEXEC, 0);
    unlink(path);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0)
        fail("socket, bind or listen");
    printf("# server: listening on %s\n", path);
    fflush(stdout);
    int sock = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (sock < 0) fail("accept4");
    close(listener);
    unlink(path);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event in = {.events = EPOLLIN};
    if (epoll < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, sock, &in) != 0) fail("epoll");
    if (stream) server_stream(sock, epoll);
    else server_pingpong(sock, epoll);
    close(sock);
    close(epoll);
}

static void client(int stream, const char *path)
{
    struct sockaddr_un address = address_of(path);
    int sock = socket(AF_UNIX, (stream ? SOCK_STREAM | SOCK_NONBLOCK : SOCK_SEQPACKET) | SOCK_CLOEXEC, 0);
    if (sock < 0) fail("socket");
    double start = seconds();
    /* A connect to a listening Unix socket completes at once, even non-blocking. */
    while (connect(sock, (struct sockaddr *)&address, sizeof address) != 0) {
        if (errno != ENOENT && errno != ECONNREFUSED && errno != EAGAIN) fail("connect");
        if (seconds() - start > WAIT_LIMIT_MS / 1000.0) fail("connect (60 s)");
        usleep(10000);  /* the server is not there yet */
    }
    if (stream) client_stream(sock);
    else client_pingpong(sock);
}

/* ---- loop: both ends in one process ------------------------------------------------ */

static void run_loop(void)
{
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) != 0) fail("socketpair");
    unsigned char message[PING_SIZE], received[4096];
    memcpy(message, pattern, PING_SIZE);
    long long messages = 0;
    double start = seconds(), measured_from = 0, now;
    int measuring = 0;
    for (long long i = 0;; ++i) {
        if ((i & 255) == 0) {
            now = seconds();
            if (!measuring && now - start >= warm) {
                measuring = 1;
                measured_from = now;
                messages = 0;
            } else if (measuring && now - measured_from >= duration) {
                break;
            }
        }
        message[0] = (unsigned char)i;
        if (send(ends[0], message, PING_SIZE, MSG_NOSIGNAL) != PING_SIZE) fail("send");
        if (recv(ends[1], received, sizeof received, 0) != PING_SIZE || received[0] != message[0])
            fail_msg("recv: not the message sent");
        ++messages;
    }
    metric("pipe_loop_ns", (seconds() - measured_from) * 1e9 / (double)messages, "ns");
    close(ends[0]);
    close(ends[1]);
}

static void usage(void)
{
    printf("usage: pipe_raw server|client pingpong|stream PATH [-w WARM] [-d DURATION] [--quick]\n"
           "       (the server also [--touch PAGES[:STRIDE]]: a study, see the comment at the top)\n"
           "       pipe_raw loop loop PATH [-w WARM] [-d DURATION] [--quick]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4) usage();
    role = argv[1];
    mode = argv[2];
    int is_server = strcmp(role, "server") == 0, stream = strcmp(mode, "stream") == 0;
    int loop = strcmp(role, "loop") == 0 && strcmp(mode, "loop") == 0;
    if (!loop && ((!is_server && strcmp(role, "client") != 0) || (!stream && strcmp(mode, "pingpong") != 0))) usage();
    for (int i = 4; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) { warm = 0.2; duration = 0.5; }
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) warm = atof(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) duration = atof(argv[++i]);
        else if (strcmp(argv[i], "--touch") == 0 && i + 1 < argc) {
            char *rest;
            touch_pages = strtol(argv[++i], &rest, 10);
            if (*rest == ':') touch_stride = strtol(rest + 1, NULL, 10);
            if (touch_pages < 0 || touch_stride < 1) usage();
        } else usage();
    }
    if (touch_pages > 0) {
        void *area = mmap(NULL, (size_t)(touch_pages * touch_stride), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (area == MAP_FAILED) fail("mmap (--touch)");
        touch_area = area;
    }
    make_pattern();
    if (loop) run_loop();
    else if (is_server) server(stream, argv[3]);
    else client(stream, argv[3]);
    return 0;
}
