// ovl/io_context.hpp: the completion port that runs the coroutines, the operation every
// awaitable derives from, co_spawn/sync_wait, post, wait and sleep_for (docs/cpp.md).
#ifndef OVERLAPPED_OVL_IO_CONTEXT_HPP
#define OVERLAPPED_OVL_IO_CONTEXT_HPP

#include "handle.hpp"
#include "task.hpp"

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <vector>

namespace ovl {

class io_context;
class io_object;

namespace detail {

constexpr ULONG_PTR key_operation = 1; // the packet's OVERLAPPED is a detail::operation
constexpr ULONG_PTR key_wake = 2;      // no OVERLAPPED: a runner looks at its exit condition

// One request: the OVERLAPPED the kernel writes, and where the coroutine waits. It lives
// in the awaiter, inside the coroutine frame: nothing is allocated per request.
struct operation : OVERLAPPED {
    enum kind_t : unsigned char { posted, file, socket };

    std::coroutine_handle<> continuation;
    HANDLE target = nullptr; // the handle the request was issued on (for its result)
    DWORD error = 0;         // Win32 error of the request, 0 on success
    DWORD bytes = 0;         // bytes transferred (or the wait's result)
    kind_t kind = posted;
    // With a stop callback the issuing thread and the thread that dequeues the packet
    // agree on who resumes: the second of the two (sync goes 0 -> 1 or 2).
    bool handshake = false;
    std::atomic<unsigned char> sync{0};

    operation() noexcept { clear_overlapped(); }
    operation(const operation &other) noexcept
        : continuation(), target(other.target), error(0), bytes(0), kind(other.kind)
    {
        clear_overlapped(); // a request not yet issued: only its offset matters
        Offset = other.Offset;
        OffsetHigh = other.OffsetHigh;
    }
    void clear_overlapped() noexcept
    {
        Internal = 0;
        InternalHigh = 0;
        Offset = 0;
        OffsetHigh = 0;
        hEvent = nullptr;
    }
    void set_offset(unsigned long long offset) noexcept
    {
        Offset = static_cast<DWORD>(offset);
        OffsetHigh = static_cast<DWORD>(offset >> 32);
    }
    // The result of a request whose packet came through the port.
    void take_port_result(DWORD transferred) noexcept
    {
        bytes = transferred;
        if (kind == posted || Internal == 0) return; // STATUS_SUCCESS, or set by the poster
        DWORD n = 0;
        if (kind == socket) {
            DWORD flags = 0;
            if (!WSAGetOverlappedResult(reinterpret_cast<SOCKET>(target), this, &n, FALSE, &flags))
                error = static_cast<DWORD>(WSAGetLastError());
            // The socket was closed (close() cancels its requests) before its packet was
            // read: the status is still in the OVERLAPPED, which GetOverlappedResult reads
            // without the handle once the request has ended.
            if (error == WSAENOTSOCK && !GetOverlappedResult(target, this, &n, FALSE)) error = GetLastError();
        } else if (!GetOverlappedResult(target, this, &n, FALSE)) {
            error = GetLastError();
        }
        bytes = n;
    }
};

// A wait on any waitable object, served by a wait thread of the io_context that posts
// its end to the port.
// A count kept per thread: each thread changes only its own cache line, with a plain
// load and store (no locked instruction, no line bouncing between the threads running
// the port); the sum is exact when no thread is changing it (at shutdown). Threads past
// the first `shards - 1` share the last shard, with atomic increments.
class sharded_counter {
public:
    static constexpr unsigned shards = 64;
    void add(long delta) noexcept
    {
        unsigned i = thread_index();
        if (i < shards - 1) {
            auto &v = shard_[i].value;
            v.store(v.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
        } else {
            shard_[shards - 1].value.fetch_add(delta, std::memory_order_relaxed);
        }
    }
    long sum() const noexcept
    {
        long total = 0;
        for (const auto &s : shard_) total += s.value.load(std::memory_order_acquire);
        return total;
    }

private:
    static unsigned thread_index() noexcept
    {
        // Constant-initialized, so that reaching it needs no TLS guard call.
        static std::atomic<unsigned> next{0};
        static thread_local unsigned index = ~0u;
        if (index == ~0u) index = next.fetch_add(1, std::memory_order_relaxed);
        return index;
    }
    struct alignas(64) shard {
        std::atomic<long> value{0};
    };
    shard shard_[shards];
};

// A spawned coroutine in its context's list.
struct root_link {
    root_link *prev = nullptr;
    root_link *next = nullptr;
    void *frame = nullptr;
};

struct wait_group;
struct wait_operation : operation {
    HANDLE object = nullptr;
    std::atomic<wait_group *> group{nullptr};
    wait_operation *next = nullptr;    // in the group's list of new waits
    bool in_group = false;             // guarded by the group's lock
    bool cancel_requested = false;     // guarded by the group's lock
    std::atomic<bool> stopped{false};  // the stop callback ran
};

} // namespace detail

// Owns a completion port and runs coroutines on it: run() on one or several threads.
// Every object bound to it (ovl::file, ovl::socket...) has its handle associated with the
// port and FILE_SKIP_COMPLETION_PORT_ON_SUCCESS set, so a request that finishes at once
// resumes its coroutine at once. Destroying it with work pending cancels every request,
// waits for each to end and destroys every coroutine frame once.
class io_context {
public:
    // concurrency: the port's limit of threads running at once (0: one per processor).
    explicit io_context(unsigned concurrency = 0)
    {
        WSADATA data;
        winsock_ = WSAStartup(MAKEWORD(2, 2), &data) == 0;
        port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, concurrency);
        if (port_ == nullptr) {
            std::error_code ec = last_error();
            if (winsock_) WSACleanup();
            throw std::system_error(ec, "CreateIoCompletionPort");
        }
    }
    io_context(const io_context &) = delete;
    io_context &operator=(const io_context &) = delete;
    ~io_context() { shutdown(); }

