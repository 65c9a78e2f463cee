// system.cpp: process-level helpers: system information, clocks, the system message table
// FormatMessage reads (format_message.cpp; the heaps are in heaps.cpp).
#include <windows.h>
#include <psapi.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <ctime>
#include <malloc.h>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "common/clock.h"
#include "kernel/thread_state.h"
#include "win32/entry.h"
#include "win32/mapping.h"

namespace {

void set_last_error(DWORD code) { overlapped::kernel::tls_last_error = code; }

// ---- System information ------------------------------------------------------------------

// wProcessorLevel / wProcessorRevision as Windows derives them on x86 (family; model << 8 |
// stepping) from /proc/cpuinfo; 6 / 0 when it cannot be read (and on aarch64, where Windows
// reports implementation-specific values we do not model).
void cpu_level_revision(WORD& level, WORD& revision)
{
    level = 6;
    revision = 0;
#if defined(__x86_64__)
    FILE* f = std::fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[256];
    int family = -1, model = -1, stepping = -1;
    while (std::fgets(line, sizeof line, f) && (family < 0 || model < 0 || stepping < 0)) {
        int value;
        if (family < 0 && std::sscanf(line, "cpu family : %d", &value) == 1) family = value;
        else if (model < 0 && std::sscanf(line, "model : %d", &value) == 1) model = value;
        else if (stepping < 0 && std::sscanf(line, "stepping : %d", &value) == 1) stepping = value;
    }
    std::fclose(f);
    if (family >= 0) level = static_cast<WORD>(family);
    if (model >= 0 && stepping >= 0) revision = static_cast<WORD>(((model & 0xFF) << 8) | (stepping & 0xFF));
#endif
}

// The user address space as 64-bit Windows gives it: from 64 KiB to the page below the last
// 64 KiB of the 128 TiB user half (GetSystemInfo's lpMinimum/lpMaximumApplicationAddress).
constexpr uint64_t kMinimumApplicationAddress = 0x10000;
constexpr uint64_t kMaximumApplicationAddress = 0x7FFFFFFEFFFFull;

// The processors (logical ones) online now, or that the system is configured with: at least 1.
DWORD processors(int which)
{
    long count = sysconf(which);
    return count < 1 ? 1 : static_cast<DWORD>(count);
}

void fill_system_info(LPSYSTEM_INFO info)
{
    std::memset(info, 0, sizeof *info);
#if defined(__x86_64__)
    info->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    info->dwProcessorType = PROCESSOR_AMD_X8664;
#elif defined(__aarch64__)
    info->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
    info->dwProcessorType = PROCESSOR_ARM;  // Windows on ARM64 reports 0 or ARM here; use the ARM constant
#endif
    long page = sysconf(_SC_PAGESIZE);
    info->dwPageSize = page > 0 ? static_cast<DWORD>(page) : 4096;
    info->lpMinimumApplicationAddress = reinterpret_cast<LPVOID>(kMinimumApplicationAddress);
    info->lpMaximumApplicationAddress = reinterpret_cast<LPVOID>(kMaximumApplicationAddress);
    DWORD cpus = processors(_SC_NPROCESSORS_ONLN);
    info->dwNumberOfProcessors = cpus;
    // One bit per processor, as Windows does within a processor group (at most 64).
    info->dwActiveProcessorMask = cpus >= 64 ? ~DWORD_PTR(0) : ((DWORD_PTR(1) << cpus) - 1);
    info->dwAllocationGranularity = 65536;
    cpu_level_revision(info->wProcessorLevel, info->wProcessorRevision);
}

// ---- Clocks ------------------------------------------------------------------------------

uint64_t clock_100ns(clockid_t clock)
{
    timespec ts;
    clock_gettime(clock, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 10000000u + static_cast<uint64_t>(ts.tv_nsec) / 100u;
}

uint64_t clock_ms(clockid_t clock)
{
    timespec ts;
    clock_gettime(clock, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

// ---- FormatMessage -----------------------------------------------------------------------

struct Message {
    DWORD id;
    const char* text;  // without the trailing line break
};

// Windows' English system message texts (the SDK winerror.h MessageText), one per code in
// winerror.h, the Winsock codes (10004-11004) and the common COM HRESULTs among them, as
// FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM) finds them on Windows. Sorted by id.
constexpr Message kMessages[] = {
    {0, "The operation completed successfully."},
    {1, "Incorrect function."},
    {2, "The system cannot find the file specified."},
    {3, "The system cannot find the path specified."},
    {4, "The system cannot open the file."},
    {5, "Access is denied."},
    {6, "The handle is invalid."},
    {8, "Not enough memory resources are available to process this command."},
    {9, "The storage control block address is invalid."},
    {10, "The environment is incorrect."},
    {11, "An attempt was made to load a program with an incorrect format."},
    {12, "The access code is invalid."},
    {13, "The data is invalid."},
    {14, "Not enough memory resources are available to complete this operation."},
    {15, "The system cannot find the drive specified."},
    {16, "The directory cannot be removed."},
    {17, "The system cannot move the file to a different disk drive."},
    {18, "There are no more files."},
    {19, "The media is write protected."},
    {20, "The system cannot find the device specified."},
    {21, "The device is not ready."},
    {22, "The device does not recognize the command."},
    {23, "Data error (cyclic redundancy check)."},
    {24, "The program issued a command but the command length is incorrect."},
    {25, "The drive cannot locate a specific area or track on the disk."},
    {26, "The specified disk or diskette cannot be accessed."},
    {27, "The drive cannot find the sector requested."},
    {29, "The system cannot write to the specified device."},
    {30, "The system cannot read from the specified device."},
    {31, "A device attached to the system is not functioning."},
    {32, "The process cannot access the file because it is being used by another process."},
    {33, "The process cannot access the file because another process has locked a portion of the file."},
    {38, "Reached the end of the file."},
    {39, "The disk is full."},
    {50, "The request is not supported."},
    {52, "You were not connected because a duplicate name exists on the network. If joining a domain, go to System in Control Panel to change the computer name and try again. If joining a workgroup, choose another workgroup name."},
    {53, "The network path was not found."},
    {54, "The network is busy."},
    {59, "An unexpected network error occurred."},
    {64, "The specified network name is no longer available."},
    {65, "Network access is denied."},
    {67, "The network name cannot be found."},
    {80, "The file exists."},
    {82, "The directory or file cannot be created."},
    {87, "The parameter is incorrect."},
    {109, "The pipe has been ended."},
    {110, "The system cannot open the device or file specified."},
    {111, "The file name is too long."},
    {112, "There is not enough space on the disk."},
    {120, "This function is not supported on this system."},
    {121, "The semaphore timeout period has expired."},
    {122, "The data area passed to a system call is too small."},
    {123, "The filename, directory name, or volume label syntax is incorrect."},
    {124, "The system call level is not correct."},
    {126, "The specified module could not be found."},
    {127, "The specified procedure could not be found."},
    {128, "There are no child processes to wait for."},
    {131, "An attempt was made to move the file pointer before the beginning of the file."},
    {132, "The file pointer cannot be set on the specified device or file."},
    {145, "The directory is not empty."},
    {156, "The recipient process has refused the signal."},
    {157, "The segment is already discarded and cannot be locked."},
    {158, "The segment is already unlocked."},
    {160, "One or more arguments are not correct."},
    {161, "The specified path is invalid."},
    {170, "The requested resource is in use."},
    {183, "Cannot create a file when that file already exists."},
    {187, "The specified system semaphore name was not found."},
    {191, "Cannot run %1 in Win32 mode."},
    {193, "%1 is not a valid Win32 application."},
    {203, "The system could not find the environment option that was entered."},
    {206, "The filename or extension is too long."},
    {210, "The signal handler cannot be set."},
    {223, "The file size exceeds the limit allowed and cannot be saved."},
    {230, "The pipe state is invalid."},
    {231, "All pipe instances are busy."},
    {232, "The pipe is being closed."},
    {233, "No process is on the other end of the pipe."},
    {234, "More data is available."},
    {235, "The action requested resulted in no work being done. Error-style clean-up has been performed."},
    {258, "The wait operation timed out."},
    {259, "No more data is available."},
    {267, "The directory name is invalid."},
    {275, "The extended attributes did not fit in the buffer."},
    {277, "The extended attribute table file is full."},
    {288, "Attempt to release mutex not owned by caller."},
    {298, "Too many posts were made to a semaphore."},
    {299, "Only part of a ReadProcessMemory or WriteProcessMemory request was completed."},
    {307, "A requested file lock operation cannot be processed due to an invalid byte range."},
    {317, "The system cannot find message text for message number 0x%1 in the message file for %2."},
    {327, "The command specified a data offset that does not align to the device's granularity/alignment."},
    {329, "An operation is currently in progress with the device."},
    {336, "An operation is not supported on a directory."},
    {487, "Attempt to access invalid address."},
    {534, "Arithmetic result exceeded 32 bits."},
    {535, "There is a process on other end of the pipe."},
    {536, "Waiting for a process to open the other end of the pipe."},
    {554, "Used to indicate that an operation cannot continue without blocking for I/O."},
    {698, "{Object Exists}\r\nAn attempt was made to create an object and the object name already existed."},
    {735, "ERROR_ABANDONED_WAIT_0"},
    {736, "ERROR_ABANDONED_WAIT_63"},
    {740, "The requested operation requires elevation."},
    {802, "The operation did not complete successfully because it would cause an oplock to be broken. The caller has requested that existing oplocks not be broken."},
    {995, "The I/O operation has been aborted because of either a thread exit or an application request."},
    {996, "Overlapped I/O event is not in a signaled state."},
    {997, "Overlapped I/O operation is in progress."},
    {998, "Invalid access to memory location."},
    {1001, "Recursion too deep; the stack overflowed."},
    {1004, "Invalid flags."},
    {1005, "The volume does not contain a recognized file system.\r\nPlease make sure that all required file system drivers are loaded and that the volume is not corrupted."},
    {1006, "The volume for a file has been externally altered so that the opened file is no longer valid."},
    {1011, "The configuration registry key could not be opened."},
    {1012, "The configuration registry key could not be read."},
    {1013, "The configuration registry key could not be written."},
    {1022, "A notify change request is being completed and the information is not being returned in the caller's buffer. The caller now needs to enumerate the files to find the changes."},
    {1053, "The service did not respond to the start or control request in a timely fashion."},
    {1113, "No mapping for the Unicode character exists in the target multi-byte code page."},
    {1114, "A dynamic link library (DLL) initialization routine failed."},
    {1130, "Not enough server memory resources are available to process this command."},
    {1132, "The base address or the file offset specified does not have the proper alignment."},
    {1142, "An attempt was made to create more links on a file than the file system supports."},
    {1150, "The specified program requires a newer version of Windows."},
    {1168, "Element not found."},
    {1214, "The format of the specified network name is invalid."},
    {1223, "The operation was canceled by the user."},
    {1224, "The requested operation cannot be performed on a file with a user-mapped section open."},
    {1225, "The remote computer refused the network connection."},
    {1226, "The network connection was gracefully closed."},
    {1227, "The network transport endpoint already has an address associated with it."},
    {1229, "An operation was attempted on a nonexistent network connection."},
    {1230, "An invalid operation was attempted on an active network connection."},
    {1231, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."},
    {1232, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."},
    {1233, "The network location cannot be reached. For information about network troubleshooting, see Windows Help."},
    {1234, "No service is operating at the destination network endpoint on the remote system."},
    {1235, "The request was aborted."},
    {1236, "The network connection was aborted by the local system."},
    {1237, "The operation could not be completed. A retry should be performed."},
    {1238, "A connection to the server could not be made because the limit on the number of concurrent connections for this account has been reached."},
    {1241, "The network address could not be used for the operation requested."},
    {1242, "The service is already registered."},
    {1280, "The current thread has already been converted to a fiber."},
    {1281, "The current thread has already been converted from a fiber."},
    {1305, "The revision level is unknown."},
    {1314, "A required privilege is not held by the client."},
    {1338, "The security descriptor structure is invalid."},
    {1392, "The file or directory is corrupted and unreadable."},
    {1393, "The disk structure is corrupted and unreadable."},
    {1400, "Invalid window handle."},
    {1438, "Invalid message box style."},
    {1444, "Invalid thread identifier."},
    {1450, "Insufficient system resources exist to complete the requested service."},
    {1453, "Insufficient quota to complete the requested service."},
    {1460, "This operation returned because the timeout period expired."},
    {1617, "The device has been removed."},
    {1656, "The objects are not identical."},
    {1784, "The supplied user buffer is not valid for the requested operation."},
    {1812, "The specified image file did not contain a resource section."},
    {1813, "The specified resource type cannot be found in the image file."},
    {1816, "Not enough quota is available to process this command."},
    {1921, "The name of the file cannot be resolved by the system."},
    {4317, "The operation identifier is not valid."},
    {4390, "The file or directory is not a reparse point."},
    {5010, "The object already exists."},
    {10004, "A blocking operation was interrupted by a call to WSACancelBlockingCall."},
    {10009, "The file handle supplied is not valid."},
    {10013, "An attempt was made to access a socket in a way forbidden by its access permissions."},
    {10014, "The system detected an invalid pointer address in attempting to use a pointer argument in a call."},
    {10022, "An invalid argument was supplied."},
    {10024, "Too many open sockets."},
    {10035, "A non-blocking socket operation could not be completed immediately."},
    {10036, "A blocking operation is currently executing."},
    {10037, "An operation was attempted on a non-blocking socket that already had an operation in progress."},
    {10038, "An operation was attempted on something that is not a socket."},
    {10039, "A required address was omitted from an operation on a socket."},
    {10040, "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself."},
    {10041, "A protocol was specified in the socket function call that does not support the semantics of the socket type requested."},
    {10042, "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call."},
    {10043, "The requested protocol has not been configured into the system, or no implementation for it exists."},
    {10044, "The support for the specified socket type does not exist in this address family."},
    {10045, "The attempted operation is not supported for the type of object referenced."},
    {10046, "The protocol family has not been configured into the system or no implementation for it exists."},
    {10047, "An address incompatible with the requested protocol was used."},
    {10048, "Only one usage of each socket address (protocol/network address/port) is normally permitted."},
    {10049, "The requested address is not valid in its context."},
    {10050, "A socket operation encountered a dead network."},
    {10051, "A socket operation was attempted to an unreachable network."},
    {10052, "The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress."},
    {10053, "An established connection was aborted by the software in your host machine."},
    {10054, "An existing connection was forcibly closed by the remote host."},
    {10055, "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full."},
    {10056, "A connect request was made on an already connected socket."},
    {10057, "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied."},
    {10058, "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call."},
    {10059, "Too many references to some kernel object."},
    {10060, "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond."},
    {10061, "No connection could be made because the target machine actively refused it."},
    {10062, "Cannot translate name."},
    {10063, "Name component or name was too long."},
    {10064, "A socket operation failed because the destination host was down."},
    {10065, "A socket operation was attempted to an unreachable host."},
    {10066, "Cannot remove a directory that is not empty."},
    {10067, "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously."},
    {10091, "WSAStartup cannot function at this time because the underlying system it uses to provide network services is currently unavailable."},
    {10092, "The Windows Sockets version requested is not supported."},
    {10093, "Either the application has not called WSAStartup, or WSAStartup failed."},
    {10101, "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence."},
    {10102, "No more results can be returned by WSALookupServiceNext."},
    {10109, "The specified class was not found."},
    {10111, "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled."},
    {11001, "No such host is known."},
    {11002, "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server."},
    {11003, "A non-recoverable error occurred during a database lookup."},
    {11004, "The requested name is valid, but no data of the requested type was found."},
    // COM HRESULTs that are not HRESULT_FROM_WIN32 codes.
    {0x80004001u, "Not implemented"},
    {0x80004002u, "No such interface supported"},
    {0x80004003u, "Invalid pointer"},
    {0x80004004u, "Operation aborted"},
    {0x80004005u, "Unspecified error"},
    {0x8000FFFFu, "Catastrophic failure"},
};

constexpr bool messages_sorted()
{
    for (size_t i = 1; i < sizeof kMessages / sizeof kMessages[0]; ++i)
        if (kMessages[i - 1].id >= kMessages[i].id) return false;
    return true;
}
static_assert(messages_sorted(), "find_message binary-searches kMessages");

const char* find_message(DWORD id)
{
    const Message* end = kMessages + sizeof kMessages / sizeof kMessages[0];
    const Message* m = std::lower_bound(kMessages, end, id, [](const Message& a, DWORD b) { return a.id < b; });
    return (m != end && m->id == id) ? m->text : nullptr;
}

}  // namespace

// The English text of a system message (FormatMessage, format_message.cpp), or nullptr.
const char* overlapped::win32::system_message_text(DWORD id) { return find_message(id); }


// ---- System information ------------------------------------------------------------------

void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    fill_system_info(lpSystemInfo);
}

// Same as GetSystemInfo: there is no WOW64 layer, the process is always native.
void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    fill_system_info(lpSystemInfo);
}

// The physical memory and the address space (sysinfo, /proc/meminfo's MemAvailable,
// /proc/self/statm). Windows' page file is Linux's swap: the "page file" totals are
// physical memory and swap together, as Windows' commit limit is.
BOOL WINAPI GlobalMemoryStatusEx(LPMEMORYSTATUSEX lpBuffer)
{
    if (lpBuffer == nullptr || lpBuffer->dwLength != sizeof(MEMORYSTATUSEX)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct sysinfo system{};
    if (sysinfo(&system) != 0) {
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    const uint64_t unit = system.mem_unit != 0 ? system.mem_unit : 1;
    uint64_t total = static_cast<uint64_t>(system.totalram) * unit;
    uint64_t available = static_cast<uint64_t>(system.freeram + system.bufferram) * unit;
    if (FILE* meminfo = fopen("/proc/meminfo", "re")) {
        char line[256];
        unsigned long long kib = 0;
        while (fgets(line, sizeof line, meminfo) != nullptr)
            if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
                available = static_cast<uint64_t>(kib) * 1024;
                break;
            }
        fclose(meminfo);
    }
    available = std::min(available, total);
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    // GetSystemInfo's application addresses, first to last, as Windows counts the total.
    const uint64_t address_space = kMaximumApplicationAddress - kMinimumApplicationAddress + 1;
    uint64_t used_space = 0;
    if (FILE* statm = fopen("/proc/self/statm", "re")) {
        unsigned long long pages = 0;
        if (fscanf(statm, "%llu", &pages) == 1) used_space = static_cast<uint64_t>(pages) * page;
        fclose(statm);
    }
    lpBuffer->dwMemoryLoad = total != 0 ? static_cast<DWORD>((total - available) * 100 / total) : 0;
    lpBuffer->ullTotalPhys = total;
    lpBuffer->ullAvailPhys = available;
    lpBuffer->ullTotalPageFile = total + static_cast<uint64_t>(system.totalswap) * unit;
    lpBuffer->ullAvailPageFile = available + static_cast<uint64_t>(system.freeswap) * unit;
    lpBuffer->ullTotalVirtual = address_space;
    lpBuffer->ullAvailVirtual = address_space > used_space ? address_space - used_space : 0;
    lpBuffer->ullAvailExtendedVirtual = 0;
    return TRUE;
}

// The old form: GlobalMemoryStatusEx's figures in SIZE_T fields (64 bits here, so nothing
// is cut); it sets dwLength itself, and the caller need not (Microsoft Learn, MEMORYSTATUS).
void WINAPI GlobalMemoryStatus(LPMEMORYSTATUS lpBuffer)
{
    if (lpBuffer == nullptr) return;
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof status;
    DWORD saved = overlapped::kernel::tls_last_error;
    if (!GlobalMemoryStatusEx(&status)) status = MEMORYSTATUSEX{};
    set_last_error(saved);  // a void function: the last error is left as it was
    lpBuffer->dwLength = sizeof(MEMORYSTATUS);
    lpBuffer->dwMemoryLoad = status.dwMemoryLoad;
    lpBuffer->dwTotalPhys = static_cast<SIZE_T>(status.ullTotalPhys);
    lpBuffer->dwAvailPhys = static_cast<SIZE_T>(status.ullAvailPhys);
    lpBuffer->dwTotalPageFile = static_cast<SIZE_T>(status.ullTotalPageFile);
    lpBuffer->dwAvailPageFile = static_cast<SIZE_T>(status.ullAvailPageFile);
    lpBuffer->dwTotalVirtual = static_cast<SIZE_T>(status.ullTotalVirtual);
    lpBuffer->dwAvailVirtual = static_cast<SIZE_T>(status.ullAvailVirtual);
}

// In KiB: Windows reads the installed modules from the firmware (SMBIOS); that table
// needs root on Linux, so this is the memory the kernel manages (GlobalMemoryStatusEx's
// ullTotalPhys), which leaves out what the firmware and the kernel keep. NULL:
// ERROR_INVALID_PARAMETER (Wine's kernel32 heap test, passing on Windows).
BOOL WINAPI GetPhysicallyInstalledSystemMemory(PULONGLONG TotalMemoryInKilobytes)
{
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof status;
    if (TotalMemoryInKilobytes == nullptr || !GlobalMemoryStatusEx(&status)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *TotalMemoryInKilobytes = status.ullTotalPhys / 1024;
    return TRUE;
}

namespace {

// The NetBIOS name Windows reports: the host name up to its first dot, in upper case, at
// most MAX_COMPUTERNAME_LENGTH characters.
std::string computer_name()
{
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::string name;
    for (const char* c = host; *c != '\0' && *c != '.' && name.size() < MAX_COMPUTERNAME_LENGTH; ++c)
        name += static_cast<char>(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
    return name.empty() ? std::string("LOCALHOST") : name;
}

// GetComputerNameA/W's protocol: a buffer too small gets ERROR_BUFFER_OVERFLOW and the
// size needed with the terminator; a success the length without it.
template <class Char>
BOOL copy_computer_name(const std::basic_string<Char>& name, Char* buffer, LPDWORD size)
{
    if (size == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (buffer == nullptr || *size <= name.size()) {
        *size = static_cast<DWORD>(name.size() + 1);
        set_last_error(ERROR_BUFFER_OVERFLOW);
        return FALSE;
    }
    std::copy(name.begin(), name.end(), buffer);
    buffer[name.size()] = 0;
    *size = static_cast<DWORD>(name.size());
    return TRUE;
}

}  // namespace

BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize)
{
    return copy_computer_name(computer_name(), lpBuffer, nSize);
}

BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize)
{
    std::string name = computer_name();
    std::basic_string<WCHAR> wide(name.begin(), name.end());  // ASCII: a host name's characters
    return copy_computer_name(wide, lpBuffer, nSize);
}

// GetComputerNameEx: the NetBIOS name is GetComputerName's; the DNS host name is the
// host name's first label as it is written, the DNS domain the rest of the host name
// (empty when the host name has no dot), the fully qualified name both. The "physical"
// forms are the same (no cluster). Microsoft Learn, GetComputerNameExW: a buffer too small
// (or none) fails with ERROR_MORE_DATA and the size needed with the terminator; success
// gives the length without it; an unknown format is ERROR_INVALID_PARAMETER.
namespace {
template <class Char>
BOOL computer_name_ex(COMPUTER_NAME_FORMAT format, Char* buffer, LPDWORD size)
{
    if (size == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::string full = host;
    size_t dot = full.find('.');
    std::string label = full.substr(0, dot), domain = dot == std::string::npos ? std::string() : full.substr(dot + 1);
    std::string name;
    switch (format) {
    case ComputerNameNetBIOS:
    case ComputerNamePhysicalNetBIOS: name = computer_name(); break;
    case ComputerNameDnsHostname:
    case ComputerNamePhysicalDnsHostname: name = label; break;
    case ComputerNameDnsDomain:
    case ComputerNamePhysicalDnsDomain: name = domain; break;
    case ComputerNameDnsFullyQualified:
    case ComputerNamePhysicalDnsFullyQualified: name = domain.empty() ? label : label + "." + domain; break;
    default:
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    std::basic_string<Char> out(name.begin(), name.end());  // a host name's characters are ASCII
    if (buffer == nullptr || *size <= out.size()) {
        *size = static_cast<DWORD>(out.size() + 1);
        set_last_error(ERROR_MORE_DATA);
        return FALSE;
    }
    std::copy(out.begin(), out.end(), buffer);
    buffer[out.size()] = 0;
    *size = static_cast<DWORD>(out.size());
    return TRUE;
}
}  // namespace

BOOL WINAPI GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize)
{
    return computer_name_ex(NameType, lpBuffer, nSize);
}

BOOL WINAPI GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize)
{
    return computer_name_ex(NameType, lpBuffer, nSize);
}

DWORD WINAPI GetCurrentProcessorNumber(void)
{
    int cpu = sched_getcpu();
    return cpu >= 0 ? static_cast<DWORD>(cpu) : 0;
}

// The group (of 64, below) and the number in it of the processor running the caller.
void WINAPI GetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    DWORD cpu = GetCurrentProcessorNumber();
    ProcNumber->Group = static_cast<WORD>(cpu / 64);
    ProcNumber->Number = static_cast<BYTE>(cpu % 64);
    ProcNumber->Reserved = 0;
}

namespace {

#if defined(__x86_64__)
// The cpuid leaf's registers, or zeros when the processor does not have that leaf.
struct CpuidRegisters {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};
CpuidRegisters cpuid(unsigned leaf)
{
    CpuidRegisters r;
    if (!__get_cpuid_count(leaf, 0, &r.eax, &r.ebx, &r.ecx, &r.edx)) r = CpuidRegisters{};
    return r;
}

// Whether /proc/cpuinfo's flags hold `flag` (what the kernel found and left enabled).
bool cpuinfo_flag(const char* flag)
{
    FILE* info = fopen("/proc/cpuinfo", "re");
    if (info == nullptr) return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, info) != nullptr) {
        char* colon = std::strchr(line, ':');
        if (strncmp(line, "flags", 5) != 0 || colon == nullptr) continue;
        char* rest = nullptr;
        for (char* word = strtok_r(colon + 1, " \n", &rest); word != nullptr; word = strtok_r(nullptr, " \n", &rest))
            if (strcmp(word, flag) == 0) found = true;
        break;  // the first processor's flags
    }
    fclose(info);
    return found;
}

// SSE's denormals-are-zero mode: bit 6 of the MXCSR mask FXSAVE stores (a mask of 0 means
// the default 0xFFBF, without it).
bool daz_available()
{
    alignas(16) unsigned char area[512] = {};
    __builtin_ia32_fxsave64(area);
    unsigned mask;
    std::memcpy(&mask, area + 28, sizeof mask);
    return mask != 0 && (mask & 0x40) != 0;
}
#endif

}  // namespace

// Whether the processor has the feature and the system lets programs use it, as 64-bit
// Windows answers on the same machine: from cpuid (AVX and later only with the registers'
// state saved by the system, as the C compiler's __builtin_cpu_supports checks),
// /proc/cpuinfo for virtualization, the auxiliary vector for FSGSBASE. On 64-bit x86,
// what every such processor has (MMX, SSE, SSE2, CMPXCHG8B, PAE) is TRUE. __fastfail
// (PF_FASTFAIL_AVAILABLE) is FALSE: its interrupt 0x29 is Windows' to handle, not
// Linux's. Features of other processors and unknown values: FALSE.
BOOL WINAPI IsProcessorFeaturePresent(DWORD ProcessorFeature)
{
#if defined(__x86_64__)
    const CpuidRegisters basic = cpuid(1), extended = cpuid(7), amd = cpuid(0x80000001);
    switch (ProcessorFeature) {
    case PF_COMPARE_EXCHANGE_DOUBLE:
    case PF_MMX_INSTRUCTIONS_AVAILABLE:
    case PF_XMMI_INSTRUCTIONS_AVAILABLE:
    case PF_XMMI64_INSTRUCTIONS_AVAILABLE:
    case PF_RDTSC_INSTRUCTION_AVAILABLE:
    case PF_PAE_ENABLED:
        return TRUE;
    case PF_3DNOW_INSTRUCTIONS_AVAILABLE: return (amd.edx >> 31) & 1;
    case PF_SSE_DAZ_MODE_AVAILABLE: return daz_available();
    case PF_NX_ENABLED: return (amd.edx >> 20) & 1;
    case PF_SSE3_INSTRUCTIONS_AVAILABLE: return basic.ecx & 1;
    case PF_COMPARE_EXCHANGE128: return (basic.ecx >> 13) & 1;
    case PF_XSAVE_ENABLED: return (basic.ecx >> 27) & 1;  // OSXSAVE: the system turned XSAVE on
    case PF_SECOND_LEVEL_ADDRESS_TRANSLATION: return cpuinfo_flag("ept") || cpuinfo_flag("npt");
    case PF_VIRT_FIRMWARE_ENABLED: return cpuinfo_flag("vmx") || cpuinfo_flag("svm");
    case PF_RDWRFSGSBASE_AVAILABLE: return (getauxval(AT_HWCAP2) & 2) != 0;  // HWCAP2_FSGSBASE
    case PF_RDRAND_INSTRUCTION_AVAILABLE: return (basic.ecx >> 30) & 1;
    case PF_RDTSCP_INSTRUCTION_AVAILABLE: return (amd.edx >> 27) & 1;
    case PF_RDPID_INSTRUCTION_AVAILABLE: return (extended.ecx >> 22) & 1;
    case PF_MONITORX_INSTRUCTION_AVAILABLE: return (amd.ecx >> 29) & 1;
    case PF_SSSE3_INSTRUCTIONS_AVAILABLE: return (basic.ecx >> 9) & 1;
    case PF_SSE4_1_INSTRUCTIONS_AVAILABLE: return (basic.ecx >> 19) & 1;
    case PF_SSE4_2_INSTRUCTIONS_AVAILABLE: return (basic.ecx >> 20) & 1;
    case PF_AVX_INSTRUCTIONS_AVAILABLE: return __builtin_cpu_supports("avx") != 0;
    case PF_AVX2_INSTRUCTIONS_AVAILABLE: return __builtin_cpu_supports("avx2") != 0;
    case PF_AVX512F_INSTRUCTIONS_AVAILABLE: return __builtin_cpu_supports("avx512f") != 0;
    case PF_ERMS_AVAILABLE: return (extended.ebx >> 9) & 1;
    default: return FALSE;
    }
#elif defined(__aarch64__)
    // Linux's arm64 HWCAP bits (asm/hwcap.h): ASIMD 1, AES 3, PMULL 4, SHA1 5, SHA2 6,
    // CRC32 7, ATOMICS 8, JSCVT 13, ASIMDDP 20. What every ARMv8-A processor has is TRUE.
    const unsigned long hwcap = getauxval(AT_HWCAP);
    auto has = [hwcap](unsigned long bits) -> BOOL { return (hwcap & bits) == bits; };
    switch (ProcessorFeature) {
    case PF_COMPARE_EXCHANGE_DOUBLE:
    case PF_NX_ENABLED:
    case PF_ARM_VFP_32_REGISTERS_AVAILABLE:
    case PF_ARM_DIVIDE_INSTRUCTION_AVAILABLE:
    case PF_ARM_64BIT_LOADSTORE_ATOMIC:
    case PF_ARM_FMAC_INSTRUCTIONS_AVAILABLE:
    case PF_ARM_V8_INSTRUCTIONS_AVAILABLE:
        return TRUE;
    case PF_ARM_NEON_INSTRUCTIONS_AVAILABLE: return has(1ul << 1);
    case PF_ARM_V8_CRYPTO_INSTRUCTIONS_AVAILABLE: return has((1ul << 3) | (1ul << 4) | (1ul << 5) | (1ul << 6));
    case PF_ARM_V8_CRC32_INSTRUCTIONS_AVAILABLE: return has(1ul << 7);
    case PF_ARM_V81_ATOMIC_INSTRUCTIONS_AVAILABLE: return has(1ul << 8);
    case PF_ARM_V83_JSCVT_INSTRUCTIONS_AVAILABLE: return has(1ul << 13);
    case PF_ARM_V82_DP_INSTRUCTIONS_AVAILABLE: return has(1ul << 20);
    default: return FALSE;
    }
#else
    (void)ProcessorFeature;
    return FALSE;
#endif
}

// ---- Processor groups: Windows puts at most 64 logical processors in a group; here the
// processors are numbered in groups of 64 in order (one group on machines of up to 64).

namespace {

constexpr DWORD kGroupSize = 64;
constexpr WORD kAllProcessorGroups = 0xFFFF;  // ALL_PROCESSOR_GROUPS

WORD groups_of(DWORD count) { return static_cast<WORD>((count + kGroupSize - 1) / kGroupSize); }

// The processors of `group` among `count`, or of all groups; 0 and ERROR_INVALID_PARAMETER
// for a group that does not exist.
DWORD processors_in_group(DWORD count, WORD group)
{
    if (group == kAllProcessorGroups) return count;
    if (group >= groups_of(count)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return std::min(kGroupSize, count - group * kGroupSize);
}

}  // namespace

WORD WINAPI GetActiveProcessorGroupCount(void)
{
    return groups_of(processors(_SC_NPROCESSORS_ONLN));
}

WORD WINAPI GetMaximumProcessorGroupCount(void)
{
    return groups_of(processors(_SC_NPROCESSORS_CONF));
}

// The processors online (as GetSystemInfo counts them), whatever the process's affinity.
DWORD WINAPI GetActiveProcessorCount(WORD GroupNumber)
{
    return processors_in_group(processors(_SC_NPROCESSORS_ONLN), GroupNumber);
}

// The processors the system is configured with, online or not.
DWORD WINAPI GetMaximumProcessorCount(WORD GroupNumber)
{
    return processors_in_group(processors(_SC_NPROCESSORS_CONF), GroupNumber);
}

// ---- Debugging ---------------------------------------------------------------------------

// Whether a debugger (any tracer: gdb, strace) is attached: /proc/self/status's TracerPid.
BOOL WINAPI IsDebuggerPresent(void)
{
    FILE* status = fopen("/proc/self/status", "re");
    if (status == nullptr) return FALSE;
    char line[256];
    long tracer = 0;
    while (fgets(line, sizeof line, status) != nullptr)
        if (sscanf(line, "TracerPid: %ld", &tracer) == 1) break;
    fclose(status);
    return tracer != 0 ? TRUE : FALSE;
}

// Windows hands the text to the attached debugger and drops it when there is none. A Linux
// debugger has no such channel: the text goes to standard error when the environment
// variable OVERLAPPED_DEBUG_STRINGS is set (as DebugView would show it), else nowhere.
void WINAPI OutputDebugStringA(LPCSTR lpOutputString)
{
    static const bool shown = getenv("OVERLAPPED_DEBUG_STRINGS") != nullptr;
    if (!shown || lpOutputString == nullptr) return;
    fputs(lpOutputString, stderr);
    fflush(stderr);
}

void WINAPI OutputDebugStringW(LPCWSTR lpOutputString)
{
    if (lpOutputString == nullptr) return;
    std::string text = overlapped::win32::utf8_from_utf16(lpOutputString);
    OutputDebugStringA(text.c_str());
}

// A breakpoint: SIGTRAP, which a debugger catches and which ends a process without one,
// as the breakpoint exception does on Windows.
void WINAPI DebugBreak(void)
{
    raise(SIGTRAP);
}

// (a * b) / c with a 64-bit product, rounded half away from zero; -1 when c is 0 or the
// result does not fit an int, as Windows answers.
int WINAPI MulDiv(int nNumber, int nNumerator, int nDenominator)
{
    if (nDenominator == 0) return -1;
    int64_t product = static_cast<int64_t>(nNumber) * nNumerator;
    int64_t half = (nDenominator < 0 ? -static_cast<int64_t>(nDenominator) : nDenominator) / 2;
    bool negative = (product < 0) != (nDenominator < 0);
    int64_t magnitude = (product < 0 ? -product : product);
    int64_t divisor = nDenominator < 0 ? -static_cast<int64_t>(nDenominator) : nDenominator;
    int64_t result = (magnitude + half) / divisor;
    if (negative) result = -result;
    if (result > INT32_MAX || result < INT32_MIN) return -1;
    return static_cast<int>(result);
}

// ---- Clocks ------------------------------------------------------------------------------

// Milliseconds since boot (CLOCK_BOOTTIME: includes suspend, as Windows), wrapping at 2^32.
DWORD WINAPI GetTickCount(void)
{
    return static_cast<DWORD>(clock_ms(CLOCK_BOOTTIME));
}

// Milliseconds since boot (CLOCK_BOOTTIME), not wrapping.
ULONGLONG WINAPI GetTickCount64(void)
{
    return clock_ms(CLOCK_BOOTTIME);
}

// CLOCK_MONOTONIC in 100 ns units, to match QueryPerformanceFrequency's 10 MHz.
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER* lpPerformanceCount)
{
    lpPerformanceCount->QuadPart = static_cast<LONGLONG>(clock_100ns(CLOCK_MONOTONIC));
    return TRUE;
}

// Always 10,000,000 counts per second, as on current Windows.
BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER* lpFrequency)
{
    lpFrequency->QuadPart = 10000000;
    return TRUE;
}

// The interrupt time without the time spent suspended: CLOCK_MONOTONIC (which stops in
// suspend) in 100 ns units, as QueryPerformanceCounter. NULL: ERROR_INVALID_PARAMETER, as
// Windows (Wine's kernel32 time test, test_QueryUnbiasedInterruptTime).
BOOL WINAPI QueryUnbiasedInterruptTime(PULONGLONG UnbiasedTime)
{
    if (UnbiasedTime == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *UnbiasedTime = clock_100ns(CLOCK_MONOTONIC);
    return TRUE;
}

// The time all processors together have spent idle, in the kernel (idle time included, as
// on Windows) and in user mode since boot: /proc/stat's "cpu" line (iowait counts as idle,
// interrupts as kernel, nice as user). Each pointer may be NULL.
BOOL WINAPI GetSystemTimes(PFILETIME lpIdleTime, PFILETIME lpKernelTime, PFILETIME lpUserTime)
{
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
    FILE* stat = fopen("/proc/stat", "re");
    int fields = stat ? fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle,
                               &iowait, &irq, &softirq)
                      : 0;
    if (stat) fclose(stat);
    if (fields < 4) {
        set_last_error(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    const unsigned long long per_tick = 10000000ull / static_cast<unsigned long long>(sysconf(_SC_CLK_TCK));
    auto store = [per_tick](PFILETIME out, unsigned long long ticks) {
        if (out == nullptr) return;
        uint64_t value = ticks * per_tick;
        out->dwLowDateTime = static_cast<DWORD>(value);
        out->dwHighDateTime = static_cast<DWORD>(value >> 32);
    };
    store(lpIdleTime, idle + iowait);
    store(lpKernelTime, system + irq + softirq + idle + iowait);
    store(lpUserTime, user + nice);
    return TRUE;
}

// UTC as 100 ns intervals since 1601-01-01.
void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    uint64_t t = overlapped::filetime_now();
    lpSystemTimeAsFileTime->dwLowDateTime = static_cast<DWORD>(t);
    lpSystemTimeAsFileTime->dwHighDateTime = static_cast<DWORD>(t >> 32);
}

// The same, as precise as the clock is (GetSystemTimeAsFileTime already is).
void WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    GetSystemTimeAsFileTime(lpSystemTimeAsFileTime);
}

// ---- Calendar time: SYSTEMTIME and FILETIME ----------------------------------------------

namespace {

constexpr uint64_t kTicksPerMs = 10000;
constexpr uint64_t kTicksPerDay = 86400ull * 1000 * kTicksPerMs;
// Days from 1601-01-01 to 1970-01-01.
constexpr int64_t kDays1601To1970 = 134774;

// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil), and back.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t* y, unsigned* m, unsigned* d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool leap(unsigned year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(unsigned year, unsigned month)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

uint64_t ticks_of(const FILETIME* time)
{
    return (static_cast<uint64_t>(time->dwHighDateTime) << 32) | time->dwLowDateTime;
}

void set_ticks(FILETIME* time, uint64_t ticks)
{
    time->dwLowDateTime = static_cast<DWORD>(ticks);
    time->dwHighDateTime = static_cast<DWORD>(ticks >> 32);
}

// 100 ns ticks since 1601 as the fields of a SYSTEMTIME.
void split_ticks(uint64_t ticks, SYSTEMTIME* out)
{
    uint64_t days = ticks / kTicksPerDay;
    uint64_t in_day = ticks % kTicksPerDay;
    int64_t year;
    unsigned month, day;
    civil_from_days(static_cast<int64_t>(days) - kDays1601To1970, &year, &month, &day);
    out->wYear = static_cast<WORD>(year);
    out->wMonth = static_cast<WORD>(month);
    out->wDay = static_cast<WORD>(day);
    out->wDayOfWeek = static_cast<WORD>((days + 1) % 7);  // 1601-01-01 was a Monday
    uint64_t ms = in_day / kTicksPerMs;
    out->wHour = static_cast<WORD>(ms / 3600000);
    out->wMinute = static_cast<WORD>(ms / 60000 % 60);
    out->wSecond = static_cast<WORD>(ms / 1000 % 60);
    out->wMilliseconds = static_cast<WORD>(ms % 1000);
}

// The local time zone's offset now, in ticks (east of UTC positive): Windows' conversions
// between UTC and local FILETIMEs use the bias in effect now, whatever the date.
int64_t local_bias_ticks()
{
    time_t now = time(nullptr);
    tm local{};
    localtime_r(&now, &local);
    return static_cast<int64_t>(local.tm_gmtoff) * 10000000;
}

}  // namespace

// UTC.
void WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime)
{
    split_ticks(overlapped::filetime_now(), lpSystemTime);
}

