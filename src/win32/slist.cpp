// slist.cpp: interlocked singly linked lists (InitializeSListHead, InterlockedPushEntrySList
// & co.) in Windows' 64-bit SLIST_HEADER: the first word holds Depth (16 bits) and a
// Sequence (48 bits) that every change advances, the second the first entry's address
// (NextEntry, the address >> 4 above 4 reserved bits: the address itself, entries being
// 16-byte aligned). Both words change together, so a pop that read the first entry and
// its Next before another thread popped and pushed that entry back fails its exchange and
// tries again (the ABA case). A popping thread reads the first entry's Next while another
// may pop and free it; as on Windows, a program frees entries only to memory that stays
// readable (a heap), never unmaps them while the list is in use.
#include <windows.h>

#include <cstdint>
#include <mutex>

namespace {

struct HeaderWords {
    uint64_t head;   // Depth:16 | Sequence:48
    uint64_t entry;  // the first entry (Reserved:4 | NextEntry:60)
};
static_assert(sizeof(SLIST_HEADER) == 16 && alignof(SLIST_HEADER) == 16);
static_assert(sizeof(SLIST_ENTRY) == 16 && alignof(SLIST_ENTRY) == 16);

inline uint64_t depth_of(uint64_t head) { return head & 0xffff; }
inline uint64_t next_head(uint64_t head, uint64_t depth)
{
    return ((head >> 16) + 1) << 16 | (depth & 0xffff);
}
inline PSLIST_ENTRY entry_of(uint64_t entry) { return reinterpret_cast<PSLIST_ENTRY>(entry & ~uint64_t{0xf}); }

inline HeaderWords load(PSLIST_HEADER list)
{
    volatile uint64_t* words = reinterpret_cast<volatile uint64_t*>(list);
    // A torn pair only makes the exchange below fail and the caller read again.
    return HeaderWords{words[0], words[1]};
}

#if defined(__x86_64__)
// Both words at once (every x86-64 CPU Windows 8.1 and later runs on has CMPXCHG16B);
// on failure `expected` receives the words found.
inline bool exchange(PSLIST_HEADER list, HeaderWords& expected, HeaderWords desired)
{
    bool done;
    __asm__ __volatile__("lock cmpxchg16b %1"
                         : "=@ccz"(done), "+m"(*reinterpret_cast<volatile unsigned __int128*>(list)),
                           "+a"(expected.head), "+d"(expected.entry)
                         : "b"(desired.head), "c"(desired.entry)
                         : "memory");
    return done;
}
#else
// Elsewhere the pair is exchanged under one of a few locks chosen by the header's
// address: every change to a list goes through these functions.
std::mutex stripes[64];
inline bool exchange(PSLIST_HEADER list, HeaderWords& expected, HeaderWords desired)
{
    std::lock_guard<std::mutex> hold(stripes[(reinterpret_cast<uintptr_t>(list) >> 4) % 64]);
    volatile uint64_t* words = reinterpret_cast<volatile uint64_t*>(list);
    if (words[0] != expected.head || words[1] != expected.entry) {
        expected = HeaderWords{words[0], words[1]};
        return false;
    }
    words[0] = desired.head;
    words[1] = desired.entry;
    return true;
}
#endif

}  // namespace

void WINAPI InitializeSListHead(PSLIST_HEADER ListHead)
{
    volatile uint64_t* words = reinterpret_cast<volatile uint64_t*>(ListHead);
    words[0] = 0;
    words[1] = 0;
}

PSLIST_ENTRY WINAPI InterlockedPushListSListEx(PSLIST_HEADER ListHead, PSLIST_ENTRY List, PSLIST_ENTRY ListEnd,
                                               ULONG Count)
{
    HeaderWords seen = load(ListHead);
    for (;;) {
        ListEnd->Next = entry_of(seen.entry);
        HeaderWords next{next_head(seen.head, depth_of(seen.head) + Count), reinterpret_cast<uint64_t>(List)};
        if (exchange(ListHead, seen, next)) return entry_of(seen.entry);
    }
}

PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    return InterlockedPushListSListEx(ListHead, ListEntry, ListEntry, 1);
}

PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    HeaderWords seen = load(ListHead);
    for (;;) {
        PSLIST_ENTRY first = entry_of(seen.entry);
        if (first == nullptr) return nullptr;
        HeaderWords next{next_head(seen.head, depth_of(seen.head) - 1),
                         reinterpret_cast<uint64_t>(*static_cast<PSLIST_ENTRY volatile*>(&first->Next))};
        if (exchange(ListHead, seen, next)) return first;
    }
}

PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    HeaderWords seen = load(ListHead);
    for (;;) {
        PSLIST_ENTRY first = entry_of(seen.entry);
        if (first == nullptr) return nullptr;
        if (exchange(ListHead, seen, HeaderWords{next_head(seen.head, 0), 0})) return first;
    }
}

USHORT WINAPI QueryDepthSList(PSLIST_HEADER ListHead)
{
    return static_cast<USHORT>(depth_of(load(ListHead).head));
}

PSLIST_ENTRY WINAPI RtlFirstEntrySList(const SLIST_HEADER* ListHead)
{
    return entry_of(load(const_cast<PSLIST_HEADER>(ListHead)).entry);
}
