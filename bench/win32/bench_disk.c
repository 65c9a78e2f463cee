/* bench_disk.c: unbuffered 64 KiB random aligned reads of a physical drive through a
 * completion port: \\.\PHYSICALDRIVE<n> opened with FILE_FLAG_NO_BUFFERING |
 * FILE_FLAG_OVERLAPPED, 16 reads in flight into VirtualAlloc buffers, reaped with
 * GetQueuedCompletionStatusEx(16), each completion reissued at a new random offset.
 *  disk_read64k_nobuf_port_mbps   MB/s (10^6 bytes)
 * Anchor: anchors/uring_disk.cpp (liburing, O_DIRECT, the same reads).
 *
 * usage: bench_disk [--quick] [DRIVE_NUMBER] (default 0); bench/disk.sh maps a disk
 * image as the drive with OVERLAPPED_PHYSICALDRIVES. The size comes from
 * IOCTL_DISK_GET_LENGTH_INFO. */
#include "bench_common.h"

#include <winioctl.h>

#define LENGTH (64 * 1024)
#define DEPTH 16

static unsigned long long random_state = 0x9E3779B97F4A7C15ull;

static unsigned long long random_offset(long long bytes)
{
    random_state ^= random_state << 13; /* xorshift64, as the anchor */
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state % (unsigned long long)(bytes / LENGTH) * LENGTH;
}

static double port_reads(HANDLE drive, HANDLE port, char *buffers, long long bytes, double seconds)
{
    OVERLAPPED requests[DEPTH];
    double start = bench_seconds(), elapsed = 0;
    long completed = 0, counted = 0;
    int in_flight = 0, stopping = 0;
    for (int i = 0; i < DEPTH; ++i) {
        memset(&requests[i], 0, sizeof(requests[i]));
        unsigned long long offset = random_offset(bytes);
        requests[i].Offset = (DWORD)offset;
        requests[i].OffsetHigh = (DWORD)(offset >> 32);
        if (!ReadFile(drive, buffers + (size_t)i * LENGTH, LENGTH, NULL, &requests[i]) &&
            GetLastError() != ERROR_IO_PENDING) {
            fprintf(stderr, "bench_disk: ReadFile: %lu\n", (unsigned long)GetLastError());
            exit(1);
        }
        ++in_flight;
    }
    while (in_flight > 0) {
        OVERLAPPED_ENTRY entries[DEPTH];
        ULONG count = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, DEPTH, &count, 10000, FALSE)) {
            fprintf(stderr, "bench_disk: GetQueuedCompletionStatusEx: %lu\n", (unsigned long)GetLastError());
            exit(1);
        }
        if (!stopping && (elapsed = bench_seconds() - start) >= seconds) {
            stopping = 1;
            counted = completed;
        }
        for (ULONG e = 0; e < count; ++e) {
            OVERLAPPED *done = entries[e].lpOverlapped;
            if (entries[e].dwNumberOfBytesTransferred != LENGTH || done->Internal != 0) {
                fprintf(stderr, "bench_disk: a read ended with %lu bytes, status %#lx\n",
                        (unsigned long)entries[e].dwNumberOfBytesTransferred, (unsigned long)done->Internal);
                exit(1);
            }
            ++completed;
            if (stopping) {
                --in_flight;
                continue;
            }
            int index = (int)(done - requests);
            unsigned long long offset = random_offset(bytes);
            done->Offset = (DWORD)offset;
            done->OffsetHigh = (DWORD)(offset >> 32);
            if (!ReadFile(drive, buffers + (size_t)index * LENGTH, LENGTH, NULL, done) &&
                GetLastError() != ERROR_IO_PENDING) {
                fprintf(stderr, "bench_disk: ReadFile: %lu\n", (unsigned long)GetLastError());
                exit(1);
            }
        }
    }
    return counted / elapsed;
}

int main(int argc, char **argv)
{
    double duration = bench_duration(argc, argv) < 1.0 ? 0.3 : 2.0;
    int number = 0;
    for (int i = 1; i < argc; ++i)
        if (argv[i][0] != '-') number = atoi(argv[i]);
    char name[64];
    snprintf(name, sizeof(name), "\\\\.\\PHYSICALDRIVE%d", number);
    HANDLE drive = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                               FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
    if (drive == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "bench_disk: CreateFile(%s): %lu\n", name, (unsigned long)GetLastError());
        return 1;
    }
    GET_LENGTH_INFORMATION length;
    DWORD returned = 0;
    if (!DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, NULL)) {
        fprintf(stderr, "bench_disk: IOCTL_DISK_GET_LENGTH_INFO: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    HANDLE port = CreateIoCompletionPort(drive, NULL, 1, 1);
    char *buffers = VirtualAlloc(NULL, (SIZE_T)LENGTH * DEPTH, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (port == NULL || buffers == NULL) return 1;
    port_reads(drive, port, buffers, length.Length.QuadPart, duration / 4); /* warm-up, as the anchor */
    bench_metric("disk_read64k_nobuf_port_mbps",
                 port_reads(drive, port, buffers, length.Length.QuadPart, duration) * LENGTH / 1e6, "MB/s");
    VirtualFree(buffers, 0, MEM_RELEASE);
    CloseHandle(port);
    CloseHandle(drive);
    return 0;
}
