// request.cpp: the I/O manager (see request.h): requests, their delivery, cancellation,
// the per-port engine queues and the completion thread.
#include "io/request.h"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/errors.h"
#include "kernel/handle_table.h"
#include "kernel/sync.h"
#include "kernel/thread.h"

namespace overlapped::io {

struct Request {
    engine::Op op;  // first: the engine hands it back
    Device* device = nullptr;  // one reference
    OVERLAPPED* overlapped = nullptr;
    kernel::EventObject* event = nullptr;  // one reference, or null
    LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr;
    kernel::ThreadState* issuer = nullptr;
    kernel::ThreadObject* issuer_object = nullptr;  // a reference, for the APC only
    engine::Queue* queue = nullptr;
    Request* prev = nullptr;  // in device->requests, under the device's lock
    Request* next = nullptr;
    iovec* vectors = nullptr;  // ReadFileScatter / WriteFileGather
    uint32_t vector_capacity = 0;
    uint32_t requested = 0;
    uint32_t done = 0;
    bool write = false;
    bool no_port = false;           // hEvent's low bit, or a completion routine
    bool cancel_on_exit = false;    // counted in issuer->io_pending
    bool cancel_requested = false;  // under the device's lock
};

namespace {

// ---- request memory: a small cache per thread over a shared free list.
struct RequestCache {
    Request* items[64];
    int count = 0;
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
    if (request_cache.count < 64) {
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
void drain_at_exit();

// Starts the process queue and the completion thread on first use. False if the engine
// could not start.
bool start()
{
    Manager& m = manager();
    std::call_once(m.started, [&] {
        m.process_queue = engine::create_queue(kQueueDepth);
        if (m.process_queue == nullptr) return;
        kernel::thread_exit_hook.store(&thread_exit, std::memory_order_release);
        std::thread(completion_thread).detach();
        std::atexit(drain_at_exit);
    });
    return m.process_queue != nullptr;
}

// The engine queue of `port`, made on first use; null if the engine cannot make one.
PortQueue* port_queue(kernel::CompletionPort* port)
{
    if (kernel::PortPoller* poller = port->poller()) return static_cast<PortQueue*>(poller);
    engine::Queue* queue = engine::create_queue(kQueueDepth);
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
    }
}

// ---- delivery.
DWORD ntstatus_for(Request* request, int result)
{
    if (result >= 0) {
        if (!request->write && request->done == 0 && request->requested != 0) return STATUS_END_OF_FILE;
        return STATUS_SUCCESS;
    }
    if (result == -ECANCELED) return STATUS_CANCELLED;
    return ntstatus_from_win32_error(win32_error_from_errno(-result));
}

void invoke_completion_routine(const kernel::Apc& apc)
{
    auto routine = reinterpret_cast<LPOVERLAPPED_COMPLETION_ROUTINE>(apc.a);
    routine(static_cast<DWORD>(apc.b >> 32), static_cast<DWORD>(apc.b), reinterpret_cast<OVERLAPPED*>(apc.c));
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

void set_event(kernel::EventObject* event)
{
    kernel::WakeList wake;
    event->lock.lock();
    event->set(wake);
    event->lock.unlock();
}

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
    if (op->result > 0) {
        request->done += static_cast<uint32_t>(op->result);
        if (request->write && op->code == engine::OpCode::Write && request->done < request->requested) {
            // A short write (the file system filling up, say): write the rest, which then
            // either completes or reports the error (ERROR_DISK_FULL), keeping the count.
            op->buffer = static_cast<char*>(op->buffer) + op->result;
            op->length -= static_cast<uint32_t>(op->result);
            op->offset += static_cast<uint32_t>(op->result);
            request->queue->submit(op, false);
            return;
        }
    }
    if ((op->result == -ECANCELED || op->result == -EINTR) && resubmit_if_not_cancelled(request)) return;
    DWORD status = ntstatus_for(request, op->result);
    DWORD bytes = request->done;
    Device* device = request->device;

    kernel::CompletionPort* port = nullptr;
    ULONG_PTR key = 0;
    OVERLAPPED* overlapped = request->overlapped;
    bool holds_device = false;  // the reference of the device's request list, now ours
    {
        kernel::WakeList wake;
        device->lock.lock();
        unlink_request(device, request);
        holds_device = device->requests == nullptr;
        // The result is in the OVERLAPPED before anything is signalled: a thread woken by
        // the handle (GetOverlappedResult with no event) reads it at once, as on Windows.
        write_result(overlapped, status, bytes);
        if (!(device->notification_modes & FILE_SKIP_SET_EVENT_ON_HANDLE)) {
            device->signaled_ = true;
            if (device->has_waiters()) device->signal_waiters(wake);
        }
        if (!request->no_port && device->port() != nullptr) {
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
    // Other requests may keep the device; unless holds_device, it is not ours to touch.
    device = nullptr;
    if (request->event != nullptr) {
        set_event(request->event);
        request->event->release_reference();
    }
    if (request->routine != nullptr) {
        if (!__atomic_load_n(&request->issuer->exiting, __ATOMIC_ACQUIRE)) {
            DWORD error = win32_error_from_ntstatus(status);
            kernel::queue_apc(request->issuer,
                              {&invoke_completion_routine, reinterpret_cast<ULONG_PTR>(request->routine),
                               (static_cast<ULONG_PTR>(error) << 32) | bytes, reinterpret_cast<ULONG_PTR>(overlapped)});
        }
    }
    if (request->cancel_on_exit) request->issuer->io_pending.fetch_sub(1, std::memory_order_release);
    if (request->issuer_object != nullptr) request->issuer_object->release_reference();
    if (port != nullptr) post_packet(port, {key, overlapped, status, bytes});
    Device* held = holds_device ? request->device : nullptr;
    request->device = nullptr;
    request->event = nullptr;
    request->issuer_object = nullptr;
    request_free(request);
    if (held != nullptr) held->release_reference();
}

// Under the device's lock: asks the engine to cancel `request` (once).
void cancel_request(Request* request)
{
    if (request->cancel_requested) return;
    request->cancel_requested = true;
    request->queue->cancel(&request->op);
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

HANDLE request_event(const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    if (routine != nullptr) return nullptr;  // the routine's hEvent is the caller's to use
    return reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(overlapped->hEvent) & ~ULONG_PTR(1));
}

DWORD submit(Device* device, const Transfer& transfer, OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    kernel::EventObject* event = nullptr;
    if (HANDLE event_handle = request_event(overlapped, routine)) {
        DWORD error;
        kernel::Object* object = kernel::handle_reference(event_handle, kernel::ObjectType::Event, 0, &error);
        if (object == nullptr) return ERROR_INVALID_HANDLE;
        event = static_cast<kernel::EventObject*>(object);
        event->lock.lock();
        event->reset();
        event->lock.unlock();
    }
    device->lock.lock();
    return submit_and_unlock(device, transfer, overlapped, routine, event);
}

DWORD submit_and_unlock(Device* device, const Transfer& transfer, OVERLAPPED* overlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine, kernel::EventObject* event)
{
    if (!start()) {
        device->lock.unlock();
        if (event != nullptr) event->release_reference();
        return ERROR_NOT_SUPPORTED;
    }
    kernel::ThreadState* self = kernel::current_thread();
    Request* request = request_new();
    request->op.reset();
    request->op.complete = &on_complete;
    request->overlapped = overlapped;
    request->event = event;
    request->routine = routine;
    request->issuer = self;
    request->issuer_object = nullptr;
    request->requested = transfer.length;
    request->done = 0;
    request->write = transfer.write;
    request->no_port = routine != nullptr || (reinterpret_cast<ULONG_PTR>(overlapped->hEvent) & 1);
    request->cancel_requested = false;
    request->cancel_on_exit = false;
    request->prev = request->next = nullptr;

    Transfer prepared = transfer;
    if (transfer.segments != nullptr) {
        // Scatter/gather: one page per element, `length` bytes in all.
        uint32_t page = 4096;
        uint32_t count = (transfer.length + page - 1) / page;
        if (request->vector_capacity < count) {
            delete[] request->vectors;
            request->vectors = new iovec[count];
            request->vector_capacity = count;
        }
        for (uint32_t i = 0; i < count; ++i) {
            request->vectors[i].iov_base = transfer.segments[i].Buffer;
            request->vectors[i].iov_len = std::min<uint32_t>(page, transfer.length - i * page);
        }
        request->op.vectors = request->vectors;
        prepared.buffer = request->vectors;
    }

    DWORD error = device->prepare(prepared, &request->op);
    kernel::CompletionPort* port = device->port();
    if (error == ERROR_SUCCESS && routine != nullptr && port != nullptr) error = ERROR_INVALID_PARAMETER;
    PortQueue* queue = nullptr;
    if (error == ERROR_SUCCESS && port != nullptr && event == nullptr && !request->no_port) {
        queue = port_queue(port);  // takes the port's lock (after the device's: the only order)
        if (queue == nullptr) error = ERROR_NOT_SUPPORTED;
    }
    if (error != ERROR_SUCCESS) {
        device->lock.unlock();
        if (event != nullptr) event->release_reference();
        request_free(request);
        return error;
    }
    request->queue = queue != nullptr ? queue->queue() : manager().process_queue;
    bool first_request = !device->registered;
    device->registered = true;
    if (port == nullptr) {
        request->cancel_on_exit = true;
        self->io_pending.fetch_add(1, std::memory_order_relaxed);
    }
    if (routine != nullptr || request->cancel_on_exit) {
        // The issuing thread's state stays this thread's until the request is delivered.
        request->issuer_object = self->object;
        request->issuer_object->add_reference();
    }
    // The device's pending requests hold one reference to it between them, taken by the
    // first and dropped by the last to complete (on_complete), not one each.
    if (device->requests == nullptr) device->add_reference();
    request->device = device;
    request->next = device->requests;
    if (device->requests != nullptr) device->requests->prev = request;
    device->requests = request;
    if (!(device->notification_modes & FILE_SKIP_SET_EVENT_ON_HANDLE)) device->signaled_ = false;
    __atomic_store_n(&overlapped->Internal, static_cast<ULONG_PTR>(STATUS_PENDING), __ATOMIC_RELAXED);
    device->lock.unlock();
    if (first_request) register_device(device);  // outside the device's lock (lock order)

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
    return ERROR_IO_PENDING;
}

void complete_synchronously(Device* device, OVERLAPPED* overlapped, DWORD status, DWORD bytes)
{
    HANDLE event_handle = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(overlapped->hEvent) & ~ULONG_PTR(1));
    write_result(overlapped, status, bytes);
    {
        kernel::WakeList wake;
        device->lock.lock();
        if (!(device->notification_modes & FILE_SKIP_SET_EVENT_ON_HANDLE)) {
            device->signaled_ = true;
            if (device->has_waiters()) device->signal_waiters(wake);
        }
        device->lock.unlock();
    }
    if (event_handle != nullptr) {
        DWORD error;
        kernel::Object* object = kernel::handle_reference(event_handle, kernel::ObjectType::Event, 0, &error);
        if (object != nullptr) {
            set_event(static_cast<kernel::EventObject*>(object));
            object->release_reference();
        }
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
        found = true;
        cancel_request(request);
    }
    device->lock.unlock();
    return found ? ERROR_SUCCESS : ERROR_NOT_FOUND;
}

bool progress()
{
    Manager& m = manager();
    if (m.port_queue_count.load(std::memory_order_acquire) == 0) return false;
    return sweep_port_queues();
}

const char* engine_in_use() { return start() ? engine::engine_name() : nullptr; }

// ---- Device.
void Device::last_handle_closed()
{
    // Closing the last handle cancels what is in progress; each request is still
    // delivered, with STATUS_CANCELLED unless it completed first.
    for (Request* request = requests; request != nullptr; request = request->next) cancel_request(request);
}

}  // namespace overlapped::io
