// request.cpp: the I/O manager (see request.h): requests, their delivery, cancellation,
// the per-port engine queues and the completion thread.
#include "io/request.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iterator>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "common/errors.h"
#include "common/intrusive_list.h"
#include "engine/attempt.h"
#include "kernel/handle_table.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

namespace overlapped::io {

namespace {

// ---- request memory: a small cache per thread over a shared free list. Only a thread
// that issues requests keeps freed ones in its cache: one that only completes them (an
// engine's thread, the completion thread) hands them straight to the shared list, where
// the issuers find them, instead of hoarding up to 64 while the issuers allocate more.
struct RequestCache {
    Request* items[64];
    int count = 0;
    bool issues = false;  // this thread has taken a request
    ~RequestCache();
};

std::mutex shared_requests_mutex;
std::vector<Request*>* shared_requests = new std::vector<Request*>();
thread_local RequestCache request_cache;

RequestCache::~RequestCache()
{
    std::lock_guard<std::mutex> guard(shared_requests_mutex);
    for (int i = 0; i < count; ++i) shared_requests->push_back(items[i]);
    count = 0;
}

Request* request_new()
{
    request_cache.issues = true;
    if (request_cache.count > 0) return request_cache.items[--request_cache.count];
    {
        std::lock_guard<std::mutex> guard(shared_requests_mutex);
        if (!shared_requests->empty()) {
            Request* request = shared_requests->back();
            shared_requests->pop_back();
            return request;
        }
    }
    return new Request();
}

void request_free(Request* request)
{
    if (request_cache.issues && request_cache.count < 64) {
        request_cache.items[request_cache.count++] = request;
        return;
    }
    std::lock_guard<std::mutex> guard(shared_requests_mutex);
    shared_requests->push_back(request);
}

// ---- packets of a harvest, posted together.
// While a thread harvests a port's queue, the packets its completions post are gathered
// here and posted under one acquisition of the port's lock (and one wake-up decision)
// when the harvest ends, instead of one each.
struct PostBatch {
    kernel::CompletionPort* port = nullptr;  // a reference of ours while count != 0
    unsigned count = 0;
    kernel::Packet packets[64];
};

thread_local PostBatch* post_batch = nullptr;

// Queues `count` packets on `port` unless it is closed (its packets then go nowhere).
void post_to(kernel::CompletionPort* port, const kernel::Packet* packets, size_t count)
{
    port->lock.lock();
    if (port->closed())
        port->lock.unlock();
    else
        port->post_and_unlock(packets, count);
}

void post_batch_flush(PostBatch& batch)
{
    if (batch.count == 0) return;
    kernel::CompletionPort* port = batch.port;
    post_to(port, batch.packets, batch.count);
    batch.count = 0;
    batch.port = nullptr;
    port->release_reference();
}

// Posts a request's packet to `port`, which the caller keeps alive (a bound device).
void post_packet(kernel::CompletionPort* port, const kernel::Packet& packet)
{
    if (PostBatch* batch = post_batch) {
        if (batch->port != port || batch->count == std::size(batch->packets)) post_batch_flush(*batch);
        if (batch->count == 0) {
            port->add_reference();
            batch->port = port;
        }
        batch->packets[batch->count++] = packet;
        return;
    }
    post_to(port, &packet, 1);
}

// Harvests `queue` with a batch for the packets its completions post.
void harvest_batched(engine::Queue* queue)
{
    PostBatch batch;
    PostBatch* outer = post_batch;
    post_batch = &batch;
    queue->harvest();
    post_batch = outer;
    post_batch_flush(batch);
}

// ---- engine queues.
class PortQueue final : public kernel::PortPoller {
public:
    explicit PortQueue(engine::Queue* queue) : queue_(queue) {}
    bool busy() override { return queue_->outstanding() != 0; }
    void harvest() override { harvest_batched(queue_); }
    void wait(const kernel::Deadline& deadline) override
    {
        queue_->wait(deadline.infinite ? nullptr : deadline.absolute());
    }
    void wake() override { queue_->wake(); }
    void flush() override { queue_->flush(); }
    engine::Queue* queue() const { return queue_; }

private:
    engine::Queue* queue_;
};

constexpr uint32_t kQueueDepth = 448;

struct Manager {
    std::once_flag started;
    // Set (release) once the process queue is up: start()'s test on every request is
    // then one load, not a call_once.
    std::atomic<bool> running{false};
    engine::Queue* process_queue = nullptr;
    std::mutex port_queues_mutex;
    std::vector<PortQueue*> port_queues;  // never shrinks (ports are pooled)
    std::atomic<uint32_t> port_queue_count{0};
    std::atomic<uint32_t> completion_thread_parked{0};
    // Sweeps left at a tenth of the usual interval: after a thread exits, Linux cancels
    // what it submitted, and requests on port-bound handles must be started again soon.
    std::atomic<uint32_t> fast_sweeps{0};
    // Devices that have had requests (thread-exit cancellation, the drain at exit).
    std::mutex devices_mutex;
    std::unordered_set<Device*> devices;
};

Manager& manager()
{
    static Manager* instance = new Manager();
    return *instance;
}

void thread_exit(kernel::ThreadState* self);
void completion_thread();
void deliver_cancelled_waiting();
void drain_at_exit();

// Starts the process queue and the completion thread on first use. False if the engine
// could not start.
bool start()
{
    Manager& m = manager();
    if (m.running.load(std::memory_order_acquire)) return true;
    std::call_once(m.started, [&] {
        m.process_queue = engine::create_queue(kQueueDepth);
        if (m.process_queue == nullptr) return;
        kernel::thread_exit_hook.store(&thread_exit, std::memory_order_release);
        std::thread(completion_thread).detach();
        std::atexit(drain_at_exit);
        m.running.store(true, std::memory_order_release);
    });
    return m.process_queue != nullptr;
}

// Whether completion ports' engine queues are cooperative (engine::create_queue);
// OVERLAPPED_URING_COOP=0 turns it off.
bool cooperative_ports()
{
    static const bool cooperative = [] {
        const char* setting = getenv("OVERLAPPED_URING_COOP");
        return setting == nullptr || strcmp(setting, "0") != 0;
    }();
    return cooperative;
}

}  // namespace

bool fast_path_enabled()
{
    static const bool enabled = [] {
        const char* setting = getenv("OVERLAPPED_FAST_PATH");
        return setting == nullptr || strcmp(setting, "0") != 0;
    }();
    return enabled;
}

namespace {

// The engine queue of `port`, made on first use; null if the engine cannot make one.
PortQueue* port_queue(kernel::CompletionPort* port)
{
    if (kernel::PortPoller* poller = port->poller()) return static_cast<PortQueue*>(poller);
    // Cooperative: the port's workers start their requests as they go back to wait on
    // the port, and finish them there (engine.h).
    engine::Queue* queue = engine::create_queue(kQueueDepth, cooperative_ports());
    if (queue == nullptr) return nullptr;
    PortQueue* made = new PortQueue(queue);
    port->lock.lock();
    kernel::PortPoller* installed = port->install_poller(made);
    port->lock.unlock();
    if (installed != made) {  // another thread was first
        delete made;
        delete queue;
        return static_cast<PortQueue*>(installed);
    }
    Manager& m = manager();
    std::lock_guard<std::mutex> guard(m.port_queues_mutex);
    m.port_queues.push_back(made);
    m.port_queue_count.store(static_cast<uint32_t>(m.port_queues.size()), std::memory_order_release);
    return made;
}

// How long the completion thread sleeps between sweeps of the port queues while any has
// requests outstanding; with none for a second, it sleeps until woken.
constexpr long kSweepNanoseconds = 10 * 1000 * 1000;

bool sweep_port_queues()
{
    Manager& m = manager();
    uint32_t count = m.port_queue_count.load(std::memory_order_acquire);
    bool busy = false;
    for (uint32_t i = 0; i < count; ++i) {
        PortQueue* queue;
        {
            std::lock_guard<std::mutex> guard(m.port_queues_mutex);
            queue = m.port_queues[i];
        }
        if (!queue->busy()) continue;
        busy = true;
        queue->flush();    // requests a port thread deferred and then never flushed
        queue->queue()->retry_cancels();
        queue->harvest();  // completions no port thread is there to take
    }
    return busy;
}

void completion_thread()
{
    Manager& m = manager();
    timespec idle_since{};
    clock_gettime(CLOCK_MONOTONIC, &idle_since);
    for (;;) {
        timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        bool busy = sweep_port_queues();
        if (m.process_queue->outstanding() != 0) {
            busy = true;
            m.process_queue->retry_cancels();
        }
        if (busy) idle_since = now;
        const timespec* deadline = nullptr;
        timespec at{};
        uint32_t fast = m.fast_sweeps.load(std::memory_order_relaxed);
        if (fast != 0) m.fast_sweeps.store(fast - 1, std::memory_order_relaxed);
        long long idle_ns = (now.tv_sec - idle_since.tv_sec) * 1000000000LL + (now.tv_nsec - idle_since.tv_nsec);
        if (busy || fast != 0 || idle_ns < 1000000000LL) {
            long long ns = now.tv_nsec + (fast != 0 ? kSweepNanoseconds / 10 : kSweepNanoseconds);
            at.tv_sec = now.tv_sec + ns / 1000000000LL;
            at.tv_nsec = ns % 1000000000LL;
            deadline = &at;
        } else {
            m.completion_thread_parked.store(1, std::memory_order_seq_cst);
            if (sweep_port_queues()) {  // a request arrived as we parked
                m.completion_thread_parked.store(0, std::memory_order_relaxed);
                continue;
            }
        }
        m.process_queue->wait(deadline);
        m.completion_thread_parked.store(0, std::memory_order_relaxed);
        harvest_batched(m.process_queue);
        deliver_cancelled_waiting();
    }
}

// ---- delivery.
void invoke_completion_routine(const kernel::Apc& apc)
{
    auto routine = reinterpret_cast<LPOVERLAPPED_COMPLETION_ROUTINE>(apc.a);
    routine(static_cast<DWORD>(apc.b >> 32), static_cast<DWORD>(apc.b), reinterpret_cast<OVERLAPPED*>(apc.c));
}

// Winsock's completion routine: (dwError, cbTransferred, lpOverlapped, dwFlags).
void invoke_winsock_routine(const kernel::Apc& apc)
{
    using Routine = void (*)(DWORD, DWORD, OVERLAPPED*, DWORD);
    auto routine = reinterpret_cast<Routine>(apc.a);
    auto* overlapped = reinterpret_cast<OVERLAPPED*>(apc.c);
    routine(static_cast<DWORD>(apc.b >> 32), static_cast<DWORD>(apc.b), overlapped, overlapped->Offset);
}

void unlink_request(Device* device, Request* request)
{
    if (request->prev != nullptr)
        request->prev->next = request->next;
    else
        device->requests = request->next;
    if (request->next != nullptr) request->next->prev = request->prev;
    request->prev = request->next = nullptr;
}

// Writes the OVERLAPPED, then signals the event. The OVERLAPPED is not touched after.
void write_result(OVERLAPPED* overlapped, DWORD status, DWORD bytes)
{
    overlapped->InternalHigh = bytes;
    __atomic_store_n(&overlapped->Internal, static_cast<ULONG_PTR>(status), __ATOMIC_RELEASE);
}

// Under the device's lock, at a completion: the handle is signalled (and its waiters
// woken) unless FILE_SKIP_SET_EVENT_ON_HANDLE, or the request has an event of its own on
// a handle opened for overlapped I/O: then only the event is set, and the handle stays as
// the issue left it, reset (Wine's ntdll pipe.c test_completion, which passes on Windows:
// "event with no APC nor completion: signals only event"; a synchronous handle is
// signalled either way, its test_blocking). Whether it was.
bool signal_handle_locked(Device* device, bool has_event, kernel::WakeList& wake)
{
    if (device->notification_modes & FILE_SKIP_SET_EVENT_ON_HANDLE) return false;
    if (has_event && device->overlapped_io()) return false;
    device->signaled_ = true;
    if (device->has_waiters()) device->signal_waiters(wake);
    return true;
}

// Whether a request's completion posts no packet whatever the handle's binding: hEvent's
// low bit, or a completion routine (ReadFileEx: its APC is the notification).
bool never_posts(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return routine != nullptr || (reinterpret_cast<ULONG_PTR>(overlapped->hEvent) & 1);
}

// Whether a try without waiting found it would have to wait (or was interrupted): the
// operation goes to its engine.
bool would_wait(int result) { return result == -EAGAIN || result == -EINTR; }


// Under the device's lock: whether a transfer that finished at once with `status` queues
// no packet: a success on a handle in FILE_SKIP_COMPLETION_PORT_ON_SUCCESS mode (the
// caller handles the result itself).
bool skips_port_at_once(const Device* device, DWORD status)
{
    return nt_success(status) && (device->notification_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
}

Device::LaneState& lane_of(Device* device, Lane lane) { return device->lanes[static_cast<int>(lane) - 1]; }

// Requests taken out of their lane's queue by a cancellation, delivered (cancelled) by
// the completion thread: their cancellation runs under locks that delivery takes.
std::mutex cancelled_waiting_mutex;
std::vector<Request*>* cancelled_waiting = new std::vector<Request*>();

Request* lane_release(Device* device, Lane which);

// Under the device's lock: the next request of `request`'s lane, which becomes the
// lane's current one, or null (the lane is idle). Only for the lane's current request.
Request* lane_advance(Device* device, Request* request)
{
    if (!request->lane_active) return nullptr;
    request->lane_active = false;
    return lane_release(device, request->plan.lane);
}

// Under the device's lock: the lane's current transfer (a request, or the fast I/O
// path's) is over: its next waiting request becomes the current one and is returned for
// the caller to run, or the lane is idle (null).
Request* lane_release(Device* device, Lane which)
{
    Device::LaneState& lane = lane_of(device, which);
    Request* next = lane.head;
    if (next == nullptr) {
        lane.busy = false;
        return nullptr;
    }
    lane.head = next->lane_next;
    if (lane.head == nullptr) lane.tail = nullptr;
    next->lane_next = nullptr;
    next->lane_waiting = false;
    next->lane_active = true;
    return next;
}

// Frees a request nothing refers to any more; drops the device reference it held.
void release_request(Request* request, bool holds_device)
{
    Device* held = holds_device ? request->device : nullptr;
    request->device = nullptr;
    request->event = nullptr;
    request->issuer_object = nullptr;
    request_free(request);
    if (held != nullptr) held->release_reference();
}

Request* run(Request* request, bool issuing, Submitted* submitted);
Request* deliver_to_sink(Request* request, const Outcome& outcome);

// Delivers a finished request: OVERLAPPED, the device's signal, hEvent, the completion
// routine, the port's packet (not for a success at once on a handle that skips the port
// on success). Returns the next request of its lane, now its current one, for the
// caller to run.
Request* deliver(Request* request, const Outcome& outcome, bool at_once)
{
    if (request->sink != nullptr) return deliver_to_sink(request, outcome);
    DWORD status = outcome.status;
    DWORD bytes = outcome.bytes;
    Device* device = request->device;
    kernel::CompletionPort* port = nullptr;
    ULONG_PTR key = 0;
    OVERLAPPED* overlapped = request->overlapped;
    bool holds_device = false;  // the reference of the device's request list, now ours
    Request* next = nullptr;
    {
        kernel::WakeList wake;
        device->lock.lock();
        unlink_request(device, request);
        next = lane_advance(device, request);
        holds_device = device->requests == nullptr;
        // The result is in the OVERLAPPED before anything is signalled: a thread woken by
        // the handle (GetOverlappedResult with no event) reads it at once, as on Windows.
        // The event's set comes after it, outside this lock: the issuer, once it has seen
        // the result, waits for that set before it resets the event (kernel/sync.h).
        if (request->event != nullptr) request->event->begin_delivery();
        write_result(overlapped, status, bytes);
        signal_handle_locked(device, request->event != nullptr, wake);
        bool skip = at_once && skips_port_at_once(device, status);
        if (!request->no_port && !skip && device->port() != nullptr) {
            // The binding's reference keeps the port while we hold the device: either
            // the harvest's batch takes the packet now (and a reference to the port), or
            // we keep the device until the packet is posted, after the event below.
            port = device->port();
            key = device->key();
            if (post_batch != nullptr) {
                post_packet(port, {key, overlapped, status, bytes});
                port = nullptr;
            } else if (!holds_device) {
                device->add_reference();
                holds_device = true;
            }
        }
        device->lock.unlock();
    }
    // Other requests may keep the device; unless holds_device, it is not ours to touch
    // (a next request of the lane holds it: the list is not empty then).
    device = nullptr;
    if (request->event != nullptr) {
        request->event->set_delivered();
        request->event->release_reference();
    }
    if (request->routine != nullptr) {
        if (!__atomic_load_n(&request->issuer->exiting, __ATOMIC_ACQUIRE)) {
            bool winsock = request->winsock_error != nullptr;
            DWORD error = winsock ? static_cast<DWORD>(request->winsock_error(status)) : win32_error_from_ntstatus(status);
            kernel::queue_apc(request->issuer,
                              {winsock ? &invoke_winsock_routine : &invoke_completion_routine,
                               reinterpret_cast<ULONG_PTR>(request->routine),
                               (static_cast<ULONG_PTR>(error) << 32) | bytes, reinterpret_cast<ULONG_PTR>(overlapped)});
        }
    }
    if (request->cancel_on_exit) request->issuer->io_pending.fetch_sub(1, std::memory_order_release);
    if (request->issuer_object != nullptr) request->issuer_object->release_reference();
    if (port != nullptr) post_packet(port, {key, overlapped, status, bytes});
    release_request(request, holds_device);
    return next;
}

// Takes a finished request out of its device's list, under the device's lock. Returns
// the lane's next request (now its current one) for the caller to run; *holds_device:
// the list's reference to the device is now the caller's (the list is empty).
Request* leave_device(Request* request, bool* holds_device)
{
    Device* device = request->device;
    device->lock.lock();
    unlink_request(device, request);
    Request* next = lane_advance(device, request);
    *holds_device = device->requests == nullptr;
    device->lock.unlock();
    return next;
}

// deliver() for a request with a sink (Transfer::sink): out of the device's list, then
// the outcome to the sink. No OVERLAPPED, no signal of the handle, no event, routine or
// packet; such a request holds no event, issuer or thread count.
Request* deliver_to_sink(Request* request, const Outcome& outcome)
{
    bool holds_device;
    Request* next = leave_device(request, &holds_device);
    Sink* sink = request->sink;
    void* context = request->sink_context;
    release_request(request, holds_device);
    sink->complete(sink, context, outcome.status, outcome.bytes);
    return next;
}

// A request that failed at once, in the issuing call: nothing is delivered. Returns the
// lane's next request to run, if any.
Request* drop(Request* request)
{
    bool holds_device;
    Request* next = leave_device(request, &holds_device);
    if (request->event != nullptr) request->event->release_reference();
    if (request->issuer_object != nullptr) request->issuer_object->release_reference();
    release_request(request, holds_device);
    return next;
}

// Gives the request's operation to its engine queue, unless it was cancelled while it
// was tried in this thread (it is then delivered, cancelled).
void to_engine(Request* request)
{
    Device* device = request->device;
    kernel::ThreadState* self = kernel::current_thread();
    device->lock.lock();
    bool cancelled = request->cancel_requested;
    request->started = true;
    device->lock.unlock();
    if (cancelled) {
        request->op.result = -ECANCELED;
        request->op.complete(&request->op);
        return;
    }
    kernel::CompletionPort* port = nullptr;
    PortQueue* queue = nullptr;
    if (request->port != nullptr) {
        port = request->port;
        queue = static_cast<PortQueue*>(port->poller());
    }
    // A port's worker issuing on its own port defers the start to its next wait, so that
    // the requests of one batch of completions start with one system call.
    bool defer = queue != nullptr && self->port == port && self->port_counted_running;
    if (defer) {
        if (self->deferred != nullptr && self->deferred != queue) self->deferred->flush();
        self->deferred = queue;
    }
    request->queue->submit(&request->op, defer);
    // A parked completion thread watches port queues again (it flushes deferred requests
    // and reaps completions nobody waits for). Sequentially consistent with the engine's
    // count of outstanding operations: either the completion thread, parking, sees this
    // request outstanding, or we see it parked.
    if (queue != nullptr && manager().completion_thread_parked.load(std::memory_order_seq_cst) != 0) {
        manager().completion_thread_parked.store(0, std::memory_order_relaxed);
        manager().process_queue->wake();
    }
}

// Tries `request`'s operation in this thread without waiting (the fast path). True with
// op.result set and `attempted`; false when it goes to the engine: it would wait, a
// signal came, or the fast path is off.
bool try_now(Request* request)
{
    if (!fast_path_enabled()) return false;
    int result = engine::attempt(&request->op, true, true);
    if (would_wait(result)) return false;
    request->op.result = result;
    request->attempted = true;
    return true;
}

// Runs a started request as far as it goes without waiting: the driver's work done in
// prepare(), attempts in this thread, the driver's next steps; then it is delivered, or
// its operation goes to the engine. `issuing`: called from the request's own submit(),
// which reports what happened in *submitted (a success there skips the port when the
// handle asks for it; an error there is not delivered). Returns the next request of the
// lane to run when this one ended here (the caller runs it: a loop, not a recursion, for
// a lane of many requests that each finish at once).
Request* run(Request* request, bool issuing, Submitted* submitted)
{
    Device* device = request->device;
    engine::Op* op = &request->op;
    bool have_result = false;
    bool from_attempt = false;  // the result came from a try in this thread (the fast I/O path's)
    if (request->plan.done_now) {
        request->plan.done_now = false;
        op->result = request->plan.result;
        have_result = true;
    } else if (request->plan.tried) {
        request->plan.tried = false;
        op->result = request->plan.result;
        have_result = from_attempt = true;
    }
    for (;;) {
        if (have_result)
            request->attempted = from_attempt;
        else if (!request->plan.attempt_now || !try_now(request))
            break;
        have_result = from_attempt = false;
        Outcome outcome;
        Next next = device->step(request, &outcome);
        if (next == Next::Engine) {
            request->plan.attempt_now = false;
            break;
        }
        if (next == Next::Attempt) {
            request->plan.attempt_now = true;
            continue;
        }
        device->finish(request);
        if (issuing && nt_error(outcome.status) && !request->plan.deliver_failure) {
            submitted->error = win32_error_from_ntstatus(outcome.status);
            submitted->status = outcome.status;
            return drop(request);
        }
        bool pends = issuing && (nt_error(outcome.status) || request->plan.success_pends);
        if (pends) {
            submitted->error = ERROR_IO_PENDING;  // and delivered now, as if it had waited
        } else if (issuing) {
            submitted->error = ERROR_SUCCESS;
            submitted->status = outcome.status;
            submitted->bytes = outcome.bytes;
            submitted->flags = outcome.flags;
        }
        return deliver(request, outcome, issuing && !pends);
    }
    if (issuing) submitted->error = ERROR_IO_PENDING;
    to_engine(request);
    return nullptr;
}

// Whether an operation's result may be Linux's end of it at the exit of the thread that
// submitted it (io_uring completes such an operation with -ECANCELED when it fires, or
// -EINTR from its worker), rather than an end the library asked for. Requests and
// internal operations alike go back to the engine then, unless the library cancelled them.
bool ended_by_thread_exit(int result) { return result == -ECANCELED || result == -EINTR; }

// Linux cancels a task's io_uring requests when the task exits; Windows cancels a
// thread's requests at its exit only on handles not bound to a port (and the I/O
// manager asks for that itself, setting cancel_requested). A request cancelled without
// our asking never started (nothing was transferred): it goes back to the engine, from
// this thread. Under the device's lock, so that a CancelIoEx cannot slip in between.
bool resubmit_if_not_cancelled(Request* request)
{
    Device* device = request->device;
    LockGuard guard(device->lock);
    if (request->cancel_requested) return false;
    request->queue->submit(&request->op, false);
    return true;
}

void on_complete(engine::Op* op)
{
    Request* request = reinterpret_cast<Request*>(op);
    if (ended_by_thread_exit(op->result) && request->started && resubmit_if_not_cancelled(request))
        return;
    Device* device = request->device;
    request->attempted = false;
    for (;;) {
        Outcome outcome;
        Next next = device->step(request, &outcome);
        if (next == Next::Engine || (next == Next::Attempt && !try_now(request))) {
            request->queue->submit(op, false);
            return;
        }
        if (next == Next::Attempt) continue;  // tried here: the driver's next step
        device->finish(request);
        Request* lane_next = deliver(request, outcome, false);
        while (lane_next != nullptr) lane_next = run(lane_next, false, nullptr);
        return;
    }
}

// Under the device's lock: asks for `request` to end early (once). A request still
// waiting in its lane leaves it and is delivered cancelled by the completion thread;
// one in an engine is cancelled there.
void cancel_request(Request* request)
{
    if (request->cancel_requested) return;
    request->cancel_requested = true;
    if (request->lane_waiting) {
        Device::LaneState& lane = lane_of(request->device, request->plan.lane);
        Request* previous = nullptr;
        for (Request* r = lane.head; r != nullptr; previous = r, r = r->lane_next) {
            if (r != request) continue;
            if (previous != nullptr)
                previous->lane_next = r->lane_next;
            else
                lane.head = r->lane_next;
            if (lane.tail == r) lane.tail = previous;
            break;
        }
        request->lane_waiting = false;
        request->lane_next = nullptr;
        {
            std::lock_guard<std::mutex> guard(cancelled_waiting_mutex);
            cancelled_waiting->push_back(request);
        }
        manager().completion_thread_parked.store(0, std::memory_order_relaxed);
        manager().process_queue->wake();
        return;
    }
    if (request->started) request->queue->cancel(&request->op);
    // else: being tried in its issuing thread, which sees cancel_requested before it
    // gives the request to the engine.
}

// The completion thread: delivers requests cancelled while waiting in their lane.
void deliver_cancelled_waiting()
{
    std::vector<Request*> taken;
    {
        std::lock_guard<std::mutex> guard(cancelled_waiting_mutex);
        if (cancelled_waiting->empty()) return;
        taken.swap(*cancelled_waiting);
    }
    for (Request* request : taken) {
        request->op.result = -ECANCELED;
        on_complete(&request->op);
    }
}

void thread_exit(kernel::ThreadState* self)
{
    Manager& m = manager();
    if (m.process_queue != nullptr) {
        m.fast_sweeps.store(20, std::memory_order_relaxed);
        m.completion_thread_parked.store(0, std::memory_order_relaxed);
        m.process_queue->wake();
    }
    // Requests a thread issued end with it, except on handles bound to a port.
    if (self->io_pending.load(std::memory_order_acquire) == 0) return;
    std::lock_guard<std::mutex> guard(m.devices_mutex);
    for (Device* device : m.devices) {
        LockGuard device_guard(device->lock);
        for (Request* request = device->requests; request != nullptr; request = request->next)
            if (request->issuer == self && request->cancel_on_exit && device->port() == nullptr)
                cancel_request(request);
    }
}

// True if a request on a file (not a stream) is still in progress.
bool file_requests_pending()
{
    Manager& m = manager();
    std::lock_guard<std::mutex> guard(m.devices_mutex);
    for (Device* device : m.devices) {
        LockGuard device_guard(device->lock);
        for (Request* request = device->requests; request != nullptr; request = request->next)
            if (request->op.kind != engine::OpKind::Stream) return true;
    }
    return false;
}

// At process exit (exit(), a return from main): the file requests still in progress are
// finished first, for at most kExitDrainSeconds, so that what a program wrote reaches
// its files even if it never waited for the writes; on Windows, too, a request already
// with the file system completes. Requests deferred by a port's thread are started, and
// those waiting for room in an engine get it as others are harvested. Streams are not
// waited for: a read of an idle pipe never ends. Nothing is delivered after this: the
// process is going.
constexpr int kExitDrainSeconds = 10;

void drain_at_exit()
{
    Manager& m = manager();
    timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        sweep_port_queues();
        harvest_batched(m.process_queue);
        if (!file_requests_pending()) return;
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= kExitDrainSeconds) return;
        timespec pause{0, 1000 * 1000};
        nanosleep(&pause, nullptr);
    }
}

void register_device(Device* device)
{
    Manager& m = manager();
    std::lock_guard<std::mutex> guard(m.devices_mutex);
    m.devices.insert(device);
}

}  // namespace

