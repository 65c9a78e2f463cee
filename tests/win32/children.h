/* children.h: the Win32 tests that run across processes start copies of themselves as
 * "<program> child <role>" with CreateProcessA and collect them. Include after testlib.h. */
#ifndef OVERLAPPED_TEST_CHILDREN_H
#define OVERLAPPED_TEST_CHILDREN_H

/* Starts `self` (this program's path) as "child <role>" with bInheritHandles TRUE and a
 * new pipe as its standard input, whose write end goes to *input (not inheritable). */
static inline BOOL tl_start_child_with_input(const char *self, const char *role, PROCESS_INFORMATION *process,
                                             HANDLE *input)
{
    char line[2048];
    STARTUPINFOA startup;
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE read_end;
    BOOL started;
    if (!CreatePipe(&read_end, input, &inherit, 0)) return FALSE;
    SetHandleInformation(*input, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = read_end;
    startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(line, sizeof line, "\"%s\" child %s", self, role);
    memset(process, 0, sizeof *process);
    started = CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, process);
    CloseHandle(read_end);
    if (!started) CloseHandle(*input);
    return started;
}

/* Starts `self` as "child <arguments>" with bInheritHandles TRUE and a new pipe as its
 * standard output, whose read end goes to *output (not inheritable). */
static inline BOOL tl_start_child_with_output(const char *self, const char *arguments, PROCESS_INFORMATION *process,
                                              HANDLE *output)
{
    char line[2048];
    STARTUPINFOA startup;
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE write_end;
    BOOL started;
    if (!CreatePipe(output, &write_end, &inherit, 0)) return FALSE;
    SetHandleInformation(*output, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = write_end;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(line, sizeof line, "\"%s\" child %s", self, arguments);
    memset(process, 0, sizeof *process);
    started = CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, process);
    CloseHandle(write_end);
    if (!started) CloseHandle(*output);
    return started;
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

#endif
