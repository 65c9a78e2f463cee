/* test_fast_close_race.c: CloseHandle racing transfers of the fast I/O path (a read or
 * write finished in the calling thread, src/io/request.cpp). Such a transfer runs its
 * system call without the device's lock; the device and its descriptor must outlive it
 * even when another thread closes the last handle meanwhile. Here the closing thread
 * opens a new file or pipe at once, which takes the recycled device object and, most
 * often, the same descriptor number: a transfer that ran on the old handle after its
 * descriptor was closed would read the new file's bytes or write into the new pipe.
 * Every read must give the old file's bytes or fail as a closed handle does
 * (ERROR_INVALID_HANDLE; a write may also find its pipe end closing: ERROR_NO_DATA), and
 * nothing written to the old pipe may reach the new one.
 *
 * Linux-side: on Windows a closed handle's value can be handed out again at once, so a
 * racing call there may legitimately reach the new object; here stale handles never do
 * (tests/linux/test_handle_generations.c). */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 150
#define BLOCK 4096
#define MESSAGE 64

static HANDLE target;
static volatile LONG started, stop;
static LONG wrong_bytes, wrong_error, transfers;

/* Reads block after block of `target` (a file of 'A's) until a read fails. */
static DWORD WINAPI reader(LPVOID unused)
{
    (void)unused;
    static char buffer[BLOCK];
    OVERLAPPED ov;
    for (unsigned i = 0;; ++i) {
        memset(&ov, 0, sizeof(ov));
        ov.Offset = (i % 16) * BLOCK;
        memset(buffer, 0, sizeof(buffer));
        DWORD bytes = 0;
        BOOL ok = ReadFile(target, buffer, BLOCK, &bytes, &ov);
        if (!ok && GetLastError() == ERROR_IO_PENDING) {
            /* Not cached after all: wait for it (a close cancels it). */
            for (int wait = 0; wait < 5000 && !HasOverlappedIoCompleted(&ov); ++wait) Sleep(1);
            ok = ov.Internal == 0;
            bytes = (DWORD)ov.InternalHigh;
            if (!ok) break; /* cancelled by the close */
        } else if (!ok) {
            if (GetLastError() != ERROR_INVALID_HANDLE) InterlockedIncrement(&wrong_error);
            break;
        }
        InterlockedIncrement(&transfers);
        if (i == 0) InterlockedExchange(&started, 1);
        if (bytes != BLOCK || buffer[0] != 'A' || buffer[BLOCK - 1] != 'A') InterlockedIncrement(&wrong_bytes);
    }
    InterlockedExchange(&started, 1);
    return 0;
}

/* Writes 'A' messages to `target` (a pipe's client end) until a write fails or pends. */
static DWORD WINAPI writer(LPVOID unused)
{
    (void)unused;
    char message[MESSAGE];
    memset(message, 'A', sizeof(message));
    OVERLAPPED ov;
    for (int i = 0; i < 400 && !tl_load(&stop); ++i) {
        memset(&ov, 0, sizeof(ov));
        DWORD bytes = 0;
        BOOL ok = WriteFile(target, message, MESSAGE, &bytes, &ov);
        if (!ok && GetLastError() == ERROR_IO_PENDING) {
            for (int wait = 0; wait < 5000 && !HasOverlappedIoCompleted(&ov); ++wait) Sleep(1);
            break;
        }
        if (!ok) {
            /* A write that finds the end closing fails as Windows' STATUS_PIPE_CLOSING does. */
            DWORD error = GetLastError();
            if (error != ERROR_INVALID_HANDLE && error != ERROR_NO_DATA) {
                printf("write: error %lu\n", (unsigned long)error);
                InterlockedIncrement(&wrong_error);
            }
            break;
        }
        InterlockedIncrement(&transfers);
        if (i == 0) InterlockedExchange(&started, 1);
    }
    InterlockedExchange(&started, 1);
    return 0;
}

static void make_file(const char *path, char fill)
{
    static char block[BLOCK];
    memset(block, fill, sizeof(block));
    HANDLE file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    for (int i = 0; i < 16; ++i) {
        DWORD written;
        CHECK(WriteFile(file, block, BLOCK, &written, NULL) && written == BLOCK);
    }
    CloseHandle(file);
}