void forget_device(Device* device)
{
    if (!device->registered) return;
    device->registered = false;
    Manager& m = manager();
    std::lock_guard<std::mutex> guard(m.devices_mutex);
    m.devices.erase(device);
}

void mark_pending(OVERLAPPED* overlapped)
{
    if (overlapped != nullptr)
        __atomic_store_n(&overlapped->Internal, static_cast<ULONG_PTR>(STATUS_PENDING), __ATOMIC_RELAXED);
}

HANDLE request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (routine != nullptr) return nullptr;  // the routine's hEvent is the caller's to use
    return reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(overlapped->hEvent) & ~ULONG_PTR(1));
}

Submitted submit(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                 LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    kernel::EventObject* event = nullptr;
    if (HANDLE event_handle = request_event(overlapped, routine)) {
        DWORD error;
        kernel::Object* object = kernel::handle_reference(event_handle, kernel::ObjectType::Event, 0, &error);
        if (object == nullptr) return {ERROR_INVALID_HANDLE, 0, 0};
        event = static_cast<kernel::EventObject*>(object);
        event->reset_after_deliveries();  // an earlier request's set lands before this reset
    }
    device->lock.lock();
    return submit_and_unlock(device, transfer, overlapped, routine, event);
}

namespace {

Submitted submit_locked(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event,
                        int tried = Device::kNotTried, Lane held = Lane::None);

// Delivers a transfer the driver's fast_transfer() finished, as deliver() delivers a
// request finished at once: the OVERLAPPED, the device's signal (reset by the issue, set
// by the completion, unless FILE_SKIP_SET_EVENT_ON_HANDLE), hEvent, and the port's
// packet unless hEvent's low bit, or FILE_SKIP_COMPLETION_PORT_ON_SUCCESS for a success.
// An error is not delivered (as a request that fails at once). A transfer with a sink
// (Transfer::sink) goes to the sink instead, an error too, as its request would (no
// OVERLAPPED, signal, event or packet; the issue's reset of the signal stays). Releases the transfer's
// lane (`lane`, or Lane::None), whose next request, if one came meanwhile, it returns for
// the caller to run, and ends the transfer's guard (Device::fast_running): the device is
// not the caller's to touch after this.
Submitted deliver_fast(Device* device, Lane lane, OVERLAPPED* overlapped, kernel::EventObject* event,
                       const FastIo& io, Request** next, const Transfer& transfer)
{
    kernel::CompletionPort* port = nullptr;
    ULONG_PTR key = 0;
    bool failed = nt_error(io.status);
    bool recycle = false;
    {
        kernel::WakeList wake;
        device->lock.lock();
        if (lane != Lane::None) *next = lane_release(device, lane);
        if (failed || transfer.sink != nullptr) {
            device->signaled_ = false;  // the issue's reset
        } else {
            write_result(overlapped, io.status, io.bytes);
            if (!signal_handle_locked(device, event != nullptr, wake))
                device->signaled_ = false;  // the issue's reset
            if (!never_posts(overlapped, nullptr) && !skips_port_at_once(device, io.status)) {
                // The binding keeps the port only as long as the device: once the guard
                // ends, a close may recycle the device, so the packet has its own.
                port = device->port();
                key = device->key();
                if (port != nullptr) port->add_reference();
            }
        }
        recycle = device->fast_end();
        device->lock.unlock();
    }
    if (event != nullptr) {
        if (!failed) event->set_now();
        event->release_reference();
    }
    if (port != nullptr) {
        post_packet(port, {key, overlapped, io.status, io.bytes});
        port->release_reference();
    }
    if (recycle) device->recycle_now();
    if (transfer.sink != nullptr) {
        transfer.sink->complete(transfer.sink, transfer.sink_context, io.status, io.bytes);
        return {ERROR_SUCCESS, io.status, io.bytes, 0};
    }
    if (failed) return {win32_error_from_ntstatus(io.status), io.status, 0, 0};
    return {ERROR_SUCCESS, io.status, io.bytes, 0};
}

// Runs the requests of a lane that became theirs, one after another.
void run_lane(Request* next)
{
    while (next != nullptr) next = run(next, false, nullptr);
}

}  // namespace

