/* test_process_edges.c: the edges of the process functions, from Wine's kernel32 process
 * and environ conformance tests (which pass on Windows) and Microsoft Learn: CreateProcess
 * refusing what names no program, argv[0] as written and doubled quotes, exit codes that
 * TerminateProcess gives (STILL_ACTIVE itself, codes above 255), the rights each query
 * needs, handles that are no process, OpenProcess of a process that is gone, the child's
 * current directory and environment block, and the buffer rules of
 * GetEnvironmentVariable. The program starts
 * copies of itself ("child ROLE ...") so it runs the same way on Windows, Wine and here. */
#include "testlib.h"
#include "children.h"

static char self_path[MAX_PATH];
static char out_name[64];

static void child_write(const char *text)
{
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &written, NULL);
}

/* ---- The child's roles ------------------------------------------------------------- */

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    if (strcmp(role, "exit") == 0) ExitProcess((UINT)strtoul(argv[3], NULL, 10));
    if (strcmp(role, "sleep") == 0) {
        Sleep(20000);
        return 0;
    }
    if (strcmp(role, "argv") == 0) { /* argv[0], then each argument after the role */
        child_write(argv[0]);
        child_write("\n");
        for (int i = 3; i < argc; ++i) {
            child_write("[");
            child_write(argv[i]);
            child_write("]\n");
        }
        return 0;
    }
    if (strcmp(role, "class") == 0) /* argv[3]: the priority class it must be in (hex) */
        return GetPriorityClass(GetCurrentProcess()) == (DWORD)strtoul(argv[3], NULL, 16) ? 0 : 1;
    if (strcmp(role, "desktop") == 0) { /* argv[3]: the lpDesktop it must have ("-": none) */
        STARTUPINFOA info;
        GetStartupInfoA(&info);
        if (strcmp(argv[3], "-") == 0) return info.lpDesktop == NULL ? 0 : 1;
        if (info.lpDesktop != NULL && _stricmp(info.lpDesktop, argv[3]) == 0) return 0;
        fprintf(stderr, "lpDesktop <%s>, expected <%s>\n", info.lpDesktop ? info.lpDesktop : "(null)", argv[3]);
        return 1;
    }
    if (strcmp(role, "desktop-spawn") == 0) {
        /* Starts "desktop <its own lpDesktop>" with lpDesktop NULL: the child's is this one's. */
        STARTUPINFOA mine, plain;
        PROCESS_INFORMATION info;
        char line[MAX_PATH + 300], path[MAX_PATH];
        DWORD code = 2;
        GetStartupInfoA(&mine);
        if (GetModuleFileNameA(NULL, path, sizeof path) == 0) return 3;
        snprintf(line, sizeof line, "\"%s\" child desktop %s", path, mine.lpDesktop != NULL ? mine.lpDesktop : "-");
        memset(&plain, 0, sizeof plain);
        plain.cb = sizeof plain;
        if (!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &plain, &info)) return 4;
        if (WaitForSingleObject(info.hProcess, 20000) != WAIT_OBJECT_0) TerminateProcess(info.hProcess, 5);
        GetExitCodeProcess(info.hProcess, &code);
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
        return (int)code;
    }
    if (strcmp(role, "cwd") == 0) { /* writes its current directory */
        char directory[MAX_PATH];
        if (GetCurrentDirectoryA(sizeof directory, directory) == 0) return 40;
        child_write(directory);
        child_write("\n");
        return 0;
    }
    if (strcmp(role, "envdump") == 0) { /* every entry of its block, one a line */
        LPCH block = GetEnvironmentStringsA();
        if (block == NULL) return 50;
        for (LPCH at = block; *at; at += strlen(at) + 1) {
            child_write(at);
            child_write("\n");
        }
        FreeEnvironmentStringsA(block);
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

/* Runs `line` (or "<self> child <line>" when `role` is set) with standard output to a
 * file; returns the exit code (0xFFFFFFFF: not started or not ended), the output. */
static DWORD run_output(const char *application, const char *line, BOOL role, DWORD flags, void *environment,
                        const char *directory, char *output, DWORD size)
{
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE out = CreateFileA(out_name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable,
                             CREATE_ALWAYS, 0, NULL);
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    char text[4096];
    BOOL started;
    output[0] = '\0';
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = out;
    startup.hStdError = out;
    if (role)
        snprintf(text, sizeof text, "\"%s\" child %s", self_path, line);
    else
        snprintf(text, sizeof text, "%s", line);
    started = CreateProcessA(application, text, NULL, NULL, TRUE, flags, environment, directory, &startup, &info);
    CloseHandle(out);
    if (!started) return 0xFFFFFFFF;
    DWORD code = tl_wait_exit(&info);
    tl_close_child(&info);
    tl_read_file(out_name, output, size);
    return code;
}

/* ---- Tests --------------------------------------------------------------------------- */

static void refused_programs(void)
{
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    char empty[] = "", missing[] = "ovl-does-not-exist.exe", spaced[] = "ovl does not exist.exe";
    char directory[64], line[MAX_PATH + 32];

    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;

    TEST("CreateProcess: an empty command line without an application name names no program");
    memset(&info, 0x0a, sizeof info);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(NULL, empty, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    /* Windows 7 and later: ERROR_INVALID_PARAMETER; earlier: ERROR_FILE_NOT_FOUND */
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER || GetLastError() == ERROR_FILE_NOT_FOUND);

    TEST("CreateProcess: a missing program, named either way, with or without a blank in its name");
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(missing, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(spaced, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(NULL, spaced, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    /* The startup information is not changed by a failure. */
    CHECK(startup.cb == sizeof startup && startup.dwFlags == 0 && startup.lpTitle == NULL);

    TEST("CreateProcess: a missing directory on the way: ERROR_PATH_NOT_FOUND where the name is a path");
    {
        char nested[96], absolute[MAX_PATH + 32], quoted[MAX_PATH + 40];
        snprintf(nested, sizeof nested, "ovl_no_dir_%lu\\x.exe", (unsigned long)GetCurrentProcessId());
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(nested, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        /* The command line's first token: a relative name not found is ERROR_FILE_NOT_FOUND,
         * a full path says what is missing. */
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, nested, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        CHECK(GetFullPathNameA(nested, sizeof absolute, absolute, NULL) > 0);
        snprintf(quoted, sizeof quoted, "\"%s\" x", absolute);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, quoted, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        WINE_DEVIATION("Wine says ERROR_FILE_NOT_FOUND for any first token not found")
        {
            CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        }
    }

    TEST("CreateProcess: a directory is no program");
    snprintf(directory, sizeof directory, "proc_edges_dir_%lu", (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(directory, NULL));
    WINE_DEVIATION("Wine fails with ERROR_INVALID_HANDLE")
    {
        char full[MAX_PATH], quoted[MAX_PATH + 8];
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(directory, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(info.hProcess == NULL);
        /* The command line's first token naming a directory by its full path. */
        CHECK(GetFullPathNameA(directory, sizeof full, full, NULL) > 0);
        snprintf(quoted, sizeof quoted, "\"%s\" x", full);
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, quoted, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }

    TEST("CreateProcess: lpCurrentDirectory naming a file, a path that does not exist, or empty");
    snprintf(line, sizeof line, "\"%s\" child exit 0", self_path);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, self_path, &startup, &info));
    CHECK_ERROR(ERROR_DIRECTORY);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, "non\\existent\\directory", &startup, &info));
    CHECK_ERROR(ERROR_DIRECTORY);
    SetLastError(0xdeadbeef);
    CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, "", &startup, &info));
    CHECK_ERROR(ERROR_DIRECTORY);
    SetLastError(0xdeadbeef);
    CHECK(!TerminateProcess(info.hProcess, 0)); /* nothing was started */
    RemoveDirectoryA(directory);
}

static void argv_and_directory(void)
{
    char output[4096], expected[MAX_PATH + 64], saved[MAX_PATH], here[MAX_PATH], line[MAX_PATH + 64];
    char directory[64], full[MAX_PATH];
    char wanted[MAX_PATH + 8];
    const char *base = tl_base_name(self_path);

    TEST("argv: four quotes give one quote; argv[0] is the name as written, slashes and all");
    CHECK(GetCurrentDirectoryA(sizeof saved, saved) > 0);
    snprintf(here, sizeof here, "%.*s", (int)(base - self_path), self_path);
    CHECK(SetCurrentDirectoryA(here));
    snprintf(line, sizeof line, "./%s child argv \"\"\"\" x", base);
    CHECK_EQ(run_output(NULL, line, FALSE, 0, NULL, NULL, output, sizeof output), 0);
    snprintf(expected, sizeof expected, "./%s\n[\"]\n[x]\n", base);
    CHECK(strcmp(output, expected) == 0);
    if (strcmp(output, expected) != 0) printf("got <%s> expected <%s>\n", output, expected);
    snprintf(line, sizeof line, ".\\%s child argv", base);
    CHECK_EQ(run_output(NULL, line, FALSE, 0, NULL, NULL, output, sizeof output), 0);
    snprintf(expected, sizeof expected, ".\\%s\n", base);
    CHECK(strcmp(output, expected) == 0);
    if (strcmp(output, expected) != 0) printf("got <%s> expected <%s>\n", output, expected);
    /* With lpApplicationName, argv[0] is the command line's first token, whatever it is. */
    CHECK_EQ(run_output(self_path, "dummy child argv \"a\\\"b\\\\\" c\\\" d", FALSE, 0, NULL, NULL, output,
                        sizeof output), 0);
    CHECK(strcmp(output, "dummy\n[a\"b\\]\n[c\"]\n[d]\n") == 0);
    if (strcmp(output, "dummy\n[a\"b\\]\n[c\"]\n[d]\n") != 0) printf("got <%s>\n", output);
    CHECK(SetCurrentDirectoryA(saved));

    TEST("lpCurrentDirectory, relative or not: the child's GetCurrentDirectory is its full path");
    snprintf(directory, sizeof directory, "proc_edges_cwd_%lu", (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(directory, NULL));
    CHECK(GetFullPathNameA(directory, sizeof full, full, NULL) > 0);
    CHECK_EQ(run_output(NULL, "cwd", TRUE, 0, NULL, directory, output, sizeof output), 0);
    snprintf(wanted, sizeof wanted, "%s\n", full);
    CHECK(_stricmp(output, wanted) == 0);
    if (_stricmp(output, wanted) != 0) printf("got <%s> expected <%s>\n", output, wanted);
    CHECK_EQ(run_output(NULL, "cwd", TRUE, 0, NULL, full, output, sizeof output), 0);
    CHECK(_stricmp(output, wanted) == 0);
    RemoveDirectoryA(directory);
}

static void exit_codes(void)
{
    PROCESS_INFORMATION info;
    DWORD code = 0;
    static const DWORD codes[] = {STILL_ACTIVE, 256, 0xC0000005, 0xFFFFFFFF};

    TEST("TerminateProcess: the code in full, STILL_ACTIVE itself too; the wait ends all the same");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &info));
        CHECK(TerminateProcess(info.hProcess, codes[i]));
        CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
        CHECK_EQ(WaitForSingleObject(info.hThread, 10000), WAIT_OBJECT_0);
        code = 0;
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code, codes[i]);
        code = 0;
        CHECK(GetExitCodeThread(info.hThread, &code));
        CHECK_EQ(code, codes[i]);
        tl_close_child(&info);
    }

    TEST("the rights: TerminateProcess needs PROCESS_TERMINATE, GetExitCodeProcess a query right");
    CHECK(start_child("sleep", FALSE, 0, NULL, NULL, NULL, &info));
    {
        HANDLE bare = OpenProcess(SYNCHRONIZE, FALSE, info.dwProcessId);
        HANDLE limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, info.dwProcessId);
        CHECK(bare != NULL && limited != NULL);
        SetLastError(0xdeadbeef);
        CHECK(!TerminateProcess(bare, 3));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!GetExitCodeProcess(bare, &code));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(GetExitCodeProcess(limited, &code));
        CHECK_EQ(code, STILL_ACTIVE);
        SetLastError(0xdeadbeef);
        CHECK(!TerminateProcess(limited, 3));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK_EQ(WaitForSingleObject(bare, 0), WAIT_TIMEOUT);
        CHECK(TerminateProcess(info.hProcess, 4));
        CHECK_EQ(WaitForSingleObject(bare, 10000), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(limited, &code));
        CHECK_EQ(code, 4);
        CloseHandle(bare);
        CloseHandle(limited);
    }

    TEST("GetProcessTimes of a child that has ended: it began after this process, and ended after it began");
    {
        FILETIME created, exited, kernel, user, own_created, unused[3];
        ULARGE_INTEGER begin, end, own;
        CHECK(GetProcessTimes(info.hProcess, &created, &exited, &kernel, &user));
        CHECK(GetProcessTimes(GetCurrentProcess(), &own_created, &unused[0], &unused[1], &unused[2]));
        begin.LowPart = created.dwLowDateTime;
        begin.HighPart = created.dwHighDateTime;
        end.LowPart = exited.dwLowDateTime;
        end.HighPart = exited.dwHighDateTime;
        own.LowPart = own_created.dwLowDateTime;
        own.HighPart = own_created.dwHighDateTime;
        CHECK(begin.QuadPart != 0 && end.QuadPart != 0);
        CHECK(begin.QuadPart >= own.QuadPart);
        CHECK(end.QuadPart >= begin.QuadPart);
    }

    TEST("OpenProcess of a child that has ended: found while a handle is open, then no such process");
    {
        DWORD pid = info.dwProcessId;
        HANDLE again = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pid);
        CHECK(again != NULL);
        CHECK_EQ(WaitForSingleObject(again, 0), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(again, &code));
        CHECK_EQ(code, 4);
        CloseHandle(again);
        tl_close_child(&info);
        HANDLE gone = NULL;
        for (int i = 0; i < 20; ++i) { /* Windows may take a moment to let the object go */
            SetLastError(0xdeadbeef);
            gone = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
            if (gone == NULL) break;
            CloseHandle(gone);
            Sleep(100);
        }
        CHECK(gone == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
}

