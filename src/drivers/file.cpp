// file.cpp: the file driver's Linux side (see file.h).
#include "drivers/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <mutex>
#include <new>
#include <strings.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

#include "common/errors.h"
#include "drivers/dir_watch.h"
#include "drivers/disk.h"
#include "drivers/ioctl.h"
#include "engine/attempt.h"
#include "engine/interrupt.h"
#include "io/request.h"

namespace overlapped::drivers {
namespace {

constexpr ACCESS_MASK kReadRights = FILE_READ_DATA | FILE_EXECUTE;
constexpr ACCESS_MASK kWriteRights = FILE_WRITE_DATA | FILE_APPEND_DATA;

// How many times a file was cut (made smaller) in this process, counted once the cut is
// done: FileDevice::direct_read_length() asks again for a size it saw before the latest.
std::atomic<uint64_t> file_cuts{0};

uint64_t round_up(uint64_t value, uint32_t alignment) { return (value + alignment - 1) / alignment * alignment; }

bool wants_read(ACCESS_MASK access) { return access & (kReadRights | GENERIC_READ); }
bool wants_write(ACCESS_MASK access) { return access & (kWriteRights | GENERIC_WRITE); }
// FILE_APPEND_DATA without FILE_WRITE_DATA: every write lands at the end of the file,
// whatever the file pointer or OVERLAPPED offset says (O_APPEND).
bool append_only(ACCESS_MASK access) { return (access & FILE_APPEND_DATA) && !(access & FILE_WRITE_DATA); }

// ENOENT means a missing file, or a missing directory on the way (ERROR_PATH_NOT_FOUND).
DWORD error_for_missing(std::string path)
{
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return ERROR_FILE_NOT_FOUND;
    struct stat parent;
    if (stat(path.substr(0, slash).c_str(), &parent) != 0 || !S_ISDIR(parent.st_mode))
        return ERROR_PATH_NOT_FOUND;
    return ERROR_FILE_NOT_FOUND;
}

DWORD error_from_errno(int error, const std::string& path)
{
    if (error == ENOENT) return error_for_missing(path);
    if (error == ENOTDIR) return ERROR_PATH_NOT_FOUND;
    return win32_error_from_errno(error);
}

// ---- share modes: every open of the process, by file identity. Sharing is checked on
// the read/execute, write/append and delete rights only; an opener with none of them
// conflicts with nobody (Windows' rule).
struct Opener {
    const FileDevice* device;
    ACCESS_MASK access;
    DWORD share;
};
struct OpenFile {
    std::vector<Opener> openers;
    bool delete_on_close = false;
    std::string path;
    // Sections over the file (CreateFileMapping) and the views that keep them alive
    // (file_mapping_add): the file stays "user-mapped" while one remains.
    std::vector<FileMapping*> mappings;
};
std::mutex share_mutex;
std::map<std::pair<dev_t, ino_t>, OpenFile>* share_table = new std::map<std::pair<dev_t, ino_t>, OpenFile>();

bool shares_conflict(ACCESS_MASK access, DWORD share, const Opener& other)
{
    constexpr ACCESS_MASK relevant = kReadRights | kWriteRights | DELETE;
    if (!(access & relevant) || !(other.access & relevant)) return false;
    if ((other.access & kReadRights) && !(share & FILE_SHARE_READ)) return true;
    if ((other.access & kWriteRights) && !(share & FILE_SHARE_WRITE)) return true;
    if ((other.access & DELETE) && !(share & FILE_SHARE_DELETE)) return true;
    if ((access & kReadRights) && !(other.share & FILE_SHARE_READ)) return true;
    if ((access & kWriteRights) && !(other.share & FILE_SHARE_WRITE)) return true;
    if ((access & DELETE) && !(other.share & FILE_SHARE_DELETE)) return true;
    return false;
}

// Under share_mutex.
bool share_check(const OpenFile& file, ACCESS_MASK access, DWORD share)
{
    for (const Opener& other : file.openers)
        if (shares_conflict(access, share, other)) return false;
    // A section that may write the file holds it as a writer that shares everything,
    // even after the handle it was made from is closed: an open that does not share
    // writing fails, whatever its access (Wine's kernel32 test_file_sharing, which
    // passes on Windows). A read-only or copy-on-write section conflicts with nobody.
    if (!(share & FILE_SHARE_WRITE))
        for (const FileMapping* mapping : file.mappings)
            if (mapping->writable) return false;
    return true;
}

// The largest section over the file, or 0 (under share_mutex).
uint64_t mapped_extent(const OpenFile& file)
{
    uint64_t extent = 0;
    for (const FileMapping* mapping : file.mappings) extent = std::max(extent, mapping->size);
    return extent;
}

// ---- the drive map.
struct DriveMap {
    std::string roots[26];
    DriveMap()
    {
        if (const char* value = getenv("OVERLAPPED_DRIVES")) {
            parse_list(value);
        } else {
            std::string file;
            if (const char* config = getenv("XDG_CONFIG_HOME"))
                file = std::string(config) + "/overlapped/drives";
            else if (const char* home = getenv("HOME"))
                file = std::string(home) + "/.config/overlapped/drives";
            if (file.empty() || !parse_file(file)) parse_file("/etc/overlapped/drives");
        }
        if (roots['C' - 'A'].empty()) roots['C' - 'A'].assign(1, '/');
    }
    void add(const std::string& entry)
    {
        size_t start = entry.find_first_not_of(" \t");
        if (start == std::string::npos || entry[start] == '#') return;
        char letter = static_cast<char>(toupper(static_cast<unsigned char>(entry[start])));
        if (letter < 'A' || letter > 'Z') return;
        size_t at = entry.find_first_of("=:", start + 1);
        if (at == std::string::npos) return;
        size_t path_start = entry.find_first_not_of(" \t=:", at);
        if (path_start == std::string::npos) return;
        size_t path_end = entry.find_last_not_of(" \t\r\n");
        roots[letter - 'A'] = entry.substr(path_start, path_end - path_start + 1);
    }
    void parse_list(const std::string& list)
    {
        size_t start = 0;
        while (start <= list.size()) {
            size_t end = list.find(';', start);
            if (end == std::string::npos) end = list.size();
            add(list.substr(start, end - start));
            start = end + 1;
        }
    }
    bool parse_file(const std::string& name)
    {
        std::ifstream in(name);
        if (!in) return false;
        std::string line;
        while (std::getline(in, line)) add(line);
        return true;
    }
};

const DriveMap& drive_map()
{
    static const DriveMap* map = new DriveMap();
    return *map;
}

uint32_t direct_io_alignment(int descriptor)
{
#ifdef STATX_DIOALIGN
    struct statx info;
    if (statx(descriptor, "", AT_EMPTY_PATH, STATX_DIOALIGN, &info) == 0 && (info.stx_mask & STATX_DIOALIGN) &&
        info.stx_dio_offset_align != 0)
        return info.stx_dio_offset_align < 512 ? 512 : info.stx_dio_offset_align;
#endif
    (void)descriptor;
    return 512;
}

void filetime_from(const timespec& time, FILETIME* out)
{
    // 100 ns units since 1601-01-01.
    unsigned long long ticks = (static_cast<unsigned long long>(time.tv_sec) + 11644473600ULL) * 10000000ULL +
                               static_cast<unsigned long long>(time.tv_nsec) / 100;
    out->dwLowDateTime = static_cast<DWORD>(ticks);
    out->dwHighDateTime = static_cast<DWORD>(ticks >> 32);
}

DWORD attributes_from(const struct stat& status)
{
    DWORD attributes = 0;
    if (S_ISDIR(status.st_mode)) attributes |= FILE_ATTRIBUTE_DIRECTORY;
    if (!(status.st_mode & 0222)) attributes |= FILE_ATTRIBUTE_READONLY;
    if (attributes == 0) attributes = S_ISREG(status.st_mode) ? FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_NORMAL;
    return attributes;
}

}  // namespace

// The rest of Windows' trimming (Microsoft Learn, "File path formats on Windows systems",
// Trim characters: "If a segment ends in a single period, that period is removed"): a
// segment followed by a separator loses the one period it ends in ("a.\b" is "a\b", as
// Wine's kernel32 directory.c test_CreateDirectoryA records on Windows: "Please Remove
// Me.\Please Remove Me" is made inside "Please Remove Me"); two or more periods, "." and
// "..", and the last segment (trimmed of all its periods and spaces before) are left.
static std::string drop_single_trailing_periods(const std::string& path)
{
    std::string out;
    out.reserve(path.size());
    size_t start = 0;
    while (start < path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) {
            out.append(path, start, std::string::npos);
            break;
        }
        size_t length = end - start;
        if (length >= 2 && path[end - 1] == '.' && path[end - 2] != '.') --length;
        out.append(path, start, length);
        out += '/';
        start = end + 1;
    }
    return out;
}

