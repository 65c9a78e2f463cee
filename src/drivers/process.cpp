// process.cpp: starting a child (posix_spawn; fork for CREATE_SUSPENDED, whose child
// waits on a gate before it runs the program), passing it its standard descriptors and
// the handles it inherits, watching its pidfd, and the child's side: the start-up that
// rebuilds inherited handles at the values its parent had. docs/processes.md.
#include "drivers/process.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "drivers/handle_offer.h"
#include "drivers/inherit.h"
#include "drivers/peer.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "kernel/job.h"

extern char** environ;

namespace overlapped::drivers {
namespace {

// The variable that carries a child's start-up record (removed by the child's library).
constexpr char kStartupVariable[] = "OVERLAPPED_STARTUP";
constexpr unsigned kStartupStdHandles = 1;  // the record's flags
constexpr unsigned kStartupDetached = 2;
constexpr unsigned kStartupPseudoConsole = 4;  // a null standard handle is the pseudo console's terminal
constexpr unsigned kStartupClassShift = 8;     // a priority class flag given, shifted up

// One handle passed to the child.
struct Passed {
    HANDLE value = nullptr;
    // A duplicate of the object's descriptor, made under its lock (the object may replace
    // or close its own meanwhile: an AcceptEx, a renewed connect, a close), closed once
    // the child is started. It keeps the open file; the object itself is not held.
    int descriptor = -1;
    kernel::ObjectType type = kernel::ObjectType::Any;
    ACCESS_MASK access = 0;
    DWORD flags = 0;
    uint32_t extra = 0;
    dev_t device = 0;
    ino_t inode = 0;
    // A duplicate of the kind's second descriptor (InheritKind::export_aux), or -1; the
    // number it gets in the child.
    int aux = -1;
    int aux_in_child = -1;
    uint32_t aux_word = 0;
    dev_t aux_device = 0;
    ino_t aux_inode = 0;
};

// Lets go of what collect_inheritable took for one handle.
void release_passed(Passed& passed)
{
    if (passed.descriptor >= 0) close(passed.descriptor);
    if (passed.aux >= 0) close(passed.aux);
}

// Under the object's lock (kernel::handle_for_each_inheritable).
void collect_inheritable(HANDLE handle, kernel::Object* object, ACCESS_MASK access, DWORD flags, void* context)
{
    const InheritKind* kind = inherit_kind(object->type());
    if (kind == nullptr) return;
    Passed passed;
    bool aux_failed = false;  // (then it goes without its second descriptor)
    if (!inherit_duplicate(kind, object, &passed.descriptor, &passed.extra, &passed.aux, &passed.aux_word, &aux_failed))
        return;
    struct stat status;
    if (passed.descriptor < 0 || fstat(passed.descriptor, &status) != 0) {
        if (passed.descriptor >= 0) close(passed.descriptor);
        if (passed.aux >= 0) close(passed.aux);
        return;
    }
    if (passed.aux >= 0) {
        struct stat aux_status;
        if (fstat(passed.aux, &aux_status) != 0) {
            close(passed.aux);
            passed.aux = -1;
        } else {
            passed.aux_device = aux_status.st_dev;
            passed.aux_inode = aux_status.st_ino;
        }
    }
    passed.value = handle;
    passed.type = object->type();
    passed.access = access;
    passed.flags = flags;
    passed.device = status.st_dev;
    passed.inode = status.st_ino;
    static_cast<std::vector<Passed>*>(context)->push_back(passed);
}

}  // namespace

int std_descriptor(HANDLE handle)
{
    if (handle == nullptr || handle == INVALID_HANDLE_VALUE) return -1;
    DWORD error;
    kernel::Object* object = kernel::handle_lock(handle, kernel::ObjectType::Any, 0, &error);
    if (object == nullptr) return -1;
    const InheritKind* kind = inherit_kind(object->type());
    uint32_t extra = 0;
    int descriptor = -1;
    if (kind != nullptr) inherit_duplicate(kind, object, &descriptor, &extra, nullptr, nullptr, nullptr);
    object->lock.unlock();
    return descriptor;
}

namespace {

char hex_digit(unsigned value) { return "0123456789abcdef"[value & 15]; }

std::string hex_encode(const std::string& text)
{
    std::string out;
    out.reserve(text.size() * 2);
    for (unsigned char c : text) {
        out += hex_digit(c >> 4);
        out += hex_digit(c);
    }
    return out;
}

std::string hex_decode(const char* text, const char* end)
{
    std::string out;
    auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (; text + 1 < end; text += 2) {
        int high = value(text[0]), low = value(text[1]);
        if (high < 0 || low < 0) break;
        out += static_cast<char>(high * 16 + low);
    }
    return out;
}

// "OVERLAPPED_STARTUP=3;ppid;std0,std1,std2;flags;hex(command line);window;records" (flags,
// hex: 1 STARTF_USESTDHANDLES, 2 DETACHED_PROCESS; window: STARTUPINFO's dwFlags,
// wShowWindow, dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute in
// hex, then lpTitle and lpDesktop as hex strings or '-' for NULL, separated by ','), a record
// "value:descriptor:type:access:flags:extra:device:inode:aux:auxword:auxdevice:auxinode"
// (hexadecimal; aux ffffffff: none), records separated by '/'. The number after '=' is the
// format's version: a child of another version ignores the record.
std::string startup_record(const SpawnRequest& request, const std::vector<Passed>& passed)
{
    char buffer[256];
    std::string record = kStartupVariable;
    snprintf(buffer, sizeof buffer, "=3;%d;%lx,%lx,%lx;%x;", static_cast<int>(getpid()),
             static_cast<unsigned long>(reinterpret_cast<uintptr_t>(request.std_handles[0])),
             static_cast<unsigned long>(reinterpret_cast<uintptr_t>(request.std_handles[1])),
             static_cast<unsigned long>(reinterpret_cast<uintptr_t>(request.std_handles[2])),
             (request.use_std_handles ? kStartupStdHandles : 0u) | (request.detached ? kStartupDetached : 0u) |
                 (request.terminal >= 0 ? kStartupPseudoConsole : 0u) |
                 (static_cast<unsigned>(request.priority_class) << kStartupClassShift));
    record += buffer;
    record += hex_encode(request.command_line);
    const StartupWindow& w = request.window;
    snprintf(buffer, sizeof buffer, ";%lx,%lx,%lx,%lx,%lx,%lx,%lx,%lx,%lx,", static_cast<unsigned long>(w.flags),
             static_cast<unsigned long>(w.show), static_cast<unsigned long>(w.x), static_cast<unsigned long>(w.y),
             static_cast<unsigned long>(w.x_size), static_cast<unsigned long>(w.y_size),
             static_cast<unsigned long>(w.x_chars), static_cast<unsigned long>(w.y_chars),
             static_cast<unsigned long>(w.fill));
    record += buffer;
    record += w.has_title ? hex_encode(w.title) : std::string("-");
    record += ',';
    record += w.has_desktop ? hex_encode(w.desktop) : std::string("-");
    record += ';';
    for (size_t i = 0; i < passed.size(); ++i) {
        const Passed& p = passed[i];
        snprintf(buffer, sizeof buffer, "%s%lx:%x:%x:%lx:%lx:%lx:%llx:%llx:%x:%lx:%llx:%llx", i == 0 ? "" : "/",
                 static_cast<unsigned long>(reinterpret_cast<uintptr_t>(p.value)), static_cast<unsigned>(3 + i),
                 static_cast<unsigned>(p.type), static_cast<unsigned long>(p.access),
                 static_cast<unsigned long>(p.flags), static_cast<unsigned long>(p.extra),
                 static_cast<unsigned long long>(p.device), static_cast<unsigned long long>(p.inode),
                 static_cast<unsigned>(p.aux_in_child), static_cast<unsigned long>(p.aux_word),
                 static_cast<unsigned long long>(p.aux_device), static_cast<unsigned long long>(p.aux_inode));
        record += buffer;
    }
    return record;
}

DWORD spawn_error(int error)
{
    switch (error) {
    case ENOENT: return ERROR_FILE_NOT_FOUND;
    case ENOTDIR: return ERROR_DIRECTORY;
    case EACCES:
    case EPERM: return ERROR_ACCESS_DENIED;
    case ENOEXEC:
    case ELIBBAD: return ERROR_BAD_EXE_FORMAT;
    case E2BIG: return ERROR_FILENAME_EXCED_RANGE;
    case ENOMEM:
    case EAGAIN: return ERROR_NOT_ENOUGH_MEMORY;
    case EMFILE:
    case ENFILE: return ERROR_TOO_MANY_OPEN_FILES;
    default: return ERROR_GEN_FAILURE;
    }
}

// ---- the pidfd watch

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

// A watch of a child's pidfd: of its process object (`process`), or, for an orphan (a
// child whose object was recycled before its exit was seen), of the pidfd alone. While it
// is under way, the I/O manager's list of internal operations keeps it reachable (for leak
// checkers too, when a child outlives this process).
struct Watch {
    io::InternalOp op;  // first: the engine hands it back
    kernel::ProcessObject* process = nullptr;
    int orphan_pidfd = -1;
    kernel::JobObject* job = nullptr;  // a job's watch of its member `process` (job_watch_hook)
};

void watch_submit(Watch* watch, int pidfd);

// An orphan's exit: reaped (true) or not yet.
bool reap_orphan(int pidfd)
{
    siginfo_t info{};
    int result;
    do {
        result = waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info, WEXITED | WNOHANG);
    } while (result < 0 && errno == EINTR);
    return result < 0 || info.si_pid != 0;  // reaped, or gone (ECHILD: reaped by another)
}

void watch_fired(engine::Op* op)
{
    // Nothing cancels a watch (io::submit_internal arms it again if its arming thread's
    // exit ended it): it fired, and the child has ended, or will have in a moment.
    auto* watch = reinterpret_cast<Watch*>(op);
    if (watch->process == nullptr) {
        int pidfd = watch->orphan_pidfd;
        if (reap_orphan(pidfd)) {
            close(pidfd);
            delete watch;
            return;
        }
        watch_submit(watch, pidfd);  // woken before the exit could be collected: again
        return;
    }
    kernel::ProcessObject* process = watch->process;
    if (process->reap()) {
        if (kernel::JobObject* job = watch->job) {
            job->member_exited(process);
            job->release_reference();  // the watch's
        }
        process->release_reference();  // the watch's
        delete watch;
        return;
    }
    process->lock.lock();
    int pidfd = process->pidfd();
    process->lock.unlock();
    watch_submit(watch, pidfd);  // woken before the child's exit could be collected: again
}

// Where no engine runs: a thread waits on the pidfd (the engine is the normal path).
void watch_with_thread(kernel::ProcessObject* process, int pidfd, kernel::JobObject* job)
{
    std::thread([process, pidfd, job] {
        for (;;) {
            pollfd entry{pidfd, POLLIN, 0};
            int ready = poll(&entry, 1, 1000);
            if (ready < 0 && errno != EINTR) break;
            if (process != nullptr ? process->reap() : reap_orphan(pidfd)) break;
        }
        if (job != nullptr) {
            if (process->reap()) job->member_exited(process);
            job->release_reference();
        }
        if (process != nullptr)
            process->release_reference();
        else
            close(pidfd);
    }).detach();
}

void watch_submit(Watch* watch, int pidfd)
{
    io::InternalOp& op = watch->op;
    op.reset();
    op.code = engine::OpCode::Poll;
    op.kind = engine::OpKind::Stream;
    op.descriptor = pidfd;
    op.flags = POLLIN;
    op.complete = &watch_fired;
    if (!io::submit_internal(&op)) {
        kernel::ProcessObject* process = watch->process;
        kernel::JobObject* job = watch->job;
        delete watch;
        watch_with_thread(process, pidfd, job);
    }
}

// kernel::process_watch_hook: under the process's lock, when a wait finds the child
// running and nobody watching it. The watch holds a reference until it sees the exit.
void watch_process(kernel::ProcessObject* process)
{
    process->set_watched(true);
    process->add_reference();  // the watch's
    Watch* watch = new Watch();
    watch->process = process;
    watch_submit(watch, process->pidfd());
}

// kernel::process_orphan_hook: a child whose object is recycled before its exit was seen.
void watch_orphan(pid_t, int pidfd)
{
    Watch* watch = new Watch();
    watch->orphan_pidfd = pidfd;
    watch_submit(watch, pidfd);
}

// ---- the guard of kill-on-close jobs (kernel/job.h)
//
// A process of its own, started (forked twice, so that init reaps it, never this process)
// when the first member of a kill-on-close job is added. It holds a pidfd of each member
// and one end of a socket whose other end only this process holds (close-on-exec, so no
// child keeps it). The socket ends when this process does, however it ends: the guard
// then ends the members it still holds (a pidfd names its process for good: one that has
// ended meanwhile is not mistaken for another) and exits. At a normal exit the members
// were ended already (end_jobs_at_exit), as the guard's kills find.

struct GuardMessage {
    uint64_t job;
    uint32_t op;  // kGuardAdd (a pidfd beside it), kGuardDrop
    uint32_t unused;
};
constexpr uint32_t kGuardAdd = 1;
constexpr uint32_t kGuardDrop = 2;
constexpr int kGuardMembers = 1024;

std::mutex guard_mutex;
int guard_socket = -1;  // this process's end; -1: none (yet, or the guard could not start)
bool guard_failed = false;

// The guard's members (its copy of this memory, after the fork).
int guard_pidfds[kGuardMembers];
uint64_t guard_jobs[kGuardMembers];

// Keeps the first `count` members for which `drop(i)` is false, closing the others'
// pidfds; the count kept.
template <class Drop>
int guard_keep(int count, Drop drop)
{
    int kept = 0;
    for (int i = 0; i < count; ++i) {
        if (drop(i)) {
            close(guard_pidfds[i]);
            continue;
        }
        guard_jobs[kept] = guard_jobs[i];
        guard_pidfds[kept++] = guard_pidfds[i];
    }
    return kept;
}

// Closes every descriptor from `first` on; only system calls (after a fork). Without
// close_range (Linux before 5.9, or a seccomp filter that refuses it), one by one.
void close_from(int first)
{
    if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
    rlimit limit{};
    long last = 1 << 16;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        last = static_cast<long>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
    for (long fd = first; fd < last; ++fd) close(static_cast<int>(fd));
}

// The guard process: only system calls (it is a fork of a process with threads).
[[noreturn]] void guard_main(int socket_fd)
{
    if (socket_fd != 3 && dup2(socket_fd, 3) < 0) _exit(1);
    close_from(4);  // this process's other end among them: the guard must see it end
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd < 3; ++fd) {
        if (null >= 0) dup2(null, fd);
        else close(fd);
    }
    if (null > 3) close(null);
    setsid();  // no signals from this process's terminal
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_NAME, "overlapped-jobs", 0, 0, 0);
    char ready = 'R';  // start_guard_locked waits for this
    if (send(3, &ready, 1, MSG_NOSIGNAL) != 1) _exit(1);
    int count = 0;
    for (;;) {
        // Only this process sends here, whole records: anything else is its end.
        DescriptorMessage<GuardMessage, 1> received;
        int pidfd = -1, descriptors = 0;
        if (!received.receive_some(3, &pidfd, &descriptors)) break;
        const GuardMessage& message = received.record;
        if (message.op == kGuardDrop) {
            count = guard_keep(count, [&](int i) { return guard_jobs[i] == message.job; });
        } else if (message.op == kGuardAdd && pidfd >= 0) {
            if (count == kGuardMembers) {
                // Full: forget the members that have ended (a pidfd reads as ready then).
                count = guard_keep(count, [](int i) {
                    pollfd entry{guard_pidfds[i], POLLIN, 0};
                    return poll(&entry, 1, 0) > 0;
                });
            }
            if (count < kGuardMembers) {
                guard_jobs[count] = message.job;
                guard_pidfds[count++] = pidfd;
            } else {
                close(pidfd);  // more than kGuardMembers members alive: this one is not guarded
            }
        } else if (pidfd >= 0) {
            close(pidfd);
        }
    }
    for (int i = 0; i < count; ++i) syscall(SYS_pidfd_send_signal, guard_pidfds[i], SIGKILL, nullptr, 0);
    _exit(0);
}

