// winsock_names.cpp: Winsock's name resolution, the Win32 side: getaddrinfo/GetAddrInfoW/
// GetAddrInfoExA/W and their frees, getnameinfo/GetNameInfoW, gethostbyname/gethostbyaddr,
// gethostname/GetHostNameW, getservbyname/getservbyport, getprotobyname/getprotobynumber,
// gai_strerrorA/W and WSAHtonl & co. Arguments are checked here and the results built in
// Windows' layouts; the lookups themselves are drivers/resolver.cpp's (the C library's
// resolver). Rules and sources: docs/research/windows-sockets-names.md.
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "win32/winsock_state.h"

#include "drivers/resolver.h"
#include "kernel/handle_table.h"
#include "kernel/sync.h"

using namespace overlapped;
using overlapped::win32::set_last_error;
using overlapped::win32::wsa_fail;
namespace resolver = overlapped::drivers::resolver;

namespace {

// ---- addrinfo lists: one malloc block per entry (structure, address, canonical name) ---

template <class Info>
struct Text;
template <>
struct Text<ADDRINFOA> {
    using Char = char;
    static std::string convert(const std::string& s) { return s; }
};
template <>
struct Text<ADDRINFOEXA> : Text<ADDRINFOA> {};
template <>
struct Text<ADDRINFOW> {
    using Char = WCHAR;
    static std::u16string convert(const std::string& s) { return win32::utf16_from_utf8(s); }
};
template <>
struct Text<ADDRINFOEXW> : Text<ADDRINFOW> {};

// Builds the list for `result`: the hints' socket type and protocol in every entry (as
// Windows answers), ai_flags 0, the canonical name on the first entry. Null if memory ran out.
template <class Info>
Info* build_list(const resolver::AddrInfoResult& result, int socktype, int protocol)
{
    using Char = typename Text<Info>::Char;
    Info* head = nullptr;
    Info** tail = &head;
    bool first = true;
    for (const resolver::Address& address : result.addresses) {
        auto name = Text<Info>::convert(first ? result.canonical_name : std::string());
        bool with_name = first && !result.canonical_name.empty();
        size_t address_offset = (sizeof(Info) + 7) & ~size_t(7);
        size_t name_offset = address_offset + sizeof(SOCKADDR_IN6);
        size_t size = name_offset + (with_name ? (name.size() + 1) * sizeof(Char) : 0);
        auto* block = static_cast<char*>(std::calloc(1, size));
        if (!block) {
            while (head) {
                Info* next = head->ai_next;
                std::free(head);
                head = next;
            }
            return nullptr;
        }
        Info* info = reinterpret_cast<Info*>(block);
        info->ai_flags = 0;
        info->ai_family = address.family;
        info->ai_socktype = socktype;
        info->ai_protocol = protocol;
        info->ai_addrlen = static_cast<size_t>(address.length);
        info->ai_addr = reinterpret_cast<SOCKADDR*>(block + address_offset);
        std::memcpy(info->ai_addr, address.bytes, static_cast<size_t>(address.length));
        if (with_name) {
            auto* text = reinterpret_cast<Char*>(block + name_offset);
            std::memcpy(text, name.c_str(), (name.size() + 1) * sizeof(Char));
            info->ai_canonname = text;
        }
        *tail = info;
        tail = &info->ai_next;
        first = false;
    }
    return head;
}

template <class Info>
void free_list(Info* info)
{
    while (info) {
        Info* next = info->ai_next;
        std::free(info);
        info = next;
    }
}

// The hints as the resolver takes them. Windows requires ai_addrlen, ai_canonname,
// ai_addr and ai_next of the hints to be zero or null (WSANO_RECOVERY otherwise).
template <class Info>
int read_hints(const Info* hints, resolver::Hints& out)
{
    if (!hints) return 0;
    if (hints->ai_addrlen || hints->ai_canonname || hints->ai_addr || hints->ai_next) return WSANO_RECOVERY;
    out.flags = hints->ai_flags;
    out.family = hints->ai_family;
    out.socktype = hints->ai_socktype;
    out.protocol = hints->ai_protocol;
    return 0;
}

// The common path of the four getaddrinfo forms. Sets the last error to the result (0 on
// success, as Windows does).
template <class Info>
int get_addr_info(const char* node, const char* service, const Info* hints, Info** result)
{
    if (!win32::winsock_started()) {
        if (result) *result = nullptr;
        return WSANOTINITIALISED;
    }
    if (!result) return wsa_fail(WSAEFAULT, WSAEFAULT);
    *result = nullptr;
    resolver::Hints resolver_hints;
    int error = read_hints(hints, resolver_hints);
    resolver::AddrInfoResult found;
    if (error == 0) error = resolver::get_addr_info(node, service, hints ? &resolver_hints : nullptr, found);
    if (error == 0) {
        *result = build_list<Info>(found, resolver_hints.socktype, resolver_hints.protocol);
        if (!*result) error = WSA_NOT_ENOUGH_MEMORY;
    }
    set_last_error(static_cast<DWORD>(error));
    return error;
}

// GetAddrInfoExA's extra arguments: the DNS name space (or all); the asynchronous ones
// are reserved (NULL) in the ANSI form, WSAEINVAL otherwise, as Microsoft documents.
int check_ex_arguments(DWORD name_space, struct timeval* timeout, LPOVERLAPPED overlapped,
                       LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, LPHANDLE handle)
{
    if (name_space != NS_ALL && name_space != NS_DNS) return WSAEINVAL;
    if (timeout || overlapped || routine || handle) return WSAEINVAL;
    return 0;
}

// ---- GetAddrInfoExW's asynchronous forms -------------------------------------------------
//
// With an OVERLAPPED the lookup runs on a thread of its own (drivers/resolver.h) and
// GetAddrInfoExW returns WSA_IO_PENDING; when it ends (answer, GetAddrInfoExCancel or the
// time-out) the list goes to *ppResult, the error to Internal, ppResult to Pointer, and
// then hEvent is set or the completion routine called on the thread that ended it. A
// time-out without an OVERLAPPED waits for the same lookup here.

// The time-out in milliseconds (-1 for none). One longer than a year is none: a wait
// that long is no different, and the deadline's arithmetic stays far from overflow.
int64_t timeout_ms(const struct timeval* timeout)
{
    if (!timeout) return -1;
    if (timeout->tv_sec < 0 || timeout->tv_usec < 0) return 0;
    constexpr int64_t kYearSeconds = 366LL * 24 * 3600;
    if (timeout->tv_sec > kYearSeconds || timeout->tv_usec > kYearSeconds * 1000000) return -1;
    return static_cast<int64_t>(timeout->tv_sec) * 1000 + (static_cast<int64_t>(timeout->tv_usec) + 999) / 1000;
}

// The delivery of an asynchronous lookup's end. `event` is referenced, or null.
struct Delivery {
    PADDRINFOEXW* result;
    LPOVERLAPPED overlapped;
    LPLOOKUPSERVICE_COMPLETION_ROUTINE routine;
    kernel::EventObject* event;
    int socktype, protocol;

