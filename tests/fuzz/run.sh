#!/bin/sh
# Runs the libFuzzer targets of a fuzz build (make fuzz, make check).
#   tests/fuzz/run.sh BUILD_DIR SECONDS [--fresh] [TARGET...]
# Each target first runs every input of its seed corpus
# (tests/fuzz/corpus/TARGET/, regression inputs included), then mutates for
# SECONDS. New inputs go to BUILD_DIR/fuzz-corpus/TARGET (a fresh temporary
# directory with --fresh), never into the seed corpus; a crash leaves its
# input in BUILD_DIR/fuzz-artifacts/ and fails the run: copy it into the
# seed corpus once the defect is fixed.
set -eu
build=$1
seconds=$2
shift 2
fresh=0
if [ "${1:-}" = "--fresh" ]; then
    fresh=1
    shift
fi
src=$(cd "$(dirname "$0")" && pwd)
targets=${*:-options builder names oci}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$build/fuzz-artifacts"
status=0
for t in $targets; do
    exe=$build/tests/fuzz/fuzz-$t
    if [ $fresh = 1 ]; then
        work=$(mktemp -d)
    else
        work=$build/fuzz-corpus/$t
        mkdir -p "$work"
    fi
    # spx-run's refused command lines unwind past its frees (exit() would
    # free them): its target checks memory errors, not leaks.
    extra=""
    [ "$t" = options ] && extra="-detect_leaks=0"
    log=$build/fuzz-$t.log
    seeds=$(ls "$src/corpus/$t" | wc -l)
    if "$exe" -max_total_time="$seconds" -close_fd_mask=3 -print_final_stats=1 $extra \
        -artifact_prefix="$build/fuzz-artifacts/$t-" "$work" "$src/corpus/$t" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        cov=$(sed -n 's/.*DONE *cov: \([0-9]*\).*/\1/p' "$log" | tail -1)
        echo "fuzz-$t: ok, $seeds seed inputs, $runs runs in ${seconds} s ($rate/s), coverage $cov"
    else
        echo "fuzz-$t: FAILED (log: $log)" >&2
        grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" >&2 || tail -20 "$log" >&2
        status=1
    fi
    [ $fresh = 1 ] && rm -rf "$work"
done
exit $status
