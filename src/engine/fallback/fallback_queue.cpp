// fallback_queue.cpp: the engine for where io_uring is missing or refused.
//
// Three ways an operation runs, chosen by its kind (engine.h):
//  - a file read or write is first tried at once in the submitting thread with
//    RWF_NOWAIT: data in the page cache is copied without blocking, as io_uring does
//    inline. If that would block (or the file system cannot say), a pool thread does it
//    with a plain preadv/pwritev. O_DIRECT files go to the pool directly.
//  - a stream (pipe, FIFO, socket, character device) is tried at once with RWF_NOWAIT;
//    if it would block, the operation waits in the reactor: one epoll thread per
//    process, which retries the operations of a descriptor, in order, when it is ready.
//    A stream that cannot be polled or tried without blocking goes to the pool.
//  - an O_DIRECT file operation goes to the kernel's native asynchronous I/O
//    (io_submit), which is truly asynchronous there and allowed by the seccomp profiles
//    that refuse io_uring; one thread waits in io_getevents for the process. Where that
//    is refused too, or its context is full, the pool does it.
//  - the pool: at most kMaxPoolThreads threads (made on demand, gone after 30 s idle)
//    run blocking calls. A cancelled operation still waiting for a thread is taken out;
//    one running is interrupted by the library's signal (interrupt.h), again at every
//    retry_cancels() until it ends.
// Whichever way, a finished operation goes on its queue's done list; harvest() runs the
// callbacks, wait() sleeps on the queue's futex word until the list is not empty.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/futex.h"
#include "common/lock.h"
#include "engine/attempt.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "engine/op_list.h"

namespace overlapped::engine {
namespace {

// Op::engine_state values.
enum : uint8_t { kNew, kDeferred, kPoolWaiting, kPoolRunning, kReadyWaiting, kDirectRunning, kDone };

// The pool's bound (docs/engines.md): enough threads to keep a disk's queue busy (a
// queue depth of 64) and to survive some operations blocked for good, few enough not to
// swamp the machine: max(64, 8 x processors), at most 128.
unsigned pool_limit()
{
    static const unsigned limit = [] {
        unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
        return std::min(128u, std::max(64u, 8 * cpus));
    }();
    return limit;
}

// engine_state and engine_cancel are read by cancel() while another thread submits or
// runs the operation: always accessed atomically.
uint8_t state_of(const Op* op) { return __atomic_load_n(&op->engine_state, __ATOMIC_ACQUIRE); }
void set_state(Op* op, uint8_t state) { __atomic_store_n(&op->engine_state, state, __ATOMIC_RELEASE); }
bool cancel_asked(const Op* op) { return __atomic_load_n(&op->engine_cancel, __ATOMIC_SEQ_CST); }

// OVERLAPPED_FALLBACK_POOL_ONLY=1 (docs/engines.md): every operation runs in the pool
// with a plain blocking call, none tried at once, none in the reactor or kernel AIO. The
// simplest engine there is, for tests of the pool and for systems where the others
// misbehave.
bool pool_only()
{
    static const bool only = [] {
        const char* value = getenv("OVERLAPPED_FALLBACK_POOL_ONLY");
        return value != nullptr && strcmp(value, "1") == 0;
    }();
    return only;
}

class FallbackQueue;
void finished(Op* op);

// ---- the pool.
class Pool {
public:
    static Pool& instance()
    {
        static Pool* pool = new Pool();
        return *pool;
    }

    void push(Op* op)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (cancel_asked(op)) {  // cancelled on its way here (see FallbackQueue::cancel)
            set_state(op, kDone);
            lock.unlock();
            op->result = -ECANCELED;
            finished(op);
            return;
        }
        set_state(op, kPoolWaiting);
        (op->kind == OpKind::Stream ? streams_ : files_).append(op);
        if (!runnable()) return;  // only streams wait, and they have all the threads they may
        // The threads that will look for work by themselves: the idle ones (one notified
        // counts until it wakes) and those just finishing an operation. A new thread only
        // for an operation none of them will take: a thread that hands its result back
        // and finds the next operation already pushed must not cost a thread each time.
        bool notify = idle_ > 0;
        if (takeable() > idle_ + returning_ && threads_ < pool_limit()) {
            ++threads_;
            std::thread([this] { work(); }).detach();
        }
        // else: every thread is busy; the operation waits for one.
        lock.unlock();
        if (notify) wake_.notify_one();
    }

