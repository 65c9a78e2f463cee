/* test_pipe_process.c: named pipes across two processes. The program starts copies of
 * itself with CreateProcessA ("child <role> <pipe name> <parent pid>").
 *
 * Covers: a client in another process (a message pipe, overlapped server on a completion
 * port; both process ids as each side sees them), a client killed in the middle of a
 * transfer (the server reads what came, then ERROR_BROKEN_PIPE; its writes get
 * ERROR_NO_DATA), a server killed with a client connected (ERROR_BROKEN_PIPE), a second
 * instance of a name made by another process (checked as a further instance, reached by
 * clients, counted out when that process ends), a name whose first process is killed
 * while this one, or two others, have instances of it (they keep it, and get its
 * clients; two other processes race to claim it), and the name
 * of a server that was killed (its entry is taken over, never an error), and
 * DisconnectNamedPipe's discard of what a client in another process has not read (a
 * client it opened itself, one it inherited, and a server end it inherited). Every wait
 * is bounded. */
#include "testlib.h"
#include "children.h"

#define WAIT_MS 10000

static char self_path[MAX_PATH];

/* ---- the child's roles ------------------------------------------------------------- */

/* An end whose instance its server disconnected after data was written to it: once its
 * peek fails (with `peek_error`: a client end is not connected, a server end is in the
 * wrong state), what was written is gone too. 0, or where it stopped from `code` on. */
static int until_disconnected(HANDLE pipe, DWORD peek_error, int code)
{
    DWORD avail = 0, done = 0, start = GetTickCount();
    char buffer[64];
    while (PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL)) {
        if (GetTickCount() - start > WAIT_MS) return code;
        Sleep(1);
    }
    if (GetLastError() != peek_error) return code + 1;
    SetLastError(0xdeadbeef);
    if (ReadFile(pipe, buffer, sizeof buffer, &done, NULL)) return code + 2;
    if (GetLastError() != ERROR_PIPE_NOT_CONNECTED) return code + 3;
    return 0;
}

/* Makes a message-type instance of `name` (`flags` besides duplex, at most `limit`) and
 * waits to be killed. The exit code says where it stopped: `code` if the instance could
 * not be made, `code` + 1 if nobody killed it. */
