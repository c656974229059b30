#!/bin/sh
# A library built with -fcf-protection (Ubuntu's and Fedora's default) must
# stay IBT and SHSTK marked: the linker drops the marking when any object,
# hand-written assembly included, lacks the GNU property note. Builds
# clone3.S with a C object into a shared object and reads its notes.
#   check-cet.sh CC CLONE3_S
set -eu
cc=$1
src=$2
case "$(uname -m)" in x86_64) ;; *) echo "skipped: x86_64 only"; exit 77 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! echo 'int f(void) { return 0; }' | $cc -fcf-protection -x c -c -o "$tmp/f.o" - 2>/dev/null; then
    echo "skipped: $cc has no -fcf-protection"
    exit 77
fi
$cc -fcf-protection -c "$src" -o "$tmp/clone3.o"
# Without the C runtime's start files: a distribution that does not build
# its own with CET (Debian 12) would unmark any library.
$cc -shared -nostdlib "$tmp/f.o" "$tmp/clone3.o" -o "$tmp/lib.so"
notes=$(readelf -n "$tmp/lib.so")
echo "$notes" | grep -q 'IBT' && echo "$notes" | grep -q 'SHSTK' || {
    echo "clone3.S loses the IBT/SHSTK marking:" >&2
    echo "$notes" >&2
    exit 1
}
echo "IBT and SHSTK kept"
