/* test_system_info.c: GetComputerNameA/W, GetComputerNameExA/W, GlobalMemoryStatusEx,
 * QueryFullProcessImageNameA/W, GetActiveProcessorCount and the processor group counts,
 * GetCurrentProcessorNumberEx, GetPhysicallyInstalledSystemMemory, IsProcessorFeaturePresent,
 * GetSystemTimes.
 *
 * Facts: Microsoft Learn (GetComputerName: the NetBIOS name, at most
 * MAX_COMPUTERNAME_LENGTH characters; a buffer too small fails with
 * ERROR_BUFFER_OVERFLOW and the size needed, with the terminator; on success the size
 * without it. GetComputerNameEx: ERROR_MORE_DATA and the size needed for a buffer too
 * small. GlobalMemoryStatusEx: dwLength must be set; dwMemoryLoad 0-100; ullTotalVirtual
 * the user address space from GetSystemInfo's lpMinimumApplicationAddress to its
 * lpMaximumApplicationAddress, 0x7FFFFFFE0000 bytes on 64-bit Windows (Wine's kernelbase
 * reports it the same way).
 * QueryFullProcessImageName: the full path of the process's image, its length without the
 * terminator; a buffer too small fails with ERROR_INSUFFICIENT_BUFFER. Processor groups:
 * at most 64 logical processors each; ALL_PROCESSOR_GROUPS counts them all; the function
 * fails (returns 0) for a group that does not exist. GetSystemTimes: KernelTime includes
 * the idle time; Wine's kernel32 time test calls it with three NULL pointers.
 * GetPhysicallyInstalledSystemMemory: Wine's kernel32 heap test (passing on Windows): NULL
 * is ERROR_INVALID_PARAMETER, the amount at least ullTotalPhys / 1024.
 * IsProcessorFeaturePresent: Microsoft Learn's PF_* list; the x86-64 baseline (MMX, SSE,
 * SSE2, CMPXCHG8B, RDTSC) is always there; AVX needs the system's support as well). */
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

    TEST("GetComputerNameExA: the NetBIOS name is GetComputerName's; a buffer too small");
    char ex[256];
    size = sizeof ex;
    CHECK(GetComputerNameExA(ComputerNameNetBIOS, ex, &size));
    CHECK_EQ(size, length);
    CHECK(strcmp(ex, name) == 0);
    size = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetComputerNameExA(ComputerNameNetBIOS, NULL, &size));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(size, length + 1);
    size = length;
    SetLastError(0xdeadbeef);
    CHECK(!GetComputerNameExA(ComputerNameNetBIOS, ex, &size));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(size, length + 1);

    TEST("GetComputerNameExA/W: the DNS names, the host name the first label of the full one");
    char host[256], full[256], domain[256];
    DWORD host_size = sizeof host, full_size = sizeof full, domain_size = sizeof domain;
    CHECK(GetComputerNameExA(ComputerNameDnsHostname, host, &host_size));
    CHECK(host_size > 0 && host_size == strlen(host));
    CHECK(strchr(host, '.') == NULL);
    CHECK(GetComputerNameExA(ComputerNameDnsFullyQualified, full, &full_size));
    CHECK(GetComputerNameExA(ComputerNameDnsDomain, domain, &domain_size));
    CHECK(strncmp(full, host, host_size) == 0);
    CHECK(full[host_size] == 0 || (full[host_size] == '.' && strcmp(full + host_size + 1, domain) == 0));
    WCHAR wide_host[256];
    DWORD wide_size = 256;
    CHECK(GetComputerNameExW(ComputerNamePhysicalDnsHostname, wide_host, &wide_size));
    CHECK_EQ(wide_size, host_size);
    for (i = 0; i < host_size; i++) CHECK_EQ(wide_host[i], (WCHAR)host[i]);

    TEST("GetComputerNameExA: an unknown format is ERROR_INVALID_PARAMETER");
    size = sizeof ex;
    SetLastError(0xdeadbeef);
    CHECK(!GetComputerNameExA(ComputerNameMax, ex, &size));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static void test_memory_status(void)
{
    MEMORYSTATUSEX status;
    SYSTEM_INFO info;

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
    /* The total is GetSystemInfo's application addresses, first to last (0x7FFFFFFE0000 on
       64-bit Windows: 64 KiB to 0x7FFFFFFEFFFF). */
    GetSystemInfo(&info);
    CHECK(status.ullTotalVirtual ==
          (ULONG_PTR)info.lpMaximumApplicationAddress - (ULONG_PTR)info.lpMinimumApplicationAddress + 1);
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

static ULONGLONG filetime_value(const FILETIME *time)
{
    return ((ULONGLONG)time->dwHighDateTime << 32) | time->dwLowDateTime;
}

static void test_processors(void)
{
    SYSTEM_INFO info;
    DWORD active, groups;

    TEST("GetActiveProcessorCount and the processor groups");
    GetSystemInfo(&info);
    active = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    groups = GetActiveProcessorGroupCount();
    CHECK(active >= 1);
    CHECK_EQ(groups, (active + 63) / 64);
    CHECK(GetMaximumProcessorGroupCount() >= groups);
    CHECK(GetMaximumProcessorCount(ALL_PROCESSOR_GROUPS) >= active);
    CHECK(GetMaximumProcessorCount(0) >= GetActiveProcessorCount(0));
    if (active <= 64) {
        CHECK_EQ(active, info.dwNumberOfProcessors);  /* one group: the system's processors */
        CHECK_EQ(GetActiveProcessorCount(0), active);
    }
    CHECK_EQ(GetActiveProcessorCount((WORD)GetMaximumProcessorGroupCount()), 0); /* no such group */
}

static void test_processor_number(void)
{
    PROCESSOR_NUMBER number;
    int same = 0;

    TEST("GetCurrentProcessorNumberEx: the group of 64 and the number in it");
    for (int i = 0; i < 100 && !same; i++) { /* the thread may move between the two calls */
        memset(&number, 0x55, sizeof number);
        GetCurrentProcessorNumberEx(&number);
        same = (DWORD)number.Group * 64 + number.Number == GetCurrentProcessorNumber();
    }
    CHECK(same);
    CHECK(number.Number < 64);
    CHECK_EQ(number.Reserved, 0);
    CHECK(number.Group < GetActiveProcessorGroupCount());
}

static void test_installed_memory(void)
{
    MEMORYSTATUSEX status;
    ULONGLONG installed = 0;

    TEST("GetPhysicallyInstalledSystemMemory: at least the memory GlobalMemoryStatusEx counts");
    SetLastError(0xdeadbeef);
    CHECK(!GetPhysicallyInstalledSystemMemory(NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    status.dwLength = sizeof status;
    CHECK(GlobalMemoryStatusEx(&status));
    CHECK(GetPhysicallyInstalledSystemMemory(&installed));
    CHECK(installed >= status.ullTotalPhys / 1024);
}

static void test_processor_features(void)
{
    TEST("IsProcessorFeaturePresent");
#if defined(__x86_64__)
    /* Every 64-bit x86 processor has these. */
    CHECK(IsProcessorFeaturePresent(PF_COMPARE_EXCHANGE_DOUBLE));
    CHECK(IsProcessorFeaturePresent(PF_MMX_INSTRUCTIONS_AVAILABLE));
    CHECK(IsProcessorFeaturePresent(PF_XMMI_INSTRUCTIONS_AVAILABLE));
    CHECK(IsProcessorFeaturePresent(PF_XMMI64_INSTRUCTIONS_AVAILABLE));
    CHECK(IsProcessorFeaturePresent(PF_RDTSC_INSTRUCTION_AVAILABLE));
    /* The same answers as the compiler's own detection (which checks the system's support
       of the AVX registers too). */
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_SSE3_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("sse3"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_SSSE3_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("ssse3"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_SSE4_1_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("sse4.1"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_SSE4_2_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("sse4.2"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_AVX_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("avx"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_AVX2_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("avx2"));
    CHECK_EQ(!!IsProcessorFeaturePresent(PF_AVX512F_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("avx512f"));
    /* Another architecture's features. */
    CHECK(!IsProcessorFeaturePresent(PF_ARM_NEON_INSTRUCTIONS_AVAILABLE));
    CHECK(!IsProcessorFeaturePresent(PF_ARM_V8_INSTRUCTIONS_AVAILABLE));
#endif
    CHECK(!IsProcessorFeaturePresent(PF_FLOATING_POINT_EMULATED));
    CHECK(!IsProcessorFeaturePresent(1000)); /* no such feature */
}

static void test_system_times(void)
{
    FILETIME idle, kernel, user, idle2, kernel2, user2;
    ULONGLONG start;
    volatile unsigned spin = 0;

    TEST("GetSystemTimes: idle time is part of kernel time; the times grow");
    CHECK(GetSystemTimes(NULL, NULL, NULL));
    memset(&idle, 0x11, sizeof idle);
    memset(&kernel, 0x11, sizeof kernel);
    memset(&user, 0x11, sizeof user);
    CHECK(GetSystemTimes(&idle, &kernel, &user));
    CHECK(filetime_value(&kernel) >= filetime_value(&idle));
    CHECK(filetime_value(&user) > 0);
    /* Keep a processor busy for 300 ms of wall time: user time goes up. */
    start = GetTickCount64();
    while (GetTickCount64() - start < 300) spin++;
    CHECK(GetSystemTimes(&idle2, &kernel2, NULL));
    CHECK(GetSystemTimes(NULL, NULL, &user2));
    CHECK(filetime_value(&idle2) >= filetime_value(&idle));
    CHECK(filetime_value(&kernel2) >= filetime_value(&kernel));
    CHECK(filetime_value(&user2) > filetime_value(&user));
}

int main(void)
{
    test_computer_name();
    test_memory_status();
    test_image_name();
    test_processors();
    test_processor_number();
    test_installed_memory();
    test_processor_features();
    test_system_times();
    return tl_finish();
}
