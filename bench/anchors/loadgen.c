/* loadgen.c: the load generator for the echo benchmarks (bench/echo.sh). Native Linux,
 * plain BSD sockets and one epoll, ONE thread, so that it costs the same against every
 * server it drives: ours, the native anchors and the Win32 server under Wine.
 *
 *   loadgen --port PORT [--host 127.0.0.1] [--mode echo|accept|idle] [-c N] [-s SIZE]
 *           [-d SECONDS] [-w SECONDS] [--pid PID]... [--tag NAME] [--close rst|fin]
 *
 * echo    C connections (-c, default 32), each with exactly one request of SIZE bytes
 *         (-s, default 64) in flight: send it, read its echo, send the next. A warm-up
 *         (-w, default 0.5 s), then a measured interval (-d, default 2 s), then the
 *         requests in flight are finished and checked before the connections close.
 *         Reports requests/s, round-trip latency p50 and p99 (µs, from a histogram of
 *         1.6% resolution) and the server's CPU time per request.
 * accept  C client loops (default 16), each: connect, send 1 byte, read its echo, close;
 *         cycles/s, latency of a whole cycle, server CPU per cycle. The client closes
 *         with SO_LINGER {1, 0} (a reset) unless --close fin: a reset leaves no
 *         TIME_WAIT socket on either side, so no run exhausts ephemeral ports or depends
 *         on net.ipv4.tcp_tw_reuse; the server sees its next receive fail with a reset.
 * idle    open C connections (default 1000), at most 64 connecting at once, each sends
 *         SIZE bytes (default 1) and reads the echo, so the server has accepted and
 *         served every one; then they stay open, idle. The server's VmRSS is read once
 *         16 warm-up connections are open (the code of the connection path is then
 *         resident) and again when all C are, and the difference divided by C is
 *         reported as bytes per connection. Finally every connection echoes once more,
 *         proving the server still holds them all. RLIMIT_NOFILE is raised to its hard
 *         limit.
 *
 * Every echoed byte is checked: request r of connection c carries pattern bytes from an
 * offset that depends on (c, r), consecutive requests of a connection never share it. A
 * wrong byte, an early close or a reset is an error: a message and exit status 1.
 *
 * Server CPU (--pid, repeatable; for Wine give the wine process AND the wineserver): the
 * processes' CPU time (user + system, all threads, also threads that have exited) from
 * their CPU-time clocks (clock_getcpuclockid: the figure /proc/PID/stat gives as
 * utime + stime, in nanoseconds instead of 10 ms ticks), read before and after the
 * measured interval; /proc/PID/stat is the fallback. Memory: VmRSS of /proc/PID/status,
 * summed over the pids.
 *
 * Output: "METRIC <tag>_<name> <value> <unit>" lines (tag defaults to the mode): rps or
 * cps, p50_us, p99_us, cpu_us (server CPU µs per request or cycle, with --pid),
 * loadgen_busy_pct (this program's own CPU time over the measured interval, in % of one
 * CPU), steal_pct (the host's steal time over the measured interval, in % of all CPU
 * time of this machine, from /proc/stat: on a virtual machine, what the hypervisor gave
 * to others; runs with much of it measure the host, not the servers), bytes_per_conn,
 * rss_before_kib, rss_after_kib (idle); and a "#" summary line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum mode { MODE_ECHO, MODE_ACCEPT, MODE_IDLE };
enum state { CLOSED, CONNECTING, ACTIVE, IDLE };
enum phase { WARMUP, MEASURE, DRAIN };

struct conn {
    int fd;
    enum state state;
    uint32_t events;   /* the interest registered with epoll */
    uint32_t id;       /* pattern key: connection number (a fresh one per accept cycle) */
    uint32_t request;  /* pattern key: request number on this connection */
    size_t sent, received;
    const unsigned char *expect;
    uint64_t start_ns;
};

/* ---- options ----------------------------------------------------------------------- */
static enum mode mode = MODE_ECHO;
static const char *host = "127.0.0.1";
static int port = -1;
static long count = -1;
static size_t size = 0;
static double duration = 2.0, warmup = 0.5;
static pid_t pids[16];
static int npids;
static const char *tag;
static int close_with_reset = 1;

/* ---- state ------------------------------------------------------------------------- */
static int ep;
static struct conn *conns;
static long nconns;
static unsigned char *pattern;
static unsigned char *scratch;
static struct sockaddr_in server;
static enum phase phase = WARMUP;
static long completed;          /* requests (cycles) completed while measuring */
static long in_flight;          /* connections with a request or a connect under way */
static uint32_t next_id;
static uint64_t last_progress;

