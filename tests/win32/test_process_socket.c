/* test_process_socket.c: sockets handed to a child through handle inheritance: a
 * connection (as inetd-style servers do), a listening socket (as pre-forked servers share
 * theirs), a socket that is only bound, and datagram sockets (one with a default peer).
 * The child uses each, at the same value, with Winsock; a socket made with
 * WSA_FLAG_NO_HANDLE_INHERIT is invalid there. The program starts copies of itself (see
 * test_process.c). */
#include <winsock2.h>
#include "testlib.h"

static char self_path[MAX_PATH];

static int run_child(char **argv)
{
    WSADATA wsa;
    SOCKET s = (SOCKET)strtoull(argv[3], NULL, 16);
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 10;
    if (strcmp(argv[2], "send") == 0) {
        const char *text = "sent by the child";
        int sent = send(s, text, (int)strlen(text), 0);
        if (sent != (int)strlen(text)) return 20 + (WSAGetLastError() & 7);
        char reply[16];
        int got = recv(s, reply, sizeof reply, 0);
        if (got != 2 || memcmp(reply, "ok", 2) != 0) return 30;
        WSACleanup();
        return 0;
    }
    if (strcmp(argv[2], "accept") == 0 || strcmp(argv[2], "listen") == 0) {
        /* A listening socket (or one only bound, which the child makes listen). */
        BOOL accepting = FALSE;
        int size = sizeof accepting;
        if (strcmp(argv[2], "listen") == 0 && listen(s, 4) != 0) return 50;
        if (getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, (char *)&accepting, &size) != 0 || !accepting) return 51;
        SOCKET connection = accept(s, NULL, NULL);
        if (connection == INVALID_SOCKET) return 52;
        const char *text = "accepted by the child";
        if (send(connection, text, (int)strlen(text), 0) != (int)strlen(text)) return 53;
        closesocket(connection);
        return 0;
    }
    if (strcmp(argv[2], "datagram") == 0) {
        /* A bound datagram socket, overlapped: one datagram in, answered to its sender. */
        char data[16];
        WSABUF buffer = {sizeof data, data};
        struct sockaddr_in from;
        int from_length = sizeof from;
        DWORD got = 0, flags = 0;
        WSAOVERLAPPED overlapped;
        memset(&overlapped, 0, sizeof overlapped);
        overlapped.hEvent = WSACreateEvent();
        int result = WSARecvFrom(s, &buffer, 1, &got, &flags, (struct sockaddr *)&from, &from_length, &overlapped, NULL);
        if (result != 0 && WSAGetLastError() != WSA_IO_PENDING) return 60;
        if (WaitForSingleObject(overlapped.hEvent, 10000) != WAIT_OBJECT_0) return 61;
        if (!WSAGetOverlappedResult(s, &overlapped, &got, FALSE, &flags)) return 62;
        if (got != 4 || memcmp(data, "ping", 4) != 0) return 63;
        if (sendto(s, "pong", 4, 0, (struct sockaddr *)&from, from_length) != 4) return 64;
        WSACloseEvent(overlapped.hEvent);
        return 0;
    }
    if (strcmp(argv[2], "peer") == 0) {
        /* A datagram socket with a default peer: send names no address, the receive hears
         * only the peer (the parent's stranger sends first), getpeername names it. */
        char data[16];
        struct sockaddr_in peer;
        int peer_length = sizeof peer;
        DWORD timeout = 10000;
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        if (send(s, "ping", 4, 0) != 4) return 70;
        int got = recv(s, data, sizeof data, 0);
        if (got != 4 || memcmp(data, "pong", 4) != 0) return 71;
        if (getpeername(s, (struct sockaddr *)&peer, &peer_length) != 0) return 72;
        if (peer.sin_family != AF_INET || peer.sin_port == 0 || peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) return 73;
        return 0;
    }
    if (strcmp(argv[2], "invalid") == 0) {
        int sent = send(s, "x", 1, 0);
        if (sent != SOCKET_ERROR) return 40;
        return WSAGetLastError() == WSAENOTSOCK ? 0 : 41;
    }
    return 99;
}

static BOOL start_child(const char *role, SOCKET s, PROCESS_INFORMATION *info)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child %s %llx", self_path, role, (unsigned long long)s);
    return CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, info);
}

