/* test_process_duplicate.c: DuplicateHandle into another process. The program starts
 * copies of itself with CreateProcessA ("child <role> [value]"); a child that is to get a
 * handle value reads it, in hex and ending in a newline, from its standard input (a pipe
 * from the parent), as a Windows program tells another process such a value by means of
 * its own.
 *
 * Covers: a pipe end put into a child with DUPLICATE_CLOSE_SOURCE (the child writes
 * through it and closes it; the reader then sees the end of the pipe, so no copy is left
 * anywhere), a handle the child never uses (closed when the child exits), two handles into
 * one child (two values, two objects), an inheritable one the child passes on to its own
 * child under the same value, a pipe end a child takes out of its parent (DUPLICATE_CLOSE_
 * SOURCE closes the parent's handle), a named pipe's client end put into a child with
 * DUPLICATE_CLOSE_SOURCE (its connection goes along), a named pipe's client end put into
 * a child and one taken out of the parent (its server's DisconnectNamedPipe discards
 * what it had not read there too), the flags asked for, and the errors: a closed source
 * handle (here and in the other process), a process that has exited. Facts: Microsoft Learn, DuplicateHandle (the value is valid
 * in the target process; DUPLICATE_CLOSE_SOURCE closes the source handle "regardless of
 * any error status returned"). Every wait is bounded. */
#include "testlib.h"
#include "children.h"

#define WAIT_MS 10000

static char self_path[MAX_PATH];

/* ---- the child's roles ------------------------------------------------------------- */

/* The next handle value on standard input, or NULL. */
static HANDLE read_value(void)
{
    char text[32];
    DWORD got = 0, at = 0;
    HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
    while (at < sizeof text - 1) {
        if (!ReadFile(input, text + at, 1, &got, NULL) || got != 1) return NULL;
        if (text[at] == '\n') break;
        at++;
    }
    text[at] = '\0';
    return (HANDLE)(ULONG_PTR)strtoull(text, NULL, 16);
}

static int write_through(HANDLE handle, const char *text)
{
    DWORD written = 0;
    if (!WriteFile(handle, text, (DWORD)strlen(text), &written, NULL) || written != strlen(text)) return 1;
    return 0;
}

/* A named pipe's client end whose server wrote "unread" to it and disconnected it: the
 * peek and the read fail with ERROR_PIPE_NOT_CONNECTED (at once, or once the
 * disconnection has come: `wait`), and the data is gone. 0, or where it stopped. */