static void fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "loadgen: error: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void metric(const char *name, double value, const char *unit)
{
    printf("METRIC %s_%s %.4f %s\n", tag, name, value, unit);
}

/* ---- latency histogram: log-linear, 64 sub-buckets per power of two ----------------- */
#define SUB_BITS 6
#define SUB_COUNT (1 << SUB_BITS)
#define BUCKETS ((64 - SUB_BITS + 1) * SUB_COUNT)
static uint64_t histogram[BUCKETS];
static uint64_t histogram_total;

/* Values below 128 ns have a bucket each; above, a bucket is (shift, v) with v the top
 * 7 bits of the value (64..127) and shift the bits dropped: bucket (shift + 1) * 64 + v - 64. */
static unsigned bucket_of(uint64_t ns)
{
    if (ns < 2 * SUB_COUNT) return (unsigned)ns;
    unsigned shift = 63 - (unsigned)__builtin_clzll(ns) - SUB_BITS;
    return shift * SUB_COUNT + (unsigned)(ns >> shift);
}

static double bucket_middle(unsigned bucket)
{
    if (bucket < 2 * SUB_COUNT) return bucket;
    unsigned shift = bucket / SUB_COUNT - 1;
    uint64_t low = (uint64_t)(bucket % SUB_COUNT + SUB_COUNT) << shift;
    return (double)low + (double)((uint64_t)1 << shift) / 2;
}

static void histogram_add(uint64_t ns)
{
    ++histogram[bucket_of(ns)];
    ++histogram_total;
}

static double percentile_us(double fraction)
{
    if (histogram_total == 0) return 0;
    uint64_t rank = (uint64_t)(fraction * (double)histogram_total);
    if (rank >= histogram_total) rank = histogram_total - 1;
    uint64_t seen = 0;
    for (unsigned b = 0; b < BUCKETS; ++b) {
        seen += histogram[b];
        if (seen > rank) return bucket_middle(b) / 1000.0;
    }
    return 0;
}

/* ---- the server's CPU time and memory --------------------------------------------- */
static double proc_stat_cpu_ns(pid_t pid)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    if (!file) fail("server pid %d is gone (%s)", (int)pid, strerror(errno));
    size_t n = fread(line, 1, sizeof line - 1, file);
    fclose(file);
    line[n] = 0;
    char *p = strrchr(line, ')'); /* the command name may hold spaces */
    if (!p) fail("cannot parse %s", path);
    unsigned long long utime = 0, stime = 0;
    /* after ")": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
     * cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        fail("cannot parse %s", path);
    return (double)(utime + stime) * 1e9 / (double)sysconf(_SC_CLK_TCK);
}

static double server_cpu_ns(void)
{
    double total = 0;
    for (int i = 0; i < npids; ++i) {
        clockid_t clock;
        struct timespec t;
        if (clock_getcpuclockid(pids[i], &clock) == 0 && clock_gettime(clock, &t) == 0)
            total += (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
        else
            total += proc_stat_cpu_ns(pids[i]);
    }
    return total;
}

static double own_cpu_ns(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return ((double)usage.ru_utime.tv_sec + (double)usage.ru_stime.tv_sec) * 1e9 +
           ((double)usage.ru_utime.tv_usec + (double)usage.ru_stime.tv_usec) * 1e3;
}

static double server_rss_bytes(void)
{
    double total = 0;
    for (int i = 0; i < npids; ++i) {
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%d/status", (int)pids[i]);
        FILE *file = fopen(path, "r");
        if (!file) fail("server pid %d is gone (%s)", (int)pids[i], strerror(errno));
        long kib = -1;
        while (fgets(line, sizeof line, file))
            if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
        fclose(file);
        if (kib < 0) fail("no VmRSS in %s", path);
        total += (double)kib * 1024;
    }
    return total;
}

/* ---- connections ------------------------------------------------------------------- */
static void set_events(struct conn *c, uint32_t events)
{
    if (c->events == events) return;
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(ep, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &event) != 0)
        fail("epoll_ctl: %s", strerror(errno));
    c->events = events;
}