static int listen_until_killed(const char *name, DWORD flags, DWORD limit, int code)
{
    HANDLE pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | flags, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, limit,
                                   4096, 4096, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) return code;
    Sleep(60000);
    return code + 1;
}

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    const char *name = argc > 3 ? argv[3] : "";
    DWORD parent = argc > 4 ? (DWORD)strtoul(argv[4], NULL, 10) : 0;
    HANDLE pipe;
    DWORD done = 0, mode = PIPE_READMODE_MESSAGE;
    char buffer[256];
    int i;

    if (strcmp(role, "echo-client") == 0) {
        ULONG pid = 0;
        if (!WaitNamedPipeA(name, WAIT_MS)) return 10;
        pipe = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 11;
        if (!GetNamedPipeServerProcessId(pipe, &pid) || pid != parent) return 12;
        if (!SetNamedPipeHandleState(pipe, &mode, NULL, NULL)) return 13;
        for (i = 0; i < 100; i++) {
            char message[64];
            snprintf(message, sizeof message, "message %d from the child", i);
            if (!TransactNamedPipe(pipe, message, (DWORD)strlen(message), buffer, sizeof buffer, &done, NULL))
                return 14;
            if (done != strlen(message) + 3 || memcmp(buffer, "re:", 3) != 0 ||
                memcmp(buffer + 3, message, strlen(message)) != 0)
                return 15;
        }
        CloseHandle(pipe);
        return 0;
    }
    if (strcmp(role, "discarded") == 0) {
        int code;
        if (!WaitNamedPipeA(name, WAIT_MS)) return 90;
        pipe = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 91;
        code = until_disconnected(pipe, ERROR_PIPE_NOT_CONNECTED, 92);
        CloseHandle(pipe);
        return code;
    }
    if (strcmp(role, "inherited-discarded") == 0 || strcmp(role, "inherited-server-discarded") == 0) {
        /* argv[3]: the value of a client end (or a server end) inherited from the parent. */
        int code;
        BOOL server_end = strcmp(role, "inherited-server-discarded") == 0;
        pipe = (HANDLE)(ULONG_PTR)strtoull(name, NULL, 16);
        code = until_disconnected(pipe, server_end ? ERROR_BAD_PIPE : ERROR_PIPE_NOT_CONNECTED, 110);
        if (!CloseHandle(pipe)) return 115;
        return code;
    }
    if (strcmp(role, "listen-and-say") == 0) {
        /* An instance of the parent's name (at most 3): says "ready" on its standard
         * output once CreateNamedPipe has returned, then answers one client with "child". */
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 3, 4096, 4096, 0,
                                NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 100;
        if (!WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "ready", 5, &done, NULL)) return 101;
        if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 102;
        if (!ReadFile(pipe, buffer, sizeof buffer, &done, NULL)) return 103;
        if (!WriteFile(pipe, "child", 5, &done, NULL)) return 104;
        if (ReadFile(pipe, buffer, sizeof buffer, &done, NULL) || GetLastError() != ERROR_BROKEN_PIPE) return 105;
        CloseHandle(pipe);
        return 0;
    }
    if (strcmp(role, "writer") == 0) {
        /* Writes "part" then waits to be killed. */
        pipe = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 20;
        if (!WriteFile(pipe, "part", 4, &done, NULL)) return 21;
        Sleep(60000);
        return 22;
    }
    if (strcmp(role, "server") == 0) {
        /* A server that waits to be killed with its client connected. */
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 30;
        if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 31;
        if (!WriteFile(pipe, "hi", 2, &done, NULL)) return 32;
        Sleep(60000);
        return 33;
    }
    /* An instance of the parent's name that listens until the process is killed. */
    if (strcmp(role, "idle-instance") == 0) return listen_until_killed(name, 0, 2, 50);
    /* An instance of the parent's name, still open when the process ends normally (its
     * receive from the name's owner is under way then: under a leak checker, whatever that
     * receive holds must still be found). */
    if (strcmp(role, "open-at-exit") == 0) {
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2, 4096, 4096,
                                0, NULL);
        return pipe == INVALID_HANDLE_VALUE ? 80 : 0;
    }
    /* Makes the name (at most 3 instances) and waits to be killed. */
    if (strcmp(role, "owner") == 0) return listen_until_killed(name, FILE_FLAG_FIRST_PIPE_INSTANCE, 3, 60);
    if (strcmp(role, "echo-instance") == 0) {
        /* An instance of the name (at most 3) that answers each client's message with this
         * process's id, and listens again, until the process is killed. */
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 3, 4096, 4096,
                                0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 70;
        for (;;) {
            char reply[32];
            if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 71;
            if (!ReadFile(pipe, buffer, sizeof buffer, &done, NULL)) return 72;
            snprintf(reply, sizeof reply, "%lu", (unsigned long)GetCurrentProcessId());
            if (!WriteFile(pipe, reply, (DWORD)strlen(reply), &done, NULL)) return 73;
            if (ReadFile(pipe, buffer, sizeof buffer, &done, NULL) || GetLastError() != ERROR_BROKEN_PIPE) return 74;
            if (!DisconnectNamedPipe(pipe)) return 75;
        }
    }
    if (strcmp(role, "second-instance") == 0) {
        /* A second instance of the parent's name (at most 2 instances, the parent's is
         * connected): it is refused with the first-instance flag or another direction,
         * a third is one too many; it serves two clients in turn and answers each
         * message with "child:" and the message. */
        const DWORD type = PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE;
        HANDLE refused;
        ULONG client_pid = 0;
        DWORD count = 0;
        int round;
        if (!tl_under_wine()) { /* Wine ignores the flag (WINE_DEVIATIONS_pipes.md) */
            refused = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE, type, 2, 4096, 4096,
                                       0, NULL);
            if (refused != INVALID_HANDLE_VALUE || GetLastError() != ERROR_ACCESS_DENIED) return 40;
        }
        refused = CreateNamedPipeA(name, PIPE_ACCESS_INBOUND, type, 2, 4096, 4096, 0, NULL);
        if (refused != INVALID_HANDLE_VALUE || GetLastError() != ERROR_ACCESS_DENIED) return 41;
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, type, 2, 4096, 4096, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 42;
        refused = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, type, 2, 4096, 4096, 0, NULL);
        if (refused != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY) return 43;
        /* At the limit the limit answers before the direction is looked at (the owner
         * checks a joiner in the pipe file system's order). */
        refused = CreateNamedPipeA(name, PIPE_ACCESS_INBOUND, type, 2, 4096, 4096, 0, NULL);
        if (refused != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY) return 53;
        /* The name's instances, the parent's among them. */
        if (!GetNamedPipeHandleStateA(pipe, NULL, &count, NULL, NULL, NULL, 0) || count != 2) return 52;
        for (round = 0; round < 2; round++) {
            char reply[300];
            if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 44;
            if (!GetNamedPipeClientProcessId(pipe, &client_pid) || client_pid != parent) return 45;
            if (!ReadFile(pipe, buffer, sizeof buffer, &done, NULL)) return 46;
            memcpy(reply, "child:", 6);
            memcpy(reply + 6, buffer, done);
            if (!WriteFile(pipe, reply, done + 6, &done, NULL)) return 47;
            /* The client closes its end when it has the answer. */
            if (ReadFile(pipe, buffer, sizeof buffer, &done, NULL) || GetLastError() != ERROR_BROKEN_PIPE) return 48;
            if (!DisconnectNamedPipe(pipe)) return 49;
        }
        CloseHandle(pipe);
        return 0;
    }
    return 99;
}

