// object.h: the base of every kernel object (events, semaphores, mutexes, timers,
// threads, completion ports, and later devices), its reference counting, its waiter
// list, and the type-stable pools objects live in.
//
// Type-stable memory: an object's storage is never returned to the system; when the last
// reference goes, the object goes back to its type's pool and may be reused for another
// object of the same type. So a pointer read from the handle table is always safe to
// lock, even if the handle was closed meanwhile: the handle table re-checks the slot
// under the object's lock and refuses a stale handle (handle_table.h). This lets the hot
// paths (PostQueuedCompletionStatus, SetEvent...) run on one lock/unlock and no
// reference-count traffic.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <windows.h>

#include "common/lock.h"

namespace overlapped::kernel {

struct ThreadState;

enum class ObjectType : uint8_t {
    Any = 0,  // only as a lookup filter
    Event,
    Semaphore,
    Mutex,
    Timer,
    Thread,
    Process,
    CompletionPort,
    File,    // src/drivers/file.h
    Socket,  // src/drivers/socket.h
    Pipe,      // src/drivers/pipe.h: anonymous and named pipe ends
    Mailslot,  // src/drivers/mailslot.h: a mailslot's server or client end
    Console,   // src/drivers/console.h: the console's input buffer or screen buffer
    Disk,      // src/drivers/disk.h: \\.\PHYSICALDRIVEn and \\.\X: (drives, volumes)
    Serial,    // src/drivers/serial.h: a COM port
    Section,   // src/kernel/section.h: a file mapping (CreateFileMapping)
    Job,       // src/kernel/job.h: a job object (CreateJobObject)
};

class Object;

// One waiting thread's link into one object's waiter list. Lives on the waiting
// thread's stack for the duration of the wait; linked and unlinked under the object's lock.
struct WaitEntry {
    WaitEntry* prev = nullptr;
    WaitEntry* next = nullptr;
    ThreadState* thread = nullptr;
    uint32_t index = 0;     // position in the caller's handle array
    bool wait_all = false;  // part of a wait-all: signal means "re-check", not "claimed"
    bool linked = false;
    // A wait-all's whole array (the waiter's, alive while this entry is linked): a
    // signaller that can take every other object's lock at once satisfies the wait itself
    // (Object::signal_waiters), as NT does under its dispatcher lock.
    Object* const* all_objects = nullptr;
    uint32_t all_count = 0;
};

// Threads to wake once the signalling object's lock is released.
class WakeList {
public:
    ~WakeList()
    {
        if (count_ != 0) flush();  // most lists wake no one: no call
    }
    void add(ThreadState* thread);
    void flush();

private:
    ThreadState* threads_[16];
    int count_ = 0;
};

class Object {
public:
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    // Guards everything below that is not atomic, and the state of the derived object.
    Lock lock;

    ObjectType type() const { return type_; }

    // ---- references: one per open handle, one per wait in progress, one per internal user.
    void add_reference() { references_.fetch_add(1, std::memory_order_relaxed); }
    // Adds a reference unless the object is already being destroyed (count reached 0).
    bool try_add_reference();
    // Drops a reference; the last one returns the object to its pool (at once, or, if
    // recycle_later() says so, when the object's own code calls recycle_now()).
    void release_reference();

    // ---- handle count, under `lock`. The last handle closed calls last_handle_closed().
    uint32_t handle_count = 0;

    // ---- name in the process's object namespace ("" for unnamed), set at creation.
    std::string name;

    // ---- the waiting protocol, all called with `lock` held.
    // Whether a wait by `thread` would be satisfied now.
    virtual bool is_signaled(const ThreadState* thread) const = 0;
    // WAIT_ABANDONED_0 if satisfying `thread` now reports abandonment (mutexes), else 0.
    virtual uint32_t satisfy_code() const { return 0; }
    // Consumes the signal for `thread` (auto-reset, count--, ownership...).
    virtual void satisfy(ThreadState* thread) { (void)thread; }
    // Called when the last handle to the object is closed (ports run down here).
    virtual void last_handle_closed() {}
    // Called after last_handle_closed(), in the closing thread, without `lock` (the
    // closer's reference keeps the object): for what must be waited for before
    // CloseHandle returns.
    virtual void after_last_handle_closed() {}

    // Links/unlinks a waiter (FIFO order).
    void link_waiter(WaitEntry* entry);
    void unlink_waiter(WaitEntry* entry);
    bool has_waiters() const { return waiters_head_ != nullptr; }

    // After the object became signalled: claims waiting threads in FIFO order while the
    // object stays signalled, satisfying each claimed one, and adds them to `wake`. A
    // wait-all is satisfied here too when every other object of it is signalled for its
    // thread and their locks can be had without waiting (try_lock: no lock order to keep);
    // otherwise it is told to re-check.
    void signal_waiters(WakeList& wake);

protected:
    explicit Object(ObjectType type) : type_(type) {}
    virtual ~Object() = default;

    // Called (without `lock`) when the last reference went: resets the derived state and
    // returns the object to its pool.
    virtual void recycle() = 0;
    // Called (without `lock`) when the last reference went, before anything else: true
    // keeps the object as it is until its own code calls recycle_now() (a device while a
    // transfer of the fast I/O path runs: io/device.h).
    virtual bool recycle_later() { return false; }
    // What the last reference's release does: the name goes, then recycle().
    void recycle_now();

    // Called by pools when an object is handed out: one reference, no handles.
    void reset_base()
    {
        references_.store(1, std::memory_order_relaxed);
        handle_count = 0;
        name.clear();
    }

private:
    const ObjectType type_;
    std::atomic<uint32_t> references_{0};
    WaitEntry* waiters_head_ = nullptr;
    WaitEntry* waiters_tail_ = nullptr;
};

// Whether `object`'s is_signaled and satisfy only read and change its own state under its
// lock (events, semaphores, mutexes, timers, threads, ports, jobs): then another thread may
// ask them on a waiter's behalf, from any context, with other object locks held. A
// device's or a process's check may poll or arm a watch through the engine: their waiter
// asks them itself.
bool plain_state(const Object* object);

// A type-stable pool: objects are constructed once and reused, never freed. The pool
// itself is never destroyed (process exit may race with threads still using objects).
template <class T>
class Pool {
public:
    T* acquire()
    {
        {
            std::lock_guard<std::mutex> guard(mutex_);
            if (!free_.empty()) {
                T* object = free_.back();
                free_.pop_back();
                return object;
            }
        }
        T* object = new T();
        std::lock_guard<std::mutex> guard(mutex_);
        all_.push_back(object);  // keeps every object reachable for leak checkers
        return object;
    }

    void release(T* object)
    {
        std::lock_guard<std::mutex> guard(mutex_);
        free_.push_back(object);
    }

    static Pool& instance()
    {
        static Pool* pool = new Pool();
        return *pool;
    }

private:
    std::mutex mutex_;
    std::vector<T*> free_;
    std::vector<T*> all_;
};

}  // namespace overlapped::kernel
