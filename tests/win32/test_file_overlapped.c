/* test_file_overlapped.c: overlapped file I/O. Results in OVERLAPPED (Internal is the
 * NTSTATUS, InternalHigh the bytes), 64-bit offsets, the end of the file, the four ways
 * of learning of a completion (the handle, an event, an APC, a completion port),
 * notification modes, the access CreateFile adds (SYNCHRONIZE), GetOverlappedResult(Ex),
 * cancellation when nothing is pending, the special offsets (the end of the file, the
 * file pointer) and other refusals, FILE_FLAG_NO_BUFFERING's alignment rules,
 * scatter/gather, what GetOverlappedResult reads, reads at the end of the file by each
 * way of learning of them, handles that may only append, unbuffered reads across the end,
 * reads still under way when the handle is closed.
 *
 * Windows may complete a file request at once (TRUE) or later (FALSE with
 * ERROR_IO_PENDING); Wine completes them at once, our library later. Every check accepts
 * both where Windows allows both. */
#include "testlib.h"

#define STATUS_PENDING_VALUE ((ULONG_PTR)0x103)
#define STATUS_END_OF_FILE_VALUE ((ULONG_PTR)0xC0000011)
#define BLOCK 4096

static char dir[2 * MAX_PATH];
static char path[MAX_PATH];

static int started(BOOL ok) { return ok || GetLastError() == ERROR_IO_PENDING; }

static void make_overlapped(OVERLAPPED *ov, ULONGLONG offset, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->Offset = (DWORD)offset;
    ov->OffsetHigh = (DWORD)(offset >> 32);
    ov->hEvent = event;
}

/* The file: 16 blocks, block i filled with 'A' + i. */
static HANDLE create_test_file(DWORD flags)
{
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, FILE_FLAG_OVERLAPPED | flags, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    char *block = VirtualAlloc(NULL, BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (int i = 0; i < 16; ++i) {
        memset(block, 'A' + i, BLOCK);
        OVERLAPPED ov;
        make_overlapped(&ov, (ULONGLONG)i * BLOCK, event);
        CHECK(started(WriteFile(file, block, BLOCK, NULL, &ov)));
        DWORD bytes = 0;
        CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, BLOCK);
        CHECK_EQ(ov.Internal, 0);
        CHECK_EQ(ov.InternalHigh, BLOCK);
    }
    CloseHandle(event);
    VirtualFree(block, 0, MEM_RELEASE);
    return file;
}

static void test_results_and_offsets(void)
{
    TEST("results in OVERLAPPED, the file pointer, offsets past 4 GiB");
    HANDLE file = create_test_file(0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static char buffer[BLOCK];
    OVERLAPPED ov;
    make_overlapped(&ov, 5 * BLOCK, event);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    CHECK(HasOverlappedIoCompleted(&ov));
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, BLOCK);
    CHECK(buffer[0] == 'F' && buffer[BLOCK - 1] == 'F');
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(file, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, BLOCK);
    /* Overlapped requests name their offset; the file pointer is not moved. */
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 0);

    /* 5 GiB + 1 block. */
    ULONGLONG beyond = 5ULL << 30;
    memset(buffer, 'z', BLOCK);
    make_overlapped(&ov, beyond, event);
    CHECK(started(WriteFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, BLOCK);
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, (LONGLONG)(beyond + BLOCK));
    memset(buffer, 0, BLOCK);
    make_overlapped(&ov, beyond, event);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK(bytes == BLOCK && buffer[0] == 'z' && buffer[BLOCK - 1] == 'z');
    /* And a block of the hole before it reads as zeros. */
    make_overlapped(&ov, beyond - BLOCK, event);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK(bytes == BLOCK && buffer[0] == 0 && buffer[BLOCK - 1] == 0);

    /* Past the end: ERROR_HANDLE_EOF, at once or from GetOverlappedResult. */
    make_overlapped(&ov, beyond + 2 * BLOCK, event);
    SetLastError(0xdead);
    BOOL ok = ReadFile(file, buffer, BLOCK, NULL, &ov);
    CHECK(!ok);
    DWORD error = GetLastError();
    CHECK(error == ERROR_HANDLE_EOF || error == ERROR_IO_PENDING);
    if (error == ERROR_IO_PENDING) {
        bytes = 99;
        CHECK(!GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_ERROR(ERROR_HANDLE_EOF);
        CHECK_EQ(bytes, 0);
    }
    CHECK_EQ(ov.Internal, STATUS_END_OF_FILE_VALUE);
    CHECK_EQ(ov.InternalHigh, 0);

    /* A read that reaches the end returns what there is. */
    make_overlapped(&ov, beyond + BLOCK / 2, event);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, BLOCK / 2);
    CloseHandle(event);
    CloseHandle(file);
}

static void test_handle_signalled(void)
{
    TEST("no event: the file handle is signalled");
    HANDLE file = create_test_file(0);
    static char buffer[BLOCK];
    OVERLAPPED ov;
    make_overlapped(&ov, 3 * BLOCK, NULL);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK_EQ(WaitForSingleObject(file, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK(bytes == BLOCK && buffer[0] == 'D');
    CloseHandle(file);
}

static void test_implicit_access(void)
{
    TEST("CreateFile adds SYNCHRONIZE and FILE_READ_ATTRIBUTES to the access asked for");
    CloseHandle(create_test_file(0));
    /* kernelbase's CreateFile asks for both whatever dwDesiredAccess says: a handle opened
     * for appending only can be waited on, so GetOverlappedResult with no event (which
     * waits on the handle) returns the write's result, and its times can be read. */
    HANDLE file = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    make_overlapped(&ov, 0, NULL);
    CHECK(started(WriteFile(file, "tail", 4, NULL, &ov)));
    DWORD bytes = 0;
    SetLastError(0xdeadbeef);
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 4);
    CHECK_EQ(WaitForSingleObject(file, 0), WAIT_OBJECT_0);
    FILETIME written;
    CHECK(GetFileTime(file, NULL, NULL, &written));
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size) && size.QuadPart == 16 * BLOCK + 4);
    CloseHandle(file);

    /* A synchronous handle with FILE_READ_DATA only is signalled after its read; one
     * with no access at all can still be waited on and read its times. */
    file = CreateFileA(path, FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    static char buffer[BLOCK];
    CHECK(ReadFile(file, buffer, BLOCK, &bytes, NULL) && bytes == BLOCK && buffer[0] == 'A');
    CHECK_EQ(WaitForSingleObject(file, 0), WAIT_OBJECT_0);
    CloseHandle(file);
    file = CreateFileA(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(file, 0), WAIT_OBJECT_0);
    CHECK(GetFileTime(file, NULL, NULL, &written));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(file, buffer, 1, &bytes, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);
}