static int disconnected_client(HANDLE pipe, BOOL wait, int code)
{
    DWORD avail = 0, done = 0, start = GetTickCount();
    char buffer[16];
    while (PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL)) {
        if (!wait || GetTickCount() - start > WAIT_MS) return code;
        Sleep(1);
    }
    if (GetLastError() != ERROR_PIPE_NOT_CONNECTED) return code + 1;
    SetLastError(0xdeadbeef);
    if (ReadFile(pipe, buffer, sizeof buffer, &done, NULL)) return code + 2;
    if (GetLastError() != ERROR_PIPE_NOT_CONNECTED) return code + 3;
    return CloseHandle(pipe) ? 0 : code + 4;
}

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    DWORD flags = 99;
    if (strcmp(role, "write") == 0) {
        /* One value: not inheritable; write "pushed" through it, close it. */
        HANDLE handle = read_value();
        if (handle == NULL) return 10;
        if (!GetHandleInformation(handle, &flags)) return 11;
        if (flags != 0) return 12;
        if (write_through(handle, "pushed")) return 13;
        if (!CloseHandle(handle)) return 14;
        SetLastError(0xdeadbeef);
        if (CloseHandle(handle) || GetLastError() != ERROR_INVALID_HANDLE) return 15;
        return 0;
    }
    if (strcmp(role, "write-once") == 0) {
        /* One value: write "pushed" through it, close it, end at once. */
        HANDLE handle = read_value();
        if (handle == NULL) return 16;
        if (write_through(handle, "pushed")) return 17;
        return CloseHandle(handle) ? 0 : 18;
    }
    if (strcmp(role, "write2") == 0) {
        /* Two values: "one" through the first, "two" through the second. */
        HANDLE first = read_value(), second = read_value();
        if (first == NULL || second == NULL || first == second) return 20;
        if (write_through(second, "two") || write_through(first, "one")) return 21;
        CloseHandle(first);
        CloseHandle(second);
        return 0;
    }
    if (strcmp(role, "ignore") == 0) {
        /* Reads a line and ends without touching the value. */
        return read_value() != NULL ? 0 : 30;
    }
    if (strcmp(role, "pass-on") == 0) {
        /* An inheritable value: handed to a child of ours with bInheritHandles. */
        char line[2048];
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        DWORD code = 99;
        HANDLE handle = read_value();
        if (handle == NULL) return 40;
        if (!GetHandleInformation(handle, &flags)) return 41;
        if (flags != HANDLE_FLAG_INHERIT) return 42;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        snprintf(line, sizeof line, "\"%s\" child grandchild %llx", self_path, (unsigned long long)(ULONG_PTR)handle);
        if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &info)) return 43;
        CloseHandle(handle);
        if (WaitForSingleObject(info.hProcess, WAIT_MS) != WAIT_OBJECT_0) return 44;
        GetExitCodeProcess(info.hProcess, &code);
        CloseHandle(info.hProcess);
        CloseHandle(info.hThread);
        return (int)code;
    }
    if (strcmp(role, "pull") == 0) {
        /* argv[3]: the parent's id; argv[4]: a handle value of the parent's, taken out of
         * it with DUPLICATE_CLOSE_SOURCE; "pulled" is written through it. */
        HANDLE source, mine = NULL, value;
        if (argc < 5) return 60;
        value = (HANDLE)(ULONG_PTR)strtoull(argv[4], NULL, 16);
        source = OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)strtoul(argv[3], NULL, 10));
        if (source == NULL) return 61;
        SetLastError(0xdeadbeef);  /* a value not open there */
        if (DuplicateHandle(source, (HANDLE)(ULONG_PTR)0x7ffc, GetCurrentProcess(), &mine, 0, FALSE,
                            DUPLICATE_SAME_ACCESS))
            return 62;
        if (GetLastError() != ERROR_INVALID_HANDLE) return 63;
        if (!DuplicateHandle(source, value, GetCurrentProcess(), &mine, 0, FALSE,
                             DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE))
            return 64;
        if (!GetHandleInformation(mine, &flags) || flags != 0) return 65;
        if (write_through(mine, "pulled")) return 66;
        CloseHandle(mine);
        CloseHandle(source);
        return 0;
    }
    if (strcmp(role, "disconnected") == 0) {
        /* One value: a named pipe's client end its server disconnects. */
        HANDLE handle = read_value();
        if (handle == NULL) return 70;
        return disconnected_client(handle, TRUE, 71);
    }
    if (strcmp(role, "pull-disconnected") == 0) {
        /* argv[3]: the parent's id; argv[4]: a named pipe's client end of the parent's,
         * disconnected by its server before this process started; taken out of it. */
        HANDLE source, mine = NULL;
        if (argc < 5) return 80;
        source = OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)strtoul(argv[3], NULL, 10));
        if (source == NULL) return 81;
        if (!DuplicateHandle(source, (HANDLE)(ULONG_PTR)strtoull(argv[4], NULL, 16), GetCurrentProcess(), &mine, 0,
                             FALSE, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE))
            return 82;
        CloseHandle(source);
        return disconnected_client(mine, FALSE, 83);
    }
    if (strcmp(role, "grandchild") == 0) {
        HANDLE handle = argc > 3 ? (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16) : NULL;
        if (write_through(handle, "grand")) return 50;
        return 0;
    }
    return 99;
}

/* ---- the parent ---------------------------------------------------------------------- */

