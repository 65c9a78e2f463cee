/* test_file_locks_stress.c: byte-range locks under contention (drivers/file_locks.h).
 *
 * Four threads, each with its own handle to one file (two synchronous, two overlapped:
 * one waiting through an event, one through a completion port), take exclusive locks of
 * eight 8-byte slots in random order, waiting when they must. While a thread holds a
 * slot it marks the slot as its own and checks that nobody else marked it: two holders
 * of one slot at once would be a broken lock. Now and then a thread cancels its pending
 * request (CancelIoEx) or closes its handle with locks held and a request pending, then
 * opens a new one: a cancelled request holds nothing, a closed handle's locks go, and
 * nobody waits forever. Linux-side: a stress test of the registry, the request path and
 * the close, under the sanitizers. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define SLOTS 8
#define SECONDS 2

static char path[256];
static volatile LONG owner[SLOTS];
static volatile LONG overlaps, failures, cancels, closes, rounds;
static volatile LONG stop;

static HANDLE open_handle(int overlapped)
{
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       overlapped ? FILE_FLAG_OVERLAPPED : 0, NULL);
}

static void note_failure(const char *what, DWORD error)
{
    if (InterlockedIncrement(&failures) <= 5) printf("failure: %s (error %lu)\n", what, (unsigned long)error);
}

/* Holds slot `slot` for a moment, checking that nobody else does. */
static void hold(int slot, LONG me)
{
    if (InterlockedCompareExchange(&owner[slot], me, 0) != 0) InterlockedIncrement(&overlaps);
    if (rand() % 4 == 0) Sleep(0);
    if (InterlockedCompareExchange(&owner[slot], 0, me) != me) InterlockedIncrement(&overlaps);
}

static DWORD WINAPI worker(LPVOID arg)
{
    LONG me = (LONG)(ULONG_PTR)arg + 1;
    int mode = (int)(ULONG_PTR)arg % 4;  /* 0, 1: synchronous; 2: event; 3: port */
    int overlapped = mode >= 2;
    HANDLE file = open_handle(overlapped);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE port = mode == 3 ? CreateIoCompletionPort(file, NULL, 1, 1) : NULL;
    srand((unsigned)me * 7919u);
    while (!tl_load(&stop)) {
        int slot = rand() % SLOTS;
        DWORD done = 0;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)slot * 8;
        ov.hEvent = mode == 2 ? event : NULL;
        if (!overlapped) {
            if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, 8, 0, &ov)) {
                note_failure("synchronous LockFileEx", GetLastError());
                continue;
            }
        } else if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, 8, 0, &ov)) {
            if (GetLastError() != ERROR_IO_PENDING) {
                note_failure("overlapped LockFileEx", GetLastError());
                continue;
            }
            int action = rand() % 16;
            if (action == 0) {
                /* Cancel it: it ends cancelled (holding nothing) or granted. */
                CancelIoEx(file, &ov);
                InterlockedIncrement(&cancels);
            } else if (action == 1) {
                /* Close the handle with the request pending and locks held by nobody
                 * else of ours: the request ends, nothing stays locked. */
                CloseHandle(file);
                if (port != NULL) {
                    ULONG_PTR key;
                    OVERLAPPED *got;
                    GetQueuedCompletionStatus(port, &done, &key, &got, 10000);
                    CloseHandle(port);
                } else {
                    WaitForSingleObject(event, 10000);
                }
                InterlockedIncrement(&closes);
                file = open_handle(overlapped);
                port = mode == 3 ? CreateIoCompletionPort(file, NULL, 1, 1) : NULL;
                continue;
            }
            BOOL ok;
            if (mode == 3) {
                ULONG_PTR key;
                OVERLAPPED *got = NULL;
                ok = GetQueuedCompletionStatus(port, &done, &key, &got, 10000);
                if (!ok && got == NULL) {
                    note_failure("no packet within 10 s", GetLastError());
                    break;
                }
            } else {
                ok = GetOverlappedResultEx(file, &ov, &done, 10000, FALSE);
                if (!ok && GetLastError() == WAIT_TIMEOUT) {
                    note_failure("no completion within 10 s", GetLastError());
                    break;
                }
            }
            if (!ok) {
                if (GetLastError() != ERROR_OPERATION_ABORTED) note_failure("pending LockFileEx", GetLastError());
                else if (UnlockFileEx(file, 0, 8, 0, &ov)) note_failure("a cancelled lock was held", 0);
                continue;
            }
        } else if (mode == 3) {
            /* Granted at once: its packet is queued too. */
            ULONG_PTR key;
            OVERLAPPED *got = NULL;
            if (!GetQueuedCompletionStatus(port, &done, &key, &got, 10000)) note_failure("no packet", GetLastError());
        }
        hold(slot, me);
        if (!UnlockFileEx(file, 0, 8, 0, &ov)) note_failure("UnlockFileEx", GetLastError());
        InterlockedIncrement(&rounds);
    }
    CloseHandle(file);
    if (port != NULL) CloseHandle(port);
    CloseHandle(event);
    return 0;
}

int main(void)
{
    HANDLE threads[THREADS];
    snprintf(path, sizeof path, "/tmp/overlapped-locks-stress-%d.dat", (int)getpid());
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);

    TEST("four handles locking eight slots: never two holders, nothing stuck");
    for (int i = 0; i < THREADS; ++i) threads[i] = CreateThread(NULL, 0, worker, (LPVOID)(ULONG_PTR)i, 0, NULL);
    Sleep(SECONDS * 1000);
    InterlockedExchange(&stop, 1);
    CHECK_EQ(WaitForMultipleObjects(THREADS, threads, TRUE, 30000), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; ++i) CloseHandle(threads[i]);
    printf("rounds %ld, cancels %ld, closes %ld\n", (long)rounds, (long)cancels, (long)closes);
    CHECK_EQ(overlaps, 0);
    CHECK_EQ(failures, 0);
    CHECK(rounds > 100);

    /* Everything was released: one handle takes the whole range at once. */
    file = open_handle(0);
    CHECK(LockFile(file, 0, 0, SLOTS * 8, 0));
    CHECK(UnlockFile(file, 0, 0, SLOTS * 8, 0));
    CloseHandle(file);
    DeleteFileA(path);
    return tl_finish();
}
