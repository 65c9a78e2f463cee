// console_open.h: CreateFile's opener for the console's names, CONIN$ and CONOUT$
// (win32/console.cpp; listed in win32/devices.cpp's table), and FlushFileBuffers' hook.
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::win32 {

bool open_console_name(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);

// FlushFileBuffers on a console handle: false if `handle` is not one. The input buffer's
// records and typed input are dropped, as FlushConsoleInputBuffer drops them; a screen
// buffer fails with ERROR_INVALID_HANDLE (Wine's conformance test
// dlls/kernel32/tests/console.c, test_FlushConsoleInputBuffer, which passes on Windows).
bool flush_console(HANDLE handle, BOOL* result);

}  // namespace overlapped::win32
