/* pipe_transports.c: what the kernel charges for a 64 B message ping-pong between two
 * processes on the transports a named pipe could ride on (bench/README.md, "Transports
 * for named pipes"). Not a target's anchor: a study of where issue 13's ping-pong row
 * can go. The parent is the client (write, then read the echo); a child made by fork is
 * the server. Pin both with taskset to measure on one CPU.
 *
 *   pipes       two Linux pipes, every message framed (a 4-byte length, then the bytes, in
 *               one writev), each write with SIGPIPE blocked around it as a library must
 *               (a write to a pipe whose reader is gone raises it; MSG_NOSIGNAL exists only
 *               for sockets); the server non-blocking in epoll, reading into a 64 KiB
 *               buffer of its own and taking every message in it
 *   pipes-bare  the same without the SIGPIPE guard (two system calls fewer a write)
 *   seqpacket   a SOCK_SEQPACKET socket pair, the server non-blocking in epoll
 *               (anchors/pipe_raw.c's transport: what named pipes use today)
 *   futex       no transport: a word in shared memory and FUTEX_WAKE/FUTEX_WAIT, the cost
 *               of the two context switches alone
 *
 * usage: pipe_transports MODE [-d SECONDS]; prints METRIC transport_MODE_rtps. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE 64

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fatal(const char *what)
{
    perror(what);
    exit(1);
}

/* The servers: `fd` non-blocking in an epoll of its own (returned), and a wait for it. */
static int nonblocking_poller(int fd)
{
    fcntl(fd, F_SETFL, O_NONBLOCK);
    int poller = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN};
    if (poller < 0 || epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event) != 0) fatal("epoll");
    return poller;
}

static void wait_readable(int poller)
{
    struct epoll_event ready;
    if (epoll_wait(poller, &ready, 1, -1) < 0 && errno != EINTR) fatal("epoll_wait");
}

/* ---- framed messages over a Linux pipe */

struct reader {
    int fd;
    char buffer[65536];
    size_t start, end;
};

static int guarded = 1;

static void put_message(int fd, const char *message, uint32_t length)
{
    struct iovec parts[2] = {{&length, sizeof length}, {(void *)message, length}};
    sigset_t pipe_set, old_set;
    if (guarded) {
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    }
    ssize_t written = writev(fd, parts, 2);
    if (guarded) pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    if (written != (ssize_t)(sizeof length + length)) fatal("writev");
}

/* The next message into `out`: its length, -1 at the end of the pipe, -2 when none is
 * complete and the descriptor is non-blocking. */
static int get_message(struct reader *r, char *out)
{
    for (;;) {
        size_t have = r->end - r->start;
        uint32_t length;
        if (have >= sizeof length) {
            memcpy(&length, r->buffer + r->start, sizeof length);
            if (length > MESSAGE) fatal("framing");
            if (have >= sizeof length + length) {
                memcpy(out, r->buffer + r->start + sizeof length, length);
                r->start += sizeof length + length;
                if (r->start == r->end) r->start = r->end = 0;
                return (int)length;
            }
        }
        if (r->start > 0) {
            memmove(r->buffer, r->buffer + r->start, have);
            r->start = 0;
            r->end = have;
        }
        ssize_t got = read(r->fd, r->buffer + r->end, sizeof r->buffer - r->end);
        if (got == 0) return -1;
        if (got < 0) {
            if (errno == EAGAIN) return -2;
            fatal("read");
        }
        r->end += (size_t)got;
    }
}

static struct reader client_reader, server_reader;

static double run_pipes(double seconds, long *count)
{
    int up[2], down[2];  /* client to server, server to client */
    if (pipe2(up, O_CLOEXEC) != 0 || pipe2(down, O_CLOEXEC) != 0) fatal("pipe2");
    pid_t child = fork();
    if (child < 0) fatal("fork");
    if (child == 0) {
        char message[MESSAGE];
        close(up[1]);
        close(down[0]);
        server_reader.fd = up[0];
        int poller = nonblocking_poller(up[0]);
        for (;;) {
            wait_readable(poller);
            for (;;) {
                int length = get_message(&server_reader, message);
                if (length == -1) _exit(0);
                if (length == -2) break;
                put_message(down[1], message, (uint32_t)length);
            }
        }
    }
    close(up[0]);
    close(down[1]);
    client_reader.fd = down[0];
    char message[MESSAGE] = {0};
    long n = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 1000; ++i, ++n) {
            put_message(up[1], message, MESSAGE);
            if (get_message(&client_reader, message) != MESSAGE) fatal("echo");
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    close(up[1]);
    waitpid(child, NULL, 0);
    *count = n;
    return elapsed;
}

