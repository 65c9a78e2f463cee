/* test_socket_transmit.c: the data-moving Winsock extensions.
 *
 * TransmitFile (whole file, a range, the file pointer, head and tail buffers, no file,
 * TF_DISCONNECT, TF_DISCONNECT|TF_REUSE_SOCKET then AcceptEx, errors; event and port
 * completion; files opened with and without FILE_FLAG_OVERLAPPED), TransmitPackets (memory
 * and file elements), WSASendMsg / WSARecvMsg on UDP (WSAMSG fields, dwFlags out, the
 * source address, IP_PKTINFO, IP_TTL, IP_TOS, IPV6_HOPLIMIT and IPV6_TCLASS control data)
 * and WSASendMsg on TCP.
 * Every function comes from WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER).
 * The receiving side checks every byte. Facts and sources:
 * docs/research/windows-sockets-extensions.md. */
#include "sockex_common.h"

#define FILE_SIZE 200123

/* Control bytes one IP_PKTINFO object takes: the header plus the data rounded up to
 * pointer size (Wine's ws2_32 tests, test_ip_pktinfo, IP_PKTINFO_LEN). */
#define PKTINFO_SPACE \
    (sizeof(WSACMSGHDR) + ((sizeof(IN_PKTINFO) + sizeof(SIZE_T) - 1) & ~(sizeof(SIZE_T) - 1)))

static LPFN_TRANSMITFILE pTransmitFile;
static LPFN_TRANSMITPACKETS pTransmitPackets;
static LPFN_ACCEPTEX pAcceptEx;
static LPFN_WSASENDMSG pWSASendMsg;
static LPFN_WSARECVMSG pWSARecvMsg;

static char file_path[MAX_PATH];
static HANDLE file_plain; /* opened without FILE_FLAG_OVERLAPPED */
static HANDLE file_ov;    /* opened with FILE_FLAG_OVERLAPPED */

static void load_extensions(void)
{
    SOCKET tcp = sx_tcp(), udp = sx_udp();
    GUID tf = WSAID_TRANSMITFILE, acceptex = WSAID_ACCEPTEX;
    GUID sendmsg = WSAID_WSASENDMSG, recvmsg = WSAID_WSARECVMSG;
    GUID tp = WSAID_TRANSMITPACKETS;
    DWORD bytes;

    sx_get_ext(tcp, tf, &pTransmitFile, sizeof(pTransmitFile));
    sx_get_ext(tcp, acceptex, &pAcceptEx, sizeof(pAcceptEx));
    sx_get_ext(udp, sendmsg, &pWSASendMsg, sizeof(pWSASendMsg));
    sx_get_ext(udp, recvmsg, &pWSARecvMsg, sizeof(pWSARecvMsg));
    /* checked in test_transmitpackets */
    pTransmitPackets = NULL;
    WSAIoctl(tcp, SIO_GET_EXTENSION_FUNCTION_POINTER, &tp, sizeof(tp), &pTransmitPackets,
             sizeof(pTransmitPackets), &bytes, NULL, NULL);
    closesocket(tcp);
    closesocket(udp);
}

static void make_file(void)
{
    char dir[MAX_PATH];
    char *data = malloc(FILE_SIZE);
    HANDLE h;
    DWORD written = 0;
    size_t i;

    CHECK(data != NULL);
    for (i = 0; i < FILE_SIZE; i++)
        data[i] = (char)sx_pattern(i);
    CHECK(GetTempPathA(sizeof(dir), dir) != 0);
    CHECK(GetTempFileNameA(dir, "sxt", 0, file_path) != 0);
    h = CreateFileA(file_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(h, data, FILE_SIZE, &written, NULL));
    CHECK_EQ(written, FILE_SIZE);
    CloseHandle(h);
    free(data);
    file_plain = CreateFileA(file_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                             FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    CHECK(file_plain != INVALID_HANDLE_VALUE);
    file_ov = CreateFileA(file_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                          FILE_FLAG_OVERLAPPED | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    CHECK(file_ov != INVALID_HANDLE_VALUE);
}

static void remove_file(void)
{
    CloseHandle(file_plain);
    CloseHandle(file_ov);
    CHECK(DeleteFileA(file_path));
}

/* A thread that receives `want` bytes (and, if asked, then waits for the peer's close),
 * so that synchronous senders never block on a full socket buffer. */
struct receiver {
    SOCKET s;
    char *buf;
    int want;
    int got;
    int check_eof;
    int eof;
    HANDLE thread;
};

static DWORD WINAPI receiver_main(void *arg)
{
    struct receiver *r = arg;
    r->got = sx_recv_all(r->s, r->buf, r->want, 10000);
    if (r->check_eof)
        r->eof = sx_recv_eof(r->s, 10000);
    return 0;
}

static void receiver_start(struct receiver *r, SOCKET s, int want, int check_eof)
{
    r->s = s;
    r->want = want;
    r->got = 0;
    r->check_eof = check_eof;
    r->eof = 0;
    r->buf = malloc(want > 0 ? (size_t)want : 1);
    CHECK(r->buf != NULL);
    memset(r->buf, 0xcc, want > 0 ? (size_t)want : 1);
    r->thread = CreateThread(NULL, 0, receiver_main, r, 0, NULL);
    CHECK(r->thread != NULL);
}

/* Joins the receiver (bounded) and returns TRUE if it finished. */
static int receiver_join(struct receiver *r)
{
    int done = WaitForSingleObject(r->thread, 30000) == WAIT_OBJECT_0;
    CHECK(done);
    CloseHandle(r->thread);
    return done;
}

static void receiver_free(struct receiver *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Checks that the receiver got exactly head + file[offset, offset+count) + tail. */
static void check_received(struct receiver *r, const char *head, int head_len, size_t offset,
                           int count, const char *tail, int tail_len)
{
    CHECK_EQ(r->got, head_len + count + tail_len);
    if (r->got != head_len + count + tail_len)
        return;
    if (head_len)
        CHECK(memcmp(r->buf, head, (size_t)head_len) == 0);
    CHECK_EQ(sx_pattern_mismatch(r->buf + head_len, (size_t)count, offset), -1);
    if (tail_len)
        CHECK(memcmp(r->buf + head_len + count, tail, (size_t)tail_len) == 0);
}

/* ---------------------------------------------------------------------------------- */

static void test_transmitfile_errors(void)
{
    SOCKET s, client, server;
    DWORD err;
    BOOL ok;
    OVERLAPPED ov;

    sx_ov_init(&ov);

    TEST("TransmitFile errors: INVALID_SOCKET: WSAENOTSOCK");
    WSASetLastError(0xdeadbeef);
    CHECK(!pTransmitFile(INVALID_SOCKET, file_plain, 0, 0, NULL, NULL, 0));
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("TransmitFile errors: an unconnected TCP socket: WSAENOTCONN");
    s = sx_tcp();
    WSASetLastError(0xdeadbeef);
    CHECK(!pTransmitFile(s, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET));
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    closesocket(s);

    TEST("TransmitFile errors: a UDP socket: WSAENOTCONN");
    s = sx_udp();
    WSASetLastError(0xdeadbeef);
    CHECK(!pTransmitFile(s, NULL, 0, 0, NULL, NULL, 0));
    CHECK_EQ(WSAGetLastError(), WSAENOTCONN);
    closesocket(s);

    TEST("TransmitFile errors: TF_REUSE_SOCKET without TF_DISCONNECT: WSAEINVAL");
    sx_pair(&client, &server);
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ok = pTransmitFile(client, NULL, 0, 0, &ov, NULL, TF_REUSE_SOCKET);
    err = WSAGetLastError();
    CHECK(!ok);
    WINE_DEVIATION("TransmitFile accepts TF_REUSE_SOCKET without TF_DISCONNECT")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    if (ok || err == ERROR_IO_PENDING)
        sx_signalled(ov.hEvent, 5000);
    closesocket(client);
    closesocket(server);

    TEST("TransmitFile errors: an offset beyond the end of the file: WSAEINVAL");
    sx_pair(&client, &server);
    sx_ov_reset(&ov);
    ov.Offset = FILE_SIZE + 1000;
    WSASetLastError(0xdeadbeef);
    ok = pTransmitFile(client, file_plain, 0, 0, &ov, NULL, 0);
    err = WSAGetLastError();
    CHECK(!ok);
    WINE_DEVIATION("TransmitFile accepts an offset beyond the end of the file")
    {
        CHECK_EQ(err, WSAEINVAL);
    }
    if (ok || err == ERROR_IO_PENDING)
        sx_signalled(ov.hEvent, 5000);
    closesocket(client);
    closesocket(server);

    TEST("TransmitFile errors: after shutdown(SD_SEND): WSAESHUTDOWN");
    sx_pair(&client, &server);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    WSASetLastError(0xdeadbeef);
    ok = pTransmitFile(client, NULL, 0, 0, NULL, NULL, 0);
    err = WSAGetLastError();
    CHECK(!ok);
    CHECK_EQ(err, WSAESHUTDOWN);
    closesocket(client);
    closesocket(server);

    sx_ov_free(&ov);
}

static void test_transmitfile_sync(void)
{
    static const char head[] = "HEAD-0123456789";
    static const char tail[] = "tail!";
    SOCKET client, server;
    struct receiver r;
    TRANSMIT_FILE_BUFFERS bufs;
    BOOL ok;

    sx_pair(&client, &server);

    TEST("TransmitFile sync: the whole file (count 0) from the start");
    CHECK_EQ(SetFilePointer(file_plain, 0, NULL, FILE_BEGIN), 0);
    receiver_start(&r, server, FILE_SIZE, 0);
    ok = pTransmitFile(client, file_plain, 0, 0, NULL, NULL, 0);
    CHECK(ok);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, FILE_SIZE, NULL, 0);
    receiver_free(&r);

    TEST("TransmitFile sync: starts at the current file pointer");
    CHECK_EQ(SetFilePointer(file_plain, 1000, NULL, FILE_BEGIN), 1000);
    receiver_start(&r, server, FILE_SIZE - 1000, 0);
    CHECK(pTransmitFile(client, file_plain, 0, 0, NULL, NULL, 0));
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 1000, FILE_SIZE - 1000, NULL, 0);
    receiver_free(&r);

    TEST("TransmitFile sync: nNumberOfBytesToWrite limits the count");
    CHECK_EQ(SetFilePointer(file_plain, 0, NULL, FILE_BEGIN), 0);
    receiver_start(&r, server, 777, 0);
    CHECK(pTransmitFile(client, file_plain, 777, 0, NULL, NULL, 0));
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, 777, NULL, 0);
    receiver_free(&r);
    CHECK(!sx_readable(server, 100));

    TEST("TransmitFile sync: head and tail buffers around the file data");
    bufs.Head = (void *)head;
    bufs.HeadLength = sizeof(head) - 1;
    bufs.Tail = (void *)tail;
    bufs.TailLength = sizeof(tail) - 1;
    CHECK_EQ(SetFilePointer(file_plain, 0, NULL, FILE_BEGIN), 0);
    receiver_start(&r, server, (int)(bufs.HeadLength + 4096 + bufs.TailLength), 0);
    CHECK(pTransmitFile(client, file_plain, 4096, 0, NULL, &bufs, 0));
    if (receiver_join(&r))
        check_received(&r, head, (int)bufs.HeadLength, 0, 4096, tail, (int)bufs.TailLength);
    receiver_free(&r);

    TEST("TransmitFile sync: no file, only head and tail");
    receiver_start(&r, server, (int)(bufs.HeadLength + bufs.TailLength), 0);
    CHECK(pTransmitFile(client, NULL, 0, 0, NULL, &bufs, 0));
    if (receiver_join(&r))
        check_received(&r, head, (int)bufs.HeadLength, 0, 0, tail, (int)bufs.TailLength);
    receiver_free(&r);

    TEST("TransmitFile sync: no file and no buffers succeeds and sends nothing");
    CHECK(pTransmitFile(client, NULL, 0, 0, NULL, NULL, 0));
    CHECK(!sx_readable(server, 200));

    /* A call with no OVERLAPPED has nothing a packet could name: as DisconnectEx with
     * none (Wine's sock.c test_shutdown_completion_port), it queues nothing. */
    TEST("TransmitFile sync on a socket bound to a port: head and tail sent, nothing queued");
    {
        HANDLE port = CreateIoCompletionPort((HANDLE)client, NULL, 9, 0);
        struct sx_packet packet;
        CHECK(port != NULL);
        receiver_start(&r, server, (int)(bufs.HeadLength + bufs.TailLength), 0);
        CHECK(pTransmitFile(client, NULL, 0, 0, NULL, &bufs, 0));
        if (receiver_join(&r))
            check_received(&r, head, (int)bufs.HeadLength, 0, 0, tail, (int)bufs.TailLength);
        receiver_free(&r);
        packet = sx_get_packet(port, 200);
        CHECK(!packet.ret);
        CHECK_EQ(packet.error, WAIT_TIMEOUT);
        CloseHandle(port);
    }

    closesocket(client);
    closesocket(server);
}

