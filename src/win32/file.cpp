// file.cpp: CreateFileA/W, ReadFile, WriteFile (synchronous for now), DeleteFileA/W.
#include "drivers/file.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

// Generic rights as the file object's specific rights (Windows maps them at open).
ACCESS_MASK file_access(DWORD desired)
{
    ACCESS_MASK access = desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    if (desired & GENERIC_READ) access |= FILE_GENERIC_READ;
    if (desired & GENERIC_WRITE) access |= FILE_GENERIC_WRITE;
    if (desired & GENERIC_EXECUTE) access |= FILE_GENERIC_EXECUTE;
    if (desired & GENERIC_ALL) access |= FILE_ALL_ACCESS;
    return access;
}

HANDLE create_file(const std::string& name, DWORD access, DWORD disposition, DWORD flags,
                   LPSECURITY_ATTRIBUTES attributes)
{
    std::string path;
    if (!drivers::file_linux_path(name, &path)) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    bool existed = false;
    DWORD error;
    drivers::FileDevice* device = drivers::FileDevice::open(path, access, disposition, flags, &existed, &error);
    if (device == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    DWORD handle_flags = attributes != nullptr && attributes->bInheritHandle ? HANDLE_FLAG_INHERIT : 0;
    HANDLE handle = kernel::handle_create(device, file_access(access), handle_flags, &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    bool reports_existing = existed && (disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS);
    set_last_error(reports_existing ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

// The file behind `handle` with a reference, checked for `access`, or nullptr.
drivers::FileDevice* reference_file(HANDLE handle, ACCESS_MASK access, DWORD* error)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::File, 0, error);
    if (object == nullptr) return nullptr;
    ACCESS_MASK granted = 0;
    kernel::handle_get_access(handle, &granted);
    if ((granted & access) == 0) {
        object->release_reference();
        *error = ERROR_ACCESS_DENIED;
        return nullptr;
    }
    return static_cast<drivers::FileDevice*>(object);
}

template <class Transfer>
BOOL transfer(HANDLE handle, ACCESS_MASK access, LPDWORD transferred, LPOVERLAPPED overlapped, Transfer run)
{
    if (transferred != nullptr) *transferred = 0;
    DWORD error;
    drivers::FileDevice* file = reference_file(handle, access, &error);
    if (file == nullptr) return fail(error, FALSE);
    if (overlapped != nullptr) {
        // Requests with an OVERLAPPED arrive with the files issue (docs/win32-status.md).
        file->release_reference();
        return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    }
    if (file->flags() & FILE_FLAG_OVERLAPPED) {
        // An overlapped handle needs an OVERLAPPED for every transfer.
        file->release_reference();
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    DWORD done = 0;
    error = io::run_synchronous([&] { return run(file, &done); });
    file->release_reference();
    if (transferred != nullptr) *transferred = done;
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD, LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE)
{
    if (lpFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    return create_file(lpFileName, dwDesiredAccess, dwCreationDisposition, dwFlagsAndAttributes, lpSecurityAttributes);
}

extern "C" HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD, LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE)
{
    if (lpFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    return create_file(win32::utf8_from_utf16(lpFileName), dwDesiredAccess, dwCreationDisposition,
                       dwFlagsAndAttributes, lpSecurityAttributes);
}

extern "C" BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                                LPOVERLAPPED lpOverlapped)
{
    return transfer(hFile, FILE_READ_DATA, lpNumberOfBytesRead, lpOverlapped,
                    [&](drivers::FileDevice* file, DWORD* done) { return file->read(lpBuffer, nNumberOfBytesToRead, done); });
}

extern "C" BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPDWORD lpNumberOfBytesWritten,
                                 LPOVERLAPPED lpOverlapped)
{
    return transfer(hFile, FILE_WRITE_DATA | FILE_APPEND_DATA, lpNumberOfBytesWritten, lpOverlapped,
                    [&](drivers::FileDevice* file, DWORD* done) { return file->write(lpBuffer, nNumberOfBytesToWrite, done); });
}

namespace {

BOOL delete_file(const std::string& name)
{
    std::string path;
    if (!drivers::file_linux_path(name, &path)) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    DWORD error = drivers::file_delete(path);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" BOOL WINAPI DeleteFileA(LPCSTR lpFileName)
{
    if (lpFileName == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    return delete_file(lpFileName);
}

extern "C" BOOL WINAPI DeleteFileW(LPCWSTR lpFileName)
{
    if (lpFileName == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    return delete_file(win32::utf8_from_utf16(lpFileName));
}
