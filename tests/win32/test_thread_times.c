/* test_thread_times.c: GetThreadTimes, GetProcessTimes (this process, a thread that ended,
 * a child that ended), GetThreadPriority/SetThreadPriority, GetPriorityClass/
 * SetPriorityClass, processor affinity (GetProcessAffinityMask, SetThreadAffinityMask,
 * GetCurrentProcessorNumber), a thread's other settings (Get/SetThreadPriorityBoost,
 * SetThreadIdealProcessor, Get/SetThreadDescription, GetProcessIdOfThread). The program
 * starts a copy of itself ("child spin").
 *
 * Facts: Microsoft Learn (GetThreadTimes/GetProcessTimes: creation and exit as FILETIMEs,
 * "if the thread has not exited, the content of this structure is undefined" for the exit
 * time, kernel and user time in 100-nanosecond units; SetThreadPriority: the
 * THREAD_PRIORITY_* values; GetThreadPriority: THREAD_PRIORITY_ERROR_RETURN on failure;
 * SetPriorityClass: the *_PRIORITY_CLASS values). Every wait is bounded. CPU times are
 * checked loosely: this machine may be shared. */
#include "testlib.h"

#ifdef __MINGW32__ /* mingw-w64's headers may not declare them; its kernel32 exports them */
HRESULT WINAPI SetThreadDescription(HANDLE hThread, PCWSTR lpThreadDescription);
HRESULT WINAPI GetThreadDescription(HANDLE hThread, PWSTR *ppszThreadDescription);
#endif
#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((DWORD)0x00000000)
#endif
#ifndef STATUS_INVALID_HANDLE
#define STATUS_INVALID_HANDLE ((DWORD)0xC0000008)
#endif
#ifndef STATUS_ACCESS_DENIED
#define STATUS_ACCESS_DENIED ((DWORD)0xC0000022)
#endif

#define WAIT_MS 10000

static ULONGLONG ticks(const FILETIME *time)
{
    return ((ULONGLONG)time->dwHighDateTime << 32) | time->dwLowDateTime;
}

static ULONGLONG now_ticks(void)
{
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    return ticks(&now);
}

/* Spins until this thread has used `ms` milliseconds of CPU time (as GetThreadTimes
 * counts it), or for 5 s: on a shared machine wall time says little about CPU time. */
static volatile unsigned long long spin_sink;
static void spin(DWORD ms)
{
    DWORD start = GetTickCount();
    FILETIME creation, exit_time, kernel_time, user_time;
    while (GetTickCount() - start < 5000) {
        for (int i = 0; i < 100000; i++) spin_sink += (unsigned long long)i * i;
        if (GetThreadTimes(GetCurrentThread(), &creation, &exit_time, &kernel_time, &user_time) &&
            ticks(&kernel_time) + ticks(&user_time) >= (ULONGLONG)ms * 10000)
            break;
    }
}

static DWORD WINAPI spinning_thread(LPVOID parameter)
{
    (void)parameter;
    spin(60);
    return 7;
}

