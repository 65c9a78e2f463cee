// timer.h: waitable timers. One library thread keeps every armed timer in a deadline
// queue; expiry signals the timer and queues the completion routine, if any, as an APC
// to the thread that set it.
#pragma once

#include <cstdint>

#include "kernel/object.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {

class TimerObject final : public Object {
public:
    TimerObject() : Object(ObjectType::Timer) {}
    static TimerObject* create(bool manual_reset);

    bool is_signaled(const ThreadState*) const override { return signaled_; }
    void satisfy(ThreadState*) override
    {
        if (!manual_reset_) signaled_ = false;
    }
    void last_handle_closed() override;

    // Arms the timer (SetWaitableTimer): `due_ns` is an absolute CLOCK_MONOTONIC time in
    // nanoseconds, `period_ms` 0 for one shot. Resets the signal and takes back a
    // completion routine queued by an earlier expiry that has not run yet, as Windows
    // ("it does cancel any pending completion routines"). Takes `lock` itself.
    void arm(int64_t due_ns, LONG period_ms, PTIMERAPCROUTINE routine, LPVOID argument,
             ThreadState* setter);
    // CancelWaitableTimer: disarms and takes back a queued completion routine that has not
    // run yet ("cancels outstanding APCs"); the signal state is left as it is.
    void cancel();

    // Called by the timer thread when the deadline of arming number `arming` is reached.
    void fire(uint64_t arming);

private:
    void recycle() override;
    // Under `lock`: removes this timer's APC from the setting thread's queue, if queued.
    void take_back_apc();

    bool manual_reset_ = false;
    bool signaled_ = false;
    uint64_t arming_ = 0;  // bumped by every arm and cancel; stale expiries are ignored
    int64_t due_ns_ = 0;
    LONG period_ms_ = 0;
    PTIMERAPCROUTINE routine_ = nullptr;
    LPVOID argument_ = nullptr;
    ThreadState* setter_ = nullptr;
    DWORD setter_id_ = 0;
    // Names this timer's APCs (Apc::owner): unique per creation, so a timer that reuses
    // this memory never takes back the APC of an earlier one.
    uint64_t apc_owner_ = 0;
};

// Nanoseconds on CLOCK_MONOTONIC now.
int64_t monotonic_now_ns();

// A Windows due time in 100 ns units (negative: relative to now; otherwise an absolute
// system time, a FILETIME, now when it has passed) as an absolute CLOCK_MONOTONIC time in
// nanoseconds. One farther than about 146 years is that far (kFarFutureNs), not a value
// wrapped around into the past: SetWaitableTimer's and SetThreadpoolTimer's due times.
constexpr int64_t kFarFutureNs = INT64_MAX / 2;
int64_t monotonic_from_due_time(int64_t due);

}  // namespace overlapped::kernel
