// entry.h: what every Win32 entry point shares: setting the last error and turning
// Win32 name arguments into the kernel layer's UTF-8 names.
#pragma once

#include <cstdint>
#include <string>

#include <windows.h>

#include "common/utf8.h"
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

// The answer of the calls that return a string in a caller's buffer of `size` characters
// (GetCurrentDirectory, GetEnvironmentVariable, GetSystemDirectory...): the string and its
// terminator when they fit, returning the length without the terminator; otherwise (a
// null buffer too) nothing stored and the size needed, terminator included.
template <class Char>
DWORD copy_out(const std::basic_string<Char>& value, Char* buffer, DWORD size)
{
    if (buffer == nullptr || size <= value.size()) return static_cast<DWORD>(value.size() + 1);
    for (size_t i = 0; i < value.size(); ++i) buffer[i] = value[i];
    buffer[value.size()] = 0;
    return static_cast<DWORD>(value.size());
}

// UTF-16 (WCHAR) to UTF-8. Unpaired surrogates become U+FFFD.
std::string utf8_from_utf16(const WCHAR* text);
// The same for `count` units (not terminated).
std::string utf8_from_utf16(const WCHAR* text, size_t count);

// The code point at text[*at] (of `count` units), moving *at past it (a surrogate pair is
// one); an unpaired surrogate gives kUnpairedSurrogate.
constexpr uint32_t kUnpairedSurrogate = 0xFFFFFFFFu;
uint32_t next_utf16(const WCHAR* text, size_t count, size_t* at);
// Appends code point `c` (not a surrogate) as UTF-8 (common/utf8.h).
using overlapped::append_utf8;
// One UTF-8 character at `s` (before `end`, at least one byte): its code point, or -1 for
// an ill-formed sequence (Windows' rules, errors.cpp); *used is the bytes it takes.
int32_t decode_utf8(const unsigned char* s, const unsigned char* end, size_t* used);

// UTF-8 to UTF-16 (no terminator added). Ill-formed sequences become U+FFFD, by
// MultiByteToWideChar's rules (decode_utf8).
std::u16string utf16_from_utf8(const char* text, size_t length);
inline std::u16string utf16_from_utf8(const std::string& text) { return utf16_from_utf8(text.data(), text.size()); }

// `text` (UTF-8) in the characters of an A (char: as it is) or W (WCHAR: UTF-16) call.
template <class Char>
std::basic_string<Char> text_for(const std::string& text)
{
    if constexpr (sizeof(Char) == 1) {
        return std::basic_string<Char>(text.begin(), text.end());
    } else {
        std::u16string wide = utf16_from_utf8(text);
        return std::basic_string<Char>(wide.begin(), wide.end());
    }
}

// The file of a module GetModuleHandle/LoadLibrary gave other than the program's
// (modules.cpp): this library's path. False for the program (or NULL) and unknown values.
// PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY of an attribute list (process.cpp): true with
// *affinity when the list has it.
bool attribute_group_affinity(const _PROC_THREAD_ATTRIBUTE_LIST* list, GROUP_AFFINITY* affinity);

bool module_path(HMODULE module, std::string* path);
// Whether `module` is the handle GetModuleHandle gives the system DLLs (kernel32, ntdll...:
// this library) (modules.cpp).
bool system_module_handle(HMODULE module);

// The English text of system message `id` (FormatMessage), or nullptr (system.cpp).
const char* system_message_text(DWORD id);

}  // namespace overlapped::win32
