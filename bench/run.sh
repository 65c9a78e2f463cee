#!/usr/bin/env bash
# run.sh [--quick] [--runs N] BUILD_DIR: runs the benchmarks side by side and prints
# medians and ratios. BUILD_DIR is a build with -DOVERLAPPED_BUILD_BENCH=ON (Release);
# its bench/ holds our programs and the native anchors. The same Win32 sources are built
# with mingw-w64 and run under Wine for the Wine column, if both are installed.
#
# The file benchmarks read a 1 GiB file in $OVERLAPPED_BENCH_DIR (default BUILD_DIR/bench/data,
# which should be on a disk file system: tmpfs refuses O_DIRECT); it is created on first use
# and kept. bench/filecopy.sh puts one copy of it at a time beside it.
#
# Then, if BUILD_DIR/bench/loadgen is built, bench/echo.sh runs the echo-server benchmarks
# (our IOCP echo server against epoll, liburing and Boost.Asio servers and Wine) and prints
# their table; and if BUILD_DIR/bench/pipe_raw is built, bench/pipes.sh the pipe and
# process benchmarks of issue 13 (named pipes against Unix sockets, CreateProcess against
# posix_spawn, and Wine).
#
# Ratios are always "how many times better we are": throughput ours/anchor, latency
# anchor/ours. A target passes when the ratio is at least the number shown.
set -uo pipefail
quick=""
runs=5
while [ $# -gt 1 ]; do
    case $1 in
    --quick) quick="--quick"; shift ;;
    --runs) runs=$2; shift 2 ;;
    *) break ;;
    esac
