#!/usr/bin/env bash
# filecopy.sh BUILD_DIR SOURCE [--quick]: copies SOURCE (the 1 GiB benchmark file) beside
# itself with examples/filecopy, cp, dd bs=1M and dd bs=1M iflag=direct oflag=direct, and
# prints "METRIC name seconds" for each. Every time includes an fsync of the copy
# (`sync FILE`), so the buffered copies pay for their writes as the unbuffered ones do.
# SOURCE is read once first (page cache, as for the read benchmarks). Each copy is deleted
# at once: at most one copy beside SOURCE at a time.
set -uo pipefail
build=${1:?usage: filecopy.sh BUILD_DIR SOURCE}
source=${2:?usage: filecopy.sh BUILD_DIR SOURCE}
copy="$source.copy"
trap 'rm -f "$copy"' EXIT

size=$(stat -c %s "$source") || exit 1
available=$(df --output=avail -B1 "$(dirname "$source")" | tail -1)
if ((available < size + 512 * 1024 * 1024)); then
    echo "# filecopy.sh: not enough space beside $source for a copy" >&2
    exit 0
fi

timed() {  # metric command...: one copy, timed with its fsync
    local metric=$1
    shift
    rm -f "$copy"
    local start end
    start=$(date +%s%N)
    if ! "$@" >/dev/null 2>&1 || ! sync "$copy"; then
        echo "# filecopy.sh: $metric failed: $*" >&2
        rm -f "$copy"
        return
    fi
    end=$(date +%s%N)
    if ! cmp -s "$source" "$copy"; then echo "# filecopy.sh: $metric: the copy differs" >&2; fi
    rm -f "$copy"
    echo "METRIC $metric $(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }') s"
}

cat "$source" >/dev/null
timed filecopy_1g_s "$build/examples/filecopy/filecopy" "$source" "$copy"
timed cp_1g_s cp "$source" "$copy"
timed dd_1g_s dd if="$source" of="$copy" bs=1M
timed dd_direct_1g_s dd if="$source" of="$copy" bs=1M iflag=direct oflag=direct
# Let the file system finish with the removed copies (freeing and discarding 4 GiB of
# blocks runs in kernel threads for a while) before the next benchmark, whose latency
# figures it would otherwise disturb.
sync
sleep 3
