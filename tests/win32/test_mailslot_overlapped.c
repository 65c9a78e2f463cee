/* test_mailslot_overlapped.c: overlapped reads of a mailslot through every notification
 * method (an event, the handle with GetOverlappedResult, a ReadFileEx completion
 * routine, a completion port), reads that finish at once, read time-outs of pending
 * reads, reads too small for the message that arrives, the order of pending reads,
 * CancelIo and CancelIoEx, closing the server with a read pending, overlapped client
 * writes (also those that wait for room), a pending read's OVERLAPPED values,
 * GetMailslotInfo and SetMailslotInfo while a read waits, a ReadFile without an
 * OVERLAPPED queued behind a pending read. Every wait is bounded. */
#include "testlib.h"

/* Wine 8 opens a mailslot's server for synchronous I/O only (its server makes the
 * descriptor with FILE_SYNCHRONOUS_IO_NONALERT): an overlapped read that has to wait
 * blocks in ReadFile there, and no completion port takes the handle, so those cases run on our library only. */
#define WINE_SYNC_ONLY "Wine 8's mailslot servers are synchronous: a read that waits blocks"

/* NTSTATUS values a pending read ends with (mingw's <windows.h> lacks some of them). */
#define MS_STATUS_SUCCESS ((ULONG_PTR)0x00000000)
#define MS_STATUS_IO_TIMEOUT ((ULONG_PTR)0xC00000B5)
#define MS_STATUS_BUFFER_TOO_SMALL ((ULONG_PTR)0xC0000023)
#define MS_STATUS_CANCELLED ((ULONG_PTR)0xC0000120)

static char slot_name[128];

static const char *name_for(const char *what)
{
    snprintf(slot_name, sizeof slot_name, "\\\\.\\mailslot\\overlapped_test\\ov_%s_%lu", what,
             (unsigned long)GetCurrentProcessId());
    return slot_name;
}

static HANDLE open_client(const char *name, DWORD flags)
{
    return CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, flags, NULL);
}

static void put(HANDLE writer, const char *text)
{
    DWORD got = 0;
    CHECK(WriteFile(writer, text, (DWORD)strlen(text), &got, NULL));
    CHECK_EQ(got, strlen(text));
}

