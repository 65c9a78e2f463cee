// console.cpp: the console entry points: standard handles (descriptors 0, 1, 2; a terminal
// as a console handle, anything else as a file handle), CONIN$/CONOUT$, reading and writing
// the console, input records, console modes (applied to the terminal), the screen buffer's
// information and text attributes, the title, code pages, Alloc/Free/AttachConsole, and the
// control events (kernel/console_ctrl.h). The driver is drivers/console.h.
//
// A console handle is a console device (ObjectType::Console): the input buffer or a screen
// buffer. The console functions fail with ERROR_INVALID_HANDLE on any other handle (a
// redirected standard handle, an event...) and on a buffer of the wrong kind, as Windows
// does. ReadFile/WriteFile work on every standard handle.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

#include "drivers/console.h"
#include "drivers/console_screen.h"
#include "drivers/file.h"
#include "io/request.h"
#include "kernel/console_ctrl.h"
#include "kernel/handle_table.h"
#include "kernel/process.h"
#include "win32/console_open.h"
#include "win32/devices.h"
#include "win32/entry.h"
#include "win32/text.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// ---- Standard handles ----------------------------------------------------------------------

// A file handle for descriptor `fd`, sharing its open file description (offset, O_APPEND,
// terminal): the file driver opens a placeholder (/dev/null, or / when there is none) and
// the descriptor is duplicated over the placeholder's. Access follows the descriptor's
// open mode. nullptr with *error when it cannot be made; NULL (no error) when `fd` is not
// open, as GetStdHandle answers for a missing standard handle.
HANDLE wrap_descriptor(int fd, DWORD* error)
{
    *error = ERROR_SUCCESS;
    int mode = fcntl(fd, F_GETFL);
    if (mode < 0) return nullptr;
    ACCESS_MASK access = 0;
    if ((mode & O_ACCMODE) != O_WRONLY) access |= FILE_GENERIC_READ;
    if ((mode & O_ACCMODE) != O_RDONLY) access |= FILE_GENERIC_WRITE;

    if (isatty(fd)) {
        // The console: descriptor 0 is its input buffer, 1 and 2 its screen buffer.
        drivers::ConsoleDevice* console = drivers::ConsoleDevice::open(fd, false, fd == 0, error);
        if (console == nullptr) return nullptr;
        HANDLE handle = kernel::handle_create(console, access, 0, error);
        if (handle == nullptr) return nullptr;
        *error = ERROR_SUCCESS;
        return handle;
    }
    constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    bool existed = false;
    drivers::FileDevice* device = drivers::FileDevice::open("/dev/null", 0, kShareAll, OPEN_EXISTING, 0, &existed, error);
    if (device == nullptr)
        device = drivers::FileDevice::open("/", 0, kShareAll, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, &existed, error);
    if (device == nullptr) return nullptr;
    if (dup3(fd, device->descriptor(), O_CLOEXEC) < 0) {
        *error = ERROR_NOT_ENOUGH_MEMORY;
        device->release_reference();
        return nullptr;
    }
    HANDLE handle = kernel::handle_create(device, access, 0, error);
    if (handle == nullptr) return nullptr;
    *error = ERROR_SUCCESS;
    return handle;
}

struct StandardHandles {
    std::mutex mutex;
    HANDLE handles[3] = {nullptr, nullptr, nullptr};
    bool made[3] = {false, false, false};
};

StandardHandles& standard_handles()
{
    static StandardHandles* instance = new StandardHandles();
    return *instance;
}

// STD_INPUT_HANDLE... to 0, 1, 2; -1 for anything else.
int standard_index(DWORD which)
{
    if (which == STD_INPUT_HANDLE) return 0;
    if (which == STD_OUTPUT_HANDLE) return 1;
    if (which == STD_ERROR_HANDLE) return 2;
    return -1;
}

// AllocConsole/AttachConsole: a standard handle that is NULL gets a handle of the console,
// as on Windows (Wine's conformance test dlls/kernel32/tests/console.c,
// test_AllocConsole_child: standard output and error set to NULL are console handles after
// AllocConsole); here the process's terminal: its input buffer for standard input, its
// screen buffer for output and error. Without a terminal they stay NULL.
void fill_null_standard_handles()
{
    StandardHandles& standard = standard_handles();
    std::lock_guard<std::mutex> guard(standard.mutex);
    for (int index = 0; index < 3; ++index) {
        if (!standard.made[index]) {  // as GetStdHandle would make it from the descriptor
            DWORD error;
            HANDLE handle = wrap_descriptor(index, &error);
            if (error != ERROR_SUCCESS) continue;
            standard.handles[index] = handle;
            standard.made[index] = true;
        }
        if (standard.handles[index] != nullptr) continue;
        int descriptor = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (descriptor < 0) return;
        DWORD error;
        drivers::ConsoleDevice* console = drivers::ConsoleDevice::open(descriptor, true, index == 0, &error);
        if (console == nullptr) continue;
        HANDLE handle = kernel::handle_create(console, FILE_GENERIC_READ | FILE_GENERIC_WRITE, 0, &error);
        if (handle != nullptr) standard.handles[index] = handle;
    }
}

// ---- Console handles -----------------------------------------------------------------------

// The console buffer behind `handle` with a reference: the input buffer (`want` Input),
// a screen buffer (Output) or either (Any); else nullptr with ERROR_INVALID_HANDLE.
enum class Want { Any, Input, Output };
drivers::ConsoleDevice* reference_console(HANDLE handle, DWORD* error, Want want = Want::Any, ACCESS_MASK access = 0)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Console, access, error);
    if (object == nullptr) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    auto* console = static_cast<drivers::ConsoleDevice*>(object);
    if ((want == Want::Input && !console->input()) || (want == Want::Output && console->input()) ||
        !drivers::console_attached()) {  // after FreeConsole, unbound
        console->release_reference();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    return console;
}

// Releases a console reference at the end of a scope.
struct ConsoleRef {
    drivers::ConsoleDevice* console;
    ~ConsoleRef() { console->release_reference(); }
};

// The console's modes: one input buffer, one screen buffer (Windows' defaults: every input
// mode but WINDOW_INPUT and VIRTUAL_TERMINAL_INPUT; processed output and wrapping).
std::mutex mode_mutex;
DWORD input_mode = ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_MOUSE_INPUT |
                   ENABLE_INSERT_MODE | ENABLE_QUICK_EDIT_MODE | ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION;

