/* test_pseudo_console_plain.c: a plain Linux program (/bin/sh) on a pseudo console
 * (tests/win32/test_pseudo_console.c has a Win32 child): it sees a terminal of the size
 * given, as its controlling terminal, reads what is typed, sees a resize, and ends when the
 * pseudo console is closed (the hang-up's SIGHUP); the same started CREATE_SUSPENDED (by
 * fork rather than posix_spawn). Then the standard handles without
 * STARTF_USESTDHANDLES: this process's descriptors that are terminals are replaced by the
 * pseudo console, a redirected one (a pipe) goes to the child as it is, as Windows
 * duplicates non-console standard handles into the child (microsoft/terminal#11276). */
#define _GNU_SOURCE
#include "testlib.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

/* What the output pipe has brought so far; pipe_shows reads it with a bounded wait for
 * `text`. */
static char seen[16384];
static size_t seen_size;

static int pipe_shows(HANDLE pipe, const char *text, DWORD wait_ms)
{
    DWORD start = GetTickCount();
    for (;;) {
        DWORD waiting = 0, got = 0;
        if (strstr(seen, text) != NULL) return 1;
        if (GetTickCount() - start > wait_ms) {
            printf("not seen: %s (output: %s)\n", text, seen);
            return 0;
        }
        if (PeekNamedPipe(pipe, NULL, 0, NULL, &waiting, NULL) && waiting > 0 &&
            seen_size < sizeof seen - 1) {
            DWORD room = (DWORD)(sizeof seen - 1 - seen_size);
            if (ReadFile(pipe, seen + seen_size, waiting < room ? waiting : room, &got, NULL)) {
                seen_size += got;
                seen[seen_size] = '\0';
            }
        } else {
            Sleep(10);
        }
    }
}

/* Reads the pipe until its end: the last error that ended it (ERROR_BROKEN_PIPE). */
static DWORD read_to_end(HANDLE pipe, DWORD wait_ms)
{
    DWORD start = GetTickCount();
    for (;;) {
        DWORD waiting = 0, got = 0;
        char buffer[512];
        if (!PeekNamedPipe(pipe, NULL, 0, NULL, &waiting, NULL)) return GetLastError();
        if (waiting > 0) {
            if (!ReadFile(pipe, buffer, sizeof buffer, &got, NULL)) return GetLastError();
        } else if (GetTickCount() - start > wait_ms) {
            return WAIT_TIMEOUT;
        } else {
            Sleep(10);
        }
    }
}

static void type_text(HANDLE input, const char *text)
{
    DWORD done = 0;
    CHECK(WriteFile(input, text, (DWORD)strlen(text), &done, NULL));
}

/* Starts `script` under /bin/sh on a new 77 x 21 pseudo console; *input and *output are
 * the caller's ends of its pipes. */
static BOOL start_shell(const char *script, BOOL use_std_handles, DWORD flags, HPCON *console, HANDLE *input,
                        HANDLE *output, PROCESS_INFORMATION *child)
{
    HANDLE in_read, out_write;
    COORD size = {77, 21};
    STARTUPINFOEXA startup;
    SIZE_T bytes = 0;
    char line[1024];
    BOOL started;
    CHECK(CreatePipe(&in_read, input, NULL, 0));
    CHECK(CreatePipe(output, &out_write, NULL, 0));
    CHECK_EQ(CreatePseudoConsole(size, in_read, out_write, 0, console), S_OK);
    CloseHandle(in_read);
    CloseHandle(out_write);
    memset(&startup, 0, sizeof startup);
    startup.StartupInfo.cb = sizeof startup;
    if (use_std_handles) startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;  /* all NULL */
    InitializeProcThreadAttributeList(NULL, 1, 0, &bytes);
    startup.lpAttributeList = (LPPROC_THREAD_ATTRIBUTE_LIST)malloc(bytes);
    CHECK(InitializeProcThreadAttributeList(startup.lpAttributeList, 1, 0, &bytes));
    CHECK(UpdateProcThreadAttribute(startup.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, *console,
                                    sizeof *console, NULL, NULL));
    snprintf(line, sizeof line, "/bin/sh -c \"%s\"", script);
    memset(child, 0, sizeof *child);
    started = CreateProcessA("/bin/sh", line, NULL, NULL, FALSE, EXTENDED_STARTUPINFO_PRESENT | flags, NULL, NULL,
                             &startup.StartupInfo, child);
    CHECK(started);
    DeleteProcThreadAttributeList(startup.lpAttributeList);
    free(startup.lpAttributeList);
    seen_size = 0;
    seen[0] = '\0';
    return started;
}

