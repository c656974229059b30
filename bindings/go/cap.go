//go:build linux

package spx

/*
#include <spx.h>
*/
import "C"

import (
	"strconv"
	"syscall"
)

// A Cap is a Linux capability number, as in <linux/capability.h>.
type Cap int

// The Linux capabilities (capabilities(7)). The names follow the kernel's so
// that they read the same as in documentation and /proc.
const (
	CAP_CHOWN              Cap = 0
	CAP_DAC_OVERRIDE       Cap = 1
	CAP_DAC_READ_SEARCH    Cap = 2
	CAP_FOWNER             Cap = 3
	CAP_FSETID             Cap = 4
	CAP_KILL               Cap = 5
	CAP_SETGID             Cap = 6
	CAP_SETUID             Cap = 7
	CAP_SETPCAP            Cap = 8
	CAP_LINUX_IMMUTABLE    Cap = 9
	CAP_NET_BIND_SERVICE   Cap = 10
	CAP_NET_BROADCAST      Cap = 11
	CAP_NET_ADMIN          Cap = 12
	CAP_NET_RAW            Cap = 13
	CAP_IPC_LOCK           Cap = 14
	CAP_IPC_OWNER          Cap = 15
	CAP_SYS_MODULE         Cap = 16
	CAP_SYS_RAWIO          Cap = 17
	CAP_SYS_CHROOT         Cap = 18
	CAP_SYS_PTRACE         Cap = 19
	CAP_SYS_PACCT          Cap = 20
	CAP_SYS_ADMIN          Cap = 21
	CAP_SYS_BOOT           Cap = 22
	CAP_SYS_NICE           Cap = 23
	CAP_SYS_RESOURCE       Cap = 24
	CAP_SYS_TIME           Cap = 25
	CAP_SYS_TTY_CONFIG     Cap = 26
	CAP_MKNOD              Cap = 27
	CAP_LEASE              Cap = 28
	CAP_AUDIT_WRITE        Cap = 29
	CAP_AUDIT_CONTROL      Cap = 30
	CAP_SETFCAP            Cap = 31
	CAP_MAC_OVERRIDE       Cap = 32
	CAP_MAC_ADMIN          Cap = 33
	CAP_SYSLOG             Cap = 34
	CAP_WAKE_ALARM         Cap = 35
	CAP_BLOCK_SUSPEND      Cap = 36
	CAP_AUDIT_READ         Cap = 37
	CAP_PERFMON            Cap = 38
	CAP_BPF                Cap = 39
	CAP_CHECKPOINT_RESTORE Cap = 40
)

// CapFromName returns the capability called name, spelled "cap_sys_time",
// "CAP_SYS_TIME" or "sys_time". An unknown name yields an error wrapping
// syscall.EINVAL.
func CapFromName(name string) (Cap, error) {
	cname, err := cString(name)
	if err == nil {
		n := C.spx_cap_from_name(cname)
		freeCString(cname)
		if n >= 0 {
			return Cap(n), nil
		}
	}
	return -1, &capNameError{name}
}

type capNameError struct{ name string }

func (e *capNameError) Error() string { return "spx: unknown capability " + strconv.Quote(e.name) }
func (e *capNameError) Unwrap() error { return syscall.EINVAL }

// String returns the capability's name in the "cap_sys_time" style, or
// "Cap(N)" for a number the library does not know.
func (c Cap) String() string {
	if s := C.spx_cap_name(C.int(c)); s != nil {
		return C.GoString(s)
	}
	return "Cap(" + strconv.Itoa(int(c)) + ")"
}

// capArray converts caps for a C call; the result points to Go memory that
// holds no Go pointer, valid for the duration of that call.
func capArray(caps []Cap) (*C.int, C.size_t) {
	if len(caps) == 0 {
		return nil, 0
	}
	a := make([]C.int, len(caps))
	for i, c := range caps {
		a[i] = C.int(c)
	}
	return &a[0], C.size_t(len(a))
}

// signalArray converts signals for the C setters taking an int array.
func signalArray(sigs []syscall.Signal) (*C.int, C.size_t) {
	if len(sigs) == 0 {
		return nil, 0
	}
	a := make([]C.int, len(sigs))
	for i, s := range sigs {
		a[i] = C.int(s)
	}
	return &a[0], C.size_t(len(a))
}
