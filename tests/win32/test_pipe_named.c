/* test_pipe_named.c: named pipes, synchronous handles, in one process.
 *
 * Covers: CreateNamedPipe's argument checks and names (case, hostile names, another
 * server's name), WaitNamedPipe (no such pipe, an instance free, the time-out, the name
 * gone while it waits), a client's
 * CreateFile, ConnectNamedPipe's immediate answers (ERROR_PIPE_CONNECTED, a client's
 * handle, ERROR_NO_DATA after the client came and left), transfers both ways in byte and
 * message mode, PeekNamedPipe (bytes available, bytes left in the message), partial
 * message reads (ERROR_MORE_DATA, the rest read next, also from another thread),
 * zero-length messages, instance limits (ERROR_PIPE_BUSY), parameters that must match
 * (ERROR_ACCESS_DENIED), FILE_FLAG_FIRST_PIPE_INSTANCE, DisconnectNamedPipe (the client's
 * read gets ERROR_PIPE_NOT_CONNECTED), the end of the connection (ERROR_BROKEN_PIPE,
 * ERROR_NO_DATA), GetNamedPipeInfo, Get/SetNamedPipeHandleState, the process ids,
 * TransactNamedPipe and CallNamedPipe, PIPE_NOWAIT, large messages, inbound and outbound
 * pipes, FlushFileBuffers (waits for the reader), GetFileSizeEx (the bytes to read), the
 * handle unsignalled while a read or ConnectNamedPipe blocks on it. Every wait is bounded. Facts: wine's dlls/kernel32/tests/pipe.c (Windows' own
 * answers, recorded there), Microsoft Learn's pages for each function. */
#include "testlib.h"

#define WAIT_MS 10000

static char pipe_name[128];

static const char *name_of(const char *suffix)
{
    sprintf(pipe_name, "\\\\.\\pipe\\overlapped_test_%lu_%s", (unsigned long)GetCurrentProcessId(), suffix);
    return pipe_name;
}

static HANDLE make_server(const char *name, DWORD open_mode, DWORD pipe_mode, DWORD instances)
{
    return CreateNamedPipeA(name, open_mode, pipe_mode, instances, 1024, 1024, NMPWAIT_USE_DEFAULT_WAIT, NULL);
}

static HANDLE open_client(const char *name, DWORD access)
{
    return CreateFileA(name, access, 0, NULL, OPEN_EXISTING, 0, NULL);
}

