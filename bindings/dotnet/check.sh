#!/usr/bin/env bash
# Tests the .NET binding against a libspx build tree.
#
#   SPX_BUILD_DIR=/path/to/meson/builddir bindings/dotnet/check.sh [dotnet test arguments]
#
# 1. the generated interop layer matches include/spx.h (generate.sh --check);
# 2. a stripped release libspx.so is built for the package (obj/native/), and
#    SPX_WINDOWS_BUILD_DIR's spx.dll (a mingw cross build) is added when set;
# 3. the benchmark program runs (briefly);
# 4. dotnet test: the xunit suite, the examples and the package-consumer test.
# NuGet packages come from the configured NuGet source (xunit.v3, the test SDK).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SPX_BUILD_DIR:-}" ]; then
	echo "check.sh: set SPX_BUILD_DIR to a meson build directory of libspx" >&2
	exit 2
fi
spx_build=$(cd "$SPX_BUILD_DIR" && pwd)
for tool in dotnet clang meson ninja strip; do
	command -v $tool >/dev/null || { echo "check.sh: no $tool command (scripts/deps installs clang, meson, ninja; the .NET SDK comes with the machine)" >&2; exit 2; }
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
[ "$(id -u)" = 0 ] || echo "check.sh: not root: tests needing root skip (listed as skipped)"
echo "check.sh: dotnet $(dotnet --version), libspx from $spx_build"

"$here/generate.sh" --check

# The package carries a stripped release build, named libspx.so (see Spx.csproj).
release="$here/obj/libspx-release"
src=$(cd "$here/../.." && pwd)
if [ ! -f "$release/build.ninja" ]; then
	meson setup "$release" "$src" --buildtype=release -Dtests=false >/dev/null
fi
lib=$(ninja -C "$release" -t targets all | sed -n 's/^\(lib\/libspx\.so[.0-9]*\): .*_LINKER$/\1/p' | head -n1)
[ -n "$lib" ] || { echo "check.sh: no libspx.so target in $release" >&2; exit 1; }
ninja -C "$release" "$lib" >/dev/null
mkdir -p "$here/obj/native/linux-x64"
strip --strip-unneeded -o "$here/obj/native/linux-x64/libspx.so" "$release/$lib"
# With a Windows cross build (make check-windows sets SPX_WINDOWS_BUILD_DIR), the
# package carries its DLL as runtimes/win-x64/native/spx.dll; without one, only
# the Linux asset (the package test says so).
rm -rf "$here/obj/native/win-x64"
if [ -n "${SPX_WINDOWS_BUILD_DIR:-}" ]; then
	dll=
	for f in lib/spx.dll lib/libspx.dll lib/libspx-0.dll; do
		[ -f "$SPX_WINDOWS_BUILD_DIR/$f" ] && { dll="$SPX_WINDOWS_BUILD_DIR/$f"; break; }
	done
	[ -n "$dll" ] || { echo "check.sh: SPX_WINDOWS_BUILD_DIR=$SPX_WINDOWS_BUILD_DIR holds no lib/spx.dll: build it first" >&2; exit 2; }
	mkdir -p "$here/obj/native/win-x64"
	x86_64-w64-mingw32-strip --strip-unneeded -o "$here/obj/native/win-x64/spx.dll" "$dll"
	echo "check.sh: the package carries $dll as runtimes/win-x64/native/spx.dll"
fi

export SPX_BUILD_DIR="$spx_build"
export SPX_LIBRARY="$spx_build/lib/libspx.so.0"
export SPX_NATIVE_DIR="$here/obj/native"
# The benchmark builds and runs (a few spawns, a small heap); bench.sh runs the real one.
dotnet run -c Release --project "$here/Spx.Benchmarks" -- 1 20 16 | tail -n 3 | sed 's/^/benchmark smoke run (20 spawns, not a measurement): /'

cd "$here/Spx.Tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
count() { sed -n "s/^ *$1: *\([0-9][0-9]*\)\$/\1/p" "$log" | tail -n1; }
passed=$(count Passed) failed=$(count Failed) skipped=$(count Skipped)
echo "dotnet: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $status
