// resolver.h: name resolution for Winsock, done by the C library's resolver (getaddrinfo,
// getnameinfo, gethostbyname_r...) and handed back in Windows' values and layouts.
//
// The Linux side of the Winsock name functions (src/win32/winsock_names.cpp is the Win32
// side): it includes Linux's socket headers, so it sees none of <winsock2.h>; what it
// takes and gives are neutral types, with addresses as Windows SOCKADDR_IN/SOCKADDR_IN6
// bytes (drivers/winsock_abi.h) and errors as WSA codes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "drivers/winsock_abi.h"

namespace overlapped::drivers::resolver {

// getaddrinfo's hints, Windows values (family 23 is IPv6, AI_* as in ws2def.h).
struct Hints {
    int flags = 0;
    int family = ws::kAfUnspec;
    int socktype = 0;
    int protocol = 0;
};

// One address of a getaddrinfo answer: a Windows sockaddr (SOCKADDR_IN or SOCKADDR_IN6).
struct Address {
    int family = 0;   // Windows AF_INET / AF_INET6
    int length = 0;   // 16 or 28
    union {
        ws::SockaddrIn in;
        ws::SockaddrIn6 in6;
        unsigned char bytes[sizeof(ws::SockaddrIn6)];
    };
    Address() : bytes{} {}
};

struct AddrInfoResult {
    std::string canonical_name;  // empty unless AI_CANONNAME found one
    std::vector<Address> addresses;
};

// Resolves `node` (UTF-8, or null) and `service` (or null) as Windows' getaddrinfo does;
// see resolver.cpp for the rules. Returns 0 or a WSA error code.
int get_addr_info(const char* node, const char* service, const Hints* hints, AddrInfoResult& result);

// get_addr_info's checks of its arguments alone (no lookup): 0, or the error it would
// give for them (no node and no service, an unknown family or socket type, flags that
// do not go together).
int check_addr_info(bool has_node, bool has_service, const Hints* hints);

// ---- asynchronous lookups (GetAddrInfoExW with an OVERLAPPED or a time-out) -------------

// A get_addr_info query kept by value, for a lookup that outlives its caller's strings.
struct Query {
    bool has_node = false, has_service = false, has_hints = false;
    std::string node, service;  // UTF-8
    Hints hints;
};

// How a lookup ends: the WSA error (0, the lookup's own error, WSA_E_CANCELLED or
// WSAETIMEDOUT) and the answer (empty unless the error is 0).
using Finish = std::function<void(int error, AddrInfoResult& answer)>;

// An id for start_lookup (never 0, never given twice), so that the caller can hand it
// out (GetAddrInfoExW's lpNameHandle) before the lookup can end.
uint64_t new_lookup_id();

// Starts `query` on a thread of its own. The first of these ends the lookup, once: its
// answer, cancel_lookup(id), or `timeout_ms` passing (negative: no time-out). `finish`
// then runs on the thread that ended it: the lookup's, a deadline thread's, or for a
// cancel the canceller's (before cancel_lookup returns) -- unless
// `finish_runs_user_code`, when a cancel runs it on a thread of its own. It may run
// before start_lookup returns. A lookup that was ended early goes on in the C library,
// which cannot be interrupted, and its answer is dropped. Returns 0, or a WSA error (no
// thread: nothing started, `finish` never runs).
int start_lookup(uint64_t id, Query query, int64_t timeout_ms, Finish finish, bool finish_runs_user_code);

// Ends lookup `id` with WSA_E_CANCELLED. False if it has ended already or never was; one
// that another thread is ending has ended when this returns, unless its `finish` runs
// user code.
bool cancel_lookup(uint64_t id);

// getnameinfo for a Windows sockaddr of `length` bytes. `host`/`service` are filled when
// wanted (non-null); `host_room`/`service_room` are the caller's buffer sizes in
// characters including the terminator (a name that does not fit fails with WSAEFAULT).
// Returns 0 or a WSA error code.
int get_name_info(const void* sockaddr, int length, std::string* host, size_t host_room, std::string* service,
                  size_t service_room, int windows_flags);

// The host name (gethostname), UTF-8. Returns 0 or a WSA error code.
int get_host_name(std::string& name);

struct HostEntry {
    std::string name;
    std::vector<std::string> aliases;
    int family = ws::kAfInet;  // Windows value
    int length = 4;
    std::vector<std::string> addresses;  // each `length` bytes, network order
};

// gethostbyname (IPv4 only, as on Windows; null or "" is the local host).
int get_host_by_name(const char* name, HostEntry& entry);
// gethostbyaddr for `length` bytes of a Windows family (AF_INET: 4, AF_INET6: 16).
int get_host_by_addr(const void* address, int length, int windows_family, HostEntry& entry);

struct ServiceEntry {
    std::string name;
    std::vector<std::string> aliases;
    std::string protocol;
    uint16_t port_network = 0;  // network byte order, as s_port holds it
};

// getservbyname / getservbyport (`protocol` may be null: any). 0 or a WSA error code.
int get_service_by_name(const char* name, const char* protocol, ServiceEntry& entry);
int get_service_by_port(int port_network, const char* protocol, ServiceEntry& entry);

}  // namespace overlapped::drivers::resolver
