/* bench_pipe.c: named-pipe ping-pong and streaming, one program with two roles, started
 * as two processes by bench/pipes.sh (server first; the client retries until the pipe
 * exists). The native anchor doing the same work on Unix-domain sockets with epoll is
 * anchors/pipe_raw.c; both print the same METRIC lines.
 *
 *   bench_pipe server pingpong|stream NAME [-w WARM] [-d DURATION] [-n] [--quick]
 *   bench_pipe client pingpong|stream NAME [-w WARM] [-d DURATION] [-n] [--quick]
 *
 * The overlapped ends are bound to a completion port in FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 * mode (-n: without it, every completion goes through the port).
 *
 * pingpong: message-type pipe, 64 B messages. The server's end is overlapped and bound
 *   to a completion port, served by one thread in GetQueuedCompletionStatusEx: a read
 *   completes -> the message is written back (overlapped) and the next read is posted at
 *   once (one that finds its message waiting is served at once). The client is a plain
 *   synchronous handle in message read mode: WriteFile 64 B, ReadFile the echo, compare
 *   it, repeat. The client reports
 *     METRIC pipe_pingpong_rtps      round trips per second over the measured interval
 *     METRIC pipe_pingpong_p50_us    median round trip (each timed separately)
 * stream: byte-type pipe. The client writes 64 KiB blocks, 4 overlapped writes always in
 *   flight on its own completion port, for WARM + DURATION seconds, then closes. The
 *   server keeps 4 overlapped 64 KiB reads in flight on its port, checks every byte
 *   against the stream's pattern in stream order, and reports
 *     METRIC pipe_stream_mbps        10^6 bytes per second, after the warm-up, to the last byte
 * loop: one process, both ends of a message-type pipe, each overlapped and bound to one
 *   completion port in FILE_SKIP_COMPLETION_PORT_ON_SUCCESS mode (-n: without it, and each
 *   packet is taken from the port): write a 64 B message on the client end, read it on
 *   the server end, repeat. Each transfer normally finishes at once in the caller, so this
 *   measures what the library adds to a write and a read of the kernel's own work, without
 *   a second process and the scheduler between them (the round trip rows' noise). Reports
 *     METRIC pipe_loop_ns            per message (one write and one read)
 *     METRIC pipe_loop_at_once_pct   reads that finished at once
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
/* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on the overlapped ends (off with -n): an operation
 * that completes at once is handled where it was started, as a careful Windows server
 * does (examples/echo_server does the same); the raw program's recv-until-EAGAIN is its
 * counterpart. */
static int skip_on_success = 1;

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

/* The server's ping-pong state: one read and one echo write at most in flight. */
static HANDLE ping_pipe;
static unsigned char ping_read_buffer[4096], ping_write_buffer[PING_SIZE];
static OVERLAPPED ping_read_ov, ping_write_ov;
static DWORD ping_echo_bytes;
static int ping_write_busy, ping_echo_waiting, ping_reading, ping_done;
static long long ping_messages;

static int is_end(DWORD error)
{
    return error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED;
}

static void ping_read_done(DWORD bytes)
{
    if (bytes != PING_SIZE) fail_msg("a message that is not 64 bytes");
    memcpy(ping_write_buffer, ping_read_buffer, bytes);
    ping_echo_bytes = bytes;
    ping_echo_waiting = 1;
    ++ping_messages;
}

/* The echo goes out when the previous echo's write has completed (in practice always: a
 * 64 B write to an empty pipe completes at once). */
static void ping_try_echo(void)
{
    if (!ping_echo_waiting || ping_write_busy) return;
    ping_echo_waiting = 0;
    memset(&ping_write_ov, 0, sizeof ping_write_ov);
    DWORD bytes = 0;
    if (WriteFile(ping_pipe, ping_write_buffer, ping_echo_bytes, &bytes, &ping_write_ov)) {
        if (!skip_on_success) ping_write_busy = 1;  /* its packet is on the way */
        else if (bytes != ping_echo_bytes) fail_msg("short write of an echo");
    } else if (GetLastError() == ERROR_IO_PENDING) {
        ping_write_busy = 1;
    } else {
        fail("WriteFile");
    }
}

