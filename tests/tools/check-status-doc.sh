#!/usr/bin/env bash
# check-status-doc.sh LIBRARY DOCS_DIR: every function the library exports has a row in
# DOCS_DIR/win32-status.md (the first column of a table), so the table of every Win32
# function with its status stays whole as functions are added.
#
# The first column names functions in a few compact forms, expanded here:
#   CreateEventA/W         CreateEventA, CreateEventW (W or Ex replace a final A:
#                          GetDateFormatA/W/Ex; another alternative replaces the final
#                          run of capitals: SleepConditionVariableCS/SRW)
#   WaitForSingleObject(Ex) WaitForSingleObject, WaitForSingleObjectEx
#   `_beginthreadex`       backquotes are ignored
# An export named overlapped_X is the library's own name for a standard one (`accept`,
# `lstrlenA`: the headers rename them so they do not clash with libc's) when X has a row;
# otherwise it is an extension, named in some page of DOCS_DIR (extensions.md).
# Prints "N passed, M failed" (one check per export); exit 77 (skip) without nm.
set -uo pipefail
library=${1:?usage: check-status-doc.sh LIBRARY DOCS_DIR}
docs=${2:?usage: check-status-doc.sh LIBRARY DOCS_DIR}
command -v nm >/dev/null || { echo "nm not installed: skipped"; exit 77; }

exports=$(nm -D --defined-only "$library" | awk '$2 == "T" || $2 == "W" { sub(/@.*/, "", $3); print $3 }' | sort -u)
[ -n "$exports" ] || { echo "no exports read from $library"; echo "0 passed, 1 failed"; exit 1; }

listed=$(awk -F'|' '
    /^\|/ && $2 !~ /^ *-+ *$/ {
        cell = $2
        gsub(/`/, "", cell)
        while (match(cell, /[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z0-9]+\))*(\/[A-Za-z0-9]+)*/)) {
            token = substr(cell, RSTART, RLENGTH)
            cell = substr(cell, RSTART + RLENGTH)
            # the name, its optional suffixes "(Ex)", its alternatives "/W"
            n = split(token, parts, "/")
            base = parts[1]
            optional = ""
            while (match(base, /\([A-Za-z0-9]+\)$/)) {
                optional = substr(base, RSTART + 1, RLENGTH - 2) " " optional
                base = substr(base, 1, RSTART - 1)
            }
            count = 1
            names[1] = base
            for (i = 2; i <= n; ++i) {
                # an A/W pair replaces the final A (CreateEventA/W, StringCchCopyNA/W,
                # GetDateFormatA/W/Ex); any other alternative the final run of capitals
                # (SleepConditionVariableCS/SRW)
                stem = base
                if (base ~ /A$/ && (parts[i] == "W" || parts[i] == "Ex")) stem = substr(base, 1, length(base) - 1)
                else if (match(base, /[A-Z]+$/)) stem = substr(base, 1, RSTART - 1)
                names[++count] = stem parts[i]
            }
            m = split(optional, suffixes, " ")
            for (j = 1; j <= count; ++j) {
                print names[j]
                for (k = 1; k <= m; ++k) print names[j] suffixes[k]
            }
        }
    }' "$docs/win32-status.md" | sort -u)

passed=0
failed=0
unlisted=$(comm -23 <(echo "$exports") <(echo "$listed"))
total=$(echo "$exports" | wc -l)
for name in $unlisted; do
    if [ "$name" = main ] || [[ $name == __* ]]; then
        # the weak main for programs with wmain only (src/win32/wmain.cpp); a compiler's or
        # sanitizer's hook: not ours to list
        total=$((total - 1))
    elif [[ $name == overlapped_* ]] && { grep -qxF "${name#overlapped_}" <<<"$listed" ||
                                          grep -qwF "$name" "$docs"/*.md; }; then
        :
    else
        echo "FAIL: $name is exported but has no row in $docs/win32-status.md"
        failed=$((failed + 1))
    fi
done
passed=$((total - failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