// Windows' path normalization of "." and ".." (RtlGetFullPathName_U, as GetFullPathName
// shows): by the text, not the disk. "a\b\..\c" is "a\c" whether or not b exists or is a
// file, a link's ".." is its own directory's parent, and no ".." climbs above the root (of
// a drive: "C:\..\x" is "C:\x"). Empty components go too; a leading "..", which climbs out
// of the current directory, stays (Linux takes it the same way), and so does a trailing
// separator ("dir\" must still be a directory).
std::string collapse_dots(const std::string& path)
{
    bool absolute = !path.empty() && path[0] == '/';
    bool trailing = path.size() > 1 && path.back() == '/';
    std::vector<std::string> kept;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!kept.empty() && kept.back() != "..") kept.pop_back();
            else if (!absolute) kept.push_back(part);
            continue;
        }
        kept.push_back(part);
    }
    std::string out = absolute ? "/" : "";
    for (size_t i = 0; i < kept.size(); ++i) {
        if (i != 0) out += '/';
        out += kept[i];
    }
    if (out.empty()) return ".";  // "a\.." and "." alone: the current directory
    if (trailing && out.back() != '/') out += '/';
    return out;
}

std::string drive_root(char letter)
{
    int index = toupper(static_cast<unsigned char>(letter)) - 'A';
    if (index < 0 || index >= 26) return std::string();
    return drive_map().roots[index];
}

bool current_directory_below(const std::string& root, std::string* inside)
{
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == nullptr) return false;
    std::string current(cwd), base(root);
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (!base.empty() && (current.compare(0, base.size(), base) != 0 ||
                          (current.size() > base.size() && current[base.size()] != '/')))
        return false;
    size_t start = base.size();
    while (start < current.size() && current[start] == '/') ++start;
    inside->assign(current, start, std::string::npos);
    return true;
}

