// codepage.cpp: the code pages (GetACP, GetOEMCP, IsValidCodePage, GetCPInfo(Ex),
// IsDBCSLeadByte(Ex)) and the conversions between them and UTF-16 (MultiByteToWideChar,
// WideCharToMultiByte).
//
// The library's "A" strings are UTF-8, so the system code pages (CP_ACP, CP_OEMCP,
// CP_MACCP, CP_THREAD_ACP) are all 65001, as on Windows with "Use Unicode UTF-8 for
// worldwide language support". 437, 1252 and 28591 convert by their tables; every other
// code page is refused with ERROR_INVALID_PARAMETER, as Windows refuses one it does not
// have.
// The Windows rules: docs/research/windows-code-pages.md.
#include <cstdint>
#include <cstring>
#include <string>

#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

constexpr UINT kUtf8 = 65001;

// The high halves (0x80-0xFF) of the single-byte code pages, from Microsoft's tables
// (the ones Wine carries: Wine 8.0 converts every byte to these). 1252 maps the five bytes
// it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value,
// as Windows' table does (MultiByteToWideChar accepts them even with MB_ERR_INVALID_CHARS:
// Wine's codepage.c test_undefined_byte_char).
constexpr uint16_t kWindows1252[128] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3,
    0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB,
    0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, 0x00D0, 0x00D1, 0x00D2, 0x00D3,
    0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
    0x00EC, 0x00ED, 0x00EE, 0x00EF, 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
};

