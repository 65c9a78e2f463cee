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
# If fio is installed, it reads the same file as a further anchor (io_uring and psync
# engines); without it those columns are n/a. Each run ends with the cold-cache
# measurements: the file is dropped from the page cache (anchors/uring_file --drop-cache)
# right before each of them; the next run's programs read the whole file again first.
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
source "$here/host_steal.sh"
ticks_at_start=$(host_ticks)
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

fio_ok=""
if command -v fio >/dev/null; then
    fio_ok=yes
else
    echo "# fio: not installed, no fio anchors (n/a; scripts/install-deps.sh installs it)"
fi

hung=()
run() {  # label command...: appends "label metric value" lines. A program still running
         # after 180 s (the longest, a full bench_file, takes well under a minute) is
         # stopped and reported as hung: the metrics it had printed count, the run goes on,
         # and run.sh exits 1 at the end.
    local label=$1
    shift
    timeout -k 10 180 "$@" $quick 2>/dev/null | awk -v label="$label" '$1 == "METRIC" {print label, $2, $3}' >>"$results"
    local status=${PIPESTATUS[0]}
    if ((status == 124 || status == 137)); then  # timed out (137: it needed SIGKILL too)
        hung+=("$label: $*")
        echo "# HUNG: $label: $* did not end within 180 s, stopped" >&2
    fi
}
run_copies() {  # filecopy's time is ours, cp's and dd's are anchors
    bash "$here/filecopy.sh" "$build" "$data_file" |
        awk '$1 == "METRIC" {print ($2 ~ /^filecopy/ ? "ours" : "anchor"), $2, $3}' >>"$results"
}

run_fio() {  # engine metric: fio's 4 KiB random buffered reads of the data file, as an anchor
    local engine=$1 metric=$2 depth=32 extra=()
    # psync is synchronous: one pread at a time, iodepth 1 whatever is asked. io_uring: up
    # to 32 submitted and reaped at once (fio's defaults are one by one: slower here).
    if [ "$engine" = psync ]; then depth=1; else extra=(--iodepth_batch_submit=32 --iodepth_batch_complete_max=32); fi
    # --invalidate=0: fio would otherwise drop the file's cache first.
    fio --name=randread --filename="${data_file//:/\\:}" --readonly --rw=randread --bs=4k \
        --ioengine="$engine" --iodepth=$depth "${extra[@]}" --direct=0 --invalidate=0 --norandommap \
        --time_based --runtime="$([ -n "$quick" ] && echo 300ms || echo 2s)" --output-format=json 2>/dev/null |
        python3 -c '
import json, sys
text = sys.stdin.read()
try: iops = json.loads(text[text.index("{"):])["jobs"][0]["read"]["iops"]
except (ValueError, KeyError, IndexError): sys.exit(0)
print("anchor", sys.argv[1], iops / 1e3)' "$metric" >>"$results"
}
cold() {  # label command...: drops the file's cache, runs the command's cold measurement,
          # and notes how much of the file was cached after the drop and after the run
    local label=$1
    "$build/bench/uring_file" --drop-cache "$data_file" 2>/dev/null |
        awk -v label="$label" '$1 == "METRIC" {print "dropped", label, $3}' >>"$results"
    run "$@"
    "$build/bench/uring_file" --cached "$data_file" 2>/dev/null |
        awk -v label="$label" '$1 == "METRIC" {print "cached", label, $3}' >>"$results"
}
cold_pair() {  # i label engine: ours cold with the fast path on (label) and off (label_pending),
               # in an order that alternates from run to run
    local i=$1 label=$2 engine=$3
    local on=(cold "$label" env OVERLAPPED_ENGINE="$engine" "$build/bench/bench_file" --cold "$data_file")
    local off=(cold "${label}_pending" env OVERLAPPED_ENGINE="$engine" OVERLAPPED_FAST_PATH=0 "$build/bench/bench_file" --cold "$data_file")
    if ((i % 2)); then "${on[@]}"; "${off[@]}"; else "${off[@]}"; "${on[@]}"; fi
}

for ((i = 1; i <= runs; i++)); do
    echo "# run $i of $runs" >&2
    run ours "$build/bench/bench_event"
    run ours "$build/bench/bench_iocp"
    run anchor "$build/bench/futex_pingpong"
    [ -x "$build/bench/asio_post" ] && run anchor "$build/bench/asio_post"
    run ours "$build/bench/bench_file" "$data_file"
    run anchor "$build/bench/uring_file" "$data_file"
    if [ -n "$fio_ok" ]; then  # the file is cached: both programs above read it whole
        run_fio io_uring fio_uring_randread_kiops
        run_fio psync fio_psync_randread_kiops
    fi
    # The same programs on the fallback engine (epoll + thread pool, docs/engines.md).
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_event"
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_iocp"
    run fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_file" "$data_file"
    run_copies
    # Cold cache, last: each measurement right after the file is dropped from the cache
    # (fast path on, and off: today's pending path), then raw liburing, then the fallback.
    cold_pair "$i" ours auto  # as the runs above: the engine chosen by default
    cold anchor "$build/bench/uring_file" --cold "$data_file"
    cold_pair "$i" fallback fallback
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

