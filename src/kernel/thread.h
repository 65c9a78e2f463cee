// thread.h: thread objects: the waitable side of a thread (signalled at exit, with its
// exit code) and the ThreadState the library keeps for it.
#pragma once

#include <sched.h>

#include <atomic>
#include <string>

#include "kernel/object.h"
#include "kernel/thread_state.h"

namespace overlapped::kernel {

class ThreadObject final : public Object {
public:
    ThreadObject() : Object(ObjectType::Thread) {}

    bool is_signaled(const ThreadState*) const override { return exited_; }

    // Under `lock`.
    bool exited() const { return exited_; }
    DWORD exit_code() const { return exited_ ? exit_code_ : STILL_ACTIVE; }
    DWORD thread_id() const { return state.thread_id.load(std::memory_order_relaxed); }

    // GetThreadTimes, in FILETIME units: when the thread started (or, for a thread not
    // made by CreateThread, first used the library), when it ended (0 while it runs), and
    // its kernel and user time (read from Linux while it runs, kept when it ends).
    // Without `lock`.
    void times(uint64_t* creation, uint64_t* exit, uint64_t* kernel, uint64_t* user);
    // When the thread became this object's (FILETIME): set as it is adopted.
    void set_creation_time(uint64_t time) { creation_time_ = time; }

    // GetThreadPriority/SetThreadPriority's value (THREAD_PRIORITY_*), as last set.
    int priority() const { return priority_.load(std::memory_order_relaxed); }
    void set_priority(int priority) { priority_.store(priority, std::memory_order_relaxed); }
    // SetThreadPriorityBoost's flag and SetThreadIdealProcessor's processor, as last set
    // (Linux has neither: they are the thread's settings, read back).
    bool priority_boost_disabled() const { return boost_disabled_.load(std::memory_order_relaxed); }
    void set_priority_boost_disabled(bool disabled) { boost_disabled_.store(disabled, std::memory_order_relaxed); }
    DWORD ideal_processor() const { return ideal_processor_.load(std::memory_order_relaxed); }
    DWORD exchange_ideal_processor(DWORD processor)
    {
        return ideal_processor_.exchange(processor, std::memory_order_relaxed);
    }
    // SetThreadDescription's text (empty at first); under `lock`.
    std::u16string description;

    // Starts a thread running `start(parameter)`. Returns the object with two references
    // (the caller's and the running thread's), or nullptr with `*error`.
    static ThreadObject* spawn(SIZE_T stack_size, LPTHREAD_START_ROUTINE start, LPVOID parameter,
                               bool suspended, DWORD* error);

    // Suspend count changes; only threads created suspended and threads that suspended
    // themselves can be held (see docs).
    DWORD resume();
    // The previous count, or (DWORD)-1 with *error set: ERROR_ACCESS_DENIED once the thread
    // has exited, ERROR_SIGNAL_REFUSED at the maximum count (127, MAXIMUM_SUSPEND_COUNT),
    // ERROR_CALL_NOT_IMPLEMENTED for another thread that is running. Called by the thread
    // itself it holds the caller until another thread's ResumeThread brings the count to
    // 0, and returns 0.
    DWORD suspend(DWORD* error);
    // TerminateThread of another thread: one that has not begun its routine (created
    // suspended, or not yet running) ends without running it, with `exit_code`: true. A
    // thread already running cannot be stopped safely here: false (docs/deviations.md).
    // One that has ended: true, nothing changes.
    bool terminate_unstarted(DWORD exit_code);

    // The per-thread state. Type-stable like the object, so a stale ThreadState* from a
    // waiter list is always safe to wake.
    ThreadState state;

private:
    friend ThreadState* current_thread();
    friend void thread_exit_cleanup(ThreadObject* object);
    friend struct ThreadStart;
    void recycle() override;

    bool exited_ = false;
    DWORD exit_code_ = 0;
    uint64_t creation_time_ = 0;  // times(); the last three under `lock`, set at the exit
    uint64_t exit_time_ = 0;
    uint64_t kernel_time_ = 0;
    uint64_t user_time_ = 0;
    // The settings a new thread starts with: normal priority, boost on, processor 0, no
    // description. Under `lock`.
    void reset_settings();

    std::atomic<int> priority_{0};
    std::atomic<bool> boost_disabled_{false};
    std::atomic<DWORD> ideal_processor_{0};
    std::atomic<uint32_t> suspend_count_{0};  // futex word for a held thread
    // Sleeps while the suspend count is not 0 (a thread held before its routine, or by
    // its own SuspendThread).
    void wait_while_suspended();
    bool started_ = false;
    bool self_suspended_ = false;  // held in its own SuspendThread; under `lock`
    bool terminated_ = false;  // TerminateThread before the routine began; under `lock`
    DWORD terminate_code_ = 0;
    LPTHREAD_START_ROUTINE start_ = nullptr;
    LPVOID parameter_ = nullptr;
};

// The calling thread's object (made on first use).
ThreadObject* current_thread_object();

// This process's affinity mask as GetProcessAffinityMask reports it (0 until the first
// affinity call reads it): CreateThread starts a thread on it, as Windows starts a thread
// with its process's mask, where Linux would give it its creator's.
extern std::atomic<DWORD_PTR> process_affinity_mask;

// The Linux processor set of an affinity mask (its first 64 processors).
void cpu_set_of_mask(DWORD_PTR mask, cpu_set_t* set);

// Finds a live thread by id; returns it with a new reference, or nullptr.
ThreadObject* thread_find(DWORD thread_id);

// Ends the calling thread with `exit_code` (ExitThread).
[[noreturn]] void thread_exit(DWORD exit_code);

// Runs the calling thread's exit duties: abandons its mutexes, leaves its completion
// port, signals its object. Called once, from the thread itself, as it ends.
void thread_exit_cleanup(ThreadObject* object);

// Called at the start of every thread's exit duties, if set: the I/O manager cancels the
// thread's requests there (the layers above the kernel register, the kernel calls).
extern std::atomic<void (*)(ThreadState*)> thread_exit_hook;

}  // namespace overlapped::kernel
