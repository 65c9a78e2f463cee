/* bench_pipe.c: named-pipe ping-pong and streaming, one program with two roles, started
 * as two processes by bench/pipes.sh (server first; the client retries until the pipe
 * exists). The native anchor doing the same work on Unix-domain sockets with epoll is
 * anchors/pipe_raw.c; both print the same METRIC lines.
 *
 *   bench_pipe server pingpong|stream NAME [-w WARM] [-d DURATION] [--quick]
 *   bench_pipe client pingpong|stream NAME [-w WARM] [-d DURATION] [--quick]
 *
 * pingpong: message-type pipe, 64 B messages. The server's end is overlapped and bound
 *   to a completion port, served by one thread in GetQueuedCompletionStatusEx: a read
 *   completes -> the message is written back (overlapped) and the next read is posted at
 *   once. The client is a plain synchronous handle in message read mode: WriteFile 64 B,
 *   ReadFile the echo, compare it, repeat. The client reports
 *     METRIC pipe_pingpong_rtps      round trips per second over the measured interval
 *     METRIC pipe_pingpong_p50_us    median round trip (each timed separately)
 * stream: byte-type pipe. The client writes 64 KiB blocks, 4 overlapped writes always in
 *   flight on its own completion port, for WARM + DURATION seconds, then closes. The
 *   server keeps 4 overlapped 64 KiB reads in flight on its port, checks every byte
 *   against the stream's pattern in stream order, and reports
 *     METRIC pipe_stream_mbps        10^6 bytes per second, after the warm-up, to the last byte
 * Every wait is bounded (60 s: Wine is slow to start); a failure prints why and exits 1,
 * and a function that fails with ERROR_CALL_NOT_IMPLEMENTED (a library that does not have
 * pipes yet) exits 3, so that the driver can skip the column with a note. */
#include "bench_common.h"

#include <stdint.h>

enum { PING_SIZE = 64, BLOCK = 64 * 1024, IN_FLIGHT = 4, PATTERN_PERIOD = 251 };
/* The pipe's buffer sizes: the 4 blocks in flight (the kernel's default socket buffer
 * of the raw program is 208 KiB). */
enum { PIPE_BUFFER = IN_FLIGHT * BLOCK };
static const DWORD WAIT_LIMIT_MS = 60000;

static const char *role, *mode;
static char pipe_name[256];
static double warm = 0.5, duration = 2.0;

static void fail(const char *what)
{
    DWORD error = GetLastError();
    if (error == ERROR_CALL_NOT_IMPLEMENTED) {
        printf("bench_pipe %s %s: %s: not implemented (ERROR_CALL_NOT_IMPLEMENTED)\n", role, mode, what);
        fflush(stdout);
        exit(3);
    }
    printf("bench_pipe %s %s: %s failed: error %lu\n", role, mode, what, (unsigned long)error);
    fflush(stdout);
    exit(1);
}

static void fail_msg(const char *what)
{
    printf("bench_pipe %s %s: %s\n", role, mode, what);
    fflush(stdout);
    exit(1);
}

/* The stream's bytes: byte at offset o is pattern[o % PATTERN_PERIOD], so the bytes of
 * any span starting at o are pattern + o % PATTERN_PERIOD (a prime period: no block
 * boundary lines up with it). */
static unsigned char pattern[BLOCK + PATTERN_PERIOD];

static void make_pattern(void)
{
    for (int i = 0; i < (int)sizeof(pattern); ++i)
        pattern[i] = (unsigned char)((i % PATTERN_PERIOD) * 7 + 3);
}

/* ---- ping-pong ---------------------------------------------------------------------- */