Submitted submit_and_unlock(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                            LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event)
{
    // The fast I/O path: no request object for a transfer the driver finishes at once in
    // this thread (a cached read, a message already queued, data a socket holds). A
    // driver's own request (a WSARecv) is offered only to a driver that takes it in
    // fast_ready(). A completion routine always takes the request path (its APC belongs
    // to the request's delivery). A sink's transfer (RIO) takes it too: the sink hears of
    // it at once, in this thread.
    if (device->fast_io && routine == nullptr && transfer.segments == nullptr && fast_path_enabled()) {
        Lane lane = !device->fast_lanes ? Lane::None : transfer.write ? Lane::Out : Lane::In;
        FastIo io;
        io.overlapped = overlapped;
        if ((lane == Lane::None || !lane_of(device, lane).busy) && device->fast_ready(transfer, &io)) {
            if (lane != Lane::None) lane_of(device, lane).busy = true;  // held while it runs
            ++device->fast_running;  // the device stays while it runs (Device::fast_running)
            device->lock.unlock();
            if (device->fast_transfer(transfer, &io)) {
                Request* next = nullptr;
                Submitted submitted = deliver_fast(device, lane, overlapped, event, io, &next, transfer);
                run_lane(next);
                return submitted;
            }
            // The request path takes over, with the lane still held: a request issued
            // meanwhile waits behind this one (whose try may have sent part of it). Its
            // requests keep the device by reference; unless the last one went meanwhile
            // (the handle was closed: the request fails as a closed handle's does).
            device->lock.lock();
            bool open = device->try_add_reference();
            if (!open) {
                Request* next = lane != Lane::None ? lane_release(device, lane) : nullptr;
                bool recycle = device->fast_end();
                device->lock.unlock();
                run_lane(next);
                if (event != nullptr) event->release_reference();
                if (recycle) device->recycle_now();
                return {ERROR_INVALID_HANDLE, 0, 0};
            }
            device->fast_end();  // not the last reference's: ours is held
            Submitted submitted = submit_locked(device, transfer, overlapped, routine, event, io.result, lane);
            device->release_reference();
            return submitted;
        }
    }
    return submit_locked(device, transfer, overlapped, routine, event);
}

