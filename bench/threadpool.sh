#!/usr/bin/env bash
# threadpool.sh BUILD_DIR [--quick] [--runs N]: the thread-pool benchmarks of issue 16.
# Interleaved over N runs (5 by default), medians and ratios against the targets:
#   work   BUILD_DIR/bench/bench_tpwork (SubmitThreadpoolWork of empty callbacks on the
#          default pool: tp_submit_work_mops) against BUILD_DIR/bench/asio_post's
#          asio_post_pool2_mops (one thread posts to an io_context run by 2 threads).
#          Target: ours/asio >= 1.0.
#   echo   BUILD_DIR/bench/echo_threadpool -t 2 -q (thread-pool I/O) against
#          BUILD_DIR/examples/echo_server/echo_server -t 2 -q (the C IOCP server), each
#          driven by BUILD_DIR/bench/loadgen --mode echo -c 32 -s 64 (and -s 16384)
#          as bench/echo.sh does: server CPU per request (echo64_cpu_us, echo16k_cpu_us).
#          Target: tp/iocp <= 1.1.
# bench/README.md ("Thread pool") documents the rows.
set -uo pipefail
quick=""
runs=5
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=yes; shift ;;
    --runs) runs=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: threadpool.sh BUILD_DIR [--quick] [--runs N]}" && pwd)
work=$(mktemp -d)
results=$work/results
: >"$results"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$quick" ]; then warm=0.2 dur=0.5 bench_flag=--quick; else warm=0.5 dur=2 bench_flag=""; fi

record() {  # record NAME RUN < output with METRIC lines
    awk -v name="$1" -v run="$2" '$1 == "METRIC" {print name, $2, $3, run}' >>"$results"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# echo_run NAME COMMAND...: starts the server, runs the two echo loads, stops it (SIGINT).
echo_run() {
    local name=$1 run=$2
    shift 2
    local size tag
    for size in 64 16384; do
        [ "$size" = 64 ] && tag=echo64 || tag=echo16k
        local port
        port=$(free_port)
        : >"$work/server.log"
        set -m
        env --default-signal=INT "$@" -t 2 -q -p "$port" >"$work/server.log" 2>&1 &
        server_pid=$!
        set +m
        local i
        for ((i = 0; i < 100; i++)); do
            grep -q "listening on" "$work/server.log" && break
            sleep 0.1
        done
        if ! grep -q "listening on" "$work/server.log"; then
            echo "# $name: did not start: $(tail -2 "$work/server.log")" >&2
            kill -KILL "$server_pid" 2>/dev/null
            server_pid=""
            continue
        fi
        timeout 600 "$build/bench/loadgen" --port "$port" --pid "$server_pid" --mode echo -c 32 -s "$size" \
            -w "$warm" -d "$dur" --tag "$tag" 2>"$work/lg.err" | record "$name" "$run"
        kill -INT "$server_pid" 2>/dev/null
        for ((i = 0; i < 100; i++)); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "# $name: still running 10 s after SIGINT; killed" >&2
            kill -KILL "$server_pid" 2>/dev/null
        fi
        wait "$server_pid" 2>/dev/null
        local status=$?
        [ "$status" -ne 0 ] && echo "# $name: exit status $status after SIGINT" >&2
        grep -q "^connections " "$work/server.log" || echo "# $name: no counters line" >&2
        server_pid=""
    done
}

have_asio=""; [ -x "$build/bench/asio_post" ] && have_asio=yes
have_echo=""; [ -x "$build/bench/echo_threadpool" ] && [ -x "$build/examples/echo_server/echo_server" ] &&
    [ -x "$build/bench/loadgen" ] && have_echo=yes
echo "# thread-pool benchmarks: $(nproc) CPUs; $runs runs, interleaved"
for ((run = 1; run <= runs; run++)); do
    echo "# run $run of $runs" >&2
    if ((run % 2)); then
        "$build/bench/bench_tpwork" $bench_flag | record ours "$run"
        [ -n "$have_asio" ] && "$build/bench/asio_post" $bench_flag | record asio "$run"
    else
        [ -n "$have_asio" ] && "$build/bench/asio_post" $bench_flag | record asio "$run"
        "$build/bench/bench_tpwork" $bench_flag | record ours "$run"
    fi
    if [ -n "$have_echo" ]; then
        if ((run % 2)); then
            echo_run tp "$run" "$build/bench/echo_threadpool"
            echo_run iocp "$run" "$build/examples/echo_server/echo_server"
        else
            echo_run iocp "$run" "$build/examples/echo_server/echo_server"
            echo_run tp "$run" "$build/bench/echo_threadpool"
        fi
    fi
done

python3 - "$results" "$have_asio" "$have_echo" <<'PY'
import statistics, sys
values = {}
for line in open(sys.argv[1]):
    name, metric, value, run = line.split()
    values.setdefault((name, metric), []).append(float(value))
def median(name, metric):
    v = values.get((name, metric))
    return statistics.median(v) if v else None
rows = []
ours = median("ours", "tp_submit_work_mops")
asio = median("asio", "asio_post_pool2_mops")
print(f"{'metric':<34}{'ours':>12}{'anchor':>12}{'ratio':>8}  target")
if ours is not None:
    if asio:
        ratio = ours / asio
        print(f"{'SubmitThreadpoolWork Mops':<34}{ours:>12.2f}{asio:>12.2f}{ratio:>8.2f}  >= 1.0 {'ok' if ratio >= 1.0 else 'MISSED'}")
    else:
        print(f"{'SubmitThreadpoolWork Mops':<34}{ours:>12.2f}{'-':>12}  (asio_post not built)")
for tag, label in (("echo64", "echo 64 B server CPU us/request"), ("echo16k", "echo 16 KiB server CPU us/request")):
    tp = median("tp", tag + "_cpu_us")
    iocp = median("iocp", tag + "_cpu_us")
    if tp is None or iocp is None:
        print(f"{label:<34}  (not measured)")
        continue
    ratio = tp / iocp
    print(f"{label:<34}{tp:>12.2f}{iocp:>12.2f}{ratio:>8.2f}  <= 1.1 {'ok' if ratio <= 1.1 else 'MISSED'}")
    tpr = median("tp", tag + "_rps")
    iocpr = median("iocp", tag + "_rps")
    if tpr and iocpr:
        print(f"{'  requests/s (tp, iocp)':<34}{tpr:>12.0f}{iocpr:>12.0f}")
PY
