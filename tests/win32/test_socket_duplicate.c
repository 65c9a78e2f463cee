/* test_socket_duplicate.c: WSADuplicateSocketA/W and WSASocket with the WSAPROTOCOL_INFO
 * they fill in: a second descriptor of the same socket, in this process and in a child
 * process (connected and listening sockets), the completion port a copy in this process
 * shares with the original, and the errors. The program starts copies
 * of itself (see test_process.c); the child reads the WSAPROTOCOL_INFOW from its standard
 * input, a pipe. Windows facts: docs/research/windows-sockets-core.md. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include "testlib.h"
#include "children.h"

#ifndef UDP_RECV_MAX_COALESCED_SIZE /* mingw-w64's headers lack it (Windows' SDK: 3) */
#define UDP_RECV_MAX_COALESCED_SIZE 3
#endif
#ifndef IP_RECVECN /* mingw-w64's headers lack it (Windows' SDK: 50) */
#define IP_RECVECN 50
#endif

static char self_path[MAX_PATH];

/* A socket listening on a loopback port of the system's choice, which *address gets. */
static SOCKET loopback_listener(SOCKADDR_IN *address)
{
    int length = sizeof *address;
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(address, 0, sizeof *address);
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(listener, (SOCKADDR *)address, sizeof *address), 0);
    CHECK_EQ(listen(listener, 4), 0);
    CHECK_EQ(getsockname(listener, (SOCKADDR *)address, &length), 0);
    return listener;
}

/* A connected pair on loopback: *client connected to *server (accepted). */
static void connected_pair(SOCKET *client, SOCKET *server)
{
    SOCKADDR_IN address;
    SOCKET listener = loopback_listener(&address);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(*client, (SOCKADDR *)&address, sizeof address), 0);
    *server = accept(listener, NULL, NULL);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

static int receive_text(SOCKET s, const char *expected)
{
    char buffer[64];
    int want = (int)strlen(expected), got = 0;
    DWORD timeout = 5000;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    while (got < want) {
        int n = recv(s, buffer + got, want - got, 0);
        if (n <= 0) return 0;
        got += n;
    }
    return memcmp(buffer, expected, (size_t)want) == 0;
}

/* ---- the child ------------------------------------------------------------------------ */

static int run_child(const char *role)
{
    WSADATA wsa;
    WSAPROTOCOL_INFOW info;
    DWORD read = 0;
    SOCKET s;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return 10;
    if (!ReadFile(GetStdHandle(STD_INPUT_HANDLE), &info, sizeof info, &read, NULL) || read != sizeof info) return 11;
    if (strcmp(role, "ignore") == 0) return 0; /* exits without taking the socket */
    if (strcmp(role, "steal") == 0) {
        /* Information meant for another process: no socket here. */
        s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
        return s == INVALID_SOCKET ? 0 : 50;
    }
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return 12;
    if (strcmp(role, "connected") == 0) {
        const char *text = "from the child";
        if (send(s, text, (int)strlen(text), 0) != (int)strlen(text)) return 20;
        if (!receive_text(s, "ok")) return 21;
    } else if (strcmp(role, "listening") == 0) {
        SOCKET accepted = accept(s, NULL, NULL);
        if (accepted == INVALID_SOCKET) return 30;
        if (send(accepted, "accepted by the child", 21, 0) != 21) return 31;
        closesocket(accepted);
    } else {
        return 99;
    }
    closesocket(s);
    WSACleanup();
    return 0;
}

/* Starts a child in `role` and hands it `s` through WSADuplicateSocketW and its input. */
static int hand_to_child(const char *role, SOCKET s, PROCESS_INFORMATION *process)
{
    WSAPROTOCOL_INFOW info;
    HANDLE input;
    DWORD written = 0;
    if (!tl_start_child_with_input(self_path, role, process, &input)) {
        CHECK(!"CreateProcess");
        return 0;
    }
    CHECK_EQ(WSADuplicateSocketW(s, process->dwProcessId, &info), 0);
    CHECK(WriteFile(input, &info, sizeof info, &written, NULL));
    CloseHandle(input);
    return 1;
}

