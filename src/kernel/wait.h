// wait.h: the wait engine: every blocking wait of the library goes through here, so
// that APCs, timeouts and completion-port accounting behave the same everywhere.
#pragma once

#include <ctime>

#include <windows.h>

#include "kernel/object.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {

// A wait's time limit: none (INFINITE), zero (poll, never block), or an absolute
// CLOCK_MONOTONIC time. The clock is read only when a wait is about to block, so that
// waits that return at once (the hot paths) cost no clock read.
class Deadline {
public:
    static Deadline from_milliseconds(DWORD milliseconds)
    {
        Deadline deadline;
        deadline.milliseconds_ = milliseconds;
        deadline.infinite = milliseconds == INFINITE;
        deadline.zero = milliseconds == 0;
        return deadline;
    }
    bool infinite = true;
    bool zero = false;
    // The absolute time (nullptr for INFINITE), computed on first use.
    const timespec* absolute() const;
    bool expired() const;

private:
    DWORD milliseconds_ = INFINITE;
    mutable bool computed_ = false;
    mutable timespec at_{};
};

// Waits until one (`wait_all` false) or every (`wait_all` true) of `objects` is
// signalled, the deadline passes, or (if `alertable`) an APC arrives. The caller holds a
// reference on every object, and for wait-all has rejected duplicates. Returns
// WAIT_OBJECT_0 + i, WAIT_ABANDONED_0 + i, WAIT_TIMEOUT or WAIT_IO_COMPLETION (after
// running the APCs).
DWORD wait_objects(Object* const* objects, uint32_t count, bool wait_all, const Deadline& deadline,
                   bool alertable);

// SignalObjectAndWait's two steps as one, as Windows makes them (under its dispatcher
// lock): with `signal`'s and `object`'s locks held, `signal_under_lock` signals (it
// returns ERROR_SUCCESS or the error that fails the call, WAIT_FAILED with *error set),
// then the caller becomes a waiter on `object` before either lock is let go. A thread
// that sees the signal (it needs `signal`'s lock, or is woken only after the locks go)
// and answers by signalling `object` finds the caller waiting: no wake-up is lost in
// between. `signal` may be `object`. The caller holds a reference on both. Returns as
// wait_objects does for one object.
DWORD signal_and_wait(Object* signal, Object* object, const Deadline& deadline, bool alertable,
                      DWORD (*signal_under_lock)(Object* signal, WakeList& wake, void* context),
                      void* context, DWORD* error);

// Sleeps until `self->wait_status` leaves the waiting value `waiting`, or the deadline
// passes (then claims kWaitTimedOut for itself, unless someone else won the claim).
// First spins for up to `spin` checks (a few microseconds at most; nothing on a single
// processor), so that a hand-off arriving soon costs neither side a system call.
// Returns the final status. Used by wait_objects and the completion port.
uint32_t sleep_until_claimed(ThreadState* self, uint32_t waiting, const Deadline& deadline,
                             unsigned spin = 0);

// The spin budget of a wait before it sleeps: about the cost of a futex sleep and
// wake-up, so spinning never costs more than twice the best case.
unsigned port_wait_spin();

}  // namespace overlapped::kernel
