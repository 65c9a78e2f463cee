// thread_state.h: what the library keeps per thread (every thread, including those not
// created by CreateThread): the wait block, the APC queue, completion-port association,
// owned mutexes. Made on first use, cleaned up when the thread exits.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <vector>

#include <windows.h>

#include "common/lock.h"

namespace overlapped::kernel {

class CompletionPort;
class PortPoller;
class MutexObject;
class ThreadObject;

// Values of ThreadState::wait_status besides the WAIT_* result codes. A waiter sets
// kWaiting and sleeps on the word; whoever moves it away from kWaiting (by CAS, so
// exactly one party wins) decides how the wait ends and wakes the thread.
enum : uint32_t {
    kWaitIdle = 0xFFFFFF00u,
    kWaiting = 0xFFFFFF01u,
    kWaitingAlertable = 0xFFFFFF07u,  // as kWaiting, and an APC may end the wait
    kWaitRecheck = 0xFFFFFF02u,  // wait-all: an object changed, evaluate again
    kWaitAlerted = 0xFFFFFF03u,  // an APC was queued to an alertable wait
    kWaitTimedOut = 0xFFFFFF04u,
    kWaitPortPacket = 0xFFFFFF05u,  // a completion packet was handed to this thread
    kWaitPortClosed = 0xFFFFFF06u,  // the port this thread waited on was closed
};

// A queued APC: `invoke` runs it with the three words it was queued with (a user APC,
// a timer's completion routine, later an I/O completion routine). No allocation.
// `owner`, when not 0, names the object that queued it (a timer), which may take it back
// before it runs (cancel_queued_apc).
struct Apc {
    void (*invoke)(const struct Apc& apc);
    ULONG_PTR a;
    ULONG_PTR b;
    ULONG_PTR c;
    uint64_t owner = 0;
};

// A completion packet as the port delivers it.
struct Packet {
    ULONG_PTR key;
    OVERLAPPED* overlapped;
    uint32_t status;  // NTSTATUS
    uint32_t bytes;
};

struct ThreadState {
    // ---- touched by other threads: the wait word, the APC queue.
    alignas(64) std::atomic<uint32_t> wait_status{kWaitIdle};
    // Set while the thread sleeps in futex_wait on wait_status (not while it spins), so a
    // waker makes the wake-up system call only when it is needed. Protocol (both sides
    // seq_cst): the sleeper stores 1 then re-reads wait_status; the waker changes
    // wait_status then reads this. One of them sees the other.
    std::atomic<uint32_t> sleeping{0};
    std::atomic<uint32_t> apc_pending{0};
    Lock apc_lock;
    std::deque<Apc> apcs;  // under apc_lock

    // ---- completion port association (see kernel/port.h), under the port's lock except
    // where noted. `port` and `port_generation` are written only by this thread.
    CompletionPort* port = nullptr;
    uint64_t port_generation = 0;
    bool port_counted_running = false;  // counted in port->running
    bool port_paused = false;           // released, then blocked elsewhere
    ThreadState* port_prev = nullptr;   // links in the port's LIFO waiter list
    ThreadState* port_next = nullptr;
    bool port_waiting = false;
    Packet port_packet{};  // written by the poster before it claims wait_status
    // The poller this thread waits in as its port's leader during an alertable wait (an
    // APC wakes it through the poller); seq_cst against apc_pending.
    std::atomic<PortPoller*> ring_wait{nullptr};
    // A poller holding requests this thread issued with deferred submission; started
    // before the thread blocks (written only by this thread).
    PortPoller* deferred = nullptr;
    // Requests this thread issued that end with it (not on handles bound to a port);
    // decremented by whichever thread delivers them.
    std::atomic<uint32_t> io_pending{0};
    // Synchronous I/O in progress (CancelSynchronousIo): set by the thread around a
    // blocking driver call, under sync_lock; `sync_cancelled` is set by the canceller,
    // which interrupts the call with a signal while holding sync_lock.
    Lock sync_lock;
    bool sync_io = false;
    std::atomic<uint32_t> sync_cancelled{0};
    // Set (under sync_lock, seq_cst against apc_pending) while the synchronous call waits
    // alertably, as Windows' blocking Winsock calls do: an APC queued then interrupts it
    // (set_sync_interrupter) and the call runs it and waits on.
    std::atomic<uint32_t> sync_alertable{0};
    unsigned long pthread = 0;  // pthread_t of the thread

