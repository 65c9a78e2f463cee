/* winnls.h: code pages and the conversions between them and UTF-16 (winnls.h and
 * stringapiset.h on Windows). The library's "A" strings are UTF-8, so the ANSI, OEM and
 * Macintosh code pages are all 65001 (Windows' "Use Unicode UTF-8 for worldwide language
 * support" setting); 437, 1252 and 28591 convert by their tables; others are refused
 * (docs/deviations.md).
 * Locales: one, English (United States), 0x0409 "en-US", with Windows' data for it, and
 * the invariant locale (0x007F, ""); the default locales are en-US and any other LCID or
 * name is refused (docs/deviations.md). Their dates and times: GetDateFormat(Ex),
 * GetTimeFormat(Ex). */
#ifndef OVERLAPPED_WINNLS_H
#define OVERLAPPED_WINNLS_H

#include <windef.h>
#include <winnt.h>
#include <guiddef.h>

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

typedef DWORD LCID, *PLCID;
typedef WORD LANGID;
typedef DWORD LCTYPE;
typedef DWORD CALID;

#define LANG_INVARIANT 0x7f
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define SORT_DEFAULT 0x0
/* MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT) and MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT) */
#define LANG_SYSTEM_DEFAULT ((WORD)0x0800)
#define LANG_USER_DEFAULT ((WORD)0x0400)
#define MAKELCID(lgid, srtid) ((DWORD)((((DWORD)((WORD)(srtid))) << 16) | ((DWORD)((WORD)(lgid)))))
#define LANGIDFROMLCID(lcid) ((WORD)(lcid))
#define SORTIDFROMLCID(lcid) ((WORD)((((DWORD)(lcid)) >> 16) & 0xf))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)

#define LOCALE_NEUTRAL 0x0000
#define LOCALE_INVARIANT 0x007f
#define LOCALE_USER_DEFAULT 0x0400
#define LOCALE_SYSTEM_DEFAULT 0x0800
#define LOCALE_CUSTOM_DEFAULT 0x0c00
#define LOCALE_CUSTOM_UNSPECIFIED 0x1000
#define LOCALE_CUSTOM_UI_DEFAULT 0x1400

#define LOCALE_NAME_MAX_LENGTH 85
#define LOCALE_NAME_USER_DEFAULT NULL
#define LOCALE_NAME_INVARIANT ((const WCHAR *)u"")
#define LOCALE_NAME_SYSTEM_DEFAULT ((const WCHAR *)u"!x-sys-default-locale")

/* GetLocaleInfo's flags (with the LCTYPE) */
#define LOCALE_NOUSEROVERRIDE 0x80000000
#define LOCALE_USE_CP_ACP 0x40000000
#define LOCALE_RETURN_NUMBER 0x20000000
#define LOCALE_RETURN_GENITIVE_NAMES 0x10000000
#define LOCALE_ALLOW_NEUTRAL_NAMES 0x08000000

