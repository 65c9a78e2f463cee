// thread.cpp: thread objects, per-thread state made on first use, CreateThread's
// trampoline, thread exit, and the APC queue.
#include "kernel/thread.h"

#include <cfenv>
#include <mutex>
#include <pthread.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unordered_map>

#include "common/clock.h"
#include "common/futex.h"
#include "kernel/port.h"
#include "kernel/process.h"
#include "kernel/sync.h"

namespace overlapped::kernel {

constinit thread_local DWORD tls_last_error __attribute__((tls_model("initial-exec"))) = 0;
std::atomic<void (*)(ThreadState*)> thread_exit_hook{nullptr};
std::atomic<DWORD_PTR> process_affinity_mask{0};

namespace {

thread_local ThreadObject* tls_self __attribute__((tls_model("initial-exec"))) = nullptr;

struct Registry {
    std::mutex mutex;
    std::unordered_map<DWORD, ThreadObject*> by_id;
    pthread_key_t exit_key;
    Registry() { pthread_key_create(&exit_key, &Registry::on_thread_exit); }
    static void on_thread_exit(void* value)
    {
        thread_exit_cleanup(static_cast<ThreadObject*>(value));
    }
};

Registry& registry()
{
    static Registry* instance = new Registry();
    return *instance;
}

// Records `tid` as the object's thread id and registers it. Both CreateThread (which
// learns the id as soon as the thread exists) and the thread itself (which may run
// first) call this with the same id; the first store wins and the second only reads.
// Every read of the id is atomic, since the thread may read it before CreateThread's
// store.
void register_id(ThreadObject* object, DWORD tid)
{
    DWORD expected = 0;
    object->state.thread_id.compare_exchange_strong(expected, tid, std::memory_order_acq_rel);
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    r.by_id[tid] = object;
}

// Makes `object` the calling thread's object and registers its id.
void adopt(ThreadObject* object)
{
    register_id(object, static_cast<DWORD>(syscall(SYS_gettid)));
    object->state.object = object;
    object->state.pthread = static_cast<unsigned long>(pthread_self());
    tls_self = object;
    pthread_setspecific(registry().exit_key, object);
}

// The kernel's id of a thread that has not run yet: glibc records it (CLONE_PARENT_SETTID)
// before pthread_create returns, and hands it out inside the thread's CPU-time clock id
// (the kernel's encoding: ~tid << 3 | CPUCLOCK_PERTHREAD_MASK | CPUCLOCK_SCHED). 0 if the
// clock id is not of that form.
DWORD spawned_thread_id(pthread_t thread)
{
    clockid_t clock;
    if (pthread_getcpuclockid(thread, &clock) != 0 || (clock & 7) != 6) return 0;
    int tid = ~(static_cast<int>(clock) >> 3);
    return tid > 0 ? static_cast<DWORD>(tid) : 0;
}

thread_local DWORD tls_exit_code __attribute__((tls_model("initial-exec"))) = 0;

}  // namespace

struct ThreadStart {
    static void* run(void* argument)
    {
        ThreadObject* object = static_cast<ThreadObject*>(argument);
        // A Windows thread starts with the default floating-point environment (rounding to
        // nearest, exceptions masked, no flush-to-zero), whatever its creator set; Linux
        // copies the creator's into the new thread (Wine's kernel32 thread.c
        // test_thread_fpu_cw: a thread made after _control87 changed the rounding still
        // sees the default).
        std::fesetenv(FE_DFL_ENV);
        adopt(object);
        // Created suspended: sleep until ResumeThread brings the count to 0. The count is
        // read again under `lock`, where SuspendThread raises it from 0 while the thread
        // has not started: one that came after the first read holds the thread again.
        for (;;) {
            object->wait_while_suspended();
            object->lock.lock();
            if (object->suspend_count_.load(std::memory_order_acquire) == 0 || object->terminated_) break;
            object->lock.unlock();
        }
        bool terminated = object->terminated_;  // TerminateThread came first: the routine never runs
        object->started_ = !terminated;
        DWORD code = object->terminate_code_;
        object->lock.unlock();
        if (terminated) {
            tls_exit_code = code;
            return nullptr;
        }
        tls_exit_code = object->start_(object->parameter_);
        return nullptr;  // the exit key's destructor runs thread_exit_cleanup
    }
};

ThreadState* current_thread()
{
    if (tls_self != nullptr) return &tls_self->state;
    // A thread the library did not create (main, std::thread, pthreads): one reference,
    // held by the running thread and dropped when it exits.
    ThreadObject* object = Pool<ThreadObject>::instance().acquire();
    object->lock.lock();
    object->reset_base();
    object->set_creation_time(filetime_now());
    object->reset_settings();
    object->exited_ = false;
    object->exit_code_ = 0;
    object->started_ = true;
    object->self_suspended_ = false;
    object->terminated_ = false;
    object->suspend_count_.store(0, std::memory_order_relaxed);
    object->lock.unlock();
    adopt(object);
    return &object->state;
}

ThreadState* current_thread_if_any() { return tls_self != nullptr ? &tls_self->state : nullptr; }

ThreadObject* current_thread_object()
{
    current_thread();
    return tls_self;
}

ThreadObject* ThreadObject::spawn(SIZE_T stack_size, LPTHREAD_START_ROUTINE start, LPVOID parameter,
                                  bool suspended, DWORD* error)
{
    ThreadObject* object = Pool<ThreadObject>::instance().acquire();
    object->lock.lock();
    object->reset_base();
    object->add_reference();  // the running thread's
    object->set_creation_time(filetime_now());
    object->reset_settings();
    object->exited_ = false;
    object->exit_code_ = 0;
    object->started_ = false;
    object->self_suspended_ = false;
    object->terminated_ = false;
    object->terminate_code_ = 0;
    object->start_ = start;
    object->parameter_ = parameter;
    object->suspend_count_.store(suspended ? 1 : 0, std::memory_order_relaxed);
    object->lock.unlock();

    // Joinable until its id is read (a detached thread's descriptor may be gone once it
    // ends), then detached.
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    if (stack_size != 0) {
        SIZE_T size = (stack_size + 65535) & ~static_cast<SIZE_T>(65535);
        if (size < 65536) size = 65536;
        pthread_attr_setstacksize(&attributes, size);
    }
    DWORD_PTR mask = process_affinity_mask.load(std::memory_order_relaxed);
    if (mask != 0) {
        cpu_set_t set;
        cpu_set_of_mask(mask, &set);
        pthread_attr_setaffinity_np(&attributes, sizeof(set), &set);
    }
    pthread_t thread;
    int rc = pthread_create(&thread, &attributes, &ThreadStart::run, object);
    if (rc == EINVAL && mask != 0) {  // processors gone since: the creator's, as Linux gives
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof(set), &set) == 0) pthread_attr_setaffinity_np(&attributes, sizeof(set), &set);
        rc = pthread_create(&thread, &attributes, &ThreadStart::run, object);
    }
    pthread_attr_destroy(&attributes);
    if (rc != 0) {
        *error = rc == EAGAIN ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
        object->release_reference();
        object->release_reference();
        return nullptr;
    }
    // CreateThread reports the id at once, as Windows does, without waiting for the new
    // thread to be scheduled. Where the id cannot be read, wait until the thread has
    // recorded it.
    DWORD tid = spawned_thread_id(thread);
    pthread_detach(thread);
    if (tid != 0) {
        register_id(object, tid);
    } else {
        while (object->state.thread_id.load(std::memory_order_acquire) == 0) sched_yield();
    }
    return object;
}

