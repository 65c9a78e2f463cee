// heaps.cpp: the process heap on malloc, private heaps (HeapCreate) that know their blocks,
// and the Global/Local memory family with moveable blocks behind handles.
#include <windows.h>

#include <condition_variable>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <map>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "win32/entry.h"

using overlapped::win32::set_last_error;

namespace {

// ---- The process heap ----------------------------------------------------------------------
//
// The process heap is malloc, so that its blocks mix with the C library's as they do with
// the UCRT on Windows. GetProcessHeap returns a fixed pseudo handle.
//
// HeapSize reports malloc_usable_size, which can exceed the size asked for. To keep
// HEAP_ZERO_MEMORY on HeapReAlloc exact anyway, every block's slack (the bytes between the
// size asked for and the usable size) is kept zero: then "grown bytes are zero" only needs
// the bytes beyond the old usable size zeroed.

const HANDLE kProcessHeap = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(0x10000));

void zero_slack(void* p, size_t asked)
{
    size_t usable = malloc_usable_size(p);
    if (usable > asked) std::memset(static_cast<char*>(p) + asked, 0, usable - asked);
}

// A block's memory from the C library, size 0 still a unique, freeable pointer; NULL for a
// size no address space holds (beyond 2^47 bytes, a user address space's size), which the
// C library might not refuse itself (a sanitizer's allocator ends the process instead).
constexpr size_t kLargestBlock = size_t{1} << 47;

void* block_alloc(DWORD flags, size_t bytes)
{
    if (bytes > kLargestBlock) return nullptr;
    return (flags & HEAP_ZERO_MEMORY) ? std::calloc(1, bytes ? bytes : 1) : std::malloc(bytes ? bytes : 1);
}

void* block_realloc(void* mem, size_t bytes)
{
    if (bytes > kLargestBlock) return nullptr;
    return std::realloc(mem, bytes ? bytes : 1);  // realloc(p, 0) would free the block
}

// HEAP_GENERATE_EXCEPTIONS: Windows raises STATUS_NO_MEMORY where the call would fail. There
// is no structured exception handling to catch it (docs/porting.md), and an exception nobody
// catches ends the process, so the process ends here, with a message saying why.
[[noreturn]] void raise_no_memory(const char* function, SIZE_T bytes)
{
    std::fprintf(stderr, "%s: %zu bytes not available in a heap with HEAP_GENERATE_EXCEPTIONS: STATUS_NO_MEMORY\n",
                 function, static_cast<size_t>(bytes));
    std::abort();
}

