/* test_pipe_anon.c: anonymous pipes (CreatePipe).
 *
 * Covers: transfers through both ends, GetFileType, handle flags from the security
 * attributes (bInheritHandle) and SetHandleInformation, each end's direction
 * (ERROR_ACCESS_DENIED the other way), PeekNamedPipe (bytes available, a peek that leaves
 * the data in the pipe), the end of the pipe (ERROR_BROKEN_PIPE once the write end is
 * closed and the data read; ERROR_NO_DATA for a write once the read end is closed, and no
 * signal ends the process), a duplicated write end keeping the pipe open, a reader that
 * blocks until data comes, a reader that stops reading (the writer blocks, nothing is
 * lost), CancelSynchronousIo of a blocked read, GetNamedPipeInfo of each end (the read end
 * is the server end; the sizes are CreatePipe's), the handle rights PeekNamedPipe and the
 * pipe-state functions need, zero-length reads and writes (a read of no bytes waits for
 * data; both fail once the other end is gone), PIPE_NOWAIT set with
 * SetNamedPipeHandleState (ERROR_NO_DATA; a write that does not fit writes nothing).
 * Every wait is bounded. */
#include "testlib.h"

#define WAIT_MS 10000

static void test_basic(void)
{
    HANDLE r = NULL, w = NULL;
    char buffer[64];
    DWORD done = 0, flags = 0;

    TEST("transfers, file type, handle flags");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(r != NULL && r != INVALID_HANDLE_VALUE);
    CHECK(w != NULL && w != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileType(r), FILE_TYPE_PIPE);
    CHECK_EQ(GetFileType(w), FILE_TYPE_PIPE);
    CHECK(GetHandleInformation(r, &flags));
    CHECK_EQ(flags & HANDLE_FLAG_INHERIT, 0);

    CHECK(WriteFile(w, "hello", 5, &done, NULL));
    CHECK_EQ(done, 5);
    CHECK(WriteFile(w, " world", 6, &done, NULL));
    CHECK_EQ(done, 6);
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 11);
    CHECK(memcmp(buffer, "hello world", 11) == 0);

    /* Each end has one direction. */
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(w, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(r, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);

    /* A zero-byte write succeeds and writes nothing. */
    CHECK(WriteFile(w, "", 0, &done, NULL));
    CHECK_EQ(done, 0);

    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
}

