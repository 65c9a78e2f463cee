// namespace.cpp: the per-user directory of pipe and mailslot names (namespace.h).
#include "drivers/namespace.h"

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwctype>
#include <fcntl.h>
#include <locale.h>
#include <mutex>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#include "common/utf8.h"

namespace overlapped::drivers {
namespace {

// ---- names ---------------------------------------------------------------------------

bool equal_folded(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// Decodes one UTF-8 sequence at s[*i]; a byte that does not start a valid sequence
// stands for itself (as U+DC80..U+DCFF, which folds to itself and encodes back to it).
uint32_t next_code_point(std::string_view s, size_t* i)
{
    unsigned char c = static_cast<unsigned char>(s[*i]);
    if (c < 0x80) {
        ++*i;
        return c;
    }
    int extra = c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    uint32_t cp = extra < 0 ? 0 : c & (0x3f >> extra);
    bool valid = extra > 0 && *i + extra < s.size();
    for (int k = 1; valid && k <= extra; ++k) {
        unsigned char d = static_cast<unsigned char>(s[*i + k]);
        valid = (d & 0xc0) == 0x80;
        cp = (cp << 6) | (d & 0x3f);
    }
    if (!valid || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (extra == 2 && cp < 0x800) ||
        (extra == 3 && cp < 0x10000)) {
        ++*i;
        return 0xdc00 + c;
    }
    *i += extra + 1;
    return cp;
}

// Appends `cp` as UTF-8, but an invalid byte next_code_point() kept (0xdc80-0xdcff) as
// the byte it was.
void append_name_utf8(std::string* out, uint32_t cp)
{
    if (cp >= 0xdc80 && cp <= 0xdcff)
        out->push_back(static_cast<char>(cp - 0xdc00));
    else
        overlapped::append_utf8(out, cp);
}

// Lower case, as Windows compares names (it upcases; either folds the same pairs for
// the letters that have one of each). Also counts UTF-16 units into *units.
std::string fold(std::string_view s, size_t* units)
{
    static locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        uint32_t cp = next_code_point(s, &i);
        *units += cp >= 0x10000 ? 2 : 1;
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
        } else if (utf8 != static_cast<locale_t>(0) && !(cp >= 0xdc80 && cp <= 0xdcff)) {
            cp = static_cast<uint32_t>(towlower_l(static_cast<wint_t>(cp), utf8));
        }
        append_name_utf8(&out, cp);
    }
    return out;
}

struct Split {
    std::string server;
    std::vector<std::string_view> parts;  // after the server, "." and ".." resolved
    bool raw = false;                     // \\?\: no normalisation
};

// Win32's normalisation of a "\\server\..." path: '/' is '\', empty, "." and ".."
// components resolved (".." never climbs above the server), as RtlDosPathNameToNtPathName
// does for every path but "\\?\" ones. False if `path` is not a UNC-like path.
bool split_path(std::string_view path, std::string* storage, Split* out)
{
    storage->assign(path);
    bool raw = storage->size() >= 4 && (*storage)[0] == '\\' && (*storage)[1] == '\\' && (*storage)[2] == '?' &&
               (*storage)[3] == '\\';
    if (!raw) {
        for (char& c : *storage) {
            if (c == '/') c = '\\';
        }
    }
    std::string_view s = *storage;
    if (s.size() < 3 || s[0] != '\\' || s[1] != '\\') return false;
    s.remove_prefix(2);
    size_t end = s.find('\\');
    if (end == 0 || end == std::string_view::npos) return false;
    out->server.assign(s.substr(0, end));
    out->raw = raw;
    s.remove_prefix(end + 1);
    out->parts.clear();
    while (true) {
        size_t next = s.find('\\');
        std::string_view part = s.substr(0, next);
        if (raw) {
            out->parts.push_back(part);
        } else if (part == "..") {
            if (!out->parts.empty()) out->parts.pop_back();
        } else if (!part.empty() && part != ".") {
            out->parts.push_back(part);
        }
        if (next == std::string_view::npos) break;
        s.remove_prefix(next + 1);
    }
    return true;
}

std::string_view kind_word(NameKind kind) { return kind == NameKind::Pipe ? "pipe" : "mailslot"; }

// ---- the directory ---------------------------------------------------------------------

std::mutex directory_lock;
std::string directory_path;  // the one directory_fd is open on
int directory_fd = -1;

std::string wanted_directory()
{
    if (const char* chosen = getenv("OVERLAPPED_NAMESPACE"); chosen != nullptr && chosen[0] == '/') return chosen;
    uid_t uid = geteuid();
    // Not $XDG_RUNTIME_DIR itself: a child given another environment must find the same
    // directory as its parent.
    char run[64];
    snprintf(run, sizeof run, "/run/user/%u", static_cast<unsigned>(uid));
    struct stat st;
    if (lstat(run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid && (st.st_mode & 077) == 0)
        return std::string(run) + "/overlapped";
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/overlapped-%u", static_cast<unsigned>(uid));
    return tmp;
}

// The directory's descriptor, made and checked; -1 with *error.
int open_directory(DWORD* error)
{
    std::string wanted = wanted_directory();
    std::lock_guard<std::mutex> guard(directory_lock);
    if (directory_fd >= 0 && wanted == directory_path) return directory_fd;
    if (mkdir(wanted.c_str(), 0700) != 0 && errno != EEXIST) {
        *error = errno == EACCES || errno == EPERM ? ERROR_ACCESS_DENIED : ERROR_PATH_NOT_FOUND;
        return -1;
    }
    int fd = open(wanted.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
        // Not a directory, a symbolic link, or someone else's: never used.
        if (fd >= 0) close(fd);
        *error = ERROR_ACCESS_DENIED;
        return -1;
    }
    if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) != 0) {
        close(fd);
        *error = ERROR_ACCESS_DENIED;
        return -1;
    }
    if (directory_fd >= 0) close(directory_fd);  // the environment named another one
    directory_fd = fd;
    directory_path = wanted;
    return fd;
}