static void not_processes(void)
{
    DWORD code = 0;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);

    TEST("handles that are no process: NULL, an event, a value never handed out");
    SetLastError(0xdeadbeef);
    CHECK(!TerminateProcess(NULL, 0));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeProcess(NULL, &code));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetProcessId(NULL), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetProcessId(event), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeProcess(event, &code));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!TerminateProcess(event, 0));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!TerminateProcess((HANDLE)(ULONG_PTR)0x7ff0, 0));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);

    TEST("the current process's pseudo handle: sign-extended it names this process, truncated it does not");
    CHECK(GetCurrentProcess() == (HANDLE)~(ULONG_PTR)0);
    CHECK(GetExitCodeProcess(GetCurrentProcess(), &code));
    CHECK_EQ(code, STILL_ACTIVE);
#ifdef _WIN64
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeProcess((HANDLE)(ULONG_PTR)0xFFFFFFFFu, &code));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeProcess((HANDLE)(((ULONG_PTR)1 << 32) | 0xFFFFFFFFu), &code));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
#endif

    TEST("CloseHandle((HANDLE)STD_ERROR_HANDLE) closes the standard error handle, which is NULL then");
    {
        HANDLE original = GetStdHandle(STD_ERROR_HANDLE), copy = NULL;
        DWORD flags = 0;
        CHECK(original != NULL && original != INVALID_HANDLE_VALUE);
        CHECK(DuplicateHandle(GetCurrentProcess(), original, GetCurrentProcess(), &copy, 0, TRUE,
                              DUPLICATE_SAME_ACCESS));
        CHECK(SetStdHandle(STD_ERROR_HANDLE, copy));
        CHECK(CloseHandle((HANDLE)(LONG_PTR)STD_ERROR_HANDLE));
        CHECK(GetStdHandle(STD_ERROR_HANDLE) == NULL);
        SetLastError(0xdeadbeef);
        CHECK(!GetHandleInformation(copy, &flags)); /* the handle it was is closed */
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK(GetHandleInformation(original, &flags));
        CHECK(SetStdHandle(STD_ERROR_HANDLE, original));
        CHECK(GetStdHandle(STD_ERROR_HANDLE) == original);
    }

    TEST("DuplicateHandle of the pseudo handle: a real handle, inheritable as asked");
    {
        HANDLE copy = NULL;
        DWORD flags = 12345;
        CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &copy, 0, FALSE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
        CHECK(copy != NULL && copy != GetCurrentProcess());
        CHECK(GetHandleInformation(copy, &flags));
        CHECK_EQ(flags, 0);
        CHECK_EQ(GetProcessId(copy), GetCurrentProcessId());
        CloseHandle(copy);
        CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &copy, 0, TRUE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
        CHECK(GetHandleInformation(copy, &flags));
        CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
        CloseHandle(copy);
        CHECK(GetExitCodeProcess(GetCurrentProcess(), &code)); /* the pseudo handle was not closed */
    }
}

