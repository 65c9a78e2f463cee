/* serial_raw.c: the anchor of bench/serial.sh, and the other end of the line for the
 * Win32 program. Makes a pty pair (raw mode) and an echo process on its master (a plain
 * read/write loop), then either
 *   serial_raw raw [-w WARM] [-d SECONDS]: measures 1-byte round trips with write/read on
 *       the slave (blocking), printing METRIC serial_rtps and serial_p50_us; or
 *   serial_raw run PROGRAM ARGS...: runs PROGRAM with OVERLAPPED_COM=COM9=<slave> (the
 *       program measures the same through the COM port).
 * The echo process is the same in both. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double samples[1 << 20];

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: serial_raw raw [-w WARM] [-d SECONDS] | serial_raw run PROGRAM ARGS...\n");
        return 2;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    char slave_path[128];
    if (master < 0 || grantpt(master) || unlockpt(master) || ptsname_r(master, slave_path, sizeof slave_path)) {
        perror("pty");
        return 1;
    }
    struct termios raw;
    tcgetattr(master, &raw);
    cfmakeraw(&raw);
    tcsetattr(master, TCSANOW, &raw);
    pid_t echo = fork();
    if (echo == 0) {
        unsigned char buffer[256];
        for (;;) {
            ssize_t n = read(master, buffer, sizeof buffer);
            if (n <= 0) _exit(0);
            if (write(master, buffer, (size_t)n) != n) _exit(1);
        }
    }
    int status = 0;
    if (strcmp(argv[1], "run") == 0 && argc > 2) {
        char mapping[200];
        snprintf(mapping, sizeof mapping, "COM9=%s", slave_path);
        setenv("OVERLAPPED_COM", mapping, 1);
        pid_t child = fork();
        if (child == 0) {
            close(master);
            execvp(argv[2], argv + 2);
            perror("exec");
            _exit(127);
        }
        waitpid(child, &status, 0);
        status = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    } else {
        double warm = 0.3, duration = 2.0;
        for (int i = 2; i + 1 < argc; ++i) {
            if (strcmp(argv[i], "-w") == 0) warm = atof(argv[i + 1]);
            if (strcmp(argv[i], "-d") == 0) duration = atof(argv[i + 1]);
        }
        int slave = open(slave_path, O_RDWR | O_NOCTTY);
        struct termios settings;
        tcgetattr(slave, &settings);
        cfmakeraw(&settings); /* as the COM port is: binary */
        tcsetattr(slave, TCSANOW, &settings);
        unsigned char out = 0, in = 0;
        long long trips = 0;
        int count = 0;
        double start = now_seconds(), from = start + warm, end = from + duration;
        for (;;) {
            double before = now_seconds();
            if (before >= end) break;
            ++out;
            if (write(slave, &out, 1) != 1 || read(slave, &in, 1) != 1 || in != out) {
                fprintf(stderr, "serial_raw: round trip failed\n");
                status = 1;
                break;
            }
            double after = now_seconds();
            if (before >= from) {
                ++trips;
                if (count < (int)(sizeof samples / sizeof samples[0])) samples[count++] = (after - before) * 1e6;
            }
        }
        if (status == 0) {
            qsort(samples, (size_t)count, sizeof samples[0], compare);
            printf("METRIC serial_rtps %.4f round_trips/s\n", (double)trips / duration);
            if (count > 0) printf("METRIC serial_p50_us %.4f us\n", samples[count / 2]);
        }
        close(slave);
    }
    kill(echo, SIGKILL);
    waitpid(echo, NULL, 0);
    close(master);
    return status;
}
