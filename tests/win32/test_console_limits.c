/* test_console_limits.c: the edges of the console functions Wine's conformance test
 * (dlls/kernel32/tests/console.c, which passes on Windows) records and the other console
 * tests do not: WriteConsoleOutput/ReadConsoleOutput with regions and arrays that do not fit,
 * the attributes a new screen buffer starts with, handles of the wrong kind (a pipe, NUL,
 * INVALID_HANDLE_VALUE) for the cursor, the active buffer, the input count, FlushFileBuffers
 * and the standard handles, reads of an impossible length, and control characters written
 * as cells; GetConsoleScreenBufferInfoEx/SetConsoleScreenBufferInfoEx and GetConsoleProcessList.
 * Runs on buffers made by CreateConsoleScreenBuffer (no terminal needed). */
#include "testlib.h"

#define TEST_ATTRIBUTES (BACKGROUND_BLUE | FOREGROUND_GREEN)

static HANDLE new_buffer(DWORD access)
{
    return CreateConsoleScreenBuffer(access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
}

static HANDLE first_buffer(void)
{
    HANDLE buffer = new_buffer(GENERIC_READ | GENERIC_WRITE);
    int attempt;
    for (attempt = 0; buffer == INVALID_HANDLE_VALUE && attempt < 3; attempt++) {
        FreeConsole();
        AllocConsole();
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

static SMALL_RECT rect(int left, int top, int right, int bottom)
{
    SMALL_RECT r;
    r.Left = (SHORT)left;
    r.Top = (SHORT)top;
    r.Right = (SHORT)right;
    r.Bottom = (SHORT)bottom;
    return r;
}

static int region_is(const SMALL_RECT* r, int left, int top, int right, int bottom)
{
    return r->Left == left && r->Top == top && r->Right == right && r->Bottom == bottom;
}

static CHAR_INFO cells[2048];

static void test_write_rectangles(HANDLE buffer, COORD size_of_buffer)
{
    SMALL_RECT region;
    unsigned i;
    for (i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        cells[i].Char.UnicodeChar = (WCHAR)('0' + i % 10);
        cells[i].Attributes = 0;
    }
    TEST("WriteConsoleOutputW: a region inside the buffer and the array is written whole");
    region = rect(10, 7, 15, 11);
    CHECK(WriteConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 15, 11));

    TEST("WriteConsoleOutputW: a region whose right is left of its left: ERROR_INVALID_PARAMETER, the region kept");
    region = rect(200, 7, 15, 211);
    CHECK_FAILS(WriteConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region), ERROR_INVALID_PARAMETER);
    CHECK(region_is(&region, 200, 7, 15, 211));
    region = rect(10, 7, 9, 11);
    CHECK_FAILS(WriteConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region), ERROR_INVALID_PARAMETER);
    CHECK(region_is(&region, 10, 7, 9, 11));
    region = rect(10, 7, 11, 6);
    CHECK_FAILS(WriteConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region), ERROR_INVALID_PARAMETER);
    CHECK(region_is(&region, 10, 7, 11, 6));

    TEST("WriteConsoleOutputW: a region entirely outside the buffer succeeds, the region kept");
    region = rect(200, 7, 211, 8);
    CHECK(WriteConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    CHECK(region_is(&region, 200, 7, 211, 8));

    TEST("WriteConsoleOutputW: a start coordinate outside the array: ERROR_INVALID_PARAMETER");
    region = rect(10, 7, 15, 11);
    CHECK_FAILS(WriteConsoleOutputW(buffer, cells, at(2, 17), at(2, 3), &region), ERROR_INVALID_PARAMETER);
    CHECK(region_is(&region, 10, 7, 15, 11));
    CHECK_FAILS(WriteConsoleOutputW(buffer, cells, at(23, 3), at(2, 3), &region), ERROR_INVALID_PARAMETER);
    CHECK(region_is(&region, 10, 7, 15, 11));

    TEST("WriteConsoleOutputW: clipped to the array's columns, rows and the buffer's edge");
    region = rect(10, 7, 15, 11);
    CHECK(WriteConsoleOutputW(buffer, cells, at(6, 17), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 13, 11));
    region = rect(10, 7, 15, 11);
    CHECK(WriteConsoleOutputW(buffer, cells, at(16, 7), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 15, 10));
    region = rect(size_of_buffer.X - 2, 7, size_of_buffer.X + 2, 7);
    CHECK(WriteConsoleOutputW(buffer, cells, at(16, 7), at(2, 3), &region));
    CHECK(region_is(&region, size_of_buffer.X - 2, 7, size_of_buffer.X - 1, 7));

    TEST("WriteConsoleOutputW: a handle that is no console: ERROR_INVALID_HANDLE");
    region = rect(10, 7, 15, 11);
    CHECK_FAILS(WriteConsoleOutputW((HANDLE)(ULONG_PTR)0xdeadbeef, cells, at(6, 17), at(2, 3), &region),
                ERROR_INVALID_HANDLE);
}