static void environment_blocks(void)
{
    char output[8192];

    TEST("an environment block with a drive's directory entry (\"=C:=C:\\FOO\"): the child has it");
    {
        static char block[] = "=C:=C:\\FOO\\BAR\0PATH=C:\\WINDOWS;C:\\MY\\DIR\0FOO=BAR\0BAR=FOOBAR\0";
        CHECK_EQ(run_output(NULL, "envdump", TRUE, 0, block, NULL, output, sizeof output), 0);
        CHECK(strstr(output, "=C:=C:\\FOO\\BAR\n") != NULL);
        CHECK(strstr(output, "\nFOO=BAR\n") != NULL);
        CHECK(strstr(output, "\nBAR=FOOBAR\n") != NULL);
        CHECK(strstr(output, "PATH=C:\\WINDOWS;C:\\MY\\DIR\n") != NULL);
    }

    TEST("an empty environment block: the child has no variables of ours");
    {
        static char block[] = "\0";
        CHECK_EQ(run_output(NULL, "envdump", TRUE, 0, block, NULL, output, sizeof output), 0);
        CHECK(strstr(output, "OVL_EDGE") == NULL);
        CHECK(strstr(output, "FOO=BAR") == NULL);
    }

    TEST("CREATE_UNICODE_ENVIRONMENT with CreateProcessA");
    {
        static WCHAR block[] = L"OVL_EDGE_WIDE=wide one\0";
        CHECK_EQ(run_output(NULL, "envdump", TRUE, CREATE_UNICODE_ENVIRONMENT, block, NULL, output, sizeof output),
                 0);
        CHECK(strstr(output, "OVL_EDGE_WIDE=wide one\n") != NULL);
    }
}

