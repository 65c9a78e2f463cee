// utf8.h: the one UTF-8 encoder the layers share (the Win32 entry points' UTF-16
// conversions, the console's key input and screen output, the pipe and mailslot names).
#pragma once

#include <cstdint>
#include <string>

namespace overlapped {

// Appends code point `c` as UTF-8: one to four bytes. The caller decides what a surrogate
// or an out-of-range value becomes; this encodes what it is given.
inline void append_utf8(std::string* out, uint32_t c)
{
    if (c < 0x80) {
        *out += static_cast<char>(c);
    } else if (c < 0x800) {
        *out += static_cast<char>(0xC0 | (c >> 6));
        *out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *out += static_cast<char>(0xE0 | (c >> 12));
        *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        *out += static_cast<char>(0xF0 | (c >> 18));
        *out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

}  // namespace overlapped
