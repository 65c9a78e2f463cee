/* test_iocp_close.c: what closing a completion port does.
 *
 * Covers: threads blocked in GetQueuedCompletionStatus(Ex) when the last handle to the
 * port is closed return FALSE with ERROR_ABANDONED_WAIT_0 (and *lpOverlapped NULL), at
 * once rather than at their timeout; the closed handle is invalid for Get, Ex and Post;
 * packets still queued at close are dropped without ever touching their OVERLAPPED
 * pointers; a port with a duplicated handle outlives the close of one of its handles. */
#include "testlib.h"

/* GetCurrentProcess() returns the pseudo-handle (HANDLE)-1, the same value as
 * INVALID_HANDLE_VALUE; our API surface has DuplicateHandle but not GetCurrentProcess. */
#define THIS_PROCESS INVALID_HANDLE_VALUE

/* How long a waiter waits at most; being woken by the close must take far less. */
#define WAIT_MS 2500
#define ABANDON_WINE "Wine 8.0 does not wake threads waiting on a port whose last handle is closed; they run into their timeout with WAIT_TIMEOUT"

struct waiter {
    HANDLE port;
    int use_ex;
    HANDLE started;
    BOOL ret;
    DWORD error;
    LPOVERLAPPED ov;
    ULONGLONG elapsed;
};

static DWORD WINAPI waiter_main(LPVOID arg)
{
    struct waiter *w = arg;
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    OVERLAPPED_ENTRY entries[2];
    ULONG removed = 0xdeadbeef;
    ULONGLONG start = GetTickCount64();

    w->ov = (LPOVERLAPPED)(ULONG_PTR)0xdeadbeef;
    SetEvent(w->started);
    SetLastError(0xdeadbeef);
    if (w->use_ex)
        w->ret = GetQueuedCompletionStatusEx(w->port, entries, 2, &removed, WAIT_MS, FALSE);
    else
        w->ret = GetQueuedCompletionStatus(w->port, &bytes, &key, &w->ov, WAIT_MS);
    w->error = GetLastError();
    w->elapsed = GetTickCount64() - start;
    return 0;
}

static HANDLE start_waiter(struct waiter *w, HANDLE port, int use_ex)
{
    HANDLE thread;
    memset(w, 0, sizeof(*w));
    w->port = port;
    w->use_ex = use_ex;
    w->started = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, waiter_main, w, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(w->started, 2000), WAIT_OBJECT_0);
    return thread;
}

static void finish_waiter(struct waiter *w, HANDLE thread)
{
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS + 3000), WAIT_OBJECT_0);
    CHECK(CloseHandle(thread));
    CHECK(CloseHandle(w->started));
}

static void test_close_wakes_waiters(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    struct waiter wg, wx;
    HANDLE tg, tx;

    TEST("close with waiters: Get and Ex return FALSE, ERROR_ABANDONED_WAIT_0, at once");
    CHECK(port != NULL);
    tg = start_waiter(&wg, port, 0);
    tx = start_waiter(&wx, port, 1);
    Sleep(200); /* both are blocked in the port wait */
    CHECK(CloseHandle(port));
    finish_waiter(&wg, tg);
    finish_waiter(&wx, tx);

    /* Either way the waits fail without a packet. */
    CHECK(!wg.ret);
    CHECK(wg.ov == NULL);
    CHECK(!wx.ret);
    WINE_DEVIATION(ABANDON_WINE) {
        CHECK_EQ(wg.error, ERROR_ABANDONED_WAIT_0);
        CHECK(wg.elapsed < 2000);
        CHECK_EQ(wx.error, ERROR_ABANDONED_WAIT_0);
        CHECK(wx.elapsed < 2000);
    }
}

