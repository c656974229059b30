#!/usr/bin/env bash
# Tests the Go binding against a libspx build tree, with the race detector.
#
#   SPX_BUILD_DIR=/path/to/meson/builddir bindings/go/check.sh [go test flags]
#
# Extra arguments go to go test (e.g. -short, -run TestLandlock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
cd "$here"

tags=()
if [ "$(id -u)" != 0 ]; then
	echo "check.sh: not root: tests needing root skip, the root-only example is left out"
	tags=(-tags spx_noroot)
fi
echo "check.sh: $(go version), libspx $(pkg-config --modversion spx) from $spx_build"
go vet "${tags[@]}" ./...
exec go test "${tags[@]}" -race -count=1 -timeout 10m -v "$@" ./...