namespace {

// submit_and_unlock()'s request path; `tried`: what the fast I/O path's try gave, or
// Device::kNotTried; `held`: the lane the fast I/O path holds for this transfer (the
// request becomes its current one), or Lane::None.
Submitted submit_locked(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event, int tried, Lane held)
{
    // Gives up the held lane (the request failed at once): under the lock, then the lane's
    // next request runs once the lock is let go.
    auto unlock_releasing = [&] {
        Request* next = held != Lane::None ? lane_release(device, held) : nullptr;
        held = Lane::None;
        device->lock.unlock();
        run_lane(next);
    };
    if (!start()) {
        unlock_releasing();
        if (event != nullptr) event->release_reference();
        return {ERROR_NOT_SUPPORTED, 0, 0};
    }
    kernel::ThreadState* self = kernel::current_thread();
    Request* request = request_new();
    request->op.reset();
    request->op.complete = &on_complete;
    request->overlapped = overlapped;
    request->event = event;
    request->routine = routine;
    request->winsock_error = transfer.winsock_error;
    request->sink = transfer.sink;
    request->sink_context = transfer.sink_context;
    request->issuer = self;
    request->issuer_object = nullptr;
    request->requested = transfer.length;
    request->done = 0;
    request->write = transfer.write;
    request->no_port = transfer.sink != nullptr || never_posts(overlapped, routine);
    request->cancel_requested = false;
    request->cancel_on_exit = false;
    request->lane_waiting = false;
    request->lane_active = false;
    request->started = false;
    request->prev = request->next = request->lane_next = nullptr;
    request->plan = Plan{};

    Transfer prepared = transfer;
    if (transfer.segments != nullptr) {
        // Scatter/gather: one page per element, `length` bytes in all.
        uint32_t page = 4096;
        uint32_t count = (transfer.length + page - 1) / page;
        iovec* vectors = request->reserve_vectors(count);
        for (uint32_t i = 0; i < count; ++i) {
            vectors[i].iov_base = transfer.segments[i].Buffer;
            vectors[i].iov_len = std::min<uint32_t>(page, transfer.length - i * page);
        }
        prepared.buffer = vectors;
    }

    DWORD error = device->prepare(prepared, request, &request->plan);
    if (transfer.sink != nullptr) request->plan.deliver_failure = true;  // the sink hears of it
    if (error == ERROR_SUCCESS && would_wait(tried)) request->plan.would_wait = true;
    if (error == ERROR_SUCCESS && tried != Device::kNotTried && request->plan.attempt_now) {
        // The fast I/O path tried it already: one that would have waited goes to the
        // engine (trying again at once would only start the same read-ahead again),
        // anything else is the request's first attempt.
        if (would_wait(tried)) {
            request->plan.attempt_now = false;
        } else {
            request->plan.tried = true;
            request->plan.result = tried;
        }
    }
    kernel::CompletionPort* port = device->port();
    if (error == ERROR_SUCCESS && routine != nullptr && port != nullptr) error = ERROR_INVALID_PARAMETER;
    PortQueue* queue = nullptr;
    if (error == ERROR_SUCCESS && port != nullptr && event == nullptr && !request->no_port) {
        queue = port_queue(port);  // takes the port's lock (after the device's: the only order)
        if (queue == nullptr) error = ERROR_NOT_SUPPORTED;
    } else if (error == ERROR_SUCCESS && transfer.sink != nullptr && transfer.sink_port != nullptr) {
        port = transfer.sink_port;
        queue = port_queue(port);
        if (queue == nullptr) error = ERROR_NOT_SUPPORTED;
    }
    if (error != ERROR_SUCCESS) {
        if (request->plan.failed_past_issue) device->signaled_ = false;  // the issue's reset
        unlock_releasing();
        if (event != nullptr) event->release_reference();
        request_free(request);
        return {error, 0, 0};
    }
    request->queue = queue != nullptr ? queue->queue() : manager().process_queue;
    request->port = queue != nullptr ? port : nullptr;
    bool first_request = !device->registered;
    device->registered = true;
    if (port == nullptr && transfer.sink == nullptr) {
        request->cancel_on_exit = true;
        self->io_pending.fetch_add(1, std::memory_order_relaxed);
    }
    if (routine != nullptr || request->cancel_on_exit) {
        // The issuing thread's state stays this thread's until the request is delivered.
        request->issuer_object = self->object;
        request->issuer_object->add_reference();
    }
    // The device's pending requests hold one reference to it between them, taken by the
    // first and dropped by the last to complete (deliver), not one each.
    if (device->requests == nullptr) device->add_reference();
    request->device = device;
    request->next = device->requests;
    if (device->requests != nullptr) device->requests->prev = request;
    device->requests = request;
    // Issuing resets the handle's signal, in either mode: FILE_SKIP_SET_EVENT_ON_HANDLE
    // only keeps the completion from setting it.
    device->signaled_ = false;
    mark_pending(overlapped);
    bool waits = false;
    if (request->plan.lane != Lane::None) {
        Device::LaneState& lane = lane_of(device, request->plan.lane);
        if (held == request->plan.lane) {
            held = Lane::None;  // the fast I/O path's lane: this request is its current one now
            request->lane_active = true;
        } else if (lane.busy) {
            // Behind the lane's current request: it starts when the one before it ends.
            waits = true;
            request->lane_waiting = true;
            if (lane.tail != nullptr)
                lane.tail->lane_next = request;
            else
                lane.head = request;
            lane.tail = request;
        } else {
            lane.busy = true;
            request->lane_active = true;
        }
    }
    unlock_releasing();  // a lane held for another lane's request (not expected) is given up
    if (first_request) register_device(device);  // outside the device's lock (lock order)
    if (waits) return {ERROR_IO_PENDING, 0, 0};

    Submitted submitted;
    Request* next = run(request, true, &submitted);
    while (next != nullptr) next = run(next, false, nullptr);
    return submitted;
}

// Guards cancel_asked and the list of operations under way. Never held across a call
// into the engine (whose submit may harvest, and so complete other internal operations,
// in the calling thread). A cancellation asked between internal_completed's look and its
// resubmission still reaches the operation: the engine asks again while it runs
// (engine::Queue::retry_cancels).
std::mutex internal_mutex;
InternalOp* internal_live = nullptr;  // the list's head

using LiveList = IntrusiveList<InternalOp, &InternalOp::live_previous, &InternalOp::live_next>;

void internal_completed(engine::Op* base)
{
    auto* op = static_cast<InternalOp*>(base);
    bool again;
    {
        std::lock_guard<std::mutex> guard(internal_mutex);
        again = ended_by_thread_exit(op->result) && !op->cancel_asked;
        if (!again) LiveList::unlink(internal_live, op);
    }
    if (again) {
        manager().process_queue->submit(op, false);
        return;
    }
    op->driver_complete(op);  // may free op, or submit it again
}

}  // namespace

