// pipe.cpp: the pipe functions: CreatePipe, CreateNamedPipe, ConnectNamedPipe and the
// rest of namedpipeapi.h, and CreateFile's path for "\\.\pipe\name". Arguments and last
// errors here; the work in drivers/pipe (docs/pipes.md).
#include <cstring>
#include <string>

#include "common/errors.h"
#include "drivers/namespace.h"
#include "drivers/pipe.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/devices.h"
#include "win32/entry.h"
#include "win32/wait_request.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

// The longest pipe name CreateNamedPipe takes: 256 characters after "\\.\pipe\".
constexpr size_t kMaxPipePath = 9 + 256;

// Security bits CreateNamedPipe's open mode may carry (ignored here).
constexpr DWORD kOpenModeSecurity = 0x00040000 /* WRITE_DAC */ | 0x00080000 /* WRITE_OWNER */ |
                                    0x01000000 /* ACCESS_SYSTEM_SECURITY */;

// The pipe behind `handle` with a reference, or null with the last error set.
// `access`: the rights the call needs on the handle (ERROR_ACCESS_DENIED without them), as
// Windows' I/O manager checks them for the request the call makes.
drivers::PipeDevice* reference_pipe(HANDLE handle, ACCESS_MASK access = 0)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Pipe, access, &error);
    if (object == nullptr) {
        // A handle of another kind (a file, an event) is not a pipe.
        if (error == ERROR_INVALID_HANDLE) {
            kernel::Object* other = kernel::handle_reference(handle, kernel::ObjectType::Any, 0, &error);
            if (other != nullptr) {
                other->release_reference();
                return fail(io::is_device_type(other->type()) ? ERROR_INVALID_FUNCTION : ERROR_INVALID_HANDLE,
                            static_cast<drivers::PipeDevice*>(nullptr));
            }
        }
        return fail(error, static_cast<drivers::PipeDevice*>(nullptr));
    }
    return static_cast<drivers::PipeDevice*>(object);
}

struct PipeReference {
    drivers::PipeDevice* pipe;
    ~PipeReference()
    {
        if (pipe != nullptr) pipe->release_reference();
    }
};

