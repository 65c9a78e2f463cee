// file.cpp: the file driver's Linux side: open(2) with Windows dispositions, read(2)
// and write(2) at the file pointer, unlink(2); errno through the one error table.
#include "drivers/file.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"

namespace overlapped::drivers {
namespace {

bool wants_read(DWORD access)
{
    return access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA);
}

bool wants_write(DWORD access)
{
    return access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA);
}

// ENOENT means a missing file, or a missing directory on the way (ERROR_PATH_NOT_FOUND).
DWORD error_for_missing(const std::string& path)
{
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
    return win32_error_from_errno(error);
}

}  // namespace

bool file_linux_path(const std::string& windows_path, std::string* linux_path)
{
    std::string path = windows_path;
    if (path.compare(0, 4, "\\\\?\\") == 0) path.erase(0, 4);
    if (path.size() >= 2 && path[1] == ':') return false;
    for (char& c : path)
        if (c == '\\') c = '/';
    *linux_path = path;
    return true;
}

FileDevice* FileDevice::open(const std::string& path, DWORD access, DWORD disposition, DWORD flags,
                             bool* existed, DWORD* error)
{
    *existed = false;
    if (path.empty()) {
        *error = ERROR_PATH_NOT_FOUND;
        return nullptr;
    }
    int mode = wants_write(access) ? (wants_read(access) ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (disposition == TRUNCATE_EXISTING && !wants_write(access)) {
        *error = ERROR_INVALID_PARAMETER;
        return nullptr;
    }
    int base = mode | O_CLOEXEC | O_NOCTTY;
    int descriptor = -1;
    switch (disposition) {
    case CREATE_NEW:
        descriptor = ::open(path.c_str(), base | O_CREAT | O_EXCL, 0666);
        break;
    case OPEN_EXISTING:
        descriptor = ::open(path.c_str(), base);
        break;
    case TRUNCATE_EXISTING:
        descriptor = ::open(path.c_str(), base | O_TRUNC);
        break;
    case CREATE_ALWAYS:
    case OPEN_ALWAYS:
        // Whether the file existed decides the last error (ERROR_ALREADY_EXISTS), so open
        // it first, and create it exclusively only if it is missing (retry on a race).
        for (int attempt = 0; attempt < 8 && descriptor < 0; ++attempt) {
            descriptor = ::open(path.c_str(), base | (disposition == CREATE_ALWAYS ? O_TRUNC : 0));
            if (descriptor >= 0) {
                *existed = true;
                break;
            }
            if (errno != ENOENT) break;
            descriptor = ::open(path.c_str(), base | O_CREAT | O_EXCL, 0666);
            if (descriptor < 0 && errno != EEXIST) break;
        }
        break;
    default:
        *error = ERROR_INVALID_PARAMETER;
        return nullptr;
    }
    if (descriptor < 0) {
        *error = errno == EISDIR ? ERROR_ACCESS_DENIED : error_from_errno(errno, path);
        return nullptr;
    }
    struct stat status;
    if (fstat(descriptor, &status) == 0 && S_ISDIR(status.st_mode) && !(flags & FILE_FLAG_BACKUP_SEMANTICS)) {
        ::close(descriptor);
        *error = ERROR_ACCESS_DENIED;  // a directory needs FILE_FLAG_BACKUP_SEMANTICS
        return nullptr;
    }
    FileDevice* device = kernel::Pool<FileDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->descriptor_ = descriptor;
    device->flags_ = flags;
    device->lock.unlock();
    return device;
}

DWORD FileDevice::read(void* buffer, DWORD length, DWORD* transferred)
{
    ssize_t done;
    do done = ::read(descriptor_, buffer, length);
    while (done < 0 && errno == EINTR);
    if (done < 0) return win32_error_from_errno(errno);
    *transferred = static_cast<DWORD>(done);
    return ERROR_SUCCESS;
}

DWORD FileDevice::write(const void* buffer, DWORD length, DWORD* transferred)
{
    DWORD total = 0;
    while (total < length) {
        ssize_t done = ::write(descriptor_, static_cast<const char*>(buffer) + total, length - total);
        if (done < 0 && errno == EINTR) continue;
        if (done < 0) {
            *transferred = total;
            return win32_error_from_errno(errno);
        }
        total += static_cast<DWORD>(done);
    }
    *transferred = total;
    return ERROR_SUCCESS;
}

void FileDevice::recycle()
{
    lock.lock();
    int descriptor = descriptor_;
    descriptor_ = -1;
    unbind();
    lock.unlock();
    if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<FileDevice>::instance().release(this);
}

DWORD file_delete(const std::string& path)
{
    struct stat status;
    if (lstat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) return ERROR_ACCESS_DENIED;
    if (unlink(path.c_str()) == 0) return ERROR_SUCCESS;
    return error_from_errno(errno, path);
}

}  // namespace overlapped::drivers
