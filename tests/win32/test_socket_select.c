/* test_socket_select.c: the readiness APIs.
 *
 *  - Windows' fd_set and its macros (FD_SETSIZE 64 by default, fd_count, FD_SET ignoring
 *    duplicates and a full set, FD_CLR keeping order, FD_ISSET); the larger FD_SETSIZE a
 *    program may define is tested in test_socket_select_fdsetsize.c;
 *  - select: readable on data / a pending connection / a graceful close, writable after a
 *    connect, exceptfds for a failed non-blocking connect and for OOB data (not with
 *    SO_OOBINLINE), the own SD_RECEIVE, one fd_set given twice, closesocket during the
 *    wait, timeouts (NULL, {0,0}, a real interval, TIMEVAL not modified), WSAEINVAL and
 *    WSAENOTSOCK errors;
 *  - WSAPoll: POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLHUP, POLLERR, POLLNVAL (also for a
 *    socket closed during the wait), refused events flags, timeouts, errors;
 *  - WSAEventSelect / WSAEnumNetworkEvents: FD_ACCEPT, FD_CONNECT (with its error code),
 *    FD_READ, FD_WRITE, FD_CLOSE, FD_OOB, the re-enabling rules, non-blocking mode;
 *  - WSACreateEvent / WSASetEvent / WSAResetEvent / WSACloseEvent /
 *    WSAWaitForMultipleEvents (wait-any, wait-all, timeouts, alertable waits).
 * Facts and sources: docs/research/windows-sockets-extensions.md. */
#include "sockex_common.h"

/* ---------------------------------------------------------------------------------- */
/* A watchdog for the waits that are infinite by design (select with a NULL timeout,
 * WSAPoll(-1), WSA_INFINITE): if the wait does not end in time, the process exits. */

struct watchdog {
    HANDLE done;
    HANDLE thread;
    DWORD ms;
    const char *what;
};

static DWORD WINAPI watchdog_main(void *arg)
{
    struct watchdog *w = arg;
    if (WaitForSingleObject(w->done, w->ms) != WAIT_OBJECT_0) {
        printf("FAIL watchdog: %s did not return within %lu ms\n", w->what, (unsigned long)w->ms);
        fflush(stdout);
        ExitProcess(3);
    }
    return 0;
}

static void watchdog_start(struct watchdog *w, DWORD ms, const char *what)
{
    w->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    w->ms = ms;
    w->what = what;
    w->thread = CreateThread(NULL, 0, watchdog_main, w, 0, NULL);
    CHECK(w->thread != NULL);
}

static void watchdog_stop(struct watchdog *w)
{
    SetEvent(w->done);
    WaitForSingleObject(w->thread, 5000);
    CloseHandle(w->thread);
    CloseHandle(w->done);
}

/* A thread that sends one byte on a socket after a delay (or closes the socket: while the
 * main thread waits on it). */
struct delayed_send {
    SOCKET s;
    DWORD delay;
    int close_it;
    HANDLE thread;
};

static DWORD WINAPI delayed_send_main(void *arg)
{
    struct delayed_send *d = arg;
    Sleep(d->delay);
    if (d->close_it)
        closesocket(d->s);
    else
        send(d->s, "!", 1, 0);
    return 0;
}

static void delayed_start(struct delayed_send *d, SOCKET s, DWORD delay, int close_it)
{
    d->s = s;
    d->delay = delay;
    d->close_it = close_it;
    d->thread = CreateThread(NULL, 0, delayed_send_main, d, 0, NULL);
    CHECK(d->thread != NULL);
}

#define delayed_send_start(d, s, delay) delayed_start(d, s, delay, 0)
#define delayed_close_start(d, s) delayed_start(d, s, 200, 1)

static void delayed_send_join(struct delayed_send *d)
{
    CHECK_EQ(WaitForSingleObject(d->thread, 10000), WAIT_OBJECT_0);
    CloseHandle(d->thread);
}

static void close_with_rst(SOCKET s)
{
    struct linger l;
    l.l_onoff = 1;
    l.l_linger = 0;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)), 0);
    closesocket(s);
}

/* ---------------------------------------------------------------------------------- */

static void test_fd_set_macros(void)
{
    fd_set set;
    u_int i;
    SOCKET values[FD_SETSIZE + 1];

    TEST("fd_set: FD_SETSIZE is 64 by default; the set is a count and an array of SOCKETs");
    CHECK_EQ(FD_SETSIZE, 64);
    CHECK_EQ(sizeof(set.fd_count), sizeof(u_int));
    CHECK_EQ(sizeof(set.fd_array) / sizeof(set.fd_array[0]), 64);
    CHECK_EQ(sizeof(set.fd_array[0]), sizeof(SOCKET));
    CHECK(sizeof(set) >= sizeof(u_int) + 64 * sizeof(SOCKET));

    TEST("fd_set: FD_ZERO empties it; FD_SET appends; FD_ISSET finds members only");
    memset(&set, 0xcc, sizeof(set));
    FD_ZERO(&set);
    CHECK_EQ(set.fd_count, 0);
    FD_SET((SOCKET)100, &set);
    FD_SET((SOCKET)200, &set);
    FD_SET((SOCKET)300, &set);
    CHECK_EQ(set.fd_count, 3);
    CHECK_EQ(set.fd_array[0], 100);
    CHECK_EQ(set.fd_array[1], 200);
    CHECK_EQ(set.fd_array[2], 300);
    CHECK(FD_ISSET((SOCKET)200, &set));
    CHECK(!FD_ISSET((SOCKET)400, &set));

    TEST("fd_set: FD_SET of a member already there changes nothing");
    FD_SET((SOCKET)200, &set);
    CHECK_EQ(set.fd_count, 3);

    TEST("fd_set: FD_CLR removes a member and keeps the others in order");
    FD_CLR((SOCKET)100, &set);
    CHECK_EQ(set.fd_count, 2);
    CHECK_EQ(set.fd_array[0], 200);
    CHECK_EQ(set.fd_array[1], 300);
    CHECK(!FD_ISSET((SOCKET)100, &set));
    FD_CLR((SOCKET)999, &set);
    CHECK_EQ(set.fd_count, 2);

    TEST("fd_set: a full set (FD_SETSIZE members) ignores one more FD_SET");
    FD_ZERO(&set);
    for (i = 0; i <= FD_SETSIZE; i++) {
        values[i] = (SOCKET)(1000 + 4 * i);
        FD_SET(values[i], &set);
    }
    CHECK_EQ(set.fd_count, FD_SETSIZE);
    CHECK(FD_ISSET(values[FD_SETSIZE - 1], &set));
    CHECK(!FD_ISSET(values[FD_SETSIZE], &set));
}

/* ---------------------------------------------------------------------------------- */

