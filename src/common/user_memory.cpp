// user_memory.cpp: user_memory.h.
#include "common/user_memory.h"

#include <cerrno>
#include <cstdint>
#include <sys/uio.h>
#include <unistd.h>

namespace overlapped {

bool writable_memory(void* buffer, size_t length)
{
    static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    constexpr size_t kBatch = 1024;
    uintptr_t at = reinterpret_cast<uintptr_t>(buffer);
    if (length > UINTPTR_MAX - at) return false;  // past the end of the address space
    const uintptr_t end = at + length;
    char bytes[kBatch];
    iovec remote[kBatch];
    while (at < end) {
        size_t count = 0;
        for (; count < kBatch && at < end; ++count, at = (at & ~(page - 1)) + page)
            remote[count] = iovec{reinterpret_cast<void*>(at), 1};
        iovec local{bytes, count};
        ssize_t done = process_vm_readv(getpid(), &local, 1, remote, count, 0);
        if (done < 0 && (errno == ENOSYS || errno == EPERM)) return true;
        if (done != static_cast<ssize_t>(count)) return false;
        done = process_vm_writev(getpid(), &local, 1, remote, count, 0);
        if (done < 0 && (errno == ENOSYS || errno == EPERM)) return true;
        if (done != static_cast<ssize_t>(count)) return false;
    }
    return true;
}

}  // namespace overlapped