static void test_transmitfile_overlapped_one(HANDLE file, const char *what)
{
    static const char head[] = "<<head>>";
    static const char tail[] = "<<the tail>>";
    SOCKET client, server;
    struct receiver r;
    TRANSMIT_FILE_BUFFERS bufs;
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ok;

    printf("   (%s)\n", what);
    sx_ov_init(&ov);
    sx_pair(&client, &server);

    TEST("TransmitFile overlapped: the whole file, event, bytes = file size");
    sx_ov_reset(&ov);
    ov.Offset = 0;
    ov.OffsetHigh = 0;
    receiver_start(&r, server, FILE_SIZE, 0);
    WSASetLastError(0xdeadbeef);
    ok = pTransmitFile(client, file, 0, 0, &ov, NULL, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, FILE_SIZE);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, FILE_SIZE, NULL, 0);
    receiver_free(&r);

    TEST("TransmitFile overlapped: a range (Offset 5000, 10000 bytes)");
    sx_ov_reset(&ov);
    ov.Offset = 5000;
    ov.OffsetHigh = 0;
    receiver_start(&r, server, 10000, 0);
    ok = pTransmitFile(client, file, 10000, 0, &ov, NULL, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 10000);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 5000, 10000, NULL, 0);
    receiver_free(&r);
    CHECK(!sx_readable(server, 100));

    TEST("TransmitFile overlapped: from an offset to the end (count 0)");
    sx_ov_reset(&ov);
    ov.Offset = FILE_SIZE - 3333;
    receiver_start(&r, server, 3333, 0);
    ok = pTransmitFile(client, file, 0, 0, &ov, NULL, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 3333);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, FILE_SIZE - 3333, 3333, NULL, 0);
    receiver_free(&r);

    TEST("TransmitFile overlapped: head + range + tail; bytes count all three");
    bufs.Head = (void *)head;
    bufs.HeadLength = sizeof(head) - 1;
    bufs.Tail = (void *)tail;
    bufs.TailLength = sizeof(tail) - 1;
    sx_ov_reset(&ov);
    ov.Offset = 123;
    receiver_start(&r, server, (int)(bufs.HeadLength + 50000 + bufs.TailLength), 0);
    ok = pTransmitFile(client, file, 50000, 0, &ov, &bufs, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, bufs.HeadLength + 50000 + bufs.TailLength);
    if (receiver_join(&r))
        check_received(&r, head, (int)bufs.HeadLength, 123, 50000, tail, (int)bufs.TailLength);
    receiver_free(&r);

    TEST("TransmitFile overlapped: nNumberOfBytesPerSend does not change what arrives");
    sx_ov_reset(&ov);
    ov.Offset = 0;
    receiver_start(&r, server, 20000, 0);
    ok = pTransmitFile(client, file, 20000, 1000, &ov, NULL, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 20000);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, 20000, NULL, 0);
    receiver_free(&r);

    closesocket(client);
    closesocket(server);
    sx_ov_free(&ov);
}

static void test_transmitfile_port(void)
{
    SOCKET client, server;
    struct receiver r;
    OVERLAPPED ov;
    HANDLE port;
    struct sx_packet p;
    BOOL ok;

    TEST("TransmitFile through a port: one packet with key, OVERLAPPED, bytes");
    sx_pair(&client, &server);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 0x7f, 0);
    CHECK(port != NULL);
    memset(&ov, 0, sizeof(ov));
    ov.Offset = 777;
    receiver_start(&r, server, 65536, 0);
    ok = pTransmitFile(client, file_ov, 65536, 0, &ov, NULL, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    p = sx_get_packet(port, 20000);
    CHECK(p.ret);
    CHECK_EQ(p.key, 0x7f);
    CHECK_EQ(p.bytes, 65536);
    CHECK(p.ov == &ov);
    CHECK_EQ(ov.Internal, 0);
    CHECK_EQ(ov.InternalHigh, 65536);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 777, 65536, NULL, 0);
    receiver_free(&r);
    p = sx_get_packet(port, 100);
    CHECK(!p.ret);
    CHECK_EQ(p.error, WAIT_TIMEOUT);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