bool submit_internal(InternalOp* op)
{
    if (!start()) return false;
    if (op->complete != &internal_completed) op->driver_complete = op->complete;  // else resubmitted as it was
    op->complete = &internal_completed;
    op->cancel_asked = false;
    {
        std::lock_guard<std::mutex> guard(internal_mutex);
        LiveList::push_front(internal_live, op);
    }
    manager().process_queue->submit(op, false);
    return true;
}

void cancel_internal(InternalOp* op)
{
    {
        std::lock_guard<std::mutex> guard(internal_mutex);
        op->cancel_asked = true;
    }
    manager().process_queue->cancel(op);
}

DWORD status_from_errno(int error)
{
    if (error == ECANCELED) return STATUS_CANCELLED;
    return ntstatus_from_win32_error(win32_error_from_errno(error));
}

iovec* Request::reserve_vectors(uint32_t count)
{
    if (vector_capacity < count) {
        delete[] vectors;
        vectors = new iovec[count];
        vector_capacity = count;
    }
    return vectors;
}

void reset_request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    HANDLE event_handle = request_event(overlapped, routine);
    if (event_handle == nullptr) return;
    DWORD error;
    kernel::Object* object = kernel::handle_reference(event_handle, kernel::ObjectType::Event, 0, &error);
    if (object == nullptr) return;
    static_cast<kernel::EventObject*>(object)->reset_after_deliveries();
    object->release_reference();
}

