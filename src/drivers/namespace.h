// namespace.h: where pipe and mailslot names live. Windows keeps them in the named-pipe
// and mailslot file systems (\Device\NamedPipe, \Device\Mailslot); here each name is a
// Unix-domain socket in a per-user directory that no other user can read or enter:
//
//   OVERLAPPED_NAMESPACE if set (tests point it elsewhere), else
//   $XDG_RUNTIME_DIR/overlapped when XDG_RUNTIME_DIR is an absolute directory of ours,
//   else /tmp/overlapped-<uid>.
//
// The directory is made with mode 0700; one that is not a directory, is a symbolic link,
// or belongs to another user is refused (ERROR_ACCESS_DENIED), and one of ours with a
// looser mode is tightened. Names are folded to lower case (Windows compares them without
// case) and every byte outside [a-z0-9_-] is escaped, so no name reaches outside the
// directory; long names are hashed. Sockets are bound and connected through the
// directory's descriptor (/proc/self/fd/N/leaf), so the directory's own path length
// never matters.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/un.h>

#include <windows.h>

namespace overlapped::drivers {

enum class NameKind : uint8_t { Pipe, Mailslot };

// A parsed \\.\pipe\name or \\.\mailslot\name.
struct DeviceName {
    NameKind kind = NameKind::Pipe;
    std::string name;  // after "pipe\" or "mailslot\": normalised, folded to lower case
    bool broadcast = false;  // \\*\mailslot\name (a client's; delivered locally)
};

// Whether `path` (UTF-8, as the program gave it) names a pipe or a mailslot, so that
// CreateFile hands it to their drivers: after Win32's normalisation ('/' is '\', "."
// and ".." components resolved, the "\\server\" root kept) it starts with
// "\\<server>\pipe\" or "\\<server>\mailslot\" (any case). *kind is set when true.
bool is_device_name(std::string_view path, NameKind* kind);

// Parses `path` as a name of `kind`. Returns ERROR_SUCCESS and fills *out, or:
//   ERROR_BAD_NETPATH   the name is on another server (\\host\pipe\x; for a mailslot
//                       client "\\*\" is this machine, and `allow_broadcast` says
//                       whether the caller accepts it);
//   ERROR_INVALID_NAME  not a name of `kind`, an empty name, or one longer than
//                       `max_length` UTF-16 units (the whole path, as Windows counts).
DWORD parse_device_name(std::string_view path, NameKind kind, bool allow_broadcast, size_t max_length,
                        DeviceName* out);

// The path to bind or connect a Unix-domain socket to for `name` (kind's prefix and the
// escaped or hashed name, under the directory's descriptor), with `suffix` appended to
// the leaf for a driver's companion entries (at most 8 characters of [a-z0-9.]).
// Returns ERROR_SUCCESS, or ERROR_ACCESS_DENIED / the error of making the directory.
DWORD namespace_path(const DeviceName& name, std::string_view suffix, std::string* path);

// What identifies one entry (a later entry at the same path may reuse the inode number,
// not also its change time).
struct EntryId {
    unsigned long inode = 0;
    long long changed_ns = 0;
};

// Binds `fd` (a Unix-domain socket) to `path`. An entry left there by a process that
// died (nothing accepts or receives on it: a connect of every socket type is refused) is
// removed and the bind retried, under a lock on the directory so that two processes
// cleaning the same entry do not remove each other's. Returns 0 and the entry's identity in
// *id (for namespace_unbind), or -errno (EADDRINUSE: the name is alive).
// The liveness check connects a socket that sends nothing and closes at once: a driver's
// listener must take such a connection in its stride. `backlog` >= 0: the socket also
// listens before the lock is let go (a bound socket that does not listen yet refuses
// connections, and would look like a dead process's entry to the next one to bind).
int namespace_bind(int fd, const std::string& path, EntryId* id, int backlog = -1);

// The identity of the entry at `path` now (inode 0: there is none).
EntryId namespace_entry(const std::string& path);

// Binds `fd` to `path` in place of the entry `stale`, one its caller found alive yet not
// answering (a listener the kernel keeps a moment after its process died): under the
// directory's lock, the entry is removed only if it is still `stale`. Returns 0 and *id,
// -EADDRINUSE if another entry took its place meanwhile, or -errno.
int namespace_replace(int fd, const std::string& path, const EntryId& stale, EntryId* id, int backlog = -1);

// Removes the entry at `path` if it is still the one bound as `id`: the owner's
// clean-up. Call it before closing the bound socket: while the socket lives nobody else
// can take the entry over, so what is removed is the owner's own entry.
void namespace_unbind(const std::string& path, const EntryId& id);

// The socket address for a path from namespace_path, with its length for bind/connect.
// False if the path does not fit (it always does for namespace_path's).
bool namespace_address(const std::string& path, sockaddr_un* address, socklen_t* length);

// Holds an exclusive lock on the directory (its own open file description, so it also
// excludes other threads of this process) for the life of the object.
class DirectoryLock {
public:
    explicit DirectoryLock(const std::string& path)
    {
        size_t slash = path.rfind('/');
        std::string directory = path.substr(0, slash == std::string::npos ? 0 : slash);
        fd_ = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_ >= 0) {
            while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
            }
        }
    }
    ~DirectoryLock()
    {
        if (fd_ >= 0) close(fd_);
    }
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
    int fd_ = -1;
};

// The directory itself (Linux path), made and checked as above; for tests and messages.
DWORD namespace_directory(std::string* path);

}  // namespace overlapped::drivers
