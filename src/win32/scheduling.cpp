// scheduling.cpp: thread and process times (GetThreadTimes, GetProcessTimes), priorities
// (Get/SetThreadPriority, Get/SetPriorityClass) and processor affinity (the first 64
// processors: a DWORD_PTR mask, as a Windows process outside processor groups sees).
//
// Priorities become Linux nice values, a thread's own: the process's class gives a base
// (IDLE 19, BELOW_NORMAL 10, NORMAL 0, ABOVE_NORMAL -5, HIGH -10, REALTIME -20) and the
// thread's priority an offset from it (LOWEST +8, BELOW_NORMAL +4, ABOVE_NORMAL -4,
// HIGHEST -8), except THREAD_PRIORITY_IDLE (19) and THREAD_PRIORITY_TIME_CRITICAL (-20).
// Linux lets a process without CAP_SYS_NICE lower its threads' priority but not raise it
// back: what cannot be applied is still recorded and reported (docs/deviations.md).
#include <dirent.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "kernel/handle_table.h"
#include "kernel/process.h"
#include "kernel/thread.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// The rights a thread handle needs to be read, or changed: either of each pair (Microsoft
// Learn, GetThreadPriority, SetThreadPriority, GetThreadTimes).
constexpr ACCESS_MASK kThreadQueryAccess = THREAD_QUERY_INFORMATION | THREAD_QUERY_LIMITED_INFORMATION;
constexpr ACCESS_MASK kThreadSetAccess = THREAD_SET_INFORMATION | THREAD_SET_LIMITED_INFORMATION;

// This process's priority class.
std::atomic<DWORD> process_class{NORMAL_PRIORITY_CLASS};

bool class_base(DWORD priority_class, int* nice)
{
    switch (priority_class) {
    case IDLE_PRIORITY_CLASS: *nice = 19; return true;
    case BELOW_NORMAL_PRIORITY_CLASS: *nice = 10; return true;
    case NORMAL_PRIORITY_CLASS: *nice = 0; return true;
    case ABOVE_NORMAL_PRIORITY_CLASS: *nice = -5; return true;
    case HIGH_PRIORITY_CLASS: *nice = -10; return true;
    case REALTIME_PRIORITY_CLASS: *nice = -20; return true;
    default: return false;
    }
}

// The class whose base is nearest `nice` (another process's, seen through Linux).
DWORD class_of(int nice)
{
    if (nice >= 15) return IDLE_PRIORITY_CLASS;
    if (nice >= 5) return BELOW_NORMAL_PRIORITY_CLASS;
    if (nice >= -2) return NORMAL_PRIORITY_CLASS;
    if (nice >= -7) return ABOVE_NORMAL_PRIORITY_CLASS;
    if (nice >= -15) return HIGH_PRIORITY_CLASS;
    return REALTIME_PRIORITY_CLASS;
}

bool valid_thread_priority(int priority)
{
    return priority == THREAD_PRIORITY_IDLE || priority == THREAD_PRIORITY_TIME_CRITICAL ||
           (priority >= THREAD_PRIORITY_LOWEST && priority <= THREAD_PRIORITY_HIGHEST);
}

// A thread's nice value for `priority` in class `priority_class` (this process's by default).
int thread_nice(int priority, DWORD priority_class = 0)
{
    if (priority == THREAD_PRIORITY_IDLE) return 19;
    if (priority == THREAD_PRIORITY_TIME_CRITICAL) return -20;
    int base = 0;
    class_base(priority_class != 0 ? priority_class : process_class.load(std::memory_order_relaxed), &base);
    return std::clamp(base - 4 * priority, -20, 19);
}

// The class of a child or other process `process` (pid `pid`, running unless `ended`):
// the one SetPriorityClass gave it through the object, else the class of its main
// thread's nice value less the offset SetThreadPriority gave that thread; NORMAL for one
// that has ended (Linux keeps no nice value for it).
DWORD other_class(kernel::ProcessObject* process, pid_t pid, bool ended, DWORD* error)
{
    process->lock.lock();
    DWORD recorded = process->priority_class();
    int primary = process->primary_priority();
    process->lock.unlock();
    if (recorded != 0) return recorded;
    if (ended) return NORMAL_PRIORITY_CLASS;
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(pid));
    if (nice == -1 && errno != 0) {
        *error = ERROR_INVALID_PARAMETER;
        return 0;
    }
    if (primary != THREAD_PRIORITY_IDLE && primary != THREAD_PRIORITY_TIME_CRITICAL) nice += 4 * primary;
    return class_of(nice);
}

