/* test_strings_misc.c: what Windows samples take from windows.h beside the system calls:
 * lstr*, wsprintf, the C run-time's _snprintf family, GetVersion(Ex), the memory macros,
 * <tchar.h>; and the standard handles on redirected output (GetStdHandle, SetStdHandle,
 * GetFileType, GetConsoleMode, WriteConsole, WriteFile). Sources:
 * docs/research/windows-console-strings.md. */
#include "testlib.h"

#include <stdarg.h>
#include <tchar.h>
#include <shellapi.h>
#include <versionhelpers.h>

static void widen(WCHAR *out, const char *in)
{
    while ((*out++ = (WCHAR)(unsigned char)*in++) != 0) {
    }
}

static int wide_is(const WCHAR *w, const char *a)
{
    while (*a != 0)
        if (*w++ != (WCHAR)(unsigned char)*a++) return 0;
    return *w == 0;
}

static void test_lstr(void)
{
    char a[16];
    WCHAR w[16], x[16];

    TEST("lstrlenA/W: the length, the last error untouched; NULL is 0");
    SetLastError(0xdeadbeef);
    CHECK_EQ(lstrlenA("abc"), 3);
    CHECK_EQ(lstrlenA(""), 0);
    widen(w, "abcd");
    CHECK_EQ(lstrlenW(w), 4);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(lstrlenA(NULL), 0);
    CHECK_EQ(lstrlenW(NULL), 0);
    CHECK_EQ(lstrlenA((LPCSTR)(UINT_PTR)1), 0); /* a bad pointer: the fault is caught */
    CHECK_EQ(lstrlenW((LPCWSTR)(UINT_PTR)0x1234), 0);

    TEST("lstrcpyA/W, lstrcatA/W: return the destination");
    memset(a, 0xcc, sizeof a);
    CHECK(lstrcpyA(a, "abc") == a);
    CHECK(strcmp(a, "abc") == 0);
    CHECK(lstrcatA(a, "def") == a);
    CHECK(strcmp(a, "abcdef") == 0);
    widen(x, "xy");
    CHECK(lstrcpyW(w, x) == w);
    CHECK(wide_is(w, "xy"));
    CHECK(lstrcatW(w, x) == w);
    CHECK(wide_is(w, "xyxy"));

    TEST("lstrcpynA/W: iMaxLength characters including the terminator");
    memset(a, 0xcc, sizeof a);
    CHECK(lstrcpynA(a, "abcdef", 4) == a);
    CHECK(strcmp(a, "abc") == 0);
    CHECK(lstrcpynA(a, "ab", 10) == a);
    CHECK(strcmp(a, "ab") == 0);
    CHECK(lstrcpynA(a, "abcdef", 1) == a);
    CHECK_EQ(a[0], 0);
    widen(x, "abcdef");
    CHECK(lstrcpynW(w, x, 3) == w);
    CHECK(wide_is(w, "ab"));
    memset(a, 0xcc, sizeof a);
    CHECK(lstrcpynA(a, "abc", 0) == a); /* nothing written, not even the terminator */
    CHECK_EQ((unsigned char)a[0], 0xcc);

    TEST("lstrcpy/lstrcpyn/lstrcat: a NULL or bad pointer gives NULL (no crash)");
    CHECK(lstrcpyA(NULL, "abc") == NULL);
    CHECK(lstrcpyA(a, NULL) == NULL);
    CHECK(lstrcpynA(NULL, "abc", 5) == NULL);
    CHECK(lstrcatA(NULL, "abc") == NULL);
    CHECK(lstrcatW(w, NULL) == NULL);
    CHECK(lstrcpyA((LPSTR)(UINT_PTR)0x10, "abc") == NULL);
    CHECK(lstrcatA(a, (LPCSTR)(UINT_PTR)0x20) == NULL);

    TEST("lstrcmpA/W: case-sensitive, -1/0/1, word sort");
    SetLastError(0xdeadbeef);
    CHECK_EQ(lstrcmpA("abc", "abc"), 0);
    CHECK_EQ(lstrcmpA("abc", "abd"), -1);
    CHECK_EQ(lstrcmpA("abd", "abc"), 1);
    CHECK_EQ(lstrcmpA("ab", "abc"), -1);
    CHECK(lstrcmpA("hello", "HELLO") != 0);
    CHECK_EQ(lstrcmpA("a", "B"), -1); /* linguistic: alphabetical whatever the case */
    CHECK_EQ(lstrcmpA("B", "a"), 1);
    /* The word sort keeps "coop" and "co-op" together: co-op sorts between coo and cop. */
    CHECK(lstrcmpA("coop", "co-op") != 0);
    CHECK_EQ(lstrcmpA("co-op", "cop"), -1);
    CHECK_EQ(lstrcmpA("co-op", "coo"), 1);
    CHECK_ERROR(0xdeadbeef);
    widen(w, "abc");
    widen(x, "abd");
    CHECK_EQ(lstrcmpW(w, x), -1);
    CHECK_EQ(lstrcmpW(x, w), 1);
    CHECK_EQ(lstrcmpW(w, w), 0);

    TEST("lstrcmpiA/W: case-insensitive");
    CHECK_EQ(lstrcmpiA("HELLO", "hello"), 0);
    CHECK_EQ(lstrcmpiA("abc", "ABD"), -1);
    CHECK_EQ(lstrcmpiA("b", "A"), 1);
    widen(w, "MiXeD");
    widen(x, "mixed");
    CHECK_EQ(lstrcmpiW(w, x), 0);
    CHECK(lstrcmpW(w, x) != 0);

    TEST("the generic names follow UNICODE (here: the A functions)");
    CHECK_EQ(lstrlen(TEXT("four")), 4);
    CHECK_EQ(lstrcmpi(TEXT("X"), TEXT("x")), 0);
}

