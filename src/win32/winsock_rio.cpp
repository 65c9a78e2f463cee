// winsock_rio.cpp: Winsock's registered I/O (RIO), the function table that
// WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) hands out.
//
// A RIO receive or send is an ordinary socket request of the I/O manager (io::submit, the
// socket driver's Receive/Send: tried at once in the calling thread, by the fast I/O path
// too, else in the engine, in the socket's lanes, cancelled by CancelIoEx or the socket's
// close), delivered to a sink (io::Sink) instead of an OVERLAPPED: the completion queue it
// names, a queue of results under a lock, which RIODequeueCompletion empties without a
// system call and RIONotify watches (a one-shot event or completion port packet). A
// completion queue that notifies a port has its requests run in that port's engine queue
// (Transfer::sink_port): the thread waiting there for the notification finishes them.
//
// Registered buffers are a table of (address, length) by RIO_BUFFERID; every RIO_BUF is
// checked against its region. The registration locks nothing into memory and io_uring's
// fixed buffers are not used (on sockets they measured no faster: bench/README.md).
//
// Counting, as Windows documents it: a request counts against its request queue's
// maximum (MaxOutstandingReceive/Send: WSAENOBUFS beyond it) from its issue until its
// completion is dequeued; a request queue reserves its maxima in its completion queues
// when it is made (WSAENOBUFS if they do not fit), so that a completion always finds room.
//
// Lifetimes: a completion queue lives until RIOCloseCompletionQueue and its last request
// queue; a request queue until its socket is recycled (closesocket, its requests
// delivered) and its last completion is dequeued (each request not yet dequeued holds it).
// Callers serialise their use of one queue, as Windows requires; the completion side
// (the I/O manager's threads) is safe against them.
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <vector>

#include <sched.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "common/errors.h"
#include "common/lock.h"
#include "drivers/socket.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "kernel/port.h"
#include "win32/entry.h"
#include "win32/winsock_rio.h"
#include "win32/winsock_state.h"

using namespace overlapped;
using drivers::SocketDevice;
using drivers::SocketOperation;
using drivers::SocketRequest;
using overlapped::win32::set_last_error;
using overlapped::win32::wsa_fail;

