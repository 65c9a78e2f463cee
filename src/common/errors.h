// errors.h: the one table from errno and NTSTATUS to Win32 error codes.
#pragma once

#include <windows.h>

namespace overlapped {

// The Win32 error a Windows program tests for when a Linux call fails with `error`
// (an errno value). docs/errors.md lists the table.
DWORD win32_error_from_errno(int error);

// The Win32 error for an NTSTATUS, as RtlNtStatusToDosError gives it, for the codes the
// library produces (OVERLAPPED.Internal holds the NTSTATUS; GetLastError the Win32 code).
DWORD win32_error_from_ntstatus(DWORD status);

// The NTSTATUS stored in OVERLAPPED.Internal for a request that failed with `error`.
DWORD ntstatus_from_win32_error(DWORD error);

// An NTSTATUS's class: an error (severity 3), not a warning (ERROR_MORE_DATA's
// STATUS_BUFFER_OVERFLOW) or a success; a success or an informational status.
inline bool nt_error(DWORD status) { return (status >> 30) == 3; }
inline bool nt_success(DWORD status) { return (status >> 31) == 0; }

}  // namespace overlapped
