/* test_heaps.c: private heaps (HeapCreate, HeapDestroy, GetProcessHeaps, HeapSize,
 * HeapValidate, HeapLock/HeapUnlock, HeapWalk, HeapCompact) and the Global/Local memory
 * family with moveable blocks. The Windows facts: Wine's kernel32 heap test (test_HeapCreate,
 * test_GlobalAlloc, test_LocalAlloc), which passes on Windows, and Microsoft Learn
 * (HeapCreate, GlobalFree: "will free a locked memory object"); docs/research/windows-heaps.md. */
#include "testlib.h"

#include <string.h>

static const SIZE_T unit = 0x8000 * sizeof(void *);

struct locker {
    HANDLE heap;
    DWORD flags;
    BOOL lock;
    HANDLE done;
};

/* One heap call (with HeapLock around it when asked) from another thread. */
static DWORD WINAPI heap_call(LPVOID arg)
{
    struct locker *l = (struct locker *)arg;
    if (l->lock) HeapLock(l->heap);
    void *p = HeapAlloc(l->heap, l->flags, 16);
    HeapFree(l->heap, l->flags, p);
    if (l->lock) HeapUnlock(l->heap);
    SetEvent(l->done);
    return p != NULL;
}

static struct locker l;

/* Whether a heap call from another thread gets through within 200 ms; then lets it end. */
static int gets_through(HANDLE heap, DWORD flags, BOOL lock, HANDLE *thread)
{
    l.heap = heap;
    l.flags = flags;
    l.lock = lock;
    l.done = CreateEventA(NULL, TRUE, FALSE, NULL);
    *thread = CreateThread(NULL, 0, heap_call, &l, 0, NULL);
    return WaitForSingleObject(l.done, 200) == WAIT_OBJECT_0;
}

static void finish_thread(HANDLE thread)
{
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(l.done);
}

static int all_zero(const BYTE *p, SIZE_T size)
{
    for (SIZE_T i = 0; i < size; ++i)
        if (p[i]) return 0;
    return 1;
}

