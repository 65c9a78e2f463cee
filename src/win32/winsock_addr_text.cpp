// winsock_addr_text.cpp: Winsock's address text functions, with Windows' own parsers (not
// the C library's, whose rules differ): inet_addr (BSD forms, Windows' whitespace rules),
// inet_ntoa (a buffer per thread), inet_pton/InetPtonW (strict dotted quad; RFC 4291 IPv6
// with Windows' quirks), inet_ntop/InetNtopW, WSAStringToAddressA/W (the lenient IPv4 forms
// and ":port", "[v6%scope]:port"), WSAAddressToStringA/W. None of these reach Linux.
// The rules and their sources: docs/research/windows-sockets-names.md.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

// winsock_state.h first: what it includes brings <unistd.h>, whose gethostname must come
// before winsock2.h (which then leaves that name alone).
#include "win32/winsock_state.h"

#include <winsock2.h>
#include <ws2tcpip.h>


using namespace overlapped;
using overlapped::win32::wsa_fail;

namespace {

// ---- parsers ---------------------------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One number of the lenient IPv4 forms: decimal, octal after a leading 0, hex after 0x.
// A base prefix must be followed by at least one digit of that base ("0x", "08" fail);
// otherwise the number ends at the first character that is not a digit of its base.
// The value wraps at 32 bits (Windows accepts "0x123456789" as 0x23456789).
enum class Number { ok, hard_fail };
Number parse_number(const char*& p, uint32_t& value)
{
    value = 0;
    if (!is_digit(*p)) return Number::hard_fail;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (hex_value(*p) < 0) return Number::hard_fail;
        while (hex_value(*p) >= 0) value = value * 16 + static_cast<uint32_t>(hex_value(*p++));
        return Number::ok;
    }
    if (p[0] == '0' && is_digit(p[1])) {
        ++p;
        if (*p > '7') return Number::hard_fail;
        while (*p >= '0' && *p <= '7') value = value * 8 + static_cast<uint32_t>(*p++ - '0');
        return Number::ok;
    }
    while (is_digit(*p)) value = value * 10 + static_cast<uint32_t>(*p++ - '0');
    return Number::ok;
}

// The lenient IPv4 forms (a, a.b, a.b.c, a.b.c.d; each number decimal, octal or hex; the
// last one fills the remaining bytes). On success `address` (host order) is set and `p`
// points at the first character after the address; false on a malformed address.
bool parse_ipv4_lenient(const char*& p, uint32_t& address)
{
    uint32_t parts[4];
    int count = 0;
    for (;;) {
        if (parse_number(p, parts[count]) != Number::ok) return false;
        ++count;
        if (*p != '.') break;
        if (count == 4) return false;
        ++p;
    }
    uint32_t last = parts[count - 1];
    static const uint32_t last_limit[4] = {0xFFFFFFFFu, 0xFFFFFFu, 0xFFFFu, 0xFFu};
    if (last > last_limit[count - 1]) return false;
    address = last;
    for (int i = 0; i < count - 1; ++i) {
        if (parts[i] > 0xFF) return false;
        address |= parts[i] << (24 - 8 * i);
    }
    return true;
}

// The strict dotted quad of inet_pton: four decimal numbers 0-255, no leading zeros, no
// fifth. On success `p` points after the fourth number (the caller checks the terminator).
bool parse_ipv4_strict(const char*& p, uint32_t& address)
{
    address = 0;
    for (int i = 0; i < 4; ++i) {
        if (!is_digit(*p)) return false;
        if (p[0] == '0' && (is_digit(p[1]) || p[1] == 'x' || p[1] == 'X')) return false;
        uint32_t value = 0;
        while (is_digit(*p)) {
            value = value * 10 + static_cast<uint32_t>(*p++ - '0');
            if (value > 255) return false;
        }
        address = (address << 8) | value;
        if (i < 3 && *p++ != '.') return false;
    }
    return *p != '.';  // a fifth number is no address at all
}

