// ioctl.h: DeviceIoControl's requests as drivers see them, and the file system controls
// on regular files (FSCTL_SET_SPARSE, FSCTL_SET_ZERO_DATA, FSCTL_QUERY_ALLOCATED_RANGES,
// FSCTL_GET_REPARSE_POINT, FSCTL_GET_COMPRESSION). A control's work is done at once,
// without the device's lock (in step() of a request finished now, Plan::done_now, for an
// overlapped handle); the I/O manager delivers it.
#pragma once

#include <windows.h>

#include "common/errors.h"
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

// A driver's prepare() for a control: records it and finishes the request now
// (done_now), so that its work is done in the driver's step(), which the I/O manager
// calls at once in the issuing thread without the device's lock (the work may take long:
// a range written with zeros, a disk's first sector read; object locks are spinlocks).
void ioctl_prepare(const IoctlRequest& control, io::Request* request, io::Plan* plan);
// A driver's prepare() for an ordinary transfer: marks the request as not a control.
inline void ioctl_clear(io::Request* request);
// A driver's step(): true if `request` is a control, then runs it (`run`: IoctlResult
// from const IoctlRequest&) and sets *outcome. A success or a warning is delivered; an
// error fails the call at once and nothing is delivered (the I/O manager drops a request
// that fails in its first step), as Windows does with a control its driver fails without
// pending it. A driver whose own requests keep other state in Request::driver must tell
// those apart first (the file driver's watches: OpCode::Poll, which a control's
// operation never is).
template <class Run>
bool ioctl_step(io::Request* request, io::Outcome* outcome, Run run);

// The file system controls of a regular file (or directory, or symbolic link opened with
// FILE_FLAG_OPEN_REPARSE_POINT) open as `descriptor`.
IoctlResult file_ioctl(int descriptor, const IoctlRequest& request);

// Whether the file is marked sparse (FSCTL_SET_SPARSE).
bool file_is_sparse(int descriptor);

struct IoctlState {
    bool active;
    IoctlRequest control;
};

inline void ioctl_clear(io::Request* request) { request->driver_state<IoctlState>()->active = false; }

template <class Run>
bool ioctl_step(io::Request* request, io::Outcome* outcome, Run run)
{
    IoctlState* state = request->driver_state<IoctlState>();
    if (!state->active) return false;
    state->active = false;
    IoctlResult result = run(static_cast<const IoctlRequest&>(state->control));
    if (result.error == ERROR_SUCCESS || result.error == ERROR_MORE_DATA) {
        outcome->status = result.error == ERROR_MORE_DATA ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
        outcome->bytes = result.bytes;
    } else {
        outcome->status = ntstatus_from_win32_error(result.error);
        outcome->bytes = 0;
    }
    return true;
}

}  // namespace overlapped::drivers
