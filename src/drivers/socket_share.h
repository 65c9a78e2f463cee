// socket_share.h: a socket shared with another process (WSADuplicateSocket, then
// WSASocket with the WSAPROTOCOL_INFO it filled in).
//
// Windows duplicates the socket's handle into the target process at once. Here the
// source offers a duplicate of its descriptor on a listening Unix-domain socket of its
// own, in the abstract namespace (no file to clean up: the name goes with the socket),
// named by this user, the source's pid and a random token; a thread of the source hands
// the descriptor (SCM_RIGHTS) to the first connection whose peer is the target process,
// once, and ends; it also ends when the target process exits. The target connects by the
// name, checks that the peer is the source process of the same user, and builds a socket
// over the descriptor it receives (SocketDevice::adopt). Both ends then share one Linux
// socket, as two Windows descriptors of a shared socket share one socket.
#pragma once

#include <cstdint>

#include "drivers/socket.h"

namespace overlapped::drivers {

// What the WSAPROTOCOL_INFO carries to the target besides family, type and protocol.
struct ShareTicket {
    uint32_t token = 0;       // never 0 for a real offer
    uint32_t source_pid = 0;  // the process that offers the socket
    bool overlapped = false;  // the shared socket's WSA_FLAG_OVERLAPPED (a handle to the
                              // same socket keeps its mode, whatever WSASocket asks)
    uint8_t traffic_class = 0;  // SocketDevice::traffic_class_options()
};

// What the offer's message carries beside the descriptor: the socket's settings the
// library keeps itself that do not fit the WSAPROTOCOL_INFO (ShareTicket).
struct ShareRecord {
    uint32_t coalesced_max = 0;  // SocketDevice::receive_coalesced_max()
    uint32_t reserved = 0;
};

// 0 if process `target` exists (and may be sent a socket), else WSAEINVAL.
int check_share_target(uint32_t target);

// Offers `socket` to process `target` (this process too). 0 and the ticket, or a WSA
// error: WSAEINVAL for no such process, or a socket that cannot be shared as it is
// (SocketDevice::duplicate_for_sharing); WSAENOBUFS / WSAEMFILE when no offer can be made.
int share_socket(SocketDevice* socket, uint32_t target, ShareTicket* ticket);

// In the target: takes the socket offered under `ticket` (one reference), or null with
// a WSA error in *error: WSAEINVAL when there is no such offer (taken already, or its
// source has exited) or it was not meant for this process.
SocketDevice* take_shared_socket(const ShareTicket& ticket, int family, int type, int protocol, int* error);

}  // namespace overlapped::drivers
