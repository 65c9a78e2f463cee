#!/usr/bin/env bash
# run-wine.sh [OUT_DIR]: builds every tests/win32/test_*.c with mingw-w64 and runs it
# under Wine. This checks the tests themselves: a Windows fact our tests state must hold
# on Wine too, except where a check is marked WINE_DEVIATION (docs/deviations.md).
# Ends with "N passed, M failed" (per test program).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-build/wine}" && cd "${1:-build/wine}" && pwd)
export WINEPREFIX="$out/prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
export OVERLAPPED_UNDER_WINE=1
export OVERLAPPED_STRESS_PACKETS=${OVERLAPPED_STRESS_PACKETS:-20000}

if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "creating the Wine prefix (first run only)"
    timeout 300 wineboot -i >/dev/null 2>&1 || true
    timeout 120 wineserver -w >/dev/null 2>&1 || true
fi

passed=0
failed=0
second_runs=0
# run_once LOG RUN...: runs RUN (output to LOG); sets rc (its exit status) and last (its
# summary line, empty if it printed none).
run_once() {
    local log=$1
    shift
    timeout 300 "$@" >"$log" 2>&1
    rc=$?
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
}
# check NAME LOG RUN...: runs RUN (output to LOG) and counts the program as passed when it
# exits 0 with a summary line. A program that fails is run once more: Wine itself now and
# then fails to start a process (seen once in CI: the first CreateProcess of a test
# failed, and another program ended within 4 ms with no output at all; both passed when
# run again, and in three more whole runs of this stage). One that passes the second time
# is reported so, with what its first run printed (LOG.first), and counted apart; one
# that fails twice is a failure.
check() {
    local name=$1 log=$2
    shift 2
    local rc last
    run_once "$log" "$@"
    if [ $rc -ne 0 ] || [ -z "$last" ]; then
        local first_rc=$rc first_last=$last
        mv "$log" "$log.first"
        run_once "$log" "$@"
        if [ $rc -eq 0 ] && [ -n "$last" ]; then
            echo "ok   $name: $last (on a second run; the first: exit $first_rc, ${first_last:-no summary line})"
            grep -E '^FAIL' "$log.first" | head -5 | sed 's/^/  first run | /'
            passed=$((passed + 1))
            second_runs=$((second_runs + 1))
            return
        fi
    fi
    if [ $rc -eq 0 ] && [ -n "$last" ]; then
        echo "ok   $name: $last"
        passed=$((passed + 1))
    else
        echo "FAIL $name (exit $rc): ${last:-no summary line}"
        grep -E '^FAIL' "$log" | head -20
        echo "  the log's last lines:"
        tail -n 12 "$log" | sed 's/^/  | /'
        failed=$((failed + 1))
    fi
}
# Every program is compiled first, one compile per processor at a time (the compiles are
# most of this stage's time: about 2 s per C test and 8 s per C++20 test), then they run
# under Wine one after another, with nothing else running.
programs=()    # names, in the order they run
# build NAME COMPILER...: compiles in the background (output to NAME.build.log, status
# to NAME.build.rc), waiting first while as many compiles as processors are running.
build() {
    local name=$1
    shift
    programs+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$build_jobs" ]; do wait -n; done
    rm -f "$out/$name.build.rc"
    ( "$@" >"$out/$name.build.log" 2>&1; echo $? >"$out/$name.build.rc" ) &
}
build_jobs=$(nproc 2>/dev/null || echo 2)

for source in "$here"/win32/test_*.c; do
    name=$(basename "$source" .c)
    # A test built with _UNICODE starts at wmain (_tmain), which mingw-w64 needs told.
    unicode=()
    grep -q '^#define _UNICODE' "$source" && unicode=(-municode)
    build "$name" x86_64-w64-mingw32-gcc -O1 -Wall -Wextra -Werror "${unicode[@]}" -I"$here/win32" "$source" \
        -o "$out/$name.exe" -lws2_32 -lmswsock -lntdll -lshell32
done

# The SDK-style IOCP server (tests/sdk_sample): built with mingw g++ and driven by its
# run.sh, which ends with its own "N passed, M failed".
build sdk_sample x86_64-w64-mingw32-g++ -std=c++17 -O1 -Wall -Wno-unknown-pragmas -Werror \
    "$here/sdk_sample/iocpserver.cpp" -o "$out/iocpserver.exe" -lws2_32 -lmswsock

# The C++20 layer's tests (tests/cpp): the header uses only Win32, so mingw-w64's own
# headers and libraries serve it. -O2: symmetric transfer needs GCC's tail calls.
for source in "$here"/cpp/test_*.cpp; do
    name=cpp_$(basename "$source" .cpp)
    build "$name" x86_64-w64-mingw32-g++-posix -std=c++20 -O2 -Wall -Wextra -Werror -I"$here/../include" \
        -I"$here/cpp" "$source" -o "$out/$name.exe" -static -lws2_32 -lmswsock
done
wait

# One wineserver for all the runs, kept alive until the end: a wineserver exits a few
# seconds after its last client, and a program started just as it exits loses it ("wine
# client error:0: recvmsg: Connection reset by peer", no summary line), as back-to-back
# runs showed.
timeout 60 wineserver -w >/dev/null 2>&1 || true
wineserver -p >/dev/null 2>&1 || true

for name in "${programs[@]}"; do
    if [ "$(cat "$out/$name.build.rc" 2>/dev/null)" != 0 ]; then
        echo "FAIL $name (mingw build)"
        cat "$out/$name.build.log"
        failed=$((failed + 1))
        continue
    fi
    if [ "$name" = sdk_sample ]; then
        check "$name" "$out/$name.log" bash "$here/sdk_sample/run.sh" wine "$out/iocpserver.exe"
    else
        check "$name" "$out/$name.log" wine "$out/$name.exe"
    fi
done

timeout 60 wineserver -k >/dev/null 2>&1 || true
[ "$second_runs" -ne 0 ] && echo "($second_runs of the programs that passed did so only on a second run: see above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
