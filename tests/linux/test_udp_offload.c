/* test_udp_offload.c: what this library promises of Windows' UDP offloads on Linux
 * (docs/sockets.md): a send segmented with UDP_SEND_MSG_SIZE (Linux's GSO) to a socket
 * with UDP_RECV_MAX_COALESCED_SIZE of 65535 or more (Linux's UDP_GRO) arrives as one
 * receive with a UDP_COALESCED_INFO object giving the segment size, as Windows' URO
 * delivers it; with a smaller maximum, which Linux's coalescing could pass, nothing is
 * coalesced and the datagrams come one by one. Windows' own facts are checked in
 * tests/win32/test_socket_transmit.c, which also runs under Wine. */
#include "sockex_common.h"

#include <string.h>

static LPFN_WSARECVMSG recv_msg;

/* One receive with WSARecvMsg: its byte count, and the UDP_COALESCED_INFO value (0 if none). */
static DWORD receive(SOCKET rx, DWORD *segment)
{
    char buffer[4096];
    union {
        char bytes[256];
        WSACMSGHDR align;
    } control;
    WSABUF data = {sizeof(buffer), buffer};
    WSAMSG msg;
    DWORD got = 0;
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;
    msg.Control.buf = control.bytes;
    msg.Control.len = sizeof(control.bytes);
    *segment = 0;
    if (!sx_readable(rx, 2000) || recv_msg(rx, &msg, &got, NULL, NULL) != 0) return 0;
    for (WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&msg); c != NULL; c = WSA_CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_COALESCED_INFO && c->cmsg_len >= WSA_CMSG_LEN(4))
            memcpy(segment, WSA_CMSG_DATA(c), sizeof(*segment));
    return got;
}

int main(void)
{
    sx_startup();
    SOCKET rx = sx_udp(), tx = sx_udp();
    static char payload[250];
    memset(payload, 'g', sizeof(payload));
    CHECK_EQ(sx_bind_loopback(rx), 0);
    struct sockaddr_in to = sx_name(rx);
    GUID guid = WSAID_WSARECVMSG;
    CHECK(sx_get_ext(rx, guid, &recv_msg, sizeof(recv_msg)));
    CHECK_EQ(WSASetUdpSendMessageSize(tx, 100), 0);

    TEST("maximum 65535: the 250-byte send arrives as one receive, UDP_COALESCED_INFO 100");
    CHECK_EQ(WSASetUdpRecvMaxCoalescedSize(rx, 65535), 0);
    CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)), 250);
    DWORD segment;
    CHECK_EQ(receive(rx, &segment), 250);
    CHECK_EQ(segment, 100);

    TEST("maximum 1000: datagrams of 100, 100 and 50, none described as coalesced");
    CHECK_EQ(WSASetUdpRecvMaxCoalescedSize(rx, 1000), 0);
    CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)), 250);
    DWORD expected[3] = {100, 100, 50};
    for (int i = 0; i < 3; ++i) {
        CHECK_EQ(receive(rx, &segment), expected[i]);
        CHECK_EQ(segment, 0);
    }
    CHECK(!sx_readable(rx, 100));

    TEST("a stream socket: UDP_RECV_MAX_COALESCED_SIZE refused");
    SOCKET tcp = sx_tcp();
    DWORD size = 65535;
    CHECK_EQ(setsockopt(tcp, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (char *)&size, sizeof(size)), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    closesocket(tcp);
    closesocket(rx);
    closesocket(tx);
    sx_cleanup();
    return tl_finish();
}
