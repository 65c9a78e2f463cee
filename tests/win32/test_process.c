/* test_process.c: child processes. The program starts copies of itself (its own path
 * from GetModuleFileNameA, "child ROLE ..." on the command line), so it runs the same way
 * on Windows, under Wine and on this library: exit codes, waits on the process handle
 * with time-outs, STILL_ACTIVE, TerminateProcess, CREATE_SUSPENDED, OpenProcess, the
 * command line split and seen again by the child, standard handles redirected to files
 * and NUL, inherited and non-inherited handles at the same value, the environment block
 * (ANSI and Unicode) and the current directory given to the child. */
#include "testlib.h"
#include "children.h"

#ifndef SW_SHOWNORMAL /* winuser.h's, which the library does not have */
#define SW_SHOWNORMAL 1
#endif

static char self_path[MAX_PATH];
static char out_name[64];

/* ---- The child's roles ------------------------------------------------------------- */

static void child_write(const char *text)
{
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &written, NULL);
}

static HANDLE handle_from_text(const char *text) { return (HANDLE)(ULONG_PTR)strtoull(text, NULL, 16); }

static volatile LONG break_seen;

static BOOL WINAPI on_control(DWORD event)
{
    if (event != CTRL_BREAK_EVENT) return FALSE;
    tl_store(&break_seen, 1);
    return TRUE;
}

/* A handle the child must be able to use: inheritable, and a file it can write. */
static int use_inheritable_handle(HANDLE handle)
{
    DWORD flags = 0, written = 0;
    if (!GetHandleInformation(handle, &flags)) return 10;
    if (!(flags & HANDLE_FLAG_INHERIT)) return 11;
    if (!WriteFile(handle, "inherited", 9, &written, NULL) || written != 9) return 12;
    return 0;
}

/* A thread that reports its id, then waits to be released (OpenProcess of a thread id). */
struct id_thread_args {
    HANDLE ready, release;
    DWORD *id;
};

static DWORD WINAPI report_id_and_wait(void *parameter)
{
    struct id_thread_args *args = parameter;
    *args->id = GetCurrentThreadId();
    SetEvent(args->ready);
    WaitForSingleObject(args->release, 10000);
    return 0;
}

/* Each role returns the child's exit code; 0 means every check in the child held. */
static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    if (strcmp(role, "exit") == 0) ExitProcess((UINT)strtoul(argv[3], NULL, 10));
    if (strcmp(role, "return") == 0) return (int)strtoul(argv[3], NULL, 10);
    if (strcmp(role, "sleep") == 0) {
        Sleep(argc >= 4 ? (DWORD)strtoul(argv[3], NULL, 10) : 10000); /* "sleep [MS]" */
        return 0;
    }
    if (strcmp(role, "args") == 0) {
        /* The command line as given, then each argument after the role, one a line. */
        char line[64];
        child_write(GetCommandLineA());
        child_write("\n");
        snprintf(line, sizeof line, "%d\n", argc - 3);
        child_write(line);
        for (int i = 3; i < argc; ++i) {
            child_write("[");
            child_write(argv[i]);
            child_write("]\n");
        }
        return 0;
    }
    if (strcmp(role, "hello") == 0) {
        child_write("hello from the child\n");
        return 0;
    }
    if (strcmp(role, "handle") == 0) {
        /* argv[3]: a handle value; argv[4]: 1 if it must be usable here, 0 if invalid. */
        HANDLE handle = handle_from_text(argv[3]);
        DWORD flags = 0;
        if (argv[4][0] == '1') return use_inheritable_handle(handle);
        SetLastError(0xdeadbeef);
        if (GetHandleInformation(handle, &flags)) return 20;
        if (GetLastError() != ERROR_INVALID_HANDLE) return 21;
        return 0;
    }
    if (strcmp(role, "handle-later") == 0) {
        /* argv[3]: a file in which the parent writes a handle value that it has put in
         * this process (DuplicateHandle), or "none"; waits for it, then uses the handle. */
        char text[32];
        for (DWORD start = GetTickCount(); GetTickCount() - start < 15000; Sleep(10)) {
            HANDLE file = CreateFileA(argv[3], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      NULL, OPEN_EXISTING, 0, NULL);
            if (file == INVALID_HANDLE_VALUE) continue;
            DWORD got = 0;
            BOOL read = ReadFile(file, text, sizeof text - 1, &got, NULL);
            CloseHandle(file);
            if (!read || got == 0 || text[got - 1] != '\n') continue;  /* not all written yet */
            text[got - 1] = '\0';
            if (strcmp(text, "none") == 0) return 0;
            return use_inheritable_handle(handle_from_text(text));
        }
        return 13;
    }
    if (strcmp(role, "env") == 0) {
        char value[64];
        DWORD length = GetEnvironmentVariableA("OVL_TEST_VAR", value, sizeof value);
        if (length == 0) return 30;
        child_write(value);
        child_write("\n");
        SetLastError(0xdeadbeef);
        if (GetEnvironmentVariableA("OVL_TEST_PARENT_ONLY", value, sizeof value) != 0) return 31;
        if (GetLastError() != ERROR_ENVVAR_NOT_FOUND) return 32;
        return 0;
    }
    if (strcmp(role, "ticks") == 0) { /* writes a byte every 20 ms, for 20 s at most */
        for (int i = 0; i < 1000; ++i) {
            child_write(".");
            Sleep(20);
        }
        return 0;
    }
    if (strcmp(role, "getenv") == 0) { /* argv[3]: a variable's name; writes its value */
        char value[64];
        if (GetEnvironmentVariableA(argv[3], value, sizeof value) == 0) return 33;
        child_write(value);
        child_write("\n");
        return 0;
    }
    if (strcmp(role, "cwd") == 0) {
        HANDLE file = CreateFileA("marker.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        if (file == INVALID_HANDLE_VALUE) return 40;
        CloseHandle(file);
        return 0;
    }
    if (strcmp(role, "watch") == 0) {
        /* argv[3]: the id of a process that is not this one's child (its sibling or its
         * parent); argv[4]: 1 to wait for it to end (0 if its exit code is 9, else 1),
         * 0 to check that it runs. */
        DWORD pid = (DWORD)strtoul(argv[3], NULL, 10), code = 0;
        HANDLE other = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_INFORMATION, FALSE, pid);
        if (other == NULL) return 60;
        if (GetProcessId(other) != pid) return 61;
        if (argc >= 6) { /* tells the parent the process is open */
            HANDLE marker = CreateFileA(argv[5], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
            if (marker == INVALID_HANDLE_VALUE) return 66;
            CloseHandle(marker);
        }
        if (argv[4][0] == '0') {
            if (WaitForSingleObject(other, 0) != WAIT_TIMEOUT) return 62;
            if (!GetExitCodeProcess(other, &code) || code != STILL_ACTIVE) return 63;
            return 0;
        }
        if (WaitForSingleObject(other, 15000) != WAIT_OBJECT_0) return 64;
        if (!GetExitCodeProcess(other, &code)) return 65;
        return code == 9 ? 0 : 1;
    }
    if (strcmp(role, "break") == 0 && argc >= 4) {
        /* Waits for Ctrl-Break; argv[3]: a file to make once the handler is in place. */
        if (!SetConsoleCtrlHandler(on_control, TRUE)) return 80;
        HANDLE marker = CreateFileA(argv[3], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        if (marker == INVALID_HANDLE_VALUE) return 81;
        CloseHandle(marker);
        for (DWORD start = GetTickCount(); GetTickCount() - start < 15000;) {
            if (tl_load(&break_seen)) return 0;
            Sleep(10);
        }
        return 82;
    }
    if (strcmp(role, "detached") == 0) {
        /* Started with DETACHED_PROCESS: no console, as after FreeConsole (Microsoft Learn,
         * Process Creation Flags; Wine's console tests check these without a console). */
        HANDLE screen;
        if (GetConsoleCP() != 0 || GetConsoleOutputCP() != 0) return 40;
        if (GetConsoleWindow() != NULL) return 41;
        screen = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, 0, NULL);
        if (screen != INVALID_HANDLE_VALUE) return 42;
        if (!AllocConsole()) return 43; /* a process without a console may get one */
        FreeConsole();
        return 0;
    }
    if (strcmp(role, "window") == 0 && argc >= 4) {
        /* STARTUPINFO's fields come back as the parent gave them (Wine's test_Startup);
         * argv[3] "given": a title and a desktop were given, "none": neither (the title is
         * then the program's path). */
        STARTUPINFOA info;
        STARTUPINFOW wide;
        char path[MAX_PATH];
        BOOL given = strcmp(argv[3], "given") == 0;
        GetStartupInfoA(&info);
        GetStartupInfoW(&wide);
        if (info.cb != sizeof info || info.dwFlags != (STARTF_USESHOWWINDOW | STARTF_USESIZE)) return 30;
        if (info.wShowWindow != SW_SHOWNORMAL || info.dwX != 0x34343434 || info.dwY != 0x45454545) return 31;
        if (info.dwXSize != 0x56565656 || info.dwYSize != 0x67676767) return 32;
        if (info.dwXCountChars != 0x12121212 || info.dwYCountChars != 0x23232323) return 33;
        if (info.dwFillAttribute != 0xA55A) return 34;
        if (given && (info.lpTitle == NULL || strcmp(info.lpTitle, "the title") != 0)) return 35;
        if (given && (info.lpDesktop == NULL || strcmp(info.lpDesktop, "") != 0)) return 36;
        if (!given && GetModuleFileNameA(NULL, path, sizeof path) &&
            (info.lpTitle == NULL || _stricmp(info.lpTitle, path) != 0))
            return 37;
        if (wide.cb != sizeof wide || wide.dwFlags != info.dwFlags || wide.dwFillAttribute != 0xA55A) return 38;
        if (given && (wide.lpTitle == NULL || wide.lpTitle[0] != 't' || lstrlenW(wide.lpTitle) != 9)) return 39;
        return 0;
    }
    if (strcmp(role, "nullstd") == 0) {
        /* Started with STARTF_USESTDHANDLES, a NULL hStdInput and hStdError: those stay
         * NULL here; standard output is the file given. */
        if (GetStdHandle(STD_INPUT_HANDLE) != NULL) return 70;
        if (GetStdHandle(STD_ERROR_HANDLE) != NULL) return 71;
        child_write("nullstd ok\n");
        return 0;
    }
    if (strcmp(role, "startup") == 0) {
        STARTUPINFOA info;
        GetStartupInfoA(&info);
        if (!(info.dwFlags & STARTF_USESTDHANDLES)) return 50;
        if (info.hStdOutput != GetStdHandle(STD_OUTPUT_HANDLE)) return 51;
        child_write("startup ok\n");
        return 0;
    }
    return 99;
}