// The process heap's blocks: malloc/calloc; size 0 still yields a unique, freeable pointer.
void* heap_alloc(DWORD flags, SIZE_T bytes)
{
    void* p = block_alloc(flags, bytes);
    if (!p) {
        if (flags & HEAP_GENERATE_EXCEPTIONS) raise_no_memory("HeapAlloc", bytes);
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    zero_slack(p, bytes);
    return p;
}

void* heap_realloc(DWORD flags, void* mem, SIZE_T bytes)
{
    size_t old_usable = malloc_usable_size(mem);
    if (flags & HEAP_REALLOC_IN_PLACE_ONLY) {
        if (bytes > old_usable) {
            if (flags & HEAP_GENERATE_EXCEPTIONS) raise_no_memory("HeapReAlloc", bytes);
            set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return nullptr;
        }
        zero_slack(mem, bytes);  // shrinking: the freed tail becomes slack, kept zero
        return mem;
    }
    void* p = block_realloc(mem, bytes);
    if (!p) {
        if (flags & HEAP_GENERATE_EXCEPTIONS) raise_no_memory("HeapReAlloc", bytes);
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    // Bytes up to old_usable were copied (the old slack was zero); the rest is new.
    if ((flags & HEAP_ZERO_MEMORY) && bytes > old_usable)
        std::memset(static_cast<char*>(p) + old_usable, 0, bytes - old_usable);
    zero_slack(p, bytes);
    return p;
}

// Whether `p` can be read: what Windows finds by catching the access violation of reading
// a bad pointer. One process_vm_readv of a byte from this process (EFAULT for a hole and
// for a page without access, as a sanitizer's reserved shadow gap is); where that call is
// not allowed, whether the page is mapped at all (mincore).
bool address_readable(const void* p)
{
    char byte;
    iovec local{&byte, 1};
    iovec remote{const_cast<void*>(p), 1};
    ssize_t read = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (read == 1) return true;
    if (read < 0 && errno == EFAULT) return false;
    const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    unsigned char residency;
    void* start = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(p) & ~(page - 1));
    return mincore(start, 1, &residency) == 0;
}

// ---- Heap locks ----------------------------------------------------------------------------
//
// HeapLock's lock: held by one thread, any number of times, across calls (so not a
// std::recursive_mutex, whose unlock by another thread is undefined: here it fails).

class HeapLockState {
public:
    // Waits until no other thread holds the lock; `guard` holds `mutex`.
    void wait_free(std::unique_lock<std::mutex>& guard)
    {
        const pthread_t self = pthread_self();
        cond_.wait(guard, [&] { return depth_ == 0 || pthread_equal(owner_, self); });
    }
    void acquire(std::unique_lock<std::mutex>& guard)
    {
        wait_free(guard);
        owner_ = pthread_self();
        ++depth_;
    }
    bool release()
    {
        if (depth_ == 0 || !pthread_equal(owner_, pthread_self())) return false;
        if (--depth_ == 0) cond_.notify_all();
        return true;
    }

private:
    std::condition_variable cond_;
    pthread_t owner_{};
    unsigned depth_ = 0;
};

// The process heap's HeapLock: excludes other HeapLock callers; malloc is not stopped by it.
std::mutex process_heap_mutex;
HeapLockState process_heap_lock;

// ---- Private heaps -------------------------------------------------------------------------
//
// A heap from HeapCreate holds its blocks (malloc'd, with their exact requested sizes) in an
// address-ordered map, which makes HeapSize exact, lets HeapFree/HeapValidate tell a block
// of this heap from anything else without touching it, lets HeapWalk go through the blocks
// and HeapDestroy free them all. `mutex` guards the map; a call without HEAP_NO_SERIALIZE
// (its own or the heap's) also waits while another thread holds HeapLock.

constexpr size_t kFixedHeapHeader = 0x800;   // a fixed heap's own bookkeeping, in its maximum
constexpr size_t kBlockOverhead = 16;        // what each block costs a fixed heap beyond its size

struct PrivateHeap {
    DWORD flags = 0;      // HeapCreate's HEAP_NO_SERIALIZE, HEAP_GENERATE_EXCEPTIONS
    size_t capacity = 0;  // 0: growable; else the bytes its blocks may take
    size_t used = 0;      // the bytes charged to its blocks (their sizes and overhead)
    ULONG compatibility = 0;  // HeapCompatibilityInformation: 0, then 2 (see note_size)
    size_t run_size = 0;      // the size of the latest allocations, run_length of them in a row
    unsigned run_length = 0;
    std::mutex mutex;
    HeapLockState lock;
    std::map<char*, size_t> blocks;  // block -> requested size
};

size_t block_charge(size_t bytes) { return ((bytes + 15) & ~size_t{15}) + kBlockOverhead; }

// A new heap is a standard one (HeapCompatibilityInformation 0); Windows turns on the
// low-fragmentation heap once a size has been allocated 0x12 times (Wine's kernel32 heap
// test, test_HeapCreate: 0x12 allocations of one size), here 0x12 in a row.
void note_size(PrivateHeap* heap, size_t bytes)
{
    if (heap->compatibility == 2) return;
    if (heap->run_length != 0 && heap->run_size == bytes) {
        if (++heap->run_length >= 0x12) heap->compatibility = 2;
    } else {
        heap->run_size = bytes;
        heap->run_length = 1;
    }
}

// The private heaps, oldest first (GetProcessHeaps' order), and the same as a set for the
// lookup every call on a private heap makes.
std::shared_mutex heaps_mutex;
std::vector<PrivateHeap*> heaps;
std::unordered_set<const void*> heap_set;

PrivateHeap* find_heap(HANDLE handle)
{
    std::shared_lock<std::shared_mutex> guard(heaps_mutex);
    return heap_set.count(handle) ? static_cast<PrivateHeap*>(handle) : nullptr;
}

// Holds a private heap's mutex for one call, having waited out another thread's HeapLock
// unless the call or the heap is HEAP_NO_SERIALIZE.
class HeapCall {
public:
    HeapCall(PrivateHeap* heap, DWORD flags) : guard_(heap->mutex)
    {
        if (!((flags | heap->flags) & HEAP_NO_SERIALIZE)) heap->lock.wait_free(guard_);
    }

private:
    std::unique_lock<std::mutex> guard_;
};

// How a call reports a pointer that is no block of the heap: ERROR_NOACCESS when nothing can
// be read there (Windows' access violation, caught), else ERROR_INVALID_PARAMETER.
void set_not_a_block(const void* p) { set_last_error(address_readable(p) ? ERROR_INVALID_PARAMETER : ERROR_NOACCESS); }

void* private_alloc(PrivateHeap* heap, DWORD flags, SIZE_T bytes)
{
    flags |= heap->flags;
    HeapCall call(heap, flags);
    void* p = nullptr;
    bool fits = heap->capacity == 0 ||
                (bytes <= heap->capacity && heap->used + block_charge(bytes) <= heap->capacity);
    if (fits) p = block_alloc(flags, bytes);
    if (p) {
        try {
            heap->blocks.emplace(static_cast<char*>(p), bytes);
        } catch (...) {
            std::free(p);
            p = nullptr;
        }
    }
    if (!p) {
        if (flags & HEAP_GENERATE_EXCEPTIONS) raise_no_memory("HeapAlloc", bytes);
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    if (heap->capacity) heap->used += block_charge(bytes);
    note_size(heap, bytes);
    return p;
}

void* private_realloc(PrivateHeap* heap, DWORD flags, void* mem, SIZE_T bytes)
{
    flags |= heap->flags;
    HeapCall call(heap, flags);
    auto it = heap->blocks.find(static_cast<char*>(mem));
    if (it == heap->blocks.end()) {
        set_not_a_block(mem);
        return nullptr;
    }
    const size_t old_size = it->second;
    auto fail_no_memory = [&]() -> void* {
        if (flags & HEAP_GENERATE_EXCEPTIONS) raise_no_memory("HeapReAlloc", bytes);
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    };
    if (heap->capacity &&
        (bytes > heap->capacity || heap->used - block_charge(old_size) + block_charge(bytes) > heap->capacity))
        return fail_no_memory();
    char* p;
    if (flags & HEAP_REALLOC_IN_PLACE_ONLY) {
        if (bytes > malloc_usable_size(mem)) return fail_no_memory();
        p = static_cast<char*>(mem);
        it->second = bytes;
    } else {
        p = static_cast<char*>(block_realloc(mem, bytes));
        if (!p) return fail_no_memory();
        if (p != mem) {
            auto node = heap->blocks.extract(it);  // the same node, rekeyed: nothing allocated
            node.key() = p;
            node.mapped() = bytes;
            heap->blocks.insert(std::move(node));
        } else {
            it->second = bytes;
        }
    }
    if ((flags & HEAP_ZERO_MEMORY) && bytes > old_size) std::memset(p + old_size, 0, bytes - old_size);
    if (heap->capacity) heap->used = heap->used - block_charge(old_size) + block_charge(bytes);
    return p;
}

BOOL private_free(PrivateHeap* heap, DWORD flags, void* mem)
{
    HeapCall call(heap, flags | heap->flags);
    auto it = heap->blocks.find(static_cast<char*>(mem));
    if (it == heap->blocks.end()) {
        set_not_a_block(mem);
        return FALSE;
    }
    if (heap->capacity) heap->used -= block_charge(it->second);
    heap->blocks.erase(it);
    std::free(mem);
    return TRUE;
}

// ---- Global and Local memory ---------------------------------------------------------------
//
// GMEM_FIXED/LMEM_FIXED blocks are process heap blocks: the pointer is the handle. A moveable
// block's handle is the address of the pointer field of an entry in a table of 0x10000
// entries (as on Windows, where handles run out there; Global and Local share them): so
// `*(void**)handle` is the block, as programs written for Windows sometimes assume, and a
// handle is 8 modulo 16 while heap blocks are 16-aligned, which tells the two apart. A
// discarded block (size 0, or discarded) has a null pointer.

constexpr size_t kMemEntries = 0x10000;
constexpr uintptr_t kEntryUsed = 0x1, kEntryDiscardable = 0x2, kEntryDdeShare = 0x4;
constexpr unsigned kLockShift = 16, kMaxLocks = 0xff;

struct MemEntry {
    uintptr_t flags;  // kEntry* and the lock count << kLockShift; 0 when free
    void* ptr;        // the block (the handle points here), or null when discarded
    size_t size;      // the size asked for
    uintptr_t next_free;
};
static_assert(sizeof(MemEntry) == 32, "handles are 8 modulo 16");

std::mutex mem_mutex;  // the table, its entries and block_handles
MemEntry* mem_table;   // kMemEntries entries, reserved on first use
size_t mem_high_water;
std::vector<uint32_t> mem_free;
std::unordered_map<void*, MemEntry*> block_handles;  // a moveable block -> its entry

bool mem_table_ready()
{
    if (mem_table) return true;
    try {
        mem_free.reserve(kMemEntries);  // so that release_entry never allocates
    } catch (...) {
        return false;
    }
    void* table = mmap(nullptr, kMemEntries * sizeof(MemEntry), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (table == MAP_FAILED) return false;
    mem_table = static_cast<MemEntry*>(table);
    return true;
}

HGLOBAL handle_of(MemEntry* entry) { return &entry->ptr; }
unsigned lock_count(const MemEntry* entry) { return static_cast<unsigned>(entry->flags >> kLockShift) & kMaxLocks; }

enum class MemKind { null, moveable, bad_handle, pointer, bad_pointer };

// What a Global/Local handle is; `entry` set for a moveable one. Needs mem_mutex.
MemKind classify(const void* handle, MemEntry** entry)
{
    const uintptr_t value = reinterpret_cast<uintptr_t>(handle);
    if (value == 0) return MemKind::null;
    const uintptr_t base = reinterpret_cast<uintptr_t>(mem_table);
    if (mem_table && value >= base && value < base + kMemEntries * sizeof(MemEntry)) {
        if ((value - base) % sizeof(MemEntry) != offsetof(MemEntry, ptr)) return MemKind::bad_handle;
        MemEntry* found = &mem_table[(value - base) / sizeof(MemEntry)];
        if (!(found->flags & kEntryUsed)) return MemKind::bad_handle;
        *entry = found;
        return MemKind::moveable;
    }
    if ((value & 15) == 8) return MemKind::bad_handle;
    return address_readable(handle) ? MemKind::pointer : MemKind::bad_pointer;
}

MemEntry* new_entry()
{
    if (!mem_table_ready()) return nullptr;
    uint32_t index;
    if (!mem_free.empty()) {
        index = mem_free.back();
        mem_free.pop_back();
    } else if (mem_high_water < kMemEntries) {
        index = static_cast<uint32_t>(mem_high_water++);
    } else {
        return nullptr;
    }
    MemEntry* entry = &mem_table[index];
    *entry = MemEntry{kEntryUsed, nullptr, 0, 0};
    return entry;
}

void release_entry(MemEntry* entry)
{
    if (entry->ptr) block_handles.erase(entry->ptr);
    *entry = MemEntry{0, nullptr, 0, 0};
    mem_free.push_back(static_cast<uint32_t>(entry - mem_table));
}

// Sets a moveable entry's block, keeping block_handles in step (should that map fail to
// grow, the block is still the handle's; only GlobalHandle would not find it).
void set_block(MemEntry* entry, void* block, size_t size)
{
    if (entry->ptr) block_handles.erase(entry->ptr);
    entry->ptr = block;
    entry->size = block ? size : 0;
    if (!block) return;
    try {
        block_handles.emplace(block, entry);
    } catch (...) {
    }
}

HGLOBAL mem_alloc(UINT flags, SIZE_T bytes, bool global)
{
    const DWORD heap_flags = (flags & GMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0;
    if (!(flags & GMEM_MOVEABLE)) return heap_alloc(heap_flags, bytes);
    void* block = nullptr;
    if (bytes != 0 && !(block = heap_alloc(heap_flags, bytes))) return nullptr;
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = new_entry();
    if (!entry) {
        std::free(block);
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    set_block(entry, block, bytes);
    if (flags & GMEM_DISCARDABLE) entry->flags |= kEntryDiscardable;
    if (global && (flags & GMEM_DDESHARE)) entry->flags |= kEntryDdeShare;
    return handle_of(entry);
}

LPVOID mem_lock(HGLOBAL handle, bool global)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(handle, &entry)) {
    case MemKind::moveable:
        if (!entry->ptr) return overlapped::win32::fail(ERROR_DISCARDED, static_cast<LPVOID>(nullptr));
        if (lock_count(entry) < kMaxLocks) entry->flags += uintptr_t{1} << kLockShift;
        return entry->ptr;
    case MemKind::pointer:
        return handle;
    case MemKind::bad_pointer:
        if (global) set_last_error(ERROR_INVALID_HANDLE);
        return nullptr;
    case MemKind::null:
    case MemKind::bad_handle:
        break;
    }
    return overlapped::win32::fail(ERROR_INVALID_HANDLE, static_cast<LPVOID>(nullptr));
}

BOOL mem_unlock(HGLOBAL handle, bool global)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(handle, &entry)) {
    case MemKind::moveable:
        if (lock_count(entry) == 0) return overlapped::win32::fail(ERROR_NOT_LOCKED, FALSE);
        entry->flags -= uintptr_t{1} << kLockShift;
        if (lock_count(entry) == 0) return overlapped::win32::fail(NO_ERROR, FALSE);
        return TRUE;
    case MemKind::pointer:
    case MemKind::bad_pointer:
        // A fixed block is never locked: GlobalUnlock says so with TRUE, LocalUnlock with
        // ERROR_NOT_LOCKED.
        if (global) return TRUE;
        return overlapped::win32::fail(ERROR_NOT_LOCKED, FALSE);
    case MemKind::null:
    case MemKind::bad_handle:
        break;
    }
    set_last_error(ERROR_INVALID_HANDLE);
    return global ? TRUE : FALSE;
}

UINT mem_flags(HGLOBAL handle, bool global)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(handle, &entry)) {
    case MemKind::moveable: {
        UINT flags = lock_count(entry);
        if (entry->flags & kEntryDiscardable) flags |= GMEM_DISCARDABLE;
        if (entry->flags & kEntryDdeShare) flags |= GMEM_DDESHARE;
        if (!entry->ptr) flags |= GMEM_DISCARDED;
        return flags;
    }
    case MemKind::pointer:
        return 0;
    case MemKind::bad_pointer:
        return overlapped::win32::fail(global ? ERROR_INVALID_HANDLE : ERROR_NOACCESS, UINT{GMEM_INVALID_HANDLE});
    case MemKind::null:
    case MemKind::bad_handle:
        break;
    }
    return overlapped::win32::fail(ERROR_INVALID_HANDLE, UINT{GMEM_INVALID_HANDLE});
}