// Sets Linux task `tid`'s nice value; a raise Linux refuses (EACCES, EPERM) is left as it
// is (see above); false only when there is no such task.
bool apply_nice(int tid, int nice)
{
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice) == 0) return true;
    return errno != ESRCH;
}

// Calls `visit(tid)` for each thread of process `pid`.
template <class Visit>
void for_each_task(int pid, Visit visit)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task", pid);
    DIR* directory = opendir(path);
    if (directory == nullptr) return;
    while (dirent* entry = readdir(directory)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        visit(atoi(entry->d_name));
    }
    closedir(directory);
}

// The processors of this machine, as an affinity mask.
DWORD_PTR system_mask()
{
    long count = sysconf(_SC_NPROCESSORS_CONF);
    if (count <= 0) count = 1;
    return count >= 64 ? ~DWORD_PTR(0) : (DWORD_PTR(1) << count) - 1;
}

bool get_mask(int task, DWORD_PTR* mask)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(task, sizeof(set), &set) != 0) return false;
    *mask = 0;
    for (int cpu = 0; cpu < 64; ++cpu)
        if (CPU_ISSET(cpu, &set)) *mask |= DWORD_PTR(1) << cpu;
    return true;
}

// This process's affinity mask: Windows keeps it apart from its threads' (a thread's
// SetThreadAffinityMask leaves GetProcessAffinityMask as it was), Linux has only the
// threads'. Read from the first thread at first use, then what SetProcessAffinityMask set
// (kernel::process_affinity_mask, which CreateThread also reads).
DWORD_PTR process_mask_of_self()
{
    DWORD_PTR mask = kernel::process_affinity_mask.load(std::memory_order_relaxed);
    if (mask != 0) return mask;
    DWORD_PTR read = 0;
    if (!get_mask(getpid(), &read) || (read & system_mask()) == 0) read = system_mask();
    kernel::process_affinity_mask.compare_exchange_strong(mask, read & system_mask(), std::memory_order_relaxed);
    return kernel::process_affinity_mask.load(std::memory_order_relaxed);
}

bool set_mask(int task, DWORD_PTR mask)
{
    cpu_set_t set;
    kernel::cpu_set_of_mask(mask, &set);
    return sched_setaffinity(task, sizeof(set), &set) == 0;
}

void to_filetime(uint64_t ticks, LPFILETIME out)
{
    out->dwLowDateTime = static_cast<DWORD>(ticks);
    out->dwHighDateTime = static_cast<DWORD>(ticks >> 32);
}

// The rights a process handle needs to be read (either), or changed (Microsoft Learn,
// GetPriorityClass, SetPriorityClass, GetProcessTimes, Get/SetProcessAffinityMask).
constexpr ACCESS_MASK kProcessQueryAccess = PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION;
constexpr ACCESS_MASK kProcessSetAccess = PROCESS_SET_INFORMATION;

// The process object behind a process handle with one of the rights `any_access` (not a
// child's primary-thread handle: kernel::kAccessPrimaryThread), referenced; null with
// *error (ERROR_ACCESS_DENIED without the rights).
kernel::ProcessObject* process_of(HANDLE handle, ACCESS_MASK any_access, DWORD* error)
{
    kernel::Object* object = kernel::handle_reference_any(handle, kernel::ObjectType::Process, any_access, error);
    return static_cast<kernel::ProcessObject*>(object);
}

// The Linux process a process handle names: its pid, whether it is this process, and
// whether it has ended (this process never has). Null with *error for a bad handle;
// else the object, referenced.
kernel::ProcessObject* process_target(HANDLE handle, ACCESS_MASK any_access, pid_t* pid, bool* self, bool* ended,
                                      DWORD* error)
{
    kernel::ProcessObject* process = process_of(handle, any_access, error);
    if (process == nullptr) return nullptr;
    *self = process == kernel::current_process_object();
    process->lock.lock();
    *pid = static_cast<pid_t>(process->process_id());
    *ended = !*self && process->exited();
    process->lock.unlock();
    return process;
}