    void operator()(int error, resolver::AddrInfoResult& answer) const
    {
        PADDRINFOEXW list = nullptr;
        if (error == 0) {
            list = build_list<ADDRINFOEXW>(answer, socktype, protocol);
            if (!list) error = WSA_NOT_ENOUGH_MEMORY;
        }
        // Atomic: a caller may look at *ppResult (NULL until now) while the lookup runs.
        __atomic_store_n(result, list, __ATOMIC_RELEASE);
        if (event) event->begin_delivery();  // a ResetEvent waits for the set below
        overlapped->Pointer = result;
        overlapped->InternalHigh = 0;
        __atomic_store_n(&overlapped->Internal, static_cast<ULONG_PTR>(error), __ATOMIC_RELEASE);
        if (event) {
            event->set_delivered();
            event->release_reference();
        }
        if (routine) routine(static_cast<DWORD>(error), 0, overlapped);
    }
};

int get_addr_info_async(resolver::Query query, const ADDRINFOEXW* hints, PADDRINFOEXW* result,
                        const struct timeval* timeout, LPOVERLAPPED overlapped,
                        LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, LPHANDLE name_handle)
{
    if (routine && (!overlapped || overlapped->hEvent)) return wsa_fail(WSAEINVAL, WSAEINVAL);
    if (!result) return wsa_fail(WSAEFAULT, WSAEFAULT);
    *result = nullptr;
    // The arguments' own errors come back at once, as from the synchronous call.
    int error = read_hints(hints, query.hints);
    query.has_hints = hints != nullptr;
    if (error == 0) error = resolver::check_addr_info(query.has_node, query.has_service, hints ? &query.hints : nullptr);
    if (error != 0) return wsa_fail(error, error);
    int socktype = query.hints.socktype, protocol = query.hints.protocol;

    if (!overlapped) {
        // A time-out alone: the same lookup, waited for here (nothing to cancel).
        if (name_handle) *name_handle = nullptr;
        struct Answer {
            std::mutex mutex;
            std::condition_variable changed;
            bool ended = false;
            int error = 0;
            resolver::AddrInfoResult found;
        };
        auto answer = std::make_shared<Answer>();
        uint64_t id = resolver::new_lookup_id();
        error = resolver::start_lookup(id, std::move(query), timeout_ms(timeout),
                                       [answer](int ended_with, resolver::AddrInfoResult& found) {
                                           std::lock_guard<std::mutex> hold(answer->mutex);
                                           answer->error = ended_with;
                                           answer->found = std::move(found);
                                           answer->ended = true;
                                           answer->changed.notify_all();
                                       },
                                       false);
        if (error == 0) {
            std::unique_lock<std::mutex> hold(answer->mutex);
            answer->changed.wait(hold, [&] { return answer->ended; });
            error = answer->error;
        }
        if (error == 0) {
            *result = build_list<ADDRINFOEXW>(answer->found, socktype, protocol);
            if (!*result) error = WSA_NOT_ENOUGH_MEMORY;
        }
        set_last_error(static_cast<DWORD>(error));
        return error;
    }

    kernel::EventObject* event = nullptr;
    if (overlapped->hEvent) {
        DWORD lookup_error;
        kernel::Object* object =
            kernel::handle_reference(overlapped->hEvent, kernel::ObjectType::Event, EVENT_MODIFY_STATE, &lookup_error);
        if (!object) return wsa_fail(WSA_INVALID_HANDLE, WSA_INVALID_HANDLE);
        event = static_cast<kernel::EventObject*>(object);
    }
    uint64_t id = resolver::new_lookup_id();
    if (name_handle) *name_handle = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(id));
    __atomic_store_n(&overlapped->Internal, static_cast<ULONG_PTR>(WSAEINPROGRESS), __ATOMIC_RELEASE);
    error = resolver::start_lookup(id, std::move(query), timeout_ms(timeout),
                                   Delivery{result, overlapped, routine, event, socktype, protocol}, routine != nullptr);
    if (error != 0) {
        if (event) event->release_reference();
        if (name_handle) *name_handle = nullptr;
        return wsa_fail(error, error);
    }
    return wsa_fail(WSA_IO_PENDING, WSA_IO_PENDING);
}

