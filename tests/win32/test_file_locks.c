/* test_file_locks.c: byte-range locks: LockFile, LockFileEx, UnlockFile, UnlockFileEx.
 *
 * Covers: the lock package's rules on one handle and between two (exclusive locks overlap
 * nothing, shared ones overlap shared ones and their own handle's exclusive lock, an
 * unlock names a lock's exact range and takes the exclusive one first, zero-length locks,
 * offsets up to 2^64), the errors (ERROR_LOCK_VIOLATION, ERROR_NOT_LOCKED,
 * ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED), reads and writes of locked bytes through
 * other handles (ERROR_LOCK_VIOLATION), a LockFileEx that waits: on a synchronous handle
 * in its thread, on an overlapped handle as a request (ERROR_IO_PENDING, then the event,
 * the completion port, CancelIoEx), the close of a handle releasing its locks, and locks
 * held by another process (started with CreateProcess: "child <file>"). Facts: Wine's
 * kernel32 file test (test_LockFile, which passes on Windows) and Microsoft Learn's
 * LockFileEx page. Every wait is bounded. */
#include "testlib.h"

#define WAIT_MS 10000

static char self_path[MAX_PATH];
static char file_path[MAX_PATH + 64];

static HANDLE open_file(DWORD access, DWORD flags)
{
    return CreateFileA(file_path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, flags, NULL);
}

static BOOL lock_ex(HANDLE file, DWORD flags, DWORD offset, DWORD length)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Offset = offset;
    return LockFileEx(file, flags, 0, length, 0, &ov);
}

static BOOL unlock_ex(HANDLE file, DWORD offset, DWORD length)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Offset = offset;
    return UnlockFileEx(file, 0, length, 0, &ov);
}