void cpu_set_of_mask(DWORD_PTR mask, cpu_set_t* set)
{
    CPU_ZERO(set);
    for (int cpu = 0; cpu < 64; ++cpu)
        if (mask & (DWORD_PTR(1) << cpu)) CPU_SET(cpu, set);
}

DWORD ThreadObject::resume()
{
    uint32_t count = suspend_count_.load(std::memory_order_acquire);
    while (count != 0) {
        if (suspend_count_.compare_exchange_weak(count, count - 1, std::memory_order_acq_rel)) {
            if (count == 1) futex_wake(&suspend_count_, 1);
            return count;
        }
    }
    return 0;
}

void ThreadObject::wait_while_suspended()
{
    for (;;) {
        uint32_t count = suspend_count_.load(std::memory_order_acquire);
        if (count == 0) return;
        futex_wait(&suspend_count_, count, nullptr);
    }
}

DWORD ThreadObject::suspend(DWORD* error)
{
    // Linux has no safe way to stop another thread at an arbitrary point; only a thread
    // that has not started running its routine yet, or that suspended itself and sleeps in
    // that call, can be held (docs/deviations.md). The count rises from 0 only here,
    // under `lock`, where a held thread also decides to leave.
    constexpr uint32_t kMaximumSuspendCount = 127;  // MAXIMUM_SUSPEND_COUNT (MAXCHAR)
    bool self = tls_self == this;
    {
        LockGuard guard(lock);
        bool holdable = !started_ || self_suspended_ || self;
        *error = exited_ ? ERROR_ACCESS_DENIED : !holdable ? ERROR_CALL_NOT_IMPLEMENTED : ERROR_SUCCESS;
        if (*error != ERROR_SUCCESS) return static_cast<DWORD>(-1);
        uint32_t count = suspend_count_.load(std::memory_order_acquire);
        do {
            if (count >= kMaximumSuspendCount) {
                *error = ERROR_SIGNAL_REFUSED;  // STATUS_SUSPEND_COUNT_EXCEEDED
                return static_cast<DWORD>(-1);
            }
        } while (!suspend_count_.compare_exchange_weak(count, count + 1, std::memory_order_acq_rel));
        if (!self) return count;
        self_suspended_ = true;
    }
    // The calling thread suspended itself: it sleeps here until ResumeThread (of another
    // thread) brings the count back to 0, then returns the count it had (0).
    for (;;) {
        wait_while_suspended();
        LockGuard guard(lock);
        if (suspend_count_.load(std::memory_order_acquire) == 0) {
            self_suspended_ = false;
            return 0;
        }
    }
}