// ---- per-thread database entries (Windows keeps one of each per thread) -----------------

struct EntryBuffers {
    std::unique_ptr<char[]> host, service, protocol;
    size_t host_size = 0, service_size = 0, protocol_size = 0;
};
thread_local EntryBuffers entry_buffers;

// The thread's buffer of at least `size` bytes; it only grows, so an entry that fits
// keeps its address from call to call.
char* entry_buffer(std::unique_ptr<char[]>& buffer, size_t& capacity, size_t size)
{
    if (capacity < size) {
        size_t grown = std::max<size_t>(size, 1024);
        std::unique_ptr<char[]> fresh(new (std::nothrow) char[grown]);
        if (!fresh) return nullptr;
        buffer = std::move(fresh);
        capacity = grown;
    }
    std::memset(buffer.get(), 0, size);
    return buffer.get();
}

size_t pointer_align(size_t n) { return (n + alignof(char*) - 1) & ~(alignof(char*) - 1); }

// Windows' hostent layout: the structure, the alias pointers, the address pointers, the
// addresses, the alias strings, the name.
struct hostent* make_hostent(const resolver::HostEntry& entry)
{
    size_t aliases = entry.aliases.size(), addresses = entry.addresses.size();
    size_t size = sizeof(struct hostent) + (aliases + 1) * sizeof(char*) + (addresses + 1) * sizeof(char*) +
                  addresses * static_cast<size_t>(entry.length);
    for (const std::string& alias : entry.aliases) size += alias.size() + 1;
    size += entry.name.size() + 1;
    char* block = entry_buffer(entry_buffers.host, entry_buffers.host_size, size);
    if (!block) return wsa_fail(WSAENOBUFS, static_cast<struct hostent*>(nullptr));
    auto* host = reinterpret_cast<struct hostent*>(block);
    char* p = block + sizeof(struct hostent);
    host->h_aliases = reinterpret_cast<char**>(p);
    p += (aliases + 1) * sizeof(char*);
    host->h_addr_list = reinterpret_cast<char**>(p);
    p += (addresses + 1) * sizeof(char*);
    for (size_t i = 0; i < addresses; ++i) {
        host->h_addr_list[i] = p;
        std::memcpy(p, entry.addresses[i].data(), static_cast<size_t>(entry.length));
        p += entry.length;
    }
    for (size_t i = 0; i < aliases; ++i) {
        host->h_aliases[i] = p;
        std::memcpy(p, entry.aliases[i].c_str(), entry.aliases[i].size() + 1);
        p += entry.aliases[i].size() + 1;
    }
    host->h_name = p;
    std::memcpy(p, entry.name.c_str(), entry.name.size() + 1);
    host->h_addrtype = static_cast<short>(entry.family);
    host->h_length = static_cast<short>(entry.length);
    return host;
}

