/* test_semaphore_mutex.c: semaphores (counts, limits, previous count, over-release) and
 * mutexes (recursive ownership, ERROR_NOT_OWNER, abandonment when the owner exits). */
#include "testlib.h"

static void semaphore_counts(void)
{
    TEST("semaphore: waits take the count down to zero");
    HANDLE semaphore = CreateSemaphoreA(NULL, 2, 3, NULL);
    CHECK(semaphore != NULL);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);

    TEST("semaphore: ReleaseSemaphore reports the previous count");
    LONG previous = 0x5555;
    CHECK(ReleaseSemaphore(semaphore, 2, &previous));
    CHECK_EQ(previous, 0);
    CHECK(ReleaseSemaphore(semaphore, 1, &previous));
    CHECK_EQ(previous, 2);

    TEST("semaphore: a release past the maximum fails and changes nothing");
    previous = 0x5555;
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseSemaphore(semaphore, 1, &previous));
    CHECK_ERROR(ERROR_TOO_MANY_POSTS);
    CHECK_EQ(previous, 0x5555);
    CHECK(ReleaseSemaphore(semaphore, 0x7fffffff, NULL) == FALSE);
    for (int i = 0; i < 3; ++i) CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(semaphore, 0), WAIT_TIMEOUT);

    TEST("semaphore: release count zero or negative");
    WINE_DEVIATION("Wine accepts a release count of 0 and calls -1 a limit overflow; "
                   "Windows requires a count greater than zero (ERROR_INVALID_PARAMETER)")
    {
        SetLastError(0xdeadbeef);
        CHECK(!ReleaseSemaphore(semaphore, 0, NULL));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(!ReleaseSemaphore(semaphore, -1, NULL));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CloseHandle(semaphore);
}

static void semaphore_bad_creation(void)
{
    TEST("semaphore: invalid initial or maximum counts");
    LONG cases[][2] = {{2, 1}, {0, 0}, {-1, 1}, {0, -5}};
    for (int i = 0; i < 4; ++i) {
        SetLastError(0xdeadbeef);
        CHECK(CreateSemaphoreA(NULL, cases[i][0], cases[i][1], NULL) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    TEST("semaphore: named, opened, type-checked");
    HANDLE named = CreateSemaphoreA(NULL, 1, 5, "overlapped-test-semaphore");
    HANDLE opened = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "overlapped-test-semaphore");
    CHECK(opened != NULL);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(named, 0), WAIT_TIMEOUT);
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(named));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(opened);
    CloseHandle(named);
}

static HANDLE shared_mutex;
static volatile LONG thread_result;

static DWORD WINAPI release_from_other_thread(LPVOID unused)
{
    (void)unused;
    SetLastError(0xdeadbeef);
    BOOL released = ReleaseMutex(shared_mutex);
    thread_result = released ? 0 : (LONG)GetLastError();
    return 0;
}

static DWORD WINAPI take_and_exit(LPVOID unused)
{
    (void)unused;
    thread_result = (LONG)WaitForSingleObject(shared_mutex, 3000);
    return 0; /* ends owning the mutex: it is abandoned */
}

static DWORD WINAPI wait_for_mutex(LPVOID unused)
{
    (void)unused;
    DWORD result = WaitForSingleObject(shared_mutex, 3000);
    if (result == WAIT_OBJECT_0 || result == WAIT_ABANDONED_0) ReleaseMutex(shared_mutex);
    return result;
}

static void mutex_ownership(void)
{
    TEST("mutex: the owner may acquire it again; each acquisition needs a release");
    HANDLE mutex = CreateMutexA(NULL, FALSE, NULL);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(mutex));
    CHECK(ReleaseMutex(mutex));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(mutex));
    CHECK_ERROR(ERROR_NOT_OWNER);
    CloseHandle(mutex);

    TEST("mutex: created owned; another thread cannot release it or take it");
    shared_mutex = CreateMutexA(NULL, TRUE, NULL);
    HANDLE thread = CreateThread(NULL, 0, release_from_other_thread, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(thread_result, ERROR_NOT_OWNER);
    CloseHandle(thread);
    thread = CreateThread(NULL, 0, wait_for_mutex, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 300), WAIT_TIMEOUT); /* it is blocked on the mutex */
    CHECK(ReleaseMutex(shared_mutex));
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(shared_mutex);
}