static void test_select_errors(void)
{
    fd_set r, w, e;
    struct timeval tv = {0, 0};
    SOCKET a, b;
    HANDLE file;
    char path[MAX_PATH], dir[MAX_PATH];
    int ret;

    TEST("select: all three sets NULL: WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(select(0, NULL, NULL, NULL, &tv), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    TEST("select: all three sets empty: WSAEINVAL");
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(select(0, &r, &w, &e, &tv), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    TEST("select: INVALID_SOCKET in a set: WSAENOTSOCK");
    FD_ZERO(&r);
    FD_SET(INVALID_SOCKET, &r);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    TEST("select: a file handle in a set: WSAENOTSOCK");
    CHECK(GetTempPathA(sizeof(dir), dir) != 0);
    CHECK(GetTempFileNameA(dir, "sxs", 0, path) != 0);
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    FD_ZERO(&w);
    FD_SET((SOCKET)file, &w);
    WSASetLastError(0xdeadbeef);
    ret = select(0, NULL, &w, NULL, &tv);
    {
        int err = WSAGetLastError();
        CHECK_EQ(ret, SOCKET_ERROR);
        WINE_DEVIATION("select with a file handle in a set fails with WSAEOPNOTSUPP")
        {
            CHECK_EQ(err, WSAENOTSOCK);
        }
    }
    CloseHandle(file);

    TEST("select: a closed socket in a set: WSAENOTSOCK, the sets are left as they were");
    sx_pair(&a, &b);
    closesocket(a);
    FD_ZERO(&r);
    FD_ZERO(&e);
    FD_SET(a, &r);
    FD_SET(b, &r);
    FD_SET(a, &e);
    FD_SET(b, &e);
    tv.tv_sec = 1;
    tv.tv_usec = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(select(0, &r, NULL, &e, &tv), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(r.fd_count, 2);
    CHECK_EQ(e.fd_count, 2);
    closesocket(b);
}

/* Wine's sock.c test_select (plain checks, so Windows' behaviour): the same fd_set given
 * as readfds and writefds; closesocket() from another thread during the wait. */
static void test_select_aliased_and_closed(void)
{
    SOCKET a, b;
    fd_set r, e;
    struct timeval tv = {2, 0};
    struct delayed_send d;
    DWORD start;
    int ret;

    TEST("select: one fd_set as readfds and writefds: each ready socket once, counted once");
    sx_pair(&a, &b);
    FD_ZERO(&r);
    FD_SET(a, &r);
    FD_SET(b, &r);
    CHECK_EQ(select(0, &r, &r, NULL, &tv), 2);
    CHECK_EQ(r.fd_count, 2);
    CHECK(FD_ISSET(a, &r));
    CHECK(FD_ISSET(b, &r));
    CHECK_EQ(send(a, "test", 4, 0), 4);
    CHECK(sx_readable(b, 2000));
    FD_ZERO(&r);
    FD_SET(a, &r);
    FD_SET(b, &r);
    CHECK_EQ(select(0, &r, &r, NULL, &tv), 2); /* b readable and writable, a writable */
    CHECK_EQ(r.fd_count, 2);
    CHECK(FD_ISSET(a, &r));
    CHECK(FD_ISSET(b, &r));
    closesocket(b);

    TEST("select: a socket closed during the wait is readable (in readfds and exceptfds)");
    sx_pair(&a, &b);
    FD_ZERO(&r);
    FD_ZERO(&e);
    FD_SET(a, &r);
    FD_SET(a, &e);
    start = GetTickCount();
    delayed_close_start(&d, a);
    ret = select(0, &r, NULL, &e, &tv);
    CHECK(GetTickCount() - start < 1500); /* it ends the wait */
    delayed_send_join(&d);
    CHECK_EQ(ret, 1);
    CHECK_EQ(r.fd_count, 1);
    CHECK(FD_ISSET(a, &r));
    CHECK_EQ(e.fd_count, 0);
    closesocket(b);

    TEST("select: a socket closed during the wait, in exceptfds only: WSAENOTSOCK");
    sx_pair(&a, &b);
    FD_ZERO(&e);
    FD_SET(a, &e);
    delayed_close_start(&d, a);
    WSASetLastError(0xdeadbeef);
    ret = select(0, NULL, NULL, &e, &tv);
    delayed_send_join(&d);
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK(!FD_ISSET(a, &e));
    closesocket(b);
}

/* select on s alone in each of the sets given (the others NULL), waiting up to ms. */
static int select_in(SOCKET s, fd_set *r, fd_set *w, fd_set *e, long ms)
{
    struct timeval tv;
    fd_set *sets[3];
    int i;
    sets[0] = r;
    sets[1] = w;
    sets[2] = e;
    for (i = 0; i < 3; i++) {
        if (sets[i] == NULL)
            continue;
        FD_ZERO(sets[i]);
        FD_SET(s, sets[i]);
    }
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, r, w, e, &tv);
}

static void test_select_readiness(void)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), client, server, a, b;
    fd_set r, w, e;
    struct timeval tv = {1, 250000};
    char buf[16];
    int ret;
    DWORD err;

    TEST("select: a listener with nothing pending: 0 (timeout), sets emptied");
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(listener, &r);
    FD_SET(listener, &w);
    FD_SET(listener, &e);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    CHECK_EQ(select(0, &r, &w, &e, &tv), 0);
    CHECK_EQ(r.fd_count, 0);
    CHECK_EQ(w.fd_count, 0);
    CHECK_EQ(e.fd_count, 0);

    TEST("select: a pending connection makes the listener readable (only)");
    client = sx_tcp();
    sx_set_nonblocking(client, 1);
    ret = connect(client, (struct sockaddr *)&laddr, sizeof(laddr));
    CHECK(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(listener, &r);
    FD_SET(listener, &w);
    FD_SET(listener, &e);
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    CHECK_EQ(select(0, &r, &w, &e, &tv), 1);
    CHECK(FD_ISSET(listener, &r));
    CHECK_EQ(r.fd_count, 1);
    CHECK_EQ(w.fd_count, 0);
    CHECK_EQ(e.fd_count, 0);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);

    TEST("select: the connecting socket becomes writable; both ends are writable, not "
         "readable; the count covers all sets");
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(client, &r);
    FD_SET(client, &w);
    FD_SET(client, &e);
    FD_SET(server, &r);
    FD_SET(server, &w);
    FD_SET(server, &e);
    CHECK_EQ(select(0, &r, &w, &e, &tv), 2);
    CHECK(FD_ISSET(client, &w));
    CHECK(FD_ISSET(server, &w));
    CHECK_EQ(r.fd_count, 0);
    CHECK_EQ(e.fd_count, 0);
    {
        DWORD so_error = 0xdeadbeef;
        int len = sizeof(so_error);
        CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len), 0);
        CHECK_EQ(so_error, 0);
    }

    TEST("select: data makes the receiver readable (and still writable)");
    CHECK_EQ(send(client, "1234", 4, 0), 4);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(server, &r);
    FD_SET(server, &w);
    FD_SET(server, &e);
    CHECK_EQ(select(0, &r, &w, &e, &tv), 2);
    CHECK(FD_ISSET(server, &r));
    CHECK(FD_ISSET(server, &w));
    CHECK(!FD_ISSET(server, &e));
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 4);

    TEST("select: the same socket twice in a set counts once");
    FD_ZERO(&w);
    w.fd_count = 2;
    w.fd_array[0] = server;
    w.fd_array[1] = server;
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    CHECK_EQ(select(0, NULL, &w, NULL, &tv), 1);
    CHECK_EQ(w.fd_count, 1);
    CHECK_EQ(w.fd_array[0], server);

    TEST("select: OOB data puts the receiver in exceptfds");
    CHECK_EQ(send(client, "A", 1, MSG_OOB), 1);
    CHECK_EQ(select_in(server, &r, NULL, &e, 2000), 1);
    CHECK(FD_ISSET(server, &e));
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    buf[0] = 0;
    CHECK_EQ(recv(server, buf, sizeof(buf), MSG_OOB), 1);
    CHECK_EQ(buf[0], 'A');

    TEST("select: a graceful close makes the other end readable; recv then returns 0");
    closesocket(client);
    FD_ZERO(&r);
    FD_SET(server, &r);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
    CHECK(FD_ISSET(server, &r));
    CHECK_EQ(recv(server, buf, sizeof(buf), 0), 0);
    closesocket(server);

    TEST("select: a failed non-blocking connect shows in exceptfds; SO_ERROR is WSAECONNREFUSED");
    {
        struct sockaddr_in nowhere = sx_loopback(sx_unused_port());
        SOCKET s = sx_tcp();
        DWORD so_error = 0xdeadbeef;
        int len = sizeof(so_error);
        sx_set_nonblocking(s, 1);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(s, (struct sockaddr *)&nowhere, sizeof(nowhere)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        FD_ZERO(&r);
        FD_ZERO(&w);
        FD_ZERO(&e);
        FD_SET(s, &r);
        FD_SET(s, &w);
        FD_SET(s, &e);
        tv.tv_sec = 10;
        tv.tv_usec = 0;
        ret = select(0, &r, &w, &e, &tv);
        CHECK(FD_ISSET(s, &e));
        CHECK(!FD_ISSET(s, &w));
        {
            int readable = FD_ISSET(s, &r);
            WINE_DEVIATION("a refused non-blocking connect is at times also reported readable")
            {
                CHECK_EQ(ret, 1);
                CHECK(!readable);
            }
        }
        CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len), 0);
        CHECK_EQ(so_error, WSAECONNREFUSED);
        closesocket(s);
    }

    TEST("select: after a refused connect the socket connects again; SO_ERROR keeps the refusal until then");
    {
        /* Wine's sock.c test_select (its winetest_interactive part, run on Windows);
         * Microsoft Learn, connect: "the application can call connect again for the same
         * socket". */
        struct sockaddr_in nowhere = sx_loopback(sx_unused_port());
        struct sockaddr_in there = sx_loopback(0);
        SOCKET srv = sx_tcp(), s = sx_tcp(), accepted;
        DWORD so_error = 0xdeadbeef;
        int len = sizeof(so_error), again, again_error;
        CHECK_EQ(bind(srv, (struct sockaddr *)&there, sizeof(there)), 0);
        there = sx_name(srv);
        CHECK_EQ(listen(srv, 4), 0);
        sx_set_nonblocking(s, 1);
        CHECK_EQ(connect(s, (struct sockaddr *)&nowhere, sizeof(nowhere)), SOCKET_ERROR);
        FD_ZERO(&e);
        FD_SET(s, &e);
        tv.tv_sec = 10;
        tv.tv_usec = 0;
        CHECK_EQ(select(0, NULL, NULL, &e, &tv), 1);
        TEST("... connect() to a closed port again: WSAEWOULDBLOCK, SO_ERROR still WSAECONNREFUSED, exceptfds");
        WSASetLastError(0xdeadbeef);
        again = connect(s, (struct sockaddr *)&nowhere, sizeof(nowhere));
        again_error = WSAGetLastError();
        CHECK_EQ(again, SOCKET_ERROR);
        WINE_DEVIATION("connect() after a refused one fails with WSAECONNABORTED")
        {
            CHECK_EQ(again_error, WSAEWOULDBLOCK);
        }
        CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len), 0);
        CHECK_EQ(so_error, WSAECONNREFUSED);
        FD_ZERO(&r);
        FD_ZERO(&w);
        FD_ZERO(&e);
        FD_SET(s, &r);
        FD_SET(s, &w);
        FD_SET(s, &e);
        CHECK_EQ(select(0, &r, &w, &e, &tv), 1);
        CHECK(FD_ISSET(s, &e));
        TEST("... connect() to a srv: WSAEWOULDBLOCK, then writable, SO_ERROR 0, connected");
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(s, (struct sockaddr *)&there, sizeof(there)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        FD_ZERO(&r);
        FD_ZERO(&w);
        FD_ZERO(&e);
        FD_SET(s, &r);
        FD_SET(s, &w);
        FD_SET(s, &e);
        CHECK_EQ(select(0, &r, &w, &e, &tv), 1);
        CHECK(FD_ISSET(s, &w));
        so_error = 0xdeadbeef;
        CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len), 0);
        CHECK_EQ(so_error, 0);
        accepted = sx_accept(srv, 10000);
        CHECK(accepted != INVALID_SOCKET);
        if (accepted != INVALID_SOCKET) {
            CHECK_EQ(send(s, "ping", 4, 0), 4);
            FD_ZERO(&r);
            FD_SET(accepted, &r);
            CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
            CHECK_EQ(recv(accepted, buf, sizeof(buf), 0), 4);
            closesocket(accepted);
        }
        closesocket(s);

        TEST("select: a blocking connect refused: WSAECONNREFUSED, SO_ERROR 0, exceptfds; connect() again works");
        s = sx_tcp();
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(s, (struct sockaddr *)&nowhere, sizeof(nowhere)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
        so_error = 0xdeadbeef;
        CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len), 0);
        WINE_DEVIATION("SO_ERROR keeps a blocking connect's refusal")
        {
            CHECK_EQ(so_error, 0);
        }
        FD_ZERO(&r);
        FD_ZERO(&w);
        FD_ZERO(&e);
        FD_SET(s, &r);
        FD_SET(s, &w);
        FD_SET(s, &e);
        tv.tv_sec = 0;
        tv.tv_usec = 0;
        CHECK_EQ(select(0, &r, &w, &e, &tv), 1);
        CHECK(FD_ISSET(s, &e));
        WSASetLastError(0xdeadbeef);
        again = connect(s, (struct sockaddr *)&there, sizeof(there));
        again_error = WSAGetLastError();
        WINE_DEVIATION("connect() after a refused one fails with WSAECONNABORTED")
        {
            CHECK_EQ(again, 0);
            CHECK_EQ(again_error, 0);
            accepted = sx_accept(srv, 10000);
            CHECK(accepted != INVALID_SOCKET);
            if (accepted != INVALID_SOCKET) closesocket(accepted);
        }
        closesocket(s);
        closesocket(srv);
    }

    TEST("select: an unbound UDP socket is writable");
    a = sx_udp();
    CHECK_EQ(select_in(a, &r, &w, NULL, 250), 1);
    CHECK(FD_ISSET(a, &w));
    closesocket(a);

    TEST("select: a reset connection: readable and writable, not in exceptfds");
    sx_pair(&a, &b);
    close_with_rst(b);
    Sleep(100);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(a, &r);
    FD_SET(a, &w);
    FD_SET(a, &e);
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    ret = select(0, &r, &w, &e, &tv);
    CHECK_EQ(ret, 2);
    CHECK(FD_ISSET(a, &r));
    CHECK(FD_ISSET(a, &w));
    CHECK(!FD_ISSET(a, &e));
    WSASetLastError(0xdeadbeef);
    ret = recv(a, buf, sizeof(buf), 0);
    err = WSAGetLastError();
    WINE_DEVIATION("recv on a reset connection returns 0 (a graceful close)")
    {
        CHECK_EQ(ret, SOCKET_ERROR);
        CHECK_EQ(err, WSAECONNRESET);
    }
    closesocket(a);

    TEST("select: with SO_OOBINLINE, out-of-band data is readable, not in exceptfds");
    sx_pair(&a, &b);
    {
        BOOL on = TRUE;
        CHECK_EQ(setsockopt(b, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
        CHECK_EQ(send(a, "A", 1, MSG_OOB), 1);
        CHECK_EQ(select_in(b, &r, NULL, &e, 2000), 1);
        CHECK(FD_ISSET(b, &r));
        CHECK(!FD_ISSET(b, &e));
        buf[0] = 0;
        CHECK_EQ(recv(b, buf, 1, 0), 1);
        CHECK_EQ(buf[0], 'A');
    }
    closesocket(a);
    closesocket(b);

    TEST("select: this side's own shutdown(SD_RECEIVE) does not make it readable");
    sx_pair(&a, &b);
    CHECK_EQ(shutdown(a, SD_RECEIVE), 0);
    CHECK_EQ(select_in(a, &r, &w, NULL, 200), 1);
    CHECK(!FD_ISSET(a, &r));
    CHECK(FD_ISSET(a, &w));
    closesocket(a);
    closesocket(b);

    closesocket(listener);
}

static void test_select_timeouts(void)
{
    SOCKET a, b;
    fd_set r;
    struct timeval tv;
    DWORD start, elapsed;
    struct delayed_send d;
    struct watchdog wd;

    sx_pair(&a, &b);

    TEST("select: {0,0} polls: returns 0 at once");
    FD_ZERO(&r);
    FD_SET(a, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    start = GetTickCount();
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 0);
    elapsed = GetTickCount() - start;
    CHECK(elapsed < 100);

    TEST("select: {0,300000} waits about 300 ms, and does not change the TIMEVAL");
    FD_ZERO(&r);
    FD_SET(a, &r);
    tv.tv_sec = 0;
    tv.tv_usec = 300000;
    start = GetTickCount();
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 0);
    elapsed = GetTickCount() - start;
    CHECK(elapsed >= 250);
    CHECK(elapsed < 3000);
    CHECK_EQ(tv.tv_sec, 0);
    CHECK_EQ(tv.tv_usec, 300000);

    TEST("select: {1,0} is one second");
    FD_ZERO(&r);
    FD_SET(a, &r);
    tv.tv_sec = 1;
    tv.tv_usec = 0;
    start = GetTickCount();
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 0);
    elapsed = GetTickCount() - start;
    CHECK(elapsed >= 900);
    CHECK(elapsed < 4000);

    TEST("select: a NULL timeout blocks until the socket is ready");
    FD_ZERO(&r);
    FD_SET(a, &r);
    watchdog_start(&wd, 20000, "select(NULL timeout)");
    delayed_send_start(&d, b, 300);
    start = GetTickCount();
    CHECK_EQ(select(0, &r, NULL, NULL, NULL), 1);
    elapsed = GetTickCount() - start;
    watchdog_stop(&wd);
    delayed_send_join(&d);
    CHECK(FD_ISSET(a, &r));
    CHECK(elapsed >= 200);

    TEST("select: a NULL timeout with a socket already ready returns at once");
    FD_ZERO(&r);
    FD_SET(a, &r);
    start = GetTickCount();
    CHECK_EQ(select(0, &r, NULL, NULL, NULL), 1);
    CHECK(GetTickCount() - start < 1000);

    closesocket(a);
    closesocket(b);
}

