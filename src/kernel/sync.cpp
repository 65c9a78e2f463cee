// sync.cpp: events, semaphores and mutexes.
#include "kernel/sync.h"

#include <algorithm>

namespace overlapped::kernel {

// ---- events

EventObject* EventObject::create(bool manual_reset, bool initial_state)
{
    EventObject* event = Pool<EventObject>::instance().acquire();
    event->lock.lock();
    event->reset_base();
    event->manual_reset_ = manual_reset;
    event->signaled_ = initial_state;
    event->lock.unlock();
    return event;
}

void EventObject::set(WakeList& wake)
{
    signaled_ = true;
    if (has_waiters()) signal_waiters(wake);
}

void EventObject::await_deliveries() const
{
    // The window is a completion thread's few instructions between its result write and
    // its set (or its time off the CPU in between): spin briefly, then yield to it.
    for (int spins = 0; deliveries_.load(std::memory_order_acquire) != 0; ++spins) {
        if (spins < 100) cpu_relax();
        else sched_yield();
    }
}

void EventObject::set_now()
{
    WakeList wake;
    lock.lock();
    set(wake);
    lock.unlock();
}

void EventObject::set_delivered()
{
    set_now();
    deliveries_.fetch_sub(1, std::memory_order_release);
}

void EventObject::reset_after_deliveries()
{
    await_deliveries();
    lock.lock();
    reset();
    lock.unlock();
}

void EventObject::pulse(WakeList& wake)
{
    set(wake);
    signaled_ = false;
}

void EventObject::recycle()
{
    lock.lock();
    signaled_ = false;
    lock.unlock();
    Pool<EventObject>::instance().release(this);
}

// ---- semaphores

SemaphoreObject* SemaphoreObject::create(LONG initial, LONG maximum)
{
    SemaphoreObject* semaphore = Pool<SemaphoreObject>::instance().acquire();
    semaphore->lock.lock();
    semaphore->reset_base();
    semaphore->count_ = initial;
    semaphore->maximum_ = maximum;
    semaphore->lock.unlock();
    return semaphore;
}

DWORD SemaphoreObject::release(LONG count, LONG* previous, WakeList& wake)
{
    if (count > maximum_ - count_) return ERROR_TOO_MANY_POSTS;
    if (previous != nullptr) *previous = count_;
    count_ += count;
    if (has_waiters()) signal_waiters(wake);
    return ERROR_SUCCESS;
}

void SemaphoreObject::recycle()
{
    Pool<SemaphoreObject>::instance().release(this);
}

// ---- mutexes

MutexObject* MutexObject::create(ThreadState* initial_owner)
{
    MutexObject* mutex = Pool<MutexObject>::instance().acquire();
    mutex->lock.lock();
    mutex->reset_base();
    mutex->owner_ = nullptr;
    mutex->recursion_ = 0;
    mutex->abandoned_ = false;
    if (initial_owner != nullptr) mutex->satisfy(initial_owner);
    mutex->lock.unlock();
    return mutex;
}

void MutexObject::satisfy(ThreadState* thread)
{
    abandoned_ = false;
    if (owner_ == thread) {
        ++recursion_;
        return;
    }
    owner_ = thread;
    recursion_ = 1;
    // The owner keeps a reference so that it can abandon the mutex when it exits even
    // after every handle was closed.
    add_reference();
    LockGuard guard(thread->owned_lock);
    thread->owned_mutexes.push_back(this);
}

DWORD MutexObject::release(ThreadState* thread, WakeList& wake)
{
    if (owner_ != thread) return ERROR_NOT_OWNER;
    if (--recursion_ != 0) return ERROR_SUCCESS;
    owner_ = nullptr;
    {
        LockGuard guard(thread->owned_lock);
        auto& owned = thread->owned_mutexes;
        owned.erase(std::find(owned.begin(), owned.end(), this));
    }
    if (has_waiters()) signal_waiters(wake);
    // The caller still holds a handle reference, so this cannot be the last one.
    release_reference();
    return ERROR_SUCCESS;
}

void MutexObject::abandon(WakeList& wake)
{
    owner_ = nullptr;
    recursion_ = 0;
    abandoned_ = true;
    if (has_waiters()) signal_waiters(wake);
}

void MutexObject::recycle()
{
    Pool<MutexObject>::instance().release(this);
}

}  // namespace overlapped::kernel
