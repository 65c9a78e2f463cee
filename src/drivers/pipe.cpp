// pipe.cpp: the pipe driver (pipe.h; design in docs/pipes.md).
#include "drivers/pipe.h"
#include "drivers/inherit.h"
#include "drivers/peer.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <new>
#include <system_error>
#include <thread>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/sockios.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/errors.h"
#include "common/futex.h"
#include "common/raw_io.h"
#include "engine/attempt.h"
#include "io/request.h"
#include "kernel/process.h"
#include "kernel/thread_state.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace overlapped::drivers {

namespace {

// The kernel carries data from a write to the read that gets it (ThreadSanitizer cannot
// see that edge): release before a send, acquire after a receive (as the socket driver).
#if defined(__SANITIZE_THREAD__)
char pipe_edge;
#endif
inline void data_sent()
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(&pipe_edge);
#endif
}
inline void data_received()
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(&pipe_edge);
#endif
}

// The most a message pipe puts in one SOCK_SEQPACKET record: a longer message goes as
// several records, each but the last marked "more" (below). A read's part of a record
// past the caller's buffer lands in the end's spare buffer of this size.
constexpr uint32_t kRecord = 64 * 1024;

// The buffer size CreatePipe reports for a size of 0 (Windows' default).
constexpr DWORD kAnonymousDefaultSize = 4096;

// Marks carried as SCM_RIGHTS beside a record (never inside a message's data, so a
// message pipe's records hold exactly its messages' bytes and FIONREAD counts only
// data). Reads pass no control buffer: the kernel then drops the descriptor (closing it)
// and says MSG_CTRUNC, and the record's length tells which mark it was:
//   on a message pipe, a marked record of 0 bytes is a zero-length message (an unmarked
//   one is the end of the connection), of 1 byte "the server disconnected"
//   (DisconnectNamedPipe; the byte is not data), of more "the message goes on in the
//   next record" (only full records of kRecord bytes are marked so);
//   on a byte pipe's stream the only mark is the disconnection, on one extra byte: a read
//   that brings it ends with it, so it is that read's last byte.
int more_mark = -1;  // a /dev/null descriptor, sent as the mark
std::once_flag marks_made;

void make_marks()
{
    std::call_once(marks_made, [] { more_mark = open("/dev/null", O_RDONLY | O_CLOEXEC); });
}

enum class Mark : uint8_t { None, More, Disconnect };

// What a received record's mark (if any) says, from its length (see above).
Mark mark_of(const msghdr* message, bool records, uint32_t length)
{
    if (!(message->msg_flags & MSG_CTRUNC)) return Mark::None;
    if (!records || length == 1) return Mark::Disconnect;
    return Mark::More;  // also a zero-length message (length 0)
}

constexpr size_t kControlSpace = CMSG_SPACE(sizeof(int));

// Attaches `fd` as SCM_RIGHTS to `message` (control: kControlSpace bytes).
void attach_mark(msghdr* message, unsigned char* control, int fd)
{
    message->msg_control = control;
    message->msg_controllen = CMSG_SPACE(sizeof(int));
    cmsghdr* c = CMSG_FIRSTHDR(message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

// ---- the handshake. A client connects to the name's socket and sends a Hello; the
// server answers with a Reply (before anything else on the connection).
// The handshake's version too: a process whose library speaks another version is not
// answered (its client sees no server) rather than misread. 2: Reply::disconnects.
constexpr uint32_t kMagic = 0x32504950;  // "PIP2"
// kHelloJoin: another process makes an instance of the name (Hello::access: its
// PIPE_ACCESS_* bits, kJoinFirst for FILE_FLAG_FIRST_PIPE_INSTANCE, kJoinBusy); the
// connection stays as that instance's link to the name's owner (see PipeName::join).
enum : uint32_t { kHelloConnect = 1, kHelloQuery = 2, kHelloJoin = 3 };
enum : uint32_t { kReplyConnected = 1, kReplyBusy = 2, kReplyAvailable = 3, kReplyDenied = 4, kReplyJoined = 5 };
constexpr uint32_t kJoinFirst = 0x80000000u;
// kHelloJoin again, after the owner ended (PipeName::take_over): the instance is
// connected, not listening (it says so on the link when it listens again).
constexpr uint32_t kJoinBusy = 0x40000000u;
// The bytes on a link: a remote instance listens again (to the owner); a client's
// connection, passed with it (to the instance).
constexpr char kLinkListening = 'L';
constexpr char kLinkClient = 'C';

struct Hello {
    uint32_t magic;
    uint32_t kind;
    uint32_t access;         // the client's: 1 read, 2 write (kHelloJoin: see above)
    uint32_t max_instances;  // kHelloJoin: the new instance's
};

struct Reply {
    uint32_t magic;
    uint32_t status;
    uint32_t pipe_mode;  // PIPE_TYPE_*
    uint32_t open_mode;  // PIPE_ACCESS_* of the server end
    uint32_t max_instances;
    uint32_t out_size;
    uint32_t in_size;
    uint32_t timeout;
    uint32_t server_pid;  // the process of the instance that answers
    uint32_t instances;   // the name's instances (the owner's count: every process's)
    uint32_t disconnects; // kReplyConnected: the instance's page's count (PipeDevice::page_)
};

constexpr size_t kPageSize = 4096;

// Polls `fd` for `events` for at most `timeout_ms` (-1: no limit). >0 ready, 0 timed out.
int poll_for(int fd, short events, int timeout_ms)
{
    pollfd entry{fd, events, 0};
    for (;;) {
        int r = poll(&entry, 1, timeout_ms);
        if (r >= 0 || errno != EINTR) return r;
    }
}

// A synchronous end's descriptor blocks (its calls wait in the kernel, one system call
// each; a plain Linux child that inherits it sees an ordinary blocking socket). Engine
// operations never depend on it: they ask for MSG_DONTWAIT.
void set_blocking(int fd)
{
    int status = fcntl(fd, F_GETFL);
    if (status >= 0 && (status & O_NONBLOCK)) fcntl(fd, F_SETFL, status & ~O_NONBLOCK);
}


ULONG peer_process(int fd)
{
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return 0;
    return static_cast<ULONG>(credentials.pid);
}

}  // namespace

// ---- names.
class PipeName;

// An instance of a name this process owns, made by another process (PipeName::join). Its
// link is the connection it joined on: it says there when it listens again, and clients'
// connections are passed to it there.
struct RemoteInstance {
    io::InternalOp op;  // first: the engine hands it back
    PipeName* name = nullptr;
    int link = -1;
    int process = -1;  // a pidfd of the process that joined, or -1
    char byte = 0;
    bool counted_out = false;  // by PipeName::reap_remotes_locked, before its receive saw the end
};

// This process's instance of a name another process owns: the receive, on its link, of
// the clients the owner passes to it.
struct OwnerLink {
    io::InternalOp op;  // first
    PipeName* name = nullptr;
    int link = -1;
    msghdr message{};
    iovec vector{};
    char byte = 0;
    alignas(cmsghdr) unsigned char control[kControlSpace];
};

class PipeName {
public:
    std::mutex mutex;  // guards everything below
    std::string key;
    std::string path;
    EntryId entry;
    int listener = -1;
    bool seqpacket = false;
    DWORD open_mode = 0;  // PIPE_ACCESS_* of the first instance
    DWORD pipe_mode = 0;
    DWORD max_instances = 0;
    DWORD out_size = 0;
    DWORD in_size = 0;
    DWORD timeout = 0;
    uint32_t instances = 0;               // server ends alive (the owner: other processes' too)
    std::deque<PipeDevice*> listening;    // instances waiting for a client, oldest first
    std::deque<RemoteInstance*> remote_listening;  // other processes' instances waiting
    std::vector<RemoteInstance*> remotes;          // every other process's instance (the owner)
    // An instance of a name another process owns has a PipeName of its own, outside the
    // name table: `remote`, with its link to the owner (-1 once the link has ended).
    bool remote = false;
    int owner_link = -1;
    uint32_t users = 0;                   // instances + the accept under way + handshakes + links
    struct AcceptOp {
        io::InternalOp op;  // first: the engine hands it back
        PipeName* name = nullptr;
    } accept;
    bool accept_armed = false;

    // Takes the name's listener and starts accepting.
    void arm_accept();
    static void accepted(engine::Op* op);
    // A handshake's hello arrived (or the connection said nothing and closed).
    void hello(int fd, const Hello* hello, bool ok);
    // kHelloJoin: another process's new instance.
    void join(int fd, const Hello* hello);
    static bool arm_remote(RemoteInstance* remote);
    static void remote_received(engine::Op* op);
    static bool arm_link(OwnerLink* link);
    static void link_received(engine::Op* op);
    // The owner ended while this process's instance of its name lives: binds the name
    // here, or joins whoever was first. On a thread of its own, with a use of the name.
    static void take_over(PipeName* name);
    // take_over()'s join of the name's new owner; false if there was none to join.
    bool rejoin();
    // Under `mutex`: a reply with the name's parameters.
    Reply reply_template() const;
    // Under `mutex`: why a further instance of `access` (PIPE_ACCESS_* bits), made with
    // FILE_FLAG_FIRST_PIPE_INSTANCE if `first`, is refused, or ERROR_SUCCESS.
    DWORD refusal_locked(DWORD access, bool first) const;
    // The oldest instance of this process still listening, locked; or null.
    PipeDevice* take_listening();
    void put_back(PipeDevice* instance);
    // Replies "connected" on `fd` and makes it `instance`'s connection (unlocks it).
    void connect_instance(PipeDevice* instance, int fd, Reply* reply);
    // Passes `fd` to another process's listening instance; false if none took it.
    bool hand_to_remote(int fd);
    // Under `mutex`, an instance of this process listens again: the owner is told.
    void listening_again_locked();
    // Under names_mutex and `mutex`: one instance fewer; the last ends the name here.
    void count_out_locked();
    // Under names_mutex and `mutex`: counts out now the other processes' instances whose
    // links the kernel already reports closed (may end the name, as count_out_locked).
    void reap_remotes_locked();
    // Under names_mutex: one user fewer; the last frees the name.
    void release_locked();
    void release();
};

namespace {

std::mutex names_mutex;
std::unordered_map<std::string, PipeName*>* names = new std::unordered_map<std::string, PipeName*>();
// Under names_mutex: the names this process joined (join_owner), until they are freed.
std::vector<PipeName*>* joined_names = new std::vector<PipeName*>();
// Set at a normal exit: a link that ends then is not a reason to take the name over.
std::atomic<bool> exiting{false};

// At a normal exit: this process's instances of other processes' names count out at once
// there, as a Windows process's handles close when it ends. (Their links would otherwise
// end only when the kernel has torn down this process's io_uring, whose receive holds
// them: a moment after the exit, while the owner still counts the instances.)
void end_links_at_exit()
{
    if (kernel::process_is_forked_copy()) return;  // not the links of the process it copies
    exiting.store(true, std::memory_order_release);
    std::lock_guard<std::mutex> guard(names_mutex);
    for (PipeName* name : *joined_names)
        if (name->remote && name->owner_link >= 0) shutdown(name->owner_link, SHUT_RDWR);
}

struct Handshake {
    io::InternalOp op;  // first
    PipeName* name = nullptr;
    int fd = -1;
    Hello hello{};
};

void handshake_received(engine::Op* op)
{
    auto* handshake = reinterpret_cast<Handshake*>(op);
    bool ok = op->result == static_cast<int>(sizeof(Hello)) && handshake->hello.magic == kMagic;
    handshake->name->hello(handshake->fd, &handshake->hello, ok);
    handshake->name->release();
    delete handshake;
}

}  // namespace

void PipeName::release_locked()
{
    if (--users != 0) return;
    auto found = names->find(key);
    if (found != names->end() && found->second == this) names->erase(found);
    joined_names->erase(std::remove(joined_names->begin(), joined_names->end(), this), joined_names->end());
    delete this;
}

void PipeName::release()
{
    std::lock_guard<std::mutex> guard(names_mutex);
    release_locked();
}

void PipeName::count_out_locked()
{
    if (--instances != 0) return;
    if (remote) {
        // The link ends (link_received closes it); the owner counts this instance out.
        if (owner_link >= 0) shutdown(owner_link, SHUT_RDWR);
        return;
    }
    namespace_unbind(path, entry);
    int fd = listener;
    listener = -1;
    if (accept_armed) io::cancel_internal(&accept.op);
    shutdown(fd, SHUT_RDWR);
    close(fd);
    auto found = names->find(key);
    if (found != names->end() && found->second == this) names->erase(found);
}

void PipeName::reap_remotes_locked()
{
    // The owner's receive on a link learns of its end a moment after the close (from its
    // I/O thread); the kernel reports the end at once. Windows counts an instance out at
    // its close, and the process that waits for another's exit (or its message "closed")
    // may make a new instance at the limit at once.
    // A process that was killed has ended before its link does: the receive its io_uring
    // holds keeps the link open until the kernel tears that ring down, a moment later, so
    // the joiner's own end (its pidfd readable) counts too.
    for (RemoteInstance* remote : remotes) {
        if (remote->counted_out) continue;
        pollfd entries[2] = {{remote->link, POLLRDHUP, 0}, {remote->process, POLLIN, 0}};
        if (poll(entries, 2, 0) <= 0) continue;
        if (!(entries[0].revents & (POLLRDHUP | POLLHUP | POLLERR)) && !(entries[1].revents & POLLIN)) continue;
        remote->counted_out = true;
        remote_listening.erase(std::remove(remote_listening.begin(), remote_listening.end(), remote),
                               remote_listening.end());
        count_out_locked();
    }
}

void PipeName::arm_accept()
{
    accept.op.reset();
    accept.op.code = engine::OpCode::Accept;
    accept.op.kind = engine::OpKind::Stream;
    accept.op.descriptor = listener;
    accept.op.complete = &PipeName::accepted;
    accept.name = this;
    accept_armed = true;
    if (!io::submit_internal(&accept.op)) accept_armed = false;
}

void PipeName::accepted(engine::Op* op)
{
    PipeName* name = reinterpret_cast<AcceptOp*>(op)->name;
    int result = op->result;
    if (result == -EMFILE || result == -ENFILE) {
        // Out of descriptors: try again after a pause rather than spin.
        timespec pause{0, 10 * 1000 * 1000};
        nanosleep(&pause, nullptr);
    }
    bool rearmed = false;
    {
        std::lock_guard<std::mutex> guard(name->mutex);
        name->accept_armed = false;
        if (name->listener >= 0) name->arm_accept();
        rearmed = name->accept_armed;
    }
    if (result >= 0) {
        // The hello is read by the engine (a connection that never speaks costs nothing
        // but its descriptor; the namespace's liveness probe closes at once).
        auto* handshake = new Handshake();
        handshake->name = name;
        handshake->fd = result;
        handshake->op.code = engine::OpCode::Receive;
        handshake->op.kind = engine::OpKind::Stream;
        handshake->op.descriptor = result;
        handshake->op.buffer = &handshake->hello;
        handshake->op.length = sizeof(Hello);
        handshake->op.complete = &handshake_received;
        {
            std::lock_guard<std::mutex> guard(names_mutex);
            ++name->users;
        }
        if (!io::submit_internal(&handshake->op)) {
            close(result);
            name->release();
            delete handshake;
        }
    }
    if (!rearmed) name->release();  // the accept's use of the name ends
}

DWORD PipeName::refusal_locked(DWORD access, bool first) const
{
    // The pipe file system's order (ReactOS's npfs, NpCreateExistingNamedPipe, written
    // to match Windows' driver; Wine's server agrees): the instance limit
    // (STATUS_INSTANCE_NOT_AVAILABLE), then FILE_CREATE, then the pipe's direction (both
    // STATUS_ACCESS_DENIED).
    if (max_instances != PIPE_UNLIMITED_INSTANCES && instances >= max_instances) return ERROR_PIPE_BUSY;
    if (first || open_mode != access) return ERROR_ACCESS_DENIED;
    return ERROR_SUCCESS;
}

Reply PipeName::reply_template() const
{
    Reply reply{};
    reply.magic = kMagic;
    reply.pipe_mode = pipe_mode;
    reply.open_mode = open_mode;
    reply.max_instances = max_instances;
    reply.out_size = out_size;
    reply.in_size = in_size;
    reply.timeout = timeout;
    reply.server_pid = static_cast<uint32_t>(getpid());
    reply.instances = instances;
    return reply;
}

// The name's mutex and an instance's lock are never held together (an instance's close
// takes the name's mutex under its lock): an instance is taken off the list, then looked
// at. Devices are type-stable, so a pointer taken off the list is safe to lock even if
// that instance closed since.
PipeDevice* PipeName::take_listening()
{
    for (;;) {
        PipeDevice* candidate = nullptr;
        {
            std::lock_guard<std::mutex> guard(mutex);
            if (listening.empty()) return nullptr;
            candidate = listening.front();
            listening.pop_front();
        }
        candidate->lock.lock();
        if (candidate->name_ == this && candidate->state_ == PipeState::Listening && !candidate->closing_)
            return candidate;  // stays locked
        candidate->lock.unlock();
    }
}

void PipeName::put_back(PipeDevice* instance)
{
    instance->lock.unlock();
    std::lock_guard<std::mutex> guard(mutex);
    listening.push_front(instance);
}

void PipeName::connect_instance(PipeDevice* instance, int fd, Reply* reply)
{
    // The reply goes first, before the instance can write anything on the connection,
    // with the instance's page (see PipeDevice::page_) when it has one.
    reply->status = kReplyConnected;
    reply->disconnects = 0;
    iovec vector{reply, sizeof(*reply)};
    msghdr message{};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    alignas(cmsghdr) unsigned char control[kControlSpace];
    if (instance->ensure_page()) {
        reply->disconnects = instance->page_->load(std::memory_order_relaxed);
        attach_mark(&message, control, instance->page_fd_);
    }
    if (sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof(*reply))) {
        put_back(instance);
        close(fd);
        return;
    }
    if (instance->retired_ >= 0 && instance->requests == nullptr) {
        close(instance->retired_);
        instance->retired_ = -1;
    }
    if (!instance->overlapped_io()) set_blocking(fd);
    instance->descriptor_ = fd;
    instance->peer_pid_ = peer_process(fd);
    instance->state_ = PipeState::Connected;
    {
        std::lock_guard<std::mutex> remainder(instance->remainder_mutex_);
        instance->remainder_length_ = 0;
        instance->remainder_more_ = false;
        instance->peer_disconnected_ = false;
        instance->update_busy();
    }
    uint64_t one = 1;
    (void)!write(instance->connect_event_, &one, sizeof(one));
    instance->lock.unlock();
}