constexpr DWORD kInputModes = ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_WINDOW_INPUT |
                              ENABLE_MOUSE_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT | ENABLE_INSERT_MODE |
                              ENABLE_QUICK_EDIT_MODE | ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION;
constexpr DWORD kOutputModes = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT |
                               ENABLE_VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN |
                               ENABLE_LVB_GRID_WORLDWIDE;

// Writes all of `bytes` to the console's descriptor as a synchronous request (a port's
// thread blocked in it is paused; CancelSynchronousIo interrupts it).
DWORD write_console(drivers::ConsoleDevice* file, const std::string& bytes)
{
    if (bytes.empty()) return ERROR_SUCCESS;
    io::Transfer request;
    request.write = true;
    request.buffer = const_cast<char*>(bytes.data());
    request.length = static_cast<DWORD>(bytes.size());
    DWORD done = 0;
    return io::run_synchronous([&] { return file->transfer_sync(request, false, &done); });
}

template <class Convert>
BOOL write_console_entry(HANDLE handle, const void* buffer, DWORD count, LPDWORD written, Convert convert)
{
    if (written != nullptr) *written = 0;
    DWORD error;
    drivers::ConsoleDevice* file = reference_console(handle, &error, Want::Output);
    if (file == nullptr) return fail(error, FALSE);
    if (buffer == nullptr && count != 0) {
        file->release_reference();
        return fail(ERROR_INVALID_ACCESS, FALSE);
    }
    error = write_console(file, convert());
    file->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    if (written != nullptr) *written = count;
    return TRUE;
}

// ---- Title and code pages ---------------------------------------------------------------------

// Whether `code_page` names a Windows code page: the console host refuses others
// (SetConsoleCP/SetConsoleOutputCP check IsValidCodePage; microsoft/terminal
// src/host/getset.cpp). The identifiers Microsoft Learn lists (Code Page Identifiers)
// without the four only .NET knows (1200, 1201, 12000, 12001: UTF-16 and UTF-32).
bool is_code_page(UINT code_page)
{
    static const UINT single[] = {
        37,    437,   500,   708,   709,   710,   720,   737,   775,   850,   852,   855,   857,   858,   860,
        861,   862,   863,   864,   865,   866,   869,   870,   874,   875,   932,   936,   949,   950,   1026,
        1047,  1250,  1251,  1252,  1253,  1254,  1255,  1256,  1257,  1258,  1361,  10000, 10001, 10002, 10003,
        10004, 10005, 10006, 10007, 10008, 10010, 10017, 10021, 10029, 10079, 10081, 10082, 20000, 20001, 20002,
        20003, 20004, 20005, 20105, 20106, 20107, 20108, 20127, 20261, 20269, 20273, 20277, 20278, 20280, 20284,
        20285, 20290, 20297, 20420, 20423, 20424, 20833, 20838, 20866, 20871, 20880, 20905, 20924, 20932, 20936,
        20949, 21025, 21027, 21866, 28603, 28605, 29001, 38598, 50220, 50221, 50222, 50225, 50227, 50229, 50930,
        50931, 50933, 50935, 50936, 50937, 50939, 51932, 51936, 51949, 51950, 52936, 54936, 65000, 65001,
    };
    if (code_page >= 1140 && code_page <= 1149) return true;    // IBM EBCDIC with the euro
    if (code_page >= 28591 && code_page <= 28599) return true;  // ISO 8859-1 ... 9
    if (code_page >= 57002 && code_page <= 57011) return true;  // ISCII
    for (UINT known : single)
        if (known == code_page) return true;
    return false;
}

// The title goes to the first of stdout/stderr that is a terminal, as the xterm sequence
// OSC 0 (window and icon title); control characters are dropped so the title cannot end
// the sequence or start another one.
std::mutex title_mutex;
std::string* console_title = nullptr;  // UTF-8; the program's path until set

std::string& title_locked()
{
    if (console_title == nullptr) {
        char path[4096];
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
        console_title = new std::string(n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string());
    }
    return *console_title;
}

BOOL set_title(const std::string& title)
{
    {
        std::lock_guard<std::mutex> guard(title_mutex);
        title_locked() = title;
    }
    std::string sequence = "\033]0;";
    for (char c : title)
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) sequence += c;
    sequence += '\007';
    for (int fd : {1, 2}) {
        if (!isatty(fd)) continue;
        size_t done = 0;
        while (done < sequence.size()) {
            ssize_t n = write(fd, sequence.data() + done, sequence.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        break;
    }
    return TRUE;
}

std::atomic<UINT> input_code_page{CP_UTF8};
std::atomic<UINT> output_code_page{CP_UTF8};

// The functions of the process's console fail so while FreeConsole left it detached
// (drivers::console_attached), as Windows' do without a console.
bool detached() { return !drivers::console_attached(); }

}  // namespace

extern "C" {

// ---- Standard handles ----------------------------------------------------------------------

HANDLE WINAPI GetStdHandle(DWORD nStdHandle)
{
    int index = standard_index(nStdHandle);
    if (index < 0) return fail(ERROR_INVALID_HANDLE, INVALID_HANDLE_VALUE);
    StandardHandles& standard = standard_handles();
    std::lock_guard<std::mutex> guard(standard.mutex);
    if (!standard.made[index]) {
        DWORD error;
        HANDLE handle = wrap_descriptor(index, &error);
        if (error != ERROR_SUCCESS) return fail(error, INVALID_HANDLE_VALUE);
        standard.handles[index] = handle;
        standard.made[index] = true;
    }
    return standard.handles[index];
}

BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle)
{
    int index = standard_index(nStdHandle);
    if (index < 0) return fail(ERROR_INVALID_HANDLE, FALSE);
    StandardHandles& standard = standard_handles();
    std::lock_guard<std::mutex> guard(standard.mutex);
    standard.handles[index] = hHandle;
    standard.made[index] = true;
    return TRUE;
}

// ---- Modes and output --------------------------------------------------------------------------

BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleHandle, &error);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (lpMode == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    if (!console->input()) {
        *lpMode = drivers::screen_output_mode(console->screen());  // each screen buffer has its own
        return TRUE;
    }
    std::lock_guard<std::mutex> guard(mode_mutex);
    *lpMode = input_mode;
    return TRUE;
}

