// test_shutdown.cpp: destroying an io_context with work pending cancels every request,
// waits for each to end, and destroys every coroutine frame exactly once.
#include "check.hpp"

#include <atomic>

using namespace std::chrono_literals;

static std::atomic<int> made{0}, destroyed{0};
struct tracker {
    tracker() { made.fetch_add(1); }
    tracker(const tracker &) = delete;
    ~tracker() { destroyed.fetch_add(1); }
};

static ovl::task<> child_recv(ovl::socket &s)
{
    tracker t;
    std::byte buffer[64];
    co_await s.recv(buffer); // never completes: the peer sends nothing
}

static ovl::task<> parent(ovl::io_context &ctx, ovl::socket &a, ovl::socket &b)
{
    tracker t;
    co_await ovl::when_all(child_recv(a), child_recv(b), ctx.sleep_for(1h));
}

static ovl::task<> waiter(ovl::io_context &ctx, HANDLE event)
{
    tracker t;
    co_await ctx.wait(event);
}

static ovl::task<> poster(ovl::io_context &ctx)
{
    tracker t;
    for (;;) co_await ctx.post(); // always a packet in the port
}

static ovl::task<> owner_of_sockets(ovl::io_context &ctx)
{
    tracker t;
    auto listener = ovl::acceptor::listen(ctx, ovl::endpoint::loopback(0));
    auto accepted = ovl::socket::tcp(ctx);
    auto client = ovl::socket::tcp(ctx);
    co_await ovl::when_all(listener.accept(accepted), client.connect(listener.local_endpoint()));
    co_await parent(ctx, accepted, client);
}

static ovl::task<> pending_accept(ovl::io_context &ctx)
{
    tracker t;
    auto listener = ovl::acceptor::listen(ctx, ovl::endpoint::loopback(0));
    auto into = ovl::socket::tcp(ctx);
    co_await listener.accept(into);
}

// Stops once every coroutine has started (the sockets' accept and connect may take a
// while on a loaded machine), or after 10 s, when the frame count below fails.
static ovl::task<> stopper(ovl::io_context &ctx)
{
    co_await ctx.sleep_for(20ms);
    for (int i = 0; i < 1000 && made.load() < 4 + 21 + 1 + 1; ++i) co_await ctx.sleep_for(10ms);
    ctx.stop();
}

int main()
{
    auto never = ovl::event::create(true, false);
    for (int round = 0; round < 3; ++round) {
        made = 0;
        destroyed = 0;
        {
            ovl::io_context ctx(2);
            ovl::co_spawn(ctx, owner_of_sockets(ctx));
            ovl::co_spawn(ctx, waiter(ctx, never.get()));
            ovl::co_spawn(ctx, poster(ctx));
            ovl::co_spawn(ctx, pending_accept(ctx));
            for (int i = 0; i < 20; ++i) ovl::co_spawn(ctx, waiter(ctx, never.get()));
            ovl::co_spawn(ctx, stopper(ctx));
            ctx.run(2);
            CHECK(ctx.stopped());
            CHECK_EQ(ctx.outstanding_work(), 24);
        } // ~io_context: cancel, drain, destroy
        CHECK_EQ(made.load(), 4 + 21 + 1 + 1); // owner, parent, 2 children; 21 waiters; poster; accept
        CHECK_EQ(destroyed.load(), made.load());
    }
    return ovl_test::finish();
}
