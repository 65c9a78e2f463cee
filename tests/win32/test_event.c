/* test_event.c: events: manual and auto reset, Set/Reset/Pulse, CreateEventEx flags,
 * named events (same object, ERROR_ALREADY_EXISTS, type clash, OpenEvent), W names. */
#include "testlib.h"

static HANDLE shared_event;
static volatile LONG woken;

static DWORD WINAPI waiter(LPVOID unused)
{
    (void)unused;
    if (WaitForSingleObject(shared_event, 3000) == WAIT_OBJECT_0) InterlockedIncrement(&woken);
    return 0;
}

static void manual_and_auto(void)
{
    TEST("manual reset: stays signalled for every waiter until reset");
    SetLastError(0xdeadbeef);
    HANDLE manual = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(manual != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);
    CHECK(SetEvent(manual));
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    CHECK(ResetEvent(manual));
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(manual));

    TEST("auto reset: one wait consumes the signal");
    HANDLE automatic = CreateEventA(NULL, FALSE, TRUE, NULL);
    CHECK_EQ(WaitForSingleObject(automatic, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(automatic, 0), WAIT_TIMEOUT);
    CHECK(SetEvent(automatic));
    CHECK(SetEvent(automatic)); /* no count: two sets, one signal */
    CHECK_EQ(WaitForSingleObject(automatic, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(automatic, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(automatic));
}

static void auto_reset_releases_one_waiter(void)
{
    TEST("auto reset with two waiting threads: each SetEvent releases exactly one");
    shared_event = CreateEventA(NULL, FALSE, FALSE, NULL);
    tl_store(&woken, 0);
    HANDLE threads[2];
    for (int i = 0; i < 2; ++i) threads[i] = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    Sleep(200);
    CHECK(SetEvent(shared_event));
    Sleep(200);
    CHECK_EQ(tl_load(&woken), 1);
    CHECK(SetEvent(shared_event));
    CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 3000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&woken), 2);
    CHECK_EQ(WaitForSingleObject(shared_event, 0), WAIT_TIMEOUT);
    for (int i = 0; i < 2; ++i) CloseHandle(threads[i]);
    CloseHandle(shared_event);
}

static void manual_reset_releases_all(void)
{
    TEST("manual reset with three waiting threads: one SetEvent releases all");
    shared_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    tl_store(&woken, 0);
    HANDLE threads[3];
    for (int i = 0; i < 3; ++i) threads[i] = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    Sleep(200);
    CHECK(SetEvent(shared_event));
    CHECK_EQ(WaitForMultipleObjects(3, threads, TRUE, 3000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&woken), 3);
    for (int i = 0; i < 3; ++i) CloseHandle(threads[i]);
    CloseHandle(shared_event);
}

static void pulse(void)
{
    TEST("PulseEvent with no waiter leaves the event unsignalled");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(PulseEvent(event));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CloseHandle(event);

    TEST("PulseEvent releases a waiting thread and resets");
    shared_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    tl_store(&woken, 0);
    HANDLE thread = CreateThread(NULL, 0, waiter, NULL, 0, NULL);
    Sleep(200);
    CHECK(PulseEvent(shared_event));
    CHECK_EQ(WaitForSingleObject(thread, 3000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&woken), 1);
    CHECK_EQ(WaitForSingleObject(shared_event, 0), WAIT_TIMEOUT);
    CloseHandle(thread);
    CloseHandle(shared_event);
}

static void create_event_ex(void)
{
    TEST("CreateEventEx flags");
    HANDLE event = CreateEventExA(NULL, NULL, CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
    CHECK(event != NULL);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CloseHandle(event);
    event = CreateEventExA(NULL, NULL, 0, EVENT_ALL_ACCESS);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CHECK(SetEvent(event));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CloseHandle(event);

    TEST("a handle without EVENT_MODIFY_STATE cannot set the event");
    event = CreateEventExA(NULL, NULL, 0, SYNCHRONIZE);
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(event));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CloseHandle(event);

    TEST("generic rights stand for the event's rights (CreateEventEx, DuplicateHandle, OpenEvent)");
    event = CreateEventExA(NULL, "overlapped-test-generic-event", 0, GENERIC_ALL);
    CHECK(SetEvent(event));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    HANDLE duplicate = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &duplicate, GENERIC_EXECUTE, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(duplicate)); /* GENERIC_EXECUTE: SYNCHRONIZE, not EVENT_MODIFY_STATE */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(duplicate);
    HANDLE opened = OpenEventA(GENERIC_WRITE, FALSE, "overlapped-test-generic-event");
    CHECK(SetEvent(opened));
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(opened);
    opened = OpenEventA(MAXIMUM_ALLOWED, FALSE, "overlapped-test-generic-event");
    CHECK_EQ(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    CHECK(SetEvent(opened));
    CloseHandle(opened);
    CloseHandle(event);
}

