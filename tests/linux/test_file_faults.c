/* test_file_faults.c: overlapped file requests when things go wrong: a full file system,
 * a file removed under an open handle, requests that stay pending (reads of an empty
 * FIFO) cancelled by CancelIoEx, CloseHandle, the issuing thread's exit and
 * CancelSynchronousIo, and a closed descriptor number reused by a new handle.
 * Linux-side: it needs FIFOs, /dev/full and (when allowed) a small tmpfs. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[128];

static void path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* A FIFO opened for reading and writing: reads pend until data is written. */
static HANDLE open_fifo(const char *name, DWORD flags)
{
    char path[256];
    path_in_dir(path, sizeof(path), name);
    unlink(path);
    if (mkfifo(path, 0600) != 0) return INVALID_HANDLE_VALUE;
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       flags, NULL);
}

static void test_disk_full_device(void)
{
    TEST("a write to /dev/full fails with ERROR_DISK_FULL, synchronous and overlapped");
    HANDLE file = CreateFileA("/dev/full", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                              NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    char data[512] = {1};
    DWORD written = 1234;
    CHECK(!WriteFile(file, data, sizeof(data), &written, NULL));
    CHECK_ERROR(ERROR_DISK_FULL);
    CHECK_EQ(written, 0);
    CloseHandle(file);

    file = CreateFileA("/dev/full", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = WriteFile(file, data, sizeof(data), NULL, &overlapped);
    CHECK(!ok);
    if (!ok && GetLastError() == ERROR_IO_PENDING) {
        DWORD bytes = 99;
        CHECK(!GetOverlappedResult(file, &overlapped, &bytes, TRUE));
        CHECK_ERROR(ERROR_DISK_FULL);
        CHECK_EQ(bytes, 0);
        CHECK_EQ(overlapped.Internal, STATUS_DISK_FULL);
    }
    CloseHandle(overlapped.hEvent);
    CloseHandle(file);
}

static void test_disk_full_tmpfs(void)
{
    TEST("a full file system: ERROR_DISK_FULL with the partial count, earlier data kept");
    char mount_point[256];
    path_in_dir(mount_point, sizeof(mount_point), "small");
    mkdir(mount_point, 0700);
    if (mount("tmpfs", mount_point, "tmpfs", 0, "size=256k") != 0) {
        printf("SKIP cannot mount a tmpfs here (%s); /dev/full covers ERROR_DISK_FULL\n", strerror(errno));
        tl_skipped++;
        rmdir(mount_point);
        return;
    }
    char path[300];
    snprintf(path, sizeof(path), "%s/f", mount_point);
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE port = CreateIoCompletionPort(file, NULL, 7, 0);
    CHECK(port != NULL);
    static char first[128 * 1024], second[256 * 1024];
    memset(first, 'a', sizeof(first));
    memset(second, 'b', sizeof(second));
    OVERLAPPED one, two;
    memset(&one, 0, sizeof(one));
    memset(&two, 0, sizeof(two));
    BOOL ok = WriteFile(file, first, sizeof(first), NULL, &one);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *done;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK(done == &one);
    CHECK_EQ(bytes, sizeof(first));

    two.Offset = sizeof(first);
    ok = WriteFile(file, second, sizeof(second), NULL, &two);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
    CHECK(!ok);
    CHECK_ERROR(ERROR_DISK_FULL);
    CHECK(done == &two);
    CHECK(bytes < sizeof(second));
    CHECK_EQ(two.InternalHigh, bytes);

    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, sizeof(first) + bytes);

    /* What was written before is intact. */
    static char check[128 * 1024];
    OVERLAPPED back;
    memset(&back, 0, sizeof(back));
    ok = ReadFile(file, check, sizeof(check), NULL, &back);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK_EQ(bytes, sizeof(check));
    CHECK(memcmp(check, first, sizeof(check)) == 0);

    CloseHandle(file);
    CloseHandle(port);
    DeleteFileA(path);
    umount(mount_point);
    rmdir(mount_point);
}

static void test_removed_under_handle(void)
{
    TEST("a file removed under an open handle stays readable through it");
    char path[256];
    path_in_dir(path, sizeof(path), "removed");
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                              CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD bytes;
    BOOL ok = WriteFile(file, "hello", 5, NULL, &overlapped);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetOverlappedResult(file, &overlapped, &bytes, TRUE));
    CHECK(DeleteFileA(path));
    CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    char buffer[8] = {0};
    memset(&overlapped, 0, sizeof(overlapped) - sizeof(HANDLE));
    ok = ReadFile(file, buffer, sizeof(buffer), NULL, &overlapped);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetOverlappedResult(file, &overlapped, &bytes, TRUE));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);
    CloseHandle(overlapped.hEvent);
    CloseHandle(file);
}

