/* test_socket_faults.c: overlapped sockets under faults and load, every case bounded.
 *
 * Covers: a peer that resets the connection in the middle of a large overlapped send;
 * a peer that vanishes (abortive close) while sends are queued behind a full socket
 * buffer; a receiver that does not read (sends pend) and then reads everything (all
 * bytes arrive in order, every send completes); a listener's backlog overflowing; many
 * connections opened and closed in a loop through a completion port (plain connect and
 * accept); closesocket racing the posting and reaping of requests on another thread.
 *
 * The common rule for every case: each request that was accepted (returned 0 or
 * WSA_IO_PENDING) completes exactly once, each request that was refused never does,
 * and nothing waits forever. Sources: docs/research/windows-sockets-core.md.
 *
 * OVERLAPPED_SOCKET_LOOPS sets the number of connections of the connection loop
 * (default 10000; Wine 8.0 runs them in about 5 s, so it needs no scaling down there).
 * OVERLAPPED_SOCKET_RACE_ROUNDS sets the rounds of the close race (default 40). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include "testlib.h"

#define LOOPBACK_ADDR 0x7f000001UL
#define WATCHDOG_MS 170000

/* ---------------------------------------------------------------------------------
 * Helpers */

static HANDLE watchdog_done;

static DWORD WINAPI watchdog_main(LPVOID arg)
{
    (void)arg;
    if (WaitForSingleObject(watchdog_done, WATCHDOG_MS) == WAIT_TIMEOUT) {
        printf("FAIL watchdog: the program did not finish within %d ms (a call hangs)\n", WATCHDOG_MS);
        fflush(stdout);
        ExitProcess(3);
    }
    return 0;
}

static SOCKET make_listener(struct sockaddr_in *addr, int backlog, int rcvbuf)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*addr);
    CHECK(s != INVALID_SOCKET);
    if (rcvbuf > 0)
        CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf)), 0);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(LOOPBACK_ADDR);
    CHECK_EQ(bind(s, (struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    CHECK_EQ(listen(s, backlog), 0);
    return s;
}

/* A connected pair. rcvbuf > 0 sets the server side's receive buffer (through the
 * listener, which the accepted socket inherits); sndbuf >= 0 sets the client's send buffer. */
static void tcp_pair_sized(SOCKET *client, SOCKET *server, int rcvbuf, int sndbuf)
{
    struct sockaddr_in addr;
    SOCKET listener = make_listener(&addr, 1, rcvbuf);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(*client != INVALID_SOCKET);
    if (sndbuf >= 0)
        CHECK_EQ(setsockopt(*client, SOL_SOCKET, SO_SNDBUF, (char *)&sndbuf, sizeof(sndbuf)), 0);
    CHECK_EQ(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *server = accept(listener, NULL, NULL);
    CHECK(*server != INVALID_SOCKET);
    closesocket(listener);
}

static void close_with_reset(SOCKET s)
{
    LINGER linger = {1, 0};
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger)), 0);
    CHECK_EQ(closesocket(s), 0);
}

static unsigned char pattern_at(size_t offset)
{
    return (unsigned char)(offset * 7 + offset / 4093);
}

static int env_int(const char *name, int fallback)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == 0)
        return fallback;
    return atoi(value);
}

/* ---------------------------------------------------------------------------------
 * A peer reset during a large overlapped send */

static void test_reset_mid_transfer(void)
{
    enum { TOTAL = 16 * 1024 * 1024, READ_FIRST = 64 * 1024 };
    SOCKET c, s;
    char *data = malloc(TOTAL), *in = malloc(READ_FIRST);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD bytes = 0xdeadbeef, flags = 0;
    int got = 0, ret, pended;
    BOOL ok;

    TEST("peer reset mid-transfer: the large send fails, bounded, and reports what it sent");
    for (size_t i = 0; i < TOTAL; ++i)
        data[i] = (char)pattern_at(i);
    tcp_pair_sized(&c, &s, 0, 0);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    wb.buf = data;
    wb.len = TOTAL;
    WSASetLastError(0xdeadbeef);
    ret = WSASend(c, &wb, 1, NULL, 0, &ov, NULL);
    pended = ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING;
    CHECK(pended); /* 16 MiB cannot fit in a peer that has read nothing */

    /* The receiver takes a little, in order, then resets the connection. */
    while (got < READ_FIRST) {
        ret = recv(s, in + got, READ_FIRST - got, 0);
        if (ret <= 0)
            break;
        got += ret;
    }
    CHECK_EQ(got, READ_FIRST);
    CHECK(memcmp(in, data, READ_FIRST) == 0);
    close_with_reset(s);

    CHECK_EQ(WaitForSingleObject(ev, 10000), WAIT_OBJECT_0);
    WSASetLastError(0xdeadbeef);
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    printf("  the send ended with error %d after %lu of %d bytes\n", ok ? 0 : WSAGetLastError(),
           (unsigned long)bytes, TOTAL);
    CHECK(!ok);
    if (!ok)
        CHECK(WSAGetLastError() == WSAECONNRESET || WSAGetLastError() == WSAECONNABORTED);
    CHECK(bytes < TOTAL);
    CHECK(ov.Internal != 0 && ov.Internal != 0x103);

    closesocket(c);
    CloseHandle(ev);
    free(data);
    free(in);
}

