// thread.cpp: CreateThread, ExitThread, Resume/SuspendThread, exit codes, thread ids,
// OpenThread, QueueUserAPC, ExitProcess, thread descriptions, error modes, stack limits.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "kernel/handle_table.h"
#include "kernel/process.h"
#include "kernel/thread.h"
#include "kernel/tls_slots.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// The rights a thread handle needs to be read: either (Microsoft Learn, GetExitCodeThread,
// GetThreadId).
constexpr ACCESS_MASK kThreadQueryAccess = THREAD_QUERY_INFORMATION | THREAD_QUERY_LIMITED_INFORMATION;
// And to be changed: either (Microsoft Learn, SetThreadDescription).
constexpr ACCESS_MASK kThreadSetAccess = THREAD_SET_INFORMATION | THREAD_SET_LIMITED_INFORMATION;

// The NTSTATUS a failed thread lookup of `handle` stands for, as an HRESULT (the
// description functions return HRESULT_FROM_NT of the status): a handle of another type
// is STATUS_OBJECT_TYPE_MISMATCH, which Win32 errors fold into ERROR_INVALID_HANDLE.
HRESULT lookup_hresult(HANDLE handle, DWORD error)
{
    if (error == ERROR_ACCESS_DENIED) return HRESULT_FROM_NT(STATUS_ACCESS_DENIED);
    DWORD any_error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Any, 0, &any_error);
    if (object == nullptr) return HRESULT_FROM_NT(STATUS_INVALID_HANDLE);
    object->release_reference();
    return HRESULT_FROM_NT(STATUS_OBJECT_TYPE_MISMATCH);
}

// Linux's name of running thread `tid` (what ps and debuggers show): the description's
// first 15 bytes of UTF-8, cut at a character's start. Best effort.
void set_linux_name(DWORD tid, const std::u16string& description)
{
    std::string name = win32::utf8_from_utf16(reinterpret_cast<const WCHAR*>(description.c_str()), description.size());
    size_t length = name.size() < 15 ? name.size() : 15;
    while (length > 0 && length < name.size() && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) --length;
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/task/%u/comm", static_cast<unsigned>(tid));
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t written = write(fd, name.data(), length);
    (void)written;
    close(fd);
}

void run_user_apc(const kernel::Apc& apc) { reinterpret_cast<PAPCFUNC>(apc.a)(apc.b); }

}  // namespace

extern "C" HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    if (lpStartAddress == nullptr) return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    DWORD error;
    kernel::ThreadObject* thread = kernel::ThreadObject::spawn(
        dwStackSize, lpStartAddress, lpParameter, (dwCreationFlags & CREATE_SUSPENDED) != 0, &error);
    if (thread == nullptr) return fail(error, HANDLE(nullptr));
    DWORD id = thread->thread_id();
    BOOL inherit = lpThreadAttributes != nullptr && lpThreadAttributes->bInheritHandle;
    HANDLE handle = kernel::handle_create(thread, THREAD_ALL_ACCESS, inherit ? HANDLE_FLAG_INHERIT : 0, &error);
    if (handle == nullptr) return fail(error, HANDLE(nullptr));
    if (lpThreadId != nullptr) *lpThreadId = id;
    return handle;
}

extern "C" void WINAPI ExitThread(DWORD dwExitCode) { kernel::thread_exit(dwExitCode); }

// The calling thread ends as ExitThread ends it; a thread that has not begun its routine
// ends without running it. A thread already running elsewhere cannot be stopped safely
// (Linux offers no way to end one thread at an arbitrary instruction without ending the
// process): ERROR_CALL_NOT_IMPLEMENTED, as for a child's primary thread (docs/deviations.md).
extern "C" BOOL WINAPI TerminateThread(HANDLE hThread, DWORD dwExitCode)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(hThread, kernel::ObjectType::Thread, THREAD_TERMINATE, &error);
    DWORD id = 0, code = 0;
    if (object == nullptr && kernel::process_primary_thread_query(hThread, &id, &code))
        return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);  // a child's
    if (object == nullptr) return fail(error, FALSE);
    kernel::ThreadObject* thread = static_cast<kernel::ThreadObject*>(object);
    if (&thread->state == kernel::current_thread()) {
        object->release_reference();  // the running thread holds its own
        kernel::thread_exit(dwExitCode);
    }
    bool ended = thread->terminate_unstarted(dwExitCode);
    object->release_reference();
    if (!ended) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    return TRUE;
}