DWORD file_linux_path(const std::string& windows_path, std::string* linux_path)
{
    std::string path = windows_path;
    if (path.empty()) return ERROR_PATH_NOT_FOUND;
    bool verbatim = path.compare(0, 4, "\\\\?\\") == 0 || path.compare(0, 4, "//?/") == 0;
    if (verbatim) path.erase(0, 4);
    // The prefix alone names nothing (NT's "\??\" with no name: STATUS_OBJECT_NAME_INVALID;
    // Wine's kernel32 file.c test_GetFileAttributesExW, on Windows).
    if (verbatim && path.empty()) return ERROR_INVALID_NAME;
    if (strcasecmp(path.c_str(), "NUL") == 0 || strcasecmp(path.c_str(), "\\\\.\\NUL") == 0) {
        *linux_path = "/dev/null";  // the null device, whatever the directory
        return ERROR_SUCCESS;
    }
    if ((path.compare(0, 4, "\\\\.\\") == 0 || path.compare(0, 4, "//./") == 0) && path.size() >= 7 &&
        isalpha(static_cast<unsigned char>(path[4])) && path[5] == ':' && (path[6] == '\\' || path[6] == '/'))
        path.erase(0, 4);  // "\\.\C:\dir": a DOS device path to a file on C:, normalized as "C:\dir" is
    else if (path.compare(0, 4, "\\\\.\\") == 0)
        return ERROR_FILE_NOT_FOUND;  // devices: none yet
    if (path.compare(0, 2, "\\\\") == 0) return ERROR_BAD_NETPATH;        // UNC shares
    if (path.find_first_of("*?<>|\"") != std::string::npos) return ERROR_INVALID_NAME;
    std::string prefix, guid;
    size_t volume_name = verbatim ? volume_guid_name(windows_path, &guid) : 0;
    if (volume_name != 0 && (windows_path.size() == volume_name || windows_path[volume_name] == '\\' ||
                             windows_path[volume_name] == '/')) {
        // "\\?\Volume{guid}\rest": the rest on the volume's root (docs/paths.md).
        Volume volume;
        if (!volume_by_guid(guid, &volume)) return ERROR_PATH_NOT_FOUND;
        prefix = volume.root == "/" ? std::string() : volume.root;
        path.assign(windows_path, volume_name, std::string::npos);
        if (path.empty()) path.assign(1, '/');
    } else if (path.size() >= 2 && path[1] == ':' && isalpha(static_cast<unsigned char>(path[0]))) {
        const std::string& root = drive_map().roots[toupper(static_cast<unsigned char>(path[0])) - 'A'];
        if (root.empty()) return ERROR_PATH_NOT_FOUND;
        prefix = root;
        path.erase(0, 2);
        if (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
        if (!verbatim && (path.empty() || (path[0] != '\\' && path[0] != '/'))) {
            // Drive-relative ("C:", "C:x"): Windows takes it against the drive's current
            // directory. That is the current directory when it lies under the drive's root
            // (as GetFullPathName resolves it); else the root (no per-drive directories).
            std::string inside;
            if (!current_directory_below(prefix.empty() ? "/" : prefix, &inside)) inside.clear();
            path = (inside.empty() ? std::string() : "/" + inside) + "/" + path;
        } else if (path.empty() || (path[0] != '\\' && path[0] != '/')) {
            path = "/" + path;
        }
    }
    if (path.find(':') != std::string::npos) return ERROR_INVALID_NAME;  // streams, stray drive letters
    for (char& c : path)
        if (c == '\\') c = '/';
    if (!verbatim) {
        // Windows' path normalization (as GetFullPathName): trailing dots and spaces of
        // the last component are dropped ("x.txt." and "x.txt " name "x.txt"), except
        // from a last component "." or "..", which collapse_dots then takes as a step;
        // "\\?\" names are as given.
        size_t slash = path.find_last_of('/');
        size_t begin = slash == std::string::npos ? 0 : slash + 1;
        std::string last = path.substr(begin);
        if (last != "." && last != ".." && !last.empty() && (last.back() == '.' || last.back() == ' ')) {
            size_t end = path.size();
            while (end > begin && (path[end - 1] == '.' || path[end - 1] == ' ')) --end;
            path.erase(end);
            if (path.empty() && prefix.empty()) path.assign(1, '.');  // " " alone: the current directory
        }
        path = drop_single_trailing_periods(path);
        path = collapse_dots(path);
    }
    *linux_path = prefix + path;
    if (linux_path->empty()) linux_path->assign(1, '/');
    return ERROR_SUCCESS;
}

FileDevice* FileDevice::open(const std::string& path, ACCESS_MASK access, DWORD share, DWORD disposition,
                             DWORD flags, bool* existed, DWORD* error)
{
    *existed = false;
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
        *error = ERROR_INVALID_PARAMETER;
        return nullptr;
    }
    // TRUNCATE_EXISTING needs GENERIC_WRITE itself (the caller passes it on).
    if (disposition == TRUNCATE_EXISTING && !(access & GENERIC_WRITE)) {
        *error = ERROR_INVALID_PARAMETER;
        return nullptr;
    }
    access = io::map_generic_file_access(access);
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) access |= DELETE;
    bool read = wants_read(access), write = wants_write(access);
    int mode = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    int base = mode | O_CLOEXEC | O_NOCTTY;
    if (flags & FILE_FLAG_WRITE_THROUGH) base |= O_DSYNC;
    if (flags & FILE_FLAG_OPEN_REPARSE_POINT) base |= O_NOFOLLOW;
    if (append_only(access)) base |= O_APPEND;  // io_uring honours O_APPEND too
    mode_t create_mode = (flags & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;

    int descriptor = -1;
    bool created = false;
    // Open without truncating: the share check comes first, and a file another handle
    // holds without FILE_SHARE_WRITE must not lose its contents.
    switch (disposition) {
    case CREATE_NEW:
        descriptor = ::open(path.c_str(), base | O_CREAT | O_EXCL, create_mode);
        created = descriptor >= 0;
        break;
    case OPEN_EXISTING:
    case TRUNCATE_EXISTING:
        descriptor = ::open(path.c_str(), base);
        break;
    case CREATE_ALWAYS:
    case OPEN_ALWAYS:
        for (int attempt = 0; attempt < 8 && descriptor < 0; ++attempt) {
            descriptor = ::open(path.c_str(), base);
            if (descriptor >= 0) {
                *existed = true;
                break;
            }
            if (errno != ENOENT) break;
            descriptor = ::open(path.c_str(), base | O_CREAT | O_EXCL, create_mode);
            created = descriptor >= 0;
            if (descriptor < 0 && errno != EEXIST) break;
        }
        break;
    }
    // FILE_FLAG_OPEN_REPARSE_POINT opens a symbolic link itself (O_PATH: for its reparse
    // data, FSCTL_GET_REPARSE_POINT; drivers/ioctl.cpp), not the file it names.
    if (descriptor < 0 && (errno == ELOOP || errno == EMLINK) && (flags & FILE_FLAG_OPEN_REPARSE_POINT) &&
        (disposition == OPEN_EXISTING || disposition == OPEN_ALWAYS))
        descriptor = ::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    // A directory opens (with FILE_FLAG_BACKUP_SEMANTICS) only to be opened: creating it
    // anew or truncating it is a name collision (STATUS_OBJECT_NAME_COLLISION, which
    // CreateFile reports as ERROR_FILE_EXISTS).
    bool opens_only = disposition == OPEN_EXISTING || disposition == OPEN_ALWAYS;
    if (descriptor < 0 && errno == EISDIR && (flags & FILE_FLAG_BACKUP_SEMANTICS) && opens_only) {
        descriptor = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // a directory handle
        if (descriptor >= 0) *existed = true;
    }
    if (descriptor < 0) {
        int e = errno;
        struct stat status;
        if (e == EEXIST && stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode))
            // CREATE_NEW on a directory: a name collision for a directory open
            // (FILE_FLAG_BACKUP_SEMANTICS), else a directory where a file is wanted,
            // ERROR_ACCESS_DENIED as for the other dispositions (Wine's kernel32
            // test_CreateFile, which passes on Windows; todo_wine in Wine 8).
            *error = (flags & FILE_FLAG_BACKUP_SEMANTICS) ? ERROR_FILE_EXISTS : ERROR_ACCESS_DENIED;
        else if (e == EISDIR && path.size() > 1 && path.back() == '/' && lstat(path.c_str(), &status) != 0)
            // A file to be made under a name ending in a separator ("new"): Linux says
            // EISDIR; the file systems of Windows refuse the name itself
            // (STATUS_OBJECT_NAME_INVALID: WinFsp's create test run on NTFS, CREATE_NEW;
            // Wine 8 answers so for CREATE_NEW, CREATE_ALWAYS and OPEN_ALWAYS).
            *error = ERROR_INVALID_NAME;
        else if (e == EISDIR)
            *error = (flags & FILE_FLAG_BACKUP_SEMANTICS) && !opens_only ? ERROR_FILE_EXISTS : ERROR_ACCESS_DENIED;
        else
            *error = error_from_errno(e, path);
        return nullptr;
    }
    auto fail = [&](DWORD code) -> FileDevice* {
        if (created) unlink(path.c_str());
        ::close(descriptor);
        *error = code;
        return nullptr;
    };
    struct stat status;
    if (fstat(descriptor, &status) != 0) return fail(win32_error_from_errno(errno));
    if (S_ISDIR(status.st_mode) && !(flags & FILE_FLAG_BACKUP_SEMANTICS)) return fail(ERROR_ACCESS_DENIED);
    if (S_ISDIR(status.st_mode) && !opens_only) return fail(ERROR_FILE_EXISTS);  // CREATE_ALWAYS read-only
    // The read-only attribute holds even for root, who Linux lets write anything. It
    // refuses the rights to write data, not DELETE (a read-only file may be renamed
    // through a handle; deleting it is refused when asked for): FILE_FLAG_DELETE_ON_CLOSE
    // fails the open with STATUS_CANNOT_DELETE, as fastfat's FatCheckFileAccess and
    // create path do (Windows-driver-samples filesys/fastfat).
    if (!created && S_ISREG(status.st_mode) && !(status.st_mode & 0222) &&
        (write || (flags & FILE_FLAG_DELETE_ON_CLOSE)))
        return fail(ERROR_ACCESS_DENIED);

    FileDevice* device = kernel::Pool<FileDevice>::instance().acquire();
    {
        std::lock_guard<std::mutex> guard(share_mutex);
        OpenFile& file = (*share_table)[{status.st_dev, status.st_ino}];
        DWORD refused = ERROR_SUCCESS;
        if (!share_check(file, access, share))
            refused = ERROR_SHARING_VIOLATION;
        else if (!file.mappings.empty() &&
                 (disposition == TRUNCATE_EXISTING || (disposition == CREATE_ALWAYS && *existed)))
            refused = ERROR_USER_MAPPED_FILE;  // a mapped file is not cut (Wine's test_file_sharing)
        if (refused != ERROR_SUCCESS) {
            if (file.openers.empty() && file.mappings.empty()) share_table->erase({status.st_dev, status.st_ino});
            kernel::Pool<FileDevice>::instance().release(device);
            return fail(refused);
        }
        file.openers.push_back({device, access, share});
        // FILE_FLAG_DELETE_ON_CLOSE belongs to this handle: its close marks the file for
        // deletion (last_handle_closed), so a FileDispositionInfo of FALSE before then
        // does not undo it (Wine's ntdll file.c test_file_disposition_information, which
        // passes on Windows; fastfat sets the file's flag from the handle's at cleanup).
        if (flags & FILE_FLAG_DELETE_ON_CLOSE) file.path = path;
    }
    // (A cut that fails is reported by the first write.)
    if (disposition == TRUNCATE_EXISTING || (disposition == CREATE_ALWAYS && *existed))
        if (ftruncate(descriptor, 0) == 0) file_cuts.fetch_add(1, std::memory_order_release);

    // Reads do not update a file's last-access time, as on Windows, where NTFS keeps
    // last-access updates off by default (docs/research/windows-fast-path.md): O_NOATIME,
    // which Linux allows the file's owner (and root), also spares every read the
    // kernel's access-time check. F_SETFL takes only the status flags; the others in
    // `base` are ignored.
    uid_t self = geteuid();
    bool no_atime = S_ISREG(status.st_mode) && (self == 0 || status.st_uid == self);
    int status_flags = (base & O_APPEND) | (no_atime ? O_NOATIME : 0);
    if (no_atime && fcntl(descriptor, F_SETFL, status_flags) != 0) status_flags &= ~O_NOATIME;
    bool direct = false;
    if (flags & FILE_FLAG_NO_BUFFERING) {
        // Some file systems (tmpfs) refuse O_DIRECT: the handle then stays buffered,
        // with the same alignment rules (docs/deviations.md).
        direct = fcntl(descriptor, F_SETFL, status_flags | O_DIRECT) == 0;
    }
    if (flags & FILE_FLAG_SEQUENTIAL_SCAN) posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (flags & FILE_FLAG_RANDOM_ACCESS) posix_fadvise(descriptor, 0, 0, POSIX_FADV_RANDOM);

    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->descriptor_ = descriptor;
    device->flags_ = flags;
    device->access_ = access;
    device->share_ = share;
    device->device_ = status.st_dev;
    device->inode_ = status.st_ino;
    device->alignment_ = (flags & FILE_FLAG_NO_BUFFERING) ? direct_io_alignment(descriptor) : 1;
    device->kind_ = S_ISREG(status.st_mode) || S_ISBLK(status.st_mode)
                        ? (direct ? engine::OpKind::DirectFile : engine::OpKind::File)
                        : engine::OpKind::Stream;
    device->in_share_table_ = true;
    device->is_directory_ = S_ISDIR(status.st_mode);
    device->own_description_ = true;
    device->nowait_refused_.store(0, std::memory_order_relaxed);
    device->reset_handle_state();
    device->locks_closed_.store(false, std::memory_order_relaxed);
    device->fast_io = device->fast_io_allowed();
    device->lock.unlock();
    return device;
}

