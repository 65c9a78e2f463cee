/* find_raw.c N DIR: the anchor of bench_find.c: creates N empty files in DIR, then for
 * one second lists DIR with opendir/readdir and fstatat of every entry (what
 * WIN32_FIND_DATA needs). Prints "entries_per_s <rate>". */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc < 3) return 2;
    long count = atol(argv[1]);
    const char *dir = argv[2];
    for (long i = 0; i < count; ++i) {
        snprintf(path, sizeof(path), "%s/file-%06ld.dat", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) return 2;
        close(fd);
    }
    long long entries = 0;
    unsigned long long bytes = 0;
    double start = seconds(), now = start;
    while (now - start < 1.0) {
        DIR *stream = opendir(dir);
        if (stream == NULL) return 3;
        long seen = 0;
        struct dirent *item;
        while ((item = readdir(stream)) != NULL) {
            struct stat status;
            if (fstatat(dirfd(stream), item->d_name, &status, 0) == 0) bytes += (unsigned long long)status.st_size;
            ++seen;
        }
        closedir(stream);
        if (seen != count + 2) return 4;
        entries += seen;
        now = seconds();
    }
    printf("entries_per_s %.0f\n", (double)entries / (now - start));
    return bytes == 12345 ? 1 : 0; /* keeps the stat results used */
}
