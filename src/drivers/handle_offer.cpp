// handle_offer.cpp: DuplicateHandle's offers to other processes (handle_offer.h).
#include "drivers/handle_offer.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "drivers/inherit.h"
#include "drivers/peer.h"
#include "kernel/handle_table.h"

namespace overlapped::drivers {
namespace {

// Also the protocol's version: offers and pulls carry a second descriptor since "OVD2".
constexpr uint32_t kMagic = 0x3244564f;  // "OVD2"

// What the target sends: the value it was given.
struct Claim {
    uint32_t magic;
    uint32_t reserved;
    uint64_t value;
};

// What the offer sends back, beside two or three descriptors: the object's, the
// listener's, and the object's second one (InheritKind::export_aux) if it has one.
struct Offered {
    uint32_t magic;
    uint32_t type;  // kernel::ObjectType
    uint32_t access;
    uint32_t flags;
    uint32_t extra;     // InheritKind's word
    uint32_t aux_word;  // export_aux's word
};

// A request to take a handle out of this process, and the answer (with the descriptor
// beside it when error is ERROR_SUCCESS).
struct PullRequest {
    uint32_t magic;
    uint32_t access;
    uint32_t options;  // DUPLICATE_*
    uint32_t reserved;
    uint64_t value;
};

struct Pulled {  // beside it: the descriptor, and the second one if the object has one
    uint32_t magic;
    uint32_t error;
    uint32_t type;
    uint32_t access;
    uint32_t extra;
    uint32_t aux_word;
};

// "\0overlapped-pull-<uid>-<source pid>".
socklen_t pull_address(pid_t source, sockaddr_un* address)
{
    return abstract_address(address, "overlapped-pull-%u-%d", static_cast<unsigned>(geteuid()), static_cast<int>(source));
}

// Exports `object` (referenced, unlocked) as a child would inherit it: a duplicate of its
// descriptor and the kind's word, and a duplicate of its second descriptor (-1: none) and
// that one's word. ERROR_SUCCESS, ERROR_CALL_NOT_IMPLEMENTED (it cannot cross) or
// ERROR_NO_SYSTEM_RESOURCES.
DWORD export_copy(kernel::Object* object, int* descriptor, uint32_t* extra, int* aux, uint32_t* aux_word)
{
    const InheritKind* kind = inherit_kind(object->type());
    *descriptor = *aux = -1;
    if (kind == nullptr) return ERROR_CALL_NOT_IMPLEMENTED;
    bool aux_failed = false;
    object->lock.lock();
    bool crosses = inherit_duplicate(kind, object, descriptor, extra, aux, aux_word, &aux_failed);
    object->lock.unlock();
    if (!crosses) return ERROR_CALL_NOT_IMPLEMENTED;  // only what a child can inherit
    if (*descriptor >= 0 && !aux_failed) return ERROR_SUCCESS;
    if (*descriptor >= 0) ::close(*descriptor);
    if (*aux >= 0) ::close(*aux);
    *descriptor = *aux = -1;
    return ERROR_NO_SYSTEM_RESOURCES;
}

// The request thread's answer to one connection.
void answer(int connection)
{
    PullRequest request{};
    if (!receive_record(connection, &request, sizeof(request)) || request.magic != kMagic) return;
    HANDLE value = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(request.value));
    DescriptorMessage<Pulled, 2> message;
    Pulled& reply = message.record;
    reply.magic = kMagic;
    int descriptors[2] = {-1, -1};
    ACCESS_MASK granted = 0;
    DWORD error = ERROR_SUCCESS;
    kernel::Object* object = kernel::handle_reference_granted(value, kernel::ObjectType::Any, 0, &granted, &error);
    if (object != nullptr) {
        reply.type = static_cast<uint32_t>(object->type());
        reply.access = ((request.options & DUPLICATE_SAME_ACCESS) ? granted : request.access) &
                       ~kernel::kAccessNotDuplicated;
        error = export_copy(object, &descriptors[0], &reply.extra, &descriptors[1], &reply.aux_word);
        object->release_reference();
        // Closed whatever the outcome, as DuplicateHandle says of DUPLICATE_CLOSE_SOURCE.
        if (request.options & DUPLICATE_CLOSE_SOURCE) kernel::handle_close(value);
    }
    reply.error = error;
    if (descriptors[0] >= 0) {
        message.send_some(connection, descriptors, descriptors[1] >= 0 ? 2 : 1);
        // Closed before the connection is: the taker waits for that (await_hang_up).
        ::close(descriptors[0]);
        if (descriptors[1] >= 0) ::close(descriptors[1]);
    } else {
        ssize_t sent;
        do sent = send(connection, &reply, sizeof(reply), MSG_NOSIGNAL);
        while (sent < 0 && errno == EINTR);
    }
}

// The request thread: answers processes of this user, one connection at a time.
void serve_requests(int listener)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);  // the program's signals go to its threads
    for (;;) {
        pid_t pid = 0;
        int connection = accept_from_user(listener, &pid);
        if (connection < 0) continue;
        answer(connection);
        ::close(connection);
    }
}

