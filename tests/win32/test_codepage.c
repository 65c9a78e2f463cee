/* test_codepage.c: the code pages and the conversions between them and UTF-16:
 * MultiByteToWideChar, WideCharToMultiByte (lengths, buffers, flags, ill-formed UTF-8 and
 * unpaired surrogates), GetACP/GetOEMCP, IsValidCodePage, GetCPInfo, GetCPInfoExA/W,
 * IsDBCSLeadByte(Ex).
 * Facts: docs/research/windows-code-pages.md (Wine's kernel32 codepage.c and ntdll
 * rtlstr.c tests, ReactOS's MultiByteToWideChar apitest, Microsoft Learn). Checks name
 * CP_UTF8 (or 1252) rather than CP_ACP wherever the answer depends on the code page: the
 * library's ANSI code page is UTF-8, Wine's is 1252. */
#include "testlib.h"

#include <limits.h>
#include <string.h>
#include <windows.h>

static const WCHAR foobarW[] = {'f', 'o', 'o', 'b', 'a', 'r', 0};

/* MultiByteToWideChar(CP_UTF8) of `bytes` (`length` bytes, no terminator) is `expected`
 * (`count` units); with MB_ERR_INVALID_CHARS it fails if `invalid`. */
static void expect_utf16(const char *bytes, int length, const WCHAR *expected, int count, int invalid)
{
    WCHAR out[16];
    memset(out, 0x7f, sizeof(out));
    SetLastError(0xdeadbeef);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, bytes, length, NULL, 0), count);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, bytes, length, out, 16), count);
    CHECK(memcmp(out, expected, count * sizeof(WCHAR)) == 0);
    CHECK_EQ(out[count], 0x7f7f);
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, bytes, length, NULL, 0), invalid ? 0 : count);
    CHECK_ERROR(invalid ? ERROR_NO_UNICODE_TRANSLATION : 0xdeadbeef);
}