/* ---- this process ----------------------------------------------------------------------- */

static void test_same_process(void)
{
    SOCKET client, server, copy;
    WSAPROTOCOL_INFOW info;
    char byte;

    TEST("WSADuplicateSocketW into this process: a second descriptor of the same connection");
    connected_pair(&client, &server);
    memset(&info, 0xcc, sizeof info);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSADuplicateSocketW(server, GetCurrentProcessId(), &info), 0);
    CHECK_EQ(info.iAddressFamily, AF_INET);
    CHECK_EQ(info.iSocketType, SOCK_STREAM);
    CHECK_EQ(info.iProtocol, IPPROTO_TCP);
    copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(copy != INVALID_SOCKET);
    CHECK(copy != server);
    CHECK_EQ(send(copy, "one", 3, 0), 3);
    CHECK(receive_text(client, "one"));
    CHECK_EQ(send(client, "two", 3, 0), 3);
    CHECK(receive_text(copy, "two"));

    TEST("the information makes one descriptor only");
    WINE_DEVIATION("Wine hands out the same duplicated handle again")
    {
        CHECK(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                         WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    }

    TEST("closing one descriptor leaves the shared socket to the other");
    CHECK_EQ(closesocket(server), 0);
    CHECK_EQ(send(copy, "three", 5, 0), 5);
    CHECK(receive_text(client, "three"));
    CHECK_EQ(closesocket(copy), 0);
    CHECK_EQ(recv(client, &byte, 1, 0), 0); /* the last descriptor closed the connection */
    closesocket(client);
}

/* The socket's options belong to the socket, so a duplicate reports what the original
 * set: IP_RECVECN on, IP_RECVTOS off (Microsoft Learn, "Winsock explicit congestion
 * notification": the options of a datagram socket). */
static void test_same_process_options(void)
{
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), copy;
    WSAPROTOCOL_INFOW info;
    DWORD on = 1, state;
    int length;

    TEST("a duplicate of a datagram socket keeps IP_RECVECN, IP_RECVTOS and UDP_RECV_MAX_COALESCED_SIZE as set");
    CHECK(udp != INVALID_SOCKET);
    WINE_DEVIATION("Wine 8.0 has no IP_RECVECN") {
        CHECK_EQ(setsockopt(udp, IPPROTO_IP, IP_RECVECN, (const char *)&on, sizeof on), 0);
        CHECK_EQ(WSADuplicateSocketW(udp, GetCurrentProcessId(), &info), 0);
        copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
        CHECK(copy != INVALID_SOCKET);
        state = 0;
        length = sizeof state;
        CHECK_EQ(getsockopt(copy, IPPROTO_IP, IP_RECVECN, (char *)&state, &length), 0);
        CHECK_EQ(state, 1);
        state = 0xdeadbeef;
        length = sizeof state;
        CHECK_EQ(getsockopt(copy, IPPROTO_IP, IP_RECVTOS, (char *)&state, &length), 0);
        CHECK_EQ(state, 0);
        closesocket(copy);
    }
    /* Receive coalescing's maximum too (Microsoft Learn, UDP_RECV_MAX_COALESCED_SIZE). */
    WINE_DEVIATION("Wine 8.0 has no UDP_RECV_MAX_COALESCED_SIZE") {
        DWORD size = 1500;
        CHECK_EQ(setsockopt(udp, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (const char *)&size, sizeof size), 0);
        CHECK_EQ(WSADuplicateSocketW(udp, GetCurrentProcessId(), &info), 0);
        copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
        CHECK(copy != INVALID_SOCKET);
        state = 0;
        length = sizeof state;
        CHECK_EQ(getsockopt(copy, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (char *)&state, &length), 0);
        CHECK_EQ(state, 1500);
        closesocket(copy);
    }
    closesocket(udp);
}

