/* test_rio_defer_close_race.c: RIOReceive with RIO_MSG_DEFER issued over and over while
 * the request queue's socket closes. closesocket cuts off the receive under way; the
 * socket is recycled once that is delivered (by the I/O manager's threads), and its
 * request queue then ends the requests still held (WSAECONNABORTED) and takes no more
 * (WSAEINVAL). Every request the library accepted must complete: one held just as the
 * socket was recycled once never did (it stayed in the queue, which kept its completion
 * queue, forever).
 *
 * Linux-side: on Windows the request queue goes with its socket, and a request issued on
 * it after closesocket is the program's error; here it must neither crash nor leak. */
#include "sockex_common.h"

#include "rio_decls.h"

#define ROUNDS 400
#define MOST 2000

int main(void)
{
    RIO_EXTENSION_FUNCTION_TABLE rio;
    GUID id = WSAID_MULTIPLE_RIO;
    DWORD bytes = 0;
    static char memory[64];
    RIO_BUFFERID buffer_id = RIO_INVALID_BUFFERID;
    struct sockaddr_in addr;
    SOCKET listener;
    int round, lost = 0, refused_other = 0;

    sx_startup();
    TEST("deferred receives issued while their socket closes");
    listener = sx_listener(&addr, 8);
    for (round = 0; round < ROUNDS; round++) {
        SOCKET client, server;
        RIO_CQ cq;
        RIO_RQ rq;
        RIO_BUF b;
        RIORESULT r[64];
        int accepted = 1, got = 0;
        DWORD start;

        client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                            WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
        CHECK(client != INVALID_SOCKET);
        CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
        server = sx_accept(listener, 5000);
        CHECK(server != INVALID_SOCKET);
        if (round == 0) {
            memset(&rio, 0, sizeof(rio));
            rio.cbSize = sizeof(rio);
            CHECK_EQ(WSAIoctl(client, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &rio,
                              sizeof(rio), &bytes, NULL, NULL),
                     0);
            buffer_id = rio.RIORegisterBuffer(memory, sizeof(memory));
            CHECK(buffer_id != RIO_INVALID_BUFFERID);
        }
        cq = rio.RIOCreateCompletionQueue(MOST + 8, NULL);
        rq = rio.RIOCreateRequestQueue(client, MOST, 1, 1, 1, cq, cq, NULL);
        CHECK(rq != RIO_INVALID_RQ);
        b.BufferId = buffer_id;
        b.Offset = 0;
        b.Length = 8;
        CHECK(rio.RIOReceive(rq, &b, 1, 0, NULL));
        closesocket(client);
        /* Held requests until the queue refuses them (its socket recycled). */
        while (accepted < MOST && rio.RIOReceive(rq, &b, 1, RIO_MSG_DEFER, NULL))
            accepted++;
        if (accepted < MOST && WSAGetLastError() != WSAEINVAL)
            refused_other++;
        start = GetTickCount();
        while (got < accepted && GetTickCount() - start < 1000)
            got += (int)rio.RIODequeueCompletion(cq, r, 64);
        if (got != accepted)
            lost++;
        closesocket(server);
        rio.RIOCloseCompletionQueue(cq);
    }
    CHECK_EQ(lost, 0);
    CHECK_EQ(refused_other, 0);
    closesocket(listener);
    rio.RIODeregisterBuffer(buffer_id);
    sx_cleanup();
    return tl_finish();
}