extern "C" void WINAPI ExitProcess(UINT uExitCode) { std::exit(static_cast<int>(uExitCode)); }

extern "C" DWORD WINAPI ResumeThread(HANDLE hThread)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hThread, kernel::ObjectType::Thread, THREAD_SUSPEND_RESUME, &error);
    DWORD previous = 0;
    if (object == nullptr && kernel::process_resume_primary(hThread, &previous)) return previous;  // a child's
    if (object == nullptr) return fail(error, static_cast<DWORD>(-1));
    previous = static_cast<kernel::ThreadObject*>(object)->resume();
    object->release_reference();
    return previous;
}

extern "C" DWORD WINAPI SuspendThread(HANDLE hThread)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hThread, kernel::ObjectType::Thread, THREAD_SUSPEND_RESUME, &error);
    DWORD previous = 0, child_error = ERROR_SUCCESS;
    if (object == nullptr && kernel::process_suspend_primary(hThread, &previous, &child_error)) {  // a child's
        if (previous == static_cast<DWORD>(-1)) return fail(child_error, previous);
        return previous;
    }
    if (object == nullptr) return fail(error, static_cast<DWORD>(-1));
    DWORD suspend_error;
    previous = static_cast<kernel::ThreadObject*>(object)->suspend(&suspend_error);
    object->release_reference();
    if (previous == static_cast<DWORD>(-1)) return fail(suspend_error, previous);
    return previous;
}

extern "C" BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    DWORD error;
    // The handle needs THREAD_QUERY_INFORMATION or THREAD_QUERY_LIMITED_INFORMATION (Microsoft
    // Learn, GetExitCodeThread; Wine's thread.c test_thread_priority).
    kernel::Object* object = kernel::handle_lock_any(hThread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    DWORD id = 0, code = 0;
    if (object == nullptr && kernel::process_primary_thread_query(hThread, &id, &code)) {  // a child's
        if (lpExitCode == nullptr) return fail(ERROR_NOACCESS, FALSE);
        *lpExitCode = code;
        return TRUE;
    }
    if (object == nullptr) return fail(error, FALSE);
    code = static_cast<kernel::ThreadObject*>(object)->exit_code();
    object->lock.unlock();
    if (lpExitCode == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *lpExitCode = code;
    return TRUE;
}

extern "C" DWORD WINAPI GetCurrentThreadId(void) {
    return kernel::current_thread()->thread_id.load(std::memory_order_relaxed);
}

extern "C" DWORD WINAPI GetThreadId(HANDLE Thread)
{
    DWORD error;
    kernel::Object* object = kernel::handle_lock_any(Thread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    DWORD id = 0, code = 0;
    if (object == nullptr && kernel::process_primary_thread_query(Thread, &id, &code)) return id;  // a child's
    if (object == nullptr) return fail(error, DWORD(0));
    id = static_cast<kernel::ThreadObject*>(object)->thread_id();
    object->lock.unlock();
    return id;
}

// This process's id for its threads; a child's primary thread belongs to the child.
extern "C" DWORD WINAPI GetProcessIdOfThread(HANDLE Thread)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(Thread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    if (object != nullptr) {
        object->release_reference();
        return GetCurrentProcessId();
    }
    ACCESS_MASK granted = 0;
    DWORD not_primary;  // a handle of neither kind: the thread lookup's error
    kernel::ProcessObject* process = kernel::process_primary_thread_reference(Thread, &granted, &not_primary);
    if (process == nullptr) return fail(error, DWORD(0));
    process->lock.lock();
    DWORD id = process->process_id();
    process->lock.unlock();
    process->release_reference();
    if (!(granted & kThreadQueryAccess)) return fail(ERROR_ACCESS_DENIED, DWORD(0));
    return id;
}

// A thread of this process, or the primary thread of a child (PROCESS_INFORMATION's
// dwThreadId, the child's pid; Linux thread ids and process ids never collide): a handle
// to the child's process object, as hThread is (docs/processes.md).
extern "C" HANDLE WINAPI OpenThread(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwThreadId)
{
    kernel::Object* thread = kernel::thread_find(dwThreadId);
    if (thread == nullptr) {
        thread = kernel::process_find_child(dwThreadId);
        if (thread != nullptr) dwDesiredAccess |= kernel::kAccessPrimaryThread;
    }
    if (thread == nullptr) return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    DWORD error;
    HANDLE handle = kernel::handle_create(thread, dwDesiredAccess, bInheritHandle ? HANDLE_FLAG_INHERIT : 0, &error);
    if (handle == nullptr) return fail(error, HANDLE(nullptr));
    return handle;
}

extern "C" DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hThread, kernel::ObjectType::Thread, THREAD_SET_CONTEXT, &error);
    if (object == nullptr) return fail(error, DWORD(0));
    kernel::ThreadObject* thread = static_cast<kernel::ThreadObject*>(object);
    thread->lock.lock();
    bool exited = thread->exited();
    thread->lock.unlock();
    if (!exited)
        kernel::queue_apc(&thread->state,
                          kernel::Apc{&run_user_apc, reinterpret_cast<ULONG_PTR>(pfnAPC), dwData, 0});
    object->release_reference();
    if (exited) return fail(ERROR_GEN_FAILURE, DWORD(0));
    return 1;
}

