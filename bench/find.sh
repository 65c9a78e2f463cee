#!/usr/bin/env bash
# find.sh BUILD_DIR [--runs N] [--files N]: directory enumeration throughput. Each run
# makes a fresh directory under $TMPDIR (or /tmp) with N empty files (1000 by default)
# and lists it for one second:
#   ours      BUILD_DIR/bench/bench_find (bench/win32/bench_find.c: FindFirstFileA,
#             FindNextFileA, FindClose over DIR\*)
#   raw       BUILD_DIR/bench/find_raw (anchors/find_raw.c: opendir/readdir + fstatat)
# Prints the median entries/s of each over N runs (5 by default), interleaved, and
# ours/raw. No target is set for it (issue 15 names none): the number is reported.
set -uo pipefail
runs=5
files=1000
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: find.sh BUILD_DIR [--runs N] [--files N]}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

run_one() { # name command...
    local name=$1; shift
    local dir="$work/d-$name-$RANDOM"
    mkdir "$dir"
    local out rate
    out=$("$@" "$files" "$dir" 2>&1)
    rm -rf "$dir"
    rate=$(awk '/entries_per_s/ {print $2}' <<<"$out")
    if [ -z "$rate" ]; then echo "  $name: failed: $out" >&2; return; fi
    echo "$rate" >>"$work/$name"
}

for ((i = 0; i < runs; ++i)); do
    run_one ours "$build/bench/bench_find"
    run_one raw "$build/bench/find_raw"
done

ours=$(median <"$work/ours" 2>/dev/null || echo -)
raw=$(median <"$work/raw" 2>/dev/null || echo -)
ratio=$(awk -v a="$ours" -v b="$raw" 'BEGIN {if (b > 0 && a > 0) printf "%.2f", a / b; else print "-"}')
printf '%-30s %14s %14s %10s\n' "FindFirstFile/FindNextFile" "ours" "readdir+stat" "ours/raw"
printf '%-30s %14s %14s %10s\n' "entries listed /s ($files files)" "$ours" "$raw" "$ratio"
