// wait.cpp: the waiting half of the wait protocol (object.cpp has the signalling half).
//
// Wait-any: the waiter links an entry into each object's waiter list and sleeps on its
// own wait word; a signaller claims the waiter by CAS on that word (exactly one party
// wins), consumes the signal under the object's lock and wakes it.
// Wait-all: signallers only say "re-check"; the waiter locks every object (in address
// order), and consumes all of them at once or none.
#include <cstdlib>
#include "kernel/wait.h"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

#include "common/futex.h"
#include "kernel/port.h"

namespace overlapped::kernel {

const timespec* Deadline::absolute() const
{
    if (infinite) return nullptr;
    if (!computed_) {
        clock_gettime(CLOCK_MONOTONIC, &at_);
        at_.tv_sec += milliseconds_ / 1000;
        at_.tv_nsec += static_cast<long>(milliseconds_ % 1000) * 1000000L;
        if (at_.tv_nsec >= 1000000000L) {
            at_.tv_sec += 1;
            at_.tv_nsec -= 1000000000L;
        }
        computed_ = true;
    }
    return &at_;
}

bool Deadline::expired() const
{
    if (infinite) return false;
    if (zero) return true;
    const timespec* at = absolute();
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > at->tv_sec || (now.tv_sec == at->tv_sec && now.tv_nsec >= at->tv_nsec);
}

unsigned port_wait_spin()
{
    static const unsigned spin = [] {
        if (const char* forced = getenv("OVERLAPPED_PORT_SPIN")) return static_cast<unsigned>(atoi(forced));
        long processors = sysconf(_SC_NPROCESSORS_ONLN);
        // About the cost of a futex sleep and wake-up here (~15 us at ~25 ns a pause).
        return processors > 1 ? 600u : 0u;
    }();
    return spin;
}

uint32_t sleep_until_claimed(ThreadState* self, uint32_t waiting, const Deadline& deadline, unsigned spin)
{
    for (unsigned i = 0; i < spin; ++i) {
        uint32_t status = self->wait_status.load(std::memory_order_acquire);
        if (status != waiting) return status;
        cpu_relax();
    }
    for (;;) {
        self->sleeping.store(1, std::memory_order_seq_cst);
        uint32_t status = self->wait_status.load(std::memory_order_seq_cst);
        if (status != waiting) {
            self->sleeping.store(0, std::memory_order_relaxed);
            return status;
        }
        int rc = futex_wait(&self->wait_status, waiting, deadline.absolute());
        self->sleeping.store(0, std::memory_order_relaxed);
        if (rc == ETIMEDOUT || (!deadline.infinite && deadline.expired())) {
            uint32_t expected = waiting;
            if (self->wait_status.compare_exchange_strong(expected, kWaitTimedOut,
                                                          std::memory_order_acq_rel))
                return kWaitTimedOut;
            return expected;
        }
    }
}

namespace {

// Checks the objects once without blocking; for wait-any, the first signalled one is
// consumed. Returns a WAIT_* result or kWaiting if nothing is signalled.
uint32_t poll_any(ThreadState* self, Object* const* objects, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        Object* object = objects[i];
        LockGuard guard(object->lock);
        if (object->is_signaled(self)) {
            uint32_t result = object->satisfy_code() + i;
            object->satisfy(self);
            return result;
        }
    }
    return kWaiting;
}

void lock_all(Object* const* sorted, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) sorted[i]->lock.lock();
}

void unlock_all(Object* const* sorted, uint32_t count)
{
    for (uint32_t i = count; i-- > 0;) sorted[i]->lock.unlock();
}

// Under every object's lock: consumes all of them if all are signalled for `self`.
uint32_t try_take_all(ThreadState* self, Object* const* objects, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i)
        if (!objects[i]->is_signaled(self)) return kWaiting;
    uint32_t result = WAIT_OBJECT_0;
    for (uint32_t i = 0; i < count; ++i) {
        if (objects[i]->satisfy_code() != 0) result = WAIT_ABANDONED_0;
        objects[i]->satisfy(self);
    }
    return result;
}

