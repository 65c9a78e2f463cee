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

/* ---- Message boxes and beeps ---------------------------------------------------------
 * There are no windows: a message box is written to standard error as "caption: text"
 * (caption NULL: "Error") and answered at once with its default button, as if Enter were
 * pressed. As on Windows, an owner that is no window (here: any but NULL) returns 0 with
 * ERROR_INVALID_WINDOW_HANDLE, an unknown button set 0 with ERROR_INVALID_MSGBOX_STYLE
 * (docs/deviations.md).
 * Beep and MessageBeep ring the terminal's bell through the console (nothing without
 * one); Beep then waits its duration, as Windows' does while the tone plays. */
#define MB_OK 0x00000000L
#define MB_OKCANCEL 0x00000001L
#define MB_ABORTRETRYIGNORE 0x00000002L
#define MB_YESNOCANCEL 0x00000003L
#define MB_YESNO 0x00000004L
#define MB_RETRYCANCEL 0x00000005L
#define MB_CANCELTRYCONTINUE 0x00000006L
#define MB_ICONHAND 0x00000010L
#define MB_ICONQUESTION 0x00000020L
#define MB_ICONEXCLAMATION 0x00000030L
#define MB_ICONASTERISK 0x00000040L
#define MB_USERICON 0x00000080L
#define MB_ICONWARNING MB_ICONEXCLAMATION
#define MB_ICONERROR MB_ICONHAND
#define MB_ICONINFORMATION MB_ICONASTERISK
#define MB_ICONSTOP MB_ICONHAND
#define MB_DEFBUTTON1 0x00000000L
#define MB_DEFBUTTON2 0x00000100L
#define MB_DEFBUTTON3 0x00000200L
#define MB_DEFBUTTON4 0x00000300L
#define MB_APPLMODAL 0x00000000L
#define MB_SYSTEMMODAL 0x00001000L
#define MB_TASKMODAL 0x00002000L
#define MB_HELP 0x00004000L
#define MB_NOFOCUS 0x00008000L
#define MB_SETFOREGROUND 0x00010000L
#define MB_DEFAULT_DESKTOP_ONLY 0x00020000L
#define MB_TOPMOST 0x00040000L
#define MB_RIGHT 0x00080000L
#define MB_RTLREADING 0x00100000L
#define MB_SERVICE_NOTIFICATION 0x00200000L
#define MB_TYPEMASK 0x0000000FL
#define MB_ICONMASK 0x000000F0L
#define MB_DEFMASK 0x00000F00L
#define MB_MODEMASK 0x00003000L
#define MB_MISCMASK 0x0000C000L
#define IDOK 1
#define IDCANCEL 2
#define IDABORT 3
#define IDRETRY 4
#define IDIGNORE 5
#define IDYES 6
#define IDNO 7
#define IDCLOSE 8
#define IDHELP 9
#define IDTRYAGAIN 10
#define IDCONTINUE 11
#define IDTIMEOUT 32000
OVERLAPPED_API int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType);
OVERLAPPED_API int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType);
OVERLAPPED_API int WINAPI MessageBoxExA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType, WORD wLanguageId);
OVERLAPPED_API int WINAPI MessageBoxExW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType, WORD wLanguageId);
OVERLAPPED_API BOOL WINAPI MessageBeep(UINT uType);
OVERLAPPED_API BOOL WINAPI Beep(DWORD dwFreq, DWORD dwDuration);
/* No process here has a message queue: WAIT_FAILED at once for any process handle
 * (src/win32/process.cpp). */
OVERLAPPED_API DWORD WINAPI WaitForInputIdle(HANDLE hProcess, DWORD dwMilliseconds);

#ifdef UNICODE
#define MessageBox MessageBoxW
#define MessageBoxEx MessageBoxExW
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
#define MessageBox MessageBoxA
#define MessageBoxEx MessageBoxExA
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
