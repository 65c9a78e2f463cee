/* test_handles.c: handle rules: invalid and closed handles, pseudo handles,
 * DuplicateHandle, handle information, object lifetime across handles. */
#include "testlib.h"

static DWORD WINAPI duplicate_own_handle(LPVOID out)
{
    HANDLE real = NULL;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &real, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    InterlockedExchangePointer((PVOID volatile *)out, real);
    Sleep(100);
    return 9;
}

static void invalid_handles(void)
{
    TEST("closing twice, NULL, and a value that never was a handle");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    CHECK(CloseHandle(event));
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(event));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject((HANDLE)(ULONG_PTR)0x7ff0, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("a closed handle does not reach an object created after it");
    HANDLE old_handle = CreateEventA(NULL, TRUE, FALSE, NULL);
    CloseHandle(old_handle);
    HANDLE fresh = CreateEventA(NULL, TRUE, FALSE, NULL);
    /* Windows may hand out the same value again at once; only when it differs must
     * the old value fail. */
    if (fresh != old_handle) {
        SetLastError(0xdeadbeef);
        CHECK(!SetEvent(old_handle));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK_EQ(WaitForSingleObject(fresh, 0), WAIT_TIMEOUT);
    }
    CloseHandle(fresh);
}

static void pseudo_handles(void)
{
    TEST("pseudo handles");
    CHECK(GetCurrentProcess() == (HANDLE)(LONG_PTR)-1);
    CHECK(GetCurrentThread() == (HANDLE)(LONG_PTR)-2);
    CHECK(CloseHandle(GetCurrentThread()));
    CHECK_EQ(WaitForSingleObject(GetCurrentProcess(), 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(GetCurrentThread(), 0), WAIT_TIMEOUT);

    TEST("DuplicateHandle of GetCurrentThread gives a real handle, signalled at thread exit");
    PVOID volatile shared = NULL;
    HANDLE thread = CreateThread(NULL, 0, duplicate_own_handle, (LPVOID)&shared, 0, NULL);
    while (tl_load_pointer(&shared) == NULL) Sleep(1);
    HANDLE real = (HANDLE)tl_load_pointer(&shared);
    CHECK(real != GetCurrentThread());
    CHECK_EQ(WaitForSingleObject(real, 3000), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(real, &code));
    CHECK_EQ(code, 9);
    CloseHandle(real);
    CloseHandle(thread);
}

static void duplicates(void)
{
    TEST("a duplicate refers to the same object, which lives until the last handle closes");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE copy = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(copy != NULL);
    CHECK(copy != event);
    CHECK(SetEvent(event));
    CHECK_EQ(WaitForSingleObject(copy, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(event));
    CHECK(ResetEvent(copy));
    CHECK_EQ(WaitForSingleObject(copy, 0), WAIT_TIMEOUT);

    TEST("DUPLICATE_CLOSE_SOURCE closes the source");
    HANDLE moved = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), copy, GetCurrentProcess(), &moved, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    /* The source's value may come straight back as the new handle (Windows and Wine
     * reuse freed values at once); only a different value must be closed. */
    if (moved != copy) {
        SetLastError(0xdeadbeef);
        CHECK(!SetEvent(copy));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
    CHECK(SetEvent(moved));
    CHECK(CloseHandle(moved));

    TEST("DUPLICATE_CLOSE_SOURCE closes the source even when the target process is bad");
    /* Microsoft Learn, DuplicateHandle: the source is closed "regardless of any error
     * status returned". */
    HANDLE doomed = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE never = NULL;
    SetLastError(0xdeadbeef);
    CHECK(!DuplicateHandle(GetCurrentProcess(), doomed, (HANDLE)(ULONG_PTR)0x1230, &never, 0, FALSE,
                           DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(doomed));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    doomed = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!DuplicateHandle(GetCurrentProcess(), doomed, doomed, &never, 0, FALSE,
                           DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE)); /* not a process */
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(doomed));
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("a duplicate with less access is limited to it");
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE limited = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &limited, SYNCHRONIZE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(limited));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(limited, 0), WAIT_TIMEOUT);
    CloseHandle(limited);
    CloseHandle(event);

    TEST("DuplicateHandle of the thread's pseudo handle with MAXIMUM_ALLOWED or GENERIC_ALL");
    /* The generic rights and MAXIMUM_ALLOWED stand for the thread type's rights (its
     * generic mapping; the creator may do anything with its own thread). */
    DWORD generic_rights[2] = {MAXIMUM_ALLOWED, GENERIC_ALL};
    for (int i = 0; i < 2; ++i) {
        HANDLE thread = NULL;
        CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread,
                              generic_rights[i], FALSE, 0));
        DWORD code = 0;
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, STILL_ACTIVE);
        CHECK_EQ(WaitForSingleObject(thread, 0), WAIT_TIMEOUT);
        CloseHandle(thread);
    }

    TEST("OpenProcess and DuplicateHandle of this process with generic rights or MAXIMUM_ALLOWED");
    /* The same through the process type's mapping: GENERIC_READ reads the process
     * (PROCESS_QUERY_INFORMATION), GENERIC_EXECUTE waits and reads its limited facts
     * (SYNCHRONIZE, PROCESS_QUERY_LIMITED_INFORMATION), GENERIC_ALL and MAXIMUM_ALLOWED do
     * everything (the mapping Wine's server keeps for the Process type; Microsoft Learn,
     * Process Security and Access Rights, for the rights each function needs). */
    HANDLE reader = OpenProcess(GENERIC_READ, FALSE, GetCurrentProcessId());
    CHECK(reader != NULL);
    CHECK_EQ(GetProcessId(reader), GetCurrentProcessId());
    CHECK_EQ(GetPriorityClass(reader), NORMAL_PRIORITY_CLASS);
    HANDLE runner = OpenProcess(GENERIC_EXECUTE, FALSE, GetCurrentProcessId());
    CHECK(runner != NULL);
    CHECK_EQ(WaitForSingleObject(runner, 0), WAIT_TIMEOUT);
    CHECK_EQ(GetProcessId(runner), GetCurrentProcessId());
    HANDLE most = OpenProcess(MAXIMUM_ALLOWED, FALSE, GetCurrentProcessId());
    CHECK(most != NULL);
    CHECK_EQ(WaitForSingleObject(most, 0), WAIT_TIMEOUT);
    DWORD process_code = 0;
    CHECK(GetExitCodeProcess(most, &process_code));
    CHECK_EQ(process_code, STILL_ACTIVE);
    HANDLE all = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &all, GENERIC_ALL, FALSE, 0));
    CHECK(SetPriorityClass(all, NORMAL_PRIORITY_CLASS));
    CHECK_EQ(WaitForSingleObject(all, 0), WAIT_TIMEOUT);
    CloseHandle(all);
    CloseHandle(most);
    CloseHandle(runner);
    CloseHandle(reader);

    TEST("DuplicateHandle of an invalid handle stores NULL in the target");
    /* NT's NtDuplicateObject clears *TargetHandle before it looks at anything (ReactOS's
     * obhandle.c; Wine does the same). */
    HANDLE out = (HANDLE)0x1234;
    SetLastError(0xdeadbeef);
    CHECK(!DuplicateHandle(GetCurrentProcess(), NULL, GetCurrentProcess(), &out, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(out == NULL);
    out = (HANDLE)0x1234;
    CHECK(!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), (HANDLE)(ULONG_PTR)0x1230, &out, 0, FALSE,
                           DUPLICATE_SAME_ACCESS));
    CHECK(out == NULL);
}