/* ---------------------------------------------------------------------------------
 * A peer that vanishes with sends queued */

#define SEND_CHUNK (64 * 1024)
#define MAX_SENDS 512

struct send_slot {
    WSAOVERLAPPED ov; /* first member: the OVERLAPPED* a packet carries is the slot */
    int posted;
    int completed;
};

static void test_vanishing_peer(void)
{
    static struct send_slot slots[MAX_SENDS];
    char *chunk = malloc(SEND_CHUNK);
    SOCKET c, s;
    HANDLE port;
    int posted = 0, pending = 0, extra = 0, done = 0, successes = 0, failures = 0;
    ULONGLONG deadline;

    TEST("vanishing peer: sends queued behind a full buffer all complete once after a reset");
    memset(chunk, 'q', SEND_CHUNK);
    memset(slots, 0, sizeof(slots));
    tcp_pair_sized(&c, &s, 8192, 8192);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 77, 0);
    CHECK(port != NULL);

    /* Post until several sends are left pending (the peer reads nothing). */
    while (posted < MAX_SENDS && extra < 8) {
        WSABUF wb;
        struct send_slot *slot = &slots[posted];
        wb.buf = chunk;
        wb.len = SEND_CHUNK;
        WSASetLastError(0xdeadbeef);
        if (WSASend(c, &wb, 1, NULL, 0, &slot->ov, NULL) == 0) {
            slot->posted = 1;
        } else if (WSAGetLastError() == WSA_IO_PENDING) {
            slot->posted = 1;
            pending++;
            extra++;
        } else {
            printf("  WSASend %d refused: %d\n", posted, WSAGetLastError());
            break;
        }
        posted++;
    }
    CHECK(pending > 0);

    close_with_reset(s);

    deadline = GetTickCount64() + 15000;
    while (done < posted && GetTickCount64() < deadline) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED got = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000);
        struct send_slot *slot;
        if (got == NULL)
            continue; /* timed out: keep waiting until the deadline */
        slot = (struct send_slot *)got;
        CHECK(slot >= slots && slot < slots + posted);
        if (!(slot >= slots && slot < slots + posted))
            continue;
        CHECK_EQ(key, 77);
        CHECK(slot->posted);
        CHECK_EQ(slot->completed, 0); /* exactly once */
        slot->completed++;
        done++;
        if (ok) {
            successes++;
            CHECK_EQ(bytes, SEND_CHUNK);
        } else {
            failures++;
            CHECK(GetLastError() != 0);
            CHECK(bytes <= SEND_CHUNK);
        }
    }
    CHECK_EQ(done, posted);
    printf("  %d sends posted (%d pended): %d succeeded, %d failed\n", posted, pending, successes, failures);
    {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED got = NULL;
        CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 200));
        CHECK(got == NULL); /* nothing more */
    }
    closesocket(c);
    CloseHandle(port);
    free(chunk);
}

/* ---------------------------------------------------------------------------------
 * A full receive window with sends pending, then the receiver reads it all */