FileDevice* FileDevice::adopt(int descriptor, ACCESS_MASK access, DWORD flags, DWORD* error)
{
    struct stat status;
    if (fstat(descriptor, &status) != 0) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    int fd_flags = fcntl(descriptor, F_GETFD);
    if (fd_flags >= 0) fcntl(descriptor, F_SETFD, fd_flags | FD_CLOEXEC);
    FileDevice* device = kernel::Pool<FileDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->descriptor_ = descriptor;
    device->flags_ = flags & FILE_FLAG_OVERLAPPED;
    device->access_ = access;
    device->share_ = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    device->device_ = status.st_dev;
    device->inode_ = status.st_ino;
    device->alignment_ = 1;
    device->kind_ = S_ISREG(status.st_mode) || S_ISBLK(status.st_mode) ? engine::OpKind::File : engine::OpKind::Stream;
    device->in_share_table_ = false;
    device->is_directory_ = S_ISDIR(status.st_mode);
    device->own_description_ = false;
    device->nowait_refused_.store(0, std::memory_order_relaxed);
    device->reset_handle_state();
    device->locks_closed_.store(false, std::memory_order_relaxed);
    device->fast_io = device->fast_io_allowed();
    device->lock.unlock();
    return device;
}

DWORD FileDevice::check_alignment(const io::Transfer& transfer) const
{
    if (alignment_ <= 1) return ERROR_SUCCESS;
    uint32_t mask = alignment_ - 1;
    if ((transfer.length & mask) || (transfer.offset & mask)) return ERROR_INVALID_PARAMETER;
    if (transfer.segments == nullptr && (reinterpret_cast<uintptr_t>(transfer.buffer) & mask))
        return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

uint64_t FileDevice::transfer_offset(const io::Transfer& transfer) const
{
    if (!transfer.append) return transfer.offset;
    struct stat status;
    return fstat(descriptor_, &status) == 0 ? static_cast<uint64_t>(status.st_size) : 0;
}

// Linux fills a direct read's buffer past the end of the file with zeros (the rest of
// the request is a hole to it) and counts only the bytes before the end; NTFS stops its
// non-cached read at the sector that holds the end, and the caller's memory after that is
// left as it was (Wine's kernel32 test_WriteFileGather, which passes on Windows: a
// ReadFileScatter of two pages with one left in the file leaves the second page alone).
// So the read asks for no more than that.
//
// The size is kept between reads: a file only shrinks by a cut (SetEndOfFile, the end of
// file or allocation set smaller, an open that truncates), and every cut in this process
// counts in file_cuts once done, which makes every handle's kept size stale. A size that
// is too small (the file grew since: a write through any handle, or another process)
// costs one fstat when a read would cross it. Left: another process's cut is not seen
// until a read crosses the size kept; a read meanwhile past the new end and before the
// old one gets the right count, but the buffer past that sector may be zeroed.
uint32_t FileDevice::direct_read_length(uint64_t offset, uint32_t length) const
{
    if (kind_ != engine::OpKind::DirectFile) return length;
    uint64_t wanted_end = offset + length;
    uint64_t cuts = file_cuts.load(std::memory_order_acquire);
    {
        LockGuard guard(known_size_lock_);
        if (known_size_cuts_ == cuts && wanted_end <= round_up(known_size_, alignment_)) return length;
    }
    struct stat status;
    if (fstat(descriptor_, &status) != 0 || status.st_size < 0) return length;
    uint64_t size = static_cast<uint64_t>(status.st_size);
    {
        LockGuard guard(known_size_lock_);
        if (cuts >= known_size_cuts_) {  // not one seen before a cut another thread saw
            known_size_ = size;
            known_size_cuts_ = cuts;
        }
    }
    if (offset >= size) return length;  // at or past the end: the kernel reads nothing
    uint64_t end = round_up(size, alignment_);
    return wanted_end > end ? static_cast<uint32_t>(end - offset) : length;
}

DWORD FileDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    engine::Op* op = &request->op;
    if (descriptor_ < 0) return ERROR_INVALID_HANDLE;
    if (is_ioctl(transfer))  // DeviceIoControl (drivers/ioctl.h)
    {
        ioctl_prepare(*static_cast<const IoctlRequest*>(transfer.driver_request), request, plan);
        return ERROR_SUCCESS;
    }
    if (transfer.driver_request != nullptr && static_cast<const LockRequest*>(transfer.driver_request)->tag == kLockTag)
        return lock_prepare(transfer, request, plan);  // LockFileEx
    if (transfer.driver_request != nullptr)  // ReadDirectoryChangesW
        return watch_ != nullptr ? watch_->prepare(transfer, request, plan) : ERROR_INVALID_PARAMETER;
    // A directory takes no reads or writes: the file system refuses them at once
    // (STATUS_INVALID_DEVICE_REQUEST), pending change requests or not.
    if (is_directory_) return ERROR_INVALID_FUNCTION;
    ioctl_clear(request);
    if (DWORD error = check_alignment(transfer)) return error;
    if (locks::any_held())
        if (DWORD error = check_locks(transfer_offset(transfer), transfer.length, transfer.write)) return error;
    uint32_t length = transfer.write ? transfer.length : direct_read_length(transfer.offset, transfer.length);
    if (transfer.segments != nullptr) {
        op->code = transfer.write ? engine::OpCode::WriteVector : engine::OpCode::ReadVector;
        // The vectors are the request's own (io::submit made them, a page each): a read
        // cut short at the end of the file ends with the page that holds it.
        auto* vectors = static_cast<iovec*>(transfer.buffer);
        op->vectors = vectors;
        op->length = (length + 4095) / 4096;
        if (length < transfer.length && op->length > 0)
            vectors[op->length - 1].iov_len = length - (op->length - 1) * 4096;
    } else {
        op->code = transfer.write ? engine::OpCode::Write : engine::OpCode::Read;
        op->buffer = transfer.buffer;
        op->length = length;
    }
    op->descriptor = descriptor_;
    op->offset = transfer.append ? 0 : transfer.offset;
    // A write at the end of the file (FILE_WRITE_TO_END_OF_FILE) appends when it runs,
    // as NTFS places it under its lock: RWF_APPEND, at no offset, moves no file pointer.
    op->flags = transfer.append ? RWF_APPEND : 0;
    op->kind = kind_;
    // The fast path (docs/design.md): a buffered transfer is first tried in the calling
    // thread with RWF_NOWAIT, which the kernel does only if it need not wait (the data is
    // in the page cache); one that would wait goes to the engine. Direct (unbuffered)
    // transfers always go to the engine, as FILE_FLAG_NO_BUFFERING requests pend on
    // Windows. A stream is tried only when nothing else is in progress on it, so that
    // requests cannot overtake one another, and only on its own open file description
    // (a stream that refuses RWF_NOWAIT is made non-blocking for good).
    uint8_t direction = transfer.write ? 2 : 1;
    if (kind_ == engine::OpKind::File)
        plan->attempt_now = transfer.segments == nullptr &&
                            (nowait_refused_.load(std::memory_order_relaxed) & direction) == 0;
    else if (kind_ == engine::OpKind::Stream)
        plan->attempt_now = own_description_ && requests == nullptr;
    return ERROR_SUCCESS;
}

io::Next FileDevice::step(io::Request* request, io::Outcome* outcome)
{
    engine::Op* op = &request->op;
    // Only a directory's change watch and a lock that waits poll.
    if (op->code == engine::OpCode::Poll)
        return is_directory_ ? watch_->step(request, outcome) : lock_step(request, outcome);
    // A control (never Poll): its work, now, without the lock. The descriptor stays
    // open while the request holds the device.
    if (ioctl_step(request, outcome, [&](const IoctlRequest& control) { return file_ioctl(descriptor_, control); }))
        return io::Next::Done;
    if (op->result == -EFAULT) {
        // Memory the kernel cannot copy, as in transfer_sync(): a read's buffer is what the
        // I/O manager's probe refuses (ERROR_NOACCESS), a write's what the file system's
        // copy does (ERROR_INVALID_USER_BUFFER); nothing counts as transferred.
        outcome->status = ntstatus_from_win32_error(request->write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS);
        outcome->bytes = 0;
        return io::Next::Done;
    }
    if (request->attempted && op->result == -EOPNOTSUPP) {
        // The file system does not take RWF_NOWAIT (ext4 and tmpfs refuse it for buffered
        // writes, tmpfs for reads too): this request, and every later one of the same
        // direction, goes to the engine.
        if (kind_ == engine::OpKind::File)
            nowait_refused_.fetch_or(request->write ? 2 : 1, std::memory_order_relaxed);
        return io::Next::Engine;
    }
    // Linux moves at most MAX_RW_COUNT (2 GiB - 4 KiB) in one call; a request for more
    // stops there, the end of the file or not (an unbuffered one too, at an aligned place).
    constexpr uint32_t kMaxRwCount = 0x7ffff000;
    bool capped = op->result == static_cast<int>(kMaxRwCount) && op->length > kMaxRwCount &&
                  (kind_ == engine::OpKind::File || kind_ == engine::OpKind::DirectFile);
    if ((capped || (request->attempted && kind_ == engine::OpKind::File)) && !request->write &&
        op->code == engine::OpCode::Read && op->result >= 0 && static_cast<uint32_t>(op->result) < op->length) {
        // A read tried without waiting stopped short: at the end of the file, or where
        // the page cache stops; or the kernel's limit cut it. The engine reads the rest
        // (or finds the end), so that the request ends as a pending one does: the full
        // count unless the file ends first, and a read at the end reported by its
        // completion (ERROR_HANDLE_EOF through the OVERLAPPED, the event and the port),
        // as Windows 8 and later report it.
        request->done += static_cast<uint32_t>(op->result);
        op->buffer = static_cast<char*>(op->buffer) + op->result;
        op->length -= static_cast<uint32_t>(op->result);
        op->offset += static_cast<uint32_t>(op->result);
        return io::Next::Engine;
    }
    return Device::step(request, outcome);
}

