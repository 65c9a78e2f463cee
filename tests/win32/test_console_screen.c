/* test_console_screen.c: console screen buffers, on buffers made by CreateConsoleScreenBuffer
 * (a model of cells: no terminal needed, nothing shown while they are not active): the
 * "Clearing the Screen" sample (GetConsoleScreenBufferInfo, FillConsoleOutputCharacter,
 * FillConsoleOutputAttribute, SetConsoleCursorPosition); filling, writing and reading cells
 * (wrapping at each row's end, stopping at the buffer's end, a start outside the buffer);
 * text written with WriteConsole moving the cursor (CR, LF, TAB, wrapping, scrolling at the
 * bottom); rectangles (WriteConsoleOutput/ReadConsoleOutput, clipped); ScrollConsoleScreenBuffer
 * with and without a clip rectangle; the buffer's size; SetConsoleActiveScreenBuffer's
 * checks; the order of the argument checks. Sources: Microsoft Learn's console samples and
 * function pages; microsoft/terminal src/host/_output.cpp (a start outside the buffer:
 * success, nothing written); Wine's conformance test dlls/kernel32/tests/console.c (testWrite*,
 * testScroll, testScreenBuffer, test_FillConsoleOutput*, test_ReadConsoleOutput*,
 * test_WriteConsoleOutput*), which passes on Windows. tests/linux/test_console_screen_tty.c
 * checks what reaches a terminal. */
#include "testlib.h"

#define TEST_ATTRIBUTES (BACKGROUND_BLUE | FOREGROUND_GREEN)
#define PLAIN (FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE)

static SHORT width, height;

static HANDLE new_buffer(DWORD access)
{
    return CreateConsoleScreenBuffer(access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
}

/* Under Wine a process run from a Unix shell has a console with no screen buffer to make:
 * FreeConsole and AllocConsole give it a console of Wine's own (tried again: Wine's
 * conhost.exe once failed to come up in time on a loaded machine). */
static HANDLE first_buffer(void)
{
    HANDLE buffer = new_buffer(GENERIC_READ | GENERIC_WRITE);
    int attempt;
    for (attempt = 0; buffer == INVALID_HANDLE_VALUE && attempt < 3; attempt++) {
        printf("CreateConsoleScreenBuffer failed (error %lu): AllocConsole\n", (unsigned long)GetLastError());
        FreeConsole();
        if (!AllocConsole()) printf("AllocConsole failed (error %lu)\n", (unsigned long)GetLastError());
        Sleep(attempt * 200);
        buffer = new_buffer(GENERIC_READ | GENERIC_WRITE);
    }
    return buffer;
}

static COORD at(int x, int y)
{
    COORD c;
    c.X = (SHORT)x;
    c.Y = (SHORT)y;
    return c;
}

static char char_at(HANDLE buffer, int x, int y)
{
    char c = 0;
    DWORD read = 0;
    if (!ReadConsoleOutputCharacterA(buffer, &c, 1, at(x, y), &read) || read != 1) return 0;
    return c;
}

static WORD attribute_at(HANDLE buffer, int x, int y)
{
    WORD a = 0xFFFF;
    DWORD read = 0;
    if (!ReadConsoleOutputAttribute(buffer, &a, 1, at(x, y), &read) || read != 1) return 0xFFFF;
    return a;
}

static COORD cursor_of(HANDLE buffer)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    memset(&info, 0, sizeof info);
    GetConsoleScreenBufferInfo(buffer, &info);
    return info.dwCursorPosition;
}

/* Microsoft Learn, "Clearing the Screen" (the Win32 way): blanks with the current
 * attributes everywhere, the cursor home. */
static BOOL clear_screen(HANDLE console)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    DWORD cells, written;
    COORD home = {0, 0};
    if (!GetConsoleScreenBufferInfo(console, &info)) return FALSE;
    cells = (DWORD)info.dwSize.X * (DWORD)info.dwSize.Y;
    if (!FillConsoleOutputCharacterA(console, ' ', cells, home, &written) || written != cells) return FALSE;
    if (!FillConsoleOutputAttribute(console, info.wAttributes, cells, home, &written) || written != cells) return FALSE;
    return SetConsoleCursorPosition(console, home);
}

