package spx

import (
	"errors"
	"strings"
	"syscall"
)

// The error numbers the binding itself reports, as the library reports them
// on this platform (Win32 error codes on Windows, which syscall.Errno holds
// there too).
const (
	errInvalid      = syscall.Errno(87) // ERROR_INVALID_PARAMETER
	errNoMem        = syscall.Errno(8)  // ERROR_NOT_ENOUGH_MEMORY
	errNotSupported = syscall.Errno(50) // ERROR_NOT_SUPPORTED
)

// envKey returns the name of a "NAME=value" entry, as Windows compares it:
// without regard to case. A hidden entry such as "=C:=C:\dir" has a name
// that starts with '='.
func envKey(kv string) string {
	if i := strings.IndexByte(kv[min(1, len(kv)):], '='); i >= 0 {
		return strings.ToUpper(kv[:i+1])
	}
	return strings.ToUpper(kv)
}

// brokenPipe reports a write to a pipe whose reader is gone (the child
// exited or closed its input before reading it all): ERROR_BROKEN_PIPE or
// ERROR_NO_DATA, as os/exec checks on Windows.
func brokenPipe(err error) bool {
	return errors.Is(err, syscall.Errno(109)) || errors.Is(err, syscall.Errno(232))
}