    HANDLE native_handle() const noexcept { return port_; }

    // Runs coroutines on this thread until no spawned coroutine is left or stop().
    void run() { run_loop(); }

    // The same on `threads` threads: this one and threads-1 more (CreateThread).
    void run(unsigned threads)
    {
        std::vector<HANDLE> extra;
        for (unsigned i = 1; i < threads; ++i) {
            HANDLE t = CreateThread(
                nullptr, 0,
                [](LPVOID self) -> DWORD {
                    static_cast<io_context *>(self)->run_loop();
                    return 0;
                },
                this, 0, nullptr);
            if (t == nullptr) break; // fewer threads: still correct
            extra.push_back(t);
        }
        run_loop();
        for (HANDLE t : extra) {
            WaitForSingleObject(t, INFINITE);
            CloseHandle(t);
        }
    }

    // Makes every run() return after the completions it has taken.
    void stop() noexcept
    {
        // seq_cst here and in run_loop: a store then a load on each side (Dekker), so one
        // of the two sees the other (stop sees the runner, or the runner sees the stop).
        stopped_.store(true, std::memory_order_seq_cst);
        wake_runners();
    }
    bool stopped() const noexcept { return stopped_.load(std::memory_order_acquire); }
    void restart() noexcept { stopped_.store(false, std::memory_order_release); }

    // Whether objects bound from now on get FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (the
    // default): off, every completion goes through the port, the classic way.
    void set_skip_on_success(bool on) noexcept { skip_on_success_ = on; }
    bool skip_on_success() const noexcept { return skip_on_success_; }

    // Spawned coroutines not yet finished.
    long outstanding_work() const noexcept { return work_.load(std::memory_order_acquire); }

    // co_await ctx.post(): continue on a thread running this context (through the port).
    auto post() noexcept;

    // co_await ctx.sleep_for(d [, stop_token] [, error_code&]): a waitable timer and a
    // wait whose end comes through the port.
    template <class Rep, class Period, class... O>
    auto sleep_for(std::chrono::duration<Rep, Period> d, O &&...o);

    // co_await ctx.wait(h [, stop_token] [, error_code&]): until the waitable object is
    // signalled; returns WAIT_OBJECT_0 or WAIT_ABANDONED (an abandoned mutex).
    template <class... O>
    auto wait(HANDLE object, O &&...o);
    template <class... O>
    auto wait(const handle &object, O &&...o)
    {
        return wait(object.get(), std::forward<O>(o)...);
    }

    // -- used by the awaitables and io objects -------------------------------------------
    void add_pending() noexcept { pending_.add(1); }
    void add_pending_done() noexcept { pending_.add(-1); }
    void register_object(io_object *object) noexcept;
    void replace_object(io_object *from, io_object *to) noexcept;
    void unregister_object(io_object *object) noexcept;
    void add_root(detail::root_link *link) noexcept;
    void remove_root(detail::root_link *link) noexcept;
    void register_wait(detail::wait_operation *op);
    void cancel_wait(detail::wait_operation *op) noexcept;

private:
    void wake_runners() noexcept
    {
        long n = runners_.load(std::memory_order_seq_cst);
        for (long i = 0; i < n; ++i) PostQueuedCompletionStatus(port_, 0, detail::key_wake, nullptr);
    }

