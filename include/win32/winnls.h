/* winnls.h: code pages and the conversions between them and UTF-16 (winnls.h and
 * stringapiset.h on Windows). The library's "A" strings are UTF-8, so the ANSI, OEM and
 * Macintosh code pages are all 65001 (Windows' "Use Unicode UTF-8 for worldwide language
 * support" setting); 437, 1252 and 28591 convert by their tables; others are refused
 * (docs/deviations.md). */
#ifndef OVERLAPPED_WINNLS_H
#define OVERLAPPED_WINNLS_H

#include <windef.h>
#include <winnt.h>

OVERLAPPED_BEGIN_C

#define CP_ACP 0
#define CP_OEMCP 1
#define CP_MACCP 2
#define CP_THREAD_ACP 3
#define CP_SYMBOL 42
#define CP_UTF7 65000
#ifndef CP_UTF8
#define CP_UTF8 65001
#endif

#define MB_PRECOMPOSED 0x00000001
#define MB_COMPOSITE 0x00000002
#define MB_USEGLYPHCHARS 0x00000004
#define MB_ERR_INVALID_CHARS 0x00000008

#define WC_DISCARDNS 0x00000010
#define WC_SEPCHARS 0x00000020
#define WC_DEFAULTCHAR 0x00000040
#define WC_ERR_INVALID_CHARS 0x00000080
#define WC_COMPOSITECHECK 0x00000200
#define WC_NO_BEST_FIT_CHARS 0x00000400

#define MAX_LEADBYTES 12
#define MAX_DEFAULTCHAR 2

typedef struct _cpinfo {
    UINT MaxCharSize;
    BYTE DefaultChar[MAX_DEFAULTCHAR];
    BYTE LeadByte[MAX_LEADBYTES];
} CPINFO, *LPCPINFO;

typedef struct _cpinfoexA {
    UINT MaxCharSize;
    BYTE DefaultChar[MAX_DEFAULTCHAR];
    BYTE LeadByte[MAX_LEADBYTES];
    WCHAR UnicodeDefaultChar;
    UINT CodePage;
    CHAR CodePageName[MAX_PATH];
} CPINFOEXA, *LPCPINFOEXA;

typedef struct _cpinfoexW {
    UINT MaxCharSize;
    BYTE DefaultChar[MAX_DEFAULTCHAR];
    BYTE LeadByte[MAX_LEADBYTES];
    WCHAR UnicodeDefaultChar;
    UINT CodePage;
    WCHAR CodePageName[MAX_PATH];
} CPINFOEXW, *LPCPINFOEXW;

OVERLAPPED_API UINT WINAPI GetACP(void);
OVERLAPPED_API UINT WINAPI GetOEMCP(void);
OVERLAPPED_API BOOL WINAPI IsValidCodePage(UINT CodePage);
OVERLAPPED_API BOOL WINAPI GetCPInfo(UINT CodePage, LPCPINFO lpCPInfo);
OVERLAPPED_API BOOL WINAPI GetCPInfoExA(UINT CodePage, DWORD dwFlags, LPCPINFOEXA lpCPInfoEx);
OVERLAPPED_API BOOL WINAPI GetCPInfoExW(UINT CodePage, DWORD dwFlags, LPCPINFOEXW lpCPInfoEx);

OVERLAPPED_API int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte,
                                              LPWSTR lpWideCharStr, int cchWideChar);
OVERLAPPED_API int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar,
                                              LPSTR lpMultiByteStr, int cbMultiByte, LPCSTR lpDefaultChar,
                                              LPBOOL lpUsedDefaultChar);

#ifdef UNICODE
typedef CPINFOEXW CPINFOEX;
typedef LPCPINFOEXW LPCPINFOEX;
#define GetCPInfoEx GetCPInfoExW
#else
typedef CPINFOEXA CPINFOEX;
typedef LPCPINFOEXA LPCPINFOEX;
#define GetCPInfoEx GetCPInfoExA
#endif

OVERLAPPED_END_C

#endif
