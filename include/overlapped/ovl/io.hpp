// ovl/io.hpp: the objects bound to an io_context (file, directory, pipe_server,
// pipe_client, socket, acceptor) and an awaitable for each overlapped operation
// (docs/cpp.md "Awaitables").
#ifndef OVERLAPPED_OVL_IO_HPP
#define OVERLAPPED_OVL_IO_HPP

#include "io_context.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace ovl {

namespace detail {

// What an operation's start function returns besides a Win32 error.
constexpr DWORD issued_pending = ERROR_IO_PENDING; // a packet will come
constexpr DWORD done_at_once = 0;                   // succeeded at once (a packet comes unless skipping)
constexpr DWORD done_no_packet = 0xFFFFFFFFu;       // succeeded at once, no packet in any case
constexpr DWORD done_warning = 0xFFFFFFFEu;         // ended at once with a warning: a packet comes in any case

// A request that ends at once with a warning (STATUS_BUFFER_OVERFLOW: ERROR_MORE_DATA, or
// a receive's WSAEMSGSIZE) has completed, not failed: its packet is queued even on a
// handle that skips the port on success (that is for NT_SUCCESS statuses only).
inline bool packet_comes(DWORD code, bool skip) noexcept
{
    return code == issued_pending || code == ERROR_MORE_DATA || code == done_warning || (code == done_at_once && !skip);
}
// A receive's result: a datagram cut short (WSAEMSGSIZE) is such a warning.
inline DWORD receive_result(DWORD code) noexcept { return code == WSAEMSGSIZE ? done_warning : code; }

struct io_canceller {
    operation *op;
    std::atomic<bool> *cancel;
    std::atomic<bool> *issued;
    void operator()() const noexcept
    {
        cancel->store(true);
        if (issued->load()) CancelIoEx(op->target, op);
    }
};

struct no_finish {
    void operator()(std::error_code &) const noexcept {}
};

// The awaitable of one overlapped request. Start(operation&, DWORD& bytes) issues it and
// returns one of the codes above or a Win32 error; Finish(error_code&) runs after a
// success (SO_UPDATE_ACCEPT_CONTEXT...). The OVERLAPPED is this object's base: it lives in
// the coroutine frame, so a request allocates nothing.
template <class Start, class Finish = no_finish>
class io_op : public operation {
public:
    io_op(io_object &object, const char *what, options opts, Start start, Finish finish = {}) noexcept
        : ctx_(object.context()), skip_(object.skips_port_on_success()), what_(what), opts_(std::move(opts)),
          start_(std::move(start)), finish_(std::move(finish))
    {
        target = object.native_handle();
    }
    // Movable until awaited (when_all/when_any keep awaitables in their own frames).
    io_op(io_op &&other) noexcept
        : operation(other), ctx_(other.ctx_), skip_(other.skip_), what_(other.what_), opts_(std::move(other.opts_)),
          start_(std::move(other.start_)), finish_(std::move(other.finish_))
    {
    }
    void set_kind(kind_t k) noexcept { kind = k; }
    void set_offset_of(unsigned long long offset) noexcept { set_offset(offset); }

    bool await_ready() const noexcept { return false; }

    bool await_suspend(std::coroutine_handle<> h)
    {
        continuation = h;
        if (target == nullptr || ctx_ == nullptr) {
            error = ERROR_INVALID_HANDLE;
            return false;
        }
        const bool cancellable = opts_.token.stop_possible();
        if (cancellable) {
            if (opts_.token.stop_requested()) {
                error = ERROR_OPERATION_ABORTED;
                return false;
            }
            handshake = true;
            callback_.arm(opts_.token, io_canceller{this, &cancel_, &issued_});
        }
        io_context *ctx = ctx_;
        const bool skip = skip_;
        DWORD n = 0;
        DWORD code = start_(static_cast<operation &>(*this), n);
        if (packet_comes(code, skip)) {
            // From here on a runner may resume the coroutine at any time, unless the
            // handshake holds it back: without it, `this` must not be touched again.
            ctx->add_pending();
            if (!cancellable) return true;
            issued_.store(true);
            if (cancel_.load()) CancelIoEx(target, this);
            return sync.exchange(1, std::memory_order_acq_rel) == 0; // 2: already completed: resume now
        }
        // Finished at once (success skipping the port, or failure): no packet comes.
        if (code == done_at_once || code == done_no_packet) {
            // The count the call returned, or the one the I/O manager stored (Windows fills
            // InternalHigh of a request that completed, even at once).
            bytes = n != 0 ? n : static_cast<DWORD>(InternalHigh);
            error = 0;
        } else {
            error = code;
        }
        return false;
    }