static void test_clear_screen(HANDLE buffer)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    DWORD written;
    TEST("a new buffer: the cursor home, a size of at least 20x6, a window inside it");
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    width = info.dwSize.X;
    height = info.dwSize.Y;
    CHECK(width >= 20 && height >= 6);
    CHECK_EQ(info.dwCursorPosition.X, 0);
    CHECK_EQ(info.dwCursorPosition.Y, 0);
    CHECK(info.srWindow.Left >= 0 && info.srWindow.Right < width && info.srWindow.Left <= info.srWindow.Right);
    CHECK(info.srWindow.Top >= 0 && info.srWindow.Bottom < height && info.srWindow.Top <= info.srWindow.Bottom);

    TEST("the Clearing the Screen sample: blanks in the current attributes, the cursor home");
    CHECK(SetConsoleTextAttribute(buffer, TEST_ATTRIBUTES));
    CHECK(WriteConsoleOutputCharacterA(buffer, "junk", 4, at(3, 1), &written));
    CHECK(SetConsoleCursorPosition(buffer, at(5, 2)));
    CHECK(clear_screen(buffer));
    CHECK_EQ(char_at(buffer, 3, 1), ' ');
    CHECK_EQ(char_at(buffer, width - 1, height - 1), ' ');
    CHECK_EQ(attribute_at(buffer, 0, 0), TEST_ATTRIBUTES);
    CHECK_EQ(attribute_at(buffer, width - 1, height - 1), TEST_ATTRIBUTES);
    CHECK_EQ(cursor_of(buffer).X, 0);
    CHECK_EQ(cursor_of(buffer).Y, 0);
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK_EQ(info.wAttributes, TEST_ATTRIBUTES);
    CHECK(SetConsoleTextAttribute(buffer, PLAIN));
    CHECK(FillConsoleOutputAttribute(buffer, PLAIN, (DWORD)width * (DWORD)height, at(0, 0), &written));
}

static void test_cells(HANDLE buffer)
{
    DWORD count;
    char text[16];
    WCHAR wide[8];
    WORD attributes[4] = {1, 2, 3, 4}, back[4];

    TEST("FillConsoleOutputCharacter wraps at a row's end and stops at the buffer's end");
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputCharacterA(buffer, 'x', 5, at(width - 2, 0), &count));
    CHECK_EQ(count, 5);
    CHECK_EQ(char_at(buffer, width - 2, 0), 'x');
    CHECK_EQ(char_at(buffer, width - 1, 0), 'x');
    CHECK_EQ(char_at(buffer, 0, 1), 'x');
    CHECK_EQ(char_at(buffer, 2, 1), 'x');
    CHECK_EQ(char_at(buffer, 3, 1), ' ');
    CHECK_EQ(char_at(buffer, width - 3, 0), ' ');
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputCharacterW(buffer, L'y', 10, at(width - 3, height - 1), &count));
    CHECK_EQ(count, 3);
    CHECK_EQ(char_at(buffer, width - 1, height - 1), 'y');
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputCharacterA(buffer, 'a', 0, at(0, 0), &count));
    CHECK_EQ(count, 0);
    CHECK_EQ(char_at(buffer, 0, 0), ' ');

    TEST("a start outside the buffer writes and reads nothing, and succeeds");
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputCharacterA(buffer, 'z', 3, at(0, height), &count));
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputCharacterA(buffer, 'z', 3, at(width, 0), &count));
    WINE_DEVIATION("Wine 8.0 fills from the next row's start for a column past a row's end")
    {
        CHECK_EQ(count, 0);
        CHECK_EQ(char_at(buffer, 0, 1), 'x');
    }
    CHECK(FillConsoleOutputCharacterA(buffer, 'x', 3, at(0, 1), &count)); /* as on both sides */
    count = 0xdeadbeef;
    CHECK(FillConsoleOutputAttribute(buffer, 1, 3, at(0, height), &count));
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    CHECK(ReadConsoleOutputCharacterA(buffer, text, 3, at(0, height), &count));
    CHECK_EQ(count, 0);

    TEST("WriteConsoleOutputCharacter and ReadConsoleOutputCharacter, A and W");
    count = 0;
    CHECK(WriteConsoleOutputCharacterA(buffer, "hello", 5, at(width - 3, 2), &count));
    CHECK_EQ(count, 5);
    memset(text, 0, sizeof text);
    CHECK(ReadConsoleOutputCharacterA(buffer, text, 5, at(width - 3, 2), &count));
    CHECK_EQ(count, 5);
    CHECK(memcmp(text, "hello", 5) == 0);
    CHECK_EQ(char_at(buffer, 1, 3), 'o');
    CHECK(WriteConsoleOutputCharacterW(buffer, L"w\x00e9z", 3, at(0, 4), &count));
    CHECK_EQ(count, 3);
    CHECK(ReadConsoleOutputCharacterW(buffer, wide, 3, at(0, 4), &count));
    CHECK_EQ(count, 3);
    CHECK(wide[0] == L'w' && wide[1] == 0x00e9 && wide[2] == L'z');
    TEST("reading stops at the buffer's end");
    CHECK(ReadConsoleOutputCharacterA(buffer, text, 10, at(width - 2, height - 1), &count));
    CHECK_EQ(count, 2);

    TEST("WriteConsoleOutputAttribute and ReadConsoleOutputAttribute");
    CHECK(WriteConsoleOutputAttribute(buffer, attributes, 4, at(width - 2, 1), &count));
    CHECK_EQ(count, 4);
    CHECK(ReadConsoleOutputAttribute(buffer, back, 4, at(width - 2, 1), &count));
    CHECK_EQ(count, 4);
    CHECK(memcmp(back, attributes, sizeof back) == 0);
    CHECK_EQ(attribute_at(buffer, 1, 2), 4);
    CHECK_EQ(char_at(buffer, width - 2, 1), ' '); /* the characters stay */
    CHECK(FillConsoleOutputAttribute(buffer, PLAIN, 4, at(width - 2, 1), &count));
}

