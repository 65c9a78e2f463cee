// uring_queue.cpp: the io_uring engine. One ring per queue. Any thread submits (under the
// queue's submission lock), any thread harvests (under its harvest lock), and one thread
// at a time waits in io_uring_enter for completions: the "waiter" (for a completion
// port's queue, the port's leader thread; see src/io/README in docs/design.md).
#include <cerrno>
#include <cstring>
#include <unordered_set>
#include <vector>
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/lock.h"
#include "engine/attempt.h"
#include "engine/engine.h"
#include "engine/op_list.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace overlapped::engine {
namespace {

// The kernel carries an operation from the submitting thread to the harvesting one
// (through the rings' shared memory); ThreadSanitizer cannot see that edge, so it is
// told: release at submission, acquire at harvest.
inline void handed_to_kernel(Op* op)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(op);
#else
    (void)op;
#endif
}

inline void taken_from_kernel(Op* op)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(op);
#else
    (void)op;
#endif
}

// user_data of the ring's own entries. Operations use their Op pointer (8-aligned); a
// cancellation uses its target's pointer with the low bit set.
constexpr uint64_t kWakeTag = 2;
// Op::engine_state of a Receive waiting in a poll.
constexpr uint8_t kPolling = 1;
constexpr uint64_t kCancelBit = 1;
// CQ entries kept free for wake-ups and cancellations.
constexpr uint32_t kReserve = 64;
// Submission entries: a batch larger than this is submitted in several calls.
constexpr unsigned kSubmissionEntries = 64;

int ring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags, const timespec* relative)
{
    if (relative != nullptr) {
        __kernel_timespec ts{relative->tv_sec, relative->tv_nsec};
        io_uring_getevents_arg arg{};
        arg.sigmask = 0;
        arg.sigmask_sz = _NSIG / 8;
        arg.ts = reinterpret_cast<uint64_t>(&ts);
        return static_cast<int>(syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
                                        flags | IORING_ENTER_EXT_ARG, &arg, sizeof(arg)));
    }
    return static_cast<int>(syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, nullptr, _NSIG / 8));
}

class UringQueue final : public Queue {
public:
    bool init(uint32_t depth, bool cooperative)
    {
        // Flags, the newest first: a kernel that refuses one (EINVAL) gets the next set.
        // COOP_TASKRUN (5.19): see create_queue's comment in engine.h. SUBMIT_ALL (5.18).
        const unsigned attempts[] = {
            IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | (cooperative ? IORING_SETUP_COOP_TASKRUN : 0u),
            IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL,
            IORING_SETUP_CQSIZE,
        };
        io_uring_params params{};
        int error = -EINVAL;
        for (unsigned flags : attempts) {
            params = io_uring_params{};
            params.flags = flags;
            params.cq_entries = depth + kReserve;
            error = io_uring_queue_init_params(kSubmissionEntries, &ring_, &params);
            if (error != -EINVAL) break;
        }
        if (error < 0) return false;
        nodrop_ = (params.features & IORING_FEAT_NODROP) != 0;
        // Slot i of the submission array always names SQE i.
        for (unsigned i = 0; i < ring_.sq.ring_entries; ++i) ring_.sq.array[i] = i;
        capacity_ = ring_.cq.ring_entries - kReserve;
        return true;
    }

