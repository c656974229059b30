#!/usr/bin/env bash
# Benchmarks spx.Command(...).Run() against exec.Command(...).Run() for
# /bin/true, with a small heap and with 1 GiB of heap, then runs the leak
# check with 10,000 spawns. No race detector here.
#
#   SPX_BUILD_DIR=/path/to/meson/builddir bindings/go/bench.sh
#
# Two benchmarks: BenchmarkSpawn times spx and os/exec one after the other
# (side by side in one run); BenchmarkSpawnPaired alternates them in one loop,
# so that load from elsewhere weighs on both alike: its ratio is the steadier
# figure on a busy machine.
#
# SPX_BENCH_N (spawns per measurement, default 1000), SPX_BENCH_COUNT
# (measurements, default 5; medians are printed) and SPX_LEAK_SPAWNS (default
# 10000) tune it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$here"

n=${SPX_BENCH_N:-1000}
count=${SPX_BENCH_COUNT:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== go test -bench: $count x $n spawns of /bin/true per case"
go test -run '^$' -bench '^BenchmarkSpawn(Paired)?$' -benchtime "${n}x" -count "$count" . | tee "$log"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# field: the number before the unit $2 on the lines of benchmark $1
metric() { grep -E "^$1-[0-9]+[[:space:]]" "$log" | awk -v unit="$2" '{ for (i = 2; i < NF; i++) if ($(i + 1) == unit) print $i }' | median; }

echo
echo "== medians, microseconds per Run (start + wait)"
printf '%-8s | %-33s | %-33s\n' "" "BenchmarkSpawn (one, then other)" "BenchmarkSpawnPaired (alternated)"
printf '%-8s | %10s %10s %11s | %10s %10s %11s\n' "heap" "spx" "os/exec" "spx/os-exec" "spx" "os/exec" "spx/os-exec"
for heap in small 1GiB; do
	s=$(metric "BenchmarkSpawn/heap=$heap/spx" ns/op)
	o=$(metric "BenchmarkSpawn/heap=$heap/os-exec" ns/op)
	ps=$(metric "BenchmarkSpawnPaired/heap=$heap" spx-ns/op)
	po=$(metric "BenchmarkSpawnPaired/heap=$heap" os-exec-ns/op)
	pr=$(metric "BenchmarkSpawnPaired/heap=$heap" spx/os-exec)
	awk -v h="$heap" -v s="$s" -v o="$o" -v ps="$ps" -v po="$po" -v pr="$pr" 'BEGIN {
		printf "%-8s | %10.1f %10.1f %11.3f | %10.1f %10.1f %11.3f\n", h, s / 1000, o / 1000, s / o, ps / 1000, po / 1000, pr
	}'
done

echo
echo "== leak check: ${SPX_LEAK_SPAWNS:-10000} spawns"
SPX_LEAK_SPAWNS=${SPX_LEAK_SPAWNS:-10000} go test -run '^TestNoLeaks$' -count=1 -v .
