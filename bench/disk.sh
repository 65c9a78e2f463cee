#!/usr/bin/env bash
# disk.sh BUILD_DIR [--quick] [--runs N]: unbuffered 64 KiB random reads of a physical-drive
# image (issue 15). Runs, interleaved over N runs (3 by default), and prints medians and
# the ratio against the anchor:
#   ours      BUILD_DIR/bench/bench_disk (win32/bench_disk.c): \\.\PHYSICALDRIVE9 mapped
#             to the image with OVERLAPPED_PHYSICALDRIVES, FILE_FLAG_NO_BUFFERING, 16 reads
#             in flight through a completion port
#   fallback  the same with OVERLAPPED_ENGINE=fallback (epoll + thread pool)
#   liburing  BUILD_DIR/bench/uring_disk (anchors/uring_disk.cpp): the same reads, O_DIRECT
# The image (512 MiB of non-zero data, so that reads reach the disk) is made once as
# $OVERLAPPED_BENCH_DIR/overlapped-disk-512m.img (default BUILD_DIR/bench/data) and
# reused. It must be on a disk file system: tmpfs refuses O_DIRECT.
# Target: ours ≥ 0.9× liburing.
set -uo pipefail
quick=""
runs=3
positional=()
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=--quick; shift ;;
    --runs) runs=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
build=$(cd "${positional[0]:?usage: disk.sh BUILD_DIR [--quick] [--runs N]}" && pwd)
data=${OVERLAPPED_BENCH_DIR:-$build/bench/data}
mkdir -p "$data"
image=$data/overlapped-disk-512m.img
if [ ! -f "$image" ] || [ "$(stat -c %s "$image")" -ne $((512 * 1024 * 1024)) ]; then
    echo "disk.sh: making $image (512 MiB)" >&2
    head -c $((512 * 1024 * 1024)) /dev/urandom >"$image.tmp" && sync && mv "$image.tmp" "$image" || exit 1
fi
echo "disk.sh: image on $(df -T "$image" | awk 'NR==2 {print $2}') ($image), $runs runs" >&2

declare -A values
metric() { awk -v m="$1" '$1 == "METRIC" && $2 == m {print $3}'; }
run_one() {  # column command...
    local column=$1; shift
    local out
    out=$("$@" 2>&2) || { echo "disk.sh: $column failed" >&2; return; }
    local value
    value=$(metric "$metric_name" <<<"$out")
    [ -n "$value" ] && values[$column]+="$value "
}
for ((run = 0; run < runs; ++run)); do
    metric_name=disk_read64k_nobuf_port_mbps
    run_one ours env OVERLAPPED_PHYSICALDRIVES="9=$image" "$build/bench/bench_disk" $quick 9
    run_one fallback env OVERLAPPED_ENGINE=fallback OVERLAPPED_PHYSICALDRIVES="9=$image" "$build/bench/bench_disk" $quick 9
    metric_name=uring_disk_read64k_direct_mbps
    run_one liburing "$build/bench/uring_disk" $quick "$image"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
ours=$(median <<<"${values[ours]:-}")
fallback=$(median <<<"${values[fallback]:-}")
anchor=$(median <<<"${values[liburing]:-}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b}'; }
printf '%-44s %12s %12s %12s %8s %8s %8s\n' metric ours fallback liburing ratio fb-ratio target
printf '%-44s %12s %12s %12s %8s %8s %8s\n' "64 KiB unbuffered random reads, QD16 (MB/s)" "$ours" "$fallback" "$anchor" \
    "$(ratio "$ours" "$anchor")" "$(ratio "$fallback" "$anchor")" "≥0.90"