static int server_pingpong(HANDLE pipe, HANDLE port)
{
    static unsigned char read_buffer[4096], write_buffer[PING_SIZE];
    OVERLAPPED read_ov, write_ov;
    DWORD echo_bytes = 0;
    int write_busy = 0, echo_waiting = 0, reading = 0, done = 0;
    long long messages = 0;

    memset(&read_ov, 0, sizeof read_ov);
    if (!ReadFile(pipe, read_buffer, sizeof read_buffer, NULL, &read_ov) && GetLastError() != ERROR_IO_PENDING)
        fail("first ReadFile");
    reading = 1;
    while (reading || write_busy) {
        OVERLAPPED_ENTRY entries[16];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, 16, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        for (ULONG i = 0; i < removed; ++i) {
            OVERLAPPED *ov = entries[i].lpOverlapped;
            DWORD bytes = 0;
            BOOL ok = GetOverlappedResult(pipe, ov, &bytes, FALSE);
            if (ov == &write_ov) {
                if (!ok) fail("overlapped WriteFile");
                if (bytes != echo_bytes) fail_msg("short write of an echo");
                write_busy = 0;
            } else if (ov == &read_ov) {
                reading = 0;
                if (!ok) {
                    if (GetLastError() == ERROR_BROKEN_PIPE || GetLastError() == ERROR_PIPE_NOT_CONNECTED) {
                        done = 1;
                        continue;
                    }
                    fail("overlapped ReadFile");
                }
                if (bytes != PING_SIZE) fail_msg("a message that is not 64 bytes");
                memcpy(write_buffer, read_buffer, bytes);
                echo_bytes = bytes;
                echo_waiting = 1;
                ++messages;
            }
        }
        /* The echo goes out when the previous echo's write has completed (in practice
         * always: a 64 B write to an empty pipe completes at once), then the next read. */
        if (echo_waiting && !write_busy) {
            memset(&write_ov, 0, sizeof write_ov);
            if (!WriteFile(pipe, write_buffer, echo_bytes, NULL, &write_ov) && GetLastError() != ERROR_IO_PENDING)
                fail("WriteFile");
            write_busy = 1;
            echo_waiting = 0;
        }
        if (!done && !reading && !echo_waiting) {
            memset(&read_ov, 0, sizeof read_ov);
            if (!ReadFile(pipe, read_buffer, sizeof read_buffer, NULL, &read_ov) && GetLastError() != ERROR_IO_PENDING) {
                if (GetLastError() == ERROR_BROKEN_PIPE || GetLastError() == ERROR_PIPE_NOT_CONNECTED) done = 1;
                else fail("ReadFile");
            } else {
                reading = 1;
            }
        }
    }
    printf("# server: %lld messages echoed\n", messages);
    return 0;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int client_pingpong(HANDLE pipe)
{
    DWORD read_mode = PIPE_READMODE_MESSAGE;
    if (!SetNamedPipeHandleState(pipe, &read_mode, NULL, NULL)) fail("SetNamedPipeHandleState(PIPE_READMODE_MESSAGE)");
    LARGE_INTEGER frequency, before, after;
    QueryPerformanceFrequency(&frequency);
    const double ns_per_tick = 1e9 / (double)frequency.QuadPart;
    enum { MAX_SAMPLES = 1 << 22 };
    uint32_t *samples = malloc(MAX_SAMPLES * sizeof *samples);
    if (!samples) fail_msg("out of memory");
    unsigned char message[PING_SIZE], echo[PING_SIZE + 1];
    long long sequence = 0, samples_taken = 0, measured = 0;
    double start = bench_seconds(), measure_start = 0, now = start;
    int measuring = 0;
    for (;;) {
        /* Every message differs: its sequence number and a pattern starting there. */
        memcpy(message, &sequence, sizeof sequence);
        memcpy(message + sizeof sequence, pattern + sequence % PATTERN_PERIOD, PING_SIZE - sizeof sequence);
        DWORD written = 0, got = 0;
        QueryPerformanceCounter(&before);
        if (!WriteFile(pipe, message, PING_SIZE, &written, NULL)) fail("WriteFile");
        if (!ReadFile(pipe, echo, sizeof echo, &got, NULL)) fail("ReadFile");
        QueryPerformanceCounter(&after);
        if (written != PING_SIZE || got != PING_SIZE || memcmp(message, echo, PING_SIZE) != 0)
            fail_msg("the echo differs from the message");
        ++sequence;
        if (measuring) {
            ++measured;
            if (samples_taken < MAX_SAMPLES)
                samples[samples_taken++] = (uint32_t)((double)(after.QuadPart - before.QuadPart) * ns_per_tick);
        }
        if ((sequence & 15) == 0) {
            now = bench_seconds();
            if (!measuring && now - start >= warm) {
                measuring = 1;
                measure_start = now;
            } else if (measuring && now - measure_start >= duration) {
                break;
            }
        }
    }
    CloseHandle(pipe);
    if (measured == 0) fail_msg("no round trips measured");
    qsort(samples, (size_t)samples_taken, sizeof *samples, compare_u32);
    bench_metric("pipe_pingpong_rtps", (double)measured / (now - measure_start), "per_s");
    bench_metric("pipe_pingpong_p50_us", samples[samples_taken / 2] / 1000.0, "us");
    free(samples);
    return 0;
}

/* ---- streaming ---------------------------------------------------------------------- */

static int server_stream(HANDLE pipe, HANDLE port)
{
    static unsigned char buffers[IN_FLIGHT][BLOCK];
    OVERLAPPED ovs[IN_FLIGHT];
    /* Reads complete in the order they were posted (Windows fills a pipe's pending reads
     * in order), but their packets are taken in batches: each slot's result waits until
     * every earlier-posted read has been checked. Slots are posted and checked round robin. */
    int posted[IN_FLIGHT] = {0}, completed[IN_FLIGHT] = {0};
    DWORD result_bytes[IN_FLIGHT];
    BOOL result_ok[IN_FLIGHT];
    DWORD result_error[IN_FLIGHT];
    int next_check = 0, outstanding = 0, eof = 0, no_more_reads = 0;
    long long offset = 0, warm_offset = -1;
    double first = 0, warm_time = 0, last = 0;

    for (int i = 0; i < IN_FLIGHT; ++i) {
        memset(&ovs[i], 0, sizeof ovs[i]);
        if (!ReadFile(pipe, buffers[i], BLOCK, NULL, &ovs[i]) && GetLastError() != ERROR_IO_PENDING) fail("first ReadFile");
        posted[i] = 1;
        ++outstanding;
    }
    while (outstanding > 0) {
        OVERLAPPED_ENTRY entries[IN_FLIGHT];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, IN_FLIGHT, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        for (ULONG i = 0; i < removed; ++i) {
            int slot = (int)(entries[i].lpOverlapped - ovs);
            if (slot < 0 || slot >= IN_FLIGHT) fail_msg("a completion for an unknown OVERLAPPED");
            result_ok[slot] = GetOverlappedResult(pipe, &ovs[slot], &result_bytes[slot], FALSE);
            result_error[slot] = result_ok[slot] ? 0 : GetLastError();
            completed[slot] = 1;
            --outstanding;
        }
        while (posted[next_check] && completed[next_check]) {
            int slot = next_check;
            posted[slot] = completed[slot] = 0;
            next_check = (next_check + 1) % IN_FLIGHT;
            if (!result_ok[slot]) {
                if (result_error[slot] == ERROR_BROKEN_PIPE || result_error[slot] == ERROR_PIPE_NOT_CONNECTED) {
                    eof = no_more_reads = 1;
                    continue;
                }
                SetLastError(result_error[slot]);
                fail("overlapped ReadFile");
            }
            if (eof) fail_msg("data after the end of the stream");
            DWORD bytes = result_bytes[slot];
            if (memcmp(buffers[slot], pattern + offset % PATTERN_PERIOD, bytes) != 0)
                fail_msg("a byte of the stream differs from the pattern");
            double now = bench_seconds();
            if (offset == 0) first = now;
            offset += bytes;
            last = now;
            if (warm_offset < 0 && now - first >= warm) {
                warm_offset = offset;
                warm_time = now;
            }
            if (bytes == 0) fail_msg("a zero-byte read before the end of the stream");
            if (no_more_reads) continue;
            memset(&ovs[slot], 0, sizeof ovs[slot]);
            if (!ReadFile(pipe, buffers[slot], BLOCK, NULL, &ovs[slot]) && GetLastError() != ERROR_IO_PENDING) {
                /* The end, seen by the newest read: the reads posted before it may still
                 * hold the last data, to be checked in their turn. */
                if (GetLastError() == ERROR_BROKEN_PIPE || GetLastError() == ERROR_PIPE_NOT_CONNECTED) {
                    no_more_reads = 1;
                    continue;
                }
                fail("ReadFile");
            }
            posted[slot] = 1;
            ++outstanding;
        }
    }
    printf("# server: %lld bytes received and checked\n", offset);
    if (offset % BLOCK != 0) fail_msg("the stream's length is not a whole number of blocks");
    if (warm_offset < 0 || last <= warm_time) fail_msg("the stream ended before the warm-up did");
    bench_metric("pipe_stream_mbps", (double)(offset - warm_offset) / (last - warm_time) / 1e6, "MB_per_s");
    return 0;
}

static int client_stream(HANDLE pipe)
{
    HANDLE port = CreateIoCompletionPort(pipe, NULL, 1, 1);
    if (!port) fail("CreateIoCompletionPort");
    OVERLAPPED ovs[IN_FLIGHT];
    long long offset = 0;
    int outstanding = 0, stopping = 0;
    double start = bench_seconds();
    for (int i = 0; i < IN_FLIGHT; ++i) {
        memset(&ovs[i], 0, sizeof ovs[i]);
        if (!WriteFile(pipe, pattern + offset % PATTERN_PERIOD, BLOCK, NULL, &ovs[i]) && GetLastError() != ERROR_IO_PENDING)
            fail("first WriteFile");
        offset += BLOCK;
        ++outstanding;
    }
    while (outstanding > 0) {
        OVERLAPPED_ENTRY entries[IN_FLIGHT];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, IN_FLIGHT, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        if (!stopping && bench_seconds() - start >= warm + duration) stopping = 1;
        for (ULONG i = 0; i < removed; ++i) {
            OVERLAPPED *ov = entries[i].lpOverlapped;
            DWORD bytes = 0;
            if (!GetOverlappedResult(pipe, ov, &bytes, FALSE)) fail("overlapped WriteFile");
            if (bytes != BLOCK) fail_msg("a short write");
            --outstanding;
            if (stopping) continue;
            memset(ov, 0, sizeof *ov);
            if (!WriteFile(pipe, pattern + offset % PATTERN_PERIOD, BLOCK, NULL, ov) && GetLastError() != ERROR_IO_PENDING)
                fail("WriteFile");
            offset += BLOCK;
            ++outstanding;
        }
    }
    double elapsed = bench_seconds() - start;
    CloseHandle(pipe);
    CloseHandle(port);
    printf("# client: %lld bytes written in %.2f s\n", offset, elapsed);
    return 0;
}

/* ---- set-up ------------------------------------------------------------------------- */

static int server(int stream)
{
    DWORD type = stream ? PIPE_TYPE_BYTE | PIPE_READMODE_BYTE : PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE;
    HANDLE pipe = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                   type | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, PIPE_BUFFER, PIPE_BUFFER, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) fail("CreateNamedPipeA");
    HANDLE port = CreateIoCompletionPort(pipe, NULL, 1, 1);
    if (!port) fail("CreateIoCompletionPort");
    printf("# server: listening on %s\n", pipe_name);
    fflush(stdout);
    OVERLAPPED connect_ov;
    memset(&connect_ov, 0, sizeof connect_ov);
    /* Overlapped: pending until a client opens the pipe, or ERROR_PIPE_CONNECTED (no
     * packet) when it came first. */
    if (ConnectNamedPipe(pipe, &connect_ov) || GetLastError() == ERROR_IO_PENDING) {
        OVERLAPPED_ENTRY entry;
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, &entry, 1, &removed, WAIT_LIMIT_MS, FALSE)) fail("waiting for the client");
        DWORD bytes;
        if (entry.lpOverlapped != &connect_ov || !GetOverlappedResult(pipe, &connect_ov, &bytes, FALSE)) fail("ConnectNamedPipe");
    } else if (GetLastError() != ERROR_PIPE_CONNECTED) {
        fail("ConnectNamedPipe");
    }
    int status = stream ? server_stream(pipe, port) : server_pingpong(pipe, port);
    DisconnectNamedPipe(pipe);
    CloseHandle(pipe);
    CloseHandle(port);
    return status;
}

