//go:build linux

package spx

/*
#include <stdlib.h>
#include <spx.h>
*/
import "C"

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// Credential is the identity a command runs as. Uid and Gid become the real,
// effective and saved ids; both are always set (a zero Gid is group 0, not
// "the caller's"). Groups are exactly the supplementary groups (nil or
// empty: none), unless NoSetGroups keeps the caller's own instead, Groups
// being then ignored (no setgroups call: for a caller without CAP_SETGID,
// or in a user namespace that denies setgroups).
//
// A Credential whose Uid or Gid differs from the caller's inherits nothing
// unasked: besides the groups, the caller's ambient and inheritable
// capabilities are cleared unless Cmd.AmbientCaps or Cmd.InheritableCaps
// say otherwise; with a Uid and Gid equal to the caller's own (real,
// effective and saved) ids they are left as they are.
type Credential struct {
	Uid         uint32
	Gid         uint32
	Groups      []uint32
	NoSetGroups bool
}

// Cmd is a command being prepared or run. Its exported fields shared with
// os/exec.Cmd have the same meaning; the others set the child's security
// attributes. A Cmd cannot be reused after Start, Run, Output or
// CombinedOutput.
type Cmd struct {
	// Path is the program to run. Command sets it, looking the name up in
	// PATH in the calling process. When ExecFile is set, Path is not used.
	Path string

	// Args holds the arguments, Args[0] included (the program's argv[0]).
	// Empty Args runs Path with argv[0] = Path.
	Args []string

	// Env is the environment, "KEY=value" strings. Nil means the calling
	// process's environment (plus PWD when Dir is set and Chroot is not).
	Env []string

	// Dir is the working directory of the child (inside Chroot, if set);
	// empty means the caller's.
	Dir string

	// Stdin, Stdout and Stderr are the child's descriptors 0, 1 and 2. Nil
	// connects to the null device. An *os.File is passed to the child
	// directly; any other reader or writer is fed through a pipe by a
	// goroutine, and Wait waits for that copying to finish. When Stdout and
	// Stderr are the same comparable writer, both share one pipe.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// ExtraFiles are further open files for the child: ExtraFiles[i] becomes
	// descriptor 3+i; a nil entry is closed. Every other descriptor of the
	// calling process is closed in the child.
	ExtraFiles []*os.File

	// Credential, if not nil, sets the child's user, group and supplementary
	// groups (needs CAP_SETUID / CAP_SETGID). Nil keeps the caller's.
	Credential *Credential

	// AmbientCaps, if not nil, is exactly the child's ambient capability
	// set. These capabilities survive the change to Credential.Uid: the
	// program runs with them permitted and effective, and nothing else.
	// An empty, non-nil slice clears the ambient set.
	AmbientCaps []Cap

	// InheritableCaps, if not nil, is the child's inheritable set (the
	// AmbientCaps are always added to it).
	InheritableCaps []Cap

	// BoundingCaps, if not nil, reduces the child's bounding set to exactly
	// these capabilities (needs CAP_SETPCAP). An empty, non-nil slice empties
	// it.
	BoundingCaps []Cap

	// NoNewPrivs sets no_new_privs in the child: no program it runs can gain
	// privileges through set-user-ID bits or file capabilities. Landlock and
	// Seccomp imply it unless the child keeps CAP_SYS_ADMIN.
	NoNewPrivs bool

	// Chroot, if not empty, is the directory the child is chrooted into
	// (needs CAP_SYS_CHROOT). Path and Dir are then taken inside it; a name
	// given to Command without a slash is looked up anew, inside it, in the
	// directories of the calling process's PATH.
	Chroot string

	// Landlock, if not nil, restricts the child (only the child) with this
	// ruleset. LandlockFD does the same with a ruleset descriptor made
	// elsewhere, for example by Landlock.Ruleset. At most one may be set.
	Landlock   *Landlock
	LandlockFD *os.File

	// LandlockFlags are the flags of the child's landlock_restrict_self
	// (ABI 7): LandlockLogNewExecOn, for instance, has the kernel log the
	// program's denials. They apply with Landlock or LandlockFD, except
	// LandlockLogSubdomainsOff, which also works alone. On a kernel that
	// lacks a flag the start fails with ENOTSUP at StageLandlock, unless
	// Landlock is a best-effort ruleset: then the flag is dropped.
	LandlockFlags LandlockRestrictFlags

	// ExecFile, if not nil, is the file executed (execveat with
	// AT_EMPTY_PATH) instead of Path: an O_PATH or read-only descriptor, a
	// sealed memfd... It is not inherited by the program (except by a #!
	// script's interpreter, which needs it).
	ExecFile *os.File

	// ExecDir, if not nil, is the directory Path is resolved against
	// (execveat(dirfd, Path)), with no PATH search: a relative Path then
	// names a file beneath that directory whatever the child's working
	// directory or root. ExecDirNoFollow refuses a final symbolic link
	// (AT_SYMLINK_NOFOLLOW; the exec fails with ELOOP).
	ExecDir         *os.File
	ExecDirNoFollow bool

	// SigMask, if not nil, is the child's signal mask, exactly these
	// signals (an empty, non-nil slice unblocks every signal); nil leaves
	// the mask of the thread that spawns, as os/exec does.
	SigMask []syscall.Signal

	// SigDefault lists signals reset to SIG_DFL in the child even where
	// this process ignores them (caught signals are always reset).
	SigDefault []syscall.Signal

	// Seccomp, if not nil, is installed in the child just before exec.
	// SeccompProgram does the same with a raw classic-BPF program, whose
	// author must allow the exec. At most one may be set.
	Seccomp        *Seccomp
	SeccompProgram []syscall.SockFilter

	// Rlimits are resource limits of the child (setrlimit(2)), set before
	// its identity changes, so that raising a hard limit works while it is
	// still privileged (it needs CAP_SYS_RESOURCE: EPERM at StageRlimit
	// otherwise). A resource listed twice gets the last values.
	//
	// Unless RLIMIT_NOFILE is listed, the child gets the soft
	// RLIMIT_NOFILE this program started with, as os/exec does since Go
	// 1.21: the Go runtime raises its own soft limit to the hard one at
	// startup, which old programs using select(2) cannot cope with. When
	// the program has changed that limit itself since, the child inherits
	// the current one instead.
	Rlimits []Rlimit

	// Setsid starts the child in a new session, and so a new process
	// group, that it leads: it then has no controlling terminal and cannot
	// inject input into the caller's (TIOCSTI).
	Setsid bool

	// Setpgid puts the child in the process group Pgid: 0 is a new group
	// that the child leads (then kill(-pid) signals its whole tree), > 0
	// joins that group of the caller's session. With Setsid the child leads
	// a new group already: Pgid 0 changes nothing, joining a group is
	// EINVAL (at StagePrepare). A negative Pgid is EINVAL.
	Setpgid bool
	Pgid    int

	// Setctty makes the terminal at the child's descriptor Ctty its
	// controlling terminal (TIOCSCTTY). It needs Setsid (EINVAL at
	// StagePrepare otherwise).
	Setctty bool

	// Foreground makes the child's process group the foreground group of
	// the terminal at the child's descriptor Ctty (tcsetpgrp), as a shell
	// starts a job; it implies Setpgid, as in syscall.SysProcAttr. The
	// child does it with SIGTTOU blocked, so it works from a background
	// group too.
	Foreground bool

	// Ctty is the terminal's descriptor for Setctty and Foreground, a
	// number in the child: 0, 1, 2 for Stdin, Stdout, Stderr, 3+i for
	// ExtraFiles[i]. (syscall.SysProcAttr takes a descriptor of the parent
	// for Foreground; here the parent's descriptors other than those are
	// closed in the child, so it is the child's in both cases.) A negative
	// Ctty is EBADF; one that is not a terminal, ENOTTY at StageSession.
	Ctty int

	// Pdeathsig, if not 0, is the signal the child gets when this process
	// exits (prctl(PR_SET_PDEATHSIG)), even after a change of Credential.
	// The kernel sends it when the spawning thread exits: the binding
	// therefore spawns such commands from one OS thread that it keeps
	// locked, for the life of the process, to a goroutine of its own, so
	// that the exit of the goroutine that called Start (even one locked
	// to its thread, whose thread then ends) never signals the child.
	// Unlike syscall.SysProcAttr.Pdeathsig, the signal so means "the
	// process is gone". These spawns take turns on that thread. If this
	// process is already exiting when the child arms the signal, the child
	// never runs the program (ESRCH at StagePdeathsig). Since the child is
	// created by that thread, it does not get per-thread state of the
	// goroutine that calls Start (a namespace entered with setns on a
	// locked thread, per-thread capabilities, an SELinux exec context).
	Pdeathsig syscall.Signal

	// UseCgroupFD places the child in the cgroup v2 directory open as
	// CgroupFD, a descriptor of this process, from its first instruction
	// (clone3 CLONE_INTO_CGROUP; on kernels before 5.7 the child moves
	// itself there before anything else). Placement errors (EBUSY for a
	// cgroup whose controllers take no processes, EACCES, EBADF for a
	// directory that is not cgroup v2) are reported at StageCgroup.
	UseCgroupFD bool
	CgroupFD    int

	// UseUmask sets the child's file mode creation mask to Umask (0 to
	// 0o777); without it the child inherits this process's. (A flag, as
	// with Setpgid and UseCgroupFD, because 0 is a mask too.)
	UseUmask bool
	Umask    int

	// Securebits, if not 0, are exactly the child's securebits
	// (PR_SET_SECUREBITS), set after the ambient capabilities were raised
	// (so SecbitNoCapAmbientRaiseLocked works with AmbientCaps) while the
	// child still has CAP_SETPCAP, which this process must have. With
	// SecbitNoRoot|SecbitNoRootLocked, a child that stays root runs with
	// exactly its AmbientCaps. Bits the kernel lacks give ENOTSUP at
	// StageSecurebits; 0 leaves the caller's (usually none).
	Securebits Securebits

	// AppContainer is Windows only: a Cmd that sets it fails at
	// StagePrepare with ENOTSUP here (and no child is created), rather than
	// running the program without the sandbox it asked for.
	AppContainer *AppContainer

	// Process is the started process, after Start.
	Process *Process

	// ProcessState describes the ended process, after Wait or Run.
	ProcessState *ProcessState

	// Err is an error met by Command, such as a failed PATH lookup; Start
	// returns it.
	Err error

	ctx      context.Context
	name     string // the name given to Command, when it has no slash
	lookPath string // Path as set by Command's lookup
	lookErr  error  // Err as set by Command's lookup

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
	return c.environ()
}