    std::size_t await_resume()
    {
        callback_.disarm();
        std::error_code ec;
        // A read at or past the end: 0 bytes, as recv at a close. Changes that did not fit
        // (STATUS_NOTIFY_ENUM_DIR, a success status that GetOverlappedResult reports as
        // ERROR_NOTIFY_ENUM_DIR): 0 bytes, read the directory again.
        if (error == ERROR_HANDLE_EOF || error == ERROR_NOTIFY_ENUM_DIR) {
            error = 0;
            bytes = 0;
        }
        if (error != 0) {
            ec = make_win32_error(error);
        } else {
            finish_(ec);
        }
        report(ec, opts_.ec, what_);
        // ERROR_MORE_DATA (a message longer than the buffer) or WSAEMSGSIZE (a datagram
        // longer than the buffer) still delivered `bytes`.
        return ec && error != ERROR_MORE_DATA && error != WSAEMSGSIZE ? 0 : bytes;
    }

private:
    io_context *ctx_;
    bool skip_;
    const char *what_;
    options opts_;
    Start start_;
    Finish finish_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> issued_{false};
    stop_hook<io_canceller> callback_;
};

template <class Start, class Finish = no_finish>
io_op<Start, Finish> make_op(io_object &object, const char *what, options opts, operation::kind_t kind, Start start,
                             Finish finish = {})
{
    io_op<Start, Finish> op(object, what, std::move(opts), std::move(start), std::move(finish));
    op.set_kind(kind);
    return op;
}

// The result of a Win32 call that may go pending. `transferred` is a reference: it is the
// call's output, read after the call (an argument by value could be read before it).
inline DWORD issue_result(BOOL ok, DWORD &bytes, const DWORD &transferred) noexcept
{
    if (ok) {
        bytes = transferred;
        return done_at_once;
    }
    return GetLastError();
}
inline DWORD wsa_issue_result(int rc, DWORD &bytes, const DWORD &transferred) noexcept
{
    if (rc == 0) {
        bytes = transferred;
        return done_at_once;
    }
    return static_cast<DWORD>(WSAGetLastError());
}

inline constexpr DWORD no_count = 0; // calls that return no count: InternalHigh has it

template <class F>
F extension_function(SOCKET s, GUID guid) noexcept
{
    F function = nullptr;
    DWORD bytes = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &function, sizeof(function), &bytes,
                 nullptr, nullptr) != 0)
        return nullptr;
    return function;
}

} // namespace detail

// A buffer for the socket calls (a WSABUF).
inline WSABUF buffer(void *data, std::size_t size) noexcept
{
    WSABUF b;
    b.buf = static_cast<char *>(data);
    b.len = static_cast<ULONG>(size);
    return b;
}
inline WSABUF buffer(std::span<std::byte> bytes) noexcept { return buffer(bytes.data(), bytes.size()); }
inline WSABUF buffer(std::span<char> bytes) noexcept { return buffer(bytes.data(), bytes.size()); }

// -- files --------------------------------------------------------------------------------

// A file opened for overlapped I/O and bound to an io_context.
class file : public io_object {
public:
    file() noexcept = default;

