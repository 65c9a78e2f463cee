// test_peer_messages.cpp: a record with descriptors beside it (src/drivers/peer.h,
// DescriptorMessage), as handle offers and pulls pass an object between processes:
// every descriptor the kernel installs is either handed over or closed, never leaked.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/peer.h"
#include "testlib.h"

using overlapped::drivers::DescriptorMessage;

namespace {

struct Record {
    unsigned magic;
    unsigned value;
};

// A Linux pipe: [0] reads, [1] writes. Its reader sees the end (POLLHUP, read 0) once
// every copy of the write end is closed, which tells whether a passed copy is still open.
struct Pipe {
    int ends[2] = {-1, -1};
    Pipe() { CHECK(pipe2(ends, O_CLOEXEC) == 0); }
    ~Pipe()
    {
        for (int fd : ends)
            if (fd >= 0) close(fd);
    }
    // Closes this process's write end: the writer copies left are the passed ones.
    void close_writer()
    {
        close(ends[1]);
        ends[1] = -1;
    }
    bool writers_gone() const
    {
        pollfd entry{ends[0], POLLIN, 0};
        return poll(&entry, 1, 0) == 1 && (entry.revents & POLLHUP) != 0;
    }
};

void test_one_of_two_kept()
{
    TEST("a receiver with room for one descriptor keeps the first and closes the second");
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
    Pipe first, second;
    DescriptorMessage<Record, 2> out;
    out.record = {0x1234, 7};
    int passed[2] = {first.ends[1], second.ends[1]};
    CHECK(out.send_some(pair[0], passed, 2));
    first.close_writer();
    second.close_writer();
    DescriptorMessage<Record, 1> in;
    int kept = -1, received = 0;
    CHECK(in.receive_some(pair[1], &kept, &received));
    CHECK_EQ(received, 1);
    CHECK_EQ(in.record.value, 7u);
    CHECK(kept >= 0);
    CHECK(!first.writers_gone());  // the kept copy is open
    CHECK(second.writers_gone());  // the one past the count was closed, not leaked
    CHECK(fcntl(kept, F_GETFD) & FD_CLOEXEC);
    close(kept);
    CHECK(first.writers_gone());
    close(pair[0]);
    close(pair[1]);
}

void test_fewer_than_room()
{
    TEST("send_some passes fewer descriptors than the message has room for");
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
    Pipe only;
    DescriptorMessage<Record, 3> out;
    out.record = {0x1234, 9};
    int passed[3] = {only.ends[1], -1, -1};
    CHECK(out.send_some(pair[0], passed, 1));
    only.close_writer();
    DescriptorMessage<Record, 3> in;
    int got[3] = {-1, -1, -1}, received = 0;
    CHECK(in.receive_some(pair[1], got, &received));
    CHECK_EQ(received, 1);
    CHECK(got[0] >= 0);
    CHECK_EQ(got[1], -1);
    CHECK(!only.writers_gone());
    close(got[0]);
    CHECK(only.writers_gone());
    // A record alone (no descriptors).
    CHECK(out.send_some(pair[0], nullptr, 0));
    received = 5;
    CHECK(in.receive_some(pair[1], got, &received));
    CHECK_EQ(received, 0);
    close(pair[0]);
    close(pair[1]);
}

void test_exact_count_refused()
{
    TEST("receive() wants exactly its count: fewer are closed and it fails");
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
    Pipe only;
    DescriptorMessage<Record, 1> out;
    out.record = {0x1234, 1};
    CHECK(out.send(pair[0], &only.ends[1]));
    only.close_writer();
    DescriptorMessage<Record, 2> in;
    int got[2] = {-1, -1};
    CHECK(!in.receive(pair[1], got));
    CHECK_EQ(got[0], -1);
    CHECK(only.writers_gone());
    close(pair[0]);
    close(pair[1]);
}

}  // namespace

int main()
{
    test_one_of_two_kept();
    test_fewer_than_room();
    test_exact_count_refused();
    return tl_finish();
}
