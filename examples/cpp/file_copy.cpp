// file_copy.cpp: the FileCopy of examples/filecopy (Windows via C/C++, chapter 10) as C++20
// coroutines over <overlapped/overlapped.hpp>.
//
//   file_copy [--verify] SRC DST
//
// Both files are opened unbuffered (FILE_FLAG_NO_BUFFERING) and bound to one io_context.
// BUFFERS coroutines each own a 1 MiB buffer and loop: take the next offset, read it,
// write it at the same offset. A progress coroutine redraws a line every 250 ms until the
// copy ends. Unbuffered I/O moves whole sectors, so DST is written rounded up and then cut
// to SRC's size through a buffered handle. --verify compares the files afterwards.
// Exit status: 0 success, 1 the files differ, 2 usage or a Win32 error.
#include <overlapped/overlapped.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace std::chrono_literals;
constexpr DWORD buffer_size = 1024 * 1024, buffers = 8, alignment = 4096;
constexpr unsigned long long round_up(unsigned long long v) { return (v + alignment - 1) & ~(unsigned long long)(alignment - 1); }

struct copy_state {
    ovl::file source, destination;
    unsigned long long size = 0;
    std::atomic<unsigned long long> next{0}, copied{0};
};

static ovl::task<> copier(copy_state &state)
{
    auto *buffer = static_cast<std::byte *>(VirtualAlloc(nullptr, buffer_size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    if (buffer == nullptr) throw std::system_error(ovl::last_error(), "VirtualAlloc");
    struct release { std::byte *p; ~release() { VirtualFree(p, 0, MEM_RELEASE); } } owner{buffer};
    for (unsigned long long at; (at = state.next.fetch_add(buffer_size)) < state.size;) {
        std::size_t n = co_await state.source.read_at(at, std::span(buffer, buffer_size));
        // A short read is the end of the file: written whole sectors long, cut afterwards.
        co_await state.destination.write_at(at, std::span<const std::byte>(buffer, round_up(n)));
        state.copied.fetch_add(n);
    }
}

static void show(unsigned long long bytes, std::chrono::duration<double> elapsed, const char *end)
{
    double mib = bytes / (1024.0 * 1024.0);
    std::fprintf(stderr, "\rfile_copy: %.1f MiB in %.2f s, %.1f MiB/s%s", mib, elapsed.count(),
                 elapsed.count() > 0 ? mib / elapsed.count() : 0.0, end);
}

static ovl::task<> progress(ovl::io_context &ctx, copy_state &state, std::stop_token stop)
{
    auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    while (!stop.stop_requested()) {
        show(state.copied.load(), std::chrono::steady_clock::now() - start, "");
        co_await ctx.sleep_for(250ms, stop, ec);
    }
    show(state.size, std::chrono::steady_clock::now() - start, "\n");
}

static ovl::task<> copy_all(ovl::io_context &ctx, copy_state &state)
{
    std::stop_source done;
    auto copiers = [](copy_state &s, std::stop_source &d) -> ovl::task<> {
        std::vector<ovl::task<>> each;
        for (DWORD i = 0; i < buffers; ++i) each.push_back(copier(s));
        co_await ovl::when_all(std::move(each));
        d.request_stop();
    };
    co_await ovl::when_all(copiers(state, done), progress(ctx, state, done.get_token()));
}

static ovl::task<int> verify(ovl::io_context &ctx, const char *a_path, const char *b_path)
{
    auto a = ovl::file::open_read(ctx, a_path), b = ovl::file::open_read(ctx, b_path);
    std::vector<std::byte> x(buffer_size), y(buffer_size);
    for (unsigned long long at = 0;; at += buffer_size) {
        auto [n, m] = co_await ovl::when_all(a.read_at(at, x), b.read_at(at, y));
        if (n != m || std::memcmp(x.data(), y.data(), n) != 0) {
            std::printf("verify: the files differ in the MiB at offset %llu\n", at);
            co_return 1;
        }
        if (n < buffer_size) {
            std::printf("verify: ok (%llu bytes)\n", at + n);
            co_return 0;
        }
    }
}

int main(int argc, char **argv)
{
    bool check = argc > 1 && std::strcmp(argv[1], "--verify") == 0;
    if (argc != 3 + check) {
        std::fprintf(stderr, "usage: file_copy [--verify] SRC DST\n");
        return 2;
    }
    const char *from = argv[1 + check], *to = argv[2 + check];
    try {
        ovl::io_context ctx;
        copy_state state;
        constexpr DWORD unbuffered = FILE_FLAG_NO_BUFFERING;
        state.source = ovl::file::open(ctx, from, GENERIC_READ, OPEN_EXISTING, FILE_SHARE_READ, unbuffered);
        state.destination = ovl::file::open(ctx, to, GENERIC_WRITE, CREATE_ALWAYS, 0, unbuffered);
        state.size = state.source.size();
        state.destination.resize(round_up(state.size)); // allocated once, not write by write
        ovl::sync_wait(ctx, copy_all(ctx, state));
        state.destination.close();
        ovl::file::open(ctx, to, GENERIC_WRITE, OPEN_EXISTING).resize(state.size); // buffered: any size
        return check ? ovl::sync_wait(ctx, verify(ctx, from, to)) : 0;
    } catch (const std::system_error &error) {
        std::fprintf(stderr, "\nfile_copy: %s (error %d)\n", error.what(), error.code().value());
        return 2;
    }
}
