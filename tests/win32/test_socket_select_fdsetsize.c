/* test_socket_select_fdsetsize.c: a program may define FD_SETSIZE before including
 * winsock2.h to get larger fd_sets, and select() then handles that many sockets
 * (Microsoft Learn, select: "The default value of FD_SETSIZE is 64, which can be modified
 * by defining FD_SETSIZE to another value before including Winsock2.h").
 * The default size is tested in test_socket_select.c. */
#define FD_SETSIZE 200
#include "sockex_common.h"

#define PAIRS 75 /* 150 sockets: more than the default 64 */

int main(void)
{
    fd_set set, r, w;
    SOCKET a[PAIRS], b[PAIRS];
    struct timeval tv;
    u_int i;
    int ret, all_in;

    sx_startup();

    TEST("FD_SETSIZE defined as 200 before winsock2.h: fd_set holds 200 sockets");
    CHECK_EQ(FD_SETSIZE, 200);
    CHECK_EQ(sizeof(set.fd_array) / sizeof(set.fd_array[0]), 200);
    CHECK(sizeof(set) >= sizeof(u_int) + 200 * sizeof(SOCKET));

    TEST("FD_SETSIZE 200: FD_SET fills to 200 and ignores the 201st");
    FD_ZERO(&set);
    for (i = 0; i < 201; i++)
        FD_SET((SOCKET)(4 * (i + 1)), &set);
    CHECK_EQ(set.fd_count, 200);
    CHECK(FD_ISSET((SOCKET)(4 * 200), &set));
    CHECK(!FD_ISSET((SOCKET)(4 * 201), &set));

    TEST("FD_SETSIZE 200: select over 150 sockets: all writable");
    for (i = 0; i < PAIRS; i++)
        sx_pair(&a[i], &b[i]);
    FD_ZERO(&w);
    for (i = 0; i < PAIRS; i++) {
        FD_SET(a[i], &w);
        FD_SET(b[i], &w);
    }
    CHECK_EQ(w.fd_count, 2 * PAIRS);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    ret = select(0, NULL, &w, NULL, &tv);
    CHECK_EQ(ret, 2 * PAIRS);
    CHECK_EQ(w.fd_count, 2 * PAIRS);
    all_in = 1;
    for (i = 0; i < PAIRS; i++)
        if (!FD_ISSET(a[i], &w) || !FD_ISSET(b[i], &w))
            all_in = 0;
    CHECK(all_in);

    TEST("FD_SETSIZE 200: select over 150 sockets: exactly the ones with data are readable, "
         "including ones past index 64");
    for (i = 0; i < PAIRS; i += 10)
        CHECK_EQ(send(a[i], "x", 1, 0), 1);
    Sleep(100);
    FD_ZERO(&r);
    for (i = 0; i < PAIRS; i++) {
        FD_SET(a[i], &r);
        FD_SET(b[i], &r);
    }
    ret = select(0, &r, NULL, NULL, &tv);
    CHECK_EQ(ret, (PAIRS + 9) / 10);
    CHECK_EQ(r.fd_count, (PAIRS + 9) / 10);
    all_in = 1;
    for (i = 0; i < PAIRS; i++) {
        if (FD_ISSET(a[i], &r))
            all_in = 0;
        if ((i % 10 == 0) != (FD_ISSET(b[i], &r) != 0))
            all_in = 0;
    }
    CHECK(all_in);

    for (i = 0; i < PAIRS; i++) {
        closesocket(a[i]);
        closesocket(b[i]);
    }
    sx_cleanup();
    return tl_finish();
}
