// engine.h: the bottom layer: queues that run device operations (read, write at an
// offset...) and report their completion. The I/O manager (src/io/) is the only user.
//
// An engine queue is a completion domain: operations submitted to it complete through
// it, and whoever harvests it runs their completion callbacks. Two implementations fill
// this interface: io_uring (src/engine/uring/), and the fallback (src/engine/fallback/:
// a thread pool for files, epoll readiness for pipes and other streams), used where
// io_uring is missing or refused. Nothing above this layer knows which one runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <sys/uio.h>

struct msghdr;

namespace overlapped::engine {

// Read, Write, ReadVector, WriteVector: a transfer at an offset (files) or in order
// (streams). The socket operations: Receive and Send (recv/send of `buffer`, or
// recvmsg/sendmsg of `message`), Accept (a new descriptor for the next connection of a
// listener; the peer's address in `address`), Connect (to `address`), Poll (wait until
// the descriptor is ready for the poll events in `flags`; the result is the events).
enum class OpCode : uint8_t { Read, Write, ReadVector, WriteVector, Receive, Send, Accept, Connect, Poll };

// What the descriptor is: a file (seekable: regular file or block device), the same
// opened with O_DIRECT, or a stream (pipe, FIFO, socket, character device: no offset).
enum class OpKind : uint8_t { File, DirectFile, Stream };

// One operation. The I/O manager embeds it in its request and owns its memory; the
// engine owns it from submit() until it calls `complete`.
struct Op {
    OpCode code = OpCode::Read;
    int descriptor = -1;
    void* buffer = nullptr;          // Read / Write
    const iovec* vectors = nullptr;  // ReadVector / WriteVector
    uint32_t length = 0;             // bytes, or vector count
    uint64_t offset = 0;             // ignored for streams
    OpKind kind = OpKind::File;
    msghdr* message = nullptr;   // Receive / Send: recvmsg/sendmsg instead of buffer/length
    // Receive / Send: MSG_* (Linux's); Poll: POLL* events; a transfer of a file (Read,
    // Write and the vector forms, kind File or DirectFile): RWF_* (preadv2's per-call
    // flags: RWF_APPEND writes at the end of the file whatever `offset` says).
    int flags = 0;
    void* address = nullptr;     // Accept: the peer's address goes here; Connect: the address
    uint32_t address_length = 0; // Accept: room, then the address's length; Connect: length
    // Set by the engine before `complete`: bytes transferred (Accept: the new descriptor;
    // Poll: the events), or -errno.
    int32_t result = 0;
    // Called once per submit, by whichever thread harvests the queue.
    void (*complete)(Op* op) = nullptr;
    // The engine's own bookkeeping.
    Op* engine_next = nullptr;       // its queues' link
    void* engine_owner = nullptr;    // the fallback: the Queue the op completes through
    unsigned long engine_thread = 0; // the fallback: the pool thread running it
    uint8_t engine_state = 0;        // the fallback: where the op is
    bool engine_cancel = false;      // the fallback: cancellation asked while running
    bool engine_connecting = false;  // the fallback: Connect started, waiting to finish

    // Back to the state above, for an Op used again. (Field by field: `*this = Op{}`
    // builds and copies a zeroed temporary, which costs more on the hot path.)
    void reset()
    {
        code = OpCode::Read;
        descriptor = -1;
        buffer = nullptr;
        vectors = nullptr;
        length = 0;
        offset = 0;
        kind = OpKind::File;
        message = nullptr;
        flags = 0;
        address = nullptr;
        address_length = 0;
        result = 0;
        complete = nullptr;
        engine_next = nullptr;
        engine_owner = nullptr;
        engine_thread = 0;
        engine_state = 0;
        engine_cancel = false;
        engine_connecting = false;
    }
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

    // For a queue that hands some of its operations to another (see fallback::
    // create_queue): one of them is about to complete.
    void operation_leaving() { outstanding_.fetch_sub(1, std::memory_order_acq_rel); }

protected:
    std::atomic<uint32_t> outstanding_{0};
};

// A new queue of the engine in use, able to hold `depth` operations in flight before
// its overflow queue is used. Null if the engine cannot make one (io_uring forced with
// OVERLAPPED_ENGINE=uring where it is refused).
//
// `cooperative` (io_uring): an operation that waits for readiness (a receive, an
// accept: a poll in the kernel) is finished, when its socket becomes ready, by the
// thread that started it, in the kernel's task_work. By default the kernel interrupts
// that thread at once (an inter-processor interrupt if it is running, which on a
// virtual machine costs several microseconds, and an interrupted thread); cooperative
// (IORING_SETUP_COOP_TASKRUN) it wakes the thread if it sleeps and otherwise lets it
// finish the work at its next system call. That is right for a completion port's
// queue, whose requests its worker threads start as they go back to wait on the port
// (io/request.cpp defers them to that wait); it measured 1.3-1.5x the requests per
// second of the interrupting mode in bench/echo.sh, at 0.6-0.8x the CPU per request.
// The cost: a thread that starts such a request and then runs without any
// system call delays its completion until it makes one (docs/deviations.md). The
// process queue (events, APCs, polling) keeps the interrupting mode, where a thread
// may well spin on HasOverlappedIoCompleted.
Queue* create_queue(uint32_t depth, bool cooperative = false);

// The engine in use, chosen once per process (select.cpp): "io_uring" or "fallback".
const char* engine_name();

namespace uring {
// An io_uring queue; null if io_uring is missing, refused, or lacks an opcode we use.
Queue* create_queue(uint32_t depth, bool cooperative);
// Whether io_uring works here, with every opcode the library uses (probed once).
bool available();
}  // namespace uring

namespace fallback {
// A fallback queue. With a `parent`, it runs operations the parent hands it: each
// completion also wakes the parent's wait() and counts off the parent's outstanding
// operations, and the parent's harvest() harvests this queue.
Queue* create_queue(Queue* parent = nullptr);
}  // namespace fallback

}  // namespace overlapped::engine