static void test_inherit(void)
{
    SECURITY_ATTRIBUTES sa;
    HANDLE r = NULL, w = NULL;
    DWORD flags = 0;

    TEST("bInheritHandle and SetHandleInformation");
    sa.nLength = sizeof(sa);
    sa.lpSecurityDescriptor = NULL;
    sa.bInheritHandle = TRUE;
    CHECK(CreatePipe(&r, &w, &sa, 4096));
    CHECK(GetHandleInformation(r, &flags));
    CHECK_EQ(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    CHECK(GetHandleInformation(w, &flags));
    CHECK_EQ(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    /* The parent keeps its own end out of the child, as programs do. */
    CHECK(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    CHECK(GetHandleInformation(r, &flags));
    CHECK_EQ(flags & HANDLE_FLAG_INHERIT, 0);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
}

struct nowait_read {
    HANDLE pipe;
    LONG result, error, done;
};

static DWORD WINAPI nowait_read_main(LPVOID arg)
{
    struct nowait_read *a = (struct nowait_read *)arg;
    char buffer[16];
    DWORD done = 99;
    BOOL ok;
    SetLastError(0xdeadbeef);
    ok = ReadFile(a->pipe, buffer, sizeof(buffer), &done, NULL);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->done, (LONG)done);
    tl_store(&a->result, ok);
    return 0;
}

/* PIPE_NOWAIT on CreatePipe's ends (SetNamedPipeHandleState takes anonymous pipe handles,
 * as Windows does): a read of an empty pipe fails at once with ERROR_NO_DATA, a write that
 * does not fit writes nothing and succeeds (Wine's pipe test, test_nowait, for named
 * pipes; Python's os.set_blocking(fd, False) on Windows relies on it). */
static void test_nowait_fill(void)
{
    HANDLE r = NULL, w = NULL;
    static char data[4000];
    char buffer[16];
    DWORD done = 0, mode = PIPE_NOWAIT, total = 0;
    int i;

    TEST("PIPE_NOWAIT");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(SetNamedPipeHandleState(r, &mode, NULL, NULL));
    CHECK(SetNamedPipeHandleState(w, &mode, NULL, NULL));
    {
        /* In another thread, so that a read that waits (the mode ignored) is a failure,
         * not a hang: a byte is written to let it go. */
        struct nowait_read args = {r, 0, 0, 99};
        HANDLE thread = CreateThread(NULL, 0, nowait_read_main, &args, 0, NULL);
        DWORD waited = WaitForSingleObject(thread, WAIT_MS);
        CHECK_EQ(waited, WAIT_OBJECT_0);
        if (waited != WAIT_OBJECT_0) {
            WriteFile(w, "x", 1, &done, NULL);
            WaitForSingleObject(thread, WAIT_MS);
            CloseHandle(thread);
            CloseHandle(r);
            CloseHandle(w);
            return;
        }
        CloseHandle(thread);
        CHECK_EQ(tl_load(&args.result), 0);
        CHECK_EQ(tl_load(&args.error), ERROR_NO_DATA);
        CHECK_EQ(tl_load(&args.done), 0);
    }
    CHECK(WriteFile(w, "abc", 3, &done, NULL));
    CHECK_EQ(done, 3);
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 3);
    /* Writes until one does not fit: it writes nothing, and never waits. */
    for (i = 0; i < 1000; i++) {
        done = 99;
        if (!WriteFile(w, data, sizeof(data), &done, NULL) || done == 0) break;
        total += done;
    }
    CHECK(i < 1000);
    CHECK_EQ(done, 0);
    CHECK(total > 0);
    /* What went in comes out. */
    while (total > 0 && ReadFile(r, data, sizeof(data), &done, NULL) && done > 0) total -= done;
    CHECK_EQ(total, 0);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    /* The end of the pipe is still ERROR_BROKEN_PIPE. */
    CHECK(CloseHandle(w));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK(CloseHandle(r));
}

static void test_peek(void)
{
    HANDLE r = NULL, w = NULL;
    char buffer[16];
    DWORD done = 0, avail = 0, read = 0;

    TEST("PeekNamedPipe");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL));
    CHECK_EQ(avail, 0);
    CHECK(WriteFile(w, "0123456789", 10, &done, NULL));
    CHECK(PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL));
    CHECK_EQ(avail, 10);
    memset(buffer, 0, sizeof(buffer));
    CHECK(PeekNamedPipe(r, buffer, 4, &read, &avail, NULL));
    CHECK_EQ(read, 4);
    CHECK_EQ(avail, 10);
    CHECK(memcmp(buffer, "0123", 4) == 0);
    /* No buffer: the counts of a peek of the size given (kernelbase peeks into a buffer
     * of its own); a byte pipe's bytes left are minus the bytes peeked. */
    {
        DWORD left = 99;
        read = 99;
        CHECK(PeekNamedPipe(r, NULL, 6, &read, &avail, &left));
        CHECK_EQ(read, 6);
        CHECK_EQ(avail, 10);
        CHECK_EQ(left, (DWORD)-6);
    }
    /* The peek left everything in the pipe. */
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(r, buffer, 3, &done, NULL));
    CHECK_EQ(done, 3);
    CHECK(memcmp(buffer, "012", 3) == 0);
    CHECK(PeekNamedPipe(r, buffer, sizeof(buffer), &read, &avail, NULL));
    CHECK_EQ(read, 7);
    CHECK_EQ(avail, 7);
    CHECK(memcmp(buffer, "3456789", 7) == 0);
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 7);

    /* Write end gone, nothing left: the pipe is broken. */
    CHECK(CloseHandle(w));
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK(CloseHandle(r));
}