static void test_thread_times(void)
{
    FILETIME creation, exit_time, kernel_time, user_time, before_user;
    ULONGLONG start = now_ticks();
    HANDLE thread;

    TEST("GetThreadTimes: this thread (running), a thread that ended");
    CHECK(GetThreadTimes(GetCurrentThread(), &creation, &exit_time, &kernel_time, &user_time));
    CHECK(ticks(&creation) != 0 && ticks(&creation) <= now_ticks());
    before_user = user_time;
    spin(100);
    CHECK(GetThreadTimes(GetCurrentThread(), &creation, &exit_time, &kernel_time, &user_time));
    CHECK(ticks(&user_time) + ticks(&kernel_time) > ticks(&before_user)); /* it used the CPU */

    thread = CreateThread(NULL, 0, spinning_thread, NULL, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetThreadTimes(thread, &creation, &exit_time, &kernel_time, &user_time));
    CHECK(ticks(&creation) + 10000000 >= start); /* made by this test (a second's slack) */
    CHECK(ticks(&exit_time) >= ticks(&creation));
    CHECK(ticks(&exit_time) <= now_ticks());
    CHECK(ticks(&exit_time) - ticks(&creation) >= 400000); /* it ran for 40 ms or more */
    WINE_DEVIATION("Wine 8 reports no CPU time for a thread that has ended") {
        CHECK(ticks(&user_time) + ticks(&kernel_time) >= 400000); /* 40 ms of CPU at least */
    }
    CloseHandle(thread);

    SetLastError(0xdeadbeef);
    CHECK(!GetThreadTimes((HANDLE)(ULONG_PTR)0x7ffc, &creation, &exit_time, &kernel_time, &user_time));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

static void test_process_times(const char *self)
{
    FILETIME creation, exit_time, kernel_time, user_time;
    char line[2048];
    STARTUPINFOA startup;
    PROCESS_INFORMATION child;
    ULONGLONG start = now_ticks();

    TEST("GetProcessTimes: this process, a child that ended");
    CHECK(GetProcessTimes(GetCurrentProcess(), &creation, &exit_time, &kernel_time, &user_time));
    CHECK(ticks(&creation) != 0 && ticks(&creation) <= now_ticks());
    CHECK(ticks(&user_time) + ticks(&kernel_time) > 0);

    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child spin", self);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &child));
    CHECK_EQ(GetPriorityClass(child.hProcess), NORMAL_PRIORITY_CLASS);
    CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetProcessTimes(child.hProcess, &creation, &exit_time, &kernel_time, &user_time));
    CHECK(ticks(&creation) + 10000000 >= start);
    CHECK(ticks(&exit_time) >= ticks(&creation));
    CHECK(ticks(&exit_time) <= now_ticks());
    CHECK(ticks(&user_time) + ticks(&kernel_time) >= 400000); /* it spun: 40 ms of CPU at least */
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
}

static DWORD WINAPI return_5(LPVOID unused)
{
    (void)unused;
    return 5;
}

/* A handle without the query rights cannot read the thread, one without the set rights
 * cannot change its priority: ERROR_ACCESS_DENIED (Wine's thread.c test_thread_priority
 * and test_GetThreadTimes; Microsoft Learn: GetExitCodeThread, GetThreadId,
 * GetThreadPriority, GetThreadTimes need THREAD_QUERY_INFORMATION or
 * THREAD_QUERY_LIMITED_INFORMATION, SetThreadPriority THREAD_SET_INFORMATION or
 * THREAD_SET_LIMITED_INFORMATION). */
static void test_thread_access(void)
{
    DWORD id = 0, code = 0;
    FILETIME times[4];
    HANDLE thread = CreateThread(NULL, 0, return_5, NULL, CREATE_SUSPENDED, &id);
    CHECK(thread != NULL);
    HANDLE bare = OpenThread(SYNCHRONIZE | THREAD_SUSPEND_RESUME, FALSE, id);
    CHECK(bare != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!GetExitCodeThread(bare, &code));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadPriority(bare), THREAD_PRIORITY_ERROR_RETURN);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadPriority(bare, THREAD_PRIORITY_BELOW_NORMAL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!GetThreadTimes(bare, &times[0], &times[1], &times[2], &times[3]));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadId(bare), 0);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(WaitForSingleObject(bare, 0), WAIT_TIMEOUT); /* SYNCHRONIZE is enough to wait */

    HANDLE limited = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, id);
    CHECK(limited != NULL);
    CHECK(GetExitCodeThread(limited, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(GetThreadId(limited), id);
    CHECK_EQ(GetThreadPriority(limited), THREAD_PRIORITY_NORMAL);

    HANDLE setter = OpenThread(THREAD_SET_INFORMATION, FALSE, id);
    CHECK(setter != NULL);
    CHECK(SetThreadPriority(setter, THREAD_PRIORITY_BELOW_NORMAL));
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadPriority(setter), THREAD_PRIORITY_ERROR_RETURN);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(GetThreadPriority(limited), THREAD_PRIORITY_BELOW_NORMAL);

    CHECK_EQ(ResumeThread(bare), 1);
    CHECK_EQ(WaitForSingleObject(bare, 5000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(limited, &code));
    CHECK_EQ(code, 5);
    CloseHandle(setter);
    CloseHandle(limited);
    CloseHandle(bare);
    CloseHandle(thread);
}

struct self_view {
    HANDLE go;
    DWORD id;
    int priority;
};

static DWORD WINAPI report_self(LPVOID argument)
{
    struct self_view *view = argument;
    if (WaitForSingleObject(view->go, 5000) != WAIT_OBJECT_0) return 1;
    view->id = GetCurrentThreadId();
    view->priority = GetThreadPriority(GetCurrentThread());
    return 0;
}

/* The id CreateThread reports is the thread's at once, whether or not the thread has run:
 * OpenThread finds it, and a priority set before the thread runs is the one it sees
 * (Microsoft Learn, CreateThread: "lpThreadId: a pointer to a variable that receives the
 * thread identifier"; SetThreadPriority takes effect on a thread that has not run). */
static void test_thread_id_at_once(void)
{
    struct self_view view = {CreateEventA(NULL, TRUE, FALSE, NULL), 0, 0};
    DWORD id = 0, code = 1;
    int round;
    TEST("CreateThread's id and priority before the thread runs");
    for (round = 0; round < 20; round++) {
        HANDLE thread = CreateThread(NULL, 0, report_self, &view, 0, &id);
        HANDLE opened = OpenThread(THREAD_QUERY_INFORMATION | THREAD_SET_INFORMATION, FALSE, id);
        CHECK(thread != NULL);
        CHECK(opened != NULL);
        CHECK_EQ(GetThreadId(opened), id);
        CHECK(SetThreadPriority(opened, THREAD_PRIORITY_BELOW_NORMAL));
        CHECK(SetEvent(view.go));
        CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, 0);
        CHECK_EQ(view.id, id);
        CHECK_EQ(view.priority, THREAD_PRIORITY_BELOW_NORMAL);
        CHECK(ResetEvent(view.go));
        CloseHandle(opened);
        CloseHandle(thread);
    }
    CloseHandle(view.go);
}

