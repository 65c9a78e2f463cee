#!/usr/bin/env bash
# demo.sh: from a fresh Debian 12 machine to the running demo: installs what is
# needed, builds the library and the examples, runs examples/demo, then copies a
# 64 MiB file with examples/filecopy and verifies the copy, then (once the Winsock
# headers exist) loads examples/echo_server with examples/echo_client for 3 s; then the
# same two with the C++20 coroutine layer (examples/cpp: file_copy, echo_server).
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
# The same copy as C++20 coroutines over <overlapped/overlapped.hpp> (examples/cpp).
cmake --build build/release --target cpp_file_copy >/dev/null
echo "file_copy (C++20 coroutines) --verify: the same 64 MiB"
./build/release/examples/cpp/file_copy --verify "$scratch/source" "$scratch/copy-cpp"

# Echo (examples/echo_server, examples/echo_client): the IOCP echo server on a free port,
# 3 s of load from the client (8 connections, every echoed byte checked), then Ctrl-C
# (SIGINT) and the server's counters. These examples are built only once the Winsock
# headers exist (examples/CMakeLists.txt).
# run_echo NAME SERVER: SERVER on a free port, 3 s of echo_client, Ctrl-C, its counters.
run_echo() {
    local name=$1 echo_server=$2
    # Started with job control on (set -m): without it, bash starts a background command
    # with SIGINT ignored, and the kill -INT below would not reach the server.
    set -m
    "$echo_server" -p 0 -q >"$scratch/$name.out" &
    server_pid=$!
    set +m
    # Its first line is "listening on 127.0.0.1:<port>".
    port=""
    for _ in $(seq 100); do
        port=$(tr -d '\r' <"$scratch/$name.out" | sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p')
        if [ -n "$port" ] || ! kill -0 "$server_pid" 2>/dev/null; then break; fi
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "$name did not start:"
        cat "$scratch/$name.out"
        exit 1
    fi
    echo "echo_client: 3 s against $name on 127.0.0.1:$port"
    "$echo_client" -p "$port" -d 3
    kill -INT "$server_pid"
    wait "$server_pid" # set -e: a server that does not exit with 0 fails the demo
    server_pid=""
    echo "$name: $(tr -d '\r' <"$scratch/$name.out" | tail -n 1)"
}
if [ -f include/win32/winsock2.h ]; then
    cmake --build build/release --target echo_server echo_client cpp_echo_server >/dev/null
    echo_client=./build/release/examples/echo_client/echo_client
    run_echo echo_server ./build/release/examples/echo_server/echo_server
    # The same server as C++20 coroutines (examples/cpp/echo_server.cpp).
    run_echo "echo_server (C++20 coroutines)" ./build/release/examples/cpp/echo_server
fi
