// job.cpp: job objects (job.h).
#include "kernel/job.h"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <set>
#include <unistd.h>

namespace overlapped::kernel {
namespace {

constexpr uint32_t kKillOnJobClose = 0x00002000;  // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE

std::mutex jobs_mutex;
std::set<JobObject*>* live_jobs = new std::set<JobObject*>();  // for the exit
JobObject* own_job = nullptr;  // a reference: the job this process is in

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
    job->total_ = job->terminated_ = 0;
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
        lock.unlock();
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
    bool guarded;
    {
        LockGuard guard(lock);
        if (std::find(members_.begin(), members_.end(), process) != members_.end()) return ERROR_SUCCESS;
        process->add_reference();
        members_.push_back(process);
        ++total_;
        guarded = (limit_flags_ & kKillOnJobClose) != 0;
    }
    if (guarded) guard_member(this, process);
    return ERROR_SUCCESS;
}

bool JobObject::contains(ProcessObject* process)
{
    LockGuard guard(lock);
    if (process == current_process_object()) return self_member_;
    return std::find(members_.begin(), members_.end(), process) != members_.end();
}

bool JobObject::snapshot(std::vector<ProcessObject*>* members)
{
    LockGuard guard(lock);
    *members = members_;
    for (ProcessObject* process : *members) process->add_reference();
    return self_member_;
}

bool JobObject::terminate(DWORD exit_code)
{
    std::vector<ProcessObject*> members;
    bool self = snapshot(&members);
    for (ProcessObject* process : members) {
        process->terminate(exit_code);
        process->release_reference();
    }
    return self;
}

void JobObject::set_limit_flags(uint32_t flags)
{
    bool was, now;
    {
        LockGuard guard(lock);
        was = (limit_flags_ & kKillOnJobClose) != 0;
        limit_flags_ = flags;
        now = (limit_flags_ & kKillOnJobClose) != 0;
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

void JobObject::counts(uint32_t* total, uint32_t* active, uint32_t* terminated)
{
    std::vector<ProcessObject*> members;
    *active = snapshot(&members) ? 1 : 0;
    {
        LockGuard guard(lock);
        *total = total_;
        *terminated = terminated_;
    }
    for (ProcessObject* process : members) {
        if (!process->reap()) ++*active;  // still running
        process->release_reference();
    }
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
    lock.unlock();
    for (ProcessObject* process : members) process->release_reference();
    Pool<JobObject>::instance().release(this);
}

JobObject* current_job()
{
    std::lock_guard<std::mutex> guard(jobs_mutex);
    if (own_job != nullptr) own_job->add_reference();
    return own_job;
}

}  // namespace overlapped::kernel