    // CreateFileA with FILE_FLAG_OVERLAPPED added to `flags`.
    template <class... O>
    static file open(io_context &ctx, const char *path, DWORD access, DWORD disposition, DWORD share = 0,
                     DWORD flags = FILE_ATTRIBUTE_NORMAL, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        file f;
        std::error_code ec;
        HANDLE h = CreateFileA(path, access, share, nullptr, disposition, flags | FILE_FLAG_OVERLAPPED, nullptr);
        if (h == INVALID_HANDLE_VALUE)
            ec = last_error();
        else
            f.adopt(ctx, h, false, ec);
        report(ec, opts.ec, "CreateFileA");
        return f;
    }
    // The common cases, with an optional error_code&.
    template <class... O>
    static file open_read(io_context &ctx, const char *path, O &&...o)
    {
        return open(ctx, path, GENERIC_READ, OPEN_EXISTING, FILE_SHARE_READ, FILE_ATTRIBUTE_NORMAL,
                    std::forward<O>(o)...);
    }
    template <class... O>
    static file create(io_context &ctx, const char *path, O &&...o)
    {
        return open(ctx, path, GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS, 0, FILE_ATTRIBUTE_NORMAL,
                    std::forward<O>(o)...);
    }

    template <class... O>
    unsigned long long size(O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        LARGE_INTEGER size{};
        BOOL ok = GetFileSizeEx(native_handle(), &size);
        report(ok ? std::error_code() : last_error(), opts.ec, "GetFileSizeEx");
        return ok ? static_cast<unsigned long long>(size.QuadPart) : 0;
    }
    template <class... O>
    void resize(unsigned long long length, O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        FILE_END_OF_FILE_INFO info;
        info.EndOfFile.QuadPart = static_cast<LONGLONG>(length);
        BOOL ok = SetFileInformationByHandle(native_handle(), FileEndOfFileInfo, &info, sizeof(info));
        report(ok ? std::error_code() : last_error(), opts.ec, "SetFileInformationByHandle");
    }

    // co_await f.read_at(offset, bytes): the bytes read; 0 at the end of the file.
    template <class... O>
    auto read_at(unsigned long long offset, std::span<std::byte> into, O &&...o)
    {
        auto op = detail::make_op(*this, "ReadFile", detail::make_options(std::forward<O>(o)...),
                                  detail::operation::file, [into](detail::operation &ov, DWORD &bytes) -> DWORD {
                                      DWORD n = 0;
                                      DWORD code = detail::issue_result(
                                          ReadFile(ov.target, into.data(), static_cast<DWORD>(into.size()), &n, &ov),
                                          bytes, n);
                                      return code == ERROR_HANDLE_EOF ? detail::done_no_packet : code;
                                  });
        op.set_offset_of(offset);
        return op;
    }
    template <class... O>
    auto write_at(unsigned long long offset, std::span<const std::byte> from, O &&...o)
    {
        auto op = detail::make_op(*this, "WriteFile", detail::make_options(std::forward<O>(o)...),
                                  detail::operation::file, [from](detail::operation &ov, DWORD &bytes) -> DWORD {
                                      DWORD n = 0;
                                      return detail::issue_result(
                                          WriteFile(ov.target, from.data(), static_cast<DWORD>(from.size()), &n, &ov),
                                          bytes, n);
                                  });
        op.set_offset_of(offset);
        return op;
    }
    // Scatter/gather: `segments` are page-sized page-aligned buffers, ended by a null
    // element as ReadFileScatter wants; `length` is the number of bytes to move.
    template <class... O>
    auto read_scatter_at(unsigned long long offset, FILE_SEGMENT_ELEMENT *segments, DWORD length, O &&...o)
    {
        auto op = detail::make_op(*this, "ReadFileScatter", detail::make_options(std::forward<O>(o)...),
                                  detail::operation::file,
                                  [segments, length](detail::operation &ov, DWORD &bytes) -> DWORD {
                                      DWORD code = detail::issue_result(
                                          ReadFileScatter(ov.target, segments, length, nullptr, &ov), bytes, detail::no_count);
                                      return code == ERROR_HANDLE_EOF ? detail::done_no_packet : code;
                                  });
        op.set_offset_of(offset);
        return op;
    }
    template <class... O>
    auto write_gather_at(unsigned long long offset, FILE_SEGMENT_ELEMENT *segments, DWORD length, O &&...o)
    {
        auto op = detail::make_op(*this, "WriteFileGather", detail::make_options(std::forward<O>(o)...),
                                  detail::operation::file,
                                  [segments, length](detail::operation &ov, DWORD &bytes) -> DWORD {
                                      return detail::issue_result(
                                          WriteFileGather(ov.target, segments, length, nullptr, &ov), bytes, detail::no_count);
                                  });
        op.set_offset_of(offset);
        return op;
    }
};