/* ---- The parent's helpers ---------------------------------------------------------- */

/* "<this program> child <arguments>" (children.h). */
static BOOL start_child(const char *arguments, BOOL inherit, DWORD flags, void *environment, const char *directory,
                        STARTUPINFOA *startup, PROCESS_INFORMATION *info)
{
    return tl_start_child(self_path, arguments, inherit, flags, environment, directory, startup, info);
}

static HANDLE create_output(const char *name, BOOL inheritable)
{
    SECURITY_ATTRIBUTES attributes = {sizeof attributes, NULL, inheritable};
    return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       &attributes, CREATE_ALWAYS, 0, NULL);
}

/* Quotes one argument so the Microsoft C run-time splits it back unchanged. */
static void append_quoted(char *line, size_t size, const char *argument)
{
    size_t at = strlen(line);
    int plain = argument[0] != '\0' && strpbrk(argument, " \t\n\v\"") == NULL;
    if (at + 1 < size) line[at++] = ' ';
    if (plain) {
        for (const char *c = argument; *c && at + 1 < size; ++c) line[at++] = *c;
        line[at] = '\0';
        return;
    }
    line[at++] = '"';
    for (const char *c = argument;; ++c) {
        size_t backslashes = 0;
        while (*c == '\\') {
            ++backslashes;
            ++c;
        }
        if (*c == '\0') {
            while (backslashes-- && at + 2 < size) { line[at++] = '\\'; line[at++] = '\\'; }
            break;
        }
        if (*c == '"') {
            for (size_t i = 0; i < backslashes * 2 + 1 && at + 1 < size; ++i) line[at++] = '\\';
        } else {
            for (size_t i = 0; i < backslashes && at + 1 < size; ++i) line[at++] = '\\';
        }
        if (at + 1 < size) line[at++] = *c;
    }
    if (at + 1 < size) line[at++] = '"';
    line[at] = '\0';
}

/* Starts `application` with `line` (either may be NULL), standard output (and standard
 * error, unless `null_error`) to a file, standard input NULL, the environment block given
 * (NULL: this one's); returns its exit code (0xFFFFFFFF if it did not start or end), what
 * it wrote in `output`. */
static DWORD run_with_output(const char *application, char *line, void *environment, BOOL null_error,
                             char *output, DWORD size)
{
    HANDLE out = create_output(out_name, TRUE);
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    output[0] = '\0';
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = out;
    startup.hStdError = null_error ? NULL : out;
    BOOL started = CreateProcessA(application, line, NULL, NULL, TRUE, 0, environment, NULL, &startup, &info);
    CloseHandle(out);
    if (!started) return 0xFFFFFFFF;
    DWORD code = tl_wait_exit(&info);
    tl_close_child(&info);
    tl_read_file(out_name, output, size);
    return code;
}

/* The same for this program's `role` ("<program> child <role>"). */
static DWORD run_role(const char *role, void *environment, BOOL null_error, char *output, DWORD size)
{
    char line[4096];
    snprintf(line, sizeof line, "\"%s\" child %s", self_path, role);
    return run_with_output(NULL, line, environment, null_error, output, size);
}

/* Runs the "args" role with stdout to a file; returns what the child wrote. */
static DWORD run_args_child(const char *arguments, char *output, DWORD size)
{
    HANDLE out = create_output(out_name, TRUE);
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    char line[2048];
    output[0] = '\0';
    if (out == INVALID_HANDLE_VALUE) return 0;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = NULL;
    startup.hStdOutput = out;
    startup.hStdError = out;
    snprintf(line, sizeof line, "args%s", arguments);
    if (!start_child(line, TRUE, 0, NULL, NULL, &startup, &info)) {
        CloseHandle(out);
        return 0;
    }
    CloseHandle(out);
    DWORD code = tl_wait_exit(&info);
    tl_close_child(&info);
    if (code != 0) return 0;
    return tl_read_file(out_name, output, size);
}

/* ---- Tests --------------------------------------------------------------------------- */

static void exit_codes(void)
{
    PROCESS_INFORMATION info;
    TEST("exit codes from ExitProcess and from main's return, on the process handle");
    static const unsigned codes[] = {0, 7, 255};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        char arguments[32];
        snprintf(arguments, sizeof arguments, "%s %u", i % 2 ? "return" : "exit", codes[i]);
        CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
        CHECK(info.hProcess != NULL && info.hThread != NULL);
        CHECK(info.dwProcessId != 0 && info.dwThreadId != 0);
        CHECK_EQ(tl_wait_exit(&info), codes[i]);
        /* Once the process is gone, its primary thread is too. */
        CHECK_EQ(WaitForSingleObject(info.hThread, 5000), WAIT_OBJECT_0);
        CHECK_EQ(GetThreadId(info.hThread), info.dwThreadId);
        DWORD thread_code = 12345;
        CHECK(GetExitCodeThread(info.hThread, &thread_code));
        CHECK_EQ(thread_code, codes[i]);
        DWORD code = 0;
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code, codes[i]);
        tl_close_child(&info);
    }

    TEST("exit codes above 255");
    OUR_DEVIATION("a Linux exit status has 8 bits")
    {
        CHECK(start_child("exit 70000", FALSE, 0, NULL, NULL, NULL, &info));
        CHECK_EQ(tl_wait_exit(&info), 70000);
        tl_close_child(&info);
    }
}

