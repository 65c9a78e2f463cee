/* test_console_screen_tty.c: the active screen buffer mirrors its model to a terminal. A
 * child runs on a pseudo-terminal of 30x8 and draws with WriteConsole text, the "Clearing
 * the Screen" sample (FillConsoleOutputCharacter, FillConsoleOutputAttribute,
 * SetConsoleCursorPosition), WriteConsoleOutputCharacter, WriteConsoleOutput,
 * ScrollConsoleScreenBuffer, a second buffer shown and hidden again (the terminal's
 * alternate screen); it checks that GetConsoleScreenBufferInfo's cursor follows its own
 * text, and finally sends its model (every cell's character, read with
 * ReadConsoleOutputCharacterA) through a pipe. The parent replays what reached the terminal
 * through a small terminal of its own (text, CR, LF, CUP, SGR, erase, the alternate screen)
 * and compares the screen with the model. A second child closes its active buffer over and
 * over while a thread of its own opens CONOUT$. */
#define _GNU_SOURCE
#include "testlib.h"

#include <sys/resource.h>

#include "pty_child.h"

#define COLUMNS 30
#define ROWS 8

static COORD at(int x, int y)
{
    COORD c;
    c.X = (SHORT)x;
    c.Y = (SHORT)y;
    return c;
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* The bytes of address space this process maps now (VmSize). */
static rlim_t address_space_used(void)
{
    unsigned long pages = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    if (statm != NULL) {
        if (fscanf(statm, "%lu", &pages) != 1) pages = 0;
        fclose(statm);
    }
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}
#endif

static int child(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    CONSOLE_SCREEN_BUFFER_INFO info;
    DWORD written, cells;
    char model[ROWS][COLUMNS + 1];
    int row;
    fflush(stdout);
    dup2(3, 1); /* the test's own output goes to the pipe; the handle keeps the terminal */

    TEST("the buffer is the terminal's size; the cursor follows the program's text");
    CHECK(GetConsoleScreenBufferInfo(out, &info));
    CHECK_EQ(info.dwSize.X, COLUMNS);
    CHECK_EQ(info.dwSize.Y, ROWS);
    CHECK(SetConsoleCursorPosition(out, at(0, 0)));
    CHECK(WriteConsoleA(out, "hello\r\nworld\033[2;10Hx", (DWORD)strlen("hello\r\nworld\033[2;10Hx"), &written, NULL));
    CHECK(GetConsoleScreenBufferInfo(out, &info));
    CHECK_EQ(info.dwCursorPosition.X, 10);
    CHECK_EQ(info.dwCursorPosition.Y, 1);

    TEST("the Clearing the Screen sample clears the terminal");
    cells = COLUMNS * ROWS;
    CHECK(FillConsoleOutputCharacterA(out, ' ', cells, at(0, 0), &written));
    CHECK_EQ(written, cells);
    CHECK(FillConsoleOutputAttribute(out, info.wAttributes, cells, at(0, 0), &written));
    CHECK(SetConsoleCursorPosition(out, at(0, 0)));
    CHECK(WriteConsoleA(out, "top", 3, &written, NULL));

    TEST("cells written, a rectangle, a scroll");
    CHECK(WriteConsoleOutputCharacterA(out, "wrapped-text", 12, at(COLUMNS - 5, 2), &written));
    CHECK(SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY));
    CHECK(WriteConsoleA(out, "\r\n\n\n\nred", 8, &written, NULL));
    {
        CHAR_INFO block[4];
        COORD size = {2, 2}, origin = {0, 0};
        SMALL_RECT region = {20, 5, 21, 6};
        int i;
        for (i = 0; i < 4; i++) {
            block[i].Char.UnicodeChar = (WCHAR)('P' + i);
            block[i].Attributes = BACKGROUND_GREEN;
        }
        CHECK(WriteConsoleOutputW(out, block, size, origin, &region));
    }
    {
        SMALL_RECT scroll = {0, 0, 9, 2};
        CHAR_INFO fill;
        fill.Char.UnicodeChar = '.';
        fill.Attributes = BACKGROUND_BLUE;
        CHECK(ScrollConsoleScreenBufferW(out, &scroll, NULL, at(12, 3), &fill));
    }

    TEST("without ENABLE_PROCESSED_OUTPUT control characters are cells, shown as blanks");
    {
        DWORD mode = 0;
        CHECK(GetConsoleMode(out, &mode));
        CHECK(SetConsoleMode(out, mode & ~ENABLE_PROCESSED_OUTPUT));
        CHECK(SetConsoleCursorPosition(out, at(0, ROWS - 1)));
        CHECK(WriteConsoleA(out, "c\x01\x07\t\nz", 6, &written, NULL));
        CHECK_EQ(written, 6);
        CHECK(GetConsoleScreenBufferInfo(out, &info));
        CHECK_EQ(info.dwCursorPosition.X, 6); /* no tab stop, no line feed: each one a cell */
        CHECK_EQ(info.dwCursorPosition.Y, ROWS - 1);
        CHECK(SetConsoleMode(out, mode));
    }

    TEST("a second buffer is shown on the alternate screen and hidden again");
    {
        HANDLE second = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, 0, NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
        CHECK(second != INVALID_HANDLE_VALUE);
        CHECK(WriteConsoleA(second, "second", 6, &written, NULL));
        /* Its own output mode: no autowrap, for the terminal only while it is shown. */
        CHECK(SetConsoleMode(second, ENABLE_PROCESSED_OUTPUT));
        CHECK(SetConsoleActiveScreenBuffer(second));
        CHECK(WriteConsoleA(second, "!", 1, &written, NULL));
        CHECK(WriteConsoleA(out, "hidden", 6, &written, NULL)); /* the model only, until shown */
        CHECK(SetConsoleActiveScreenBuffer(out));
        CHECK(CloseHandle(second));
    }
    TEST("a size or a scroll there is no memory for fails (ERROR_NOT_ENOUGH_MEMORY), the buffer kept");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    /* The sanitizers reserve their shadow memory up front and end the process on a failed
     * allocation instead of reporting it: an address-space limit cannot be tried there. */
    printf("under a sanitizer: skipped\n");
    tl_skipped++;
#else
    {
        /* 32767x32767 cells are 4 GiB: more than the address space left under this limit. */
        HANDLE big = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, 0, NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
        struct rlimit old_limit, limit;
        CHECK(big != INVALID_HANDLE_VALUE);
        CHECK_EQ(getrlimit(RLIMIT_AS, &old_limit), 0);
        limit = old_limit;
        limit.rlim_cur = address_space_used() + (512UL << 20);
        if (limit.rlim_cur < old_limit.rlim_cur) CHECK_EQ(setrlimit(RLIMIT_AS, &limit), 0);
        COORD huge = {32767, 32767};
        SMALL_RECT whole = {0, 0, 32766, 32766};
        CHAR_INFO fill;
        fill.Char.UnicodeChar = ' ';
        fill.Attributes = 7;
        SetLastError(0);
        CHECK(!SetConsoleScreenBufferSize(big, huge));
        CHECK_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
        CHECK_EQ(setrlimit(RLIMIT_AS, &old_limit), 0);
        CONSOLE_SCREEN_BUFFER_INFO kept;
        CHECK(GetConsoleScreenBufferInfo(big, &kept));
        CHECK_EQ(kept.dwSize.X, COLUMNS);
        CHECK_EQ(kept.dwSize.Y, ROWS);
        /* A scroll of 32767x1000 cells (128 MiB) needs a copy of them: with 64 MiB left, it
         * fails as well, and leaves the cells alone. */
        COORD tall = {32767, 1000};
        DWORD written = 0;
        WCHAR corner = 0;
        CHECK(SetConsoleScreenBufferSize(big, tall));
        CHECK(FillConsoleOutputCharacterA(big, 'k', 1, at(0, 0), &written));
        limit.rlim_cur = address_space_used() + (64UL << 20);
        if (limit.rlim_cur < old_limit.rlim_cur) CHECK_EQ(setrlimit(RLIMIT_AS, &limit), 0);
        SetLastError(0);
        CHECK(!ScrollConsoleScreenBufferW(big, &whole, NULL, at(0, 1), &fill));
        CHECK_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
        CHECK_EQ(setrlimit(RLIMIT_AS, &old_limit), 0);
        CHECK(ReadConsoleOutputCharacterW(big, &corner, 1, at(0, 0), &written));
        CHECK_EQ(corner, 'k');
        CHECK(CloseHandle(big));
    }
#endif
    CHECK(GetConsoleScreenBufferInfo(out, &info));

    /* The model, last: "MODEL" and a row a line. */
    for (row = 0; row < ROWS; row++) {
        DWORD read = 0;
        memset(model[row], 0, sizeof model[row]);
        CHECK(ReadConsoleOutputCharacterA(out, model[row], COLUMNS, at(0, row), &read));
        CHECK_EQ(read, COLUMNS);
    }
    printf("MODEL\n");
    for (row = 0; row < ROWS; row++) {
        int column;
        for (column = 0; column < COLUMNS; column++) /* a control character's cell is drawn blank */
            if ((unsigned char)model[row][column] < 0x20) model[row][column] = ' ';
        printf("|%s|\n", model[row]);
    }
    printf("CURSOR %d %d\n", info.dwCursorPosition.X, info.dwCursorPosition.Y);
    return tl_finish();
}

