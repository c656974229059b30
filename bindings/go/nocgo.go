//go:build !cgo

// The binding calls libspx through cgo: without it nothing can be built.
// This file turns the compiler's wall of "undefined" errors into one
// message that says what to do.

package spx

// Building spx.dev/spx needs cgo: set CGO_ENABLED=1, have a C compiler, and let pkg-config find libspx (PKG_CONFIG_PATH).
var _ = spx_dev_spx_needs_cgo__set_CGO_ENABLED_1_and_PKG_CONFIG_PATH
