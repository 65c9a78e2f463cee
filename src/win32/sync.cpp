// sync.cpp: CreateEvent/Semaphore/Mutex/WaitableTimer (A, W, Ex), Open*, and the
// operations on each.
#include <functional>

#include "kernel/handle_table.h"
#include "kernel/names.h"
#include "kernel/sync.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "win32/entry.h"
#include "win32/named.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;
using overlapped::win32::Name;
using overlapped::win32::create_object;
using overlapped::win32::open_object;
using overlapped::win32::name_from;

namespace {

// ---- events

HANDLE create_event(const Name& name, DWORD flags, ACCESS_MASK access)
{
    return create_object(name, kernel::ObjectType::Event, access, [flags] {
        return kernel::EventObject::create(flags & CREATE_EVENT_MANUAL_RESET,
                                           flags & CREATE_EVENT_INITIAL_SET);
    });
}

DWORD event_flags(BOOL manual, BOOL initial)
{
    return (manual ? CREATE_EVENT_MANUAL_RESET : 0) | (initial ? CREATE_EVENT_INITIAL_SET : 0);
}

template <class Operation>
BOOL with_event(HANDLE handle, Operation operation)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_lock(handle, kernel::ObjectType::Event, EVENT_MODIFY_STATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    {
        kernel::WakeList wake;
        operation(static_cast<kernel::EventObject*>(object), wake);
        object->lock.unlock();
    }
    return TRUE;
}

// ---- semaphores

HANDLE create_semaphore(const Name& name, LONG initial, LONG maximum, ACCESS_MASK access)
{
    if (name.error != ERROR_SUCCESS) return fail(name.error, HANDLE(nullptr));  // the A conversion comes first
    if (maximum <= 0 || initial < 0 || initial > maximum)
        return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    return create_object(name, kernel::ObjectType::Semaphore, access, [initial, maximum] {
        return kernel::SemaphoreObject::create(initial, maximum);
    });
}

// ---- mutexes

HANDLE create_mutex(const Name& name, BOOL initial_owner, ACCESS_MASK access)
{
    kernel::ThreadState* self = kernel::current_thread();
    return create_object(name, kernel::ObjectType::Mutex, access, [&] {
        return kernel::MutexObject::create(initial_owner ? self : nullptr);
    });
}

// ---- timers

HANDLE create_timer(const Name& name, BOOL manual_reset, ACCESS_MASK access)
{
    return create_object(name, kernel::ObjectType::Timer, access,
                         [manual_reset] { return kernel::TimerObject::create(manual_reset); });
}

}  // namespace

// ---- events

extern "C" HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES attributes, BOOL bManualReset, BOOL bInitialState,
                                      LPCSTR lpName)
{
    return create_event(name_from(lpName, attributes), event_flags(bManualReset, bInitialState), EVENT_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES attributes, BOOL bManualReset, BOOL bInitialState,
                                      LPCWSTR lpName)
{
    return create_event(name_from(lpName, attributes), event_flags(bManualReset, bInitialState), EVENT_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES attributes, LPCSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    return create_event(name_from(lpName, attributes), dwFlags, dwDesiredAccess);
}

extern "C" HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES attributes, LPCWSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    return create_event(name_from(lpName, attributes), dwFlags, dwDesiredAccess);
}

extern "C" HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Event, dwDesiredAccess, bInheritHandle);
}

extern "C" HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Event, dwDesiredAccess, bInheritHandle);
}

extern "C" BOOL WINAPI SetEvent(HANDLE hEvent)
{
    return with_event(hEvent, [](kernel::EventObject* event, kernel::WakeList& wake) { event->set(wake); });
}

extern "C" BOOL WINAPI ResetEvent(HANDLE hEvent)
{
    // A completion still on its way to set this event (its result already written, so the
    // caller may have seen it) sets it first: its set is not left to undo this reset.
    DWORD error;
    kernel::Object* object = kernel::handle_reference(hEvent, kernel::ObjectType::Event, EVENT_MODIFY_STATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    static_cast<kernel::EventObject*>(object)->reset_after_deliveries();
    object->release_reference();
    return TRUE;
}

extern "C" BOOL WINAPI PulseEvent(HANDLE hEvent)
{
    return with_event(hEvent, [](kernel::EventObject* event, kernel::WakeList& wake) { event->pulse(wake); });
}

// ---- semaphores

extern "C" HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES attributes, LONG lInitialCount, LONG lMaximumCount,
                                          LPCSTR lpName)
{
    return create_semaphore(name_from(lpName, attributes), lInitialCount, lMaximumCount, SEMAPHORE_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES attributes, LONG lInitialCount, LONG lMaximumCount,
                                          LPCWSTR lpName)
{
    return create_semaphore(name_from(lpName, attributes), lInitialCount, lMaximumCount, SEMAPHORE_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES attributes, LONG lInitialCount, LONG lMaximumCount,
                                            LPCSTR lpName, DWORD, DWORD dwDesiredAccess)
{
    return create_semaphore(name_from(lpName, attributes), lInitialCount, lMaximumCount, dwDesiredAccess);
}

extern "C" HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES attributes, LONG lInitialCount, LONG lMaximumCount,
                                            LPCWSTR lpName, DWORD, DWORD dwDesiredAccess)
{
    return create_semaphore(name_from(lpName, attributes), lInitialCount, lMaximumCount, dwDesiredAccess);
}

extern "C" HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Semaphore, dwDesiredAccess, bInheritHandle);
}

extern "C" HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Semaphore, dwDesiredAccess, bInheritHandle);
}

