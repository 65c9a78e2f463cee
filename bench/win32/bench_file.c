/* bench_file.c: overlapped reads from a page-cached 1 GiB file, by each way of learning
 * that a request finished (compare: the same work in raw liburing, anchors/uring_file.cpp).
 *  file_randread_port_kiops        4 KiB random aligned reads, 32 in flight, the handle bound
 *                                  to a completion port, reaped with GetQueuedCompletionStatusEx(32);
 *                                  each completion issues the next read at a new random offset
 *  file_randread_port_at_once_pct  of those, the share ReadFile finished at once (returned TRUE)
 *  file_randread_skip_kiops        the same on a handle with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS:
 *                                  a read finished at once queues no packet and is served where
 *                                  it was issued; file_randread_skip_at_once_pct its share
 *  file_randread_event_kiops       the same, one event per request: WaitForMultipleObjects on the
 *                                  32 events, GetOverlappedResult, reissue
 *  file_randread_apc_kiops         the same with ReadFileEx: the completion routine reissues, the
 *                                  thread loops in SleepEx(INFINITE, TRUE)
 *  file_seqread_1m_mbps            1 MiB sequential reads, 8 in flight, through a port (MB/s)
 *  file_randread_nobuf_port_kiops  file_randread_port_kiops with FILE_FLAG_NO_BUFFERING
 *  file_seqread_1m_nobuf_mbps      file_seqread_1m_mbps with FILE_FLAG_NO_BUFFERING
 * With --cold, instead of all these (the caller has just dropped the file from the cache;
 * bench/run.sh does, with anchors/uring_file --drop-cache, as this Win32 program cannot):
 *  file_randread_cold_port_kiops   file_randread_port_kiops for 0.5 s (also with --quick),
 *                                  without reading the file first: most reads go to the disk,
 *                                  a growing share hits pages the run itself brought in
 *  file_randread_cold_port_at_once_pct  of those, the share ReadFile finished at once
 *  file_randread_cold_port_mib     how much the counted reads asked for (MiB)
 *
 * usage: bench_file [--quick] [--only=TEXT] [--cold] [FILE]; --only runs just the
 * measurements whose names contain TEXT. FILE defaults to $OVERLAPPED_BENCH_FILE, else
 * overlapped-bench-1g.dat in the temporary directory; a default file that is missing or
 * not 1 GiB is (re)created with non-zero data. Every run but --cold first reads the file
 * once, so the buffered measurements find it in the page cache. Each measurement runs 2 s
 * (0.3 s with --quick); all buffers come from VirtualAlloc, aligned for NO_BUFFERING. */
#include "bench_common.h"

#define FILE_BYTES (1024LL * 1024 * 1024)
#define SMALL 4096
#define LARGE (1024 * 1024)
#define RANDOM_DEPTH 32
#define SEQUENTIAL_DEPTH 8

typedef struct {
    OVERLAPPED overlapped; /* first: a completion's OVERLAPPED* is the request */
    BYTE *buffer;
} Request;

static char path[MAX_PATH];
static LONGLONG file_bytes;
static double duration;
static ULONGLONG random_state = 0x9E3779B97F4A7C15ull;
static int cold; /* --cold: the file is not read first, only the cold measurement runs */
#define COLD_SECONDS 0.5

static void fatal(const char *what)
{
    fprintf(stderr, "bench_file: %s: error %lu\n", what, (unsigned long)GetLastError());
    exit(1);
}

static ULONGLONG random_offset(void)
{
    random_state ^= random_state << 13; /* xorshift64 */
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (random_state % (ULONGLONG)(file_bytes / SMALL)) * SMALL;
}

static void set_offset(Request *request, ULONGLONG offset)
{
    request->overlapped.Offset = (DWORD)offset;
    request->overlapped.OffsetHigh = (DWORD)(offset >> 32);
}

static HANDLE open_file(DWORD flags)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, flags, NULL);
    if (file == INVALID_HANDLE_VALUE) fatal(path);
    return file;
}

