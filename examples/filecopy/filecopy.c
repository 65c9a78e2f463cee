/* filecopy.c: copies a file with unbuffered overlapped I/O through one completion port,
 * the way the FileCopy sample of Windows via C/C++ (chapter 10) does it.
 *
 *   filecopy [--verify] SRC DST
 *
 * Both files are opened with FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED and bound to
 * one completion port, SRC with the key CK_READ and DST with CK_WRITE. BUFFERS buffers of
 * BUFFER_SIZE bytes circulate: a finished read sends its buffer out as a write at the
 * same offset, a finished write sends it back for the next read. Unbuffered I/O moves
 * whole sectors only, so DST is first sized to SRC's size rounded up to ALIGNMENT and,
 * once the copy is done, reopened buffered to cut it to SRC's exact size.
 *
 * --verify then compares the two files with plain synchronous reads.
 * Exit status: 0 success, 1 the files differ, 2 usage or a Win32 error (its code shown). */
#define __USE_MINGW_ANSI_STDIO 1 /* mingw-w64: C99 printf, for %llu */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE (1024 * 1024)
#define BUFFERS 8
#define ALIGNMENT 4096 /* a multiple of every sector size FILE_FLAG_NO_BUFFERING may demand */

enum { CK_READ = 1, CK_WRITE = 2 };

/* One buffer in flight: the OVERLAPPED first, so a completion's OVERLAPPED* is the request. */
typedef struct {
    OVERLAPPED overlapped;
    BYTE *buffer;
} IoRequest;

static int progress_shown; /* a progress line is open on stderr: end it before an error */

/* Prints "filecopy: WHAT: error N (message)" for the last Win32 error and exits. */
static void fail(const char *what)
{
    DWORD error = GetLastError();
    char message[256] = "";
    if (FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0,
                       message, sizeof(message), NULL) == 0)
        message[0] = '\0';
    size_t length = strlen(message);
    while (length > 0 && (message[length - 1] == '\n' || message[length - 1] == '\r' || message[length - 1] == ' '))
        message[--length] = '\0';
    fprintf(stderr, "%sfilecopy: %s: error %lu%s%s%s\n", progress_shown ? "\n" : "", what, (unsigned long)error,
            length ? " (" : "", message, length ? ")" : "");
    exit(2);
}

static double seconds_now(void)
{
    LARGE_INTEGER frequency, counter;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart / (double)frequency.QuadPart;
}

static void show_progress(ULONGLONG bytes, double elapsed, const char *end)
{
    double mib = (double)bytes / (1024.0 * 1024.0);
    fprintf(stderr, "\rfilecopy: %.1f MiB in %.2f s, %.1f MiB/s%s", mib, elapsed,
            elapsed > 0 ? mib / elapsed : 0.0, end);
    progress_shown = end[0] == '\0';
    fflush(stderr);
}

static ULONGLONG round_up(ULONGLONG value) { return (value + ALIGNMENT - 1) & ~(ULONGLONG)(ALIGNMENT - 1); }

static void set_offset(OVERLAPPED *overlapped, ULONGLONG offset)
{
    overlapped->Offset = (DWORD)offset;
    overlapped->OffsetHigh = (DWORD)(offset >> 32);
}

/* Issues an overlapped read or write; the completion arrives through the port even when
 * the call finishes at once, so only a real failure matters here. */
static void issue(BOOL is_read, HANDLE file, IoRequest *request, DWORD length)
{
    BOOL done = is_read ? ReadFile(file, request->buffer, length, NULL, &request->overlapped)
                        : WriteFile(file, request->buffer, length, NULL, &request->overlapped);
    if (!done && GetLastError() != ERROR_IO_PENDING) fail(is_read ? "ReadFile" : "WriteFile");
}

