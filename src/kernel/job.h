// job.h: job objects (CreateJobObject): a set of processes ended together.
//
// Members are the processes assigned to the job (children, or others the user may
// signal) and, when this process is one of them, every child it starts afterwards, as a
// child inherits its parent's job on Windows. TerminateJobObject ends them all; with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE so does closing the job's last handle, and this
// process's end, however it ends (its handles close then on Windows): a normal exit here,
// any other through the guard (below). Signalled once TerminateJobObject has ended its
// members (and from then on, as on Windows). With a completion port associated
// (JobObjectAssociateCompletionPortInformation) it posts Windows' messages: a member's
// arrival (JOB_OBJECT_MSG_NEW_PROCESS), its end (EXIT_PROCESS, or ABNORMAL_EXIT_PROCESS for
// an exception's exit code; none for a member the job itself ended), and the last active
// member's end (ACTIVE_PROCESS_ZERO). A member's end is seen by a watch of its pidfd
// (job_watch_hook, the process driver's).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "kernel/object.h"
#include "kernel/process.h"

namespace overlapped::kernel {

class CompletionPort;

class JobObject final : public Object {
public:
    JobObject() : Object(ObjectType::Job) {}
    bool is_signaled(const ThreadState*) const override { return signaled_; }
    void last_handle_closed() override;

    // A new job (one reference).
    static JobObject* create();

    // Adds `process` (this process itself when it is current_process_object()).
    // ERROR_ACCESS_DENIED when it has ended.
    DWORD assign(ProcessObject* process);
    bool contains(ProcessObject* process);
    // Ends every member but this process with `exit_code`; whether this process is one.
    bool terminate(DWORD exit_code);
    // `active_limit`: ActiveProcessLimit, for JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    // `memory_limit`: ProcessMemoryLimit, for JOB_OBJECT_LIMIT_PROCESS_MEMORY (each
    // member's RLIMIT_DATA, set now for the members and as each one joins).
    void set_limit_flags(uint32_t flags, uint32_t active_limit = 0, uint64_t memory_limit = 0);
    uint32_t limit_flags();
    uint32_t active_process_limit();
    uint64_t process_memory_limit();
    // CreateProcess in this job: whether another member may start (JOB_OBJECT_LIMIT_ACTIVE_PROCESS);
    // if not, the job has posted JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT and counted the process.
    bool admits_another();
    // JobObjectBasicAccountingInformation: the counts, and the user and kernel time of
    // every process that has been a member (FILETIME units: running ones' so far, ended
    // ones' as their reaping reported; this process's own when it is one).
    struct Accounting {
        uint32_t total = 0, active = 0, terminated = 0;
        uint64_t kernel_time = 0, user_time = 0;
    };
    Accounting accounting();
    // The members' ids.
    std::vector<DWORD> process_ids();

    // JobObjectAssociateCompletionPortInformation: `port` (the job takes a reference) and
    // `key`; the members running now are announced (NEW_PROCESS). A null port removes the
    // association. ERROR_INVALID_PARAMETER if a port is already associated.
    DWORD associate_port(CompletionPort* port, ULONG_PTR key);
    // The watch's report (job_watch_hook): `process`, a member, has ended.
    void member_exited(ProcessObject* process);

private:
    void recycle() override;
    // The members, each with a reference the caller releases; whether this process is one.
    bool snapshot(std::vector<ProcessObject*>* members);
    bool snapshot_locked(std::vector<ProcessObject*>* members);  // the same, under `lock`
    // Under `lock`: the members running now (this process too when it is one).
    uint32_t active_locked();
    // Under `lock`: posts a message to the associated port, if any.
    void post_locked(DWORD message, DWORD process_id);
    // Under `lock`: `process` (a member) is announced and watched, if a port is associated.
    // Returns whether the caller must arm its watch (job_watch_hook, after the lock).
    bool announce_locked(ProcessObject* process);
    // Under `lock`: marks the running members as ended by the job itself (TerminateJobObject,
    // kill on close), so that their end posts no EXIT_PROCESS.
    void mark_ended_by_job_locked();

    std::vector<ProcessObject*> members_;  // a reference each; under `lock`
    bool self_member_ = false;
    uint32_t limit_flags_ = 0;
    uint32_t total_ = 0;
    uint32_t active_limit_ = 0;
    uint64_t memory_limit_ = 0;  // JOB_OBJECT_LIMIT_PROCESS_MEMORY's, bytes
    uint32_t terminated_ = 0;  // by a limit violation (the active-process limit)
    bool signaled_ = false;    // TerminateJobObject ran
    CompletionPort* port_ = nullptr;  // a reference, or null
    ULONG_PTR port_key_ = 0;
    // Members whose end was reported (or that had ended when the port came), those the
    // job ended, and those a watch looks at; each a subset of members_.
    std::vector<ProcessObject*> reported_;
    std::vector<ProcessObject*> ended_by_job_;
    std::vector<ProcessObject*> watched_;
};

// The job this process is in (a reference), or null: CreateProcess adds its children to
// it unless they break away.
JobObject* current_job();

// Whether `process` is a member of any job of this process (IsProcessInJob with no job).
bool in_any_job(ProcessObject* process);

// The guard of kill-on-close jobs (drivers/process.cpp installs it): on Windows a job's
// handles close with the process that holds them, however it ends, and the members of a
// kill-on-close job end then; Linux ends nothing when a process is killed, so a guard
// process holds a pidfd of each member and ends them if this process dies. `add` gives it
// a member of `job` (it takes the descriptor); `drop` makes it forget the job's members
// (the job ended, or no longer kills on close). Never called under an object's lock.
// The add hook looks at the job's flag again (limit_flags()), so that an add raced by a
// clearing of the flag is not sent after its drop.
extern void (*job_guard_add_hook)(JobObject* job, int pidfd);
extern void (*job_guard_drop_hook)(JobObject* job);

// Arms a watch of `process`'s pidfd that calls job->member_exited(process) once it has
// ended (it holds a reference to each meanwhile). Set by the process driver; called
// without locks.
extern void (*job_watch_hook)(JobObject* job, ProcessObject* process);

}  // namespace overlapped::kernel
