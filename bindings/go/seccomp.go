//go:build linux

package spx

/*
#include <stdlib.h>
#include <spx.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// SeccompAction is what a seccomp filter does with a system call.
type SeccompAction uint32

// Seccomp actions. See also ActErrno.
const (
	ActAllow       SeccompAction = 0x7fff0000 // run the call
	ActKillProcess SeccompAction = 0x80000000 // kill the process with SIGSYS
	ActLog         SeccompAction = 0x7ffc0000 // run the call and log it
	ActTrap        SeccompAction = 0x00030000 // send a catchable SIGSYS
)

// ActErrno is the action that fails the call with errno e (0..4094:
// libseccomp refuses 4095, the kernel's MAX_ERRNO).
func ActErrno(e syscall.Errno) SeccompAction {
	return SeccompAction(0x00050000 | uint32(e)&0xffff)
}

var errSeccompClosed = errors.New("spx: seccomp filter is closed")

// Seccomp is a seccomp filter under construction, for the native
// architecture (system calls of other architectures, such as x32, are
// killed). Assign it to Cmd.Seccomp: it is compiled to BPF and installed in
// the child last, just before exec, which stays allowed unless a rule names
// execve or execveat. The filter is never installed in the calling process.
//
// The builder methods return the filter so that calls chain. The first
// failure is remembered: later calls do nothing, Err returns it and starting a
// command with the filter fails with it.
//
// A Seccomp holds C memory: Close it when done. A finalizer frees it too if it
// is forgotten.
type Seccomp struct {
	mu  sync.RWMutex
	f   *C.spx_seccomp
	err error
}

// NewSeccomp returns a filter whose action for system calls without a rule is
// defaultAction: ActAllow for a deny-list, ActErrno(syscall.EPERM) or
// ActKillProcess for an allow-list.
func NewSeccomp(defaultAction SeccompAction) *Seccomp {
	s := &Seccomp{}
	var f *C.spx_seccomp
	if rc := C.spx_seccomp_new(&f, C.uint32_t(defaultAction)); rc != 0 {
		s.err = fmt.Errorf("spx: seccomp filter (default action %#x): %w", uint32(defaultAction), syscall.Errno(rc))
		return s
	}
	s.f = f
	runtime.SetFinalizer(s, (*Seccomp).Close)
	return s
}

func (s *Seccomp) modify(fn func(f *C.spx_seccomp) error) *Seccomp {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s
	}
	if s.f == nil {
		s.err = errSeccompClosed
		return s
	}
	s.err = fn(s.f)
	runtime.KeepAlive(s)
	return s
}

// Add gives the system call called name (such as "mkdir") the action. A name
// unknown to libseccomp is an error; a name known but absent on this
// architecture is ignored and counted by Ignored.
func (s *Seccomp) Add(name string, action SeccompAction) *Seccomp {
	return s.modify(func(f *C.spx_seccomp) error {
		cname, err := cString(name)
		if err != nil {
			return fmt.Errorf("spx: seccomp rule %q: %w", name, err)
		}
		defer freeCString(cname)
		if rc := C.spx_seccomp_add(f, cname, C.uint32_t(action)); rc != 0 {
			return fmt.Errorf("spx: seccomp rule %q: %w", name, syscall.Errno(rc))
		}
		return nil
	})
}

// AddNr is Add with a native system call number, such as syscall.SYS_MKDIR.
func (s *Seccomp) AddNr(nr int, action SeccompAction) *Seccomp {
	return s.modify(func(f *C.spx_seccomp) error {
		if rc := C.spx_seccomp_add_nr(f, C.int(nr), C.uint32_t(action)); rc != 0 {
			return fmt.Errorf("spx: seccomp rule for system call %d: %w", nr, syscall.Errno(rc))
		}
		return nil
	})
}

// SeccompCmp is how a Cond compares a system call argument (libseccomp's
// operators). The filter compares the whole 64-bit register. For a 32-bit
// argument (socket's family, ioctl's request, a descriptor) the kernel reads
// only the low half and the program chooses the upper one: a program that
// sets it slips past CmpEQ, CmpNE and the orderings while the kernel still
// sees the value the rule named. A rule that denies on a 32-bit value must
// compare the low half: Arg32EQ. A rule that allows on equality fails
// closed and needs no mask.
type SeccompCmp int

// The comparisons of a Cond.
const (
	CmpNE       SeccompCmp = 1 // argument != Value
	CmpLT       SeccompCmp = 2 // argument < Value
	CmpLE       SeccompCmp = 3 // argument <= Value
	CmpEQ       SeccompCmp = 4 // argument == Value
	CmpGE       SeccompCmp = 5 // argument >= Value
	CmpGT       SeccompCmp = 6 // argument > Value
	CmpMaskedEQ SeccompCmp = 7 // argument & Value == Value2
)

// Cond is a condition on one argument of a system call, for AddCond:
//
//	// socket(AF_INET, ...), however the upper half of the register is set
//	spx.Arg32EQ(0, syscall.AF_INET)
//	// clone with CLONE_NEWUSER among its flags (a 64-bit argument)
//	spx.Cond{Arg: 0, Op: spx.CmpMaskedEQ, Value: syscall.CLONE_NEWUSER, Value2: syscall.CLONE_NEWUSER}
type Cond struct {
	Arg    uint       // the argument, 0..5
	Op     SeccompCmp // the comparison
	Value  uint64     // the operand; the mask for CmpMaskedEQ
	Value2 uint64     // CmpMaskedEQ only: the value the masked argument must equal
}

// Arg32EQ is the condition "the 32-bit argument arg equals value", as the
// kernel reads it: the low half of the register compared (CmpMaskedEQ with
// the mask 0xffffffff), so that a program cannot slip past a denying rule by
// setting the upper half. Use it for int and unsigned int arguments.
func Arg32EQ(arg uint, value uint32) Cond {
	return Cond{Arg: arg, Op: CmpMaskedEQ, Value: 0xffffffff, Value2: uint64(value)}
}

// AddCond gives the system call called name the action when every one of
// conds holds (at most six, each on a different argument). For an "or", add
// one rule per alternative; a call that matches none of its conditional
// rules gets the default action. With no conds, AddCond is Add. An
// unconditional rule replaces the earlier rules for the call, and a
// conditional rule after an unconditional one with another action fails
// with EEXIST (it could never apply).
func (s *Seccomp) AddCond(name string, action SeccompAction, conds ...Cond) *Seccomp {
	return s.modify(func(f *C.spx_seccomp) error {
		what := fmt.Sprintf("spx: seccomp rule %q with %d conditions", name, len(conds))
		cname, err := cString(name)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		defer freeCString(cname)
		// Go memory holding no Go pointer may be passed for the call.
		var p *C.spx_seccomp_cond
		cs := make([]C.spx_seccomp_cond, len(conds))
		for i, c := range conds {
			// Values that do not fit the C fields are refused, never narrowed.
			if uint(C.unsigned(c.Arg)) != c.Arg || SeccompCmp(C.int(c.Op)) != c.Op {
				return fmt.Errorf("%s: condition %d: %w", what, i, syscall.EINVAL)
			}
			cs[i] = C.spx_seccomp_cond{arg: C.unsigned(c.Arg), op: C.int(c.Op), value: C.uint64_t(c.Value), value2: C.uint64_t(c.Value2)}
		}
		if len(cs) > 0 {
			p = &cs[0]
		}
		if rc := C.spx_seccomp_add_cond(f, cname, C.uint32_t(action), p, C.size_t(len(cs))); rc != 0 {
			return fmt.Errorf("%s: %w", what, syscall.Errno(rc))
		}
		return nil
	})
}

// SeccompFlags are flags of a whole filter.
type SeccompFlags uint

// SeccompFlagLog makes the kernel log every call the filter does not allow
// (SECCOMP_FILTER_FLAG_LOG; audit, or the kernel log without auditd, subject
// to /proc/sys/kernel/seccomp/actions_logged). A kernel without the flag
// fails the start at StageSeccomp rather than run the child unlogged.
const SeccompFlagLog SeccompFlags = 1

// SetFlags sets the filter's flags, replacing earlier ones. An unknown bit is
// EINVAL.
func (s *Seccomp) SetFlags(flags SeccompFlags) *Seccomp {
	return s.modify(func(f *C.spx_seccomp) error {
		if SeccompFlags(C.unsigned(flags)) != flags {
			return fmt.Errorf("spx: seccomp flags %#x: %w", uint(flags), syscall.EINVAL)
		}
		if rc := C.spx_seccomp_set_flags(f, C.unsigned(flags)); rc != 0 {
			return fmt.Errorf("spx: seccomp flags %#x: %w", uint(flags), syscall.Errno(rc))
		}
		return nil
	})
}

// Err returns the first error met while building the filter, if any.
func (s *Seccomp) Err() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.err
}

// Ignored returns how many names given to Add were ignored as absent on this
// architecture.
func (s *Seccomp) Ignored() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := int(C.spx_seccomp_ignored(s.f)) // NULL is fine: 0
	runtime.KeepAlive(s)
	return n
}

// Len compiles the filter and returns its length in BPF instructions.
func (s *Seccomp) Len() (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.err != nil {
		return 0, s.err
	}
	if s.f == nil {
		return 0, errSeccompClosed
	}
	var n C.size_t
	rc := C.spx_seccomp_length(s.f, &n)
	runtime.KeepAlive(s)
	if rc != 0 {
		return 0, fmt.Errorf("spx: seccomp compile: %w", syscall.Errno(rc))
	}
	return int(n), nil
}

// Close releases the filter's C memory; commands already started are
// unaffected. Close is idempotent.
func (s *Seccomp) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		C.spx_seccomp_free(s.f)
		s.f = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

func (s *Seccomp) applyTo(attr *C.spx_attr) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.err != nil {
		return s.err
	}
	if s.f == nil {
		return errSeccompClosed
	}
	rc := C.spx_attr_set_seccomp(attr, s.f)
	runtime.KeepAlive(s)
	if rc != 0 {
		return syscall.Errno(rc)
	}
	return nil
}

// applyBPF installs a raw classic-BPF program (copied by the library).
func applyBPF(attr *C.spx_attr, prog []syscall.SockFilter) C.int {
	if len(prog) == 0 {
		return C.spx_attr_set_seccomp_bpf(attr, nil, 0)
	}
	// struct sock_filter and syscall.SockFilter share their 8-byte layout.
	return C.spx_attr_set_seccomp_bpf(attr, unsafe.Pointer(&prog[0]), C.size_t(len(prog)))
}
