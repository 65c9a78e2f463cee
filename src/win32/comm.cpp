// comm.cpp: serial and parallel ports: CreateFile's COMn and LPTn (the port map), the
// communications functions (GetCommState...). Arguments and last errors here; the work
// in drivers/serial (COM) and drivers/file (LPT: a printer device or a file).
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "drivers/serial.h"
#include "io/request.h"
#include "kernel/handle_table.h"
#include "win32/devices.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace {

bool equals_nocase(const std::string& a, size_t at, const char* b)
{
    for (size_t i = 0; b[i] != 0; ++i)
        if (at + i >= a.size() || toupper(static_cast<unsigned char>(a[at + i])) != b[i]) return false;
    return true;
}

// "COM3", "com3:", "\\.\COM3" (also with '/'): the port number, or 0 if `name` is not
// the port `prefix` ("COM" or "LPT") names.
unsigned port_number(const std::string& name, const char* prefix)
{
    size_t at = 0;
    if (name.size() > 4 && (name[0] == '\\' || name[0] == '/') && (name[1] == '\\' || name[1] == '/') &&
        (name[2] == '.' || name[2] == '?') && (name[3] == '\\' || name[3] == '/'))
        at = 4;
    if (!equals_nocase(name, at, prefix)) return 0;
    at += 3;
    size_t end = name.size();
    if (end > at && name[end - 1] == ':') --end;
    if (end == at || end - at > 3 || name[at] == '0') return 0;
    unsigned number = 0;
    for (size_t i = at; i < end; ++i) {
        if (!isdigit(static_cast<unsigned char>(name[i]))) return 0;
        number = number * 10 + static_cast<unsigned>(name[i] - '0');
    }
    return number >= 1 && number <= 255 ? number : 0;
}

// ---- the port map (docs/paths.md): "COM3=/dev/pts/5;LPT1=/tmp/printer".
void add_entry(std::map<std::string, std::string>* map, const std::string& entry)
{
    size_t start = entry.find_first_not_of(" \t");
    if (start == std::string::npos || entry[start] == '#') return;
    size_t equals = entry.find('=', start);
    if (equals == std::string::npos) return;
    std::string key = entry.substr(start, equals - start);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t' || key.back() == ':')) key.pop_back();
    for (char& c : key) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
    size_t path_start = entry.find_first_not_of(" \t", equals + 1);
    if (path_start == std::string::npos) return;
    size_t path_end = entry.find_last_not_of(" \t\r\n");
    (*map)[key] = entry.substr(path_start, path_end - path_start + 1);
}

