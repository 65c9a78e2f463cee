// ovl/when.hpp: when_all and when_any over tasks or any awaitables (docs/cpp.md).
#ifndef OVERLAPPED_OVL_WHEN_HPP
#define OVERLAPPED_OVL_WHEN_HPP

#include "task.hpp"

#include <array>
#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <stop_token>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace ovl {

namespace detail {

template <class T>
using value_or_monostate = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

struct when_state {
    std::atomic<std::size_t> remaining{0};
    std::coroutine_handle<> parent;
    // when_any: the index of the first child to end, its stop source.
    std::atomic<std::size_t> first{static_cast<std::size_t>(-1)};
    std::stop_source *stop = nullptr;
};

// One child of when_all/when_any: awaits its awaitable, stores the outcome, and the
// last child to end resumes the parent.
struct when_child {
    struct promise_type {
        when_state *state = nullptr;
        std::size_t index = 0;
        when_child get_return_object() noexcept
        {
            return {std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> self) const noexcept
            {
                when_state *state = self.promise().state;
                std::size_t none = static_cast<std::size_t>(-1);
                if (state->first.compare_exchange_strong(none, self.promise().index) && state->stop != nullptr)
                    state->stop->request_stop();
                if (state->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) return state->parent;
                return std::noop_coroutine();
            }
            void await_resume() const noexcept {}
        };
        final_awaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() const noexcept { std::terminate(); } // caught in the body
    };
    std::coroutine_handle<promise_type> handle;
};

template <class A, class R>
when_child run_child(A &awaitable, std::optional<R> &slot, std::exception_ptr &failure)
{
    try {
        if constexpr (std::is_same_v<R, std::monostate>) {
            co_await std::move(awaitable);
            slot.emplace();
        } else {
            slot.emplace(co_await std::move(awaitable));
        }
    } catch (...) {
        failure = std::current_exception();
    }
}

template <class... A>
class when_group {
public:
    static constexpr std::size_t count = sizeof...(A);
    using results_t = std::tuple<std::optional<value_or_monostate<await_result_t<A>>>...>;

    explicit when_group(std::stop_source *stop, A... awaitables) : awaitables_(std::move(awaitables)...)
    {
        state_.stop = stop;
    }
    when_group(when_group &&other) noexcept
        : awaitables_(std::move(other.awaitables_))
    {
        state_.stop = other.state_.stop;
    }
    ~when_group()
    {
        for (auto h : children_)
            if (h) h.destroy();
    }

    bool await_ready() const noexcept { return count == 0; }
    bool await_suspend(std::coroutine_handle<> parent)
    {
        state_.parent = parent;
        state_.remaining.store(count + 1, std::memory_order_relaxed);
        create(std::make_index_sequence<count>{});
        for (auto h : children_) h.resume();
        return state_.remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
    }

protected:
    template <std::size_t... I>
    void create(std::index_sequence<I...>)
    {
        ((children_[I] = run_child(std::get<I>(awaitables_), std::get<I>(results_), failures_[I]).handle), ...);
        for (std::size_t i = 0; i < count; ++i) {
            children_[i].promise().state = &state_;
            children_[i].promise().index = i;
        }
    }

    std::tuple<A...> awaitables_;
    results_t results_;
    std::array<std::exception_ptr, count> failures_{};
    std::array<std::coroutine_handle<when_child::promise_type>, count> children_{};
    when_state state_;
};

template <class... A>
class when_all_awaitable : public when_group<A...> {
public:
    using when_group<A...>::when_group;
    auto await_resume()
    {
        for (auto &f : this->failures_)
            if (f) std::rethrow_exception(f);
        return std::apply([](auto &...r) { return std::make_tuple(std::move(*r)...); }, this->results_);
    }
};

template <class... A>
class when_any_awaitable : public when_group<A...> {
public:
    using when_group<A...>::when_group;
    struct result {
        std::size_t index; // the awaitable that ended first
        typename when_group<A...>::results_t values;
    };
    result await_resume()
    {
        std::size_t first = this->state_.first.load();
        if (this->failures_[first]) std::rethrow_exception(this->failures_[first]);
        return result{first, std::move(this->results_)};
    }
};

// when_all over a vector of awaitables of one type.
template <class A>
class when_all_vector {
public:
    using value_t = value_or_monostate<await_result_t<A>>;
    explicit when_all_vector(std::vector<A> awaitables)
        : awaitables_(std::move(awaitables)), results_(awaitables_.size()), failures_(awaitables_.size()),
          children_(awaitables_.size())
    {
    }
    when_all_vector(when_all_vector &&other) noexcept
        : awaitables_(std::move(other.awaitables_)), results_(std::move(other.results_)),
          failures_(std::move(other.failures_)), children_(std::move(other.children_))
    {
    }
    ~when_all_vector()
    {
        for (auto h : children_)
            if (h) h.destroy();
    }
    bool await_ready() const noexcept { return awaitables_.empty(); }
    bool await_suspend(std::coroutine_handle<> parent)
    {
        state_.parent = parent;
        state_.remaining.store(awaitables_.size() + 1, std::memory_order_relaxed);
        for (std::size_t i = 0; i < awaitables_.size(); ++i) {
            children_[i] = run_child(awaitables_[i], results_[i], failures_[i]).handle;
            children_[i].promise().state = &state_;
            children_[i].promise().index = i;
        }
        for (auto h : children_) h.resume();
        return state_.remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
    }
    std::vector<value_t> await_resume()
    {
        for (auto &f : failures_)
            if (f) std::rethrow_exception(f);
        std::vector<value_t> values;
        values.reserve(results_.size());
        for (auto &r : results_) values.push_back(std::move(*r));
        return values;
    }

private:
    std::vector<A> awaitables_;
    std::vector<std::optional<value_t>> results_;
    std::vector<std::exception_ptr> failures_;
    std::vector<std::coroutine_handle<when_child::promise_type>> children_;
    when_state state_;
};

} // namespace detail

// co_await when_all(std::vector<task<T>>): the same over any number of awaitables of one
// type; a std::vector of their results. Allocates its vectors and one frame per child.
template <class A>
auto when_all(std::vector<A> awaitables)
{
    return detail::when_all_vector<A>(std::move(awaitables));
}

// co_await when_all(a, b, ...): runs them together; a tuple of their results
// (std::monostate for void); the first exception, if any, is rethrown after all ended.
template <class... A>
auto when_all(A... awaitables)
{
    return detail::when_all_awaitable<A...>(nullptr, std::move(awaitables)...);
}

// co_await when_any(stop, a, b, ...): runs them together; when the first ends, stop is
// requested (pass stop.get_token() to the others' calls so that they end early); resumes
// when all have ended with {index of the first, the optional results of all}. The first
// one's exception is rethrown; the others' (their cancellation) are dropped.
template <class... A>
auto when_any(std::stop_source &stop, A... awaitables)
{
    static_assert(sizeof...(A) > 0, "when_any needs at least one awaitable");
    return detail::when_any_awaitable<A...>(&stop, std::move(awaitables)...);
}

} // namespace ovl

#endif
