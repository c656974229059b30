//go:build linux

package spx

/*
#include <stdint.h>
#include <sys/resource.h>
#include <spx.h>

// The process's RLIMIT_NOFILE as it was when the program was loaded: this
// constructor runs before the Go runtime starts, so before package os (Go
// 1.19, 1.20) or syscall (Go 1.21 and later) raises the soft limit to the
// hard one in its init function. Go exports no copy of the original value.
// (Where it runs too late, as in a c-archive whose Go runtime started first,
// it sees the raised value, and nothing is restored.)
static struct rlimit spx_go_nofile_at_load;
static int spx_go_nofile_saved;

__attribute__((constructor)) static void spx_go_save_nofile(void) {
	if (getrlimit(RLIMIT_NOFILE, &spx_go_nofile_at_load) == 0) spx_go_nofile_saved = 1;
}

// Fills *soft and *hard with the limit to restore in a child, and returns
// 1, when the process's RLIMIT_NOFILE is still exactly what the Go runtime
// made of the original (soft raised to hard, hard unchanged); returns 0 when
// there is nothing to restore: the original soft limit already was the hard
// one, or the program has changed the limit since (the child then inherits
// the current one, as with os/exec).
static int spx_go_nofile_to_restore(uint64_t *soft, uint64_t *hard) {
	struct rlimit now;
	if (!spx_go_nofile_saved || spx_go_nofile_at_load.rlim_cur == spx_go_nofile_at_load.rlim_max) return 0;
	if (getrlimit(RLIMIT_NOFILE, &now) != 0) return 0;
	if (now.rlim_max != spx_go_nofile_at_load.rlim_max || now.rlim_cur != now.rlim_max) return 0;
	*soft = spx_go_nofile_at_load.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)spx_go_nofile_at_load.rlim_cur;
	*hard = now.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)now.rlim_max;
	return 1;
}
*/
import "C"

import (
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// RlimInfinity is the "unlimited" value of a resource limit (RLIM_INFINITY).
const RlimInfinity uint64 = 1<<64 - 1

// The Linux resource numbers (setrlimit(2)), for Rlimit.Resource. The names
// follow the kernel's, as syscall's RLIMIT_* constants do (which list only
// some of them).
const (
	RLIMIT_CPU        = 0
	RLIMIT_FSIZE      = 1
	RLIMIT_DATA       = 2
	RLIMIT_STACK      = 3
	RLIMIT_CORE       = 4
	RLIMIT_RSS        = 5
	RLIMIT_NPROC      = 6
	RLIMIT_NOFILE     = 7
	RLIMIT_MEMLOCK    = 8
	RLIMIT_AS         = 9
	RLIMIT_LOCKS      = 10
	RLIMIT_SIGPENDING = 11
	RLIMIT_MSGQUEUE   = 12
	RLIMIT_NICE       = 13
	RLIMIT_RTPRIO     = 14
	RLIMIT_RTTIME     = 15
)

// Rlimit is one resource limit of a child (Cmd.Rlimits): its soft (Cur) and
// hard (Max) values, RlimInfinity for no limit. Cur may not exceed Max.
type Rlimit struct {
	Resource int // RLIMIT_NOFILE, ..., or from RlimitFromName
	Cur      uint64
	Max      uint64
}

// RlimitFromName returns the resource called name, spelled "nofile",
// "NOFILE" or "RLIMIT_NOFILE". An unknown name yields an error wrapping
// syscall.EINVAL.
func RlimitFromName(name string) (int, error) {
	cname, err := cString(name)
	if err == nil {
		n := C.spx_rlimit_from_name(cname)
		freeCString(cname)
		if n >= 0 {
			return int(n), nil
		}
	}
	return -1, &rlimitNameError{name}
}

type rlimitNameError struct{ name string }

func (e *rlimitNameError) Error() string {
	return "spx: unknown resource limit " + strconv.Quote(e.name)
}
func (e *rlimitNameError) Unwrap() error { return syscall.EINVAL }

// Securebits are the securebits of a child (Cmd.Securebits), the kernel's
// SECBIT_* flags of <linux/securebits.h>, or'ed.
type Securebits uint32

// The securebits a child may be given. Each *Locked bit makes the one before
// it permanent for the child and everything it runs.
const (
	// SecbitNoRoot: uid 0 gets no capabilities from exec. With it, a child
	// that stays root has exactly its AmbientCaps (and so does what it runs).
	SecbitNoRoot       Securebits = 1 << 0
	SecbitNoRootLocked Securebits = 1 << 1
	// SecbitNoSetuidFixup: changing uids to or from 0 leaves the capability
	// sets alone.
	SecbitNoSetuidFixup       Securebits = 1 << 2
	SecbitNoSetuidFixupLocked Securebits = 1 << 3
	// SecbitKeepCapsLocked locks the keep-capabilities flag, which is 0
	// after the exec (spx uses it only before).
	SecbitKeepCapsLocked Securebits = 1 << 5
	// SecbitNoCapAmbientRaise: no ambient capability can be raised any more
	// (set after spx raised AmbientCaps).
	SecbitNoCapAmbientRaise       Securebits = 1 << 6
	SecbitNoCapAmbientRaiseLocked Securebits = 1 << 7
	// SecbitExecRestrictFile: script interpreters check what they run with
	// execveat(AT_EXECVE_CHECK) (Linux 6.14).
	SecbitExecRestrictFile       Securebits = 1 << 8
	SecbitExecRestrictFileLocked Securebits = 1 << 9
	// SecbitExecDenyInteractive: script interpreters refuse interactive
	// input (Linux 6.14).
	SecbitExecDenyInteractive       Securebits = 1 << 10
	SecbitExecDenyInteractiveLocked Securebits = 1 << 11
)

var securebitNames = [...]string{
	0: "noroot", 1: "noroot_locked", 2: "no_setuid_fixup", 3: "no_setuid_fixup_locked",
	5: "keep_caps_locked", 6: "no_cap_ambient_raise", 7: "no_cap_ambient_raise_locked",
	8: "exec_restrict_file", 9: "exec_restrict_file_locked",
	10: "exec_deny_interactive", 11: "exec_deny_interactive_locked",
}

// String returns the bits' names joined by "|", such as
// "noroot|noroot_locked", with any other bit in hexadecimal; "0" for none.
func (b Securebits) String() string {
	if b == 0 {
		return "0"
	}
	var parts []string
	for i, name := range securebitNames {
		if name != "" && b&(1<<uint(i)) != 0 {
			parts = append(parts, name)
			b &^= 1 << uint(i)
		}
	}
	if b != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(b), 16))
	}
	return strings.Join(parts, "|")
}

