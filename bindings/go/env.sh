# Sourced by check.sh and bench.sh: points cgo and the dynamic loader at the
# libspx build tree in SPX_BUILD_DIR and sets Go up to work offline.

if [ -z "${SPX_BUILD_DIR:-}" ]; then
	echo "${0##*/}: set SPX_BUILD_DIR to a meson build directory of libspx" >&2
	exit 2
fi
spx_build=$(cd "$SPX_BUILD_DIR" && pwd)
if ! command -v go >/dev/null; then
	echo "${0##*/}: no go command (Debian: apt-get install golang-go)" >&2
	exit 2
fi

# meson's uninstalled .pc: meson-uninstalled/ (meson's own) or pkgconfig/
# (the project's spx-uninstalled.pc), whichever exists.
export PKG_CONFIG_PATH="$spx_build/meson-uninstalled:$spx_build/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$spx_build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ! pkg-config --exists spx; then
	echo "${0##*/}: no spx.pc for the build tree $spx_build" >&2
	exit 2
fi

# No module is downloaded: the binding has no dependency.
export CGO_ENABLED=1 GO111MODULE=on GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=

# Go's caches stay where they are (under HOME) unless HOME is not a writable
# directory; then they go in the build tree.
if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ] || [ ! -w "$HOME" ]; then
	[ -n "${GOCACHE:-}" ] || export GOCACHE="$spx_build/go/cache"
	[ -n "${GOPATH:-}" ] || export GOPATH="$spx_build/go/path"
	[ -n "${GOENV:-}" ] || export GOENV=off
fi

# Go's build cache does not notice a change of pkg-config output or of a C
# header: key the cgo flags on the build tree and on spx.h's content, so that
# another tree or a new header never reuses a stale compiled package.
spx_header="$(pkg-config --variable=includedir spx)/spx.h"
spx_key=$( (echo "$spx_build"; cat "$spx_header") | sha256sum | cut -c1-16)
export CGO_CFLAGS="${CGO_CFLAGS:--g -O2} -DSPX_GO_CACHE_KEY=$spx_key"
export CGO_LDFLAGS="${CGO_LDFLAGS:--g -O2} -L$spx_build/lib"