// The local time zone's time (its rules for daylight saving time at this moment).
void WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime)
{
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    tm local{};
    localtime_r(&now.tv_sec, &local);
    uint64_t ticks = static_cast<uint64_t>(static_cast<int64_t>(now.tv_sec) + local.tm_gmtoff) * 10000000 +
                     static_cast<uint64_t>(now.tv_nsec) / 100 + overlapped::kUnixEpochAsFileTime;
    split_ticks(ticks, lpSystemTime);
}

// ERROR_INVALID_PARAMETER for a field out of range (wDayOfWeek is ignored), as Windows.
BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME* lpSystemTime, LPFILETIME lpFileTime)
{
    const SYSTEMTIME& t = *lpSystemTime;
    if (t.wYear < 1601 || t.wYear > 30827 || t.wMonth < 1 || t.wMonth > 12 || t.wDay < 1 ||
        t.wDay > days_in_month(t.wYear, t.wMonth) || t.wHour > 23 || t.wMinute > 59 || t.wSecond > 59 ||
        t.wMilliseconds > 999)
    {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uint64_t days = static_cast<uint64_t>(days_from_civil(t.wYear, t.wMonth, t.wDay) + kDays1601To1970);
    uint64_t ms = ((static_cast<uint64_t>(t.wHour) * 60 + t.wMinute) * 60 + t.wSecond) * 1000 + t.wMilliseconds;
    set_ticks(lpFileTime, days * kTicksPerDay + ms * kTicksPerMs);
    return TRUE;
}

// ERROR_INVALID_PARAMETER for a time of 2^63 ticks or more, as Windows.
BOOL WINAPI FileTimeToSystemTime(const FILETIME* lpFileTime, LPSYSTEMTIME lpSystemTime)
{
    uint64_t ticks = ticks_of(lpFileTime);
    if (ticks >> 63) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    split_ticks(ticks, lpSystemTime);
    return TRUE;
}

BOOL WINAPI FileTimeToLocalFileTime(const FILETIME* lpFileTime, LPFILETIME lpLocalFileTime)
{
    set_ticks(lpLocalFileTime, ticks_of(lpFileTime) + static_cast<uint64_t>(local_bias_ticks()));
    return TRUE;
}

BOOL WINAPI LocalFileTimeToFileTime(const FILETIME* lpLocalFileTime, LPFILETIME lpFileTime)
{
    set_ticks(lpFileTime, ticks_of(lpLocalFileTime) - static_cast<uint64_t>(local_bias_ticks()));
    return TRUE;
}

LONG WINAPI CompareFileTime(const FILETIME* lpFileTime1, const FILETIME* lpFileTime2)
{
    uint64_t a = ticks_of(lpFileTime1), b = ticks_of(lpFileTime2);
    return a < b ? -1 : a > b ? 1 : 0;
}

// MS-DOS dates and times (FAT): the date's bits are the year since 1980 (7), the month (4)
// and the day (5); the time's the hour (5), the minute (6) and the second / 2 (5). Dates
// from 1980-01-01 to 2107-12-31 (Microsoft Learn: outside that range the conversion
// fails); either output NULL fails too, with ERROR_INVALID_PARAMETER (Wine's kernel32 time
// test, test_FileTimeToDosDateTime, passing on Windows). The odd second is dropped.
BOOL WINAPI FileTimeToDosDateTime(const FILETIME* lpFileTime, LPWORD lpFatDate, LPWORD lpFatTime)
{
    SYSTEMTIME t;
    if (lpFatDate == nullptr || lpFatTime == nullptr || !FileTimeToSystemTime(lpFileTime, &t) || t.wYear < 1980 ||
        t.wYear > 2107) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpFatDate = static_cast<WORD>(((t.wYear - 1980) << 9) | (t.wMonth << 5) | t.wDay);
    *lpFatTime = static_cast<WORD>((t.wHour << 11) | (t.wMinute << 5) | (t.wSecond / 2));
    return TRUE;
}

// The reverse; fields out of range (month 0 or 13-15, day 0, hour 24-31, minute 60-63,
// second 60 or 62, a day past the month's end) fail with ERROR_INVALID_PARAMETER, as
// SystemTimeToFileTime does.
BOOL WINAPI DosDateTimeToFileTime(WORD wFatDate, WORD wFatTime, LPFILETIME lpFileTime)
{
    SYSTEMTIME t{};
    t.wYear = static_cast<WORD>(1980 + (wFatDate >> 9));
    t.wMonth = static_cast<WORD>((wFatDate >> 5) & 0x0F);
    t.wDay = static_cast<WORD>(wFatDate & 0x1F);
    t.wHour = static_cast<WORD>(wFatTime >> 11);
    t.wMinute = static_cast<WORD>((wFatTime >> 5) & 0x3F);
    t.wSecond = static_cast<WORD>((wFatTime & 0x1F) * 2);
    return SystemTimeToFileTime(&t, lpFileTime);
}

// ---- Time zones ---------------------------------------------------------------------------

namespace {

constexpr int64_t kTicksPerMinute = 60ll * 10000000;

// The local offset (minutes east of UTC) and daylight flag at Unix time `t`.
void local_at(time_t t, long* offset_minutes, bool* daylight)
{
    tm local{};
    localtime_r(&t, &local);
    *offset_minutes = local.tm_gmtoff / 60;
    *daylight = local.tm_isdst > 0;
}

// The first second at or after `from` (and at most `end`) at which the daylight flag, or
// with `by_offset` the UTC offset, differs from the one just before; -1 if none.
time_t next_change(time_t from, time_t end, bool by_offset = false)
{
    auto state = [by_offset](time_t t) {
        long offset;
        bool daylight;
        local_at(t, &offset, &daylight);
        return by_offset ? offset : static_cast<long>(daylight);
    };
    long before = state(from);
    time_t low = from;
    for (time_t t = from + 3600; t <= end; t += 3600) {
        if (state(t) == before) {
            low = t;
            continue;
        }
        time_t high = t;  // the change is in (low, high]
        while (high - low > 1) {
            time_t middle = low + (high - low) / 2;
            (state(middle) == before ? low : high) = middle;
        }
        return high;
    }
    return -1;
}

// The weekday (0: Sunday) of a day counted from 1970-01-01, a Thursday.
WORD weekday_of(int64_t days) { return static_cast<WORD>(((days % 7) + 11) % 7); }

// A yearly transition rule (SYSTEMTIME with wYear 0) for the change at `t`: the month,
// the weekday and its occurrence (5: the last), and the wall-clock time the change happens
// at on the clock in effect before it (02:00:00 rather than 01:59:59). A change at 24:00 is
// the next day's 00:00, as Windows writes Cuba's (the second Sunday of March at 00:00):
// Chile's at the end of a Saturday is Sunday 00:00, not Saturday 00:00, a day early.
SYSTEMTIME rule_of(time_t t)
{
    time_t before = t - 1;
    tm local{};
    localtime_r(&before, &local);
    time_t wall_seconds = t + local.tm_gmtoff;  // the old clock's reading at the change
    tm wall{};
    gmtime_r(&wall_seconds, &wall);
    SYSTEMTIME rule{};
    rule.wMonth = static_cast<WORD>(wall.tm_mon + 1);
    rule.wDayOfWeek = static_cast<WORD>(wall.tm_wday);
    unsigned days = days_in_month(static_cast<unsigned>(wall.tm_year + 1900), rule.wMonth);
    rule.wDay = static_cast<WORD>(wall.tm_mday + 7 > static_cast<int>(days) ? 5 : (wall.tm_mday - 1) / 7 + 1);
    rule.wHour = static_cast<WORD>(wall.tm_hour);
    rule.wMinute = static_cast<WORD>(wall.tm_min);
    return rule;
}

void copy_name(WCHAR* out, const char* name)
{
    size_t i = 0;
    for (; name != nullptr && name[i] != '\0' && i < 31; ++i) out[i] = static_cast<WCHAR>(name[i]);
    out[i] = 0;
}

// The Unix time at which a yearly rule (or a fixed date, wYear != 0) falls in `year`, the
// rule's wall-clock time taken at UTC offset `offset_minutes` (east positive).
bool rule_instant(const SYSTEMTIME& rule, unsigned year, long offset_minutes, int64_t* instant)
{
    if (rule.wMonth < 1 || rule.wMonth > 12) return false;
    unsigned day;
    if (rule.wYear != 0) {
        day = rule.wDay;
    } else {
        // The weekday of the month's first day, then the wDay-th such weekday (5: the last).
        unsigned first_weekday = weekday_of(days_from_civil(year, rule.wMonth, 1));
        day = 1 + (rule.wDayOfWeek + 7 - first_weekday) % 7 + 7 * (rule.wDay - 1u);
        while (day > days_in_month(year, rule.wMonth)) day -= 7;
    }
    int64_t days = days_from_civil(year, rule.wMonth, day);
    *instant = days * 86400 + rule.wHour * 3600 + rule.wMinute * 60 + rule.wSecond - offset_minutes * 60;
    return true;
}

// Whether UTC Unix time `t` is in daylight saving time under `zone`'s rules.
bool zone_daylight(const TIME_ZONE_INFORMATION& zone, int64_t t)
{
    if (zone.DaylightDate.wMonth == 0) return false;
    time_t seconds = static_cast<time_t>(t);
    tm utc{};
    gmtime_r(&seconds, &utc);
    unsigned year = static_cast<unsigned>(utc.tm_year + 1900);
    // In 64 bits: a caller's biases may be any LONG (their int sum could overflow).
    long standard_offset = -(static_cast<long>(zone.Bias) + zone.StandardBias);
    long daylight_offset = -(static_cast<long>(zone.Bias) + zone.DaylightBias);
    int64_t begins, ends;
    // DaylightDate is in local standard time, StandardDate in local daylight time.
    if (!rule_instant(zone.DaylightDate, year, standard_offset, &begins) ||
        !rule_instant(zone.StandardDate, year, daylight_offset, &ends))
        return false;
    if (begins < ends) return t >= begins && t < ends;  // the northern hemisphere
    return t >= begins || t < ends;                     // the southern one
}

// Whether local wall-clock time `t` (seconds since 1970-01-01 on that clock) is daylight
// saving time under `zone`'s rules, as Windows decides it: from the DaylightDate's wall
// time (the skipped hour included) to the StandardDate's (the repeated hour being the
// last of daylight time).
bool zone_daylight_local(const TIME_ZONE_INFORMATION& zone, int64_t t)
{
    if (zone.DaylightDate.wMonth == 0) return false;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    int64_t begins, ends;
    if (!rule_instant(zone.DaylightDate, static_cast<unsigned>(year), 0, &begins) ||
        !rule_instant(zone.StandardDate, static_cast<unsigned>(year), 0, &ends))
        return false;
    if (begins < ends) return t >= begins && t < ends;
    return t >= begins || t < ends;
}

// `ticks` moved by `minutes` (positive: later) as a SYSTEMTIME; false when the result is
// before 1601 or at 2^63 ticks or later, which FileTimeToSystemTime refuses (Windows
// converts through it: ERROR_INVALID_PARAMETER).
bool shifted_system_time(uint64_t ticks, int64_t minutes, SYSTEMTIME* out)
{
    int64_t moved;
    if (__builtin_add_overflow(static_cast<int64_t>(ticks), minutes * kTicksPerMinute, &moved) || moved < 0)
        return false;
    split_ticks(static_cast<uint64_t>(moved), out);
    return true;
}

// The bias (minutes, UTC = local + bias) of `zone` when `daylight` is or is not in effect:
// a zone without transition dates has Bias alone, its StandardBias unused, as on Windows.
int64_t zone_bias(const TIME_ZONE_INFORMATION& zone, bool daylight)
{
    if (zone.DaylightDate.wMonth == 0) return zone.Bias;
    return static_cast<int64_t>(zone.Bias) + (daylight ? zone.DaylightBias : zone.StandardBias);
}

// `zone`, or when NULL the current zone (GetTimeZoneInformation) stored in `current`.
const TIME_ZONE_INFORMATION* zone_or_current(const TIME_ZONE_INFORMATION* zone, TIME_ZONE_INFORMATION* current)
{
    if (zone != nullptr) return zone;
    GetTimeZoneInformation(current);
    return current;
}

}  // namespace

namespace {

// The C library's zone (TZ, /etc/localtime) in `year`: the bias of standard time, the
// year's two transitions as yearly rules, the abbreviations as names (Windows has long
// names). `reference` (a time in that year) gives the offset of a year without
// transitions; *daylight_now whether daylight saving time is in effect then. False when the
// year has not two transitions; its DaylightBias is then -60, as Windows' zones without
// daylight saving time have it (their registry data; Wine's time test,
// test_GetTimeZoneInformationForYear, passing on Windows: Altai Standard Time in 2017).
// Daylight time is the one ahead, as on Windows (Ireland is GMT Standard Time: Bias 0,
// DaylightBias -60, daylight time from March), even where the C library's zone calls the
// other one daylight time (tzdata's negative DST: Europe/Dublin's winter).
bool zone_of_year(int64_t year, time_t reference, TIME_ZONE_INFORMATION* out, bool* daylight_now)
{
    TIME_ZONE_INFORMATION zone{};
    tzset();
    int64_t year_start = days_from_civil(year, 1, 1) * 86400 - 86400;
    int64_t year_end = days_from_civil(year + 1, 1, 1) * 86400 + 86400;
    long offset;
    local_at(reference, &offset, daylight_now);
    time_t first = next_change(static_cast<time_t>(year_start), static_cast<time_t>(year_end));
    time_t second = first < 0 ? -1 : next_change(first, static_cast<time_t>(year_end));
    long standard = offset, daylight = offset;
    bool transitions = first >= 0 && second >= 0;
    bool negative_dst = false;  // the C library's daylight time is behind its standard time
    if (transitions) {
        long offset_first, offset_second;
        bool to_daylight, back;
        local_at(first, &offset_first, &to_daylight);
        local_at(second, &offset_second, &back);
        if (offset_first != offset_second) {
            negative_dst = to_daylight != (offset_first > offset_second);
            to_daylight = offset_first > offset_second;
            *daylight_now = offset == (to_daylight ? offset_first : offset_second);
        }
        time_t begins = to_daylight ? first : second, ends = to_daylight ? second : first;
        standard = to_daylight ? offset_second : offset_first;
        daylight = to_daylight ? offset_first : offset_second;
        zone.DaylightDate = rule_of(begins);
        zone.StandardDate = rule_of(ends);
        zone.DaylightBias = -(daylight - standard);
    } else if ((first = next_change(static_cast<time_t>(year_start), static_cast<time_t>(year_end), true)) >= 0 &&
               next_change(first, static_cast<time_t>(year_end), true) < 0) {
        // The offset changes once (Altai's in 2016, from UTC+6 to UTC+7 for good): Windows
        // gives the year up to the change as daylight time from January 1st, DaylightBias
        // the old offset's (+60 there), as Wine's time test, test_GetTimeZoneInformationForYear,
        // has it (passing on Windows).
        long old_offset, new_offset;
        bool flag;
        local_at(first - 1, &old_offset, &flag);
        local_at(first, &new_offset, &flag);
        transitions = true;
        standard = new_offset;
        daylight = old_offset;
        zone.DaylightDate.wMonth = 1;
        zone.DaylightDate.wDay = 1;
        zone.DaylightDate.wDayOfWeek = weekday_of(days_from_civil(year, 1, 1));
        zone.StandardDate = rule_of(first);
        zone.DaylightBias = -(daylight - standard);
        *daylight_now = reference < first;
    } else {
        *daylight_now = false;
        zone.DaylightBias = -60;
    }
    zone.Bias = -standard;
    zone.StandardBias = 0;
    copy_name(zone.StandardName, tzname[negative_dst ? 1 : 0]);
    copy_name(zone.DaylightName, tzname[negative_dst ? 0 : 1]);
    *out = zone;
    return transitions;
}

// The zone's name: TZ's when it names a zone file ("Europe/Berlin", a path under
// .../zoneinfo/, "UTC"), else with no TZ /etc/timezone's or the zone file /etc/localtime
// links to; else (TZ a POSIX rule such as "CET-1CEST") the standard abbreviation.
std::string zone_key_name()
{
    auto under_zoneinfo = [](const char* path) -> const char* {
        const char* at = std::strstr(path, "zoneinfo/");
        return at != nullptr ? at + 9 : nullptr;
    };
    const char* tz = getenv("TZ");
    if (tz != nullptr && *tz == ':') ++tz;
    if (tz != nullptr && *tz != '\0') {
        if (*tz == '/') {
            if (const char* name = under_zoneinfo(tz)) return name;
        } else if (std::strpbrk(tz, "0123456789+-,<") == nullptr) {
            return tz;
        }
    } else {
        char line[256] = {};
        if (FILE* f = std::fopen("/etc/timezone", "re")) {
            bool read = std::fgets(line, sizeof line, f) != nullptr;
            std::fclose(f);
            line[std::strcspn(line, "\r\n")] = '\0';
            if (read && line[0] != '\0') return line;
        }
        char target[512];
        ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            if (const char* name = under_zoneinfo(target)) return name;
        }
    }
    tzset();
    return tzname[0];
}

// The key name as TimeZoneKeyName holds it (at most 127 characters and the terminator).
std::u16string zone_key_name_utf16()
{
    std::string key = zone_key_name();
    return std::u16string(key.begin(), key.begin() + static_cast<ptrdiff_t>(std::min<size_t>(key.size(), 127)));
}

}  // namespace

