/* test_strsafe.c: <strsafe.h>: every StringCch and StringCb function in A and W form, with
 * the results and HRESULTs Windows gives for a fit, an exact fit, truncation (the cut,
 * terminated result and STRSAFE_E_INSUFFICIENT_BUFFER) and invalid sizes
 * (STRSAFE_E_INVALID_PARAMETER). Sources: docs/research/windows-console-strings.md. */
#include "testlib.h"

#include <stdarg.h>
/* The SDK's strsafe.h turns strcpy & co. into errors unless told not to. */
#define STRSAFE_NO_DEPRECATE
#include <strsafe.h>

/* WCHAR is 16 bits everywhere (wchar_t is not): W strings are built from ASCII. */
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

static void fill(void *buffer, size_t size) { memset(buffer, 0xcc, size); }

static void test_constants(void)
{
    TEST("HRESULT values and the SUCCEEDED/FAILED macros");
    CHECK_EQ((DWORD)STRSAFE_E_INSUFFICIENT_BUFFER, 0x8007007Au);
    CHECK_EQ((DWORD)STRSAFE_E_INVALID_PARAMETER, 0x80070057u);
    CHECK_EQ((DWORD)STRSAFE_E_END_OF_FILE, 0x80070026u);
    CHECK_EQ(STRSAFE_MAX_CCH, 2147483647);
    CHECK(SUCCEEDED(S_OK));
    CHECK(FAILED(STRSAFE_E_INSUFFICIENT_BUFFER));
    CHECK(FAILED(STRSAFE_E_INVALID_PARAMETER));
    CHECK(!FAILED(S_OK));
    CHECK(!SUCCEEDED(STRSAFE_E_INVALID_PARAMETER));
}

