/* bench_event.c: SetEvent -> waiter wake-up round trip between two threads (compare:
 * raw futex ping-pong, anchors/futex_pingpong.cpp), and an uncontended wait on a
 * signalled event. */
#include "bench_common.h"

static HANDLE ping, pong;
static volatile LONG stop;

static DWORD WINAPI responder(LPVOID unused)
{
    (void)unused;
    for (;;) {
        if (WaitForSingleObject(ping, 5000) != WAIT_OBJECT_0) return 1;
        if (InterlockedCompareExchange(&stop, 0, 0)) return 0;
        SetEvent(pong);
    }
}

int main(int argc, char **argv)
{
    double duration = bench_duration(argc, argv);
    ping = CreateEventA(NULL, FALSE, FALSE, NULL);
    pong = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, responder, NULL, 0, NULL);

    /* Round trips in batches; the median batch's mean round trip. */
    enum { BATCHES = 15 };
    double per_trip[BATCHES];
    double batch_time = duration / BATCHES;
    for (int b = 0; b < BATCHES; ++b) {
        double start = bench_seconds(), now;
        long trips = 0;
        do {
            SetEvent(ping);
            WaitForSingleObject(pong, INFINITE);
            ++trips;
        } while ((now = bench_seconds()) - start < batch_time);
        per_trip[b] = (now - start) / trips * 1e6;
    }
    InterlockedExchange(&stop, 1);
    SetEvent(ping);
    WaitForSingleObject(thread, 5000);
    bench_metric("event_roundtrip_us", bench_median(per_trip, BATCHES), "us");

    HANDLE signalled = CreateEventA(NULL, TRUE, TRUE, NULL);
    double start = bench_seconds(), now;
    long waits = 0;
    do {
        for (int i = 0; i < 1000; ++i) WaitForSingleObject(signalled, 0);
        waits += 1000;
    } while ((now = bench_seconds()) - start < duration);
    bench_metric("wait_signalled_ns", (now - start) / waits * 1e9, "ns");
    return 0;
}