    void dispatch(const OVERLAPPED_ENTRY &entry) noexcept
    {
        if (entry.lpCompletionKey != detail::key_operation || entry.lpOverlapped == nullptr) return;
        auto *op = static_cast<detail::operation *>(entry.lpOverlapped);
        pending_.add(-1);
        op->take_port_result(entry.dwNumberOfBytesTransferred);
        if (op->handshake && op->sync.exchange(2, std::memory_order_acq_rel) == 0) return; // the issuer resumes
        op->continuation.resume();
    }

    void run_loop()
    {
        runners_.fetch_add(1, std::memory_order_seq_cst);
        OVERLAPPED_ENTRY entries[64];
        while (!stopped_.load(std::memory_order_seq_cst) && work_.load(std::memory_order_seq_cst) > 0) {
            ULONG count = 0;
            if (!GetQueuedCompletionStatusEx(port_, entries, 64, &count, INFINITE, FALSE)) break;
            for (ULONG i = 0; i < count; ++i) dispatch(entries[i]);
        }
        runners_.fetch_sub(1, std::memory_order_acq_rel);
        // One batch may have taken several threads' wake packets: pass one on, so that
        // every runner learns it should return (a spare packet is ignored later).
        PostQueuedCompletionStatus(port_, 0, detail::key_wake, nullptr);
    }

    void shutdown() noexcept;

public:
    // A spawned coroutine ended (its frame is gone).
    void work_done() noexcept
    {
        if (work_.fetch_sub(1, std::memory_order_seq_cst) == 1) wake_runners();
    }
    void root_started(detail::root_link *link) noexcept
    {
        work_.fetch_add(1, std::memory_order_acq_rel);
        add_root(link);
    }

private:
    HANDLE port_ = nullptr;
    bool winsock_ = false;
    bool skip_on_success_ = true;
    std::atomic<bool> stopped_{false};
    std::atomic<long> work_{0};
    std::atomic<long> runners_{0};
    detail::sharded_counter pending_; // packets still to come for requests in flight

    std::mutex objects_lock_;
    io_object *objects_ = nullptr; // intrusive list of bound objects

    std::mutex roots_lock_;
    detail::root_link *roots_ = nullptr; // spawned coroutines not yet ended

    std::mutex groups_lock_;
    std::vector<std::unique_ptr<detail::wait_group>> groups_;
};

// Base of every object bound to an io_context: a handle (or socket) associated with its
// port with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. Move-only; closes once.
class io_object {
public:
    io_object() noexcept = default;
    io_object(io_object &&other) noexcept
        : h_(std::exchange(other.h_, nullptr)), ctx_(std::exchange(other.ctx_, nullptr)),
          skip_(other.skip_), socket_(other.socket_), winsock_(std::exchange(other.winsock_, false))
    {
        if (ctx_ != nullptr) ctx_->replace_object(&other, this);
    }
    io_object &operator=(io_object &&other) noexcept
    {
        if (this != &other) {
            close();
            h_ = std::exchange(other.h_, nullptr);
            ctx_ = std::exchange(other.ctx_, nullptr);
            skip_ = other.skip_;
            socket_ = other.socket_;
            winsock_ = std::exchange(other.winsock_, false);
            if (ctx_ != nullptr) ctx_->replace_object(&other, this);
        }
        return *this;
    }
    io_object(const io_object &) = delete;
    io_object &operator=(const io_object &) = delete;
    ~io_object() { close(); }

    HANDLE native_handle() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }
    bool is_open() const noexcept { return h_ != nullptr; }
    io_context *context() const noexcept { return ctx_; }
    // Whether a request that finishes at once skips the port (and resumes at once).
    bool skips_port_on_success() const noexcept { return skip_; }

    // Cancels every request of this thread's or any thread's on the handle (CancelIoEx).
    void cancel() const noexcept
    {
        if (h_ != nullptr) CancelIoEx(h_, nullptr);
    }

