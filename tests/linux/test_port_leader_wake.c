/* test_port_leader_wake.c: a packet posted to a port whose waiting thread leads in the
 * engine (it waits there for its handles' completions) always wakes it. The port has a
 * read of an empty FIFO pending, so GetQueuedCompletionStatus leads; another thread posts
 * one packet at a time, each just as the waiter goes back to wait. A lost wake-up (the
 * post landing between the leader's release of the port lock and its sleep in the engine:
 * once seen on the fallback engine, whose wake() was not kept for a wait that had not yet
 * begun) shows as a GetQueuedCompletionStatus that returns only at its time-out. */
#include "testlib.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUNDS 20000

static HANDLE port;
static volatile LONG consumed;

static DWORD WINAPI poster(LPVOID unused)
{
    (void)unused;
    for (LONG i = 0; i < ROUNDS; ++i) {
        if (!PostQueuedCompletionStatus(port, (DWORD)i, 7, NULL)) return 1;
        /* Wait until the packet is taken, so that the next post meets the waiter on its
         * way back into the engine. */
        for (int spins = 0; InterlockedCompareExchange(&consumed, 0, 0) <= i; ++spins)
            if (spins > 1000) Sleep(0);
    }
    return 0;
}

int main(void)
{
    TEST("every post wakes a port's leader waiting in the engine");
    char fifo[64];
    snprintf(fifo, sizeof(fifo), "/tmp/ovl-leader-wake-%d", (int)getpid());
    unlink(fifo);
    CHECK_EQ(mkfifo(fifo, 0600), 0);
    HANDLE file = CreateFileA(fifo, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    port = CreateIoCompletionPort(file, NULL, 1, 1);
    CHECK(port != NULL);
    static char buffer[16];
    OVERLAPPED pending;
    memset(&pending, 0, sizeof(pending));
    CHECK(!ReadFile(file, buffer, sizeof(buffer), NULL, &pending));
    CHECK_ERROR(ERROR_IO_PENDING);

    HANDLE thread = CreateThread(NULL, 0, poster, NULL, 0, NULL);
    CHECK(thread != NULL);
    int lost = 0, wrong = 0;
    for (LONG i = 0; i < ROUNDS; ++i) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *overlapped = (OVERLAPPED *)1;
        /* A lost wake-up leaves the leader asleep in the engine until its time-out, with
         * the packet queued: the call then still succeeds, late. */
        ULONGLONG start = GetTickCount64();
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 3000);
        ULONGLONG took = GetTickCount64() - start;
        if (!ok || took >= 2000) {
            lost++;
            printf("round %ld: the packet came after %llu ms (%s)\n", (long)i, (unsigned long long)took,
                   ok ? "at the time-out" : "not at all");
            if (!ok) break;
        }
        if (bytes != (DWORD)i || key != 7 || overlapped != NULL) wrong++;
        InterlockedExchange(&consumed, i + 1);
    }
    CHECK_EQ(lost, 0);
    CHECK_EQ(wrong, 0);
    if (lost == 0) CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(file); /* ends the pending read */
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 5000);
    CHECK(!ok && overlapped == &pending);
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CloseHandle(port);
    unlink(fifo);
    return tl_finish();
}