static void test_compare_string(void)
{
    TEST("CompareStringW: CSTR_* values, the word sort, lengths");
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a", -1, L"B", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"A", -1, L"a", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"", -1, L"", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"abc", 2, L"abd", 2), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"abc", 2, L"ab", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"ab", -2, L"ab", -1), CSTR_EQUAL); /* any negative: terminated */
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a\0b", 3, L"a", 1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a\0b", 3, L"ab", 2), CSTR_EQUAL); /* NUL weighs nothing */
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"co-op", -1, L"coop", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a\x0001" L"b", -1, L"ab", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a\x00ad" L"b", -1, L"ab", -1), CSTR_EQUAL); /* soft hyphen */
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"co-op", -1, L"cop", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"_", -1, L"1", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"a2", -1, L"a10", -1), CSTR_GREATER_THAN);

    TEST("CompareStringW: symbols in Windows' order, not ASCII's");
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"+", -1, L"_", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"<", -1, L"~", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"$", -1, L"\x20ac", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x20ac", -1, L"+", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x20ac", -1, L"1", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\t", -1, L" ", -1), CSTR_GREATER_THAN);

    TEST("CompareStringW: accented letters sort with their base letter");
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00e4", -1, L"b", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00e9", -1, L"f", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"e", -1, L"\x00e9", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00e9", -1, L"\x00e8", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00e4", -1, L"\x00c4", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00e9" L"a", -1, L"eb", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"ss", -1, L"\x00df", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"ae", -1, L"\x00e6", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00f0", -1, L"\x0111", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"Z", -1, L"\x00e9", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"1", -1, L"\x00b2", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"\x00b2", -1, L"3", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, L"z", -1, L"\x03b1", -1), CSTR_LESS_THAN);

    TEST("CompareStringW: the flags");
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORECASE, L"A", -1, L"a", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, LINGUISTIC_IGNORECASE, L"A", -1, L"a", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORECASE, L"\x00e4", -1, L"\x00c4", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORENONSPACE, L"e", -1, L"\x00e9", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORESYMBOLS, L"a.b!c", -1, L"abc", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORESYMBOLS, L"a b-c", -1, L"abc", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, SORT_STRINGSORT, L"co-op", -1, L"coop", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, SORT_STRINGSORT, L"a-b", -1, L"a b", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, SORT_DIGITSASNUMBERS, L"a2", -1, L"a10", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, SORT_DIGITSASNUMBERS, L"a10b", -1, L"a9c", -1), CSTR_GREATER_THAN);

    TEST("CompareString: a flag outside the set is ERROR_INVALID_FLAGS, before a NULL string");
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0x100, L"a", -1, L"a", -1), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0x80000000, NULL, -1, L"a", -1), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, 0, NULL, -1, L"a", -1), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringA(LOCALE_USER_DEFAULT, 0, "a", -1, NULL, -1), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringEx(L"en-US", 0x80000000, L"a", -1, L"A", -1, NULL, NULL, 0), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);

    TEST("CompareStringA: SORT_DIGITSASNUMBERS is the W functions' flag only");
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringA(LOCALE_SYSTEM_DEFAULT, SORT_DIGITSASNUMBERS, "NULL", -1, "NULL", -1), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringA(LOCALE_USER_DEFAULT, SORT_DIGITSASNUMBERS | NORM_IGNORECASE, "a2", 2, "a10", 3), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringW(LOCALE_USER_DEFAULT, SORT_DIGITSASNUMBERS, L"NULL", -1, L"NULL", -1), CSTR_EQUAL);
    CHECK_ERROR(0xdeadbeef);

    TEST("CompareStringA/Ex: the same order; the last error untouched on success");
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringA(LOCALE_SYSTEM_DEFAULT, 0, "abc", 2, "ab", 2), CSTR_EQUAL);
    CHECK_EQ(CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, "ABC", -1, "abc", -1), CSTR_EQUAL);
    CHECK_EQ(CompareStringA(LOCALE_USER_DEFAULT, LOCALE_USE_CP_ACP, "a", -1, "B", -1), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringA(LOCALE_USER_DEFAULT, 0, "+", -1, "~", -1), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringEx(NULL, 0, L"a", -1, L"b", -1, NULL, NULL, 0), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringEx(L"en-US", NORM_IGNORECASE, L"a", -1, L"A", -1, NULL, NULL, 0), CSTR_EQUAL);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(lstrcmpA("+", "~"), 1);
    CHECK_EQ(lstrcmpiA("a-b", "A'B"), 1); /* equal but for the hyphen, which weighs more */

    TEST("CompareStringOrdinal: code units, upper case when ignoring case");
    CHECK_EQ(CompareStringOrdinal(L"a", -1, L"B", -1, FALSE), CSTR_GREATER_THAN);
    CHECK_EQ(CompareStringOrdinal(L"a", -1, L"B", -1, TRUE), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringOrdinal(L"_", -1, L"a", -1, FALSE), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringOrdinal(L"_", -1, L"a", -1, TRUE), CSTR_GREATER_THAN); /* '_' > 'A' */
    CHECK_EQ(CompareStringOrdinal(L"ab", -1, L"abc", -1, FALSE), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringOrdinal(L"abc", 2, L"ab", -1, FALSE), CSTR_EQUAL);
    CHECK_EQ(CompareStringOrdinal(L"a\0b", 3, L"a\0c", 3, FALSE), CSTR_LESS_THAN);
    CHECK_EQ(CompareStringOrdinal(L"a", -1, L"A", -1, 2), CSTR_EQUAL); /* any nonzero is TRUE */
    CHECK_EQ(CompareStringOrdinal(L"\x00e4", -1, L"\x00c4", -1, TRUE), CSTR_EQUAL);
    CHECK_EQ(CompareStringOrdinal(L"\x00ff", -1, L"\x0178", -1, TRUE), CSTR_EQUAL);
    CHECK_EQ(CompareStringOrdinal(L"\x0131", -1, L"I", -1, TRUE), CSTR_GREATER_THAN); /* no simple pair */
    CHECK_EQ(CompareStringOrdinal(L"\x00df", -1, L"SS", -1, TRUE), CSTR_GREATER_THAN);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringOrdinal(NULL, 0, L"a", -1, FALSE), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(CompareStringOrdinal(L"a", -1, NULL, 0, FALSE), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static void test_case_mapping(void)
{
    WCHAR w[16];
    char a[16];

    TEST("LCMapStringW: upper and lower case, the buffer rules");
    memset(w, 0, sizeof w);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", -1, w, 16), 4);
    CHECK(wide_is(w, "ABC"));
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", -1, w, 0), 4); /* the size */
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", -1, NULL, 0), 4);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", 3, w, 0), 3);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_LOWERCASE, L"\x00c4\x0178Z", -1, w, 16), 4);
    CHECK(w[0] == 0xe4 && w[1] == 0xff && w[2] == 'z' && w[3] == 0);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"\x00df\x00e4\x0131i", -1, w, 16), 5);
    CHECK(w[0] == 0xdf && w[1] == 0xc4 && w[2] == 0x131 && w[3] == 'I'); /* sharp s and dotless i stay */
    widen(w, "xYz");
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, w, -1, w, 16), 4); /* in place */
    CHECK(wide_is(w, "XYZ"));
    CHECK_EQ(LCMapStringEx(L"en-US", LCMAP_LOWERCASE, L"ABC", -1, w, 16, NULL, NULL, 0), 4);
    CHECK(wide_is(w, "abc"));
    CHECK_EQ(LCMapStringA(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, "abc1!", -1, a, 16), 6);
    CHECK(strcmp(a, "ABC1!") == 0);

    TEST("LCMapStringW: LCMAP_LINGUISTIC_CASING takes the case pairs the default table leaves");
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE | LCMAP_LINGUISTIC_CASING, L"\x017f\x0131\x00b5" L"a", -1,
                          w, 16), 5);
    CHECK(w[0] == 'S' && w[1] == 'I' && w[2] == 0x39c && w[3] == 'A' && w[4] == 0); /* long s, dotless i, micro */
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"\x017f\x0131\x00b5" L"a", -1, w, 16), 5);
    CHECK(w[0] == 0x17f && w[1] == 0x131 && w[2] == 0xb5 && w[3] == 'A'); /* the default table keeps them */
    CHECK_EQ(LCMapStringEx(L"en-US", LCMAP_LOWERCASE | LCMAP_LINGUISTIC_CASING, L"\x0130\x03a3Q", 3, w, 16, NULL,
                           NULL, 0), 3);
    CHECK(w[0] == 'i' && w[1] == 0x3c3 && w[2] == 'q');
    CHECK_EQ(LCMapStringA(LOCALE_USER_DEFAULT, LCMAP_LOWERCASE | LCMAP_LINGUISTIC_CASING, "AbC", 3, a, 16), 3);
    CHECK(memcmp(a, "abc", 3) == 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_LINGUISTIC_CASING, L"abc", -1, w, 16), 0); /* alone */
    CHECK_ERROR(ERROR_INVALID_FLAGS);

    TEST("LCMapString: bad lengths, buffers and flags");
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", 0, w, 16), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", -1, w, 3), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, L"abc", -1, w, -1), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE, NULL, -1, w, 16), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringW(LOCALE_USER_DEFAULT, LCMAP_UPPERCASE | LCMAP_LOWERCASE, L"abc", -1, w, 16), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LCMapStringA(LOCALE_USER_DEFAULT, 0, "abc", -1, a, 16), 0);
    CHECK_ERROR(ERROR_INVALID_FLAGS);

    TEST("CharUpper/CharLower: a character in the low word, or a string in place");
    CHECK_EQ((UINT_PTR)CharUpperA((LPSTR)(UINT_PTR)'a'), 'A');
    CHECK_EQ((UINT_PTR)CharUpperA((LPSTR)(UINT_PTR)'1'), '1');
    CHECK_EQ((UINT_PTR)CharLowerA((LPSTR)(UINT_PTR)'Q'), 'q');
    CHECK_EQ((UINT_PTR)CharUpperW((LPWSTR)(UINT_PTR)0xe4), 0xc4);
    CHECK_EQ((UINT_PTR)CharLowerW((LPWSTR)(UINT_PTR)0x178), 0xff);
    strcpy(a, "Hello, World");
    CHECK(CharUpperA(a) == a);
    CHECK(strcmp(a, "HELLO, WORLD") == 0);
    widen(w, "MiXeD");
    CHECK(CharLowerW(w) == w);
    CHECK(wide_is(w, "mixed"));

    TEST("CharUpperBuff/CharLowerBuff: exactly the count given");
    strcpy(a, "Hello, World");
    CHECK_EQ(CharLowerBuffA(a, 3), 3);
    CHECK(strcmp(a, "hello, World") == 0);
    CHECK_EQ(CharUpperBuffA(a, 0), 0);
    CHECK(strcmp(a, "hello, World") == 0);
    w[0] = 0xe4;
    w[1] = 'x';
    w[2] = 'y';
    CHECK_EQ(CharUpperBuffW(w, 2), 2);
    CHECK(w[0] == 0xc4 && w[1] == 'X' && w[2] == 'y');

    TEST("CharNext/CharPrev: one unit, stopping at the terminator and at the start");
    strcpy(a, "ab");
    CHECK(CharNextA(a) == a + 1);
    CHECK(CharNextA(a + 2) == a + 2);
    CHECK(CharPrevA(a, a + 2) == a + 1);
    CHECK(CharPrevA(a, a) == a);
    widen(w, "xy");
    CHECK(CharNextW(w) == w + 1);
    CHECK(CharNextW(w + 2) == w + 2);
    CHECK(CharPrevW(w, w + 1) == w);
    CHECK(CharPrevW(w, w) == w);

    TEST("IsCharAlpha/AlphaNumeric/Upper/Lower");
    CHECK(IsCharAlphaA('a') && !IsCharAlphaA('1') && !IsCharAlphaA('_'));
    CHECK(IsCharAlphaNumericA('1') && !IsCharAlphaNumericA('_'));
    CHECK(IsCharUpperA('A') && !IsCharUpperA('a') && IsCharLowerA('a') && !IsCharLowerA('1'));
    CHECK(IsCharAlphaW(0xe4) && IsCharUpperW(0xc4) && IsCharLowerW(0xe4) && IsCharAlphaW(0x3b1));
    CHECK(!IsCharAlphaW(0x20ac) && !IsCharAlphaW(0x300) && IsCharAlphaW(0x4e00));
    CHECK(IsCharAlphaNumericW(0x661) && IsCharAlphaNumericW(0xb2));
}

