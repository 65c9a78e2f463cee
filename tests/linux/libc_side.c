/* libc_side.c: the half of test_winsock_libc_coexistence that includes no Windows header
 * and calls the C library's socket functions directly, as a library linked into a Win32
 * program would. Linking the overlapped library must not change what they do. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libc_side.h"

void libc_side_run(struct libc_side_report *report)
{
    struct addrinfo hints, *result = NULL;
    struct in6_addr address;

    memset(report, 0, sizeof(*report));
    report->af_inet6 = AF_INET6;
    report->addr_before_canonname = offsetof(struct addrinfo, ai_addr) < offsetof(struct addrinfo, ai_canonname);

    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    report->getaddrinfo_result = getaddrinfo("::1", "80", &hints, &result);
    if (report->getaddrinfo_result == 0 && result) {
        report->family = result->ai_family;
        report->sa_family = result->ai_addr->sa_family;
        report->port = ntohs(((struct sockaddr_in6 *)result->ai_addr)->sin6_port);
        freeaddrinfo(result);
    }

    memset(&address, 0, sizeof(address));
    report->inet_pton_result = inet_pton(AF_INET6, "::1", &address);
    report->loopback_last_byte = address.s6_addr[15];

    report->socket_fd = socket(AF_INET, SOCK_STREAM, 0);
    report->socket_is_fd = report->socket_fd >= 0 && fcntl(report->socket_fd, F_GETFD) != -1;
    if (report->socket_fd >= 0) close(report->socket_fd);
}