// process_target for a caller that needs only what it tells.
bool process_facts(HANDLE handle, ACCESS_MASK any_access, pid_t* pid, bool* self, bool* ended, DWORD* error)
{
    kernel::ProcessObject* process = process_target(handle, any_access, pid, self, ended, error);
    if (process == nullptr) return false;
    process->release_reference();
    return true;
}

}  // namespace

extern "C" {

BOOL WINAPI GetProcessTimes(HANDLE hProcess, LPFILETIME lpCreationTime, LPFILETIME lpExitTime,
                            LPFILETIME lpKernelTime, LPFILETIME lpUserTime)
{
    DWORD error;
    kernel::ProcessObject* process = process_of(hProcess, kProcessQueryAccess, &error);
    if (process == nullptr) return fail(error, FALSE);
    uint64_t creation, exit, kernel_time, user_time;
    process->times(&creation, &exit, &kernel_time, &user_time);
    process->release_reference();
    if (lpCreationTime == nullptr || lpExitTime == nullptr || lpKernelTime == nullptr || lpUserTime == nullptr)
        return fail(ERROR_NOACCESS, FALSE);
    to_filetime(creation, lpCreationTime);
    to_filetime(exit, lpExitTime);
    to_filetime(kernel_time, lpKernelTime);
    to_filetime(user_time, lpUserTime);
    return TRUE;
}

BOOL WINAPI GetThreadTimes(HANDLE hThread, LPFILETIME lpCreationTime, LPFILETIME lpExitTime, LPFILETIME lpKernelTime,
                           LPFILETIME lpUserTime)
{
    DWORD error, id = 0, code = 0;
    uint64_t creation, exit, kernel_time, user_time;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    if (object != nullptr) {
        static_cast<kernel::ThreadObject*>(object)->times(&creation, &exit, &kernel_time, &user_time);
        object->release_reference();
    } else if (kernel::process_primary_thread_query(hThread, &id, &code)) {
        // A child's primary thread: its process's times (this library's hThread is a
        // second handle to the process, docs/deviations.md).
        kernel::ProcessObject* process = kernel::process_primary_thread_reference(hThread, nullptr, &error);
        if (process == nullptr) return fail(error, FALSE);
        process->times(&creation, &exit, &kernel_time, &user_time);
        process->release_reference();
    } else {
        return fail(error, FALSE);
    }
    if (lpCreationTime == nullptr || lpExitTime == nullptr || lpKernelTime == nullptr || lpUserTime == nullptr)
        return fail(ERROR_NOACCESS, FALSE);
    to_filetime(creation, lpCreationTime);
    to_filetime(exit, lpExitTime);
    to_filetime(kernel_time, lpKernelTime);
    to_filetime(user_time, lpUserTime);
    return TRUE;
}

int WINAPI GetThreadPriority(HANDLE hThread)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    if (object != nullptr) {
        int priority = static_cast<kernel::ThreadObject*>(object)->priority();
        object->release_reference();
        return priority;
    }
    ACCESS_MASK granted = 0;
    DWORD not_primary;  // a handle of neither kind: the thread lookup's error
    kernel::ProcessObject* process = kernel::process_primary_thread_reference(hThread, &granted, &not_primary);
    if (process == nullptr) return fail(error, THREAD_PRIORITY_ERROR_RETURN);
    if (!(granted & kThreadQueryAccess)) {
        process->release_reference();
        return fail(ERROR_ACCESS_DENIED, THREAD_PRIORITY_ERROR_RETURN);
    }
    process->lock.lock();  // a child's primary thread: what SetThreadPriority gave it
    int priority = process->primary_priority();
    process->lock.unlock();
    process->release_reference();
    return priority;
}

