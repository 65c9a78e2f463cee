/* test_pipe_anon.c: anonymous pipes (CreatePipe).
 *
 * Covers: transfers through both ends, GetFileType, handle flags from the security
 * attributes (bInheritHandle) and SetHandleInformation, each end's direction
 * (ERROR_ACCESS_DENIED the other way), PeekNamedPipe (bytes available, a peek that leaves
 * the data in the pipe), the end of the pipe (ERROR_BROKEN_PIPE once the write end is
 * closed and the data read; ERROR_NO_DATA for a write once the read end is closed, and no
 * signal ends the process), a duplicated write end keeping the pipe open, a reader that
 * blocks until data comes, a reader that stops reading (the writer blocks, nothing is
 * lost), CancelSynchronousIo of a blocked read, GetNamedPipeInfo (the read end is the
 * server end; the size asked for), PIPE_NOWAIT (ERROR_NO_DATA, a write that does not fit
 * writes nothing). Every wait is bounded. */
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

/* GetNamedPipeInfo: the read end is the pipe's server end; both report the size asked
 * for, 4096 when 0 was (Wine's pipe test, test_CreatePipe). */
static void test_info(void)
{
    HANDLE r = NULL, w = NULL;
    DWORD flags, out, in, max;

    TEST("GetNamedPipeInfo");
    CHECK(CreatePipe(&r, &w, NULL, 0));
    flags = out = in = max = 0xdeadbeef;
    CHECK(GetNamedPipeInfo(r, &flags, &out, &in, &max));
    CHECK_EQ(flags, PIPE_SERVER_END);
    CHECK_EQ(out, 4096);
    CHECK_EQ(in, 4096);
    CHECK_EQ(max, 1);
    flags = out = in = max = 0xdeadbeef;
    CHECK(GetNamedPipeInfo(w, &flags, &out, &in, &max));
    CHECK_EQ(flags, PIPE_CLIENT_END);
    CHECK_EQ(out, 4096);
    CHECK_EQ(in, 4096);
    CHECK_EQ(max, 1);
    CHECK(CloseHandle(r));
    CHECK(CloseHandle(w));
    CHECK(CreatePipe(&r, &w, NULL, 1));
    flags = out = in = max = 0xdeadbeef;
    CHECK(GetNamedPipeInfo(r, &flags, &out, &in, &max));
    CHECK_EQ(flags, PIPE_SERVER_END);
    CHECK_EQ(out, 1);
    CHECK_EQ(in, 1);
    CHECK(GetNamedPipeInfo(w, &flags, &out, &in, &max));
    CHECK_EQ(flags, PIPE_CLIENT_END);
    CHECK_EQ(out, 1);
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
static void test_nowait(void)
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

int main(void)
{
    test_basic();
    test_inherit();
    test_info();
    test_nowait();
    test_peek();
    test_broken();
    test_blocking_read();
    test_cancel_read();
    test_slow_reader();
    return tl_finish();
}