static void test_arguments(void)
{
    HANDLE h;
    char long_name[400];

    TEST("CreateNamedPipe's argument checks, names that do not exist");
    SetLastError(0xdeadbeef);
    h = CreateNamedPipeA("not a named pipe", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    h = CreateNamedPipeA(NULL, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    h = CreateNamedPipeA(name_of("args"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_MESSAGE, 1, 1024, 1024,
                         0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    WINE_DEVIATION("Wine makes a pipe of at most 0 instances")
    {
        SetLastError(0xdeadbeef);
        h = CreateNamedPipeA(name_of("args"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 0, 1024, 1024, 0, NULL);
        CHECK(h == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
    }
    WINE_DEVIATION("Wine makes a pipe of at most 256 instances")
    {
        SetLastError(0xdeadbeef);
        h = CreateNamedPipeA(name_of("args"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 256, 1024, 1024, 0, NULL);
        CHECK(h == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
    }

    SetLastError(0xdeadbeef);
    CHECK(!WaitNamedPipeA(name_of("nothing"), 200));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    h = open_client(name_of("nothing"), GENERIC_READ | GENERIC_WRITE);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    /* Over-long names: past MAX_PATH an ANSI name is refused before it is converted. */
    memset(long_name, 'a', sizeof(long_name));
    memcpy(long_name, "\\\\.\\pipe\\", 9);
    long_name[sizeof(long_name) - 1] = 0;
    SetLastError(0xdeadbeef);
    h = CreateNamedPipeA(long_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
}

/* Names are not case sensitive; names with path-like characters stay names. */
static void test_names(void)
{
    static const char *hostile[] = {
        "\\\\.\\pipe\\overlapped_test_x\\..\\..\\..\\etc",
        "\\\\.\\pipe\\overlapped_test_a/b/../../c",
        "\\\\.\\pipe\\overlapped_test_a<>*?|\"b",
        "\\\\.\\pipe\\overlapped_test_~!@#$%^&()",
    };
    HANDLE server, client;
    char upper[128];
    size_t i;

    TEST("names: case, hostile characters");
    server = make_server(name_of("CaseName"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    strcpy(upper, pipe_name);
    for (i = 0; upper[i]; i++) upper[i] = (char)toupper((unsigned char)upper[i]);
    client = open_client(upper, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CloseHandle(client);
    CloseHandle(server);

    for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        /* Either refused as a name, or a name like any other. */
        SetLastError(0xdeadbeef);
        server = make_server(hostile[i], PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
        if (server == INVALID_HANDLE_VALUE) {
            CHECK_ERROR(ERROR_INVALID_NAME);
            continue;
        }
        client = open_client(hostile[i], GENERIC_READ | GENERIC_WRITE);
        CHECK(client != INVALID_HANDLE_VALUE);
        if (client != INVALID_HANDLE_VALUE) CloseHandle(client);
        CloseHandle(server);
    }

    /* A pipe on another server is not ours to reach. */
    WINE_DEVIATION("Wine tries the network for \\\\host\\pipe names")
    {
        SetLastError(0xdeadbeef);
        client = open_client("\\\\otherhost\\pipe\\overlapped_test", GENERIC_READ);
        CHECK(client == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_BAD_NETPATH);
    }
}

static void transfer(HANDLE from, HANDLE to, const char *text)
{
    char buffer[64];
    DWORD done = 0, len = (DWORD)strlen(text);
    CHECK(WriteFile(from, text, len, &done, NULL));
    CHECK_EQ(done, len);
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(to, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, len);
    CHECK(memcmp(buffer, text, len) == 0);
}

static void test_byte_pipe(void)
{
    HANDLE server, client, second;
    char buffer[64];
    DWORD done = 0, avail = 0, left = 0, read = 0, type;

    TEST("a byte pipe: connect, transfers, peek, busy, the end of the connection");
    server = make_server(name_of("byte"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileType(server), FILE_TYPE_PIPE);
    /* Not connected: nothing to peek at, nothing to read. */
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(server, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_BAD_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_LISTENING);

    CHECK(WaitNamedPipeA(pipe_name, 2000));
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileType(client), FILE_TYPE_PIPE);
    /* The only instance is taken. */
    SetLastError(0xdeadbeef);
    CHECK(!WaitNamedPipeA(pipe_name, 100));
    CHECK_ERROR(ERROR_SEM_TIMEOUT);
    SetLastError(0xdeadbeef);
    second = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);

    /* The client came first. */
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(client, NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);

    transfer(server, client, "Bit Bucket");
    transfer(client, server, "More bits");

    /* A byte pipe: writes run together; peek leaves them. */
    CHECK(WriteFile(server, "abc", 3, &done, NULL));
    CHECK(WriteFile(server, "defg", 4, &done, NULL));
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, &left));
    CHECK_EQ(avail, 7);
    CHECK_EQ(left, 0);
    memset(buffer, 0, sizeof(buffer));
    CHECK(PeekNamedPipe(client, buffer, 4, &read, &avail, NULL));
    CHECK_EQ(read, 4);
    CHECK_EQ(avail, 7);
    CHECK(memcmp(buffer, "abcd", 4) == 0);
    /* Without a buffer the counts are those of a peek of the size given: kernelbase peeks
     * into a buffer of its own and copies out only if given one (Wine's kernelbase too; a
     * byte pipe's bytes left are minus the bytes peeked, as test_CreateNamedPipe records). */
    read = 99;
    left = 99;
    CHECK(PeekNamedPipe(client, NULL, 5, &read, &avail, &left));
    CHECK_EQ(read, 5);
    CHECK_EQ(avail, 7);
    CHECK_EQ(left, (DWORD)-5);
    CHECK(PeekNamedPipe(client, NULL, 100, &read, &avail, NULL));
    CHECK_EQ(read, 7);
    CHECK(ReadFile(client, buffer, 2, &done, NULL));
    CHECK_EQ(done, 2);
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 5);
    CHECK(memcmp(buffer, "cdefg", 5) == 0);

    /* A byte pipe's client cannot read in message mode. */
    type = PIPE_READMODE_MESSAGE;
    SetLastError(0xdeadbeef);
    CHECK(!SetNamedPipeHandleState(client, &type, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    /* The client goes: the server reads the end, writes go nowhere, ConnectNamedPipe
     * says the client came and left; no new client gets in until a disconnect and a
     * new ConnectNamedPipe. */
    CHECK(WriteFile(client, "bye", 3, &done, NULL));
    CHECK(CloseHandle(client));
    /* The closing state starts at the client's close, with its bytes still to read. */
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    /* A read of no bytes takes nothing while bytes wait, also after the client went. */
    done = 99;
    CHECK(ReadFile(server, buffer, 0, &done, NULL));
    CHECK_EQ(done, 0);
    CHECK(ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 3);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(server, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    /* Reads and writes of no bytes fail as the others do (Wine's kernel32 pipe test,
     * test_CloseHandle, on Windows). */
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, 0, &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(server, "x", 0, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    SetLastError(0xdeadbeef);
    second = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    CHECK(DisconnectNamedPipe(server));
    SetLastError(0xdeadbeef);
    second = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    CHECK(CloseHandle(server));
    /* The name went with its last instance. */
    SetLastError(0xdeadbeef);
    second = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

struct connect_args {
    HANDLE pipe;
    volatile LONG result;
    volatile LONG error;
};

static DWORD WINAPI connect_main(LPVOID arg)
{
    struct connect_args *a = (struct connect_args *)arg;
    BOOL ok = ConnectNamedPipe(a->pipe, NULL);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->result, ok);
    return 0;
}

static void test_disconnect(void)
{
    HANDLE server, client, thread;
    struct connect_args args;
    char buffer[16];
    DWORD done = 0;

    TEST("DisconnectNamedPipe, then a new client through a blocking ConnectNamedPipe");
    server = make_server(name_of("disc"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    transfer(client, server, "one");
    CHECK(DisconnectNamedPipe(server));
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(client, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(server, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    /* A peek at a disconnected server end finds it in the wrong state; at the client, not
     * connected (Wine's ntdll conformance test of FSCTL_PIPE_PEEK in each state). */
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(server, NULL, 0, NULL, &done, NULL));
    CHECK_ERROR(ERROR_BAD_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(client, NULL, 0, NULL, &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    /* The client's file object has no pipe left: its queries and settings fail the same
     * way (STATUS_PIPE_DISCONNECTED; ReactOS's npfs decodes no pipe from it for a query or
     * a setting; Wine answers GetNamedPipeInfo so). */
    {
        DWORD flags = 0, state = 0, mode = PIPE_READMODE_BYTE;
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeInfo(client, &flags, NULL, NULL, NULL));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeHandleStateA(client, &state, NULL, NULL, NULL, NULL, 0));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        SetLastError(0xdeadbeef);
        CHECK(!SetNamedPipeHandleState(client, &mode, NULL, NULL));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        /* The server end still answers. */
        CHECK(GetNamedPipeInfo(server, &flags, NULL, NULL, NULL));
        CHECK_EQ(flags, PIPE_SERVER_END);
    }
    SetLastError(0xdeadbeef);
    CHECK(!DisconnectNamedPipe(server));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(CloseHandle(client));

    /* A blocking ConnectNamedPipe waits for the next client. */
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, connect_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    transfer(server, client, "two");
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));
}

/* DisconnectNamedPipe discards what the client has not read (Microsoft Learn,
 * DisconnectNamedPipe: "any unread data in the pipe is discarded"): the client's next
 * read, peek and write fail with ERROR_PIPE_NOT_CONNECTED, on a byte pipe, on a message
 * pipe with the rest of a message unread, and on an overlapped client (at once, no
 * request). The instance's next client starts clean. */
static void test_disconnect_discards(void)
{
    HANDLE server, client, thread;
    struct connect_args args;
    OVERLAPPED overlapped;
    char buffer[16];
    DWORD done = 0, avail = 7, mode = PIPE_READMODE_MESSAGE;

    TEST("DisconnectNamedPipe discards the client's unread data");
    server = make_server(name_of("discard"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, NULL));
    CHECK_EQ(avail, 6);
    CHECK(DisconnectNamedPipe(server));
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(client, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    SetLastError(0xdeadbeef);
    done = 7;
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK_EQ(done, 0);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(CloseHandle(client));
    /* The next client of the instance reads only what is written to it. */
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, connect_main, &args, 0, NULL);
    CHECK(WaitNamedPipeA(pipe_name, WAIT_MS));
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    CHECK(WriteFile(server, "new", 3, &done, NULL));
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 3);
    CHECK(memcmp(buffer, "new", 3) == 0);
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));

    /* A message pipe, the rest of a message and a whole one unread; the client's write
     * fails too. */
    server = make_server(name_of("discardmsg"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    CHECK(WriteFile(server, "first message", 13, &done, NULL));
    CHECK(WriteFile(server, "second", 6, &done, NULL));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, 5, &done, NULL));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(done, 5);
    CHECK(DisconnectNamedPipe(server));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(client, "late", 4, &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));

    /* An overlapped client: the read fails at once. */
    server = make_server(name_of("discardov"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(DisconnectNamedPipe(server));
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CloseHandle(overlapped.hEvent);
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));
}

struct read_args {
    HANDLE pipe;
    char *buffer;
    DWORD size;
    volatile LONG done;
    volatile LONG result;
    volatile LONG error;
};

static DWORD WINAPI read_main(LPVOID arg)
{
    struct read_args *a = (struct read_args *)arg;
    DWORD done = 0;
    BOOL ok = ReadFile(a->pipe, a->buffer, a->size, &done, NULL);
    tl_store(&a->done, (LONG)done);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->result, ok);
    return 0;
}

/* Whether `handle` turns unsignalled within WAIT_MS (a request on it started). */
static BOOL becomes_unsignalled(HANDLE handle)
{
    for (int i = 0; i < WAIT_MS / 5; ++i) {
        if (WaitForSingleObject(handle, 0) == WAIT_TIMEOUT) return TRUE;
        Sleep(5);
    }
    return FALSE;
}

static void test_sync_handle_signal(void)
{
    HANDLE server, client, thread;
    char buffer[16];
    DWORD done = 0;
    struct read_args reader = {0};
    struct connect_args connecter = {0};

    /* Windows' I/O manager resets the file object at every request's issue and sets it
     * at its end; a synchronous end blocked in a read or a listen is not signalled
     * (Wine's ntdll pipe.c test_blocking and test_cancelsynchronousio, on Windows, wait
     * for that reset to know the request started). */
    TEST("a synchronous end is unsignalled while a read or a listen blocks on it");
    name_of("syncsignal");
    server = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(server, 0), WAIT_OBJECT_0);
    connecter.pipe = server;
    thread = CreateThread(NULL, 0, connect_main, &connecter, 0, NULL);
    CHECK(becomes_unsignalled(server));
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&connecter.result), TRUE);
    CHECK_EQ(WaitForSingleObject(server, 0), WAIT_OBJECT_0);

    CHECK_EQ(WaitForSingleObject(client, 0), WAIT_OBJECT_0);
    reader.pipe = client;
    reader.buffer = buffer;
    reader.size = sizeof(buffer);
    thread = CreateThread(NULL, 0, read_main, &reader, 0, NULL);
    CHECK(becomes_unsignalled(client));
    CHECK(WriteFile(server, "wake", 4, &done, NULL));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&reader.result), TRUE);
    CHECK_EQ(tl_load(&reader.done), 4);
    CHECK_EQ(WaitForSingleObject(client, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(server, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));
}

static void test_message_pipe(void)
{
    static const char obuf[] = "Bit Bucket";
    static const char obuf2[] = "More bits";
    HANDLE server, client, thread;
    char buffer[64];
    DWORD done = 0, avail = 0, left = 0, read = 0, mode, state = 0, instances = 0;
    struct read_args args;

    TEST("a message pipe: boundaries, partial reads, zero-length messages, peek");
    server = make_server(name_of("msg"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);

    /* A client starts in byte read mode. */
    CHECK(GetNamedPipeHandleStateA(client, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_WAIT | PIPE_READMODE_BYTE);
    CHECK(GetNamedPipeHandleStateA(server, &state, &instances, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_WAIT | PIPE_READMODE_MESSAGE);
    CHECK_EQ(instances, 1);
    /* A server end has no collection settings (a remote client's): asking for them fails
     * (Wine's test_NamedPipeHandleState records it). */
    WINE_DEVIATION("Wine 8 reports 0 for a server end's collection settings") {
        DWORD collection = 0, timeout = 0;
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeHandleStateA(server, &state, &instances, &collection, &timeout, NULL, 0));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    mode = PIPE_READMODE_MESSAGE;
    CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    CHECK(GetNamedPipeHandleStateA(client, &state, NULL, NULL, NULL, NULL, 0));
    CHECK_EQ(state, PIPE_READMODE_MESSAGE);

    /* Peek: one message's bytes left, everything available. */
    CHECK(WriteFile(server, obuf, sizeof(obuf), &done, NULL));
    CHECK(WriteFile(server, obuf2, sizeof(obuf2), &done, NULL));
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, &left));
    CHECK_EQ(avail, sizeof(obuf) + sizeof(obuf2));
    CHECK_EQ(left, sizeof(obuf));
    CHECK(PeekNamedPipe(client, buffer, 4, &read, &avail, &left));
    CHECK_EQ(read, 4);
    CHECK_EQ(left, sizeof(obuf) - 4);
    CHECK(PeekNamedPipe(client, buffer, sizeof(buffer), &read, &avail, &left));
    CHECK_EQ(read, sizeof(obuf));
    CHECK_EQ(left, 0);
    CHECK(PeekNamedPipe(client, NULL, 4, &read, &avail, &left));
    CHECK_EQ(read, 4);
    CHECK_EQ(left, sizeof(obuf) - 4);
    /* One message per read. */
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, sizeof(obuf));
    CHECK(memcmp(buffer, obuf, sizeof(obuf)) == 0);

    /* A read too small: ERROR_MORE_DATA, the rest next (here from another thread). */
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, 4, &done, NULL));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(done, 4);
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, &left));
    CHECK_EQ(avail, sizeof(obuf2) - 4);
    CHECK_EQ(left, sizeof(obuf2) - 4);
    memset(&args, 0, sizeof(args));
    args.pipe = client;
    args.buffer = buffer + 4;
    args.size = 4;
    thread = CreateThread(NULL, 0, read_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_MORE_DATA);
    CHECK_EQ(tl_load(&args.done), 4);
    CHECK(ReadFile(client, buffer + 8, sizeof(buffer) - 8, &done, NULL));
    CHECK_EQ(done, sizeof(obuf2) - 8);
    CHECK(memcmp(buffer, obuf2, sizeof(obuf2)) == 0);

    /* Zero-length messages are messages. */
    CHECK(WriteFile(client, "", 0, &done, NULL));
    CHECK_EQ(done, 0);
    CHECK(WriteFile(client, "after", 5, &done, NULL));
    done = 99;
    CHECK(ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 0);
    CHECK(ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 5);

    /* A byte read of a message pipe gets the message without ERROR_MORE_DATA. */
    mode = PIPE_READMODE_BYTE;
    CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    CHECK(WriteFile(server, obuf, sizeof(obuf), &done, NULL));
    CHECK(ReadFile(client, buffer, 4, &done, NULL));
    CHECK_EQ(done, 4);
    CHECK(ReadFile(client, buffer + 4, sizeof(buffer) - 4, &done, NULL));
    CHECK_EQ(done, sizeof(obuf) - 4);
    CHECK(memcmp(buffer, obuf, sizeof(obuf)) == 0);
    /* ... and is not bound by messages: it takes every one queued that fits, the rest of a
     * message read in part first (Wine's pipe test, "reading of multiple writes"). */
    CHECK(WriteFile(server, obuf, sizeof(obuf), &done, NULL));
    CHECK(WriteFile(server, obuf2, sizeof(obuf2), &done, NULL));
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, sizeof(obuf) + sizeof(obuf2));
    CHECK(memcmp(buffer, obuf, sizeof(obuf)) == 0 && memcmp(buffer + sizeof(obuf), obuf2, sizeof(obuf2)) == 0);
    CHECK(WriteFile(server, obuf2, sizeof(obuf2), &done, NULL));
    CHECK(WriteFile(server, obuf, sizeof(obuf), &done, NULL));
    CHECK(ReadFile(client, buffer, 4, &done, NULL));
    CHECK_EQ(done, 4);
    CHECK(ReadFile(client, buffer + 4, sizeof(buffer) - 4, &done, NULL));
    CHECK_EQ(done, sizeof(obuf2) + sizeof(obuf) - 4);
    CHECK(memcmp(buffer, obuf2, sizeof(obuf2)) == 0 && memcmp(buffer + sizeof(obuf2), obuf, sizeof(obuf)) == 0);

    /* A client that closes: the server reads the end. */
    CHECK(CloseHandle(client));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK(CloseHandle(server));

    /* A zero-length message a closed server left is read, in byte mode too (0 bytes,
     * TRUE); the read after it finds the end (Wine's pipe test, test_CloseHandle). */
    server = make_server(name_of("msg_empty"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(server, "", 0, &done, NULL));
    CHECK(CloseHandle(server));
    Sleep(100);  /* the end behind the message has reached the client */
    /* Until it is read, the pipe is not broken: a peek finds nothing but succeeds. */
    avail = 99;
    left = 99;
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, &left));
    CHECK_EQ(avail, 0);
    CHECK_EQ(left, 0);
    done = 99;
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 0);
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(client, NULL, 0, NULL, &avail, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CHECK(CloseHandle(client));
}

