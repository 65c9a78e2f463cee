// strings.cpp: what Windows programs take from the SDK beside the system calls: strsafe.h
// (StringCch*/StringCb*), lstr*, wsprintf, the Microsoft C run-time's _snprintf family, and
// GetVersion(Ex). None of these touch the last error on success (programs such as the SDK's
// IOCP samples test GetLastError() after them).
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

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

// Code points of a string: UTF-8 for char, UTF-16 for WCHAR.
std::u32string code_points(const char* text)
{
    std::u16string units = win32::utf16_from_utf8(text, std::strlen(text));
    std::u32string out;
    for (size_t i = 0; i < units.size(); ++i) {
        char32_t c = units[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
        out += c;
    }
    return out;
}

std::u32string code_points(const WCHAR* text)
{
    std::u32string out;
    for (size_t i = 0; text[i] != 0; ++i) {
        char32_t c = static_cast<uint16_t>(text[i]);
        uint16_t next = static_cast<uint16_t>(text[i + 1]);
        if (c >= 0xD800 && c < 0xDC00 && next >= 0xDC00 && next < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (next - 0xDC00);
            ++i;
        }
        out += c;
    }
    return out;
}

// Windows' word sort for Latin text, as lstrcmp uses it (CompareString with the user
// locale, docs/win32-status.md): hyphens and apostrophes weigh nothing until everything
// else is equal; other symbols sort before digits, digits before letters; letters compare
// without case first, and then lower case sorts before upper case. Characters beyond ASCII
// sort after the ASCII letters by code point.
struct SortKey {
    std::u32string primary;  // weights, one per character that is not ignorable
    std::u32string tertiary; // case: 0 lower / not a letter, 1 upper
    std::u32string ignored;  // positions of hyphens and apostrophes, then the character
};

SortKey sort_key(const std::u32string& text, bool ignore_case)
{
    SortKey key;
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c == U'-' || c == U'\'') {
            key.ignored += static_cast<char32_t>(i);
            key.ignored += c;
            continue;
        }
        bool upper = c >= U'A' && c <= U'Z';
        char32_t lower = upper ? c + (U'a' - U'A') : c;
        char32_t weight;
        if (lower >= U'a' && lower <= U'z') weight = 0x20000 + (lower - U'a');
        else if (c >= U'0' && c <= U'9') weight = 0x10000 + (c - U'0');
        else if (c < 0x80) weight = c;  // symbols, punctuation, spaces, controls
        else weight = 0x30000 + c;
        key.primary += weight;
        key.tertiary += (!ignore_case && upper) ? 1 : 0;
    }
    return key;
}

int sign(int value) { return (value > 0) - (value < 0); }

template <class C>
int word_sort_compare(const C* a, const C* b, bool ignore_case)
{
    if (a == nullptr || b == nullptr) return a == b ? 0 : (a == nullptr ? -1 : 1);
    SortKey ka = sort_key(code_points(a), ignore_case);
    SortKey kb = sort_key(code_points(b), ignore_case);
    if (int r = ka.primary.compare(kb.primary)) return sign(r);
    if (int r = ka.tertiary.compare(kb.tertiary)) return sign(r);
    if (ka.ignored.size() != kb.ignored.size()) return ka.ignored.size() < kb.ignored.size() ? -1 : 1;
    return sign(ka.ignored.compare(kb.ignored));
}

template <class C>
C* string_copy(C* dest, const C* source)
{
    if (dest == nullptr || source == nullptr) return nullptr;
    size_t n = string_length(source);
    std::memmove(dest, source, (n + 1) * sizeof(C));
    return dest;
}

template <class C>
C* string_copy_n(C* dest, const C* source, int max_length)
{
    if (dest == nullptr || source == nullptr) return nullptr;
    if (max_length <= 0) return dest;
    int i = 0;
    for (; i + 1 < max_length && source[i] != 0; ++i) dest[i] = source[i];
    dest[i] = 0;
    return dest;
}

template <class C>
C* string_cat(C* dest, const C* source)
{
    if (dest == nullptr || source == nullptr) return nullptr;
    string_copy(dest + string_length(dest), source);
    return dest;
}

// ---- wsprintf and the C run-time's _snprintf ---------------------------------------------

// wsprintf writes at most 1024 characters, terminator included.
constexpr size_t kWsprintfLimit = 1024;

template <class C>
int ws_print(C* out, const C* format, va_list args)
{
    if (out == nullptr || format == nullptr) return 0;
    size_t n = win32::format_ms(out, kWsprintfLimit - 1, format, args);
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

int WINAPI lstrlenA(LPCSTR lpString) { return lpString == nullptr ? 0 : static_cast<int>(string_length(lpString)); }
int WINAPI lstrlenW(LPCWSTR lpString) { return lpString == nullptr ? 0 : static_cast<int>(string_length(lpString)); }
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

}  // extern "C"