// ---- thread-local storage slots (kernel/tls_slots.h)

extern "C" DWORD WINAPI TlsAlloc(void)
{
    uint32_t slot = kernel::tls_allocate();
    if (slot >= kernel::kTlsSlots) return fail(ERROR_NO_MORE_ITEMS, TLS_OUT_OF_INDEXES);
    return slot;
}

extern "C" BOOL WINAPI TlsFree(DWORD dwTlsIndex)
{
    if (!kernel::tls_free(dwTlsIndex)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

// Sets the last error to ERROR_SUCCESS on success, as Windows does, so that a caller can
// tell a stored 0 from a failure.
extern "C" LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex)
{
    void* value = nullptr;
    if (!kernel::tls_get(dwTlsIndex, &value)) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
    win32::set_last_error(ERROR_SUCCESS);
    return value;
}

extern "C" BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue)
{
    if (dwTlsIndex >= kernel::kTlsSlots) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!kernel::tls_set(dwTlsIndex, lpTlsValue)) return fail(ERROR_NOT_ENOUGH_MEMORY, FALSE);
    return TRUE;
}

// ---- fiber-local storage (kernel/tls_slots.h)

extern "C" DWORD WINAPI FlsAlloc(PFLS_CALLBACK_FUNCTION lpCallback)
{
    uint32_t slot = kernel::fls_allocate(reinterpret_cast<kernel::FlsCallback>(lpCallback));
    if (slot == 0) return fail(ERROR_NO_MORE_ITEMS, FLS_OUT_OF_INDEXES);
    return slot;
}