static int vsnprintf_wrapper(char *buffer, size_t count, const char *format, ...)
{
    va_list args;
    int n;
    va_start(args, format);
    n = _vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

static int wvsprintf_wrapper(char *buffer, const char *format, ...)
{
    va_list args;
    int n;
    va_start(args, format);
    n = wvsprintfA(buffer, format, args);
    va_end(args);
    return n;
}

static void test_formatting(void)
{
    char a[64];
    WCHAR w[64], format[32], wide[8];

    TEST("wsprintfA/W: characters stored, terminator excluded");
    CHECK_EQ(wsprintfA(a, "%d-%s-%u-%x-%c", -7, "str", 7u, 255, 'z'), 13);
    CHECK(strcmp(a, "-7-str-7-ff-z") == 0);
    widen(wide, "wide");
    CHECK_EQ(wsprintfA(a, "%S|%ls|%lu", wide, wide, (DWORD)4000000000u), 20);
    CHECK(strcmp(a, "wide|wide|4000000000") == 0);
    CHECK_EQ(wvsprintf_wrapper(a, "[%5s]", "ab"), 7);
    CHECK(strcmp(a, "[   ab]") == 0);
    widen(format, "%s=%d|%S");
    CHECK_EQ(wsprintfW(w, format, wide, 3, "n"), 8);
    CHECK(wide_is(w, "wide=3|n"));

    TEST("wsprintfA/W: only user32's fields; any other character prints as itself, taking no argument");
    CHECK_EQ(wsprintfA(a, "%e|%f|%o|%d", 5, 6), 7); /* no floating point, no octal */
    CHECK(strcmp(a, "e|f|o|5") == 0);
    CHECK_EQ(wsprintfA(a, "%+d|% d|%*d|%d", 7, 8), 10); /* no '+' or ' ' flag, no '*' width */
    CHECK(strcmp(a, "+d| d|*d|7") == 0);
    CHECK_EQ(wsprintfA(a, "%.*s%s", "ab"), 4);
    CHECK(strcmp(a, "*sab") == 0);
    CHECK_EQ(wsprintfA(a, "%lld|%zd|%Lx|%u", 3u), 10); /* ll, z, L are no sizes */
    CHECK(strcmp(a, "ld|zd|Lx|3") == 0);
    CHECK_EQ(wsprintfA(a, "%0-5d|%#-4x|%d", 1), 9); /* the flags in the order "-#0" only */
    CHECK(strcmp(a, "-5d|-4x|1") == 0);
    widen(format, "%e%d%+d");
    CHECK_EQ(wsprintfW(w, format, 4), 4);
    CHECK(wide_is(w, "e4+d"));

    TEST("wsprintfA: a number's precision 0 is 1; '0' pads whatever the precision; '#' prefixes 0 too");
    CHECK_EQ(wsprintfA(a, "[%.0d][%.0u][%.0x][%.d]", 0, 0, 0, 0), 12);
    CHECK(strcmp(a, "[0][0][0][0]") == 0);
    CHECK_EQ(wsprintfA(a, "[%05.3d][%08.3d][%-05d]", 7, -5, 9), 24);
    CHECK(strcmp(a, "[00007][-0000005][9    ]") == 0);
    CHECK_EQ(wsprintfA(a, "[%#x][%#X][%#.3x][%I64X]", 0, 255, 10, (ULONGLONG)1 << 40), 31);
    CHECK(strcmp(a, "[0x0][0XFF][0x00a][10000000000]") == 0);
    WINE_DEVIATION("Wine's wsprintf does not narrow %hd and %hu to a short")
    {
        CHECK_EQ(wsprintfA(a, "%hd|%hu", 70000, 70000), 9);
        CHECK(strcmp(a, "4464|4464") == 0);
    }

    TEST("_snprintf/_vsnprintf: the C run-time's rules for a short buffer");
    memset(a, 'x', sizeof a);
    CHECK_EQ(_snprintf(a, sizeof a, "%d", 42), 2);
    CHECK(strcmp(a, "42") == 0);
    memset(a, 'x', sizeof a);
    CHECK_EQ(_snprintf(a, 4, "%s", "abcd"), 4); /* exactly full: no terminator */
    CHECK(memcmp(a, "abcdx", 5) == 0);
    memset(a, 'x', sizeof a);
    CHECK_EQ(_snprintf(a, 4, "%s", "abcdef"), -1); /* cut: no terminator, negative */
    CHECK(memcmp(a, "abcdx", 5) == 0);
    memset(a, 'x', sizeof a);
    CHECK_EQ(vsnprintf_wrapper(a, 8, "%s|%d", "ab", 1), 4);
    CHECK(strcmp(a, "ab|1") == 0);
    CHECK_EQ(vsnprintf_wrapper(a, 2, "%s", "abc"), -1);

    TEST("_stricmp, _strnicmp, _strdup");
    CHECK_EQ(_stricmp("Hello", "hELLO"), 0);
    CHECK(_stricmp("a", "B") < 0);
    CHECK(_stricmp("b", "A") > 0);
    CHECK_EQ(_strnicmp("ABCx", "abcy", 3), 0);
    CHECK(_strnicmp("ABCx", "abcy", 4) < 0);
    {
        char *copy = _strdup("copied");
        CHECK(copy != NULL && strcmp(copy, "copied") == 0);
        free(copy);
    }
}

static void test_version(void)
{
    OSVERSIONINFOA info;
    OSVERSIONINFOEXA ex;
    OSVERSIONINFOW infow;
    OSVERSIONINFOEXW exw;
    DWORD version;

    TEST("OSVERSIONINFO layouts");
    CHECK_EQ(sizeof(OSVERSIONINFOA), 148);
    CHECK_EQ(sizeof(OSVERSIONINFOEXA), 156);
    CHECK_EQ(sizeof(OSVERSIONINFOW), 276);
    CHECK_EQ(sizeof(OSVERSIONINFOEXW), 284);

    TEST("GetVersionExA: a wrong size fails with ERROR_INSUFFICIENT_BUFFER");
    memset(&info, 0, sizeof info);
    SetLastError(0xdeadbeef);
    CHECK(!GetVersionExA(&info));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    info.dwOSVersionInfoSize = sizeof(OSVERSIONINFOA) / 2;
    SetLastError(0xdeadbeef);
    CHECK(!GetVersionExA(&info));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    info.dwOSVersionInfoSize = sizeof(OSVERSIONINFOA) * 2;
    SetLastError(0xdeadbeef);
    CHECK(!GetVersionExA(&info));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);

    TEST("GetVersionExA/W: NT platform; the last error is not touched");
    info.dwOSVersionInfoSize = sizeof info;
    SetLastError(0xdeadbeef);
    CHECK(GetVersionExA(&info));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(info.dwPlatformId, VER_PLATFORM_WIN32_NT);
    memset(&ex, 0xcc, sizeof ex);
    ex.dwOSVersionInfoSize = sizeof ex;
    CHECK(GetVersionExA((OSVERSIONINFOA *)&ex));
    CHECK_EQ(ex.dwMajorVersion, info.dwMajorVersion);
    CHECK_EQ(ex.dwBuildNumber, info.dwBuildNumber);
    if (ex.wServicePackMajor == 0 && ex.wServicePackMinor == 0) CHECK_EQ(ex.szCSDVersion[0], 0);
    memset(&infow, 0, sizeof infow);
    infow.dwOSVersionInfoSize = sizeof infow;
    CHECK(GetVersionExW(&infow));
    CHECK_EQ(infow.dwMajorVersion, info.dwMajorVersion);
    CHECK_EQ(infow.dwPlatformId, VER_PLATFORM_WIN32_NT);
    memset(&exw, 0, sizeof exw);
    exw.dwOSVersionInfoSize = sizeof exw;
    CHECK(GetVersionExW((OSVERSIONINFOW *)&exw));
    infow.dwOSVersionInfoSize = 3;
    CHECK(!GetVersionExW(&infow));

    TEST("GetVersion: major in the low byte, minor in the next, build in the high word");
    version = GetVersion();
    CHECK_EQ(version & 0xff, info.dwMajorVersion);
    CHECK_EQ((version >> 8) & 0xff, info.dwMinorVersion);
    CHECK_EQ(version >> 16, info.dwBuildNumber & 0xffff);
    CHECK_EQ(version & 0x80000000u, 0); /* NT: the high bit is clear */

    if (!tl_under_wine()) {
        /* The version this library reports (a choice, docs/deviations.md), not a Windows fact. */
        TEST("the library reports Windows 10.0.19045, a workstation");
        CHECK_EQ(info.dwMajorVersion, 10);
        CHECK_EQ(info.dwMinorVersion, 0);
        CHECK_EQ(info.dwBuildNumber, 19045);
        CHECK_EQ(ex.wProductType, VER_NT_WORKSTATION);
        CHECK_EQ(ex.wSuiteMask, VER_SUITE_SINGLEUSERTS);
    }
}