extern "C" BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_lock(hSemaphore, kernel::ObjectType::Semaphore, SEMAPHORE_MODIFY_STATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    if (lReleaseCount <= 0) {
        object->lock.unlock();
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    kernel::WakeList wake;
    error = static_cast<kernel::SemaphoreObject*>(object)->release(lReleaseCount, lpPreviousCount, wake);
    object->lock.unlock();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// ---- mutexes

extern "C" HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES attributes, BOOL bInitialOwner, LPCSTR lpName)
{
    return create_mutex(name_from(lpName, attributes), bInitialOwner, MUTEX_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES attributes, BOOL bInitialOwner, LPCWSTR lpName)
{
    return create_mutex(name_from(lpName, attributes), bInitialOwner, MUTEX_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES attributes, LPCSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    return create_mutex(name_from(lpName, attributes), (dwFlags & CREATE_MUTEX_INITIAL_OWNER) != 0, dwDesiredAccess);
}

extern "C" HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES attributes, LPCWSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    return create_mutex(name_from(lpName, attributes), (dwFlags & CREATE_MUTEX_INITIAL_OWNER) != 0, dwDesiredAccess);
}

extern "C" HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Mutex, dwDesiredAccess, bInheritHandle);
}

extern "C" HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return open_object(name_from(lpName), kernel::ObjectType::Mutex, dwDesiredAccess, bInheritHandle);
}

extern "C" BOOL WINAPI ReleaseMutex(HANDLE hMutex)
{
    kernel::ThreadState* self = kernel::current_thread();
    DWORD error;
    kernel::Object* object = kernel::handle_lock(hMutex, kernel::ObjectType::Mutex, 0, &error);
    if (object == nullptr) return fail(error, FALSE);
    kernel::WakeList wake;
    error = static_cast<kernel::MutexObject*>(object)->release(self, wake);
    object->lock.unlock();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// ---- waitable timers

extern "C" HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES attributes, BOOL bManualReset, LPCSTR lpTimerName)
{
    return create_timer(name_from(lpTimerName, attributes), bManualReset, TIMER_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES attributes, BOOL bManualReset, LPCWSTR lpTimerName)
{
    return create_timer(name_from(lpTimerName, attributes), bManualReset, TIMER_ALL_ACCESS);
}

extern "C" HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES attributes, LPCSTR lpTimerName, DWORD dwFlags,
                                                DWORD dwDesiredAccess)
{
    return create_timer(name_from(lpTimerName, attributes), (dwFlags & CREATE_WAITABLE_TIMER_MANUAL_RESET) != 0,
                        dwDesiredAccess);
}

extern "C" HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES attributes, LPCWSTR lpTimerName, DWORD dwFlags,
                                                DWORD dwDesiredAccess)
{
    return create_timer(name_from(lpTimerName, attributes), (dwFlags & CREATE_WAITABLE_TIMER_MANUAL_RESET) != 0,
                        dwDesiredAccess);
}

extern "C" HANDLE WINAPI OpenWaitableTimerA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpTimerName)
{
    return open_object(name_from(lpTimerName), kernel::ObjectType::Timer, dwDesiredAccess, bInheritHandle);
}

extern "C" HANDLE WINAPI OpenWaitableTimerW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpTimerName)
{
    return open_object(name_from(lpTimerName), kernel::ObjectType::Timer, dwDesiredAccess, bInheritHandle);
}

extern "C" BOOL WINAPI SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER* lpDueTime, LONG lPeriod,
                                        PTIMERAPCROUTINE pfnCompletionRoutine,
                                        LPVOID lpArgToCompletionRoutine, BOOL)
{
    if (lpDueTime == nullptr) return fail(ERROR_NOACCESS, FALSE);
    if (lPeriod < 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    kernel::ThreadState* self = kernel::current_thread();
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hTimer, kernel::ObjectType::Timer, TIMER_MODIFY_STATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    // Negative: relative, in 100 ns units. Positive: absolute FILETIME (UTC); converted to
    // a monotonic deadline now (a later change of the wall clock is not followed).
    int64_t due = kernel::monotonic_from_due_time(lpDueTime->QuadPart);
    static_cast<kernel::TimerObject*>(object)->arm(due, lPeriod, pfnCompletionRoutine,
                                                   lpArgToCompletionRoutine, self);
    object->release_reference();
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// SetWaitableTimer with a wake context (the power request's reason: the timer may wake a
// sleeping machine, as fResume asks) and a tolerable delay (how late the system may let it
// fire to coalesce it with other timers). Neither changes what a program sees here: the
// machine is never put to sleep by us, and a timer that fires on time is within any
// tolerance (docs/win32-status.md).
extern "C" BOOL WINAPI SetWaitableTimerEx(HANDLE hTimer, const LARGE_INTEGER* lpDueTime, LONG lPeriod,
                                          PTIMERAPCROUTINE pfnCompletionRoutine, LPVOID lpArgToCompletionRoutine,
                                          PREASON_CONTEXT WakeContext, ULONG)
{
    return SetWaitableTimer(hTimer, lpDueTime, lPeriod, pfnCompletionRoutine, lpArgToCompletionRoutine,
                            WakeContext != nullptr);
}

extern "C" BOOL WINAPI CancelWaitableTimer(HANDLE hTimer)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hTimer, kernel::ObjectType::Timer, TIMER_MODIFY_STATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    static_cast<kernel::TimerObject*>(object)->cancel();
    object->release_reference();
    return TRUE;
}
