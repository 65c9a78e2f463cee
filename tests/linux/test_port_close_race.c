/* test_port_close_race.c: closing a completion port while other threads post to it and
 * wait on it, round after round (the port's memory and handle slot are reused each
 * time). Every thread must end: waiters with ERROR_ABANDONED_WAIT_0 (closed while
 * waiting) or ERROR_INVALID_HANDLE (closed before they called), posters with
 * ERROR_INVALID_HANDLE; a stale handle must never reach the next round's port. */
#include "testlib.h"

#define GETTERS 3
#define POSTERS 2

static HANDLE port;
static volatile LONG unexpected_errors, stale_hits;

static DWORD WINAPI getter(LPVOID unused)
{
    (void)unused;
    HANDLE mine = port;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    for (;;) {
        if (GetQueuedCompletionStatus(mine, &bytes, &key, &overlapped, 2000)) continue;
        DWORD error = GetLastError();
        if (error == ERROR_ABANDONED_WAIT_0 || error == ERROR_INVALID_HANDLE) return 0;
        /* No packet for 2 s: on a machine loaded far beyond its processors the posters and
         * the closing thread may not run for that long. Not an error: wait again (a wait
         * the close never ends shows as a hung round). */
        if (error == WAIT_TIMEOUT) continue;
        InterlockedIncrement(&unexpected_errors);
        return 1;
    }
}

static DWORD WINAPI poster(LPVOID unused)
{
    (void)unused;
    HANDLE mine = port;
    for (;;) {
        if (PostQueuedCompletionStatus(mine, 1, 1, NULL)) continue;
        if (GetLastError() == ERROR_INVALID_HANDLE) return 0;
        InterlockedIncrement(&unexpected_errors);
        return 1;
    }
}

int main(void)
{
    const char *rounds_text = getenv("OVERLAPPED_RACE_ROUNDS");
    int rounds = rounds_text != NULL ? atoi(rounds_text) : 100;
    int hung = 0;
    HANDLE previous = NULL;
    TEST("close a port under posting and waiting threads, many rounds");
    for (int round = 0; round < rounds; ++round) {
        port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1 + round % 3);
        if (previous != NULL && previous != port) {
            /* last round's handle: closed, never this round's port */
            if (PostQueuedCompletionStatus(previous, 0, 0, NULL)) InterlockedIncrement(&stale_hits);
        }
        HANDLE threads[GETTERS + POSTERS];
        for (int i = 0; i < GETTERS; ++i) threads[i] = CreateThread(NULL, 0, getter, NULL, 0, NULL);
        for (int i = 0; i < POSTERS; ++i) threads[GETTERS + i] = CreateThread(NULL, 0, poster, NULL, 0, NULL);
        Sleep(round % 5);
        CloseHandle(port);
        if (WaitForMultipleObjects(GETTERS + POSTERS, threads, TRUE, 10000) != WAIT_OBJECT_0) hung++;
        for (int i = 0; i < GETTERS + POSTERS; ++i) CloseHandle(threads[i]);
        previous = port;
    }
    CHECK_EQ(hung, 0);
    CHECK_EQ(tl_load(&unexpected_errors), 0);
    CHECK_EQ(tl_load(&stale_hits), 0);
    return tl_finish();
}
