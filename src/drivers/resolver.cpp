// resolver.cpp: Winsock name resolution on the C library's resolver. Everything Windows-
// specific about the answers is decided here (docs/research/windows-sockets-names.md):
//  - getaddrinfo answers one entry per address (Linux answers one per socket type), with
//    the hints' socket type and protocol copied into every entry, ai_flags 0, and the
//    canonical name on the first entry only;
//  - "" as a host is the local computer; "[v6]" and "[v6]:port" are IPv6 literals (the
//    port text is ignored); "" as a service is port 0; "localhost" is answered without the
//    hosts file (::1 and 127.0.0.1, as Windows resolves it itself);
//  - EAI_* errors become WSA codes.
#include "drivers/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace overlapped::drivers::resolver {
namespace {

// ---- conversions between Windows and Linux values ---------------------------------------

int linux_family(int windows_family)
{
    switch (windows_family) {
    case ws::kAfUnspec: return AF_UNSPEC;
    case ws::kAfInet: return AF_INET;
    case ws::kAfInet6: return AF_INET6;
    default: return -1;
    }
}

// getaddrinfo/getnameinfo's EAI_* to the WSA code Windows returns for the same failure.
int wsa_from_eai(int eai)
{
    switch (eai) {
    case 0: return 0;
    case EAI_NONAME: return WSAHOST_NOT_FOUND;
    case EAI_AGAIN: return WSATRY_AGAIN;
    case EAI_FAIL: return WSANO_RECOVERY;
    case EAI_FAMILY: return WSAEAFNOSUPPORT;
    case EAI_SERVICE: return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE: return WSAESOCKTNOSUPPORT;
    case EAI_BADFLAGS: return WSAEINVAL;
    case EAI_MEMORY: return ERROR_NOT_ENOUGH_MEMORY;  // WSA_NOT_ENOUGH_MEMORY
    case EAI_NODATA:  // the name exists but has no address: "valid name, no data record"
        return WSANO_DATA;
    case EAI_ADDRFAMILY:  // addresses, none of the family asked for ("127.0.0.1" as AF_INET6):
        return WSAHOST_NOT_FOUND;  // what Windows answers for an IPv4-only name asked as IPv6
    case EAI_OVERFLOW: return WSAEFAULT;
    default: return WSANO_RECOVERY;  // EAI_SYSTEM and anything newer
    }
}

// gethostbyname_r's h_errno to WSA.
int wsa_from_h_errno(int error)
{
    switch (error) {
    case HOST_NOT_FOUND: return WSAHOST_NOT_FOUND;
    case TRY_AGAIN: return WSATRY_AGAIN;
    case NO_DATA: return WSANO_DATA;
    default: return WSANO_RECOVERY;
    }
}

int linux_ai_flags(int windows_flags)
{
    int flags = 0;
    if (windows_flags & ws::kAiPassive) flags |= AI_PASSIVE;
    if (windows_flags & (ws::kAiCanonName | ws::kAiFqdn)) flags |= AI_CANONNAME;
    if (windows_flags & ws::kAiNumericHost) flags |= AI_NUMERICHOST;
    if (windows_flags & ws::kAiNumericServ) flags |= AI_NUMERICSERV;
    if (windows_flags & ws::kAiAll) flags |= AI_ALL;
    if (windows_flags & ws::kAiAddrConfig) flags |= AI_ADDRCONFIG;
    if (windows_flags & ws::kAiV4Mapped) flags |= AI_V4MAPPED;
    return flags;
}

int linux_ni_flags(int windows_flags)
{
    int flags = 0;
    if (windows_flags & ws::kNiNoFqdn) flags |= NI_NOFQDN;
    if (windows_flags & ws::kNiNumericHost) flags |= NI_NUMERICHOST;
    if (windows_flags & ws::kNiNameReqd) flags |= NI_NAMEREQD;
    if (windows_flags & ws::kNiNumericServ) flags |= NI_NUMERICSERV;
    if (windows_flags & ws::kNiDgram) flags |= NI_DGRAM;
    return flags;
}

// A Linux sockaddr as a Windows one. False for families Winsock does not share.
bool windows_address(const sockaddr* sa, Address& out)
{
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        out.family = ws::kAfInet;
        out.length = sizeof(ws::SockaddrIn);
        out.in.sin_family = ws::kAfInet;
        out.in.sin_port = in->sin_port;
        out.in.sin_addr.value = in->sin_addr.s_addr;
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        out.family = ws::kAfInet6;
        out.length = sizeof(ws::SockaddrIn6);
        out.in6.sin6_family = ws::kAfInet6;
        out.in6.sin6_port = in6->sin6_port;
        out.in6.sin6_flowinfo = in6->sin6_flowinfo;
        std::memcpy(out.in6.sin6_addr.bytes, &in6->sin6_addr, 16);
        out.in6.sin6_scope_id = in6->sin6_scope_id;
        return true;
    }
    return false;
}

