// echo_asio.cpp: the Boost.Asio anchor for bench/echo.sh. An echo server written the way
// Asio's own examples teach: one io_context run by N threads (2 by default), one session
// object per connection holding its socket and buffer, async_read_some followed by
// async_write of what was read, then the next async_read_some. Each session gives its
// completion handlers a small block of memory of its own (an associated allocator), so a
// steady connection allocates nothing per operation: the usual handler-allocation style.
//
//   echo_asio [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]
//
// Listens on 127.0.0.1:PORT (0: any free port), prints "listening on 127.0.0.1:<port>"
// when ready, and exits cleanly on SIGINT or SIGTERM (a signal_set stops the io_context)
// with a counters line (none with -q). One accept is outstanding at a time, re-armed from
// its handler; TCP_NODELAY on every connection. A session does one operation at a time,
// so its handlers never run concurrently and need no strand.
#include <utility>  // Asio 1.81's awaitable.hpp needs std::exchange without including it

#include <boost/asio.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// One block a handler at a time can live in; a larger or a second handler goes to the
// heap.
class HandlerMemory {
public:
    void* allocate(std::size_t size)
    {
        if (!in_use_ && size <= sizeof storage_) {
            in_use_ = true;
            return storage_;
        }
        return ::operator new(size);
    }
    void deallocate(void* pointer)
    {
        if (pointer == storage_) in_use_ = false;
        else ::operator delete(pointer);
    }

private:
    alignas(std::max_align_t) unsigned char storage_[512];
    bool in_use_ = false;
};

template <typename T>
class HandlerAllocator {
public:
    using value_type = T;
    explicit HandlerAllocator(HandlerMemory& memory) : memory_(&memory) {}
    template <typename U>
    HandlerAllocator(const HandlerAllocator<U>& other) noexcept : memory_(other.memory_) {}
    T* allocate(std::size_t n) { return static_cast<T*>(memory_->allocate(sizeof(T) * n)); }
    void deallocate(T* pointer, std::size_t) { memory_->deallocate(pointer); }
    template <typename U>
    bool operator==(const HandlerAllocator<U>& other) const noexcept { return memory_ == other.memory_; }
    template <typename U>
    bool operator!=(const HandlerAllocator<U>& other) const noexcept { return memory_ != other.memory_; }

private:
    template <typename>
    friend class HandlerAllocator;
    HandlerMemory* memory_;
};

// Wraps a handler so that Asio finds its allocator (associated_allocator looks for
// allocator_type and get_allocator()).
template <typename Handler>
class WithMemory {
public:
    using allocator_type = HandlerAllocator<Handler>;
    WithMemory(HandlerMemory& memory, Handler handler) : memory_(memory), handler_(std::move(handler)) {}
    allocator_type get_allocator() const noexcept { return allocator_type(memory_); }
    template <typename... Args>
    void operator()(Args&&... args)
    {
        handler_(std::forward<Args>(args)...);
    }

private:
    HandlerMemory& memory_;
    Handler handler_;
};

template <typename Handler>
WithMemory<Handler> with_memory(HandlerMemory& memory, Handler handler)
{
    return WithMemory<Handler>(memory, std::move(handler));
}

std::size_t buffer_bytes = 16384;

class Session : public std::enable_shared_from_this<Session> {
public:
    explicit Session(tcp::socket socket) : socket_(std::move(socket)), data_(new char[buffer_bytes]) {}
    void start() { read(); }

private:
    void read()
    {
        auto self = shared_from_this();
        socket_.async_read_some(asio::buffer(data_.get(), buffer_bytes),
                                with_memory(memory_, [this, self](boost::system::error_code error, std::size_t n) {
                                    if (!error) write(n);
                                }));
    }
    void write(std::size_t n)
    {
        auto self = shared_from_this();
        asio::async_write(socket_, asio::buffer(data_.get(), n),
                          with_memory(memory_, [this, self](boost::system::error_code error, std::size_t) {
                              if (!error) read();
                          }));
    }

    tcp::socket socket_;
    std::unique_ptr<char[]> data_;
    HandlerMemory memory_;
};

class Server {
public:
    Server(asio::io_context& io, unsigned short port)
        : acceptor_(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port))
    {
        accept();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    unsigned long long accepted() const { return accepted_; }

private:
    void accept()
    {
        acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
            if (!error) {
                boost::system::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                ++accepted_;
                std::make_shared<Session>(std::move(socket))->start();
            }
            accept();
        });
    }

    tcp::acceptor acceptor_;
    unsigned long long accepted_ = 0;  // only the one accept handler at a time touches it
};

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
            std::fprintf(stderr, "usage: echo_asio [-p PORT] [-t THREADS] [-b BUFFER_BYTES] [-q]\n");
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
        Server server(io, static_cast<unsigned short>(port));
        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
        std::vector<std::thread> pool;
        for (int i = 0; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
        std::printf("listening on 127.0.0.1:%u\n", server.port());
        std::fflush(stdout);
        for (auto& thread : pool) thread.join();
        if (!quiet) std::printf("echo_asio: %llu connections\n", server.accepted());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "echo_asio: %s\n", error.what());
        return 1;
    }
    return 0;
}