HANDLE create_named_pipe(const std::string& name, DWORD open_mode, DWORD pipe_mode, DWORD max_instances,
                         DWORD out_size, DWORD in_size, DWORD timeout, LPSECURITY_ATTRIBUTES attributes)
{
    drivers::DeviceName parsed;
    if (DWORD error = drivers::parse_device_name(name, drivers::NameKind::Pipe, false, kMaxPipePath, &parsed))
        return fail(error, INVALID_HANDLE_VALUE);
    DWORD access = open_mode & PIPE_ACCESS_DUPLEX;
    DWORD known_open = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_WRITE_THROUGH |
                       FILE_FLAG_FIRST_PIPE_INSTANCE | kOpenModeSecurity;
    DWORD known_pipe = PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_NOWAIT | PIPE_REJECT_REMOTE_CLIENTS;
    if (access == 0 || (open_mode & ~known_open) || (pipe_mode & ~known_pipe))
        return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if ((pipe_mode & PIPE_READMODE_MESSAGE) && !(pipe_mode & PIPE_TYPE_MESSAGE))
        return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if (max_instances == 0 || max_instances > PIPE_UNLIMITED_INSTANCES)
        return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    DWORD error;
    drivers::PipeDevice* pipe = drivers::PipeDevice::create_server(parsed, open_mode, pipe_mode, max_instances,
                                                                   out_size, in_size, timeout, &error);
    if (pipe == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    HANDLE handle = kernel::handle_create(pipe, pipe->granted(), win32::inherit_flags(attributes), &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    set_last_error(ERROR_SUCCESS);
    return handle;
}

template <class Char>
std::string utf8_name(const Char* name);
template <>
std::string utf8_name<char>(const char* name)
{
    return name;
}
template <>
std::string utf8_name<WCHAR>(const WCHAR* name)
{
    return win32::utf8_from_utf16(name);
}

template <class Char>
BOOL wait_named_pipe(const Char* name, DWORD timeout)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    drivers::DeviceName parsed;
    if (DWORD error = drivers::parse_device_name(utf8_name(name), drivers::NameKind::Pipe, false, kMaxPipePath, &parsed))
        return fail(error, FALSE);
    DWORD error = io::run_synchronous([&] { return drivers::PipeDevice::wait_name(parsed, timeout); });
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

template <class Char>
BOOL call_named_pipe(const Char* name, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size, LPDWORD read,
                     DWORD timeout)
{
    if (name == nullptr) return fail(ERROR_PATH_NOT_FOUND, FALSE);
    std::string utf8 = utf8_name(name);
    HANDLE pipe = INVALID_HANDLE_VALUE;
    for (int attempt = 0; attempt < 2 && pipe == INVALID_HANDLE_VALUE; ++attempt) {
        pipe = CreateFileA(utf8.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
        if (pipe != INVALID_HANDLE_VALUE) break;
        if (attempt != 0 || GetLastError() != ERROR_PIPE_BUSY) return FALSE;
        if (!WaitNamedPipeA(utf8.c_str(), timeout)) return FALSE;
    }
    if (pipe == INVALID_HANDLE_VALUE) return FALSE;
    DWORD mode = PIPE_READMODE_MESSAGE;
    BOOL ok = SetNamedPipeHandleState(pipe, &mode, nullptr, nullptr) &&
              TransactNamedPipe(pipe, in, in_size, out, out_size, read, nullptr);
    DWORD error = GetLastError();
    CloseHandle(pipe);
    set_last_error(ok ? ERROR_SUCCESS : error);
    return ok;
}

template <class Char>
BOOL handle_state(HANDLE handle, LPDWORD state, LPDWORD instances, LPDWORD max_collection, LPDWORD collect_timeout,
                  Char* user_name, DWORD user_name_size)
{
    // FilePipeInformation and FilePipeLocalInformation queries: FILE_READ_ATTRIBUTES.
    drivers::PipeDevice* pipe = reference_pipe(handle, FILE_READ_ATTRIBUTES);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    DWORD error = pipe->handle_state(state, instances);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    // The collection settings come from a FilePipeRemoteInformation query, which the pipe
    // file system answers for a client end only: a server end (an anonymous pipe's read
    // end too) fails with ERROR_INVALID_PARAMETER, after the state and instances were
    // written (Wine's conformance test, test_NamedPipeHandleState, records it). A local
    // client's settings are 0. The user name (the client's, through impersonation) is
    // empty: there are no Windows accounts here.
    if (max_collection != nullptr || collect_timeout != nullptr) {
        DWORD flags = 0;
        if (pipe->info(&flags, nullptr, nullptr, nullptr) == ERROR_SUCCESS && (flags & PIPE_SERVER_END))
            return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    if (max_collection != nullptr) *max_collection = 0;
    if (collect_timeout != nullptr) *collect_timeout = 0;
    if (user_name != nullptr && user_name_size > 0) user_name[0] = 0;
    return TRUE;
}

}  // namespace

namespace overlapped::win32 {

// CreateFile("\\.\pipe\name"): a client end (hooked from win32/file.cpp).
HANDLE pipe_create_file(const std::string& name, DWORD access, DWORD disposition, DWORD flags,
                        LPSECURITY_ATTRIBUTES attributes)
{
    drivers::DeviceName parsed;
    if (DWORD error = drivers::parse_device_name(name, drivers::NameKind::Pipe, false, kMaxPipePath, &parsed))
        return fail(error == ERROR_INVALID_NAME ? ERROR_FILE_NOT_FOUND : error, INVALID_HANDLE_VALUE);
    DWORD error;
    drivers::PipeDevice* pipe = drivers::PipeDevice::open_client(parsed, access, flags, &error);
    if (pipe == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    HANDLE handle = kernel::handle_create(pipe, pipe->granted(), win32::inherit_flags(attributes), &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    // The pipe file system opens a client as an existing object (FILE_OPENED), and
    // kernelbase's CreateFile turns that into ERROR_ALREADY_EXISTS for OPEN_ALWAYS
    // (Microsoft Learn, CreateFileA: "If the specified file exists, the function succeeds
    // and the last-error code is set to ERROR_ALREADY_EXISTS"); CREATE_ALWAYS reports it only
    // for a file it overwrote, which a pipe never is.
    set_last_error(disposition == OPEN_ALWAYS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

// FlushFileBuffers on a pipe end (hooked from win32/file.cpp): false if `handle` is not one.
bool flush_pipe(HANDLE handle, BOOL* result)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::Pipe, 0, &granted, &error);
    if (object == nullptr) return false;
    auto* pipe = static_cast<drivers::PipeDevice*>(object);
    // As NtFlushBuffersFile: a handle that may not write cannot flush (on a pipe,
    // FILE_APPEND_DATA is FILE_CREATE_PIPE_INSTANCE and does not count).
    error = (granted & FILE_WRITE_DATA) == 0 ? ERROR_ACCESS_DENIED : pipe->flush();
    pipe->release_reference();
    *result = error == ERROR_SUCCESS ? TRUE : fail(error, FALSE);
    return true;
}

namespace {

// What a pipe end has to read, as the pipe file system's FileStandardInformation says it.
// False if `handle` is not a pipe end; else *error (ERROR_SUCCESS, or why not) and, with
// `quotas`, the end's buffer sizes added up (its AllocationSize), with `index` a nonzero
// number naming the end while it is open (its IndexNumber).
bool pipe_standard(HANDLE handle, DWORD* available, ULONGLONG* quotas, DWORD* error, ULONGLONG* index = nullptr)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Pipe, 0, error);
    if (object == nullptr) return false;
    auto* pipe = static_cast<drivers::PipeDevice*>(object);
    if (index != nullptr) *index = reinterpret_cast<uintptr_t>(pipe);
    *available = 0;
    *error = pipe->peek(nullptr, 0, nullptr, available, nullptr);
    drivers::PipeEnd end = pipe->end();
    DWORD out_size = 0, in_size = 0;
    if (quotas != nullptr && pipe->info(nullptr, &out_size, &in_size, nullptr) == ERROR_SUCCESS)
        *quotas = static_cast<ULONGLONG>(out_size) + in_size;
    pipe->release_reference();
    // An end with nothing of its own to read (a listening or disconnected server, the
    // write end of an anonymous pipe) has 0; a client its server disconnected fails
    // (Wine's ntdll pipe test: FileStandardInformation in each state).
    if (*error == ERROR_BAD_PIPE || *error == ERROR_ACCESS_DENIED ||
        (*error == ERROR_PIPE_NOT_CONNECTED && end == drivers::PipeEnd::Server)) {
        *available = 0;
        *error = ERROR_SUCCESS;
    }
    return true;
}

}  // namespace

bool pipe_size(HANDLE handle, LARGE_INTEGER* size, BOOL* result)
{
    DWORD available = 0, error = ERROR_SUCCESS;
    if (!pipe_standard(handle, &available, nullptr, &error)) return false;
    if (error != ERROR_SUCCESS) {
        *result = fail(error, FALSE);
        return true;
    }
    size->QuadPart = available;
    *result = TRUE;
    return true;
}

bool pipe_set_pointer(HANDLE handle, LONGLONG distance, DWORD method, LARGE_INTEGER* position, BOOL* result)
{
    DWORD error = ERROR_SUCCESS;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Pipe, 0, &error);
    if (object == nullptr) return false;
    auto* pipe = static_cast<drivers::PipeDevice*>(object);
    // kernelbase's SetFilePointerEx: the base (the position, or FileStandardInformation's
    // end of file: what there is to read), a negative result refused, then
    // FilePositionInformation set. Windows' I/O manager answers both for a synchronous
    // handle itself; an overlapped one's request reaches the pipe file system, which
    // refuses it (ReactOS' NtSetInformationFile and NPFS, NpCommonSetInformation).
    LONGLONG base = 0;
    if (method == FILE_CURRENT) {
        base = pipe->file_position();
    } else if (method == FILE_END) {
        DWORD available = 0;
        if (pipe_standard(handle, &available, nullptr, &error) && error == ERROR_SUCCESS) base = available;
    } else if (method != FILE_BEGIN) {
        error = ERROR_INVALID_PARAMETER;
    }
    LONGLONG target = base + distance;
    if (error == ERROR_SUCCESS && target < 0) error = ERROR_NEGATIVE_SEEK;
    if (error == ERROR_SUCCESS && pipe->overlapped_io()) error = ERROR_INVALID_PARAMETER;
    if (error == ERROR_SUCCESS) pipe->set_file_position(target);
    pipe->release_reference();
    if (error != ERROR_SUCCESS) {
        *result = fail(error, FALSE);
        return true;
    }
    if (position != nullptr) position->QuadPart = target;
    *result = TRUE;
    return true;
}

bool pipe_information(HANDLE handle, BY_HANDLE_FILE_INFORMATION* info, BOOL* result)
{
    DWORD available = 0, error = ERROR_SUCCESS;
    ULONGLONG index = 0;
    if (!pipe_standard(handle, &available, nullptr, &error, &index)) return false;
    if (error != ERROR_SUCCESS) {
        *result = fail(error, FALSE);
        return true;
    }
    // kernelbase builds it from FileFsVolumeInformation and FileAllInformation, which the
    // pipe file system answers (ReactOS' kernel-mode NPFS tests, run on Windows): serial
    // number 0, no times, FILE_ATTRIBUTE_NORMAL, what there is to read as the size, one
    // link, and a nonzero index.
    memset(info, 0, sizeof(*info));
    info->dwFileAttributes = FILE_ATTRIBUTE_NORMAL;
    info->nFileSizeLow = available;
    info->nNumberOfLinks = 1;
    info->nFileIndexHigh = static_cast<DWORD>(index >> 32);
    info->nFileIndexLow = static_cast<DWORD>(index);
    *result = TRUE;
    return true;
}

bool pipe_standard_info(HANDLE handle, FILE_STANDARD_INFO* info, BOOL* result)
{
    DWORD available = 0, error = ERROR_SUCCESS;
    ULONGLONG quotas = 0;
    if (!pipe_standard(handle, &available, &quotas, &error)) return false;
    if (error != ERROR_SUCCESS) {
        *result = fail(error, FALSE);
        return true;
    }
    // The pipe file system's answer: the quotas as the allocation, what there is to read
    // as the end of the file, one link, and a pending delete (a pipe goes with its
    // handles; Wine's ntdll test records DeletePending TRUE on Windows).
    info->AllocationSize.QuadPart = static_cast<LONGLONG>(quotas);
    info->EndOfFile.QuadPart = available;
    info->NumberOfLinks = 1;
    info->DeletePending = TRUE;
    info->Directory = FALSE;
    *result = TRUE;
    return true;
}

void complete_pipe_sync(io::Device* pipe, OVERLAPPED* overlapped, DWORD error, DWORD bytes,
                        LPOVERLAPPED_COMPLETION_ROUTINE routine)
{
    // As kernelbase and the I/O manager do for a pipe (Wine's kernel32 pipe test, on
    // Windows): the request was marked pending before it was issued, and one the pipe file
    // system failed is not completed, so the OVERLAPPED keeps that mark and its event
    // stays reset.
    if (overlapped == nullptr) return;
    DWORD status = error == ERROR_SUCCESS ? STATUS_SUCCESS : ntstatus_from_win32_error(error);
    if (nt_error(status)) return;
    io::complete_synchronously(pipe, overlapped, status, bytes, routine);
}

DWORD pipe_sync_issue(io::Device* pipe, const OVERLAPPED* overlapped, LPOVERLAPPED_COMPLETION_ROUTINE routine,
                      bool write, bool transact)
{
    // Windows' I/O manager resets the file object's event at every issue, and signals it
    // again at the completion only for a success, a warning, or an error of a request that
    // was pending first (ReactOS's IopCompleteRequest, a reimplementation of it). A request
    // the pipe file system fails at once from the end's state is none of those: the handle
    // stays unsignalled (Wine's kernel32 pipe test, test_DisconnectNamedPipe, on Windows:
    // a client whose server disconnected is not signalled after its failed write and read).
    io::synchronous_issue(pipe, overlapped, routine);
    DWORD error = static_cast<drivers::PipeDevice*>(pipe)->state_refusal(write, transact);
    // A direction the end does not have is the handle's rights, checked before the issue.
    return error == ERROR_ACCESS_DENIED ? ERROR_SUCCESS : error;
}

}  // namespace overlapped::win32

extern "C" {

BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe, LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize)
{
    if (hReadPipe == nullptr || hWritePipe == nullptr) return fail(ERROR_NOACCESS, FALSE);
    drivers::PipeDevice* read_end = nullptr;
    drivers::PipeDevice* write_end = nullptr;
    DWORD error = drivers::PipeDevice::create_anonymous(nSize, &read_end, &write_end);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    DWORD flags = win32::inherit_flags(lpPipeAttributes);
    ACCESS_MASK write_access = write_end->granted();
    HANDLE read_handle = kernel::handle_create(read_end, read_end->granted(), flags, &error);
    if (read_handle == nullptr) {
        write_end->release_reference();
        return fail(error, FALSE);
    }
    HANDLE write_handle = kernel::handle_create(write_end, write_access, flags, &error);
    if (write_handle == nullptr) {
        CloseHandle(read_handle);
        return fail(error, FALSE);
    }
    *hReadPipe = read_handle;
    *hWritePipe = write_handle;
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                               DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                               LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    if (lpName == nullptr) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    // An ANSI name is converted into a MAX_PATH buffer first (as Windows does).
    if (strlen(lpName) >= MAX_PATH) return fail(ERROR_FILENAME_EXCED_RANGE, INVALID_HANDLE_VALUE);
    return create_named_pipe(lpName, dwOpenMode, dwPipeMode, nMaxInstances, nOutBufferSize, nInBufferSize,
                             nDefaultTimeOut, lpSecurityAttributes);
}

HANDLE WINAPI CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode, DWORD nMaxInstances,
                               DWORD nOutBufferSize, DWORD nInBufferSize, DWORD nDefaultTimeOut,
                               LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    if (lpName == nullptr) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    return create_named_pipe(win32::utf8_from_utf16(lpName), dwOpenMode, dwPipeMode, nMaxInstances, nOutBufferSize,
                             nInBufferSize, nDefaultTimeOut, lpSecurityAttributes);
}

BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped)
{
    io::mark_pending(lpOverlapped);  // refused at once, it stays so (Wine's pipe test, on Windows)
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    DWORD error = pipe->connect_check();
    if (error != ERROR_IO_PENDING) {
        // The I/O manager resets the request's event and the handle before the pipe file
        // system answers, and an error at once signals neither (Wine's ntdll pipe.c
        // test_overlapped, on Windows: a listen on a pipe whose client is already there
        // gives STATUS_PIPE_CONNECTED and leaves the event reset; pipe_sync_issue).
        io::synchronous_issue(pipe, lpOverlapped);
        return fail(error, FALSE);
    }
    if (pipe->overlapped_io()) {
        drivers::PipeRequest request;
        request.kind = drivers::PipeRequest::Connect;
        io::Transfer transfer;
        transfer.driver_request = &request;
        // No OVERLAPPED: the call waits for the listen (kernelbase's ConnectNamedPipe).
        io::Submitted result = lpOverlapped != nullptr ? io::submit(pipe, transfer, lpOverlapped, nullptr)
                                                       : win32::submit_and_wait(hNamedPipe, pipe, transfer);
        if (result.error != ERROR_SUCCESS) return fail(result.error, FALSE);
        if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
        set_last_error(ERROR_SUCCESS);
        return TRUE;
    }
    io::synchronous_issue(pipe, lpOverlapped);
    error = io::run_synchronous([&] { return pipe->connect_wait(); });
    io::synchronous_end(pipe);
    win32::complete_pipe_sync(pipe, lpOverlapped, error, 0);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe)
{
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    DWORD error = pipe->disconnect();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut) { return wait_named_pipe(lpNamedPipeName, nTimeOut); }
BOOL WINAPI WaitNamedPipeW(LPCWSTR lpNamedPipeName, DWORD nTimeOut) { return wait_named_pipe(lpNamedPipeName, nTimeOut); }

BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize, LPDWORD lpBytesRead,
                          LPDWORD lpTotalBytesAvail, LPDWORD lpBytesLeftThisMessage)
{
    // FSCTL_PIPE_PEEK's code asks for FILE_READ_DATA.
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe, FILE_READ_DATA);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    // A request of the handle as any other (kernelbase issues FSCTL_PIPE_PEEK with no
    // event): its issue resets the handle, its success signals it, a failure leaves it
    // reset (pipe_sync_issue).
    io::synchronous_issue(pipe);
    DWORD error = pipe->peek(lpBuffer, nBufferSize, lpBytesRead, lpTotalBytesAvail, lpBytesLeftThisMessage);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    io::synchronous_end(pipe);
    return TRUE;
}

BOOL WINAPI TransactNamedPipe(HANDLE hNamedPipe, LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                              DWORD nOutBufferSize, LPDWORD lpBytesRead, LPOVERLAPPED lpOverlapped)
{
    if (lpBytesRead != nullptr) *lpBytesRead = 0;
    io::mark_pending(lpOverlapped);  // refused at once, it stays so (Wine's pipe test, on Windows)
    // FSCTL_PIPE_TRANSCEIVE's code asks for FILE_READ_DATA and FILE_WRITE_DATA: a handle
    // without both (a CreatePipe end, a one-way client) is refused before the pipe's mode.
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe, FILE_READ_DATA | FILE_WRITE_DATA);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    if (pipe->overlapped_io()) {
        drivers::PipeRequest request;
        request.kind = drivers::PipeRequest::Transact;
        request.in = lpInBuffer;
        request.in_length = nInBufferSize;
        request.out = lpOutBuffer;
        request.out_length = nOutBufferSize;
        io::Transfer transfer;
        transfer.write = true;
        transfer.driver_request = &request;
        // No OVERLAPPED: the call waits for the transaction (kernelbase's TransactNamedPipe).
        io::Submitted result = lpOverlapped != nullptr ? io::submit(pipe, transfer, lpOverlapped, nullptr)
                                                       : win32::submit_and_wait(hNamedPipe, pipe, transfer);
        if (result.error == ERROR_SUCCESS) {
            if (lpBytesRead != nullptr) *lpBytesRead = result.bytes;
            if (result.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(result.status), FALSE);
            set_last_error(ERROR_SUCCESS);
            return TRUE;
        }
        return fail(result.error, FALSE);
    }
    DWORD read = 0;
    if (DWORD refused = win32::pipe_sync_issue(pipe, lpOverlapped, nullptr, false, true))
        return fail(refused, FALSE);  // the handle and the OVERLAPPED stay as the issue left them
    DWORD error = io::run_synchronous(
        [&] { return pipe->transact_sync(lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, &read); });
    io::synchronous_end(pipe);
    // With an OVERLAPPED the count is given only for a success (kernelbase).
    if (lpBytesRead != nullptr) *lpBytesRead = lpOverlapped != nullptr && error != ERROR_SUCCESS ? 0 : read;
    win32::complete_pipe_sync(pipe, lpOverlapped, error, read);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI CallNamedPipeA(LPCSTR lpNamedPipeName, LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                           DWORD nOutBufferSize, LPDWORD lpBytesRead, DWORD nTimeOut)
{
    return call_named_pipe(lpNamedPipeName, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesRead,
                           nTimeOut);
}

