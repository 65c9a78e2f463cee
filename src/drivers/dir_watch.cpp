// dir_watch.cpp: ReadDirectoryChangesW on inotify (see dir_watch.h).
#include "drivers/dir_watch.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"

namespace overlapped::drivers {
namespace {

constexpr DWORD kNameFilters = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME;
// What IN_ATTRIB stands for: inotify does not say which of the inode's metadata changed
// (mode, owner, times, link count, extended attributes).
constexpr DWORD kAttributeFilters = FILE_NOTIFY_CHANGE_ATTRIBUTES | FILE_NOTIFY_CHANGE_SECURITY |
                                    FILE_NOTIFY_CHANGE_CREATION | FILE_NOTIFY_CHANGE_LAST_WRITE;
constexpr DWORD kWriteFilters = FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE;

uint32_t inotify_mask(DWORD filter, bool subtree)
{
    uint32_t mask = IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;
    if ((filter & kNameFilters) || subtree) mask |= IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;
    if (filter & kAttributeFilters) mask |= IN_ATTRIB;
    if (filter & kWriteFilters) mask |= IN_MODIFY;
    if (filter & FILE_NOTIFY_CHANGE_LAST_ACCESS) mask |= IN_ACCESS;
    return mask;
}

void append_utf16(const std::string& text, std::u16string* out)
{
    size_t i = 0, n = text.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        uint32_t code = 0xFFFD;
        size_t length = 1;
        if (c < 0x80) {
            code = c;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
            code = ((c & 0x1Fu) << 6) | (text[i + 1] & 0x3F);
            length = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            code = ((c & 0x0Fu) << 12) | ((text[i + 1] & 0x3Fu) << 6) | (text[i + 2] & 0x3F);
            length = 3;
        } else if ((c & 0xF8) == 0xF0 && i + 3 < n) {
            code = ((c & 0x07u) << 18) | ((text[i + 1] & 0x3Fu) << 12) | ((text[i + 2] & 0x3Fu) << 6) |
                   (text[i + 3] & 0x3F);
            length = 4;
        }
        i += length;
        if (code >= 0x10000) {
            code -= 0x10000;
            out->push_back(static_cast<char16_t>(0xD800 + (code >> 10)));
            out->push_back(static_cast<char16_t>(0xDC00 + (code & 0x3FF)));
        } else {
            out->push_back(static_cast<char16_t>(code));
        }
    }
}

std::string join(const std::string& directory, const char* name)
{
    if (directory.empty()) return name;
    return directory + "/" + name;
}

LONGLONG filetime_of(const timespec& time)
{
    return static_cast<LONGLONG>((static_cast<unsigned long long>(time.tv_sec) + 11644473600ULL) * 10000000ULL +
                                 static_cast<unsigned long long>(time.tv_nsec) / 100);
}

}  // namespace

DirectoryWatch* DirectoryWatch::create(int directory, DWORD filter, bool subtree, DWORD* error)
{
    int descriptor = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (descriptor < 0) {
        *error = errno == EMFILE || errno == ENFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_QUOTA;
        return nullptr;
    }
    int closing = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (closing < 0) {
        *error = errno == EMFILE || errno == ENFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_MEMORY;
        ::close(descriptor);
        return nullptr;
    }
    auto* watch = new DirectoryWatch();
    watch->inotify_ = descriptor;
    watch->closing_fd_ = closing;
    watch->directory_ = directory;
    watch->root_ = "/proc/self/fd/" + std::to_string(directory);
    watch->filter_ = filter;
    watch->subtree_ = subtree;
    std::lock_guard<std::mutex> guard(watch->mutex_);
    int wd = inotify_add_watch(descriptor, watch->root_.c_str(), inotify_mask(filter, subtree));
    if (wd < 0) {
        *error = errno == ENOSPC ? ERROR_NOT_ENOUGH_QUOTA : win32_error_from_errno(errno);
        ::close(descriptor);
        watch->inotify_ = -1;
        delete watch;
        return nullptr;
    }
    watch->paths_[wd] = "";
    char target[4096];
    ssize_t length = readlink(watch->root_.c_str(), target, sizeof(target) - 1);
    if (length > 1) {
        std::string path(target, static_cast<size_t>(length));
        size_t slash = path.find_last_of('/');
        if (slash != std::string::npos && path[0] == '/') {
            watch->root_name_ = path.substr(slash + 1);
            std::string parent = slash == 0 ? "/" : path.substr(0, slash);
            int parent_wd = inotify_add_watch(descriptor, parent.c_str(), IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR);
            if (parent_wd >= 0 && watch->paths_.count(parent_wd) == 0) watch->parent_wd_ = parent_wd;
        }
    }
    if (subtree) watch->watch_tree("", false);
    return watch;
}

