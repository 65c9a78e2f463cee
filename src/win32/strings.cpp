// strings.cpp: what Windows programs take from the SDK beside the system calls: strsafe.h
// (StringCch*/StringCb*), lstr*, CompareString(Ordinal), LCMapString, user32's Char* and
// IsChar*, wsprintf, the Microsoft C run-time's _snprintf family, and GetVersion(Ex). None
// of these touch the last error on success (programs such as the SDK's IOCP samples test
// GetLastError() after them).
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>

#include <locale.h>
#include <unistd.h>
#include <wctype.h>

#include <windows.h>
#include <strsafe.h>

#include "win32/entry.h"
#include "win32/text.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// ---- strsafe ----------------------------------------------------------------------------

bool size_valid(size_t cch) { return cch != 0 && cch <= STRSAFE_MAX_CCH; }

// Copies at most `limit` characters of `source` into `dest` (room for `cch` characters,
// terminator included, cch > 0) and terminates it. INSUFFICIENT_BUFFER when characters
// that should have been copied did not fit.
template <class C>
HRESULT copy_bounded(C* dest, size_t cch, const C* source, size_t limit)
{
    size_t i = 0;
    while (i + 1 < cch && i < limit && source[i] != 0) {
        dest[i] = source[i];
        ++i;
    }
    dest[i] = 0;
    if (i < limit && source[i] != 0) return STRSAFE_E_INSUFFICIENT_BUFFER;
    return S_OK;
}

// The length of `text` if a terminator lies within `cch` characters.
template <class C>
bool bounded_length(const C* text, size_t cch, size_t* length)
{
    for (size_t i = 0; i < cch; ++i)
        if (text[i] == 0) {
            *length = i;
            return true;
        }
    return false;
}