void add_list(std::map<std::string, std::string>* map, const char* list)
{
    std::string text = list;
    size_t start = 0;
    for (;;) {
        size_t end = text.find(';', start);
        add_entry(map, text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

bool add_file(std::map<std::string, std::string>* map, const std::string& path)
{
    std::ifstream file(path);
    if (!file) return false;
    std::string line;
    while (std::getline(file, line)) add_entry(map, line);
    return true;
}

bool exists(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

// The port map for `prefix` ("COM" or "LPT"): the configuration file, then the variable
// (read at each use, so a program may set the variable before its CreateFile).
std::map<std::string, std::string> port_map(const char* prefix)
{
    std::map<std::string, std::string> map;
    std::string file;
    if (const char* config = getenv("XDG_CONFIG_HOME"))
        file = std::string(config) + "/overlapped/ports";
    else if (const char* home = getenv("HOME"))
        file = std::string(home) + "/.config/overlapped/ports";
    if (file.empty() || !add_file(&map, file)) add_file(&map, "/etc/overlapped/ports");
    if (const char* list = getenv(prefix[0] == 'C' ? "OVERLAPPED_COM" : "OVERLAPPED_LPT")) add_list(&map, list);
    return map;
}

// The Linux path of port `prefix``number`: the map's entry, then the default.
std::string port_path(const std::map<std::string, std::string>& map, const char* prefix, unsigned number)
{
    std::string key = std::string(prefix) + std::to_string(number);
    auto found = map.find(key);
    if (found != map.end()) return found->second;
    std::string index = std::to_string(number - 1);
    if (prefix[0] == 'C') {
        if (exists("/dev/ttyS" + index)) return "/dev/ttyS" + index;
        return "/dev/ttyUSB" + index;
    }
    if (exists("/dev/lp" + index)) return "/dev/lp" + index;
    return "/dev/usb/lp" + index;
}

std::string port_path(const char* prefix, unsigned number) { return port_path(port_map(prefix), prefix, number); }

bool open_com(const std::string& name, DWORD access, DWORD, DWORD, DWORD flags, LPSECURITY_ATTRIBUTES attributes,
              HANDLE* handle)
{
    unsigned number = port_number(name, "COM");
    if (number == 0) return false;
    DWORD error;
    drivers::SerialDevice* device = drivers::SerialDevice::open(port_path("COM", number), flags, &error);
    return win32::open_as_handle(device, error, io::map_generic_file_access(access), attributes, handle);
}

bool open_lpt(const std::string& name, DWORD access, DWORD share, DWORD, DWORD flags,
              LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    unsigned number = port_number(name, "LPT");
    if (number == 0) return false;
    std::string path = port_path("LPT", number);
    struct stat st;
    bool device_node = stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
    if (!device_node && path.rfind("/dev/", 0) == 0) {  // no printer there
        *handle = fail(static_cast<DWORD>(ERROR_FILE_NOT_FOUND), INVALID_HANDLE_VALUE);
        return true;
    }
    // A printer device, or a file the map names (opened, or made, and written from its
    // start: a printer is always there).
    bool existed = false;
    DWORD error;
    ACCESS_MASK rights = io::map_generic_file_access(access);
    drivers::FileDevice* device = drivers::FileDevice::open(
        path, rights, share, device_node ? OPEN_EXISTING : OPEN_ALWAYS,
        flags & (FILE_FLAG_OVERLAPPED | FILE_FLAG_WRITE_THROUGH), &existed, &error);
    return win32::open_as_handle(device, error, rights, attributes, handle);
}

// The serial port behind `handle` with a reference, or null with *error: a device of
// another kind refuses the request (ERROR_INVALID_FUNCTION, Windows'
// STATUS_INVALID_DEVICE_REQUEST), anything else is not a file handle.
drivers::SerialDevice* reference_serial(HANDLE handle, DWORD* error)
{
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Any, 0, error);
    if (object == nullptr) return nullptr;
    if (object->type() != kernel::ObjectType::Serial) {
        *error = io::is_device_type(object->type()) ? ERROR_INVALID_FUNCTION : ERROR_INVALID_HANDLE;
        object->release_reference();
        return nullptr;
    }
    return static_cast<drivers::SerialDevice*>(object);
}

template <class Call>
BOOL with_serial(HANDLE handle, Call call)
{
    DWORD error;
    drivers::SerialDevice* device = reference_serial(handle, &error);
    if (device == nullptr) return fail(error, FALSE);
    error = call(device);
    device->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

namespace overlapped::win32 {

bool open_serial_port(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                      LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    return open_com(name, access, share, disposition, flags, attributes, handle) ||
           open_lpt(name, access, share, disposition, flags, attributes, handle);
}

// FlushFileBuffers on a COM port (src/win32/file.cpp asks): false if `handle` is not one.
bool flush_serial_port(HANDLE handle, BOOL* result)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Serial, 0, &error);
    if (object == nullptr) return false;
    auto* device = static_cast<drivers::SerialDevice*>(object);
    error = io::run_synchronous([&] { return device->flush(); });
    device->release_reference();
    *result = error == ERROR_SUCCESS ? TRUE : fail(error, FALSE);
    return true;
}

std::vector<std::pair<std::string, std::string>> existing_ports()
{
    std::vector<std::pair<std::string, std::string>> ports;
    for (const char* prefix : {"COM", "LPT"}) {
        std::map<std::string, std::string> map = port_map(prefix);
        for (unsigned number = 1; number <= 255; ++number) {
            std::string path = port_path(map, prefix, number);
            if (exists(path)) ports.emplace_back(prefix + std::to_string(number), path);
        }
    }
    return ports;
}

}  // namespace overlapped::win32

extern "C" {

BOOL WINAPI GetCommState(HANDLE hFile, LPDCB lpDCB)
{
    if (lpDCB == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);  // (Windows faults)
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->get_state(lpDCB); });
}

BOOL WINAPI SetCommState(HANDLE hFile, LPDCB lpDCB)
{
    if (lpDCB == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->set_state(*lpDCB); });
}