static void running_and_terminated(void)
{
    PROCESS_INFORMATION info;
    DWORD code = 0;
    TEST("a running child: waits time out, STILL_ACTIVE, then TerminateProcess");
    CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &info));
    DWORD start = GetTickCount();
    CHECK_EQ(WaitForSingleObject(info.hProcess, 200), WAIT_TIMEOUT);
    CHECK(GetTickCount() - start >= 150);
    CHECK_EQ(WaitForSingleObject(info.hThread, 0), WAIT_TIMEOUT);
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    code = 0;
    CHECK(GetExitCodeThread(info.hThread, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(GetProcessId(info.hProcess), info.dwProcessId);

    TEST("OpenProcess on the child's id gives another handle to it");
    HANDLE opened = OpenProcess(PROCESS_QUERY_INFORMATION | SYNCHRONIZE | PROCESS_TERMINATE, FALSE, info.dwProcessId);
    CHECK(opened != NULL);
    CHECK_EQ(GetProcessId(opened), info.dwProcessId);
    TEST("GetProcessId needs a query right");
    HANDLE wait_only = OpenProcess(SYNCHRONIZE, FALSE, info.dwProcessId);
    CHECK(wait_only != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetProcessId(wait_only), 0);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(wait_only);

    TEST("the priority functions need their rights; a child's class and primary thread's priority read back");
    {
        /* Microsoft Learn: GetPriorityClass and GetProcessTimes need a query right,
         * SetPriorityClass PROCESS_SET_INFORMATION. */
        FILETIME times[4];
        HANDLE limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, info.dwProcessId);
        HANDLE bare = OpenProcess(SYNCHRONIZE, FALSE, info.dwProcessId);
        CHECK(limited != NULL && bare != NULL);
        SetLastError(0xdeadbeef);
        CHECK(!SetPriorityClass(limited, NORMAL_PRIORITY_CLASS));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetPriorityClass(bare), 0);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!GetProcessTimes(bare, &times[0], &times[1], &times[2], &times[3]));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(GetProcessTimes(limited, &times[0], &times[1], &times[2], &times[3]));
        /* The primary thread's priority is its own, and not the process's class. */
        CHECK(SetPriorityClass(info.hProcess, BELOW_NORMAL_PRIORITY_CLASS));
        CHECK(SetThreadPriority(info.hThread, THREAD_PRIORITY_LOWEST));
        CHECK_EQ(GetThreadPriority(info.hThread), THREAD_PRIORITY_LOWEST);
        CHECK_EQ(GetPriorityClass(limited), BELOW_NORMAL_PRIORITY_CLASS);
        CHECK(SetThreadPriority(info.hThread, THREAD_PRIORITY_NORMAL));
        CHECK_EQ(GetThreadPriority(info.hThread), THREAD_PRIORITY_NORMAL);
        CHECK_EQ(GetPriorityClass(info.hProcess), BELOW_NORMAL_PRIORITY_CLASS);
        CloseHandle(limited);
        CloseHandle(bare);
    }

    TEST("WaitForInputIdle: a process without a message queue fails at once");
    {
        HANDLE limited = OpenProcess(SYNCHRONIZE, FALSE, info.dwProcessId);
        HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
        DWORD start = GetTickCount();
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForInputIdle(info.hProcess, 5000), WAIT_FAILED);
        CHECK_ERROR(0xdeadbeef);
        CHECK(GetTickCount() - start < 4000);
        CHECK_EQ(WaitForInputIdle(GetCurrentProcess(), 0), WAIT_FAILED);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForInputIdle(info.hThread, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForInputIdle(event, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK(limited != NULL);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForInputIdle(limited, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CloseHandle(limited);
        CloseHandle(event);
    }

    TEST("GetProcessHandleCount: one more for a new handle, one fewer once it is closed");
    {
        DWORD before = 0, during = 0, after = 0;
        HANDLE event;
        CHECK(GetProcessHandleCount(GetCurrentProcess(), &before));
        event = CreateEventA(NULL, TRUE, FALSE, NULL);
        CHECK(GetProcessHandleCount(GetCurrentProcess(), &during));
        CloseHandle(event);
        CHECK(GetProcessHandleCount(GetCurrentProcess(), &after));
        WINE_DEVIATION("Wine 8.0 reports 0 handles") {
            CHECK_EQ(during, before + 1);
            CHECK_EQ(after, before);
        }
        HANDLE bare = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
        CHECK(bare != NULL);
        WINE_DEVIATION("Wine 8.0 answers without a query right") {
            SetLastError(0xdeadbeef);
            CHECK(!GetProcessHandleCount(bare, &during));
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        CloseHandle(bare);
    }

    TEST("a thread handle is not a process handle, nor the other way round");
    {
        HANDLE copy = NULL;
        DWORD value = 0;
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetProcessId(info.hThread), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!GetExitCodeProcess(info.hThread, &value));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!TerminateProcess(info.hThread, 43));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetThreadId(info.hProcess), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK(!GetExitCodeThread(info.hProcess, &value));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(SuspendThread(info.hProcess), (DWORD)-1);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(ResumeThread(info.hProcess), (DWORD)-1);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetThreadId(GetCurrentProcess()), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        /* A duplicate of the thread handle, even with other rights, is a thread handle. */
        CHECK(DuplicateHandle(GetCurrentProcess(), info.hThread, GetCurrentProcess(), &copy,
                              THREAD_QUERY_INFORMATION | SYNCHRONIZE, FALSE, 0));
        CHECK_EQ(GetThreadId(copy), info.dwThreadId);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetProcessId(copy), 0);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK_EQ(WaitForSingleObject(copy, 0), WAIT_TIMEOUT);
        CloseHandle(copy);
        CHECK(GetExitCodeThread(info.hThread, &value));
        CHECK_EQ(value, STILL_ACTIVE);
    }

    CHECK(TerminateProcess(info.hProcess, 42));
    CHECK_EQ(WaitForSingleObject(info.hProcess, 5000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(opened, 5000), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 42);
    code = 0;
    CHECK(GetExitCodeProcess(opened, &code));
    CHECK_EQ(code, 42);
    TEST("TerminateProcess on a process that has exited");
    WINE_DEVIATION("TerminateProcess of a process that has exited succeeds")
    {
        SetLastError(0xdeadbeef);
        CHECK(!TerminateProcess(info.hProcess, 1));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CloseHandle(opened);
    tl_close_child(&info);

    TEST("OpenProcess of a process that is not the caller's child: its parent");
    char arguments[128];
    snprintf(arguments, sizeof arguments, "watch %lu 0", (unsigned long)GetCurrentProcessId());
    CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);

    TEST("OpenProcess of a sibling, waited for until it is terminated");
    PROCESS_INFORMATION sibling;
    CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &sibling));
    char marker[64];
    snprintf(marker, sizeof marker, "proc_test_opened_%lu", (unsigned long)GetCurrentProcessId());
    DeleteFileA(marker);
    snprintf(arguments, sizeof arguments, "watch %lu 1 %s", (unsigned long)sibling.dwProcessId, marker);
    CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
    for (DWORD start = GetTickCount(); GetFileAttributesA(marker) == INVALID_FILE_ATTRIBUTES && GetTickCount() - start < 15000;)
        Sleep(10);
    CHECK(GetFileAttributesA(marker) != INVALID_FILE_ATTRIBUTES);
    DeleteFileA(marker);
    CHECK(TerminateProcess(sibling.hProcess, 9));
    CHECK_EQ(tl_wait_exit(&sibling), 9);
    tl_close_child(&sibling);
    code = tl_wait_exit(&info);
    CHECK(code == 0 || code == 1); /* the wait ended */
    OUR_DEVIATION("the exit code of a process that is not our child is unknown")
    {
        CHECK_EQ(code, 0);
    }
    tl_close_child(&info);

    TEST("OpenProcess of this process, and of no process");
    HANDLE self = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentProcessId());
    CHECK(self != NULL);
    CHECK_EQ(GetProcessId(self), GetCurrentProcessId());
    CHECK(GetExitCodeProcess(self, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CloseHandle(self);
    CHECK_EQ(GetProcessId(GetCurrentProcess()), GetCurrentProcessId());
    SetLastError(0xdeadbeef);
    CHECK(OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("OpenProcess of a thread's id: no such process");
    {
        DWORD thread_id = 0;
        HANDLE ready = CreateEventA(NULL, TRUE, FALSE, NULL), release = CreateEventA(NULL, TRUE, FALSE, NULL);
        struct id_thread_args args = {ready, release, &thread_id};
        HANDLE thread = CreateThread(NULL, 0, report_id_and_wait, &args, 0, NULL);
        CHECK(thread != NULL);
        CHECK_EQ(WaitForSingleObject(ready, 10000), WAIT_OBJECT_0);
        SetLastError(0xdeadbeef);
        CHECK(OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, thread_id) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetEvent(release);
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CloseHandle(thread);
        CloseHandle(ready);
        CloseHandle(release);
    }
}

static void ctrl_break(void)
{
    PROCESS_INFORMATION info;
    char arguments[128], marker[64];
    TEST("CREATE_NEW_PROCESS_GROUP, then Ctrl-Break to the child's group");
    snprintf(marker, sizeof marker, "proc_test_break_%lu", (unsigned long)GetCurrentProcessId());
    DeleteFileA(marker);
    snprintf(arguments, sizeof arguments, "break %s", marker);
    CHECK(start_child(arguments, FALSE, CREATE_NEW_PROCESS_GROUP, NULL, NULL, NULL, &info));
    for (DWORD start = GetTickCount(); GetFileAttributesA(marker) == INVALID_FILE_ATTRIBUTES && GetTickCount() - start < 15000;)
        Sleep(10);
    CHECK(GetFileAttributesA(marker) != INVALID_FILE_ATTRIBUTES);
    WINE_DEVIATION("GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT) fails with ERROR_INVALID_HANDLE")
    {
        CHECK(GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, info.dwProcessId));
        CHECK_EQ(tl_wait_exit(&info), 0);
    }
    if (tl_under_wine()) {
        TerminateProcess(info.hProcess, 0);
        WaitForSingleObject(info.hProcess, 5000);
    }
    tl_close_child(&info);
    DeleteFileA(marker);
}

static void two_children(void)
{
    PROCESS_INFORMATION first, second;
    TEST("WaitForMultipleObjects over two children");
    CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &first));
    CHECK(start_child("exit 3", FALSE, 0, NULL, NULL, NULL, &second));
    HANDLE both[2] = {first.hProcess, second.hProcess};
    CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, 10000), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, 100), WAIT_TIMEOUT);
    TerminateProcess(first.hProcess, 9);
    CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_wait_exit(&first), 9);
    CHECK_EQ(tl_wait_exit(&second), 3);
    tl_close_child(&first);
    tl_close_child(&second);
}

