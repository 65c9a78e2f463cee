/* test_winsock_libc_coexistence.c: one program, two translation units. This one includes
 * <winsock2.h>/<ws2tcpip.h> and gets Winsock (AF_INET6 is 23, ADDRINFOA has ai_canonname
 * before ai_addr); libc_side.c includes only the C library's headers and gets the C
 * library (AF_INET6 is 10, Linux's addrinfo, socket() gives a descriptor). Both work in the
 * same process: the library's Winsock names are reached through the headers' assembler
 * labels and do not interpose the C library's getaddrinfo, inet_pton or socket. */
#include <stddef.h>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "testlib.h"
#include "libc_side.h"

int main(void)
{
    struct libc_side_report libc;
    ADDRINFOA hints, *result = NULL;
    IN6_ADDR address;
    WSADATA data;

    TEST("Winsock side: Windows values and layouts");
    CHECK_EQ(AF_INET6, 23);
    CHECK(offsetof(ADDRINFOA, ai_canonname) < offsetof(ADDRINFOA, ai_addr));
    CHECK_EQ(sizeof(SOCKADDR_IN6), 28);
    CHECK_EQ(htons(0x1234), 0x3412);
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    CHECK_EQ(getaddrinfo("::1", "80", &hints, &result), 0);
    CHECK(result != NULL);
    if (result) {
        CHECK_EQ(result->ai_family, 23);
        CHECK_EQ(result->ai_addr->sa_family, 23);
        CHECK_EQ(result->ai_addrlen, 28);
        CHECK_EQ(result->ai_socktype, SOCK_STREAM);
        CHECK_EQ(ntohs(((SOCKADDR_IN6 *)result->ai_addr)->sin6_port), 80);
        CHECK(result->ai_canonname == NULL);
        freeaddrinfo(result);
    }
    memset(&address, 0, sizeof(address));
    CHECK_EQ(inet_pton(AF_INET6, "::1", &address), 1);
    CHECK_EQ(address.u.Byte[15], 1);
    CHECK_EQ(inet_pton(23, "1.2.3.4", &address), 0); /* Windows' strictness, not the C library's */

    TEST("C library side: the C library's values and layouts, in the same process");
    libc_side_run(&libc);
    CHECK_EQ(libc.af_inet6, 10);
    CHECK(libc.addr_before_canonname);
    CHECK_EQ(libc.getaddrinfo_result, 0);
    CHECK_EQ(libc.family, 10);
    CHECK_EQ(libc.sa_family, 10);
    CHECK_EQ(libc.port, 80);
    CHECK_EQ(libc.inet_pton_result, 1);
    CHECK_EQ(libc.loopback_last_byte, 1);
    CHECK(libc.socket_fd >= 0);
    CHECK(libc.socket_is_fd);

    TEST("Winsock side again, after the C library's calls");
    result = NULL;
    CHECK_EQ(getaddrinfo("127.0.0.1", "http", &hints, &result), 0);
    if (result) {
        CHECK_EQ(result->ai_family, AF_INET);
        CHECK_EQ(ntohs(((SOCKADDR_IN *)result->ai_addr)->sin_port), 80);
        freeaddrinfo(result);
    }
    WSACleanup();
    return tl_finish();
}