constexpr uint16_t kOem437[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
    0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
    0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

// 437's pictures of its control bytes 0x01-0x1F and 0x7F (MB_USEGLYPHCHARS; 0x00 stays).
constexpr uint16_t kOem437Glyphs[32] = {
    0x0000, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25D8, 0x25CB, 0x25D9,
    0x2642, 0x2640, 0x266A, 0x266B, 0x263C, 0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7,
    0x25AC, 0x21A8, 0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
};
constexpr uint16_t kOem437Delete = 0x2302;

// The precomposed letters of the single-byte tables (all of Latin-1's, and 1252's S, s,
// Z, z with caron and Y with diaeresis) as a base letter and a combining mark (Unicode's
// canonical decompositions), for WC_COMPOSITECHECK.
struct Composition {
    char16_t base, mark, letter;
};
constexpr Composition kCompositions[] = {
    {'A', 0x300, 0xC0}, {'A', 0x301, 0xC1}, {'A', 0x302, 0xC2}, {'A', 0x303, 0xC3}, {'A', 0x308, 0xC4},
    {'A', 0x30A, 0xC5}, {'C', 0x327, 0xC7}, {'E', 0x300, 0xC8}, {'E', 0x301, 0xC9}, {'E', 0x302, 0xCA},
    {'E', 0x308, 0xCB}, {'I', 0x300, 0xCC}, {'I', 0x301, 0xCD}, {'I', 0x302, 0xCE}, {'I', 0x308, 0xCF},
    {'N', 0x303, 0xD1}, {'O', 0x300, 0xD2}, {'O', 0x301, 0xD3}, {'O', 0x302, 0xD4}, {'O', 0x303, 0xD5},
    {'O', 0x308, 0xD6}, {'U', 0x300, 0xD9}, {'U', 0x301, 0xDA}, {'U', 0x302, 0xDB}, {'U', 0x308, 0xDC},
    {'Y', 0x301, 0xDD}, {'Y', 0x308, 0x178}, {'S', 0x30C, 0x160}, {'Z', 0x30C, 0x17D},
};

// The letter `base` and `mark` compose to, or 0 (lower case letters: the upper case entry
// 0x20 on, as in Latin-1; y with diaeresis is U+00FF, the carons' lower case letters the
// next code point).
char16_t compose(char16_t base, char16_t mark)
{
    bool lower = base >= 'a' && base <= 'z';
    char16_t upper = lower ? static_cast<char16_t>(base - 0x20) : base;
    for (const Composition& c : kCompositions) {
        if (c.base != upper || c.mark != mark) continue;
        if (!lower) return c.letter;
        if (c.letter == 0x178) return 0xFF;
        return c.letter < 0x100 ? static_cast<char16_t>(c.letter + 0x20) : static_cast<char16_t>(c.letter + 1);
    }
    return 0;
}

// A code page the library converts: UTF-8 or a single-byte table.
struct Page {
    UINT id = 0;
    const uint16_t* high = nullptr;    // 0x80-0xFF (null: Latin-1's, the byte's own value)
    const uint16_t* glyphs = nullptr;  // the pictures of 0x00-0x1F (and 0x7F), or null
    const char* name = nullptr;        // GetCPInfoEx's CodePageName
    bool utf8() const { return id == kUtf8; }

    char16_t to_unicode(unsigned char byte, bool use_glyphs) const
    {
        if (byte >= 0x80) return high != nullptr ? high[byte - 0x80] : byte;
        if (use_glyphs && glyphs != nullptr) {
            if (byte < 0x20) return glyphs[byte];
            if (byte == 0x7F) return kOem437Delete;
        }
        return byte;
    }
    // The byte of `unit`, or -1 if the code page has none (no best fit: a picture of a
    // control byte, or a letter without its accent, is not taken back).
    int to_byte(char16_t unit) const
    {
        if (unit < 0x80) return unit;
        if (high == nullptr) return unit <= 0xFF ? unit : -1;
        for (int i = 0; i < 128; ++i)
            if (high[i] == unit) return 0x80 + i;
        return -1;
    }
};

// The code page `id` names (the system ones resolved), or false: Windows has no such code
// page, or the library does not convert it.
bool find_code_page(UINT id, Page* page)
{
    switch (id) {
    case CP_ACP:
    case CP_OEMCP:
    case CP_MACCP:
    case CP_THREAD_ACP:
    case kUtf8: *page = {kUtf8, nullptr, nullptr, "65001 (UTF-8)"}; return true;
    case 437: *page = {437, kOem437, kOem437Glyphs, "437   (OEM - United States)"}; return true;
    case 1252: *page = {1252, kWindows1252, nullptr, "1252  (ANSI - Latin I)"}; return true;
    case 28591: *page = {28591, nullptr, nullptr, "28591 (ISO 8859-1 Latin I)"}; return true;
    default: return false;
    }
}

// Where a conversion's output goes: counts everything, stores what fits, and stops
// storing at the first piece that does not (Windows fills the buffer up to there, then
// fails with ERROR_INSUFFICIENT_BUFFER: Wine's codepage.c test_destination_buffer). A
// character of several bytes never goes in part (test_string_conversion, code page 936);
// the high half of a surrogate pair does (rtlstr.c test_RtlUTF8ToUnicodeN, truncation).
template <class Unit>
struct Output {
    Unit* out;
    size_t capacity;  // 0 (whatever `out` is): only count, as Windows' size query
    size_t length = 0;
    bool overflow = false;

    void put(const Unit* units, size_t count)
    {
        if (capacity != 0 && !overflow) {
            if (length + count > capacity) {
                overflow = true;
            } else {
                for (size_t i = 0; i < count; ++i) out[length + i] = units[i];
            }
        }
        length += count;
    }
    // Whether nothing more can change the outcome (the buffer is short already).
    bool done() const { return overflow; }
};

// Whether the buffers and their lengths pass Windows' first checks: a source, a source
// length other than 0, a destination length not negative, no destination length without a
// destination, the two buffers not the same. ERROR_INVALID_PARAMETER otherwise.
bool valid_buffers(const void* source, int source_length, const void* destination, int destination_length)
{
    return source != nullptr && source_length != 0 && destination_length >= 0 &&
           (destination != nullptr || destination_length == 0) && source != destination;
}

// GetCPInfo's answer (and the start of GetCPInfoEx's) for `code_page`.
template <class Info>
BOOL cp_info(UINT code_page, Info* info, Page* page)
{
    if (info == nullptr || !find_code_page(code_page, page)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    memset(info, 0, sizeof *info);
    info->MaxCharSize = page->utf8() ? 4 : 1;
    info->DefaultChar[0] = '?';
    return TRUE;
}

// GetCPInfoEx's answer (dwFlags is reserved).
template <class InfoEx>
BOOL cp_info_ex(UINT code_page, InfoEx* info)
{
    Page page;
    if (!cp_info(code_page, info, &page)) return FALSE;
    info->CodePage = page.id;
    info->UnicodeDefaultChar = page.utf8() ? 0xFFFD : '?';
    for (size_t i = 0; page.name[i] != 0; ++i) info->CodePageName[i] = static_cast<unsigned char>(page.name[i]);
    return TRUE;
}

}  // namespace

extern "C" {

UINT WINAPI GetACP(void) { return kUtf8; }
UINT WINAPI GetOEMCP(void) { return kUtf8; }

// The code pages the library converts; the identifiers of the system code pages (0-3) are
// not code pages themselves, as on Windows.
BOOL WINAPI IsValidCodePage(UINT CodePage)
{
    Page page;
    return CodePage > CP_THREAD_ACP && find_code_page(CodePage, &page);
}

BOOL WINAPI GetCPInfo(UINT CodePage, LPCPINFO lpCPInfo)
{
    Page page;
    return cp_info(CodePage, lpCPInfo, &page);
}

BOOL WINAPI GetCPInfoExA(UINT CodePage, DWORD, LPCPINFOEXA lpCPInfoEx) { return cp_info_ex(CodePage, lpCPInfoEx); }
BOOL WINAPI GetCPInfoExW(UINT CodePage, DWORD, LPCPINFOEXW lpCPInfoEx) { return cp_info_ex(CodePage, lpCPInfoEx); }

// No code page the library has is a double-byte one (GetCPInfo's LeadByte ranges are
// empty), so no byte leads; a code page Windows lacks fails as GetCPInfo does.
BOOL WINAPI IsDBCSLeadByteEx(UINT CodePage, BYTE)
{
    Page page;
    return find_code_page(CodePage, &page) ? FALSE : fail(ERROR_INVALID_PARAMETER, FALSE);
}

BOOL WINAPI IsDBCSLeadByte(BYTE TestChar) { return IsDBCSLeadByteEx(CP_ACP, TestChar); }

// The checks in Windows' order (Wine's codepage.c test_other_invalid_parameters: a bad
// buffer or length before a bad code page, a bad code page before bad flags). UTF-8 takes
// only MB_ERR_INVALID_CHARS; the tables also MB_PRECOMPOSED (their characters are
// precomposed already) and MB_USEGLYPHCHARS (437's pictures of its control bytes);
// MB_COMPOSITE (decomposing accented letters) is not built.
int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte,
                               LPWSTR lpWideCharStr, int cchWideChar)
{
    if (!valid_buffers(lpMultiByteStr, cbMultiByte, lpWideCharStr, cchWideChar))
        return fail(ERROR_INVALID_PARAMETER, 0);
    Page page;
    if (!find_code_page(CodePage, &page)) return fail(ERROR_INVALID_PARAMETER, 0);
    DWORD allowed = page.utf8() ? MB_ERR_INVALID_CHARS
                                : MB_ERR_INVALID_CHARS | MB_PRECOMPOSED | MB_COMPOSITE | MB_USEGLYPHCHARS;
    if ((dwFlags & ~allowed) != 0 || (dwFlags & (MB_PRECOMPOSED | MB_COMPOSITE)) == (MB_PRECOMPOSED | MB_COMPOSITE))
        return fail(ERROR_INVALID_FLAGS, 0);
    if (dwFlags & MB_COMPOSITE) return fail(ERROR_CALL_NOT_IMPLEMENTED, 0);

    // A negative length: the string and its terminator (any negative value, not only -1).
    size_t length = cbMultiByte < 0 ? strlen(lpMultiByteStr) + 1 : static_cast<size_t>(cbMultiByte);
    const auto* s = reinterpret_cast<const unsigned char*>(lpMultiByteStr);
    const unsigned char* end = s + length;
    Output<WCHAR> output{lpWideCharStr, static_cast<size_t>(cchWideChar)};
    bool invalid = false;
    while (s < end && !output.done()) {
        WCHAR units[2];
        size_t count = 1;
        if (!page.utf8()) {
            units[0] = page.to_unicode(*s++, (dwFlags & MB_USEGLYPHCHARS) != 0);
        } else {
            size_t used;
            int32_t c = win32::decode_utf8(s, end, &used);
            s += used;
            if (c < 0) {
                invalid = true;
                units[0] = 0xFFFD;
            } else if (c >= 0x10000) {
                units[0] = static_cast<WCHAR>(0xD800 + ((c - 0x10000) >> 10));
                units[1] = static_cast<WCHAR>(0xDC00 + ((c - 0x10000) & 0x3FF));
                count = 2;
            } else {
                units[0] = static_cast<WCHAR>(c);
            }
        }
        for (size_t k = 0; k < count; ++k) output.put(&units[k], 1);  // a pair may go in half, as Windows'
    }
    // A short buffer wins over an ill-formed sequence (ReactOS's MultiByteToWideChar
    // apitest, checked on Windows 10).
    if (output.overflow) return fail(ERROR_INSUFFICIENT_BUFFER, 0);
    if (invalid && (dwFlags & MB_ERR_INVALID_CHARS)) return fail(ERROR_NO_UNICODE_TRANSLATION, 0);
    return static_cast<int>(output.length);
}

// UTF-8 takes only WC_ERR_INVALID_CHARS (an unpaired surrogate fails the call instead of
// becoming U+FFFD); since Windows 10 1709 it accepts lpDefaultChar (not used: U+FFFD
// replaces) and lpUsedDefaultChar (set when a U+FFFD replaced something). The tables take
// the other flags and WC_ERR_INVALID_CHARS not; a character the table lacks becomes the
// default character ('?' or lpDefaultChar's first byte), without best-fit mappings. With
// WC_COMPOSITECHECK a letter and the combining mark after it that compose to a letter of
// the table become that letter's byte; when the composed letter is not in the table,
// WC_DISCARDNS drops the mark, WC_DEFAULTCHAR makes the pair the default character and
// WC_SEPCHARS (the default) converts both (Microsoft Learn, WideCharToMultiByte; Wine 8.0
// answers so).
int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar,
                               LPSTR lpMultiByteStr, int cbMultiByte, LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
    if (!valid_buffers(lpWideCharStr, cchWideChar, lpMultiByteStr, cbMultiByte))
        return fail(ERROR_INVALID_PARAMETER, 0);
    Page page;
    if (!find_code_page(CodePage, &page)) return fail(ERROR_INVALID_PARAMETER, 0);
    DWORD allowed = page.utf8() ? WC_ERR_INVALID_CHARS
                                : WC_COMPOSITECHECK | WC_DISCARDNS | WC_SEPCHARS | WC_DEFAULTCHAR |
                                      WC_NO_BEST_FIT_CHARS;
    if ((dwFlags & ~allowed) != 0) return fail(ERROR_INVALID_FLAGS, 0);

    size_t length = 0;
    if (cchWideChar >= 0) {
        length = static_cast<size_t>(cchWideChar);
    } else {
        while (lpWideCharStr[length] != 0) ++length;
        ++length;
    }
    char default_char = lpDefaultChar != nullptr ? *lpDefaultChar : '?';
    Output<char> output{lpMultiByteStr, static_cast<size_t>(cbMultiByte)};
    bool replaced = false;
    for (size_t i = 0; i < length && !output.done(); ++i) {
        if (!page.utf8()) {
            auto unit = static_cast<char16_t>(lpWideCharStr[i]);
            char16_t letter = (dwFlags & WC_COMPOSITECHECK) && i + 1 < length
                                  ? compose(unit, static_cast<char16_t>(lpWideCharStr[i + 1]))
                                  : 0;
            if (letter != 0 && (page.to_byte(letter) >= 0 || (dwFlags & (WC_DISCARDNS | WC_DEFAULTCHAR)))) {
                int byte = page.to_byte(letter);
                if (byte < 0 && (dwFlags & (WC_DISCARDNS | WC_DEFAULTCHAR)) == WC_DISCARDNS) byte = page.to_byte(unit);
                char out = byte >= 0 ? static_cast<char>(byte) : default_char;
                replaced |= byte < 0;
                output.put(&out, 1);
                ++i;  // the mark went with its letter
                continue;
            }
            int byte = page.to_byte(unit);
            char out = byte >= 0 ? static_cast<char>(byte) : default_char;
            replaced |= byte < 0;
            output.put(&out, 1);
            continue;
        }
        size_t at = i;
        uint32_t c = win32::next_utf16(lpWideCharStr, length, &at);
        i = at - 1;
        if (c == win32::kUnpairedSurrogate) {
            c = 0xFFFD;
            replaced = true;
        }
        std::string bytes;
        win32::append_utf8(&bytes, c);
        output.put(bytes.data(), bytes.size());
    }
    if (lpUsedDefaultChar != nullptr) *lpUsedDefaultChar = replaced;
    if (output.overflow) return fail(ERROR_INSUFFICIENT_BUFFER, 0);
    if (replaced && page.utf8() && (dwFlags & WC_ERR_INVALID_CHARS)) return fail(ERROR_NO_UNICODE_TRANSLATION, 0);
    return static_cast<int>(output.length);
}

}  // extern "C"