    // True if `op` was still waiting for a thread: it is taken out, and the caller
    // completes it. A running operation is interrupted and completes by itself.
    bool cancel(Op* op)
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (state_of(op) == kPoolWaiting) {
            if (!(op->kind == OpKind::Stream ? streams_ : files_).remove(op)) return false;
            set_state(op, kDone);
            return true;
        }
        if (state_of(op) == kPoolRunning) interrupt_thread(op->engine_thread);
        return false;
    }

    // Interrupts again the cancelled operations still running (a signal that arrived just
    // before the thread entered its system call interrupted nothing).
    void retry_cancels()
    {
        std::lock_guard<std::mutex> guard(mutex_);
        for (Op* op : running_)
            if (cancel_asked(op)) interrupt_thread(op->engine_thread);
    }

private:
    void work()
    {
        // The thread that made this one may block signals; cancellation needs this one.
        sigset_t interrupt;
        sigemptyset(&interrupt);
        sigaddset(&interrupt, interrupt_signal());
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nullptr);
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            while (!runnable()) {
                ++idle_;
                bool timed_out = wake_.wait_for(lock, std::chrono::seconds(30)) == std::cv_status::timeout;
                --idle_;
                if (timed_out && !runnable()) {
                    --threads_;
                    return;
                }
            }
            bool stream = files_.empty();
            Op* op = stream ? streams_.pop() : files_.pop();
            if (stream) ++running_streams_;
            set_state(op, kPoolRunning);
            op->engine_thread = static_cast<unsigned long>(pthread_self());
            running_.push_back(op);
            lock.unlock();

            // Interrupted (EINTR) only by a cancellation's signal, or by another signal
            // of the program's, after which the call is simply made again.
            int result = -ECANCELED;
            while (!cancel_asked(op)) {
                result = attempt(op, false);
                if (result != -EINTR) break;
                result = -ECANCELED;
            }

            lock.lock();
            running_.erase(std::find(running_.begin(), running_.end(), op));
            if (stream) --running_streams_;
            set_state(op, kDone);
            ++returning_;
            lock.unlock();
            op->result = result;
            finished(op);
            lock.lock();
            --returning_;
        }
    }

    // Under mutex_: how many of the waiting operations threads may take now. A stream
    // operation may wait for good (a read of a pipe nobody writes to), so streams get at
    // most half of the pool's threads: the other half always remains for files, whose
    // operations end.
    unsigned takeable() const
    {
        unsigned streams = running_streams_ < pool_limit() / 2
                               ? std::min(streams_.count, pool_limit() / 2 - running_streams_)
                               : 0;
        return files_.count + streams;
    }
    // Under mutex_: something waits that a thread may take.
    bool runnable() const { return takeable() != 0; }

    std::mutex mutex_;
    std::condition_variable wake_;
    OpList files_;    // waiting for a thread, first in first out
    OpList streams_;  // the same, for streams
    std::vector<Op*> running_;
    unsigned running_streams_ = 0;
    unsigned threads_ = 0;
    unsigned idle_ = 0;
    unsigned returning_ = 0;  // threads handing an operation's result back
};

// ---- the reactor: streams waiting to be readable or writable.
class Reactor {
public:
    static Reactor& instance()
    {
        static Reactor* reactor = new Reactor();
        return *reactor;
    }

    // False if the stream cannot wait here (not pollable, or cannot be tried without
    // blocking): the caller gives it to the pool.
    bool submit(Op* op)
    {
        if (epoll_ < 0) return false;
        std::vector<Op*> done;
        {
            std::lock_guard<std::mutex> guard(mutex_);
            if (cancel_asked(op)) {
                set_state(op, kDone);
                op->result = -ECANCELED;
                done.push_back(op);
            }
            Waiters& waiters = fds_[op->descriptor];
            OpList& list = wants_input(op) ? waiters.reads : waiters.writes;
            if (done.empty() && list.empty()) {
                // Nothing queued before it in this direction: try it now.
                int result = attempt(op, true);
                if (result == -EOPNOTSUPP) {
                    forget_if_idle(op->descriptor, waiters);
                    return false;
                }
                if (result != -EAGAIN) {
                    op->result = result;
                    set_state(op, kDone);
                    done.push_back(op);
                }
            }
            if (!done.empty()) {
                forget_if_idle(op->descriptor, waiters);
            } else {
                set_state(op, kReadyWaiting);
                list.append(op);
                if (!arm(op->descriptor, waiters)) {
                    list.remove(op);
                    forget_if_idle(op->descriptor, waiters);
                    return false;
                }
            }
        }
        for (Op* o : done) finished(o);
        return true;
    }