SIZE_T mem_size(HGLOBAL handle)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(handle, &entry)) {
    case MemKind::moveable:
        return entry->size;
    case MemKind::pointer:
        return malloc_usable_size(handle);
    default:
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, SIZE_T{0});
    }
}

HGLOBAL mem_free_handle(HGLOBAL handle)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(handle, &entry)) {
    case MemKind::null:
        return nullptr;
    case MemKind::moveable: {
        void* block = entry->ptr;  // freed even when locked, as Windows does
        release_entry(entry);
        std::free(block);
        return nullptr;
    }
    case MemKind::pointer: {
        // A moveable block freed by its pointer leaves its handle discarded, not dangling.
        auto it = block_handles.find(handle);
        if (it != block_handles.end()) {
            it->second->flags &= ~(uintptr_t{kMaxLocks} << kLockShift);
            set_block(it->second, nullptr, 0);
        }
        std::free(handle);
        return nullptr;
    }
    case MemKind::bad_pointer:
        return overlapped::win32::fail(ERROR_NOACCESS, handle);
    case MemKind::bad_handle:
        break;
    }
    return overlapped::win32::fail(ERROR_INVALID_HANDLE, handle);
}

HGLOBAL mem_handle(LPCVOID mem)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    switch (classify(mem, &entry)) {
    case MemKind::moveable:
        return const_cast<LPVOID>(mem);
    case MemKind::pointer: {
        auto it = block_handles.find(const_cast<LPVOID>(mem));
        return it != block_handles.end() ? handle_of(it->second) : const_cast<LPVOID>(mem);
    }
    case MemKind::bad_pointer:
        return overlapped::win32::fail(ERROR_NOACCESS, static_cast<HGLOBAL>(nullptr));
    default:
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, static_cast<HGLOBAL>(nullptr));
    }
}