static void test_broken(void)
{
    HANDLE r = NULL, w = NULL, dup = NULL;
    char buffer[16];
    DWORD done = 0;

    TEST("the end of the pipe: ERROR_BROKEN_PIPE, ERROR_NO_DATA");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(WriteFile(w, "last", 4, &done, NULL));
    CHECK(CloseHandle(w));
    /* What was written is still read; then the pipe is broken. */
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 4);
    SetLastError(0xdeadbeef);
    done = 99;
    CHECK(!ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK_EQ(done, 0);
    CHECK(CloseHandle(r));

    /* A write with the read end closed fails (and no signal ends the process). */
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(CloseHandle(r));
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(w, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(w, "again", 5, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    CHECK(CloseHandle(w));

    /* A duplicate of the write end keeps the pipe open. */
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(DuplicateHandle(GetCurrentProcess(), w, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(CloseHandle(w));
    CHECK(WriteFile(dup, "dup", 3, &done, NULL));
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 3);
    CHECK(CloseHandle(dup));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK(CloseHandle(r));
}

/* ---- a reader blocked until the writer writes; a writer blocked by a reader that stops. */

struct reader_args {
    HANDLE pipe;
    DWORD size;
    char *buffer;
    volatile LONG done;  /* bytes read so far */
    volatile LONG result;
    volatile LONG error;
    volatile LONG finished;
};

static DWORD WINAPI reader_main(LPVOID arg)
{
    struct reader_args *a = (struct reader_args *)arg;
    DWORD got = 0;
    BOOL ok = ReadFile(a->pipe, a->buffer, a->size, &got, NULL);
    tl_store(&a->done, (LONG)got);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->result, ok);
    tl_store(&a->finished, 1);
    return 0;
}

static void test_blocking_read(void)
{
    HANDLE r = NULL, w = NULL, thread;
    char buffer[32];
    struct reader_args args;
    DWORD done = 0;

    TEST("a read waits for the writer");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    memset(&args, 0, sizeof(args));
    args.pipe = r;
    args.size = sizeof(buffer);
    args.buffer = buffer;
    thread = CreateThread(NULL, 0, reader_main, &args, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&args.finished), 0);
    CHECK(WriteFile(w, "wake", 4, &done, NULL));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CHECK_EQ(tl_load(&args.done), 4);
    CHECK(memcmp(buffer, "wake", 4) == 0);
    CloseHandle(thread);

    /* Closing the write end wakes a blocked reader with ERROR_BROKEN_PIPE. */
    memset(&args, 0, sizeof(args));
    args.pipe = r;
    args.size = sizeof(buffer);
    args.buffer = buffer;
    thread = CreateThread(NULL, 0, reader_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    CHECK(CloseHandle(w));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_BROKEN_PIPE);
    CloseHandle(thread);
    CHECK(CloseHandle(r));
}

static void test_cancel_read(void)
{
    HANDLE r = NULL, w = NULL, thread;
    char buffer[32];
    struct reader_args args;

    TEST("CancelSynchronousIo of a blocked read");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    memset(&args, 0, sizeof(args));
    args.pipe = r;
    args.size = sizeof(buffer);
    args.buffer = buffer;
    thread = CreateThread(NULL, 0, reader_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    /* A handle without THREAD_TERMINATE may not cancel it. */
    HANDLE weak = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), thread, GetCurrentProcess(), &weak, SYNCHRONIZE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!CancelSynchronousIo(weak));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(weak);
    CHECK_EQ(WaitForSingleObject(thread, 50), WAIT_TIMEOUT);
    CHECK(CancelSynchronousIo(thread));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_OPERATION_ABORTED);
    CloseHandle(thread);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
}

#define BIG (1024 * 1024)

struct writer_args {
    HANDLE pipe;
    const unsigned char *data;
    volatile LONG finished;
    volatile LONG result;
    volatile LONG written;
};

static DWORD WINAPI writer_main(LPVOID arg)
{
    struct writer_args *a = (struct writer_args *)arg;
    DWORD done = 0;
    BOOL ok = WriteFile(a->pipe, a->data, BIG, &done, NULL);
    tl_store(&a->written, (LONG)done);
    tl_store(&a->result, ok);
    tl_store(&a->finished, 1);
    return 0;
}