static void test_event(void)
{
    TEST("an event");
    const char *name = name_for("event");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    CHECK(slot != INVALID_HANDLE_VALUE && writer != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16] = {0};
    DWORD got = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    /* Issuing the read reset the handle's signal. */
    CHECK_EQ(WaitForSingleObject(slot, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 50), WAIT_TIMEOUT);
    CHECK(!GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_ERROR(ERROR_IO_INCOMPLETE);
    put(writer, "hello");
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_EQ(got, 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);
    /* The read had an event: its completion sets only the event; the handle stays reset. */
    CHECK_EQ(WaitForSingleObject(slot, 0), WAIT_TIMEOUT);

    /* A message already there: the read finishes at once, and still sets the event. */
    put(writer, "now");
    ResetEvent(ov.hEvent);
    got = 0;
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK_EQ(got, 3);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 3);
    CloseHandle(ov.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

static void test_handle(void)
{
    TEST("the handle and GetOverlappedResult");
    const char *name = name_for("handle");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    char buffer[16];
    DWORD got = 0;
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(slot, 30), WAIT_TIMEOUT);
    put(writer, "abc");
    CHECK_EQ(WaitForSingleObject(slot, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_EQ(got, 3);
    CloseHandle(writer);
    CloseHandle(slot);
}

static volatile LONG routine_calls;
static volatile LONG routine_error = -1;
static volatile LONG routine_bytes = -1;

static void WINAPI on_read(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    (void)ov;
    tl_store(&routine_error, (LONG)error);
    tl_store(&routine_bytes, (LONG)bytes);
    InterlockedIncrement(&routine_calls);
}

static void test_routine(void)
{
    TEST("ReadFileEx and its completion routine");
    const char *name = name_for("routine");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    char buffer[16];
    CHECK(ReadFileEx(slot, buffer, sizeof buffer, &ov, on_read));
    CHECK_EQ(SleepEx(20, TRUE), 0);  /* nothing yet */
    CHECK_EQ(tl_load(&routine_calls), 0);
    put(writer, "apc!");
    DWORD start = GetTickCount();
    while (tl_load(&routine_calls) == 0 && GetTickCount() - start < 5000) SleepEx(100, TRUE);
    CHECK_EQ(tl_load(&routine_calls), 1);
    CHECK_EQ(tl_load(&routine_error), 0);
    CHECK_EQ(tl_load(&routine_bytes), 4);
    CloseHandle(writer);
    CloseHandle(slot);
}

static void test_port(void)
{
    TEST("a completion port");
    const char *name = name_for("port");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    HANDLE port = CreateIoCompletionPort(slot, NULL, 42, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    char buffer[16];
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *done = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 30));
    CHECK_ERROR(WAIT_TIMEOUT);
    put(writer, "packet");
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK_EQ(bytes, 6);
    CHECK_EQ(key, 42);
    CHECK(done == &ov);
    /* A read that finishes at once posts its packet too. */
    put(writer, "x");
    DWORD got = 0;
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK_EQ(bytes, 1);
    /* A time-out reaches the port as an error packet. */
    CHECK(SetMailslotInfo(slot, 100));
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK_ERROR(ERROR_SEM_TIMEOUT);
    CHECK(done == &ov);
    CloseHandle(writer);
    CloseHandle(slot);
    CloseHandle(port);
}

static void test_timeouts(void)
{
    TEST("time-outs of overlapped reads");
    const char *name = name_for("timeout");
    HANDLE slot = CreateMailslotA(name, 0, 0, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16];
    DWORD got = 0;
    /* No time to wait: fails at once, nothing pending. ReadFile marked the OVERLAPPED
     * pending before the mailslot refused the read, and nothing completed it: Internal
     * stays STATUS_PENDING, InternalHigh untouched (Wine's newer mailslot test: NtReadFile
     * returns STATUS_IO_TIMEOUT with the status block untouched; its pipe test records the
     * STATUS_PENDING ReadFile leaves). */
    WINE_DEVIATION("Wine 8 makes such a read pending, then times it out") {
        ov.InternalHigh = 77;
        SetLastError(0xdeadbeef);
        CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
        CHECK_ERROR(ERROR_SEM_TIMEOUT);
        CHECK_EQ(ov.Internal, STATUS_PENDING);
        CHECK_EQ(ov.InternalHigh, 77);
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    }
    /* A time-out: pending, then ERROR_SEM_TIMEOUT. */
    CHECK(SetMailslotInfo(slot, 200));
    ResetEvent(ov.hEvent);
    DWORD start = GetTickCount();
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetTickCount() - start >= 150);
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_ERROR(ERROR_SEM_TIMEOUT);
    CHECK_EQ(got, 0);
    CloseHandle(ov.hEvent);
    CloseHandle(slot);
}

static void test_small_and_order(void)
{
    TEST("pending reads: order, and one too small");
    const char *name = name_for("order");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    OVERLAPPED first, second;
    memset(&first, 0, sizeof first);
    memset(&second, 0, sizeof second);
    first.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    second.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char a[16] = {0}, b[16] = {0};
    DWORD got = 0;
    CHECK(!ReadFile(slot, a, sizeof a, NULL, &first));
    CHECK(!ReadFile(slot, b, sizeof b, NULL, &second));
    put(writer, "one");
    put(writer, "two");
    CHECK_EQ(WaitForSingleObject(first.hEvent, 5000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(second.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(slot, &first, &got, FALSE));
    CHECK(memcmp(a, "one", 3) == 0);
    CHECK(GetOverlappedResult(slot, &second, &got, FALSE));
    CHECK(memcmp(b, "two", 3) == 0);

    /* A pending read too small for the message that comes: it fails, the message stays. */
    ResetEvent(first.hEvent);
    CHECK(!ReadFile(slot, a, 2, NULL, &first));
    CHECK_ERROR(ERROR_IO_PENDING);
    put(writer, "three");
    CHECK_EQ(WaitForSingleObject(first.hEvent, 5000), WAIT_OBJECT_0);
    WINE_DEVIATION("Wine 8 cuts the message to the buffer") {
        SetLastError(0xdeadbeef);
        CHECK(!GetOverlappedResult(slot, &first, &got, FALSE));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        DWORD next = 0;
        CHECK(GetMailslotInfo(slot, NULL, &next, NULL, NULL));
        CHECK_EQ(next, 5);
        ResetEvent(first.hEvent);
        got = 0;
        CHECK(ReadFile(slot, a, sizeof a, &got, &first));
        CHECK_EQ(got, 5);
    }
    CloseHandle(first.hEvent);
    CloseHandle(second.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

static void test_cancel(void)
{
    TEST("CancelIo, CancelIoEx, closing the server");
    const char *name = name_for("cancel");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16];
    DWORD got = 0;
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CancelIoEx(slot, &ov));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    SetLastError(0xdeadbeef);
    CHECK(!CancelIoEx(slot, &ov));
    CHECK_ERROR(ERROR_NOT_FOUND);

    ResetEvent(ov.hEvent);
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK(CancelIo(slot));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(!GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);

    /* The mailslot still works after cancellations. */
    HANDLE writer = open_client(name, 0);
    put(writer, "after");
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK_EQ(got, 5);
    CloseHandle(writer);

    /* Closing the server ends its pending read. */
    ResetEvent(ov.hEvent);
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK(CloseHandle(slot));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(ov.Internal != STATUS_PENDING);
    CHECK(ov.Internal != 0);
    CloseHandle(ov.hEvent);
}

static void test_overlapped_client(void)
{
    TEST("an overlapped client");
    const char *name = name_for("client");
    HANDLE slot = CreateMailslotA(name, 0, 0, NULL);
    HANDLE writer = open_client(name, FILE_FLAG_OVERLAPPED);
    CHECK(writer != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD got = 0;
    BOOL at_once = WriteFile(writer, "ovw", 3, NULL, &ov);
    CHECK(at_once || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(writer, &ov, &got, FALSE));
    CHECK_EQ(got, 3);
    char buffer[8];
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, NULL));
    CHECK_EQ(got, 3);
    CloseHandle(ov.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

/* Four writer threads and an overlapped reader on a completion port, 800 messages: all
 * arrive, each writer's in its order. */
struct writer_job {
    const char *name;
    int id;
};

static DWORD WINAPI writer_thread(LPVOID argument)
{
    struct writer_job *job = (struct writer_job *)argument;
    HANDLE writer = open_client(job->name, 0);
    if (writer == INVALID_HANDLE_VALUE) return 1;
    for (int i = 0; i < 200; i++) {
        int message[2] = {job->id, i};
        DWORD got = 0;
        if (!WriteFile(writer, message, sizeof message, &got, NULL) || got != sizeof message) return 2;
    }
    CloseHandle(writer);
    return 0;
}

static void test_many_writers(void)
{
    TEST("four writer threads, a reader on a port");
    const char *name = name_for("writers");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE port = CreateIoCompletionPort(slot, NULL, 1, 0);
    CHECK(slot != INVALID_HANDLE_VALUE && port != NULL);
    struct writer_job jobs[4];
    HANDLE threads[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].name = name;
        jobs[i].id = i;
        threads[i] = CreateThread(NULL, 0, writer_thread, &jobs[i], 0, NULL);
    }
    int next_expected[4] = {0, 0, 0, 0}, in_order = 1, received = 0;
    int message[2];
    OVERLAPPED ov;
    while (received < 800) {
        memset(&ov, 0, sizeof ov);
        if (!ReadFile(slot, message, sizeof message, NULL, &ov) && GetLastError() != ERROR_IO_PENDING) break;
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *done = NULL;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &done, 10000) || bytes != sizeof message) break;
        if (message[0] < 0 || message[0] > 3 || message[1] != next_expected[message[0]]) in_order = 0;
        else next_expected[message[0]]++;
        received++;
    }
    CHECK_EQ(received, 800);
    CHECK(in_order);
    for (int i = 0; i < 4; i++) {
        DWORD code = 99;
        CHECK_EQ(WaitForSingleObject(threads[i], 10000), WAIT_OBJECT_0);
        GetExitCodeThread(threads[i], &code);
        CHECK_EQ(code, 0);
        CloseHandle(threads[i]);
    }
    CloseHandle(slot);
    CloseHandle(port);
}

/* Reads that find their message there finish at once, with every notification. */
static void test_at_once(void)
{
    TEST("reads that finish at once");
    const char *name = name_for("once");
    HANDLE slot = CreateMailslotA(name, 0, 0, NULL);
    HANDLE writer = open_client(name, 0);
    HANDLE port = NULL;
    WINE_DEVIATION(WINE_SYNC_ONLY) {
        port = CreateIoCompletionPort(slot, NULL, 7, 0);
        CHECK(port != NULL);
    }
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16] = {0};
    DWORD got = 0, bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *done = NULL;
    put(writer, "there");
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK_EQ(got, 5);
    CHECK(memcmp(buffer, "there", 5) == 0);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_EQ(got, 5);
    if (port != NULL) {
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
        CHECK_EQ(bytes, 5);
        CHECK_EQ(key, 7);
        CHECK(done == &ov);
        CloseHandle(port);
    }
    CloseHandle(ov.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

/* What a pending read's OVERLAPPED says at its end (the NTSTATUS in Internal, the count
 * in InternalHigh: STATUS_SUCCESS and the message's size, STATUS_IO_TIMEOUT,
 * STATUS_BUFFER_TOO_SMALL, STATUS_CANCELLED, each with no count); that a pending read is
 * not a message (GetMailslotInfo counts none meanwhile) and takes the message that comes
 * (none left after); that SetMailslotInfo while a read waits changes the time-out of reads
 * issued after it, not of the one waiting (its time-out was taken at its issue); and that
 * a cancelled read takes nothing: the next message stays for the next read. */
static void test_pending_details(void)
{
    TEST("pending reads: OVERLAPPED values, GetMailslotInfo and SetMailslotInfo meanwhile");
    const char *name = name_for("details");
    HANDLE slot = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);
    HANDLE writer = open_client(name, 0);
    CHECK(slot != INVALID_HANDLE_VALUE && writer != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16] = {0};
    DWORD got = 0, next = 0, count = 99, timeout = 0;

    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(ov.Internal, STATUS_PENDING);
    CHECK(GetMailslotInfo(slot, NULL, &next, &count, NULL));
    CHECK_EQ(next, MAILSLOT_NO_MESSAGE);
    CHECK_EQ(count, 0);
    /* A shorter time-out now does not end the read that waits for ever. */
    CHECK(SetMailslotInfo(slot, 50));
    CHECK(GetMailslotInfo(slot, NULL, NULL, NULL, &timeout));
    CHECK_EQ(timeout, 50);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    CHECK_EQ(ov.Internal, STATUS_PENDING);
    put(writer, "four");
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, MS_STATUS_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 4);
    CHECK(GetMailslotInfo(slot, NULL, &next, &count, NULL));
    CHECK_EQ(next, MAILSLOT_NO_MESSAGE);
    CHECK_EQ(count, 0);

    /* The read issued now has the 50 ms; a longer time-out set while it waits does not
     * keep it. */
    ResetEvent(ov.hEvent);
    ov.InternalHigh = 77;
    DWORD start = GetTickCount();
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(SetMailslotInfo(slot, MAILSLOT_WAIT_FOREVER));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetTickCount() - start < 4000);
    CHECK_EQ(ov.Internal, MS_STATUS_IO_TIMEOUT);
    CHECK_EQ(ov.InternalHigh, 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_ERROR(ERROR_SEM_TIMEOUT);

    /* Too small for the message that comes. */
    ResetEvent(ov.hEvent);
    ov.InternalHigh = 77;
    CHECK(!ReadFile(slot, buffer, 2, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    put(writer, "toolong");
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, MS_STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(ov.InternalHigh, 0);
    CHECK(GetMailslotInfo(slot, NULL, &next, &count, NULL));
    CHECK_EQ(next, 7);
    CHECK_EQ(count, 1);
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK_EQ(got, 7);

    /* Cancelled: no count, and the message written after it waits for the next read. */
    ResetEvent(ov.hEvent);
    ov.InternalHigh = 77;
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CancelIo(slot));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, MS_STATUS_CANCELLED);
    CHECK_EQ(ov.InternalHigh, 0);
    put(writer, "kept");
    CHECK(GetMailslotInfo(slot, NULL, &next, &count, NULL));
    CHECK_EQ(next, 4);
    CHECK_EQ(count, 1);
    memset(buffer, 0, sizeof buffer);
    ResetEvent(ov.hEvent);
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, &ov));
    CHECK_EQ(got, 4);
    CHECK(memcmp(buffer, "kept", 4) == 0);

    /* A zero-length message ends a pending read like any other: success, no bytes. */
    ResetEvent(ov.hEvent);
    ov.InternalHigh = 77;
    CHECK(!ReadFile(slot, buffer, sizeof buffer, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(WriteFile(writer, "", 0, &got, NULL));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, MS_STATUS_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 0);
    CHECK(GetOverlappedResult(slot, &ov, &got, FALSE));
    CHECK_EQ(got, 0);
    CHECK(GetMailslotInfo(slot, NULL, &next, &count, NULL));
    CHECK_EQ(next, MAILSLOT_NO_MESSAGE);
    CHECK_EQ(count, 0);
    CloseHandle(ov.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

/* A ReadFile without an OVERLAPPED is a request like the others: issued while an
 * overlapped read waits, it waits behind it, so the first message goes to the overlapped
 * read and the second to it (reads complete in the order they were issued). A few rounds,
 * since a read that jumps the queue may do it only sometimes. */
struct waiting_read {
    HANDLE slot;
    volatile LONG started;
    volatile LONG result;  /* 1: read, else minus the error */
    char buffer[16];
    DWORD got;
};

static DWORD WINAPI read_without_overlapped(LPVOID argument)
{
    struct waiting_read *job = (struct waiting_read *)argument;
    tl_store(&job->started, 1);
    BOOL ok = ReadFile(job->slot, job->buffer, sizeof job->buffer, &job->got, NULL);
    tl_store(&job->result, ok ? 1 : -(LONG)GetLastError());
    return 0;
}

static void test_synchronous_behind_pending(void)
{
    TEST("a ReadFile without an OVERLAPPED waits behind a pending read");
    int in_order = 0;
    for (int round = 0; round < 5; round++) {
        char name[128];
        snprintf(name, sizeof name, "\\\\.\\mailslot\\overlapped_test\\ov_behind%d_%lu", round,
                 (unsigned long)GetCurrentProcessId());
        HANDLE slot = CreateMailslotA(name, 0, 5000, NULL);
        HANDLE writer = open_client(name, 0);
        CHECK(slot != INVALID_HANDLE_VALUE && writer != INVALID_HANDLE_VALUE);
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        char first[16] = {0};
        CHECK(!ReadFile(slot, first, sizeof first, NULL, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        struct waiting_read job;
        memset(&job, 0, sizeof job);
        job.slot = slot;
        HANDLE thread = CreateThread(NULL, 0, read_without_overlapped, &job, 0, NULL);
        while (!tl_load(&job.started)) Sleep(1);
        Sleep(30);  /* into its wait */
        put(writer, "one");
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
        Sleep(30);
        CHECK_EQ(tl_load(&job.result), 0);  /* still waiting */
        put(writer, "two");
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CHECK_EQ(tl_load(&job.result), 1);
        CHECK_EQ(job.got, 3);
        if (memcmp(first, "one", 3) == 0 && memcmp(job.buffer, "two", 3) == 0) in_order++;
        CloseHandle(thread);
        CloseHandle(ov.hEvent);
        CloseHandle(writer);
        CloseHandle(slot);
    }
    CHECK_EQ(in_order, 5);
}

/* An overlapped client writes more messages than the server's socket holds at once, each
 * with an OVERLAPPED and then with none: the writes that wait for room (the drain empties
 * the socket) still carry their message, and report its size; all arrive whole, in order. */
static void test_client_waits_for_room(void)
{
    TEST("an overlapped client's writes that wait for room");
    const char *name = name_for("room");
    HANDLE slot = CreateMailslotA(name, 0, 0, NULL);
    HANDLE writer = open_client(name, FILE_FLAG_OVERLAPPED);
    CHECK(slot != INVALID_HANDLE_VALUE && writer != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    int counted = 1, sent = 1;
    for (int i = 0; i < 200; i++) {
        DWORD got = 0;
        ResetEvent(ov.hEvent);
        if (i < 100) {
            BOOL at_once = WriteFile(writer, &i, sizeof i, NULL, &ov);
            if (!at_once && GetLastError() != ERROR_IO_PENDING) sent = 0;
            if (WaitForSingleObject(ov.hEvent, 5000) != WAIT_OBJECT_0 || !GetOverlappedResult(writer, &ov, &got, FALSE))
                sent = 0;
            if (ov.InternalHigh != sizeof i) counted = 0;
        } else if (!WriteFile(writer, &i, sizeof i, &got, NULL)) {
            sent = 0;
        }
        if (got != sizeof i) counted = 0;
    }
    CHECK(sent);
    CHECK(counted);
    int whole = 1;
    for (int i = 0; i < 200; i++) {
        int value = -1;
        DWORD got = 0;
        if (!ReadFile(slot, &value, sizeof value, &got, &ov) || got != sizeof value || value != i) whole = 0;
    }
    CHECK(whole);
    CloseHandle(ov.hEvent);
    CloseHandle(writer);
    CloseHandle(slot);
}

int main(void)
{
    test_at_once();
    test_overlapped_client();
    test_client_waits_for_room();
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_event(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_handle(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_routine(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_port(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_timeouts(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_small_and_order(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_cancel(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_many_writers(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_pending_details(); }
    WINE_DEVIATION(WINE_SYNC_ONLY) { test_synchronous_behind_pending(); }
    return tl_finish();
}
