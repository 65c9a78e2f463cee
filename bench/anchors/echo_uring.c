/* echo_uring.c: the liburing anchor for bench/echo.sh. A careful native echo server on
 * io_uring: one ring per worker thread (2 by default), each connection owned by one ring
 * for its whole life.
 *
 *   echo_uring [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-P] [-q]
 *
 * Listens on 127.0.0.1:PORT (0: any free port), prints "listening on 127.0.0.1:<port>"
 * when ready, and exits cleanly on SIGINT or SIGTERM with a counters line (none with -q).
 *
 * Every ring keeps a multishot accept on the listener. Accepted connections are dealt
 * round robin to the rings: one for another ring is passed to it with IORING_OP_MSG_RING
 * (the descriptor travels in the completion's result), so 32 connections are 16 + 16 as
 * with the epoll anchor. Serving: a recv SQE into the connection's buffer; its completion
 * queues a send SQE of the bytes received (again for the rest if the send was short);
 * the send's completion queues the next recv. Each worker loops on
 * io_uring_submit_and_wait(1): the SQEs prepared while reaping one batch of completions
 * go to the kernel together with the wait for the next. No SQPOLL, no registered files or
 * buffers. The rings are created with IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN (Linux
 * 6.1, made for this shape of program: the kernel runs a ring's task work only when its
 * one thread asks for completions, in a batch, instead of interrupting it), or
 * COOP_TASKRUN on kernels without them; -P asks for a plain ring instead. Measured here,
 * DEFER_TASKRUN cut the server CPU per accept cycle by about 40% and was even with the
 * plain ring, within the noise, on the echo tests. TCP_NODELAY on every connection.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TAG_RECV, TAG_SEND, TAG_ACCEPT, TAG_NEW_CONN, TAG_STOP, TAG_MSG_SENT, TAG_BITS = 3 };

struct conn {
    int fd;
    unsigned length, offset; /* the bytes received, and how many of them are sent */
    char buf[];
} __attribute__((aligned(8)));

struct worker {
    pthread_t thread;
    struct io_uring ring;
    int stop_fd, index;
    unsigned long long accepted, bytes;
};

static int listener;
static int nworkers = 2;
static int plain;
static size_t buffer_bytes = 16384;
static struct worker *workers;
static atomic_uint next_worker;
static pthread_barrier_t ready;

static void die(const char *what, int error)
{
    fprintf(stderr, "echo_uring: %s: %s\n", what, strerror(error));
    exit(1);
}

static uint64_t tagged(void *p, unsigned tag) { return (uint64_t)(uintptr_t)p | tag; }

static struct io_uring_sqe *get_sqe(struct io_uring *ring)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    while (!sqe) { /* the queue is full: hand it to the kernel and retry */
        int r = io_uring_submit(ring);
        if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY) die("io_uring_submit", -r);
        sqe = io_uring_get_sqe(ring);
    }
    return sqe;
}

static void queue_recv(struct io_uring *ring, struct conn *c)
{
    struct io_uring_sqe *sqe = get_sqe(ring);
    io_uring_prep_recv(sqe, c->fd, c->buf, buffer_bytes, 0);
    io_uring_sqe_set_data64(sqe, tagged(c, TAG_RECV));
}

static void queue_send(struct io_uring *ring, struct conn *c)
{
    struct io_uring_sqe *sqe = get_sqe(ring);
    io_uring_prep_send(sqe, c->fd, c->buf + c->offset, c->length - c->offset, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, tagged(c, TAG_SEND));
}

static void queue_accept(struct io_uring *ring)
{
    struct io_uring_sqe *sqe = get_sqe(ring);
    io_uring_prep_multishot_accept(sqe, listener, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, TAG_ACCEPT);
}

static void start_conn(struct worker *w, int fd)
{
    struct conn *c = aligned_alloc(8, (sizeof(struct conn) + buffer_bytes + 7) & ~(size_t)7);
    if (!c) {
        close(fd);
        return;
    }
    c->fd = fd;
    c->length = c->offset = 0;
    queue_recv(&w->ring, c);
}

static void close_conn(struct conn *c)
{
    close(c->fd);
    free(c);
}

static void accepted(struct worker *w, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++w->accepted;
    struct worker *owner = &workers[atomic_fetch_add_explicit(&next_worker, 1, memory_order_relaxed) % (unsigned)nworkers];
    if (owner == w) {
        start_conn(w, fd);
        return;
    }
    struct io_uring_sqe *sqe = get_sqe(&w->ring);
    io_uring_prep_msg_ring(sqe, owner->ring.ring_fd, (unsigned)fd, TAG_NEW_CONN, 0);
    io_uring_sqe_set_data64(sqe, (uint64_t)fd << TAG_BITS | TAG_MSG_SENT);
    sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
}