template <class C>
HRESULT copy(C* dest, size_t cch, const C* source, size_t limit)
{
    if (!size_valid(cch) || limit > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER;
    return copy_bounded(dest, cch, source, limit);
}

template <class C>
HRESULT cat(C* dest, size_t cch, const C* source, size_t limit)
{
    if (!size_valid(cch) || limit > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER;
    size_t used;
    if (!bounded_length(dest, cch, &used)) return STRSAFE_E_INVALID_PARAMETER;
    return copy_bounded(dest + used, cch - used, source, limit);
}

template <class C>
HRESULT vprint(C* dest, size_t cch, const C* format, va_list args)
{
    if (!size_valid(cch)) return STRSAFE_E_INVALID_PARAMETER;
    size_t needed = win32::format_ms(dest, cch - 1, format, args);
    if (needed > cch - 1) {
        dest[cch - 1] = 0;
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    dest[needed] = 0;
    return S_OK;
}

template <class C>
HRESULT length(const C* text, size_t cch, size_t* result)
{
    size_t n = 0;
    HRESULT hr = S_OK;
    if (text == nullptr || cch > STRSAFE_MAX_CCH || !bounded_length(text, cch, &n)) hr = STRSAFE_E_INVALID_PARAMETER;
    if (result != nullptr) *result = SUCCEEDED(hr) ? n : 0;
    return hr;
}

// A StringCb size in characters; a byte count that holds no whole character is 0 (invalid).
template <class C>
size_t chars(size_t bytes)
{
    return bytes / sizeof(C);
}

// The largest count a Cb function accepts: STRSAFE_MAX_CCH characters.
constexpr size_t kUnlimited = STRSAFE_MAX_CCH;

// ---- lstr* ---------------------------------------------------------------------------------

template <class C>
size_t string_length(const C* text)
{
    size_t n = 0;
    while (text[n] != 0) ++n;
    return n;
}

// Code points of `length` characters of a string: UTF-8 for char, UTF-16 for WCHAR (an
// unpaired surrogate stays as it is).
std::u32string code_points(const std::u16string& units)
{
    std::u32string out;
    for (size_t i = 0; i < units.size(); ++i) {
        char32_t c = units[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
        out += c;
    }
    return out;
}

std::u32string code_points(const char* text, size_t length)
{
    return code_points(win32::utf16_from_utf8(text, length));
}

std::u32string code_points(const WCHAR* text, size_t length)
{
    return code_points(std::u16string(text, length));
}

template <class C>
std::u32string code_points(const C* text)
{
    return code_points(text, string_length(text));
}

// Unicode's simple case mapping and character classes (the C library's tables for
// C.UTF-8); ASCII directly. Windows' case table keeps only the pairs that map back (so
// dotless i, long s and the micro sign keep their case); its linguistic table
// (LCMAP_LINGUISTIC_CASING) takes every simple mapping within the BMP (long s to S).
locale_t utf8_locale()
{
    static locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    return locale;
}

char32_t map_case(char32_t c, bool upper, bool linguistic = false)
{
    if (c < 0x80) {
        if (upper) return (c >= U'a' && c <= U'z') ? c - 32 : c;
        return (c >= U'A' && c <= U'Z') ? c + 32 : c;
    }
    if ((c >= 0xD800 && c < 0xE000) || utf8_locale() == static_cast<locale_t>(0)) return c;
    auto there = static_cast<wint_t>(c);
    wint_t mapped = upper ? towupper_l(there, utf8_locale()) : towlower_l(there, utf8_locale());
    if (linguistic) return mapped <= 0xFFFF ? static_cast<char32_t>(mapped) : c;
    wint_t back = upper ? towlower_l(mapped, utf8_locale()) : towupper_l(mapped, utf8_locale());
    return back == there ? static_cast<char32_t>(mapped) : c;
}

bool char_class(char32_t c, int (*test)(wint_t, locale_t))
{
    return utf8_locale() != static_cast<locale_t>(0) && !(c >= 0xD800 && c < 0xE000) &&
           test(static_cast<wint_t>(c), utf8_locale()) != 0;
}

// Windows' word sort for Latin text, as lstrcmp and CompareString use it (the default
// table, docs/win32-status.md), in three levels: the letters (primary), their diacritics,
// their case. Hyphens, apostrophes and control characters weigh nothing until everything
// else is equal (SORT_STRINGSORT weighs them as symbols); symbols sort before digits,
// digits before letters, in Windows' order (not ASCII's: "+<=>" come after the other
// punctuation and the currency signs); an accented Latin letter sorts as its base letter,
// after it when all else is equal (ae, oe, ij, th and sharp s as two letters); lower case
// sorts before upper case. Letters of other scripts sort after the Latin ones by code
// point. NUL characters (possible within explicit lengths) and soft hyphens weigh nothing.
struct SortKey {
    std::u32string primary;   // weights, one per character that is not ignorable
    std::u32string secondary; // diacritics: 0 none, else the mark's rank
    std::u32string tertiary;  // case: 0 lower / not a letter, 1 upper
    std::u32string ignored;   // positions of hyphens and apostrophes (and leading zeros)
};

// Symbols in Windows' order (the hyphen and the apostrophe first, for SORT_STRINGSORT).
constexpr char16_t kSymbolOrder[] =
    u"'- \u00a0\t\n\r!\"#$%&()*,./:;?@[\\]^_`{|}~\u00a1\u00a6\u00a8\u00af\u00b4\u00b8\u00bf"
    u"\u00a2\u00a3\u00a4\u00a5\u20ac+<=>\u00b1\u00ab\u00bb\u00d7\u00f7\u00a7\u00a9\u00ac\u00ae\u00b0\u00b5\u00b6\u00b7";

// The base letters of U+00C0..U+017F ('?' where there is none or it is two letters).
constexpr char kLatinBase[] =
    "AAAAAA?CEEEEIIII" "DNOOOOO?OUUUUY??" "aaaaaa?ceeeeiiii" "dnooooo?ouuuuy?y"
    "AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "Ii??JjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOo" "Oo??RrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

// The accented letters (lower case) in Windows' order: a letter's diacritic weighs its
// place here; the superscript digits and the ordinal indicators are variants too.
constexpr char16_t kDiacriticOrder[] =
    u"\u00e1\u00e0\u00e2\u00e4\u0103\u0101\u00e3\u00e5\u0105\u00aa"
    u"\u0107\u010b\u0109\u010d\u00e7\u010f\u0111\u00f0"
    u"\u00e9\u00e8\u0117\u00ea\u00eb\u011b\u0115\u0113\u0119\u0121\u011d\u011f\u0123\u0125\u0127"
    u"\u0131\u00ed\u00ec\u0130\u00ee\u00ef\u012d\u012b\u0129\u012f\u0135\u0138\u0137"
    u"\u013a\u0140\u013e\u013c\u0142\u0144\u0148\u00f1\u0146\u0149\u014b"
    u"\u00f3\u00f2\u00f4\u00f6\u014f\u014d\u00f5\u0151\u00f8\u00ba\u0155\u0159\u0157"
    u"\u015b\u015d\u0161\u015f\u017f\u0165\u0163\u0167"
    u"\u00fa\u00f9\u00fb\u00fc\u016d\u016b\u0169\u016f\u0173\u0171\u0175\u00fd\u0177\u00ff\u017a\u017c\u017e"
    u"\u00b9\u00b2\u00b3\u00bc\u00bd\u00be";

char32_t diacritic(char32_t c)
{
    if (c < 0x80) return 0;
    char32_t lower = map_case(c, false);
    for (size_t i = 0; kDiacriticOrder[i] != 0; ++i)
        if (kDiacriticOrder[i] == lower) return static_cast<char32_t>(i + 1);
    return 0;
}

// The letters a Latin character sorts as ("" when it is not one).
std::string latin_letters(char32_t c)
{
    if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ? std::string(1, char(c)) : "";
    switch (c) {
    case 0xAA: return "a";
    case 0xBA: return "o";
    case 0xC6: return "AE";
    case 0xE6: return "ae";
    case 0xDE: return "TH";
    case 0xFE: return "th";
    case 0xDF: return "ss";
    case 0x132: return "IJ";
    case 0x133: return "ij";
    case 0x152: return "OE";
    case 0x153: return "oe";
    default: break;
    }
    if (c < 0xC0 || c > 0x17F || kLatinBase[c - 0xC0] == '?') return "";
    return std::string(1, kLatinBase[c - 0xC0]);
}

// The digit a character sorts as (the vulgar fractions between 0 and 1), or -1.
int digit_value(char32_t c)
{
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    switch (c) {
    case 0xB9: return 1;
    case 0xB2: return 2;
    case 0xB3: return 3;
    case 0xBC: case 0xBD: case 0xBE: return 0;
    default: return -1;
    }
}

bool is_control(char32_t c)
{
    return (c < 0x20 && c != U'\t' && c != U'\n' && c != U'\r') || (c >= 0x7F && c < 0xA0);
}

// Symbols: the table's, and beyond it whatever is not a letter or a digit.
char32_t symbol_weight(char32_t c)
{
    if ((c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return 0;
    for (size_t i = 0; kSymbolOrder[i] != 0; ++i)
        if (kSymbolOrder[i] == c) return static_cast<char32_t>(0x100 + i);
    if (c < 0x100 || digit_value(c) >= 0 || !latin_letters(c).empty() || char_class(c, iswalnum_l)) return 0;
    return 0x8000 + c;
}

SortKey sort_key(const std::u32string& text, DWORD flags)
{
    bool ignore_case = (flags & (NORM_IGNORECASE | LINGUISTIC_IGNORECASE)) != 0;
    bool ignore_diacritics = (flags & (NORM_IGNORENONSPACE | LINGUISTIC_IGNOREDIACRITIC)) != 0;
    bool string_sort = (flags & SORT_STRINGSORT) != 0;
    SortKey key;
    auto add = [&](char32_t weight, char32_t mark, bool upper) {
        key.primary += weight;
        key.secondary += ignore_diacritics ? 0 : mark;
        key.tertiary += (!ignore_case && upper) ? 1 : 0;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c == 0 || c == 0xAD) continue;
        if ((c == U'-' || c == U'\'' || is_control(c)) && !string_sort) {
            if (!(flags & NORM_IGNORESYMBOLS)) {
                key.ignored += static_cast<char32_t>(i);
                key.ignored += c;
            }
            continue;
        }
        if (is_control(c)) {
            if (!(flags & NORM_IGNORESYMBOLS)) add(c, 0, false);  // below every symbol
            continue;
        }
        if (char32_t weight = symbol_weight(c)) {
            if (!(flags & NORM_IGNORESYMBOLS)) add(weight, 0, false);
            continue;
        }
        if (digit_value(c) >= 0) {
            if (!(flags & SORT_DIGITSASNUMBERS) || c > U'9') {
                add(0x10000 + static_cast<char32_t>(digit_value(c)), diacritic(c), false);
                continue;
            }
            // A run of digits weighs as its value: its length without leading zeros, then its digits.
            size_t end = i;
            while (end < text.size() && text[end] >= U'0' && text[end] <= U'9') ++end;
            size_t first = i;
            while (first + 1 < end && text[first] == U'0') {
                key.ignored += static_cast<char32_t>(first);
                key.ignored += U'0';
                ++first;
            }
            add(0x10000 + 0x100 + static_cast<char32_t>(end - first), 0, false);
            for (size_t d = first; d < end; ++d) add(0x10000 + (text[d] - U'0'), 0, false);
            i = end - 1;
            continue;
        }
        std::string letters = latin_letters(c);
        if (!letters.empty()) {
            char32_t mark = letters.size() == 1 ? diacritic(c) : 0;
            for (char l : letters) {
                bool upper = l >= 'A' && l <= 'Z';
                add(0x20000 + (static_cast<char32_t>(upper ? l + 32 : l) - U'a'), mark, upper);
            }
        } else if (c >= 0x300 && c < 0x370) {
            if (!key.secondary.empty() && !ignore_diacritics) key.secondary.back() += c;  // a combining mark
        } else {
            add(0x30000 + map_case(c, false), 0, char_class(c, iswupper_l));
        }
    }
    return key;
}

int sign(int value) { return (value > 0) - (value < 0); }

int sort_compare(const std::u32string& a, const std::u32string& b, DWORD flags)
{
    SortKey ka = sort_key(a, flags);
    SortKey kb = sort_key(b, flags);
    if (int r = ka.primary.compare(kb.primary)) return sign(r);
    if (int r = ka.secondary.compare(kb.secondary)) return sign(r);
    if (int r = ka.tertiary.compare(kb.tertiary)) return sign(r);
    if (ka.ignored.size() != kb.ignored.size()) return ka.ignored.size() < kb.ignored.size() ? -1 : 1;
    return sign(ka.ignored.compare(kb.ignored));
}

template <class C>
int word_sort_compare(const C* a, const C* b, bool ignore_case)
{
    if (a == nullptr || b == nullptr) return a == b ? 0 : (a == nullptr ? -1 : 1);
    return sort_compare(code_points(a), code_points(b), ignore_case ? NORM_IGNORECASE : 0);
}

// lstrlen, lstrcpy(n) and lstrcat catch the access violation a bad pointer causes and
// return 0 or NULL. NULL and the pointers below 64 KiB (MAKEINTRESOURCE values, small
// integers passed as strings) are the ones known bad without touching them: that range is
// never mapped, on Windows or on Linux (vm.mmap_min_addr).
bool unmapped(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer) < 0x10000; }

template <class C>
C* string_copy(C* dest, const C* source)
{
    if (unmapped(dest) || unmapped(source)) return nullptr;
    size_t n = string_length(source);
    std::memmove(dest, source, (n + 1) * sizeof(C));
    return dest;
}

template <class C>
C* string_copy_n(C* dest, const C* source, int max_length)
{
    if (unmapped(dest) || unmapped(source)) return nullptr;
    if (max_length <= 0) return dest;
    int i = 0;
    for (; i + 1 < max_length && source[i] != 0; ++i) dest[i] = source[i];
    dest[i] = 0;
    return dest;
}

template <class C>
C* string_cat(C* dest, const C* source)
{
    if (unmapped(dest) || unmapped(source)) return nullptr;
    string_copy(dest + string_length(dest), source);
    return dest;
}

// ---- CompareString, LCMapString, user32's Char* ------------------------------------------

constexpr DWORD kCompareFlags = NORM_IGNORECASE | NORM_IGNORENONSPACE | NORM_IGNORESYMBOLS | SORT_DIGITSASNUMBERS |
                                LINGUISTIC_IGNORECASE | LINGUISTIC_IGNOREDIACRITIC | SORT_STRINGSORT |
                                NORM_IGNOREKANATYPE | NORM_IGNOREWIDTH | NORM_LINGUISTIC_CASING | LOCALE_USE_CP_ACP;

// A count of -1 (any negative one) means "up to the terminator".
template <class C>
size_t counted_length(const C* text, int count)
{
    return count < 0 ? string_length(text) : static_cast<size_t>(count);
}

template <class C>
int compare_strings(DWORD flags, const C* a, int count_a, const C* b, int count_b)
{
    if (flags & ~kCompareFlags) return fail(ERROR_INVALID_FLAGS, 0);
    if (a == nullptr || b == nullptr) return fail(ERROR_INVALID_PARAMETER, 0);
    return CSTR_EQUAL + sort_compare(code_points(a, counted_length(a, count_a)),
                                     code_points(b, counted_length(b, count_b)), flags);
}

// Maps UTF-16 units one by one (a mapping that would leave the BMP leaves the unit).
void map_case(WCHAR* text, size_t count, bool upper, bool linguistic = false)
{
    for (size_t i = 0; i < count; ++i) {
        char32_t c = map_case(static_cast<uint16_t>(text[i]), upper, linguistic);
        if (c <= 0xFFFF) text[i] = static_cast<WCHAR>(c);
    }
}

// The A functions' case mapping: ASCII letters only (a UTF-8 sequence keeps its bytes, so
// lengths never change).
void map_case(char* text, size_t count, bool upper, bool = false)
{
    for (size_t i = 0; i < count; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) text[i] = static_cast<char>(map_case(c, upper));
    }
}

// LCMapString's buffer rules: cchSrc -1 counts the terminator; cchDest 0 asks for the size.
// LCMAP_LINGUISTIC_CASING goes with LCMAP_UPPERCASE or LCMAP_LOWERCASE only (Microsoft
// Learn, LCMapStringEx).
template <class C>
int map_string(DWORD flags, const C* source, int source_count, C* dest, int dest_count)
{
    if (source == nullptr || source_count == 0 || dest_count < 0 || (dest == nullptr && dest_count != 0))
        return fail(ERROR_INVALID_PARAMETER, 0);
    DWORD which = flags & (LCMAP_UPPERCASE | LCMAP_LOWERCASE);
    if ((flags & ~LCMAP_LINGUISTIC_CASING) != which || which == 0 || which == (LCMAP_UPPERCASE | LCMAP_LOWERCASE))
        return fail(ERROR_INVALID_FLAGS, 0);
    size_t n = source_count < 0 ? string_length(source) + 1 : static_cast<size_t>(source_count);
    if (n > INT_MAX) return fail(ERROR_INVALID_PARAMETER, 0);
    if (dest_count == 0) return static_cast<int>(n);
    if (n > static_cast<size_t>(dest_count)) return fail(ERROR_INSUFFICIENT_BUFFER, 0);
    std::memmove(dest, source, n * sizeof(C));
    map_case(dest, n, which == LCMAP_UPPERCASE, (flags & LCMAP_LINGUISTIC_CASING) != 0);
    return static_cast<int>(n);
}

// CharUpper/CharLower: a pointer value below 64 KiB is one character.
template <class C>
C* char_case(C* text, bool upper)
{
    auto value = reinterpret_cast<uintptr_t>(text);
    if (value >> 16 == 0) {
        C c = static_cast<C>(value);
        map_case(&c, 1, upper);
        return reinterpret_cast<C*>(static_cast<uintptr_t>(static_cast<std::make_unsigned_t<C>>(c)));
    }
    map_case(text, string_length(text), upper);
    return text;
}

// CharNext/CharPrev step one unit: Windows' A functions step over DBCS lead bytes only,
// and the UTF-8 code page has none (GetCPInfo), so a UTF-8 sequence is stepped byte by byte.
template <class C>
C* char_next(const C* text)
{
    if (unmapped(text) || *text == 0) return const_cast<C*>(text);
    return const_cast<C*>(text + 1);
}

template <class C>
C* char_prev(const C* start, const C* current)
{
    if (unmapped(start) || current <= start) return const_cast<C*>(start);
    return const_cast<C*>(current - 1);
}

template <class C>
DWORD buffer_case(C* text, DWORD count, bool upper)
{
    if (text == nullptr) return 0;
    map_case(text, count, upper);
    return count;
}

// ---- wsprintf and the C run-time's _snprintf ---------------------------------------------

// wsprintf writes at most 1024 characters, terminator included.
constexpr size_t kWsprintfLimit = 1024;

template <class C>
int ws_print(C* out, const C* format, va_list args)
{
    if (out == nullptr || format == nullptr) return 0;
    size_t n = win32::format_user32(out, kWsprintfLimit - 1, format, args);
    if (n > kWsprintfLimit - 1) n = kWsprintfLimit - 1;
    out[n] = 0;
    return static_cast<int>(n);
}

template <class C>
int crt_print(C* buffer, size_t count, const C* format, va_list args)
{
    if (format == nullptr) return -1;
    size_t n = win32::format_ms(buffer, buffer == nullptr ? 0 : count, format, args);
    if (buffer == nullptr && count == 0) return n > INT_MAX ? -1 : static_cast<int>(n);
    if (n < count) {
        buffer[n] = 0;
        return static_cast<int>(n);
    }
    if (n == count) return n > INT_MAX ? -1 : static_cast<int>(n);  // filled exactly: no terminator
    return -1;
}

// ---- Version ---------------------------------------------------------------------------------

// Windows 10 22H2 (docs/deviations.md).
constexpr DWORD kMajor = 10, kMinor = 0, kBuild = 19045;

template <class Info, class InfoEx>
BOOL get_version(Info* info)
{
    if (info == nullptr) return fail(ERROR_NOACCESS, FALSE);
    DWORD size = info->dwOSVersionInfoSize;
    if (size != sizeof(Info) && size != sizeof(InfoEx)) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    info->dwMajorVersion = kMajor;
    info->dwMinorVersion = kMinor;
    info->dwBuildNumber = kBuild;
    info->dwPlatformId = VER_PLATFORM_WIN32_NT;
    std::memset(info->szCSDVersion, 0, sizeof info->szCSDVersion);  // no service pack
    if (size == sizeof(InfoEx)) {
        auto* ex = reinterpret_cast<InfoEx*>(info);
        ex->wServicePackMajor = 0;
        ex->wServicePackMinor = 0;
        ex->wSuiteMask = VER_SUITE_SINGLEUSERTS;
        ex->wProductType = VER_NT_WORKSTATION;
        ex->wReserved = 0;
    }
    return TRUE;
}

// VerifyVersionInfo's comparison of one field; 0 and VER_AND/VER_OR are no comparison and
// never match.
bool version_matches(DWORD current, DWORD wanted, unsigned condition)
{
    switch (condition) {
    case VER_EQUAL: return current == wanted;
    case VER_GREATER: return current > wanted;
    case VER_GREATER_EQUAL: return current >= wanted;
    case VER_LESS: return current < wanted;
    case VER_LESS_EQUAL: return current <= wanted;
    default: return false;
    }
}

// The condition that compares the next of major, minor, service pack major and minor (Wine's
// RtlVerifyVersionInfo, which its kernel32 version tests show to match Windows): the first
// field's own condition starts the chain; after VER_EQUAL a field's own ordering condition
// takes over; after a greater (less) condition only VER_EQUAL or another greater (less)
// one does; a field without a condition keeps the one in force and freezes it (the 0x10
// bit) for the fields after it.
unsigned version_chain_condition(unsigned& last, unsigned condition)
{
    switch (last) {
    case 0:
        last = condition;
        break;
    case VER_EQUAL:
        if (condition >= VER_EQUAL && condition <= VER_LESS_EQUAL) {
            last = condition;
            return condition;
        }
        break;
    case VER_GREATER:
    case VER_GREATER_EQUAL:
        if (condition >= VER_EQUAL && condition <= VER_GREATER_EQUAL) return condition;
        break;
    case VER_LESS:
    case VER_LESS_EQUAL:
        if (condition == VER_EQUAL || condition == VER_LESS || condition == VER_LESS_EQUAL) return condition;
        break;
    default:
        break;
    }
    if (condition == 0) last |= 0x10;
    return last & 0xf;
}

unsigned field_condition(DWORDLONG mask, unsigned slot) { return static_cast<unsigned>(mask >> (slot * 3)) & 7; }

template <class InfoEx>
BOOL verify_version(const InfoEx* wanted, DWORD type_mask, DWORDLONG condition_mask)
{
    if (type_mask == 0 || condition_mask == 0) return fail(ERROR_BAD_ARGUMENTS, FALSE);
    if (wanted == nullptr) return fail(ERROR_NOACCESS, FALSE);
    OSVERSIONINFOEXW now{};
    now.dwOSVersionInfoSize = sizeof now;
    get_version<OSVERSIONINFOW, OSVERSIONINFOEXW>(reinterpret_cast<OSVERSIONINFOW*>(&now));
    bool ok = true;
    if (type_mask & VER_PRODUCT_TYPE)
        ok = ok && version_matches(now.wProductType, wanted->wProductType, field_condition(condition_mask, 7));
    if (ok && (type_mask & VER_SUITENAME)) {
        switch (field_condition(condition_mask, 6)) {
        case VER_AND: ok = (wanted->wSuiteMask & now.wSuiteMask) == wanted->wSuiteMask; break;
        case VER_OR: ok = wanted->wSuiteMask == 0 || (wanted->wSuiteMask & now.wSuiteMask) != 0; break;
        default: return fail(ERROR_BAD_ARGUMENTS, FALSE);
        }
    }
    if (ok && (type_mask & VER_PLATFORMID))
        ok = version_matches(now.dwPlatformId, wanted->dwPlatformId, field_condition(condition_mask, 3));
    if (ok && (type_mask & VER_BUILDNUMBER))
        ok = version_matches(now.dwBuildNumber, wanted->dwBuildNumber, field_condition(condition_mask, 2));
    if (ok) {
        // Most significant first: {type bit, condition slot, current, wanted}.
        const struct {
            DWORD bit;
            unsigned slot;
            DWORD current, wanted;
        } chain[] = {
            {VER_MAJORVERSION, 1, now.dwMajorVersion, wanted->dwMajorVersion},
            {VER_MINORVERSION, 0, now.dwMinorVersion, wanted->dwMinorVersion},
            {VER_SERVICEPACKMAJOR, 5, now.wServicePackMajor, wanted->wServicePackMajor},
            {VER_SERVICEPACKMINOR, 4, now.wServicePackMinor, wanted->wServicePackMinor},
        };
        unsigned last = 0;
        for (const auto& field : chain) {
            if (!(type_mask & field.bit)) continue;
            unsigned condition = version_chain_condition(last, field_condition(condition_mask, field.slot));
            ok = version_matches(field.current, field.wanted, condition);
            if (field.current != field.wanted || condition < VER_EQUAL || condition > VER_LESS_EQUAL) break;
        }
    }
    if (!ok) return fail(ERROR_OLD_WIN_VERSION, FALSE);
    return TRUE;
}

}  // namespace

extern "C" {

// ---- strsafe ----------------------------------------------------------------------------

HRESULT WINAPI StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return copy(pszDest, cchDest, pszSrc, kUnlimited);
}
HRESULT WINAPI StringCchCopyW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{
    return copy(pszDest, cchDest, pszSrc, kUnlimited);
}
HRESULT WINAPI StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return copy(pszDest, chars<char>(cbDest), pszSrc, kUnlimited);
}
HRESULT WINAPI StringCbCopyW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{
    return copy(pszDest, chars<WCHAR>(cbDest), pszSrc, kUnlimited);
}

HRESULT WINAPI StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToCopy)
{
    return copy(pszDest, cchDest, pszSrc, cchToCopy);
}
HRESULT WINAPI StringCchCopyNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToCopy)
{
    return copy(pszDest, cchDest, pszSrc, cchToCopy);
}
HRESULT WINAPI StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToCopy)
{
    return copy(pszDest, chars<char>(cbDest), pszSrc, chars<char>(cbToCopy));
}
HRESULT WINAPI StringCbCopyNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToCopy)
{
    return copy(pszDest, chars<WCHAR>(cbDest), pszSrc, chars<WCHAR>(cbToCopy));
}