done
build=$(cd "${1:?usage: run.sh [--quick] [--runs N] BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
results=$(mktemp)
trap 'rm -f "$results"' EXIT

data_dir=${OVERLAPPED_BENCH_DIR:-$build/bench/data}
mkdir -p "$data_dir"
data_file="$(cd "$data_dir" && pwd)/overlapped-bench-1g.dat"
echo "# file benchmarks: $data_file on $(findmnt -n -o FSTYPE -T "$data_dir" 2>/dev/null || stat -f -c %T "$data_dir")," \
    "$(df -h --output=avail "$data_dir" | tail -1 | tr -d ' ') free"

wine_ok=""
if command -v wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null; then
    mkdir -p "$build/bench/wine"
    export WINEPREFIX="$build/bench/wine/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    wine_ok=yes
    for name in bench_event bench_file bench_iocp; do
        x86_64-w64-mingw32-gcc -O2 -I"$here/win32" "$here/win32/$name.c" -o "$build/bench/wine/$name.exe" || wine_ok=""
    done
    [ -f "$WINEPREFIX/system.reg" ] || timeout 300 wineboot -i >/dev/null 2>&1
else
    echo "# wine: not available, no Wine column"
fi

run() {  # label command...: appends "label metric value" lines
    local label=$1
    shift
    "$@" $quick 2>/dev/null | awk -v label="$label" '$1 == "METRIC" {print label, $2, $3}' >>"$results"
}
run_copies() {  # filecopy's time is ours, cp's and dd's are anchors
    bash "$here/filecopy.sh" "$build" "$data_file" |
        awk '$1 == "METRIC" {print ($2 ~ /^filecopy/ ? "ours" : "anchor"), $2, $3}' >>"$results"
}

for ((i = 1; i <= runs; i++)); do
    echo "# run $i of $runs" >&2
    run ours "$build/bench/bench_event"
    run ours "$build/bench/bench_iocp"
    run anchor "$build/bench/futex_pingpong"
    [ -x "$build/bench/asio_post" ] && run anchor "$build/bench/asio_post"
    run ours "$build/bench/bench_file" "$data_file"
    run anchor "$build/bench/uring_file" "$data_file"
    # The same programs on the fallback engine (epoll + thread pool, docs/engines.md).
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_event"
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_iocp"
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_file" "$data_file"
    run_copies
done
# Wine last: its wineserver lingers after a program ends and would disturb native runs.
if [ -n "$wine_ok" ]; then
    for ((i = 1; i <= (runs < 3 ? runs : 3); i++)); do  # Wine is slow and steady
        echo "# wine run $i" >&2
        run wine timeout 120 wine "$build/bench/wine/bench_event.exe"
        run wine timeout 120 wine "$build/bench/wine/bench_iocp.exe"
        # Wine reads a file at ~15k IOPS: always the short run.
        run wine timeout 120 wine "$build/bench/wine/bench_file.exe" --quick "$(winepath -w "$data_file" 2>/dev/null)"
    done
    timeout 60 wineserver -k >/dev/null 2>&1
fi

python3 - "$results" <<'PY'
import statistics, sys
values = {}
for line in open(sys.argv[1]):
    label, metric, value = line.split()
    values.setdefault((label, metric), []).append(float(value))
def median(label, metric):
    v = values.get((label, metric))
    return statistics.median(v) if v else None
def ratio(a, b, higher):  # "times better": a/b for throughput, b/a for latency
    if a is None or b is None or a == 0 or b == 0: return None
    return a / b if higher else b / a
def fmt(x, unit=""):
    return "n/a" if x is None else (f"{x:.3g}{unit}" if x < 100 else f"{x:,.0f}{unit}")
# (ours, anchor label, anchor metric, higher_is_better, target vs anchor, target vs wine)
rows = [
    ("iocp_post_get_1thread_mops", "anchor", "asio_post_run_one_1thread_mops", True, 1.0, 1000),
    ("iocp_post_get_1thread_mops", "anchor", "asio_repost_1thread_mops", True, None, None),
    ("iocp_post_get_2thread_mops", "anchor", "asio_post_run_2thread_mops", True, 1.0, 10),
    ("iocp_getex64_mops", "ours", "iocp_post_get_2thread_mops", True, None, 10),
    ("iocp_drain_getex64_mops", "ours", "iocp_drain_get_mops", True, 3.0, 10),
    ("iocp_pingpong_us", "anchor", "futex_roundtrip_us", False, 1 / 1.3, 10),
    ("event_roundtrip_us", "anchor", "futex_roundtrip_us", False, None, 10),
    ("wait_signalled_ns", None, None, False, None, 10),
    ("file_randread_port_kiops", "anchor", "uring_randread_kiops", True, 0.9, 20),
    ("file_randread_port_kiops", "anchor", "pread_qd1_kiops", True, None, None),
    ("file_randread_event_kiops", "ours", "file_randread_port_kiops", True, None, None),
    ("file_randread_apc_kiops", "ours", "file_randread_port_kiops", True, None, None),
    ("file_seqread_1m_mbps", "anchor", "uring_seqread_1m_mbps", True, 0.9, None),
    ("file_randread_nobuf_port_kiops", "anchor", "uring_randread_direct_kiops", True, 0.9, None),
    ("file_seqread_1m_nobuf_mbps", "anchor", "uring_seqread_1m_direct_mbps", True, 0.9, None),
    ("filecopy_1g_s", "anchor", "cp_1g_s", False, None, None),
    ("filecopy_1g_s", "anchor", "dd_1g_s", False, None, None),
    ("filecopy_1g_s", "anchor", "dd_direct_1g_s", False, None, None),
]
print(f"{'ours':30} {'value':>9}   {'against':32} {'value':>9} {'ratio':>7} {'target':>7}   {'wine':>9} {'x wine':>8}")
for ours_metric, anchor_label, anchor_metric, higher, target, wine_target in rows:
    ours = median("ours", ours_metric)
    anchor = median(anchor_label, anchor_metric) if anchor_label else None
    wine = median("wine", ours_metric)
    r = ratio(ours, anchor, higher)
    rw = ratio(ours, wine, higher)
    verdict = "" if target is None or r is None else ("PASS" if r >= target else "MISS")
    wverdict = "" if wine_target is None or rw is None else ("PASS" if rw >= wine_target else "MISS")
    name = (anchor_metric if anchor_label != "ours" else "ours " + anchor_metric) if anchor_metric else "-"
    print(f"{ours_metric:30} {fmt(ours):>9}   {name:32} {fmt(anchor):>9} {fmt(r, 'x'):>7} "
          f"{('>=' + format(target, '.2g')) if target else '':>7} {verdict:4} {fmt(wine):>9} {fmt(rw, 'x'):>8} {wverdict}")
print("ratios: throughput ours/anchor, latency anchor/ours (higher is better); medians of the runs")

# The fallback engine beside io_uring: every metric of our programs, same run.
fallback_targets = {"file_randread_port_kiops": 0.4}
print()
print(f"{'fallback engine':30} {'value':>9}   {'io_uring':>9} {'ratio':>7} {'target':>7}   {'wine':>9} {'x wine':>8}")
seen = set()
for ours_metric, *_ in rows:
    if ours_metric in seen or ours_metric.startswith("filecopy"): continue
    seen.add(ours_metric)
    higher = not ours_metric.endswith(("_us", "_ns", "_s"))
    fb = median("fallback", ours_metric)
    uring = median("ours", ours_metric)
    wine = median("wine", ours_metric)
    r, rw = ratio(fb, uring, higher), ratio(fb, wine, higher)
    target = fallback_targets.get(ours_metric)
    verdict = "" if target is None or r is None else ("PASS" if r >= target else "MISS")
    wverdict = "" if rw is None else ("PASS" if rw >= 10 else "MISS")
    print(f"{ours_metric:30} {fmt(fb):>9}   {fmt(uring):>9} {fmt(r, 'x'):>7} "
          f"{('>=' + format(target, '.2g')) if target else '':>7} {verdict:4} {fmt(wine):>9} {fmt(rw, 'x'):>8} {wverdict}")
print("fallback ratios: fallback/io_uring and fallback/Wine (target: at least 10x Wine everywhere)")
PY

# The echo-server benchmarks (bench/echo.sh): their own table, when the load generator is
# built. They start their own Wine session after the one above has ended.
if [ -x "$build/bench/loadgen" ]; then
    echo
    bash "$here/echo.sh" "$build" ${quick:+--quick} --runs "$runs"
fi
# The pipe and process benchmarks (bench/pipes.sh): their own table, when the raw
# anchors are built (the Win32 programs join once the library declares their functions).
if [ -x "$build/bench/pipe_raw" ]; then
    echo
    bash "$here/pipes.sh" "$build" ${quick:+--quick} --runs "$runs"
fi
