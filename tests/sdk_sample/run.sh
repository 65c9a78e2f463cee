#!/usr/bin/env bash
# run.sh SERVER [ARG...]: drives the SDK-style IOCP echo server (iocpserver.cpp).
#
# SERVER [ARG...] is the command that runs it: the binary built against overlapped, or
# for instance "wine iocpserver.exe" for the mingw build. The script starts it on a free
# loopback port, echoes random data through several clients at once (bash's /dev/tcp)
# and compares every byte, checks that a client which closes without sending and an
# idle client do not disturb it, then sends SIGINT and checks that the server closes the
# idle client and exits with status 0. The last line is "N passed, M failed".
set -uo pipefail
if [ $# -lt 1 ]; then
    echo "usage: run.sh SERVER [ARG...]" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sdk_sample.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() { # check NAME COMMAND...: runs COMMAND, counts and reports the result
    local name=$1
    shift
    if "$@"; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
}
finish() {
    echo "server output:"
    sed 's/^/    /' "$work/server.out" 2>/dev/null | tr -d '\r'
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# Echoes SIZE random bytes through one connection and compares them (client NAME).
echo_client() { # echo_client NAME SIZE
    local name=$1 size=$2 fd writer
    head -c "$size" /dev/urandom >"$work/$name.in"
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
    cat "$work/$name.in" >&$fd &
    writer=$!
    timeout 30 head -c "$size" <&$fd >"$work/$name.out"
    wait $writer
    exec {fd}>&-
    cmp -s "$work/$name.in" "$work/$name.out"
}

# Several clients at once, each with its own data; all must come back intact.
concurrent_clients() { # concurrent_clients COUNT SIZE
    local count=$1 size=$2 i pids=() ok=0
    for i in $(seq "$count"); do
        echo_client "c$i" "$size" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do
        wait "$i" || ok=1
    done
    return $ok
}

# A client that connects and closes without sending a byte (the server's AcceptEx,
# which waits for the first data, must complete and the server go on).
silent_client() {
    local fd
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
    exec {fd}>&-
    sleep 0.2
}

# The server listens on 127.0.0.1, port chosen by the system. Job control is on while it
# starts: bash would otherwise start it with SIGINT ignored.
set -m
"$@" -e:0 -l:127.0.0.1 >"$work/server.out" 2>&1 &
server_pid=$!
set +m
port=""
for _ in $(seq 200); do
    port=$(tr -d '\r' <"$work/server.out" | sed -n 's/^iocpserver listening on 127\.0\.0\.1 port \([0-9][0-9]*\)$/\1/p')
    if [ -n "$port" ] || ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    sleep 0.1
done
check "the server starts and reports its port" test -n "$port"
[ -n "$port" ] || finish

check "one client, 11 bytes" echo_client one 11
check "one client, 1 MiB" echo_client big $((1024 * 1024))
check "8 clients at once, 200 KiB each" concurrent_clients 8 $((200 * 1024))
check "a client that sends nothing and closes" silent_client
check "16 clients at once after it, 5000 bytes each" concurrent_clients 16 5000

# An idle client: one echo, then it stays connected while the server is stopped.
exec {idle}<>"/dev/tcp/127.0.0.1/$port"
printf 'idle' >&$idle
check "the idle client's first echo" test "$(timeout 10 head -c 4 <&$idle)" = idle

kill -INT "$server_pid"
status=""
for _ in $(seq 200); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        wait "$server_pid"
        status=$?
        server_pid=""
        break
    fi
    sleep 0.1
done
check "SIGINT stops the server within 20 s" test -n "$status"
check "the server exits with status 0" test "${status:-none}" = 0
# The server closed the idle connection: reading it comes to an end.
idle_disconnected() { timeout 10 cat <&$idle >/dev/null; }
check "the idle client is disconnected" idle_disconnected
exec {idle}>&-
summary=$(tr -d '\r' <"$work/server.out" | grep -E '^iocpserver is exiting: [0-9]+ connections, [0-9]+ requests$')
check "the server prints its exit line" test -n "$summary"
# one + big + 8 + silent + 16 + idle = 28 connections
connections=$(echo "$summary" | sed -n 's/^iocpserver is exiting: \([0-9]*\) connections.*/\1/p')
check "the server counted 28 connections" test "${connections:-0}" -eq 28
finish
