// wait.cpp: WaitForSingleObject(Ex), WaitForMultipleObjects(Ex), SignalObjectAndWait,
// Sleep, SleepEx.
#include <sched.h>

#include "kernel/handle_table.h"
#include "kernel/sync.h"
#include "kernel/process.h"
#include "kernel/wait.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// References every handle's object, in the array's order (the first bad handle gives the
// error, as in NT's NtWaitForMultipleObjects); on failure releases what it took. Without
// `pseudo_ok` the pseudo handles of the current process and thread are refused there
// (ERROR_INVALID_HANDLE): that wait looks handles up in the handle table itself.
DWORD reference_all(DWORD count, const HANDLE* handles, kernel::Object** objects, bool pseudo_ok)
{
    for (DWORD i = 0; i < count; ++i) {
        DWORD error = ERROR_INVALID_HANDLE;
        bool pseudo = handles[i] == kernel::kCurrentProcessHandle || handles[i] == kernel::kCurrentThreadHandle;
        objects[i] = pseudo && !pseudo_ok
                         ? nullptr
                         : kernel::handle_reference(handles[i], kernel::ObjectType::Any, SYNCHRONIZE, &error);
        if (objects[i] != nullptr && objects[i]->type() == kernel::ObjectType::Section) {
            // Not a waitable object on Windows either: ERROR_INVALID_HANDLE, not a wait
            // that never ends.
            objects[i]->release_reference();
            objects[i] = nullptr;
            error = ERROR_INVALID_HANDLE;
        }
        if (objects[i] == nullptr) {
            for (DWORD j = 0; j < i; ++j) objects[j]->release_reference();
            return error;
        }
    }
    return ERROR_SUCCESS;
}

// The common case of a wait on one object that is already signalled: one lock, no
// references. A wait that is not alertable on a child process waits on the child itself
// (ProcessObject::wait_exit: in poll on its pidfd, as waitpid would). Returns kWaiting
// when the full wait is needed.
DWORD try_satisfy_one(HANDLE handle, bool alertable, const kernel::Deadline& deadline)
{
    DWORD error;
    kernel::Object* object = kernel::handle_lock(handle, kernel::ObjectType::Any, SYNCHRONIZE, &error);
    if (object == nullptr) return kernel::kWaiting;  // the full path reports the error
    if (object->type() == kernel::ObjectType::Section) {  // not waitable: the full path says so
        object->lock.unlock();
        return kernel::kWaiting;
    }
    if (!alertable && object->type() == kernel::ObjectType::Process) {
        object->add_reference();
        object->lock.unlock();
        DWORD result = static_cast<kernel::ProcessObject*>(object)->wait_exit(deadline);
        object->release_reference();
        return result;
    }
    kernel::ThreadState* self = kernel::current_thread();
    if (object->type() == kernel::ObjectType::Event && !object->is_signaled(self) &&
        static_cast<kernel::EventObject*>(object)->deliveries_pending()) {
        // A completion has written its request's result and is about to set this event
        // (kernel/sync.h): the caller may have seen the result already, and on Windows
        // the set came with it. Let the set land first (outside the lock it needs).
        // The full path then looks again, through the handle.
        object->add_reference();
        object->lock.unlock();
        static_cast<kernel::EventObject*>(object)->await_deliveries();
        object->release_reference();
        return kernel::kWaiting;
    }
    DWORD result = kernel::kWaiting;
    if (object->is_signaled(self)) {
        result = object->satisfy_code();
        object->satisfy(self);
    }
    object->lock.unlock();
    return result;
}

// `single`: WaitForSingleObject(Ex), which takes the pseudo handles of the current process
// and thread (a wait on them lasts until the time-out); WaitForMultipleObjects(Ex) refuses
// them with ERROR_INVALID_HANDLE, as Windows does (Wine's kernel32 sync test
// test_WaitForMultipleObjects).
DWORD wait_handles(DWORD count, const HANDLE* handles, BOOL wait_all, DWORD milliseconds, BOOL alertable,
                   bool single)
{
    if (count == 0 || count > MAXIMUM_WAIT_OBJECTS) return fail(ERROR_INVALID_PARAMETER, WAIT_FAILED);
    if (handles == nullptr) return fail(ERROR_NOACCESS, WAIT_FAILED);
    const kernel::Deadline deadline = kernel::Deadline::from_milliseconds(milliseconds);
    if (count == 1 && (single || (handles[0] != kernel::kCurrentProcessHandle &&
                                  handles[0] != kernel::kCurrentThreadHandle))) {
        DWORD result = try_satisfy_one(handles[0], alertable != FALSE, deadline);
        if (result != kernel::kWaiting) return result;
    }
    kernel::Object* objects[MAXIMUM_WAIT_OBJECTS];
    DWORD error = reference_all(count, handles, objects, single);
    if (error != ERROR_SUCCESS) return fail(error, WAIT_FAILED);
    if (wait_all) {
        for (DWORD i = 0; i < count && error == ERROR_SUCCESS; ++i)
            for (DWORD j = i + 1; j < count; ++j)
                if (objects[i] == objects[j]) error = ERROR_INVALID_PARAMETER;
    }
    // As try_satisfy_one: a completion that has written its request's result and is about
    // to set one of these events (kernel/sync.h) sets it before the wait looks, so a
    // caller that saw the result finds the event set, as on Windows.
    for (DWORD i = 0; i < count && error == ERROR_SUCCESS; ++i)
        if (objects[i]->type() == kernel::ObjectType::Event)
            static_cast<kernel::EventObject*>(objects[i])->await_deliveries();
    DWORD result = WAIT_FAILED;
    if (error == ERROR_SUCCESS)
        result = kernel::wait_objects(objects, count, wait_all, deadline, alertable);
    for (DWORD i = 0; i < count; ++i) objects[i]->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, WAIT_FAILED);
    return result;
}

}  // namespace