static BYTE *allocate(SIZE_T bytes)
{
    BYTE *memory = (BYTE *)VirtualAlloc(NULL, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (memory == NULL) fatal("VirtualAlloc");
    return memory;
}

static long issued, finished_at_once; /* of the last measurement: requests, and those ReadFile finished */
static double last_cpu_ns; /* of the last port_reads(): CPU time (user and system) per read, in ns */
static long last_counted;             /* of the last port_reads: requests counted in its rate */

/* Issues a read; returns whether it finished at once (ReadFile returned TRUE). */
static int issue_read(HANDLE file, Request *request, DWORD length)
{
    ++issued;
    if (ReadFile(file, request->buffer, length, NULL, &request->overlapped)) {
        ++finished_at_once;
        return 1;
    }
    if (GetLastError() != ERROR_IO_PENDING) fatal("ReadFile");
    return 0;
}

static double at_once_percent(void) { return issued > 0 ? 100.0 * finished_at_once / issued : 0; }

/* Finds the file, creates it if it is the default one and missing, and reads it once. */
static void prepare_file(int argc, char **argv)
{
    int given = 0;
    for (int i = 1; i < argc; ++i)
        if (strncmp(argv[i], "--", 2) != 0) {
            snprintf(path, sizeof(path), "%s", argv[i]);
            given = 1;
        }
    if (!given && getenv("OVERLAPPED_BENCH_FILE") != NULL) {
        snprintf(path, sizeof(path), "%s", getenv("OVERLAPPED_BENCH_FILE"));
        given = 1;
    }
    if (!given) {
        char directory[MAX_PATH - 32];
        DWORD length = GetTempPathA(sizeof(directory), directory);
        if (length == 0 || length >= sizeof(directory)) fatal("GetTempPathA");
        snprintf(path, sizeof(path), "%soverlapped-bench-1g.dat", directory);
    }

    BYTE *buffer = allocate(LARGE);
    LARGE_INTEGER size;
    size.QuadPart = 0;
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file != INVALID_HANDLE_VALUE) {
        if (!GetFileSizeEx(file, &size)) fatal("GetFileSizeEx");
        CloseHandle(file);
    }
    if (size.QuadPart < LARGE * SEQUENTIAL_DEPTH || (!given && size.QuadPart != FILE_BYTES)) {
        fprintf(stderr, "bench_file: creating %s (1 GiB)\n", path);
        file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        if (file == INVALID_HANDLE_VALUE) fatal(path);
        for (LONGLONG done = 0; done < FILE_BYTES; done += LARGE) {
            for (int i = 0; i < LARGE; ++i) buffer[i] = (BYTE)((i * 131 + done / LARGE) | 1);
            DWORD written;
            if (!WriteFile(file, buffer, LARGE, &written, NULL) || written != LARGE) fatal("WriteFile");
        }
        FlushFileBuffers(file);
        CloseHandle(file);
        size.QuadPart = FILE_BYTES;
    }
    file_bytes = size.QuadPart / LARGE * LARGE; /* whole 1 MiB blocks for the sequential reads */
    if (cold) {
        VirtualFree(buffer, 0, MEM_RELEASE);
        return;
    }

    file = open_file(FILE_FLAG_SEQUENTIAL_SCAN);
    DWORD got;
    do {
        if (!ReadFile(file, buffer, LARGE, &got, NULL)) fatal("ReadFile (pre-read)");
    } while (got > 0);
    CloseHandle(file);
    VirtualFree(buffer, 0, MEM_RELEASE);
}

/* Reads through a completion port for `seconds`: `depth` requests of `length` bytes in
 * flight, at random offsets or one after the other. Returns completed requests a second.
 * `skip`: the handle has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, and a read that finishes at
 * once (no packet then) is handled where it was issued, as a Windows server does. */
