// threadpool.cpp: the thread-pool API (CreateThreadpool*, callback environments, cleanup
// groups, the callback instance): thin entry points over kernel/threadpool.h.
#include <cstring>
#include <ctime>
#include <vector>

#include "common/errors.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "kernel/timer.h"
#include "win32/entry.h"
#include "win32/threadpool_internal.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;
using namespace overlapped::win32::tp;

namespace overlapped::win32::tp {

Environment read_environment(const TP_CALLBACK_ENVIRON* environment)
{
    Environment result;
    if (environment != nullptr) {
        result.pool = reinterpret_cast<Pool*>(environment->Pool);
        result.group = reinterpret_cast<Group*>(environment->CleanupGroup);
        result.cancel_callback = environment->CleanupGroupCancelCallback;
        result.finalization = environment->FinalizationCallback;
    }
    if (result.pool == nullptr) result.pool = Pool::default_pool();
    return result;
}

bool environment_valid(const TP_CALLBACK_ENVIRON* environment)
{
    if (environment == nullptr) return true;
    // Since Windows 7 the objects' allocators reject a version they do not know (Wine's
    // ntdll test_tp_simple: 9999 gives STATUS_INVALID_PARAMETER) and, in a version 3
    // environment, a priority other than high, normal and low (test_tp_simple: 10;
    // Wine's msvcp140_atomic_wait test: CreateThreadpoolWork with
    // TP_CALLBACK_PRIORITY_INVALID fails with ERROR_INVALID_PARAMETER).
    if (environment->Version > 3) return false;
    if (environment->Version == 3) {
        // Read as the DWORD it is: a value outside the enumeration must not be loaded as one.
        DWORD priority;
        std::memcpy(&priority, &environment->CallbackPriority, sizeof(priority));
        if (priority > DWORD(TP_CALLBACK_PRIORITY_LOW)) return false;
    }
    return true;
}

CallbackItem::CallbackItem(const Environment& environment_, void* context_, bool is_io)
    : Item(environment_.pool, is_io), context(context_), environment(environment_)
{
    if (environment.group != nullptr) {
        environment.group->references.fetch_add(1, std::memory_order_relaxed);
        environment.group->add(this);
    }
}

CallbackItem::~CallbackItem()
{
    if (environment.group != nullptr) {
        environment.group->remove(this);
        environment.group->release();
    }
}

void CallbackItem::close()
{
    if (closed.exchange(true, std::memory_order_acq_rel)) return;  // the group closed it
    shutdown();
    if (environment.group != nullptr) environment.group->remove(this);  // closed by itself: leaves
    release();
}

void CallbackItem::finish(Instance& instance)
{
    if (environment.finalization != nullptr)
        environment.finalization(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context);
    if (instance.event != nullptr) SetEvent(instance.event);
    if (instance.semaphore != nullptr) ReleaseSemaphore(instance.semaphore, instance.semaphore_count, nullptr);
    if (instance.mutex != nullptr) ReleaseMutex(instance.mutex);
    if (instance.critical_section != nullptr)
        LeaveCriticalSection(static_cast<CRITICAL_SECTION*>(instance.critical_section));
}

void Group::add(Item* item)
{
    std::lock_guard<std::mutex> guard(mutex);
    item->group = this;
    item->group_prev = nullptr;
    item->group_next = head;
    if (head != nullptr) head->group_prev = item;
    head = item;
}

void Group::remove(Item* item)
{
    std::lock_guard<std::mutex> guard(mutex);
    if (item->group != this) return;
    if (item->group_prev != nullptr)
        item->group_prev->group_next = item->group_next;
    else
        head = item->group_next;
    if (item->group_next != nullptr) item->group_next->group_prev = item->group_prev;
    item->group = nullptr;
    item->group_prev = item->group_next = nullptr;
}

int64_t monotonic_from_filetime(const FILETIME* time)
{
    return kernel::monotonic_from_due_time(
        static_cast<int64_t>((uint64_t(time->dwHighDateTime) << 32) | time->dwLowDateTime));
}

}  // namespace overlapped::win32::tp