static void test_same_process_listener(void)
{
    SOCKET listener, copy, client, accepted;
    WSAPROTOCOL_INFOA info;
    SOCKADDR_IN address;

    TEST("WSADuplicateSocketA of a listening socket: the copy accepts its connections");
    listener = loopback_listener(&address);
    CHECK_EQ(WSADuplicateSocketA(listener, GetCurrentProcessId(), &info), 0);
    CHECK_EQ(info.iSocketType, SOCK_STREAM);
    copy = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(copy != INVALID_SOCKET);
    CHECK_EQ(closesocket(listener), 0);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (SOCKADDR *)&address, sizeof address), 0);
    accepted = accept(copy, NULL, NULL);
    CHECK(accepted != INVALID_SOCKET);
    CHECK_EQ(send(accepted, "hi", 2, 0), 2);
    CHECK(receive_text(client, "hi"));
    closesocket(accepted);
    closesocket(client);
    closesocket(copy);
}

/* One datagram socket of `family` (AF_INET, or AF_INET6 dual-stack when `mapped`) with
 * a default peer at `peer_text` on a loopback port, shared into this process: the copy
 * knows the peer (getpeername), sends to it with no address, and hears only it. */
static void check_datagram_peer(int family, BOOL mapped, const char *peer_text)
{
    SOCKADDR_STORAGE peer_address, udp_address, got_address;
    int peer_family = mapped ? AF_INET : family;
    int length;
    SOCKET udp = socket(family, SOCK_DGRAM, IPPROTO_UDP);
    SOCKET peer = socket(peer_family, SOCK_DGRAM, IPPROTO_UDP);
    SOCKET stranger = socket(peer_family, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(udp != INVALID_SOCKET && peer != INVALID_SOCKET && stranger != INVALID_SOCKET);
    if (mapped) {
        DWORD off = 0;
        CHECK_EQ(setsockopt(udp, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof off), 0);
    }
    /* The peer's address, in the udp socket's family (::ffff:127.0.0.1 when mapped). */
    memset(&peer_address, 0, sizeof peer_address);
    length = sizeof peer_address;
    CHECK_EQ(WSAStringToAddressA((char *)peer_text, family, NULL, (SOCKADDR *)&peer_address, &length), 0);
    SOCKADDR_STORAGE bind_address;
    memset(&bind_address, 0, sizeof bind_address);
    bind_address.ss_family = (ADDRESS_FAMILY)peer_family;
    if (peer_family == AF_INET) ((SOCKADDR_IN *)&bind_address)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else ((SOCKADDR_IN6 *)&bind_address)->sin6_addr = in6addr_loopback;
    int bind_length = peer_family == AF_INET ? (int)sizeof(SOCKADDR_IN) : (int)sizeof(SOCKADDR_IN6);
    CHECK_EQ(bind(peer, (SOCKADDR *)&bind_address, bind_length), 0);
    CHECK_EQ(bind(stranger, (SOCKADDR *)&bind_address, bind_length), 0);
    SOCKADDR_STORAGE bound;
    length = sizeof bound;
    CHECK_EQ(getsockname(peer, (SOCKADDR *)&bound, &length), 0);
    USHORT port = peer_family == AF_INET ? ((SOCKADDR_IN *)&bound)->sin_port : ((SOCKADDR_IN6 *)&bound)->sin6_port;
    if (family == AF_INET) ((SOCKADDR_IN *)&peer_address)->sin_port = port;
    else ((SOCKADDR_IN6 *)&peer_address)->sin6_port = port;
    int peer_length = family == AF_INET ? (int)sizeof(SOCKADDR_IN) : (int)sizeof(SOCKADDR_IN6);
    CHECK_EQ(connect(udp, (SOCKADDR *)&peer_address, peer_length), 0);
    length = sizeof udp_address;
    CHECK_EQ(getsockname(udp, (SOCKADDR *)&udp_address, &length), 0);

    WSAPROTOCOL_INFOW info;
    CHECK_EQ(WSADuplicateSocketW(udp, GetCurrentProcessId(), &info), 0);
    SOCKET copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(copy != INVALID_SOCKET);
    length = sizeof got_address;
    CHECK_EQ(getpeername(copy, (SOCKADDR *)&got_address, &length), 0);
    CHECK_EQ(length, peer_length);
    CHECK_EQ(got_address.ss_family, family);
    if (family == AF_INET) {
        CHECK_EQ(((SOCKADDR_IN *)&got_address)->sin_port, port);
        CHECK_EQ(((SOCKADDR_IN *)&got_address)->sin_addr.s_addr, ((SOCKADDR_IN *)&peer_address)->sin_addr.s_addr);
    } else {
        CHECK_EQ(((SOCKADDR_IN6 *)&got_address)->sin6_port, port);
        CHECK(memcmp(&((SOCKADDR_IN6 *)&got_address)->sin6_addr, &((SOCKADDR_IN6 *)&peer_address)->sin6_addr,
                     sizeof(IN6_ADDR)) == 0);
    }
    /* The copy sends to the peer with no address... */
    DWORD timeout = 10000;
    setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    setsockopt(copy, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    char buffer[8];
    CHECK_EQ(send(copy, "ab", 2, 0), 2);
    CHECK_EQ(recv(peer, buffer, sizeof buffer, 0), 2);
    /* ...and hears only it: another sender's datagram, sent first, is not received. */
    SOCKADDR_STORAGE to = udp_address;
    int to_length = bind_length;
    if (mapped) {  /* the stranger and the peer are IPv4 sockets: the udp socket's IPv4 side */
        memset(&to, 0, sizeof to);
        ((SOCKADDR_IN *)&to)->sin_family = AF_INET;
        ((SOCKADDR_IN *)&to)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ((SOCKADDR_IN *)&to)->sin_port = ((SOCKADDR_IN6 *)&udp_address)->sin6_port;
    }
    CHECK_EQ(sendto(stranger, "xx", 2, 0, (SOCKADDR *)&to, to_length), 2);
    CHECK_EQ(sendto(peer, "cd", 2, 0, (SOCKADDR *)&to, to_length), 2);
    CHECK_EQ(recv(copy, buffer, sizeof buffer, 0), 2);
    CHECK(memcmp(buffer, "cd", 2) == 0);
    closesocket(copy);
    closesocket(stranger);
    closesocket(peer);
    closesocket(udp);
}

static void test_same_process_datagram_peer(void)
{
    TEST("a duplicate of a datagram socket keeps its default peer (IPv4)");
    check_datagram_peer(AF_INET, FALSE, "127.0.0.1");
    TEST("a duplicate of a datagram socket keeps its default peer (IPv6)");
    check_datagram_peer(AF_INET6, FALSE, "::1");
    TEST("a duplicate of a dual-stack datagram socket keeps an IPv4 default peer (::ffff:127.0.0.1)");
    check_datagram_peer(AF_INET6, TRUE, "::ffff:127.0.0.1");
}

static void test_errors(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), closed = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAPROTOCOL_INFOW info;

    TEST("WSADuplicateSocket: not a socket, no such process, no buffer");
    closesocket(closed);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSADuplicateSocketW(closed, GetCurrentProcessId(), &info), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSADuplicateSocketW(s, 0xfffffff0, &info), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSADuplicateSocketW(s, GetCurrentProcessId(), NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

/* ---- a child process ------------------------------------------------------------------------ */

static void test_child_connected(void)
{
    SOCKET client, server;
    PROCESS_INFORMATION process;

    TEST("a connected socket duplicated into a child: the child sends and receives on it");
    connected_pair(&client, &server);
    if (!hand_to_child("connected", server, &process)) return;
    CHECK(receive_text(client, "from the child"));
    CHECK_EQ(send(client, "ok", 2, 0), 2);
    CHECK_EQ(tl_finish_child(&process, 20000), 0);
    /* This process's descriptor still works after the child closed its own. */
    CHECK_EQ(send(server, "still here", 10, 0), 10);
    CHECK(receive_text(client, "still here"));
    closesocket(server);
    closesocket(client);
}

static void test_child_listening(void)
{
    SOCKET listener, client;
    PROCESS_INFORMATION process;
    SOCKADDR_IN address;

    TEST("a listening socket duplicated into a child: the child accepts the connection");
    listener = loopback_listener(&address);
    if (!hand_to_child("listening", listener, &process)) return;
    closesocket(listener); /* the child's descriptor keeps the socket listening */
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(connect(client, (SOCKADDR *)&address, sizeof address), 0);
    CHECK(receive_text(client, "accepted by the child"));
    CHECK_EQ(tl_finish_child(&process, 20000), 0);
    closesocket(client);
}

static void test_other_process_cannot_take(void)
{
    SOCKET client, server;
    PROCESS_INFORMATION process;
    WSAPROTOCOL_INFOW info;
    HANDLE input;
    DWORD written = 0, code;

    TEST("information for this process does not give the socket to a child");
    connected_pair(&client, &server);
    CHECK_EQ(WSADuplicateSocketW(server, GetCurrentProcessId(), &info), 0);
    if (!tl_start_child_with_input(self_path, "steal", &process, &input)) {
        CHECK(!"CreateProcess");
        return;
    }
    CHECK(WriteFile(input, &info, sizeof info, &written, NULL));
    CloseHandle(input);
    code = tl_finish_child(&process, 20000);
    WINE_DEVIATION("Wine's WSASocket returns the handle value it finds, in any process")
    {
        CHECK_EQ(code, 0);
    }
    /* The intended process can still take it. */
    SOCKET copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(copy != INVALID_SOCKET);
    CHECK_EQ(send(copy, "mine", 4, 0), 4);
    CHECK(receive_text(client, "mine"));
    closesocket(copy);
    closesocket(server);
    closesocket(client);
}

static void test_child_never_takes(void)
{
    SOCKET client, server;
    PROCESS_INFORMATION process;
    DWORD timeout = 5000;
    char byte;

    TEST("a child that exits without taking the socket keeps nothing of it open");
    connected_pair(&client, &server);
    if (!hand_to_child("ignore", server, &process)) return;
    CHECK_EQ(tl_finish_child(&process, 20000), 0);
    /* Closing this process's descriptor now closes the connection: the peer sees its end. */
    CHECK_EQ(closesocket(server), 0);
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
    CHECK_EQ(recv(client, &byte, 1, 0), 0);
    closesocket(client);
}

/* ---------------------------------------------------------------------------------
 * A copy made for this process is a second handle of the same socket (Windows duplicates
 * the handle into the target at once): it shares the completion port the original was
 * bound to, and a request issued through either handle is cancelled only when the last
 * one is closed. Wine's sock.c test_completion_port, "Test IOCP with duplicated handle"
 * (three cases, plain ok). */

#define ORIGINAL_KEY 125
#define ADDRESS_ROOM ((DWORD)sizeof(SOCKADDR_IN) + 16)

/* Nothing on the port within 300 ms. */
static void check_port_empty(HANDLE port)
{
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    OVERLAPPED *done = (OVERLAPPED *)1;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 300));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK(done == NULL);
}

/* The AcceptEx `ov` comes out of the port aborted, under the original's key. */
static void check_port_aborted(HANDLE port, OVERLAPPED *ov)
{
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0xdeadbeef;
    OVERLAPPED *done = NULL;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &done, 10000));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK_EQ(key, ORIGINAL_KEY);
    CHECK_EQ(bytes, 0);
    CHECK(done == ov);
    CHECK_EQ(ov->Internal, 0xC0000120); /* STATUS_CANCELLED */
}