void synchronous_end_locked(Device* device)
{
    kernel::WakeList wake;
    signal_handle_locked(device, false, wake);
    device->lock.unlock();
}

void complete_synchronously(Device* device, OVERLAPPED* overlapped, DWORD status, DWORD bytes,
                            LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    HANDLE event_handle = request_event(overlapped, routine);
    write_result(overlapped, status, bytes);
    {
        kernel::WakeList wake;
        device->lock.lock();
        signal_handle_locked(device, event_handle != nullptr, wake);
        device->lock.unlock();
    }
    if (event_handle != nullptr) {
        DWORD error;
        kernel::Object* object = kernel::handle_reference(event_handle, kernel::ObjectType::Event, 0, &error);
        if (object != nullptr) {
            static_cast<kernel::EventObject*>(object)->set_now();
            object->release_reference();
        }
    }
    if (routine != nullptr && !nt_error(status)) {
        kernel::queue_apc(kernel::current_thread(),
                          {&invoke_completion_routine, reinterpret_cast<ULONG_PTR>(routine),
                           (static_cast<ULONG_PTR>(win32_error_from_ntstatus(status)) << 32) | bytes,
                           reinterpret_cast<ULONG_PTR>(overlapped)});
    }
}

DWORD cancel(HANDLE handle, OVERLAPPED* overlapped, bool only_caller)
{
    DWORD error;
    Device* device = device_lock(handle, 0, &error);
    if (device == nullptr) return error;
    kernel::ThreadState* self = kernel::current_thread();
    bool found = false;
    for (Request* request = device->requests; request != nullptr; request = request->next) {
        if (overlapped != nullptr && request->overlapped != overlapped) continue;
        if (only_caller && request->issuer != self) continue;
        // One cancelled already and not yet delivered is not found again (Wine's kernel32
        // pipe test, test_blocking_rw, on Windows: a second CancelIoEx of the same request
        // fails with ERROR_NOT_FOUND).
        if (request->cancel_requested) continue;
        found = true;
        cancel_request(request);
    }
    device->lock.unlock();
    return found ? ERROR_SUCCESS : ERROR_NOT_FOUND;
}