// As the Windows console host does: an input mode is stored even when it is then refused
// for unknown flags or ECHO without LINE; an output mode with unknown flags is refused and
// not stored. A mode accepted is applied to the terminal (drivers/console.h: line input,
// echo and processed input to ICANON, ECHO and ISIG; processed output to OPOST/ONLCR; wrap
// at EOL to the terminal's autowrap); the terminal's settings are restored at exit.
BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleHandle, &error);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    std::lock_guard<std::mutex> guard(mode_mutex);
    if (console->input()) {
        input_mode = dwMode;
        if ((dwMode & ~kInputModes) || ((dwMode & ENABLE_ECHO_INPUT) && !(dwMode & ENABLE_LINE_INPUT)))
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        drivers::console_apply_input_mode(console->descriptor(), dwMode);
        return TRUE;
    }
    if (dwMode & ~kOutputModes) return fail(ERROR_INVALID_PARAMETER, FALSE);
    drivers::screen_set_output_mode(console->screen(), console->descriptor(), dwMode);
    return TRUE;
}

// The bytes as they are (the console's code page is UTF-8).
BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID* lpBuffer, DWORD nNumberOfCharsToWrite,
                          LPDWORD lpNumberOfCharsWritten, LPVOID)
{
    return write_console_entry(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, lpNumberOfCharsWritten, [&] {
        return std::string(static_cast<const char*>(lpBuffer), nNumberOfCharsToWrite);
    });
}

// UTF-16 to UTF-8; *lpNumberOfCharsWritten counts WCHARs, as on Windows.
BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, const VOID* lpBuffer, DWORD nNumberOfCharsToWrite,
                          LPDWORD lpNumberOfCharsWritten, LPVOID)
{
    return write_console_entry(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, lpNumberOfCharsWritten, [&] {
        return win32::utf8_from_utf16(static_cast<const WCHAR*>(lpBuffer), nNumberOfCharsToWrite);
    });
}

BOOL WINAPI SetConsoleTitleA(LPCSTR lpConsoleTitle)
{
    if (lpConsoleTitle == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (detached()) return fail(ERROR_INVALID_HANDLE, FALSE);
    return set_title(lpConsoleTitle);
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle)
{
    if (lpConsoleTitle == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (detached()) return fail(ERROR_INVALID_HANDLE, FALSE);
    return set_title(win32::utf8_from_utf16(lpConsoleTitle));
}

UINT WINAPI GetConsoleCP(void)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, 0u);
    return input_code_page.load(std::memory_order_relaxed);
}

UINT WINAPI GetConsoleOutputCP(void)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, 0u);
    return output_code_page.load(std::memory_order_relaxed);
}

// Recorded only: A strings are written as the bytes they are.
BOOL WINAPI SetConsoleCP(UINT wCodePageID)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, FALSE);
    if (!is_code_page(wCodePageID)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    input_code_page.store(wCodePageID, std::memory_order_relaxed);
    return TRUE;
}

BOOL WINAPI SetConsoleOutputCP(UINT wCodePageID)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, FALSE);
    if (!is_code_page(wCodePageID)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    output_code_page.store(wCodePageID, std::memory_order_relaxed);
    return TRUE;
}

// ---- The console itself --------------------------------------------------------------------------

// The process has a console (its terminal, or the descriptors it was given) unless it called
// FreeConsole; no new one can be made, so AllocConsole only re-attaches. Each of the three
// resets the control handler list, as Windows does.
BOOL WINAPI AllocConsole(void)
{
    if (drivers::console_set_attached(true)) return fail(ERROR_ACCESS_DENIED, FALSE);
    kernel::ctrl_reset_handlers(true);
    fill_null_standard_handles();
    return TRUE;
}

BOOL WINAPI AttachConsole(DWORD dwProcessId)
{
    if (drivers::console_attached()) return fail(ERROR_ACCESS_DENIED, FALSE);
    // The process named must exist (ERROR_INVALID_PARAMETER, as Windows); the console
    // attached again is this process's own (docs/deviations.md).
    if (dwProcessId != ATTACH_PARENT_PROCESS) {
        if (dwProcessId == 0 || dwProcessId > static_cast<DWORD>(INT_MAX) ||
            (kill(static_cast<pid_t>(dwProcessId), 0) != 0 && errno == ESRCH))
            return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    if (drivers::console_set_attached(true)) return fail(ERROR_ACCESS_DENIED, FALSE);
    kernel::ctrl_reset_handlers(true);
    fill_null_standard_handles();
    return TRUE;
}

// Detaches: the console functions and the console handles fail with ERROR_INVALID_HANDLE
// until AllocConsole or AttachConsole (the standard handles stay as they are).
BOOL WINAPI FreeConsole(void)
{
    drivers::console_set_attached(false);
    kernel::ctrl_reset_handlers(false);
    return TRUE;
}

// There is no console window (and no console at all after FreeConsole).
HWND WINAPI GetConsoleWindow(void)
{
    if (detached()) win32::set_last_error(ERROR_INVALID_HANDLE);
    return nullptr;
}

// ---- Control events ----------------------------------------------------------------------------

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)
{
    DWORD error;
    if (HandlerRoutine == nullptr) error = kernel::ctrl_ignore_ctrl_c(Add != FALSE);
    else if (Add) error = kernel::ctrl_handler_add(HandlerRoutine);
    else error = kernel::ctrl_handler_remove(HandlerRoutine);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// To this process only (never to the whole process group: Linux would signal every process
// in it, the program's parent shell or test runner included). dwProcessGroupId 0 is the
// caller's console; for CTRL_BREAK_EVENT the caller's own id or process group id means this
// process too. As on Windows, CTRL_C_EVENT with a group other than 0 succeeds and reaches
// nobody; so does an event for a group of other processes, which the library cannot reach.
BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, FALSE);  // no console to send it through
    if (dwCtrlEvent != CTRL_C_EVENT && dwCtrlEvent != CTRL_BREAK_EVENT) return fail(ERROR_INVALID_PARAMETER, FALSE);
    bool ours = dwProcessGroupId == 0 ||
                (dwCtrlEvent == CTRL_BREAK_EVENT && (dwProcessGroupId == static_cast<DWORD>(getpid()) ||
                                                     dwProcessGroupId == static_cast<DWORD>(getpgrp())));
    if (!ours && dwCtrlEvent == CTRL_BREAK_EVENT) kernel::process_break_child_group(dwProcessGroupId);  // processes.md
    if (!ours) return TRUE;
    if (DWORD error = kernel::ctrl_raise(dwCtrlEvent)) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"