static void test_read_rectangles(HANDLE buffer, COORD size_of_buffer)
{
    SMALL_RECT region;
    DWORD count;
    int base;
    TEST("ReadConsoleOutputW: a region inside the buffer and the array is read whole");
    region = rect(10, 7, 15, 11);
    CHECK(ReadConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 15, 11));

    TEST("ReadConsoleOutputW: an empty region or a start outside the array fails");
    region = rect(200, 7, 15, 211);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    region = rect(10, 7, 9, 11);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    region = rect(10, 7, 11, 6);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputW(buffer, cells, at(23, 17), at(2, 3), &region));
    region = rect(10, 7, 15, 11);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputW(buffer, cells, at(2, 17), at(2, 3), &region));
    region = rect(10, 7, 15, 11);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleOutputW(buffer, cells, at(23, 3), at(2, 3), &region));

    TEST("ReadConsoleOutputW: clipped to the array's columns and rows");
    region = rect(10, 7, 15, 11);
    CHECK(ReadConsoleOutputW(buffer, cells, at(6, 17), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 13, 11));
    region = rect(10, 7, 15, 11);
    CHECK(ReadConsoleOutputW(buffer, cells, at(16, 7), at(2, 3), &region));
    CHECK(region_is(&region, 10, 7, 15, 10));
    (void)size_of_buffer;

    TEST("ReadConsoleOutputW: the cells land at the array's coordinate");
    CHECK(WriteConsoleOutputCharacterW(buffer, L"xyz", 3, at(2, 3), &count));
    CHECK_EQ(count, 3);
    memset(cells, 0xc0, sizeof cells);
    region = rect(2, 3, 5, 3);
    CHECK(ReadConsoleOutputW(buffer, cells, at(16, 7), at(5, 6), &region));
    CHECK(region_is(&region, 2, 3, 5, 3));
    base = 6 * 16 + 5;
    CHECK_EQ(cells[base].Char.UnicodeChar, 'x');
    CHECK_EQ(cells[base + 1].Char.UnicodeChar, 'y');
    CHECK_EQ(cells[base + 2].Char.UnicodeChar, 'z');
}

static void test_control_cells(HANDLE buffer)
{
    int i;
    DWORD count, mode;
    TEST("WriteConsoleOutputCharacterA keeps a control character as the cell's character");
    for (i = 1; i < 32; i++) {
        char c = (char)i, back = 0;
        count = 0;
        CHECK(WriteConsoleOutputCharacterA(buffer, &c, 1, at(1, 2), &count));
        CHECK_EQ(count, 1);
        CHECK(ReadConsoleOutputCharacterA(buffer, &back, 1, at(1, 2), &count));
        if (back != c) printf("  control %d read back as %d\n", i, back);
        CHECK_EQ(back, c);
    }

    TEST("WriteConsoleA without ENABLE_PROCESSED_OUTPUT: control characters are cells, the cursor moves on");
    {
        char text[32], back[32];
        CONSOLE_SCREEN_BUFFER_INFO info;
        CHECK(GetConsoleMode(buffer, &mode));
        CHECK(SetConsoleMode(buffer, mode & ~(ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT)));
        CHECK(SetConsoleCursorPosition(buffer, at(0, 0)));
        for (i = 0; i < 32; i++) text[i] = (char)i;
        count = 0;
        CHECK(WriteConsoleA(buffer, text, 32, &count, NULL));
        CHECK_EQ(count, 32);
        memset(back, 0x55, sizeof back);
        CHECK(ReadConsoleOutputCharacterA(buffer, back, 32, at(0, 0), &count));
        for (i = 0; i < 32; i++) {
            if (back[i] != (char)i) printf("  control %d read back as %d\n", i, back[i]);
        }
        CHECK(memcmp(back, text, 32) == 0);
        CHECK(GetConsoleScreenBufferInfo(buffer, &info));
        CHECK_EQ(info.dwCursorPosition.X, 32);
        CHECK_EQ(info.dwCursorPosition.Y, 0);
        CHECK(SetConsoleMode(buffer, mode));
    }
}

