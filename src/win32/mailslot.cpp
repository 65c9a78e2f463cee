// mailslot.cpp: CreateMailslotA/W, GetMailslotInfo, SetMailslotInfo, and the client
// end CreateFile opens. Arguments and last errors here; the work in drivers/mailslot.
#include "win32/mailslot.h"

#include "common/errors.h"
#include "drivers/mailslot.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

HANDLE create_mailslot(const std::string& name, DWORD max_message_size, DWORD read_timeout,
                       LPSECURITY_ATTRIBUTES attributes)
{
    DWORD error;
    drivers::MailslotDevice* device = drivers::MailslotDevice::create_server(name, max_message_size, read_timeout, &error);
    if (device == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    // The server end only reads (Windows grants it no write access). The handle takes
    // over the device's reference.
    HANDLE handle = kernel::handle_create(device, FILE_GENERIC_READ, win32::inherit_flags(attributes), &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    set_last_error(ERROR_SUCCESS);
    return handle;
}

// The mailslot behind `handle` with a reference, or null with *error.
drivers::MailslotDevice* reference_mailslot(HANDLE handle, DWORD* error)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Mailslot, 0, error);
    if (object == nullptr) return nullptr;
    return static_cast<drivers::MailslotDevice*>(object);
}

}  // namespace

namespace overlapped::win32 {

HANDLE create_mailslot_client(const std::string& name, DWORD access, DWORD disposition, DWORD flags,
                              LPSECURITY_ATTRIBUTES attributes)
{
    DWORD error;
    drivers::MailslotDevice* device = drivers::MailslotDevice::open_client(name, flags, &error);
    if (device == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    // A client end only writes; the rights asked for are granted as asked (a read on it
    // fails in the driver, as on Windows).
    ACCESS_MASK granted = io::map_generic_file_access(access);
    HANDLE handle = kernel::handle_create(device, granted, win32::inherit_flags(attributes), &error);
    if (handle == nullptr) return fail(error, INVALID_HANDLE_VALUE);
    // The mailslot file system opens a client as an existing object (FILE_OPENED), and
    // kernelbase's CreateFile turns that into ERROR_ALREADY_EXISTS for OPEN_ALWAYS
    // (Microsoft Learn, CreateFileA: "If the specified file exists, the function succeeds
    // and the last-error code is set to ERROR_ALREADY_EXISTS"; Wine gives it too). Every
    // other disposition opens the mailslot as OPEN_EXISTING does, and says 0 (CREATE_ALWAYS
    // reports ERROR_ALREADY_EXISTS only for a file it overwrote, which a mailslot never is).
    set_last_error(disposition == OPEN_ALWAYS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

bool flush_mailslot(HANDLE handle, BOOL* result)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::Mailslot, 0, &granted, &error);
    if (object == nullptr) return false;
    object->release_reference();
    // As NtFlushBuffersFile: a handle that may not write cannot flush (Microsoft Learn,
    // FlushFileBuffers: "The handle must have the GENERIC_WRITE access right"), so the
    // server end and a client opened for reading only are refused. A client that may
    // write has nothing to flush that Windows' mailslot driver would accept: it keeps
    // the answer it had (ERROR_INVALID_HANDLE, as Wine 8 gives; Windows' is not known).
    *result = fail((granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)) == 0 ? ERROR_ACCESS_DENIED : ERROR_INVALID_HANDLE,
                   FALSE);
    return true;
}

}  // namespace overlapped::win32

extern "C" {

HANDLE WINAPI CreateMailslotA(LPCSTR lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                              LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    // As a name RtlDosPathNameToNtPathName_U cannot convert (a null one: Wine's kernel32
    // mailslot test, run on Windows; an empty one: the same conversion fails, as Wine gives).
    if (lpName == nullptr || lpName[0] == 0) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    return create_mailslot(lpName, nMaxMessageSize, lReadTimeout, lpSecurityAttributes);
}

HANDLE WINAPI CreateMailslotW(LPCWSTR lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                              LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    if (lpName == nullptr || lpName[0] == 0) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
    return create_mailslot(win32::utf8_from_utf16(lpName), nMaxMessageSize, lReadTimeout, lpSecurityAttributes);
}

BOOL WINAPI GetMailslotInfo(HANDLE hMailslot, LPDWORD lpMaxMessageSize, LPDWORD lpNextSize, LPDWORD lpMessageCount,
                            LPDWORD lpReadTimeout)
{
    DWORD error;
    drivers::MailslotDevice* device = reference_mailslot(hMailslot, &error);
    if (device == nullptr) return fail(error, FALSE);
    error = device->info(lpMaxMessageSize, lpNextSize, lpMessageCount, lpReadTimeout);
    device->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

BOOL WINAPI SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout)
{
    DWORD error;
    drivers::MailslotDevice* device = reference_mailslot(hMailslot, &error);
    if (device == nullptr) return fail(error, FALSE);
    error = device->set_read_timeout(lReadTimeout);
    device->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"
