/* test_overlapped_result_wait.c: GetOverlappedResult(Ex) waits without waking up over and
 * over. A request on a handle bound to a completion port, with no event, sits in the
 * port's own engine queue, which the waiting call may have to harvest itself (nobody may
 * be waiting on the port); any other request does not, and its wait needs no polling. So
 * while some port queue has requests outstanding, a wait for a request with an event, or
 * on a handle not bound to a port, is one wait, not one every millisecond. Counted here
 * as the waiting thread's voluntary context switches (getrusage(RUSAGE_THREAD)): a
 * count, not a time, so a busy machine does not change it. */
#define _GNU_SOURCE
#include "testlib.h"

#include <sys/resource.h>

#define WAIT_MS 1500

static long switches(void)
{
    struct rusage usage;
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nvcsw;
}

static int serial;

static void make_pair(HANDLE *server, HANDLE *client)
{
    char name[64];
    snprintf(name, sizeof(name), "\\\\.\\pipe\\ovl_result_wait_%d_%d", (int)GetCurrentProcessId(), serial++);
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1, 64, 64, 0, NULL);
    CHECK(*server != INVALID_HANDLE_VALUE);
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(*client != INVALID_HANDLE_VALUE);
}

int main(void)
{
    /* A read pending for the whole test on a port-bound handle, no event: a port queue
     * with a request outstanding, and nobody waiting on the port. */
    HANDLE bound_server, bound_client;
    make_pair(&bound_server, &bound_client);
    HANDLE port = CreateIoCompletionPort(bound_server, NULL, 1, 0);
    CHECK(port != NULL);
    OVERLAPPED background;
    memset(&background, 0, sizeof(background));
    char background_buffer[8];
    CHECK(!ReadFile(bound_server, background_buffer, sizeof(background_buffer), NULL, &background));
    CHECK_ERROR(ERROR_IO_PENDING);

    HANDLE server, client;
    make_pair(&server, &client);
    char buffer[8];
    OVERLAPPED ov;
    DWORD done = 0;

    TEST("a wait for a request with an event, a port queue busy elsewhere: one wait, not a poll");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    long before = switches();
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResultEx(server, &ov, &done, WAIT_MS, FALSE));
    CHECK_ERROR(WAIT_TIMEOUT);
    long woken = switches() - before;
    printf("   %ld voluntary context switches in %d ms\n", woken, WAIT_MS);
    CHECK(woken < 100); /* a poll every millisecond makes about WAIT_MS */
    CHECK(WriteFile(client, "ab", 2, &done, NULL));
    CHECK(GetOverlappedResult(server, &ov, &done, TRUE));
    CHECK_EQ(done, 2);
    CloseHandle(ov.hEvent);

    TEST("a wait on an unbound handle (no event), a port queue busy elsewhere: one wait, not a poll");
    memset(&ov, 0, sizeof(ov));
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    before = switches();
    SetLastError(0xdeadbeef);
    CHECK(!GetOverlappedResultEx(server, &ov, &done, WAIT_MS, FALSE));
    CHECK_ERROR(WAIT_TIMEOUT);
    woken = switches() - before;
    printf("   %ld voluntary context switches in %d ms\n", woken, WAIT_MS);
    CHECK(woken < 100);
    CHECK(WriteFile(client, "cd", 2, &done, NULL));
    CHECK(GetOverlappedResult(server, &ov, &done, TRUE));
    CHECK_EQ(done, 2);

    TEST("the port-bound request without an event is still delivered to a GetOverlappedResult wait");
    CHECK(WriteFile(bound_client, "efg", 3, &done, NULL));
    CHECK(GetOverlappedResultEx(bound_server, &background, &done, 10000, FALSE));
    CHECK_EQ(done, 3);
    CHECK(memcmp(background_buffer, "efg", 3) == 0);

    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(bound_client);
    CloseHandle(bound_server);
    CloseHandle(port);
    return tl_finish();
}
