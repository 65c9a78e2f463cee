// fiber.cpp: fibers (ConvertThreadToFiber, CreateFiber, SwitchToFiber, DeleteFiber,
// GetCurrentFiber...) as ucontext contexts, each made fiber with a stack of its own
// (mmap, a guard page below it) and FLS values of its own (kernel/tls_slots.h).
//
// A fiber is a block whose first word is its parameter: Windows' GetFiberData macro reads
// it through GetCurrentFiber's pointer. SwitchToFiber saves the running fiber's context
// and resumes the other's on the calling thread; a fiber may be resumed on any thread
// that is a fiber, one thread at a time. A fiber routine that returns ends its thread
// (ExitThread), as on Windows; so does DeleteFiber of the running fiber.
#include <windows.h>

#include <cstdint>
#include <new>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "kernel/tls_slots.h"
#include "win32/entry.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

using overlapped::win32::fail;
namespace kernel = overlapped::kernel;

namespace {

struct Fiber {
    void* parameter;  // first: GetFiberData reads it
    ucontext_t context;
    LPFIBER_START_ROUTINE start = nullptr;
    void* stack = nullptr;  // the mapping, guard page included; null for a converted thread
    size_t mapped = 0;
    void* fls = nullptr;  // the fiber's FLS block; null for a converted thread (the thread's own)
#if defined(__SANITIZE_THREAD__)
    void* tsan = nullptr;  // TSan's record of the context
#endif
};

// The running fiber; null in a thread that is no fiber.
thread_local Fiber* t_current = nullptr;

#if defined(__SANITIZE_THREAD__)
// TSan's context of the thread itself, which must be current again when the thread ends.
thread_local void* t_tsan_thread = nullptr;
#endif

// The thread ends from inside a fiber (ExitThread, as Windows does).
[[noreturn]] void end_thread(DWORD code)
{
#if defined(__SANITIZE_THREAD__)
    if (t_tsan_thread) __tsan_switch_to_fiber(t_tsan_thread, 0);
#endif
    ExitThread(code);
}

// What a thread leaves when it ends: the block ConvertThreadToFiber made, and a fiber
// that deleted itself (its stack was in use until the thread left it).
struct Leftovers {
    Fiber* converted = nullptr;
    Fiber* deleted = nullptr;
    ~Leftovers();
};
thread_local Leftovers t_leftovers;

void destroy(Fiber* f)
{
    if (f->fls) kernel::fls_block_delete(f->fls);
#if defined(__SANITIZE_THREAD__)
    if (f->tsan && f->stack) __tsan_destroy_fiber(f->tsan);
#endif
    if (f->stack) munmap(f->stack, f->mapped);
    delete f;
}

Leftovers::~Leftovers()
{
    if (converted && t_current == converted) t_current = nullptr;
    if (converted) destroy(converted);
    if (deleted) destroy(deleted);
}

[[noreturn]] void fiber_entry()
{
    Fiber* self = t_current;
    self->start(self->parameter);
    end_thread(1);  // Windows: the thread running a fiber whose routine returns exits
}

Fiber* convert(LPVOID parameter, DWORD flags)
{
    if (flags & ~static_cast<DWORD>(FIBER_FLAG_FLOAT_SWITCH)) return fail(ERROR_INVALID_PARAMETER, nullptr);
    if (t_current) return fail(ERROR_ALREADY_FIBER, nullptr);
    auto* f = new (std::nothrow) Fiber();
    if (!f) return fail(ERROR_NOT_ENOUGH_MEMORY, nullptr);
    f->parameter = parameter;
#if defined(__SANITIZE_THREAD__)
    f->tsan = __tsan_get_current_fiber();
    if (!t_tsan_thread) t_tsan_thread = f->tsan;
#endif
    // A fiber made of a thread that ends goes with it (unless it was deleted first).
    if (t_leftovers.converted) destroy(t_leftovers.converted);
    t_leftovers.converted = f;
    t_current = f;
    return f;
}

}  // namespace

