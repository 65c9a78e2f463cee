// ovl/task.hpp: ovl::task<T>, a lazy coroutine with symmetric transfer (docs/cpp.md "Tasks").
#ifndef OVERLAPPED_OVL_TASK_HPP
#define OVERLAPPED_OVL_TASK_HPP

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace ovl {

template <class T = void>
class task;

namespace detail {

struct task_promise_base {
    std::coroutine_handle<> continuation = std::noop_coroutine();
    std::exception_ptr exception;

    struct final_awaiter {
        bool await_ready() const noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept
        {
            return self.promise().continuation; // symmetric transfer: no stack growth
        }
        void await_resume() const noexcept {}
    };

    std::suspend_always initial_suspend() const noexcept { return {}; }
    final_awaiter final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct task_promise final : task_promise_base {
    std::optional<T> value;
    task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U &&result) noexcept(std::is_nothrow_constructible_v<T, U &&>)
    {
        value.emplace(std::forward<U>(result));
    }
    T take()
    {
        if (exception) std::rethrow_exception(exception);
        return std::move(*value);
    }
};

template <>
struct task_promise<void> final : task_promise_base {
    task<void> get_return_object() noexcept;
    void return_void() const noexcept {}
    void take() const
    {
        if (exception) std::rethrow_exception(exception);
    }
};

} // namespace detail

// A lazy coroutine: it starts when awaited, and its end resumes the awaiter directly
// (symmetric transfer). Its frame is the one allocation; move-only; destroying an
// unfinished task destroys its frame.
template <class T>
class [[nodiscard]] task {
public:
    using promise_type = detail::task_promise<T>;
    using value_type = T;

    task() noexcept = default;
    explicit task(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
    task(task &&other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    task &operator=(task other) noexcept
    {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ~task()
    {
        if (handle_) handle_.destroy();
    }

    bool valid() const noexcept { return static_cast<bool>(handle_); }

    struct awaiter {
        std::coroutine_handle<promise_type> handle;
        bool await_ready() const noexcept { return !handle || handle.done(); }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> waiting) const noexcept
        {
            handle.promise().continuation = waiting;
            return handle;
        }
        T await_resume() const { return handle.promise().take(); }
    };
    awaiter operator co_await() const & noexcept { return awaiter{handle_}; }
    awaiter operator co_await() const && noexcept { return awaiter{handle_}; }

private:
    std::coroutine_handle<promise_type> handle_;
};

namespace detail {
template <class T>
inline task<T> task_promise<T>::get_return_object() noexcept
{
    return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept
{
    return task<void>(std::coroutine_handle<task_promise<void>>::from_promise(*this));
}

// What co_await on an A yields.
template <class A>
decltype(auto) get_awaiter(A &&a)
{
    if constexpr (requires { std::forward<A>(a).operator co_await(); })
        return std::forward<A>(a).operator co_await();
    else
        return std::forward<A>(a);
}
template <class A>
using await_result_t = decltype(get_awaiter(std::declval<A>()).await_resume());
} // namespace detail

} // namespace ovl

#endif
