#!/usr/bin/env bash
# run.sh BUILD_DIR: installs the build into a temporary prefix and builds a Win32
# program against the installed package three ways: gcc + pkg-config, g++ + pkg-config,
# CMake find_package; and the C++20 layer (consumer.cpp, -std=c++20) with pkg-config and
# with CMake. Each must build and print "consumer ok".
set -uo pipefail
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
passed=0
failed=0

check() {  # name command...
    local name=$1
    shift
    if "$@" >"$work/$name.log" 2>&1 && grep -q "consumer ok" "$work/$name.log"; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        cat "$work/$name.log"
        failed=$((failed + 1))
    fi
}

if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
    cat "$work/install.log"
    echo "0 passed, 1 failed"
    exit 1
fi
libdir=$(dirname "$(find "$prefix" -name overlapped.pc | head -1)")/..
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export LD_LIBRARY_PATH="$libdir"

build_and_run_c() {
    gcc -Wall -Wextra -Werror "$here/consumer.c" $(pkg-config --cflags --libs overlapped) -o "$work/consumer_c" &&
        "$work/consumer_c"
}
build_and_run_cxx() {
    g++ -Wall -Wextra -Werror -x c++ "$here/consumer.c" -x none $(pkg-config --cflags --libs overlapped) \
        -o "$work/consumer_cxx" && "$work/consumer_cxx"
}
build_and_run_cxx20() {
    g++ -std=c++20 -Wall -Wextra -Werror "$here/consumer.cpp" $(pkg-config --cflags --libs overlapped) \
        -o "$work/consumer_cpp" && "$work/consumer_cpp"
}
build_and_run_cmake() {
    cmake -S "$here/cmake-consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" &&
        cmake --build "$work/cmake" && "$work/cmake/consumer" && "$work/cmake/consumer_cpp"
}

check pkg-config-c build_and_run_c
check pkg-config-cxx build_and_run_cxx
check pkg-config-cxx20-layer build_and_run_cxx20
check cmake-find-package build_and_run_cmake
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