// The leaf for a folded name: kind's letter, '-', the name with every byte outside
// [a-z0-9_-] as %xx; a name whose leaf would pass 72 bytes is hashed instead.
std::string leaf_for(NameKind kind, const std::string& name)
{
    std::string leaf(1, kind == NameKind::Pipe ? 'p' : 'm');
    leaf.push_back('-');
    static const char hex[] = "0123456789abcdef";
    for (unsigned char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
            leaf.push_back(static_cast<char>(c));
        } else {
            leaf.push_back('%');
            leaf.push_back(hex[c >> 4]);
            leaf.push_back(hex[c & 15]);
        }
        if (leaf.size() > 72) break;
    }
    if (leaf.size() <= 72) return leaf;
    // FNV-1a, twice with different offsets: 128 bits.
    uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
    for (unsigned char c : name) {
        a = (a ^ c) * 0x100000001b3ull;
        b = (b ^ c) * 0x100000001b3ull;
        b ^= b >> 29;
    }
    char hashed[40];
    snprintf(hashed, sizeof hashed, "%c#%016llx%016llx", kind == NameKind::Pipe ? 'p' : 'm',
             static_cast<unsigned long long>(a), static_cast<unsigned long long>(b));
    return hashed;
}

// Whether something still listens or receives at `path`: a connect of any socket type
// that is not refused.
bool entry_alive(const std::string& path)
{
    sockaddr_un address;
    socklen_t length;
    if (!namespace_address(path, &address, &length)) return false;
    for (int type : {SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM}) {
        int probe = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (probe < 0) return true;  // cannot tell: keep it
        int r = connect(probe, reinterpret_cast<sockaddr*>(&address), length);
        int error = r == 0 ? 0 : errno;
        close(probe);
        if (error == 0 || error == EAGAIN || error == EINPROGRESS) return true;
        if (error == ENOENT) return false;
        if (error != ECONNREFUSED && error != EPROTOTYPE) return true;
    }
    return false;
}

EntryId entry_id(const std::string& path)
{
    EntryId id;
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        id.inode = static_cast<unsigned long>(st.st_ino);
        id.changed_ns = static_cast<long long>(st.st_ctim.tv_sec) * 1000000000LL + st.st_ctim.tv_nsec;
    }
    return id;
}

}  // namespace

bool is_device_name(std::string_view path, NameKind* kind)
{
    std::string storage;
    Split split;
    if (!split_path(path, &storage, &split) || split.parts.size() < 2) return false;
    for (NameKind k : {NameKind::Pipe, NameKind::Mailslot}) {
        if (equal_folded(split.parts[0], kind_word(k))) {
            *kind = k;
            return true;
        }
    }
    return false;
}