static void test_transmitfile_disconnect(void)
{
    SOCKET client, server;
    struct receiver r;
    OVERLAPPED ov;
    DWORD bytes;
    BOOL ok;

    sx_ov_init(&ov);

    TEST("TransmitFile TF_DISCONNECT: the peer reads all the data, then 0");
    sx_pair(&client, &server);
    sx_ov_reset(&ov);
    ov.Offset = 0;
    receiver_start(&r, server, 40000, 0);
    ok = pTransmitFile(client, file_plain, 40000, 0, &ov, NULL, TF_DISCONNECT);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 40000);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, 40000, NULL, 0);
    receiver_free(&r);
    WINE_DEVIATION("TransmitFile ignores TF_DISCONNECT: the peer never reads end-of-stream")
    {
        CHECK(sx_recv_eof(server, 5000));
    }
    closesocket(client);
    closesocket(server);

    TEST("TransmitFile TF_DISCONNECT, synchronous: same");
    sx_pair(&client, &server);
    CHECK_EQ(SetFilePointer(file_plain, 10, NULL, FILE_BEGIN), 10);
    receiver_start(&r, server, 30000, 0);
    CHECK(pTransmitFile(client, file_plain, 30000, 0, NULL, NULL, TF_DISCONNECT));
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 10, 30000, NULL, 0);
    receiver_free(&r);
    WINE_DEVIATION("TransmitFile ignores TF_DISCONNECT: the peer never reads end-of-stream")
    {
        CHECK(sx_recv_eof(server, 5000));
    }
    closesocket(client);
    closesocket(server);

    sx_ov_free(&ov);
}

/* An accepted socket sends a file with TF_DISCONNECT|TF_REUSE_SOCKET and is then handed to
 * AcceptEx again, as file servers do. */
static void test_transmitfile_reuse(void)
{
    struct sockaddr_in laddr, cname, *local, *remote;
    SOCKET listener = sx_listener(&laddr, 5), acceptor = sx_tcp(), client;
    char abuf[2 * (sizeof(SOCKADDR_IN) + 16)];
    OVERLAPPED aov, tov;
    DWORD bytes;
    BOOL ok;
    int round, llen, rlen;

    sx_ov_init(&aov);
    sx_ov_init(&tov);
    for (round = 0; round < 2; round++) {
        char *got = malloc(30000);
        printf("   (round %d)\n", round);
        TEST("TransmitFile reuse: AcceptEx into the socket");
        sx_ov_reset(&aov);
        ok = pAcceptEx(listener, acceptor, abuf, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &aov);
        CHECK(!ok);
        CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
        client = sx_tcp();
        CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
        cname = sx_name(client);
        CHECK(sx_signalled(aov.hEvent, 5000));
        CHECK(GetOverlappedResult((HANDLE)listener, &aov, &bytes, FALSE));
        local = remote = NULL;
        {
            LPFN_GETACCEPTEXSOCKADDRS pGet = NULL;
            GUID g = WSAID_GETACCEPTEXSOCKADDRS;
            sx_get_ext(listener, g, &pGet, sizeof(pGet));
            if (pGet != NULL) {
                pGet(abuf, 0, SX_ADDRLEN, SX_ADDRLEN, (struct sockaddr **)&local, &llen,
                     (struct sockaddr **)&remote, &rlen);
                CHECK(remote != NULL && sx_same_addr(remote, &cname));
            }
        }

        TEST("TransmitFile reuse: TF_DISCONNECT|TF_REUSE_SOCKET sends the data then FIN");
        sx_ov_reset(&tov);
        tov.Offset = 999;
        ok = pTransmitFile(acceptor, file_ov, 30000, 0, &tov, NULL,
                           TF_DISCONNECT | TF_REUSE_SOCKET);
        CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
        CHECK(got != NULL);
        CHECK_EQ(sx_recv_all(client, got, 30000, 10000), 30000);
        CHECK_EQ(sx_pattern_mismatch(got, 30000, 999), -1);
        WINE_DEVIATION("TransmitFile ignores TF_DISCONNECT: the peer never reads end-of-stream")
        {
            CHECK(sx_recv_eof(client, 5000));
        }
        TEST("TransmitFile reuse: it completes only once the peer has closed too");
        WINE_DEVIATION("TransmitFile(TF_DISCONNECT|TF_REUSE_SOCKET) completes before the peer "
                       "closes")
        {
            CHECK(!sx_signalled(tov.hEvent, 300));
        }
        closesocket(client);
        CHECK(sx_signalled(tov.hEvent, 10000));
        bytes = 0xdeadbeef;
        CHECK(GetOverlappedResult((HANDLE)acceptor, &tov, &bytes, FALSE));
        CHECK_EQ(bytes, 30000);
        free(got);
    }
    closesocket(acceptor);
    closesocket(listener);
    sx_ov_free(&aov);
    sx_ov_free(&tov);
}

/* ---------------------------------------------------------------------------------- */

static void test_transmitpackets(void)
{
    static const char head[] = "HEAD:";
    static const char tail[] = "TAIL";
    SOCKET client, server;
    TRANSMIT_PACKETS_ELEMENT el[3];
    struct receiver r;
    OVERLAPPED ov;
    DWORD bytes;
    HANDLE port;
    struct sx_packet p;
    BOOL ok;

    TEST("TransmitPackets: obtained through WSAID_TRANSMITPACKETS");
    WINE_DEVIATION("Wine has no TransmitPackets (its extension pointer is not available)")
    {
        CHECK(pTransmitPackets != NULL);
    }
    if (pTransmitPackets == NULL)
        return;

    sx_ov_init(&ov);
    sx_pair(&client, &server);

    TEST("TransmitPackets: memory + file range + memory, event; bytes = total, data exact");
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = TP_ELEMENT_MEMORY;
    el[0].cLength = sizeof(head) - 1;
    el[0].pBuffer = (void *)head;
    el[1].dwElFlags = TP_ELEMENT_FILE;
    el[1].cLength = 5000;
    el[1].nFileOffset.QuadPart = 100;
    el[1].hFile = file_plain;
    el[2].dwElFlags = TP_ELEMENT_MEMORY;
    el[2].cLength = sizeof(tail) - 1;
    el[2].pBuffer = (void *)tail;
    sx_ov_reset(&ov);
    receiver_start(&r, server, (int)(sizeof(head) - 1 + 5000 + sizeof(tail) - 1), 0);
    ok = pTransmitPackets(client, el, 3, 0, &ov, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    bytes = 0xdeadbeef;
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, sizeof(head) - 1 + 5000 + sizeof(tail) - 1);
    if (receiver_join(&r))
        check_received(&r, head, (int)sizeof(head) - 1, 100, 5000, tail, (int)sizeof(tail) - 1);
    receiver_free(&r);

    TEST("TransmitPackets: a file element with cLength 0 sends the whole file");
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = TP_ELEMENT_FILE;
    el[0].cLength = 0;
    el[0].nFileOffset.QuadPart = 0;
    el[0].hFile = file_ov;
    sx_ov_reset(&ov);
    receiver_start(&r, server, FILE_SIZE, 0);
    ok = pTransmitPackets(client, el, 1, 0, &ov, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(sx_signalled(ov.hEvent, 20000));
    CHECK(GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, FILE_SIZE);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 0, FILE_SIZE, NULL, 0);
    receiver_free(&r);

    TEST("TransmitPackets: synchronous (NULL OVERLAPPED), memory only");
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = TP_ELEMENT_MEMORY;
    el[0].cLength = sizeof(head) - 1;
    el[0].pBuffer = (void *)head;
    el[1].dwElFlags = TP_ELEMENT_MEMORY;
    el[1].cLength = sizeof(tail) - 1;
    el[1].pBuffer = (void *)tail;
    receiver_start(&r, server, (int)(sizeof(head) - 1 + sizeof(tail) - 1), 0);
    CHECK(pTransmitPackets(client, el, 2, 0, NULL, 0));
    if (receiver_join(&r))
        check_received(&r, head, (int)sizeof(head) - 1, 0, 0, tail, (int)sizeof(tail) - 1);
    receiver_free(&r);

    TEST("TransmitPackets: through a port");
    port = CreateIoCompletionPort((HANDLE)client, NULL, 0x55, 0);
    CHECK(port != NULL);
    memset(el, 0, sizeof(el));
    el[0].dwElFlags = TP_ELEMENT_FILE;
    el[0].cLength = 12345;
    el[0].nFileOffset.QuadPart = 54321;
    el[0].hFile = file_plain;
    memset(&ov, 0, sizeof(ov));
    receiver_start(&r, server, 12345, 0);
    ok = pTransmitPackets(client, el, 1, 0, &ov, 0);
    CHECK(ok || WSAGetLastError() == ERROR_IO_PENDING);
    p = sx_get_packet(port, 20000);
    CHECK(p.ret);
    CHECK_EQ(p.key, 0x55);
    CHECK_EQ(p.bytes, 12345);
    CHECK(p.ov == &ov);
    if (receiver_join(&r))
        check_received(&r, NULL, 0, 54321, 12345, NULL, 0);
    receiver_free(&r);
    CloseHandle(port);

    TEST("TransmitPackets: TF_REUSE_SOCKET without TF_DISCONNECT: WSAEINVAL");
    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0xdeadbeef);
    CHECK(!pTransmitPackets(client, el, 1, 0, &ov, TF_REUSE_SOCKET));
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    closesocket(client);
    closesocket(server);
}