bool FileDevice::fast_io_allowed() const
{
    // A buffered file (not NO_BUFFERING's alignment rules, not a directory, not a stream).
    return kind_ == engine::OpKind::File && alignment_ == 1 && !is_directory_;
}

bool FileDevice::fast_transfer(const io::Transfer& transfer, io::FastIo* io)
{
    // `fast_io` is set for buffered files only (open, adopt): NO_BUFFERING requests
    // pend, as on Windows. An append-only handle's writes land at the end whatever the
    // offset: they take the request path, as do transfers of nothing.
    io->result = kNotTried;
    uint8_t direction = transfer.write ? 2 : 1;
    if (transfer.length == 0 || (nowait_refused_.load(std::memory_order_relaxed) & direction) != 0) return false;
    if (transfer.write && (append_only(access_) || transfer.append)) return false;
    if (locks::any_held() && check_locks(transfer.offset, transfer.length, transfer.write) != ERROR_SUCCESS) {
        io->status = STATUS_FILE_LOCK_CONFLICT;  // fails at once
        io->bytes = 0;
        return true;
    }
    int result = engine::attempt_at(descriptor_, transfer.write, transfer.buffer, transfer.length, transfer.offset);
    io->result = result;
    // Anything short of the whole transfer (the page cache or the file ends, the file
    // system refuses RWF_NOWAIT) goes on as the request's first attempt (step()).
    if (result < 0 || static_cast<DWORD>(result) != transfer.length) return false;
    io->status = STATUS_SUCCESS;
    io->bytes = static_cast<DWORD>(result);
    return true;
}

DWORD FileDevice::transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done)
{
    *done = 0;
    if (is_directory_) return ERROR_INVALID_FUNCTION;  // as prepare()
    if (DWORD error = check_alignment(transfer)) return error;
    off_t offset = static_cast<off_t>(transfer.offset);
    if (!at_offset || transfer.append) {
        offset = lseek(descriptor_, 0, SEEK_CUR);
        if (offset < 0) offset = 0;  // pipes and character devices: no position
    }
    // An append-only handle writes through write(2), which appends and leaves the file
    // pointer at the new end (pwrite on an O_APPEND descriptor appends as well, but the
    // pointer would then be set from the ignored offset). A write at the end of the file
    // (FILE_WRITE_TO_END_OF_FILE) appends with RWF_APPEND at the file pointer's position
    // (-1), which leaves the pointer at the new end too, as Windows does.
    bool appending = transfer.write && (append_only(access_) || transfer.append);
    bool positioned = !appending && lseek(descriptor_, 0, SEEK_CUR) >= 0;
    if (locks::any_held())
        if (DWORD error = check_locks(appending ? transfer_offset(transfer) : static_cast<uint64_t>(offset),
                                      transfer.length, transfer.write))
            return error;
    DWORD total = 0;
    DWORD error = ERROR_SUCCESS;
    bool bad_buffer = false;
    char* buffer = static_cast<char*>(transfer.buffer);
    DWORD wanted = transfer.write ? transfer.length : direct_read_length(static_cast<uint64_t>(offset), transfer.length);
    while (total < wanted) {
        ssize_t n;
        if (positioned) {
            n = transfer.write ? pwrite(descriptor_, buffer + total, wanted - total, offset + total)
                               : pread(descriptor_, buffer + total, wanted - total, offset + total);
        } else if (transfer.append) {
            iovec rest{buffer + total, wanted - total};
            n = pwritev2(descriptor_, &rest, 1, -1, RWF_APPEND);
        } else
            n = transfer.write ? ::write(descriptor_, buffer + total, wanted - total)
                               : ::read(descriptor_, buffer + total, wanted - total);
        if (n < 0 && errno == EINTR && !io::sync_io_cancelled()) continue;
        if (n < 0 && errno == EINTR) {
            error = ERROR_OPERATION_ABORTED;  // CancelSynchronousIo
            break;
        }
        if (n < 0 && errno == EFAULT) {
            // Memory the kernel cannot copy: a read's buffer is refused by the I/O
            // manager's probe (ERROR_NOACCESS), a write's by the file system's copy
            // (ERROR_INVALID_USER_BUFFER); either way nothing counts as transferred and the
            // file pointer stays (Wine's kernel32 test_read_write, which passes on Windows).
            error = transfer.write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS;
            bad_buffer = true;
            total = 0;
            break;
        }
        if (n < 0) {
            error = win32_error_from_errno(errno);
            break;
        }
        if (n == 0) break;  // end of file
        total += static_cast<DWORD>(n);
        // A read returns what one call gives, but a file's read that stops short of the
        // count before the end of the file stopped at memory it could not fill: the next
        // call finds that fault (EFAULT) or the end.
        if (!transfer.write && !positioned) break;
    }
    if (positioned && !bad_buffer && (total != 0 || at_offset)) lseek(descriptor_, offset + total, SEEK_SET);
    keep_frozen_times();
    *done = total;
    if (error == ERROR_SUCCESS && at_offset && !transfer.write && total == 0 && transfer.length != 0)
        return ERROR_HANDLE_EOF;
    return error;
}

DWORD seek_descriptor(int descriptor, LONGLONG distance, DWORD method, LONGLONG end, LONGLONG* position)
{
    LONGLONG base;
    switch (method) {
    case FILE_BEGIN: base = 0; break;
    case FILE_CURRENT: base = lseek(descriptor, 0, SEEK_CUR); break;
    case FILE_END: base = end; break;
    default: return ERROR_INVALID_PARAMETER;
    }
    if (base < 0) return win32_error_from_errno(errno);
    LONGLONG target = base + distance;
    if (target < 0) return ERROR_NEGATIVE_SEEK;
    if (lseek(descriptor, static_cast<off_t>(target), SEEK_SET) < 0) return win32_error_from_errno(errno);
    *position = target;
    return ERROR_SUCCESS;
}

DWORD FileDevice::seek(LONGLONG distance, DWORD method, LONGLONG* position)
{
    LONGLONG end = 0;  // the file's size, read only when it counts
    if (method == FILE_END) {
        struct stat status;
        if (fstat(descriptor_, &status) != 0) return win32_error_from_errno(errno);
        end = status.st_size;
    }
    if (alignment_ > 1 && (method == FILE_BEGIN || method == FILE_CURRENT || method == FILE_END)) {
        // FILE_FLAG_NO_BUFFERING: the pointer moves only to multiples of the sector size;
        // any other position fails with ERROR_INVALID_PARAMETER and the pointer stays
        // (Microsoft Learn, SetFilePointerEx; the I/O manager checks the new position of
        // a file opened without intermediate buffering).
        LONGLONG base = method == FILE_BEGIN ? 0 : method == FILE_END ? end : lseek(descriptor_, 0, SEEK_CUR);
        LONGLONG target = base + distance;
        if (base >= 0 && target >= 0 && (static_cast<uint64_t>(target) & (alignment_ - 1)) != 0)
            return ERROR_INVALID_PARAMETER;
    }
    return seek_descriptor(descriptor_, distance, method, end, position);
}

