/* test_handle_generations.c: our handle table's promise, stronger than Windows' (which
 * reuses handle values at once): a closed handle stays invalid while its slot is reused,
 * forged values are refused, and handle values stay below 2^31 as multiples of 4. */
#include "testlib.h"

#include <stdint.h>

static void stale_handle_never_reaches_new_object(void)
{
    TEST("a closed handle stays invalid through 200 reuses of the table");
    HANDLE stale = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(CloseHandle(stale));
    int reached = 0, same_value = 0;
    for (int i = 0; i < 200; ++i) {
        HANDLE fresh = CreateEventA(NULL, TRUE, FALSE, NULL);
        if (fresh == stale) same_value++;
        SetLastError(0xdeadbeef);
        if (SetEvent(stale)) reached++;
        else CHECK_ERROR(ERROR_INVALID_HANDLE);
        if (WaitForSingleObject(fresh, 0) != WAIT_TIMEOUT) reached++;
        CloseHandle(fresh);
    }
    CHECK_EQ(reached, 0);
    CHECK_EQ(same_value, 0);
}

static void forged_values_are_refused(void)
{
    TEST("forged handle values are refused");
    uintptr_t forged[] = {1, 2, 3, 0x1000, 0x7ffffffc, 0x80000000u, (uintptr_t)1 << 40, 0xfffffffffffffff0ull};
    for (unsigned i = 0; i < sizeof(forged) / sizeof(forged[0]); ++i) {
        SetLastError(0xdeadbeef);
        CHECK(!SetEvent((HANDLE)forged[i]));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(WaitForSingleObject((HANDLE)forged[i], 0), WAIT_FAILED);
        CHECK_ERROR(ERROR_INVALID_HANDLE);
    }
}

static void values_look_like_windows_handles(void)
{
    TEST("handle values are multiples of 4 below 2^31");
    HANDLE handles[1000];
    int bad = 0;
    for (int i = 0; i < 1000; ++i) {
        handles[i] = CreateSemaphoreA(NULL, 0, 1, NULL);
        uintptr_t v = (uintptr_t)handles[i];
        if (v == 0 || (v & 3) != 0 || v >= 0x80000000u) bad++;
    }
    CHECK_EQ(bad, 0);
    for (int i = 0; i < 1000; ++i) CHECK(CloseHandle(handles[i]));
}

static void wrong_type_is_invalid_handle(void)
{
    TEST("an operation on the wrong object type fails with ERROR_INVALID_HANDLE");
    HANDLE semaphore = CreateSemaphoreA(NULL, 0, 1, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!SetEvent(semaphore));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!PostQueuedCompletionStatus(semaphore, 0, 0, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(semaphore);
}

int main(void)
{
    stale_handle_never_reaches_new_object();
    forged_values_are_refused();
    values_look_like_windows_handles();
    wrong_type_is_invalid_handle();
    return tl_finish();
}
