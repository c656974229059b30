package spx

/*
#include <stdlib.h>
#include <spx.h>
*/
import "C"

import (
	"os"
	"syscall"
	"unsafe"
)

// AppContainer runs a Windows child inside an AppContainer: a sandbox
// identified by a SID derived from Name, in which the child sees only what
// that SID, its Capabilities and (unless LPAC) ALL APPLICATION PACKAGES are
// granted. The spawn fails closed: the child is created suspended and its
// token checked before it runs; a child that is not confined as asked is
// terminated and Start fails at StageAppContainer.
//
// On Linux, a Cmd with an AppContainer fails at StagePrepare with ENOTSUP.
type AppContainer struct {
	// Name is the profile name: 1 to 64 characters of A-Z a-z 0-9 - _ .
	// and space. The profile is created when missing (unless NoProfile)
	// and never deleted implicitly: see DeleteAppContainer.
	Name string

	// Capabilities are capability names ("internetClient", "lpacCom") or
	// SID strings ("S-1-15-3-1"), as CapabilitySID accepts them.
	Capabilities []string

	// LPAC makes it a less privileged AppContainer: not a member of ALL
	// APPLICATION PACKAGES (S-1-15-2-1), so without the access Windows
	// gives every AppContainer (system directories included); it keeps
	// only what ALL RESTRICTED APPLICATION PACKAGES, its capabilities and
	// explicit grants allow.
	LPAC bool

	// NoProfile uses the derived SID only and creates no profile (no
	// profile folder or registry storage for the child).
	NoProfile bool
}

// Access is a set of rights for GrantAppContainer.
type Access uint32

// The rights GrantAppContainer gives, with the values of spx.h.
const (
	AccessRead    Access = 1 // GENERIC_READ
	AccessWrite   Access = 2 // GENERIC_WRITE
	AccessExecute Access = 4 // GENERIC_EXECUTE
)

// sidMax is room for any SID string the library produces (SPX_SID_MAX).
const sidMax = 192

// AppContainerSID returns the SID Windows derives for the AppContainer
// profile name ("S-1-15-2-" and seven numbers from the SHA-256 of the
// lower-cased name). It is computed, not looked up, and works on every
// platform. An invalid name gives an error that unwraps to EINVAL (Linux)
// or ERROR_INVALID_PARAMETER (Windows).
func AppContainerSID(name string) (string, error) {
	return sidOf("spx_appcontainer_sid", name, func(s *C.char, buf *C.char, n C.size_t) C.int {
		return C.spx_appcontainer_sid(s, buf, n)
	})
}

// CapabilitySID returns the SID of a capability: "S-1-15-3-1" to
// "S-1-15-3-12" for the twelve names that predate Windows 10
// ("internetClient" ... "contacts"), a SID derived from the name otherwise
// ("lpacCom", "registryRead" ...), as DeriveCapabilitySidsFromName does. A SID
// string is checked and returned in canonical form. It works on every
// platform.
func CapabilitySID(capability string) (string, error) {
	return sidOf("spx_capability_sid", capability, func(s *C.char, buf *C.char, n C.size_t) C.int {
		return C.spx_capability_sid(s, buf, n)
	})
}

func sidOf(fn, in string, derive func(s, buf *C.char, n C.size_t) C.int) (string, error) {
	cs, err := cString(in)
	if err != nil {
		return "", os.NewSyscallError(fn, errInvalid)
	}
	defer freeCString(cs)
	var buf [sidMax]C.char
	if rc := derive(cs, &buf[0], C.size_t(len(buf))); rc != 0 {
		return "", os.NewSyscallError(fn, syscall.Errno(rc))
	}
	return C.GoString(&buf[0]), nil
}

// DeleteAppContainer deletes the AppContainer profile name (nothing
// deletes one implicitly). A missing profile is no error. It needs Windows:
// elsewhere the error unwraps to ENOTSUP; a Windows without AppContainer
// profiles (or wine) gives ERROR_NOT_SUPPORTED.
func DeleteAppContainer(name string) error {
	return call1("spx_appcontainer_delete", name, func(s *C.char) C.int { return C.spx_appcontainer_delete(s) })
}

// GrantAppContainer gives the AppContainer name access to path: an explicit
// and persistent change of the path's ACL (inherited by the contents of a
// directory), which outlives the child and this process. It needs Windows
// (ENOTSUP elsewhere).
func GrantAppContainer(name, path string, access Access) error {
	return call2("spx_appcontainer_grant", name, path, func(n, p *C.char) C.int {
		return C.spx_appcontainer_grant(n, p, C.uint(access))
	})
}

// RevokeAppContainer removes every access the AppContainer name was given
// on path. It needs Windows (ENOTSUP elsewhere).
func RevokeAppContainer(name, path string) error {
	return call2("spx_appcontainer_revoke", name, path, func(n, p *C.char) C.int {
		return C.spx_appcontainer_revoke(n, p)
	})
}

func call1(fn, a string, f func(*C.char) C.int) error {
	ca, err := cString(a)
	if err != nil {
		return os.NewSyscallError(fn, errInvalid)
	}
	defer freeCString(ca)
	if rc := f(ca); rc != 0 {
		return os.NewSyscallError(fn, syscall.Errno(rc))
	}
	return nil
}

func call2(fn, a, b string, f func(*C.char, *C.char) C.int) error {
	return call1(fn, a, func(ca *C.char) C.int {
		cb, err := cString(b)
		if err != nil {
			return C.int(errInvalid)
		}
		defer freeCString(cb)
		return f(ca, cb)
	})
}

// applyTo sets the AppContainer on attr.
func (a *AppContainer) applyTo(attr *C.spx_attr, path string) error {
	name, err := cString(a.Name)
	if err != nil {
		return prepareError(path, "appcontainer", errInvalid)
	}
	defer freeCString(name)
	caps, err := cStringArray(a.Capabilities)
	if err != nil {
		return prepareError(path, "appcontainer capabilities", err.(syscall.Errno))
	}
	defer C.free(unsafe.Pointer(caps))
	if rc := C.spx_attr_set_appcontainer(attr, name, caps, C.size_t(len(a.Capabilities))); rc != 0 {
		return prepareError(path, "appcontainer", syscall.Errno(rc))
	}
	var flags C.uint
	if a.LPAC {
		flags |= C.SPX_APPCONTAINER_LPAC
	}
	if a.NoProfile {
		flags |= C.SPX_APPCONTAINER_NO_PROFILE
	}
	if flags != 0 {
		if rc := C.spx_attr_set_appcontainer_flags(attr, flags); rc != 0 {
			return prepareError(path, "appcontainer flags", syscall.Errno(rc))
		}
	}
	return nil
}

// As in consts_check.go: does not compile if a constant differs from spx.h.
func _() {
	var x [1]struct{}
	_ = x[AccessRead-C.SPX_ACCESS_READ]
	_ = x[AccessWrite-C.SPX_ACCESS_WRITE]
	_ = x[AccessExecute-C.SPX_ACCESS_EXECUTE]
	_ = x[sidMax-C.SPX_SID_MAX]
	_ = x[StageJob-C.SPX_STAGE_JOB]
}