static void test_priorities(void)
{
    TEST("GetThreadPriority/SetThreadPriority and GetPriorityClass/SetPriorityClass");
    CHECK_EQ(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_NORMAL);
    CHECK(SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL));
    CHECK_EQ(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_BELOW_NORMAL);
    CHECK(SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_LOWEST));
    CHECK_EQ(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_LOWEST);
    SetLastError(0xdeadbeef);
    CHECK(!SetThreadPriority(GetCurrentThread(), 3));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_LOWEST);
    CHECK(SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_NORMAL));
    CHECK_EQ(GetThreadPriority(GetCurrentThread()), THREAD_PRIORITY_NORMAL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetThreadPriority((HANDLE)(ULONG_PTR)0x7ffc), THREAD_PRIORITY_ERROR_RETURN);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    test_thread_access();

    CHECK_EQ(GetPriorityClass(GetCurrentProcess()), NORMAL_PRIORITY_CLASS);
    SetLastError(0xdeadbeef);
    CHECK(!SetPriorityClass(GetCurrentProcess(), 0x12345));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetPriorityClass(GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS));
    CHECK_EQ(GetPriorityClass(GetCurrentProcess()), BELOW_NORMAL_PRIORITY_CLASS);
    CHECK(SetPriorityClass(GetCurrentProcess(), NORMAL_PRIORITY_CLASS));
    CHECK_EQ(GetPriorityClass(GetCurrentProcess()), NORMAL_PRIORITY_CLASS);
}

static DWORD WINAPI processor_thread(LPVOID parameter)
{
    DWORD_PTR mask = *(DWORD_PTR *)parameter;
    for (int i = 0; i < 200; i++) {
        DWORD cpu = GetCurrentProcessorNumber();
        if (cpu >= 64 || !(mask & ((DWORD_PTR)1 << cpu))) return 1;
        Sleep(0);
    }
    return 0;
}

