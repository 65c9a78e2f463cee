/* test_console_io.c: the console functions where no terminal is needed: standard handles
 * redirected to a file, a pipe and NUL (GetFileType FILE_TYPE_DISK, FILE_TYPE_PIPE,
 * FILE_TYPE_CHAR), in this process and in a child started with STARTF_USESTDHANDLES; the
 * console input and screen-buffer functions on handles that are not console buffers
 * (ERROR_INVALID_HANDLE, checked before the other arguments); AllocConsole/FreeConsole's
 * answers; SetConsoleTitle/GetConsoleTitle round trips with Windows' buffer rules;
 * SetConsoleCP/SetConsoleOutputCP refusing code pages Windows does not have.
 * tests/linux/test_console_input.c covers a real terminal. Sources:
 * docs/research/windows-console.md. */
#include "testlib.h"

static char self_path[MAX_PATH];

/* The child: reports the types of its standard handles (1 to 3: two bits each), and
 * whether its standard error (NUL) counts as a console, in its exit code (8 bits: a Linux
 * exit status has no more). */
static int child_types(void)
{
    DWORD in = GetFileType(GetStdHandle(STD_INPUT_HANDLE));
    DWORD out = GetFileType(GetStdHandle(STD_OUTPUT_HANDLE));
    DWORD err = GetFileType(GetStdHandle(STD_ERROR_HANDLE));
    DWORD mode;
    SetLastError(0xdeadbeef);
    BOOL console = GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode);
    DWORD not_console = !console && GetLastError() == ERROR_INVALID_HANDLE;
    return (int)((in & 3) | ((out & 3) << 2) | ((err & 3) << 4) | (not_console << 6));
}

static void not_a_console(HANDLE handle, const char *what)
{
    DWORD count = 0, mode = 0;
    char text[8];
    INPUT_RECORD record;
    CONSOLE_SCREEN_BUFFER_INFO info;
    TEST(what);
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleMode(handle, &mode));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleMode(handle, ENABLE_PROCESSED_INPUT));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetNumberOfConsoleInputEvents(handle, &count));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetNumberOfConsoleInputEvents(handle, NULL)); /* the handle is checked first */
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!FlushConsoleInputBuffer(handle));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleA(handle, text, sizeof text, &count, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleInputW(handle, &record, 1, &count));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!PeekConsoleInputW(handle, &record, 1, &count));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleScreenBufferInfo(handle, &info));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleTextAttribute(handle, FOREGROUND_RED));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    COORD origin = {0, 0};
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleCursorPosition(handle, origin));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CONSOLE_CURSOR_INFO cursor;
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleCursorInfo(handle, &cursor));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

/* AllocConsole. Wine starts a conhost.exe for it, which once failed to come up in time in a
 * run loaded with three test suites at once (the next AllocConsole then succeeded): under
 * Wine a failure is tried again, and said. */
static BOOL alloc_console(void)
{
    int attempt;
    for (attempt = 0; attempt < 3; attempt++) {
        if (AllocConsole()) return TRUE;
        if (!tl_under_wine()) return FALSE;
        printf("under Wine: AllocConsole failed (error %lu), again\n", (unsigned long)GetLastError());
        Sleep(200);
    }
    return FALSE;
}

/* What "Reading Input Buffer Events" switches on: the mouse record's button bits and event
 * flags (wincon.h's values); and the SAL annotations samples put on parameters. */
static int mouse_event_kind(_In_ const MOUSE_EVENT_RECORD *record, __in_ecount(1) const DWORD *unused)
{
    (void)unused;
    switch (record->dwEventFlags) {
    case 0: return record->dwButtonState == FROM_LEFT_1ST_BUTTON_PRESSED ? 1 : 2;
    case DOUBLE_CLICK: return 3;
    case MOUSE_HWHEELED: return 4;
    case MOUSE_MOVED: return 5;
    case MOUSE_WHEELED: return 6;
    default: return 0;
    }
}

