// echo_asio_coro.cpp: the Boost.Asio C++20-coroutine anchor for bench/echo.sh, the one the
// coroutine layer (examples/cpp/echo_server.cpp) is compared with. An echo server written
// the way Asio's own C++20 examples teach (asio/example/cpp20/coroutines/echo_server.cpp):
// one io_context run by N threads (2 by default), a listener coroutine that co_awaits
// async_accept and co_spawns a session coroutine per connection, and a session that loops
// co_await async_read_some then co_await async_write of what was read, with
// use_awaitable. Asio's awaitable frames come from its per-thread recycling allocator, so
// a steady connection allocates (almost) nothing per operation: Asio at its best, with no
// hand-written allocator of ours.
//
//   echo_asio_coro [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]
//
// Listens on 127.0.0.1:PORT (0: any free port), prints "listening on 127.0.0.1:<port>"
// when ready, and exits cleanly on SIGINT or SIGTERM (a signal_set stops the io_context)
// with a counters line (none with -q). TCP_NODELAY on every connection, as in echo_asio.
#include <utility>  // Asio 1.81's awaitable.hpp needs std::exchange without including it

#include <boost/asio.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

std::size_t buffer_bytes = 16384;
std::atomic<unsigned long long> accepted{0};

awaitable<void> session(tcp::socket socket)
{
    std::unique_ptr<char[]> data(new char[buffer_bytes]);
    try {
        for (;;) {
            std::size_t n = co_await socket.async_read_some(asio::buffer(data.get(), buffer_bytes), use_awaitable);
            co_await asio::async_write(socket, asio::buffer(data.get(), n), use_awaitable);
        }
    } catch (const std::exception&) {
        // The peer closed or reset the connection, or the server is stopping.
    }
}

awaitable<void> listener(tcp::acceptor& acceptor)
{
    for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        accepted.fetch_add(1, std::memory_order_relaxed);
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    int port = 0, threads = 2, option;
    bool quiet = false;
    while ((option = getopt(argc, argv, "p:t:b:q")) != -1) {
        switch (option) {
        case 'p': port = std::atoi(optarg); break;
        case 't': threads = std::atoi(optarg); break;
        case 'b': buffer_bytes = std::strtoul(optarg, nullptr, 10); break;
        case 'q': quiet = true; break;
        default:
            std::fprintf(stderr, "usage: echo_asio_coro [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]\n");
            return 2;
        }
    }
    if (threads < 1 || buffer_bytes < 1) return 2;

    rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    try {
        asio::io_context io(threads);
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"),
                                                 static_cast<unsigned short>(port)));
        asio::co_spawn(io, listener(acceptor), asio::detached);
        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
        std::vector<std::thread> pool;
        for (int i = 0; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
        std::printf("listening on 127.0.0.1:%u\n", acceptor.local_endpoint().port());
        std::fflush(stdout);
        for (auto& thread : pool) thread.join();
        if (!quiet) std::printf("echo_asio_coro: %llu connections\n", accepted.load());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "echo_asio_coro: %s\n", error.what());
        return 1;
    }
    return 0;
}
