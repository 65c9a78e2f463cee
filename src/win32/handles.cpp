// handles.cpp: CloseHandle, DuplicateHandle, handle information, pseudo handles.
#include <unistd.h>

#include "drivers/handle_offer.h"
#include "kernel/handle_table.h"
#include "kernel/process.h"
#include "overlapped/overlapped.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

extern "C" BOOL WINAPI CloseHandle(HANDLE hObject)
{
    // A standard handle's pseudo value ((HANDLE)STD_ERROR_HANDLE..., the DWORD widened
    // either way) closes that standard handle, which is NULL from then on (Windows'
    // CloseHandle since XP; Wine's kernel32 process test, test_Handles, which passes on
    // Windows).
    static const DWORD kStandard[] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    for (DWORD which : kStandard) {
        if (hObject != reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(which)) &&
            hObject != reinterpret_cast<HANDLE>(static_cast<LONG_PTR>(static_cast<LONG>(which))))
            continue;
        hObject = GetStdHandle(which);
        SetStdHandle(which, nullptr);
        break;
    }
    DWORD error = kernel::handle_close(hObject);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

extern "C" BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    // Each process handle names this process, or another process built on the library:
    // a handle is offered to another target, and taken out of another source with its
    // help (drivers/handle_offer.h). Not both at once.
    // A call that fails leaves NULL in *lpTargetHandle: NT's NtDuplicateObject stores it
    // before it looks at anything (ReactOS's obhandle.c; Wine does the same).
    if (lpTargetHandle != nullptr) *lpTargetHandle = nullptr;
    DWORD error;
    pid_t pids[2] = {0, 0};  // source, target; 0: this process
    HANDLE processes[2] = {hSourceProcessHandle, hTargetProcessHandle};
    for (int i = 0; i < 2; ++i) {
        kernel::Object* object = kernel::handle_lock(processes[i], kernel::ObjectType::Process, 0, &error);
        bool ended = false;
        if (object != nullptr) {
            bool elsewhere = object != kernel::current_process_object();
            auto* other = static_cast<kernel::ProcessObject*>(object);
            ended = elsewhere && other->exited();
            if (elsewhere) pids[i] = static_cast<pid_t>(other->process_id());
            object->lock.unlock();
            if (ended) error = ERROR_ACCESS_DENIED;  // Windows: the process is terminating
        }
        if (object == nullptr || ended) {
            // A bad target process still closes a source of this process: Windows closes
            // it "regardless of any error status returned" (DuplicateHandle, Microsoft Learn).
            if (i == 1 && pids[0] == 0 && (dwOptions & DUPLICATE_CLOSE_SOURCE))
                kernel::handle_close(hSourceHandle);
            return fail(error, FALSE);
        }
    }
    if (pids[0] != 0 && pids[1] != 0) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    DWORD flags = bInheritHandle ? HANDLE_FLAG_INHERIT : 0;
    kernel::Object* object = nullptr;
    ACCESS_MASK access = dwDesiredAccess;
    if (pids[0] != 0) {
        error = drivers::take_handle(pids[0], hSourceHandle, dwDesiredAccess, dwOptions, &object, &access);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
    } else {
        object = kernel::handle_reference(hSourceHandle, kernel::ObjectType::Any, 0, &error);
        if (object == nullptr) return fail(error, FALSE);
        if (dwOptions & DUPLICATE_SAME_ACCESS) {
            if (hSourceHandle == kernel::kCurrentThreadHandle)
                access = THREAD_ALL_ACCESS;
            else if (hSourceHandle == kernel::kCurrentProcessHandle)
                access = PROCESS_ALL_ACCESS;
            else if (kernel::handle_get_access(hSourceHandle, &access) != ERROR_SUCCESS)
                access = dwDesiredAccess;
        }
        ACCESS_MASK source_access = 0;  // a child's primary-thread handle stays one
        if (kernel::handle_get_access(hSourceHandle, &source_access) == ERROR_SUCCESS)
            access = (access & ~kernel::kAccessPrimaryThread) | (source_access & kernel::kAccessPrimaryThread);
        access &= ~kernel::kAccessNotDuplicated;
    }
    // DUPLICATE_CLOSE_SOURCE closes the source once the duplicate exists (into another
    // process: once the object is on offer): closing its last handle first would end what
    // the duplicate passes on (a named pipe's end shuts its connection down at its last
    // close; an object's name goes with its last handle).
    if (pids[1] != 0) {
        if (lpTargetHandle == nullptr) {
            // A NULL target into another process: nothing is offered.
            if (pids[0] == 0 && (dwOptions & DUPLICATE_CLOSE_SOURCE)) kernel::handle_close(hSourceHandle);
            object->release_reference();
            return TRUE;
        }
        HANDLE offered = nullptr;
        error = drivers::offer_handle(object, pids[1], access, flags, &offered);
        // Closed whatever the outcome, as DuplicateHandle says of DUPLICATE_CLOSE_SOURCE.
        if (pids[0] == 0 && (dwOptions & DUPLICATE_CLOSE_SOURCE)) kernel::handle_close(hSourceHandle);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
        *lpTargetHandle = offered;
        return TRUE;
    }
    // A NULL target is allowed: the duplicate is made and not returned, so it stays open
    // until the process ends (Microsoft Learn, DuplicateHandle: kept for compatibility,
    // "you will lose system resources until the target process terminates"); it keeps
    // the object and its name, as there.
    HANDLE duplicate = kernel::handle_create(object, access, flags, &error);
    if (pids[0] == 0 && (dwOptions & DUPLICATE_CLOSE_SOURCE)) kernel::handle_close(hSourceHandle);
    if (duplicate == nullptr) return fail(error, FALSE);
    if (lpTargetHandle != nullptr) *lpTargetHandle = duplicate;
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

extern "C" BOOL WINAPI CompareObjectHandles(HANDLE hFirstObjectHandle, HANDLE hSecondObjectHandle)
{
    // Whether two handles (pseudo handles included) name one object: FALSE with
    // ERROR_NOT_SAME_OBJECT when they do not, ERROR_INVALID_HANDLE when one is not a handle.
    DWORD error;
    kernel::Object* first = kernel::handle_reference(hFirstObjectHandle, kernel::ObjectType::Any, 0, &error);
    if (first == nullptr) return fail(error, FALSE);
    kernel::Object* second = kernel::handle_reference(hSecondObjectHandle, kernel::ObjectType::Any, 0, &error);
    if (second == nullptr) {
        first->release_reference();
        return fail(error, FALSE);
    }
    bool same = first == second;
    first->release_reference();
    second->release_reference();
    if (!same) return fail(ERROR_NOT_SAME_OBJECT, FALSE);
    return TRUE;
}

extern "C" HANDLE WINAPI GetCurrentProcess(void) { return kernel::kCurrentProcessHandle; }

extern "C" HANDLE WINAPI GetCurrentThread(void) { return kernel::kCurrentThreadHandle; }

extern "C" DWORD WINAPI GetCurrentProcessId(void) { return static_cast<DWORD>(getpid()); }

extern "C" DWORD overlapped_open_handles(void) { return kernel::handle_count_open(); }
