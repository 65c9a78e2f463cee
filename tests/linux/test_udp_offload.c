/* test_udp_offload.c: what this library promises of Windows' UDP offloads on Linux
 * (docs/sockets.md): a send segmented with UDP_SEND_MSG_SIZE (Linux's GSO) to a socket
 * with UDP_RECV_MAX_COALESCED_SIZE of 65535 or more (Linux's UDP_GRO) arrives as one
 * receive with a UDP_COALESCED_INFO object giving the segment size, as Windows' URO
 * delivers it; with a smaller maximum, which Linux's coalescing could pass, nothing is
 * coalesced and the datagrams come one by one. And an IP_ECN send object keeps the rest
 * of the TOS byte the program set (Windows mostly ignores IP_TOS, so this is ours to
 * state). Windows' own facts are checked in
 * tests/win32/test_socket_transmit.c, which also runs under Wine. */
#include "sockex_common.h"

#include <string.h>

static LPFN_WSARECVMSG recv_msg;

/* One receive with WSARecvMsg: its byte count, and in *value the INT of the control object
   (`level`, `type`) it brought (0 if none). */
static DWORD receive(SOCKET rx, int level, int type, DWORD *value)
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
    *value = 0;
    if (!sx_readable(rx, 2000) || recv_msg(rx, &msg, &got, NULL, NULL) != 0) return 0;
    for (WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&msg); c != NULL; c = WSA_CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == level && c->cmsg_type == type && c->cmsg_len >= WSA_CMSG_LEN(4))
            memcpy(value, WSA_CMSG_DATA(c), sizeof(*value));
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
    CHECK_EQ(receive(rx, IPPROTO_UDP, UDP_COALESCED_INFO, &segment), 250);
    CHECK_EQ(segment, 100);

    TEST("maximum 1000: datagrams of 100, 100 and 50, none described as coalesced");
    CHECK_EQ(WSASetUdpRecvMaxCoalescedSize(rx, 1000), 0);
    CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)), 250);
    DWORD expected[3] = {100, 100, 50};
    for (int i = 0; i < 3; ++i) {
        CHECK_EQ(receive(rx, IPPROTO_UDP, UDP_COALESCED_INFO, &segment), expected[i]);
        CHECK_EQ(segment, 0);
    }
    CHECK(!sx_readable(rx, 100));

    TEST("IP_ECN on a send keeps the rest of the TOS byte, as set before and after a first ECN send");
    {
        SOCKET rx2 = sx_udp(), tx2 = sx_udp();
        DWORD on = 1;
        CHECK_EQ(sx_bind_loopback(rx2), 0);
        struct sockaddr_in to2 = sx_name(rx2);
        CHECK_EQ(setsockopt(rx2, IPPROTO_IP, IP_RECVTOS, (char *)&on, sizeof(on)), 0);
        CHECK(sx_get_ext(rx2, guid, &recv_msg, sizeof(recv_msg)));
        LPFN_WSASENDMSG send_msg;
        GUID send_guid = WSAID_WSASENDMSG;
        CHECK(sx_get_ext(tx2, send_guid, &send_msg, sizeof(send_msg)));
        DWORD tos_values[2] = {0x20, 0x48}; /* a DSCP, then another after the first ECN send */
        for (int i = 0; i < 2; ++i) {
            CHECK_EQ(setsockopt(tx2, IPPROTO_IP, IP_TOS, (char *)&tos_values[i], sizeof(tos_values[i])), 0);
            union {
                char bytes[64];
                WSACMSGHDR align;
            } out;
            memset(&out, 0, sizeof(out));
            WSACMSGHDR *header = (WSACMSGHDR *)out.bytes;
            header->cmsg_len = WSA_CMSG_LEN(sizeof(INT));
            header->cmsg_level = IPPROTO_IP;
            header->cmsg_type = IP_ECN;
            INT ecn = 2;
            memcpy(WSA_CMSG_DATA(header), &ecn, sizeof(ecn));
            WSABUF one = {2, (char *)"tc"};
            WSAMSG msg;
            memset(&msg, 0, sizeof(msg));
            msg.name = (struct sockaddr *)&to2;
            msg.namelen = sizeof(to2);
            msg.lpBuffers = &one;
            msg.dwBufferCount = 1;
            msg.Control.buf = out.bytes;
            msg.Control.len = (ULONG)WSA_CMSG_SPACE(sizeof(INT));
            DWORD sent = 0;
            CHECK_EQ(send_msg(tx2, &msg, 0, &sent, NULL, NULL), 0);
            DWORD tos = 0;
            CHECK_EQ(receive(rx2, IPPROTO_IP, IP_TOS, &tos), 2);
            CHECK_EQ(tos, tos_values[i] | 2);
        }
        closesocket(rx2);
        closesocket(tx2);
    }

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