/* Posts the next read as soon as the echo is out; with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 * a read that finds its message waiting is served here, without the port. */
static void ping_try_read(void)
{
    while (!ping_done && !ping_reading && !ping_echo_waiting) {
        memset(&ping_read_ov, 0, sizeof ping_read_ov);
        DWORD bytes = 0;
        if (ReadFile(ping_pipe, ping_read_buffer, sizeof ping_read_buffer, &bytes, &ping_read_ov)) {
            if (!skip_on_success) {
                ping_reading = 1;
                break;
            }
            ping_read_done(bytes);
            ping_try_echo();
        } else if (GetLastError() == ERROR_IO_PENDING) {
            ping_reading = 1;
        } else if (is_end(GetLastError())) {
            ping_done = 1;
        } else {
            fail("ReadFile");
        }
    }
}

static int server_pingpong(HANDLE pipe, HANDLE port)
{
    ping_pipe = pipe;
    ping_try_read();
    while (ping_reading || ping_write_busy) {
        OVERLAPPED_ENTRY entries[16];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, 16, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        for (ULONG i = 0; i < removed; ++i) {
            OVERLAPPED *ov = entries[i].lpOverlapped;
            DWORD bytes = 0;
            BOOL ok = GetOverlappedResult(pipe, ov, &bytes, FALSE);
            if (ov == &ping_write_ov) {
                if (!ok) fail("overlapped WriteFile");
                if (bytes != ping_echo_bytes) fail_msg("short write of an echo");
                ping_write_busy = 0;
            } else if (ov == &ping_read_ov) {
                ping_reading = 0;
                if (ok) ping_read_done(bytes);
                else if (is_end(GetLastError())) ping_done = 1;
                else fail("overlapped ReadFile");
            } else {
                fail_msg("a completion for an unknown OVERLAPPED");
            }
        }
        ping_try_echo();
        ping_try_read();
    }
    printf("# server: %lld messages echoed\n", ping_messages);
    /* The whole run's CPU (the wait for the client costs none) over every message. */
    double cpu = bench_process_cpu_seconds();
    if (cpu >= 0 && ping_messages > 0) bench_metric("pipe_pingpong_server_cpu_us", cpu * 1e6 / (double)ping_messages, "us");
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
    double start = bench_seconds(), measure_start = 0, now = start, cpu_start = 0, cpu_end = 0;
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
                cpu_start = bench_process_cpu_seconds();
            } else if (measuring && now - measure_start >= duration) {
                cpu_end = bench_process_cpu_seconds();
                break;
            }
        }
    }
    CloseHandle(pipe);
    if (measured == 0) fail_msg("no round trips measured");
    if (cpu_start >= 0 && cpu_end >= cpu_start)
        bench_metric("pipe_pingpong_client_cpu_us", (cpu_end - cpu_start) * 1e6 / (double)measured, "us");
    qsort(samples, (size_t)samples_taken, sizeof *samples, compare_u32);
    bench_metric("pipe_pingpong_rtps", (double)measured / (now - measure_start), "per_s");
    bench_metric("pipe_pingpong_p50_us", samples[samples_taken / 2] / 1000.0, "us");
    free(samples);
    return 0;
}

/* ---- streaming ---------------------------------------------------------------------- */

/* The server's stream state. Reads complete in the order they were posted (Windows fills
 * a pipe's pending reads in order), but their packets are taken in batches: each slot's
 * result waits until every earlier-posted read has been checked. Slots are posted and
 * checked round robin. */