HGLOBAL mem_realloc(HGLOBAL handle, SIZE_T bytes, UINT flags, bool global)
{
    std::lock_guard<std::mutex> guard(mem_mutex);
    MemEntry* entry = nullptr;
    const DWORD zero = (flags & GMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0;
    switch (classify(handle, &entry)) {
    case MemKind::null:
    case MemKind::bad_handle:
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, static_cast<HGLOBAL>(nullptr));
    case MemKind::bad_pointer:
        return overlapped::win32::fail(ERROR_NOACCESS, static_cast<HGLOBAL>(nullptr));
    case MemKind::pointer:
        if (flags & GMEM_MODIFY) {
            // GlobalReAlloc makes a fixed block moveable (same block, a new handle);
            // LocalReAlloc leaves it fixed. The size is ignored.
            if (!global || !(flags & GMEM_MOVEABLE)) return handle;
            MemEntry* moved = new_entry();
            if (!moved) return overlapped::win32::fail(ERROR_NOT_ENOUGH_MEMORY, static_cast<HGLOBAL>(nullptr));
            set_block(moved, handle, malloc_usable_size(handle));
            return handle_of(moved);
        }
        if (flags & LMEM_DISCARDABLE)
            return overlapped::win32::fail(ERROR_INVALID_PARAMETER, static_cast<HGLOBAL>(nullptr));
        // A fixed block may move only when GMEM_MOVEABLE allows it.
        if (!(flags & GMEM_MOVEABLE))
            return overlapped::win32::fail(ERROR_NOT_ENOUGH_MEMORY, static_cast<HGLOBAL>(nullptr));
        {
            auto it = block_handles.find(handle);
            MemEntry* owner = it != block_handles.end() ? it->second : nullptr;
            void* block = heap_realloc(zero, handle, bytes);
            // A moveable block reallocated by its pointer: its handle follows it.
            if (block && owner) set_block(owner, block, bytes);
            return block;
        }
    case MemKind::moveable:
        break;
    }
    if (flags & GMEM_MODIFY) {
        if (flags & GMEM_DISCARDABLE) entry->flags |= kEntryDiscardable;
        return handle;
    }
    if (flags & LMEM_DISCARDABLE)
        return overlapped::win32::fail(ERROR_INVALID_PARAMETER, static_cast<HGLOBAL>(nullptr));
    if (bytes == 0) {
        // Discarding: with GMEM_MOVEABLE, and not while locked (Microsoft Learn,
        // GlobalReAlloc: otherwise "the function fails").
        if (!(flags & GMEM_MOVEABLE) || lock_count(entry) != 0)
            return overlapped::win32::fail(ERROR_INVALID_PARAMETER, static_cast<HGLOBAL>(nullptr));
        void* block = entry->ptr;
        set_block(entry, nullptr, 0);
        std::free(block);
        return handle;
    }
    void* block;
    if (!entry->ptr) {
        block = heap_alloc(zero, bytes);
    } else {
        // A locked block stays where it is unless GMEM_MOVEABLE lets it move.
        DWORD heap_flags = zero;
        if (lock_count(entry) != 0 && !(flags & GMEM_MOVEABLE)) heap_flags |= HEAP_REALLOC_IN_PLACE_ONLY;
        block = heap_realloc(heap_flags, entry->ptr, bytes);
    }
    if (!block) return nullptr;
    set_block(entry, block, bytes);
    return handle;
}

}  // namespace

