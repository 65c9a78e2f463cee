/* test_virtual_memory.c: VirtualAlloc, VirtualFree, VirtualProtect, VirtualQuery (facts:
 * Wine's kernel32 virtual test, test_VirtualAlloc, which passes on Windows). Reserving address space and
 * committing parts of it later (the pattern of growable buffers and arenas), the
 * protection asked for (execute included), decommitting (the pages come back zeroed),
 * releasing, and the errors for bad protections, types and addresses. */
#include "testlib.h"

#define KIB 1024
#define MIB (1024 * 1024)
#ifndef AT_ROUND_TO_PAGE
#define AT_ROUND_TO_PAGE 0x40000000 /* winnt.h of the Windows SDK; not in mingw-w64 */
#endif

static int all_bytes(const unsigned char *memory, SIZE_T size, unsigned char value)
{
    for (SIZE_T i = 0; i < size; ++i)
        if (memory[i] != value) return 0;
    return 1;
}

/* VirtualAlloc refuses each of `protections` with ERROR_INVALID_PARAMETER. */
static void refused_protections(const DWORD *protections, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        SetLastError(0xdeadbeef);
        void *memory = VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, protections[i]);
        CHECK(memory == NULL);
        if (memory != NULL) VirtualFree(memory, 0, MEM_RELEASE);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
}

static void reserve_then_commit(void)
{
    TEST("reserve a region, commit a part of it later, decommit, commit again");
    unsigned char *region = VirtualAlloc(NULL, MIB, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(region != NULL);
    if (region == NULL) return;
    CHECK(((ULONG_PTR)region & (64 * KIB - 1)) == 0);
    /* Committing inside the reservation gives the page-aligned address asked for. */
    unsigned char *part = VirtualAlloc(region + 64 * KIB, 8 * KIB, MEM_COMMIT, PAGE_READWRITE);
    CHECK(part == region + 64 * KIB);
    if (part != NULL) {
        CHECK(all_bytes(part, 8 * KIB, 0));  /* committed memory starts as zeros */
        memset(part, 0x5a, 8 * KIB);
        CHECK(all_bytes(part, 8 * KIB, 0x5a));
    }
    /* An address inside a page commits the whole page. */
    unsigned char *inside = VirtualAlloc(region + 128 * KIB + 100, 10, MEM_COMMIT, PAGE_READWRITE);
    CHECK(inside == region + 128 * KIB);
    if (inside != NULL) inside[4095] = 1;
    /* Committing pages already committed is no error. */
    CHECK(VirtualAlloc(region + 64 * KIB, 4 * KIB, MEM_COMMIT, PAGE_READWRITE) == region + 64 * KIB);
    if (part != NULL) CHECK(part[0] == 0x5a);
    /* Decommitted pages come back as zeros when committed again. */
    CHECK(VirtualFree(region + 64 * KIB, 8 * KIB, MEM_DECOMMIT));
    part = VirtualAlloc(region + 64 * KIB, 8 * KIB, MEM_COMMIT, PAGE_READWRITE);
    CHECK(part == region + 64 * KIB);
    if (part != NULL) CHECK(all_bytes(part, 8 * KIB, 0));
    /* MEM_RESET: the contents of committed pages are no longer wanted. */
    CHECK(VirtualAlloc(region + 64 * KIB, 8 * KIB, MEM_RESET, PAGE_NOACCESS) == region + 64 * KIB);
    /* A commit beyond the reservation's end fails and commits nothing. */
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(region + MIB - 4 * KIB, 8 * KIB, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    /* A decommit that starts in the region and runs past its end is refused
     * (STATUS_UNABLE_TO_FREE_VM: ReactOS's NtFreeVirtualMemory test, which passes on
     * Windows) and decommits nothing; a size past the address space likewise. */
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(region + MIB - 4 * KIB, 8 * KIB, MEM_DECOMMIT));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(region + 64 * KIB, (SIZE_T)-4096, MEM_DECOMMIT));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    if (part != NULL) CHECK(part[0] == 0);
    /* A commit whose size runs past the address space is a bad parameter, not a bad address. */
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(region + 64 * KIB, (SIZE_T)-4096, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    /* Decommitting all of it, from the base with size 0. */
    CHECK(VirtualFree(region, 0, MEM_DECOMMIT));
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(region, MIB, MEM_RELEASE));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(region + 64 * KIB, 0, MEM_RELEASE));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    CHECK(VirtualFree(region, 0, MEM_RELEASE));

    TEST("memory that is no longer allocated cannot be committed or decommitted");
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(region + 64 * KIB, 4 * KIB, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(region, 0, MEM_RELEASE));
    WINE_DEVIATION("Wine's VirtualFree of memory no longer allocated fails with ERROR_INVALID_PARAMETER")
    {
        CHECK_ERROR(ERROR_INVALID_ADDRESS);
    }
}