// Under guard_mutex: starts the guard; false if it cannot be (the members then end only
// with this process's normal exit, as before).
bool start_guard_locked()
{
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) return false;
    pid_t middle = fork();
    if (middle == 0) {
        // _Fork: no fork handlers in a copy of a process whose other threads are gone.
        pid_t guard = _Fork();
        if (guard == 0) guard_main(ends[1]);
        _exit(guard < 0 ? 1 : 0);
    }
    close(ends[1]);
    if (middle < 0) {
        close(ends[0]);
        return false;
    }
    // The middle process ends at once (a program that reaps its children itself, or
    // ignores SIGCHLD, may have taken it: ECHILD is no failure). The guard says it runs.
    pid_t waited;
    do {
        waited = waitpid(middle, nullptr, 0);
    } while (waited < 0 && errno == EINTR);
    char ready = 0;
    pollfd entry{ends[0], POLLIN, 0};
    if (poll(&entry, 1, 5000) != 1 || recv(ends[0], &ready, 1, MSG_DONTWAIT) != 1 || ready != 'R') {
        close(ends[0]);
        return false;
    }
    guard_socket = ends[0];
    return true;
}

void guard_send(kernel::JobObject* job, uint32_t op, int pidfd)
{
    std::lock_guard<std::mutex> guard(guard_mutex);
    // The job's kill-on-close flag is looked at again in the guard's order: an add made
    // after the flag was cleared (whose drop went first) is not sent.
    if (op == kGuardAdd && !(job->limit_flags() & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE))
        op = 0;
    if (op == kGuardAdd && guard_socket < 0 && !guard_failed) guard_failed = !start_guard_locked();
    if (op != 0 && guard_socket >= 0) {
        DescriptorMessage<GuardMessage, 1> message;
        message.record = GuardMessage{reinterpret_cast<uintptr_t>(job), op, 0};
        (void)message.send(guard_socket, pidfd >= 0 ? &pidfd : nullptr);
    }
    if (pidfd >= 0) close(pidfd);
}