    // True if `op` was waiting here: it is taken out, and the caller completes it.
    bool cancel(Op* op)
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (state_of(op) != kReadyWaiting) return false;
        auto found = fds_.find(op->descriptor);
        if (found == fds_.end()) return false;
        Waiters& waiters = found->second;
        if (!(wants_input(op) ? waiters.reads : waiters.writes).remove(op)) return false;
        set_state(op, kDone);
        if (waiters.reads.empty() && waiters.writes.empty())
            forget_if_idle(op->descriptor, waiters);
        else
            arm(op->descriptor, waiters);
        return true;
    }

private:
    struct Waiters {
        OpList reads;
        OpList writes;
        bool registered = false;
    };

    Reactor()
    {
        epoll_ = epoll_create1(EPOLL_CLOEXEC);
        if (epoll_ >= 0) std::thread([this] { run(); }).detach();
    }

    // Under mutex_: asks epoll for the directions that have operations waiting.
    bool arm(int descriptor, Waiters& waiters)
    {
        epoll_event event{};
        uint32_t events = EPOLLONESHOT;
        if (!waiters.reads.empty()) events |= EPOLLIN | EPOLLRDHUP;
        if (!waiters.writes.empty()) events |= EPOLLOUT;
        event.events = events;
        event.data.fd = descriptor;
        if (waiters.registered) return epoll_ctl(epoll_, EPOLL_CTL_MOD, descriptor, &event) == 0;
        if (epoll_ctl(epoll_, EPOLL_CTL_ADD, descriptor, &event) != 0) return false;
        waiters.registered = true;
        return true;
    }

    // Under mutex_: a descriptor with nothing waiting leaves epoll (its number may be
    // closed and reused by the time anything waits on it again).
    void forget_if_idle(int descriptor, Waiters& waiters)
    {
        if (!waiters.reads.empty() || !waiters.writes.empty()) return;
        if (waiters.registered) epoll_ctl(epoll_, EPOLL_CTL_DEL, descriptor, nullptr);
        fds_.erase(descriptor);
    }

    // Under mutex_: runs the operations at the head of `list` until one would block.
    static void drain(OpList& list, std::vector<Op*>& done)
    {
        while (!list.empty()) {
            int result = attempt(list.head, true);
            if (result == -EAGAIN) break;
            Op* op = list.pop();
            op->result = result;
            set_state(op, kDone);
            done.push_back(op);
        }
    }

    void run()
    {
        epoll_event events[64];
        std::vector<Op*> done;
        for (;;) {
            int count = epoll_wait(epoll_, events, 64, -1);
            if (count < 0) continue;  // EINTR
            {
                std::lock_guard<std::mutex> guard(mutex_);
                for (int i = 0; i < count; ++i) {
                    auto found = fds_.find(events[i].data.fd);
                    if (found == fds_.end()) continue;  // forgotten meanwhile
                    Waiters& waiters = found->second;
                    drain(waiters.reads, done);
                    drain(waiters.writes, done);
                    if (waiters.reads.empty() && waiters.writes.empty())
                        forget_if_idle(events[i].data.fd, waiters);
                    else
                        arm(events[i].data.fd, waiters);
                }
            }
            for (Op* op : done) finished(op);
            done.clear();
        }
    }

    int epoll_ = -1;
    std::mutex mutex_;
    std::unordered_map<int, Waiters> fds_;
};

// ---- kernel AIO: O_DIRECT files.
class DirectIo {
public:
    static DirectIo& instance()
    {
        static DirectIo* direct = new DirectIo();
        return *direct;
    }

    // False if `op` cannot go to the kernel here (no context, or the context is full):
    // the caller gives it to the pool. Once it is in, it cannot be taken back (Linux
    // cannot cancel a file's direct I/O); it completes in the device's time.
    bool submit(Op* op) { return submit(&op, 1) == 1; }

