/* test_overlapped_range.c: SetFileIoOverlappedRange. Microsoft Learn: the range of
 * OVERLAPPEDs is locked in memory for the handle's file and unlocked when the file is
 * closed; the handle needs FILE_READ_ATTRIBUTES; the caller needs the right to lock
 * memory (SeLockMemoryPrivilege, which Windows gives no account by default: there the
 * call fails with ERROR_PRIVILEGE_NOT_HELD; here it is Linux's right to lock memory, which
 * root has and others have up to RLIMIT_MEMLOCK). Requests whose OVERLAPPEDs lie in the
 * range complete as any other. */
#include "testlib.h"

#include <string.h>

#ifndef __MINGW32__
#include <stdio.h>
/* VmLck of /proc/self/status in KiB, or -1. */
static long locked_kib(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (status == NULL) return -1;
    while (fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, "VmLck:", 6) == 0) kib = atol(line + 6);
    fclose(status);
    return kib;
}
#endif

static void test_range(const char *path)
{
    /* A file of 64 KiB, each 4 KiB block filled with a letter of its own. */
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    static char block[4096];
    for (int i = 0; i < 16; ++i) {
        OVERLAPPED ov;
        DWORD done = 0;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)i * 4096;
        memset(block, 'a' + i, sizeof block);
        BOOL ok = WriteFile(file, block, sizeof block, NULL, &ov);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
        CHECK(GetOverlappedResult(file, &ov, &done, TRUE));
        CHECK_EQ(done, sizeof block);
    }

    /* The OVERLAPPEDs: one page of them. */
    OVERLAPPED *ovs = (OVERLAPPED *)VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    CHECK(ovs != NULL);
    const int count = (int)(4096 / sizeof(OVERLAPPED));

    TEST("not a file handle: ERROR_INVALID_HANDLE");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(event, (PUCHAR)ovs, 4096));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(NULL, (PUCHAR)ovs, 4096));
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("a handle without FILE_READ_ATTRIBUTES: ERROR_ACCESS_DENIED");
    /* CreateFile always adds FILE_READ_ATTRIBUTES (and SYNCHRONIZE); a duplicate can
     * leave it out. */
    HANDLE writer = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &writer, FILE_WRITE_DATA, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(writer, (PUCHAR)ovs, 4096));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(writer);

    TEST("an empty range: ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(file, (PUCHAR)ovs, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("the range locked; reads through OVERLAPPEDs in it complete as any other");
#ifndef __MINGW32__
    long before = locked_kib();
#endif
    SetLastError(0xdeadbeef);
    BOOL set = SetFileIoOverlappedRange(file, (PUCHAR)ovs, 4096);
    DWORD error = GetLastError();
    {
        /* Windows without the privilege (every account by default) refuses; Linux's
         * right to lock one page (root, or any account under the usual 8 MiB limit)
         * lets the library lock it. */
        CHECK(set || error == ERROR_PRIVILEGE_NOT_HELD);
#ifndef __MINGW32__
        CHECK(set);
        CHECK_EQ(locked_kib(), before + 4);
#endif
    }
    HANDLE port = CreateIoCompletionPort(file, NULL, 7, 1);
    CHECK(port != NULL);
    static char buffers[16][4096];
    for (int i = 0; i < 16; ++i) {
        memset(&ovs[count - 1 - i], 0, sizeof(OVERLAPPED));
        ovs[count - 1 - i].Offset = (DWORD)i * 4096;
        BOOL ok = ReadFile(file, buffers[i], 4096, NULL, &ovs[count - 1 - i]);
        CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    }
    int seen = 0, right = 0;
    for (int i = 0; i < 16; ++i) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *done = NULL;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000)) break;
        ++seen;
        int slot = (int)(done - ovs);
        int block_number = count - 1 - slot;
        if (key == 7 && bytes == 4096 && block_number >= 0 && block_number < 16 && done->Internal == 0 &&
            done->InternalHigh == 4096 && buffers[block_number][0] == 'a' + block_number &&
            buffers[block_number][4095] == 'a' + block_number)
            ++right;
    }
    CHECK_EQ(seen, 16);
    CHECK_EQ(right, 16);

    TEST("unlocked when the file is closed");
    CHECK(CloseHandle(file));
#ifndef __MINGW32__
    CHECK_EQ(locked_kib(), before);
#endif
    CHECK(CloseHandle(port));
    CHECK(CloseHandle(event));
    CHECK(VirtualFree(ovs, 0, MEM_RELEASE));
    CHECK(DeleteFileA(path));
}

int main(void)
{
    char path[MAX_PATH], temp[MAX_PATH];
    GetTempPathA(MAX_PATH, temp);
    wsprintfA(path, "%sovrange-%lu.bin", temp, (unsigned long)GetCurrentProcessId());
    WINE_DEVIATION("SetFileIoOverlappedRange is an unimplemented stub in Wine 8: a call ends the process") {
        test_range(path);
    }
    return tl_finish();
}