static HANDLE stream_pipe;
static unsigned char stream_buffers[IN_FLIGHT][BLOCK];
static OVERLAPPED stream_ovs[IN_FLIGHT];
static int stream_posted[IN_FLIGHT], stream_completed[IN_FLIGHT];
static BOOL stream_ok[IN_FLIGHT];
static DWORD stream_bytes[IN_FLIGHT], stream_error[IN_FLIGHT];
static int stream_outstanding, stream_no_more_reads;

static void stream_post(int slot)
{
    memset(&stream_ovs[slot], 0, sizeof stream_ovs[slot]);
    DWORD bytes = 0;
    if (ReadFile(stream_pipe, stream_buffers[slot], BLOCK, &bytes, &stream_ovs[slot])) {
        stream_posted[slot] = 1;
        if (skip_on_success) {  /* done here: no packet */
            stream_ok[slot] = TRUE;
            stream_bytes[slot] = bytes;
            stream_completed[slot] = 1;
        } else {
            ++stream_outstanding;
        }
    } else if (GetLastError() == ERROR_IO_PENDING) {
        stream_posted[slot] = 1;
        ++stream_outstanding;
    } else if (is_end(GetLastError())) {
        /* The end, seen by the newest read: the reads posted before it may still hold
         * the last data, to be checked in their turn. */
        stream_no_more_reads = 1;
    } else {
        fail("ReadFile");
    }
}

static int server_stream(HANDLE pipe, HANDLE port)
{
    int next_check = 0, eof = 0;
    long long offset = 0, warm_offset = -1;
    double first = 0, warm_time = 0, last = 0;

    stream_pipe = pipe;
    for (int i = 0; i < IN_FLIGHT && !stream_no_more_reads; ++i) stream_post(i);
    for (;;) {
        while (stream_posted[next_check] && stream_completed[next_check]) {
            int slot = next_check;
            stream_posted[slot] = stream_completed[slot] = 0;
            next_check = (next_check + 1) % IN_FLIGHT;
            if (!stream_ok[slot]) {
                if (is_end(stream_error[slot])) {
                    eof = stream_no_more_reads = 1;
                    continue;
                }
                SetLastError(stream_error[slot]);
                fail("overlapped ReadFile");
            }
            if (eof) fail_msg("data after the end of the stream");
            DWORD bytes = stream_bytes[slot];
            if (bytes == 0) fail_msg("a zero-byte read before the end of the stream");
            if (memcmp(stream_buffers[slot], pattern + offset % PATTERN_PERIOD, bytes) != 0)
                fail_msg("a byte of the stream differs from the pattern");
            double now = bench_seconds();
            if (offset == 0) first = now;
            offset += bytes;
            last = now;
            if (warm_offset < 0 && now - first >= warm) {
                warm_offset = offset;
                warm_time = now;
            }
            if (!stream_no_more_reads) stream_post(slot);
        }
        if (stream_outstanding == 0) break;
        OVERLAPPED_ENTRY entries[IN_FLIGHT];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, IN_FLIGHT, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        for (ULONG i = 0; i < removed; ++i) {
            int slot = (int)(entries[i].lpOverlapped - stream_ovs);
            if (slot < 0 || slot >= IN_FLIGHT || !stream_posted[slot] || stream_completed[slot])
                fail_msg("a completion for an unknown OVERLAPPED");
            stream_ok[slot] = GetOverlappedResult(pipe, &stream_ovs[slot], &stream_bytes[slot], FALSE);
            stream_error[slot] = stream_ok[slot] ? 0 : GetLastError();
            stream_completed[slot] = 1;
            --stream_outstanding;
        }
    }
    printf("# server: %lld bytes received and checked\n", offset);
    if (!eof && !stream_no_more_reads) fail_msg("the stream did not end");
    if (offset % BLOCK != 0) fail_msg("the stream's length is not a whole number of blocks");
    if (warm_offset < 0 || last <= warm_time) fail_msg("the stream ended before the warm-up did");
    bench_metric("pipe_stream_mbps", (double)(offset - warm_offset) / (last - warm_time) / 1e6, "MB_per_s");
    return 0;
}

