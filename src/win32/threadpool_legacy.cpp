// threadpool_legacy.cpp: the thread-pool API before Vista: QueueUserWorkItem,
// BindIoCompletionCallback, RegisterWaitForSingleObject / UnregisterWait(Ex), timer
// queues. Built on the same pool objects as the Vista API (threadpool_internal.h), on the
// default pool; the wait and timer "handles" are those objects' addresses, checked
// against a registry before use.
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/errors.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "kernel/timer.h"
#include "win32/entry.h"
#include "win32/threadpool_internal.h"

using namespace overlapped;
using overlapped::win32::fail;
using namespace overlapped::win32::tp;

namespace {

class LegacyWork final : public CallbackItem {
public:
    LegacyWork(LPTHREAD_START_ROUTINE function, void* context)
        : CallbackItem(read_environment(nullptr), context, false), function_(function)
    {
        simple = true;
    }
    void run(const Packet&, Instance& instance) override
    {
        function_(context);
        finish(instance);
    }

private:
    LPTHREAD_START_ROUTINE function_;
};

class LegacyIo final : public CallbackItem {
public:
    LegacyIo(LPOVERLAPPED_COMPLETION_ROUTINE function)
        : CallbackItem(read_environment(nullptr), nullptr, true), function_(function)
    {
    }
    void run(const Packet& packet, Instance& instance) override
    {
        DWORD error = packet.status == STATUS_SUCCESS ? ERROR_SUCCESS : win32_error_from_ntstatus(packet.status);
        function_(error, packet.bytes, packet.overlapped);
        finish(instance);
    }

private:
    LPOVERLAPPED_COMPLETION_ROUTINE function_;
};

// A registered wait or a queue timer: a callback object whose callback is
// WAITORTIMERCALLBACK(context, fired), run on the pool or inline (WT_EXECUTEIN*THREAD).
class LegacyCallback final : public CallbackItem {
public:
    LegacyCallback(WAITORTIMERCALLBACK callback, void* context, ULONG flags)
        : CallbackItem(read_environment(nullptr), context, false), callback_(callback), flags(flags)
    {
        timer.owner = this;
        wait.owner = this;
        timer.fire = [](kernel::tp::TimerSlot* slot) {
            LegacyCallback* self = static_cast<LegacyCallback*>(slot->owner);
            self->fired.store(TRUE, std::memory_order_relaxed);
            if (self->flags & WT_EXECUTEINTIMERTHREAD)
                self->run_inline();
            else
                self->submit();
        };
        wait.fire = [](kernel::tp::WaitSlot* slot, DWORD result) {
            LegacyCallback* self = static_cast<LegacyCallback*>(slot->owner);
            self->fired.store(result == WAIT_TIMEOUT ? TRUE : FALSE, std::memory_order_relaxed);
            if (self->flags & WT_EXECUTEINWAITTHREAD)
                self->run_inline();
            else
                self->submit();
        };
    }
    ~LegacyCallback() override
    {
        if (wait.object != nullptr) wait.object->release_reference();
    }
    void run(const Packet&, Instance& instance) override
    {
        callback_(context, fired.load(std::memory_order_relaxed));
        finish(instance);
    }
    void shutdown() override
    {
        kernel::tp::timer_disarm(&timer);
        kernel::tp::timer_quiesce(&timer);
        kernel::tp::wait_unregister(&wait);
    }
    WAITORTIMERCALLBACK callback_;
    ULONG flags;
    std::atomic<BOOLEAN> fired{FALSE};
    kernel::tp::TimerSlot timer;
    kernel::tp::WaitSlot wait;
    void* queue = nullptr;  // the timer queue, for timers
};

struct TimerQueue {
    std::vector<LegacyCallback*> timers;
};

// The live wait and timer handles, and timer queues.
// BindIoCompletionCallback's callback objects, one per function, kept for the process.
LegacyIo* io_item_for(LPOVERLAPPED_COMPLETION_ROUTINE function)
{
    static std::mutex mutex;
    static std::unordered_map<LPOVERLAPPED_COMPLETION_ROUTINE, LegacyIo*>* items =
        new std::unordered_map<LPOVERLAPPED_COMPLETION_ROUTINE, LegacyIo*>;  // never destroyed: workers may run at exit
    std::lock_guard<std::mutex> guard(mutex);
    LegacyIo*& item = (*items)[function];
    if (item == nullptr) item = new LegacyIo(function);
    return item;
}

std::mutex registry_mutex;
std::unordered_set<void*>& registry()
{
    static auto* set = new std::unordered_set<void*>();
    return *set;
}
TimerQueue& default_queue()
{
    static TimerQueue* queue = new TimerQueue();
    return *queue;
}

// Takes `item` out of the registry; nullptr if it was not there.
LegacyCallback* take(HANDLE handle)
{
    std::lock_guard<std::mutex> guard(registry_mutex);
    if (handle == nullptr || registry().erase(handle) == 0) return nullptr;
    LegacyCallback* item = static_cast<LegacyCallback*>(handle);
    if (item->queue != nullptr) {
        auto& timers = static_cast<TimerQueue*>(item->queue)->timers;
        for (size_t i = 0; i < timers.size(); ++i) {
            if (timers[i] == item) {
                timers[i] = timers.back();
                timers.pop_back();
                break;
            }
        }
    }
    return item;
}

// Sets `event` once `item`'s callbacks are done, from a pool thread; owns one reference.
void signal_when_done(CallbackItem* item, HANDLE event)
{
    struct Context {
        CallbackItem* item;
        HANDLE event;
    };
    auto* context = new Context{item, event};
    TrySubmitThreadpoolCallback(
        [](PTP_CALLBACK_INSTANCE, PVOID parameter) {
            auto* done = static_cast<Context*>(parameter);
            done->item->wait_callbacks();
            done->item->release();
            SetEvent(done->event);
            delete done;
        },
        context, nullptr);
}

// Ends a registered wait or timer the caller took out of the registry, as
// UnregisterWaitEx / DeleteTimerQueueTimer do with `event` (NULL, INVALID_HANDLE_VALUE
// or an event). A wait's queued callbacks are dropped; a timer's still run: "If the timer
// has already expired, the timer callback function will run to completion", and with no
// event the call reports them: "Those callbacks either will execute or are in the middle
// of executing" (Microsoft Learn, DeleteTimerQueueTimer). Returns the result of the call.
BOOL end_callback(LegacyCallback* item, HANDLE event)
{
    item->shutdown();
    if (item->queue == nullptr) item->cancel_pending();
    // A WT_EXECUTEINWAITTHREAD wait unregistered from its own callback: that callback,
    // on this thread, is not one to wait for (and the wait thread runs no other of the
    // wait's callbacks meanwhile). Windows returns TRUE then (Wine's kernel32 thread.c
    // test_RegisterWaitForSingleObject, unregister_function); from a pool thread's
    // callback the unregistration stays pending (sync.c timer_queue_cb2).
    kernel::tp::Instance* instance = kernel::tp::current_instance();
    bool own_inline = (item->flags & WT_EXECUTEINWAITTHREAD) != 0 && item->queue == nullptr &&
                      instance != nullptr && instance->item == item;
    bool running = !own_inline && !item->idle();
    if (event == INVALID_HANDLE_VALUE) {
        if (!own_inline) item->wait_callbacks();
        item->release();
        return TRUE;
    }
    if (event == nullptr) {
        item->release();
        return running ? fail(ERROR_IO_PENDING, FALSE) : TRUE;
    }
    if (!running) {
        item->release();
        SetEvent(event);
        return TRUE;
    }
    signal_when_done(item, event);
    return fail(ERROR_IO_PENDING, FALSE);
}

}  // namespace

