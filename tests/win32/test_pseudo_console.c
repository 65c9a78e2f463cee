/* test_pseudo_console.c: pseudo consoles (CreatePseudoConsole, ConPTY). The arguments
 * Windows refuses, then a session as Microsoft Learn's "Creating a Pseudoconsole session"
 * describes it: two pipes, the pseudo console between them, a child (a copy of this
 * program) started with PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE that finds its console there,
 * a line typed through the input pipe and echoed, a resize the child sees, and
 * ClosePseudoConsole ending the child and the output. Output is read by a thread of its
 * own, as Microsoft asks (the pseudo console may wait for its reader); every wait is
 * bounded. The child's reports avoid spaces: a console host may draw a run of them as a
 * cursor movement. */
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x0A000006 /* mingw-w64 declares the pseudo console from Windows 10 1809 on */
#endif
#include "testlib.h"

static char self_path[MAX_PATH];

/* ---- The child: reports its console, then answers each line it reads ----------------- */

static HANDLE child_in, child_out; /* CONIN$, CONOUT$ */

static void child_say(const char *text)
{
    DWORD done = 0;
    WriteFile(child_out, text, (DWORD)strlen(text), &done, NULL);
}

static void child_report_size(void)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    char line[128];
    memset(&info, 0, sizeof info);
    GetConsoleScreenBufferInfo(child_out, &info);
    snprintf(line, sizeof line, "[size=%dx%d;width=%d]\r\n", info.srWindow.Right - info.srWindow.Left + 1,
             info.srWindow.Bottom - info.srWindow.Top + 1, info.dwSize.X);
    child_say(line);
}

static volatile LONG child_interrupted;

static BOOL WINAPI child_ctrl(DWORD event)
{
    char line[32];
    snprintf(line, sizeof line, "[ctrl=%lu]\r\n", (unsigned long)event);
    child_say(line);
    tl_store(&child_interrupted, 1);
    return TRUE;
}

