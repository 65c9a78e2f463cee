/* test_format_message.c: FormatMessageA/W on messages given as strings
 * (FORMAT_MESSAGE_FROM_STRING) and on system messages with inserts: the escapes, inserts
 * %1..%99 with and without a format, widths and precisions from the arguments (a va_list and
 * an argument array count them differently), FORMAT_MESSAGE_IGNORE_INSERTS, the message's
 * own line breaks, line wrapping at a width, the buffer rules (A and W differ on a short
 * buffer), an empty result, FORMAT_MESSAGE_ALLOCATE_BUFFER and FROM_HMODULE. Sources: Wine's
 * conformance test dlls/kernel32/tests/format_msg.c, which passes on Windows; Microsoft
 * Learn, FormatMessage. test_sync_misc.c covers the system messages' texts. */
#include <stdarg.h>

#include "testlib.h"

#ifndef ERROR_NO_WORK_DONE
#define ERROR_NO_WORK_DONE 235 /* older mingw-w64 headers lack it */
#endif

/* FormatMessageA with the arguments as a va_list. */
static DWORD fmt(DWORD flags, const char *source, char *out, DWORD size, ...)
{
    va_list list;
    DWORD result;
    va_start(list, size);
    result = FormatMessageA(flags, source, 0, 0, out, size, &list);
    va_end(list);
    return result;
}

static DWORD fmtw(DWORD flags, const WCHAR *source, WCHAR *out, DWORD size, ...)
{
    va_list list;
    DWORD result;
    va_start(list, size);
    result = FormatMessageW(flags, source, 0, 0, out, size, &list);
    va_end(list);
    return result;
}

#define FS FORMAT_MESSAGE_FROM_STRING

/* Expects `got` characters and `want` in out. */
#define CHECK_TEXT(got, out, want)                        \
    do {                                                  \
        CHECK_EQ((got), (DWORD)strlen(want));             \
        CHECK(strcmp((out), (want)) == 0);                \
        if (strcmp((out), (want)) != 0) printf("   got [%s]\n", (out)); \
    } while (0)

static void test_escapes(void)
{
    char out[256];
    DWORD n;
    TEST("plain text, escapes and the message's line breaks");
    n = FormatMessageA(FS, "test", 0, 0, out, sizeof out, NULL);
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, " %%%% ", out, sizeof out);
    CHECK_TEXT(n, out, " %% ");
    n = fmt(FS, " %.%. %1!d!", out, sizeof out, 427);
    CHECK_TEXT(n, out, " .. 427");
    n = fmt(FS, "test%0test", out, sizeof out);
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "yah%!%0   ", out, sizeof out);
    CHECK_TEXT(n, out, "yah!");
    n = fmt(FS, "% %   ", out, sizeof out);
    CHECK_TEXT(n, out, "    ");
    n = fmt(FS, "%n%r%t", out, sizeof out);
    CHECK_TEXT(n, out, "\r\n\r\t");
    n = fmt(FS, "hi\n", out, sizeof out);
    CHECK_TEXT(n, out, "hi\r\n");
    n = fmt(FS, "hi\r\n", out, sizeof out);
    CHECK_TEXT(n, out, "hi\r\n");
    n = fmt(FS, "\r", out, sizeof out);
    CHECK_TEXT(n, out, "\r\n");
    n = fmt(FS, "\r\r\n", out, sizeof out);
    CHECK_TEXT(n, out, "\r\n\r\n");
    n = fmt(FS | FORMAT_MESSAGE_MAX_WIDTH_MASK, "hi\r\n", out, sizeof out);
    CHECK_TEXT(n, out, "hi ");
    n = fmt(FS | FORMAT_MESSAGE_MAX_WIDTH_MASK, "\r\r\n", out, sizeof out);
    CHECK_TEXT(n, out, "  ");

    TEST("a '%' at the end, and an insert with no arguments: ERROR_INVALID_PARAMETER, buffer untouched");
    memcpy(out, "xxxxx", 6);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS, "test%", 0, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(strcmp(out, "xxxxx") == 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS, "%1", 0, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1", 0, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(strcmp(out, "xxxxx") == 0);

    TEST("an empty result: 0 and ERROR_NO_WORK_DONE, the A buffer untouched");
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS, "", 0, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_NO_WORK_DONE);
    CHECK(strcmp(out, "xxxxx") == 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS | FORMAT_MESSAGE_IGNORE_INSERTS, "%0test", 0, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_NO_WORK_DONE);
    CHECK(strcmp(out, "xxxxx") == 0);
}