// -- directories --------------------------------------------------------------------------

// A directory opened for ReadDirectoryChangesW.
class directory : public io_object {
public:
    template <class... O>
    static directory open(io_context &ctx, const char *path, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        directory d;
        std::error_code ec;
        HANDLE h = CreateFileA(path, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr);
        if (h == INVALID_HANDLE_VALUE)
            ec = last_error();
        else
            d.adopt(ctx, h, false, ec, false); // ReadDirectoryChangesW returns TRUE when queued
        report(ec, opts.ec, "CreateFileA");
        return d;
    }
    // co_await d.read_changes(buffer, filter, subtree): bytes of FILE_NOTIFY_INFORMATION
    // records written to `buffer` (DWORD-aligned); 0 when they did not fit (read the
    // directory again). Walk them with ovl::for_each_change.
    template <class... O>
    auto read_changes(std::span<std::byte> into, DWORD filter, bool subtree, O &&...o)
    {
        return detail::make_op(*this, "ReadDirectoryChangesW", detail::make_options(std::forward<O>(o)...),
                               detail::operation::file,
                               [into, filter, subtree](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0;
                                   return detail::issue_result(
                                       ReadDirectoryChangesW(ov.target, into.data(), static_cast<DWORD>(into.size()),
                                                             subtree, filter, &n, &ov, nullptr),
                                       bytes, n);
                               });
    }
};

// Calls f(action, name) for each FILE_NOTIFY_INFORMATION record in the first `bytes` of
// `records`; name is a std::basic_string_view<WCHAR>.
template <class F>
void for_each_change(const std::byte *records, std::size_t bytes, F &&f)
{
    std::size_t at = 0;
    while (bytes != 0 && at + sizeof(FILE_NOTIFY_INFORMATION) <= bytes + sizeof(WCHAR)) {
        auto *info = reinterpret_cast<const FILE_NOTIFY_INFORMATION *>(records + at);
        if (at + offsetof(FILE_NOTIFY_INFORMATION, FileName) + info->FileNameLength > bytes) break; // torn
        f(info->Action, std::basic_string_view<WCHAR>(info->FileName, info->FileNameLength / sizeof(WCHAR)));
        if (info->NextEntryOffset == 0) break;
        at += info->NextEntryOffset;
    }
}

// -- pipes --------------------------------------------------------------------------------

// What both ends of a pipe can do: read, write, transact.
class pipe_end : public io_object {
public:
    template <class... O>
    auto read(std::span<std::byte> into, O &&...o)
    {
        return detail::make_op(*this, "ReadFile", detail::make_options(std::forward<O>(o)...), detail::operation::file,
                               [into](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0;
                                   return detail::issue_result(
                                       ReadFile(ov.target, into.data(), static_cast<DWORD>(into.size()), &n, &ov),
                                       bytes, n);
                               });
    }
    template <class... O>
    auto write(std::span<const std::byte> from, O &&...o)
    {
        return detail::make_op(*this, "WriteFile", detail::make_options(std::forward<O>(o)...),
                               detail::operation::file, [from](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0;
                                   return detail::issue_result(
                                       WriteFile(ov.target, from.data(), static_cast<DWORD>(from.size()), &n, &ov),
                                       bytes, n);
                               });
    }
    // TransactNamedPipe: writes one message and reads the reply (message read mode).
    template <class... O>
    auto transact(std::span<const std::byte> request, std::span<std::byte> reply, O &&...o)
    {
        return detail::make_op(*this, "TransactNamedPipe", detail::make_options(std::forward<O>(o)...),
                               detail::operation::file,
                               [request, reply](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0;
                                   return detail::issue_result(
                                       TransactNamedPipe(ov.target, const_cast<std::byte *>(request.data()),
                                                         static_cast<DWORD>(request.size()), reply.data(),
                                                         static_cast<DWORD>(reply.size()), &n, &ov),
                                       bytes, n);
                               });
    }
};

