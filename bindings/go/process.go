//go:build linux

package spx

/*
#include <spx.h>
*/
import "C"

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// Signal sends sig to the process, through its pidfd when the kernel has
// them, so that the signal never reaches a recycled pid. Signaling a process
// that has already been waited for returns os.ErrProcessDone.
func (p *Process) Signal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return errors.New("spx: unsupported signal type " + sig.String())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != nil {
		return os.ErrProcessDone
	}
	if p.h == nil {
		return errors.New("spx: process already released")
	}
	switch rc := syscall.Errno(C.spx_process_kill(p.h, C.int(s))); rc {
	case 0:
		return nil
	case syscall.ESRCH:
		return os.ErrProcessDone
	default:
		return os.NewSyscallError("kill", rc)
	}
}

// Wait waits for the process to exit, reaps it and releases the library's
// handle. Later calls return the same state.
func (p *Process) Wait() (*ProcessState, error) {
	p.waitMu.Lock()
	defer p.waitMu.Unlock()

	p.mu.Lock()
	state, h := p.state, p.h
	p.mu.Unlock()
	if state != nil {
		return state, nil
	}
	if h == nil {
		return nil, errors.New("spx: process already released")
	}

	// Sleep until the child has ended, without reaping it (WNOWAIT), as
	// os/exec does. Then reap it with spx_process_wait under p.mu, which
	// Signal holds too: a signal is sent either before the reaping or not
	// at all, and the library never sees two calls on one handle at once.
	// Release cannot close the pidfd meanwhile: it needs waitMu. An error
	// here (ECHILD if someone else reaped the child) comes back from
	// spx_process_wait as well.
	_ = waitExited(int(C.spx_process_pidfd(h)), p.Pid)

	p.mu.Lock()
	defer p.mu.Unlock()
	var code, sig C.int
	rc := syscall.Errno(C.spx_process_wait(p.h, &code, &sig))
	if rc != 0 {
		return nil, os.NewSyscallError("waitid", rc)
	}
	p.state = &ProcessState{pid: p.Pid, code: int(code), sig: syscall.Signal(sig),
		core: C.spx_process_core_dumped(p.h) != 0}
	C.spx_process_free(p.h)
	p.h = nil
	runtime.SetFinalizer(p, nil)
	return p.state, nil
}

const (
	pPID    = 1 // P_PID
	pPIDFD  = 3 // P_PIDFD
	wNoWait = 0x01000000
)

// waitExited blocks until the child has exited, leaving it unreaped.
func waitExited(pidfd, pid int) error {
	idtype, id := pPIDFD, pidfd
	if pidfd < 0 {
		idtype, id = pPID, pid
	}
	var info [128]byte // siginfo_t
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_WAITID, uintptr(idtype), uintptr(id),
			uintptr(unsafe.Pointer(&info[0])), syscall.WEXITED|wNoWait, 0, 0)
		switch {
		case e == 0:
			return nil
		case e == syscall.EINTR:
			continue
		case e == syscall.EINVAL && idtype == pPIDFD: // kernel before 5.4
			idtype, id = pPID, pid
		default:
			return e
		}
	}
}

// ProcessState describes a process that has ended.
type ProcessState struct {
	pid  int
	code int            // exit status, or -1 when killed by a signal
	sig  syscall.Signal // the signal that killed it, or 0
	core bool           // it dumped core
}

// Pid returns the process id of the ended process.
func (s *ProcessState) Pid() int { return s.pid }

// Exited reports whether the program called exit (rather than being killed by
// a signal).
func (s *ProcessState) Exited() bool { return s.sig == 0 }

// ExitCode returns the exit status, or -1 if the process was killed by a
// signal (or s is nil).
func (s *ProcessState) ExitCode() int {
	if s == nil {
		return -1
	}
	return s.code
}

// Success reports whether the program exited with status 0.
func (s *ProcessState) Success() bool { return s.sig == 0 && s.code == 0 }

// Signaled reports whether a signal ended the process.
func (s *ProcessState) Signaled() bool { return s.sig != 0 }

// Signal returns the signal that ended the process, or 0.
func (s *ProcessState) Signal() syscall.Signal { return s.sig }

// Sys returns the status as a syscall.WaitStatus, as os.ProcessState does.
func (s *ProcessState) Sys() interface{} {
	if s.sig != 0 {
		ws := uint32(s.sig) & 0x7f
		if s.core {
			ws |= 0x80
		}
		return syscall.WaitStatus(ws)
	}
	return syscall.WaitStatus(uint32(s.code&0xff) << 8)
}

// String returns "exit status N" or "signal: NAME", as os.ProcessState does.
func (s *ProcessState) String() string {
	if s == nil {
		return "<nil>"
	}
	if s.sig != 0 {
		return "signal: " + s.sig.String()
	}
	return "exit status " + strconv.Itoa(s.code)
}
