/* test_spawn_accept_race.c: CreateProcess with bInheritHandles racing AcceptEx. A socket
 * made for AcceptEx is inheritable (as every socket is by default), and the AcceptEx's
 * completion replaces its descriptor with the accepted connection's. The parent must hand
 * the child a descriptor it duplicated under the socket's lock (or none for a socket an
 * AcceptEx is to accept into), never a number that was closed meanwhile: that made
 * CreateProcess fail now and then (ERROR_GEN_FAILURE from posix_spawn's EBADF), or could
 * have handed the child an unrelated file that reused the number.
 *
 * Linux-side: it checks how the library crosses descriptors into a child, a matter of
 * timing Windows does not have. */
#include "testlib.h"

#include <winsock2.h>
#include <mswsock.h>

#define SPAWNS 400

static LPFN_ACCEPTEX accept_ex;
static SOCKET listener;
static struct sockaddr_in address;
static volatile LONG stop;
static volatile LONG accepts, accept_failures;

/* AcceptEx, a connection to complete it, close both; again, until told to stop. */
static DWORD WINAPI acceptor(LPVOID unused)
{
    (void)unused;
    char buffer[2 * (sizeof(struct sockaddr_in6) + 16)];
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    while (!tl_load(&stop)) {
        SOCKET accepted = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        OVERLAPPED overlapped;
        memset(&overlapped, 0, sizeof overlapped);
        ResetEvent(event);
        overlapped.hEvent = event;
        DWORD bytes = 0;
        if (!accept_ex(listener, accepted, buffer, 0, sizeof(struct sockaddr_in6) + 16,
                       sizeof(struct sockaddr_in6) + 16, &bytes, &overlapped) &&
            WSAGetLastError() != ERROR_IO_PENDING) {
            InterlockedIncrement(&accept_failures);
            closesocket(accepted);
            break;
        }
        SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        connect(client, (struct sockaddr *)&address, sizeof address);
        if (WaitForSingleObject(event, 10000) != WAIT_OBJECT_0) InterlockedIncrement(&accept_failures);
        closesocket(client);
        closesocket(accepted);
        InterlockedIncrement(&accepts);
    }
    CloseHandle(event);
    return 0;
}

int main(void)
{
    WSADATA wsa;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(listener != INVALID_SOCKET);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof address;
    CHECK_EQ(bind(listener, (struct sockaddr *)&address, sizeof address), 0);
    CHECK_EQ(listen(listener, 64), 0);
    CHECK_EQ(getsockname(listener, (struct sockaddr *)&address, &length), 0);
    GUID guid = WSAID_ACCEPTEX;
    DWORD got = 0;
    CHECK_EQ(WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &accept_ex, sizeof accept_ex,
                      &got, NULL, NULL), 0);

    TEST("CreateProcess with inherited handles while AcceptEx completes into inheritable sockets");
    HANDLE threads[2];
    for (int i = 0; i < 2; ++i) threads[i] = CreateThread(NULL, 0, acceptor, NULL, 0, NULL);
    int failures = 0;
    DWORD last_error = 0;
    for (int i = 0; i < SPAWNS; ++i) {
        STARTUPINFOA startup;
        PROCESS_INFORMATION info;
        memset(&startup, 0, sizeof startup);
        startup.cb = sizeof startup;
        char line[] = "/bin/true";
        if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &info)) {
            ++failures;
            last_error = GetLastError();
            continue;
        }
        CHECK_EQ(WaitForSingleObject(info.hProcess, 10000), WAIT_OBJECT_0);
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
    }
    tl_store(&stop, 1);
    CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 30000), WAIT_OBJECT_0);
    if (failures != 0) printf("%d of %d CreateProcess calls failed, the last with error %lu\n", failures, SPAWNS,
                              (unsigned long)last_error);
    CHECK_EQ(failures, 0);
    CHECK_EQ(tl_load(&accept_failures), 0);
    CHECK(tl_load(&accepts) > 0);  /* the race was run */
    printf("%ld connections accepted beside %d spawns\n", (long)tl_load(&accepts), SPAWNS);
    closesocket(listener);
    WSACleanup();
    return tl_finish();
}