struct servent* make_servent(const resolver::ServiceEntry& entry)
{
    size_t aliases = entry.aliases.size();
    size_t size = pointer_align(sizeof(struct servent)) + (aliases + 1) * sizeof(char*) + entry.name.size() + 1 +
                  entry.protocol.size() + 1;
    for (const std::string& alias : entry.aliases) size += alias.size() + 1;
    char* block = entry_buffer(entry_buffers.service, entry_buffers.service_size, size);
    if (!block) return wsa_fail(WSAENOBUFS, static_cast<struct servent*>(nullptr));
    auto* service = reinterpret_cast<struct servent*>(block);
    char* p = block + pointer_align(sizeof(struct servent));
    service->s_aliases = reinterpret_cast<char**>(p);
    p += (aliases + 1) * sizeof(char*);
    for (size_t i = 0; i < aliases; ++i) {
        service->s_aliases[i] = p;
        std::memcpy(p, entry.aliases[i].c_str(), entry.aliases[i].size() + 1);
        p += entry.aliases[i].size() + 1;
    }
    service->s_name = p;
    std::memcpy(p, entry.name.c_str(), entry.name.size() + 1);
    p += entry.name.size() + 1;
    service->s_proto = p;
    std::memcpy(p, entry.protocol.c_str(), entry.protocol.size() + 1);
    service->s_port = static_cast<short>(entry.port_network);
    return service;
}

// Windows' protocol database (%WINDIR%\system32\drivers\etc\protocol): its own list, not
// Linux's /etc/protocols.
struct Protocol {
    int number;
    const char* name;
    const char* alias;
};
constexpr Protocol kProtocols[] = {
    {0, "ip", "IP"},
    {1, "icmp", "ICMP"},
    {3, "ggp", "GGP"},
    {6, "tcp", "TCP"},
    {8, "egp", "EGP"},
    {12, "pup", "PUP"},
    {17, "udp", "UDP"},
    {20, "hmp", "HMP"},
    {22, "xns-idp", "XNS-IDP"},
    {27, "rdp", "RDP"},
    {41, "ipv6", "IPv6"},
    {43, "ipv6-route", "IPv6-Route"},
    {44, "ipv6-frag", "IPv6-Frag"},
    {50, "esp", "ESP"},
    {51, "ah", "AH"},
    {58, "ipv6-icmp", "IPv6-ICMP"},
    {59, "ipv6-nonxt", "IPv6-NoNxt"},
    {60, "ipv6-opts", "IPv6-Opts"},
    {66, "rvd", "RVD"},
};

struct protoent* make_protoent(const Protocol& protocol)
{
    size_t name = std::strlen(protocol.name) + 1, alias = std::strlen(protocol.alias) + 1;
    size_t size = pointer_align(sizeof(struct protoent)) + 2 * sizeof(char*) + name + alias;
    char* block = entry_buffer(entry_buffers.protocol, entry_buffers.protocol_size, size);
    if (!block) return wsa_fail(WSAENOBUFS, static_cast<struct protoent*>(nullptr));
    auto* entry = reinterpret_cast<struct protoent*>(block);
    char* p = block + pointer_align(sizeof(struct protoent));
    entry->p_aliases = reinterpret_cast<char**>(p);
    p += 2 * sizeof(char*);
    entry->p_name = p;
    std::memcpy(p, protocol.name, name);
    p += name;
    entry->p_aliases[0] = p;
    std::memcpy(p, protocol.alias, alias);
    entry->p_proto = static_cast<short>(protocol.number);
    return entry;
}