    // Closes the handle (closesocket for a socket) once; pending requests end with an
    // error (the device's: a socket's receive ERROR_CONNECTION_ABORTED, a pipe's read
    // ERROR_BROKEN_PIPE, most others ERROR_OPERATION_ABORTED).
    void close() noexcept
    {
        if (h_ == nullptr) return;
        if (ctx_ != nullptr) ctx_->unregister_object(this);
        ctx_ = nullptr;
        HANDLE h = std::exchange(h_, nullptr);
        if (socket_)
            closesocket(reinterpret_cast<SOCKET>(h));
        else
            CloseHandle(h);
        if (std::exchange(winsock_, false)) WSACleanup();
    }

protected:
    // Takes ownership of h and binds it to ctx; on failure closes h and reports.
    // skip_on_success false: for calls whose TRUE does not tell "done" from "queued"
    // (ReadDirectoryChangesW), every completion goes through the port.
    bool adopt(io_context &ctx, HANDLE h, bool is_socket, std::error_code &ec, bool skip_on_success = true) noexcept
    {
        close();
        socket_ = is_socket;
        if (!detail::valid_handle(h)) return false;
        if (CreateIoCompletionPort(h, ctx.native_handle(), detail::key_operation, 0) == nullptr) {
            ec = last_error();
            if (is_socket)
                closesocket(reinterpret_cast<SOCKET>(h));
            else
                CloseHandle(h);
            return false;
        }
        skip_ = skip_on_success && ctx.skip_on_success() && SetFileCompletionNotificationModes(
                    h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE) != FALSE;
        h_ = h;
        ctx_ = &ctx;
        ctx.register_object(this);
        return true;
    }

private:
    friend class io_context;
    HANDLE h_ = nullptr;
    io_context *ctx_ = nullptr;
    bool skip_ = false;
    bool socket_ = false;
    bool winsock_ = false;      // a socket that outlived its context holds a WSAStartup of its own
    io_object *prev_ = nullptr; // in the context's list, under its lock
    io_object *next_ = nullptr;
};

inline void io_context::register_object(io_object *object) noexcept
{
    std::lock_guard<std::mutex> lock(objects_lock_);
    object->prev_ = nullptr;
    object->next_ = objects_;
    if (objects_ != nullptr) objects_->prev_ = object;
    objects_ = object;
}
inline void io_context::unregister_object(io_object *object) noexcept
{
    std::lock_guard<std::mutex> lock(objects_lock_);
    if (object->prev_ != nullptr)
        object->prev_->next_ = object->next_;
    else
        objects_ = object->next_;
    if (object->next_ != nullptr) object->next_->prev_ = object->prev_;
    object->prev_ = object->next_ = nullptr;
}
inline void io_context::replace_object(io_object *from, io_object *to) noexcept
{
    std::lock_guard<std::mutex> lock(objects_lock_);
    to->prev_ = from->prev_;
    to->next_ = from->next_;
    if (to->prev_ != nullptr)
        to->prev_->next_ = to;
    else
        objects_ = to;
    if (to->next_ != nullptr) to->next_->prev_ = to;
    from->prev_ = from->next_ = nullptr;
}
inline void io_context::add_root(detail::root_link *link) noexcept
{
    std::lock_guard<std::mutex> lock(roots_lock_);
    link->prev = nullptr;
    link->next = roots_;
    if (roots_ != nullptr) roots_->prev = link;
    roots_ = link;
}
inline void io_context::remove_root(detail::root_link *link) noexcept
{
    std::lock_guard<std::mutex> lock(roots_lock_);
    if (link->prev != nullptr)
        link->prev->next = link->next;
    else
        roots_ = link->next;
    if (link->next != nullptr) link->next->prev = link->prev;
}

namespace detail {

// Up to MAXIMUM_WAIT_OBJECTS - 1 waits served by one thread with WaitForMultipleObjects;
// slot 0 is the group's control event (new waits, cancellations, shutdown).
struct wait_group {
    static constexpr int capacity = MAXIMUM_WAIT_OBJECTS - 1;
    HANDLE port;
    HANDLE control = nullptr;
    HANDLE thread = nullptr;
    std::mutex lock;
    wait_operation *slots[capacity] = {};
    int count = 0;
    wait_operation *incoming = nullptr; // new waits, not yet in slots
    int reserved = 0;                   // count + incoming
    bool stopping = false;