/* ---- Closing the active buffer while another thread opens CONOUT$ ---------------------- */

static volatile LONG race_over;
static volatile LONG race_opens, race_failures;

/* CONOUT$ opens the active buffer: the one the other thread is closing, or the main one. */
static DWORD WINAPI race_opener(void *unused)
{
    (void)unused;
    while (!tl_load(&race_over)) {
        HANDLE conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                    OPEN_EXISTING, 0, NULL);
        CONSOLE_SCREEN_BUFFER_INFO info;
        DWORD written;
        if (conout == INVALID_HANDLE_VALUE) {
            InterlockedIncrement(&race_failures);
            continue;
        }
        if (!GetConsoleScreenBufferInfo(conout, &info) || !FillConsoleOutputCharacterA(conout, 'x', 3, at(0, 0), &written))
            InterlockedIncrement(&race_failures);
        CloseHandle(conout);
        InterlockedIncrement(&race_opens);
    }
    return 0;
}

/* The last handle of the active buffer switches back to the main buffer under the same
 * hold of the screen lock that deletes it: a CONOUT$ opened meanwhile gets the main buffer,
 * never the one being deleted (it used to be freed twice: "double free or corruption"). */
static int race_child(void)
{
    HANDLE opener;
    int i;
    dup2(3, 1);
    TEST("the active buffer closed while another thread opens CONOUT$");
    opener = CreateThread(NULL, 0, race_opener, NULL, 0, NULL);
    CHECK(opener != NULL);
    for (i = 0; i < 30000; i++) {
        HANDLE second = CreateConsoleScreenBuffer(GENERIC_READ | GENERIC_WRITE, 0, NULL, CONSOLE_TEXTMODE_BUFFER, NULL);
        if (second == INVALID_HANDLE_VALUE) {
            CHECK(0);
            break;
        }
        SetConsoleActiveScreenBuffer(second);
        CloseHandle(second);
    }
    tl_store(&race_over, 1);
    if (opener != NULL) {
        CHECK_EQ(WaitForSingleObject(opener, 10000), WAIT_OBJECT_0);
        CloseHandle(opener);
    }
    CHECK(tl_load(&race_opens) > 0);
    CHECK_EQ(tl_load(&race_failures), 0);
    return tl_finish();
}

