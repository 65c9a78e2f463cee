/* test_job_guard.c: a kill-on-close job's member ends when the process holding the job
 * is killed with SIGKILL (the guard of docs/processes.md), also in a process that ignores
 * SIGCHLD, where the C library reaps every child itself (a program may: the guard must
 * not take that for its own failure). This program fork()s and exec()s itself as the
 * owner, which starts /bin/sleep in its job, writes its pid, and waits to be killed.
 * tests/win32/test_job.c states the Windows fact under Wine too; this adds what only
 * Linux has (SIGCHLD's disposition). */
#include <windows.h>
#include "testlib.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[4096];

static int run_owner(const char *mode)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    STARTUPINFOA startup;
    PROCESS_INFORMATION sleeper;
    char line[] = "/bin/sleep 30";
    char text[32];
    HANDLE job;
    if (strcmp(mode, "ignore") == 0) signal(SIGCHLD, SIG_IGN);
    job = CreateJobObjectA(NULL, NULL);
    if (job == NULL) return 40;
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) return 41;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    if (!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &sleeper)) return 42;
    if (!AssignProcessToJobObject(job, sleeper.hProcess)) return 43;
    snprintf(text, sizeof text, "%lu\n", (unsigned long)sleeper.dwProcessId);
    if (write(1, text, strlen(text)) != (ssize_t)strlen(text)) return 44;
    sleep(60);
    return 45;
}

static void owner_killed(const char *mode)
{
    int ends[2];
    char text[32];
    ssize_t got;
    pid_t owner, sleeper = 0;
    int pidfd = -1;
    printf("-- the owner killed (SIGCHLD: %s)\n", mode);
    CHECK(pipe(ends) == 0);
    owner = fork();
    if (owner == 0) {
        dup2(ends[1], 1);
        close(ends[0]);
        close(ends[1]);
        execl(self, self, "child", mode, (char *)NULL);
        _exit(127);
    }
    CHECK(owner > 0);
    close(ends[1]);
    memset(text, 0, sizeof text);
    got = read(ends[0], text, sizeof text - 1);
    close(ends[0]);
    CHECK(got > 0 && strchr(text, '\n') != NULL);
    if (got > 0) sleeper = (pid_t)strtol(text, NULL, 10);
    CHECK(sleeper > 0);
    if (sleeper > 0) pidfd = (int)syscall(SYS_pidfd_open, sleeper, 0);
    CHECK(pidfd >= 0);
    CHECK(kill(owner, SIGKILL) == 0);
    CHECK(waitpid(owner, NULL, 0) == owner);
    if (pidfd >= 0) {
        struct pollfd entry = {pidfd, POLLIN, 0};
        int ended = poll(&entry, 1, 10000);
        CHECK_EQ(ended, 1); /* the sleeper ended with its job */
        if (ended != 1) kill(sleeper, SIGKILL);
        close(pidfd);
    }
}

int main(int argc, char **argv)
{
    ssize_t length;
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_owner(argv[2]);
    length = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(length > 0);
    if (length > 0) self[length] = '\0';
    owner_killed("default");
    owner_killed("ignore");
    return tl_finish();
}