// ---- The heap functions ------------------------------------------------------------------------

// A fixed pseudo handle (0x10000) standing for the malloc heap; never closed.
HANDLE WINAPI GetProcessHeap(void)
{
    return kProcessHeap;
}

// A private heap (a 64 KiB-aligned handle, as Windows' heaps are): growable when
// dwMaximumSize is 0, else its blocks may take dwMaximumSize (or dwInitialSize if larger),
// rounded up to pages, less a 2 KiB header, each block its size rounded up to 16 and 16
// bytes more. HEAP_NO_SERIALIZE and HEAP_GENERATE_EXCEPTIONS apply to every call on it.
HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize)
{
    void* memory = nullptr;
    if (posix_memalign(&memory, 0x10000, sizeof(PrivateHeap)) != 0)
        return overlapped::win32::fail(ERROR_NOT_ENOUGH_MEMORY, static_cast<HANDLE>(nullptr));
    PrivateHeap* heap = new (memory) PrivateHeap;
    heap->flags = flOptions & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS);
    if (dwMaximumSize != 0) {
        const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        size_t maximum = dwMaximumSize > dwInitialSize ? dwMaximumSize : dwInitialSize;
        maximum = (maximum + page - 1) & ~(page - 1);
        heap->capacity = maximum > kFixedHeapHeader ? maximum - kFixedHeapHeader : 1;
    }
    try {
        std::unique_lock<std::shared_mutex> guard(heaps_mutex);
        heaps.push_back(heap);
        try {
            heap_set.insert(heap);
        } catch (...) {
            heaps.pop_back();
            throw;
        }
    } catch (...) {
        heap->~PrivateHeap();
        std::free(memory);
        return overlapped::win32::fail(ERROR_NOT_ENOUGH_MEMORY, static_cast<HANDLE>(nullptr));
    }
    return heap;
}

// Frees every block of a private heap and the heap. The process heap, or a handle that is
// no heap: FALSE, ERROR_INVALID_HANDLE.
BOOL WINAPI HeapDestroy(HANDLE hHeap)
{
    PrivateHeap* heap = nullptr;
    {
        std::unique_lock<std::shared_mutex> guard(heaps_mutex);
        for (auto it = heaps.begin(); it != heaps.end(); ++it) {
            if (*it == hHeap) {
                heap = *it;
                heaps.erase(it);
                heap_set.erase(heap);
                break;
            }
        }
    }
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    for (auto& block : heap->blocks) std::free(block.first);
    heap->~PrivateHeap();
    std::free(heap);
    return TRUE;
}

// The process heap first, then the private heaps oldest first; the count is returned, and
// the handles stored only when the buffer holds them all.
DWORD WINAPI GetProcessHeaps(DWORD NumberOfHeaps, PHANDLE ProcessHeaps)
{
    std::shared_lock<std::shared_mutex> guard(heaps_mutex);
    const DWORD count = static_cast<DWORD>(heaps.size() + 1);
    if (count <= NumberOfHeaps && ProcessHeaps != nullptr) {
        ProcessHeaps[0] = kProcessHeap;
        for (size_t i = 0; i < heaps.size(); ++i) ProcessHeaps[i + 1] = heaps[i];
    }
    return count;
}

// The process heap: malloc/calloc; a private heap: a block of exactly dwBytes. NULL with
// ERROR_NOT_ENOUGH_MEMORY on failure (HEAP_GENERATE_EXCEPTIONS: the process ends, see
// raise_no_memory); a handle that is no heap: ERROR_INVALID_HANDLE.
LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    if (hHeap == kProcessHeap) return heap_alloc(dwFlags, dwBytes);
    PrivateHeap* heap = find_heap(hHeap);
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, static_cast<LPVOID>(nullptr));
    return private_alloc(heap, dwFlags, dwBytes);
}