func (c *Cmd) environ() []string {
	env := c.Env
	if env == nil {
		env = os.Environ()
		if c.Dir != "" && c.Chroot == "" {
			if pwd, err := filepath.Abs(c.Dir); err == nil {
				env = append(env, "PWD="+pwd)
			}
		}
	}
	return dedupEnv(env)
}

// Start starts the command without waiting for it. After a successful Start,
// call Wait to reap the process and release its resources.
func (c *Cmd) Start() error {
	// A failed PATH lookup does not matter when the program is not found by
	// path: with ExecFile, or inside Chroot, where PATH is searched anew.
	searchInChroot := c.Chroot != "" && c.name != "" && c.Path == c.lookPath
	ignoreLookErr := c.Err != nil && c.Err == c.lookErr && (c.ExecFile != nil || searchInChroot)
	if c.Path == "" && c.Err == nil && c.ExecFile == nil {
		c.Err = errors.New("spx: no command")
	}
	if c.Err != nil && !ignoreLookErr {
		c.closeAll()
		return c.Err
	}
	if err := c.prepareStart(); err != nil {
		return err
	}
	c.childFiles = append(c.childFiles, c.ExtraFiles...)
	return c.started(c.spawn(searchInChroot))
}

// spawn builds the library's attribute object and starts the child.
func (c *Cmd) spawn(searchPath bool) (*Process, error) {
	path := c.Path
	if searchPath {
		path = c.name
	}
	attr := C.spx_attr_new()
	if attr == nil {
		return nil, prepareError(path, "attributes", syscall.ENOMEM)
	}
	defer C.spx_attr_free(attr)
	if err := c.configure(attr, path, searchPath); err != nil {
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
	envp, err := cStringArray(c.environ())
	if err != nil {
		return nil, prepareError(path, "environment", err.(syscall.Errno))
	}
	defer C.free(unsafe.Pointer(envp))
	var cpath *C.char
	if c.ExecFile == nil {
		if cpath, err = cString(path); err != nil {
			return nil, prepareError(path, "path", syscall.EINVAL)
		}
		defer freeCString(cpath)
	}

	var h *C.spx_process
	var cerr C.spx_error
	var rc C.int
	if c.Pdeathsig != 0 {
		// The kernel ties the signal to the spawning thread: spawn from
		// one that exits only with the process (see onPinnedThread).
		onPinnedThread(func() { rc = C.spx_spawn(&h, attr, cpath, argv, envp, &cerr) })
	} else {
		rc = C.spx_spawn(&h, attr, cpath, argv, envp, &cerr)
	}
	if rc != 0 {
		return nil, spawnError(path, rc, &cerr)
	}
	return newProcess(h), nil
}

// configure transfers every attribute of c to attr. Descriptors are
// duplicated by the library during each call, so the files need to stay open
// only until the call returns.
func (c *Cmd) configure(attr *C.spx_attr, path string, searchPath bool) error {
	check := func(what string, rc C.int) error {
		if rc != 0 {
			return prepareError(path, what, syscall.Errno(rc))
		}
		return nil
	}
	setFile := func(what string, f *os.File, set func(fd C.int) C.int) error {
		fd := f.Fd() // puts f in blocking mode, as os/exec does
		err := check(what, set(C.int(fd)))
		runtime.KeepAlive(f)
		return err
	}

	for i, f := range c.childFiles {
		var err error
		if f == nil {
			err = check("fd", C.spx_attr_set_fd(attr, C.int(i), -1))
		} else {
			err = setFile("fd "+strconv.Itoa(i), f, func(fd C.int) C.int { return C.spx_attr_set_fd(attr, C.int(i), fd) })
		}
		if err != nil {
			return err
		}
	}
	if c.Dir != "" {
		if err := setString(path, "dir", c.Dir, func(s *C.char) C.int { return C.spx_attr_set_cwd(attr, s) }); err != nil {
			return err
		}
	}
	if c.Chroot != "" {
		if err := setString(path, "chroot", c.Chroot, func(s *C.char) C.int { return C.spx_attr_set_chroot(attr, s) }); err != nil {
			return err
		}
	}
	if searchPath {
		if err := check("search path", C.spx_attr_set_search_path(attr, 1)); err != nil {
			return err
		}
	}
	if cr := c.Credential; cr != nil {
		if err := check("uid", C.spx_attr_set_uid(attr, C.uint32_t(cr.Uid))); err != nil {
			return err
		}
		if err := check("gid", C.spx_attr_set_gid(attr, C.uint32_t(cr.Gid))); err != nil {
			return err
		}
		if cr.NoSetGroups {
			// Without it, libspx would clear the groups of a new identity.
			if err := check("groups", C.spx_attr_set_keep_groups(attr, 1)); err != nil {
				return err
			}
		} else {
			var groups *C.uint32_t
			if len(cr.Groups) > 0 {
				groups = (*C.uint32_t)(unsafe.Pointer(&cr.Groups[0]))
			}
			if err := check("groups", C.spx_attr_set_groups(attr, groups, C.size_t(len(cr.Groups)))); err != nil {
				return err
			}
		}
	}
	if c.AmbientCaps != nil {
		p, n := capArray(c.AmbientCaps)
		if err := check("ambient capabilities", C.spx_attr_set_ambient(attr, p, n)); err != nil {
			return err
		}
	}
	if c.InheritableCaps != nil {
		p, n := capArray(c.InheritableCaps)
		if err := check("inheritable capabilities", C.spx_attr_set_inheritable(attr, p, n)); err != nil {
			return err
		}
	}
	if c.BoundingCaps != nil {
		p, n := capArray(c.BoundingCaps)
		if err := check("bounding set", C.spx_attr_set_bounding(attr, p, n)); err != nil {
			return err
		}
	}
	if c.NoNewPrivs {
		if err := check("no_new_privs", C.spx_attr_set_no_new_privs(attr, 1)); err != nil {
			return err
		}
	}
	if c.Landlock != nil && c.LandlockFD != nil {
		return prepareError(path, "both Landlock and LandlockFD set", syscall.EINVAL)
	}
	if c.Landlock != nil {
		if err := c.Landlock.applyTo(attr); err != nil {
			return wrapPrepare(path, "landlock", err)
		}
	}
	if c.LandlockFD != nil {
		if err := setFile("landlock fd", c.LandlockFD, func(fd C.int) C.int { return C.spx_attr_set_landlock_fd(attr, fd) }); err != nil {
			return err
		}
	}
	if c.LandlockFlags != 0 {
		if err := check("landlock flags", C.spx_attr_set_landlock_flags(attr, C.unsigned(c.LandlockFlags))); err != nil {
			return err
		}
	}
	if c.ExecFile != nil {
		if err := setFile("exec file", c.ExecFile, func(fd C.int) C.int { return C.spx_attr_set_execfd(attr, fd) }); err != nil {
			return err
		}
	}
	if c.ExecDir != nil {
		flags := C.int(0)
		if c.ExecDirNoFollow {
			flags = C.SPX_AT_SYMLINK_NOFOLLOW
		}
		if err := setFile("exec dir", c.ExecDir, func(fd C.int) C.int { return C.spx_attr_set_exec_dirfd(attr, fd, flags) }); err != nil {
			return err
		}
	}
	if c.SigMask != nil {
		p, n := signalArray(c.SigMask)
		if err := check("signal mask", C.spx_attr_set_sigmask(attr, p, n)); err != nil {
			return err
		}
	}
	if c.SigDefault != nil {
		p, n := signalArray(c.SigDefault)
		if err := check("default signals", C.spx_attr_set_sigdefault(attr, p, n)); err != nil {
			return err
		}
	}
	if c.Seccomp != nil && c.SeccompProgram != nil {
		return prepareError(path, "both Seccomp and SeccompProgram set", syscall.EINVAL)
	}
	if c.Seccomp != nil {
		if err := c.Seccomp.applyTo(attr); err != nil {
			return wrapPrepare(path, "seccomp", err)
		}
	}
	if c.SeccompProgram != nil {
		if err := check("seccomp program", applyBPF(attr, c.SeccompProgram)); err != nil {
			return err
		}
	}
	if c.AppContainer != nil {
		if err := c.AppContainer.applyTo(attr, path); err != nil {
			return err
		}
	}
	return c.configureControls(attr, path)
}
