/* test_port_sync_io_pause.c: a released thread that blocks in a synchronous ReadFile is
 * paused by its completion port, which then releases another waiter (concurrency 1).
 * Linux-side because the read must really block: it reads an empty FIFO. */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static HANDLE port, fifo;
static volatile LONG got_second, read_done;

static DWORD WINAPI worker(LPVOID unused)
{
    (void)unused;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 5000)) return 1;
    if (key == 1) { /* the first packet: block in a synchronous read */
        char buffer[8];
        DWORD done = 0;
        BOOL ok = ReadFile(fifo, buffer, sizeof(buffer), &done, NULL);
        tl_store(&read_done, ok && done == 3 ? 1 : -1);
    } else {
        tl_store(&got_second, 1);
    }
    return 0;
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/ovl-fifo-%d", (int)getpid());
    unlink(path);
    CHECK_EQ(mkfifo(path, 0600), 0);
    fifo = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(fifo != INVALID_HANDLE_VALUE);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);

    TEST("the reader blocks in ReadFile; the port releases the second waiter");
    HANDLE threads[2];
    for (int i = 0; i < 2; ++i) threads[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    Sleep(200);
    PostQueuedCompletionStatus(port, 0, 1, NULL);
    Sleep(200); /* the receiver is now blocked in the read */
    CHECK_EQ(tl_load(&read_done), 0);
    PostQueuedCompletionStatus(port, 0, 2, NULL);
    for (int i = 0; i < 100 && !tl_load(&got_second); ++i) Sleep(10);
    CHECK_EQ(tl_load(&got_second), 1);

    TEST("the read completes when data arrives");
    DWORD written = 0;
    CHECK(WriteFile(fifo, "abc", 3, &written, NULL));
    CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&read_done), 1);

    for (int i = 0; i < 2; ++i) CloseHandle(threads[i]);
    CloseHandle(port);
    CloseHandle(fifo);
    unlink(path);
    return tl_finish();
}