static void test_text(HANDLE buffer)
{
    DWORD written, mode;
    COORD c;
    TEST("WriteConsole on a buffer that is not shown: the cells, the attributes and the cursor");
    CHECK(GetConsoleMode(buffer, &mode));
    CHECK(SetConsoleMode(buffer, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));
    CHECK(FillConsoleOutputCharacterA(buffer, ' ', (DWORD)width * (DWORD)height, at(0, 0), &written));
    CHECK(SetConsoleCursorPosition(buffer, at(0, 0)));
    CHECK(SetConsoleTextAttribute(buffer, TEST_ATTRIBUTES));
    written = 0;
    CHECK(WriteConsoleA(buffer, "abc\r\nd\te", 8, &written, NULL));
    CHECK_EQ(written, 8);
    CHECK_EQ(char_at(buffer, 0, 0), 'a');
    CHECK_EQ(char_at(buffer, 2, 0), 'c');
    CHECK_EQ(attribute_at(buffer, 2, 0), TEST_ATTRIBUTES);
    CHECK_EQ(attribute_at(buffer, 3, 0), PLAIN);
    CHECK_EQ(char_at(buffer, 0, 1), 'd');
    CHECK_EQ(char_at(buffer, 8, 1), 'e');
    c = cursor_of(buffer);
    CHECK_EQ(c.X, 9);
    CHECK_EQ(c.Y, 1);

    TEST("WriteConsole wraps at the row's end");
    CHECK(SetConsoleCursorPosition(buffer, at(width - 3, 2)));
    CHECK(WriteConsoleW(buffer, L"wxyz", 4, &written, NULL));
    CHECK_EQ(written, 4);
    CHECK_EQ(char_at(buffer, width - 1, 2), 'y');
    CHECK_EQ(char_at(buffer, 0, 3), 'z');
    c = cursor_of(buffer);
    CHECK_EQ(c.X, 1);
    CHECK_EQ(c.Y, 3);

    TEST("a line feed on the last row scrolls the buffer up");
    CHECK(SetConsoleCursorPosition(buffer, at(0, height - 1)));
    CHECK(WriteConsoleA(buffer, "last\n", 5, &written, NULL));
    CHECK_EQ(char_at(buffer, 0, height - 2), 'l');
    CHECK_EQ(char_at(buffer, 0, height - 1), ' ');
    CHECK_EQ(char_at(buffer, 0, 0), 'd'); /* the first row went, the second is first */
    c = cursor_of(buffer);
    CHECK_EQ(c.X, 0);
    CHECK_EQ(c.Y, height - 1);

    TEST("a backspace moves the cursor back");
    CHECK(SetConsoleCursorPosition(buffer, at(4, 0)));
    CHECK(WriteConsoleA(buffer, "\b\bQ", 3, &written, NULL));
    CHECK_EQ(char_at(buffer, 2, 0), 'Q');
    CHECK_EQ(cursor_of(buffer).X, 3);

    TEST("WriteFile on a screen buffer is text as WriteConsoleA");
    CHECK(SetConsoleCursorPosition(buffer, at(0, 2)));
    written = 0;
    CHECK(WriteFile(buffer, "wf", 2, &written, NULL));
    CHECK_EQ(written, 2);
    CHECK_EQ(char_at(buffer, 1, 2), 'f');
    CHECK_EQ(cursor_of(buffer).X, 2);

    /* Where the characters past the row's end go is not checked: Microsoft Learn
     * (SetConsoleMode) says they overwrite the last one, as a terminal does, while Wine's
     * conformance test (testWriteNotWrappedProcessed) sees Windows put them back at the
     * write's first column (docs/deviations.md). */
    TEST("without ENABLE_WRAP_AT_EOL_OUTPUT the text stays on its row");
    CHECK(SetConsoleMode(buffer, ENABLE_PROCESSED_OUTPUT));
    CHECK(SetConsoleCursorPosition(buffer, at(width - 2, 4)));
    CHECK(WriteConsoleA(buffer, "123", 3, &written, NULL));
    CHECK_EQ(written, 3);
    CHECK_EQ(char_at(buffer, 0, 5), ' ');
    CHECK_EQ(cursor_of(buffer).Y, 4);
    CHECK(SetConsoleMode(buffer, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));

    TEST("WriteConsoleA in UTF-8: encoded surrogates and overlong forms are U+FFFD, never a surrogate or NUL");
    {
        /* U+D800 as UTF-8, U+0000 and U+0000 overlong, then a character: */
        static const char bad[] = "\xed\xa0\x80\xe0\x80\x80\xf0\x80\x80\x80z";
        WCHAR cells[16];
        UINT code_page = GetConsoleOutputCP();
        DWORD read = 0, i;
        int seen_z = 0, bad_cell = 0;
        CHECK(SetConsoleOutputCP(CP_UTF8));
        CHECK(FillConsoleOutputCharacterA(buffer, ' ', (DWORD)width, at(0, 6), &written));
        CHECK(SetConsoleCursorPosition(buffer, at(0, 6)));
        CHECK(WriteConsoleA(buffer, bad, (DWORD)strlen(bad), &written, NULL));
        CHECK(ReadConsoleOutputCharacterW(buffer, cells, 16, at(0, 6), &read));
        CHECK_EQ(read, 16);
        CHECK_EQ(cells[0], 0xFFFD);
        for (i = 0; i < read && !seen_z; i++) {
            if (cells[i] == 'z') seen_z = 1;
            else if (cells[i] != 0xFFFD) bad_cell = 1;
        }
        CHECK(seen_z);
        CHECK(!bad_cell);
        if (code_page != 0) CHECK(SetConsoleOutputCP(code_page));
    }

    TEST("SetConsoleCursorPosition outside the buffer: ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleCursorPosition(buffer, at(width, 0)));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleCursorPosition(buffer, at(0, -1)));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetConsoleTextAttribute(buffer, PLAIN));
    CHECK(SetConsoleMode(buffer, mode));
}

static void test_rectangles(HANDLE buffer)
{
    CHAR_INFO cells[6], back[6];
    COORD size = {3, 2}, origin = {0, 0};
    SMALL_RECT region;
    int i;
    TEST("WriteConsoleOutputW and ReadConsoleOutputW: a rectangle of cells");
    for (i = 0; i < 6; i++) {
        cells[i].Char.UnicodeChar = (WCHAR)('A' + i);
        cells[i].Attributes = (WORD)(i + 1);
    }
    region.Left = 1;
    region.Top = 1;
    region.Right = 3;
    region.Bottom = 2;
    CHECK(WriteConsoleOutputW(buffer, cells, size, origin, &region));
    CHECK_EQ(region.Left, 1);
    CHECK_EQ(region.Right, 3);
    CHECK_EQ(region.Bottom, 2);
    CHECK_EQ(char_at(buffer, 1, 1), 'A');
    CHECK_EQ(char_at(buffer, 3, 1), 'C');
    CHECK_EQ(char_at(buffer, 1, 2), 'D');
    CHECK_EQ(attribute_at(buffer, 3, 2), 6);
    memset(back, 0, sizeof back);
    region.Left = 1;
    region.Top = 1;
    region.Right = 3;
    region.Bottom = 2;
    CHECK(ReadConsoleOutputW(buffer, back, size, origin, &region));
    for (i = 0; i < 6; i++) {
        CHECK_EQ(back[i].Char.UnicodeChar, 'A' + i);
        CHECK_EQ(back[i].Attributes, i + 1);
    }
    TEST("WriteConsoleOutputA: a rectangle past the buffer's edge is clipped, the region says so");
    for (i = 0; i < 6; i++) {
        cells[i].Char.UnicodeChar = 0;
        cells[i].Char.AsciiChar = (CHAR)('a' + i);
        cells[i].Attributes = PLAIN;
    }
    region.Left = (SHORT)(width - 2);
    region.Top = 0;
    region.Right = (SHORT)(width);
    region.Bottom = 0;
    CHECK(WriteConsoleOutputA(buffer, cells, size, origin, &region));
    CHECK_EQ(region.Left, width - 2);
    CHECK_EQ(region.Right, width - 1);
    CHECK_EQ(region.Bottom, 0);
    CHECK_EQ(char_at(buffer, width - 2, 0), 'a');
    CHECK_EQ(char_at(buffer, width - 1, 0), 'b');
    CHECK_EQ(char_at(buffer, 0, 1), ' '); /* no wrapping */
}

static void fill_pattern(HANDLE buffer)
{
    DWORD written;
    int y;
    char row[64];
    for (y = 0; y < 6; y++) {
        int x;
        for (x = 0; x < 12; x++) row[x] = (char)('a' + (y * 3 + x) % 26);
        WriteConsoleOutputCharacterA(buffer, row, 12, at(0, y), &written);
    }
    FillConsoleOutputAttribute(buffer, PLAIN, (DWORD)width * 6, at(0, 0), &written);
}

static char pattern(int x, int y) { return (char)('a' + (y * 3 + x) % 26); }

static void test_scroll(HANDLE buffer)
{
    SMALL_RECT scroll = {0, 0, 3, 1}, clip;
    CHAR_INFO fill;
    fill.Char.UnicodeChar = '#';
    fill.Attributes = TEST_ATTRIBUTES;

    TEST("ScrollConsoleScreenBuffer: the rectangle moves, the cells it left get the fill");
    fill_pattern(buffer);
    CHECK(ScrollConsoleScreenBufferW(buffer, &scroll, NULL, at(2, 1), &fill));
    CHECK_EQ(char_at(buffer, 0, 0), '#'); /* left behind */
    CHECK_EQ(attribute_at(buffer, 0, 0), TEST_ATTRIBUTES);
    CHECK_EQ(char_at(buffer, 1, 1), '#');
    CHECK_EQ(char_at(buffer, 2, 1), pattern(0, 0)); /* the destination: the source as it was */
    CHECK_EQ(char_at(buffer, 5, 2), pattern(3, 1));
    CHECK_EQ(attribute_at(buffer, 5, 2), PLAIN);
    CHECK_EQ(char_at(buffer, 2, 0), '#');
    CHECK_EQ(char_at(buffer, 4, 0), pattern(4, 0)); /* outside both */
    CHECK_EQ(char_at(buffer, 6, 2), pattern(6, 2));

    TEST("ScrollConsoleScreenBuffer with a clip rectangle: nothing outside it changes");
    fill_pattern(buffer);
    clip.Left = 1;
    clip.Top = 0;
    clip.Right = 3;
    clip.Bottom = 5;
    CHECK(ScrollConsoleScreenBufferA(buffer, &scroll, &clip, at(2, 1), &fill));
    CHECK_EQ(char_at(buffer, 0, 0), pattern(0, 0)); /* outside the clip */
    CHECK_EQ(char_at(buffer, 1, 0), '#');
    CHECK_EQ(char_at(buffer, 2, 1), pattern(0, 0));
    CHECK_EQ(char_at(buffer, 3, 2), pattern(1, 1));
    CHECK_EQ(char_at(buffer, 4, 1), pattern(4, 1)); /* outside the clip: the source's cell stays */

    TEST("ScrollConsoleScreenBuffer: a source outside the buffer is ERROR_INVALID_PARAMETER");
    scroll.Left = (SHORT)width;
    scroll.Right = (SHORT)(width + 2);
    SetLastError(0xdeadbeef);
    CHECK(!ScrollConsoleScreenBufferA(buffer, &scroll, NULL, at(0, 0), &fill));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static void test_size(HANDLE buffer)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    COORD size, largest;
    DWORD count;
    TEST("SetConsoleScreenBufferSize: not smaller than the window; larger is kept");
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    size.X = (SHORT)(info.srWindow.Right - info.srWindow.Left);
    size.Y = info.dwSize.Y;
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleScreenBufferSize(buffer, size));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(FillConsoleOutputCharacterA(buffer, 'k', 1, at(0, 0), &count));
    size.X = (SHORT)(info.dwSize.X + 7);
    size.Y = (SHORT)(info.dwSize.Y + 3);
    CHECK(SetConsoleScreenBufferSize(buffer, size));
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK_EQ(info.dwSize.X, size.X);
    CHECK_EQ(info.dwSize.Y, size.Y);
    CHECK_EQ(char_at(buffer, 0, 0), 'k'); /* the cells stay */
    CHECK(FillConsoleOutputCharacterA(buffer, 'q', 1, at(size.X - 1, size.Y - 1), &count));
    CHECK_EQ(count, 1);
    CHECK_EQ(char_at(buffer, size.X - 1, size.Y - 1), 'q');

    TEST("GetLargestConsoleWindowSize: a size for a buffer");
    largest = GetLargestConsoleWindowSize(buffer);
    CHECK(largest.X > 0 && largest.Y > 0);
}