extern "C" DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return wait_handles(1, &hHandle, FALSE, dwMilliseconds, FALSE, true);
}

extern "C" DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
{
    return wait_handles(1, &hHandle, FALSE, dwMilliseconds, bAlertable, true);
}

extern "C" DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE* lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds)
{
    return wait_handles(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE, false);
}

extern "C" DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE* lpHandles, BOOL bWaitAll,
                                                 DWORD dwMilliseconds, BOOL bAlertable)
{
    return wait_handles(nCount, lpHandles, bWaitAll, dwMilliseconds, bAlertable, false);
}

namespace {

struct SignalRequest {
    ACCESS_MASK granted;
    kernel::ThreadState* self;
};

// SignalObjectAndWait's signal, under the object's lock: what SetEvent, ReleaseSemaphore
// or ReleaseMutex would do, with the right each needs (ERROR_ACCESS_DENIED without).
DWORD signal_one(kernel::Object* signal, kernel::WakeList& wake, void* context)
{
    const SignalRequest* request = static_cast<const SignalRequest*>(context);
    switch (signal->type()) {
    case kernel::ObjectType::Event:
        if (!(request->granted & EVENT_MODIFY_STATE)) return ERROR_ACCESS_DENIED;
        static_cast<kernel::EventObject*>(signal)->set(wake);
        return ERROR_SUCCESS;
    case kernel::ObjectType::Semaphore:
        if (!(request->granted & SEMAPHORE_MODIFY_STATE)) return ERROR_ACCESS_DENIED;
        return static_cast<kernel::SemaphoreObject*>(signal)->release(1, nullptr, wake);
    case kernel::ObjectType::Mutex:
        return static_cast<kernel::MutexObject*>(signal)->release(request->self, wake);
    default:
        return ERROR_INVALID_HANDLE;
    }
}

}  // namespace

extern "C" DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                            DWORD dwMilliseconds, BOOL bAlertable)
{
    // Windows' order: the handle to signal, then the handle to wait on (with SYNCHRONIZE),
    // then the signalled object's type and rights (ReactOS's NtSignalAndWaitForSingleObject;
    // Wine fails a bad signal handle first too).
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* signal =
        kernel::handle_reference_granted(hObjectToSignal, kernel::ObjectType::Any, 0, &granted, &error);
    if (signal == nullptr) return fail(error, WAIT_FAILED);
    kernel::Object* wait_object =
        kernel::handle_reference(hObjectToWaitOn, kernel::ObjectType::Any, SYNCHRONIZE, &error);
    if (wait_object == nullptr) {
        signal->release_reference();
        return fail(error, WAIT_FAILED);
    }
    // As wait_handles: a completion about to set the event to wait on sets it first.
    if (wait_object->type() == kernel::ObjectType::Event)
        static_cast<kernel::EventObject*>(wait_object)->await_deliveries();
    // The signal and the start of the wait are one step, as on Windows: a thread that
    // answers the signal (takes the mutex released, say, and pulses the event waited on)
    // finds this one waiting (kernel::signal_and_wait).
    SignalRequest request{granted, kernel::current_thread()};
    DWORD result = kernel::signal_and_wait(signal, wait_object, kernel::Deadline::from_milliseconds(dwMilliseconds),
                                           bAlertable != FALSE, signal_one, &request, &error);
    signal->release_reference();
    wait_object->release_reference();
    if (result == WAIT_FAILED) return fail(error, WAIT_FAILED);
    return result;
}

extern "C" DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    if (dwMilliseconds == 0 && !bAlertable) {
        sched_yield();
        return 0;
    }
    DWORD result = kernel::wait_objects(nullptr, 0, false, kernel::Deadline::from_milliseconds(dwMilliseconds),
                                        bAlertable);
    if (dwMilliseconds == 0) sched_yield();
    return result == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
}

extern "C" void WINAPI Sleep(DWORD dwMilliseconds) { SleepEx(dwMilliseconds, FALSE); }

extern "C" BOOL WINAPI SwitchToThread(void) { return sched_yield() == 0; }