static int run_child(void)
{
    HANDLE std_in = GetStdHandle(STD_INPUT_HANDLE), std_out = GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE std_err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD in_mode = 0, out_mode = 0, ignored = 0;
    BOOL in_ok, out_ok;
    char line[256];
    child_in = CreateFileA("CONIN$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    child_out = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                            OPEN_EXISTING, 0, NULL);
    in_ok = GetConsoleMode(child_in, &in_mode);
    out_ok = GetConsoleMode(child_out, &out_mode);
    snprintf(line, sizeof line, "[conin=%d;conout=%d;line=%d;echo=%d;processed=%d]\r\n", in_ok ? 1 : 0,
             out_ok ? 1 : 0, (in_mode & ENABLE_LINE_INPUT) ? 1 : 0, (in_mode & ENABLE_ECHO_INPUT) ? 1 : 0,
             (out_mode & ENABLE_PROCESSED_OUTPUT) ? 1 : 0);
    child_say(line);
    snprintf(line, sizeof line, "[std=%lu,%lu,%lu;modes=%d,%d,%d]\r\n", (unsigned long)GetFileType(std_in),
             (unsigned long)GetFileType(std_out), (unsigned long)GetFileType(std_err),
             GetConsoleMode(std_in, &ignored) ? 1 : 0, GetConsoleMode(std_out, &ignored) ? 1 : 0,
             GetConsoleMode(std_err, &ignored) ? 1 : 0);
    child_say(line);
    child_report_size();
    SetConsoleCtrlHandler(child_ctrl, TRUE);
    for (;;) {
        char typed[128];
        DWORD got = 0;
        if (!ReadFile(child_in, typed, sizeof typed - 1, &got, NULL) || got == 0) {
            /* Ctrl-C may end the read that waited (Windows'); anything else is the end. */
            if (InterlockedExchange(&child_interrupted, 0)) continue;
            return 3;
        }
        while (got > 0 && (typed[got - 1] == '\n' || typed[got - 1] == '\r')) got--;
        typed[got] = '\0';
        if (strcmp(typed, "size") == 0) {
            child_report_size();
        } else if (strcmp(typed, "quit") == 0) {
            return 7;
        } else {
            char answer[200];
            snprintf(answer, sizeof answer, "[echo=%s]\r\n", typed);
            child_say(answer);
        }
    }
}

/* ---- The parent's reader of the output pipe ----------------------------------------- */

static CRITICAL_SECTION output_lock;
static char output[65536];
static size_t output_size;
static volatile LONG reader_error;  /* the error that ended the reader, once it ended */

static DWORD WINAPI read_output(void *pipe)
{
    char buffer[4096];
    DWORD got = 0;
    while (ReadFile((HANDLE)pipe, buffer, sizeof buffer, &got, NULL)) {
        EnterCriticalSection(&output_lock);
        if (got > sizeof output - 1 - output_size) got = (DWORD)(sizeof output - 1 - output_size);
        memcpy(output + output_size, buffer, got);
        output_size += got;
        output[output_size] = '\0';
        LeaveCriticalSection(&output_lock);
    }
    tl_store(&reader_error, (LONG)GetLastError());
    return 0;
}

/* Whether `text` shows up in the output within `wait_ms`. */
static BOOL output_shows(const char *text, DWORD wait_ms)
{
    DWORD start = GetTickCount();
    for (;;) {
        BOOL found;
        EnterCriticalSection(&output_lock);
        found = strstr(output, text) != NULL;
        LeaveCriticalSection(&output_lock);
        if (found) return TRUE;
        if (GetTickCount() - start > wait_ms) {
            printf("not seen: %s\n", text);
            return FALSE;
        }
        Sleep(10);
    }
}

static void type_text(HANDLE input, const char *text)
{
    DWORD done = 0;
    CHECK(WriteFile(input, text, (DWORD)strlen(text), &done, NULL));
    CHECK_EQ(done, strlen(text));
}

/* ---- The checks --------------------------------------------------------------------- */

static void test_arguments(void)
{
    HANDLE in_read, in_write, out_read, out_write;
    HPCON console = (HPCON)1;
    COORD size = {80, 25}, no_width = {0, 25}, no_height = {80, 0}, negative = {-1, 25};
    TEST("arguments");
    CHECK(CreatePipe(&in_read, &in_write, NULL, 0));
    CHECK(CreatePipe(&out_read, &out_write, NULL, 0));

    CHECK_EQ(CreatePseudoConsole(size, in_read, out_write, 0, NULL), E_INVALIDARG);
    /* Neither handle names anything. */
    WINE_DEVIATION("Wine checks neither handle before duplicating them") {
        CHECK_EQ(CreatePseudoConsole(size, NULL, NULL, 0, &console), E_INVALIDARG);
        CHECK(console == NULL);
        console = (HPCON)1;
        CHECK_EQ(CreatePseudoConsole(size, INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE, 0, &console), E_INVALIDARG);
        CHECK(console == NULL);
    }
    /* One handle that names nothing: DuplicateHandle's error. Windows clears *phPC
     * before it looks at anything else. */
    console = (HPCON)1;
    CHECK_EQ(CreatePseudoConsole(size, NULL, out_write, 0, &console), HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE));
    WINE_DEVIATION("Wine leaves *phPC as it was when CreatePseudoConsole fails") {
        CHECK(console == NULL);
    }
    CHECK_EQ(CreatePseudoConsole(size, in_read, NULL, 0, &console), HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE));
    CHECK_EQ(CreatePseudoConsole(size, in_read, (HANDLE)(ULONG_PTR)0x7ff0, 0, &console),
             HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE));
    /* A width or height of 0. */
    console = (HPCON)1;
    CHECK_EQ(CreatePseudoConsole(no_width, in_read, out_write, 0, &console), E_INVALIDARG);
    WINE_DEVIATION("Wine leaves *phPC as it was when CreatePseudoConsole fails") {
        CHECK(console == NULL);
    }
    CHECK_EQ(CreatePseudoConsole(no_height, in_read, out_write, 0, &console), E_INVALIDARG);

    /* INVALID_HANDLE_VALUE for one of them is the process's pseudo handle, which
     * duplicates: the console is made, with no input. Flags are not checked, nor is a
     * negative size. */
    console = NULL;
    CHECK_EQ(CreatePseudoConsole(size, INVALID_HANDLE_VALUE, out_write, 0, &console), S_OK);
    CHECK(console != NULL);
    if (console != NULL) ClosePseudoConsole(console);
    console = NULL;
    CHECK_EQ(CreatePseudoConsole(negative, in_read, out_write, 0xff, &console), S_OK);
    CHECK(console != NULL);
    if (console != NULL) ClosePseudoConsole(console);

    console = NULL;
    CHECK_EQ(CreatePseudoConsole(size, in_read, out_write, 0, &console), S_OK);
    CHECK(console != NULL);
    WINE_DEVIATION("Wine 8's ResizePseudoConsole is a stub (E_NOTIMPL)") {
        COORD bigger = {120, 40}, none = {0, 0}, negative_height = {80, -1};
        CHECK_EQ(ResizePseudoConsole(NULL, size), E_INVALIDARG);
        CHECK_EQ(ResizePseudoConsole(console, negative), E_INVALIDARG);
        CHECK_EQ(ResizePseudoConsole(console, negative_height), E_INVALIDARG);
        CHECK_EQ(ResizePseudoConsole(console, bigger), S_OK);
        CHECK_EQ(ResizePseudoConsole(console, none), S_OK);
    }
    ClosePseudoConsole(console);
    ClosePseudoConsole(NULL); /* nothing */

    /* The attribute's value is the HPCON itself: its size is an HPCON's. */
    {
        SIZE_T bytes = 0;
        LPPROC_THREAD_ATTRIBUTE_LIST list;
        InitializeProcThreadAttributeList(NULL, 1, 0, &bytes);
        list = (LPPROC_THREAD_ATTRIBUTE_LIST)HeapAlloc(GetProcessHeap(), 0, bytes);
        CHECK(InitializeProcThreadAttributeList(list, 1, 0, &bytes));
        SetLastError(0xdeadbeef);
        CHECK(!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, (HPCON)1, 1, NULL, NULL));
        CHECK_ERROR(ERROR_BAD_LENGTH);
        CHECK(UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, (HPCON)1, sizeof(HPCON), NULL,
                                        NULL));
        DeleteProcThreadAttributeList(list);
        HeapFree(GetProcessHeap(), 0, list);
    }

    CloseHandle(in_read);
    CloseHandle(in_write);
    CloseHandle(out_read);
    CloseHandle(out_write);
}

