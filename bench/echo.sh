#!/usr/bin/env bash
# echo.sh BUILD_DIR [--quick] [--runs N] [--server-source FILE] [--servers A,B,..] [--tests A,B,..]:
# the echo-server benchmarks.
# Runs one load generator (BUILD_DIR/bench/loadgen: one thread, epoll) against each echo
# server in turn, interleaved over N runs (5 by default), and prints medians and ratios:
#   ours   BUILD_DIR/examples/echo_server/echo_server -t 2 -q (skipped with a note if not built)
#   fallback  the same with OVERLAPPED_ENGINE=fallback (epoll + thread pool): its own table
#   epoll  BUILD_DIR/bench/echo_epoll -t 2 -q   (anchors/echo_epoll.c)
#   uring  BUILD_DIR/bench/echo_uring -t 2 -q   (anchors/echo_uring.c, liburing)
#   asio   BUILD_DIR/bench/echo_asio -t 2 -q    (anchors/echo_asio.cpp, if Boost was found)
# and, for the modern layers of issue 16 (the echo tests only, and their own table):
#   coro   BUILD_DIR/examples/cpp/echo_server -t 2 -q   (the C++20 coroutine layer's example)
#   tpio   BUILD_DIR/bench/echo_threadpool -t 2 -q      (win32/echo_threadpool.c: thread-pool I/O)
#   asio_coro  BUILD_DIR/bench/echo_asio_coro -t 2 -q   (anchors/echo_asio_coro.cpp: asio::awaitable)
#   wine   examples/echo_server/echo_server.c built with x86_64-w64-mingw32-gcc, run under
#          wine -t 2 -q after all native runs, shorter and at most 2 times; its CPU is the
#          wine process's plus the wineserver's. --server-source picks another Win32 source.
# --servers keeps only the named servers (for example ours,coro,asio_coro; "wine" among them
# keeps the Wine column), --tests only the named tests (echo64,echo16k,rtt,rttfree,accept,
# idle1k,idle10k).
# bench/README.md documents every row and every fairness choice.
#
# Ratios are "how many times better we are": ours/anchor for rates, anchor/ours for CPU
# time, latency and memory. A target passes when the ratio is at least the number shown.
set -uo pipefail
quick=""
runs=5
server_source=""
only_servers=""
only_tests=""
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=yes; shift ;;
    --runs) runs=$2; shift 2 ;;
    --server-source) server_source=$2; shift 2 ;;
    --servers) only_servers=",$2,"; shift 2 ;;
    --tests) only_tests=",$2,"; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: echo.sh BUILD_DIR [--quick] [--runs N] [--server-source FILE]}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
loadgen=$build/bench/loadgen
if [ ! -x "$loadgen" ]; then
    echo "# echo benchmarks: $loadgen is not built; skipped"
    exit 0
fi
work=$(mktemp -d)
results=$work/results
: >"$results"
server_pid=""
wineserver_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
    if [ -n "$wineserver_pid" ]; then
        timeout 60 wineserver -k >/dev/null 2>&1
        kill "$wineserver_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Everyone, load generator included, may hold 10,000 connections.
ulimit -n "$(ulimit -Hn)"

# Seconds of warm-up and measurement for each timed test.
if [ -n "$quick" ]; then warm=0.2 dur=0.5 wine_warm=0.2 wine_dur=0.5
else warm=0.5 dur=2 wine_warm=0.5 wine_dur=1; fi
# The one-connection test, pinned: server and load generator on this one CPU.
pin_cpu=0

servers=()
declare -A command
ours=$build/examples/echo_server/echo_server
if [ -x "$ours" ]; then
    # Ours runs on both engines, as every program of ours in run.sh does.
    servers+=(ours fallback)
    command[ours]="$ours -t 2 -q"
    command[fallback]="env OVERLAPPED_ENGINE=fallback $ours -t 2 -q"
else
    echo "# echo benchmarks: $ours is not built yet: no 'ours' column"
fi
# The native anchors, and the modern layers of issue 16 with their anchor: columns when built.
declare -A column_path=([epoll]=$build/bench/echo_epoll [uring]=$build/bench/echo_uring
                        [asio]=$build/bench/echo_asio [coro]=$build/examples/cpp/echo_server
                        [tpio]=$build/bench/echo_threadpool [asio_coro]=$build/bench/echo_asio_coro)