/* ---------------------------------------------------------------------------------- */

static void test_wsasendmsg(void)
{
    char part1[] = "hello ", part2[] = "world";
    char buf[64];
    WSABUF iov[2];
    WSAMSG msg;
    struct sockaddr_in dst_addr, from, name;
    SOCKET src = sx_udp(), dst = sx_udp(), tcp_a, tcp_b;
    DWORD sent;
    int len, ret;

    CHECK_EQ(sx_bind_loopback(dst), 0);
    dst_addr = sx_name(dst);
    iov[0].buf = part1;
    iov[0].len = sizeof(part1) - 1;
    iov[1].buf = part2;
    iov[1].len = sizeof(part2) - 1;
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&dst_addr;
    msg.namelen = sizeof(dst_addr);
    msg.lpBuffers = iov;
    msg.dwBufferCount = 2;

    TEST("WSASendMsg: errors: INVALID_SOCKET WSAENOTSOCK, NULL msg WSAEFAULT, "
         "NULL byte count without OVERLAPPED WSAEFAULT (which binds the socket, as a send "
         "would: test_socket_edges.c)");
    len = sizeof(name);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(getsockname(src, (struct sockaddr *)&name, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(pWSASendMsg(INVALID_SOCKET, &msg, 0, &sent, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(pWSASendMsg(src, NULL, 0, &sent, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(pWSASendMsg(src, &msg, 0, NULL, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("WSASendMsg: gathers two buffers into one datagram");
    sent = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(GetLastError(), 0);
    CHECK_EQ(sent, 11);
    len = sizeof(from);
    memset(buf, 0, sizeof(buf));
    CHECK(sx_readable(dst, 5000));
    CHECK_EQ(recvfrom(dst, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 11);
    CHECK(memcmp(buf, "hello world", 11) == 0);
    name = sx_name(src);
    CHECK_EQ(name.sin_addr.s_addr, htonl(INADDR_ANY));
    CHECK(name.sin_port != 0);
    CHECK_EQ(from.sin_port, name.sin_port);

    TEST("WSASendMsg: on a TCP socket: WSAEINVAL");
    sx_pair(&tcp_a, &tcp_b);
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = iov;
    msg.dwBufferCount = 1;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(tcp_a, &msg, 0, &sent, NULL, NULL);
    {
        int err = WSAGetLastError();
        WINE_DEVIATION("WSASendMsg on a TCP socket succeeds")
        {
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(err, WSAEINVAL);
        }
    }
    closesocket(tcp_a);
    closesocket(tcp_b);
    closesocket(src);
    closesocket(dst);
}

/* One datagram "pk" from `tx` to `to` with `control` as WSASendMsg's control data
 * (synchronous, or overlapped with an event); returns the call's result. */
static int send_data_with_control_to(SOCKET tx, struct sockaddr *to, int to_length, char *payload, ULONG length,
                                     char *control, ULONG control_length, int overlapped, DWORD *sent)
{
    WSABUF data;
    WSAMSG msg;
    WSAOVERLAPPED ov;
    DWORD flags = 0;
    int ret;

    data.buf = payload;
    data.len = length;
    memset(&msg, 0, sizeof(msg));
    msg.name = to;
    msg.namelen = to_length;
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = control_length;
    *sent = 0;
    if (!overlapped)
        return pWSASendMsg(tx, &msg, 0, sent, NULL, NULL);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ret = pWSASendMsg(tx, &msg, 0, NULL, &ov, NULL);
    if (ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING)
        ret = WSAGetOverlappedResult(tx, &ov, sent, TRUE, &flags) ? 0 : SOCKET_ERROR;
    else if (ret == 0)
        WSAGetOverlappedResult(tx, &ov, sent, FALSE, &flags);
    WSACloseEvent(ov.hEvent);
    return ret;
}

/* The same with a 2-byte datagram, "pk". */
static int send_with_control_to(SOCKET tx, struct sockaddr *to, int to_length, char *control,
                                ULONG control_length, int overlapped, DWORD *sent)
{
    char bytes[] = "pk";
    return send_data_with_control_to(tx, to, to_length, bytes, 2, control, control_length, overlapped, sent);
}

static int send_with_control(SOCKET tx, struct sockaddr_in *to, char *control, ULONG control_length,
                             int overlapped, DWORD *sent)
{
    return send_with_control_to(tx, (struct sockaddr *)to, sizeof(*to), control, control_length, overlapped, sent);
}

/* A send with `control` that must fail with WSAEINVAL and send nothing to `rx`. */
static void check_control_refused(SOCKET tx, struct sockaddr_in *to, SOCKET rx, char *control, ULONG length)
{
    DWORD sent;
    int ret, err;
    WSASetLastError(0xdeadbeef);
    ret = send_with_control(tx, to, control, length, 0, &sent);
    err = WSAGetLastError();
    WINE_DEVIATION("Wine 8.0 ignores WSASendMsg's control data")
    {
        CHECK_EQ(ret, SOCKET_ERROR);
        CHECK_EQ(err, WSAEINVAL);
        CHECK(!sx_readable(rx, 100));
    }
}

/* The IPv4 source address of the next datagram on `rx`, or 0 if none comes. */
static ULONG source_of_next(SOCKET rx)
{
    struct sockaddr_in from;
    char buf[8];
    int len = sizeof(from);

    if (!sx_readable(rx, 2000))
        return 0;
    memset(&from, 0, sizeof(from));
    if (recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) != 2)
        return 0;
    return from.sin_addr.s_addr;
}

static void test_wsasendmsg_pktinfo(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp();
    struct sockaddr_in rx_addr;
    union {
        char bytes[64];
        WSACMSGHDR align;
    } control;
    WSACMSGHDR *header = (WSACMSGHDR *)control.bytes;
    IN_PKTINFO info;
    DWORD sent;
    int ret, err, overlapped;

    /* The receiver listens on every address: the sender picks 127.0.0.2 and 127.0.0.3,
     * loopback addresses that are its own. */
    memset(&rx_addr, 0, sizeof(rx_addr));
    rx_addr.sin_family = AF_INET;
    CHECK_EQ(bind(rx, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 0);
    rx_addr.sin_port = sx_name(rx).sin_port;
    rx_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    for (overlapped = 0; overlapped <= 1; overlapped++) {
        TEST(overlapped ? "WSASendMsg (overlapped): an IN_PKTINFO object sets the source address"
                        : "WSASendMsg: an IN_PKTINFO object sets the source address");
        memset(&control, 0, sizeof(control));
        memset(&info, 0, sizeof(info));
        info.ipi_addr.s_addr = htonl(0x7f000002 + overlapped);
        header->cmsg_len = WSA_CMSG_LEN(sizeof(info));
        header->cmsg_level = IPPROTO_IP;
        header->cmsg_type = IP_PKTINFO;
        memcpy(WSA_CMSG_DATA(header), &info, sizeof(info));
        ret = send_with_control(tx, &rx_addr, control.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(info)), overlapped,
                                &sent);
        CHECK_EQ(ret, 0);
        CHECK_EQ(sent, 2);
        {
            ULONG source = source_of_next(rx);
            WINE_DEVIATION("Wine 8.0 ignores WSASendMsg's control data")
            {
                CHECK_EQ(source, htonl(0x7f000002 + overlapped));
            }
        }
    }

    TEST("WSASendMsg: a control object other than packet information: WSAEINVAL, nothing sent");
    memset(&control, 0, sizeof(control));
    header->cmsg_len = WSA_CMSG_LEN(sizeof(INT));
    header->cmsg_level = IPPROTO_IP;
    header->cmsg_type = 0x7ff0; /* no such option */
    check_control_refused(tx, &rx_addr, rx, control.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(INT)));

    TEST("WSASendMsg: a control object whose length passes the buffer's end: WSAEINVAL");
    memset(&control, 0, sizeof(control));
    header->cmsg_len = 200;
    header->cmsg_level = IPPROTO_IP;
    header->cmsg_type = IP_PKTINFO;
    WSASetLastError(0xdeadbeef);
    ret = send_with_control(tx, &rx_addr, control.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)), 0, &sent);
    err = WSAGetLastError();
    WINE_DEVIATION("Wine 8.0 ignores WSASendMsg's control data")
    {
        CHECK_EQ(ret, SOCKET_ERROR);
        CHECK_EQ(err, WSAEINVAL);
    }
    while (sx_readable(rx, 100))
        source_of_next(rx);
    closesocket(rx);
    closesocket(tx);
}

static void test_wsarecvmsg(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp();
    struct sockaddr_in rx_addr, tx_addr, from;
    char b1[4], b2[32], control[128];
    WSABUF iov[2];
    WSAMSG msg;
    DWORD got, flags;
    OVERLAPPED ov;
    int ret;
    DWORD on = 1;

    CHECK_EQ(sx_bind_loopback(rx), 0);
    CHECK_EQ(sx_bind_loopback(tx), 0);
    rx_addr = sx_name(rx);
    tx_addr = sx_name(tx);
    sx_ov_init(&ov);

    TEST("WSARecvMsg: NULL msg: WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(pWSARecvMsg(rx, NULL, &got, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("WSARecvMsg: scatters into two buffers, fills name, dwFlags 0, no control");
    CHECK_EQ(sendto(tx, "abcdefghij", 10, 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 10);
    CHECK(sx_readable(rx, 5000));
    memset(b1, 0xcc, sizeof(b1));
    memset(b2, 0xcc, sizeof(b2));
    memset(&from, 0xcc, sizeof(from));
    iov[0].buf = b1;
    iov[0].len = sizeof(b1);
    iov[1].buf = b2;
    iov[1].len = sizeof(b2);
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = iov;
    msg.dwBufferCount = 2;
    msg.Control.buf = NULL;
    msg.Control.len = 0;
    msg.dwFlags = 0;
    got = 0xdeadbeef;
    ret = pWSARecvMsg(rx, &msg, &got, NULL, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(got, 10);
    CHECK(memcmp(b1, "abcd", 4) == 0);
    CHECK(memcmp(b2, "efghij", 6) == 0);
    CHECK_EQ((unsigned char)b2[6], 0xcc);
    CHECK(sx_same_addr(&from, &tx_addr));
    CHECK_EQ(msg.dwFlags, 0);

    TEST("WSARecvMsg: a datagram larger than the buffers: WSAEMSGSIZE, MSG_TRUNC, first bytes");
    CHECK_EQ(sendto(tx, "0123456789ABCDEFGHIJ", 20, 0, (struct sockaddr *)&rx_addr,
                    sizeof(rx_addr)),
             20);
    CHECK(sx_readable(rx, 5000));
    memset(b1, 0xcc, sizeof(b1));
    msg.dwBufferCount = 1;
    msg.dwFlags = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(rx, &msg, &got, NULL, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEMSGSIZE);
    {
        DWORD f = msg.dwFlags;
        WINE_DEVIATION("WSARecvMsg does not set MSG_TRUNC in dwFlags for a truncated datagram")
        {
            CHECK(f & MSG_TRUNC);
        }
    }
    CHECK(memcmp(b1, "0123", 4) == 0);
    CHECK(!sx_readable(rx, 100)); /* the rest of the datagram is gone */

    TEST("WSARecvMsg: IP_PKTINFO control data names the destination 127.0.0.1");
    CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
    CHECK_EQ(sendto(tx, "pkt", 3, 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 3);
    CHECK(sx_readable(rx, 5000));
    msg.dwBufferCount = 2;
    msg.dwFlags = 0;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    memset(control, 0, sizeof(control));
    ret = pWSARecvMsg(rx, &msg, &got, NULL, NULL);
    CHECK_EQ(ret, 0);
    CHECK_EQ(got, 3);
    CHECK_EQ(msg.Control.len, PKTINFO_SPACE);
    {
        WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&msg);
        int found = 0;
        for (; c != NULL; c = WSA_CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                IN_PKTINFO *pi = (IN_PKTINFO *)WSA_CMSG_DATA(c);
                CHECK_EQ(c->cmsg_len, sizeof(WSACMSGHDR) + sizeof(IN_PKTINFO));
                CHECK_EQ(pi->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
                found = 1;
            }
        }
        CHECK(found);
    }

    TEST("WSARecvMsg: control buffer too small: WSAEMSGSIZE, dwFlags = MSG_CTRUNC");
    CHECK_EQ(sendto(tx, "pkt", 3, 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 3);
    CHECK(sx_readable(rx, 5000));
    msg.Control.buf = control;
    msg.Control.len = 1;
    msg.dwFlags = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(rx, &msg, &got, NULL, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEMSGSIZE);
    CHECK_EQ(msg.dwFlags, MSG_CTRUNC);

    TEST("WSARecvMsg: overlapped: pends, completes when a datagram arrives");
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    msg.dwFlags = 0;
    memset(b1, 0xcc, sizeof(b1));
    memset(b2, 0xcc, sizeof(b2));
    sx_ov_reset(&ov);
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(rx, &msg, NULL, &ov, NULL);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK(!sx_signalled(ov.hEvent, 100));
    CHECK_EQ(sendto(tx, "overlapped", 10, 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 10);
    CHECK(sx_signalled(ov.hEvent, 5000));
    got = 0xdeadbeef;
    flags = 0xdeadbeef;
    CHECK(WSAGetOverlappedResult(rx, &ov, &got, FALSE, &flags));
    CHECK_EQ(got, 10);
    CHECK(memcmp(b1, "over", 4) == 0);
    CHECK(memcmp(b2, "lapped", 6) == 0);
    CHECK(sx_same_addr(&from, &tx_addr));
    CHECK_EQ(msg.Control.len, PKTINFO_SPACE);

    closesocket(rx);
    closesocket(tx);
    sx_ov_free(&ov);
}

/* The control messages one datagram brought: each asked-for (level, type) found once,
   its INT value kept. Returns how many of the `n` were found with a 4-byte value. */
struct wanted_cmsg {
    int level, type;
    int found;
    INT value;
};

static int find_cmsgs(WSAMSG *msg, struct wanted_cmsg *want, int n)
{
    WSACMSGHDR *c;
    int i, good = 0;
    for (i = 0; i < n; ++i) want[i].found = 0;
    for (c = WSA_CMSG_FIRSTHDR(msg); c != NULL; c = WSA_CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_len < sizeof(WSACMSGHDR)) break; /* not a header: no loop without end */
        for (i = 0; i < n; ++i) {
            if (c->cmsg_level != want[i].level || c->cmsg_type != want[i].type) continue;
            ++want[i].found;
            if (c->cmsg_len == sizeof(WSACMSGHDR) + sizeof(INT)) {
                memcpy(&want[i].value, WSA_CMSG_DATA(c), sizeof(INT));
                ++good;
            }
        }
    }
    return good;
}

/* The next datagram waiting on `rx` (it must come within 5 s), received with WSARecvMsg
   into `control`; the call's result. */
static int receive_with_control(SOCKET rx, WSAMSG *msg, WSABUF *data, char *control, ULONG control_length,
                                DWORD *got)
{
    memset(msg, 0, sizeof(*msg));
    memset(control, 0, control_length);
    msg->lpBuffers = data;
    msg->dwBufferCount = 1;
    msg->Control.buf = control;
    msg->Control.len = control_length;
    *got = 0xdeadbeef;
    if (!sx_readable(rx, 5000)) {
        CHECK(!"a datagram came");
        msg->Control.len = 0;
        return SOCKET_ERROR; /* no wait without end */
    }
    return pWSARecvMsg(rx, msg, got, NULL, NULL);
}

/* One datagram from `tx` to `rx` (at `to`, `to_length` bytes) received with WSARecvMsg
   into a generous control buffer; the call's result. */
static int recv_one_with_control(SOCKET tx, SOCKET rx, const struct sockaddr *to, int to_length, WSAMSG *msg,
                                 WSABUF *data, char *control, ULONG control_length, DWORD *got)
{
    CHECK_EQ(sendto(tx, "ttl", 3, 0, to, to_length), 3);
    return receive_with_control(rx, msg, data, control, control_length, got);
}

/* Two IPv6 datagram sockets, `*rx6` bound to ::1 at `*a6` (its address read back). */
static void udp6_pair(SOCKET *rx6, SOCKET *tx6, struct sockaddr_in6 *a6)
{
    int length = sizeof(*a6);
    *rx6 = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    *tx6 = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(*rx6 != INVALID_SOCKET && *tx6 != INVALID_SOCKET);
    memset(a6, 0, sizeof(*a6));
    a6->sin6_family = AF_INET6;
    a6->sin6_addr.s6_addr[15] = 1;
    CHECK_EQ(bind(*rx6, (struct sockaddr *)a6, sizeof(*a6)), 0);
    CHECK_EQ(getsockname(*rx6, (struct sockaddr *)a6, &length), 0);
}

/* IP_RECVTTL, IP_RECVTOS, IPV6_HOPLIMIT and IPV6_RECVTCLASS: each datagram then brings an
   IP_TTL, IP_TOS, IPV6_HOPLIMIT or IPV6_TCLASS control message holding an INT (Wine's
   ws2_32 tests test_ipv4_cmsg and test_ipv6_cmsg, which pass on Windows). A control
   length with no buffer is refused before anything is received. */
static void test_wsarecvmsg_cmsgs(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp();
    struct sockaddr_in rx_addr;
    char buffer[16], control[256];
    WSABUF data;
    WSAMSG msg;
    DWORD got, on = 1, state;
    int ret, length;

    data.buf = buffer;
    data.len = sizeof(buffer);
    CHECK_EQ(sx_bind_loopback(rx), 0);
    rx_addr = sx_name(rx);

    TEST("WSARecvMsg: Control.len 16 with a NULL Control.buf: WSAEFAULT, the datagram stays");
    CHECK_EQ(sendto(tx, "keep", 4, 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 4);
    CHECK(sx_readable(rx, 5000));
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &data;
    msg.dwBufferCount = 1;
    msg.Control.buf = NULL;
    msg.Control.len = 16;
    WSASetLastError(0xdeadbeef);
    ret = pWSARecvMsg(rx, &msg, &got, NULL, NULL);
    WINE_DEVIATION("Wine 8.0 receives into a WSAMSG whose control length has no buffer") {
        CHECK_EQ(ret, SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
        CHECK(sx_readable(rx, 0));
        msg.Control.len = 0;
        got = 0;
        CHECK_EQ(pWSARecvMsg(rx, &msg, &got, NULL, NULL), 0);
        CHECK_EQ(got, 4);
    }

    TEST("IP_RECVTTL, IP_RECVTOS and IP_PKTINFO on: getsockopt says 1; one datagram brings "
         "IP_TTL (INT, 1-255), IP_TOS (INT 0) and IP_PKTINFO");
    {
        struct wanted_cmsg want[3] = {
            {IPPROTO_IP, IP_TTL, 0, 0}, {IPPROTO_IP, IP_TOS, 0, -1}, {IPPROTO_IP, IP_PKTINFO, 0, 0}};
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTTL, (char *)&on, sizeof(on)), 0);
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&on, sizeof(on)), 0);
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on)), 0);
        state = 0;
        length = sizeof(state);
        CHECK_EQ(getsockopt(rx, IPPROTO_IP, IP_RECVTTL, (char *)&state, &length), 0);
        CHECK_EQ(state, 1);
        state = 0;
        length = sizeof(state);
        CHECK_EQ(getsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&state, &length), 0);
        CHECK_EQ(state, 1);
        ret = recv_one_with_control(tx, rx, (struct sockaddr *)&rx_addr, sizeof(rx_addr), &msg, &data, control,
                                    sizeof(control), &got);
        CHECK_EQ(ret, 0);
        CHECK_EQ(got, 3);
        CHECK_EQ(msg.dwFlags, 0);
        find_cmsgs(&msg, want, 3);
        CHECK_EQ(want[0].found, 1);
        CHECK(want[0].value >= 1 && want[0].value <= 255);
        CHECK_EQ(want[1].found, 1);
        CHECK_EQ(want[1].value, 0);
        CHECK_EQ(want[2].found, 1);
    }

    TEST("IP_RECVTTL alone, off again: no control data");
    {
        DWORD off = 0;
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&off, sizeof(off)), 0);
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_PKTINFO, (char *)&off, sizeof(off)), 0);
        ret = recv_one_with_control(tx, rx, (struct sockaddr *)&rx_addr, sizeof(rx_addr), &msg, &data, control,
                                    sizeof(control), &got);
        CHECK_EQ(ret, 0);
        CHECK_EQ(msg.Control.len, sizeof(WSACMSGHDR) + sizeof(SIZE_T));
        CHECK_EQ(((WSACMSGHDR *)control)->cmsg_type, IP_TTL);
        CHECK_EQ(((WSACMSGHDR *)control)->cmsg_len, sizeof(WSACMSGHDR) + sizeof(INT));
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTTL, (char *)&off, sizeof(off)), 0);
        ret = recv_one_with_control(tx, rx, (struct sockaddr *)&rx_addr, sizeof(rx_addr), &msg, &data, control,
                                    sizeof(control), &got);
        CHECK_EQ(ret, 0);
        CHECK_EQ(msg.Control.len, 0);
    }
    closesocket(rx);
    closesocket(tx);

    TEST("IPV6_HOPLIMIT and IPV6_RECVTCLASS on ::1: IPV6_HOPLIMIT (INT, 1-255) and "
         "IPV6_TCLASS (INT 0)");
    {
        struct wanted_cmsg want[2] = {{IPPROTO_IPV6, IPV6_HOPLIMIT, 0, 0}, {IPPROTO_IPV6, IPV6_TCLASS, 0, -1}};
        struct sockaddr_in6 a6;
        SOCKET rx6, tx6;
        udp6_pair(&rx6, &tx6, &a6);
        CHECK_EQ(setsockopt(rx6, IPPROTO_IPV6, IPV6_HOPLIMIT, (char *)&on, sizeof(on)), 0);
        CHECK_EQ(setsockopt(rx6, IPPROTO_IPV6, IPV6_RECVTCLASS, (char *)&on, sizeof(on)), 0);
        state = 0;
        length = sizeof(state);
        CHECK_EQ(getsockopt(rx6, IPPROTO_IPV6, IPV6_RECVTCLASS, (char *)&state, &length), 0);
        CHECK_EQ(state, 1);
        ret = recv_one_with_control(tx6, rx6, (struct sockaddr *)&a6, sizeof(a6), &msg, &data, control,
                                    sizeof(control), &got);
        CHECK_EQ(ret, 0);
        CHECK_EQ(got, 3);
        find_cmsgs(&msg, want, 2);
        CHECK_EQ(want[0].found, 1);
        CHECK(want[0].value >= 1 && want[0].value <= 255);
        CHECK_EQ(want[1].found, 1);
        CHECK_EQ(want[1].value, 0);
        closesocket(rx6);
        closesocket(tx6);
    }
}