static void named(void)
{
    TEST("named: a second create opens the same event, ERROR_ALREADY_EXISTS");
    SetLastError(0xdeadbeef);
    HANDLE first = CreateEventA(NULL, TRUE, FALSE, "overlapped-test-event");
    CHECK(first != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    HANDLE second = CreateEventA(NULL, FALSE, TRUE, "overlapped-test-event");
    CHECK(second != NULL);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK(second != first);
    CHECK_EQ(WaitForSingleObject(second, 0), WAIT_TIMEOUT); /* first's state: not signalled */
    CHECK(SetEvent(first));
    CHECK_EQ(WaitForSingleObject(second, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(second, 0), WAIT_OBJECT_0); /* first's mode: manual */

    TEST("named: OpenEvent finds it");
    HANDLE opened = OpenEventA(EVENT_ALL_ACCESS, FALSE, "overlapped-test-event");
    CHECK(opened != NULL);
    CHECK(ResetEvent(opened));
    CHECK_EQ(WaitForSingleObject(first, 0), WAIT_TIMEOUT);

    TEST("named: the name goes with the last handle");
    CloseHandle(first);
    CloseHandle(second);
    CloseHandle(opened);
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "overlapped-test-event") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("named: a name held by another type gives ERROR_INVALID_HANDLE");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, "overlapped-test-name-clash");
    SetLastError(0xdeadbeef);
    CHECK(CreateEventA(NULL, FALSE, FALSE, "overlapped-test-name-clash") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "overlapped-test-name-clash") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(semaphore);

    TEST("named: OpenEvent with a NULL name");
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    /* "" names the namespace's directory itself (Wine's ntdll om.c test_name_limits: an
     * empty name under the base directory is STATUS_OBJECT_TYPE_MISMATCH); to create, it is
     * no name at all. A prefix with nothing after it names no object. */
    TEST("named: an empty name, a prefix alone");
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    HANDLE unnamed = CreateEventA(NULL, TRUE, FALSE, "");
    CHECK(unnamed != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    HANDLE unnamed2 = CreateEventA(NULL, TRUE, FALSE, "");
    CHECK_ERROR(ERROR_SUCCESS); /* another unnamed event, not the same one */
    CHECK(SetEvent(unnamed));
    CHECK_EQ(WaitForSingleObject(unnamed2, 0), WAIT_TIMEOUT);
    CloseHandle(unnamed2);
    CloseHandle(unnamed);
    SetLastError(0xdeadbeef);
    CHECK(CreateEventA(NULL, TRUE, FALSE, "Global\\") == NULL);
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    CHECK(CreateMutexA(NULL, FALSE, "Local\\") == NULL);
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "Local\\") == NULL);
    CHECK_ERROR(ERROR_INVALID_NAME);

    /* Names are looked up relative to the session's directory, where a leading separator
     * is a syntax error: STATUS_OBJECT_PATH_SYNTAX_BAD (Wine answers the same). */
    TEST("named: a leading backslash is ERROR_BAD_PATHNAME");
    SetLastError(0xdeadbeef);
    CHECK(CreateEventA(NULL, TRUE, FALSE, "\\ovl-rooted") == NULL);
    CHECK_ERROR(ERROR_BAD_PATHNAME);
    SetLastError(0xdeadbeef);
    CHECK(OpenMutexA(SYNCHRONIZE, FALSE, "\\ovl-rooted") == NULL);
    CHECK_ERROR(ERROR_BAD_PATHNAME);

    /* The A functions convert the name into the thread's static buffer of MAX_PATH + 1
     * characters before anything else (ReactOS's kernel32 base_x.h, which synch.c uses;
     * Wine's kernelbase converts into MAX_PATH characters): a longer name fails there, even
     * where another argument is bad too. The W functions take such a name. */
    TEST("named: an A name longer than MAX_PATH is ERROR_FILENAME_EXCED_RANGE");
    char long_name[301];
    memset(long_name, 'n', 300);
    long_name[300] = 0;
    SetLastError(0xdeadbeef);
    CHECK(CreateEventA(NULL, TRUE, FALSE, long_name) == NULL);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(SYNCHRONIZE, FALSE, long_name) == NULL);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(CreateMutexA(NULL, FALSE, long_name) == NULL);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(CreateWaitableTimerA(NULL, TRUE, long_name) == NULL);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(CreateSemaphoreA(NULL, 5, 1, long_name) == NULL); /* bad counts too */
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(OpenSemaphoreA(SYNCHRONIZE, FALSE, long_name) == NULL);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    long_name[250] = 0;
    HANDLE long_event = CreateEventA(NULL, TRUE, FALSE, long_name);
    CHECK(long_event != NULL);
    CloseHandle(long_event);
    WCHAR long_wide[301];
    for (int i = 0; i < 300; ++i) long_wide[i] = 'w';
    long_wide[300] = 0;
    long_event = CreateEventW(NULL, TRUE, FALSE, long_wide);
    CHECK(long_event != NULL);
    CloseHandle(long_event);

    TEST("named: W and A names meet");
    static const WCHAR wide_name[] = {'o', 'v', 'l', '-', 'w', 'i', 'd', 'e', 0};
    HANDLE wide = CreateEventW(NULL, TRUE, TRUE, wide_name);
    CHECK(wide != NULL);
    HANDLE narrow = OpenEventA(SYNCHRONIZE, FALSE, "ovl-wide");
    CHECK(narrow != NULL);
    CHECK_EQ(WaitForSingleObject(narrow, 0), WAIT_OBJECT_0);
    HANDLE wide_open = OpenEventW(EVENT_ALL_ACCESS, FALSE, wide_name);
    CHECK(wide_open != NULL);
    CloseHandle(wide_open);
    CloseHandle(narrow);
    CloseHandle(wide);
}

