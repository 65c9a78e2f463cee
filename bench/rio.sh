#!/usr/bin/env bash
# rio.sh BUILD_DIR [--runs N] [--quick]: Winsock registered I/O (RIO) beside overlapped
# WSARecv/WSASend on a completion port, and raw liburing; about 20 s a run (8 s with
# --quick). Runs, interleaved, N times (3 by default):
#   ours      BUILD_DIR/bench/bench_rio (win32/bench_rio.c): a 64 B TCP ping-pong over
#             loopback and a 16 KiB stream, each through RIO polled (RIODequeueCompletion),
#             RIO with RIONotify on a completion port, and WSARecv/WSASend on a port
#   fallback  the same with OVERLAPPED_ENGINE=fallback (epoll + thread pool)
#   uring     BUILD_DIR/bench/uring_rio (anchors/uring_rio.c): the same work on a raw ring
#   fixed     uring_rio --fixed: with io_uring's registered buffers (READ_FIXED/WRITE_FIXED)
# Prints each metric's median and its ratio to liburing ("times better": anchor/ours for
# latency, ours/anchor for throughput). No target is set: the numbers are reported
# (bench/README.md). Not run by run.sh.
set -uo pipefail
runs=3
quick=""
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --quick) quick=--quick; shift ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: rio.sh BUILD_DIR [--runs N] [--quick]}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/host_steal.sh"
ticks_at_start=$(host_ticks)
results=$(mktemp)
trap 'rm -f "$results"' EXIT

run() { # label command...: appends "label metric value" for each METRIC line
    local label=$1; shift
    timeout 180 "$@" $quick 2>&1 | awk -v label="$label" '$1 == "METRIC" {print label, $2, $3} $1 == "NOTE" || /failed/ {print "#", $0 > "/dev/stderr"}' >>"$results"
}

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((i = 1; i <= runs; i++)); do
    echo "# run $i of $runs" >&2
    run ours "$build/bench/bench_rio"
    run anchor "$build/bench/uring_rio"
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_rio"
    run anchor "$build/bench/uring_rio" --fixed
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg); host steal during the runs: $(steal_pct "$ticks_at_start" "$(host_ticks)")%" >&2

python3 - "$results" <<'PY'
import statistics, sys
values = {}
for line in open(sys.argv[1]):
    label, metric, value = line.split()
    values.setdefault((label, metric), []).append(float(value))
def median(label, metric):
    v = values.get((label, metric))
    return statistics.median(v) if v else None
def fmt(x):
    return "n/a" if x is None else (f"{x:.3g}" if x < 100 else f"{x:,.0f}")
print(f"{'metric':<26} {'io_uring':>10} {'fallback':>10} {'liburing':>10} {'fixed':>10} {'vs liburing':>12}")
for kind, higher in (("pingpong_us", False), ("stream_mbps", True)):
    anchor = median("anchor", f"uring_{kind}")
    fixed = median("anchor", f"uring_fixed_{kind}")
    for way in ("rio_poll", "rio_notify", "wsa_iocp"):
        metric = f"{way}_{kind}"
        ours, fallback = median("ours", metric), median("fallback", metric)
        ratio = None
        if ours and anchor: ratio = ours / anchor if higher else anchor / ours
        print(f"{metric:<26} {fmt(ours):>10} {fmt(fallback):>10} {fmt(anchor):>10} {fmt(fixed):>10} "
              f"{'n/a' if ratio is None else f'{ratio:.2f}x':>12}")
PY