/* ---- the parent ---------------------------------------------------------------------- */

static BOOL start_child(const char *role, const char *name, PROCESS_INFORMATION *info)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child %s %s %lu", self_path, role, name, (unsigned long)GetCurrentProcessId());
    memset(info, 0, sizeof *info);
    return CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, info);
}

static char pipe_name[128];

static const char *name_of(const char *suffix)
{
    sprintf(pipe_name, "\\\\.\\pipe\\overlapped_proctest_%lu_%s", (unsigned long)GetCurrentProcessId(), suffix);
    return pipe_name;
}

static void test_client_in_child(void)
{
    HANDLE server, port;
    PROCESS_INFORMATION child;
    OVERLAPPED rov, wov, cov, *got;
    char buffer[256], reply[260];
    DWORD done = 0, served = 0;
    ULONG_PTR key;
    ULONG pid = 0;
    BOOL ended = FALSE;

    TEST("a client in another process, the server overlapped on a completion port");
    server = CreateNamedPipeA(name_of("echo"), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                              PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    port = CreateIoCompletionPort(server, NULL, 5, 1);
    CHECK(port != NULL);
    memset(&cov, 0, sizeof cov);
    CHECK(!ConnectNamedPipe(server, &cov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(start_child("echo-client", pipe_name, &child));
    got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &done, &key, &got, WAIT_MS));
    CHECK(got == &cov);
    CHECK(GetNamedPipeClientProcessId(server, &pid));
    CHECK_EQ(pid, child.dwProcessId);
    /* Echo until the child closes. */
    memset(&rov, 0, sizeof rov);
    if (!ReadFile(server, buffer, sizeof buffer, NULL, &rov)) CHECK_ERROR(ERROR_IO_PENDING);
    while (!ended) {
        got = NULL;
        if (!GetQueuedCompletionStatus(port, &done, &key, &got, WAIT_MS)) {
            CHECK(got == &rov);
            CHECK_ERROR(ERROR_BROKEN_PIPE);
            break;
        }
        if (got == &rov) {
            memcpy(reply, "re:", 3);
            memcpy(reply + 3, buffer, done);
            memset(&wov, 0, sizeof wov);
            if (!WriteFile(server, reply, done + 3, NULL, &wov) && GetLastError() != ERROR_IO_PENDING) ended = TRUE;
            served++;
        } else if (got == &wov) {
            memset(&rov, 0, sizeof rov);
            if (!ReadFile(server, buffer, sizeof buffer, NULL, &rov) && GetLastError() != ERROR_IO_PENDING) {
                CHECK_ERROR(ERROR_BROKEN_PIPE);
                ended = TRUE;
            }
        }
    }
    CHECK_EQ(served, 100);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(server);
    CloseHandle(port);
}

/* DisconnectNamedPipe discards what a client in another process has not read. */
static void test_disconnect_discards(void)
{
    HANDLE server;
    PROCESS_INFORMATION child;
    DWORD done = 0;

    TEST("DisconnectNamedPipe discards what a client in another process has not read");
    server = CreateNamedPipeA(name_of("discard"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK(start_child("discarded", pipe_name, &child));
    CHECK(ConnectNamedPipe(server, NULL) || GetLastError() == ERROR_PIPE_CONNECTED);
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(DisconnectNamedPipe(server));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(server);
}

/* A byte pipe's server end and a client connected to it, the server's end inheritable
 * or (`server_inheritable` FALSE) the client's. FALSE if either could not be made. */
static BOOL inheritable_pair(const char *suffix, BOOL server_inheritable, HANDLE *server, HANDLE *client)
{
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    *server = CreateNamedPipeA(name_of(suffix), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0,
                               server_inheritable ? &inheritable : NULL);
    if (*server == INVALID_HANDLE_VALUE) return FALSE;
    *client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, server_inheritable ? NULL : &inheritable,
                          OPEN_EXISTING, 0, NULL);
    if (*client == INVALID_HANDLE_VALUE) return FALSE;
    return ConnectNamedPipe(*server, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
}

/* Starts a child in `role` that inherits this process's inheritable handles and is told
 * `value` ("child <role> <value in hex>"). */
static BOOL start_inheriting(const char *role, HANDLE value, PROCESS_INFORMATION *child)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child %s %llx", self_path, role, (unsigned long long)(ULONG_PTR)value);
    memset(child, 0, sizeof *child);
    return CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, child);
}

/* The same for a client end the child inherited: the server's DisconnectNamedPipe here
 * reaches that end there too. */
static void test_inherited_client_discards(void)
{
    HANDLE server, client;
    PROCESS_INFORMATION child;
    DWORD done = 0;

    TEST("DisconnectNamedPipe discards what a client end inherited by another process has not read");
    CHECK(inheritable_pair("inherited", FALSE, &server, &client));
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(start_inheriting("inherited-discarded", client, &child));
    CHECK(CloseHandle(client));
    CHECK(DisconnectNamedPipe(server));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(server);
}

/* A server end a child inherited (while connected): this process's DisconnectNamedPipe
 * reaches the child's copy too, and what the client wrote is gone there. */
static void test_inherited_server_discards(void)
{
    HANDLE server, client;
    PROCESS_INFORMATION child;
    char buffer[16];
    DWORD done = 0;

    TEST("DisconnectNamedPipe here reaches a server end a child inherited");
    CHECK(inheritable_pair("inherited_server", TRUE, &server, &client));
    CHECK(WriteFile(client, "unread", 6, &done, NULL));
    CHECK(start_inheriting("inherited-server-discarded", server, &child));
    CHECK(DisconnectNamedPipe(server));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    SetLastError(0xdeadbeef);  /* the client was disconnected too */
    CHECK(!ReadFile(client, buffer, sizeof buffer, &done, NULL));
    CHECK_ERROR(ERROR_PIPE_NOT_CONNECTED);
    CloseHandle(client);
    CloseHandle(server);
}

/* Once another process's CreateNamedPipe has returned, its instance of this process's
 * name listens: a client that comes right then (this process's own instance is taken)
 * reaches it, with no WaitNamedPipe first. */
static void test_client_right_after_instance(void)
{
    HANDLE server, client, reader = NULL, late;
    PROCESS_INFORMATION child;
    DWORD done = 0, mode = PIPE_READMODE_MESSAGE, round;
    char buffer[64], arguments[256];

    TEST("a client right after another process's CreateNamedPipe returned reaches its instance");
    server = CreateNamedPipeA(name_of("fresh"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 3, 4096,
                              4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    for (round = 0; round < 10; round++) {
        snprintf(arguments, sizeof arguments, "listen-and-say %s %lu", pipe_name, (unsigned long)GetCurrentProcessId());
        CHECK(tl_start_child_with_output(self_path, arguments, &child, &reader));
        memset(buffer, 0, sizeof buffer);
        CHECK(ReadFile(reader, buffer, 5, &done, NULL));
        CHECK(memcmp(buffer, "ready", 5) == 0);
        late = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(late != INVALID_HANDLE_VALUE);
        if (late == INVALID_HANDLE_VALUE) printf("  round %lu: error %lu\n", (unsigned long)round, (unsigned long)GetLastError());
        if (late != INVALID_HANDLE_VALUE) {
            CHECK(SetNamedPipeHandleState(late, &mode, NULL, NULL));
            memset(buffer, 0, sizeof buffer);
            CHECK(TransactNamedPipe(late, "hello", 5, buffer, sizeof buffer, &done, NULL));
            CHECK(done == 5 && memcmp(buffer, "child", 5) == 0);
            CloseHandle(late);
        } else {
            TerminateProcess(child.hProcess, 9);
        }
        CHECK_EQ(tl_finish_child(&child, WAIT_MS), late != INVALID_HANDLE_VALUE ? 0 : 9);
        CloseHandle(reader);
    }
    CloseHandle(client);
    CloseHandle(server);
}

static void test_client_killed(void)
{
    HANDLE server;
    PROCESS_INFORMATION child;
    char buffer[64];
    DWORD done = 0;

    TEST("a client killed in the middle of a transfer");
    server = CreateNamedPipeA(name_of("killed"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    CHECK(start_child("writer", pipe_name, &child));
    if (!ConnectNamedPipe(server, NULL)) CHECK_ERROR(ERROR_PIPE_CONNECTED);
    CHECK(ReadFile(server, buffer, 4, &done, NULL));
    CHECK_EQ(done, 4);
    CHECK(memcmp(buffer, "part", 4) == 0);
    CHECK(TerminateProcess(child.hProcess, 7));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 7);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof buffer, &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(server, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_NO_DATA);
    CloseHandle(server);
}

/* Kills a child that serves `client`'s instance: the client's next read finds the pipe
 * broken. Closes the client. */
static void kill_server(PROCESS_INFORMATION *child, HANDLE client)
{
    char buffer[64];
    DWORD done = 0;
    CHECK(TerminateProcess(child->hProcess, 9));
    CHECK_EQ(tl_finish_child(child, WAIT_MS), 9);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(client, buffer, sizeof buffer, &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CloseHandle(client);
}

static void test_server_killed(void)
{
    HANDLE client, server;
    PROCESS_INFORMATION child;
    char buffer[64];
    DWORD done = 0;

    TEST("a server killed with its client connected; its name is taken over");
    CHECK(start_child("server", name_of("server"), &child));
    /* Until the child has made the pipe, there is no such name. */
    {
        DWORD start = GetTickCount();
        BOOL ok;
        while (!(ok = WaitNamedPipeA(pipe_name, WAIT_MS)) && GetLastError() == ERROR_FILE_NOT_FOUND &&
               GetTickCount() - start < WAIT_MS)
            Sleep(10);
        CHECK(ok);
    }
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(ReadFile(client, buffer, 2, &done, NULL));
    CHECK_EQ(done, 2);
    kill_server(&child, client);
    /* Its name went with it: a new client finds no such pipe, at once (not a busy one). */
    {
        DWORD start = GetTickCount();
        SetLastError(0xdeadbeef);
        client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(client == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        if (client != INVALID_HANDLE_VALUE) CloseHandle(client);
        SetLastError(0xdeadbeef);
        CHECK(!WaitNamedPipeA(pipe_name, 1000));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        CHECK(GetTickCount() - start < 1000);
    }
    /* The dead server's name is free again (its entry left behind is cleaned up). */
    server = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_TYPE_BYTE, 1,
                              4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    if (server == INVALID_HANDLE_VALUE) printf("  error %lu\n", (unsigned long)GetLastError());
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(client, "new", 3, &done, NULL));
    CHECK(ReadFile(server, buffer, sizeof buffer, &done, NULL));
    CHECK_EQ(done, 3);
    CloseHandle(client);
    CloseHandle(server);
}

/* Transacts `message` on a new message-mode client of `name`; *server_pid: its server. */
static BOOL transact_once(const char *name, const char *message, char *answer, DWORD size, DWORD *answered,
                          ULONG *server_pid)
{
    DWORD mode = PIPE_READMODE_MESSAGE;
    BOOL ok;
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (client == INVALID_HANDLE_VALUE) return FALSE;
    ok = SetNamedPipeHandleState(client, &mode, NULL, NULL) && GetNamedPipeServerProcessId(client, server_pid) &&
         TransactNamedPipe(client, (void *)message, (DWORD)strlen(message), answer, size, answered, NULL);
    CloseHandle(client);
    return ok;
}

/* After another process's instance of pipe_name (limit 2, this process's one connected)
 * has ended with its process: it no longer counts, at once (a process's handles are
 * closed before its end is seen), so a second instance can be made here. `with_client`:
 * first, a client finds the pipe busy (this process's instance is taken; never an answer
 * from the dead one, never a hang). */
static void second_instance_after_count_out(const char *after, BOOL with_client)
{
    HANDLE later, stray;
    if (with_client) {
        SetLastError(0xdeadbeef);
        stray = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(stray == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_PIPE_BUSY);
        if (stray != INVALID_HANDLE_VALUE) CloseHandle(stray);
    }
    later = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2, 4096, 4096,
                             0, NULL);
    CHECK(later != INVALID_HANDLE_VALUE);
    if (later != INVALID_HANDLE_VALUE)
        CloseHandle(later);
    else
        printf("  after %s: error %lu\n", after, (unsigned long)GetLastError());
}

static void test_instance_in_another_process(void)
{
    HANDLE server, client;
    PROCESS_INFORMATION child;
    DWORD done = 0, i;
    ULONG server_pid = 0;
    char buffer[64];

    TEST("another process makes a second instance of this process's name");
    server = CreateNamedPipeA(name_of("shared"), PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 2,
                              4096, 4096, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    /* This process's instance is taken first. */
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(server, NULL));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    CHECK(start_child("second-instance", pipe_name, &child));
    /* The child's instance listens (WaitNamedPipe sees it), and the next clients reach it:
     * its process answers, as the server process id says. It serves two clients in turn,
     * listening again after DisconnectNamedPipe. */
    for (i = 0; i < 2; i++) {
        CHECK(WaitNamedPipeA(pipe_name, WAIT_MS));
        memset(buffer, 0, sizeof buffer);
        CHECK(transact_once(pipe_name, i == 0 ? "ping" : "again", buffer, sizeof buffer, &done, &server_pid));
        CHECK_EQ(server_pid, child.dwProcessId);
        CHECK_EQ(done, i == 0 ? 10u : 11u);
        CHECK(strcmp(buffer, i == 0 ? "child:ping" : "child:again") == 0);
    }
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    /* The child's instance was counted (its refusals inside say so) and counts out with it. */
    second_instance_after_count_out("a child that closed its instance", FALSE);
    /* A process killed while its instance listens: the same, and a client meanwhile finds
     * the pipe busy (this process's instance is taken). */
    CHECK(start_child("idle-instance", pipe_name, &child));
    CHECK(WaitNamedPipeA(pipe_name, WAIT_MS));
    CHECK(TerminateProcess(child.hProcess, 7));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 7);
    second_instance_after_count_out("a child killed", TRUE);
    /* A process that ends normally with its instance open: it ends cleanly, and its
     * instance counts out with it. */
    CHECK(start_child("open-at-exit", pipe_name, &child));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    second_instance_after_count_out("a child that ended with its instance open", FALSE);
    /* This process's own connection went on untouched. */
    CHECK(WriteFile(client, "still", 5, &done, NULL));
    CHECK(ReadFile(server, buffer, sizeof buffer, &done, NULL));
    CHECK_EQ(done, 5);
    CloseHandle(client);
    CloseHandle(server);
}

/* A client of pipe_name in message read mode. A name whose owner here has just ended is
 * taken over a moment later (docs/deviations.md): meanwhile CreateFile fails with
 * ERROR_FILE_NOT_FOUND or ERROR_PIPE_BUSY, so this tries again for up to 5 s (on Windows
 * the first try succeeds, unless every instance is taken). */
static HANDLE connect_retrying(void)
{
    HANDLE client = INVALID_HANDLE_VALUE;
    DWORD mode = PIPE_READMODE_MESSAGE, i;
    for (i = 0; i < 500; i++) {
        client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (client != INVALID_HANDLE_VALUE) break;
        if (GetLastError() != ERROR_FILE_NOT_FOUND && GetLastError() != ERROR_PIPE_BUSY) break;
        Sleep(10);
    }
    if (client != INVALID_HANDLE_VALUE) CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
    return client;
}

/* Reads a message on an overlapped handle, waiting for it; the byte count. */
static DWORD read_waiting(HANDLE pipe, char *buffer, DWORD size)
{
    OVERLAPPED overlapped;
    DWORD done = 0;
    memset(&overlapped, 0, sizeof overlapped);
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!ReadFile(pipe, buffer, size, &done, &overlapped)) {
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(GetOverlappedResult(pipe, &overlapped, &done, TRUE));
    }
    CloseHandle(overlapped.hEvent);
    return done;
}

/* Makes an overlapped instance of pipe_name (at most 3) in a thread that then ends. */
static DWORD WINAPI make_instance(void *result)
{
    *(HANDLE *)result = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                         PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 3, 4096, 4096, 0, NULL);
    return 0;
}

/* The process id that answers "who?" on `client` (an echo-instance child), or 0. */
static DWORD who_answers(HANDLE client)
{
    char answer[32];
    DWORD done = 0;
    if (client == INVALID_HANDLE_VALUE) return 0;
    memset(answer, 0, sizeof answer);
    if (!TransactNamedPipe(client, "who?", 4, answer, sizeof answer - 1, &done, NULL)) return 0;
    return (DWORD)strtoul(answer, NULL, 10);
}

/* Two clients held at once on pipe_name reach two instances: the two echo-instance
 * children, in either order. Closes both. */
static void two_clients_reach(const PROCESS_INFORMATION *one, const PROCESS_INFORMATION *other)
{
    HANDLE first = connect_retrying(), second = connect_retrying();
    DWORD a = who_answers(first), b = who_answers(second);
    CHECK((a == one->dwProcessId && b == other->dwProcessId) || (a == other->dwProcessId && b == one->dwProcessId));
    if (first != INVALID_HANDLE_VALUE) CloseHandle(first);
    if (second != INVALID_HANDLE_VALUE) CloseHandle(second);
}

static void test_owner_killed_others_race(void)
{
    PROCESS_INFORMATION owner, one, other;
    HANDLE theirs;
    DWORD i;

    TEST("two other processes' instances keep a name whose first process is killed");
    name_of("race");
    CHECK(start_child("owner", pipe_name, &owner));
    for (i = 0; i < WAIT_MS / 10 && !WaitNamedPipeA(pipe_name, WAIT_MS) && GetLastError() == ERROR_FILE_NOT_FOUND; i++)
        Sleep(10);
    /* The first process's instance is taken; the two others answer. */
    theirs = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(theirs != INVALID_HANDLE_VALUE);
    CHECK(start_child("echo-instance", pipe_name, &one));
    CHECK(start_child("echo-instance", pipe_name, &other));
    two_clients_reach(&one, &other);
    /* Both claim the name once its first process is killed: one owns it, the other
     * joins it, and both still answer. */
    kill_server(&owner, theirs);
    two_clients_reach(&one, &other);
    two_clients_reach(&one, &other);
    CHECK(TerminateProcess(one.hProcess, 9));
    CHECK(TerminateProcess(other.hProcess, 9));
    CHECK_EQ(tl_finish_child(&one, WAIT_MS), 9);
    CHECK_EQ(tl_finish_child(&other, WAIT_MS), 9);
}

static void test_owner_killed(void)
{
    const DWORD type = PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE;
    HANDLE theirs, connected, listening = INVALID_HANDLE_VALUE, extra, refused, client, other, thread;
    PROCESS_INFORMATION child;
    OVERLAPPED overlapped, listen;
    ULONG pid = 0;
    DWORD done = 0, i, count = 0;
    char buffer[64];

    TEST("a name lives on in this process's instances when the process that made it is killed");
    name_of("orphan");
    CHECK(start_child("owner", pipe_name, &child));
    /* Until the child has made the name, there is none to wait for. */
    for (i = 0; i < WAIT_MS / 10 && !WaitNamedPipeA(pipe_name, WAIT_MS) && GetLastError() == ERROR_FILE_NOT_FOUND; i++)
        Sleep(10);
    CHECK(WaitNamedPipeA(pipe_name, WAIT_MS));
    /* The child's instance, the only one, takes the first client. */
    theirs = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(theirs != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeServerProcessId(theirs, &pid));
    CHECK_EQ(pid, child.dwProcessId);
    /* Two instances here: one connected to a client, one listening. */
    connected = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, type, 3, 4096, 4096, 0, NULL);
    CHECK(connected != INVALID_HANDLE_VALUE);
    client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    memset(&overlapped, 0, sizeof overlapped);
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(connected, &overlapped));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    /* The other is made by a thread that has ended since (Linux cancels the io_uring
     * requests of a thread as it exits; the instance's are the process's). It takes a
     * client, and listens again. */
    thread = CreateThread(NULL, 0, make_instance, &listening, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK(listening != INVALID_HANDLE_VALUE);
    other = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(other != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeServerProcessId(other, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    memset(&listen, 0, sizeof listen);
    listen.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(listening, &listen));
    CHECK_ERROR(ERROR_PIPE_CONNECTED);
    CloseHandle(other);
    CHECK(DisconnectNamedPipe(listening));
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(listening, &listen));
    CHECK_ERROR(ERROR_IO_PENDING);

    kill_server(&child, theirs);
    /* The connection to this process's instance goes on. */
    CHECK(WriteFile(client, "still", 5, &done, NULL));
    CHECK_EQ(read_waiting(connected, buffer, sizeof buffer), 5);
    /* The next client reaches the listening instance, in this process. */
    other = connect_retrying();
    CHECK(other != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeServerProcessId(other, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CHECK_EQ(WaitForSingleObject(listen.hEvent, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(listening, &listen, &done, FALSE));
    CHECK(WriteFile(other, "hello", 5, &done, NULL));
    CHECK_EQ(read_waiting(listening, buffer, sizeof buffer), 5);
    /* The connected instance listens again once its client has gone, and is reached. */
    CloseHandle(client);
    CHECK(DisconnectNamedPipe(connected));
    ResetEvent(overlapped.hEvent);
    SetLastError(0xdeadbeef);
    CHECK(!ConnectNamedPipe(connected, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    client = connect_retrying();
    CHECK(client != INVALID_HANDLE_VALUE);
    CHECK_EQ(WaitForSingleObject(overlapped.hEvent, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(connected, &overlapped, &done, FALSE));
    CHECK(GetNamedPipeServerProcessId(client, &pid));
    CHECK_EQ(pid, GetCurrentProcessId());
    CHECK(WriteFile(client, "back", 4, &done, NULL));
    CHECK_EQ(read_waiting(connected, buffer, sizeof buffer), 4);
    /* Both count against the limit of 3; the killed process's instance went with it. */
    extra = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX, type, 3, 4096, 4096, 0, NULL);
    CHECK(extra != INVALID_HANDLE_VALUE);
    CHECK(GetNamedPipeHandleStateA(connected, NULL, &count, NULL, NULL, NULL, 0));
    CHECK_EQ(count, 3);
    count = 0;
    CHECK(GetNamedPipeHandleStateA(listening, NULL, &count, NULL, NULL, NULL, 0));
    CHECK_EQ(count, 3);
    SetLastError(0xdeadbeef);
    refused = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX, type, 3, 4096, 4096, 0, NULL);
    CHECK(refused == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PIPE_BUSY);
    CloseHandle(overlapped.hEvent);
    CloseHandle(listen.hEvent);
    CloseHandle(client);
    CloseHandle(other);
    CloseHandle(extra);
    CloseHandle(listening);
    CloseHandle(connected);
}

int main(int argc, char **argv)
{
    DWORD length;
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    test_client_in_child();
    test_disconnect_discards();
    test_inherited_client_discards();
    test_inherited_server_discards();
    test_client_right_after_instance();
    test_client_killed();
    test_server_killed();
    test_instance_in_another_process();
    test_owner_killed();
    test_owner_killed_others_race();
    return tl_finish();
}
