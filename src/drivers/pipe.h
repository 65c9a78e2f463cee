// pipe.h: the pipe driver: anonymous pipes (CreatePipe) and named pipes (CreateNamedPipe,
// CreateFile("\\.\pipe\name")). docs/pipes.md describes the design.
//
// Every pipe end is a device (io::Device, ObjectType::Pipe):
//   - an anonymous pipe's ends are the two descriptors of a Linux pipe (pipe2), blocking,
//     used only synchronously (CreatePipe's handles are not overlapped);
//   - a named pipe's ends are the two descriptors of a connected Unix-domain socket pair
//     (SOCK_STREAM for PIPE_TYPE_BYTE, SOCK_SEQPACKET for PIPE_TYPE_MESSAGE: one record per
//     message), always non-blocking; overlapped requests go through the I/O manager on the
//     socket driver's engine operations (Receive/Send, lanes, a try at once).
// A name (PipeName, pipe.cpp) is a listening socket in the namespace directory
// (drivers/namespace.h), bound by the first instance; an internal accept takes every
// connection, reads the client's hello and hands the connection to an instance that
// listens (or answers "busy"). A connection that says nothing (the namespace's liveness
// probe) is dropped.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <windows.h>

#include "drivers/namespace.h"
#include "io/device.h"
#include "io/drain.h"

namespace overlapped::drivers {

class PipeName;
struct PipeReader;

enum class PipeEnd : uint8_t { Anonymous, Server, Client };

// A server instance's state, as Windows' named-pipe file system has it.
enum class PipeState : uint8_t {
    Listening,     // waiting for a client (a client may connect now)
    Connected,     // a client is connected
    Closing,       // the peer went away (data it sent may still be read)
    Disconnected,  // DisconnectNamedPipe: no client, not listening until ConnectNamedPipe
};

// What an overlapped pipe request asks beyond ReadFile/WriteFile (Transfer::driver_request).
struct PipeRequest {
    enum Kind : uint8_t { Connect, Transact } kind = Connect;
    // Transact: the message to write, then the buffer for the reply.
    const void* in = nullptr;
    DWORD in_length = 0;
    void* out = nullptr;
    DWORD out_length = 0;
};

class PipeDevice final : public io::Device {
public:
    PipeDevice() : Device(kernel::ObjectType::Pipe) {}

    // CreatePipe: two new ends (one reference each). `size`: the buffer size hint.
    static DWORD create_anonymous(DWORD size, PipeDevice** read_end, PipeDevice** write_end);

    // CreateNamedPipe: a new server instance of `name` (one reference), or null with *error.
    static PipeDevice* create_server(const DeviceName& name, DWORD open_mode, DWORD pipe_mode, DWORD max_instances,
                                     DWORD out_size, DWORD in_size, DWORD timeout, DWORD* error);

    // CreateFile("\\.\pipe\name"): a client end connected to a listening instance (one
    // reference), or null with *error (ERROR_FILE_NOT_FOUND, ERROR_PIPE_BUSY...).
    // `access`: the generic or specific rights asked for; `flags`: CreateFile's.
    static PipeDevice* open_client(const DeviceName& name, ACCESS_MASK access, DWORD flags, DWORD* error);

    // WaitNamedPipe: ERROR_SUCCESS once an instance of `name` listens, ERROR_SEM_TIMEOUT,
    // ERROR_FILE_NOT_FOUND (no such name).
    static DWORD wait_name(const DeviceName& name, DWORD timeout);