DWORD FileDevice::size(LONGLONG* size)
{
    struct stat status;
    if (fstat(descriptor_, &status) != 0) return win32_error_from_errno(errno);
    // A directory has no data: Windows reports its end of file as 0 (as FileStandardInfo
    // and GetFileAttributesEx do here), not the Linux directory's st_size.
    *size = S_ISDIR(status.st_mode) ? 0 : status.st_size;
    return ERROR_SUCCESS;
}

DWORD FileDevice::set_end_of_file()
{
    off_t position = lseek(descriptor_, 0, SEEK_CUR);
    if (position < 0) return win32_error_from_errno(errno);
    if (DWORD error = file_truncate(descriptor_, static_cast<uint64_t>(position))) return error;
    keep_frozen_times();
    return ERROR_SUCCESS;
}

namespace {
int64_t nanoseconds_of(const timespec& time) { return static_cast<int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec; }
}  // namespace

void FileDevice::reset_handle_state()
{
    // A pooled device starts again as a new handle: no frozen times, no change request.
    times_frozen_.store(false, std::memory_order_relaxed);
    frozen_write_ns_.store(kNotFrozen, std::memory_order_relaxed);
    frozen_access_ns_.store(kNotFrozen, std::memory_order_relaxed);
    change_notification = OVERLAPPED{};
    LockGuard guard(known_size_lock_);
    known_size_ = 0;  // not seen yet: the first unbuffered read asks
    known_size_cuts_ = 0;
}

DWORD FileDevice::freeze_times(bool write_time, bool access_time)
{
    if (!write_time && !access_time) return ERROR_SUCCESS;
    struct stat status;
    if (fstat(descriptor_, &status) != 0) return win32_error_from_errno(errno);
    if (write_time) frozen_write_ns_.store(nanoseconds_of(status.st_mtim), std::memory_order_relaxed);
    if (access_time) frozen_access_ns_.store(nanoseconds_of(status.st_atim), std::memory_order_relaxed);
    times_frozen_.store(true, std::memory_order_release);
    // A handle with a frozen time leaves the fast I/O path: its transfers go through
    // requests and transfer_sync, which put the times back, and the fast path, which every
    // other handle takes, has nothing to check.
    lock.lock();
    fast_io = false;
    lock.unlock();
    return ERROR_SUCCESS;
}

void FileDevice::refreeze(const timespec (&times)[2])
{
    if (!times_frozen_.load(std::memory_order_acquire)) return;
    if (times[1].tv_nsec != UTIME_OMIT && frozen_write_ns_.load(std::memory_order_relaxed) != kNotFrozen)
        frozen_write_ns_.store(nanoseconds_of(times[1]), std::memory_order_relaxed);
    if (times[0].tv_nsec != UTIME_OMIT && frozen_access_ns_.load(std::memory_order_relaxed) != kNotFrozen)
        frozen_access_ns_.store(nanoseconds_of(times[0]), std::memory_order_relaxed);
}

void FileDevice::restore_frozen_times()
{
    timespec times[2];
    times[0].tv_sec = times[1].tv_sec = 0;
    times[0].tv_nsec = times[1].tv_nsec = UTIME_OMIT;
    int64_t access = frozen_access_ns_.load(std::memory_order_relaxed);
    int64_t write = frozen_write_ns_.load(std::memory_order_relaxed);
    if (access != kNotFrozen) times[0] = {static_cast<time_t>(access / 1000000000), static_cast<long>(access % 1000000000)};
    if (write != kNotFrozen) times[1] = {static_cast<time_t>(write / 1000000000), static_cast<long>(write % 1000000000)};
    futimens(descriptor_, times);  // best effort: the operation itself succeeded
}

DWORD FileDevice::set_valid_data(LONGLONG length)
{
    // Linux has no valid-data length apart from the size: allocate the range (reads of
    // it give zeros, which Windows would not promise), within the current size only.
    LONGLONG current = 0;
    if (DWORD error = size(&current)) return error;
    if (length < 0 || length > current) return ERROR_INVALID_PARAMETER;
    if (length > 0 && fallocate(descriptor_, FALLOC_FL_KEEP_SIZE, 0, length) != 0 && errno != EOPNOTSUPP)
        return win32_error_from_errno(errno);
    return ERROR_SUCCESS;
}

DWORD FileDevice::flush()
{
    if (fsync(descriptor_) != 0 && errno != EINVAL) return win32_error_from_errno(errno);
    return ERROR_SUCCESS;
}

DWORD FileDevice::type()
{
    struct stat status;
    if (fstat(descriptor_, &status) != 0) return FILE_TYPE_UNKNOWN;
    if (S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode)) return FILE_TYPE_PIPE;
    if (S_ISCHR(status.st_mode)) return FILE_TYPE_CHAR;
    return FILE_TYPE_DISK;
}

DWORD FileDevice::information(BY_HANDLE_FILE_INFORMATION* information)
{
    struct stat status;
    if (fstat(descriptor_, &status) != 0) return win32_error_from_errno(errno);
    memset(information, 0, sizeof(*information));
    information->dwFileAttributes = attributes_from(status);
    filetime_from(status.st_ctim, &information->ftCreationTime);
    filetime_from(status.st_atim, &information->ftLastAccessTime);
    filetime_from(status.st_mtim, &information->ftLastWriteTime);
    information->dwVolumeSerialNumber = static_cast<DWORD>(status.st_dev);
    ULONGLONG length = S_ISDIR(status.st_mode) ? 0 : static_cast<ULONGLONG>(status.st_size);  // as size()
    information->nFileSizeHigh = static_cast<DWORD>(length >> 32);
    information->nFileSizeLow = static_cast<DWORD>(length);
    // A directory has one link, as on NTFS (Linux counts "." and each subdirectory's "..").
    information->nNumberOfLinks = S_ISDIR(status.st_mode) ? 1 : static_cast<DWORD>(status.st_nlink);
    information->nFileIndexHigh = static_cast<DWORD>(static_cast<ULONGLONG>(status.st_ino) >> 32);
    information->nFileIndexLow = static_cast<DWORD>(status.st_ino);
    return ERROR_SUCCESS;
}

