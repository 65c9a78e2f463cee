/* test_threadpool_io_socket.c: thread-pool I/O on sockets: an AcceptEx on a listener
 * bound with CreateThreadpoolIo, then WSARecv/WSASend on the accepted socket through its
 * own TP_IO, and a peer reset reported as a Win32 error code. */
#include "sockex_common.h"

static HANDLE done;
static volatile LONG result_code = -1, result_bytes = -1;
static PVOID volatile result_overlapped;

static VOID CALLBACK io_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped, ULONG result,
                           ULONG_PTR bytes, PTP_IO io)
{
    (void)instance;
    (void)context;
    (void)io;
    tl_store(&result_code, (LONG)result);
    tl_store(&result_bytes, (LONG)bytes);
    InterlockedExchangePointer(&result_overlapped, overlapped);
    SetEvent(done);
}

int main(void)
{
    sx_startup();
    done = CreateEventA(NULL, FALSE, FALSE, NULL);
    LPFN_ACCEPTEX accept_ex = NULL;
    struct sockaddr_in address;
    SOCKET listener = sx_listener(&address, 4);
    GUID accept_ex_id = WSAID_ACCEPTEX;
    sx_get_ext(listener, accept_ex_id, &accept_ex, sizeof(accept_ex));

    TEST("AcceptEx on a listener with a TP_IO: the callback comes when a client connects");
    PTP_IO listener_io = CreateThreadpoolIo((HANDLE)listener, io_cb, NULL, NULL);
    CHECK(listener_io != NULL);
    SOCKET accepted = sx_tcp();
    char addresses[2 * SX_ADDRLEN];
    OVERLAPPED accept_overlapped;
    memset(&accept_overlapped, 0, sizeof(accept_overlapped));
    DWORD received = 0;
    StartThreadpoolIo(listener_io);
    BOOL ok = accept_ex(listener, accepted, addresses, 0, SX_ADDRLEN, SX_ADDRLEN, &received, &accept_overlapped);
    CHECK(!ok);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    SOCKET client = sx_tcp();
    CHECK_EQ(connect(client, (struct sockaddr *)&address, sizeof(address)), 0);
    CHECK_EQ(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&result_code), ERROR_SUCCESS);
    CHECK(tl_load_pointer(&result_overlapped) == (PVOID)&accept_overlapped);
    WaitForThreadpoolIoCallbacks(listener_io, FALSE);
    CHECK_EQ(setsockopt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener)), 0);

    TEST("WSARecv through a TP_IO: the bytes the client sent");
    PTP_IO io = CreateThreadpoolIo((HANDLE)accepted, io_cb, NULL, NULL);
    CHECK(io != NULL);
    char buffer[64];
    WSABUF wsabuf = {sizeof(buffer), buffer};
    DWORD flags = 0;
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    int rc = WSARecv(accepted, &wsabuf, 1, NULL, &flags, &overlapped, NULL);
    CHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    CHECK_EQ(send(client, "ping!", 5, 0), 5);
    CHECK_EQ(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&result_code), ERROR_SUCCESS);
    CHECK_EQ(tl_load(&result_bytes), 5);
    CHECK(memcmp(buffer, "ping!", 5) == 0);

    TEST("WSASend through a TP_IO");
    WSABUF out = {5, (char *)"pong!"};
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    rc = WSASend(accepted, &out, 1, NULL, 0, &overlapped, NULL);
    CHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&result_bytes), 5);
    char echo[8];
    CHECK_EQ(sx_recv_all(client, echo, 5, 5000), 5);
    CHECK(memcmp(echo, "pong!", 5) == 0);

    TEST("a reset by the peer: the pending receive's IoResult is a Win32 error code");
    memset(&overlapped, 0, sizeof(overlapped));
    flags = 0;
    StartThreadpoolIo(io);
    rc = WSARecv(accepted, &wsabuf, 1, NULL, &flags, &overlapped, NULL);
    CHECK(rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING);
    struct linger linger = {1, 0};
    CHECK_EQ(setsockopt(client, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    closesocket(client);
    CHECK_EQ(WaitForSingleObject(done, 5000), WAIT_OBJECT_0);
    LONG code = tl_load(&result_code);
    /* Windows: ERROR_NETNAME_DELETED (STATUS_CONNECTION_RESET); never an NTSTATUS. */
    CHECK(code == ERROR_NETNAME_DELETED || code == WSAECONNRESET);
    CHECK(code < 0x10000);

    WaitForThreadpoolIoCallbacks(io, FALSE);
    CloseThreadpoolIo(io);
    closesocket(accepted);
    CloseThreadpoolIo(listener_io);
    closesocket(listener);
    CloseHandle(done);
    sx_cleanup();
    return tl_finish();
}
