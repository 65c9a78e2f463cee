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

#endif