/* ---- a SOCK_SEQPACKET pair */

static double run_seqpacket(double seconds, long *count)
{
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) fatal("socketpair");
    pid_t child = fork();
    if (child < 0) fatal("fork");
    if (child == 0) {
        char message[MESSAGE];
        close(ends[0]);
        int poller = nonblocking_poller(ends[1]);
        for (;;) {
            wait_readable(poller);
            for (;;) {
                ssize_t got = recv(ends[1], message, sizeof message, 0);
                if (got == 0) _exit(0);
                if (got < 0) {
                    if (errno == EAGAIN) break;
                    fatal("recv");
                }
                if (send(ends[1], message, (size_t)got, MSG_NOSIGNAL) != got) fatal("send");
            }
        }
    }
    close(ends[1]);
    char message[MESSAGE] = {0};
    long n = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 1000; ++i, ++n) {
            if (send(ends[0], message, sizeof message, MSG_NOSIGNAL) != MESSAGE) fatal("send");
            if (recv(ends[0], message, sizeof message, 0) != MESSAGE) fatal("recv");
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    close(ends[0]);
    waitpid(child, NULL, 0);
    *count = n;
    return elapsed;
}

/* ---- a futex word in shared memory: whose turn it is (even: the client's) */

static long futex(atomic_uint *word, int op, unsigned value)
{
    return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

static double run_futex(double seconds, long *count)
{
    atomic_uint *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) fatal("mmap");
    atomic_uint *turn = &shared[0], *stop = &shared[16];
    pid_t child = fork();
    if (child < 0) fatal("fork");
    if (child == 0) {
        for (;;) {
            unsigned seen;
            while ((seen = atomic_load(turn)) % 2 == 0) {
                if (atomic_load(stop)) _exit(0);
                futex(turn, FUTEX_WAIT, seen);
            }
            if (atomic_load(stop)) _exit(0);
            atomic_fetch_add(turn, 1);
            futex(turn, FUTEX_WAKE, 1);
        }
    }
    long n = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 1000; ++i, ++n) {
            atomic_fetch_add(turn, 1);
            futex(turn, FUTEX_WAKE, 1);
            unsigned seen;
            while ((seen = atomic_load(turn)) % 2 == 1) futex(turn, FUTEX_WAIT, seen);
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    atomic_store(stop, 1);
    atomic_fetch_add(turn, 1);
    futex(turn, FUTEX_WAKE, 1);
    waitpid(child, NULL, 0);
    *count = n;
    return elapsed;
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    if (argc < 2) {
        fprintf(stderr, "usage: pipe_transports pipes|pipes-bare|seqpacket|futex [-d SECONDS]\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; ++i)
        if (strcmp(argv[i], "-d") == 0) seconds = atof(argv[i + 1]);
    const char *mode = argv[1];
    long count = 0;
    double elapsed;
    if (strcmp(mode, "pipes") == 0) {
        elapsed = run_pipes(seconds, &count);
    } else if (strcmp(mode, "pipes-bare") == 0) {
        guarded = 0;
        elapsed = run_pipes(seconds, &count);
    } else if (strcmp(mode, "seqpacket") == 0) {
        elapsed = run_seqpacket(seconds, &count);
    } else if (strcmp(mode, "futex") == 0) {
        elapsed = run_futex(seconds, &count);
    } else {
        fprintf(stderr, "pipe_transports: unknown mode %s\n", mode);
        return 2;
    }
    printf("METRIC transport_%s_rtps %.1f per_s\n", mode, (double)count / elapsed);
    return 0;
}