# Issue 14's bar for skip-on-success: the best (highest median) of the native ways to make
# the same reads: a pread loop, raw liburing, fio with io_uring and with psync.
best_of = ["pread_qd1_kiops", "uring_randread_kiops", "fio_uring_randread_kiops", "fio_psync_randread_kiops"]
measured = [(median("anchor", m), m) for m in best_of if median("anchor", m) is not None]
best_name = max(measured)[1] if measured else None
if measured: values[("anchor", "best_randread_kiops")] = [max(measured)[0]]

# (ours, anchor label, anchor metric, higher_is_better, target vs anchor, target vs wine).
# Anchor labels: "anchor" a native program (or fio); "ours" another metric of ours;
# "pending" the same metric of ours with OVERLAPPED_FAST_PATH=0 (the pending path).
rows = [
    ("iocp_post_get_1thread_mops", "anchor", "asio_post_run_one_1thread_mops", True, 1.0, 1000),
    ("iocp_post_get_1thread_mops", "anchor", "asio_repost_1thread_mops", True, None, None),
    ("iocp_post_get_2thread_mops", "anchor", "asio_post_run_2thread_mops", True, 1.0, 10),
    ("iocp_getex64_mops", "ours", "iocp_post_get_2thread_mops", True, None, 10),
    ("iocp_drain_getex64_mops", "ours", "iocp_drain_get_mops", True, 3.0, 10),
    ("iocp_pingpong_us", "anchor", "futex_roundtrip_us", False, 1 / 1.3, 10),
    ("event_roundtrip_us", "anchor", "futex_roundtrip_us", False, None, 10),
    ("wait_signalled_ns", None, None, False, None, 10),
    ("file_randread_port_kiops", "anchor", "uring_randread_kiops", True, 1.0, 20),
    ("file_randread_port_kiops", "anchor", "pread_qd1_kiops", True, None, None),
    ("file_randread_port_at_once_pct", None, None, True, None, None),
    ("file_randread_skip_kiops", "anchor", "best_randread_kiops", True, 1.0, None),
    ("file_randread_skip_kiops", "anchor", "pread_qd1_kiops", True, None, None),
    ("file_randread_skip_kiops", "anchor", "nowait_qd1_kiops", True, None, None),
    ("file_randread_skip_kiops", "anchor", "uring_randread_kiops", True, None, None),
    ("file_randread_skip_kiops", "anchor", "fio_uring_randread_kiops", True, None, None),
    ("file_randread_skip_kiops", "anchor", "fio_psync_randread_kiops", True, None, None),
    ("file_randread_skip_at_once_pct", None, None, True, None, None),
    ("file_randread_port_cpu_ns", "anchor", "uring_randread_cpu_ns", False, None, None),
    ("file_randread_skip_cpu_ns", "anchor", "pread_qd1_cpu_ns", False, None, None),
    ("file_randread_skip_cpu_ns", "anchor", "nowait_qd1_cpu_ns", False, None, None),
    ("file_randread_event_kiops", "ours", "file_randread_port_kiops", True, None, None),
    ("file_randread_apc_kiops", "ours", "file_randread_port_kiops", True, None, None),
    ("file_seqread_1m_mbps", "anchor", "uring_seqread_1m_mbps", True, 0.9, None),
    ("file_randread_nobuf_port_kiops", "anchor", "uring_randread_direct_kiops", True, 0.9, None),
    ("file_seqread_1m_nobuf_mbps", "anchor", "uring_seqread_1m_direct_mbps", True, 0.9, None),
    ("file_randread_cold_port_kiops", "pending", "file_randread_cold_port_kiops", True, 1.0, None),
    ("file_randread_cold_port_kiops", "anchor", "uring_randread_cold_kiops", True, None, None),
    ("file_randread_cold_port_at_once_pct", None, None, True, None, None),
    ("filecopy_1g_s", "anchor", "cp_1g_s", False, None, None),
    ("filecopy_1g_s", "anchor", "dd_1g_s", False, None, None),
    ("filecopy_1g_s", "anchor", "dd_direct_1g_s", False, None, None),
]
def against(label, metric):  # the name in the "against" column
    if metric is None: return "-"
    if metric == "best_randread_kiops": return f"best: {best_name}" if best_name else "best of pread/liburing/fio"
    if label == "ours": return "ours " + metric
    if label == "pending": return "OVERLAPPED_FAST_PATH=0"
    return metric
