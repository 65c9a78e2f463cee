/* windef.h: the Windows data model (LLP64) on Linux: fixed-size integer types,
 * handles, strings, calling-convention and export macros. */
#ifndef OVERLAPPED_WINDEF_H
#define OVERLAPPED_WINDEF_H

#include <overlapped_libc.h>
#include <stddef.h>
#include <stdint.h>
#include <sal.h>
#include <sdkddkver.h>

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
#define WINUSERAPI
#define WINADVAPI
#define NTSYSAPI
#define DECLSPEC_IMPORT
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define DECLSPEC_NOINLINE __attribute__((noinline))
#define DECLSPEC_NOTHROW __attribute__((nothrow))
#define DECLSPEC_SELECTANY __attribute__((weak))
#define DECLSPEC_NOVTABLE
#define DECLSPEC_UUID(x)
#define SYSTEM_CACHE_ALIGNMENT_SIZE 64
#define DECLSPEC_CACHEALIGN DECLSPEC_ALIGN(SYSTEM_CACHE_ALIGNMENT_SIZE)
#define FORCEINLINE static inline __attribute__((always_inline))
/* Visual C++'s spelling; `static __forceinline` is the usual use. */
#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#endif
#define STDMETHODCALLTYPE
#define STDMETHODVCALLTYPE
#define STDAPICALLTYPE
#define STDAPIVCALLTYPE
#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE

/* Memory models of 16-bit Windows, and the pointer qualifiers of other targets: nothing
 * on x86-64 and aarch64. */
#ifndef FAR
#define FAR
#endif
#ifndef NEAR
#define NEAR
#endif
#ifndef far
#define far
#endif
#ifndef near
#define near
#endif
#ifndef PASCAL
#define PASCAL
#endif
#define UNALIGNED
#define UNALIGNED64
#define POINTER_32
#define POINTER_64
#define POINTER_SIGNED
#define POINTER_UNSIGNED
#define SPOINTER_32
#define UPOINTER_32
#define RESTRICTED_POINTER

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
typedef ULONG_PTR HANDLE_PTR;
typedef LONG_PTR SHANDLE_PTR;
typedef int HALF_PTR, *PHALF_PTR;
typedef unsigned int UHALF_PTR, *PUHALF_PTR;
typedef ULONG_PTR KAFFINITY;
typedef LONG_PTR LPARAM;
typedef UINT_PTR WPARAM;

typedef void VOID_TYPE, *PVOID, *LPVOID, *PVOID64;
typedef const void *LPCVOID, *PCVOID;

/* Characters: CHAR is 8-bit, WCHAR is UTF-16 (char16_t in C++, so u"" literals work). */
typedef char CHAR, *PCHAR, *LPCH, *PCH, *LPSTR, *PSTR, *NPSTR, CCHAR, *PSZ;
typedef const char *LPCSTR, *PCSTR, *LPCCH, *PCCH, *PCSZ;
typedef PSTR *PZPSTR;
typedef const PSTR *PCZPSTR;
typedef PCSTR *PZPCSTR;
#if defined(__cplusplus)
typedef char16_t WCHAR;
#else
typedef unsigned short WCHAR;
#endif
typedef WCHAR *PWCHAR, *LPWCH, *PWCH, *LPWSTR, *PWSTR, *NWPSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR, *LPCWCH, *PCWCH;
typedef PWSTR *PZPWSTR;
typedef const PWSTR *PCZPWSTR;
typedef PCWSTR *PZPCWSTR;

#ifdef UNICODE
typedef WCHAR TCHAR;
#define __TEXT(quote) u##quote
#else
typedef char TCHAR;
#define __TEXT(quote) quote
#endif
typedef TCHAR *LPTSTR, *PTSTR, *PTCHAR;
typedef TCHAR *LPTCH, *PTCH;
#ifdef UNICODE
typedef WCHAR TBYTE, *PTBYTE;
#else
typedef unsigned char TBYTE, *PTBYTE;
#endif
typedef const TCHAR *LPCTSTR, *PCTSTR;
#define TEXT(quote) __TEXT(quote)
#define _T(quote) __TEXT(quote)

