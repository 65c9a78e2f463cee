/* test_system_info.c: GetComputerNameA/W, GetComputerNameExA/W, GlobalMemoryStatus(Ex),
 * QueryFullProcessImageNameA/W, GetActiveProcessorCount and the processor group counts,
 * GetCurrentProcessorNumberEx, GetPhysicallyInstalledSystemMemory, IsProcessorFeaturePresent,
 * GetSystemTimes, GetLogicalProcessorInformation(Ex) and the NUMA queries.
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
 * SSE2, CMPXCHG8B, RDTSC) is always there; AVX needs the system's support as well).
 * GetLogicalProcessorInformationEx: Wine's kernel32 process test and ntdll info test
 * (test_query_logicalprocex), passing on Windows: a NULL length is ERROR_INVALID_PARAMETER;
 * a NULL buffer with length 0 fails with ERROR_INSUFFICIENT_BUFFER and the length needed;
 * every record has a Size; each relationship's records are RelationAll's records of it.
 * Wine's ntdll info test (test_query_logicalproc): the cores' masks count the processors.
 * Microsoft Learn (winnt.h) for the layouts and LTP_PC_SMT ("the core has more than one
 * logical processor"); GetNumaProcessorNode: Wine's kernel32 process test (passing on
 * Windows): a processor past dwNumberOfProcessors fails with ERROR_INVALID_PARAMETER,
 * the node set to 0xFF. GetNumaProcessorNodeEx: Microsoft Learn, "If the processor does
 * not exist, this parameter is 0xffff"; GetNumaNodeProcessorMaskEx: the node may be in any
 * group.
 * GetProcessMemoryInfo: Wine's psapi test, test_GetProcessMemoryInfo (passing on Windows):
 * NULL ERROR_INVALID_HANDLE, a handle without a query right ERROR_ACCESS_DENIED, a
 * structure too small ERROR_INSUFFICIENT_BUFFER; Microsoft Learn, PROCESS_MEMORY_COUNTERS:
 * the working set and the private bytes ("Commit Charge") of the process.
 * IsWow64Process: Microsoft Learn, FALSE for a 64-bit process on 64-bit Windows (and a
 * handle needs PROCESS_QUERY_INFORMATION or PROCESS_QUERY_LIMITED_INFORMATION);
 * IsWow64Process2: IMAGE_FILE_MACHINE_UNKNOWN for a process not under WOW64, the native
 * machine optional. */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00 /* IsWow64Process2 in mingw-w64's headers */
#endif
#include "testlib.h"
#include <psapi.h>
#include <stddef.h>

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

    TEST("GlobalMemoryStatus: sets dwLength itself; GlobalMemoryStatusEx's totals");
    {
        MEMORYSTATUS old;
        memset(&old, 0xcc, sizeof old);
        old.dwLength = 0; /* the caller need not set it */
        SetLastError(0xdeadbeef);
        GlobalMemoryStatus(&old);
        CHECK_ERROR(0xdeadbeef);
        CHECK_EQ(old.dwLength, sizeof old);
        CHECK(old.dwMemoryLoad <= 100);
        CHECK_EQ((ULONGLONG)old.dwTotalPhys, status.ullTotalPhys);
        CHECK(old.dwAvailPhys <= old.dwTotalPhys);
        CHECK(old.dwTotalPageFile >= old.dwTotalPhys);
        CHECK(old.dwAvailPageFile <= old.dwTotalPageFile);
        CHECK_EQ((ULONGLONG)old.dwTotalVirtual, status.ullTotalVirtual);
        CHECK(old.dwAvailVirtual <= old.dwTotalVirtual);
    }
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
    WINE_DEVIATION("Wine 8.0 never reports PF_AVX512F_INSTRUCTIONS_AVAILABLE (later versions read it from CPUID)")
    {
        CHECK_EQ(!!IsProcessorFeaturePresent(PF_AVX512F_INSTRUCTIONS_AVAILABLE), !!__builtin_cpu_supports("avx512f"));
    }
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

