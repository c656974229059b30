package spx

import (
	"errors"
	"strings"
	"syscall"
)

// The error numbers the binding itself reports, as the library reports them
// on this platform (errno values on Linux).
const (
	errInvalid      = syscall.EINVAL
	errNoMem        = syscall.ENOMEM
	errNotSupported = syscall.ENOTSUP
)

// envKey returns the name of a "NAME=value" entry, as compared on Linux:
// exactly.
func envKey(kv string) string {
	if i := strings.IndexByte(kv, '='); i >= 0 {
		return kv[:i]
	}
	return kv
}

// brokenPipe reports a write to a pipe whose reader is gone (the child
// exited or closed its input before reading it all).
func brokenPipe(err error) bool { return errors.Is(err, syscall.EPIPE) }