struct AddrInfoFree {
    void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoFree>;

bool has_non_ascii(const char* text)
{
    for (; *text; ++text)
        if (static_cast<unsigned char>(*text) >= 0x80) return true;
    return false;
}

// One call of the C library's getaddrinfo; appends the distinct addresses.
int resolve(const char* node, const char* service, int flags, int family, int socktype, AddrInfoResult& result)
{
    addrinfo hints{};
    hints.ai_flags = flags;
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    addrinfo* list = nullptr;
    int eai = getaddrinfo(node, service, &hints, &list);
    if (eai != 0) return wsa_from_eai(eai);
    AddrInfoList owner(list);
    for (const addrinfo* ai = list; ai; ai = ai->ai_next) {
        if ((flags & AI_CANONNAME) && ai->ai_canonname && result.canonical_name.empty())
            result.canonical_name = ai->ai_canonname;
        Address address;
        if (!ai->ai_addr || !windows_address(ai->ai_addr, address)) continue;
        bool seen = false;
        for (const Address& other : result.addresses)
            if (other.length == address.length && std::memcmp(other.bytes, address.bytes, address.length) == 0) seen = true;
        if (!seen) result.addresses.push_back(address);
    }
    return result.addresses.empty() ? WSAHOST_NOT_FOUND : 0;
}

// A service that is a number, read as Windows does (strtoul with a 32-bit unsigned long):
// white space and a sign may lead, digits make up the rest, a value too large saturates
// at 0xFFFFFFFF and a negative one wraps; the port is the low 16 bits ("-1", "4294967296"
// and "9999999999" are 65535, "65537" is 1). False when the text is not such a number.
bool windows_service_number(const char* text, unsigned& port)
{
    while (*text == ' ' || (*text >= '\t' && *text <= '\r')) ++text;
    bool negative = *text == '-';
    if (*text == '-' || *text == '+') ++text;
    if (!*text) return false;
    uint64_t value = 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return false;
        value = std::min<uint64_t>(value * 10 + static_cast<uint64_t>(*text - '0'), 0x100000000ULL);
    }
    uint32_t number = value > 0xFFFFFFFFULL ? 0xFFFFFFFFU : static_cast<uint32_t>(value);
    if (negative && value <= 0xFFFFFFFFULL) number = 0U - number;
    port = number & 0xFFFFU;
    return true;
}

}  // namespace

int check_addr_info(bool has_node, bool has_service, const Hints* windows_hints)
{
    Hints hints = windows_hints ? *windows_hints : Hints{};
    if (!has_node && !has_service) return WSAHOST_NOT_FOUND;
    if (linux_family(hints.family) < 0) return WSAEAFNOSUPPORT;
    if (hints.socktype < 0 || hints.socktype > ws::kSockSeqpacket) return WSAESOCKTNOSUPPORT;
    if ((hints.flags & ws::kAiCanonName) && (hints.flags & ws::kAiFqdn)) return WSAEINVAL;
    if ((hints.flags & (ws::kAiCanonName | ws::kAiFqdn)) && !has_node) return WSAEINVAL;
    return 0;
}