// The server end of a named pipe (CreateNamedPipeA, overlapped).
class pipe_server : public pipe_end {
public:
    template <class... O>
    static pipe_server create(io_context &ctx, const char *name, bool message_mode, DWORD instances = 1,
                              DWORD buffer_size = 4096, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        pipe_server p;
        std::error_code ec;
        DWORD mode = message_mode ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE : PIPE_TYPE_BYTE | PIPE_READMODE_BYTE;
        HANDLE h = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, mode | PIPE_WAIT, instances,
                                    buffer_size, buffer_size, 0, nullptr);
        if (h == INVALID_HANDLE_VALUE)
            ec = last_error();
        else
            p.adopt(ctx, h, false, ec);
        report(ec, opts.ec, "CreateNamedPipeA");
        return p;
    }
    // co_await p.connect(): until a client opens the pipe (ConnectNamedPipe); a client
    // that came first (ERROR_PIPE_CONNECTED) is a success.
    template <class... O>
    auto connect(O &&...o)
    {
        return detail::make_op(*this, "ConnectNamedPipe", detail::make_options(std::forward<O>(o)...),
                               detail::operation::file, [](detail::operation &ov, DWORD &) -> DWORD {
                                   if (ConnectNamedPipe(ov.target, &ov)) return detail::done_at_once;
                                   DWORD e = GetLastError();
                                   return e == ERROR_PIPE_CONNECTED ? detail::done_no_packet : e;
                               });
    }
    template <class... O>
    void disconnect(O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        BOOL ok = DisconnectNamedPipe(native_handle());
        report(ok ? std::error_code() : last_error(), opts.ec, "DisconnectNamedPipe");
    }
};

// The client end of a named pipe (CreateFileA, overlapped).
class pipe_client : public pipe_end {
public:
    template <class... O>
    static pipe_client open(io_context &ctx, const char *name, bool message_mode, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        pipe_client p;
        std::error_code ec;
        HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                               nullptr);
        if (h == INVALID_HANDLE_VALUE) {
            ec = last_error();
        } else {
            DWORD mode = PIPE_READMODE_MESSAGE;
            if (message_mode && !SetNamedPipeHandleState(h, &mode, nullptr, nullptr)) {
                ec = last_error();
                CloseHandle(h);
            } else {
                p.adopt(ctx, h, false, ec);
            }
        }
        report(ec, opts.ec, "CreateFileA");
        return p;
    }
};

// -- sockets ------------------------------------------------------------------------------

// An IPv4 or IPv6 address and port.
struct endpoint {
    SOCKADDR_STORAGE storage{};
    int length = sizeof(SOCKADDR_STORAGE);