/* The layouts of 64-bit Windows: the same source checks mingw-w64's headers under Wine. */
typedef char check_group_affinity[sizeof(GROUP_AFFINITY) == 16 ? 1 : -1];
typedef char check_slpi[sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION) == 32 ? 1 : -1];
typedef char check_slpi_ex[sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX) == 80 ? 1 : -1];
typedef char check_slpi_ex_union[offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Processor) == 8 ? 1 : -1];
typedef char check_processor[sizeof(PROCESSOR_RELATIONSHIP) == 40 && offsetof(PROCESSOR_RELATIONSHIP, GroupCount) == 22 &&
                                     offsetof(PROCESSOR_RELATIONSHIP, GroupMask) == 24 ? 1 : -1];
typedef char check_numa[sizeof(NUMA_NODE_RELATIONSHIP) == 40 && offsetof(NUMA_NODE_RELATIONSHIP, GroupMask) == 24 ? 1 : -1];
typedef char check_cache[sizeof(CACHE_RELATIONSHIP) == 48 && offsetof(CACHE_RELATIONSHIP, CacheSize) == 4 &&
                                 offsetof(CACHE_RELATIONSHIP, Type) == 8 && offsetof(CACHE_RELATIONSHIP, GroupMask) == 32 ? 1 : -1];
typedef char check_group_info[sizeof(PROCESSOR_GROUP_INFO) == 48 && offsetof(PROCESSOR_GROUP_INFO, ActiveProcessorMask) == 40 ? 1 : -1];
typedef char check_group[sizeof(GROUP_RELATIONSHIP) == 72 && offsetof(GROUP_RELATIONSHIP, GroupInfo) == 24 ? 1 : -1];
typedef char check_cache_descriptor[sizeof(CACHE_DESCRIPTOR) == 12 ? 1 : -1];

static DWORD bits(ULONGLONG mask)
{
    DWORD count = 0;
    for (; mask != 0; mask &= mask - 1) count++;
    return count;
}

/* The records of one relationship (RelationAll: all), in a buffer the caller frees. */
static SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *processor_records(LOGICAL_PROCESSOR_RELATIONSHIP relationship, DWORD *length)
{
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *records;
    *length = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetLogicalProcessorInformationEx(relationship, NULL, length));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK(*length > 0);
    records = (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)calloc(1, *length ? *length : 1);
    CHECK(GetLogicalProcessorInformationEx(relationship, records, length));
    return records;
}

#define NEXT_RECORD(record) ((SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)((char *)(record) + (record)->Size))