BOOL WINAPI BuildCommDCBAndTimeoutsA(LPCSTR lpDef, LPDCB lpDCB, LPCOMMTIMEOUTS lpCommTimeouts)
{
    if (lpDef == nullptr || lpDCB == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!drivers::serial_build_dcb(lpDef, lpDCB, lpCommTimeouts)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

BOOL WINAPI BuildCommDCBAndTimeoutsW(LPCWSTR lpDef, LPDCB lpDCB, LPCOMMTIMEOUTS lpCommTimeouts)
{
    if (lpDef == nullptr || lpDCB == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (!drivers::serial_build_dcb(win32::utf8_from_utf16(lpDef), lpDCB, lpCommTimeouts))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    return TRUE;
}

BOOL WINAPI BuildCommDCBA(LPCSTR lpDef, LPDCB lpDCB) { return BuildCommDCBAndTimeoutsA(lpDef, lpDCB, nullptr); }
BOOL WINAPI BuildCommDCBW(LPCWSTR lpDef, LPDCB lpDCB) { return BuildCommDCBAndTimeoutsW(lpDef, lpDCB, nullptr); }

BOOL WINAPI GetCommTimeouts(HANDLE hFile, LPCOMMTIMEOUTS lpCommTimeouts)
{
    if (lpCommTimeouts == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->get_timeouts(lpCommTimeouts); });
}

BOOL WINAPI SetCommTimeouts(HANDLE hFile, LPCOMMTIMEOUTS lpCommTimeouts)
{
    if (lpCommTimeouts == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->set_timeouts(*lpCommTimeouts); });
}

BOOL WINAPI GetCommMask(HANDLE hFile, LPDWORD lpEvtMask)
{
    if (lpEvtMask == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->get_mask(lpEvtMask); });
}

BOOL WINAPI SetCommMask(HANDLE hFile, DWORD dwEvtMask)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->set_mask(dwEvtMask); });
}

BOOL WINAPI WaitCommEvent(HANDLE hFile, LPDWORD lpEvtMask, LPOVERLAPPED lpOverlapped)
{
    if (lpEvtMask == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    drivers::SerialDevice* device = reference_serial(hFile, &error);
    if (device == nullptr) return fail(error, FALSE);
    struct Release {
        drivers::SerialDevice* device;
        ~Release() { device->release_reference(); }
    } release{device};
    if (!device->overlapped_io()) {
        error = io::run_synchronous([&] { return device->wait_event_sync(lpEvtMask); });
        if (lpOverlapped != nullptr)
            io::complete_synchronously(device, lpOverlapped,
                                       error == ERROR_SUCCESS ? STATUS_SUCCESS : ntstatus_from_win32_error(error),
                                       error == ERROR_SUCCESS ? sizeof(DWORD) : 0);
        if (error != ERROR_SUCCESS) return fail(error, FALSE);
        return TRUE;
    }
    if (lpOverlapped == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    struct {
        DWORD* mask;
    } arguments{lpEvtMask};
    io::Transfer transfer;
    transfer.driver_request = &arguments;
    io::Submitted submitted = io::submit(device, transfer, lpOverlapped, nullptr);
    if (submitted.error == ERROR_SUCCESS) {
        if (submitted.status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(submitted.status), FALSE);
        set_last_error(ERROR_SUCCESS);
        return TRUE;
    }
    return fail(submitted.error, FALSE);  // ERROR_IO_PENDING, or the error
}

BOOL WINAPI ClearCommError(HANDLE hFile, LPDWORD lpErrors, LPCOMSTAT lpStat)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->clear_error(lpErrors, lpStat); });
}

BOOL WINAPI PurgeComm(HANDLE hFile, DWORD dwFlags)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->purge(dwFlags); });
}

BOOL WINAPI EscapeCommFunction(HANDLE hFile, DWORD dwFunc)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->escape(dwFunc); });
}

BOOL WINAPI SetCommBreak(HANDLE hFile) { return EscapeCommFunction(hFile, SETBREAK); }
BOOL WINAPI ClearCommBreak(HANDLE hFile) { return EscapeCommFunction(hFile, CLRBREAK); }

BOOL WINAPI GetCommModemStatus(HANDLE hFile, LPDWORD lpModemStat)
{
    if (lpModemStat == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->modem_status(lpModemStat); });
}

BOOL WINAPI SetupComm(HANDLE hFile, DWORD dwInQueue, DWORD dwOutQueue)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->setup(dwInQueue, dwOutQueue); });
}

BOOL WINAPI TransmitCommChar(HANDLE hFile, char cChar)
{
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->transmit_char(cChar); });
}

BOOL WINAPI GetCommProperties(HANDLE hFile, LPCOMMPROP lpCommProp)
{
    if (lpCommProp == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    return with_serial(hFile, [&](drivers::SerialDevice* device) { return device->properties(lpCommProp); });
}

}  // extern "C"
