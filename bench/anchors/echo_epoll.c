/* echo_epoll.c: the epoll anchor for bench/echo.sh. A careful native echo server:
 * non-blocking sockets, one epoll per worker thread (2 by default), each connection owned
 * by one worker for its whole life.
 *
 *   echo_epoll [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]
 *
 * Listens on 127.0.0.1:PORT (0: any free port), prints "listening on 127.0.0.1:<port>"
 * when ready, and exits cleanly on SIGINT or SIGTERM with a counters line (none with -q).
 *
 * Accepting: the listener is in every worker's epoll with EPOLLEXCLUSIVE, so one worker
 * wakes per new connection and accepts (up to 16 at a time); accepted connections are
 * dealt round robin to the workers' epolls, so 32 connections are 16 + 16.
 * Serving (level-triggered): on EPOLLIN, recv into the connection's buffer and send
 * what came at once; a recv that fills the buffer is repeated, a shorter one means the
 * socket is drained (level-triggered epoll reports it again if more arrives), which saves
 * the recv that would only say EAGAIN. A send the socket cannot take whole leaves the
 * rest pending: the connection then waits for EPOLLOUT only, and reads nothing more
 * until that rest is sent (backpressure, as an echo must). TCP_NODELAY on every
 * connection.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
    int fd;
    uint32_t events;
    size_t pending, offset; /* bytes of buf still to send, from buf + offset */
    char buf[];
};

struct worker {
    pthread_t thread;
    int ep;
    unsigned long long accepted, bytes;
};

static int listener, stop_fd;
static int nworkers = 2;
static size_t buffer_bytes = 16384;
static struct worker *workers;
static atomic_uint next_worker;
static char listen_tag, stop_tag; /* epoll data for the listener and the stop eventfd */

static void die(const char *what)
{
    fprintf(stderr, "echo_epoll: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void close_conn(struct conn *c)
{
    close(c->fd); /* leaves the epoll set with it */
    free(c);
}

static int set_events(struct worker *w, struct conn *c, uint32_t events)
{
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &event) != 0) return -1;
    c->events = events;
    return 0;
}

static void accept_some(struct worker *w)
{
    for (int i = 0; i < 16; ++i) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED && errno != EINTR)
                fprintf(stderr, "echo_epoll: accept: %s\n", strerror(errno));
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = malloc(sizeof *c + buffer_bytes);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->events = EPOLLIN;
        c->pending = c->offset = 0;
        ++w->accepted;
        struct worker *owner = &workers[atomic_fetch_add_explicit(&next_worker, 1, memory_order_relaxed) % (unsigned)nworkers];
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(owner->ep, EPOLL_CTL_ADD, fd, &event) != 0) close_conn(c);
    }
}

/* Sends what is pending. 1: all sent; 0: the socket is full; -1: the connection is gone
 * (and freed). */
static int flush(struct conn *c)
{
    while (c->pending) {
        ssize_t n = send(c->fd, c->buf + c->offset, c->pending, MSG_NOSIGNAL);
        if (n > 0) {
            c->offset += (size_t)n;
            c->pending -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            close_conn(c);
            return -1;
        }
    }
    return 1;
}

static void serve(struct worker *w, struct conn *c)
{
    if (c->pending) { /* we were waiting for EPOLLOUT */
        int r = flush(c);
        if (r <= 0) return;
        if (set_events(w, c, EPOLLIN) != 0) {
            close_conn(c);
            return;
        }
    }
    for (;;) {
        ssize_t n = recv(c->fd, c->buf, buffer_bytes, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EINTR) continue;
            close_conn(c); /* a reset, typically */
            return;
        }
        if (n == 0) {
            close_conn(c);
            return;
        }
        w->bytes += (unsigned long long)n;
        c->offset = 0;
        c->pending = (size_t)n;
        int r = flush(c);
        if (r < 0) return;
        if (r == 0) {
            if (set_events(w, c, EPOLLOUT) != 0) close_conn(c);
            return;
        }
        if ((size_t)n < buffer_bytes) return; /* drained; level-triggered epoll says if not */
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(w->ep, events, 256, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; ++i) {
            void *p = events[i].data.ptr;
            if (p == &stop_tag) return NULL;
            if (p == &listen_tag) accept_some(w);
            else serve(w, p);
        }
    }
}

int main(int argc, char **argv)
{
    int port = 0, quiet = 0, option;
    while ((option = getopt(argc, argv, "p:t:b:q")) != -1) {
        switch (option) {
        case 'p': port = atoi(optarg); break;
        case 't': nworkers = atoi(optarg); break;
        case 'b': buffer_bytes = (size_t)atol(optarg); break;
        case 'q': quiet = 1; break;
        default:
            fprintf(stderr, "usage: echo_epoll [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]\n");
            return 2;
        }
    }
    if (nworkers < 1 || buffer_bytes < 1) return 2;

    /* A server that holds 10,000 connections raises its descriptor limit. */
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0) die("bind");
    if (listen(listener, SOMAXCONN) != 0) die("listen");
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);

    /* SIGINT and SIGTERM go to sigwait in this thread only. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);

    stop_fd = eventfd(0, EFD_CLOEXEC);
    if (stop_fd < 0) die("eventfd");
    workers = calloc((size_t)nworkers, sizeof *workers);
    for (int i = 0; i < nworkers; ++i) {
        struct worker *w = &workers[i];
        w->ep = epoll_create1(EPOLL_CLOEXEC);
        if (w->ep < 0) die("epoll_create1");
        struct epoll_event event = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &listen_tag};
        if (epoll_ctl(w->ep, EPOLL_CTL_ADD, listener, &event) != 0) die("epoll_ctl listener");
        /* Never read: once written, it stays readable for every worker. */
        struct epoll_event stop = {.events = EPOLLIN, .data.ptr = &stop_tag};
        if (epoll_ctl(w->ep, EPOLL_CTL_ADD, stop_fd, &stop) != 0) die("epoll_ctl eventfd");
    }
    for (int i = 0; i < nworkers; ++i)
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) die("pthread_create");

    printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    int signal_number;
    sigwait(&signals, &signal_number);
    uint64_t value = 1;
    if (write(stop_fd, &value, sizeof value) != sizeof value) die("write eventfd");
    unsigned long long accepted = 0, bytes = 0;
    for (int i = 0; i < nworkers; ++i) {
        pthread_join(workers[i].thread, NULL);
        accepted += workers[i].accepted;
        bytes += workers[i].bytes;
    }
    if (!quiet) printf("echo_epoll: %llu connections, %llu bytes echoed\n", accepted, bytes);
    return 0;
}