/* An object's name lasts while a handle to the object is open: NT removes the name when
 * the handle count drops to zero, whatever else still references the object (ReactOS's
 * ObpDecrementHandleCount calls ObpDeleteNameCheck, which removes the name of an object
 * left without handles; Windows Internals describes the same for temporary objects). */
static void names_and_handles(void)
{
    TEST("a mutex the thread still owns loses its name with its last handle");
    HANDLE mutex = CreateMutexA(NULL, TRUE, "test_handles_owned_mutex");
    CHECK(mutex != NULL);
    CHECK(CloseHandle(mutex));
    SetLastError(0xdeadbeef);
    CHECK(OpenMutexA(SYNCHRONIZE, FALSE, "test_handles_owned_mutex") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    HANDLE fresh = CreateMutexA(NULL, FALSE, "test_handles_owned_mutex");
    CHECK(fresh != NULL);
    CHECK_ERROR(NO_ERROR); /* a new mutex, not ERROR_ALREADY_EXISTS */
    CloseHandle(fresh);
    /* The same for one taken by a wait, and the name is free for another type. */
    mutex = CreateMutexA(NULL, FALSE, "test_handles_taken_mutex");
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(mutex));
    SetLastError(0xdeadbeef);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, "test_handles_taken_mutex");
    CHECK(event != NULL);
    CHECK_ERROR(NO_ERROR);
    CloseHandle(event);

    TEST("DUPLICATE_CLOSE_SOURCE keeps the name: the duplicate exists before the source closes");
    event = CreateEventA(NULL, TRUE, FALSE, "test_handles_moved_event");
    HANDLE moved = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &moved, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    HANDLE opened = OpenEventA(SYNCHRONIZE, FALSE, "test_handles_moved_event");
    CHECK(opened != NULL);
    SetLastError(0xdeadbeef);
    HANDLE other = CreateSemaphoreA(NULL, 0, 1, "test_handles_moved_event");
    CHECK(other == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    if (opened) CloseHandle(opened);
    CloseHandle(moved);
    CHECK(OpenEventA(SYNCHRONIZE, FALSE, "test_handles_moved_event") == NULL);

    TEST("DuplicateHandle with a NULL target makes a handle it does not return");
    /* Microsoft Learn, DuplicateHandle: with lpTargetHandle NULL the handle is duplicated
     * but not returned ("you will lose system resources until the target process
     * terminates"): it keeps the object, and so its name. */
    event = CreateEventA(NULL, TRUE, FALSE, "test_handles_unreturned_event");
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), NULL, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(CloseHandle(event));
    opened = OpenEventA(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, "test_handles_unreturned_event");
    CHECK(opened != NULL);
    if (opened) CloseHandle(opened);
}

