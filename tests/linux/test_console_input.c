/* test_console_input.c: console input and the screen buffer on a real terminal (a
 * pseudo-terminal the test makes): ReadConsoleA/W in line and raw modes (the line ends in
 * "\r\n"; a raw Enter is '\r'), echo on and off, UTF-8 input as UTF-16, the input handle
 * signalled exactly while input waits (WaitForSingleObject with time-outs before and after
 * typing, WaitForMultipleObjects with an event), GetNumberOfConsoleInputEvents,
 * PeekConsoleInputW, ReadConsoleInputW key events (letters, Shift, Enter, Backspace, arrows
 * from escape sequences, Ctrl-C as a key when processed input is off), Ctrl-C as
 * CTRL_C_EVENT when it is on, FlushConsoleInputBuffer, CONIN$/CONOUT$, ReadFile with an
 * OVERLAPPED on CONIN$ (synchronous, as on Windows), GetConsoleScreenBufferInfo from the
 * terminal's size, SetConsoleTextAttribute, the cursor's position and visibility, output modes as the terminal's newline
 * translation, conio.h's _getch/_kbhit/_getche/_putch/_ungetch/_cputs, and the terminal's
 * settings restored at exit.
 *
 * The checks run in a child whose descriptors 0-2 are the terminal (its controlling
 * terminal). The child asks the parent to "type" (descriptor 4: a length and the bytes,
 * which the parent writes to the master side); its report goes back through a pipe
 * (descriptor 3); the parent checks what reached the terminal. */
#define _GNU_SOURCE
#include "testlib.h"

#include <conio.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 5000

static void type(const char *bytes)
{
    unsigned length = (unsigned)strlen(bytes);
    if (write(4, &length, sizeof length) != (ssize_t)sizeof length || write(4, bytes, length) != (ssize_t)length)
        printf("cannot ask the parent to type\n");
}

static HANDLE ctrl_seen;
static volatile LONG ctrl_type = -1;
static BOOL WINAPI on_ctrl(DWORD kind)
{
    tl_store(&ctrl_type, (LONG)kind);
    SetEvent(ctrl_seen);
    return TRUE;
}

static HANDLE later_event;
static DWORD WINAPI set_later(LPVOID unused)
{
    (void)unused;
    Sleep(100);
    SetEvent(later_event);
    return 0;
}

/* Collects key records until `want` have come (or the time is up). */
static DWORD collect(HANDLE in, INPUT_RECORD *records, DWORD want)
{
    DWORD have = 0;
    DWORD start = GetTickCount();
    while (have < want && GetTickCount() - start < WAIT_MS) {
        DWORD pending = 0, got = 0;
        if (!GetNumberOfConsoleInputEvents(in, &pending)) break;
        if (pending == 0) {
            WaitForSingleObject(in, 100);
            continue;
        }
        if (!ReadConsoleInputW(in, records + have, want - have, &got)) break;
        have += got;
    }
    return have;
}

static volatile LONG blocked_read_error;
static DWORD WINAPI blocked_read(LPVOID handle)
{
    char text[8];
    DWORD got = 0;
    BOOL ok = ReadConsoleA((HANDLE)handle, text, sizeof text, &got, NULL);
    tl_store(&blocked_read_error, ok ? 0 : (LONG)GetLastError());
    return 0;
}

static int key_is(const INPUT_RECORD *r, BOOL down, WORD vk, WCHAR c, DWORD state)
{
    return r->EventType == KEY_EVENT && r->Event.KeyEvent.bKeyDown == down && r->Event.KeyEvent.wVirtualKeyCode == vk &&
           r->Event.KeyEvent.uChar.UnicodeChar == c && r->Event.KeyEvent.dwControlKeyState == state &&
           r->Event.KeyEvent.wRepeatCount == 1;
}