static void environment_functions(void)
{
    char buffer[64];
    WCHAR wide[64];

    TEST("GetEnvironmentVariable: a buffer too small is not touched; one just large enough is filled");
    CHECK(SetEnvironmentVariableA("OVL_EDGE_NAME", "SomeWildValue"));
    strcpy(buffer, "foo");
    CHECK_EQ(GetEnvironmentVariableA("OVL_EDGE_NAME", buffer, 13), 14);
    CHECK(strcmp(buffer, "foo") == 0);
    CHECK_EQ(GetEnvironmentVariableA("ovl_edge_NAME", buffer, 14), 13);
    CHECK(strcmp(buffer, "SomeWildValue") == 0);
    wide[0] = 'f';
    wide[1] = 0;
    CHECK_EQ(GetEnvironmentVariableW(L"OVL_EDGE_NAME", wide, 13), 14);
    CHECK(wide[0] == 'f' && wide[1] == 0);
    CHECK_EQ(GetEnvironmentVariableW(L"OVL_EDGE_NAME", wide, 14), 13);
    CHECK(wide[0] == 'S' && wide[12] == 'e' && wide[13] == 0);
    CHECK(SetEnvironmentVariableA("OVL_EDGE_NAME", NULL));
    strcpy(buffer, "foo");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA("OVL_EDGE_NAME", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);
    CHECK(strcmp(buffer, "foo") == 0);

    TEST("GetEnvironmentVariable: an empty name, or none, is not found");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA("", buffer, sizeof buffer), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableW(L"", wide, 64), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!SetEnvironmentVariableW(L"", L"x"));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!SetEnvironmentVariableW(L"OVL_EDGE=W", L"x"));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableW(NULL, NULL, 0), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetEnvironmentVariableA(NULL, buffer, sizeof buffer), 0);
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER || GetLastError() == ERROR_ENVVAR_NOT_FOUND);

    TEST("ExpandEnvironmentStringsA of NULL: an empty string");
    strcpy(buffer, "foo");
    CHECK_EQ(ExpandEnvironmentStringsA(NULL, buffer, sizeof buffer), 1);
    CHECK(buffer[0] == 0);
    CHECK_EQ(ExpandEnvironmentStringsA("%OVL_EDGE_UNSET%", buffer, sizeof buffer), 17);
    CHECK(strcmp(buffer, "%OVL_EDGE_UNSET%") == 0);
}