static void test_closed_handle_is_invalid(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    LPOVERLAPPED ov = (LPOVERLAPPED)(ULONG_PTR)0xdeadbeef;
    OVERLAPPED_ENTRY entries[2];
    ULONG removed = 0xdeadbeef;
    BOOL ret;

    TEST("closed port: Get, Ex and Post fail with ERROR_INVALID_HANDLE");
    CHECK(port != NULL);
    CHECK(CloseHandle(port));
    /* No handle is created between the close and these calls, so the value is not reused. */
    SetLastError(0xdeadbeef);
    ret = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0);
    CHECK(!ret);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(ov == NULL);

    SetLastError(0xdeadbeef);
    ret = GetQueuedCompletionStatusEx(port, entries, 2, &removed, 0, FALSE);
    CHECK(!ret);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    SetLastError(0xdeadbeef);
    ret = PostQueuedCompletionStatus(port, 1, 2, NULL);
    CHECK(!ret);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("closed port: closing it again fails with ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(port));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

static void test_close_drops_packets(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    OVERLAPPED *ovs = HeapAlloc(GetProcessHeap(), 0, 100 * sizeof(OVERLAPPED));
    int i, posted = 1;

    TEST("close with 200 packets queued: succeeds, OVERLAPPEDs never touched");
    CHECK(port != NULL);
    CHECK(ovs != NULL);
    if (ovs == NULL)
        return;
    memset(ovs, 0x77, 100 * sizeof(OVERLAPPED));
    for (i = 0; i < 100; i++)
        posted &= PostQueuedCompletionStatus(port, (DWORD)i, (ULONG_PTR)i, &ovs[i]);
    /* ... and 100 whose pointers are not valid memory at all. */
    for (i = 0; i < 100; i++)
        posted &= PostQueuedCompletionStatus(port, 0, 0, (LPOVERLAPPED)(ULONG_PTR)(0x10 + 8 * i));
    CHECK(posted);
    CHECK(CloseHandle(port));
    for (i = 0; i < (int)(100 * sizeof(OVERLAPPED)); i++)
        if (((unsigned char *)ovs)[i] != 0x77)
            break;
    CHECK_EQ(i, 100 * sizeof(OVERLAPPED));
    CHECK(HeapFree(GetProcessHeap(), 0, ovs));

    TEST("a new port after that close starts empty");
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);
    CHECK_EQ(WaitForSingleObject(port, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(port));
}

static void test_duplicate_keeps_port(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE dup = NULL;
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = NULL;
    struct waiter w;
    HANDLE thread;

    TEST("duplicate: packets posted through one handle are seen through the other");
    CHECK(port != NULL);
    CHECK(DuplicateHandle(THIS_PROCESS, port, THIS_PROCESS, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(dup != NULL);
    CHECK(dup != port);
    CHECK(PostQueuedCompletionStatus(port, 11, 12, (LPOVERLAPPED)(ULONG_PTR)13));
    CHECK(GetQueuedCompletionStatus(dup, &bytes, &key, &ov, 1000));
    CHECK_EQ(bytes, 11);
    CHECK_EQ(key, 12);
    CHECK(ov == (LPOVERLAPPED)(ULONG_PTR)13);

    TEST("duplicate: closing the original keeps queued packets and the port alive");
    CHECK(PostQueuedCompletionStatus(port, 21, 22, NULL));
    CHECK(CloseHandle(port));
    CHECK_EQ(WaitForSingleObject(dup, 0), WAIT_OBJECT_0);
    CHECK(GetQueuedCompletionStatus(dup, &bytes, &key, &ov, 1000));
    CHECK_EQ(key, 22);
    CHECK(PostQueuedCompletionStatus(dup, 31, 32, NULL));
    CHECK(GetQueuedCompletionStatus(dup, &bytes, &key, &ov, 1000));
    CHECK_EQ(key, 32);

    TEST("duplicate: closing the last handle then abandons the waiter on it");
    thread = start_waiter(&w, dup, 0);
    Sleep(200);
    CHECK(CloseHandle(dup));
    finish_waiter(&w, thread);
    CHECK(!w.ret);
    CHECK(w.ov == NULL);
    WINE_DEVIATION(ABANDON_WINE) {
        CHECK_EQ(w.error, ERROR_ABANDONED_WAIT_0);
        CHECK(w.elapsed < 2000);
    }
}

int main(void)
{
    test_close_wakes_waiters();
    test_closed_handle_is_invalid();
    test_close_drops_packets();
    test_duplicate_keeps_port();
    return tl_finish();
}