#define LOCALE_ILANGUAGE 0x0001
#define LOCALE_SLANGUAGE 0x0002
#define LOCALE_SLOCALIZEDDISPLAYNAME 0x0002
#define LOCALE_SABBREVLANGNAME 0x0003
#define LOCALE_SNATIVELANGNAME 0x0004
#define LOCALE_SNATIVELANGUAGENAME 0x0004
#define LOCALE_ICOUNTRY 0x0005
#define LOCALE_SCOUNTRY 0x0006
#define LOCALE_SLOCALIZEDCOUNTRYNAME 0x0006
#define LOCALE_SABBREVCTRYNAME 0x0007
#define LOCALE_SNATIVECTRYNAME 0x0008
#define LOCALE_SNATIVECOUNTRYNAME 0x0008
#define LOCALE_IDEFAULTLANGUAGE 0x0009
#define LOCALE_IDEFAULTCOUNTRY 0x000a
#define LOCALE_IDEFAULTCODEPAGE 0x000b
#define LOCALE_SLIST 0x000c
#define LOCALE_IMEASURE 0x000d
#define LOCALE_SDECIMAL 0x000e
#define LOCALE_STHOUSAND 0x000f
#define LOCALE_SGROUPING 0x0010
#define LOCALE_IDIGITS 0x0011
#define LOCALE_ILZERO 0x0012
#define LOCALE_SNATIVEDIGITS 0x0013
#define LOCALE_SCURRENCY 0x0014
#define LOCALE_SINTLSYMBOL 0x0015
#define LOCALE_SMONDECIMALSEP 0x0016
#define LOCALE_SMONTHOUSANDSEP 0x0017
#define LOCALE_SMONGROUPING 0x0018
#define LOCALE_ICURRDIGITS 0x0019
#define LOCALE_IINTLCURRDIGITS 0x001a
#define LOCALE_ICURRENCY 0x001b
#define LOCALE_INEGCURR 0x001c
#define LOCALE_SDATE 0x001d
#define LOCALE_STIME 0x001e
#define LOCALE_SSHORTDATE 0x001f
#define LOCALE_SLONGDATE 0x0020
#define LOCALE_IDATE 0x0021
#define LOCALE_ILDATE 0x0022
#define LOCALE_ITIME 0x0023
#define LOCALE_ICENTURY 0x0024
#define LOCALE_ITLZERO 0x0025
#define LOCALE_IDAYLZERO 0x0026
#define LOCALE_IMONLZERO 0x0027
#define LOCALE_S1159 0x0028
#define LOCALE_S2359 0x0029
#define LOCALE_SAM 0x0028
#define LOCALE_SPM 0x0029
#define LOCALE_SDAYNAME1 0x002a
#define LOCALE_SDAYNAME2 0x002b
#define LOCALE_SDAYNAME3 0x002c
#define LOCALE_SDAYNAME4 0x002d
#define LOCALE_SDAYNAME5 0x002e
#define LOCALE_SDAYNAME6 0x002f
#define LOCALE_SDAYNAME7 0x0030
#define LOCALE_SABBREVDAYNAME1 0x0031
#define LOCALE_SABBREVDAYNAME2 0x0032
#define LOCALE_SABBREVDAYNAME3 0x0033
#define LOCALE_SABBREVDAYNAME4 0x0034
#define LOCALE_SABBREVDAYNAME5 0x0035
#define LOCALE_SABBREVDAYNAME6 0x0036
#define LOCALE_SABBREVDAYNAME7 0x0037
#define LOCALE_SMONTHNAME1 0x0038
#define LOCALE_SMONTHNAME2 0x0039
#define LOCALE_SMONTHNAME3 0x003a
#define LOCALE_SMONTHNAME4 0x003b
#define LOCALE_SMONTHNAME5 0x003c
#define LOCALE_SMONTHNAME6 0x003d
#define LOCALE_SMONTHNAME7 0x003e
#define LOCALE_SMONTHNAME8 0x003f
#define LOCALE_SMONTHNAME9 0x0040
#define LOCALE_SMONTHNAME10 0x0041
#define LOCALE_SMONTHNAME11 0x0042
#define LOCALE_SMONTHNAME12 0x0043
#define LOCALE_SMONTHNAME13 0x100e
#define LOCALE_SABBREVMONTHNAME1 0x0044
#define LOCALE_SABBREVMONTHNAME2 0x0045
#define LOCALE_SABBREVMONTHNAME3 0x0046
#define LOCALE_SABBREVMONTHNAME4 0x0047
#define LOCALE_SABBREVMONTHNAME5 0x0048
#define LOCALE_SABBREVMONTHNAME6 0x0049
#define LOCALE_SABBREVMONTHNAME7 0x004a
#define LOCALE_SABBREVMONTHNAME8 0x004b
#define LOCALE_SABBREVMONTHNAME9 0x004c
#define LOCALE_SABBREVMONTHNAME10 0x004d
#define LOCALE_SABBREVMONTHNAME11 0x004e
#define LOCALE_SABBREVMONTHNAME12 0x004f
#define LOCALE_SABBREVMONTHNAME13 0x100f
#define LOCALE_SPOSITIVESIGN 0x0050
#define LOCALE_SNEGATIVESIGN 0x0051
#define LOCALE_SISO639LANGNAME 0x0059
#define LOCALE_SISO3166CTRYNAME 0x005a
#define LOCALE_SNAME 0x005c
#define LOCALE_SSHORTESTDAYNAME1 0x0060
#define LOCALE_SSHORTESTDAYNAME2 0x0061
#define LOCALE_SSHORTESTDAYNAME3 0x0062
#define LOCALE_SSHORTESTDAYNAME4 0x0063
#define LOCALE_SSHORTESTDAYNAME5 0x0064
#define LOCALE_SSHORTESTDAYNAME6 0x0065
#define LOCALE_SSHORTESTDAYNAME7 0x0066
#define LOCALE_SMONTHDAY 0x0078
#define LOCALE_SSHORTTIME 0x0079
#define LOCALE_SENGLISHLANGUAGENAME 0x1001
#define LOCALE_SENGLANGUAGE 0x1001
#define LOCALE_SENGLISHCOUNTRYNAME 0x1002
#define LOCALE_SENGCOUNTRY 0x1002
#define LOCALE_STIMEFORMAT 0x1003
#define LOCALE_IDEFAULTANSICODEPAGE 0x1004
#define LOCALE_ITIMEMARKPOSN 0x1005
#define LOCALE_SYEARMONTH 0x1006
#define LOCALE_ICALENDARTYPE 0x1009
#define LOCALE_IFIRSTDAYOFWEEK 0x100c
#define LOCALE_IFIRSTWEEKOFYEAR 0x100d
#define LOCALE_INEGNUMBER 0x1010
#define LOCALE_IDEFAULTMACCODEPAGE 0x1011