static void private_heaps(void)
{
    static BYTE buffer[512];
    HANDLE list[64];

    TEST("HeapCreate: 64 KiB-aligned handles; GetProcessHeaps lists the process heap first, then them");
    DWORD before = GetProcessHeaps(0, NULL);
    CHECK(before >= 1);
    HANDLE heap = HeapCreate(0, 0, 0);
    CHECK(heap != NULL);
    CHECK(((ULONG_PTR)heap & 0xffff) == 0);
    HANDLE heap1 = HeapCreate(0, 0, 0);
    CHECK(heap1 != NULL && heap1 != heap);
    CHECK_EQ(GetProcessHeaps(0, NULL), before + 2);
    CHECK_EQ(GetProcessHeaps(1, list), before + 2);
    DWORD count = GetProcessHeaps(64, list);
    CHECK_EQ(count, before + 2);
    CHECK(list[0] == GetProcessHeap());
    int found = 0;
    for (DWORD i = 0; i < count && i < 64; ++i) found += list[i] == heap || list[i] == heap1;
    CHECK_EQ(found, 2);
    WINE_DEVIATION("Wine does not list new heaps last, in creation order")
    {
        CHECK(list[before] == heap);
        CHECK(list[before + 1] == heap1);
    }
    CHECK(HeapDestroy(heap1));
    CHECK(HeapDestroy(heap));
    CHECK_EQ(GetProcessHeaps(0, NULL), before);

    TEST("a private heap: NULL blocks, bad pointers, exact sizes");
    heap = HeapCreate(0, 0, 0);
    CHECK(heap != NULL);
    CHECK(HeapFree(heap, 0, NULL));
    SetLastError(0xdeadbeef);
    CHECK(HeapReAlloc(heap, 0, NULL, 1) == NULL);
    WINE_DEVIATION("Wine leaves the last error as it was")
    {
        CHECK_ERROR(NO_ERROR);
    }
    SetLastError(0xdeadbeef);
    CHECK(HeapValidate(heap, 0, NULL));
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(!HeapValidate(heap, 0, (void *)0xdeadbe00));
    WINE_DEVIATION("Wine leaves the last error as it was for an unmapped pointer")
    {
        CHECK_ERROR(ERROR_NOACCESS);
    }
    SetLastError(0xdeadbeef);
    CHECK(!HeapValidate(heap, 0, (BYTE *)((UINT_PTR)buffer & ~(UINT_PTR)63) + 64));
    CHECK_ERROR(0xdeadbeef);

    BYTE *p = (BYTE *)HeapAlloc(heap, 0, 0);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), 0);
    CHECK(HeapReAlloc(heap, 0, p, ~(SIZE_T)0 - 7) == NULL);
    CHECK(HeapReAlloc(heap, 0, p, ~(SIZE_T)0) == NULL);
    CHECK(HeapValidate(heap, 0, p));
    CHECK(HeapFree(heap, 0, p));
    SetLastError(0xdeadbeef);
    CHECK(!HeapValidate(heap, 0, p));
    CHECK_ERROR(0xdeadbeef);
    CHECK(HeapAlloc(heap, 0, ~(SIZE_T)0) == NULL);

    p = (BYTE *)HeapAlloc(heap, 0, 1);
    CHECK(p != NULL);
    BYTE *q = (BYTE *)HeapReAlloc(heap, 0, p, 0);
    CHECK(q != NULL);
    CHECK_EQ(HeapSize(heap, 0, q), 0);
    CHECK(HeapFree(heap, 0, q));

    p = (BYTE *)HeapAlloc(heap, 0, unit);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), unit);
    CHECK_EQ(((UINT_PTR)p) & (2 * sizeof(void *) - 1), 0);
    CHECK(HeapFree(heap, 0, p));

    TEST("a private heap: HEAP_ZERO_MEMORY, HeapReAlloc zeroing and in place");
    p = (BYTE *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 1);
    CHECK(p != NULL && HeapSize(heap, 0, p) == 1 && p[0] == 0);
    CHECK(HeapFree(heap, 0, p));
    p = (BYTE *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 1 << 20);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), 1 << 20);
    CHECK(all_zero(p, 1 << 20));
    CHECK(HeapFree(heap, 0, p));
    p = (BYTE *)HeapAlloc(heap, HEAP_ZERO_MEMORY, unit);
    CHECK(p != NULL);
    memset(p, 0x5a, unit);
    p = (BYTE *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 3 * unit);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), 3 * unit);
    CHECK(p[unit - 1] == 0x5a && all_zero(p + unit, 2 * unit));
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, unit * 3 / 2) == p);
    CHECK_EQ(HeapSize(heap, 0, p), unit * 3 / 2);
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 2 * unit) == p);
    CHECK_EQ(HeapSize(heap, 0, p), 2 * unit);
    p = (BYTE *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 1);
    CHECK(p != NULL && HeapSize(heap, 0, p) == 1);
    p = (BYTE *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 1 << 20);
    CHECK(p != NULL);
    CHECK(all_zero(p + 1, (1 << 20) - 1));
    CHECK(HeapFree(heap, 0, p));

    TEST("a block of another heap is no block of this one");
    heap1 = HeapCreate(0, 0, 0);
    p = (BYTE *)HeapAlloc(heap1, 0, 32);
    CHECK(p != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!HeapValidate(heap, 0, p));
    CHECK(HeapValidate(heap1, 0, p));
    CHECK(HeapDestroy(heap1));

    TEST("HeapCompatibilityInformation of a private heap: 0, then 2 for good");
    ULONG compatibility = 0xdeadbeef;
    CHECK(HeapQueryInformation(heap, HeapCompatibilityInformation, &compatibility, sizeof compatibility + 1, NULL));
    CHECK_EQ(compatibility, 0);
    heap1 = HeapCreate(0, 0, 0);
    compatibility = 2;
    CHECK(HeapSetInformation(heap1, HeapCompatibilityInformation, &compatibility, sizeof compatibility));
    CHECK(HeapQueryInformation(heap1, HeapCompatibilityInformation, &compatibility, sizeof compatibility, NULL));
    WINE_DEVIATION("Wine keeps heaps standard (0)")
    {
        CHECK_EQ(compatibility, 2);
        compatibility = 0;
        SetLastError(0xdeadbeef);
        CHECK(!HeapSetInformation(heap1, HeapCompatibilityInformation, &compatibility, sizeof compatibility));
        CHECK_ERROR(ERROR_GEN_FAILURE);
    }
    CHECK(HeapDestroy(heap1));
    heap1 = HeapCreate(0, 0, 0);
    void *blocks[0x12];
    for (int i = 0; i < 0x12; ++i) blocks[i] = HeapAlloc(heap1, 0, 0);
    for (int i = 0; i < 0x12; ++i) HeapFree(heap1, 0, blocks[i]);
    CHECK(HeapQueryInformation(heap1, HeapCompatibilityInformation, &compatibility, sizeof compatibility, NULL));
    WINE_DEVIATION("Wine keeps heaps standard (0)")
    {
        CHECK_EQ(compatibility, 2);
    }
    CHECK(HeapDestroy(heap1));

    TEST("HeapDestroy frees every block at once");
    for (int i = 0; i < 100; ++i) CHECK(HeapAlloc(heap, HEAP_ZERO_MEMORY, 1000 + i) != NULL);
    CHECK(HeapDestroy(heap));
    CHECK(!HeapDestroy(GetProcessHeap()));
}