HRESULT WINAPI StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return cat(pszDest, cchDest, pszSrc, kUnlimited);
}
HRESULT WINAPI StringCchCatW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc)
{
    return cat(pszDest, cchDest, pszSrc, kUnlimited);
}
HRESULT WINAPI StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return cat(pszDest, chars<char>(cbDest), pszSrc, kUnlimited);
}
HRESULT WINAPI StringCbCatW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc)
{
    return cat(pszDest, chars<WCHAR>(cbDest), pszSrc, kUnlimited);
}

HRESULT WINAPI StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc, size_t cchToAppend)
{
    return cat(pszDest, cchDest, pszSrc, cchToAppend);
}
HRESULT WINAPI StringCchCatNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc, size_t cchToAppend)
{
    return cat(pszDest, cchDest, pszSrc, cchToAppend);
}
HRESULT WINAPI StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc, size_t cbToAppend)
{
    return cat(pszDest, chars<char>(cbDest), pszSrc, chars<char>(cbToAppend));
}
HRESULT WINAPI StringCbCatNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc, size_t cbToAppend)
{
    return cat(pszDest, chars<WCHAR>(cbDest), pszSrc, chars<WCHAR>(cbToAppend));
}

HRESULT WINAPIV StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    HRESULT hr = vprint(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT WINAPIV StringCchPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    HRESULT hr = vprint(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT WINAPIV StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    HRESULT hr = vprint(pszDest, chars<char>(cbDest), pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT WINAPIV StringCbPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list args;
    va_start(args, pszFormat);
    HRESULT hr = vprint(pszDest, chars<WCHAR>(cbDest), pszFormat, args);
    va_end(args);
    return hr;
}
HRESULT WINAPI StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{
    return vprint(pszDest, cchDest, pszFormat, argList);
}
HRESULT WINAPI StringCchVPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{
    return vprint(pszDest, cchDest, pszFormat, argList);
}
HRESULT WINAPI StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, va_list argList)
{
    return vprint(pszDest, chars<char>(cbDest), pszFormat, argList);
}
HRESULT WINAPI StringCbVPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, va_list argList)
{
    return vprint(pszDest, chars<WCHAR>(cbDest), pszFormat, argList);
}