bool same_text_ignoring_case(const char* a, const char* b)
{
    for (; *a && *b; ++a, ++b) {
        char x = (*a >= 'A' && *a <= 'Z') ? static_cast<char>(*a + 32) : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? static_cast<char>(*b + 32) : *b;
        if (x != y) return false;
    }
    return *a == *b;
}

// ---- gai_strerror ---------------------------------------------------------------------------

// The system message texts of the codes getaddrinfo returns (FormatMessage's, for when the
// library's message table lacks them).
const char* gai_message(int code)
{
    switch (code) {
    case 0: return "The operation completed successfully.";
    case WSA_NOT_ENOUGH_MEMORY: return "Not enough memory resources are available to process this command.";
    case WSAEINVAL: return "An invalid argument was supplied.";
    case WSAESOCKTNOSUPPORT: return "The support for the specified socket type does not exist in this address family.";
    case WSAEAFNOSUPPORT: return "An address incompatible with the requested protocol was used.";
    case WSATYPE_NOT_FOUND: return "The specified class was not found.";
    case WSAHOST_NOT_FOUND: return "No such host is known.";
    case WSATRY_AGAIN:
        return "This is usually a temporary error during hostname resolution and means that the local server did "
               "not receive a response from an authoritative server.";
    case WSANO_RECOVERY: return "A non-recoverable error occurred during a database lookup.";
    case WSANO_DATA: return "The requested name is valid, but no data of the requested type was found.";
    default: return nullptr;
    }
}

#define GAI_STRERROR_BUFFER_SIZE 1024
thread_local char gai_text[GAI_STRERROR_BUFFER_SIZE + 1];
thread_local WCHAR gai_text_w[GAI_STRERROR_BUFFER_SIZE + 1];

}  // namespace

extern "C" {

// ---- getaddrinfo and friends --------------------------------------------------------------

INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA* pHints, PADDRINFOA* ppResult)
{
    return get_addr_info(pNodeName, pServiceName, pHints, ppResult);
}

VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) { free_list(pAddrInfo); }

INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW* pHints, PADDRINFOW* ppResult)
{
    std::string node = pNodeName ? win32::utf8_from_utf16(pNodeName) : std::string();
    std::string service = pServiceName ? win32::utf8_from_utf16(pServiceName) : std::string();
    return get_addr_info(pNodeName ? node.c_str() : nullptr, pServiceName ? service.c_str() : nullptr, pHints,
                         ppResult);
}

VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo) { free_list(pAddrInfo); }

INT WSAAPI GetAddrInfoExA(PCSTR pName, PCSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId, const ADDRINFOEXA* hints,
                          PADDRINFOEXA* ppResult, struct timeval* timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    (void)lpNspId;
    if (!win32::winsock_started()) return WSANOTINITIALISED;
    if (int error = check_ex_arguments(dwNameSpace, timeout, lpOverlapped, lpCompletionRoutine, lpNameHandle))
        return wsa_fail(error, error);
    return get_addr_info(pName, pServiceName, hints, ppResult);
}

INT WSAAPI GetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId, const ADDRINFOEXW* hints,
                          PADDRINFOEXW* ppResult, struct timeval* timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    (void)lpNspId;
    if (!win32::winsock_started()) return WSANOTINITIALISED;
    if (dwNameSpace != NS_ALL && dwNameSpace != NS_DNS) return wsa_fail(WSAEINVAL, WSAEINVAL);
    resolver::Query query;
    query.has_node = pName != nullptr;
    query.has_service = pServiceName != nullptr;
    if (pName) query.node = win32::utf8_from_utf16(pName);
    if (pServiceName) query.service = win32::utf8_from_utf16(pServiceName);
    if (timeout || lpOverlapped || lpCompletionRoutine)
        return get_addr_info_async(std::move(query), hints, ppResult, timeout, lpOverlapped, lpCompletionRoutine,
                                   lpNameHandle);
    if (lpNameHandle) *lpNameHandle = nullptr;  // a synchronous call has nothing to cancel
    return get_addr_info(pName ? query.node.c_str() : nullptr, pServiceName ? query.service.c_str() : nullptr, hints,
                         ppResult);
}

