#!/usr/bin/env bash
# dirchanges.sh BUILD_DIR [--runs N] [--files N]: ReadDirectoryChangesW event throughput.
# Each run creates N files (20000 by default) in a fresh directory under $TMPDIR (or
# /tmp) while the watcher counts the "added" records; every file must be reported (a run
# that lost any, ERROR_NOTIFY_ENUM_DIR / IN_Q_OVERFLOW, is shown and not counted).
#   ours      BUILD_DIR/bench/bench_dirchanges (bench/win32/bench_dirchanges.c: one
#             overlapped ReadDirectoryChangesW pending, 64 KiB buffer, event)
#   fallback  the same with OVERLAPPED_ENGINE=fallback
#   raw       BUILD_DIR/bench/dirchanges_raw (anchors/dirchanges_raw.c: inotify + poll)
# Prints the median files/s of each over N runs (5 by default), interleaved, and ours/raw
# against the target 0.8.
set -uo pipefail
runs=5
files=20000
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: dirchanges.sh BUILD_DIR [--runs N] [--files N]}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

run_one() { # name command...
    local name=$1; shift
    local dir="$work/d-$name-$RANDOM"
    mkdir "$dir"
    local out
    out=$("$@" "$files" "$dir" 2>&1)
    rm -rf "$dir"
    local rate lost
    rate=$(awk '/files_per_s/ {print $2}' <<<"$out")
    lost=$(awk '/files_per_s/ {print $4}' <<<"$out")
    if [ -z "$rate" ]; then echo "  $name: failed: $out" >&2; return; fi
    if [ "$lost" != "0" ]; then echo "  $name: lost events ($rate files/s), not counted" >&2; return; fi
    echo "$rate" >>"$work/$name"
}

for ((i = 0; i < runs; ++i)); do
    run_one ours "$build/bench/bench_dirchanges"
    run_one fallback env OVERLAPPED_ENGINE=fallback "$build/bench/bench_dirchanges"
    run_one raw "$build/bench/dirchanges_raw"
done

ours=$(median <"$work/ours" 2>/dev/null || echo -)
fallback=$(median <"$work/fallback" 2>/dev/null || echo -)
raw=$(median <"$work/raw" 2>/dev/null || echo -)
printf '%-28s %12s %12s %12s %10s %8s\n' "ReadDirectoryChangesW" "ours" "fallback" "raw inotify" "ours/raw" "target"
ratio=$(awk -v a="$ours" -v b="$raw" 'BEGIN {if (b > 0 && a > 0) printf "%.2f", a / b; else print "-"}')
fratio=$(awk -v a="$fallback" -v b="$raw" 'BEGIN {if (b > 0 && a > 0) printf "%.2f", a / b; else print "-"}')
printf '%-28s %12s %12s %12s %10s %8s\n' "files created+reported /s" "$ours" "$fallback" "$raw" "$ratio" ">=0.8"
printf '%-28s %12s %12s %12s %10s %8s\n' "(fallback/raw)" "" "" "" "$fratio" ""
