/* test_engine.c: the engine in use is the one the environment asks for (or, with none
 * asked, io_uring exactly where the kernel allows it), and either engine keeps serving
 * requests while many others stay blocked. Linux-side: engines are ours. */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <overlapped/overlapped.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BLOCKED 600 /* more than the fallback pool has threads and the io_uring ring has room for */
#define READS 64

/* Whether this process may set up an io_uring, asked of the kernel directly. */
static int kernel_allows_io_uring(void)
{
    unsigned char params[120];
    memset(params, 0, sizeof(params));
    long fd = syscall(425 /* io_uring_setup */, 4, params);
    if (fd < 0) return 0;
    close((int)fd);
    return 1;
}

static void check_selection(void)
{
    const char *engine = overlapped_engine();
    const char *asked = getenv("OVERLAPPED_ENGINE");
    printf("engine: %s (OVERLAPPED_ENGINE=%s, kernel allows io_uring: %s)\n", engine ? engine : "none",
           asked ? asked : "unset", kernel_allows_io_uring() ? "yes" : "no");
    if (asked != NULL && strcmp(asked, "fallback") == 0) {
        CHECK(engine != NULL && strcmp(engine, "fallback") == 0);
    } else if (asked != NULL && strcmp(asked, "uring") == 0) {
        if (kernel_allows_io_uring())
            CHECK(engine != NULL && strcmp(engine, "io_uring") == 0);
        else
            CHECK(engine == NULL);
    } else {
        CHECK(engine != NULL && strcmp(engine, kernel_allows_io_uring() ? "io_uring" : "fallback") == 0);
    }
}

/* OVERLAPPED_FALLBACK_POOL_ONLY=1: the fallback runs every operation in its pool. */
static int pool_only(void)
{
    const char *value = getenv("OVERLAPPED_FALLBACK_POOL_ONLY");
    const char *engine = overlapped_engine();
    return value != NULL && strcmp(value, "1") == 0 && engine != NULL && strcmp(engine, "fallback") == 0;
}

/* Threads of this process. */
static int thread_count(void)
{
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL) return -1;
    int count = 0;
    for (struct dirent *entry; (entry = readdir(tasks)) != NULL;) count += entry->d_name[0] != '.';
    closedir(tasks);
    return count;
}

/* BLOCKED reads on a FIFO nobody writes to stay pending (in the reactor or the ring, or,
 * with the pool only, blocking pool threads); meanwhile reads of a file on the
 * same port complete; then closing the FIFO delivers each blocked read once, aborted. */