// ---- Reading the console -------------------------------------------------------------------

namespace {

// ReadConsoleA/W. The control structure (the characters already typed, the wake-up mask of
// a shell's completion) is not used: a terminal edits its line itself (deviations.md).
// The count is left as it was when the read fails (Wine's conformance test
// dlls/kernel32/tests/console.c, test_ReadConsole, which passes on Windows).
BOOL read_console(HANDLE handle, LPVOID buffer, DWORD count, LPDWORD read, bool wide)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(handle, &error, Want::Input);
    if (console == nullptr) return fail(error, FALSE);
    DWORD done = 0;
    if (buffer == nullptr && count != 0) error = ERROR_INVALID_ACCESS;
    else error = io::run_synchronous([&] { return console->read_text(buffer, count, wide, &done); });
    console->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    if (read != nullptr) *read = done;
    return TRUE;
}

// ReadConsoleInput and PeekConsoleInput, A and W: key events; the A functions give the
// character as a byte of the console's code page (UTF-8): ASCII as it is, '?' for others.
BOOL read_input(HANDLE handle, PINPUT_RECORD records, DWORD count, LPDWORD read, bool remove, bool wide)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(handle, &error, Want::Input);
    if (console == nullptr) return fail(error, FALSE);
    DWORD done = 0;
    if ((records == nullptr && count != 0) || read == nullptr) error = ERROR_INVALID_ACCESS;
    else error = io::run_synchronous([&] { return console->read_records(records, count, remove, remove, &done); });
    console->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    if (!wide)
        for (DWORD i = 0; i < done; ++i)
            if (records[i].EventType == KEY_EVENT) {
                WCHAR c = records[i].Event.KeyEvent.uChar.UnicodeChar;
                records[i].Event.KeyEvent.uChar.UnicodeChar = 0;
                records[i].Event.KeyEvent.uChar.AsciiChar = static_cast<CHAR>(c < 0x80 ? c : '?');
            }
    *read = done;
    return TRUE;
}

// WriteConsoleInputA/W: the records go into the input buffer after what is there. The
// pointers are checked before the handle (Wine's console test test_WriteConsoleInputA/W,
// which passes on Windows). The A function's key events carry a byte of the console's code
// page (UTF-8): ASCII as it is, any other byte U+FFFD.
BOOL write_input(HANDLE handle, const INPUT_RECORD* records, DWORD count, LPDWORD written, bool wide)
{
    if (written == nullptr || (records == nullptr && count != 0)) return fail(ERROR_INVALID_ACCESS, FALSE);
    *written = 0;
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(handle, &error, Want::Input);
    if (console == nullptr) return fail(error, FALSE);
    std::vector<INPUT_RECORD> converted;
    if (!wide && count != 0) {
        converted.assign(records, records + count);
        for (INPUT_RECORD& record : converted)
            if (record.EventType == KEY_EVENT) {
                auto c = static_cast<unsigned char>(record.Event.KeyEvent.uChar.AsciiChar);
                record.Event.KeyEvent.uChar.UnicodeChar = static_cast<WCHAR>(c < 0x80 ? c : 0xFFFD);
            }
        records = converted.data();
    }
    DWORD done = 0;
    error = console->write_records(records, count, &done);
    console->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    *written = done;
    return TRUE;
}

template <class Char>
DWORD copy_title(Char* out, DWORD size);

// GetConsoleTitleA, as the Windows console host answers it (microsoft/terminal's API
// tests): a buffer shorter than the title gets an empty string and 0; one of exactly the
// title's length gets the title without terminator; the result is the title's length.
template <>
DWORD copy_title<char>(char* out, DWORD size)
{
    std::lock_guard<std::mutex> guard(title_mutex);
    const std::string& title = title_locked();
    if (out == nullptr || size == 0) return 0;
    if (size < title.size()) {
        out[0] = 0;
        return 0;
    }
    memcpy(out, title.data(), title.size());
    if (size > title.size()) out[title.size()] = 0;
    return static_cast<DWORD>(title.size());
}

// GetConsoleTitleW: as much of the title as fits with a terminator; the result is the
// whole title's length.
template <>
DWORD copy_title<WCHAR>(WCHAR* out, DWORD size)
{
    std::u16string title;
    {
        std::lock_guard<std::mutex> guard(title_mutex);
        title = win32::utf16_from_utf8(title_locked());
    }
    if (out == nullptr || size == 0) return 0;
    size_t copied = std::min<size_t>(title.size(), size - 1);
    memcpy(out, title.data(), copied * sizeof(WCHAR));
    out[copied] = 0;
    return static_cast<DWORD>(title.size());
}

}  // namespace

extern "C" {

BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                         LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL)
{
    return read_console(hConsoleInput, lpBuffer, nNumberOfCharsToRead, lpNumberOfCharsRead, false);
}

BOOL WINAPI ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                         LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL)
{
    return read_console(hConsoleInput, lpBuffer, nNumberOfCharsToRead, lpNumberOfCharsRead, true);
}

BOOL WINAPI ReadConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return read_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, true, false);
}

BOOL WINAPI ReadConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return read_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, true, true);
}

BOOL WINAPI PeekConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return read_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, false, false);
}

BOOL WINAPI PeekConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength, LPDWORD lpNumberOfEventsRead)
{
    return read_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsRead, false, true);
}

BOOL WINAPI WriteConsoleInputA(HANDLE hConsoleInput, const INPUT_RECORD* lpBuffer, DWORD nLength,
                               LPDWORD lpNumberOfEventsWritten)
{
    return write_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsWritten, false);
}

BOOL WINAPI WriteConsoleInputW(HANDLE hConsoleInput, const INPUT_RECORD* lpBuffer, DWORD nLength,
                               LPDWORD lpNumberOfEventsWritten)
{
    return write_input(hConsoleInput, lpBuffer, nLength, lpNumberOfEventsWritten, true);
}