BOOL WINAPI SetThreadPriority(HANDLE hThread, int nPriority)
{
    DWORD error, id = 0, code = 0;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadSetAccess, &error);
    if (object == nullptr) {
        // A child's primary thread: its nice value in the child's class, recorded for
        // GetThreadPriority.
        if (!kernel::process_primary_thread_query(hThread, &id, &code)) return fail(error, FALSE);
        ACCESS_MASK granted = 0;
        kernel::ProcessObject* process = kernel::process_primary_thread_reference(hThread, &granted, &error);
        if (process == nullptr) return fail(error, FALSE);
        if (!(granted & kThreadSetAccess) || !valid_thread_priority(nPriority)) {
            process->release_reference();
            return fail(!(granted & kThreadSetAccess) ? ERROR_ACCESS_DENIED : ERROR_INVALID_PARAMETER, FALSE);
        }
        process->lock.lock();
        bool ended = process->exited();
        process->lock.unlock();
        DWORD child_class = ended ? DWORD(0) : other_class(process, static_cast<pid_t>(id), false, &error);
        process->lock.lock();
        process->set_primary_priority(nPriority);
        process->lock.unlock();
        process->release_reference();
        if (!ended && child_class != 0) apply_nice(static_cast<int>(id), thread_nice(nPriority, child_class));
        return TRUE;
    }
    auto* thread = static_cast<kernel::ThreadObject*>(object);
    if (!valid_thread_priority(nPriority)) {
        object->release_reference();
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    thread->lock.lock();
    bool running = !thread->exited();
    int tid = static_cast<int>(thread->thread_id());
    thread->lock.unlock();
    thread->set_priority(nPriority);
    if (running) apply_nice(tid, thread_nice(nPriority));
    object->release_reference();
    return TRUE;
}

DWORD WINAPI GetPriorityClass(HANDLE hProcess)
{
    DWORD error = ERROR_SUCCESS;
    pid_t pid;
    bool self, ended;
    kernel::ProcessObject* process = process_target(hProcess, kProcessQueryAccess, &pid, &self, &ended, &error);
    if (process == nullptr) return fail(error, DWORD(0));
    DWORD result = self ? process_class.load(std::memory_order_relaxed) : other_class(process, pid, ended, &error);
    process->release_reference();
    if (result == 0) return fail(error, DWORD(0));
    return result;
}