void guard_add(kernel::JobObject* job, int pidfd) { guard_send(job, kGuardAdd, pidfd); }
void guard_drop(kernel::JobObject* job) { guard_send(job, kGuardDrop, -1); }

// kernel::job_watch_hook: a job with a completion port learns of its member's end.
void watch_job_member(kernel::JobObject* job, kernel::ProcessObject* process)
{
    job->add_reference();      // the watch's
    process->add_reference();  // the watch's
    Watch* watch = new Watch();
    watch->process = process;
    watch->job = job;
    process->lock.lock();
    int pidfd = process->pidfd();
    process->lock.unlock();
    watch_submit(watch, pidfd);
}

[[maybe_unused]] const bool hooks_installed = [] {
    kernel::job_watch_hook = &watch_job_member;
    kernel::process_watch_hook = &watch_process;
    kernel::process_orphan_hook = &watch_orphan;
    kernel::job_guard_add_hook = &guard_add;
    kernel::job_guard_drop_hook = &guard_drop;
    return true;
}();

// ---- starting the child

// The child of fork (CREATE_SUSPENDED): moves descriptors as posix_spawn's file actions
// would, waits at the gate, then runs the program. Only async-signal-safe calls.
[[noreturn]] void suspended_child(const SpawnRequest& request, const int* moves_from, const int* moves_to,
                                  size_t move_count, int first_closed, int gate, char* const* argv,
                                  char* const* envp)
{
    for (size_t i = 0; i < move_count; ++i)
        if (dup2(moves_from[i], moves_to[i]) < 0) _exit(127);
    if (!request.directory.empty() && chdir(request.directory.c_str()) != 0) _exit(127);
    if (request.detached || request.terminal >= 0) setsid();  // a new session is a new process group too
    else if (request.new_process_group) setpgid(0, 0);
    if (request.terminal >= 0) {
        // A session leader with no terminal that opens one gets it as its controlling terminal.
        int terminal = open(request.terminal_path.c_str(), O_RDWR);
        if (terminal < 0) _exit(127);
        close(terminal);
    }
    char go = 0;
    ssize_t got;
    do {
        got = read(gate, &go, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) _exit(127);  // the parent let go without resuming: the process never starts
    syscall(SYS_close_range, first_closed, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execve(request.path.c_str(), argv, envp);
    _exit(127);
}

}  // namespace

kernel::ProcessObject* process_spawn(const SpawnRequest& request, DWORD* error)
{
    std::vector<Passed> passed;
    if (request.inherit_handles) kernel::handle_for_each_inheritable(collect_inheritable, &passed);
    if (request.inherit_listed_only) {
        // PROC_THREAD_ATTRIBUTE_HANDLE_LIST: the inheritable handles it names, no others.
        std::vector<Passed> listed;
        for (Passed& p : passed) {
            if (std::find(request.inherit_list.begin(), request.inherit_list.end(), p.value) != request.inherit_list.end())
                listed.push_back(p);
            else
                release_passed(p);
        }
        passed.swap(listed);
    }
    std::sort(passed.begin(), passed.end(), [](const Passed& a, const Passed& b) { return a.value < b.value; });

    // Standard descriptors: STARTUPINFO's handles, or ours; /dev/null where there is none.
    int std_fds[3];
    int std_owned[3] = {-1, -1, -1};  // std_descriptor's duplicates
    int null_fd = -1;
    for (int i = 0; i < 3; ++i) {
        bool open_here = fcntl(i, F_GETFD) >= 0;
        if (request.use_std_handles) std_fds[i] = std_owned[i] = std_descriptor(request.std_handles[i]);
        else std_fds[i] = open_here ? i : -1;
        // A pseudo console's terminal replaces a NULL in STARTUPINFO and, without
        // STARTF_USESTDHANDLES, a standard handle of ours that is a console (or none); a
        // redirected one still goes to the child (microsoft/terminal#11276).
        if (request.terminal >= 0 && (request.use_std_handles ? request.std_handles[i] == nullptr
                                                               : !open_here || isatty(i)))
            std_fds[i] = request.terminal;
        if (std_fds[i] < 0) {
            if (null_fd < 0) null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
            std_fds[i] = null_fd;
        }
    }
    auto release_all = [&] {
        for (Passed& p : passed) release_passed(p);
        for (int fd : std_owned)
            if (fd >= 0) close(fd);
        if (null_fd >= 0) close(null_fd);
    };

    // Descriptor moves: every source to a block above them all, then down to 0-2 and 3...
    // The handles' descriptors go to 3..., in the order of their values, and the second
    // descriptors of those that have one after them.
    std::vector<int> sources;
    for (const Passed& p : passed) sources.push_back(p.descriptor);
    for (Passed& p : passed) {
        if (p.aux < 0) continue;
        p.aux_in_child = 3 + static_cast<int>(sources.size());
        sources.push_back(p.aux);
    }
    const int count = static_cast<int>(sources.size());
    int highest = 2 + count;
    for (int fd : std_fds) highest = std::max(highest, fd);
    for (int fd : sources) highest = std::max(highest, fd);
    const int block = highest + 1;
    std::vector<int> from, to;
    // (Not when /dev/null was opened for one: it landed on 0-2 close-on-exec.)
    bool in_place = count == 0 && null_fd < 0 && std_fds[0] == 0 && std_fds[1] == 1 && std_fds[2] == 2;
    for (int i = 0; i < count && !in_place; ++i) {
        from.push_back(sources[static_cast<size_t>(i)]);
        to.push_back(block + i);
    }
    for (int i = 0; i < 3 && !in_place; ++i) {
        from.push_back(std_fds[i]);
        to.push_back(block + count + i);
    }
    for (int i = 0; i < 3 && !in_place; ++i) {
        from.push_back(block + count + i);
        to.push_back(i);
    }
    for (int i = 0; i < count && !in_place; ++i) {
        from.push_back(block + i);
        to.push_back(3 + i);
    }

    // argv and the environment.
    std::vector<char*> argv;
    for (const std::string& argument : request.arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    // The record only when the child needs it: handles to rebuild, STARTUPINFO's standard
    // handles or other fields, DETACHED_PROCESS, or a command line argv cannot give back.
    const StartupWindow& window = request.window;
    bool window_given = window.flags != 0 || window.show != 0 || window.x != 0 || window.y != 0 ||
                        window.x_size != 0 || window.y_size != 0 || window.x_chars != 0 || window.y_chars != 0 ||
                        window.fill != 0 || window.has_title || window.has_desktop;
    bool needs_record = !passed.empty() || request.use_std_handles || request.detached || window_given ||
                        !request.command_line_from_arguments || request.priority_class != 0;
    std::string record = needs_record ? startup_record(request, passed) : std::string();
    std::vector<char*> envp;
    size_t prefix = sizeof(kStartupVariable) - 1;
    auto ours = [&](const char* entry) {
        return entry[0] == kStartupVariable[0] && strncmp(entry, kStartupVariable, prefix) == 0 && entry[prefix] == '=';
    };
    envp.reserve(request.environment.size() + 2);
    for (const char* entry : request.environment)
        if (!ours(entry)) envp.push_back(const_cast<char*>(entry));
    if (needs_record) envp.push_back(const_cast<char*>(record.c_str()));
    envp.push_back(nullptr);

    pid_t pid = -1;
    int gate[2] = {-1, -1};
    if (!request.suspended) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        int refused = 0;  // an action glibc will not take (a descriptor number past the limit)
        // A pseudo console's terminal becomes the controlling terminal of the new session
        // (POSIX_SPAWN_SETSID, which glibc applies before the file actions) when the child
        // opens it; that descriptor, above all the others, goes with the close below.
        if (request.terminal >= 0)
            refused = posix_spawn_file_actions_addopen(&actions, block + count + 3, request.terminal_path.c_str(),
                                                       O_RDWR, 0);
        for (size_t i = 0; i < from.size() && refused == 0; ++i)
            refused = posix_spawn_file_actions_adddup2(&actions, from[i], to[i]);
        if (refused == 0) refused = posix_spawn_file_actions_addclosefrom_np(&actions, 3 + count);
        if (refused == 0 && !request.directory.empty())
            refused = posix_spawn_file_actions_addchdir_np(&actions, request.directory.c_str());
        if (refused != 0) {
            posix_spawn_file_actions_destroy(&actions);
            release_all();
            *error = refused == EBADF ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_MEMORY;
            return nullptr;
        }
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setsigdefault(&attributes, &defaults);
        if (request.detached || request.terminal >= 0) {
            flags |= POSIX_SPAWN_SETSID;  // no controlling terminal (yet); a new process group too
        } else if (request.new_process_group) {
            flags |= POSIX_SPAWN_SETPGROUP;
            posix_spawnattr_setpgroup(&attributes, 0);
        }
        posix_spawnattr_setflags(&attributes, flags);
        int result = posix_spawn(&pid, request.path.c_str(), &actions, &attributes, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        if (result != 0) {
            release_all();
            *error = spawn_error(result);
            return nullptr;
        }
    } else {
        if (pipe2(gate, O_CLOEXEC) != 0) {
            release_all();
            *error = ERROR_TOO_MANY_OPEN_FILES;
            return nullptr;
        }
        // The gate's read end goes above the block too, so no move overwrites it.
        int gate_high = block + count + 3;
        pid = fork();
        if (pid == 0) {
            if (dup2(gate[0], gate_high) < 0) _exit(127);
            suspended_child(request, from.data(), to.data(), from.size(), 3 + count, gate_high, argv.data(),
                            envp.data());
        }
        close(gate[0]);
        if (pid < 0) {
            close(gate[1]);
            release_all();
            *error = ERROR_NOT_ENOUGH_MEMORY;
            return nullptr;
        }
    }
    release_all();

    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        if (gate[1] >= 0) close(gate[1]);
        *error = ERROR_NOT_SUPPORTED;
        return nullptr;
    }
    // (A pidfd is close-on-exec from the start.)
    // No watch yet: a wait on the process arms one, or, when the wait is
    // WaitForSingleObject's, waits on the pidfd itself (kernel::ProcessObject).
    serve_handle_requests();  // the child may take handles out of this process
    kernel::ProcessObject* process = kernel::ProcessObject::create_child(pid, pidfd, gate[1]);
    // Its program, for once it has ended (QueryFullProcessImageName resolves its symbolic
    // links then, as /proc/PID/exe has them resolved; not here, where each would cost a
    // spawn system calls): made absolute now, should the current directory move.
    std::string image = request.path;
    if (image.empty() || image[0] != '/') {
        char directory[PATH_MAX];
        if (getcwd(directory, sizeof directory) != nullptr) image = std::string(directory) + "/" + image;
    }
    process->lock.lock();
    process->set_image(std::move(image));
    process->lock.unlock();
    return process;
}

kernel::ProcessObject* process_open_foreign(DWORD pid, DWORD* error)
{
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
    if (pidfd < 0) {
        // No such process: ESRCH; a thread's id, which is no process's (as on Windows,
        // where thread and process ids share one space): ENOENT, EINVAL before Linux 6.9.
        *error = errno == ESRCH || errno == EINVAL || errno == ENOENT ? ERROR_INVALID_PARAMETER : ERROR_ACCESS_DENIED;
        return nullptr;
    }
    kernel::ProcessObject* process = kernel::ProcessObject::create_foreign(static_cast<pid_t>(pid), pidfd);
    char link[64], image[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%lu/exe", static_cast<unsigned long>(pid));
    ssize_t length = readlink(link, image, sizeof image - 1);
    process->lock.lock();
    if (length > 0) process->set_image(std::string(image, static_cast<size_t>(length)));
    watch_process(process);  // its exit is seen only by the watch (no waitid for it)
    process->lock.unlock();
    return process;
}

// ---- the child's side

namespace {

Startup read_startup()
{
    Startup startup;
    const char* text = getenv(kStartupVariable);
    if (text == nullptr) return startup;
    std::string copy = text;
    unsetenv(kStartupVariable);  // not seen by the program, nor passed to its children
    const char* at = copy.c_str();
    char* end = nullptr;
    if (strncmp(at, "3;", 2) != 0) return startup;  // the format's version
    at += 2;
    long parent = strtol(at, &end, 10);
    if (*end != ';' || parent != static_cast<long>(getppid())) return startup;  // meant for another process
    at = end + 1;
    for (int i = 0; i < 3; ++i) {
        startup.std_handles[i] = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(strtoul(at, &end, 16)));
        if (*end != (i < 2 ? ',' : ';')) return startup;
        at = end + 1;
    }
    unsigned long flags = strtoul(at, &end, 16);
    if (*end != ';') return startup;
    startup.use_std_handles = (flags & kStartupStdHandles) != 0;
    startup.detached = (flags & kStartupDetached) != 0;
    startup.pseudo_console = (flags & kStartupPseudoConsole) != 0;
    startup.priority_class = static_cast<DWORD>((flags >> kStartupClassShift) & 0xFFFF);
    at = end + 1;
    const char* command_end = strchr(at, ';');
    if (command_end == nullptr) return startup;
    startup.command_line = hex_decode(at, command_end);
    at = command_end + 1;
    StartupWindow& w = startup.window;
    DWORD* numbers[] = {&w.flags, &w.show, &w.x, &w.y, &w.x_size, &w.y_size, &w.x_chars, &w.y_chars, &w.fill};
    for (DWORD* number : numbers) {
        *number = static_cast<DWORD>(strtoul(at, &end, 16));
        if (*end != ',') return startup;
        at = end + 1;
    }
    auto string_field = [&at](char stop, bool* given, std::string* value) {
        const char* field_end = strchr(at, stop);
        if (field_end == nullptr) return false;
        *given = !(field_end - at == 1 && *at == '-');
        if (*given) *value = hex_decode(at, field_end);
        at = field_end + 1;
        return true;
    };
    if (!string_field(',', &w.has_title, &w.title) || !string_field(';', &w.has_desktop, &w.desktop))
        return startup;
    startup.from_parent = true;
    while (*at != '\0') {
        constexpr int kFields = 12;
        unsigned long long fields[kFields];
        int n = 0;
        for (; n < kFields; ++n) {
            fields[n] = strtoull(at, &end, 16);
            if (end == at) break;
            at = end;
            if (n < kFields - 1) {
                if (*at != ':') break;
                ++at;
            }
        }
        if (n != kFields) break;
        if (*at == '/') ++at;
        HANDLE value = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(fields[0]));
        int descriptor = static_cast<int>(fields[1]);
        auto type = static_cast<kernel::ObjectType>(fields[2]);
        int aux = static_cast<int>(static_cast<uint32_t>(fields[8]));
        struct stat status;
        // A descriptor must still be the one the parent passed (a program in between
        // may have reused the number).
        auto passed_here = [&status](int fd, unsigned long long device, unsigned long long inode) {
            return fd >= 0 && fstat(fd, &status) == 0 && status.st_dev == static_cast<dev_t>(device) &&
                   status.st_ino == static_cast<ino_t>(inode);
        };
        if (aux >= 0 && !passed_here(aux, fields[10], fields[11])) aux = -1;
        if (!passed_here(descriptor, fields[6], fields[7])) {
            if (aux >= 0) close(aux);
            continue;
        }
        // The parent's dup2 cleared close-on-exec; what this process starts by other means
        // than CreateProcess must not get the second descriptor (each kind's import sets
        // it on its own descriptor).
        if (aux >= 0) fcntl(aux, F_SETFD, FD_CLOEXEC);
        kernel::Object* object = inherit_import(type, descriptor, static_cast<uint32_t>(fields[5]), aux,
                                                static_cast<uint32_t>(fields[9]), static_cast<ACCESS_MASK>(fields[3]));
        if (object == nullptr) continue;
        if (kernel::handle_create_at(value, object, static_cast<ACCESS_MASK>(fields[3]),
                                     static_cast<DWORD>(fields[4])) != ERROR_SUCCESS)
            continue;
        keep_offered_number(value);  // a handle its parent was given by DuplicateHandle
        for (int i = 0; i < 3; ++i)
            if (startup.use_std_handles && startup.std_handles[i] == value) startup.std_inherited[i] = true;
    }
    return startup;
}

}  // namespace

const Startup& process_startup()
{
    static const Startup* startup = new Startup(read_startup());
    return *startup;
}

}  // namespace overlapped::drivers
