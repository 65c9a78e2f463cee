/* demo.c: a Win32 program written the way Windows via C/C++ teaches, running on Linux.
 *
 * A pool of worker threads serves a completion port. The main thread posts work items
 * (each one: count the primes in a range), the workers take them LIFO-released from the
 * port and post their answers to a second port; an event tells the main thread when the
 * last item is done. Then the main thread sleeps alertably and a queued APC runs. */
#include <windows.h>
#include <overlapped/overlapped.h>
#include <stdio.h>

#define WORKERS 4
#define ITEMS 64
#define RANGE 20000

typedef struct {
    OVERLAPPED overlapped; /* first, as Windows programs do: the packet's OVERLAPPED* */
    DWORD first;
    DWORD primes;
} WorkItem;

static HANDLE work_port, result_port, all_done;
static volatile LONG items_left = ITEMS;

static DWORD count_primes(DWORD first, DWORD count)
{
    DWORD found = 0;
    for (DWORD n = first; n < first + count; ++n) {
        if (n < 2) continue;
        BOOL prime = TRUE;
        for (DWORD d = 2; d * d <= n && prime; ++d)
            if (n % d == 0) prime = FALSE;
        found += prime;
    }
    return found;
}

static DWORD WINAPI worker(LPVOID parameter)
{
    DWORD id = (DWORD)(ULONG_PTR)parameter, served = 0, bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    for (;;) {
        if (!GetQueuedCompletionStatus(work_port, &bytes, &key, &overlapped, INFINITE)) {
            printf("worker %lu: GetQueuedCompletionStatus failed: %lu\n", (unsigned long)id,
                   (unsigned long)GetLastError());
            return 1;
        }
        if (key == 0) break; /* the stop packet */
        WorkItem *item = (WorkItem *)overlapped;
        item->primes = count_primes(item->first, RANGE);
        served++;
        PostQueuedCompletionStatus(result_port, item->primes, id, &item->overlapped);
        if (InterlockedDecrement(&items_left) == 0) SetEvent(all_done);
    }
    return served;
}

static void CALLBACK report_apc(ULONG_PTR parameter)
{
    printf("APC ran in the main thread's alertable wait: %s\n", (const char *)parameter);
}

int main(void)
{
    static WorkItem items[ITEMS];
    HANDLE threads[WORKERS];
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    printf("overlapped %s demo: %lu processors\n", overlapped_version(),
           (unsigned long)info.dwNumberOfProcessors);
    const char *engine = overlapped_engine() ? overlapped_engine() : "none (overlapped I/O unavailable)";
    printf("I/O engine: %s\n", engine);

    work_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    result_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    all_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (work_port == NULL || result_port == NULL || all_done == NULL) return 1;
    for (DWORD i = 0; i < WORKERS; ++i)
        threads[i] = CreateThread(NULL, 0, worker, (LPVOID)(ULONG_PTR)(i + 1), 0, NULL);

    ULONGLONG start = GetTickCount64();
    for (DWORD i = 0; i < ITEMS; ++i) {
        items[i].first = i * RANGE;
        PostQueuedCompletionStatus(work_port, 0, 1, &items[i].overlapped);
    }
    if (WaitForSingleObject(all_done, 30000) != WAIT_OBJECT_0) {
        printf("timed out waiting for the workers\n");
        return 1;
    }

    /* Collect the answers in batches, as a server would. */
    OVERLAPPED_ENTRY entries[16];
    ULONG removed, collected = 0;
    DWORD total = 0, per_worker[WORKERS + 1] = {0};
    while (collected < ITEMS &&
           GetQueuedCompletionStatusEx(result_port, entries, 16, &removed, 1000, FALSE)) {
        for (ULONG i = 0; i < removed; ++i) {
            total += entries[i].dwNumberOfBytesTransferred;
            per_worker[entries[i].lpCompletionKey]++;
        }
        collected += removed;
    }
    printf("%lu work items, %lu primes below %lu, in %llu ms\n", (unsigned long)collected,
           (unsigned long)total, (unsigned long)(ITEMS * RANGE),
           (unsigned long long)(GetTickCount64() - start));

    for (DWORD i = 0; i < WORKERS; ++i) PostQueuedCompletionStatus(work_port, 0, 0, NULL);
    if (WaitForMultipleObjects(WORKERS, threads, TRUE, 10000) != WAIT_OBJECT_0) return 1;
    for (DWORD i = 0; i < WORKERS; ++i) {
        DWORD served = 0;
        GetExitCodeThread(threads[i], &served);
        printf("worker %lu served %lu items\n", (unsigned long)(i + 1), (unsigned long)served);
        CloseHandle(threads[i]);
    }

    printf("(the port lets %lu workers run at once, one per processor, and releases the\n"
           " threads that waited last first: so the others may have served nothing)\n",
           (unsigned long)info.dwNumberOfProcessors);

    QueueUserAPC(report_apc, GetCurrentThread(), (ULONG_PTR) "queued with QueueUserAPC");
    DWORD slept = SleepEx(1000, TRUE);
    printf("SleepEx returned %s\n", slept == WAIT_IO_COMPLETION ? "WAIT_IO_COMPLETION" : "0");

    CloseHandle(work_port);
    CloseHandle(result_port);
    CloseHandle(all_done);
    printf("demo finished: %s\n", collected == ITEMS ? "all work done" : "work missing");
    return collected == ITEMS ? 0 : 1;
}