for name in epoll uring asio coro tpio asio_coro; do
    if [ -x "${column_path[$name]}" ]; then
        servers+=("$name")
        command[$name]="${column_path[$name]} -t 2 -q"
    else
        echo "# echo benchmarks: ${column_path[$name]} is not built: no '$name' column"
    fi
done
if [ -n "$only_servers" ]; then
    kept=()
    for name in "${servers[@]}"; do
        [[ $only_servers == *",$name,"* ]] && kept+=("$name")
    done
    servers=("${kept[@]}")
fi

wine_ok=""
skip_wine=""
if [ -n "$only_servers" ] && [[ $only_servers != *",wine,"* ]]; then
    skip_wine=yes
fi
source=${server_source:-$here/../examples/echo_server/echo_server.c}
if [ -n "$skip_wine" ]; then
    echo "# echo benchmarks: --servers without wine: no Wine column"
elif ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    echo "# echo benchmarks: wine or mingw-w64 missing: no Wine column"
elif [ ! -f "$source" ]; then
    echo "# echo benchmarks: $source does not exist yet: no Wine column"
else
    mkdir -p "$build/bench/wine"
    wine_exe=$build/bench/wine/echo_server.exe
    if x86_64-w64-mingw32-gcc -O2 "$source" -o "$wine_exe" -lws2_32 -lmswsock; then
        export WINEPREFIX=${WINEPREFIX:-$build/bench/wine/prefix} WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
        [ -f "$WINEPREFIX/system.reg" ] || timeout 300 wineboot -i >/dev/null 2>&1
        wine_ok=yes
        command[wine]="wine $wine_exe -t 2 -q"
    else
        echo "# echo benchmarks: $source does not build with mingw-w64: no Wine column"
    fi
fi