static void bad_handles(void)
{
    TEST("SetEvent on NULL and on a closed handle");
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    CloseHandle(event);
    SetLastError(0xdeadbeef);
    CHECK(!ResetEvent(event));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}


static void names_across_types(void)
{
    /* Wine's kernel32 sync test_event: names are case-sensitive. */
    TEST("named: case-sensitive");
    SetLastError(0xdeadbeef);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, "ovl-test-Case Event");
    CHECK(event != NULL);
    CHECK_ERROR(0);
    SetLastError(0xdeadbeef);
    HANDLE other = CreateEventA(NULL, TRUE, FALSE, "ovl-test-CASE EVENT");
    CHECK(other != NULL);
    CHECK_ERROR(0);
    CloseHandle(other);
    SetLastError(0xdeadbeef);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "ovl-test-case event") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("named: an event's name is no job's, mapping's or timer's (ERROR_INVALID_HANDLE)");
    SetLastError(0xdeadbeef);
    CHECK(CreateJobObjectA(NULL, "ovl-test-Case Event") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(OpenJobObjectA(JOB_OBJECT_ALL_ACCESS, FALSE, "ovl-test-Case Event") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, "ovl-test-Case Event") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(OpenFileMappingA(FILE_MAP_READ, FALSE, "ovl-test-Case Event") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(CreateWaitableTimerA(NULL, TRUE, "ovl-test-Case Event") == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("named: CreateEventEx of an existing name gives the access asked for, not more");
    SetLastError(0xdeadbeef);
    other = CreateEventExA(NULL, "ovl-test-Case Event", 0, SYNCHRONIZE);
    CHECK(other != NULL);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(other));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(other);

    TEST("PulseEvent on a signalled manual-reset event leaves it reset");
    CHECK(SetEvent(event));
    CHECK(PulseEvent(event));
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    CloseHandle(event);
}

int main(void)
{
    manual_and_auto();
    auto_reset_releases_one_waiter();
    manual_reset_releases_all();
    pulse();
    create_event_ex();
    named();
    bad_handles();
    names_across_types();
    return tl_finish();
}
