// uring_file.cpp: the anchor for win32/bench_file.c: the same reads of the same file in raw
// liburing, as directly as it can be done. Requests stay in flight at a fixed depth; each
// round submits every refill at once and waits in io_uring_submit_and_wait, then reaps
// every completion there is.
//  uring_randread_kiops          4 KiB random aligned reads, 32 in flight
//  uring_seqread_1m_mbps         1 MiB sequential reads, 8 in flight (MB/s)
//  uring_randread_direct_kiops   uring_randread_kiops on an O_DIRECT descriptor
//  uring_seqread_1m_direct_mbps  uring_seqread_1m_mbps on an O_DIRECT descriptor
//  pread_qd1_kiops               4 KiB random reads with pread, one at a time
//  nowait_qd1_kiops              the same with preadv2(RWF_NOWAIT) on an O_NOATIME descriptor:
//                                a read that may not wait, as a fast path must make it (a
//                                read that would wait, none on a cached file, is made again
//                                with pread); the kernel's floor under a skip-on-success read
//
// usage: uring_file [--quick] [FILE]; FILE as bench_file finds it ($OVERLAPPED_BENCH_FILE,
// else $TMPDIR/overlapped-bench-1g.dat), created with non-zero data if missing and read
// once before measuring. 2 s a measurement, 0.3 s with --quick.
//
// The cold-cache helpers (bench/run.sh; the Win32 bench_file cannot touch the page cache):
//  uring_file --drop-cache FILE  drops the file's pages from the page cache
//                                (posix_fadvise POSIX_FADV_DONTNEED over the whole file: no
//                                root needed; clean pages only, which these are), then
//                                prints METRIC file_cached_pct: how much of it is still cached
//  uring_file --cached FILE      prints METRIC file_cached_pct only (mincore on a mapping)
//  uring_file --cold FILE        no pre-read: 4 KiB random reads, 32 in flight, for 0.5 s
//                                (also with --quick) from whatever is cached, normally
//                                nothing (run it right after --drop-cache):
//                                uring_randread_cold_kiops, and uring_randread_cold_mib, how
//                                much the counted reads asked for (MiB)
#include "anchor_common.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <liburing.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

constexpr long long file_size_wanted = 1024LL * 1024 * 1024;
constexpr unsigned small = 4096;
constexpr unsigned large = 1024 * 1024;
constexpr unsigned random_depth = 32;
constexpr unsigned sequential_depth = 8;
constexpr double cold_seconds = 0.5;  // --cold, as bench_file --cold

std::string path;
long long file_bytes;
double duration;
uint64_t random_state = 0x9E3779B97F4A7C15ull;
long last_counted;  // reads counted by the last ring_reads

[[noreturn]] void fatal(const char* what, int error)
{
    std::fprintf(stderr, "uring_file: %s: %s\n", what, std::strerror(error));
    std::exit(1);
}

uint64_t random_offset()
{
    random_state ^= random_state << 13;  // xorshift64, as bench_file.c
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state % static_cast<uint64_t>(file_bytes / small) * small;
}

void* allocate(size_t bytes)
{
    void* memory = nullptr;
    if (posix_memalign(&memory, 4096, bytes) != 0) fatal("posix_memalign", ENOMEM);
    std::memset(memory, 0, bytes);
    return memory;
}

void prepare_file(int argc, char** argv, bool pre_read)
{
    bool given = false;
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--", 2) != 0) path = argv[i], given = true;
    if (!given && std::getenv("OVERLAPPED_BENCH_FILE")) path = std::getenv("OVERLAPPED_BENCH_FILE"), given = true;
    if (!given) path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/overlapped-bench-1g.dat";

    char* buffer = static_cast<char*>(allocate(large));
    struct stat status {};
    if (stat(path.c_str(), &status) != 0) status.st_size = 0;
    if (status.st_size < large * sequential_depth || (!given && status.st_size != file_size_wanted)) {
        std::fprintf(stderr, "uring_file: creating %s (1 GiB)\n", path.c_str());
        int descriptor = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (descriptor < 0) fatal(path.c_str(), errno);
        for (long long done = 0; done < file_size_wanted; done += large) {
            for (unsigned i = 0; i < large; ++i) buffer[i] = static_cast<char>((i * 131 + done / large) | 1);
            if (write(descriptor, buffer, large) != large) fatal("write", errno);
        }
        fsync(descriptor);
        close(descriptor);
        status.st_size = file_size_wanted;
    }
    file_bytes = status.st_size / large * large;
    if (!pre_read) {
        std::free(buffer);
        return;
    }

    int descriptor = open(path.c_str(), O_RDONLY);
    if (descriptor < 0) fatal(path.c_str(), errno);
    while (read(descriptor, buffer, large) > 0) {
    }
    close(descriptor);
    std::free(buffer);
}

