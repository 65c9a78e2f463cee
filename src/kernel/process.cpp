// process.cpp: child process objects on pidfds: reaping, exit codes, termination, the
// CREATE_SUSPENDED gate, and the list of children for OpenProcess.
#include "kernel/process.h"

#include "kernel/handle_table.h"

#include <cerrno>
#include <csignal>
#include <mutex>
#include <poll.h>
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

}  // namespace

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
    process->exited_ = false;
    process->foreign_ = false;
    process->terminated_ = false;
    process->exit_code_ = 0;
    process->terminate_code_ = 0;
    process->lock.unlock();
    Children& list = children();
    std::lock_guard<std::mutex> guard(list.mutex);
    list.by_pid[pid] = process;
    return process;
}

ProcessObject* ProcessObject::create_foreign(pid_t pid, int pidfd)
{
    ProcessObject* process = create_child(pid, pidfd, -1);
    process->lock.lock();
    process->foreign_ = true;
    process->lock.unlock();
    return process;
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
        exit_code_ = terminated_ ? terminate_code_ : 0;  // only its parent may know more
        WakeList wake;
        if (has_waiters()) signal_waiters(wake);
        lock.unlock();
        return true;
    }
    siginfo_t info{};
    int result;
    do {
        result = waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_), &info, WEXITED | WNOHANG);
    } while (result < 0 && errno == EINTR);
    DWORD code;
    if (result == 0 && info.si_pid != 0) {
        code = process_exit_code(info.si_code, info.si_status, terminated_, terminate_code_);
    } else if (result < 0 && errno == ECHILD) {
        // Someone else reaped it (a waitpid(-1) of the program's own): its status is lost.
        code = terminated_ ? terminate_code_ : 0;
    } else {
        lock.unlock();
        return false;
    }
    exited_ = true;
    exit_code_ = code;
    if (gate_ >= 0) {
        ::close(gate_);
        gate_ = -1;
    }
    WakeList wake;
    if (has_waiters()) signal_waiters(wake);
    lock.unlock();
    return true;
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
    int gate = gate_;
    gate_ = -1;
    lock.unlock();
    if (gate < 0) return 0;
    char go = 1;
    ssize_t written;
    do {
        written = ::write(gate, &go, 1);
    } while (written < 0 && errno == EINTR);
    ::close(gate);
    return 1;
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
    pidfd_ = -1;
    gate_ = -1;
    pid_ = 0;
    lock.unlock();
    if (gate >= 0) ::close(gate);  // a child still suspended: it sees the gate close and exits
    if (pidfd >= 0) ::close(pidfd);
    Pool<ProcessObject>::instance().release(this);
}

bool process_resume_primary(HANDLE handle, DWORD* previous)
{
    DWORD error;
    Object* object = handle_reference(handle, ObjectType::Process, 0, &error);
    if (object == nullptr) return false;
    auto* process = static_cast<ProcessObject*>(object);
    process->lock.lock();
    bool child = process->is_child();
    process->lock.unlock();
    if (child) *previous = process->resume();
    process->release_reference();
    return child;
}

bool process_primary_thread_query(HANDLE handle, DWORD* id, DWORD* exit_code)
{
    DWORD error;
    Object* object = handle_reference(handle, ObjectType::Process, 0, &error);
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
