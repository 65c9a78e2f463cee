/* test_file_race.c: reads racing CancelIoEx, writes and CloseHandle from other threads,
 * round after round (run under ThreadSanitizer in CI). Every request issued is
 * delivered exactly once, to the port, as completed or as ERROR_OPERATION_ABORTED; none
 * is lost, none twice. Linux-side: FIFOs keep reads pending until the race decides. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READS 16
#define ROUNDS 400

static HANDLE file;
static OVERLAPPED reads[READS];
static char buffers[READS][8];
static volatile LONG issued, stop_racer;
static HANDLE round_over;

static DWORD WINAPI issuer(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < READS; ++i) {
        memset(&reads[i], 0, sizeof(reads[i]));
        BOOL ok = ReadFile(file, buffers[i], sizeof(buffers[i]), NULL, &reads[i]);
        if (ok || GetLastError() == ERROR_IO_PENDING) InterlockedIncrement(&issued);
    }
    /* Stay until the round is over: a thread's exit has its own test (test_file_faults). */
    WaitForSingleObject(round_over, 10000);
    return 0;
}

static DWORD WINAPI racer(LPVOID argument)
{
    unsigned seed = (unsigned)(ULONG_PTR)argument;
    while (!tl_load(&stop_racer)) {
        seed = seed * 1103515245u + 12345u;
        int which = (int)((seed >> 16) % READS);
        if (seed & 1)
            CancelIoEx(file, &reads[which]); /* may find nothing, or a closed handle */
        else if ((seed & 6) == 0)
            CancelIoEx(file, NULL);
        SwitchToThread();
    }
    return 0;
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/ovl-race-%d", (int)getpid());
    unlink(path);
    CHECK_EQ(mkfifo(path, 0600), 0);
    round_over = CreateEventA(NULL, TRUE, FALSE, NULL);
    int lost = 0, twice = 0, bad_status = 0, completed = 0, aborted = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
        if (file == INVALID_HANDLE_VALUE) {
            CHECK(file != INVALID_HANDLE_VALUE);
            break;
        }
        HANDLE port = CreateIoCompletionPort(file, NULL, 1, 0);
        tl_store(&issued, 0);
        HANDLE racers[2];
        /* One round in four has no cancellations: its reads see the data. */
        tl_store(&stop_racer, round % 4 == 0);
        racers[0] = CreateThread(NULL, 0, racer, (LPVOID)(ULONG_PTR)(round * 2 + 1), 0, NULL);
        racers[1] = CreateThread(NULL, 0, racer, (LPVOID)(ULONG_PTR)(round * 2 + 2), 0, NULL);
        ResetEvent(round_over);
        HANDLE thread = CreateThread(NULL, 0, issuer, NULL, 0, NULL);
        for (int wait = 0; wait < 5000 && tl_load(&issued) < READS; ++wait) Sleep(1);
        /* Some data for a few of the reads, racing the cancellations. */
        OVERLAPPED write;
        memset(&write, 0, sizeof(write));
        write.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        write.hEvent = (HANDLE)((ULONG_PTR)write.hEvent | 1); /* no packet for the write */
        char data[24];
        memset(data, 'x', sizeof(data));
        HANDLE event = (HANDLE)((ULONG_PTR)write.hEvent & ~(ULONG_PTR)1);
        if (round % 3 != 0) {
            BOOL ok = WriteFile(file, data, sizeof(data), NULL, &write);
            if (ok || GetLastError() == ERROR_IO_PENDING) WaitForSingleObject(event, 5000);
        }
        CloseHandle(file); /* cancels what is left */
        SetEvent(round_over);
        WaitForSingleObject(thread, 5000);
        CloseHandle(thread);
        tl_store(&stop_racer, 1);
        WaitForMultipleObjects(2, racers, TRUE, 5000);
        CloseHandle(racers[0]);
        CloseHandle(racers[1]);
        CloseHandle(event);

        int seen[READS] = {0};
        LONG expected = tl_load(&issued);
        for (LONG n = 0; n < expected; ++n) {
            DWORD bytes;
            ULONG_PTR key;
            OVERLAPPED *done = NULL;
            BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
            if (done == NULL) {
                lost++;
                break;
            }
            if (done >= reads && done < reads + READS) seen[done - reads]++;
            if (ok && bytes > 0) completed++;
            else if (!ok && GetLastError() == ERROR_OPERATION_ABORTED && bytes == 0) aborted++;
            else bad_status++;
        }
        for (int i = 0; i < READS; ++i) {
            if (seen[i] > 1) twice++;
            if (seen[i] == 0 && i < expected) lost++;
        }
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *extra;
        if (GetQueuedCompletionStatus(port, &bytes, &key, &extra, 0) || extra != NULL) twice++;
        CloseHandle(port);
    }
    printf("%d completed, %d aborted over %d rounds\n", completed, aborted, ROUNDS);
    CHECK_EQ(lost, 0);
    CHECK_EQ(twice, 0);
    CHECK_EQ(bad_status, 0);
    CHECK(completed > 0);
    CHECK(aborted > 0);
    unlink(path);
    return tl_finish();
}
