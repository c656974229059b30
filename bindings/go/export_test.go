package spx

// CHeapInUse exposes cHeapInUse to the external tests.
var CHeapInUse = cHeapInUse

// The platform's "invalid argument" and "not supported" error numbers
// (EINVAL and ENOTSUP on Linux, ERROR_INVALID_PARAMETER and
// ERROR_NOT_SUPPORTED on Windows).
var ErrInvalid, ErrNotSupported error = errInvalid, errNotSupported
