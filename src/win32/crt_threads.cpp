// crt_threads.cpp: the C runtime's thread functions from process.h (_beginthreadex,
// _endthreadex, _beginthread, _endthread) over CreateThread and ExitThread, with the C
// runtime's failure reporting (errno, and 0 or -1 back).
#include <windows.h>
#include <process.h>

#include <cerrno>
#include <cstdlib>

namespace {

// The handle _beginthread gave out for the calling thread, which the runtime closes as
// the thread ends; null in a thread _beginthread did not make.
thread_local HANDLE t_beginthread_handle = nullptr;

struct BeginThread {
    void(__cdecl *start)(void *);
    void *arg;
    HANDLE self;
};

// The runtime's errno for a CreateThread failure (Microsoft Learn, _beginthread,
// _beginthreadex: EAGAIN for too many threads, EINVAL for a bad argument, EACCES for a
// lack of resources such as memory).
int crt_errno(DWORD error)
{
    switch (error) {
    case ERROR_INVALID_PARAMETER:
        return EINVAL;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return EACCES;
    default:
        return EAGAIN;
    }
}

[[noreturn]] void end_beginthread(void)
{
    HANDLE self = t_beginthread_handle;
    t_beginthread_handle = nullptr;
    if (self) CloseHandle(self);
    ExitThread(0);
}

DWORD WINAPI beginthread_entry(LPVOID p)
{
    auto *b = static_cast<BeginThread *>(p);
    BeginThread args = *b;
    std::free(b);
    t_beginthread_handle = args.self;
    args.start(args.arg);
    end_beginthread();
}

}  // namespace

extern "C" {

uintptr_t __cdecl _beginthreadex(void *security, unsigned stack_size,
                                 unsigned(__stdcall *start_address)(void *), void *arglist,
                                 unsigned initflag, unsigned *thrdaddr)
{
    if (start_address == nullptr) {
        errno = EINVAL;
        return 0;
    }
    DWORD id = 0;
    // unsigned (*)(void *) and DWORD (*)(LPVOID) are the same function type here.
    HANDLE h = CreateThread(static_cast<LPSECURITY_ATTRIBUTES>(security), stack_size,
                            reinterpret_cast<LPTHREAD_START_ROUTINE>(start_address), arglist,
                            initflag, &id);
    if (h == nullptr) {
        errno = crt_errno(GetLastError());
        return 0;
    }
    if (thrdaddr) *thrdaddr = id;
    return reinterpret_cast<uintptr_t>(h);
}

void __cdecl _endthreadex(unsigned retval) { ExitThread(retval); }

uintptr_t __cdecl _beginthread(void(__cdecl *start_address)(void *), unsigned stack_size,
                               void *arglist)
{
    if (start_address == nullptr) {
        errno = EINVAL;
        return static_cast<uintptr_t>(-1);
    }
    auto *b = static_cast<BeginThread *>(std::malloc(sizeof(BeginThread)));
    if (b == nullptr) {
        errno = EAGAIN;
        return static_cast<uintptr_t>(-1);
    }
    *b = BeginThread{start_address, arglist, nullptr};
    // Suspended until it knows its own handle, which it closes as it ends.
    HANDLE h = CreateThread(nullptr, stack_size, beginthread_entry, b, CREATE_SUSPENDED, nullptr);
    if (h == nullptr) {
        errno = crt_errno(GetLastError());
        std::free(b);
        return static_cast<uintptr_t>(-1);
    }
    b->self = h;
    ResumeThread(h);
    return reinterpret_cast<uintptr_t>(h);
}

void __cdecl _endthread(void) { end_beginthread(); }

}  // extern "C"
