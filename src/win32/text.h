// text.h: what the string and console entry points share: a formatter with the Microsoft
// C run-time's printf rules for char (UTF-8) and WCHAR (UTF-16) output (the UTF-16/UTF-8
// conversions are entry.h's).
#pragma once

#include <cstdarg>
#include <cstddef>
#include <string>

#include <windows.h>

#include "win32/entry.h"  // utf8_from_utf16, utf16_from_utf8

namespace overlapped::win32 {

// Formats `format` with `args` by the Microsoft rules:
//  - %s/%c take the output's own character type (char in the char formatter, WCHAR in the
//    WCHAR one), %S/%C the other one; %hs/%hc always char, %ls/%lc/%ws/%wc always WCHAR;
//    a NULL string prints "(null)";
//  - integer lengths: hh, h, l (32 bits, as LONG), ll, I64 (64), I32 (32), I, z, t, j
//    (64); L on an integer is 64 bits;
//  - %p: the pointer as 16 upper-case hexadecimal digits ("0X" before them with #);
//  - floating point (e, E, f, F, g, G, a, A; L for long double) as the C library prints it;
//  - %n writes nothing (its argument is skipped); an unknown conversion prints as its own
//    character; the 0 flag pads %s and %c with zeros too.
// Stores at most `capacity` characters at `out` (no terminator is added) and returns the
// number of characters the whole result has, which may exceed `capacity`.
size_t format_ms(char* out, size_t capacity, const char* format, va_list args);
size_t format_ms(WCHAR* out, size_t capacity, const WCHAR* format, va_list args);

// wsprintf's formatter: the same storing and counting, with user32's grammar (Microsoft
// Learn, wsprintfA): flags '-', '#', '0' in that order, no '*', sizes h, l, w, I64, I32
// and I, conversions c C d i u x X s S p; any other character after the fields prints as
// itself and takes no argument. A number's precision 0 is 1, '#' puts "0x" before every
// hexadecimal value (0 too), and the 0 flag pads with zeros whatever the precision.
size_t format_user32(char* out, size_t capacity, const char* format, va_list args);
size_t format_user32(WCHAR* out, size_t capacity, const WCHAR* format, va_list args);

}  // namespace overlapped::win32