bool ThreadObject::terminate_unstarted(DWORD exit_code)
{
    {
        LockGuard guard(lock);
        if (exited_ || terminated_) return true;
        if (started_) return false;
        terminated_ = true;
        terminate_code_ = exit_code;
    }
    suspend_count_.store(0, std::memory_order_release);  // let it leave its wait, to end
    futex_wake(&suspend_count_, 1);
    return true;
}

void ThreadObject::reset_settings()
{
    set_priority(THREAD_PRIORITY_NORMAL);
    set_priority_boost_disabled(false);
    exchange_ideal_processor(0);
    description.clear();
    description.shrink_to_fit();
}

void ThreadObject::recycle()
{
    {
        Registry& r = registry();
        std::lock_guard<std::mutex> guard(r.mutex);
        auto found = r.by_id.find(state.thread_id.load(std::memory_order_relaxed));
        if (found != r.by_id.end() && found->second == this) r.by_id.erase(found);
    }
    lock.lock();
    state.reset();
    lock.unlock();
    Pool<ThreadObject>::instance().release(this);
}

void ThreadObject::times(uint64_t* creation, uint64_t* exit, uint64_t* kernel, uint64_t* user)
{
    lock.lock();
    bool ended = exited_;
    *creation = creation_time_;
    *exit = exit_time_;
    *kernel = kernel_time_;
    *user = user_time_;
    DWORD tid = state.thread_id.load(std::memory_order_relaxed);
    lock.unlock();
    if (ended) return;
    *exit = 0;
    if (tid == static_cast<DWORD>(syscall(SYS_gettid))) {
        rusage usage{};  // this thread: to the microsecond
        getrusage(RUSAGE_THREAD, &usage);
        rusage_times(usage, kernel, user);
        return;
    }
    uint64_t started = 0;
    if (!task_times(getpid(), static_cast<int>(tid), kernel, user, &started)) *kernel = *user = 0;
}

ThreadObject* thread_find(DWORD thread_id)
{
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    auto found = r.by_id.find(thread_id);
    if (found == r.by_id.end()) return nullptr;
    return found->second->try_add_reference() ? found->second : nullptr;
}

void thread_exit(DWORD exit_code)
{
    current_thread();
    tls_exit_code = exit_code;
    pthread_exit(nullptr);
}