static void test_full_window(void)
{
    enum { SENDS = 32, TOTAL = SENDS * SEND_CHUNK };
    static struct send_slot slots[SENDS];
    unsigned char *data = malloc(TOTAL), *in = malloc(SEND_CHUNK);
    SOCKET c, s;
    HANDLE port;
    int pended = 0, early = 0, done = 0;
    size_t received = 0;
    int mismatch = 0;
    ULONGLONG deadline;

    TEST("full window: sends pend while the receiver reads nothing");
    for (size_t i = 0; i < TOTAL; ++i)
        data[i] = pattern_at(i);
    memset(slots, 0, sizeof(slots));
    tcp_pair_sized(&c, &s, 16384, 16384);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 5, 0);
    CHECK(port != NULL);
    for (int i = 0; i < SENDS; ++i) {
        WSABUF wb;
        wb.buf = (char *)data + (size_t)i * SEND_CHUNK;
        wb.len = SEND_CHUNK;
        WSASetLastError(0xdeadbeef);
        if (WSASend(c, &wb, 1, NULL, 0, &slots[i].ov, NULL) == 0) {
            slots[i].posted = 1;
        } else {
            CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
            slots[i].posted = 1;
            pended++;
        }
    }
    CHECK(pended > 0);
    /* Whatever completed so far; the last send cannot have. */
    Sleep(300);
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED got = NULL;
        if (!GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == NULL)
            break;
        struct send_slot *slot = (struct send_slot *)got;
        CHECK(slot >= slots && slot < slots + SENDS);
        CHECK_EQ(slot->completed, 0);
        slot->completed++;
        CHECK_EQ(bytes, SEND_CHUNK);
        early++;
        done++;
    }
    CHECK(early < SENDS);
    CHECK_EQ(slots[SENDS - 1].completed, 0);

    TEST("full window: the receiver reads everything; every byte arrives in order");
    while (received < TOTAL) {
        int want = (int)(TOTAL - received < SEND_CHUNK ? TOTAL - received : SEND_CHUNK);
        int ret = recv(s, (char *)in, want, 0);
        if (ret <= 0)
            break;
        if (!mismatch && memcmp(in, data + received, (size_t)ret) != 0) {
            mismatch = 1;
            printf("  data differs in the %d bytes at offset %lu\n", ret, (unsigned long)received);
        }
        received += (size_t)ret;
    }
    CHECK_EQ(received, TOTAL);
    CHECK(!mismatch);

    TEST("full window: then every send completes, once, in full");
    deadline = GetTickCount64() + 10000;
    while (done < SENDS && GetTickCount64() < deadline) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED got = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000);
        if (got == NULL)
            continue;
        struct send_slot *slot = (struct send_slot *)got;
        CHECK(ok);
        CHECK(slot >= slots && slot < slots + SENDS);
        if (!(slot >= slots && slot < slots + SENDS))
            continue;
        CHECK_EQ(key, 5);
        CHECK_EQ(slot->completed, 0);
        slot->completed++;
        CHECK_EQ(bytes, SEND_CHUNK);
        done++;
    }
    CHECK_EQ(done, SENDS);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
    free(data);
    free(in);
}

/* ---------------------------------------------------------------------------------
 * A listener's backlog overflows */

