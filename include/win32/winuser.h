/* winuser.h: the character functions of user32 that console programs use too. A strings
 * are UTF-8: the A functions change and classify ASCII characters only; the W functions
 * use Unicode's simple case mapping and character classes. */
#ifndef OVERLAPPED_WINUSER_H
#define OVERLAPPED_WINUSER_H

#include <windef.h>

OVERLAPPED_BEGIN_C

/* CharUpper/CharLower: a pointer whose high-order bits are zero carries one character in
 * its low word, and the result carries the mapped character; otherwise the string is
 * mapped in place and returned. */
OVERLAPPED_API LPSTR WINAPI CharUpperA(LPSTR lpsz);
OVERLAPPED_API LPWSTR WINAPI CharUpperW(LPWSTR lpsz);
OVERLAPPED_API LPSTR WINAPI CharLowerA(LPSTR lpsz);
OVERLAPPED_API LPWSTR WINAPI CharLowerW(LPWSTR lpsz);
OVERLAPPED_API DWORD WINAPI CharUpperBuffA(LPSTR lpsz, DWORD cchLength);
OVERLAPPED_API DWORD WINAPI CharUpperBuffW(LPWSTR lpsz, DWORD cchLength);
OVERLAPPED_API DWORD WINAPI CharLowerBuffA(LPSTR lpsz, DWORD cchLength);
OVERLAPPED_API DWORD WINAPI CharLowerBuffW(LPWSTR lpsz, DWORD cchLength);
/* CharNext/CharPrev: the next or previous character (CharNext stays on the terminator,
 * CharPrev on lpszStart); the A functions step bytes, as Windows does with the UTF-8 code
 * page (which has no DBCS lead bytes). */
OVERLAPPED_API LPSTR WINAPI CharNextA(LPCSTR lpsz);
OVERLAPPED_API LPWSTR WINAPI CharNextW(LPCWSTR lpsz);
OVERLAPPED_API LPSTR WINAPI CharPrevA(LPCSTR lpszStart, LPCSTR lpszCurrent);
OVERLAPPED_API LPWSTR WINAPI CharPrevW(LPCWSTR lpszStart, LPCWSTR lpszCurrent);
OVERLAPPED_API BOOL WINAPI IsCharAlphaA(CHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharAlphaW(WCHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharAlphaNumericA(CHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharAlphaNumericW(WCHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharUpperA(CHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharUpperW(WCHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharLowerA(CHAR ch);
OVERLAPPED_API BOOL WINAPI IsCharLowerW(WCHAR ch);

#ifdef UNICODE
#define CharUpper CharUpperW
#define CharNext CharNextW
#define CharPrev CharPrevW
#define CharLower CharLowerW
#define CharUpperBuff CharUpperBuffW
#define CharLowerBuff CharLowerBuffW
#define IsCharAlpha IsCharAlphaW
#define IsCharAlphaNumeric IsCharAlphaNumericW
#define IsCharUpper IsCharUpperW
#define IsCharLower IsCharLowerW
#else
#define CharUpper CharUpperA
#define CharNext CharNextA
#define CharPrev CharPrevA
#define CharLower CharLowerA
#define CharUpperBuff CharUpperBuffA
#define CharLowerBuff CharLowerBuffA
#define IsCharAlpha IsCharAlphaA
#define IsCharAlphaNumeric IsCharAlphaNumericA
#define IsCharUpper IsCharUpperA
#define IsCharLower IsCharLowerA
#endif

OVERLAPPED_END_C

#endif
