// devices.h: CreateFile on the names of devices other than files, pipes and mailslots
// (the console's CONIN$/CONOUT$, COMn, LPTn, \\.\X:, \\.\PHYSICALDRIVEn...). Each driver's
// Win32 side says whether a name is its own; the first that claims it opens it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <windows.h>

namespace overlapped::kernel {
class Object;
}
namespace overlapped::io {
class Device;
}

namespace overlapped::win32 {

// If `name` (UTF-8, as the program gave it) names a device a driver below opens, opens it
// and returns true with *handle (INVALID_HANDLE_VALUE with the last error set on failure).
// False: not a device name; CreateFile goes on as for a file.
bool open_named_device(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);

// The end of an opener that claimed its name: `device` (one reference, taken over), or
// null when the driver failed with `error`, becomes a handle with `rights` and the
// inheritance `attributes` ask for. Sets *handle (INVALID_HANDLE_VALUE on failure) and
// the last error (ERROR_SUCCESS on success). Returns true, for the opener to return.
bool open_as_handle(kernel::Object* device, DWORD error, ACCESS_MASK rights, const SECURITY_ATTRIBUTES* attributes,
                    HANDLE* handle);

// The drivers' openers (each in its driver's Win32 file).
bool open_serial_port(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                      LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);  // comm.cpp
// FlushFileBuffers on a COM port: false if `handle` is not one (comm.cpp).
bool flush_serial_port(HANDLE handle, BOOL* result);
// The ports whose Linux device exists, as (name, device) pairs: COM1..COM255, then
// LPT1..LPT255, each from the port map or the default names (comm.cpp; docs/serial.md).
std::vector<std::pair<std::string, std::string>> existing_ports();
// FlushFileBuffers on a pipe end: false if `handle` is not one (pipe.cpp).
bool flush_pipe(HANDLE handle, BOOL* result);
// GetFileSizeEx on a pipe end: false if `handle` is not one (pipe.cpp). The size is what
// the end has to read, as Windows' pipe file system reports FileStandardInformation.
bool pipe_size(HANDLE handle, LARGE_INTEGER* size, BOOL* result);
// GetFileInformationByHandleEx(FileStandardInfo) on a pipe end: false if `handle` is not
// one (pipe.cpp).
bool pipe_standard_info(HANDLE handle, FILE_STANDARD_INFO* info, BOOL* result);
// SetFilePointerEx on a pipe end: false if `handle` is not one (pipe.cpp). A synchronous
// handle keeps a position nothing reads, as Windows' I/O manager does.
bool pipe_set_pointer(HANDLE handle, LONGLONG distance, DWORD method, LARGE_INTEGER* position, BOOL* result);
// GetFileInformationByHandle on a pipe end: false if `handle` is not one (pipe.cpp).
bool pipe_information(HANDLE handle, BY_HANDLE_FILE_INFORMATION* info, BOOL* result);
// The end of a request on a pipe end's synchronous handle that was given an OVERLAPPED
// (`error` its result, `bytes` its count): a success or a warning (ERROR_MORE_DATA) is
// written there, its event set and its routine queued; an error leaves the OVERLAPPED as
// marked pending (pipe.cpp).
void complete_pipe_sync(io::Device* pipe, OVERLAPPED* overlapped, DWORD error, DWORD bytes,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine = nullptr);
// The issue of a request on a pipe end's synchronous handle (`transact`: a
// TransactNamedPipe; else a read or, with `write`, a write): resets the handle and the
// OVERLAPPED's event (io::synchronous_issue), and returns the error the pipe file system
// answers at once from the end's state (ERROR_SUCCESS: the request goes on, and its end
// signals the handle with io::synchronous_end). A request failed so leaves the handle
// unsignalled (pipe.cpp).
DWORD pipe_sync_issue(io::Device* pipe, const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine,
                      bool write, bool transact);

}  // namespace overlapped::win32
