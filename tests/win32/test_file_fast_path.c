/* test_file_fast_path.c: what an overlapped request that finishes at once looks like to
 * the program, by each way of learning of a completion. ReadFile returns TRUE with the
 * count filled in; OVERLAPPED.Internal/InternalHigh hold the status and count; the
 * OVERLAPPED's event is set, and the handle too unless FILE_SKIP_SET_EVENT_ON_HANDLE; a
 * packet still goes to the bound port unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (or the
 * event's low bit) keeps it off; ReadFileEx's routine is still queued as an APC and runs
 * only in an alertable wait; GetOverlappedResult(Ex) reads the result.
 *
 * Windows may pend any file request (Vista and later often pend even cached reads: Wine's
 * ntdll tests); Wine and this library finish a read of cached data at once. Each group of
 * checks below first gets a read that finished at once (the data was just read, so it is
 * cached) and, if the platform pends them all, says so and skips the group.
 * tests/linux/test_file_fast_path.c states when this library finishes at once. */
#include "testlib.h"

#define STATUS_PENDING_VALUE ((ULONG_PTR)0x103)
#define BLOCK 4096

static char path[MAX_PATH];
static char buffer[BLOCK];

static void make_overlapped(OVERLAPPED *ov, ULONGLONG offset, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->Offset = (DWORD)offset;
    ov->OffsetHigh = (DWORD)(offset >> 32);
    ov->hEvent = event;
    ov->Internal = (ULONG_PTR)0x5555; /* neither pending nor a result: the call writes both */
    ov->InternalHigh = 12345;
}

/* 8 blocks, block i filled with 'a' + i, written through a synchronous handle. */
static void write_test_file(void)
{
    HANDLE file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    for (int i = 0; i < 8; ++i) {
        memset(buffer, 'a' + i, BLOCK);
        DWORD written = 0;
        CHECK(WriteFile(file, buffer, BLOCK, &written, NULL));
        CHECK_EQ(written, BLOCK);
    }
    CloseHandle(file);
}

static HANDLE open_overlapped(DWORD access)
{
    HANDLE file = CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    return file;
}

/* Reads block `block` until a read finishes at once (at most 20 tries; a read that pends
 * is waited for). Returns TRUE with *bytes from ReadFile, or FALSE (and skips) if every
 * try pended. */
static int read_at_once(HANDLE file, OVERLAPPED *ov, HANDLE event, int block, DWORD *bytes)
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        make_overlapped(ov, (ULONGLONG)block * BLOCK, event);
        memset(buffer, 0, BLOCK);
        *bytes = 777;
        if (ReadFile(file, buffer, BLOCK, bytes, ov)) return 1;
        CHECK_ERROR(ERROR_IO_PENDING);
        DWORD ignored;
        CHECK(GetOverlappedResult(file, ov, &ignored, TRUE));
    }
    tl_skipped++;
    printf("SKIP: every read pended here (Windows may do that); nothing finished at once to check\n");
    return 0;
}

static void test_event_and_handle(void)
{
    TEST("finished at once: TRUE, the count, Internal/InternalHigh, the event set (not the handle)");
    HANDLE file = open_overlapped(GENERIC_READ);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    DWORD bytes;
    if (read_at_once(file, &ov, event, 2, &bytes)) {
        CHECK_EQ(GetLastError(), ERROR_SUCCESS);
        CHECK_EQ(bytes, BLOCK);
        CHECK(buffer[0] == 'c' && buffer[BLOCK - 1] == 'c');
        CHECK_EQ(ov.Internal, 0);
        CHECK_EQ(ov.InternalHigh, BLOCK);
        CHECK(HasOverlappedIoCompleted(&ov));
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
        /* The request had an event: only the event is set, the handle stays reset. */
        WINE_DEVIATION("Wine keeps file handles signalled whatever the notification modes")
        {
            CHECK_EQ(WaitForSingleObject(file, 0), WAIT_TIMEOUT);
        }
        DWORD result = 0;
        CHECK(GetOverlappedResult(file, &ov, &result, FALSE));
        CHECK_EQ(result, BLOCK);
        result = 0;
        CHECK(GetOverlappedResultEx(file, &ov, &result, 0, FALSE));
        CHECK_EQ(result, BLOCK);
    }
    /* No count pointer: allowed with an OVERLAPPED. */
    make_overlapped(&ov, 0, event);
    BOOL ok = ReadFile(file, buffer, BLOCK, NULL, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    DWORD result = 0;
    CHECK(GetOverlappedResult(file, &ov, &result, TRUE));
    CHECK_EQ(result, BLOCK);
    CloseHandle(event);
    CloseHandle(file);
}

static void test_skip_set_event_on_handle(void)
{
    TEST("FILE_SKIP_SET_EVENT_ON_HANDLE: the handle stays reset, the OVERLAPPED's event is set");
    HANDLE file = open_overlapped(GENERIC_READ);
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_SET_EVENT_ON_HANDLE));
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    DWORD bytes;
    if (read_at_once(file, &ov, event, 3, &bytes)) {
        CHECK_EQ(bytes, BLOCK);
        CHECK_EQ(ov.Internal, 0);
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
        WINE_DEVIATION("Wine keeps file handles signalled whatever the notification modes")
        {
            CHECK_EQ(WaitForSingleObject(file, 0), WAIT_TIMEOUT);
        }
    }
    CloseHandle(event);
    CloseHandle(file);
}

