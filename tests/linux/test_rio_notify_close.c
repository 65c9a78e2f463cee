/* test_rio_notify_close.c: RIOCloseCompletionQueue while the completion queue's RIONotify
 * notification is being given by another thread. Microsoft Learn (RIOCloseCompletionQueue):
 * the queue is locked for writing and nothing is added to it after; once the call returns
 * the program may close its event or use it for something else, so no notification may
 * reach the event after that.
 *
 * Linux-side: the window between a completion's decision to notify and its SetEvent is
 * a few instructions wide; this program defines SetEvent itself (interposing on the
 * library's, which it calls through the PLT) and makes the calls of other threads on the
 * queue's event wait 300 ms first. */
#define _GNU_SOURCE
#include "sockex_common.h"

#include "rio_decls.h"

#include <dlfcn.h>

static HANDLE slow_event;
static DWORD main_thread;
static volatile LONG slow_calls;

BOOL WINAPI SetEvent(HANDLE event)
{
    static BOOL(WINAPI * real)(HANDLE);
    if (real == NULL)
        real = (BOOL(WINAPI *)(HANDLE))dlsym(RTLD_NEXT, "SetEvent");
    if (event == slow_event && event != NULL && GetCurrentThreadId() != main_thread) {
        InterlockedIncrement(&slow_calls);
        Sleep(300);
    }
    return real(event);
}

int main(void)
{
    RIO_EXTENSION_FUNCTION_TABLE rio;
    GUID id = WSAID_MULTIPLE_RIO;
    DWORD bytes = 0;
    static char memory[64];
    RIO_BUFFERID buffer_id;
    RIO_NOTIFICATION_COMPLETION how;
    struct sockaddr_in addr;
    SOCKET listener, client, server;
    RIO_CQ cq;
    RIO_RQ rq;
    RIO_BUF b;
    RIORESULT r;
    ULONG got = 0;
    DWORD start;

    sx_startup();
    main_thread = GetCurrentThreadId();
    TEST("no notification after RIOCloseCompletionQueue returns");
    listener = sx_listener(&addr, 1);
    client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    CHECK(client != INVALID_SOCKET);
    CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    server = sx_accept(listener, 5000);
    CHECK(server != INVALID_SOCKET);
    memset(&rio, 0, sizeof(rio));
    rio.cbSize = sizeof(rio);
    CHECK_EQ(WSAIoctl(client, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &rio, sizeof(rio),
                      &bytes, NULL, NULL),
             0);
    buffer_id = rio.RIORegisterBuffer(memory, sizeof(memory));
    CHECK(buffer_id != RIO_INVALID_BUFFERID);

    slow_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    how.Type = RIO_EVENT_COMPLETION;
    how.Event.EventHandle = slow_event;
    how.Event.NotifyReset = FALSE;
    cq = rio.RIOCreateCompletionQueue(8, &how);
    CHECK(cq != RIO_INVALID_CQ);
    rq = rio.RIOCreateRequestQueue(client, 1, 1, 1, 1, cq, cq, NULL);
    CHECK(rq != RIO_INVALID_RQ);
    b.BufferId = buffer_id;
    b.Offset = 0;
    b.Length = 8;
    /* Nothing there yet: the receive waits, and another thread delivers it. */
    CHECK(rio.RIOReceive(rq, &b, 1, 0, NULL));
    CHECK_EQ(rio.RIONotify(cq), 0);
    CHECK_EQ(send(server, "abcdefgh", 8, 0), 8);
    /* The result is in the queue before its notification is given: take it by polling,
     * then close the queue while the notification is (slowly) under way. */
    start = GetTickCount();
    while (got == 0 && GetTickCount() - start < 5000) {
        got = rio.RIODequeueCompletion(cq, &r, 1);
        if (got == 0)
            Sleep(1);
    }
    CHECK_EQ(got, 1);
    CHECK_EQ(r.BytesTransferred, 8);
    rio.RIOCloseCompletionQueue(cq);
    /* The event is the program's again, for something else. */
    CHECK(ResetEvent(slow_event));
    CHECK_EQ(WaitForSingleObject(slow_event, 600), WAIT_TIMEOUT);
    CHECK_EQ(slow_calls, 1);  /* the notification was given, by another thread */

    closesocket(client);
    closesocket(server);
    closesocket(listener);
    rio.RIODeregisterBuffer(buffer_id);
    CloseHandle(slow_event);
    sx_cleanup();
    return tl_finish();
}
