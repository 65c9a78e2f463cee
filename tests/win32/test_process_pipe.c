/* test_process_pipe.c: children whose standard handles are pipe ends: output read
 * through an anonymous pipe until ERROR_BROKEN_PIPE (which comes only if no copy of the
 * write end leaked into the child), input written through one, an inherited pipe end at
 * the same value (its GetNamedPipeInfo and PIPE_NOWAIT as the parent's), and the classic
 * "read a child's output through an overlapped named pipe on a completion port". The
 * program starts copies of itself (see test_process.c). */
#include "testlib.h"

static char self_path[MAX_PATH];

/* ---- The child's roles ------------------------------------------------------------- */

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    DWORD done = 0;
    if (strcmp(role, "hello") == 0) {
        const char *text = "hello through the pipe\n";
        return WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &done, NULL) ? 0 : 10;
    }
    if (strcmp(role, "upper") == 0) {
        /* Standard input to standard output, upper-cased, until the end of the input. */
        char buffer[256];
        for (;;) {
            if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), buffer, sizeof buffer, &done, NULL))
                return GetLastError() == ERROR_BROKEN_PIPE ? 0 : 20;
            if (done == 0) return 0;
            for (DWORD i = 0; i < done; ++i)
                if (buffer[i] >= 'a' && buffer[i] <= 'z') buffer[i] = (char)(buffer[i] - 'a' + 'A');
            DWORD written = 0;
            if (!WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), buffer, done, &written, NULL)) return 21;
        }
    }
    if (strcmp(role, "handle") == 0 && argc >= 4) {
        HANDLE handle = (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16);
        /* The write end: a pipe's client end, with the size CreatePipe was given. */
        DWORD flags = 0xdeadbeef, out_size = 0, in_size = 0;
        if (!GetNamedPipeInfo(handle, &flags, &out_size, &in_size, NULL)) return 31;
        if (flags != PIPE_CLIENT_END || out_size != 5000 || in_size != 5000) return 32;
        /* The end's mode came along: the parent made it PIPE_NOWAIT. */
        DWORD state = 0;
        if (!GetNamedPipeHandleStateA(handle, &state, NULL, NULL, NULL, NULL, 0) || state != PIPE_NOWAIT) return 33;
        return WriteFile(handle, "via an inherited end", 20, &done, NULL) && done == 20 ? 0 : 30;
    }
    if (strcmp(role, "lines") == 0) {
        /* Several writes, with pauses, for the overlapped reader. */
        for (int i = 0; i < 5; ++i) {
            char line[32];
            snprintf(line, sizeof line, "line %d\n", i);
            if (!WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)strlen(line), &done, NULL))
                return (int)(1000 + GetLastError());
            Sleep(20);
        }
        return 0;
    }
    return 99;
}

/* ---- The parent's helpers ---------------------------------------------------------- */

static BOOL start_child(const char *arguments, STARTUPINFOA *startup, PROCESS_INFORMATION *info)
{
    char line[2048];
    snprintf(line, sizeof line, "\"%s\" child %s", self_path, arguments);
    memset(info, 0, sizeof *info);
    return CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, startup, info);
}

static DWORD finish_child(PROCESS_INFORMATION *info)
{
    DWORD code = 0xFFFFFFFF;
    if (WaitForSingleObject(info->hProcess, 20000) == WAIT_OBJECT_0) GetExitCodeProcess(info->hProcess, &code);
    else TerminateProcess(info->hProcess, 1);
    CloseHandle(info->hThread);
    CloseHandle(info->hProcess);
    return code;
}

/* Reads the pipe until its write ends are all closed (ERROR_BROKEN_PIPE), polling with
 * PeekNamedPipe so the wait is bounded. Returns the last error that ended it. */
static DWORD read_to_end(HANDLE pipe, char *buffer, DWORD size)
{
    DWORD total = 0, start = GetTickCount();
    buffer[0] = '\0';
    while (GetTickCount() - start < 15000) {
        DWORD available = 0, got = 0;
        if (!PeekNamedPipe(pipe, NULL, 0, NULL, &available, NULL)) return GetLastError();
        if (available == 0) {
            Sleep(5);
            continue;
        }
        if (!ReadFile(pipe, buffer + total, size - 1 - total, &got, NULL)) return GetLastError();
        total += got;
        buffer[total] = '\0';
    }
    return WAIT_TIMEOUT;
}