BOOL WINAPI CallNamedPipeW(LPCWSTR lpNamedPipeName, LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                           DWORD nOutBufferSize, LPDWORD lpBytesRead, DWORD nTimeOut)
{
    return call_named_pipe(lpNamedPipeName, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesRead,
                           nTimeOut);
}

BOOL WINAPI GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize, LPDWORD lpInBufferSize,
                             LPDWORD lpMaxInstances)
{
    // A FilePipeLocalInformation query: FILE_READ_ATTRIBUTES (Microsoft Learn: "GENERIC_WRITE
    // and FILE_READ_ATTRIBUTES access for a write-only pipe").
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe, FILE_READ_ATTRIBUTES);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    DWORD error = pipe->info(lpFlags, lpOutBufferSize, lpInBufferSize, lpMaxInstances);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI GetNamedPipeHandleStateA(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                     LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout, LPSTR lpUserName,
                                     DWORD nMaxUserNameSize)
{
    return handle_state(hNamedPipe, lpState, lpCurInstances, lpMaxCollectionCount, lpCollectDataTimeout, lpUserName,
                        nMaxUserNameSize);
}

BOOL WINAPI GetNamedPipeHandleStateW(HANDLE hNamedPipe, LPDWORD lpState, LPDWORD lpCurInstances,
                                     LPDWORD lpMaxCollectionCount, LPDWORD lpCollectDataTimeout, LPWSTR lpUserName,
                                     DWORD nMaxUserNameSize)
{
    return handle_state(hNamedPipe, lpState, lpCurInstances, lpMaxCollectionCount, lpCollectDataTimeout, lpUserName,
                        nMaxUserNameSize);
}

