/* spawn_raw.c: the native anchor of bench/win32/bench_spawn.c: posix_spawn of the same
 * program (default /bin/true, with this process's environment), waitpid for it, check
 * that it exited with 0, repeat for WARM + DURATION seconds.
 *
 *   spawn_raw [PROGRAM] [-w WARM] [-d DURATION] [--quick]
 *
 * Reports METRIC spawn_per_s, the children started and reaped per second after the
 * warm-up. glibc's posix_spawn is clone(CLONE_VM | CLONE_VFORK) + execve: the fastest
 * way a Linux program starts another. */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void spawn_once(const char *program)
{
    char *argv[] = {(char *)program, NULL};
    pid_t pid;
    int error = posix_spawn(&pid, program, NULL, NULL, argv, environ);
    if (error != 0) {
        printf("spawn_raw: posix_spawn %s: %s\n", program, strerror(error));
        exit(1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("spawn_raw: waitpid");
            exit(1);
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("spawn_raw: %s did not exit with 0 (status 0x%x)\n", program, status);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    const char *program = "/bin/true";
    double warm = 0.5, duration = 2.0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) { warm = 0.2; duration = 0.5; }
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) warm = atof(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) duration = atof(argv[++i]);
        else if (argv[i][0] != '-') program = argv[i];
        else {
            printf("usage: spawn_raw [PROGRAM] [-w WARM] [-d DURATION] [--quick]\n");
            return 2;
        }
    }
    double start = seconds(), now;
    do spawn_once(program);
    while (seconds() - start < warm);
    long spawns = 0;
    start = seconds();
    do {
        spawn_once(program);
        ++spawns;
    } while ((now = seconds()) - start < duration);
    printf("METRIC spawn_per_s %.4f per_s\n", (double)spawns / (now - start));
    return 0;
}
