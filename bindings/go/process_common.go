package spx

// The parts of Process that do not depend on the platform.

/*
#include <spx.h>
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"syscall"
)

// Process is a child started by Cmd.Start. Its methods are safe for
// concurrent use; in particular Kill and Signal may be called while another
// goroutine is blocked in Wait.
type Process struct {
	Pid int

	waitMu sync.Mutex // held by Wait; serializes waits

	mu    sync.Mutex     // guards h and state
	h     *C.spx_process // nil once reaped (waited for) or released
	state *ProcessState
}

func newProcess(h *C.spx_process) *Process {
	p := &Process{Pid: int(C.spx_process_pid(h)), h: h}
	runtime.SetFinalizer(p, (*Process).Release)
	return p
}

// Kill sends SIGKILL to the process (on Windows: ends it, and its job if it
// has one).
func (p *Process) Kill() error { return p.Signal(syscall.SIGKILL) }

// Release frees the library's handle without waiting for the process, which
// keeps running (on Windows, unless it was started in a job with
// JobKillOnClose: then closing the job ends it); it is then no longer
// possible to Wait for it or signal it through this Process. Wait releases
// the handle itself. Calling Release while Wait is in progress is an error.
func (p *Process) Release() error {
	if !p.waitMu.TryLock() {
		return errors.New("spx: Release called during Wait")
	}
	defer p.waitMu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.h != nil {
		C.spx_process_free(p.h)
		p.h = nil
	}
	runtime.SetFinalizer(p, nil)
	return nil
}