failures=$work/failures
: >"$failures"
note_failure() { echo "$*" >&2; echo "$*" >>"$failures"; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME [CPU]: starts it on a free port (pinned to CPU if given) and waits
# until it listens. Sets server_pid, port and pid_args (the pids whose CPU and memory
# count: for Wine also the wineserver's).
start_server() {
    local name=$1 cpu=${2:-} limit=100
    [ "$name" = wine ] && limit=600
    port=$(free_port)
    local -a run_cmd
    read -r -a run_cmd <<<"${command[$name]}"
    [ -n "$cpu" ] && run_cmd=(taskset -c "$cpu" "${run_cmd[@]}")
    # SIGINT at its default for the server even when this script was started with it
    # ignored (a background job of a non-interactive shell: set -m cannot undo that, and
    # a Windows program keeps an inherited "ignore Ctrl-C", as ours does).
    run_cmd=(env --default-signal=INT "${run_cmd[@]}")
    : >"$work/server.log"  # now, not in the child: the previous server's line must not count
    # Job control on while it starts: a script's background command otherwise starts with
    # SIGINT ignored (env above covers the script's own inherited one).
    set -m
    "${run_cmd[@]}" -p "$port" >"$work/server.log" 2>&1 &
    server_pid=$!
    set +m
    pid_args=(--pid "$server_pid")
    if [ "$name" = wine ]; then
        pid_args+=(--pid "$wineserver_pid")
        if [ -n "$cpu" ]; then taskset -pc "$cpu" "$wineserver_pid" >/dev/null; fi
    fi
    local i
    for ((i = 0; i < limit; i++)); do  # 10 s (Wine 60 s)
        grep -q "listening on" "$work/server.log" 2>/dev/null && return 0
        # A server that does not flush its line: its own listener on the port will do
        # (by pid: other people's programs listen on ports too, on ::1 for example).
        ss -Hltnp "sport = :$port" 2>/dev/null | grep -q "pid=$server_pid," && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    note_failure "# $name: did not start listening on port $port: $(tail -2 "$work/server.log" | tr '\n' ' ')"
    stop_server "$name"
    return 1
}

# stop_server NAME: SIGINT, as Ctrl-C; a server that does not exit in 10 s (Wine 20 s)
# is killed, and that is reported.
stop_server() {
    local name=$1 i limit=100
    [ "$name" = wine ] && limit=200
    kill -INT "$server_pid" 2>/dev/null
    for ((i = 0; i < limit; i++)); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    local killed=""
    if kill -0 "$server_pid" 2>/dev/null; then
        note_failure "# $name: still running $((limit / 10)) s after SIGINT; killed"
        kill -KILL "$server_pid" 2>/dev/null
        killed=yes
    fi
    wait "$server_pid" 2>/dev/null
    local status=$?
    [ -z "$killed" ] && [ "$status" -ne 0 ] && note_failure "# $name: exit status $status after SIGINT"
    server_pid=""
    if [ "$name" = wine ] && [ -n "$wineserver_pid" ]; then
        taskset -pc "0-$(($(nproc) - 1))" "$wineserver_pid" >/dev/null
    fi
}

# measure NAME [CPU] -- LOADGEN ARGS: one load generator run against the running server;
# appends "NAME metric value run" lines. With CPU the load generator is pinned there too.
measure() {
    local name=$1 cpu=$2
    shift 3
    local -a lg=("$loadgen")
    [ -n "$cpu" ] && lg=(taskset -c "$cpu" "$loadgen")
    if ! timeout 600 "${lg[@]}" --port "$port" "${pid_args[@]}" "$@" >"$work/lg.out" 2>"$work/lg.err"; then
        note_failure "# $name: loadgen $*: $(tail -1 "$work/lg.err")"
    fi
    sed -n "s/^# /# $name /p" "$work/lg.out" >&2
    awk -v name="$name" -v run="$run" '$1 == "METRIC" {print name, $2, $3, run}' "$work/lg.out" >>"$results"
}

# run_test NAME TEST: one fresh server, one load generator run. Every test starts its
# own server, so no test inherits another's state (memory, sockets) and the pinned test
# can pin it.
run_test() {
    local name=$1 test=$2 w=$warm d=$dur cpu=""
    [ "$name" = wine ] && w=$wine_warm d=$wine_dur
    local -a args
    case $test in
    echo64) args=(--mode echo -c 32 -s 64 -w "$w" -d "$d") ;;
    echo16k) args=(--mode echo -c 32 -s 16384 -w "$w" -d "$d") ;;
    rtt) args=(--mode echo -c 1 -s 64 -w "$w" -d "$d"); cpu=$pin_cpu ;;
    rttfree) args=(--mode echo -c 1 -s 64 -w "$w" -d "$d") ;;
    accept) args=(--mode accept -c 16 -w "$w" -d "$d") ;;
    idle1k) args=(--mode idle -c 1000) ;;
    idle10k) args=(--mode idle -c 10000) ;;
    esac
    start_server "$name" $cpu || return
    measure "$name" "$cpu" -- "${args[@]}" --tag "$test"
    stop_server "$name"
}
tests=(echo64 echo16k rtt rttfree accept idle1k idle10k)
if [ -n "$only_tests" ]; then
    kept=()
    for test in "${tests[@]}"; do
        [[ $only_tests == *",$test,"* ]] && kept+=("$test")
    done
    tests=("${kept[@]}")
fi
# The modern layers' targets are on the echo tests; the others would only add minutes.
is_modern() { case $1 in coro | tpio | asio_coro) return 0 ;; esac; return 1; }

