// pseudo_console.h: pseudo consoles (CreatePseudoConsole, ConPTY) on Linux
// pseudo-terminals (docs/console.md, "Pseudo consoles"). A pseudo console is a pty pair:
// a thread of its own copies the caller's input pipe into the master and the master's
// output into the caller's output pipe; a child started with the console attribute gets
// the slave as its standard descriptors and controlling terminal (drivers/process.cpp).
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::drivers {

struct PseudoConsole;

// A pseudo console of `columns` x `rows` that reads `input` and writes `output` (two
// descriptors it takes over; -1: none, that direction stays idle). ERROR_SUCCESS with
// *created, or the error that stopped it (the descriptors are then closed).
DWORD pseudo_console_create(unsigned short columns, unsigned short rows, int input, int output,
                            PseudoConsole** created);

// The terminal's new size (its foreground processes get SIGWINCH). ERROR_INVALID_HANDLE
// when `console` is not a live pseudo console.
DWORD pseudo_console_resize(const void* console, unsigned short columns, unsigned short rows);

// Ends `console` (nothing when it is not a live one): the output still waiting in the
// terminal is copied out, then the terminal is hung up (its session gets SIGHUP) and
// both pipes are let go, so the reader of the output pipe sees its end.
void pseudo_console_close(const void* console);

// For CreateProcess: a duplicate of the terminal's slave descriptor (close-on-exec, from 3
// up; the caller closes it) and its path. ERROR_INVALID_HANDLE when `console` is not a
// live pseudo console.
DWORD pseudo_console_terminal(const void* console, int* descriptor, std::string* path);

}  // namespace overlapped::drivers