static DWORD finish_child(PROCESS_INFORMATION *info)
{
    DWORD code = 0xFFFFFFFF;
    if (WaitForSingleObject(info->hProcess, 20000) == WAIT_OBJECT_0) GetExitCodeProcess(info->hProcess, &code);
    else TerminateProcess(info->hProcess, 1);
    CloseHandle(info->hThread);
    CloseHandle(info->hProcess);
    return code;
}

/* A connected pair on the loopback: *client made with `flags` (WSASocket), *served accepted. */
static void connected_pair(DWORD flags, SOCKET *client, SOCKET *served)
{
    struct sockaddr_in address;
    int length = sizeof address;
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(listener, (struct sockaddr *)&address, sizeof address), 0);
    CHECK_EQ(listen(listener, 1), 0);
    CHECK_EQ(getsockname(listener, (struct sockaddr *)&address, &length), 0);
    *client = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    CHECK(*client != INVALID_SOCKET);
    CHECK_EQ(connect(*client, (struct sockaddr *)&address, sizeof address), 0);
    *served = accept(listener, NULL, NULL);
    CHECK(*served != INVALID_SOCKET);
    closesocket(listener);
}

/* A socket of `type` bound to the loopback at a port of the system's choice. */
static SOCKET bound_socket(int type, struct sockaddr_in *address)
{
    int length = sizeof *address;
    SOCKET s = socket(AF_INET, type, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
    CHECK(s != INVALID_SOCKET);
    memset(address, 0, sizeof *address);
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(s, (struct sockaddr *)address, sizeof *address), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)address, &length), 0);
    return s;
}

/* Connects to `address`, trying again while nothing listens there yet (a child that is
 * still starting), for up to 10 s; the text the other side sends is checked. */