/* GetDateFormat's flags */
#define DATE_SHORTDATE 0x00000001
#define DATE_LONGDATE 0x00000002
#define DATE_USE_ALT_CALENDAR 0x00000004
#define DATE_YEARMONTH 0x00000008
#define DATE_LTRREADING 0x00000010
#define DATE_RTLREADING 0x00000020
#define DATE_AUTOLAYOUT 0x00000040
#define DATE_MONTHDAY 0x00000080

/* GetTimeFormat's flags */
#define TIME_NOMINUTESORSECONDS 0x00000001
#define TIME_NOSECONDS 0x00000002
#define TIME_NOTIMEMARKER 0x00000004
#define TIME_FORCE24HOURFORMAT 0x00000008

OVERLAPPED_API UINT WINAPI GetACP(void);
OVERLAPPED_API UINT WINAPI GetOEMCP(void);
OVERLAPPED_API BOOL WINAPI IsValidCodePage(UINT CodePage);
OVERLAPPED_API BOOL WINAPI GetCPInfo(UINT CodePage, LPCPINFO lpCPInfo);
OVERLAPPED_API BOOL WINAPI GetCPInfoExA(UINT CodePage, DWORD dwFlags, LPCPINFOEXA lpCPInfoEx);
OVERLAPPED_API BOOL WINAPI GetCPInfoExW(UINT CodePage, DWORD dwFlags, LPCPINFOEXW lpCPInfoEx);
/* Whether `TestChar` is a lead byte of a double-byte code page: never for the code pages
 * the library has (UTF-8 and single-byte ones); IsDBCSLeadByte asks CP_ACP. An unknown
 * code page: FALSE with ERROR_INVALID_PARAMETER. */
OVERLAPPED_API BOOL WINAPI IsDBCSLeadByte(BYTE TestChar);
OVERLAPPED_API BOOL WINAPI IsDBCSLeadByteEx(UINT CodePage, BYTE TestChar);

OVERLAPPED_API int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte,
                                              LPWSTR lpWideCharStr, int cchWideChar);
OVERLAPPED_API int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar,
                                              LPSTR lpMultiByteStr, int cbMultiByte, LPCSTR lpDefaultChar,
                                              LPBOOL lpUsedDefaultChar);

struct _SYSTEMTIME;