static HANDLE open_file(const char *path)
{
    return CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
}

/* A pause of a few microseconds that differs from round to round. */
static void spin(int round)
{
    volatile int sink = 0;
    for (int i = 0; i < (round * 37) % 2000; ++i) sink += i;
}

static void test_reads(void)
{
    char old_path[64], new_path[64];
    snprintf(old_path, sizeof(old_path), "ovl-fastclose-a-%d", (int)getpid());
    snprintf(new_path, sizeof(new_path), "ovl-fastclose-b-%d", (int)getpid());
    make_file(old_path, 'A');
    make_file(new_path, 'B');
    for (int round = 0; round < ROUNDS; ++round) {
        target = open_file(old_path);
        CHECK(target != INVALID_HANDLE_VALUE);
        tl_store(&started, 0);
        HANDLE thread = CreateThread(NULL, 0, reader, NULL, 0, NULL);
        while (!tl_load(&started)) SwitchToThread();
        spin(round);
        CHECK(CloseHandle(target));
        HANDLE others[4];
        for (int i = 0; i < 4; ++i) others[i] = open_file(new_path); /* the recycled device, descriptor */
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CloseHandle(thread);
        for (int i = 0; i < 4; ++i) CloseHandle(others[i]);
    }
    printf("reads: %ld\n", (long)transfers);
    CHECK_EQ(wrong_bytes, 0);
    CHECK_EQ(wrong_error, 0);
    DeleteFileA(old_path);
    DeleteFileA(new_path);
}

static void make_pipe(const char *name, HANDLE *server, HANDLE *client)
{
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                               PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 65536, 65536, 0, NULL);
    CHECK(*server != INVALID_HANDLE_VALUE);
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(*client != INVALID_HANDLE_VALUE);
}

/* Messages waiting on `server`'s end (a peek; 0 if none). */
static DWORD waiting(HANDLE server)
{
    DWORD available = 0;
    if (!PeekNamedPipe(server, NULL, 0, NULL, &available, NULL)) return 0;
    return available;
}

static void test_writes(void)
{
    char old_name[64], new_name[64];
    snprintf(old_name, sizeof(old_name), "\\\\.\\pipe\\ovl-fastclose-a-%d", (int)getpid());
    snprintf(new_name, sizeof(new_name), "\\\\.\\pipe\\ovl-fastclose-b-%d", (int)getpid());
    LONG leaked = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        HANDLE old_server, new_server, new_client;
        make_pipe(old_name, &old_server, &target);
        tl_store(&started, 0);
        tl_store(&stop, 0);
        HANDLE thread = CreateThread(NULL, 0, writer, NULL, 0, NULL);
        while (!tl_load(&started)) SwitchToThread();
        spin(round);
        CHECK(CloseHandle(target));
        make_pipe(new_name, &new_server, &new_client); /* the recycled device, descriptor */
        tl_store(&stop, 1);
        CHECK_EQ(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
        CloseHandle(thread);
        if (waiting(new_server) != 0) ++leaked;
        /* What the old pipe got is whole messages of 'A'. */
        char message[MESSAGE + 1];
        for (;;) {
            OVERLAPPED ov;
            memset(&ov, 0, sizeof(ov));
            DWORD bytes = 0;
            if (waiting(old_server) == 0) break;
            BOOL ok = ReadFile(old_server, message, sizeof(message), &bytes, &ov);
            if (!ok && GetLastError() == ERROR_IO_PENDING) ok = GetOverlappedResult(old_server, &ov, &bytes, TRUE);
            if (!ok) break;
            if (bytes != MESSAGE || message[0] != 'A' || message[MESSAGE - 1] != 'A') InterlockedIncrement(&wrong_bytes);
        }
        CloseHandle(new_client);
        CloseHandle(new_server);
        CloseHandle(old_server);
    }
    printf("writes: %ld\n", (long)transfers);
    CHECK_EQ(leaked, 0);
    CHECK_EQ(wrong_bytes, 0);
    CHECK_EQ(wrong_error, 0);
}

int main(void)
{
    test_reads();
    transfers = 0;
    test_writes();
    return tl_finish();
}