#ifndef IP_RECVECN /* mingw-w64's headers lack the option and its helpers (Windows' SDK: 50) */
#define IP_RECVECN 50
#define IPV6_RECVECN 50
#define NO_RECV_ECN_HELPERS 1
#endif
#ifndef UDP_SEND_MSG_SIZE /* nor the UDP offload values (ws2ipdef.h) */
#define UDP_SEND_MSG_SIZE 2
#define UDP_RECV_MAX_COALESCED_SIZE 3
#define UDP_COALESCED_INFO 3
#endif

/* A DWORD option that Wine 8.0 lacks (`gap` says which): 0 at first, then `value` set and
   read back. */
static void option_set_and_read(SOCKET s, int level, int name, DWORD value, const char *gap)
{
    DWORD state = 0xdeadbeef;
    int length = sizeof(state), set, got;
    int first = getsockopt(s, level, name, (char *)&state, &length);
    WINE_DEVIATION(gap)
    {
        CHECK_EQ(first, 0);
        CHECK_EQ(state, 0);
    }
    set = setsockopt(s, level, name, (char *)&value, sizeof(value));
    state = 0;
    length = sizeof(state);
    got = getsockopt(s, level, name, (char *)&state, &length);
    WINE_DEVIATION(gap)
    {
        CHECK_EQ(set, 0);
        CHECK_EQ(got, 0);
        CHECK_EQ(state, value);
    }
}