    bool overlapped_io() const override { return (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    void finish(io::Request* request) override;
    bool fast_ready(const io::Transfer& transfer, io::FastIo* io) override;
    bool fast_transfer(const io::Transfer& transfer, io::FastIo* io) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;
    void last_handle_closed() override;
    void after_last_handle_closed() override;

    // Handle inheritance (drivers/inherit.h, registered in pipe.cpp; the processes
    // branch's): under `lock`, the descriptor a child gets and a word describing the end;
    // in the child, an end rebuilt from them (one reference) or null with *error.
    bool export_inherit(int* descriptor, uint32_t* extra);
    static PipeDevice* adopt_inherited(int descriptor, uint32_t extra, ACCESS_MASK access, DWORD* error);
    // The end's disconnection page (InheritKind::export_aux, under `lock`): its memfd and
    // the count the other process's end starts from; false when the end has none. In
    // the other process, adopt_page gives an end rebuilt by adopt_inherited that page
    // (the descriptor taken over).
    bool export_page(int* descriptor, uint32_t* word);
    void adopt_page(int descriptor, uint32_t word);

    PipeEnd end() const { return end_; }
    // SetFilePointer's position of a synchronous handle: Windows' I/O manager keeps it in
    // the file object (FilePositionInformation) and the pipe file system never reads it.
    LONGLONG file_position() const { return position_.load(std::memory_order_relaxed); }
    void set_file_position(LONGLONG position) { position_.store(position, std::memory_order_relaxed); }
    // The rights a handle to this end gets (from the pipe's direction and what was asked).
    ACCESS_MASK granted() const { return granted_; }

    // ConnectNamedPipe on a handle without FILE_FLAG_OVERLAPPED: waits for a client.
    DWORD connect_wait();
    // Under no lock: what ConnectNamedPipe answers at once, before any waiting:
    // ERROR_IO_PENDING (it must wait), ERROR_PIPE_CONNECTED, ERROR_NO_DATA, or an error.
    DWORD connect_check();
    DWORD disconnect();
    // FlushFileBuffers: waits until the other end has read everything this end wrote
    // (or is gone). Synchronous; CancelSynchronousIo and the end's close end it.
    DWORD flush();
    // What the pipe file system answers a transfer (or, with `transact`, a
    // TransactNamedPipe) from this end's state alone, before it would wait: the error of
    // a server end listening or disconnected, a client its server disconnected, or an
    // end that cannot transact; ERROR_SUCCESS when the request goes on.
    DWORD state_refusal(bool write, bool transact);
    // The same under `lock` (prepare() holds it already).
    DWORD state_refusal_locked(bool write, bool transact) const;
    // TransactNamedPipe on a synchronous handle.
    DWORD transact_sync(const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* read);
    // Whether this end has something to read already (TransactNamedPipe then fails with
    // ERROR_PIPE_BUSY, as the pipe file system answers: Wine's kernel32 pipe test).
    bool has_unread() const;
    DWORD peek(void* buffer, DWORD size, DWORD* read, DWORD* available, DWORD* left);
    // Whether a zero-length message is the next thing to read on `fd`.
    bool zero_message_waits(int fd) const;
    DWORD info(DWORD* flags, DWORD* out_size, DWORD* in_size, DWORD* max_instances);
    DWORD handle_state(DWORD* state, DWORD* instances);
    // SetNamedPipeHandleState's mode (null: only the collection settings, which change
    // nothing here, are set).
    DWORD set_mode(const DWORD* mode);
    // The process at the client end (client) or server end (server) of the connection.
    DWORD process_id(bool client, ULONG* pid);

private:
    void recycle() override;
    // Resets every field for a new end.
    void reset_pipe(PipeEnd end, int descriptor, DWORD flags);
    // A synchronous read or write of a connected named-pipe end (poll, then the call).
    DWORD read_sync(void* buffer, DWORD length, DWORD* done);
    DWORD write_sync(const void* buffer, DWORD length, DWORD* done);
    // The error of a write that failed with `error` (an errno) on `fd`: ERROR_NO_DATA when
    // the other side closed, ERROR_PIPE_NOT_CONNECTED when the server disconnected.
    DWORD write_failure(int fd, int error);
    // Waits (poll) for `events` on the descriptor; ERROR_SUCCESS or ERROR_OPERATION_ABORTED.
    DWORD wait_descriptor(int descriptor, short events);
    // Runs `call` as a synchronous request of this end that CancelSynchronousIo and the
    // close can interrupt (blocked_enter, io::run_synchronous); ERROR_OPERATION_ABORTED at
    // once if the end is closing.
    template <class Call>
    DWORD blocked_call(Call call);
    // Inside blocked_call: one poll of `descriptor` for `events`, for at most `timeout`
    // (null: no limit). ERROR_SUCCESS when ready; ERROR_OPERATION_ABORTED when
    // interrupted() says so after the time ran out or a signal ended the poll; WAIT_TIMEOUT
    // when neither says anything; or the error.
    DWORD poll_once(int descriptor, short events, const timespec* timeout);
    // Under `lock`: the error a transfer on this end gets now, or ERROR_SUCCESS.
    DWORD transfer_state_error(bool write) const;
    // A byte pipe's write of no bytes on `fd`: ERROR_SUCCESS, or the error of a write to
    // an end whose other end is gone.
    DWORD empty_write_error(int fd);
    // Under `lock`: why TransactNamedPipe cannot start on this end, or ERROR_SUCCESS.
    DWORD transact_error() const;
    // After a blocking call on this end failed with EINTR: whether to give up
    // (CancelSynchronousIo, or the end closed).
    bool interrupted();
    // A read found the end of the connection: a server end's client went (Closing).
    // Returns whether this is a server end that disconnected itself (its own shutdown).
    bool note_peer_gone();

    friend class PipeName;
    friend struct PipeReader;

    PipeEnd end_ = PipeEnd::Anonymous;
    int descriptor_ = -1;         // the pipe or socket; -1: none (a server not connected)
    int connect_event_ = -1;      // a server's eventfd: readable when a client arrived
    int retired_ = -1;            // a disconnected connection's descriptor, closed later (under `lock`)
    DWORD flags_ = 0;             // FILE_FLAG_OVERLAPPED...
    ACCESS_MASK granted_ = 0;
    bool message_type_ = false;   // PIPE_TYPE_MESSAGE
    bool message_read_ = false;   // PIPE_READMODE_MESSAGE
    bool nowait_ = false;         // PIPE_NOWAIT
    bool can_read_ = true;        // the direction of this end
    bool can_write_ = true;
    PipeState state_ = PipeState::Connected;  // under `lock`
    bool disconnected_ = false;   // the other side called DisconnectNamedPipe (under `lock`)
    PipeName* name_ = nullptr;    // a server's name (a reference)
    DWORD out_size_ = 0, in_size_ = 0, max_instances_ = 0;  // a client's copy of the name's
    std::string name_path_;  // a client's: its name's socket, to ask for the count of instances
    ULONG peer_pid_ = 0;          // the connection's other process (SO_PEERCRED)
    std::atomic<LONGLONG> position_{0};  // file_position()
    // A message end's unread rest of a message (a read too small for it). Guarded by
    // `remainder_mutex_`; only one read runs at a time (the In lane, or sync_mutex_).
    std::mutex remainder_mutex_;
    std::vector<char> spare_;     // a record's part past the caller's buffer lands here
    uint32_t remainder_offset_ = 0;
    uint32_t remainder_length_ = 0;
    bool remainder_more_ = false; // the message goes on in the next record(s)
    bool peer_disconnected_ = false;  // a disconnect mark was read (under remainder_mutex_)
    // Whether any of the three above is set (written under remainder_mutex_): a read
    // that finds it clear skips the mutex.
    std::atomic<bool> remainder_busy_{false};
    // DisconnectNamedPipe discards what the client has not read: its next call fails. The
    // client cannot learn that from its socket before the data queued there, so an
    // instance keeps a page whose word counts its disconnections, passed to each client
    // with the handshake's reply; the client compares the word with the count when it
    // connected before each transfer (a load, no system call). Null without a page (an
    // end that came by inheritance, or a failed memfd).
    std::atomic<uint32_t>* page_ = nullptr;  // the server's own mapping, or the client's view
    int page_fd_ = -1;                       // the page's memfd (a server's is passed to its clients)
    uint32_t connected_at_ = 0;              // a client's: the count at its connection
    bool adopted_server_ = false;            // a server end that came from another process
    bool server_disconnected() const
    {
        return end_ == PipeEnd::Client && page_ != nullptr &&
               page_->load(std::memory_order_acquire) != connected_at_;
    }
    // Under `lock`: a client end its server disconnected. Windows detaches its file object
    // from the pipe, so every request on it fails with STATUS_PIPE_DISCONNECTED
    // (ERROR_PIPE_NOT_CONNECTED): transfers, queries and settings alike (ReactOS's npfs
    // decodes no pipe from it; Wine's server answers the same).
    void note_peer_reset() { peer_reset_.store(true, std::memory_order_relaxed); }
    bool cut_off() const { return end_ == PipeEnd::Client && (disconnected_ || server_disconnected()); }
    // A server's page, made at its first connection; false if there is none.
    bool ensure_page();
    std::atomic<bool> spare_ready_{false};  // spare_ has its size (it keeps it until recycled)
    // A transfer on this end saw ECONNRESET: the other end closed with data of ours unread
    // (a Unix socket sets its peer's error so, once: the first call to look takes it, a
    // pending write or read before a FlushFileBuffers that waits). Cleared by
    // DisconnectNamedPipe, before the instance's next client.
    std::atomic<bool> peer_reset_{false};
    void update_busy()
    {
        remainder_busy_.store(remainder_length_ > 0 || remainder_more_ || peer_disconnected_,
                              std::memory_order_release);
    }
    // Synchronous transfers of one end run one at a time per direction, as Windows runs a
    // synchronous file object's requests. A holder may block in the kernel for long, so
    // a waiter sleeps (a futex), but the uncontended path is one atomic exchange.
    class TransferLock {
    public:
        void lock()
        {
            uint32_t expected = 0;
            if (word_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return;
            lock_contended();
        }
        void unlock()
        {
            if (word_.exchange(0, std::memory_order_release) == 2) wake_one();
        }

    private:
        void lock_contended();
        void wake_one();
        std::atomic<uint32_t> word_{0};  // 0 free, 1 held, 2 held with sleepers
    };
    TransferLock read_mutex_;
    TransferLock write_mutex_;
    bool closing_ = false;        // under `lock`: the last handle is closed
    io::DrainHint drained_;       // a receive of the In lane left the end empty
    bool shared_ = false;         // under `lock`: another process has this end too (no shutdown at close)
};

// The NTSTATUS a request on a pipe reports for a Win32 error (ERROR_NO_DATA...).
DWORD pipe_status(DWORD error);

}  // namespace overlapped::drivers