    static endpoint ipv4(const char *address, unsigned short port)
    {
        endpoint e;
        auto *in = reinterpret_cast<sockaddr_in *>(&e.storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        if (inet_pton(AF_INET, address, &in->sin_addr) != 1)
            throw std::system_error(make_win32_error(WSAEINVAL), "inet_pton");
        e.length = sizeof(sockaddr_in);
        return e;
    }
    static endpoint ipv6(const char *address, unsigned short port)
    {
        endpoint e;
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&e.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        if (inet_pton(AF_INET6, address, &in6->sin6_addr) != 1)
            throw std::system_error(make_win32_error(WSAEINVAL), "inet_pton");
        e.length = sizeof(sockaddr_in6);
        return e;
    }
    static endpoint loopback(unsigned short port) { return ipv4("127.0.0.1", port); }
    // "address:port" or "[address]:port", as WSAAddressToStringA writes it.
    std::string to_string() const
    {
        char text[INET6_ADDRSTRLEN + 16] = "";
        DWORD length = sizeof(text);
        if (WSAAddressToStringA(const_cast<sockaddr *>(data()), static_cast<DWORD>(this->length), nullptr, text,
                                &length) != 0)
            return std::string();
        return text;
    }
    const sockaddr *data() const noexcept { return reinterpret_cast<const sockaddr *>(&storage); }
    sockaddr *data() noexcept { return reinterpret_cast<sockaddr *>(&storage); }
    int family() const noexcept { return storage.ss_family; }
    unsigned short port() const noexcept
    {
        return ntohs(storage.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port
                                                   : reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    }
};

// A socket (closed with closesocket) bound to an io_context.
class socket : public io_object {
public:
    template <class... O>
    static socket create(io_context &ctx, int family, int type, int protocol, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        socket s;
        std::error_code ec;
        SOCKET raw = WSASocketW(family, type, protocol, nullptr, 0, WSA_FLAG_OVERLAPPED);
        if (raw == INVALID_SOCKET)
            ec = make_win32_error(static_cast<DWORD>(WSAGetLastError()));
        else
            s.adopt(ctx, reinterpret_cast<HANDLE>(raw), true, ec);
        report(ec, opts.ec, "WSASocketW");
        return s;
    }
    template <class... O>
    static socket tcp(io_context &ctx, O &&...o)
    {
        return create(ctx, AF_INET, SOCK_STREAM, IPPROTO_TCP, std::forward<O>(o)...);
    }
    template <class... O>
    static socket udp(io_context &ctx, O &&...o)
    {
        return create(ctx, AF_INET, SOCK_DGRAM, IPPROTO_UDP, std::forward<O>(o)...);
    }

    SOCKET native_socket() const noexcept { return reinterpret_cast<SOCKET>(native_handle()); }

    template <class... O>
    void bind(const endpoint &local, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        int rc = ::bind(native_socket(), local.data(), local.length);
        report(rc == 0 ? std::error_code() : make_win32_error(static_cast<DWORD>(WSAGetLastError())), opts.ec,
               "bind");
    }
    template <class... O>
    endpoint local_endpoint(O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        endpoint e;
        int rc = getsockname(native_socket(), e.data(), &e.length);
        report(rc == 0 ? std::error_code() : make_win32_error(static_cast<DWORD>(WSAGetLastError())), opts.ec,
               "getsockname");
        return e;
    }
    template <class... O>
    endpoint remote_endpoint(O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        endpoint e;
        int rc = getpeername(native_socket(), e.data(), &e.length);
        report(rc == 0 ? std::error_code() : make_win32_error(static_cast<DWORD>(WSAGetLastError())), opts.ec,
               "getpeername");
        return e;
    }
    template <class... O>
    void shutdown(int how, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        int rc = ::shutdown(native_socket(), how);
        report(rc == 0 ? std::error_code() : make_win32_error(static_cast<DWORD>(WSAGetLastError())), opts.ec,
               "shutdown");
    }
    void set_no_delay(bool on) noexcept
    {
        BOOL value = on;
        setsockopt(native_socket(), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&value), sizeof(value));
    }

    // co_await s.connect(peer): ConnectEx (the socket is bound to a wildcard address first
    // if it is not bound yet).
    template <class... O>
    auto connect(const endpoint &peer, O &&...o)
    {
        // A copy of the address: the call reads it when the awaitable is awaited, maybe
        // after a temporary `peer` is gone (in the frame: still no allocation).
        return detail::make_op(
            *this, "ConnectEx", detail::make_options(std::forward<O>(o)...), detail::operation::socket,
            [copy = peer](detail::operation &ov, DWORD &) -> DWORD {
                const endpoint *to = &copy;
                SOCKET s = reinterpret_cast<SOCKET>(ov.target);
                static std::atomic<LPFN_CONNECTEX> connect_ex{nullptr};
                LPFN_CONNECTEX f = connect_ex.load(std::memory_order_acquire);
                if (f == nullptr) {
                    GUID guid = WSAID_CONNECTEX;
                    f = detail::extension_function<LPFN_CONNECTEX>(s, guid);
                    if (f == nullptr) return static_cast<DWORD>(WSAGetLastError());
                    connect_ex.store(f, std::memory_order_release);
                }
                endpoint any;
                any.storage.ss_family = static_cast<decltype(any.storage.ss_family)>(to->family());
                any.length = to->length;
                endpoint mine;
                bool bound = getsockname(s, mine.data(), &mine.length) == 0 && mine.port() != 0;
                if (!bound && ::bind(s, any.data(), any.length) != 0)
                    return static_cast<DWORD>(WSAGetLastError());
                if (f(s, to->data(), to->length, nullptr, 0, nullptr, &ov)) return detail::done_at_once;
                return static_cast<DWORD>(WSAGetLastError());
            },
            // The SOCKET, not `this`: the object may be moved while the request runs.
            [s = native_socket()](std::error_code &ec) {
                if (setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, nullptr, 0) != 0)
                    ec = make_win32_error(static_cast<DWORD>(WSAGetLastError()));
            });
    }