BOOL WINAPI GetNumberOfConsoleInputEvents(HANDLE hConsoleInput, LPDWORD lpNumberOfEvents)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleInput, &error, Want::Input);
    if (console == nullptr) return fail(error, FALSE);
    DWORD count = 0;
    error = lpNumberOfEvents == nullptr ? ERROR_INVALID_ACCESS : console->pending_events(&count);
    console->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    *lpNumberOfEvents = count;
    return TRUE;
}

BOOL WINAPI FlushConsoleInputBuffer(HANDLE hConsoleInput)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleInput, &error, Want::Input);
    if (console == nullptr) return fail(error, FALSE);
    error = console->flush_input();
    console->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"

bool win32::flush_console(HANDLE handle, BOOL* result)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Console, 0, &error);
    if (object == nullptr) return false;
    object->release_reference();
    *result = FlushConsoleInputBuffer(handle);
    return true;
}

extern "C" {

// ---- The screen buffer -----------------------------------------------------------------------

// Every screen buffer is a model of cells (drivers/console_screen.h); the active one is
// mirrored to the terminal. The window is the terminal's (TIOCGWINSZ; 80x24 when there is
// none), at the buffer's top-left corner.
BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE hConsoleOutput, PCONSOLE_SCREEN_BUFFER_INFO lpConsoleScreenBufferInfo)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (lpConsoleScreenBufferInfo == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    drivers::screen_info(console->screen(), lpConsoleScreenBufferInfo);
    return TRUE;
}

// The structure's size is checked first (ERROR_INVALID_PARAMETER, whatever the handle),
// then the handle: the order Wine's conformance test test_GetConsoleScreenBufferInfoEx sees
// on Windows. There is no full-screen mode.
BOOL WINAPI GetConsoleScreenBufferInfoEx(HANDLE hConsoleOutput, PCONSOLE_SCREEN_BUFFER_INFOEX lpConsoleScreenBufferInfoEx)
{
    if (lpConsoleScreenBufferInfoEx == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    if (lpConsoleScreenBufferInfoEx->cbSize != sizeof(CONSOLE_SCREEN_BUFFER_INFOEX))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    CONSOLE_SCREEN_BUFFER_INFO info;
    drivers::screen_info(console->screen(), &info);
    lpConsoleScreenBufferInfoEx->dwSize = info.dwSize;
    lpConsoleScreenBufferInfoEx->dwCursorPosition = info.dwCursorPosition;
    lpConsoleScreenBufferInfoEx->wAttributes = info.wAttributes;
    lpConsoleScreenBufferInfoEx->srWindow = info.srWindow;
    lpConsoleScreenBufferInfoEx->dwMaximumWindowSize = info.dwMaximumWindowSize;
    lpConsoleScreenBufferInfoEx->bFullscreenSupported = FALSE;
    drivers::screen_extra_info(console->screen(), &lpConsoleScreenBufferInfoEx->wPopupAttributes,
                               lpConsoleScreenBufferInfoEx->ColorTable);
    return TRUE;
}

// Sets the buffer's size (as SetConsoleScreenBufferSize), cursor, attributes, popup
// attributes and colour table (the last two recorded: the terminal keeps its palette). The
// window is the terminal's: srWindow and dwMaximumWindowSize are not used
// (docs/deviations.md). The size is checked first, then the handle (Wine's conformance test
// test_SetConsoleScreenBufferInfoEx, which passes on Windows); nothing is changed when the
// buffer size or the cursor is refused.
BOOL WINAPI SetConsoleScreenBufferInfoEx(HANDLE hConsoleOutput, PCONSOLE_SCREEN_BUFFER_INFOEX lpConsoleScreenBufferInfoEx)
{
    if (lpConsoleScreenBufferInfoEx == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    if (lpConsoleScreenBufferInfoEx->cbSize != sizeof(CONSOLE_SCREEN_BUFFER_INFOEX))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    const CONSOLE_SCREEN_BUFFER_INFOEX& wanted = *lpConsoleScreenBufferInfoEx;
    CONSOLE_SCREEN_BUFFER_INFO info;
    drivers::screen_info(console->screen(), &info);
    COORD cursor = wanted.dwCursorPosition;
    if (cursor.X < 0 || cursor.Y < 0 || cursor.X >= wanted.dwSize.X || cursor.Y >= wanted.dwSize.Y)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (wanted.dwSize.X != info.dwSize.X || wanted.dwSize.Y != info.dwSize.Y) {
        error = drivers::screen_set_size(console->screen(), wanted.dwSize);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
    }
    if (cursor.X != info.dwCursorPosition.X || cursor.Y != info.dwCursorPosition.Y) {
        error = drivers::screen_set_cursor(console->screen(), cursor);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
    }
    if (wanted.wAttributes != info.wAttributes) drivers::screen_set_attributes(console->screen(), wanted.wAttributes);
    drivers::screen_set_extra_info(console->screen(), wanted.wPopupAttributes, wanted.ColorTable);
    return TRUE;
}

// Windows' rules (Wine's conformance test test_GetConsoleProcessList, which passes on
// Windows): a NULL list or a count of 0 is ERROR_INVALID_PARAMETER; a list too short for
// every process is left as it was and the number needed returned; else the ids, and their
// number. Without a console (after FreeConsole), ERROR_INVALID_HANDLE.
DWORD WINAPI GetConsoleProcessList(LPDWORD lpdwProcessList, DWORD dwProcessCount)
{
    if (lpdwProcessList == nullptr || dwProcessCount == 0) return fail(ERROR_INVALID_PARAMETER, DWORD{0});
    if (detached()) return fail(ERROR_INVALID_HANDLE, DWORD{0});
    std::vector<DWORD> processes = drivers::console_processes();
    DWORD count = static_cast<DWORD>(processes.size());
    if (count <= dwProcessCount) std::copy(processes.begin(), processes.end(), lpdwProcessList);
    return count;
}

BOOL WINAPI SetConsoleTextAttribute(HANDLE hConsoleOutput, WORD wAttributes)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    drivers::screen_set_attributes(console->screen(), wAttributes);
    return TRUE;
}

// A position outside the buffer: ERROR_INVALID_PARAMETER, as on Windows.
BOOL WINAPI SetConsoleCursorPosition(HANDLE hConsoleOutput, COORD dwCursorPosition)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    error = drivers::screen_set_cursor(console->screen(), dwCursorPosition);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// Each screen buffer has its own cursor: its size is recorded (a terminal draws its own),
// its visibility is DECTCEM while the buffer is active.
BOOL WINAPI GetConsoleCursorInfo(HANDLE hConsoleOutput, PCONSOLE_CURSOR_INFO lpConsoleCursorInfo)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (lpConsoleCursorInfo == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    drivers::screen_cursor_info(console->screen(), lpConsoleCursorInfo);
    return TRUE;
}

BOOL WINAPI SetConsoleCursorInfo(HANDLE hConsoleOutput, const CONSOLE_CURSOR_INFO* lpConsoleCursorInfo)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (lpConsoleCursorInfo == nullptr || lpConsoleCursorInfo->dwSize < 1 || lpConsoleCursorInfo->dwSize > 100)
        return fail(lpConsoleCursorInfo == nullptr ? ERROR_INVALID_ACCESS : ERROR_INVALID_PARAMETER, FALSE);
    drivers::screen_set_cursor_info(console->screen(), lpConsoleCursorInfo->dwSize,
                                    lpConsoleCursorInfo->bVisible != FALSE);
    return TRUE;
}

