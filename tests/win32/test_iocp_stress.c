/* test_iocp_stress.c: many producers and consumers on one port; nothing lost, nothing
 * duplicated, per-producer order kept.
 *
 * PRODUCERS threads each post their share of the packets (key = producer id,
 * OVERLAPPED* = sequence number + 1 cast to a pointer and never dereferenced,
 * bytes = a checksum of both). CONSUMERS threads take them, half with
 * GetQueuedCompletionStatusEx in batches, half with GetQueuedCompletionStatus. Every
 * packet is marked in a bitmap with an interlocked OR: a bit already set is a duplicate,
 * a bit never set is a loss. Each consumer checks that the sequence numbers it sees from
 * one producer only increase (the queue is FIFO, so this holds for any one consumer).
 * A second phase with a single consumer checks the stricter property that each
 * producer's packets arrive exactly in sequence, with no gaps.
 * Consumers stop on a STOP packet, posted once per consumer after all producers finish.
 *
 * Packet totals (first phase; the two single-consumer phases take a quarter each):
 * 600000 on our library (900000 in all), 20000 under Wine (Wine manages about 16k
 * packets/s); OVERLAPPED_STRESS_PACKETS=<n> overrides the total of the first phase. */
#include "testlib.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define STOP_KEY ((ULONG_PTR)0x5709)
#define BATCH 64
#define WAIT_LIMIT_MS 60000

static HANDLE port;
static ULONG per_producer;
static volatile LONG *seen_bits;
static volatile LONG duplicates, out_of_range, bad_checksum, order_errors, get_failures;
static volatile LONG received_total, post_failures, gaps;
static int strict_order;   /* single-consumer phase: seq must be last + 1 */
static int first_uses_ex;  /* consumer c uses Ex when (c + first_uses_ex) is odd */

static DWORD checksum(ULONG producer, ULONG seq)
{
    return (DWORD)(seq * 2654435761u + producer * 40503u + 1u);
}

static DWORD WINAPI producer_main(LPVOID arg)
{
    ULONG id = (ULONG)(ULONG_PTR)arg;
    ULONG seq;
    for (seq = 0; seq < per_producer; seq++) {
        if (!PostQueuedCompletionStatus(port, checksum(id, seq), (ULONG_PTR)id,
                                        (LPOVERLAPPED)(ULONG_PTR)(seq + 1))) {
            InterlockedIncrement((LONG *)&post_failures);
            return 1;
        }
    }
    return 0;
}

/* Checks and records one packet; returns 1 if it was a STOP. */
static int take(ULONG_PTR key, DWORD bytes, LPOVERLAPPED ov, LONG *last_seq)
{
    ULONG seq, bit;
    LONG old;

    if (key == STOP_KEY)
        return 1;
    if (key >= PRODUCERS || ov == NULL || (ULONG_PTR)ov > per_producer) {
        InterlockedIncrement((LONG *)&out_of_range);
        return 0;
    }
    seq = (ULONG)((ULONG_PTR)ov - 1);
    if (bytes != checksum((ULONG)key, seq))
        InterlockedIncrement((LONG *)&bad_checksum);
    if ((LONG)seq <= last_seq[key])
        InterlockedIncrement((LONG *)&order_errors);
    if (strict_order && (LONG)seq != last_seq[key] + 1)
        InterlockedIncrement((LONG *)&gaps);
    last_seq[key] = (LONG)seq;

    bit = (ULONG)key * per_producer + seq;
    old = InterlockedOr((LONG *)&seen_bits[bit / 32], (LONG)(1u << (bit % 32)));
    if (old & (LONG)(1u << (bit % 32)))
        InterlockedIncrement((LONG *)&duplicates);
    InterlockedIncrement((LONG *)&received_total);
    return 0;
}

static DWORD WINAPI consumer_main(LPVOID arg)
{
    int use_ex = (int)(ULONG_PTR)arg;
    LONG last_seq[PRODUCERS];
    int i;

    for (i = 0; i < PRODUCERS; i++)
        last_seq[i] = -1;
    for (;;) {
        if (use_ex) {
            OVERLAPPED_ENTRY entries[BATCH];
            ULONG n = 0, j, stops = 0;
            if (!GetQueuedCompletionStatusEx(port, entries, BATCH, &n, WAIT_LIMIT_MS, FALSE)) {
                InterlockedIncrement((LONG *)&get_failures);
                return 1;
            }
            for (j = 0; j < n; j++)
                stops += (ULONG)take(entries[j].lpCompletionKey, entries[j].dwNumberOfBytesTransferred,
                                     entries[j].lpOverlapped, last_seq);
            if (stops > 0) {
                /* Keep one STOP; the others belong to other consumers. */
                for (j = 1; j < stops; j++)
                    if (!PostQueuedCompletionStatus(port, 0, STOP_KEY, NULL))
                        InterlockedIncrement((LONG *)&post_failures);
                return 0;
            }
        } else {
            DWORD bytes = 0;
            ULONG_PTR key = 0;
            LPOVERLAPPED ov = NULL;
            if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, WAIT_LIMIT_MS)) {
                InterlockedIncrement((LONG *)&get_failures);
                return 1;
            }
            if (take(key, bytes, ov, last_seq))
                return 0;
        }
    }
}

