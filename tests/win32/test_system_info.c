/* test_system_info.c: GetComputerNameA/W, GlobalMemoryStatusEx,
 * QueryFullProcessImageNameA/W.
 *
 * Facts: Microsoft Learn (GetComputerName: the NetBIOS name, at most
 * MAX_COMPUTERNAME_LENGTH characters; a buffer too small fails with
 * ERROR_BUFFER_OVERFLOW and the size needed, with the terminator; on success the size
 * without it. GlobalMemoryStatusEx: dwLength must be set; dwMemoryLoad 0-100.
 * QueryFullProcessImageName: the full path of the process's image, its length without the
 * terminator; a buffer too small fails with ERROR_INSUFFICIENT_BUFFER). */
#include "testlib.h"

static void test_computer_name(void)
{
    char name[MAX_COMPUTERNAME_LENGTH + 1];
    WCHAR wide[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD size = sizeof name, length, i;

    TEST("GetComputerNameA/W: the name, its length, a buffer too small");
    CHECK(GetComputerNameA(name, &size));
    length = size;
    CHECK(length > 0 && length <= MAX_COMPUTERNAME_LENGTH);
    CHECK_EQ(strlen(name), length);
    for (i = 0; i < length; i++) CHECK(!(name[i] >= 'a' && name[i] <= 'z')); /* upper case */
    size = length; /* no room for the terminator */
    SetLastError(0xdeadbeef);
    CHECK(!GetComputerNameA(name, &size));
    CHECK_ERROR(ERROR_BUFFER_OVERFLOW);
    CHECK_EQ(size, length + 1);
    size = sizeof wide / sizeof wide[0];
    CHECK(GetComputerNameW(wide, &size));
    CHECK_EQ(size, length);
    for (i = 0; i < length; i++) CHECK_EQ(wide[i], (WCHAR)name[i]);
}

static void test_memory_status(void)
{
    MEMORYSTATUSEX status;

    TEST("GlobalMemoryStatusEx");
    memset(&status, 0, sizeof status);
    SetLastError(0xdeadbeef);
    CHECK(!GlobalMemoryStatusEx(&status)); /* dwLength not set */
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    status.dwLength = sizeof status;
    CHECK(GlobalMemoryStatusEx(&status));
    CHECK(status.dwMemoryLoad <= 100);
    CHECK(status.ullTotalPhys >= 64ull * 1024 * 1024);
    CHECK(status.ullAvailPhys <= status.ullTotalPhys);
    CHECK(status.ullTotalPageFile >= status.ullTotalPhys);
    CHECK(status.ullAvailPageFile <= status.ullTotalPageFile);
    CHECK(status.ullTotalVirtual >= 0x7ff00000000ull); /* 8 TB or more on 64-bit Windows */
    CHECK(status.ullAvailVirtual <= status.ullTotalVirtual);
}

static void test_image_name(void)
{
    char module[MAX_PATH], name[MAX_PATH];
    WCHAR wide[MAX_PATH];
    DWORD size = sizeof name, length;

    TEST("QueryFullProcessImageNameA/W: this process's program, a buffer too small");
    CHECK(GetModuleFileNameA(NULL, module, sizeof module) > 0);
    CHECK(QueryFullProcessImageNameA(GetCurrentProcess(), 0, name, &size));
    CHECK_EQ(size, strlen(name));
    CHECK(strcmp(name, module) == 0);
    length = size;
    size = length; /* no room for the terminator */
    SetLastError(0xdeadbeef);
    CHECK(!QueryFullProcessImageNameA(GetCurrentProcess(), 0, name, &size));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    size = MAX_PATH;
    CHECK(QueryFullProcessImageNameW(GetCurrentProcess(), 0, wide, &size));
    CHECK_EQ(size, length);
    SetLastError(0xdeadbeef);
    size = MAX_PATH;
    CHECK(!QueryFullProcessImageNameA((HANDLE)(ULONG_PTR)0x7ffc, 0, name, &size));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

int main(void)
{
    test_computer_name();
    test_memory_status();
    test_image_name();
    return tl_finish();
}
