/* windef.h: the Windows data model (LLP64) on Linux: fixed-size integer types,
 * handles, strings, calling-convention and export macros. */
#ifndef OVERLAPPED_WINDEF_H
#define OVERLAPPED_WINDEF_H

#include <overlapped_libc.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "overlapped supports 64-bit Linux (x86_64, aarch64)"
#endif

#ifndef _WIN64
#define _WIN64 1
#endif

#ifdef __cplusplus
#define OVERLAPPED_EXTERN_C extern "C"
#define OVERLAPPED_BEGIN_C extern "C" {
#define OVERLAPPED_END_C }
#else
#define OVERLAPPED_EXTERN_C
#define OVERLAPPED_BEGIN_C
#define OVERLAPPED_END_C
#endif

/* Every exported function carries OVERLAPPED_API; the library is built with hidden
 * visibility, so nothing else leaves it. */
#define OVERLAPPED_API __attribute__((visibility("default")))

/* Calling conventions: x86_64 Windows has one convention; ours is the platform's. */
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef _cdecl
#define _cdecl
#endif
#define WINAPI
#define WINAPIV
#define APIENTRY
#define CALLBACK
#define NTAPI
#define WINBASEAPI
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define FORCEINLINE static inline __attribute__((always_inline))

/* The Microsoft compiler's sized-integer keywords, as mingw-w64 defines them
 * (`__int64 x;`, `unsigned __int64 y;`). */
#ifndef __int64
#define __int8 char
#define __int16 short
#define __int32 int
#define __int64 long long
#endif

#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID void

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif

/* 32-bit types are `int`-based: on Linux `long` is 64-bit. */
typedef int BOOL, *PBOOL, *LPBOOL;
typedef unsigned char BYTE, *PBYTE, *LPBYTE, UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef unsigned short WORD, *PWORD, *LPWORD, USHORT, *PUSHORT;
typedef short SHORT, *PSHORT;
typedef unsigned int DWORD, *PDWORD, *LPDWORD, ULONG, *PULONG, UINT, *PUINT, *LPUINT;
typedef int LONG, *PLONG, *LPLONG, INT, *PINT, *LPINT;
typedef long long LONGLONG, *PLONGLONG, LONG64, *PLONG64, INT64, *PINT64;
typedef unsigned long long ULONGLONG, *PULONGLONG, DWORD64, *PDWORD64, ULONG64, *PULONG64,
    UINT64, *PUINT64, DWORDLONG, *PDWORDLONG;
typedef signed char INT8, *PINT8;
typedef unsigned char UINT8, *PUINT8;
typedef short INT16;
typedef unsigned short UINT16;
typedef int INT32, LONG32;
typedef unsigned int UINT32, ULONG32, DWORD32;
typedef float FLOAT;
typedef double DOUBLE;

/* Pointer-sized types. */
typedef intptr_t INT_PTR, *PINT_PTR, LONG_PTR, *PLONG_PTR, SSIZE_T, *PSSIZE_T;
typedef uintptr_t UINT_PTR, *PUINT_PTR, ULONG_PTR, *PULONG_PTR, DWORD_PTR, *PDWORD_PTR,
    SIZE_T, *PSIZE_T;
typedef ULONG_PTR KAFFINITY;
typedef LONG_PTR LPARAM;
typedef UINT_PTR WPARAM;

typedef void VOID_TYPE, *PVOID, *LPVOID;
typedef const void *LPCVOID, *PCVOID;

/* Characters: CHAR is 8-bit, WCHAR is UTF-16 (char16_t in C++, so u"" literals work). */
typedef char CHAR, *PCHAR, *LPCH, *PCH, *LPSTR, *PSTR, *NPSTR;
typedef const char *LPCSTR, *PCSTR, *LPCCH, *PCCH;
#if defined(__cplusplus)
typedef char16_t WCHAR;
#else
typedef unsigned short WCHAR;
#endif
typedef WCHAR *PWCHAR, *LPWCH, *PWCH, *LPWSTR, *PWSTR, *NWPSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR, *LPCWCH, *PCWCH;

#ifdef UNICODE
typedef WCHAR TCHAR;
#define __TEXT(quote) u##quote
#else
typedef char TCHAR;
#define __TEXT(quote) quote
#endif
typedef TCHAR *LPTSTR, *PTSTR;
typedef const TCHAR *LPCTSTR, *PCTSTR;
#define TEXT(quote) __TEXT(quote)
#define _T(quote) __TEXT(quote)

/* Handles. */
typedef void *HANDLE, **PHANDLE, **LPHANDLE;
typedef HANDLE HINSTANCE, HMODULE, HLOCAL, HGLOBAL, HKEY, HWND, HRSRC;
typedef LONG HRESULT;
typedef int (*FARPROC)(void);
typedef DWORD ACCESS_MASK, *PACCESS_MASK;
typedef LONG NTSTATUS;

#define MAKEWORD(low, high) ((WORD)(((BYTE)((low) & 0xff)) | ((WORD)((BYTE)((high) & 0xff))) << 8))
#define MAKELONG(low, high) ((LONG)(((WORD)((low) & 0xffff)) | ((DWORD)((WORD)((high) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w) & 0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))

/* min and max: macros in C, as the Windows SDK has them. In C++ they are function
 * templates instead: libstdc++'s headers (std::max, numeric_limits<T>::max()) cannot be
 * parsed once a function-like macro named max exists, and a program may include them
 * after <windows.h>. The templates take two possibly different arithmetic types, as the
 * macros do; when both arguments have one type, std::min/std::max (more specialised)
 * win any overload contest, so `using namespace std;` stays unambiguous. */
#if !defined(NOMINMAX)
#ifndef __cplusplus
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#else
template <class OverlappedA, class OverlappedB>
constexpr auto max(OverlappedA a, OverlappedB b) -> decltype(true ? a : b)
{
    return a > b ? a : b;
}
template <class OverlappedA, class OverlappedB>
constexpr auto min(OverlappedA a, OverlappedB b) -> decltype(true ? a : b)
{
    return a < b ? a : b;
}
#endif
#endif

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PATH 260

#endif