DWORD WINAPI GetTimeZoneInformation(LPTIME_ZONE_INFORMATION lpTimeZoneInformation)
{
    if (lpTimeZoneInformation == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return TIME_ZONE_ID_INVALID;
    }
    time_t now = time(nullptr);
    tm today{};
    localtime_r(&now, &today);
    bool daylight_now;
    if (!zone_of_year(today.tm_year + 1900, now, lpTimeZoneInformation, &daylight_now)) return TIME_ZONE_ID_UNKNOWN;
    return daylight_now ? TIME_ZONE_ID_DAYLIGHT : TIME_ZONE_ID_STANDARD;
}

// GetTimeZoneInformation's answer and the zone's name as TimeZoneKeyName: the IANA name
// ("Europe/Berlin"), not Windows' ("W. Europe Standard Time"), as the system has no other.
DWORD WINAPI GetDynamicTimeZoneInformation(PDYNAMIC_TIME_ZONE_INFORMATION pTimeZoneInformation)
{
    TIME_ZONE_INFORMATION zone;
    DWORD id = pTimeZoneInformation != nullptr ? GetTimeZoneInformation(&zone) : GetTimeZoneInformation(nullptr);
    if (id == TIME_ZONE_ID_INVALID) return id;
    DYNAMIC_TIME_ZONE_INFORMATION dynamic{};
    dynamic.Bias = zone.Bias;
    std::memcpy(dynamic.StandardName, zone.StandardName, sizeof zone.StandardName);
    dynamic.StandardDate = zone.StandardDate;
    dynamic.StandardBias = zone.StandardBias;
    std::memcpy(dynamic.DaylightName, zone.DaylightName, sizeof zone.DaylightName);
    dynamic.DaylightDate = zone.DaylightDate;
    dynamic.DaylightBias = zone.DaylightBias;
    std::u16string key = zone_key_name_utf16();
    std::copy(key.begin(), key.end(), dynamic.TimeZoneKeyName);
    dynamic.DynamicDaylightTimeDisabled = FALSE;
    *pTimeZoneInformation = dynamic;
    return id;
}

