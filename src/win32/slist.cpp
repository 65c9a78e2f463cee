// slist.cpp: interlocked singly linked lists (InitializeSListHead, InterlockedPushEntrySList,
// InterlockedPushListSListEx, InterlockedPopEntrySList, InterlockedFlushSList,
// QueryDepthSList, RtlFirstEntrySList): a lock-free stack in the caller's SLIST_HEADER, as Windows keeps it.
//
// The header is two 64-bit words changed together by one 16-byte compare-and-swap: the
// first holds Depth (low 16 bits) and Sequence (the 48 above), the second the first
// entry's address (Windows' NextEntry field is that address shifted right by 4). Every
// push adds one to Sequence, so a pop that read the first entry and its Next fails its
// swap if, meanwhile, that entry was popped and pushed back (the ABA case).
//
// An entry's Next is read and written with atomic accesses: a pop may read the Next of an
// entry that another thread has popped meanwhile and is pushing again (its swap then
// fails and it starts over). As on Windows, the entry must stay mapped while a pop may
// read it: Windows catches the fault of a pop that reads a freed and unmapped entry, we
// do not (docs/deviations.md).
#include <windows.h>

#include <cstdint>

namespace {

using u128 = unsigned __int128;

static_assert(sizeof(SLIST_HEADER) == 16 && alignof(SLIST_HEADER) == 16);
static_assert(sizeof(SLIST_ENTRY) == 16 && alignof(SLIST_ENTRY) == 16);
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "word 0 is the low half of the 16 bytes");

constexpr uint64_t kDepthMask = 0xffff;

struct Header {
    uint64_t counts;  // Depth | Sequence << 16
    uint64_t first;   // the first entry's address
};

// The two words, counts first: a pop that then finds the same counts in its swap knows
// no push came between its reads.
Header load(const SLIST_HEADER *h)
{
    auto *w = reinterpret_cast<const uint64_t *>(h);
    Header r;
    r.counts = __atomic_load_n(&w[0], __ATOMIC_ACQUIRE);
    r.first = __atomic_load_n(&w[1], __ATOMIC_ACQUIRE);
    return r;
}

u128 pack(Header v)
{
    return static_cast<u128>(v.counts) | (static_cast<u128>(v.first) << 64);
}

#if defined(__x86_64__)
// cmpxchg16b: in every x86-64 processor Linux runs on but the first Athlon 64s.
__attribute__((target("cx16")))
#endif
bool swap(SLIST_HEADER *h, Header expected, Header desired)
{
    auto *p = reinterpret_cast<u128 *>(h);
#if defined(__x86_64__)
    return __sync_bool_compare_and_swap(p, pack(expected), pack(desired));
#else
    u128 e = pack(expected);
    return __atomic_compare_exchange_n(p, &e, pack(desired), false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
#endif
}

uint64_t pushed(uint64_t counts, uint64_t n)
{
    // Depth wraps in its 16 bits as Windows' does; Sequence in its 48.
    return (((counts >> 16) + 1) << 16) | ((counts + n) & kDepthMask);
}

void set_next(PSLIST_ENTRY e, PSLIST_ENTRY next)
{
    __atomic_store_n(&e->Next, next, __ATOMIC_RELAXED);
}

PSLIST_ENTRY push_chain(PSLIST_HEADER head, PSLIST_ENTRY first, PSLIST_ENTRY last, uint64_t n)
{
    for (;;) {
        Header old = load(head);
        set_next(last, reinterpret_cast<PSLIST_ENTRY>(old.first));
        Header now{pushed(old.counts, n), reinterpret_cast<uint64_t>(first)};
        if (swap(head, old, now))
            return reinterpret_cast<PSLIST_ENTRY>(old.first);
    }
}

}  // namespace

extern "C" {

void WINAPI InitializeSListHead(PSLIST_HEADER ListHead)
{
    auto *w = reinterpret_cast<uint64_t *>(ListHead);
    __atomic_store_n(&w[0], 0, __ATOMIC_RELAXED);
    __atomic_store_n(&w[1], 0, __ATOMIC_RELEASE);
}

PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    return push_chain(ListHead, ListEntry, ListEntry, 1);
}

PSLIST_ENTRY WINAPI InterlockedPushListSListEx(PSLIST_HEADER ListHead, PSLIST_ENTRY List,
                                               PSLIST_ENTRY ListEnd, ULONG Count)
{
    return push_chain(ListHead, List, ListEnd, Count);
}

PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    for (;;) {
        Header old = load(ListHead);
        auto *top = reinterpret_cast<PSLIST_ENTRY>(old.first);
        if (!top)
            return nullptr;
        PSLIST_ENTRY next = __atomic_load_n(&top->Next, __ATOMIC_RELAXED);
        Header now{(old.counts & ~kDepthMask) | ((old.counts - 1) & kDepthMask),
                   reinterpret_cast<uint64_t>(next)};
        if (swap(ListHead, old, now))
            return top;
    }
}

PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    for (;;) {
        Header old = load(ListHead);
        if (!old.first)
            return nullptr;
        Header now{old.counts & ~kDepthMask, 0};
        if (swap(ListHead, old, now))
            return reinterpret_cast<PSLIST_ENTRY>(old.first);
    }
}

USHORT WINAPI QueryDepthSList(PSLIST_HEADER ListHead)
{
    return static_cast<USHORT>(load(ListHead).counts & kDepthMask);
}

PSLIST_ENTRY WINAPI RtlFirstEntrySList(const SLIST_HEADER *ListHead)
{
    return reinterpret_cast<PSLIST_ENTRY>(load(ListHead).first);
}

}  // extern "C"
