// console_ctrl.h: console control events (SetConsoleCtrlHandler, GenerateConsoleCtrlEvent)
// on Linux signals.
//
// Events and signals: Ctrl-C is SIGINT (CTRL_C_EVENT), Ctrl-Break is SIGQUIT (CTRL_BREAK_EVENT,
// the terminal's other interrupt key, Ctrl-\), and SIGTERM and SIGHUP are CTRL_CLOSE_EVENT
// (a terminal that hangs up is a console window that closes; SIGTERM is how Linux asks a
// process to end). As on Windows, each event runs the process's handler routines on a new
// thread made for it (a thread of the library, so handlers may use every Win32 call), the
// most recently added first, until one returns TRUE:
//  - Ctrl-C / Ctrl-Break that no handler takes: the default handler, ExitProcess(
//    STATUS_CONTROL_C_EXIT);
//  - CTRL_CLOSE_EVENT: once the handlers have returned, the process ends: it is terminated
//    by the signal that brought the event, as if it had never been caught (no atexit).
//
// Signals are only caught while the process has handlers (or ignores Ctrl-C): a program
// that never calls SetConsoleCtrlHandler keeps Linux's default behaviour, and removing the
// last handler restores the dispositions found. The signal handler itself only writes the
// event to a pipe (async-signal-safe); a dispatcher thread reads it and starts the
// handler thread. A signal the process ignored when the library first looked (nohup,
// background jobs) stays ignored; an ignored SIGINT is Windows' inherited "ignore Ctrl-C"
// attribute, which SetConsoleCtrlHandler(NULL, FALSE) clears.
#pragma once

#include <windows.h>

namespace overlapped::kernel {

// SetConsoleCtrlHandler(routine, TRUE/FALSE). Remove: ERROR_INVALID_PARAMETER if the
// routine is not in the list (the most recently added instance goes).
DWORD ctrl_handler_add(PHANDLER_ROUTINE routine);
DWORD ctrl_handler_remove(PHANDLER_ROUTINE routine);

// SetConsoleCtrlHandler(NULL, ignore): whether Ctrl-C is ignored (then SIGINT is SIG_IGN,
// which child processes inherit as Windows' attribute is inherited).
DWORD ctrl_ignore_ctrl_c(bool ignore);

// Delivers `event` (CTRL_C_EVENT or CTRL_BREAK_EVENT) to this process, asynchronously, as
// GenerateConsoleCtrlEvent does: the handlers run on a new thread.
DWORD ctrl_raise(DWORD event);

// FreeConsole (`attached` false), AttachConsole/AllocConsole (true): back to the initial
// handler list (no handlers), and whether the process has a console. A process without
// one gets no console control events, as on Windows: while detached, SIGINT and SIGQUIT
// (the terminal's interrupt keys) are caught and dropped, SIGTERM and SIGHUP keep the
// dispositions found (they end the process as they would without the library), and the
// handlers run for none of them.
void ctrl_reset_handlers(bool attached);

// A child started with DETACHED_PROCESS: detached from the start, as after FreeConsole,
// but no signal is caught until SetConsoleCtrlHandler is called (no thread is started
// before main; the child has a session of its own, which its parent's terminal does not
// signal).
void ctrl_start_detached();

}  // namespace overlapped::kernel