int get_addr_info(const char* node, const char* service, const Hints* windows_hints, AddrInfoResult& result)
{
    result = AddrInfoResult{};
    Hints hints = windows_hints ? *windows_hints : Hints{};
    if (int error = check_addr_info(node != nullptr, service != nullptr, windows_hints)) return error;
    int family = linux_family(hints.family);
    int flags = linux_ai_flags(hints.flags);
    // The C library resolves services per socket type; for the other types (raw, RDM,
    // sequenced packets) Windows answers the addresses with the service's port anyway.
    int socktype = (hints.socktype == ws::kSockStream || hints.socktype == ws::kSockDgram) ? hints.socktype : 0;
    if (service && !service[0]) service = "0";
    std::string port_text;
    unsigned port = 0;
    if (service && windows_service_number(service, port)) {
        port_text = std::to_string(port);
        service = port_text.c_str();
    }

    if (node && !node[0]) {
        // "" is no numeric address: AI_NUMERICHOST refuses it (Microsoft Learn, getaddrinfo:
        // "a non-NULL numeric host address string, otherwise the EAI_NONAME error").
        if (hints.flags & ws::kAiNumericHost) return WSAHOST_NOT_FOUND;
        // "": the local computer's addresses: those of the host name, or loopback if the
        // hosts configuration does not know the name.
        std::string local_name;
        if (get_host_name(local_name) == 0) {
            int error = resolve(local_name.c_str(), service, flags, family, socktype, result);
            if (error == 0 || error == WSATYPE_NOT_FOUND || error == WSAESOCKTNOSUPPORT) return error;
            result = AddrInfoResult{};
        }
        int error = resolve(nullptr, service, flags & ~(AI_PASSIVE | AI_CANONNAME), family, socktype, result);
        if (error != 0) result = AddrInfoResult{};
        return error;
    }
    std::string literal;
    if (node && node[0] == '[' && (family == AF_UNSPEC || family == AF_INET6)) {
        // "[v6]" and "[v6]:port": the address between the brackets (what follows ']' is
        // not looked at).
        if (const char* close = std::strchr(node + 1, ']')) {
            literal.assign(node + 1, close);
            node = literal.c_str();
        }
    }
    if (node && !(hints.flags & ws::kAiNumericHost) && strcasecmp(node, "localhost") == 0) {
        // Windows resolves "localhost" itself, to ::1 and 127.0.0.1, whatever the hosts file says.
        int error = 0;
        if (family != AF_INET) error = resolve("::1", service, (flags & ~AI_CANONNAME) | AI_NUMERICHOST, AF_INET6, socktype, result);
        if (error == 0 && family != AF_INET6)
            error = resolve("127.0.0.1", service, (flags & ~AI_CANONNAME) | AI_NUMERICHOST, AF_INET, socktype, result);
        if (error != 0) {
            result = AddrInfoResult{};
            return error;
        }
        if (flags & AI_CANONNAME) result.canonical_name = "localhost";
        return 0;
    }
    if (node && has_non_ascii(node)) {
        // An internationalised name: punycode, unless the caller disabled the conversion.
        if (hints.flags & ws::kAiDisableIdnEncoding) return WSAHOST_NOT_FOUND;
        flags |= AI_IDN;
    }
    int error = resolve(node, service, flags, family, socktype, result);
    if (error != 0) result = AddrInfoResult{};
    return error;
}

