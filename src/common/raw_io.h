// raw_io.h: the transfers' socket system calls, made directly. glibc's send, recv,
// sendmsg and recvmsg are cancellation points: in a process with more than one thread
// (every process using the library) each call switches asynchronous cancellation on and
// off around the system call, two atomic operations the library never needs (it does
// not use thread cancellation). Measured on a pipe round trip, that was several percent.
//
// Under ThreadSanitizer the C library's calls stay: its interceptors of send and recv are
// how it sees that data sent on one socket and received on another orders the two
// threads' memory (drivers/pipe.cpp adds its own marks on top, for its marks' records).
#pragma once

#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define OVERLAPPED_RAW_IO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)  // clang's spelling
#define OVERLAPPED_RAW_IO_TSAN 1
#endif
#endif

namespace overlapped::raw {

#if defined(OVERLAPPED_RAW_IO_TSAN)
inline ssize_t recvmsg(int fd, msghdr* message, int flags) { return ::recvmsg(fd, message, flags); }
inline ssize_t recv(int fd, void* buffer, size_t length, int flags) { return ::recv(fd, buffer, length, flags); }
inline ssize_t sendmsg(int fd, const msghdr* message, int flags) { return ::sendmsg(fd, message, flags); }
inline ssize_t send(int fd, const void* buffer, size_t length, int flags) { return ::send(fd, buffer, length, flags); }
#else
inline ssize_t recvmsg(int fd, msghdr* message, int flags) { return syscall(SYS_recvmsg, fd, message, flags); }

inline ssize_t recv(int fd, void* buffer, size_t length, int flags)
{
    return syscall(SYS_recvfrom, fd, buffer, length, flags, nullptr, nullptr);
}

inline ssize_t sendmsg(int fd, const msghdr* message, int flags) { return syscall(SYS_sendmsg, fd, message, flags); }

inline ssize_t send(int fd, const void* buffer, size_t length, int flags)
{
    return syscall(SYS_sendto, fd, buffer, length, flags, nullptr, 0);
}
#endif

}  // namespace overlapped::raw
