/* tchar.h: the Microsoft C run-time's generic-text names. Without _UNICODE (the usual
 * build of Windows samples) every name maps to the C library's char function. With
 * _UNICODE, _TCHAR is WCHAR (UTF-16) and the names this header can map cheaply onto the
 * library's UTF-16 functions are mapped; the rest are left undefined, so a program that
 * needs them fails to build rather than misbehaving (docs/win32-status.md lists them). */
#ifndef OVERLAPPED_TCHAR_H
#define OVERLAPPED_TCHAR_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windef.h>
#include <winbase.h> /* lstr*, the _s functions */

#ifdef _UNICODE

/* _T("x") is a UTF-16 literal, whatever UNICODE says. */
#define __T(x) u##x
#undef _T
#define _T(x) __T(x)
#define _TEXT(x) __T(x)

typedef WCHAR _TCHAR;
typedef WCHAR _TSCHAR;
typedef WCHAR _TUCHAR;
typedef WCHAR _TXCHAR;
typedef int _TINT;
#define _TEOF (-1)

OVERLAPPED_BEGIN_C
/* Ordinal (code unit) comparison, as wcscmp is on Windows. */
static inline int overlapped_tcscmp16(const WCHAR *a, const WCHAR *b)
{
    while (*a != 0 && *a == *b) ++a, ++b;
    return (int)*a - (int)*b;
}
static inline int overlapped_tcsncmp16(const WCHAR *a, const WCHAR *b, size_t count)
{
    for (; count != 0; --count, ++a, ++b)
        if (*a != *b || *a == 0) return (int)*a - (int)*b;
    return 0;
}
static inline long overlapped_tcstol16(const WCHAR *text)
{
    long value = 0;
    int negative = 0;
    while (*text == ' ' || (*text >= '\t' && *text <= '\r')) ++text;
    if (*text == '+' || *text == '-') negative = *text++ == '-';
    while (*text >= '0' && *text <= '9') value = value * 10 + (*text++ - '0');
    return negative ? -value : value;
}
/* Formats by the Microsoft rules (see strsafe.h) and writes UTF-8 to stdout. */
OVERLAPPED_API int overlapped_wprintf16(const WCHAR *format, ...);
OVERLAPPED_END_C

/* _tmain is wmain, the entry point of a _UNICODE program, taking UTF-16 arguments. Linux
 * starts main: the library has a weak main that, when the program has none, converts argv
 * (UTF-8) and calls wmain (docs/win32-status.md). The three-argument form (envp) is not
 * supported. */
#define _tmain wmain

#define _tcslen lstrlenW
#define _tcscpy lstrcpyW
#define _tcscat lstrcatW
#define _tcscmp overlapped_tcscmp16
#define _tcsncmp overlapped_tcsncmp16
#define _ttoi(text) ((int)overlapped_tcstol16(text))
#define _ttol overlapped_tcstol16
#define _tstoi _ttoi
#define _sntprintf _snwprintf
#define _vsntprintf _vsnwprintf
#define _tcscpy_s wcscpy_s
#define _tcscat_s wcscat_s
#define _tcsncpy_s wcsncpy_s
#define _stprintf_s swprintf_s
#define _vstprintf_s vswprintf_s
#define _tprintf overlapped_wprintf16

#else /* !_UNICODE */

#define __T(x) x
/* _T follows _UNICODE, not UNICODE (windef.h's follows UNICODE, for programs without
 * this header): with UNICODE alone, _T("x") is a char string for _tprintf & co. */
#undef _T
#define _T(x) __T(x)
#define _TEXT(x) __T(x)

typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef unsigned char _TXCHAR;
typedef int _TINT;
#define _TEOF EOF

#define _tmain main
#define _tenviron environ

#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _sntprintf _snprintf
#define _stprintf_s sprintf_s
#define _vstprintf_s vsprintf_s
#define _tcscpy_s strcpy_s
#define _tcscat_s strcat_s
#define _tcsncpy_s strncpy_s
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _vstprintf vsprintf
#define _vsntprintf _vsnprintf
#define _tscanf scanf
#define _stscanf sscanf

#define _tcslen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcstok strtok
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcspbrk strpbrk
#define _tcsdup _strdup

#define _ttoi atoi
#define _ttol atol
#define _tstoi atoi
#define _tstol atol
#define _ttoi64 atoll
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstod strtod

#define _tfopen fopen
#define _fgetts fgets
#define _fputts fputs
#define _fgettc fgetc
#define _fputtc fputc
#define _gettchar getchar
#define _puttchar putchar
#define _puttc putc
#define _getts gets
#define _putts puts
#define _tgetenv getenv
#define _tsystem system
#define _tremove remove
#define _trename rename

#define _istalpha isalpha
#define _istdigit isdigit
#define _istxdigit isxdigit
#define _istspace isspace
#define _istalnum isalnum
#define _istupper isupper
#define _istlower islower
#define _istpunct ispunct
#define _istprint isprint
#define _istcntrl iscntrl
#define _totupper toupper
#define _totlower tolower

#endif /* _UNICODE */

#endif