static void test_same_process_port(void)
{
    static const char *const names[3] = {
        "AcceptEx through a copy of a listener bound to a port: both closed, the abort comes under the original's key",
        "AcceptEx through the copy: closing the copy alone cancels nothing; closing the original then does",
        "AcceptEx through the copy: closing the original alone cancels nothing; closing the copy then does",
    };
    LPFN_ACCEPTEX accept_ex = NULL;
    GUID accept_ex_id = WSAID_ACCEPTEX;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    char buffer[256];
    DWORD bytes;
    int order;

    CHECK(port != NULL);
    for (order = 0; order < 3; ++order) {
        SOCKADDR_IN address;
        SOCKET listener = loopback_listener(&address), copy, accepted;
        WSAPROTOCOL_INFOW info;
        OVERLAPPED ov;

        TEST(names[order]);
        accepted = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK(accepted != INVALID_SOCKET);
        if (accept_ex == NULL)
            CHECK_EQ(WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_ex_id, sizeof accept_ex_id,
                              &accept_ex, sizeof accept_ex, &bytes, NULL, NULL), 0);
        CHECK(CreateIoCompletionPort((HANDLE)listener, port, ORIGINAL_KEY, 0) == port);
        CHECK_EQ(WSADuplicateSocketW(listener, GetCurrentProcessId(), &info), 0);
        copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
        CHECK(copy != INVALID_SOCKET);
        if (accept_ex == NULL || copy == INVALID_SOCKET) {
            closesocket(listener);
            closesocket(accepted);
            break;
        }
        memset(&ov, 0, sizeof ov);
        SetLastError(0xdeadbeef);
        CHECK(!accept_ex(copy, accepted, buffer, sizeof buffer - 2 * ADDRESS_ROOM, ADDRESS_ROOM, ADDRESS_ROOM,
                         &bytes, &ov));
        CHECK_ERROR(ERROR_IO_PENDING);
        check_port_empty(port);
        if (order == 0) {
            CHECK_EQ(closesocket(listener), 0);
            CHECK_EQ(closesocket(copy), 0);
        } else if (order == 1) {
            CHECK_EQ(closesocket(copy), 0);
            check_port_empty(port);
            CHECK_EQ(closesocket(listener), 0);
        } else {
            CHECK_EQ(closesocket(listener), 0);
            check_port_empty(port);
            CHECK_EQ(closesocket(copy), 0);
        }
        check_port_aborted(port, &ov);
        check_port_empty(port);
        closesocket(accepted);
    }

    TEST("a copy of a connected socket bound to a port: a receive through the copy completes under the original's key");
    {
        SOCKET client, server, copy;
        WSAPROTOCOL_INFOW info;
        OVERLAPPED ov, *done = NULL;
        WSABUF wb;
        DWORD flags = 0;
        ULONG_PTR key = 0;

        connected_pair(&client, &server);
        CHECK(CreateIoCompletionPort((HANDLE)server, port, ORIGINAL_KEY, 0) == port);
        CHECK_EQ(WSADuplicateSocketW(server, GetCurrentProcessId(), &info), 0);
        copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
        CHECK(copy != INVALID_SOCKET);
        memset(&ov, 0, sizeof ov);
        wb.buf = buffer;
        wb.len = sizeof buffer;
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(WSARecv(copy, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(client, "key", 3, 0), 3);
        bytes = 0;
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 10000));
        CHECK_EQ(key, ORIGINAL_KEY);
        CHECK_EQ(bytes, 3);
        CHECK(done == &ov);
        closesocket(copy);
        closesocket(server);
        closesocket(client);
    }
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argv[2]);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    if (length == 0 || length >= sizeof self_path) {
        printf("GetModuleFileNameA failed\n");
        return 1;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    test_same_process();
    test_same_process_listener();
    test_same_process_datagram_peer();
    test_same_process_options();
    test_same_process_port();
    test_errors();
    test_child_connected();
    test_child_listening();
    test_child_never_takes();
    test_other_process_cannot_take();
    WSACleanup();
    return tl_finish();
}
