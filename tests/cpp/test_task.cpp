// test_task.cpp: ovl::task, co_spawn, sync_wait, when_all, when_any, post, sleep_for,
// run() on several threads with the port's concurrency limit.
#include "check.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;

static ovl::task<int> value(int v) { co_return v; }
static ovl::task<int> add(int a, int b) { co_return co_await value(a) + co_await value(b); }
static ovl::task<> fail() { throw std::runtime_error("boom"); co_return; }

// A long chain of tasks finishing synchronously: symmetric transfer keeps the stack flat.
static ovl::task<long> chain(int depth)
{
    long total = 0;
    for (int i = 0; i < depth; ++i) total += co_await value(1);
    co_return total;
}

static void tasks()
{
    ovl::io_context ctx(1);
    CHECK_EQ(ovl::sync_wait(ctx, add(2, 3)), 5);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__OPTIMIZE__)
    // Symmetric transfer keeps the stack flat through GCC's tail calls, which the
    // sanitizers and -O0 turn off (and -O1 does not make: tests/run-wine.sh uses -O2).
    constexpr int depth = 1000;
#else
    constexpr int depth = 1000000;
#endif
    CHECK_EQ(ovl::sync_wait(ctx, chain(depth)), depth);
    bool threw = false;
    try {
        ovl::sync_wait(ctx, fail());
    } catch (const std::runtime_error &) {
        threw = true;
    }
    CHECK(threw);
    // Lazy: nothing runs before it is awaited.
    bool ran = false;
    auto lazy = [](bool &r) -> ovl::task<> {
        r = true;
        co_return;
    }(ran);
    CHECK(!ran);
    ovl::sync_wait(ctx, std::move(lazy));
    CHECK(ran);
    // run() with nothing spawned returns at once.
    ctx.run();
    CHECK_EQ(ctx.outstanding_work(), 0);
}

static void post_and_threads()
{
    ovl::io_context ctx(2);
    std::atomic<int> done{0};
    std::atomic<DWORD> main_thread{GetCurrentThreadId()};
    std::atomic<int> on_other{0};
    for (int i = 0; i < 100; ++i)
        ovl::co_spawn(ctx, [](ovl::io_context &c, std::atomic<int> &d, std::atomic<DWORD> &m,
                              std::atomic<int> &other) -> ovl::task<> {
            for (int k = 0; k < 10; ++k) {
                co_await c.post();
                if (GetCurrentThreadId() != m.load()) other.fetch_add(1);
                // The main thread alone may drain the port before the others are
                // scheduled (a busy machine): while none has run anything, it blocks a
                // moment, which lets the port release a waiting thread (its concurrency
                // is 2) for the packets queued meanwhile.
                else if (other.load() == 0) Sleep(1);
            }
            d.fetch_add(1);
        }(ctx, done, main_thread, on_other));
    CHECK_EQ(ctx.outstanding_work(), 100); // each waits in the port: nothing ran past post
    ctx.run(3);
    CHECK_EQ(done.load(), 100);
    CHECK(on_other.load() > 0); // the extra threads took some
}

static void concurrency_limit()
{
    // A port with concurrency 1 run on 4 threads: never two coroutines running at once.
    ovl::io_context ctx(1);
    std::atomic<int> running{0}, most{0};
    for (int i = 0; i < 8; ++i)
        ovl::co_spawn(ctx, [](ovl::io_context &c, std::atomic<int> &r, std::atomic<int> &m) -> ovl::task<> {
            for (int k = 0; k < 20; ++k) {
                co_await c.post();
                int now = r.fetch_add(1) + 1;
                int seen = m.load();
                while (now > seen && !m.compare_exchange_weak(seen, now)) {
                }
                volatile unsigned spin = 0;
                for (int s = 0; s < 20000; ++s) spin = spin + 1;
                r.fetch_sub(1);
            }
        }(ctx, running, most));
    ctx.run(4);
    // Wine 8.0 ignores a port's NumberOfConcurrentThreads (tests/win32/
    // WINE_DEVIATIONS_iocp.md): there two threads may run at once now and then.
    if (ovl_test::under_wine())
        std::printf("under Wine: at most %d coroutines ran at once (the port's limit is not kept)\n", most.load());
    else
        CHECK_EQ(most.load(), 1);
}