static int client_stream(HANDLE pipe)
{
    HANDLE port = CreateIoCompletionPort(pipe, NULL, 1, 1);
    if (!port) fail("CreateIoCompletionPort");
    if (skip_on_success && !SetFileCompletionNotificationModes(pipe, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)) {
        printf("# client: SetFileCompletionNotificationModes failed (error %lu): every completion goes through the port\n",
               (unsigned long)GetLastError());
        skip_on_success = 0;
    }
    OVERLAPPED ovs[IN_FLIGHT];
    int busy[IN_FLIGHT] = {0};
    long long offset = 0;
    int outstanding = 0, stopping = 0;
    double start = bench_seconds();
    for (;;) {
        /* Keep 4 writes in flight (a write done at once, with skip-on-success, frees its
         * slot at once) until the time is up. */
        for (int slot = 0; slot < IN_FLIGHT && !stopping; ++slot) {
            while (!busy[slot]) {
                if (bench_seconds() - start >= warm + duration) {
                    stopping = 1;
                    break;
                }
                memset(&ovs[slot], 0, sizeof ovs[slot]);
                DWORD bytes = 0;
                if (WriteFile(pipe, pattern + offset % PATTERN_PERIOD, BLOCK, &bytes, &ovs[slot])) {
                    if (!skip_on_success) busy[slot] = 1, ++outstanding;
                    else if (bytes != BLOCK) fail_msg("a short write");
                } else if (GetLastError() == ERROR_IO_PENDING) {
                    busy[slot] = 1;
                    ++outstanding;
                } else {
                    fail("WriteFile");
                }
                offset += BLOCK;
            }
        }
        if (outstanding == 0) break;
        OVERLAPPED_ENTRY entries[IN_FLIGHT];
        ULONG removed = 0;
        if (!GetQueuedCompletionStatusEx(port, entries, IN_FLIGHT, &removed, WAIT_LIMIT_MS, FALSE)) fail("GetQueuedCompletionStatusEx");
        for (ULONG i = 0; i < removed; ++i) {
            int slot = (int)(entries[i].lpOverlapped - ovs);
            if (slot < 0 || slot >= IN_FLIGHT || !busy[slot]) fail_msg("a completion for an unknown OVERLAPPED");
            DWORD bytes = 0;
            if (!GetOverlappedResult(pipe, &ovs[slot], &bytes, FALSE)) fail("overlapped WriteFile");
            if (bytes != BLOCK) fail_msg("a short write");
            busy[slot] = 0;
            --outstanding;
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
    if (skip_on_success && !SetFileCompletionNotificationModes(pipe, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)) {
        printf("# server: SetFileCompletionNotificationModes failed (error %lu): every completion goes through the port\n",
               (unsigned long)GetLastError());
        skip_on_success = 0;
    }
    printf("# server: listening on %s\n", pipe_name);
    fflush(stdout);
    OVERLAPPED connect_ov;
    memset(&connect_ov, 0, sizeof connect_ov);
    /* Overlapped: pending until a client opens the pipe, or ERROR_PIPE_CONNECTED (no
     * packet) when it came first; a success at once queues a packet unless skipped. */
    BOOL connected = ConnectNamedPipe(pipe, &connect_ov);
    if (connected && skip_on_success) {
        /* done, no packet */
    } else if (connected || GetLastError() == ERROR_IO_PENDING) {
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

/* ---- loop: both ends in one process ------------------------------------------------ */

/* Waits for the packet of the one transfer in flight on the port (key `key`). */
static void loop_wait(HANDLE port, ULONG_PTR key)
{
    DWORD bytes;
    ULONG_PTR got_key;
    OVERLAPPED *done;
    if (!GetQueuedCompletionStatus(port, &bytes, &got_key, &done, WAIT_LIMIT_MS)) fail("GetQueuedCompletionStatus");
    if (got_key != key) fail_msg("a packet of the other end");
}

static int run_loop(void)
{
    HANDLE server = CreateNamedPipeA(pipe_name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                     PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 4096, 4096, 0, NULL);
    if (server == INVALID_HANDLE_VALUE) fail("CreateNamedPipeA");
    HANDLE client = CreateFileA(pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    if (client == INVALID_HANDLE_VALUE) fail("CreateFileA on the pipe");
    HANDLE port = CreateIoCompletionPort(server, NULL, 1, 1);
    if (port == NULL || CreateIoCompletionPort(client, port, 2, 1) == NULL) fail("CreateIoCompletionPort");
    if (skip_on_success && (!SetFileCompletionNotificationModes(server, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) ||
                            !SetFileCompletionNotificationModes(client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)))
        fail("SetFileCompletionNotificationModes");
    unsigned char message[PING_SIZE], received[4096];
    memcpy(message, pattern, PING_SIZE);
    OVERLAPPED write_ov, read_ov;
    long long messages = 0, at_once = 0;
    double start = bench_seconds(), measured_from = 0, now = start;
    int measuring = 0;
    for (long long i = 0;; ++i) {
        if ((i & 255) == 0) {
            now = bench_seconds();
            if (!measuring && now - start >= warm) {
                measuring = 1;
                measured_from = now;
                messages = at_once = 0;
            } else if (measuring && now - measured_from >= duration) {
                break;
            }
        }
        DWORD bytes = 0;
        memset(&write_ov, 0, sizeof write_ov);
        message[0] = (unsigned char)i;
        if (WriteFile(client, message, PING_SIZE, &bytes, &write_ov)) {
            if (!skip_on_success) loop_wait(port, 2);
        } else if (GetLastError() == ERROR_IO_PENDING) {
            loop_wait(port, 2);
        } else {
            fail("WriteFile");
        }
        memset(&read_ov, 0, sizeof read_ov);
        if (ReadFile(server, received, sizeof received, &bytes, &read_ov)) {
            ++at_once;
            if (!skip_on_success) loop_wait(port, 1);
        } else if (GetLastError() == ERROR_IO_PENDING) {
            loop_wait(port, 1);
        } else {
            fail("ReadFile");
        }
        if (read_ov.InternalHigh != PING_SIZE || received[0] != message[0]) fail_msg("a message that is not the one written");
        ++messages;
    }
    double seconds = bench_seconds() - measured_from;
    bench_metric("pipe_loop_ns", seconds * 1e9 / (double)messages, "ns");
    bench_metric("pipe_loop_at_once_pct", 100.0 * (double)at_once / (double)messages, "%");
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(port);
    return 0;
}

static void usage(void)
{
    printf("usage: bench_pipe server|client pingpong|stream NAME [-w WARM] [-d DURATION] [-n] [--quick]\n"
           "       bench_pipe loop loop NAME [-w WARM] [-d DURATION] [-n] [--quick]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4) usage();
    role = argv[1];
    mode = argv[2];
    int is_server = strcmp(role, "server") == 0, stream = strcmp(mode, "stream") == 0;
    int loop = strcmp(role, "loop") == 0 && strcmp(mode, "loop") == 0;
    if (!loop && ((!is_server && strcmp(role, "client") != 0) || (!stream && strcmp(mode, "pingpong") != 0))) usage();
    if (strlen(argv[3]) > 200) usage();
    snprintf(pipe_name, sizeof pipe_name, "\\\\.\\pipe\\%s", argv[3]);
    for (int i = 4; i < argc; ++i) {
        if (strcmp(argv[i], "--quick") == 0) { warm = 0.2; duration = 0.5; }
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) warm = atof(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) duration = atof(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0) skip_on_success = 0;
        else usage();
    }
    make_pattern();
    if (loop) return run_loop();
    return is_server ? server(stream) : client(stream);
}
