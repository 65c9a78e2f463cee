// ovl/error.hpp: Win32 error codes as std::error_code (docs/cpp.md "Errors").
#ifndef OVERLAPPED_OVL_ERROR_HPP
#define OVERLAPPED_OVL_ERROR_HPP

#include "win32.hpp"

#include <string>
#include <system_error>

namespace ovl {

// The category of GetLastError()/WSAGetLastError() values. default_error_condition maps
// the codes that have a portable meaning to std::errc, so that
//   ec == std::errc::no_such_file_or_directory
// holds for ERROR_FILE_NOT_FOUND, as std::system_category() does on Windows.
class win32_error_category final : public std::error_category {
public:
    const char *name() const noexcept override { return "win32"; }

    std::string message(int code) const override
    {
        char *text = nullptr;
        DWORD length = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                          FORMAT_MESSAGE_IGNORE_INSERTS,
                                      nullptr, static_cast<DWORD>(code), 0, reinterpret_cast<LPSTR>(&text), 0,
                                      nullptr);
        std::string result;
        if (length != 0 && text != nullptr) {
            result.assign(text, length);
            while (!result.empty() && (result.back() == '\n' || result.back() == '\r' || result.back() == ' ' ||
                                       result.back() == '.'))
                result.pop_back();
        } else {
            result = "Win32 error " + std::to_string(static_cast<unsigned long>(static_cast<DWORD>(code)));
        }
        if (text != nullptr) LocalFree(text);
        return result;
    }

    std::error_condition default_error_condition(int code) const noexcept override
    {
        std::errc e;
        switch (static_cast<DWORD>(code)) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
        case ERROR_INVALID_DRIVE:
        case ERROR_BAD_NETPATH:
        case ERROR_BAD_PATHNAME: e = std::errc::no_such_file_or_directory; break;
        case ERROR_ACCESS_DENIED:
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION:
        case ERROR_WRITE_PROTECT:
        case ERROR_CANNOT_MAKE:
        case WSAEACCES: e = std::errc::permission_denied; break;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS: e = std::errc::file_exists; break;
        case ERROR_INVALID_HANDLE:
        case WSAENOTSOCK: e = std::errc::bad_file_descriptor; break;
        case ERROR_NOT_ENOUGH_MEMORY:
        case ERROR_OUTOFMEMORY: e = std::errc::not_enough_memory; break;
        case ERROR_INVALID_PARAMETER:
        case ERROR_INVALID_NAME:
        case ERROR_NEGATIVE_SEEK:
        case WSAEINVAL: e = std::errc::invalid_argument; break;
        case ERROR_TOO_MANY_OPEN_FILES:
        case WSAEMFILE: e = std::errc::too_many_files_open; break;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL: e = std::errc::no_space_on_device; break;
        case ERROR_DIR_NOT_EMPTY: e = std::errc::directory_not_empty; break;
        case ERROR_NOT_SUPPORTED: e = std::errc::not_supported; break; // "the request is not supported": ENOTSUP
        case ERROR_CALL_NOT_IMPLEMENTED:
        case ERROR_INVALID_FUNCTION: e = std::errc::function_not_supported; break;
        case ERROR_BUSY:
        case ERROR_PIPE_BUSY: e = std::errc::device_or_resource_busy; break;
        case ERROR_BROKEN_PIPE:
        case ERROR_NO_DATA: e = std::errc::broken_pipe; break;
        case ERROR_OPERATION_ABORTED: e = std::errc::operation_canceled; break;
        case ERROR_TIMEOUT:
        case WAIT_TIMEOUT:
        case ERROR_SEM_TIMEOUT:
        case WSAETIMEDOUT: e = std::errc::timed_out; break;
        case ERROR_NETNAME_DELETED:
        case WSAECONNRESET: e = std::errc::connection_reset; break;
        case ERROR_CONNECTION_REFUSED:
        case WSAECONNREFUSED: e = std::errc::connection_refused; break;
        case ERROR_CONNECTION_ABORTED:
        case WSAECONNABORTED: e = std::errc::connection_aborted; break;
        case WSAEADDRINUSE: e = std::errc::address_in_use; break;
        case WSAEADDRNOTAVAIL: e = std::errc::address_not_available; break;
        case WSAEAFNOSUPPORT: e = std::errc::address_family_not_supported; break;
        case WSAEALREADY: e = std::errc::connection_already_in_progress; break;
        case WSAEISCONN: e = std::errc::already_connected; break;
        case WSAENOTCONN: e = std::errc::not_connected; break;
        case WSAEHOSTUNREACH: e = std::errc::host_unreachable; break;
        case WSAENETUNREACH: e = std::errc::network_unreachable; break;
        case WSAENETDOWN: e = std::errc::network_down; break;
        case WSAEMSGSIZE:
        case ERROR_MORE_DATA: e = std::errc::message_size; break;
        case WSAEWOULDBLOCK: e = std::errc::operation_would_block; break;
        case WSAEINPROGRESS: e = std::errc::operation_in_progress; break;
        case WSAENOBUFS: e = std::errc::no_buffer_space; break;
        case WSAEPROTONOSUPPORT: e = std::errc::protocol_not_supported; break;
        case WSAEOPNOTSUPP: e = std::errc::operation_not_supported; break;
        case WSAEINTR: e = std::errc::interrupted; break;
        default: return std::error_condition(code, *this);
        }
        return std::make_error_condition(e);
    }
};

inline const std::error_category &win32_category() noexcept
{
    static const win32_error_category category;
    return category;
}

inline std::error_code make_win32_error(DWORD code) noexcept
{
    return std::error_code(static_cast<int>(code), win32_category());
}

// GetLastError() as an error code.
inline std::error_code last_error() noexcept { return make_win32_error(GetLastError()); }

// Reports `ec`: into *out when the caller passed an error_code (cleared on success), else
// by throwing std::system_error when it is an error.
inline void report(std::error_code ec, std::error_code *out, const char *what)
{
    if (out != nullptr)
        *out = ec;
    else if (ec)
        throw std::system_error(ec, what);
}

} // namespace ovl

#endif