DirectoryWatch::~DirectoryWatch()
{
    if (inotify_ >= 0) ::close(inotify_);
    if (closing_fd_ >= 0) ::close(closing_fd_);
}

void DirectoryWatch::closing()
{
    closing_.store(true, std::memory_order_release);
    uint64_t one = 1;
    (void)!write(closing_fd_, &one, sizeof one);
}

void DirectoryWatch::watch_tree(const std::string& relative, bool report)
{
    std::string path = relative.empty() ? root_ : root_ + "/" + relative;
    if (!relative.empty()) {
        int wd = inotify_add_watch(inotify_, path.c_str(), inotify_mask(filter_, subtree_));
        if (wd < 0) return;  // gone again already, or the watch limit: nothing to add
        paths_[wd] = relative;
    }
    int descriptor = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) return;
    DIR* dir = fdopendir(descriptor);
    if (dir == nullptr) {
        ::close(descriptor);
        return;
    }
    std::vector<std::pair<std::string, bool>> entries;
    while (dirent* entry = readdir(dir)) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        bool is_dir = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN) {
            struct stat status;
            is_dir = fstatat(dirfd(dir), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(status.st_mode);
        }
        entries.emplace_back(join(relative, entry->d_name), is_dir);
    }
    closedir(dir);
    for (auto& [name, is_dir] : entries) {
        // Entries made in a new directory before its watch began: reported as added, so
        // that a program watching the tree does not miss them.
        if (report) add(FILE_ACTION_ADDED, name, is_dir);
        if (is_dir) watch_tree(name, report);
    }
}

void DirectoryWatch::unwatch_tree(const std::string& relative)
{
    std::string prefix = relative + "/";
    for (auto it = paths_.begin(); it != paths_.end();) {
        if (it->second == relative || it->second.compare(0, prefix.size(), prefix) == 0) {
            inotify_rm_watch(inotify_, it->first);
            it = paths_.erase(it);
        } else {
            ++it;
        }
    }
}

void DirectoryWatch::rename_tree(const std::string& from, const std::string& to)
{
    std::string prefix = from + "/";
    for (auto& [wd, path] : paths_) {
        if (path == from)
            path = to;
        else if (path.compare(0, prefix.size(), prefix) == 0)
            path = to + path.substr(from.size());
    }
}

void DirectoryWatch::add(DWORD action, const std::string& relative, bool directory)
{
    if (action != FILE_ACTION_MODIFIED &&
        !(filter_ & (directory ? FILE_NOTIFY_CHANGE_DIR_NAME : FILE_NOTIFY_CHANGE_FILE_NAME)))
        return;
    std::string name = relative;
    for (char& c : name)
        if (c == '/') c = '\\';
    records_.push_back({action, std::move(name)});
}

void DirectoryWatch::handle_event(const inotify_event* event, const inotify_event* next, bool* consumed_next)
{
    *consumed_next = false;
    if (event->mask & IN_Q_OVERFLOW) {
        overflow_ = true;
        return;
    }
    if (event->wd == parent_wd_) {
        // The watched directory removed (its link count is 0 then; a rename leaves it
        // alive and watched, as Windows keeps watching a renamed directory).
        struct stat status;
        if (event->len != 0 && (event->mask & IN_DELETE) && root_name_ == event->name &&
            fstat(directory_, &status) == 0 && status.st_nlink == 0)
            deleted_ = true;
        if (event->mask & IN_IGNORED) parent_wd_ = -1;
        return;
    }
    auto where = paths_.find(event->wd);
    if (where == paths_.end()) return;  // a watch already let go
    const std::string directory = where->second;
    bool root = directory.empty();
    if (event->mask & IN_IGNORED) {
        if (root) deleted_ = true;
        paths_.erase(where);
        return;
    }
    if (event->mask & (IN_DELETE_SELF | IN_UNMOUNT)) {
        if (root) deleted_ = true;
        return;
    }
    if (event->mask & IN_MOVE_SELF) return;  // reported by its parent, or the root's own name
    if (event->len == 0) return;              // the directory's own changes
    bool is_dir = (event->mask & IN_ISDIR) != 0;
    std::string name = join(directory, event->name);
    if (event->mask & IN_CREATE) {
        add(FILE_ACTION_ADDED, name, is_dir);
        if (is_dir && subtree_) watch_tree(name, true);
    } else if (event->mask & IN_DELETE) {
        add(FILE_ACTION_REMOVED, name, is_dir);
    } else if (event->mask & IN_MOVED_FROM) {
        if (next != nullptr && (next->mask & IN_MOVED_TO) && next->cookie == event->cookie &&
            paths_.count(next->wd) != 0 && next->len != 0) {
            // A rename inside the watched tree: the old name, then the new one.
            std::string to = join(paths_[next->wd], next->name);
            add(FILE_ACTION_RENAMED_OLD_NAME, name, is_dir);
            add(FILE_ACTION_RENAMED_NEW_NAME, to, is_dir);
            if (is_dir && subtree_) rename_tree(name, to);
            *consumed_next = true;
        } else {
            // Moved out of the watched tree: removed, as Windows reports it.
            add(FILE_ACTION_REMOVED, name, is_dir);
            if (is_dir && subtree_) unwatch_tree(name);
        }
    } else if (event->mask & IN_MOVED_TO) {
        add(FILE_ACTION_ADDED, name, is_dir);  // moved in from outside
        if (is_dir && subtree_) watch_tree(name, true);
    } else if (event->mask & (IN_MODIFY | IN_ATTRIB | IN_ACCESS)) {
        if (!records_.empty() && records_.back().action == FILE_ACTION_MODIFIED) {
            // The same change again (inotify reports each write): one record, as the
            // kernel itself merges identical events in a row.
            std::string windows_name = name;
            for (char& c : windows_name)
                if (c == '/') c = '\\';
            if (records_.back().name == windows_name) return;
        }
        add(FILE_ACTION_MODIFIED, name, is_dir);
    }
}