static void fixed_heaps(void)
{
    TEST("a fixed-size heap: its maximum, less its header, is all it gives");
    HANDLE heap = HeapCreate(0, unit, unit);
    CHECK(heap != NULL);
    CHECK(((ULONG_PTR)heap & 0xffff) == 0);
    SIZE_T fits = unit - (0x400 + 0x100 * sizeof(void *));
    void *p = HeapAlloc(heap, 0, fits);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), fits);
    CHECK(HeapFree(heap, 0, p));
    SetLastError(0xdeadbeef);
    p = HeapAlloc(heap, 0, unit - (0x200 + 0x80 * sizeof(void *)));
    WINE_DEVIATION("Wine's fixed heaps give more than their maximum less the header")
    {
        CHECK(p == NULL);
        CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
    }
    HeapFree(heap, 0, p);
    CHECK(HeapDestroy(heap));

    heap = HeapCreate(0, 2 * unit, 5 * unit);
    CHECK(heap != NULL);
    p = HeapAlloc(heap, 0, 0);
    CHECK(p != NULL && HeapSize(heap, 0, p) == 0);
    CHECK(HeapFree(heap, 0, p));
    BYTE *block = (BYTE *)HeapAlloc(heap, 0, unit);
    CHECK(block != NULL);
    SetLastError(0xdeadbeef);
    CHECK(HeapAlloc(heap, 0, 4 * unit) == NULL);
    WINE_DEVIATION("Wine leaves the last error as it was")
    {
        CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
    }
    CHECK(HeapFree(heap, 0, block));
    block = (BYTE *)HeapAlloc(heap, HEAP_ZERO_MEMORY, unit);
    CHECK(block != NULL && all_zero(block, unit));
    block = (BYTE *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, block, 2 * unit);
    CHECK(block != NULL);
    CHECK_EQ(HeapSize(heap, 0, block), 2 * unit);
    CHECK(all_zero(block, 2 * unit));
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, block, unit * 3 / 2) == block);
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, block, 2 * unit) == block);
    CHECK(HeapFree(heap, 0, block));
    CHECK(HeapDestroy(heap));

    TEST("HEAP_GENERATE_EXCEPTIONS heap: allocations that fit succeed as usual");
    heap = HeapCreate(HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS, 0, 0);
    CHECK(heap != NULL);
    p = HeapAlloc(heap, 0, 100);
    CHECK(p != NULL && HeapSize(heap, 0, p) == 100);
    CHECK(HeapFree(heap, 0, p));
    CHECK(HeapDestroy(heap));
}