/* The copy itself. Returns the number of bytes copied (the source's size). */
static ULONGLONG copy(const char *source_path, const char *destination_path)
{
    HANDLE source = CreateFileA(source_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
    if (source == INVALID_HANDLE_VALUE) fail(source_path);
    LARGE_INTEGER size;
    if (!GetFileSizeEx(source, &size)) fail("GetFileSizeEx");
    ULONGLONG source_size = (ULONGLONG)size.QuadPart;

    HANDLE destination = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                                     FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
    if (destination == INVALID_HANDLE_VALUE) fail(destination_path);
    /* Reserve the whole (sector-rounded) size at once: the file system allocates once and
     * the writes do not extend the file one by one. */
    LARGE_INTEGER rounded;
    rounded.QuadPart = (LONGLONG)round_up(source_size);
    if (!SetFilePointerEx(destination, rounded, NULL, FILE_BEGIN) || !SetEndOfFile(destination))
        fail("sizing the destination");

    HANDLE port = CreateIoCompletionPort(source, NULL, CK_READ, 0);
    if (port == NULL || CreateIoCompletionPort(destination, port, CK_WRITE, 0) != port)
        fail("CreateIoCompletionPort");

    IoRequest requests[BUFFERS];
    memset(requests, 0, sizeof(requests));
    for (int i = 0; i < BUFFERS; ++i) {
        requests[i].buffer = (BYTE *)VirtualAlloc(NULL, BUFFER_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (requests[i].buffer == NULL) fail("VirtualAlloc");
    }

    /* The book's trick to start: post one fake "write finished" packet per buffer, so the
     * loop below starts a read for each without a special case. */
    int reads = 0, writes = 0;
    for (int i = 0; i < BUFFERS; ++i) {
        if (!PostQueuedCompletionStatus(port, 0, CK_WRITE, &requests[i].overlapped))
            fail("PostQueuedCompletionStatus");
        ++writes;
    }

    ULONGLONG next_read = 0, copied = 0;
    double start = seconds_now(), last_shown = start;
    while (reads > 0 || writes > 0) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *overlapped;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE))
            fail(overlapped == NULL ? "GetQueuedCompletionStatus" : key == CK_READ ? "read" : "write");
        IoRequest *request = (IoRequest *)overlapped;
        if (key == CK_READ) {
            /* Write what was read at the same offset. A short read is the end of the
             * file: write it rounded up to whole sectors, the reopen below trims it. */
            --reads;
            ++writes;
            issue(FALSE, destination, request, (DWORD)round_up(bytes));
        } else {
            --writes;
            copied += bytes;
            if (next_read < source_size) {
                set_offset(&request->overlapped, next_read);
                next_read += BUFFER_SIZE;
                ++reads;
                issue(TRUE, source, request, BUFFER_SIZE);
            }
            double now = seconds_now();
            if (now - last_shown >= 0.25) {
                show_progress(copied < source_size ? copied : source_size, now - start, "");
                last_shown = now;
            }
        }
    }
    double elapsed = seconds_now() - start;
    show_progress(source_size, elapsed, "\n");

    for (int i = 0; i < BUFFERS; ++i) VirtualFree(requests[i].buffer, 0, MEM_RELEASE);
    CloseHandle(port);
    CloseHandle(source);
    CloseHandle(destination);

    /* The tail: unbuffered I/O could only make the file a whole number of sectors long.
     * A buffered handle may set any size. */
    destination = CreateFileA(destination_path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (destination == INVALID_HANDLE_VALUE) fail("reopening the destination");
    if (!SetFilePointerEx(destination, size, NULL, FILE_BEGIN) || !SetEndOfFile(destination))
        fail("setting the destination's final size");
    CloseHandle(destination);
    return source_size;
}

/* Reads up to `length` bytes, fewer only at the end of the file. */
static DWORD read_fully(HANDLE file, BYTE *buffer, DWORD length)
{
    DWORD total = 0;
    while (total < length) {
        DWORD got = 0;
        if (!ReadFile(file, buffer + total, length - total, &got, NULL)) fail("ReadFile (verify)");
        if (got == 0) break;
        total += got;
    }
    return total;
}

/* Compares the two files byte by byte. Returns 0 if they are equal, 1 otherwise. */
static int verify(const char *source_path, const char *destination_path)
{
    HANDLE source = CreateFileA(source_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (source == INVALID_HANDLE_VALUE) fail(source_path);
    HANDLE destination = CreateFileA(destination_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                                     FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (destination == INVALID_HANDLE_VALUE) fail(destination_path);
    BYTE *a = (BYTE *)VirtualAlloc(NULL, BUFFER_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    BYTE *b = (BYTE *)VirtualAlloc(NULL, BUFFER_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (a == NULL || b == NULL) fail("VirtualAlloc");

    int result = 0;
    ULONGLONG offset = 0;
    for (;;) {
        DWORD got_a = read_fully(source, a, BUFFER_SIZE);
        DWORD got_b = read_fully(destination, b, BUFFER_SIZE);
        DWORD common = got_a < got_b ? got_a : got_b;
        if (memcmp(a, b, common) != 0 || got_a != got_b) {
            DWORD i = 0;
            while (i < common && a[i] == b[i]) ++i;
            if (i == common)
                printf("verify: sizes differ: %s ends at %llu\n", got_a < got_b ? "SRC" : "DST",
                       offset + common);
            else
                printf("verify: first difference at offset %llu\n", offset + i);
            result = 1;
            break;
        }
        offset += got_a;
        if (got_a < BUFFER_SIZE) break;
    }
    if (result == 0) printf("verify: ok (%llu bytes)\n", offset);
    VirtualFree(a, 0, MEM_RELEASE);
    VirtualFree(b, 0, MEM_RELEASE);
    CloseHandle(source);
    CloseHandle(destination);
    return result;
}

int main(int argc, char **argv)
{
    int check = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "--verify") == 0) {
        check = 1;
        first = 2;
    }
    if (argc - first != 2) {
        fprintf(stderr, "usage: filecopy [--verify] SRC DST\n");
        return 2;
    }
    copy(argv[first], argv[first + 1]);
    return check ? verify(argv[first], argv[first + 1]) : 0;
}