static void test_port(void)
{
    TEST("finished at once on a port: a packet, unless skipped on success or the event's low bit is set");
    HANDLE file = open_overlapped(GENERIC_READ);
    HANDLE port = CreateIoCompletionPort(file, NULL, 42, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    DWORD bytes, got;
    ULONG_PTR key;
    OVERLAPPED *done;
    int finished = read_at_once(file, &ov, NULL, 4, &bytes);
    /* Every try that pended has had its packet too: take them all. */
    int packets = 0;
    while (GetQueuedCompletionStatus(port, &got, &key, &done, 0)) {
        CHECK(done == &ov);
        CHECK_EQ(key, 42);
        CHECK_EQ(got, BLOCK);
        packets++;
    }
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    if (finished) CHECK(packets >= 1); /* the one that finished at once posted one as well */

    /* The event's low bit: the event is set, no packet. */
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    make_overlapped(&ov, 0, (HANDLE)((ULONG_PTR)event | 1));
    BOOL ok = ReadFile(file, buffer, BLOCK, &bytes, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    done = (OVERLAPPED *)1;
    CHECK(!GetQueuedCompletionStatus(port, &got, &key, &done, 100));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK(done == NULL);

    /* Skipped on success: nothing for a request that finished at once. */
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    int pended = 0, at_once = 0;
    for (int i = 0; i < 8; ++i) {
        make_overlapped(&ov, (ULONGLONG)(i % 8) * BLOCK, NULL);
        if (ReadFile(file, buffer, BLOCK, &bytes, &ov)) {
            at_once++;
            CHECK_EQ(bytes, BLOCK);
            CHECK_EQ(ov.Internal, 0);
            CHECK_EQ(ov.InternalHigh, BLOCK);
        } else {
            CHECK_ERROR(ERROR_IO_PENDING);
            pended++;
            CHECK(GetQueuedCompletionStatus(port, &got, &key, &done, 5000)); /* one that pends still posts */
            CHECK(done == &ov);
        }
    }
    done = (OVERLAPPED *)1;
    CHECK(!GetQueuedCompletionStatus(port, &got, &key, &done, 100));
    CHECK(done == NULL);
    printf("   %d of 8 finished at once, %d pended\n", at_once, pended);
    CloseHandle(event);
    CloseHandle(file);
    CloseHandle(port);
}

#ifndef FILE_SKIP_SET_USER_EVENT_ON_FAST_IO
#define FILE_SKIP_SET_USER_EVENT_ON_FAST_IO 0x4
#endif

/* The modes are bits of the file object that are only ever added: NT's
 * FileIoCompletionNotificationInformation takes any flags, FILE_SKIP_SET_USER_EVENT_ON_FAST_IO
 * and unknown bits included, and ORs in the ones it knows; 0 changes nothing (ntdll
 * test_file_completion_information, on Windows). */
static void test_modes_only_added(void)
{
    TEST("notification modes: FILE_SKIP_SET_USER_EVENT_ON_FAST_IO, unknown bits and 0 accepted; none removed");
    HANDLE file = open_overlapped(GENERIC_READ);
    HANDLE port = CreateIoCompletionPort(file, NULL, 9, 0);
    CHECK(port != NULL);
    SetLastError(0xdead);
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_SET_USER_EVENT_ON_FAST_IO));
    CHECK(SetFileCompletionNotificationModes(file, 0xf8));
    CHECK(SetFileCompletionNotificationModes(file, 0));
    CHECK_ERROR(0xdead);
    OVERLAPPED ov, *done;
    DWORD bytes, got;
    ULONG_PTR key;
    /* None of those added FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a read that finished at
     * once still posts its packet. */
    int finished = read_at_once(file, &ov, NULL, 2, &bytes);
    int packets = 0;
    while (GetQueuedCompletionStatus(port, &got, &key, &done, 0)) packets++;
    if (finished) CHECK(packets >= 1);

    /* Added now (among unknown bits), then "cleared" with 0: still skipping. */
    CHECK(SetFileCompletionNotificationModes(file, 0xf0 | FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    CHECK(SetFileCompletionNotificationModes(file, 0));
    finished = 0;
    for (int attempt = 0; attempt < 20 && !finished; ++attempt) {
        make_overlapped(&ov, 3 * BLOCK, NULL);
        if (ReadFile(file, buffer, BLOCK, &bytes, &ov)) {
            finished = 1;
        } else {
            CHECK_ERROR(ERROR_IO_PENDING);
            CHECK(GetQueuedCompletionStatus(port, &got, &key, &done, 5000)); /* one that pends posts */
        }
    }
    if (finished) {
        done = (OVERLAPPED *)1;
        CHECK(!GetQueuedCompletionStatus(port, &got, &key, &done, 100));
        CHECK_ERROR(WAIT_TIMEOUT);
        CHECK(done == NULL);
    } else {
        tl_skipped++;
        printf("SKIP: every read pended here\n");
    }
    CloseHandle(file);
    CloseHandle(port);
}

static int routine_calls;
static DWORD routine_error, routine_bytes;
static OVERLAPPED *routine_overlapped;

static void WINAPI on_read(DWORD error, DWORD bytes, OVERLAPPED *ov)
{
    routine_calls++;
    routine_error = error;
    routine_bytes = bytes;
    routine_overlapped = ov;
}

static void test_read_file_ex(void)
{
    TEST("ReadFileEx finished at once: the routine is queued, and runs only in an alertable wait");
    HANDLE file = open_overlapped(GENERIC_READ);
    OVERLAPPED ov;
    int checked = 0;
    for (int attempt = 0; attempt < 20 && !checked; ++attempt) {
        make_overlapped(&ov, 5 * BLOCK, NULL);
        routine_calls = 0;
        CHECK(ReadFileEx(file, buffer, BLOCK, &ov, on_read));
        if (ov.Internal != STATUS_PENDING_VALUE) {
            /* Finished in the call: the result is there, the routine has not run. */
            checked = 1;
            CHECK_EQ(ov.Internal, 0);
            CHECK_EQ(ov.InternalHigh, BLOCK);
            CHECK_EQ(routine_calls, 0);
            Sleep(10); /* not alertable */
            CHECK_EQ(routine_calls, 0);
        }
        CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
        CHECK_EQ(routine_calls, 1);
        CHECK_EQ(routine_error, ERROR_SUCCESS);
        CHECK_EQ(routine_bytes, BLOCK);
        CHECK(routine_overlapped == &ov);
        CHECK(buffer[0] == 'f');
    }
    if (!checked) {
        tl_skipped++;
        printf("SKIP: every ReadFileEx pended here\n");
    }
    CloseHandle(file);
}

static void test_writes(void)
{
    TEST("writes, over data and past the end: TRUE with the count, or pending; the same result");
    HANDLE file = open_overlapped(GENERIC_READ | GENERIC_WRITE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    ULONGLONG offsets[2] = {1 * BLOCK, 8 * BLOCK}; /* inside the file; extending it */
    for (int i = 0; i < 2; ++i) {
        memset(buffer, 'W' + i, BLOCK);
        make_overlapped(&ov, offsets[i], event);
        DWORD bytes = 777;
        if (WriteFile(file, buffer, BLOCK, &bytes, &ov)) {
            CHECK_EQ(bytes, BLOCK);
            CHECK_EQ(ov.Internal, 0);
            CHECK_EQ(ov.InternalHigh, BLOCK);
            CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
        } else {
            CHECK_ERROR(ERROR_IO_PENDING);
            CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
            CHECK_EQ(bytes, BLOCK);
        }
        make_overlapped(&ov, offsets[i], event);
        memset(buffer, 0, BLOCK);
        BOOL ok = ReadFile(file, buffer, BLOCK, NULL, &ov);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, BLOCK);
        CHECK(buffer[0] == 'W' + i && buffer[BLOCK - 1] == 'W' + i);
    }
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, 9 * BLOCK);
    CloseHandle(event);
    CloseHandle(file);
}

int main(void)
{
    /* In the current directory: the build tree is on a disk file system (the temporary
     * directory may be tmpfs, where this library's reads always pend). */
    snprintf(path, sizeof(path), "ovl-fast-path-%lu.dat", (unsigned long)GetCurrentProcessId());
    write_test_file();
    test_event_and_handle();
    test_skip_set_event_on_handle();
    test_port();
    test_modes_only_added();
    test_read_file_ex();
    test_writes();
    DeleteFileA(path);
    return tl_finish();
}
