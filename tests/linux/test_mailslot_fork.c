/* test_mailslot_fork.c: mailslots between two Linux processes, without CreateProcess
 * (tests/win32/test_mailslot_process.c does the same through it): this program
 * fork()s and exec()s itself as a client that writes to our mailslot, and as a server
 * that we SIGKILL, after which its name must be free at once and its clients fail. */
#include <windows.h>
#include "testlib.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[4096];

static void name_of(char *out, size_t size, const char *what, long pid)
{
    snprintf(out, size, "\\\\.\\mailslot\\overlapped_test\\fork_%s_%ld", what, pid);
}

static pid_t spawn(const char *role, const char *a, const char *b)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, "child", role, a, b, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = 0;
    for (int i = 0; i < 2000; i++) {  /* 20 s at most */
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static int child(const char *role, const char *a, const char *b)
{
    DWORD done = 0;
    if (strcmp(role, "write") == 0) {
        HANDLE writer = CreateFileA(a, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (writer == INVALID_HANDLE_VALUE) return 10;
        for (int i = 0; i < 50; i++)
            if (!WriteFile(writer, &i, sizeof i, &done, NULL)) return 11;
        return CloseHandle(writer) ? 0 : 12;
    }
    if (strcmp(role, "hold") == 0) {
        HANDLE slot = CreateMailslotA(a, 0, MAILSLOT_WAIT_FOREVER, NULL);
        if (slot == INVALID_HANDLE_VALUE) return 20;
        /* A pending overlapped read and a drain in the engine, as a real server has. */
        OVERLAPPED ov;
        char buffer[16];
        memset(&ov, 0, sizeof ov);
        if (ReadFile(slot, buffer, sizeof buffer, NULL, &ov) || GetLastError() != ERROR_IO_PENDING) return 21;
        HANDLE ready = CreateFileA(b, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (ready == INVALID_HANDLE_VALUE || !WriteFile(ready, "ready", 5, &done, NULL)) return 22;
        Sleep(30000);
        return 23;
    }
    return 99;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "child") == 0) return child(argv[2], argv[3], argv[4]);
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(length > 0);
    self[length > 0 ? length : 0] = 0;
    char name[128], ready_name[128];

    TEST("a client in another process");
    name_of(name, sizeof name, "parent", (long)getpid());
    HANDLE slot = CreateMailslotA(name, 0, 10000, NULL);
    CHECK(slot != INVALID_HANDLE_VALUE);
    pid_t pid = spawn("write", name, "-");
    int in_order = 1;
    for (int i = 0; i < 50; i++) {
        int value = -1;
        DWORD got = 0;
        if (!ReadFile(slot, &value, sizeof value, &got, NULL) || got != sizeof value || value != i) in_order = 0;
    }
    CHECK(in_order);
    CHECK_EQ(wait_exit(pid), 0);
    CloseHandle(slot);

    TEST("a server killed with SIGKILL");
    name_of(name, sizeof name, "killed", (long)getpid());
    name_of(ready_name, sizeof ready_name, "ready", (long)getpid());
    HANDLE ready = CreateMailslotA(ready_name, 0, 10000, NULL);
    pid = spawn("hold", name, ready_name);
    char buffer[16];
    DWORD got = 0;
    CHECK(ReadFile(ready, buffer, sizeof buffer, &got, NULL));
    HANDLE writer = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(writer, "alive", 5, &got, NULL));
    SetLastError(0xdeadbeef);
    CHECK(CreateMailslotA(name, 0, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    kill(pid, SIGKILL);
    CHECK_EQ(wait_exit(pid), 128 + SIGKILL);
    /* At once: its clients fail, nobody opens the name, a new server takes it. */
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(writer, "dead", 4, &got, NULL));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CloseHandle(writer);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    slot = CreateMailslotA(name, 0, 0, NULL);
    CHECK(slot != INVALID_HANDLE_VALUE);
    CloseHandle(slot);
    CloseHandle(ready);
    return tl_finish();
}