void DirectoryWatch::drain()
{
    alignas(inotify_event) char buffer[64 * 1024];
    // A rename's IN_MOVED_FROM is held back when it ends a read: its IN_MOVED_TO may be the
    // first event of the next one.
    std::vector<char> held;
    for (;;) {
        ssize_t n = ::read(inotify_, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::vector<char> chunk;
        if (!held.empty()) {
            chunk.swap(held);
            chunk.insert(chunk.end(), buffer, buffer + n);
        }
        const char* data = chunk.empty() ? buffer : chunk.data();
        size_t size = chunk.empty() ? static_cast<size_t>(n) : chunk.size();
        size_t offset = 0;
        while (offset < size) {
            auto* event = reinterpret_cast<const inotify_event*>(data + offset);
            size_t event_size = sizeof(inotify_event) + event->len;
            const inotify_event* next = nullptr;
            if (offset + event_size < size) next = reinterpret_cast<const inotify_event*>(data + offset + event_size);
            if ((event->mask & IN_MOVED_FROM) && next == nullptr) {
                held.assign(data + offset, data + size);
                break;
            }
            bool consumed = false;
            handle_event(event, next, &consumed);
            offset += event_size;
            if (consumed) offset += sizeof(inotify_event) + next->len;
        }
    }
    if (!held.empty()) {
        bool consumed = false;
        handle_event(reinterpret_cast<const inotify_event*>(held.data()), nullptr, &consumed);
    }
}

void DirectoryWatch::fill(void* buffer, DWORD length, bool extended, DWORD* status, DWORD* bytes)
{
    *bytes = 0;
    if (overflow_) {
        overflow_ = false;
        records_.clear();
        *status = STATUS_NOTIFY_ENUM_DIR;
        return;
    }
    if (records_.empty()) {
        *status = STATUS_DELETE_PENDING;  // deleted_
        return;
    }
    // Laid out first, written only if everything fits.
    size_t header = extended ? offsetof(FILE_NOTIFY_EXTENDED_INFORMATION, FileName)
                             : offsetof(FILE_NOTIFY_INFORMATION, FileName);
    size_t align = extended ? 8 : 4;
    std::vector<std::u16string> names(records_.size());
    size_t total = 0, last = 0;
    for (size_t i = 0; i < records_.size(); ++i) {
        append_utf16(records_[i].name, &names[i]);
        total = (total + align - 1) & ~(align - 1);
        last = total;
        total += header + names[i].size() * sizeof(char16_t);
    }
    (void)last;
    if (buffer == nullptr || total > length) {
        records_.clear();
        *status = STATUS_NOTIFY_ENUM_DIR;
        return;
    }
    char* out = static_cast<char*>(buffer);
    size_t offset = 0;
    for (size_t i = 0; i < records_.size(); ++i) {
        size_t name_bytes = names[i].size() * sizeof(char16_t);
        size_t next = i + 1 < records_.size() ? ((offset + header + name_bytes + align - 1) & ~(align - 1)) - offset : 0;
        if (extended) {
            FILE_NOTIFY_EXTENDED_INFORMATION info;
            memset(&info, 0, sizeof(info));
            info.NextEntryOffset = static_cast<DWORD>(next);
            info.Action = records_[i].action;
            std::string linux_name = records_[i].name;
            for (char& c : linux_name)
                if (c == '\\') c = '/';
            struct stat status_of;
            if (records_[i].action != FILE_ACTION_REMOVED && records_[i].action != FILE_ACTION_RENAMED_OLD_NAME &&
                fstatat(directory_, linux_name.c_str(), &status_of, AT_SYMLINK_NOFOLLOW) == 0) {
                info.CreationTime.QuadPart = filetime_of(status_of.st_ctim);
                info.LastModificationTime.QuadPart = filetime_of(status_of.st_mtim);
                info.LastChangeTime.QuadPart = filetime_of(status_of.st_ctim);
                info.LastAccessTime.QuadPart = filetime_of(status_of.st_atim);
                info.AllocatedLength.QuadPart = static_cast<LONGLONG>(status_of.st_blocks) * 512;
                info.FileSize.QuadPart = S_ISDIR(status_of.st_mode) ? 0 : status_of.st_size;
                DWORD attributes = S_ISDIR(status_of.st_mode) ? FILE_ATTRIBUTE_DIRECTORY : 0;
                if (!(status_of.st_mode & 0222)) attributes |= FILE_ATTRIBUTE_READONLY;
                if (attributes == 0) attributes = FILE_ATTRIBUTE_ARCHIVE;
                info.FileAttributes = attributes;
                info.FileId.QuadPart = static_cast<LONGLONG>(status_of.st_ino);
            }
            struct stat parent;
            size_t slash = linux_name.find_last_of('/');
            std::string parent_name = slash == std::string::npos ? "." : linux_name.substr(0, slash);
            if (fstatat(directory_, parent_name.c_str(), &parent, 0) == 0)
                info.ParentFileId.QuadPart = static_cast<LONGLONG>(parent.st_ino);
            info.FileNameLength = static_cast<DWORD>(name_bytes);
            memcpy(out + offset, &info, header);
        } else {
            FILE_NOTIFY_INFORMATION info;
            info.NextEntryOffset = static_cast<DWORD>(next);
            info.Action = records_[i].action;
            info.FileNameLength = static_cast<DWORD>(name_bytes);
            memcpy(out + offset, &info, header);
        }
        memcpy(out + offset + header, names[i].data(), name_bytes);
        offset += next;
    }
    *bytes = static_cast<DWORD>(total);
    *status = STATUS_SUCCESS;
    records_.clear();
}

bool DirectoryWatch::take(void* buffer, DWORD length, bool extended, DWORD* status, DWORD* bytes)
{
    std::lock_guard<std::mutex> guard(mutex_);
    drain();
    if (!has_result()) return false;
    fill(buffer, length, extended, status, bytes);
    return true;
}

// The request's own state, in Request::driver.
struct WatchState {
    void* buffer;
    DWORD length;
    bool extended;
};

DWORD DirectoryWatch::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    const auto* args = static_cast<const WatchRequest*>(transfer.driver_request);
    auto* state = request->driver_state<WatchState>();
    state->buffer = transfer.buffer;
    state->length = transfer.length;
    state->extended = args->extended;
    engine::Op* op = &request->op;
    op->code = engine::OpCode::Poll;
    op->descriptor = inotify_;
    op->flags = POLLIN;
    op->kind = engine::OpKind::Stream;
    plan->lane = io::Lane::In;
    // Changes kept since the last call are looked at at once (step() reads the queue,
    // and polls only if nothing is there).
    plan->done_now = true;
    plan->result = POLLIN;
    return ERROR_SUCCESS;
}

io::Next DirectoryWatch::step(io::Request* request, io::Outcome* outcome)
{
    engine::Op* op = &request->op;
    auto* state = request->driver_state<WatchState>();
    outcome->bytes = 0;
    if (op->result == -ECANCELED) {
        outcome->status = is_closing() ? STATUS_NOTIFY_CLEANUP : STATUS_CANCELLED;
        return io::Next::Done;
    }
    if (op->result < 0) {
        outcome->status = io::status_from_errno(-op->result);
        return io::Next::Done;
    }
    std::lock_guard<std::mutex> guard(mutex_);
    drain();
    if (!has_result()) return io::Next::Engine;  // nothing passed the filter: wait again
    fill(state->buffer, state->length, state->extended, &outcome->status, &outcome->bytes);
    return io::Next::Done;
}

}  // namespace overlapped::drivers