static int child(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode, got, written;
    char text[64];
    WCHAR wide[64];
    fflush(stdout);
    dup2(3, 1); /* the report goes to the pipe; the handles keep the terminal */

    TEST("CONIN$ and CONOUT$: console handles of the terminal");
    HANDLE conin = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    HANDLE conout = CreateFileA("conout$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, 0, NULL);
    CHECK(conin != INVALID_HANDLE_VALUE);
    CHECK(conout != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileType(conin), FILE_TYPE_CHAR);
    CHECK_EQ(GetFileType(conout), FILE_TYPE_CHAR);
    CHECK(GetConsoleMode(conin, &mode));
    CHECK(GetConsoleMode(conout, &mode));
    CHECK_EQ(mode, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT);
    TEST("buffers of the wrong kind: ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(!WriteConsoleA(in, "x", 1, &written, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!ReadConsoleA(out, text, 1, &got, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetNumberOfConsoleInputEvents(conout, &got));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetNumberOfConsoleInputEvents(in, NULL));
    CHECK_ERROR(ERROR_INVALID_ACCESS);

    TEST("GetConsoleScreenBufferInfo: the terminal's size (TIOCGWINSZ)");
    {
        CONSOLE_SCREEN_BUFFER_INFO info;
        memset(&info, 0x55, sizeof info);
        CHECK(GetConsoleScreenBufferInfo(out, &info));
        CHECK_EQ(info.dwSize.X, 100);
        CHECK_EQ(info.dwSize.Y, 30);
        CHECK_EQ(info.srWindow.Left, 0);
        CHECK_EQ(info.srWindow.Top, 0);
        CHECK_EQ(info.srWindow.Right, 99);
        CHECK_EQ(info.srWindow.Bottom, 29);
        CHECK_EQ(info.dwMaximumWindowSize.X, 100);
        CHECK_EQ(info.wAttributes, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE);
        SetLastError(0xdeadbeef);
        CHECK(!GetConsoleScreenBufferInfo(in, &info));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        TEST("SetConsoleTextAttribute: an SGR sequence; the attributes reported back");
        CHECK(SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY | BACKGROUND_BLUE));
        CHECK(GetConsoleScreenBufferInfo(conout, &info));
        CHECK_EQ(info.wAttributes, FOREGROUND_RED | FOREGROUND_INTENSITY | BACKGROUND_BLUE);
        CHECK(SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE));
        TEST("SetConsoleCursorPosition: the CUP sequence; outside the window ERROR_INVALID_PARAMETER");
        COORD at = {4, 2};
        CHECK(SetConsoleCursorPosition(out, at));
        at.X = 100;
        SetLastError(0xdeadbeef);
        CHECK(!SetConsoleCursorPosition(out, at));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        TEST("Get/SetConsoleCursorInfo: Windows' default; visibility as DECTCEM; size 1-100");
        CONSOLE_CURSOR_INFO cursor;
        CHECK(GetConsoleCursorInfo(out, &cursor));
        CHECK(cursor.dwSize == 25 && cursor.bVisible);
        cursor.bVisible = FALSE;
        cursor.dwSize = 50;
        CHECK(SetConsoleCursorInfo(out, &cursor));
        memset(&cursor, 0, sizeof cursor);
        CHECK(GetConsoleCursorInfo(conout, &cursor));
        CHECK(cursor.dwSize == 50 && !cursor.bVisible);
        cursor.dwSize = 0;
        SetLastError(0xdeadbeef);
        CHECK(!SetConsoleCursorInfo(out, &cursor));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        cursor.dwSize = 25;
        cursor.bVisible = TRUE;
        CHECK(SetConsoleCursorInfo(out, &cursor));
    }

    TEST("line input with echo: the handle is signalled once a line waits; ReadConsoleW");
    CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    CHECK(FlushConsoleInputBuffer(in));
    CHECK_EQ(WaitForSingleObject(in, 200), WAIT_TIMEOUT);
    type("visible w\xc3\xb6rld \xf0\x9f\x98\x80\n");
    CHECK_EQ(WaitForSingleObject(in, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(conin, 0), WAIT_OBJECT_0); /* one input buffer */
    memset(wide, 0, sizeof wide);
    CHECK(ReadConsoleW(in, wide, 64, &got, NULL));
    {
        static const WCHAR expected[] = {'v', 'i', 's', 'i', 'b', 'l', 'e', ' ', 'w', 0xF6, 'r', 'l', 'd', ' ',
                                         0xD83D, 0xDE00, '\r', '\n'};
        CHECK_EQ(got, 18);
        CHECK(memcmp(wide, expected, sizeof expected) == 0);
    }
    CHECK_EQ(WaitForSingleObject(in, 200), WAIT_TIMEOUT); /* read: nothing waits any more */

    TEST("ReadConsoleA: a line longer than the buffer comes in pieces; \\r and \\n apart");
    type("abcdef\nxy\n");
    CHECK(ReadConsoleA(in, text, 4, &got, NULL));
    CHECK(got == 4 && memcmp(text, "abcd", 4) == 0);
    CHECK(ReadConsoleA(in, text, 4, &got, NULL));
    CHECK(got == 4 && memcmp(text, "ef\r\n", 4) == 0);
    CHECK(ReadConsoleA(in, text, 3, &got, NULL));
    CHECK(got == 3 && memcmp(text, "xy\r", 3) == 0);
    CHECK(ReadConsoleA(in, text, 3, &got, NULL));
    CHECK(got == 1 && text[0] == '\n');

    TEST("ReadConsoleW with room for one unit: a surrogate pair in two reads");
    type("\xf0\x9f\x98\x80\n");
    CHECK(ReadConsoleW(in, wide, 1, &got, NULL));
    CHECK(got == 1 && wide[0] == 0xD83D);
    CHECK(ReadConsoleW(in, wide, 8, &got, NULL));
    CHECK(got == 3 && wide[0] == 0xDE00 && wide[1] == '\r' && wide[2] == '\n');

    TEST("ReadFile with an OVERLAPPED on CONIN$ (FILE_FLAG_OVERLAPPED): synchronous, as on Windows");
    {
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        type("ov\n"); /* typed while the read waits */
        got = 0;
        CHECK(ReadFile(conin, text, sizeof text, &got, &ov));
        CHECK_EQ(got, 4);
        CHECK(memcmp(text, "ov\r\n", 4) == 0);
        CHECK_EQ(ov.Internal, 0);
        CHECK_EQ(ov.InternalHigh, 4);
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
        CHECK(GetOverlappedResult(conin, &ov, &got, FALSE));
        CHECK_EQ(got, 4);
        CloseHandle(ov.hEvent);
    }

    TEST("line input without echo");
    CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT));
    type("hidden\n");
    CHECK(ReadConsoleA(in, text, sizeof text, &got, NULL));
    CHECK(got == 8 && memcmp(text, "hidden\r\n", 8) == 0);

    TEST("raw input: a key signals the handle; two events a key (down, up); Enter is '\\r'");
    CHECK(SetConsoleMode(in, 0));
    CHECK(GetConsoleMode(in, &mode));
    CHECK_EQ(mode, 0);
    CHECK_EQ(WaitForSingleObject(in, 200), WAIT_TIMEOUT);
    type("k");
    CHECK_EQ(WaitForSingleObject(in, WAIT_MS), WAIT_OBJECT_0);
    got = 0;
    CHECK(GetNumberOfConsoleInputEvents(in, &got));
    CHECK_EQ(got, 2);
    CHECK_EQ(WaitForSingleObject(in, 0), WAIT_OBJECT_0); /* events in the buffer */
    CHECK(ReadConsoleA(in, text, sizeof text, &got, NULL));
    CHECK(got == 1 && text[0] == 'k');
    CHECK(GetNumberOfConsoleInputEvents(in, &got));
    CHECK_EQ(got, 0);
    type("\r");
    CHECK(ReadConsoleA(in, text, sizeof text, &got, NULL));
    CHECK(got == 1 && text[0] == '\r');

    TEST("ReadConsoleInputW: key events from the terminal's bytes");
    {
        INPUT_RECORD records[32];
        type("aZ\r\x7f\x1b[A\x1b[D\x03");
        DWORD have = collect(in, records, 14);
        CHECK_EQ(have, 14);
        if (have == 14) {
            CHECK(key_is(&records[0], TRUE, 'A', 'a', 0));
            CHECK(key_is(&records[1], FALSE, 'A', 'a', 0));
            CHECK(key_is(&records[2], TRUE, 'Z', 'Z', SHIFT_PRESSED));
            CHECK(key_is(&records[4], TRUE, VK_RETURN, '\r', 0));
            CHECK(key_is(&records[6], TRUE, VK_BACK, 8, 0));
            CHECK(key_is(&records[8], TRUE, VK_UP, 0, ENHANCED_KEY));
            CHECK(key_is(&records[10], TRUE, VK_LEFT, 0, ENHANCED_KEY));
            CHECK(key_is(&records[11], FALSE, VK_LEFT, 0, ENHANCED_KEY));
            CHECK(key_is(&records[12], TRUE, 'C', 3, LEFT_CTRL_PRESSED)); /* processed input off */
        }
        TEST("ReadConsoleInputW: modifiers, function and editing keys, Alt, UTF-8, a lone ESC");
        type("\x1b[1;5C\x1bOP\x1b[15~\x1bx\xc3\xa9\x1b[3~\t\x1b");
        have = collect(in, records, 16);
        CHECK_EQ(have, 16);
        if (have == 16) {
            CHECK(key_is(&records[0], TRUE, VK_RIGHT, 0, ENHANCED_KEY | LEFT_CTRL_PRESSED));
            CHECK(key_is(&records[2], TRUE, VK_F1, 0, 0));
            CHECK(key_is(&records[4], TRUE, VK_F5, 0, 0));
            CHECK(key_is(&records[6], TRUE, 'X', 'x', LEFT_ALT_PRESSED));
            CHECK(key_is(&records[8], TRUE, 0, 0xE9, 0));
            CHECK(key_is(&records[10], TRUE, VK_DELETE, 0, ENHANCED_KEY));
            CHECK(key_is(&records[12], TRUE, VK_TAB, '\t', 0));
            CHECK(key_is(&records[14], TRUE, VK_ESCAPE, 0x1B, 0));
            CHECK(key_is(&records[15], FALSE, VK_ESCAPE, 0x1B, 0));
        }
        TEST("PeekConsoleInputW leaves the events; ReadConsoleInputA gives the character as a byte");
        type("p");
        CHECK_EQ(WaitForSingleObject(in, WAIT_MS), WAIT_OBJECT_0);
        got = 0;
        CHECK(PeekConsoleInputW(in, records, 32, &got));
        CHECK_EQ(got, 2);
        CHECK(key_is(&records[0], TRUE, 'P', 'p', 0));
        CHECK(GetNumberOfConsoleInputEvents(in, &got));
        CHECK_EQ(got, 2);
        CHECK(ReadConsoleInputA(in, records, 1, &got));
        CHECK_EQ(got, 1);
        CHECK(records[0].Event.KeyEvent.uChar.AsciiChar == 'p');
        CHECK(ReadConsoleInputW(in, records, 32, &got));
        CHECK_EQ(got, 1);
        CHECK(!records[0].Event.KeyEvent.bKeyDown);
        CHECK_EQ(WaitForSingleObject(in, 0), WAIT_TIMEOUT);
    }

    TEST("FlushConsoleInputBuffer drops what was typed");
    type("junk");
    CHECK_EQ(WaitForSingleObject(in, WAIT_MS), WAIT_OBJECT_0);
    CHECK(FlushConsoleInputBuffer(conin));
    CHECK_EQ(WaitForSingleObject(in, 200), WAIT_TIMEOUT);
    CHECK(GetNumberOfConsoleInputEvents(in, &got));
    CHECK_EQ(got, 0);

    TEST("WaitForMultipleObjects: the input handle with an event");
    {
        HANDLE both[2];
        later_event = CreateEventA(NULL, TRUE, FALSE, NULL);
        both[0] = later_event;
        both[1] = in;
        CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, 200), WAIT_TIMEOUT);
        HANDLE thread = CreateThread(NULL, 0, set_later, NULL, 0, NULL);
        CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, WAIT_MS), WAIT_OBJECT_0);
        WaitForSingleObject(thread, INFINITE);
        CloseHandle(thread);
        ResetEvent(later_event);
        type("m"); /* arrives while the wait sleeps: the watch wakes it */
        CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, WAIT_MS), WAIT_OBJECT_0 + 1);
        SetEvent(later_event);
        CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, WAIT_MS), WAIT_OBJECT_0); /* wait-all: both hold */
        CHECK(ReadConsoleA(in, text, sizeof text, &got, NULL));
        CHECK(got == 1 && text[0] == 'm');
        CloseHandle(later_event);
    }

    TEST("CancelSynchronousIo ends a ReadConsole that waits: ERROR_OPERATION_ABORTED");
    {
        tl_store(&blocked_read_error, -1);
        HANDLE thread = CreateThread(NULL, 0, blocked_read, in, 0, NULL);
        Sleep(200);
        CHECK(tl_load(&blocked_read_error) == -1); /* still waiting */
        CHECK(CancelSynchronousIo(thread));
        CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&blocked_read_error), ERROR_OPERATION_ABORTED);
        CloseHandle(thread);
    }

    TEST("processed input: Ctrl-C is CTRL_C_EVENT, not a key");
    ctrl_seen = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(SetConsoleCtrlHandler(on_ctrl, TRUE));
    CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT));
    type("\x03");
    CHECK_EQ(WaitForSingleObject(ctrl_seen, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&ctrl_type), CTRL_C_EVENT);
    CHECK(GetNumberOfConsoleInputEvents(in, &got));
    CHECK_EQ(got, 0);
    CHECK(SetConsoleCtrlHandler(on_ctrl, FALSE));

    TEST("output modes: processed output turns \\n into \\r\\n unless DISABLE_NEWLINE_AUTO_RETURN");
    CHECK(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));
    CHECK(WriteConsoleA(out, "<l1\nl2>", 7, &written, NULL));
    CHECK(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | DISABLE_NEWLINE_AUTO_RETURN));
    CHECK(WriteConsoleA(conout, "<n1\nn2>", 7, &written, NULL));
    CHECK(SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));

    TEST("conio.h: _getch and _kbhit read keys from the console without Enter, _getche echoes");
    {
        /* Line input without echo: the terminal neither echoes the keys typed nor hands
         * them over before Enter, yet _kbhit sees them and _getch takes them one by one. */
        CHECK(SetConsoleMode(in, ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT));
        CHECK(FlushConsoleInputBuffer(in));
        CHECK_EQ(_kbhit(), 0);
        type("q");
        int hit = 0;
        for (DWORD start = GetTickCount(); !hit && GetTickCount() - start < WAIT_MS; Sleep(10)) hit = _kbhit();
        CHECK(hit);
        CHECK_EQ(_getch(), 'q');
        CHECK(GetConsoleMode(in, &mode));
        CHECK_EQ(mode, ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT); /* the mode is put back */
        /* Ctrl-C is a key for _getch, not CTRL_C_EVENT. It is typed while processed input
         * is off: the terminal acts on a key when it arrives, and this process may not be
         * inside _getch yet (with processed input on, the key would be CTRL_C_EVENT, whose
         * default handler ends the process: a race the CI machine lost). */
        CHECK(SetConsoleMode(in, ENABLE_LINE_INPUT));
        type("\r\x03");
        CHECK_EQ(_getch(), '\r');
        CHECK_EQ(_getch(), 3);
        CHECK(SetConsoleMode(in, ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT));
        type("\033[A\033OP\033[1;5D");
        CHECK_EQ(_getch(), 0xE0); /* Up: 0xE0, then its code */
        CHECK_EQ(_getch(), 0x48);
        CHECK_EQ(_getch(), 0); /* F1: 0, then its code */
        CHECK_EQ(_kbhit(), 1); /* the code waits */
        CHECK_EQ(_getch(), 0x3B);
        CHECK_EQ(_getch(), 0xE0); /* Ctrl+Left */
        CHECK_EQ(_getch(), 0x73);
        CHECK_EQ(_ungetch('z'), 'z');
        CHECK_EQ(_ungetch('y'), EOF); /* one character at most */
        CHECK_EQ(_kbhit(), 1);
        CHECK_EQ(_getch(), 'z');
        CHECK_EQ(_cputs("<conio:"), 0);
        CHECK_EQ(_putch('#'), '#');
        type("!");
        CHECK_EQ(_getche(), '!');
        CHECK_EQ(_cputs(">"), 0);
        CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    }

    TEST("WriteConsoleInput: its records come after what was typed before, and wake a reader");
    {
        INPUT_RECORD written_key, got_records[4];
        memset(&written_key, 0, sizeof written_key);
        written_key.EventType = KEY_EVENT;
        written_key.Event.KeyEvent.bKeyDown = TRUE;
        written_key.Event.KeyEvent.wRepeatCount = 1;
        written_key.Event.KeyEvent.wVirtualKeyCode = 'B';
        written_key.Event.KeyEvent.uChar.UnicodeChar = 'b';
        CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT));
        CHECK(FlushConsoleInputBuffer(in));
        type("a");
        /* Signalled once the terminal has the key: it is typed before the write. */
        CHECK_EQ(WaitForSingleObject(in, WAIT_MS), WAIT_OBJECT_0);
        CHECK(WriteConsoleInputW(in, &written_key, 1, &written));
        CHECK_EQ(written, 1);
        CHECK_EQ(collect(in, got_records, 3), 3);
        CHECK(key_is(&got_records[0], TRUE, 'A', 'a', 0));
        CHECK(key_is(&got_records[1], FALSE, 'A', 'a', 0));
        CHECK(key_is(&got_records[2], TRUE, 'B', 'b', 0));
        /* ReadConsole takes the written key-down's character before the terminal's. */
        CHECK(WriteConsoleInputW(in, &written_key, 1, &written));
        type("c");
        memset(text, 0, sizeof text);
        got = 0;
        DWORD total = 0;
        for (DWORD start = GetTickCount(); total < 2 && GetTickCount() - start < WAIT_MS;) {
            if (WaitForSingleObject(in, 100) != WAIT_OBJECT_0) continue; /* a read would wait */
            CHECK(ReadConsoleA(in, text + total, (DWORD)sizeof text - total, &got, NULL));
            total += got;
        }
        CHECK_EQ(total, 2);
        CHECK(memcmp(text, "bc", 2) == 0);
        /* With line input, a line begun by written key-downs ends with the Enter typed on
         * the terminal: the read waits for it and returns the whole line. */
        CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT));
        CHECK(FlushConsoleInputBuffer(in));
        CHECK(WriteConsoleInputW(in, &written_key, 1, &written));
        type("d\n");
        memset(text, 0, sizeof text);
        got = 0;
        CHECK(ReadConsoleA(in, text, (DWORD)sizeof text, &got, NULL));
        CHECK_EQ(got, 4);
        CHECK(memcmp(text, "bd\r\n", 4) == 0);
        CHECK(SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
    }

    CloseHandle(conin);
    CloseHandle(conout);
    return tl_finish();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        printf("no pseudo-terminal here: skipped\n");
        tl_skipped++;
        return tl_finish();
    }
    const char *slave_name = ptsname(master);
    struct winsize size = {30, 100, 0, 0};
    CHECK(ioctl(master, TIOCSWINSZ, &size) == 0);
    /* The terminal's settings before the child: a cooked terminal that writes the bytes
     * as they are (no \n -> \r\n), so that what reached it can be compared byte for byte. */
    int keep = open(slave_name, O_RDWR | O_NOCTTY);
    struct termios before;
    CHECK(keep >= 0 && tcgetattr(keep, &before) == 0);
    before.c_lflag |= ICANON | ECHO | ISIG;
    before.c_iflag |= ICRNL;
    before.c_oflag &= ~OPOST;
    CHECK(tcsetattr(keep, TCSANOW, &before) == 0);
    CHECK(tcgetattr(keep, &before) == 0);

    int results[2], requests[2];
    CHECK(pipe(results) == 0 && pipe(requests) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(master);
        close(keep);
        setsid();
        int slave = open(slave_name, O_RDWR); /* the controlling terminal */
        if (slave < 0) _exit(120);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2) close(slave);
        int r = dup(results[1]), q = dup(requests[1]);
        dup2(r, 3);
        dup2(q, 4);
        for (int fd = 5; fd < 64; ++fd) close(fd);
        execl("/proc/self/exe", "test_console_input", "child", (char *)NULL);
        _exit(127);
    }
    close(results[1]);
    close(requests[1]);

    static char terminal[65536], report[65536];
    size_t terminal_used = 0, report_used = 0;
    int report_open = 1, requests_open = 1;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (report_open || requests_open) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 60) {
            printf("child did not finish in 60 s\n");
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd fds[3] = {{master, POLLIN, 0}, {results[0], report_open ? POLLIN : 0, 0},
                                {requests[0], requests_open ? POLLIN : 0, 0}};
        if (poll(fds, 3, 100) <= 0) continue;
        if (fds[0].revents & POLLIN) {
            ssize_t n = read(master, terminal + terminal_used, sizeof terminal - 1 - terminal_used);
            if (n > 0) terminal_used += (size_t)n;
        }
        if (fds[1].revents) {
            ssize_t n = read(results[0], report + report_used, sizeof report - 1 - report_used);
            if (n > 0) report_used += (size_t)n;
            else report_open = 0;
        }
        if (fds[2].revents) {
            unsigned length = 0;
            char bytes[256];
            if (read(requests[0], &length, sizeof length) != (ssize_t)sizeof length || length > sizeof bytes ||
                read(requests[0], bytes, length) != (ssize_t)length) {
                requests_open = 0;
                continue;
            }
            if (write(master, bytes, length) != (ssize_t)length) printf("cannot type\n");
        }
    }
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    /* What the terminal still had to say. */
    for (;;) {
        struct pollfd fd = {master, POLLIN, 0};
        if (poll(&fd, 1, 50) <= 0) break;
        ssize_t n = read(master, terminal + terminal_used, sizeof terminal - 1 - terminal_used);
        if (n <= 0) break;
        terminal_used += (size_t)n;
    }
    printf("%s", report);

    TEST("the child's checks");
    CHECK(strstr(report, " 0 failed") != NULL);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    TEST("what reached the terminal: echo, attributes, newline translation");
    CHECK(memmem(terminal, terminal_used, "visible w\xc3\xb6rld", 11) != NULL); /* echoed */
    CHECK(memmem(terminal, terminal_used, "hidden", 6) == NULL);               /* not echoed */
    CHECK(memmem(terminal, terminal_used, "\033[0;91;44m", 10) != NULL);
    CHECK(memmem(terminal, terminal_used, "<l1\r\nl2>", 8) != NULL);
    CHECK(memmem(terminal, terminal_used, "<n1\nn2>", 7) != NULL);
    CHECK(memmem(terminal, terminal_used, "\033[?7l", 5) != NULL); /* wrap off */
    CHECK(memmem(terminal, terminal_used, "\033[3;5H", 6) != NULL);  /* the cursor to (4, 2) */
    CHECK(memmem(terminal, terminal_used, "\033[?25l", 6) != NULL); /* hidden */
    CHECK(memmem(terminal, terminal_used, "<conio:#!>", 10) != NULL); /* _cputs, _putch, _getche */
    TEST("the terminal's settings are restored at exit");
    struct termios after;
    CHECK(tcgetattr(keep, &after) == 0);
    CHECK_EQ(after.c_lflag & (ICANON | ECHO | ISIG), before.c_lflag & (ICANON | ECHO | ISIG));
    CHECK_EQ(after.c_iflag & ICRNL, before.c_iflag & ICRNL);
    CHECK_EQ(after.c_oflag & (OPOST | ONLCR), before.c_oflag & (OPOST | ONLCR));
    close(keep);
    close(master);
    return tl_finish();
}