int get_name_info(const void* address, int length, std::string* host, size_t host_room, std::string* service,
                  size_t service_room, int windows_flags)
{
    if (!address) return WSAEFAULT;
    sockaddr_storage storage{};
    socklen_t linux_length = 0;
    ws::Sockaddr header;
    if (length < static_cast<int>(sizeof header.sa_family)) return WSAEFAULT;
    std::memcpy(&header, address, sizeof header.sa_family);
    if (header.sa_family == ws::kAfInet) {
        if (length < static_cast<int>(sizeof(ws::SockaddrIn))) return WSAEFAULT;
        ws::SockaddrIn in;
        std::memcpy(&in, address, sizeof in);
        auto* out = reinterpret_cast<sockaddr_in*>(&storage);
        out->sin_family = AF_INET;
        out->sin_port = in.sin_port;
        out->sin_addr.s_addr = in.sin_addr.value;
        linux_length = sizeof(sockaddr_in);
    } else if (header.sa_family == ws::kAfInet6) {
        if (length < static_cast<int>(sizeof(ws::SockaddrIn6))) return WSAEFAULT;
        ws::SockaddrIn6 in6;
        std::memcpy(&in6, address, sizeof in6);
        auto* out = reinterpret_cast<sockaddr_in6*>(&storage);
        out->sin6_family = AF_INET6;
        out->sin6_port = in6.sin6_port;
        out->sin6_flowinfo = in6.sin6_flowinfo;
        std::memcpy(&out->sin6_addr, in6.sin6_addr.bytes, 16);
        out->sin6_scope_id = in6.sin6_scope_id;
        linux_length = sizeof(sockaddr_in6);
    } else {
        return WSAEAFNOSUPPORT;
    }
    if (!host && !service) return WSAHOST_NOT_FOUND;
    char host_text[NI_MAXHOST], service_text[NI_MAXSERV];
    int eai = getnameinfo(reinterpret_cast<sockaddr*>(&storage), linux_length, host ? host_text : nullptr,
                          host ? sizeof host_text : 0, service ? service_text : nullptr,
                          service ? sizeof service_text : 0, linux_ni_flags(windows_flags));
    if (eai != 0) return wsa_from_eai(eai);
    if (host) {
        if (std::strlen(host_text) + 1 > host_room) return WSAEFAULT;
        *host = host_text;
    }
    if (service) {
        if (std::strlen(service_text) + 1 > service_room) return WSAEFAULT;
        *service = service_text;
    }
    return 0;
}

// ---- asynchronous lookups ---------------------------------------------------------------

namespace {

struct Lookup {
    uint64_t id = 0;
    Finish finish;           // run once, by the thread that claimed the lookup
    bool user_code = false;  // `finish` runs the caller's code (a completion routine)
    std::mutex mutex;
    std::condition_variable ended_changed;
    bool ended = false;
};

// The lookups not yet ended, by id; `ending` once a thread has claimed one to end it.
// Never destroyed: a lookup's thread may still run while the process exits.
struct Entry {
    std::shared_ptr<Lookup> lookup;
    bool ending = false;
};
struct Lookups {
    std::mutex mutex;
    std::unordered_map<uint64_t, Entry> running;
    uint64_t next_id = 1;
};
Lookups& lookups()
{
    static Lookups* table = new Lookups;
    return *table;
}

// Claims lookup `id` for the caller to end (end_lookup); null if another thread has.
std::shared_ptr<Lookup> claim(uint64_t id)
{
    Lookups& table = lookups();
    std::lock_guard<std::mutex> hold(table.mutex);
    auto found = table.running.find(id);
    if (found == table.running.end() || found->second.ending) return nullptr;
    found->second.ending = true;
    return found->second.lookup;
}

// Drops lookup `id` from the table: one that will never be ended (nothing was started).
void forget(uint64_t id)
{
    Lookups& table = lookups();
    std::lock_guard<std::mutex> hold(table.mutex);
    table.running.erase(id);
}

void end_lookup(Lookup& lookup, int error, AddrInfoResult& answer)
{
    lookup.finish(error, answer);
    forget(lookup.id);
    std::lock_guard<std::mutex> hold(lookup.mutex);
    lookup.ended = true;
    lookup.ended_changed.notify_all();
}

// Waits until `lookup` has ended or `wait` has passed; whether it has ended.
bool wait_for_end(Lookup& lookup, std::chrono::milliseconds wait)
{
    std::unique_lock<std::mutex> hold(lookup.mutex);
    return lookup.ended_changed.wait_for(hold, wait, [&] { return lookup.ended; });
}

// A test's way to make every asynchronous lookup slow (the C library answers numeric
// names and "localhost" at once): OVERLAPPED_TEST_RESOLVER_DELAY_MS milliseconds before
// the lookup starts, cut short when the lookup is ended meanwhile.
int64_t test_delay_ms()
{
    const char* text = std::getenv("OVERLAPPED_TEST_RESOLVER_DELAY_MS");
    long long delay = text != nullptr ? std::strtoll(text, nullptr, 10) : 0;
    return delay < 0 ? 0 : delay > 60000 ? 60000 : delay;  // at most a minute
}

}  // namespace

