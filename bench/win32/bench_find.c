/* bench_find.c N DIR: directory enumeration throughput. Creates N empty files in DIR,
 * then enumerates DIR\* with FindFirstFileA/FindNextFileA/FindClose again and again for
 * one second (every entry's WIN32_FIND_DATA: attributes, times, size, name). Prints
 * "entries_per_s <rate>". The anchor (anchors/find_raw.c) does the same work on Linux:
 * opendir/readdir and fstatat of every entry. */
#include "bench_common.h"

int main(int argc, char **argv)
{
    char dir[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAA data;
    if (argc < 3) return 2;
    long count = atol(argv[1]);
    lstrcpynA(dir, argv[2], MAX_PATH);
    for (long i = 0; i < count; ++i) {
        wsprintfA(path, "%s\\file-%06ld.dat", dir, i);
        HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
        if (file == INVALID_HANDLE_VALUE) return 2;
        CloseHandle(file);
    }
    wsprintfA(path, "%s\\*", dir);
    double duration = bench_duration(argc, argv);
    long long entries = 0;
    double start = bench_seconds(), now = start;
    while (now - start < duration) {
        HANDLE find = FindFirstFileA(path, &data);
        if (find == INVALID_HANDLE_VALUE) return 3;
        long seen = 1;
        while (FindNextFileA(find, &data)) ++seen;
        FindClose(find);
        if (seen != count + 2) {
            fprintf(stderr, "saw %ld entries, expected %ld\n", seen, count + 2);
            return 4;
        }
        entries += seen;
        now = bench_seconds();
    }
    printf("entries_per_s %.0f\n", (double)entries / (now - start));
    return 0;
}
