/* test_wait_stress.c: the wait engine under load. Consumers mix wait-any, wait-all and
 * single waits over semaphores and a mutex while producers release units; at the end
 * every unit released was taken exactly once (none lost, none taken twice), and the
 * mutex was never held by two threads at once. Meant to run under TSan too. */
#include "testlib.h"

#define SEMAPHORES 3
#define CONSUMERS 4
#define PRODUCERS 2

static HANDLE semaphores[SEMAPHORES];
static HANDLE mutex;
static volatile LONG produced[SEMAPHORES], consumed[SEMAPHORES];
static volatile LONG stop, inside_mutex, mutex_violations, mutex_taken;
static LONG units_per_producer = 20000;

static unsigned next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

static void took_mutex(void)
{
    if (InterlockedIncrement(&inside_mutex) != 1) InterlockedIncrement(&mutex_violations);
    InterlockedIncrement(&mutex_taken);
    InterlockedDecrement(&inside_mutex);
    ReleaseMutex(mutex);
}

static DWORD WINAPI consumer(LPVOID parameter)
{
    unsigned state = (unsigned)(ULONG_PTR)parameter;
    while (!InterlockedCompareExchange(&stop, 0, 0)) {
        unsigned choice = next_random(&state) % 4;
        if (choice == 0) { /* wait-any over the semaphores and the mutex */
            HANDLE set[SEMAPHORES + 1];
            for (int i = 0; i < SEMAPHORES; ++i) set[i] = semaphores[i];
            set[SEMAPHORES] = mutex;
            DWORD r = WaitForMultipleObjects(SEMAPHORES + 1, set, FALSE, 20);
            if (r < WAIT_OBJECT_0 + SEMAPHORES) InterlockedIncrement(&consumed[r - WAIT_OBJECT_0]);
            else if (r == WAIT_OBJECT_0 + SEMAPHORES) took_mutex();
        } else if (choice == 1) { /* wait-all over two semaphores and the mutex */
            int a = next_random(&state) % SEMAPHORES, b = (a + 1) % SEMAPHORES;
            HANDLE set[3] = {semaphores[a], semaphores[b], mutex};
            if (WaitForMultipleObjects(3, set, TRUE, 20) == WAIT_OBJECT_0) {
                InterlockedIncrement(&consumed[a]);
                InterlockedIncrement(&consumed[b]);
                took_mutex();
            }
        } else { /* one semaphore */
            int a = next_random(&state) % SEMAPHORES;
            if (WaitForSingleObject(semaphores[a], 20) == WAIT_OBJECT_0) InterlockedIncrement(&consumed[a]);
        }
    }
    return 0;
}

static DWORD WINAPI producer(LPVOID parameter)
{
    unsigned state = (unsigned)(ULONG_PTR)parameter;
    for (LONG i = 0; i < units_per_producer; ++i) {
        int a = next_random(&state) % SEMAPHORES;
        if (ReleaseSemaphore(semaphores[a], 1, NULL)) InterlockedIncrement(&produced[a]);
        if ((i & 63) == 0) Sleep(0);
    }
    return 0;
}

int main(void)
{
    const char *scale = getenv("OVERLAPPED_STRESS_UNITS");
    if (scale != NULL) units_per_producer = atol(scale);
    for (int i = 0; i < SEMAPHORES; ++i) semaphores[i] = CreateSemaphoreA(NULL, 0, 0x7fffffff, NULL);
    mutex = CreateMutexA(NULL, FALSE, NULL);
    HANDLE threads[CONSUMERS + PRODUCERS];
    for (int i = 0; i < CONSUMERS; ++i) threads[i] = CreateThread(NULL, 0, consumer, (LPVOID)(ULONG_PTR)(i + 1), 0, NULL);
    for (int i = 0; i < PRODUCERS; ++i)
        threads[CONSUMERS + i] = CreateThread(NULL, 0, producer, (LPVOID)(ULONG_PTR)(100 + i), 0, NULL);

    TEST("producers finish");
    CHECK_EQ(WaitForMultipleObjects(PRODUCERS, threads + CONSUMERS, TRUE, 60000), WAIT_OBJECT_0);
    Sleep(200);
    InterlockedExchange(&stop, 1);
    TEST("consumers finish");
    CHECK_EQ(WaitForMultipleObjects(CONSUMERS, threads, TRUE, 10000), WAIT_OBJECT_0);

    TEST("every unit taken exactly once");
    for (int i = 0; i < SEMAPHORES; ++i) {
        LONG left = 0;
        while (WaitForSingleObject(semaphores[i], 0) == WAIT_OBJECT_0) left++;
        CHECK_EQ(consumed[i] + left, produced[i]);
        CHECK(produced[i] > 0);
    }
    TEST("the mutex was exclusive and is free again");
    CHECK_EQ(mutex_violations, 0);
    CHECK(mutex_taken > 0);
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(mutex));

    for (int i = 0; i < CONSUMERS + PRODUCERS; ++i) CloseHandle(threads[i]);
    for (int i = 0; i < SEMAPHORES; ++i) CloseHandle(semaphores[i]);
    CloseHandle(mutex);
    return tl_finish();
}