static void test_cancel_pending(void)
{
    TEST("CancelIoEx ends a pending read once, with ERROR_OPERATION_ABORTED; the other stays");
    HANDLE fifo = open_fifo("cancel", FILE_FLAG_OVERLAPPED);
    CHECK(fifo != INVALID_HANDLE_VALUE);
    OVERLAPPED a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    b.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer_a[4], buffer_b[4];
    CHECK(!ReadFile(fifo, buffer_a, sizeof(buffer_a), NULL, &a));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(!ReadFile(fifo, buffer_b, sizeof(buffer_b), NULL, &b));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(a.Internal, STATUS_PENDING);
    DWORD bytes = 77;
    CHECK(!GetOverlappedResult(fifo, &a, &bytes, FALSE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    CHECK_EQ(WaitForSingleObject(fifo, 0), WAIT_TIMEOUT); /* the device is reset while requests run */

    CHECK(CancelIoEx(fifo, &a));
    CHECK_EQ(WaitForSingleObject(a.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(!GetOverlappedResult(fifo, &a, &bytes, TRUE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK_EQ(a.Internal, STATUS_CANCELLED);
    CHECK_EQ(bytes, 0);
    CHECK(!CancelIoEx(fifo, &a));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK_EQ(WaitForSingleObject(b.hEvent, 50), WAIT_TIMEOUT);
    CHECK_EQ(b.Internal, STATUS_PENDING);

    /* The other read still completes with data. */
    DWORD written;
    OVERLAPPED w;
    memset(&w, 0, sizeof(w));
    w.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = WriteFile(fifo, "abcd", 4, NULL, &w);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetOverlappedResult(fifo, &w, &written, TRUE));
    CHECK(GetOverlappedResult(fifo, &b, &bytes, TRUE));
    CHECK_EQ(bytes, 4);
    CHECK(memcmp(buffer_b, "abcd", 4) == 0);
    /* Every request had an event: their completions set the events, not the handle. */
    CHECK_EQ(WaitForSingleObject(fifo, 0), WAIT_TIMEOUT);

    CHECK(!CancelIoEx(fifo, NULL));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK(CancelIo(fifo));
    CloseHandle(a.hEvent);
    CloseHandle(b.hEvent);
    CloseHandle(w.hEvent);
    CloseHandle(fifo);
}

static void test_close_pending_and_reuse(void)
{
    TEST("CloseHandle cancels pending reads; a new handle never sees their completions");
    HANDLE fifo = open_fifo("close", FILE_FLAG_OVERLAPPED);
    CHECK(fifo != INVALID_HANDLE_VALUE);
    HANDLE port = CreateIoCompletionPort(fifo, NULL, 1, 0);
    CHECK(port != NULL);
    OVERLAPPED reads[8];
    char buffers[8][4];
    for (int i = 0; i < 8; ++i) {
        memset(&reads[i], 0, sizeof(reads[i]));
        CHECK(!ReadFile(fifo, buffers[i], 4, NULL, &reads[i]));
        CHECK_ERROR(ERROR_IO_PENDING);
    }
    CHECK(CloseHandle(fifo));

    /* A new file opened now may get the same descriptor number once the old one closes. */
    char path[256];
    path_in_dir(path, sizeof(path), "reuse");
    HANDLE other = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(other != INVALID_HANDLE_VALUE);
    HANDLE other_port = CreateIoCompletionPort(other, NULL, 2, 0);

    int seen[8] = {0};
    for (int n = 0; n < 8; ++n) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *done = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
        CHECK(!ok);
        CHECK_ERROR(ERROR_OPERATION_ABORTED);
        CHECK_EQ(key, 1);
        if (done >= reads && done < reads + 8) seen[done - reads]++;
    }
    for (int i = 0; i < 8; ++i) CHECK_EQ(seen[i], 1);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *done;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 50));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK(!GetQueuedCompletionStatus(other_port, &bytes, &key, &done, 50));
    CHECK_ERROR(WAIT_TIMEOUT);
    CloseHandle(other);
    CloseHandle(other_port);
    CloseHandle(port);
    DeleteFileA(path);
}

static HANDLE exit_fifo;
static OVERLAPPED exit_read;
static char exit_buffer[4];

static DWORD WINAPI issue_and_exit(LPVOID unused)
{
    (void)unused;
    BOOL ok = ReadFile(exit_fifo, exit_buffer, sizeof(exit_buffer), NULL, &exit_read);
    return !ok && GetLastError() == ERROR_IO_PENDING ? 0 : 1;
}

static void test_thread_exit(void)
{
    TEST("a thread's pending requests are cancelled when it exits (handle not bound to a port)");
    exit_fifo = open_fifo("exit", FILE_FLAG_OVERLAPPED);
    CHECK(exit_fifo != INVALID_HANDLE_VALUE);
    memset(&exit_read, 0, sizeof(exit_read));
    exit_read.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, issue_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    DWORD code = 1;
    GetExitCodeThread(thread, &code);
    CHECK_EQ(code, 0);
    CHECK_EQ(WaitForSingleObject(exit_read.hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes;
    CHECK(!GetOverlappedResult(exit_fifo, &exit_read, &bytes, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CloseHandle(thread);
    CloseHandle(exit_read.hEvent);
    CloseHandle(exit_fifo);

    TEST("... but not on a handle bound to a completion port");
    exit_fifo = open_fifo("exit-port", FILE_FLAG_OVERLAPPED);
    HANDLE port = CreateIoCompletionPort(exit_fifo, NULL, 5, 0);
    memset(&exit_read, 0, sizeof(exit_read));
    thread = CreateThread(NULL, 0, issue_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    ULONG_PTR key;
    OVERLAPPED *done;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 100));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK_EQ(exit_read.Internal, STATUS_PENDING);
    DWORD written;
    CHECK(WriteFile(exit_fifo, "wxyz", 4, &written, &(OVERLAPPED){0}) || GetLastError() == ERROR_IO_PENDING);
    /* Two packets: the read and the write. */
    int reads = 0;
    for (int i = 0; i < 2; ++i)
        if (GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000) && done == &exit_read && bytes == 4) reads++;
    CHECK_EQ(reads, 1);
    CHECK(memcmp(exit_buffer, "wxyz", 4) == 0);
    CloseHandle(thread);
    CloseHandle(exit_fifo);
    CloseHandle(port);
}

static HANDLE sync_fifo;
static volatile LONG sync_result = -1, sync_error;

static DWORD WINAPI blocking_reader(LPVOID unused)
{
    (void)unused;
    char buffer[4];
    DWORD bytes = 5;
    BOOL ok = ReadFile(sync_fifo, buffer, sizeof(buffer), &bytes, NULL);
    tl_store(&sync_error, (LONG)GetLastError());
    tl_store(&sync_result, ok);
    return 0;
}

static void test_cancel_synchronous(void)
{
    TEST("CancelSynchronousIo ends a blocked synchronous read with ERROR_OPERATION_ABORTED");
    CHECK(!CancelSynchronousIo(GetCurrentThread()));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK(!CancelSynchronousIo(NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    sync_fifo = open_fifo("sync", 0);
    CHECK(sync_fifo != INVALID_HANDLE_VALUE);
    HANDLE thread = CreateThread(NULL, 0, blocking_reader, NULL, 0, NULL);
    BOOL cancelled = FALSE;
    for (int i = 0; i < 500 && !cancelled; ++i) { /* until the thread is inside its read */
        Sleep(2);
        cancelled = CancelSynchronousIo(thread);
    }
    CHECK(cancelled);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&sync_result), 0);
    CHECK_EQ(tl_load(&sync_error), ERROR_OPERATION_ABORTED);
    CloseHandle(thread);
    CloseHandle(sync_fifo);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ovl-faults-%d", (int)getpid());
    mkdir(dir, 0700);
    test_disk_full_device();
    test_disk_full_tmpfs();
    test_removed_under_handle();
    test_cancel_pending();
    test_close_pending_and_reuse();
    test_thread_exit();
    test_cancel_synchronous();
    char command[200];
    snprintf(command, sizeof(command), "rm -rf %s", dir);
    if (system(command) != 0) printf("note: could not remove %s\n", dir);
    return tl_finish();
}
