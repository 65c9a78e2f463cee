// console.cpp: the console entry points: standard handles (descriptors 0, 1, 2 as file
// handles), WriteConsole, console modes, the title, code pages, Alloc/Free/AttachConsole,
// and the control events (kernel/console_ctrl.h).
//
// A console handle is a file handle whose descriptor is a terminal: GetConsoleMode,
// SetConsoleMode and WriteConsole accept those and fail with ERROR_INVALID_HANDLE on any
// other handle (a redirected standard handle, an event...), as Windows does for a handle
// that is not a console buffer. ReadFile/WriteFile work on every standard handle.
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <unistd.h>

#include "drivers/file.h"
#include "io/request.h"
#include "kernel/console_ctrl.h"
#include "kernel/handle_table.h"
#include "kernel/process.h"
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

// ---- Console handles -----------------------------------------------------------------------

// The file behind `handle` with a reference, if its descriptor is a terminal; else
// nullptr with ERROR_INVALID_HANDLE.
drivers::FileDevice* reference_console(HANDLE handle, DWORD* error)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::File, 0, error);
    if (object == nullptr) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    auto* file = static_cast<drivers::FileDevice*>(object);
    if (file->descriptor() < 0 || !isatty(file->descriptor())) {
        file->release_reference();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    return file;
}

// The console's modes: one input buffer, one screen buffer (Windows' defaults: every input
// mode but WINDOW_INPUT and VIRTUAL_TERMINAL_INPUT; processed output and wrapping).
std::mutex mode_mutex;
DWORD input_mode = ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_MOUSE_INPUT |
                   ENABLE_INSERT_MODE | ENABLE_QUICK_EDIT_MODE | ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION;
DWORD output_mode = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT;

constexpr DWORD kInputModes = ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_WINDOW_INPUT |
                              ENABLE_MOUSE_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT | ENABLE_INSERT_MODE |
                              ENABLE_QUICK_EDIT_MODE | ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION;
constexpr DWORD kOutputModes = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT |
                               ENABLE_VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN |
                               ENABLE_LVB_GRID_WORLDWIDE;

// Whether a console handle stands for the input buffer: the standard input handle, or a
// terminal descriptor opened for reading only; every other terminal handle is a screen buffer.
bool is_input(HANDLE handle, const drivers::FileDevice* file)
{
    StandardHandles& standard = standard_handles();
    {
        std::lock_guard<std::mutex> guard(standard.mutex);
        if (standard.made[0] && standard.handles[0] == handle) return true;
    }
    int mode = fcntl(file->descriptor(), F_GETFL);
    return mode >= 0 && (mode & O_ACCMODE) == O_RDONLY;
}

// Writes all of `bytes` to the console's descriptor as a synchronous request (a port's
// thread blocked in it is paused; CancelSynchronousIo interrupts it).
DWORD write_console(drivers::FileDevice* file, const std::string& bytes)
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
    drivers::FileDevice* file = reference_console(handle, &error);
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

// The title goes to the first of stdout/stderr that is a terminal, as the xterm sequence
// OSC 0 (window and icon title); control characters are dropped so the title cannot end
// the sequence or start another one.
BOOL set_title(const std::string& title)
{
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

// Whether the process counts as attached to a console: it is from the start (its terminal
// or its redirected descriptors); FreeConsole detaches, AllocConsole/AttachConsole attach.
std::atomic<bool> console_attached{true};

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
    drivers::FileDevice* file = reference_console(hConsoleHandle, &error);
    if (file == nullptr) return fail(error, FALSE);
    bool input = is_input(hConsoleHandle, file);
    file->release_reference();
    if (lpMode == nullptr) return fail(ERROR_INVALID_ACCESS, FALSE);
    std::lock_guard<std::mutex> guard(mode_mutex);
    *lpMode = input ? input_mode : output_mode;
    return TRUE;
}

// The mode is recorded (a later issue maps it to the terminal's settings). As the Windows
// console host does: an input mode is stored even when it is then refused for unknown flags
// or ECHO without LINE; an output mode with unknown flags is refused and not stored.
BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode)
{
    DWORD error;
    drivers::FileDevice* file = reference_console(hConsoleHandle, &error);
    if (file == nullptr) return fail(error, FALSE);
    bool input = is_input(hConsoleHandle, file);
    file->release_reference();
    std::lock_guard<std::mutex> guard(mode_mutex);
    if (input) {
        input_mode = dwMode;
        if ((dwMode & ~kInputModes) || ((dwMode & ENABLE_ECHO_INPUT) && !(dwMode & ENABLE_LINE_INPUT)))
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        return TRUE;
    }
    if (dwMode & ~kOutputModes) return fail(ERROR_INVALID_PARAMETER, FALSE);
    output_mode = dwMode;
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
    return set_title(lpConsoleTitle);
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle)
{
    if (lpConsoleTitle == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return set_title(win32::utf8_from_utf16(lpConsoleTitle));
}

UINT WINAPI GetConsoleCP(void) { return input_code_page.load(std::memory_order_relaxed); }
UINT WINAPI GetConsoleOutputCP(void) { return output_code_page.load(std::memory_order_relaxed); }

// Recorded only: A strings are written as the bytes they are.
BOOL WINAPI SetConsoleCP(UINT wCodePageID)
{
    if (wCodePageID == 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    input_code_page.store(wCodePageID, std::memory_order_relaxed);
    return TRUE;
}

BOOL WINAPI SetConsoleOutputCP(UINT wCodePageID)
{
    if (wCodePageID == 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    output_code_page.store(wCodePageID, std::memory_order_relaxed);
    return TRUE;
}

// ---- The console itself --------------------------------------------------------------------------

// The process has a console (its terminal, or the descriptors it was given) unless it called
// FreeConsole; no new one can be made, so AllocConsole only re-attaches. Each of the three
// resets the control handler list, as Windows does.
BOOL WINAPI AllocConsole(void)
{
    if (console_attached.exchange(true)) return fail(ERROR_ACCESS_DENIED, FALSE);
    kernel::ctrl_reset_handlers();
    return TRUE;
}

BOOL WINAPI AttachConsole(DWORD)
{
    if (console_attached.exchange(true)) return fail(ERROR_ACCESS_DENIED, FALSE);
    kernel::ctrl_reset_handlers();
    return TRUE;
}

BOOL WINAPI FreeConsole(void)
{
    console_attached.store(false);
    kernel::ctrl_reset_handlers();
    return TRUE;
}

// There is no console window.
HWND WINAPI GetConsoleWindow(void) { return nullptr; }

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
