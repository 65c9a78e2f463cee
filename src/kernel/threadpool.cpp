// threadpool.cpp: pools, worker threads, growth and retirement, the timer thread and the
// wait threads (see threadpool.h).
#include "kernel/threadpool.h"

#include <algorithm>
#include <cfenv>
#include <chrono>
#include <set>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "kernel/wait.h"

namespace overlapped::kernel::tp {

namespace {

// (initial-exec: read on every callback, so no __tls_get_addr call from the library.)
#define OVERLAPPED_TLS thread_local __attribute__((tls_model("initial-exec")))
OVERLAPPED_TLS Instance* tls_instance = nullptr;
// The token this worker holds while it runs callbacks, and whether it handed it on.
OVERLAPPED_TLS Item* tls_token = nullptr;
OVERLAPPED_TLS bool tls_handed = false;
// The batch of packets this worker took from the port, and how far it got: if a callback
// blocks, the packets after it go back to the port for other threads.
constexpr ULONG kBatch = 64;
OVERLAPPED_TLS Packet* tls_batch = nullptr;
OVERLAPPED_TLS ULONG tls_batch_next = 0;
OVERLAPPED_TLS ULONG tls_batch_count = 0;
OVERLAPPED_TLS Pool* tls_pool = nullptr;

uint32_t cpu_count()
{
    static const uint32_t count = [] {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? static_cast<uint32_t>(n) : 1u;
    }();
    return count;
}

// A packet with this key tells one worker to exit (pool shutdown).
constexpr ULONG_PTR kQuitKey = 0;

// Calls around a blocking wait that is not one of the wait engine's, so that the pool's
// port counts a callback blocked in it as blocked (another thread may run).
struct BlockingScope {
    ThreadState* self = current_thread_if_any();
    BlockingScope()
    {
        if (self != nullptr) port_thread_blocking(self);
    }
    ~BlockingScope()
    {
        if (self != nullptr) port_thread_unblocked(self);
    }
};

// ---- the monitor: adds threads to pools whose callbacks are all busy.
struct Monitor {
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<Pool*> pools;
    bool armed = false;
    bool started = false;

    static Monitor& instance()
    {
        static Monitor* monitor = new Monitor();  // never destroyed (threads may outlive exit)
        return *monitor;
    }

    void run()
    {
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            while (!armed) wake.wait(lock);
            wake.wait_for(lock, std::chrono::milliseconds(20));
            bool any = false;
            for (Pool* pool : pools) {
                if (pool->saturated_.load(std::memory_order_relaxed) == 0) continue;
                pool->monitor_tick();
                if (pool->saturated_.load(std::memory_order_relaxed) != 0) any = true;
            }
            if (!any) armed = false;
        }
    }
};

}  // namespace

Instance* current_instance() { return tls_instance; }

void thread_blocking()
{
    if (tls_batch_next < tls_batch_count) {
        Pool* pool = tls_pool;
        pool->port()->lock.lock();
        pool->port()->post_and_unlock(tls_batch + tls_batch_next, tls_batch_count - tls_batch_next);
        tls_batch_count = tls_batch_next;
        pool->maybe_grow();
    }
    Item* item = tls_token;
    if (item == nullptr || tls_handed) return;
    tls_handed = true;
    item->pool()->post_token(item);
}

// ---------------------------------------------------------------- items

Item::Item(Pool* pool, bool is_io) : pool_(pool), is_io_(is_io) { pool_->add_reference(); }

Item::~Item() { pool_->release(); }

