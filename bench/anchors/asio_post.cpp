// asio_post.cpp: the throughput anchor. Boost.Asio's io_context doing the same work as
// bench_iocp.c, shaped the same way:
//   asio_post_run_one_1thread_mops  post a trivial handler, then run_one, repeated
//                                   (bench_iocp: Post then Get on one thread)
//   asio_repost_1thread_mops        a handler that posts the next one from inside run():
//                                   Asio's best case, where its recycling allocator
//                                   serves every operation (posts from outside run()
//                                   go to malloc). bench/run.sh compares against the
//                                   faster of the two.
//   asio_post_run_2thread_mops      one thread posts freely, another runs the handlers
//                                   (bench_iocp: one producer, one consumer in Get)
//   asio_post_pool2_mops            one thread posts trivial handlers to an io_context
//                                   run by two threads; timed until all have run
//                                   (bench_tpwork.c: SubmitThreadpoolWork on the pool)
#include <utility>  // Asio 1.81's awaitable.hpp needs std::exchange without including it

#include <boost/asio.hpp>
#include <atomic>
#include <thread>

#include "anchor_common.h"

int main(int argc, char** argv)
{
    double duration = anchor_duration(argc, argv);
    {
        boost::asio::io_context io;
        long handled = 0, operations = 0;
        // Warm-up (the same in bench_iocp.c): first runs pay for lazy set-up.
        for (int i = 0; i < 100000; ++i) {
            boost::asio::post(io, [&handled] { ++handled; });
            io.run_one();
        }
        double start = anchor_seconds(), now;
        do {
            for (int i = 0; i < 1000; ++i) {
                boost::asio::post(io, [&handled] { ++handled; });
                io.run_one();
            }
            operations += 1000;
        } while ((now = anchor_seconds()) - start < duration);
        anchor_metric("asio_post_run_one_1thread_mops", operations / (now - start) / 1e6, "mops");
    }
    {
        boost::asio::io_context io;
        struct Repost {
            boost::asio::io_context* io;
            long* remaining;
            void operator()() const
            {
                if (--*remaining > 0) boost::asio::post(*io, *this);
            }
        };
        long warm = 100000;
        boost::asio::post(io, Repost{&io, &warm});
        io.run();
        io.restart();
        // Count handlers in chunks until the time is up.
        long operations = 0;
        double start = anchor_seconds(), now;
        do {
            long remaining = 100000;
            boost::asio::post(io, Repost{&io, &remaining});
            io.run();
            io.restart();
            operations += 100000;
        } while ((now = anchor_seconds()) - start < duration);
        anchor_metric("asio_repost_1thread_mops", operations / (now - start) / 1e6, "mops");
    }
    {
        boost::asio::io_context io;
        auto guard = boost::asio::make_work_guard(io);
        long handled = 0;
        std::thread runner([&io] { io.run(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        double start = anchor_seconds();
        do {
            for (int i = 0; i < 256; ++i) boost::asio::post(io, [&handled] { ++handled; });
        } while (anchor_seconds() - start < duration);
        guard.reset();
        runner.join();
        double elapsed = anchor_seconds() - start;
        anchor_metric("asio_post_run_2thread_mops", handled / elapsed / 1e6, "mops");
    }
    {
        boost::asio::io_context io;
        auto guard = boost::asio::make_work_guard(io);
        std::atomic<long> handled{0};
        std::thread runners[2];
        for (auto& runner : runners) runner = std::thread([&io] { io.run(); });
        // Warm-up, as bench_tpwork.c.
        for (int i = 0; i < 100000; ++i)
            boost::asio::post(io, [&handled] { handled.fetch_add(1, std::memory_order_relaxed); });
        while (handled.load() < 100000) std::this_thread::yield();
        long posted = 0;
        double start = anchor_seconds();
        do {
            for (int i = 0; i < 1024; ++i)
                boost::asio::post(io, [&handled] { handled.fetch_add(1, std::memory_order_relaxed); });
            posted += 1024;
        } while (anchor_seconds() - start < duration);
        guard.reset();
        for (auto& runner : runners) runner.join();  // run() returns when all have run
        double elapsed = anchor_seconds() - start;
        anchor_metric("asio_post_pool2_mops", posted / elapsed / 1e6, "mops");
    }
    return 0;
}
