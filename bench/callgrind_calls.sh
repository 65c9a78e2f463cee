#!/usr/bin/env bash
# callgrind_calls.sh BUILD_DIR [LIBRARY_DIR]: user-space instructions the library spends on a
# WriteFile and a ReadFile that finish at once (bench_pipe loop under callgrind, fallback
# engine: no io_uring for valgrind to follow). Counts are inclusive of everything the two
# calls run in user space (the library and libc's syscall wrapper), divided by their calls.
# Unlike time, the count does not move with a noisy host, so a change of a few percent in
# the library's path shows (this guest has no hardware counters for perf stat).
# LIBRARY_DIR: another build's liboverlapped to compare (LD_LIBRARY_PATH; the same
# bench binary runs either).
set -euo pipefail
build=$(cd "${1:?usage: callgrind_calls.sh BUILD_DIR [LIBRARY_DIR]}" && pwd)
library=${2:-$build}
command -v valgrind >/dev/null || { echo "callgrind_calls.sh: valgrind is not installed" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
OVERLAPPED_ENGINE=fallback LD_LIBRARY_PATH=$library timeout 300 valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$build/bench/bench_pipe" loop loop "callgrind-$$" -w 0.05 -d 0.5 >/dev/null 2>&1
python3 - "$out" <<'PY'
import re, subprocess, sys
path = sys.argv[1]
inclusive = subprocess.run(["callgrind_annotate", "--inclusive=yes", path], capture_output=True, text=True).stdout
names, calls, callee = {}, {}, None
for line in open(path):
    m = re.match(r'(c?fn)=\((\d+)\)(?: (.*))?', line)
    if m:
        if m.group(3): names[m.group(2)] = m.group(3).strip()
        if m.group(1) == 'cfn': callee = names.get(m.group(2), m.group(2))
        continue
    m = re.match(r'calls=(\d+)', line)
    if m and callee: calls[callee] = calls.get(callee, 0) + int(m.group(1))
for function in ("WriteFile", "ReadFile"):
    for row in inclusive.splitlines():
        m = re.match(r'\s*([\d,]+) \([^)]*\)\s+\S*:' + function + r' \[', row)
        if m and calls.get(function):
            print(f"{function}: {int(m.group(1).replace(',', '')) // calls[function]} instructions a call "
                  f"({calls[function]} calls)")
            break
PY