static void test_mouse_record_values(void)
{
    MOUSE_EVENT_RECORD record;
    DWORD nothing = 0;

    TEST("MOUSE_EVENT_RECORD: the button bits and event flags have Windows' values");
    CHECK_EQ(FROM_LEFT_1ST_BUTTON_PRESSED, 0x0001);
    CHECK_EQ(RIGHTMOST_BUTTON_PRESSED, 0x0002);
    CHECK_EQ(FROM_LEFT_2ND_BUTTON_PRESSED, 0x0004);
    CHECK_EQ(FROM_LEFT_3RD_BUTTON_PRESSED, 0x0008);
    CHECK_EQ(FROM_LEFT_4TH_BUTTON_PRESSED, 0x0010);
    CHECK_EQ(MOUSE_MOVED, 0x0001);
    CHECK_EQ(DOUBLE_CLICK, 0x0002);
    CHECK_EQ(MOUSE_WHEELED, 0x0004);
    CHECK_EQ(MOUSE_HWHEELED, 0x0008);
    memset(&record, 0, sizeof record);
    record.dwButtonState = FROM_LEFT_1ST_BUTTON_PRESSED;
    CHECK_EQ(mouse_event_kind(&record, &nothing), 1);
    record.dwEventFlags = MOUSE_HWHEELED;
    CHECK_EQ(mouse_event_kind(&record, &nothing), 4);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child-types") == 0) return child_types();
    test_mouse_record_values();
    GetModuleFileNameA(NULL, self_path, sizeof self_path);

    char directory[MAX_PATH], path[MAX_PATH + 64];
    GetTempPathA(sizeof directory, directory);
    snprintf(path, sizeof path, "%sconsole_io_%lu.txt", directory, (unsigned long)GetCurrentProcessId());
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE read_end = NULL, write_end = NULL;
    CHECK(CreatePipe(&read_end, &write_end, NULL, 0));
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);

    TEST("standard handles redirected to a file and a pipe: their file types, not consoles");
    HANDLE saved = GetStdHandle(STD_INPUT_HANDLE);
    CHECK(SetStdHandle(STD_INPUT_HANDLE, file));
    CHECK_EQ(GetFileType(GetStdHandle(STD_INPUT_HANDLE)), FILE_TYPE_DISK);
    CHECK(SetStdHandle(STD_INPUT_HANDLE, read_end));
    CHECK_EQ(GetFileType(GetStdHandle(STD_INPUT_HANDLE)), FILE_TYPE_PIPE);
    CHECK(SetStdHandle(STD_INPUT_HANDLE, saved));

    not_a_console(file, "console functions on a file: ERROR_INVALID_HANDLE");
    not_a_console(read_end, "console functions on a pipe: ERROR_INVALID_HANDLE");
    not_a_console(event, "console functions on an event: ERROR_INVALID_HANDLE");
    not_a_console(INVALID_HANDLE_VALUE, "console functions on INVALID_HANDLE_VALUE: ERROR_INVALID_HANDLE");
    not_a_console(NULL, "console functions on NULL: ERROR_INVALID_HANDLE");

    TEST("a child's standard handles: a file, a pipe, NUL (a character device, not a console)");
    {
        HANDLE nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                 OPEN_EXISTING, 0, NULL);
        CHECK(nul != INVALID_HANDLE_VALUE);
        CHECK_EQ(GetFileType(nul), FILE_TYPE_CHAR);
        DWORD mode;
        SetLastError(0xdeadbeef);
        CHECK(!GetConsoleMode(nul, &mode));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        HANDLE in = NULL, out = NULL, err = NULL;
        HANDLE process = GetCurrentProcess();
        CHECK(DuplicateHandle(process, file, process, &in, 0, TRUE, DUPLICATE_SAME_ACCESS));
        CHECK(DuplicateHandle(process, write_end, process, &out, 0, TRUE, DUPLICATE_SAME_ACCESS));
        CHECK(DuplicateHandle(process, nul, process, &err, 0, TRUE, DUPLICATE_SAME_ACCESS));
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdInput = in;
        startup.hStdOutput = out;
        startup.hStdError = err;
        char line[MAX_PATH + 32];
        snprintf(line, sizeof line, "\"%s\" child-types", self_path);
        CHECK(CreateProcessA(self_path, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &info));
        DWORD code = 0;
        CHECK_EQ(WaitForSingleObject(info.hProcess, 30000), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code & 3, FILE_TYPE_DISK);
        CHECK_EQ((code >> 2) & 3, FILE_TYPE_PIPE);
        CHECK_EQ((code >> 4) & 3, FILE_TYPE_CHAR);
        CHECK_EQ((code >> 6) & 1, 1);
        CloseHandle(info.hProcess);
        CloseHandle(info.hThread);
        CloseHandle(in);
        CloseHandle(out);
        CloseHandle(err);
        CloseHandle(nul);
    }

    TEST("AllocConsole while attached fails with ERROR_ACCESS_DENIED; FreeConsole, then AllocConsole");
    FreeConsole();
    CHECK(alloc_console());
    SetLastError(0xdeadbeef);
    CHECK(!AllocConsole());
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(FreeConsole());
    TEST("CreateFile(CONIN$/CONOUT$) with a disposition that is none of CreateFile's five: ERROR_INVALID_PARAMETER");
    {
        static const char *names[] = {"CONIN$", "CONOUT$"};
        for (int i = 0; i < 2; i++) {
            SetLastError(0xdeadbeef);
            HANDLE h = CreateFileA(names[i], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, 0, 0, NULL);
            CHECK(h == INVALID_HANDLE_VALUE);
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
    }
    TEST("without a console: the code pages are 0, the console functions fail with ERROR_INVALID_HANDLE");
    {
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetConsoleCP(), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetConsoleOutputCP(), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!SetConsoleCP(437));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!SetConsoleOutputCP(437));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        WCHAR wide[8];
        wide[0] = 0xC0C0;
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetConsoleTitleW(wide, 8), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK_EQ(wide[0], 0xC0C0); /* untouched */
        SetLastError(0xdeadbeef);
        CHECK(!SetConsoleTitleA("none"));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(GetConsoleWindow() == NULL);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        HANDLE conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                    OPEN_EXISTING, 0, NULL);
        CHECK(conout == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        /* CONIN$ and CON too, and CON for both reading and writing (which is
         * ERROR_FILE_NOT_FOUND with a console): Wine's conformance test test_FreeConsole. */
        SetLastError(0xdeadbeef);
        HANDLE conin = CreateFileA("CONIN$", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(conin == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        HANDLE con = CreateFileA("CON", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(con == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        con = CreateFileA("CON", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(con == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        HANDLE buffer = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                                  CONSOLE_TEXTMODE_BUFFER, NULL);
        CHECK(buffer == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
    TEST("AttachConsole to a process that does not exist: ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK(!AttachConsole(0x7ffffff0));
    WINE_DEVIATION("Wine's AttachConsole answers ERROR_INVALID_HANDLE for a process that does not exist")
    {
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CHECK(alloc_console());

    TEST("SetConsoleTitleA, GetConsoleTitleA: Windows' rules for short buffers; the last error untouched");
    WINE_DEVIATION("Wine 8.0 headless: SetConsoleTitle fails with ERROR_INVALID_HANDLE on the console AllocConsole made")
    {
        char title[32];
        CHECK(SetConsoleTitleA("TestTitle")); /* 9 characters */
        memset(title, 'Z', sizeof title);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetConsoleTitleA(title, sizeof title), 9);
        CHECK_ERROR(0xdeadbeef);
        CHECK(strcmp(title, "TestTitle") == 0);
        memset(title, 'Z', sizeof title);
        CHECK_EQ(GetConsoleTitleA(title, 10), 9); /* room for the terminator */
        CHECK(memcmp(title, "TestTitle\0", 10) == 0);
        memset(title, 'Z', sizeof title);
        CHECK_EQ(GetConsoleTitleA(title, 9), 9); /* no room for it: none written */
        CHECK(memcmp(title, "TestTitleZ", 10) == 0);
        memset(title, 'Z', sizeof title);
        CHECK_EQ(GetConsoleTitleA(title, 4), 0); /* too short: an empty string */
        CHECK_EQ(title[0], 0);
        CHECK_EQ(title[1], 'Z');
        CHECK_EQ(GetConsoleTitleA(NULL, 0), 0);
        CHECK_EQ(GetConsoleTitleA(title, 0), 0);
        /* An empty title reads as nothing (Wine's conformance test test_GetConsoleTitleA). */
        CHECK(SetConsoleTitleA(""));
        memset(title, 'Z', sizeof title);
        CHECK_EQ(GetConsoleTitleA(title, sizeof title), 0);
    }
    TEST("SetConsoleTitleW, GetConsoleTitleW: as much as fits with a terminator; the title's length");
    WINE_DEVIATION("Wine 8.0 headless: SetConsoleTitle fails with ERROR_INVALID_HANDLE on the console AllocConsole made")
    {
        static const WCHAR name[] = {'T', 'i', 't', 'l', 'e', 0x00E9, 0};
        WCHAR title[16];
        CHECK(SetConsoleTitleW(name));
        memset(title, 0x5A, sizeof title);
        CHECK_EQ(GetConsoleTitleW(title, 16), 6);
        CHECK(memcmp(title, name, sizeof name) == 0);
        memset(title, 0x5A, sizeof title);
        CHECK_EQ(GetConsoleTitleW(title, 4), 6);
        CHECK(title[0] == 'T' && title[1] == 'i' && title[2] == 't' && title[3] == 0 && title[4] == 0x5A5A);
        CHECK_EQ(GetConsoleTitleW(NULL, 0), 0);
        CHECK_EQ(GetConsoleTitleW(title, 0), 0);
        static const WCHAR empty[] = {0};
        CHECK(SetConsoleTitleW(empty));
        CHECK_EQ(GetConsoleTitleW(title, 16), 0);
        CHECK(SetConsoleTitleW(name));
        char narrow[16];
        OUR_DEVIATION("A strings are UTF-8: the title's A length counts U+00E9 as 2 bytes")
        {
            CHECK_EQ(GetConsoleTitleA(narrow, sizeof narrow), 6); /* one byte of the ANSI code page */
        }
    }

    TEST("SetConsoleCP, SetConsoleOutputCP: a code page Windows does not have is ERROR_INVALID_PARAMETER");
    WINE_DEVIATION("Wine 8.0 headless: the code page functions fail with ERROR_INVALID_HANDLE on the console AllocConsole made")
    {
        UINT input = GetConsoleCP(), output = GetConsoleOutputCP();
        static const UINT invalid[] = {0, 12345, 1200, 12000, 65002};
        for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
            SetLastError(0xdeadbeef);
            CHECK(!SetConsoleCP(invalid[i]));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
            SetLastError(0xdeadbeef);
            CHECK(!SetConsoleOutputCP(invalid[i]));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
        CHECK_EQ(GetConsoleCP(), input); /* unchanged */
        CHECK_EQ(GetConsoleOutputCP(), output);
        CHECK(SetConsoleCP(437));
        CHECK_EQ(GetConsoleCP(), 437);
        CHECK(SetConsoleOutputCP(1252));
        CHECK_EQ(GetConsoleOutputCP(), 1252);
        CHECK(SetConsoleCP(CP_UTF8));
        CHECK(SetConsoleOutputCP(CP_UTF8));
        CHECK_EQ(GetConsoleCP(), CP_UTF8);
        CHECK_EQ(GetConsoleOutputCP(), CP_UTF8);
    }

    CloseHandle(read_end);
    CloseHandle(write_end);
    CloseHandle(event);
    CloseHandle(file);
    DeleteFileA(path);
    return tl_finish();
}
