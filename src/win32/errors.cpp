// errors.cpp: GetLastError/SetLastError and the UTF-16 helper the entry points share.
#include "win32/entry.h"

using namespace overlapped;

extern "C" DWORD WINAPI GetLastError(void) { return kernel::tls_last_error; }

extern "C" void WINAPI SetLastError(DWORD dwErrCode) { kernel::tls_last_error = dwErrCode; }

namespace overlapped::win32 {

uint32_t next_utf16(const WCHAR* text, size_t count, size_t* at)
{
    uint32_t c = static_cast<uint16_t>(text[*at]);
    ++*at;
    if (c >= 0xD800 && c < 0xDC00 && *at < count && static_cast<uint16_t>(text[*at]) >= 0xDC00 &&
        static_cast<uint16_t>(text[*at]) < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<uint16_t>(text[*at]) - 0xDC00);
        ++*at;
    } else if (c >= 0xD800 && c < 0xE000) {
        c = kUnpairedSurrogate;
    }
    return c;
}

std::string utf8_from_utf16(const WCHAR* text, size_t count)
{
    std::string out;
    out.reserve(count);
    for (size_t i = 0; i < count;) {
        uint32_t c = next_utf16(text, count, &i);
        append_utf8(&out, c == kUnpairedSurrogate ? 0xFFFD : c);
    }
    return out;
}

std::string utf8_from_utf16(const WCHAR* text)
{
    size_t count = 0;
    while (text[count] != 0) ++count;
    return utf8_from_utf16(text, count);
}

// Windows' rules for an ill-formed sequence: a byte that starts no sequence (0x80-0xC1,
// 0xF5-0xFF) is one bad character; otherwise the lead and each continuation byte while
// the sequence can still be well formed are one (E0 80, ED A0 and F4 90 end it at their
// second byte: "\xE0\x80\x80" is two). Wine's ntdll rtlstr.c test_RtlUTF8ToUnicodeN table,
// which checks MultiByteToWideChar(CP_UTF8) too and passes on Windows.
int32_t decode_utf8(const unsigned char* s, const unsigned char* end, size_t* used)
{
    unsigned char lead = s[0];
    *used = 1;
    if (lead < 0x80) return lead;
    size_t need = lead >= 0xC2 && lead <= 0xDF ? 1
                  : lead >= 0xE0 && lead <= 0xEF ? 2
                  : lead >= 0xF0 && lead <= 0xF4 ? 3
                                                 : 0;
    if (need == 0) return -1;
    int32_t value = lead & (0x3F >> need);
    for (size_t k = 1; k <= need; ++k) {
        if (s + k >= end || (s[k] & 0xC0) != 0x80) return -1;
        value = (value << 6) | (s[k] & 0x3F);
        *used = k + 1;
        if (k != 1) continue;
        if (need == 2 && (value < 0x20 || (value >= 0x360 && value < 0x380))) return -1;  // overlong, surrogate
        if (need == 3 && (value < 0x10 || value >= 0x110)) return -1;                     // overlong, past U+10FFFF
    }
    return value;
}

std::u16string utf16_from_utf8(const char* text, size_t length)
{
    std::u16string out;
    out.reserve(length);
    const auto* s = reinterpret_cast<const unsigned char*>(text);
    const unsigned char* end = s + length;
    while (s < end) {
        size_t used;
        int32_t c = decode_utf8(s, end, &used);
        s += used;
        if (c < 0) c = 0xFFFD;
        if (c >= 0x10000) {
            out += static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
            out += static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            out += static_cast<char16_t>(c);
        }
    }
    return out;
}

}  // namespace overlapped::win32
