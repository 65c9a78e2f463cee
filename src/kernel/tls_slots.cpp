// tls_slots.cpp: TlsAlloc's slots (tls_slots.h).
#include "kernel/tls_slots.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

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

// ---- fiber-local storage

namespace overlapped::kernel {
namespace {

struct FlsSlot {
    std::atomic<uint64_t> state{0};  // generation * 2 + 1 while allocated
    std::atomic<FlsCallback> callback{nullptr};
};
FlsSlot fls_slots[kFlsSlots];
std::mutex fls_mutex;  // allocation, and the list of threads' cells

struct FlsThread;
std::vector<FlsThread*>* fls_threads = new std::vector<FlsThread*>();

// A thread's cells (grown to the highest index it sets), listed for FlsFree; as the thread
// ends, its live values go to their callbacks.
struct FlsThread {
    std::vector<Cell> cells;
    bool listed = false;

    ~FlsThread()
    {
        std::vector<std::pair<FlsCallback, void*>> calls;
        {
            std::lock_guard<std::mutex> guard(fls_mutex);
            if (listed) fls_threads->erase(std::find(fls_threads->begin(), fls_threads->end(), this));
            for (size_t slot = 0; slot < cells.size(); ++slot) {
                uint64_t state = fls_slots[slot].state.load(std::memory_order_acquire);
                FlsCallback callback = fls_slots[slot].callback.load(std::memory_order_acquire);
                if ((state & 1) && cells[slot].generation == (state >> 1) && cells[slot].value != nullptr &&
                    callback != nullptr)
                    calls.emplace_back(callback, cells[slot].value);
            }
        }
        for (auto& [callback, value] : calls) callback(value);
    }
};
thread_local FlsThread fls_thread;
// The running fiber's cells: a fiber made by CreateFiber has its own block; null means the
// thread's own (a thread that is no fiber, or the fiber ConvertThreadToFiber made of it).
thread_local FlsThread* fls_fiber = nullptr;

FlsThread& fls_cells() { return fls_fiber != nullptr ? *fls_fiber : fls_thread; }

bool fls_allocated(uint32_t slot, uint64_t* generation)
{
    if (slot == 0 || slot >= kFlsSlots) return false;
    uint64_t state = fls_slots[slot].state.load(std::memory_order_acquire);
    *generation = state >> 1;
    return (state & 1) != 0;
}

}  // namespace

uint32_t fls_allocate(FlsCallback callback)
{
    std::lock_guard<std::mutex> guard(fls_mutex);
    for (uint32_t slot = 1; slot < kFlsSlots; ++slot) {
        uint64_t state = fls_slots[slot].state.load(std::memory_order_relaxed);
        if (state & 1) continue;
        fls_slots[slot].callback.store(callback, std::memory_order_relaxed);
        fls_slots[slot].state.store(state | 1, std::memory_order_release);
        return slot;
    }
    return 0;
}

bool fls_free(uint32_t slot)
{
    std::vector<void*> values;
    FlsCallback callback;
    {
        std::lock_guard<std::mutex> guard(fls_mutex);
        uint64_t generation;
        if (!fls_allocated(slot, &generation)) return false;
        callback = fls_slots[slot].callback.load(std::memory_order_relaxed);
        for (FlsThread* thread : *fls_threads)
            if (slot < thread->cells.size() && thread->cells[slot].generation == generation &&
                thread->cells[slot].value != nullptr)
                values.push_back(thread->cells[slot].value);
        fls_slots[slot].state.store((generation + 1) << 1, std::memory_order_release);  // free, next generation
    }
    if (callback != nullptr)
        for (void* value : values) callback(value);
    return true;
}

// An index in range but not allocated can still be read and written, as on Windows (Wine's
// fiber.c test_FiberLocalStorage: FlsGetValue and FlsSetValue succeed on it); only 0 and
// indexes past the last are refused. What a freed slot held is gone (FlsFree bumped its
// generation).
bool fls_get(uint32_t slot, void** value)
{
    uint64_t generation;
    if (slot == 0 || slot >= kFlsSlots) return false;
    fls_allocated(slot, &generation);
    const std::vector<Cell>& cells = fls_cells().cells;
    *value = slot < cells.size() && cells[slot].generation == generation ? cells[slot].value : nullptr;
    return true;
}

bool fls_set(uint32_t slot, void* value)
{
    uint64_t generation;
    if (slot == 0 || slot >= kFlsSlots) return false;
    fls_allocated(slot, &generation);
    FlsThread& thread = fls_cells();
    std::lock_guard<std::mutex> guard(fls_mutex);  // FlsFree reads the cells of every thread
    if (slot >= thread.cells.size()) thread.cells.resize(slot + 1);
    thread.cells[slot] = Cell{generation, value};
    if (!thread.listed) {
        fls_threads->push_back(&thread);
        thread.listed = true;
    }
    return true;
}

void* fls_block_new() { return new (std::nothrow) FlsThread(); }

void fls_block_switch(void* block) { fls_fiber = static_cast<FlsThread*>(block); }

void fls_block_delete(void* block)
{
    if (fls_fiber == block) fls_fiber = nullptr;
    delete static_cast<FlsThread*>(block);
}

}  // namespace overlapped::kernel