/* Handles. */
typedef void *HANDLE, **PHANDLE, **LPHANDLE;
typedef HANDLE HINSTANCE, HMODULE, HLOCAL, HGLOBAL, HKEY, HWND, HRSRC;
typedef HKEY *PHKEY;
typedef LONG HRESULT;
typedef LONG_PTR LRESULT;
typedef WORD ATOM;
typedef DWORD COLORREF, *LPCOLORREF;
typedef int HFILE;
#define HFILE_ERROR ((HFILE)-1)
typedef int (*FARPROC)(void);
typedef int (*NEARPROC)(void);
typedef int (*PROC)(void);
typedef DWORD ACCESS_MASK, *PACCESS_MASK;
typedef LONG NTSTATUS;

#define MAKEWORD(low, high) ((WORD)(((BYTE)((low) & 0xff)) | ((WORD)((BYTE)((high) & 0xff))) << 8))
#define MAKELONG(low, high) ((LONG)(((WORD)((low) & 0xffff)) | ((DWORD)((WORD)((high) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define MAKEWPARAM(low, high) ((WPARAM)(DWORD)MAKELONG(low, high))
#define MAKELPARAM(low, high) ((LPARAM)(DWORD)MAKELONG(low, high))
#define MAKELRESULT(low, high) ((LRESULT)(DWORD)MAKELONG(low, high))
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
/* The result is a value, as the macros' is: `true ? a : b` on two lvalues of one type
 * is an lvalue, and returning a reference to a parameter would leave it dangling. */
template <class OverlappedT>
struct overlapped_minmax_value {
    typedef OverlappedT type;
};
template <class OverlappedT>
struct overlapped_minmax_value<OverlappedT &> {
    typedef OverlappedT type;
};
template <class OverlappedA, class OverlappedB>
constexpr auto max(OverlappedA a, OverlappedB b) ->
    typename overlapped_minmax_value<decltype(true ? a : b)>::type
{
    return a > b ? a : b;
}
template <class OverlappedA, class OverlappedB>
constexpr auto min(OverlappedA a, OverlappedB b) ->
    typename overlapped_minmax_value<decltype(true ? a : b)>::type
{
    return a < b ? a : b;
}
#endif
#endif

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

/* A compile-time assertion, usable wherever a declaration is (file or block scope). */
#ifdef __cplusplus
#define C_ASSERT(e) static_assert((e), #e)
#else
#define C_ASSERT(e) __extension__ _Static_assert((e), #e)
#endif
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#define _ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RTL_NUMBER_OF_V1(a) (sizeof(a) / sizeof((a)[0]))
#define RTL_NUMBER_OF_V2(a) RTL_NUMBER_OF_V1(a)
#define RTL_NUMBER_OF(a) RTL_NUMBER_OF_V1(a)
#define MAX_PATH 260