static volatile LONG wait_callbacks;
static volatile LONG wait_timed_out;

static VOID CALLBACK on_child_exit(PVOID context, BOOLEAN timed_out)
{
    (void)context;
    if (timed_out) tl_store(&wait_timed_out, 1);
    InterlockedIncrement(&wait_callbacks);
}

static HANDLE child_to_wait;

/* Waits a moment on child_to_wait (it still runs), then ends while the child runs on. */
static DWORD WINAPI short_wait_then_end(LPVOID unused)
{
    (void)unused;
    WaitForSingleObject(child_to_wait, 20);
    Sleep(200);
    return 0;
}

static void kinds_of_wait(void)
{
    PROCESS_INFORMATION info;
    TEST("a zero-time wait sees a child that exited while nothing waited for it");
    CHECK(start_child("exit 4", FALSE, 0, NULL, NULL, NULL, &info));
    DWORD result = WAIT_TIMEOUT;
    for (DWORD start = GetTickCount(); result == WAIT_TIMEOUT && GetTickCount() - start < 20000;) {
        result = WaitForSingleObject(info.hProcess, 0);
        if (result == WAIT_TIMEOUT) Sleep(5);
    }
    CHECK_EQ(result, WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 4);
    tl_close_child(&info);

    TEST("an alertable wait on a child ends when it exits");
    CHECK(start_child("exit 6", FALSE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(WaitForSingleObjectEx(info.hProcess, 20000, TRUE), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 6);
    tl_close_child(&info);

    TEST("a child and an event in one wait: the child's exit ends it");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(event != NULL);
    CHECK(start_child("exit 8", FALSE, 0, NULL, NULL, NULL, &info));
    HANDLE pair[2] = {event, info.hProcess};
    CHECK_EQ(WaitForMultipleObjects(2, pair, FALSE, 20000), WAIT_OBJECT_0 + 1);
    CHECK_EQ(tl_wait_exit(&info), 8);
    tl_close_child(&info);
    CloseHandle(event);

    TEST("two threads wait on one child: one in WaitForSingleObject, one in a thread-pool wait");
    tl_store(&wait_callbacks, 0);
    tl_store(&wait_timed_out, 0);
    CHECK(start_child("exit 2", FALSE, 0, NULL, NULL, NULL, &info));
    HANDLE registration = NULL;
    CHECK(RegisterWaitForSingleObject(&registration, info.hProcess, on_child_exit, NULL, 20000, WT_EXECUTEONLYONCE));
    CHECK_EQ(WaitForSingleObject(info.hProcess, 20000), WAIT_OBJECT_0);
    for (DWORD start = GetTickCount(); tl_load(&wait_callbacks) == 0 && GetTickCount() - start < 20000;) Sleep(5);
    CHECK_EQ(tl_load(&wait_callbacks), 1);
    CHECK_EQ(tl_load(&wait_timed_out), 0);
    CHECK(UnregisterWaitEx(registration, INVALID_HANDLE_VALUE));
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 2);
    tl_close_child(&info);

    /* The first wait on a child may start the library's watch of it; the thread that
     * waited ending must not end the watch (Linux ends a thread's io_uring operations
     * when they fire after it exited). */
    TEST("a thread that waited on a child ends; a wait begun before that ends at the exit");
    CHECK(start_child("sleep 700", FALSE, 0, NULL, NULL, NULL, &info));
    child_to_wait = info.hProcess;
    HANDLE waiter = CreateThread(NULL, 0, short_wait_then_end, NULL, 0, NULL);
    CHECK(waiter != NULL);
    Sleep(50); /* its wait is under way */
    DWORD began = GetTickCount();
    CHECK_EQ(WaitForSingleObject(info.hProcess, 20000), WAIT_OBJECT_0);
    CHECK(GetTickCount() - began < 5000);
    CHECK_EQ(WaitForSingleObject(waiter, 5000), WAIT_OBJECT_0);
    CloseHandle(waiter);
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 0);
    tl_close_child(&info);
}

static void suspended(void)
{
    PROCESS_INFORMATION info;
    TEST("CREATE_SUSPENDED: nothing runs until ResumeThread");
    CHECK(start_child("exit 5", FALSE, CREATE_SUSPENDED, NULL, NULL, NULL, &info));
    CHECK_EQ(WaitForSingleObject(info.hProcess, 300), WAIT_TIMEOUT);
    CHECK_EQ(ResumeThread(info.hThread), 1);
    CHECK_EQ(tl_wait_exit(&info), 5);
    tl_close_child(&info);

    TEST("SuspendThread and ResumeThread count on a suspended child's primary thread");
    CHECK(start_child("exit 8", FALSE, CREATE_SUSPENDED, NULL, NULL, NULL, &info));
    CHECK_EQ(SuspendThread(info.hThread), 1);
    CHECK_EQ(SuspendThread(info.hThread), 2);
    CHECK_EQ(ResumeThread(info.hThread), 3);
    CHECK_EQ(ResumeThread(info.hThread), 2);
    CHECK_EQ(WaitForSingleObject(info.hProcess, 300), WAIT_TIMEOUT); /* still suspended */
    CHECK_EQ(ResumeThread(info.hThread), 1);
    CHECK_EQ(tl_wait_exit(&info), 8);
    CHECK_EQ(ResumeThread(info.hThread), 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SuspendThread(info.hThread), (DWORD)-1); /* it has ended */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    tl_close_child(&info);

    TEST("SuspendThread stops a running child until ResumeThread");
    {
        HANDLE output;
        char text[64];
        DWORD got = 0;
        CHECK(tl_start_child_with_output(self_path, "ticks", &info, &output));
        CHECK(ReadFile(output, text, 1, &got, NULL) && got == 1); /* it runs */
        CHECK_EQ(SuspendThread(info.hThread), 0);
        Sleep(100); /* what it wrote before it stopped */
        while (PeekNamedPipe(output, NULL, 0, NULL, &got, NULL) && got > 0)
            ReadFile(output, text, got < sizeof text ? got : sizeof text, &got, NULL);
        Sleep(300);
        CHECK(PeekNamedPipe(output, NULL, 0, NULL, &got, NULL));
        CHECK_EQ(got, 0); /* nothing while suspended */
        CHECK_EQ(WaitForSingleObject(info.hProcess, 0), WAIT_TIMEOUT);
        CHECK_EQ(ResumeThread(info.hThread), 1);
        CHECK(ReadFile(output, text, 1, &got, NULL) && got == 1); /* it runs again */
        CHECK(TerminateProcess(info.hProcess, 3));
        CHECK_EQ(tl_finish_child(&info, 10000), 3);
        CloseHandle(output);
    }

    TEST("OpenThread on a child's dwThreadId names its primary thread");
    CHECK(start_child("exit 6", FALSE, CREATE_SUSPENDED, NULL, NULL, NULL, &info));
    {
        HANDLE thread = OpenThread(THREAD_SUSPEND_RESUME | THREAD_QUERY_INFORMATION | SYNCHRONIZE, FALSE,
                                   info.dwThreadId);
        DWORD code = 0;
        CHECK(thread != NULL);
        CHECK_EQ(GetThreadId(thread), info.dwThreadId);
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, STILL_ACTIVE);
        CHECK_EQ(ResumeThread(thread), 1); /* the child runs */
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, 6);
        CloseHandle(thread);
    }
    CHECK_EQ(tl_wait_exit(&info), 6);
    tl_close_child(&info);

    TEST("CREATE_SUSPENDED, then TerminateProcess");
    CHECK(start_child("exit 5", FALSE, CREATE_SUSPENDED, NULL, NULL, NULL, &info));
    CHECK(TerminateProcess(info.hProcess, 77));
    CHECK_EQ(tl_wait_exit(&info), 77);
    tl_close_child(&info);
}

