// dir_watch.h: ReadDirectoryChangesW's side of the file driver: the change watch of one
// directory handle, on inotify.
//
// The first ReadDirectoryChangesW on a directory handle creates the handle's watch: an
// inotify instance with a watch on the directory (and, for bWatchSubtree, on every
// directory below it, including those created later). Its filter and subtree flag are
// the first call's, for the life of the handle, as on Windows. Between two calls the
// changes wait in the inotify instance's kernel queue (they are "kept"); a request reads
// them all, turns them into FILE_NOTIFY_INFORMATION records and completes, or, if the
// records do not fit the caller's buffer, completes with no bytes and
// STATUS_NOTIFY_ENUM_DIR (all of them are discarded, as Windows discards its buffer).
//
// A pending request is an engine Poll of the inotify descriptor (Lane::In: one request
// at a time, in order); when it becomes readable the driver's step() reads the events,
// and polls again if none of them passes the filter.
#pragma once

#include <atomic>
#include <cstdint>
#include <sys/inotify.h>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <windows.h>

#include "io/device.h"
#include "io/request.h"

namespace overlapped::drivers {

// What ReadDirectoryChangesW asks of one request (io::Transfer::driver_request).
struct WatchRequest {
    DWORD filter = 0;           // FILE_NOTIFY_CHANGE_*
    bool subtree = false;       // bWatchSubtree
    bool extended = false;      // ReadDirectoryNotifyExtendedInformation records
};

class DirectoryWatch {
public:
    // A watch on the directory open as `directory` (a descriptor of the handle; not taken
    // over), with the first call's `filter` and `subtree`. nullptr with *error on failure
    // (inotify limits: ERROR_NOT_ENOUGH_QUOTA).
    static DirectoryWatch* create(int directory, DWORD filter, bool subtree, DWORD* error);
    ~DirectoryWatch();

    // The request side (the file driver's prepare/step route here for requests whose
    // Transfer carries a WatchRequest).
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan);
    io::Next step(io::Request* request, io::Outcome* outcome);

    // A synchronous ReadDirectoryChangesW (a handle without FILE_FLAG_OVERLAPPED): reads
    // what is there now into `buffer`. Returns true with *status and *bytes when the call
    // is over, false if nothing passed the filter yet (then wait for descriptor()).
    bool take(void* buffer, DWORD length, bool extended, DWORD* status, DWORD* bytes);

    // The last handle of the directory is closing: requests still pending complete with
    // STATUS_NOTIFY_CLEANUP rather than STATUS_CANCELLED, and a synchronous wait polling
    // closing_descriptor() wakes (it stays readable from then on: no wake-up is lost to
    // a waiter between its check of is_closing() and its poll).
    void closing();
    bool is_closing() const { return closing_.load(std::memory_order_acquire); }

    int descriptor() const { return inotify_; }
    int closing_descriptor() const { return closing_fd_; }

private:
    struct Record {
        DWORD action;
        std::string name;  // relative to the watched directory, '\\' separators, UTF-8
    };

    DirectoryWatch() = default;
    // Under mutex_: reads every event waiting in the inotify queue into records_.
    void drain();
    void handle_event(const struct inotify_event* event, const struct inotify_event* next, bool* consumed_next);
    // Under mutex_: watches `relative` (a directory below the root, '/' separators, "" for
    // the root) and, for subtree watches, every directory below it; `report` adds an
    // ADDED record for each entry found inside (entries created before the watch began).
    void watch_tree(const std::string& relative, bool report);
    void unwatch_tree(const std::string& relative);
    void rename_tree(const std::string& from, const std::string& to);
    void add(DWORD action, const std::string& relative, bool directory);
    // Under mutex_: fills `buffer` with records_ (or finds they do not fit); clears them.
    void fill(void* buffer, DWORD length, bool extended, DWORD* status, DWORD* bytes);
    bool has_result() const { return !records_.empty() || overflow_ || deleted_; }

    std::mutex mutex_;
    int inotify_ = -1;
    int closing_fd_ = -1;  // an eventfd, written once by closing()
    int directory_ = -1;  // the handle's descriptor (for fstatat of extended records)
    std::string root_;    // /proc/self/fd/N of the directory
    DWORD filter_ = 0;
    bool subtree_ = false;
    // The parent directory's watch, for the watched directory's own deletion: while the
    // handle keeps the directory open, inotify tells IN_DELETE_SELF only at the close.
    int parent_wd_ = -1;
    std::string root_name_;
    std::map<int, std::string> paths_;  // watch descriptor -> relative directory
    std::vector<Record> records_;
    bool overflow_ = false;  // the kernel queue overflowed: report STATUS_NOTIFY_ENUM_DIR
    bool deleted_ = false;   // the watched directory itself is gone
    std::atomic<bool> closing_{false};
};

}  // namespace overlapped::drivers