uint64_t new_lookup_id()
{
    Lookups& table = lookups();
    std::lock_guard<std::mutex> hold(table.mutex);
    return table.next_id++;
}

int start_lookup(uint64_t id, Query query, int64_t timeout_ms, Finish finish, bool finish_runs_user_code)
{
    auto lookup = std::make_shared<Lookup>();
    lookup->id = id;
    lookup->finish = std::move(finish);
    lookup->user_code = finish_runs_user_code;
    int64_t delay_ms = test_delay_ms();  // read here: the environment is the caller's thread's to change
    {
        Lookups& table = lookups();
        std::lock_guard<std::mutex> hold(table.mutex);
        table.running.emplace(id, Entry{lookup, false});
    }
    try {
        std::thread([lookup, query = std::move(query), delay_ms] {
            if (delay_ms > 0 && wait_for_end(*lookup, std::chrono::milliseconds(delay_ms))) return;
            AddrInfoResult answer;
            int error = get_addr_info(query.has_node ? query.node.c_str() : nullptr,
                                      query.has_service ? query.service.c_str() : nullptr,
                                      query.has_hints ? &query.hints : nullptr, answer);
            if (std::shared_ptr<Lookup> mine = claim(lookup->id)) end_lookup(*mine, error, answer);
        }).detach();
    } catch (const std::system_error&) {
        forget(id);
        return ERROR_NOT_ENOUGH_MEMORY;  // WSA_NOT_ENOUGH_MEMORY
    }
    if (timeout_ms >= 0) {
        try {
            std::thread([lookup, timeout_ms] {
                if (wait_for_end(*lookup, std::chrono::milliseconds(timeout_ms))) return;
                if (std::shared_ptr<Lookup> mine = claim(lookup->id)) {
                    AddrInfoResult none;
                    end_lookup(*mine, WSAETIMEDOUT, none);
                }
            }).detach();
        } catch (const std::system_error&) {
            // No deadline thread: the lookup is abandoned (its thread finds it gone), unless
            // it has ended already, in which case the call has succeeded.
            if (claim(id)) {
                forget(id);
                return ERROR_NOT_ENOUGH_MEMORY;  // WSA_NOT_ENOUGH_MEMORY
            }
        }
    }
    return 0;
}

bool cancel_lookup(uint64_t id)
{
    std::shared_ptr<Lookup> lookup;
    bool mine = false;
    {
        Lookups& table = lookups();
        std::lock_guard<std::mutex> hold(table.mutex);
        auto found = table.running.find(id);
        if (found == table.running.end()) return false;
        lookup = found->second.lookup;
        if (!found->second.ending) found->second.ending = mine = true;
    }
    if (!mine) {
        // Another thread is ending it. "Has completed" must mean delivered: wait for that,
        // unless the delivery runs the caller's code (a completion routine might wait for
        // this very thread).
        if (!lookup->user_code) {
            std::unique_lock<std::mutex> hold(lookup->mutex);
            lookup->ended_changed.wait(hold, [&] { return lookup->ended; });
        }
        return false;
    }
    if (lookup->user_code) {
        // A completion routine runs on a thread of its own, not inside the caller's cancel
        // (which may hold locks the routine takes).
        try {
            std::thread([lookup] {
                AddrInfoResult none;
                end_lookup(*lookup, WSA_E_CANCELLED, none);
            }).detach();
            return true;
        } catch (const std::system_error&) {
            // no thread: delivered here after all
        }
    }
    AddrInfoResult none;
    end_lookup(*lookup, WSA_E_CANCELLED, none);
    return true;
}

