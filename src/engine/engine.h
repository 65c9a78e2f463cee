// engine.h: the bottom layer: queues that run device operations (read, write at an
// offset...) and report their completion. The I/O manager (src/io/) is the only user.
//
// An engine queue is a completion domain: operations submitted to it complete through
// it, and whoever harvests it runs their completion callbacks. Two implementations fill
// this interface: io_uring (src/engine/uring/), and later an epoll + thread-pool
// fallback. Nothing above this layer knows which one runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <sys/uio.h>

namespace overlapped::engine {

enum class OpCode : uint8_t { Read, Write, ReadVector, WriteVector };

// One operation. The I/O manager embeds it in its request and owns its memory; the
// engine owns it from submit() until it calls `complete`.
struct Op {
    OpCode code = OpCode::Read;
    int descriptor = -1;
    void* buffer = nullptr;          // Read / Write
    const iovec* vectors = nullptr;  // ReadVector / WriteVector
    uint32_t length = 0;             // bytes, or vector count
    uint64_t offset = 0;
    // Set by the engine before `complete`: bytes transferred, or -errno.
    int32_t result = 0;
    // Called once per submit, by whichever thread harvests the queue.
    void (*complete)(Op* op) = nullptr;
    Op* engine_next = nullptr;  // the engine's own link (its overflow queue)
};

class Queue {
public:
    virtual ~Queue() = default;

    // Takes `op`. Unless `defer`, it starts before submit() returns; a deferred op starts
    // at the queue's next flush(), wait() or submit without `defer`. Never fails: what
    // the engine cannot take now waits in a queue of its own.
    virtual void submit(Op* op, bool defer) = 0;

    // Asks that `op` (submitted, not yet completed) end early. It then completes with
    // -ECANCELED, unless it completes first. The caller guarantees `op` stays valid
    // until this returns.
    virtual void cancel(Op* op) = 0;

    // Asks again for cancellations the engine could not carry out when asked (the
    // operation was running or changing state). The I/O manager calls it periodically
    // while operations are outstanding.
    virtual void retry_cancels() = 0;

    // Starts deferred operations.
    virtual void flush() = 0;

    // Runs the completion callbacks of finished operations, without blocking. Returns
    // how many ran. Any thread may call it at any time.
    virtual int harvest() = 0;

    // Starts deferred operations, then blocks until at least one operation finished,
    // wake() was called, or `deadline` (CLOCK_MONOTONIC, nullptr: none) passed. Runs no
    // callbacks: the caller harvests. One waiting thread at a time.
    virtual void wait(const timespec* deadline) = 0;

    // Ends a wait() in progress (or the next one, if none is).
    virtual void wake() = 0;

    // Operations submitted and not yet completed (deferred and overflowing included).
    uint32_t outstanding() const { return outstanding_.load(std::memory_order_seq_cst); }

protected:
    std::atomic<uint32_t> outstanding_{0};
};

// A new queue of the engine in use, able to hold `depth` operations in flight before
// its overflow queue is used.
Queue* create_queue(uint32_t depth);

// The engine in use: "io_uring" (or "fallback", with the fallback engine).
const char* engine_name();

}  // namespace overlapped::engine
