// handle_table.cpp: slots in fixed segments (they never move, so lookups take no lock),
// a FIFO free list, and generation checks under the object's lock.
#include "kernel/handle_table.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <type_traits>

#include "kernel/names.h"
#include "kernel/process.h"
#include "kernel/thread.h"

namespace overlapped::kernel {
namespace {

constexpr uint32_t kIndexBits = 21;
constexpr uint32_t kMaxSlots = (1u << kIndexBits) - 1;  // index + 1 must fit
constexpr uint32_t kGenerationMask = 0xFF;
constexpr uint32_t kSegmentBits = 12;
constexpr uint32_t kSegmentSize = 1u << kSegmentBits;
constexpr uint32_t kSegmentCount = (kMaxSlots + kSegmentSize) / kSegmentSize;
constexpr uint32_t kNoSlot = 0xFFFFFFFFu;
// The last kOfferedSlots slots are for handles another process made for this one
// (handle_offered_value): never handed out here, never on the free list.
constexpr uint32_t kOfferedFirst = kMaxSlots - kOfferedSlots;

struct Slot {
    // (generation << 1) | open. Written under the object's lock (open/close) and read
    // without it for the first check, then again under it.
    std::atomic<uint32_t> tag{0};
    std::atomic<Object*> object{nullptr};
    std::atomic<uint32_t> access{0};
    std::atomic<uint32_t> flags{0};
    uint32_t next_free = kNoSlot;  // under Table::mutex
};

struct Table {
    std::atomic<Slot*> segments[kSegmentCount] = {};
    std::mutex mutex;  // guards allocation and the free list
    uint32_t used = 0;  // slots ever handed out
    uint32_t offered_used = 0;  // offered slots below this may have been opened
    uint32_t free_head = kNoSlot;
    uint32_t free_tail = kNoSlot;
    std::atomic<uint32_t> open{0};
};

// Constant-initialised (no guard on each lookup, and ready for constructors that make
// handles before main: a child's inherited handles) and never destroyed.
constinit Table table_instance;
static_assert(std::is_trivially_destructible_v<Table>, "the table outlives every static destructor");

Table& table() { return table_instance; }

Slot* slot_at(uint32_t index)
{
    Slot* segment = table().segments[index >> kSegmentBits].load(std::memory_order_acquire);
    return segment == nullptr ? nullptr : &segment[index & (kSegmentSize - 1)];
}

HANDLE encode(uint32_t index, uint32_t generation)
{
    uintptr_t value = (static_cast<uintptr_t>(index + 1) << 2) |
                      (static_cast<uintptr_t>(generation & kGenerationMask) << (kIndexBits + 2));
    return reinterpret_cast<HANDLE>(value);
}

// The low two bits of a handle are the program's (Windows' OBJ_HANDLE_TAGBITS: the object
// manager ignores them), so `handle | 1` names the same object as `handle`: an OVERLAPPED's
// hEvent with its low bit set (no completion packet) is still that event, to wait on,
// set or close.
HANDLE untagged(HANDLE handle)
{
    uintptr_t value = reinterpret_cast<uintptr_t>(handle);
    return value < (1ull << 31) ? reinterpret_cast<HANDLE>(value & ~uintptr_t(3)) : handle;
}

bool decode(HANDLE handle, uint32_t* index, uint32_t* generation)
{
    uintptr_t value = reinterpret_cast<uintptr_t>(handle) & ~uintptr_t(3);  // the tag bits
    if (value >= (1ull << 31)) return false;
    uint32_t slot_plus_one = static_cast<uint32_t>(value >> 2) & kMaxSlots;
    if (slot_plus_one == 0) return false;
    *index = slot_plus_one - 1;
    *generation = static_cast<uint32_t>(value >> (kIndexBits + 2)) & kGenerationMask;
    return true;
}

uint32_t allocate_slot()
{
    Table& t = table();
    std::lock_guard<std::mutex> guard(t.mutex);
    if (t.free_head != kNoSlot) {
        uint32_t index = t.free_head;
        Slot* slot = slot_at(index);
        t.free_head = slot->next_free;
        if (t.free_head == kNoSlot) t.free_tail = kNoSlot;
        return index;
    }
    if (t.used >= kOfferedFirst) return kNoSlot;
    uint32_t index = t.used++;
    std::atomic<Slot*>& segment = t.segments[index >> kSegmentBits];
    if (segment.load(std::memory_order_relaxed) == nullptr)
        segment.store(new Slot[kSegmentSize], std::memory_order_release);
    return index;
}

void free_slot(uint32_t index)
{
    if (index >= kOfferedFirst) {
        if (offered_released_hook != nullptr) offered_released_hook(index - kOfferedFirst);
        return;
    }
    Table& t = table();
    std::lock_guard<std::mutex> guard(t.mutex);
    Slot* slot = slot_at(index);
    slot->next_free = kNoSlot;
    if (t.free_tail == kNoSlot) {
        t.free_head = t.free_tail = index;
    } else {
        slot_at(t.free_tail)->next_free = index;
        t.free_tail = index;
    }
}

// Resolves a real handle to its slot and locks the object; checks the slot again under
// the lock. Returns the locked object or nullptr.
inline __attribute__((always_inline)) Object* lock_slot_once(HANDLE handle, Slot** slot_out)
{
    uint32_t index, generation;
    if (!decode(handle, &index, &generation)) return nullptr;
    Slot* slot = slot_at(index);
    if (slot == nullptr) return nullptr;
    uint32_t expected_tag = (generation << 1) | 1;
    if ((slot->tag.load(std::memory_order_acquire) & ((kGenerationMask << 1) | 1)) != expected_tag)
        return nullptr;
    Object* object = slot->object.load(std::memory_order_acquire);
    if (object == nullptr) return nullptr;
    object->lock.lock();
    // Under the lock: the slot still names this object, so the handle is open and holds
    // a reference; a concurrent close waits for our unlock.
    if ((slot->tag.load(std::memory_order_acquire) & ((kGenerationMask << 1) | 1)) != expected_tag ||
        slot->object.load(std::memory_order_acquire) != object) {
        object->lock.unlock();
        return nullptr;
    }
    if (slot_out != nullptr) *slot_out = slot;
    return object;
}

bool is_offered(HANDLE handle)
{
    uint32_t index, generation;
    return decode(handle, &index, &generation) && index >= kOfferedFirst;
}

// A handle another process made for this one is claimed on its first use (the other
// process keeps the offer: drivers/handle_offer.cpp), then looked up again.
__attribute__((noinline, cold)) Object* claim_and_lock(HANDLE handle, Slot** slot_out)
{
    if (offered_claim_hook == nullptr || !offered_claim_hook(handle)) return nullptr;
    return lock_slot_once(handle, slot_out);
}

inline __attribute__((always_inline)) Object* lock_slot(HANDLE handle, Slot** slot_out)
{
    Object* object = lock_slot_once(handle, slot_out);
    if (__builtin_expect(object == nullptr, 0) && is_offered(handle)) return claim_and_lock(untagged(handle), slot_out);
    return object;
}

// Every slot index that may hold an open handle, in order: the handed-out ones, then the
// offered ones.
template <class Visit>
void for_each_index(Visit visit)
{
    Table& t = table();
    uint32_t used, offered_used;
    {
        std::lock_guard<std::mutex> guard(t.mutex);
        used = t.used;
        offered_used = t.offered_used;
    }
    for (uint32_t index = 0; index < used; ++index) visit(index);
    for (uint32_t index = kOfferedFirst; index < kOfferedFirst + offered_used; ++index) visit(index);
}

}  // namespace

bool (*offered_claim_hook)(HANDLE handle) = nullptr;
void (*offered_released_hook)(uint32_t number) = nullptr;

HANDLE handle_offered_value(uint32_t number, uint32_t generation)
{
    return number < kOfferedSlots ? encode(kOfferedFirst + number, generation) : nullptr;
}

bool handle_offered_number(HANDLE handle, uint32_t* number)
{
    uint32_t index, generation;
    if (!decode(handle, &index, &generation) || index < kOfferedFirst) return false;
    *number = index - kOfferedFirst;
    return true;
}

bool handle_is_open(HANDLE handle)
{
    Object* object = lock_slot_once(handle, nullptr);
    if (object == nullptr) return false;
    object->lock.unlock();
    return true;
}

namespace {

// The rights of a synchronization object's type that the generic rights stand for:
// Windows' generic mappings of the Event, Mutant, Semaphore, Timer, IoCompletion and
// Thread types (Wine's object-type tests read the same from NtQueryObject), and of the
// Process type (Wine's server keeps Windows' mapping in its process type). False for
// other types.
struct TypeRights {
    ACCESS_MASK query, modify, all;  // a mutex has no right to modify it
    ACCESS_MASK execute = 0;         // besides SYNCHRONIZE
};

bool sync_type_rights(ObjectType type, TypeRights* rights)
{
    switch (type) {
    case ObjectType::Event: *rights = {EVENT_QUERY_STATE, EVENT_MODIFY_STATE, EVENT_ALL_ACCESS}; return true;
    case ObjectType::Semaphore:
        *rights = {SEMAPHORE_QUERY_STATE, SEMAPHORE_MODIFY_STATE, SEMAPHORE_ALL_ACCESS};
        return true;
    case ObjectType::Timer: *rights = {TIMER_QUERY_STATE, TIMER_MODIFY_STATE, TIMER_ALL_ACCESS}; return true;
    case ObjectType::Mutex: *rights = {MUTANT_QUERY_STATE, 0, MUTEX_ALL_ACCESS}; return true;
    case ObjectType::CompletionPort:
        *rights = {IO_COMPLETION_QUERY_STATE, IO_COMPLETION_MODIFY_STATE, IO_COMPLETION_ALL_ACCESS};
        return true;
    case ObjectType::Thread:
        *rights = {THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
                   THREAD_TERMINATE | THREAD_SUSPEND_RESUME | 0x0004 /* THREAD_ALERT */ | THREAD_SET_INFORMATION |
                       THREAD_SET_CONTEXT,
                   THREAD_ALL_ACCESS};
        return true;
    case ObjectType::Process:
        // So OpenProcess(GENERIC_READ) can query, MAXIMUM_ALLOWED or GENERIC_EXECUTE wait.
        *rights = {PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                   PROCESS_SUSPEND_RESUME | PROCESS_SET_INFORMATION | PROCESS_SET_QUOTA | PROCESS_CREATE_PROCESS |
                       PROCESS_DUP_HANDLE | PROCESS_VM_WRITE | PROCESS_VM_OPERATION | PROCESS_CREATE_THREAD,
                   PROCESS_ALL_ACCESS, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_TERMINATE};
        return true;
    default: return false;
    }
}

}  // namespace

// So OpenMutex(GENERIC_EXECUTE) can wait and CreateEventEx(..., GENERIC_ALL) can set
// (Wine's kernel32 sync test_mutex). MAXIMUM_ALLOWED gets everything: the creator's
// default security allows it all.
ACCESS_MASK map_generic_access(ObjectType type, ACCESS_MASK access)
{
    constexpr ACCESS_MASK kGeneric = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED;
    TypeRights rights;
    if (type == ObjectType::Process && (access & kAccessPrimaryThread)) type = ObjectType::Thread;  // a thread's
    if (!(access & kGeneric) || !sync_type_rights(type, &rights)) return access;
    ACCESS_MASK mapped = access & ~kGeneric;
    if (access & GENERIC_READ) mapped |= STANDARD_RIGHTS_READ | rights.query;
    if (access & GENERIC_WRITE) mapped |= STANDARD_RIGHTS_WRITE | rights.modify;
    if (access & GENERIC_EXECUTE) mapped |= STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | rights.execute;
    if (access & (GENERIC_ALL | MAXIMUM_ALLOWED)) mapped |= rights.all;
    return mapped;
}

ACCESS_MASK type_all_access(ObjectType type)
{
    TypeRights rights;
    return sync_type_rights(type, &rights) ? rights.all : 0;
}

HANDLE handle_create(Object* object, ACCESS_MASK access, DWORD flags, DWORD* error)
{
    access = map_generic_access(object->type(), access);
    uint32_t index = allocate_slot();
    if (index == kNoSlot) {
        *error = ERROR_NO_MORE_ITEMS;
        object->release_reference();
        return nullptr;
    }
    Slot* slot = slot_at(index);
    object->lock.lock();
    object->handle_count++;
    uint32_t generation = (slot->tag.load(std::memory_order_relaxed) >> 1) & kGenerationMask;
    slot->access.store(access, std::memory_order_relaxed);
    slot->flags.store(flags, std::memory_order_relaxed);
    slot->object.store(object, std::memory_order_release);
    slot->tag.store((generation << 1) | 1, std::memory_order_release);
    object->lock.unlock();
    table().open.fetch_add(1, std::memory_order_relaxed);
    return encode(index, generation);
}

DWORD handle_create_at(HANDLE value, Object* object, ACCESS_MASK access, DWORD flags)
{
    access = map_generic_access(object->type(), access);
    uint32_t index, generation;
    if (!decode(value, &index, &generation)) {
        object->release_reference();
        return ERROR_INVALID_HANDLE;
    }
    Table& t = table();
    {
        std::lock_guard<std::mutex> guard(t.mutex);
        if (index >= kOfferedFirst) {
            // An offered slot: its segment only (offered numbers are taken lowest first).
            std::atomic<Slot*>& segment = t.segments[index >> kSegmentBits];
            if (segment.load(std::memory_order_relaxed) == nullptr)
                segment.store(new Slot[kSegmentSize], std::memory_order_release);
            t.offered_used = std::max(t.offered_used, index - kOfferedFirst + 1);
        }
        // Hand out every slot up to `index`; those below it go to the free list.
        while (index < kOfferedFirst && t.used <= index) {
            uint32_t next = t.used++;
            std::atomic<Slot*>& segment = t.segments[next >> kSegmentBits];
            if (segment.load(std::memory_order_relaxed) == nullptr)
                segment.store(new Slot[kSegmentSize], std::memory_order_release);
            if (next == index) break;
            Slot* skipped = slot_at(next);
            skipped->next_free = kNoSlot;
            if (t.free_tail == kNoSlot) {
                t.free_head = t.free_tail = next;
            } else {
                slot_at(t.free_tail)->next_free = next;
                t.free_tail = next;
            }
        }
        // Take `index` off the free list if it is there (an open slot never is).
        uint32_t previous = kNoSlot;
        for (uint32_t at = index < kOfferedFirst ? t.free_head : kNoSlot; at != kNoSlot;
             previous = at, at = slot_at(at)->next_free) {
            if (at != index) continue;
            uint32_t after = slot_at(at)->next_free;
            if (previous == kNoSlot) t.free_head = after;
            else slot_at(previous)->next_free = after;
            if (t.free_tail == index) t.free_tail = previous;
            break;
        }
        Slot* slot = slot_at(index);
        if (slot->tag.load(std::memory_order_relaxed) & 1) {
            object->release_reference();
            return ERROR_INVALID_HANDLE;
        }
        // The generation the value names; the slot is reserved from here on.
        slot->tag.store(generation << 1, std::memory_order_relaxed);
    }
    Slot* slot = slot_at(index);
    object->lock.lock();
    object->handle_count++;
    slot->access.store(access, std::memory_order_relaxed);
    slot->flags.store(flags, std::memory_order_relaxed);
    slot->object.store(object, std::memory_order_release);
    slot->tag.store((generation << 1) | 1, std::memory_order_release);
    object->lock.unlock();
    t.open.fetch_add(1, std::memory_order_relaxed);
    return ERROR_SUCCESS;
}

void handle_for_each_inheritable(void (*visit)(HANDLE handle, Object* object, ACCESS_MASK access, DWORD flags,
                                               void* context),
                                 void* context)
{
    for_each_index([&](uint32_t index) {
        Slot* slot = slot_at(index);
        if (slot == nullptr) return;
        uint32_t tag = slot->tag.load(std::memory_order_acquire);
        if (!(tag & 1) || !(slot->flags.load(std::memory_order_relaxed) & HANDLE_FLAG_INHERIT)) return;
        HANDLE handle = encode(index, tag >> 1);
        Slot* locked;
        Object* object = lock_slot_once(handle, &locked);
        if (object == nullptr) return;
        DWORD flags = locked->flags.load(std::memory_order_relaxed);
        if (flags & HANDLE_FLAG_INHERIT) visit(handle, object, locked->access.load(std::memory_order_relaxed), flags, context);
        object->lock.unlock();
    });
}

Object* handle_lock(HANDLE handle, ObjectType type, ACCESS_MASK required_access, DWORD* error)
{
    return handle_lock_granted(handle, type, required_access, nullptr, error);
}

Object* handle_lock_granted(HANDLE handle, ObjectType type, ACCESS_MASK required_access, ACCESS_MASK* granted,
                            DWORD* error)
{
    Object* object;
    ACCESS_MASK access;
    if (handle == kCurrentThreadHandle) {
        object = current_thread_object();
        object->lock.lock();
        access = THREAD_ALL_ACCESS;
    } else if (handle == kCurrentProcessHandle) {
        object = current_process_object();
        object->lock.lock();
        access = PROCESS_ALL_ACCESS;
    } else {
        Slot* slot;
        object = lock_slot(handle, &slot);
        if (object == nullptr) {
            *error = ERROR_INVALID_HANDLE;
            return nullptr;
        }
        access = slot->access.load(std::memory_order_relaxed);
    }
    if ((type != ObjectType::Any && object->type() != type) ||
        (type == ObjectType::Process && (access & kAccessPrimaryThread))) {  // a thread's handle
        object->lock.unlock();
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    if ((access & required_access) != required_access) {
        object->lock.unlock();
        *error = ERROR_ACCESS_DENIED;
        return nullptr;
    }
    if (granted != nullptr) *granted = access;
    return object;
}

Object* handle_reference(HANDLE handle, ObjectType type, ACCESS_MASK required_access, DWORD* error)
{
    return handle_reference_granted(handle, type, required_access, nullptr, error);
}

Object* handle_reference_granted(HANDLE handle, ObjectType type, ACCESS_MASK required_access, ACCESS_MASK* granted,
                                 DWORD* error)
{
    Object* object = handle_lock_granted(handle, type, required_access, granted, error);
    if (object == nullptr) return nullptr;
    object->add_reference();
    object->lock.unlock();
    return object;
}

Object* handle_lock_any(HANDLE handle, ObjectType type, ACCESS_MASK any_access, DWORD* error)
{
    ACCESS_MASK granted = 0;
    Object* object = handle_lock_granted(handle, type, 0, &granted, error);
    if (object == nullptr || (granted & any_access) != 0) return object;
    object->lock.unlock();
    *error = ERROR_ACCESS_DENIED;
    return nullptr;
}

Object* handle_reference_any(HANDLE handle, ObjectType type, ACCESS_MASK any_access, DWORD* error)
{
    Object* object = handle_lock_any(handle, type, any_access, error);
    if (object == nullptr) return nullptr;
    object->add_reference();
    object->lock.unlock();
    return object;
}

DWORD handle_close(HANDLE handle)
{
    if (handle == kCurrentThreadHandle || handle == kCurrentProcessHandle) return ERROR_SUCCESS;
    Slot* slot;
    Object* object = lock_slot(handle, &slot);
    if (object == nullptr) return ERROR_INVALID_HANDLE;
    if (slot->flags.load(std::memory_order_relaxed) & HANDLE_FLAG_PROTECT_FROM_CLOSE) {
        object->lock.unlock();
        return ERROR_INVALID_HANDLE;
    }
    uint32_t tag = slot->tag.load(std::memory_order_relaxed);
    // Advance the generation as the slot closes, so the next handle for it differs.
    slot->tag.store(((tag >> 1) + 1) << 1, std::memory_order_release);
    slot->object.store(nullptr, std::memory_order_release);
    bool last = --object->handle_count == 0;
    if (last) object->last_handle_closed();
    object->lock.unlock();
    uint32_t index = 0, generation = 0;
    decode(handle, &index, &generation);  // cannot fail: lock_slot decoded it
    free_slot(index);
    table().open.fetch_sub(1, std::memory_order_relaxed);
    if (last) {
        if (!object->name.empty()) names_remove_unused(object);
        object->after_last_handle_closed();
    }
    object->release_reference();
    return ERROR_SUCCESS;
}

// Runs `use(slot)` with the handle's slot while its object is locked.
template <class Use>
DWORD with_open_slot(HANDLE handle, Use use)
{
    Slot* slot;
    Object* object = lock_slot(handle, &slot);
    if (object == nullptr) return ERROR_INVALID_HANDLE;
    use(slot);
    object->lock.unlock();
    return ERROR_SUCCESS;
}

DWORD handle_get_flags(HANDLE handle, DWORD* flags)
{
    return with_open_slot(handle, [flags](Slot* slot) { *flags = slot->flags.load(std::memory_order_relaxed); });
}

DWORD handle_set_flags(HANDLE handle, DWORD mask, DWORD flags)
{
    return with_open_slot(handle, [mask, flags](Slot* slot) {
        DWORD valid = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;
        DWORD old = slot->flags.load(std::memory_order_relaxed);
        slot->flags.store((old & ~(mask & valid)) | (flags & mask & valid), std::memory_order_relaxed);
    });
}

DWORD handle_get_access(HANDLE handle, ACCESS_MASK* access)
{
    return with_open_slot(handle, [access](Slot* slot) { *access = slot->access.load(std::memory_order_relaxed); });
}

uint32_t handle_count_open() { return table().open.load(std::memory_order_relaxed); }

uint32_t handle_close_all(ObjectType type)
{
    uint32_t closed = 0;
    for_each_index([&](uint32_t index) {
        Slot* slot = slot_at(index);
        if (slot == nullptr) return;
        uint32_t tag = slot->tag.load(std::memory_order_acquire);
        Object* object = slot->object.load(std::memory_order_acquire);
        if (!(tag & 1) || object == nullptr || object->type() != type) return;
        // The handle as it is now; handle_close checks it again under the object's lock.
        if (handle_close(encode(index, tag >> 1)) == ERROR_SUCCESS) ++closed;
    });
    return closed;
}

}  // namespace overlapped::kernel