extern "C" BOOL WINAPI QueueUserWorkItem(LPTHREAD_START_ROUTINE Function, PVOID Context, ULONG Flags)
{
    (void)Flags;  // WT_EXECUTELONGFUNCTION & co.: every callback may block here
    if (Function == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    LegacyWork* work = new LegacyWork(Function, Context);
    work->submit();
    work->release();
    return TRUE;
}

extern "C" BOOL WINAPI BindIoCompletionCallback(HANDLE FileHandle, LPOVERLAPPED_COMPLETION_ROUTINE Function,
                                                ULONG Flags)
{
    if (Flags != 0 || Function == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    io::Device* device = io::device_lock(FileHandle, 0, &error);
    if (device == nullptr) return fail(error, FALSE);
    // The binding lasts as long as the handle. Its callback object holds nothing but the
    // function (completions without StartThreadpoolIo count only as running), so every
    // handle bound to the same function shares one, made on first use and kept for the
    // process: a server binding a socket per connection allocates nothing per binding.
    LegacyIo* item = io_item_for(Function);
    Pool* pool = item->pool();
    error = device->bind(pool->port(), reinterpret_cast<ULONG_PTR>(static_cast<Item*>(item)));
    device->lock.unlock();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    pool->ensure_thread();
    return TRUE;
}

extern "C" BOOL WINAPI RegisterWaitForSingleObject(PHANDLE phNewWaitObject, HANDLE hObject,
                                                   WAITORTIMERCALLBACK Callback, PVOID Context,
                                                   ULONG dwMilliseconds, ULONG dwFlags)
{
    if (phNewWaitObject == nullptr || Callback == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    kernel::Object* object = kernel::handle_reference(hObject, kernel::ObjectType::Any, SYNCHRONIZE, &error);
    if (object == nullptr) return fail(error, FALSE);
    LegacyCallback* item = new LegacyCallback(Callback, Context, dwFlags);
    item->wait.object = object;
    item->wait.timeout_ms = dwMilliseconds;
    item->wait.deadline_ns =
        dwMilliseconds == INFINITE ? -1 : kernel::monotonic_now_ns() + int64_t(dwMilliseconds) * 1000000;
    item->wait.repeat = (dwFlags & WT_EXECUTEONLYONCE) == 0;
    {
        std::lock_guard<std::mutex> guard(registry_mutex);
        registry().insert(item);
    }
    *phNewWaitObject = item;
    kernel::tp::wait_register(&item->wait);
    return TRUE;
}

extern "C" BOOL WINAPI UnregisterWaitEx(HANDLE WaitHandle, HANDLE CompletionEvent)
{
    LegacyCallback* item = take(WaitHandle);
    if (item == nullptr || item->queue != nullptr) return fail(ERROR_INVALID_HANDLE, FALSE);
    return end_callback(item, CompletionEvent);
}

extern "C" BOOL WINAPI UnregisterWait(HANDLE WaitHandle) { return UnregisterWaitEx(WaitHandle, nullptr); }

extern "C" HANDLE WINAPI CreateTimerQueue(VOID)
{
    TimerQueue* queue = new TimerQueue();
    std::lock_guard<std::mutex> guard(registry_mutex);
    registry().insert(queue);
    return queue;
}

extern "C" BOOL WINAPI CreateTimerQueueTimer(PHANDLE phNewTimer, HANDLE TimerQueue_, WAITORTIMERCALLBACK Callback,
                                             PVOID Parameter, DWORD DueTime, DWORD Period, ULONG Flags)
{
    if (phNewTimer == nullptr || Callback == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    LegacyCallback* item = new LegacyCallback(Callback, Parameter, Flags);
    {
        std::lock_guard<std::mutex> guard(registry_mutex);
        TimerQueue* queue = TimerQueue_ == nullptr ? &default_queue() : static_cast<TimerQueue*>(TimerQueue_);
        if (TimerQueue_ != nullptr && registry().count(TimerQueue_) == 0) {
            item->release();
            return fail(ERROR_INVALID_HANDLE, FALSE);
        }
        item->queue = queue;
        queue->timers.push_back(item);
        registry().insert(item);
    }
    *phNewTimer = item;
    uint64_t period = (Flags & WT_EXECUTEONLYONCE) ? 0 : uint64_t(Period) * 1000000;
    int64_t now = kernel::monotonic_now_ns();
    if (DueTime == 0 && (Flags & WT_EXECUTEINTIMERTHREAD) == 0) {
        // Due now: its callback is queued before the call returns, so a DeleteTimerQueueTimer
        // right after finds it outstanding and lets it run, as on Windows (Wine's sync.c
        // test_timer_queue, timer t0). A one-shot timer has then expired.
        item->fired.store(TRUE, std::memory_order_relaxed);
        item->submit();
        if (period != 0) kernel::tp::timer_arm(&item->timer, now + int64_t(period), period);
    } else {
        kernel::tp::timer_arm(&item->timer, now + int64_t(DueTime) * 1000000, period);
    }
    return TRUE;
}

extern "C" BOOL WINAPI ChangeTimerQueueTimer(HANDLE TimerQueue_, HANDLE Timer, ULONG DueTime, ULONG Period)
{
    (void)TimerQueue_;
    std::lock_guard<std::mutex> guard(registry_mutex);
    if (Timer == nullptr || registry().count(Timer) == 0) return fail(ERROR_INVALID_HANDLE, FALSE);
    LegacyCallback* item = static_cast<LegacyCallback*>(Timer);
    if (item->queue == nullptr) return fail(ERROR_INVALID_HANDLE, FALSE);
    uint64_t period = (item->flags & WT_EXECUTEONLYONCE) ? 0 : uint64_t(Period) * 1000000;
    // A one-shot timer that has fired (even one whose callback is running now) is not
    // updated, and the call still succeeds: "If you call ChangeTimerQueueTimer on a
    // one-shot timer (its period is zero) that has already expired, the timer is not
    // updated" (Microsoft Learn); Wine's sync.c test_timer_queue (timer_queue_cb4).
    kernel::tp::timer_rearm(&item->timer, kernel::monotonic_now_ns() + int64_t(DueTime) * 1000000, period);
    return TRUE;
}

extern "C" BOOL WINAPI DeleteTimerQueueTimer(HANDLE TimerQueue_, HANDLE Timer, HANDLE CompletionEvent)
{
    (void)TimerQueue_;
    LegacyCallback* item = take(Timer);
    if (item == nullptr || item->queue == nullptr) return fail(ERROR_INVALID_HANDLE, FALSE);
    return end_callback(item, CompletionEvent);
}

extern "C" BOOL WINAPI DeleteTimerQueueEx(HANDLE TimerQueue_, HANDLE CompletionEvent)
{
    std::vector<LegacyCallback*> timers;
    TimerQueue* queue = static_cast<TimerQueue*>(TimerQueue_);
    {
        std::lock_guard<std::mutex> guard(registry_mutex);
        if (TimerQueue_ == nullptr || registry().erase(TimerQueue_) == 0) return fail(ERROR_INVALID_HANDLE, FALSE);
        timers.swap(queue->timers);
        for (LegacyCallback* item : timers) registry().erase(item);
    }
    delete queue;
    for (LegacyCallback* item : timers) {
        item->shutdown();
        item->cancel_pending();
    }
    if (CompletionEvent == INVALID_HANDLE_VALUE) {
        for (LegacyCallback* item : timers) {
            item->wait_callbacks();
            item->release();
        }
        return TRUE;
    }
    if (CompletionEvent == nullptr) {
        for (LegacyCallback* item : timers) item->release();
        return TRUE;
    }
    // Signal the event once every timer's callbacks are done.
    struct Context {
        std::vector<LegacyCallback*> timers;
        HANDLE event;
    };
    auto* context = new Context{std::move(timers), CompletionEvent};
    TrySubmitThreadpoolCallback(
        [](PTP_CALLBACK_INSTANCE, PVOID parameter) {
            auto* done = static_cast<Context*>(parameter);
            for (LegacyCallback* item : done->timers) {
                item->wait_callbacks();
                item->release();
            }
            SetEvent(done->event);
            delete done;
        },
        context, nullptr);
    return TRUE;
}

extern "C" BOOL WINAPI DeleteTimerQueue(HANDLE TimerQueue_) { return DeleteTimerQueueEx(TimerQueue_, nullptr); }