    explicit wait_group(HANDLE p) : port(p)
    {
        control = CreateEventW(nullptr, FALSE, FALSE, nullptr);
        if (control == nullptr) throw std::system_error(last_error(), "CreateEventW");
        thread = CreateThread(
            nullptr, 0,
            [](LPVOID self) -> DWORD {
                static_cast<wait_group *>(self)->serve();
                return 0;
            },
            this, 0, nullptr);
        if (thread == nullptr) {
            std::error_code ec = last_error();
            CloseHandle(control);
            throw std::system_error(ec, "CreateThread");
        }
    }
    ~wait_group()
    {
        {
            std::lock_guard<std::mutex> guard(lock);
            stopping = true;
        }
        SetEvent(control);
        WaitForSingleObject(thread, INFINITE);
        CloseHandle(thread);
        CloseHandle(control);
    }

    // Under the lock: the wait leaves the group; its end goes to the port.
    void finish(int slot, DWORD error, DWORD result) noexcept
    {
        wait_operation *op = slots[slot];
        slots[slot] = slots[--count];
        --reserved;
        op->in_group = false;
        op->error = error;
        op->bytes = result;
        PostQueuedCompletionStatus(port, result, key_operation, op);
    }

    void serve() noexcept
    {
        HANDLE handles[MAXIMUM_WAIT_OBJECTS];
        for (;;) {
            int n;
            {
                std::lock_guard<std::mutex> guard(lock);
                while (incoming != nullptr) {
                    wait_operation *op = incoming;
                    incoming = op->next;
                    slots[count++] = op;
                }
                for (int i = 0; i < count;)
                    if (slots[i]->cancel_requested || stopping)
                        finish(i, ERROR_OPERATION_ABORTED, 0);
                    else
                        ++i;
                if (stopping && count == 0) return;
                n = count;
                handles[0] = control;
                for (int i = 0; i < n; ++i) handles[i + 1] = slots[i]->object;
            }
            DWORD r = WaitForMultipleObjects(static_cast<DWORD>(n + 1), handles, FALSE, INFINITE);
            if (r == WAIT_OBJECT_0) continue;
            std::lock_guard<std::mutex> guard(lock);
            // Only this thread removes slots, so slot i is still the one waited on.
            if (r > WAIT_OBJECT_0 && r <= WAIT_OBJECT_0 + static_cast<DWORD>(n)) {
                finish(static_cast<int>(r - WAIT_OBJECT_0 - 1), 0, WAIT_OBJECT_0);
            } else if (r > WAIT_ABANDONED_0 && r <= WAIT_ABANDONED_0 + static_cast<DWORD>(n)) {
                finish(static_cast<int>(r - WAIT_ABANDONED_0 - 1), 0, WAIT_ABANDONED_0);
            } else {
                // WAIT_FAILED: a handle that is not waitable (closed?) fails its own wait.
                DWORD failure = GetLastError();
                bool found = false;
                for (int i = 0; i < count;)
                    if (WaitForSingleObject(slots[i]->object, 0) == WAIT_FAILED) {
                        finish(i, GetLastError(), 0);
                        found = true;
                    } else {
                        ++i;
                    }
                if (!found && count > 0) finish(0, failure ? failure : ERROR_INVALID_HANDLE, 0);
            }
        }
    }
};

} // namespace detail

inline void io_context::register_wait(detail::wait_operation *op)
{
    detail::wait_group *group = nullptr;
    {
        std::lock_guard<std::mutex> guard(groups_lock_);
        for (auto &g : groups_) {
            std::lock_guard<std::mutex> inner(g->lock);
            if (g->reserved < detail::wait_group::capacity) {
                ++g->reserved;
                group = g.get();
                break;
            }
        }
        if (group == nullptr) {
            groups_.push_back(std::make_unique<detail::wait_group>(port_));
            group = groups_.back().get();
            std::lock_guard<std::mutex> inner(group->lock);
            ++group->reserved;
        }
    }
    add_pending();
    op->group.store(group);
    {
        std::lock_guard<std::mutex> guard(group->lock);
        if (op->stopped.load()) {
            // Stopped before it was queued: ends at once, through the port.
            --group->reserved;
            op->error = ERROR_OPERATION_ABORTED;
            PostQueuedCompletionStatus(port_, 0, detail::key_operation, op);
            return;
        }
        op->in_group = true;
        op->next = group->incoming;
        group->incoming = op;
    }
    SetEvent(group->control);
}

