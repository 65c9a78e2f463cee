// file.h: the file driver: regular files and directories on the Linux file system.
// Opens with Windows' dispositions, access and share modes; turns transfers into engine
// operations (pread/pwrite at an offset); does the synchronous transfers of handles
// opened without FILE_FLAG_OVERLAPPED; sizes, the file pointer, attributes, directories.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>

#include <windows.h>

#include "drivers/file_locks.h"
#include "io/device.h"

namespace overlapped::drivers {

class DirectoryWatch;

class FileDevice final : public io::Device {
public:
    FileDevice() : Device(kernel::ObjectType::File) {}

    // Opens `path` (Linux form) with `access` (generic rights already mapped to the
    // file's specific rights), `share` (FILE_SHARE_*), and CreateFile's disposition and
    // flags. On success returns the device (one reference) and sets *existed for
    // CREATE_ALWAYS/OPEN_ALWAYS; on failure returns nullptr with *error.
    static FileDevice* open(const std::string& path, ACCESS_MASK access, DWORD share, DWORD disposition,
                            DWORD flags, bool* existed, DWORD* error);

    // A file device over `descriptor` (taken over; made close-on-exec), as a handle a
    // child inherited (drivers/inherit.cpp): `access` is the handle's (specific rights),
    // `flags` CreateFile's flags (FILE_FLAG_OVERLAPPED counts). Not in the share table.
    // Returns the device (one reference), or nullptr with *error.
    static FileDevice* adopt(int descriptor, ACCESS_MASK access, DWORD flags, DWORD* error);

