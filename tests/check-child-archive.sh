#!/bin/sh
# The code that runs in the CLONE_VM child (lib/linux: child.cpp, clone3.S)
# must call nothing outside itself: no libc (errno, locks), no sanitizer,
# profiler or coverage hook. Any of those shows up here as an undefined
# symbol of its archive, whatever instrumentation the build enables.
#   check-child-archive.sh ARCHIVE
set -eu
undefined=$(nm -u "$1" | grep -v -e '^$' -e ':$' || true)
if [ -n "$undefined" ]; then
    echo "the child's code calls outside itself:" >&2
    echo "$undefined" >&2
    exit 1
fi
echo "child archive: no undefined symbol"
