// test_wait.cpp: co_await ctx.wait(h) on events, a semaphore, a thread, an abandoned mutex,
// a waitable_timer, and more waits than one wait thread holds.
#include "check.hpp"

#include <atomic>
#include <vector>

using namespace std::chrono_literals;

static DWORD WINAPI set_later(LPVOID event)
{
    Sleep(30);
    SetEvent(static_cast<HANDLE>(event));
    return 7;
}

static DWORD WINAPI take_and_leave(LPVOID mutex)
{
    WaitForSingleObject(static_cast<HANDLE>(mutex), INFINITE);
    return 0; // exits owning it: abandoned
}

static ovl::task<> waits(ovl::io_context &ctx)
{
    auto event = ovl::event::create(false, false);
    HANDLE thread = CreateThread(nullptr, 0, set_later, event.get(), 0, nullptr);
    CHECK_EQ(co_await ctx.wait(event), WAIT_OBJECT_0);
    CHECK_EQ(co_await ctx.wait(thread), WAIT_OBJECT_0);
    DWORD code = 0;
    GetExitCodeThread(thread, &code);
    CHECK_EQ(code, 7);
    CloseHandle(thread);
    // An auto-reset event: the wait consumed the signal.
    CHECK_EQ(WaitForSingleObject(event.get(), 0), WAIT_TIMEOUT);
    // A signalled semaphore: at once through the wait thread.
    ovl::handle semaphore(CreateSemaphoreW(nullptr, 1, 1, nullptr));
    CHECK_EQ(co_await ctx.wait(semaphore), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore.get(), 0), WAIT_TIMEOUT);
    // An abandoned mutex.
    ovl::handle mutex(CreateMutexW(nullptr, FALSE, nullptr));
    HANDLE taker = CreateThread(nullptr, 0, take_and_leave, mutex.get(), 0, nullptr);
    WaitForSingleObject(taker, 5000);
    CloseHandle(taker);
    CHECK_EQ(co_await ctx.wait(mutex), WAIT_ABANDONED_0);
    ReleaseMutex(mutex.get());
    // A waitable timer of one's own.
    auto timer = ovl::waitable_timer::create(true);
    timer.set(20ms, 0ms);
    CHECK_EQ(co_await ctx.wait(timer), WAIT_OBJECT_0);
    // An invalid handle fails its own wait only.
    std::error_code ec;
    co_await ctx.wait(reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(0x7ffffff0)), ec);
    CHECK(ec == std::errc::bad_file_descriptor);
}

static ovl::task<> many_waiter(ovl::io_context &ctx, HANDLE event, std::atomic<int> &woke)
{
    co_await ctx.wait(event);
    woke.fetch_add(1);
}

int main()
{
    ovl::io_context ctx(2);
    ovl::sync_wait(ctx, waits(ctx));
    // 200 waits on one manual-reset event: four wait threads serve them.
    auto gate = ovl::event::create(true, false);
    std::atomic<int> woke{0};
    for (int i = 0; i < 200; ++i) ovl::co_spawn(ctx, many_waiter(ctx, gate.get(), woke));
    CHECK_EQ(woke.load(), 0);
    gate.set();
    ctx.run(2);
    CHECK_EQ(woke.load(), 200);
    return ovl_test::finish();
}