/* Explicit congestion notification (Microsoft Learn, "Winsock explicit congestion
   notification (ECN)"): with IP_RECVECN / IPV6_RECVECN on a datagram socket, WSARecvMsg
   brings an IP_ECN / IPV6_ECN object holding an INT, the datagram's two ECN bits; an
   IP_ECN / IPV6_ECN object given to WSASendMsg sets them, and Congestion Encountered (3)
   is refused with WSAEINVAL. Wine 8.0 has none of it (it ignores WSASendMsg's control
   data and knows no IP_RECVECN). */
static void test_ecn(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp(), tcp = sx_tcp();
    struct sockaddr_in rx_addr;
    char buffer[16], control[256];
    union {
        char bytes[64];
        WSACMSGHDR align;
    } out;
    WSACMSGHDR *header = (WSACMSGHDR *)out.bytes;
    WSABUF data;
    WSAMSG msg;
    DWORD got, sent, on = 1, off = 0, state;
    INT ecn;
    int ret, length, i;

    data.buf = buffer;
    data.len = sizeof(buffer);
    CHECK_EQ(sx_bind_loopback(rx), 0);
    rx_addr = sx_name(rx);

    TEST("IP_RECVECN: off at first; set, getsockopt says 1 and IP_RECVTOS stays off");
    option_set_and_read(rx, IPPROTO_IP, IP_RECVECN, on, "Wine 8.0 has no IP_RECVECN");
    state = 0xdeadbeef;
    length = sizeof(state);
    CHECK_EQ(getsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&state, &length), 0);
    CHECK_EQ(state, 0);

    for (i = 0; i < 2; ++i) {
        struct wanted_cmsg want[2] = {{IPPROTO_IP, IP_ECN, 0, -1}, {IPPROTO_IP, IP_TOS, 0, -1}};
        ecn = i == 0 ? 2 : 1; /* ECT(0), then ECT(1) */
        TEST(i == 0 ? "WSASendMsg with IP_ECN ECT(0): the receiver gets IP_ECN 2 and no IP_TOS"
                    : "WSASendMsg (overlapped) with IP_ECN ECT(1): the receiver gets IP_ECN 1");
        memset(&out, 0, sizeof(out));
        header->cmsg_len = WSA_CMSG_LEN(sizeof(INT));
        header->cmsg_level = IPPROTO_IP;
        header->cmsg_type = IP_ECN;
        memcpy(WSA_CMSG_DATA(header), &ecn, sizeof(ecn));
        ret = send_with_control(tx, &rx_addr, out.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(INT)), i, &sent);
        CHECK_EQ(ret, 0);
        CHECK_EQ(sent, 2);
        ret = receive_with_control(rx, &msg, &data, control, sizeof(control), &got);
        CHECK_EQ(ret, 0);
        CHECK_EQ(got, 2);
        find_cmsgs(&msg, want, 2);
        WINE_DEVIATION("Wine 8.0 has no IP_RECVECN")
        {
            CHECK_EQ(want[0].found, 1);
            CHECK_EQ(want[0].value, ecn);
        }
        CHECK_EQ(want[1].found, 0);
    }

    TEST("a datagram sent with no ECN codepoint: IP_ECN 0");
    {
        struct wanted_cmsg want[1] = {{IPPROTO_IP, IP_ECN, 0, -1}};
        ret = recv_one_with_control(tx, rx, (struct sockaddr *)&rx_addr, sizeof(rx_addr), &msg, &data, control,
                                    sizeof(control), &got);
        CHECK_EQ(ret, 0);
        find_cmsgs(&msg, want, 1);
        WINE_DEVIATION("Wine 8.0 has no IP_RECVECN")
        {
            CHECK_EQ(want[0].found, 1);
            CHECK_EQ(want[0].value, 0);
        }
    }

    TEST("IP_RECVTOS as well: IP_TOS too, its low bits the codepoint; IP_RECVECN off: IP_TOS alone");
    {
        struct wanted_cmsg want[2] = {{IPPROTO_IP, IP_ECN, 0, -1}, {IPPROTO_IP, IP_TOS, 0, -1}};
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&on, sizeof(on)), 0);
        ecn = 2;
        memcpy(WSA_CMSG_DATA(header), &ecn, sizeof(ecn));
        CHECK_EQ(send_with_control(tx, &rx_addr, out.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(INT)), 0, &sent), 0);
        CHECK_EQ(receive_with_control(rx, &msg, &data, control, sizeof(control), &got), 0);
        find_cmsgs(&msg, want, 2);
        CHECK_EQ(want[1].found, 1);
        WINE_DEVIATION("Wine 8.0 has no IP_RECVECN and ignores WSASendMsg's control data")
        {
            CHECK_EQ(want[0].found, 1);
            CHECK_EQ(want[0].value, 2);
            CHECK_EQ(want[1].value & 3, 2);
        }
        setsockopt(rx, IPPROTO_IP, IP_RECVECN, (char *)&off, sizeof(off));
        state = 0;
        length = sizeof(state);
        CHECK_EQ(getsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&state, &length), 0);
        CHECK_EQ(state, 1);
        CHECK_EQ(send_with_control(tx, &rx_addr, out.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(INT)), 0, &sent), 0);
        CHECK_EQ(receive_with_control(rx, &msg, &data, control, sizeof(control), &got), 0);
        find_cmsgs(&msg, want, 2);
        CHECK_EQ(want[0].found, 0);
        CHECK_EQ(want[1].found, 1);
        CHECK_EQ(setsockopt(rx, IPPROTO_IP, IP_RECVTOS, (char *)&off, sizeof(off)), 0);
    }

    TEST("WSASendMsg with IP_ECN Congestion Encountered (3): WSAEINVAL, nothing sent");
    ecn = 3;
    memcpy(WSA_CMSG_DATA(header), &ecn, sizeof(ecn));
    check_control_refused(tx, &rx_addr, rx, out.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(INT)));
    while (sx_readable(rx, 100))
        receive_with_control(rx, &msg, &data, control, sizeof(control), &got);

    TEST("IP_RECVECN on a stream socket: refused (datagram sockets only)");
    CHECK_EQ(setsockopt(tcp, IPPROTO_IP, IP_RECVECN, (char *)&on, sizeof(on)), SOCKET_ERROR);