extern "C" BOOL WINAPI FlsFree(DWORD dwFlsIndex)
{
    if (!kernel::fls_free(dwFlsIndex)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

extern "C" PVOID WINAPI FlsGetValue(DWORD dwFlsIndex)
{
    void* value = nullptr;
    if (!kernel::fls_get(dwFlsIndex, &value)) return fail(ERROR_INVALID_PARAMETER, PVOID(nullptr));
    win32::set_last_error(ERROR_SUCCESS);
    return value;
}

extern "C" BOOL WINAPI FlsSetValue(DWORD dwFlsIndex, PVOID lpFlsData)
{
    if (!kernel::fls_set(dwFlsIndex, lpFlsData)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

// The description is the thread object's (NULL clears it); a running thread also gets it
// as its Linux name. A child's primary thread is not an object of this process: its
// handle is refused as a handle of no thread (docs/deviations.md). The result is
// HRESULT_FROM_NT of the status, 0x10000000 for success, as Windows returns (Wine's
// thread.c test_thread_description).
extern "C" HRESULT WINAPI SetThreadDescription(HANDLE hThread, PCWSTR lpThreadDescription)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadSetAccess, &error);
    if (object == nullptr) return lookup_hresult(hThread, error);
    auto* thread = static_cast<kernel::ThreadObject*>(object);
    std::u16string text;
    if (lpThreadDescription != nullptr) text.assign(reinterpret_cast<const char16_t*>(lpThreadDescription));
    thread->lock.lock();
    bool running = !thread->exited();
    DWORD tid = thread->thread_id();
    thread->description = text;
    thread->lock.unlock();
    object->release_reference();
    if (running) set_linux_name(tid, text);
    return HRESULT_FROM_NT(STATUS_SUCCESS);
}

// A LocalAlloc'd copy of the description, empty when none was set; NULL on failure (a
// NULL out-pointer, which Windows writes through, is refused).
extern "C" HRESULT WINAPI GetThreadDescription(HANDLE hThread, PWSTR* ppszThreadDescription)
{
    if (ppszThreadDescription == nullptr) return HRESULT_FROM_NT(STATUS_INVALID_PARAMETER);  // Windows faults
    *ppszThreadDescription = nullptr;
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(hThread, kernel::ObjectType::Thread, kThreadQueryAccess, &error);
    if (object == nullptr) return lookup_hresult(hThread, error);
    auto* thread = static_cast<kernel::ThreadObject*>(object);
    thread->lock.lock();
    std::u16string text = thread->description;
    thread->lock.unlock();
    object->release_reference();
    auto* copy = static_cast<PWSTR>(LocalAlloc(LMEM_FIXED, (text.size() + 1) * sizeof(WCHAR)));
    if (copy == nullptr) return HRESULT_FROM_NT(STATUS_NO_MEMORY);
    for (size_t i = 0; i < text.size(); ++i) copy[i] = static_cast<WCHAR>(text[i]);
    copy[text.size()] = 0;
    *ppszThreadDescription = copy;
    return HRESULT_FROM_NT(STATUS_SUCCESS);
}

// ---- error modes -------------------------------------------------------------------------
//
// Windows shows no box for the errors these flags name when they are set; this library never
// shows one, so the modes only need to be kept and read back: the process's (SetErrorMode)
// and each thread's (SetThreadErrorMode), which are separate.

namespace {

std::atomic<UINT> process_error_mode{0};
thread_local DWORD thread_error_mode = 0;

// The flags a thread's mode may hold (Wine's thread.c test_ThreadErrorMode: every other
// bit, SEM_NOALIGNMENTFAULTEXCEPT among them, is ERROR_INVALID_PARAMETER).
constexpr DWORD kThreadErrorModes = SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX;

}  // namespace

// The previous mode. SEM_NOALIGNMENTFAULTEXCEPT, once set, stays: "subsequent attempts
// to clear the value are ignored" (Microsoft Learn, SetErrorMode).
extern "C" UINT WINAPI SetErrorMode(UINT uMode)
{
    UINT previous = process_error_mode.load(std::memory_order_relaxed);
    while (!process_error_mode.compare_exchange_weak(previous, uMode | (previous & SEM_NOALIGNMENTFAULTEXCEPT),
                                                     std::memory_order_relaxed)) {
    }
    return previous;
}

extern "C" UINT WINAPI GetErrorMode(void) { return process_error_mode.load(std::memory_order_relaxed); }

extern "C" BOOL WINAPI SetThreadErrorMode(DWORD dwNewMode, LPDWORD lpOldMode)
{
    if (dwNewMode & ~kThreadErrorModes) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (lpOldMode != nullptr) *lpOldMode = thread_error_mode;
    thread_error_mode = dwNewMode;
    return TRUE;
}

extern "C" DWORD WINAPI GetThreadErrorMode(void) { return thread_error_mode; }

// ---- the calling thread's stack ----------------------------------------------------------

namespace {

// The calling thread's stack as glibc knows it (for the first thread, the region its
// RLIMIT_STACK allows). False if glibc cannot tell.
bool current_stack(uintptr_t* low, uintptr_t* high)
{
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return false;
    void* address = nullptr;
    size_t size = 0;
    int error = pthread_attr_getstack(&attr, &address, &size);
    pthread_attr_destroy(&attr);
    if (error != 0 || address == nullptr || size == 0) return false;
    *low = reinterpret_cast<uintptr_t>(address);
    *high = *low + size;
    return true;
}

// Bytes of stack the thread asked to keep for handling a stack overflow.
thread_local ULONG stack_guarantee = 0;

}  // namespace

extern "C" void WINAPI GetCurrentThreadStackLimits(PULONG_PTR LowLimit, PULONG_PTR HighLimit)
{
    uintptr_t low = 0, high = 0;
    if (!current_stack(&low, &high)) {
        // glibc always knows its threads' stacks; should it not, a local's page is the
        // least that is true.
        uintptr_t here = reinterpret_cast<uintptr_t>(&low) & ~uintptr_t(4095);
        low = here;
        high = here + 4096;
    }
    // Windows faults on a NULL pointer (Wine's thread.c: "crashes on native"); nothing
    // is written through one here.
    if (LowLimit != nullptr) *LowLimit = low;
    if (HighLimit != nullptr) *HighLimit = high;
}

// Windows' rules (Wine's thread.c test_SetThreadStackGuarantee): the size is rounded up to
// whole pages, at least two on 64-bit; the guarantee only grows; the previous guarantee is
// written back, on failure too; a size the stack cannot hold is ERROR_INVALID_PARAMETER;
// 0 reads the guarantee. Linux raises no stack-overflow exception (the process gets
// SIGSEGV), so the guarantee is recorded, not reserved (docs/win32-status.md).
extern "C" BOOL WINAPI SetThreadStackGuarantee(PULONG StackSizeInBytes)
{
    if (StackSizeInBytes == nullptr) return fail(ERROR_NOACCESS, FALSE);
    constexpr ULONG kPage = 4096;
    constexpr ULONG kLeast = kPage * sizeof(void*) / 4;
    ULONG asked = *StackSizeInBytes;
    ULONG previous = stack_guarantee;
    *StackSizeInBytes = previous;
    if (asked == 0) return TRUE;
    uint64_t wanted = (uint64_t(asked) + kPage - 1) & ~uint64_t(kPage - 1);
    if (wanted < kLeast) wanted = kLeast;
    uintptr_t low = 0, high = 0;
    if (current_stack(&low, &high) && wanted >= high - low) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (wanted > previous) stack_guarantee = static_cast<ULONG>(wanted);
    return TRUE;
}

// ---- threads "in another process": this one only -----------------------------------------

// CreateRemoteThread(Ex) of this process (GetCurrentProcess(), or a handle OpenProcess gave
// for this process's id) is CreateThread; the handle needs the rights Microsoft Learn lists
// (PROCESS_CREATE_THREAD, PROCESS_QUERY_INFORMATION, PROCESS_VM_OPERATION,
// PROCESS_VM_WRITE, PROCESS_VM_READ: ERROR_ACCESS_DENIED without them). Another process's:
// ERROR_CALL_NOT_IMPLEMENTED, as Linux cannot start a thread in another process
// (docs/deviations.md). PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY sets the thread's processors
// before it runs; group 0 within the process's processors, or ERROR_INVALID_PARAMETER
// (Wine's kernel32 thread.c test_CreateRemoteThreadEx_affinity).
extern "C" HANDLE WINAPI CreateRemoteThreadEx(HANDLE hProcess, LPSECURITY_ATTRIBUTES lpThreadAttributes,
                                              SIZE_T dwStackSize, LPTHREAD_START_ROUTINE lpStartAddress,
                                              LPVOID lpParameter, DWORD dwCreationFlags,
                                              LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList, LPDWORD lpThreadId)
{
    constexpr ACCESS_MASK kNeeded =
        PROCESS_CREATE_THREAD | PROCESS_QUERY_INFORMATION | PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_VM_READ;
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(hProcess, kernel::ObjectType::Process, 0, &granted, &error);
    if (object == nullptr) return fail(error, HANDLE(nullptr));
    bool self = object == kernel::current_process_object();
    object->release_reference();
    if ((granted & kNeeded) != kNeeded) return fail(ERROR_ACCESS_DENIED, HANDLE(nullptr));
    if (!self) return fail(ERROR_CALL_NOT_IMPLEMENTED, HANDLE(nullptr));
    GROUP_AFFINITY affinity;
    if (!win32::attribute_group_affinity(lpAttributeList, &affinity))
        return CreateThread(lpThreadAttributes, dwStackSize, lpStartAddress, lpParameter, dwCreationFlags, lpThreadId);
    DWORD_PTR process_mask = 0, system_mask = 0;
    GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask);
    if (affinity.Group != 0 || affinity.Mask == 0 || (affinity.Mask & ~process_mask) != 0)
        return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    HANDLE thread = CreateThread(lpThreadAttributes, dwStackSize, lpStartAddress, lpParameter,
                                 dwCreationFlags | CREATE_SUSPENDED, lpThreadId);
    if (thread == nullptr) return nullptr;
    if (!SetThreadGroupAffinity(thread, &affinity, nullptr)) {
        error = GetLastError();
        TerminateThread(thread, 0);  // it has not begun its routine: it ends without running it
        CloseHandle(thread);
        return fail(error, HANDLE(nullptr));
    }
    if (!(dwCreationFlags & CREATE_SUSPENDED)) ResumeThread(thread);
    return thread;
}

extern "C" HANDLE WINAPI CreateRemoteThread(HANDLE hProcess, LPSECURITY_ATTRIBUTES lpThreadAttributes,
                                            SIZE_T dwStackSize, LPTHREAD_START_ROUTINE lpStartAddress,
                                            LPVOID lpParameter, DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    return CreateRemoteThreadEx(hProcess, lpThreadAttributes, dwStackSize, lpStartAddress, lpParameter,
                                dwCreationFlags, nullptr, lpThreadId);
}