// "\0overlapped-handle-<uid>-<target pid>-<number>".
socklen_t offer_address(pid_t target, uint32_t number, sockaddr_un* address)
{
    return abstract_address(address, "overlapped-handle-%u-%d-%u", static_cast<unsigned>(geteuid()),
                            static_cast<int>(target), number);
}

// A socket bound to the name of `number` for `target`; -1 with errno (EADDRINUSE: an
// offer or an open handle of the target holds that number).
int bind_number(pid_t target, uint32_t number)
{
    int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    sockaddr_un address;
    socklen_t length = offer_address(target, number, &address);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

// A test's way to widen the moment between an offer's handover and the closing of its
// own copies (tests/win32/test_process_duplicate.c): OVERLAPPED_TEST_OFFER_PAUSE_MS
// milliseconds, read where the offer is made.
unsigned test_pause_ms()
{
    const char* text = std::getenv("OVERLAPPED_TEST_OFFER_PAUSE_MS");
    long pause = text != nullptr ? std::strtol(text, nullptr, 10) : 0;
    return pause < 0 ? 0u : pause > 10000 ? 10000u : static_cast<unsigned>(pause);
}

// The offer's thread: hands the object to the target's first claim of `value`.
void serve(int listener, int descriptor, int aux, int target_fd, pid_t target, HANDLE value, Offered offered,
           unsigned pause_ms)
{
    serve_target(listener, target_fd, target, [&](int connection) {
        Claim claim{};  // the target asks as soon as it connects
        if (!receive_record(connection, &claim, sizeof(claim)) || claim.magic != kMagic ||
            claim.value != reinterpret_cast<uintptr_t>(value))
            return false;  // not this offer's value (a stale or forged one): keep waiting
        DescriptorMessage<Offered, 3> message;
        message.record = offered;
        int handed[3] = {descriptor, listener, aux};
        if (!message.send_some(connection, handed, aux >= 0 ? 3 : 2)) return false;
        if (pause_ms != 0) usleep(pause_ms * 1000);
        // Our copies go before the connection does: the target waits for that (await_hang_up).
        ::close(descriptor);
        if (aux >= 0) ::close(aux);
        descriptor = aux = -1;
        return true;
    });
    if (descriptor >= 0) ::close(descriptor);
    if (aux >= 0) ::close(aux);
}

// The target's side: the sockets that keep the numbers of its open offered handles.
std::mutex& kept_mutex()
{
    static std::mutex* mutex = new std::mutex();  // hooks may run in static destructors
    return *mutex;
}

std::map<uint32_t, int>& kept()
{
    static auto* numbers = new std::map<uint32_t, int>();
    return *numbers;
}

void keep(uint32_t number, int fd)
{
    std::lock_guard<std::mutex> guard(kept_mutex());
    auto [at, added] = kept().emplace(number, fd);
    if (!added) {
        ::close(at->second);
        at->second = fd;
    }
}

void released(uint32_t number)
{
    std::lock_guard<std::mutex> guard(kept_mutex());
    auto found = kept().find(number);
    if (found == kept().end()) return;
    ::close(found->second);
    kept().erase(found);
}

// offered_claim_hook: takes the offer of `value` made for this process, if there is one.
bool claim(HANDLE value)
{
    uint32_t number = 0;
    if (!kernel::handle_offered_number(value, &number)) return false;
    static std::mutex* claiming = new std::mutex();
    std::lock_guard<std::mutex> guard(*claiming);  // one claim at a time: no two for one offer
    if (kernel::handle_is_open(value)) return true;  // another thread took it meanwhile
    sockaddr_un address;
    socklen_t length = offer_address(getpid(), number, &address);
    // Only an offer of this user is taken (another user could bind the name, not more).
    int connection = connect_to_user(address, length, SOCK_SEQPACKET, 0);
    if (connection < 0) return false;
    DescriptorMessage<Offered, 3> message;
    const Offered& offered = message.record;
    int descriptors[3] = {-1, -1, -1};
    int received = 0;
    Claim request{kMagic, 0, reinterpret_cast<uintptr_t>(value)};
    if (send(connection, &request, sizeof(request), MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof(request)) &&
        message.receive_some(connection, descriptors, &received) && (offered.magic != kMagic || received < 2)) {
        for (int i = 0; i < received; ++i) ::close(descriptors[i]);  // not an offer of ours
        descriptors[0] = descriptors[1] = descriptors[2] = -1;
    }
    if (descriptors[0] >= 0) await_hang_up(connection);  // the offer has closed its copies
    ::close(connection);
    if (descriptors[0] < 0) return false;
    kernel::Object* object =
        inherit_import(static_cast<kernel::ObjectType>(offered.type), descriptors[0], offered.extra, descriptors[2],
                       offered.aux_word, offered.access);
    if (object == nullptr) {
        ::close(descriptors[1]);
        return false;
    }
    if (kernel::handle_create_at(value, object, offered.access, offered.flags) != ERROR_SUCCESS) {
        ::close(descriptors[1]);
        return false;
    }
    keep(number, descriptors[1]);  // the number stays taken while the handle is open
    return true;
}

[[maybe_unused]] const bool hooks_installed = [] {
    kernel::offered_claim_hook = &claim;
    kernel::offered_released_hook = &released;
    return true;
}();

}  // namespace