static void test_inserts(void)
{
    char out[256];
    DWORD n;
    TEST("inserts: strings, characters, numbers, in any order");
    n = fmt(FS, "%1", out, sizeof out, "test");
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "%1%3%2%1", out, sizeof out, "t", "s", "e");
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "%1!s!", out, sizeof out, "test");
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "%1!ls!%2!S!%3!ws!", out, sizeof out, L"te", L"s", L"t");
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "%1!c!%2!c!%3!c!%1!c!", out, sizeof out, 't', 'e', 's');
    CHECK_TEXT(n, out, "test");
    n = fmt(FS, "%1!lc!%2!wc!%3!C!", out, sizeof out, 'a', 'b', 'c');
    CHECK_TEXT(n, out, "abc");
    n = fmt(FS, "%1!d!%2!d!%3!d!", out, sizeof out, 1, 2, 3);
    CHECK_TEXT(n, out, "123");
    n = fmt(FS, "[%1!4d!][%1!-4d!][%2!4x!][%2!4X!][%2!-4X!][%3!4X!]", out, sizeof out, 1, 11, 0x1ab);
    CHECK_TEXT(n, out, "[   1][1   ][   b][   B][B   ][ 1AB]");
    n = fmt(FS, "%1", out, sizeof out, NULL);
    CHECK_TEXT(n, out, "(null)");
    n = fmt(FS, "%1!3s!", out, sizeof out, "t");
    CHECK_TEXT(n, out, "  t");
    n = fmt(FS, "%1!4.2u!", out, sizeof out, 3);
    CHECK_TEXT(n, out, "  03");
    n = fmt(FS, "%1!I64u!", out, sizeof out, (ULONG64)12345678901234ULL);
    CHECK_TEXT(n, out, "12345678901234");

    TEST("widths and precisions from the arguments: a va_list");
    n = fmt(FS, "%1!*s!", out, sizeof out, 4, "t");
    CHECK_TEXT(n, out, "   t");
    n = fmt(FS, "%1!*.*u!", out, sizeof out, 5, 3, 1);
    CHECK_TEXT(n, out, "  001");
    n = fmt(FS, "%1!*.*u!,%1!*.*u!", out, sizeof out, 5, 3, 1, 4, 2);
    CHECK_TEXT(n, out, "  001, 0002");
    n = fmt(FS, "%1!*.*u!,%3!*.*u!", out, sizeof out, 5, 3, 1, 6, 4, 2);
    CHECK_TEXT(n, out, "  001,  0002");

    TEST("widths and precisions from the arguments: an argument array");
    {
        ULONG_PTR values[] = {6, 4, 2, 5, 3, 1};
        n = FormatMessageA(FS | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1!*.*u!,%1!*.*u!", 0, 0, out, sizeof out,
                           (va_list *)values);
        CHECK_TEXT(n, out, "  0002, 00003");
        n = FormatMessageA(FS | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1!*.*u!,%4!*.*u!", 0, 0, out, sizeof out,
                           (va_list *)values);
        CHECK_TEXT(n, out, "  0002,  001");
    }

    TEST("FORMAT_MESSAGE_IGNORE_INSERTS keeps inserts and %% %. %! as they are");
    n = FormatMessageA(FS | FORMAT_MESSAGE_IGNORE_INSERTS, "test%1%2!*.*s!%99", 0, 0, out, sizeof out, NULL);
    CHECK_TEXT(n, out, "test%1%2!*.*s!%99");
    n = FormatMessageA(FS | FORMAT_MESSAGE_IGNORE_INSERTS, "%%% %.%!", 0, 0, out, sizeof out, NULL);
    CHECK_TEXT(n, out, "%%% %.%!");
    n = FormatMessageA(FS | FORMAT_MESSAGE_IGNORE_INSERTS, "%n%r%t", 0, 0, out, sizeof out, NULL);
    CHECK_TEXT(n, out, "\r\n\r\t");
}

static void test_wrapping(void)
{
    static const struct {
        DWORD width;
        const char *in, *out;
    } cases[] = {
        {20, "short long line", "short long line"},
        {11, "short long line", "short long\r\nline"},
        {20, "short long long line", "short long long\r\nline"},
        {10, "short long line", "short\r\nlong line"},
        {16, "short long    line", "short long\r\nline"},
        {16, "short long    wordlongerthanaline", "short long\r\nwordlongerthanal\r\nine"},
        {12, "short long    line", "short long\r\n  line"},
        {12, "short long    wordlongerthanaline", "short long\r\n\r\nwordlongerth\r\nanaline"},
        {15, "   short line", "   short line"},
        {11, "   shortlong line", "\r\nshortlong\r\nline"},
        {11, "l1%n   shortlong line", "l1\r\n\r\nshortlong\r\nline"},
        {5, "                ", "\r\n\r\n\r\n "},
        {5, "l1               ", "l1\r\n\r\n\r\n  "},
        {8, "shortlon", "shortlon\r\n"},
        {8, "shortlongline", "shortlon\r\ngline"},
        {7, "short long line", "short\r\nlong\r\nline"},
        {11, "short\nlong line", "short long\r\nline"},
        {8, "shortlon%n", "shortlon\r\n\r\n"},
        {10, "short%nlong line", "short\r\nlong line"},
        {8, "short%nlong line", "short\r\nlong\r\nline"},
        {10, "short%rlong line", "short\rlong line"},
        {8, "short%rlong line", "short\rlong\r\nline"},
        {11, "short long\tline", "short\r\nlong\tline"},
        {11, "short long-line", "short\r\nlong-line"},
    };
    char out[300];
    TEST("line wrapping at a width (the low byte of the flags)");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        DWORD n = FormatMessageA(FS | cases[i].width, cases[i].in, 0, 0, out, sizeof out, NULL);
        CHECK_TEXT(n, out, cases[i].out);
    }
    DWORD n = FormatMessageA(FS | FORMAT_MESSAGE_IGNORE_INSERTS | 8, "short%nlong line%1", 0, 0, out, sizeof out, NULL);
    CHECK_TEXT(n, out, "short\r\nlong\r\nline%1");
}

