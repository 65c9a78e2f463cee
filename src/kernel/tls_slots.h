// tls_slots.h: TlsAlloc's thread-local storage slots.
//
// Windows gives a process TLS_MINIMUM_AVAILABLE (64) slots plus 1024 expansion slots. A
// slot's value in each thread starts at 0, and freeing a slot sets it back to 0 in every
// thread. Here each slot has a generation, bumped when it is freed; a thread's cell keeps
// the generation it was written under, and a cell of an older generation reads as 0. The
// cells live in a per-thread array made on the thread's first TlsSetValue and freed when
// the thread ends.
#pragma once

#include <cstdint>

namespace overlapped::kernel {

constexpr uint32_t kTlsSlots = 64 + 1024;

// A free slot (its cells 0 in every thread), or kTlsSlots when none is left.
uint32_t tls_allocate();
// False for a slot that is not allocated.
bool tls_free(uint32_t slot);
// The calling thread's value; false for an index past the last slot. As on Windows, an
// index below it is not checked for being allocated.
bool tls_get(uint32_t slot, void** value);
// False for an index past the last slot, or no memory for the thread's cells.
bool tls_set(uint32_t slot, void* value);

}  // namespace overlapped::kernel

namespace overlapped::kernel {

// FlsAlloc's fiber-local storage slots (per fiber; a thread that is no fiber has its own), with a
// callback each: FLS_MAXIMUM_AVAILABLE indexes, 0 never handed out (as on Windows). A
// thread's non-null value is handed to the slot's callback when the thread ends and,
// for every thread, when the slot is freed.
constexpr uint32_t kFlsSlots = 4080;
using FlsCallback = void (*)(void* value);

// A free slot, or 0 when none is left.
uint32_t fls_allocate(FlsCallback callback);
// False for an index that is not allocated.
bool fls_free(uint32_t slot);
// False for index 0 or one past the last; an index not allocated reads and writes as on
// Windows (its value is the thread's, NULL after FlsFree).
bool fls_get(uint32_t slot, void** value);
bool fls_set(uint32_t slot, void* value);

// Fibers: each fiber CreateFiber makes has cells of its own, a block. A new block (null
// without memory); the calling thread's FlsGetValue/FlsSetValue switched to a block (null:
// the thread's own cells); a block deleted, its live values handed to their callbacks
// (DeleteFiber).
void* fls_block_new();
void fls_block_switch(void* block);
void fls_block_delete(void* block);

}  // namespace overlapped::kernel