// The CPU time (user and system) of the last measurement's reads, in ns a read, all of its
// reads counted, those that finished after its time was up too.
double last_cpu_ns = 0;

// Keeps `depth` reads of `length` bytes in flight for `seconds`. Returns reads a second.
double ring_reads(int open_flags, unsigned length, unsigned depth, bool sequential, double seconds)
{
    int descriptor = open(path.c_str(), O_RDONLY | open_flags);
    if (descriptor < 0) fatal(path.c_str(), errno);
    io_uring ring;
    if (int error = io_uring_queue_init(2 * depth, &ring, 0); error < 0) fatal("io_uring_queue_init", -error);
    char* buffers = static_cast<char*>(allocate(static_cast<size_t>(length) * depth));
    uint64_t next = 0;
    auto prepare = [&](unsigned index) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        uint64_t offset = sequential ? next : random_offset();
        next = (next + length) % static_cast<uint64_t>(file_bytes);
        io_uring_prep_read(sqe, descriptor, buffers + static_cast<size_t>(length) * index, length, offset);
        io_uring_sqe_set_data64(sqe, index);
    };

    double start = anchor_seconds(), elapsed = 0, cpu_start = anchor_cpu_seconds();
    for (unsigned i = 0; i < depth; ++i) prepare(i);
    long completed = 0, counted = 0;
    unsigned in_flight = depth;
    bool stopping = false;
    while (in_flight > 0) {
        if (int error = io_uring_submit_and_wait(&ring, 1); error < 0 && error != -EINTR)
            fatal("io_uring_submit_and_wait", -error);
        if (!stopping && (elapsed = anchor_seconds() - start) >= seconds) {
            stopping = true;
            counted = completed;
        }
        unsigned head, seen = 0;
        io_uring_cqe* cqe;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            ++seen;
            if (cqe->res != static_cast<int>(length)) fatal("read", cqe->res < 0 ? -cqe->res : EIO);
            ++completed;
            if (stopping) --in_flight;
            else prepare(static_cast<unsigned>(io_uring_cqe_get_data64(cqe)));
        }
        io_uring_cq_advance(&ring, seen);
    }
    last_cpu_ns = (anchor_cpu_seconds() - cpu_start) * 1e9 / static_cast<double>(completed);
    io_uring_queue_exit(&ring);
    close(descriptor);
    std::free(buffers);
    last_counted = counted;
    return counted / elapsed;
}

double nowait_reads()
{
    int descriptor = open(path.c_str(), O_RDONLY | O_NOATIME);
    if (descriptor < 0) descriptor = open(path.c_str(), O_RDONLY);  // not the owner
    if (descriptor < 0) fatal(path.c_str(), errno);
    char* buffer = static_cast<char*>(allocate(small));
    double start = anchor_seconds(), elapsed, cpu_start = anchor_cpu_seconds();
    long completed = 0;
    do {
        for (int i = 0; i < 256; ++i) {
            off_t offset = static_cast<off_t>(random_offset());
            iovec vector{buffer, small};
            if (preadv2(descriptor, &vector, 1, offset, RWF_NOWAIT) != small &&
                pread(descriptor, buffer, small, offset) != small)
                fatal("pread", errno);
        }
        completed += 256;
    } while ((elapsed = anchor_seconds() - start) < duration);
    last_cpu_ns = (anchor_cpu_seconds() - cpu_start) * 1e9 / static_cast<double>(completed);
    close(descriptor);
    std::free(buffer);
    return completed / elapsed;
}

