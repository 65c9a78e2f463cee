// ioctl.cpp: DeviceIoControl's file system controls on files (see ioctl.h), and the
// glue that lets a driver finish a control in prepare().
#include "drivers/ioctl.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <winioctl.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "win32/entry.h"

namespace overlapped::drivers {

void ioctl_prepare(const IoctlRequest& control, io::Request* request, io::Plan* plan)
{
    IoctlState* state = request->driver_state<IoctlState>();
    state->active = true;
    state->control = control;
    request->requested = 0;
    request->op.code = engine::OpCode::Read;  // not Poll: the file driver's watches poll
    plan->done_now = true;
    plan->result = 0;
}

namespace {

// ---- the sparse mark. Linux files need no mark to have holes; Windows' mark changes
// what FSCTL_SET_ZERO_DATA and FSCTL_QUERY_ALLOCATED_RANGES do. It is kept as an extended
// attribute (so other processes and later opens see it, and it goes with the file), or,
// on a file system without user attributes, in this process's memory by file identity
// and birth time (so that a new file given a deleted one's inode number is not marked).
constexpr const char* kSparseAttribute = "user.overlapped.sparse";
using SparseKey = std::tuple<dev_t, ino_t, long long, long long>;
std::mutex sparse_mutex;
std::set<SparseKey>* sparse_files = new std::set<SparseKey>();

SparseKey sparse_key(int descriptor, const struct stat& status)
{
    long long seconds = 0, nanoseconds = 0;
    struct statx extra;
    if (statx(descriptor, "", AT_EMPTY_PATH, STATX_BTIME, &extra) == 0 && (extra.stx_mask & STATX_BTIME)) {
        seconds = extra.stx_btime.tv_sec;
        nanoseconds = extra.stx_btime.tv_nsec;
    }
    return SparseKey{status.st_dev, status.st_ino, seconds, nanoseconds};
}

void set_sparse(int descriptor, const struct stat& status, bool sparse)
{
    SparseKey key = sparse_key(descriptor, status);
    bool kept = sparse ? fsetxattr(descriptor, kSparseAttribute, "1", 1, 0) == 0
                       : (fremovexattr(descriptor, kSparseAttribute) == 0 || errno == ENODATA);
    std::lock_guard<std::mutex> guard(sparse_mutex);
    if (sparse && !kept)
        sparse_files->insert(key);
    else
        sparse_files->erase(key);
}

bool is_sparse(int descriptor, const struct stat& status)
{
    char value[2];
    if (fgetxattr(descriptor, kSparseAttribute, value, sizeof(value)) > 0) return true;
    SparseKey key = sparse_key(descriptor, status);
    std::lock_guard<std::mutex> guard(sparse_mutex);
    return sparse_files->count(key) != 0;
}

IoctlResult error(DWORD code) { return IoctlResult{code, 0}; }

IoctlResult set_sparse_control(int descriptor, const struct stat& status, const IoctlRequest& request)
{
    // Windows 7 and later: the handle needs write data or write attributes rights.
    if (!(request.granted & (FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES))) return error(ERROR_ACCESS_DENIED);
    if (!S_ISREG(status.st_mode)) return error(ERROR_INVALID_PARAMETER);
    bool sparse = true;  // no input buffer: set the mark
    if (request.in_size >= sizeof(FILE_SET_SPARSE_BUFFER))
        sparse = static_cast<const FILE_SET_SPARSE_BUFFER*>(request.in)->SetSparse != 0;
    set_sparse(descriptor, status, sparse);
    return {};
}

IoctlResult zero_data(int descriptor, const struct stat& status, const IoctlRequest& request)
{
    if (request.in_size < sizeof(FILE_ZERO_DATA_INFORMATION) || !S_ISREG(status.st_mode))
        return error(ERROR_INVALID_PARAMETER);
    FILE_ZERO_DATA_INFORMATION range;
    memcpy(&range, request.in, sizeof(range));
    LONGLONG start = range.FileOffset.QuadPart, end = range.BeyondFinalZero.QuadPart;
    if (start < 0 || end < 0 || start > end) return error(ERROR_INVALID_PARAMETER);
    // Only the file's bytes are zeroed; the size never changes.
    if (end > status.st_size) end = status.st_size;
    if (start >= end) return {};
    off_t length = static_cast<off_t>(end - start);
    if (is_sparse(descriptor, status)) {
        // A sparse file gives the range back to the file system (a hole).
        if (fallocate(descriptor, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, length) == 0) return {};
    } else {
        // An ordinary file keeps the range allocated, filled with zeros.
        if (fallocate(descriptor, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, start, length) == 0) return {};
        if (fallocate(descriptor, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, length) == 0) {
            fallocate(descriptor, FALLOC_FL_KEEP_SIZE, start, length);  // allocated again where possible
            return {};
        }
    }
    // No fallocate: write the zeros.
    static const char zeros[65536] = {};
    for (off_t done = 0; done < length;) {
        size_t chunk = static_cast<size_t>(length - done < static_cast<off_t>(sizeof(zeros)) ? length - done : sizeof(zeros));
        ssize_t n = pwrite(descriptor, zeros, chunk, start + done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return error(n < 0 ? win32_error_from_errno(errno) : ERROR_DISK_FULL);
        done += n;
    }
    return {};
}

IoctlResult allocated_ranges(int descriptor, const struct stat& status, const IoctlRequest& request)
{
    if (request.in_size < sizeof(FILE_ALLOCATED_RANGE_BUFFER) || request.in == nullptr)
        return error(ERROR_INVALID_PARAMETER);
    FILE_ALLOCATED_RANGE_BUFFER asked;
    memcpy(&asked, request.in, sizeof(asked));
    LONGLONG start = asked.FileOffset.QuadPart, length = asked.Length.QuadPart;
    if (start < 0 || length < 0 || start > LLONG_MAX - length) return error(ERROR_INVALID_PARAMETER);
    if (request.out_size < sizeof(FILE_ALLOCATED_RANGE_BUFFER)) return error(ERROR_INSUFFICIENT_BUFFER);
    LONGLONG end = start + length;
    if (end > status.st_size) end = status.st_size;
    DWORD room = request.out_size / sizeof(FILE_ALLOCATED_RANGE_BUFFER);
    DWORD count = 0;
    auto* out = static_cast<FILE_ALLOCATED_RANGE_BUFFER*>(request.out);
    auto add = [&](LONGLONG from, LONGLONG to) -> bool {
        if (count == room) return false;
        FILE_ALLOCATED_RANGE_BUFFER range;
        range.FileOffset.QuadPart = from;
        range.Length.QuadPart = to - from;
        memcpy(&out[count++], &range, sizeof(range));
        return true;
    };
    if (start >= end) return {};
    if (!is_sparse(descriptor, status)) {
        // A file not marked sparse is allocated throughout, as Windows reports it.
        add(start, end);
        return IoctlResult{ERROR_SUCCESS, count * static_cast<DWORD>(sizeof(FILE_ALLOCATED_RANGE_BUFFER))};
    }
    // The data extents, from SEEK_DATA and SEEK_HOLE.
    LONGLONG at = start;
    bool more = false;
    while (at < end) {
        off_t data = lseek(descriptor, at, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO) break;  // nothing but a hole to the end
            if (errno == EINVAL || errno == EOPNOTSUPP) {  // no hole support: all data
                data = at;
            } else {
                return error(win32_error_from_errno(errno));
            }
        }
        if (data >= end) break;
        off_t hole = lseek(descriptor, data, SEEK_HOLE);
        if (hole < 0 || hole > end) hole = end;
        if (!add(data, hole)) {
            more = true;
            break;
        }
        at = hole;
    }
    DWORD bytes = count * static_cast<DWORD>(sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    return IoctlResult{more ? static_cast<DWORD>(ERROR_MORE_DATA) : static_cast<DWORD>(ERROR_SUCCESS), bytes};
}

IoctlResult get_compression(int descriptor, const IoctlRequest& request)
{
    if (request.out_size < sizeof(USHORT) || request.out == nullptr) return error(ERROR_INVALID_PARAMETER);
    USHORT state = COMPRESSION_FORMAT_NONE;
    int flags = 0;
    if (ioctl(descriptor, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_COMPR_FL)) state = COMPRESSION_FORMAT_LZNT1;
    memcpy(request.out, &state, sizeof(state));
    return IoctlResult{ERROR_SUCCESS, sizeof(USHORT)};
}

// The Windows form of a symbolic link's target: relative targets keep their form with
// '\' for '/'; absolute ones are put under the drive whose root holds them.
std::u16string windows_target(const std::string& target, bool* relative)
{
    std::string name = target;
    *relative = name.empty() || name[0] != '/';
    if (!*relative) {
        std::string best_root;
        char best_letter = 0;
        for (char letter = 'A'; letter <= 'Z'; ++letter) {
            std::string root = drive_root(letter);
            if (root.empty()) continue;
            if (root.size() > 1 && root.back() == '/') root.pop_back();
            bool inside = root == "/" || name == root || name.compare(0, root.size() + 1, root + "/") == 0;
            if (inside && root.size() >= best_root.size() && (best_letter == 0 || root.size() > best_root.size())) {
                best_root = root;
                best_letter = letter;
            }
        }
        if (best_letter != 0) {
            std::string rest = best_root == "/" ? name : name.substr(best_root.size());
            if (rest.empty()) rest.assign(1, '/');
            name = std::string(1, best_letter) + ":" + rest;
        }
    }
    for (char& c : name)
        if (c == '/') c = '\\';
    return win32::utf16_from_utf8(name);
}

IoctlResult get_reparse_point(int descriptor, const struct stat& status, const IoctlRequest& request)
{
    if (!S_ISLNK(status.st_mode)) return error(ERROR_NOT_A_REPARSE_POINT);
    if (request.out_size < REPARSE_DATA_BUFFER_HEADER_SIZE || request.out == nullptr)
        return error(ERROR_INSUFFICIENT_BUFFER);
    char target[PATH_MAX];
    ssize_t n = readlinkat(descriptor, "", target, sizeof(target) - 1);
    if (n < 0) return error(win32_error_from_errno(errno));
    bool relative = false;
    std::u16string print = windows_target(std::string(target, static_cast<size_t>(n)), &relative);
    std::u16string substitute = relative ? print : u"\\??\\" + print;
    // The symbolic link's reparse data: the fixed fields, then the print name and the
    // substitute name, one after the other (each without a terminating null).
    size_t fixed = offsetof(REPARSE_DATA_BUFFER, SymbolicLinkReparseBuffer.PathBuffer);
    size_t names = (print.size() + substitute.size()) * sizeof(WCHAR);
    size_t total = fixed + names;
    if (total > MAXIMUM_REPARSE_DATA_BUFFER_SIZE) return error(ERROR_INVALID_REPARSE_DATA);
    std::string whole(total, '\0');
    auto* data = reinterpret_cast<REPARSE_DATA_BUFFER*>(&whole[0]);
    data->ReparseTag = static_cast<DWORD>(IO_REPARSE_TAG_SYMLINK);
    data->ReparseDataLength = static_cast<WORD>(total - REPARSE_DATA_BUFFER_HEADER_SIZE);
    data->SymbolicLinkReparseBuffer.PrintNameOffset = 0;
    data->SymbolicLinkReparseBuffer.PrintNameLength = static_cast<WORD>(print.size() * sizeof(WCHAR));
    data->SymbolicLinkReparseBuffer.SubstituteNameOffset = static_cast<WORD>(print.size() * sizeof(WCHAR));
    data->SymbolicLinkReparseBuffer.SubstituteNameLength = static_cast<WORD>(substitute.size() * sizeof(WCHAR));
    data->SymbolicLinkReparseBuffer.Flags = relative ? SYMLINK_FLAG_RELATIVE : 0;
    memcpy(&whole[fixed], print.data(), print.size() * sizeof(WCHAR));
    memcpy(&whole[fixed + print.size() * sizeof(WCHAR)], substitute.data(), substitute.size() * sizeof(WCHAR));
    DWORD copied = static_cast<DWORD>(total < request.out_size ? total : request.out_size);
    memcpy(request.out, whole.data(), copied);
    return IoctlResult{copied < total ? static_cast<DWORD>(ERROR_MORE_DATA) : static_cast<DWORD>(ERROR_SUCCESS), copied};
}

}  // namespace

bool file_is_sparse(int descriptor)
{
    struct stat status;
    return fstat(descriptor, &status) == 0 && is_sparse(descriptor, status);
}

IoctlResult file_ioctl(int descriptor, const IoctlRequest& request)
{
    struct stat status;
    if (fstat(descriptor, &status) != 0) return error(win32_error_from_errno(errno));
    switch (request.code) {
    case FSCTL_SET_SPARSE: return set_sparse_control(descriptor, status, request);
    case FSCTL_SET_ZERO_DATA: return zero_data(descriptor, status, request);
    case FSCTL_QUERY_ALLOCATED_RANGES: return allocated_ranges(descriptor, status, request);
    case FSCTL_GET_COMPRESSION: return get_compression(descriptor, request);
    case FSCTL_GET_REPARSE_POINT: return get_reparse_point(descriptor, status, request);
    default: return error(ERROR_INVALID_FUNCTION);
    }
}

}  // namespace overlapped::drivers
