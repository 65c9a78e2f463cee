#!/usr/bin/env bash
# test.sh: the whole test suite, as CI runs it (.ci/run calls exactly this).
#
# Stages: the suite (ctest) in a plain build, under ASan+UBSan and under TSan, each on
# both engines (and the plain build once more under a seccomp filter that refuses
# io_uring); the
# install test (a program built against the installed package, C, C++ and CMake); the
# Win32 tests built with mingw-w64 and run under Wine. Every stage runs even when an
# earlier one failed. The last line is "N passed, M failed" over all test programs.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

jobs=$(nproc 2>/dev/null || echo 2)
# Tests run side by side, two per processor: most of their time is spent waiting
# (time-outs, sleeps, a child process), not computing; a run of the release suite
# went from 110 s one at a time to 30 s, TSan's from 170 s to 58 s, with no failures in
# 8 runs on 2 processors. Their timing checks leave room for a busy machine (a wait of
# 250 ms is checked against seconds, not milliseconds). OVERLAPPED_TEST_JOBS=1 runs
# them one at a time again.
test_jobs=${OVERLAPPED_TEST_JOBS:-$((jobs * 2))}
total_passed=0
total_failed=0
summary=()

record() {  # record NAME PASSED FAILED
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    summary+=("$(printf '%-22s %5d passed %5d failed' "$1" "$2" "$3")")
}

# Configurations: name | compiler flags | extra cmake arguments | environment for the tests.
# Each stage builds RelWithDebInfo with its own optimisation and debug level (the build
# is most of CI's time on 2 processors): -g1 gives the line tables that sanitizer reports
# and backtraces need, without full debug info (a third of the compile time); ASan+UBSan
# at -O1, as the sanitizer docs advise, compiles in half the time of -O2 (30 s -> 14 s
# for tests/cpp/test_cancel.cpp), where GCC 12's -Wmaybe-uninitialized then misreads
# libstdc++'s std::optional<std::stop_callback> under ASan's instrumentation (a false
# positive GCC documents for -fsanitize; plain -O1 and -O2 builds keep the warning);
# TSan keeps -O2, its tests being the slowest to run.
configurations=(
    "release|-O2 -g1||"
    "asan-ubsan|-O1 -g1 -Wno-maybe-uninitialized|-DOVERLAPPED_SANITIZE=address,undefined -DOVERLAPPED_BUILD_BENCH=OFF -DOVERLAPPED_BUILD_EXAMPLES=OFF|ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    "tsan|-O2 -g1|-DOVERLAPPED_SANITIZE=thread -DOVERLAPPED_BUILD_BENCH=OFF -DOVERLAPPED_BUILD_EXAMPLES=OFF|TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1"
)

run_ctest() {  # name dir env [launcher]: one ctest run of a built configuration
    local name=$1 dir=$2 test_env=$3 launcher=${4:-}
    echo "=== $name: ctest"
    local log="build/$name.ctest.log"
    # shellcheck disable=SC2086
    (cd "$dir" && env $test_env $launcher ctest -j "$test_jobs" --output-on-failure --timeout 300) 2>&1 | tee "$log"
    local passed failed
    passed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed' "$log")
    failed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*(\*\*\*|Failed|Timeout|Not Run)' "$log")
    [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && failed=1  # ctest itself did not run
    record "$name" "$passed" "$failed"
}

run_ctest_stage() {  # name flags cmake-args env
    local name=$1 flags="$2 -DNDEBUG" cmake_args=$3 test_env=$4
    local dir="build/$name"
    echo "=== $name: configure and build"
    # shellcheck disable=SC2086
    if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" $cmake_args >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        record "$name" 0 1
        return
    fi
    if ! cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
        tail -50 "$dir.build.log"
        record "$name" 0 1
        return
    fi
    # Both engines: auto (io_uring where the kernel allows it) and the fallback forced.
    run_ctest "$name" "$dir" "$test_env"
    run_ctest "$name-fallback" "$dir" "$test_env OVERLAPPED_ENGINE=fallback"
    # And once where io_uring is refused as Docker refuses it, with no configuration:
    # the library must notice and use the fallback by itself.
    if [ "$name" = release ]; then
        run_ctest "$name-no-io_uring" "$dir" "$test_env" "$root/$dir/tests/no_io_uring"
    fi
}

mkdir -p build
for configuration in "${configurations[@]}"; do
    IFS='|' read -r name flags cmake_args test_env <<<"$configuration"
    run_ctest_stage "$name" "$flags" "$cmake_args" "$test_env"
done

echo "=== install test"
install_log=build/install-test.log
bash tests/install/run.sh build/release 2>&1 | tee "$install_log"
read -r p f < <(tail -1 "$install_log" | awk '/passed/ {print $1, $3}')
record "install" "${p:-0}" "${f:-1}"

if command -v wine >/dev/null 2>&1 && command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "=== wine: the Win32 tests on Wine (checks the tests themselves)"
    wine_log=build/wine-test.log
    bash tests/run-wine.sh build/wine 2>&1 | tee "$wine_log"
    read -r p f < <(tail -1 "$wine_log" | awk '/passed/ {print $1, $3}')
    record "wine" "${p:-0}" "${f:-1}"
elif [ -n "${CI:-}" ]; then
    echo "=== wine: wine or mingw-w64 missing after installing the dependencies"
    record "wine" 0 1
else
    echo "=== wine: not available, stage skipped"
fi

echo
echo "=== summary (test programs per stage)"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
