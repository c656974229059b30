package spx

/*
#cgo pkg-config: spx
#include <stdlib.h>
#include <spx.h>
*/
import "C"

import (
	"errors"
	"strings"
	"syscall"
	"unsafe"
)

// Version returns the version of the libspx shared library in use,
// "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.spx_version()) }

// A Stage names the step of a spawn that failed. StagePrepare and StageClone
// happen in the parent; the child runs the others in this order (spx.h
// has the details): cgroup (only on kernels without CLONE_INTO_CGROUP),
// signals, chroot, rlimit, bounding, setgroups, setgid, setuid, caps,
// ambient, securebits, pdeathsig, umask, chdir, fds, session, no_new_privs,
// landlock, seccomp, exec.
type Stage int

// The stages of a spawn, with the numbers of spx.h.
const (
	StageNone          Stage = 0
	StagePrepare       Stage = 1
	StageClone         Stage = 2
	StageChroot        Stage = 3
	StageChdir         Stage = 4
	StageBounding      Stage = 5
	StageSetgroups     Stage = 6
	StageSetgid        Stage = 7
	StageSetuid        Stage = 8
	StageCaps          Stage = 9
	StageAmbient       Stage = 10
	StageFDs           Stage = 11
	StageNoNewPrivs    Stage = 12
	StageLandlock      Stage = 13
	StageSeccomp       Stage = 14
	StageExec          Stage = 15
	StageSignals       Stage = 16
	StageRlimit        Stage = 17
	StageSession       Stage = 18 // setsid, setpgid, TIOCSCTTY, tcsetpgrp
	StageCgroup        Stage = 19
	StagePdeathsig     Stage = 20
	StageSecurebits    Stage = 21
	StageUmask         Stage = 22
	StageAppContainer  Stage = 32 // Windows: profile, SIDs, attribute list, token check
	StageCreateProcess Stage = 33 // Windows: CreateProcessW
	StageJob           Stage = 34 // Windows: the job object of Cmd.UseJob
)

// String returns the library's short name of the stage, such as "exec" or
// "setuid" ("unknown" for numbers the library does not define).
func (s Stage) String() string { return C.GoString(C.spx_stage_name(C.int(s))) }

// Error describes a command that could not be started: the stage that failed,
// the system error number and the library's message. No program ran.
//
// Error unwraps to its Errno, so errors.Is(err, fs.ErrNotExist) and
// errors.Is(err, fs.ErrPermission) work as they do for os/exec.
type Error struct {
	Path  string        // the program, as given to Command or in Cmd.Path
	Stage Stage         // where it failed
	Errno syscall.Errno // the system error
	Msg   string        // the library's "stage: reason[: detail]" text

	cause error // a Go-side cause, such as exec.ErrNotFound from LookPath
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = e.Stage.String() + ": " + e.Errno.Error()
	}
	if e.Path == "" || strings.Contains(msg, e.Path) {
		return "spx: " + msg
	}
	return "spx: " + e.Path + ": " + msg
}

// Unwrap returns the Errno.
func (e *Error) Unwrap() error { return e.Errno }

// Is reports whether the Go-side cause of e (if any) matches target, so that
// errors.Is(err, exec.ErrNotFound) holds for a failed PATH lookup.
func (e *Error) Is(target error) bool {
	return e.cause != nil && errors.Is(e.cause, target)
}

// spawnError converts the library's error report.
func spawnError(path string, rc C.int, ce *C.spx_error) *Error {
	e := &Error{
		Path:  path,
		Stage: Stage(ce.stage),
		Errno: syscall.Errno(rc),
		Msg:   C.GoString(&ce.message[0]),
	}
	if e.Stage == StageNone {
		e.Stage = StagePrepare
	}
	return e
}

// prepareError reports a failed setter or a Go-side check before the spawn.
func prepareError(path, what string, errno syscall.Errno) *Error {
	return &Error{
		Path:  path,
		Stage: StagePrepare,
		Errno: errno,
		Msg:   "prepare: " + what + ": " + errno.Error(),
	}
}

// cStringArray copies ss into a single C allocation: a NULL-terminated array
// of len(ss)+1 pointers followed by the NUL-terminated strings they point to.
// The caller releases it with one C.free. A string holding a NUL byte cannot
// be passed to C and yields errInvalid (EINVAL, ERROR_INVALID_PARAMETER).
func cStringArray(ss []string) (**C.char, error) {
	ptrSize := unsafe.Sizeof((*C.char)(nil))
	head := uintptr(len(ss)+1) * ptrSize
	size := head
	for _, s := range ss {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, errInvalid
		}
		size += uintptr(len(s)) + 1
	}
	mem := C.malloc(C.size_t(size))
	if mem == nil {
		return nil, errNoMem
	}
	ptrs := unsafe.Slice((**C.char)(mem), len(ss)+1)
	buf := unsafe.Slice((*byte)(unsafe.Add(mem, head)), size-head)
	off := 0
	for i, s := range ss {
		ptrs[i] = (*C.char)(unsafe.Pointer(&buf[off]))
		off += copy(buf[off:], s)
		buf[off] = 0
		off++
	}
	ptrs[len(ss)] = nil
	return (**C.char)(mem), nil
}

// cString is C.CString with a check for embedded NUL bytes; free the result
// with C.free.
func cString(s string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, errInvalid
	}
	return C.CString(s), nil
}

func freeCString(p *C.char) { C.free(unsafe.Pointer(p)) }