// The dotted quad inside an IPv6 address: four decimal numbers of at most three digits
// (leading zeros allowed), each at most 255.
bool parse_embedded_ipv4(const char*& p, uint8_t out[4])
{
    for (int i = 0; i < 4; ++i) {
        int digits = 0;
        unsigned value = 0;
        while (is_digit(*p)) {
            if (++digits > 3) return false;
            value = value * 10 + static_cast<unsigned>(*p++ - '0');
        }
        if (digits == 0 || value > 255) return false;
        out[i] = static_cast<uint8_t>(value);
        if (i < 3 && *p++ != '.') return false;
    }
    return true;
}

// An IPv6 address as Windows reads it (RtlIpv6StringToAddress): groups of one to four hex
// digits, one "::" standing for at least one zero group, an optional dotted quad in the
// last 32 bits. Windows refuses a leading "::" followed by seven groups. On success `p`
// points at the first character after the address.
bool parse_ipv6(const char*& p, uint8_t out[16])
{
    uint16_t words[8];
    int count = 0, gap = -1;
    bool leading_gap = false;
    if (p[0] == ':') {
        if (p[1] != ':') return false;
        p += 2;
        gap = 0;
        leading_gap = true;
    }
    bool after_gap = leading_gap;
    while (count < 8) {
        if (hex_value(*p) < 0) {
            if (after_gap) break;  // "x::" ends the address
            return false;
        }
        const char* group = p;
        unsigned value = 0;
        int digits = 0;
        while (hex_value(*p) >= 0) {
            if (++digits > 4) return false;
            value = value * 16 + static_cast<unsigned>(hex_value(*p++));
        }
        if (*p == '.') {
            p = group;
            uint8_t quad[4];
            int room = 8 - (gap >= 0 ? 1 : 0);
            if (count + 2 > room || !parse_embedded_ipv4(p, quad)) return false;
            words[count++] = static_cast<uint16_t>(quad[0] << 8 | quad[1]);
            words[count++] = static_cast<uint16_t>(quad[2] << 8 | quad[3]);
            break;
        }
        words[count++] = static_cast<uint16_t>(value);
        after_gap = false;
        if (count == 8 || *p != ':') break;
        if (p[1] == ':') {
            if (gap >= 0) return false;
            gap = count;
            p += 2;
            after_gap = true;
        } else {
            ++p;
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    if (leading_gap && count == 7) return false;
    int zeros = 8 - count;
    int w = 0;
    for (int i = 0; i < count; ++i) {
        if (i == gap)
            for (int z = 0; z < zeros; ++z) out[2 * w] = 0, out[2 * w + 1] = 0, ++w;
        out[2 * w] = static_cast<uint8_t>(words[i] >> 8);
        out[2 * w + 1] = static_cast<uint8_t>(words[i]);
        ++w;
    }
    while (w < 8) out[2 * w] = 0, out[2 * w + 1] = 0, ++w;
    return true;
}

// A decimal number up to `limit` ending at `p`'s terminator; false if none or too large.
bool parse_decimal(const char*& p, uint32_t limit, uint32_t& value)
{
    if (!is_digit(*p)) return false;
    uint64_t v = 0;
    while (is_digit(*p)) {
        v = v * 10 + static_cast<uint64_t>(*p++ - '0');
        if (v > limit) return false;
    }
    value = static_cast<uint32_t>(v);
    return true;
}

// ---- formatters -------------------------------------------------------------------------

std::string format_ipv4(const uint8_t b[4])
{
    char text[16];
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return text;
}

// Groups w[0..count) as lower-case hex without leading zeros, the first longest run of two
// or more zero groups as "::".
std::string format_groups(const uint16_t* w, int count)
{
    int best = -1, best_length = 1;
    for (int i = 0; i < count;) {
        if (w[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < count && w[j] == 0) ++j;
        if (j - i > best_length) best = i, best_length = j - i;
        i = j;
    }
    std::string text;
    char group[8];
    for (int i = 0; i < count; ++i) {
        if (i == best) {
            text += "::";
            i += best_length - 1;
            continue;
        }
        if (!text.empty() && text.back() != ':') text += ':';
        std::snprintf(group, sizeof group, "%x", w[i]);
        text += group;
    }
    return text;
}

// IPv6 text as Windows writes it (RtlIpv6AddressToString; Wine's ntdll rtl.c
// test_RtlIpv6AddressToString): RFC 5952's groups, and the last 32 bits as a dotted quad
// for the IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated
// (::ffff:0:a.b.c.d) forms when the IPv4 address's first half is not zero, and always for
// an ISATAP interface identifier (0:5efe or 200:5efe before the IPv4 address).
std::string format_ipv6(const uint8_t b[16])
{
    uint16_t w[8];
    for (int i = 0; i < 8; ++i) w[i] = static_cast<uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
    bool zero_prefix = !w[0] && !w[1] && !w[2] && !w[3];
    if (zero_prefix && !w[4] && (w[5] == 0 || w[5] == 0xFFFF) && w[6] != 0)
        return (w[5] ? "::ffff:" : "::") + format_ipv4(b + 12);
    if (zero_prefix && w[4] == 0xFFFF && !w[5] && w[6] != 0) return "::ffff:0:" + format_ipv4(b + 12);
    if (w[5] == 0x5EFE && (w[4] == 0 || w[4] == 0x0200)) return format_groups(w, 6) + ":" + format_ipv4(b + 12);
    return format_groups(w, 8);
}

// The text of a Windows sockaddr as WSAAddressToString writes it; false for an unknown
// family (WSAEINVAL) or a length too short for the family (WSAEFAULT in `error`).
bool address_text(const SOCKADDR* address, DWORD length, std::string& text, int& error)
{
    if (!address) {
        error = WSAEFAULT;
        return false;
    }
    if (address->sa_family == AF_INET) {
        if (length < sizeof(SOCKADDR_IN)) {
            error = WSAEFAULT;
            return false;
        }
        const auto* in = reinterpret_cast<const SOCKADDR_IN*>(address);
        text = format_ipv4(reinterpret_cast<const uint8_t*>(&in->sin_addr));
        if (in->sin_port) {
            text += ':';
            text += std::to_string(ntohs(in->sin_port));
        }
        return true;
    }
    if (address->sa_family == AF_INET6) {
        if (length < sizeof(SOCKADDR_IN6)) {
            error = WSAEFAULT;
            return false;
        }
        const auto* in6 = reinterpret_cast<const SOCKADDR_IN6*>(address);
        text = format_ipv6(in6->sin6_addr.u.Byte);
        if (in6->sin6_scope_id) {
            text += '%';
            text += std::to_string(in6->sin6_scope_id);
        }
        if (in6->sin6_port) {
            text.insert(text.begin(), '[');
            text += "]:";
            text += std::to_string(ntohs(in6->sin6_port));
        }
        return true;
    }
    error = WSAEINVAL;
    return false;
}

// WSAStringToAddress on narrow text. Returns 0 or the WSA error; `*length` is set only on
// success or when it was too small.
int string_to_address(const char* text, INT family, LPSOCKADDR address, LPINT length)
{
    if (!length) return WSAEFAULT;
    if (family == AF_INET) {
        if (*length < static_cast<INT>(sizeof(SOCKADDR_IN)) || !address) {
            *length = sizeof(SOCKADDR_IN);
            return WSAEFAULT;
        }
        auto* in = reinterpret_cast<SOCKADDR_IN*>(address);
        std::memset(in, 0, sizeof *in);
        if (!text) return WSAEINVAL;
        const char* p = text;
        uint32_t host = 0;
        if (!parse_ipv4_lenient(p, host)) return WSAEINVAL;
        in->sin_addr.s_addr = htonl(host);  // Windows leaves the address even if the rest is bad
        uint32_t port = 0;
        if (*p == ':') {
            ++p;
            if (parse_number(p, port) != Number::ok || port == 0 || port > 0xFFFF) return WSAEINVAL;
        }
        if (*p != '\0') return WSAEINVAL;
        in->sin_family = AF_INET;
        in->sin_port = htons(static_cast<u_short>(port));
        *length = sizeof(SOCKADDR_IN);
        return 0;
    }
    if (family == AF_INET6) {
        if (*length < static_cast<INT>(sizeof(SOCKADDR_IN6)) || !address) {
            *length = sizeof(SOCKADDR_IN6);
            return WSAEFAULT;
        }
        auto* in6 = reinterpret_cast<SOCKADDR_IN6*>(address);
        std::memset(in6, 0, sizeof *in6);
        if (!text) return WSAEINVAL;
        const char* p = text;
        bool bracket = *p == '[';
        if (bracket) ++p;
        if (!parse_ipv6(p, in6->sin6_addr.u.Byte)) {
            std::memset(&in6->sin6_addr, 0, sizeof in6->sin6_addr);
            return WSAEINVAL;
        }
        uint32_t scope = 0, port = 0;
        if (*p == '%') {
            ++p;
            if (!parse_decimal(p, 0xFFFFFFFFu, scope)) return WSAEINVAL;
        }
        if (bracket) {
            if (*p++ != ']') return WSAEINVAL;
            if (*p == ':') {
                ++p;
                if (!parse_decimal(p, 0xFFFF, port) || port == 0) return WSAEINVAL;
            }
        }
        if (*p != '\0') return WSAEINVAL;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(static_cast<u_short>(port));
        in6->sin6_scope_id = scope;
        *length = sizeof(SOCKADDR_IN6);
        return 0;
    }
    return WSAEINVAL;
}

// UTF-16 text that is all ASCII, narrowed; anything else becomes a character no parser
// accepts.
std::string narrow(const WCHAR* text)
{
    std::string out;
    for (; *text; ++text) out += *text < 0x80 ? static_cast<char>(*text) : '\x7f';
    return out;
}

thread_local char ntoa_buffer[16];

}  // namespace

extern "C" {

// ws2_32 exports the byte-order functions, which the headers give inline: these are what
// GetProcAddress finds under their names (modules.cpp).
OVERLAPPED_API u_short WSAAPI overlapped_htons(u_short value) { return __builtin_bswap16(value); }
OVERLAPPED_API u_short WSAAPI overlapped_ntohs(u_short value) { return __builtin_bswap16(value); }
OVERLAPPED_API u_long WSAAPI overlapped_htonl(u_long value) { return __builtin_bswap32(value); }
OVERLAPPED_API u_long WSAAPI overlapped_ntohl(u_long value) { return __builtin_bswap32(value); }

u_long WSAAPI inet_addr(const char* cp)
{
    if (!cp) return wsa_fail(WSAEFAULT, static_cast<u_long>(INADDR_NONE));
    if (std::strcmp(cp, " ") == 0) return INADDR_ANY;  // Windows' one whitespace-only exception
    const char* p = cp;
    uint32_t host = 0;
    if (!parse_ipv4_lenient(p, host)) return INADDR_NONE;
    if (*p != '\0' && !is_space(*p)) return INADDR_NONE;  // anything after whitespace is ignored
    return htonl(host);
}

char* WSAAPI inet_ntoa(struct in_addr in)
{
    std::string text = format_ipv4(reinterpret_cast<const uint8_t*>(&in));
    std::memcpy(ntoa_buffer, text.c_str(), text.size() + 1);
    return ntoa_buffer;
}

INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)
{
    if (!pszAddrString || !pAddrBuf) return wsa_fail(WSAEFAULT, -1);
    const char* p = pszAddrString;
    if (Family == AF_INET) {
        uint32_t host = 0;
        if (!parse_ipv4_strict(p, host)) return 0;
        u_long network = htonl(host);
        std::memcpy(pAddrBuf, &network, 4);  // written even when text follows (as Windows)
        return *p == '\0' ? 1 : 0;
    }
    if (Family == AF_INET6) {
        uint8_t bytes[16];
        if (!parse_ipv6(p, bytes)) return 0;
        std::memcpy(pAddrBuf, bytes, 16);
        return *p == '\0' ? 1 : 0;
    }
    return wsa_fail(WSAEAFNOSUPPORT, -1);
}

INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)
{
    if (!pszAddrString) return wsa_fail(WSAEFAULT, -1);
    INT result = inet_pton(Family, narrow(pszAddrString).c_str(), pAddrBuf);
    if (result == 0) win32::set_last_error(WSAEINVAL);  // unlike inet_pton, InetPtonW sets it
    return result;
}

PCSTR WSAAPI inet_ntop(INT Family, const VOID* pAddr, PSTR pStringBuf, size_t StringBufSize)
{
    if (Family != AF_INET && Family != AF_INET6) return wsa_fail(WSAEAFNOSUPPORT, static_cast<PCSTR>(nullptr));
    if (!pAddr || !pStringBuf) return wsa_fail(static_cast<int>(STATUS_INVALID_PARAMETER), static_cast<PCSTR>(nullptr));
    std::string text = Family == AF_INET ? format_ipv4(static_cast<const uint8_t*>(pAddr))
                                         : format_ipv6(static_cast<const uint8_t*>(pAddr));
    if (StringBufSize < text.size() + 1)
        return wsa_fail(static_cast<int>(STATUS_INVALID_PARAMETER), static_cast<PCSTR>(nullptr));
    std::memcpy(pStringBuf, text.c_str(), text.size() + 1);
    return pStringBuf;
}

PCWSTR WSAAPI InetNtopW(INT Family, const VOID* pAddr, PWSTR pStringBuf, size_t StringBufSize)
{
    if (Family != AF_INET && Family != AF_INET6) return wsa_fail(WSAEAFNOSUPPORT, static_cast<PCWSTR>(nullptr));
    if (!pAddr || !pStringBuf)
        return wsa_fail(static_cast<int>(STATUS_INVALID_PARAMETER), static_cast<PCWSTR>(nullptr));
    std::string text = Family == AF_INET ? format_ipv4(static_cast<const uint8_t*>(pAddr))
                                         : format_ipv6(static_cast<const uint8_t*>(pAddr));
    if (StringBufSize < text.size() + 1)
        return wsa_fail(static_cast<int>(STATUS_INVALID_PARAMETER), static_cast<PCWSTR>(nullptr));
    for (size_t i = 0; i <= text.size(); ++i) pStringBuf[i] = static_cast<WCHAR>(text.c_str()[i]);
    return pStringBuf;
}

INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOA, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    int error = string_to_address(AddressString, AddressFamily, lpAddress, lpAddressLength);
    return error ? wsa_fail(error, SOCKET_ERROR) : 0;
}

INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    std::string text = AddressString ? narrow(AddressString) : std::string();
    int error = string_to_address(AddressString ? text.c_str() : nullptr, AddressFamily, lpAddress, lpAddressLength);
    return error ? wsa_fail(error, SOCKET_ERROR) : 0;
}

INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOA,
                               LPSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    std::string text;
    int error = 0;
    if (!address_text(lpsaAddress, dwAddressLength, text, error)) return wsa_fail(error, SOCKET_ERROR);
    if (!lpdwAddressStringLength) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    DWORD needed = static_cast<DWORD>(text.size() + 1);
    if (!lpszAddressString || *lpdwAddressStringLength < needed) {
        *lpdwAddressStringLength = needed;
        return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    }
    std::memcpy(lpszAddressString, text.c_str(), needed);
    *lpdwAddressStringLength = needed;
    return 0;
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW,
                               LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    if (!win32::winsock_started()) return SOCKET_ERROR;
    std::string text;
    int error = 0;
    if (!address_text(lpsaAddress, dwAddressLength, text, error)) return wsa_fail(error, SOCKET_ERROR);
    if (!lpdwAddressStringLength) return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    DWORD needed = static_cast<DWORD>(text.size() + 1);
    if (!lpszAddressString || *lpdwAddressStringLength < needed) {
        *lpdwAddressStringLength = needed;
        return wsa_fail(WSAEFAULT, SOCKET_ERROR);
    }
    for (DWORD i = 0; i < needed; ++i) lpszAddressString[i] = static_cast<WCHAR>(text.c_str()[i]);
    *lpdwAddressStringLength = needed;
    return 0;
}

}  // extern "C"

// ws2ipdef.h's in6addr_any and in6addr_loopback (ws2_32 exports both), under the library's
// own names (overlapped_in6addr_*: the C library exports an in6addr_any of its own).
extern "C" {
const IN6_ADDR in6addr_any = {};
const IN6_ADDR in6addr_loopback = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};
}