/* ---- The parent's terminal: enough of a VT terminal for what the library sends ---------- */

struct screen {
    char cells[ROWS][COLUMNS];
    int x, y, pending;
    int saved_x, saved_y, saved_pending;
};

static void screen_clear(struct screen *s)
{
    memset(s->cells, ' ', sizeof s->cells);
}

static void screen_put(struct screen *s, char c)
{
    if (s->pending) {
        s->x = 0;
        if (s->y < ROWS - 1) s->y++;
        else {
            memmove(s->cells[0], s->cells[1], (ROWS - 1) * COLUMNS);
            memset(s->cells[ROWS - 1], ' ', COLUMNS);
        }
        s->pending = 0;
    }
    s->cells[s->y][s->x] = c;
    if (s->x < COLUMNS - 1) s->x++;
    else s->pending = 1;
}

static void replay(const char *bytes, size_t length, struct screen *main_screen, struct screen *alternate,
                   int *on_alternate)
{
    size_t i = 0;
    while (i < length) {
        struct screen *s = *on_alternate ? alternate : main_screen;
        unsigned char c = (unsigned char)bytes[i];
        if (c == 0x1B && i + 1 < length && bytes[i + 1] == '[') {
            int p[8] = {0}, n = 0, private_mode = 0;
            size_t j = i + 2;
            if (j < length && bytes[j] == '?') private_mode = 1, j++;
            while (j < length && ((bytes[j] >= '0' && bytes[j] <= '9') || bytes[j] == ';')) {
                if (bytes[j] == ';') {
                    if (n < 7) n++;
                } else {
                    p[n] = p[n] * 10 + (bytes[j] - '0');
                }
                j++;
            }
            if (j >= length) break;
            char final = bytes[j];
            if (private_mode && p[0] == 1049 && (final == 'h' || final == 'l')) {
                *on_alternate = final == 'h';
                if (final == 'h') {
                    screen_clear(alternate);
                    alternate->x = alternate->y = alternate->pending = 0;
                    alternate->saved_x = alternate->saved_y = alternate->saved_pending = 0;
                }
            } else if (!private_mode && final == 'H') {
                s->y = (p[0] ? p[0] : 1) - 1;
                s->x = (p[1] ? p[1] : 1) - 1;
                if (s->y >= ROWS) s->y = ROWS - 1;
                if (s->x >= COLUMNS) s->x = COLUMNS - 1;
                s->pending = 0;
            } else if (!private_mode && final == 'J' && p[0] == 2) {
                screen_clear(s);
            } else if (!private_mode && final == 'K' && p[0] == 0) {
                memset(&s->cells[s->y][s->x], ' ', (size_t)(COLUMNS - s->x));
            }
            i = j + 1;
            continue;
        }
        if (c == 0x1B && i + 1 < length && (bytes[i + 1] == '7' || bytes[i + 1] == '8')) { /* DECSC, DECRC */
            if (bytes[i + 1] == '7') s->saved_x = s->x, s->saved_y = s->y, s->saved_pending = s->pending;
            else s->x = s->saved_x, s->y = s->saved_y, s->pending = s->saved_pending;
            i += 2;
            continue;
        }
        if (c == 0x1B && i + 1 < length && bytes[i + 1] == ']') { /* OSC: up to BEL */
            while (i < length && bytes[i] != '\a') i++;
            i++;
            continue;
        }
        if (c == '\r') {
            s->x = 0;
            s->pending = 0;
        } else if (c == '\n') {
            s->pending = 0;
            if (s->y < ROWS - 1) s->y++;
            else {
                memmove(s->cells[0], s->cells[1], (ROWS - 1) * COLUMNS);
                memset(s->cells[ROWS - 1], ' ', COLUMNS);
            }
        } else if (c >= 0x20 && c < 0x7F) {
            screen_put(s, (char)c);
        }
        i++;
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
    if (argc > 1 && strcmp(argv[1], "race") == 0) return race_child();

    static struct pty_output out;
    if (pty_run_child("test_console_screen_tty", ROWS, COLUMNS, NULL, &out) != 0) {
        printf("no pseudo-terminal here: skipped\n");
        tl_skipped++;
        return tl_finish();
    }
    const char *terminal = out.terminal, *report = out.report;
    size_t terminal_used = out.terminal_used;
    printf("%s", report);

    TEST("the child's checks");
    CHECK(strstr(report, " 0 failed") != NULL);

    TEST("the terminal shows what the model holds");
    struct screen main_screen, alternate;
    int on_alternate = 0;
    memset(&main_screen, 0, sizeof main_screen);
    memset(&alternate, 0, sizeof alternate);
    screen_clear(&main_screen);
    screen_clear(&alternate);
    replay(terminal, terminal_used, &main_screen, &alternate, &on_alternate);
    CHECK(!on_alternate);
    const char *model = strstr(report, "MODEL\n");
    CHECK(model != NULL);
    if (model != NULL) {
        int row;
        model += 6;
        for (row = 0; row < ROWS; row++) {
            char shown[COLUMNS + 1];
            memcpy(shown, main_screen.cells[row], COLUMNS);
            shown[COLUMNS] = 0;
            if (model[0] != '|' || strncmp(model + 1, shown, COLUMNS) != 0) {
                printf("row %d: the model says %.*s, the terminal shows |%s|\n", row, COLUMNS + 2, model, shown);
                CHECK(0);
            }
            model = strchr(model, '\n');
            if (model == NULL) break;
            model++;
        }
        int x = -1, y = -1;
        if (model != NULL && sscanf(model, "CURSOR %d %d", &x, &y) == 2) {
            CHECK_EQ(main_screen.x, x);
            CHECK_EQ(main_screen.y, y);
        } else {
            CHECK(0);
        }
    }
    TEST("the second buffer went to the alternate screen and the main one came back");
    CHECK(memmem(terminal, terminal_used, "\033[?1049h", 8) != NULL);
    CHECK(memmem(terminal, terminal_used, "\033[?1049l", 8) != NULL);
    CHECK(memmem(terminal, terminal_used, "second", 6) != NULL); /* redrawn from its model */
    CHECK(memmem(terminal, terminal_used, "hidden", 6) != NULL);  /* the main buffer redrawn */

    TEST("the second buffer's output mode reaches the terminal only while it is shown");
    {
        const char *shown = memmem(terminal, terminal_used, "\033[?1049h", 8);
        const char *no_wrap = memmem(terminal, terminal_used, "\033[?7l", 5);
        const char *hidden = memmem(terminal, terminal_used, "\033[?1049l", 8);
        CHECK(shown != NULL && no_wrap != NULL && hidden != NULL);
        if (shown != NULL && no_wrap != NULL && hidden != NULL) {
            const char *wrap = memmem(no_wrap, terminal_used - (size_t)(no_wrap - terminal), "\033[?7h", 5);
            CHECK(no_wrap > shown); /* not when the hidden buffer's mode was set */
            CHECK(no_wrap < hidden);
            CHECK(wrap != NULL && wrap > hidden); /* the main buffer's mode is back with it */
        }
    }

    TEST("the active buffer closed while another thread opens CONOUT$ (a child of its own)");
    static struct pty_output race;
    CHECK_EQ(pty_run_child_mode("test_console_screen_tty", "race", ROWS, COLUMNS, NULL, &race), 0);
    printf("%s", race.report);
    CHECK(strstr(race.report, " 0 failed") != NULL);
    return tl_finish();
}
