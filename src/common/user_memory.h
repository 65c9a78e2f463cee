// user_memory.h: whether a caller's buffer is memory a read may fill, asked without faulting.
#pragma once

#include <cstddef>

namespace overlapped {

// Whether [buffer, buffer + length) is writable memory. Windows' I/O manager locks a read's
// pages before the request reaches a device, so a read into memory that is not there (or
// is read-only) fails at once with ERROR_NOACCESS. One byte of each page is read and
// written back through the kernel (which reports a bad address instead of faulting), two
// system calls for up to 1,024 pages; the buffer is the read's from now on, as on Windows,
// so writing back what is there changes nothing. A kernel that refuses these calls
// (seccomp) is trusted.
bool writable_memory(void* buffer, size_t length);

}  // namespace overlapped