extern "C" {

LPVOID WINAPI ConvertThreadToFiber(LPVOID lpParameter) { return convert(lpParameter, 0); }

LPVOID WINAPI ConvertThreadToFiberEx(LPVOID lpParameter, DWORD dwFlags) { return convert(lpParameter, dwFlags); }

BOOL WINAPI ConvertFiberToThread(void)
{
    Fiber* f = t_current;
    if (!f) return fail(ERROR_ALREADY_THREAD, FALSE);
    t_current = nullptr;
    kernel::fls_block_switch(nullptr);
    // Windows frees the block ConvertThreadToFiber made; a made fiber running here stays
    // the caller's to delete.
    if (f == t_leftovers.converted) {
        t_leftovers.converted = nullptr;
        destroy(f);
    }
    return TRUE;
}

BOOL WINAPI IsThreadAFiber(void) { return t_current != nullptr; }

PVOID WINAPI GetCurrentFiber(void) { return t_current; }

LPVOID WINAPI CreateFiberEx(SIZE_T dwStackCommitSize, SIZE_T dwStackReserveSize, DWORD dwFlags,
                            LPFIBER_START_ROUTINE lpStartAddress, LPVOID lpParameter)
{
    if (dwFlags & ~static_cast<DWORD>(FIBER_FLAG_FLOAT_SWITCH)) return fail(ERROR_INVALID_PARAMETER, nullptr);
    // The reserve (else the commit, else the 1 MiB Windows executables reserve by
    // default), in 64 KiB units, the allocation granularity.
    SIZE_T size = dwStackReserveSize > dwStackCommitSize ? dwStackReserveSize : dwStackCommitSize;
    if (size == 0) size = 1 << 20;
    constexpr SIZE_T kGranularity = 64 * 1024;
    if (size > (SIZE_T(1) << 40)) return fail(ERROR_NOT_ENOUGH_MEMORY, nullptr);
    size = (size + kGranularity - 1) & ~(kGranularity - 1);
    const size_t guard = static_cast<size_t>(sysconf(_SC_PAGESIZE));

    auto* f = new (std::nothrow) Fiber();
    if (!f) return fail(ERROR_NOT_ENOUGH_MEMORY, nullptr);
    f->parameter = lpParameter;
    f->start = lpStartAddress;
    f->mapped = size + guard;
    void* stack = mmap(nullptr, f->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    f->fls = kernel::fls_block_new();
    if (stack == MAP_FAILED || !f->fls) {
        if (stack != MAP_FAILED) munmap(stack, f->mapped);
        if (f->fls) kernel::fls_block_delete(f->fls);
        delete f;
        return fail(ERROR_NOT_ENOUGH_MEMORY, nullptr);
    }
    mprotect(stack, guard, PROT_NONE);  // the stack grows down onto it
    f->stack = stack;
    getcontext(&f->context);
    f->context.uc_stack.ss_sp = static_cast<char*>(stack) + guard;
    f->context.uc_stack.ss_size = size;
    f->context.uc_link = nullptr;
    makecontext(&f->context, fiber_entry, 0);
#if defined(__SANITIZE_THREAD__)
    f->tsan = __tsan_create_fiber(0);
#endif
    return f;
}

LPVOID WINAPI CreateFiber(SIZE_T dwStackSize, LPFIBER_START_ROUTINE lpStartAddress, LPVOID lpParameter)
{
    return CreateFiberEx(dwStackSize, dwStackSize, 0, lpStartAddress, lpParameter);
}

void WINAPI SwitchToFiber(LPVOID lpFiber)
{
    Fiber* from = t_current;
    auto* to = static_cast<Fiber*>(lpFiber);
    // A thread that is no fiber has no context to save: Windows faults, we do nothing.
    if (!from || !to || from == to) return;
    t_current = to;
    kernel::fls_block_switch(to->fls);
#if defined(__SANITIZE_THREAD__)
    __tsan_switch_to_fiber(to->tsan, 0);
#endif
    swapcontext(&from->context, &to->context);
    // Back on `from`, perhaps on another thread; t_current was set by whoever switched here.
}

void WINAPI DeleteFiber(LPVOID lpFiber)
{
    auto* f = static_cast<Fiber*>(lpFiber);
    if (!f) return;
    if (f == t_current) {
        // Its stack is the one running: freed once the thread has left it.
        if (t_leftovers.converted == f) t_leftovers.converted = nullptr;
        if (t_leftovers.deleted) destroy(t_leftovers.deleted);
        t_leftovers.deleted = f;
        end_thread(0);
    }
    if (f == t_leftovers.converted) t_leftovers.converted = nullptr;
    destroy(f);
}

}  // extern "C"