static void test_rules(void)
{
    HANDLE file, other;

    TEST("one handle: exclusive locks overlap nothing, unlocks name exact ranges");
    file = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    other = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(file != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    CHECK(LockFile(file, 0, 0, 0, 0));
    CHECK(UnlockFile(file, 0, 0, 0, 0));
    SetLastError(0xdeadbeef);
    CHECK(!UnlockFile(file, 0, 0, 0, 0));
    WINE_DEVIATION("Wine 8 answers an unlock of a range not locked with ERROR_LOCK_VIOLATION") {
        CHECK_ERROR(ERROR_NOT_LOCKED);
    }
    CHECK(LockFile(file, 10, 0, 20, 0));
    SetLastError(0xdeadbeef);
    CHECK(!LockFile(file, 12, 0, 10, 0));  /* inside */
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(!LockFile(file, 5, 0, 6, 0));    /* across the start */
    CHECK(LockFile(file, 5, 0, 5, 0));     /* just before */
    CHECK(!UnlockFile(file, 10, 0, 10, 0));  /* part of a lock */
    CHECK(UnlockFile(file, 10, 0, 20, 0));
    CHECK(!UnlockFile(file, 10, 0, 20, 0));
    CHECK(UnlockFile(file, 5, 0, 5, 0));

    TEST("shared locks overlap shared ones; an exclusive lock does not");
    CHECK(lock_ex(file, 0, 100, 100));
    CHECK(lock_ex(file, 0, 100, 100));  /* the same range twice: two locks */
    CHECK(lock_ex(file, 0, 150, 100));
    CHECK(lock_ex(other, LOCKFILE_FAIL_IMMEDIATELY, 120, 10));  /* another handle's shared lock */
    SetLastError(0xdeadbeef);
    CHECK(!lock_ex(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 150, 50));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(unlock_ex(file, 150, 100));
    CHECK(unlock_ex(file, 100, 100));
    CHECK(unlock_ex(file, 100, 100));
    CHECK(!unlock_ex(file, 100, 100));
    CHECK(unlock_ex(other, 120, 10));

    TEST("a shared lock may overlap its own handle's exclusive lock; the unlock takes the exclusive one first");
    CHECK(lock_ex(file, LOCKFILE_EXCLUSIVE_LOCK, 300, 100));
    SetLastError(0xdeadbeef);
    CHECK(!lock_ex(other, LOCKFILE_FAIL_IMMEDIATELY, 300, 100));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(lock_ex(file, LOCKFILE_FAIL_IMMEDIATELY, 300, 100));
    CHECK(unlock_ex(file, 300, 100));
    CHECK(lock_ex(other, LOCKFILE_FAIL_IMMEDIATELY, 300, 100));  /* only shared locks are left */
    CHECK(unlock_ex(other, 300, 100));
    CHECK(unlock_ex(file, 300, 100));

    TEST("offsets up to 2^64");
    CHECK(LockFile(file, 0, 0x10000000, 0, 0xf0000000));  /* 2^60 to the end of the 64-bit range */
    CHECK(!LockFile(file, ~0u, ~0u, 1, 0));
    CHECK(!LockFile(other, 0, 0x20000000, 20, 0));
    CHECK(UnlockFile(file, 0, 0x10000000, 0, 0xf0000000));
    CHECK(LockFile(file, ~0u, ~0u, 1, 0));  /* the last byte */
    CHECK(UnlockFile(file, ~0u, ~0u, 1, 0));
    /* A range that wraps past 2^64 locks nothing (the last byte stays free). */
    WINE_DEVIATION("Wine 8 makes a lock of a range that wraps past 2^64") {
        CHECK(!LockFile(file, 0, 0x10000000, 0, 0xf0000001));
        CHECK(LockFile(other, ~0u, ~0u, 1, 0));
        CHECK(UnlockFile(other, ~0u, ~0u, 1, 0));
    }

    TEST("a zero-length lock is the point at its offset");
    CHECK(LockFile(file, 100, 0, 0, 0));
    CHECK(!LockFile(file, 98, 0, 4, 0));
    CHECK(LockFile(file, 90, 0, 10, 0));
    WINE_DEVIATION("Wine 8 lets a lock start at a zero-length lock's offset") {
        CHECK(!LockFile(file, 100, 0, 10, 0));
        CHECK(UnlockFile(file, 90, 0, 10, 0));
        SetLastError(0xdeadbeef);
        CHECK(!UnlockFile(file, 100, 0, 10, 0));
        CHECK_ERROR(ERROR_NOT_LOCKED);
    }
    if (tl_under_wine()) {
        UnlockFile(file, 90, 0, 10, 0);
        UnlockFile(file, 100, 0, 10, 0);
    }
    CHECK(UnlockFile(file, 100, 0, 0, 0));

    TEST("arguments: dwReserved, a handle that neither reads nor writes");
    {
        OVERLAPPED ov;
        HANDLE attributes_only = open_file(FILE_READ_ATTRIBUTES, 0);
        CHECK(attributes_only != INVALID_HANDLE_VALUE);
        memset(&ov, 0, sizeof ov);
        SetLastError(0xdeadbeef);
        CHECK(!LockFileEx(file, LOCKFILE_FAIL_IMMEDIATELY, 1, 10, 0, &ov));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        WINE_DEVIATION("Wine 8 locks through a handle that neither reads nor writes") {
            SetLastError(0xdeadbeef);
            CHECK(!LockFile(attributes_only, 0, 0, 10, 0));
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        CloseHandle(attributes_only);
    }

    TEST("the close of a handle releases its locks");
    CHECK(LockFile(file, 0, 0, 50, 0));
    CHECK(!LockFile(other, 10, 0, 10, 0));
    CHECK(CloseHandle(file));
    CHECK(LockFile(other, 10, 0, 10, 0));
    CHECK(UnlockFile(other, 10, 0, 10, 0));
    CHECK(CloseHandle(other));
}

static void transfers_refused(void)
{
    HANDLE file, other;
    char buffer[64];
    DWORD done = 0;

    file = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    other = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(file != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    memset(buffer, 'x', sizeof buffer);
    CHECK(WriteFile(file, buffer, sizeof buffer, &done, NULL));
    CHECK(LockFile(file, 16, 0, 16, 0));
    /* The owner reads and writes its exclusive range. */
    CHECK(SetFilePointer(file, 16, NULL, FILE_BEGIN) == 16);
    CHECK(WriteFile(file, "owner", 5, &done, NULL));
    CHECK(SetFilePointer(file, 16, NULL, FILE_BEGIN) == 16);
    CHECK(ReadFile(file, buffer, 5, &done, NULL));
    CHECK_EQ(done, 5);
    /* Another handle: neither, where the lock is; elsewhere both. */
    CHECK(SetFilePointer(other, 20, NULL, FILE_BEGIN) == 20);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(other, buffer, 4, &done, NULL));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(SetFilePointer(other, 10, NULL, FILE_BEGIN) == 10);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(other, "across16", 8, &done, NULL));  /* bytes 10-17 */
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(SetFilePointer(other, 0, NULL, FILE_BEGIN) == 0);
    CHECK(ReadFile(other, buffer, 16, &done, NULL));
    CHECK_EQ(done, 16);
    CHECK(UnlockFile(file, 16, 0, 16, 0));
    CHECK(SetFilePointer(other, 16, NULL, FILE_BEGIN) == 16);
    CHECK(ReadFile(other, buffer, 5, &done, NULL));
    CHECK(memcmp(buffer, "owner", 5) == 0);

    /* A shared lock: everyone reads, nobody writes, its owner neither (Microsoft Learn,
     * LockFileEx). */
    CHECK(lock_ex(file, LOCKFILE_FAIL_IMMEDIATELY, 32, 16));
    CHECK(SetFilePointer(other, 32, NULL, FILE_BEGIN) == 32);
    CHECK(ReadFile(other, buffer, 8, &done, NULL));
    CHECK_EQ(done, 8);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(other, "no", 2, &done, NULL));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(SetFilePointer(file, 40, NULL, FILE_BEGIN) == 40);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(file, "no", 2, &done, NULL));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(unlock_ex(file, 32, 16));
    CHECK(CloseHandle(file));
    CHECK(CloseHandle(other));
}