void WSAAPI FreeAddrInfoExA(PADDRINFOEXA pAddrInfoEx) { free_list(pAddrInfoEx); }

void WSAAPI FreeAddrInfoExW(PADDRINFOEXW pAddrInfoEx) { free_list(pAddrInfoEx); }

// Ends a lookup GetAddrInfoExW started with WSA_E_CANCELLED: its event is set before this
// returns, or its routine called on a thread of the library's. WSA_INVALID_HANDLE when it
// has ended already (or the handle names none).
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle)
{
    if (!lpHandle || !*lpHandle) return WSA_INVALID_HANDLE;
    if (!resolver::cancel_lookup(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(*lpHandle))))
        return WSA_INVALID_HANDLE;
    return NO_ERROR;
}

// WSAEINPROGRESS while the lookup runs, then its error (Internal).
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped)
{
    if (!lpOverlapped) return WSAEINVAL;
    return static_cast<INT>(__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE));
}

// ---- getnameinfo -------------------------------------------------------------------------------

INT WSAAPI getnameinfo(const SOCKADDR* pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer, DWORD NodeBufferSize,
                       PCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)
{
    if (!win32::winsock_started()) return WSANOTINITIALISED;
    if ((pNodeBuffer && NodeBufferSize == 0) || (pServiceBuffer && ServiceBufferSize == 0))
        return wsa_fail(WSAEINVAL, WSAEINVAL);
    std::string host, service;
    int error = resolver::get_name_info(pSockaddr, SockaddrLength, pNodeBuffer ? &host : nullptr, NodeBufferSize,
                                        pServiceBuffer ? &service : nullptr, ServiceBufferSize, Flags);
    if (error) return wsa_fail(error, error);
    if (pNodeBuffer) std::memcpy(pNodeBuffer, host.c_str(), host.size() + 1);
    if (pServiceBuffer) std::memcpy(pServiceBuffer, service.c_str(), service.size() + 1);
    return 0;
}

INT WSAAPI GetNameInfoW(const SOCKADDR* pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer, DWORD NodeBufferSize,
                        PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)
{
    if (!win32::winsock_started()) return WSANOTINITIALISED;
    if ((pNodeBuffer && NodeBufferSize == 0) || (pServiceBuffer && ServiceBufferSize == 0))
        return wsa_fail(WSAEINVAL, WSAEINVAL);
    std::string host, service;
    // The names are checked against the buffers once in UTF-16.
    int error = resolver::get_name_info(pSockaddr, SockaddrLength, pNodeBuffer ? &host : nullptr, NI_MAXHOST,
                                        pServiceBuffer ? &service : nullptr, NI_MAXSERV, Flags);
    if (error) return wsa_fail(error, error);
    std::u16string host_w = win32::utf16_from_utf8(host), service_w = win32::utf16_from_utf8(service);
    if ((pNodeBuffer && host_w.size() + 1 > NodeBufferSize) ||
        (pServiceBuffer && service_w.size() + 1 > ServiceBufferSize))
        return wsa_fail(WSAEFAULT, WSAEFAULT);
    if (pNodeBuffer) std::memcpy(pNodeBuffer, host_w.c_str(), (host_w.size() + 1) * sizeof(WCHAR));
    if (pServiceBuffer) std::memcpy(pServiceBuffer, service_w.c_str(), (service_w.size() + 1) * sizeof(WCHAR));
    return 0;
}

// ---- hostent, servent, protoent ---------------------------------------------------------------

struct hostent* WSAAPI gethostbyname(const char* name)
{
    if (!win32::winsock_started()) return nullptr;
    resolver::HostEntry entry;
    if (int error = resolver::get_host_by_name(name, entry)) return wsa_fail(error, static_cast<struct hostent*>(nullptr));
    return make_hostent(entry);
}

struct hostent* WSAAPI gethostbyaddr(const char* addr, int len, int type)
{
    if (!win32::winsock_started()) return nullptr;
    resolver::HostEntry entry;
    if (int error = resolver::get_host_by_addr(addr, len, type, entry))
        return wsa_fail(error, static_cast<struct hostent*>(nullptr));
    return make_hostent(entry);
}

}  // extern "C"