static void sleeping()
{
    ovl::io_context ctx(1);
    auto start = std::chrono::steady_clock::now();
    ovl::sync_wait(ctx, [](ovl::io_context &c) -> ovl::task<> { co_await c.sleep_for(50ms); }(ctx));
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= 45ms);
    CHECK(waited < 2s);
    // Many sleepers at once (more than one wait thread's 63), ending in order of their times.
    std::atomic<int> woke{0};
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < 150; ++i)
        ovl::co_spawn(ctx, [](ovl::io_context &c, std::atomic<int> &w, int ms) -> ovl::task<> {
            co_await c.sleep_for(std::chrono::milliseconds(ms));
            w.fetch_add(1);
        }(ctx, woke, 10 + i % 30));
    ctx.run();
    CHECK_EQ(woke.load(), 150);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
}

static void combinators()
{
    ovl::io_context ctx(1);
    auto [a, b, c] = ovl::sync_wait(ctx, [](ovl::io_context &x) -> ovl::task<std::tuple<int, std::monostate, int>> {
        co_return co_await ovl::when_all(add(1, 2), [](ovl::io_context &y) -> ovl::task<> { co_await y.post(); }(x),
                                         value(7));
    }(ctx));
    (void)b;
    CHECK_EQ(a, 3);
    CHECK_EQ(c, 7);
    // Over a vector, and detach.
    std::vector<ovl::task<int>> many;
    for (int i = 0; i < 10; ++i) many.push_back(add(i, i));
    std::vector<int> sums = ovl::sync_wait(ctx, [](std::vector<ovl::task<int>> v) -> ovl::task<std::vector<int>> {
        co_return co_await ovl::when_all(std::move(v));
    }(std::move(many)));
    CHECK_EQ(sums.size(), 10);
    CHECK_EQ(sums[9], 18);
    int detached_ran = 0;
    ovl::detach(ctx, [](ovl::io_context &x, int &r) -> ovl::task<> {
        co_await x.post();
        r = 1;
    }(ctx, detached_ran));
    ctx.run();
    CHECK_EQ(detached_ran, 1);
    // when_all rethrows a child's exception after all ended.
    bool threw = false;
    try {
        ovl::sync_wait(ctx, [](ovl::io_context &x) -> ovl::task<> {
            co_await ovl::when_all(fail(), x.sleep_for(10ms));
        }(ctx));
    } catch (const std::runtime_error &) {
        threw = true;
    }
    CHECK(threw);
    // when_any: the short sleep wins; the long one is cancelled through the stop token.
    auto start = std::chrono::steady_clock::now();
    std::size_t index = ovl::sync_wait(ctx, [](ovl::io_context &x) -> ovl::task<std::size_t> {
        std::stop_source stop;
        auto result = co_await ovl::when_any(stop, x.sleep_for(10s, stop.get_token()),
                                             x.sleep_for(20ms, stop.get_token()));
        co_return result.index;
    }(ctx));
    CHECK_EQ(index, 1);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

// sync_wait cut short by stop(): it throws, and the coroutine it spawned stays in the
// context. Run again after restart(), that coroutine ends later: it must not write its
// result into the frame of the sync_wait call that has returned.
static ovl::task<long> slow_value(ovl::io_context &ctx)
{
    co_await ctx.sleep_for(100ms);
    co_return 0x1234567;
}
static ovl::task<> stop_soon(ovl::io_context &ctx)
{
    co_await ctx.sleep_for(10ms);
    ctx.stop();
}
[[gnu::noinline]] static bool cut_short(ovl::io_context &ctx)
{
    ovl::co_spawn(ctx, stop_soon(ctx));
    try {
        ovl::sync_wait(ctx, slow_value(ctx));
    } catch (const std::system_error &e) {
        return e.code() == std::errc::operation_canceled;
    }
    return false;
}
[[gnu::noinline]] static bool run_again_over(ovl::io_context &ctx)
{
    // Where cut_short's sync_wait frame was: a pattern that the late coroutine would spoil.
    volatile long pattern[512];
    for (auto &v : pattern) v = 0x5a5a5a5a;
    ctx.restart();
    ctx.run();
    for (auto &v : pattern)
        if (v != 0x5a5a5a5a) return false;
    return true;
}
static void stopped_sync_wait()
{
    ovl::io_context ctx(1);
    CHECK(cut_short(ctx));
    CHECK_EQ(ctx.outstanding_work(), 1); // slow_value's wrapper, asleep
    CHECK(run_again_over(ctx));
    CHECK_EQ(ctx.outstanding_work(), 0);
}

int main()
{
    tasks();
    post_and_threads();
    concurrency_limit();
    sleeping();
    combinators();
    stopped_sync_wait();
    return ovl_test::finish();
}