BOOL WINAPI SetPriorityClass(HANDLE hProcess, DWORD dwPriorityClass)
{
    int base = 0;
    if (!class_base(dwPriorityClass, &base)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    pid_t pid;
    bool self, ended;
    kernel::ProcessObject* process = process_target(hProcess, kProcessSetAccess, &pid, &self, &ended, &error);
    if (process == nullptr) return fail(error, FALSE);
    if (ended) {
        process->release_reference();
        return fail(ERROR_ACCESS_DENIED, FALSE);
    }
    if (!self) {
        // Every thread to the class's base, the primary thread of a child at its own
        // priority in it.
        process->lock.lock();
        process->set_priority_class(dwPriorityClass);
        int primary = process->primary_priority();
        process->lock.unlock();
        process->release_reference();
        for_each_task(pid, [base, pid, primary, dwPriorityClass](int tid) {
            apply_nice(tid, tid == pid ? thread_nice(primary, dwPriorityClass) : base);
        });
        return TRUE;
    }
    process->release_reference();
    process_class.store(dwPriorityClass, std::memory_order_relaxed);
    // Every thread again: its own priority in the new class.
    for_each_task(getpid(), [](int tid) {
        int priority = THREAD_PRIORITY_NORMAL;
        if (kernel::ThreadObject* thread = kernel::thread_find(static_cast<DWORD>(tid))) {
            priority = thread->priority();
            thread->release_reference();
        }
        apply_nice(tid, thread_nice(priority));
    });
    return TRUE;
}

BOOL WINAPI GetProcessAffinityMask(HANDLE hProcess, PDWORD_PTR lpProcessAffinityMask, PDWORD_PTR lpSystemAffinityMask)
{
    DWORD error;
    pid_t pid;
    bool self, ended;
    if (!process_facts(hProcess, kProcessQueryAccess, &pid, &self, &ended, &error)) return fail(error, FALSE);
    DWORD_PTR mask = 0;
    if (self)
        mask = process_mask_of_self();
    else if (ended || !get_mask(pid, &mask))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (lpProcessAffinityMask == nullptr || lpSystemAffinityMask == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *lpProcessAffinityMask = mask & system_mask();
    *lpSystemAffinityMask = system_mask();
    return TRUE;
}

// Every thread of the process; a mask of no processor, or of one the machine lacks, fails
// with ERROR_INVALID_PARAMETER.
BOOL WINAPI SetProcessAffinityMask(HANDLE hProcess, DWORD_PTR dwProcessAffinityMask)
{
    if (dwProcessAffinityMask == 0 || (dwProcessAffinityMask & ~system_mask()) != 0)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    pid_t pid;
    bool self, ended;
    if (!process_facts(hProcess, kProcessSetAccess, &pid, &self, &ended, &error)) return fail(error, FALSE);
    if (ended) return fail(ERROR_ACCESS_DENIED, FALSE);
    bool any = false;
    for_each_task(pid, [&](int tid) { any |= set_mask(tid, dwProcessAffinityMask); });
    if (!any) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (self) kernel::process_affinity_mask.store(dwProcessAffinityMask, std::memory_order_relaxed);
    return TRUE;
}

// The previous mask; 0 with ERROR_INVALID_PARAMETER for a mask outside the process's. A
// mask whose low 32 bits are all set asks for every processor of the process (Wine's
// thread.c test_thread_processor: ~0 and ~0 >> 3 both succeed on 64-bit Windows). The
// handle needs a right to set and one to query (Microsoft Learn, SetThreadAffinityMask).
DWORD_PTR WINAPI SetThreadAffinityMask(HANDLE hThread, DWORD_PTR dwThreadAffinityMask)
{
    DWORD error, id = 0, code = 0;
    int tid = 0;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(hThread, kernel::ObjectType::Thread, 0, &granted, &error);
    if (object != nullptr) {
        auto* thread = static_cast<kernel::ThreadObject*>(object);
        thread->lock.lock();
        tid = thread->exited() ? 0 : static_cast<int>(thread->thread_id());
        thread->lock.unlock();
        object->release_reference();
        if (!(granted & kThreadSetAccess) || !(granted & kThreadQueryAccess))
            return fail(ERROR_ACCESS_DENIED, DWORD_PTR(0));
    } else if (kernel::process_primary_thread_query(hThread, &id, &code)) {
        tid = static_cast<int>(id);  // a child's primary thread
    } else {
        return fail(error, DWORD_PTR(0));
    }
    DWORD_PTR process_mask = process_mask_of_self(), previous = 0;
    if (id == 0 && static_cast<DWORD>(dwThreadAffinityMask) == 0xFFFFFFFFu) dwThreadAffinityMask = process_mask;
    if (tid == 0 || !get_mask(tid, &previous)) return fail(ERROR_INVALID_PARAMETER, DWORD_PTR(0));
    if (id == 0 && (dwThreadAffinityMask == 0 || (dwThreadAffinityMask & ~process_mask) != 0))
        return fail(ERROR_INVALID_PARAMETER, DWORD_PTR(0));
    if (!set_mask(tid, dwThreadAffinityMask)) return fail(ERROR_INVALID_PARAMETER, DWORD_PTR(0));
    return previous & system_mask();
}

namespace {

// The Linux task of thread handle `hThread` (0 once the thread has ended), the handle
// granting `need` and `also_need` (any one bit of each; `also_need` 0: nothing more); a
// child's primary-thread handle too. False with the error otherwise.
bool thread_task_of(HANDLE hThread, ACCESS_MASK need, ACCESS_MASK also_need, int* tid, DWORD* error)
{
    DWORD id = 0, code = 0;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(hThread, kernel::ObjectType::Thread, 0, &granted, error);
    if (object != nullptr) {
        auto* thread = static_cast<kernel::ThreadObject*>(object);
        thread->lock.lock();
        *tid = thread->exited() ? 0 : static_cast<int>(thread->thread_id());
        thread->lock.unlock();
        object->release_reference();
        if (!(granted & need) || (also_need != 0 && !(granted & also_need))) {
            *error = ERROR_ACCESS_DENIED;
            return false;
        }
        return true;
    }
    if (kernel::process_primary_thread_query(hThread, &id, &code)) {
        *tid = static_cast<int>(id);
        return true;
    }
    return false;
}

}  // namespace

// The thread's processors in group 0, the only group of a machine of up to 64 processors
// (the library sees the first 64). A NULL GROUP_AFFINITY is ERROR_INVALID_PARAMETER (Wine's
// thread.c test_thread_processor; Windows 7 and 8 said ERROR_NOACCESS).
BOOL WINAPI GetThreadGroupAffinity(HANDLE hThread, PGROUP_AFFINITY GroupAffinity)
{
    if (GroupAffinity == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error = ERROR_INVALID_HANDLE;
    int tid = 0;
    if (!thread_task_of(hThread, kThreadQueryAccess, 0, &tid, &error)) return fail(error, FALSE);
    DWORD_PTR mask = 0;
    if (tid == 0 || !get_mask(tid, &mask)) mask = process_mask_of_self();  // an ended thread: as it started
    memset(GroupAffinity, 0, sizeof(*GroupAffinity));
    GroupAffinity->Mask = mask & system_mask();
    GroupAffinity->Group = 0;
    return TRUE;
}

// As SetThreadAffinityMask for group 0, without its shortcut (a mask of every bit is not
// "every processor" here: ERROR_INVALID_PARAMETER, Wine's thread.c test_thread_processor);
// another group, an empty mask, or processors outside the process's are
// ERROR_INVALID_PARAMETER; a NULL GROUP_AFFINITY is ERROR_NOACCESS. The handle needs a set
// right and a query right, as for SetThreadAffinityMask.
BOOL WINAPI SetThreadGroupAffinity(HANDLE hThread, const GROUP_AFFINITY* GroupAffinity,
                                   PGROUP_AFFINITY PreviousGroupAffinity)
{
    if (GroupAffinity == nullptr) return fail(ERROR_NOACCESS, FALSE);
    DWORD error = ERROR_INVALID_HANDLE;
    int tid = 0;
    if (!thread_task_of(hThread, kThreadSetAccess, kThreadQueryAccess, &tid, &error)) return fail(error, FALSE);
    DWORD_PTR process_mask = process_mask_of_self(), mask = GroupAffinity->Mask;
    if (GroupAffinity->Group != 0 || mask == 0 || (mask & ~process_mask) != 0)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD_PTR previous = 0;
    if (tid == 0 || !get_mask(tid, &previous)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!set_mask(tid, mask)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (PreviousGroupAffinity != nullptr) {
        memset(PreviousGroupAffinity, 0, sizeof(*PreviousGroupAffinity));
        PreviousGroupAffinity->Mask = previous & system_mask();
        PreviousGroupAffinity->Group = 0;
    }
    return TRUE;
}

// Linux has no boost to turn off: the flag is the thread's, read back.
BOOL WINAPI SetThreadPriorityBoost(HANDLE hThread, BOOL bDisablePriorityBoost)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadSetAccess, &error);
    if (object == nullptr) return fail(error, FALSE);
    static_cast<kernel::ThreadObject*>(object)->set_priority_boost_disabled(bDisablePriorityBoost != FALSE);
    object->release_reference();
    return TRUE;
}

BOOL WINAPI GetThreadPriorityBoost(HANDLE hThread, PBOOL pDisablePriorityBoost)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    if (object == nullptr) return fail(error, FALSE);
    bool disabled = static_cast<kernel::ThreadObject*>(object)->priority_boost_disabled();
    object->release_reference();
    if (pDisablePriorityBoost == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *pDisablePriorityBoost = disabled ? TRUE : FALSE;
    return TRUE;
}

// The previous ideal processor, recorded (Linux's scheduler takes no hint). Past
// MAXIMUM_PROCESSORS: (DWORD)-1 with ERROR_INVALID_PARAMETER; MAXIMUM_PROCESSORS reads the
// current one; a processor the machine lacks leaves it as it is (Wine's thread.c
// test_thread_processor; the kernel sets an ideal processor only below the number of
// processors).
DWORD WINAPI SetThreadIdealProcessor(HANDLE hThread, DWORD dwIdealProcessor)
{
    if (dwIdealProcessor > MAXIMUM_PROCESSORS) return fail(ERROR_INVALID_PARAMETER, DWORD(-1));
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, THREAD_SET_INFORMATION, &error);
    if (object == nullptr) return fail(error, DWORD(-1));
    auto* thread = static_cast<kernel::ThreadObject*>(object);
    long processors = sysconf(_SC_NPROCESSORS_CONF);
    DWORD previous = dwIdealProcessor < static_cast<DWORD>(processors > 0 ? processors : 1)
                         ? thread->exchange_ideal_processor(dwIdealProcessor)
                         : thread->ideal_processor();
    object->release_reference();
    return previous;
}

}  // extern "C"
