#!/usr/bin/env bash
# Tests the Rust binding against a libspx build tree: the bindings match the
# header (regen.sh --check, where bindgen is installed), rustfmt and clippy
# are clean (where the toolchain has them), the documentation builds without
# a warning, then cargo test: unit, integration and doc tests, and the
# examples are built.
#
#   SPX_BUILD_DIR=/path/to/meson/builddir bindings/rust/check.sh [cargo test args]
#
# Extra arguments go to cargo test (e.g. --test errors, -- --nocapture).
# Cargo's output goes to <build>/rust-target, so each build tree has its own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${SPX_BUILD_DIR:-}" ]; then
	echo "check.sh: set SPX_BUILD_DIR to a meson build directory of libspx" >&2
	exit 2
fi
spx_build=$(cd "$SPX_BUILD_DIR" && pwd)
if ! command -v cargo >/dev/null; then
	echo "check.sh: no cargo (Debian: apt-get install rustc cargo)" >&2
	exit 2
fi
if [ ! -e "$spx_build/lib/libspx.so" ] || [ ! -x "$spx_build/tests/spx-probe" ]; then
	echo "check.sh: $spx_build has no lib/libspx.so or tests/spx-probe: build it first (ninja -C $spx_build)" >&2
	exit 2
fi

# The build tree's library, for the linker (spx-sys's build.rs) and, since
# cargo does not add external library directories to the loader path, for
# the test programs; the tests run the tree's probe.
export SPX_BUILD_DIR="$spx_build" SPX_LIB_DIR="$spx_build/lib"
export LD_LIBRARY_PATH="$spx_build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$spx_build/rust-target}"
# Nothing is downloaded: neither crate has a dependency.
export CARGO_NET_OFFLINE=true
# Cargo's own state stays under HOME unless HOME is not a writable directory.
if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ] || [ ! -w "$HOME" ]; then
	[ -n "${CARGO_HOME:-}" ] || export CARGO_HOME="$spx_build/cargo-home"
fi
cd "$here"

jobs=(-j "${CARGO_JOBS:-2}")
echo "check.sh: $(cargo --version), $(rustc --version), libspx from $spx_build"
[ "$(id -u)" = 0 ] || echo "check.sh: not root: tests needing root say SKIP and pass"

if command -v bindgen >/dev/null && command -v rustfmt >/dev/null; then
	spx-sys/regen.sh --check
else
	echo "check.sh: no bindgen/rustfmt: skipping regen.sh --check (Debian: apt-get install bindgen libclang1-14 rustfmt)"
fi
if cargo fmt --version >/dev/null 2>&1; then
	cargo fmt --all -- --check
else
	echo "check.sh: no cargo fmt: skipping the format check (Debian: apt-get install rustfmt)"
fi
if cargo clippy --version >/dev/null 2>&1; then
	cargo clippy "${jobs[@]}" --offline --locked --workspace --all-targets -- -D warnings
else
	echo "check.sh: no cargo clippy: skipping lints (Debian: apt-get install rust-clippy)"
fi
# The API documentation builds without a warning (broken links included).
RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" cargo doc "${jobs[@]}" --offline --locked --workspace --no-deps --quiet
exec cargo test "${jobs[@]}" --offline --locked --workspace "$@"
