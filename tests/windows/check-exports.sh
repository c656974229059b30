#!/bin/sh
# spx.dll exports exactly the functions spx.h declares: every spx_* function,
# nothing else (no C++ runtime, no internal symbol).
#   check-exports.sh OBJDUMP SPX_DLL SPX_H
set -eu
objdump=$1 dll=$2 header=$3
exports=$("$objdump" -p "$dll" | awk '/\[Ordinal\/Name Pointer\] Table/ { on = 1; next } on && NF == 0 { exit } on { print $NF }' | sort)
declared=$(sed -n 's/^[a-z][a-z0-9_ *]*[ *]\(spx_[a-z0-9_]*\)(.*/\1/p' "$header" | sort -u)
n=$(echo "$exports" | grep -c . || true)
if [ "$exports" != "$declared" ]; then
    echo "spx.dll exports differ from spx.h's functions (< exported, > declared):"
    tmp=$(mktemp)
    echo "$exports" >"$tmp"
    echo "$declared" | diff "$tmp" - || true
    rm -f "$tmp"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
echo "spx.dll exports the $n functions of spx.h and nothing else"
echo "1 passed, 0 failed, 0 skipped"