static int client(int stream)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    double start = bench_seconds();
    while (pipe == INVALID_HANDLE_VALUE) {
        pipe = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           stream ? FILE_FLAG_OVERLAPPED : 0, NULL);
        if (pipe != INVALID_HANDLE_VALUE) break;
        DWORD error = GetLastError();
        if (bench_seconds() - start > WAIT_LIMIT_MS / 1000.0) fail("opening the pipe (60 s)");
        if (error == ERROR_PIPE_BUSY) {
            if (!WaitNamedPipeA(pipe_name, 1000) && GetLastError() == ERROR_CALL_NOT_IMPLEMENTED) fail("WaitNamedPipeA");
        } else if (error == ERROR_FILE_NOT_FOUND) {
            Sleep(10);  /* the server is not there yet */
        } else {
            fail("CreateFileA on the pipe");
        }
    }
    return stream ? client_stream(pipe) : client_pingpong(pipe);
}

static void usage(void)
{
    printf("usage: bench_pipe server|client pingpong|stream NAME [-w WARM] [-d DURATION] [--quick]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4) usage();
    role = argv[1];
    mode = argv[2];
    int is_server = strcmp(role, "server") == 0, stream = strcmp(mode, "stream") == 0;
    if ((!is_server && strcmp(role, "client") != 0) || (!stream && strcmp(mode, "pingpong") != 0)) usage();
    if (strlen(argv[3]) > 200) usage();
    snprintf(pipe_name, sizeof pipe_name, "\\\\.\\pipe\\%s", argv[3]);
    for (int i = 4; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) { warm = 0.2; duration = 0.5; }
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) warm = atof(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) duration = atof(argv[++i]);
        else usage();
    }
    make_pattern();
    return is_server ? server(stream) : client(stream);
}