echo "# echo benchmarks: $(nproc) CPUs shared by the load generator and the server; servers: ${servers[*]}${wine_ok:+ wine}"
# Interleaved finely: each test runs against every server in turn before the next test,
# so a burst of noise from elsewhere falls on neighbouring measurements of different
# servers; each run starts with the next server, so none always goes first.
for ((i = 0; i < runs; i++)); do
    run=$((i + 1))
    echo "# echo run $run of $runs" >&2
    for test in "${tests[@]}"; do
        for ((j = 0; j < ${#servers[@]}; j++)); do
            name=${servers[(i + j) % ${#servers[@]}]}
            if is_modern "$name" && [ "$test" != echo64 ] && [ "$test" != echo16k ]; then continue; fi
            run_test "$name" "$test"
        done
    done
done
# Wine last: its wineserver lingers and would disturb the native runs.
if [ -n "$wine_ok" ]; then
    timeout 60 wineserver -k >/dev/null 2>&1  # a fresh wineserver whose pid we know
    wineserver -f -p >/dev/null 2>&1 &
    wineserver_pid=$!
    sleep 0.5
    if kill -0 "$wineserver_pid" 2>/dev/null; then
        for ((i = 1; i <= (runs < 2 ? runs : 2); i++)); do
            run=wine$i
            echo "# echo wine run $i" >&2
            for test in "${tests[@]}"; do run_test wine "$test"; done
        done
    else
        note_failure "# wine: could not start a wineserver"
    fi
    timeout 60 wineserver -k >/dev/null 2>&1
    wait "$wineserver_pid" 2>/dev/null
    wineserver_pid=""
fi

python3 - "$results" "${servers[*]}" <<'PY'
import statistics, sys
values, by_run = {}, {}
for line in open(sys.argv[1]):
    name, metric, value, run = line.split()
    values.setdefault((name, metric), []).append(float(value))
    by_run[(name, metric, run)] = float(value)
def median(name, metric):
    v = values.get((name, metric))
    return statistics.median(v) if v else None
def run_ratios(metric, name, other, higher):  # the ratio within each run: both measured close together
    runs = sorted({r for (n, m, r) in by_run if n == name and m == metric})
    out = [ratio(by_run[(name, metric, r)], by_run.get((other, metric, r)), higher) for r in runs]
    return [x for x in out if x is not None]
natives = [n for n in ("epoll", "uring", "asio") if n in sys.argv[2].split()]
def fmt(x):
    if x is None: return "n/a"
    return f"{x:.3g}" if x < 100 else f"{x:,.0f}"
def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.2f}x"
# (metric, what, higher is better, compared with: "best" native or one anchor, target, Wine target)
rows = [
    ("echo64_cpu_us", "64 B, 32 conns: server CPU us/req", False, "best", 1.0, None),
    ("echo64_rps", "64 B, 32 conns: requests/s", True, "best", 1.0, 30),
    ("echo64_p99_us", "64 B, 32 conns: p99 us", False, "best", 1 / 1.2, None),
    ("echo16k_cpu_us", "16 KiB, 32 conns: server CPU us/req", False, "best", 1.0, None),
    ("echo16k_rps", "16 KiB, 32 conns: requests/s", True, "best", 1.0, 30),
    ("echo16k_p99_us", "16 KiB, 32 conns: p99 us", False, "best", 1 / 1.2, None),
    ("rtt_p50_us", "1 conn, same CPU: round trip p50 us", False, "best", 1 / 1.1, None),
    ("rttfree_p50_us", "1 conn, unpinned: round trip p50 us", False, "best", None, None),
    ("accept_cps", "accept, 16 clients: cycles/s", True, "epoll", 0.9, None),
    ("idle1k_bytes_per_conn", "1,000 idle: bytes/connection", False, "epoll", None, None),
    ("idle10k_bytes_per_conn", "10,000 idle: bytes/connection", False, "epoll", None, None),
]
def ratio(ours, other, higher):
    if ours is None or other is None or ours <= 0 or other <= 0: return None
    return ours / other if higher else other / ours
header = (f"{'echo benchmark':37} {'ours':>8} {'epoll':>8} {'uring':>8} {'asio':>8}   {'against':>11} {'ratio':>7} "
          f"{'runs':>11} {'target':>7}      {'wine':>8} {'x wine':>8}")
print(header)
for metric, what, higher, against, target, wine_target in rows:
    v = {n: median(n, metric) for n in ("ours", "epoll", "uring", "asio", "wine")}
    present = [n for n in natives if v[n] is not None]
    if against == "best":
        ref_name = (max if higher else min)(present, key=lambda n: v[n]) if present else None
    else:
        ref_name = against if v.get(against) is not None else None
    ref = v[ref_name] if ref_name else None
    r = ratio(v["ours"], ref, higher)
    rw = ratio(v["ours"], v["wine"], higher)
    verdict = "" if target is None or r is None else ("PASS" if r >= target - 1e-9 else "MISS")
    wverdict = "" if wine_target is None or rw is None else ("PASS" if rw >= wine_target else "MISS")
    ref_label = "-" if ref_name is None else (f"best {ref_name}" if against == "best" else ref_name)
    tgt = f">={target:.2f}" if target else ""
    wtgt = f"(>={wine_target})" if wine_target else ""
    per_run = run_ratios(metric, "ours", ref_name, higher) if ref_name else []
    spread = f"{min(per_run):.2f}-{max(per_run):.2f}" if len(per_run) > 1 else ""
    print(f"{what:37} {fmt(v['ours']):>8} {fmt(v['epoll']):>8} {fmt(v['uring']):>8} {fmt(v['asio']):>8}   "
          f"{ref_label:>11} {fmt_ratio(r):>7} {spread:>11} {tgt:>7} {verdict:4} {fmt(v['wine']):>8} {fmt_ratio(rw):>8} "
          f"{wtgt} {wverdict}")
print("ratios: times better than the anchor (rates ours/anchor; CPU, latency, memory anchor/ours), from the "
      "medians of the runs;")
print("  'runs': the lowest and highest of the same ratio taken within each run")
print("targets (issue 12): CPU <= 1.0x best native, req/s >= 1.0x best and >= 30x Wine, p99 <= 1.2x best,")
print("  round trip <= 1.1x best, accept >= 0.9x epoll, memory reported beside epoll")
if any(median("fallback", m[0]) is not None for m in rows):
    print()
    print(f"{'ours on the fallback engine':37} {'fallback':>8} {'io_uring':>8} {'ratio':>7}   {'wine':>8} {'x wine':>8}")
    for metric, what, higher, *_ in rows:
        fb, ours, wine = median("fallback", metric), median("ours", metric), median("wine", metric)
        print(f"{what:37} {fmt(fb):>8} {fmt(ours):>8} {fmt_ratio(ratio(fb, ours, higher)):>7}   "
              f"{fmt(wine):>8} {fmt_ratio(ratio(fb, wine, higher)):>8}")
    print("fallback ratios: times better than our io_uring engine and than Wine (no targets)")
# The modern layers of issue 16, each against the anchor its target names.
modern = [  # (subject, anchor, target on "times better": anchor CPU / subject CPU)
    ("coro", "ours", 1 / 1.05, "coroutine layer vs our C IOCP server (CPU <= 1.05x)"),
    ("coro", "asio_coro", 1.0, "coroutine layer vs asio::awaitable (CPU <= 1.0x)"),
    ("tpio", "ours", 1 / 1.1, "thread-pool I/O vs our C IOCP server (CPU <= 1.1x)"),
]
modern_rows = [("echo64_cpu_us", "64 B, 32 conns: server CPU us/req", False),
               ("echo16k_cpu_us", "16 KiB, 32 conns: server CPU us/req", False),
               ("echo64_rps", "64 B, 32 conns: requests/s", True),
               ("echo16k_rps", "16 KiB, 32 conns: requests/s", True)]
shown = [m for m in modern if median(m[0], "echo64_cpu_us") is not None and median(m[1], "echo64_cpu_us") is not None]
if shown:
    print()
    print(f"{'modern layers (issue 16)':37} {'subject':>9} {'anchor':>9} {'ratio':>7} {'runs':>11} {'target':>7}")
    for subject, anchor, target, what in shown:
        print(f"{subject} vs {anchor}: {what}")
        for metric, label, higher in modern_rows:
            a, b = median(subject, metric), median(anchor, metric)
            r = ratio(a, b, higher)
            per_run = run_ratios(metric, subject, anchor, higher)
            spread = f"{min(per_run):.2f}-{max(per_run):.2f}" if len(per_run) > 1 else ""
            is_target = metric.endswith("_cpu_us")
            tgt = f">={target:.2f}" if is_target else ""
            verdict = "" if not is_target or r is None else ("PASS" if r >= target - 1e-9 else "MISS")
            print(f"  {label:35} {fmt(a):>9} {fmt(b):>9} {fmt_ratio(r):>7} {spread:>11} {tgt:>7} {verdict}")
    print("modern ratios: times better than the anchor (CPU anchor/subject, rates subject/anchor); the targets")
    print("  are on CPU per request: <= 1.05x ours and <= 1.0x asio::awaitable for coro, <= 1.1x ours for tpio")
busy = [median(n, "echo64_loadgen_busy_pct") for n in natives + ["ours"]]
busy = [b for b in busy if b is not None]
if busy:
    print(f"load generator busy {min(busy):.0f}-{max(busy):.0f}% of one CPU during the 64 B tests")
steal = [v for (n, m), vs in values.items() if m.endswith("_steal_pct") for v in vs]
if steal:
    print(f"host steal {min(steal):.0f}-{max(steal):.0f}% (median {statistics.median(steal):.0f}%) of this machine's CPU time "
          "over the measured intervals: on a virtual machine, time the hypervisor gave to others; "
          "runs with much of it measure the host (bench/README.md)")
PY
if [ -s "$failures" ]; then
    echo "echo benchmark failures:"
    cat "$failures"
fi