static void tell_value(HANDLE tell, HANDLE value)
{
    char text[32];
    DWORD written = 0;
    snprintf(text, sizeof text, "%llx\n", (unsigned long long)(ULONG_PTR)value);
    CHECK(WriteFile(tell, text, (DWORD)strlen(text), &written, NULL));
}

/* Reads what `reader` gets until the end of the pipe (every copy of the write end closed),
 * for at most WAIT_MS; returns the count, text in `buffer` (NUL-terminated). */
static DWORD read_to_end(HANDLE reader, char *buffer, DWORD size, BOOL *ended)
{
    DWORD total = 0, start = GetTickCount();
    *ended = FALSE;
    while (GetTickCount() - start < WAIT_MS) {
        DWORD available = 0, got = 0;
        if (!PeekNamedPipe(reader, NULL, 0, NULL, &available, NULL)) {
            *ended = GetLastError() == ERROR_BROKEN_PIPE;
            break;
        }
        if (available == 0) {
            Sleep(5);
            continue;
        }
        if (total + available >= size) break;
        if (!ReadFile(reader, buffer + total, available, &got, NULL)) break;
        total += got;
    }
    buffer[total] = '\0';
    return total;
}

static void test_pipe_end_into_child(void)
{
    HANDLE reader, writer, tell, value = NULL;
    PROCESS_INFORMATION child;
    char buffer[64];
    BOOL ended;

    TEST("a pipe end put into a child with DUPLICATE_CLOSE_SOURCE: written through, then the end");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(tl_start_child_with_input(self_path, "write", &child, &tell));
    CHECK(DuplicateHandle(GetCurrentProcess(), writer, child.hProcess, &value, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    CHECK(value != NULL);
    /* The source handle is closed. */
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(writer));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    tell_value(tell, value);
    CHECK_EQ(read_to_end(reader, buffer, sizeof buffer, &ended), 6);
    CHECK(strcmp(buffer, "pushed") == 0);
    CHECK(ended);  /* the child's close was the last copy of the write end */
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(tell);
    CloseHandle(reader);
}

static void test_unused_value(void)
{
    HANDLE reader, writer, tell, value = NULL;
    PROCESS_INFORMATION child;
    char buffer[16];
    BOOL ended;

    TEST("a handle put into a child that never uses it is closed when the child exits");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(tl_start_child_with_input(self_path, "ignore", &child, &tell));
    CHECK(DuplicateHandle(GetCurrentProcess(), writer, child.hProcess, &value, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(CloseHandle(writer));
    tell_value(tell, value);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CHECK_EQ(read_to_end(reader, buffer, sizeof buffer, &ended), 0);
    CHECK(ended);
    CloseHandle(tell);
    CloseHandle(reader);
}

static void test_two_values(void)
{
    HANDLE readers[2], writers[2], tell, values[2] = {NULL, NULL};
    PROCESS_INFORMATION child;
    char buffer[16];
    BOOL ended;
    int i;

    TEST("two handles put into one child: two values, each its own object");
    CHECK(tl_start_child_with_input(self_path, "write2", &child, &tell));
    for (i = 0; i < 2; i++) {
        CHECK(CreatePipe(&readers[i], &writers[i], NULL, 0));
        CHECK(DuplicateHandle(GetCurrentProcess(), writers[i], child.hProcess, &values[i], 0, FALSE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    }
    CHECK(values[0] != values[1]);
    tell_value(tell, values[0]);
    tell_value(tell, values[1]);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CHECK_EQ(read_to_end(readers[0], buffer, sizeof buffer, &ended), 3);
    CHECK(strcmp(buffer, "one") == 0 && ended);
    CHECK_EQ(read_to_end(readers[1], buffer, sizeof buffer, &ended), 3);
    CHECK(strcmp(buffer, "two") == 0 && ended);
    CloseHandle(tell);
    CloseHandle(readers[0]);
    CloseHandle(readers[1]);
}

static void test_passed_on(void)
{
    HANDLE reader, writer, tell, value = NULL;
    PROCESS_INFORMATION child;
    char buffer[16];
    BOOL ended;

    TEST("an inheritable handle put into a child reaches its own child under the same value");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(tl_start_child_with_input(self_path, "pass-on", &child, &tell));
    CHECK(DuplicateHandle(GetCurrentProcess(), writer, child.hProcess, &value, 0, TRUE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    tell_value(tell, value);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CHECK_EQ(read_to_end(reader, buffer, sizeof buffer, &ended), 5);
    CHECK(strcmp(buffer, "grand") == 0 && ended);
    CloseHandle(tell);
    CloseHandle(reader);
}

static void test_taken_out_of_parent(void)
{
    HANDLE reader, writer, tell;
    PROCESS_INFORMATION child;
    char role[128], buffer[16];
    BOOL ended;

    TEST("a child takes a pipe end out of its parent with DUPLICATE_CLOSE_SOURCE");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    snprintf(role, sizeof role, "pull %lu %llx", (unsigned long)GetCurrentProcessId(),
             (unsigned long long)(ULONG_PTR)writer);
    CHECK(tl_start_child_with_input(self_path, role, &child, &tell));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    /* The child closed our handle. */
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(writer));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK_EQ(read_to_end(reader, buffer, sizeof buffer, &ended), 6);
    CHECK(strcmp(buffer, "pulled") == 0 && ended);
    CloseHandle(tell);
    CloseHandle(reader);
}

/* A server and a connected client end (byte type, synchronous) of a new name; FALSE if
 * either could not be made. */
static BOOL named_pair(const char *suffix, HANDLE *server, HANDLE *client)
{
    char name[128];
    snprintf(name, sizeof name, "\\\\.\\pipe\\overlapped_duptest_%lu_%s", (unsigned long)GetCurrentProcessId(),
             suffix);
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
    if (*server == INVALID_HANDLE_VALUE) return FALSE;
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (*client == INVALID_HANDLE_VALUE) {
        CloseHandle(*server);
        return FALSE;
    }
    return ConnectNamedPipe(*server, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
}

/* `pause_ms`: this library's offer waits that long between handing the end over and
 * closing its own copy (OVERLAPPED_TEST_OFFER_PAUSE_MS; nothing elsewhere), and the
 * child writes, closes the end once and ends at once: the child's value must not be
 * usable before the offer's copy is gone, or the child could end while the offer still
 * held the pipe open. */
static void test_named_client_put(const char *pause_ms)
{
    HANDLE server, client, tell, value = NULL;
    PROCESS_INFORMATION child;
    char buffer[16];
    DWORD done = 0;

    if (pause_ms == NULL)
        TEST("a named pipe's client end put into a child with DUPLICATE_CLOSE_SOURCE: the connection goes with it");
    else
        TEST("the same, the handover slowed: the end is the child's alone once it can use it");
    CHECK(named_pair(pause_ms == NULL ? "pushed" : "pushed_slow", &server, &client));
    CHECK(tl_start_child_with_input(self_path, pause_ms == NULL ? "write" : "write-once", &child, &tell));
    if (pause_ms != NULL) SetEnvironmentVariableA("OVERLAPPED_TEST_OFFER_PAUSE_MS", pause_ms);
    CHECK(DuplicateHandle(GetCurrentProcess(), client, child.hProcess, &value, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    if (pause_ms != NULL) SetEnvironmentVariableA("OVERLAPPED_TEST_OFFER_PAUSE_MS", NULL);
    tell_value(tell, value);
    CHECK(ReadFile(server, buffer, sizeof buffer, &done, NULL));
    CHECK_EQ(done, 6);
    CHECK(memcmp(buffer, "pushed", 6) == 0);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    /* The child closed the last handle of the client end: the server sees the end (a peek,
     * which does not wait: a copy left anywhere would keep the pipe open). */
    SetLastError(0xdeadbeef);
    CHECK(!PeekNamedPipe(server, NULL, 0, NULL, &done, NULL));
    CHECK_ERROR(ERROR_BROKEN_PIPE);
    CloseHandle(tell);
    CloseHandle(server);
}

static void test_disconnected_client_put(void)
{
    HANDLE server, client, tell, value = NULL;
    PROCESS_INFORMATION child;
    DWORD done = 0;

    TEST("a named pipe's client end put into a child: its server's DisconnectNamedPipe reaches it there");
    CHECK(named_pair("put", &server, &client));
    CHECK(tl_start_child_with_input(self_path, "disconnected", &child, &tell));
    CHECK(DuplicateHandle(GetCurrentProcess(), client, child.hProcess, &value, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(DisconnectNamedPipe(server));
    tell_value(tell, value);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(tell);
    CloseHandle(server);
}

static void test_disconnected_client_taken(void)
{
    HANDLE server, client, tell;
    PROCESS_INFORMATION child;
    char role[128];
    DWORD done = 0;

    TEST("a child takes a disconnected client end out of its parent: what it had not read is gone");
    CHECK(named_pair("taken", &server, &client));
    CHECK(WriteFile(server, "unread", 6, &done, NULL));
    CHECK(DisconnectNamedPipe(server));
    snprintf(role, sizeof role, "pull-disconnected %lu %llx", (unsigned long)GetCurrentProcessId(),
             (unsigned long long)(ULONG_PTR)client);
    CHECK(tl_start_child_with_input(self_path, role, &child, &tell));
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    SetLastError(0xdeadbeef);  /* the child closed our handle */
    CHECK(!CloseHandle(client));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(tell);
    CloseHandle(server);
}

static void test_errors(void)
{
    HANDLE reader, writer, tell, value = NULL, event;
    PROCESS_INFORMATION child;

    TEST("DuplicateHandle into another process: the errors");
    CHECK(CreatePipe(&reader, &writer, NULL, 0));
    CHECK(tl_start_child_with_input(self_path, "ignore", &child, &tell));
    /* A source handle that is not open. */
    SetLastError(0xdeadbeef);
    CHECK(!DuplicateHandle(GetCurrentProcess(), (HANDLE)(ULONG_PTR)0x7ffc, child.hProcess, &value, 0, FALSE,
                           DUPLICATE_SAME_ACCESS));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    /* A kind of object this library cannot put into another process. */
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(event != NULL);
    SetLastError(0xdeadbeef);
    value = NULL;
    OUR_DEVIATION("only objects with a descriptor (files, pipe ends, sockets) cross into another process") {
        CHECK(DuplicateHandle(GetCurrentProcess(), event, child.hProcess, &value, 0, FALSE, DUPLICATE_SAME_ACCESS));
    }
    if (!tl_under_wine()) {
        CHECK(!DuplicateHandle(GetCurrentProcess(), event, child.hProcess, &value, 0, FALSE, DUPLICATE_SAME_ACCESS));
        CHECK_ERROR(ERROR_CALL_NOT_IMPLEMENTED);
    }
    tell_value(tell, (HANDLE)(ULONG_PTR)4);
    CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
    /* A process that has exited has no handle table to put a handle in. */
    SetLastError(0xdeadbeef);
    CHECK(!DuplicateHandle(GetCurrentProcess(), writer, child.hProcess, &value, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
    CHECK_EQ(tl_finish_child(&child, WAIT_MS), 0);
    CloseHandle(event);
    CloseHandle(tell);
    CloseHandle(reader);
    CloseHandle(writer);
}

int main(int argc, char **argv)
{
    DWORD length;
    length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    CHECK(length > 0 && length < sizeof self_path);
    test_pipe_end_into_child();
    test_unused_value();
    test_two_values();
    test_passed_on();
    test_taken_out_of_parent();
    test_named_client_put(NULL);
    test_named_client_put("300");
    test_disconnected_client_put();
    test_disconnected_client_taken();
    test_errors();
    return tl_finish();
}