    bool overlapped_io() const override { return (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    bool fast_transfer(const io::Transfer& transfer, io::FastIo* io) override;
    void finish(io::Request* request) override;
    void last_handle_closed() override;
    bool cancelled_by_close(const io::Request* request) const override;

    int descriptor() const { return descriptor_; }
    DWORD flags() const { return flags_; }

    // Synchronous transfer: at the file pointer, or (at_offset) at transfer.offset, after
    // which the file pointer is past the bytes transferred, as Windows leaves it.
    // Returns ERROR_SUCCESS, ERROR_HANDLE_EOF (a read at an offset at or past the end),
    // or the Win32 error; *done is what was transferred.
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;

    DWORD seek(LONGLONG distance, DWORD method, LONGLONG* position);
    DWORD size(LONGLONG* size);
    DWORD set_end_of_file();
    DWORD set_valid_data(LONGLONG length);
    DWORD flush();
    DWORD type();
    DWORD information(BY_HANDLE_FILE_INFORMATION* information);
    // SetFileInformationByHandle(FileDispositionInfo): the file (or empty directory) is
    // deleted when its last handle closes (`remove`), or no longer (`!remove`). `path` is
    // its Linux name now. Returns ERROR_SUCCESS or the Win32 error.
    DWORD set_delete_disposition(bool remove, const std::string& path);
    // Whether the file is to be deleted at the last close (FILE_STANDARD_INFO.DeletePending).
    bool delete_pending();

    // ReadDirectoryChangesW (dir_watch.h). Under `lock`: the handle's change watch, made by
    // the first call with its filter and subtree flag; ERROR_INVALID_PARAMETER if the
    // handle is not a directory's. Making the watch drops and retakes the lock (it walks
    // the subtree): the caller holds a reference to the device.
    DWORD watch_start(DWORD filter, bool subtree, DirectoryWatch** watch);
    // A synchronous ReadDirectoryChangesW: waits in this thread, without `lock`, until
    // changes pass the filter (or the handle closes: STATUS_NOTIFY_CLEANUP; or
    // CancelSynchronousIo: STATUS_CANCELLED). Returns the NTSTATUS.
    DWORD watch_wait(void* buffer, DWORD length, bool extended, DWORD* bytes);
    // SetFileTime / FileBasicInfo with -1 for a time: reads and writes through this
    // handle no longer move it. Records the file's current last write (`write_time`) and
    // last access (`access_time`) times, which keep_frozen_times() puts back.
    DWORD freeze_times(bool write_time, bool access_time);
    // The times this handle set explicitly (futimens' pair: access, then last write; a
    // time left as it was is UTIME_OMIT): a frozen one takes its new value.
    void refreeze(const timespec (&times)[2]);
    // After an operation through the handle that may have moved a frozen time: puts the
    // recorded values back (nothing to do, one load, inline: every transfer passes here).
    void keep_frozen_times()
    {
        if (times_frozen_.load(std::memory_order_acquire)) restore_frozen_times();
    }
    // Whether the handle is a directory's (CreateFile with FILE_FLAG_BACKUP_SEMANTICS).
    bool is_directory() const { return is_directory_; }
    // FindFirstChangeNotification/FindNextChangeNotification: the OVERLAPPED of the
    // handle's change request (no event: the completion signals the handle). The
    // device outlives its requests (each holds a reference), so it outlives this too.
    OVERLAPPED change_notification{};

    // Byte-range locks (drivers/file_locks.h). LockFileEx/LockFile on a handle without
    // FILE_FLAG_OVERLAPPED: takes the lock, waiting in this thread unless `fail_now`
    // (CancelSynchronousIo and the handle's close end the wait: ERROR_OPERATION_ABORTED).
    // ERROR_SUCCESS, ERROR_LOCK_VIOLATION, or the error.
    DWORD lock_wait(uint64_t offset, uint64_t length, bool exclusive, bool fail_now);
    // UnlockFile/UnlockFileEx: ERROR_SUCCESS or ERROR_NOT_LOCKED.
    DWORD unlock(uint64_t offset, uint64_t length);

private:
    void recycle() override;
    // At open and adopt: the per-handle state a pooled device may still hold.
    void reset_handle_state();
    // Under `lock`, once opened: whether fast_transfer() may serve this handle (io::Device::fast_io).
    bool fast_io_allowed() const;
    // The alignment FILE_FLAG_NO_BUFFERING asks of buffers, sizes and offsets.
    DWORD check_alignment(const io::Transfer& transfer) const;
    // This handle as the lock registry knows it (no descriptor for Linux's locks when the
    // open file description is shared with another process: an inherited handle).
    locks::File lock_file() const { return {device_, inode_, this, own_description_ ? descriptor_ : -1}; }
    // Where `transfer` starts: its offset, or the end of the file for a write there
    // (Transfer::append; for the lock check only: the write itself appends when it runs).
    uint64_t transfer_offset(const io::Transfer& transfer) const;
    // How much of a read of `length` bytes at `offset` an unbuffered (O_DIRECT) handle
    // asks the kernel for: no further than the sector that holds the end of the file.
    // The file's size is kept (known_size_) and asked again (fstat) only when the read
    // would cross it, or after a cut of any file in this process.
    uint32_t direct_read_length(uint64_t offset, uint32_t length) const;
    // A transfer of `length` bytes at `offset` against the locks held (any are).
    DWORD check_locks(uint64_t offset, uint64_t length, bool write) const
    {
        return locks::check_transfer(lock_file(), offset, length, write);
    }
    // An overlapped LockFileEx (a request: prepare, then step until granted).
    DWORD lock_prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan);
    io::Next lock_step(io::Request* request, io::Outcome* outcome);

    int descriptor_ = -1;
    DWORD flags_ = 0;
    ACCESS_MASK access_ = 0;
    DWORD share_ = 0;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    uint32_t alignment_ = 512;
    engine::OpKind kind_ = engine::OpKind::File;
    bool in_share_table_ = false;
    bool is_directory_ = false;
    DirectoryWatch* watch_ = nullptr;  // set once under `lock` (never replaced), freed by recycle()
    // The descriptor's open file description is this handle's own (CreateFile), not one
    // shared with another process (an inherited descriptor): a stream's may be made
    // non-blocking for the fast path (engine/attempt.h).
    bool own_description_ = false;
    // The file system refused RWF_NOWAIT (EOPNOTSUPP) for reads (bit 0) or writes (bit 1):
    // requests of that direction go straight to the engine from then on.
    std::atomic<uint8_t> nowait_refused_{0};
    // freeze_times(): the frozen times in nanoseconds since 1970, kNotFrozen when not.
    static constexpr int64_t kNotFrozen = INT64_MIN;
    std::atomic<bool> times_frozen_{false};
    void restore_frozen_times();  // keep_frozen_times' work when a time is frozen
    std::atomic<int64_t> frozen_write_ns_{kNotFrozen};
    std::atomic<int64_t> frozen_access_ns_{kNotFrozen};
    // The last handle closed and its locks went: a lock granted after that is given up.
    std::atomic<bool> locks_closed_{false};
    // direct_read_length(): the file's size as last seen, and the count of file cuts in
    // this process (file_cuts) it was seen at, under known_size_lock_ (never held over a
    // system call). A size seen before the latest cut is asked again; one that is too
    // small (the file grew, through any handle or in another process) is asked again by
    // the first read that would cross it.
    mutable Lock known_size_lock_;
    mutable uint64_t known_size_ = 0;
    mutable uint64_t known_size_cuts_ = 0;
};

// LockFileEx's request on an overlapped handle (io::Transfer::driver_request; the offset
// is the transfer's). Its tag tells it from the file's other requests (drivers/ioctl.h).
constexpr DWORD kLockTag = 0x4B434F4C;  // "LOCK"
struct LockRequest {
    DWORD tag = kLockTag;
    bool exclusive = false;
    bool fail_now = false;
    uint64_t length = 0;
};

// SetFilePointerEx on `descriptor`: moves it `distance` from the start, the current
// position, or `end` (FILE_BEGIN/CURRENT/END), and sets *position. ERROR_NEGATIVE_SEEK
// before the start, ERROR_INVALID_PARAMETER for another method.
DWORD seek_descriptor(int descriptor, LONGLONG distance, DWORD method, LONGLONG end, LONGLONG* position);

// The Linux path of an open descriptor (/proc/self/fd; " (deleted)" at the end once
// its name is gone), or "" when it cannot be read.
std::string descriptor_path(int descriptor);
// Whether the process's open handles let the file (device, inode) be opened with
// `access` and `share`: ERROR_SUCCESS, else ERROR_SHARING_VIOLATION.
DWORD file_share_check(dev_t device, ino_t inode, ACCESS_MASK access, DWORD share);
// Whether `status` is a device node (NUL is /dev/null). Windows' devices take no deletion,
// rename, link, replacement or attribute change by name; doing them to the node would
// change the device for the whole system when run by root.
inline bool is_device_node(const struct stat& status) { return S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode); }

// Deletes the file at `path` (Linux form). Returns ERROR_SUCCESS or the Win32 error.
DWORD file_delete(const std::string& path);
// Whether the process's open handles let the file (device, inode) be opened for DELETE
// sharing everything, as DeleteFile, RemoveDirectory and MoveFileEx open it:
// ERROR_SUCCESS, else ERROR_SHARING_VIOLATION (a handle without FILE_SHARE_DELETE, or
// the current directory, which Windows keeps open).
DWORD file_delete_share_check(dev_t device, ino_t inode);
// Sections over a file (CreateFileMapping), for the rules of a "user-mapped" file: while
// one remains (its handles, or a view of it), a writable one refuses opens that do not
// share writing, and the file is not cut below the largest one (SetEndOfFile, CREATE_ALWAYS
// and TRUNCATE_EXISTING: ERROR_USER_MAPPED_FILE). Microsoft Learn (SetEndOfFile) and
// Wine's kernel32 test_file_sharing, which passes on Windows.
struct FileMapping {
    dev_t device;
    ino_t inode;
    uint64_t size;
    bool writable;
    uint32_t references;  // under the share table's lock
};
// A section of `size` bytes over the file, one reference; nullptr without memory.
FileMapping* file_mapping_add(dev_t device, ino_t inode, uint64_t size, bool writable);
void file_mapping_retain(FileMapping* mapping);
void file_mapping_release(FileMapping* mapping);
// Sets the end of the file open as `descriptor` to `size`: ERROR_USER_MAPPED_FILE if
// that cuts into a section over it.
DWORD file_truncate(int descriptor, uint64_t size);
// Whether a handle of this process has the file (device, inode) open: a rename does not
// replace an open file (NTFS refuses with STATUS_ACCESS_DENIED).
bool file_is_open(dev_t device, ino_t inode);
DWORD directory_create(const std::string& path);
DWORD directory_remove(const std::string& path);
// GetFileAttributes: the attributes or INVALID_FILE_ATTRIBUTES with *error.
DWORD file_attributes(const std::string& path, DWORD* error);
// GetCompressedFileSize: the size, or the allocated size when that is smaller (sparse).
DWORD file_allocated_size(const std::string& path, ULONGLONG* size);

// The Linux form of a Win32 path. Accepts POSIX paths as they are, '\' and '/' alike,
// "\\?\", and drive letters through the drive map (docs/paths.md): OVERLAPPED_DRIVES
// ("C=/srv/c;D=/mnt/d"), else the file $XDG_CONFIG_HOME/overlapped/drives (or
// ~/.config/overlapped/drives), else /etc/overlapped/drives; C: is "/" unless mapped.
// Returns ERROR_SUCCESS or the error CreateFile gives for the name.
DWORD file_linux_path(const std::string& windows_path, std::string* linux_path);

// Windows' normalization of "." and ".." by the text, on a path with '/' separators (as
// file_linux_path does it): "a/b/../c" is "a/c", ".." stops at the root, a leading ".."
// of a relative path and a trailing '/' stay; "" and "a/.." are ".".
std::string collapse_dots(const std::string& path);

// The Linux directory drive `letter` (A-Z, any case) maps to, or "" (docs/paths.md).
std::string drive_root(char letter);

// The current directory's part below a Linux directory (a drive's root): "home/me" for
// "/home/me" below "/", "" for the root itself, no separator at either end. False when
// the current directory is not below it. Drive-relative names ("C:x") start there.
bool current_directory_below(const std::string& root, std::string* inside);

}  // namespace overlapped::drivers
