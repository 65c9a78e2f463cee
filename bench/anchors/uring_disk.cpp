// uring_disk.cpp: the anchor for win32/bench_disk.c: 64 KiB random aligned reads of a disk
// image opened O_DIRECT, 16 in flight, in raw liburing (each round submits every refill
// at once in io_uring_submit_and_wait, then reaps every completion there is).
//  uring_disk_read64k_direct_mbps   MB/s (10^6 bytes)
//
// usage: uring_disk [--quick] IMAGE (bench/disk.sh makes the image). 2 s, 0.3 s with --quick.
#include "anchor_common.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <liburing.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr unsigned kLength = 64 * 1024;
constexpr unsigned kDepth = 16;
uint64_t random_state = 0x9E3779B97F4A7C15ull;

[[noreturn]] void fatal(const char* what, int error)
{
    std::fprintf(stderr, "uring_disk: %s: %s\n", what, std::strerror(error));
    std::exit(1);
}

uint64_t random_offset(long long bytes)
{
    random_state ^= random_state << 13;  // xorshift64, as bench_disk.c
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state % static_cast<uint64_t>(bytes / kLength) * kLength;
}

double ring_reads(const char* path, long long bytes, double seconds)
{
    int descriptor = open(path, O_RDONLY | O_DIRECT);
    if (descriptor < 0) fatal(path, errno);
    io_uring ring;
    if (int error = io_uring_queue_init(2 * kDepth, &ring, 0); error < 0) fatal("io_uring_queue_init", -error);
    void* memory = nullptr;
    if (posix_memalign(&memory, 4096, static_cast<size_t>(kLength) * kDepth) != 0) fatal("posix_memalign", ENOMEM);
    char* buffers = static_cast<char*>(memory);
    auto prepare = [&](unsigned index) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        io_uring_prep_read(sqe, descriptor, buffers + static_cast<size_t>(kLength) * index, kLength, random_offset(bytes));
        io_uring_sqe_set_data64(sqe, index);
    };
    double start = anchor_seconds(), elapsed = 0;
    for (unsigned i = 0; i < kDepth; ++i) prepare(i);
    long completed = 0, counted = 0;
    unsigned in_flight = kDepth;
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
            if (cqe->res != static_cast<int>(kLength)) fatal("read", cqe->res < 0 ? -cqe->res : EIO);
            ++completed;
            if (stopping) --in_flight;
            else prepare(static_cast<unsigned>(io_uring_cqe_get_data64(cqe)));
        }
        io_uring_cq_advance(&ring, seen);
    }
    io_uring_queue_exit(&ring);
    close(descriptor);
    std::free(memory);
    return counted / elapsed;
}

}  // namespace

int main(int argc, char** argv)
{
    double duration = anchor_duration(argc, argv) < 1.0 ? 0.3 : 2.0;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--", 2) != 0) path = argv[i];
    if (path == nullptr) {
        std::fprintf(stderr, "usage: uring_disk [--quick] IMAGE\n");
        return 2;
    }
    struct stat status {};
    if (stat(path, &status) != 0) fatal(path, errno);
    ring_reads(path, status.st_size, duration / 4);  // warm-up, as bench_disk.c
    anchor_metric("uring_disk_read64k_direct_mbps", ring_reads(path, status.st_size, duration) * kLength / 1e6, "MB/s");
    return 0;
}