    // co_await s.recv(buffers): WSARecv into one or several buffers; 0 when the peer has
    // closed its side.
    template <class... O>
    auto recv(std::span<WSABUF> buffers, O &&...o)
    {
        return detail::make_op(*this, "WSARecv", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket, [buffers](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0, flags = 0;
                                   return detail::receive_result(detail::wsa_issue_result(
                                       WSARecv(reinterpret_cast<SOCKET>(ov.target), buffers.data(),
                                               static_cast<DWORD>(buffers.size()), &n, &flags, &ov, nullptr),
                                       bytes, n));
                               });
    }
    template <class... O>
    auto recv(std::span<std::byte> into, O &&...o)
    {
        return detail::make_op(*this, "WSARecv", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket, [b = buffer(into)](detail::operation &ov, DWORD &bytes) mutable -> DWORD {
                                   DWORD n = 0, flags = 0;
                                   return detail::receive_result(detail::wsa_issue_result(
                                       WSARecv(reinterpret_cast<SOCKET>(ov.target), &b, 1, &n, &flags, &ov, nullptr),
                                       bytes, n));
                               });
    }
    template <class... O>
    auto send(std::span<WSABUF> buffers, O &&...o)
    {
        return detail::make_op(*this, "WSASend", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket, [buffers](detail::operation &ov, DWORD &bytes) -> DWORD {
                                   DWORD n = 0;
                                   return detail::wsa_issue_result(
                                       WSASend(reinterpret_cast<SOCKET>(ov.target), buffers.data(),
                                               static_cast<DWORD>(buffers.size()), &n, 0, &ov, nullptr),
                                       bytes, n);
                               });
    }
    template <class... O>
    auto send(std::span<const std::byte> from, O &&...o)
    {
        WSABUF b = buffer(const_cast<std::byte *>(from.data()), from.size());
        return detail::make_op(*this, "WSASend", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket, [b](detail::operation &ov, DWORD &bytes) mutable -> DWORD {
                                   DWORD n = 0;
                                   return detail::wsa_issue_result(
                                       WSASend(reinterpret_cast<SOCKET>(ov.target), &b, 1, &n, 0, &ov, nullptr),
                                       bytes, n);
                               });
    }
    // Datagrams: the sender's address goes to `from`, which must outlive the co_await.
    template <class... O>
    auto recv_from(std::span<std::byte> into, endpoint &from, O &&...o)
    {
        from.length = sizeof(from.storage);
        return detail::make_op(*this, "WSARecvFrom", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket,
                               [b = buffer(into), f = &from](detail::operation &ov, DWORD &bytes) mutable -> DWORD {
                                   DWORD n = 0, flags = 0;
                                   return detail::receive_result(detail::wsa_issue_result(
                                       WSARecvFrom(reinterpret_cast<SOCKET>(ov.target), &b, 1, &n, &flags, f->data(),
                                                   &f->length, &ov, nullptr),
                                       bytes, n));
                               });
    }
    template <class... O>
    auto send_to(std::span<const std::byte> from, const endpoint &to, O &&...o)
    {
        WSABUF b = buffer(const_cast<std::byte *>(from.data()), from.size());
        return detail::make_op(*this, "WSASendTo", detail::make_options(std::forward<O>(o)...),
                               detail::operation::socket,
                               [b, t = &to](detail::operation &ov, DWORD &bytes) mutable -> DWORD {
                                   DWORD n = 0;
                                   return detail::wsa_issue_result(WSASendTo(reinterpret_cast<SOCKET>(ov.target), &b,
                                                                             1, &n, 0, t->data(), t->length, &ov,
                                                                             nullptr),
                                                                   bytes, n);
                               });
    }
    // TransmitFile: `length` bytes (0: to the end) of `f` from `offset`.
    template <class... O>
    auto transmit_file(const file &f, unsigned long long offset = 0, DWORD length = 0, DWORD flags = 0, O &&...o)
    {
        HANDLE source = f.native_handle();
        auto op = detail::make_op(*this, "TransmitFile", detail::make_options(std::forward<O>(o)...),
                                  detail::operation::socket,
                                  [source, length, flags](detail::operation &ov, DWORD &) -> DWORD {
                                      if (TransmitFile(reinterpret_cast<SOCKET>(ov.target), source, length, 0, &ov,
                                                       nullptr, flags))
                                          return detail::done_at_once;
                                      return static_cast<DWORD>(WSAGetLastError());
                                  });
        op.set_offset_of(offset);
        return op;
    }
};

