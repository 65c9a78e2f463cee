/* test_file_large_read.c: a read of more than 2 GiB. Linux moves at most MAX_RW_COUNT
 * (2 GiB - 4 KiB) in one system call, where Windows moves the whole request; the file
 * driver reads the rest (drivers/file.cpp, FileDevice::step), so that an overlapped
 * ReadFile returns the full count unless the file ends first, on a buffered handle and an
 * unbuffered (FILE_FLAG_NO_BUFFERING) one, as a synchronous handle's does.
 *
 * The file is sparse (2 GiB and a little more, with a marked block at its end). The
 * buffer is 2 GiB + 64 KiB of address space made of one 1 MiB memfd mapped again and
 * again, so the test needs 1 MiB of memory, not 2 GiB: only the count and the last block
 * can be checked, which is what the kernel's limit would cut. Wine 8 returns the short
 * count here too; this is a Linux test. */
#define _GNU_SOURCE
#include "testlib.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (1u << 20)
#define SIZE (0x80000000u + 0x10000u) /* 2 GiB + 64 KiB: past the kernel's limit */

static char path[256];

/* SIZE bytes of address space, every 1 MiB of it the same memory. */
static char *aliased_buffer(void)
{
    int memory = memfd_create("large-read", 0);
    if (memory < 0 || ftruncate(memory, CHUNK) != 0) return NULL;
    size_t total = SIZE;
    char *base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    for (size_t at = 0; at < total; at += CHUNK) {
        size_t length = total - at < CHUNK ? total - at : CHUNK;
        if (mmap(base + at, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, memory, 0) == MAP_FAILED)
            return NULL;
    }
    close(memory);
    return base;
}

static void read_all(DWORD flags, char *buffer)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, flags, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    memset(buffer + SIZE - 4096, 0, 4096);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD bytes = 0;
    BOOL ok = ReadFile(file, buffer, SIZE, &bytes, &ov);
    if (!ok) {
        CHECK_ERROR(ERROR_IO_PENDING);
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 60000), WAIT_OBJECT_0);
        ok = GetOverlappedResult(file, &ov, &bytes, FALSE);
    }
    CHECK(ok);
    CHECK_EQ(bytes, SIZE);
    CHECK(buffer[SIZE - 4096] == 'z' && buffer[SIZE - 1] == 'z');
    CloseHandle(ov.hEvent);
    CloseHandle(file);
}

int main(void)
{
    /* In the current directory: the build tree is on a disk file system, which takes
     * O_DIRECT (tmpfs may not: the unbuffered read is then buffered, still checked). */
    snprintf(path, sizeof(path), "ovl-large-read-%lu.dat", (unsigned long)GetCurrentProcessId());
    HANDLE file = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    LARGE_INTEGER at;
    at.QuadPart = SIZE - 4096;
    CHECK(SetFilePointerEx(file, at, NULL, FILE_BEGIN));
    static char block[4096];
    memset(block, 'z', sizeof(block));
    DWORD written = 0;
    CHECK(WriteFile(file, block, sizeof(block), &written, NULL));
    CloseHandle(file);

    char *buffer = aliased_buffer();
    if (buffer == NULL) {
        tl_skipped++;
        printf("SKIP: no room for 2 GiB of address space\n");
    } else {
        TEST("an overlapped read of 2 GiB + 64 KiB, buffered: the whole count");
        read_all(FILE_FLAG_OVERLAPPED, buffer);
        TEST("the same, unbuffered (FILE_FLAG_NO_BUFFERING): the whole count");
        read_all(FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, buffer);
        TEST("the same through a synchronous handle");
        file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        DWORD bytes = 0;
        memset(buffer + SIZE - 4096, 0, 4096);
        CHECK(ReadFile(file, buffer, SIZE, &bytes, NULL));
        CHECK_EQ(bytes, SIZE);
        CHECK(buffer[SIZE - 1] == 'z');
        CloseHandle(file);
        munmap(buffer, SIZE);
    }
    CHECK(DeleteFileA(path));
    return tl_finish();
}