namespace {

class Work final : public CallbackItem {
public:
    Work(const Environment& environment, void* context, PTP_WORK_CALLBACK callback)
        : CallbackItem(environment, context, false), callback_(callback)
    {
    }
    void run(const Packet&, Instance& instance) override
    {
        callback_(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context, reinterpret_cast<PTP_WORK>(this));
        finish(instance);
    }

private:
    PTP_WORK_CALLBACK callback_;
};

class Simple final : public CallbackItem {
public:
    Simple(const Environment& environment, void* context, PTP_SIMPLE_CALLBACK callback)
        : CallbackItem(environment, context, false), callback_(callback)
    {
        simple = true;
    }
    void run(const Packet&, Instance& instance) override
    {
        callback_(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context);
        finish(instance);
    }

private:
    PTP_SIMPLE_CALLBACK callback_;
};

class Timer final : public CallbackItem {
public:
    Timer(const Environment& environment, void* context, PTP_TIMER_CALLBACK callback)
        : CallbackItem(environment, context, false), callback_(callback)
    {
        slot.owner = this;
        slot.fire = [](kernel::tp::TimerSlot* fired) { static_cast<Timer*>(fired->owner)->submit(); };
    }
    void run(const Packet&, Instance& instance) override
    {
        callback_(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context, reinterpret_cast<PTP_TIMER>(this));
        finish(instance);
    }
    void shutdown() override
    {
        kernel::tp::timer_disarm(&slot);
        kernel::tp::timer_quiesce(&slot);
        set.store(false, std::memory_order_relaxed);
    }
    kernel::tp::TimerSlot slot;
    std::atomic<bool> set{false};

private:
    PTP_TIMER_CALLBACK callback_;
};

class Wait final : public CallbackItem {
public:
    Wait(const Environment& environment, void* context, PTP_WAIT_CALLBACK callback)
        : CallbackItem(environment, context, false), callback_(callback)
    {
        slot.owner = this;
        slot.fire = [](kernel::tp::WaitSlot* fired, DWORD result) {
            Wait* wait = static_cast<Wait*>(fired->owner);
            wait->result.store(result, std::memory_order_relaxed);
            wait->submit();
        };
    }
    ~Wait() override { drop_object(); }
    void run(const Packet&, Instance& instance) override
    {
        callback_(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context, reinterpret_cast<PTP_WAIT>(this),
                  result.load(std::memory_order_relaxed));
        finish(instance);
    }
    void shutdown() override
    {
        std::lock_guard<std::mutex> guard(mutex);
        kernel::tp::wait_unregister(&slot);
        drop_object();
    }
    void drop_object()
    {
        if (slot.object != nullptr) slot.object->release_reference();
        slot.object = nullptr;
    }
    std::mutex mutex;  // SetThreadpoolWait against itself and close
    kernel::tp::WaitSlot slot;
    std::atomic<DWORD> result{WAIT_OBJECT_0};

private:
    PTP_WAIT_CALLBACK callback_;
};

class Io final : public CallbackItem {
public:
    Io(const Environment& environment, void* context, PTP_WIN32_IO_CALLBACK callback)
        : CallbackItem(environment, context, true), callback_(callback)
    {
    }
    void run(const Packet& packet, Instance& instance) override
    {
        ULONG result = packet.status == STATUS_SUCCESS ? ERROR_SUCCESS : win32_error_from_ntstatus(packet.status);
        callback_(reinterpret_cast<PTP_CALLBACK_INSTANCE>(&instance), context, packet.overlapped, result,
                  packet.bytes, reinterpret_cast<PTP_IO>(this));
        finish(instance);
    }

private:
    PTP_WIN32_IO_CALLBACK callback_;
};

template <class T>
T* item_of(void* object)
{
    return static_cast<T*>(static_cast<CallbackItem*>(static_cast<Item*>(object)));
}

Instance* instance_of(PTP_CALLBACK_INSTANCE instance) { return reinterpret_cast<Instance*>(instance); }

}  // namespace

// ---------------------------------------------------------------- pools

extern "C" PTP_POOL WINAPI CreateThreadpool(PVOID reserved)
{
    if (reserved != nullptr) return fail(ERROR_INVALID_PARAMETER, PTP_POOL(nullptr));
    return reinterpret_cast<PTP_POOL>(Pool::create());
}

extern "C" VOID WINAPI CloseThreadpool(PTP_POOL ptpp)
{
    if (ptpp != nullptr) reinterpret_cast<Pool*>(ptpp)->release();
}

extern "C" VOID WINAPI SetThreadpoolThreadMaximum(PTP_POOL ptpp, DWORD cthrdMost)
{
    if (ptpp != nullptr) reinterpret_cast<Pool*>(ptpp)->set_maximum(cthrdMost);
}

extern "C" BOOL WINAPI SetThreadpoolThreadMinimum(PTP_POOL ptpp, DWORD cthrdMic)
{
    if (ptpp == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!reinterpret_cast<Pool*>(ptpp)->set_minimum(cthrdMic)) return fail(ERROR_NOT_ENOUGH_MEMORY, FALSE);
    return TRUE;
}