#ifndef NO_RECV_ECN_HELPERS
    TEST("WSASetRecvIPEcn / WSAGetRecvIPEcn: IP_RECVECN of an IPv4 socket");
    state = 0xdeadbeef;
    CHECK_EQ(WSASetRecvIPEcn(rx, TRUE), 0);
    CHECK_EQ(WSAGetRecvIPEcn(rx, &state), 0);
    CHECK_EQ(state, 1);
    CHECK_EQ(WSASetRecvIPEcn(rx, FALSE), 0);
    CHECK_EQ(WSAGetRecvIPEcn(rx, &state), 0);
    CHECK_EQ(state, 0);
#endif

    TEST("IPV6_RECVECN on ::1: IPV6_ECN sent and received, no IPV6_TCLASS object");
    {
        struct wanted_cmsg want[2] = {{IPPROTO_IPV6, IPV6_ECN, 0, -1}, {IPPROTO_IPV6, IPV6_TCLASS, 0, -1}};
        struct sockaddr_in6 a6;
        SOCKET rx6, tx6;
        udp6_pair(&rx6, &tx6, &a6);
        ret = setsockopt(rx6, IPPROTO_IPV6, IPV6_RECVECN, (char *)&on, sizeof(on));
        WINE_DEVIATION("Wine 8.0 has no IPV6_RECVECN") CHECK_EQ(ret, 0);
        ecn = 2;
        memset(&out, 0, sizeof(out));
        header->cmsg_len = WSA_CMSG_LEN(sizeof(INT));
        header->cmsg_level = IPPROTO_IPV6;
        header->cmsg_type = IPV6_ECN;
        memcpy(WSA_CMSG_DATA(header), &ecn, sizeof(ecn));
        CHECK_EQ(send_with_control_to(tx6, (struct sockaddr *)&a6, sizeof(a6), out.bytes,
                                      (ULONG)WSA_CMSG_SPACE(sizeof(INT)), 0, &sent),
                 0);
        CHECK_EQ(receive_with_control(rx6, &msg, &data, control, sizeof(control), &got), 0);
        CHECK_EQ(got, 2);
        find_cmsgs(&msg, want, 2);
        WINE_DEVIATION("Wine 8.0 has no IPV6_RECVECN")
        {
            CHECK_EQ(want[0].found, 1);
            CHECK_EQ(want[0].value, 2);
        }
        CHECK_EQ(want[1].found, 0);
        closesocket(rx6);
        closesocket(tx6);
    }
    closesocket(tcp);
    closesocket(rx);
    closesocket(tx);
}

/* The sizes of the datagrams waiting on `rx`, up to `max` of them, each within 2 s. */
static int datagram_sizes(SOCKET rx, int *sizes, int max)
{
    char buffer[2048];
    int n = 0;
    while (n < max && sx_readable(rx, 2000)) {
        int got = recv(rx, buffer, sizeof(buffer), 0);
        if (got < 0) break;
        sizes[n++] = got;
    }
    return n;
}