static void test_copy(void)
{
    char a[8];
    WCHAR w[8], src[16];

    TEST("StringCchCopyA: fit, exact fit, truncation, size 0, size above STRSAFE_MAX_CCH");
    fill(a, sizeof a);
    SetLastError(0xdeadbeef);
    CHECK_EQ(StringCchCopyA(a, 8, "abc"), S_OK);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(StringCchCopyA(a, 8, "1234567"), S_OK);
    CHECK(strcmp(a, "1234567") == 0);
    fill(a, sizeof a);
    CHECK_EQ(StringCchCopyA(a, 8, "123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "1234567") == 0);
    fill(a, sizeof a);
    CHECK_EQ(StringCchCopyA(a, 1, "x"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_EQ(a[0], 0);
    fill(a, sizeof a);
    CHECK_EQ(StringCchCopyA(a, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ((unsigned char)a[0], 0xcc);
    CHECK_EQ(StringCchCopyA(a, (size_t)STRSAFE_MAX_CCH + 1, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyA(a, 8, ""), S_OK);
    CHECK_EQ(a[0], 0);

    TEST("StringCchCopyW");
    fill(w, sizeof w);
    widen(src, "abc");
    CHECK_EQ(StringCchCopyW(w, 8, src), S_OK);
    CHECK(wide_is(w, "abc"));
    widen(src, "123456789");
    CHECK_EQ(StringCchCopyW(w, 8, src), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(w, "1234567"));
    CHECK_EQ(StringCchCopyW(w, 0, src), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyW(w, (size_t)STRSAFE_MAX_CCH + 1, src), STRSAFE_E_INVALID_PARAMETER);

    TEST("StringCbCopyA/W: sizes in bytes");
    fill(a, sizeof a);
    CHECK_EQ(StringCbCopyA(a, sizeof a, "1234567"), S_OK);
    CHECK(strcmp(a, "1234567") == 0);
    CHECK_EQ(StringCbCopyA(a, 4, "abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_EQ(StringCbCopyA(a, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    fill(w, sizeof w);
    widen(src, "1234567");
    CHECK_EQ(StringCbCopyW(w, sizeof w, src), S_OK);
    CHECK(wide_is(w, "1234567"));
    widen(src, "abcdefgh");
    CHECK_EQ(StringCbCopyW(w, 9, src), STRSAFE_E_INSUFFICIENT_BUFFER); /* 9 bytes: 4 WCHARs */
    CHECK(wide_is(w, "abc"));
    CHECK_EQ(StringCbCopyW(w, 1, src), STRSAFE_E_INVALID_PARAMETER); /* not one whole WCHAR */
}

static void test_copy_n(void)
{
    char a[8];
    WCHAR w[8], src[16];
    static const char unterminated[3] = {'x', 'y', 'z'};

    TEST("StringCchCopyNA: at most cchToCopy characters");
    fill(a, sizeof a);
    CHECK_EQ(StringCchCopyNA(a, 8, "abcdef", 3), S_OK);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_EQ(StringCchCopyNA(a, 8, "ab", 5), S_OK);
    CHECK(strcmp(a, "ab") == 0);
    CHECK_EQ(StringCchCopyNA(a, 8, unterminated, 3), S_OK); /* the source need not be terminated */
    CHECK(strcmp(a, "xyz") == 0);
    CHECK_EQ(StringCchCopyNA(a, 4, "abcdef", 5), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "abc") == 0);
    CHECK_EQ(StringCchCopyNA(a, 4, "abcdef", 3), S_OK); /* exactly what fits */
    CHECK(strcmp(a, "abc") == 0);
    CHECK_EQ(StringCchCopyNA(a, 0, "abc", 1), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyNA(a, (size_t)STRSAFE_MAX_CCH + 1, "abc", 1), STRSAFE_E_INVALID_PARAMETER);

    TEST("StringCchCopyNW");
    widen(src, "abcdef");
    CHECK_EQ(StringCchCopyNW(w, 8, src, 2), S_OK);
    CHECK(wide_is(w, "ab"));
    CHECK_EQ(StringCchCopyNW(w, 3, src, 6), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(w, "ab"));

    TEST("StringCbCopyNA/W: both sizes in bytes");
    CHECK_EQ(StringCbCopyNA(a, sizeof a, "abcdef", 4), S_OK);
    CHECK(strcmp(a, "abcd") == 0);
    CHECK_EQ(StringCbCopyNA(a, 3, "abcdef", 4), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "ab") == 0);
    CHECK_EQ(StringCbCopyNW(w, sizeof w, src, 6), S_OK); /* 6 bytes: 3 WCHARs */
    CHECK(wide_is(w, "abc"));
    CHECK_EQ(StringCbCopyNW(w, 6, src, 12), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(w, "ab"));
}

static void test_cat(void)
{
    char a[8];
    WCHAR w[8], src[16];

    TEST("StringCchCatA: append, exact fit, truncation, unterminated destination");
    strcpy(a, "ab");
    CHECK_EQ(StringCchCatA(a, 8, "cd"), S_OK);
    CHECK(strcmp(a, "abcd") == 0);
    CHECK_EQ(StringCchCatA(a, 8, "efg"), S_OK);
    CHECK(strcmp(a, "abcdefg") == 0);
    strcpy(a, "abc");
    CHECK_EQ(StringCchCatA(a, 6, "defg"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "abcde") == 0);
    memset(a, 'x', sizeof a); /* no terminator within cchDest */
    CHECK_EQ(StringCchCatA(a, 8, "y"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(a[0], 'x');
    strcpy(a, "ab");
    CHECK_EQ(StringCchCatA(a, 0, "y"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCatA(a, (size_t)STRSAFE_MAX_CCH + 1, "y"), STRSAFE_E_INVALID_PARAMETER);
    CHECK(strcmp(a, "ab") == 0);

    TEST("StringCchCatW");
    widen(w, "ab");
    widen(src, "cdefgh");
    CHECK_EQ(StringCchCatW(w, 8, src), STRSAFE_E_INSUFFICIENT_BUFFER); /* 8 characters do not fit in 8 */
    CHECK(wide_is(w, "abcdefg"));
    widen(w, "ab");
    widen(src, "cd");
    CHECK_EQ(StringCchCatW(w, 8, src), S_OK);
    CHECK(wide_is(w, "abcd"));
    widen(src, "efghij");
    CHECK_EQ(StringCchCatW(w, 8, src), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(w, "abcdefg"));

    TEST("StringCbCatA/W");
    strcpy(a, "ab");
    CHECK_EQ(StringCbCatA(a, sizeof a, "cde"), S_OK);
    CHECK(strcmp(a, "abcde") == 0);
    CHECK_EQ(StringCbCatA(a, 7, "fgh"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "abcdef") == 0);
    widen(w, "ab");
    widen(src, "cdefgh");
    CHECK_EQ(StringCbCatW(w, 10, src), STRSAFE_E_INSUFFICIENT_BUFFER); /* 5 WCHARs */
    CHECK(wide_is(w, "abcd"));
    CHECK_EQ(StringCbCatW(w, 1, src), STRSAFE_E_INVALID_PARAMETER);
}

static void test_cat_n(void)
{
    char a[8];
    WCHAR w[8], src[16];

    TEST("StringCchCatNA/W, StringCbCatNA/W: at most N characters appended");
    strcpy(a, "ab");
    CHECK_EQ(StringCchCatNA(a, 8, "cdef", 2), S_OK);
    CHECK(strcmp(a, "abcd") == 0);
    CHECK_EQ(StringCchCatNA(a, 6, "efgh", 3), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(a, "abcde") == 0);
    CHECK_EQ(StringCchCatNA(a, 0, "z", 1), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCatNA(a, (size_t)STRSAFE_MAX_CCH + 1, "z", 1), STRSAFE_E_INVALID_PARAMETER);
    strcpy(a, "ab");
    CHECK_EQ(StringCbCatNA(a, sizeof a, "cdef", 3), S_OK);
    CHECK(strcmp(a, "abcde") == 0);
    widen(w, "ab");
    widen(src, "cdef");
    CHECK_EQ(StringCchCatNW(w, 8, src, 1), S_OK);
    CHECK(wide_is(w, "abc"));
    CHECK_EQ(StringCbCatNW(w, sizeof w, src, 4), S_OK); /* 4 bytes: 2 WCHARs */
    CHECK(wide_is(w, "abccd"));
    CHECK_EQ(StringCbCatNW(w, 12, src, 8), STRSAFE_E_INSUFFICIENT_BUFFER); /* 6 WCHARs */
    CHECK(wide_is(w, "abccd"));
}

static HRESULT vprint_a(char *dest, size_t cch, const char *format, ...)
{
    va_list args;
    HRESULT hr;
    va_start(args, format);
    hr = StringCchVPrintfA(dest, cch, format, args);
    va_end(args);
    return hr;
}

static HRESULT vprint_w(WCHAR *dest, size_t cch, const WCHAR *format, ...)
{
    va_list args;
    HRESULT hr;
    va_start(args, format);
    hr = StringCchVPrintfW(dest, cch, format, args);
    va_end(args);
    return hr;
}

static HRESULT vprint_cb_a(char *dest, size_t cb, const char *format, ...)
{
    va_list args;
    HRESULT hr;
    va_start(args, format);
    hr = StringCbVPrintfA(dest, cb, format, args);
    va_end(args);
    return hr;
}

static HRESULT vprint_cb_w(WCHAR *dest, size_t cb, const WCHAR *format, ...)
{
    va_list args;
    HRESULT hr;
    va_start(args, format);
    hr = StringCbVPrintfW(dest, cb, format, args);
    va_end(args);
    return hr;
}

static void test_printf_a(void)
{
    char a[64], small[8];
    WCHAR wide[8];

    TEST("StringCchPrintfA: conversions by the Microsoft rules");
    widen(wide, "wide");
    SetLastError(0xdeadbeef);
    CHECK_EQ(StringCchPrintfA(a, 64, "%d|%s|%u|%x|%X|%c|%%", -42, "str", 4000000000u, 255, 255, 'q'), S_OK);
    CHECK(strcmp(a, "-42|str|4000000000|ff|FF|q|%") == 0);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(StringCchPrintfA(a, 64, "%S|%ls|%hs", wide, wide, "narrow"), S_OK);
    CHECK(strcmp(a, "wide|wide|narrow") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%lu|%ld", (DWORD)4000000000u, (LONG)-5), S_OK);
    CHECK(strcmp(a, "4000000000|-5") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%I64d|%I64u|%lld", (LONGLONG)-8589934591LL, (ULONGLONG)18446744073709551615ULL,
                              (LONGLONG)1234567890123LL),
             S_OK);
    CHECK(strcmp(a, "-8589934591|18446744073709551615|1234567890123") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "[%5s|%-5s|%.2s|%05d|%+d|%#x]", "ab", "ab", "abcdef", 42, 7, 255), S_OK);
    CHECK(strcmp(a, "[   ab|ab   |ab|00042|+7|0xff]") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%*d|%-*d|%.*s", 4, 1, 3, 2, 1, "xyz"), S_OK);
    CHECK(strcmp(a, "   1|2  |x") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%p", (void *)57), S_OK);
    CHECK(strcmp(a, "0000000000000039") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%#020p", (void *)57), S_OK);
    CHECK(strcmp(a, "  0X0000000000000039") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%04c|%-04c", '1', '1'), S_OK);
    CHECK(strcmp(a, "0001|1   ") == 0);
    CHECK_EQ(StringCchPrintfA(a, 64, "%.3f|%e|%g", 3.14159, 1.5, 0.25), S_OK);
    CHECK(strcmp(a, "3.142|1.500000e+00|0.25") == 0 || strcmp(a, "3.142|1.500000e+000|0.25") == 0);

    TEST("StringCchPrintfA: exact fit, truncation, invalid size");
    CHECK_EQ(StringCchPrintfA(small, 8, "%s", "1234567"), S_OK);
    CHECK(strcmp(small, "1234567") == 0);
    fill(small, sizeof small);
    CHECK_EQ(StringCchPrintfA(small, 8, "%d%s", 123, "456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(small, "1234567") == 0);
    fill(small, sizeof small);
    CHECK_EQ(StringCchPrintfA(small, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ((unsigned char)small[0], 0xcc);
    CHECK_EQ(StringCchPrintfA(small, (size_t)STRSAFE_MAX_CCH + 1, "x"), STRSAFE_E_INVALID_PARAMETER);

    TEST("StringCbPrintfA, StringCchVPrintfA, StringCbVPrintfA");
    CHECK_EQ(StringCbPrintfA(small, 4, "%s", "abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(small, "abc") == 0);
    CHECK_EQ(StringCbPrintfA(small, sizeof small, "%d", 42), S_OK);
    CHECK(strcmp(small, "42") == 0);
    CHECK_EQ(vprint_a(a, 64, "%s=%d", "n", 5), S_OK);
    CHECK(strcmp(a, "n=5") == 0);
    CHECK_EQ(vprint_a(small, 5, "%s", "abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(small, "abcd") == 0);
    CHECK_EQ(vprint_cb_a(small, 3, "%d", 12345), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(small, "12") == 0);
    CHECK_EQ(vprint_cb_a(small, 0, "%d", 1), STRSAFE_E_INVALID_PARAMETER);
}

static void test_printf_w(void)
{
    WCHAR w[64], format[64], wide[8], small[8];

    TEST("StringCchPrintfW: %s and %c take WCHAR, %S and %C char");
    widen(wide, "wide");
    widen(format, "%s|%S|%c|%C|%d|%hs|%ls");
    SetLastError(0xdeadbeef);
    CHECK_EQ(StringCchPrintfW(w, 64, format, wide, "narrow", (WCHAR)'W', 'n', 5, "hs", wide), S_OK);
    CHECK(wide_is(w, "wide|narrow|W|n|5|hs|wide"));
    CHECK_ERROR(0xdeadbeef);
    widen(format, "%lu|%I64d|%5.1s|%p");
    CHECK_EQ(StringCchPrintfW(w, 64, format, (DWORD)4000000000u, (LONGLONG)-1, wide, (void *)255), S_OK);
    CHECK(wide_is(w, "4000000000|-1|    w|00000000000000FF"));

    TEST("StringCchPrintfW: truncation and sizes");
    widen(format, "%s%s");
    CHECK_EQ(StringCchPrintfW(small, 8, format, wide, wide), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(small, "widewid"));
    widen(format, "%s");
    CHECK_EQ(StringCchPrintfW(small, 5, format, wide), S_OK); /* exact fit */
    CHECK(wide_is(small, "wide"));
    CHECK_EQ(StringCchPrintfW(small, 0, format, wide), STRSAFE_E_INVALID_PARAMETER);

    TEST("StringCbPrintfW, StringCchVPrintfW, StringCbVPrintfW");
    widen(format, "%d-%s");
    CHECK_EQ(StringCbPrintfW(small, sizeof small, format, 12, wide), S_OK);
    CHECK(wide_is(small, "12-wide"));
    CHECK_EQ(StringCbPrintfW(small, 8, format, 12, wide), STRSAFE_E_INSUFFICIENT_BUFFER); /* 4 WCHARs */
    CHECK(wide_is(small, "12-"));
    CHECK_EQ(StringCbPrintfW(small, 1, format, 12, wide), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(vprint_w(w, 64, format, 3, wide), S_OK);
    CHECK(wide_is(w, "3-wide"));
    CHECK_EQ(vprint_w(small, 4, format, 3, wide), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(small, "3-w"));
    CHECK_EQ(vprint_cb_w(small, 6, format, 3, wide), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(wide_is(small, "3-"));
}

static void test_length(void)
{
    size_t n;
    WCHAR w[8];

    TEST("StringCchLengthA/W, StringCbLengthA/W");
    n = 99;
    SetLastError(0xdeadbeef);
    CHECK_EQ(StringCchLengthA("abc", 10, &n), S_OK);
    CHECK_EQ(n, 3);
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(StringCchLengthA("abc", 4, &n), S_OK); /* the terminator is the 4th character */
    CHECK_EQ(n, 3);
    CHECK_EQ(StringCchLengthA("abc", 3, &n), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA(NULL, 10, &n), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA("abc", (size_t)STRSAFE_MAX_CCH + 1, &n), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA("abc", 10, NULL), S_OK);
    CHECK_EQ(StringCchLengthA("", 1, &n), S_OK);
    CHECK_EQ(n, 0);

    widen(w, "abcd");
    CHECK_EQ(StringCchLengthW(w, 8, &n), S_OK);
    CHECK_EQ(n, 4);
    CHECK_EQ(StringCchLengthW(w, 4, &n), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthW(NULL, 4, &n), STRSAFE_E_INVALID_PARAMETER);

    CHECK_EQ(StringCbLengthA("abc", 4, &n), S_OK);
    CHECK_EQ(n, 3);
    CHECK_EQ(StringCbLengthA("abc", 3, &n), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCbLengthW(w, sizeof w, &n), S_OK);
    CHECK_EQ(n, 8); /* bytes, terminator excluded */
    CHECK_EQ(StringCbLengthW(w, 8, &n), STRSAFE_E_INVALID_PARAMETER); /* 4 WCHARs: no terminator */
    CHECK_EQ(StringCbLengthW(NULL, 8, &n), STRSAFE_E_INVALID_PARAMETER);
}

static void test_unicode_names(void)
{
    TCHAR t[16];

    TEST("the names without A/W follow UNICODE (here: the A functions)");
    CHECK_EQ(StringCchCopy(t, 16, TEXT("generic")), S_OK);
    CHECK(strcmp(t, "generic") == 0);
    CHECK_EQ(StringCchPrintf(t, 16, TEXT("%d"), 16), S_OK);
    CHECK(strcmp(t, "16") == 0);
}

int main(void)
{
    test_constants();
    test_copy();
    test_copy_n();
    test_cat();
    test_cat_n();
    test_printf_a();
    test_printf_w();
    test_length();
    test_unicode_names();
    return tl_finish();
}
