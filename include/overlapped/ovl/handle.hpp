// ovl/handle.hpp: move-only owners of kernel handles that are not bound to an io_context
// (docs/cpp.md "Ownership"). Each closes its handle exactly once.
#ifndef OVERLAPPED_OVL_HANDLE_HPP
#define OVERLAPPED_OVL_HANDLE_HPP

#include "error.hpp"

#include <chrono>
#include <stop_token>
#include <utility>

namespace ovl {

namespace detail {
inline bool valid_handle(HANDLE h) noexcept { return h != nullptr && h != INVALID_HANDLE_VALUE; }

struct options {
    std::stop_token token;
    std::error_code *ec = nullptr;
};
inline void add_option(options &o, std::stop_token token) noexcept { o.token = std::move(token); }
inline void add_option(options &o, std::error_code &ec) noexcept { o.ec = &ec; }
// The trailing arguments every call takes: a std::stop_token and/or a std::error_code&
// (with one, the call reports into it instead of throwing).
template <class... O>
options make_options(O &&...o)
{
    options result;
    (add_option(result, std::forward<O>(o)), ...);
    return result;
}

// A 100-ns relative due time for SetWaitableTimer (negative = relative).
template <class Rep, class Period>
LARGE_INTEGER relative_due_time(std::chrono::duration<Rep, Period> d) noexcept
{
    auto ticks = std::chrono::duration_cast<std::chrono::duration<long long, std::ratio<1, 10000000>>>(d).count();
    if (ticks < 1) ticks = 1;
    LARGE_INTEGER due;
    due.QuadPart = -ticks;
    return due;
}
} // namespace detail

// Any kernel handle closed with CloseHandle.
class handle {
public:
    handle() noexcept = default;
    explicit handle(HANDLE h) noexcept : h_(detail::valid_handle(h) ? h : nullptr) {}
    handle(handle &&other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
    handle &operator=(handle &&other) noexcept
    {
        if (this != &other) {
            close();
            h_ = std::exchange(other.h_, nullptr);
        }
        return *this;
    }
    handle(const handle &) = delete;
    handle &operator=(const handle &) = delete;
    ~handle() { close(); }

    HANDLE get() const noexcept { return h_; }
    HANDLE native_handle() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }
    HANDLE release() noexcept { return std::exchange(h_, nullptr); }
    void reset(HANDLE h = nullptr) noexcept
    {
        close();
        h_ = detail::valid_handle(h) ? h : nullptr;
    }
    // Closes now (a second close does nothing); reports CloseHandle's failure.
    template <class... O>
    void close(O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        std::error_code ec;
        if (h_ != nullptr && !CloseHandle(std::exchange(h_, nullptr))) ec = last_error();
        report(ec, opts.ec, "CloseHandle");
    }
    void close() noexcept
    {
        if (h_ != nullptr) CloseHandle(std::exchange(h_, nullptr));
    }

private:
    HANDLE h_ = nullptr;
};

// An event object (CreateEventW).
class event : public handle {
public:
    event() noexcept = default;
    explicit event(HANDLE h) noexcept : handle(h) {}
    template <class... O>
    static event create(bool manual_reset, bool initially_set, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        event e(CreateEventW(nullptr, manual_reset, initially_set, nullptr));
        report(e ? std::error_code() : last_error(), opts.ec, "CreateEventW");
        return e;
    }
    void set() const noexcept { SetEvent(get()); }
    void reset() const noexcept { ResetEvent(get()); }
};

// A waitable timer (CreateWaitableTimerW); co_await ovl::wait(ctx, timer) waits for it.
class waitable_timer : public handle {
public:
    waitable_timer() noexcept = default;
    explicit waitable_timer(HANDLE h) noexcept : handle(h) {}
    template <class... O>
    static waitable_timer create(bool manual_reset, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        waitable_timer t(CreateWaitableTimerW(nullptr, manual_reset, nullptr));
        report(t ? std::error_code() : last_error(), opts.ec, "CreateWaitableTimerW");
        return t;
    }
    // Fires once after `delay` (and then every `period` if it is not zero).
    template <class Rep, class Period, class... O>
    void set(std::chrono::duration<Rep, Period> delay, std::chrono::milliseconds period, O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        LARGE_INTEGER due = detail::relative_due_time(delay);
        BOOL ok = SetWaitableTimer(get(), &due, static_cast<LONG>(period.count()), nullptr, nullptr, FALSE);
        report(ok ? std::error_code() : last_error(), opts.ec, "SetWaitableTimer");
    }
    void cancel() const noexcept { CancelWaitableTimer(get()); }
};

// A completion port of one's own (the io_context owns another).
class port : public handle {
public:
    port() noexcept = default;
    explicit port(HANDLE h) noexcept : handle(h) {}
    template <class... O>
    static port create(DWORD concurrency, O &&...o)
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        port p(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, concurrency));
        report(p ? std::error_code() : last_error(), opts.ec, "CreateIoCompletionPort");
        return p;
    }
    template <class... O>
    void post(DWORD bytes, ULONG_PTR key, OVERLAPPED *overlapped, O &&...o) const
    {
        auto opts = detail::make_options(std::forward<O>(o)...);
        BOOL ok = PostQueuedCompletionStatus(get(), bytes, key, overlapped);
        report(ok ? std::error_code() : last_error(), opts.ec, "PostQueuedCompletionStatus");
    }
};

} // namespace ovl

#endif