/* The next datagrams on `rx` are `total` bytes cut into segments of `segment` (under Wine,
   which lacks it, as `gap` says, only that something came). */
static void check_segments(SOCKET rx, int segment, int total, const char *gap)
{
    int sizes[8], n = datagram_sizes(rx, sizes, 8), i, expected = (total + segment - 1) / segment;
    CHECK(n > 0);
    WINE_DEVIATION(gap)
    {
        CHECK_EQ(n, expected);
        for (i = 0; i < n && n == expected; ++i) CHECK_EQ(sizes[i], i + 1 < n ? segment : total - segment * i);
    }
}

/* UDP send segmentation (USO; Microsoft Learn, WSASetUdpSendMessageSize and
   UDP_SEND_MSG_SIZE in ws2ipdef.h): with a segment size set on the socket, or given to
   WSASendMsg as a UDP_SEND_MSG_SIZE object (a DWORD), one send of a larger buffer leaves
   as datagrams of that size, the last one shorter. Wine 8.0 has no UDP_SEND_MSG_SIZE. */
static void test_send_segmentation(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp();
    struct sockaddr_in rx_addr;
    static char payload[250];
    union {
        char bytes[64];
        WSACMSGHDR align;
    } out;
    WSACMSGHDR *header = (WSACMSGHDR *)out.bytes;
    DWORD size, sent;
    int ret, sizes[8], n;

    memset(payload, 'u', sizeof(payload));
    CHECK_EQ(sx_bind_loopback(rx), 0);
    rx_addr = sx_name(rx);

    TEST("UDP_SEND_MSG_SIZE: 0 at first; 100 set and read back");
    option_set_and_read(tx, IPPROTO_UDP, UDP_SEND_MSG_SIZE, 100, "Wine 8.0 has no UDP_SEND_MSG_SIZE");

    TEST("sendto of 250 bytes with segments of 100: datagrams of 100, 100 and 50");
    CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 250);
    check_segments(rx, 100, 250, "Wine 8.0 has no UDP_SEND_MSG_SIZE");

    TEST("UDP_SEND_MSG_SIZE 0: one datagram again");
    size = 0;
    ret = setsockopt(tx, IPPROTO_UDP, UDP_SEND_MSG_SIZE, (char *)&size, sizeof(size));
    WINE_DEVIATION("Wine 8.0 has no UDP_SEND_MSG_SIZE") CHECK_EQ(ret, 0);
    CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 250);
    n = datagram_sizes(rx, sizes, 8);
    CHECK_EQ(n, 1);
    if (n == 1) CHECK_EQ(sizes[0], 250);

    TEST("WSASendMsg with a UDP_SEND_MSG_SIZE object of 120: datagrams of 120, 120 and 10");
    memset(&out, 0, sizeof(out));
    header->cmsg_len = WSA_CMSG_LEN(sizeof(DWORD));
    header->cmsg_level = IPPROTO_UDP;
    header->cmsg_type = UDP_SEND_MSG_SIZE;
    size = 120;
    memcpy(WSA_CMSG_DATA(header), &size, sizeof(size));
    CHECK_EQ(send_data_with_control_to(tx, (struct sockaddr *)&rx_addr, sizeof(rx_addr), payload, sizeof(payload),
                                       out.bytes, (ULONG)WSA_CMSG_SPACE(sizeof(DWORD)), 0, &sent),
             0);
    CHECK_EQ(sent, 250);
    check_segments(rx, 120, 250, "Wine 8.0 ignores WSASendMsg's control data");

#ifndef NO_RECV_ECN_HELPERS /* the SDK's wrappers are missing from mingw-w64's headers too */
    TEST("WSASetUdpSendMessageSize / WSAGetUdpSendMessageSize");
    CHECK_EQ(WSASetUdpSendMessageSize(tx, 64), 0);
    size = 0;
    CHECK_EQ(WSAGetUdpSendMessageSize(tx, &size), 0);
    CHECK_EQ(size, 64);
    CHECK_EQ(WSASetUdpSendMessageSize(tx, 0), 0);
#endif
    closesocket(rx);
    closesocket(tx);
}

/* UDP receive coalescing (URO; Microsoft Learn, WSASetUdpRecvMaxCoalescedSize): with
   UDP_RECV_MAX_COALESCED_SIZE set, WSARecvMsg may bring several datagrams of one sender
   in one buffer, up to that size, with a UDP_COALESCED_INFO object (a DWORD: the size of
   each but the last). Coalescing is the stack's choice: what is checked is that a
   coalesced receive is whole, within the maximum and described, and that datagrams
   arrive whole either way. Here a 250-byte send segmented by 100 (UDP_SEND_MSG_SIZE) is
   received (that this library coalesces it: tests/linux/test_udp_offload.c). Wine 8.0 has
   neither option. */
static void test_receive_coalescing(void)
{
    SOCKET rx = sx_udp(), tx = sx_udp();
    struct sockaddr_in rx_addr;
    static char payload[250];
    char buffer[4096], control[256];
    WSABUF data;
    WSAMSG msg;
    DWORD size, got;
    int round, segmented;

    memset(payload, 'c', sizeof(payload));
    CHECK_EQ(sx_bind_loopback(rx), 0);
    rx_addr = sx_name(rx);
    data.buf = buffer;
    data.len = sizeof(buffer);

    TEST("UDP_RECV_MAX_COALESCED_SIZE: 0 at first; 65535 set and read back");
    option_set_and_read(rx, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, 65535,
                        "Wine 8.0 has no UDP_RECV_MAX_COALESCED_SIZE");
    size = 100;
    segmented = setsockopt(tx, IPPROTO_UDP, UDP_SEND_MSG_SIZE, (char *)&size, sizeof(size)) == 0;

    for (round = 0; round < 2; ++round) {
        DWORD received = 0;
        TEST(round == 0 ? "a segmented send to it: all 250 bytes, whole datagrams, any coalescing described"
                        : "maximum 1000: the same bytes, no receive above 1000 bytes");
        if (round == 1) {
            int ret;
            size = 1000;
            ret = setsockopt(rx, IPPROTO_UDP, UDP_RECV_MAX_COALESCED_SIZE, (char *)&size, sizeof(size));
            WINE_DEVIATION("Wine 8.0 has no UDP_RECV_MAX_COALESCED_SIZE") CHECK_EQ(ret, 0);
        }
        CHECK_EQ(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&rx_addr, sizeof(rx_addr)), 250);
        while (received < 250) {
            struct wanted_cmsg want[1] = {{IPPROTO_UDP, UDP_COALESCED_INFO, 0, -1}};
            if (receive_with_control(rx, &msg, &data, control, sizeof(control), &got) != 0) break;
            CHECK(got > 0 && got <= 250 - received);
            CHECK(round == 0 || got <= 1000);
            CHECK_EQ(msg.dwFlags & MSG_TRUNC, 0);
            find_cmsgs(&msg, want, 1);
            if (want[0].found) {
                CHECK(want[0].value > 0 && (DWORD)want[0].value < got); /* several in one */
            } else {
                /* one datagram: a segment, or the rest (the whole send if not segmented) */
                CHECK(segmented ? got == 100 || got == 50 : got == 250);
            }
            received += got;
        }
        CHECK_EQ(received, 250);
    }

#ifndef NO_RECV_ECN_HELPERS /* the SDK's wrappers are missing from mingw-w64's headers too */
    TEST("WSASetUdpRecvMaxCoalescedSize / WSAGetUdpRecvMaxCoalescedSize");
    CHECK_EQ(WSASetUdpRecvMaxCoalescedSize(rx, 0), 0);
    size = 1;
    CHECK_EQ(WSAGetUdpRecvMaxCoalescedSize(rx, &size), 0);
    CHECK_EQ(size, 0);
#endif
    closesocket(rx);
    closesocket(tx);
}

int main(void)
{
    sx_startup();
    load_extensions();
    make_file();
    test_transmitfile_errors();
    test_transmitfile_sync();
    test_transmitfile_overlapped_one(file_plain, "file without FILE_FLAG_OVERLAPPED");
    test_transmitfile_overlapped_one(file_ov, "file with FILE_FLAG_OVERLAPPED");
    test_transmitfile_port();
    test_transmitfile_disconnect();
    test_transmitfile_reuse();
    test_transmitpackets();
    test_wsasendmsg();
    test_wsasendmsg_pktinfo();
    test_wsarecvmsg();
    test_wsarecvmsg_cmsgs();
    test_ecn();
    test_send_segmentation();
    test_receive_coalescing();
    remove_file();
    sx_cleanup();
    return tl_finish();
}
