/* bench_spawn.c: starting a child process and waiting for it, the way a Windows program
 * does: CreateProcessA, WaitForSingleObject on the process handle, GetExitCodeProcess,
 * CloseHandle on both handles. The native anchor is anchors/spawn_raw.c (posix_spawn +
 * waitpid of the same program).
 *
 *   bench_spawn [COMMAND_LINE] [-w WARM] [-d DURATION] [--quick]
 *
 * COMMAND_LINE defaults to "/bin/true" (on this library, a Linux program; under Wine,
 * bench/pipes.sh passes a trivial Windows program instead, bench_true.exe). The child
 * must exit with status 0. Reports
 *   METRIC spawn_per_s   children started and reaped per second, after the warm-up
 * Every wait is bounded (60 s); a failure prints why and exits 1, and a function that
 * fails with ERROR_CALL_NOT_IMPLEMENTED (a library without CreateProcess yet) exits 3. */
#include "bench_common.h"

static void fail(const char *what)
{
    DWORD error = GetLastError();
    if (error == ERROR_CALL_NOT_IMPLEMENTED) {
        printf("bench_spawn: %s: not implemented (ERROR_CALL_NOT_IMPLEMENTED)\n", what);
        fflush(stdout);
        exit(3);
    }
    printf("bench_spawn: %s failed: error %lu\n", what, (unsigned long)error);
    fflush(stdout);
    exit(1);
}

static void spawn_once(const char *command_line)
{
    char buffer[1024];
    snprintf(buffer, sizeof buffer, "%s", command_line);  /* CreateProcessA may write to it */
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    if (!CreateProcessA(NULL, buffer, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info)) fail("CreateProcessA");
    DWORD waited = WaitForSingleObject(info.hProcess, 60000);
    if (waited != WAIT_OBJECT_0) fail(waited == WAIT_TIMEOUT ? "WaitForSingleObject (60 s)" : "WaitForSingleObject");
    DWORD code = 1;
    if (!GetExitCodeProcess(info.hProcess, &code)) fail("GetExitCodeProcess");
    if (code != 0) {
        printf("bench_spawn: %s exited with %lu\n", command_line, (unsigned long)code);
        exit(1);
    }
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
}

int main(int argc, char **argv)
{
    const char *command_line = "/bin/true";
    double warm = 0.5, duration = 2.0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) { warm = 0.2; duration = 0.5; }
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) warm = atof(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) duration = atof(argv[++i]);
        else if (argv[i][0] != '-') command_line = argv[i];
        else {
            printf("usage: bench_spawn [COMMAND_LINE] [-w WARM] [-d DURATION] [--quick]\n");
            return 2;
        }
    }
    double start = bench_seconds(), now;
    do spawn_once(command_line);
    while (bench_seconds() - start < warm);
    long spawns = 0;
    start = bench_seconds();
    do {
        spawn_once(command_line);
        ++spawns;
    } while ((now = bench_seconds()) - start < duration);
    bench_metric("spawn_per_s", (double)spawns / (now - start), "per_s");
    return 0;
}