void Item::release()
{
    if (references_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

void Item::submit()
{
    if ((state_.fetch_add(kPending, std::memory_order_seq_cst) & kPendingMask) == 0) pool_->post_token(this);
}

uint64_t Item::cancel_pending()
{
    uint64_t state = state_.load(std::memory_order_relaxed);
    uint64_t pending;
    for (;;) {
        pending = state & kPendingMask;
        uint64_t next = state & ~kPendingMask;
        if (is_io_) next += pending * kSkip;  // the completions still come: skip them
        if (state_.compare_exchange_weak(state, next, std::memory_order_seq_cst)) break;
    }
    if (pending != 0 && waiters_.load(std::memory_order_seq_cst) != 0 && idle()) {
        std::lock_guard<std::mutex> guard(idle_mutex_);
        idle_cv_.notify_all();
    }
    return pending;
}

void Item::wait_callbacks()
{
    if (idle()) return;
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    {
        BlockingScope blocking;
        std::unique_lock<std::mutex> lock(idle_mutex_);
        while (!idle()) idle_cv_.wait(lock);
    }
    waiters_.fetch_sub(1, std::memory_order_seq_cst);
}

void Item::io_start()
{
    add_reference();  // the completion's
    state_.fetch_add(kPending, std::memory_order_relaxed);
}

void Item::io_cancel()
{
    uint64_t state = state_.load(std::memory_order_relaxed);
    for (;;) {
        if ((state & kPendingMask) == 0) return;  // nothing started: ignore, as Windows
        if (state_.compare_exchange_weak(state, state - kPending, std::memory_order_seq_cst)) break;
    }
    if (waiters_.load(std::memory_order_seq_cst) != 0 && idle()) {
        std::lock_guard<std::mutex> guard(idle_mutex_);
        idle_cv_.notify_all();
    }
    release();
}

void Item::finish_callback()
{
    uint64_t state = state_.fetch_sub(kRunning, std::memory_order_seq_cst) - kRunning;
    if ((state & ~kSkipMask) == 0 && waiters_.load(std::memory_order_seq_cst) != 0) {
        std::lock_guard<std::mutex> guard(idle_mutex_);
        idle_cv_.notify_all();
    }
}

void Item::disassociate()
{
    detached_.fetch_add(1, std::memory_order_seq_cst);
    finish_callback();
}

void Item::detached_returned()
{
    if (detached_.fetch_sub(1, std::memory_order_seq_cst) == 1 && waiters_.load(std::memory_order_seq_cst) != 0) {
        std::lock_guard<std::mutex> guard(idle_mutex_);
        idle_cv_.notify_all();
    }
}

void Item::wait_detached()
{
    if (detached_.load(std::memory_order_seq_cst) == 0) return;
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    {
        BlockingScope blocking;
        std::unique_lock<std::mutex> lock(idle_mutex_);
        while (detached_.load(std::memory_order_seq_cst) != 0) idle_cv_.wait(lock);
    }
    waiters_.fetch_sub(1, std::memory_order_seq_cst);
}

namespace {

void run_one(Item* item, const Packet& packet, Instance& instance)
{
    instance = Instance{};
    instance.item = item;
    instance.pool = item->pool();
    tls_instance = &instance;
    item->run(packet, instance);
    tls_instance = nullptr;
    if (instance.disassociated)
        item->detached_returned();
    else
        item->finish_callback();
}

}  // namespace

void Item::run_inline()
{
    add_reference();
    state_.fetch_add(kRunning, std::memory_order_seq_cst);
    Instance instance;
    Instance* outer = tls_instance;
    run_one(this, Packet{}, instance);
    tls_instance = outer;
    release();
}

void worker_dispatch(Pool* pool, const Packet& packet)
{
    Item* item = reinterpret_cast<Item*>(packet.key);
    Instance instance;
    if (item->is_io_) {
        uint64_t state = item->state_.load(std::memory_order_relaxed);
        bool skip, started;
        uint64_t next;
        do {
            // A completion of a request announced by StartThreadpoolIo holds a reference;
            // one without (BindIoCompletionCallback's, or a program that forgot to call
            // it) does not. A started request still counted pending gets the callback
            // before a cancelled one is skipped: WaitForThreadpoolIoCallbacks(TRUE) with
            // a request started but never issued leaves a skip that no completion may
            // ever take, and the next request started must still call back (Wine's ntdll
            // test_tp_io, which passes on Windows).
            bool pending = (state & Item::kPendingMask) != 0;
            skip = !pending && (state & Item::kSkipMask) != 0;
            started = pending || skip;
            if (skip)
                next = state - Item::kSkip;
            else
                next = state + Item::kRunning - (pending ? Item::kPending : 0);
        } while (!item->state_.compare_exchange_weak(state, next, std::memory_order_seq_cst));
        if (!skip) {
            run_one(item, packet, instance);
        } else if (item->waiters_.load(std::memory_order_seq_cst) != 0 && item->idle()) {
            std::lock_guard<std::mutex> guard(item->idle_mutex_);
            item->idle_cv_.notify_all();
        }
        if (started) item->release();  // the started request's reference
        return;
    }
    // A token: run pending callbacks while there are some; hand the token to an idle
    // thread (or to the back of the queue after a batch) when more are pending.
    unsigned batch = 0;
    bool shared = false;  // an idle thread was given a token of its own for this item
    for (;;) {
        uint64_t state = item->state_.load(std::memory_order_relaxed);
        do {
            if ((state & Item::kPendingMask) == 0) {
                item->release();  // the token's reference
                return;
            }
        } while (!item->state_.compare_exchange_weak(state, state - Item::kPending + Item::kRunning,
                                                     std::memory_order_seq_cst));
        bool more = (state & Item::kPendingMask) > 1;
        tls_handed = false;
        if (more && !shared && pool->idle_.load(std::memory_order_relaxed) != 0) {
            // A second runner: the idle thread runs this item's callbacks beside this one,
            // which carries on. (Handing the token over instead, and returning, made two
            // threads pass it back and forth with a wake-up per callback: a backlog of
            // millions drained at about 1 M/s.)
            pool->post_token(item);  // a new token with its own reference
            shared = true;
        } else if (more && ++batch >= 64) {
            pool->post_token(item);  // to the back of the queue: the other packets' turn
            tls_handed = true;
        } else if (more) {
            pool->maybe_grow();
        }
        // If the callback blocks with more pending, thread_blocking() hands the token on.
        tls_token = item;
        run_one(item, packet, instance);
        tls_token = nullptr;
        if (tls_handed) {
            item->release();
            return;
        }
    }
}

// ---------------------------------------------------------------- pools

Pool* Pool::default_pool()
{
    static Pool* pool = [] {
        Pool* made = create();
        made->is_default_ = true;
        return made;
    }();
    return pool;
}

Pool* Pool::create()
{
    Pool* pool = new Pool();
    pool->port_ = CompletionPort::create(0);
    Monitor& monitor = Monitor::instance();
    std::lock_guard<std::mutex> guard(monitor.mutex);
    monitor.pools.push_back(pool);
    return pool;
}

void Pool::release()
{
    if (references_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    if (is_default_) return;
    uint32_t threads;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        shutting_down_ = true;
        threads = threads_.load(std::memory_order_relaxed);
    }
    if (threads == 0) {
        destroy();
        return;
    }
    for (uint32_t i = 0; i < threads; ++i) {
        port_->lock.lock();
        port_->post_and_unlock(Packet{kQuitKey, nullptr, 0, 0});
    }
}

void Pool::destroy()
{
    {
        Monitor& monitor = Monitor::instance();
        std::lock_guard<std::mutex> guard(monitor.mutex);
        for (size_t i = 0; i < monitor.pools.size(); ++i) {
            if (monitor.pools[i] == this) {
                monitor.pools[i] = monitor.pools.back();
                monitor.pools.pop_back();
                break;
            }
        }
    }
    port_->release_reference();
    delete this;
}

void Pool::set_maximum(DWORD maximum)
{
    std::lock_guard<std::mutex> guard(mutex_);
    if (maximum == 0) maximum = 1;  // a pool runs at least one callback at a time
    maximum_ = maximum;
    if (minimum_ > maximum_) minimum_ = maximum_;
}

bool Pool::set_minimum(DWORD minimum)
{
    std::lock_guard<std::mutex> guard(mutex_);
    minimum_ = minimum;
    if (maximum_ < minimum_) maximum_ = minimum_;
    while (threads_.load(std::memory_order_relaxed) < minimum_) {
        if (!spawn_locked()) return false;
    }
    return true;
}

void Pool::ensure_thread()
{
    if (threads_.load(std::memory_order_acquire) != 0) return;
    std::lock_guard<std::mutex> guard(mutex_);
    if (threads_.load(std::memory_order_relaxed) == 0) spawn_locked();
}

bool Pool::may_run_long()
{
    // Another thread is available if one waits on the port or is on its way there (made
    // but not yet waiting); otherwise one may be made, up to the maximum.
    if (idle_.load(std::memory_order_seq_cst) != 0 || starting_.load(std::memory_order_seq_cst) != 0) return true;
    std::lock_guard<std::mutex> guard(mutex_);
    if (threads_.load(std::memory_order_relaxed) >= maximum_) return false;
    return spawn_locked();
}

void Pool::post_token(Item* item)
{
    item->add_reference();
    port_->lock.lock();
    port_->post_and_unlock(Packet{reinterpret_cast<ULONG_PTR>(item), nullptr, 0, 0});
    if (idle_.load(std::memory_order_seq_cst) == 0) maybe_grow();
}

void Pool::maybe_grow()
{
    if (idle_.load(std::memory_order_relaxed) != 0) return;
    uint32_t threads = threads_.load(std::memory_order_relaxed);
    uint32_t limit = cpu_count();
    if (threads < limit) {
        std::lock_guard<std::mutex> guard(mutex_);
        threads = threads_.load(std::memory_order_relaxed);
        if (idle_.load(std::memory_order_relaxed) == 0 && threads < limit && threads < maximum_) {
            spawn_locked();
            return;
        }
    }
    if (saturated_.load(std::memory_order_relaxed) == 0) arm_monitor();
}

void Pool::arm_monitor()
{
    saturated_.store(1, std::memory_order_relaxed);
    Monitor& monitor = Monitor::instance();
    std::lock_guard<std::mutex> guard(monitor.mutex);
    if (!monitor.started) {
        monitor.started = true;
        std::thread([] { Monitor::instance().run(); }).detach();
    }
    if (!monitor.armed) {
        monitor.armed = true;
        monitor.wake.notify_one();
    }
}

// Under the monitor's lock, every 20 ms while the pool is saturated.
void Pool::monitor_tick()
{
    if (idle_.load(std::memory_order_relaxed) != 0) {
        saturated_.store(0, std::memory_order_relaxed);
        return;
    }
    uint64_t statistics[7];
    port_->lock.lock();
    port_->statistics(statistics);
    port_->lock.unlock();
    uint64_t queued = statistics[0], running = statistics[1], concurrency = statistics[4];
    uint64_t dequeued = statistics[6];
    bool stalled = dequeued == last_dequeued_;
    last_dequeued_ = dequeued;
    if (queued == 0) {
        saturated_.store(0, std::memory_order_relaxed);
        return;
    }
    // Packets wait and no thread is free to take them: callbacks are blocked (the port
    // runs fewer than its limit), or have made no progress for a tick.
    if (running < concurrency || stalled) {
        std::lock_guard<std::mutex> guard(mutex_);
        if (threads_.load(std::memory_order_relaxed) < maximum_) spawn_locked();
    }
}

namespace {

DWORD WINAPI worker_start(LPVOID parameter)
{
    static_cast<Pool*>(parameter)->worker_main();
    return 0;
}

}  // namespace

bool Pool::spawn_locked()
{
    if (shutting_down_) return false;
    threads_.fetch_add(1, std::memory_order_relaxed);
    starting_.fetch_add(1, std::memory_order_seq_cst);
    DWORD error = 0;
    ThreadObject* thread = ThreadObject::spawn(0, worker_start, this, false, &error);
    if (thread == nullptr) {
        starting_.fetch_sub(1, std::memory_order_seq_cst);
        threads_.fetch_sub(1, std::memory_order_relaxed);
        return false;
    }
    thread->release_reference();
    return true;
}

void Pool::worker_main()
{
    Packet packets[kBatch];
    tls_pool = this;
    tls_batch = packets;
    bool started = false;
    for (;;) {
        ULONG removed = 0;
        idle_.fetch_add(1, std::memory_order_seq_cst);
        if (!started) {
            started = true;
            starting_.fetch_sub(1, std::memory_order_seq_cst);  // idle now, counted there
        }
        port_->lock.lock();
        DWORD status = port_->remove_and_unlock(packets, kBatch, &removed,
                                                Deadline::from_milliseconds(kIdleRetireMs), false);
        idle_.fetch_sub(1, std::memory_order_seq_cst);
        if (status == CompletionPort::kRetry) continue;
        if (status == STATUS_SUCCESS) {
            // Every thread busy now: perhaps one more (once per batch, not per packet).
            if (idle_.load(std::memory_order_relaxed) == 0) maybe_grow();
            bool quit = false;
            tls_batch_count = removed;
            for (tls_batch_next = 0; tls_batch_next < tls_batch_count;) {
                Packet packet = packets[tls_batch_next++];
                if (packet.key == kQuitKey) {
                    quit = true;
                    // The rest is for the other threads.
                    if (tls_batch_next < tls_batch_count) {
                        port_->lock.lock();
                        port_->post_and_unlock(packets + tls_batch_next, tls_batch_count - tls_batch_next);
                    }
                    break;
                }
                worker_dispatch(this, packet);
            }
            tls_batch_next = tls_batch_count = 0;
            if (quit) break;
            continue;
        }
        if (status != STATUS_TIMEOUT) continue;
        // Idle for a while: retire unless at the minimum, or packets came meanwhile.
        std::unique_lock<std::mutex> lock(mutex_);
        if (shutting_down_ || threads_.load(std::memory_order_relaxed) <= minimum_) continue;
        port_->lock.lock();
        bool queued = port_->is_signaled(nullptr);
        port_->lock.unlock();
        if (queued) continue;
        threads_.fetch_sub(1, std::memory_order_seq_cst);
        return;
    }
    // Shutdown: the last worker out destroys the pool.
    bool last;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        last = threads_.fetch_sub(1, std::memory_order_relaxed) == 1;
    }
    port_detach(current_thread());
    if (last) destroy();
}

// ---------------------------------------------------------------- the timer thread

namespace {

struct TimerThread {
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable fired;
    std::set<std::pair<int64_t, TimerSlot*>> queue;
    TimerSlot* firing = nullptr;
    std::thread::id id;
    bool started = false;

    static TimerThread& instance()
    {
        static TimerThread* timers = new TimerThread();
        return *timers;
    }

    void run()
    {
        std::unique_lock<std::mutex> lock(mutex);
        id = std::this_thread::get_id();
        for (;;) {
            if (queue.empty()) {
                wake.wait(lock);
                continue;
            }
            int64_t due = queue.begin()->first;
            int64_t now = monotonic_now_ns();
            if (due > now) {
                wake.wait_until(lock, std::chrono::steady_clock::time_point(std::chrono::nanoseconds(due)));
                continue;
            }
            TimerSlot* slot = queue.begin()->second;
            queue.erase(queue.begin());
            if (slot->period_ns != 0) {
                int64_t next = slot->due_ns + static_cast<int64_t>(slot->period_ns);
                if (next <= now) next = now + static_cast<int64_t>(slot->period_ns);
                slot->due_ns = next;
                queue.emplace(next, slot);
            } else {
                slot->armed = false;
            }
            firing = slot;
            lock.unlock();
            slot->fire(slot);
            lock.lock();
            firing = nullptr;
            fired.notify_all();
        }
    }
};

// Arms `slot` (under the timer thread's lock), replacing its due time if it is armed.
void arm_locked(TimerThread& timers, TimerSlot* slot, int64_t due_ns, uint64_t period_ns)
{
    if (!timers.started) {
        timers.started = true;
        std::thread([] {
            std::fesetenv(FE_DFL_ENV);  // it runs WT_EXECUTEINTIMERTHREAD callbacks: as a new Windows thread
            TimerThread::instance().run();
        }).detach();
    }
    if (slot->armed) timers.queue.erase({slot->due_ns, slot});
    slot->armed = true;
    slot->due_ns = due_ns;
    slot->period_ns = period_ns;
    ++slot->sequence;
    bool first = timers.queue.empty() || due_ns < timers.queue.begin()->first;
    timers.queue.emplace(due_ns, slot);
    if (first) timers.wake.notify_one();
}

}  // namespace

void timer_arm(TimerSlot* slot, int64_t due_ns, uint64_t period_ns)
{
    TimerThread& timers = TimerThread::instance();
    std::lock_guard<std::mutex> guard(timers.mutex);
    arm_locked(timers, slot, due_ns, period_ns);
}

bool timer_rearm(TimerSlot* slot, int64_t due_ns, uint64_t period_ns)
{
    TimerThread& timers = TimerThread::instance();
    std::lock_guard<std::mutex> guard(timers.mutex);
    if (!slot->armed) return false;
    arm_locked(timers, slot, due_ns, period_ns);
    return true;
}

bool timer_disarm(TimerSlot* slot)
{
    TimerThread& timers = TimerThread::instance();
    std::lock_guard<std::mutex> guard(timers.mutex);
    bool was = slot->armed;
    if (was) timers.queue.erase({slot->due_ns, slot});
    slot->armed = false;
    ++slot->sequence;
    return was;
}

void timer_quiesce(TimerSlot* slot)
{
    TimerThread& timers = TimerThread::instance();
    std::unique_lock<std::mutex> lock(timers.mutex);
    if (std::this_thread::get_id() == timers.id) return;
    while (timers.firing == slot) timers.fired.wait(lock);
}

// ---------------------------------------------------------------- wait threads

namespace {

constexpr uint32_t kSlotsPerThread = MAXIMUM_WAIT_OBJECTS - 1;

struct WaitThread {
    EventObject* control = nullptr;
    WaitSlot* slots[kSlotsPerThread] = {};
    uint32_t count = 0;
    std::thread::id id;
    // The slot whose fire() runs now. Kept here, not in the slot: a callback run inline
    // (WT_EXECUTEINWAITTHREAD) may unregister its own wait, and the slot is freed with it
    // before fire() returns.
    WaitSlot* firing = nullptr;
};

struct WaitThreads {
    std::mutex mutex;
    std::condition_variable fired;
    std::vector<WaitThread*> threads;

    static WaitThreads& instance()
    {
        static WaitThreads* waits = new WaitThreads();
        return *waits;
    }

    static void poke(WaitThread* thread)
    {
        WakeList wake;
        LockGuard guard(thread->control->lock);
        thread->control->set(wake);
    }

    void remove_locked(WaitThread* thread, WaitSlot* slot)
    {
        uint32_t index = slot->index;
        thread->slots[index] = thread->slots[--thread->count];
        thread->slots[index]->index = index;
        thread->slots[thread->count] = nullptr;
        slot->registered = false;
    }

    void run(WaitThread* self)
    {
        Object* objects[MAXIMUM_WAIT_OBJECTS];
        WaitSlot* snapshot[MAXIMUM_WAIT_OBJECTS];
        std::unique_lock<std::mutex> lock(mutex);
        self->id = std::this_thread::get_id();
        for (;;) {
            objects[0] = self->control;
            uint32_t n = 1;
            int64_t earliest = -1;
            for (uint32_t i = 0; i < self->count; ++i) {
                WaitSlot* slot = self->slots[i];
                if (slot->deadline_ns >= 0 && (earliest < 0 || slot->deadline_ns < earliest))
                    earliest = slot->deadline_ns;
                if (slot->object == nullptr) continue;  // only a timeout
                snapshot[n] = slot;
                objects[n] = slot->object;
                slot->object->add_reference();
                ++n;
            }
            DWORD milliseconds = INFINITE;
            if (earliest >= 0) {
                int64_t left = earliest - monotonic_now_ns();
                // At most INFINITE - 1: a deadline years away (kFarFutureNs) must not wrap.
                milliseconds = left <= 0 ? 0
                                         : static_cast<DWORD>(std::min<int64_t>((left + 999999) / 1000000,
                                                                                INFINITE - 1));
            }
            lock.unlock();
            DWORD result = wait_objects(objects, n, false, Deadline::from_milliseconds(milliseconds), false);
            for (uint32_t i = 1; i < n; ++i) objects[i]->release_reference();
            lock.lock();
            WaitSlot* due[kSlotsPerThread];
            DWORD results[kSlotsPerThread];
            uint32_t fire_count = 0;
            uint32_t index = result >= WAIT_ABANDONED_0 && result < WAIT_ABANDONED_0 + n ? result - WAIT_ABANDONED_0
                                                                                        : result - WAIT_OBJECT_0;
            if (index >= 1 && index < n) {
                WaitSlot* slot = snapshot[index];
                // Still registered here (a slot is never freed while registered).
                for (uint32_t i = 0; i < self->count; ++i) {
                    if (self->slots[i] == slot && slot->object == objects[index]) {
                        due[fire_count] = slot;
                        results[fire_count++] = WAIT_OBJECT_0;
                        break;
                    }
                }
            }
            int64_t now = monotonic_now_ns();
            for (uint32_t i = 0; i < self->count; ++i) {
                WaitSlot* slot = self->slots[i];
                if (slot->deadline_ns < 0 || slot->deadline_ns > now) continue;
                if (fire_count != 0 && due[0] == slot) continue;
                due[fire_count] = slot;
                results[fire_count++] = WAIT_TIMEOUT;
            }
            for (uint32_t i = 0; i < fire_count; ++i) {
                WaitSlot* slot = due[i];
                // A slot unregistered (and perhaps freed) while an earlier one fired is no
                // longer among this thread's slots: look it up before touching it.
                bool here = false;
                for (uint32_t j = 0; j < self->count && !here; ++j) here = self->slots[j] == slot;
                if (!here) continue;
                if (slot->repeat) {
                    slot->deadline_ns = slot->timeout_ms == INFINITE
                                            ? -1
                                            : monotonic_now_ns() + int64_t(slot->timeout_ms) * 1000000;
                } else {
                    remove_locked(self, slot);
                }
                self->firing = slot;
                lock.unlock();
                slot->fire(slot, results[i]);
                lock.lock();
                self->firing = nullptr;
                fired.notify_all();
            }
        }
    }
};

}  // namespace

void wait_register(WaitSlot* slot)
{
    WaitThreads& waits = WaitThreads::instance();
    WaitThread* thread = nullptr;
    {
        std::lock_guard<std::mutex> guard(waits.mutex);
        for (WaitThread* candidate : waits.threads) {
            if (candidate->count < kSlotsPerThread) {
                thread = candidate;
                break;
            }
        }
        if (thread == nullptr) {
            thread = new WaitThread();
            thread->control = EventObject::create(false, false);
            waits.threads.push_back(thread);
            std::thread([thread] {
                std::fesetenv(FE_DFL_ENV);  // it runs WT_EXECUTEINWAITTHREAD callbacks: as a new Windows thread
                WaitThreads::instance().run(thread);
            }).detach();
        }
        slot->thread = thread;
        slot->index = thread->count;
        thread->slots[thread->count++] = slot;
        slot->registered = true;
    }
    WaitThreads::poke(thread);
}

bool wait_unregister(WaitSlot* slot)
{
    WaitThreads& waits = WaitThreads::instance();
    WaitThread* thread = static_cast<WaitThread*>(slot->thread);
    if (thread == nullptr) return false;
    bool was;
    {
        std::unique_lock<std::mutex> lock(waits.mutex);
        was = slot->registered;
        if (was) waits.remove_locked(thread, slot);
        if (std::this_thread::get_id() != thread->id) {
            while (thread->firing == slot) waits.fired.wait(lock);
        }
    }
    if (was) WaitThreads::poke(thread);
    return was;
}

}  // namespace overlapped::kernel::tp