static void reserve_at_an_address(void)
{
    TEST("a region at a chosen address; that address again while it is taken");
    unsigned char *probe = VirtualAlloc(NULL, MIB, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(probe != NULL);
    if (probe == NULL) return;
    CHECK(VirtualFree(probe, 0, MEM_RELEASE));
    /* The address space just given back: asked for by address, with an offset inside
     * the first 64 KiB, which rounds down to the allocation granularity. */
    unsigned char *placed = VirtualAlloc(probe + 100, 64 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(placed == probe);
    if (placed == NULL) return;
    placed[0] = 7;
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(probe, 64 * KIB, MEM_RESERVE, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    CHECK(placed[0] == 7);
    CHECK(VirtualFree(placed, 0, MEM_RELEASE));
}

static void protections(void)
{
    TEST("page protections: read-only, execute");
    unsigned char *readonly = VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
    CHECK(readonly != NULL);
    if (readonly != NULL) {
        CHECK(readonly[0] == 0);
        CHECK(VirtualFree(readonly, 0, MEM_RELEASE));
    }
#if defined(__x86_64__)
    /* A page committed executable runs the code written into it (here a lone `ret`). */
    unsigned char *code = VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    CHECK(code != NULL);
    if (code != NULL) {
        code[0] = 0xc3;
        void (*function)(void);
        memcpy(&function, &code, sizeof function);
        function();
        CHECK(1);
        CHECK(VirtualFree(code, 0, MEM_RELEASE));
    }
    /* Reserved without access, committed executable and readable. */
    unsigned char *later = VirtualAlloc(NULL, 64 * KIB, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(later != NULL);
    if (later != NULL) {
        CHECK(VirtualAlloc(later, 4 * KIB, MEM_COMMIT, PAGE_READWRITE) == later);
        later[0] = 0xc3;
        CHECK(VirtualAlloc(later, 4 * KIB, MEM_COMMIT, PAGE_EXECUTE_READ) == later);
        void (*function)(void);
        memcpy(&function, &later, sizeof function);
        function();
        CHECK(later[0] == 0xc3);
        CHECK(VirtualFree(later, 0, MEM_RELEASE));
    }
#endif

    TEST("protections VirtualAlloc does not take");
    static const DWORD invalid[] = {0, PAGE_WRITECOPY, PAGE_EXECUTE_WRITECOPY, PAGE_READONLY | PAGE_READWRITE, 0x800};
    refused_protections(invalid, sizeof invalid / sizeof invalid[0]);
    OUR_DEVIATION("PAGE_GUARD is not built")
    {
        void *guarded = VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
        CHECK(guarded != NULL);
        if (guarded != NULL) VirtualFree(guarded, 0, MEM_RELEASE);
    }
    if (!tl_under_wine()) {
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD) == NULL);
        CHECK_ERROR(ERROR_CALL_NOT_IMPLEMENTED);
    }
}

static void caching_attributes(void)
{
    MEMORY_BASIC_INFORMATION info;
    DWORD old = 0;

    TEST("PAGE_NOCACHE: taken, and a page keeps its allocation's caching attribute");
    unsigned char *uncached = VirtualAlloc(NULL, 0x2000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE);
    CHECK(uncached != NULL);
    if (uncached != NULL) {
        uncached[0x1fff] = 7;  /* memory like any other */
        CHECK(uncached[0x1fff] == 7);
        CHECK_EQ(VirtualQuery(uncached, &info, sizeof info), sizeof info);
        CHECK_EQ(info.AllocationProtect, PAGE_READWRITE | PAGE_NOCACHE);
        CHECK_EQ(info.Protect, PAGE_READWRITE | PAGE_NOCACHE);
        CHECK_EQ(info.RegionSize, 0x2000);
        /* A new protection without the attribute keeps it. */
        CHECK(VirtualProtect(uncached, 0x1000, PAGE_READWRITE, &old));
        CHECK_EQ(old, PAGE_READWRITE | PAGE_NOCACHE);
        CHECK_EQ(VirtualQuery(uncached, &info, sizeof info), sizeof info);
        CHECK_EQ(info.Protect, PAGE_READWRITE | PAGE_NOCACHE);
        CHECK(VirtualProtect(uncached, 0x1000, PAGE_READONLY, &old));
        CHECK_EQ(old, PAGE_READWRITE | PAGE_NOCACHE);
        CHECK_EQ(VirtualQuery(uncached, &info, sizeof info), sizeof info);
        CHECK_EQ(info.Protect, PAGE_READONLY | PAGE_NOCACHE);
        CHECK_EQ(info.RegionSize, 0x1000);
        CHECK(VirtualFree(uncached, 0, MEM_RELEASE));
    }
    /* Asked for on a page of an ordinary allocation: the protection applies, not the attribute. */
    unsigned char *plain = VirtualAlloc(NULL, 0x2000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(plain != NULL);
    if (plain != NULL) {
        CHECK(VirtualProtect(plain, 0x1000, PAGE_READONLY | PAGE_NOCACHE, &old));
        CHECK_EQ(old, PAGE_READWRITE);
        CHECK_EQ(VirtualQuery(plain, &info, sizeof info), sizeof info);
        CHECK_EQ(info.Protect, PAGE_READONLY);
        CHECK_EQ(info.RegionSize, 0x1000);
        CHECK(VirtualFree(plain, 0, MEM_RELEASE));
    }
    WINE_DEVIATION("Wine's VirtualAlloc takes PAGE_NOCACHE with PAGE_NOACCESS, PAGE_GUARD or PAGE_WRITECOMBINE")
    {
        static const DWORD refused[] = {PAGE_NOACCESS | PAGE_NOCACHE, PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
                                        PAGE_READWRITE | PAGE_NOCACHE | PAGE_GUARD};
        refused_protections(refused, sizeof refused / sizeof refused[0]);
    }
}

static void bad_requests(void)
{
    TEST("allocation types and sizes VirtualAlloc refuses");
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(NULL, 0, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(NULL, 4 * KIB, 0, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT | 0x4, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    WINE_DEVIATION("Wine's VirtualAlloc takes MEM_RESET with MEM_COMMIT")
    {
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(NULL, 4 * KIB, MEM_RESET | MEM_COMMIT, PAGE_READWRITE) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(NULL, 0, MEM_RELEASE));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    void *memory = VirtualAlloc(NULL, 4 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(memory != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFree(memory, 0, MEM_RELEASE | MEM_DECOMMIT));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(VirtualFree(memory, 0, MEM_RELEASE));
}

static void protect_and_query(void)
{
    MEMORY_BASIC_INFORMATION info;
    DWORD old = 0;

    TEST("VirtualQuery and VirtualProtect on reserved and committed pages");
    unsigned char *region = VirtualAlloc(NULL, 0xFFFC, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(region != NULL);
    if (region == NULL) return;
    memset(&info, 0x71, sizeof info);
    CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
    CHECK(info.BaseAddress == region);
    CHECK(info.AllocationBase == region);
    CHECK_EQ(info.AllocationProtect, PAGE_NOACCESS);
    CHECK_EQ(info.RegionSize, 0x10000);
    CHECK_EQ(info.State, MEM_RESERVE);
    CHECK_EQ(info.Protect, 0);  /* nothing committed: no protection */
    CHECK_EQ(info.Type, MEM_PRIVATE);
    /* Pages not committed cannot be protected. */
    SetLastError(0xdeadbeef);
    CHECK(!VirtualProtect(region, 0xFFFC, PAGE_READONLY, &old));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    CHECK(VirtualAlloc(region, 0x1000, MEM_COMMIT, PAGE_NOACCESS) == region);
    CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
    CHECK_EQ(info.RegionSize, 0x1000);
    CHECK_EQ(info.State, MEM_COMMIT);
    CHECK_EQ(info.Protect, PAGE_NOACCESS);
    CHECK_EQ(info.AllocationProtect, PAGE_NOACCESS);
    /* Still not the whole range. */
    SetLastError(0xdeadbeef);
    CHECK(!VirtualProtect(region, 0xFFFC, PAGE_READONLY, &old));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    CHECK(VirtualProtect(region, 0x1000, PAGE_READONLY, &old));
    CHECK_EQ(old, PAGE_NOACCESS);
    CHECK(VirtualProtect(region, 0x1000, PAGE_READWRITE, &old));
    CHECK_EQ(old, PAGE_READONLY);
    CHECK_EQ(VirtualQuery(region + 100, &info, sizeof info), sizeof info);  /* inside the page */
    CHECK(info.BaseAddress == region);
    CHECK_EQ(info.RegionSize, 0x1000);
    CHECK_EQ(info.Protect, PAGE_READWRITE);
    memset(region, 0x55, 20);  /* writable now */
    CHECK(region[19] == 0x55);
    /* The rest of the reservation, from its first page. */
    CHECK_EQ(VirtualQuery(region + 0x1000, &info, sizeof info), sizeof info);
    CHECK(info.BaseAddress == region + 0x1000);
    CHECK(info.AllocationBase == region);
    CHECK_EQ(info.RegionSize, 0xF000);
    CHECK_EQ(info.State, MEM_RESERVE);
    CHECK_EQ(info.Protect, 0);

    TEST("VirtualProtect's arguments: protections it refuses, no place for the old one");
    SetLastError(0xdeadbeef);
    CHECK(!VirtualProtect(region, 0x1000, 0, &old));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualProtect(region, 0x1000, PAGE_READWRITE | PAGE_EXECUTE_WRITECOPY, &old));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualProtect(region, 0x1000, PAGE_READONLY, NULL));
    CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
    CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
    CHECK_EQ(info.Protect, PAGE_READWRITE);  /* unchanged */
    SetLastError(0xdeadbeef);
    CHECK_EQ(VirtualQuery(region, &info, sizeof info - 1), 0);
    CHECK_ERROR(ERROR_BAD_LENGTH);

    TEST("decommitted pages are reserved again; a released region is free");
    CHECK(VirtualFree(region, 0x10000, MEM_DECOMMIT));
    CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
    CHECK_EQ(info.State, MEM_RESERVE);
    CHECK_EQ(info.Protect, 0);
    CHECK(VirtualFree(region, 0, MEM_RELEASE));
    CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
    CHECK_EQ(info.State, MEM_FREE);
    CHECK_EQ(info.Protect, PAGE_NOACCESS);
    CHECK(info.AllocationBase == NULL);

    TEST("VirtualProtect of memory VirtualAlloc did not give: a global variable's page");
    {
        static unsigned char global_page[3 * 4096];
        unsigned char *page = (unsigned char *)(((ULONG_PTR)global_page + 4095) & ~(ULONG_PTR)4095);
        CHECK_EQ(VirtualQuery(page, &info, sizeof info), sizeof info);
        CHECK_EQ(info.State, MEM_COMMIT);
        CHECK(VirtualProtect(page, 1, PAGE_READONLY, &old));
        CHECK(old == PAGE_READWRITE || old == PAGE_WRITECOPY);
        CHECK_EQ(VirtualQuery(page, &info, sizeof info), sizeof info);
        CHECK_EQ(info.Protect, PAGE_READONLY);
        CHECK(VirtualProtect(page, 1, PAGE_READWRITE, &old));
        CHECK_EQ(old, PAGE_READONLY);
        page[0] = 1;
        CHECK(page[0] == 1);
    }
}

static void locks(void)
{
    TEST("VirtualLock and VirtualUnlock: committed pages only; unlocking needs every page locked");
    unsigned char *region = VirtualAlloc(NULL, 64 * KIB, MEM_RESERVE, PAGE_NOACCESS);
    CHECK(region != NULL);
    if (region == NULL) return;
    CHECK(VirtualAlloc(region, 8 * KIB, MEM_COMMIT, PAGE_READWRITE) == region);
    /* Reserved pages, and a range running into them, cannot be locked (Microsoft Learn,
     * VirtualLock: "All pages in the specified region must be committed"). */
    SetLastError(0xdeadbeef);
    CHECK(!VirtualLock(region + 16 * KIB, 4 * KIB));
    CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualLock(region, 12 * KIB));
    CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
    /* Pages never locked: ERROR_NOT_LOCKED (Microsoft Learn, VirtualUnlock). */
    WINE_DEVIATION("Wine's VirtualUnlock of pages not locked succeeds")
    {
        SetLastError(0xdeadbeef);
        CHECK(!VirtualUnlock(region, 4 * KIB));
        CHECK_ERROR(ERROR_NOT_LOCKED);
    }
    /* Two bytes across a page boundary lock both pages; any part of them unlocks. */
    CHECK(VirtualLock(region + 4 * KIB - 1, 2));
    region[0] = 1;
    region[4 * KIB] = 2;
    CHECK(VirtualUnlock(region + 100, 8 * KIB - 200));
    WINE_DEVIATION("Wine's VirtualUnlock of pages not locked succeeds")
    {
        SetLastError(0xdeadbeef);
        CHECK(!VirtualUnlock(region, 4 * KIB));
        CHECK_ERROR(ERROR_NOT_LOCKED);
        /* Locks go with the pages: decommitted and committed again, they are not locked. */
        CHECK(VirtualLock(region, 4 * KIB));
        CHECK(VirtualFree(region, 4 * KIB, MEM_DECOMMIT));
        CHECK(VirtualAlloc(region, 4 * KIB, MEM_COMMIT, PAGE_READWRITE) == region);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualUnlock(region, 4 * KIB));
        CHECK_ERROR(ERROR_NOT_LOCKED);
    }
    /* PAGE_NOACCESS pages cannot be locked (Microsoft Learn, VirtualLock). */
    DWORD old;
    CHECK(VirtualProtect(region + 4 * KIB, 4 * KIB, PAGE_NOACCESS, &old));
    SetLastError(0xdeadbeef);
    CHECK(!VirtualLock(region + 4 * KIB, 4 * KIB));
    CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != 0xdeadbeef);
    CHECK(VirtualFree(region, 0, MEM_RELEASE));
}

static void ex_forms(void)
{
    TEST("VirtualAllocEx, VirtualQueryEx, VirtualProtectEx, VirtualFreeEx on this process; a NULL process");
    MEMORY_BASIC_INFORMATION info;
    DWORD old = 0;
    unsigned char *memory = VirtualAllocEx(GetCurrentProcess(), NULL, 8 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(memory != NULL);
    if (memory == NULL) return;
    memory[0] = 1;
    CHECK_EQ(VirtualQueryEx(GetCurrentProcess(), memory, &info, sizeof info), sizeof info);
    CHECK(info.AllocationBase == memory);
    CHECK_EQ(info.State, MEM_COMMIT);
    CHECK_EQ(info.RegionSize, 8 * KIB);
    CHECK(VirtualProtectEx(GetCurrentProcess(), memory, 4 * KIB, PAGE_READONLY, &old));
    CHECK_EQ(old, PAGE_READWRITE);
    /* A NULL process handle: ERROR_INVALID_HANDLE (Wine's kernel32 virtual test, test_VirtualAllocEx). */
    SetLastError(0xdeadbeef);
    CHECK(VirtualAllocEx(NULL, NULL, 4 * KIB, MEM_COMMIT, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!VirtualFreeEx(NULL, memory, 0, MEM_RELEASE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(VirtualFreeEx(GetCurrentProcess(), memory, 0, MEM_RELEASE));
    CHECK_EQ(VirtualQueryEx(GetCurrentProcess(), memory, &info, sizeof info), sizeof info);
    CHECK_EQ(info.State, MEM_FREE);
}

static void more_arguments(void)
{
    MEMORY_BASIC_INFORMATION info;
    DWORD old = 0;
    size_t i;

    TEST("MEM_RESET: committed pages keep their protection, reserved ones stay reserved");
    {
        unsigned char *region = VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS);
        CHECK(region != NULL);
        if (region == NULL) return;
        CHECK(VirtualAlloc(region, 0x1000, MEM_COMMIT, PAGE_READWRITE) == region);
        region[0] = 0x55;
        CHECK(VirtualAlloc(region, 0x1000, MEM_RESET, PAGE_NOACCESS) == region);
        CHECK(region[0] == 0x55 || region[0] == 0);
        CHECK_EQ(VirtualQuery(region, &info, sizeof info), sizeof info);
        CHECK_EQ(info.State, MEM_COMMIT);
        CHECK_EQ(info.Protect, PAGE_READWRITE);
        CHECK_EQ(info.RegionSize, 0x1000);
        CHECK(VirtualAlloc(region + 0x1000, 0x1000, MEM_RESET, PAGE_NOACCESS) == region + 0x1000);
        CHECK_EQ(VirtualQuery(region + 0x1000, &info, sizeof info), sizeof info);
        CHECK_EQ(info.State, MEM_RESERVE);
        CHECK_EQ(info.Protect, 0);
        CHECK_EQ(info.RegionSize, 0xf000);
        /* Past the region's end. */
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(region + 0xf000, 0x2000, MEM_RESET, PAGE_NOACCESS) == NULL);
        CHECK_ERROR(ERROR_INVALID_ADDRESS);

        TEST("protections 0 and two at once; VirtualFree with MEM_FREE or a size for MEM_RELEASE");
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(NULL, 0x1000, MEM_RESERVE, 0) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(NULL, 0x1000, MEM_COMMIT, 0) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(region, 0x1000, MEM_COMMIT, PAGE_READONLY | PAGE_EXECUTE) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualFree(region, 0, MEM_FREE));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualFree(region, 0x10000, 0));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualFree(region, 1, MEM_RELEASE));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK(VirtualFree(region, 0, MEM_RELEASE));
    }

    TEST("a region at an address just given back; AT_ROUND_TO_PAGE is not VirtualAlloc's");
    {
        unsigned char *first = VirtualAlloc(NULL, 0x2000, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE), *again;
        CHECK(first != NULL);
        if (first == NULL) return;
        CHECK(((ULONG_PTR)first & 0xffff) == 0);
        CHECK(VirtualFree(first, 0, MEM_RELEASE));
        again = VirtualAlloc(first, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
        CHECK(again == first);
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(first, 0x1000, MEM_RESERVE | MEM_COMMIT | AT_ROUND_TO_PAGE, PAGE_EXECUTE_READWRITE) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        if (again != NULL) CHECK(VirtualFree(again, 0, MEM_RELEASE));
    }

#if defined(__x86_64__)
    TEST("FlushInstructionCache: code written, flushed, run; rewritten, flushed, run again");
    {
        /* mov eax, imm32; ret */
        unsigned char *code = VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
        CHECK(code != NULL);
        if (code != NULL) {
            DWORD (*function)(void);
            memcpy(code, "\xb8\x2a\x00\x00\x00\xc3", 6);
            CHECK(FlushInstructionCache(GetCurrentProcess(), code, 6));
            memcpy(&function, &code, sizeof function);
            CHECK_EQ(function(), 42);
            code[1] = 43;
            CHECK(FlushInstructionCache(GetCurrentProcess(), code, 6));
            CHECK_EQ(function(), 43);
            CHECK(FlushInstructionCache(GetCurrentProcess(), NULL, 0)); /* all of it */
            CHECK(VirtualFree(code, 0, MEM_RELEASE));
        }
    }
#endif

    TEST("MEM_WRITE_WATCH needs MEM_RESERVE");
    SetLastError(0xdeadbeef);
    CHECK(VirtualAlloc(NULL, 0x10000, MEM_WRITE_WATCH, PAGE_READWRITE) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("every protection VirtualAlloc and VirtualProtect take, and those they do not");
    {
        static const struct {
            DWORD protect;
            BOOL taken;
        } table[] = {
            {0, FALSE},
            {PAGE_NOACCESS, TRUE},
            {PAGE_READONLY, TRUE},
            {PAGE_READONLY | PAGE_NOACCESS, FALSE},
            {PAGE_READWRITE, TRUE},
            {PAGE_READWRITE | PAGE_READONLY, FALSE},
            {PAGE_WRITECOPY, FALSE},
            {PAGE_WRITECOPY | PAGE_READWRITE, FALSE},
            {PAGE_EXECUTE, TRUE},
            {PAGE_EXECUTE_READ, TRUE},
            {PAGE_EXECUTE_READ | PAGE_EXECUTE, FALSE},
            {PAGE_EXECUTE_READWRITE, TRUE},
            {PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_READ, FALSE},
            {PAGE_EXECUTE_WRITECOPY, FALSE},
            {PAGE_EXECUTE_WRITECOPY | PAGE_EXECUTE, FALSE},
            {PAGE_EXECUTE | PAGE_READWRITE, FALSE},
            {PAGE_EXECUTE_READ | PAGE_READONLY, FALSE},
        };
        unsigned char *page = VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
        CHECK(page != NULL);
        if (page == NULL) return;
        for (i = 0; i < sizeof table / sizeof table[0]; ++i) {
            void *memory;
            SetLastError(0xdeadbeef);
            memory = VirtualAlloc(NULL, 0x1000, MEM_COMMIT, table[i].protect);
            if (table[i].taken) {
                CHECK(memory != NULL);
                if (memory != NULL) {
                    CHECK_EQ(VirtualQuery(memory, &info, sizeof info), sizeof info);
                    CHECK_EQ(info.Protect, table[i].protect);
                    CHECK_EQ(info.AllocationProtect, table[i].protect);
                    CHECK_EQ(info.RegionSize, 0x1000);
                    CHECK(VirtualFree(memory, 0, MEM_RELEASE));
                }
            } else {
                CHECK(memory == NULL);
                CHECK_ERROR(ERROR_INVALID_PARAMETER);
                if (memory != NULL) VirtualFree(memory, 0, MEM_RELEASE);
            }
            old = 0xdeadbeef;
            SetLastError(0xdeadbeef);
            if (table[i].taken) {
                CHECK(VirtualProtect(page, 0x1000, table[i].protect, &old));
                CHECK_EQ(old, PAGE_NOACCESS);
                CHECK_EQ(VirtualQuery(page, &info, sizeof info), sizeof info);
                CHECK_EQ(info.Protect, table[i].protect);
                CHECK_EQ(info.AllocationProtect, PAGE_NOACCESS);
            } else {
                CHECK(!VirtualProtect(page, 0x1000, table[i].protect, &old));
                CHECK_ERROR(ERROR_INVALID_PARAMETER);
            }
            CHECK(VirtualProtect(page, 0x1000, PAGE_NOACCESS, &old));
            CHECK_EQ(old, table[i].taken ? table[i].protect : PAGE_NOACCESS);
        }
        CHECK(VirtualFree(page, 0, MEM_RELEASE));
    }

    TEST("IsBadReadPtr, IsBadWritePtr, IsBadCodePtr");
    {
        char local = 1;
        unsigned char *readonly = VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
        CHECK(!IsBadReadPtr(NULL, 0));
        CHECK(IsBadReadPtr(NULL, 1));
        CHECK(!IsBadReadPtr((void *)(ULONG_PTR)0xdeadbeef, 0));
        CHECK(IsBadReadPtr((void *)(ULONG_PTR)0xdeadbeef, 1));
        CHECK(!IsBadReadPtr(&local, 1));
        CHECK(!IsBadWritePtr(NULL, 0));
        CHECK(IsBadWritePtr(NULL, 1));
        CHECK(IsBadWritePtr((void *)(ULONG_PTR)0xdeadbeef, 1));
        CHECK(!IsBadWritePtr(&local, 1));
        CHECK(IsBadCodePtr(NULL));
        CHECK(IsBadCodePtr((FARPROC)(ULONG_PTR)0xdeadbeef));
        CHECK(!IsBadCodePtr((FARPROC)(void *)&local));
        if (readonly != NULL) {
            CHECK(!IsBadReadPtr(readonly, 0x1000));
            CHECK(IsBadWritePtr(readonly, 1));
            CHECK(VirtualFree(readonly, 0, MEM_RELEASE));
            CHECK(IsBadReadPtr(readonly, 1));
        }
    }

    TEST("IsBadReadPtr and IsBadWritePtr over pages of two protections; IsBadStringPtr");
    {
        /* Microsoft Learn, IsBadReadPtr: nonzero unless the process may read all of the range;
         * Memory Protection Constants: reading a PAGE_NOACCESS page faults. */
        unsigned char *pages = VirtualAlloc(NULL, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        CHECK(pages != NULL);
        if (pages == NULL) return;
        CHECK(VirtualProtect(pages + 0x1000, 0x1000, PAGE_READONLY, &old));
        CHECK(VirtualProtect(pages + 0x2000, 0x1000, PAGE_NOACCESS, &old));
        CHECK(!IsBadReadPtr(pages + 0xff0, 0x20));
        CHECK(IsBadWritePtr(pages + 0xff0, 0x20));
        CHECK(!IsBadWritePtr(pages, 0x1000));
        CHECK(IsBadReadPtr(pages + 0x1ff0, 0x20));
        CHECK(IsBadHugeReadPtr(pages + 0x1ff0, 0x20));
        CHECK(!IsBadHugeReadPtr(pages, 0x2000));
        CHECK(IsBadHugeWritePtr(pages, 0x2000));
        CHECK(IsBadReadPtr(pages, (UINT_PTR)-1)); /* runs past the address space */
        memcpy(pages + 0x1000 - 5, "abcd", 5);
        CHECK(!IsBadStringPtrA((const char *)pages + 0x1000 - 5, 100));
        CHECK(VirtualProtect(pages + 0x1000, 0x1000, PAGE_READWRITE, &old));
        memset(pages + 0x1000, 'x', 0x1000);  /* no end before the page no one may read */
        CHECK(VirtualProtect(pages + 0x1000, 0x1000, PAGE_READONLY, &old));
        CHECK(IsBadStringPtrA((const char *)pages + 0x1800, 0x1000));
        CHECK(!IsBadStringPtrA((const char *)pages + 0x1800, 0x800));
        CHECK(IsBadStringPtrA(NULL, 1));
        CHECK(IsBadStringPtrW(NULL, 1));
        {
            static const WCHAR wide[] = {'w', 'i', 'd', 'e', 0};
            CHECK(!IsBadStringPtrW(wide, 100));
        }
        CHECK(VirtualFree(pages, 0, MEM_RELEASE));
    }
}

int main(void)
{
    reserve_then_commit();
    reserve_at_an_address();
    protections();
    caching_attributes();
    bad_requests();
    protect_and_query();
    locks();
    ex_forms();
    more_arguments();
    return tl_finish();
}
