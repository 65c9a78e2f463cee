#!/usr/bin/env bash
# demo.sh: from a fresh Debian 12 machine to the running demo: installs what is
# needed, builds the library and the examples, runs examples/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --target demo
./build/release/examples/demo/demo