/* VerifyVersionInfo against the version GetVersionEx reports (Wine's kernel32 version test
 * runs the same kind of table on Windows). */
static BOOL verify_against(const OSVERSIONINFOEXA *wanted, DWORD type_mask, DWORD type1, BYTE condition1,
                           DWORD type2, BYTE condition2)
{
    OSVERSIONINFOEXA copy = *wanted;
    ULONGLONG mask = VerSetConditionMask(0, type1, condition1);
    if (type2 != 0) mask = VerSetConditionMask(mask, type2, condition2);
    SetLastError(0xdeadbeef);
    return VerifyVersionInfoA(&copy, type_mask, mask);
}

static void test_verify_version(void)
{
    const DWORD all = VER_MAJORVERSION | VER_MINORVERSION | VER_SERVICEPACKMAJOR | VER_SERVICEPACKMINOR;
    OSVERSIONINFOEXA now, other;

    memset(&now, 0, sizeof now);
    now.dwOSVersionInfoSize = sizeof now;
    CHECK(GetVersionExA((OSVERSIONINFOA *)&now));

    TEST("VerSetConditionMask: three bits a field, the most significant type bit given wins");
    CHECK_EQ(VerSetConditionMask(0, VER_MINORVERSION, VER_EQUAL), 1);
    CHECK_EQ(VerSetConditionMask(0, VER_MAJORVERSION, VER_GREATER_EQUAL), 3 << 3);
    CHECK_EQ(VerSetConditionMask(0, VER_BUILDNUMBER, VER_LESS), 4 << 6);
    CHECK_EQ(VerSetConditionMask(0, VER_SERVICEPACKMAJOR, VER_GREATER), 2 << 15);
    CHECK(VerSetConditionMask(0, VER_PRODUCT_TYPE, VER_EQUAL) == (1ull << 21));
    CHECK_EQ(VerSetConditionMask(0, VER_MAJORVERSION | VER_MINORVERSION, VER_LESS), 4 << 3);
    CHECK_EQ(VerSetConditionMask(1, VER_MAJORVERSION, VER_EQUAL), (1 << 3) | 1);

    TEST("VerifyVersionInfo: the running version matches itself, and an older one with >=");
    CHECK(verify_against(&now, all, VER_MAJORVERSION, VER_GREATER_EQUAL, VER_MINORVERSION, VER_GREATER_EQUAL));
    CHECK(verify_against(&now, VER_MAJORVERSION | VER_MINORVERSION | VER_BUILDNUMBER | VER_PLATFORMID,
                         VER_MAJORVERSION, VER_EQUAL, VER_MINORVERSION, VER_EQUAL) == FALSE);
    CHECK_ERROR(ERROR_OLD_WIN_VERSION); /* the build number and platform have no condition */
    other = now;
    other.dwMajorVersion--;
    other.dwMinorVersion += 5;
    CHECK(verify_against(&other, all, VER_MAJORVERSION, VER_GREATER_EQUAL, VER_MINORVERSION, VER_GREATER_EQUAL));
    other.dwOSVersionInfoSize = 0; /* the size is not looked at */
    CHECK(verify_against(&other, all, VER_MAJORVERSION, VER_GREATER_EQUAL, 0, 0));

    TEST("VerifyVersionInfo: a newer minor version fails >= with ERROR_OLD_WIN_VERSION");
    other = now;
    other.dwMinorVersion++;
    CHECK(!verify_against(&other, all, VER_MAJORVERSION, VER_GREATER_EQUAL, VER_MINORVERSION, VER_GREATER_EQUAL));
    CHECK_ERROR(ERROR_OLD_WIN_VERSION);
    /* after an equal major version >= still rules the minor one: its own < is not used */
    CHECK(!verify_against(&other, all, VER_MAJORVERSION, VER_GREATER_EQUAL, VER_MINORVERSION, VER_LESS));
    CHECK_ERROR(ERROR_OLD_WIN_VERSION);
    /* after an equal major version tested with ==, the minor version's own condition is */
    CHECK(verify_against(&other, all, VER_MAJORVERSION, VER_EQUAL, VER_MINORVERSION, VER_LESS));
    /* VER_AND is no comparison of numbers */
    CHECK(!verify_against(&other, all, VER_MAJORVERSION, VER_AND, VER_MINORVERSION, VER_LESS));
    CHECK_ERROR(ERROR_OLD_WIN_VERSION);

    TEST("VerifyVersionInfo: a field named without a condition fails; an empty suite mask matches");
    memset(&other, 0, sizeof other);
    CHECK(verify_against(&other, VER_MAJORVERSION | VER_MINORVERSION, VER_MAJORVERSION, VER_GREATER_EQUAL, 0, 0));
    CHECK(!verify_against(&other, VER_MAJORVERSION | VER_MINORVERSION | VER_BUILDNUMBER, VER_MAJORVERSION,
                          VER_GREATER_EQUAL, 0, 0));
    CHECK_ERROR(ERROR_OLD_WIN_VERSION);
    CHECK(verify_against(&other, VER_SUITENAME, VER_SUITENAME, VER_AND, 0, 0));
    CHECK(verify_against(&other, VER_SUITENAME, VER_SUITENAME, VER_OR, 0, 0));

    TEST("versionhelpers.h: the running version and the older ones, not a newer one");
    CHECK(IsWindowsVersionOrGreater(HIBYTE(_WIN32_WINNT_WINXP), LOBYTE(_WIN32_WINNT_WINXP), 0));
    CHECK(IsWindowsXPOrGreater());
    CHECK(IsWindowsVistaOrGreater());
    CHECK(IsWindows7OrGreater());
    CHECK(IsWindowsVersionOrGreater((WORD)now.dwMajorVersion, (WORD)now.dwMinorVersion, now.wServicePackMajor));
    CHECK(!IsWindowsVersionOrGreater((WORD)(now.dwMajorVersion + 1), 0, 0));
    CHECK(!IsWindowsVersionOrGreater((WORD)now.dwMajorVersion, (WORD)(now.dwMinorVersion + 1), 0));
    CHECK_EQ(IsWindowsServer(), now.wProductType != VER_NT_WORKSTATION);
    if (!tl_under_wine()) {
        TEST("versionhelpers.h: the library's Windows 10 is Windows 10 or greater, not a server");
        CHECK(IsWindows8Point1OrGreater());
        CHECK(IsWindows10OrGreater());
        CHECK(!IsWindowsServer());
    }
}