    void submit(Op* op, bool defer) override
    {
        outstanding_.fetch_add(1, std::memory_order_seq_cst);
        if (op->code == OpCode::Poll && (op->flags & POLLPRI)) {
            // io_uring's poll is not woken by a TCP urgent byte (measured on Linux 6.18:
            // a POLLPRI poll stays pending while poll(2) and epoll report POLLPRI); the
            // fallback's epoll is. (A socket's MSG_OOB receive waits so, drivers/socket.cpp.)
            spill()->submit(op, false);
            return;
        }
        submit_lock_.lock();
        if (op->kind == OpKind::Stream && nodrop_) {
            // A stream operation may wait for good (a receive on an idle connection): it
            // does not count against the room kept for files, and it never waits in the
            // overflow list behind others (10,000 idle connections each with a pending
            // receive must all be in the kernel). The kernel keeps completions that do
            // not fit the completion ring (IORING_FEAT_NODROP); harvest() flushes them.
            // Streams are ordered by the I/O manager's lanes: one operation of a lane at
            // a time, so none can overtake another here.
            push(op);
            stream_pushed_.store(stream_pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            submit_lock_.unlock();
            if (!defer) enter_pending(0, 0, nullptr);
            return;
        }
        if (in_ring() >= capacity_ && op->kind != OpKind::Stream) {
            // The ring is full: a file operation runs in the fallback engine rather than
            // wait behind the ring's, some of which may never end (reads of an idle
            // pipe). Streams wait in order instead (their data must stay in order).
            submit_lock_.unlock();
            spill()->submit(op, false);
            return;
        }
        if (in_ring() >= capacity_ || !overflow_.empty()) {
            overflow_.append(op);
            overflow_count_.fetch_add(1, std::memory_order_seq_cst);
            submit_lock_.unlock();
            // A harvest that made room just now may have missed our overflow_count_
            // (each side writes its count, then reads the other's, all sequentially
            // consistent): look again.
            if (in_ring() < capacity_) drain_overflow();
            return;
        }
        push(op);
        submit_lock_.unlock();
        if (!defer) enter_pending(0, 0, nullptr);
    }

    void cancel(Op* op) override
    {
        if (op->engine_owner != nullptr && op->engine_owner == spill_.load(std::memory_order_acquire)) {
            static_cast<Queue*>(op->engine_owner)->cancel(op);
            return;
        }
        submit_lock_.lock();
        // Still in our overflow queue: it never reached the kernel. It completes with
        // -ECANCELED at the next harvest (not here: the caller may hold locks that the
        // completion takes).
        if (overflow_.remove(op)) {
            overflow_count_.fetch_sub(1, std::memory_order_relaxed);
            op->result = -ECANCELED;
            op->engine_next = cancelled_;
            cancelled_ = op;
            cancelled_count_.fetch_add(1, std::memory_order_release);
            submit_lock_.unlock();
            wake();
            return;
        }
        cancelling_.insert(op);
        cancelling_count_.store(static_cast<uint32_t>(cancelling_.size()), std::memory_order_release);
        push_cancel(op);
        submit_lock_.unlock();
        enter_pending(0, 0, nullptr);
    }

    void retry_cancels() override
    {
        if (Queue* spilled = spill_.load(std::memory_order_acquire)) spilled->retry_cancels();
        if (cancelling_count_.load(std::memory_order_acquire) == 0) return;
        submit_lock_.lock();
        bool pushed = !cancel_retry_.empty();
        for (Op* op : cancel_retry_) push_cancel(op);
        cancel_retry_.clear();
        submit_lock_.unlock();
        if (pushed) enter_pending(0, 0, nullptr);
    }

    void flush() override
    {
        if (unsubmitted() != 0) enter_pending(0, 0, nullptr);
    }

    int harvest() override
    {
        if (waiting_.load(std::memory_order_seq_cst) != 0) return 0;  // the waiter harvests
        return harvest_now();
    }

    // Harvests regardless of a waiter (the waiter itself, after its wait).
    int harvest_now()
    {
        int total = 0;
        unsigned wakes_taken = 0;
        if (Queue* spilled = spill_.load(std::memory_order_acquire)) total += spilled->harvest();
        if (cancelled_count_.load(std::memory_order_acquire) != 0) {
            submit_lock_.lock();
            Op* list = cancelled_;
            cancelled_ = nullptr;
            cancelled_count_.store(0, std::memory_order_relaxed);
            submit_lock_.unlock();
            while (list != nullptr) {
                Op* op = list;
                list = op->engine_next;
                outstanding_.fetch_sub(1, std::memory_order_acq_rel);
                op->complete(op);
                ++total;
            }
        }
        for (int round = 0; round < 64; ++round) {
            struct Entry {
                uint64_t data;
                int32_t result;
            } entries[64];
            unsigned count = 0;
            if (!harvest_lock_.try_lock()) break;
            unsigned head = *ring_.cq.khead;
            unsigned tail = io_uring_smp_load_acquire(ring_.cq.ktail);
            unsigned completed = 0;  // operations (not wake-ups or cancellations)
            while (head != tail && count < 64) {
                const io_uring_cqe& cqe = ring_.cq.cqes[head & ring_.cq.ring_mask];
                entries[count++] = {cqe.user_data, cqe.res};
                if (cqe.user_data != kWakeTag && !(cqe.user_data & kCancelBit)) ++completed;
                ++head;
            }
            io_uring_smp_store_release(ring_.cq.khead, head);
            // Leaving the ring, and the queue, is counted once per batch, before any
            // callback (which may submit again).
            if (completed != 0) {
                harvested_.store(harvested_.load(std::memory_order_relaxed) + completed, std::memory_order_seq_cst);
                outstanding_.fetch_sub(completed, std::memory_order_acq_rel);
            }
            harvest_lock_.unlock();
            if (count == 0) {
                // Completions the completion ring had no room for wait in the kernel until
                // asked for (streams beyond the ring's size): let it move them in.
                if (IO_URING_READ_ONCE(*ring_.sq.kflags) & IORING_SQ_CQ_OVERFLOW) {
                    ring_enter(ring_.ring_fd, 0, 0, IORING_ENTER_GETEVENTS, nullptr);
                    continue;
                }
                break;
            }
            unsigned streams = 0;
            for (unsigned i = 0; i < count; ++i) {
                if (entries[i].data == kWakeTag) {
                    ++wakes_taken;
                    continue;
                }
                if (entries[i].data & kCancelBit) {
                    // The kernel could not cancel (the operation was between states, or
                    // running): ask again at the next retry_cancels() while it runs.
                    if (entries[i].result != 0) cancel_failed(reinterpret_cast<Op*>(entries[i].data & ~kCancelBit));
                    continue;
                }
                Op* op = reinterpret_cast<Op*>(entries[i].data);
                if (cancelling_count_.load(std::memory_order_acquire) != 0) cancel_done(op);
                taken_from_kernel(op);
                if (op->kind == OpKind::Stream) ++streams;
                if (op->engine_state == kPolling && entries[i].result >= 0) {
                    if (!receive_ready(op)) ++total;  // received (and completed), or polled again
                    continue;
                }
                op->engine_state = 0;
                op->result = entries[i].result;
                op->complete(op);  // may free op
                ++total;
            }
            if (streams != 0) stream_harvested_.fetch_add(streams, std::memory_order_relaxed);
            if (completed != 0 && overflow_count_.load(std::memory_order_seq_cst) != 0) drain_overflow();  // see submit()
        }
        // A harvest that began before a waiter went to sleep can take the wake-up meant
        // for it (the waiter then sleeps on an empty ring while wake_pending_ says a
        // wake-up is on its way). Send it again; a spare one costs a spurious return.
        if (wakes_taken != 0 && waiting_.load(std::memory_order_seq_cst) != 0) send_wake();
        return total;
    }

    void wait(const timespec* deadline) override
    {
        waiting_.store(1, std::memory_order_seq_cst);
        if (wake_pending_.exchange(0, std::memory_order_seq_cst) != 0 ||
            cancelled_count_.load(std::memory_order_acquire) != 0) {
            waiting_.store(0, std::memory_order_seq_cst);
            flush();
            return;
        }
        timespec relative{};
        const timespec* timeout = nullptr;
        if (deadline != nullptr) {
            timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long ns = (deadline->tv_sec - now.tv_sec) * 1000000000LL + (deadline->tv_nsec - now.tv_nsec);
            if (ns < 0) ns = 0;
            relative.tv_sec = ns / 1000000000LL;
            relative.tv_nsec = ns % 1000000000LL;
            timeout = &relative;
        }
        enter_pending(1, IORING_ENTER_GETEVENTS, timeout);
        wake_pending_.store(0, std::memory_order_relaxed);
        waiting_.store(0, std::memory_order_seq_cst);
    }

    void wake() override
    {
        if (wake_pending_.exchange(1, std::memory_order_seq_cst) != 0) return;  // one is on its way
        if (waiting_.load(std::memory_order_seq_cst) == 0) return;  // the next wait sees the flag
        send_wake();
    }

private:
    // A receive's poll found its socket ready: receive now, without blocking, and
    // complete the operation. True if it would still block (another reader was first):
    // the poll is armed again instead.
    bool receive_ready(Op* op)
    {
        int result = attempt(op, true);
        if (result == -EAGAIN) {
            outstanding_.fetch_add(1, std::memory_order_seq_cst);
            submit_lock_.lock();
            push(op);
            stream_pushed_.store(stream_pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            submit_lock_.unlock();
            enter_pending(0, 0, nullptr);
            return true;
        }
        op->engine_state = 0;
        op->result = result;
        op->complete(op);
        return false;
    }

    // A NOP whose completion ends the waiter's io_uring_enter.
    void send_wake()
    {
        submit_lock_.lock();
        io_uring_sqe* sqe = get_sqe();
        io_uring_prep_nop(sqe);
        sqe->user_data = kWakeTag;
        publish();
        submit_lock_.unlock();
        enter_pending(0, 0, nullptr);
    }

    // The fallback queue that takes file operations while the ring is full; made once.
    Queue* spill()
    {
        Queue* queue = spill_.load(std::memory_order_acquire);
        if (queue != nullptr) return queue;
        LockGuard guard(submit_lock_);
        queue = spill_.load(std::memory_order_relaxed);
        if (queue == nullptr) {
            queue = fallback::create_queue(this);
            spill_.store(queue, std::memory_order_release);
        }
        return queue;
    }

    // (harvested_ is read sequentially consistent for submit()'s overflow re-check; on
    // x86 that is a plain load, as an acquiring one is.)
    uint32_t in_ring() const
    {
        // Streams pushed past the room kept for files are not counted (see submit()).
        uint32_t streams = stream_pushed_.load(std::memory_order_relaxed) - stream_harvested_.load(std::memory_order_relaxed);
        return pushed_.load(std::memory_order_relaxed) - harvested_.load(std::memory_order_seq_cst) - streams;
    }

    unsigned unsubmitted() const
    {
        return io_uring_smp_load_acquire(ring_.sq.ktail) - io_uring_smp_load_acquire(ring_.sq.khead);
    }

    // Under submit_lock_: an SQE, entering the ring to make room if it is full.
    io_uring_sqe* get_sqe()
    {
        for (;;) {
            io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
            if (sqe != nullptr) return sqe;
            publish();
            ring_enter(ring_.ring_fd, unsubmitted(), 0, 0, nullptr);
        }
    }

    // Under submit_lock_: makes written SQEs visible to the kernel (not yet submitted).
    void publish()
    {
        io_uring_smp_store_release(ring_.sq.ktail, ring_.sq.sqe_tail);
        ring_.sq.sqe_head = ring_.sq.sqe_tail;
    }

    // Under submit_lock_.
    void push_cancel(Op* op)
    {
        io_uring_sqe* sqe = get_sqe();
        io_uring_prep_cancel64(sqe, reinterpret_cast<uint64_t>(op), 0);
        sqe->user_data = reinterpret_cast<uint64_t>(op) | kCancelBit;
        publish();
    }

    void cancel_failed(Op* op)
    {
        LockGuard guard(submit_lock_);
        if (cancelling_.count(op) != 0) cancel_retry_.push_back(op);
    }

    // `op` completed: no more cancellations for it.
    void cancel_done(Op* op)
    {
        LockGuard guard(submit_lock_);
        if (cancelling_.erase(op) == 0) return;
        cancelling_count_.store(static_cast<uint32_t>(cancelling_.size()), std::memory_order_release);
        for (size_t i = 0; i < cancel_retry_.size(); ++i)
            if (cancel_retry_[i] == op) {
                cancel_retry_[i] = cancel_retry_.back();
                cancel_retry_.pop_back();
                break;
            }
    }

    // Under submit_lock_.
    void push(Op* op)
    {
        io_uring_sqe* sqe = get_sqe();
        switch (op->code) {
        case OpCode::Read:
            io_uring_prep_read(sqe, op->descriptor, op->buffer, op->length, op->offset);
            break;
        case OpCode::Write:
            io_uring_prep_write(sqe, op->descriptor, op->buffer, op->length, op->offset);
            break;
        case OpCode::ReadVector:
            io_uring_prep_readv(sqe, op->descriptor, op->vectors, op->length, op->offset);
            break;
        case OpCode::WriteVector:
            io_uring_prep_writev(sqe, op->descriptor, op->vectors, op->length, op->offset);
            break;
        case OpCode::Receive:
            // Wait for data with a poll, and receive it in the harvesting thread (see
            // receive_ready). A recv in the ring runs as task work at the moment the data
            // arrives, on the submitting thread, and contends for the socket's lock with
            // the sender still holding it: measured, that doubled a server's CPU time per
            // request on loopback.
            io_uring_prep_poll_add(sqe, op->descriptor, POLLIN | POLLRDHUP | POLLPRI);
            op->engine_state = kPolling;
            break;
        case OpCode::Send:
            if (op->message != nullptr)
                io_uring_prep_sendmsg(sqe, op->descriptor, op->message, static_cast<unsigned>(op->flags | MSG_NOSIGNAL));
            else
                io_uring_prep_send(sqe, op->descriptor, op->buffer, op->length, op->flags | MSG_NOSIGNAL);
            break;
        case OpCode::Accept:
            io_uring_prep_accept(sqe, op->descriptor, static_cast<sockaddr*>(op->address),
                                 op->address != nullptr ? reinterpret_cast<socklen_t*>(&op->address_length) : nullptr,
                                 SOCK_CLOEXEC | SOCK_NONBLOCK);
            break;
        case OpCode::Connect:
            io_uring_prep_connect(sqe, op->descriptor, static_cast<const sockaddr*>(op->address), op->address_length);
            break;
        case OpCode::Poll:
            io_uring_prep_poll_add(sqe, op->descriptor, static_cast<unsigned>(op->flags));
            break;
        }
        bool transfer = op->code == OpCode::Read || op->code == OpCode::Write || op->code == OpCode::ReadVector ||
                        op->code == OpCode::WriteVector;
        if (transfer && op->kind != OpKind::Stream) sqe->rw_flags = op->flags;  // a file's RWF_* (RWF_APPEND)
        sqe->user_data = reinterpret_cast<uint64_t>(op);
        handed_to_kernel(op);
        pushed_.store(pushed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        publish();
    }

    void drain_overflow()
    {
        submit_lock_.lock();
        bool pushed = false;
        while (!overflow_.empty() && in_ring() < capacity_) {
            Op* op = overflow_.pop();
            overflow_count_.fetch_sub(1, std::memory_order_relaxed);
            push(op);
            pushed = true;
        }
        submit_lock_.unlock();
        if (pushed) enter_pending(0, 0, nullptr);
    }

    // Submits what is visible in the SQ and, with GETEVENTS, waits for `min_complete`.
    void enter_pending(unsigned min_complete, unsigned flags, const timespec* timeout)
    {
        for (int attempt = 0; attempt < 1000; ++attempt) {
            unsigned pending = unsubmitted();
            if (pending == 0 && flags == 0) return;
            int done = ring_enter(ring_.ring_fd, pending, min_complete, flags, timeout);
            if (done >= 0 || errno == ETIME || errno == EINTR) {
                if (flags != 0 || static_cast<unsigned>(done) >= pending) return;
                continue;  // partly consumed: another thread took some, or try again
            }
            if (errno == EAGAIN || errno == EBUSY) {
                // The kernel is short of memory or the CQ backlog is full: harvest and retry.
                harvest_now();
                if (flags != 0) return;
                continue;
            }
            return;
        }
    }

    io_uring ring_{};
    uint32_t capacity_ = 0;
    alignas(64) Lock submit_lock_;
    OpList overflow_;  // under submit_lock_: waiting for room in the ring
    std::atomic<uint32_t> overflow_count_{0};
    Op* cancelled_ = nullptr;  // under submit_lock_: taken out of the overflow queue
    std::atomic<uint32_t> cancelled_count_{0};
    std::unordered_set<Op*> cancelling_;  // under submit_lock_: cancelled, not completed
    std::vector<Op*> cancel_retry_;       // under submit_lock_: the kernel said "not now"
    std::atomic<uint32_t> cancelling_count_{0};
    // Operations in the ring or its completion queue: pushed_ (under submit_lock_) less
    // harvested_ (under harvest_lock_). Each has one writer at a time, so neither needs a
    // locked instruction; a stale harvested_ only overstates what is in the ring.
    std::atomic<uint32_t> pushed_{0};
    std::atomic<uint32_t> harvested_{0};
    std::atomic<Queue*> spill_{nullptr};
    bool nodrop_ = false;  // the kernel keeps completions the ring cannot hold
    // Stream operations pushed (under submit_lock_) and harvested: in_ring() leaves them out.
    std::atomic<uint32_t> stream_pushed_{0};
    std::atomic<uint32_t> stream_harvested_{0};
    alignas(64) Lock harvest_lock_;
    alignas(64) std::atomic<uint32_t> waiting_{0};
    std::atomic<uint32_t> wake_pending_{0};
};

bool probe()
{
    io_uring ring{};
    if (io_uring_queue_init(8, &ring, 0) < 0) return false;
    bool works = false;
    if (io_uring_probe* probe = io_uring_get_probe_ring(&ring)) {
        works = true;
        for (int opcode : {IORING_OP_NOP, IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READV, IORING_OP_WRITEV,
                           IORING_OP_ASYNC_CANCEL, IORING_OP_RECV, IORING_OP_SEND, IORING_OP_RECVMSG,
                           IORING_OP_SENDMSG, IORING_OP_ACCEPT, IORING_OP_CONNECT, IORING_OP_POLL_ADD})
            if (!io_uring_opcode_supported(probe, opcode)) works = false;
        io_uring_free_probe(probe);
    }
    io_uring_queue_exit(&ring);
    return works;
}

}  // namespace

namespace uring {

bool available()
{
    static const bool works = probe();
    return works;
}

Queue* create_queue(uint32_t depth, bool cooperative)
{
    if (!available()) return nullptr;
    UringQueue* queue = new UringQueue();
    if (!queue->init(depth, cooperative)) {
        delete queue;
        return nullptr;
    }
    return queue;
}

}  // namespace uring

}  // namespace overlapped::engine
