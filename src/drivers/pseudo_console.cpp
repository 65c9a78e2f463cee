// pseudo_console.cpp: pseudo consoles on Linux pseudo-terminals (pseudo_console.h,
// docs/console.md).
//
// Each pseudo console has one thread, its pump: it waits in poll for the master, the input
// pipe and a stop event, copies what the caller writes into the master (the terminal's
// keyboard) and what the terminal's programs write from the master into the output pipe.
// It is a thread, not an operation of the engine, because its writes into the output pipe
// wait for the caller to read, as Windows' console host waits (Microsoft Learn asks the
// caller to drain the output on a thread of its own); the I/O manager's thread must never
// block. The master is non-blocking, so input that the terminal cannot take yet waits in
// the pump while the output keeps flowing.
#include "drivers/pseudo_console.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <thread>
#include <unistd.h>
#include <unordered_set>

#include "common/errors.h"

namespace overlapped::drivers {

struct PseudoConsole {
    int master = -1;
    int slave = -1;  // held open, so the master never reads EIO between two children
    std::string slave_path;
    int input = -1;   // the caller's input pipe (read end), or -1
    int output = -1;  // the caller's output pipe (write end), or -1
    int stop = -1;    // eventfd: ClosePseudoConsole asks the pump to finish
    std::thread pump;
};

namespace {

std::mutex live_mutex;
std::unordered_set<const void*> live;  // the pseudo consoles not closed yet

void close_descriptor(int* descriptor)
{
    if (*descriptor >= 0) close(*descriptor);
    *descriptor = -1;
}

void release(PseudoConsole* console)
{
    close_descriptor(&console->master);
    close_descriptor(&console->slave);
    close_descriptor(&console->input);
    close_descriptor(&console->output);
    close_descriptor(&console->stop);
    delete console;
}

// Writes all of `data` to the output pipe (which may be the caller's non-blocking
// descriptor: then poll waits for room). False when the pipe is gone (its reader closed
// it): from then on the terminal's output is read and dropped.
bool write_output(int output, const char* data, size_t size)
{
    while (size > 0) {
        ssize_t done = write(output, data, size);
        if (done > 0) {
            data += done;
            size -= static_cast<size_t>(done);
        } else if (done < 0 && errno == EAGAIN) {
            pollfd room = {output, POLLOUT, 0};
            poll(&room, 1, -1);
        } else if (done < 0 && errno == EINTR) {
            continue;
        } else {
            return false;
        }
    }
    return true;
}

// Reads what the terminal has written (the master is non-blocking) into the output pipe.
// False when nothing was waiting.
bool copy_output(PseudoConsole* console, bool* output_open)
{
    char buffer[16384];
    ssize_t got = read(console->master, buffer, sizeof buffer);
    if (got <= 0) return false;
    if (*output_open) *output_open = write_output(console->output, buffer, static_cast<size_t>(got));
    return true;
}

void run_pump(PseudoConsole* console)
{
    sigset_t all;
    sigfillset(&all);
    // No signal handler runs here, and a write into a pipe whose reader is gone answers
    // EPIPE (its SIGPIPE stays pending on this thread and goes with it).
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    bool input_open = console->input >= 0;
    bool output_open = console->output >= 0;
    char pending[4096];  // input the terminal has not taken yet
    size_t pending_start = 0, pending_end = 0;
    for (;;) {
        bool waiting_input = pending_start < pending_end;
        pollfd watched[3] = {
            {console->stop, POLLIN, 0},
            {console->master, static_cast<short>(POLLIN | (waiting_input ? POLLOUT : 0)), 0},
            {input_open && !waiting_input ? console->input : -1, POLLIN, 0},
        };
        if (poll(watched, 3, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (watched[0].revents != 0) break;
        if (watched[1].revents & (POLLIN | POLLHUP | POLLERR)) copy_output(console, &output_open);
        if (watched[2].revents != 0) {
            ssize_t got = read(console->input, pending, sizeof pending);
            if (got > 0) {
                pending_start = 0;
                pending_end = static_cast<size_t>(got);
                waiting_input = true;
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                input_open = false;  // the caller closed its end: no more keys
            }
        }
        if (waiting_input) {
            ssize_t taken = write(console->master, pending + pending_start, pending_end - pending_start);
            if (taken > 0) pending_start += static_cast<size_t>(taken);
            else if (taken < 0 && errno != EAGAIN && errno != EINTR) pending_start = pending_end;
        }
    }
    // Closing: what the terminal holds still goes out (up to 1 MiB: a program that keeps
    // writing does not hold the close up), as Windows' console host writes its last frame
    // before it ends.
    for (int round = 0; round < 64 && copy_output(console, &output_open); ++round) {
    }
}

bool is_live(const void* console) { return console != nullptr && live.count(console) != 0; }

}  // namespace

DWORD pseudo_console_create(unsigned short columns, unsigned short rows, int input, int output,
                            PseudoConsole** created)
{
    auto* console = new PseudoConsole;
    console->input = input;
    console->output = output;
    auto failed = [&](int error) {
        release(console);
        return win32_error_from_errno(error);
    };
    console->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (console->master < 0) return failed(errno);
    char path[128];
    if (grantpt(console->master) != 0 || unlockpt(console->master) != 0 ||
        ptsname_r(console->master, path, sizeof path) != 0)
        return failed(errno);
    console->slave_path = path;
    console->slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (console->slave < 0) return failed(errno);
    int flags = fcntl(console->master, F_GETFL);
    if (flags < 0 || fcntl(console->master, F_SETFL, flags | O_NONBLOCK) != 0) return failed(errno);
    // A new terminal's settings (line editing, echo, signals, "\n" out as "\r\n") are what
    // a console's default modes ask for; its text is UTF-8, as the pseudo console's is.
    termios settings;
    if (tcgetattr(console->slave, &settings) == 0) {
        settings.c_iflag |= IUTF8;
        tcsetattr(console->slave, TCSANOW, &settings);
    }
    winsize size = {rows, columns, 0, 0};
    if (ioctl(console->master, TIOCSWINSZ, &size) != 0) return failed(errno);
    console->stop = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (console->stop < 0) return failed(errno);
    try {
        console->pump = std::thread(run_pump, console);
    } catch (...) {
        return failed(EAGAIN);
    }
    {
        std::lock_guard<std::mutex> guard(live_mutex);
        live.insert(console);
    }
    *created = console;
    return ERROR_SUCCESS;
}

DWORD pseudo_console_resize(const void* console, unsigned short columns, unsigned short rows)
{
    std::lock_guard<std::mutex> guard(live_mutex);
    if (!is_live(console)) return ERROR_INVALID_HANDLE;
    winsize size = {rows, columns, 0, 0};
    if (ioctl(static_cast<const PseudoConsole*>(console)->master, TIOCSWINSZ, &size) != 0)
        return win32_error_from_errno(errno);
    return ERROR_SUCCESS;
}

void pseudo_console_close(const void* handle)
{
    {
        std::lock_guard<std::mutex> guard(live_mutex);
        if (!is_live(handle)) return;
        live.erase(handle);
    }
    auto* console = const_cast<PseudoConsole*>(static_cast<const PseudoConsole*>(handle));
    uint64_t one = 1;
    ssize_t written = write(console->stop, &one, sizeof one);
    (void)written;
    console->pump.join();
    // The master's close hangs the terminal up: SIGHUP for the session's leader and its
    // foreground group, end of input and output for the rest (Windows ends the processes
    // attached to a closed pseudo console). Then the pipes go, and with them the caller's
    // last writer of the output pipe that this process held.
    release(console);
}

DWORD pseudo_console_terminal(const void* console, int* descriptor, std::string* path)
{
    std::lock_guard<std::mutex> guard(live_mutex);
    if (!is_live(console)) return ERROR_INVALID_HANDLE;
    const auto* known = static_cast<const PseudoConsole*>(console);
    *descriptor = fcntl(known->slave, F_DUPFD_CLOEXEC, 3);
    if (*descriptor < 0) return win32_error_from_errno(errno);
    *path = known->slave_path;
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
