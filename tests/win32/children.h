/* children.h: the Win32 tests that run across processes start copies of themselves as
 * "<program> child <role>" with CreateProcessA and collect them. Include after testlib.h. */
#ifndef OVERLAPPED_TEST_CHILDREN_H
#define OVERLAPPED_TEST_CHILDREN_H

/* Starts `self` (this program's path) as "child <arguments>" with bInheritHandles TRUE
 * and a new pipe as its standard input (`as_input`) or output; this process's end goes to
 * *ours (not inheritable). */
static inline BOOL tl_start_child_piped(const char *self, const char *arguments, PROCESS_INFORMATION *process,
                                        HANDLE *ours, BOOL as_input)
{
    char line[2048];
    STARTUPINFOA startup;
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE read_end, write_end, theirs;
    BOOL started;
    if (!CreatePipe(&read_end, &write_end, &inherit, 0)) return FALSE;
    *ours = as_input ? write_end : read_end;
    theirs = as_input ? read_end : write_end;
    SetHandleInformation(*ours, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = as_input ? theirs : GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = as_input ? GetStdHandle(STD_OUTPUT_HANDLE) : theirs;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(line, sizeof line, "\"%s\" child %s", self, arguments);
    memset(process, 0, sizeof *process);
    started = CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, process);
    CloseHandle(theirs);
    if (!started) CloseHandle(*ours);
    return started;
}

/* The child's standard input is a pipe whose write end goes to *input. */
static inline BOOL tl_start_child_with_input(const char *self, const char *role, PROCESS_INFORMATION *process,
                                             HANDLE *input)
{
    return tl_start_child_piped(self, role, process, input, TRUE);
}

/* The child's standard output is a pipe whose read end goes to *output. */
static inline BOOL tl_start_child_with_output(const char *self, const char *arguments, PROCESS_INFORMATION *process,
                                              HANDLE *output)
{
    return tl_start_child_piped(self, arguments, process, output, FALSE);
}

/* Waits (at most `wait_ms`) for the child to end, closes its handles, returns its exit
 * code (12345 if it could not be read). A child still running then is a failure, and is
 * ended so that it outlives neither the test nor its output pipe. */
static inline DWORD tl_finish_child(PROCESS_INFORMATION *process, DWORD wait_ms)
{
    DWORD code = 12345, waited = WaitForSingleObject(process->hProcess, wait_ms);
    CHECK_EQ(waited, WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(process->hProcess, &code));
    if (waited != WAIT_OBJECT_0) {
        TerminateProcess(process->hProcess, 1);
        WaitForSingleObject(process->hProcess, wait_ms);
    }
    CloseHandle(process->hProcess);
    CloseHandle(process->hThread);
    return code;
}

/* Starts `self` (this program's path) as "child <arguments>" with the process creation
 * arguments given; a NULL `startup` is a plain one. */
static inline BOOL tl_start_child(const char *self, const char *arguments, BOOL inherit, DWORD flags,
                                  void *environment, const char *directory, STARTUPINFOA *startup,
                                  PROCESS_INFORMATION *info)
{
    char line[4096];
    STARTUPINFOA plain;
    snprintf(line, sizeof line, "\"%s\" child %s", self, arguments);
    if (startup == NULL) {
        memset(&plain, 0, sizeof plain);
        plain.cb = sizeof plain;
        startup = &plain;
    }
    memset(info, 0, sizeof *info);
    return CreateProcessA(NULL, line, NULL, NULL, inherit, flags, environment, directory, startup, info);
}

/* Waits (bounded) and returns the exit code, or 0xFFFFFFFF if the child did not end (it
 * is ended then). The handles stay open: tl_close_child. */
static inline DWORD tl_wait_exit(PROCESS_INFORMATION *info)
{
    DWORD code = 0xFFFFFFFF;
    if (WaitForSingleObject(info->hProcess, 20000) != WAIT_OBJECT_0) {
        TerminateProcess(info->hProcess, 1);
        WaitForSingleObject(info->hProcess, 5000);
        return 0xFFFFFFFF;
    }
    GetExitCodeProcess(info->hProcess, &code);
    return code;
}

static inline void tl_close_child(PROCESS_INFORMATION *info)
{
    CloseHandle(info->hThread);
    CloseHandle(info->hProcess);
}

/* The whole file `name` (what a child wrote) into `buffer` (terminated); returns its
 * length. */
static inline DWORD tl_read_file(const char *name, char *buffer, DWORD size)
{
    HANDLE file = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    buffer[0] = '\0';
    if (file == INVALID_HANDLE_VALUE) return 0;
    ReadFile(file, buffer, size - 1, &got, NULL);
    buffer[got] = '\0';
    CloseHandle(file);
    return got;
}

/* A path's file name, without its directory. */
static inline const char *tl_base_name(const char *path)
{
    const char *base = path;
    for (const char *c = path; *c; ++c)
        if (*c == '\\' || *c == '/') base = c + 1;
    return base;
}

#endif