// realloc. HEAP_ZERO_MEMORY zeroes the grown part; HEAP_REALLOC_IN_PLACE_ONLY succeeds only
// when the block's usable size already covers dwBytes (else NULL, ERROR_NOT_ENOUGH_MEMORY,
// block untouched). lpMem NULL: NULL, the last error ERROR_SUCCESS, as Windows answers (it does
// not allocate). A private heap's block must be one of its own (else NULL,
// ERROR_INVALID_PARAMETER, or ERROR_NOACCESS where nothing is mapped).
LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    PrivateHeap* heap = nullptr;
    if (hHeap != kProcessHeap && !(heap = find_heap(hHeap)))
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, static_cast<LPVOID>(nullptr));
    if (!lpMem) return overlapped::win32::fail(ERROR_SUCCESS, static_cast<LPVOID>(nullptr));
    if (heap) return private_realloc(heap, dwFlags, lpMem, dwBytes);
    return heap_realloc(dwFlags, lpMem, dwBytes);
}

// free; a NULL lpMem succeeds, as on Windows. A private heap frees only its own blocks
// (else FALSE, ERROR_INVALID_PARAMETER, or ERROR_NOACCESS where nothing is mapped).
BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    if (hHeap == kProcessHeap) {
        std::free(lpMem);
        return TRUE;
    }
    PrivateHeap* heap = find_heap(hHeap);
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    if (!lpMem) return TRUE;
    return private_free(heap, dwFlags, lpMem);
}

// The process heap: the block's usable size (malloc_usable_size), which may exceed the size
// requested; a private heap: the size requested. (SIZE_T)-1 for NULL or no block of the heap.
SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    constexpr SIZE_T kFailed = static_cast<SIZE_T>(-1);
    PrivateHeap* heap = nullptr;
    if (hHeap != kProcessHeap && !(heap = find_heap(hHeap)))
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, kFailed);
    if (!lpMem) return overlapped::win32::fail(ERROR_INVALID_PARAMETER, kFailed);
    if (!heap) return malloc_usable_size(const_cast<void*>(lpMem));
    HeapCall call(heap, dwFlags | heap->flags);
    auto it = heap->blocks.find(static_cast<char*>(const_cast<void*>(lpMem)));
    if (it == heap->blocks.end()) {
        set_not_a_block(lpMem);
        return kFailed;
    }
    return it->second;
}

// lpMem NULL: the heap (TRUE). A block of a private heap: TRUE; anything else FALSE, with
// ERROR_NOACCESS where nothing is mapped, else the last error untouched (as Windows). The
// process heap cannot tell its blocks from other memory: FALSE for a moveable handle's entry,
// an unaligned or unmapped pointer, else TRUE.
BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    PrivateHeap* heap = nullptr;
    if (hHeap != kProcessHeap && !(heap = find_heap(hHeap)))
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    if (!lpMem) return TRUE;
    if (!address_readable(lpMem)) return overlapped::win32::fail(ERROR_NOACCESS, FALSE);
    if (!heap) {
        if (reinterpret_cast<uintptr_t>(lpMem) & 15) return FALSE;
        std::lock_guard<std::mutex> guard(mem_mutex);
        const uintptr_t value = reinterpret_cast<uintptr_t>(lpMem);
        const uintptr_t base = reinterpret_cast<uintptr_t>(mem_table);
        return !(mem_table && value >= base && value < base + kMemEntries * sizeof(MemEntry));
    }
    HeapCall call(heap, dwFlags | heap->flags);
    return heap->blocks.count(static_cast<char*>(const_cast<void*>(lpMem))) != 0;
}

// HeapLock: a lock one thread holds, recursively, until as many HeapUnlock calls. On a
// private heap it holds off the other threads' calls without HEAP_NO_SERIALIZE; a heap
// created with HEAP_NO_SERIALIZE has no lock (both succeed at once, as on Windows). The
// process heap's lock only excludes other HeapLock callers: malloc does not wait for it. HeapUnlock by a thread that does not hold it: FALSE, ERROR_NOT_OWNER.
BOOL WINAPI HeapLock(HANDLE hHeap)
{
    if (hHeap == kProcessHeap) {
        std::unique_lock<std::mutex> guard(process_heap_mutex);
        process_heap_lock.acquire(guard);
        return TRUE;
    }
    PrivateHeap* heap = find_heap(hHeap);
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    if (heap->flags & HEAP_NO_SERIALIZE) return TRUE;
    std::unique_lock<std::mutex> guard(heap->mutex);
    heap->lock.acquire(guard);
    return TRUE;
}

BOOL WINAPI HeapUnlock(HANDLE hHeap)
{
    if (hHeap == kProcessHeap) {
        std::lock_guard<std::mutex> guard(process_heap_mutex);
        return process_heap_lock.release() ? TRUE : overlapped::win32::fail(ERROR_NOT_OWNER, FALSE);
    }
    PrivateHeap* heap = find_heap(hHeap);
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    if (heap->flags & HEAP_NO_SERIALIZE) return TRUE;
    std::lock_guard<std::mutex> guard(heap->mutex);
    return heap->lock.release() ? TRUE : overlapped::win32::fail(ERROR_NOT_OWNER, FALSE);
}

