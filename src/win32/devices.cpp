// devices.cpp: CreateFile's table of device names (devices.h).
#include "win32/devices.h"
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

bool open_named_device(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                       LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    for (Opener opener : kOpeners)
        if (opener != nullptr && opener(name, access, share, disposition, flags, attributes, handle)) return true;
    return false;
}

}  // namespace overlapped::win32