bool PipeName::hand_to_remote(int fd)
{
    // Under the mutex: a remote instance's link is closed under it when the instance ends.
    // The reap first: never a client to a process that has ended (its link may still take
    // it, and the client would wait for an answer until the kernel closes that link).
    std::lock_guard<std::mutex> names_guard(names_mutex);  // a reap may end the name
    std::lock_guard<std::mutex> guard(mutex);
    reap_remotes_locked();
    while (!remote_listening.empty()) {
        RemoteInstance* remote = remote_listening.front();
        remote_listening.pop_front();
        char byte = kLinkClient;
        iovec vector{&byte, 1};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        unsigned char control[kControlSpace];
        attach_mark(&message, control, fd);
        if (sendmsg(remote->link, &message, MSG_DONTWAIT | MSG_NOSIGNAL) == 1) {
            close(fd);  // the instance's process has it now, and answers the client
            return true;
        }
    }
    return false;
}

void PipeName::listening_again_locked()
{
    if (owner_link < 0) return;
    char byte = kLinkListening;
    (void)!send(owner_link, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void PipeName::hello(int fd, const Hello* hello, bool ok)
{
    if (!ok) {
        close(fd);
        return;
    }
    if (hello->kind == kHelloJoin) {
        join(fd, hello);
        return;
    }
    Reply reply;
    {
        // A query (WaitNamedPipe, another process's GetNamedPipeHandleState) sees only the
        // other processes' instances still open.
        std::unique_lock<std::mutex> names_guard(names_mutex, std::defer_lock);
        if (hello->kind == kHelloQuery) names_guard.lock();
        std::lock_guard<std::mutex> guard(mutex);
        if (hello->kind == kHelloQuery) reap_remotes_locked();
        reply = reply_template();
    }
    // A client asking for the direction the pipe does not have is refused before it takes
    // an instance (an inbound pipe's client writes, an outbound pipe's client reads).
    if (hello->kind == kHelloConnect && (((hello->access & 1) && !(reply.open_mode & PIPE_ACCESS_OUTBOUND)) ||
                                         ((hello->access & 2) && !(reply.open_mode & PIPE_ACCESS_INBOUND)))) {
        reply.status = kReplyDenied;
        (void)!send(fd, &reply, sizeof(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
        close(fd);
        return;
    }
    // This process's instances first, then other processes'.
    PipeDevice* instance = take_listening();
    if (hello->kind == kHelloConnect && instance != nullptr) {
        connect_instance(instance, fd, &reply);
        return;
    }
    bool available = instance != nullptr;
    if (instance != nullptr) {
        put_back(instance);
    } else if (hello->kind == kHelloQuery) {
        std::lock_guard<std::mutex> guard(mutex);
        available = !remote_listening.empty();
    } else if (hand_to_remote(fd)) {
        return;
    }
    reply.status = available ? kReplyAvailable : kReplyBusy;
    (void)!send(fd, &reply, sizeof(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
    close(fd);
}

// Another process makes an instance of this name. It is checked as a further instance of
// this process would be (create_server), counted, and listed as listening; the connection
// stays as its link until that process closes the instance or ends.
void PipeName::join(int fd, const Hello* hello)
{
    Reply reply;
    auto* remote = new RemoteInstance();
    remote->name = this;
    remote->link = fd;
    // The joiner waits for the reply, so the pid is still its own (poll skips a -1).
    if (ULONG pid = peer_process(fd); pid != 0)
        remote->process = static_cast<int>(syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
    {
        std::lock_guard<std::mutex> names_guard(names_mutex);
        std::lock_guard<std::mutex> guard(mutex);
        reap_remotes_locked();
        reply = reply_template();
        reply.status = kReplyJoined;
        if (listener < 0)
            reply.status = 0;  // the name is going: the joiner sees the connection end
        else if (DWORD refusal = refusal_locked(hello->access & PIPE_ACCESS_DUPLEX, hello->access & kJoinFirst))
            reply.status = refusal == ERROR_PIPE_BUSY ? kReplyBusy : kReplyDenied;
        if (reply.status == kReplyJoined) {
            // Counted, listed and answered in one hold: once the joiner has the reply its
            // CreateNamedPipe has returned, and it may close the instance or end (a reap
            // must then find it here) or be expected to take a client (it must be listed
            // as listening). Clients are passed on the link under this mutex, so the
            // reply (sent without blocking: the link is new) comes before any of them.
            ++instances;
            ++users;
            remotes.push_back(remote);
            if (!(hello->access & kJoinBusy)) remote_listening.push_back(remote);
            (void)!send(fd, &reply, sizeof(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
        }
    }
    if (reply.status != kReplyJoined) {
        if (remote->process >= 0) close(remote->process);
        delete remote;
        if (reply.status != 0) (void)!send(fd, &reply, sizeof(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
        close(fd);
        return;
    }
    // A joiner that has gone meanwhile ends the link's receive, or a reap, which counts it
    // out.
    if (!arm_remote(remote)) {
        remote->op.result = -EIO;
        remote_received(&remote->op);
    }
}

bool PipeName::arm_remote(RemoteInstance* remote)
{
    remote->op.reset();
    remote->op.code = engine::OpCode::Receive;
    remote->op.kind = engine::OpKind::Stream;
    remote->op.descriptor = remote->link;
    remote->op.buffer = &remote->byte;
    remote->op.length = 1;
    remote->op.complete = &PipeName::remote_received;
    return io::submit_internal(&remote->op);
}

void PipeName::remote_received(engine::Op* op)
{
    auto* remote = reinterpret_cast<RemoteInstance*>(op);
    PipeName* name = remote->name;
    if (op->result == 1 && remote->byte == kLinkListening) {
        {
            std::lock_guard<std::mutex> guard(name->mutex);
            auto& list = name->remote_listening;
            if (!remote->counted_out && std::find(list.begin(), list.end(), remote) == list.end())
                list.push_back(remote);
        }
        if (arm_remote(remote)) return;
    }
    // The instance was closed, or its process ended: it counts out (unless a reap did).
    std::lock_guard<std::mutex> names_guard(names_mutex);
    {
        std::lock_guard<std::mutex> guard(name->mutex);
        auto& list = name->remote_listening;
        list.erase(std::remove(list.begin(), list.end(), remote), list.end());
        auto& all = name->remotes;
        all.erase(std::remove(all.begin(), all.end(), remote), all.end());
        close(remote->link);
        if (remote->process >= 0) close(remote->process);
        if (!remote->counted_out) name->count_out_locked();
    }
    delete remote;
    name->release_locked();
}

bool PipeName::arm_link(OwnerLink* link)
{
    link->op.reset();
    link->vector = iovec{&link->byte, 1};
    link->message = msghdr{};
    link->message.msg_iov = &link->vector;
    link->message.msg_iovlen = 1;
    link->message.msg_control = link->control;
    link->message.msg_controllen = sizeof(link->control);
    link->op.code = engine::OpCode::Receive;
    link->op.kind = engine::OpKind::Stream;
    link->op.descriptor = link->link;
    link->op.message = &link->message;
    link->op.flags = MSG_CMSG_CLOEXEC;
    link->op.complete = &PipeName::link_received;
    return io::submit_internal(&link->op);
}

void PipeName::link_received(engine::Op* op)
{
    auto* link = reinterpret_cast<OwnerLink*>(op);
    PipeName* name = link->name;
    int client = -1;
    if (op->result > 0) take_passed_descriptors(&link->message, &client, 1);
    if (op->result == 1 && link->byte == kLinkClient && client >= 0) {
        // A client the owner passed: this process answers it, as the owner would.
        Reply reply;
        {
            std::lock_guard<std::mutex> guard(name->mutex);
            reply = name->reply_template();
        }
        if (PipeDevice* instance = name->take_listening()) {
            name->connect_instance(instance, client, &reply);
        } else {
            // The instance closed or connected meanwhile: the client may try again.
            reply.status = kReplyBusy;
            (void)!send(client, &reply, sizeof(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
            close(client);
        }
        if (arm_link(link)) return;
    } else if (client >= 0) {
        close(client);
    }
    // The instance closed (count_out_locked shut the link), or the owner ended: then, as a
    // name on Windows lives while any instance does, this process takes it over.
    bool orphaned;
    {
        std::lock_guard<std::mutex> names_guard(names_mutex);
        std::lock_guard<std::mutex> guard(name->mutex);
        close(name->owner_link);
        name->owner_link = -1;
        orphaned = name->instances != 0 && !exiting.load(std::memory_order_acquire);
        if (orphaned) ++name->users;  // take_over()'s
    }
    delete link;
    if (orphaned) {
        try {
            std::thread(&PipeName::take_over, name).detach();
        } catch (const std::system_error&) {
            name->release();  // no thread: the instance keeps its clients, and gets no more
        }
    }
    name->release();
}

// ---- common.
DWORD pipe_status(DWORD error) { return ntstatus_from_win32_error(error); }

void PipeDevice::TransferLock::lock_contended()
{
    // Drepper's mutex: mark the word contended, sleep while it stays so.
    while (word_.exchange(2, std::memory_order_acquire) != 0) futex_wait(&word_, 2, nullptr);
}

void PipeDevice::TransferLock::wake_one() { futex_wake(&word_, 1); }

void PipeDevice::reset_pipe(PipeEnd end, int descriptor, DWORD flags)
{
    end_ = end;
    descriptor_ = descriptor;
    position_.store(0, std::memory_order_relaxed);
    connect_event_ = -1;
    retired_ = -1;
    flags_ = flags;
    granted_ = 0;
    message_type_ = false;
    message_read_ = false;
    nowait_ = false;
    can_read_ = can_write_ = true;
    state_ = PipeState::Connected;
    disconnected_ = false;
    name_ = nullptr;
    out_size_ = in_size_ = max_instances_ = 0;
    name_path_.clear();
    peer_pid_ = 0;
    remainder_offset_ = remainder_length_ = 0;
    remainder_more_ = false;
    peer_disconnected_ = false;
    remainder_busy_.store(false, std::memory_order_relaxed);
    page_ = nullptr;
    page_fd_ = -1;
    connected_at_ = 0;
    adopted_server_ = false;
    closing_ = false;
    drained_.reset();
    shared_ = false;
    // A named pipe's overlapped transfers may finish in the caller without a request
    // (fast_ready, fast_transfer), in its lanes as its requests.
    fast_io = end != PipeEnd::Anonymous;
    fast_lanes = true;
}

void PipeDevice::last_handle_closed()
{
    closing_ = true;
    Device::last_handle_closed();  // cancels the requests in progress
    interrupt_blocked();
    // The connection ends with the last handle: the peer reads the end of the pipe (the
    // descriptor itself is closed when the last reference goes, in recycle).
    if (end_ != PipeEnd::Anonymous && descriptor_ >= 0 && !shared_) shutdown(descriptor_, SHUT_RDWR);
    if (name_ == nullptr) return;
    // The instance stops counting now, as on Windows (a new instance may be made at
    // once); the name goes with its last instance: its listener closes and the accept
    // under way is cancelled. Lock order: an instance's lock, names_mutex, a name's mutex.
    std::lock_guard<std::mutex> names_guard(names_mutex);
    std::lock_guard<std::mutex> guard(name_->mutex);
    auto& list = name_->listening;
    list.erase(std::remove(list.begin(), list.end(), this), list.end());
    name_->count_out_locked();
}

void PipeDevice::after_last_handle_closed()
{
    // The pipe file system completes an end's pending requests (ConnectNamedPipe, reads,
    // writes) in the close itself, and the issuer's completion runs before CloseHandle
    // returns to it (Wine's kernel32 pipe test, run on Windows: a pending
    // ConnectNamedPipe's event is set when CloseHandle has returned). Ours are cancelled
    // and delivered by the engine a moment later: the closing thread waits for its own,
    // or a program that closes the pipe and leaves the function whose stack holds the
    // OVERLAPPED would have it written after it is gone.
    io::await_own_requests(this, 2000);
}

void PipeDevice::recycle()
{
    lock.lock();
    int descriptor = descriptor_;
    int event = connect_event_;
    int retired = retired_;
    int page_fd = page_fd_;
    void* page = page_;
    descriptor_ = -1;
    connect_event_ = -1;
    retired_ = -1;
    page_fd_ = -1;
    page_ = nullptr;
    PipeName* name = name_;
    name_ = nullptr;
    unbind();
    lock.unlock();
    if (name != nullptr) {
        std::lock_guard<std::mutex> names_guard(names_mutex);
        {
            // Off the list in any case (an instance taken off by a handshake and put back).
            std::lock_guard<std::mutex> guard(name->mutex);
            auto& list = name->listening;
            list.erase(std::remove(list.begin(), list.end(), this), list.end());
        }
        name->release_locked();
    }
    io::forget_device(this);
    if (descriptor >= 0) close(descriptor);
    if (event >= 0) close(event);
    if (retired >= 0) close(retired);
    if (page != nullptr) munmap(page, kPageSize);
    if (page_fd >= 0) close(page_fd);
    {
        std::lock_guard<std::mutex> guard(remainder_mutex_);
        std::vector<char>().swap(spare_);
        spare_ready_.store(false, std::memory_order_relaxed);
    }
    kernel::Pool<PipeDevice>::instance().release(this);
}

template <class Call>
DWORD PipeDevice::blocked_call(Call call)
{
    kernel::ThreadState* self = kernel::current_thread();
    {
        LockGuard guard(lock);
        if (closing_) return ERROR_OPERATION_ABORTED;
        blocked_enter(self);
    }
    DWORD result = io::run_synchronous(call);
    LockGuard guard(lock);
    blocked_leave(self);
    return result;
}

DWORD PipeDevice::poll_once(int descriptor, short events, const timespec* timeout)
{
    pollfd entry{descriptor, events, 0};
    int ready = ppoll(&entry, 1, timeout, nullptr);
    if (ready > 0) return ERROR_SUCCESS;
    if (ready < 0 && errno != EINTR) return win32_error_from_errno(errno);
    return interrupted() ? ERROR_OPERATION_ABORTED : WAIT_TIMEOUT;
}

DWORD PipeDevice::wait_descriptor(int descriptor, short events)
{
    return blocked_call([&]() -> DWORD {
        for (;;) {
            DWORD result = poll_once(descriptor, events, nullptr);
            if (result != WAIT_TIMEOUT) return result;
        }
    });
}

// ---- anonymous pipes.
DWORD PipeDevice::create_anonymous(DWORD size, PipeDevice** read_end, PipeDevice** write_end)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return win32_error_from_errno(errno);
    // The size is a hint (Windows rounds it too); Linux's pipe sizes are whole pages,
    // and an unprivileged process may not go past /proc/sys/fs/pipe-max-size.
    if (size > 0) fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(std::min<DWORD>(size, 1u << 20)));
    PipeDevice* ends[2];
    for (int i = 0; i < 2; ++i) {
        PipeDevice* device = kernel::Pool<PipeDevice>::instance().acquire();
        device->lock.lock();
        device->reset_base();
        device->reset_device();
        device->reset_pipe(PipeEnd::Anonymous, fds[i], 0);
        device->can_read_ = i == 0;
        device->can_write_ = i == 1;
        // GetNamedPipeInfo's sizes: what was asked, 4096 for 0 (as Windows' CreatePipe
        // reports them, whatever Linux made of the hint).
        device->out_size_ = device->in_size_ = size != 0 ? size : kAnonymousDefaultSize;
        device->max_instances_ = 1;
        // As Windows grants CreatePipe's ends.
        device->granted_ = i == 0 ? (FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES)
                                  : (FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES);
        device->lock.unlock();
        ends[i] = device;
    }
    *read_end = ends[0];
    *write_end = ends[1];
    return ERROR_SUCCESS;
}

namespace {

// PIPE_NOWAIT on an anonymous pipe's end: a transfer that would wait fails with EAGAIN.
// The descriptor itself stays blocking (a child may share its open file description, so
// O_NONBLOCK is not ours to set): RWF_NOWAIT asks it of one call. A kernel whose pipes
// refuse RWF_NOWAIT gets a poll first (a write then goes at most PIPE_BUF bytes at a time,
// which a pipe with room takes whole).
bool pipe_ready(int fd, short events)
{
    pollfd entry{fd, events, 0};
    return poll(&entry, 1, 0) > 0;
}

ssize_t read_pipe(int fd, void* buffer, size_t length, bool nowait)
{
    if (!nowait) return read(fd, buffer, length);
    iovec vector{buffer, length};
    ssize_t n = preadv2(fd, &vector, 1, -1, RWF_NOWAIT);
    if (n >= 0 || errno != EOPNOTSUPP) return n;
    if (!pipe_ready(fd, POLLIN)) {
        errno = EAGAIN;
        return -1;
    }
    return read(fd, buffer, length);
}

ssize_t write_pipe_nowait(int fd, const void* buffer, size_t length)
{
    iovec vector{const_cast<void*>(buffer), length};
    ssize_t n = pwritev2(fd, &vector, 1, -1, RWF_NOWAIT);
    if (n >= 0 || errno != EOPNOTSUPP) return n;
    if (!pipe_ready(fd, POLLOUT)) {
        errno = EAGAIN;
        return -1;
    }
    return write(fd, buffer, std::min<size_t>(length, PIPE_BUF));
}

// A write to a pipe whose read end is closed raises SIGPIPE, which would end the process:
// the write runs with SIGPIPE blocked in this thread, and a SIGPIPE it raised is taken
// back before the mask is restored (unless one was already pending). One can be pending
// only where the thread had it blocked already (an unblocked one is delivered), so only
// then is the pending set asked: a write costs two system calls more, not three.
ssize_t write_without_sigpipe(int fd, const void* buffer, size_t length, bool nowait)
{
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    bool was_pending = false;
    if (sigismember(&old_set, SIGPIPE) == 1) {
        sigset_t pending;
        sigpending(&pending);
        was_pending = sigismember(&pending, SIGPIPE) == 1;
    }
    ssize_t written = nowait ? write_pipe_nowait(fd, buffer, length) : write(fd, buffer, length);
    int error = errno;
    if (written < 0 && error == EPIPE && !was_pending) {
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
    errno = error;
    return written;
}

}  // namespace

// ---- synchronous transfers.
DWORD PipeDevice::transfer_state_error(bool write) const
{
    if (write ? !can_write_ : !can_read_) return ERROR_ACCESS_DENIED;
    if (end_ == PipeEnd::Server) {
        switch (state_) {
        case PipeState::Listening: return ERROR_PIPE_LISTENING;
        case PipeState::Disconnected: return ERROR_PIPE_NOT_CONNECTED;
        default: break;
        }
    }
    if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
    return ERROR_SUCCESS;
}

DWORD PipeDevice::state_refusal(bool write, bool transact)
{
    LockGuard locked(lock);
    return state_refusal_locked(write, transact);
}

DWORD PipeDevice::state_refusal_locked(bool write, bool transact) const
{
    if (transact) return transact_error();
    if (DWORD error = transfer_state_error(write)) return error;
    return descriptor_ < 0 ? ERROR_PIPE_NOT_CONNECTED : ERROR_SUCCESS;
}

DWORD PipeDevice::transact_error() const
{
    // The pipe file system's order (ReactOS's npfs, NpTransceive, written to match
    // Windows' driver): a client its server disconnected has no pipe left
    // (STATUS_PIPE_DISCONNECTED); an end that is not connected (a server listening or
    // disconnected, either end of a connection whose other end closed, with data left
    // or not: STATUS_INVALID_PIPE_STATE), then a pipe that is not duplex or an end not in
    // message read mode (STATUS_INVALID_PIPE_STATE), then a read queue that is not empty:
    // something to read, or a read of this end under way (STATUS_PIPE_BUSY).
    if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
    if (end_ == PipeEnd::Server && state_ != PipeState::Connected) return ERROR_BAD_PIPE;
    if (end_ != PipeEnd::Anonymous && descriptor_ >= 0) {
        pollfd entry{descriptor_, POLLRDHUP, 0};
        if (poll(&entry, 1, 0) > 0 && (entry.revents & (POLLHUP | POLLRDHUP))) return ERROR_BAD_PIPE;
    }
    if (end_ == PipeEnd::Anonymous || !can_read_ || !can_write_ || !message_read_) return ERROR_BAD_PIPE;
    if (descriptor_ < 0) return ERROR_PIPE_NOT_CONNECTED;
    if (lanes[static_cast<int>(io::Lane::In) - 1].busy || has_unread()) return ERROR_PIPE_BUSY;
    return ERROR_SUCCESS;
}

bool PipeDevice::ensure_page()
{
    if (page_ != nullptr) return true;
    int fd = static_cast<int>(syscall(SYS_memfd_create, "overlapped-pipe", MFD_CLOEXEC));
    if (fd < 0) return false;
    void* page = MAP_FAILED;
    if (ftruncate(fd, kPageSize) == 0) page = mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) {
        close(fd);
        return false;
    }
    page_ = new (page) std::atomic<uint32_t>(0);
    page_fd_ = fd;
    return true;
}

DWORD PipeDevice::transfer_sync(const io::Transfer& transfer, bool, DWORD* done)
{
    *done = 0;
    if (end_ != PipeEnd::Anonymous) {
        return transfer.write ? write_sync(transfer.buffer, transfer.length, done)
                              : read_sync(transfer.buffer, transfer.length, done);
    }
    int fd = descriptor_;
    bool nowait;
    {
        LockGuard check(lock);
        nowait = nowait_;  // PIPE_NOWAIT (SetNamedPipeHandleState): the call never waits
    }
    if (transfer.write) {
        std::lock_guard<TransferLock> guard(write_mutex_);
        data_sent();
        if (transfer.length == 0) {
            // Nothing moves, yet a pipe whose read end is gone refuses even this (Windows:
            // STATUS_PIPE_CLOSING); Linux's write(2) of no bytes never looks at the readers.
            pollfd entry{fd, POLLOUT, 0};
            if (poll(&entry, 1, 0) > 0 && (entry.revents & POLLERR)) return ERROR_NO_DATA;
            return ERROR_SUCCESS;
        }
        const char* data = static_cast<const char*>(transfer.buffer);
        DWORD length = transfer.length;
        if (nowait) {
            // What fits now, or nothing: a write that does not fit goes whole or not at
            // all (Wine's kernel32 pipe test, test_nowait, on Windows: 0 bytes and TRUE),
            // unless it is larger than the whole pipe, which takes what fits. Each call
            // then asks the kernel not to wait (RWF_NOWAIT), so none ever blocks.
            int capacity = fcntl(fd, F_GETPIPE_SZ), queued = 0;
            if (capacity > 0 && ioctl(fd, FIONREAD, &queued) == 0) {
                DWORD room = queued < capacity ? static_cast<DWORD>(capacity - queued) : 0;
                if (length > room) length = length > static_cast<DWORD>(capacity) ? room : 0;
            }
            pollfd entry{fd, POLLOUT, 0};
            if (poll(&entry, 1, 0) > 0 && (entry.revents & POLLERR)) length = transfer.length;  // no reader: EPIPE below
        }
        while (*done < length) {
            ssize_t n = write_without_sigpipe(fd, data + *done, length - *done, nowait);
            if (n >= 0) {
                *done += static_cast<DWORD>(n);
                continue;
            }
            // The read end is closed: refused at once (ERROR_NO_DATA), or, once part of the
            // write went, broken under it (ERROR_BROKEN_PIPE, as a named pipe's write_sync).
            if (errno == EPIPE) return *done > 0 ? ERROR_BROKEN_PIPE : ERROR_NO_DATA;
            if (errno == EAGAIN && nowait) return ERROR_SUCCESS;  // PIPE_NOWAIT: what fitted
            if (errno != EINTR) return win32_error_from_errno(errno);
            if (io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
        }
        return ERROR_SUCCESS;
    }
    std::lock_guard<TransferLock> guard(read_mutex_);
    kernel::ThreadState* self = kernel::current_thread();
    lock.lock();
    bool closing = closing_;
    if (!closing) blocked_enter(self);
    lock.unlock();
    if (closing) return ERROR_OPERATION_ABORTED;
    DWORD error = io::run_synchronous([&]() -> DWORD {
        for (;;) {
            if (transfer.length == 0) {
                // A read of no bytes waits for data as any read does (Windows completes it
                // when bytes arrive, taking none of them); Linux's read(2) of no bytes
                // returns at once. Data: done; an empty pipe with no writer left: broken.
                pollfd entry{fd, POLLIN, 0};
                int ready = poll(&entry, 1, nowait ? 0 : -1);
                if (ready > 0) {
                    int queued = 0;
                    if (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0) return ERROR_SUCCESS;
                    if (entry.revents & (POLLHUP | POLLERR)) return ERROR_BROKEN_PIPE;
                    continue;  // another reader took the bytes: wait again
                }
                if (ready == 0) return ERROR_NO_DATA;  // PIPE_NOWAIT and nothing there
            } else {
                ssize_t n = read_pipe(fd, transfer.buffer, transfer.length, nowait);
                if (n > 0) {
                    data_received();
                    *done = static_cast<DWORD>(n);
                    return ERROR_SUCCESS;
                }
                if (n == 0) return ERROR_BROKEN_PIPE;  // no writer left
                if (errno == EAGAIN && nowait) return ERROR_NO_DATA;  // PIPE_NOWAIT, empty
            }
            if (errno != EINTR) return win32_error_from_errno(errno);
            if (io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
            LockGuard check(lock);
            if (closing_) return ERROR_OPERATION_ABORTED;
        }
    });
    lock.lock();
    blocked_leave(self);
    lock.unlock();
    return error;
}

// ---- reading a named pipe's connection: shared by the synchronous and overlapped paths.
namespace {

struct ReadCursor {
    char* buffer;
    uint32_t length;
    uint32_t done;
    bool message_read;  // PIPE_READMODE_MESSAGE when the read began
    bool took_message = false;  // a whole message was taken (a byte-mode read goes on)
    msghdr message;
    iovec vectors[2];
};

}  // namespace

// What a read does next. ReceiveIfReady: a byte-mode read of a message pipe with room
// left takes the next message too if it is queued now (Windows fills such a read across
// messages), and ends with what it has when none is (*status is already set).
enum class ReadStep : uint8_t { Done, Receive, ReceiveIfReady };

// A byte-mode read of a message pipe with room left goes on to the next message.
inline ReadStep after_message(ReadCursor* cursor)
{
    cursor->took_message = true;
    return !cursor->message_read && cursor->done < cursor->length ? ReadStep::ReceiveIfReady : ReadStep::Done;
}

struct PipeReader {
    // Before receiving: serves the end's remainder. Done: *status set.
    static ReadStep begin(PipeDevice* end, ReadCursor* cursor, DWORD* status);
    // Fills cursor->message for the next record.
    static void arm(PipeDevice* end, ReadCursor* cursor);
    // After a recvmsg of `result`: Done (*status) or Receive again.
    static ReadStep received(PipeDevice* end, ReadCursor* cursor, int result, DWORD* status);
};

ReadStep PipeReader::begin(PipeDevice* end, ReadCursor* cursor, DWORD* status)
{
    if (!end->remainder_busy_.load(std::memory_order_acquire)) return ReadStep::Receive;
    std::lock_guard<std::mutex> guard(end->remainder_mutex_);
    struct Update {
        PipeDevice* end;
        ~Update() { end->update_busy(); }
    } update{end};
    if (end->remainder_length_ > 0) {
        uint32_t n = std::min(cursor->length - cursor->done, end->remainder_length_);
        memcpy(cursor->buffer + cursor->done, end->spare_.data() + end->remainder_offset_, n);
        cursor->done += n;
        end->remainder_offset_ += n;
        end->remainder_length_ -= n;
        if (end->remainder_length_ > 0 || end->remainder_more_) {
            if (end->remainder_length_ == 0 && cursor->done < cursor->length) return ReadStep::Receive;
            *status = cursor->message_read ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
            return ReadStep::Done;
        }
        *status = STATUS_SUCCESS;
        return after_message(cursor);
    }
    if (end->peer_disconnected_) {
        *status = pipe_status(ERROR_PIPE_NOT_CONNECTED);
        return ReadStep::Done;
    }
    return ReadStep::Receive;
}

void PipeReader::arm(PipeDevice* end, ReadCursor* cursor)
{
    cursor->message = msghdr{};
    cursor->vectors[0].iov_base = cursor->buffer + cursor->done;
    cursor->vectors[0].iov_len = cursor->length - cursor->done;
    cursor->message.msg_iov = cursor->vectors;
    cursor->message.msg_iovlen = 1;
    if (end->message_type_) {
        if (!end->spare_ready_.load(std::memory_order_acquire)) {
            std::lock_guard<std::mutex> guard(end->remainder_mutex_);
            if (end->spare_.size() < kRecord) end->spare_.resize(kRecord);
            end->spare_ready_.store(true, std::memory_order_release);
        }
        cursor->vectors[1].iov_base = end->spare_.data();
        cursor->vectors[1].iov_len = kRecord;
        cursor->message.msg_iovlen = 2;
    }

}

ReadStep PipeReader::received(PipeDevice* end, ReadCursor* cursor, int result, DWORD* status)
{
    data_received();
    if (result < 0) {
        int error = -result;
        if ((cursor->done > 0 || cursor->took_message) && error != ECANCELED) {  // a message was read
            *status = cursor->message_read ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
            return ReadStep::Done;
        }
        if (error == ECONNRESET) end->note_peer_reset();
        if (error == ECONNRESET || error == EPIPE) *status = STATUS_PIPE_BROKEN;
        else *status = io::status_from_errno(error);
        return ReadStep::Done;
    }
    uint32_t got = static_cast<uint32_t>(result);
    Mark mark = mark_of(&cursor->message, end->message_type_, got);
    if (!end->message_type_) {
        if (mark == Mark::Disconnect && got > 0) --got;  // the mark's own byte
        if (mark == Mark::Disconnect) {
            std::lock_guard<std::mutex> guard(end->remainder_mutex_);
            end->peer_disconnected_ = true;
            end->update_busy();
        }
        cursor->done += got;
        if (got > 0) *status = STATUS_SUCCESS;
        else if (mark == Mark::Disconnect) *status = pipe_status(ERROR_PIPE_NOT_CONNECTED);
        else if (cursor->length != 0) *status = STATUS_PIPE_BROKEN;
        else {
            // A read of no bytes gets 0 both when bytes wait and at the end of the
            // stream: the end is the broken pipe, as for any read (Windows: Wine's kernel32
            // pipe test, test_CloseHandle).
            int queued = 0;
            bool waiting = ioctl(end->descriptor_, FIONREAD, &queued) == 0 && queued > 0;
            *status = waiting ? STATUS_SUCCESS : STATUS_PIPE_BROKEN;
        }
        if (*status == STATUS_PIPE_BROKEN && end->note_peer_gone()) *status = pipe_status(ERROR_PIPE_NOT_CONNECTED);
        return ReadStep::Done;
    }
    // A message pipe: one record.
    if (got == 0 && mark == Mark::None) {  // the end of the connection
        // A byte-mode read that took a message (a zero-length one too: Wine's kernel32
        // pipe test, run on Windows, reads the empty message a closed server left with 0
        // bytes and TRUE) ends with it; the next read finds the end.
        bool self_disconnected = end->note_peer_gone();
        *status = cursor->done > 0 || cursor->took_message ? STATUS_SUCCESS
                  : self_disconnected ? pipe_status(ERROR_PIPE_NOT_CONNECTED)
                                      : STATUS_PIPE_BROKEN;
        return ReadStep::Done;
    }
    if (mark == Mark::Disconnect) {
        {
            std::lock_guard<std::mutex> guard(end->remainder_mutex_);
            end->peer_disconnected_ = true;
            end->update_busy();
        }
        *status = cursor->done > 0 || cursor->took_message ? STATUS_SUCCESS : pipe_status(ERROR_PIPE_NOT_CONNECTED);
        return ReadStep::Done;
    }
    bool more = got > 0 && mark == Mark::More;
    uint32_t room = cursor->length - cursor->done;
    uint32_t taken = std::min(room, got);
    uint32_t overflow = got - taken;
    cursor->done += taken;
    if (overflow > 0 || more || end->remainder_busy_.load(std::memory_order_acquire)) {
        std::lock_guard<std::mutex> guard(end->remainder_mutex_);
        end->remainder_offset_ = 0;
        end->remainder_length_ = overflow;
        end->remainder_more_ = more;
        end->update_busy();
    }
    if (overflow > 0 || (more && cursor->done == cursor->length)) {
        *status = cursor->message_read ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
        return ReadStep::Done;
    }
    if (more) return ReadStep::Receive;
    *status = STATUS_SUCCESS;
    return after_message(cursor);
}

bool PipeDevice::note_peer_gone()
{
    LockGuard guard(lock);
    if (end_ == PipeEnd::Server && state_ == PipeState::Connected) state_ = PipeState::Closing;
    // A server end that disconnected itself sees its own shutdown as the end.
    return end_ == PipeEnd::Server && state_ == PipeState::Disconnected;
}

bool PipeDevice::interrupted()
{
    if (io::sync_io_cancelled()) return true;
    LockGuard guard(lock);
    return closing_;
}

DWORD PipeDevice::read_sync(void* buffer, DWORD length, DWORD* done)
{
    std::lock_guard<TransferLock> guard(read_mutex_);
    ReadCursor cursor;
    cursor.buffer = static_cast<char*>(buffer);
    cursor.length = length;
    cursor.done = 0;
    DWORD status = STATUS_SUCCESS;
    int fd;
    bool nowait, blocking;
    {
        // One look under the lock: the state, the descriptor, the modes. A synchronous
        // handle's descriptor blocks: one recvmsg waits for the data. CancelSynchronousIo
        // interrupts it (the library's signal); the close of the end's last handle shuts
        // the connection down, which ends it too.
        LockGuard locked(lock);
        if (DWORD error = transfer_state_error(false)) return error;
        fd = descriptor_;
        if (fd < 0) return ERROR_PIPE_NOT_CONNECTED;
        cursor.message_read = message_read_;
        nowait = nowait_;
        blocking = !nowait && !closing_;
    }
    {
        ReadStep next = PipeReader::begin(this, &cursor, &status);
        while (next != ReadStep::Done) {
            bool wait = blocking && next == ReadStep::Receive;
            PipeReader::arm(this, &cursor);
            ssize_t n = raw::recvmsg(fd, &cursor.message, wait ? 0 : MSG_DONTWAIT);
            if (n < 0 && errno == EINTR && wait) {
                if (!interrupted()) continue;
                *done = cursor.done;
                return ERROR_OPERATION_ABORTED;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (next == ReadStep::ReceiveIfReady) break;  // the read ends with what it has
                if (nowait && cursor.done == 0) {
                    *done = 0;
                    return ERROR_NO_DATA;
                }
                if (DWORD error = wait_descriptor(fd, POLLIN)) {
                    *done = cursor.done;
                    return error;
                }
                continue;
            }
            next = PipeReader::received(this, &cursor, n < 0 ? -errno : static_cast<int>(n), &status);
        }
    }
    *done = cursor.done;
    return status == STATUS_SUCCESS ? ERROR_SUCCESS : win32_error_from_ntstatus(status);
}

// ---- writing: a stream's bytes, or a message as records.
namespace {

struct WriteCursor {
    const char* buffer;
    uint32_t length;
    uint32_t done;
    bool started;  // a record went (a zero-length message is one empty record)
    msghdr message;
    iovec vector;
    alignas(cmsghdr) unsigned char control[kControlSpace];
};

// Sends as much as the connection takes now. 0: all sent; -EAGAIN; -errno.
int write_some(int fd, bool records, WriteCursor* cursor, bool blocking = false)
{
    data_sent();
    int wait = blocking ? 0 : MSG_DONTWAIT;
    if (!records) {
        while (cursor->done < cursor->length) {
            ssize_t n = raw::send(fd, cursor->buffer + cursor->done, cursor->length - cursor->done, wait | MSG_NOSIGNAL);
            if (n < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
            cursor->done += static_cast<uint32_t>(n);
        }
        return 0;
    }
    while (cursor->done < cursor->length || !cursor->started) {
        uint32_t chunk = std::min(kRecord, cursor->length - cursor->done);
        bool last = cursor->done + chunk == cursor->length;
        ssize_t n;
        if (last && cursor->length != 0) {
            // The common case, a message in one record: send(2) (sendmsg costs more).
            n = raw::send(fd, cursor->buffer + cursor->done, chunk, wait | MSG_NOSIGNAL);
        } else {
            // A record marked "more" (not the message's last), or an empty message: one
            // empty record marked the same way.
            cursor->message = msghdr{};
            cursor->vector.iov_base = const_cast<char*>(cursor->buffer + cursor->done);
            cursor->vector.iov_len = chunk;
            cursor->message.msg_iov = &cursor->vector;
            cursor->message.msg_iovlen = 1;
            make_marks();
            attach_mark(&cursor->message, cursor->control, more_mark);
            n = raw::sendmsg(fd, &cursor->message, wait | MSG_NOSIGNAL);
        }
        if (n < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        cursor->started = true;
        cursor->done += chunk;
    }
    return 0;
}

DWORD write_error(int error, bool peer_disconnected)
{
    if (error == EPIPE || error == ECONNRESET || error == ENOTCONN)
        return peer_disconnected ? ERROR_PIPE_NOT_CONNECTED : ERROR_NO_DATA;
    return win32_error_from_errno(error);
}

}  // namespace

DWORD PipeDevice::write_failure(int fd, int error)
{
    bool disconnected;
    {
        std::lock_guard<std::mutex> guard(remainder_mutex_);
        disconnected = peer_disconnected_;
    }
    if (error == ECONNRESET) note_peer_reset();
    // The disconnection page says it first (DisconnectNamedPipe counts before it sends its
    // mark), whatever the client's queue holds before the mark.
    if (!disconnected && (error == EPIPE || error == ECONNRESET)) disconnected = server_disconnected();
    if (!disconnected && end_ == PipeEnd::Client && (error == EPIPE || error == ECONNRESET)) {
        // The server went: disconnected (DisconnectNamedPipe's mark is queued, unread) or
        // closed? The mark is the last thing the server sent; a peek reaches it when the
        // data before it is all of one stream, or when it is the only record queued.
        int queued = 0;
        if (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0 && (!message_type_ || queued == 1)) {
            std::vector<char> scratch(static_cast<size_t>(queued));
            iovec vector{scratch.data(), scratch.size()};
            msghdr message{};
            message.msg_iov = &vector;
            message.msg_iovlen = 1;
            ssize_t n = recvmsg(fd, &message, MSG_PEEK | MSG_DONTWAIT);
            disconnected = n == queued && mark_of(&message, message_type_, static_cast<uint32_t>(n)) == Mark::Disconnect;
        }
    }
    return write_error(error, disconnected);
}

DWORD PipeDevice::empty_write_error(int fd)
{
    // A byte pipe's write of no bytes sends nothing, but fails as any write does once the
    // other end is gone (Windows: STATUS_PIPE_CLOSING, ERROR_NO_DATA; Wine's kernel32 pipe
    // test, test_CloseHandle). A Unix socket whose peer closed or shut down is POLLHUP.
    pollfd entry{fd, 0, 0};
    if (poll(&entry, 1, 0) > 0 && (entry.revents & (POLLHUP | POLLERR))) return write_failure(fd, EPIPE);
    return ERROR_SUCCESS;
}

DWORD PipeDevice::write_sync(const void* buffer, DWORD length, DWORD* done)
{
    std::lock_guard<TransferLock> guard(write_mutex_);
    WriteCursor cursor;
    cursor.buffer = static_cast<const char*>(buffer);
    cursor.length = length;
    cursor.done = 0;
    cursor.started = false;
    int fd;
    bool nowait, blocking;
    {
        LockGuard locked(lock);
        if (DWORD error = transfer_state_error(true)) return error;
        fd = descriptor_;
        if (fd < 0) return ERROR_PIPE_NOT_CONNECTED;
        if (length == 0 && !message_type_) return empty_write_error(fd);
        nowait = nowait_;
        blocking = !nowait && !closing_;
    }
    bool waited = false;
    for (;;) {
        int result = write_some(fd, message_type_, &cursor, blocking);
        *done = cursor.done;
        if (result == 0) return ERROR_SUCCESS;
        if (result == -EINTR && blocking) {
            if (!interrupted()) continue;
            return ERROR_OPERATION_ABORTED;
        }
        if (result != -EAGAIN && result != -EINTR) {
            // The other end went while the write was under way (part of it went, or it
            // waited for room): the pipe broke under a pending write, ERROR_BROKEN_PIPE,
            // as the overlapped path's write_failed (a blocking send that waited with
            // nothing taken cannot be told from one refused at once: ERROR_NO_DATA).
            // What went is the other end's to discard: the write counts nothing.
            DWORD error = write_failure(fd, -result);
            if (error == ERROR_NO_DATA && (waited || cursor.started || cursor.done > 0)) error = ERROR_BROKEN_PIPE;
            if (error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED) *done = 0;
            return error;
        }
        if (nowait) return ERROR_SUCCESS;  // PIPE_NOWAIT: what fitted
        if (DWORD error = wait_descriptor(fd, POLLOUT)) return error;
        waited = true;
    }
}

// ---- overlapped requests.
namespace {

// OVERLAPPED_PIPE_DRAIN_HINT=1: a thread that saw an end empty and has not waited since
// sends its next receive straight to the engine (io/drain.h), as sockets do. Off by
// default: measured on one CPU, the peer has usually answered already (bench/pipes.sh).
bool hint_enabled()
{
    static const bool enabled = [] {
        const char* value = getenv("OVERLAPPED_PIPE_DRAIN_HINT");
        return value != nullptr && value[0] == '1';
    }();
    return enabled;
}

enum Phase : uint8_t { kRead, kReadZero, kWrite, kConnect, kTransactWrite, kTransactRead };

struct RequestState {
    uint8_t phase;
    bool receiving;     // a Receive is under way (its result is for PipeReader::received)
    bool nowait;        // PIPE_NOWAIT when the read was issued: it does not wait for data
    bool write_waited;  // the write waited for room (it was pending): see write_failed
    ReadCursor read;
    WriteCursor write;
};

}  // namespace

DWORD PipeDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    auto* state = request->driver_state<RequestState>();
    engine::Op* op = &request->op;
    const auto* asked = static_cast<const PipeRequest*>(transfer.driver_request);
    op->kind = engine::OpKind::Stream;
    request->done = 0;
    state->receiving = false;
    state->nowait = false;
    state->write_waited = false;
    if (asked != nullptr && asked->kind == PipeRequest::Connect) {
        if (end_ != PipeEnd::Server) return ERROR_INVALID_FUNCTION;
        if (state_ == PipeState::Connected) return ERROR_PIPE_CONNECTED;
        if (state_ == PipeState::Closing) return ERROR_NO_DATA;
        if (state_ != PipeState::Listening) return ERROR_PIPE_NOT_CONNECTED;  // connect_check moves it
        state->phase = kConnect;
        op->code = engine::OpCode::Poll;
        op->descriptor = connect_event_;
        op->flags = POLLIN;
        plan->attempt_now = true;
        return ERROR_SUCCESS;
    }
    bool transact = asked != nullptr && asked->kind == PipeRequest::Transact;
    bool write = transact || transfer.write;
    if (DWORD error = state_refusal_locked(write, transact)) {
        // The pipe file system's answer at once: the handle stays unsignalled (a direction
        // the end does not have is the handle's rights, refused before the issue).
        plan->failed_past_issue = error != ERROR_ACCESS_DENIED;
        return error;
    }
    op->descriptor = descriptor_;
    plan->done_now = true;  // step() starts the work (the lane keeps one at a time)
    plan->result = 0;
    if (write) {
        plan->lane = io::Lane::Out;
        state->phase = transact ? kTransactWrite : kWrite;
        state->write.buffer = static_cast<const char*>(transact ? asked->in : transfer.buffer);
        state->write.length = transact ? asked->in_length : transfer.length;
        state->write.done = 0;
        state->write.started = false;
        request->requested = state->write.length;
        request->write = true;
        if (transact) {
            state->read.buffer = static_cast<char*>(asked->out);
            state->read.length = asked->out_length;
            state->read.done = 0;
            state->read.message_read = true;
            state->read.took_message = false;
        }
        return ERROR_SUCCESS;
    }
    plan->lane = io::Lane::In;
    state->phase = transfer.length == 0 ? kReadZero : kRead;
    state->nowait = nowait_;
    state->read.buffer = static_cast<char*>(transfer.buffer);
    state->read.length = transfer.length;
    state->read.done = 0;
    state->read.message_read = message_read_;
    state->read.took_message = false;
    request->requested = transfer.length;
    request->write = false;
    return ERROR_SUCCESS;
}

io::Next PipeDevice::step(io::Request* request, io::Outcome* outcome)
{
    auto* state = request->driver_state<RequestState>();
    engine::Op* op = &request->op;
    int result = op->result;
    auto done = [&](DWORD status, DWORD bytes) {
        outcome->status = status;
        outcome->bytes = bytes;
        return io::Next::Done;
    };
    // Sets the operation up as the next record's Receive. Returns true if it was tried at
    // once and op->result holds its result; false: it goes to the engine (or, `only_ready`,
    // nothing was queued).
    auto receive = [&](bool only_ready) {
        PipeReader::arm(this, &state->read);
        void (*complete)(engine::Op*) = op->complete;
        int descriptor = op->descriptor;
        op->reset();
        op->complete = complete;
        op->kind = engine::OpKind::Stream;
        op->descriptor = descriptor;
        op->code = engine::OpCode::Receive;
        op->message = &state->read.message;
        op->flags = 0;
        state->receiving = true;
        if (!only_ready) {
            if (request->plan.would_wait) {  // the fast I/O path's try just found nothing
                request->plan.would_wait = false;
                return false;
            }
            if (hint_enabled() && drained_.applies() && !state->nowait) return false;
        }
        // Tried at once with a plain recvmsg (no poll first, as the I/O manager's attempt
        // makes): a request-response peer has usually answered by now.
        ssize_t n = raw::recvmsg(descriptor, op->message, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
        op->result = n >= 0 ? static_cast<int>(n) : -errno;
        return true;
    };
    auto poll_out = [&]() {
        state->write_waited = true;
        void (*complete)(engine::Op*) = op->complete;
        int descriptor = op->descriptor;
        op->reset();
        op->complete = complete;
        op->kind = engine::OpKind::Stream;
        op->descriptor = descriptor;
        op->code = engine::OpCode::Poll;
        op->flags = POLLOUT;
        return io::Next::Engine;
    };
    if (result == -ECANCELED) {
        LockGuard guard(lock);
        DWORD status = STATUS_CANCELLED;
        // The close of the end's last handle: the pipe file system's clean-up completes
        // what the end has queued, listens too, with STATUS_PIPE_BROKEN (ReactOS's npfs,
        // NpSetClosingPipeState, written to match Windows' driver).
        if (closing_) status = STATUS_PIPE_BROKEN;
        if (end_ == PipeEnd::Server && state_ == PipeState::Disconnected && state->phase != kConnect)
            status = pipe_status(ERROR_PIPE_NOT_CONNECTED);
        bool writing = state->phase == kWrite || state->phase == kTransactWrite;
        DWORD bytes = writing ? state->write.done : state->read.done;
        // A write the pipe ended (its close, DisconnectNamedPipe) counts nothing, as the
        // pipe file system completes the writes it holds (write_failed, below).
        if (writing && status != STATUS_CANCELLED) bytes = 0;
        if (state->phase == kConnect) bytes = 0;  // a listen moves no data (its cursors are unused)
        return done(status, bytes);
    }
    switch (state->phase) {
    case kConnect: {
        if (result < 0) return done(io::status_from_errno(-result), 0);
        uint64_t count;
        (void)!read(op->descriptor, &count, sizeof(count));
        LockGuard guard(lock);
        if (state_ == PipeState::Connected || state_ == PipeState::Closing) return done(STATUS_SUCCESS, 0);
        return io::Next::Engine;  // woken for nothing: wait again
    }
    case kReadZero: {
        if (op->code != engine::OpCode::Poll) {
            // The rest of a message an earlier read left in the spare buffer (a zero-byte
            // read of a message pipe leaves a whole one there) is something to read now:
            // the read's path answers from it, as for any read (the socket may stay empty).
            if (remainder_busy_.load(std::memory_order_acquire)) {
                state->phase = kRead;
                state->receiving = false;
                return step(request, outcome);
            }
            // PIPE_NOWAIT: nothing to read fails at once, whatever the length
            // (STATUS_PIPE_EMPTY, ERROR_NO_DATA, as kRead's; Wine answers the same).
            if (state->nowait) {
                pollfd entry{op->descriptor, POLLIN | POLLRDHUP, 0};
                if (poll(&entry, 1, 0) == 0) return done(pipe_status(ERROR_NO_DATA), 0);
            }
            void (*complete)(engine::Op*) = op->complete;
            int descriptor = op->descriptor;
            op->reset();
            op->complete = complete;
            op->kind = engine::OpKind::Stream;
            op->descriptor = descriptor;
            op->code = engine::OpCode::Poll;
            op->flags = POLLIN | POLLRDHUP;
            return io::Next::Attempt;
        }
        if (result < 0) return done(io::status_from_errno(-result), 0);
        if (message_type_) {
            // Something came: on a message pipe a zero-byte read takes the next message
            // as any read does (Wine's kernel32 pipe test, test_blocking_rw, on Windows: a
            // zero-length message ends one pending zero-byte read, and only that one; a
            // longer message is ERROR_MORE_DATA in message read mode, its bytes left for
            // the next read). The read's path takes it (the rest to the spare buffer).
            state->phase = kRead;
            state->receiving = false;
            return step(request, outcome);
        }
        int available = 0;
        ioctl(op->descriptor, FIONREAD, &available);
        if (available == 0 && (result & (POLLHUP | POLLRDHUP))) return done(STATUS_PIPE_BROKEN, 0);
        return done(STATUS_SUCCESS, 0);
    }
    case kRead:
    case kTransactRead: {
        DWORD status = STATUS_SUCCESS;
        ReadStep next = ReadStep::Done;
        bool have_result = state->receiving;
        if (!have_result) next = PipeReader::begin(this, &state->read, &status);
        for (;;) {
            if (have_result) {
                state->receiving = false;
                next = PipeReader::received(this, &state->read, op->result, &status);
                if (next == ReadStep::Done && op->result > 0 && state->read.done < state->read.length &&
                    hint_enabled())
                    drained_.note();
            }
            if (next == ReadStep::Done) break;
            if (!receive(next == ReadStep::ReceiveIfReady)) {
                // PIPE_NOWAIT: a read that finds nothing fails at once, even on an
                // overlapped handle (STATUS_PIPE_EMPTY; Wine's kernel32 pipe test, which
                // Windows passes: ERROR_NO_DATA, not ERROR_IO_PENDING).
                if (next == ReadStep::Receive && state->phase == kRead && state->nowait && state->read.done == 0)
                    return done(pipe_status(ERROR_NO_DATA), 0);
                if (next == ReadStep::Receive) return io::Next::Engine;
                state->receiving = false;  // nothing more queued: the read ends with what it has
                if (hint_enabled()) drained_.note();
                break;
            }
            have_result = true;
        }
        return done(status, state->read.done);
    }
    case kWrite:
    case kTransactWrite: {
        // A write that waited for room and then finds the other end gone was pending when
        // the pipe broke: the pipe file system completes the writes it holds with
        // STATUS_PIPE_BROKEN (ERROR_BROKEN_PIPE) when the other end closes, and with
        // STATUS_PIPE_DISCONNECTED at DisconnectNamedPipe, counting nothing (Wine's kernel32
        // pipe test, test_overlapped_transport, on Windows). One that finds it gone at once
        // is refused as the closing pipe's (ERROR_NO_DATA).
        auto write_failed = [&](int error) {
            DWORD failure = write_failure(op->descriptor, error);
            if (!state->write_waited) return done(pipe_status(failure), state->write.done);
            if (failure == ERROR_NO_DATA) failure = ERROR_BROKEN_PIPE;
            return done(pipe_status(failure), 0);
        };
        if (result < 0) return write_failed(-result);
        if (state->write.length == 0 && !message_type_)
            return done(pipe_status(empty_write_error(op->descriptor)), 0);
        if (request->plan.would_wait) {  // the fast I/O path's try found no room
            request->plan.would_wait = false;
            return poll_out();
        }
        int sent = write_some(op->descriptor, message_type_, &state->write);
        if (sent == -EAGAIN) return poll_out();
        if (sent < 0) return write_failed(-sent);
        if (state->phase == kWrite) return done(STATUS_SUCCESS, state->write.done);
        state->phase = kTransactRead;
        DWORD status = STATUS_SUCCESS;
        if (PipeReader::begin(this, &state->read, &status) == ReadStep::Receive) {
            if (!receive(false)) return io::Next::Engine;
            return step(request, outcome);  // the reply was there: kTransactRead takes it
        }
        return done(status, state->read.done);
    }
    }
    return done(STATUS_INVALID_PARAMETER, 0);
}

void PipeDevice::finish(io::Request*) {}

// The fast I/O path (io/device.h): a read of something, or a write of one message record
// (a stream's send may go part-way, which only a request can finish), on a connected end.
// Anything else, or an end whose state makes the transfer fail, takes the request path.
bool PipeDevice::fast_ready(const io::Transfer& transfer, io::FastIo* io)
{
    if (transfer.driver_request != nullptr) return false;  // ConnectNamedPipe, TransactNamedPipe
    if (transfer.length == 0 || (message_type_ && transfer.length > kRecord)) return false;
    if (transfer.write && !message_type_) return false;
    if (transfer_state_error(transfer.write) != ERROR_SUCCESS || descriptor_ < 0) return false;
    io->descriptor = descriptor_;
    io->flag = message_read_;
    return true;
}

bool PipeDevice::fast_transfer(const io::Transfer& transfer, io::FastIo* io)
{
    io->result = kNotTried;
    if (transfer.write) {
        WriteCursor cursor;
        cursor.buffer = static_cast<const char*>(transfer.buffer);
        cursor.length = transfer.length;
        cursor.done = 0;
        cursor.started = false;
        int sent = write_some(io->descriptor, true, &cursor);  // one record: all of it or nothing
        if (sent == -EAGAIN || sent == -EINTR) {
            io->result = sent;
            return false;
        }
        io->status = sent == 0 ? STATUS_SUCCESS : pipe_status(write_failure(io->descriptor, -sent));
        io->bytes = cursor.done;
        return true;
    }
    // The lane keeps other reads out; a remainder of a message (or a disconnection mark
    // read) is the request path's to serve.
    if (remainder_busy_.load(std::memory_order_acquire) || (hint_enabled() && drained_.applies())) return false;
    ReadCursor cursor;
    cursor.buffer = static_cast<char*>(transfer.buffer);
    cursor.length = transfer.length;
    cursor.done = 0;
    cursor.message_read = io->flag;
    PipeReader::arm(this, &cursor);
    ssize_t n = raw::recvmsg(io->descriptor, &cursor.message, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        io->result = errno == EINTR ? -EINTR : -EAGAIN;
        return false;
    }
    DWORD status = STATUS_SUCCESS;
    ReadStep next = PipeReader::received(this, &cursor, n >= 0 ? static_cast<int>(n) : -errno, &status);
    while (next == ReadStep::ReceiveIfReady) {  // a byte-mode read: the next messages queued now
        PipeReader::arm(this, &cursor);
        n = raw::recvmsg(io->descriptor, &cursor.message, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
        next = PipeReader::received(this, &cursor, n >= 0 ? static_cast<int>(n) : -errno, &status);
    }
    if (next == ReadStep::Receive) {
        // Only a full record marked "more" that left room in the buffer asks for the next
        // record, and fast_ready() took no buffer longer than a record; were it to happen,
        // the message goes on in the next read, as after a read too small for it.
        status = cursor.message_read ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    }
    io->status = status;
    io->bytes = cursor.done;
    return true;
}

// ---- named pipes: servers.
namespace {
// *listener (if given): the process that made the listening socket, once connected.
// *page (if given): the descriptor of the instance's page a connect's reply carried, or -1.
int handshake(const std::string& path, uint32_t kind, uint32_t access, Reply* reply, DWORD* error,
              uint32_t timeout_ms = 10000, uint32_t max_instances = 0, pid_t* listener = nullptr,
              int* page = nullptr);

// Whether process `pid` runs (not a zombie): a listener whose process has ended is only
// kept a moment by the kernel's clean-up.
bool process_runs(pid_t pid)
{
    char state = 0;
    return pid == getpid() || (task_state(static_cast<int>(pid), &state) && state != 'Z' && state != 'X');
}

// claim_name()'s answer when a live server owns the name.
constexpr int kServed = 1;

// Binds `listener` to the name's `path` and listens (*entry: the entry made). Returns 0;
// kServed if a pipe server, in another process or this one, answers there; -EBUSY if the
// process that listens there runs yet did not answer in time (its I/O thread may wait for
// a lock its own claim holds: ask again later, never take a live process's name); or
// -errno (EADDRINUSE: the entry is alive yet would not let go).
int claim_name(int listener, const std::string& path, EntryId* entry)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        int bound = namespace_bind(listener, path, entry, SOMAXCONN);
        if (bound != -EADDRINUSE) return bound;
        // Something still accepts there. A pipe server answers a query at once; a listener
        // that only a dead process's io_uring still holds (the kernel lets it go a moment
        // after the process) never does, or ends the connection: its entry is stale, and
        // is replaced unless another process replaced it first (then it is asked again).
        EntryId seen = namespace_entry(path);
        Reply reply{};
        DWORD answer = ERROR_SUCCESS;
        pid_t owner = 0;
        int probe = handshake(path, kHelloQuery, 0, &reply, &answer, 500, 0, &owner);
        if (probe >= 0) {
            close(probe);
            return kServed;
        }
        if (answer == ERROR_PIPE_BUSY && owner != 0 && process_runs(owner)) return -EBUSY;
        if (answer == ERROR_PIPE_BUSY || answer == ERROR_PIPE_NOT_CONNECTED) {
            bound = namespace_replace(listener, path, seen, entry, SOMAXCONN);
            if (bound != -EADDRINUSE) return bound;
        }
        // Otherwise it went away meanwhile, or was replaced: again.
    }
    return -EADDRINUSE;
}

// A new instance of a name another process owns: asks the owner (kHelloJoin) and, once
// it is counted there, makes this process's PipeName for it, outside the name table, and
// *owner, the receive of the clients the owner passes, to arm once the instance is on the
// name's list (the owner may pass one at once). Null with *error: refused as a further
// instance would be (ERROR_ACCESS_DENIED, ERROR_PIPE_BUSY), or the owner did not answer;
// *gone if the owner's name ended meanwhile (its last instance went): it may be claimed.
PipeName* join_owner(const DeviceName& name, const std::string& path, uint32_t asked, DWORD max_instances,
                     OwnerLink** owner, DWORD* error, bool* gone)
{
    Reply reply{};
    DWORD failure = ERROR_SUCCESS;
    int link = handshake(path, kHelloJoin, asked, &reply, &failure, 10000, max_instances);
    *gone = link < 0 && failure == ERROR_PIPE_NOT_CONNECTED;
    if (link < 0) {
        *error = failure == ERROR_PIPE_NOT_CONNECTED ? ERROR_PIPE_BUSY : failure;
        return nullptr;
    }
    if (reply.status != kReplyJoined) {
        close(link);
        *error = reply.status == kReplyBusy ? ERROR_PIPE_BUSY : ERROR_ACCESS_DENIED;
        return nullptr;
    }
    auto* pipe_name = new PipeName();
    pipe_name->key = name.name;
    pipe_name->path = path;
    pipe_name->remote = true;
    pipe_name->owner_link = link;
    pipe_name->seqpacket = (reply.pipe_mode & PIPE_TYPE_MESSAGE) != 0;
    pipe_name->open_mode = reply.open_mode;
    pipe_name->pipe_mode = reply.pipe_mode;
    pipe_name->max_instances = reply.max_instances;
    pipe_name->out_size = reply.out_size;
    pipe_name->in_size = reply.in_size;
    pipe_name->timeout = reply.timeout;
    pipe_name->instances = 1;
    pipe_name->users = 2;  // the instance, and the link
    static const bool registered = [] { return std::atexit(end_links_at_exit) == 0; }();
    (void)registered;
    joined_names->push_back(pipe_name);  // create_server holds names_mutex
    *owner = new OwnerLink();
    (*owner)->name = pipe_name;
    (*owner)->link = link;
    return pipe_name;
}
}

void PipeName::take_over(PipeName* name)
{
    // Whoever binds the name first owns it (claim_name); the others join it, this
    // process's other instances of the name too (each joined on its own link). The bind
    // is made under names_mutex, as create_server's: a CreateNamedPipe of the name here
    // meanwhile finds it taken over, or takes it over itself (and this one joins).
    for (int attempt = 0; attempt < 20; ++attempt) {
        int type = name->seqpacket ? SOCK_SEQPACKET : SOCK_STREAM;
        int listener = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (listener < 0) break;
        int bound;
        {
            std::lock_guard<std::mutex> names_guard(names_mutex);
            if (name->instances == 0) {  // the instance closed meanwhile
                close(listener);
                break;
            }
            // Taken over here already, by another instance or a CreateNamedPipe: no probe
            // of our own name (its answer comes from the I/O thread, which may be waiting
            // for names_mutex).
            auto found = names->find(name->key);
            bool ours = found != names->end() && found->second != name && found->second->listener >= 0;
            EntryId entry;
            bound = ours ? kServed : claim_name(listener, name->path, &entry);
            if (bound == 0) {
                // This process owns the name now: its instance is one of its own, reached
                // through its listening list, and it counts the instances that join.
                std::lock_guard<std::mutex> guard(name->mutex);
                name->remote = false;
                name->listener = listener;
                name->entry = entry;
                (*names)[name->key] = name;
                ++name->users;  // the accept
                name->arm_accept();
                if (!name->accept_armed) --name->users;
                break;
            }
        }
        close(listener);
        if (bound == -EBUSY) {
            // A live owner that did not answer: its I/O thread may be waiting for its names
            // mutex, held by its own claim that waits for ours. Let ours answer, then ask again.
            timespec pause{0, 50 * 1000 * 1000};
            nanosleep(&pause, nullptr);
            continue;
        }
        if (bound != kServed || name->rejoin()) break;
    }
    name->release();
}

bool PipeName::rejoin()
{
    uint32_t asked;
    DWORD limit;
    {
        std::lock_guard<std::mutex> guard(mutex);
        asked = open_mode | (listening.empty() ? kJoinBusy : 0);
        limit = max_instances;
    }
    Reply reply{};
    DWORD error = ERROR_SUCCESS;
    int fd = handshake(path, kHelloJoin, asked, &reply, &error, 10000, limit);
    // That owner is gone too, or going: again. (A busy one that did not answer: given up.)
    if (fd < 0) return error != ERROR_PIPE_NOT_CONNECTED && error != ERROR_FILE_NOT_FOUND;
    if (reply.status != kReplyJoined) {
        // No room there (it made instances of its own meanwhile): this instance keeps its
        // client, if it has one, and gets no more.
        close(fd);
        return true;
    }
    auto* link = new OwnerLink();
    link->name = this;
    link->link = fd;
    {
        std::lock_guard<std::mutex> names_guard(names_mutex);
        std::lock_guard<std::mutex> guard(mutex);
        owner_link = fd;
        ++users;  // the link's
        if (instances == 0) shutdown(fd, SHUT_RDWR);  // closed meanwhile: the owner counts it out
        // Listening since the hello said it was not: the owner is told now.
        if ((asked & kJoinBusy) && !listening.empty()) listening_again_locked();
    }
    if (!arm_link(link)) {
        // No engine to receive on: this instance gives up the name (the owner counts it
        // out when the link closes) rather than claim it again and again.
        std::lock_guard<std::mutex> names_guard(names_mutex);
        {
            std::lock_guard<std::mutex> guard(mutex);
            close(owner_link);
            owner_link = -1;
        }
        delete link;
        release_locked();  // the link's
    }
    return true;
}

PipeDevice* PipeDevice::create_server(const DeviceName& name, DWORD open_mode, DWORD pipe_mode,
                                      DWORD max_instances, DWORD out_size, DWORD in_size, DWORD timeout,
                                      DWORD* error)
{
    DWORD access = open_mode & PIPE_ACCESS_DUPLEX;
    bool seqpacket = (pipe_mode & PIPE_TYPE_MESSAGE) != 0;
    int connect_event = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (connect_event < 0) {
        *error = win32_error_from_errno(errno);
        return nullptr;
    }
    std::unique_lock<std::mutex> names_guard(names_mutex);
    PipeName* pipe_name = nullptr;
    OwnerLink* owner = nullptr;  // joined another process's name: its link's receive
    auto found = names->find(name.name);
    if (found != names->end() && found->second->listener >= 0) {
        {
            std::lock_guard<std::mutex> guard(found->second->mutex);
            found->second->reap_remotes_locked();
        }
        found = names->find(name.name);  // the reap may have ended it
    }
    if (found != names->end() && found->second->listener < 0) found = names->end();  // going away
    if (found != names->end()) {
        pipe_name = found->second;
        std::lock_guard<std::mutex> guard(pipe_name->mutex);
        DWORD refusal = pipe_name->refusal_locked(access, open_mode & FILE_FLAG_FIRST_PIPE_INSTANCE);
        if (refusal != ERROR_SUCCESS) {
            close(connect_event);
            *error = refusal;
            return nullptr;
        }
        ++pipe_name->instances;
        ++pipe_name->users;
    } else {
        std::string path;
        if (DWORD failure = namespace_path(name, "", &path)) {
            close(connect_event);
            *error = failure;
            return nullptr;
        }
        int listener = -1;
        EntryId entry;
        int bound = -EADDRINUSE;
        for (int attempt = 0; attempt < 3 && pipe_name == nullptr; ++attempt) {
            listener = socket(AF_UNIX, (seqpacket ? SOCK_SEQPACKET : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (listener < 0) {
                close(connect_event);
                *error = win32_error_from_errno(errno);
                return nullptr;
            }
            bound = claim_name(listener, path, &entry);
            if (bound != kServed) break;
            // A live server in another process: this instance joins its name (unless the
            // name ended meanwhile: then it is claimed again).
            close(listener);
            listener = -1;
            uint32_t asked = access | ((open_mode & FILE_FLAG_FIRST_PIPE_INSTANCE) ? kJoinFirst : 0);
            bool gone = false;
            pipe_name = join_owner(name, path, asked, max_instances, &owner, error, &gone);
            if (pipe_name == nullptr && !gone) {
                close(connect_event);
                return nullptr;
            }
        }
        if (pipe_name == nullptr && bound == kServed) {  // it ended again and again
            close(connect_event);
            *error = ERROR_PIPE_BUSY;
            return nullptr;
        }
        if (pipe_name == nullptr && bound != 0) {
            close(listener);
            close(connect_event);
            *error = bound == -EADDRINUSE ? ERROR_ACCESS_DENIED
                     : bound == -EBUSY    ? ERROR_PIPE_BUSY  // its server runs, and did not answer
                                          : win32_error_from_errno(-bound);
            return nullptr;
        }
        if (pipe_name == nullptr) {
            pipe_name = new PipeName();
            pipe_name->key = name.name;
            pipe_name->path = path;
            pipe_name->entry = entry;
            pipe_name->listener = listener;
            pipe_name->seqpacket = seqpacket;
            pipe_name->open_mode = access;
            pipe_name->pipe_mode = pipe_mode & PIPE_TYPE_MESSAGE;
            pipe_name->max_instances = max_instances;
            pipe_name->out_size = out_size;
            pipe_name->in_size = in_size;
            pipe_name->timeout = timeout == 0 ? 50 : timeout;  // Windows' default: 50 ms
            pipe_name->instances = 1;
            pipe_name->users = 2;  // this instance, and the accept
            (*names)[name.name] = pipe_name;
            std::lock_guard<std::mutex> guard(pipe_name->mutex);
            pipe_name->arm_accept();
            if (!pipe_name->accept_armed) --pipe_name->users;
        }
    }
    names_guard.unlock();

    PipeDevice* device = kernel::Pool<PipeDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->reset_pipe(PipeEnd::Server, -1, open_mode & FILE_FLAG_OVERLAPPED);
    device->connect_event_ = connect_event;
    device->name_ = pipe_name;
    device->state_ = PipeState::Listening;
    device->message_type_ = pipe_name->seqpacket;
    device->message_read_ = (pipe_mode & PIPE_READMODE_MESSAGE) != 0;
    device->nowait_ = (pipe_mode & PIPE_NOWAIT) != 0;
    device->can_read_ = (access & PIPE_ACCESS_INBOUND) != 0;
    device->can_write_ = (access & PIPE_ACCESS_OUTBOUND) != 0;
    // kernelbase opens the instance for GENERIC_READ (inbound) and GENERIC_WRITE (outbound)
    // and SYNCHRONIZE, mapped as a file's: a duplex server holds both (Wine's
    // test_CreateNamedPipe reads the access of one on Windows), an outbound one has no
    // FILE_READ_ATTRIBUTES (GetNamedPipeInfo, GetNamedPipeHandleState), an inbound one no
    // FILE_WRITE_ATTRIBUTES (SetNamedPipeHandleState), as Microsoft Learn's pages of those
    // functions tell for a one-way pipe.
    device->granted_ = SYNCHRONIZE;
    if (device->can_read_) device->granted_ |= FILE_GENERIC_READ;
    if (device->can_write_) device->granted_ |= FILE_GENERIC_WRITE;
    device->lock.unlock();
    {
        std::lock_guard<std::mutex> guard(pipe_name->mutex);
        pipe_name->listening.push_back(device);
    }
    // An instance of another process's name takes clients from now on (the owner has it
    // listed as listening since it was counted).
    if (owner != nullptr && !PipeName::arm_link(owner)) {
        owner->op.result = -EIO;
        PipeName::link_received(&owner->op);  // the link ends: the owner counts this instance out
    }
    return device;
}

DWORD PipeDevice::connect_check()
{
    if (end_ == PipeEnd::Anonymous) {
        // CreatePipe's read end is the server end of a pipe that is connected from the
        // start (Windows makes it a named pipe and opens its client): ERROR_PIPE_CONNECTED
        // while the write end lives, ERROR_NO_DATA (the closing state) once it is gone.
        if (!can_read_) return ERROR_INVALID_FUNCTION;
        LockGuard locked(lock);
        pollfd entry{descriptor_, 0, 0};
        return descriptor_ >= 0 && poll(&entry, 1, 0) > 0 && (entry.revents & POLLHUP) ? ERROR_NO_DATA
                                                                                      : ERROR_PIPE_CONNECTED;
    }
    if (end_ != PipeEnd::Server) return ERROR_INVALID_FUNCTION;
    {
        LockGuard locked(lock);
        switch (state_) {
        case PipeState::Connected: {
            // A client that came and went reads as "no data" (the closing state, which
            // starts at the client's close, with data left to read or not: the pipe file
            // system answers STATUS_PIPE_CLOSING; Wine answers the same).
            pollfd entry{descriptor_, POLLRDHUP, 0};
            if (poll(&entry, 1, 0) > 0 && (entry.revents & (POLLHUP | POLLRDHUP))) return ERROR_NO_DATA;
            return ERROR_PIPE_CONNECTED;
        }
        case PipeState::Closing: return ERROR_NO_DATA;
        case PipeState::Listening: return nowait_ ? ERROR_PIPE_LISTENING : ERROR_IO_PENDING;
        case PipeState::Disconnected: state_ = PipeState::Listening; break;
        }
    }
    if (nowait_) {
        // PIPE_NOWAIT: listening again, and nothing to wait for.
        std::lock_guard<std::mutex> guard(name_->mutex);
        name_->listening.push_back(this);
        name_->listening_again_locked();
        return ERROR_PIPE_LISTENING;
    }
    // Listening again: on the name's list (the name's mutex is not taken under the lock).
    std::lock_guard<std::mutex> guard(name_->mutex);
    name_->listening.push_back(this);
    name_->listening_again_locked();
    return ERROR_IO_PENDING;
}

DWORD PipeDevice::connect_wait()
{
    int event = connect_event_;
    for (;;) {
        {
            LockGuard guard(lock);
            if (state_ == PipeState::Connected || state_ == PipeState::Closing) return ERROR_SUCCESS;
            if (nowait_) return ERROR_PIPE_LISTENING;
        }
        if (DWORD error = wait_descriptor(event, POLLIN)) return error;
        uint64_t count;
        (void)!read(event, &count, sizeof(count));
    }
}

DWORD PipeDevice::flush()
{
    int fd;
    {
        LockGuard guard(lock);
        // A server that is not connected has nothing in flight (Windows: success in the
        // listening, closing and disconnected states).
        if (end_ == PipeEnd::Server && state_ != PipeState::Connected) return ERROR_SUCCESS;
        if (server_disconnected()) return ERROR_PIPE_NOT_CONNECTED;
        fd = descriptor_;
        if (fd < 0) return ERROR_SUCCESS;
    }
    // What this end wrote and the other has not read: a Linux pipe holds it for both ends
    // (FIONREAD); a socket counts its own bytes still queued at the peer (SIOCOUTQ). No
    // event says "the peer's queue is empty", so the wait looks again at growing
    // intervals (0.05 to 5 ms); a poll of no events still ends at once when the other end
    // goes (POLLHUP; a pipe with no reader left, POLLERR): ERROR_BROKEN_PIPE then.
    const unsigned long query = end_ == PipeEnd::Anonymous ? FIONREAD : SIOCOUTQ;
    bool peer_gone = false;
    DWORD result = blocked_call([&]() -> DWORD {
        // The other end went with our data unread: ERROR_BROKEN_PIPE (Wine's kernel32 pipe
        // test, test_overlapped_transport, on Windows: a flush waiting when the other end
        // closes fails so, from either end). A Unix socket closed with data in its queue
        // sets its peer's error (ECONNRESET: POLLERR), and drops the data, so the queue
        // may look empty after; a Linux pipe with no reader is POLLERR too, its data
        // still counted. A peer that read everything and then closed is a success.
        // A socket shut down but not yet closed by the other end (our close shuts the
        // connection down first) still holds the data in its queue: SIOCOUTQ counts it.
        bool linux_pipe = end_ == PipeEnd::Anonymous;
        // Under `lock`: a write of this end is under way, so data of ours was unread when
        // the other end went (the write's own failure notes the reset only after its send
        // took the socket's error, which a look between the two would miss).
        auto writing = [this]() { return lanes[static_cast<int>(io::Lane::Out) - 1].busy; };
        auto unread_at_close = [this, fd, linux_pipe, query]() {
            if (peer_reset_.load(std::memory_order_relaxed)) return true;
            int left = 0;
            bool holds = ioctl(fd, query, &left) == 0 && left > 0;
            if (!linux_pipe && holds) return true;
            pollfd entry{fd, 0, 0};
            if (poll(&entry, 1, 0) <= 0 || (entry.revents & POLLERR) == 0) return false;
            return !linux_pipe || holds;  // a Linux pipe's POLLERR is "no reader" only
        };
        for (int delay_us = 50, looks = 0;; delay_us = std::min(delay_us * 2, 5000), ++looks) {
            int queued = 0;
            if (ioctl(fd, query, &queued) != 0 || queued <= 0)
                return looks > 0 && unread_at_close() ? ERROR_BROKEN_PIPE : ERROR_SUCCESS;
            timespec interval{0, delay_us * 1000L};
            DWORD waited = poll_once(fd, 0, &interval);
            if (waited == ERROR_SUCCESS) {
                peer_gone = true;
                {
                    LockGuard guard(lock);
                    if (writing()) return ERROR_BROKEN_PIPE;
                }
                return unread_at_close() ? ERROR_BROKEN_PIPE : ERROR_SUCCESS;
            }
            if (waited != WAIT_TIMEOUT) return waited;
            LockGuard guard(lock);
            // The client went (closing: with our data unread or not) or this server was
            // disconnected meanwhile.
            if (end_ == PipeEnd::Server && state_ == PipeState::Closing)
                return writing() || unread_at_close() ? ERROR_BROKEN_PIPE : ERROR_SUCCESS;
            if (end_ == PipeEnd::Server && state_ != PipeState::Connected) return ERROR_SUCCESS;
        }
    });
    // A client its server disconnected (DisconnectNamedPipe) gets ERROR_PIPE_NOT_CONNECTED.
    if (result == ERROR_BROKEN_PIPE && end_ == PipeEnd::Client && write_failure(fd, EPIPE) == ERROR_PIPE_NOT_CONNECTED)
        return ERROR_PIPE_NOT_CONNECTED;
    if (result != ERROR_SUCCESS || end_ != PipeEnd::Client) return result;
    // A client whose server disconnected it (DisconnectNamedPipe) gets
    // ERROR_PIPE_NOT_CONNECTED; one whose server closed its end, success.
    if (!peer_gone) {
        pollfd entry{fd, 0, 0};
        peer_gone = poll(&entry, 1, 0) > 0;
    }
    if (peer_gone && write_failure(fd, EPIPE) == ERROR_PIPE_NOT_CONNECTED) return ERROR_PIPE_NOT_CONNECTED;
    return ERROR_SUCCESS;
}

DWORD PipeDevice::disconnect()
{
    if (end_ != PipeEnd::Server) return ERROR_INVALID_FUNCTION;
    int descriptor;
    std::vector<OVERLAPPED*> cancelled;
    {
        LockGuard guard(lock);
        if (state_ == PipeState::Listening) return ERROR_PIPE_LISTENING;
        if (state_ == PipeState::Disconnected) return ERROR_PIPE_NOT_CONNECTED;
        descriptor = descriptor_;
        descriptor_ = -1;
        state_ = PipeState::Disconnected;
        peer_reset_.store(false, std::memory_order_relaxed);  // the next client starts afresh
        // The client's next call fails, whatever it has not read (its page says so
        // first). Under the lock: a client that connects next is told the new count.
        if (page_ != nullptr) page_->fetch_add(1, std::memory_order_release);
        // Reads and writes in progress end (with ERROR_PIPE_NOT_CONNECTED, see step).
        for (io::Request* request = requests; request != nullptr; request = request->next)
            if (request->plan.lane != io::Lane::None) cancelled.push_back(request->overlapped);
        interrupt_blocked();
    }
    for (OVERLAPPED* overlapped : cancelled) io::cancel_on_device(this, overlapped);
    {
        std::lock_guard<std::mutex> guard(remainder_mutex_);
        remainder_length_ = 0;
        remainder_more_ = false;
        peer_disconnected_ = false;
        update_busy();
    }
    if (descriptor >= 0) {
        // The client learns it was disconnected (not that the server went away): a mark.
        make_marks();
        unsigned char control[kControlSpace];
        char byte = 0;
        iovec vector{&byte, 1};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        attach_mark(&message, control, more_mark);
        (void)!sendmsg(descriptor, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        shutdown(descriptor, SHUT_RDWR);
        // Requests being cancelled may still name the descriptor in an engine: it is
        // closed once none is left (here, at the next connection, or with the end).
        LockGuard guard(lock);
        if (retired_ >= 0 && requests == nullptr) {
            close(retired_);
            retired_ = -1;
        }
        if (retired_ < 0) retired_ = descriptor;
        else close(descriptor);  // requests on the older one are long cancelled
    }
    uint64_t count;
    (void)!read(connect_event_, &count, sizeof(count));
    return ERROR_SUCCESS;
}

// ---- named pipes: clients.
namespace {

// Connects to `path` and says hello. Returns the connected descriptor, or -1 with *error.
// *reply gets the server's answer.
int handshake(const std::string& path, uint32_t kind, uint32_t access, Reply* reply, DWORD* error,
              uint32_t timeout_ms, uint32_t max_instances, pid_t* listener, int* page)
{
    if (page != nullptr) *page = -1;
    sockaddr_un address;
    socklen_t length;
    if (!namespace_address(path, &address, &length)) {
        *error = ERROR_INVALID_NAME;
        return -1;
    }
    int fd = -1;
    for (int type : {SOCK_SEQPACKET, SOCK_STREAM}) {
        fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            *error = win32_error_from_errno(errno);
            return -1;
        }
        if (connect(fd, reinterpret_cast<sockaddr*>(&address), length) == 0) {
            if (listener != nullptr) *listener = static_cast<pid_t>(peer_process(fd));
            break;
        }
        int failure = errno;
        close(fd);
        fd = -1;
        if (failure == EPROTOTYPE) continue;
        // No such name, or a name nobody serves any more (a stale entry).
        if (failure == ENOENT || failure == ECONNREFUSED) *error = ERROR_FILE_NOT_FOUND;
        else if (failure == EAGAIN) *error = ERROR_PIPE_BUSY;  // the backlog is full
        else *error = win32_error_from_errno(failure);
        return -1;
    }
    if (fd < 0) {
        *error = ERROR_FILE_NOT_FOUND;
        return -1;
    }
    // A connection the server ends before it answers (ERROR_PIPE_NOT_CONNECTED here) means
    // its name is going or gone: the last instance closed, or the process died and the
    // kernel's clean-up of its io_uring still held the listener for a moment. On Windows
    // the name goes with the server's last handle: a client gets ERROR_FILE_NOT_FOUND.
    Hello hello{kMagic, kind, access, max_instances};
    if (send(fd, &hello, sizeof(hello), MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof(hello))) {
        int failure = errno;
        close(fd);
        *error = failure == EPIPE || failure == ECONNRESET ? ERROR_PIPE_NOT_CONNECTED : ERROR_PIPE_BUSY;
        return -1;
    }
    // The server's accept runs on its I/O thread: it answers at once unless that process
    // is stopped. A server that does not answer in time is busy.
    size_t got = 0;
    bool ended = false;
    uint64_t start = monotonic_ms();
    while (got < sizeof(Reply)) {
        uint64_t elapsed = monotonic_ms() - start;
        if (elapsed >= timeout_ms || poll_for(fd, POLLIN, static_cast<int>(timeout_ms - elapsed)) <= 0) break;
        iovec vector{reinterpret_cast<char*>(reply) + got, sizeof(Reply) - got};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        alignas(cmsghdr) unsigned char control[kControlSpace];
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        ssize_t n = recvmsg(fd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        int passed = -1;
        if (n > 0 && take_passed_descriptors(&message, &passed, 1) == 1) {
            if (page != nullptr && *page < 0) *page = passed;
            else close(passed);
        }
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            ended = n == 0 || errno == ECONNRESET || errno == EPIPE;
            break;
        }
        got += static_cast<size_t>(n);
    }
    if (got != sizeof(Reply) || reply->magic != kMagic) {
        close(fd);
        if (page != nullptr && *page >= 0) close(*page);
        if (page != nullptr) *page = -1;
        *error = ended && got == 0 ? ERROR_PIPE_NOT_CONNECTED : ERROR_PIPE_BUSY;
        return -1;
    }
    return fd;
}

}  // namespace

PipeDevice* PipeDevice::open_client(const DeviceName& name, ACCESS_MASK access, DWORD flags, DWORD* error)
{
    std::string path;
    if (DWORD failure = namespace_path(name, "", &path)) {
        *error = failure;
        return nullptr;
    }
    bool wants_read = (access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA)) != 0;
    bool wants_write = (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    Reply reply{};
    // A connection ended without an answer: the name is going, or its owner passed the
    // connection to another process's instance as that process was killed (its link lives
    // on a moment while the kernel tears the process down). Asked again, the owner gives
    // another instance or says busy; a name that went refuses the connection.
    int fd = -1, page = -1;
    for (int attempt = 0; attempt < 3; ++attempt) {
        fd = handshake(path, kHelloConnect, (wants_read ? 1u : 0u) | (wants_write ? 2u : 0u), &reply, error, 10000, 0,
                       nullptr, &page);
        if (fd >= 0 || *error != ERROR_PIPE_NOT_CONNECTED) break;
    }
    // The instance's page, mapped for reading (no page: a disconnection is seen at its mark).
    // The end keeps its descriptor too, to pass on with the end (inheritance, DuplicateHandle
    // into another process: export_page).
    void* view = MAP_FAILED;
    if (page >= 0) {
        if (fd >= 0 && reply.status == kReplyConnected)
            view = mmap(nullptr, kPageSize, PROT_READ, MAP_SHARED, page, 0);
        if (view == MAP_FAILED) {
            close(page);
            page = -1;
        }
    }
    struct View {
        void** view;
        int* page;
        ~View()
        {
            if (*view != MAP_FAILED) munmap(*view, kPageSize);
            if (*page >= 0) close(*page);
        }
    } unmap_unless_kept{&view, &page};
    if (fd < 0) {
        if (*error == ERROR_PIPE_NOT_CONNECTED) *error = ERROR_FILE_NOT_FOUND;  // the name went
        return nullptr;
    }
    if (reply.status != kReplyConnected) {
        close(fd);
        *error = reply.status == kReplyDenied ? ERROR_ACCESS_DENIED : ERROR_PIPE_BUSY;
        return nullptr;
    }
    // The server's direction decides what the client may do: an inbound pipe's client
    // writes, an outbound pipe's client reads (Windows refuses a client that asks for
    // the other direction: ERROR_ACCESS_DENIED).
    bool server_reads = (reply.open_mode & PIPE_ACCESS_INBOUND) != 0;
    bool server_writes = (reply.open_mode & PIPE_ACCESS_OUTBOUND) != 0;
    if ((wants_read && !server_writes) || (wants_write && !server_reads)) {
        close(fd);
        *error = ERROR_ACCESS_DENIED;
        return nullptr;
    }
    if (!(flags & FILE_FLAG_OVERLAPPED)) set_blocking(fd);
    PipeDevice* device = kernel::Pool<PipeDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->reset_pipe(PipeEnd::Client, fd, flags & FILE_FLAG_OVERLAPPED);
    if (view != MAP_FAILED) {
        device->page_ = static_cast<std::atomic<uint32_t>*>(view);
        device->page_fd_ = page;
        device->connected_at_ = reply.disconnects;
        view = MAP_FAILED;  // the device unmaps and closes them (recycle)
        page = -1;
    }
    device->message_type_ = (reply.pipe_mode & PIPE_TYPE_MESSAGE) != 0;
    device->message_read_ = false;  // a client starts in byte read mode
    device->can_read_ = wants_read;
    device->can_write_ = wants_write;
    device->out_size_ = reply.out_size;
    device->in_size_ = reply.in_size;
    device->max_instances_ = reply.max_instances;
    device->name_path_ = path;
    // The process of the instance that answered (not the listener's when the instance
    // joined the name from another process).
    device->peer_pid_ = reply.server_pid != 0 ? reply.server_pid : peer_process(fd);
    // What CreateFile asked for, generic rights mapped as a file's: GENERIC_READ with
    // FILE_WRITE_ATTRIBUTES is how a read-only client may set its read mode (Microsoft
    // Learn, SetNamedPipeHandleState).
    device->granted_ = SYNCHRONIZE | FILE_READ_ATTRIBUTES |
                       (io::map_generic_file_access(access) & (STANDARD_RIGHTS_ALL | SPECIFIC_RIGHTS_ALL));
    device->lock.unlock();
    return device;
}

DWORD PipeDevice::wait_name(const DeviceName& name, DWORD timeout)
{
    std::string path;
    if (DWORD failure = namespace_path(name, "", &path)) return failure;
    uint64_t start = monotonic_ms();
    bool first = true;
    for (;;) {
        Reply reply{};
        DWORD error = ERROR_SUCCESS;
        int fd = handshake(path, kHelloQuery, 0, &reply, &error);
        if (fd >= 0) {
            close(fd);
            if (first && timeout == NMPWAIT_USE_DEFAULT_WAIT) timeout = reply.timeout;
            if (reply.status == kReplyAvailable) return ERROR_SUCCESS;
        } else if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PIPE_NOT_CONNECTED) {
            return ERROR_FILE_NOT_FOUND;  // no such name, or it went
        }
        first = false;
        uint64_t elapsed = monotonic_ms() - start;
        if (timeout != NMPWAIT_WAIT_FOREVER && elapsed >= timeout) return ERROR_SEM_TIMEOUT;
        timespec pause{0, 2 * 1000 * 1000};
        nanosleep(&pause, nullptr);
    }
}

// ---- information.
bool PipeDevice::has_unread() const
{
    // The rest of a message kept from a read too small for it, or a record queued.
    if (remainder_busy_.load(std::memory_order_acquire)) return true;
    int queued = 0;
    return descriptor_ >= 0 && ioctl(descriptor_, FIONREAD, &queued) == 0 && queued > 0;
}

DWORD PipeDevice::transact_sync(const void* in, DWORD in_length, void* out, DWORD out_length, DWORD* read)
{
    *read = 0;
    {
        LockGuard guard(lock);
        if (DWORD error = transact_error()) return error;
    }
    DWORD written = 0;
    if (DWORD error = write_sync(in, in_length, &written)) return error;
    return read_sync(out, out_length, read);
}

bool PipeDevice::zero_message_waits(int fd) const
{
    // A zero-length message is a marked empty record, which FIONREAD does not count; it
    // is still there to read after the other end went (the pipe file system's queue holds
    // it: Wine's kernel32 pipe test reads it then, on Windows), so the pipe is not broken
    // yet.
    if (!message_type_ || end_ == PipeEnd::Anonymous) return false;
    msghdr message{};
    return recvmsg(fd, &message, MSG_PEEK | MSG_DONTWAIT) == 0 && mark_of(&message, true, 0) == Mark::More;
}

DWORD PipeDevice::peek(void* buffer, DWORD size, DWORD* read, DWORD* available, DWORD* left)
{
    DWORD copied = 0, total = 0, message_left = 0;
    int fd;
    {
        LockGuard guard(lock);
        if (end_ == PipeEnd::Server && state_ == PipeState::Listening) return ERROR_BAD_PIPE;
        // A disconnected server end is in the wrong state for a peek (STATUS_INVALID_PIPE_STATE,
        // as Wine's conformance tests record Windows); its client is not connected.
        if (end_ == PipeEnd::Server && state_ == PipeState::Disconnected) return ERROR_BAD_PIPE;
        if (server_disconnected()) return adopted_server_ ? ERROR_BAD_PIPE : ERROR_PIPE_NOT_CONNECTED;
        if (end_ == PipeEnd::Anonymous && !can_read_) return ERROR_ACCESS_DENIED;
        fd = descriptor_;
    }
    if (fd < 0) return ERROR_PIPE_NOT_CONNECTED;
    int queued = 0;
    ioctl(fd, FIONREAD, &queued);
    std::lock_guard<std::mutex> guard(remainder_mutex_);
    total = static_cast<DWORD>(queued) + remainder_length_;
    // Without a buffer the counts are still those of a peek of `size` bytes: kernelbase
    // peeks into a buffer of its own of that size and copies out only if it was given one
    // (Wine's kernelbase does the same; its tests pass on Windows).
    std::vector<char> scratch;
    if (buffer == nullptr && size > 0 && total > 0) {
        scratch.resize(std::min(size, total));
        buffer = scratch.data();
        size = static_cast<DWORD>(scratch.size());
    }
    if (remainder_length_ > 0) {
        copied = std::min<DWORD>(size, remainder_length_);
        if (buffer != nullptr && copied > 0) memcpy(buffer, spare_.data() + remainder_offset_, copied);
        message_left = remainder_length_;
    } else if (queued > 0) {
        // The next bytes (a message pipe: the next message) without taking them.
        if (end_ == PipeEnd::Anonymous) {
            // A Linux pipe cannot be read without consuming it: tee() copies its head into
            // a scratch pipe, which is read back.
            int scratch[2];
            if (buffer != nullptr && size > 0 && pipe2(scratch, O_CLOEXEC | O_NONBLOCK) == 0) {
                ssize_t n = tee(fd, scratch[1], std::min<DWORD>(size, static_cast<DWORD>(queued)), SPLICE_F_NONBLOCK);
                if (n > 0) {
                    ssize_t r = ::read(scratch[0], buffer, static_cast<size_t>(n));
                    copied = r > 0 ? static_cast<DWORD>(r) : 0;
                }
                close(scratch[0]);
                close(scratch[1]);
            }
        } else {
            // Into the caller's buffer directly; a message pipe's record says its whole
            // length (MSG_TRUNC) whatever the room, and nothing at all is copied when only
            // the counts are asked for (GetFileSizeEx, a peek of no bytes).
            size_t want = buffer != nullptr ? size : 0;
            if (message_type_) want = std::min<size_t>(want, kRecord);
            iovec vector{buffer, want};
            msghdr message{};
            message.msg_iov = &vector;
            message.msg_iovlen = 1;
            ssize_t n = recvmsg(fd, &message, MSG_PEEK | MSG_DONTWAIT | (message_type_ ? MSG_TRUNC : 0));
            if (n > static_cast<ssize_t>(want) && !message_type_) n = static_cast<ssize_t>(want);
            if (n >= 0 && mark_of(&message, message_type_, static_cast<uint32_t>(n)) == Mark::Disconnect) {
                // The server disconnected: nothing more to read.
                if (message_type_ || n <= 1) return ERROR_PIPE_NOT_CONNECTED;
                --n;
            }
            if (n > 0) {
                if (message_type_) {
                    message_left = static_cast<DWORD>(n);
                    copied = buffer != nullptr ? std::min<DWORD>(static_cast<DWORD>(want), static_cast<DWORD>(n)) : 0;
                } else {
                    copied = static_cast<DWORD>(n);
                }
            }
        }
    } else if (!zero_message_waits(fd)) {
        // Nothing queued: a peer that went away is a broken pipe.
        pollfd entry{fd, static_cast<short>(POLLIN | (end_ == PipeEnd::Anonymous ? 0 : POLLRDHUP)), 0};
        if (poll(&entry, 1, 0) > 0 && (entry.revents & (POLLHUP | POLLRDHUP))) {
            if (peer_disconnected_) return ERROR_PIPE_NOT_CONNECTED;
            return ERROR_BROKEN_PIPE;
        }
    }
    if (read != nullptr) *read = copied;
    if (available != nullptr) *available = total;
    // Windows: the message's length less what was copied (a byte pipe's "message" has no
    // length, so it reads as minus the bytes copied).
    if (left != nullptr) *left = (message_type_ ? message_left : 0) - copied;
    return ERROR_SUCCESS;
}

DWORD PipeDevice::info(DWORD* flags, DWORD* out_size, DWORD* in_size, DWORD* max_instances)
{
    {
        LockGuard guard(lock);
        if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
    }
    DWORD type = message_type_ ? PIPE_TYPE_MESSAGE : PIPE_TYPE_BYTE;
    if (end_ == PipeEnd::Server) {
        std::lock_guard<std::mutex> guard(name_->mutex);
        if (flags) *flags = PIPE_SERVER_END | type;
        if (out_size) *out_size = name_->out_size;
        if (in_size) *in_size = name_->in_size;
        if (max_instances) *max_instances = name_->max_instances;
        return ERROR_SUCCESS;
    }
    if (end_ == PipeEnd::Anonymous) {
        // CreatePipe's read end is the server end of its pipe, the write end the client's;
        // the sizes are the ones CreatePipe was given (Wine's conformance test records
        // Windows' answers).
        if (flags) *flags = (can_read_ ? PIPE_SERVER_END : PIPE_CLIENT_END) | type;
        DWORD size = out_size_;
        if (size == 0) {  // an end that came from a process that could not say
            int linux_size = fcntl(descriptor_, F_GETPIPE_SZ);
            size = linux_size > 0 ? static_cast<DWORD>(linux_size) : kAnonymousDefaultSize;
        }
        if (out_size) *out_size = size;
        if (in_size) *in_size = size;
        if (max_instances) *max_instances = 1;
        return ERROR_SUCCESS;
    }
    if (flags) *flags = PIPE_CLIENT_END | type;
    if (out_size) *out_size = out_size_;
    if (in_size) *in_size = in_size_;
    if (max_instances) *max_instances = max_instances_;
    return ERROR_SUCCESS;
}

DWORD PipeDevice::handle_state(DWORD* state, DWORD* instances)
{
    {
        LockGuard guard(lock);
        if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
        if (state != nullptr)
            *state = (nowait_ ? PIPE_NOWAIT : PIPE_WAIT) | (message_read_ ? PIPE_READMODE_MESSAGE : 0);
    }
    if (instances != nullptr) {
        // The name's owner counts every process's instances: an instance of a name another
        // process owns, and a client, ask it (a client end that came by inheritance, or
        // whose name has gone, counts its own instance).
        std::string owner_path = name_path_;
        *instances = 1;
        if (end_ == PipeEnd::Server) {
            std::lock_guard<std::mutex> names_guard(names_mutex);
            std::lock_guard<std::mutex> name_guard(name_->mutex);
            if (!name_->remote) name_->reap_remotes_locked();  // this instance keeps the name
            *instances = name_->instances;
            if (name_->remote && name_->owner_link >= 0) owner_path = name_->path;
        }
        Reply reply{};
        DWORD error = ERROR_SUCCESS;
        int fd = owner_path.empty() ? -1 : handshake(owner_path, kHelloQuery, 0, &reply, &error, 1000);
        if (fd >= 0) {
            close(fd);
            *instances = reply.instances;
        }
    }
    return ERROR_SUCCESS;
}

DWORD PipeDevice::set_mode(const DWORD* mode)
{
    if (mode != nullptr && (*mode & ~(PIPE_READMODE_MESSAGE | PIPE_NOWAIT))) return ERROR_INVALID_PARAMETER;
    LockGuard guard(lock);
    if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
    if (mode == nullptr) return ERROR_SUCCESS;
    if ((*mode & PIPE_READMODE_MESSAGE) && !message_type_) return ERROR_INVALID_PARAMETER;
    message_read_ = (*mode & PIPE_READMODE_MESSAGE) != 0;
    nowait_ = (*mode & PIPE_NOWAIT) != 0;
    return ERROR_SUCCESS;
}

DWORD PipeDevice::process_id(bool client, ULONG* pid)
{
    LockGuard guard(lock);
    if (end_ == PipeEnd::Anonymous) {
        // Both ends of an anonymous pipe were made here.
        *pid = static_cast<ULONG>(getpid());
        return ERROR_SUCCESS;
    }
    // The pipe file system keeps the client's process with the connection (Wine's kernel32
    // pipe test, run on Windows): a server end without one (disconnected, or listening)
    // has no client process, ERROR_NOT_FOUND, but always its own; a client end its server
    // disconnected has neither, ERROR_PIPE_NOT_CONNECTED. An end whose other end closed
    // still answers both.
    if (cut_off()) return ERROR_PIPE_NOT_CONNECTED;
    bool mine = (end_ == PipeEnd::Client) == client;
    if (mine) {
        *pid = static_cast<ULONG>(getpid());
        return ERROR_SUCCESS;
    }
    if (end_ == PipeEnd::Server && state_ != PipeState::Connected && state_ != PipeState::Closing)
        return ERROR_NOT_FOUND;
    *pid = peer_pid_;
    return ERROR_SUCCESS;
}

// ---- Handle inheritance (the processes branch's hook: drivers/inherit.h) -------------------------

namespace {
constexpr uint32_t kInheritRead = 1, kInheritWrite = 2, kInheritOverlapped = 4, kInheritMessage = 8,
                   kInheritMessageRead = 16, kInheritNamed = 32, kInheritServer = 64, kInheritNowait = 128;
// An anonymous end's size (GetNamedPipeInfo) rides in the word's top bits, saturated;
// 0: unknown (the child then reports Linux's size).
constexpr uint32_t kInheritSizeShift = 8, kInheritSizeMax = (1u << (32 - kInheritSizeShift)) - 1;
}

bool PipeDevice::export_inherit(int* descriptor, uint32_t* extra)
{
    // A named pipe's server end crosses only while connected (its name stays here).
    if (descriptor_ < 0) return false;
    *descriptor = descriptor_;
    shared_ = true;  // closing our handle must not end the connection the child uses
    *extra = (can_read_ ? kInheritRead : 0) | (can_write_ ? kInheritWrite : 0) |
             ((flags_ & FILE_FLAG_OVERLAPPED) ? kInheritOverlapped : 0) | (message_type_ ? kInheritMessage : 0) |
             (message_read_ ? kInheritMessageRead : 0) | (end_ != PipeEnd::Anonymous ? kInheritNamed : 0) |
             (end_ == PipeEnd::Server || adopted_server_ ? kInheritServer : 0) |
             (nowait_ ? kInheritNowait : 0);  // the mode is the end's, which the child shares
    if (end_ == PipeEnd::Anonymous) *extra |= std::min(out_size_, kInheritSizeMax) << kInheritSizeShift;
    return true;
}

PipeDevice* PipeDevice::adopt_inherited(int descriptor, uint32_t extra, ACCESS_MASK access, DWORD* error)
{
    int fd_flags = fcntl(descriptor, F_GETFD);
    if (fd_flags < 0) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    fcntl(descriptor, F_SETFD, fd_flags | FD_CLOEXEC);
    PipeDevice* device = kernel::Pool<PipeDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    // A named pipe's end of either side behaves as a connected client end here.
    device->reset_pipe((extra & kInheritNamed) ? PipeEnd::Client : PipeEnd::Anonymous, descriptor,
                       (extra & kInheritOverlapped) ? FILE_FLAG_OVERLAPPED : 0);
    device->can_read_ = (extra & kInheritRead) != 0;
    device->can_write_ = (extra & kInheritWrite) != 0;
    device->message_type_ = (extra & kInheritMessage) != 0;
    device->message_read_ = (extra & kInheritMessageRead) != 0;
    device->adopted_server_ = (extra & kInheritServer) != 0;
    device->nowait_ = (extra & kInheritNowait) != 0;
    if (!(extra & kInheritNamed)) {
        device->out_size_ = device->in_size_ = extra >> kInheritSizeShift;
        device->max_instances_ = 1;
    }
    device->granted_ = access;
    device->shared_ = true;
    device->lock.unlock();
    return device;
}

bool PipeDevice::export_page(int* descriptor, uint32_t* word)
{
    // A client end: its page and the count at its connection. A server end: its page and
    // the count now (it is connected: export_inherit passed it), so the other process's
    // end, a client end there, sees this instance's next DisconnectNamedPipe.
    if (end_ == PipeEnd::Anonymous || page_fd_ < 0 || page_ == nullptr || descriptor_ < 0) return false;
    *descriptor = page_fd_;
    *word = end_ == PipeEnd::Client ? connected_at_ : page_->load(std::memory_order_acquire);
    return true;
}

void PipeDevice::adopt_page(int descriptor, uint32_t word)
{
    void* view = mmap(nullptr, kPageSize, PROT_READ, MAP_SHARED, descriptor, 0);
    if (view == MAP_FAILED) {  // (then a disconnection is seen at its mark, as before)
        close(descriptor);
        return;
    }
    lock.lock();
    if (end_ != PipeEnd::Client || page_ != nullptr) {
        lock.unlock();
        munmap(view, kPageSize);
        close(descriptor);
        return;
    }
    page_ = static_cast<std::atomic<uint32_t>*>(view);
    page_fd_ = descriptor;
    connected_at_ = word;
    lock.unlock();
}

namespace {
bool export_pipe(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    return static_cast<PipeDevice*>(object)->export_inherit(descriptor, extra);
}
kernel::Object* import_pipe(int descriptor, uint32_t extra, ACCESS_MASK access, DWORD* error)
{
    return PipeDevice::adopt_inherited(descriptor, extra, access, error);
}
bool export_pipe_page(kernel::Object* object, int* descriptor, uint32_t* word)
{
    return static_cast<PipeDevice*>(object)->export_page(descriptor, word);
}
void import_pipe_page(kernel::Object* object, int descriptor, uint32_t word)
{
    if (descriptor >= 0) static_cast<PipeDevice*>(object)->adopt_page(descriptor, word);
}
const InheritKind pipe_inherit_kind = {export_pipe, import_pipe, export_pipe_page, import_pipe_page};
const InheritRegistration pipe_inherit_registration OVERLAPPED_INHERIT_EARLY(kernel::ObjectType::Pipe, &pipe_inherit_kind);
}  // namespace

}  // namespace overlapped::drivers
