// shared_section.cpp: named sections shared between processes (shared_section.h).
#include "drivers/shared_section.h"

#include <sys/stat.h>

#include "drivers/namespace.h"

namespace overlapped::drivers {
namespace {

// The entry's path: the name as it is (Windows compares object names with case: Microsoft
// Learn, CreateFileMapping, "Name comparison is case sensitive"; Wine's kernel32 virtual
// test, test_CreateFileMapping, which passes on Windows), as a pipe name's leaf with a
// suffix no pipe's own entry has.
DWORD section_path(const std::string& name, std::string* path)
{
    DeviceName device;
    device.kind = NameKind::Pipe;
    device.name = name;
    return namespace_path(device, ".sec", path);
}

bool lock(int fd, int operation)
{
    int r;
    do r = flock(fd, operation);
    while (r != 0 && errno == EINTR);
    return r == 0;
}

}  // namespace

DWORD shared_section_create(const std::string& name, uint64_t size, int* fd, uint64_t* actual, bool* existed)
{
    std::string path;
    if (DWORD error = section_path(name, &path)) return error;
    DirectoryLock directory(path);
    int file = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (file < 0) return errno == EMFILE || errno == ENFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_ACCESS_DENIED;
    if (lock(file, LOCK_EX | LOCK_NB)) {
        // Nobody has it: what a gone section left, whose views may remain (they keep its
        // memory, not its name). A new section is a new file of `size` bytes of zeros.
        unlink(path.c_str());
        close(file);
        file = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (file < 0) return errno == EMFILE || errno == ENFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_ACCESS_DENIED;
        if (ftruncate(file, static_cast<off_t>(size)) != 0 || !lock(file, LOCK_SH)) {
            close(file);
            unlink(path.c_str());
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        *existed = false;
        *actual = size;
    } else {
        struct stat status;
        if (!lock(file, LOCK_SH) || fstat(file, &status) != 0) {
            close(file);
            return ERROR_ACCESS_DENIED;
        }
        *existed = true;
        *actual = static_cast<uint64_t>(status.st_size);
    }
    *fd = file;
    return ERROR_SUCCESS;
}

DWORD shared_section_open(const std::string& name, int* fd, uint64_t* size)
{
    std::string path;
    if (DWORD error = section_path(name, &path)) return error;
    DirectoryLock directory(path);
    int file = open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (file < 0) return errno == ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_ACCESS_DENIED;
    if (lock(file, LOCK_EX | LOCK_NB)) {  // nobody has it any more: it is gone
        unlink(path.c_str());
        close(file);
        return ERROR_FILE_NOT_FOUND;
    }
    struct stat status;
    if (!lock(file, LOCK_SH) || fstat(file, &status) != 0) {
        close(file);
        return ERROR_ACCESS_DENIED;
    }
    *fd = file;
    *size = static_cast<uint64_t>(status.st_size);
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
