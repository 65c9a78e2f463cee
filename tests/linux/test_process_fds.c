/* test_process_fds.c: what a plain Linux program started by CreateProcess gets: its
 * standard handles as descriptors 0-2 and, with bInheritHandles, one descriptor per
 * inheritable handle from 3 on -- nothing else of ours (io_uring, eventfds, sockets,
 * a descriptor the program opened itself without O_CLOEXEC). Its exit status and the
 * signal that killed it become Windows exit codes. Linux-only: it runs /bin/sh. */
#include <winsock2.h>
#include "testlib.h"

#include <fcntl.h>
/* <unistd.h> clashes with Winsock names: declare the one call needed from it. */
extern int close(int descriptor);
extern int dup(int descriptor);
extern int dup2(int from, int to);

static char out_name[64];

static HANDLE create_output(BOOL inheritable)
{
    SECURITY_ATTRIBUTES attributes = {sizeof attributes, NULL, inheritable};
    return CreateFileA(out_name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       &attributes, CREATE_ALWAYS, 0, NULL);
}

static void read_output(char *buffer, DWORD size)
{
    HANDLE file = CreateFileA(out_name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    buffer[0] = '\0';
    if (file == INVALID_HANDLE_VALUE) return;
    ReadFile(file, buffer, size - 1, &got, NULL);
    buffer[got] = '\0';
    CloseHandle(file);
}

/* Runs `command` under /bin/sh with stdout (and stderr) to the output file; returns the
 * exit code. */
static DWORD run_shell(const char *command, BOOL inherit, HANDLE input)
{
    char line[512];
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    DWORD code = 0xFFFFFFFF;
    HANDLE out = create_output(TRUE);
    if (out == INVALID_HANDLE_VALUE) return code;
    snprintf(line, sizeof line, "/bin/sh -c \"%s\"", command);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = input;
    startup.hStdOutput = out;
    startup.hStdError = out;
    if (!CreateProcessA(NULL, line, NULL, NULL, inherit, 0, NULL, NULL, &startup, &info)) {
        printf("CreateProcessA failed: %lu\n", (unsigned long)GetLastError());
        CloseHandle(out);
        return code;
    }
    CloseHandle(out);
    if (WaitForSingleObject(info.hProcess, 10000) == WAIT_OBJECT_0) GetExitCodeProcess(info.hProcess, &code);
    else TerminateProcess(info.hProcess, 1);
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
    return code;
}

/* Whether `pid` is gone or at least not a zombie (reaped), within `milliseconds`. */
static int reaped_within(DWORD pid, DWORD milliseconds)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%lu/stat", (unsigned long)pid);
    for (DWORD start = GetTickCount();;) {
        FILE *stat_file = fopen(path, "r");
        if (stat_file == NULL) return 1;
        char text[512];
        size_t got = fread(text, 1, sizeof text - 1, stat_file);
        fclose(stat_file);
        text[got] = '\0';
        const char *paren = strrchr(text, ')');
        int zombie = paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
        if (!zombie || GetTickCount() - start >= milliseconds) return !zombie;
        Sleep(10);
    }
}

/* Starts `command` with no standard handles given; 0 if it could not. */
static DWORD start_plain(const char *command, PROCESS_INFORMATION *info)
{
    char line[256];
    STARTUPINFOA startup;
    snprintf(line, sizeof line, "%s", command);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    if (!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, info)) return 0;
    return info->dwProcessId;
}

