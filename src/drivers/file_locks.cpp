// file_locks.cpp: the registry of byte-range locks (file_locks.h).
#include "drivers/file_locks.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <sys/timerfd.h>
#include <utility>
#include <vector>

namespace overlapped::drivers::locks {

std::atomic<uint32_t> held{0};

namespace {

using Wide = unsigned __int128;  // a range's end: offset + length may pass 2^64

struct Lock {
    const void* owner;
    uint64_t offset;
    uint64_t length;
    bool exclusive;
};

struct Entry {
    std::vector<Lock> locks;
    Waiter* waiters = nullptr;
};

std::mutex registry_mutex;
std::map<std::pair<dev_t, ino_t>, Entry>* registry = new std::map<std::pair<dev_t, ino_t>, Entry>();

Wide end_of(uint64_t offset, uint64_t length) { return static_cast<Wide>(offset) + length; }

// Whether two ranges meet. A zero-length range is the point at its offset: it meets a
// range that contains that point (two points never meet).
bool overlap(uint64_t a, uint64_t a_length, uint64_t b, uint64_t b_length)
{
    if (a_length == 0 && b_length == 0) return false;
    if (a_length == 0) return b <= a && static_cast<Wide>(a) < end_of(b, b_length);
    if (b_length == 0) return a <= b && static_cast<Wide>(b) < end_of(a, a_length);
    return static_cast<Wide>(a) < end_of(b, b_length) && static_cast<Wide>(b) < end_of(a, a_length);
}

// Whether `lock` keeps a new lock of `owner` (exclusive or not) off the bytes they share.
bool blocks(const Lock& lock, const void* owner, bool exclusive)
{
    if (lock.owner == owner) return exclusive;  // a shared lock may overlap its own handle's
    return exclusive || lock.exclusive;
}

// Linux's locks take offsets up to 2^63 - 1 (off_t): the part of a range below that.
constexpr Wide kLinuxLimit = static_cast<Wide>(INT64_MAX);

// Makes the owner's open-file-description locks on [start, end) what its locks in
// `entry` say (per byte: a write lock under an exclusive lock, a read lock under only
// shared ones, none otherwise). False if another process's lock refused a part (the
// parts before it are set: call again after changing `entry` to put them back).
// Zero-length locks and bytes past Linux's limit are not mirrored; nor are lock types a
// descriptor cannot take (a write lock on a descriptor open for reading only: EBADF).
bool mirror(const Entry& entry, const File& file, uint64_t offset, uint64_t length)
{
    if (file.descriptor < 0 || length == 0 || static_cast<Wide>(offset) >= kLinuxLimit) return true;
    Wide start = offset, end = std::min(end_of(offset, length), kLinuxLimit);
    std::vector<Wide> cuts{start, end};
    for (const Lock& lock : entry.locks) {
        if (lock.owner != file.owner || lock.length == 0) continue;
        Wide lock_start = lock.offset, lock_end = end_of(lock.offset, lock.length);
        if (lock_start > start && lock_start < end) cuts.push_back(lock_start);
        if (lock_end > start && lock_end < end) cuts.push_back(lock_end);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        Wide from = cuts[i], to = cuts[i + 1];
        short type = F_UNLCK;
        for (const Lock& lock : entry.locks) {
            if (lock.owner != file.owner || lock.length == 0) continue;
            if (static_cast<Wide>(lock.offset) <= from && end_of(lock.offset, lock.length) >= to) {
                if (lock.exclusive) type = F_WRLCK;
                else if (type == F_UNLCK) type = F_RDLCK;
            }
        }
        struct flock range{};
        range.l_type = type;
        range.l_whence = SEEK_SET;
        range.l_start = static_cast<off_t>(from);
        range.l_len = static_cast<off_t>(to - from);
        if (fcntl(file.descriptor, F_OFD_SETLK, &range) != 0 && (errno == EAGAIN || errno == EACCES)) return false;
    }
    return true;
}

// Under registry_mutex: every waiter of `entry` looks again now.
void wake(Entry& entry)
{
    const itimerspec now{{0, 0}, {0, 1}};
    for (Waiter* waiter = entry.waiters; waiter != nullptr; waiter = waiter->next)
        timerfd_settime(waiter->timer, 0, &now, nullptr);
}

// Under registry_mutex: `waiter` in `entry`'s list; `later`: held by another process,
// so its timer is armed to look again (nobody here will wake it).
void enlist(Entry& entry, const File& file, Waiter* waiter, bool later)
{
    if (!waiter->registered) {
        waiter->registered = true;
        waiter->device = file.device;
        waiter->inode = file.inode;
        waiter->prev = nullptr;
        waiter->next = entry.waiters;
        if (entry.waiters != nullptr) entry.waiters->prev = waiter;
        entry.waiters = waiter;
    }
    if (later) {
        waiter->interval_ms = waiter->interval_ms == 0 ? 1 : std::min<uint32_t>(waiter->interval_ms * 2, 20);
        itimerspec when{{0, 0}, {0, static_cast<long>(waiter->interval_ms) * 1000000L}};
        timerfd_settime(waiter->timer, 0, &when, nullptr);
    } else {
        waiter->interval_ms = 0;
    }
}

// Under registry_mutex.
void delist(Entry& entry, Waiter* waiter)
{
    if (!waiter->registered) return;
    if (waiter->prev != nullptr) waiter->prev->next = waiter->next;
    else entry.waiters = waiter->next;
    if (waiter->next != nullptr) waiter->next->prev = waiter->prev;
    waiter->registered = false;
    waiter->next = waiter->prev = nullptr;
}

// Under registry_mutex: drops `entry` once nothing refers to it.
void tidy(std::map<std::pair<dev_t, ino_t>, Entry>::iterator it)
{
    if (it->second.locks.empty() && it->second.waiters == nullptr) registry->erase(it);
}

}  // namespace

DWORD acquire(const File& file, uint64_t offset, uint64_t length, bool exclusive, Waiter* waiter)
{
    // A range past the last byte (offset + length beyond 2^64) locks nothing (Wine's
    // test: "wrap-around lock should not do anything").
    if (end_of(offset, length) > (static_cast<Wide>(1) << 64)) return ERROR_INVALID_LOCK_RANGE;
    std::lock_guard<std::mutex> guard(registry_mutex);
    auto it = registry->try_emplace({file.device, file.inode}).first;
    Entry& entry = it->second;
    bool conflict = false;
    for (const Lock& lock : entry.locks)
        if (overlap(lock.offset, lock.length, offset, length) && blocks(lock, file.owner, exclusive)) {
            conflict = true;
            break;
        }
    bool elsewhere = false;
    if (!conflict) {
        entry.locks.push_back(Lock{file.owner, offset, length, exclusive});
        if (mirror(entry, file, offset, length)) {
            held.fetch_add(1, std::memory_order_relaxed);
            if (waiter != nullptr) delist(entry, waiter);
            return ERROR_SUCCESS;
        }
        entry.locks.pop_back();  // another process holds part of it
        mirror(entry, file, offset, length);
        conflict = elsewhere = true;
    }
    if (waiter == nullptr) {
        tidy(it);
        return ERROR_LOCK_VIOLATION;
    }
    enlist(entry, file, waiter, elsewhere);
    return ERROR_IO_PENDING;
}

DWORD release(const File& file, uint64_t offset, uint64_t length)
{
    std::lock_guard<std::mutex> guard(registry_mutex);
    auto it = registry->find({file.device, file.inode});
    if (it == registry->end()) return ERROR_NOT_LOCKED;
    Entry& entry = it->second;
    // The exclusive lock of the range first, then a shared one.
    size_t found = entry.locks.size();
    for (size_t i = 0; i < entry.locks.size(); ++i) {
        const Lock& lock = entry.locks[i];
        if (lock.owner != file.owner || lock.offset != offset || lock.length != length) continue;
        if (lock.exclusive) {
            found = i;
            break;
        }
        if (found == entry.locks.size()) found = i;
    }
    if (found == entry.locks.size()) return ERROR_NOT_LOCKED;
    entry.locks.erase(entry.locks.begin() + static_cast<long>(found));
    held.fetch_sub(1, std::memory_order_relaxed);
    mirror(entry, file, offset, length);  // giving up never fails
    wake(entry);
    tidy(it);
    return ERROR_SUCCESS;
}

void release_all(const File& file)
{
    std::lock_guard<std::mutex> guard(registry_mutex);
    auto it = registry->find({file.device, file.inode});
    if (it == registry->end()) return;
    Entry& entry = it->second;
    size_t before = entry.locks.size();
    entry.locks.erase(std::remove_if(entry.locks.begin(), entry.locks.end(),
                                     [&](const Lock& lock) { return lock.owner == file.owner; }),
                      entry.locks.end());
    size_t gone = before - entry.locks.size();
    if (gone == 0) return;
    held.fetch_sub(static_cast<uint32_t>(gone), std::memory_order_relaxed);
    if (file.descriptor >= 0) {
        struct flock everything{};
        everything.l_type = F_UNLCK;
        everything.l_whence = SEEK_SET;
        fcntl(file.descriptor, F_OFD_SETLK, &everything);
    }
    wake(entry);
    tidy(it);
}

void forget(Waiter* waiter)
{
    std::lock_guard<std::mutex> guard(registry_mutex);
    if (!waiter->registered) return;
    auto it = registry->find({waiter->device, waiter->inode});
    if (it == registry->end()) return;
    delist(it->second, waiter);
    tidy(it);
}

DWORD check_transfer(const File& file, uint64_t offset, uint64_t length, bool write)
{
    if (length == 0) return ERROR_SUCCESS;
    std::lock_guard<std::mutex> guard(registry_mutex);
    auto it = registry->find({file.device, file.inode});
    if (it == registry->end()) return ERROR_SUCCESS;
    for (const Lock& lock : it->second.locks) {
        if (lock.length == 0 || !overlap(lock.offset, lock.length, offset, length)) continue;
        // A shared lock keeps every handle from writing, its own too; an exclusive lock
        // keeps other handles from reading and writing.
        if (write ? !(lock.exclusive && lock.owner == file.owner) : (lock.exclusive && lock.owner != file.owner))
            return ERROR_LOCK_VIOLATION;
    }
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers::locks
