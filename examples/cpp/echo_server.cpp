// echo_server.cpp: the IOCP echo server of examples/echo_server as C++20 coroutines over
// <overlapped/overlapped.hpp>. Same command line, same output:
//
//   echo_server [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-n] [-q]
//
//   -p PORT             port on 127.0.0.1 (default 5000; 0 picks a free one)
//   -t THREADS          threads running the io_context (default: one per processor)
//   -a PENDING_ACCEPTS  accept loops, each with one AcceptEx waiting (default 16)
//   -n                  no FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: every completion goes
//                       through the port
//   -q                  quiet: no message per connection
//
// It prints "listening on 127.0.0.1:<port>" when ready. Ctrl-C (SIGINT) stops it: the
// io_context stops, and destroying it cancels every request and destroys every
// connection's coroutine; then it prints "connections <n>, requests <n>, bytes <n>" and
// returns 0. A connection is one coroutine with its 16 KiB buffer in its frame: one
// allocation per connection, none per request.
#include <overlapped/overlapped.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static std::atomic<unsigned long long> connections{0}, requests{0}, bytes{0};
static bool quiet = false;
static HANDLE stop_event;

static BOOL WINAPI on_console_event(DWORD) { return SetEvent(stop_event); }

static ovl::task<> serve(ovl::socket s)
{
    // Counted into the totals when the frame goes, also when the io_context destroys it.
    struct counts {
        unsigned long long requests = 0, bytes = 0;
        ~counts()
        {
            ::requests.fetch_add(requests, std::memory_order_relaxed);
            ::bytes.fetch_add(bytes, std::memory_order_relaxed);
        }
    } mine;
    std::byte buffer[16 * 1024];
    std::error_code ec;
    for (;;) {
        std::size_t n = co_await s.recv(buffer, ec);
        if (ec || n == 0) break;
        ++mine.requests;
        mine.bytes += n;
        co_await s.send(std::span<const std::byte>(buffer, n), ec);
        if (ec) break;
    }
    if (!quiet) std::printf("connection closed (%s), %llu requests\n", ec ? ec.message().c_str() : "by the peer",
                            mine.requests);
}

static ovl::task<> accept_loop(ovl::io_context &ctx, ovl::acceptor &listener)
{
    for (;;) {
        auto s = ovl::socket::tcp(ctx);
        std::error_code ec;
        co_await listener.accept(s, ec);
        if (ec) {
            if (ec == std::errc::operation_canceled) co_return;
            std::fprintf(stderr, "echo_server: AcceptEx: %s\n", ec.message().c_str());
            continue;
        }
        s.set_no_delay(true); // as the C server: each echo leaves at once
        connections.fetch_add(1, std::memory_order_relaxed);
        if (!quiet) std::printf("127.0.0.1:%u connected\n", s.remote_endpoint().port());
        ovl::co_spawn(ctx, serve(std::move(s)));
    }
}

static ovl::task<> stop_on_ctrl_c(ovl::io_context &ctx)
{
    co_await ctx.wait(stop_event);
    ctx.stop();
}

static unsigned long number(int argc, char **argv, int &i, unsigned long low, unsigned long high)
{
    char *end = nullptr;
    unsigned long value = i + 1 < argc ? std::strtoul(argv[++i], &end, 10) : 0;
    if (end == nullptr || *end != '\0' || value < low || value > high) {
        std::fprintf(stderr, "echo_server: %s: expected a number from %lu to %lu\n", argv[i - 1], low, high);
        std::exit(2);
    }
    return value;
}

int main(int argc, char **argv)
{
    unsigned port = 5000, threads = 0, pending_accepts = 16;
    bool skip = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-p") == 0) port = number(argc, argv, i, 0, 65535);
        else if (std::strcmp(argv[i], "-t") == 0) threads = number(argc, argv, i, 1, 256);
        else if (std::strcmp(argv[i], "-a") == 0) pending_accepts = number(argc, argv, i, 1, 4096);
        else if (std::strcmp(argv[i], "-n") == 0) skip = false;
        else if (std::strcmp(argv[i], "-q") == 0) quiet = true;
        else {
            std::fprintf(stderr, "usage: echo_server [-p PORT] [-t THREADS] [-a PENDING_ACCEPTS] [-n] [-q]\n");
            return 2;
        }
    }
    if (threads == 0) {
        SYSTEM_INFO info;
        GetSystemInfo(&info);
        threads = info.dwNumberOfProcessors;
    }
    try {
        stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
        if (stop_event == nullptr || !SetConsoleCtrlHandler(on_console_event, TRUE))
            throw std::system_error(ovl::last_error(), "SetConsoleCtrlHandler");
        {
            ovl::io_context ctx(threads);
            ctx.set_skip_on_success(skip);
            auto listener = ovl::acceptor::listen(ctx, ovl::endpoint::loopback(static_cast<unsigned short>(port)));
            std::printf("listening on 127.0.0.1:%u\n", listener.local_endpoint().port());
            std::fflush(stdout);
            for (unsigned i = 0; i < pending_accepts; ++i) ovl::co_spawn(ctx, accept_loop(ctx, listener));
            ovl::co_spawn(ctx, stop_on_ctrl_c(ctx));
            ctx.run(threads);
            listener.close();
        } // cancels, drains and destroys every connection
        std::printf("connections %llu, requests %llu, bytes %llu\n", connections.load(), requests.load(),
                    bytes.load());
        return 0;
    } catch (const std::system_error &error) {
        std::fprintf(stderr, "echo_server: %s\n", error.what());
        return 1;
    }
}
