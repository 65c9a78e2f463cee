/* bench_iocp.c: completion-port throughput and latency.
 *  iocp_post_get_1thread_mops  one thread: Post then Get, repeated (compare: Asio post + run_one)
 *  iocp_post_get_2thread_mops  one producer, one consumer in Get (compare: Asio post / run)
 *  iocp_getex64_mops           the same with GetQueuedCompletionStatusEx, 64 entries
 *  iocp_drain_get_mops         a port holding many packets (one producer filled it)
 *                              drained one at a time by another thread
 *  iocp_drain_getex64_mops     the same drained with GetQueuedCompletionStatusEx, 64 at
 *                              a time: what batching saves the consumer
 *  iocp_pingpong_us            A posts to port 1 and waits on port 2; B the reverse
 *                              (compare: raw futex ping-pong) */
#include "bench_common.h"

static HANDLE port, port_back;
static volatile LONG stop;
static volatile LONG64 consumed;

static DWORD WINAPI consumer_get(LPVOID unused)
{
    (void)unused;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    LONG64 count = 0;
    while (GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE) && key != 0) ++count;
    InterlockedExchange64(&consumed, count);
    return 0;
}

static DWORD WINAPI consumer_getex(LPVOID unused)
{
    (void)unused;
    OVERLAPPED_ENTRY entries[64];
    ULONG removed;
    LONG64 count = 0;
    for (;;) {
        if (!GetQueuedCompletionStatusEx(port, entries, 64, &removed, INFINITE, FALSE)) break;
        int done = 0;
        for (ULONG i = 0; i < removed; ++i) {
            if (entries[i].lpCompletionKey == 0) done = 1;
            else ++count;
        }
        if (done) break;
    }
    InterlockedExchange64(&consumed, count);
    return 0;
}

/* One producer posting for `duration` seconds to a consumer thread; packets consumed per
 * second, counted from the producer's start until the consumer took the last one. The
 * producer runs ahead freely (the queue grows), as Asio's post does. */
static double producer_consumer(LPTHREAD_START_ROUTINE consumer, double duration)
{
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE thread = CreateThread(NULL, 0, consumer, NULL, 0, NULL);
    Sleep(10);
    double start = bench_seconds();
    do {
        for (int i = 0; i < 256; ++i) PostQueuedCompletionStatus(port, 1, 1, NULL);
    } while (bench_seconds() - start < duration);
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    double elapsed = bench_seconds() - start;
    CloseHandle(thread);
    CloseHandle(port);
    return (double)consumed / elapsed / 1e6;
}

/* Fills a port from this thread, then times another thread draining it. */
static volatile LONG64 drain_count;
static double drained_seconds;

static DWORD WINAPI drain_one_at_a_time(LPVOID unused)
{
    (void)unused;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    double start = bench_seconds();
    for (LONG64 i = 0; i < drain_count; ++i) GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0);
    drained_seconds = bench_seconds() - start;
    return 0;
}

static DWORD WINAPI drain_batches(LPVOID unused)
{
    (void)unused;
    OVERLAPPED_ENTRY entries[64];
    ULONG removed;
    double start = bench_seconds();
    for (LONG64 taken = 0; taken < drain_count; taken += removed)
        if (!GetQueuedCompletionStatusEx(port, entries, 64, &removed, 0, FALSE)) break;
    drained_seconds = bench_seconds() - start;
    return 0;
}

static double drain(LPTHREAD_START_ROUTINE consumer, double duration)
{
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    /* Fill for about a third of the time budget, then drain everything. */
    double start = bench_seconds();
    LONG64 count = 0;
    do {
        for (int i = 0; i < 1024; ++i) PostQueuedCompletionStatus(port, 1, 1, NULL);
        count += 1024;
    } while (bench_seconds() - start < duration / 3);
    drain_count = count;
    HANDLE thread = CreateThread(NULL, 0, consumer, NULL, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(port);
    return (double)count / drained_seconds / 1e6;
}

static DWORD WINAPI bouncer(LPVOID unused)
{
    (void)unused;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    while (GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE) && key != 0)
        PostQueuedCompletionStatus(port_back, 0, 1, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    double duration = bench_duration(argc, argv);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;

    /* 1. single thread */
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    /* Warm-up (the same in anchors/asio_post.cpp): first runs pay for lazy set-up. */
    for (int i = 0; i < 100000 && duration >= 0.3; ++i) {
        PostQueuedCompletionStatus(port, 1, 2, NULL);
        GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0);
    }
    double start = bench_seconds(), now;
    long operations = 0;
    do {
        for (int i = 0; i < 1000; ++i) {
            PostQueuedCompletionStatus(port, 1, 2, NULL);
            GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0);
        }
        operations += 1000;
    } while ((now = bench_seconds()) - start < duration);
    CloseHandle(port);
    bench_metric("iocp_post_get_1thread_mops", operations / (now - start) / 1e6, "mops");

    /* 2. and 3. one producer, one consumer */
    bench_metric("iocp_post_get_2thread_mops", producer_consumer(consumer_get, duration), "mops");
    bench_metric("iocp_getex64_mops", producer_consumer(consumer_getex, duration), "mops");

    /* 4. draining a full port: one at a time, then in batches */
    bench_metric("iocp_drain_get_mops", drain(drain_one_at_a_time, duration), "mops");
    bench_metric("iocp_drain_getex64_mops", drain(drain_batches, duration), "mops");

    /* 5. ping-pong between two threads through two ports */
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    port_back = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE thread = CreateThread(NULL, 0, bouncer, NULL, 0, NULL);
    enum { BATCHES = 15 };
    double per_trip[BATCHES];
    for (int b = 0; b < BATCHES; ++b) {
        long trips = 0;
        start = bench_seconds();
        do {
            PostQueuedCompletionStatus(port, 0, 1, NULL);
            GetQueuedCompletionStatus(port_back, &bytes, &key, &overlapped, INFINITE);
            ++trips;
        } while ((now = bench_seconds()) - start < duration / BATCHES);
        per_trip[b] = (now - start) / trips * 1e6;
    }
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    bench_metric("iocp_pingpong_us", bench_median(per_trip, BATCHES), "us");
    return 0;
}