/* ---------------------------------------------------------------------------------- */

static int poll1(SOCKET s, short events, short *revents, INT timeout)
{
    WSAPOLLFD fd;
    int ret;
    fd.fd = s;
    fd.events = events;
    fd.revents = (short)0xdead;
    ret = WSAPoll(&fd, 1, timeout);
    *revents = fd.revents;
    return ret;
}

#define ALL_EVENTS (POLLRDNORM | POLLRDBAND | POLLWRNORM)

static void pollfd_init(WSAPOLLFD *fd, SOCKET s, short events)
{
    fd->fd = s;
    fd->events = events;
    fd->revents = (short)0xdead;
}

/* WSAPoll on two elements, without waiting; the last error starts as 0xdeadbeef. */
static int poll2(WSAPOLLFD *fds, SOCKET s0, short events0, SOCKET s1, short events1)
{
    pollfd_init(&fds[0], s0, events0);
    pollfd_init(&fds[1], s1, events1);
    WSASetLastError(0xdeadbeef);
    return WSAPoll(fds, 2, 0);
}

static void test_wsapoll(void)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), client, server, u;
    WSAPOLLFD fds[3];
    short rev;
    int ret;
    DWORD start, elapsed;
    struct delayed_send d;
    struct watchdog wd;

    TEST("WSAPoll: (NULL, 0): WSAEINVAL; (NULL, 1): WSAEFAULT");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAPoll(NULL, 0, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAPoll(NULL, 1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);

    TEST("WSAPoll: a listener with nothing pending: 0, revents 0");
    CHECK_EQ(poll1(listener, ALL_EVENTS, &rev, 0), 0);
    CHECK_EQ(rev, 0);

    TEST("WSAPoll: a pending connection: the listener gets POLLRDNORM");
    client = sx_tcp();
    sx_set_nonblocking(client, 1);
    ret = connect(client, (struct sockaddr *)&laddr, sizeof(laddr));
    CHECK(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    CHECK_EQ(poll1(listener, POLLIN, &rev, 2000), 1);
    CHECK_EQ(rev, POLLRDNORM);
    CHECK_EQ(poll1(listener, POLLRDBAND | POLLWRNORM, &rev, 0), 0);
    CHECK_EQ(rev, 0);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET);

    TEST("WSAPoll: connected and idle: POLLWRNORM on both ends; the count is per element");
    pollfd_init(&fds[0], listener, ALL_EVENTS);
    pollfd_init(&fds[1], server, ALL_EVENTS);
    pollfd_init(&fds[2], client, ALL_EVENTS);
    CHECK_EQ(WSAPoll(fds, 3, 2000), 2);
    CHECK_EQ(fds[0].revents, 0);
    CHECK_EQ(fds[1].revents, POLLWRNORM);
    CHECK_EQ(fds[2].revents, POLLWRNORM);

    TEST("WSAPoll: data: POLLRDNORM (only what was asked for is reported)");
    CHECK_EQ(send(server, "1234", 4, 0), 4);
    CHECK_EQ(poll1(client, POLLRDNORM | POLLRDBAND, &rev, 2000), 1);
    CHECK_EQ(rev, POLLRDNORM);
    CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLRDNORM | POLLWRNORM);
    {
        char b[8];
        CHECK_EQ(sx_recv_all(client, b, 4, 2000), 4);
    }
    CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLWRNORM);

    TEST("WSAPoll: OOB data: POLLRDBAND");
    CHECK_EQ(send(client, "A", 1, MSG_OOB), 1);
    CHECK_EQ(poll1(server, POLLRDNORM | POLLRDBAND, &rev, 2000), 1);
    CHECK_EQ(rev, POLLRDBAND);
    {
        char b = 0;
        CHECK_EQ(recv(server, &b, 1, MSG_OOB), 1);
        CHECK_EQ(b, 'A');
    }

    TEST("WSAPoll: the peer closes: POLLHUP, reported even when not asked for");
    closesocket(client);
    CHECK_EQ(poll1(server, 0, &rev, 2000), 1);
    CHECK_EQ(rev, POLLHUP);
    CHECK_EQ(poll1(server, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLWRNORM | POLLHUP);
    closesocket(server);

    TEST("WSAPoll: a bad socket beside a good one: POLLNVAL for it, not counted, no error");
    CHECK_EQ(poll2(fds, listener, POLLIN, (SOCKET)0xabacab, POLLIN), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(fds[0].revents, 0);
    CHECK_EQ(fds[1].revents, POLLNVAL);

    TEST("WSAPoll: only bad sockets: SOCKET_ERROR, WSAENOTSOCK, POLLNVAL on each");
    CHECK_EQ(poll2(fds, INVALID_SOCKET, POLLERR, (SOCKET)0xabacab, POLLERR), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(fds[0].revents, POLLNVAL);
    CHECK_EQ(fds[1].revents, POLLNVAL);

    TEST("WSAPoll: POLLPRI in events is refused: WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    ret = poll1(listener, POLLPRI, &rev, 0);
    {
        int err = WSAGetLastError();
        WINE_DEVIATION("WSAPoll accepts flags the Microsoft provider does not support (POLLPRI)")
        {
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(err, WSAEINVAL);
        }
    }

    TEST("WSAPoll: events other than POLLRDNORM, POLLRDBAND, POLLWRNORM are refused: WSAEINVAL");
    {
        static const short refused[] = {POLLERR, POLLHUP, POLLNVAL, POLLWRBAND, 0x8, 0x40, 0x1000};
        int k, err;
        for (k = 0; k < (int)(sizeof(refused) / sizeof(refused[0])); k++) {
            WSASetLastError(0xdeadbeef);
            ret = poll1(listener, refused[k], &rev, 0);
            err = WSAGetLastError();
            WINE_DEVIATION("WSAPoll accepts flags the Microsoft provider does not support")
            {
                CHECK_EQ(ret, SOCKET_ERROR);
                CHECK_EQ(err, WSAEINVAL);
            }
        }
    }

    TEST("WSAPoll: ... INVALID_SOCKET with such flags beside a socket: POLLNVAL, no error");
    CHECK_EQ(poll2(fds, INVALID_SOCKET, POLLERR, listener, POLLIN), 0);
    CHECK_EQ(WSAGetLastError(), 0);
    CHECK_EQ(fds[0].revents, POLLNVAL);
    CHECK_EQ(fds[1].revents, 0);

    TEST("WSAPoll: ... a bad socket with such flags beside a socket: WSAEINVAL, revents 0");
    ret = poll2(fds, listener, POLLIN, (SOCKET)0xabacab, POLLERR);
    {
        int err = WSAGetLastError();
        WINE_DEVIATION("WSAPoll accepts flags the Microsoft provider does not support")
        {
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(err, WSAEINVAL);
            CHECK_EQ(fds[0].revents, 0);
            CHECK_EQ(fds[1].revents, 0);
        }
    }

    TEST("WSAPoll: with SO_OOBINLINE, out-of-band data is POLLRDNORM, not POLLRDBAND");
    sx_pair(&client, &server);
    {
        BOOL on = TRUE;
        char b = 0;
        CHECK_EQ(setsockopt(server, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
        CHECK_EQ(send(client, "A", 1, MSG_OOB), 1);
        CHECK_EQ(poll1(server, POLLRDNORM | POLLRDBAND, &rev, 2000), 1);
        CHECK_EQ(rev, POLLRDNORM);
        CHECK_EQ(poll1(server, ALL_EVENTS, &rev, 0), 1);
        CHECK_EQ(rev, POLLRDNORM | POLLWRNORM);
        CHECK_EQ(recv(server, &b, 1, 0), 1);
        CHECK_EQ(b, 'A');
    }

    TEST("WSAPoll: this side's own shutdown(SD_RECEIVE), then SD_SEND: POLLWRNORM only; the peer sees POLLHUP");
    CHECK_EQ(shutdown(client, SD_RECEIVE), 0);
    Sleep(50);
    CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLWRNORM);
    CHECK_EQ(poll1(server, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLWRNORM);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    CHECK_EQ(poll1(server, 0, &rev, 2000), 1);
    CHECK_EQ(rev, POLLHUP);
    CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 0), 1);
    CHECK_EQ(rev, POLLWRNORM);
    closesocket(client);
    closesocket(server);

    TEST("WSAPoll: a socket closed during the wait: 1, POLLNVAL");
    sx_pair(&client, &server);
    {
        struct delayed_send d;
        start = GetTickCount();
        delayed_close_start(&d, client);
        ret = poll1(client, POLLRDNORM | POLLRDBAND, &rev, 2000);
        CHECK(GetTickCount() - start < 1500);
        delayed_send_join(&d);
        CHECK_EQ(ret, 1);
        CHECK_EQ(rev, POLLNVAL);
    }
    closesocket(server);

    TEST("WSAPoll: a refused connect: POLLHUP and POLLERR, and POLLWRNORM when asked");
    {
        struct sockaddr_in nowhere = sx_loopback(sx_unused_port());
        SOCKET x = sx_tcp();
        short rev0;
        sx_set_nonblocking(x, 1);
        CHECK_EQ(connect(x, (struct sockaddr *)&nowhere, sizeof(nowhere)), SOCKET_ERROR);
        CHECK_EQ(poll1(x, ALL_EVENTS, &rev, 10000), 1);
        ret = poll1(x, 0, &rev0, 0);
        WINE_DEVIATION("WSAPoll reports a refused connect as POLLERR (and POLLRDNORM) only")
        {
            CHECK_EQ(rev, POLLWRNORM | POLLHUP | POLLERR);
            CHECK_EQ(ret, 1);
            CHECK_EQ(rev0, POLLHUP | POLLERR);
        }
        closesocket(x);
    }

    /* Wine's sock.c test_tcp_reset: after the peer's reset, WSAPoll reports POLLERR,
     * POLLHUP and POLLWRNORM (not POLLRDNORM), SO_ERROR is 0, and receives and sends fail
     * with WSAECONNRESET (Microsoft Learn, closesocket: "any recv call on the remote side
     * of the circuit will fail with WSAECONNRESET"). Reading SO_ERROR first must not
     * turn the reset into a graceful end. */
    TEST("WSAPoll: a reset connection: POLLERR, POLLHUP and POLLWRNORM; SO_ERROR 0");
    sx_pair(&client, &server);
    close_with_rst(server);
    CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 5000), 1);
    CHECK_EQ(rev, POLLERR | POLLHUP | POLLWRNORM);
    {
        int error = 0xdead, length = sizeof(error);
        char byte;
        CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&error, &length), 0);
        CHECK_EQ(error, 0);

        TEST("... after SO_ERROR was read, recv and send still fail with WSAECONNRESET");
        WSASetLastError(0xdeadbeef);
        ret = recv(client, &byte, 1, 0);
        error = WSAGetLastError();
        WINE_DEVIATION("recv on a reset connection returns 0 (a graceful close)")
        {
            CHECK_EQ(ret, SOCKET_ERROR);
            CHECK_EQ(error, WSAECONNRESET);
        }
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(send(client, "x", 1, 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
        length = sizeof(error);
        CHECK_EQ(getsockopt(client, SOL_SOCKET, SO_ERROR, (char *)&error, &length), 0);
        CHECK_EQ(error, 0);

        TEST("... and WSAPoll still reports POLLERR, POLLHUP and POLLWRNORM");
        CHECK_EQ(poll1(client, ALL_EVENTS, &rev, 0), 1);
        CHECK_EQ(rev, POLLERR | POLLHUP | POLLWRNORM);
    }
    closesocket(client);

    TEST("WSAPoll: an unbound UDP socket: POLLWRNORM");
    u = sx_udp();
    CHECK_EQ(poll1(u, ALL_EVENTS, &rev, 1000), 1);
    CHECK_EQ(rev, POLLWRNORM);
    closesocket(u);

    TEST("WSAPoll: timeout 0 returns at once; 300 waits about 300 ms");
    sx_pair(&client, &server);
    start = GetTickCount();
    CHECK_EQ(poll1(client, POLLRDNORM, &rev, 0), 0);
    CHECK(GetTickCount() - start < 100);
    start = GetTickCount();
    CHECK_EQ(poll1(client, POLLRDNORM, &rev, 300), 0);
    elapsed = GetTickCount() - start;
    CHECK(elapsed >= 250);
    CHECK(elapsed < 3000);
    CHECK_EQ(rev, 0);

    TEST("WSAPoll: a negative timeout waits until ready");
    watchdog_start(&wd, 20000, "WSAPoll(-1)");
    delayed_send_start(&d, server, 300);
    start = GetTickCount();
    CHECK_EQ(poll1(client, POLLRDNORM, &rev, -1), 1);
    elapsed = GetTickCount() - start;
    watchdog_stop(&wd);
    delayed_send_join(&d);
    CHECK_EQ(rev, POLLRDNORM);
    CHECK(elapsed >= 200);
    closesocket(client);
    closesocket(server);

    closesocket(listener);
}

/* ---------------------------------------------------------------------------------- */
/* WSAEventSelect: check_events(s, ev, expected, error_bit, error, timeout) waits up to
 * timeout for the event (or checks that it stays clear when nothing is expected), then
 * enumerates with the event (which resets it) and compares. */

static void check_events_(int line, SOCKET s, HANDLE ev, LONG expected, int err_bit, int err,
                          DWORD timeout)
{
    WSANETWORKEVENTS ne;
    DWORD wait;
    int i, ret;
    char what[128];

    wait = WaitForSingleObject(ev, timeout);
    if (expected) {
        snprintf(what, sizeof(what), "line %d: event signalled for %#lx", line,
                 (unsigned long)expected);
        tl_record(wait == WAIT_OBJECT_0, __FILE__, line, what);
        /* several events expected: let them all be recorded before reading the record */
        if (expected & (expected - 1))
            Sleep(100);
    } else {
        snprintf(what, sizeof(what), "line %d: event not signalled", line);
        tl_record(wait == WAIT_TIMEOUT, __FILE__, line, what);
    }
    memset(&ne, 0xab, sizeof(ne));
    ret = WSAEnumNetworkEvents(s, ev, &ne);
    tl_record(ret == 0, __FILE__, line, "WSAEnumNetworkEvents succeeds");
    if (ne.lNetworkEvents != expected)
        printf("   line %d: got events %#lx, expected %#lx\n", line,
               (unsigned long)ne.lNetworkEvents, (unsigned long)expected);
    tl_record(ne.lNetworkEvents == expected, __FILE__, line, "lNetworkEvents as expected");
    for (i = 0; i < FD_MAX_EVENTS; i++) {
        if (ne.lNetworkEvents & (1 << i)) {
            int want = (i == err_bit) ? err : 0;
            snprintf(what, sizeof(what), "iErrorCode[%d] == %d (got %d)", i, want,
                     ne.iErrorCode[i]);
            tl_record(ne.iErrorCode[i] == want, __FILE__, line, what);
        } else {
            snprintf(what, sizeof(what), "iErrorCode[%d] untouched (got %#x)", i,
                     (unsigned)ne.iErrorCode[i]);
            tl_record(ne.iErrorCode[i] == (int)0xabababab, __FILE__, line, what);
        }
    }
    tl_record(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, __FILE__, line,
              "WSAEnumNetworkEvents reset the event");
}

#define check_events(s, ev, expected, timeout) check_events_(__LINE__, s, ev, expected, -1, 0, timeout)
#define check_events_err(s, ev, expected, bit, err, timeout) \
    check_events_(__LINE__, s, ev, expected, bit, err, timeout)

/* Clears the record and the event whatever they hold: used after a WINE_DEVIATION block,
 * so that the next checks start from a known state under Wine too. */
static void drain_events(SOCKET s, HANDLE ev)
{
    WSANETWORKEVENTS ne;
    WSAEnumNetworkEvents(s, ev, &ne);
}

#define ALL_FD (FD_ACCEPT | FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE | FD_OOB)

static void test_events_accept(HANDLE ev)
{
    const struct sockaddr_in any = sx_loopback(0);
    struct sockaddr_in laddr;
    SOCKET listener = sx_tcp(), c1, c2, s;
    LPFN_ACCEPTEX pAcceptEx = NULL;
    GUID acceptex = WSAID_ACCEPTEX;

    TEST("FD_ACCEPT: nothing before a connection");
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(listener, ev, FD_ACCEPT | FD_CONNECT | FD_READ | FD_OOB), 0);
    CHECK_EQ(bind(listener, (const struct sockaddr *)&any, sizeof(any)), 0);
    laddr = sx_name(listener);
    CHECK_EQ(listen(listener, 5), 0);
    check_events(listener, ev, 0, 0);

    TEST("FD_ACCEPT: a connection records it once");
    c1 = sx_tcp();
    CHECK_EQ(connect(c1, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    check_events(listener, ev, FD_ACCEPT, 2000);
    check_events(listener, ev, 0, 0);

    TEST("FD_ACCEPT: a second connection records it again");
    c2 = sx_tcp();
    CHECK_EQ(connect(c2, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    WINE_DEVIATION("a new connection does not record FD_ACCEPT again before accept()")
    {
        check_events(listener, ev, FD_ACCEPT, 2000);
        check_events(listener, ev, 0, 0);
    }
    drain_events(listener, ev);

    TEST("FD_ACCEPT: accept() re-enables it: recorded again while a connection is pending");
    s = accept(listener, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    closesocket(s);
    check_events(listener, ev, FD_ACCEPT, 2000);
    check_events(listener, ev, 0, 0);

    TEST("FD_ACCEPT: accept() of the last connection: nothing more");
    s = accept(listener, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    closesocket(s);
    check_events(listener, ev, 0, 200);
    closesocket(c1);
    closesocket(c2);

    TEST("FD_ACCEPT: a connection waiting before WSAEventSelect is recorded at once");
    CHECK_EQ(WSAEventSelect(listener, ev, 0), 0);
    c1 = sx_tcp();
    CHECK_EQ(connect(c1, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    Sleep(100);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(listener, ev, FD_ACCEPT | FD_READ), 0);
    check_events(listener, ev, FD_ACCEPT, 2000);
    s = accept(listener, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    closesocket(s);
    closesocket(c1);
    check_events(listener, ev, 0, 200);

    TEST("FD_ACCEPT: a connection taken by a pending AcceptEx records nothing");
    sx_get_ext(listener, acceptex, &pAcceptEx, sizeof(pAcceptEx));
    if (pAcceptEx != NULL) {
        char buffer[2 * (sizeof(SOCKADDR_IN) + 16)];
        OVERLAPPED ov;
        DWORD bytes;
        SOCKET acceptor = sx_tcp();
        sx_ov_init(&ov);
        CHECK(!pAcceptEx(listener, acceptor, buffer, 0, SX_ADDRLEN, SX_ADDRLEN, &bytes, &ov));
        CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
        c1 = sx_tcp();
        CHECK_EQ(connect(c1, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
        CHECK(sx_signalled(ov.hEvent, 2000));
        check_events(listener, ev, 0, 200);
        closesocket(c1);
        closesocket(acceptor);
        sx_ov_free(&ov);
    }

    closesocket(listener);
}

/* accept(): "any WSAEventSelect events associated with the listening socket apply to
   the accepted socket" (MS Learn, WSAEventSelect): the same event, the same mask. */
static void test_events_accept_inherits(HANDLE ev)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), client, s;
    u_long nonblocking = 0;

    TEST("accept(): the accepted socket takes the listener's event and events");
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(listener, ev, FD_ACCEPT | FD_READ | FD_CLOSE), 0);
    client = sx_tcp();
    CHECK_EQ(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)), 0);
    check_events(listener, ev, FD_ACCEPT, 2000);
    s = accept(listener, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    check_events(s, ev, 0, 0);
    CHECK_EQ(send(client, "x", 1, 0), 1);
    check_events(s, ev, FD_READ, 2000);

    TEST("accept(): the accepted socket is non-blocking, as its event selection makes it");
    {
        char got;
        CHECK_EQ(recv(s, &got, 1, 0), 1);
        CHECK_EQ(recv(s, &got, 1, 0), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    }

    TEST("accept(): FD_CLOSE through the inherited selection when the peer closes");
    closesocket(client);
    check_events(s, ev, FD_CLOSE, 2000);

    CHECK_EQ(WSAEventSelect(s, NULL, 0), 0);
    CHECK_EQ(ioctlsocket(s, FIONBIO, &nonblocking), 0);
    closesocket(s);
    CHECK_EQ(WSAEventSelect(listener, NULL, 0), 0);
    closesocket(listener);
}

static void test_events_connect(HANDLE ev)
{
    struct sockaddr_in laddr;
    SOCKET listener = sx_listener(&laddr, 5), client, server;
    int ret;

    TEST("FD_CONNECT: nothing before connect; then FD_CONNECT and FD_WRITE, error 0");
    client = sx_tcp();
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(client, ev, ALL_FD), 0);
    check_events(client, ev, 0, 0);
    ret = connect(client, (struct sockaddr *)&laddr, sizeof(laddr));
    CHECK(ret == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    check_events(client, ev, FD_CONNECT | FD_WRITE, 2000);
    check_events(client, ev, 0, 0);
    server = sx_accept(listener, 2000);
    CHECK(server != INVALID_SOCKET);

    TEST("FD_CONNECT: the accepted socket gets FD_WRITE when it selects");
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CONNECT | FD_READ | FD_WRITE | FD_OOB), 0);
    check_events(server, ev, FD_WRITE, 2000);
    closesocket(client);
    closesocket(server);

    TEST("FD_CONNECT: a refused connection: FD_CONNECT with iErrorCode = WSAECONNREFUSED");
    {
        struct sockaddr_in nowhere = sx_loopback(sx_unused_port());
        client = sx_tcp();
        ResetEvent(ev); /* the event is shared: start from clear */
        CHECK_EQ(WSAEventSelect(client, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 0);
        WSASetLastError(0xdeadbeef);
        CHECK_EQ(connect(client, (struct sockaddr *)&nowhere, sizeof(nowhere)), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        check_events_err(client, ev, FD_CONNECT, FD_CONNECT_BIT, WSAECONNREFUSED, 10000);
        closesocket(client);
    }

    TEST("FD_CONNECT: a UDP socket: nothing while unbound; connect() records FD_CONNECT and FD_WRITE");
    {
        /* Wine's sock.c test_connect_events, 'Test with UDP sockets' (todo_wine there). */
        SOCKET u = sx_udp(), peer = sx_udp();
        struct sockaddr_in to = sx_loopback(0);
        CHECK_EQ(bind(peer, (struct sockaddr *)&to, sizeof(to)), 0);
        to = sx_name(peer);
        ResetEvent(ev); /* the event is shared: start from clear */
        CHECK_EQ(WSAEventSelect(u, ev, FD_ACCEPT | FD_CONNECT | FD_OOB | FD_READ | FD_WRITE), 0);
        WINE_DEVIATION("WSAEventSelect records FD_WRITE for an unbound UDP socket, and no FD_CONNECT")
        {
            check_events(u, ev, 0, 0);
            CHECK_EQ(connect(u, (struct sockaddr *)&to, sizeof(to)), 0);
            check_events(u, ev, FD_CONNECT | FD_WRITE, 2000);
            check_events(u, ev, 0, 0);
        }
        drain_events(u, ev);
        CHECK_EQ(WSAEventSelect(u, NULL, 0), 0);
        closesocket(u);
        closesocket(peer);
    }

    closesocket(listener);
}

static void test_events_write(HANDLE ev)
{
    SOCKET client, server;
    const int big = 1024 * 1024;
    char *buffer = malloc(big);
    int ret, i;
    DWORD start;

    CHECK(buffer != NULL);
    memset(buffer, 'x', big);
    sx_pair(&client, &server);
    sx_set_nonblocking(client, 1);

    TEST("FD_WRITE: recorded once for a connected socket");
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, ALL_FD), 0);
    check_events(server, ev, FD_WRITE, 2000);
    check_events(server, ev, 0, 0);

    TEST("FD_WRITE: a successful send does not record it again");
    CHECK_EQ(send(server, "data", 5, 0), 5);
    check_events(server, ev, 0, 0);
    {
        char b[8];
        CHECK_EQ(sx_recv_all(client, b, 5, 2000), 5);
    }
    check_events(server, ev, 0, 0);

    TEST("FD_WRITE: after a send fails with WSAEWOULDBLOCK, recorded when space returns");
    for (i = 0; i < 1000; i++) {
        ret = send(server, buffer, big, 0);
        if (ret == SOCKET_ERROR)
            break;
    }
    CHECK_EQ(ret, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    check_events(server, ev, 0, 0);
    start = GetTickCount();
    while (GetTickCount() - start < 5000) {
        while (recv(client, buffer, big, 0) > 0)
            ;
        if (WaitForSingleObject(ev, 50) == WAIT_OBJECT_0)
            break;
    }
    check_events(server, ev, FD_WRITE, 2000);
    check_events(server, ev, 0, 0);

    closesocket(client);
    closesocket(server);
    free(buffer);
}

static void test_events_read(HANDLE ev)
{
    SOCKET client, server;
    char buffer[16];
    int i;
    WSANETWORKEVENTS ne;

    sx_pair(&client, &server);

    TEST("FD_READ: data records it once");
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    check_events(server, ev, 0, 0);
    CHECK_EQ(send(client, "data", 5, 0), 5);
    check_events(server, ev, FD_READ, 2000);
    check_events(server, ev, 0, 0);

    TEST("FD_READ: more data before any recv records it again");
    CHECK_EQ(send(client, "data", 5, 0), 5);
    WINE_DEVIATION("new data does not record FD_READ again until recv()")
    {
        check_events(server, ev, FD_READ, 2000);
        check_events(server, ev, 0, 0);
    }
    drain_events(server, ev);

    TEST("FD_READ: a recv leaving data re-records it; the recv that empties the socket does not");
    CHECK_EQ(recv(server, buffer, 2, 0), 2);
    check_events(server, ev, FD_READ, 2000);
    check_events(server, ev, 0, 0);
    TEST("FD_READ: a recv with a length of -1 fails with WSAEFAULT and records nothing");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, buffer, -1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    check_events(server, ev, 0, 0);
    for (i = 0; i < 8; i++) {
        CHECK_EQ(recv(server, buffer, 1, 0), 1);
        if (i < 7)
            check_events(server, ev, FD_READ, 2000);
        check_events(server, ev, 0, 0);
    }

    TEST("FD_READ: WSAEnumNetworkEvents without an event handle leaves the event set");
    CHECK_EQ(send(client, "more", 4, 0), 4);
    CHECK(sx_signalled(ev, 2000));
    memset(&ne, 0xab, sizeof(ne));
    CHECK_EQ(WSAEnumNetworkEvents(server, NULL, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_READ);
    CHECK_EQ(ne.iErrorCode[FD_READ_BIT], 0);
    CHECK_EQ(ne.iErrorCode[FD_WRITE_BIT], (int)0xabababab);
    CHECK(sx_signalled(ev, 0));
    CHECK(WSAResetEvent(ev));
    CHECK_EQ(recv(server, buffer, 4, 0), 4);
    check_events(server, ev, 0, 0);

    TEST("WSAEventSelect(s, ev, 0) stops recording");
    CHECK_EQ(WSAEventSelect(server, ev, 0), 0);
    CHECK_EQ(send(client, "x", 1, 0), 1);
    CHECK(!sx_signalled(ev, 200));
    CHECK(sx_readable(server, 2000));

    closesocket(client);
    closesocket(server);
}

/* The recording does not belong to the thread that asked for it: a worker that calls
 * WSAEventSelect and ends is the usual shape. (Linux ends the io_uring operations of a
 * thread that has exited when they fire; the library's watch must survive that.) */
struct select_in_thread {
    SOCKET s;
    HANDLE ev;
    int result;
};

static DWORD WINAPI select_then_end(LPVOID argument)
{
    struct select_in_thread *work = (struct select_in_thread *)argument;
    work->result = WSAEventSelect(work->s, work->ev, FD_READ | FD_CLOSE);
    return 0;
}

static void test_events_thread_exit(HANDLE ev)
{
    SOCKET client, server;
    struct select_in_thread work;
    HANDLE thread;
    char buffer[16];

    sx_pair(&client, &server);

    TEST("WSAEventSelect by a thread that has ended since: FD_READ and FD_CLOSE still recorded");
    ResetEvent(ev);
    work.s = server;
    work.ev = ev;
    work.result = -1;
    thread = CreateThread(NULL, 0, select_then_end, &work, 0, NULL);
    CHECK(thread != NULL);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(work.result, 0);
    Sleep(50); /* the thread's exit is over */
    check_events(server, ev, 0, 0);
    CHECK_EQ(send(client, "data", 4, 0), 4);
    check_events(server, ev, FD_READ, 2000);
    CHECK_EQ(recv(server, buffer, 4, 0), 4);
    CHECK_EQ(send(client, "more", 4, 0), 4);
    check_events(server, ev, FD_READ, 2000);
    CHECK_EQ(recv(server, buffer, 4, 0), 4);
    closesocket(client);
    check_events(server, ev, FD_CLOSE, 2000);

    WSAEventSelect(server, ev, 0);
    closesocket(server);
}

static void test_events_close_oob(HANDLE ev)
{
    SOCKET client, server;
    char buffer[8];

    TEST("FD_CLOSE: the peer's closesocket: FD_CLOSE, error 0, once; recv then returns 0");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    closesocket(client);
    check_events_err(server, ev, FD_CLOSE, FD_CLOSE_BIT, 0, 2000);
    check_events(server, ev, 0, 0);
    CHECK_EQ(recv(server, buffer, sizeof(buffer), 0), 0);
    check_events(server, ev, 0, 0);
    closesocket(server);

    TEST("FD_CLOSE: the peer's shutdown(SD_SEND) also records it");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    check_events_err(server, ev, FD_CLOSE, FD_CLOSE_BIT, 0, 2000);
    check_events(server, ev, 0, 0);
    closesocket(client);
    closesocket(server);

    TEST("FD_CLOSE: recorded when the FIN arrives even if data is still unread");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(send(client, "data", 5, 0), 5);
    check_events(server, ev, FD_READ, 2000);
    closesocket(client);
    WINE_DEVIATION("FD_CLOSE is not recorded while received data is still unread")
    {
        check_events_err(server, ev, FD_CLOSE, FD_CLOSE_BIT, 0, 2000);
    }
    closesocket(server);

    TEST("FD_CLOSE: a reset: FD_CLOSE with iErrorCode = WSAECONNABORTED");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    close_with_rst(client);
    WINE_DEVIATION("FD_CLOSE after a reset reports iErrorCode 0, not WSAECONNABORTED")
    {
        check_events_err(server, ev, FD_CLOSE, FD_CLOSE_BIT, WSAECONNABORTED, 2000);
        check_events(server, ev, 0, 0);
    }
    drain_events(server, ev);
    closesocket(server);

    TEST("FD_CLOSE: not for this side's own shutdowns; for the peer's shutdown(SD_SEND) after them");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(shutdown(client, SD_RECEIVE), 0);
    CHECK_EQ(shutdown(server, SD_BOTH), 0);
    check_events(server, ev, 0, 200);
    CHECK_EQ(shutdown(client, SD_SEND), 0);
    WINE_DEVIATION("no FD_CLOSE for the peer's close after this side's own shutdown(SD_BOTH)")
    {
        check_events_err(server, ev, FD_CLOSE, FD_CLOSE_BIT, 0, 2000);
        check_events(server, ev, 0, 0);
    }
    drain_events(server, ev);
    closesocket(client);
    closesocket(server);

    TEST("FD_OOB: OOB data records it");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EQ(send(client, "a", 1, MSG_OOB), 1);
    check_events(server, ev, FD_OOB, 2000);
    check_events(server, ev, 0, 0);
    CHECK_EQ(recv(server, buffer, 1, MSG_OOB), 1);
    closesocket(client);
    closesocket(server);

    TEST("FD_OOB: with SO_OOBINLINE, out-of-band data records FD_READ, not FD_OOB");
    sx_pair(&client, &server);
    {
        /* Microsoft Learn, "Protocol-Independent Out-of-band Data" and WSAAsyncSelect:
         * FD_OOB only for a socket without SO_OOBINLINE; in-line out-of-band data is
         * signalled as normal data (FD_READ). */
        BOOL on = TRUE;
        CHECK_EQ(setsockopt(server, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
        ResetEvent(ev); /* the event is shared: start from clear */
        CHECK_EQ(WSAEventSelect(server, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
        CHECK_EQ(send(client, "a", 1, MSG_OOB), 1);
        WINE_DEVIATION("with SO_OOBINLINE, out-of-band data records FD_OOB beside FD_READ")
        {
            check_events(server, ev, FD_READ, 2000);
            check_events(server, ev, 0, 0);
        }
        drain_events(server, ev);
        CHECK_EQ(recv(server, buffer, 1, 0), 1);
        CHECK_EQ(buffer[0], 'a');
    }
    closesocket(client);
    closesocket(server);
}

static void test_events_nonblocking(HANDLE ev)
{
    SOCKET client, server;
    u_long zero = 0;
    char b;

    TEST("WSAEventSelect makes the socket non-blocking: recv fails with WSAEWOULDBLOCK");
    sx_pair(&client, &server);
    ResetEvent(ev); /* the event is shared: start from clear */
    CHECK_EQ(WSAEventSelect(server, ev, FD_READ), 0);
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(recv(server, &b, 1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    TEST("WSAEventSelect: ioctlsocket(FIONBIO, 0) then fails with WSAEINVAL");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(ioctlsocket(server, FIONBIO, &zero), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    TEST("WSAEventSelect(s, NULL, 0) first, then FIONBIO 0 succeeds");
    CHECK_EQ(WSAEventSelect(server, NULL, 0), 0);
    CHECK_EQ(ioctlsocket(server, FIONBIO, &zero), 0);
    CHECK_EQ(send(client, "z", 1, 0), 1);
    CHECK_EQ(recv(server, &b, 1, 0), 1);
    CHECK_EQ(b, 'z');
    ResetEvent(ev);
    closesocket(client);
    closesocket(server);
}

/* ---------------------------------------------------------------------------------- */

static int completion_calls;
static DWORD completion_error, completion_bytes;

static void CALLBACK recv_completion(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    completion_calls++;
    completion_error = error;
    completion_bytes = bytes;
}

static void test_wsa_events(void)
{
    WSAEVENT e[3];
    DWORD ret, start, elapsed;
    SOCKET client, server;
    WSAOVERLAPPED ov;
    WSABUF wb;
    char buf[16];
    DWORD flags = 0, bytes;
    struct watchdog wd;

    TEST("WSACreateEvent: a manual-reset event, initially clear");
    e[0] = WSACreateEvent();
    e[1] = WSACreateEvent();
    e[2] = WSACreateEvent();
    CHECK(e[0] != WSA_INVALID_EVENT && e[1] != WSA_INVALID_EVENT && e[2] != WSA_INVALID_EVENT);
    CHECK_EQ(WaitForSingleObject(e[0], 0), WAIT_TIMEOUT);
    CHECK(WSASetEvent(e[0]));
    CHECK_EQ(WaitForSingleObject(e[0], 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(e[0], 0), WAIT_OBJECT_0);
    CHECK(WSAResetEvent(e[0]));
    CHECK_EQ(WaitForSingleObject(e[0], 0), WAIT_TIMEOUT);

    TEST("WSAWaitForMultipleEvents: nothing signalled, timeout 0: WSA_WAIT_TIMEOUT at once");
    start = GetTickCount();
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    CHECK(GetTickCount() - start < 100);

    TEST("WSAWaitForMultipleEvents: timeout 300 waits about 300 ms");
    start = GetTickCount();
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, FALSE, 300, FALSE), WSA_WAIT_TIMEOUT);
    elapsed = GetTickCount() - start;
    CHECK(elapsed >= 250);
    CHECK(elapsed < 3000);

    TEST("WSAWaitForMultipleEvents: wait-any returns the lowest signalled index");
    CHECK(WSASetEvent(e[2]));
    CHECK(WSASetEvent(e[1]));
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, FALSE, 1000, FALSE), WSA_WAIT_EVENT_0 + 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &e[2], FALSE, 1000, FALSE), WSA_WAIT_EVENT_0);

    TEST("WSAWaitForMultipleEvents: wait-all needs every event");
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, TRUE, 100, FALSE), WSA_WAIT_TIMEOUT);
    CHECK(WSASetEvent(e[0]));
    ret = WSAWaitForMultipleEvents(3, e, TRUE, 1000, FALSE);
    CHECK(ret - WSA_WAIT_EVENT_0 < 3);
    /* manual-reset events stay set */
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, TRUE, 0, FALSE), ret);

    TEST("WSAWaitForMultipleEvents: WSA_INFINITE returns when an event is set");
    CHECK(WSAResetEvent(e[0]) && WSAResetEvent(e[1]) && WSAResetEvent(e[2]));
    CHECK(WSASetEvent(e[2]));
    watchdog_start(&wd, 10000, "WSAWaitForMultipleEvents(WSA_INFINITE)");
    CHECK_EQ(WSAWaitForMultipleEvents(3, e, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0 + 2);
    watchdog_stop(&wd);
    CHECK(WSAResetEvent(e[2]));

    TEST("WSAWaitForMultipleEvents: cEvents 0: WSA_WAIT_FAILED, WSA_INVALID_PARAMETER");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAWaitForMultipleEvents(0, e, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    CHECK_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);

    TEST("WSAWaitForMultipleEvents: alertable wait returns WSA_WAIT_IO_COMPLETION after a "
         "completion routine ran");
    sx_pair(&client, &server);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = e[1]; /* ignored with a completion routine; given anyway */
    wb.buf = buf;
    wb.len = sizeof(buf);
    completion_calls = 0;
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSARecv(server, &wb, 1, &bytes, &flags, &ov, recv_completion), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(send(client, "apc!", 4, 0), 4);
    Sleep(100);
    TEST("WSAWaitForMultipleEvents: a non-alertable wait does not run it");
    CHECK_EQ(WSAWaitForMultipleEvents(1, &e[0], FALSE, 200, FALSE), WSA_WAIT_TIMEOUT);
    CHECK_EQ(completion_calls, 0);
    TEST("WSAWaitForMultipleEvents: an alertable wait runs it");
    CHECK_EQ(WSAWaitForMultipleEvents(1, &e[0], FALSE, 2000, TRUE), WSA_WAIT_IO_COMPLETION);
    CHECK_EQ(completion_calls, 1);
    CHECK_EQ(completion_error, 0);
    CHECK_EQ(completion_bytes, 4);
    CHECK(memcmp(buf, "apc!", 4) == 0);
    CHECK_EQ(WaitForSingleObject(e[0], 0), WAIT_TIMEOUT);
    closesocket(client);
    closesocket(server);

    TEST("WSACloseEvent: TRUE; closing it again: FALSE with WSA_INVALID_HANDLE");
    CHECK(WSACloseEvent(e[1]));
    CHECK(WSACloseEvent(e[2]));
    CHECK(WSACloseEvent(e[0]));
    WSASetLastError(0xdeadbeef);
    CHECK(!WSACloseEvent(e[0]));
    CHECK_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);

    TEST("WSAWaitForMultipleEvents: a closed handle: WSA_WAIT_FAILED, WSA_INVALID_HANDLE");
    WSASetLastError(0xdeadbeef);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &e[0], FALSE, 0, FALSE), WSA_WAIT_FAILED);
    CHECK_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
}

int main(void)
{
    HANDLE ev;

    sx_startup();
    test_fd_set_macros();
    test_select_errors();
    test_select_aliased_and_closed();
    test_select_readiness();
    test_select_timeouts();
    test_wsapoll();

    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    test_events_accept(ev);
    test_events_accept_inherits(ev);
    test_events_connect(ev);
    test_events_write(ev);
    test_events_read(ev);
    test_events_close_oob(ev);
    test_events_nonblocking(ev);
    test_events_thread_exit(ev);
    WSACloseEvent(ev);

    test_wsa_events();
    sx_cleanup();
    return tl_finish();
}
