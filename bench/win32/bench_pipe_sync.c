/* bench_pipe_sync.c: a 64 B ping-pong between two processes with both sides synchronous,
 * beside bench_pipe's (whose server is overlapped on a completion port): what the
 * library costs on each transport without the port (bench/README.md, "Transports for
 * named pipes"). The program starts a copy of itself as the echoing side with
 * CreateProcessA.
 *
 *   named  a message-type named pipe (PIPE_READMODE_MESSAGE on both ends)
 *   anon   two anonymous pipes, their ends inherited by the child
 *
 * usage: bench_pipe_sync named|anon [-d SECONDS] [--quick]; prints
 * METRIC pipe_sync_MODE_rtps. Pin it with taskset to measure on one CPU. */
#include "bench_common.h"

#define MESSAGE 64

static int echo(HANDLE in, HANDLE out)
{
    char message[MESSAGE];
    DWORD done = 0;
    for (;;) {
        if (!ReadFile(in, message, sizeof message, &done, NULL) || done == 0) return 0;
        if (!WriteFile(out, message, done, &done, NULL)) return 1;
    }
}

static double ping(HANDLE out, HANDLE in, double seconds, long *count)
{
    char message[MESSAGE] = {0};
    DWORD done = 0;
    long n = 0;
    double start = bench_seconds(), elapsed;
    do {
        for (int i = 0; i < 1000; ++i, ++n) {
            if (!WriteFile(out, message, sizeof message, &done, NULL) || done != sizeof message) {
                fprintf(stderr, "WriteFile: %lu\n", (unsigned long)GetLastError());
                exit(1);
            }
            if (!ReadFile(in, message, sizeof message, &done, NULL) || done != sizeof message) {
                fprintf(stderr, "ReadFile: %lu\n", (unsigned long)GetLastError());
                exit(1);
            }
        }
        elapsed = bench_seconds() - start;
    } while (elapsed < seconds);
    *count = n;
    return elapsed;
}

static BOOL start(const char *self, const char *arguments, BOOL inherit, PROCESS_INFORMATION *child)
{
    char line[1024];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" %s", self, arguments);
    return CreateProcessA(NULL, line, NULL, NULL, inherit, 0, NULL, NULL, &startup, child);
}

int main(int argc, char **argv)
{
    char self[MAX_PATH], arguments[512];
    double seconds = bench_duration(argc, argv) * 2;
    long count = 0;
    double elapsed;
    PROCESS_INFORMATION child;
    GetModuleFileNameA(NULL, self, sizeof self);
    for (int i = 1; i + 1 < argc; ++i)
        if (strcmp(argv[i], "-d") == 0) seconds = atof(argv[i + 1]);
    if (argc >= 3 && strcmp(argv[1], "echo-named") == 0) {
        DWORD mode = PIPE_READMODE_MESSAGE;
        HANDLE pipe = CreateFileA(argv[2], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE || !SetNamedPipeHandleState(pipe, &mode, NULL, NULL)) return 1;
        return echo(pipe, pipe);
    }
    if (argc >= 4 && strcmp(argv[1], "echo-anon") == 0)
        return echo((HANDLE)(ULONG_PTR)strtoull(argv[2], NULL, 16), (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16));
    if (argc >= 2 && strcmp(argv[1], "named") == 0) {
        char name[128];
        snprintf(name, sizeof name, "\\\\.\\pipe\\bench_pipe_sync_%lu", (unsigned long)GetCurrentProcessId());
        HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 4096,
                                         4096, 0, NULL);
        if (server == INVALID_HANDLE_VALUE) return 1;
        snprintf(arguments, sizeof arguments, "echo-named %s", name);
        if (!start(self, arguments, FALSE, &child)) return 1;
        if (!ConnectNamedPipe(server, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 1;
        elapsed = ping(server, server, seconds, &count);
        CloseHandle(server);
    } else if (argc >= 2 && strcmp(argv[1], "anon") == 0) {
        SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
        HANDLE up_read, up_write, down_read, down_write;
        if (!CreatePipe(&up_read, &up_write, &inheritable, 0) || !CreatePipe(&down_read, &down_write, &inheritable, 0))
            return 1;
        /* Only the child's ends are inherited. */
        SetHandleInformation(up_write, HANDLE_FLAG_INHERIT, 0);
        SetHandleInformation(down_read, HANDLE_FLAG_INHERIT, 0);
        snprintf(arguments, sizeof arguments, "echo-anon %llx %llx", (unsigned long long)(ULONG_PTR)up_read,
                 (unsigned long long)(ULONG_PTR)down_write);
        if (!start(self, arguments, TRUE, &child)) return 1;
        CloseHandle(up_read);
        CloseHandle(down_write);
        elapsed = ping(up_write, down_read, seconds, &count);
        CloseHandle(up_write);
        CloseHandle(down_read);
    } else {
        fprintf(stderr, "usage: bench_pipe_sync named|anon [-d SECONDS] [--quick]\n");
        return 2;
    }
    WaitForSingleObject(child.hProcess, 10000);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    bench_metric(strcmp(argv[1], "named") == 0 ? "pipe_sync_named_rtps" : "pipe_sync_anon_rtps", count / elapsed,
                 "per_s");
    return 0;
}