int get_host_name(std::string& name)
{
    char buffer[256];
    if (gethostname(buffer, sizeof buffer) != 0) return WSANO_RECOVERY;
    buffer[sizeof buffer - 1] = '\0';
    name = buffer;
    return 0;
}

namespace {

void copy_hostent(const hostent& from, HostEntry& entry, int windows_family)
{
    entry.name = from.h_name ? from.h_name : "";
    entry.aliases.clear();
    for (char** alias = from.h_aliases; alias && *alias; ++alias) entry.aliases.emplace_back(*alias);
    entry.family = windows_family;
    entry.length = from.h_length;
    entry.addresses.clear();
    for (char** address = from.h_addr_list; address && *address; ++address)
        entry.addresses.emplace_back(*address, static_cast<size_t>(from.h_length));
}

template <class Call>
int host_lookup(Call call, HostEntry& entry, int windows_family)
{
    std::vector<char> buffer(1024);
    for (;;) {
        hostent result{}, *found = nullptr;
        int h_error = 0;
        int rc = call(&result, buffer.data(), buffer.size(), &found, &h_error);
        if (rc == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (rc != 0 || !found) return wsa_from_h_errno(rc == 0 ? h_error : NO_RECOVERY);
        copy_hostent(*found, entry, windows_family);
        return 0;
    }
}

template <class Call>
int service_lookup(Call call, ServiceEntry& entry)
{
    std::vector<char> buffer(1024);
    for (;;) {
        servent result{}, *found = nullptr;
        int rc = call(&result, buffer.data(), buffer.size(), &found);
        if (rc == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (rc != 0 || !found) return WSANO_DATA;
        entry.name = found->s_name ? found->s_name : "";
        entry.aliases.clear();
        for (char** alias = found->s_aliases; alias && *alias; ++alias) entry.aliases.emplace_back(*alias);
        entry.protocol = found->s_proto ? found->s_proto : "";
        entry.port_network = static_cast<uint16_t>(found->s_port);
        return 0;
    }
}

}  // namespace

int get_host_by_name(const char* name, HostEntry& entry)
{
    std::string local;
    if (!name || !name[0]) {
        int error = get_host_name(local);
        if (error) return error;
        name = local.c_str();
    }
    // An IPv6 literal: Windows' gethostbyname answers IPv4 only, "valid name, no data".
    in6_addr literal;
    if (inet_pton(AF_INET6, name, &literal) == 1) return WSANO_DATA;
    return host_lookup(
        [name](hostent* result, char* buffer, size_t size, hostent** found, int* h_error) {
            return gethostbyname2_r(name, AF_INET, result, buffer, size, found, h_error);
        },
        entry, ws::kAfInet);
}

int get_host_by_addr(const void* address, int length, int windows_family, HostEntry& entry)
{
    int family = linux_family(windows_family);
    if (family != AF_INET && family != AF_INET6) return WSAEAFNOSUPPORT;
    int needed = family == AF_INET ? 4 : 16;
    if (!address || length < needed) return WSAEFAULT;
    return host_lookup(
        [address, needed, family](hostent* result, char* buffer, size_t size, hostent** found, int* h_error) {
            return gethostbyaddr_r(address, static_cast<socklen_t>(needed), family, result, buffer, size, found,
                                   h_error);
        },
        entry, windows_family);
}

int get_service_by_name(const char* name, const char* protocol, ServiceEntry& entry)
{
    if (!name) return WSANO_DATA;
    return service_lookup(
        [name, protocol](servent* result, char* buffer, size_t size, servent** found) {
            return getservbyname_r(name, protocol, result, buffer, size, found);
        },
        entry);
}

int get_service_by_port(int port_network, const char* protocol, ServiceEntry& entry)
{
    return service_lookup(
        [port_network, protocol](servent* result, char* buffer, size_t size, servent** found) {
            return getservbyport_r(port_network, protocol, result, buffer, size, found);
        },
        entry);
}

}  // namespace overlapped::drivers::resolver
