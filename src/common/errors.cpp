// errors.cpp: errno -> Win32 and NTSTATUS <-> Win32 translation tables.
#include "common/errors.h"

#include <cerrno>

namespace overlapped {

DWORD win32_error_from_errno(int error)
{
    switch (error) {
    case 0: return ERROR_SUCCESS;
    case EPERM: return ERROR_ACCESS_DENIED;
    case EACCES: return ERROR_ACCESS_DENIED;
    case EROFS: return ERROR_WRITE_PROTECT;
    case ENOENT: return ERROR_FILE_NOT_FOUND;
    case ENOTDIR: return ERROR_PATH_NOT_FOUND;
    case ENAMETOOLONG: return ERROR_FILENAME_EXCED_RANGE;
    case ELOOP: return ERROR_CANT_RESOLVE_FILENAME;
    case EEXIST: return ERROR_FILE_EXISTS;
    case EISDIR: return ERROR_ACCESS_DENIED;
    case ENOTEMPTY: return ERROR_DIR_NOT_EMPTY;
    case EBADF: return ERROR_INVALID_HANDLE;
    case EINVAL: return ERROR_INVALID_PARAMETER;
    case EFAULT: return ERROR_NOACCESS;
    case ENOMEM: return ERROR_NOT_ENOUGH_MEMORY;
    case EMFILE: return ERROR_TOO_MANY_OPEN_FILES;
    case ENFILE: return ERROR_TOO_MANY_OPEN_FILES;
    case ENOSPC: return ERROR_DISK_FULL;
    case EDQUOT: return ERROR_DISK_FULL;
    case EFBIG: return ERROR_FILE_TOO_LARGE;
    case EIO: return ERROR_GEN_FAILURE;
    case ENXIO: return ERROR_FILE_NOT_FOUND;
    case ENODEV: return ERROR_BAD_UNIT;
    case EBUSY: return ERROR_BUSY;
    case ETXTBSY: return ERROR_SHARING_VIOLATION;
    case EXDEV: return ERROR_NOT_SAME_DEVICE;
    case ESPIPE: return ERROR_SEEK_ON_DEVICE;
    case EPIPE: return ERROR_BROKEN_PIPE;
    case EAGAIN: return ERROR_NO_DATA;
    case EINTR: return ERROR_OPERATION_ABORTED;
    case ECANCELED: return ERROR_OPERATION_ABORTED;
    case ETIMEDOUT: return ERROR_SEM_TIMEOUT;
    case ENOSYS: return ERROR_CALL_NOT_IMPLEMENTED;
    case EOPNOTSUPP: return ERROR_NOT_SUPPORTED;
    case ERANGE: return ERROR_ARITHMETIC_OVERFLOW;
    case EOVERFLOW: return ERROR_ARITHMETIC_OVERFLOW;
    case ECONNREFUSED: return ERROR_CONNECTION_REFUSED;
    case ECONNRESET: return ERROR_NETNAME_DELETED;
    case ECONNABORTED: return ERROR_CONNECTION_ABORTED;
    case ENETUNREACH: return ERROR_NETWORK_UNREACHABLE;
    case EHOSTUNREACH: return ERROR_HOST_UNREACHABLE;
    case EADDRINUSE: return ERROR_ADDRESS_ALREADY_ASSOCIATED;
    case ENOTCONN: return ERROR_PIPE_NOT_CONNECTED;
    case EDEADLK: return ERROR_LOCK_VIOLATION;
    case ENOLCK: return ERROR_NOT_ENOUGH_MEMORY;
    default: return ERROR_GEN_FAILURE;
    }
}

struct StatusPair {
    DWORD status;
    DWORD error;
};

// NTSTATUS values the library stores, with RtlNtStatusToDosError's answer for each.
static const StatusPair kStatusTable[] = {
    {STATUS_SUCCESS, ERROR_SUCCESS},
    {STATUS_ABANDONED_WAIT_0, ERROR_ABANDONED_WAIT_0},
    {STATUS_USER_APC, WAIT_IO_COMPLETION},
    {STATUS_TIMEOUT, WAIT_TIMEOUT},
    {STATUS_PENDING, ERROR_IO_PENDING},
    {STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA},
    {STATUS_END_OF_FILE, ERROR_HANDLE_EOF},
    {STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE},
    {STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER},
    {STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED},
    {STATUS_CANCELLED, ERROR_OPERATION_ABORTED},
    {STATUS_NOT_IMPLEMENTED, ERROR_CALL_NOT_IMPLEMENTED},
    {STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY},
    {STATUS_DISK_FULL, ERROR_DISK_FULL},
    {STATUS_PIPE_BROKEN, ERROR_BROKEN_PIPE},
};

// Statuses with no entry above are produced only by ntstatus_from_win32_error, which
// wraps the Win32 code as a customer-defined error status (0xE0070000 | code) so that
// the round trip through OVERLAPPED.Internal is lossless.
static const DWORD kWrappedWin32 = 0xE0070000u;

DWORD win32_error_from_ntstatus(DWORD status)
{
    for (const StatusPair& pair : kStatusTable)
        if (pair.status == status) return pair.error;
    if ((status & 0xFFFF0000u) == kWrappedWin32) return status & 0xFFFFu;
    return ERROR_GEN_FAILURE;
}

DWORD ntstatus_from_win32_error(DWORD error)
{
    for (const StatusPair& pair : kStatusTable)
        if (pair.error == error) return pair.status;
    return kWrappedWin32 | (error & 0xFFFFu);
}

}  // namespace overlapped