static void start_connect(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (c->fd < 0) fail("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (mode != MODE_ECHO && close_with_reset) {
        struct linger linger = {.l_onoff = 1, .l_linger = 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
    c->events = 0;
    c->state = CONNECTING;
    c->id = next_id++;
    c->request = 0;
    c->start_ns = now_ns();
    ++in_flight;
    if (connect(c->fd, (struct sockaddr *)&server, sizeof server) != 0 && errno != EINPROGRESS)
        fail("connect to %s:%d: %s", host, port, strerror(errno));
    set_events(c, EPOLLOUT);
}

static void close_conn(struct conn *c)
{
    close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    c->events = 0;
    c->state = CLOSED;
}

static void send_more(struct conn *c)
{
    while (c->sent < size) {
        ssize_t n = send(c->fd, c->expect + c->sent, size - c->sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_events(c, EPOLLIN | EPOLLOUT);
            return;
        } else {
            fail("connection %u: send: %s", c->id, n < 0 ? strerror(errno) : "0 bytes");
        }
    }
    set_events(c, EPOLLIN);
}

/* Request r of connection c carries pattern[offset(c, r)...]: consecutive requests of a
 * connection start at different offsets (101 is invertible mod 251), and the first 256
 * pattern bytes are all different, so even a 1-byte echo of the wrong request is caught. */
static void begin_request(struct conn *c)
{
    c->expect = pattern + (c->id * 37u + c->request * 101u) % 251u;
    c->sent = c->received = 0;
    send_more(c);
}

static void start_next(struct conn *c);

static void request_done(struct conn *c, uint64_t now)
{
    if (phase == MEASURE) {
        ++completed;
        histogram_add(now - c->start_ns);
    }
    last_progress = now;
    --in_flight;
    switch (mode) {
    case MODE_ECHO:
        if (phase == DRAIN) {
            c->state = IDLE;
            set_events(c, EPOLLIN); /* a stray byte or close now is still an error */
            return;
        }
        ++c->request;
        ++in_flight;
        c->start_ns = now;
        begin_request(c);
        return;
    case MODE_ACCEPT:
        close_conn(c);
        if (phase != DRAIN) start_next(c);
        return;
    case MODE_IDLE:
        c->state = IDLE;
        ++c->request;
        return;
    }
}

static void on_readable(struct conn *c)
{
    if (c->state != ACTIVE) {
        char byte;
        ssize_t n = recv(c->fd, &byte, 1, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        fail("connection %u: %s while idle", c->id,
             n == 0 ? "closed by the server" : n > 0 ? "unexpected byte" : strerror(errno));
    }
    size_t want = size - c->received;
    ssize_t n = recv(c->fd, scratch, want, 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        fail("connection %u: recv: %s", c->id, strerror(errno));
    }
    if (n == 0)
        fail("connection %u: closed by the server after %zu of %zu bytes of request %u", c->id,
             c->received, size, c->request);
    if (c->received + (size_t)n > c->sent)
        fail("connection %u: the server echoed %zu bytes of request %u before they were sent", c->id,
             c->received + (size_t)n, c->request);
    if (memcmp(scratch, c->expect + c->received, (size_t)n) != 0) {
        size_t at = 0;
        while (scratch[at] == c->expect[c->received + at]) ++at;
        fail("connection %u: request %u: wrong byte at %zu: 0x%02x, expected 0x%02x", c->id,
             c->request, c->received + at, scratch[at], c->expect[c->received + at]);
    }
    c->received += (size_t)n;
    if (c->received == size) request_done(c, now_ns());
}

static void on_writable(struct conn *c)
{
    if (c->state == CONNECTING) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error) fail("connect to %s:%d: %s", host, port, strerror(error));
        c->state = ACTIVE;
        begin_request(c);
    } else if (c->state == ACTIVE) {
        send_more(c);
    }
}

/* Accept mode: the next cycle of a client loop. Idle mode uses its own pacing. */
static void start_next(struct conn *c)
{
    start_connect(c);
}

static void poll_once(int timeout_ms)
{
    struct epoll_event events[512];
    int n = epoll_wait(ep, events, 512, timeout_ms);
    if (n < 0) {
        if (errno == EINTR) return;
        fail("epoll_wait: %s", strerror(errno));
    }
    for (int i = 0; i < n; ++i) {
        struct conn *c = events[i].data.ptr;
        uint32_t ev = events[i].events;
        if (c->state == CONNECTING) {
            on_writable(c);
            continue;
        }
        if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
        if ((ev & EPOLLOUT) && c->state == ACTIVE) on_writable(c);
    }
}

static void check_stall(uint64_t now, double seconds, const char *what)
{
    if (now - last_progress > (uint64_t)(seconds * 1e9))
        fail("no progress for %.0f s (%s; %ld requests in flight)", seconds, what, in_flight);
}

/* The host's steal time (what the hypervisor ran instead of this virtual machine's CPUs)
 * and all CPU time so far, in ticks, from the first line of /proc/stat; 0 and 0 if it
 * cannot be read. */
static void host_ticks(unsigned long long *steal, unsigned long long *total)
{
    unsigned long long field[8] = {0};
    *steal = *total = 0;
    FILE *stat = fopen("/proc/stat", "r");
    if (stat == NULL) return;
    int got = fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &field[0], &field[1], &field[2],
                     &field[3], &field[4], &field[5], &field[6], &field[7]);
    fclose(stat);
    if (got != 8) return;
    for (int i = 0; i < 8; ++i) *total += field[i];
    *steal = field[7];
}