void thread_exit_cleanup(ThreadObject* object)
{
    ThreadState* self = &object->state;
    __atomic_store_n(&self->exiting, true, __ATOMIC_RELEASE);

    std::vector<MutexObject*> owned;
    {
        LockGuard guard(self->owned_lock);
        owned.swap(self->owned_mutexes);
    }
    for (MutexObject* mutex : owned) {
        {
            WakeList wake;
            mutex->lock.lock();
            mutex->abandon(wake);
            mutex->lock.unlock();
        }
        mutex->release_reference();  // the owner's reference
    }

    if (void (*hook)(ThreadState*) = thread_exit_hook.load(std::memory_order_acquire)) hook(self);
    port_thread_exit(self);

    {
        LockGuard guard(self->apc_lock);
        self->apcs.clear();  // APCs queued to a thread that ends never run
        self->apc_pending.store(0, std::memory_order_relaxed);
    }

    // The id stays registered until the object goes (ThreadObject::recycle): OpenThread
    // of a thread that ended but still has handles opens it, as on Windows.

    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    uint64_t ended = filetime_now();
    {
        WakeList wake;
        object->lock.lock();
        object->exit_time_ = ended;
        rusage_times(usage, &object->kernel_time_, &object->user_time_);
        object->exit_code_ = tls_exit_code;
        object->exited_ = true;
        object->signal_waiters(wake);
        object->lock.unlock();
    }
    tls_self = nullptr;
    object->release_reference();  // the running thread's reference
}

// ---- APCs

namespace {

// After an APC is queued (and counted, under apc_lock, so that cancel_queued_apc never
// takes the count below what is queued).
constinit std::atomic<SyncInterrupter> g_sync_interrupter{nullptr};

void wake_for_apc(ThreadState* target)
{
    uint32_t expected = kWaitingAlertable;
    if (target->wait_status.compare_exchange_strong(expected, kWaitAlerted, std::memory_order_seq_cst)) {
        wake_thread(target);
    } else if (PortPoller* poller = target->ring_wait.load(std::memory_order_seq_cst)) {
        poller->wake();  // an alertable port leader waiting in the engine
    } else if (target->sync_alertable.load(std::memory_order_seq_cst) != 0) {
        // A blocking Winsock call: interrupted under sync_lock, which the thread takes to
        // leave the call, so the signal cannot reach it after it has gone on (or exited).
        LockGuard guard(target->sync_lock);
        SyncInterrupter interrupt = g_sync_interrupter.load(std::memory_order_acquire);
        if (target->sync_io && target->sync_alertable.load(std::memory_order_relaxed) != 0 && interrupt != nullptr)
            interrupt(target->pthread);
    }
}

}  // namespace

void set_sync_interrupter(SyncInterrupter interrupter) { g_sync_interrupter.store(interrupter, std::memory_order_release); }

void queue_apc(ThreadState* target, const Apc& apc)
{
    {
        LockGuard guard(target->apc_lock);
        target->apcs.push_back(apc);
        target->apc_pending.fetch_add(1, std::memory_order_seq_cst);
    }
    wake_for_apc(target);
}

bool queue_apc_once(ThreadState* target, const Apc& apc)
{
    {
        LockGuard guard(target->apc_lock);
        for (const Apc& queued : target->apcs)
            if (queued.owner == apc.owner) return false;
        target->apcs.push_back(apc);
        target->apc_pending.fetch_add(1, std::memory_order_seq_cst);
    }
    wake_for_apc(target);
    return true;
}

int cancel_queued_apc(ThreadState* target, uint64_t owner)
{
    int removed = 0;
    {
        LockGuard guard(target->apc_lock);
        for (auto it = target->apcs.begin(); it != target->apcs.end();) {
            if (it->owner == owner) {
                it = target->apcs.erase(it);
                ++removed;
            } else {
                ++it;
            }
        }
        // Under the lock, as the count was raised for each one: run_pending_apcs lowers it
        // only for what it takes out of the queue.
        if (removed != 0) target->apc_pending.fetch_sub(removed, std::memory_order_relaxed);
    }
    return removed;
}

int run_pending_apcs(ThreadState* self)
{
    int ran = 0;
    for (;;) {
        Apc apc;
        {
            LockGuard guard(self->apc_lock);
            if (self->apcs.empty()) return ran;
            apc = self->apcs.front();
            self->apcs.pop_front();
        }
        self->apc_pending.fetch_sub(1, std::memory_order_relaxed);
        apc.invoke(apc);
        ++ran;
    }
}

// ---- the process object

Object* current_process_object()
{
    static ProcessObject* process = [] {
        ProcessObject* object = new ProcessObject();
        object->add_reference();
        return object;
    }();
    return process;
}

}  // namespace overlapped::kernel