// ---------------------------------------------------------------- cleanup groups

extern "C" PTP_CLEANUP_GROUP WINAPI CreateThreadpoolCleanupGroup(VOID)
{
    return reinterpret_cast<PTP_CLEANUP_GROUP>(new Group());
}

extern "C" VOID WINAPI CloseThreadpoolCleanupGroupMembers(PTP_CLEANUP_GROUP ptpcg, BOOL fCancelPendingCallbacks,
                                                         PVOID pvCleanupContext)
{
    if (ptpcg == nullptr) return;
    Group* group = reinterpret_cast<Group*>(ptpcg);
    std::vector<CallbackItem*> members;
    {
        std::lock_guard<std::mutex> guard(group->mutex);
        for (Item* item = group->head; item != nullptr;) {
            Item* next = item->group_next;
            // (An item whose last reference went is being freed: it only leaves.)
            if (item->try_add_reference()) members.push_back(static_cast<CallbackItem*>(item));
            item->group = nullptr;
            item->group_prev = item->group_next = nullptr;
            item = next;
        }
        group->head = nullptr;
    }
    // Oldest first, as they joined.
    std::vector<bool> told(members.size(), false);
    for (size_t i = members.size(); i-- > 0;) {
        CallbackItem* item = members[i];
        item->shutdown();
        // The cancel callback is for every object the group releases (work, timer, wait,
        // I/O: "called if the cleanup group is canceled before the associated object is
        // released", Microsoft Learn, SetThreadpoolCallbackCleanupGroup), whether or not
        // it had callbacks pending; a simple callback only if it had not started.
        if (fCancelPendingCallbacks) told[i] = item->cancel_pending() != 0 || !item->simple;
    }
    for (size_t i = members.size(); i-- > 0;) {
        CallbackItem* item = members[i];
        item->wait_callbacks();
        // Disassociated callbacks too: WaitForThreadpool*Callbacks no longer waits for
        // them, but closing the group does (Wine's ntdll test_tp_disassociate).
        item->wait_detached();
        // An object its own callback closed meanwhile is gone for the program: no cancel
        // callback, and its reference was released by that close (Wine's ntdll
        // test_tp_group_wait and test_tp_group_cancel).
        bool closed_by_program = !item->simple && item->closed.exchange(true, std::memory_order_acq_rel);
        // After the object's running callbacks have returned (Wine's test_tp_group_cancel).
        if (told[i] && !closed_by_program && item->environment.cancel_callback != nullptr)
            item->environment.cancel_callback(item->context, pvCleanupContext);
        if (!item->simple && !closed_by_program) item->release();  // the object's own reference: closed
        item->release();
    }
}

extern "C" VOID WINAPI CloseThreadpoolCleanupGroup(PTP_CLEANUP_GROUP ptpcg)
{
    if (ptpcg == nullptr) return;
    Group* group = reinterpret_cast<Group*>(ptpcg);
    // Members left (not closed by CloseThreadpoolCleanupGroupMembers) leave the group.
    {
        std::lock_guard<std::mutex> guard(group->mutex);
        for (Item* item = group->head; item != nullptr;) {
            Item* next = item->group_next;
            item->group = nullptr;
            item->group_prev = item->group_next = nullptr;
            item = next;
        }
        group->head = nullptr;
    }
    group->release();  // freed once no object made with it is left
}

// ---------------------------------------------------------------- work

extern "C" PTP_WORK WINAPI CreateThreadpoolWork(PTP_WORK_CALLBACK pfnwk, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    if (pfnwk == nullptr || !environment_valid(pcbe)) return fail(ERROR_INVALID_PARAMETER, PTP_WORK(nullptr));
    Item* work = new Work(read_environment(pcbe), pv, pfnwk);
    return reinterpret_cast<PTP_WORK>(work);
}

extern "C" VOID WINAPI SubmitThreadpoolWork(PTP_WORK pwk)
{
    if (pwk != nullptr) reinterpret_cast<Item*>(pwk)->submit();
}

extern "C" VOID WINAPI WaitForThreadpoolWorkCallbacks(PTP_WORK pwk, BOOL fCancelPendingCallbacks)
{
    if (pwk == nullptr) return;
    Item* work = reinterpret_cast<Item*>(pwk);
    if (fCancelPendingCallbacks) work->cancel_pending();
    work->wait_callbacks();
}

extern "C" VOID WINAPI CloseThreadpoolWork(PTP_WORK pwk)
{
    if (pwk != nullptr) item_of<CallbackItem>(pwk)->close();
}

