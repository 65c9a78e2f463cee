// futex_pingpong.cpp: the latency anchor. Two threads hand a token back and forth with
// raw futex(2) WAIT/WAKE on two words, no spinning: the cost of a blocking hand-off
// on this machine. Compare: bench_event's event_roundtrip_us, bench_iocp's
// iocp_pingpong_us.
#include <atomic>
#include <cstdint>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include "anchor_common.h"

static void wait_for(std::atomic<uint32_t>& word, uint32_t value)
{
    for (;;) {
        uint32_t seen = word.load(std::memory_order_acquire);
        if (seen == value) return;
        syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
    }
}

static void set_and_wake(std::atomic<uint32_t>& word, uint32_t value)
{
    word.store(value, std::memory_order_release);
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

int main(int argc, char** argv)
{
    double duration = anchor_duration(argc, argv);
    std::atomic<uint32_t> ping{0}, pong{0};
    std::atomic<bool> stop{false};
    std::thread responder([&] {
        for (uint32_t i = 1;; ++i) {
            wait_for(ping, i);
            if (stop.load()) return;
            set_and_wake(pong, i);
        }
    });
    std::vector<double> per_trip;
    uint32_t sequence = 0;
    for (int batch = 0; batch < 15; ++batch) {
        double start = anchor_seconds(), now;
        long trips = 0;
        do {
            ++sequence;
            set_and_wake(ping, sequence);
            wait_for(pong, sequence);
            ++trips;
        } while ((now = anchor_seconds()) - start < duration / 15);
        per_trip.push_back((now - start) / trips * 1e6);
    }
    stop = true;
    set_and_wake(ping, sequence + 1);
    responder.join();
    anchor_metric("futex_roundtrip_us", anchor_median(per_trip), "us");
    return 0;
}