OVERLAPPED_API LCID WINAPI GetUserDefaultLCID(void);
OVERLAPPED_API LCID WINAPI GetSystemDefaultLCID(void);
OVERLAPPED_API LCID WINAPI GetThreadLocale(void);
OVERLAPPED_API LANGID WINAPI GetUserDefaultLangID(void);
OVERLAPPED_API LANGID WINAPI GetSystemDefaultLangID(void);
OVERLAPPED_API LANGID WINAPI GetUserDefaultUILanguage(void);
OVERLAPPED_API LANGID WINAPI GetSystemDefaultUILanguage(void);
OVERLAPPED_API int WINAPI GetUserDefaultLocaleName(LPWSTR lpLocaleName, int cchLocaleName);
OVERLAPPED_API int WINAPI GetSystemDefaultLocaleName(LPWSTR lpLocaleName, int cchLocaleName);
OVERLAPPED_API BOOL WINAPI IsValidLocale(LCID Locale, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI IsValidLocaleName(LPCWSTR lpLocaleName);
OVERLAPPED_API LCID WINAPI LocaleNameToLCID(LPCWSTR lpName, DWORD dwFlags);
OVERLAPPED_API int WINAPI LCIDToLocaleName(LCID Locale, LPWSTR lpName, int cchName, DWORD dwFlags);

OVERLAPPED_API int WINAPI GetLocaleInfoA(LCID Locale, LCTYPE LCType, LPSTR lpLCData, int cchData);
OVERLAPPED_API int WINAPI GetLocaleInfoW(LCID Locale, LCTYPE LCType, LPWSTR lpLCData, int cchData);
OVERLAPPED_API int WINAPI GetLocaleInfoEx(LPCWSTR lpLocaleName, LCTYPE LCType, LPWSTR lpLCData, int cchData);

OVERLAPPED_API int WINAPI GetDateFormatA(LCID Locale, DWORD dwFlags, const struct _SYSTEMTIME *lpDate, LPCSTR lpFormat,
                                         LPSTR lpDateStr, int cchDate);
OVERLAPPED_API int WINAPI GetDateFormatW(LCID Locale, DWORD dwFlags, const struct _SYSTEMTIME *lpDate, LPCWSTR lpFormat,
                                         LPWSTR lpDateStr, int cchDate);
OVERLAPPED_API int WINAPI GetDateFormatEx(LPCWSTR lpLocaleName, DWORD dwFlags, const struct _SYSTEMTIME *lpDate,
                                          LPCWSTR lpFormat, LPWSTR lpDateStr, int cchDate, LPCWSTR lpCalendar);
OVERLAPPED_API int WINAPI GetTimeFormatA(LCID Locale, DWORD dwFlags, const struct _SYSTEMTIME *lpTime, LPCSTR lpFormat,
                                         LPSTR lpTimeStr, int cchTime);
OVERLAPPED_API int WINAPI GetTimeFormatW(LCID Locale, DWORD dwFlags, const struct _SYSTEMTIME *lpTime, LPCWSTR lpFormat,
                                         LPWSTR lpTimeStr, int cchTime);
OVERLAPPED_API int WINAPI GetTimeFormatEx(LPCWSTR lpLocaleName, DWORD dwFlags, const struct _SYSTEMTIME *lpTime,
                                          LPCWSTR lpFormat, LPWSTR lpTimeStr, int cchTime);

#ifdef UNICODE
#define GetLocaleInfo GetLocaleInfoW
#define GetDateFormat GetDateFormatW
#define GetTimeFormat GetTimeFormatW
#else
#define GetLocaleInfo GetLocaleInfoA
#define GetDateFormat GetDateFormatA
#define GetTimeFormat GetTimeFormatA
#endif

/* Comparing and mapping strings. There is one collation, Windows' default table for Latin
 * text (docs/win32-status.md), whatever the locale; LCIDs and locale names are accepted
 * as given. */
typedef struct _nlsversioninfo {
    DWORD dwNLSVersionInfoSize;
    DWORD dwNLSVersion;
    DWORD dwDefinedVersion;
    DWORD dwEffectiveId;
    GUID guidCustomVersion;
} NLSVERSIONINFO, *LPNLSVERSIONINFO;

#define CSTR_LESS_THAN 1
#define CSTR_EQUAL 2
#define CSTR_GREATER_THAN 3

#define NORM_IGNORECASE 0x00000001
#define NORM_IGNORENONSPACE 0x00000002
#define NORM_IGNORESYMBOLS 0x00000004
#define SORT_DIGITSASNUMBERS 0x00000008
#define LINGUISTIC_IGNORECASE 0x00000010
#define LINGUISTIC_IGNOREDIACRITIC 0x00000020
#define SORT_STRINGSORT 0x00001000
#define NORM_IGNOREKANATYPE 0x00010000
#define NORM_IGNOREWIDTH 0x00020000
#define NORM_LINGUISTIC_CASING 0x08000000

#define LCMAP_LOWERCASE 0x00000100
#define LCMAP_UPPERCASE 0x00000200
#define LCMAP_SORTKEY 0x00000400
#define LCMAP_BYTEREV 0x00000800
#define LCMAP_LINGUISTIC_CASING 0x01000000

/* CompareString: CSTR_LESS_THAN, CSTR_EQUAL or CSTR_GREATER_THAN, 0 on an error; the
 * case, diacritic, symbol, string-sort and digits-as-numbers flags change the order, the
 * other valid flags (and LOCALE_USE_CP_ACP) are accepted. */
OVERLAPPED_API int WINAPI CompareStringA(LCID Locale, DWORD dwCmpFlags, LPCSTR lpString1, int cchCount1,
                                         LPCSTR lpString2, int cchCount2);
OVERLAPPED_API int WINAPI CompareStringW(LCID Locale, DWORD dwCmpFlags, LPCWSTR lpString1, int cchCount1,
                                         LPCWSTR lpString2, int cchCount2);
OVERLAPPED_API int WINAPI CompareStringEx(LPCWSTR lpLocaleName, DWORD dwCmpFlags, LPCWSTR lpString1, int cchCount1,
                                          LPCWSTR lpString2, int cchCount2, LPNLSVERSIONINFO lpVersionInformation,
                                          LPVOID lpReserved, LPARAM lParam);
OVERLAPPED_API int WINAPI CompareStringOrdinal(LPCWSTR lpString1, int cchCount1, LPCWSTR lpString2, int cchCount2,
                                               BOOL bIgnoreCase);
/* LCMapString: LCMAP_UPPERCASE and LCMAP_LOWERCASE (Unicode's simple case pairs that map
 * back; with LCMAP_LINGUISTIC_CASING every simple mapping); other mappings fail with
 * ERROR_INVALID_FLAGS. */
OVERLAPPED_API int WINAPI LCMapStringA(LCID Locale, DWORD dwMapFlags, LPCSTR lpSrcStr, int cchSrc, LPSTR lpDestStr,
                                       int cchDest);
OVERLAPPED_API int WINAPI LCMapStringW(LCID Locale, DWORD dwMapFlags, LPCWSTR lpSrcStr, int cchSrc, LPWSTR lpDestStr,
                                       int cchDest);
OVERLAPPED_API int WINAPI LCMapStringEx(LPCWSTR lpLocaleName, DWORD dwMapFlags, LPCWSTR lpSrcStr, int cchSrc,
                                        LPWSTR lpDestStr, int cchDest, LPNLSVERSIONINFO lpVersionInformation,
                                        LPVOID lpReserved, LPARAM sortHandle);

#ifdef UNICODE
typedef CPINFOEXW CPINFOEX;
typedef LPCPINFOEXW LPCPINFOEX;
#define GetCPInfoEx GetCPInfoExW
#define CompareString CompareStringW
#define LCMapString LCMapStringW
#else
typedef CPINFOEXA CPINFOEX;
typedef LPCPINFOEXA LPCPINFOEX;
#define GetCPInfoEx GetCPInfoExA
#define CompareString CompareStringA
#define LCMapString LCMapStringA
#endif

OVERLAPPED_END_C

#endif
