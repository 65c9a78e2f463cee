/* bench_thread.c: a study run by hand (bench/README.md): the cost of starting a thread the
 * way a Windows program does, CreateThread of a routine that returns at once, then
 * WaitForSingleObject and CloseHandle on its handle, 2,000 times.
 *
 *   bench_thread
 *
 * Reports
 *   METRIC createthread_us     the CreateThread call alone, mean microseconds
 *   METRIC create_wait_us      the whole create, wait and close, mean microseconds
 * Run it against another build's library with LD_LIBRARY_PATH to compare. */
#include "bench_common.h"

static DWORD WINAPI returns_at_once(LPVOID unused)
{
    (void)unused;
    return 0;
}

int main(void)
{
    const int count = 2000;
    double in_create = 0, started = bench_seconds();
    for (int i = 0; i < count; i++) {
        double before = bench_seconds();
        HANDLE thread = CreateThread(NULL, 0, returns_at_once, NULL, 0, NULL);
        in_create += bench_seconds() - before;
        if (thread == NULL || WaitForSingleObject(thread, 60000) != WAIT_OBJECT_0) {
            printf("bench_thread: CreateThread or its wait failed (%lu)\n", (unsigned long)GetLastError());
            return 1;
        }
        CloseHandle(thread);
    }
    double total = bench_seconds() - started;
    bench_metric("createthread_us", in_create / count * 1e6, "us");
    bench_metric("create_wait_us", total / count * 1e6, "us");
    return 0;
}