static void test_large_messages(void)
{
    const DWORD size = 300000;
    unsigned char *data = (unsigned char *)malloc(size), *got = (unsigned char *)malloc(size);
    HANDLE server, client;
    DWORD done = 0, i, total = 0, avail = 0, left = 0;
    struct read_args args;
    HANDLE thread;

    TEST("messages longer than a record, read whole and in parts");
    for (i = 0; i < size; i++) data[i] = (unsigned char)(i * 13 + (i >> 9));
    server = CreateNamedPipeA(name_of("large"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1,
                              size, size, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    /* The whole message in one read (a reader thread takes it while it is written). */
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    args.buffer = (char *)got;
    args.size = size;
    thread = CreateThread(NULL, 0, read_main, &args, 0, NULL);
    CHECK(WriteFile(client, data, size, &done, NULL));
    CHECK_EQ(done, size);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&args.result), 1);
    CHECK_EQ(tl_load(&args.done), size);
    CHECK(memcmp(data, got, size) == 0);

    /* A message in 7000-byte reads: ERROR_MORE_DATA until the last part. */
    {
        DWORD mode = PIPE_READMODE_MESSAGE;
        CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    }
    CHECK(WriteFile(server, data, 100000, &done, NULL));
    CHECK(PeekNamedPipe(client, NULL, 0, NULL, &avail, &left));
    CHECK_EQ(avail, 100000);
    total = 0;
    for (;;) {
        BOOL ok = ReadFile(client, got + total, 7000, &done, NULL);
        total += done;
        if (ok) break;
        if (GetLastError() != ERROR_MORE_DATA) {
            CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
            break;
        }
    }
    CHECK_EQ(total, 100000);
    CHECK(memcmp(data, got, 100000) == 0);
    CHECK(CloseHandle(client));
    CHECK(CloseHandle(server));
    free(data);
    free(got);
}