static void check_blocked_requests(void)
{
    char fifo_path[64], file_path[64];
    snprintf(fifo_path, sizeof(fifo_path), "/tmp/ovl-engine-fifo-%d", (int)getpid());
    snprintf(file_path, sizeof(file_path), "/tmp/ovl-engine-file-%d", (int)getpid());
    unlink(fifo_path);
    CHECK_EQ(mkfifo(fifo_path, 0600), 0);
    HANDLE fifo = CreateFileA(fifo_path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(fifo != INVALID_HANDLE_VALUE);
    HANDLE file = CreateFileA(file_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (fifo == INVALID_HANDLE_VALUE || file == INVALID_HANDLE_VALUE) return;
    HANDLE port = CreateIoCompletionPort(fifo, NULL, 1, 0);
    CHECK(CreateIoCompletionPort(file, port, 2, 0) == port);

    static OVERLAPPED blocked[BLOCKED];
    static char blocked_buffers[BLOCKED][16];
    int pending = 0;
    for (int i = 0; i < BLOCKED; ++i) {
        memset(&blocked[i], 0, sizeof(blocked[i]));
        if (!ReadFile(fifo, blocked_buffers[i], sizeof(blocked_buffers[i]), NULL, &blocked[i]) &&
            GetLastError() == ERROR_IO_PENDING)
            pending++;
    }
    CHECK_EQ(pending, BLOCKED);
    if (pool_only()) {
        /* The reads really block threads of the pool: half of its threads (32 at least). */
        int threads = 0;
        for (int tries = 0; tries < 500 && (threads = thread_count()) < 32; ++tries) usleep(10 * 1000);
        printf("pool only: %d threads with %d reads of a FIFO blocked\n", threads, BLOCKED);
        CHECK(threads >= 32);
    }

    static char block[4096];
    for (int i = 0; i < 16; ++i) {
        memset(block, 'a' + i, sizeof(block));
        OVERLAPPED write;
        memset(&write, 0, sizeof(write));
        write.Offset = (DWORD)(i * sizeof(block));
        HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
        write.hEvent = (HANDLE)((ULONG_PTR)event | 1); /* no packet for the writes */
        BOOL ok = WriteFile(file, block, sizeof(block), NULL, &write);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        DWORD bytes = 0;
        CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
        CHECK(GetOverlappedResult(file, &write, &bytes, FALSE));
        CHECK_EQ(bytes, sizeof(block));
        CloseHandle(event);
    }
    static OVERLAPPED reads[READS];
    static char buffers[READS][4096];
    for (int i = 0; i < READS; ++i) {
        memset(&reads[i], 0, sizeof(reads[i]));
        reads[i].Offset = (DWORD)((i % 16) * 4096);
        BOOL ok = ReadFile(file, buffers[i], 4096, NULL, &reads[i]);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    }
    int file_done = 0, wrong = 0;
    while (file_done < READS) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *done = NULL;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000)) break;
        if (key != 2 || done < reads || done >= reads + READS) {
            wrong++;
            continue;
        }
        int i = (int)(done - reads);
        if (bytes != 4096 || buffers[i][0] != 'a' + i % 16 || buffers[i][4095] != 'a' + i % 16) wrong++;
        file_done++;
    }
    CHECK_EQ(file_done, READS);
    CHECK_EQ(wrong, 0);

    CloseHandle(fifo); /* cancels the blocked reads */
    int seen[BLOCKED] = {0};
    int aborted = 0;
    for (int n = 0; n < BLOCKED; ++n) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *done = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
        if (done == NULL) break;
        if (done >= blocked && done < blocked + BLOCKED) seen[done - blocked]++;
        if (!ok && GetLastError() == ERROR_OPERATION_ABORTED && key == 1) aborted++;
    }
    CHECK_EQ(aborted, BLOCKED);
    int once = 0;
    for (int i = 0; i < BLOCKED; ++i) once += seen[i] == 1;
    CHECK_EQ(once, BLOCKED);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *extra = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &extra, 50) && extra == NULL);
    CloseHandle(file);
    CloseHandle(port);
    unlink(fifo_path);
}

/* Unbuffered reads issued by a port's own thread (which the engines start together, at
 * its next wait), half of them cancelled at once: each is delivered once, the cancelled
 * ones completed or aborted, the others completed with the right data. */