void unlink_all(Object* const* objects, WaitEntry* entries, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        if (!entries[i].linked) continue;
        LockGuard guard(objects[i]->lock);
        objects[i]->unlink_waiter(&entries[i]);
    }
}

DWORD finish(ThreadState* self, uint32_t status)
{
    self->wait_status.store(kWaitIdle, std::memory_order_relaxed);
    if (status == kWaitTimedOut) return WAIT_TIMEOUT;
    if (status == kWaitAlerted) {
        run_pending_apcs(self);
        return WAIT_IO_COMPLETION;
    }
    return status;
}

// Whether a wait-any on `objects` spins before it sleeps: not when one is a process,
// whose signal is a child's exit, hundreds of microseconds away at the least; spinning
// then only takes the CPU from that child (on a small machine, its very CPU: the child
// of posix_spawn starts on the parent's).
bool spin_worthwhile(Object* const* objects, uint32_t count)
{
    if (count == 0) return false;  // a plain Sleep has nothing that could end it early but an APC
    for (uint32_t i = 0; i < count; ++i)
        if (objects[i]->type() == ObjectType::Process) return false;
    return true;
}

// The end of a wait-any (wait_any, signal_and_wait) once its entries are linked and
// wait_status says `waiting`: an APC queued meanwhile (alertable) or a zero time-out
// claims the wait, else the thread sleeps until something claims it; then its entries
// are unlinked and the claim becomes the result.
DWORD claim_sleep_finish(ThreadState* self, Object* const* objects, WaitEntry* entries, uint32_t count,
                         const Deadline& deadline, bool alertable)
{
    uint32_t waiting = alertable ? kWaitingAlertable : kWaiting;
    if (alertable && self->apc_pending.load(std::memory_order_seq_cst) != 0) try_claim_wait(self, kWaitAlerted);
    if (deadline.zero) try_claim_wait(self, kWaitTimedOut);
    uint32_t status = self->wait_status.load(std::memory_order_acquire);
    if (status == waiting) {
        port_thread_blocking(self);
        status = sleep_until_claimed(self, waiting, deadline,
                                     spin_worthwhile(objects, count) ? port_wait_spin() : 0);
        port_thread_unblocked(self);
    }
    unlink_all(objects, entries, count);
    return finish(self, status);
}

DWORD wait_any(ThreadState* self, Object* const* objects, uint32_t count, const Deadline& deadline,
               bool alertable)
{
    uint32_t waiting = alertable ? kWaitingAlertable : kWaiting;
    WaitEntry entries[MAXIMUM_WAIT_OBJECTS];
    self->wait_status.store(waiting, std::memory_order_seq_cst);
    for (uint32_t i = 0; i < count; ++i) {
        Object* object = objects[i];
        LockGuard guard(object->lock);
        if (object->is_signaled(self)) {
            uint32_t result = object->satisfy_code() + i;
            if (try_claim_wait(self, result)) object->satisfy(self);
            break;  // claimed by us or, a moment earlier, by an object before this one
        }
        entries[i].thread = self;
        entries[i].index = i;
        entries[i].wait_all = false;
        object->link_waiter(&entries[i]);
    }
    return claim_sleep_finish(self, objects, entries, count, deadline, alertable);
}

// The one global order in which a thread takes several objects' locks: jobs first (a
// job's lock is taken before its members' and its port's: kernel/job.cpp), then by address.
bool locked_before(const Object* a, const Object* b)
{
    bool a_job = a->type() == ObjectType::Job, b_job = b->type() == ObjectType::Job;
    if (a_job != b_job) return a_job;
    return std::less<const Object*>()(a, b);
}