/* A line feed on the last row of a tall buffer scrolls it: 40000 of them on a buffer of
 * 32767 rows take milliseconds, as Windows' console host, which keeps its rows in a ring
 * (microsoft/terminal src/buffer/out/textBuffer.cpp, IncrementCircularBuffer), takes them
 * (one that moved every cell at each took about 18 s here). The text of the rows scrolled
 * stays in order. */
static void test_tall_scroll(void)
{
    static char lines[40000 * 2];
    HANDLE tall = new_buffer(GENERIC_READ | GENERIC_WRITE);
    CONSOLE_SCREEN_BUFFER_INFO info;
    COORD size;
    DWORD written = 0, started, took;
    int count = 40000, i;
    TEST("40000 line feeds at the bottom of a 32767-row buffer: a scroll each, quickly");
    CHECK(tall != INVALID_HANDLE_VALUE);
    if (tall == INVALID_HANDLE_VALUE) return;
    CHECK(GetConsoleScreenBufferInfo(tall, &info));
    size.X = info.dwSize.X;
    size.Y = 32767;
    CHECK(SetConsoleScreenBufferSize(tall, size));
    CHECK(SetConsoleCursorPosition(tall, at(0, size.Y - 1)));
    for (i = 0; i < count; i++) {
        lines[2 * i] = (char)('a' + i % 26);
        lines[2 * i + 1] = '\n';
    }
    started = GetTickCount();
    CHECK(WriteConsoleA(tall, lines, (DWORD)count * 2, &written, NULL));
    took = GetTickCount() - started;
    printf("%d line feeds took %lu ms\n", count, (unsigned long)took);
    WINE_DEVIATION("Wine 8.0's conhost moves every cell of the buffer at each line feed on its last row")
    {
        CHECK(took < 5000);
    }
    CHECK_EQ(written, (DWORD)count * 2);
    /* The last line written is the row above the cursor's, the one before it above. */
    CHECK_EQ(cursor_of(tall).Y, size.Y - 1);
    CHECK_EQ(char_at(tall, 0, size.Y - 2), 'a' + (count - 1) % 26);
    CHECK_EQ(char_at(tall, 0, size.Y - 3), 'a' + (count - 2) % 26);
    CHECK_EQ(char_at(tall, 0, size.Y - 1), ' ');
    CHECK(CloseHandle(tall));
}

