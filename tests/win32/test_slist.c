/* test_slist.c: interlocked singly linked lists, as the buffer pools of completion-port
 * servers use them, and the C runtime's aligned allocations their entries come from.
 * Microsoft Learn: "Interlocked Singly Linked Lists" (a LIFO list; entries and header
 * aligned on MEMORY_ALLOCATION_ALIGNMENT, 16 bytes on 64-bit Windows),
 * InterlockedPushEntrySList (returns the previous first entry, NULL if the list was
 * empty), InterlockedPopEntrySList and InterlockedFlushSList (NULL for an empty list),
 * QueryDepthSList, InterlockedPushListSListEx (a chain of Count entries at once);
 * _aligned_malloc (alignment a power of two, else NULL and errno EINVAL). */
#include "testlib.h"

#include <errno.h>
#include <malloc.h>
#include <process.h>
#include <stdint.h>

typedef struct item {
    SLIST_ENTRY entry; /* first: an entry's address is its item's */
    unsigned __int64 signature;
    volatile LONG owner;
} item;

static void layout(void)
{
    CHECK_EQ(MEMORY_ALLOCATION_ALIGNMENT, 16);
    CHECK_EQ(sizeof(SLIST_HEADER), 16);
    CHECK_EQ(sizeof(SLIST_ENTRY), 16);
    CHECK_EQ(__alignof__(SLIST_HEADER), 16);
    CHECK_EQ(__alignof__(SLIST_ENTRY), 16);
    CHECK_EQ(__alignof__(item), 16);
    CHECK_EQ(sizeof(unsigned __int64), 8);
    CHECK_EQ(sizeof(__int32), 4);
    __int64 negative = -1;
    CHECK(negative < 0);
}

static void aligned_allocations(void)
{
    char *p = (char *)_aligned_malloc(100, 64);
    CHECK(p != NULL);
    CHECK_EQ((uintptr_t)p % 64, 0);
    memset(p, 'x', 100);
    p = (char *)_aligned_realloc(p, 5000, 64);
    CHECK(p != NULL);
    CHECK_EQ((uintptr_t)p % 64, 0);
    CHECK(p != NULL && p[0] == 'x' && p[99] == 'x');
    _aligned_free(p);

    void *small = _aligned_malloc(8, 2);
    CHECK(small != NULL);
    CHECK_EQ((uintptr_t)small % 2, 0);
    _aligned_free(small);
    _aligned_free(NULL);

    /* An alignment that is not a power of two is refused. mingw-w64 links msvcrt, whose
     * invalid-parameter handler may also run: the checks are only ours. */
    if (!tl_under_wine()) {
        errno = 0;
        CHECK(_aligned_malloc(64, 24) == NULL);
        CHECK_EQ(errno, EINVAL);
    }
}

static void one_thread(void)
{
    SLIST_HEADER *head = (SLIST_HEADER *)_aligned_malloc(sizeof(SLIST_HEADER), MEMORY_ALLOCATION_ALIGNMENT);
    CHECK(head != NULL);
    if (head == NULL) return;
    InitializeSListHead(head);
    CHECK_EQ(QueryDepthSList(head), 0);
    CHECK(InterlockedPopEntrySList(head) == NULL);
    CHECK(InterlockedFlushSList(head) == NULL);

    item *items[10];
    for (int i = 0; i < 10; ++i) {
        items[i] = (item *)_aligned_malloc(sizeof(item), MEMORY_ALLOCATION_ALIGNMENT);
        items[i]->signature = 0x1000000000ull + i;
        PSLIST_ENTRY previous = InterlockedPushEntrySList(head, &items[i]->entry);
        CHECK(previous == (i == 0 ? NULL : &items[i - 1]->entry));
        CHECK_EQ(QueryDepthSList(head), i + 1);
    }
    /* Last in, first out. */
    for (int i = 9; i >= 5; --i) {
        item *got = (item *)InterlockedPopEntrySList(head);
        CHECK(got == items[i]);
        CHECK(got != NULL && got->signature == 0x1000000000ull + i);
        CHECK_EQ(QueryDepthSList(head), i);
    }
    /* The flush hands back the rest as a chain, first entry first, and empties the list. */
    PSLIST_ENTRY chain = InterlockedFlushSList(head);
    CHECK_EQ(QueryDepthSList(head), 0);
    CHECK(InterlockedPopEntrySList(head) == NULL);
    int n = 4;
    for (PSLIST_ENTRY e = chain; e != NULL && n >= 0; e = e->Next, --n) CHECK(e == &items[n]->entry);
    CHECK_EQ(n, -1);

    /* A chain pushed at once: items 0..2 linked 2 -> 1 -> 0, pushed over item 3. */
    InterlockedPushEntrySList(head, &items[3]->entry);
    items[2]->entry.Next = &items[1]->entry;
    items[1]->entry.Next = &items[0]->entry;
    PSLIST_ENTRY previous = InterlockedPushListSListEx(head, &items[2]->entry, &items[0]->entry, 3);
    CHECK(previous == &items[3]->entry);
    CHECK_EQ(QueryDepthSList(head), 4);
    CHECK(InterlockedPopEntrySList(head) == &items[2]->entry);
    CHECK(InterlockedPopEntrySList(head) == &items[1]->entry);
    CHECK(InterlockedPopEntrySList(head) == &items[0]->entry);
    CHECK(InterlockedPopEntrySList(head) == &items[3]->entry);
    CHECK(InterlockedPopEntrySList(head) == NULL);
    CHECK_EQ(QueryDepthSList(head), 0);

    for (int i = 0; i < 10; ++i) _aligned_free(items[i]);
    _aligned_free(head);
}

