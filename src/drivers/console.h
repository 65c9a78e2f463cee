// console.h: the console driver: a console handle is a terminal descriptor, either the
// console's input buffer (the standard input handle, CONIN$) or its screen buffer (the
// standard output and error handles, CONOUT$). docs/console.md describes the mapping.
//
// Input: one input buffer per process (as Windows has one per console), shared by every
// input handle: bytes read from a terminal and not yet consumed, and the key events parsed
// from them (ReadConsoleInput, GetNumberOfConsoleInputEvents) or written by the program
// (WriteConsoleInput). ReadFile and ReadConsole take from the buffer first (the characters
// of its key-down events) and then from the terminal.
//
// Waiting: an input handle is signalled while input is waiting: bytes or events in the
// buffer, or the terminal readable (a poll of its descriptor). When a wait finds it not
// signalled, the device arms a watch (a Poll operation through the I/O manager,
// io::submit_internal); the watch's completion wakes the waiters, and it is armed again
// only while someone waits.
//
// Every transfer is synchronous, as Windows performs requests on console handles even when
// FILE_FLAG_OVERLAPPED is given (overlapped_io() is false: ReadFile with an OVERLAPPED
// completes before it returns and writes the OVERLAPPED and its event).
#pragma once

#include <string>

#include <vector>

#include <windows.h>

#include "io/device.h"

namespace overlapped::drivers {

class ScreenBuffer;  // console_screen.h

class ConsoleDevice final : public io::Device {
public:
    ConsoleDevice() : Device(kernel::ObjectType::Console) {}

    // A console device over a duplicate of `descriptor` (a terminal), or over `descriptor`
    // itself when `take` (then made close-on-exec). `input`: the input buffer, else a
    // screen buffer: the console's first one, or the active one when `active_buffer`
    // (CONOUT$). Returns the device (one reference), or nullptr with *error.
    static ConsoleDevice* open(int descriptor, bool take, bool input, DWORD* error, bool active_buffer = false);
    // A screen buffer of CreateConsoleScreenBuffer (takes the caller's reference to
    // `buffer`): no descriptor of its own; what is written reaches the console's terminal
    // while the buffer is active.
    static ConsoleDevice* open_screen(ScreenBuffer* buffer);

    bool overlapped_io() const override { return false; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;
    bool is_signaled(const kernel::ThreadState* thread) const override;
    void last_handle_closed() override;

    int descriptor() const { return descriptor_; }
    bool input() const { return input_; }
    // A screen buffer's model (console_screen.h); null for the input buffer.
    ScreenBuffer* screen() const { return screen_; }
    // The terminal behind the handle: its descriptor, else the console's terminal (-1: none).
    int terminal() const;

    // ReadConsoleA (`wide` false: bytes) and ReadConsoleW (UTF-16): up to `count`
    // characters; waits for a line (canonical terminal) or for any input (raw).
    DWORD read_text(void* buffer, DWORD count, bool wide, DWORD* done);
    // ReadConsoleInputW / PeekConsoleInputW: up to `count` records; `wait`: block until
    // at least one (ReadConsoleInput), else return what is there (Peek). `remove`: consume.
    DWORD read_records(INPUT_RECORD* records, DWORD count, bool remove, bool wait, DWORD* done);
    // GetNumberOfConsoleInputEvents: the events waiting, without blocking.
    DWORD pending_events(DWORD* count);
    // FlushConsoleInputBuffer: drops everything typed and not read.
    DWORD flush_input();
    // WriteConsoleInputW: appends `count` records after the input already there (what the
    // terminal has typed is taken in first); a single record may be coalesced with the last
    // one queued, as the console host does. *done: the records written.
    DWORD write_records(const INPUT_RECORD* records, DWORD count, DWORD* done);

private:
    // A device from the pool over `descriptor` (-1: none), with its screen buffer's model.
    static ConsoleDevice* make(int descriptor, bool input, ScreenBuffer* screen);
    void recycle() override;
    // The terminal a wait polls and watches: the device's descriptor, or for a buffer of
    // CreateConsoleScreenBuffer the console's terminal (-1: none).
    int watch_descriptor() const;
    void arm_watch();
    static void watched(engine::Op* op);
    // Waits until the terminal is readable or `wake` (the input buffer's eventfd, -1: none)
    // is signalled (a synchronous request's wait: CancelSynchronousIo and the close of the
    // last handle end it with ERROR_OPERATION_ABORTED).
    DWORD wait_readable(int wake);

    struct Watch {
        io::InternalOp op;  // first: the engine hands it back
        ConsoleDevice* device = nullptr;
    };
    int descriptor_ = -1;
    bool input_ = false;
    ScreenBuffer* screen_ = nullptr;  // a screen buffer's model (one reference)
    bool closing_ = false;  // under `lock`
    int console_terminal_ = -1;  // a created screen buffer's: the console's terminal, for waits
    Watch watch_;           // under `lock`
    bool armed_ = false;    // under `lock`
};

// Applies a console mode to the terminal behind `descriptor` (input modes to ICANON,
// ECHO, ISIG, ICRNL; output modes to OPOST/ONLCR and autowrap). The terminal's first
// settings are saved and restored when the process exits.
void console_apply_input_mode(int descriptor, DWORD mode);
void console_apply_output_mode(int descriptor, DWORD old_mode, DWORD mode);

// Whether the process is attached to its console. It is from the start (its terminal, or
// its redirected descriptors); FreeConsole detaches it, AllocConsole and AttachConsole
// attach it again. While it is detached every console handle refuses its requests with
// ERROR_INVALID_HANDLE, as Windows' console handles do once the process has left their
// console (they work again after AllocConsole), and CONIN$/CONOUT$ cannot be opened.
bool console_attached();
// Sets it; returns what it was.
bool console_set_attached(bool attached);

// GetConsoleProcessList: the processes attached to the console: this one first, then every
// other process whose controlling terminal is this process's (a terminal's processes share
// it as Windows' share a console; a process without one is alone on its console).
std::vector<DWORD> console_processes();

}  // namespace overlapped::drivers