static void test_logical_processors_ex(void)
{
    static const LOGICAL_PROCESSOR_RELATIONSHIP kinds[] = {RelationProcessorCore, RelationNumaNode, RelationCache,
                                                           RelationProcessorPackage, RelationGroup};
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *all, *records, *record;
    DWORD all_length, length, in_all[5] = {0}, i, short_length, processors = 0, cores = 0;
    ULONGLONG seen = 0, packages = 0;
    DWORD active = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    char *end;

    TEST("GetLogicalProcessorInformationEx: the buffer rules and each relationship's records");
    SetLastError(0xdeadbeef);
    CHECK(!GetLogicalProcessorInformationEx(RelationAll, NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    all = processor_records(RelationAll, &all_length);
    end = (char *)all + all_length;
    for (record = all; (char *)record < end; record = NEXT_RECORD(record)) {
        CHECK(record->Size >= 8);
        if (record->Size < 8) break;
        for (i = 0; i < 5; i++)
            if (record->Relationship == kinds[i]) in_all[i] += record->Size;
    }
    CHECK((char *)record == end);
    for (i = 0; i < 5; i++) {
        records = processor_records(kinds[i], &length);
        CHECK_EQ(length, in_all[i]);
        end = (char *)records + length;
        for (record = records; (char *)record < end && record->Size >= 8; record = NEXT_RECORD(record))
            CHECK_EQ(record->Relationship, kinds[i]);
        free(records);
    }

    /* One byte short: the length needed again; the exact length: success, the length kept. */
    short_length = all_length - 1;
    records = (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)calloc(1, all_length);
    SetLastError(0xdeadbeef);
    CHECK(!GetLogicalProcessorInformationEx(RelationAll, records, &short_length));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(short_length, all_length);
    CHECK(GetLogicalProcessorInformationEx(RelationAll, records, &short_length));
    CHECK_EQ(short_length, all_length);
    CHECK(memcmp(records, all, all_length) == 0);
    free(records);

    TEST("GetLogicalProcessorInformationEx: cores, caches, packages and groups describe the processors");
    end = (char *)all + all_length;
    for (record = all; (char *)record < end && record->Size >= 8; record = NEXT_RECORD(record)) {
        switch (record->Relationship) {
        case RelationProcessorCore:
            /* A record per core: its group mask(s), SMT when it has more than one. */
            CHECK(record->Processor.GroupCount >= 1);
            CHECK_EQ(record->Size, 32 + 16 * record->Processor.GroupCount);
            CHECK(record->Processor.GroupMask[0].Mask != 0);
            CHECK_EQ(!!(record->Processor.Flags & LTP_PC_SMT), bits(record->Processor.GroupMask[0].Mask) > 1);
            if (record->Processor.GroupMask[0].Group == 0) {
                CHECK((seen & record->Processor.GroupMask[0].Mask) == 0); /* no processor in two cores */
                seen |= record->Processor.GroupMask[0].Mask;
            }
            for (i = 0; i < record->Processor.GroupCount; i++) processors += bits(record->Processor.GroupMask[i].Mask);
            cores++;
            break;
        case RelationCache:
            CHECK(record->Size >= 56 && (record->Size - 40) % 16 == 0); /* 16 bytes a group */
            CHECK(record->Cache.Level >= 1 && record->Cache.Level <= 4);
            CHECK(record->Cache.LineSize > 0);
            CHECK(record->Cache.CacheSize > 0);
            CHECK(record->Cache.Type <= CacheTrace);
            CHECK(record->Cache.GroupMask.Mask != 0);
            break;
        case RelationProcessorPackage:
            CHECK_EQ(record->Size, 32 + 16 * record->Processor.GroupCount);
            if (record->Processor.GroupMask[0].Group == 0) packages |= record->Processor.GroupMask[0].Mask;
            break;
        case RelationNumaNode:
            CHECK(record->Size >= 48 && (record->Size - 32) % 16 == 0);
            CHECK(record->NumaNode.GroupMask.Mask != 0);
            break;
        case RelationGroup:
            CHECK_EQ(record->Size, 24 + 8 + 48 * record->Group.ActiveGroupCount);
            CHECK_EQ(record->Group.ActiveGroupCount, GetActiveProcessorGroupCount());
            CHECK(record->Group.MaximumGroupCount >= record->Group.ActiveGroupCount);
            CHECK_EQ(record->Group.GroupInfo[0].ActiveProcessorCount, GetActiveProcessorCount(0));
            CHECK_EQ(bits(record->Group.GroupInfo[0].ActiveProcessorMask), GetActiveProcessorCount(0));
            CHECK(record->Group.GroupInfo[0].MaximumProcessorCount >= record->Group.GroupInfo[0].ActiveProcessorCount);
            break;
        default:
            break;
        }
    }
    CHECK_EQ(processors, active);
    CHECK(cores >= 1 && cores <= active);
    if (active <= 64) {
        CHECK_EQ(seen, active == 64 ? ~0ull : (1ull << active) - 1);
        CHECK_EQ(packages, seen);
    }
    free(all);
}

static void test_logical_processors(void)
{
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION *entries;
    SYSTEM_INFO info;
    DWORD length = 0, i, processors = 0;

    TEST("GetLogicalProcessorInformation: the processors of the group, one record each");
    SetLastError(0xdeadbeef);
    CHECK(!GetLogicalProcessorInformation(NULL, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!GetLogicalProcessorInformation(NULL, &length));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK(length > 0);
    CHECK_EQ(length % sizeof *entries, 0);
    entries = (SYSTEM_LOGICAL_PROCESSOR_INFORMATION *)calloc(1, length);
    CHECK(GetLogicalProcessorInformation(entries, &length));
    GetSystemInfo(&info);
    for (i = 0; i < length / sizeof *entries; i++) {
        CHECK(entries[i].ProcessorMask != 0);
        CHECK((entries[i].ProcessorMask & ~(ULONG_PTR)info.dwActiveProcessorMask) == 0);
        if (entries[i].Relationship == RelationProcessorCore) {
            processors += bits(entries[i].ProcessorMask);
            CHECK_EQ(!!(entries[i].ProcessorCore.Flags & LTP_PC_SMT), bits(entries[i].ProcessorMask) > 1);
        } else if (entries[i].Relationship == RelationCache) {
            CHECK(entries[i].Cache.Level >= 1 && entries[i].Cache.Level <= 4);
            CHECK(entries[i].Cache.Size > 0);
        }
        CHECK(entries[i].Relationship != RelationGroup);
    }
    if (info.dwNumberOfProcessors <= 64) CHECK_EQ(processors, info.dwNumberOfProcessors);
    free(entries);
}

static void test_numa(void)
{
    SYSTEM_INFO info;
    ULONG highest = 0xdeadbeef;
    ULONGLONG mask, all = 0;
    GROUP_AFFINITY affinity;
    PROCESSOR_NUMBER number;
    UCHAR node;
    USHORT node_ex;
    DWORD i;

    TEST("GetNumaProcessorNode and the NUMA node masks");
    GetSystemInfo(&info);
    CHECK(GetNumaHighestNodeNumber(&highest));
    CHECK(highest < 64);
    for (i = 0; i < info.dwNumberOfProcessors && i < 64; i++) {
        node = 0xFF;
        CHECK(GetNumaProcessorNode((UCHAR)i, &node));
        CHECK(node <= highest);
    }
    if (info.dwNumberOfProcessors < 64) {
        node = 0xAA;
        SetLastError(0xdeadbeef);
        CHECK(!GetNumaProcessorNode((UCHAR)info.dwNumberOfProcessors, &node));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(node, 0xFF);
    }
    WINE_DEVIATION("Wine 8.0 has no GetNumaNodeProcessorMask(Ex) or GetNumaProcessorNodeEx (ERROR_CALL_NOT_IMPLEMENTED)")
    {
        for (i = 0; i <= highest; i++) {
            CHECK(GetNumaNodeProcessorMask((UCHAR)i, &mask));
            CHECK((all & mask) == 0); /* each processor in one node */
            all |= mask;
            memset(&affinity, 0x55, sizeof affinity);
            CHECK(GetNumaNodeProcessorMaskEx((USHORT)i, &affinity));
            CHECK_EQ(affinity.Mask, mask);
        }
        CHECK_EQ(all, (ULONGLONG)info.dwActiveProcessorMask);
        mask = 7;
        SetLastError(0xdeadbeef);
        CHECK(!GetNumaNodeProcessorMask((UCHAR)(highest + 1), &mask));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        memset(&number, 0, sizeof number);
        number.Number = 0;
        CHECK(GetNumaProcessorNodeEx(&number, &node_ex));
        CHECK(GetNumaProcessorNode(0, &node));
        CHECK_EQ(node_ex, node);
        number.Group = GetMaximumProcessorGroupCount(); /* no such group */
        node_ex = 0x55;
        SetLastError(0xdeadbeef);
        CHECK(!GetNumaProcessorNodeEx(&number, &node_ex));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(node_ex, 0xFFFF);
    }
}

static void test_wow64(void)
{
    BOOL wow64 = 0x55;
    USHORT process_machine = 0x5555, native_machine = 0x5555;
    SYSTEM_INFO native;
    HANDLE limited;

    TEST("IsWow64Process, IsWow64Process2: this 64-bit process is no WOW64 one");
    GetNativeSystemInfo(&native);
    CHECK(IsWow64Process(GetCurrentProcess(), &wow64));
    CHECK_EQ(wow64, FALSE);
    CHECK(IsWow64Process2(GetCurrentProcess(), &process_machine, &native_machine));
    CHECK_EQ(process_machine, IMAGE_FILE_MACHINE_UNKNOWN);
    if (native.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64) CHECK_EQ(native_machine, IMAGE_FILE_MACHINE_AMD64);
    process_machine = 0x5555;
    CHECK(IsWow64Process2(GetCurrentProcess(), &process_machine, NULL)); /* the native machine is optional */
    CHECK_EQ(process_machine, IMAGE_FILE_MACHINE_UNKNOWN);

    TEST("IsWow64Process: a handle that may query; other handles fail");
    limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    CHECK(limited != NULL);
    wow64 = 0x55;
    CHECK(IsWow64Process(limited, &wow64));
    CHECK_EQ(wow64, FALSE);
    CloseHandle(limited);
    limited = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
    CHECK(limited != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!IsWow64Process(limited, &wow64));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(limited);
    SetLastError(0xdeadbeef);
    CHECK(!IsWow64Process(NULL, &wow64));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

static void test_process_memory(void)
{
    PROCESS_MEMORY_COUNTERS before, after;
    PROCESS_MEMORY_COUNTERS_EX extended;
    HANDLE limited;
    unsigned char *memory;
    const SIZE_T size = 32 * 1024 * 1024;

    TEST("GetProcessMemoryInfo: this process's working set and private bytes grow with memory it uses");
    memset(&before, 0x55, sizeof before);
    CHECK(GetProcessMemoryInfo(GetCurrentProcess(), &before, sizeof before));
    CHECK_EQ(before.cb, sizeof before);
    CHECK(before.WorkingSetSize > 0);
    CHECK(before.PeakWorkingSetSize >= before.WorkingSetSize);
    CHECK(before.PagefileUsage > 0);
    CHECK(before.PeakPagefileUsage >= before.PagefileUsage);
    WINE_DEVIATION("Wine 8.0's GetProcessMemoryInfo counts no page faults")
    {
        CHECK(before.PageFaultCount > 0);
    }
    memory = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(memory != NULL);
    if (memory != NULL) {
        SIZE_T i;
        for (i = 0; i < size; i += 4096) memory[i] = 1;
        CHECK(GetProcessMemoryInfo(GetCurrentProcess(), &after, sizeof after));
        CHECK(after.PagefileUsage >= before.PagefileUsage + size / 2);
        CHECK(after.WorkingSetSize >= before.WorkingSetSize + size / 2);
        CHECK(after.PeakWorkingSetSize >= after.WorkingSetSize);
        CHECK(after.PeakPagefileUsage >= after.PagefileUsage);
        WINE_DEVIATION("Wine 8.0's GetProcessMemoryInfo counts no page faults")
        {
            CHECK(after.PageFaultCount >= before.PageFaultCount + (DWORD)(size / 4096 / 2));
        }
        CHECK(VirtualFree(memory, 0, MEM_RELEASE));
    }

    TEST("GetProcessMemoryInfo: PROCESS_MEMORY_COUNTERS_EX; a handle that may query; the errors");
    memset(&extended, 0, sizeof extended);
    CHECK(GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&extended, sizeof extended));
    WINE_DEVIATION("Wine 8.0's GetProcessMemoryInfo fills PROCESS_MEMORY_COUNTERS only")
    {
        CHECK_EQ(extended.cb, sizeof extended);
        CHECK(extended.PrivateUsage > 0);
    }
    limited = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentProcessId());
    CHECK(limited != NULL);
    CHECK(GetProcessMemoryInfo(limited, &after, sizeof after));
    SetLastError(0xdeadbeef);
    CHECK(!GetProcessMemoryInfo(limited, &after, sizeof after - 1));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CloseHandle(limited);
    limited = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
    CHECK(limited != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!GetProcessMemoryInfo(limited, &after, sizeof after));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(limited);
    SetLastError(0xdeadbeef);
    CHECK(!GetProcessMemoryInfo(NULL, &after, sizeof after));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
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
    test_logical_processors_ex();
    test_logical_processors();
    test_numa();
    test_wow64();
    test_process_memory();
    return tl_finish();
}
