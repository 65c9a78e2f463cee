// console_open.h: CreateFile's opener for the console's names, CONIN$ and CONOUT$
// (win32/console.cpp; listed in win32/devices.cpp's table).
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::win32 {

bool open_console_name(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);

}  // namespace overlapped::win32
