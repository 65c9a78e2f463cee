// job.h: job objects (CreateJobObject): a set of processes ended together.
//
// Members are the processes assigned to the job (children, or others the user may
// signal) and, when this process is one of them, every child it starts afterwards, as a
// child inherits its parent's job on Windows. TerminateJobObject ends them all; with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE so does closing the job's last handle, and this
// process's end, however it ends (its handles close then on Windows): a normal exit here,
// any other through the guard (below). Not waitable.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "kernel/object.h"
#include "kernel/process.h"

namespace overlapped::kernel {

class JobObject final : public Object {
public:
    JobObject() : Object(ObjectType::Job) {}
    bool is_signaled(const ThreadState*) const override { return false; }
    void last_handle_closed() override;

    // A new job (one reference).
    static JobObject* create();

    // Adds `process` (this process itself when it is current_process_object()).
    // ERROR_ACCESS_DENIED when it has ended.
    DWORD assign(ProcessObject* process);
    bool contains(ProcessObject* process);
    // Ends every member but this process with `exit_code`; whether this process is one.
    bool terminate(DWORD exit_code);
    void set_limit_flags(uint32_t flags);
    uint32_t limit_flags();
    // JobObjectBasicAccountingInformation's counts, and the members' ids.
    void counts(uint32_t* total, uint32_t* active, uint32_t* terminated);
    std::vector<DWORD> process_ids();

private:
    void recycle() override;
    // The members, each with a reference the caller releases; whether this process is one.
    bool snapshot(std::vector<ProcessObject*>* members);

    std::vector<ProcessObject*> members_;  // a reference each; under `lock`
    bool self_member_ = false;
    uint32_t limit_flags_ = 0;
    uint32_t total_ = 0;
    uint32_t terminated_ = 0;  // by a limit violation: none of the limits built ends a process
};

// The job this process is in (a reference), or null: CreateProcess adds its children to
// it unless they break away.
JobObject* current_job();

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

}  // namespace overlapped::kernel