    // submit() for `count` (at most kBatch) operations in one system call, which also
    // lets the block layer start them together (one doorbell for the disk, not one
    // each). Returns how many went in: ops[0, n). The rest are the caller's again.
    size_t submit(Op* const* ops, size_t count)
    {
        if (context_ == 0) return 0;
        iocb blocks[kBatch];
        iocb* pointers[kBatch];
        for (size_t i = 0; i < count; ++i) {
            Op* op = ops[i];
            iocb& block = blocks[i];
            block = iocb{};
            block.aio_data = reinterpret_cast<uint64_t>(op);
            block.aio_fildes = static_cast<uint32_t>(op->descriptor);
            bool vector = op->code == OpCode::ReadVector || op->code == OpCode::WriteVector;
            if (vector)
                block.aio_lio_opcode = wants_input(op) ? IOCB_CMD_PREADV : IOCB_CMD_PWRITEV;
            else
                block.aio_lio_opcode = wants_input(op) ? IOCB_CMD_PREAD : IOCB_CMD_PWRITE;
            block.aio_buf = reinterpret_cast<uint64_t>(vector ? static_cast<const void*>(op->vectors) : op->buffer);
            block.aio_nbytes = op->length;  // bytes, or the number of vectors
            block.aio_offset = static_cast<int64_t>(op->offset);
            block.aio_rw_flags = op->flags;  // RWF_APPEND
            pointers[i] = &block;  // the kernel copies it: only the buffers must live on
            set_state(op, kDirectRunning);
        }
        long done = syscall(SYS_io_submit, context_, static_cast<long>(count), pointers);
        size_t in = done > 0 ? static_cast<size_t>(done) : 0;  // those may be gone already
        for (size_t i = in; i < count; ++i) set_state(ops[i], kNew);
        return in;
    }

    static constexpr size_t kBatch = 64;

private:
    DirectIo()
    {
        aio_context_t context = 0;
        if (syscall(SYS_io_setup, kDepth, &context) != 0) return;
        context_ = context;
        std::thread([this] { run(); }).detach();
    }

    void run()
    {
        io_event events[64];
        for (;;) {
            long count = syscall(SYS_io_getevents, context_, 1L, 64L, events, nullptr);
            for (long i = 0; i < count; ++i) {  // count < 0: EINTR
                Op* op = reinterpret_cast<Op*>(events[i].data);
                // Acquires what submit() released with this state (the kernel's hand-over
                // orders it too, but a race detector cannot see that).
                if (state_of(op) != kDirectRunning) continue;  // never: each op comes back once
                op->result = static_cast<int>(events[i].res);
                set_state(op, kDone);
                finished(op);
            }
        }
    }

    // Requests in flight at once, for the process: deeper than any disk's useful queue.
    static constexpr unsigned kDepth = 256;
    aio_context_t context_ = 0;
};

// ---- the queue.
class FallbackQueue final : public Queue {
public:
    explicit FallbackQueue(Queue* parent) : parent_(parent) {}

    void submit(Op* op, bool defer) override
    {
        outstanding_.fetch_add(1, std::memory_order_seq_cst);
        op->engine_owner = this;
        set_state(op, kNew);
        if (pool_only()) {
            // everything below is skipped
        } else if (op->kind == OpKind::Stream) {
            if (Reactor::instance().submit(op)) return;
        } else if (op->kind == OpKind::DirectFile) {
            if (defer) {  // a port's thread: started with the others it issues, by flush()
                set_state(op, kDeferred);
                LockGuard guard(deferred_lock_);
                deferred_.append(op);
                return;
            }
            if (!cancel_asked(op) && DirectIo::instance().submit(op)) return;
        } else if (op->kind == OpKind::File) {
            int result = attempt(op, true);
            // A short transfer may only mean "the rest is not cached": the pool redoes it
            // whole (reading or writing the same bytes at the same offset again is
            // harmless). Zero bytes from a read is the end of the file.
            if (result != -EAGAIN && result != -EOPNOTSUPP &&
                (result <= 0 || static_cast<size_t>(result) == requested_length(op))) {
                op->result = result;
                set_state(op, kDone);
                push_done(op);
                return;
            }
        }
        Pool::instance().push(op);
    }

    // The flag first: an operation between the reactor and the pool (or not yet handed to
    // either) is found by neither, and each checks the flag when it takes one.
    void cancel(Op* op) override
    {
        __atomic_store_n(&op->engine_cancel, true, __ATOMIC_SEQ_CST);
        if (take_deferred(op) || Pool::instance().cancel(op) || Reactor::instance().cancel(op)) {
            op->result = -ECANCELED;
            push_done(op);
        }
    }

    void retry_cancels() override { Pool::instance().retry_cancels(); }

