// devices.cpp: CreateFile's table of device names (devices.h).
#include "win32/devices.h"

#include "kernel/handle_table.h"
#include "win32/entry.h"
#include "win32/console_open.h"
#include "win32/volume.h"

namespace overlapped::win32 {

namespace {

// One driver's opener: true if the name is its own (then *handle is the result).
using Opener = bool (*)(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                        LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);

// The drivers' openers, tried in order. A driver adds its own line here.
constexpr Opener kOpeners[] = {
    nullptr,
    open_console_name,  // CONIN$, CONOUT$ (win32/console.cpp)
    open_drive,  // \\.\PHYSICALDRIVEn, \\.\X: (win32/volume.cpp)
    open_serial_port,  // COMn, LPTn (src/win32/comm.cpp)
};

}  // namespace

bool open_as_handle(kernel::Object* device, DWORD error, ACCESS_MASK rights, const SECURITY_ATTRIBUTES* attributes,
                    HANDLE* handle)
{
    *handle = INVALID_HANDLE_VALUE;
    if (device == nullptr) return fail(error, true);
    HANDLE made = kernel::handle_create(device, rights, inherit_flags(attributes), &error);
    if (made == nullptr) return fail(error, true);
    *handle = made;
    set_last_error(ERROR_SUCCESS);
    return true;
}

bool open_named_device(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    for (Opener opener : kOpeners)
        if (opener != nullptr && opener(name, access, share, disposition, flags, attributes, handle)) return true;
    return false;
}

}  // namespace overlapped::win32