static void test_multibyte_to_wide(void)
{
    WCHAR out[16];

    TEST("MultiByteToWideChar: -1 takes the terminator; any negative length is -1; 0 asks the size");
    SetLastError(0xdeadbeef);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "foobar", -1, NULL, 0), 7);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "foobar", -1, out, 0), 7); /* a buffer of 0: still a query */
    memset(out, 'x', sizeof(out));
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "foobar", -2002, out, 10), 7);
    CHECK(memcmp(out, foobarW, sizeof(foobarW)) == 0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "foobar", 3, out, 10), 3); /* no terminator added */
    CHECK_ERROR(0xdeadbeef);

    TEST("MultiByteToWideChar: a short buffer gets what fits and the call fails");
    memset(out, 0x7f, sizeof(out));
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, "foobar", -1, out, 6), ERROR_INSUFFICIENT_BUFFER);
    CHECK(memcmp(out, foobarW, 6 * sizeof(WCHAR)) == 0);
    CHECK_EQ(out[6], 0x7f7f);

    TEST("MultiByteToWideChar: bad buffers and lengths are ERROR_INVALID_PARAMETER");
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, NULL, -1, out, 16), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, "abc", 0, out, 16), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, "abc", -1, NULL, 16), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, "abc", -1, out, -1), ERROR_INVALID_PARAMETER);
    WINE_DEVIATION("Wine converts a buffer onto itself")
    {
        memset(out, 0, sizeof(out));
        /* the same buffer */
        CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, (const char *)out, 1, out, 16), ERROR_INVALID_PARAMETER);
    }

    TEST("MultiByteToWideChar: overlapping but not the same buffers convert");
    {
        char buffer[64];
        const char text[] = "just a test";
        /* the text's terminator lands on the result's terminator */
        size_t at = (sizeof(text) - 1) * (sizeof(WCHAR) - 1);
        memcpy(buffer + at, text, sizeof(text));
        SetLastError(0xdeadbeef);
        CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, buffer + at, -1, (WCHAR *)buffer, 32), (int)sizeof(text));
        CHECK_EQ(((WCHAR *)buffer)[5], 'a');
        CHECK_EQ(((WCHAR *)buffer)[sizeof(text) - 1], 0);
        CHECK_ERROR(0xdeadbeef);
    }

    TEST("MultiByteToWideChar: an unknown code page, then unknown flags");
    CHECK_FAILS(MultiByteToWideChar(12345, 0, "a", 1, out, 16), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MultiByteToWideChar(CP_ACP, 0x10, "a", -1, out, 16), ERROR_INVALID_FLAGS);
    CHECK_FAILS(MultiByteToWideChar(0xdeadbeef, 0x10, "a", 1, out, 16), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MultiByteToWideChar(CP_ACP, 0x10, NULL, -1, out, 16), ERROR_INVALID_PARAMETER);
    WINE_DEVIATION("Wine takes MB_PRECOMPOSED with CP_UTF8")
    {
        CHECK_FAILS(MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED, "a", 1, out, 16), ERROR_INVALID_FLAGS);
    }
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a", 1, out, 16), 1);

    TEST("MultiByteToWideChar: UTF-8 of each length; a character past U+FFFF is a surrogate pair");
    {
        const WCHAR expected[] = {'-',    0x7f,   0x80,   0x7ff,  0x800,  0xd7ff,
                                  0xe000, 0xffff, 0xd83d, 0xde00, 0xdbff, 0xdfff};
        const char text[] = "-\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
                            "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf";
        expect_utf16(text, sizeof(text) - 1, expected, 12, 0);
    }
    WINE_DEVIATION("Wine stores half the pair and reports success")
    {
        memset(out, 0x7f, sizeof(out));
        CHECK_FAILS(MultiByteToWideChar(CP_UTF8, 0, "\xf0\x9f\x98\x80", 4, out, 1), ERROR_INSUFFICIENT_BUFFER);
    }

    TEST("MultiByteToWideChar: ill-formed UTF-8 becomes U+FFFD by Windows' count");
    {
        const WCHAR surrogate[] = {'-', 0xfffd, 0xfffd, '-'};            /* ED A0 80: ED A0, then 80 */
        const WCHAR overlong3[] = {'-', 0xfffd, 0xfffd, '-'};            /* E0 80 80: E0 80, then 80 */
        const WCHAR too_big[] = {'-', 0xfffd, 0xfffd, 0xfffd, '-'};      /* F4 90 80 80: F4 90, 80, 80 */
        const WCHAR overlong2[] = {'-', 0xfffd, 0xfffd, '-'};            /* C0 80: C0 starts nothing */
        const WCHAR five[] = {0xfffd, 0xfffd, 0xfffd, 0xfffd, 0xfffd};   /* F8: no sequence of 5 */
        const WCHAR cut[] = {0xfffd, '-'};                               /* E0 A0 then not a continuation */
        const WCHAR extra[] = {0x800, 0xfffd, '-'};                      /* a continuation too many */
        const WCHAR end[] = {'a', 0xfffd};                               /* cut by the end of the input */
        const WCHAR lone[] = {0xfffd, 0xfffd, 'x'};                      /* continuation bytes alone */
        expect_utf16("-\xed\xa0\x80-", 5, surrogate, 4, 1);
        expect_utf16("-\xe0\x80\x80-", 5, overlong3, 4, 1);
        expect_utf16("-\xf4\x90\x80\x80-", 6, too_big, 5, 1);
        expect_utf16("-\xc0\x80-", 4, overlong2, 4, 1);
        expect_utf16("\xf8\x80\x80\x80\x80", 5, five, 5, 1);
        expect_utf16("\xe0\xa0-", 3, cut, 2, 1);
        expect_utf16("\xe0\xa0\x80\x80-", 5, extra, 3, 1);
        expect_utf16("a\xf0\x9f\x98", 4, end, 2, 1);
        expect_utf16("\x80\xbfx", 3, lone, 3, 1);
    }

    TEST("MultiByteToWideChar: MB_ERR_INVALID_CHARS fills the buffer, a short buffer is reported first");
    memset(out, 0x7f, sizeof(out));
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xc0", 2, out, 16), ERROR_NO_UNICODE_TRANSLATION);
    CHECK_FAILS(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "ab\xc0", 3, out, 1), ERROR_INSUFFICIENT_BUFFER);

    TEST("MultiByteToWideChar: code page 437 by its table, its pictures of control bytes with MB_USEGLYPHCHARS");
    SetLastError(0xdeadbeef);
    CHECK_EQ(MultiByteToWideChar(437, MB_PRECOMPOSED | MB_ERR_INVALID_CHARS, "\x01\x80\xb0\x7f", 4, out, 16), 4);
    CHECK_EQ(out[0], 0x0001);
    CHECK_EQ(out[1], 0x00c7);
    CHECK_EQ(out[2], 0x2591);
    CHECK_EQ(out[3], 0x007f);
    CHECK_EQ(MultiByteToWideChar(437, MB_USEGLYPHCHARS, "\x01\x80\xb0\x7f\x00", 5, out, 16), 5);
    CHECK_EQ(out[0], 0x263a);
    CHECK_EQ(out[1], 0x00c7);
    CHECK_EQ(out[3], 0x2302);
    CHECK_EQ(out[4], 0);
    CHECK_ERROR(0xdeadbeef);

    TEST("MultiByteToWideChar: code page 1252 and 28591 by their tables");
    SetLastError(0xdeadbeef);
    CHECK_EQ(MultiByteToWideChar(1252, MB_ERR_INVALID_CHARS, "\x80\x81\x90\xe9", 4, out, 16), 4);
    CHECK_EQ(out[0], 0x20ac);
    CHECK_EQ(out[1], 0x81); /* undefined in 1252, but a character of the table: not invalid */
    CHECK_EQ(out[2], 0x90);
    CHECK_EQ(out[3], 0xe9);
    CHECK_EQ(MultiByteToWideChar(28591, 0, "\x80\xff", 2, out, 16), 2);
    CHECK_EQ(out[0], 0x80);
    CHECK_EQ(out[1], 0xff);
    CHECK_ERROR(0xdeadbeef);
}