DWORD wait_all(ThreadState* self, Object* const* objects, uint32_t count, const Deadline& deadline,
               bool alertable)
{
    uint32_t waiting = alertable ? kWaitingAlertable : kWaiting;
    Object* sorted[MAXIMUM_WAIT_OBJECTS];
    std::copy(objects, objects + count, sorted);
    std::sort(sorted, sorted + count, locked_before);
    WaitEntry entries[MAXIMUM_WAIT_OBJECTS];
    bool linked = false;
    bool blocked = false;
    uint32_t status;
    for (;;) {
        lock_all(sorted, count);
        status = try_take_all(self, objects, count);
        if (status != kWaiting) {
            for (uint32_t i = 0; i < count; ++i) objects[i]->unlink_waiter(&entries[i]);
            unlock_all(sorted, count);
            break;
        }
        if (!linked) {
            for (uint32_t i = 0; i < count; ++i) {
                entries[i].thread = self;
                entries[i].index = i;
                entries[i].wait_all = true;
                entries[i].all_objects = objects;
                entries[i].all_count = count;
                objects[i]->link_waiter(&entries[i]);
            }
            linked = true;
        }
        // Under every lock: any change after the check above will see us waiting.
        self->wait_status.store(waiting, std::memory_order_seq_cst);
        unlock_all(sorted, count);
        if (alertable && self->apc_pending.load(std::memory_order_seq_cst) != 0)
            try_claim_wait(self, kWaitAlerted);
        if (deadline.zero) try_claim_wait(self, kWaitTimedOut);
        if (!blocked && self->wait_status.load(std::memory_order_acquire) == waiting) {
            port_thread_blocking(self);
            blocked = true;
        }
        status = sleep_until_claimed(self, waiting, deadline);
        if (status != kWaitRecheck) {
            unlink_all(objects, entries, count);
            break;
        }
    }
    if (blocked) port_thread_unblocked(self);
    return finish(self, status);
}

}  // namespace

DWORD signal_and_wait(Object* signal, Object* object, const Deadline& deadline, bool alertable,
                      DWORD (*signal_under_lock)(Object* signal, WakeList& wake, void* context),
                      void* context, DWORD* error)
{
    if (!plain_state(object)) {
        // An object whose check may poll or arm a watch is not asked under another
        // object's lock (object.h): the signal, then the wait, as two steps.
        WakeList wake;
        signal->lock.lock();
        *error = signal_under_lock(signal, wake, context);
        signal->lock.unlock();
        wake.flush();
        if (*error != ERROR_SUCCESS) return WAIT_FAILED;
        return wait_objects(&object, 1, false, deadline, alertable);
    }
    ThreadState* self = current_thread();
    ++self->wait_epoch;
    Object* first = signal;
    Object* second = object;
    if (second != first && locked_before(second, first)) std::swap(first, second);
    WakeList wake;  // the signal's wake-ups, made once both locks are let go
    WaitEntry entry;
    uint32_t waiting = alertable ? kWaitingAlertable : kWaiting;
    uint32_t result = kWaiting;
    first->lock.lock();
    if (second != first) second->lock.lock();
    *error = signal_under_lock(signal, wake, context);
    if (*error == ERROR_SUCCESS) {
        if (object->is_signaled(self)) {
            result = object->satisfy_code();
            object->satisfy(self);
        } else {
            self->wait_status.store(waiting, std::memory_order_seq_cst);
            entry.thread = self;
            entry.index = 0;
            entry.wait_all = false;
            object->link_waiter(&entry);
        }
    }
    if (second != first) second->lock.unlock();
    first->lock.unlock();
    wake.flush();
    if (*error != ERROR_SUCCESS) return WAIT_FAILED;
    if (result != kWaiting) return result;

    return claim_sleep_finish(self, &object, &entry, 1, deadline, alertable);
}

DWORD wait_objects(Object* const* objects, uint32_t count, bool wait_all_objects,
                   const Deadline& deadline, bool alertable)
{
    ThreadState* self = current_thread();
    ++self->wait_epoch;
    if (!wait_all_objects) {
        // Fast path: something is already signalled (objects before APCs, as Windows).
        uint32_t result = poll_any(self, objects, count);
        if (result != kWaiting) return result;
        if (alertable && self->apc_pending.load(std::memory_order_acquire) != 0) {
            run_pending_apcs(self);
            return WAIT_IO_COMPLETION;
        }
        if (deadline.zero) return WAIT_TIMEOUT;
        return wait_any(self, objects, count, deadline, alertable);
    }
    return wait_all(self, objects, count, deadline, alertable);
}

}  // namespace overlapped::kernel
