// handles.cpp: CloseHandle, DuplicateHandle, handle information, pseudo handles.
#include <unistd.h>

#include "kernel/handle_table.h"
#include "kernel/process.h"
#include "overlapped/overlapped.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

extern "C" BOOL WINAPI CloseHandle(HANDLE hObject)
{
    DWORD error = kernel::handle_close(hObject);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

extern "C" BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    // Both process handles must name this process: a handle made in (or taken from)
    // another process is not built yet (docs/win32-status.md). A child's handle, or
    // OpenProcess of another process, is refused rather than given a handle that would
    // be valid only here.
    DWORD error;
    bool elsewhere = false;
    for (HANDLE process : {hSourceProcessHandle, hTargetProcessHandle}) {
        kernel::Object* object = kernel::handle_lock(process, kernel::ObjectType::Process, 0, &error);
        if (object == nullptr) return fail(error, FALSE);
        if (object != kernel::current_process_object()) elsewhere = true;
        object->lock.unlock();
    }
    if (elsewhere) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    kernel::Object* object = kernel::handle_reference(hSourceHandle, kernel::ObjectType::Any, 0, &error);
    if (object == nullptr) return fail(error, FALSE);
    ACCESS_MASK access = dwDesiredAccess;
    if (dwOptions & DUPLICATE_SAME_ACCESS) {
        if (hSourceHandle == kernel::kCurrentThreadHandle)
            access = THREAD_ALL_ACCESS;
        else if (hSourceHandle == kernel::kCurrentProcessHandle)
            access = PROCESS_ALL_ACCESS;
        else if (kernel::handle_get_access(hSourceHandle, &access) != ERROR_SUCCESS)
            access = dwDesiredAccess;
    }
    access &= ~kernel::kAccessNotDuplicated;
    if (dwOptions & DUPLICATE_CLOSE_SOURCE) kernel::handle_close(hSourceHandle);
    if (lpTargetHandle == nullptr) {
        // Windows allows a NULL target: the duplicate is made and closed at once.
        object->release_reference();
        return TRUE;
    }
    HANDLE duplicate =
        kernel::handle_create(object, access, bInheritHandle ? HANDLE_FLAG_INHERIT : 0, &error);
    if (duplicate == nullptr) return fail(error, FALSE);
    *lpTargetHandle = duplicate;
    return TRUE;
}

extern "C" BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    DWORD flags = 0;
    DWORD error = kernel::handle_get_flags(hObject, &flags);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    if (lpdwFlags == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *lpdwFlags = flags;
    return TRUE;
}

extern "C" BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    DWORD error = kernel::handle_set_flags(hObject, dwMask, dwFlags);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

extern "C" HANDLE WINAPI GetCurrentProcess(void) { return kernel::kCurrentProcessHandle; }

extern "C" HANDLE WINAPI GetCurrentThread(void) { return kernel::kCurrentThreadHandle; }

extern "C" DWORD WINAPI GetCurrentProcessId(void) { return static_cast<DWORD>(getpid()); }

extern "C" DWORD overlapped_open_handles(void) { return kernel::handle_count_open(); }