BOOL WINAPI SetNamedPipeHandleState(HANDLE hNamedPipe, LPDWORD lpMode, LPDWORD lpMaxCollectionCount,
                                    LPDWORD lpCollectDataTimeout)
{
    // Setting FilePipeInformation: FILE_WRITE_ATTRIBUTES (Microsoft Learn: GENERIC_WRITE, or
    // GENERIC_READ and FILE_WRITE_ATTRIBUTES for a read-only pipe).
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe, FILE_WRITE_ATTRIBUTES);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    if ((lpMaxCollectionCount != nullptr || lpCollectDataTimeout != nullptr) &&
        pipe->end() != drivers::PipeEnd::Client)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (lpMode == nullptr && lpMaxCollectionCount == nullptr && lpCollectDataTimeout == nullptr) return TRUE;
    DWORD error = pipe->set_mode(lpMode);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI GetNamedPipeClientProcessId(HANDLE Pipe, PULONG ClientProcessId)
{
    drivers::PipeDevice* pipe = reference_pipe(Pipe);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    // The pipe file system's answer to an attribute query with no room for the value.
    if (ClientProcessId == nullptr) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    DWORD error = pipe->process_id(true, ClientProcessId);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI GetNamedPipeServerProcessId(HANDLE Pipe, PULONG ServerProcessId)
{
    drivers::PipeDevice* pipe = reference_pipe(Pipe);
    if (pipe == nullptr) return FALSE;
    PipeReference hold{pipe};
    // The pipe file system's answer to an attribute query with no room for the value.
    if (ServerProcessId == nullptr) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    DWORD error = pipe->process_id(false, ServerProcessId);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// Impersonation needs Windows' security model (tokens), which this library does not have
// (docs/deviations.md).
BOOL WINAPI ImpersonateNamedPipeClient(HANDLE hNamedPipe)
{
    drivers::PipeDevice* pipe = reference_pipe(hNamedPipe);
    if (pipe == nullptr) return FALSE;
    pipe->release_reference();
    return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
}

}  // extern "C"
