/* test_process_socket.c: a connected socket handed to a child through handle
 * inheritance (as inetd-style servers do): the child uses it, at the same value, with
 * Winsock; a socket made with WSA_FLAG_NO_HANDLE_INHERIT is invalid there. The program
 * starts copies of itself (see test_process.c). */
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

    TEST("a socket made with WSA_FLAG_NO_HANDLE_INHERIT is not a socket in the child");
    connected_pair(WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT, &client, &served);
    CHECK(start_child("invalid", client, &info));
    CHECK_EQ(finish_child(&info), 0);
    closesocket(client);
    closesocket(served);

    WSACleanup();
    return tl_finish();
}
