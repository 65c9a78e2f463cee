// object.cpp: reference counting, waiter lists and the signalling half of the wait
// protocol (the waiting half is in wait.cpp).
#include "kernel/object.h"

#include "common/futex.h"
#include "kernel/names.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {

void WakeList::add(ThreadState* thread)
{
    if (count_ == static_cast<int>(sizeof(threads_) / sizeof(threads_[0]))) {
        // Full: wake this one now. Safe while the caller holds an object lock, only slower.
        wake_thread(thread);
        return;
    }
    threads_[count_++] = thread;
}

void WakeList::flush()
{
    // ThreadState memory is type-stable (kernel/thread.h), so waking a thread that has
    // meanwhile returned from its wait, or even exited, is at worst a spurious wake-up.
    for (int i = 0; i < count_; ++i) wake_thread(threads_[i]);
    count_ = 0;
}

void wake_thread(ThreadState* thread)
{
    if (thread->sleeping.load(std::memory_order_seq_cst) != 0) futex_wake(&thread->wait_status, 1);
}

bool Object::try_add_reference()
{
    uint32_t count = references_.load(std::memory_order_relaxed);
    while (count != 0) {
        if (references_.compare_exchange_weak(count, count + 1, std::memory_order_acquire,
                                              std::memory_order_relaxed))
            return true;
    }
    return false;
}

void Object::release_reference()
{
    if (references_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    if (recycle_later()) return;
    recycle_now();
}

void Object::recycle_now()
{
    if (!name.empty()) names_remove(this);
    recycle();
}

void Object::link_waiter(WaitEntry* entry)
{
    entry->next = nullptr;
    entry->prev = waiters_tail_;
    if (waiters_tail_ != nullptr)
        waiters_tail_->next = entry;
    else
        waiters_head_ = entry;
    waiters_tail_ = entry;
    entry->linked = true;
}

void Object::unlink_waiter(WaitEntry* entry)
{
    if (!entry->linked) return;
    if (entry->prev != nullptr)
        entry->prev->next = entry->next;
    else
        waiters_head_ = entry->next;
    if (entry->next != nullptr)
        entry->next->prev = entry->prev;
    else
        waiters_tail_ = entry->prev;
    entry->prev = entry->next = nullptr;
    entry->linked = false;
}

bool plain_state(const Object* object)
{
    switch (object->type()) {
    case ObjectType::Event:
    case ObjectType::Semaphore:
    case ObjectType::Mutex:
    case ObjectType::Timer:
    case ObjectType::Thread:
    case ObjectType::CompletionPort:
    case ObjectType::Job:
        return true;
    default:
        return false;
    }
}

namespace {

// Under `held`'s lock, which is signalled for `entry`'s thread: satisfies the wait-all
// `entry` belongs to if every other object of it is signalled for that thread too and
// their locks are free now. False if it did not (the waiter is then to re-check).
// An object that becomes signalled briefly (PulseEvent) releases such a wait as on
// Windows, and the wait takes a released mutex or semaphore before anyone who asks
// later, instead of finding it taken again when it re-checks.
bool try_satisfy_wait_all(Object* held, WaitEntry* entry, WakeList& wake)
{
    ThreadState* thread = entry->thread;
    Object* const* objects = entry->all_objects;
    uint32_t count = entry->all_count;
    if (objects == nullptr) return false;
    for (uint32_t i = 0; i < count; ++i)
        if (!plain_state(objects[i])) return false;
    Object* locked[MAXIMUM_WAIT_OBJECTS];
    uint32_t locked_count = 0;
    bool satisfiable = true;
    for (uint32_t i = 0; i < count && satisfiable; ++i) {
        if (objects[i] == held) continue;
        if (!objects[i]->lock.try_lock()) {
            satisfiable = false;
            break;
        }
        locked[locked_count++] = objects[i];
        satisfiable = objects[i]->is_signaled(thread);
    }
    bool claimed = false;
    if (satisfiable) {
        uint32_t result = WAIT_OBJECT_0;
        for (uint32_t i = 0; i < count; ++i)
            if (objects[i]->satisfy_code() != 0) result = WAIT_ABANDONED_0;
        if (try_claim_wait(thread, result)) {
            for (uint32_t i = 0; i < count; ++i) objects[i]->satisfy(thread);
            wake.add(thread);
            claimed = true;
        }
    }
    for (uint32_t i = locked_count; i-- > 0;) locked[i]->lock.unlock();
    return claimed;
}

}  // namespace

void Object::signal_waiters(WakeList& wake)
{
    for (WaitEntry* entry = waiters_head_; entry != nullptr; entry = entry->next) {
        ThreadState* thread = entry->thread;
        if (!is_signaled(thread)) {
            // Mutexes are signalled per thread (the owner may re-acquire); others are
            // signalled for all or none, so stop at the first that is not satisfied.
            if (type() == ObjectType::Mutex) continue;
            break;
        }
        if (entry->wait_all) {
            if (!try_satisfy_wait_all(this, entry, wake) && try_claim_wait(thread, kWaitRecheck))
                wake.add(thread);
            continue;
        }
        if (try_claim_wait(thread, satisfy_code() + entry->index)) {
            satisfy(thread);
            wake.add(thread);
        }
    }
}

}  // namespace overlapped::kernel