/* Returns 0 when the worker is told to stop. */
static int complete(struct worker *w, struct io_uring_cqe *cqe)
{
    uint64_t data = io_uring_cqe_get_data64(cqe);
    unsigned tag = (unsigned)(data & ((1u << TAG_BITS) - 1));
    struct conn *c = (struct conn *)(uintptr_t)(data & ~(uint64_t)((1u << TAG_BITS) - 1));
    int res = cqe->res;
    switch (tag) {
    case TAG_RECV:
        if (res <= 0) { /* closed by the peer, or reset */
            close_conn(c);
            return 1;
        }
        w->bytes += (unsigned)res;
        c->length = (unsigned)res;
        c->offset = 0;
        queue_send(&w->ring, c);
        return 1;
    case TAG_SEND:
        if (res < 0) {
            close_conn(c);
            return 1;
        }
        c->offset += (unsigned)res;
        if (c->offset < c->length) queue_send(&w->ring, c);
        else queue_recv(&w->ring, c);
        return 1;
    case TAG_ACCEPT:
        if (res >= 0) accepted(w, res);
        else if (res != -EAGAIN && res != -ECONNABORTED && res != -EINTR)
            fprintf(stderr, "echo_uring: accept: %s\n", strerror(-res));
        if (!(cqe->flags & IORING_CQE_F_MORE)) queue_accept(&w->ring); /* re-arm */
        return 1;
    case TAG_NEW_CONN: /* another ring's accept, passed to us */
        start_conn(w, res);
        return 1;
    case TAG_MSG_SENT: /* only failures complete (IOSQE_CQE_SKIP_SUCCESS) */
        fprintf(stderr, "echo_uring: passing a connection: %s\n", strerror(-res));
        close((int)(data >> TAG_BITS));
        return 1;
    case TAG_STOP:
        return 0;
    }
    return 1;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
    params.cq_entries = 16384; /* completions of 10,000 idle connections fit */
    int r = -EINVAL;
    if (!plain) {
        params.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
        r = io_uring_queue_init_params(1024, &w->ring, &params);
        if (r < 0) {
            params.flags &= ~(unsigned)(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
            params.flags |= IORING_SETUP_COOP_TASKRUN;
            r = io_uring_queue_init_params(1024, &w->ring, &params);
        }
        if (r < 0) params.flags &= ~(unsigned)IORING_SETUP_COOP_TASKRUN;
    }
    if (r < 0) r = io_uring_queue_init_params(1024, &w->ring, &params);
    if (r < 0) die("io_uring_queue_init_params", -r);
    pthread_barrier_wait(&ready); /* every ring exists before any connection is passed on */

    queue_accept(&w->ring);
    struct io_uring_sqe *sqe = get_sqe(&w->ring);
    io_uring_prep_poll_add(sqe, w->stop_fd, POLLIN);
    io_uring_sqe_set_data64(sqe, TAG_STOP);
    for (;;) {
        r = io_uring_submit_and_wait(&w->ring, 1);
        if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY) die("io_uring_submit_and_wait", -r);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        int go_on = 1;
        io_uring_for_each_cqe(&w->ring, head, cqe) {
            ++seen;
            if (!complete(w, cqe)) go_on = 0;
        }
        io_uring_cq_advance(&w->ring, seen);
        if (!go_on) break;
    }
    /* Connections still open are left to the process exit. */
    return NULL;
}

int main(int argc, char **argv)
{
    int port = 0, quiet = 0, option;
    while ((option = getopt(argc, argv, "p:t:b:Pq")) != -1) {
        switch (option) {
        case 'p': port = atoi(optarg); break;
        case 't': nworkers = atoi(optarg); break;
        case 'b': buffer_bytes = (size_t)atol(optarg); break;
        case 'P': plain = 1; break;
        case 'q': quiet = 1; break;
        default:
            fprintf(stderr, "usage: echo_uring [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-P] [-q]\n");
            return 2;
        }
    }
    if (nworkers < 1 || buffer_bytes < 1 || buffer_bytes > (1u << 30)) return 2;

    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket", errno);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0) die("bind", errno);
    if (listen(listener, SOMAXCONN) != 0) die("listen", errno);
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);

    workers = calloc((size_t)nworkers, sizeof *workers);
    pthread_barrier_init(&ready, NULL, (unsigned)nworkers + 1);
    for (int i = 0; i < nworkers; ++i) {
        workers[i].index = i;
        workers[i].stop_fd = eventfd(0, EFD_CLOEXEC);
        if (workers[i].stop_fd < 0) die("eventfd", errno);
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) die("pthread_create", errno);
    }
    pthread_barrier_wait(&ready);

    printf("listening on 127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    int signal_number;
    sigwait(&signals, &signal_number);
    unsigned long long accepted_total = 0, bytes = 0;
    uint64_t value = 1;
    for (int i = 0; i < nworkers; ++i)
        if (write(workers[i].stop_fd, &value, sizeof value) != sizeof value) die("write eventfd", errno);
    for (int i = 0; i < nworkers; ++i) {
        pthread_join(workers[i].thread, NULL);
        accepted_total += workers[i].accepted;
        bytes += workers[i].bytes;
    }
    if (!quiet) printf("echo_uring: %llu connections, %llu bytes echoed\n", accepted_total, bytes);
    return 0;
}
