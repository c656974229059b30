//go:build linux

package spx

/*
#include <spx.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"
)

// ociErrLen is the size of the buffer the profile reader writes its message
// to: room for a JSON path and the offending value.
const ociErrLen = 512

// FromOCI returns the filter of an OCI runtime-spec seccomp profile: the JSON
// that Docker, Podman, containerd and Kubernetes (seccompProfile: Localhost)
// use. Rules whose includes or excludes do not hold for this architecture
// and kernel are left out; caps are the capabilities the child will hold,
// against which includes.caps and excludes.caps are evaluated (none if
// omitted: pass what Cmd.AmbientCaps, or a root child keeping its
// capabilities, gives it).
//
// A malformed profile gives an error that wraps syscall.EINVAL and carries
// the reader's message, which names the JSON path, such as
// `syscalls[12].args[0].op: unknown operator "SCMP_CMP_FOO"`. An action spx
// cannot run (SCMP_ACT_NOTIFY, SCMP_ACT_TRACE) or a profile for another
// architecture wraps syscall.ENOTSUP; a profile over 4 MiB, syscall.E2BIG.
// System call names unknown to libseccomp are counted by Ignored, not
// refused. The filter can take further rules (Add, AddCond) and flags
// before it is used.
func FromOCI(profile []byte, caps ...Cap) (*Seccomp, error) {
	var errbuf [ociErrLen]C.char
	var f *C.spx_seccomp
	// The profile is read in place: Go memory holding no Go pointer, valid
	// for the call. An empty profile still gets a valid pointer, so that the
	// reader reports it as empty rather than as a NULL argument.
	var one byte
	p := unsafe.Pointer(&one)
	if len(profile) > 0 {
		p = unsafe.Pointer(&profile[0])
	}
	var rc C.int
	if len(caps) == 0 {
		rc = C.spx_seccomp_from_oci(&f, (*C.char)(p), C.size_t(len(profile)), &errbuf[0], C.size_t(len(errbuf)))
	} else {
		cp, n := capArray(caps)
		rc = C.spx_seccomp_from_oci_caps(&f, (*C.char)(p), C.size_t(len(profile)), cp, n, &errbuf[0], C.size_t(len(errbuf)))
	}
	runtime.KeepAlive(profile)
	if rc != 0 {
		msg := C.GoString(&errbuf[0])
		if msg == "" {
			return nil, fmt.Errorf("spx: seccomp profile: %w", syscall.Errno(rc))
		}
		return nil, fmt.Errorf("spx: seccomp profile: %s: %w", msg, syscall.Errno(rc))
	}
	s := &Seccomp{f: f}
	runtime.SetFinalizer(s, (*Seccomp).Close)
	return s, nil
}