static void check_refused(HANDLE handle, DWORD error, const char *what)
{
    DWORD count;
    char c;
    WORD a;
    COORD largest;
    TEST(what);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!FillConsoleOutputCharacterA(handle, 'a', 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0); /* cleared before the handle is checked */
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!FillConsoleOutputCharacterW(handle, L'a', 0, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!FillConsoleOutputAttribute(handle, 1, 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleOutputCharacterA(handle, NULL, 0, at(0, 0), &count)); /* the handle first */
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleOutputCharacterW(handle, L"a", 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    a = 1;
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleOutputAttribute(handle, &a, 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputCharacterA(handle, &c, 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputAttribute(handle, &a, 1, at(0, 0), &count));
    CHECK_ERROR(error);
    CHECK_EQ(count, 0);
    SetLastError(0xdeadbeef);
    largest = GetLargestConsoleWindowSize(handle);
    CHECK_ERROR(error);
    CHECK(largest.X == 0 && largest.Y == 0);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleActiveScreenBuffer(handle));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

static void test_arguments(HANDLE buffer)
{
    DWORD count;
    char c;
    HANDLE nul;
    TEST("counts of zero with no data succeed and say 0");
    count = 0xdeadbeef;
    CHECK(WriteConsoleOutputCharacterA(buffer, NULL, 0, at(0, 0), &count));
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    CHECK(ReadConsoleOutputCharacterW(buffer, NULL, 0, at(0, 0), &count));
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    CHECK(ReadConsoleOutputAttribute(buffer, NULL, 0, at(0, 0), &count));
    CHECK_EQ(count, 0);
    count = 0xdeadbeef;
    CHECK(ReadConsoleOutputCharacterA(buffer, &c, 1, at(0, 0), &count));
    CHECK_EQ(count, 1);
    check_refused(NULL, ERROR_INVALID_HANDLE, "a NULL handle: ERROR_INVALID_HANDLE, the count 0");
    check_refused(INVALID_HANDLE_VALUE, ERROR_INVALID_HANDLE,
                  "INVALID_HANDLE_VALUE: ERROR_INVALID_HANDLE, the count 0");
    nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                      NULL);
    CHECK(nul != INVALID_HANDLE_VALUE);
    check_refused(nul, ERROR_INVALID_HANDLE, "a handle that is not a console: ERROR_INVALID_HANDLE, the count 0");
    CloseHandle(nul);
}

static void test_active(HANDLE buffer)
{
    HANDLE read_only, conout, shown;
    CONSOLE_SCREEN_BUFFER_INFO info;
    char text[8];
    DWORD count;
    TEST("CreateConsoleScreenBuffer: a flag other than CONSOLE_TEXTMODE_BUFFER is refused");
    SetLastError(0xdeadbeef);
    CHECK(CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, 0, NULL, 0x4, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("each buffer has its own cursor and attributes");
    read_only = new_buffer(GENERIC_READ | GENERIC_WRITE);
    CHECK(read_only != INVALID_HANDLE_VALUE);
    CHECK(SetConsoleCursorPosition(buffer, at(5, 3)));
    CHECK(SetConsoleCursorPosition(read_only, at(2, 1)));
    CHECK(SetConsoleTextAttribute(read_only, TEST_ATTRIBUTES));
    CHECK(SetConsoleTextAttribute(buffer, PLAIN));
    CHECK_EQ(cursor_of(buffer).X, 5);
    CHECK_EQ(cursor_of(buffer).Y, 3);
    CHECK_EQ(cursor_of(read_only).X, 2);
    CHECK(GetConsoleScreenBufferInfo(read_only, &info));
    CHECK_EQ(info.wAttributes, TEST_ATTRIBUTES);
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK_EQ(info.wAttributes, PLAIN);
    {
        /* The cursor's size and visibility too (a console-wide record answered the last
         * SetConsoleCursorInfo of any buffer). */
        CONSOLE_CURSOR_INFO mine = {0, FALSE}, other = {0, FALSE}, hidden = {37, FALSE}, saved = {0, FALSE};
        CHECK(GetConsoleCursorInfo(buffer, &saved));
        CHECK(SetConsoleCursorInfo(buffer, &hidden));
        CHECK(GetConsoleCursorInfo(buffer, &mine));
        CHECK(GetConsoleCursorInfo(read_only, &other));
        CHECK_EQ(mine.dwSize, 37);
        CHECK(!mine.bVisible);
        CHECK(other.dwSize != 37);
        CHECK(other.bVisible);
        CHECK(SetConsoleCursorInfo(buffer, &saved));
    }
    {
        /* And the output mode (a console-wide one answered the last SetConsoleMode). */
        DWORD mine = 0, other = 0;
        CHECK(GetConsoleMode(buffer, &mine));
        CHECK(SetConsoleMode(read_only, ENABLE_PROCESSED_OUTPUT));
        CHECK(GetConsoleMode(read_only, &other));
        CHECK_EQ(other, ENABLE_PROCESSED_OUTPUT);
        other = 0;
        CHECK(GetConsoleMode(buffer, &other));
        CHECK_EQ(other, mine);
        CHECK(other & ENABLE_WRAP_AT_EOL_OUTPUT);
    }
    CloseHandle(read_only);

    TEST("SetConsoleActiveScreenBuffer: a buffer opened without write access is refused");
    read_only = new_buffer(GENERIC_READ);
    CHECK(read_only != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleActiveScreenBuffer(read_only));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(read_only);

    TEST("SetConsoleActiveScreenBuffer: CONOUT$ opens the buffer shown");
    /* The buffer shown now (none when the process has no terminal: CONOUT$ cannot open). */
    shown = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                        OPEN_EXISTING, 0, NULL);
    CHECK(FillConsoleOutputCharacterA(buffer, ' ', 8, at(0, 0), &count));
    CHECK(SetConsoleActiveScreenBuffer(buffer));
    conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
    if (conout != INVALID_HANDLE_VALUE) {
        CHECK(WriteConsoleOutputCharacterA(conout, "shown", 5, at(0, 0), &count));
        memset(text, 0, sizeof text);
        CHECK(ReadConsoleOutputCharacterA(buffer, text, 5, at(0, 0), &count));
        CHECK(memcmp(text, "shown", 5) == 0);
        CloseHandle(conout);
    } else {
        printf("no terminal: CONOUT$ not checked\n");
    }
    if (shown != INVALID_HANDLE_VALUE) {
        CHECK(SetConsoleActiveScreenBuffer(shown));
        CloseHandle(shown);
    }
}

int main(void)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    HANDLE buffer = first_buffer();
    TEST("CreateConsoleScreenBuffer makes a buffer");
    CHECK(buffer != INVALID_HANDLE_VALUE);
    if (buffer == INVALID_HANDLE_VALUE) return tl_finish();
    if (tl_under_wine() && !GetConsoleScreenBufferInfo(buffer, &info)) {
        /* Wine 8.0's console made by AllocConsole with no terminal (headless) refuses every
         * screen-buffer function with ERROR_INVALID_HANDLE: run this under a terminal
         * (script -qec "wine test_console_screen.exe" /dev/null) to compare. */
        printf("under Wine without a terminal: the screen-buffer functions fail (error %lu): skipped\n",
               (unsigned long)GetLastError());
        tl_skipped++;
        return tl_finish();
    }
    test_clear_screen(buffer);
    test_cells(buffer);
    test_text(buffer);
    test_rectangles(buffer);
    test_scroll(buffer);
    test_arguments(buffer);
    test_active(buffer);
    test_size(buffer);
    test_tall_scroll();
    CHECK(CloseHandle(buffer));
    return tl_finish();
}