static void test_backlog_overflow(void)
{
    enum { CLIENTS = 16 };
    struct sockaddr_in laddr, caddr[CLIENTS];
    SOCKET listener, clients[CLIENTS], accepted[CLIENTS];
    int state[CLIENTS]; /* 0 pending, 1 connected, 2 failed */
    int naccepted = 0, connected = 0, failed = 0;
    u_long one = 1;
    ULONGLONG start = GetTickCount64(), idle_since;

    TEST("backlog overflow: listen(s, 1) and 16 connects; each succeeds, fails or waits");
    listener = make_listener(&laddr, 1, 0);
    CHECK_EQ(ioctlsocket(listener, FIONBIO, &one), 0);
    for (int i = 0; i < CLIENTS; ++i) {
        int len = sizeof(caddr[i]);
        clients[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        CHECK(clients[i] != INVALID_SOCKET);
        CHECK_EQ(ioctlsocket(clients[i], FIONBIO, &one), 0);
        WSASetLastError(0xdeadbeef);
        if (connect(clients[i], (struct sockaddr *)&laddr, sizeof(laddr)) != 0)
            CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        CHECK_EQ(getsockname(clients[i], (struct sockaddr *)&caddr[i], &len), 0);
        state[i] = 0;
    }

    TEST("backlog overflow: accept works; every accepted connection is a connected client");
    idle_since = GetTickCount64();
    while (naccepted < CLIENTS && GetTickCount64() - idle_since < 1500) {
        fd_set rd;
        struct timeval tv = {0, 200000};
        FD_ZERO(&rd);
        FD_SET(listener, &rd);
        if (select(0, &rd, NULL, NULL, &tv) != 1)
            continue;
        SOCKET a = accept(listener, NULL, NULL);
        if (a == INVALID_SOCKET) {
            CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
            continue;
        }
        accepted[naccepted++] = a;
        idle_since = GetTickCount64();
    }
    CHECK(naccepted >= 1);

    /* Classify the clients: writable (connected), in the except set (failed), neither. */
    for (int round = 0; round < 10; ++round) {
        for (int i = 0; i < CLIENTS; ++i) {
            fd_set wr, ex;
            struct timeval tv = {0, 0};
            if (state[i] != 0)
                continue;
            FD_ZERO(&wr);
            FD_ZERO(&ex);
            FD_SET(clients[i], &wr);
            FD_SET(clients[i], &ex);
            if (select(0, NULL, &wr, &ex, &tv) == 1)
                state[i] = FD_ISSET(clients[i], &wr) ? 1 : 2;
        }
        Sleep(50);
    }
    for (int i = 0; i < CLIENTS; ++i) {
        connected += state[i] == 1;
        failed += state[i] == 2;
        if (state[i] == 2) {
            /* A connection refused because the queue was full. */
            int err = 0, len = sizeof(err);
            CHECK_EQ(getsockopt(clients[i], SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
            CHECK_EQ(err, WSAECONNREFUSED);
        }
    }
    for (int k = 0; k < naccepted; ++k) {
        struct sockaddr_in peer;
        int len = sizeof(peer), match = -1;
        CHECK_EQ(getpeername(accepted[k], (struct sockaddr *)&peer, &len), 0);
        for (int i = 0; i < CLIENTS; ++i)
            if (peer.sin_port == caddr[i].sin_port)
                match = i;
        CHECK(match >= 0);
        if (match < 0)
            continue;
        CHECK_EQ(state[match], 1);
        /* The connection carries data both ways. */
        {
            char buf[8];
            u_long zero = 0;
            CHECK_EQ(ioctlsocket(accepted[k], FIONBIO, &zero), 0);
            CHECK_EQ(ioctlsocket(clients[match], FIONBIO, &zero), 0);
            CHECK_EQ(send(accepted[k], "ping", 4, 0), 4);
            CHECK_EQ(recv(clients[match], buf, 4, 0), 4);
            CHECK(memcmp(buf, "ping", 4) == 0);
            CHECK_EQ(send(clients[match], "pong", 4, 0), 4);
            CHECK_EQ(recv(accepted[k], buf, 4, 0), 4);
            CHECK(memcmp(buf, "pong", 4) == 0);
        }
    }
    printf("  %d accepted; clients: %d connected, %d failed, %d still waiting\n", naccepted, connected, failed,
           CLIENTS - connected - failed);
    CHECK(connected >= naccepted);
    for (int k = 0; k < naccepted; ++k)
        closesocket(accepted[k]);
    for (int i = 0; i < CLIENTS; ++i)
        closesocket(clients[i]);
    closesocket(listener);
    CHECK(GetTickCount64() - start < 30000);
}

/* ---------------------------------------------------------------------------------
 * Many connections through a completion port */

enum { KEY_SERVER = 1, KEY_CLIENT = 2 };

static int reap(HANDLE port, ULONG_PTR want_key, LPOVERLAPPED want_ov, DWORD want_bytes)
{
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000))
        return 0;
    return key == want_key && got == want_ov && bytes == want_bytes;
}

static void test_many_connections(void)
{
    int loops = env_int("OVERLAPPED_SOCKET_LOOPS", 10000);
    struct sockaddr_in laddr;
    SOCKET listener = make_listener(&laddr, SOMAXCONN, 0);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ULONGLONG start = GetTickCount64();
    int ok_loops = 0, failures = 0;
    char tmp[64];

    snprintf(tmp, sizeof(tmp), "%d connections opened and closed through a completion port", loops);
    TEST(tmp);
    CHECK(port != NULL);
    for (int i = 0; i < loops && failures < 5; ++i) {
        WSAOVERLAPPED rov, sov;
        WSABUF rb, sb;
        char buf[8];
        DWORD flags = 0;
        int good = 1;
        SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), a;

        if (c == INVALID_SOCKET || connect(c, (struct sockaddr *)&laddr, sizeof(laddr)) != 0) {
            printf("  loop %d: connect failed: %d\n", i, WSAGetLastError());
            failures++;
            closesocket(c);
            continue;
        }
        a = accept(listener, NULL, NULL);
        if (a == INVALID_SOCKET) {
            printf("  loop %d: accept failed: %d\n", i, WSAGetLastError());
            failures++;
            closesocket(c);
            continue;
        }
        good &= CreateIoCompletionPort((HANDLE)a, port, KEY_SERVER, 0) == port;
        good &= CreateIoCompletionPort((HANDLE)c, port, KEY_CLIENT, 0) == port;

        /* The server receives "ping" from the client; both complete on the port. */
        memset(&rov, 0, sizeof(rov));
        memset(&sov, 0, sizeof(sov));
        rb.buf = buf;
        rb.len = sizeof(buf);
        if (WSARecv(a, &rb, 1, NULL, &flags, &rov, NULL) != 0 && WSAGetLastError() != WSA_IO_PENDING)
            good = 0;
        sb.buf = (char *)"ping";
        sb.len = 4;
        if (WSASend(c, &sb, 1, NULL, 0, &sov, NULL) != 0 && WSAGetLastError() != WSA_IO_PENDING)
            good = 0;
        {
            /* The two packets may come in either order. */
            int seen_r = 0, seen_s = 0;
            for (int k = 0; k < 2 && good; ++k) {
                DWORD bytes = 0;
                ULONG_PTR key = 0;
                LPOVERLAPPED got = NULL;
                if (!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000)) {
                    good = 0;
                    break;
                }
                if (got == &rov && key == KEY_SERVER && bytes == 4)
                    seen_r++;
                else if (got == &sov && key == KEY_CLIENT && bytes == 4)
                    seen_s++;
                else
                    good = 0;
            }
            good &= seen_r == 1 && seen_s == 1 && memcmp(buf, "ping", 4) == 0;
        }

        /* The client closes; the server's next receive completes with 0 bytes. */
        memset(&rov, 0, sizeof(rov));
        flags = 0;
        if (good && WSARecv(a, &rb, 1, NULL, &flags, &rov, NULL) != 0 && WSAGetLastError() != WSA_IO_PENDING)
            good = 0;
        closesocket(c);
        if (good)
            good &= reap(port, KEY_SERVER, &rov, 0);
        closesocket(a);
        if (good) {
            ok_loops++;
        } else {
            printf("  loop %d failed\n", i);
            failures++;
        }
    }
    CHECK_EQ(ok_loops, loops);
    CHECK_EQ(failures, 0);
    {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED got = NULL;
        CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
        CHECK(got == NULL);
    }
    printf("  %d connections in %llu ms\n", ok_loops, (unsigned long long)(GetTickCount64() - start));
    closesocket(listener);
    CloseHandle(port);
}

