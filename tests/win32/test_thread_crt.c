/* test_thread_crt.c: the C runtime's thread functions from <process.h>, which Windows
 * programs use more than CreateThread. Microsoft Learn, "_beginthread, _beginthreadex":
 * _beginthreadex gives the thread's handle (the caller closes it) and its id, 0 on failure
 * with errno set (EINVAL for a bad argument); _beginthread gives -1 on failure, and the
 * runtime closes its handle when the thread ends; _endthreadex ends the thread with its
 * exit code; initflag CREATE_SUSPENDED makes the thread suspended. */
#include "testlib.h"

#include <errno.h>
#include <process.h>
#include <stdint.h>

static volatile LONG ran;
static HANDLE done;

static unsigned __stdcall returns_code(void *arg)
{
    InterlockedIncrement(&ran);
    return (unsigned)(uintptr_t)arg;
}

static unsigned __stdcall ends_early(void *arg)
{
    (void)arg;
    _endthreadex(77);
    InterlockedIncrement(&ran); /* never reached */
    return 1;
}

static void __cdecl plain_routine(void *arg)
{
    *(DWORD *)arg = GetCurrentThreadId();
    SetEvent(done);
}

static void __cdecl ends_with_endthread(void *arg)
{
    (void)arg;
    SetEvent(done);
    _endthread();
}

static void __cdecl waits_for_gate(void *gate)
{
    WaitForSingleObject((HANDLE)gate, 10000);
}

static void beginthreadex(void)
{
    unsigned id = 0;
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, returns_code, (void *)(uintptr_t)1234, 0, &id);
    CHECK(h != NULL);
    CHECK(id != 0);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(h, &code));
    CHECK_EQ(code, 1234);
    CHECK_EQ(GetThreadId(h), id);
    CHECK(CloseHandle(h));

    /* Suspended until resumed. */
    ran = 0;
    h = (HANDLE)_beginthreadex(NULL, 0, returns_code, NULL, CREATE_SUSPENDED, NULL);
    CHECK(h != NULL);
    CHECK_EQ(WaitForSingleObject(h, 100), WAIT_TIMEOUT);
    CHECK_EQ(ran, 0);
    CHECK_EQ(ResumeThread(h), 1);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    CHECK_EQ(ran, 1);
    CloseHandle(h);

    /* _endthreadex: the thread ends there, with that code. */
    ran = 0;
    h = (HANDLE)_beginthreadex(NULL, 0, ends_early, NULL, 0, NULL);
    CHECK(h != NULL);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(h, &code));
    CHECK_EQ(code, 77);
    CHECK_EQ(ran, 0);
    CloseHandle(h);

    /* No routine: 0 and EINVAL. (The Microsoft runtime first calls its invalid-parameter
     * handler, which by default ends the process: only our library is asked.) */
    if (!tl_under_wine()) {
        errno = 0;
        CHECK_EQ(_beginthreadex(NULL, 0, NULL, NULL, 0, NULL), 0);
        CHECK_EQ(errno, EINVAL);
        errno = 0;
        CHECK_EQ(_beginthread(NULL, 0, NULL), (uintptr_t)-1);
        CHECK_EQ(errno, EINVAL);
    }
}

static void beginthread(void)
{
    done = CreateEvent(NULL, FALSE, FALSE, NULL);
    DWORD id = 0;
    uintptr_t h = _beginthread(plain_routine, 0, &id);
    CHECK(h != (uintptr_t)-1 && h != 0);
    CHECK_EQ(WaitForSingleObject(done, 10000), WAIT_OBJECT_0);
    CHECK(id != 0 && id != GetCurrentThreadId());

    h = _beginthread(ends_with_endthread, 64 * 1024, NULL);
    CHECK(h != (uintptr_t)-1 && h != 0);
    CHECK_EQ(WaitForSingleObject(done, 10000), WAIT_OBJECT_0);

    /* The runtime closes the handle as the thread ends: a handle of its own, opened while
     * the thread runs, sees the end; the returned one then names nothing. */
    HANDLE gate = CreateEvent(NULL, TRUE, FALSE, NULL);
    h = _beginthread(waits_for_gate, 0, gate);
    CHECK(h != (uintptr_t)-1);
    HANDLE mine = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), (HANDLE)h, GetCurrentProcess(), &mine, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    SetEvent(gate);
    CHECK_EQ(WaitForSingleObject(mine, 10000), WAIT_OBJECT_0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject((HANDLE)h, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(mine);
    CloseHandle(gate);
    CloseHandle(done);
}

/* A small stack size is rounded up (to the allocation granularity, 64 KiB), never refused
 * (Microsoft Learn, "Thread Stack Size"). */
static void small_stacks(void)
{
    static const unsigned sizes[] = {1, 4096, 16384, 65536, 100000, 262144};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
        HANDLE h = CreateThread(NULL, sizes[i], (LPTHREAD_START_ROUTINE)(void *)returns_code,
                                (void *)(uintptr_t)sizes[i], 0, NULL);
        CHECK(h != NULL);
        if (h == NULL) {
            printf("  CreateThread with a %u-byte stack: error %u\n", sizes[i], (unsigned)GetLastError());
            continue;
        }
        CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
        DWORD code = 0;
        CHECK(GetExitCodeThread(h, &code));
        CHECK_EQ(code, sizes[i]);
        CloseHandle(h);
        h = (HANDLE)_beginthreadex(NULL, sizes[i], returns_code, NULL, 0, NULL);
        CHECK(h != NULL);
        if (h != NULL) {
            CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
            CloseHandle(h);
        }
    }
}

int main(void)
{
    small_stacks();
    beginthreadex();
    beginthread();
    return tl_finish();
}