// A new buffer, blank, the window's size; not shown until SetConsoleActiveScreenBuffer. It
// is a console handle with no descriptor of its own (not inherited by children).
HANDLE WINAPI CreateConsoleScreenBuffer(DWORD dwDesiredAccess, DWORD, const SECURITY_ATTRIBUTES* lpSecurityAttributes,
                                        DWORD dwFlags, LPVOID)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, INVALID_HANDLE_VALUE);
    if (dwFlags != CONSOLE_TEXTMODE_BUFFER) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    drivers::ScreenBuffer* buffer = drivers::screen_create();
    if (buffer == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, INVALID_HANDLE_VALUE);
    drivers::ConsoleDevice* device = drivers::ConsoleDevice::open_screen(buffer);
    DWORD error;
    HANDLE handle = kernel::handle_create(device, io::map_generic_file_access(dwDesiredAccess),
                                          win32::inherit_flags(lpSecurityAttributes), &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    return handle;
}

// A handle without write access cannot be shown (ERROR_INVALID_HANDLE, as Wine's
// conformance test testScreenBuffer sees on Windows).
BOOL WINAPI SetConsoleActiveScreenBuffer(HANDLE hConsoleOutput)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output, FILE_WRITE_DATA);
    if (console == nullptr) return fail(ERROR_INVALID_HANDLE, FALSE);
    drivers::screen_activate(console->screen());
    console->release_reference();
    return TRUE;
}

}  // extern "C"

