// consumer.cpp: the C++20 layer (<overlapped/overlapped.hpp>) built against the INSTALLED
// package with -std=c++20: an io_context, coroutines, a post, a sleep on a waitable timer,
// a file written and read back, an error code compared with std::errc.
#include <overlapped/overlapped.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

static ovl::task<int> work(ovl::io_context &ctx, std::string path)
{
    co_await ctx.post();
    co_await ctx.sleep_for(std::chrono::milliseconds(5));
    auto f = ovl::file::create(ctx, path.c_str());
    const char text[] = "consumer";
    co_await f.write_at(0, std::as_bytes(std::span(text, 8)));
    std::byte back[8];
    std::size_t n = co_await f.read_at(0, back);
    co_return n == 8 && std::memcmp(back, text, 8) == 0 ? 0 : 1;
}

int main()
{
    ovl::io_context ctx(1);
    char dir[MAX_PATH];
    std::string path(dir, GetTempPathA(MAX_PATH, dir));
    path += "overlapped-consumer-" + std::to_string(GetCurrentProcessId());
    int rc = ovl::sync_wait(ctx, work(ctx, path));
    DeleteFileA(path.c_str());
    std::error_code ec;
    ovl::file::open_read(ctx, (path + "-missing").c_str(), ec);
    if (rc != 0 || ec != std::errc::no_such_file_or_directory) return 1;
    std::printf("consumer ok (C++20 layer)\n");
    return 0;
}
