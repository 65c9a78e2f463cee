/* libc_side.h: what the C-library half of test_winsock_libc_coexistence reports (plain C
 * types only: this header is included by both halves). */
#ifndef OVERLAPPED_TEST_LIBC_SIDE_H
#define OVERLAPPED_TEST_LIBC_SIDE_H

struct libc_side_report {
    int af_inet6;               /* the C library's AF_INET6 (10 on Linux) */
    int getaddrinfo_result;     /* getaddrinfo("::1", "80") */
    int family;                 /* its first answer's ai_family and sa_family */
    int sa_family;
    int port;                   /* host order */
    int addr_before_canonname;  /* Linux's struct addrinfo: ai_addr comes first */
    int inet_pton_result;       /* inet_pton(AF_INET6, "::1") */
    int loopback_last_byte;
    int socket_fd;              /* socket(AF_INET, SOCK_STREAM, 0): a descriptor, not a handle */
    int socket_is_fd;           /* fcntl(F_GETFD) works on it */
};

void libc_side_run(struct libc_side_report *report);

#endif