static void mutex_abandonment(void)
{
    TEST("mutex: an owner that exits abandons it; the next wait gets WAIT_ABANDONED_0 and owns it");
    shared_mutex = CreateMutexA(NULL, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, take_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(thread_result, WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(WaitForSingleObject(shared_mutex, 1000), WAIT_ABANDONED_0);
    CHECK_EQ(WaitForSingleObject(shared_mutex, 0), WAIT_OBJECT_0); /* owned now, recursively */
    CHECK(ReleaseMutex(shared_mutex));
    CHECK(ReleaseMutex(shared_mutex));

    TEST("mutex: abandonment in WaitForMultipleObjects reports WAIT_ABANDONED_0 + index");
    thread = CreateThread(NULL, 0, take_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);
    HANDLE never = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE handles[2] = {never, shared_mutex};
    CHECK_EQ(WaitForMultipleObjects(2, handles, FALSE, 1000), WAIT_ABANDONED_0 + 1);
    CHECK(ReleaseMutex(shared_mutex));

    /* NT's wait-all reports STATUS_ABANDONED (WAIT_ABANDONED_0) whatever the abandoned
     * mutex's index: the satisfied wait's status, not an index (ReactOS's
     * KeWaitForMultipleObjects; Wine answers the same). */
    TEST("mutex: a wait-all that takes an abandoned mutex reports WAIT_ABANDONED_0");
    thread = CreateThread(NULL, 0, take_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CloseHandle(thread);
    SetEvent(never);
    CHECK_EQ(WaitForMultipleObjects(2, handles, TRUE, 1000), WAIT_ABANDONED_0);
    CHECK(ReleaseMutex(shared_mutex));
    CHECK_EQ(WaitForMultipleObjects(2, handles, TRUE, 1000), WAIT_OBJECT_0); /* no longer abandoned */
    CHECK(ReleaseMutex(shared_mutex));
    ResetEvent(never);

    TEST("mutex: a waiting thread is handed an abandoned mutex when its owner exits");
    CHECK_EQ(WaitForSingleObject(shared_mutex, 0), WAIT_OBJECT_0);
    HANDLE waiter = CreateThread(NULL, 0, wait_for_mutex, NULL, 0, NULL);
    Sleep(200);
    CHECK(ReleaseMutex(shared_mutex));
    CHECK_EQ(WaitForSingleObject(waiter, 3000), WAIT_OBJECT_0);
    DWORD code = 0xdead;
    GetExitCodeThread(waiter, &code);
    CHECK_EQ(code, WAIT_OBJECT_0);
    CloseHandle(waiter);
    CloseHandle(never);
    CloseHandle(shared_mutex);
}

static void mutex_named(void)
{
    TEST("mutex: named, opened; the opener is not the owner");
    HANDLE mutex = CreateMutexA(NULL, TRUE, "overlapped-test-mutex");
    SetLastError(0xdeadbeef);
    HANDLE again = CreateMutexA(NULL, TRUE, "overlapped-test-mutex");
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    /* The second CreateMutex with bInitialOwner on an existing mutex does not take it
     * again: one release frees it. */
    CHECK(ReleaseMutex(mutex));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(again));
    CHECK_ERROR(ERROR_NOT_OWNER);
    HANDLE opened = OpenMutexA(MUTEX_ALL_ACCESS, FALSE, "overlapped-test-mutex");
    CHECK(opened != NULL);
    CloseHandle(opened);

    /* Wine's kernel32 sync test_mutex. */
    TEST("mutex: generic rights stand for the mutex's rights; access 0 is refused");
    opened = OpenMutexA(GENERIC_EXECUTE, FALSE, "overlapped-test-mutex");
    CHECK(opened != NULL);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0); /* GENERIC_EXECUTE has SYNCHRONIZE */
    CHECK(ReleaseMutex(opened));                              /* which needs no right at all */
    CloseHandle(opened);
    opened = OpenMutexA(GENERIC_READ | GENERIC_WRITE, FALSE, "overlapped-test-mutex");
    CHECK(opened != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(opened);
    opened = OpenMutexA(MAXIMUM_ALLOWED, FALSE, "overlapped-test-mutex");
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(opened));
    CloseHandle(opened);
    WINE_DEVIATION("Wine 8 grants a handle with no access; Windows refuses it")
    {
        SetLastError(0xdeadbeef);
        CHECK(OpenMutexA(0, FALSE, "overlapped-test-mutex") == NULL);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    WINE_DEVIATION("Wine 8 grants rights a mutex does not have; Windows refuses them")
    {
        /* Each access bit alone: the mutex's own rights (MUTANT_QUERY_STATE, the standard
         * rights), MAXIMUM_ALLOWED and the generic rights open it; the other bits, which no
         * mutex has, are refused; ACCESS_SYSTEM_SECURITY needs a privilege. */
        DWORD refused = 0;
        for (int bit = 0; bit < 32; ++bit) {
            SetLastError(0xdeadbeef);
            opened = OpenMutexA(1u << bit, FALSE, "overlapped-test-mutex");
            if (opened != NULL) {
                CloseHandle(opened);
                continue;
            }
            refused |= 1u << bit;
            CHECK_EQ(GetLastError(), (1u << bit) == ACCESS_SYSTEM_SECURITY ? ERROR_PRIVILEGE_NOT_HELD
                                                                           : ERROR_ACCESS_DENIED);
        }
        CHECK_EQ(refused, 0x0de0fffe);
        SetLastError(0xdeadbeef);
        CHECK(OpenMutexA(EVENT_ALL_ACCESS, FALSE, "overlapped-test-mutex") == NULL); /* EVENT_MODIFY_STATE */
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    HANDLE created = CreateMutexExA(NULL, NULL, 0, GENERIC_EXECUTE);
    CHECK_EQ(WaitForSingleObject(created, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(created));
    CloseHandle(created);
    created = CreateSemaphoreExA(NULL, 0, 2, NULL, 0, GENERIC_WRITE);
    CHECK(ReleaseSemaphore(created, 1, NULL)); /* GENERIC_WRITE has SEMAPHORE_MODIFY_STATE */
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(created, 0), WAIT_FAILED); /* and not SYNCHRONIZE */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(created);
    CloseHandle(again);
    CloseHandle(mutex);
}


static HANDLE held_thrice;

static DWORD WINAPI take_three_times_and_exit(LPVOID unused)
{
    (void)unused;
    for (int i = 0; i < 3; ++i) WaitForSingleObject(held_thrice, 0);
    return 0;
}

static DWORD WINAPI create_named_owned(LPVOID result)
{
    /* CreateMutex(bInitialOwner TRUE) of a name that exists opens it without taking it. */
    HANDLE mutex = CreateMutexA(NULL, TRUE, "ovl-test-mutex-owned-elsewhere");
    DWORD *out = result;
    out[0] = GetLastError();
    SetLastError(0xdeadbeef);
    out[1] = ReleaseMutex(mutex);
    out[2] = GetLastError();
    CloseHandle(mutex);
    return 0;
}

static void names_rights_and_counts(void)
{
    /* Wine's kernel32 sync test_mutex, test_semaphore, test_waitable_timer and
     * test_temporary_objects. */
    TEST("names are case-sensitive");
    HANDLE mutex = CreateMutexA(NULL, FALSE, "ovl-test-CaseMutex");
    SetLastError(0xdeadbeef);
    CHECK(OpenMutexA(READ_CONTROL, FALSE, "OVL-TEST-CASEMUTEX") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    HANDLE other = CreateMutexA(NULL, FALSE, "ovl-test-casemutex");
    CHECK(other != NULL);
    CHECK_ERROR(0);
    CloseHandle(other);
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, "ovl-test-CaseSemaphore");
    SetLastError(0xdeadbeef);
    CHECK(OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "ovl-test-casesemaphore") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CloseHandle(semaphore);

    TEST("mutex: a handle without SYNCHRONIZE cannot wait; one with READ_CONTROL alone may release");
    SetLastError(0xdeadbeef);
    HANDLE opened = OpenMutexA(GENERIC_READ | GENERIC_WRITE, FALSE, "ovl-test-CaseMutex");
    CHECK(opened != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(opened);
    for (int i = 0; i < 32; ++i) CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    opened = OpenMutexA(READ_CONTROL, FALSE, "ovl-test-CaseMutex");
    CHECK(opened != NULL);
    for (int i = 0; i < 32; ++i) CHECK(ReleaseMutex(opened));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(mutex));
    CHECK_ERROR(ERROR_NOT_OWNER);
    CloseHandle(opened);

    TEST("a closed name is gone: mutex, semaphore, timer");
    CloseHandle(mutex);
    SetLastError(0xdeadbeef);
    CHECK(OpenMutexA(READ_CONTROL, FALSE, "ovl-test-CaseMutex") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(OpenSemaphoreA(READ_CONTROL, FALSE, "ovl-test-CaseSemaphore") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CloseHandle(CreateWaitableTimerA(NULL, FALSE, "ovl-test-gone-timer"));
    SetLastError(0xdeadbeef);
    CHECK(OpenWaitableTimerA(READ_CONTROL, FALSE, "ovl-test-gone-timer") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(OpenWaitableTimerW(TIMER_ALL_ACCESS, FALSE, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("mutex: a create that opens an existing name does not take ownership");
    mutex = CreateMutexA(NULL, TRUE, "ovl-test-mutex-owned-elsewhere");
    DWORD seen[3] = {0, 0, 0};
    HANDLE thread = CreateThread(NULL, 0, create_named_owned, seen, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(seen[0], ERROR_ALREADY_EXISTS);
    CHECK_EQ(seen[1], FALSE);
    CHECK_EQ(seen[2], ERROR_NOT_OWNER);
    SetLastError(0xdeadbeef);
    other = CreateMutexA(NULL, TRUE, "ovl-test-mutex-owned-elsewhere"); /* its owner: no second count */
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK(ReleaseMutex(mutex));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(mutex));
    CHECK_ERROR(ERROR_NOT_OWNER);
    CloseHandle(other);
    CloseHandle(mutex);

    TEST("semaphore: a create that opens an existing name keeps its counts; bad counts still fail");
    semaphore = CreateSemaphoreA(NULL, 1, 5, "ovl-test-semaphore-counts");
    SetLastError(0xdeadbeef);
    other = CreateSemaphoreA(NULL, 0, 1, "ovl-test-semaphore-counts");
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    LONG previous = -1;
    CHECK(ReleaseSemaphore(other, 3, &previous));
    CHECK_EQ(previous, 1);
    SetLastError(0xdeadbeef);
    CHECK(CreateSemaphoreA(NULL, 2, 1, "ovl-test-semaphore-counts") == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(other);
    CloseHandle(semaphore);

    TEST("semaphore: at LONG's maximum a release of 1 is too many; the previous count is left alone");
    semaphore = CreateSemaphoreA(NULL, 0x7fffffff, 0x7fffffff, NULL);
    CHECK(semaphore != NULL);
    previous = 55;
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseSemaphore(semaphore, 1, &previous));
    CHECK_ERROR(ERROR_TOO_MANY_POSTS);
    CHECK_EQ(previous, 55);
    CloseHandle(semaphore);

    TEST("mutex: a thread that exits holding it three times abandons it once");
    held_thrice = CreateMutexA(NULL, FALSE, NULL);
    thread = CreateThread(NULL, 0, take_three_times_and_exit, NULL, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(WaitForSingleObject(held_thrice, 0), WAIT_ABANDONED_0);
    CHECK(ReleaseMutex(held_thrice));
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(held_thrice));
    CHECK_ERROR(ERROR_NOT_OWNER);
    CHECK_EQ(WaitForSingleObject(held_thrice, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(held_thrice));
    CloseHandle(held_thrice);

    TEST("the operations of one type on another's handle: ERROR_INVALID_HANDLE");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseSemaphore(event, 1, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(semaphore));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!ReleaseMutex(semaphore));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!ResetEvent(GetCurrentProcess()));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!PulseEvent(NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
    CloseHandle(semaphore);
}

int main(void)
{
    semaphore_counts();
    semaphore_bad_creation();
    mutex_ownership();
    mutex_abandonment();
    mutex_named();
    names_rights_and_counts();
    return tl_finish();
}