static void test_wrong_handles(HANDLE buffer)
{
    HANDLE reader, writer, nul;
    CONSOLE_CURSOR_INFO cursor;
    DWORD count;
    char text[8];
    COORD largest;
    TEST("GetConsoleCursorInfo on a pipe or NULL: ERROR_INVALID_HANDLE, the structure untouched");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    cursor.dwSize = 0xdeadbeef;
    CHECK_FAILS(GetConsoleCursorInfo(reader, &cursor), ERROR_INVALID_HANDLE);
    CHECK_EQ(cursor.dwSize, 0xdeadbeef);
    CHECK_FAILS(GetConsoleCursorInfo(NULL, &cursor), ERROR_INVALID_HANDLE);
    CHECK_EQ(cursor.dwSize, 0xdeadbeef);

    TEST("GetLargestConsoleWindowSize on a pipe: {0, 0}, ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    largest = GetLargestConsoleWindowSize(reader);
    CHECK_EQ(largest.X, 0);
    CHECK_EQ(largest.Y, 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(reader);
    CloseHandle(writer);

    TEST("SetConsoleActiveScreenBuffer: INVALID_HANDLE_VALUE and NUL are refused (ERROR_INVALID_HANDLE)");
    CHECK_FAILS(SetConsoleActiveScreenBuffer(INVALID_HANDLE_VALUE), ERROR_INVALID_HANDLE);
    nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(nul != INVALID_HANDLE_VALUE);
    CHECK_FAILS(SetConsoleActiveScreenBuffer(nul), ERROR_INVALID_HANDLE);

    TEST("WriteConsoleA on NUL fails (ERROR_INVALID_HANDLE or ERROR_INVALID_FUNCTION)");
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleA(nul, "text", 4, &count, NULL));
    CHECK(GetLastError() == ERROR_INVALID_HANDLE || GetLastError() == ERROR_INVALID_FUNCTION);

    TEST("GetNumberOfConsoleInputEvents on NULL or INVALID_HANDLE_VALUE: ERROR_INVALID_HANDLE, the count untouched");
    count = 0xdeadbeef;
    CHECK_FAILS(GetNumberOfConsoleInputEvents(NULL, &count), ERROR_INVALID_HANDLE);
    CHECK_EQ(count, 0xdeadbeef);
    CHECK_FAILS(GetNumberOfConsoleInputEvents(INVALID_HANDLE_VALUE, &count), ERROR_INVALID_HANDLE);
    CHECK_EQ(count, 0xdeadbeef);
    CHECK_FAILS(GetNumberOfConsoleInputEvents(INVALID_HANDLE_VALUE, NULL), ERROR_INVALID_HANDLE);

    TEST("a screen buffer is no input buffer: FlushConsoleInputBuffer and FlushFileBuffers, ERROR_INVALID_HANDLE");
    CHECK_FAILS(FlushConsoleInputBuffer(buffer), ERROR_INVALID_HANDLE);
    CHECK_FAILS(FlushFileBuffers(buffer), ERROR_INVALID_HANDLE);

    TEST("reading a screen buffer: ReadConsoleA/W and ReadFile, ERROR_INVALID_HANDLE");
    CHECK_FAILS(ReadConsoleW(buffer, text, 4, &count, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS(ReadConsoleA(buffer, text, 8, &count, NULL), ERROR_INVALID_HANDLE);
    CHECK_FAILS(ReadFile(buffer, text, 8, &count, NULL), ERROR_INVALID_HANDLE);

    TEST("GetFileSizeEx on a screen buffer: ERROR_INVALID_FUNCTION");
    {
        LARGE_INTEGER size;
        CHECK_FAILS(GetFileSizeEx(buffer, &size), ERROR_INVALID_FUNCTION);
    }
    CloseHandle(nul);

    TEST("GetStdHandle and SetStdHandle with a number that names no standard handle: ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(GetStdHandle(42) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_FAILS(SetStdHandle(42, GetStdHandle(STD_INPUT_HANDLE)), ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    GetStdHandle(STD_INPUT_HANDLE);
    CHECK_ERROR(0xdeadbeef);
}

static void test_new_buffer_attributes(HANDLE buffer)
{
    CONSOLE_SCREEN_BUFFER_INFO info, other;
    HANDLE second;
    TEST("a new screen buffer starts with the active buffer's attributes and window");
    CHECK(SetConsoleActiveScreenBuffer(buffer));
    CHECK(SetConsoleTextAttribute(buffer, FOREGROUND_BLUE | BACKGROUND_GREEN));
    second = new_buffer(GENERIC_READ | GENERIC_WRITE);
    CHECK(second != INVALID_HANDLE_VALUE);
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK(GetConsoleScreenBufferInfo(second, &other));
    CHECK_EQ(other.wAttributes, FOREGROUND_BLUE | BACKGROUND_GREEN);
    CHECK_EQ(other.srWindow.Left, info.srWindow.Left);
    CHECK_EQ(other.srWindow.Top, info.srWindow.Top);
    CHECK_EQ(other.srWindow.Right, info.srWindow.Right);
    CHECK_EQ(other.srWindow.Bottom, info.srWindow.Bottom);
    CloseHandle(second);
    CHECK(SetConsoleTextAttribute(buffer, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE));
}

static void test_info_ex(HANDLE buffer)
{
    CONSOLE_SCREEN_BUFFER_INFOEX ex, back, other;
    CONSOLE_SCREEN_BUFFER_INFO info;
    HANDLE reader, writer, second;
    int i;
    TEST("GetConsoleScreenBufferInfoEx: a wrong cbSize is ERROR_INVALID_PARAMETER, before the handle is looked at");
    memset(&ex, 0, sizeof ex);
    CHECK_FAILS(GetConsoleScreenBufferInfoEx(NULL, &ex), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetConsoleScreenBufferInfoEx(buffer, &ex), ERROR_INVALID_PARAMETER);
    ex.cbSize = sizeof ex;
    CHECK_FAILS(GetConsoleScreenBufferInfoEx(NULL, &ex), ERROR_INVALID_HANDLE);
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK_FAILS(GetConsoleScreenBufferInfoEx(reader, &ex), ERROR_INVALID_HANDLE);
    CloseHandle(reader);
    CloseHandle(writer);

    TEST("GetConsoleScreenBufferInfoEx: what GetConsoleScreenBufferInfo says, the last error untouched");
    CHECK(SetConsoleCursorPosition(buffer, at(3, 2)));
    CHECK(SetConsoleTextAttribute(buffer, TEST_ATTRIBUTES));
    SetLastError(0xdeadbeef);
    CHECK(GetConsoleScreenBufferInfoEx(buffer, &ex));
    CHECK_ERROR(0xdeadbeef);
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK_EQ(ex.cbSize, sizeof ex);
    CHECK_EQ(ex.dwSize.X, info.dwSize.X);
    CHECK_EQ(ex.dwSize.Y, info.dwSize.Y);
    CHECK_EQ(ex.dwCursorPosition.X, 3);
    CHECK_EQ(ex.dwCursorPosition.Y, 2);
    CHECK_EQ(ex.wAttributes, TEST_ATTRIBUTES);
    CHECK_EQ(ex.srWindow.Right, info.srWindow.Right);
    CHECK_EQ(ex.srWindow.Bottom, info.srWindow.Bottom);
    CHECK_EQ(ex.dwMaximumWindowSize.X, info.dwMaximumWindowSize.X);

    TEST("SetConsoleScreenBufferInfoEx: a wrong cbSize, a handle that is no screen buffer");
    back = ex;
    back.cbSize = 0;
    CHECK_FAILS(SetConsoleScreenBufferInfoEx(buffer, &back), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(SetConsoleScreenBufferInfoEx(NULL, &ex), ERROR_INVALID_HANDLE);

    TEST("SetConsoleScreenBufferInfoEx: what Get gave is taken back; the cursor, attributes, popup and colours set");
    SetLastError(0xdeadbeef);
    CHECK(SetConsoleScreenBufferInfoEx(buffer, &ex));
    CHECK_ERROR(0xdeadbeef);
    back = ex;
    back.dwCursorPosition = at(5, 4);
    back.wAttributes = FOREGROUND_RED;
    back.wPopupAttributes = FOREGROUND_GREEN | BACKGROUND_RED;
    back.ColorTable[1] = (COLORREF)0x030201;
    CHECK(SetConsoleScreenBufferInfoEx(buffer, &back));
    memset(&other, 0, sizeof other);
    other.cbSize = sizeof other;
    CHECK(GetConsoleScreenBufferInfoEx(buffer, &other));
    CHECK_EQ(other.dwCursorPosition.X, 5);
    CHECK_EQ(other.dwCursorPosition.Y, 4);
    CHECK_EQ(other.wAttributes, FOREGROUND_RED);
    CHECK_EQ(other.wPopupAttributes, FOREGROUND_GREEN | BACKGROUND_RED);
    WINE_DEVIATION("Wine 8.0's console keeps its colour table: SetConsoleScreenBufferInfoEx's ColorTable is not taken")
    {
        CHECK_EQ(other.ColorTable[1], (COLORREF)0x030201);
    }
    CHECK_EQ(other.dwSize.X, ex.dwSize.X);
    CHECK_EQ(other.dwSize.Y, ex.dwSize.Y);
    for (i = 0; i < 16; i++)
        if (i != 1) CHECK_EQ(other.ColorTable[i], ex.ColorTable[i]);

    TEST("a new screen buffer: the active buffer's attributes, and its popup attributes the same");
    CHECK(SetConsoleActiveScreenBuffer(buffer));
    second = new_buffer(GENERIC_READ | GENERIC_WRITE);
    CHECK(second != INVALID_HANDLE_VALUE);
    memset(&other, 0, sizeof other);
    other.cbSize = sizeof other;
    CHECK(GetConsoleScreenBufferInfoEx(second, &other));
    CHECK_EQ(other.wAttributes, FOREGROUND_RED);
    CHECK_EQ(other.wPopupAttributes, FOREGROUND_RED);
    CloseHandle(second);
    CHECK(SetConsoleScreenBufferInfoEx(buffer, &ex)); /* as it was */
    CHECK(SetConsoleTextAttribute(buffer, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE));
}

static void test_process_list(void)
{
    DWORD list[64], count, i;
    int found = 0;
    TEST("GetConsoleProcessList: no list or a count of 0 is ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetConsoleProcessList(NULL, 0), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetConsoleProcessList(NULL, 1), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetConsoleProcessList(list, 0), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("GetConsoleProcessList: this process is among them; a short list is left alone, the number needed returned");
    list[0] = 0xbabebabe;
    count = GetConsoleProcessList(list, 1);
    CHECK(count >= 1);
    if (count > 1) CHECK_EQ(list[0], 0xbabebabe);
    else CHECK_EQ(list[0], GetCurrentProcessId());
    if (count <= 64) {
        CHECK_EQ(GetConsoleProcessList(list, 64), count);
        for (i = 0; i < count; i++) found |= list[i] == GetCurrentProcessId();
        CHECK(found);
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
        printf("under Wine without a terminal: the screen-buffer functions fail (error %lu): skipped\n",
               (unsigned long)GetLastError());
        tl_skipped++;
        return tl_finish();
    }
    CHECK(GetConsoleScreenBufferInfo(buffer, &info));
    CHECK(info.dwSize.X >= 40 && info.dwSize.Y >= 12);
    test_write_rectangles(buffer, info.dwSize);
    test_read_rectangles(buffer, info.dwSize);
    test_control_cells(buffer);
    test_wrong_handles(buffer);
    test_new_buffer_attributes(buffer);
    test_info_ex(buffer);
    test_process_list();
    CHECK(CloseHandle(buffer));
    return tl_finish();
}