static void finish(HPCON console, HANDLE input, HANDLE output, PROCESS_INFORMATION *child)
{
    ClosePseudoConsole(console);
    CHECK_EQ(WaitForSingleObject(child->hProcess, 10000), WAIT_OBJECT_0);
    CHECK_EQ(read_to_end(output, 10000), ERROR_BROKEN_PIPE);
    if (WaitForSingleObject(child->hProcess, 0) != WAIT_OBJECT_0) TerminateProcess(child->hProcess, 1);
    CloseHandle(child->hProcess);
    CloseHandle(child->hThread);
    CloseHandle(input);
    CloseHandle(output);
}

static void test_shell(void)
{
    HPCON console;
    HANDLE input, output;
    PROCESS_INFORMATION child;
    COORD bigger = {90, 33};
    TEST("a shell on a pseudo console");
    if (!start_shell("stty size; test -t 0 -a -t 1 -a -t 2 && echo all-terminals; (: </dev/tty) 2>/dev/null && echo has-tty; "
                     "read x; echo got=$x; read y; stty size; exec sleep 30",
                     TRUE, 0, &console, &input, &output, &child))
        return;
    CHECK(pipe_shows(output, "21 77\r\n", 10000));
    CHECK(pipe_shows(output, "all-terminals\r\n", 10000));
    CHECK(pipe_shows(output, "has-tty\r\n", 10000)); /* /dev/tty opens: a controlling terminal */
    type_text(input, "abc\r");
    CHECK(pipe_shows(output, "got=abc\r\n", 10000));
    CHECK_EQ(ResizePseudoConsole(console, bigger), S_OK);
    type_text(input, "\r");
    CHECK(pipe_shows(output, "33 90\r\n", 10000));
    /* Closing hangs the terminal up: sleep, the session's leader now, gets SIGHUP. */
    finish(console, input, output, &child);
}

static void test_redirected_standard_handles(void)
{
    HPCON console;
    HANDLE input, output;
    PROCESS_INFORMATION child;
    int saved[3], redirect[2], other_master, other_slave;
    char from_pipe[256] = "";
    ssize_t got;
    TEST("without STARTF_USESTDHANDLES: terminals replaced, a redirect kept");
    /* This process's standard descriptors for the start: 0 and 2 a terminal (another
     * pseudo-terminal: a console of ours), 1 a pipe. */
    other_master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(other_master >= 0 && grantpt(other_master) == 0 && unlockpt(other_master) == 0);
    other_slave = open(ptsname(other_master), O_RDWR | O_NOCTTY);
    CHECK(other_slave >= 0);
    CHECK(pipe(redirect) == 0);
    fflush(stdout);
    for (int i = 0; i < 3; ++i) saved[i] = dup(i);
    dup2(other_slave, 0);
    dup2(redirect[1], 1);
    dup2(other_slave, 2);
    BOOL started = start_shell("echo to-stdout; echo to-stderr >&2; test -t 0 && echo stdin-terminal >&2; exec sleep 30",
                               FALSE, 0, &console, &input, &output, &child);
    for (int i = 0; i < 3; ++i) {
        dup2(saved[i], i);
        close(saved[i]);
    }
    close(redirect[1]);
    if (!started) return;
    CHECK(pipe_shows(output, "to-stderr\r\n", 10000));
    CHECK(pipe_shows(output, "stdin-terminal\r\n", 10000));
    struct pollfd ready = {redirect[0], POLLIN, 0};
    CHECK_EQ(poll(&ready, 1, 10000), 1);
    got = read(redirect[0], from_pipe, sizeof from_pipe - 1);
    CHECK(got > 0);
    from_pipe[got > 0 ? got : 0] = '\0';
    CHECK(strcmp(from_pipe, "to-stdout\n") == 0);
    CHECK(strstr(seen, "to-stdout") == NULL);
    /* Nothing reached the other terminal. */
    int flags = fcntl(other_master, F_GETFL);
    fcntl(other_master, F_SETFL, flags | O_NONBLOCK);
    char stray[64];
    CHECK(read(other_master, stray, sizeof stray) < 0);
    finish(console, input, output, &child);
    close(redirect[0]);
    close(other_slave);
    close(other_master);
}

/* CREATE_SUSPENDED starts the child by another path (fork, then a gate): the same
 * terminal and controlling terminal once it is resumed. */
static void test_suspended(void)
{
    HPCON console;
    HANDLE input, output;
    PROCESS_INFORMATION child;
    TEST("a suspended child on a pseudo console");
    if (!start_shell("stty size; (: </dev/tty) 2>/dev/null && echo has-tty; exec sleep 30", TRUE, CREATE_SUSPENDED,
                     &console, &input, &output, &child))
        return;
    CHECK_EQ(ResumeThread(child.hThread), 1);
    CHECK(pipe_shows(output, "21 77\r\n", 10000));
    CHECK(pipe_shows(output, "has-tty\r\n", 10000));
    finish(console, input, output, &child);
}

int main(void)
{
    test_shell();
    test_suspended();
    test_redirected_standard_handles();
    return tl_finish();
}