/* ---- the modes ---------------------------------------------------------------------- */
static void run_timed(void)
{
    uint64_t begin = now_ns(), start = 0, end = 0;
    double cpu0 = 0, cpu1 = 0, own0 = 0, own1 = 0;
    unsigned long long steal0 = 0, steal1 = 0, ticks0 = 0, ticks1 = 0;
    last_progress = begin;
    for (long i = 0; i < nconns; ++i) start_connect(&conns[i]);
    for (;;) {
        poll_once(10);
        uint64_t now = now_ns();
        if (phase == WARMUP && now - begin >= (uint64_t)(warmup * 1e9)) {
            phase = MEASURE;
            cpu0 = server_cpu_ns();
            own0 = own_cpu_ns();
            host_ticks(&steal0, &ticks0);
            start = now_ns();
        } else if (phase == MEASURE && now - start >= (uint64_t)(duration * 1e9)) {
            end = now_ns();
            cpu1 = server_cpu_ns();
            own1 = own_cpu_ns();
            host_ticks(&steal1, &ticks1);
            phase = DRAIN;
        }
        if (phase == DRAIN && in_flight == 0) break;
        check_stall(now, 10, phase == DRAIN ? "finishing the requests in flight" : "measuring");
    }
    if (completed == 0) fail("no request completed in the measured interval");
    double seconds = (double)(end - start) / 1e9;
    const char *per = mode == MODE_ECHO ? "rps" : "cps";
    metric(per, (double)completed / seconds, mode == MODE_ECHO ? "req/s" : "cycles/s");
    metric("p50_us", percentile_us(0.50), "us");
    metric("p99_us", percentile_us(0.99), "us");
    if (npids) metric("cpu_us", (cpu1 - cpu0) / 1e3 / (double)completed, "us");
    metric("loadgen_busy_pct", (own1 - own0) / (double)(end - start) * 100, "%");
    double steal_pct = ticks1 > ticks0 ? (double)(steal1 - steal0) / (double)(ticks1 - ticks0) * 100 : 0;
    metric("steal_pct", steal_pct, "%");
    printf("# %s: %ld connections, %zu B, %.2f s: %.0f %s, p50 %.1f us, p99 %.1f us", tag, nconns,
           size, seconds, (double)completed / seconds, per, percentile_us(0.5), percentile_us(0.99));
    if (npids) printf(", server CPU %.2f us per %s", (cpu1 - cpu0) / 1e3 / (double)completed,
                      mode == MODE_ECHO ? "request" : "cycle");
    printf("; load generator busy %.0f%%; host steal %.0f%%\n", (own1 - own0) / (double)(end - start) * 100,
           steal_pct);
    /* Echo mode: the connections are idle now; close them gracefully. Accept mode: all
     * are closed already. */
    for (long i = 0; i < nconns; ++i)
        if (conns[i].state != CLOSED) close_conn(&conns[i]);
}

/* Opens connections first..last-1 (at most 64 connecting at once), each echoing once. */
static void open_idle(long first, long last)
{
    long next = first;
    last_progress = now_ns();
    while (next < last || in_flight > 0) {
        while (next < last && in_flight < 64) start_connect(&conns[next++]);
        poll_once(10);
        check_stall(now_ns(), 30, "opening idle connections");
    }
}

static void echo_all_again(void)
{
    last_progress = now_ns();
    for (long i = 0; i < nconns; ++i) {
        struct conn *c = &conns[i];
        c->state = ACTIVE;
        c->start_ns = now_ns();
        ++in_flight;
        begin_request(c);
        /* Keep the server's queue of work bounded as open_idle does. */
        while (in_flight >= 64) {
            poll_once(10);
            check_stall(now_ns(), 30, "echoing on every idle connection");
        }
    }
    while (in_flight > 0) {
        poll_once(10);
        check_stall(now_ns(), 30, "echoing on every idle connection");
    }
}

