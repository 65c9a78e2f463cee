#!/usr/bin/env bash
# check-header.sh COMPILER LANGUAGE HEADER INCLUDE_DIRS...: the header compiles on its
# own, and before and after the C library headers, with -Wall -Wextra -Werror.
set -euo pipefail
compiler=$1 language=$2 header=$3
shift 3
includes=()
for dir in "$@"; do includes+=("-I$dir"); done
libc='#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>'
for order in alone first last; do
    case $order in
    alone) source="#include <$header>" ;;
    first) source="#include <$header>
$libc" ;;
    last) source="$libc
#include <$header>" ;;
    esac
    printf '%s\nint main(void) { return 0; }\n' "$source" |
        "$compiler" -x "$language" -Wall -Wextra -Werror -fsyntax-only "${includes[@]}" - ||
        { echo "$header ($language, $order) does not compile"; exit 1; }
done
echo "$header ($language): ok"
