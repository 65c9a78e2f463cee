// job.cpp: job objects (job.h).
#include "kernel/job.h"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <set>
#include <sys/resource.h>
#include <unistd.h>

#include "kernel/port.h"

namespace overlapped::kernel {
namespace {

constexpr uint32_t kKillOnJobClose = 0x00002000;  // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
constexpr uint32_t kActiveProcess = 0x00000008;   // JOB_OBJECT_LIMIT_ACTIVE_PROCESS
constexpr uint32_t kProcessMemory = 0x00000100;   // JOB_OBJECT_LIMIT_PROCESS_MEMORY
constexpr DWORD kMessageActiveProcessLimit = 3;   // JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT
constexpr DWORD kNotEnoughQuota = 1816;           // ERROR_NOT_ENOUGH_QUOTA (STATUS_QUOTA_EXCEEDED)
constexpr DWORD kMessageActiveProcessZero = 4;     // JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO
constexpr DWORD kMessageNewProcess = 6;            // JOB_OBJECT_MSG_NEW_PROCESS
constexpr DWORD kMessageExitProcess = 7;           // JOB_OBJECT_MSG_EXIT_PROCESS
constexpr DWORD kMessageAbnormalExitProcess = 8;   // JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS

// The exit codes Microsoft Learn lists as abnormal (JOBOBJECT_ASSOCIATE_COMPLETION_PORT:
// an unhandled exception's code). A Linux child killed by SIGSEGV, SIGBUS, SIGILL or
// SIGFPE, or by Ctrl-C, exits with one of them here (process_exit_code).
bool abnormal_exit(DWORD code)
{
    switch (code) {
    case 0xC0000005:  // STATUS_ACCESS_VIOLATION
    case 0xC000008C:  // STATUS_ARRAY_BOUNDS_EXCEEDED
    case 0x80000003:  // STATUS_BREAKPOINT
    case 0xC000013A:  // STATUS_CONTROL_C_EXIT
    case 0x80000002:  // STATUS_DATATYPE_MISALIGNMENT
    case 0xC000008D:  // STATUS_FLOAT_DENORMAL_OPERAND
    case 0xC000008E:  // STATUS_FLOAT_DIVIDE_BY_ZERO
    case 0xC000008F:  // STATUS_FLOAT_INEXACT_RESULT
    case 0xC0000090:  // STATUS_FLOAT_INVALID_OPERATION
    case 0xC0000091:  // STATUS_FLOAT_OVERFLOW
    case 0xC0000092:  // STATUS_FLOAT_STACK_CHECK
    case 0xC0000093:  // STATUS_FLOAT_UNDERFLOW
    case 0x80000001:  // STATUS_GUARD_PAGE_VIOLATION
    case 0xC000001D:  // STATUS_ILLEGAL_INSTRUCTION
    case 0xC0000006:  // STATUS_IN_PAGE_ERROR
    case 0xC0000026:  // STATUS_INVALID_DISPOSITION
    case 0xC0000094:  // STATUS_INTEGER_DIVIDE_BY_ZERO
    case 0xC0000095:  // STATUS_INTEGER_OVERFLOW
    case 0xC0000025:  // STATUS_NONCONTINUABLE_EXCEPTION
    case 0xC0000096:  // STATUS_PRIVILEGED_INSTRUCTION
    case 0xC00002C9:  // STATUS_REG_NAT_CONSUMPTION
    case 0x80000004:  // STATUS_SINGLE_STEP
    case 0xC00000FD:  // STATUS_STACK_OVERFLOW
        return true;
    default:
        return false;
    }
}

bool has(const std::vector<ProcessObject*>& list, ProcessObject* process)
{
    return std::find(list.begin(), list.end(), process) != list.end();
}

DWORD id_of(ProcessObject* process)
{
    process->lock.lock();
    DWORD id = process->process_id();
    process->lock.unlock();
    return id;
}

std::mutex jobs_mutex;
std::set<JobObject*>* live_jobs = new std::set<JobObject*>();  // for the exit
JobObject* own_job = nullptr;  // a reference: the job this process is in

// JOB_OBJECT_LIMIT_PROCESS_MEMORY on `process` (this process too): its RLIMIT_DATA, which
// since Linux 4.7 counts the private writable memory a process has (its heap, anonymous
// mappings, thread stacks: what Windows calls committed private memory), as the soft
// limit under the hard one; `bytes` 0 lifts it back to the hard limit (an unprivileged
// process cannot raise the hard one again). Its children inherit it, as a member's
// children join the job.
void limit_memory(ProcessObject* process, uint64_t bytes)
{
    process->lock.lock();
    bool running = !process->exited();
    pid_t pid = static_cast<pid_t>(process->process_id());
    process->lock.unlock();
    if (!running) return;
    rlimit current{};
    if (prlimit(pid, RLIMIT_DATA, nullptr, &current) != 0) return;
    rlimit wanted = current;
    wanted.rlim_cur = bytes == 0 ? current.rlim_max : std::min<rlim_t>(static_cast<rlim_t>(bytes), current.rlim_max);
    prlimit(pid, RLIMIT_DATA, &wanted, nullptr);
}

// Hands the guard (job_guard_add_hook) a member of `job`.
void guard_member(JobObject* job, ProcessObject* process)
{
    if (job_guard_add_hook == nullptr || process->pidfd() < 0) return;
    int pidfd = fcntl(process->pidfd(), F_DUPFD_CLOEXEC, 0);
    if (pidfd >= 0) job_guard_add_hook(job, pidfd);
}

// At a normal exit, the jobs that end with their handles end their members.
void end_jobs_at_exit()
{
    if (process_is_forked_copy()) return;
    std::vector<JobObject*> ending;
    {
        std::lock_guard<std::mutex> guard(jobs_mutex);
        for (JobObject* job : *live_jobs)
            if (job->try_add_reference()) ending.push_back(job);
    }
    for (JobObject* job : ending) {
        if (job->limit_flags() & kKillOnJobClose) job->terminate(0);
        job->release_reference();
    }
}

}  // namespace

void (*job_guard_add_hook)(JobObject* job, int pidfd) = nullptr;
void (*job_guard_drop_hook)(JobObject* job) = nullptr;
void (*job_watch_hook)(JobObject* job, ProcessObject* process) = nullptr;

JobObject* JobObject::create()
{
    static const bool registered = [] { return std::atexit(end_jobs_at_exit) == 0; }();
    (void)registered;
    JobObject* job = Pool<JobObject>::instance().acquire();
    job->lock.lock();
    job->reset_base();
    job->members_.clear();
    job->self_member_ = false;
    job->limit_flags_ = 0;
    job->active_limit_ = 0;
    job->memory_limit_ = 0;
    job->total_ = job->terminated_ = 0;
    job->signaled_ = false;
    job->port_ = nullptr;
    job->port_key_ = 0;
    job->reported_.clear();
    job->ended_by_job_.clear();
    job->watched_.clear();
    job->lock.unlock();
    std::lock_guard<std::mutex> guard(jobs_mutex);
    live_jobs->insert(job);
    return job;
}

DWORD JobObject::assign(ProcessObject* process)
{
    if (process == current_process_object()) {
        lock.lock();
        bool added = !self_member_;
        self_member_ = true;
        if (added) ++total_;
        if (added) post_locked(kMessageNewProcess, static_cast<DWORD>(getpid()));
        uint64_t memory = memory_limit_;
        lock.unlock();
        if (added && memory != 0) limit_memory(process, memory);
        std::lock_guard<std::mutex> guard(jobs_mutex);
        if (own_job == nullptr) {
            add_reference();
            own_job = this;
        }
        return ERROR_SUCCESS;
    }
    process->lock.lock();
    bool ended = process->exited();
    process->lock.unlock();
    if (ended) return ERROR_ACCESS_DENIED;
    bool guarded, watch, over;
    uint64_t memory;
    {
        LockGuard guard(lock);
        if (has(members_, process)) return ERROR_SUCCESS;
        memory = memory_limit_;
        over = (limit_flags_ & kActiveProcess) && active_locked() + 1 > active_limit_;
        process->add_reference();
        members_.push_back(process);
        ++total_;
        if (over) {
            // As Windows' PspAddProcessToJob: the process is in the job but not active
            // (no NEW_PROCESS, no EXIT_PROCESS), the port hears of the limit, and the
            // process is ended with ERROR_NOT_ENOUGH_QUOTA and counted as terminated.
            reported_.push_back(process);
            ended_by_job_.push_back(process);
            ++terminated_;
            post_locked(kMessageActiveProcessLimit, 0);
        }
        guarded = !over && (limit_flags_ & kKillOnJobClose) != 0;
        watch = !over && announce_locked(process);
    }
    if (over) {
        process->terminate(kNotEnoughQuota);
        return kNotEnoughQuota;
    }
    if (memory != 0) limit_memory(process, memory);
    if (guarded) guard_member(this, process);
    if (watch) job_watch_hook(this, process);
    return ERROR_SUCCESS;
}

bool JobObject::contains(ProcessObject* process)
{
    LockGuard guard(lock);
    if (process == current_process_object()) return self_member_;
    return has(members_, process);
}

uint32_t JobObject::active_locked()
{
    uint32_t active = self_member_ ? 1 : 0;
    for (ProcessObject* process : members_)
        if (!has(reported_, process) && !process->reap()) ++active;
    return active;
}

bool JobObject::admits_another()
{
    LockGuard guard(lock);
    if (!(limit_flags_ & kActiveProcess) || active_locked() + 1 <= active_limit_) return true;
    ++total_;
    post_locked(kMessageActiveProcessLimit, 0);
    return false;
}

void JobObject::post_locked(DWORD message, DWORD process_id)
{
    if (port_ == nullptr) return;
    // The job's lock, then the port's: nothing takes them the other way round.
    port_->lock.lock();
    if (port_->closed()) {
        port_->lock.unlock();  // no handle left: the message goes nowhere
        return;
    }
    auto* value = reinterpret_cast<OVERLAPPED*>(static_cast<uintptr_t>(process_id));
    port_->post_and_unlock(Packet{port_key_, value, STATUS_SUCCESS, message});
}

bool JobObject::announce_locked(ProcessObject* process)
{
    if (port_ == nullptr) return false;
    post_locked(kMessageNewProcess, id_of(process));
    if (has(watched_, process) || job_watch_hook == nullptr) return false;
    watched_.push_back(process);
    return true;
}

void JobObject::mark_ended_by_job_locked()
{
    // Not a member that has ended on its own already (its watch may not have reported it
    // yet): its EXIT_PROCESS is still due.
    for (ProcessObject* process : members_)
        if (!has(ended_by_job_, process) && !has(reported_, process) && !process->reap())
            ended_by_job_.push_back(process);
}

DWORD JobObject::associate_port(CompletionPort* port, ULONG_PTR key)
{
    std::vector<ProcessObject*> watch;
    CompletionPort* old = nullptr;
    {
        LockGuard guard(lock);
        if (port == nullptr) {
            old = port_;
            port_ = nullptr;
        } else {
            if (port_ != nullptr) return ERROR_INVALID_PARAMETER;
            port_ = port;
            port_key_ = key;
            // The members running now are announced, as on Windows; those that have
            // ended are not, and their end is not reported either.
            if (self_member_) post_locked(kMessageNewProcess, static_cast<DWORD>(getpid()));
            for (ProcessObject* process : members_) {
                if (has(reported_, process)) continue;
                if (process->reap()) {
                    reported_.push_back(process);
                    continue;
                }
                if (announce_locked(process)) watch.push_back(process);
            }
        }
    }
    if (old != nullptr) old->release_reference();
    for (ProcessObject* process : watch) job_watch_hook(this, process);
    return ERROR_SUCCESS;
}

void JobObject::member_exited(ProcessObject* process)
{
    process->lock.lock();
    DWORD code = process->exit_code();
    DWORD id = process->process_id();
    process->lock.unlock();
    LockGuard guard(lock);
    watched_.erase(std::remove(watched_.begin(), watched_.end(), process), watched_.end());
    if (!has(members_, process) || has(reported_, process)) return;
    reported_.push_back(process);
    if (!has(ended_by_job_, process))
        post_locked(abnormal_exit(code) ? kMessageAbnormalExitProcess : kMessageExitProcess, id);
    size_t active = members_.size() - reported_.size() + (self_member_ ? 1 : 0);
    if (active == 0) post_locked(kMessageActiveProcessZero, 0);
}

bool JobObject::snapshot(std::vector<ProcessObject*>* members)
{
    LockGuard guard(lock);
    return snapshot_locked(members);
}

bool JobObject::snapshot_locked(std::vector<ProcessObject*>* members)
{
    *members = members_;
    for (ProcessObject* process : *members) process->add_reference();
    return self_member_;
}

bool JobObject::terminate(DWORD exit_code)
{
    std::vector<ProcessObject*> members;
    bool self;
    {
        // Marked and taken in one hold: a member added meanwhile is either both or neither.
        LockGuard guard(lock);
        mark_ended_by_job_locked();
        self = snapshot_locked(&members);
    }
    for (ProcessObject* process : members) {
        process->terminate(exit_code);
        process->release_reference();
    }
    WakeList wake;  // flushed after the lock is released
    LockGuard guard(lock);
    signaled_ = true;  // TerminateJobObject signals the job, for good
    if (has_waiters()) signal_waiters(wake);
    return self;
}

void JobObject::set_limit_flags(uint32_t flags, uint32_t active_limit, uint64_t memory_limit)
{
    bool was, now, memory_changed;
    uint64_t memory;
    {
        LockGuard guard(lock);
        was = (limit_flags_ & kKillOnJobClose) != 0;
        uint64_t old_memory = memory_limit_;
        limit_flags_ = flags;
        active_limit_ = (flags & kActiveProcess) ? active_limit : 0;
        memory_limit_ = (flags & kProcessMemory) ? memory_limit : 0;
        memory = memory_limit_;
        memory_changed = memory != old_memory;
        now = (limit_flags_ & kKillOnJobClose) != 0;
    }
    if (memory_changed) {
        std::vector<ProcessObject*> members;
        if (snapshot(&members)) limit_memory(static_cast<ProcessObject*>(current_process_object()), memory);
        for (ProcessObject* process : members) {
            limit_memory(process, memory);
            process->release_reference();
        }
    }
    if (was == now) return;
    if (!now) {
        if (job_guard_drop_hook != nullptr) job_guard_drop_hook(this);
        return;
    }
    std::vector<ProcessObject*> members;
    snapshot(&members);
    for (ProcessObject* process : members) {
        guard_member(this, process);
        process->release_reference();
    }
}

uint32_t JobObject::limit_flags()
{
    LockGuard guard(lock);
    return limit_flags_;
}

uint32_t JobObject::active_process_limit()
{
    LockGuard guard(lock);
    return active_limit_;
}

uint64_t JobObject::process_memory_limit()
{
    LockGuard guard(lock);
    return memory_limit_;
}

JobObject::Accounting JobObject::accounting()
{
    Accounting result;
    std::vector<ProcessObject*> members;
    bool self;
    {
        // One hold, and the one rule of what is active (active_locked).
        LockGuard guard(lock);
        self = snapshot_locked(&members);
        result.active = active_locked();
        result.total = total_;
        result.terminated = terminated_;
    }
    uint64_t creation, exit, kernel, user;
    if (self) {
        static_cast<ProcessObject*>(current_process_object())->times(&creation, &exit, &kernel, &user);
        result.kernel_time += kernel;
        result.user_time += user;
    }
    for (ProcessObject* process : members) {
        process->times(&creation, &exit, &kernel, &user);
        result.kernel_time += kernel;
        result.user_time += user;
        process->release_reference();
    }
    return result;
}

std::vector<DWORD> JobObject::process_ids()
{
    std::vector<DWORD> ids;
    std::vector<ProcessObject*> members;
    bool self = snapshot(&members);
    if (self) ids.push_back(static_cast<DWORD>(getpid()));
    for (ProcessObject* process : members) {
        if (!process->reap()) {
            process->lock.lock();
            ids.push_back(process->process_id());
            process->lock.unlock();
        }
        process->release_reference();
    }
    return ids;
}

void JobObject::last_handle_closed()
{
    // Under `lock` (the handle table's close). A process's lock is never held while a
    // job's is taken, so ending the members here keeps the order job, then process.
    if (!(limit_flags_ & kKillOnJobClose)) return;
    mark_ended_by_job_locked();
    for (ProcessObject* process : members_) process->terminate(0);
}

void JobObject::recycle()
{
    {
        std::lock_guard<std::mutex> guard(jobs_mutex);
        live_jobs->erase(this);
    }
    if (job_guard_drop_hook != nullptr) job_guard_drop_hook(this);  // ended (by its close, if it kills)
    lock.lock();
    std::vector<ProcessObject*> members;
    members.swap(members_);
    CompletionPort* port = port_;
    port_ = nullptr;
    reported_.clear();
    ended_by_job_.clear();
    watched_.clear();
    lock.unlock();
    if (port != nullptr) port->release_reference();
    for (ProcessObject* process : members) process->release_reference();
    Pool<JobObject>::instance().release(this);
}

JobObject* current_job()
{
    std::lock_guard<std::mutex> guard(jobs_mutex);
    if (own_job != nullptr) own_job->add_reference();
    return own_job;
}

bool in_any_job(ProcessObject* process)
{
    std::vector<JobObject*> jobs;
    {
        std::lock_guard<std::mutex> guard(jobs_mutex);
        for (JobObject* job : *live_jobs)
            if (job->try_add_reference()) jobs.push_back(job);
    }
    bool inside = false;
    for (JobObject* job : jobs) {
        inside = inside || job->contains(process);
        job->release_reference();
    }
    return inside;
}

}  // namespace overlapped::kernel
