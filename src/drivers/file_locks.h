// file_locks.h: byte-range locks of files (LockFile, LockFileEx, UnlockFile, UnlockFileEx)
// with Windows' rules, kept per file (device and inode) for the whole process, and
// mirrored into Linux open-file-description locks (F_OFD_SETLK) so that other processes
// see them. docs/design.md ("Byte-range locks") describes the design.
//
// Windows' rules, as its lock package applies them (Wine's kernel32 file test,
// test_LockFile, which passes on Windows; Microsoft Learn, LockFileEx):
//   - a lock belongs to its handle's file object (here: the FileDevice, which
//     DuplicateHandle shares); locks are not merged or split: each is unlocked by its
//     own offset and length (ERROR_NOT_LOCKED otherwise), and the same range locked
//     twice needs two unlocks;
//   - an exclusive lock overlaps no other lock, even of its own handle; a shared lock
//     overlaps other shared locks, and an exclusive lock of its own handle; an unlock of
//     a range held both ways takes the exclusive lock first;
//   - a zero-length lock at X counts as the point X: it conflicts with a lock whose
//     range contains X;
//   - while locks exist, a read through another handle of bytes under an exclusive lock,
//     and a write of bytes under any lock but an exclusive one of the writer's own
//     handle, fail with ERROR_LOCK_VIOLATION (in this process: Linux's locks bind other
//     processes only through their own LockFileEx; docs/deviations.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <sys/types.h>

#include <windows.h>

namespace overlapped::drivers::locks {

// The file a lock is on, and who holds it: the owner (a FileDevice) and the descriptor
// of its own open file description.
struct File {
    dev_t device;
    ino_t inode;
    const void* owner;
    int descriptor;
};

// A lock request that may wait: an unlock on the file (in this process) makes its
// timer fire at once; a conflict with another process arms it to look again later (1 ms,
// doubling up to 20 ms). The holder polls `timer` (a timerfd) and retries.
struct Waiter {
    int timer = -1;
    bool registered = false;  // in the file's list (under the registry's lock)
    uint32_t interval_ms = 0;
    Waiter* next = nullptr;
    Waiter* prev = nullptr;
    dev_t device = 0;
    ino_t inode = 0;
};

// Takes a lock of `length` bytes at `offset` for file.owner. ERROR_SUCCESS; or, on a
// conflict, ERROR_LOCK_VIOLATION (no waiter) or ERROR_IO_PENDING (`waiter` registered:
// poll its timer, then call again); or ERROR_NOT_ENOUGH_MEMORY and the like.
DWORD acquire(const File& file, uint64_t offset, uint64_t length, bool exclusive, Waiter* waiter);

// Removes the owner's lock of exactly `offset` and `length` (the exclusive one first).
// ERROR_SUCCESS or ERROR_NOT_LOCKED.
DWORD release(const File& file, uint64_t offset, uint64_t length);

// The owner's handle closed: all its locks go.
void release_all(const File& file);

// Takes `waiter` out of its file's list (a request that ended), if it is there.
void forget(Waiter* waiter);

// Whether a read (write) of `length` bytes at `offset` by file.owner may go ahead:
// ERROR_SUCCESS or ERROR_LOCK_VIOLATION.
DWORD check_transfer(const File& file, uint64_t offset, uint64_t length, bool write);

// Locks held in this process (any file): transfers look at the registry only when some are.
extern std::atomic<uint32_t> held;
inline bool any_held() { return held.load(std::memory_order_relaxed) != 0; }

}  // namespace overlapped::drivers::locks