namespace {

// The most data buffers a request may have (MaxReceiveDataBuffers/MaxSendDataBuffers;
// Windows 8 takes only 1).
constexpr ULONG kMaxDataBuffers = 8;
constexpr DWORD kKnownFlags = RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER | RIO_MSG_WAITALL | RIO_MSG_COMMIT_ONLY;
constexpr uint32_t kCompletionQueueMark = 0x52494f43;  // "RIOC"
constexpr uint32_t kRequestQueueMark = 0x52494f52;     // "RIOR"

// ---- registered buffers: RIO_BUFFERID n is regions[n - 1].
struct Region {
    char* base = nullptr;
    DWORD length = 0;
    bool used = false;
};

std::mutex regions_mutex;
std::vector<Region>* regions = new std::vector<Region>();
std::vector<size_t>* free_regions = new std::vector<size_t>();

// The memory `buffer` describes: 0, or WSAEFAULT (an identifier not registered, or no
// longer) or WSAEINVAL (a part outside its region).
int resolve(const RIO_BUF& buffer, char** memory)
{
    uintptr_t id = reinterpret_cast<uintptr_t>(buffer.BufferId);
    std::lock_guard<std::mutex> guard(regions_mutex);
    if (id == 0 || id > regions->size() || !(*regions)[id - 1].used) return WSAEFAULT;
    const Region& region = (*regions)[id - 1];
    if (static_cast<uint64_t>(buffer.Offset) + buffer.Length > region.length) return WSAEINVAL;
    *memory = region.base + buffer.Offset;
    return 0;
}

struct RequestQueue;

// ---- a request: what its completion needs, from its issue until it is dequeued.
struct RioOp {
    OVERLAPPED overlapped{};  // the I/O manager's for the request, never the program's
    RequestQueue* queue = nullptr;
    bool receive = false;
    bool notify = true;  // not RIO_MSG_DONT_NOTIFY
    DWORD flags = 0;
    ULONG buffer_count = 0;
    WSABUF buffers[kMaxDataBuffers]{};
    // RIOReceiveEx: where the sender's address goes (a SOCKADDR_INET); RIOSendEx: the
    // destination. Null: none.
    SOCKADDR* remote = nullptr;
    int remote_length = 0;
    ULONG* flags_out = nullptr;  // RIOReceiveEx's pFlags: the message flags go there
    RIORESULT result{};
    RioOp* next = nullptr;  // deferred (RIO_MSG_DEFER), in issue order
};

// ---- completion queues.
struct CompletionQueue {
    uint32_t mark = kCompletionQueueMark;
    // The program's (until RIOCloseCompletionQueue), one per request queue that names
    // it, and one while a notification is being given.
    std::atomic<uint32_t> references{1};
    std::mutex lock;
    // Under `lock`:
    std::deque<RioOp*> results;  // completed, not yet dequeued
    DWORD size = 0;
    uint64_t reserved = 0;     // what its request queues may have outstanding towards it
    uint32_t notifiable = 0;   // results without RIO_MSG_DONT_NOTIFY
    bool armed = false;        // RIONotify asked, not yet given
    bool closed = false;
    // Notifications being given (notify_now, outside the lock): RIOCloseCompletionQueue
    // waits for them (`quiet`), so that none reaches the event or port after it returns.
    uint32_t notifying = 0;
    std::condition_variable quiet;
    bool has_notification = false;
    RIO_NOTIFICATION_COMPLETION notification{};
    // RIO_IOCP_COMPLETION: the port (a reference), whose engine queue runs the requests
    // of this queue: the thread waiting there for the notification finishes them itself,
    // rather than the I/O manager's completion thread handing each one over.
    kernel::CompletionPort* port = nullptr;
};

void completion_queue_release(CompletionQueue* cq)
{
    if (cq->references.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    cq->mark = 0;
    if (cq->port != nullptr) cq->port->release_reference();
    delete cq;
}

CompletionQueue* completion_queue_of(RIO_CQ handle)
{
    auto* cq = reinterpret_cast<CompletionQueue*>(handle);
    if (cq == nullptr || cq->mark != kCompletionQueueMark) return nullptr;
    return cq;
}

// Whether RIOCloseCompletionQueue marked the queue invalid (it lives on while request
// queues name it): no new request queue may name it, and the calls on it fail as on an
// invalid queue (Microsoft Learn, RIOCloseCompletionQueue).
bool closed(CompletionQueue* cq)
{
    std::lock_guard<std::mutex> guard(cq->lock);
    return cq->closed;
}

// Reserves `delta` (may be negative: given back) of the queue's room. False (nothing
// done) if it does not fit.
bool reserve(CompletionQueue* cq, int64_t delta)
{
    std::lock_guard<std::mutex> guard(cq->lock);
    if (delta > 0 && cq->reserved + static_cast<uint64_t>(delta) > cq->size) return false;
    cq->reserved = static_cast<uint64_t>(static_cast<int64_t>(cq->reserved) + delta);
    return true;
}

// Reserves `receive` in `receive_cq` and `send` in `send_cq` (one queue may be both), all
// or nothing.
bool reserve_both(CompletionQueue* receive_cq, CompletionQueue* send_cq, int64_t receive, int64_t send)
{
    if (receive_cq == send_cq) return reserve(receive_cq, receive + send);
    if (!reserve(receive_cq, receive)) return false;
    if (reserve(send_cq, send)) return true;
    reserve(receive_cq, -receive);
    return false;
}

// Gives the queue's notification (RIONotify's): the event set (RIO_EVENT_COMPLETION) or
// a packet posted to the port with the key and OVERLAPPED (RIO_IOCP_COMPLETION).
void notify_now(CompletionQueue* cq)
{
    const RIO_NOTIFICATION_COMPLETION& how = cq->notification;
    DWORD saved = GetLastError();  // may run in the program's RIO call, or an I/O thread
    if (how.Type == RIO_EVENT_COMPLETION)
        SetEvent(how.Event.EventHandle);
    else
        PostQueuedCompletionStatus(how.Iocp.IocpHandle, 0, reinterpret_cast<ULONG_PTR>(how.Iocp.CompletionKey),
                                   static_cast<LPOVERLAPPED>(how.Iocp.Overlapped));
    SetLastError(saved);
}

// A notification counted in `notifying` has been given.
void notify_done(CompletionQueue* cq)
{
    std::lock_guard<std::mutex> guard(cq->lock);
    if (--cq->notifying == 0) cq->quiet.notify_all();
}

// ---- request queues.
struct RequestQueue final : drivers::RioQueueLink {
    uint32_t mark = kRequestQueueMark;
    // The socket's (until it is recycled), one per request not yet dequeued.
    std::atomic<uint32_t> references{1};
    SOCKET socket_handle = INVALID_SOCKET;
    CompletionQueue* receive_cq = nullptr;  // a reference each
    CompletionQueue* send_cq = nullptr;
    ULONGLONG socket_context = 0;
    ULONG receive_buffers = 1;  // the most data buffers of a receive, of a send
    ULONG send_buffers = 1;
    std::atomic<ULONG> max_receive{0};
    std::atomic<ULONG> max_send{0};
    std::atomic<ULONG> outstanding_receive{0};  // issued, not yet dequeued
    std::atomic<ULONG> outstanding_send{0};
    std::mutex deferred_lock;  // RIO_MSG_COMMIT_ONLY may come from another thread
    RioOp* deferred_receives = nullptr;
    RioOp* deferred_sends = nullptr;
    std::atomic<bool> gone{false};  // its socket was recycled

    void socket_gone() override;
};

void request_queue_release(RequestQueue* rq)
{
    if (rq->references.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    // Its reservations go back to its completion queues.
    reserve_both(rq->receive_cq, rq->send_cq, -static_cast<int64_t>(rq->max_receive.load()),
                 -static_cast<int64_t>(rq->max_send.load()));
    completion_queue_release(rq->receive_cq);
    completion_queue_release(rq->send_cq);
    rq->mark = 0;
    delete rq;
}

RequestQueue* request_queue_of(RIO_RQ handle)
{
    auto* rq = reinterpret_cast<RequestQueue*>(handle);
    if (rq == nullptr || rq->mark != kRequestQueueMark) return nullptr;
    return rq;
}

// A request's completion was dequeued (or will never be): it no longer counts.
void op_free(RioOp* op)
{
    RequestQueue* rq = op->queue;
    (op->receive ? rq->outstanding_receive : rq->outstanding_send).fetch_sub(1, std::memory_order_acq_rel);
    delete op;
    request_queue_release(rq);
}

// A request's result goes to its completion queue; RIONotify's notification with it, if
// armed and the request asks for notifications.
void complete(RioOp* op)
{
    RequestQueue* rq = op->queue;
    CompletionQueue* cq = op->receive ? rq->receive_cq : rq->send_cq;
    op->result.SocketContext = rq->socket_context;
    bool fire = false;
    {
        std::lock_guard<std::mutex> guard(cq->lock);
        if (!cq->closed) {
            cq->results.push_back(op);
            if (op->notify) {
                ++cq->notifiable;
                if (cq->armed) {
                    cq->armed = false;
                    fire = true;
                    ++cq->notifying;
                    cq->references.fetch_add(1, std::memory_order_relaxed);  // while notify_now runs
                }
            }
            op = nullptr;
        }
    }
    if (op != nullptr) op_free(op);  // the queue was closed: nobody will dequeue it
    if (fire) {
        notify_now(cq);
        notify_done(cq);
        completion_queue_release(cq);
    }
}

// The I/O manager's delivery of a RIO request (io::Sink).
void sink_complete(io::Sink*, void* context, DWORD status, DWORD bytes)
{
    auto* op = static_cast<RioOp*>(context);
    op->result.Status = drivers::wsa_error_from_status(status);
    op->result.BytesTransferred = bytes;
    // The socket driver leaves a receive's message flags in its OVERLAPPED's Offset, as
    // for WSAGetOverlappedResult (0 unless the receive succeeded).
    if (op->flags_out != nullptr) *op->flags_out = op->overlapped.Offset;
    complete(op);
}

io::Sink rio_sink{&sink_complete};

// Completes a request that never reached the I/O manager with `error`.
void complete_failed(RioOp* op, int error)
{
    op->result.Status = error;
    op->result.BytesTransferred = 0;
    complete(op);
}

// Gives a request to the I/O manager on its queue's socket. 0 (under way, or finished
// and delivered: the request may be gone by now), or the WSA error it failed with at
// once (nothing delivered).
int start(RioOp* op)
{
    RequestQueue* rq = op->queue;
    SocketRequest asked;
    asked.operation = op->receive ? SocketOperation::Receive : SocketOperation::Send;
    asked.buffers = reinterpret_cast<const ws::WsaBuf*>(op->buffers);
    asked.buffer_count = op->buffer_count;
    asked.flags = (op->flags & RIO_MSG_WAITALL) ? MSG_WAITALL : 0;
    if (op->remote != nullptr && op->receive) {
        asked.address = reinterpret_cast<ws::Sockaddr*>(op->remote);
        asked.address_length = &op->remote_length;
    } else if (op->remote != nullptr) {
        asked.destination = reinterpret_cast<const ws::Sockaddr*>(op->remote);
        asked.destination_length = op->remote->sa_family == AF_INET6 ? static_cast<int>(sizeof(SOCKADDR_IN6))
                                                                     : static_cast<int>(sizeof(SOCKADDR_IN));
    }
    io::Transfer transfer;
    transfer.write = !op->receive;
    transfer.driver_request = &asked;
    transfer.sink = &rio_sink;
    transfer.sink_context = op;
    transfer.sink_port = (op->receive ? rq->receive_cq : rq->send_cq)->port;
    // The socket through its handle, under its lock until the submission (as WSARecv):
    // a request queue whose socket was closed takes no more requests.
    DWORD error;
    kernel::Object* object = kernel::handle_lock(reinterpret_cast<HANDLE>(rq->socket_handle),
                                                 kernel::ObjectType::Socket, kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) return WSAEINVAL;
    auto* socket = static_cast<SocketDevice*>(object);
    if (socket->rio_queue != rq) {
        socket->lock.unlock();
        return WSAEINVAL;
    }
    io::Submitted submitted = io::submit_and_unlock(socket, transfer, &op->overlapped, nullptr, nullptr);
    if (submitted.error == ERROR_SUCCESS || submitted.error == ERROR_IO_PENDING) return 0;
    return win32::wsa_error_of(submitted);
}

// Takes the deferred requests of one direction, in issue order.
RioOp* take_deferred(RequestQueue* rq, bool receive)
{
    std::lock_guard<std::mutex> guard(rq->deferred_lock);
    RioOp*& list = receive ? rq->deferred_receives : rq->deferred_sends;
    RioOp* taken = list;
    list = nullptr;
    return taken;
}

// Starts the deferred requests of one direction; one that cannot start completes with
// its error (it was accepted when it was issued).
void commit(RequestQueue* rq, bool receive)
{
    RioOp* op = take_deferred(rq, receive);
    while (op != nullptr) {
        RioOp* next = op->next;
        op->next = nullptr;
        if (int error = start(op)) complete_failed(op, error);
        op = next;
    }
}

void RequestQueue::socket_gone()
{
    // Requests still deferred when the socket closed end as those under way did: cut off
    // by the close (socket driver: WSAECONNABORTED, a WSARecv's status then). Marked gone
    // first: issue() holds no more requests once it sees it (under deferred_lock).
    gone.store(true, std::memory_order_release);
    for (bool receive : {true, false}) {
        RioOp* op = take_deferred(this, receive);
        while (op != nullptr) {
            RioOp* next = op->next;
            op->next = nullptr;
            complete_failed(op, WSAECONNABORTED);
            op = next;
        }
    }
    request_queue_release(this);  // the socket's reference
}

// RIOReceive(Ex), RIOSend(Ex). `remote`: RIOReceiveEx's place for the sender's address,
// RIOSendEx's destination, or null; `flags_out`: RIOReceiveEx's place for the message
// flags, or null.
BOOL issue(RIO_RQ handle, PRIO_BUF data, ULONG count, PRIO_BUF remote, PRIO_BUF flags_out, DWORD flags,
           PVOID context, bool receive)
{
    RequestQueue* rq = request_queue_of(handle);
    if (rq == nullptr || rq->gone.load(std::memory_order_acquire)) return wsa_fail(WSAEINVAL, FALSE);
    if ((flags & ~kKnownFlags) != 0 || (!receive && (flags & RIO_MSG_WAITALL)))
        return wsa_fail(WSAEINVAL, FALSE);
    if (flags & RIO_MSG_COMMIT_ONLY) {
        if (flags != RIO_MSG_COMMIT_ONLY || data != nullptr || count != 0 || context != nullptr)
            return wsa_fail(WSAEINVAL, FALSE);
        commit(rq, receive);
        set_last_error(0);
        return TRUE;
    }
    if (count > (receive ? rq->receive_buffers : rq->send_buffers)) return wsa_fail(WSAEINVAL, FALSE);
    if (count != 0 && data == nullptr) return wsa_fail(WSAEFAULT, FALSE);
    RioOp probe;  // checked before anything counts
    probe.buffer_count = count;
    for (ULONG i = 0; i < count; ++i) {
        char* memory = nullptr;
        if (int error = resolve(data[i], &memory)) return wsa_fail(error, FALSE);
        probe.buffers[i].buf = memory;
        probe.buffers[i].len = data[i].Length;
    }
    if (remote != nullptr) {
        char* memory = nullptr;
        if (int error = resolve(*remote, &memory)) return wsa_fail(error, FALSE);
        if (remote->Length < sizeof(SOCKADDR_INET)) return wsa_fail(WSAEINVAL, FALSE);
        probe.remote = reinterpret_cast<SOCKADDR*>(memory);
        probe.remote_length = sizeof(SOCKADDR_INET);
    }
    if (flags_out != nullptr) {
        char* memory = nullptr;
        if (int error = resolve(*flags_out, &memory)) return wsa_fail(error, FALSE);
        if (flags_out->Length < sizeof(ULONG)) return wsa_fail(WSAEINVAL, FALSE);
        probe.flags_out = reinterpret_cast<ULONG*>(memory);
    }
    std::atomic<ULONG>& outstanding = receive ? rq->outstanding_receive : rq->outstanding_send;
    ULONG limit = receive ? rq->max_receive.load(std::memory_order_relaxed) : rq->max_send.load(std::memory_order_relaxed);
    if (outstanding.load(std::memory_order_acquire) >= limit) return wsa_fail(WSAENOBUFS, FALSE);
    outstanding.fetch_add(1, std::memory_order_acq_rel);
    rq->references.fetch_add(1, std::memory_order_relaxed);
    auto* op = new RioOp(probe);
    op->queue = rq;
    op->receive = receive;
    op->notify = (flags & RIO_MSG_DONT_NOTIFY) == 0;
    op->flags = flags;
    op->result.RequestContext = reinterpret_cast<ULONGLONG>(context);
    if (flags & RIO_MSG_DEFER) {
        // Held unless its socket was recycled meanwhile (socket_gone, which takes the held
        // requests under this lock after it marks the queue gone): one held after that
        // would never complete, and keep its queues forever.
        bool held = false;
        {
            std::lock_guard<std::mutex> guard(rq->deferred_lock);
            if (!rq->gone.load(std::memory_order_acquire)) {
                RioOp** tail = receive ? &rq->deferred_receives : &rq->deferred_sends;
                while (*tail != nullptr) tail = &(*tail)->next;
                *tail = op;
                held = true;
            }
        }
        if (!held) {
            op_free(op);
            return wsa_fail(WSAEINVAL, FALSE);
        }
        set_last_error(0);
        return TRUE;
    }
    commit(rq, receive);  // the deferred ones first, in order
    if (int error = start(op)) {
        op_free(op);
        return wsa_fail(error, FALSE);
    }
    set_last_error(0);
    return TRUE;
}

// ---- the functions of the table.
BOOL PASCAL rio_receive(RIO_RQ queue, PRIO_BUF data, ULONG count, DWORD flags, PVOID context)
{
    return issue(queue, data, count, nullptr, nullptr, flags, context, true);
}

// The local address and control data are not given (WSAEOPNOTSUPP).
int PASCAL rio_receive_ex(RIO_RQ queue, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote, PRIO_BUF control,
                          PRIO_BUF flags_out, DWORD flags, PVOID context)
{
    if (local != nullptr || control != nullptr) return wsa_fail(WSAEOPNOTSUPP, FALSE);
    return issue(queue, data, count, remote, flags_out, flags, context, true);
}

BOOL PASCAL rio_send(RIO_RQ queue, PRIO_BUF data, ULONG count, DWORD flags, PVOID context)
{
    return issue(queue, data, count, nullptr, nullptr, flags, context, false);
}

// A local address to send from and control data are not taken (WSAEOPNOTSUPP).
BOOL PASCAL rio_send_ex(RIO_RQ queue, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote, PRIO_BUF control,
                        PRIO_BUF flags_in, DWORD flags, PVOID context)
{
    if (local != nullptr || control != nullptr || flags_in != nullptr) return wsa_fail(WSAEOPNOTSUPP, FALSE);
    return issue(queue, data, count, remote, nullptr, flags, context, false);
}

VOID PASCAL rio_close_completion_queue(RIO_CQ handle)
{
    CompletionQueue* cq = completion_queue_of(handle);
    if (cq == nullptr) return;
    std::deque<RioOp*> left;
    {
        std::unique_lock<std::mutex> guard(cq->lock);
        if (cq->closed) return;
        cq->closed = true;
        cq->armed = false;
        left.swap(cq->results);
        cq->notifiable = 0;
        // A notification decided before the close is given before it returns: the
        // program may close or reuse the event (or port) once it has (Microsoft Learn:
        // the queue is locked for writing, and nothing is added to it after).
        cq->quiet.wait(guard, [cq] { return cq->notifying == 0; });
    }
    for (RioOp* op : left) op_free(op);
    completion_queue_release(cq);  // the program's
}

RIO_CQ PASCAL rio_create_completion_queue(DWORD size, PRIO_NOTIFICATION_COMPLETION notification)
{
    if (size < 1 || size > RIO_MAX_CQ_SIZE) return wsa_fail(WSAEINVAL, RIO_INVALID_CQ);
    if (notification != nullptr) {
        bool valid = (notification->Type == RIO_EVENT_COMPLETION && notification->Event.EventHandle != nullptr) ||
                     (notification->Type == RIO_IOCP_COMPLETION && notification->Iocp.IocpHandle != nullptr &&
                      notification->Iocp.Overlapped != nullptr);
        if (!valid) return wsa_fail(WSAEINVAL, RIO_INVALID_CQ);
    }
    kernel::CompletionPort* port = nullptr;  // a handle that is no port: the process queue
    if (notification != nullptr && notification->Type == RIO_IOCP_COMPLETION) {
        DWORD error;
        port = static_cast<kernel::CompletionPort*>(kernel::handle_reference(
            notification->Iocp.IocpHandle, kernel::ObjectType::CompletionPort, 0, &error));
    }
    auto* cq = new CompletionQueue();
    cq->size = size;
    cq->port = port;
    if (notification != nullptr) {
        cq->has_notification = true;
        cq->notification = *notification;
    }
    set_last_error(0);
    return reinterpret_cast<RIO_CQ>(cq);
}

RIO_RQ PASCAL rio_create_request_queue(SOCKET s, ULONG max_receive, ULONG receive_buffers, ULONG max_send,
                                       ULONG send_buffers, RIO_CQ receive_handle, RIO_CQ send_handle, PVOID context)
{
    CompletionQueue* receive_cq = completion_queue_of(receive_handle);
    CompletionQueue* send_cq = completion_queue_of(send_handle);
    DWORD error;
    kernel::Object* object = kernel::handle_reference(reinterpret_cast<HANDLE>(s), kernel::ObjectType::Socket,
                                                      kernel::kAccessNotDuplicated, &error);
    if (object == nullptr) return wsa_fail(WSAENOTSOCK, RIO_INVALID_RQ);
    auto* socket = static_cast<SocketDevice*>(object);
    int refused = 0;
    if (receive_cq == nullptr || send_cq == nullptr || (max_receive == 0 && max_send == 0) ||
        receive_buffers > kMaxDataBuffers || send_buffers > kMaxDataBuffers || closed(receive_cq) || closed(send_cq))
        refused = WSAEINVAL;
    else if (!socket->registered_io())  // a socket made without WSA_FLAG_REGISTERED_IO
        refused = WSAEINVAL;
    else if (socket->type() != SOCK_STREAM && socket->type() != SOCK_DGRAM)
        refused = WSAEOPNOTSUPP;
    if (refused != 0) {
        socket->release_reference();
        return wsa_fail(refused, RIO_INVALID_RQ);
    }
    // The room its completions may need, in each completion queue.
    if (!reserve_both(receive_cq, send_cq, max_receive, max_send)) {
        socket->release_reference();
        return wsa_fail(WSAENOBUFS, RIO_INVALID_RQ);
    }
    auto* rq = new RequestQueue();
    rq->socket_handle = s;
    rq->receive_cq = receive_cq;
    rq->send_cq = send_cq;
    receive_cq->references.fetch_add(1, std::memory_order_relaxed);
    send_cq->references.fetch_add(1, std::memory_order_relaxed);
    rq->socket_context = reinterpret_cast<ULONGLONG>(context);
    rq->receive_buffers = receive_buffers == 0 ? 1 : receive_buffers;
    rq->send_buffers = send_buffers == 0 ? 1 : send_buffers;
    rq->max_receive.store(max_receive);
    rq->max_send.store(max_send);
    bool attached;
    {
        LockGuard guard(socket->lock);
        attached = socket->rio_queue == nullptr;
        if (attached) socket->rio_queue = rq;
    }
    socket->release_reference();
    if (!attached) {  // one request queue per socket
        request_queue_release(rq);
        return wsa_fail(WSAEINVAL, RIO_INVALID_RQ);
    }
    set_last_error(0);
    return reinterpret_cast<RIO_RQ>(rq);
}

ULONG PASCAL rio_dequeue_completion(RIO_CQ handle, PRIORESULT array, ULONG size)
{
    CompletionQueue* cq = completion_queue_of(handle);
    if (cq == nullptr || (array == nullptr && size != 0)) return RIO_CORRUPT_CQ;
    ULONG taken = 0;
    for (bool again = true;; again = false) {
        while (taken < size) {
            RioOp* batch[64];
            ULONG count = 0;
            {
                std::lock_guard<std::mutex> guard(cq->lock);
                if (cq->closed) return taken != 0 ? taken : RIO_CORRUPT_CQ;  // invalid now
                while (count < 64 && taken + count < size && !cq->results.empty()) {
                    RioOp* op = cq->results.front();
                    cq->results.pop_front();
                    if (op->notify) --cq->notifiable;
                    batch[count++] = op;
                }
            }
            if (count == 0) break;
            for (ULONG i = 0; i < count; ++i) {
                array[taken++] = batch[i]->result;
                op_free(batch[i]);
            }
        }
        // Nothing yet: completions in port queues nobody waits on are delivered now
        // (without blocking), as a wait on a request would, then one more look.
        if (taken != 0 || size == 0 || !again || !io::progress()) break;
    }
    // Still nothing: the requests under way are finished by other threads (the I/O
    // manager's completion thread, a port's waiter), which a program polling in a loop
    // must not keep from the CPU: give it up for a moment (bench/README.md, 2026-12-05:
    // the polled ping-pong 2.4x faster on a loaded 2-CPU machine).
    if (taken == 0 && size != 0) sched_yield();
    return taken;
}

VOID PASCAL rio_deregister_buffer(RIO_BUFFERID id)
{
    uintptr_t index = reinterpret_cast<uintptr_t>(id);
    std::lock_guard<std::mutex> guard(regions_mutex);
    if (index == 0 || index > regions->size() || !(*regions)[index - 1].used) return;  // ignored, as Windows does
    (*regions)[index - 1] = Region{};
    free_regions->push_back(index - 1);
}

INT PASCAL rio_notify(RIO_CQ handle)
{
    CompletionQueue* cq = completion_queue_of(handle);
    if (cq == nullptr) return WSAEINVAL;
    {
        std::lock_guard<std::mutex> guard(cq->lock);
        if (cq->closed || !cq->has_notification) return WSAEINVAL;
        if (cq->armed) return WSAEALREADY;
    }
    // NotifyReset: the event is reset as the notification is asked for, before it can
    // be given.
    if (cq->notification.Type == RIO_EVENT_COMPLETION && cq->notification.Event.NotifyReset)
        ResetEvent(cq->notification.Event.EventHandle);
    bool now;
    {
        std::lock_guard<std::mutex> guard(cq->lock);
        if (cq->closed) return WSAEINVAL;
        now = cq->notifiable != 0;
        if (now)
            ++cq->notifying;
        else
            cq->armed = true;
    }
    if (now) {
        notify_now(cq);
        notify_done(cq);
    }
    return ERROR_SUCCESS;
}

RIO_BUFFERID PASCAL rio_register_buffer(PCHAR buffer, DWORD length)
{
    if (buffer == nullptr) return wsa_fail(WSAEFAULT, RIO_INVALID_BUFFERID);
    if (length == 0) return wsa_fail(WSAEINVAL, RIO_INVALID_BUFFERID);
    size_t index;
    {
        std::lock_guard<std::mutex> guard(regions_mutex);
        if (!free_regions->empty()) {
            index = free_regions->back();
            free_regions->pop_back();
        } else {
            index = regions->size();
            regions->emplace_back();
        }
        (*regions)[index] = Region{buffer, length, true};
    }
    set_last_error(0);
    return reinterpret_cast<RIO_BUFFERID>(index + 1);
}

BOOL PASCAL rio_resize_completion_queue(RIO_CQ handle, DWORD size)
{
    CompletionQueue* cq = completion_queue_of(handle);
    if (cq == nullptr || size < 1 || size > RIO_MAX_CQ_SIZE) return wsa_fail(WSAEINVAL, FALSE);
    {
        std::lock_guard<std::mutex> guard(cq->lock);
        if (cq->closed) return wsa_fail(WSAEINVAL, FALSE);
        // Smaller than what its request queues may have outstanding, or than what it
        // holds: WSAETOOMANYREFS.
        if (size < cq->reserved || size < cq->results.size()) return wsa_fail(WSAETOOMANYREFS, FALSE);
        cq->size = size;
    }
    set_last_error(0);
    return TRUE;
}

BOOL PASCAL rio_resize_request_queue(RIO_RQ handle, DWORD max_receive, DWORD max_send)
{
    RequestQueue* rq = request_queue_of(handle);
    if (rq == nullptr || rq->gone.load(std::memory_order_acquire) || (max_receive == 0 && max_send == 0))
        return wsa_fail(WSAEINVAL, FALSE);
    if (max_receive < rq->outstanding_receive.load() || max_send < rq->outstanding_send.load())
        return wsa_fail(WSAETOOMANYREFS, FALSE);
    int64_t receive_delta = static_cast<int64_t>(max_receive) - rq->max_receive.load();
    int64_t send_delta = static_cast<int64_t>(max_send) - rq->max_send.load();
    if (!reserve_both(rq->receive_cq, rq->send_cq, receive_delta, send_delta)) return wsa_fail(WSAENOBUFS, FALSE);
    rq->max_receive.store(max_receive);
    rq->max_send.store(max_send);
    set_last_error(0);
    return TRUE;
}

const GUID kMultipleRio = WSAID_MULTIPLE_RIO;

}  // namespace

int overlapped::win32::rio_function_table(const void* in, DWORD in_length, void* out, DWORD out_length,
                                          DWORD* returned)
{
    if (in == nullptr || in_length < sizeof(GUID)) return WSAEFAULT;
    if (memcmp(in, &kMultipleRio, sizeof(GUID)) != 0) return WSAEINVAL;
    if (out == nullptr || out_length < sizeof(RIO_EXTENSION_FUNCTION_TABLE)) return WSAEFAULT;
    RIO_EXTENSION_FUNCTION_TABLE table;
    table.cbSize = sizeof(table);
    table.RIOReceive = &rio_receive;
    table.RIOReceiveEx = &rio_receive_ex;
    table.RIOSend = &rio_send;
    table.RIOSendEx = &rio_send_ex;
    table.RIOCloseCompletionQueue = &rio_close_completion_queue;
    table.RIOCreateCompletionQueue = &rio_create_completion_queue;
    table.RIOCreateRequestQueue = &rio_create_request_queue;
    table.RIODequeueCompletion = &rio_dequeue_completion;
    table.RIODeregisterBuffer = &rio_deregister_buffer;
    table.RIONotify = &rio_notify;
    table.RIORegisterBuffer = &rio_register_buffer;
    table.RIOResizeCompletionQueue = &rio_resize_completion_queue;
    table.RIOResizeRequestQueue = &rio_resize_request_queue;
    memcpy(out, &table, sizeof(table));
    *returned = sizeof(table);
    return 0;
}
