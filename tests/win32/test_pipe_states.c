/* test_pipe_states.c: pipe ends in each state, after Wine's kernel32 pipe test (which
 * passes on Windows) and ReactOS's kernel-mode NPFS tests (written against Windows).
 *
 * Covers: overlapped reads pending while writes of various sizes come, on message pipes
 * (byte and message read mode) and byte pipes, both directions (partial messages, the rest
 * left as a message; a zero-byte read and a read behind it; a zero-length write waking one
 * read of a message pipe and none of a byte pipe; peeks of the counts between; CancelIoEx of
 * the second read, twice); TransactNamedPipe with zero-size messages, answered by another
 * transaction, a reply longer than its buffer, on a pipe read in byte mode; instances taken
 * in the order they began listening; WaitNamedPipe woken by a new instance and by one
 * listening again; Set/GetNamedPipeHandleState and GetNamedPipeInfo arguments and each end
 * after a disconnection; a listening and a disconnected instance's transfers, peeks and
 * flushes; PIPE_NOWAIT's ConnectNamedPipe in each state; a synchronous message read with
 * an OVERLAPPED; a zero-byte overlapped read of a byte pipe; GetOverlappedResultEx's
 * time-outs; a handle's signal after a request the pipe fails at once (synchronous and
 * overlapped ends); CreateFile's dispositions on a pipe; writes pending (overlapped, and a
 * synchronous one blocked) when the other end closes or is disconnected, with a flush
 * waiting beside them. Every wait is bounded. */
#include "testlib.h"

#define WAIT_MS 5000

/* One buffer per thread: a waiting thread (wait_proc) names the pipe while the main
 * thread names it too. */
static _Thread_local char name_buf[160];

static const char *name_of(const char *suffix)
{
    sprintf(name_buf, "\\\\.\\pipe\\overlapped_states_%lu_%s", (unsigned long)GetCurrentProcessId(), suffix);
    return name_buf;
}

static HANDLE ev(void) { return CreateEventA(NULL, TRUE, FALSE, NULL); }