static void run_phase(ULONG total, int consumers)
{
    HANDLE producers[PRODUCERS], cons[CONSUMERS];
    ULONG words, i, missing = 0;
    int p, c;
    ULONGLONG start = GetTickCount64(), ms;

    per_producer = total / PRODUCERS;
    if (per_producer == 0)
        per_producer = 1;
    words = (PRODUCERS * per_producer + 31) / 32;
    seen_bits = HeapAlloc(GetProcessHeap(), 0, words * sizeof(LONG));
    CHECK(seen_bits != NULL);
    if (seen_bits == NULL)
        return;
    memset((void *)seen_bits, 0, words * sizeof(LONG));
    duplicates = out_of_range = bad_checksum = order_errors = get_failures = 0;
    received_total = post_failures = gaps = 0;

    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);

    for (c = 0; c < consumers; c++) {
        cons[c] = CreateThread(NULL, 0, consumer_main, (LPVOID)(ULONG_PTR)((c + first_uses_ex) % 2), 0, NULL);
        CHECK(cons[c] != NULL);
    }
    for (p = 0; p < PRODUCERS; p++) {
        producers[p] = CreateThread(NULL, 0, producer_main, (LPVOID)(ULONG_PTR)p, 0, NULL);
        CHECK(producers[p] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(PRODUCERS, producers, TRUE, WAIT_LIMIT_MS), WAIT_OBJECT_0);
    for (c = 0; c < consumers; c++)
        CHECK(PostQueuedCompletionStatus(port, 0, STOP_KEY, NULL));
    CHECK_EQ(WaitForMultipleObjects((DWORD)consumers, cons, TRUE, WAIT_LIMIT_MS), WAIT_OBJECT_0);
    ms = GetTickCount64() - start;

    for (i = 0; i < PRODUCERS * per_producer; i++)
        if (!(seen_bits[i / 32] & (LONG)(1u << (i % 32))))
            missing++;
    printf("   %lu packets, %d producers, %d consumers: %lu ms\n",
           (unsigned long)(PRODUCERS * per_producer), PRODUCERS, consumers, (unsigned long)ms);

    CHECK_EQ(post_failures, 0);
    CHECK_EQ(get_failures, 0);
    CHECK_EQ(out_of_range, 0);
    CHECK_EQ(bad_checksum, 0);
    CHECK_EQ(duplicates, 0);
    CHECK_EQ(missing, 0);
    CHECK_EQ(received_total, PRODUCERS * per_producer);
    CHECK_EQ(order_errors, 0);
    CHECK_EQ(gaps, 0);
    /* All STOPs were consumed, one per consumer: the port is empty. */
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_TIMEOUT);

    for (p = 0; p < PRODUCERS; p++)
        CHECK(CloseHandle(producers[p]));
    for (c = 0; c < consumers; c++)
        CHECK(CloseHandle(cons[c]));
    CHECK(CloseHandle(port));
    CHECK(HeapFree(GetProcessHeap(), 0, (void *)seen_bits));
}

int main(void)
{
    ULONG total = tl_under_wine() ? 20000 : 600000;
    const char *env = getenv("OVERLAPPED_STRESS_PACKETS");

    if (env != NULL && env[0] != '\0')
        total = (ULONG)strtoul(env, NULL, 10);
    if (total < PRODUCERS)
        total = PRODUCERS;

    TEST("stress: 4 producers, 4 consumers (2 Ex, 2 Get): each packet exactly once, in order per consumer");
    strict_order = 0;
    first_uses_ex = 0;
    run_phase(total, CONSUMERS);

    TEST("stress: 4 producers, 1 Get consumer: each producer's packets arrive in sequence, no gaps");
    strict_order = 1;
    first_uses_ex = 0;
    run_phase(total / 4, 1);

    TEST("stress: 4 producers, 1 Ex consumer: each producer's packets arrive in sequence, no gaps");
    strict_order = 1;
    first_uses_ex = 1;
    run_phase(total / 4, 1);

    return tl_finish();
}
