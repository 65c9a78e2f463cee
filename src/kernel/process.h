// process.h: process objects. The object behind GetCurrentProcess() (waitable, never
// signalled while the process runs), and child processes started by CreateProcess: a
// child is a Linux process held by a pidfd, signalled when it exits (its waiters are
// woken by whoever reaps it: a lone waiter polling the pidfd (wait_exit), the pidfd watch
// of src/drivers/process.cpp that a wait arms, or a query that finds it gone), with its
// exit code. docs/processes.md.
#pragma once

#include <sys/types.h>

#include <string>

#include "kernel/object.h"
#include "kernel/wait.h"

namespace overlapped::kernel {

class ProcessObject final : public Object {
public:
    ProcessObject() : Object(ObjectType::Process) {}
    // Under `lock`. A child nobody watches yet is looked at now (reaped if it has
    // exited); if it still runs, its pidfd watch is armed (process_watch_hook) so the
    // waiter about to link is woken when it exits.
    bool is_signaled(const ThreadState*) const override;

    // A new child object for `pid`, held by `pidfd` (taken over), one reference; listed
    // for OpenProcess until it is recycled. `gate`: CREATE_SUSPENDED's descriptor (the
    // child runs once a byte is written to it), or -1.
    static ProcessObject* create_child(pid_t pid, int pidfd, int gate);
    // OpenProcess of a process that is not our child: waitable through its pidfd (taken
    // over), its exit code unknown (0 once it has exited).
    static ProcessObject* create_foreign(pid_t pid, int pidfd);

    // Under `lock`.
    bool exited() const { return exited_; }
    DWORD exit_code() const { return exited_ ? exit_code_ : STILL_ACTIVE; }
    DWORD process_id() const;
    // GetProcessTimes, in FILETIME units: creation, exit (0 while it runs), kernel and
    // user time (its own threads', not its children's). This process: from Linux now; a
    // child: from Linux while it runs, as its reaping reported them after; another
    // process: from Linux while it runs, 0 after. Without `lock`.
    void times(uint64_t* creation, uint64_t* exit, uint64_t* kernel, uint64_t* user);
    bool is_child() const { return pidfd_ >= 0; }
    int pidfd() const { return pidfd_; }
    // Under `lock`: the priority class SetPriorityClass gave another process through this
    // object (0: none), and the priority SetThreadPriority gave a child's primary thread
    // (THREAD_PRIORITY_NORMAL until then), kept for the Get functions (also once it ended).
    DWORD priority_class() const { return priority_class_; }
    void set_priority_class(DWORD priority_class) { priority_class_ = priority_class; }
    int primary_priority() const { return primary_priority_; }
    void set_primary_priority(int priority) { primary_priority_ = priority; }
    // Under `lock`: the program (a Linux path) of a child or another process, as it was
    // when the object was made (QueryFullProcessImageName: Windows still names the image
    // of a process that has ended, whose /proc/PID/exe is gone); empty: unknown.
    const std::string& image() const { return image_; }
    void set_image(std::string image) { image_ = std::move(image); }
    // Whether the pidfd watch is armed (it then holds a reference until the exit is seen).
    bool watched() const { return watched_; }
    void set_watched(bool watched) { watched_ = watched; }

    // Without `lock`: reaps the child if it has exited (waitid on the pidfd, no
    // blocking), then records its exit code and wakes its waiters. Returns whether it has
    // exited (now or before).
    bool reap();

    // Without `lock`, with a reference held: WaitForSingleObject (not alertable) on a
    // child: this thread sleeps in poll on the child's pidfd, then reaps it itself, the
    // way a Linux program's waitpid is woken (no watch, no hop through the I/O manager's
    // completion thread). Returns WAIT_OBJECT_0 or WAIT_TIMEOUT; kWaiting when the object
    // is not a child (the current process: the usual wait).
    DWORD wait_exit(const Deadline& deadline);

    // Without `lock`: TerminateProcess. ERROR_SUCCESS, or ERROR_ACCESS_DENIED when the
    // process has already exited (as Windows answers).
    DWORD terminate(DWORD exit_code);

    // Without `lock`: ResumeThread on the primary thread of a child. Returns the previous
    // suspend count (0: nothing changes); the count going to 0 lets a child created
    // suspended run (its gate), or continues one SuspendThread stopped (SIGCONT).
    DWORD resume();

