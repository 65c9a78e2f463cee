// entry.h: what every Win32 entry point shares: setting the last error and turning
// Win32 name arguments into the kernel layer's UTF-8 names.
#pragma once

#include <string>

#include <windows.h>

#include "kernel/thread_state.h"

namespace overlapped::win32 {

inline void set_last_error(DWORD error) { kernel::tls_last_error = error; }

// Returns `value` after setting the last error to `error`, for one-line failure returns.
template <class T>
inline T fail(DWORD error, T value)
{
    set_last_error(error);
    return value;
}

// The handle flags a SECURITY_ATTRIBUTES asks for: HANDLE_FLAG_INHERIT if bInheritHandle.
inline DWORD inherit_flags(const SECURITY_ATTRIBUTES* attributes)
{
    return attributes != nullptr && attributes->bInheritHandle ? HANDLE_FLAG_INHERIT : 0;
}

// UTF-16 (WCHAR) to UTF-8. Unpaired surrogates become U+FFFD.
std::string utf8_from_utf16(const WCHAR* text);
// The same for `count` units (not terminated).
std::string utf8_from_utf16(const WCHAR* text, size_t count);

// UTF-8 to UTF-16 (no terminator added). Invalid sequences become U+FFFD.
std::u16string utf16_from_utf8(const char* text, size_t length);
inline std::u16string utf16_from_utf8(const std::string& text) { return utf16_from_utf8(text.data(), text.size()); }

// The file of a module GetModuleHandle/LoadLibrary gave other than the program's
// (modules.cpp): this library's path. False for the program (or NULL) and unknown values.
bool module_path(HMODULE module, std::string* path);

}  // namespace overlapped::win32