static void test_buffers(void)
{
    char out[8];
    WCHAR wide[8];
    char *allocated;
    DWORD n;
    TEST("a short buffer: the A buffer untouched, the W buffer truncated");
    memcpy(out, "xxxxx", 6);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS, "test", 0, 0, out, 4, NULL), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK(strcmp(out, "xxxxx") == 0);
    memcpy(wide, L"xxxxxx", 7 * sizeof(WCHAR));
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(FS, L"test", 0, 0, wide, 4, NULL), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK(memcmp(wide, L"tes\0xx", 6 * sizeof(WCHAR)) == 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageW(FS, L"test", 0, 0, NULL, 0, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("FormatMessageW with inserts");
    n = fmtw(FS, L"%1!s!-%2!hs!-%3!d!", wide, 8, L"ab", "cd", 7);
    CHECK_EQ(n, 7);
    CHECK(memcmp(wide, L"ab-cd-7", 8 * sizeof(WCHAR)) == 0);

    TEST("FORMAT_MESSAGE_ALLOCATE_BUFFER");
    allocated = (char *)0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FS | FORMAT_MESSAGE_ALLOCATE_BUFFER, "", 0, 0, (char *)&allocated, 0, NULL), 0);
    CHECK(allocated == NULL);
    CHECK_ERROR(ERROR_NO_WORK_DONE);
    n = fmt(FS | FORMAT_MESSAGE_ALLOCATE_BUFFER, "%1 %2", (char *)&allocated, 0, "a", "longer text");
    CHECK_EQ(n, 13);
    CHECK(allocated != NULL && strcmp(allocated, "a longer text") == 0);
    LocalFree(allocated);

    TEST("an A message of 32767 characters or more: ERROR_INVALID_PARAMETER");
    {
        DWORD size;
        for (size = 32766; size <= 32769; ++size) {
            char *text = HeapAlloc(GetProcessHeap(), 0, size);
            char *result = HeapAlloc(GetProcessHeap(), 0, size);
            memset(text, 'q', size - 1);
            text[size - 1] = 0;
            SetLastError(0xdeadbeef);
            n = FormatMessageA(FS, text, 0, 0, result, size, NULL);
            if (size < 32768) {
                CHECK_EQ(n, size - 1);
            } else {
                CHECK_EQ(n, 0);
                CHECK_ERROR(ERROR_INVALID_PARAMETER);
            }
            HeapFree(GetProcessHeap(), 0, text);
            HeapFree(GetProcessHeap(), 0, result);
        }
    }
}

static void test_system_and_modules(void)
{
    char out[512];
    DWORD n;
    DWORD_PTR values[] = {(DWORD_PTR) "app.exe"};
    TEST("a system message's inserts take the arguments");
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ARGUMENT_ARRAY, NULL, ERROR_BAD_EXE_FORMAT, 0, out,
                       sizeof out, (va_list *)values);
    CHECK(n > 0);
    CHECK(strstr(out, "app.exe") != NULL);
    CHECK(strstr(out, "%1") == NULL);
    CHECK(n >= 2 && out[n - 2] == '\r' && out[n - 1] == '\n');
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_BAD_EXE_FORMAT, 0, out, sizeof out, NULL), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("FORMAT_MESSAGE_MAX_WIDTH_MASK: the message's line break is a space");
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL,
                       ERROR_ACCESS_DENIED, 0, out, sizeof out, NULL);
    CHECK(n > 0);
    CHECK(strchr(out, '\r') == NULL && strchr(out, '\n') == NULL);
    CHECK(n > 0 && out[n - 1] == ' ');

    TEST("FORMAT_MESSAGE_FROM_HMODULE: the program has no messages; FROM_SYSTEM is then looked at");
    SetLastError(0xdeadbeef);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_ACCESS_DENIED, 0,
                            out, sizeof out, NULL),
             0);
    CHECK_ERROR(ERROR_RESOURCE_DATA_NOT_FOUND); /* it has no resources at all */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       ERROR_ACCESS_DENIED, 0, out, sizeof out, NULL);
    CHECK(n > 0);
    {
        char system[512];
        DWORD m = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_ACCESS_DENIED,
                                 0, system, sizeof system, NULL);
        CHECK_EQ(m, n);
        CHECK(strcmp(system, out) == 0);
    }
}

int main(void)
{
    test_escapes();
    test_inserts();
    test_wrapping();
    test_buffers();
    test_system_and_modules();
    return tl_finish();
}