/* ---------------------------------------------------------------------------------
 * closesocket racing the posting and reaping of requests */

#define RACE_SLOTS 16

struct race_slot {
    WSAOVERLAPPED ov; /* first member */
    char buf[512];
    int in_flight;
    int is_send;
};

struct race {
    SOCKET s;                 /* the socket that gets closed */
    SOCKET peer;
    HANDLE port;
    volatile LONG closed;     /* set by the closer after closesocket returns */
    volatile LONG stop_peer;
    struct race_slot slots[RACE_SLOTS];
    int posted, completed, refused, doubles, strays, lost;
};

static DWORD WINAPI race_peer_main(LPVOID arg)
{
    struct race *r = arg;
    char buf[1024];
    memset(buf, 'p', sizeof(buf));
    while (!tl_load(&r->stop_peer)) {
        fd_set rd;
        struct timeval tv = {0, 2000};
        if (send(r->peer, buf, 200, 0) <= 0)
            break;
        FD_ZERO(&rd);
        FD_SET(r->peer, &rd);
        if (select(0, &rd, NULL, NULL, &tv) == 1 && recv(r->peer, buf, sizeof(buf), 0) <= 0)
            break;
    }
    return 0;
}

static void race_reap(struct race *r, DWORD timeout)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    GetQueuedCompletionStatus(r->port, &bytes, &key, &got, timeout);
    if (got == NULL)
        return;
    struct race_slot *slot = (struct race_slot *)got;
    if (slot < r->slots || slot >= r->slots + RACE_SLOTS) {
        r->strays++;
        return;
    }
    if (!slot->in_flight) {
        r->doubles++;
        return;
    }
    slot->in_flight = 0;
    r->completed++;
}