// A private heap's walk: first a PROCESS_HEAP_REGION entry for the heap itself (lpData the
// heap, Region.dwCommittedSize the bytes of its blocks, dwUnCommittedSize what a fixed heap
// has left, lpFirstBlock/lpLastBlock the lowest block and the end of the highest), then each
// block in address order (PROCESS_HEAP_ENTRY_BUSY, cbData its size, cbOverhead the rest of
// its malloc chunk), then FALSE with ERROR_NO_MORE_ITEMS. Free space is malloc's, not the
// heap's: no free or uncommitted entries. The process heap (malloc) cannot be walked:
// ERROR_CALL_NOT_IMPLEMENTED.
BOOL WINAPI HeapWalk(HANDLE hHeap, LPPROCESS_HEAP_ENTRY lpEntry)
{
    if (hHeap == kProcessHeap) return overlapped::win32::fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    PrivateHeap* heap = find_heap(hHeap);
    if (!heap) return overlapped::win32::fail(ERROR_INVALID_HANDLE, FALSE);
    if (!lpEntry) return overlapped::win32::fail(ERROR_NOACCESS, FALSE);
    HeapCall call(heap, heap->flags);
    std::map<char*, size_t>::iterator next;
    if (lpEntry->lpData == nullptr) {
        PROCESS_HEAP_ENTRY region{};
        region.lpData = heap;
        region.cbData = sizeof(PrivateHeap);
        region.wFlags = PROCESS_HEAP_REGION;
        size_t committed = 0;
        for (auto& block : heap->blocks) committed += block.second;
        region.Region.dwCommittedSize = static_cast<DWORD>(committed);
        region.Region.dwUnCommittedSize = heap->capacity ? static_cast<DWORD>(heap->capacity - heap->used) : 0;
        if (!heap->blocks.empty()) {
            region.Region.lpFirstBlock = heap->blocks.begin()->first;
            region.Region.lpLastBlock = heap->blocks.rbegin()->first + heap->blocks.rbegin()->second;
        }
        *lpEntry = region;
        return TRUE;
    }
    if (lpEntry->lpData == heap)
        next = heap->blocks.begin();
    else
        next = heap->blocks.upper_bound(static_cast<char*>(lpEntry->lpData));
    if (next == heap->blocks.end()) return overlapped::win32::fail(ERROR_NO_MORE_ITEMS, FALSE);
    PROCESS_HEAP_ENTRY entry{};
    entry.lpData = next->first;
    entry.cbData = static_cast<DWORD>(next->second);
    const size_t chunk = malloc_usable_size(next->first) + sizeof(size_t);
    entry.cbOverhead = static_cast<BYTE>(chunk - next->second > 0xff ? 0xff : chunk - next->second);
    entry.wFlags = PROCESS_HEAP_ENTRY_BUSY;
    *lpEntry = entry;
    return TRUE;
}

// The largest block the heap can still give. A fixed private heap: what is left of its
// maximum. Otherwise free memory goes back to the system (malloc_trim) and the answer is
// malloc's free bytes; 0 with NO_ERROR when there are none.
SIZE_T WINAPI HeapCompact(HANDLE hHeap, DWORD dwFlags)
{
    PrivateHeap* heap = nullptr;
    if (hHeap != kProcessHeap && !(heap = find_heap(hHeap)))
        return overlapped::win32::fail(ERROR_INVALID_HANDLE, SIZE_T{0});
    SIZE_T largest;
    if (heap && heap->capacity) {
        HeapCall call(heap, dwFlags | heap->flags);
        largest = heap->used + kBlockOverhead < heap->capacity ? heap->capacity - heap->used - kBlockOverhead : 0;
    } else {
        malloc_trim(0);
        largest = mallinfo2().fordblks;
    }
    if (largest == 0) set_last_error(NO_ERROR);
    return largest;
}

