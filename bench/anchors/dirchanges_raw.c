/* dirchanges_raw.c N DIR: the raw inotify anchor of bench_dirchanges.c. A thread creates
 * N files in DIR (open O_CREAT|O_EXCL + close); the main thread reads an inotify watch of
 * DIR (IN_CREATE, blocking in poll) and counts the events until all N are in. Prints
 * "files_per_s <rate> lost <0|1>" (lost: IN_Q_OVERFLOW). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static long count;

static void *creator(void *arg)
{
    char path[4096];
    (void)arg;
    for (long i = 0; i < count; ++i) {
        snprintf(path, sizeof(path), "%s/f%ld", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            perror(path);
            exit(2);
        }
        close(fd);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static char buffer[64 * 1024] __attribute__((aligned(8)));
    if (argc < 3) return 2;
    count = atol(argv[1]);
    dir = argv[2];
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (in < 0 || inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO) < 0) return 2;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t thread;
    pthread_create(&thread, NULL, creator, NULL);
    long seen = 0;
    int lost = 0;
    while (seen < count && !lost) {
        struct pollfd entry = {in, POLLIN, 0};
        poll(&entry, 1, -1);
        for (;;) {
            ssize_t n = read(in, buffer, sizeof(buffer));
            if (n <= 0) break;
            for (char *p = buffer; p < buffer + n;) {
                struct inotify_event *event = (struct inotify_event *)p;
                if (event->mask & IN_Q_OVERFLOW) lost = 1;
                if (event->mask & IN_CREATE) ++seen;
                p += sizeof(*event) + event->len;
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    pthread_join(thread, NULL);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("files_per_s %.0f lost %d\n", (double)count / seconds, lost);
    return 0;
}