DWORD cancel_on_device(Device* device, OVERLAPPED* overlapped)
{
    LockGuard guard(device->lock);
    bool found = false;
    for (Request* request = device->requests; request != nullptr; request = request->next) {
        if (request->overlapped != overlapped) continue;
        found = true;
        cancel_request(request);
    }
    return found ? ERROR_SUCCESS : ERROR_NOT_FOUND;
}

void cancel_locked(Request* request) { cancel_request(request); }

void await_own_requests(Device* device, uint32_t timeout_ms)
{
    kernel::ThreadState* self = kernel::current_thread();
    std::vector<kernel::EventObject*> events;
    uint64_t start = 0;
    for (bool first = true;; first = false) {
        bool pending = false;
        device->lock.lock();
        for (Request* request = device->requests; request != nullptr; request = request->next) {
            if (request->issuer != self) continue;
            pending = true;
            kernel::EventObject* event = request->event;
            if (event != nullptr && std::find(events.begin(), events.end(), event) == events.end()) {
                event->add_reference();
                events.push_back(event);
            }
        }
        device->lock.unlock();
        if (!pending) break;
        if (first) start = monotonic_ms();
        if (monotonic_ms() - start >= timeout_ms) break;
        progress();
        timespec pause{0, 200 * 1000};
        nanosleep(&pause, nullptr);
    }
    // Out of the list means the OVERLAPPED is written; the event's set follows.
    for (kernel::EventObject* event : events) {
        event->await_deliveries();
        event->release_reference();
    }
}

