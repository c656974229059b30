#!/usr/bin/env bash
# Checks the Go binding for Windows against a mingw cross build of spx.dll:
# go vet for windows/amd64 (cgo, mingw-w64), then the package's tests and
# examples, compiled into one Windows test program, run under wine.
#
#   SPX_WINDOWS_BUILD_DIR=/path/to/cross/builddir bindings/go/check-windows.sh [test flags]
#
# make check-windows sets SPX_WINDOWS_BUILD_DIR and WINEPREFIX (a prefix in
# the build tree; without it, <build>/wine, the one make uses). Extra
# arguments go to the test program (e.g. -test.run Windows). Without wine,
# the tests are built but not run, and the script says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

if [ -z "${SPX_WINDOWS_BUILD_DIR:-}" ]; then
	echo "check-windows.sh: set SPX_WINDOWS_BUILD_DIR to a cross build of libspx (meson setup --cross-file cross/x86_64-w64-mingw32.ini)" >&2
	exit 2
fi
win=$(cd "$SPX_WINDOWS_BUILD_DIR" && pwd)
cc=x86_64-w64-mingw32-gcc-posix
for tool in go "$cc"; do
	command -v "$tool" >/dev/null || { echo "check-windows.sh: no $tool (scripts/deps --windows installs mingw-w64 and wine; Debian: golang-go)" >&2; exit 2; }
done
dll=
for f in lib/spx.dll lib/libspx.dll lib/libspx-0.dll; do
	[ -f "$win/$f" ] && { dll="$win/$f"; break; }
done
implib=$(ls "$win"/lib/spx.dll.a "$win"/lib/libspx.dll.a "$win"/lib/spx.lib 2>/dev/null | head -n1 || true)
if [ -z "$dll" ] || [ -z "$implib" ]; then
	echo "check-windows.sh: $win holds no lib/spx.dll with its import library: build it first (ninja -C $win)" >&2
	exit 2
fi

# cgo finds the library through pkg-config: a .pc of our own for the cross
# build (the host's pkg-config must not hand Linux flags to mingw).
out="$win/go-windows"
mkdir -p "$out/pkgconfig"
cat >"$out/pkgconfig/spx.pc" <<PC
Name: spx
Description: libspx cross build in $win (for the Go binding's Windows check)
Version: 0
Cflags: -I$src/include
Libs: -L$(dirname "$implib") -lspx
PC
export PKG_CONFIG_PATH="$out/pkgconfig" PKG_CONFIG_LIBDIR="$out/pkgconfig"
export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$cc"
export GO111MODULE=on GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=
# As env.sh does: the header's content keys Go's build cache.
export CGO_CFLAGS="-g -O2 -DSPX_GO_CACHE_KEY=$( (echo "$win"; cat "$src/include/spx.h") | sha256sum | cut -c1-16)"
if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ] || [ ! -w "$HOME" ]; then
	[ -n "${GOCACHE:-}" ] || export GOCACHE="$out/cache"
	[ -n "${GOPATH:-}" ] || export GOPATH="$out/path"
	[ -n "${GOENV:-}" ] || export GOENV=off
fi
cd "$here"
echo "check-windows.sh: $(go version | sed 's/ [^ ]*$//') for windows/amd64 with $("$cc" --version | head -n1), spx.dll from $dll"
go vet ./...
echo "check-windows.sh: go vet (windows/amd64): ok"
go test -c -o "$out/spx.test.exe" .
cp "$dll" "$out/spx.dll" # the loader looks next to the program first

if ! command -v wine >/dev/null; then
	echo "check-windows.sh: SKIP running the tests: no wine (scripts/deps --windows installs it)"
	exit 0
fi
export WINEPREFIX="${WINEPREFIX:-$win/wine}" WINEDEBUG="${WINEDEBUG:--all}"
log="$out/test.log"
status=0
(cd "$out" && wine ./spx.test.exe -test.v -test.count=1 -test.timeout=5m "$@") 2>&1 | tr -d '\r' | tee "$log" || status=$?
passed=$(grep -c '^--- PASS' "$log" || true)
failed=$(grep -c '^--- FAIL' "$log" || true)
skipped=$(grep -c '^--- SKIP' "$log" || true)
echo "go (windows/amd64 under $(wine --version)): $passed passed, $failed failed, $skipped skipped"
if [ "$status" = 0 ] && ! grep -q '^PASS$' "$log"; then status=1; fi
exit $status
