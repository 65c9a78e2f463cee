#!/usr/bin/env bash
# compare-mingw.sh INCLUDE_DIR: our Winsock headers against mingw-w64's, value by value.
#
# Every object-like macro our winsock2.h, ws2def.h, ws2ipdef.h, ws2tcpip.h, mswsock.h,
# mstcpip.h, threadpoolapi.h (WT_* flags) and winerror.h (WSA* codes) define, and the size and field offsets of the
# structures programs lay out by hand, are compiled to assembly by both compilers
# (gcc with our headers, x86_64-w64-mingw32-gcc with mingw-w64's) and compared. A name
# mingw-w64 does not define is skipped. Prints "N passed, M failed"; exit 77 (skip) when
# mingw-w64 is not installed.
set -uo pipefail
include=$(cd "${1:?usage: compare-mingw.sh INCLUDE_DIR}" && pwd)
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    echo "mingw-w64 not installed: skipped"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

names=$(cd "$include" && cat winsock2.h ws2def.h ws2ipdef.h ws2tcpip.h mswsock.h mstcpip.h inaddr.h threadpoolapi.h |
    sed -n 's/^#define \([A-Z][A-Z0-9_]*\) \(.*\)$/\1 \2/p' |
    grep -vE '^(OVERLAPPED|_WINSOCK|WSAAPI|FAR|NEAR|PASCAL|WSAID_|IN6ADDR_|SCOPEID_UNSPECIFIED_INIT|FD_SET |FD_CLR |FD_ZERO |FD_ISSET |INVALID_SOCKET |CMSG_|WSA_CMSG|_IO|IOC_IN |IOC_OUT |IOC_VOID |IOC_INOUT )' |
    grep -vE '^[A-Z0-9_]+ [A-Za-z_]+ *$' | awk '{print $1}' | sort -u)
names="$names $(sed -n 's/^#define \(WSA[A-Z0-9_]*\) [0-9].*/\1/p' "$include/winerror.h")"

{
    echo '#define WIN32_LEAN_AND_MEAN'
    echo '#include <winsock2.h>'
    echo '#include <ws2tcpip.h>'
    echo '#include <mswsock.h>'
    echo '#include <mstcpip.h>'
    echo '#include <stddef.h>'
    for n in $names; do
        printf '#ifdef %s\nlong long value_%s = (long long)(%s);\n#endif\n' "$n" "$n" "$n"
    done
    # Layouts: sizeof and offsetof.
    while read -r type fields; do
        id=$(echo "$type" | tr -c 'A-Za-z0-9_\n' '_')
        printf 'long long size_%s = sizeof(%s);\n' "$id" "$type"
        for f in $fields; do printf 'long long offset_%s_%s = offsetof(%s, %s);\n' "$id" "$f" "$type" "$f"; done
    done <<'LAYOUTS'
WSABUF len buf
WSADATA wVersion wHighVersion iMaxSockets iMaxUdpDg lpVendorInfo szDescription szSystemStatus
SOCKADDR sa_family sa_data
SOCKADDR_IN sin_family sin_port sin_addr sin_zero
SOCKADDR_IN6 sin6_family sin6_port sin6_flowinfo sin6_addr sin6_scope_id
SOCKADDR_STORAGE ss_family
IN_ADDR S_un
IN6_ADDR u
ADDRINFOA ai_flags ai_family ai_socktype ai_protocol ai_addrlen ai_canonname ai_addr ai_next
ADDRINFOW ai_flags ai_family ai_socktype ai_protocol ai_addrlen ai_canonname ai_addr ai_next
ADDRINFOEXW ai_flags ai_addrlen ai_canonname ai_addr ai_blob ai_bloblen ai_provider ai_next
fd_set fd_count fd_array
WSAMSG name namelen lpBuffers dwBufferCount Control dwFlags
WSACMSGHDR cmsg_len cmsg_level cmsg_type
WSANETWORKEVENTS lNetworkEvents iErrorCode
WSAPOLLFD fd events revents
WSAPROTOCOL_INFOA dwServiceFlags1 ProviderId dwCatalogEntryId ProtocolChain iVersion iAddressFamily iSocketType iProtocol dwMessageSize szProtocol
WSAPROTOCOL_INFOW dwServiceFlags1 ProviderId ProtocolChain iAddressFamily szProtocol
HOSTENT h_name h_aliases h_addrtype h_length h_addr_list
SERVENT s_name s_aliases s_port s_proto
PROTOENT p_name p_aliases p_proto
LINGER l_onoff l_linger
TRANSMIT_FILE_BUFFERS Head HeadLength Tail TailLength
TRANSMIT_PACKETS_ELEMENT dwElFlags cLength nFileOffset hFile pBuffer
IP_MREQ imr_multiaddr imr_interface
IPV6_MREQ ipv6mr_multiaddr ipv6mr_interface
IN_PKTINFO ipi_addr ipi_ifindex
IN6_PKTINFO ipi6_addr ipi6_ifindex
QOS SendingFlowspec ReceivingFlowspec ProviderSpecific
GUID Data1 Data2 Data3 Data4
OVERLAPPED Internal InternalHigh Offset OffsetHigh hEvent
TP_CALLBACK_ENVIRON Version Pool CleanupGroup CleanupGroupCancelCallback RaceDll ActivationContext FinalizationCallback u CallbackPriority Size
LAYOUTS
} >"$work/values.c"

extract() {  # assembly -> "name value" lines
    awk '/^[a-z_A-Z0-9]+:$/ {name = substr($1, 1, length($1) - 1); next}
         name != "" && $1 == ".quad" {print name, $2; name = ""}' "$1" | sort
}
if ! gcc -S -O0 -w -I"$include" -x c "$work/values.c" -o "$work/ours.s" 2>"$work/ours.log"; then
    cat "$work/ours.log"; echo "0 passed, 1 failed"; exit 1
fi
if ! x86_64-w64-mingw32-gcc -S -O0 -w -x c "$work/values.c" -o "$work/mingw.s" 2>"$work/mingw.log"; then
    cat "$work/mingw.log"; echo "0 passed, 1 failed"; exit 1
fi
extract "$work/ours.s" >"$work/ours.txt"
extract "$work/mingw.s" >"$work/mingw.txt"
passed=0
failed=0
while read -r name value; do
    theirs=$(awk -v n="$name" '$1 == n {print $2}' "$work/mingw.txt")
    [ -z "$theirs" ] && continue  # mingw-w64 does not define it
    case $name in
    # The current Windows SDK's ws2def.h has AF_LINK 33 and AF_HYPERV 34, so AF_MAX 35;
    # mingw-w64 stops at AF_BTH (32), AF_MAX 33.
    value_AF_MAX) continue ;;
    esac
    if [ "$value" = "$theirs" ]; then
        passed=$((passed + 1))
    else
        echo "FAIL $name: ours $value, mingw-w64 $theirs"
        failed=$((failed + 1))
    fi
done <"$work/ours.txt"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