inline void io_context::cancel_wait(detail::wait_operation *op) noexcept
{
    op->stopped.store(true);
    detail::wait_group *group = op->group.load();
    if (group == nullptr) return; // register_wait will see `stopped`
    bool signal = false;
    {
        std::lock_guard<std::mutex> guard(group->lock);
        if (op->in_group) {
            op->cancel_requested = true;
            signal = true;
        }
    }
    if (signal) SetEvent(group->control);
}

inline void io_context::shutdown() noexcept
{
    if (port_ == nullptr) return;
    stopped_.store(true, std::memory_order_release);
    // 1. Cancel: every request on every bound object, every wait.
    {
        std::lock_guard<std::mutex> lock(objects_lock_);
        for (io_object *o = objects_; o != nullptr; o = o->next_) CancelIoEx(o->h_, nullptr);
    }
    {
        std::lock_guard<std::mutex> guard(groups_lock_);
        for (auto &g : groups_) {
            {
                std::lock_guard<std::mutex> inner(g->lock);
                for (int i = 0; i < g->count; ++i) g->slots[i]->cancel_requested = true;
                for (auto *op = g->incoming; op != nullptr; op = op->next) op->cancel_requested = true;
            }
            SetEvent(g->control);
        }
    }
    // 2. Drain: every packet still to come arrives; no coroutine is resumed.
    OVERLAPPED_ENTRY entries[64];
    while (pending_.sum() > 0) {
        ULONG count = 0;
        if (!GetQueuedCompletionStatusEx(port_, entries, 64, &count, 1000, FALSE)) {
            if (GetLastError() == WAIT_TIMEOUT) continue;
            break;
        }
        for (ULONG i = 0; i < count; ++i)
            if (entries[i].lpCompletionKey == detail::key_operation && entries[i].lpOverlapped != nullptr)
                pending_.add(-1);
    }
    // 3. Destroy every spawned coroutine's frame (and with it its children's), once.
    for (;;) {
        void *frame;
        {
            std::lock_guard<std::mutex> lock(roots_lock_);
            if (roots_ == nullptr) break;
            detail::root_link *link = roots_;
            roots_ = link->next;
            if (roots_ != nullptr) roots_->prev = nullptr;
            frame = link->frame;
        }
        std::coroutine_handle<>::from_address(frame).destroy();
    }
    {
        std::lock_guard<std::mutex> guard(groups_lock_);
        groups_.clear();
    }
    // Objects that outlive the context keep their handles, bound to nothing. A socket
    // keeps Winsock started for itself: the context's WSACleanup, if the process's last,
    // would destroy it.
    {
        std::lock_guard<std::mutex> lock(objects_lock_);
        while (objects_ != nullptr) {
            io_object *o = objects_;
            objects_ = o->next_;
            o->prev_ = o->next_ = nullptr;
            o->ctx_ = nullptr;
            WSADATA data;
            if (o->socket_ && !o->winsock_) o->winsock_ = WSAStartup(MAKEWORD(2, 2), &data) == 0;
        }
    }
    CloseHandle(port_);
    port_ = nullptr;
    if (winsock_) WSACleanup();
}

// -- spawning ----------------------------------------------------------------------------

namespace detail {
// The frame of a spawned coroutine: registered with its context until it ends, then it
// destroys itself (or the context destroys it at shutdown).
struct detached {
    struct promise_type {
        io_context *ctx;
        root_link link;
        template <class A>
        promise_type(io_context &c, A &) noexcept : ctx(&c)
        {
            link.frame = std::coroutine_handle<promise_type>::from_promise(*this).address();
        }
        detached get_return_object() noexcept { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> self) const noexcept
            {
                io_context *ctx = self.promise().ctx;
                ctx->remove_root(&self.promise().link);
                self.destroy();
                ctx->work_done();
            }
            void await_resume() const noexcept {}
        };
        final_awaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }
    };
    std::coroutine_handle<promise_type> handle;
};

template <class A>
detached spawn_frame(io_context &, A awaitable)
{
    co_await std::move(awaitable);
}
} // namespace detail

// Starts `awaitable` (a task, or any awaitable) now, on this thread, until its first
// suspension; the context owns it from then on. An exception escaping it terminates.
template <class Awaitable>
void co_spawn(io_context &ctx, Awaitable awaitable)
{
    auto frame = detail::spawn_frame(ctx, std::move(awaitable));
    ctx.root_started(&frame.handle.promise().link);
    frame.handle.resume();
}

// The same as co_spawn: the coroutine runs detached, owned by the context.
template <class Awaitable>
void detach(io_context &ctx, Awaitable awaitable)
{
    co_spawn(ctx, std::move(awaitable));
}