bool progress()
{
    Manager& m = manager();
    if (m.port_queue_count.load(std::memory_order_acquire) == 0) return false;
    return sweep_port_queues();
}

const char* engine_in_use() { return start() ? engine::engine_name() : nullptr; }

// ---- Device.
Next Device::step(Request* request, Outcome* outcome)
{
    engine::Op* op = &request->op;
    if (op->result > 0) {
        request->done += static_cast<uint32_t>(op->result);
        if (request->write && op->code == engine::OpCode::Write && request->done < request->requested) {
            // A short write (the file system filling up, say): write the rest, which then
            // either completes or reports the error (ERROR_DISK_FULL), keeping the count.
            op->buffer = static_cast<char*>(op->buffer) + op->result;
            op->length -= static_cast<uint32_t>(op->result);
            op->offset += static_cast<uint32_t>(op->result);
            return Next::Engine;
        }
    }
    if (op->result >= 0)
        outcome->status = !request->write && request->done == 0 && request->requested != 0 ? STATUS_END_OF_FILE
                                                                                             : STATUS_SUCCESS;
    else
        outcome->status = status_from_errno(-op->result);
    outcome->bytes = request->done;
    return Next::Done;
}

void Device::last_handle_closed()
{
    // Closing the last handle cancels what is in progress (what the driver lets it);
    // each request is still delivered, with STATUS_CANCELLED unless it completed first.
    for (Request* request = requests; request != nullptr; request = request->next)
        if (cancelled_by_close(request)) cancel_request(request);
    unlock_overlapped_ranges();  // SetFileIoOverlappedRange: "unlocked when the file is closed"
}

}  // namespace overlapped::io