static void test_event(void)
{
    TEST("the request's event");
    HANDLE file = create_test_file(0);
    HANDLE event = CreateEventA(NULL, TRUE, TRUE, NULL); /* set: the issue resets it */
    static char buffers[8][BLOCK];
    OVERLAPPED ov[8];
    HANDLE events[8];
    for (int i = 0; i < 8; ++i) {
        events[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
        make_overlapped(&ov[i], (ULONGLONG)(15 - i) * BLOCK, events[i]);
        CHECK(started(ReadFile(file, buffers[i], BLOCK, NULL, &ov[i])));
    }
    CHECK_EQ(WaitForMultipleObjects(8, events, TRUE, 5000), WAIT_OBJECT_0);
    for (int i = 0; i < 8; ++i) {
        DWORD bytes = 0;
        CHECK(GetOverlappedResult(file, &ov[i], &bytes, FALSE));
        CHECK(bytes == BLOCK && buffers[i][0] == 'A' + 15 - i);
        CloseHandle(events[i]);
    }
    CloseHandle(event);
    CloseHandle(file);
}

static OVERLAPPED *routine_ov;
static DWORD routine_error = 0xdead, routine_bytes, routine_calls;

static VOID WINAPI on_done(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
    routine_calls++;
}

static void test_apc(void)
{
    TEST("ReadFileEx / WriteFileEx: completion routines in alertable waits");
    HANDLE file = create_test_file(0);
    static char buffer[BLOCK];
    OVERLAPPED ov;
    make_overlapped(&ov, 7 * BLOCK, NULL);
    routine_calls = 0;
    CHECK(ReadFileEx(file, buffer, BLOCK, &ov, on_done));
    /* Not run outside an alertable wait. */
    CHECK_EQ(routine_calls, 0);
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_SUCCESS);
    CHECK_EQ(routine_bytes, BLOCK);
    CHECK(routine_ov == &ov);
    CHECK(buffer[0] == 'H');

    memset(buffer, 'w', BLOCK);
    make_overlapped(&ov, 16 * BLOCK, NULL);
    routine_calls = 0;
    CHECK(WriteFileEx(file, buffer, BLOCK, &ov, on_done));
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_SUCCESS);
    CHECK_EQ(routine_bytes, BLOCK);
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, 17 * BLOCK);

    /* At the end of the file: the read pends and its routine is told ERROR_HANDLE_EOF
     * with nothing read (Wine's ntdll read_file_test: on Windows since Vista an
     * overlapped NtReadFile at the end returns STATUS_PENDING, then its APC runs with
     * STATUS_END_OF_FILE). */
    make_overlapped(&ov, 17 * BLOCK, NULL);
    routine_calls = 0;
    routine_error = 0xdead;
    routine_bytes = 99;
    CHECK(ReadFileEx(file, buffer, BLOCK, &ov, on_done));
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_HANDLE_EOF);
    CHECK_EQ(routine_bytes, 0);
    CHECK(routine_ov == &ov);
    CHECK_EQ(ov.Internal, STATUS_END_OF_FILE_VALUE);
    CloseHandle(file);

    TEST("ReadFileEx / WriteFileEx on a handle without FILE_FLAG_OVERLAPPED: done at once, routine queued or not");
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                       NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    /* hEvent belongs to the caller with a routine: a value that is no event is fine. */
    make_overlapped(&ov, 2 * BLOCK, (HANDLE)(ULONG_PTR)0x1234);
    routine_calls = 0;
    memset(buffer, 0, BLOCK);
    CHECK(ReadFileEx(file, buffer, 100, &ov, on_done));
    CHECK(buffer[0] == 'C');
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 100);
    CHECK_EQ(routine_calls, 0);
    /* Windows queues the routine when the transfer went down to the file system, and not
     * when its cache served it in the call (fast I/O): Wine's ntdll read_file_test sees no
     * APC for a read of cached data through a synchronous handle on Windows (todo_wine:
     * Wine queues it, as this library always does). Either way, only in an alertable
     * wait, with the request's result. */
    DWORD slept = SleepEx(100, TRUE);
    CHECK(slept == WAIT_IO_COMPLETION || slept == 0);
    CHECK_EQ(routine_calls, slept == WAIT_IO_COMPLETION ? 1 : 0);
    if (routine_calls == 1) {
        CHECK_EQ(routine_error, ERROR_SUCCESS);
        CHECK_EQ(routine_bytes, 100);
        CHECK(routine_ov == &ov);
    }
    make_overlapped(&ov, 3 * BLOCK, NULL);
    routine_calls = 0;
    CHECK(WriteFileEx(file, "sync", 4, &ov, on_done));
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 4);
    slept = SleepEx(100, TRUE);
    CHECK(slept == WAIT_IO_COMPLETION || slept == 0);
    CHECK_EQ(routine_calls, slept == WAIT_IO_COMPLETION ? 1 : 0);
    if (routine_calls == 1) CHECK_EQ(routine_bytes, 4);
    /* A read at the end fails in the call itself; no routine follows. */
    make_overlapped(&ov, 40 * BLOCK, NULL);
    routine_calls = 0;
    SetLastError(0xdeadbeef);
    CHECK(!ReadFileEx(file, buffer, 100, &ov, on_done));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_EQ(routine_calls, 0);
    CloseHandle(file);
}