HRESULT WINAPI StringCchLengthA(STRSAFE_PCNZCH psz, size_t cchMax, size_t* pcchLength)
{
    return length(psz, cchMax, pcchLength);
}
HRESULT WINAPI StringCchLengthW(STRSAFE_PCNZWCH psz, size_t cchMax, size_t* pcchLength)
{
    return length(psz, cchMax, pcchLength);
}
HRESULT WINAPI StringCbLengthA(STRSAFE_PCNZCH psz, size_t cbMax, size_t* pcbLength)
{
    return length(psz, chars<char>(cbMax), pcbLength);
}
HRESULT WINAPI StringCbLengthW(STRSAFE_PCNZWCH psz, size_t cbMax, size_t* pcbLength)
{
    size_t n = 0;
    HRESULT hr = length(psz, chars<WCHAR>(cbMax), &n);
    if (pcbLength != nullptr) *pcbLength = n * sizeof(WCHAR);
    return hr;
}

// ---- lstr* ---------------------------------------------------------------------------------

int WINAPI lstrlenA(LPCSTR lpString) { return unmapped(lpString) ? 0 : static_cast<int>(string_length(lpString)); }
int WINAPI lstrlenW(LPCWSTR lpString) { return unmapped(lpString) ? 0 : static_cast<int>(string_length(lpString)); }
LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2) { return string_copy(lpString1, lpString2); }
LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2) { return string_copy(lpString1, lpString2); }
LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
{
    return string_copy_n(lpString1, lpString2, iMaxLength);
}
LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength)
{
    return string_copy_n(lpString1, lpString2, iMaxLength);
}
LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2) { return string_cat(lpString1, lpString2); }
LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2) { return string_cat(lpString1, lpString2); }
int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2) { return word_sort_compare(lpString1, lpString2, false); }
int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2) { return word_sort_compare(lpString1, lpString2, false); }
int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2) { return word_sort_compare(lpString1, lpString2, true); }
int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2) { return word_sort_compare(lpString1, lpString2, true); }

