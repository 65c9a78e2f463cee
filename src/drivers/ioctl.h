// ioctl.h: DeviceIoControl's requests as drivers see them, and the file system controls
// on regular files (FSCTL_SET_SPARSE, FSCTL_SET_ZERO_DATA, FSCTL_QUERY_ALLOCATED_RANGES,
// FSCTL_GET_REPARSE_POINT, FSCTL_GET_COMPRESSION). A control's work is done at once (in
// prepare, Plan::done_now, for an overlapped handle); the I/O manager delivers it.
#pragma once

#include <windows.h>

#include "io/device.h"
#include "io/request.h"

namespace overlapped::drivers {

// What DeviceIoControl asks (io::Transfer::driver_request of an overlapped control). A
// file's requests of its own (ReadDirectoryChangesW's WatchRequest, whose first member is
// a filter of FILE_NOTIFY_CHANGE_* bits) never start with `tag`: is_ioctl() tells them apart.
constexpr DWORD kIoctlTag = 0x4C544349;  // "ICTL"
struct IoctlRequest {
    DWORD tag = kIoctlTag;
    DWORD code = 0;
    const void* in = nullptr;
    DWORD in_size = 0;
    void* out = nullptr;
    DWORD out_size = 0;
    ACCESS_MASK granted = 0;  // the handle's access
};

// How a control ended: ERROR_SUCCESS, ERROR_MORE_DATA (a warning: `bytes` of a partial
// result were written) or the error; `bytes` is lpBytesReturned.
struct IoctlResult {
    DWORD error = ERROR_SUCCESS;
    DWORD bytes = 0;
};

// Whether `transfer` is a DeviceIoControl request.
inline bool is_ioctl(const io::Transfer& transfer)
{
    return transfer.driver_request != nullptr &&
           static_cast<const IoctlRequest*>(transfer.driver_request)->tag == kIoctlTag;
}

// A driver's prepare() for a control whose work `result` holds: ERROR_SUCCESS with the
// request finished now (done_now) when it succeeded or warned, else the error (the
// request then fails at once and nothing is delivered, as Windows does with a control
// its driver fails without pending it).
DWORD ioctl_prepare(const IoctlResult& result, io::Request* request, io::Plan* plan);
// A driver's prepare() for an ordinary transfer: marks the request as not a control.
inline void ioctl_clear(io::Request* request);
// A driver's step(): true if `request` is a control (then *outcome is its ending). A
// driver whose own requests keep other state in Request::driver must tell those apart
// first (the file driver's watches: OpCode::Poll, which a control's operation never is).
bool ioctl_step(io::Request* request, io::Outcome* outcome);

// The file system controls of a regular file (or directory, or symbolic link opened with
// FILE_FLAG_OPEN_REPARSE_POINT) open as `descriptor`.
IoctlResult file_ioctl(int descriptor, const IoctlRequest& request);

// Whether the file is marked sparse (FSCTL_SET_SPARSE).
bool file_is_sparse(int descriptor);

struct IoctlState {
    bool active;
    DWORD status;
    DWORD bytes;
};

inline void ioctl_clear(io::Request* request) { request->driver_state<IoctlState>()->active = false; }

}  // namespace overlapped::drivers