static DWORD WINAPI race_worker_main(LPVOID arg)
{
    struct race *r = arg;
    int next = 0, stopped = 0;
    ULONGLONG deadline, closed_at = 0;

    while (!stopped) {
        if (tl_load(&r->closed)) {
            if (closed_at == 0)
                closed_at = GetTickCount64();
            else if (GetTickCount64() - closed_at > 5000)
                break; /* posts are still accepted 5 s after the close: counted as lost below */
        }
        /* Post into every free slot, alternating receives and sends. */
        for (int i = 0; i < RACE_SLOTS && !stopped; ++i) {
            struct race_slot *slot = &r->slots[i];
            WSABUF wb;
            DWORD flags = 0;
            int ret;
            if (slot->in_flight)
                continue;
            memset(&slot->ov, 0, sizeof(slot->ov));
            wb.buf = slot->buf;
            slot->is_send = next++ & 1;
            if (slot->is_send) {
                wb.len = 100;
                ret = WSASend(r->s, &wb, 1, NULL, 0, &slot->ov, NULL);
            } else {
                wb.len = sizeof(slot->buf);
                ret = WSARecv(r->s, &wb, 1, NULL, &flags, &slot->ov, NULL);
            }
            if (ret == 0 || WSAGetLastError() == WSA_IO_PENDING) {
                slot->in_flight = 1;
                r->posted++;
            } else {
                r->refused++;
                if (tl_load(&r->closed))
                    stopped = 1;
            }
        }
        race_reap(r, 1);
    }
    if (!stopped)
        r->lost++;
    /* Everything accepted before the close must still complete. */
    deadline = GetTickCount64() + 5000;
    for (;;) {
        int in_flight = 0;
        for (int i = 0; i < RACE_SLOTS; ++i)
            in_flight += r->slots[i].in_flight;
        if (in_flight == 0 || GetTickCount64() > deadline) {
            r->lost += in_flight;
            break;
        }
        race_reap(r, 100);
    }
    /* And nothing more arrives. */
    race_reap(r, 100);
    return 0;
}

static void test_close_race(void)
{
    int rounds = env_int("OVERLAPPED_SOCKET_RACE_ROUNDS", 40);
    int posted = 0, completed = 0, refused = 0, doubles = 0, strays = 0, lost = 0;
    char tmp[80];

    snprintf(tmp, sizeof(tmp), "closesocket racing posts and completions: %d rounds", rounds);
    TEST(tmp);
    srand(12345);
    for (int round = 0; round < rounds; ++round) {
        static struct race r;
        HANDLE worker, peer;
        SOCKET c, s;
        memset(&r, 0, sizeof(r));
        tcp_pair_sized(&c, &s, 0, -1);
        r.s = s;
        r.peer = c;
        r.port = CreateIoCompletionPort((HANDLE)s, NULL, 9, 0);
        CHECK(r.port != NULL);
        peer = CreateThread(NULL, 0, race_peer_main, &r, 0, NULL);
        worker = CreateThread(NULL, 0, race_worker_main, &r, 0, NULL);
        Sleep(1 + rand() % 40);
        CHECK_EQ(closesocket(s), 0);
        tl_store(&r.closed, 1);
        CHECK_EQ(WaitForSingleObject(worker, 20000), WAIT_OBJECT_0);
        tl_store(&r.stop_peer, 1);
        closesocket(c);
        CHECK_EQ(WaitForSingleObject(peer, 5000), WAIT_OBJECT_0);
        CloseHandle(worker);
        CloseHandle(peer);
        CloseHandle(r.port);
        posted += r.posted;
        completed += r.completed;
        refused += r.refused;
        doubles += r.doubles;
        strays += r.strays;
        lost += r.lost;
    }
    printf("  %d requests accepted, %d completed, %d refused after the close\n", posted, completed, refused);
    CHECK(posted > 0);
    CHECK_EQ(completed, posted);
    CHECK_EQ(doubles, 0);
    CHECK_EQ(strays, 0);
    CHECK_EQ(lost, 0);
}

int main(void)
{
    WSADATA data;
    HANDLE watchdog;

    watchdog_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    watchdog = CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL);
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        printf("FAIL WSAStartup\n");
        return 1;
    }

    test_reset_mid_transfer();
    test_vanishing_peer();
    test_full_window();
    test_backlog_overflow();
    test_many_connections();
    test_close_race();

    WSACleanup();
    SetEvent(watchdog_done);
    WaitForSingleObject(watchdog, 5000);
    CloseHandle(watchdog);
    CloseHandle(watchdog_done);
    return tl_finish();
}
