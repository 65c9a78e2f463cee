#!/usr/bin/env bash
# cpp.sh BUILD_DIR [--quick] [--runs N]: the C++20 layer's file numbers of issue 16.
# Interleaves, over N runs (5 by default), the C completion-port program and the coroutine
# program doing the same work, and prints medians and ratios against the targets:
#   C       BUILD_DIR/bench/bench_file --only=randread_port, then --only=randread_skip
#           (bench/win32/bench_file.c: 4 KiB random reads of the page-cached 1 GiB file,
#           32 in flight, one thread on a port of concurrency 1, GetQueuedCompletionStatusEx)
#   coro    BUILD_DIR/bench/bench_file_coro (bench/cpp/bench_file_coro.cpp: the same reads,
#           one coroutine per request in flight, co_await file::read_at on an io_context)
# Rows: port (every completion through the port) and skip (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS:
# a read finished at once resumes at once); coroutine/C >= 0.95 is the target of both.
# coro_allocs_per_op: operator new calls per read in the coroutine program (the library's
# included); the target is 0. The echo rows of the issue are bench/echo.sh's (its C++ column
# runs examples/cpp/echo_server). bench/README.md ("The C++20 layer") documents the rows.
# Both programs take the bench file as bench_file does ($OVERLAPPED_BENCH_FILE or the 1 GiB
# file in the temporary directory, created when missing).
set -uo pipefail
quick=""
runs=5
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=--quick; shift ;;
    --runs) runs=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: cpp.sh BUILD_DIR [--quick] [--runs N]}" && pwd)
c_prog=$build/bench/bench_file
coro_prog=$build/bench/bench_file_coro
for p in "$c_prog" "$coro_prog"; do
    if [ ! -x "$p" ]; then
        echo "# cpp benchmarks: $p is not built; skipped"
        exit 0
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

metric() { awk -v m="$1" '$1 == "METRIC" && $2 == m {print $3}'; }
for ((run = 1; run <= runs; ++run)); do
    # Alternate which program goes first, so that neither always runs on a warmer machine.
    if ((run % 2)); then order="c coro"; else order="coro c"; fi
    for who in $order; do
        if [ "$who" = c ]; then
            "$c_prog" $quick --only=randread_port 2>/dev/null | metric file_randread_port_kiops >>"$work/c_port"
            "$c_prog" $quick --only=randread_skip 2>/dev/null | metric file_randread_skip_kiops >>"$work/c_skip"
        else
            out=$("$coro_prog" $quick 2>/dev/null)
            metric file_randread_coro_port_kiops <<<"$out" >>"$work/coro_port"
            metric file_randread_coro_skip_kiops <<<"$out" >>"$work/coro_skip"
            metric coro_allocs_per_op <<<"$out" >>"$work/allocs"
        fi
    done
done

median() { sort -g "$1" 2>/dev/null | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {if (r == "-") print "-"; else if (r + 0 >= t + 0) print "pass"; else print "FAIL"}'; }
printf '%-48s %10s %10s %7s %7s\n' "C++20 layer, 4 KiB random reads QD32 (kiops)" C coro ratio target
for row in port skip; do
    c=$(median "$work/c_$row")
    coro=$(median "$work/coro_$row")
    r=$(ratio "$coro" "$c")
    printf '%-48s %10s %10s %7s %7s %s\n' "  $row (file_randread_coro_${row}_kiops)" "$c" "$coro" "$r" ">=0.95" "$(verdict "$r" 0.95)"
done
allocs=$(median "$work/allocs")
pass=$(awk -v a="$allocs" 'BEGIN {print (a != "-" && a + 0 == 0) ? "pass" : "FAIL"}')
printf '%-48s %10s %10s %7s %7s %s\n' "allocations per read (coro_allocs_per_op)" "" "$allocs" "" "0" "$pass"
echo "medians of $runs runs, interleaved; ratio: coroutine program against the C program"