// Runs ctx until `awaitable` and everything else spawned has ended; returns its result
// (or rethrows its exception). Cut short by stop(), it throws ERROR_OPERATION_ABORTED; the
// coroutine it spawned stays in the context, with the outcome in a state of its own (not
// in this call's frame, which is gone by the time a later run() ends it).
template <class Awaitable>
auto sync_wait(io_context &ctx, Awaitable awaitable) -> detail::await_result_t<Awaitable>
{
    using result_t = detail::await_result_t<Awaitable>;
    using value_t = std::conditional_t<std::is_void_v<result_t>, bool, result_t>;
    struct state_t {
        std::exception_ptr failure;
        std::optional<value_t> result;
    };
    auto state = std::make_shared<state_t>();
    co_spawn(ctx, [](Awaitable a, std::shared_ptr<state_t> s) -> task<> {
        try {
            if constexpr (std::is_void_v<result_t>) {
                co_await std::move(a);
                s->result.emplace(true);
            } else {
                s->result.emplace(co_await std::move(a));
            }
        } catch (...) {
            s->failure = std::current_exception();
        }
    }(std::move(awaitable), state));
    ctx.run();
    if (state->failure) std::rethrow_exception(state->failure);
    if (!state->result) throw std::system_error(make_win32_error(ERROR_OPERATION_ABORTED), "sync_wait");
    if constexpr (!std::is_void_v<result_t>) return std::move(*state->result);
}

// -- post, wait, sleep_for ---------------------------------------------------------------

namespace detail {

struct post_awaiter : operation {
    io_context *ctx;
    explicit post_awaiter(io_context *c) noexcept : ctx(c) {}
    post_awaiter(const post_awaiter &other) noexcept : operation(other), ctx(other.ctx) {}
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h)
    {
        continuation = h;
        io_context *c = ctx;
        c->add_pending();
        if (!PostQueuedCompletionStatus(c->native_handle(), 0, key_operation, this)) {
            error = GetLastError();
            c->add_pending_done();
            return false;
        }
        return true;
    }
    void await_resume() const
    {
        if (error != 0) throw std::system_error(make_win32_error(error), "PostQueuedCompletionStatus");
    }
};

// A std::stop_callback whose owner does not wait in its destructor for a callback run by
// another thread. The standard makes ~stop_callback wait for a callback running elsewhere
// until libstdc++'s request_stop releases it; libstdc++ 12 sleeps in that wait, where there
// is no futex (mingw-w64), in a way that can miss the release and sleep forever (a stop
// from another thread, under Wine: 1 run in 150 of tests/cpp/test_cancel.cpp hung so).
// So a callback run by a stop destroys its stop_callback itself, from within, where the
// standard never waits, and disarm() waits for that with a yielding loop of its own. The
// owner destroys it only when no stop had begun as it looked (then a stop that pops the
// callback in the few instructions before the owner takes the list's lock is waited for).
// Once a stop has begun, disarm() waits until the stopping thread has come to this
// callback, after the callbacks registered later on the same token (libstdc++ runs the
// newest first); the library's own callbacks never block.
template <class F>
class stop_hook {
public:
    stop_hook() noexcept = default;
    stop_hook(stop_hook &&) noexcept {} // awaitables move before they are awaited, never armed
    stop_hook(const stop_hook &) = delete;
    stop_hook &operator=(const stop_hook &) = delete;
    ~stop_hook() { disarm(); }

