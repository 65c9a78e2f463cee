#!/usr/bin/env bash
# examples.sh BUILD_DIR: runs the C++20 layer's examples as a user would.
#  - examples/cpp/file_copy --verify on 5 MB of random data (not a multiple of the sector
#    size), an empty file and a missing one; the copy must equal the source (cmp).
#  - examples/cpp/echo_server -p 0 -q -t 2: "listening on 127.0.0.1:<port>", 1 s of
#    examples/echo_client (every byte checked), then SIGINT: exit 0 and the counters line
#    with as many requests as the client counted.
# Ends with "N passed, M failed".
set -uo pipefail
build=$(cd "${1:?usage: examples.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
check() { # description condition...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $what"; fi
}

copy=$build/examples/cpp/file_copy
head -c 5000001 /dev/urandom >"$work/source"
"$copy" --verify "$work/source" "$work/copy" >"$work/copy.out" 2>&1
check "file_copy exits 0" [ $? -eq 0 ]
check "file_copy: verify ok" grep -q "^verify: ok (5000001 bytes)" "$work/copy.out"
check "file_copy: the copy equals the source" cmp -s "$work/source" "$work/copy"
: >"$work/empty"
"$copy" "$work/empty" "$work/empty-copy" >/dev/null 2>&1
check "file_copy of an empty file exits 0" [ $? -eq 0 ]
empty_copy() { [ -f "$work/empty-copy" ] && [ ! -s "$work/empty-copy" ]; }
check "file_copy of an empty file: an empty copy" empty_copy
"$copy" "$work/missing" "$work/nothing" >"$work/missing.out" 2>&1
check "file_copy of a missing file exits 2" [ $? -eq 2 ]
check "file_copy of a missing file names error 2" grep -q "error 2" "$work/missing.out"

server=$build/examples/cpp/echo_server
client=$build/examples/echo_client/echo_client
if [ -x "$server" ] && [ -x "$client" ]; then
    set -m # so that the background server does not ignore SIGINT
    "$server" -p 0 -q -t 2 >"$work/server.out" 2>&1 &
    server_pid=$!
    set +m
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/server.out")
        if [ -n "$port" ] || ! kill -0 "$server_pid" 2>/dev/null; then break; fi
        sleep 0.1
    done
    check "echo_server prints its port" [ -n "$port" ]
    "$client" -p "${port:-1}" -d 1 >"$work/client.out" 2>&1
    check "echo_client: no error" [ $? -eq 0 ]
    requests=$(sed -n 's/^requests \([0-9]*\), errors 0,.*/\1/p' "$work/client.out")
    kill -INT "$server_pid"
    wait "$server_pid"
    check "echo_server exits 0 on SIGINT" [ $? -eq 0 ]
    server_pid=""
    last=$(tail -n 1 "$work/server.out")
    check "echo_server: the counters line" grep -Eq "^connections [0-9]+, requests [0-9]+, bytes [0-9]+$" <<<"$last"
    served=$(sed -n 's/^connections [0-9]*, requests \([0-9]*\),.*/\1/p' <<<"$last")
    counted() { [ -n "$requests" ] && [ -n "$served" ] && [ "$served" -ge "$requests" ] && [ "$requests" -gt 0 ]; }
    check "echo_server counted the client's requests (${served:-?} >= ${requests:-?})" counted
else
    echo "echo_server or echo_client not built: echo checks skipped"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