// ---- CompareString, LCMapString ----------------------------------------------------------

// SORT_DIGITSASNUMBERS is the W functions' only: CompareStringA refuses it (Wine's
// locale.c, test_CompareStringA's flag table: 0 and ERROR_INVALID_FLAGS on Windows).
int WINAPI CompareStringA(LCID, DWORD dwCmpFlags, LPCSTR lpString1, int cchCount1, LPCSTR lpString2, int cchCount2)
{
    if (dwCmpFlags & SORT_DIGITSASNUMBERS) return fail(ERROR_INVALID_FLAGS, 0);
    return compare_strings(dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2);
}

int WINAPI CompareStringW(LCID, DWORD dwCmpFlags, LPCWSTR lpString1, int cchCount1, LPCWSTR lpString2, int cchCount2)
{
    return compare_strings(dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2);
}

int WINAPI CompareStringEx(LPCWSTR, DWORD dwCmpFlags, LPCWSTR lpString1, int cchCount1, LPCWSTR lpString2,
                           int cchCount2, LPNLSVERSIONINFO, LPVOID, LPARAM)
{
    return compare_strings(dwCmpFlags, lpString1, cchCount1, lpString2, cchCount2);
}

// UTF-16 units compared as numbers; bIgnoreCase compares their upper case.
int WINAPI CompareStringOrdinal(LPCWSTR lpString1, int cchCount1, LPCWSTR lpString2, int cchCount2, BOOL bIgnoreCase)
{
    if (lpString1 == nullptr || lpString2 == nullptr) return fail(ERROR_INVALID_PARAMETER, 0);
    size_t n1 = counted_length(lpString1, cchCount1), n2 = counted_length(lpString2, cchCount2);
    for (size_t i = 0; i < n1 && i < n2; ++i) {
        WCHAR a = lpString1[i], b = lpString2[i];
        if (bIgnoreCase) {
            map_case(&a, 1, true);
            map_case(&b, 1, true);
        }
        if (a != b) return static_cast<uint16_t>(a) < static_cast<uint16_t>(b) ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
    }
    return n1 == n2 ? CSTR_EQUAL : (n1 < n2 ? CSTR_LESS_THAN : CSTR_GREATER_THAN);
}