static void heap_walk(void)
{
    TEST("HeapWalk: the heap's blocks, then ERROR_NO_MORE_ITEMS");
    HANDLE heap = HeapCreate(0, 0, 0);
    CHECK(heap != NULL);
    PROCESS_HEAP_ENTRY entry;
    memset(&entry, 0xcd, sizeof entry);
    entry.lpData = NULL;
    int count = 0, regions = 0, busy = 0;
    SetLastError(0xdeadbeef);
    while (HeapWalk(heap, &entry) && count < 1000) {
        if (count == 0) {
            WINE_DEVIATION("Wine's walk does not start with the heap's region")
            {
                CHECK_EQ(entry.wFlags, PROCESS_HEAP_REGION);
                CHECK(entry.lpData == heap);
            }
        }
        regions += (entry.wFlags & PROCESS_HEAP_REGION) != 0;
        busy += (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY) != 0;
        ++count;
    }
    CHECK_ERROR(ERROR_NO_MORE_ITEMS);
    CHECK_EQ(busy, 0);

    void *a = HeapAlloc(heap, HEAP_ZERO_MEMORY, 123);
    void *b = HeapAlloc(heap, HEAP_ZERO_MEMORY, 5 * unit);
    CHECK(a != NULL && b != NULL);
    int seen_a = 0, seen_b = 0;
    busy = 0;
    memset(&entry, 0xcd, sizeof entry);
    entry.lpData = NULL;
    SetLastError(0xdeadbeef);
    for (count = 0; HeapWalk(heap, &entry) && count < 1000; ++count) {
        if (!(entry.wFlags & PROCESS_HEAP_ENTRY_BUSY)) continue;
        ++busy;
        if (entry.lpData == a) seen_a = entry.cbData == 123;
        if (entry.lpData == b) seen_b = entry.cbData == 5 * unit;
    }
    CHECK_ERROR(ERROR_NO_MORE_ITEMS);
    WINE_DEVIATION("Wine's walk does not show every busy block with its size")
    {
        CHECK_EQ(busy, 2);
        CHECK(seen_a);
        CHECK(seen_b);
    }
    CHECK(HeapFree(heap, 0, a));
    CHECK(HeapFree(heap, 0, b));
    CHECK(HeapDestroy(heap));
}

static void heap_locks(void)
{
    HANDLE thread;

    TEST("HeapLock holds off another thread's HeapAlloc until HeapUnlock");
    HANDLE heap = HeapCreate(0, 0, 0);
    CHECK(heap != NULL);
    CHECK(HeapLock(heap));
    CHECK(HeapLock(heap));
    CHECK(!gets_through(heap, 0, FALSE, &thread));
    CHECK(HeapUnlock(heap));
    CHECK(HeapUnlock(heap));
    finish_thread(thread);

    CHECK(HeapLock(heap));
    CHECK(!gets_through(heap, 0, TRUE, &thread));
    CHECK(HeapUnlock(heap));
    finish_thread(thread);

    TEST("HEAP_NO_SERIALIZE on the call: not held off by HeapLock");
    CHECK(HeapLock(heap));
    CHECK(gets_through(heap, HEAP_NO_SERIALIZE, FALSE, &thread));
    CHECK(HeapUnlock(heap));
    finish_thread(thread);
    CHECK(HeapDestroy(heap));

    TEST("a HEAP_NO_SERIALIZE heap: HeapLock holds nothing off");
    heap = HeapCreate(HEAP_NO_SERIALIZE, 0, 0);
    CHECK(heap != NULL);
    CHECK(HeapLock(heap));
    CHECK(gets_through(heap, 0, TRUE, &thread));
    CHECK(HeapUnlock(heap));
    finish_thread(thread);
    CHECK(HeapDestroy(heap));

    TEST("HeapCompact of a heap with room: the largest free block, non-zero");
    heap = HeapCreate(0, 2 * unit, 5 * unit);
    SIZE_T largest = HeapCompact(heap, 0);
    WINE_DEVIATION("Wine's HeapCompact answers 0")
    {
        CHECK(largest >= unit);
    }
    CHECK(HeapDestroy(heap));
}