static void check_info(HANDLE pipe, DWORD flags, DWORD size)
{
    DWORD got_flags = 0xdeadbeef, out_size = 0xdeadbeef, in_size = 0xdeadbeef, instances = 0xdeadbeef;
    CHECK(GetNamedPipeInfo(pipe, &got_flags, &out_size, &in_size, &instances));
    CHECK_EQ(got_flags, flags);
    CHECK_EQ(out_size, size);
    CHECK_EQ(in_size, size);
    CHECK_EQ(instances, 1);
}

static void test_info(void)
{
    HANDLE r = NULL, w = NULL;

    /* Wine's conformance test (test_CreatePipe) records Windows' answers: the read end is
     * the server end of a byte pipe, the write end the client end; the sizes are the ones
     * CreatePipe was given, 4096 for 0. */
    TEST("GetNamedPipeInfo of both ends");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    check_info(r, PIPE_SERVER_END | PIPE_TYPE_BYTE, 4096);
    check_info(w, PIPE_CLIENT_END | PIPE_TYPE_BYTE, 4096);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
    CHECK(CreatePipe(&r, &w, NULL, 1));
    check_info(r, PIPE_SERVER_END, 1);
    check_info(w, PIPE_CLIENT_END, 1);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
    CHECK(CreatePipe(&r, &w, NULL, 32768 + 24));
    check_info(r, PIPE_SERVER_END, 32768 + 24);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
}