static void connect_and_hear(const struct sockaddr_in *address, const char *expected)
{
    SOCKET client = INVALID_SOCKET;
    for (int attempt = 0; attempt < 500; ++attempt) {
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (connect(client, (const struct sockaddr *)address, sizeof *address) == 0) break;
        closesocket(client);
        client = INVALID_SOCKET;
        Sleep(20);
    }
    CHECK(client != INVALID_SOCKET);
    if (client == INVALID_SOCKET) return;
    DWORD timeout = 10000;
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    char buffer[64];
    int got = recv(client, buffer, sizeof buffer - 1, 0);
    CHECK_EQ(got, (int)strlen(expected));
    if (got > 0) {
        buffer[got] = '\0';
        CHECK(strcmp(buffer, expected) == 0);
    }
    closesocket(client);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SOCKET client, served;
    PROCESS_INFORMATION info;
    if (argc >= 4 && strcmp(argv[1], "child") == 0) return run_child(argv);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wsa), 0);

    TEST("a connected socket inherited by a child, used there with Winsock");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        char buffer[64];
        connected_pair(WSA_FLAG_OVERLAPPED, &client, &served);
        CHECK(start_child("send", client, &info));
        DWORD timeout = 10000;
        setsockopt(served, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        int got = recv(served, buffer, sizeof buffer - 1, 0);
        CHECK_EQ(got, 17);
        if (got > 0) {
            buffer[got] = '\0';
            CHECK(strcmp(buffer, "sent by the child") == 0);
        }
        CHECK_EQ(send(served, "ok", 2, 0), 2);
        CHECK_EQ(finish_child(&info), 0);
        /* Our own handle still works after the child closed its copy. */
        CHECK_EQ(send(client, "still", 5, 0), 5);
        CHECK_EQ(recv(served, buffer, sizeof buffer, 0), 5);
        closesocket(client);
        closesocket(served);
    }

    TEST("a socket connected without blocking, inherited once the connection is made");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        /* connect on a non-blocking socket says WSAEWOULDBLOCK; nothing asks the socket
         * again before the child starts, yet it is connected by then. */
        char buffer[64];
        struct sockaddr_in address;
        SOCKET listener = bound_socket(SOCK_STREAM, &address);
        CHECK_EQ(listen(listener, 1), 0);
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        u_long on = 1, off = 0;
        CHECK_EQ(ioctlsocket(client, FIONBIO, &on), 0);
        int result = connect(client, (struct sockaddr *)&address, sizeof address);
        CHECK(result == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
        served = accept(listener, NULL, NULL);
        CHECK(served != INVALID_SOCKET);
        Sleep(100);
        CHECK_EQ(ioctlsocket(client, FIONBIO, &off), 0);
        CHECK(start_child("send", client, &info));
        DWORD timeout = 10000;
        setsockopt(served, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        int got = recv(served, buffer, sizeof buffer - 1, 0);
        CHECK_EQ(got, 17);
        CHECK_EQ(send(served, "ok", 2, 0), 2);
        CHECK_EQ(finish_child(&info), 0);
        closesocket(client);
        closesocket(served);
        closesocket(listener);
    }

    TEST("a listening socket inherited by a child: the child accepts, the parent still can");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        struct sockaddr_in address;
        SOCKET listener = bound_socket(SOCK_STREAM, &address);
        CHECK_EQ(listen(listener, 4), 0);
        CHECK(start_child("accept", listener, &info));
        connect_and_hear(&address, "accepted by the child");
        CHECK_EQ(finish_child(&info), 0);
        /* Our handle is still the listener after the child closed its copy. */
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        DWORD timeout = 10000;
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        CHECK_EQ(connect(client, (struct sockaddr *)&address, sizeof address), 0);
        served = accept(listener, NULL, NULL);
        CHECK(served != INVALID_SOCKET);
        CHECK_EQ(send(served, "ok", 2, 0), 2);
        char buffer[4];
        CHECK_EQ(recv(client, buffer, sizeof buffer, 0), 2);
        closesocket(served);
        closesocket(client);
        closesocket(listener);
    }

    TEST("a socket only bound, inherited: the child makes it listen on the parent's port");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        struct sockaddr_in address;
        SOCKET bound = bound_socket(SOCK_STREAM, &address);
        CHECK(start_child("listen", bound, &info));
        connect_and_hear(&address, "accepted by the child");
        CHECK_EQ(finish_child(&info), 0);
        closesocket(bound);
    }

    TEST("a bound datagram socket inherited: the child receives overlapped and answers");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        struct sockaddr_in address, sender_address;
        SOCKET datagram = bound_socket(SOCK_DGRAM, &address);
        SOCKET sender = bound_socket(SOCK_DGRAM, &sender_address);
        DWORD timeout = 10000;
        setsockopt(sender, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        CHECK(start_child("datagram", datagram, &info));
        CHECK_EQ(sendto(sender, "ping", 4, 0, (struct sockaddr *)&address, sizeof address), 4);
        char buffer[8];
        CHECK_EQ(recv(sender, buffer, sizeof buffer, 0), 4);
        CHECK(memcmp(buffer, "pong", 4) == 0);
        CHECK_EQ(finish_child(&info), 0);
        closesocket(sender);
        closesocket(datagram);
    }

    TEST("a datagram socket with a default peer inherited: sends and hears only that peer");
    WINE_DEVIATION("an inherited socket handle is not a socket in the child (WSAENOTSOCK)")
    {
        struct sockaddr_in address, peer_address, stranger_address, from;
        int from_length = sizeof from;
        SOCKET datagram = bound_socket(SOCK_DGRAM, &address);
        SOCKET peer = bound_socket(SOCK_DGRAM, &peer_address);
        SOCKET stranger = bound_socket(SOCK_DGRAM, &stranger_address);
        CHECK_EQ(connect(datagram, (struct sockaddr *)&peer_address, sizeof peer_address), 0);
        DWORD timeout = 10000;
        setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        CHECK(start_child("peer", datagram, &info));
        char buffer[8];
        CHECK_EQ(recvfrom(peer, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &from_length), 4);
        CHECK(memcmp(buffer, "ping", 4) == 0);
        CHECK_EQ(from.sin_port, address.sin_port);  /* sent from the inherited socket */
        /* A datagram from another sender first: the child must not see it. */
        CHECK_EQ(sendto(stranger, "noise", 5, 0, (struct sockaddr *)&address, sizeof address), 5);
        CHECK_EQ(sendto(peer, "pong", 4, 0, (struct sockaddr *)&address, sizeof address), 4);
        CHECK_EQ(finish_child(&info), 0);
        closesocket(stranger);
        closesocket(peer);
        closesocket(datagram);
    }

    TEST("a socket made with WSA_FLAG_NO_HANDLE_INHERIT is not a socket in the child");
    connected_pair(WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT, &client, &served);
    CHECK(start_child("invalid", client, &info));
    CHECK_EQ(finish_child(&info), 0);
    closesocket(client);
    closesocket(served);

    WSACleanup();
    return tl_finish();
}