int WINAPI LCMapStringA(LCID, DWORD dwMapFlags, LPCSTR lpSrcStr, int cchSrc, LPSTR lpDestStr, int cchDest)
{
    return map_string(dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest);
}

int WINAPI LCMapStringW(LCID, DWORD dwMapFlags, LPCWSTR lpSrcStr, int cchSrc, LPWSTR lpDestStr, int cchDest)
{
    return map_string(dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest);
}

int WINAPI LCMapStringEx(LPCWSTR, DWORD dwMapFlags, LPCWSTR lpSrcStr, int cchSrc, LPWSTR lpDestStr, int cchDest,
                         LPNLSVERSIONINFO, LPVOID, LPARAM)
{
    return map_string(dwMapFlags, lpSrcStr, cchSrc, lpDestStr, cchDest);
}

// ---- user32's character functions ------------------------------------------------------

LPSTR WINAPI CharUpperA(LPSTR lpsz) { return char_case(lpsz, true); }
LPWSTR WINAPI CharUpperW(LPWSTR lpsz) { return char_case(lpsz, true); }
LPSTR WINAPI CharLowerA(LPSTR lpsz) { return char_case(lpsz, false); }
LPWSTR WINAPI CharLowerW(LPWSTR lpsz) { return char_case(lpsz, false); }
DWORD WINAPI CharUpperBuffA(LPSTR lpsz, DWORD cchLength) { return buffer_case(lpsz, cchLength, true); }
DWORD WINAPI CharUpperBuffW(LPWSTR lpsz, DWORD cchLength) { return buffer_case(lpsz, cchLength, true); }
DWORD WINAPI CharLowerBuffA(LPSTR lpsz, DWORD cchLength) { return buffer_case(lpsz, cchLength, false); }
DWORD WINAPI CharLowerBuffW(LPWSTR lpsz, DWORD cchLength) { return buffer_case(lpsz, cchLength, false); }

