// sync.h: events, semaphores and mutexes: their state and the waiting protocol for each.
#pragma once

#include "kernel/object.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {

class EventObject final : public Object {
public:
    EventObject() : Object(ObjectType::Event) {}
    static EventObject* create(bool manual_reset, bool initial_state);

    bool is_signaled(const ThreadState*) const override { return signaled_; }
    void satisfy(ThreadState*) override
    {
        if (!manual_reset_) signaled_ = false;
    }

    // All under `lock`; they collect the threads to wake in `wake`.
    void set(WakeList& wake);
    // Without `lock`: takes it, sets the event, and wakes the threads that released (after
    // letting the lock go).
    void set_now();
    void reset() { signaled_ = false; }
    void pulse(WakeList& wake);
    bool signaled() const { return signaled_; }

    // A completion that writes a request's result and then sets this event, from a
    // thread other than the issuer's, brackets the two with begin_delivery() (before the
    // result is written) and set_delivered() (which sets the event and ends it). A reset
    // that the issuer makes once it has seen the result (its next request's issue,
    // ResetEvent: reset_after_deliveries()) first waits in await_deliveries() for those
    // sets, which Windows makes in the issuer's own context (a kernel APC): the late set
    // of an old completion never lands on a new request.
    // Call these without the lock: set_delivered() takes it to set the event, then ends
    // the delivery; reset_after_deliveries() waits for the sets on their way, then takes
    // it to reset.
    void begin_delivery() { deliveries_.fetch_add(1, std::memory_order_relaxed); }
    void set_delivered();
    void reset_after_deliveries();
    void await_deliveries() const;
    bool deliveries_pending() const { return deliveries_.load(std::memory_order_acquire) != 0; }

private:
    void recycle() override;

    bool manual_reset_ = false;
    bool signaled_ = false;
    std::atomic<uint32_t> deliveries_{0};
};

class SemaphoreObject final : public Object {
public:
    SemaphoreObject() : Object(ObjectType::Semaphore) {}
    static SemaphoreObject* create(LONG initial, LONG maximum);

    bool is_signaled(const ThreadState*) const override { return count_ > 0; }
    void satisfy(ThreadState*) override { --count_; }

    // Under `lock`: adds `count`; ERROR_TOO_MANY_POSTS past the maximum (count unchanged).
    DWORD release(LONG count, LONG* previous, WakeList& wake);

private:
    void recycle() override;

    LONG count_ = 0;
    LONG maximum_ = 0;
};

class MutexObject final : public Object {
public:
    MutexObject() : Object(ObjectType::Mutex) {}
    static MutexObject* create(ThreadState* initial_owner);

    bool is_signaled(const ThreadState* thread) const override
    {
        return owner_ == nullptr || owner_ == thread;
    }
    uint32_t satisfy_code() const override { return abandoned_ ? WAIT_ABANDONED_0 : 0; }
    void satisfy(ThreadState* thread) override;

    // Under `lock`: ERROR_NOT_OWNER unless `thread` owns it.
    DWORD release(ThreadState* thread, WakeList& wake);
    // Under `lock`: the owner exited without releasing.
    void abandon(WakeList& wake);

private:
    void recycle() override;

    ThreadState* owner_ = nullptr;
    uint32_t recursion_ = 0;
    bool abandoned_ = false;
};

}  // namespace overlapped::kernel
