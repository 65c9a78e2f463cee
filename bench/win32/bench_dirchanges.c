/* bench_dirchanges.c N DIR: ReadDirectoryChangesW event throughput. A thread creates N
 * files in DIR (CreateFileA CREATE_NEW + CloseHandle) as fast as it can; the main thread
 * keeps one overlapped ReadDirectoryChangesW (64 KiB buffer, file names) pending on DIR
 * and counts the FILE_ACTION_ADDED records until all N are in. Prints
 * "files_per_s <rate> lost <0|1>": the rate is N over the time from the first creation
 * to the last record; lost is 1 if a buffer overflowed (ERROR_NOTIFY_ENUM_DIR), which
 * makes the run invalid. The anchor (anchors/dirchanges_raw.c) does the same on raw
 * inotify. */
#include <stdio.h>
#include <windows.h>

static char dir[MAX_PATH];
static long count;

static DWORD WINAPI creator(LPVOID arg)
{
    char path[MAX_PATH];
    (void)arg;
    for (long i = 0; i < count; ++i) {
        wsprintfA(path, "%s\\f%ld", dir, i);
        HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
        if (file == INVALID_HANDLE_VALUE) {
            fprintf(stderr, "create %s: %lu\n", path, (unsigned long)GetLastError());
            ExitProcess(2);
        }
        CloseHandle(file);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static DWORD buffer[16384];
    if (argc < 3) return 2;
    count = atol(argv[1]);
    lstrcpynA(dir, argv[2], MAX_PATH);
    HANDLE handle = CreateFileA(dir, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, NULL);
    if (handle == INVALID_HANDLE_VALUE) return 2;
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = event;
    if (!ReadDirectoryChangesW(handle, buffer, sizeof(buffer), FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov, NULL))
        return 2;
    LARGE_INTEGER frequency, start, end;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    HANDLE thread = CreateThread(NULL, 0, creator, NULL, 0, NULL);
    long seen = 0;
    int lost = 0;
    while (seen < count) {
        DWORD bytes = 0;
        if (!GetOverlappedResult(handle, &ov, &bytes, TRUE)) {
            if (GetLastError() == ERROR_NOTIFY_ENUM_DIR) {
                lost = 1;
                break;
            }
            return 3;
        }
        const char *p = (const char *)buffer;
        for (; bytes != 0;) {
            const FILE_NOTIFY_INFORMATION *info = (const FILE_NOTIFY_INFORMATION *)p;
            if (info->Action == FILE_ACTION_ADDED) ++seen;
            if (info->NextEntryOffset == 0) break;
            p += info->NextEntryOffset;
        }
        if (seen >= count) break;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = event;
        if (!ReadDirectoryChangesW(handle, buffer, sizeof(buffer), FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov, NULL))
            return 3;
    }
    QueryPerformanceCounter(&end);
    WaitForSingleObject(thread, INFINITE);
    double seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
    printf("files_per_s %.0f lost %d\n", (double)count / seconds, lost);
    CloseHandle(handle);
    return 0;
}