DWORD offer_handle(kernel::Object* object, pid_t target, ACCESS_MASK access, DWORD flags, HANDLE* value)
{
    int descriptor = -1, aux = -1;
    uint32_t extra = 0, aux_word = 0;
    DWORD exported = export_copy(object, &descriptor, &extra, &aux, &aux_word);
    Offered offered{kMagic, static_cast<uint32_t>(object->type()), access, flags, extra, aux_word};
    object->release_reference();
    if (exported != ERROR_SUCCESS) return exported;
    int target_fd = static_cast<int>(syscall(SYS_pidfd_open, target, 0));
    if (target_fd < 0) {
        int failure = errno;
        ::close(descriptor);
        if (aux >= 0) ::close(aux);
        return failure == ESRCH ? ERROR_ACCESS_DENIED : ERROR_NO_SYSTEM_RESOURCES;  // it has exited
    }
    // The lowest number free in the target (offered slots are few and kept together).
    int listener = -1;
    uint32_t number = 0;
    for (; number < kernel::kOfferedSlots; ++number) {
        listener = bind_number(target, number);
        if (listener >= 0 || errno != EADDRINUSE) break;
    }
    if (listener >= 0 && listen(listener, 4) != 0) {
        ::close(listener);
        listener = -1;
    }
    uint8_t generation = 0;
    if (getrandom(&generation, sizeof(generation), GRND_NONBLOCK) != 1)
        generation = static_cast<uint8_t>(getpid() + number);
    HANDLE offered_value = kernel::handle_offered_value(number, generation);
    bool serving = false;
    if (listener >= 0) {
        try {
            std::thread(serve, listener, descriptor, aux, target_fd, target, offered_value, offered, test_pause_ms())
                .detach();
            serving = true;
        } catch (const std::system_error&) {
        }
    }
    if (!serving) {
        if (listener >= 0) ::close(listener);
        ::close(descriptor);
        if (aux >= 0) ::close(aux);
        ::close(target_fd);
        return ERROR_NO_SYSTEM_RESOURCES;
    }
    *value = offered_value;
    return ERROR_SUCCESS;
}

void keep_offered_number(HANDLE value)
{
    uint32_t number = 0;
    if (!kernel::handle_offered_number(value, &number)) return;
    int fd = bind_number(getpid(), number);
    if (fd >= 0) keep(number, fd);
}

void serve_handle_requests()
{
    static std::once_flag started;
    std::call_once(started, [] {
        int listener = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (listener < 0) return;
        sockaddr_un address;
        socklen_t length = pull_address(getpid(), &address);
        if (bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(listener, 16) != 0) {
            ::close(listener);  // (a name squatted by another user: requests get no answer)
            return;
        }
        try {
            std::thread(serve_requests, listener).detach();
        } catch (const std::system_error&) {
            ::close(listener);
        }
    });
}

DWORD take_handle(pid_t source, HANDLE value, ACCESS_MASK access, DWORD options, kernel::Object** object,
                  ACCESS_MASK* granted)
{
    *object = nullptr;
    sockaddr_un address;
    socklen_t length = pull_address(source, &address);
    bool no_socket = false;
    int connection = connect_to_user(address, length, SOCK_SEQPACKET, source, &no_socket);
    if (connection < 0) return no_socket ? ERROR_NO_SYSTEM_RESOURCES : ERROR_CALL_NOT_IMPLEMENTED;  // answers none
    PullRequest request{kMagic, access, options, 0, reinterpret_cast<uintptr_t>(value)};
    DescriptorMessage<Pulled, 2> message;
    const Pulled& reply = message.record;
    int descriptors[2] = {-1, -1}, received = 0;
    bool answered = send(connection, &request, sizeof(request), MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof(request)) &&
                    message.receive_some(connection, descriptors, &received) && reply.magic == kMagic;
    if (received > 0) await_hang_up(connection);  // the source has closed its copies
    ::close(connection);
    if (!answered || reply.error != ERROR_SUCCESS || received < 1) {
        for (int i = 0; i < received; ++i) ::close(descriptors[i]);
        return !answered ? ERROR_CALL_NOT_IMPLEMENTED : reply.error != ERROR_SUCCESS ? reply.error : ERROR_NO_SYSTEM_RESOURCES;
    }
    *object = inherit_import(static_cast<kernel::ObjectType>(reply.type), descriptors[0], reply.extra, descriptors[1],
                             reply.aux_word, reply.access);
    if (*object == nullptr) return ERROR_NO_SYSTEM_RESOURCES;
    *granted = reply.access;
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