// C++ linkage, as winsock2.h declares it for C++ (an overload beside <unistd.h>'s); its
// assembler label makes it overlapped_gethostname for C and C++ callers alike.
int WSAAPI gethostname(char* name, int namelen)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!name) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    std::string host;
    if (int error = resolver::get_host_name(host)) return wsa_fail(error, SOCKET_ERROR);
    if (namelen < 0 || static_cast<size_t>(namelen) <= host.size()) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    std::memcpy(name, host.c_str(), host.size() + 1);
    return 0;
}

extern "C" {

int WSAAPI GetHostNameW(PWSTR name, int namelen)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!name) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    std::string host;
    if (int error = resolver::get_host_name(host)) return wsa_fail(error, SOCKET_ERROR);
    std::u16string wide = win32::utf16_from_utf8(host);
    if (namelen < 0 || static_cast<size_t>(namelen) <= wide.size()) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    std::memcpy(name, wide.c_str(), (wide.size() + 1) * sizeof(WCHAR));
    return 0;
}

struct servent* WSAAPI getservbyname(const char* name, const char* proto)
{
    if (!win32::winsock_started()) return nullptr;
    resolver::ServiceEntry entry;
    if (int error = resolver::get_service_by_name(name, proto, entry))
        return wsa_fail(error, static_cast<struct servent*>(nullptr));
    return make_servent(entry);
}

struct servent* WSAAPI getservbyport(int port, const char* proto)
{
    if (!win32::winsock_started()) return nullptr;
    resolver::ServiceEntry entry;
    if (int error = resolver::get_service_by_port(port, proto, entry))
        return wsa_fail(error, static_cast<struct servent*>(nullptr));
    return make_servent(entry);
}

struct protoent* WSAAPI getprotobyname(const char* name)
{
    if (!win32::winsock_started()) return nullptr;
    if (name)
        for (const Protocol& protocol : kProtocols)
            if (same_text_ignoring_case(name, protocol.name) || same_text_ignoring_case(name, protocol.alias))
                return make_protoent(protocol);
    return wsa_fail(WSANO_DATA, static_cast<struct protoent*>(nullptr));
}

struct protoent* WSAAPI getprotobynumber(int number)
{
    if (!win32::winsock_started()) return nullptr;
    for (const Protocol& protocol : kProtocols)
        if (protocol.number == number) return make_protoent(protocol);
    return wsa_fail(WSANO_DATA, static_cast<struct protoent*>(nullptr));
}

// ---- gai_strerror ----------------------------------------------------------------------------

char* WSAAPI gai_strerrorA(int ecode)
{
    DWORD length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                      FORMAT_MESSAGE_MAX_WIDTH_MASK,
                                  nullptr, static_cast<DWORD>(ecode), 0, gai_text, GAI_STRERROR_BUFFER_SIZE, nullptr);
    if (length == 0) {
        const char* text = gai_message(ecode);
        std::snprintf(gai_text, sizeof gai_text, "%s", text ? text : "");
    }
    return gai_text;
}

WCHAR* WSAAPI gai_strerrorW(int ecode)
{
    std::u16string text = win32::utf16_from_utf8(std::string(gai_strerrorA(ecode)));
    size_t n = std::min<size_t>(text.size(), GAI_STRERROR_BUFFER_SIZE);
    std::memcpy(gai_text_w, text.data(), n * sizeof(WCHAR));
    gai_text_w[n] = 0;
    return gai_text_w;
}

// ---- byte order through a socket --------------------------------------------------------------

int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long* lpnetlong)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!win32::winsock_is_socket(s)) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    if (!lpnetlong) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    *lpnetlong = htonl(hostlong);
    return 0;
}

int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short* lpnetshort)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!win32::winsock_is_socket(s)) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    if (!lpnetshort) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    *lpnetshort = htons(hostshort);
    return 0;
}

int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long* lphostlong)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!win32::winsock_is_socket(s)) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    if (!lphostlong) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    *lphostlong = ntohl(netlong);
    return 0;
}

int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short* lphostshort)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    if (!win32::winsock_is_socket(s)) return wsa_fail(WSAENOTSOCK, SOCKET_ERROR);
    if (!lphostshort) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    *lphostshort = ntohs(netshort);
    return 0;
}

}  // extern "C"