def table(title, ours_label, rows, wine=True):  # ours_label: "ours" or "fallback"
    print(f"{title:36} {'value':>9}   {'against':32} {'value':>9} {'ratio':>7} {'target':>7}"
          + (f"   {'wine':>9} {'x wine':>8}" if wine else ""))
    for ours_metric, anchor_label, anchor_metric, higher, target, wine_target in rows:
        ours = median(ours_label, ours_metric)
        source = {"ours": ours_label, "pending": ours_label + "_pending"}.get(anchor_label, anchor_label)
        anchor = median(source, anchor_metric) if anchor_label else None
        wine_value = median("wine", ours_metric)
        r = ratio(ours, anchor, higher)
        rw = None if ours_metric.endswith("_pct") else ratio(ours, wine_value, higher)
        verdict = "" if target is None or r is None else ("PASS" if r >= target else "MISS")
        wverdict = "" if wine_target is None or rw is None else ("PASS" if rw >= wine_target else "MISS")
        line = (f"{ours_metric:36} {fmt(ours):>9}   {against(anchor_label, anchor_metric):32} {fmt(anchor):>9} "
                f"{fmt(r, 'x'):>7} {('>=' + format(target, '.2g')) if target else '':>7} {verdict:4}")
        if wine: line += f" {fmt(wine_value):>9} {fmt(rw, 'x'):>8} {wverdict}"
        print(line.rstrip())
def cold_note(on, off):  # what the cold runs read, and how cold the file was
    def mib(label, metric="file_randread_cold_port_mib"): return fmt(median(label, metric))
    def cached(key, label): return fmt(median(key, label), "%")
    drops = [v for (key, _), vs in values.items() if key == "dropped" for v in vs]
    if not drops: return
    print(f"cold runs: 0.5 s each, right after dropping the file's cache (at most {fmt(max(drops), '%')} of it left"
          " cached); the disk is a virtio disk: cold figures are noisy")
    print(f"  MiB asked for: fast path on {mib(on)}, off {mib(off + '_pending')}"
          + (f", liburing {mib('anchor', 'uring_randread_cold_mib')}" if on == "ours" else "")
          + f"; the file cached after the run: on {cached('cached', on)}, off {cached('cached', off + '_pending')}"
          + (f", liburing {cached('cached', 'anchor')}" if on == "ours" else ""))

table("ours", "ours", rows)
print("ratios: throughput ours/anchor, latency anchor/ours (higher is better); medians of the runs")
if any(key == ("anchor", m) for key in values for m in best_of[2:]):
    print("fio: io_uring at iodepth 32 (up to 32 submitted and reaped at once), psync at iodepth 1"
          " (synchronous: one pread at a time)")
else:
    print("fio: not installed (or it failed): its rows are n/a")
cold_note("ours", "ours")

# The fallback engine beside io_uring: every metric of our programs, same run.
fallback_targets = {"file_randread_port_kiops": 0.4}
print()
print(f"{'fallback engine':36} {'value':>9}   {'io_uring':>9} {'ratio':>7} {'target':>7}   {'wine':>9} {'x wine':>8}")
seen = set()
for ours_metric, *_ in rows:
    if ours_metric in seen or ours_metric.startswith("filecopy"): continue
    seen.add(ours_metric)
    higher = not ours_metric.endswith(("_us", "_ns", "_s"))
    fb = median("fallback", ours_metric)
    uring = median("ours", ours_metric)
    wine = median("wine", ours_metric)
    r, rw = ratio(fb, uring, higher), ratio(fb, wine, higher)
    if ours_metric.endswith("_pct"): r = rw = None  # shares: read the values
    target = fallback_targets.get(ours_metric)
    verdict = "" if target is None or r is None else ("PASS" if r >= target else "MISS")
    wverdict = "" if rw is None else ("PASS" if rw >= 10 else "MISS")
    print(f"{ours_metric:36} {fmt(fb):>9}   {fmt(uring):>9} {fmt(r, 'x'):>7} "
          f"{('>=' + format(target, '.2g')) if target else '':>7} {verdict:4} {fmt(wine):>9} {fmt(rw, 'x'):>8} {wverdict}".rstrip())
print("fallback ratios: fallback/io_uring and fallback/Wine (target: at least 10x Wine everywhere)")
# Issue 14's rows on the fallback engine: the same anchors and targets as above.
print()
table("fallback engine: issue 14", "fallback",
      [row for row in rows if row[0].startswith(("file_randread_port", "file_randread_skip", "file_randread_cold"))],
      wine=False)
cold_note("fallback", "fallback")
PY
for command in "${hung[@]}"; do echo "HUNG (stopped after 180 s; its later metrics are missing from that run): $command"; done
echo "host steal during the tables above: $(steal_pct "$ticks_at_start" "$(host_ticks)")% of this machine's CPU time" \
    "(on a virtual machine, time the hypervisor gave to others; bench/README.md)"

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
status=$?  # the last step's status, as before; a hung program makes it 1
((${#hung[@]} == 0)) || exit 1
exit $status
