// test_raii.cpp: the owning types are move-only and close their handle exactly once
// (sockets with closesocket); moved objects stay bound to their io_context.
#include "check.hpp"

#include <type_traits>

static bool closed(HANDLE h)
{
    DWORD flags = 0;
    SetLastError(0);
    return !GetHandleInformation(h, &flags) && GetLastError() == ERROR_INVALID_HANDLE;
}

static bool socket_closed(SOCKET s)
{
    int type = 0;
    int length = sizeof(type);
    return getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &length) != 0 &&
           WSAGetLastError() == WSAENOTSOCK;
}

int main()
{
    static_assert(!std::is_copy_constructible_v<ovl::handle> && std::is_nothrow_move_constructible_v<ovl::handle>);
    static_assert(!std::is_copy_constructible_v<ovl::file> && std::is_move_constructible_v<ovl::file>);
    static_assert(!std::is_copy_constructible_v<ovl::socket> && !std::is_copy_assignable_v<ovl::acceptor>);
    static_assert(!std::is_copy_constructible_v<ovl::pipe_server> && !std::is_copy_constructible_v<ovl::pipe_client>);
    static_assert(!std::is_copy_constructible_v<ovl::directory> && !std::is_copy_constructible_v<ovl::port>);
    static_assert(!std::is_copy_constructible_v<ovl::event> && !std::is_copy_constructible_v<ovl::waitable_timer>);
    static_assert(!std::is_copy_constructible_v<ovl::task<int>> && !std::is_copy_constructible_v<ovl::io_context>);

    // handle / event: moved, closed once by the last owner.
    HANDLE raw;
    {
        auto e = ovl::event::create(true, false);
        raw = e.get();
        ovl::event moved = std::move(e);
        CHECK(!e);
        CHECK(moved.get() == raw);
        CHECK(!closed(raw));
        ovl::event other;
        other = std::move(moved);
        CHECK(!closed(raw));
    }
    CHECK(closed(raw));
    {
        ovl::handle h(CreateEventW(nullptr, FALSE, FALSE, nullptr));
        raw = h.get();
        std::error_code ec;
        h.close(ec);
        CHECK(!ec);
        CHECK(closed(raw));
        h.close(ec); // nothing left: no second CloseHandle
        CHECK(!ec);
        CHECK(!h);
    }
    {
        // Move-assignment closes the old handle.
        auto a = ovl::waitable_timer::create(true);
        auto b = ovl::waitable_timer::create(true);
        HANDLE old = a.get();
        a = std::move(b);
        CHECK(closed(old));
        auto p = ovl::port::create(1);
        raw = p.get();
        HANDLE released = p.release();
        CHECK(released == raw && !p);
        CHECK(!closed(raw));
        CloseHandle(released);
    }
    // A socket that outlives the only io_context: the context's WSACleanup, the process's
    // last, would destroy every socket (as on Windows), leaving the object a dead value
    // that a later socket may reuse. It must stay a working socket until the object
    // closes it.
    {
        ovl::socket s;
        {
            ovl::io_context only(1);
            s = ovl::socket::udp(only);
        }
        CHECK(s.is_open() && s.context() == nullptr);
        std::error_code ec;
        s.bind(ovl::endpoint::loopback(0), ec);
        CHECK(!ec);
        CHECK(s.local_endpoint(ec).port() != 0);
        CHECK(!ec);
        SOCKET raw = s.native_socket();
        WSADATA data;
        CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0); // the test's own, to look after the close
        s.close();
        CHECK(socket_closed(raw));
        WSACleanup();
        // The object's hold on Winsock went with it: no socket call works now.
        CHECK(socket(AF_INET, SOCK_DGRAM, 0) == INVALID_SOCKET);
        CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);
    }
    ovl::io_context ctx(1);
    // A socket closes with closesocket, once; moved, it stays bound to the context.
    SOCKET raw_socket;
    {
        auto s = ovl::socket::udp(ctx);
        raw_socket = s.native_socket();
        CHECK(!socket_closed(raw_socket));
        ovl::socket t(std::move(s));
        CHECK(!s.is_open());
        CHECK(t.context() == &ctx);
        t.bind(ovl::endpoint::loopback(0));
        // Works after the move: a datagram to itself.
        ovl::endpoint self = t.local_endpoint();
        auto talk = [](ovl::socket &u, ovl::endpoint to) -> ovl::task<std::size_t> {
            co_await u.send_to(std::as_bytes(std::span("m", 1)), to);
            std::byte b[8];
            ovl::endpoint from;
            co_return co_await u.recv_from(b, from);
        };
        CHECK_EQ(ovl::sync_wait(ctx, talk(t, self)), 1);
    }
    CHECK(socket_closed(raw_socket));
    // A file moved twice, then closed explicitly; the destructor does nothing more.
    std::string path = ovl_test::temp_path("ovl-raii");
    {
        auto f = ovl::file::create(ctx, path.c_str());
        raw = f.native_handle();
        ovl::file g = std::move(f);
        ovl::file h;
        h = std::move(g);
        CHECK(h.native_handle() == raw && !f.is_open() && !g.is_open());
        CHECK_EQ(ovl::sync_wait(ctx, h.write_at(0, std::as_bytes(std::span("abc", 3)))), 3);
        h.close();
        CHECK(closed(raw));
        CHECK(!h.is_open());
    }
    DeleteFileA(path.c_str());
    // A socket moved while its connect is in flight: the connect still ends well
    // (SO_UPDATE_CONNECT_CONTEXT goes to the socket, not to the moved-from object), and
    // the new owner is connected. Every completion goes through the port here, so the
    // move surely comes between the start of the request and its end.
    {
        ovl::io_context through_port(1);
        through_port.set_skip_on_success(false);
        auto listener = ovl::acceptor::listen(through_port, ovl::endpoint::loopback(0));
        auto accepted = ovl::socket::tcp(through_port);
        auto s = ovl::socket::tcp(through_port);
        std::error_code connect_ec = make_error_code(std::errc::interrupted), accept_ec = connect_ec;
        auto connect = [](ovl::socket &c, ovl::endpoint to, std::error_code &ec) -> ovl::task<> {
            co_await c.connect(to, ec);
        };
        auto accept = [](ovl::acceptor &l, ovl::socket &into, std::error_code &ec) -> ovl::task<> {
            co_await l.accept(into, ec);
        };
        ovl::endpoint where = listener.local_endpoint();
        ovl::co_spawn(through_port, accept(listener, accepted, accept_ec));
        ovl::co_spawn(through_port, connect(s, where, connect_ec));
        ovl::socket moved(std::move(s));
        through_port.run();
        CHECK(!accept_ec);
        CHECK(!connect_ec);
        CHECK_EQ(moved.remote_endpoint().port(), where.port());
    }
    // An object that outlives its context keeps its handle, and closes it later.
    {
        ovl::socket s;
        {
            ovl::io_context short_lived(1);
            s = ovl::socket::tcp(short_lived);
            raw_socket = s.native_socket();
        }
        CHECK(s.context() == nullptr);
        CHECK(!socket_closed(raw_socket));
    }
    CHECK(socket_closed(raw_socket));
    return ovl_test::finish();
}