DWORD parse_device_name(std::string_view path, NameKind kind, bool allow_broadcast, size_t max_length,
                        DeviceName* out)
{
    std::string storage;
    Split split;
    if (!split_path(path, &storage, &split) || split.parts.empty() || !equal_folded(split.parts[0], kind_word(kind)))
        return ERROR_INVALID_NAME;
    bool local = split.server == "." || (split.raw && split.server == "?");
    bool broadcast = kind == NameKind::Mailslot && split.server == "*";
    if (!local && !(broadcast && allow_broadcast)) return broadcast ? ERROR_INVALID_NAME : ERROR_BAD_NETPATH;
    std::string joined;
    for (size_t i = 1; i < split.parts.size(); ++i) {
        if (i > 1) joined.push_back('\\');
        joined.append(split.parts[i]);
    }
    if (joined.empty()) return ERROR_INVALID_NAME;
    size_t units = 2 + split.server.size() + 1 + kind_word(kind).size() + 1;
    out->name = fold(joined, &units);
    if (units > max_length) return ERROR_INVALID_NAME;
    out->kind = kind;
    out->broadcast = broadcast;
    return ERROR_SUCCESS;
}

bool namespace_address(const std::string& path, sockaddr_un* address, socklen_t* length)
{
    *address = sockaddr_un{};
    address->sun_family = AF_UNIX;
    if (path.size() >= sizeof address->sun_path) return false;
    memcpy(address->sun_path, path.data(), path.size());
    *length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    return true;
}

DWORD namespace_directory(std::string* path)
{
    DWORD error = ERROR_SUCCESS;
    if (open_directory(&error) < 0) return error;
    std::lock_guard<std::mutex> guard(directory_lock);
    *path = directory_path;
    return ERROR_SUCCESS;
}

DWORD namespace_path(const DeviceName& name, std::string_view suffix, std::string* path)
{
    DWORD error = ERROR_SUCCESS;
    int fd = open_directory(&error);
    if (fd < 0) return error;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "/proc/self/fd/%d/", fd);
    *path = prefix;
    path->append(leaf_for(name.kind, name.name));
    path->append(suffix.substr(0, 8));
    return ERROR_SUCCESS;
}

namespace {

// Under the directory's lock, after a bind: listens if asked, and the entry's identity.
int bound_entry(int fd, const std::string& path, EntryId* id, int backlog)
{
    if (backlog >= 0 && listen(fd, backlog) != 0) {
        int error = errno;
        unlink(path.c_str());  // ours: nobody else can bind there while the lock is held
        return -error;
    }
    *id = entry_id(path);
    return 0;
}

}  // namespace

int namespace_bind(int fd, const std::string& path, EntryId* id, int backlog)
{
    sockaddr_un address;
    socklen_t length;
    if (!namespace_address(path, &address, &length)) return -ENAMETOOLONG;
    DirectoryLock lock(path);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        if (errno != EADDRINUSE) return -errno;
        if (entry_alive(path)) return -EADDRINUSE;
        if (unlink(path.c_str()) != 0 && errno != ENOENT) return -errno;
        if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return -errno;
    }
    return bound_entry(fd, path, id, backlog);
}

EntryId namespace_entry(const std::string& path) { return entry_id(path); }

int namespace_replace(int fd, const std::string& path, const EntryId& stale, EntryId* id, int backlog)
{
    sockaddr_un address;
    socklen_t length;
    if (!namespace_address(path, &address, &length)) return -ENAMETOOLONG;
    DirectoryLock lock(path);
    EntryId now = entry_id(path);
    if (now.inode != 0 && (now.inode != stale.inode || now.changed_ns != stale.changed_ns)) return -EADDRINUSE;
    if (now.inode != 0 && unlink(path.c_str()) != 0 && errno != ENOENT) return -errno;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return -errno;
    return bound_entry(fd, path, id, backlog);
}

void namespace_unbind(const std::string& path, const EntryId& id)
{
    DirectoryLock lock(path);
    EntryId now = entry_id(path);
    if (id.inode != 0 && now.inode == id.inode && now.changed_ns == id.changed_ns) unlink(path.c_str());
}

}  // namespace overlapped::drivers
