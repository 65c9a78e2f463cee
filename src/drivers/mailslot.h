// mailslot.h: the mailslot driver: Windows mailslots on Unix-domain datagram sockets.
//
// A mailslot's server end (CreateMailslot) is a SOCK_DGRAM socket bound to the
// mailslot's name in the per-user namespace (drivers/namespace.h); a client end
// (CreateFile("\\.\mailslot\name")) is a SOCK_DGRAM socket connected to it. One WriteFile
// is one datagram, so message boundaries come for free, in other processes too.
//
// Linux queues at most net.unix.max_dgram_qlen (10 by default) datagrams on a receiving
// socket before senders block, where Windows keeps any number of messages. So the server
// moves every datagram, as soon as it arrives, into a queue of its own in memory (a
// Poll of the socket that the I/O manager's completion thread runs: the "drain"), and
// reads, GetMailslotInfo and the message count work on that queue. An eventfd is readable
// while the queue holds a message; a pending read waits (an engine Poll) on an epoll
// instance holding the socket and that eventfd, plus, for a read with a time-out, a
// timerfd of its own. Reads run one at a time, in the order they were issued (Lane::In).
//
// The server's nMaxMessageSize reaches clients in other processes through the socket
// entry's modification time (seconds: the size; nanoseconds: kMaxSizeMark), set right
// after bind: a client reads it when it opens the mailslot (an entry not marked yet is
// one reached between the two: the client looks again for a moment).
#pragma once

#include <atomic>
#include <deque>
#include <string>
#include <vector>

#include <windows.h>

#include "drivers/namespace.h"
#include "io/device.h"

namespace overlapped::drivers {

class MailslotDevice final : public io::Device {
public:
    MailslotDevice() : Device(kernel::ObjectType::Mailslot) {}

    // CreateMailslot: the server end of `path` (as the program gave it, UTF-8), one
    // reference; or null with *error: ERROR_INVALID_NAME (not a local mailslot name),
    // ERROR_ALREADY_EXISTS (the name is in use), ERROR_ACCESS_DENIED (the namespace
    // directory), or the error of a system call.
    static MailslotDevice* create_server(const std::string& path, DWORD max_message_size, DWORD read_timeout,
                                         DWORD* error);

    // CreateFile on "\\.\mailslot\name" or "\\*\mailslot\name": a client end, one
    // reference; or null with *error (ERROR_FILE_NOT_FOUND: no such mailslot;
    // ERROR_INVALID_NAME, ERROR_BAD_NETPATH: the name). `flags`: CreateFile's
    // (FILE_FLAG_OVERLAPPED).
    static MailslotDevice* open_client(const std::string& path, DWORD flags, DWORD* error);

    // A client end over an inherited connected socket (`descriptor`, taken over), for a
    // child process's start-up; null with *error.
    static MailslotDevice* adopt_client(int descriptor, DWORD max_message_size, DWORD flags, DWORD* error);
    // The device of a client end on `socket` (open_client's and adopt_client's).
    static MailslotDevice* new_client(int socket, DWORD max_message_size, DWORD flags);
    // Under `lock`: what a client end hands to a child (false for a server end, which
    // does not cross: its queue lives in this process).
    bool export_client(int* descriptor, DWORD* max_message_size, DWORD* flags) const;

    bool is_server() const { return server_; }

    // The server's end is always open for overlapped reads (CreateMailslot's handle is
    // asynchronous on Windows; a ReadFile without an OVERLAPPED waits, as there).
    bool overlapped_io() const override { return server_ || (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    void finish(io::Request* request) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;
    void last_handle_closed() override;

    // GetMailslotInfo (server only: ERROR_INVALID_PARAMETER on a client). Any pointer
    // may be null.
    DWORD info(DWORD* max_message_size, DWORD* next_size, DWORD* message_count, DWORD* read_timeout);
    // SetMailslotInfo (server only).
    DWORD set_read_timeout(DWORD read_timeout);

    // The nanoseconds of the entry's modification time that say its seconds are the
    // server's nMaxMessageSize.
    static constexpr long kMaxSizeMark = 271828182;

private:
    void recycle() override;
    // Under `lock`: moves every datagram queued on the socket into messages_, and keeps
    // the eventfd readable while messages_ is not empty.
    void drain_locked();
    // Under `lock`: takes the first message into `buffer` (`length` bytes of room).
    // ERROR_SUCCESS with *size, ERROR_INSUFFICIENT_BUFFER or ERROR_NOACCESS (a buffer that
    // is not writable memory; the message stays), or ERROR_NO_DATA when there is none.
    DWORD take_locked(void* buffer, DWORD length, DWORD* size);
    // Under `lock`: keeps the drain armed (a Poll of the socket on the process queue).
    void arm_drain_locked();
    static void drained(engine::Op* op);
    // The Win32 error for the errno of a client's send.
    DWORD send_error(int error) const;

    bool server_ = false;
    DWORD flags_ = 0;
    int socket_ = -1;
    // ---- the server's.
    int ready_event_ = -1;  // eventfd: readable while messages_ is not empty
    int ready_epoll_ = -1;  // epoll of the socket and ready_event_ (untimed reads wait on it)
    // The drain's Poll waits on an epoll instance holding the socket, never on the socket:
    // an io_uring request keeps its file open, and a process that dies keeps its ring's
    // files a moment after its exit (the kernel tears the ring down afterwards), while an
    // epoll instance does not keep the files it watches. So the server's socket goes with
    // its process, and clients and a new server see it gone at once. (Pending reads wait
    // on epoll instances too.)
    int drain_epoll_ = -1;
    std::string path_;      // the entry in the namespace, and its identity
    EntryId entry_{};
    DWORD max_message_ = 0;
    std::atomic<DWORD> read_timeout_{0};
    std::atomic<bool> closing_{false};
    // Under `lock`:
    std::deque<std::vector<char>> messages_;
    bool event_set_ = false;
    bool drain_armed_ = false;
    struct Drain {
        io::InternalOp op;  // first: the engine hands it back
        MailslotDevice* device = nullptr;
    } drain_;
};

}  // namespace overlapped::drivers