static void test_wide_to_multibyte(void)
{
    char out[16];
    BOOL used;

    TEST("WideCharToMultiByte: -1 takes the terminator; any negative length is -1; 0 asks the size");
    SetLastError(0xdeadbeef);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, NULL, 0, NULL, NULL), 7);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, 0, NULL, NULL), 7);
    memset(out, 'x', sizeof(out));
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, -2002, out, 10, NULL, NULL), 7);
    CHECK(strcmp(out, "foobar") == 0);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, INT_MAX, NULL, NULL), 7);
    CHECK_ERROR(0xdeadbeef);

    TEST("WideCharToMultiByte: a short buffer gets what fits, no terminator, and the call fails");
    memset(out, 'x', sizeof(out));
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, 6, NULL, NULL), ERROR_INSUFFICIENT_BUFFER);
    CHECK(strncmp(out, "foobar", 6) == 0);
    CHECK_EQ(out[6], 'x');
    memset(out, 'x', sizeof(out));
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, 1, NULL, NULL), 0);
    CHECK_EQ(out[0], 'f');
    CHECK_EQ(out[1], 'x');

    TEST("WideCharToMultiByte: bad buffers and lengths are ERROR_INVALID_PARAMETER");
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, NULL, 0, NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, NULL, -1, NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, foobarW, 0, out, 16, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, NULL, 16, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, -1, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(CP_UTF8, 0, foobarW, -1, out, -1000, NULL, NULL), ERROR_INVALID_PARAMETER);

    TEST("WideCharToMultiByte: overlapping buffers convert");
    {
        /* The source two bytes in (WCHAR-aligned, as the W functions take their strings). */
        union { char bytes[64]; WCHAR units[32]; } aligned;
        char *buffer = aligned.bytes;
        memcpy(buffer + 2, foobarW, sizeof(foobarW));
        SetLastError(0xdeadbeef);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, (WCHAR *)(buffer + 2), -1, buffer, sizeof(aligned.bytes), NULL, NULL), 7);
        CHECK(strcmp(buffer, "foobar") == 0);
        CHECK_ERROR(0xdeadbeef);
    }

    TEST("WideCharToMultiByte: an unknown code page, then flags UTF-8 does not take");
    CHECK_FAILS(WideCharToMultiByte(12345, 0, foobarW, -1, out, 16, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(0xdeadbeef, 0x100, foobarW, -1, out, 16, NULL, NULL), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(WideCharToMultiByte(1252, 0x100, foobarW, -1, out, 16, NULL, NULL), ERROR_INVALID_FLAGS);
    WINE_DEVIATION("Wine takes WC_NO_BEST_FIT_CHARS with CP_UTF8")
    {
        CHECK_FAILS(WideCharToMultiByte(CP_UTF8, WC_NO_BEST_FIT_CHARS, foobarW, -1, out, 16, NULL, NULL),
                    ERROR_INVALID_FLAGS);
    }

    TEST("WideCharToMultiByte: UTF-8 takes lpDefaultChar and lpUsedDefaultChar (Windows 10 1709 on)");
    SetLastError(0xdeadbeef);
    used = 7;
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, foobarW, 7, out, 16, "!", &used), 7);
    CHECK_EQ(used, FALSE);
    CHECK_ERROR(0xdeadbeef);

    TEST("WideCharToMultiByte: a surrogate pair is 4 bytes, never stored in part");
    {
        const WCHAR pair[] = {0xd83d, 0xde00, 0};
        const WCHAR each[] = {'-', 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0};
        SetLastError(0xdeadbeef);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, pair, -1, out, 16, NULL, NULL), 5);
        CHECK(strcmp(out, "\xf0\x9f\x98\x80") == 0);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, each, -1, out, 16, NULL, NULL), 13);
        CHECK(strcmp(out, "-\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf") == 0);
        CHECK_ERROR(0xdeadbeef);
        memset(out, 'x', sizeof(out));
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, pair, 2, out, 3, NULL, NULL), 0);
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        CHECK_EQ(out[0], 'x');
    }

    TEST("WideCharToMultiByte: an unpaired surrogate is U+FFFD, or the error with WC_ERR_INVALID_CHARS");
    {
        const WCHAR high[] = {'a', 0xd800, 'z', 0};
        const WCHAR low[] = {'a', 0xdc00, 0};
        SetLastError(0xdeadbeef);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, high, -1, out, 16, NULL, NULL), 6);
        CHECK(strcmp(out, "a\xef\xbf\xbdz") == 0);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, low, -1, out, 16, NULL, NULL), 5);
        CHECK(strcmp(out, "a\xef\xbf\xbd") == 0);
        CHECK_ERROR(0xdeadbeef);
        CHECK_EQ(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, high, -1, NULL, 0, NULL, NULL), 0);
        CHECK_ERROR(ERROR_NO_UNICODE_TRANSLATION);
        CHECK_FAILS(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, high, -1, out, 16, NULL, NULL),
                    ERROR_NO_UNICODE_TRANSLATION);
        /* the short buffer first */
        CHECK_FAILS(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, high, -1, out, 1, NULL, NULL),
                    ERROR_INSUFFICIENT_BUFFER);
    }

    TEST("WideCharToMultiByte: 1252 by its table, the default character for the rest");
    {
        const WCHAR latin = 228, cyrillic = 1088;
        const WCHAR text[] = {'T', 'h', 1088, 'i', 0};
        char c = 0;
        SetLastError(0xdeadbeef);
        used = 7;
        CHECK_EQ(WideCharToMultiByte(1252, 0, &latin, 1, &c, 1, NULL, &used), 1);
        CHECK_EQ((unsigned char)c, 0xe4);
        CHECK_EQ(used, FALSE);
        CHECK_EQ(WideCharToMultiByte(1252, 0, &cyrillic, 1, &c, 1, NULL, &used), 1);
        CHECK_EQ(c, '?');
        CHECK_EQ(used, TRUE);
        CHECK_EQ(WideCharToMultiByte(1252, 0, text, -1, out, 16, "#", &used), 5);
        CHECK(strcmp(out, "Th#i") == 0);
        CHECK_EQ(WideCharToMultiByte(1252, 0, text, -1, NULL, 0, NULL, &used), 5);
        CHECK_EQ(used, TRUE);
        CHECK_ERROR(0xdeadbeef);
        /* a short buffer: the conversion stops before the character it lacks */
        c = 0;
        used = 7;
        CHECK_EQ(WideCharToMultiByte(1252, 0, text, -1, &c, 1, NULL, &used), 0);
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        CHECK_EQ(c, 'T');
        CHECK_EQ(used, FALSE);
        {
            const WCHAR oem[] = {0xc7, 0xe9, 0x2591, 'a', 0};
            CHECK_EQ(WideCharToMultiByte(437, 0, oem, -1, out, 16, NULL, NULL), 5);
            CHECK(strcmp(out, "\x80\x82\xb0" "a") == 0);
        }
        {
            const WCHAR euro = 0x20ac;
            CHECK_EQ(WideCharToMultiByte(1252, 0, &euro, 1, &c, 1, NULL, NULL), 1);
            CHECK_EQ((unsigned char)c, 0x80);
            CHECK_EQ(WideCharToMultiByte(28591, 0, &euro, 1, &c, 1, NULL, &used), 1);
            CHECK_EQ(c, '?');
            CHECK_EQ(used, TRUE);
        }
    }

    TEST("WideCharToMultiByte: WC_COMPOSITECHECK makes a letter and its combining mark one byte");
    {
        const WCHAR pairs[] = {'a', 0x300, 'C', 0x327, 's', 0x30c, 'y', 0x308, 'E', 0x301, 0};
        SetLastError(0xdeadbeef);
        used = 7;
        CHECK_EQ(WideCharToMultiByte(1252, WC_COMPOSITECHECK, pairs, -1, out, 16, NULL, &used), 6);
        CHECK(strcmp(out, "\xe0\xc7\x9a\xff\xc9") == 0);
        CHECK_EQ(used, FALSE);
        CHECK_EQ(WideCharToMultiByte(1252, WC_COMPOSITECHECK | WC_DISCARDNS, pairs, 4, NULL, 0, NULL, NULL), 2);
        CHECK_EQ(WideCharToMultiByte(28591, WC_COMPOSITECHECK | WC_SEPCHARS, pairs, 2, out, 16, NULL, NULL), 1);
        CHECK_EQ((unsigned char)out[0], 0xe0);
        CHECK_EQ(WideCharToMultiByte(437, WC_COMPOSITECHECK | WC_DEFAULTCHAR, pairs, 4, out, 16, NULL, &used), 2);
        CHECK(memcmp(out, "\x85\x80", 2) == 0);
        CHECK_EQ(used, FALSE);
        CHECK_ERROR(0xdeadbeef);
        /* without the flag, or with a letter the pair does not make, two characters */
        CHECK_EQ(WideCharToMultiByte(1252, 0, pairs, 2, NULL, 0, NULL, NULL), 2);
        {
            const WCHAR other[] = {'q', 0x300};
            CHECK_EQ(WideCharToMultiByte(1252, WC_COMPOSITECHECK | WC_DISCARDNS, other, 2, NULL, 0, NULL, NULL), 2);
        }
    }
}