static void check_deferred_unbuffered_reads(void)
{
    enum { COUNT = 32, SIZE = 4096 };
    char path[64];
    snprintf(path, sizeof(path), "ovl-engine-direct-%d.dat", (int)getpid()); /* a disk, not /tmp */
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (file == INVALID_HANDLE_VALUE) return;
    unsigned char *buffers = VirtualAlloc(NULL, (SIZE_T)COUNT * SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    CHECK(buffers != NULL);
    if (buffers == NULL) return;
    static OVERLAPPED requests[COUNT];
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (int i = 0; i < COUNT; ++i) { /* block i is filled with i + 1 */
        memset(buffers + (size_t)i * SIZE, i + 1, SIZE);
        memset(&requests[i], 0, sizeof(requests[i]));
        requests[i].Offset = (DWORD)i * SIZE;
        requests[i].hEvent = event;
        ResetEvent(event);
        BOOL ok = WriteFile(file, buffers + (size_t)i * SIZE, SIZE, NULL, &requests[i]);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        DWORD bytes = 0;
        CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
        CHECK(GetOverlappedResult(file, &requests[i], &bytes, FALSE) && bytes == SIZE);
    }
    CloseHandle(event);
    memset(buffers, 0, (size_t)COUNT * SIZE);

    HANDLE port = CreateIoCompletionPort(file, NULL, 5, 0);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *done;
    CHECK(PostQueuedCompletionStatus(port, 0, 9, NULL));
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 1000) && key == 9); /* now the port's thread */
    for (int i = 0; i < COUNT; ++i) {
        memset(&requests[i], 0, sizeof(requests[i]));
        requests[i].Offset = (DWORD)(COUNT - 1 - i) * SIZE;
        BOOL ok = ReadFile(file, buffers + (size_t)i * SIZE, SIZE, NULL, &requests[i]);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    }
    for (int i = 0; i < COUNT; i += 2) {
        BOOL ok = CancelIoEx(file, &requests[i]);
        CHECK(ok || GetLastError() == ERROR_NOT_FOUND); /* not found: it completed first */
    }
    int seen[COUNT] = {0};
    int right = 0, aborted = 0;
    for (int n = 0; n < COUNT; ++n) {
        done = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
        if (done == NULL) break;
        int i = (int)(done - requests);
        CHECK(key == 5 && i >= 0 && i < COUNT);
        if (i < 0 || i >= COUNT) continue;
        seen[i]++;
        if (ok) {
            unsigned char want = (unsigned char)(COUNT - i);
            right += bytes == SIZE && buffers[(size_t)i * SIZE] == want && buffers[(size_t)i * SIZE + SIZE - 1] == want;
        } else {
            CHECK(i % 2 == 0 && GetLastError() == ERROR_OPERATION_ABORTED);
            aborted++;
        }
    }
    int once = 0;
    for (int i = 0; i < COUNT; ++i) once += seen[i] == 1;
    printf("deferred unbuffered reads: %d completed, %d aborted\n", right, aborted);
    CHECK_EQ(once, COUNT);
    CHECK_EQ(right + aborted, COUNT);
    done = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 50) && done == NULL);
    CloseHandle(file);
    CloseHandle(port);
    VirtualFree(buffers, 0, MEM_RELEASE);
}

/* The fallback engine: writes issued one after another, each waited for, keep the pool at
 * the threads it has. The thread that finished one write is about to take the next: the
 * pool must not make a thread for each write that is issued while that thread is still
 * handing its result back. */
static void check_pool_threads_for_serial_requests(void)
{
    const char *engine = overlapped_engine();
    if (engine == NULL || strcmp(engine, "fallback") != 0) return;
    enum { WARM_UP = 20, COUNT = 2000 };
    char path[64];
    snprintf(path, sizeof(path), "/tmp/ovl-engine-serial-%d", (int)getpid());
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (file == INVALID_HANDLE_VALUE) return;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static char block[512];
    int before = 0, failed = 0;
    for (int i = 0; i < WARM_UP + COUNT; ++i) {
        if (i == WARM_UP) before = thread_count();
        OVERLAPPED write;
        memset(&write, 0, sizeof(write));
        write.hEvent = event;
        ResetEvent(event);
        DWORD bytes = 0;
        if (!WriteFile(file, block, sizeof(block), NULL, &write) && GetLastError() != ERROR_IO_PENDING) {
            failed++;
            continue;
        }
        if (!GetOverlappedResult(file, &write, &bytes, TRUE) || bytes != sizeof(block)) failed++;
    }
    int after = thread_count();
    printf("serial writes on the fallback: %d threads before, %d after %d writes\n", before, after, COUNT);
    CHECK_EQ(failed, 0);
    CHECK(after <= before + 2);
    CloseHandle(event);
    CloseHandle(file);
}

int main(void)
{
    check_selection();
    if (overlapped_engine() != NULL) check_blocked_requests(); /* else nothing can run */
    if (overlapped_engine() != NULL) check_deferred_unbuffered_reads();
    check_pool_threads_for_serial_requests();
    return tl_finish();
}