/* A session: the pseudo console (80 x 25) between two pipes, a child on it, and the
 * reader of its output. */
struct session {
    HPCON console;
    HANDLE in_write, out_read, error_read, reader;
    PROCESS_INFORMATION child;
};

static BOOL start_session(struct session *s)
{
    HANDLE in_read, out_write, error_write;
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    COORD size = {80, 25};
    STARTUPINFOEXA startup;
    SIZE_T bytes = 0;
    char line[2 * MAX_PATH];
    BOOL started;
    memset(s, 0, sizeof *s);
    EnterCriticalSection(&output_lock);
    output_size = 0;
    output[0] = '\0';
    LeaveCriticalSection(&output_lock);
    tl_store(&reader_error, 0);
    CHECK(CreatePipe(&in_read, &s->in_write, NULL, 0));
    CHECK(CreatePipe(&s->out_read, &out_write, NULL, 0));
    CHECK_EQ(CreatePseudoConsole(size, in_read, out_write, 0, &s->console), S_OK);
    if (s->console == NULL) return FALSE;

    /* The standard handles: NULL ones are the pseudo console's (without
     * STARTF_USESTDHANDLES, the child would get this process's own wherever they are
     * redirected, as under a test runner: microsoft/terminal#11276); standard error goes
     * to a pipe of its own. */
    CHECK(CreatePipe(&s->error_read, &error_write, &inheritable, 0));
    SetHandleInformation(s->error_read, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof startup);
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdError = error_write;
    InitializeProcThreadAttributeList(NULL, 1, 0, &bytes);
    startup.lpAttributeList = (LPPROC_THREAD_ATTRIBUTE_LIST)HeapAlloc(GetProcessHeap(), 0, bytes);
    CHECK(InitializeProcThreadAttributeList(startup.lpAttributeList, 1, 0, &bytes));
    CHECK(UpdateProcThreadAttribute(startup.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, s->console,
                                    sizeof s->console, NULL, NULL));
    snprintf(line, sizeof line, "\"%s\" child", self_path);
    started = CreateProcessA(NULL, line, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                             &startup.StartupInfo, &s->child);
    CHECK(started);
    CloseHandle(error_write);
    DeleteProcThreadAttributeList(startup.lpAttributeList);
    HeapFree(GetProcessHeap(), 0, startup.lpAttributeList);
    /* The pseudo console has its own copies: these go (Microsoft Learn's advice), so the
     * output's end comes when the pseudo console closes. */
    CloseHandle(in_read);
    CloseHandle(out_write);
    s->reader = CreateThread(NULL, 0, read_output, s->out_read, 0, NULL);
    CHECK(s->reader != NULL);
    if (!started || s->reader == NULL) {
        ClosePseudoConsole(s->console);
        s->console = NULL;
        return FALSE;
    }
    return TRUE;
}

