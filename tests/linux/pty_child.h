/* pty_child.h: runs this test program again ("/proc/self/exe child", or another mode) on a
 * pseudo-terminal of its own, for the console tests that need a real terminal: the child's
 * descriptors 0-2 are the terminal (raw: the bytes as written, no \n -> \r\n; the size
 * given if any), descriptor 3 a pipe for its test report. The parent types `typed` (if any),
 * then collects what reaches the terminal and the report until both are closed (the
 * terminal reads EIO once the child, its last user, has exited), 30 s at most. Used by
 * test_console_tty.c and test_console_screen_tty.c. */
#ifndef OVERLAPPED_TESTS_PTY_CHILD_H
#define OVERLAPPED_TESTS_PTY_CHILD_H

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct pty_output {
    char terminal[65536];
    size_t terminal_used;
    char report[16384];
    size_t report_used;
};

/* 0 when the child ran (its output in *out, NUL-terminated), -1 when there is no
 * pseudo-terminal here. `mode`: the child's first argument. `rows`/`columns` 0: the
 * terminal's default size. What reaches the terminal past the first 64 KiB is read and
 * dropped, so a child that writes more never waits for the parent. */
static int pty_run_child_mode(const char *name, const char *mode, unsigned short rows, unsigned short columns,
                              const char *typed, struct pty_output *out)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return -1;
    if (rows != 0 && columns != 0) {
        struct winsize size = {rows, columns, 0, 0};
        ioctl(master, TIOCSWINSZ, &size);
    }
    const char *slave_name = ptsname(master);
    int results[2];
    if (pipe(results) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(master); /* before descriptor 3 is given its meaning: it may be the master */
        setsid();
        int slave = open(slave_name, O_RDWR);
        if (slave < 0) _exit(120);
        struct termios raw;
        if (tcgetattr(slave, &raw) == 0) {
            cfmakeraw(&raw); /* the bytes as written, no \n -> \r\n */
            tcsetattr(slave, TCSANOW, &raw);
        }
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2) close(slave);
        dup2(results[1], 3);
        if (results[0] != 3) close(results[0]);
        if (results[1] != 3) close(results[1]);
        execl("/proc/self/exe", name, mode, (char *)NULL);
        _exit(127);
    }
    close(results[1]);
    /* Input for the child: kept by the terminal until read. */
    if (typed != NULL && write(master, typed, strlen(typed)) != (ssize_t)strlen(typed)) printf("typing failed\n");

    memset(out, 0, sizeof *out);
    int terminal_open = 1, report_open = 1;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (terminal_open || report_open) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 30) {
            printf("child did not finish in 30 s\n");
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd fds[2];
        int count = 0, t = -1, r = -1;
        if (terminal_open) t = count, fds[count++] = (struct pollfd){master, POLLIN, 0};
        if (report_open) r = count, fds[count++] = (struct pollfd){results[0], POLLIN, 0};
        if (poll(fds, (nfds_t)count, 100) <= 0) continue;
        if (t >= 0 && fds[t].revents) {
            char dropped[4096];
            size_t room = sizeof out->terminal - 1 - out->terminal_used;
            ssize_t n = room > 0 ? read(master, out->terminal + out->terminal_used, room)
                                 : read(master, dropped, sizeof dropped);
            if (n > 0 && room > 0) out->terminal_used += (size_t)n;
            else if (n <= 0) terminal_open = 0;
        }
        if (r >= 0 && fds[r].revents) {
            ssize_t n = read(results[0], out->report + out->report_used, sizeof out->report - 1 - out->report_used);
            if (n > 0) out->report_used += (size_t)n;
            else report_open = 0;
        }
    }
    close(master);
    close(results[0]);
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    return 0;
}

static int pty_run_child(const char *name, unsigned short rows, unsigned short columns, const char *typed,
                         struct pty_output *out)
{
    return pty_run_child_mode(name, "child", rows, columns, typed, out);
}

#endif
