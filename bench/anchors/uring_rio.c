/* uring_rio.c: the liburing anchor of win32/bench_rio.c: the same work on a raw ring.
 *
 *   uring_rio [--quick] [--rounds N] [--fixed]
 *
 * Two TCP sockets connected over loopback (TCP_NODELAY), one thread, one ring (plain: no
 * SQPOLL, no registered files):
 *  uring_pingpong_us  64 B: a recv SQE stays posted on each end; a send SQE on A, wait
 *                     for B's recv, repost it with B's send, wait for A's recv, repost it;
 *                     microseconds a round trip
 *  uring_stream_mbps  16 KiB sends from A, 8 in flight, into 8 recvs of 16 KiB on B;
 *                     every completion prepares the next, submitted with the wait for the
 *                     next completion (io_uring_submit_and_wait): MB/s received
 * --fixed: the buffers registered with the ring (io_uring_register_buffers), the transfers
 * made with IORING_OP_READ_FIXED / IORING_OP_WRITE_FIXED (a socket is a file to them):
 * what io_uring's registered buffers save; rows uring_fixed_*.
 * Rounds and durations as bench_rio's: median of 5 rounds (3 with --quick) of 0.5 s
 * (0.2 s). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PING_BYTES 64
#define CHUNK (16 * 1024)
#define DEPTH 8

enum { RECV_A, RECV_B, SEND_A, SEND_B };

static struct io_uring ring;
static int fds[2];
static char *memory; /* receives of A, of B, sends of A, of B: DEPTH chunks each */
static int fixed;

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what, int error)
{
    fprintf(stderr, "uring_rio: %s failed: %s\n", what, strerror(error));
    exit(1);
}

static void open_pair(void)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof(addr);
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &length) != 0)
        fail("listener", errno);
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&addr, sizeof(addr)) != 0) fail("connect", errno);
    fds[1] = accept(listener, NULL, NULL);
    if (fds[1] < 0) fail("accept", errno);
    close(listener);
    int on = 1;
    setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    int error = io_uring_queue_init(4 * DEPTH, &ring, 0);
    if (error < 0) fail("io_uring_queue_init", -error);
    if (fixed) {
        struct iovec whole = {memory, 4 * DEPTH * CHUNK};
        error = io_uring_register_buffers(&ring, &whole, 1);
        if (error < 0) fail("io_uring_register_buffers", -error);
    }
}

static void close_pair(void)
{
    io_uring_queue_exit(&ring);
    close(fds[0]);
    close(fds[1]);
}

static struct io_uring_sqe *sqe(void)
{
    struct io_uring_sqe *e = io_uring_get_sqe(&ring);
    if (e == NULL) {
        io_uring_submit(&ring);
        e = io_uring_get_sqe(&ring);
    }
    return e;
}

/* Prepares (does not submit) a recv or send of `end` (0: A, 1: B) in `slot`. */
static void prepare(int kind, int slot, unsigned length)
{
    int end = kind & 1, receive = kind < SEND_A;
    char *buffer = memory + (size_t)(kind * DEPTH + slot) * CHUNK;
    struct io_uring_sqe *e = sqe();
    if (fixed && receive)
        io_uring_prep_read_fixed(e, fds[end], buffer, length, 0, 0);
    else if (fixed)
        io_uring_prep_write_fixed(e, fds[end], buffer, length, 0, 0);
    else if (receive)
        io_uring_prep_recv(e, fds[end], buffer, length, 0);
    else
        io_uring_prep_send(e, fds[end], buffer, length, 0);
    io_uring_sqe_set_data64(e, (uint64_t)(kind | slot << 8));
}

/* Submits what is prepared and takes the next completion: its user data; *res its result. */
static uint64_t next(int *res)
{
    struct io_uring_cqe *cqe;
    int error = io_uring_submit_and_wait(&ring, 1);
    if (error < 0) fail("io_uring_submit_and_wait", -error);
    error = io_uring_peek_cqe(&ring, &cqe);
    if (error < 0) fail("io_uring_peek_cqe", -error);
    uint64_t data = cqe->user_data;
    *res = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    if (*res < 0) fail("a request", -*res);
    return data;
}

static void wait_receive(int kind)
{
    int res;
    while ((next(&res) & 0xff) != (uint64_t)kind) {
    }
    if (res != PING_BYTES) fail("a whole ping", EIO);
}

static double pingpong(double duration)
{
    open_pair();
    prepare(RECV_A, 0, PING_BYTES);
    prepare(RECV_B, 0, PING_BYTES);
    long rounds = 0;
    double start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) {
        start = seconds();
        rounds = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                prepare(SEND_A, 0, PING_BYTES);
                wait_receive(RECV_B);
                prepare(RECV_B, 0, PING_BYTES);
                prepare(SEND_B, 0, PING_BYTES);
                wait_receive(RECV_A);
                prepare(RECV_A, 0, PING_BYTES);
            }
            rounds += 64;
            elapsed = seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    close_pair();
    return elapsed * 1e6 / (double)rounds;
}

static double stream(double duration)
{
    open_pair();
    for (int i = 0; i < DEPTH; ++i) {
        prepare(RECV_B, i, CHUNK);
        prepare(SEND_A, i, CHUNK);
    }
    double received = 0, start = 0, elapsed = 0;
    for (int phase = 0; phase < 2; ++phase) {
        start = seconds();
        received = 0;
        do {
            for (int i = 0; i < 64; ++i) {
                int res;
                uint64_t data = next(&res);
                int slot = (int)(data >> 8);
                if ((data & 0xff) == RECV_B) {
                    if (res == 0) fail("a receive of data", EIO);
                    received += res;
                    prepare(RECV_B, slot, CHUNK);
                } else {
                    prepare(SEND_A, slot, CHUNK);
                }
            }
            elapsed = seconds() - start;
        } while (elapsed < (phase == 0 ? duration / 5 : duration));
    }
    close_pair();
    return received / elapsed / 1e6;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, int count)
{
    qsort(values, count, sizeof(values[0]), compare);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

int main(int argc, char **argv)
{
    int quick = 0, rounds = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1;
        else if (strcmp(argv[i], "--fixed") == 0) fixed = 1;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
    }
    if (rounds < 1 || rounds > 99) rounds = quick ? 3 : 5;
    double duration = quick ? 0.2 : 0.5;
    if (posix_memalign((void **)&memory, 4096, 4 * DEPTH * CHUNK) != 0) fail("posix_memalign", ENOMEM);
    memset(memory, 'x', 4 * DEPTH * CHUNK);
    double pp[99], st[99];
    for (int round = 0; round < rounds; ++round) {
        pp[round] = pingpong(duration);
        st[round] = stream(duration);
    }
    printf("METRIC %s %.4f us\n", fixed ? "uring_fixed_pingpong_us" : "uring_pingpong_us", median(pp, rounds));
    printf("METRIC %s %.4f MB/s\n", fixed ? "uring_fixed_stream_mbps" : "uring_stream_mbps", median(st, rounds));
    return 0;
}
