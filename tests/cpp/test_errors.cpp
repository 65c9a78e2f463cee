// test_errors.cpp: the Win32 error category, its mapping to std::errc, and both call
// styles (exception and error_code&).
#include "check.hpp"

#include <system_error>

static void equivalences()
{
    auto e = [](DWORD code) { return ovl::make_win32_error(code); };
    CHECK(e(ERROR_FILE_NOT_FOUND) == std::errc::no_such_file_or_directory);
    CHECK(e(ERROR_PATH_NOT_FOUND) == std::errc::no_such_file_or_directory);
    CHECK(e(ERROR_ACCESS_DENIED) == std::errc::permission_denied);
    CHECK(e(ERROR_OPERATION_ABORTED) == std::errc::operation_canceled);
    CHECK(e(ERROR_BROKEN_PIPE) == std::errc::broken_pipe);
    CHECK(e(WSAECONNRESET) == std::errc::connection_reset);
    CHECK(e(ERROR_NETNAME_DELETED) == std::errc::connection_reset);
    CHECK(e(WSAECONNREFUSED) == std::errc::connection_refused);
    CHECK(e(ERROR_CONNECTION_REFUSED) == std::errc::connection_refused);
    CHECK(e(WSAETIMEDOUT) == std::errc::timed_out);
    CHECK(e(ERROR_ALREADY_EXISTS) == std::errc::file_exists);
    CHECK(e(ERROR_INVALID_HANDLE) == std::errc::bad_file_descriptor);
    CHECK(e(WSAEADDRINUSE) == std::errc::address_in_use);
    CHECK(e(ERROR_NOT_ENOUGH_MEMORY) == std::errc::not_enough_memory);
    // A request the device does not support (ENOTSUP), not a function that does not exist
    // (ENOSYS), as std::system_category() on Windows has it.
    CHECK(e(ERROR_NOT_SUPPORTED) == std::errc::not_supported);
    CHECK(e(ERROR_CALL_NOT_IMPLEMENTED) == std::errc::function_not_supported);
    CHECK(e(ERROR_INVALID_FUNCTION) == std::errc::function_not_supported);
    // Not equal to the wrong condition, and codes without a portable meaning stay ours.
    CHECK(e(ERROR_FILE_NOT_FOUND) != std::errc::permission_denied);
    CHECK(e(WSAECONNRESET) != std::errc::connection_refused);
    CHECK(e(ERROR_PIPE_LISTENING).default_error_condition().category() == ovl::win32_category());
    CHECK(!ovl::make_win32_error(ERROR_SUCCESS));
    CHECK(std::string(ovl::win32_category().name()) == "win32");
    CHECK_EQ(e(ERROR_FILE_NOT_FOUND).value(), 2);
}

static void messages()
{
    std::string text = ovl::make_win32_error(ERROR_FILE_NOT_FOUND).message();
    CHECK(!text.empty());
    CHECK(text.find("file") != std::string::npos || text.find("File") != std::string::npos);
    CHECK(text.back() != '\n' && text.back() != '\r');
    // A code FormatMessage does not know still gets a message.
    CHECK(!ovl::make_win32_error(0x2fffffffu).message().empty());
}

static void both_styles()
{
    ovl::io_context ctx(1);
    std::string missing = ovl_test::temp_path("ovl-no-such-file") + "\\nothing";
    // Throwing.
    bool threw = false;
    try {
        auto f = ovl::file::open_read(ctx, missing.c_str());
    } catch (const std::system_error &error) {
        threw = true;
        CHECK(error.code() == std::errc::no_such_file_or_directory);
        CHECK(error.code().category() == ovl::win32_category());
    }
    CHECK(threw);
    // error_code&.
    std::error_code ec;
    auto f = ovl::file::open_read(ctx, missing.c_str(), ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(!f.is_open());
    // The same for an awaitable: read on a handle opened without read access.
    std::string path = ovl_test::temp_path("ovl-errors");
    auto w = ovl::file::open(ctx, path.c_str(), GENERIC_WRITE, CREATE_ALWAYS);
    CHECK(w.is_open());
    std::byte buffer[16];
    std::error_code read_ec = std::make_error_code(std::errc::invalid_argument);
    std::size_t n = ovl::sync_wait(ctx, w.read_at(0, buffer, read_ec));
    CHECK(read_ec == std::errc::permission_denied);
    CHECK_EQ(n, 0);
    threw = false;
    try {
        ovl::sync_wait(ctx, w.read_at(0, buffer));
    } catch (const std::system_error &error) {
        threw = error.code() == std::errc::permission_denied;
    }
    CHECK(threw);
    w.close();
    DeleteFileA(path.c_str());
}

int main()
{
    equivalences();
    messages();
    both_styles();
    return ovl_test::finish();
}