    // Without `lock`: SuspendThread on the primary thread of a child. Returns the previous
    // suspend count; a child that runs is stopped (SIGSTOP through the pidfd: all of its
    // threads, where Windows stops the one). (DWORD)-1 with `*error`: ERROR_ACCESS_DENIED
    // when it has exited (Windows' STATUS_THREAD_IS_TERMINATING), ERROR_SIGNAL_REFUSED at
    // MAXIMUM_SUSPEND_COUNT, ERROR_INVALID_HANDLE for a process that is not our child.
    DWORD suspend(DWORD* error);

private:
    friend bool process_break_child_group(DWORD group);
    void recycle() override;

    // Under `lock`: waitid on the pidfd without blocking; records the exit if it has
    // happened (waking no one). Whether it has.
    bool collect_locked();

    pid_t pid_ = 0;
    int pidfd_ = -1;
    bool watched_ = false;
    int gate_ = -1;
    DWORD suspend_count_ = 0;  // the primary thread's: 1 while gate_ holds the child
    bool stopped_ = false;     // SuspendThread sent SIGSTOP; SIGCONT is owed
    bool exited_ = false;
    bool foreign_ = false;     // not our child: no waitid, the pidfd's readability says it ended
    bool terminated_ = false;  // TerminateProcess sent SIGKILL with terminate_code_
    DWORD exit_code_ = 0;
    DWORD terminate_code_ = 0;
    DWORD priority_class_ = 0;
    int primary_priority_ = 0;  // THREAD_PRIORITY_NORMAL
    std::string image_;
    uint64_t creation_time_ = 0;  // times()
    uint64_t exit_time_ = 0;
    uint64_t kernel_time_ = 0;
    uint64_t user_time_ = 0;
};

// Set by the process driver (src/drivers/process.cpp): arms the pidfd watch of a child
// (called under its lock, with watched() false; it sets watched() and takes a reference),
// and takes over the pidfd of a child whose object is recycled before its exit was seen
// (the driver reaps it when it exits, then closes the pidfd: no zombie is left).
extern void (*process_watch_hook)(ProcessObject* process);
extern void (*process_orphan_hook)(pid_t pid, int pidfd);

// The process object (one reference is held forever by the library).
Object* current_process_object();

// Whether this is a fork()ed copy of the process that loaded the library: exit handlers
// that act for that process (ending its jobs' members, its pipe links) do nothing here.
bool process_is_forked_copy();

// OpenProcess: a child of this process by id, with a new reference; nullptr if `pid` is
// not a child this library started (and still holds).
ProcessObject* process_find_child(DWORD pid);

// The child's process object behind a primary-thread handle (one with
// kAccessPrimaryThread), referenced, and the handle's access; null with *error
// (ERROR_INVALID_HANDLE for any other handle, a process handle included).
ProcessObject* process_primary_thread_reference(HANDLE handle, ACCESS_MASK* granted, DWORD* error);

// ResumeThread on a handle that names a child's process object (PROCESS_INFORMATION's
// hThread): resumes a child created suspended. False if `handle` names no child.
bool process_resume_primary(HANDLE handle, DWORD* previous);

// SuspendThread on a handle that names a child's process object: its suspend count
// (ProcessObject::suspend), `*previous` or (DWORD)-1 with `*error`. False if `handle`
// names no process.
bool process_suspend_primary(HANDLE handle, DWORD* previous, DWORD* error);

// GetThreadId / GetExitCodeThread on a child's primary-thread handle: its id (the pid)
// and exit code (the process's: the thread ends with it). False if `handle` names no child.
bool process_primary_thread_query(HANDLE handle, DWORD* id, DWORD* exit_code);

// GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group): when `group` is the process group of a
// child started with CREATE_NEW_PROCESS_GROUP (its leader's pid), sends SIGQUIT (Ctrl-Break)
// to that group and returns true; false for any other group.
bool process_break_child_group(DWORD group);

// The exit code Windows would report for a Linux wait status of a child (si_code and
// si_status of waitid), `terminate_code` if TerminateProcess killed it.
DWORD process_exit_code(int how, int status, bool terminated, DWORD terminate_code);

}  // namespace overlapped::kernel
