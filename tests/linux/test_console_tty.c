/* test_console_tty.c: the console functions on a real terminal (a pseudo-terminal the test
 * makes): the standard handles are FILE_TYPE_CHAR and console handles; GetConsoleMode
 * reports Windows' default modes; SetConsoleMode checks modes as the Windows console host
 * does; WriteConsoleW writes UTF-8 (surrogate pairs included) and counts WCHARs;
 * WriteConsoleA writes the bytes; SetConsoleTitle emits the xterm title sequence with
 * control characters removed; ReadFile reads what was typed; after FreeConsole the
 * console handles fail with ERROR_INVALID_HANDLE until AllocConsole, which gives NULL
 * standard handles a console handle; CreateFile("CON") by access. The Win32 tests
 * cover the redirected case.
 *
 * The checks run in a child whose descriptors 0-2 are the terminal; its test output goes
 * back through a pipe, and the parent checks what reached the terminal's master side. */
#define _GNU_SOURCE
#include "testlib.h"

#include "pty_child.h"

static int child(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD mode, written;
    /* From here on the test's own output goes to the pipe on descriptor 3; the handles
     * keep the terminal. */
    fflush(stdout);
    dup2(3, 1);

    TEST("the standard handles of a terminal");
    CHECK(in != NULL && in != INVALID_HANDLE_VALUE);
    CHECK(out != NULL && out != INVALID_HANDLE_VALUE);
    CHECK(err != NULL && err != INVALID_HANDLE_VALUE);
    CHECK(in != out && out != err);
    CHECK_EQ(GetFileType(out), FILE_TYPE_CHAR);
    CHECK_EQ(GetFileType(in), FILE_TYPE_CHAR);

    TEST("GetConsoleMode: Windows' defaults for the input buffer and the screen buffer");
    mode = 0;
    SetLastError(0xdeadbeef);
    CHECK(GetConsoleMode(out, &mode));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(mode, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT);
    CHECK(GetConsoleMode(in, &mode));
    CHECK_EQ(mode, 0x1F7u); /* every input mode but WINDOW_INPUT and VIRTUAL_TERMINAL_INPUT */

    TEST("SetConsoleMode: output modes");
    CHECK(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING));
    CHECK(GetConsoleMode(err, &mode)); /* one screen buffer: stderr's handle sees the change */
    CHECK_EQ(mode, 7);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleMode(out, 0x100)); /* not an output mode */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(GetConsoleMode(out, &mode));
    CHECK_EQ(mode, 7);

    TEST("SetConsoleMode: input modes; ECHO without LINE is refused (and kept, as conhost does)");
    CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    CHECK(GetConsoleMode(in, &mode));
    CHECK_EQ(mode, 7);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleMode(in, ENABLE_ECHO_INPUT));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(GetConsoleMode(in, &mode));
    CHECK_EQ(mode, ENABLE_ECHO_INPUT);
    SetLastError(0xdeadbeef);
    CHECK(!SetConsoleMode(in, 0x10000));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetConsoleMode(in, 0x1F7));

    TEST("WriteConsoleW: UTF-16 to UTF-8, the count in WCHARs");
    {
        /* "<h e-acute U+1F600>" as UTF-16: the emoji is a surrogate pair. */
        static const WCHAR text[] = {'<', 'h', 0x00E9, 0xD83D, 0xDE00, '>'};
        written = 0;
        CHECK(WriteConsoleW(out, text, 6, &written, NULL));
        CHECK_EQ(written, 6);
    }
    TEST("WriteConsoleA: the bytes as they are");
    written = 0;
    CHECK(WriteConsoleA(out, "[abc]", 5, &written, NULL));
    CHECK_EQ(written, 5);
    CHECK(WriteConsoleA(out, NULL, 0, &written, NULL));
    CHECK_EQ(written, 0);
    TEST("SetConsoleTitleA: the xterm sequence, control characters dropped");
    CHECK(SetConsoleTitleA("ti\033tle"));
    TEST("ReadFile on the console input handle: what was typed");
    {
        char typed[32];
        DWORD got = 0;
        memset(typed, 0, sizeof typed);
        CHECK(ReadFile(in, typed, sizeof typed - 1, &got, NULL));
        CHECK(got >= 5 && memcmp(typed, "typed", 5) == 0);
    }
    TEST("WriteFile on the console handle");
    CHECK(WriteFile(out, "{wf}", 4, &written, NULL));
    CHECK_EQ(written, 4);

    TEST("CreateFile: CON for reading is the input buffer, for writing the screen buffer, for both nothing");
    {
        HANDLE con_in = CreateFileA("CON", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(con_in != INVALID_HANDLE_VALUE);
        CHECK(GetNumberOfConsoleInputEvents(con_in, &mode)); /* an input buffer */
        HANDLE con_out = CreateFileA("CON", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(con_out != INVALID_HANDLE_VALUE);
        CONSOLE_SCREEN_BUFFER_INFO info;
        CHECK(GetConsoleScreenBufferInfo(con_out, &info)); /* a screen buffer */
        CHECK(WriteFile(con_out, "{con}", 5, &written, NULL));
        SetLastError(0xdeadbeef);
        HANDLE both = CreateFileA("CON", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                  OPEN_EXISTING, 0, NULL);
        CHECK(both == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        CloseHandle(con_in);
        CloseHandle(con_out);
        /* CONIN$/CONOUT$ take any of CreateFile's dispositions, and only those */
        HANDLE any = CreateFileA("CONOUT$", GENERIC_WRITE, FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
        CHECK(any != INVALID_HANDLE_VALUE);
        CloseHandle(any);
        SetLastError(0xdeadbeef);
        CHECK(CreateFileA("CONIN$", GENERIC_READ, FILE_SHARE_READ, NULL, 0, 0, NULL) == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("after FreeConsole the console handles are unbound (ERROR_INVALID_HANDLE); AllocConsole binds them again");
    CHECK(FreeConsole());
    CHECK(GetStdHandle(STD_OUTPUT_HANDLE) == out); /* the standard handles stay */
    CHECK_EQ(GetFileType(out), FILE_TYPE_CHAR);
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleMode(out, &mode));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetConsoleMode(in, &mode));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(out, "{gone}", 6, &written, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleA(out, "{gone}", 6, &written, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    {
        char typed[8];
        DWORD got = 5;
        SetLastError(0xdeadbeef);
        CHECK(!ReadFile(in, typed, sizeof typed, &got, NULL));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK_EQ(got, 0);
    }
    SetLastError(0xdeadbeef);
    HANDLE conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, 0, NULL);
    CHECK(conout == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(AllocConsole());
    CHECK(GetConsoleMode(out, &mode));
    CHECK(WriteFile(out, "{back}", 6, &written, NULL));
    CHECK_EQ(written, 6);

    TEST("AllocConsole gives standard handles that are NULL a console handle");
    CHECK(SetStdHandle(STD_OUTPUT_HANDLE, NULL));
    CHECK(SetStdHandle(STD_ERROR_HANDLE, NULL));
    CHECK(FreeConsole());
    CHECK(AllocConsole());
    HANDLE filled = GetStdHandle(STD_OUTPUT_HANDLE);
    CHECK(filled != NULL && filled != INVALID_HANDLE_VALUE && filled != out);
    CHECK(GetStdHandle(STD_ERROR_HANDLE) != NULL);
    CHECK(GetStdHandle(STD_INPUT_HANDLE) == in); /* not NULL: kept */
    CHECK(GetConsoleMode(filled, &mode));
    CHECK(WriteFile(filled, "{filled}", 8, &written, NULL));
    CHECK_EQ(written, 8);
    return tl_finish();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();

    static struct pty_output out;
    if (pty_run_child("test_console_tty", 0, 0, "typed\n", &out) != 0) {
        printf("no pseudo-terminal here: skipped\n");
        tl_skipped++;
        return tl_finish();
    }
    const char *terminal = out.terminal, *report = out.report;
    printf("%s", report);

    TEST("the child's checks");
    CHECK(strstr(report, " 0 failed") != NULL);
    TEST("what reached the terminal");
    CHECK(strstr(terminal, "<h\xc3\xa9\xf0\x9f\x98\x80>") != NULL);
    CHECK(strstr(terminal, "[abc]") != NULL);
    CHECK(strstr(terminal, "\033]0;title\007") != NULL);
    CHECK(strstr(terminal, "{wf}") != NULL);
    CHECK(strstr(terminal, "{back}") != NULL);
    CHECK(strstr(terminal, "{gone}") == NULL);
    CHECK(strstr(terminal, "{filled}") != NULL);
    CHECK(strstr(terminal, "{con}") != NULL);
    return tl_finish();
}