/* overlapped server + overlapped client, connected, client in read_mode */
static void make_pair(const char *suffix, DWORD mode, DWORD read_mode, HANDLE *server, HANDLE *client)
{
    OVERLAPPED ov;
    DWORD done;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    *server = CreateNamedPipeA(name_of(suffix), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, mode, 1, 5000, 6000, 0, NULL);
    CHECK(*server != INVALID_HANDLE_VALUE);
    CHECK(!ConnectNamedPipe(*server, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    *client = CreateFileA(name_of(suffix), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(*client != INVALID_HANDLE_VALUE);
    CHECK(SetNamedPipeHandleState(*client, &read_mode, NULL, NULL));
    CHECK(GetOverlappedResultEx(*server, &ov, &done, WAIT_MS, FALSE));
    CloseHandle(ov.hEvent);
}

static void peek_is(int line, HANDLE h, DWORD exp_read, DWORD exp_avail, DWORD exp_msg)
{
    char buf[12000];
    DWORD got = 0xdeadbeef, avail = 0xdeadbeef, left = 0xdeadbeef;
    BOOL ok = PeekNamedPipe(h, buf, sizeof buf, &got, &avail, &left);
    if (!ok || got != exp_read || avail != exp_avail || left != exp_msg - exp_read)
        printf("   peek at line %d: ok %d err %lu read %lu avail %lu left %ld (want %lu %lu %ld)\n", line, ok,
               (unsigned long)GetLastError(), (unsigned long)got, (unsigned long)avail, (long)left,
               (unsigned long)exp_read, (unsigned long)exp_avail, (long)(exp_msg - exp_read));
    CHECK(ok);
    CHECK_EQ(got, exp_read);
    CHECK_EQ(avail, exp_avail);
    CHECK_EQ(left, exp_msg - exp_read);
}
#define PEEK(h, r, a, m) peek_is(__LINE__, h, r, a, m)

static void read_async(HANDLE h, void *buf, DWORD size, OVERLAPPED *ov)
{
    DWORD got = 0xdeadbeef;
    memset(ov, 0, sizeof *ov);
    ov->hEvent = ev();
    CHECK(!ReadFile(h, buf, size, &got, ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov->hEvent, 0), WAIT_TIMEOUT);
}

static void write_sync(HANDLE h, const void *buf, DWORD size)
{
    OVERLAPPED ov;
    DWORD done = 0xdeadbeef;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    CHECK(WriteFile(h, buf, size, &done, &ov));
    CHECK_EQ(done, size);
    CloseHandle(ov.hEvent);
}

static void read_sync(int line, HANDLE h, void *buf, DWORD size, DWORD expect, BOOL partial)
{
    OVERLAPPED ov;
    DWORD done = 0xdeadbeef;
    BOOL ok;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    ok = ReadFile(h, buf, size, &done, &ov);
    if (ok == partial) printf("   read at line %d: ok %d err %lu\n", line, ok, (unsigned long)GetLastError());
    if (partial) {
        CHECK(!ok);
        CHECK_ERROR(ERROR_MORE_DATA);
        CHECK_EQ(done, 0);
    } else {
        CHECK(ok);
        CHECK_EQ(done, expect);
    }
    done = 0xdeadbeef;
    ok = GetOverlappedResult(h, &ov, &done, FALSE);
    CHECK(partial ? !ok && GetLastError() == ERROR_MORE_DATA : ok);
    CHECK_EQ(done, expect);
    CloseHandle(ov.hEvent);
}
#define READ_SYNC(h, b, s, e, p) read_sync(__LINE__, h, b, s, e, p)

static void result_is(int line, HANDLE h, OVERLAPPED *ov, DWORD expect, BOOL partial)
{
    DWORD done = 0xdeadbeef;
    BOOL ok;
    DWORD w = WaitForSingleObject(ov->hEvent, 1000);
    if (w) printf("   result at line %d: wait %lu\n", line, (unsigned long)w);
    CHECK_EQ(w, WAIT_OBJECT_0);
    ok = GetOverlappedResult(h, ov, &done, FALSE);
    if (partial != !ok || done != expect)
        printf("   result at line %d: ok %d err %lu done %lu\n", line, ok, (unsigned long)GetLastError(), (unsigned long)done);
    CHECK(partial ? !ok && GetLastError() == ERROR_MORE_DATA : ok);
    CHECK_EQ(done, expect);
    CloseHandle(ov->hEvent);
}
#define RESULT(h, ov, e, p) result_is(__LINE__, h, ov, e, p)

/* Pending reads interleaved with writes of various sizes, in the three mode pairs. */
static void rw_sequence(HANDLE writer, HANDLE reader, BOOL msg_mode, BOOL msg_read)
{
    static char buf[8000], rbuf[8000];
    OVERLAPPED r1, r2;
    memset(buf, 0xaa, sizeof buf);

    read_async(reader, rbuf, 1000, &r1);
    PEEK(reader, 0, 0, 0);
    CHECK(FlushFileBuffers(writer));
    write_sync(writer, buf, 4000);
    RESULT(reader, &r1, 1000, msg_read);
    PEEK(reader, 3000, 3000, msg_mode ? 3000 : 0);
    READ_SYNC(reader, rbuf, 3000, 3000, FALSE);
    PEEK(reader, 0, 0, 0);

    /* an empty pipe: a zero-byte read and a 1000-byte read wait; a 1-byte write ends both */
    read_async(reader, rbuf, 0, &r1);
    read_async(reader, rbuf, 1000, &r2);
    write_sync(writer, buf, 1);
    RESULT(reader, &r1, 0, msg_read);
    RESULT(reader, &r2, 1, FALSE);
    PEEK(reader, 0, 0, 0);

    /* a zero-length write passes as an empty message */
    write_sync(writer, buf, 0);
    PEEK(reader, 0, 0, 0);
    if (msg_mode) READ_SYNC(reader, rbuf, 1, 0, FALSE);

    /* a zero-length write wakes one read in message mode, none in byte mode */
    read_async(reader, rbuf, 0, &r1);
    read_async(reader, rbuf, 1, &r2);
    write_sync(writer, buf, 0);
    if (msg_mode)
        RESULT(reader, &r1, 0, FALSE);
    else {
        Sleep(50);
        CHECK_EQ(WaitForSingleObject(r1.hEvent, 0), WAIT_TIMEOUT);
    }
    Sleep(20);
    CHECK_EQ(WaitForSingleObject(r2.hEvent, 0), WAIT_TIMEOUT);
    write_sync(writer, buf, 1);
    RESULT(reader, &r2, 1, FALSE);
    if (!msg_mode) RESULT(reader, &r1, 0, FALSE);

    write_sync(writer, buf, 20);
    PEEK(reader, 20, 20, msg_mode ? 20 : 0);
    write_sync(writer, buf, 15);
    PEEK(reader, msg_mode ? 20 : 35, 35, msg_mode ? 20 : 0);
    READ_SYNC(reader, rbuf, 10, 10, msg_read);
    PEEK(reader, msg_mode ? 10 : 25, 25, msg_mode ? 10 : 0);
    READ_SYNC(reader, rbuf, 10, 10, FALSE);
    PEEK(reader, 15, 15, msg_mode ? 15 : 0);
    READ_SYNC(reader, rbuf, 15, 15, FALSE);

    /* two pending reads; cancel the second; the first still gets the data */
    read_async(reader, rbuf, 1, &r1);
    read_async(reader, rbuf, 1, &r2);
    CHECK(CancelIoEx(reader, &r2));
    CHECK_EQ(WaitForSingleObject(r2.hEvent, 1000), WAIT_OBJECT_0);
    {
        DWORD done = 0xdeadbeef;
        CHECK(!GetOverlappedResult(reader, &r2, &done, FALSE));
        CHECK_ERROR(ERROR_OPERATION_ABORTED);
        CHECK_EQ(done, 0);
        CloseHandle(r2.hEvent);
    }
    CHECK(!CancelIoEx(reader, &r2));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK_EQ(WaitForSingleObject(r1.hEvent, 0), WAIT_TIMEOUT);
    write_sync(writer, buf, 1);
    RESULT(reader, &r1, 1, FALSE);
}

static void test_transport(void)
{
    HANDLE s, c;
    TEST("pending reads and writes of various sizes, message/byte pipes, both directions");
    make_pair("tr1", PIPE_TYPE_MESSAGE | PIPE_READMODE_BYTE, PIPE_READMODE_BYTE, &s, &c);
    rw_sequence(s, c, TRUE, FALSE);
    rw_sequence(c, s, TRUE, FALSE);
    CloseHandle(c); CloseHandle(s);
    make_pair("tr2", PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, PIPE_READMODE_MESSAGE, &s, &c);
    rw_sequence(s, c, TRUE, TRUE);
    rw_sequence(c, s, TRUE, TRUE);
    CloseHandle(c); CloseHandle(s);
    make_pair("tr3", PIPE_TYPE_BYTE | PIPE_READMODE_BYTE, PIPE_READMODE_BYTE, &s, &c);
    rw_sequence(s, c, FALSE, FALSE);
    rw_sequence(c, s, FALSE, FALSE);
    CloseHandle(c); CloseHandle(s);
}

static void test_transact_zero(void)
{
    HANDLE s, c;
    OVERLAPPED ov, ov2;
    /* The server's reads go to sbuf: a transaction pending meanwhile owns rbuf. */
    char rbuf[100], sbuf[100], buf[10] = "abcdefghi";
    TEST("TransactNamedPipe: zero-size messages, answered with another transaction");
    make_pair("tz", PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, PIPE_READMODE_MESSAGE, &s, &c);
    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!TransactNamedPipe(c, buf, 5, rbuf, 0, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    READ_SYNC(s, sbuf, sizeof sbuf, 5, FALSE);
    write_sync(s, buf, 0);
    RESULT(c, &ov, 0, FALSE);

    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!TransactNamedPipe(c, buf, 0, rbuf, 0, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    READ_SYNC(s, sbuf, sizeof sbuf, 0, FALSE);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 50), WAIT_TIMEOUT);
    write_sync(s, buf, 0);
    RESULT(c, &ov, 0, FALSE);

    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!TransactNamedPipe(c, buf, 3, rbuf, 100, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    READ_SYNC(s, sbuf, 1000 > sizeof sbuf ? sizeof sbuf : 1000, 3, FALSE);
    memset(&ov2, 0, sizeof ov2); ov2.hEvent = ev();
    CHECK(!TransactNamedPipe(s, buf, 4, rbuf, 100, NULL, &ov2));
    CHECK_ERROR(ERROR_IO_PENDING);
    RESULT(c, &ov, 4, FALSE);
    write_sync(c, buf, 1);
    RESULT(s, &ov2, 1, FALSE);

    /* the answer longer than the transaction's buffer */
    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!TransactNamedPipe(c, buf, 5, rbuf, 6, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    READ_SYNC(s, sbuf, sizeof sbuf, 5, FALSE);
    write_sync(s, buf, 10);
    RESULT(c, &ov, 6, TRUE);
    READ_SYNC(c, rbuf, sizeof rbuf, 4, FALSE);
    CloseHandle(c); CloseHandle(s);

    make_pair("tz2", PIPE_TYPE_MESSAGE | PIPE_READMODE_BYTE, PIPE_READMODE_BYTE, &s, &c);
    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!TransactNamedPipe(c, buf, 2, rbuf, 1, NULL, &ov));
    if (GetLastError() == ERROR_IO_PENDING) {
        DWORD d;
        CHECK(!GetOverlappedResultEx(c, &ov, &d, WAIT_MS, FALSE));
    }
    CHECK_ERROR(ERROR_BAD_PIPE);
    CloseHandle(ov.hEvent);
    CloseHandle(c); CloseHandle(s);
}

static void test_instances_order(void)
{
    HANDLE server[4], client;
    OVERLAPPED ov;
    int i;
    TEST("instances: a client goes to the instance that has listened longest");
    for (i = 0; i < 4; i++) {
        server[i] = CreateNamedPipeA(name_of("order"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_WAIT, 4, 1024, 1024, 0, NULL);
        CHECK(server[i] != INVALID_HANDLE_VALUE);
    }
#define OPEN() CreateFileA(name_of("order"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL)
#define CONNECT_IS(i, err) do { memset(&ov, 0, sizeof ov); CHECK(!ConnectNamedPipe(server[i], &ov)); CHECK_ERROR(err); } while (0)
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(2, ERROR_IO_PENDING);
    CONNECT_IS(0, ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(2, ERROR_IO_PENDING);
    CONNECT_IS(1, ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(2, ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    DisconnectNamedPipe(server[0]);
    DisconnectNamedPipe(server[2]);
    CONNECT_IS(2, ERROR_IO_PENDING);
    CONNECT_IS(0, ERROR_IO_PENDING);
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(3, ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(2, ERROR_PIPE_CONNECTED);
    CONNECT_IS(0, ERROR_IO_PENDING);
    CloseHandle(client);
    client = OPEN();
    CHECK(client != INVALID_HANDLE_VALUE);
    CONNECT_IS(0, ERROR_PIPE_CONNECTED);
    CloseHandle(client);
    DisconnectNamedPipe(server[0]);
    client = OPEN();
    CHECK(client == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    for (i = 0; i < 4; i++) { DisconnectNamedPipe(server[i]); CloseHandle(server[i]); }
}

static DWORD WINAPI wait_proc(void *arg)
{
    (void)arg;
    return WaitNamedPipeA(name_of("wait"), 2000) ? 0 : GetLastError();
}

static void test_wait_wakes(void)
{
    HANDLE s0, s1, client, t;
    OVERLAPPED ov;
    DWORD code = 99;
    TEST("WaitNamedPipe: woken by a new instance, and by an instance listening again");
    s0 = CreateNamedPipeA(name_of("wait"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_WAIT, 2, 1024, 1024, 0, NULL);
    CHECK(s0 != INVALID_HANDLE_VALUE);
    CHECK(WaitNamedPipeA(name_of("wait"), 1));
    client = CreateFileA(name_of("wait"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(!WaitNamedPipeA(name_of("wait"), 1));
    CHECK_ERROR(ERROR_SEM_TIMEOUT);
    t = CreateThread(NULL, 0, wait_proc, NULL, 0, NULL);
    Sleep(50);
    s1 = CreateNamedPipeA(name_of("wait"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_WAIT, 2, 1024, 1024, 0, NULL);
    CHECK(s1 != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(t, 500), WAIT_OBJECT_0);
    GetExitCodeThread(t, &code);
    CHECK_EQ(code, 0);
    CloseHandle(t);
    CloseHandle(s1);
    CloseHandle(client);
    CHECK(DisconnectNamedPipe(s0));
    t = CreateThread(NULL, 0, wait_proc, NULL, 0, NULL);
    Sleep(50);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    CHECK(!ConnectNamedPipe(s0, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(t, 500), WAIT_OBJECT_0);
    code = 99;
    GetExitCodeThread(t, &code);
    CHECK_EQ(code, 0);
    CloseHandle(t);
    CloseHandle(s0);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    CloseHandle(ov.hEvent);
}

static void test_handle_state_args(void)
{
    HANDLE s, c;
    DWORD state, inst, mode;
    TEST("SetNamedPipeHandleState / GetNamedPipeHandleState / GetNamedPipeInfo arguments");
    s = CreateNamedPipeA(name_of("hs"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(s != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeHandleStateA(s, NULL, NULL, NULL, NULL, NULL, 0));
    state = inst = 0xdead;
    CHECK(GetNamedPipeHandleStateA(s, &state, &inst, NULL, NULL, NULL, 0));
    CHECK_EQ(state, 0);
    CHECK_EQ(inst, 1);
    mode = PIPE_READMODE_MESSAGE;
    CHECK(!SetNamedPipeHandleState(s, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    c = CreateFileA(name_of("hs"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    mode = PIPE_READMODE_BYTE;
    CHECK(SetNamedPipeHandleState(c, &mode, NULL, NULL));
    mode = PIPE_READMODE_MESSAGE;
    CHECK(!SetNamedPipeHandleState(c, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(!SetNamedPipeHandleState(s, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    /* NULL everything */
    CHECK(SetNamedPipeHandleState(c, NULL, NULL, NULL));
    /* bad mode bits */
    mode = 0x10;
    CHECK(!SetNamedPipeHandleState(c, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(c); CloseHandle(s);

    s = CreateNamedPipeA(name_of("hs2"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 1, 1024, 1024, 0, NULL);
    CHECK(s != INVALID_HANDLE_VALUE);
    state = inst = 0xdead;
    CHECK(GetNamedPipeHandleStateA(s, &state, &inst, NULL, NULL, NULL, 0));
    CHECK_EQ(state, 0);
    CHECK_EQ(inst, 1);
    mode = PIPE_READMODE_BYTE;
    CHECK(SetNamedPipeHandleState(s, &mode, NULL, NULL));
    c = CreateFileA(name_of("hs2"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    mode = PIPE_READMODE_MESSAGE;
    CHECK(SetNamedPipeHandleState(c, &mode, NULL, NULL));
    mode = PIPE_READMODE_BYTE;
    CHECK(SetNamedPipeHandleState(c, &mode, NULL, NULL));
    /* after disconnect */
    CHECK(DisconnectNamedPipe(s));
    /* A client its server disconnected has no pipe left (STATUS_PIPE_DISCONNECTED: ReactOS's
     * kernel-mode NPFS test, written against Windows, queries it so); the server end keeps its
     * state, and has nothing to flush. */
    state = inst = 0xdead;
    CHECK(!GetNamedPipeHandleStateA(c, &state, &inst, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK_EQ(state, 0xdead);
    CHECK(GetNamedPipeHandleStateA(s, &state, &inst, NULL, NULL, NULL, 0));
    CHECK_EQ(state, 0);
    CHECK_EQ(inst, 1);
    {
        DWORD fl = 0xdead, o = 0xdead, i2 = 0xdead, m = 0xdead;
        CHECK(!GetNamedPipeInfo(c, &fl, &o, &i2, &m));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        CHECK(GetNamedPipeInfo(s, &fl, &o, &i2, &m));
        CHECK_EQ(fl, PIPE_SERVER_END | PIPE_TYPE_MESSAGE);
    }
    mode = PIPE_READMODE_MESSAGE;
    CHECK(!SetNamedPipeHandleState(c, &mode, NULL, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(FlushFileBuffers(s));
    /* DisconnectNamedPipe on a client: STATUS_ILLEGAL_FUNCTION (ReactOS's kernel-mode NPFS
     * test, NpfsConnect, written against Windows' driver) */
    WINE_DEVIATION("Wine 8 answers DisconnectNamedPipe on a client with ERROR_NOT_SUPPORTED") {
        CHECK(!DisconnectNamedPipe(c));
        CHECK_ERROR(ERROR_INVALID_FUNCTION);
    }
    CHECK(!DisconnectNamedPipe(s));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CloseHandle(c); CloseHandle(s);

    {
        DWORD fl, o, i2, m;
        s = CreateNamedPipeA(name_of("hs3"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_NOWAIT, 3, 1024, 1024, 0, NULL);
        CHECK(s != INVALID_HANDLE_VALUE);
        CHECK(GetNamedPipeInfo(s, &fl, &o, &i2, &m));
        CHECK_EQ(fl, PIPE_SERVER_END | PIPE_TYPE_MESSAGE);
        CHECK_EQ(o, 1024); CHECK_EQ(i2, 1024); CHECK_EQ(m, 3);
        CloseHandle(s);
        s = CreateNamedPipeA(name_of("hs4"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_MESSAGE, 1, 0, 0, 0, NULL);
        CHECK(GetNamedPipeInfo(s, &fl, &o, &i2, &m));
        CHECK_EQ(o, 0); CHECK_EQ(i2, 0); CHECK_EQ(m, 1);
        CloseHandle(s);
        s = CreateNamedPipeA(name_of("hs5"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_MESSAGE, 1, 0xf000, 0xf000, 0, NULL);
        CHECK(GetNamedPipeInfo(s, &fl, &o, &i2, &m));
        CHECK_EQ(o, 0xf000); CHECK_EQ(i2, 0xf000);
        CloseHandle(s);
    }
}

static void test_listening_state(void)
{
    HANDLE s, c;
    char buf[16];
    DWORD n = 0xdead, avail;
    OVERLAPPED ov;
    TEST("a listening and a disconnected instance: transfers, peek, flush; the client after");
    s = CreateNamedPipeA(name_of("ls"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(!WriteFile(s, "x", 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CHECK(!ReadFile(s, buf, 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CHECK(!WriteFile(s, "x", 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CHECK(!ReadFile(s, buf, 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CHECK(!PeekNamedPipe(s, NULL, 0, NULL, &avail, NULL)); CHECK_ERROR(ERROR_BAD_PIPE);
    /* a listening server has nothing to flush */
    CHECK(FlushFileBuffers(s));
    CloseHandle(s);

    s = CreateNamedPipeA(name_of("ls2"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    c = CreateFileA(name_of("ls2"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(c, "abc", 3, &n, NULL));
    CHECK(DisconnectNamedPipe(s));
    CHECK(!WriteFile(c, "x", 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!WriteFile(s, "x", 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!ReadFile(c, buf, 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!ReadFile(s, buf, 1, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!WriteFile(c, "x", 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!ReadFile(c, buf, 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!WriteFile(s, "x", 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!ReadFile(s, buf, 0, &n, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK_EQ(WaitForSingleObject(c, 0), WAIT_TIMEOUT);
    CHECK(!PeekNamedPipe(c, NULL, 0, NULL, &avail, NULL)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!PeekNamedPipe(s, NULL, 0, NULL, &avail, NULL)); CHECK_ERROR(ERROR_BAD_PIPE);
    CHECK(!FlushFileBuffers(c)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    /* a client of the disconnected instance: busy until it listens */
    {
        HANDLE c2 = CreateFileA(name_of("ls2"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(c2 == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_PIPE_BUSY);
    }
    /* a synchronous handle with an OVERLAPPED on a disconnected end: fails, OVERLAPPED pending */
    memset(&ov, 0, sizeof ov);
    ov.InternalHigh = 0xdeadbeef;
    CHECK(!ReadFile(s, buf, 1, &n, &ov)); CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK_EQ(ov.Internal, (ULONG_PTR)STATUS_PENDING);
    CHECK_EQ(ov.InternalHigh, (ULONG_PTR)0xdeadbeef);
    CloseHandle(c); CloseHandle(s);
}

static void test_nowait_connect(void)
{
    HANDLE s, c;
    OVERLAPPED ov;
    TEST("PIPE_NOWAIT: ConnectNamedPipe on each state");
    s = CreateNamedPipeA(name_of("nw"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_MESSAGE | PIPE_NOWAIT, 1, 512, 512, 0, NULL);
    CHECK(s != INVALID_HANDLE_VALUE);
    memset(&ov, 0, sizeof ov); ov.hEvent = ev();
    CHECK(!ConnectNamedPipe(s, &ov)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CHECK(!ConnectNamedPipe(s, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    c = CreateFileA(name_of("nw"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    CHECK(!ConnectNamedPipe(s, &ov)); CHECK_ERROR(ERROR_PIPE_CONNECTED);
    CloseHandle(c);
    CHECK(!ConnectNamedPipe(s, &ov)); CHECK_ERROR(ERROR_NO_DATA);
    CHECK(DisconnectNamedPipe(s));
    CHECK(!ConnectNamedPipe(s, &ov)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    CloseHandle(ov.hEvent);
    CloseHandle(s);

    /* synchronous server, PIPE_NOWAIT; then set back to PIPE_WAIT */
    s = CreateNamedPipeA(name_of("nw2"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_NOWAIT, 1, 512, 512, 0, NULL);
    CHECK(!ConnectNamedPipe(s, NULL)); CHECK_ERROR(ERROR_PIPE_LISTENING);
    {
        DWORD st = 0xdead;
        CHECK(GetNamedPipeHandleStateA(s, &st, NULL, NULL, NULL, NULL, 0));
        CHECK_EQ(st, PIPE_NOWAIT);
        st = PIPE_WAIT;
        CHECK(SetNamedPipeHandleState(s, &st, NULL, NULL));
        memset(&ov, 0, sizeof ov);
    }
    CloseHandle(s);
}

static void test_sync_more_data(void)
{
    HANDLE s, c;
    OVERLAPPED ov;
    DWORD n;
    char buf[512];
    TEST("a synchronous message read with an OVERLAPPED that takes part of a message");
    s = CreateNamedPipeA(name_of("md"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 1024, 1024, 0, NULL);
    c = CreateFileA(name_of("md"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(WriteFile(c, buf, sizeof buf, &n, NULL));
    n = 0xdead;
    CHECK(!ReadFile(s, buf, 1, &n, NULL)); CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(n, 1);
    memset(&ov, 0, sizeof ov);
    n = 0xdead;
    CHECK(!ReadFile(s, buf, 1, &n, &ov)); CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(n, 0);
    CHECK_EQ(ov.Internal, (ULONG_PTR)0x80000005);
    CHECK_EQ(ov.InternalHigh, 1);
    n = 0xdead;
    CHECK(!GetOverlappedResult(s, &ov, &n, FALSE)); CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(n, 1);
    CHECK(ReadFile(s, buf, sizeof buf, &n, NULL));
    CHECK_EQ(n, 510);
    CloseHandle(c); CloseHandle(s);
}

static void test_invalid_handle(void)
{
    char buf[4];
    DWORD n = 0xdead;
    TEST("ReadFile of INVALID_HANDLE_VALUE");
    CHECK(!ReadFile(INVALID_HANDLE_VALUE, buf, 0, &n, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(n, 0);
}

static void test_zero_read_byte_pending(void)
{
    HANDLE s, c;
    OVERLAPPED ov;
    char buf[8];
    DWORD n = 0xdead;
    TEST("a zero-byte overlapped read of a byte pipe: pending untouched, then 0 bytes when data comes");
    make_pair("zr", PIPE_TYPE_BYTE, PIPE_READMODE_BYTE, &s, &c);
    memset(&ov, 0, sizeof ov);
    ov.Internal = (ULONG_PTR)-1; ov.InternalHigh = (ULONG_PTR)-1;
    ov.hEvent = ev();
    CHECK(!ReadFile(s, buf, 0, &n, &ov)); CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(n, 0);
    CHECK_EQ((DWORD)ov.Internal, STATUS_PENDING);
    CHECK_EQ(ov.InternalHigh, (ULONG_PTR)-1);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 100), WAIT_TIMEOUT);
    CHECK(WriteFile(c, "t", 1, &n, NULL) || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 1000), WAIT_OBJECT_0);
    CHECK_EQ((DWORD)ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 0);
    READ_SYNC(s, buf, 1, 1, FALSE);
    CloseHandle(ov.hEvent);
    CloseHandle(c); CloseHandle(s);
}

static int apc_ran;
static void CALLBACK count_apc(ULONG_PTR arg) { (void)arg; apc_ran++; }

static void test_getoverlappedresultex(void)
{
    HANDLE s, c;
    OVERLAPPED ov;
    DWORD n;
    char buf[8];
    TEST("GetOverlappedResultEx on a pending pipe read: time-outs and APCs");
    make_pair("gx", PIPE_TYPE_BYTE, PIPE_READMODE_BYTE, &s, &c);
    read_async(c, buf, sizeof buf, &ov);
    apc_ran = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    CHECK(!GetOverlappedResultEx(c, &ov, &n, 0, FALSE)); CHECK_ERROR(ERROR_IO_INCOMPLETE);
    CHECK(!GetOverlappedResultEx(c, &ov, &n, 0, TRUE)); CHECK_ERROR(ERROR_IO_INCOMPLETE);
    CHECK(!GetOverlappedResultEx(c, &ov, &n, 10, FALSE)); CHECK_ERROR(WAIT_TIMEOUT);
    CHECK_EQ(apc_ran, 0);
    CHECK(!GetOverlappedResultEx(c, &ov, &n, 10, TRUE)); CHECK_ERROR(WAIT_IO_COMPLETION);
    CHECK_EQ(apc_ran, 1);
    CHECK(CancelIo(c));
    CHECK(!GetOverlappedResultEx(c, &ov, &n, 1000, FALSE)); CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CloseHandle(ov.hEvent);
    CloseHandle(c); CloseHandle(s);
}


static BOOL signalled(HANDLE h) { return WaitForSingleObject(h, 0) == WAIT_OBJECT_0; }

/* Windows' I/O manager resets a file object's event at the issue of every request and
 * sets it at the completion of a success, a warning, or an error of a request that was
 * pending first; a request the pipe file system fails at once leaves it reset. Wine's
 * kernel32 pipe test (test_DisconnectNamedPipe, on Windows) records it for a client whose
 * server disconnected; ReactOS's IopCompleteRequest, a reimplementation of the I/O
 * manager, gives the rule. Wine 8 signals the server ends in these cases. */
static void test_handle_signal_after_failure(void)
{
    HANDLE s, c, so, co;
    DWORD n;
    char buf[8];
    OVERLAPPED ov;
    TEST("a pipe handle after a request the pipe fails at once: not signalled");
    s = CreateNamedPipeA(name_of("sg"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(s != INVALID_HANDLE_VALUE);
    CHECK(signalled(s));
    CHECK(!ReadFile(s, buf, 1, &n, NULL));
    CHECK_ERROR(ERROR_PIPE_LISTENING);
    WINE_DEVIATION("Wine 8 signals a pipe handle after a request failed at once") { CHECK(!signalled(s)); }
    c = CreateFileA(name_of("sg"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    CHECK(signalled(c));
    CHECK(!ConnectNamedPipe(s, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    WINE_DEVIATION("Wine 8 signals a pipe handle after a request failed at once") { CHECK(!signalled(s)); }
    /* a success signals it again, a peek's too; a failed peek leaves it reset */
    CHECK(WriteFile(c, "ab", 2, &n, NULL));
    CHECK(PeekNamedPipe(s, NULL, 0, NULL, &n, NULL));
    CHECK(signalled(s));
    CHECK(ReadFile(s, buf, 1, &n, NULL));
    CHECK(signalled(s));
    CHECK(signalled(c));
    /* a synchronous handle given an OVERLAPPED: the same */
    CHECK(DisconnectNamedPipe(s));
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    SetEvent(ov.hEvent);
    CHECK(!WriteFile(c, "x", 1, &n, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!ReadFile(c, buf, 1, &n, &ov));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!signalled(c));
    CHECK(!signalled(ov.hEvent));
    CHECK_EQ((DWORD)ov.Internal, STATUS_PENDING);
    CHECK(!TransactNamedPipe(c, "x", 1, buf, sizeof buf, &n, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!signalled(c));
    CHECK(!PeekNamedPipe(c, NULL, 0, NULL, &n, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(!signalled(c));
    CloseHandle(ov.hEvent);
    CloseHandle(c);
    CloseHandle(s);

    so = CreateNamedPipeA(name_of("sg2"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(so != INVALID_HANDLE_VALUE);
    CHECK(signalled(so));
    /* an overlapped handle's request the pipe fails at once: the same */
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    CHECK(!ReadFile(so, buf, 1, &n, &ov));
    CHECK_ERROR(ERROR_PIPE_LISTENING);
    WINE_DEVIATION("Wine 8 signals a pipe handle after a request failed at once") { CHECK(!signalled(so)); }
    CHECK(!signalled(ov.hEvent));
    CloseHandle(ov.hEvent);
    co = CreateFileA(name_of("sg2"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(co != INVALID_HANDLE_VALUE);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev();
    CHECK(!ConnectNamedPipe(so, &ov));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    WINE_DEVIATION("Wine 8 signals a pipe handle after a request failed at once") { CHECK(!signalled(so)); }
    CHECK(!signalled(ov.hEvent));
    CloseHandle(ov.hEvent);
    CloseHandle(co);
    CloseHandle(so);
}

/* CreateFile of a pipe's name opens an existing object: OPEN_ALWAYS says so with
 * ERROR_ALREADY_EXISTS (Microsoft Learn, CreateFileA), other dispositions leave 0. */
static void test_open_dispositions(void)
{
    static const DWORD disposition[] = {OPEN_EXISTING, OPEN_ALWAYS, CREATE_ALWAYS};
    static const DWORD expected[] = {ERROR_SUCCESS, ERROR_ALREADY_EXISTS, ERROR_SUCCESS};
    int i;
    TEST("CreateFile of a pipe: OPEN_ALWAYS reports ERROR_ALREADY_EXISTS");
    for (i = 0; i < 3; i++) {
        HANDLE s = CreateNamedPipeA(name_of("disp"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
        HANDLE c;
        CHECK(s != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        c = CreateFileA(name_of("disp"), GENERIC_READ | GENERIC_WRITE, 0, NULL, disposition[i], 0, NULL);
        CHECK(c != INVALID_HANDLE_VALUE);
        CHECK_ERROR(expected[i]);
        CloseHandle(c);
        CloseHandle(s);
    }
    /* A disposition that is none of CreateFile's five fails with ERROR_INVALID_PARAMETER
     * before anything is opened (kernelbase maps it first; Wine gives the same): the one
     * instance stays free for the next client. */
    TEST("CreateFile of a pipe: a disposition that is none of the five");
    HANDLE s = CreateNamedPipeA(name_of("disp"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(s != INVALID_HANDLE_VALUE);
    for (i = 0; i < 8; i += 6) {
        HANDLE c;
        SetLastError(0xdeadbeef);
        c = CreateFileA(name_of("disp"), GENERIC_READ | GENERIC_WRITE, 0, NULL, (DWORD)i, 0, NULL);
        CHECK(c == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        if (c != INVALID_HANDLE_VALUE) CloseHandle(c);
    }
    HANDLE c = CreateFileA(name_of("disp"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(c != INVALID_HANDLE_VALUE);
    CloseHandle(c);
    CloseHandle(s);
}

/* Writes pending (more than the pipe holds) when the other end goes: the pipe file system
 * completes them with ERROR_BROKEN_PIPE when the other end closes and with
 * ERROR_PIPE_NOT_CONNECTED at DisconnectNamedPipe, counting nothing; a FlushFileBuffers
 * waiting meanwhile fails the same way (Wine's kernel32 pipe test, test_overlapped_transport,
 * on Windows). */
static char big_buf[8 << 20];

/* The helper threads' answer (the error of the call, or 0). */
static volatile LONG thread_answer;

static DWORD WINAPI flush_proc(void *pipe)
{
    tl_store(&thread_answer, FlushFileBuffers(pipe) ? 0 : (LONG)GetLastError());
    return 0;
}

static DWORD WINAPI sync_write_proc(void *pipe)
{
    DWORD n = 0xdead;
    tl_store(&thread_answer, WriteFile(pipe, big_buf, sizeof big_buf, &n, NULL) ? 0 : (LONG)GetLastError());
    return 0;
}

static HANDLE start_thread(LPTHREAD_START_ROUTINE proc, HANDLE pipe)
{
    HANDLE t;
    tl_store(&thread_answer, -1);
    t = CreateThread(NULL, 0, proc, pipe, 0, NULL);
    CHECK(t != NULL);
    Sleep(100);
    CHECK_EQ(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    return t;
}

static void thread_ends_with(HANDLE t, DWORD error)
{
    CHECK_EQ(WaitForSingleObject(t, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ((DWORD)tl_load(&thread_answer), error);
    CloseHandle(t);
}

static void write_pending(HANDLE h, OVERLAPPED *ov)
{
    DWORD n;
    memset(ov, 0, sizeof *ov);
    ov->hEvent = ev();
    CHECK(!WriteFile(h, big_buf, sizeof big_buf, &n, ov));
    CHECK_ERROR(ERROR_IO_PENDING);
}

static void write_failed(HANDLE h, OVERLAPPED *ov, DWORD error)
{
    DWORD n = 0xdead;
    CHECK_EQ(WaitForSingleObject(ov->hEvent, WAIT_MS), WAIT_OBJECT_0);
    CHECK(!GetOverlappedResult(h, ov, &n, FALSE));
    CHECK_ERROR(error);
    CHECK_EQ(n, 0);
    CloseHandle(ov->hEvent);
}

static void test_pending_writes_broken(void)
{
    HANDLE s, c, t;
    OVERLAPPED ov, ov2;
    int m;
    TEST("writes pending when the other end closes or is disconnected: ERROR_BROKEN_PIPE, ERROR_PIPE_NOT_CONNECTED");
    for (m = 0; m < 2; m++) {
        DWORD mode = m ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE : PIPE_TYPE_BYTE;
        make_pair("pw1", mode, mode & PIPE_READMODE_MESSAGE, &s, &c);
        write_pending(s, &ov);
        t = start_thread(flush_proc, s);
        CloseHandle(c);
        write_failed(s, &ov, ERROR_BROKEN_PIPE);
        thread_ends_with(t, ERROR_BROKEN_PIPE);
        CloseHandle(s);

        make_pair("pw2", mode, mode & PIPE_READMODE_MESSAGE, &s, &c);
        write_pending(c, &ov);
        t = start_thread(flush_proc, c);
        CloseHandle(s);
        write_failed(c, &ov, ERROR_BROKEN_PIPE);
        thread_ends_with(t, ERROR_BROKEN_PIPE);
        CloseHandle(c);

        make_pair("pw3", mode, mode & PIPE_READMODE_MESSAGE, &s, &c);
        write_pending(c, &ov);
        write_pending(s, &ov2);
        t = start_thread(flush_proc, c);
        CHECK(DisconnectNamedPipe(s));
        write_failed(c, &ov, ERROR_PIPE_NOT_CONNECTED);
        write_failed(s, &ov2, ERROR_PIPE_NOT_CONNECTED);
        thread_ends_with(t, ERROR_PIPE_NOT_CONNECTED);
        CloseHandle(c);
        CloseHandle(s);

        /* a synchronous client's write waiting for room */
        s = CreateNamedPipeA(name_of("pw4"), PIPE_ACCESS_DUPLEX, mode, 1, 5000, 6000, 0, NULL);
        CHECK(s != INVALID_HANDLE_VALUE);
        c = CreateFileA(name_of("pw4"), GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(c != INVALID_HANDLE_VALUE);
        t = start_thread(sync_write_proc, c);
        CloseHandle(s);
        thread_ends_with(t, ERROR_BROKEN_PIPE);
        CloseHandle(c);
    }
}

int main(void)
{
    test_pending_writes_broken();
    test_open_dispositions();
    test_handle_signal_after_failure();
    test_transport();
    test_transact_zero();
    test_instances_order();
    test_wait_wakes();
    test_handle_state_args();
    test_listening_state();
    test_nowait_connect();
    test_sync_more_data();
    test_invalid_handle();
    test_zero_read_byte_pending();
    test_getoverlappedresultex();
    return tl_finish();
}
