// test_foreign_threads.cpp: threads the library did not create (std::thread, pthreads)
// get the same per-thread state on first use: thread ids, last error, APCs, waits on
// their handles, mutex abandonment, and cleanup at exit.
#include <atomic>
#include <pthread.h>
#include <thread>

#include "testlib.h"

static void CALLBACK add_apc(ULONG_PTR value) { *reinterpret_cast<int*>(value) += 1; }

static void last_error_is_per_thread()
{
    TEST("last error is per thread, for std::thread too");
    SetLastError(1234);
    DWORD seen_in_thread = 0xdeadbeef;
    std::thread other([&] {
        SetLastError(42);
        seen_in_thread = GetLastError();
    });
    other.join();
    CHECK_EQ(seen_in_thread, 42);
    CHECK_EQ(GetLastError(), 1234);
}

static void open_thread_and_wait_for_exit()
{
    TEST("OpenThread on a std::thread; its handle is signalled when it ends");
    std::atomic<DWORD> id{0};
    std::atomic<bool> release{false};
    std::thread other([&] {
        id = GetCurrentThreadId();
        while (!release) Sleep(1);
    });
    while (id == 0) Sleep(1);
    HANDLE handle = OpenThread(SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, id);
    CHECK(handle != NULL);
    CHECK_EQ(GetThreadId(handle), id.load());
    CHECK_EQ(WaitForSingleObject(handle, 0), WAIT_TIMEOUT);
    DWORD code = 0;
    CHECK(GetExitCodeThread(handle, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    release = true;
    other.join();
    CHECK_EQ(WaitForSingleObject(handle, 2000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(handle, &code));
    CHECK(code != STILL_ACTIVE);
    CHECK(CloseHandle(handle));
}

static void apc_to_pthread()
{
    TEST("QueueUserAPC to a pthread in an alertable SleepEx");
    std::atomic<DWORD> id{0};
    std::atomic<DWORD> result{0};
    int counter = 0;
    std::thread other([&] {
        id = GetCurrentThreadId();
        result = SleepEx(5000, TRUE);
    });
    while (id == 0) Sleep(1);
    Sleep(50);  // let it block
    HANDLE handle = OpenThread(THREAD_SET_CONTEXT, FALSE, id);
    CHECK(handle != NULL);
    CHECK(QueueUserAPC(add_apc, handle, reinterpret_cast<ULONG_PTR>(&counter)) != 0);
    other.join();
    CHECK_EQ(result.load(), WAIT_IO_COMPLETION);
    CHECK_EQ(counter, 1);
    CloseHandle(handle);
}

static void* take_mutex_and_exit(void* mutex)
{
    WaitForSingleObject(static_cast<HANDLE>(mutex), 1000);
    return nullptr;  // exits owning it
}

static void mutex_abandoned_by_pthread()
{
    TEST("a pthread that exits owning a mutex abandons it");
    HANDLE mutex = CreateMutexA(NULL, FALSE, NULL);
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, nullptr, take_mutex_and_exit, mutex), 0);
    pthread_join(thread, nullptr);
    CHECK_EQ(WaitForSingleObject(mutex, 1000), WAIT_ABANDONED_0);
    CHECK(ReleaseMutex(mutex));
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(mutex));
    CloseHandle(mutex);
}

static void many_short_lived_threads()
{
    TEST("state of 200 short-lived std::threads is made and cleaned up");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    std::atomic<int> woke{0};
    for (int round = 0; round < 10; ++round) {
        std::thread threads[20];
        for (auto& t : threads)
            t = std::thread([&] {
                if (WaitForSingleObject(event, 2000) == WAIT_OBJECT_0) ++woke;
            });
        Sleep(5);
        SetEvent(event);
        for (auto& t : threads) t.join();
        ResetEvent(event);
    }
    CHECK_EQ(woke.load(), 200);
    CloseHandle(event);
}

int main()
{
    last_error_is_per_thread();
    open_thread_and_wait_for_exit();
    apc_to_pthread();
    mutex_abandoned_by_pthread();
    many_short_lived_threads();
    return tl_finish();
}