    // F may run at once, on this thread, if the stop was already requested.
    void arm(const std::stop_token &token, F work)
    {
        armed_ = true;
        token_ = token;
        work_.emplace(std::move(work));
        arming_thread_ = GetCurrentThreadId();
        arming_.store(true);
        callback_.emplace(token, trampoline{this});
        arming_.store(false);
    }
    // After it, F is not running and never will.
    void disarm() noexcept
    {
        if (!armed_) return;
        armed_ = false;
        // A stop begun (its flag is set before it takes the first callback) runs this
        // callback in any case: the callback then destroys itself.
        const bool stopping = token_.stop_requested();
        unsigned char phase = idle;
        if (phase_.compare_exchange_strong(phase, stopping ? handed_over : closed, std::memory_order_acq_rel)) {
            if (!stopping) {
                callback_.reset();
                return;
            }
        }
        while ((phase = phase_.load(std::memory_order_acquire)) == working || phase == handed_over)
            SwitchToThread();
        if (phase == worked_kept) callback_.reset();
    }

private:
    // idle -> working -> worked_kept (inside arm()) or gone: the callback did the work.
    // idle -> closed (the owner destroys it) or handed_over -> gone: it never will.
    static constexpr unsigned char idle = 0, working = 1, worked_kept = 2, gone = 3, closed = 4, handed_over = 5;
    struct trampoline {
        stop_hook *hook;
        void operator()() const noexcept
        {
            stop_hook *h = hook; // *this is destroyed below
            unsigned char phase = idle;
            if (h->phase_.compare_exchange_strong(phase, working, std::memory_order_acq_rel)) {
                (*h->work_)();
                // Inside arm() the stop_callback is still being made. Run at once by its
                // constructor, on the arming thread: disarm() destroys it (it never
                // waits then: the callback was not registered). Taken by a stop from
                // another thread while it registers: arm() ends in a few instructions.
                if (h->arming_.load()) {
                    if (GetCurrentThreadId() == h->arming_thread_) {
                        h->phase_.store(worked_kept, std::memory_order_release);
                        return;
                    }
                    while (h->arming_.load()) SwitchToThread();
                }
            } else if (phase != handed_over) {
                return; // closed: the owner destroys it
            }
            h->callback_.reset();
            h->phase_.store(gone, std::memory_order_release);
        }
    };
    bool armed_ = false; // the owner's own
    std::atomic<bool> arming_{false};
    DWORD arming_thread_ = 0; // written before arming_ is set
    std::atomic<unsigned char> phase_{idle};
    std::stop_token token_;
    std::optional<F> work_;
    std::optional<std::stop_callback<trampoline>> callback_;
};

struct wait_canceller {
    io_context *ctx;
    wait_operation *op;
    void operator()() const noexcept { ctx->cancel_wait(op); }
};

// co_await on a wait: the object's handle goes to a wait thread.
struct wait_awaiter : wait_operation {
    io_context *ctx;
    options opts;
    stop_hook<wait_canceller> callback;
    const char *what = "wait";

    wait_awaiter(io_context *c, HANDLE h, options o) noexcept : ctx(c), opts(std::move(o)) { object = h; }
    wait_awaiter(wait_awaiter &&other) noexcept : wait_operation(), ctx(other.ctx), opts(std::move(other.opts))
    {
        object = other.object;
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h)
    {
        continuation = h;
        if (opts.token.stop_requested()) {
            error = ERROR_OPERATION_ABORTED;
            return false;
        }
        if (opts.token.stop_possible()) callback.arm(opts.token, wait_canceller{ctx, this});
        ctx->register_wait(this);
        return true;
    }
    DWORD finish_result()
    {
        callback.disarm();
        report(error ? make_win32_error(error) : std::error_code(), opts.ec, what);
        return bytes;
    }
    DWORD await_resume() { return finish_result(); }
};

// co_await ctx.sleep_for(d): a waitable timer of its own, set, and waited for.
struct sleep_awaiter : wait_awaiter {
    LARGE_INTEGER due;
    handle timer;
    sleep_awaiter(io_context *c, LARGE_INTEGER d, options o) noexcept : wait_awaiter(c, nullptr, std::move(o)), due(d)
    {
        what = "sleep_for";
    }
    sleep_awaiter(sleep_awaiter &&other) noexcept : wait_awaiter(std::move(other)), due(other.due) {}
    bool await_suspend(std::coroutine_handle<> h)
    {
        continuation = h;
        timer.reset(CreateWaitableTimerW(nullptr, TRUE, nullptr));
        if (!timer || !SetWaitableTimer(timer.get(), &due, 0, nullptr, nullptr, FALSE)) {
            error = GetLastError();
            return false;
        }
        object = timer.get();
        return wait_awaiter::await_suspend(h);
    }
    void await_resume() { finish_result(); }
};

} // namespace detail

inline auto io_context::post() noexcept { return detail::post_awaiter(this); }

template <class... O>
auto io_context::wait(HANDLE object, O &&...o)
{
    return detail::wait_awaiter(this, object, detail::make_options(std::forward<O>(o)...));
}

template <class Rep, class Period, class... O>
auto io_context::sleep_for(std::chrono::duration<Rep, Period> d, O &&...o)
{
    return detail::sleep_awaiter(this, detail::relative_due_time(d), detail::make_options(std::forward<O>(o)...));
}

} // namespace ovl

#endif