LPSTR WINAPI CharNextA(LPCSTR lpsz) { return char_next(lpsz); }
LPWSTR WINAPI CharNextW(LPCWSTR lpsz) { return char_next(lpsz); }
LPSTR WINAPI CharPrevA(LPCSTR lpszStart, LPCSTR lpszCurrent) { return char_prev(lpszStart, lpszCurrent); }
LPWSTR WINAPI CharPrevW(LPCWSTR lpszStart, LPCWSTR lpszCurrent) { return char_prev(lpszStart, lpszCurrent); }

// A characters are UTF-8 bytes: only ASCII ones are letters or digits.
BOOL WINAPI IsCharAlphaA(CHAR ch) { return ch >= 0 && char_class(static_cast<WCHAR>(ch), iswalpha_l); }
BOOL WINAPI IsCharAlphaW(WCHAR ch) { return char_class(ch, iswalpha_l); }
BOOL WINAPI IsCharAlphaNumericA(CHAR ch) { return ch >= 0 && char_class(static_cast<WCHAR>(ch), iswalnum_l); }
BOOL WINAPI IsCharAlphaNumericW(WCHAR ch) { return char_class(ch, iswalnum_l) || digit_value(ch) >= 0; }
BOOL WINAPI IsCharUpperA(CHAR ch) { return ch >= 0 && char_class(static_cast<WCHAR>(ch), iswupper_l); }
BOOL WINAPI IsCharUpperW(WCHAR ch) { return char_class(ch, iswupper_l); }
BOOL WINAPI IsCharLowerA(CHAR ch) { return ch >= 0 && char_class(static_cast<WCHAR>(ch), iswlower_l); }
BOOL WINAPI IsCharLowerW(WCHAR ch) { return char_class(ch, iswlower_l); }