namespace {

// The screen buffer of a cell function: the count cleared first, then the handle checked
// (ERROR_INVALID_HANDLE), then the pointers (ERROR_INVALID_ACCESS): the order Wine's
// conformance tests see on Windows (test_FillConsoleOutputCharacterA and its kin).
drivers::ConsoleDevice* cell_target(HANDLE handle, LPDWORD count, const void* data, DWORD length, DWORD* error)
{
    if (count != nullptr) *count = 0;
    drivers::ConsoleDevice* console = reference_console(handle, error, Want::Output);
    if (console == nullptr) return nullptr;
    if (count == nullptr || (data == nullptr && length != 0)) {
        console->release_reference();
        *error = ERROR_INVALID_ACCESS;
        return nullptr;
    }
    return console;
}

BOOL fill_characters(HANDLE handle, WCHAR c, DWORD length, COORD at, LPDWORD written)
{
    DWORD error;
    drivers::ConsoleDevice* console = cell_target(handle, written, &c, length, &error);
    if (console == nullptr) return fail(error, FALSE);
    drivers::screen_write_cells(console->screen(), at, length, &c, nullptr, true, written);
    console->release_reference();
    return TRUE;
}

BOOL write_characters(HANDLE handle, const WCHAR* text, DWORD length, COORD at, LPDWORD written)
{
    DWORD error;
    drivers::ConsoleDevice* console = cell_target(handle, written, text, length, &error);
    if (console == nullptr) return fail(error, FALSE);
    drivers::screen_write_cells(console->screen(), at, length, text, nullptr, false, written);
    console->release_reference();
    return TRUE;
}

BOOL read_cells(HANDLE handle, WCHAR* text, CHAR* narrow, WORD* attributes, DWORD length, COORD at, LPDWORD read)
{
    DWORD error;
    const void* data = text != nullptr ? static_cast<const void*>(text)
                       : narrow != nullptr ? static_cast<const void*>(narrow)
                                           : static_cast<const void*>(attributes);
    drivers::ConsoleDevice* console = cell_target(handle, read, data, length, &error);
    if (console == nullptr) return fail(error, FALSE);
    drivers::screen_read_cells(console->screen(), at, length, text, narrow, attributes, read);
    console->release_reference();
    return TRUE;
}

// WriteConsoleOutput / ReadConsoleOutput, as Windows answers (Wine's conformance test
// dlls/kernel32/tests/console.c, test_WriteConsoleOutput and test_ReadConsoleOutput): the
// region is first cut to the part of the caller's array from its coordinate on (written back,
// before the handle is looked at). A write with an empty region, or a coordinate outside the
// array, fails with ERROR_INVALID_PARAMETER and leaves the region as it was; a write wholly
// outside the buffer succeeds and writes nothing. A read fails when nothing of the array is
// left (ERROR_INVALID_FUNCTION, one of the two errors Windows gives) and when the region is
// wholly outside the buffer (ERROR_INVALID_PARAMETER).
BOOL rect_cells(HANDLE handle, CHAR_INFO* cells, COORD size, COORD from, PSMALL_RECT region, bool write, bool wide)
{
    if (cells == nullptr || region == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    bool outside_array = from.X < 0 || from.Y < 0 || from.X >= size.X || from.Y >= size.Y;
    if (write && (region->Left > region->Right || region->Top > region->Bottom || outside_array))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!outside_array) {
        int columns = std::min<int>(region->Right - region->Left + 1, size.X - from.X);
        int rows = std::min<int>(region->Bottom - region->Top + 1, size.Y - from.Y);
        region->Right = static_cast<SHORT>(region->Left + columns - 1);
        region->Bottom = static_cast<SHORT>(region->Top + rows - 1);
    }
    if (outside_array || region->Left > region->Right || region->Top > region->Bottom)
        return fail(ERROR_INVALID_FUNCTION, FALSE);  // a read only: a write was refused above
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(handle, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (write) {
        drivers::screen_write_rect(console->screen(), cells, size, from, region, wide);
        return TRUE;
    }
    if (!drivers::screen_read_rect(console->screen(), cells, size, from, region, wide))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

BOOL scroll_cells(HANDLE handle, const SMALL_RECT* scroll, const SMALL_RECT* clip, COORD destination,
                  const CHAR_INFO* fill, bool wide)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(handle, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (scroll == nullptr || fill == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    error = drivers::screen_scroll(console->screen(), *scroll, clip, destination, *fill, wide);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" {

BOOL WINAPI FillConsoleOutputCharacterA(HANDLE hConsoleOutput, CHAR cCharacter, DWORD nLength, COORD dwWriteCoord,
                                        LPDWORD lpNumberOfCharsWritten)
{
    return fill_characters(hConsoleOutput, drivers::screen_char_from_ascii(cCharacter), nLength, dwWriteCoord,
                           lpNumberOfCharsWritten);
}

BOOL WINAPI FillConsoleOutputCharacterW(HANDLE hConsoleOutput, WCHAR cCharacter, DWORD nLength, COORD dwWriteCoord,
                                        LPDWORD lpNumberOfCharsWritten)
{
    return fill_characters(hConsoleOutput, cCharacter, nLength, dwWriteCoord, lpNumberOfCharsWritten);
}

BOOL WINAPI FillConsoleOutputAttribute(HANDLE hConsoleOutput, WORD wAttribute, DWORD nLength, COORD dwWriteCoord,
                                       LPDWORD lpNumberOfAttrsWritten)
{
    DWORD error;
    drivers::ConsoleDevice* console = cell_target(hConsoleOutput, lpNumberOfAttrsWritten, &wAttribute, nLength, &error);
    if (console == nullptr) return fail(error, FALSE);
    drivers::screen_write_cells(console->screen(), dwWriteCoord, nLength, nullptr, &wAttribute, true,
                                lpNumberOfAttrsWritten);
    console->release_reference();
    return TRUE;
}

// The bytes as UTF-8 (the console's code page); the count is in bytes, of the characters
// that went into the buffer.
BOOL WINAPI WriteConsoleOutputCharacterA(HANDLE hConsoleOutput, LPCSTR lpCharacter, DWORD nLength, COORD dwWriteCoord,
                                         LPDWORD lpNumberOfCharsWritten)
{
    if (lpCharacter == nullptr || nLength == 0)
        return write_characters(hConsoleOutput, nullptr, nLength, dwWriteCoord, lpNumberOfCharsWritten);
    std::u16string text = win32::utf16_from_utf8(std::string(lpCharacter, nLength));
    const auto* units = reinterpret_cast<const WCHAR*>(text.data());
    if (!write_characters(hConsoleOutput, units, static_cast<DWORD>(text.size()), dwWriteCoord, lpNumberOfCharsWritten))
        return FALSE;
    if (*lpNumberOfCharsWritten == text.size()) *lpNumberOfCharsWritten = nLength;
    else *lpNumberOfCharsWritten = static_cast<DWORD>(win32::utf8_from_utf16(units, *lpNumberOfCharsWritten).size());
    return TRUE;
}

BOOL WINAPI WriteConsoleOutputCharacterW(HANDLE hConsoleOutput, LPCWSTR lpCharacter, DWORD nLength, COORD dwWriteCoord,
                                         LPDWORD lpNumberOfCharsWritten)
{
    return write_characters(hConsoleOutput, lpCharacter, nLength, dwWriteCoord, lpNumberOfCharsWritten);
}

BOOL WINAPI WriteConsoleOutputAttribute(HANDLE hConsoleOutput, const WORD* lpAttribute, DWORD nLength,
                                        COORD dwWriteCoord, LPDWORD lpNumberOfAttrsWritten)
{
    DWORD error;
    drivers::ConsoleDevice* console = cell_target(hConsoleOutput, lpNumberOfAttrsWritten, lpAttribute, nLength, &error);
    if (console == nullptr) return fail(error, FALSE);
    drivers::screen_write_cells(console->screen(), dwWriteCoord, nLength, nullptr, lpAttribute, false,
                                lpNumberOfAttrsWritten);
    console->release_reference();
    return TRUE;
}

// A character that is not ASCII reads as '?' (one byte a cell).
BOOL WINAPI ReadConsoleOutputCharacterA(HANDLE hConsoleOutput, LPSTR lpCharacter, DWORD nLength, COORD dwReadCoord,
                                        LPDWORD lpNumberOfCharsRead)
{
    return read_cells(hConsoleOutput, nullptr, lpCharacter, nullptr, nLength, dwReadCoord, lpNumberOfCharsRead);
}

BOOL WINAPI ReadConsoleOutputCharacterW(HANDLE hConsoleOutput, LPWSTR lpCharacter, DWORD nLength, COORD dwReadCoord,
                                        LPDWORD lpNumberOfCharsRead)
{
    return read_cells(hConsoleOutput, lpCharacter, nullptr, nullptr, nLength, dwReadCoord, lpNumberOfCharsRead);
}

BOOL WINAPI ReadConsoleOutputAttribute(HANDLE hConsoleOutput, LPWORD lpAttribute, DWORD nLength, COORD dwReadCoord,
                                       LPDWORD lpNumberOfAttrsRead)
{
    return read_cells(hConsoleOutput, nullptr, nullptr, lpAttribute, nLength, dwReadCoord, lpNumberOfAttrsRead);
}

BOOL WINAPI WriteConsoleOutputA(HANDLE hConsoleOutput, const CHAR_INFO* lpBuffer, COORD dwBufferSize,
                                COORD dwBufferCoord, PSMALL_RECT lpWriteRegion)
{
    return rect_cells(hConsoleOutput, const_cast<CHAR_INFO*>(lpBuffer), dwBufferSize, dwBufferCoord, lpWriteRegion,
                      true, false);
}

BOOL WINAPI WriteConsoleOutputW(HANDLE hConsoleOutput, const CHAR_INFO* lpBuffer, COORD dwBufferSize,
                                COORD dwBufferCoord, PSMALL_RECT lpWriteRegion)
{
    return rect_cells(hConsoleOutput, const_cast<CHAR_INFO*>(lpBuffer), dwBufferSize, dwBufferCoord, lpWriteRegion,
                      true, true);
}

BOOL WINAPI ReadConsoleOutputA(HANDLE hConsoleOutput, PCHAR_INFO lpBuffer, COORD dwBufferSize, COORD dwBufferCoord,
                               PSMALL_RECT lpReadRegion)
{
    return rect_cells(hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord, lpReadRegion, false, false);
}

BOOL WINAPI ReadConsoleOutputW(HANDLE hConsoleOutput, PCHAR_INFO lpBuffer, COORD dwBufferSize, COORD dwBufferCoord,
                               PSMALL_RECT lpReadRegion)
{
    return rect_cells(hConsoleOutput, lpBuffer, dwBufferSize, dwBufferCoord, lpReadRegion, false, true);
}

BOOL WINAPI ScrollConsoleScreenBufferA(HANDLE hConsoleOutput, const SMALL_RECT* lpScrollRectangle,
                                       const SMALL_RECT* lpClipRectangle, COORD dwDestinationOrigin,
                                       const CHAR_INFO* lpFill)
{
    return scroll_cells(hConsoleOutput, lpScrollRectangle, lpClipRectangle, dwDestinationOrigin, lpFill, false);
}

BOOL WINAPI ScrollConsoleScreenBufferW(HANDLE hConsoleOutput, const SMALL_RECT* lpScrollRectangle,
                                       const SMALL_RECT* lpClipRectangle, COORD dwDestinationOrigin,
                                       const CHAR_INFO* lpFill)
{
    return scroll_cells(hConsoleOutput, lpScrollRectangle, lpClipRectangle, dwDestinationOrigin, lpFill, true);
}

// Not smaller than the window (ERROR_INVALID_PARAMETER, as Windows answers).
BOOL WINAPI SetConsoleScreenBufferSize(HANDLE hConsoleOutput, COORD dwSize)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    error = drivers::screen_set_size(console->screen(), dwSize);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// The window is the terminal's: only the window it is succeeds (docs/deviations.md).
BOOL WINAPI SetConsoleWindowInfo(HANDLE hConsoleOutput, BOOL bAbsolute, const SMALL_RECT* lpConsoleWindow)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, FALSE);
    ConsoleRef release{console};
    if (lpConsoleWindow == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    error = drivers::screen_set_window(console->screen(), bAbsolute != FALSE, *lpConsoleWindow);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// The terminal's size (the window's when there is no terminal); {0, 0} for a handle that is
// not a screen buffer.
COORD WINAPI GetLargestConsoleWindowSize(HANDLE hConsoleOutput)
{
    DWORD error;
    drivers::ConsoleDevice* console = reference_console(hConsoleOutput, &error, Want::Output);
    if (console == nullptr) return fail(error, COORD{0, 0});
    COORD largest = drivers::screen_largest_window(console->screen());
    console->release_reference();
    return largest;
}

DWORD WINAPI GetConsoleTitleA(LPSTR lpConsoleTitle, DWORD nSize)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, 0u);
    return copy_title(lpConsoleTitle, nSize);
}

DWORD WINAPI GetConsoleTitleW(LPWSTR lpConsoleTitle, DWORD nSize)
{
    if (detached()) return fail(ERROR_INVALID_HANDLE, 0u);
    return copy_title(lpConsoleTitle, nSize);
}

}  // extern "C"

// ---- CONIN$ and CONOUT$ --------------------------------------------------------------------

namespace overlapped::win32 {

// CreateFile("CONIN$") and ("CONOUT$") (also as \\.\CONIN$, any case): the input buffer and
// the screen buffer of the process's terminal (/dev/tty); "CON" is the input buffer when
// opened for reading only, the screen buffer when opened for writing only, and
// ERROR_FILE_NOT_FOUND otherwise (Microsoft Learn, CreateFile, "Consoles"). The
// disposition must be one of CreateFile's five (ERROR_INVALID_PARAMETER: Wine's
// conformance test test_CreateFileW, passing on Windows 8 and later), and is otherwise
// ignored, as for any console. A process with no terminal has no console:
// ERROR_INVALID_HANDLE. Transfers on them are synchronous whatever the flags say, as on
// Windows.
bool open_console_name(const std::string& name, DWORD access, DWORD, DWORD disposition, DWORD,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    std::string bare = name;
    if (bare.size() > 4 && (bare.compare(0, 4, "\\\\.\\") == 0 || bare.compare(0, 4, "//./") == 0)) bare = bare.substr(4);
    bool input;
    if (strcasecmp(bare.c_str(), "CONIN$") == 0) {
        input = true;
    } else if (strcasecmp(bare.c_str(), "CONOUT$") == 0) {
        input = false;
    } else if (strcasecmp(bare.c_str(), "CON") == 0) {
        bool reads = (access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA)) != 0;
        bool writes = (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
        if (reads == writes) {
            // With no console (FreeConsole) ERROR_INVALID_HANDLE, as for the other names
            // (Wine's conformance test test_FreeConsole, which passes on Windows).
            *handle = fail(drivers::console_attached() ? ERROR_FILE_NOT_FOUND : ERROR_INVALID_HANDLE,
                           INVALID_HANDLE_VALUE);
            return true;
        }
        input = reads;
    } else {
        return false;
    }
    *handle = INVALID_HANDLE_VALUE;
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return true;
    }
    if (!drivers::console_attached()) {  // FreeConsole: no console to open
        set_last_error(ERROR_INVALID_HANDLE);
        return true;
    }
    int descriptor = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (descriptor < 0) {
        set_last_error(ERROR_INVALID_HANDLE);
        return true;
    }
    DWORD error;
    drivers::ConsoleDevice* console = drivers::ConsoleDevice::open(descriptor, true, input, &error, !input);
    return win32::open_as_handle(console, error, io::map_generic_file_access(access), attributes, handle);
}

}  // namespace overlapped::win32