int main(void)
{
    char output[1024];
    WSADATA wsa;
    snprintf(out_name, sizeof out_name, "proc_fds_out_%lu.txt", (unsigned long)GetCurrentProcessId());

    /* Descriptors of every kind the library makes, and one of the program's own. */
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    SOCKET socket_handle = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(socket_handle != INVALID_SOCKET);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE file = CreateFileA("proc_fds_scratch.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof overlapped);
    overlapped.hEvent = event;
    DWORD done = 0;
    BOOL wrote = WriteFile(file, "engine", 6, NULL, &overlapped);
    CHECK(wrote || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetOverlappedResult(file, &overlapped, &done, TRUE));
    int own = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: Linux alone would pass it on */
    CHECK(own >= 0);

    TEST("a plain child gets descriptors 0-2 and nothing else without bInheritHandles");
    CHECK_EQ(run_shell("ls /proc/$$/fd", FALSE, NULL), 0);
    read_output(output, sizeof output);
    if (strcmp(output, "0\n1\n2\n") != 0) printf("descriptors: %s\n", output);
    CHECK(strcmp(output, "0\n1\n2\n") == 0);

    TEST("with bInheritHandles, one descriptor more per inheritable handle (the socket's, the output file's)");
    CHECK_EQ(run_shell("ls /proc/$$/fd", TRUE, NULL), 0);
    read_output(output, sizeof output);
    if (strcmp(output, "0\n1\n2\n3\n4\n") != 0) printf("descriptors: %s\n", output);
    CHECK(strcmp(output, "0\n1\n2\n3\n4\n") == 0);

    TEST("a null standard input reads as empty (it is /dev/null)");
    CHECK_EQ(run_shell("cat; echo end", FALSE, NULL), 0);
    read_output(output, sizeof output);
    CHECK(strcmp(output, "end\n") == 0);

    TEST("the child's standard output and error share the file");
    CHECK_EQ(run_shell("echo out; echo err >&2", FALSE, NULL), 0);
    read_output(output, sizeof output);
    CHECK(strcmp(output, "out\nerr\n") == 0);

    TEST("a plain child's output through an anonymous pipe");
    {
        SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
        HANDLE read_end, write_end;
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        char line[] = "/bin/sh -c \"echo piped; ls /proc/$$/fd\"";
        CHECK(CreatePipe(&read_end, &write_end, &inheritable, 0));
        CHECK(SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = write_end;
        startup.hStdError = write_end;
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CloseHandle(write_end);
        DWORD total = 0, got = 0, start = GetTickCount();
        output[0] = '\0';
        while (GetTickCount() - start < 10000) {
            DWORD available = 0;
            if (!PeekNamedPipe(read_end, NULL, 0, NULL, &available, NULL)) break;
            if (available == 0) {
                Sleep(5);
                continue;
            }
            if (!ReadFile(read_end, output + total, sizeof output - 1 - total, &got, NULL)) break;
            total += got;
            output[total] = '\0';
        }
        CHECK_EQ(GetLastError(), ERROR_BROKEN_PIPE);
        CHECK(strcmp(output, "piped\n0\n1\n2\n") == 0);
        CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
        CloseHandle(read_end);
    }

    TEST("exit statuses and signals as exit codes");
    CHECK_EQ(run_shell("exit 3", FALSE, NULL), 3);
    CHECK_EQ(run_shell("kill -SEGV $$", FALSE, NULL), 0xC0000005);
    CHECK_EQ(run_shell("kill -INT $$", FALSE, NULL), 0xC000013A);
    CHECK_EQ(run_shell("kill -TERM $$", FALSE, NULL), 128 + 15);

    TEST("the start-up record is in a plain child's environment only when needed");
    {
        char line[] = "/bin/sh -c \"[ -z \\\"$OVERLAPPED_STARTUP\\\" ]\"";
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        DWORD code = 99;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code, 0); /* nothing to pass: no variable */
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
    }
    CHECK_EQ(run_shell("[ -n \\\"$OVERLAPPED_STARTUP\\\" ]", FALSE, NULL), 0); /* standard handles given */

    TEST("a program found on PATH, without a directory");
    {
        char line[] = "sh -c \"exit 4\"";
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        DWORD code = 0;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code, 4);
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
    }

    TEST("a file that is not a program");
    {
        char line[] = "/etc/hostname";
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        SetLastError(0xdeadbeef);
        CHECK(!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
        CHECK(GetLastError() == ERROR_ACCESS_DENIED || GetLastError() == ERROR_BAD_EXE_FORMAT);
    }

    TEST("without STARTF_USESTDHANDLES, a standard descriptor closed here is /dev/null in the child");
    {
        PROCESS_INFORMATION info;
        int saved = dup(0);
        CHECK(saved >= 0);
        close(0);
        DWORD pid = start_plain("/bin/sh -c \"test -c /proc/$$/fd/0 && exit 7; exit 8\"", &info);
        CHECK(pid != 0);
        if (pid != 0) {
            DWORD code = 0;
            CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
            CHECK(GetExitCodeProcess(info.hProcess, &code));
            CHECK_EQ(code, 7);
            CloseHandle(info.hThread);
            CloseHandle(info.hProcess);
        }
        /* Only now: the library's descriptors (the child's pidfd) may have taken 0. */
        dup2(saved, 0);
        close(saved);
    }

    TEST("a child nobody waited for is reaped once its handles are closed, exited before or after");
    {
        PROCESS_INFORMATION info;
        DWORD early = start_plain("/bin/true", &info);
        CHECK(early != 0);
        if (early != 0) {
            Sleep(300);  /* it has exited: a zombie until the handles go */
            CloseHandle(info.hThread);
            CloseHandle(info.hProcess);
            CHECK(reaped_within(early, 5000));
        }
        DWORD late = start_plain("/bin/sleep 0.3", &info);
        CHECK(late != 0);
        if (late != 0) {
            CloseHandle(info.hThread);
            CloseHandle(info.hProcess);  /* it still runs */
            Sleep(300);
            CHECK(reaped_within(late, 5000));
        }
    }

    close(own);
    CloseHandle(file);
    CloseHandle(event);
    CloseHandle(port);
    closesocket(socket_handle);
    WSACleanup();
    DeleteFileA(out_name);
    return tl_finish();
}
