/* test_dir_changes_sync.c: a synchronous ReadDirectoryChangesW (a directory handle
 * without FILE_FLAG_OVERLAPPED) waiting in one thread while another thread closes the
 * handle or calls CancelSynchronousIo. Closing ends the wait with ERROR_NOTIFY_CLEANUP
 * (the handle's cleanup completes its notify requests with STATUS_NOTIFY_CLEANUP;
 * docs/research/windows-directories.md), CancelSynchronousIo with
 * ERROR_OPERATION_ABORTED, and neither may be lost when it lands just as the waiter goes
 * to sleep (the loops with short random delays). Linux-side: it is about races. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ERROR_NOTIFY_CLEANUP
#define ERROR_NOTIFY_CLEANUP 745
#endif

static char dir[128];

struct waiter {
    HANDLE directory;
    volatile LONG started;
    BOOL ok;
    DWORD error;
    DWORD bytes;
};

static DWORD WINAPI wait_for_changes(LPVOID arg)
{
    struct waiter *w = arg;
    DWORD buffer[256];
    InterlockedExchange(&w->started, 1);
    w->ok = ReadDirectoryChangesW(w->directory, buffer, sizeof buffer, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, &w->bytes,
                                  NULL, NULL);
    w->error = GetLastError();
    return 0;
}

static HANDLE open_directory(void)
{
    HANDLE directory = CreateFileA(dir, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                   NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(directory != INVALID_HANDLE_VALUE);
    return directory;
}

static HANDLE start_waiter(struct waiter *w)
{
    memset(w, 0, sizeof *w);
    w->directory = open_directory();
    HANDLE thread = CreateThread(NULL, 0, wait_for_changes, w, 0, NULL);
    CHECK(thread != NULL);
    while (!InterlockedCompareExchange(&w->started, 1, 1)) Sleep(0);
    return thread;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ovl-dirsync-%d", (int)getpid());
    mkdir(dir, 0700);

    TEST("CloseHandle ends a waiting synchronous ReadDirectoryChangesW with ERROR_NOTIFY_CLEANUP");
    struct waiter w;
    HANDLE thread = start_waiter(&w);
    Sleep(100); /* well inside its wait */
    CHECK(CloseHandle(w.directory));
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(!w.ok);
    CHECK_EQ(w.error, ERROR_NOTIFY_CLEANUP);
    CHECK_EQ(w.bytes, 0);
    CloseHandle(thread);

    TEST("CancelSynchronousIo ends it with ERROR_OPERATION_ABORTED");
    thread = start_waiter(&w);
    BOOL cancelled = FALSE;
    for (int i = 0; i < 500 && !cancelled; ++i) { /* until the thread is inside its call */
        Sleep(2);
        cancelled = CancelSynchronousIo(thread);
    }
    CHECK(cancelled);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK(!w.ok);
    CHECK_EQ(w.error, ERROR_OPERATION_ABORTED);
    CHECK(CloseHandle(w.directory));
    CloseHandle(thread);

    TEST("a close or a cancel landing as the waiter goes to sleep is not lost");
    srand((unsigned)getpid());
    int hung = 0, wrong = 0;
    for (int round = 0; round < 300 && !hung; ++round) {
        int cancel = round & 1;
        thread = start_waiter(&w);
        usleep((useconds_t)(rand() % 400));
        if (cancel) {
            while (!CancelSynchronousIo(thread) && WaitForSingleObject(thread, 0) == WAIT_TIMEOUT) usleep(10);
        } else {
            CloseHandle(w.directory);
        }
        if (WaitForSingleObject(thread, 3000) != WAIT_OBJECT_0) {
            hung = 1;
            printf("round %d (%s): the waiter did not wake\n", round, cancel ? "cancel" : "close");
            break;
        }
        /* A close before the call looked the handle up: ERROR_INVALID_HANDLE. */
        DWORD expected = cancel ? ERROR_OPERATION_ABORTED : ERROR_NOTIFY_CLEANUP;
        if (w.ok || (w.error != expected && !(!cancel && w.error == ERROR_INVALID_HANDLE))) {
            ++wrong;
            printf("round %d (%s): ok %d error %lu\n", round, cancel ? "cancel" : "close", (int)w.ok,
                   (unsigned long)w.error);
        }
        if (cancel) CloseHandle(w.directory);
        CloseHandle(thread);
    }
    CHECK(!hung);
    CHECK_EQ(wrong, 0);

    rmdir(dir);
    return tl_finish();
}
