// timer.cpp: waitable timers and the timer thread.
#include "kernel/timer.h"

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "kernel/thread.h"

namespace overlapped::kernel {

int64_t monotonic_now_ns()
{
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<int64_t>(now.tv_sec) * 1000000000LL + now.tv_nsec;
}

int64_t monotonic_from_due_time(int64_t due)
{
    int64_t now = monotonic_now_ns();
    uint64_t ahead;  // 100 ns units from now
    if (due <= 0) {
        ahead = static_cast<uint64_t>(0) - static_cast<uint64_t>(due);  // INT64_MIN too
    } else {
        timespec real;
        clock_gettime(CLOCK_REALTIME, &real);
        int64_t now_filetime = (int64_t(real.tv_sec) + 11644473600LL) * 10000000LL + real.tv_nsec / 100;
        ahead = due > now_filetime ? static_cast<uint64_t>(due - now_filetime) : 0;
    }
    if (ahead >= static_cast<uint64_t>(kFarFutureNs - now) / 100) return kFarFutureNs;
    return now + static_cast<int64_t>(ahead) * 100;
}

namespace {

struct Expiry {
    int64_t due_ns;
    TimerObject* timer;  // holds a reference while queued
    uint64_t arming;
    bool operator>(const Expiry& other) const { return due_ns > other.due_ns; }
};

// The timer thread: started on first use, sleeps until the earliest deadline.
class TimerService {
public:
    static TimerService& instance()
    {
        static TimerService* service = new TimerService();
        return *service;
    }

    void schedule(TimerObject* timer, int64_t due_ns, uint64_t arming)
    {
        timer->add_reference();
        std::lock_guard<std::mutex> guard(mutex_);
        queue_.push(Expiry{due_ns, timer, arming});
        if (!started_) {
            started_ = true;
            std::thread(&TimerService::run, this).detach();
        }
        changed_.notify_one();
    }

private:
    void run()
    {
        std::unique_lock<std::mutex> guard(mutex_);
        for (;;) {
            if (queue_.empty()) {
                changed_.wait(guard);
                continue;
            }
            Expiry next = queue_.top();
            int64_t now = monotonic_now_ns();
            if (next.due_ns > now) {
                changed_.wait_for(guard, std::chrono::nanoseconds(next.due_ns - now));
                continue;
            }
            queue_.pop();
            guard.unlock();
            next.timer->fire(next.arming);
            next.timer->release_reference();
            guard.lock();
        }
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::priority_queue<Expiry, std::vector<Expiry>, std::greater<Expiry>> queue_;
    bool started_ = false;
};



// FILETIME of the expiry, passed to the completion routine as Windows does.
void current_filetime(DWORD* low, DWORD* high)
{
    timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t ticks = (static_cast<uint64_t>(now.tv_sec) + 11644473600ULL) * 10000000ULL +
                     static_cast<uint64_t>(now.tv_nsec) / 100;
    *low = static_cast<DWORD>(ticks);
    *high = static_cast<DWORD>(ticks >> 32);
}

// a: the routine, b: its argument, c: the FILETIME of the expiry.
void run_timer_apc(const Apc& apc)
{
    reinterpret_cast<PTIMERAPCROUTINE>(apc.a)(reinterpret_cast<LPVOID>(apc.b),
                                              static_cast<DWORD>(apc.c),
                                              static_cast<DWORD>(apc.c >> 32));
}

}  // namespace

TimerObject* TimerObject::create(bool manual_reset)
{
    TimerObject* timer = Pool<TimerObject>::instance().acquire();
    timer->lock.lock();
    timer->reset_base();
    timer->manual_reset_ = manual_reset;
    timer->signaled_ = false;
    timer->routine_ = nullptr;
    timer->setter_ = nullptr;
    static std::atomic<uint64_t> next_apc_owner{1};
    timer->apc_owner_ = next_apc_owner.fetch_add(1, std::memory_order_relaxed);
    timer->lock.unlock();
    return timer;
}

void TimerObject::arm(int64_t due_ns, LONG period_ms, PTIMERAPCROUTINE routine, LPVOID argument,
                      ThreadState* setter)
{
    uint64_t arming;
    {
        LockGuard guard(lock);
        take_back_apc();
        arming = ++arming_;
        signaled_ = false;
        due_ns_ = due_ns;
        period_ms_ = period_ms;
        routine_ = routine;
        argument_ = argument;
        setter_ = setter;
        setter_id_ = setter->thread_id.load(std::memory_order_relaxed);
    }
    TimerService::instance().schedule(this, due_ns, arming);
}

void TimerObject::cancel()
{
    LockGuard guard(lock);
    take_back_apc();
    ++arming_;
}

void TimerObject::take_back_apc()
{
    if (routine_ == nullptr || setter_ == nullptr) return;
    // Only while the setting thread lives: its ThreadState may be reused otherwise (and
    // the APCs of a thread that ended were dropped with it).
    ThreadObject* setter_object = thread_find(setter_id_);
    if (setter_object == nullptr) return;
    if (&setter_object->state == setter_) cancel_queued_apc(setter_, apc_owner_);
    setter_object->release_reference();
}

void TimerObject::last_handle_closed() { ++arming_; }

void TimerObject::fire(uint64_t arming)
{
    WakeList wake;
    int64_t next_due = 0;
    {
        LockGuard guard(lock);
        if (arming != arming_) return;  // re-armed or cancelled since
        signaled_ = true;
        if (has_waiters()) signal_waiters(wake);
        if (routine_ != nullptr && setter_ != nullptr) {
            // Only while the setting thread lives: its ThreadState may be reused otherwise.
            ThreadObject* setter_object = thread_find(setter_id_);
            if (setter_object != nullptr) {
                // (An ended thread stays findable while its object lives: not to it.)
                if (&setter_object->state == setter_ &&
                    !__atomic_load_n(&setter_->exiting, __ATOMIC_ACQUIRE)) {
                    DWORD low, high;
                    current_filetime(&low, &high);
                    // At most one queued at a time: expiries while it waits to run add none
                    // (a Windows timer's one APC object is already in the queue).
                    queue_apc_once(setter_, Apc{&run_timer_apc, reinterpret_cast<ULONG_PTR>(routine_),
                                                reinterpret_cast<ULONG_PTR>(argument_),
                                                (static_cast<ULONG_PTR>(high) << 32) | low, apc_owner_});
                }
                setter_object->release_reference();
            }
        }
        if (period_ms_ > 0) {
            due_ns_ += static_cast<int64_t>(period_ms_) * 1000000LL;
            next_due = due_ns_;
        }
    }
    if (next_due != 0) TimerService::instance().schedule(this, next_due, arming);
}

void TimerObject::recycle()
{
    lock.lock();
    ++arming_;
    signaled_ = false;
    lock.unlock();
    Pool<TimerObject>::instance().release(this);
}

}  // namespace overlapped::kernel