static void test_rights(void)
{
    HANDLE r = NULL, w = NULL, weak = NULL, attributes = NULL;
    DWORD flags = 0, state = 0, avail = 0, mode = PIPE_NOWAIT;

    /* The pipe functions need rights on the handle, which Windows' I/O manager checks for
     * the request each makes: PeekNamedPipe (FSCTL_PIPE_PEEK) FILE_READ_DATA,
     * GetNamedPipeInfo and GetNamedPipeHandleState FILE_READ_ATTRIBUTES,
     * SetNamedPipeHandleState FILE_WRITE_ATTRIBUTES (Microsoft Learn's pages for the last
     * three list them). */
    TEST("the rights the pipe functions need");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(DuplicateHandle(GetCurrentProcess(), r, GetCurrentProcess(), &weak, SYNCHRONIZE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(weak, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!GetNamedPipeInfo(weak, &flags, NULL, NULL, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!GetNamedPipeHandleStateA(weak, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!SetNamedPipeHandleState(weak, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(DuplicateHandle(GetCurrentProcess(), r, GetCurrentProcess(), &attributes, FILE_READ_ATTRIBUTES, FALSE, 0));
    CHECK(GetNamedPipeInfo(attributes, &flags, NULL, NULL, NULL));
    CHECK_EQ(flags, PIPE_SERVER_END);
    CHECK(GetNamedPipeHandleStateA(attributes, &state, NULL, NULL, NULL, NULL, 0));
    SetLastError(0xdeadbeef);
    CHECK(!SetNamedPipeHandleState(attributes, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    /* The write end has no FILE_READ_DATA: no peek. */
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(w, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    /* Nothing changed the mode. */
    CHECK(GetNamedPipeHandleStateA(r, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_WAIT);
    /* The read end is a server end: it has no collection settings (a remote client's), and
     * asking for them fails after the state and instances were given (Wine's
     * test_NamedPipeHandleState records it for a named pipe's server end). */
    WINE_DEVIATION("Wine 8 reports 0 for a server end's collection settings") {
        DWORD collection = 0, timeout = 0, instances = 0;
        state = 99;
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeHandleStateA(r, &state, &instances, &collection, &timeout, NULL, 0));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(state, PIPE_WAIT);
        CHECK_EQ(instances, 1);
    }
    CHECK(CloseHandle(weak));
    CHECK(CloseHandle(attributes));
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
}

static void test_zero_length(void)
{
    HANDLE r = NULL, w = NULL, thread;
    char buffer[8];
    struct reader_args args;
    DWORD done = 0, avail = 0;

    TEST("zero-length reads and writes");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    /* With data there: done at once, and nothing is taken. */
    CHECK(WriteFile(w, "ab", 2, &done, NULL));
    done = 99;
    CHECK(ReadFile(r, buffer, 0, &done, NULL));
    CHECK_EQ(done, 0);
    CHECK(PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL));
    CHECK_EQ(avail, 2);
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 2);

    /* An empty pipe: the read waits for data, as every read does (Wine's test_blocking_rw
     * records a zero-length read pending on an empty pipe until a byte comes); a write of
     * no bytes brings none. */
    memset(&args, 0, sizeof(args));
    args.pipe = r;
    args.size = 0;
    args.buffer = buffer;
    thread = CreateThread(NULL, 0, reader_main, &args, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(WriteFile(w, "", 0, &done, NULL));
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    CHECK(WriteFile(w, "x", 1, &done, NULL));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CHECK_EQ(tl_load(&args.done), 0);
    CloseHandle(thread);
    CHECK(PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL));
    CHECK_EQ(avail, 1);  /* the byte is still there */

    /* Write end gone: with a byte left the read still succeeds; once empty it fails. */
    CHECK(CloseHandle(w));
    CHECK(ReadFile(r, buffer, 0, &done, NULL));
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 1);
    SetLastError(0xdeadbeef);
    done = 99;
    CHECK(!ReadFile(r, buffer, 0, &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK_EQ(done, 0);
    CHECK(CloseHandle(r));

    /* Read end gone: a write of no bytes fails too. */
    CHECK(CreatePipe(&r, &w, NULL, 0));
    CHECK(CloseHandle(r));
    SetLastError(0xdeadbeef);
    done = 99;
    CHECK(!WriteFile(w, "", 0, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    CHECK_EQ(done, 0);
    CHECK(CloseHandle(w));
}

static void test_nowait(void)
{
    HANDLE r = NULL, w = NULL, thread;
    DWORD mode, state = 0, done = 0, total = 0, written;
    char buffer[16];
    unsigned char *big = (unsigned char *)calloc(1, BIG), *back = (unsigned char *)malloc(BIG);
    struct reader_args reader;
    struct writer_args writer;

    /* PIPE_NOWAIT: a read of an empty pipe fails at once with ERROR_NO_DATA, a write takes
     * what fits and returns (Wine's test_nowait records Windows' answers on named pipes;
     * Microsoft Learn's SetNamedPipeHandleState takes "a handle to an anonymous pipe, as
     * returned by the CreatePipe function" too, and CPython's os.set_blocking relies on it
     * for Windows pipes). The calls run on a thread, so a call that waits after all fails
     * the test rather than hanging it. */
    TEST("PIPE_NOWAIT on an anonymous pipe");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    mode = PIPE_NOWAIT;
    CHECK(SetNamedPipeHandleState(r, &mode, NULL, NULL));
    CHECK(GetNamedPipeHandleStateA(r, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_NOWAIT);
    memset(&reader, 0, sizeof(reader));
    reader.pipe = r;
    reader.size = sizeof(buffer);
    reader.buffer = buffer;
    thread = CreateThread(NULL, 0, reader_main, &reader, 0, NULL);
    CHECK(thread != NULL);
    if (WaitForSingleObject(thread, WAIT_MS) != WAIT_OBJECT_0) {
        CHECK(!"the PIPE_NOWAIT read waited");
        WriteFile(w, "!", 1, &done, NULL);  /* let it go */
        WaitForSingleObject(thread, WAIT_MS);
    }
    CloseHandle(thread);
    CHECK_EQ(tl_load(&reader.result), 0);
    CHECK_EQ(tl_load(&reader.error), ERROR_NO_DATA);
    CHECK_EQ(tl_load(&reader.done), 0);
    CHECK(WriteFile(w, "now", 3, &done, NULL));
    CHECK(ReadFile(r, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 3);
    CHECK(memcmp(buffer, "now", 3) == 0);
    /* Back to waiting mode. */
    mode = PIPE_WAIT;
    CHECK(SetNamedPipeHandleState(r, &mode, NULL, NULL));
    CHECK(GetNamedPipeHandleStateA(r, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_WAIT);

    /* The write end: a megabyte does not fit; the write returns with less, not waiting. */
    mode = PIPE_NOWAIT;
    CHECK(SetNamedPipeHandleState(w, &mode, NULL, NULL));
    memset(&writer, 0, sizeof(writer));
    writer.pipe = w;
    writer.data = big;
    thread = CreateThread(NULL, 0, writer_main, &writer, 0, NULL);
    CHECK(thread != NULL);
    if (WaitForSingleObject(thread, WAIT_MS) != WAIT_OBJECT_0) {
        CHECK(!"the PIPE_NOWAIT write waited");
        DWORD start = GetTickCount(), avail = 0;
        while (!tl_load(&writer.finished) && GetTickCount() - start < WAIT_MS) {  /* drain it */
            if (PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL) && avail > 0) ReadFile(r, back, avail, &done, NULL);
            else Sleep(1);
        }
        WaitForSingleObject(thread, WAIT_MS);
    }
    CloseHandle(thread);
    CHECK_EQ(tl_load(&writer.result), 1);
    written = (DWORD)tl_load(&writer.written);
    CHECK(written < BIG);
    while (written < BIG && total < written) {
        DWORD got = 0;
        if (!ReadFile(r, back + total, written - total, &got, NULL)) break;
        total += got;
    }
    CHECK_EQ(total, written);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
    free(big);
    free(back);
}

static void test_slow_reader(void)
{
    HANDLE r = NULL, w = NULL, thread;
    unsigned char *data = (unsigned char *)malloc(BIG), *got = (unsigned char *)malloc(BIG);
    struct writer_args args;
    DWORD total = 0, done = 0, i;

    TEST("a reader that stops reading blocks the writer; nothing is lost");
    for (i = 0; i < BIG; i++) data[i] = (unsigned char)(i * 7 + (i >> 11));
    CHECK(CreatePipe(&r, &w, NULL, 0));
    memset(&args, 0, sizeof(args));
    args.pipe = w;
    args.data = data;
    thread = CreateThread(NULL, 0, writer_main, &args, 0, NULL);
    /* Nobody reads: the megabyte does not fit in the pipe, the write waits. */
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&args.finished), 0);
    while (total < BIG) {
        DWORD want = BIG - total < 5000 ? BIG - total : 5000;
        if (!ReadFile(r, got + total, want, &done, NULL)) break;
        total += done;
    }
    CHECK_EQ(total, BIG);
    CHECK(memcmp(data, got, BIG) == 0);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CHECK_EQ(tl_load(&args.written), BIG);
    CloseHandle(thread);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
    free(data);
    free(got);
}

static void test_server_end(void)
{
    HANDLE r = NULL, w = NULL;
    OVERLAPPED ov;
    char in[4] = "abc", out[8];
    DWORD n = 7;

    /* CreatePipe makes a named pipe and opens its client: the read end is a server end that
     * is connected from the start. ConnectNamedPipe there is ERROR_PIPE_CONNECTED, and
     * ERROR_NO_DATA once the write end is gone (the closing state); the write end is a
     * client, where it is ERROR_INVALID_FUNCTION (Wine's test_CreateNamedPipe records the
     * named pipe's answers on Windows). */
    TEST("ConnectNamedPipe on CreatePipe's ends");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(r, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(r, &ov));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(w, NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);

    /* TransactNamedPipe's request (FSCTL_PIPE_TRANSCEIVE) needs FILE_READ_DATA and
     * FILE_WRITE_DATA, which neither end has: the I/O manager refuses it before the pipe
     * file system looks at the pipe's mode. */
    TEST("TransactNamedPipe on CreatePipe's ends");
    SetLastError(0xdeadbeef);
    CHECK(!TransactNamedPipe(r, in, 3, out, sizeof out, &n, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(n, 0);
    SetLastError(0xdeadbeef);
    CHECK(!TransactNamedPipe(w, in, 3, out, sizeof out, &n, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);

    CHECK(CloseHandle(w));
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(r, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    CHECK(CloseHandle(ov.hEvent));
    CHECK(CloseHandle(r));
}

int main(void)
{
    test_basic();
    test_inherit();
    test_nowait_fill();
    test_peek();
    test_broken();
    test_blocking_read();
    test_cancel_read();
    test_slow_reader();
    test_info();
    test_rights();
    test_zero_length();
    test_nowait();
    test_server_end();
    return tl_finish();
}