static void test_code_pages(void)
{
    TEST("GetACP, GetOEMCP: code pages the conversions and GetCPInfoEx know");
    UINT acp = GetACP();
    CHECK(IsValidCodePage(acp));
    CHECK(IsValidCodePage(GetOEMCP()));
    if (!tl_under_wine()) {
        /* the library's A strings are UTF-8 (docs/deviations.md); Windows' code pages
         * depend on the system's settings (65001 with "Use Unicode UTF-8") */
        CHECK_EQ(acp, CP_UTF8);
        CHECK_EQ(GetOEMCP(), CP_UTF8);
    }
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, "foobar", -1, NULL, 0), 7);
    CHECK_EQ(MultiByteToWideChar(CP_THREAD_ACP, 0, "foobar", -1, NULL, 0), 7);
    CHECK_EQ(WideCharToMultiByte(CP_OEMCP, 0, foobarW, -1, NULL, 0, NULL, NULL), 7);

    TEST("IsValidCodePage: the code pages, not the names of the system's ones");
    CHECK(IsValidCodePage(CP_UTF8));
    CHECK(IsValidCodePage(437));
    CHECK(IsValidCodePage(1252));
    CHECK(IsValidCodePage(28591));
    CHECK(!IsValidCodePage(CP_ACP));
    CHECK(!IsValidCodePage(CP_OEMCP));
    CHECK(!IsValidCodePage(CP_MACCP));
    CHECK(!IsValidCodePage(CP_THREAD_ACP));
    CHECK(!IsValidCodePage(12345));

    TEST("GetCPInfo, GetCPInfoExA/W");
    CPINFO info;
    CPINFOEXA ex;
    CPINFOEXW exw;
    memset(&info, 0xcc, sizeof(info));
    CHECK(GetCPInfo(CP_UTF8, &info));
    CHECK_EQ(info.MaxCharSize, 4);
    CHECK_EQ(info.DefaultChar[0], '?');
    CHECK_EQ(info.LeadByte[0], 0);
    CHECK(GetCPInfo(1252, &info));
    CHECK_EQ(info.MaxCharSize, 1);
    CHECK(GetCPInfoExA(CP_ACP, 0, &ex));
    CHECK_EQ(ex.CodePage, acp);
    CHECK(ex.CodePageName[0] != 0);
    CHECK(GetCPInfoExW(CP_UTF8, 0, &exw));
    CHECK_EQ(exw.CodePage, CP_UTF8);
    CHECK_EQ(exw.UnicodeDefaultChar, 0xfffd);
    CHECK_EQ(exw.MaxCharSize, 4);
    CHECK(!GetCPInfo(12345, &info));
    CHECK(!GetCPInfo(CP_UTF8, NULL));

    TEST("IsDBCSLeadByte(Ex): no lead bytes in UTF-8 or a single-byte code page; unknown pages fail");
    SetLastError(0xdeadbeef);
    CHECK(!IsDBCSLeadByteEx(CP_UTF8, 0x81));
    CHECK(!IsDBCSLeadByteEx(CP_UTF8, 0xe3));
    CHECK(!IsDBCSLeadByteEx(1252, 0x81));
    CHECK(!IsDBCSLeadByteEx(437, 0xc1));
    CHECK(!IsDBCSLeadByteEx(CP_ACP, 'a'));
    CHECK(!IsDBCSLeadByte(0x81));
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(!IsDBCSLeadByteEx(12345, 0x81));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!IsDBCSLeadByteEx(1200, 0x81)); /* UTF-16 is no code page for these functions */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

int main(void)
{
    test_multibyte_to_wide();
    test_wide_to_multibyte();
    test_code_pages();
    return tl_finish();
}