static void command_lines(void)
{
    static const char *const cases[][4] = {
        {"plain", "two", NULL, NULL},
        {"with space", "", "tab\there", NULL},
        {"quote\"inside", "\"", "\"\"", NULL},
        {"back\\slash", "trailing\\", "two\\\\", NULL},
        {"\\\"", "a\\\\\"b", "end\\\\", NULL},
        {"C:\\Program Files\\x", "\\\\server\\share\\", "-opt=\"v\"", NULL},
    };
    char output[4096], expected[4096], arguments[1024];
    TEST("command lines: arguments quoted by the C run-time's rules come back unchanged");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        int count = 0;
        arguments[0] = '\0';
        for (; count < 4 && cases[i][count] != NULL; ++count) append_quoted(arguments, sizeof arguments, cases[i][count]);
        char line[2048];
        snprintf(line, sizeof line, "\"%s\" child args%s", self_path, arguments);
        snprintf(expected, sizeof expected, "%s\n%d\n", line, count);
        for (int k = 0; k < count; ++k) {
            strcat(expected, "[");
            strcat(expected, cases[i][k]);
            strcat(expected, "]\n");
        }
        run_args_child(arguments, output, sizeof output);
        if (strcmp(output, expected) != 0) printf("case %u: got <%s>\nexpected <%s>\n", (unsigned)i, output, expected);
        CHECK(strcmp(output, expected) == 0);
    }

    TEST("command lines: the splitting rules on raw text");
    static const char *const raw[][2] = {
        {" a\\\\b  c", "2\n[a\\\\b]\n[c]\n"},            /* backslashes before no quote: literal */
        {" \"a\\\\\" b", "2\n[a\\]\n[b]\n"},              /* 2n backslashes + quote: n, and a quote toggles */
        {" a\\\"b", "1\n[a\"b]\n"},                        /* 2n+1: n and a literal quote */
        {" \"a b\"c\" d\"", "1\n[a bc d]\n"},              /* quotes toggle within one argument */
        {" \"\"", "1\n[]\n"},                              /* an empty argument */
        {"\t x\t\ty ", "2\n[x]\n[y]\n"},                   /* tabs separate too; trailing blanks */
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; ++i) {
        run_args_child(raw[i][0], output, sizeof output);
        char *counted = strchr(output, '\n');
        CHECK(counted != NULL && strcmp(counted + 1, raw[i][1]) == 0);
        if (counted == NULL || strcmp(counted + 1, raw[i][1]) != 0)
            printf("raw case %u: got <%s> expected <%s>\n", (unsigned)i, counted ? counted + 1 : output, raw[i][1]);
    }

    TEST("lpApplicationName with a command line whose first token is anything");
    {
        char line[] = "whatever-name child args x";
        CHECK_EQ(run_with_output(self_path, line, NULL, FALSE, output, sizeof output), 0);
        CHECK(strcmp(output, "whatever-name child args x\n1\n[x]\n") == 0);
    }

    TEST("the child's command line: an application name alone is quoted, so is a name found past a blank");
    {
        /* A copy of this program named cmdline_probe writes its command line and ends. */
        char directory[64], copy[128], line[256], expected[256];
        snprintf(directory, sizeof directory, "proc dir %lu", (unsigned long)GetCurrentProcessId());
        snprintf(copy, sizeof copy, "%s\\cmdline_probe.exe", directory);
        CHECK(CreateDirectoryA(directory, NULL));
        CHECK(CopyFileA(self_path, copy, FALSE));
        for (int round = 0; round < 3; ++round) {
            char empty[] = "";
            snprintf(line, sizeof line, "%s x \"y z\"", copy); /* unquoted: "proc" names nothing */
            DWORD code = round == 0   ? run_with_output(copy, NULL, NULL, FALSE, output, sizeof output)
                         : round == 1 ? run_with_output(copy, empty, NULL, FALSE, output, sizeof output)
                                      : run_with_output(NULL, line, NULL, FALSE, output, sizeof output);
            CHECK_EQ(code, 0);
            snprintf(expected, sizeof expected, round < 2 ? "\"%s\"\n" : "\"%s\" x \"y z\"\n", copy);
            CHECK(strcmp(output, expected) == 0);
            if (strcmp(output, expected) != 0) printf("round %d: got <%s> expected <%s>\n", round, output, expected);
        }
        CHECK(DeleteFileA(copy));
        CHECK(RemoveDirectoryA(directory));
    }

    TEST("a program name is normalized as a path: trailing dots and spaces are dropped");
    {
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        char line[MAX_PATH + 32];
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        snprintf(line, sizeof line, "\"%s \" child exit 5", self_path);
        CHECK_EQ(run_with_output(NULL, line, NULL, FALSE, output, sizeof output), 5);
        /* A name without a directory, found by the search (the program's own directory). */
        snprintf(line, sizeof line, "\"%s \" child exit 6", tl_base_name(self_path));
        CHECK_EQ(run_with_output(NULL, line, NULL, FALSE, output, sizeof output), 6);
        /* A blank before the name: the first token is empty, and no program is named. */
        snprintf(line, sizeof line, " \"%s\" child exit 5", self_path);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }

    TEST("lpApplicationName gets no .exe added; the command line's program name does");
    {
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        char copy[80], bare[64], full[MAX_PATH], line[128];
        snprintf(bare, sizeof bare, "proc_test_copy_%lu", (unsigned long)GetCurrentProcessId());
        snprintf(copy, sizeof copy, "%s.exe", bare);
        CHECK(CopyFileA(self_path, copy, FALSE));
        CHECK(GetFullPathNameA(bare, sizeof full, full, NULL) > 0);
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        snprintf(line, sizeof line, "x child exit 4");
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(bare, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(full, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        snprintf(line, sizeof line, "%s child exit 4", bare);
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_EQ(tl_wait_exit(&info), 4);
        tl_close_child(&info);
        CHECK(DeleteFileA(copy));
    }

    TEST("a program that does not exist");
    {
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        char line[] = "no-such-program-ovl-test.exe arg";
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }

    TEST("a failed CreateProcess zeroes PROCESS_INFORMATION; an empty lpApplicationName");
    {
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        char name[] = "no-such-program-ovl-test.exe", empty[] = "", line[] = "x";
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        memset(&info, 0x0a, sizeof info);
        CHECK(!CreateProcessA(name, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK(info.hProcess == NULL && info.hThread == NULL && info.dwProcessId == 0 && info.dwThreadId == 0);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(empty, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(empty, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    }

    TEST("CREATE_NEW_CONSOLE with DETACHED_PROCESS is refused");
    WINE_DEVIATION("Wine starts the child") {
        PROCESS_INFORMATION info;
        SetLastError(0xdeadbeef);
        CHECK(!start_child("exit 0", FALSE, CREATE_NEW_CONSOLE | DETACHED_PROCESS, NULL, NULL, NULL, &info));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        if (info.hProcess != NULL) tl_close_child(&info);
    }

    TEST("DETACHED_PROCESS: the child starts without a console");
    {
        PROCESS_INFORMATION info;
        CHECK(start_child("detached", FALSE, DETACHED_PROCESS, NULL, NULL, NULL, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
    }

    TEST("GetCommandLineA/W of this process name the program");
    {
        const char *base = strrchr(self_path, '\\') ? strrchr(self_path, '\\') + 1 : self_path;
        if (strrchr(base, '/')) base = strrchr(base, '/') + 1;
        CHECK(strstr(GetCommandLineA(), base) != NULL);
    }
    CHECK(GetCommandLineW() != NULL && GetCommandLineW()[0] != 0);
}

static void redirection(void)
{
    char output[512];
    PROCESS_INFORMATION info;
    STARTUPINFOA startup;
    TEST("standard output redirected to a file; GetStdHandle in the child gives it");
    HANDLE out = create_output(out_name, TRUE);
    CHECK(out != INVALID_HANDLE_VALUE);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = out;
    startup.hStdError = out;
    CHECK(start_child("hello", TRUE, 0, NULL, NULL, &startup, &info));
    CloseHandle(out);
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "hello from the child\n") == 0);

    TEST("STARTF_USESTDHANDLES with NULL fields: those standard handles are NULL in the child");
    CHECK_EQ(run_role("nullstd", NULL, TRUE, output, sizeof output), 0);
    CHECK(strcmp(output, "nullstd ok\n") == 0);

    TEST("GetStartupInfoA in the child");
    out = create_output(out_name, TRUE);
    startup.hStdOutput = out;
    startup.hStdError = out;
    CHECK(start_child("startup", TRUE, 0, NULL, NULL, &startup, &info));
    CloseHandle(out);
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "startup ok\n") == 0);

    TEST("GetStartupInfoA/W in the child: the window fields, the title and the desktop as given");
    {
        STARTUPINFOA window;
        char title[] = "the title", desktop[] = "";
        memset(&window, 0, sizeof window);
        window.cb = sizeof window;
        window.dwFlags = STARTF_USESHOWWINDOW | STARTF_USESIZE;
        window.wShowWindow = SW_SHOWNORMAL;
        window.dwX = 0x34343434;
        window.dwY = 0x45454545;
        window.dwXSize = 0x56565656;
        window.dwYSize = 0x67676767;
        window.dwXCountChars = 0x12121212;
        window.dwYCountChars = 0x23232323;
        window.dwFillAttribute = 0xA55A;
        window.lpTitle = title;
        window.lpDesktop = desktop;
        CHECK(start_child("window given", FALSE, 0, NULL, NULL, &window, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        window.lpTitle = NULL;
        window.lpDesktop = NULL;
        CHECK(start_child("window none", FALSE, 0, NULL, NULL, &window, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
    }

    TEST("standard output to NUL");
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE null_device = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                     &inheritable, OPEN_EXISTING, 0, NULL);
    CHECK(null_device != INVALID_HANDLE_VALUE);
    startup.hStdInput = null_device;
    startup.hStdOutput = null_device;
    startup.hStdError = null_device;
    CHECK(start_child("hello", TRUE, 0, NULL, NULL, &startup, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    CloseHandle(null_device);
}

static void duplicate_into_child(void)
{
    char arguments[128], output[256], marker[64];
    PROCESS_INFORMATION info;
    TEST("DuplicateHandle into a running child, and out of it");
    snprintf(marker, sizeof marker, "proc_test_marker_%lu.txt", (unsigned long)GetCurrentProcessId());
    DeleteFileA(marker);
    HANDLE output_file = create_output(out_name, FALSE);
    CHECK(output_file != INVALID_HANDLE_VALUE);
    snprintf(arguments, sizeof arguments, "handle-later %s", marker);
    CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
    HANDLE in_child = NULL;
    SetLastError(0xdeadbeef);
    BOOL duplicated = DuplicateHandle(GetCurrentProcess(), output_file, info.hProcess, &in_child, 0, TRUE,
                                      DUPLICATE_SAME_ACCESS);
    DWORD error = GetLastError();
    HANDLE tell = CreateFileA(marker, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(tell != INVALID_HANDLE_VALUE);
    char text[32];
    if (duplicated) snprintf(text, sizeof text, "%llx\n", (unsigned long long)(ULONG_PTR)in_child);
    else snprintf(text, sizeof text, "none\n");
    DWORD written = 0;
    CHECK(WriteFile(tell, text, (DWORD)strlen(text), &written, NULL));
    CloseHandle(tell);
    CHECK_EQ(tl_wait_exit(&info), 0);
    /* The child wrote through its copy of our file handle (inheritable, as asked). */
    CHECK(duplicated);
    if (!duplicated) printf("  error %lu\n", (unsigned long)error);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "inherited") == 0);
    {
        /* Out of a process that has exited: it has no handles left to give. Nor is a
         * thread handle a process to put a handle in. */
        HANDLE here = NULL;
        SetLastError(0xdeadbeef);
        CHECK(!DuplicateHandle(info.hProcess, in_child, GetCurrentProcess(), &here, 0, FALSE, DUPLICATE_SAME_ACCESS));
        CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
        CHECK(!DuplicateHandle(GetCurrentProcess(), output_file, info.hThread, &here, 0, FALSE, DUPLICATE_SAME_ACCESS));
    }
    /* This process's own handle, by its id, is this process. */
    HANDLE self = OpenProcess(PROCESS_DUP_HANDLE, FALSE, GetCurrentProcessId());
    CHECK(self != NULL);
    HANDLE copy = NULL;
    CHECK(DuplicateHandle(self, output_file, self, &copy, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(copy != NULL && CloseHandle(copy));
    CloseHandle(self);
    tl_close_child(&info);
    CloseHandle(output_file);
    DeleteFileA(marker);
}

static void inheritance(void)
{
    char arguments[128], output[256];
    PROCESS_INFORMATION info;
    HANDLE padding[200];
    TEST("an inheritable handle is usable in the child at the same value");
    /* Handles at values a fresh process is unlikely to use for itself. */
    for (int i = 0; i < 200; ++i) padding[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE shared = create_output(out_name, TRUE);
    CHECK(shared != INVALID_HANDLE_VALUE);
    snprintf(arguments, sizeof arguments, "handle %llx 1", (unsigned long long)(ULONG_PTR)shared);
    CHECK(start_child(arguments, TRUE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    CloseHandle(shared);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "inherited") == 0);

    TEST("with bInheritHandles FALSE, the same handle is invalid in the child");
    shared = create_output(out_name, TRUE);
    snprintf(arguments, sizeof arguments, "handle %llx 0", (unsigned long long)(ULONG_PTR)shared);
    CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);

    TEST("a handle without HANDLE_FLAG_INHERIT is invalid in the child");
    CHECK(SetHandleInformation(shared, HANDLE_FLAG_INHERIT, 0));
    CHECK(start_child(arguments, TRUE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);

    TEST("SetHandleInformation(HANDLE_FLAG_INHERIT) makes it inheritable");
    CHECK(SetHandleInformation(shared, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
    snprintf(arguments, sizeof arguments, "handle %llx 1", (unsigned long long)(ULONG_PTR)shared);
    CHECK(start_child(arguments, TRUE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    CloseHandle(shared);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "inherited") == 0);
    for (int i = 0; i < 200; ++i) CloseHandle(padding[i]);
}

/* A list of one process attribute (`attribute`, `value`, `size`) hung on `startup`; free it
 * with free_attribute_list. */
static LPPROC_THREAD_ATTRIBUTE_LIST one_attribute(DWORD_PTR attribute, void *value, SIZE_T size, STARTUPINFOEXA *startup)
{
    SIZE_T list_size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &list_size);
    LPPROC_THREAD_ATTRIBUTE_LIST list = (LPPROC_THREAD_ATTRIBUTE_LIST)malloc(list_size);
    CHECK(InitializeProcThreadAttributeList(list, 1, 0, &list_size));
    CHECK(UpdateProcThreadAttribute(list, 0, attribute, value, size, NULL, NULL));
    memset(startup, 0, sizeof *startup);
    startup->StartupInfo.cb = sizeof *startup;
    startup->lpAttributeList = list;
    return list;
}

static void free_attribute_list(LPPROC_THREAD_ATTRIBUTE_LIST list)
{
    DeleteProcThreadAttributeList(list);
    free(list);
}

static void handle_list(void)
{
    char arguments[128], output[64];
    PROCESS_INFORMATION info;
    STARTUPINFOEXA startup;
    SIZE_T size = 0;
    HANDLE padding[200];
    TEST("InitializeProcThreadAttributeList sizes, UpdateProcThreadAttribute checks");
    SetLastError(0xdeadbeef);
    CHECK(!InitializeProcThreadAttributeList(NULL, 1, 0, &size));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK(size > 0);
    LPPROC_THREAD_ATTRIBUTE_LIST list = (LPPROC_THREAD_ATTRIBUTE_LIST)malloc(size);
    CHECK(InitializeProcThreadAttributeList(list, 1, 0, &size));
    HANDLE one[1] = {NULL};
    SetLastError(0xdeadbeef);
    CHECK(!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, one, sizeof(HANDLE) + 1, NULL, NULL));
    CHECK_ERROR(ERROR_BAD_LENGTH);

    TEST("PROC_THREAD_ATTRIBUTE_HANDLE_LIST: only the listed inheritable handles reach the child");
    for (int i = 0; i < 200; ++i) padding[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE listed = create_output(out_name, TRUE);
    char other_name[80];
    snprintf(other_name, sizeof other_name, "%s.other", out_name);
    HANDLE other = create_output(other_name, TRUE);
    CHECK(listed != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    one[0] = listed;
    CHECK(UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, one, sizeof one, NULL, NULL));
    SetLastError(0xdeadbeef);
    CHECK(!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, one, sizeof one, NULL, NULL));
    CHECK_ERROR(ERROR_GEN_FAILURE); /* the list holds one attribute */
    {
        /* The same attribute twice in a list with room: ERROR_OBJECT_NAME_EXISTS, 698
         * (Wine's kernel32 process.c test_ProcThreadAttributeList, which passes on Windows). */
        SIZE_T two_size = 0;
        InitializeProcThreadAttributeList(NULL, 2, 0, &two_size);
        LPPROC_THREAD_ATTRIBUTE_LIST two = (LPPROC_THREAD_ATTRIBUTE_LIST)malloc(two_size);
        CHECK(InitializeProcThreadAttributeList(two, 2, 0, &two_size));
        CHECK(UpdateProcThreadAttribute(two, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, one, sizeof one, NULL, NULL));
        SetLastError(0xdeadbeef);
        CHECK(!UpdateProcThreadAttribute(two, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, one, sizeof one, NULL, NULL));
        CHECK_ERROR(698); /* ERROR_OBJECT_NAME_EXISTS */
        DeleteProcThreadAttributeList(two);
        free(two);
    }
    memset(&startup, 0, sizeof startup);
    startup.StartupInfo.cb = sizeof startup;
    startup.lpAttributeList = list;
    snprintf(arguments, sizeof arguments, "handle %llx 1", (unsigned long long)(ULONG_PTR)listed);
    CHECK(start_child(arguments, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &startup.StartupInfo, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    snprintf(arguments, sizeof arguments, "handle %llx 0", (unsigned long long)(ULONG_PTR)other);
    CHECK(start_child(arguments, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &startup.StartupInfo, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);

    TEST("PROC_THREAD_ATTRIBUTE_HANDLE_LIST: refused without bInheritHandles, or naming a handle not inheritable");
    snprintf(arguments, sizeof arguments, "handle %llx 1", (unsigned long long)(ULONG_PTR)listed);
    WINE_DEVIATION("Wine starts the child anyway, with no handle inherited")
    {
        SetLastError(0xdeadbeef);
        CHECK(!start_child(arguments, FALSE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &startup.StartupInfo, &info));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    HANDLE not_inheritable = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE refused[2][1] = {{not_inheritable}, {GetCurrentProcess()}};
    for (int i = 0; i < 2; ++i) WINE_DEVIATION("Wine starts the child, skipping the handle") {
        STARTUPINFOEXA bad_startup;
        LPPROC_THREAD_ATTRIBUTE_LIST bad =
            one_attribute(PROC_THREAD_ATTRIBUTE_HANDLE_LIST, refused[i], sizeof refused[i], &bad_startup);
        SetLastError(0xdeadbeef);
        BOOL started = start_child("return 0", TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &bad_startup.StartupInfo,
                                   &info);
        if (started) {
            tl_wait_exit(&info);
            tl_close_child(&info);
        }
        CHECK(!started);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        free_attribute_list(bad);
    }
    CloseHandle(not_inheritable);

    TEST("PROC_THREAD_ATTRIBUTE_HANDLE_LIST with a NULL in it: accepted, and nothing is inherited");
    {
        HANDLE with_null[2] = {NULL, listed};
        STARTUPINFOEXA null_startup;
        LPPROC_THREAD_ATTRIBUTE_LIST null_list =
            one_attribute(PROC_THREAD_ATTRIBUTE_HANDLE_LIST, with_null, sizeof with_null, &null_startup);
        snprintf(arguments, sizeof arguments, "handle %llx 0", (unsigned long long)(ULONG_PTR)listed);
        WINE_DEVIATION("Wine inherits the other handles of a list that holds a NULL")
        {
            CHECK(start_child(arguments, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &null_startup.StartupInfo, &info));
            CHECK_EQ(tl_wait_exit(&info), 0);
            tl_close_child(&info);
        }
        free_attribute_list(null_list);
    }

    TEST("PROC_THREAD_ATTRIBUTE_PARENT_PROCESS: this process, or a child of it");
    for (int which = 0; which < 2; ++which) {
        PROCESS_INFORMATION sleeper;
        HANDLE parent = OpenProcess(PROCESS_ALL_ACCESS, FALSE, GetCurrentProcessId());
        if (which == 1) {
            CloseHandle(parent);
            CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &sleeper));
            parent = sleeper.hProcess;
        }
        STARTUPINFOEXA parent_startup;
        LPPROC_THREAD_ATTRIBUTE_LIST parent_list =
            one_attribute(PROC_THREAD_ATTRIBUTE_PARENT_PROCESS, &parent, sizeof parent, &parent_startup);
        SetLastError(0xdeadbeef);
        BOOL started =
            start_child("return 7", FALSE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &parent_startup.StartupInfo, &info);
        DWORD error = GetLastError();
        if (started) {
            CHECK_EQ(tl_wait_exit(&info), 7);
            tl_close_child(&info);
        }
        if (which == 0) {
            CHECK(started);
        } else {
            OUR_DEVIATION("another process as a child's parent is not built")
            {
                CHECK(started);
            }
            if (!tl_under_wine()) {
                CHECK(!started);
                CHECK_EQ(error, ERROR_CALL_NOT_IMPLEMENTED);
            }
            TerminateProcess(sleeper.hProcess, 0);
            tl_wait_exit(&sleeper);
            CloseHandle(sleeper.hThread);
        }
        CloseHandle(parent);
        free_attribute_list(parent_list);
    }
    CloseHandle(listed);
    CloseHandle(other);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "inherited") == 0);
    DeleteProcThreadAttributeList(list);
    free(list);
    DeleteFileA(other_name);
    for (int i = 0; i < 200; ++i) CloseHandle(padding[i]);
}

static void environment_and_directory(void)
{
    char output[256];
    PROCESS_INFORMATION info;
    STARTUPINFOA startup;
    TEST("an ANSI environment block replaces the parent's");
    CHECK(SetEnvironmentVariableA("OVL_TEST_PARENT_ONLY", "parent"));
    static char block[] = "OVL_TEST_VAR=from the block\0OTHER=1\0";
    HANDLE out = create_output(out_name, TRUE);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = out;
    startup.hStdError = out;
    CHECK(start_child("env", TRUE, 0, block, NULL, &startup, &info));
    CloseHandle(out);
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "from the block\n") == 0);

    TEST("a Unicode environment block (CREATE_UNICODE_ENVIRONMENT) with CreateProcessW");
    {
        static WCHAR wide_block[] = L"OVL_TEST_VAR=wide value\0OTHER=2\0";
        WCHAR line[1024];
        STARTUPINFOW wide_startup;
        char narrow[1024];
        snprintf(narrow, sizeof narrow, "\"%s\" child env", self_path);
        for (size_t i = 0; i <= strlen(narrow) && i < 1024; ++i) line[i] = (WCHAR)(unsigned char)narrow[i];
        out = create_output(out_name, TRUE);
        memset(&wide_startup, 0, sizeof wide_startup);
        wide_startup.cb = sizeof wide_startup;
        wide_startup.dwFlags = STARTF_USESTDHANDLES;
        wide_startup.hStdOutput = out;
        wide_startup.hStdError = out;
        CHECK(CreateProcessW(NULL, line, NULL, NULL, TRUE, CREATE_UNICODE_ENVIRONMENT, wide_block, NULL,
                             &wide_startup, &info));
        CloseHandle(out);
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        tl_read_file(out_name, output, sizeof output);
        CHECK(strcmp(output, "wide value\n") == 0);
    }

    TEST("the parent's environment by default");
    CHECK(SetEnvironmentVariableA("OVL_TEST_VAR", "inherited value"));
    CHECK(SetEnvironmentVariableA("OVL_TEST_PARENT_ONLY", NULL));
    out = create_output(out_name, TRUE);
    startup.hStdOutput = out;
    startup.hStdError = out;
    CHECK(start_child("env", TRUE, 0, NULL, NULL, &startup, &info));
    CloseHandle(out);
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "inherited value\n") == 0);
    CHECK(SetEnvironmentVariableA("OVL_TEST_VAR", NULL));

    TEST("a variable whose name begins with '=' reaches the child");
    CHECK(SetEnvironmentVariableA("=OVL_Drive", "=C:\\dir"));
    out = create_output(out_name, TRUE);
    startup.hStdOutput = out;
    startup.hStdError = out;
    CHECK(start_child("getenv =ovl_drive", TRUE, 0, NULL, NULL, &startup, &info));
    CloseHandle(out);
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    tl_read_file(out_name, output, sizeof output);
    CHECK(strcmp(output, "=C:\\dir\n") == 0);
    CHECK(SetEnvironmentVariableA("=OVL_Drive", NULL));

    TEST("lpCurrentDirectory");
    char directory[64], marker[96];
    snprintf(directory, sizeof directory, "proc_test_dir_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(marker, sizeof marker, "%s\\marker.txt", directory);
    CHECK(CreateDirectoryA(directory, NULL));
    CHECK(start_child("cwd", FALSE, 0, NULL, directory, NULL, &info));
    CHECK_EQ(tl_wait_exit(&info), 0);
    tl_close_child(&info);
    CHECK(GetFileAttributesA(marker) != INVALID_FILE_ATTRIBUTES);
    DeleteFileA(marker);
    RemoveDirectoryA(directory);

    TEST("a relative program name is found from the parent's directory, not lpCurrentDirectory");
    {
        char saved[MAX_PATH], here[MAX_PATH], line[MAX_PATH + 32];
        const char *base = tl_base_name(self_path);
        CHECK(GetCurrentDirectoryA(sizeof saved, saved) > 0);
        snprintf(here, sizeof here, "%.*s", (int)(base - self_path), self_path);
        CHECK(SetCurrentDirectoryA(here));
        CHECK(CreateDirectoryA(directory, NULL));
        snprintf(line, sizeof line, ".\\%s child cwd", base);
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, directory, &startup, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        CHECK(DeleteFileA(marker));
        /* lpApplicationName without a directory: the same */
        snprintf(line, sizeof line, "x child cwd");
        CHECK(CreateProcessA(base, line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, directory, &startup, &info));
        CHECK_EQ(ResumeThread(info.hThread), 1);
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        CHECK(DeleteFileA(marker));
        RemoveDirectoryA(directory);
        CHECK(SetCurrentDirectoryA(saved));
    }

    TEST("a block naming one variable twice: the first entry, without case, is the one found");
    {
        static char twice[] = "ovl_test_twice=first\0OVL_TEST_TWICE=second\0";
        CHECK_EQ(run_role("getenv OVL_TEST_TWICE", twice, FALSE, output, sizeof output), 0);
        CHECK(strcmp(output, "first\n") == 0);
    }

    TEST("a current directory that does not exist");
    SetLastError(0xdeadbeef);
    CHECK(!start_child("exit 0", FALSE, 0, NULL, "no_such_directory_ovl", NULL, &info));
    CHECK_ERROR(ERROR_DIRECTORY);
}

static void environment_functions(void)
{
    char buffer[64];
    WCHAR wide[64];
    int strings_found;
    TEST("Get/SetEnvironmentVariable: sizes, case, removal");
    CHECK(SetEnvironmentVariableA("OVL_Env_Case", "12345"));
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", buffer, sizeof buffer), 5);
    CHECK(strcmp(buffer, "12345") == 0);
    CHECK_EQ(GetEnvironmentVariableA("ovl_env_case", buffer, sizeof buffer), 5);
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", buffer, 5), 6); /* too small: the size needed */
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", NULL, 0), 6);
    CHECK_EQ(GetEnvironmentVariableW(L"OVL_ENV_CASE", wide, 64), 5);
    CHECK(wide[0] == L'1' && wide[4] == L'5' && wide[5] == 0);
    CHECK(SetEnvironmentVariableW(L"OVL_Env_Case", L"wide"));
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", buffer, sizeof buffer), 4);
    CHECK(strcmp(buffer, "wide") == 0);
    CHECK(SetEnvironmentVariableA("OVL_Env_Case", ""));
    SetLastError(0);
    strcpy(buffer, "foo");
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", buffer, sizeof buffer), 0); /* set, and empty */
    CHECK_EQ(GetLastError(), 0);
    CHECK(buffer[0] == '\0');
    CHECK(SetEnvironmentVariableA("OVL_Env_Case", NULL));
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA("OVL_Env_Case", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);

    TEST("SetEnvironmentVariable: removing a variable that is not set succeeds");
    SetLastError(0xdeadbeef);
    CHECK(SetEnvironmentVariableA("OVL_Never_Set_Variable", NULL));
    CHECK(SetEnvironmentVariableW(L"OVL_Never_Set_Variable", NULL));
    CHECK_EQ(GetEnvironmentVariableA("OVL_Never_Set_Variable", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);

    TEST("environment names: '=' only as the first character, empty refused");
    SetLastError(0xdeadbeef);
    CHECK(!SetEnvironmentVariableA("OVL_me=too", "also"));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!SetEnvironmentVariableA("", "also"));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetEnvironmentVariableA("OVL_Value", "too=also")); /* '=' in a value is plain text */
    CHECK_EQ(GetEnvironmentVariableA("OVL_Value", buffer, sizeof buffer), 8);
    CHECK(strcmp(buffer, "too=also") == 0);
    CHECK(SetEnvironmentVariableA("OVL_Value", NULL));
    CHECK(SetEnvironmentVariableA("=OVL_Too", "also")); /* as cmd.exe's "=C:=C:\dir" */
    CHECK_EQ(GetEnvironmentVariableA("=OVL_Too", buffer, sizeof buffer), 4);
    CHECK(strcmp(buffer, "also") == 0);
    CHECK_EQ(GetEnvironmentVariableA("=ovl_too", buffer, sizeof buffer), 4); /* without case */
    CHECK(SetEnvironmentVariableA("=ovl_TOO", "again")); /* replaces it */
    CHECK_EQ(GetEnvironmentVariableW(L"=OVL_TOO", wide, 64), 5);
    CHECK(wide[0] == L'a' && wide[4] == L'n' && wide[5] == 0);
    CHECK_EQ(ExpandEnvironmentStringsA("<%=OVL_Too%>", buffer, sizeof buffer), 8);
    CHECK(strcmp(buffer, "<again>") == 0);
    strings_found = 0;
    {
        LPCH all = GetEnvironmentStringsA();
        for (LPCH at = all; *at; at += strlen(at) + 1)
            if (_stricmp(at, "=OVL_Too=again") == 0) ++strings_found;
        FreeEnvironmentStringsA(all);
    }
    CHECK_EQ(strings_found, 1);
    CHECK(SetEnvironmentVariableW(L"=", L"alone"));
    CHECK_EQ(GetEnvironmentVariableA("=", buffer, sizeof buffer), 5);
    CHECK(strcmp(buffer, "alone") == 0);
    CHECK(SetEnvironmentVariableA("=OVL_Too", NULL));
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA("=OVL_Too", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);
    CHECK_EQ(GetEnvironmentVariableA("=", buffer, sizeof buffer), 5); /* the other stays */
    CHECK(SetEnvironmentVariableA("=", NULL));
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA("=", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);

    TEST("GetEnvironmentStrings holds what was set");
    CHECK(SetEnvironmentVariableA("OVL_STRINGS_TEST", "here"));
    LPCH strings = GetEnvironmentStringsA();
    int found = 0;
    for (LPCH at = strings; *at; at += strlen(at) + 1)
        if (strcmp(at, "OVL_STRINGS_TEST=here") == 0) found = 1;
    CHECK(found);
    CHECK(FreeEnvironmentStringsA(strings));
    LPWCH wide_strings = GetEnvironmentStringsW();
    CHECK(wide_strings != NULL && wide_strings[0] != 0);
    CHECK(FreeEnvironmentStringsW(wide_strings));
    SetEnvironmentVariableA("OVL_STRINGS_TEST", NULL);
}

/* The names without A or W, as a program built without UNICODE uses them (Microsoft
 * Learn's "Creating Processes" and "Changing Environment Variables" are written so): the
 * SDK maps them onto the ANSI functions and structures. */
static void generic_names(void)
{
    STARTUPINFO startup;
    LPSTARTUPINFO startup_pointer = &startup;
    PROCESS_INFORMATION info;
    TCHAR line[MAX_PATH + 32];
    TCHAR value[16];
    LPTCH strings;
    PTCH at;
    DWORD size = MAX_PATH;
    int found = 0;
    TEST("the names without A or W: STARTUPINFO, CreateProcess, the environment functions");
    CHECK_EQ(sizeof(STARTUPINFO), sizeof(STARTUPINFOA));
    ZeroMemory(&startup, sizeof startup);
    GetStartupInfo(startup_pointer);
    CHECK_EQ(startup.cb, sizeof(STARTUPINFOA));
    CHECK(SetEnvironmentVariable(TEXT("OVL_GENERIC_NAME"), TEXT("7")));
    CHECK_EQ(GetEnvironmentVariable(TEXT("OVL_GENERIC_NAME"), value, 16), 1);
    CHECK(value[0] == '7' && value[1] == 0);
    CHECK_EQ(ExpandEnvironmentStrings(TEXT("<%OVL_GENERIC_NAME%>"), value, 16), 4);
    CHECK(lstrcmp(value, TEXT("<7>")) == 0);
    strings = GetEnvironmentStrings();
    for (at = strings; at != NULL && *at; at += lstrlen(at) + 1)
        if (lstrcmp(at, TEXT("OVL_GENERIC_NAME=7")) == 0) found = 1;
    CHECK(found);
    CHECK(FreeEnvironmentStrings(strings));
    CHECK(GetCommandLine() != NULL);
    CHECK(QueryFullProcessImageName(GetCurrentProcess(), 0, line, &size));
    CHECK(size > 0 && line[0] != 0);
    snprintf(line, sizeof line, "\"%s\" child exit 7", self_path);
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    ZeroMemory(&info, sizeof info);
    CHECK(CreateProcess(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    CHECK_EQ(tl_wait_exit(&info), 7);
    tl_close_child(&info);
    CHECK(SetEnvironmentVariable(TEXT("OVL_GENERIC_NAME"), NULL));
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    if (strstr(self_path, "cmdline_probe") != NULL) { /* a copy that reports its command line */
        child_write(GetCommandLineA());
        child_write("\n");
        return 0;
    }
    snprintf(out_name, sizeof out_name, "proc_test_out_%lu.txt", (unsigned long)GetCurrentProcessId());

    exit_codes();
    running_and_terminated();
    two_children();
    kinds_of_wait();
    ctrl_break();
    suspended();
    command_lines();
    redirection();
    inheritance();
    duplicate_into_child();
    handle_list();
    environment_and_directory();
    environment_functions();
    generic_names();

    DeleteFileA(out_name);
    return tl_finish();
}