// configureControls transfers the limits, session, terminal, cgroup,
// parent-death signal, umask and securebits of c to attr.
func (c *Cmd) configureControls(attr *C.spx_attr, path string) error {
	check := func(what string, rc C.int) error {
		if rc != 0 {
			return prepareError(path, what, syscall.Errno(rc))
		}
		return nil
	}
	ownNofile := false
	for _, rl := range c.Rlimits {
		what := "rlimit " + strconv.Itoa(rl.Resource)
		res, ok := cInt(rl.Resource)
		if !ok {
			return prepareError(path, what, syscall.EINVAL)
		}
		if err := check(what, C.spx_attr_set_rlimit(attr, res, C.uint64_t(rl.Cur), C.uint64_t(rl.Max))); err != nil {
			return err
		}
		ownNofile = ownNofile || rl.Resource == RLIMIT_NOFILE
	}
	if !ownNofile {
		// What os/exec does since Go 1.21: the child gets the soft limit
		// the program started with, not the one the Go runtime raised.
		var soft, hard C.uint64_t
		if C.spx_go_nofile_to_restore(&soft, &hard) != 0 {
			if err := check("rlimit nofile (restored)", C.spx_attr_set_rlimit(attr, RLIMIT_NOFILE, soft, hard)); err != nil {
				return err
			}
		}
	}
	if c.Setsid {
		if err := check("setsid", C.spx_attr_set_setsid(attr, 1)); err != nil {
			return err
		}
	}
	if c.Setpgid || c.Foreground {
		if c.Pgid < 0 {
			return prepareError(path, "pgid "+strconv.Itoa(c.Pgid), syscall.EINVAL)
		}
		if err := check("pgid", C.spx_attr_set_pgroup(attr, C.int64_t(c.Pgid))); err != nil {
			return err
		}
	}
	// Negative numbers mean "none" or "inherit" to the library: here,
	// where the Use/Set flag says so, they are mistakes.
	if c.Setctty || c.Foreground {
		fd, ok := cInt(c.Ctty)
		if !ok {
			return prepareError(path, "ctty "+strconv.Itoa(c.Ctty), syscall.EBADF)
		}
		if c.Setctty {
			if err := check("ctty", C.spx_attr_set_ctty(attr, fd)); err != nil {
				return err
			}
		}
		if c.Foreground {
			if err := check("foreground", C.spx_attr_set_foreground(attr, fd)); err != nil {
				return err
			}
		}
	}
	if c.UseCgroupFD {
		fd, ok := cInt(c.CgroupFD)
		if !ok {
			return prepareError(path, "cgroup fd "+strconv.Itoa(c.CgroupFD), syscall.EBADF)
		}
		if err := check("cgroup fd", C.spx_attr_set_cgroup_fd(attr, fd)); err != nil {
			return err
		}
	}
	if c.Pdeathsig != 0 {
		sig, ok := cInt(int(c.Pdeathsig))
		if !ok {
			return prepareError(path, "pdeathsig", syscall.EINVAL)
		}
		if err := check("pdeathsig", C.spx_attr_set_pdeathsig(attr, sig)); err != nil {
			return err
		}
	}
	if c.UseUmask {
		mask, ok := cInt(c.Umask)
		if !ok {
			return prepareError(path, "umask", syscall.EINVAL)
		}
		if err := check("umask", C.spx_attr_set_umask(attr, mask)); err != nil {
			return err
		}
	}
	if c.Securebits != 0 {
		if err := check("securebits", C.spx_attr_set_securebits(attr, C.unsigned(c.Securebits))); err != nil {
			return err
		}
	}
	return nil
}

// cInt converts a non-negative int for C.
func cInt(v int) (C.int, bool) {
	if v < 0 || v > math.MaxInt32 {
		return 0, false
	}
	return C.int(v), true
}

// The kernel sends a parent-death signal when the thread that created the
// child exits, not the process: under Go, whose goroutines move between
// threads and whose threads exit when a goroutine ends locked to one, that
// would be an arbitrary moment (go.dev/issue/27505). So every spawn of a
// Cmd with a Pdeathsig runs on one goroutine locked, for the life of the
// process, to an OS thread of its own: that thread exits only with the
// process. Those spawns are serialized (each holds the thread until its
// child has exec'd).
var pinned struct {
	once sync.Once
	reqs chan func()
}

// onPinnedThread runs f on the pinned thread and returns when f has.
func onPinnedThread(f func()) {
	pinned.once.Do(func() {
		pinned.reqs = make(chan func())
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the process
			for f := range pinned.reqs {
				f()
			}
		}()
	})
	done := make(chan struct{})
	pinned.reqs <- func() {
		defer close(done)
		f()
	}
	<-done
}
