#!/usr/bin/env bash
# demo.sh: from a fresh Debian 12 machine to the running demo: installs what is
# needed, builds the library and the examples, runs examples/demo, then copies a
# 64 MiB file with examples/filecopy and verifies the copy.
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
trap 'rm -rf "$scratch"' EXIT
head -c 64M /dev/urandom >"$scratch/source"
echo "filecopy --verify: 64 MiB of random data"
./build/release/examples/filecopy/filecopy --verify "$scratch/source" "$scratch/copy"