static void test_affinity(void)
{
    DWORD_PTR process_mask = 0, system_mask = 0, lowest, previous;
    HANDLE thread;
    DWORD code = 99;

    TEST("GetProcessAffinityMask, SetThreadAffinityMask, GetCurrentProcessorNumber");
    CHECK(GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask));
    CHECK(process_mask != 0);
    CHECK((process_mask & ~system_mask) == 0);
    lowest = process_mask & (~process_mask + 1); /* its lowest processor */
    thread = CreateThread(NULL, 0, processor_thread, &lowest, CREATE_SUSPENDED, NULL);
    CHECK(thread != NULL);
    previous = SetThreadAffinityMask(thread, lowest);
    CHECK_EQ(previous, process_mask);
    CHECK(ResumeThread(thread) != (DWORD)-1);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 0); /* it ran only there */
    CloseHandle(thread);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), 0), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(GetCurrentProcessorNumber() < 64);

    /* A mask whose low 32 bits are all set asks for every processor of the process (Wine's
     * thread.c test_thread_processor, which passes on 64-bit Windows: ~0 and ~0 >> 3 both
     * succeed and return the previous mask). A thread's mask is its own: the process's
     * stays as it was (Microsoft Learn, SetThreadAffinityMask: "A thread affinity mask
     * must be a subset of the process affinity mask"; Wine 8.0 agrees on all of this). */
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), lowest), process_mask);
    DWORD_PTR after = 0, after_system = 0;
    CHECK(GetProcessAffinityMask(GetCurrentProcess(), &after, &after_system));
    CHECK_EQ(after, process_mask);
    /* A new thread starts with the process's mask, not its creator's. */
    thread = CreateThread(NULL, 0, processor_thread, &process_mask, CREATE_SUSPENDED, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(SetThreadAffinityMask(thread, process_mask), process_mask);
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), ~(DWORD_PTR)0), lowest);
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), ~(DWORD_PTR)0 >> 3), process_mask);
    CHECK_EQ(SetThreadAffinityMask(GetCurrentThread(), process_mask), process_mask);

    /* The handle needs a right to set and one to query (Microsoft Learn,
     * SetThreadAffinityMask: THREAD_SET_INFORMATION or THREAD_SET_LIMITED_INFORMATION, and
     * THREAD_QUERY_INFORMATION or THREAD_QUERY_LIMITED_INFORMATION). */
    HANDLE set_only = OpenThread(THREAD_SET_INFORMATION, FALSE, GetCurrentThreadId());
    HANDLE query_only = OpenThread(THREAD_QUERY_INFORMATION, FALSE, GetCurrentThreadId());
    HANDLE both = OpenThread(THREAD_SET_INFORMATION | THREAD_QUERY_INFORMATION, FALSE, GetCurrentThreadId());
    CHECK(set_only != NULL && query_only != NULL && both != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetThreadAffinityMask(set_only, process_mask), 0);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetThreadAffinityMask(query_only, process_mask), 0);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(SetThreadAffinityMask(both, process_mask), process_mask);
    CloseHandle(both);
    CloseHandle(query_only);
    CloseHandle(set_only);
}

static DWORD WINAPI read_description(LPVOID parameter)
{
    PWSTR text = NULL;
    HRESULT hr = GetThreadDescription(GetCurrentThread(), &text);
    DWORD result = hr == HRESULT_FROM_NT(STATUS_SUCCESS) && text != NULL && lstrcmpW(text, (LPCWSTR)parameter) == 0;
    LocalFree(text);
    return result;
}

/* Wine's thread.c test_thread_priority (boost) and test_thread_description; Microsoft
 * Learn for the rights and for GetProcessIdOfThread. The description functions return
 * HRESULT_FROM_NT of the status: 0x10000000 for success, as the test checks on Windows. */