static void standard_handles(void)
{
    char output[512];
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE read_end, write_end;
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;

    TEST("a child's standard output through an anonymous pipe, to ERROR_BROKEN_PIPE");
    CHECK(CreatePipe(&read_end, &write_end, &inheritable, 0));
    CHECK(SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0)); /* our end stays here */
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = NULL;
    startup.hStdOutput = write_end;
    startup.hStdError = write_end;
    CHECK(start_child("hello", &startup, &info));
    CloseHandle(write_end);
    CHECK_EQ(read_to_end(read_end, output, sizeof output), ERROR_BROKEN_PIPE);
    CHECK(strcmp(output, "hello through the pipe\n") == 0);
    CHECK_EQ(finish_child(&info), 0);
    CloseHandle(read_end);

    TEST("standard input and output both through pipes");
    HANDLE in_read, in_write;
    CHECK(CreatePipe(&in_read, &in_write, &inheritable, 0));
    CHECK(SetHandleInformation(in_write, HANDLE_FLAG_INHERIT, 0));
    CHECK(CreatePipe(&read_end, &write_end, &inheritable, 0));
    CHECK(SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));
    startup.hStdInput = in_read;
    startup.hStdOutput = write_end;
    startup.hStdError = write_end;
    CHECK(start_child("upper", &startup, &info));
    CloseHandle(in_read);
    CloseHandle(write_end);
    DWORD written = 0;
    CHECK(WriteFile(in_write, "abc def", 7, &written, NULL));
    CHECK_EQ(written, 7);
    CloseHandle(in_write); /* the child's input ends */
    CHECK_EQ(read_to_end(read_end, output, sizeof output), ERROR_BROKEN_PIPE);
    CHECK(strcmp(output, "ABC DEF") == 0);
    CHECK_EQ(finish_child(&info), 0);
    CloseHandle(read_end);
}

static void inherited_end(void)
{
    char output[256], arguments[64];
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE read_end, write_end;
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    TEST("a pipe's write end inherited at the same value, not as a standard handle");
    CHECK(CreatePipe(&read_end, &write_end, &inheritable, 5000));
    CHECK(SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));
    DWORD nowait = PIPE_NOWAIT;  /* a mode of the end (its file object), which the child shares */
    CHECK(SetNamedPipeHandleState(write_end, &nowait, NULL, NULL));
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(arguments, sizeof arguments, "handle %llx", (unsigned long long)(ULONG_PTR)write_end);
    CHECK(start_child(arguments, &startup, &info));
    CloseHandle(write_end);
    CHECK_EQ(read_to_end(read_end, output, sizeof output), ERROR_BROKEN_PIPE);
    CHECK(strcmp(output, "via an inherited end") == 0);
    CHECK_EQ(finish_child(&info), 0);
    CloseHandle(read_end);
}

static void named_pipe_on_port(void)
{
    char name[96], output[512];
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    TEST("a child's output through an overlapped named pipe on a completion port");
    snprintf(name, sizeof name, "\\\\.\\pipe\\ovl_proc_test_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    if (server == INVALID_HANDLE_VALUE) return;
    HANDLE port = CreateIoCompletionPort(server, NULL, 7, 0);
    CHECK(port != NULL);
    HANDLE client = CreateFileA(name, GENERIC_WRITE, 0, &inheritable, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    {
        /* The client came first: ConnectNamedPipe says so at once. */
        OVERLAPPED connect;
        memset(&connect, 0, sizeof connect);
        connect.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        SetLastError(0xdeadbeef);
        CHECK(!ConnectNamedPipe(server, &connect));
        CHECK_ERROR(ERROR_PIPE_CONNECTED);
        CloseHandle(connect.hEvent);
    }
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = client;
    startup.hStdError = client;
    CHECK(start_child("lines", &startup, &info));
    CloseHandle(client);

    /* Overlapped reads, each completed through the port, until the pipe breaks. */
    DWORD total = 0, last_error = 0, start = GetTickCount();
    OVERLAPPED overlapped;
    output[0] = '\0';
    while (GetTickCount() - start < 15000) {
        memset(&overlapped, 0, sizeof overlapped);
        DWORD got = 0;
        if (!ReadFile(server, output + total, (DWORD)sizeof output - 1 - total, NULL, &overlapped) &&
            GetLastError() != ERROR_IO_PENDING) {
            last_error = GetLastError();
            break;
        }
        ULONG_PTR key = 0;
        OVERLAPPED *completed = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &got, &key, &completed, 10000);
        if (completed == NULL) {
            last_error = WAIT_TIMEOUT;
            break;
        }
        CHECK(completed == &overlapped);
        CHECK_EQ(key, 7);
        if (!ok) {
            last_error = GetLastError();
            break;
        }
        total += got;
        output[total] = '\0';
    }
    CHECK_EQ(last_error, ERROR_BROKEN_PIPE);
    CHECK(strcmp(output, "line 0\nline 1\nline 2\nline 3\nline 4\n") == 0);
    CHECK_EQ(finish_child(&info), 0);
    CloseHandle(server);
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    standard_handles();
    inherited_end();
    named_pipe_on_port();
    return tl_finish();
}
