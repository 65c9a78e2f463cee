// pseudo_console.cpp: CreatePseudoConsole, ResizePseudoConsole, ClosePseudoConsole. The
// pseudo console itself is drivers/pseudo_console.h; CreateProcess's attribute is in
// win32/process.cpp. The argument checks are those of Windows' own implementation
// (microsoft/terminal, src/winconpty/winconpty.cpp, which kernelbase is built from).
#include <unistd.h>

#include <windows.h>

#include "drivers/process.h"
#include "drivers/pseudo_console.h"
#include "kernel/handle_table.h"

using namespace overlapped;

namespace {

// Windows duplicates both handles (DuplicateHandle) for its console host, which then
// reads or writes them. A handle that names nothing fails there (ERROR_INVALID_HANDLE);
// the pseudo handles of this process and thread duplicate fine but carry no data, as
// does a handle of a kind with no stream (an event): that direction stays idle (-1).
DWORD pipe_descriptor(HANDLE handle, int* descriptor)
{
    *descriptor = -1;
    if (handle == GetCurrentProcess() || handle == GetCurrentThread()) return ERROR_SUCCESS;
    DWORD flags;
    DWORD error = kernel::handle_get_flags(handle, &flags);
    if (error != ERROR_SUCCESS) return error;
    *descriptor = drivers::std_descriptor(handle);
    return ERROR_SUCCESS;
}

bool names_handle(HANDLE handle) { return handle != nullptr && handle != INVALID_HANDLE_VALUE; }

}  // namespace

extern "C" {

HRESULT WINAPI CreatePseudoConsole(COORD size, HANDLE hInput, HANDLE hOutput, DWORD dwFlags, HPCON* phPC)
{
    // dwFlags: PSEUDOCONSOLE_INHERIT_CURSOR asks the host to ask the terminal where its
    // cursor is; a pseudo-terminal passes the child's own bytes, so there is nothing to
    // ask. Windows checks no flag.
    (void)dwFlags;
    if (phPC == nullptr) return E_INVALIDARG;
    *phPC = nullptr;
    if (!names_handle(hInput) && !names_handle(hOutput)) return E_INVALIDARG;
    int input, output;
    DWORD error = pipe_descriptor(hInput, &input);
    if (error != ERROR_SUCCESS) return HRESULT_FROM_WIN32(error);
    error = pipe_descriptor(hOutput, &output);
    auto give_back = [&] {
        if (input >= 0) close(input);
        if (output >= 0) close(output);
    };
    if (error != ERROR_SUCCESS) {
        give_back();
        return HRESULT_FROM_WIN32(error);
    }
    // The size is checked after the handles, as Windows checks it.
    if (size.X == 0 || size.Y == 0) {
        give_back();
        return E_INVALIDARG;
    }
    drivers::PseudoConsole* console = nullptr;
    error = drivers::pseudo_console_create(static_cast<unsigned short>(size.X), static_cast<unsigned short>(size.Y),
                                           input, output, &console);
    if (error != ERROR_SUCCESS) return HRESULT_FROM_WIN32(error);
    *phPC = console;
    return S_OK;
}

HRESULT WINAPI ResizePseudoConsole(HPCON hPC, COORD size)
{
    if (hPC == nullptr || size.X < 0 || size.Y < 0) return E_INVALIDARG;
    DWORD error = drivers::pseudo_console_resize(hPC, static_cast<unsigned short>(size.X),
                                                 static_cast<unsigned short>(size.Y));
    // An HPCON that is no pseudo console (closed, or never made) is refused rather than
    // followed, where Windows would use whatever memory it points at.
    if (error == ERROR_INVALID_HANDLE) return E_INVALIDARG;
    return error == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(error);
}

VOID WINAPI ClosePseudoConsole(HPCON hPC) { drivers::pseudo_console_close(hPC); }

}  // extern "C"
