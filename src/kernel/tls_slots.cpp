// tls_slots.cpp: TlsAlloc's slots (tls_slots.h).
#include "kernel/tls_slots.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <new>

namespace overlapped::kernel {
namespace {

// A slot's state: its generation (bumped at each free) times 2, plus 1 while allocated.
std::atomic<uint64_t> slot_state[kTlsSlots];
std::mutex allocation_mutex;

struct Cell {
    uint64_t generation = 0;  // the slot's generation when written
    void* value = nullptr;
};

// The thread's cells, freed as the thread ends (a C++ thread_local destructor).
struct Cells {
    std::unique_ptr<Cell[]> cells;
};
thread_local Cells thread_cells;

}  // namespace

uint32_t tls_allocate()
{
    std::lock_guard<std::mutex> guard(allocation_mutex);
    for (uint32_t slot = 0; slot < kTlsSlots; ++slot) {
        uint64_t state = slot_state[slot].load(std::memory_order_relaxed);
        if (state & 1) continue;
        slot_state[slot].store(state | 1, std::memory_order_release);
        return slot;
    }
    return kTlsSlots;
}

bool tls_free(uint32_t slot)
{
    if (slot >= kTlsSlots) return false;
    std::lock_guard<std::mutex> guard(allocation_mutex);
    uint64_t state = slot_state[slot].load(std::memory_order_relaxed);
    if (!(state & 1)) return false;
    slot_state[slot].store(state + 1, std::memory_order_release);  // the next generation, free
    return true;
}

bool tls_get(uint32_t slot, void** value)
{
    if (slot >= kTlsSlots) return false;
    uint64_t generation = slot_state[slot].load(std::memory_order_acquire) >> 1;
    const Cell* cells = thread_cells.cells.get();
    *value = cells != nullptr && cells[slot].generation == generation ? cells[slot].value : nullptr;
    return true;
}

bool tls_set(uint32_t slot, void* value)
{
    if (slot >= kTlsSlots) return false;
    uint64_t generation = slot_state[slot].load(std::memory_order_acquire) >> 1;
    if (thread_cells.cells == nullptr) {
        thread_cells.cells.reset(new (std::nothrow) Cell[kTlsSlots]);
        if (thread_cells.cells == nullptr) return false;
    }
    thread_cells.cells[slot] = Cell{generation, value};
    return true;
}

}  // namespace overlapped::kernel
