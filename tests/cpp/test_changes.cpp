// test_changes.cpp: read_changes (ReadDirectoryChangesW) on a directory.
#include "check.hpp"

#include <string>

static ovl::task<> watch(ovl::directory &dir, std::string file_path, bool &saw)
{
    // DWORD-aligned, as ReadDirectoryChangesW wants (a DWORD array: GCC does not honour
    // alignas on a coroutine frame's byte array).
    DWORD storage[1024];
    auto records = std::as_writable_bytes(std::span(storage));
    // Issue the read, then make the change from another coroutine-free place: the file is
    // created by the task below after this read is pending.
    std::size_t n = co_await dir.read_changes(records, FILE_NOTIFY_CHANGE_FILE_NAME, false);
    CHECK(n > 0);
    ovl::for_each_change(records.data(), n, [&](DWORD action, std::basic_string_view<WCHAR> name) {
        if (action == FILE_ACTION_ADDED && name.size() == 7) {
            const char expected[] = "new.txt";
            bool same = true;
            for (std::size_t i = 0; i < 7; ++i) same = same && name[i] == static_cast<WCHAR>(expected[i]);
            saw = saw || same;
        }
    });
    (void)file_path;
}

static ovl::task<> make_file(ovl::io_context &ctx, std::string path)
{
    co_await ctx.sleep_for(std::chrono::milliseconds(50));
    HANDLE h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
    CHECK(h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
}

// Changes that do not fit the buffer: they are discarded and the read ends with 0 bytes
// (STATUS_NOTIFY_ENUM_DIR, a success status), which the call returns as 0, not as an error.
static ovl::task<> overflow(ovl::directory &dir, std::size_t &got, std::error_code &ec)
{
    DWORD small[4];
    got = co_await dir.read_changes(std::as_writable_bytes(std::span(small)), FILE_NOTIFY_CHANGE_FILE_NAME, false, ec);
}

int main()
{
    ovl::io_context ctx(1);
    std::string dir_path = ovl_test::temp_path("ovl-changes");
    CHECK(CreateDirectoryA(dir_path.c_str(), nullptr));
    std::string file_path = dir_path + "\\new.txt";
    bool saw = false;
    {
        auto dir = ovl::directory::open(ctx, dir_path.c_str());
        CHECK(dir.is_open());
        ovl::co_spawn(ctx, watch(dir, file_path, saw));
        ovl::co_spawn(ctx, make_file(ctx, file_path));
        ctx.run();
    }
    CHECK(saw);
    std::string long_path = dir_path + "\\a-name-longer-than-the-buffer.txt";
    {
        auto dir = ovl::directory::open(ctx, dir_path.c_str());
        std::size_t got = 99;
        std::error_code ec = make_error_code(std::errc::interrupted);
        ovl::co_spawn(ctx, overflow(dir, got, ec));
        ovl::co_spawn(ctx, make_file(ctx, long_path));
        ctx.run();
        CHECK(!ec);
        CHECK_EQ(got, 0);
    }
    DeleteFileA(long_path.c_str());
    DeleteFileA(file_path.c_str());
    RemoveDirectoryA(dir_path.c_str());
    return ovl_test::finish();
}
