// test_file.cpp: read_at/write_at, scatter/gather, the end of the file, and the at-once
// path: a request that completes at once on a handle skipping the port resumes the
// coroutine without a trip through the port.
#include "check.hpp"

#include <vector>

static ovl::task<> write_and_read(ovl::file &f)
{
    std::vector<std::byte> data(100000), back(100000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::byte(i * 7 + 3);
    std::size_t written = co_await f.write_at(0, data);
    CHECK_EQ(written, data.size());
    CHECK_EQ(f.size(), data.size());
    std::size_t read = co_await f.read_at(0, back);
    CHECK_EQ(read, back.size());
    CHECK(back == data);
    // At an offset, and past the end: 0 bytes.
    std::byte small[10];
    CHECK_EQ(co_await f.read_at(99995, small), 5);
    CHECK(small[0] == data[99995]);
    CHECK_EQ(co_await f.read_at(200000, small), 0);
    // Above 4 GiB offsets go through OffsetHigh.
    std::byte high[3] = {std::byte(1), std::byte(2), std::byte(3)};
    CHECK_EQ(co_await f.write_at(0x100000000ull, high), 3);
    CHECK_EQ(f.size(), 0x100000003ull);
    std::byte high_back[3] = {};
    CHECK_EQ(co_await f.read_at(0x100000000ull, high_back), 3);
    CHECK(high_back[2] == std::byte(3));
    // Awaitables moved into when_all keep their offsets.
    std::byte one[1], two[1];
    auto [r1, r2] = co_await ovl::when_all(f.read_at(1, one), f.read_at(50000, two));
    CHECK(r1 == 1 && r2 == 1);
    CHECK(one[0] == data[1] && two[0] == data[50000]);
    f.resize(100000);
    CHECK_EQ(f.size(), 100000);
}

static ovl::task<> scatter_gather(ovl::file &f)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    const DWORD page = info.dwPageSize;
    auto *pages = static_cast<std::byte *>(VirtualAlloc(nullptr, 4 * page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
    CHECK(pages != nullptr);
    for (DWORD i = 0; i < 2 * page; ++i) pages[i] = std::byte(i % 251);
    FILE_SEGMENT_ELEMENT out[3] = {};
    out[0].Buffer = pages + page; // out of order: the second page first
    out[1].Buffer = pages;
    CHECK_EQ(co_await f.write_gather_at(0, out, 2 * page), 2 * page);
    FILE_SEGMENT_ELEMENT in[3] = {};
    in[0].Buffer = pages + 2 * page;
    in[1].Buffer = pages + 3 * page;
    CHECK_EQ(co_await f.read_scatter_at(0, in, 2 * page), 2 * page);
    CHECK(std::memcmp(pages + 2 * page, pages + page, page) == 0);
    CHECK(std::memcmp(pages + 3 * page, pages, page) == 0);
    VirtualFree(pages, 0, MEM_RELEASE);
}

// Counts the reads that resumed before co_spawn returned: only possible without the port.
static ovl::task<> at_once(ovl::file &f, int &resumed_inline, const bool &spawn_returned)
{
    std::byte buffer[512];
    for (int i = 0; i < 50; ++i) {
        co_await f.read_at(static_cast<unsigned long long>(i) * 512, buffer);
        if (!spawn_returned) ++resumed_inline;
    }
}

int main()
{
    ovl::io_context ctx(1);
    std::string path = ovl_test::temp_path("ovl-file");
    {
        auto f = ovl::file::create(ctx, path.c_str());
        CHECK(f.is_open());
        CHECK(f.skips_port_on_success()); // the layer set FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
        ovl::sync_wait(ctx, write_and_read(f));
        // Scatter/gather wants FILE_FLAG_NO_BUFFERING on Windows (our library does not).
        auto unbuffered = ovl::file::open(ctx, (path + "-sg").c_str(), GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS,
                                          0, FILE_FLAG_NO_BUFFERING);
        ovl::sync_wait(ctx, scatter_gather(unbuffered));
        unbuffered.close();
        DeleteFileA((path + "-sg").c_str());
        // The page cache serves these at once (ReadFile returns TRUE): no packet, no port.
        std::vector<std::byte> fill(50 * 512, std::byte(1));
        ovl::sync_wait(ctx, f.write_at(0, fill));
        int inline_count = 0;
        bool returned = false;
        ovl::co_spawn(ctx, at_once(f, inline_count, returned));
        returned = true;
        ctx.run();
        if (ovl_test::under_wine())
            std::printf("under Wine: overlapped file reads always pend (ERROR_IO_PENDING), none is at once\n");
        else
            CHECK(inline_count > 0);
        std::printf("at-once reads: %d of 50 resumed without the port\n", inline_count);
    }
    // With skip-on-success off, a read that finished at once still queues its packet: the
    // coroutine resumes only through the port, once per read.
    {
        ovl::io_context classic(1);
        classic.set_skip_on_success(false);
        auto f = ovl::file::open(classic, path.c_str(), GENERIC_READ, OPEN_EXISTING, FILE_SHARE_READ);
        CHECK(!f.skips_port_on_success());
        int inline_count = 0;
        bool returned = false;
        ovl::co_spawn(classic, at_once(f, inline_count, returned));
        returned = true;
        classic.run();
        CHECK_EQ(inline_count, 0);
        CHECK_EQ(classic.outstanding_work(), 0);
        // A read past the end fails at once (STATUS_END_OF_FILE, an error): no packet
        // comes, with or without skip-on-success; it ends with 0 bytes, once.
        auto past_end = [](ovl::file &g) -> ovl::task<int> {
            std::byte b[16];
            int zeros = 0;
            for (int i = 0; i < 20; ++i) zeros += co_await g.read_at(1ull << 40, b) == 0;
            co_await g.read_at(0, b); // a packet of its own, after any stray one
            co_return zeros;
        };
        CHECK_EQ(ovl::sync_wait(classic, past_end(f)), 20);
    }
    DeleteFileA(path.c_str());
    return ovl_test::finish();
}
