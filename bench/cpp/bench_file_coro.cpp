// bench_file_coro.cpp: bench_file's completion-port rows (bench/win32/bench_file.c) with
// the C++20 layer: 4 KiB random aligned reads of the page-cached 1 GiB bench file, 32 in
// flight, each in flight request one coroutine looping `co_await f.read_at(...)` on an
// io_context of concurrency 1 run on one thread (GetQueuedCompletionStatusEx batches).
//  file_randread_coro_port_kiops  every completion through the port (skip-on-success off),
//                                 the work of bench_file's file_randread_port_kiops
//  file_randread_coro_skip_kiops  FILE_SKIP_COMPLETION_PORT_ON_SUCCESS set (the layer's
//                                 default): a read that finishes at once resumes its
//                                 coroutine at once; bench_file's file_randread_skip_kiops
//  coro_allocs_per_op             operator new calls (the whole process's, library
//                                 included) per read during both measurements
//
// usage: bench_file_coro [--quick] [--only=TEXT] [FILE]: the file handling of bench_file
// (FILE, else $OVERLAPPED_BENCH_FILE, else overlapped-bench-1g.dat in the temporary
// directory, created when missing, read once first). 2 s per measurement, 0.3 s with --quick.
#include <overlapped/overlapped.hpp>

#include <atomic>
#include <new>

extern "C" {
#include "../win32/bench_common.h"
}

#pragma GCC diagnostic ignored "-Wmismatched-new-delete" // operator new is malloc here

static std::atomic<long> allocations{0};
void *operator new(std::size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

constexpr long long file_target = 1024LL * 1024 * 1024;
constexpr DWORD small = 4096, large = 1024 * 1024;
constexpr int depth = 32;
static char path[MAX_PATH];
static long long file_bytes;
static unsigned long long random_state = 0x9E3779B97F4A7C15ull;

[[noreturn]] static void fatal(const char *what)
{
    std::fprintf(stderr, "bench_file_coro: %s: error %lu\n", what, static_cast<unsigned long>(GetLastError()));
    std::exit(1);
}

static unsigned long long random_offset()
{
    random_state ^= random_state << 13; // xorshift64, as bench_file
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (random_state % static_cast<unsigned long long>(file_bytes / small)) * small;
}

// bench_file's prepare_file: find or create the file, then read it once into the cache.
static void prepare_file(int argc, char **argv)
{
    bool given = false;
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--", 2) != 0) {
            std::snprintf(path, sizeof(path), "%s", argv[i]);
            given = true;
        }
    if (!given && std::getenv("OVERLAPPED_BENCH_FILE") != nullptr) {
        std::snprintf(path, sizeof(path), "%s", std::getenv("OVERLAPPED_BENCH_FILE"));
        given = true;
    }
    if (!given) {
        char directory[MAX_PATH - 32];
        DWORD length = GetTempPathA(sizeof(directory), directory);
        if (length == 0 || length >= sizeof(directory)) fatal("GetTempPathA");
        std::snprintf(path, sizeof(path), "%soverlapped-bench-1g.dat", directory);
    }
    auto *buffer = static_cast<BYTE *>(VirtualAlloc(nullptr, large, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    if (buffer == nullptr) fatal("VirtualAlloc");
    LARGE_INTEGER size{};
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
    if (file != INVALID_HANDLE_VALUE) {
        if (!GetFileSizeEx(file, &size)) fatal("GetFileSizeEx");
        CloseHandle(file);
    }
    if (size.QuadPart < large * 8 || (!given && size.QuadPart != file_target)) {
        std::fprintf(stderr, "bench_file_coro: creating %s (1 GiB)\n", path);
        file = CreateFileA(path, GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
        if (file == INVALID_HANDLE_VALUE) fatal(path);
        for (long long done = 0; done < file_target; done += large) {
            for (DWORD i = 0; i < large; ++i) buffer[i] = static_cast<BYTE>((i * 131 + done / large) | 1);
            DWORD written;
            if (!WriteFile(file, buffer, large, &written, nullptr) || written != large) fatal("WriteFile");
        }
        FlushFileBuffers(file);
        CloseHandle(file);
        size.QuadPart = file_target;
    }
    file_bytes = size.QuadPart / large * large;
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
    if (file == INVALID_HANDLE_VALUE) fatal(path);
    DWORD got;
    do {
        if (!ReadFile(file, buffer, large, &got, nullptr)) fatal("ReadFile (pre-read)");
    } while (got > 0);
    CloseHandle(file);
    VirtualFree(buffer, 0, MEM_RELEASE);
}

struct run_state {
    double start = 0, seconds = 0, elapsed = 0;
    long completed = 0, counted = 0;
    bool stopping = false;
};

static ovl::task<> reader(ovl::file &f, std::byte *buffer, run_state &st)
{
    while (!st.stopping) {
        std::size_t n = co_await f.read_at(random_offset(), std::span(buffer, small));
        if (n != small) fatal("read completion");
        // The clock is read every 64 reads, as bench_file does.
        if ((++st.completed & 63) == 0 && (st.elapsed = bench_seconds() - st.start) >= st.seconds && !st.stopping) {
            st.stopping = true;
            st.counted = st.completed;
        }
    }
}

static long measured_reads, measured_allocations;

static double coro_reads(bool skip, double seconds)
{
    ovl::io_context ctx(1);
    ctx.set_skip_on_success(skip);
    auto f = ovl::file::open(ctx, path, GENERIC_READ, OPEN_EXISTING, FILE_SHARE_READ);
    if (f.skips_port_on_success() != skip) fatal("SetFileCompletionNotificationModes");
    auto *buffers =
        static_cast<std::byte *>(VirtualAlloc(nullptr, SIZE_T(small) * depth, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    if (buffers == nullptr) fatal("VirtualAlloc");
    run_state st;
    st.seconds = seconds;
    // The frames are allocated before the clock starts; the reads then allocate nothing.
    std::vector<ovl::task<>> readers;
    for (int i = 0; i < depth; ++i) readers.push_back(reader(f, buffers + SIZE_T(small) * i, st));
    long before = allocations.load();
    st.start = bench_seconds();
    for (auto &r : readers) ovl::co_spawn(ctx, std::move(r));
    ctx.run();
    if (!st.stopping) {
        st.counted = st.completed;
        st.elapsed = bench_seconds() - st.start;
    }
    // co_spawn's own frame per reader is counted out: it is per coroutine, not per read.
    measured_allocations += allocations.load() - before - depth;
    measured_reads += st.completed;
    VirtualFree(buffers, 0, MEM_RELEASE);
    return st.counted / st.elapsed;
}

int main(int argc, char **argv)
{
    const char *only = "";
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
    auto wanted = [&](const char *name) { return std::strstr(name, only) != nullptr; };
    double duration = bench_duration(argc, argv) < 1.0 ? 0.3 : 2.0;
    prepare_file(argc, argv);
    coro_reads(false, duration / 4); // warm-up, as bench_file
    measured_reads = measured_allocations = 0;
    if (wanted("file_randread_coro_port_kiops"))
        bench_metric("file_randread_coro_port_kiops", coro_reads(false, duration) / 1e3, "kiops");
    if (wanted("file_randread_coro_skip_kiops"))
        bench_metric("file_randread_coro_skip_kiops", coro_reads(true, duration) / 1e3, "kiops");
    if (wanted("coro_allocs_per_op") && measured_reads > 0)
        bench_metric("coro_allocs_per_op", static_cast<double>(measured_allocations) / measured_reads, "allocs/op");
    return 0;
}
