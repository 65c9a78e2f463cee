#!/usr/bin/env bash
# demo.sh: from a fresh Debian 12 machine to the running demo: installs what is
# needed, builds the library and the examples, runs examples/demo, then copies a
# 64 MiB file with examples/filecopy and verifies the copy, then (once the Winsock
# headers exist) loads examples/echo_server with examples/echo_client for 3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --target demo
./build/release/examples/demo/demo

# FileCopy (examples/filecopy): the book's unbuffered overlapped copy through a completion
# port, on 64 MiB of random data, then compared byte for byte.
cmake --build build/release --target filecopy >/dev/null
scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/overlapped-filecopy.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
head -c 64M /dev/urandom >"$scratch/source"
echo "filecopy --verify: 64 MiB of random data"
./build/release/examples/filecopy/filecopy --verify "$scratch/source" "$scratch/copy"

# Echo (examples/echo_server, examples/echo_client): the IOCP echo server on a free port,
# 3 s of load from the client (8 connections, every echoed byte checked), then Ctrl-C
# (SIGINT) and the server's counters. These examples are built only once the Winsock
# headers exist (examples/CMakeLists.txt).
if [ -f include/win32/winsock2.h ]; then
    cmake --build build/release --target echo_server echo_client >/dev/null
    echo_server=./build/release/examples/echo_server/echo_server
    echo_client=./build/release/examples/echo_client/echo_client
    # Started with job control on (set -m): without it, bash starts a background command
    # with SIGINT ignored, and the kill -INT below would not reach the server.
    set -m
    "$echo_server" -p 0 -q >"$scratch/echo_server.out" &
    server_pid=$!
    set +m
    # Its first line is "listening on 127.0.0.1:<port>".
    port=""
    for _ in $(seq 100); do
        port=$(tr -d '\r' <"$scratch/echo_server.out" | sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p')
        if [ -n "$port" ] || ! kill -0 "$server_pid" 2>/dev/null; then break; fi
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "echo_server did not start:"
        cat "$scratch/echo_server.out"
        exit 1
    fi
    echo "echo_client: 3 s against echo_server on 127.0.0.1:$port"
    "$echo_client" -p "$port" -d 3
    kill -INT "$server_pid"
    wait "$server_pid" # set -e: a server that does not exit with 0 fails the demo
    server_pid=""
    echo "echo_server: $(tr -d '\r' <"$scratch/echo_server.out" | tail -n 1)"
fi