// A listening socket that accepts with AcceptEx.
class acceptor : public socket {
public:
    template <class... O>
    static acceptor listen(io_context &ctx, const endpoint &local, int backlog = SOMAXCONN, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        std::error_code ec;
        acceptor a;
        static_cast<socket &>(a) = socket::create(ctx, local.family(), SOCK_STREAM, IPPROTO_TCP, ec);
        if (!ec) {
            // No SO_REUSEADDR: on Windows it would let another socket share the port; a
            // port in TIME_WAIT can be bound again without it there.
            if (::bind(a.native_socket(), local.data(), local.length) != 0 || ::listen(a.native_socket(), backlog) != 0)
                ec = make_win32_error(static_cast<DWORD>(WSAGetLastError()));
        }
        if (!ec) {
            GUID guid = WSAID_ACCEPTEX;
            a.accept_ex_ = detail::extension_function<LPFN_ACCEPTEX>(a.native_socket(), guid);
            if (a.accept_ex_ == nullptr) ec = make_win32_error(static_cast<DWORD>(WSAGetLastError()));
        }
        if (ec) a.close();
        report(ec, opts.ec, "listen");
        return a;
    }

    // co_await a.accept(into): AcceptEx into `into`, a fresh socket of the same family
    // (socket::tcp); then SO_UPDATE_ACCEPT_CONTEXT.
    template <class... O>
    auto accept(socket &into, O &&...o)
    {
        LPFN_ACCEPTEX f = accept_ex_;
        SOCKET accepted = into.native_socket();
        SOCKET listener = native_socket();
        return detail::make_op(
            *this, "AcceptEx", detail::make_options(std::forward<O>(o)...), detail::operation::socket,
            [f, accepted, addresses = std::array<char, 2 * address_length>{}](detail::operation &ov,
                                                                                DWORD &) mutable -> DWORD {
                DWORD n = 0;
                if (f(reinterpret_cast<SOCKET>(ov.target), accepted, addresses.data(), 0, address_length,
                      address_length, &n, &ov))
                    return detail::done_at_once;
                return static_cast<DWORD>(WSAGetLastError());
            },
            [accepted, listener](std::error_code &ec) {
                if (setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                               reinterpret_cast<const char *>(&listener), sizeof(listener)) != 0)
                    ec = make_win32_error(static_cast<DWORD>(WSAGetLastError()));
            });
    }

private:
    static constexpr DWORD address_length = sizeof(SOCKADDR_STORAGE) + 16;
    LPFN_ACCEPTEX accept_ex_ = nullptr;
};

} // namespace ovl

#endif