static void test_instances(void)
{
    HANDLE a, b, c, client1, client2;
    DWORD count = 0;

    TEST("instances: limits, matching parameters, FILE_FLAG_FIRST_PIPE_INSTANCE");
    a = make_server(name_of("inst"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
    CHECK(a != INVALID_HANDLE_VALUE);
    /* Another access mode than the first instance's. */
    SetLastError(0xdeadbeef);
    b = make_server(pipe_name, PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 2);
    CHECK(b == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    WINE_DEVIATION("Wine ignores FILE_FLAG_FIRST_PIPE_INSTANCE")
    {
        SetLastError(0xdeadbeef);
        b = make_server(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_TYPE_BYTE, 2);
        CHECK(b == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        if (b != INVALID_HANDLE_VALUE) CloseHandle(b);
    }
    b = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
    CHECK(b != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    c = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
    CHECK(c == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    /* At the limit the limit answers first, before the access mode and
     * FILE_FLAG_FIRST_PIPE_INSTANCE are looked at (the pipe file system's order: ReactOS's
     * npfs, NpCreateExistingNamedPipe; Wine's server agrees). */
    SetLastError(0xdeadbeef);
    c = make_server(pipe_name, PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE, 2);
    CHECK(c == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    SetLastError(0xdeadbeef);
    c = make_server(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_TYPE_BYTE, 2);
    CHECK(c == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);

    /* Two clients, one per instance; a third finds both taken. */
    client1 = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client1 != INVALID_HANDLE_VALUE);
    client2 = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client2 != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    c = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(c == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    /* Instances are given out oldest first. */
    transfer(a, client1, "to one");
    transfer(b, client2, "to two");
    /* A client end counts the name's instances too, as the server ends do. */
    CHECK(GetNamedPipeHandleStateA(client1, NULL, &count, NULL, NULL, NULL, 0));
    CHECK_EQ(count, 2);
    CHECK(CloseHandle(client2));
    /* An instance closed makes room at once. */
    CHECK(CloseHandle(b));
    count = 0;
    CHECK(GetNamedPipeHandleStateA(client1, NULL, &count, NULL, NULL, NULL, 0));
    CHECK_EQ(count, 1);
    CHECK(CloseHandle(client1));
    b = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
    CHECK(b != INVALID_HANDLE_VALUE);
    CHECK(CloseHandle(b));
    CHECK(CloseHandle(a));

    /* Unlimited instances. */
    a = make_server(name_of("unlimited"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES);
    CHECK(a != INVALID_HANDLE_VALUE);
    b = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES);
    CHECK(b != INVALID_HANDLE_VALUE);
    c = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES);
    CHECK(c != INVALID_HANDLE_VALUE);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
}

static volatile LONG gone_waiter_result = -1;
static volatile LONG gone_waiter_error;

static DWORD WINAPI wait_for_an_instance(LPVOID name)
{
    BOOL ok = WaitNamedPipeA((const char *)name, WAIT_MS);
    tl_store(&gone_waiter_error, ok ? 0 : (LONG)GetLastError());
    tl_store(&gone_waiter_result, ok);
    return 0;
}

/* A WaitNamedPipe that waits while every instance is taken ends when the name's last
 * instance closes: the name is gone, and the waiter gets ERROR_FILE_NOT_FOUND then (the
 * pipe file system cancels the name's waiters with STATUS_OBJECT_NAME_NOT_FOUND when it
 * deletes the name), not an instance made later. Microsoft's multithreaded pipe server
 * sample runs into this when a client's thread closes the only instance before the main
 * loop makes the next. */
static void test_wait_name_gone(void)
{
    HANDLE server, client, thread;
    TEST("WaitNamedPipe: the name's last instance closing ends the wait with ERROR_FILE_NOT_FOUND");
    server = make_server(name_of("gone"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    thread = CreateThread(NULL, 0, wait_for_an_instance, pipe_name, 0, NULL);
    Sleep(200);
    CHECK_EQ(tl_load(&gone_waiter_result), -1); /* every instance taken: it waits */
    CHECK(CloseHandle(client));
    Sleep(100);
    CHECK_EQ(tl_load(&gone_waiter_result), -1); /* a closed client frees no instance */
    CHECK(CloseHandle(server));
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&gone_waiter_result), FALSE);
    WINE_DEVIATION("Wine ends the wait with ERROR_HANDLES_CLOSED")
    {
        CHECK_EQ(tl_load(&gone_waiter_error), ERROR_FILE_NOT_FOUND);
    }
    CloseHandle(thread);
}

static void test_directions(void)
{
    HANDLE server, client;
    char buffer[16];
    DWORD done = 0;

    TEST("inbound and outbound pipes");
    server = make_server(name_of("inbound"), PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    client = open_client(pipe_name, GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    transfer(client, server, "up");
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(server, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    /* CreateNamedPipe opens an inbound instance for GENERIC_READ: no
     * FILE_WRITE_ATTRIBUTES, which SetNamedPipeHandleState needs (Microsoft Learn's page
     * asks for it besides GENERIC_READ on a read-only pipe); the queries are allowed. */
    {
        DWORD mode = PIPE_READMODE_BYTE, flags = 0;
        SetLastError(0xdeadbeef);
        CHECK(!SetNamedPipeHandleState(server, &mode, NULL, NULL));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(GetNamedPipeInfo(server, &flags, NULL, NULL, NULL));
        CHECK_EQ(flags, PIPE_SERVER_END);
        CHECK(GetNamedPipeHandleStateA(server, &mode, NULL, NULL, NULL, NULL, 0));
    }
    CloseHandle(client);
    CloseHandle(server);

    server = make_server(name_of("outbound"), PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ);
    CHECK(client != INVALID_HANDLE_VALUE);
    if (client == INVALID_HANDLE_VALUE) printf("  error %lu\n", (unsigned long)GetLastError());
    transfer(server, client, "down");
    /* An outbound instance is opened for GENERIC_WRITE: no FILE_READ_ATTRIBUTES, which the
     * queries need (Microsoft Learn: "GENERIC_WRITE and FILE_READ_ATTRIBUTES access for a
     * write-only pipe"); SetNamedPipeHandleState is allowed. */
    {
        DWORD mode = PIPE_WAIT, flags = 0;
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeInfo(server, &flags, NULL, NULL, NULL));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeHandleStateA(server, &mode, NULL, NULL, NULL, NULL, 0));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(SetNamedPipeHandleState(server, &mode, NULL, NULL));
    }
    CloseHandle(client);
    CloseHandle(server);

    /* A read-only client sets its read mode with FILE_WRITE_ATTRIBUTES besides
     * GENERIC_READ (Microsoft Learn, SetNamedPipeHandleState: "GENERIC_READ and
     * FILE_WRITE_ATTRIBUTES access for a read-only pipe"); without it the I/O manager
     * refuses FilePipeInformation. */
    TEST("a read-only client's read mode needs FILE_WRITE_ATTRIBUTES");
    server = make_server(name_of("outbound_msg"), PIPE_ACCESS_OUTBOUND, PIPE_TYPE_MESSAGE, 2);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ);
    CHECK(client != INVALID_HANDLE_VALUE);
    WINE_DEVIATION("Wine sets a read-only client's mode without FILE_WRITE_ATTRIBUTES")
    {
        DWORD mode = PIPE_READMODE_MESSAGE;
        SetLastError(0xdeadbeef);
        CHECK(!SetNamedPipeHandleState(client, &mode, NULL, NULL));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CloseHandle(client);
    {
        HANDLE second = make_server(pipe_name, PIPE_ACCESS_OUTBOUND, PIPE_TYPE_MESSAGE, 2);
        DWORD mode = PIPE_READMODE_MESSAGE, state = 0;
        CHECK(second != INVALID_HANDLE_VALUE);
        client = CreateFileA(pipe_name, GENERIC_READ | FILE_WRITE_ATTRIBUTES, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
        CHECK(GetNamedPipeHandleStateA(client, &state, NULL, NULL, NULL, NULL, 0));
        CHECK_EQ(state, PIPE_READMODE_MESSAGE);
        CloseHandle(client);
        CloseHandle(second);
    }
    CloseHandle(server);
}

static void test_information(void)
{
    HANDLE server, client;
    DWORD flags = 0, out = 0, in = 0, max = 0;
    ULONG pid = 0;

    TEST("GetNamedPipeInfo, process ids, ImpersonateNamedPipeClient");
    server = CreateNamedPipeA(name_of("info"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 3, 2048, 1536, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeInfo(server, &flags, &out, &in, &max));
    CHECK_EQ(flags, PIPE_SERVER_END | PIPE_TYPE_MESSAGE);
    CHECK_EQ(out, 2048);
    CHECK_EQ(in, 1536);
    CHECK_EQ(max, 3);
    CHECK(GetNamedPipeInfo(client, &flags, NULL, NULL, &max));
    CHECK_EQ(flags, PIPE_CLIENT_END | PIPE_TYPE_MESSAGE);
    CHECK_EQ(max, 3);
    CHECK(GetNamedPipeClientProcessId(server, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CHECK(GetNamedPipeServerProcessId(server, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CHECK(GetNamedPipeClientProcessId(client, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CHECK(GetNamedPipeServerProcessId(client, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    OUR_DEVIATION("no impersonation: ImpersonateNamedPipeClient is not implemented")
    {
        CHECK(ImpersonateNamedPipeClient(server));
    }
    /* The collection settings belong to a client end: a server end refuses them. */
    {
        DWORD state = 0, instances = 0, count = 99, timeout = 99;
        WINE_DEVIATION("GetNamedPipeHandleState gives a server end's collection settings")
        {
            SetLastError(0xdeadbeef);
            CHECK(!GetNamedPipeHandleStateA(server, &state, &instances, &count, NULL, NULL, 0));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
            SetLastError(0xdeadbeef);
            CHECK(!GetNamedPipeHandleStateA(server, NULL, NULL, NULL, &timeout, NULL, 0));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
        CHECK(GetNamedPipeHandleStateA(server, &state, &instances, NULL, NULL, NULL, 0));
        CHECK(GetNamedPipeHandleStateA(client, &state, NULL, &count, &timeout, NULL, 0));
        CHECK_EQ(count, 0);
        CHECK_EQ(timeout, 0);
    }
    WINE_DEVIATION("the process id functions take a NULL result")
    {
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeClientProcessId(server, NULL));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeServerProcessId(client, NULL));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    }
    /* Disconnected: the server end has no client process (but its own), the client end
     * neither. */
    CHECK(DisconnectNamedPipe(server));
    pid = 0;
    CHECK(GetNamedPipeServerProcessId(server, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    WINE_DEVIATION("a disconnected pipe still gives its process ids")
    {
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeClientProcessId(server, &pid));
        CHECK_ERROR(ERROR_NOT_FOUND);
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeClientProcessId(client, &pid));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        SetLastError(0xdeadbeef);
        CHECK(!GetNamedPipeServerProcessId(client, &pid));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    }
    CloseHandle(client);
    CloseHandle(server);

    /* An end whose other end closed still answers both. */
    server = CreateNamedPipeA(name_of("info2"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CloseHandle(server);
    pid = 0;
    CHECK(GetNamedPipeClientProcessId(client, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    pid = 0;
    CHECK(GetNamedPipeServerProcessId(client, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CloseHandle(client);
}

struct echo_args {
    HANDLE pipe;
    volatile LONG served;
};

/* Answers each message with the same bytes prefixed by "re:". */
static DWORD WINAPI echo_main(LPVOID arg)
{
    struct echo_args *a = (struct echo_args *)arg;
    char buffer[128], reply[140];
    DWORD done = 0, written = 0;
    for (;;) {
        if (!ConnectNamedPipe(a->pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) break;
        while (ReadFile(a->pipe, buffer, sizeof(buffer), &done, NULL)) {
            memcpy(reply, "re:", 3);
            memcpy(reply + 3, buffer, done);
            if (!WriteFile(a->pipe, reply, done + 3, &written, NULL)) break;
        }
        InterlockedIncrement(&a->served);
        if (!DisconnectNamedPipe(a->pipe)) break;
    }
    return 0;
}

/* A further instance of pipe_name (message type, message read mode, at most 2) and a
 * client of it in message read mode. */
static HANDLE message_instance(HANDLE *client)
{
    DWORD mode = PIPE_READMODE_MESSAGE;
    HANDLE server = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2);
    CHECK(server != INVALID_HANDLE_VALUE);
    *client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(*client != INVALID_HANDLE_VALUE);
    CHECK(SetNamedPipeHandleState(*client, &mode, NULL, NULL));
    return server;
}

static void test_transact(void)
{
    HANDLE server, client, thread;
    struct echo_args args;
    char reply[64];
    DWORD done = 0, mode = PIPE_READMODE_MESSAGE;

    TEST("TransactNamedPipe and CallNamedPipe");
    server = make_server(name_of("transact"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, echo_main, &args, 0, NULL);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    /* Only in message read mode. */
    SetLastError(0xdeadbeef);
    CHECK(!TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
    CHECK_ERROR(ERROR_BAD_PIPE);
    CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    memset(reply, 0, sizeof(reply));
    CHECK(TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
    CHECK_EQ(done, 7);
    CHECK(memcmp(reply, "re:ping", 7) == 0);
    /* A reply longer than the buffer: ERROR_MORE_DATA, the rest read next. */
    SetLastError(0xdeadbeef);
    CHECK(!TransactNamedPipe(client, "abcdef", 6, reply, 4, &done, NULL));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(done, 4);
    CHECK(ReadFile(client, reply + 4, sizeof(reply) - 4, &done, NULL));
    CHECK_EQ(done, 5);
    CHECK(memcmp(reply, "re:abcdef", 9) == 0);
    /* Something already to read: the transaction is refused (ERROR_PIPE_BUSY), and what
     * was there is still there. */
    CHECK(WriteFile(client, "early", 5, &done, NULL));
    CHECK(ReadFile(client, reply, sizeof(reply), &done, NULL));
    CHECK_EQ(done, 8);
    CHECK(WriteFile(client, "x", 1, &done, NULL));
    {
        DWORD available = 0;
        for (int i = 0; i < 500 && PeekNamedPipe(client, NULL, 0, NULL, &available, NULL) && available == 0; ++i)
            Sleep(10);
        CHECK_EQ(available, 4);  /* "re:x" */
    }
    SetLastError(0xdeadbeef);
    done = 99;
    CHECK(!TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
    CHECK_ERROR(ERROR_PIPE_BUSY);
    CHECK_EQ(done, 0);
    memset(reply, 0, sizeof(reply));
    CHECK(ReadFile(client, reply, sizeof(reply), &done, NULL));
    CHECK_EQ(done, 4);
    CHECK(memcmp(reply, "re:x", 4) == 0);
    /* The request (FSCTL_PIPE_TRANSCEIVE) needs FILE_READ_DATA and FILE_WRITE_DATA on the
     * handle: one without FILE_WRITE_DATA is refused by the I/O manager, and nothing is
     * sent (the echo's next reply is the next transaction's). */
    {
        HANDLE reader = NULL;
        CHECK(DuplicateHandle(GetCurrentProcess(), client, GetCurrentProcess(), &reader,
                              FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE, FALSE, 0));
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(reader, "zz", 2, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK(CloseHandle(reader));
        memset(reply, 0, sizeof(reply));
        CHECK(TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_EQ(done, 7);
        CHECK(memcmp(reply, "re:ping", 7) == 0);
    }
    CHECK(CloseHandle(client));

    /* CallNamedPipe: connect, transact, close; the server takes the next client. */
    memset(reply, 0, sizeof(reply));
    CHECK(CallNamedPipeA(pipe_name, "call", 4, reply, sizeof(reply), &done, 5000));
    CHECK_EQ(done, 7);
    CHECK(memcmp(reply, "re:call", 7) == 0);

    CHECK(CloseHandle(server));  /* ends the echo thread's ConnectNamedPipe */
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);

    /* An end that is not connected is in the wrong state for a transaction, whatever its
     * mode (STATUS_INVALID_PIPE_STATE: ERROR_BAD_PIPE; the pipe file system looks at the
     * state first: ReactOS's npfs, NpTransceive; Wine answers the same): a server
     * listening or disconnected, on a synchronous handle and an overlapped one (which
     * fails at once). A client its server disconnected has no pipe:
     * ERROR_PIPE_NOT_CONNECTED. */
    TEST("TransactNamedPipe on ends that are not connected");
    {
        HANDLE ov_server, second;
        OVERLAPPED ov;
        server = make_server(name_of("transact-state"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2);
        CHECK(server != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(server, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_BAD_PIPE);
        ov_server = make_server(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2);
        CHECK(ov_server != INVALID_HANDLE_VALUE);
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(ov_server, "ping", 4, reply, sizeof(reply), &done, &ov));
        CHECK_ERROR(ERROR_BAD_PIPE);
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
        CHECK(CloseHandle(ov.hEvent));
        CHECK(CloseHandle(ov_server));
        client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
        CHECK(DisconnectNamedPipe(server));
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(server, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_BAD_PIPE);
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
        CHECK(CloseHandle(client));
        /* A connection whose other end closed is in the closing state, at both ends,
         * with data left to read or not: the wrong state too. (The disconnected
         * instance takes no client: a new one, listening, takes each.) */
        second = message_instance(&client);
        CHECK(WriteFile(client, "left", 4, &done, NULL));
        CHECK(CloseHandle(client));
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(second, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_BAD_PIPE);
        CHECK(CloseHandle(second));
        second = message_instance(&client);
        CHECK(CloseHandle(second));
        SetLastError(0xdeadbeef);
        CHECK(!TransactNamedPipe(client, "ping", 4, reply, sizeof(reply), &done, NULL));
        CHECK_ERROR(ERROR_BAD_PIPE);
        CHECK(CloseHandle(client));
        CHECK(CloseHandle(server));
    }
}

static void test_nowait(void)
{
    HANDLE server, client;
    char buffer[16];
    DWORD done = 0;

    TEST("PIPE_NOWAIT");
    server = make_server(name_of("nowait"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_NOWAIT, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_LISTENING);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    transfer(client, server, "now");
    CloseHandle(client);
    /* Disconnected, then listening again at once: a client gets in. */
    CHECK(DisconnectNamedPipe(server));
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_LISTENING);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    transfer(server, client, "again");
    CloseHandle(client);
    CloseHandle(server);
}

static void test_wide(void)
{
    static const WCHAR name[] = L"\\\\.\\pipe\\overlapped_test_wide_pipe";
    HANDLE server, client, thread;
    struct echo_args args;
    char reply[32];
    DWORD done = 0;

    TEST("the W functions");
    server = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 1024, 1024, 0,
                              NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK(WaitNamedPipeW(name, 1000));
    client = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    transfer(client, server, "wide");
    CHECK(CloseHandle(client));
    CHECK(DisconnectNamedPipe(server));
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, echo_main, &args, 0, NULL);
    memset(reply, 0, sizeof(reply));
    CHECK(CallNamedPipeW(name, "w", 1, reply, sizeof(reply), &done, 5000));
    CHECK_EQ(done, 4);
    CHECK(memcmp(reply, "re:w", 4) == 0);
    CHECK(CloseHandle(server));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
}

static DWORD WINAPI flush_main(LPVOID arg)
{
    struct connect_args *a = (struct connect_args *)arg;
    BOOL ok = FlushFileBuffers(a->pipe);
    tl_store(&a->error, ok ? 0 : (LONG)GetLastError());
    tl_store(&a->result, ok);
    return 0;
}

/* FlushFileBuffers on a pipe end waits until the other end has read what this end wrote
 * (Microsoft Learn, FlushFileBuffers: "does not return until the client has read all
 * buffered data"); with nothing unread it returns at once, and a server end flushes in
 * every state, a client disconnected by its server gets ERROR_PIPE_NOT_CONNECTED (Wine's
 * ntdll pipe test, test_pipe_state: NtFlushBuffersFile). A handle that may not write
 * cannot flush. */
static void test_flush(void)
{
    HANDLE server, client, reader, writer, thread;
    struct connect_args args;
    char buffer[16];
    DWORD done = 0;

    TEST("FlushFileBuffers on pipes: at once when everything was read, else after the reader read it");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(FlushFileBuffers(writer));
    WINE_DEVIATION("Wine 8 flushes a pipe through a handle that may not write") {
        SetLastError(0xdeadbeef);
        CHECK(!FlushFileBuffers(reader));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CHECK(WriteFile(writer, "queued", 6, &done, NULL));
    memset(&args, 0, sizeof(args));
    args.pipe = writer;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);  /* "queued" is not read yet */
    CHECK(ReadFile(reader, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 6);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    CHECK(CloseHandle(reader));
    CHECK(CloseHandle(writer));

    server = make_server(name_of("flush"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK(FlushFileBuffers(server));  /* listening */
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(FlushFileBuffers(server));
    CHECK(FlushFileBuffers(client));
    /* The server's message waits for the client's read. */
    CHECK(WriteFile(server, "reply", 5, &done, NULL));
    CHECK(WriteFile(client, "request", 7, &done, NULL));
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(ReadFile(client, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 5);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    /* A flush that waits ends with CancelSynchronousIo: ERROR_OPERATION_ABORTED, and the
     * client's message is still there. */
    memset(&args, 0, sizeof(args));
    args.pipe = client;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(CancelSynchronousIo(thread));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_OPERATION_ABORTED);
    CHECK(ReadFile(server, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 7);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);

    /* Disconnected: the server flushes, its client cannot. */
    CHECK(DisconnectNamedPipe(server));
    CHECK(FlushFileBuffers(server));
    SetLastError(0xdeadbeef);
    CHECK(!FlushFileBuffers(client));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CHECK(CloseHandle(client));

    CHECK(CloseHandle(server));

    /* A flush that waits when the other end closes with the data unread fails with
     * ERROR_BROKEN_PIPE, from either end (Wine's pipe test, test_overlapped_transport). */
    server = make_server(name_of("flushgone"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    memset(&args, 0, sizeof(args));
    args.pipe = server;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(CloseHandle(client));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_BROKEN_PIPE);
    CloseHandle(thread);
    CHECK(CloseHandle(server));
    server = make_server(name_of("flushgone2"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(client, "unread", 6, &done, NULL));
    memset(&args, 0, sizeof(args));
    args.pipe = client;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(CloseHandle(server));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 0);
    CHECK_EQ(tl_load(&args.error), ERROR_BROKEN_PIPE);
    CloseHandle(thread);
    CHECK(CloseHandle(client));
    /* ... but one whose reader read everything and then closed succeeds. */
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(WriteFile(writer, "read", 4, &done, NULL));
    memset(&args, 0, sizeof(args));
    args.pipe = writer;
    thread = CreateThread(NULL, 0, flush_main, &args, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(ReadFile(reader, buffer, sizeof(buffer), &done, NULL));
    CHECK(CloseHandle(reader));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&args.result), 1);
    CloseHandle(thread);
    CHECK(CloseHandle(writer));

    /* A read-only client cannot flush; a server whose client closed with a message
     * unread flushes (the message went with the client). */
    server = make_server(name_of("flushro"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ);
    CHECK(client != INVALID_HANDLE_VALUE);
    WINE_DEVIATION("Wine 8 flushes a pipe through a handle that may not write") {
        SetLastError(0xdeadbeef);
        CHECK(!FlushFileBuffers(client));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(CloseHandle(client));
    CHECK(FlushFileBuffers(server));
    CHECK(CloseHandle(server));
}

/* GetFileSizeEx on a pipe end: what it has to read. kernelbase's GetFileSizeEx is the
 * EndOfFile of FileStandardInformation, which the pipe file system reports as the bytes
 * available (Wine's ntdll pipe test, test_pipe_with_data_state: EndOfFile ==
 * ReadDataAvailable, in every state but a disconnected client's). */
static void test_size(void)
{
    HANDLE reader, writer, server, client;
    LARGE_INTEGER size;
    char buffer[16];
    DWORD done = 0, high = 7;

    TEST("GetFileSizeEx and GetFileSize of a pipe end: the bytes it has to read");
    WINE_DEVIATION("Wine 8 answers GetFileSizeEx and FileStandardInfo on a pipe with ERROR_INVALID_FUNCTION") {
        CHECK(CreatePipe(&reader, &writer, NULL, 0));
        CHECK(GetFileSizeEx(reader, &size));
        CHECK_EQ(size.QuadPart, 0);
        CHECK(WriteFile(writer, "12345", 5, &done, NULL));
        CHECK(GetFileSizeEx(reader, &size));
        CHECK_EQ(size.QuadPart, 5);
        CHECK_EQ(GetFileSize(reader, &high), 5);
        CHECK_EQ(high, 0);
        CHECK(GetFileSizeEx(writer, &size));
        CHECK_EQ(size.QuadPart, 0);
        CHECK(ReadFile(reader, buffer, sizeof(buffer), &done, NULL));
        CHECK(GetFileSizeEx(reader, &size));
        CHECK_EQ(size.QuadPart, 0);
        CloseHandle(reader);
        CloseHandle(writer);

        server = make_server(name_of("size"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1);
        CHECK(server != INVALID_HANDLE_VALUE);
        CHECK(GetFileSizeEx(server, &size));  /* listening */
        CHECK_EQ(size.QuadPart, 0);
        client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK(WriteFile(server, "message", 7, &done, NULL));
        CHECK(WriteFile(server, "two", 3, &done, NULL));
        CHECK(GetFileSizeEx(client, &size));
        CHECK_EQ(size.QuadPart, 10);  /* every message queued */
        /* FileStandardInfo says the same, with the quotas as the allocation and a delete
         * pending (Wine's ntdll test, test_pipe_with_data_state). */
        {
            FILE_STANDARD_INFO standard;
            DWORD out_size = 0, in_size = 0;
            memset(&standard, 0xcc, sizeof standard);
            CHECK(GetFileInformationByHandleEx(client, FileStandardInfo, &standard, sizeof standard));
            CHECK_EQ(standard.EndOfFile.QuadPart, 10);
            CHECK(GetNamedPipeInfo(client, NULL, &out_size, &in_size, NULL));
            CHECK_EQ(standard.AllocationSize.QuadPart, (LONGLONG)out_size + in_size);
            CHECK_EQ(standard.NumberOfLinks, 1);
            CHECK_EQ(standard.Directory, FALSE);
            CHECK_EQ(standard.DeletePending, TRUE);
        }
        CHECK(GetFileSizeEx(server, &size));
        CHECK_EQ(size.QuadPart, 0);
        CloseHandle(client);
        CloseHandle(server);
    }
}

/* GetFileInformationByHandle on a pipe end. kernelbase asks the file system for
 * FileFsVolumeInformation and FileAllInformation, and the pipe file system answers both
 * (ReactOS' kernel-mode NPFS tests, which pass on Windows: volume serial number 0, times
 * 0, FILE_ATTRIBUTE_NORMAL, EndOfFile the bytes to read, one link, a nonzero index). */
static void test_handle_information(void)
{
    HANDLE server, client;
    BY_HANDLE_FILE_INFORMATION info;
    DWORD done = 0;

    TEST("GetFileInformationByHandle of a pipe end");
    WINE_DEVIATION("Wine 8 answers GetFileInformationByHandle on a pipe with ERROR_INVALID_FUNCTION") {
        server = make_server(name_of("byhandle"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1);
        CHECK(server != INVALID_HANDLE_VALUE);
        memset(&info, 0xcc, sizeof info);
        CHECK(GetFileInformationByHandle(server, &info));  /* listening */
        CHECK_EQ(info.dwFileAttributes, FILE_ATTRIBUTE_NORMAL);
        CHECK_EQ(info.nFileSizeLow, 0);
        client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK(WriteFile(server, "abcdef", 6, &done, NULL));
        memset(&info, 0xcc, sizeof info);
        CHECK(GetFileInformationByHandle(client, &info));
        CHECK_EQ(info.dwFileAttributes, FILE_ATTRIBUTE_NORMAL);
        CHECK_EQ(info.ftCreationTime.dwLowDateTime, 0);
        CHECK_EQ(info.ftCreationTime.dwHighDateTime, 0);
        CHECK_EQ(info.ftLastWriteTime.dwLowDateTime, 0);
        CHECK_EQ(info.dwVolumeSerialNumber, 0);
        CHECK_EQ(info.nFileSizeHigh, 0);
        CHECK_EQ(info.nFileSizeLow, 6);
        CHECK_EQ(info.nNumberOfLinks, 1);
        CHECK(info.nFileIndexHigh != 0 || info.nFileIndexLow != 0);
        CloseHandle(client);
        CloseHandle(server);
    }
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandle(INVALID_HANDLE_VALUE, &info));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

/* SetFilePointer on a pipe end. kernelbase's SetFilePointerEx takes the base (the position,
 * or FileStandardInformation's end of file for FILE_END: what there is to read), refuses a
 * negative result (ERROR_NEGATIVE_SEEK) and sets FilePositionInformation. Windows' I/O
 * manager answers that itself for a synchronous handle, keeping a position that a pipe's
 * reads and writes ignore; an overlapped handle's request goes to the pipe file system,
 * which refuses it (ReactOS' NtSetInformationFile and NPFS's NpCommonSetInformation:
 * STATUS_INVALID_PARAMETER). Programs written for Windows call it on pipe clients and
 * treat a failure as fatal. */
static void test_file_pointer(void)
{
    HANDLE server, server2, client, overlapped_client, reader, writer;
    char buffer[16];
    DWORD done = 0;

    TEST("SetFilePointer on a pipe end: a synchronous handle keeps a position, an overlapped one refuses");
    WINE_DEVIATION("Wine 8 refuses SetFilePointer on every pipe end (ERROR_BAD_DEV_TYPE)") {
        server = make_server(name_of("pointer"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
        CHECK(server != INVALID_HANDLE_VALUE);
        client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK_EQ(SetFilePointer(client, 0, NULL, FILE_BEGIN), 0);
        CHECK_EQ(SetFilePointer(client, 10, NULL, FILE_CURRENT), 10);
        CHECK(WriteFile(client, "abc", 3, &done, NULL));
        CHECK(ReadFile(server, buffer, sizeof buffer, &done, NULL));
        CHECK_EQ(done, 3);
        CHECK_EQ(SetFilePointer(client, 0, NULL, FILE_CURRENT), 10);  /* transfers leave it */
        CHECK(WriteFile(server, "wxyz", 4, &done, NULL));
        CHECK_EQ(SetFilePointer(client, 1, NULL, FILE_END), 5);  /* what there is to read, + 1 */
        CHECK(ReadFile(client, buffer, sizeof buffer, &done, NULL));
        CHECK_EQ(done, 4);  /* nothing skipped */
        SetLastError(0xdeadbeef);
        CHECK_EQ(SetFilePointer(client, -20, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER);
        CHECK_ERROR(ERROR_NEGATIVE_SEEK);
        CHECK_EQ(SetFilePointer(client, 0, NULL, FILE_CURRENT), 5);

        server2 = make_server(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2);
        CHECK(server2 != INVALID_HANDLE_VALUE);
        overlapped_client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                        FILE_FLAG_OVERLAPPED, NULL);
        CHECK(overlapped_client != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(SetFilePointer(overlapped_client, 0, NULL, FILE_BEGIN), INVALID_SET_FILE_POINTER);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);

        CHECK(CreatePipe(&reader, &writer, NULL, 0));
        CHECK_EQ(SetFilePointer(writer, 7, NULL, FILE_BEGIN), 7);
        CloseHandle(reader);
        CloseHandle(writer);
        CloseHandle(overlapped_client);
        CloseHandle(server2);
        CloseHandle(client);
        CloseHandle(server);
    }
}

/* A pipe that lets everyone in, as servers make it: a security descriptor with a NULL
 * DACL in the SECURITY_ATTRIBUTES (Microsoft Learn, InitializeSecurityDescriptor and
 * SetSecurityDescriptorDacl: "If this parameter is NULL, a NULL DACL is assigned to the
 * security descriptor, which allows all access"; Wine's dlls/advapi32/tests/security.c,
 * test_SecurityDescriptor, passing on Windows: a wrong revision is ERROR_UNKNOWN_REVISION,
 * SE_DACL_PRESENT and SE_DACL_DEFAULTED follow the arguments). */
static void test_security_descriptor(void)
{
    SECURITY_DESCRIPTOR sd;
    SECURITY_ATTRIBUTES sa;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0, done = 0;
    BOOL present = FALSE, defaulted = TRUE;
    PACL dacl = (PACL)&sd;
    char buffer[16];
    HANDLE server, client;

    TEST("security descriptors: initialize, a NULL DACL, read back; a pipe made with one");
    CHECK_EQ(sizeof(SECURITY_DESCRIPTOR), 40);
    memset(&sd, 0xcc, sizeof(sd));
    SetLastError(0xdeadbeef);
    CHECK(!InitializeSecurityDescriptor(&sd, 2));
    CHECK_ERROR(ERROR_UNKNOWN_REVISION);
    CHECK(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CHECK_EQ(sd.Revision, SECURITY_DESCRIPTOR_REVISION);
    CHECK_EQ(sd.Control, 0);
    CHECK(sd.Owner == NULL && sd.Group == NULL && sd.Sacl == NULL && sd.Dacl == NULL);
    CHECK(IsValidSecurityDescriptor(&sd));
    CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
    CHECK(!present);
    CHECK(SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE));
    CHECK(GetSecurityDescriptorControl(&sd, &control, &revision));
    CHECK_EQ(control, SE_DACL_PRESENT);
    CHECK_EQ(revision, SECURITY_DESCRIPTOR_REVISION);
    CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
    CHECK(present && dacl == NULL && !defaulted);
    CHECK(SetSecurityDescriptorDacl(&sd, TRUE, NULL, TRUE));
    CHECK(GetSecurityDescriptorControl(&sd, &control, &revision));
    CHECK_EQ(control, SE_DACL_PRESENT | SE_DACL_DEFAULTED);
    CHECK(SetSecurityDescriptorDacl(&sd, FALSE, NULL, FALSE));
    CHECK(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
    CHECK(!present);
    CHECK(SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE));
    sd.Revision = 7;
    SetLastError(0xdeadbeef);
    CHECK(!SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE));
    CHECK_ERROR(ERROR_UNKNOWN_REVISION);
    SetLastError(0xdeadbeef);
    CHECK(!GetSecurityDescriptorControl(&sd, &control, &revision));
    CHECK_ERROR(ERROR_UNKNOWN_REVISION);
    CHECK_EQ(revision, 7);
    CHECK(!IsValidSecurityDescriptor(&sd));
    sd.Revision = SECURITY_DESCRIPTOR_REVISION;

    sa.nLength = sizeof(sa);
    sa.lpSecurityDescriptor = &sd;
    sa.bInheritHandle = FALSE;
    server = CreateNamedPipeA(name_of("nulldacl"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 1024, 1024,
                              NMPWAIT_USE_DEFAULT_WAIT, &sa);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = open_client(pipe_name, GENERIC_READ | GENERIC_WRITE);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(client, "open", 4, &done, NULL) && done == 4);
    CHECK(ReadFile(server, buffer, sizeof(buffer), &done, NULL) && done == 4 && memcmp(buffer, "open", 4) == 0);
    CloseHandle(client);
    CloseHandle(server);
}

int main(void)
{
    test_arguments();
    test_names();
    test_byte_pipe();
    test_disconnect();
    test_disconnect_discards();
    test_message_pipe();
    test_sync_handle_signal();
    test_large_messages();
    test_instances();
    test_wait_name_gone();
    test_directions();
    test_information();
    test_transact();
    test_nowait();
    test_wide();
    test_flush();
    test_size();
    test_handle_information();
    test_file_pointer();
    test_security_descriptor();
    return tl_finish();
}