/* A pool of buffers shared by threads that take one, own it alone, and give it back:
 * an entry is never handed to two threads at once, none is lost or duplicated. */
#define POOL 8
#define WORKERS 4
#define ROUNDS 1000000
static SLIST_HEADER pool;
static HANDLE start_gate;
static volatile LONG doubly_owned, uses_made;

static unsigned __stdcall pool_worker(void *arg)
{
    LONG me = (LONG)(intptr_t)arg;
    WaitForSingleObject(start_gate, 10000);
    for (int i = 0; i < ROUNDS; ++i) {
        item *it = (item *)InterlockedPopEntrySList(&pool);
        if (it == NULL) continue; /* all 8 taken by the others */
        if (InterlockedCompareExchange(&it->owner, me, 0) != 0) InterlockedIncrement(&doubly_owned);
        it->signature++;
        InterlockedIncrement(&uses_made);
        InterlockedExchange(&it->owner, 0);
        InterlockedPushEntrySList(&pool, &it->entry);
    }
    return 0;
}

static void shared_pool(void)
{
    static item items[POOL];
    InitializeSListHead(&pool);
    for (int i = 0; i < POOL; ++i) InterlockedPushEntrySList(&pool, &items[i].entry);
    CHECK_EQ(QueryDepthSList(&pool), POOL);

    start_gate = CreateEvent(NULL, TRUE, FALSE, NULL);
    HANDLE threads[WORKERS];
    for (int i = 0; i < WORKERS; ++i) {
        unsigned id = 0;
        threads[i] = (HANDLE)_beginthreadex(NULL, 0, pool_worker, (void *)(intptr_t)(i + 1), 0, &id);
        CHECK(threads[i] != NULL);
        CHECK(id != 0);
    }
    SetEvent(start_gate);
    CHECK_EQ(WaitForMultipleObjects(WORKERS, threads, TRUE, 60000), WAIT_OBJECT_0);
    CloseHandle(start_gate);
    for (int i = 0; i < WORKERS; ++i) CloseHandle(threads[i]);

    CHECK_EQ(doubly_owned, 0);
    CHECK(uses_made > 0);
    CHECK_EQ(QueryDepthSList(&pool), POOL);
    unsigned __int64 uses = 0;
    int seen[POOL] = {0}, count = 0;
    for (PSLIST_ENTRY e = InterlockedFlushSList(&pool); e != NULL && count <= POOL; e = e->Next, ++count) {
        ptrdiff_t index = (item *)e - items;
        CHECK(index >= 0 && index < POOL);
        if (index >= 0 && index < POOL) {
            CHECK_EQ(seen[index], 0);
            seen[index] = 1;
            uses += items[index].signature;
        }
    }
    CHECK_EQ(count, POOL);
    CHECK_EQ(uses, (unsigned __int64)uses_made);
}

int main(void)
{
    layout();
    aligned_allocations();
    one_thread();
    shared_pool();
    return tl_finish();
}