double pread_reads()
{
    int descriptor = open(path.c_str(), O_RDONLY);
    if (descriptor < 0) fatal(path.c_str(), errno);
    char* buffer = static_cast<char*>(allocate(small));
    double start = anchor_seconds(), elapsed, cpu_start = anchor_cpu_seconds();
    long completed = 0;
    do {
        for (int i = 0; i < 256; ++i)
            if (pread(descriptor, buffer, small, static_cast<off_t>(random_offset())) != small) fatal("pread", errno);
        completed += 256;
    } while ((elapsed = anchor_seconds() - start) < duration);
    last_cpu_ns = (anchor_cpu_seconds() - cpu_start) * 1e9 / static_cast<double>(completed);
    close(descriptor);
    std::free(buffer);
    return completed / elapsed;
}

// The share of the file's pages in the page cache, in percent (mincore on a shared
// read-only mapping; mapping the file does not read it).
double cached_percent()
{
    int descriptor = open(path.c_str(), O_RDONLY);
    if (descriptor < 0) fatal(path.c_str(), errno);
    struct stat status {};
    if (fstat(descriptor, &status) != 0) fatal("fstat", errno);
    size_t bytes = static_cast<size_t>(status.st_size), page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t pages = (bytes + page - 1) / page, resident = 0;
    if (pages > 0) {
        void* mapping = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, descriptor, 0);
        if (mapping == MAP_FAILED) fatal("mmap", errno);
        std::vector<unsigned char> present(pages);
        if (mincore(mapping, bytes, present.data()) != 0) fatal("mincore", errno);
        for (unsigned char p : present) resident += p & 1;
        munmap(mapping, bytes);
    }
    close(descriptor);
    return pages > 0 ? 100.0 * static_cast<double>(resident) / static_cast<double>(pages) : 0;
}

void drop_cache()
{
    int descriptor = open(path.c_str(), O_RDONLY);
    if (descriptor < 0) fatal(path.c_str(), errno);
    if (int error = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED); error != 0) fatal("posix_fadvise", error);
    close(descriptor);
}

bool has_option(int argc, char** argv, const char* option)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], option) == 0) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv)
{
    duration = anchor_duration(argc, argv) < 1.0 ? 0.3 : 2.0;
    if (has_option(argc, argv, "--drop-cache") || has_option(argc, argv, "--cached")) {
        prepare_file(argc, argv, false);
        if (has_option(argc, argv, "--drop-cache")) drop_cache();
        anchor_metric("file_cached_pct", cached_percent(), "%");
        return 0;
    }
    if (has_option(argc, argv, "--cold")) {  // no pre-read, no warm-up: the ring is set up untimed
        prepare_file(argc, argv, false);
        double rate = ring_reads(0, small, random_depth, false, cold_seconds);
        anchor_metric("uring_randread_cold_kiops", rate / 1e3, "kiops");
        anchor_metric("uring_randread_cold_mib", static_cast<double>(last_counted) * small / (1024.0 * 1024.0), "MiB");
        return 0;
    }
    prepare_file(argc, argv, true);
    std::fprintf(stderr, "uring_file: %s, %lld MiB\n", path.c_str(), file_bytes / large);

    ring_reads(0, small, random_depth, false, duration / 4);  // warm-up, as bench_file.c
    anchor_metric("uring_randread_kiops", ring_reads(0, small, random_depth, false, duration) / 1e3, "kiops");
    anchor_metric("uring_randread_cpu_ns", last_cpu_ns, "ns");
    anchor_metric("uring_seqread_1m_mbps", ring_reads(0, large, sequential_depth, true, duration) * large / 1e6, "MB/s");
    anchor_metric("uring_randread_direct_kiops", ring_reads(O_DIRECT, small, random_depth, false, duration) / 1e3, "kiops");
    anchor_metric("uring_seqread_1m_direct_mbps",
                  ring_reads(O_DIRECT, large, sequential_depth, true, duration) * large / 1e6, "MB/s");
    anchor_metric("pread_qd1_kiops", pread_reads() / 1e3, "kiops");
    anchor_metric("pread_qd1_cpu_ns", last_cpu_ns, "ns");
    anchor_metric("nowait_qd1_kiops", nowait_reads() / 1e3, "kiops");
    anchor_metric("nowait_qd1_cpu_ns", last_cpu_ns, "ns");
    return 0;
}