DWORD FileDevice::set_delete_disposition(bool remove, const std::string& path)
{
    if (!in_share_table_) return ERROR_INVALID_HANDLE;
    if (remove) {
        struct stat status;
        if (fstat(descriptor_, &status) != 0) return win32_error_from_errno(errno);
        if (S_ISREG(status.st_mode) && !(status.st_mode & 0222)) return ERROR_ACCESS_DENIED;  // STATUS_CANNOT_DELETE
        if (S_ISDIR(status.st_mode)) {
            int probe = openat(descriptor_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            DIR* stream = probe >= 0 ? fdopendir(probe) : nullptr;
            bool empty = true;
            while (stream != nullptr) {
                struct dirent* item = readdir(stream);
                if (item == nullptr) break;
                if (strcmp(item->d_name, ".") != 0 && strcmp(item->d_name, "..") != 0) empty = false;
            }
            if (stream != nullptr) closedir(stream);
            else if (probe >= 0) ::close(probe);
            if (!empty) return ERROR_DIR_NOT_EMPTY;
        }
    }
    std::lock_guard<std::mutex> guard(share_mutex);
    auto it = share_table->find({device_, inode_});
    if (it == share_table->end()) return ERROR_INVALID_HANDLE;
    it->second.delete_on_close = remove;
    if (remove) it->second.path = path;
    return ERROR_SUCCESS;
}

bool FileDevice::delete_pending()
{
    std::lock_guard<std::mutex> guard(share_mutex);
    auto it = share_table->find({device_, inode_});
    return it != share_table->end() && it->second.delete_on_close;
}

DWORD FileDevice::watch_start(DWORD filter, bool subtree, DirectoryWatch** watch)
{
    if (descriptor_ < 0) return ERROR_INVALID_HANDLE;
    if (!is_directory_) return ERROR_INVALID_PARAMETER;
    if (watch_ == nullptr) {
        // Creating the watch walks the subtree (opendir, inotify_add_watch on every
        // directory): without the lock, a spinlock. The caller's reference keeps the
        // descriptor open. Then installed unless another call installed its own first
        // (the first call's filter rules) or the last handle closed meanwhile.
        int directory = descriptor_;
        lock.unlock();
        DWORD error = ERROR_SUCCESS;
        DirectoryWatch* created = DirectoryWatch::create(directory, filter, subtree, &error);
        lock.lock();
        if (created == nullptr) return error;
        if (watch_ == nullptr && handle_count != 0) {
            watch_ = created;
            created = nullptr;
        }
        if (created != nullptr) {
            lock.unlock();
            delete created;  // closes its inotify instance: not under the lock
            lock.lock();
        }
        if (watch_ == nullptr) return ERROR_INVALID_HANDLE;
    }
    *watch = watch_;
    return ERROR_SUCCESS;
}

DWORD FileDevice::watch_wait(void* buffer, DWORD length, bool extended, DWORD* bytes)
{
    kernel::ThreadState* self = kernel::current_thread();
    *bytes = 0;
    DWORD status = STATUS_SUCCESS;
    DirectoryWatch* watch;
    {
        LockGuard guard(lock);
        blocked_enter(self);
        watch = watch_;  // set once, freed only by recycle(): the caller holds a reference
    }
    // The interrupt signal (CancelSynchronousIo) reaches only the ppoll below, after the
    // checks (engine::InterruptWindow). A close wakes the poll through the watch's eventfd.
    {
        engine::InterruptWindow window;
        for (;;) {
            // The handle's cleanup first: it also interrupts blocked threads as a cancel
            // does, but the request ends with STATUS_NOTIFY_CLEANUP (as on Windows).
            if (watch->is_closing()) {
                status = STATUS_NOTIFY_CLEANUP;
                break;
            }
            if (io::sync_io_cancelled()) {
                status = STATUS_CANCELLED;
                break;
            }
            // take() reads inotify, may rescan directories and fstatat: without the device's
            // lock (the watch's own mutex guards its state).
            if (watch->take(buffer, length, extended, &status, bytes)) break;
            pollfd entries[2] = {{watch->descriptor(), POLLIN, 0}, {watch->closing_descriptor(), POLLIN, 0}};
            (void)ppoll(entries, 2, nullptr, window.during());
        }
    }
    {
        LockGuard guard(lock);
        blocked_leave(self);
    }
    return status;
}

// A disk file's reads and writes are not ended by the close of its last handle: the
// request holds the file object, and the transfer completes (with its data) when the
// disk is done, its completion delivered as any other (Raymond Chen, "Why doesn't my
// asynchronous read operation complete when I close the handle?", The Old New Thing,
// 2021-07-30: closing the handle does not complete the outstanding read; CancelIoEx
// does; Wine 8 agrees). A lock that waits and a change watch end (the file system's
// cleanup completes them), and so does anything on a stream (a FIFO's read would wait
// for ever).
bool FileDevice::cancelled_by_close(const io::Request* request) const
{
    if (kind_ != engine::OpKind::File && kind_ != engine::OpKind::DirectFile) return true;
    switch (request->op.code) {
    case engine::OpCode::Read:
    case engine::OpCode::Write:
    case engine::OpCode::ReadVector:
    case engine::OpCode::WriteVector: return false;  // a control's too: it runs in the caller
    default: return true;  // OpCode::Poll: a lock that waits, a change watch
    }
}

void FileDevice::last_handle_closed()
{
    // Pending change requests end with STATUS_NOTIFY_CLEANUP, as on Windows: the watch
    // says it is closing before the blocked threads are interrupted.
    if (watch_ != nullptr) watch_->closing();
    // The handle's locks go with it (a lock request still waiting is cancelled below, and
    // one granted meanwhile gives its lock up: lock_step). Under `lock`, as every
    // last_handle_closed: the registry's mutex nests inside it.
    locks_closed_.store(true, std::memory_order_seq_cst);
    locks::release_all(lock_file());
    interrupt_blocked();  // a synchronous ReadDirectoryChangesW or LockFileEx waiting
    Device::last_handle_closed();  // cancels the requests in progress
    if (!in_share_table_) return;
    in_share_table_ = false;
    std::string remove;
    {
        std::lock_guard<std::mutex> guard(share_mutex);
        auto it = share_table->find({device_, inode_});
        if (it == share_table->end()) return;
        auto& openers = it->second.openers;
        for (size_t i = 0; i < openers.size(); ++i)
            if (openers[i].device == this) {
                openers.erase(openers.begin() + static_cast<long>(i));
                break;
            }
        if (flags_ & FILE_FLAG_DELETE_ON_CLOSE) {
            // Under the name the file has now (a rename since the open moved it).
            std::string now = descriptor_path(descriptor_);
            if (!now.empty() && now[0] == '/') it->second.path = now;
            it->second.delete_on_close = true;
        }
        if (openers.empty()) {
            if (it->second.delete_on_close) remove = it->second.path;
            if (it->second.mappings.empty()) {
                share_table->erase(it);
            } else {  // sections remain: the entry stays for them
                it->second.delete_on_close = false;
                it->second.path.clear();
            }
        }
    }
    if (!remove.empty()) {
        // Only if the name still names this file.
        struct stat status;
        if (lstat(remove.c_str(), &status) == 0 && status.st_dev == device_ && status.st_ino == inode_) {
            if (S_ISDIR(status.st_mode))
                rmdir(remove.c_str());  // FileDispositionInfo on a directory handle
            else
                unlink(remove.c_str());
        }
    }
}

// ---- byte-range locks (drivers/file_locks.h).
namespace {

// A LockFileEx request's state (Request::driver).
struct LockState {
    uint64_t offset;
    uint64_t length;
    bool exclusive;
    bool fail_now;
    locks::Waiter waiter;
};

}  // namespace

DWORD FileDevice::lock_prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    if (is_directory_) return ERROR_INVALID_FUNCTION;
    const auto* args = static_cast<const LockRequest*>(transfer.driver_request);
    auto* state = new (request->driver_state<LockState>()) LockState{};
    state->offset = transfer.offset;
    state->length = args->length;
    state->exclusive = args->exclusive;
    state->fail_now = args->fail_now;
    engine::Op* op = &request->op;
    op->code = engine::OpCode::Poll;
    op->descriptor = -1;  // the waiter's timer, once it waits
    op->flags = POLLIN;
    op->kind = engine::OpKind::Stream;
    // step() tries at once in this thread; only a lock that must wait goes to the engine.
    plan->done_now = true;
    plan->result = POLLIN;
    return ERROR_SUCCESS;
}

io::Next FileDevice::lock_step(io::Request* request, io::Outcome* outcome)
{
    engine::Op* op = &request->op;
    auto* state = request->driver_state<LockState>();
    outcome->bytes = 0;
    if (op->result < 0) {
        outcome->status = io::status_from_errno(-op->result);  // CancelIoEx, the close: STATUS_CANCELLED
        return io::Next::Done;
    }
    locks::Waiter* waiter = nullptr;
    if (!state->fail_now) {
        if (state->waiter.timer < 0) {
            state->waiter.timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
            if (state->waiter.timer < 0) {
                outcome->status = io::status_from_errno(errno);
                return io::Next::Done;
            }
        } else {
            uint64_t ticks;
            (void)!read(state->waiter.timer, &ticks, sizeof(ticks));
        }
        waiter = &state->waiter;
    }
    DWORD error = locks::acquire(lock_file(), state->offset, state->length, state->exclusive, waiter);
    if (error == ERROR_IO_PENDING) {
        op->descriptor = state->waiter.timer;
        return io::Next::Engine;  // until an unlock (or another process's, looked at later)
    }
    if (error == ERROR_SUCCESS && locks_closed_.load(std::memory_order_seq_cst)) {
        locks::release(lock_file(), state->offset, state->length);  // the handle closed meanwhile
        error = ERROR_OPERATION_ABORTED;
    }
    outcome->status = error == ERROR_SUCCESS         ? STATUS_SUCCESS
                      : error == ERROR_LOCK_VIOLATION ? STATUS_LOCK_NOT_GRANTED
                                                      : ntstatus_from_win32_error(error);
    return io::Next::Done;
}

void FileDevice::finish(io::Request* request)
{
    if (request->op.code != engine::OpCode::Poll) {
        keep_frozen_times();  // a read or write done: before its delivery
        return;
    }
    if (is_directory_) return;
    auto* state = request->driver_state<LockState>();
    locks::forget(&state->waiter);
    if (state->waiter.timer >= 0) ::close(state->waiter.timer);
    state->waiter.timer = -1;
}

