package spx

/*
#include <stdint.h>
#include <stdlib.h>
#include <spx.h>

// Go holds Windows handles as uintptr (syscall.Handle, os.File.Fd): the
// conversion to the library's void * happens here, not in Go code, where
// go vet rightly distrusts integer-to-pointer conversions.
static int spx_go_set_stdio_handle(spx_attr *a, int which, uintptr_t h) {
	return spx_attr_set_stdio_handle(a, which, (void *)h);
}
static int spx_go_add_handle(spx_attr *a, uintptr_t h) {
	return spx_attr_add_handle(a, (void *)h);
}
*/
import "C"

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// JobFlags are options of the job a Cmd with UseJob starts in.
type JobFlags uint32

// JobKillOnClose ends the child and everything it started when the job is
// closed, that is when the library's handle is freed: by Wait once the
// child has exited (processes it started and left running in the job end
// then), or by Release (or the finalizer of a Process that was dropped)
// while it runs. It is the one case in which spx kills.
const JobKillOnClose JobFlags = 1

// Cmd is a command being prepared or run on Windows. The fields shared with
// os/exec.Cmd have the same meaning; the others set the child's security
// attributes. A Cmd cannot be reused after Start, Run, Output or
// CombinedOutput.
type Cmd struct {
	// Path is the program to run. Command sets it, looking the name up in
	// PATH (with PATHEXT) in the calling process. The library refuses a
	// .bat or .cmd program (ERROR_NOT_SUPPORTED at StagePrepare): cmd.exe
	// would parse its command line by rules no quoting of Args is safe
	// against.
	Path string

	// Args holds the arguments, Args[0] included. They become one command
	// line by the rules of the Microsoft C runtime (Args[0] is not escaped
	// and may not hold '"'); empty Args runs Path with Args[0] = Path.
	// Invalid UTF-8 is refused, never replaced.
	Args []string

	// Env is the environment, "KEY=value" strings. Nil means the calling
	// process's. Names compare without regard to case; of duplicates, the
	// last wins, as with os/exec.
	Env []string

	// Dir is the working directory of the child; empty means the caller's.
	Dir string

	// Stdin, Stdout and Stderr are the child's standard handles. Nil
	// connects to the NUL device. An *os.File is passed to the child
	// directly; any other reader or writer is fed through a pipe by a
	// goroutine, and Wait waits for that copying to finish. When Stdout and
	// Stderr are the same comparable writer, both share one pipe.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// AdditionalInheritedHandles are further handles the child inherits,
	// with the same values (the program learns them some other way, on
	// its command line for instance). Only these and the three standard
	// handles are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST): nothing
	// else of this process leaks into the child. They are made inheritable
	// by Start, and must stay open until it returns.
	AdditionalInheritedHandles []syscall.Handle

	// AppContainer, if not nil, runs the child in that AppContainer.
	AppContainer *AppContainer

	// UseJob starts the child inside a new job object, from its first
	// instruction; the processes it starts join the job too, and
	// Process.Kill ends the whole job. JobFlags are its options.
	UseJob   bool
	JobFlags JobFlags

	// Process is the started process, after Start.
	Process *Process

	// ProcessState describes the ended process, after Wait or Run.
	ProcessState *ProcessState

	// Err is an error met by Command, such as a failed PATH lookup; Start
	// returns it.
	Err error

	ctx      context.Context
	name     string
	lookPath string
	lookErr  error

	childFiles      []*os.File
	closeAfterStart []io.Closer
	closeAfterWait  []io.Closer
	goroutine       []func() error
	errch           chan error
	waitDone        chan struct{}
	finished        bool
}

// Environ returns a copy of the environment the command would run with.
func (c *Cmd) Environ() []string {
	env := c.Env
	if env == nil {
		env = os.Environ()
	}
	return dedupEnv(env)
}

// Start starts the command without waiting for it. After a successful Start,
// call Wait to wait for the process and release its resources.
func (c *Cmd) Start() error {
	if c.Path == "" && c.Err == nil {
		c.Err = errors.New("spx: no command")
	}
	if c.Err != nil {
		c.closeAll()
		return c.Err
	}
	if err := c.prepareStart(); err != nil {
		return err
	}
	return c.started(c.spawn())
}

// spawn builds the library's attribute object and starts the child.
func (c *Cmd) spawn() (*Process, error) {
	path := c.Path
	attr := C.spx_attr_new()
	if attr == nil {
		return nil, prepareError(path, "attributes", errNoMem)
	}
	defer C.spx_attr_free(attr)
	if err := c.configure(attr, path); err != nil {
		return nil, err
	}
	args := c.Args
	if len(args) == 0 {
		args = []string{path}
	}
	argv, err := cStringArray(args)
	if err != nil {
		return nil, prepareError(path, "arguments", err.(syscall.Errno))
	}
	defer C.free(unsafe.Pointer(argv))
	envp, err := cStringArray(c.Environ())
	if err != nil {
		return nil, prepareError(path, "environment", err.(syscall.Errno))
	}
	defer C.free(unsafe.Pointer(envp))
	cpath, err := cString(path)
	if err != nil {
		return nil, prepareError(path, "path", errInvalid)
	}
	defer freeCString(cpath)

	var h *C.spx_process
	var cerr C.spx_error
	rc := C.spx_spawn(&h, attr, cpath, argv, envp, &cerr)
	// The library made its own inheritable duplicates of the standard
	// handles and was done with them once spx_spawn returned.
	runtime.KeepAlive(c.childFiles)
	if rc != 0 {
		return nil, spawnError(path, rc, &cerr)
	}
	return newProcess(h), nil
}

// configure transfers every attribute of c to attr.
func (c *Cmd) configure(attr *C.spx_attr, path string) error {
	check := func(what string, rc C.int) error {
		if rc != 0 {
			return prepareError(path, what, syscall.Errno(rc))
		}
		return nil
	}
	for i, f := range c.childFiles {
		if err := check("std handle "+strconv.Itoa(i), C.spx_go_set_stdio_handle(attr, C.int(i), C.uintptr_t(f.Fd()))); err != nil {
			return err
		}
	}
	for _, h := range c.AdditionalInheritedHandles {
		if err := check("inherited handle", C.spx_go_add_handle(attr, C.uintptr_t(h))); err != nil {
			return err
		}
	}
	if c.Dir != "" {
		if err := setString(path, "dir", c.Dir, func(s *C.char) C.int { return C.spx_attr_set_cwd(attr, s) }); err != nil {
			return err
		}
	}
	if c.AppContainer != nil {
		if err := c.AppContainer.applyTo(attr, path); err != nil {
			return err
		}
	}
	if c.UseJob {
		if err := check("job", C.spx_attr_set_job(attr, C.uint(c.JobFlags))); err != nil {
			return err
		}
	}
	return nil
}