// HeapEnableTerminationOnCorruption (any heap, NULL too): the C library's allocator
// already ends the process when it finds its structures corrupted. HeapCompatibilityInformation:
// 2, the low-fragmentation heap, is what the process heap already is (malloc's per-size bins
// and thread caches), so enabling it succeeds and going back (0, 1) fails with
// ERROR_GEN_FAILURE, as on Windows once the low-fragmentation heap is on (Wine's kernel32
// heap test, test_HeapCreate); a private heap starts at 0 (0 again succeeds) and keeps 2
// once set (by this call or note_size); the value is a ULONG (a shorter buffer:
// ERROR_INSUFFICIENT_BUFFER). HeapOptimizeResources: a HEAP_OPTIMIZE_RESOURCES_INFORMATION
// of version 1 (else ERROR_INVALID_PARAMETER); free memory goes back to the system
// (malloc_trim). Other classes: ERROR_INVALID_PARAMETER.
BOOL WINAPI HeapSetInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass, PVOID HeapInformation,
                               SIZE_T HeapInformationLength)
{
    switch (HeapInformationClass) {
    case HeapEnableTerminationOnCorruption:
        return TRUE;
    case HeapCompatibilityInformation: {
        if (HeapInformation == nullptr || HeapInformationLength < sizeof(ULONG)) {
            set_last_error(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        ULONG value;
        std::memcpy(&value, HeapInformation, sizeof value);
        PrivateHeap* heap = HeapHandle != kProcessHeap ? find_heap(HeapHandle) : nullptr;
        if (heap) {
            HeapCall call(heap, heap->flags);
            if (value == 2 || value == heap->compatibility) {
                heap->compatibility = value;
                return TRUE;
            }
        } else if (value == 2) {
            return TRUE;
        }
        set_last_error(ERROR_GEN_FAILURE);
        return FALSE;
    }
    case HeapOptimizeResources: {
        HEAP_OPTIMIZE_RESOURCES_INFORMATION info;
        if (HeapInformation == nullptr || HeapInformationLength != sizeof info) {
            set_last_error(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        std::memcpy(&info, HeapInformation, sizeof info);
        if (info.Version != HEAP_OPTIMIZE_RESOURCES_CURRENT_VERSION) {
            set_last_error(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        malloc_trim(0);
        return TRUE;
    }
    default:
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
}

// HeapCompatibilityInformation only: 2 (the low-fragmentation heap, see above; a private
// heap's own value) as a ULONG;
// the size needed in *ReturnLength when given; a buffer shorter than a ULONG is
// ERROR_INSUFFICIENT_BUFFER, a NULL heap ERROR_NOACCESS (Wine's kernel32 heap test,
// test_HeapCreate, passing on Windows). Other classes: ERROR_INVALID_PARAMETER.
BOOL WINAPI HeapQueryInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                 PVOID HeapInformation, SIZE_T HeapInformationLength, PSIZE_T ReturnLength)
{
    if (HeapInformationClass != HeapCompatibilityInformation) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (HeapHandle == nullptr) {
        set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    if (ReturnLength != nullptr) *ReturnLength = sizeof(ULONG);
    if (HeapInformation == nullptr || HeapInformationLength < sizeof(ULONG)) {
        set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    ULONG value = 2;
    if (PrivateHeap* heap = HeapHandle != kProcessHeap ? find_heap(HeapHandle) : nullptr) {
        HeapCall call(heap, heap->flags);
        value = heap->compatibility;
    }
    std::memcpy(HeapInformation, &value, sizeof value);
    return TRUE;
}

// ---- Global and Local functions ---------------------------------------------------------------
//
// GMEM_FIXED blocks come from the process heap (HeapFree, LocalFree and GlobalFree mix);
// GMEM_MOVEABLE ones are behind a handle (see the table above), locked up to 255 times
// (GlobalFlags' lock count), discarded by a size of 0 (GlobalLock then fails with
// ERROR_DISCARDED). The two families differ where Windows' do (Wine's kernel32 heap test,
// test_GlobalAlloc and test_LocalAlloc): GlobalUnlock of a fixed block or a bad handle
// answers TRUE, LocalUnlock FALSE; GlobalReAlloc with GMEM_MODIFY | GMEM_MOVEABLE makes a
// fixed block moveable, LocalReAlloc leaves it; LocalLock of an unmapped pointer leaves the
// last error as it was, LocalFlags gives ERROR_NOACCESS for it.

HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
    return mem_alloc(uFlags, dwBytes, true);
}

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    return mem_alloc(uFlags, uBytes, false);
}

// NULL on success (a locked block too, as Windows frees it); the handle back on failure:
// ERROR_INVALID_HANDLE (a freed or bad handle), ERROR_NOACCESS (nothing mapped there).
HGLOBAL WINAPI GlobalFree(HGLOBAL hMem)
{
    return mem_free_handle(hMem);
}

HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    return mem_free_handle(hMem);
}

LPVOID WINAPI GlobalLock(HGLOBAL hMem)
{
    return mem_lock(hMem, true);
}

LPVOID WINAPI LocalLock(HLOCAL hMem)
{
    return mem_lock(hMem, false);
}

// TRUE while the block stays locked; FALSE with NO_ERROR when this unlock was the last,
// FALSE with ERROR_NOT_LOCKED when it was not locked.
BOOL WINAPI GlobalUnlock(HGLOBAL hMem)
{
    return mem_unlock(hMem, true);
}

BOOL WINAPI LocalUnlock(HLOCAL hMem)
{
    return mem_unlock(hMem, false);
}

// The lock count with GMEM_DISCARDABLE, GMEM_DDESHARE (Global only) and GMEM_DISCARDED;
// 0 for a fixed block; GMEM_INVALID_HANDLE for a freed or bad handle.
UINT WINAPI GlobalFlags(HGLOBAL hMem)
{
    return mem_flags(hMem, true);
}

UINT WINAPI LocalFlags(HLOCAL hMem)
{
    return mem_flags(hMem, false);
}

// A moveable block's size as asked (0 when discarded); a fixed block's usable size (see
// HeapSize); 0 with ERROR_INVALID_HANDLE for a freed or bad handle.
SIZE_T WINAPI GlobalSize(HGLOBAL hMem)
{
    return mem_size(hMem);
}

SIZE_T WINAPI LocalSize(HLOCAL hMem)
{
    return mem_size(hMem);
}

// The handle of a moveable block given its pointer (or its handle); a fixed block's
// pointer is its handle.
HGLOBAL WINAPI GlobalHandle(LPCVOID pMem)
{
    return mem_handle(pMem);
}

HLOCAL WINAPI LocalHandle(LPCVOID pMem)
{
    return mem_handle(pMem);
}

// GMEM_MODIFY: GMEM_DISCARDABLE marks a moveable block discardable; GMEM_MOVEABLE makes a
// fixed block moveable (Global only). Otherwise a moveable block gets the new size (0
// discards it, with GMEM_MOVEABLE and while unlocked, else ERROR_INVALID_PARAMETER; a
// locked block moves only with GMEM_MOVEABLE), the grown part zeroed with GMEM_ZEROINIT, and
// keeps its handle; a fixed block is reallocated only with GMEM_MOVEABLE (it may move), else
// NULL with ERROR_NOT_ENOUGH_MEMORY, as current Windows. GMEM_DISCARDABLE without
// GMEM_MODIFY: ERROR_INVALID_PARAMETER (the error codes of failures Windows' tests do not
// show are Wine's).
HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags)
{
    return mem_realloc(hMem, dwBytes, uFlags, true);
}

HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags)
{
    return mem_realloc(hMem, uBytes, uFlags, false);
}