static double port_reads(DWORD flags, DWORD length, int depth, int sequential, double seconds, int skip)
{
    HANDLE file = open_file(flags | FILE_FLAG_OVERLAPPED);
    HANDLE port = CreateIoCompletionPort(file, NULL, 1, 1);
    if (port == NULL) fatal("CreateIoCompletionPort");
    if (skip && !SetFileCompletionNotificationModes(file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
        fatal("SetFileCompletionNotificationModes");
    issued = finished_at_once = 0;
    Request requests[RANDOM_DEPTH];
    BYTE *buffers = allocate((SIZE_T)length * depth);
    ULONGLONG next = 0;
    for (int i = 0; i < depth; ++i) {
        memset(&requests[i].overlapped, 0, sizeof(OVERLAPPED));
        requests[i].buffer = buffers + (SIZE_T)length * i;
        set_offset(&requests[i], sequential ? next : random_offset());
        next = (next + length) % (ULONGLONG)file_bytes;
    }
    double start = bench_seconds(), elapsed = 0, cpu_start = bench_process_cpu_seconds();
    long completed = 0, counted = 0;
    int in_flight = 0, stopping = 0;
    for (int i = 0; i < depth; ++i) {
        if (!issue_read(file, &requests[i], length) || !skip) {
            ++in_flight;
            continue;
        }
        /* Finished at once and no packet will come: serve it here, reissue, and so on
         * until a read pends (or the time is up). */
        for (;;) {
            ++completed; /* the clock is read every 64 reads: it costs a fair share of one */
            if ((completed & 63) == 0 && (elapsed = bench_seconds() - start) >= seconds) {
                stopping = 1;
                counted = completed;
                break;
            }
            set_offset(&requests[i], sequential ? next : random_offset());
            next = (next + length) % (ULONGLONG)file_bytes;
            if (!issue_read(file, &requests[i], length)) {
                ++in_flight;
                break;
            }
        }
        if (stopping) break;
    }

    OVERLAPPED_ENTRY entries[RANDOM_DEPTH];
    while (in_flight > 0) {
        ULONG removed;
        if (!GetQueuedCompletionStatusEx(port, entries, RANDOM_DEPTH, &removed, INFINITE, FALSE))
            fatal("GetQueuedCompletionStatusEx");
        if (!stopping && (elapsed = bench_seconds() - start) >= seconds) {
            stopping = 1;
            counted = completed;
        }
        for (ULONG i = 0; i < removed; ++i) {
            Request *request = (Request *)entries[i].lpOverlapped;
            if (request->overlapped.Internal != 0 /* STATUS_SUCCESS */ || entries[i].dwNumberOfBytesTransferred != length) {
                SetLastError((DWORD)request->overlapped.Internal);
                fatal("read completion");
            }
            ++completed;
            if (stopping) {
                --in_flight;
                continue;
            }
            --in_flight;
            for (;;) {
                set_offset(request, sequential ? next : random_offset());
                next = (next + length) % (ULONGLONG)file_bytes;
                if (!issue_read(file, request, length) || !skip) {
                    ++in_flight;
                    break;
                }
                ++completed; /* finished at once, skipping the port: served here */
                if ((completed & 63) == 0 && (elapsed = bench_seconds() - start) >= seconds) {
                    stopping = 1;
                    counted = completed;
                    break;
                }
            }
        }
    }
    /* every read made counts here, those that finished after the time was up too */
    last_cpu_ns = (bench_process_cpu_seconds() - cpu_start) * 1e9 / (double)completed;
    CloseHandle(port);
    CloseHandle(file);
    VirtualFree(buffers, 0, MEM_RELEASE);
    last_counted = counted;
    return counted / elapsed;
}

/* Random reads, each request with its own event: wait for any, then serve every request
 * whose event is signalled (WaitForMultipleObjects names only the lowest one; serving
 * only that one would starve the others and shrink the queue). */
static double event_reads(void)
{
    HANDLE file = open_file(FILE_FLAG_OVERLAPPED);
    Request requests[RANDOM_DEPTH];
    HANDLE events[RANDOM_DEPTH];
    BYTE *buffers = allocate((SIZE_T)SMALL * RANDOM_DEPTH);
    for (int i = 0; i < RANDOM_DEPTH; ++i) {
        memset(&requests[i].overlapped, 0, sizeof(OVERLAPPED));
        requests[i].buffer = buffers + (SIZE_T)SMALL * i;
        events[i] = requests[i].overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        if (events[i] == NULL) fatal("CreateEvent");
        set_offset(&requests[i], random_offset());
    }
    double start = bench_seconds(), elapsed;
    for (int i = 0; i < RANDOM_DEPTH; ++i) issue_read(file, &requests[i], SMALL);

    long completed = 0;
    while ((elapsed = bench_seconds() - start) < duration) {
        DWORD signalled = WaitForMultipleObjects(RANDOM_DEPTH, events, FALSE, INFINITE);
        if (signalled >= WAIT_OBJECT_0 + RANDOM_DEPTH) fatal("WaitForMultipleObjects");
        for (int j = 0; j < RANDOM_DEPTH; ++j) {
            int k = (int)((signalled - WAIT_OBJECT_0 + j) % RANDOM_DEPTH);
            if (!HasOverlappedIoCompleted(&requests[k].overlapped)) continue;
            if (k != (int)(signalled - WAIT_OBJECT_0) && WaitForSingleObject(events[k], 0) != WAIT_OBJECT_0) continue;
            DWORD bytes;
            if (!GetOverlappedResult(file, &requests[k].overlapped, &bytes, FALSE) || bytes != SMALL)
                fatal("GetOverlappedResult");
            ++completed;
            set_offset(&requests[k], random_offset());
            issue_read(file, &requests[k], SMALL); /* resets the event */
        }
    }
    for (int i = 0; i < RANDOM_DEPTH; ++i) {
        DWORD bytes;
        if (!GetOverlappedResult(file, &requests[i].overlapped, &bytes, TRUE)) fatal("GetOverlappedResult (drain)");
        CloseHandle(events[i]);
    }
    CloseHandle(file);
    VirtualFree(buffers, 0, MEM_RELEASE);
    return completed / elapsed;
}

/* Random reads with ReadFileEx: the completion routine issues the next read. The routine
 * also watches the clock: an alertable wait runs queued routines until none is left, and
 * where reads complete at once (Wine) the reissued read queues the next routine before
 * SleepEx can return. */
static HANDLE apc_file;
static long apc_completed, apc_counted;
static int apc_in_flight, apc_stopping;
static double apc_start, apc_elapsed;

static void CALLBACK apc_read_done(DWORD error, DWORD bytes, LPOVERLAPPED overlapped)
{
    Request *request = (Request *)overlapped;
    if (error != ERROR_SUCCESS || bytes != SMALL) {
        SetLastError(error);
        fatal("ReadFileEx completion");
    }
    ++apc_completed;
    if (!apc_stopping && (apc_elapsed = bench_seconds() - apc_start) >= duration) {
        apc_stopping = 1;
        apc_counted = apc_completed;
    }
    if (apc_stopping) {
        --apc_in_flight;
        return;
    }
    set_offset(request, random_offset());
    if (!ReadFileEx(apc_file, request->buffer, SMALL, &request->overlapped, apc_read_done)) fatal("ReadFileEx");
}

static double apc_reads(void)
{
    apc_file = open_file(FILE_FLAG_OVERLAPPED);
    Request requests[RANDOM_DEPTH];
    BYTE *buffers = allocate((SIZE_T)SMALL * RANDOM_DEPTH);
    apc_completed = 0;
    apc_stopping = 0;
    apc_in_flight = RANDOM_DEPTH;
    apc_start = bench_seconds();
    for (int i = 0; i < RANDOM_DEPTH; ++i) {
        memset(&requests[i].overlapped, 0, sizeof(OVERLAPPED));
        requests[i].buffer = buffers + (SIZE_T)SMALL * i;
        set_offset(&requests[i], random_offset());
        if (!ReadFileEx(apc_file, requests[i].buffer, SMALL, &requests[i].overlapped, apc_read_done))
            fatal("ReadFileEx");
    }
    while (apc_in_flight > 0) SleepEx(INFINITE, TRUE);
    CloseHandle(apc_file);
    VirtualFree(buffers, 0, MEM_RELEASE);
    return apc_counted / apc_elapsed;
}

static const char *only = ""; /* --only=TEXT: just the measurements whose names contain TEXT */

static int wanted(const char *name) { return strstr(name, only) != NULL; }

int main(int argc, char **argv)
{
    (void)bench_median; /* bench_common.h's, unused here */
    duration = bench_duration(argc, argv) < 1.0 ? 0.3 : 2.0;
    for (int i = 1; i < argc; ++i) {
        if (strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
        if (strcmp(argv[i], "--cold") == 0) cold = 1;
    }
    prepare_file(argc, argv);
    fprintf(stderr, "bench_file: %s, %lld MiB%s\n", path, file_bytes / LARGE, cold ? ", not read first (--cold)" : "");

    if (cold) {
        /* Warm-up: one read of the first block sets things up as below does, and brings
         * in next to nothing (the random reads start from the same state as the anchor's). */
        port_reads(0, SMALL, 1, 1, 0.0, 0);
        double rate = port_reads(0, SMALL, RANDOM_DEPTH, 0, COLD_SECONDS, 0);
        bench_metric("file_randread_cold_port_kiops", rate / 1e3, "kiops");
        bench_metric("file_randread_cold_port_at_once_pct", at_once_percent(), "%");
        bench_metric("file_randread_cold_port_mib", (double)last_counted * SMALL / (1024.0 * 1024.0), "MiB");
        return 0;
    }

    port_reads(0, SMALL, RANDOM_DEPTH, 0, duration / 4, 0); /* warm-up: first use sets things up */
    if (wanted("file_randread_port_kiops")) {
        bench_metric("file_randread_port_kiops", port_reads(0, SMALL, RANDOM_DEPTH, 0, duration, 0) / 1e3, "kiops");
        bench_metric("file_randread_port_at_once_pct", at_once_percent(), "%");
        bench_metric("file_randread_port_cpu_ns", last_cpu_ns, "ns");
    }
    if (wanted("file_randread_skip_kiops")) {
        bench_metric("file_randread_skip_kiops", port_reads(0, SMALL, RANDOM_DEPTH, 0, duration, 1) / 1e3, "kiops");
        bench_metric("file_randread_skip_at_once_pct", at_once_percent(), "%");
        bench_metric("file_randread_skip_cpu_ns", last_cpu_ns, "ns");
    }
    if (wanted("file_randread_event_kiops")) bench_metric("file_randread_event_kiops", event_reads() / 1e3, "kiops");
    if (wanted("file_randread_apc_kiops")) bench_metric("file_randread_apc_kiops", apc_reads() / 1e3, "kiops");
    if (wanted("file_seqread_1m_mbps"))
        bench_metric("file_seqread_1m_mbps", port_reads(0, LARGE, SEQUENTIAL_DEPTH, 1, duration, 0) * LARGE / 1e6,
                     "MB/s");
    if (wanted("file_randread_nobuf_port_kiops"))
        bench_metric("file_randread_nobuf_port_kiops",
                     port_reads(FILE_FLAG_NO_BUFFERING, SMALL, RANDOM_DEPTH, 0, duration, 0) / 1e3, "kiops");
    if (wanted("file_seqread_1m_nobuf_mbps"))
        bench_metric("file_seqread_1m_nobuf_mbps",
                     port_reads(FILE_FLAG_NO_BUFFERING, LARGE, SEQUENTIAL_DEPTH, 1, duration, 0) * LARGE / 1e6, "MB/s");
    return 0;
}
