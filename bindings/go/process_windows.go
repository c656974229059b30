package spx

/*
#include <stdint.h>
#include <spx.h>

static uintptr_t spx_go_process_handle(const spx_process *p) {
	return (uintptr_t)spx_process_handle(p);
}
*/
import "C"

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// Handle returns the process handle, for WaitForMultipleObjects,
// GetProcessTimes and the like. It belongs to p: do not close it; it is
// valid until Wait returns or Release is called (0 after that).
func (p *Process) Handle() syscall.Handle {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.h == nil {
		return 0
	}
	return syscall.Handle(C.spx_go_process_handle(p.h))
}

// Signal ends the process for os.Kill (syscall.SIGKILL) and syscall.SIGTERM
// alike (TerminateProcess, exit code 1; the whole job with Cmd.UseJob);
// Windows has no other signal to send. Signaling a process that has been
// waited for returns os.ErrProcessDone.
func (p *Process) Signal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	if !ok || (s != syscall.SIGKILL && s != syscall.SIGTERM) {
		return errors.New("spx: unsupported signal " + sig.String() + " (Windows: os.Kill or syscall.SIGTERM)")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != nil {
		return os.ErrProcessDone
	}
	if p.h == nil {
		return errors.New("spx: process already released")
	}
	// The library takes the Linux numbers: 9 and 15.
	if rc := syscall.Errno(C.spx_process_kill(p.h, C.int(s))); rc != 0 {
		return os.NewSyscallError("TerminateProcess", rc)
	}
	return nil
}

// Wait waits for the process to exit and releases the library's handle.
// Later calls return the same state.
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
	// Sleep on the handle without holding p.mu, so that Kill can run
	// meanwhile; Release cannot close the handle: it needs waitMu.
	handle := syscall.Handle(C.spx_go_process_handle(h))
	if ev, err := syscall.WaitForSingleObject(handle, syscall.INFINITE); ev != syscall.WAIT_OBJECT_0 {
		return nil, os.NewSyscallError("WaitForSingleObject", err)
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	var code C.int
	if rc := syscall.Errno(C.spx_process_wait(p.h, &code, nil)); rc != 0 {
		return nil, os.NewSyscallError("GetExitCodeProcess", rc)
	}
	p.state = &ProcessState{pid: p.Pid, code: uint32(code)}
	C.spx_process_free(p.h)
	p.h = nil
	runtime.SetFinalizer(p, nil)
	return p.state, nil
}

// ProcessState describes a process that has ended.
type ProcessState struct {
	pid  int
	code uint32 // the exit code; a crash shows as its NTSTATUS (0xC0000005 ...)
}

// Pid returns the process id of the ended process.
func (s *ProcessState) Pid() int { return s.pid }

// Exited reports whether the process has ended (always, on Windows).
func (s *ProcessState) Exited() bool { return true }

// ExitCode returns the exit code (as os.ProcessState does on Windows, the
// unsigned value: an NTSTATUS such as 0xC0000005 is a large positive
// number), or -1 if s is nil.
func (s *ProcessState) ExitCode() int {
	if s == nil {
		return -1
	}
	return int(s.code)
}

// Success reports whether the program exited with code 0.
func (s *ProcessState) Success() bool { return s.code == 0 }

// Sys returns the status as a syscall.WaitStatus, as os.ProcessState does.
func (s *ProcessState) Sys() interface{} { return syscall.WaitStatus{ExitCode: s.code} }

// String returns "exit status N", as os.ProcessState does.
func (s *ProcessState) String() string {
	if s == nil {
		return "<nil>"
	}
	return "exit status " + strconv.FormatUint(uint64(s.code), 10)
}