// ---- wsprintf, _snprintf ---------------------------------------------------------------------

int WINAPIV wsprintfA(LPSTR lpOut, LPCSTR lpFmt, ...)
{
    va_list args;
    va_start(args, lpFmt);
    int n = ws_print(lpOut, lpFmt, args);
    va_end(args);
    return n;
}
int WINAPIV wsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, ...)
{
    va_list args;
    va_start(args, lpFmt);
    int n = ws_print(lpOut, lpFmt, args);
    va_end(args);
    return n;
}
int WINAPI wvsprintfA(LPSTR lpOut, LPCSTR lpFmt, va_list arglist) { return ws_print(lpOut, lpFmt, arglist); }
int WINAPI wvsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, va_list arglist) { return ws_print(lpOut, lpFmt, arglist); }

int __cdecl _snprintf(char* buffer, size_t count, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    int n = crt_print(buffer, count, format, args);
    va_end(args);
    return n;
}
int __cdecl _vsnprintf(char* buffer, size_t count, const char* format, va_list argptr)
{
    return crt_print(buffer, count, format, argptr);
}
int __cdecl _snwprintf(WCHAR* buffer, size_t count, const WCHAR* format, ...)
{
    va_list args;
    va_start(args, format);
    int n = crt_print(buffer, count, format, args);
    va_end(args);
    return n;
}
int __cdecl _vsnwprintf(WCHAR* buffer, size_t count, const WCHAR* format, va_list argptr)
{
    return crt_print(buffer, count, format, argptr);
}

// _tprintf of a _UNICODE build (tchar.h): formats in UTF-16, writes UTF-8 to stdout.
OVERLAPPED_API int overlapped_wprintf16(const WCHAR* format, ...)
{
    if (format == nullptr) return -1;
    va_list args;
    va_start(args, format);
    size_t n = win32::format_ms(static_cast<WCHAR*>(nullptr), 0, format, args);
    va_end(args);
    std::u16string text(n, u'\0');
    va_start(args, format);
    win32::format_ms(reinterpret_cast<WCHAR*>(text.data()), n, format, args);
    va_end(args);
    std::string utf8 = win32::utf8_from_utf16(reinterpret_cast<const WCHAR*>(text.data()), n);
    if (std::fwrite(utf8.data(), 1, utf8.size(), stdout) != utf8.size()) return -1;
    return n > INT_MAX ? INT_MAX : static_cast<int>(n);
}

// The invalid-parameter handler of the "_s" functions (winbase.h): Windows' default ends
// the process with STATUS_STACK_BUFFER_OVERRUN; this one names the function first.
void overlapped_invalid_parameter(const char* function)
{
    std::fprintf(stderr, "overlapped: invalid parameter passed to %s\n", function != nullptr ? function : "?");
    std::fflush(stderr);
    TerminateProcess(GetCurrentProcess(), 0xC0000409u);
    _exit(static_cast<int>(0xC0000409u & 0xff));
}

// ---- Version ---------------------------------------------------------------------------------

DWORD WINAPI GetVersion(void) { return (kBuild << 16) | (kMinor << 8) | kMajor; }

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation)
{
    return get_version<OSVERSIONINFOA, OSVERSIONINFOEXA>(lpVersionInformation);
}

BOOL WINAPI GetVersionExW(LPOSVERSIONINFOW lpVersionInformation)
{
    return get_version<OSVERSIONINFOW, OSVERSIONINFOEXW>(lpVersionInformation);
}

// One field's condition a call (the first of the type bits, most significant first, as
// ntdll's RtlSetConditionMask takes them); a condition of 0 leaves the mask as it is.
ULONGLONG WINAPI VerSetConditionMask(ULONGLONG ConditionMask, DWORD TypeMask, BYTE Condition)
{
    static const struct {
        DWORD bit;
        unsigned slot;
    } slots[] = {{VER_PRODUCT_TYPE, 7},     {VER_SUITENAME, 6},   {VER_SERVICEPACKMAJOR, 5},
                 {VER_SERVICEPACKMINOR, 4}, {VER_PLATFORMID, 3},  {VER_BUILDNUMBER, 2},
                 {VER_MAJORVERSION, 1},     {VER_MINORVERSION, 0}};
    ULONGLONG condition = Condition & VER_CONDITION_MASK;
    for (const auto& s : slots)
        if (TypeMask & s.bit) return ConditionMask | (condition << (s.slot * VER_NUM_BITS_PER_CONDITION_MASK));
    return ConditionMask;
}

BOOL WINAPI VerifyVersionInfoA(LPOSVERSIONINFOEXA lpVersionInformation, DWORD dwTypeMask, DWORDLONG dwlConditionMask)
{
    return verify_version(lpVersionInformation, dwTypeMask, dwlConditionMask);
}

BOOL WINAPI VerifyVersionInfoW(LPOSVERSIONINFOEXW lpVersionInformation, DWORD dwTypeMask, DWORDLONG dwlConditionMask)
{
    return verify_version(lpVersionInformation, dwTypeMask, dwlConditionMask);
}

}  // extern "C"