/* A thread that starts "child class 20" (it must be in the normal class). */
static DWORD WINAPI start_from_lowered_thread(void *parameter)
{
    char arguments[32];
    snprintf(arguments, sizeof arguments, "class %lx", (unsigned long)NORMAL_PRIORITY_CLASS);
    return start_child(arguments, FALSE, 0, NULL, NULL, NULL, parameter) ? 1 : 0;
}

static void handles_and_queries(void)
{
    PROCESS_INFORMATION info;
    STARTUPINFOA startup;
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    char line[MAX_PATH + 32], name[MAX_PATH];
    DWORD flags = 0, size;

    TEST("lpProcessAttributes and lpThreadAttributes: the handles CreateProcess returns inherit as asked");
    snprintf(line, sizeof line, "\"%s\" child sleep", self_path);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    CHECK(CreateProcessA(NULL, line, &inheritable, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    CHECK(GetHandleInformation(info.hProcess, &flags));
    WINE_DEVIATION("Wine's process handle is not inheritable")
    {
        CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
    }
    CHECK(GetHandleInformation(info.hThread, &flags));
    CHECK_EQ(flags, 0);

    TEST("OpenProcess with bInheritHandle TRUE: an inheritable handle");
    {
        HANDLE opened = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, TRUE, info.dwProcessId);
        CHECK(opened != NULL);
        CHECK(GetHandleInformation(opened, &flags));
        CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
        TEST("WaitForSingleObject needs SYNCHRONIZE");
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        TEST("QueryFullProcessImageName of a child: its program; a handle without a query right is refused");
        {
            HANDLE bare = OpenProcess(SYNCHRONIZE, FALSE, info.dwProcessId);
            CHECK(bare != NULL);
            size = sizeof name;
            SetLastError(0xdeadbeef);
            CHECK(!QueryFullProcessImageNameA(bare, 0, name, &size));
            CHECK_ERROR(ERROR_ACCESS_DENIED);
            CloseHandle(bare);
        }
        size = sizeof name;
        CHECK(QueryFullProcessImageNameA(opened, 0, name, &size));
        CHECK_EQ(size, strlen(name));
        CHECK(_stricmp(name, self_path) == 0);
        if (_stricmp(name, self_path) != 0) printf("got <%s> expected <%s>\n", name, self_path);
        size = 4; /* too small: the size and the buffer are left as they were */
        strcpy(name, "untouched");
        SetLastError(0xdeadbeef);
        CHECK(!QueryFullProcessImageNameA(opened, 0, name, &size));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        CHECK_EQ(size, 4);
        CHECK(strcmp(name, "untouched") == 0);
        CloseHandle(opened);
    }

    CHECK(TerminateProcess(info.hProcess, 0));
    CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
    TEST("QueryFullProcessImageName of a child that has ended: still its program");
    size = sizeof name;
    CHECK(QueryFullProcessImageNameA(info.hProcess, 0, name, &size));
    CHECK(_stricmp(name, self_path) == 0);
    tl_close_child(&info);

    TEST("a priority class among the creation flags is the child's class");
    WINE_DEVIATION("Wine starts the child in the normal class")
    {
        static const DWORD classes[] = {BELOW_NORMAL_PRIORITY_CLASS, IDLE_PRIORITY_CLASS};
        for (size_t i = 0; i < sizeof classes / sizeof classes[0]; ++i) {
            CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, classes[i], NULL, NULL, &startup, &info));
            CHECK_EQ(GetPriorityClass(info.hProcess), classes[i]);
            TerminateProcess(info.hProcess, 0);
            WaitForSingleObject(info.hProcess, 10000);
            tl_close_child(&info);
        }
        /* The child sees its class too. */
        char arguments[32];
        snprintf(arguments, sizeof arguments, "class %lx", (unsigned long)BELOW_NORMAL_PRIORITY_CLASS);
        CHECK(start_child(arguments, FALSE, BELOW_NORMAL_PRIORITY_CLASS, NULL, NULL, NULL, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        snprintf(arguments, sizeof arguments, "class %lx", (unsigned long)NORMAL_PRIORITY_CLASS);
        CHECK(start_child(arguments, FALSE, 0, NULL, NULL, NULL, &info));
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        /* No flag, from a thread whose priority is lowered: the child is in the normal class. */
        {
            HANDLE thread = CreateThread(NULL, 0, start_from_lowered_thread, &info, CREATE_SUSPENDED, NULL);
            CHECK(thread != NULL);
            CHECK(SetThreadPriority(thread, THREAD_PRIORITY_LOWEST));
            ResumeThread(thread);
            CHECK_EQ(WaitForSingleObject(thread, 20000), WAIT_OBJECT_0);
            DWORD started = 0;
            CHECK(GetExitCodeThread(thread, &started));
            CloseHandle(thread);
            CHECK(started == 1);
            if (started == 1) {
                CHECK_EQ(GetPriorityClass(info.hProcess), NORMAL_PRIORITY_CLASS);
                CHECK_EQ(tl_wait_exit(&info), 0);
                tl_close_child(&info);
            }
        }
        /* Created suspended: the class is the child's before it runs. */
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, CREATE_SUSPENDED | BELOW_NORMAL_PRIORITY_CLASS, NULL, NULL,
                             &startup, &info));
        CHECK_EQ(GetPriorityClass(info.hProcess), BELOW_NORMAL_PRIORITY_CLASS);
        CHECK_EQ(ResumeThread(info.hThread), 1);
        CHECK_EQ(GetPriorityClass(info.hProcess), BELOW_NORMAL_PRIORITY_CLASS);
        TerminateProcess(info.hProcess, 0);
        WaitForSingleObject(info.hProcess, 10000);
        tl_close_child(&info);
    }
}

