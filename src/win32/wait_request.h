// wait_request.h: kernelbase's form of a call given no OVERLAPPED on an overlapped handle
// of a device that needs no offset (a pipe end, a socket).
#pragma once

#include <windows.h>

#include "io/request.h"

namespace overlapped::win32 {

// Issues `transfer` on `device` (the caller holds a reference) as kernelbase does for
// ReadFile, WriteFile, ConnectNamedPipe or TransactNamedPipe with no OVERLAPPED on an
// overlapped handle: with no event and no completion-port context (the handle is
// signalled at the end; no packet reaches a bound port), then waits for it. Returns the
// request's answer as io::submit does, never ERROR_IO_PENDING: ERROR_SUCCESS with the
// status and count it was delivered with, or the error it failed with at once. Windows
// waits on the handle and trusts its signal, which another request may give; here the
// OVERLAPPED is on our stack, so the wait ends only once this request is delivered.
io::Submitted submit_and_wait(HANDLE handle, io::Device* device, const io::Transfer& transfer);

// The same as a synchronous request of the calling thread: CancelSynchronousIo cancels it
// (it ends with STATUS_CANCELLED), and a completion port counts the thread as blocked
// meanwhile. For a mailslot server's ReadFile with no OVERLAPPED, which waits for its
// message behind the reads issued before it.
io::Submitted submit_and_wait_cancellable(HANDLE handle, io::Device* device, const io::Transfer& transfer);

}  // namespace overlapped::win32