static void test_transfers(void)
{
    TEST("reads and writes of locked bytes through another handle: ERROR_LOCK_VIOLATION");
    WINE_DEVIATION("Wine 8 does not refuse reads and writes of locked bytes") { transfers_refused(); }
}

struct lock_args {
    HANDLE file;
    DWORD offset, length, flags;
    volatile LONG result;
    volatile LONG error;
};

static DWORD WINAPI lock_main(LPVOID arg)
{
    struct lock_args *a = (struct lock_args *)arg;
    BOOL ok = lock_ex(a->file, a->flags, a->offset, a->length);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->result, ok);
    return 0;
}

/* Starts a thread taking an exclusive lock of `length` bytes at `offset` through `file`
 * (a synchronous handle), and checks that it waits. */
static HANDLE start_waiting_lock(struct lock_args *args, HANDLE file, DWORD offset, DWORD length)
{
    HANDLE thread;
    memset(args, 0, sizeof *args);
    args->file = file;
    args->offset = offset;
    args->length = length;
    args->flags = LOCKFILE_EXCLUSIVE_LOCK;
    thread = CreateThread(NULL, 0, lock_main, args, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    return thread;
}

static void test_waiting(void)
{
    HANDLE file, other, thread, event, port;
    struct lock_args args;
    OVERLAPPED ov, *got = NULL;
    DWORD done = 0;
    ULONG_PTR key = 0;

    TEST("a LockFileEx that waits on a synchronous handle: granted when the other handle unlocks");
    file = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    other = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(file != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    CHECK(LockFile(file, 0, 0, 100, 0));
    thread = start_waiting_lock(&args, other, 50, 10);
    CHECK(UnlockFile(file, 0, 0, 100, 0));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    CHECK(!LockFile(file, 55, 0, 1, 0));
    CHECK(UnlockFile(other, 50, 0, 10, 0));
    CHECK(CloseHandle(file));
    CHECK(CloseHandle(other));

    TEST("on an overlapped handle: TRUE at once when free, else ERROR_IO_PENDING until granted");
    file = open_file(GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
    other = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(file != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    ov.Offset = 10;
    CHECK(LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, 0, &ov));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CHECK(!LockFile(other, 15, 0, 1, 0));
    CHECK(unlock_ex(file, 10, 10));
    CHECK(LockFile(other, 0, 0, 100, 0));
    WINE_DEVIATION("Wine 8 never completes a LockFileEx that pends on an overlapped handle") {
        memset(&ov, 0, sizeof ov);
        ov.hEvent = event;
        ov.Offset = 90;
        ResetEvent(event);
        SetLastError(0xdeadbeef);
        CHECK(!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, 20, 0, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK_EQ(WaitForSingleObject(event, 100), WAIT_TIMEOUT);
        SetLastError(0xdeadbeef);
        CHECK(!GetOverlappedResult(file, &ov, &done, FALSE));
        CHECK_ERROR(ERROR_IO_INCOMPLETE);
        CHECK(UnlockFile(other, 0, 0, 100, 0));
        CHECK(GetOverlappedResultEx(file, &ov, &done, WAIT_MS, FALSE));
        CHECK_EQ(done, 0);
        CHECK(!LockFile(other, 95, 0, 1, 0));
        CHECK(unlock_ex(file, 90, 20));

        TEST("a pending lock through a completion port, and one cancelled");
        port = CreateIoCompletionPort(file, NULL, 42, 1);
        CHECK(port != NULL);
        CHECK(LockFile(other, 0, 0, 100, 0));
        memset(&ov, 0, sizeof ov);
        ov.Offset = 50;
        CHECK(!LockFileEx(file, 0, 0, 10, 0, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(!GetQueuedCompletionStatus(port, &done, &key, &got, 100));
        CHECK_ERROR(WAIT_TIMEOUT);
        CHECK(UnlockFile(other, 0, 0, 100, 0));
        CHECK(GetQueuedCompletionStatus(port, &done, &key, &got, WAIT_MS));
        CHECK(got == &ov);
        CHECK_EQ(key, 42);
        CHECK(unlock_ex(file, 50, 10));
        CHECK(LockFile(other, 0, 0, 100, 0));
        memset(&ov, 0, sizeof ov);
        ov.Offset = 60;
        CHECK(!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, 0, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(CancelIoEx(file, &ov));
        SetLastError(0xdeadbeef);
        CHECK(!GetQueuedCompletionStatus(port, &done, &key, &got, WAIT_MS));
        CHECK_ERROR(ERROR_OPERATION_ABORTED);
        CHECK(got == &ov);
        CHECK(UnlockFile(other, 0, 0, 100, 0));
        CHECK(LockFile(other, 60, 0, 10, 0));  /* the cancelled request holds nothing */
        CHECK(UnlockFile(other, 60, 0, 10, 0));
        /* A refusal at once (LOCKFILE_FAIL_IMMEDIATELY) queues nothing. */
        CHECK(LockFile(other, 0, 0, 100, 0));
        memset(&ov, 0, sizeof ov);
        SetLastError(0xdeadbeef);
        CHECK(!LockFileEx(file, LOCKFILE_FAIL_IMMEDIATELY, 0, 10, 0, &ov));
        CHECK_ERROR(ERROR_LOCK_VIOLATION);
        CHECK(!GetQueuedCompletionStatus(port, &done, &key, &got, 0));
        CHECK_ERROR(WAIT_TIMEOUT);
        CHECK(UnlockFile(other, 0, 0, 100, 0));
        CloseHandle(port);
    }
    if (tl_under_wine()) UnlockFile(other, 0, 0, 100, 0);
    CloseHandle(event);
    CHECK(CloseHandle(file));
    CHECK(CloseHandle(other));
}

/* The child: locks bytes 0-99, says so with "<file>.ready", holds the lock until the
 * parent removes that file, and exits without unlocking. */
static int run_child(const char *path)
{
    char ready[MAX_PATH + 80];
    HANDLE file, marker;
    int i;
    strcpy(file_path, path);
    file = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    if (file == INVALID_HANDLE_VALUE || !LockFile(file, 0, 0, 100, 0)) return 2;
    snprintf(ready, sizeof ready, "%s.ready", path);
    marker = CreateFileA(ready, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (marker == INVALID_HANDLE_VALUE) return 3;
    CloseHandle(marker);
    for (i = 0; i < 1000 && GetFileAttributesA(ready) != INVALID_FILE_ATTRIBUTES; ++i) Sleep(10);
    return 0;
}

static void test_other_process(void)
{
    char line[3 * MAX_PATH + 256], ready[MAX_PATH + 80];
    STARTUPINFOA startup;
    PROCESS_INFORMATION info;
    HANDLE file, thread;
    struct lock_args args;
    DWORD code = 99;
    int i;

    TEST("locks of another process: refused at once, granted to a waiter when that process exits");
    snprintf(ready, sizeof ready, "%s.ready", file_path);
    DeleteFileA(ready);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child \"%s\"", self_path, file_path);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info));
    for (i = 0; i < 1000 && GetFileAttributesA(ready) == INVALID_FILE_ATTRIBUTES; ++i) Sleep(10);
    CHECK(GetFileAttributesA(ready) != INVALID_FILE_ATTRIBUTES);
    file = open_file(GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!LockFile(file, 50, 0, 10, 0));
    CHECK_ERROR(ERROR_LOCK_VIOLATION);
    CHECK(!lock_ex(file, LOCKFILE_FAIL_IMMEDIATELY, 99, 1));  /* a shared lock too */
    CHECK(LockFile(file, 100, 0, 10, 0));  /* past the child's range */
    CHECK(UnlockFile(file, 100, 0, 10, 0));
    thread = start_waiting_lock(&args, file, 0, 200);
    CHECK(DeleteFileA(ready));  /* the child exits, and its lock goes */
    CHECK_EQ(WaitForSingleObject(info.hProcess, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(info.hProcess, &code));
    CHECK_EQ(code, 0);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    CloseHandle(info.hProcess);
    CloseHandle(info.hThread);
    CHECK(UnlockFile(file, 0, 0, 200, 0));
    CHECK(CloseHandle(file));
}

int main(int argc, char **argv)
{
    char directory[MAX_PATH];
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argv[2]);
    CHECK(GetModuleFileNameA(NULL, self_path, sizeof self_path) > 0);
    CHECK(GetTempPathA(sizeof directory, directory) > 0);
    snprintf(file_path, sizeof file_path, "%soverlapped_locks_%lu.dat", directory, (unsigned long)GetCurrentProcessId());
    test_rules();
    test_transfers();
    test_waiting();
    test_other_process();
    DeleteFileA(file_path);
    return tl_finish();
}
