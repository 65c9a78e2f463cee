// console_ctrl.cpp: console control events on Linux signals (see console_ctrl.h).
#include "kernel/console_ctrl.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <pthread.h>
#include <unistd.h>
#include <vector>

#include "kernel/thread.h"

namespace overlapped::kernel {
namespace {

// The signals that carry console events, and the event each one carries.
constexpr int kSignals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};
constexpr int kSignalCount = sizeof kSignals / sizeof kSignals[0];
constexpr DWORD kSignalEvents[] = {CTRL_C_EVENT, CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT, CTRL_CLOSE_EVENT};

// An event travels through the pipe as one byte: the event in the low nibble, the index of
// the signal that brought it in the high one (kNoSignal: GenerateConsoleCtrlEvent).
constexpr unsigned kNoSignal = 0xF;

// The pipe's write end, for the signal handler; -1 in a forked child (whose events must
// not reach the parent's dispatcher through the shared pipe).
std::atomic<int> g_write_fd{-1};

void on_signal(int signo)
{
    int saved_errno = errno;
    unsigned index = 0;
    while (index < kSignalCount && kSignals[index] != signo) ++index;
    if (index < kSignalCount) {
        unsigned char code = static_cast<unsigned char>((index << 4) | kSignalEvents[index]);
        int fd = g_write_fd.load(std::memory_order_acquire);
        if (fd >= 0) {
            ssize_t written = write(fd, &code, 1);  // a full pipe drops the event, as a coalesced signal would
            (void)written;
        }
    }
    errno = saved_errno;
}

void after_fork_in_child() { g_write_fd.store(-1, std::memory_order_release); }

// What the library has done with one signal.
enum class Disposition : uint8_t {
    Found,    // as the library found it (for SIGINT found ignored: SIG_DFL once un-ignored)
    Ours,     // on_signal
    Ignored,  // SIG_IGN, for "ignore Ctrl-C"
    Foreign,  // the program installed its own since: the library leaves it alone
};

struct Slot {
    struct sigaction found {};
    bool found_ignored = false;
    Disposition disposition = Disposition::Found;
};

struct State {
    std::mutex mutex;
    std::vector<PHANDLER_ROUTINE> handlers;  // in the order added; the last runs first
    bool ignore_ctrl_c = false;
    bool detached = false;  // FreeConsole: no console, so no events (ctrl_reset_handlers)
    bool initialized = false;
    Slot slots[kSignalCount];
    bool dispatcher_running = false;
    int read_fd = -1;
    sigset_t handler_mask;  // the signal mask handler threads run with
};

State& state()
{
    static State* instance = new State();  // never destroyed: handler threads may outlive exit()
    return *instance;
}

// Under the mutex: the dispositions as the process had them before the library came.
void initialize_locked(State& s)
{
    if (s.initialized) return;
    s.initialized = true;
    for (int i = 0; i < kSignalCount; ++i) {
        Slot& slot = s.slots[i];
        sigaction(kSignals[i], nullptr, &slot.found);
        slot.found_ignored = !(slot.found.sa_flags & SA_SIGINFO) && slot.found.sa_handler == SIG_IGN;
    }
    // A process started with SIGINT ignored has Windows' inherited "ignore Ctrl-C".
    if (s.slots[0].found_ignored) s.ignore_ctrl_c = true;
}

DWORD handler_thread(LPVOID parameter);

void deliver(unsigned char code)
{
    DWORD error;
    ThreadObject* thread = ThreadObject::spawn(0, &handler_thread, reinterpret_cast<LPVOID>(uintptr_t{code}),
                                               false, &error);
    if (thread != nullptr) {
        thread->release_reference();  // the running thread keeps its own
        return;
    }
    // No thread to be had: run the handlers here, then take the dispatcher's mask back.
    sigset_t dispatcher_mask;
    pthread_sigmask(SIG_SETMASK, nullptr, &dispatcher_mask);
    handler_thread(reinterpret_cast<LPVOID>(uintptr_t{code}));
    pthread_sigmask(SIG_SETMASK, &dispatcher_mask, nullptr);
}

void* dispatcher(void* argument)
{
    int fd = static_cast<int>(reinterpret_cast<intptr_t>(argument));
    for (;;) {
        unsigned char codes[64];
        ssize_t n = read(fd, codes, sizeof codes);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return nullptr;
        for (ssize_t i = 0; i < n; ++i) deliver(codes[i]);
    }
}

// Under the mutex: the pipe and the dispatcher thread, once per process.
DWORD start_dispatcher_locked(State& s)
{
    if (s.dispatcher_running) return ERROR_SUCCESS;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return ERROR_NOT_ENOUGH_MEMORY;
    fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    // Handler threads run with the signal mask of the program's thread that first needed
    // them; the dispatcher itself takes no signals.
    pthread_sigmask(SIG_SETMASK, nullptr, &s.handler_mask);
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int rc = pthread_create(&thread, &attributes, &dispatcher, reinterpret_cast<void*>(intptr_t{fds[0]}));
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (rc != 0) {
        close(fds[0]);
        close(fds[1]);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    static std::once_flag fork_hook;
    std::call_once(fork_hook, [] { pthread_atfork(nullptr, nullptr, &after_fork_in_child); });
    s.read_fd = fds[0];
    g_write_fd.store(fds[1], std::memory_order_release);
    s.dispatcher_running = true;
    return ERROR_SUCCESS;
}

// Under the mutex: makes the signal dispositions match the handler list, the Ctrl-C
// attribute and the console's absence (detached: the keyboard's SIGINT and SIGQUIT are
// caught and dropped, the others as found). Signals found ignored (other than SIGINT) are never touched; a disposition
// the program changed after the library set it is left to the program.
DWORD reconcile_locked(State& s)
{
    bool engaged = !s.handlers.empty();
    for (int i = 0; i < kSignalCount; ++i) {
        Slot& slot = s.slots[i];
        int signo = kSignals[i];
        if (slot.disposition == Disposition::Foreign) continue;
        if (slot.disposition == Disposition::Ours || slot.disposition == Disposition::Ignored) {
            struct sigaction current;
            sigaction(signo, nullptr, &current);
            bool ours = !(current.sa_flags & SA_SIGINFO) &&
                        current.sa_handler == (slot.disposition == Disposition::Ours ? &on_signal : SIG_IGN);
            if (!ours) {
                slot.disposition = Disposition::Foreign;
                continue;
            }
        }
        bool keyboard = signo == SIGINT || signo == SIGQUIT;
        bool catching = s.detached ? keyboard : engaged;
        Disposition want;
        if (signo == SIGINT) want = s.ignore_ctrl_c ? Disposition::Ignored : catching ? Disposition::Ours : Disposition::Found;
        else want = (slot.found_ignored || !catching) ? Disposition::Found : Disposition::Ours;
        if (want == slot.disposition) continue;

        struct sigaction action {};
        sigemptyset(&action.sa_mask);
        switch (want) {
        case Disposition::Ours:
            if (DWORD error = start_dispatcher_locked(s)) return error;
            action.sa_handler = &on_signal;
            action.sa_flags = SA_RESTART;  // a caught console signal does not fail blocking calls
            for (int other : kSignals) sigaddset(&action.sa_mask, other);
            break;
        case Disposition::Ignored:
            action.sa_handler = SIG_IGN;
            break;
        default:
            if (signo == SIGINT && slot.found_ignored) action.sa_handler = SIG_DFL;  // "normal processing"
            else action = slot.found;
            break;
        }
        if (sigaction(signo, &action, nullptr) != 0) return ERROR_INVALID_PARAMETER;
        slot.disposition = want;
    }
    return ERROR_SUCCESS;
}

// Ends the process as `signo` would have without the library: default disposition, raised
// on this thread.
[[noreturn]] void terminate_by(int signo)
{
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signo, &action, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    raise(signo);
    _exit(128 + signo);
}

DWORD handler_thread(LPVOID parameter)
{
    unsigned code = static_cast<unsigned>(reinterpret_cast<uintptr_t>(parameter));
    DWORD event = code & 0xF;
    unsigned signal_index = code >> 4;
    State& s = state();
    std::vector<PHANDLER_ROUTINE> handlers;
    {
        std::lock_guard<std::mutex> guard(s.mutex);
        pthread_sigmask(SIG_SETMASK, &s.handler_mask, nullptr);
        if (event == CTRL_C_EVENT && s.ignore_ctrl_c) return 0;
        if (s.detached && signal_index < kSignalCount) return 0;  // no console: no event
        handlers = s.handlers;
    }
    bool handled = false;
    for (auto it = handlers.rbegin(); it != handlers.rend() && !handled; ++it) handled = (*it)(event) != FALSE;
    if (event == CTRL_CLOSE_EVENT && signal_index < kSignalCount) terminate_by(kSignals[signal_index]);
    if (!handled) std::exit(static_cast<int>(STATUS_CONTROL_C_EXIT));  // the default handler: ExitProcess
    return 0;
}

}  // namespace

DWORD ctrl_handler_add(PHANDLER_ROUTINE routine)
{
    State& s = state();
    std::lock_guard<std::mutex> guard(s.mutex);
    initialize_locked(s);
    s.handlers.push_back(routine);
    if (DWORD error = reconcile_locked(s)) {
        s.handlers.pop_back();
        reconcile_locked(s);
        return error;
    }
    return ERROR_SUCCESS;
}

DWORD ctrl_handler_remove(PHANDLER_ROUTINE routine)
{
    State& s = state();
    std::lock_guard<std::mutex> guard(s.mutex);
    initialize_locked(s);
    for (size_t i = s.handlers.size(); i-- > 0;) {
        if (s.handlers[i] != routine) continue;
        s.handlers.erase(s.handlers.begin() + static_cast<long>(i));
        reconcile_locked(s);  // restoring dispositions cannot fail for want of resources
        return ERROR_SUCCESS;
    }
    return ERROR_INVALID_PARAMETER;
}

DWORD ctrl_ignore_ctrl_c(bool ignore)
{
    State& s = state();
    std::lock_guard<std::mutex> guard(s.mutex);
    initialize_locked(s);
    bool previous = s.ignore_ctrl_c;
    s.ignore_ctrl_c = ignore;
    if (DWORD error = reconcile_locked(s)) {
        s.ignore_ctrl_c = previous;
        reconcile_locked(s);
        return error;
    }
    return ERROR_SUCCESS;
}

DWORD ctrl_raise(DWORD event)
{
    State& s = state();
    {
        std::lock_guard<std::mutex> guard(s.mutex);
        initialize_locked(s);
        if (DWORD error = start_dispatcher_locked(s)) return error;
    }
    unsigned char code = static_cast<unsigned char>((kNoSignal << 4) | event);
    int fd = g_write_fd.load(std::memory_order_acquire);
    if (fd < 0 || write(fd, &code, 1) != 1) return ERROR_NOT_ENOUGH_MEMORY;
    return ERROR_SUCCESS;
}

void ctrl_start_detached()
{
    State& s = state();
    std::lock_guard<std::mutex> guard(s.mutex);
    initialize_locked(s);
    s.detached = true;
}

void ctrl_reset_handlers(bool attached)
{
    State& s = state();
    std::lock_guard<std::mutex> guard(s.mutex);
    if (!s.initialized && attached) return;
    initialize_locked(s);
    s.handlers.clear();
    s.detached = !attached;
    reconcile_locked(s);
}

}  // namespace overlapped::kernel
