/* test_pipe_faults.c: the other end of a named pipe killed at a random moment, again and
 * again. The program starts copies of itself with CreateProcessA ("child <role> <pipe
 * name> <seed>") and kills each after a random delay once it is talking.
 *
 * Covers: a client killed while it sends and reads messages (the server reads whole
 * messages, in order, then ERROR_BROKEN_PIPE; a write to it fails with ERROR_NO_DATA;
 * the instance serves the next client after DisconnectNamedPipe), and a server killed
 * while its client talks (the client's write fails with ERROR_NO_DATA or its read with
 * ERROR_BROKEN_PIPE, after whole echoes only; the next server process makes the same
 * name at once with FILE_FLAG_FIRST_PIPE_INSTANCE: the dead one left nothing in the way).
 * Message sizes and kill delays come from a seed printed first. Every wait is bounded. */
#include "testlib.h"
#include "children.h"

#define WAIT_MS 10000
#define ROUNDS 8
#define MAX_BODY 4000

static char self_path[MAX_PATH];
static int ended_by[3]; /* rounds ended by: [1] a read's error, [2] a write's */
static char pipe_name[128];
static unsigned long random_state;

static unsigned long next_random(void)
{
    random_state = random_state * 1103515245ul + 12345ul;
    return (random_state >> 16) & 0x7fff;
}

/* A message: its sequence number, then `body` bytes that depend on it. */
static DWORD make_message(char *message, DWORD sequence, DWORD body)
{
    DWORD i;
    memcpy(message, &sequence, sizeof sequence);
    for (i = 0; i < body; i++) message[sizeof sequence + i] = (char)(sequence * 31 + i * 7);
    return (DWORD)sizeof sequence + body;
}

/* Whether `message` (`length` bytes) is message number `sequence`, whole. */
static BOOL whole_message(const char *message, DWORD length, DWORD sequence)
{
    DWORD i, got;
    if (length < sizeof got) return FALSE;
    memcpy(&got, message, sizeof got);
    if (got != sequence) return FALSE;
    for (i = 0; i < length - sizeof got; i++)
        if (message[sizeof got + i] != (char)(sequence * 31 + i * 7)) return FALSE;
    return TRUE;
}

/* ---- the child's roles ------------------------------------------------------------- */

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    const char *name = argc > 3 ? argv[3] : "";
    static char message[MAX_BODY + 8], echo[MAX_BODY + 8];
    DWORD mode = PIPE_READMODE_MESSAGE, done = 0, sequence;
    HANDLE pipe;

    random_state = argc > 4 ? strtoul(argv[4], NULL, 10) : 1;
    if (strcmp(role, "talker") == 0) {
        /* A client that sends messages and checks each echo until it is killed. */
        if (!WaitNamedPipeA(name, WAIT_MS)) return 10;
        pipe = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 11;
        if (!SetNamedPipeHandleState(pipe, &mode, NULL, NULL)) return 12;
        for (sequence = 0;; sequence++) {
            DWORD length = make_message(message, sequence, 1 + next_random() % MAX_BODY);
            if (!WriteFile(pipe, message, length, &done, NULL) || done != length) return 13;
            if (!ReadFile(pipe, echo, sizeof echo, &done, NULL)) return 14;
            if (done != length || memcmp(echo, message, length) != 0) return 15;
        }
    }
    if (strcmp(role, "echoer") == 0) {
        /* A server that makes the name (the first instance) and echoes each message of
         * its client until it is killed. */
        pipe = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 8192, 8192, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) return 20;
        if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 21;
        for (;;) {
            if (!ReadFile(pipe, message, sizeof message, &done, NULL)) return 22;
            if (!WriteFile(pipe, message, done, &done, NULL)) return 23;
        }
    }
    return 99;
}

/* ---- the parent ---------------------------------------------------------------------- */

static BOOL start_child(const char *role, PROCESS_INFORMATION *info)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child %s %s %lu", self_path, role, pipe_name, next_random());
    memset(info, 0, sizeof *info);
    return CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, info);
}

/* The killer: ends `process` after `delay_ms`. */
typedef struct {
    HANDLE process;
    DWORD delay_ms;
} Kill;

static DWORD WINAPI kill_later(void *argument)
{
    Kill *kill = (Kill *)argument;
    Sleep(kill->delay_ms);
    TerminateProcess(kill->process, 9);
    return 0;
}

/* Waits for an overlapped transfer on `pipe` to end (bounded); its result, as the
 * synchronous call's. */
static BOOL finish(HANDLE pipe, OVERLAPPED *overlapped, BOOL started, DWORD *done)
{
    if (!started && GetLastError() != ERROR_IO_PENDING) return FALSE;
    if (WaitForSingleObject(overlapped->hEvent, WAIT_MS) != WAIT_OBJECT_0) {
        CancelIoEx(pipe, overlapped);
        SetLastError(WAIT_TIMEOUT);
        return FALSE;
    }
    return GetOverlappedResult(pipe, overlapped, done, FALSE);
}