static void test_thread_settings(void)
{
    static const WCHAR name[] = {'w', 'o', 'r', 'k', 'e', 'r', ' ', 0xe9, 0};
    static const WCHAR empty[] = {0};
    BOOL disabled = 7;
    PWSTR text = NULL;
    DWORD id = 0, code = 0;

    TEST("GetThreadPriorityBoost/SetThreadPriorityBoost");
    CHECK(GetThreadPriorityBoost(GetCurrentThread(), &disabled));
    CHECK_EQ(disabled, FALSE);
    CHECK(SetThreadPriorityBoost(GetCurrentThread(), TRUE));
    WINE_DEVIATION("Wine 8.0 always reports the boost on")
    {
        CHECK(GetThreadPriorityBoost(GetCurrentThread(), &disabled));
        CHECK_EQ(disabled, TRUE);
    }
    CHECK(SetThreadPriorityBoost(GetCurrentThread(), FALSE));
    CHECK(GetThreadPriorityBoost(GetCurrentThread(), &disabled));
    CHECK_EQ(disabled, FALSE);
    HANDLE bare = OpenThread(SYNCHRONIZE, FALSE, GetCurrentThreadId());
    CHECK(bare != NULL);
    WINE_DEVIATION("Wine 8.0 does not check the handle's rights for the boost")
    {
        SetLastError(0xdeadbeef);
        CHECK(!SetThreadPriorityBoost(bare, TRUE));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!GetThreadPriorityBoost(bare, &disabled));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!SetThreadPriorityBoost((HANDLE)(ULONG_PTR)0x7ffc, TRUE));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }

    TEST("SetThreadIdealProcessor");
    SetLastError(0xdeadbeef);
    CHECK(SetThreadIdealProcessor(GetCurrentThread(), 0) != (DWORD)-1);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetThreadIdealProcessor(GetCurrentThread(), MAXIMUM_PROCESSORS + 1), (DWORD)-1);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(SetThreadIdealProcessor(GetCurrentThread(), MAXIMUM_PROCESSORS), 0); /* reads it */
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    if (info.dwNumberOfProcessors > 1) {
        CHECK_EQ(SetThreadIdealProcessor(GetCurrentThread(), 1), 0);
        WINE_DEVIATION("Wine 8.0 keeps no ideal processor: it always returns 0")
        {
            CHECK_EQ(SetThreadIdealProcessor(GetCurrentThread(), MAXIMUM_PROCESSORS), 1);
            CHECK_EQ(SetThreadIdealProcessor(GetCurrentThread(), 0), 1);
        }
    }

    TEST("GetProcessIdOfThread");
    CHECK_EQ(GetProcessIdOfThread(GetCurrentThread()), GetCurrentProcessId());
    HANDLE limited = OpenThread(THREAD_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentThreadId());
    CHECK(limited != NULL);
    CHECK_EQ(GetProcessIdOfThread(limited), GetCurrentProcessId());
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetProcessIdOfThread(bare), 0);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetProcessIdOfThread(GetCurrentProcess()), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("GetThreadDescription/SetThreadDescription");
    CHECK_EQ(GetThreadDescription(GetCurrentThread(), &text), HRESULT_FROM_NT(STATUS_SUCCESS));
    CHECK(text != NULL && text[0] == 0);
    LocalFree(text);
    CHECK_EQ(SetThreadDescription(GetCurrentThread(), name), HRESULT_FROM_NT(STATUS_SUCCESS));
    text = NULL;
    CHECK_EQ(GetThreadDescription(limited, &text), HRESULT_FROM_NT(STATUS_SUCCESS));
    CHECK(text != NULL && lstrcmpW(text, name) == 0);
    LocalFree(text);
    CHECK_EQ(SetThreadDescription(limited, empty), HRESULT_FROM_NT(STATUS_ACCESS_DENIED));
    CHECK_EQ(SetThreadDescription(NULL, name), HRESULT_FROM_NT(STATUS_INVALID_HANDLE));
    CHECK_EQ(SetThreadDescription(GetCurrentThread(), NULL), HRESULT_FROM_NT(STATUS_SUCCESS));
    text = NULL;
    CHECK_EQ(GetThreadDescription(GetCurrentThread(), &text), HRESULT_FROM_NT(STATUS_SUCCESS));
    CHECK(text != NULL && text[0] == 0);
    LocalFree(text);
    /* Another thread's, set before it runs, is the one it reads. */
    HANDLE thread = CreateThread(NULL, 0, read_description, (LPVOID)name, CREATE_SUSPENDED, &id);
    CHECK(thread != NULL);
    CHECK_EQ(SetThreadDescription(thread, name), HRESULT_FROM_NT(STATUS_SUCCESS));
    CHECK_EQ(ResumeThread(thread), 1);
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 1);
    CloseHandle(thread);
    CloseHandle(limited);
    CloseHandle(bare);
}

int main(int argc, char **argv)
{
    char self[MAX_PATH];
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        spin(60);
        return 0;
    }
    CHECK(GetModuleFileNameA(NULL, self, sizeof self) > 0);
    test_thread_times();
    test_process_times(self);
    test_priorities();
    test_thread_id_at_once();
    test_affinity();
    test_thread_settings();
    return tl_finish();
}