/* The limits of the Win32 integer types (winnt.h and basetsd.h). */
#define MINCHAR 0x80
#define MAXCHAR 0x7f
#define MINSHORT 0x8000
#define MAXSHORT 0x7fff
#define MINLONG 0x80000000
#define MAXLONG 0x7fffffff
#define MAXBYTE 0xff
#define MAXWORD 0xffff
#ifndef MAXDWORD
#define MAXDWORD 0xffffffffu
#endif
#define MAXLONGLONG (0x7fffffffffffffffLL)
#define MAXULONGLONG ((ULONGLONG)~((ULONGLONG)0))
#define MINLONGLONG ((LONGLONG)~MAXLONGLONG)
#define MAXUINT8 ((UINT8)~((UINT8)0))
#define MAXINT8 ((INT8)(MAXUINT8 >> 1))
#define MININT8 ((INT8)~MAXINT8)
#define MAXUINT16 ((UINT16)~((UINT16)0))
#define MAXINT16 ((INT16)(MAXUINT16 >> 1))
#define MININT16 ((INT16)~MAXINT16)
#define MAXUINT32 ((UINT32)~((UINT32)0))
#define MAXINT32 ((INT32)(MAXUINT32 >> 1))
#define MININT32 ((INT32)~MAXINT32)
#define MAXUINT64 ((UINT64)~((UINT64)0))
#define MAXINT64 ((INT64)(MAXUINT64 >> 1))
#define MININT64 ((INT64)~MAXINT64)
#define MAXULONG32 ((ULONG32)~((ULONG32)0))
#define MAXLONG32 ((LONG32)(MAXULONG32 >> 1))
#define MINLONG32 ((LONG32)~MAXLONG32)
#define MAXULONG64 ((ULONG64)~((ULONG64)0))
#define MAXLONG64 ((LONG64)(MAXULONG64 >> 1))
#define MINLONG64 ((LONG64)~MAXLONG64)
#define MAXDWORD32 ((DWORD32)~((DWORD32)0))
#define MAXDWORD64 ((DWORD64)~((DWORD64)0))
#define MAXUINT ((UINT)~((UINT)0))
#define MAXINT ((INT)(MAXUINT >> 1))
#define MININT ((INT)~MAXINT)
#define MAXULONG ((ULONG)~((ULONG)0))
#define MAXUINT_PTR (~((UINT_PTR)0))
#define MAXINT_PTR ((INT_PTR)(MAXUINT_PTR >> 1))
#define MININT_PTR (~MAXINT_PTR)
#define MAXULONG_PTR (~((ULONG_PTR)0))
#define MAXLONG_PTR ((LONG_PTR)(MAXULONG_PTR >> 1))
#define MINLONG_PTR (~MAXLONG_PTR)
#define MAXUHALF_PTR ((UHALF_PTR)~0)
#define MAXHALF_PTR ((HALF_PTR)(MAXUHALF_PTR >> 1))
#define MINHALF_PTR (~MAXHALF_PTR)
#define MAXSIZE_T ((SIZE_T)~((SIZE_T)0))
#define MAXSSIZE_T ((SSIZE_T)(MAXSIZE_T >> 1))
#define MINSSIZE_T ((SSIZE_T)~MAXSSIZE_T)

/* Conversions between handles or pointers and 32-bit integers (basetsd.h): a handle
 * keeps its value in 32 bits, and a 32-bit value widens with the sign its type has. */
static inline ULONG HandleToULong(const void *h) { return (ULONG)(ULONG_PTR)h; }
static inline LONG HandleToLong(const void *h) { return (LONG)(LONG_PTR)h; }
static inline HANDLE ULongToHandle(const ULONG h) { return (HANDLE)(UINT_PTR)h; }
static inline HANDLE LongToHandle(const LONG h) { return (HANDLE)(INT_PTR)h; }
static inline ULONG PtrToUlong(const void *p) { return (ULONG)(ULONG_PTR)p; }
static inline UINT PtrToUint(const void *p) { return (UINT)(UINT_PTR)p; }
static inline USHORT PtrToUshort(const void *p) { return (USHORT)(ULONG_PTR)p; }
static inline LONG PtrToLong(const void *p) { return (LONG)(LONG_PTR)p; }
static inline INT PtrToInt(const void *p) { return (INT)(INT_PTR)p; }
static inline SHORT PtrToShort(const void *p) { return (SHORT)(LONG_PTR)p; }
static inline void *IntToPtr(const INT i) { return (void *)(INT_PTR)i; }
static inline void *UIntToPtr(const UINT ui) { return (void *)(UINT_PTR)ui; }
static inline void *LongToPtr(const LONG l) { return (void *)(LONG_PTR)l; }
static inline void *ULongToPtr(const ULONG ul) { return (void *)(ULONG_PTR)ul; }
#define HandleToUlong(h) HandleToULong(h)
#define UlongToHandle(ul) ULongToHandle(ul)
#define UintToPtr(ui) UIntToPtr(ui)
#define UlongToPtr(ul) ULongToPtr(ul)
#define Ptr64ToPtr(p) ((void *)(p))
#define PtrToPtr64(p) ((void *)(p))
#define HandleToHandle64(h) ((void *)(h))
#define Handle64ToHandle(h) ((void *)(h))

#endif
