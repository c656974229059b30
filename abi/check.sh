#!/bin/sh
# The ABI check (make check's abi-check) and its baseline (make abi-update).
#   abi/check.sh BUILD_DIR            build libspx.so there, compare with abi/libspx.abi
#   abi/check.sh BUILD_DIR --update   build it and write abi/libspx.abi
# BUILD_DIR is a release build with debug information (abidw reads the
# types from DWARF) and -fcf-protection, configured by the Makefile.
#
# Fails on an incompatible change: a removed or changed function, a changed
# public type (spx_error ...). Added functions pass (and are listed). Also
# checks the CET marking (IBT, SHSTK) of the library: see below.
set -eu
build=$1
mode=${2:-check}
top=$(cd "$(dirname "$0")/.." && pwd)
baseline=$top/abi/libspx.abi

# Relink, so that the linker's report on the CET marking of its inputs is
# seen every time.
find "$build/lib" -maxdepth 1 -type f -name "libspx.so.*" -delete
log=$build/abi-link.log
meson compile -C "$build" lib/spx:shared_library >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
lib=$(find "$build/lib" -maxdepth 1 -type f -name "libspx.so.*")

# -fcf-protection marks every object of libspx with IBT and SHSTK; the
# linker keeps a property only if every input has it. Debian 12's crti.o and
# crtn.o (glibc built without CET) have none, so on such a system the
# library carries no marking whatever spx does: accept exactly that case,
# and fail if any other input (one of spx's objects) lacks it.
if readelf -n "$lib" | grep -q 'x86 feature: IBT, SHSTK'; then
    echo "abi: $(basename "$lib"): IBT and SHSTK (readelf -n)"
else
    missing=$(sed -n 's/^.*ld: \(.*\): warning: missing .*properties$/\1/p' "$log")
    if [ -z "$missing" ]; then
        echo "abi: $lib: no IBT/SHSTK note and no report from the linker (-z cet-report)" >&2
        exit 1
    fi
    others=$(echo "$missing" | grep -v '/crt[in]\.o$' || true)
    if [ -n "$others" ]; then
        echo "abi: $lib: these inputs lack the IBT/SHSTK properties:" >&2
        echo "$others" >&2
        exit 1
    fi
    echo "abi: $(basename "$lib"): no IBT/SHSTK note: only the C library's crti.o and crtn.o lack it" \
        "(every object of libspx has IBT and SHSTK)"
fi

dump() {
    abidw --suppressions "$top/abi/libspx.suppr" --headers-dir "$top/include" --drop-private-types --no-corpus-path --no-comp-dir-path \
        --no-show-locs --out-file "$1" "$lib"
}

if [ "$mode" = --update ]; then
    dump "$baseline"
    echo "abi: baseline written: abi/libspx.abi"
    exit 0
fi

fresh=$build/libspx.abi
dump "$fresh"
# Without the added functions, any difference is incompatible: abidiff
# exits 4 (ABI change) or 8 (incompatible change) for a removed function,
# a changed parameter or return type, a changed struct.
report=$build/abidiff.txt
if abidiff --no-added-syms "$baseline" "$fresh" >"$report" 2>&1; then
    added=$(abidiff "$baseline" "$fresh" 2>&1 | sed -n 's/^  \[A\] //p' || true)
    if [ -n "$added" ]; then
        echo "abi: compatible with abi/libspx.abi; added (they belong in SPX_0.2 of lib/libspx.map; make abi-update):"
        echo "$added" | sed 's/^/  /'
    else
        echo "abi: identical to abi/libspx.abi"
    fi
else
    rc=$?
    echo "abi: INCOMPATIBLE with abi/libspx.abi (abidiff exit $rc):" >&2
    cat "$report" >&2
    exit 1
fi