static void information(void)
{
    TEST("GetHandleInformation / SetHandleInformation");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD flags = 0xdeadbeef;
    CHECK(GetHandleInformation(event, &flags));
    CHECK_EQ(flags, 0);
    CHECK(SetHandleInformation(event, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
    CHECK(GetHandleInformation(event, &flags));
    CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
    CHECK(SetHandleInformation(event, HANDLE_FLAG_INHERIT, 0));
    CHECK(GetHandleInformation(event, &flags));
    CHECK_EQ(flags, 0);

    TEST("HANDLE_FLAG_PROTECT_FROM_CLOSE keeps the handle open");
    CHECK(SetHandleInformation(event, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
    CloseHandle(event); /* refused; whether it reports failure is debugger-dependent on Windows */
    CHECK(SetEvent(event));
    CHECK(SetHandleInformation(event, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
    CHECK(CloseHandle(event));

    TEST("bInheritHandle of a creator's SECURITY_ATTRIBUTES marks the new handle inheritable");
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    SECURITY_ATTRIBUTES private_one = {sizeof private_one, NULL, FALSE};
    HANDLE made[] = {
        CreateEventA(&inheritable, TRUE, FALSE, NULL),
        CreateEventW(&inheritable, FALSE, FALSE, NULL),
        CreateEventExA(&inheritable, NULL, 0, EVENT_ALL_ACCESS),
        CreateSemaphoreA(&inheritable, 0, 1, NULL),
        CreateSemaphoreExW(&inheritable, 0, 1, NULL, 0, SEMAPHORE_ALL_ACCESS),
        CreateMutexA(&inheritable, FALSE, NULL),
        CreateMutexExW(&inheritable, NULL, 0, MUTEX_ALL_ACCESS),
        CreateWaitableTimerA(&inheritable, TRUE, NULL),
        CreateEventA(&inheritable, TRUE, FALSE, "ovl-test-inheritable-event"),
    };
    for (size_t i = 0; i < sizeof made / sizeof made[0]; ++i) {
        flags = 0xdeadbeef;
        CHECK(made[i] != NULL && GetHandleInformation(made[i], &flags));
        CHECK_EQ(flags, HANDLE_FLAG_INHERIT);
    }
    /* Opening the named one again through a creator: the new handle's own flag. */
    HANDLE again = CreateEventA(&private_one, TRUE, FALSE, "ovl-test-inheritable-event");
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    flags = 0xdeadbeef;
    CHECK(again != NULL && GetHandleInformation(again, &flags));
    CHECK_EQ(flags, 0);
    CloseHandle(again);
    for (size_t i = 0; i < sizeof made / sizeof made[0]; ++i) CloseHandle(made[i]);

    TEST("handle information on an invalid handle");
    SetLastError(0xdeadbeef);
    CHECK(!GetHandleInformation(NULL, &flags));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

typedef BOOL(WINAPI* compare_fn)(HANDLE, HANDLE);
#ifndef ERROR_NOT_SAME_OBJECT /* not in mingw-w64's winerror.h */
#define ERROR_NOT_SAME_OBJECT 1656
#endif

static void compare_handles(void)
{
    /* CompareObjectHandles (Windows 10, kernelbase; not in mingw's import libraries, so
     * found at run time as a program targeting older Windows would). */
    TEST("CompareObjectHandles: same object through a duplicate, not another one");
    HMODULE kernelbase = GetModuleHandleA("kernelbase.dll");
    CHECK(kernelbase != NULL);
    compare_fn compare = (compare_fn)(void (*)(void))GetProcAddress(kernelbase, "CompareObjectHandles");
    CHECK(compare != NULL);
    if (compare == NULL) return;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE other = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE copy = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &copy, SYNCHRONIZE, FALSE, 0));
    CHECK(compare(event, event));
    CHECK(compare(event, copy));
    CHECK(compare(copy, event));
    SetLastError(0xdeadbeef);
    CHECK(!compare(event, other));
    CHECK_ERROR(ERROR_NOT_SAME_OBJECT);

    TEST("CompareObjectHandles: pseudo handles name their objects; bad handles fail");
    CHECK(compare(GetCurrentProcess(), GetCurrentProcess()));
    HANDLE process = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &process, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    CHECK(compare(process, GetCurrentProcess()));
    SetLastError(0xdeadbeef);
    CHECK(!compare(GetCurrentThread(), GetCurrentProcess()));
    CHECK_ERROR(ERROR_NOT_SAME_OBJECT);
    SetLastError(0xdeadbeef);
    CHECK(!compare(event, (HANDLE)(ULONG_PTR)0x1230));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!compare(NULL, event));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(process);
    CloseHandle(copy);
    CloseHandle(other);
    CloseHandle(event);
}

int main(void)
{
    invalid_handles();
    pseudo_handles();
    duplicates();
    names_and_handles();
    information();
    compare_handles();
    return tl_finish();
}