static void test_port(void)
{
    TEST("a completion port; FILE_SKIP_COMPLETION_PORT_ON_SUCCESS; hEvent's low bit");
    HANDLE file = create_test_file(0);
    HANDLE port = CreateIoCompletionPort(file, NULL, 77, 0);
    CHECK(port != NULL);
    static char buffers[4][BLOCK];
    OVERLAPPED ov[4];
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov[i], (ULONGLONG)i * BLOCK, NULL);
        CHECK(started(ReadFile(file, buffers[i], BLOCK, NULL, &ov[i])));
    }
    int seen[4] = {0, 0, 0, 0};
    for (int n = 0; n < 4; ++n) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *done = NULL;
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
        CHECK_EQ(key, 77);
        CHECK_EQ(bytes, BLOCK);
        if (done >= ov && done < ov + 4) {
            int i = (int)(done - ov);
            seen[i]++;
            CHECK(buffers[i][0] == 'A' + i);
        }
    }
    CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1);

    /* The low bit of hEvent: the event is set, no packet is queued. */
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    make_overlapped(&ov[0], 0, (HANDLE)((ULONG_PTR)event | 1));
    CHECK(started(ReadFile(file, buffers[0], BLOCK, NULL, &ov[0])));
    CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *done = (OVERLAPPED *)1;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 100));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK(done == NULL);
    /* The tagged value is still the event: the low two bits of a handle are the
     * program's, ignored by the object manager (OBJ_HANDLE_TAGBITS). */
    HANDLE tagged = ov[0].hEvent;
    CHECK_EQ(WaitForSingleObject(tagged, 0), WAIT_OBJECT_0);
    CHECK(ResetEvent(tagged));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    make_overlapped(&ov[0], BLOCK, tagged);
    CHECK(started(ReadFile(file, buffers[0], BLOCK, NULL, &ov[0])));
    CHECK_EQ(WaitForSingleObject(tagged, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(file, &ov[0], &bytes, TRUE));
    CHECK(bytes == BLOCK && buffers[0][0] == 'B');
    HANDLE twin;
    CHECK(DuplicateHandle(GetCurrentProcess(), (HANDLE)((ULONG_PTR)event | 3), GetCurrentProcess(), &twin, 0,
                          FALSE, DUPLICATE_SAME_ACCESS));
    CHECK_EQ(WaitForSingleObject(twin, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(twin));

    /* Skip the port on success: a request that completes at once queues nothing;
     * one that pends still does. */
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    int packets_expected = 0;
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov[i], (ULONGLONG)i * BLOCK, NULL);
        BOOL ok = ReadFile(file, buffers[i], BLOCK, NULL, &ov[i]);
        CHECK(started(ok));
        if (!ok) packets_expected++;
    }
    int packets = 0;
    while (GetQueuedCompletionStatus(port, &bytes, &key, &done, 200)) packets++;
    CHECK_EQ(packets, packets_expected);

    /* ReadFileEx is for handles without a port: NT refuses an APC routine for a file
     * object with a completion context (STATUS_INVALID_PARAMETER). */
    WINE_DEVIATION("Wine accepts ReadFileEx on a handle bound to a completion port")
    {
        SetLastError(0xdead);
        make_overlapped(&ov[0], 0, NULL);
        CHECK(!ReadFileEx(file, buffers[0], BLOCK, &ov[0], on_done));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CHECK(CloseHandle((HANDLE)((ULONG_PTR)event | 1)));
    CHECK(!CloseHandle(event));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(file);
    CloseHandle(port);

    /* The modes are for overlapped handles: the I/O manager refuses them on a synchronous
     * file object (STATUS_INVALID_PARAMETER), whatever the device. */
    {
        HANDLE sync = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        HANDLE reader, writer;
        CHECK(sync != INVALID_HANDLE_VALUE);
        SetLastError(0xdead);
        CHECK(!SetFileCompletionNotificationModes(sync, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdead);
        CHECK(!SetFileCompletionNotificationModes(sync, FILE_SKIP_SET_EVENT_ON_HANDLE));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CloseHandle(sync);
        CHECK(CreatePipe(&reader, &writer, NULL, 0));
        SetLastError(0xdead);
        CHECK(!SetFileCompletionNotificationModes(reader, FILE_SKIP_SET_EVENT_ON_HANDLE));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CloseHandle(reader);
        CloseHandle(writer);
    }
}

static LONG user_apc_calls;

static VOID CALLBACK count_user_apc(ULONG_PTR parameter)
{
    (void)parameter;
    user_apc_calls++;
}

static void test_get_overlapped_result(void)
{
    TEST("GetOverlappedResult(Ex) on a request still pending; CancelIo with nothing pending");
    HANDLE file = create_test_file(0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    /* What a pending request looks like to these functions: Internal is STATUS_PENDING. */
    OVERLAPPED ov;
    make_overlapped(&ov, 0, event);
    ov.Internal = STATUS_PENDING_VALUE;
    DWORD bytes = 99;
    SetLastError(0xdead);
    CHECK(!GetOverlappedResult(file, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    CHECK(!HasOverlappedIoCompleted(&ov));
    SetLastError(0xdead);
    CHECK(!GetOverlappedResultEx(file, &ov, &bytes, 0, FALSE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    SetLastError(0xdead);
    CHECK(!GetOverlappedResultEx(file, &ov, &bytes, 50, FALSE));
    CHECK_ERROR(WAIT_TIMEOUT);
    /* Alertable (Microsoft Learn, GetOverlappedResultEx): an APC queued to the thread
     * ends the wait with WAIT_IO_COMPLETION after running; a wait that is not alertable
     * leaves it queued and times out; with no time to wait there is no wait at all, and
     * the APC stays queued. */
    user_apc_calls = 0;
    CHECK(QueueUserAPC(count_user_apc, GetCurrentThread(), 0));
    DWORD before = GetTickCount();
    SetLastError(0xdead);
    CHECK(!GetOverlappedResultEx(file, &ov, &bytes, 5000, TRUE));
    CHECK_ERROR(WAIT_IO_COMPLETION);
    CHECK_EQ(user_apc_calls, 1);
    CHECK(GetTickCount() - before < 4000);
    CHECK(QueueUserAPC(count_user_apc, GetCurrentThread(), 0));
    SetLastError(0xdead);
    CHECK(!GetOverlappedResultEx(file, &ov, &bytes, 50, FALSE));
    CHECK_ERROR(WAIT_TIMEOUT);
    SetLastError(0xdead);
    CHECK(!GetOverlappedResultEx(file, &ov, &bytes, 0, TRUE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    CHECK_EQ(user_apc_calls, 1);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(user_apc_calls, 2);

    WINE_DEVIATION("Wine's CancelIoEx(handle, NULL) succeeds with nothing to cancel")
    {
        SetLastError(0xdead);
        CHECK(!CancelIoEx(file, NULL));
        CHECK_ERROR(ERROR_NOT_FOUND);
    }
    SetLastError(0xdead);
    CHECK(!CancelIoEx(file, &ov));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK(CancelIo(file));

    /* A request completed before its cancellation is delivered as completed. */
    static char buffer[BLOCK];
    make_overlapped(&ov, 2 * BLOCK, event);
    CHECK(started(ReadFile(file, buffer, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK(!CancelIoEx(file, &ov));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK(GetOverlappedResult(file, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, BLOCK);
    CloseHandle(event);
    CloseHandle(file);
}

/* One event reused for request after request, the usual shape of a Windows loop. Windows
 * writes a request's result and sets its event together, in the issuing thread's context,
 * so the issuer never sees the result before the set: a wait for the next request is
 * never satisfied by the last one's set, and a ResetEvent made after the result was seen
 * stays made. Each write has its own length, so a wait that ended early shows as a wrong
 * count or a status still pending. */
static void test_event_reused_at_once(void)
{
    TEST("one event reused at once: each wait ends with its own request, a reset stays");
    HANDLE file = create_test_file(0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static char data[BLOCK];
    memset(data, 'r', sizeof(data));
    int early = 0, wrong_count = 0, failed = 0;
    for (int i = 0; i < 3000; ++i) {
        DWORD length = 1 + (DWORD)(i * 37) % BLOCK;
        OVERLAPPED ov;
        make_overlapped(&ov, (ULONGLONG)(i % 16) * BLOCK, event);
        DWORD bytes = 0;
        if (!started(WriteFile(file, data, length, NULL, &ov)) || !GetOverlappedResult(file, &ov, &bytes, TRUE)) {
            ++failed;
            continue;
        }
        if (ov.Internal == STATUS_PENDING_VALUE) ++early;
        if (bytes != length) ++wrong_count;
    }
    CHECK_EQ(failed, 0);
    CHECK_EQ(early, 0);
    CHECK_EQ(wrong_count, 0);

    /* The result seen by polling: the event is set by then (whether one waits for it
     * alone or among other handles); reset by hand, no set comes after. */
    HANDLE idle = CreateEventA(NULL, TRUE, FALSE, NULL);
    int set_after_reset = 0, never_done = 0, reset_failed = 0, not_set = 0;
    failed = 0;
    for (int i = 0; i < 2000; ++i) {
        OVERLAPPED ov;
        make_overlapped(&ov, (ULONGLONG)(i % 16) * BLOCK, event);
        if (!started(WriteFile(file, data, 512, NULL, &ov))) {
            ++failed;
            continue;
        }
        DWORD start = GetTickCount();
        while (!HasOverlappedIoCompleted(&ov) && GetTickCount() - start < 10000) Sleep(0);
        if (!HasOverlappedIoCompleted(&ov)) {
            ++never_done;
            break;
        }
        /* Every other round polls it among several handles: the same answer. */
        HANDLE both[2] = {idle, event};
        if (i % 2 ? WaitForMultipleObjects(2, both, FALSE, 0) != WAIT_OBJECT_0 + 1
                  : WaitForSingleObject(event, 0) != WAIT_OBJECT_0)
            ++not_set;
        if (!ResetEvent(event)) ++reset_failed;
        if (WaitForSingleObject(event, 0) != WAIT_TIMEOUT) ++set_after_reset;
    }
    CHECK_EQ(failed, 0);
    CHECK_EQ(never_done, 0);
    CHECK_EQ(reset_failed, 0);
    CHECK_EQ(not_set, 0);
    CHECK_EQ(set_after_reset, 0);
    CloseHandle(idle);
    CloseHandle(event);
    CloseHandle(file);
}

/* The whole file through a synchronous handle of its own; *size gets its length. */
static void read_whole(char *out, DWORD room, DWORD *size)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    *size = 0;
    CHECK(ReadFile(file, out, room, size, NULL));
    CloseHandle(file);
}

static void test_special_offsets(void)
{
    TEST("OVERLAPPED offsets past 2^63: the end of the file, the file pointer, refusals");
    static char data[64 * 100 + 64];
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    DWORD bytes, size;
    char buffer[64];

    /* An overlapped handle: 0xFFFFFFFF'FFFFFFFF writes at the end of the file and leaves
     * the file pointer alone. */
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    make_overlapped(&ov, 0, event);
    CHECK(started(WriteFile(file, "0123456789", 10, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(SetFilePointer(file, 2, NULL, FILE_BEGIN), 2);
    make_overlapped(&ov, ~0ULL, event);
    CHECK(started(WriteFile(file, "AB", 2, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 2);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 2);
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 12);
    CHECK(memcmp(data, "0123456789AB", 12) == 0);

    /* Any other such offset, and this one for a read, is refused at once: nothing is
     * delivered and the OVERLAPPED stays pending, as kernelbase marked it. The I/O
     * manager resets the event before it looks at the offset: an event set before the
     * call is found reset. */
    ULONGLONG refused[4] = {~0ULL, ~0ULL - 1, ~0ULL - 2, 1ULL << 63};
    for (int i = 0; i < 8; ++i) {
        BOOL write = i >= 4;
        if (write && i == 4) continue;  /* the end of the file: a write's */
        make_overlapped(&ov, refused[i % 4], event);
        ov.Internal = 0;
        SetEvent(event);
        SetLastError(0xdead);
        BOOL ok = write ? WriteFile(file, "xy", 2, NULL, &ov) : ReadFile(file, buffer, 2, NULL, &ov);
        CHECK(!ok);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(ov.Internal, STATUS_PENDING_VALUE);
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    }

    /* No buffer: a read is refused by the I/O manager's probe (ERROR_NOACCESS) before it
     * takes the event, which stays set; a write by the file system's copy
     * (ERROR_INVALID_USER_BUFFER), after the event's reset. */
    make_overlapped(&ov, 0, event);
    SetEvent(event);
    SetLastError(0xdead);
    CHECK(!ReadFile(file, NULL, 2, NULL, &ov));
    CHECK_ERROR(ERROR_NOACCESS);
    CHECK_EQ(ov.Internal, STATUS_PENDING_VALUE);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    make_overlapped(&ov, 0, event);
    SetLastError(0xdead);
    CHECK(!WriteFile(file, NULL, 2, NULL, &ov));
    CHECK_ERROR(ERROR_INVALID_USER_BUFFER);
    CHECK_EQ(ov.Internal, STATUS_PENDING_VALUE);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);

    /* A buffer that cannot be touched (a read's from its 9th byte on, a write's from its
     * first): the read is refused (ERROR_NOACCESS) and the write fails
     * (ERROR_INVALID_USER_BUFFER), at once or through the OVERLAPPED, with nothing
     * counted (Wine's kernel32 test_read_write). */
    char *pages = VirtualAlloc(NULL, 2 * BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old_protection;
    CHECK(VirtualProtect(pages + BLOCK, BLOCK, PAGE_NOACCESS, &old_protection));
    for (int write = 0; write < 2; ++write) {
        make_overlapped(&ov, 0, event);
        SetLastError(0xdead);
        BOOL ok = write ? WriteFile(file, pages + BLOCK, 12, NULL, &ov)
                        : ReadFile(file, pages + BLOCK - 8, 12, NULL, &ov);
        bytes = 99;
        if (!ok && GetLastError() == ERROR_IO_PENDING) {
            ok = GetOverlappedResult(file, &ov, &bytes, TRUE);
            CHECK_EQ(bytes, 0);
        }
        CHECK(!ok);
        CHECK_ERROR(write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS);
    }
    VirtualFree(pages, 0, MEM_RELEASE);

    /* Writes at the end issued together each land whole, one after another. */
    enum { COUNT = 64, SIZE = 100 };
    OVERLAPPED many[COUNT];
    for (int i = 0; i < COUNT; ++i) {
        memset(data + i * SIZE, 'a' + i % 26, SIZE);
        make_overlapped(&many[i], ~0ULL, NULL);
        many[i].hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        CHECK(started(WriteFile(file, data + i * SIZE, SIZE, NULL, &many[i])));
    }
    int short_count = 0;
    for (int i = 0; i < COUNT; ++i) {
        if (!GetOverlappedResult(file, &many[i], &bytes, TRUE) || bytes != SIZE) short_count++;
        CloseHandle(many[i].hEvent);
    }
    CHECK_EQ(short_count, 0);
    CloseHandle(file);
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 12 + COUNT * SIZE);
    int torn = 0, letters[26] = {0};
    for (int i = 0; i < COUNT; ++i) {
        const char *piece = data + 12 + i * SIZE;
        for (int j = 1; j < SIZE; ++j)
            if (piece[j] != piece[0]) torn++;
        if (piece[0] >= 'a' && piece[0] <= 'z') letters[piece[0] - 'a']++;
    }
    CHECK_EQ(torn, 0);
    for (int i = 0; i < 26; ++i) CHECK_EQ(letters[i], COUNT / 26 + (i < COUNT % 26));

    /* A handle without FILE_FLAG_OVERLAPPED: 0xFFFFFFFF'FFFFFFFF appends and leaves the
     * pointer at the new end; 0xFFFFFFFF'FFFFFFFE uses the file pointer, for reads and
     * writes, and a read there at the end fails with ERROR_HANDLE_EOF. */
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS,
                       0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(file, "0123456789", 10, &bytes, NULL));
    CHECK_EQ(SetFilePointer(file, 2, NULL, FILE_BEGIN), 2);
    make_overlapped(&ov, ~0ULL, event);
    bytes = 0;
    CHECK(WriteFile(file, "AB", 2, &bytes, &ov));
    CHECK_EQ(bytes, 2);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 2);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 12);
    CHECK_EQ(SetFilePointer(file, 2, NULL, FILE_BEGIN), 2);
    make_overlapped(&ov, ~0ULL - 1, event);
    CHECK(WriteFile(file, "cd", 2, &bytes, &ov));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 4);
    make_overlapped(&ov, ~0ULL - 1, event);
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(file, buffer, 3, &bytes, &ov));
    CHECK_EQ(bytes, 3);
    CHECK(memcmp(buffer, "456", 3) == 0);
    CHECK_EQ(ov.InternalHigh, 3);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 7);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_END), 12);
    make_overlapped(&ov, ~0ULL - 1, event);
    bytes = 99;
    CHECK(!ReadFile(file, buffer, 3, &bytes, &ov));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CHECK_EQ(bytes, 0);
    CHECK_EQ(ov.Internal, STATUS_END_OF_FILE_VALUE);
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov, i == 0 ? ~0ULL : ~0ULL - 2 - i, event);
        ov.Internal = 0;
        SetEvent(event);
        SetLastError(0xdead);
        BOOL ok = i == 0 ? ReadFile(file, buffer, 2, &bytes, &ov) : WriteFile(file, "xy", 2, &bytes, &ov);
        CHECK(!ok);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(ov.Internal, STATUS_PENDING_VALUE);
        CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    }
    CloseHandle(file);
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 12);
    CHECK(memcmp(data, "01cd456789AB", 12) == 0);
    CloseHandle(event);
}

/* GetOverlappedResult reads the OVERLAPPED it is given: with a result in it, the handle is
 * not looked at (0 will do); the count is InternalHigh whatever the status; a request
 * still marked pending whose event is already set is taken as done (kernel32's own test
 * test_overlapped, which passes on Windows). A ReadFile that pends sets the count it was
 * given to 0 (kernel32 test_overlapped_read). */
static void test_result_fields(void)
{
    TEST("GetOverlappedResult reads the OVERLAPPED; a pending ReadFile's count is 0");
    OVERLAPPED ov;
    DWORD bytes;
    memset(&ov, 0, sizeof(ov));
    ov.InternalHigh = 0xabcd;
    bytes = 0;
    CHECK(GetOverlappedResult(NULL, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 0xabcd);
    ov.Internal = 0xC0000008; /* STATUS_INVALID_HANDLE */
    bytes = 0;
    SetLastError(0xb00);
    CHECK(!GetOverlappedResult(NULL, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(bytes, 0xabcd);
    ov.Internal = STATUS_END_OF_FILE_VALUE;
    ov.InternalHigh = 0;
    bytes = 77;
    SetLastError(0xb00);
    CHECK(!GetOverlappedResult(NULL, &ov, &bytes, TRUE));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CHECK_EQ(bytes, 0);
    /* Pending, its event set: the wait ends at once and the request reads as a success. */
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    ov.Internal = STATUS_PENDING_VALUE;
    ov.InternalHigh = 0xabcd;
    SetLastError(0xb00);
    CHECK(!GetOverlappedResult(NULL, &ov, &bytes, FALSE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    bytes = 0;
    CHECK(GetOverlappedResult(NULL, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 0xabcd);
    CHECK_EQ(ov.Internal, STATUS_PENDING_VALUE);
    bytes = 0;
    CHECK(GetOverlappedResultEx(NULL, &ov, &bytes, 100, FALSE));
    CHECK_EQ(bytes, 0xabcd);
    CloseHandle(ov.hEvent);

    HANDLE file = create_test_file(0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static char buffer[BLOCK];
    make_overlapped(&ov, 2 * BLOCK, event);
    bytes = 0xffffffff;
    if (ReadFile(file, buffer, BLOCK, &bytes, &ov)) {
        CHECK_EQ(bytes, BLOCK);
    } else {
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK_EQ(bytes, 0);
        CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, BLOCK);
    }
    /* At the end: the count is 0 however the read ends. */
    make_overlapped(&ov, 16 * BLOCK, event);
    bytes = 0xffffffff;
    SetLastError(0xdead);
    CHECK(!ReadFile(file, buffer, BLOCK, &bytes, &ov));
    CHECK(GetLastError() == ERROR_HANDLE_EOF || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(bytes, 0);
    CHECK(!GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_ERROR(ERROR_HANDLE_EOF);

    /* Nothing to move: a read or write of 0 bytes succeeds with 0, inside the file or past
     * its end, which it does not extend (the file systems return before they look at the
     * end of the file: FastFat's FatCommonRead and FatCommonWrite; Wine agrees). */
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov, i & 1 ? 100 * BLOCK : BLOCK, event);
        SetLastError(0xdead);
        BOOL ok = i < 2 ? ReadFile(file, buffer, 0, NULL, &ov) : WriteFile(file, buffer, 0, NULL, &ov);
        CHECK(started(ok));
        bytes = 99;
        CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, 0);
        CHECK_EQ(ov.Internal, 0);
    }
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, 16 * BLOCK);
    CloseHandle(event);
    CloseHandle(file);
}

/* A read at the end of the file on each kind of handle: the event is set either way
 * (ntdll's read_file_test, on Windows); on a port, a packet only for a read that pended
 * (kernel32 test_WriteFileGather: one that failed at once queues nothing). */
static void test_end_of_file_notifications(void)
{
    TEST("a read at the end: the event set; a packet only if it pended");
    HANDLE file = create_test_file(0);
    HANDLE port = CreateIoCompletionPort(file, NULL, 5, 0);
    CHECK(port != NULL);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static char buffer[BLOCK];
    OVERLAPPED ov, *done;
    DWORD bytes;
    ULONG_PTR key;
    for (int round = 0; round < 3; ++round) {
        make_overlapped(&ov, (ULONGLONG)(16 + round) * BLOCK, event);
        SetLastError(0xdead);
        CHECK(!ReadFile(file, buffer, round == 2 ? 1 : BLOCK, NULL, &ov));
        DWORD error = GetLastError();
        CHECK(error == ERROR_HANDLE_EOF || error == ERROR_IO_PENDING);
        CHECK_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
        CHECK_EQ(ov.Internal, STATUS_END_OF_FILE_VALUE);
        CHECK_EQ(ov.InternalHigh, 0);
        done = (OVERLAPPED *)1;
        bytes = 99;
        SetLastError(0xdead);
        BOOL got = GetQueuedCompletionStatus(port, &bytes, &key, &done, error == ERROR_IO_PENDING ? 5000 : 100);
        CHECK(!got);
        if (error == ERROR_IO_PENDING) {
            CHECK_ERROR(ERROR_HANDLE_EOF);
            CHECK(done == &ov);
            CHECK_EQ(bytes, 0);
            CHECK_EQ(key, 5);
        } else {
            CHECK_ERROR(WAIT_TIMEOUT);
            CHECK(done == NULL);
        }
    }
    CloseHandle(port);
    CloseHandle(file);

    /* A synchronous handle given an OVERLAPPED: the end fails in the call, with the
     * result written and the event set. */
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    make_overlapped(&ov, 40 * BLOCK, event);
    ov.InternalHigh = 1234;
    bytes = 99;
    SetLastError(0xdead);
    CHECK(!ReadFile(file, buffer, 2, &bytes, &ov));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CHECK_EQ(bytes, 0);
    CHECK_EQ(ov.Internal, STATUS_END_OF_FILE_VALUE);
    CHECK_EQ(ov.InternalHigh, 0);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    /* With no OVERLAPPED the end is a success with nothing read. */
    CHECK_EQ(SetFilePointer(file, 40 * BLOCK, NULL, FILE_BEGIN), 40 * BLOCK);
    bytes = 99;
    CHECK(ReadFile(file, buffer, 2, &bytes, NULL));
    CHECK_EQ(bytes, 0);
    CloseHandle(file);
    CloseHandle(event);
}

/* A handle with FILE_APPEND_DATA and not FILE_WRITE_DATA writes at the end of the file
 * whatever offset it names, the file pointer's included; with FILE_WRITE_DATA too, the
 * offset is obeyed (ntdll's append_file_test; ReactOS' NtWriteFile apitest, run on
 * Windows: 0, the file pointer and no offset all append). */
static void test_append_only(void)
{
    TEST("FILE_APPEND_DATA alone: every write lands at the end; with FILE_WRITE_DATA, at its offset");
    HANDLE file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD bytes, size;
    CHECK(WriteFile(file, "fo", 2, &bytes, NULL));
    CloseHandle(file);

    file = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    make_overlapped(&ov, 1, NULL);
    bytes = 0;
    CHECK(WriteFile(file, "ob", 2, &bytes, &ov));
    CHECK_EQ(bytes, 2);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 4);
    make_overlapped(&ov, 3, NULL);
    CHECK(WriteFile(file, "ar", 2, &bytes, &ov));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 6);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    CHECK(WriteFile(file, "AB", 2, &bytes, NULL));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 8);
    CHECK_EQ(SetFilePointer(file, 1, NULL, FILE_BEGIN), 1);
    make_overlapped(&ov, ~0ULL - 1, NULL); /* the file pointer's position */
    CHECK(WriteFile(file, "CD", 2, &bytes, &ov));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 10);
    /* It may flush what it wrote. */
    CHECK(FlushFileBuffers(file));
    CloseHandle(file);
    char data[64];
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 10);
    CHECK(memcmp(data, "foobarABCD", 10) == 0);

    file = CreateFileA(path, FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    make_overlapped(&ov, 0, NULL);
    CHECK(WriteFile(file, "bar", 3, &bytes, &ov));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 3);
    CloseHandle(file);
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 10);
    CHECK(memcmp(data, "barbarABCD", 10) == 0);

    /* An overlapped append-only handle: an offset of 0 appends too. */
    file = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    make_overlapped(&ov, 0, event);
    CHECK(started(WriteFile(file, "EF", 2, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 2);
    CloseHandle(event);
    CloseHandle(file);
    read_whole(data, sizeof(data), &size);
    CHECK_EQ(size, 12);
    CHECK(memcmp(data, "barbarABCDEF", 12) == 0);

    /* FlushFileBuffers needs a handle that may write. */
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdead);
    CHECK(!FlushFileBuffers(file));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);
}

static void test_no_buffering(void)
{
    TEST("FILE_FLAG_NO_BUFFERING: alignment; ReadFileScatter / WriteFileGather");
    HANDLE file = create_test_file(FILE_FLAG_NO_BUFFERING);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    char *pages = VirtualAlloc(NULL, 4 * BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    CHECK(pages != NULL);
    OVERLAPPED ov;
    DWORD bytes;

    make_overlapped(&ov, BLOCK, event);
    CHECK(started(ReadFile(file, pages, BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK(bytes == BLOCK && pages[0] == 'B');

    WINE_DEVIATION("Wine does not check FILE_FLAG_NO_BUFFERING's alignment rules")
    {
        /* Misaligned buffer, length, offset: refused, at once or by the completion. */
        struct {
            char *buffer;
            DWORD length;
            ULONGLONG offset;
        } cases[3] = {{pages + 1, BLOCK, 0}, {pages, 1000, 0}, {pages, BLOCK, 100}};
        for (int i = 0; i < 3; ++i) {
            make_overlapped(&ov, cases[i].offset, event);
            SetLastError(0xdead);
            BOOL ok = ReadFile(file, cases[i].buffer, cases[i].length, NULL, &ov);
            DWORD error = ok ? ERROR_SUCCESS : GetLastError();
            if (error == ERROR_IO_PENDING) error = GetOverlappedResult(file, &ov, &bytes, TRUE) ? 0 : GetLastError();
            CHECK_EQ(error, ERROR_INVALID_PARAMETER);
        }
        /* The file pointer moves only to multiples of the sector size (Microsoft Learn,
         * SetFilePointerEx): elsewhere it stays, with ERROR_INVALID_PARAMETER. */
        LARGE_INTEGER move, position;
        move.QuadPart = BLOCK;
        CHECK(SetFilePointerEx(file, move, &position, FILE_BEGIN));
        CHECK_EQ(position.QuadPart, BLOCK);
        move.QuadPart = 100;
        SetLastError(0xdead);
        CHECK(!SetFilePointerEx(file, move, &position, FILE_BEGIN));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(SetFilePointer(file, 3, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        move.QuadPart = 0;
        CHECK(SetFilePointerEx(file, move, &position, FILE_CURRENT));
        CHECK_EQ(position.QuadPart, BLOCK);
    }

    /* Gather two pages into blocks 2 and 3, scatter them back into other pages. */
    memset(pages, 'g', BLOCK);
    memset(pages + BLOCK, 'h', BLOCK);
    FILE_SEGMENT_ELEMENT segments[3];
    memset(segments, 0, sizeof(segments));
    segments[0].Buffer = pages;
    segments[1].Buffer = pages + BLOCK;
    make_overlapped(&ov, 2 * BLOCK, event);
    CHECK(started(WriteFileGather(file, segments, 2 * BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 2 * BLOCK);
    segments[0].Buffer = pages + 3 * BLOCK;
    segments[1].Buffer = pages + 2 * BLOCK;
    make_overlapped(&ov, 2 * BLOCK, event);
    CHECK(started(ReadFileScatter(file, segments, 2 * BLOCK, NULL, &ov)));
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 2 * BLOCK);
    CHECK(pages[3 * BLOCK] == 'g' && pages[4 * BLOCK - 1] == 'g');
    CHECK(pages[2 * BLOCK] == 'h' && pages[3 * BLOCK - 1] == 'h');

    VirtualFree(pages, 0, MEM_RELEASE);
    CloseHandle(event);
    CloseHandle(file);
}

/* ReadFileScatter at and across the end of the file (kernel32's test_WriteFileGather, on
 * Windows): at the end it fails, at once with nothing queued or later with a packet that
 * carries ERROR_HANDLE_EOF; across the end it reads what there is and leaves the pages
 * after it alone. A handle without FILE_FLAG_OVERLAPPED cannot scatter or gather. */
static void test_scatter_at_end(void)
{
    TEST("ReadFileScatter at and across the end; scatter/gather need an overlapped handle");
    HANDLE file = create_test_file(FILE_FLAG_NO_BUFFERING);
    HANDLE port = CreateIoCompletionPort(file, NULL, 9, 0);
    CHECK(port != NULL);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    char *pages = VirtualAlloc(NULL, 2 * BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    FILE_SEGMENT_ELEMENT segments[3];
    OVERLAPPED ov, *done;
    DWORD bytes;
    ULONG_PTR key;

    memset(segments, 0, sizeof(segments));
    segments[0].Buffer = pages;
    segments[1].Buffer = pages + BLOCK;
    make_overlapped(&ov, 16 * BLOCK, event);
    SetLastError(0xdead);
    CHECK(!ReadFileScatter(file, segments, 2 * BLOCK, NULL, &ov));
    DWORD error = GetLastError();
    CHECK(error == ERROR_HANDLE_EOF || error == ERROR_IO_PENDING);
    done = (OVERLAPPED *)1;
    SetLastError(0xdead);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, error == ERROR_IO_PENDING ? 5000 : 100));
    if (error == ERROR_IO_PENDING) {
        CHECK_ERROR(ERROR_HANDLE_EOF);
        CHECK(done == &ov);
        CHECK_EQ(key, 9);
        SetLastError(0xdead);
        CHECK(!GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_ERROR(ERROR_HANDLE_EOF);
    } else {
        CHECK_ERROR(WAIT_TIMEOUT);
        CHECK(done == NULL);
    }

    /* The last block and past it: one block read, the second page untouched. */
    memset(pages, 0, BLOCK);
    memset(pages + BLOCK, 0x17, BLOCK);
    make_overlapped(&ov, 15 * BLOCK, event);
    CHECK(started(ReadFileScatter(file, segments, 2 * BLOCK, NULL, &ov)));
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK(done == &ov);
    CHECK_EQ(bytes, BLOCK);
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, BLOCK);
    CHECK(pages[0] == 'P' && pages[BLOCK - 1] == 'P');
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);
    /* ReadFile likewise. */
    memset(pages, 0, BLOCK);
    make_overlapped(&ov, 15 * BLOCK, event);
    CHECK(started(ReadFile(file, pages, 2 * BLOCK, NULL, &ov)));
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK(done == &ov);
    CHECK_EQ(bytes, BLOCK);
    CHECK(pages[0] == 'P' && pages[BLOCK - 1] == 'P');
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);

    /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a scatter that pends still posts. */
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    make_overlapped(&ov, 0, event);
    BOOL ok = ReadFileScatter(file, segments, BLOCK, NULL, &ov);
    CHECK(started(ok));
    if (!ok) {
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
        CHECK(done == &ov);
    }
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, BLOCK);
    CHECK(pages[0] == 'A');
    CloseHandle(port);
    CloseHandle(file);

    /* The end of the file inside a sector: that sector is read, 100 bytes counted, and
     * the next page is left alone (through a synchronous handle this time). */
    file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(SetFilePointer(file, 16 * BLOCK + 100, NULL, FILE_BEGIN), 16 * BLOCK + 100);
    CHECK(SetEndOfFile(file));
    CloseHandle(file);
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_NO_BUFFERING, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    memset(pages, 0x17, 2 * BLOCK);
    make_overlapped(&ov, 16 * BLOCK, event);
    bytes = 0;
    CHECK(ReadFile(file, pages, 2 * BLOCK, &bytes, &ov));
    CHECK_EQ(bytes, 100);
    CHECK(pages[0] == 0 && pages[99] == 0);
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);
    CHECK_EQ(SetFilePointer(file, 16 * BLOCK, NULL, FILE_BEGIN), 16 * BLOCK);
    memset(pages, 0x17, 2 * BLOCK);
    CHECK(ReadFile(file, pages, 2 * BLOCK, &bytes, NULL));
    CHECK_EQ(bytes, 100);
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);
    for (int write = 0; write < 2; ++write) {
        make_overlapped(&ov, 0, event);
        SetLastError(0xdead);
        CHECK(!(write ? WriteFileGather(file, segments, BLOCK, NULL, &ov)
                      : ReadFileScatter(file, segments, BLOCK, NULL, &ov)));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CloseHandle(file);
    VirtualFree(pages, 0, MEM_RELEASE);
    CloseHandle(event);
}

/* An unbuffered handle's reads across the end of the file follow the size whoever changes
 * it: cut through another handle (SetEndOfFile, SetFileInformationByHandle's end of
 * file, an open that truncates), or grown through another handle. Each read across the
 * end counts what there is and leaves the pages after its sector alone (as
 * test_scatter_at_end, after kernel32's test_WriteFileGather). */
static int read_unbuffered(HANDLE file, ULONGLONG offset, char *pages, DWORD *bytes)
{
    OVERLAPPED ov;
    make_overlapped(&ov, offset, NULL);
    memset(pages, 0x17, 2 * BLOCK);
    *bytes = 0xdead;
    if (ReadFile(file, pages, 2 * BLOCK, bytes, &ov)) return 1;
    if (GetLastError() == ERROR_HANDLE_EOF) *bytes = 0;
    return GetLastError() == ERROR_HANDLE_EOF;
}

static void test_unbuffered_size_changes(void)
{
    TEST("Unbuffered reads across the end follow cuts and growth made through other handles");
    char *pages = VirtualAlloc(NULL, 2 * BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    HANDLE writer = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                CREATE_ALWAYS, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    DWORD bytes;
    memset(pages, 'A', 2 * BLOCK);
    for (int i = 0; i < 2; ++i) CHECK(WriteFile(writer, pages, 2 * BLOCK, &bytes, NULL));
    HANDLE reader = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                FILE_FLAG_NO_BUFFERING, NULL);
    CHECK(reader != INVALID_HANDLE_VALUE);
    CHECK(read_unbuffered(reader, 0, pages, &bytes));
    CHECK_EQ(bytes, 2 * BLOCK);

    /* Cut through the other handle, inside the reader's second block. */
    CHECK_EQ(SetFilePointer(writer, BLOCK + 100, NULL, FILE_BEGIN), BLOCK + 100);
    CHECK(SetEndOfFile(writer));
    CHECK(read_unbuffered(reader, 0, pages, &bytes));
    CHECK_EQ(bytes, BLOCK + 100);
    CHECK(pages[0] == 'A' && pages[BLOCK + 99] == 'A');
    CHECK(read_unbuffered(reader, BLOCK, pages, &bytes));
    CHECK_EQ(bytes, 100);
    CHECK(pages[99] == 'A');
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);

    /* Grown through the other handle: a read past the old end sees the new data. */
    memset(pages, 'G', 2 * BLOCK);
    CHECK_EQ(SetFilePointer(writer, 3 * BLOCK, NULL, FILE_BEGIN), 3 * BLOCK);
    CHECK(WriteFile(writer, pages, BLOCK, &bytes, NULL));
    CHECK(read_unbuffered(reader, 2 * BLOCK, pages, &bytes));
    CHECK_EQ(bytes, 2 * BLOCK);
    CHECK(pages[0] == 0 && pages[BLOCK - 1] == 0);
    CHECK(pages[BLOCK] == 'G' && pages[2 * BLOCK - 1] == 'G');

    /* Cut by FileEndOfFileInfo, into the reader's first block. */
    FILE_END_OF_FILE_INFO end;
    end.EndOfFile.QuadPart = 200;
    CHECK(SetFileInformationByHandle(writer, FileEndOfFileInfo, &end, sizeof end));
    CHECK(read_unbuffered(reader, 0, pages, &bytes));
    CHECK_EQ(bytes, 200);
    CHECK(pages[199] == 'A');
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);
    CloseHandle(writer);

    /* Grown again, then cut by an open that truncates and a short write. */
    writer = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    memset(pages, 'B', 2 * BLOCK);
    CHECK(WriteFile(writer, pages, 2 * BLOCK, &bytes, NULL));
    CHECK(read_unbuffered(reader, 0, pages, &bytes));
    CHECK_EQ(bytes, 2 * BLOCK);
    CloseHandle(writer);
    writer = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, TRUNCATE_EXISTING, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    memset(pages, 'C', 300);
    CHECK(WriteFile(writer, pages, 300, &bytes, NULL));
    CHECK(read_unbuffered(reader, 0, pages, &bytes));
    CHECK_EQ(bytes, 300);
    CHECK(pages[0] == 'C' && pages[299] == 'C');
    CHECK(pages[BLOCK] == 0x17 && pages[2 * BLOCK - 1] == 0x17);
    CHECK(read_unbuffered(reader, BLOCK, pages, &bytes));
    CHECK_EQ(bytes, 0);
    CloseHandle(writer);
    CloseHandle(reader);
    VirtualFree(pages, 0, MEM_RELEASE);
}

/* Closing the last handle of a disk file does not end its reads: each request holds the
 * file, completes when the disk is done, with its data, and its completion is delivered
 * as any other (Raymond Chen, "Why doesn't my asynchronous read operation complete when I
 * close the handle?", The Old New Thing, 2021-07-30: CancelIoEx ends such a read, closing
 * the handle does not). Unbuffered reads, so that they are still under way at the close. */
static void test_close_with_reads_pending(void)
{
    TEST("CloseHandle with unbuffered reads under way: each still completes, with its data");
    enum { READS = 8, SIZE = 16 * BLOCK };
    HANDLE file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    char *pages = VirtualAlloc(NULL, READS * SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    for (int i = 0; i < READS; ++i) memset(pages + i * SIZE, 'a' + i, SIZE);
    DWORD bytes;
    CHECK(WriteFile(file, pages, READS * SIZE, &bytes, NULL));
    CloseHandle(file);
    memset(pages, 0, READS * SIZE);

    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE port = CreateIoCompletionPort(file, NULL, 4, 0);
    CHECK(port != NULL);
    OVERLAPPED ov[READS];
    int issued = 0;
    for (int i = 0; i < READS; ++i) {
        make_overlapped(&ov[i], (ULONGLONG)i * SIZE, NULL);
        if (started(ReadFile(file, pages + i * SIZE, SIZE, NULL, &ov[i]))) issued++;
    }
    CHECK_EQ(issued, READS);
    CHECK(CloseHandle(file));
    int seen[READS] = {0}, whole = 0;
    for (int n = 0; n < issued; ++n) {
        ULONG_PTR key = 0;
        OVERLAPPED *done = NULL;
        bytes = 0;
        SetLastError(0xdead);
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
        CHECK(ok);
        if (!ok) printf("   packet %d: error %lu\n", n, (unsigned long)GetLastError());
        CHECK_EQ(key, 4);
        if (done >= ov && done < ov + READS) {
            int i = (int)(done - ov);
            seen[i]++;
            if (ok && bytes == SIZE && pages[i * SIZE] == 'a' + i && pages[(i + 1) * SIZE - 1] == 'a' + i) whole++;
        }
    }
    CHECK_EQ(whole, READS);
    for (int i = 0; i < READS; ++i) CHECK_EQ(seen[i], 1);
    CloseHandle(port);
    VirtualFree(pages, 0, MEM_RELEASE);
}

int main(void)
{
    char temp[MAX_PATH];
    CHECK(GetTempPathA(sizeof(temp), temp) > 0);
    snprintf(dir, sizeof(dir), "%sovl-file-ov-%lu\\", temp, (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(dir, NULL));
    if ((size_t)snprintf(path, sizeof(path), "%sdata.dat", dir) >= sizeof(path)) path[0] = 0;

    test_results_and_offsets();
    test_handle_signalled();
    test_implicit_access();
    test_event();
    test_apc();
    test_port();
    test_get_overlapped_result();
    test_event_reused_at_once();
    test_special_offsets();
    test_no_buffering();
    test_result_fields();
    test_end_of_file_notifications();
    test_append_only();
    test_scatter_at_end();
    test_unbuffered_size_changes();
    test_close_with_reads_pending();

    CHECK(DeleteFileA(path));
    CHECK(RemoveDirectoryA(dir));
    return tl_finish();
}