DWORD FileDevice::lock_wait(uint64_t offset, uint64_t length, bool exclusive, bool fail_now)
{
    if (is_directory_) return ERROR_INVALID_FUNCTION;
    if (fail_now) return locks::acquire(lock_file(), offset, length, exclusive, nullptr);
    locks::Waiter waiter;
    waiter.timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (waiter.timer < 0) return win32_error_from_errno(errno);
    kernel::ThreadState* self = kernel::current_thread();
    {
        LockGuard guard(lock);
        blocked_enter(self);
    }
    DWORD result;
    {
        // The interrupt signal (CancelSynchronousIo, the close) reaches only the ppoll, after
        // the checks (engine::InterruptWindow).
        engine::InterruptWindow window;
        result = io::run_synchronous([&]() -> DWORD {
            for (;;) {
                if (io::sync_io_cancelled() || locks_closed_.load(std::memory_order_seq_cst))
                    return ERROR_OPERATION_ABORTED;
                DWORD error = locks::acquire(lock_file(), offset, length, exclusive, &waiter);
                if (error != ERROR_IO_PENDING) return error;
                pollfd entry{waiter.timer, POLLIN, 0};
                if (ppoll(&entry, 1, nullptr, window.during()) > 0) {
                    uint64_t ticks;
                    (void)!read(waiter.timer, &ticks, sizeof(ticks));
                }
            }
        });
    }
    locks::forget(&waiter);
    ::close(waiter.timer);
    if (result == ERROR_SUCCESS && locks_closed_.load(std::memory_order_seq_cst)) {
        locks::release(lock_file(), offset, length);
        result = ERROR_OPERATION_ABORTED;
    }
    {
        LockGuard guard(lock);
        blocked_leave(self);
    }
    return result;
}

DWORD FileDevice::unlock(uint64_t offset, uint64_t length)
{
    if (is_directory_) return ERROR_INVALID_FUNCTION;
    return locks::release(lock_file(), offset, length);
}

void FileDevice::recycle()
{
    lock.lock();
    int descriptor = descriptor_;
    descriptor_ = -1;
    DirectoryWatch* watch = watch_;
    watch_ = nullptr;
    unbind();
    lock.unlock();
    io::forget_device(this);
    delete watch;
    if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<FileDevice>::instance().release(this);
}

std::string descriptor_path(int descriptor)
{
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", descriptor);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0) return std::string();
    return std::string(target, static_cast<size_t>(n));
}

DWORD file_share_check(dev_t device, ino_t inode, ACCESS_MASK access, DWORD share)
{
    std::lock_guard<std::mutex> guard(share_mutex);
    auto it = share_table->find({device, inode});
    if (it != share_table->end() && !share_check(it->second, access, share)) return ERROR_SHARING_VIOLATION;
    return ERROR_SUCCESS;
}

DWORD file_delete_share_check(dev_t device, ino_t inode)
{
    // DeleteFile and MoveFileEx open the file for DELETE, sharing everything.
    if (DWORD error = file_share_check(device, inode, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE))
        return error;
    // Windows holds the current directory open (SetCurrentDirectory's handle shares
    // reading and writing, not deleting), so it can be neither removed nor renamed.
    struct stat current;
    if (stat(".", &current) == 0 && current.st_dev == device && current.st_ino == inode) return ERROR_SHARING_VIOLATION;
    return ERROR_SUCCESS;
}

FileMapping* file_mapping_add(dev_t device, ino_t inode, uint64_t size, bool writable)
{
    auto* mapping = new (std::nothrow) FileMapping{device, inode, size, writable, 1};
    if (mapping == nullptr) return nullptr;
    std::lock_guard<std::mutex> guard(share_mutex);
    (*share_table)[{device, inode}].mappings.push_back(mapping);
    return mapping;
}

void file_mapping_retain(FileMapping* mapping)
{
    std::lock_guard<std::mutex> guard(share_mutex);
    ++mapping->references;
}

void file_mapping_release(FileMapping* mapping)
{
    std::lock_guard<std::mutex> guard(share_mutex);
    if (--mapping->references != 0) return;
    auto it = share_table->find({mapping->device, mapping->inode});
    if (it != share_table->end()) {
        auto& mappings = it->second.mappings;
        mappings.erase(std::remove(mappings.begin(), mappings.end(), mapping), mappings.end());
        if (mappings.empty() && it->second.openers.empty()) share_table->erase(it);
    }
    delete mapping;
}

DWORD file_truncate(int descriptor, uint64_t size)
{
    struct stat status;
    if (fstat(descriptor, &status) != 0) return win32_error_from_errno(errno);
    // Under the table's lock: no section can be made over the file meanwhile.
    std::lock_guard<std::mutex> guard(share_mutex);
    if (size < static_cast<uint64_t>(status.st_size)) {
        auto it = share_table->find({status.st_dev, status.st_ino});
        if (it != share_table->end() && size < mapped_extent(it->second)) return ERROR_USER_MAPPED_FILE;
    }
    if (ftruncate(descriptor, static_cast<off_t>(size)) != 0) return win32_error_from_errno(errno);
    // (Counted whatever the size was: the file may have grown since the fstat above.)
    file_cuts.fetch_add(1, std::memory_order_release);
    return ERROR_SUCCESS;
}

bool file_is_open(dev_t device, ino_t inode)
{
    std::lock_guard<std::mutex> guard(share_mutex);
    auto it = share_table->find({device, inode});
    return it != share_table->end() && !it->second.openers.empty();
}

DWORD file_delete(const std::string& path)
{
    struct stat status;
    if (lstat(path.c_str(), &status) != 0) return error_from_errno(errno, path);
    if (S_ISDIR(status.st_mode)) return ERROR_ACCESS_DENIED;
    // A device is never deleted: Windows' devices refuse the request (DeleteFile("nul")
    // fails; Wine's kernel32 file.c test_DeleteFileA, which answers ERROR_INVALID_PARAMETER
    // as Wine 8 does).
    if (is_device_node(status)) return ERROR_INVALID_PARAMETER;
    // The open for DELETE meets the share modes first; a read-only file is refused only
    // when its deletion is asked for (STATUS_CANNOT_DELETE), after the open succeeded.
    if (DWORD error = file_delete_share_check(status.st_dev, status.st_ino)) return error;
    if (!(status.st_mode & 0222) && S_ISREG(status.st_mode)) return ERROR_ACCESS_DENIED;  // read-only
    if (unlink(path.c_str()) == 0) return ERROR_SUCCESS;
    return error_from_errno(errno, path);
}

DWORD directory_create(const std::string& path)
{
    if (mkdir(path.c_str(), 0777) == 0) return ERROR_SUCCESS;
    if (errno == EEXIST) return ERROR_ALREADY_EXISTS;
    if (errno == ENOENT) return ERROR_PATH_NOT_FOUND;
    return error_from_errno(errno, path);
}

DWORD directory_remove(const std::string& path)
{
    // RemoveDirectory opens the directory for DELETE sharing everything: a handle
    // without FILE_SHARE_DELETE, or the current directory, refuses (before emptiness).
    struct stat status;
    if (lstat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode))
        if (DWORD error = file_delete_share_check(status.st_dev, status.st_ino)) return error;
    if (rmdir(path.c_str()) == 0) return ERROR_SUCCESS;
    if (errno == ENOTEMPTY || errno == EEXIST) return ERROR_DIR_NOT_EMPTY;
    if (errno == ENOTDIR) {
        struct stat status;
        if (stat(path.c_str(), &status) == 0) return ERROR_DIRECTORY;
        return ERROR_PATH_NOT_FOUND;
    }
    return error_from_errno(errno, path);
}

DWORD file_attributes(const std::string& path, DWORD* error)
{
    struct stat status;
    if (stat(path.c_str(), &status) != 0) {
        *error = error_from_errno(errno, path);
        return INVALID_FILE_ATTRIBUTES;
    }
    return attributes_from(status);
}

DWORD file_allocated_size(const std::string& path, ULONGLONG* size)
{
    struct stat status;
    if (stat(path.c_str(), &status) != 0) return error_from_errno(errno, path);
    // As Windows: an ordinary file reports its size; a sparse one (fewer blocks than its
    // size) what is allocated. Linux counts whole blocks, so a small file's allocation
    // exceeds its size; that is not compression, and Windows would report the size.
    ULONGLONG allocated = static_cast<ULONGLONG>(status.st_blocks) * 512;
    ULONGLONG length = static_cast<ULONGLONG>(status.st_size);
    *size = allocated < length ? allocated : length;
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