static void run_idle(void)
{
    const long warm = 16;
    if (npids == 0) fail("idle mode needs --pid");
    struct timespec settle = {.tv_sec = 0, .tv_nsec = 200 * 1000000};
    open_idle(0, warm);
    nanosleep(&settle, NULL);
    double before = server_rss_bytes();
    open_idle(warm, nconns);
    nanosleep(&settle, NULL);
    double after = server_rss_bytes();
    long held = nconns - warm;
    echo_all_again();
    metric("bytes_per_conn", (after - before) / (double)held, "B");
    metric("rss_before_kib", before / 1024, "KiB");
    metric("rss_after_kib", after / 1024, "KiB");
    printf("# %s: %ld idle connections (after %ld warm-up ones): server RSS %.0f -> %.0f KiB, %.0f B per "
           "connection\n", tag, held, warm, before / 1024, after / 1024, (after - before) / (double)held);
    for (long i = 0; i < nconns; ++i) close_conn(&conns[i]);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: loadgen --port PORT [--host ADDR] [--mode echo|accept|idle] [-c N] [-s SIZE]\n"
            "               [-d SECONDS] [-w SECONDS] [--pid PID]... [--tag NAME] [--close rst|fin]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"mode", required_argument, 0, 'm'},     {"host", required_argument, 0, 'H'},
        {"port", required_argument, 0, 'p'},     {"connections", required_argument, 0, 'c'},
        {"size", required_argument, 0, 's'},     {"duration", required_argument, 0, 'd'},
        {"warmup", required_argument, 0, 'w'},   {"pid", required_argument, 0, 'P'},
        {"tag", required_argument, 0, 't'},      {"close", required_argument, 0, 'C'},
        {0, 0, 0, 0},
    };
    int option;
    while ((option = getopt_long(argc, argv, "m:H:p:c:s:d:w:P:t:C:", options, NULL)) != -1) {
        switch (option) {
        case 'm':
            if (strcmp(optarg, "echo") == 0) mode = MODE_ECHO;
            else if (strcmp(optarg, "accept") == 0) mode = MODE_ACCEPT;
            else if (strcmp(optarg, "idle") == 0) mode = MODE_IDLE;
            else usage();
            break;
        case 'H': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'c': count = atol(optarg); break;
        case 's': size = (size_t)atol(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 'P':
            if (npids == (int)(sizeof pids / sizeof pids[0])) usage();
            pids[npids++] = (pid_t)atoi(optarg);
            break;
        case 't': tag = optarg; break;
        case 'C':
            if (strcmp(optarg, "rst") == 0) close_with_reset = 1;
            else if (strcmp(optarg, "fin") == 0) close_with_reset = 0;
            else usage();
            break;
        default: usage();
        }
    }
    if (port <= 0 || port > 65535 || optind != argc) usage();
    if (!tag) tag = mode == MODE_ECHO ? "echo" : mode == MODE_ACCEPT ? "accept" : "idle";
    if (count < 0) count = mode == MODE_ECHO ? 32 : mode == MODE_ACCEPT ? 16 : 1000;
    if (size == 0) size = mode == MODE_ECHO ? 64 : 1;
    if (mode == MODE_ACCEPT) size = 1;
    if (mode == MODE_IDLE) count += 16; /* the warm-up connections come on top */
    nconns = count;
    if (nconns < 1 || duration <= 0 || warmup < 0) usage();

    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if ((rlim_t)nconns + 16 > limit.rlim_cur)
        fail("%ld connections need more descriptors than RLIMIT_NOFILE allows (%llu)", nconns,
             (unsigned long long)limit.rlim_cur);

    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) fail("bad IPv4 address %s", host);

    /* The pattern: 256 distinct bytes (a permutation of 0..255), then xorshift bytes. */
    pattern = malloc(size + 256);
    scratch = malloc(size);
    conns = calloc((size_t)nconns, sizeof *conns);
    if (!pattern || !scratch || !conns) fail("out of memory");
    for (unsigned i = 0; i < 256; ++i) pattern[i] = (unsigned char)(i * 167u + 13u);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 256; i < size + 256; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        pattern[i] = (unsigned char)(x >> 32);
    }

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1: %s", strerror(errno));
    if (mode == MODE_IDLE) run_idle();
    else run_timed();
    fflush(stdout);
    return 0;
}