static void test_client_killed(void)
{
    static char message[MAX_BODY + 8];
    HANDLE server, connected_event;
    OVERLAPPED overlapped;
    int round;

    TEST("a client killed at a random moment, again and again");
    server = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                              PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 8192, 8192, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    connected_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (round = 0; round < ROUNDS; round++) {
        PROCESS_INFORMATION child;
        Kill kill;
        HANDLE killer;
        DWORD done = 0, sequence = 0, error = 0, failed_at = 0; /* 1: a read, 2: a write */
        memset(&overlapped, 0, sizeof overlapped);
        overlapped.hEvent = connected_event;
        ResetEvent(connected_event);
        BOOL started = start_child("talker", &child);
        CHECK(started);
        if (!started) break;
        SetLastError(0xdeadbeef);
        if (!ConnectNamedPipe(server, &overlapped) && GetLastError() != ERROR_PIPE_CONNECTED)
            CHECK(finish(server, &overlapped, FALSE, &done));
        kill.process = child.hProcess;
        kill.delay_ms = next_random() % 40;
        killer = CreateThread(NULL, 0, kill_later, &kill, 0, NULL);
        CHECK(killer != NULL);
        /* Echo until the client is gone: every message read is whole and in order. */
        for (;;) {
            BOOL ok;
            ResetEvent(connected_event);
            ok = finish(server, &overlapped, ReadFile(server, message, sizeof message, &done, &overlapped), &done);
            if (!ok) {
                error = GetLastError();
                failed_at = 1;
                break;
            }
            if (!whole_message(message, done, sequence)) {
                CHECK(!"a message read whole and in order");
                break;
            }
            sequence++;
            ResetEvent(connected_event);
            ok = finish(server, &overlapped, WriteFile(server, message, done, &done, &overlapped), &done);
            if (!ok) {
                error = GetLastError();
                failed_at = 2;
                break;
            }
        }
        if (failed_at == 1) CHECK_EQ(error, ERROR_BROKEN_PIPE);
        if (failed_at == 2) CHECK_EQ(error, ERROR_NO_DATA);
        ended_by[failed_at]++;
        CHECK_EQ(WaitForSingleObject(killer, WAIT_MS), WAIT_OBJECT_0);
        CloseHandle(killer);
        CHECK_EQ(tl_finish_child(&child, WAIT_MS), 9);
        CHECK(DisconnectNamedPipe(server));
    }
    CloseHandle(connected_event);
    CloseHandle(server);
}

static void test_server_killed(void)
{
    static char message[MAX_BODY + 8], echo[MAX_BODY + 8];
    int round;

    TEST("a server killed at a random moment, again and again; the name is free at once");
    for (round = 0; round < ROUNDS; round++) {
        PROCESS_INFORMATION child;
        Kill kill;
        HANDLE client = INVALID_HANDLE_VALUE, killer;
        DWORD mode = PIPE_READMODE_MESSAGE, done = 0, sequence, error = 0, i;
        int failed_at = 0; /* 1: a read, 2: a write */
        BOOL started = start_child("echoer", &child);
        CHECK(started);
        if (!started) break;
        /* The child makes the name; until then there is none to wait for. */
        for (i = 0; i < WAIT_MS / 10 && client == INVALID_HANDLE_VALUE; i++) {
            if (WaitNamedPipeA(pipe_name, 100))
                client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
            else
                Sleep(10);
        }
        CHECK(client != INVALID_HANDLE_VALUE);
        CHECK(SetNamedPipeHandleState(client, &mode, NULL, NULL));
        kill.process = child.hProcess;
        kill.delay_ms = next_random() % 40;
        killer = CreateThread(NULL, 0, kill_later, &kill, 0, NULL);
        CHECK(killer != NULL);
        for (sequence = 0; client != INVALID_HANDLE_VALUE; sequence++) {
            DWORD length = make_message(message, sequence, 1 + next_random() % MAX_BODY);
            if (!WriteFile(client, message, length, &done, NULL)) {
                error = GetLastError();
                failed_at = 2;
                break;
            }
            if (!ReadFile(client, echo, sizeof echo, &done, NULL)) {
                error = GetLastError();
                failed_at = 1;
                break;
            }
            if (done != length || memcmp(echo, message, length) != 0) {
                CHECK(!"an echo read whole");
                break;
            }
        }
        if (failed_at == 1) CHECK_EQ(error, ERROR_BROKEN_PIPE);
        if (failed_at == 2) CHECK_EQ(error, ERROR_NO_DATA);
        ended_by[failed_at]++;
        if (client != INVALID_HANDLE_VALUE) CloseHandle(client);
        CHECK_EQ(WaitForSingleObject(killer, WAIT_MS), WAIT_OBJECT_0);
        CloseHandle(killer);
        CHECK_EQ(tl_finish_child(&child, WAIT_MS), 9);
    }
}

int main(int argc, char **argv)
{
    DWORD length;
    unsigned long seed;
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    seed = argc > 1 ? strtoul(argv[1], NULL, 10) : (unsigned long)GetTickCount();
    printf("seed %lu (give it as the first argument to repeat a run)\n", seed);
    random_state = seed;
    sprintf(pipe_name, "\\\\.\\pipe\\overlapped_faults_%lu", (unsigned long)GetCurrentProcessId());
    test_client_killed();
    printf("rounds ended by a read: %d, by a write: %d\n", ended_by[1], ended_by[2]);
    ended_by[1] = ended_by[2] = 0;
    test_server_killed();
    printf("rounds ended by a read: %d, by a write: %d\n", ended_by[1], ended_by[2]);
    return tl_finish();
}
