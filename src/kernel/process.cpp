// process.cpp: child process objects on pidfds: reaping, exit codes, termination, the
// CREATE_SUSPENDED gate, and the list of children for OpenProcess.
#include "kernel/process.h"

#include "common/clock.h"

#include "kernel/handle_table.h"
#include "kernel/port.h"

#include <cerrno>
#include <climits>
#include <ctime>
#include <csignal>
#include <mutex>
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>

namespace overlapped::kernel {
namespace {

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct Children {
    std::mutex mutex;
    std::unordered_map<pid_t, ProcessObject*> by_pid;
};

Children& children()
{
    static Children* instance = new Children();
    return *instance;
}

int pidfd_send_signal(int pidfd, int signal)
{
    return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// waitid on a child's pidfd, not blocking: 1 reaped (*info filled), 0 still running, -1
// already reaped by someone else (ECHILD: a waitpid(-1) of the program's own).
// `usage`, if given, receives the child's resource use (the system call's fifth argument,
// which glibc's waitid does not pass).
int reap_pidfd(int pidfd, siginfo_t* info, rusage* usage = nullptr)
{
    *info = siginfo_t{};
    int result;
    do {
        result = static_cast<int>(syscall(SYS_waitid, P_PIDFD, pidfd, info, WEXITED | WNOHANG, usage));
    } while (result < 0 && errno == EINTR);
    if (result == 0 && info->si_pid != 0) return 1;
    if (result < 0 && errno == ECHILD) return -1;
    return 0;
}

// Milliseconds left before `deadline` for poll (-1: infinite; 0: passed).
int poll_timeout(const Deadline& deadline)
{
    if (deadline.infinite) return -1;
    if (deadline.zero) return 0;
    const timespec* at = deadline.absolute();
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long left_ns = (at->tv_sec - now.tv_sec) * 1000000000LL + (at->tv_nsec - now.tv_nsec);
    if (left_ns <= 0) return 0;
    long long ms = (left_ns + 999999) / 1000000;  // rounded up: never wake before the deadline
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace

void (*process_watch_hook)(ProcessObject* process) = nullptr;
void (*process_orphan_hook)(pid_t pid, int pidfd) = nullptr;

namespace {
const pid_t loading_pid = getpid();  // the process that loaded the library
}

bool process_is_forked_copy() { return getpid() != loading_pid; }

DWORD process_exit_code(int how, int status, bool terminated, DWORD terminate_code)
{
    if (how == CLD_EXITED) return static_cast<DWORD>(status) & 0xFF;
    if (terminated && status == SIGKILL) return terminate_code;
    switch (status) {
    case SIGINT:
    case SIGQUIT: return 0xC000013AU;  // STATUS_CONTROL_C_EXIT (Ctrl-C, Ctrl-Break)
    case SIGSEGV:
    case SIGBUS: return 0xC0000005U;   // STATUS_ACCESS_VIOLATION
    case SIGILL: return 0xC000001DU;   // STATUS_ILLEGAL_INSTRUCTION
    case SIGFPE: return 0xC0000094U;   // STATUS_INTEGER_DIVIDE_BY_ZERO
    case SIGABRT: return 3;            // what the C run-time's abort() exits with
    default: return 128U + static_cast<DWORD>(status);  // the shell's convention
    }
}

ProcessObject* ProcessObject::create_child(pid_t pid, int pidfd, int gate)
{
    ProcessObject* process = Pool<ProcessObject>::instance().acquire();
    process->lock.lock();
    process->reset_base();
    process->pid_ = pid;
    process->pidfd_ = pidfd;
    process->gate_ = gate;
    process->suspend_count_ = gate >= 0 ? 1 : 0;
    process->stopped_ = false;
    process->exited_ = false;
    process->watched_ = false;
    process->foreign_ = false;
    process->terminated_ = false;
    process->exit_code_ = 0;
    process->terminate_code_ = 0;
    process->priority_class_ = 0;
    process->primary_priority_ = THREAD_PRIORITY_NORMAL;
    process->image_.clear();
    process->creation_time_ = filetime_now();
    process->exit_time_ = process->kernel_time_ = process->user_time_ = 0;
    process->lock.unlock();
    Children& list = children();
    std::lock_guard<std::mutex> guard(list.mutex);
    list.by_pid[pid] = process;
    return process;
}

ProcessObject* ProcessObject::create_foreign(pid_t pid, int pidfd)
{
    ProcessObject* process = create_child(pid, pidfd, -1);
    uint64_t kernel = 0, user = 0, started = 0;
    bool known = task_times(pid, 0, &kernel, &user, &started);
    process->lock.lock();
    process->foreign_ = true;
    if (known) process->creation_time_ = started;
    process->lock.unlock();
    return process;
}

void ProcessObject::times(uint64_t* creation, uint64_t* exit, uint64_t* kernel, uint64_t* user)
{
    lock.lock();
    bool self = pidfd_ < 0;
    bool ended = exited_;
    pid_t pid = pid_;
    *creation = creation_time_;
    *exit = exit_time_;
    *kernel = kernel_time_;
    *user = user_time_;
    lock.unlock();
    if (ended) return;
    *exit = 0;
    uint64_t started = 0;
    if (self) {
        rusage usage{};  // this process: to the microsecond
        getrusage(RUSAGE_SELF, &usage);
        rusage_times(usage, kernel, user);
        uint64_t ignored_kernel, ignored_user;
        if (task_times(getpid(), 0, &ignored_kernel, &ignored_user, &started)) *creation = started;
        return;
    }
    uint64_t child_kernel = 0, child_user = 0;
    if (task_times(pid, 0, &child_kernel, &child_user, &started)) {
        *kernel = child_kernel;
        *user = child_user;
    }
}

DWORD ProcessObject::process_id() const { return pidfd_ >= 0 ? static_cast<DWORD>(pid_) : static_cast<DWORD>(getpid()); }

bool ProcessObject::reap()
{
    lock.lock();
    if (exited_ || pidfd_ < 0) {
        bool done = exited_;
        lock.unlock();
        return done;
    }
    if (foreign_) {
        pollfd entry{pidfd_, POLLIN, 0};
        if (poll(&entry, 1, 0) != 1) {
            lock.unlock();
            return false;
        }
        exited_ = true;
        exit_time_ = filetime_now();
        exit_code_ = terminated_ ? terminate_code_ : 0;  // only its parent may know more
        WakeList wake;
        if (has_waiters()) signal_waiters(wake);
        lock.unlock();
        return true;
    }
    if (!collect_locked()) {
        lock.unlock();
        return false;
    }
    WakeList wake;
    if (has_waiters()) signal_waiters(wake);
    lock.unlock();
    return true;
}

bool ProcessObject::collect_locked()
{
    siginfo_t info;
    rusage usage{};
    int reaped = reap_pidfd(pidfd_, &info, &usage);
    if (reaped == 0) return false;
    // Reaped by someone else (reaped < 0): its status is lost.
    exited_ = true;
    exit_time_ = filetime_now();
    rusage_times(usage, &kernel_time_, &user_time_);
    exit_code_ = reaped > 0 ? process_exit_code(info.si_code, info.si_status, terminated_, terminate_code_)
                            : (terminated_ ? terminate_code_ : 0);
    if (gate_ >= 0) {
        ::close(gate_);
        gate_ = -1;
    }
    return true;
}

bool ProcessObject::is_signaled(const ThreadState*) const
{
    if (exited_) return true;
    if (pidfd_ < 0 || watched_ || foreign_) return false;
    // Nobody watches it (a foreign process is watched from the start). Whoever waits
    // without a watch links no waiter (wait_exit), so there is no one else to wake here.
    auto* self = const_cast<ProcessObject*>(this);
    if (self->collect_locked()) return true;
    if (process_watch_hook != nullptr) process_watch_hook(self);
    return false;
}

DWORD ProcessObject::wait_exit(const Deadline& deadline)
{
    lock.lock();
    bool done = exited_;
    int pidfd = pidfd_;
    lock.unlock();
    if (done) return WAIT_OBJECT_0;
    if (pidfd < 0) return kWaiting;  // the current process: never signalled
    // The pidfd stays open while the caller's reference lives (recycle closes it).
    ThreadState* self = current_thread();
    ++self->wait_epoch;
    bool blocked = false;
    DWORD result;
    for (;;) {
        int timeout = poll_timeout(deadline);
        if (timeout != 0 && !blocked) {
            port_thread_blocking(self);  // a completion port's thread that blocks lets another run
            blocked = true;
        }
        pollfd entry{pidfd, POLLIN, 0};
        int ready = poll(&entry, 1, timeout);
        if (ready < 0 && errno != EINTR) {
            result = kWaiting;  // cannot poll it (never expected): the usual wait
            break;
        }
        // Readable once it has exited; reap() records the exit and wakes any waiter of
        // the usual kind (there is one only if a watch was armed for it).
        if (ready > 0) {
            // Not reaped although readable: the descriptor is not what it was (a program
            // that reused the number); the usual wait, not a busy loop here.
            result = reap() ? WAIT_OBJECT_0 : kWaiting;
            break;
        }
        if (ready == 0 && timeout == 0) {
            result = reap() ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
            break;
        }
    }
    if (blocked) port_thread_unblocked(self);
    return result;
}

DWORD ProcessObject::terminate(DWORD exit_code)
{
    lock.lock();
    if (exited_) {
        lock.unlock();
        return ERROR_ACCESS_DENIED;
    }
    if (!terminated_) {
        terminated_ = true;
        terminate_code_ = exit_code;
    }
    int pidfd = pidfd_;
    int result = pidfd_send_signal(pidfd, SIGKILL);
    int error = errno;
    lock.unlock();
    if (result != 0 && error != ESRCH) return ERROR_ACCESS_DENIED;
    return ERROR_SUCCESS;
}

DWORD ProcessObject::resume()
{
    lock.lock();
    DWORD previous = suspend_count_;
    if (previous == 0 || pidfd_ < 0) {
        lock.unlock();
        return 0;
    }
    suspend_count_ = previous - 1;
    int gate = -1;
    if (suspend_count_ == 0) {
        gate = gate_;
        gate_ = -1;
        if (stopped_ && !exited_) pidfd_send_signal(pidfd_, SIGCONT);
        stopped_ = false;
    }
    lock.unlock();
    if (gate >= 0) {
        char go = 1;
        ssize_t written;
        do {
            written = ::write(gate, &go, 1);
        } while (written < 0 && errno == EINTR);
        ::close(gate);
    }
    return previous;
}

DWORD ProcessObject::suspend(DWORD* error)
{
    reap();  // a child that has exited is not stopped (a zombie takes signals)
    lock.lock();
    if (pidfd_ < 0 || foreign_) {
        lock.unlock();
        *error = ERROR_INVALID_HANDLE;
        return static_cast<DWORD>(-1);
    }
    if (exited_ || terminated_) {
        lock.unlock();
        *error = ERROR_ACCESS_DENIED;
        return static_cast<DWORD>(-1);
    }
    if (suspend_count_ >= MAXIMUM_SUSPEND_COUNT) {
        lock.unlock();
        *error = ERROR_SIGNAL_REFUSED;
        return static_cast<DWORD>(-1);
    }
    DWORD previous = suspend_count_;
    if (previous == 0 && gate_ < 0) {
        if (pidfd_send_signal(pidfd_, SIGSTOP) != 0) {  // ESRCH: it has just ended
            lock.unlock();
            *error = ERROR_ACCESS_DENIED;
            return static_cast<DWORD>(-1);
        }
        stopped_ = true;
    }
    suspend_count_ = previous + 1;
    lock.unlock();
    return previous;
}

void ProcessObject::recycle()
{
    {
        Children& list = children();
        std::lock_guard<std::mutex> guard(list.mutex);
        auto it = list.by_pid.find(pid_);
        if (it != list.by_pid.end() && it->second == this) list.by_pid.erase(it);
    }
    lock.lock();
    int pidfd = pidfd_;
    int gate = gate_;
    pid_t pid = pid_;
    // A child whose exit nobody has seen, and no watch: it must still be reaped.
    bool orphan = pidfd >= 0 && !exited_ && !foreign_ && !watched_;
    pidfd_ = -1;
    gate_ = -1;
    pid_ = 0;
    watched_ = false;
    lock.unlock();
    if (gate >= 0) ::close(gate);  // a child still suspended: it sees the gate close and exits
    if (orphan) {
        siginfo_t info;
        if (reap_pidfd(pidfd, &info) == 0 && process_orphan_hook != nullptr) {
            process_orphan_hook(pid, pidfd);  // it takes the pidfd
            pidfd = -1;
        }
    }
    if (pidfd >= 0) ::close(pidfd);
    Pool<ProcessObject>::instance().release(this);
}

ProcessObject* process_primary_thread_reference(HANDLE handle, ACCESS_MASK* granted, DWORD* error)
{
    ACCESS_MASK access = 0;
    Object* object = handle_reference_granted(handle, ObjectType::Any, 0, &access, error);
    if (object == nullptr) return nullptr;
    if (object->type() != ObjectType::Process || !(access & kAccessPrimaryThread)) {
        object->release_reference();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    if (granted != nullptr) *granted = access;
    return static_cast<ProcessObject*>(object);
}

bool process_resume_primary(HANDLE handle, DWORD* previous)
{
    DWORD error;
    Object* object = process_primary_thread_reference(handle, nullptr, &error);
    if (object == nullptr) return false;
    auto* process = static_cast<ProcessObject*>(object);
    process->lock.lock();
    bool child = process->is_child();
    process->lock.unlock();
    if (child) *previous = process->resume();
    process->release_reference();
    return child;
}

bool process_suspend_primary(HANDLE handle, DWORD* previous, DWORD* error)
{
    ACCESS_MASK granted = 0;
    ProcessObject* process = process_primary_thread_reference(handle, &granted, error);
    if (process == nullptr) return false;
    if (granted & THREAD_SUSPEND_RESUME) {
        *previous = process->suspend(error);
    } else {
        *previous = static_cast<DWORD>(-1);
        *error = ERROR_ACCESS_DENIED;
    }
    process->release_reference();
    return true;
}

bool process_primary_thread_query(HANDLE handle, DWORD* id, DWORD* exit_code)
{
    DWORD error;
    Object* object = process_primary_thread_reference(handle, nullptr, &error);
    if (object == nullptr) return false;
    auto* process = static_cast<ProcessObject*>(object);
    process->lock.lock();
    bool child = process->is_child();
    process->lock.unlock();
    if (child) {
        process->reap();
        process->lock.lock();
        *id = process->process_id();
        *exit_code = process->exit_code();
        process->lock.unlock();
    }
    process->release_reference();
    return child;
}

bool process_break_child_group(DWORD group)
{
    ProcessObject* process = process_find_child(group);
    if (process == nullptr) return false;
    process->lock.lock();
    bool ours = process->is_child() && !process->exited() && !process->foreign_ &&
                getpgid(static_cast<pid_t>(group)) == static_cast<pid_t>(group);
    process->lock.unlock();
    process->release_reference();
    return ours && killpg(static_cast<pid_t>(group), SIGQUIT) == 0;
}

ProcessObject* process_find_child(DWORD pid)
{
    Children& list = children();
    std::lock_guard<std::mutex> guard(list.mutex);
    auto it = list.by_pid.find(static_cast<pid_t>(pid));
    if (it == list.by_pid.end()) return nullptr;
    if (!it->second->try_add_reference()) return nullptr;
    return it->second;
}

}  // namespace overlapped::kernel