static void more_edges(void)
{
    PROCESS_INFORMATION info;
    char output[8192];

    TEST("lpDesktop NULL: the child's desktop is its parent's");
    {
        STARTUPINFOA startup;
        char desktop[] = "winsta0\\default";
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        startup.lpDesktop = desktop;
        CHECK(start_child("desktop-spawn", FALSE, 0, NULL, NULL, &startup, &info));
        DWORD code = tl_wait_exit(&info);
        WINE_DEVIATION("Wine gives the grandchild an empty lpDesktop")
        {
            CHECK_EQ(code, 0);
        }
        tl_close_child(&info);
    }

    TEST("GetProcessIdOfThread of the primary thread; OpenThread of an ended child's thread: no such thread");
    CHECK(start_child("exit 3", FALSE, 0, NULL, NULL, NULL, &info));
    CHECK_EQ(GetProcessIdOfThread(info.hThread), info.dwProcessId);
    CHECK_EQ(tl_wait_exit(&info), 3);
    {
        DWORD thread_id = info.dwThreadId;
        tl_close_child(&info);
        HANDLE gone = NULL;
        for (int i = 0; i < 20; ++i) {
            SetLastError(0xdeadbeef);
            gone = OpenThread(THREAD_QUERY_INFORMATION, FALSE, thread_id);
            if (gone == NULL) break;
            CloseHandle(gone);
            Sleep(100);
        }
        CHECK(gone == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("CreateProcessW with an ANSI environment block (no CREATE_UNICODE_ENVIRONMENT)");
    {
        static char block[] = "OVL_EDGE_ANSI=narrow one\0";
        WCHAR line[MAX_PATH + 32];
        char narrow[MAX_PATH + 32];
        STARTUPINFOW startup;
        SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
        HANDLE out = CreateFileA(out_name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 &inheritable, CREATE_ALWAYS, 0, NULL);
        snprintf(narrow, sizeof narrow, "\"%s\" child envdump", self_path);
        for (size_t i = 0; i <= strlen(narrow); ++i) line[i] = (WCHAR)(unsigned char)narrow[i];
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = out;
        startup.hStdError = out;
        CHECK(CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, block, NULL, &startup, &info));
        CloseHandle(out);
        CHECK_EQ(tl_wait_exit(&info), 0);
        tl_close_child(&info);
        tl_read_file(out_name, output, sizeof output);
        CHECK(strstr(output, "OVL_EDGE_ANSI=narrow one\n") != NULL);
    }

    TEST("ExpandEnvironmentStrings: lone and doubled percent signs stay as they are");
    {
        char buffer[64];
        CHECK(SetEnvironmentVariableA("OVL_EDGE_P", "v"));
        CHECK_EQ(ExpandEnvironmentStringsA("100%% sure", buffer, sizeof buffer), 11);
        CHECK(strcmp(buffer, "100%% sure") == 0);
        CHECK_EQ(ExpandEnvironmentStringsA("a%b", buffer, sizeof buffer), 4);
        CHECK(strcmp(buffer, "a%b") == 0);
        CHECK_EQ(ExpandEnvironmentStringsA("%OVL_EDGE_P%%", buffer, sizeof buffer), 3);
        CHECK(strcmp(buffer, "v%") == 0);
        CHECK(SetEnvironmentVariableA("OVL_EDGE_P", NULL));
    }
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    snprintf(out_name, sizeof out_name, "proc_edges_out_%lu.txt", (unsigned long)GetCurrentProcessId());

    refused_programs();
    argv_and_directory();
    exit_codes();
    not_processes();
    environment_blocks();
    environment_functions();
    handles_and_queries();
    more_edges();

    DeleteFileA(out_name);
    return tl_finish();
}