// The zone's rules in `wYear` (the transitions that year has, from the C library's zone
// history). pdtzi NULL, or naming the current zone (GetDynamicTimeZoneInformation's
// TimeZoneKeyName), is the current zone; another name is ERROR_FILE_NOT_FOUND, as Windows
// answers for a zone it does not have (this library looks up no zone but the current one).
BOOL WINAPI GetTimeZoneInformationForYear(USHORT wYear, PDYNAMIC_TIME_ZONE_INFORMATION pdtzi,
                                          LPTIME_ZONE_INFORMATION ptzi)
{
    if (ptzi == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (pdtzi != nullptr) {
        const WCHAR* name = pdtzi->TimeZoneKeyName;
        size_t length = 0;
        while (length < 128 && name[length] != 0) ++length;
        if (std::u16string(name, length) != zone_key_name_utf16()) {
            set_last_error(ERROR_FILE_NOT_FOUND);
            return FALSE;
        }
    }
    time_t now = time(nullptr);
    tm today{};
    localtime_r(&now, &today);
    // A year's reference time: now in this year, else the middle of the year.
    time_t reference = wYear == today.tm_year + 1900 ? now
                                                     : static_cast<time_t>((days_from_civil(wYear, 7, 1)) * 86400);
    bool daylight;
    zone_of_year(wYear, reference, ptzi, &daylight);
    return TRUE;
}

// Windows adds a time increment to the time of day at each clock interrupt; here the
// increment is the kernel's tick (the coarse clock's resolution) in 100 ns units, and as
// on Windows by default the adjustment is the system's own (TRUE: the clock is disciplined
// by the system, NTP here), the adjustment equal to the increment.
BOOL WINAPI GetSystemTimeAdjustment(PDWORD lpTimeAdjustment, PDWORD lpTimeIncrement, PBOOL lpTimeAdjustmentDisabled)
{
    if (lpTimeAdjustment == nullptr || lpTimeIncrement == nullptr || lpTimeAdjustmentDisabled == nullptr) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    timespec resolution{};
    clock_getres(CLOCK_REALTIME_COARSE, &resolution);
    uint64_t increment = (static_cast<uint64_t>(resolution.tv_sec) * 1000000000u + resolution.tv_nsec) / 100u;
    *lpTimeIncrement = static_cast<DWORD>(std::max<uint64_t>(1, std::min<uint64_t>(increment, 0xFFFFFFFFu)));
    *lpTimeAdjustment = *lpTimeIncrement;
    *lpTimeAdjustmentDisabled = TRUE;
    return TRUE;
}

namespace {

// Setting the clock: a time that is not one is ERROR_INVALID_PARAMETER; a valid one fails
// as on Windows for a process whose token has not enabled SE_SYSTEMTIME_NAME (disabled by
// default, and this library has no token to enable it in): ERROR_PRIVILEGE_NOT_HELD.
BOOL set_clock(const SYSTEMTIME* time)
{
    FILETIME checked;
    if (time == nullptr || !SystemTimeToFileTime(time, &checked)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    set_last_error(ERROR_PRIVILEGE_NOT_HELD);
    return FALSE;
}

}  // namespace

BOOL WINAPI SetSystemTime(const SYSTEMTIME* lpSystemTime)
{
    return set_clock(lpSystemTime);
}

BOOL WINAPI SetLocalTime(const SYSTEMTIME* lpSystemTime)
{
    return set_clock(lpSystemTime);
}

// A UTC SYSTEMTIME to local time in `zone`. NULL is the current zone as
// GetTimeZoneInformation gives it: this year's rules, applied to any year, as Windows does
// (its dynamic time zone history is SystemTimeToTzSpecificLocalTimeEx's); so the result
// converts back with TzSpecificLocalTimeToSystemTime(NULL). A local time outside
// FILETIME's range fails with ERROR_INVALID_PARAMETER.
BOOL WINAPI SystemTimeToTzSpecificLocalTime(const TIME_ZONE_INFORMATION* lpTimeZoneInformation,
                                            const SYSTEMTIME* lpUniversalTime, LPSYSTEMTIME lpLocalTime)
{
    FILETIME utc;
    if (lpUniversalTime == nullptr || lpLocalTime == nullptr || !SystemTimeToFileTime(lpUniversalTime, &utc)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    TIME_ZONE_INFORMATION current;
    const TIME_ZONE_INFORMATION* zone = zone_or_current(lpTimeZoneInformation, &current);
    uint64_t ticks = ticks_of(&utc);
    int64_t unix_seconds = static_cast<int64_t>(ticks / 10000000) - 11644473600ll;
    if (!shifted_system_time(ticks, -zone_bias(*zone, zone_daylight(*zone, unix_seconds)), lpLocalTime)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

// The reverse: a local time in `zone` to UTC. As on Windows, a local time that occurs
// twice (the hour daylight saving time ends) is taken as daylight time, and one that
// never occurs (the hour skipped as it begins) too. NULL is the current zone (as above); a
// UTC time outside FILETIME's range fails with ERROR_INVALID_PARAMETER.
BOOL WINAPI TzSpecificLocalTimeToSystemTime(const TIME_ZONE_INFORMATION* lpTimeZoneInformation,
                                            const SYSTEMTIME* lpLocalTime, LPSYSTEMTIME lpUniversalTime)
{
    FILETIME local;
    if (lpLocalTime == nullptr || lpUniversalTime == nullptr || !SystemTimeToFileTime(lpLocalTime, &local)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    TIME_ZONE_INFORMATION current;
    const TIME_ZONE_INFORMATION* zone = zone_or_current(lpTimeZoneInformation, &current);
    uint64_t ticks = ticks_of(&local);
    bool daylight = zone_daylight_local(*zone, static_cast<int64_t>(ticks / 10000000) - 11644473600ll);
    if (!shifted_system_time(ticks, zone_bias(*zone, daylight), lpUniversalTime)) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

// ---- Virtual memory: regions from mmap, remembered by base address and size, so that
// VirtualFree(MEM_RELEASE) with size 0 frees all of a region and commits and decommits
// stay inside one, as on Windows. A reserved page is mapped PROT_NONE (touching it faults,
// as on Windows); committing it applies the protection asked for (mprotect); decommitting
// drops its contents (MADV_DONTNEED: zeros when committed again) and makes it inaccessible.
namespace {
template <class T>
T fail(DWORD error, T value)
{
    overlapped::kernel::tls_last_error = error;
    return value;
}
// A region of VirtualAlloc: its length, the protection it was reserved with, and the
// state of its pages as runs: each key starts a run of pages (to the next key or the
// region's end) with one protection, 0 for pages reserved but not committed.
struct Region {
    size_t length = 0;
    DWORD allocation_protect = 0;
    std::map<uintptr_t, DWORD> runs;

    // [start, end) (pages inside the region) become `protect` (0: reserved).
    void set(uintptr_t start, uintptr_t end, DWORD protect)
    {
        auto at = runs.upper_bound(end);
        DWORD after = std::prev(at)->second;  // the run holding `end` (the first key is the base)
        if (end < base() + length && runs.find(end) == runs.end()) runs[end] = after;
        runs.erase(runs.lower_bound(start), runs.lower_bound(end));
        runs[start] = protect;
        // Neighbours of one protection are one run.
        auto next = runs.find(end);
        if (next != runs.end() && next->second == protect) runs.erase(next);
        auto here = runs.find(start);
        if (here != runs.begin() && std::prev(here)->second == protect) runs.erase(here);
    }
    // Whether every page of [start, end) is committed.
    bool committed(uintptr_t start, uintptr_t end) const
    {
        auto it = std::prev(runs.upper_bound(start));
        for (; it != runs.end() && it->first < end; ++it)
            if (it->second == 0) return false;
        return true;
    }
    uintptr_t base() const { return runs.begin()->first; }
};
std::mutex regions_mutex;
std::map<uintptr_t, Region>* regions = new std::map<uintptr_t, Region>();
// The pages VirtualLock locked (their addresses), under regions_mutex: VirtualUnlock
// needs all of its range locked, and Linux does not say which pages are.
std::set<uintptr_t>* locked_pages = new std::set<uintptr_t>();
// Under regions_mutex: the pages of [start, end) are unlocked (VirtualUnlock), or go
// (released, decommitted: madvise refuses locked pages; unmapped) and their locks with them.
void forget_locked(uintptr_t start, uintptr_t end)
{
    auto first = locked_pages->lower_bound(start), last = locked_pages->lower_bound(end);
    if (first == last) return;
    syscall(SYS_munlock, start, end - start);  // the system call: AddressSanitizer's munlock does nothing
    locked_pages->erase(first, last);
}

constexpr uintptr_t kAllocationGranularity = 64 * 1024;  // GetSystemInfo's dwAllocationGranularity

uintptr_t page_size() { return static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)); }
// Whether [address, address + size) runs past the user address space (the memory
// functions' STATUS_INVALID_PARAMETER, whatever is mapped there).
bool past_user_space(uintptr_t address, size_t size)
{
    return address > kMaximumApplicationAddress || size > kMaximumApplicationAddress + 1 - address;
}
uintptr_t round_down(uintptr_t value, uintptr_t unit) { return value & ~(unit - 1); }
uintptr_t round_up(uintptr_t value, uintptr_t unit) { return (value + unit - 1) & ~(unit - 1); }

constexpr int kInvalidProtection = -1;   // ERROR_INVALID_PARAMETER
constexpr int kProtectionNotBuilt = -2;  // ERROR_CALL_NOT_IMPLEMENTED

// The caching attributes: they change how the processor caches the pages, not what a
// program reads or writes there, so they are taken and remembered (VirtualQuery) and
// otherwise change nothing. As on Windows, a page has its allocation's: VirtualProtect
// and MEM_COMMIT keep the reservation's attribute and drop one asked for per page
// (Wine's kernel32 virtual test, test_VirtualAlloc, which passes on Windows).
constexpr DWORD kCacheAttributes = PAGE_NOCACHE | PAGE_WRITECOMBINE;

DWORD page_protection(DWORD asked, DWORD allocation_protect)
{
    return (asked & ~kCacheAttributes) | (allocation_protect & kCacheAttributes);
}

// Windows' page protection for VirtualAlloc as mmap's, or one of the two codes above:
// exactly one base value (the copy-on-write ones are for mapped files, not VirtualAlloc)
// and at most one of PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE, none of them with
// PAGE_NOACCESS (Microsoft Learn, Memory Protection Constants); PAGE_GUARD is not built.
int protection_of(DWORD protect)
{
    constexpr DWORD kModifiers = PAGE_GUARD | kCacheAttributes;
    if (protect & ~(0xFFu | kModifiers)) return kInvalidProtection;
    DWORD modifiers = protect & kModifiers;
    if (modifiers & (modifiers - 1)) return kInvalidProtection;  // two or more
    int base;
    switch (protect & 0xFF) {
    case PAGE_NOACCESS: base = PROT_NONE; break;
    case PAGE_READONLY: base = PROT_READ; break;
    case PAGE_READWRITE: base = PROT_READ | PROT_WRITE; break;
    case PAGE_EXECUTE: base = PROT_EXEC; break;
    case PAGE_EXECUTE_READ: base = PROT_READ | PROT_EXEC; break;
    case PAGE_EXECUTE_READWRITE: base = PROT_READ | PROT_WRITE | PROT_EXEC; break;
    default: return kInvalidProtection;
    }
    if (modifiers != 0 && base == PROT_NONE) return kInvalidProtection;
    if (modifiers & PAGE_GUARD) return kProtectionNotBuilt;
    return base;
}

// Whether one view of a section (MapViewOfFile) holds all of [start, end).
bool in_a_view(uintptr_t start, uintptr_t end)
{
    uintptr_t base;
    size_t length;
    DWORD protect;
    return overlapped::win32::view_containing(start, &base, &length, &protect) && end <= base + length;
}

// Under regions_mutex: the region holding all of [start, end), or regions->end().
std::map<uintptr_t, Region>::iterator region_holding(uintptr_t start, uintptr_t end)
{
    auto it = regions->upper_bound(start);
    if (it == regions->begin()) return regions->end();
    --it;
    if (end > it->first + it->second.length || end < start) return regions->end();
    return it;
}
}  // namespace

extern "C" LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect)
{
    constexpr DWORD kKnown = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN | MEM_WRITE_WATCH |
                             MEM_PHYSICAL | MEM_LARGE_PAGES;
    if (dwSize == 0 || (flAllocationType & ~kKnown) != 0) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
    uintptr_t page = page_size();
    uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
    if (lpAddress != nullptr && past_user_space(address, dwSize)) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
    if (flAllocationType & MEM_RESET) {
        // The contents of committed pages are no longer needed (the protection is not
        // looked at): the kernel may drop them instead of keeping them.
        if (flAllocationType != MEM_RESET || lpAddress == nullptr) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
        uintptr_t start = round_down(address, page), end = round_up(address + dwSize, page);
        // A view's pages are the section's (the file keeps them): nothing to drop, but no
        // error either (Wine's kernel32 virtual test, test_MapViewOfFile, which passes on
        // Windows).
        if (in_a_view(start, end)) return lpAddress;
        std::lock_guard<std::mutex> guard(regions_mutex);
        if (region_holding(start, end) == regions->end()) return fail(ERROR_INVALID_ADDRESS, LPVOID(nullptr));
        madvise(reinterpret_cast<void*>(start), end - start, MADV_FREE);
        return lpAddress;
    }
    if (flAllocationType & MEM_RESET_UNDO) return fail(ERROR_CALL_NOT_IMPLEMENTED, LPVOID(nullptr));
    // Neither committed nor reserved (MEM_WRITE_WATCH alone too: Wine's kernel32 virtual
    // test, test_write_watch, which passes on Windows) is a bad request before anything
    // not built.
    if (!(flAllocationType & (MEM_COMMIT | MEM_RESERVE))) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
    if (flAllocationType & (MEM_WRITE_WATCH | MEM_PHYSICAL | MEM_LARGE_PAGES))
        return fail(ERROR_CALL_NOT_IMPLEMENTED, LPVOID(nullptr));
    int protection = protection_of(flProtect);
    if (protection == kInvalidProtection) return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
    if (protection == kProtectionNotBuilt) return fail(ERROR_CALL_NOT_IMPLEMENTED, LPVOID(nullptr));
    int mapped_as = (flAllocationType & MEM_COMMIT) ? protection : PROT_NONE;

    if (lpAddress == nullptr || (flAllocationType & MEM_RESERVE)) {
        // A new region: anywhere, or at lpAddress rounded down to the allocation
        // granularity (ERROR_INVALID_ADDRESS if anything is mapped there already).
        uintptr_t start = lpAddress == nullptr ? 0 : round_down(address, kAllocationGranularity);
        uintptr_t end = round_up(address + dwSize, page);
        if (end <= start || (lpAddress == nullptr && dwSize > SIZE_MAX - page))
            return fail(ERROR_INVALID_PARAMETER, LPVOID(nullptr));
        size_t length = lpAddress == nullptr ? round_up(dwSize, page) : end - start;
        void* memory;
        if (lpAddress == nullptr) {
            // Anywhere, but starting on the allocation granularity as Windows' regions do:
            // map with room to spare, then give back the pieces before and after.
            size_t spare = kAllocationGranularity - page;
            if (length > SIZE_MAX - spare) return fail(ERROR_NOT_ENOUGH_MEMORY, LPVOID(nullptr));
            void* wide = mmap(nullptr, length + spare, mapped_as, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (wide == MAP_FAILED) return fail(ERROR_NOT_ENOUGH_MEMORY, LPVOID(nullptr));
            uintptr_t base = reinterpret_cast<uintptr_t>(wide);
            uintptr_t aligned = round_up(base, kAllocationGranularity);
            if (aligned > base) munmap(wide, aligned - base);
            if (base + length + spare > aligned + length)
                munmap(reinterpret_cast<void*>(aligned + length), base + length + spare - (aligned + length));
            memory = reinterpret_cast<void*>(aligned);
        } else {
            memory = mmap(reinterpret_cast<void*>(start), length, mapped_as,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (memory == MAP_FAILED)
                return fail(errno == EEXIST ? ERROR_INVALID_ADDRESS : ERROR_NOT_ENOUGH_MEMORY, LPVOID(nullptr));
            if (reinterpret_cast<uintptr_t>(memory) != start) {  // a kernel without NOREPLACE
                munmap(memory, length);
                return fail(ERROR_INVALID_ADDRESS, LPVOID(nullptr));
            }
        }
        std::lock_guard<std::mutex> guard(regions_mutex);
        Region& region = (*regions)[reinterpret_cast<uintptr_t>(memory)];
        region.length = length;
        region.allocation_protect = flProtect;
        region.runs.clear();
        region.runs[reinterpret_cast<uintptr_t>(memory)] = (flAllocationType & MEM_COMMIT) ? flProtect : 0;
        return memory;
    }
    // Committing pages of a region reserved earlier (again, if already committed: the
    // new protection applies).
    uintptr_t start = round_down(address, page), end = round_up(address + dwSize, page);
    // Pages of a view (committed: views here are never reserved) take the protection,
    // as with VirtualProtect (Wine's kernel32 virtual test, test_MapViewOfFile, which
    // passes on Windows: a view's VirtualQuery then shows it).
    // A view of a file's section is not to be committed: STATUS_ALREADY_COMMITTED,
    // ERROR_ACCESS_DENIED (Wine's kernel32 virtual test, test_mapping, which passes on
    // Windows), whatever the protection.
    {
        uintptr_t view_base;
        size_t view_length;
        DWORD view_protect;
        bool of_file = false;
        if (overlapped::win32::view_containing(start, &view_base, &view_length, &view_protect, &of_file) &&
            end <= view_base + view_length) {
            if (of_file) return fail(ERROR_ACCESS_DENIED, LPVOID(nullptr));
            DWORD old;
            return VirtualProtect(reinterpret_cast<LPVOID>(start), end - start, flProtect, &old)
                       ? reinterpret_cast<LPVOID>(start)
                       : nullptr;
        }
    }
    std::lock_guard<std::mutex> guard(regions_mutex);
    auto region = region_holding(start, end);
    if (region == regions->end()) return fail(ERROR_INVALID_ADDRESS, LPVOID(nullptr));
    if (mprotect(reinterpret_cast<void*>(start), end - start, protection) != 0)
        return fail(ERROR_NOT_ENOUGH_MEMORY, LPVOID(nullptr));
    region->second.set(start, end, page_protection(flProtect, region->second.allocation_protect));
    return reinterpret_cast<LPVOID>(start);
}

extern "C" BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    if (lpAddress == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
    // A view of a section is not VirtualAlloc's to free or decommit
    // (STATUS_UNABLE_TO_DELETE_SECTION: Wine's kernel32 virtual test, which passes
    // on Windows, decommits a view and gets ERROR_INVALID_PARAMETER).
    if (in_a_view(address, address + 1)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::lock_guard<std::mutex> guard(regions_mutex);
    if (dwFreeType == MEM_RELEASE) {
        if (dwSize != 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
        auto it = regions->find(address);
        if (it == regions->end()) return fail(ERROR_INVALID_ADDRESS, FALSE);
        forget_locked(address, address + it->second.length);
        munmap(lpAddress, it->second.length);
        regions->erase(it);
        return TRUE;
    }
    if (dwFreeType == MEM_DECOMMIT) {
        // The pages' contents go and they are reserved again: inaccessible until
        // committed anew (with zeros). Size 0 means the whole region, from its base.
        uintptr_t page = page_size();
        uintptr_t start, end;
        auto region = regions->end();
        if (dwSize == 0) {
            region = regions->find(address);
            if (region == regions->end()) return fail(ERROR_INVALID_ADDRESS, FALSE);
            start = region->first;
            end = region->first + region->second.length;
        } else {
            if (past_user_space(address, dwSize)) return fail(ERROR_INVALID_PARAMETER, FALSE);
            start = round_down(address, page);
            end = round_up(address + dwSize, page);
            region = region_holding(start, end);
            // Pages past the end of the region holding the first are
            // STATUS_UNABLE_TO_FREE_VM (ERROR_INVALID_PARAMETER); no region there at all,
            // STATUS_MEMORY_NOT_ALLOCATED (ERROR_INVALID_ADDRESS). ReactOS's
            // NtFreeVirtualMemory test, which passes on Windows; Wine agrees.
            if (region == regions->end())
                return fail(region_holding(start, start + 1) != regions->end() ? ERROR_INVALID_PARAMETER
                                                                                : ERROR_INVALID_ADDRESS,
                            FALSE);
        }
        forget_locked(start, end);
        if (madvise(reinterpret_cast<void*>(start), end - start, MADV_DONTNEED) != 0 ||
            mprotect(reinterpret_cast<void*>(start), end - start, PROT_NONE) != 0)
            return fail(ERROR_INVALID_ADDRESS, FALSE);
        region->second.set(start, end, 0);
        return TRUE;
    }
    return fail(ERROR_INVALID_PARAMETER, FALSE);
}

// ---- VirtualProtect, VirtualQuery. Regions of VirtualAlloc are known page by page
// (Region); other memory (the program's image, the heap, stacks, views of sections) is
// read from /proc/self/maps: committed, with the protection of its Linux mapping.
namespace {

// What a protection lets a program do with a page, as PROT_* bits (a copy-on-write page
// may be read; executing reads).
int access_of(DWORD protect)
{
    switch (protect & 0xFF) {
    case PAGE_READONLY:
    case PAGE_WRITECOPY: return PROT_READ;
    case PAGE_READWRITE: return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE:
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY: return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE: return PROT_READ | PROT_WRITE | PROT_EXEC;
    default: return PROT_NONE;
    }
}

DWORD protect_of_prot(int prot)
{
    bool r = prot & PROT_READ, w = prot & PROT_WRITE, x = prot & PROT_EXEC;
    if (x) return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    return w ? PAGE_READWRITE : r ? PAGE_READONLY : PAGE_NOACCESS;
}

// The protection of a page of a view whose Linux mapping gives `linux_protect`: in a
// copy-on-write view (a private mapping), writable pages are copy-on-write ones.
DWORD view_page_protect(DWORD linux_protect, DWORD view_protect)
{
    if (view_protect != PAGE_WRITECOPY && view_protect != PAGE_EXECUTE_WRITECOPY) return linux_protect;
    if (linux_protect == PAGE_READWRITE) return PAGE_WRITECOPY;
    if (linux_protect == PAGE_EXECUTE_READWRITE) return PAGE_EXECUTE_WRITECOPY;
    return linux_protect;
}

// A mapping of /proc/<pid>/maps, and the name it maps ("" for anonymous memory).
struct LinuxMapping {
    uintptr_t start = 0, end = 0;
    int prot = PROT_NONE;
    bool shared_or_file = false;
    std::string path;
};

// The mappings of a process (0: this one) overlapping [start, end), in order (an empty
// list if the file cannot be read).
std::vector<LinuxMapping> linux_mappings(uintptr_t start, uintptr_t end, DWORD pid = 0)
{
    std::vector<LinuxMapping> found;
    char name[64];
    if (pid == 0)
        snprintf(name, sizeof name, "/proc/self/maps");
    else
        snprintf(name, sizeof name, "/proc/%lu/maps", static_cast<unsigned long>(pid));
    FILE* maps = fopen(name, "re");
    if (maps == nullptr) return found;
    char line[PATH_MAX + 128];
    while (fgets(line, sizeof line, maps) != nullptr) {
        unsigned long long from = 0, to = 0, inode = 0;
        char perms[8] = {0};
        int path_at = 0;
        if (sscanf(line, "%llx-%llx %7s %*s %*s %llu %n", &from, &to, perms, &inode, &path_at) < 3) continue;
        if (to <= start || from >= end) continue;
        LinuxMapping mapping;
        if (path_at > 0) {
            mapping.path = line + path_at;
            if (!mapping.path.empty() && mapping.path.back() == '\n') mapping.path.pop_back();
        }
        mapping.start = static_cast<uintptr_t>(from);
        mapping.end = static_cast<uintptr_t>(to);
        mapping.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
                       (perms[2] == 'x' ? PROT_EXEC : 0);
        mapping.shared_or_file = perms[3] == 's' || inode != 0;
        found.push_back(mapping);
    }
    fclose(maps);
    return found;
}

}  // namespace

extern "C" BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect, PDWORD lpflOldProtect)
{
    int protection = protection_of(flNewProtect);
    // Copy-on-write, for the pages of a copy-on-write view (a private mapping: writing
    // them copies them already).
    if (protection == kInvalidProtection && (flNewProtect == PAGE_WRITECOPY || flNewProtect == PAGE_EXECUTE_WRITECOPY)) {
        uintptr_t view_base;
        size_t view_length;
        DWORD view_protect;
        if (overlapped::win32::view_containing(reinterpret_cast<uintptr_t>(lpAddress), &view_base, &view_length,
                                               &view_protect) &&
            (view_protect == PAGE_WRITECOPY || view_protect == PAGE_EXECUTE_WRITECOPY))
            protection = PROT_READ | PROT_WRITE | (flNewProtect == PAGE_EXECUTE_WRITECOPY ? PROT_EXEC : 0);
    }
    if (protection == kInvalidProtection) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (protection == kProtectionNotBuilt) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    if (lpflOldProtect == nullptr) return fail(ERROR_NOACCESS, FALSE);  // (Microsoft Learn: it may not be NULL)
    uintptr_t page = page_size();
    uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
    uintptr_t start = round_down(address, page);
    uintptr_t end = round_up(address + (dwSize != 0 ? dwSize : 1), page);
    if (end <= start) return fail(ERROR_INVALID_PARAMETER, FALSE);
    {
        // VirtualAlloc's memory: every page committed, in one region (else
        // ERROR_INVALID_ADDRESS, as Wine's kernel32 virtual test shows Windows does).
        std::lock_guard<std::mutex> guard(regions_mutex);
        auto holder = region_holding(start, start + 1);  // the region holding `start`
        if (holder != regions->end()) {
            Region& region = holder->second;
            if (end > holder->first + region.length || !region.committed(start, end))
                return fail(ERROR_INVALID_ADDRESS, FALSE);
            DWORD old = std::prev(region.runs.upper_bound(start))->second;
            if (mprotect(reinterpret_cast<void*>(start), end - start, protection) != 0)
                return fail(ERROR_INVALID_ADDRESS, FALSE);
            region.set(start, end, page_protection(flNewProtect, region.allocation_protect));
            *lpflOldProtect = old;
            return TRUE;
        }
    }
    // A view of a section: what the view may do and no more (Wine's kernel32 virtual test,
    // test_mapping, which passes on Windows: a protection that reads, writes or executes
    // where the view does not is ERROR_INVALID_PARAMETER), else writes would reach a file
    // or memory the view may only read. A copy-on-write view's pages are PAGE_WRITECOPY.
    uintptr_t view_base;
    size_t view_length;
    DWORD view_protect;
    bool in_view = overlapped::win32::view_containing(start, &view_base, &view_length, &view_protect);
    if (in_view && (access_of(flNewProtect) & ~access_of(view_protect)) != 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    // Other memory: all of the range mapped, without holes.
    std::vector<LinuxMapping> mappings = linux_mappings(start, end);
    uintptr_t covered = start;
    for (const LinuxMapping& mapping : mappings) {
        if (mapping.start > covered) break;
        covered = std::max(covered, mapping.end);
    }
    if (mappings.empty() || covered < end) return fail(ERROR_INVALID_ADDRESS, FALSE);
    if (mprotect(reinterpret_cast<void*>(start), end - start, protection) != 0)
        return fail(errno == EACCES ? ERROR_ACCESS_DENIED : ERROR_INVALID_ADDRESS, FALSE);
    DWORD old = protect_of_prot(mappings.front().prot);
    *lpflOldProtect = in_view ? view_page_protect(old, view_protect) : old;
    return TRUE;
}

extern "C" SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength)
{
    if (dwLength < sizeof(MEMORY_BASIC_INFORMATION)) return fail(ERROR_BAD_LENGTH, SIZE_T(0));
    if (lpBuffer == nullptr) return fail(ERROR_NOACCESS, SIZE_T(0));
    uintptr_t page = page_size();
    uintptr_t address = round_down(reinterpret_cast<uintptr_t>(lpAddress), page);
    constexpr uintptr_t kUserEnd = kMaximumApplicationAddress + 1;  // the end of the user address space
    if (address >= kUserEnd) return fail(ERROR_INVALID_PARAMETER, SIZE_T(0));
    MEMORY_BASIC_INFORMATION info;
    memset(&info, 0, sizeof info);
    info.BaseAddress = reinterpret_cast<PVOID>(address);
    {
        std::lock_guard<std::mutex> guard(regions_mutex);
        auto holder = region_holding(address, address + 1);  // the region holding `address`
        if (holder != regions->end()) {
            const Region& region = holder->second;
            uintptr_t region_end = holder->first + region.length;
            auto run = std::prev(region.runs.upper_bound(address));
            DWORD protect = run->second;
            auto next = std::next(run);
            while (next != region.runs.end() && next->second == protect) ++next;
            uintptr_t run_end = next == region.runs.end() ? region_end : next->first;
            info.AllocationBase = reinterpret_cast<PVOID>(holder->first);
            info.AllocationProtect = region.allocation_protect;
            info.RegionSize = run_end - address;
            info.State = protect != 0 ? MEM_COMMIT : MEM_RESERVE;
            info.Protect = protect;
            info.Type = MEM_PRIVATE;
            memcpy(lpBuffer, &info, sizeof info);
            return sizeof info;
        }
    }
    // A view of a section: the view's extent, cut where its Linux protection changes.
    uintptr_t view_base;
    size_t view_length;
    DWORD view_protect;
    if (overlapped::win32::view_containing(address, &view_base, &view_length, &view_protect)) {
        std::vector<LinuxMapping> parts = linux_mappings(address, view_base + view_length);
        uintptr_t end = view_base + view_length;
        DWORD protect = view_protect;
        if (!parts.empty()) {
            protect = view_page_protect(protect_of_prot(parts.front().prot), view_protect);
            for (size_t i = 1; i < parts.size(); ++i)
                if (parts[i].prot != parts.front().prot) {
                    end = std::min(end, parts[i].start);
                    break;
                }
        }
        info.AllocationBase = reinterpret_cast<PVOID>(view_base);
        info.AllocationProtect = view_protect;
        info.RegionSize = end - address;
        info.State = MEM_COMMIT;
        info.Protect = protect;
        info.Type = MEM_MAPPED;
        memcpy(lpBuffer, &info, sizeof info);
        return sizeof info;
    }
    // Other memory: a Linux mapping (committed), or a hole (free) up to the next one.
    std::vector<LinuxMapping> mappings = linux_mappings(address, kUserEnd);
    if (mappings.empty() || mappings.front().start > address) {
        uintptr_t next = mappings.empty() ? kUserEnd : mappings.front().start;
        {
            std::lock_guard<std::mutex> guard(regions_mutex);
            auto later = regions->upper_bound(address);
            if (later != regions->end()) next = std::min(next, later->first);
        }
        info.RegionSize = next - address;
        info.State = MEM_FREE;
        info.Protect = PAGE_NOACCESS;
        memcpy(lpBuffer, &info, sizeof info);
        return sizeof info;
    }
    const LinuxMapping& mapping = mappings.front();
    uintptr_t end = mapping.end;
    for (size_t i = 1; i < mappings.size() && mappings[i].start == end && mappings[i].prot == mapping.prot &&
                       mappings[i].shared_or_file == mapping.shared_or_file;
         ++i)
        end = mappings[i].end;
    info.AllocationBase = reinterpret_cast<PVOID>(mapping.start);
    info.AllocationProtect = protect_of_prot(mapping.prot);
    info.RegionSize = end - address;
    info.State = MEM_COMMIT;
    info.Protect = protect_of_prot(mapping.prot);
    info.Type = mapping.shared_or_file ? MEM_MAPPED : MEM_PRIVATE;
    memcpy(lpBuffer, &info, sizeof info);
    return sizeof info;
}

// ---- IsBadReadPtr and its kin: what VirtualQuery says of each page of the range (Microsoft
// Learn, IsBadReadPtr: nonzero unless the process may read every byte; a size of 0 is no
// range, FALSE even for NULL, as Wine's kernel32 virtual test, test_IsBadReadPtr, which
// passes on Windows, shows). Windows reads or writes the bytes under an exception handler;
// here nothing is touched. PAGE_EXECUTE pages may not be read (Memory Protection
// Constants); guard pages are not built. The last error is left alone.
namespace {

bool page_allows(DWORD protect, bool write)
{
    if (protect & PAGE_GUARD) return false;
    switch (protect & 0xFF) {
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY: return true;
    case PAGE_READONLY:
    case PAGE_EXECUTE_READ: return !write;
    default: return false;
    }
}

// Whether every byte of [address, address + size) may be read (or written).
bool range_allows(uintptr_t address, uintptr_t size, bool write)
{
    if (size == 0) return true;
    if (address == 0 || size - 1 > UINTPTR_MAX - address) return false;
    uintptr_t last = address + size - 1;
    DWORD saved = GetLastError();
    bool allowed = true;
    for (uintptr_t at = address;;) {
        MEMORY_BASIC_INFORMATION info;
        if (VirtualQuery(reinterpret_cast<LPCVOID>(at), &info, sizeof info) != sizeof info || info.State != MEM_COMMIT ||
            !page_allows(info.Protect, write)) {
            allowed = false;
            break;
        }
        uintptr_t end = reinterpret_cast<uintptr_t>(info.BaseAddress) + info.RegionSize;  // past the run
        if (end == 0 || end > last) break;
        at = end;
    }
    SetLastError(saved);
    return allowed;
}

// Whether a string of `Char` at `text` may be read up to its end or `limit` characters.
template <class Char>
bool string_readable(const Char* text, uintptr_t limit)
{
    if (limit == 0) return true;
    if (text == nullptr) return false;
    uintptr_t page = page_size();
    uintptr_t at = reinterpret_cast<uintptr_t>(text);
    for (uintptr_t count = 0; count < limit; ++count, at += sizeof(Char)) {
        // Each page the next character touches, once.
        if (count == 0 || at % page < sizeof(Char))
            if (!range_allows(at, sizeof(Char), false)) return false;
        if (*reinterpret_cast<const Char*>(at) == 0) break;
    }
    return true;
}

}  // namespace

extern "C" BOOL WINAPI IsBadReadPtr(const void* lp, UINT_PTR ucb)
{
    return !range_allows(reinterpret_cast<uintptr_t>(lp), ucb, false);
}

extern "C" BOOL WINAPI IsBadWritePtr(LPVOID lp, UINT_PTR ucb)
{
    return !range_allows(reinterpret_cast<uintptr_t>(lp), ucb, true);
}

extern "C" BOOL WINAPI IsBadHugeReadPtr(const void* lp, UINT_PTR ucb) { return IsBadReadPtr(lp, ucb); }

extern "C" BOOL WINAPI IsBadHugeWritePtr(LPVOID lp, UINT_PTR ucb) { return IsBadWritePtr(lp, ucb); }

// A function's first byte may be read (what Windows' IsBadCodePtr looks at).
extern "C" BOOL WINAPI IsBadCodePtr(FARPROC lpfn)
{
    return !range_allows(reinterpret_cast<uintptr_t>(lpfn), 1, false);
}

extern "C" BOOL WINAPI IsBadStringPtrA(LPCSTR lpsz, UINT_PTR ucchMax) { return !string_readable(lpsz, ucchMax); }

extern "C" BOOL WINAPI IsBadStringPtrW(LPCWSTR lpsz, UINT_PTR ucchMax) { return !string_readable(lpsz, ucchMax); }

// ---- VirtualLock, VirtualUnlock: mlock and munlock, with the pages locked remembered
// (VirtualUnlock of a page not locked fails with ERROR_NOT_LOCKED, Microsoft Learn). Only
// committed pages that may be accessed can be locked (Microsoft Learn, VirtualLock):
// others fail with ERROR_NOACCESS (NtLockVirtualMemory's STATUS_ACCESS_VIOLATION). More
// than Linux lets the process lock (RLIMIT_MEMLOCK, as Windows' working-set minimum) is
// ERROR_WORKING_SET_QUOTA. A size of 0 is the page that holds lpAddress.
namespace {
// The pages of [lpAddress, lpAddress + dwSize) as [*start, *end), or false with
// ERROR_INVALID_PARAMETER for a range past the user address space.
bool page_range(LPVOID lpAddress, SIZE_T dwSize, uintptr_t* start, uintptr_t* end)
{
    uintptr_t address = reinterpret_cast<uintptr_t>(lpAddress);
    if (past_user_space(address, dwSize)) return fail(ERROR_INVALID_PARAMETER, false);
    uintptr_t page = page_size();
    *start = round_down(address, page);
    *end = round_up(address + (dwSize != 0 ? dwSize : 1), page);
    return true;
}
}  // namespace

extern "C" BOOL WINAPI VirtualLock(LPVOID lpAddress, SIZE_T dwSize)
{
    uintptr_t start, end;
    if (!page_range(lpAddress, dwSize, &start, &end)) return FALSE;
    for (uintptr_t at = start; at < end;) {
        MEMORY_BASIC_INFORMATION info;
        if (VirtualQuery(reinterpret_cast<LPCVOID>(at), &info, sizeof info) == 0 || info.State != MEM_COMMIT ||
            (info.Protect & 0xFF) == PAGE_NOACCESS || (info.Protect & PAGE_GUARD))
            return fail(ERROR_NOACCESS, FALSE);
        at = reinterpret_cast<uintptr_t>(info.BaseAddress) + info.RegionSize;
    }
    std::lock_guard<std::mutex> guard(regions_mutex);
    // The system call itself: AddressSanitizer's mlock does nothing (as for
    // SetFileIoOverlappedRange, io/device.cpp).
    if (syscall(SYS_mlock, start, end - start) != 0)
        return fail(errno == ENOMEM || errno == EAGAIN || errno == EPERM ? ERROR_WORKING_SET_QUOTA : ERROR_NOACCESS,
                    FALSE);
    for (uintptr_t at = start; at < end; at += page_size()) locked_pages->insert(at);
    return TRUE;
}

extern "C" BOOL WINAPI VirtualUnlock(LPVOID lpAddress, SIZE_T dwSize)
{
    uintptr_t start, end;
    if (!page_range(lpAddress, dwSize, &start, &end)) return FALSE;
    std::lock_guard<std::mutex> guard(regions_mutex);
    uintptr_t page = page_size();
    auto first = locked_pages->lower_bound(start);
    if (static_cast<size_t>(std::distance(first, locked_pages->lower_bound(end))) != (end - start) / page)
        return fail(ERROR_NOT_LOCKED, FALSE);
    forget_locked(start, end);
    return TRUE;
}

void overlapped::win32::pages_unmapped(uintptr_t start, uintptr_t end)
{
    std::lock_guard<std::mutex> guard(regions_mutex);
    forget_locked(start, end);
}

// ---- VirtualAllocEx, VirtualFreeEx, VirtualProtectEx, VirtualQueryEx: the memory of this
// process only. A handle that is no process is ERROR_INVALID_HANDLE (Wine's kernel32
// virtual test, test_VirtualAllocEx, which passes on Windows: a NULL handle); another
// process's memory is not this process's to change (ERROR_NOT_SUPPORTED, deviations.md).
namespace {
bool this_process(HANDLE process)
{
    if (process == GetCurrentProcess()) return true;
    DWORD pid = GetProcessId(process);  // its error if no process
    if (pid == 0) return false;
    return pid == GetCurrentProcessId() || fail(ERROR_NOT_SUPPORTED, false);
}
}  // namespace

extern "C" LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                        DWORD flProtect)
{
    if (!this_process(hProcess)) return nullptr;
    return VirtualAlloc(lpAddress, dwSize, flAllocationType, flProtect);
}

extern "C" BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType)
{
    if (!this_process(hProcess)) return FALSE;
    return VirtualFree(lpAddress, dwSize, dwFreeType);
}

extern "C" BOOL WINAPI VirtualProtectEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                        PDWORD lpflOldProtect)
{
    if (!this_process(hProcess)) return FALSE;
    return VirtualProtect(lpAddress, dwSize, flNewProtect, lpflOldProtect);
}

extern "C" SIZE_T WINAPI VirtualQueryEx(HANDLE hProcess, LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer,
                                        SIZE_T dwLength)
{
    if (!this_process(hProcess)) return 0;
    return VirtualQuery(lpAddress, lpBuffer, dwLength);
}

// ---- GetMappedFileName: the name of the file mapped at an address of a process, from
// /proc/<pid>/maps. Windows answers with the NT device name (\Device\HarddiskVolume3\...),
// which begins with what QueryDosDevice gives for the drive; QueryDosDevice answers here
// with the drive's Linux directory, so the name is the file's Linux path (deviations.md).
// Windows' errors (Wine's psapi test_GetMappedFileName): a handle that is no process
// ERROR_INVALID_HANDLE; no buffer or no room ERROR_INVALID_PARAMETER; an address with
// nothing mapped ERROR_UNEXP_NET_ERR (STATUS_INVALID_ADDRESS); memory that is no file's
// (a section of the paging file, private memory) ERROR_FILE_INVALID.
namespace {
// `buffer`, `size`: the caller's, checked after the process.
bool mapped_file_name(HANDLE process, LPCVOID address, const void* buffer, DWORD size, std::string* name)
{
    DWORD pid = 0;
    if (process != GetCurrentProcess()) {
        pid = GetProcessId(process);
        if (pid == 0) return false;  // GetProcessId's error
        if (pid == GetCurrentProcessId()) pid = 0;
    }
    if (buffer == nullptr || size == 0) return fail(ERROR_INVALID_PARAMETER, false);
    uintptr_t at = reinterpret_cast<uintptr_t>(address);
    std::vector<LinuxMapping> found = linux_mappings(at, at + 1, pid);
    if (found.empty()) return fail(ERROR_UNEXP_NET_ERR, false);
    std::string path = found.front().path;
    static const char kDeleted[] = " (deleted)";
    const size_t deleted_length = sizeof kDeleted - 1;
    if (path.size() > deleted_length && path.compare(path.size() - deleted_length, deleted_length, kDeleted) == 0)
        path.resize(path.size() - deleted_length);
    // Anonymous memory, [heap]/[stack]/[vdso], and the memfd of a paging-file section.
    if (path.empty() || path[0] != '/' || path.compare(0, 7, "/memfd:") == 0) return fail(ERROR_FILE_INVALID, false);
    *name = path;
    return true;
}
}  // namespace

// GetProcessMemoryInfo: Linux's accounting of the process (/proc/<pid>/status and stat):
// the working set is VmRSS (its peak VmHWM), the page-file usage the private writable
// memory, VmData and VmStk (Windows' commit charge; PrivateUsage the same), its peak the
// largest this function has seen of this process (Linux keeps none); page faults minor and
// major; the pool quotas 0 (no such pools). Windows' errors (Wine's psapi test,
// test_GetProcessMemoryInfo, which passes on Windows): NULL ERROR_INVALID_HANDLE, a
// handle without a query right ERROR_ACCESS_DENIED, a structure too small
// ERROR_INSUFFICIENT_BUFFER; `cb` then says what was written.
namespace {
// The value in KiB of `field` ("VmRSS:") in a /proc status text, in bytes (0 if absent).
SIZE_T status_bytes(const std::string& text, const char* field)
{
    size_t at = text.find(field);
    if (at == std::string::npos) return 0;
    return static_cast<SIZE_T>(strtoull(text.c_str() + at + strlen(field), nullptr, 10)) * 1024;
}

std::string read_small_file(const char* path)
{
    std::string text;
    FILE* file = fopen(path, "re");
    if (file == nullptr) return text;
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
    fclose(file);
    return text;
}
}  // namespace

extern "C" BOOL WINAPI GetProcessMemoryInfo(HANDLE Process, PPROCESS_MEMORY_COUNTERS ppsmemCounters, DWORD cb)
{
    DWORD pid = GetProcessId(Process);  // the handle, and a query right
    if (pid == 0) return FALSE;
    if (cb < sizeof(PROCESS_MEMORY_COUNTERS)) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    if (ppsmemCounters == nullptr) return fail(ERROR_NOACCESS, FALSE);
    bool self = pid == GetCurrentProcessId();
    char path[64];
    snprintf(path, sizeof path, "/proc/%lu/status", static_cast<unsigned long>(pid));
    std::string status = read_small_file(self ? "/proc/self/status" : path);
    if (status.empty()) return fail(ERROR_ACCESS_DENIED, FALSE);  // gone, or not ours to read
    snprintf(path, sizeof path, "/proc/%lu/stat", static_cast<unsigned long>(pid));
    std::string stat = read_small_file(self ? "/proc/self/stat" : path);
    unsigned long long minor = 0, major = 0;
    size_t after_name = stat.rfind(')');  // the name may hold spaces and parentheses
    if (after_name != std::string::npos)
        sscanf(stat.c_str() + after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &minor, &major);
    PROCESS_MEMORY_COUNTERS_EX counters;
    memset(&counters, 0, sizeof counters);
    counters.PageFaultCount = static_cast<DWORD>(minor + major);
    counters.WorkingSetSize = status_bytes(status, "VmRSS:");
    counters.PeakWorkingSetSize = std::max(status_bytes(status, "VmHWM:"), counters.WorkingSetSize);
    counters.PagefileUsage = status_bytes(status, "VmData:") + status_bytes(status, "VmStk:");
    counters.PrivateUsage = counters.PagefileUsage;
    counters.PeakPagefileUsage = counters.PagefileUsage;
    if (self) {
        static std::atomic<SIZE_T> peak{0};
        SIZE_T seen = peak.load(std::memory_order_relaxed);
        while (seen < counters.PagefileUsage &&
               !peak.compare_exchange_weak(seen, counters.PagefileUsage, std::memory_order_relaxed)) {
        }
        counters.PeakPagefileUsage = std::max(seen, counters.PagefileUsage);
    }
    DWORD size = cb >= sizeof(PROCESS_MEMORY_COUNTERS_EX) ? sizeof(PROCESS_MEMORY_COUNTERS_EX)
                                                           : sizeof(PROCESS_MEMORY_COUNTERS);
    counters.cb = size;
    memcpy(ppsmemCounters, &counters, size);
    return TRUE;
}

// The name cut to the buffer: the W form with a terminator only when there is room for
// it, the A form always terminated; a name that fits returns its length, a cut one the
// buffer's size (Wine's psapi test: a one-character A buffer gets "" and 1).
extern "C" DWORD WINAPI GetMappedFileNameW(HANDLE hProcess, LPVOID lpv, LPWSTR lpFilename, DWORD nSize)
{
    std::string name;
    if (!mapped_file_name(hProcess, lpv, lpFilename, nSize, &name)) return 0;
    std::u16string wide = overlapped::win32::utf16_from_utf8(name);
    DWORD length = static_cast<DWORD>(std::min<size_t>(wide.size(), nSize));
    memcpy(lpFilename, wide.data(), length * sizeof(WCHAR));
    if (length < nSize) lpFilename[length] = 0;
    return length;
}

extern "C" DWORD WINAPI GetMappedFileNameA(HANDLE hProcess, LPVOID lpv, LPSTR lpFilename, DWORD nSize)
{
    std::string name;
    if (!mapped_file_name(hProcess, lpv, lpFilename, nSize, &name)) return 0;
    if (name.size() < nSize) {
        memcpy(lpFilename, name.c_str(), name.size() + 1);
        return static_cast<DWORD>(name.size());
    }
    memcpy(lpFilename, name.data(), nSize - 1);
    lpFilename[nSize - 1] = '\0';
    return nSize;
}

// ---- GetTempPath: as Windows, the first of the variables TMP and TEMP that is set, made
// a full name (GetFullPathName: "C:" is the current directory when it is on C:); then, for
// a Linux program's environment, $TMPDIR; then /tmp. Windows does not check that the
// directory exists, and neither does this. The name ends in a separator: '\' after a
// Windows name, '/' after a Linux one.
namespace {
std::string temp_path()
{
    for (const char* variable : {"TMP", "TEMP"}) {
        char value[MAX_PATH * 4];
        DWORD length = GetEnvironmentVariableA(variable, value, sizeof value);
        if (length == 0 || length >= sizeof value) continue;
        char full[MAX_PATH * 4];
        length = GetFullPathNameA(value, sizeof full, full, nullptr);
        if (length == 0 || length >= sizeof full) continue;
        std::string path(full, length);
        if (path.back() != '\\' && path.back() != '/')
            path += path.find('\\') != std::string::npos || path[0] != '/' ? '\\' : '/';
        return path;
    }
    const char* value = getenv("TMPDIR");
    std::string path = value != nullptr && value[0] != '\0' ? value : "/tmp";
    if (path.back() != '/') path += '/';
    return path;
}
}  // namespace

// A buffer too small is left as it is; the size needed (with the terminator) is returned.
extern "C" DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer)
{
    std::string path = temp_path();
    if (lpBuffer == nullptr || nBufferLength <= path.size()) return static_cast<DWORD>(path.size() + 1);
    memcpy(lpBuffer, path.c_str(), path.size() + 1);
    return static_cast<DWORD>(path.size());
}

// The wide form clears what it does not fill, as Windows does (Wine's kernel32 path tests,
// test_GetTempPathW): a buffer too small is cleared whole; after the name and its
// terminator, the rest of the buffer (up to 32767 characters) is cleared.
extern "C" DWORD WINAPI GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    std::u16string path = overlapped::win32::utf16_from_utf8(temp_path());
    const DWORD cleared = std::min<DWORD>(nBufferLength, 32767);
    if (lpBuffer == nullptr || nBufferLength <= path.size()) {
        if (lpBuffer != nullptr) memset(lpBuffer, 0, cleared * sizeof(WCHAR));
        return static_cast<DWORD>(path.size() + 1);
    }
    memcpy(lpBuffer, path.data(), path.size() * sizeof(WCHAR));
    for (DWORD i = static_cast<DWORD>(path.size()); i < std::max<DWORD>(cleared, path.size() + 1); ++i) lpBuffer[i] = 0;
    return static_cast<DWORD>(path.size());
}

// GetTempPath2 (Windows 11, and 10 since the 2022 updates) differs only for a process
// running as SYSTEM, which gets C:\Windows\SystemTemp; for any other, Microsoft's page
// says it behaves the same as GetTempPath. A Linux root is no SYSTEM account.
extern "C" DWORD WINAPI GetTempPath2A(DWORD BufferLength, LPSTR Buffer)
{
    return GetTempPathA(BufferLength, Buffer);
}

extern "C" DWORD WINAPI GetTempPath2W(DWORD BufferLength, LPWSTR Buffer)
{
    return GetTempPathW(BufferLength, Buffer);
}