extern "C" BOOL WINAPI TrySubmitThreadpoolCallback(PTP_SIMPLE_CALLBACK pfns, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    if (pfns == nullptr || !environment_valid(pcbe)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    Simple* simple = new Simple(read_environment(pcbe), pv, pfns);
    simple->submit();
    simple->release();  // lives on while its callback is pending or running
    return TRUE;
}

// ---------------------------------------------------------------- timers

namespace {

bool set_timer(PTP_TIMER pti, PFILETIME pftDueTime, DWORD msPeriod)
{
    Timer* timer = item_of<Timer>(pti);
    if (pftDueTime == nullptr) {
        bool was = kernel::tp::timer_disarm(&timer->slot);
        timer->set.store(false, std::memory_order_relaxed);
        return was;
    }
    int64_t due = monotonic_from_filetime(pftDueTime);
    bool was = kernel::tp::timer_disarm(&timer->slot);
    timer->set.store(true, std::memory_order_relaxed);
    kernel::tp::timer_arm(&timer->slot, due, uint64_t(msPeriod) * 1000000);
    return was;
}

}  // namespace

extern "C" PTP_TIMER WINAPI CreateThreadpoolTimer(PTP_TIMER_CALLBACK pfnti, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    if (pfnti == nullptr || !environment_valid(pcbe)) return fail(ERROR_INVALID_PARAMETER, PTP_TIMER(nullptr));
    Item* timer = new Timer(read_environment(pcbe), pv, pfnti);
    return reinterpret_cast<PTP_TIMER>(timer);
}

extern "C" VOID WINAPI SetThreadpoolTimer(PTP_TIMER pti, PFILETIME pftDueTime, DWORD msPeriod, DWORD msWindowLength)
{
    (void)msWindowLength;  // callbacks fire at the due time (within any window)
    if (pti != nullptr) set_timer(pti, pftDueTime, msPeriod);
}

extern "C" BOOL WINAPI SetThreadpoolTimerEx(PTP_TIMER pti, PFILETIME pftDueTime, DWORD msPeriod,
                                           DWORD msWindowLength)
{
    (void)msWindowLength;
    if (pti == nullptr) return FALSE;
    return set_timer(pti, pftDueTime, msPeriod) ? TRUE : FALSE;
}

extern "C" BOOL WINAPI IsThreadpoolTimerSet(PTP_TIMER pti)
{
    if (pti == nullptr) return FALSE;
    return item_of<Timer>(pti)->set.load(std::memory_order_relaxed) ? TRUE : FALSE;
}

extern "C" VOID WINAPI WaitForThreadpoolTimerCallbacks(PTP_TIMER pti, BOOL fCancelPendingCallbacks)
{
    if (pti == nullptr) return;
    Item* timer = reinterpret_cast<Item*>(pti);
    if (fCancelPendingCallbacks) timer->cancel_pending();
    timer->wait_callbacks();
}

extern "C" VOID WINAPI CloseThreadpoolTimer(PTP_TIMER pti)
{
    if (pti != nullptr) item_of<CallbackItem>(pti)->close();
}

// ---------------------------------------------------------------- waits

namespace {

bool set_wait(PTP_WAIT pwa, HANDLE h, PFILETIME pftTimeout)
{
    Wait* wait = item_of<Wait>(pwa);
    std::lock_guard<std::mutex> guard(wait->mutex);
    bool was = kernel::tp::wait_unregister(&wait->slot);
    wait->drop_object();
    if (h == nullptr) return was;
    DWORD error;
    // An object that cannot be waited on (the process pseudo-handle is never signalled
    // while the process runs) leaves only the timeout.
    wait->slot.object = kernel::handle_reference(h, kernel::ObjectType::Any, SYNCHRONIZE, &error);
    wait->slot.deadline_ns = pftTimeout == nullptr ? -1 : monotonic_from_filetime(pftTimeout);
    wait->slot.repeat = false;
    kernel::tp::wait_register(&wait->slot);
    return was;
}

}  // namespace

extern "C" PTP_WAIT WINAPI CreateThreadpoolWait(PTP_WAIT_CALLBACK pfnwa, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    if (pfnwa == nullptr || !environment_valid(pcbe)) return fail(ERROR_INVALID_PARAMETER, PTP_WAIT(nullptr));
    Item* wait = new Wait(read_environment(pcbe), pv, pfnwa);
    return reinterpret_cast<PTP_WAIT>(wait);
}

extern "C" VOID WINAPI SetThreadpoolWait(PTP_WAIT pwa, HANDLE h, PFILETIME pftTimeout)
{
    if (pwa != nullptr) set_wait(pwa, h, pftTimeout);
}

extern "C" BOOL WINAPI SetThreadpoolWaitEx(PTP_WAIT pwa, HANDLE h, PFILETIME pftTimeout, PVOID Reserved)
{
    (void)Reserved;
    if (pwa == nullptr) return FALSE;
    return set_wait(pwa, h, pftTimeout) ? TRUE : FALSE;
}

extern "C" VOID WINAPI WaitForThreadpoolWaitCallbacks(PTP_WAIT pwa, BOOL fCancelPendingCallbacks)
{
    if (pwa == nullptr) return;
    Item* wait = reinterpret_cast<Item*>(pwa);
    if (fCancelPendingCallbacks) wait->cancel_pending();
    wait->wait_callbacks();
}

extern "C" VOID WINAPI CloseThreadpoolWait(PTP_WAIT pwa)
{
    if (pwa != nullptr) item_of<CallbackItem>(pwa)->close();
}

// ---------------------------------------------------------------- I/O

extern "C" PTP_IO WINAPI CreateThreadpoolIo(HANDLE fl, PTP_WIN32_IO_CALLBACK pfnio, PVOID pv,
                                           PTP_CALLBACK_ENVIRON pcbe)
{
    if (pfnio == nullptr || !environment_valid(pcbe)) return fail(ERROR_INVALID_PARAMETER, PTP_IO(nullptr));
    Environment environment = read_environment(pcbe);
    DWORD error;
    io::Device* device = io::device_lock(fl, 0, &error);
    if (device == nullptr) return fail(error, PTP_IO(nullptr));
    Io* item = new Io(environment, pv, pfnio);
    error = device->bind(environment.pool->port(), reinterpret_cast<ULONG_PTR>(static_cast<Item*>(item)));
    device->lock.unlock();
    if (error != ERROR_SUCCESS) {
        item->close();
        return fail(error, PTP_IO(nullptr));
    }
    environment.pool->ensure_thread();
    return reinterpret_cast<PTP_IO>(static_cast<Item*>(item));
}

extern "C" VOID WINAPI StartThreadpoolIo(PTP_IO pio)
{
    if (pio != nullptr) reinterpret_cast<Item*>(pio)->io_start();
}

extern "C" VOID WINAPI CancelThreadpoolIo(PTP_IO pio)
{
    if (pio != nullptr) reinterpret_cast<Item*>(pio)->io_cancel();
}

extern "C" VOID WINAPI WaitForThreadpoolIoCallbacks(PTP_IO pio, BOOL fCancelPendingCallbacks)
{
    if (pio == nullptr) return;
    Item* io = reinterpret_cast<Item*>(pio);
    if (fCancelPendingCallbacks) io->cancel_pending();
    io->wait_callbacks();
}

extern "C" VOID WINAPI CloseThreadpoolIo(PTP_IO pio)
{
    if (pio != nullptr) item_of<CallbackItem>(pio)->close();
}

// ---------------------------------------------------------------- the callback instance

extern "C" BOOL WINAPI CallbackMayRunLong(PTP_CALLBACK_INSTANCE pci)
{
    Instance* instance = instance_of(pci);
    if (instance == nullptr) return FALSE;
    instance->may_run_long = true;
    if (!instance->pool->may_run_long()) return FALSE;
    return TRUE;
}

extern "C" VOID WINAPI SetEventWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, HANDLE evt)
{
    if (pci != nullptr) instance_of(pci)->event = evt;
}

extern "C" VOID WINAPI ReleaseSemaphoreWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, HANDLE sem, DWORD crel)
{
    if (pci == nullptr) return;
    instance_of(pci)->semaphore = sem;
    instance_of(pci)->semaphore_count = static_cast<LONG>(crel);
}

extern "C" VOID WINAPI ReleaseMutexWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, HANDLE mut)
{
    if (pci != nullptr) instance_of(pci)->mutex = mut;
}

extern "C" VOID WINAPI LeaveCriticalSectionWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, PCRITICAL_SECTION pcs)
{
    if (pci != nullptr) instance_of(pci)->critical_section = pcs;
}

extern "C" VOID WINAPI FreeLibraryWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, HMODULE mod)
{
    (void)pci;
    (void)mod;
    set_last_error(ERROR_CALL_NOT_IMPLEMENTED);  // no DLLs to unload here
}

extern "C" VOID WINAPI DisassociateCurrentThreadFromCallback(PTP_CALLBACK_INSTANCE pci)
{
    Instance* instance = instance_of(pci);
    if (instance == nullptr || instance != kernel::tp::current_instance() || instance->disassociated) return;
    instance->disassociated = true;
    instance->item->disassociate();
}