/* CommandLineToArgvW: the arguments of `line`, compared with `expected` (strings separated
 * by '|'); argument 0 is checked too. */
static int split_is(const char *line, const char *expected)
{
    WCHAR wide[128];
    int count = -1, i, ok = 1;
    LPWSTR *argv;
    widen(wide, line);
    argv = CommandLineToArgvW(wide, &count);
    if (argv == NULL) return 0;
    for (i = 0; i < count && ok; i++) {
        char one[64];
        const char *bar = strchr(expected, '|');
        size_t n = bar != NULL ? (size_t)(bar - expected) : strlen(expected);
        if (*expected == 0 && bar == NULL) {
            ok = 0;
            break;
        }
        memcpy(one, expected, n);
        one[n] = 0;
        ok = wide_is(argv[i], one);
        expected += bar != NULL ? n + 1 : n;
    }
    if (*expected != 0) ok = 0;
    LocalFree(argv);
    return ok;
}

static void test_command_line_to_argv(void)
{
    WCHAR path[MAX_PATH], empty[1] = {0};
    LPWSTR *argv;
    int count = -1;

    TEST("CommandLineToArgvW: blanks separate; quotes group and vanish");
    CHECK(split_is("prog a b", "prog|a|b"));
    CHECK(split_is("p\t\ta\t ", "p|a"));
    CHECK(split_is("p \"a b\" c", "p|a b|c"));
    CHECK(split_is("p \"\" x", "p||x"));

    TEST("CommandLineToArgvW: the program name ends at the closing quote or a blank, no escapes");
    CHECK(split_is("\"C:\\Program Files\\x.exe\" y", "C:\\Program Files\\x.exe|y"));
    CHECK(split_is("\"a b\"c d", "a b|c|d"));
    CHECK(split_is("a\\\"b c", "a\\\"b|c"));
    CHECK(split_is("  a b", "|a|b"));

    TEST("CommandLineToArgvW: backslashes are halved before a quote; an odd one makes it literal");
    CHECK(split_is("p a\\\\\"b c\" d", "p|a\\b c|d"));
    CHECK(split_is("p a\\\\\\\"b c", "p|a\\\"b|c"));
    CHECK(split_is("p a\\b a\\\\b", "p|a\\b|a\\\\b"));

    TEST("CommandLineToArgvW: inside quotes every third quote of a run is a literal one");
    CHECK(split_is("p \"a\"\"b\" c", "p|a\"b c"));
    CHECK(split_is("p \"a\"\"\"b\" c", "p|a\"b|c"));
    CHECK(split_is("p a\"\"\"b c", "p|a\"b|c"));
    CHECK(split_is("p \"\"\"\" x", "p|\" x"));

    TEST("CommandLineToArgvW: an empty line gives the program's path; one LocalFree frees all");
    CHECK(GetModuleFileNameW(NULL, path, MAX_PATH) > 0);
    argv = CommandLineToArgvW(empty, &count);
    CHECK(argv != NULL);
    if (argv != NULL) {
        CHECK_EQ(count, 1);
        CHECK(lstrcmpW(argv[0], path) == 0);
        CHECK(LocalFree(argv) == NULL);
    }
    argv = CommandLineToArgvW(GetCommandLineW(), &count);
    CHECK(argv != NULL && count == 1);
    if (argv != NULL) LocalFree(argv);

    TEST("CommandLineToArgvW: no count pointer is ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK(CommandLineToArgvW(GetCommandLineW(), NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static void test_memory(void)
{
    unsigned char buffer[16], copy[16];
    int i;

    TEST("ZeroMemory, FillMemory, CopyMemory, MoveMemory (overlapping), SecureZeroMemory");
    memset(buffer, 0xcc, sizeof buffer);
    ZeroMemory(buffer, 8);
    CHECK(buffer[0] == 0 && buffer[7] == 0 && buffer[8] == 0xcc);
    FillMemory(buffer, sizeof buffer, 0x5a);
    CHECK(buffer[0] == 0x5a && buffer[15] == 0x5a);
    for (i = 0; i < 16; ++i) buffer[i] = (unsigned char)i;
    CopyMemory(copy, buffer, sizeof copy);
    CHECK(memcmp(copy, buffer, sizeof copy) == 0);
    MoveMemory(buffer + 1, buffer, 8);
    CHECK(buffer[0] == 0 && buffer[1] == 0 && buffer[2] == 1 && buffer[8] == 7 && buffer[9] == 9);
    CHECK(SecureZeroMemory(copy, sizeof copy) == copy);
    for (i = 0; i < 16; ++i) CHECK_EQ(copy[i], 0);
}

static void test_tchar(void)
{
    TCHAR t[32];
    _TCHAR u[8];

    TEST("<tchar.h> without _UNICODE: the char functions");
    CHECK_EQ(sizeof(TCHAR), 1);
    CHECK_EQ(sizeof(_TCHAR), 1);
    CHECK_EQ(_tcslen(_T("abc")), 3);
    _tcscpy(t, _TEXT("ab"));
    _tcscat(t, _T("cd"));
    CHECK_EQ(_tcscmp(t, _T("abcd")), 0);
    CHECK_EQ(_tcsicmp(t, _T("ABCD")), 0);
    CHECK_EQ(_ttoi(_T("42")), 42);
    CHECK_EQ(_tstoi(_T("-7")), -7);
    CHECK(_tcschr(t, _T('c')) == t + 2);
    _stprintf(t, _T("%d|%s"), 5, _T("x"));
    CHECK_EQ(_tcscmp(t, _T("5|x")), 0);
    CHECK_EQ(_sntprintf(u, 8, _T("%s"), _T("1234")), 4);
    CHECK_EQ(_tcscmp(u, _T("1234")), 0);

    TEST("the C run-time's _s functions: copies and formats that fit; _TRUNCATE cuts");
    CHECK_EQ(_tcscpy_s(t, ARRAYSIZE(t), _T("abc")), 0);
    CHECK_EQ(_tcscat_s(t, ARRAYSIZE(t), _T("de")), 0);
    CHECK_EQ(_tcscmp(t, _T("abcde")), 0);
    CHECK_EQ(strcpy_s(u, sizeof u, "1234567"), 0); /* exactly full with the terminator */
    CHECK_EQ(strcmp(u, "1234567"), 0);
    CHECK_EQ(strncpy_s(u, sizeof u, "abcdef", 3), 0);
    CHECK_EQ(strcmp(u, "abc"), 0);
    CHECK_EQ(strncpy_s(u, sizeof u, "0123456789", _TRUNCATE), STRUNCATE);
    CHECK_EQ(strcmp(u, "0123456"), 0);
    CHECK_EQ(_tcsncpy_s(t, ARRAYSIZE(t), _T("xyz"), _TRUNCATE), 0);
    CHECK_EQ(_tcscmp(t, _T("xyz")), 0);
    CHECK_EQ(_stprintf_s(t, ARRAYSIZE(t), _T("%d-%s-%lu"), 7, _T("q"), (unsigned long)9), 5);
    CHECK_EQ(_tcscmp(t, _T("7-q-9")), 0);
    CHECK_EQ(sprintf_s(u, sizeof u, "%s", "1234567"), 7);
    {
        WCHAR w[8], x[8];
        widen(x, "ab");
        CHECK_EQ(wcscpy_s(w, ARRAYSIZE(w), x), 0);
        CHECK_EQ(wcscat_s(w, ARRAYSIZE(w), x), 0);
        CHECK(wide_is(w, "abab"));
        CHECK_EQ(wcsncpy_s(w, ARRAYSIZE(w), x, 1), 0);
        CHECK(wide_is(w, "a"));
    }
}

static void test_standard_handles(void)
{
    HANDLE out, saved, file, event;
    DWORD mode, written, type;
    char path[MAX_PATH], contents[32];
    WCHAR wide[8];

    TEST("GetStdHandle: the same handle each time, the last error untouched; bad ids fail");
    SetLastError(0xdeadbeef);
    out = GetStdHandle(STD_OUTPUT_HANDLE);
    CHECK(out != INVALID_HANDLE_VALUE);
    CHECK(out != NULL);
    CHECK_ERROR(0xdeadbeef);
    CHECK(GetStdHandle(STD_OUTPUT_HANDLE) == out);
    SetLastError(0xdeadbeef);
    CHECK(GetStdHandle(42) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetStdHandle(42, out));
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("the test's own standard output (a pipe or a file when redirected)");
    type = GetFileType(out);
    CHECK(type == FILE_TYPE_CHAR || type == FILE_TYPE_PIPE || type == FILE_TYPE_DISK);
    SetLastError(0xdeadbeef);
    if (!GetConsoleMode(out, &mode)) {
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
    fflush(stdout);
    CHECK(WriteFile(out, "-- written by WriteFile\n", 24, &written, NULL));
    CHECK_EQ(written, 24);

    TEST("a standard handle redirected to a file: FILE_TYPE_DISK, not a console");
    GetTempPathA(sizeof path, path);
    lstrcatA(path, "ovl_console_redirect.txt");
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    saved = GetStdHandle(STD_OUTPUT_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(SetStdHandle(STD_OUTPUT_HANDLE, file));
    CHECK_ERROR(0xdeadbeef);
    CHECK(GetStdHandle(STD_OUTPUT_HANDLE) == file);
    CHECK_EQ(GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)), FILE_TYPE_DISK);
    mode = 0x12345;
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleMode(file, &mode));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleMode(file, ENABLE_PROCESSED_OUTPUT));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    written = 77;
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleA(file, "console", 7, &written, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(written, 0);
    widen(wide, "wide");
    written = 77;
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleW(file, wide, 4, &written, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(written, 0);
    CHECK(WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "to the file", 11, &written, NULL));
    CHECK_EQ(written, 11);
    CHECK(SetStdHandle(STD_OUTPUT_HANDLE, saved));
    CHECK(GetStdHandle(STD_OUTPUT_HANDLE) == saved);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    memset(contents, 0, sizeof contents);
    CHECK(ReadFile(file, contents, sizeof contents - 1, &written, NULL));
    CHECK_EQ(written, 11);
    CHECK(strcmp(contents, "to the file") == 0);
    CloseHandle(file);
    DeleteFileA(path);

    TEST("GetConsoleMode on a handle that is no file at all");
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleMode(event, &mode));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
}

int _tmain(int argc, _TCHAR *argv[])
{
    (void)argc;
    (void)argv;
    test_lstr();
    test_compare_string();
    test_case_mapping();
    test_formatting();
    test_version();
    test_verify_version();
    test_memory();
    test_tchar();
    test_command_line_to_argv();
    test_standard_handles();
    return tl_finish();
}