    // Starts the deferred operations (O_DIRECT files, for kernel AIO): in batches of one
    // system call each; any the kernel does not take go to the pool.
    void flush() override
    {
        Op* list;
        {
            LockGuard guard(deferred_lock_);
            list = deferred_.take_all();
        }
        while (list != nullptr) {
            Op* batch[DirectIo::kBatch];
            size_t count = 0;
            while (list != nullptr && count < DirectIo::kBatch) {
                Op* op = list;
                list = op->engine_next;
                if (cancel_asked(op))
                    Pool::instance().push(op);  // completes it, cancelled
                else
                    batch[count++] = op;
            }
            size_t in = count != 0 ? DirectIo::instance().submit(batch, count) : 0;
            for (size_t i = in; i < count; ++i) Pool::instance().push(batch[i]);
        }
    }

    int harvest() override
    {
        if (done_count_.load(std::memory_order_acquire) == 0) return 0;
        done_lock_.lock();
        Op* list = done_.take_all();
        done_count_.store(0, std::memory_order_relaxed);
        done_lock_.unlock();
        int total = 0;
        while (list != nullptr) {
            Op* op = list;
            list = op->engine_next;
            outstanding_.fetch_sub(1, std::memory_order_acq_rel);
            if (parent_ != nullptr) parent_->operation_leaving();
            op->complete(op);  // may free op
            ++total;
        }
        return total;
    }

    void wait(const timespec* deadline) override
    {
        flush();  // a port's leader starts what it deferred as it waits (as io_uring does)
        uint32_t seen = signal_.load(std::memory_order_seq_cst);
        // A wake() that came before this wait ends it (engine.h): a port's poster may wake
        // its leader between the leader's release of the port lock and this point, when
        // `waiting_` is still 0 and no futex wake is sent. Its mark is taken here; one made
        // after this check also moved `signal_` past `seen`, so the futex does not sleep.
        if (wake_pending_.exchange(0, std::memory_order_seq_cst) != 0) return;
        if (done_count_.load(std::memory_order_acquire) != 0) return;
        waiting_.store(1, std::memory_order_seq_cst);
        if (done_count_.load(std::memory_order_seq_cst) == 0) futex_wait(&signal_, seen, deadline);
        waiting_.store(0, std::memory_order_relaxed);
        wake_pending_.store(0, std::memory_order_relaxed);  // this wait has ended: any wake is used
    }

    void wake() override
    {
        wake_pending_.store(1, std::memory_order_seq_cst);
        signal_.fetch_add(1, std::memory_order_seq_cst);
        if (waiting_.load(std::memory_order_seq_cst) != 0) futex_wake(&signal_, 1);
    }

    // After a completion: wakes the waiter only if it sleeps, and only once for a burst
    // of completions (the first to take the flag wakes it). Either the waiter, about to
    // sleep, sees the completion counted, or we see it waiting (both sequentially
    // consistent).
    void completed_one()
    {
        if (waiting_.load(std::memory_order_seq_cst) != 0 && waiting_.exchange(0, std::memory_order_seq_cst) != 0) {
            signal_.fetch_add(1, std::memory_order_seq_cst);
            futex_wake(&signal_, 1);
        }
    }

    void push_done(Op* op)
    {
        done_lock_.lock();
        done_.append(op);
        done_count_.fetch_add(1, std::memory_order_seq_cst);
        done_lock_.unlock();
        completed_one();
        if (parent_ != nullptr) parent_->wake();
    }

private:
    // True if `op` was deferred and not yet started: it is taken out, and the caller
    // completes it.
    bool take_deferred(Op* op)
    {
        if (state_of(op) != kDeferred) return false;
        LockGuard guard(deferred_lock_);
        if (!deferred_.remove(op)) return false;
        set_state(op, kDone);
        return true;
    }

    Queue* parent_;
    Lock deferred_lock_;
    OpList deferred_;  // O_DIRECT operations a port's thread issued, for flush()
    Lock done_lock_;
    OpList done_;
    std::atomic<uint32_t> done_count_{0};
    alignas(64) std::atomic<uint32_t> signal_{0};
    std::atomic<uint32_t> waiting_{0};
    std::atomic<uint32_t> wake_pending_{0};  // wake() since the last wait ended (see wait)
};

void finished(Op* op) { static_cast<FallbackQueue*>(op->engine_owner)->push_done(op); }

}  // namespace

namespace fallback {

Queue* create_queue(Queue* parent) { return new FallbackQueue(parent); }

}  // namespace fallback

}  // namespace overlapped::engine