    // ---- owned only by this thread. The id is atomic: CreateThread records it too, as
    // soon as the thread exists, and may do so after the thread has read it.
    alignas(64) std::atomic<DWORD> thread_id{0};
    ThreadObject* object = nullptr;
    // Mutexes this thread owns. A waking thread's new ownership is recorded by the thread
    // that signalled the mutex, so the list has a lock of its own.
    Lock owned_lock;
    std::vector<MutexObject*> owned_mutexes;  // under owned_lock
    bool exiting = false;
    // Counts the thread's waits (every wait of the wait engine, GetQueuedCompletionStatus,
    // a blocking socket call, select): "nothing was waited for since" for the drivers'
    // hints (a socket this thread found empty without waiting since is still empty as far
    // as it could know).
    uint32_t wait_epoch = 0;

    void reset()
    {
        wait_status.store(kWaitIdle, std::memory_order_relaxed);
        sleeping.store(0, std::memory_order_relaxed);
        apc_pending.store(0, std::memory_order_relaxed);
        apcs.clear();
        port = nullptr;
        port_generation = 0;
        port_counted_running = false;
        port_paused = false;
        port_prev = port_next = nullptr;
        port_waiting = false;
        ring_wait.store(nullptr, std::memory_order_relaxed);
        deferred = nullptr;
        io_pending.store(0, std::memory_order_relaxed);
        sync_io = false;
        sync_cancelled.store(0, std::memory_order_relaxed);
        sync_alertable.store(0, std::memory_order_relaxed);
        thread_id.store(0, std::memory_order_relaxed);
        owned_mutexes.clear();
        exiting = false;
    }
};

// Ends `thread`'s wait with `result` if it is waiting and nobody else ended it first.
// The caller wakes the thread (WakeList) when this returns true.
inline bool try_claim_wait(ThreadState* thread, uint32_t result)
{
    uint32_t status = thread->wait_status.load(std::memory_order_acquire);
    while (status == kWaiting || status == kWaitingAlertable) {
        if (thread->wait_status.compare_exchange_weak(status, result, std::memory_order_acq_rel,
                                                      std::memory_order_acquire))
            return true;
    }
    return false;
}

// Wakes `thread` after its wait_status was changed by a successful try_claim_wait.
void wake_thread(ThreadState* thread);

// The calling thread's state, made on first use (threads from std::thread and pthreads
// included). Never null.
ThreadState* current_thread();

// The calling thread's state if it has one yet, else null (no allocation).
ThreadState* current_thread_if_any();

// Runs every APC queued to the calling thread, FIFO, including ones queued while they
// run. Returns the number run.
int run_pending_apcs(ThreadState* self);

// Queues an APC to `target` and wakes it if it is in an alertable wait.
void queue_apc(ThreadState* target, const Apc& apc);

// How queue_apc interrupts a thread whose synchronous call waits alertably
// (ThreadState::sync_alertable): given by the I/O manager, which owns those waits.
using SyncInterrupter = void (*)(unsigned long pthread);
void set_sync_interrupter(SyncInterrupter interrupter);

// As queue_apc, unless an APC of the same (nonzero) owner is queued to `target` and has
// not begun to run: then nothing is queued and false is returned. A Windows timer has
// one APC object, which is queued at most once at a time.
bool queue_apc_once(ThreadState* target, const Apc& apc);

// Removes the APCs of `owner` queued to `target` that have not begun to run (a timer
// cancelled or set again takes back its completion routine). Returns how many.
int cancel_queued_apc(ThreadState* target, uint64_t owner);

// The calling thread's last-error value.
extern constinit thread_local DWORD tls_last_error __attribute__((tls_model("initial-exec")));

}  // namespace overlapped::kernel
