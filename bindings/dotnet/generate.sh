#!/usr/bin/env bash
# Regenerates Spx/Interop/*.g.cs from include/spx.h (needs clang and the .NET SDK).
#   bindings/dotnet/generate.sh            write the files
#   bindings/dotnet/generate.sh --check    fail when the checked-in files differ, and check
#                                          that the generator refuses what it cannot translate
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
header="$here/../../include/spx.h"
out="$here/Spx/Interop"
if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$here/generator" && dotnet run Generate.cs -- "$header" "$tmp")
	status=0
	for f in "$tmp"/*.g.cs; do
		if ! diff -u "$out/$(basename "$f")" "$f"; then status=1; fi
	done
	for f in "$out"/*.g.cs; do
		[ -e "$tmp/$(basename "$f")" ] || { echo "generate.sh: $f is no longer generated"; status=1; }
	done
	if [ $status != 0 ]; then
		echo "generate.sh: Spx/Interop/*.g.cs is stale: run bindings/dotnet/generate.sh" >&2
		exit 1
	fi
	echo "generate.sh: Spx/Interop/*.g.cs matches include/spx.h"
	(cd "$here/generator" && dotnet run Generate.cs -- --expect-errors bad/*.h)
else
	(cd "$here/generator" && dotnet run Generate.cs -- "$header" "$out")
fi