/* Closes the pseudo console (if the session has not) and checks that the output ends:
 * the reader's ReadFile fails with ERROR_BROKEN_PIPE. */
static void end_session(struct session *s)
{
    if (s->console != NULL) ClosePseudoConsole(s->console);
    if (s->reader != NULL) {
        CHECK_EQ(WaitForSingleObject(s->reader, 10000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&reader_error), ERROR_BROKEN_PIPE);
        CloseHandle(s->reader);
    }
    if (s->child.hProcess != NULL) {
        if (WaitForSingleObject(s->child.hProcess, 10000) != WAIT_OBJECT_0) TerminateProcess(s->child.hProcess, 1);
        CloseHandle(s->child.hProcess);
        CloseHandle(s->child.hThread);
    }
    CloseHandle(s->in_write);
    CloseHandle(s->out_read);
    CloseHandle(s->error_read);
}

static void test_session(void)
{
    struct session s;
    TEST("session");
    if (!start_session(&s)) return;

    /* The child's console (CONIN$, CONOUT$) is the pseudo console, in the default modes;
     * its standard input and output are console handles (FILE_TYPE_CHAR), its standard
     * error the pipe (FILE_TYPE_PIPE, no console mode); the screen is the size given. */
    CHECK(output_shows("[conin=1;conout=1;line=1;echo=1;processed=1]", 10000));
    WINE_DEVIATION("Wine 8 leaves the NULL standard handles of a pseudo console's child NULL") {
        CHECK(output_shows("[std=2,2,3;modes=1,1,0]", 10000));
    }
    CHECK(output_shows("[size=80x25;width=80]", 10000));

    /* A line typed (Enter is a carriage return, as a terminal sends it) is echoed by the
     * console and read by the child. */
    type_text(s.in_write, "hello-pty\r");
    CHECK(output_shows("hello-pty", 10000));
    CHECK(output_shows("[echo=hello-pty]", 10000));

    /* The new size reaches the child. */
    WINE_DEVIATION("Wine 8's ResizePseudoConsole is a stub (E_NOTIMPL)") {
        COORD bigger = {100, 30};
        CHECK_EQ(ResizePseudoConsole(s.console, bigger), S_OK);
        type_text(s.in_write, "size\r");
        CHECK(output_shows("[size=100x30;width=100]", 10000));
    }

    /* Ctrl-C typed is the child's CTRL_C_EVENT (processed input; Windows' console host
     * takes 0x03 as Ctrl+C: microsoft/terminal, InputStateMachineEngine.cpp), and the
     * session goes on. */
    WINE_DEVIATION("Wine 8's pseudo console sends no CTRL_C_EVENT for 0x03 and stops taking input") {
        type_text(s.in_write, "\x03");
        CHECK(output_shows("[ctrl=0]", 10000));
        type_text(s.in_write, "after-ctrl-c\r");
        CHECK(output_shows("[echo=after-ctrl-c]", 10000));
    }

    /* Closing the pseudo console ends the child (waiting for input), and the output. */
    ClosePseudoConsole(s.console);
    s.console = NULL;
    CHECK_EQ(WaitForSingleObject(s.child.hProcess, 10000), WAIT_OBJECT_0);
    end_session(&s);
}

/* The child's exit does not end the output: the pseudo console lives on (another child
 * could be started on it) until ClosePseudoConsole. */
static void test_child_exit(void)
{
    struct session s;
    DWORD code = 0;
    TEST("child exit");
    if (!start_session(&s)) return;
    CHECK(output_shows("[size=80x25;width=80]", 10000));
    type_text(s.in_write, "quit\r");
    CHECK_EQ(WaitForSingleObject(s.child.hProcess, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(s.child.hProcess, &code));
    CHECK_EQ(code, 7);
    CHECK_EQ(WaitForSingleObject(s.reader, 300), WAIT_TIMEOUT);
    end_session(&s);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "child") == 0) return run_child();
    GetModuleFileNameA(NULL, self_path, sizeof self_path);
    InitializeCriticalSection(&output_lock);
    test_arguments();
    test_session();
    test_child_exit();
    return tl_finish();
}
