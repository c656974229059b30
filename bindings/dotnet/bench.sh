#!/usr/bin/env bash
# SpxProcess vs Process.Start for /bin/true, small heap and ~1 GiB heap, interleaved.
#   SPX_BUILD_DIR=/path/to/meson/builddir bindings/dotnet/bench.sh [rounds] [spawns per round] [heap MiB]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SPX_BUILD_DIR:?set SPX_BUILD_DIR to a meson build directory of libspx}"
export SPX_LIBRARY="$(cd "$SPX_BUILD_DIR" && pwd)/lib/libspx.so.0" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run -c Release --project "$here/Spx.Benchmarks" -- "$@"
