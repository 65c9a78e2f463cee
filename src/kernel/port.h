// port.h: I/O completion ports: the kernel-queue algorithm of Windows, in process.
//
// A port keeps, as seed 002 draws it: the completion queue (FIFO), the waiting threads
// (LIFO: the last thread to wait is the first released), the released threads counted
// in `running_` (at most NumberOfConcurrentThreads of them are given packets), and the
// paused threads (released threads blocked elsewhere, not counted until they wake). The
// device list is the set of handles bound to the port (kept by the devices themselves).
//
// A thread is associated with the port it last called GetQueuedCompletionStatus on.
// Every blocking wait of the library calls port_thread_blocking/unblocked, which is how
// a released thread that blocks lets another waiter take the next packet.
#pragma once

#include <atomic>
#include <cstdint>

#include "kernel/object.h"
#include "kernel/thread_state.h"
#include "kernel/wait.h"

namespace overlapped::kernel {

// What the I/O manager attaches to a port once requests of its devices run in an engine
// queue of the port's own. The port's waiting threads then wait for completions in the
// engine (one "leader" at a time, the others on the port as usual), so completions reach
// them with no hop through another thread.
class PortPoller {
public:
    virtual ~PortPoller() = default;
    // Requests outstanding in the queue.
    virtual bool busy() = 0;
    // Delivers finished requests (packets to the port), without blocking.
    virtual void harvest() = 0;
    // Blocks until requests finished, wake() or the deadline. Delivers nothing.
    virtual void wait(const Deadline& deadline) = 0;
    virtual void wake() = 0;
    // Starts requests issued with deferred submission.
    virtual void flush() = 0;
};

// A growable FIFO ring of packets; it keeps its storage, so a port in steady state
// allocates nothing.
class PacketQueue {
public:
    ~PacketQueue() { delete[] ring_; }
    bool empty() const { return head_ == tail_; }
    size_t size() const { return tail_ - head_; }
    void push(const Packet& packet)
    {
        if (tail_ - head_ == capacity_) grow();
        ring_[tail_++ & (capacity_ - 1)] = packet;
    }
    const Packet& front() const { return ring_[head_ & (capacity_ - 1)]; }
    void pop() { ++head_; }
    void clear() { head_ = tail_ = 0; }

private:
    void grow();
    Packet* ring_ = nullptr;
    size_t capacity_ = 0;
    size_t head_ = 0;
    size_t tail_ = 0;
};

class CompletionPort final : public Object {
public:
    CompletionPort() : Object(ObjectType::CompletionPort) {}
    static CompletionPort* create(DWORD concurrency);

    // Waitable: signalled while packets are queued; a wait consumes nothing.
    bool is_signaled(const ThreadState*) const override { return !queue_.empty(); }
    void last_handle_closed() override;

    // Queues packets, in order. Called with `lock` held; returns with it released.
    void post_and_unlock(const Packet* packets, size_t count);
    void post_and_unlock(const Packet& packet) { post_and_unlock(&packet, 1); }

    // Status of remove_and_unlock besides STATUS_SUCCESS / STATUS_TIMEOUT /
    // STATUS_USER_APC / STATUS_ABANDONED_WAIT_0: the caller must look the port up again.
    static constexpr DWORD kRetry = 0xFFFFFFFFu;

    // GetQueuedCompletionStatus(Ex): removes up to `count` packets into `packets`, waiting
    // as the kernel queue does. Called with `lock` held; returns with it released.
    DWORD remove_and_unlock(Packet* packets, ULONG count, ULONG* removed, const Deadline& deadline,
                            bool alertable);

    void statistics(uint64_t out[7]);

    // The I/O manager's poller: set once, kept for the life of the port object (ports
    // are pooled; a reused port keeps its engine queue).
    PortPoller* poller() const { return poller_.load(std::memory_order_acquire); }
    // Under `lock`: installs `poller` unless one is installed; returns the one in place.
    PortPoller* install_poller(PortPoller* poller)
    {
        PortPoller* current = poller_.load(std::memory_order_relaxed);
        if (current != nullptr) return current;
        poller_.store(poller, std::memory_order_release);
        return poller;
    }
    // Whether the port's handles are all closed (under `lock`).
    bool closed() const { return closed_; }

private:
    friend void port_thread_blocking(ThreadState* self);
    friend void port_thread_unblocked(ThreadState* self);
    friend void port_thread_exit(ThreadState* self);
    friend void port_detach(ThreadState* self);

    void recycle() override;
    bool lead(ThreadState* self, PortPoller* poller, const Deadline& deadline, bool alertable, ULONG count);
    bool is_current(const ThreadState* self) const
    {
        return self->port == this && self->port_generation == generation_ && !closed_;
    }
    void push_waiter(ThreadState* thread);
    void unlink_waiter_thread(ThreadState* thread);
    // Hands queued packets to waiting threads while the concurrency limit allows.
    void release_waiters(WakeList& wake);
    ULONG take_packets(Packet* packets, ULONG count);
    void publish_queue_size()
    {
        bool queued = !queue_.empty();
        if (queued == hint_published_) return;
        hint_published_ = queued;
        queued_hint_.store(queued ? 1 : 0, std::memory_order_relaxed);
    }

    PacketQueue queue_;
    // Whether packets are queued, published for threads polling the port without its
    // lock (a hint: they take the lock before acting on it). Written only when it
    // changes, and on a cache line of its own, so that a poster does not pull the line
    // from a polling thread on every packet.
    alignas(64) std::atomic<uint32_t> queued_hint_{0};
    alignas(64) bool hint_published_ = false;  // under lock: the value last stored
    ThreadState* waiters_ = nullptr;  // LIFO: the head is the most recent waiter
    uint32_t concurrency_ = 1;
    uint32_t running_ = 0;
    uint32_t waiting_ = 0;
    uint32_t paused_ = 0;
    uint64_t posted_ = 0;
    uint64_t dequeued_ = 0;
    uint64_t generation_ = 0;
    bool closed_ = false;
    std::atomic<PortPoller*> poller_{nullptr};
    ThreadState* leader_ = nullptr;  // the waiter blocked in the poller, if any
    bool leader_woken_ = false;      // a wake() is on its way to it
    size_t leader_claim_ = 0;        // packets kept for the leader while it harvests
};

// Hooks the wait engine calls around every blocking wait, and thread exit.
void port_thread_blocking(ThreadState* self);
void port_thread_unblocked(ThreadState* self);
void port_thread_exit(ThreadState* self);
// Ends the calling thread's association with its port (when it waits on another one).
void port_detach(ThreadState* self);

}  // namespace overlapped::kernel