static void global_memory(void)
{
    static HGLOBAL handles[0x10000];
    const HGLOBAL invalid_handle = (HGLOBAL)(ULONG_PTR)(0xdeadbee0 + sizeof(void *));
    void *const invalid_ptr = (void *)(ULONG_PTR)0xdeadbee0;

    TEST("GlobalFree(NULL), GlobalReAlloc(NULL)");
    CHECK(GlobalFree(NULL) == NULL);
    CHECK(GlobalReAlloc(NULL, 10, GMEM_MOVEABLE) == NULL);

    TEST("0x10000 moveable handles, Global and Local together, then ERROR_NOT_ENOUGH_MEMORY");
    int made = 0;
    for (int i = 0; i < 0x10000; ++i) made += (handles[i] = GlobalAlloc(GMEM_MOVEABLE | GMEM_DISCARDABLE, 0)) != NULL;
    CHECK_EQ(made, 0x10000);
    SetLastError(0xdeadbeef);
    CHECK(GlobalAlloc(GMEM_MOVEABLE | GMEM_DISCARDABLE, 0) == NULL);
    CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
    SetLastError(0xdeadbeef);
    CHECK(LocalAlloc(LMEM_MOVEABLE | LMEM_DISCARDABLE, 0) == NULL);
    CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
    HGLOBAL mem = GlobalAlloc(GMEM_DISCARDABLE, 0);
    CHECK(mem != NULL);
    CHECK(GlobalFree(mem) == NULL);
    int freed = 0;
    for (int i = 0; i < 0x10000; ++i) freed += GlobalFree(handles[i]) == NULL;
    CHECK_EQ(freed, 0x10000);

    TEST("GlobalReAlloc of a moveable block: sizes, 0 discards");
    mem = GlobalAlloc(GMEM_MOVEABLE, 0);
    CHECK(mem != NULL);
    mem = GlobalReAlloc(mem, 10, GMEM_MOVEABLE);
    CHECK(mem != NULL);
    SIZE_T size = GlobalSize(mem);
    CHECK(size >= 10 && size <= 16);
    mem = GlobalReAlloc(mem, 0, GMEM_MOVEABLE);
    CHECK(mem != NULL);
    CHECK_EQ(GlobalSize(mem), 0);
    CHECK_EQ(GlobalFlags(mem), GMEM_DISCARDED);
    mem = GlobalReAlloc(mem, 10, GMEM_MOVEABLE);
    CHECK(mem != NULL);
    CHECK(GlobalFree(mem) == NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GlobalSize(mem), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("moveable handles: not the pointer; *(void **)handle is the block; 255 locks at most");
    mem = GlobalAlloc(GMEM_MOVEABLE, 100);
    CHECK(mem != NULL);
    CHECK(((UINT_PTR)mem & sizeof(void *)) != 0);
    BYTE *ptr = (BYTE *)GlobalLock(mem);
    CHECK(ptr != NULL && ptr != (BYTE *)mem);
    CHECK(*(void **)mem == ptr);
    CHECK_EQ(((UINT_PTR)ptr) & (2 * sizeof(void *) - 1), 0);
    CHECK(HeapValidate(GetProcessHeap(), 0, ptr));
    SetLastError(0xdeadbeef);
    CHECK(!HeapValidate(GetProcessHeap(), 0, (BYTE *)mem - sizeof(void *)));
    for (int i = 1; i < 0x120; ++i) GlobalLock(mem);
    CHECK_EQ(GlobalFlags(mem), 0xff);
    int unlocked = 0;
    for (int i = 1; i < 0xff; ++i) unlocked += GlobalUnlock(mem) != 0;
    CHECK_EQ(unlocked, 0xfe);
    SetLastError(0xdeadbeef);
    CHECK(!GlobalUnlock(mem));
    CHECK_ERROR(NO_ERROR);
    CHECK_EQ(GlobalFlags(mem), 0);
    SetLastError(0xdeadbeef);
    CHECK(!GlobalUnlock(mem));
    CHECK_ERROR(ERROR_NOT_LOCKED);
    CHECK(GlobalHandle(ptr) == mem);
    CHECK(GlobalLock(mem) == ptr);
    CHECK(GlobalFree(mem) == NULL); /* locked: freed all the same */

    TEST("GlobalFlags: GMEM_DISCARDABLE, GMEM_DDESHARE, GMEM_DISCARDED");
    mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_DISCARDABLE, 0);
    CHECK_EQ(GlobalFlags(mem), GMEM_DISCARDED | GMEM_DISCARDABLE);
    CHECK(GlobalFree(mem) == NULL);
    mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_DISCARDABLE, 1);
    CHECK_EQ(GlobalFlags(mem), GMEM_DISCARDABLE);
    CHECK(GlobalFree(mem) == NULL);
    mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_DISCARDABLE | GMEM_DDESHARE, 1);
    CHECK_EQ(GlobalFlags(mem), GMEM_DISCARDABLE | GMEM_DDESHARE);
    CHECK(GlobalFree(mem) == NULL);
    mem = GlobalAlloc(GMEM_FIXED | GMEM_DISCARDABLE, 4);
    CHECK_EQ(GlobalFlags(mem), 0);
    CHECK(GlobalFree(mem) == NULL);

    TEST("freed handles are caught");
    mem = GlobalAlloc(GMEM_MOVEABLE, 256);
    CHECK(GlobalFree(mem) == NULL);
    SetLastError(0xdeadbeef);
    CHECK(GlobalFree(mem) == mem);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GlobalFlags(mem), GMEM_INVALID_HANDLE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(GlobalLock(mem) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    BOOL ret = GlobalUnlock(mem);
    WINE_DEVIATION("Wine's GlobalUnlock of a freed handle answers FALSE")
    {
        CHECK(ret);
    }
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("invalid handles and pointers are caught");
    SetLastError(0xdeadbeef);
    CHECK(GlobalFree(invalid_handle) == invalid_handle);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GlobalFlags(invalid_handle), GMEM_INVALID_HANDLE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GlobalSize(invalid_handle), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(GlobalLock(invalid_handle) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(GlobalReAlloc(invalid_handle, 0, GMEM_MOVEABLE) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(GlobalFree(invalid_ptr) == invalid_ptr);
    WINE_DEVIATION("Wine does not answer ERROR_NOACCESS for an unmapped pointer")
    {
        CHECK_ERROR(ERROR_NOACCESS);
    }
    SetLastError(0xdeadbeef);
    CHECK_EQ(GlobalSize(invalid_ptr), 0);
    SetLastError(0xdeadbeef);
    CHECK(GlobalLock(invalid_ptr) == NULL);
    SetLastError(0xdeadbeef);
    CHECK(GlobalUnlock(invalid_ptr));
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(GlobalReAlloc(invalid_ptr, 0, GMEM_MOVEABLE) == NULL);

    TEST("fixed blocks: the pointer is the handle; GlobalReAlloc moves one only with GMEM_MOVEABLE");
    mem = GlobalAlloc(GMEM_FIXED, 10);
    CHECK(mem != NULL);
    CHECK(GlobalLock(mem) == mem);
    CHECK(GlobalUnlock(mem));
    CHECK(HeapValidate(GetProcessHeap(), 0, mem));
    SetLastError(0xdeadbeef);
    HGLOBAL moved = GlobalReAlloc(mem, 10, 0);
    WINE_DEVIATION("Wine resizes a fixed block without GMEM_MOVEABLE")
    {
        CHECK(moved == NULL);
        CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
    }
    if (moved) mem = moved;
    moved = GlobalReAlloc(mem, 9, GMEM_MODIFY);
    WINE_DEVIATION("Wine fails GMEM_MODIFY on a fixed block")
    {
        CHECK(moved == mem);
    }
    moved = GlobalReAlloc(mem, 11, GMEM_MOVEABLE);
    CHECK(moved != NULL);
    CHECK(GlobalLock(moved) == moved);
    CHECK(GlobalFree(moved) == NULL);

    TEST("locking an empty moveable block: ERROR_DISCARDED");
    mem = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, 0);
    CHECK(mem != NULL);
    SetLastError(0xdeadbeef);
    CHECK(GlobalLock(mem) == NULL);
    CHECK_ERROR(ERROR_DISCARDED);
    CHECK(GlobalFree(mem) == NULL);

    TEST("GMEM_MODIFY | GMEM_MOVEABLE makes a fixed block moveable; GMEM_ZEROINIT on growing");
    mem = GlobalAlloc(GMEM_ZEROINIT, 100000);
    CHECK(mem != NULL);
    ptr = (BYTE *)GlobalLock(mem);
    CHECK(ptr == (BYTE *)mem && all_zero(ptr, 100000));
    mem = GlobalReAlloc(mem, 0, GMEM_MODIFY | GMEM_MOVEABLE);
    CHECK(mem != NULL && mem != (HGLOBAL)ptr);
    CHECK(GlobalSize(mem) >= 100000);
    ptr = (BYTE *)GlobalLock(mem);
    CHECK(ptr != NULL && ptr != (BYTE *)mem);
    SetLastError(0xdeadbeef);
    CHECK(!GlobalUnlock(mem));
    CHECK_ERROR(NO_ERROR);
    HGLOBAL grown = GlobalReAlloc(mem, 200000, GMEM_MOVEABLE | GMEM_ZEROINIT);
    CHECK(grown == mem);
    CHECK(GlobalSize(mem) >= 200000);
    ptr = (BYTE *)GlobalLock(mem);
    CHECK(ptr != NULL && all_zero(ptr, 200000));
    CHECK(GlobalHandle(ptr) == mem);
    CHECK(GlobalDiscard(mem) == NULL); /* locked */
    CHECK(GlobalReAlloc(mem, 0, 0) == NULL);
    CHECK(!GlobalUnlock(mem));
    CHECK(GlobalDiscard(mem) == mem);
    CHECK_EQ(GlobalFlags(mem), GMEM_DISCARDED);
    CHECK(GlobalFree(mem) == NULL);
}

static void local_memory(void)
{
    const HLOCAL invalid_handle = (HLOCAL)(ULONG_PTR)(0xdeadbee0 + sizeof(void *));
    void *const invalid_ptr = (void *)(ULONG_PTR)0xdeadbee0;

    TEST("LocalAlloc LMEM_MOVEABLE: lock, unlock, flags, size");
    CHECK(LocalFree(NULL) == NULL);
    CHECK(LocalReAlloc(NULL, 10, LMEM_MOVEABLE) == NULL);
    HLOCAL mem = LocalAlloc(LMEM_MOVEABLE, 256);
    CHECK(mem != NULL);
    BYTE *ptr = (BYTE *)LocalLock(mem);
    CHECK(ptr != NULL && ptr != (BYTE *)mem);
    CHECK_EQ(LocalFlags(mem), 1);
    CHECK(LocalLock(mem) == ptr);
    CHECK_EQ(LocalFlags(mem), 2);
    CHECK(LocalUnlock(mem));
    CHECK_EQ(LocalFlags(mem), 1);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(mem));
    CHECK_ERROR(NO_ERROR);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(mem));
    CHECK_ERROR(ERROR_NOT_LOCKED);
    CHECK_EQ(LocalSize(mem), 256);
    CHECK(LocalHandle(ptr) == mem);
    CHECK(LocalFree(mem) == NULL);

    TEST("LocalAlloc: freed and invalid handles are caught");
    SetLastError(0xdeadbeef);
    CHECK(LocalFree(mem) == mem);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LocalFlags(mem), LMEM_INVALID_HANDLE);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(LocalSize(mem), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(LocalLock(mem) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(mem));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(LocalFree(invalid_handle) == invalid_handle);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(invalid_handle));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(LocalReAlloc(invalid_handle, 0, LMEM_MOVEABLE) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(LocalLock(invalid_ptr) == NULL);
    CHECK_ERROR(0xdeadbeef);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(invalid_ptr));
    CHECK_ERROR(ERROR_NOT_LOCKED);
    SetLastError(0xdeadbeef);
    CHECK(LocalFree(invalid_ptr) == invalid_ptr);
    WINE_DEVIATION("Wine does not answer ERROR_NOACCESS for an unmapped pointer")
    {
        CHECK_ERROR(ERROR_NOACCESS);
    }

    TEST("LMEM_FIXED: LocalUnlock says ERROR_NOT_LOCKED; LMEM_MODIFY | LMEM_MOVEABLE leaves it fixed");
    mem = LocalAlloc(LMEM_FIXED, 100);
    CHECK(mem != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!LocalUnlock(mem));
    CHECK_ERROR(ERROR_NOT_LOCKED);
    CHECK(LocalFree(mem) == NULL);
    mem = LocalAlloc(LMEM_ZEROINIT, 100000);
    CHECK(mem != NULL && all_zero((BYTE *)mem, 100000));
    HLOCAL same = LocalReAlloc(mem, 0, LMEM_MODIFY | LMEM_MOVEABLE);
    WINE_DEVIATION("Wine makes the fixed block moveable")
    {
        CHECK(same == mem);
        CHECK(LocalLock(same) == same);
    }
    CHECK(LocalSize(same) >= 100000);
    CHECK(LocalFree(same) == NULL);

    TEST("LocalAlloc LMEM_MOVEABLE | LMEM_ZEROINIT of 0 bytes: locking it is ERROR_DISCARDED");
    mem = LocalAlloc(LHND, 0);
    CHECK(mem != NULL);
    SetLastError(0xdeadbeef);
    CHECK(LocalLock(mem) == NULL);
    CHECK_ERROR(ERROR_DISCARDED);
    CHECK_EQ(LocalFlags(mem), LMEM_DISCARDED);
    mem = LocalReAlloc(mem, 64, LMEM_MOVEABLE | LMEM_ZEROINIT);
    CHECK(mem != NULL);
    ptr = (BYTE *)LocalLock(mem);
    CHECK(ptr != NULL && all_zero(ptr, 64));
    CHECK(!LocalUnlock(mem));
    CHECK(LocalFree(mem) == NULL);

    TEST("LocalFree of FormatMessage's buffer; HeapFree of a LocalAlloc block");
    char *text = NULL;
    DWORD length = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                      FORMAT_MESSAGE_IGNORE_INSERTS,
                                  NULL, ERROR_FILE_NOT_FOUND, 0, (LPSTR)&text, 0, NULL);
    CHECK(length > 0 && text != NULL);
    CHECK(LocalFree(text) == NULL);
    mem = LocalAlloc(LPTR, 40);
    CHECK(mem != NULL);
    CHECK(HeapFree(GetProcessHeap(), 0, mem));
}

int main(void)
{
    private_heaps();
    fixed_heaps();
    heap_walk();
    heap_locks();
    global_memory();
    local_memory();
    return tl_finish();
}
