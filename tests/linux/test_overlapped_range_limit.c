/* test_overlapped_range_limit.c: SetFileIoOverlappedRange without the right to lock
 * memory. Windows asks for SeLockMemoryPrivilege and fails with ERROR_PRIVILEGE_NOT_HELD
 * without it; the library's counterpart is Linux's right to lock memory: CAP_IPC_LOCK, or
 * room under RLIMIT_MEMLOCK. This program gives up CAP_IPC_LOCK (root has it) and lowers
 * its limit, then asks. A range with unmapped pages in it is ERROR_NOACCESS. Linux-side:
 * it changes the process's capabilities and limits. */
#define _GNU_SOURCE
#include "testlib.h"

#include <linux/capability.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_ipc_lock(void)
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) return -1;
    data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
    return (int)syscall(SYS_capset, &header, data);
}

static int set_soft_limit(rlim_t bytes)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0) return -1;
    if (limit.rlim_max != RLIM_INFINITY && bytes > limit.rlim_max) return -1;
    limit.rlim_cur = bytes;
    return setrlimit(RLIMIT_MEMLOCK, &limit);
}

int main(void)
{
    char path[MAX_PATH], temp[MAX_PATH];
    GetTempPathA(MAX_PATH, temp);
    wsprintfA(path, "%sovrange-limit-%lu.bin", temp, (unsigned long)GetCurrentProcessId());
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *small = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *large = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(small != MAP_FAILED && large != MAP_FAILED);

    CHECK_EQ(drop_ipc_lock(), 0);

    TEST("no right to lock memory at all: ERROR_PRIVILEGE_NOT_HELD");
    CHECK_EQ(set_soft_limit(0), 0);
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(file, small, (ULONG)page));
    CHECK_ERROR(ERROR_PRIVILEGE_NOT_HELD);

    TEST("a range within the limit is locked");
    CHECK_EQ(set_soft_limit(64 * 1024), 0);
    CHECK(SetFileIoOverlappedRange(file, small, (ULONG)page));

    TEST("a range over the limit: ERROR_PRIVILEGE_NOT_HELD");
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(file, large, 1 << 20));
    CHECK_ERROR(ERROR_PRIVILEGE_NOT_HELD);

    TEST("a range with a page that is not mapped: ERROR_NOACCESS");
    CHECK_EQ(munmap(large + page, (size_t)page), 0);
    SetLastError(0xdeadbeef);
    CHECK(!SetFileIoOverlappedRange(file, large, (ULONG)(2 * page)));
    CHECK_ERROR(ERROR_NOACCESS);

    TEST("the locked page is unlocked when the file closes: the room is there again");
    CHECK(CloseHandle(file));
    CHECK_EQ(set_soft_limit((rlim_t)page), 0);
    /* One page: fits only if the first was unlocked. The system calls themselves:
     * AddressSanitizer's mlock and munlock do nothing. */
    CHECK_EQ(syscall(SYS_mlock, large, (size_t)page), 0);
    syscall(SYS_munlock, large, (size_t)page);
    munmap(small, (size_t)page);
    munmap(large, (size_t)page);
    munmap(large + 2 * page, (size_t)((1 << 20) - 2 * page));
    return tl_finish();
}
