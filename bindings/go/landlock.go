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
	"math"
	"os"
	"runtime"
	"sync"
	"syscall"
)

// LandlockFSAccess is a set of Landlock filesystem rights.
type LandlockFSAccess uint64

// Landlock filesystem rights. The ABI that introduced a right is noted when
// it is not 1.
const (
	LandlockFSExecute    LandlockFSAccess = 1 << 0
	LandlockFSWriteFile  LandlockFSAccess = 1 << 1
	LandlockFSReadFile   LandlockFSAccess = 1 << 2
	LandlockFSReadDir    LandlockFSAccess = 1 << 3
	LandlockFSRemoveDir  LandlockFSAccess = 1 << 4
	LandlockFSRemoveFile LandlockFSAccess = 1 << 5
	LandlockFSMakeChar   LandlockFSAccess = 1 << 6
	LandlockFSMakeDir    LandlockFSAccess = 1 << 7
	LandlockFSMakeReg    LandlockFSAccess = 1 << 8
	LandlockFSMakeSock   LandlockFSAccess = 1 << 9
	LandlockFSMakeFifo   LandlockFSAccess = 1 << 10
	LandlockFSMakeBlock  LandlockFSAccess = 1 << 11
	LandlockFSMakeSym    LandlockFSAccess = 1 << 12
	LandlockFSRefer      LandlockFSAccess = 1 << 13 // ABI 2
	LandlockFSTruncate   LandlockFSAccess = 1 << 14 // ABI 3
	LandlockFSIoctlDev   LandlockFSAccess = 1 << 15 // ABI 5
	// LandlockFSResolveUnix is connecting or sending to a pathname UNIX
	// socket beneath the rule (ABI 9); it is valid on a rule for the socket
	// file itself. Handling it denies every such socket (syslog, journald,
	// D-Bus) that no rule allows.
	LandlockFSResolveUnix LandlockFSAccess = 1 << 16

	// LandlockFSRO is read-only access to files and directories.
	LandlockFSRO = LandlockFSReadFile | LandlockFSReadDir
	// LandlockFSROX is LandlockFSRO plus execute.
	LandlockFSROX = LandlockFSRO | LandlockFSExecute
	// LandlockFSRW is every filesystem right of ABI 1 to 8. Its value is
	// fixed (as spx.h's SPX_LANDLOCK_FS_RW, compiled into programs), so it
	// never grows: LandlockFSResolveUnix (ABI 9) is not in it. For every
	// right of an ABI, use LandlockFSRights.
	LandlockFSRW LandlockFSAccess = 1<<16 - 1
)

// LandlockNetAccess is a set of Landlock port rights: TCP (ABI 4) and UDP
// (ABI 10).
type LandlockNetAccess uint64

// Landlock network rights.
const (
	LandlockNetBindTCP    LandlockNetAccess = 1 << 0
	LandlockNetConnectTCP LandlockNetAccess = 1 << 1
	// LandlockNetBindUDP is binding a UDP socket to the port (ABI 10).
	LandlockNetBindUDP LandlockNetAccess = 1 << 2
	// LandlockNetConnectSendUDP is connecting a UDP socket to the port or
	// sending a datagram to it (ABI 10). Handling it denies DNS unless port
	// 53 is allowed.
	LandlockNetConnectSendUDP LandlockNetAccess = 1 << 3
)

// LandlockScope is a set of IPC scopes (ABI 6).
type LandlockScope uint64

// Landlock IPC scopes.
const (
	// No connecting to abstract UNIX sockets created outside the sandbox.
	LandlockScopeAbstractUnixSocket LandlockScope = 1 << 0
	// No signals to processes outside the sandbox.
	LandlockScopeSignal LandlockScope = 1 << 1
)

// LandlockStatus tells how much of a ruleset the running kernel enforces.
type LandlockStatus int

// Values of LandlockStatus.
const (
	LandlockNotEnforced       LandlockStatus = 0
	LandlockPartiallyEnforced LandlockStatus = 1
	LandlockFullyEnforced     LandlockStatus = 2
)

func (s LandlockStatus) String() string {
	switch s {
	case LandlockNotEnforced:
		return "not enforced"
	case LandlockPartiallyEnforced:
		return "partially enforced"
	case LandlockFullyEnforced:
		return "fully enforced"
	}
	return fmt.Sprintf("LandlockStatus(%d)", int(s))
}

// LandlockRuleFlags modify one rule (AllowPathFlags, AllowPortFlags).
type LandlockRuleFlags uint32

// LandlockRuleQuiet makes a rule quiet (ABI 10): denials beneath it (or on
// its port) of the rights given to SetQuiet are not logged. Best effort
// drops it on an older kernel; strict mode refuses it there with ENOTSUP.
const LandlockRuleQuiet LandlockRuleFlags = 1 << 0

// LandlockRestrictFlags are the flags of the child's landlock_restrict_self
// (Cmd.LandlockFlags): which denials the kernel logs (ABI 7).
type LandlockRestrictFlags uint32

// Values of LandlockRestrictFlags. Logged denials go to the kernel's audit
// subsystem (records of type 1423, AUDIT_LANDLOCK_ACCESS: ausearch -m 1423,
// or the raw records in the kernel log when no audit daemon runs); when
// audit is disabled they are not logged at all.
const (
	// LandlockLogSameExecOff: no logging of denials before the program is
	// executed (the launcher's own setup).
	LandlockLogSameExecOff LandlockRestrictFlags = 1 << 0
	// LandlockLogNewExecOn: log the denials of the program too. By default
	// the kernel logs a domain's denials only until exec, which for a
	// launcher means none of the program's.
	LandlockLogNewExecOn LandlockRestrictFlags = 1 << 1
	// LandlockLogSubdomainsOff: no logging of the denials of the domains
	// the program creates itself. It works without a ruleset too.
	LandlockLogSubdomainsOff LandlockRestrictFlags = 1 << 2
)

// LandlockABI returns the Landlock ABI version of the running kernel: 1, 2,
// ..., or 0 when Landlock is unavailable.
func LandlockABI() int { return int(C.spx_landlock_abi()) }

// LandlockErrata returns the bit mask of the Landlock errata the running
// kernel has fixed (LANDLOCK_CREATE_RULESET_ERRATA): bit 0, TCP rights no
// longer applied to SMC, MPTCP or SCTP sockets by mistake; bit 1, signal
// scoping no longer denies too much; bit 2, disconnected directories can no
// longer widen LandlockFSRefer. It is 0 when none is fixed or the kernel
// cannot say.
func LandlockErrata() int { return int(C.spx_landlock_errata()) }

// LandlockFSRights returns every filesystem right of Landlock ABI abi
// (1..10), or 0 for an ABI the library does not know. abi 0 means the
// newest ABI of the library the program runs with: see NewLandlock for why
// a program should not handle that.
func LandlockFSRights(abi int) LandlockFSAccess {
	c, ok := cABI(abi)
	if !ok {
		return 0
	}
	return LandlockFSAccess(C.spx_landlock_fs_rights(c))
}

// LandlockNetRights returns every network right of Landlock ABI abi: none
// before ABI 4, TCP from 4, UDP too from 10; 0 for an unknown ABI as well.
func LandlockNetRights(abi int) LandlockNetAccess {
	c, ok := cABI(abi)
	if !ok {
		return 0
	}
	return LandlockNetAccess(C.spx_landlock_net_rights(c))
}

// LandlockScopes returns every IPC scope of Landlock ABI abi (none before
// ABI 6; none for an unknown ABI).
func LandlockScopes(abi int) LandlockScope {
	c, ok := cABI(abi)
	if !ok {
		return 0
	}
	return LandlockScope(C.spx_landlock_scopes(c))
}

// cABI converts an ABI number for C; one beyond a C int is no ABI (C.int
// would keep its low bits and name another).
func cABI(abi int) (C.int, bool) {
	if abi < 0 || abi > math.MaxInt32 {
		return 0, false
	}
	return C.int(abi), true
}

var errLandlockClosed = errors.New("spx: landlock ruleset is closed")

// Landlock is a Landlock ruleset under construction. Assign it to
// Cmd.Landlock: every command started with it is restricted to the rules
// (applied in the child only; the calling process is never restricted). One
// ruleset may serve any number of commands, concurrently.
//
// The builder methods return the ruleset so that calls chain. The first
// failure is remembered: later calls do nothing, Err returns it and starting a
// command with the ruleset fails with it.
//
// A Landlock holds C memory: Close it when done. A finalizer frees it too if
// it is forgotten.
type Landlock struct {
	mu  sync.RWMutex
	rs  *C.spx_landlock
	err error
}

// NewLandlock returns a ruleset that handles every access right of Landlock
// ABI abi (1..10), so that everything not allowed by a rule is denied.
// SetHandled narrows it to the rights the program means to restrict.
//
// Pin abi to the ABI the program was tested with. abi 0 means the newest ABI
// of the libspx the program runs with, not the one it was built with: a
// library upgrade then handles, so denies, more by itself (ABI 9 every
// pathname UNIX socket such as journald or D-Bus, ABI 10 all UDP and so
// DNS), and a strict ruleset fails with ENOTSUP on every older kernel.
//
// In strict mode (bestEffort false) the ruleset never enforces less than
// asked: a right the kernel lacks is an error. With bestEffort, such rights
// are dropped, Status reports it, and on a kernel without Landlock commands
// run unrestricted.
//
// LandlockFSRefer (linking or renaming across directories) is never dropped,
// since the kernel would then deny it everywhere: on a kernel with ABI 1,
// which cannot allow it, a rule granting it (or SetHandled leaving it out)
// makes bestEffort leave the filesystem unrestricted (Status
// LandlockNotEnforced) and strict mode fail with ENOTSUP.
func NewLandlock(abi int, bestEffort bool) *Landlock {
	var flags C.unsigned
	if bestEffort {
		flags = C.SPX_LANDLOCK_BEST_EFFORT
	}
	l := &Landlock{}
	cabi, ok := cABI(abi)
	if !ok {
		l.err = fmt.Errorf("spx: landlock ruleset (abi %d): %w", abi, syscall.EINVAL)
		return l
	}
	var rs *C.spx_landlock
	if rc := C.spx_landlock_new(&rs, cabi, flags); rc != 0 {
		l.err = fmt.Errorf("spx: landlock ruleset (abi %d): %w", abi, syscall.Errno(rc))
		return l
	}
	l.rs = rs
	runtime.SetFinalizer(l, (*Landlock).Close)
	return l
}

// modify runs fn on the C ruleset unless an earlier call failed.
func (l *Landlock) modify(fn func(rs *C.spx_landlock) error) *Landlock {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l
	}
	if l.rs == nil {
		l.err = errLandlockClosed
		return l
	}
	l.err = fn(l.rs)
	runtime.KeepAlive(l)
	return l
}

// AllowPath allows access beneath path (or to path, when it is not a
// directory; then only file rights apply). The path is opened now, so it must
// exist.
func (l *Landlock) AllowPath(path string, access LandlockFSAccess) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		cpath, err := cString(path)
		if err != nil {
			return &os.PathError{Op: "spx: landlock allow", Path: path, Err: err}
		}
		defer freeCString(cpath)
		if rc := C.spx_landlock_allow_path(rs, cpath, C.uint64_t(access)); rc != 0 {
			return &os.PathError{Op: "spx: landlock allow", Path: path, Err: syscall.Errno(rc)}
		}
		return nil
	})
}

// AllowPathFlags is AllowPath with rule flags (LandlockRuleQuiet).
func (l *Landlock) AllowPathFlags(path string, access LandlockFSAccess, flags LandlockRuleFlags) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		cpath, err := cString(path)
		if err != nil {
			return &os.PathError{Op: "spx: landlock allow", Path: path, Err: err}
		}
		defer freeCString(cpath)
		if rc := C.spx_landlock_allow_path_flags(rs, cpath, C.uint64_t(access), C.unsigned(flags)); rc != 0 {
			return &os.PathError{Op: "spx: landlock allow", Path: path, Err: syscall.Errno(rc)}
		}
		return nil
	})
}

// AllowPort allows access to port: TCP rights from Landlock ABI 4, UDP
// rights from ABI 10.
func (l *Landlock) AllowPort(port uint16, access LandlockNetAccess) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		if rc := C.spx_landlock_allow_port(rs, C.uint64_t(port), C.uint64_t(access)); rc != 0 {
			return fmt.Errorf("spx: landlock allow port %d: %w", port, syscall.Errno(rc))
		}
		return nil
	})
}

// AllowPortFlags is AllowPort with rule flags (LandlockRuleQuiet).
func (l *Landlock) AllowPortFlags(port uint16, access LandlockNetAccess, flags LandlockRuleFlags) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		if rc := C.spx_landlock_allow_port_flags(rs, C.uint64_t(port), C.uint64_t(access), C.unsigned(flags)); rc != 0 {
			return fmt.Errorf("spx: landlock allow port %d: %w", port, syscall.Errno(rc))
		}
		return nil
	})
}

// SetQuiet names the rights whose denials are not logged (ABI 10): beneath
// rules made with LandlockRuleQuiet for filesystem and port rights, anywhere
// for scopes. Only handled rights can be quiet. All zero removes quieting.
// Strict mode refuses it on a kernel older than ABI 10 (ENOTSUP); best
// effort drops it there, and Status says so.
func (l *Landlock) SetQuiet(fs LandlockFSAccess, net LandlockNetAccess, scopes LandlockScope) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		if rc := C.spx_landlock_set_quiet(rs, C.uint64_t(fs), C.uint64_t(net), C.uint64_t(scopes)); rc != 0 {
			return fmt.Errorf("spx: landlock quiet %#x/%#x/%#x: %w", uint64(fs), uint64(net), uint64(scopes), syscall.Errno(rc))
		}
		return nil
	})
}

// SetScope confines the child's IPC to its own Landlock domain (ABI 6);
// 0 removes scoping.
func (l *Landlock) SetScope(scopes LandlockScope) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		if rc := C.spx_landlock_set_scope(rs, C.uint64_t(scopes)); rc != 0 {
			return fmt.Errorf("spx: landlock scope %#x: %w", uint64(scopes), syscall.Errno(rc))
		}
		return nil
	})
}

// SetHandled restricts only the given rights; by default a ruleset handles
// every right of its ABI. SetHandled(0, LandlockNetBindTCP), for instance,
// limits which ports the child may bind and leaves the filesystem alone.
//
// Filesystem rights without LandlockFSRefer leave linking and renaming across
// directories allowed (the kernel would deny them under any filesystem
// ruleset): the ruleset grants LandlockFSRefer beneath "/", and the kernel
// still refuses a move that would give a file more access where it lands.
func (l *Landlock) SetHandled(fs LandlockFSAccess, net LandlockNetAccess) *Landlock {
	return l.modify(func(rs *C.spx_landlock) error {
		if rc := C.spx_landlock_set_handled(rs, C.uint64_t(fs), C.uint64_t(net)); rc != 0 {
			return fmt.Errorf("spx: landlock handled rights %#x/%#x: %w", uint64(fs), uint64(net), syscall.Errno(rc))
		}
		return nil
	})
}

// Err returns the first error met while building the ruleset, if any.
func (l *Landlock) Err() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.err
}

// Status tells what the ruleset enforces on the running kernel. A ruleset
// that failed to build or is closed enforces nothing.
func (l *Landlock) Status() LandlockStatus {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.err != nil || l.rs == nil {
		return LandlockNotEnforced
	}
	st := LandlockStatus(C.spx_landlock_status(l.rs))
	runtime.KeepAlive(l)
	return st
}

// Ruleset creates a kernel Landlock ruleset from l and returns its descriptor,
// for Cmd.LandlockFD or for any other use. The caller owns and closes the
// file. It returns (nil, nil) when best effort found no Landlock in the kernel.
func (l *Landlock) Ruleset() (*os.File, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.err != nil {
		return nil, l.err
	}
	if l.rs == nil {
		return nil, errLandlockClosed
	}
	fd := C.int(-1)
	rc := C.spx_landlock_create_fd(l.rs, &fd)
	runtime.KeepAlive(l)
	if rc != 0 {
		return nil, fmt.Errorf("spx: landlock ruleset: %w", syscall.Errno(rc))
	}
	if fd < 0 {
		return nil, nil
	}
	return os.NewFile(uintptr(fd), "landlock-ruleset"), nil
}

// Close releases the ruleset's C memory. Descriptors made by Ruleset stay
// valid; commands started with it are unaffected. Close is idempotent.
func (l *Landlock) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rs != nil {
		C.spx_landlock_free(l.rs)
		l.rs = nil
		runtime.SetFinalizer(l, nil)
	}
	return nil
}

// applyTo sets the ruleset on a spawn attribute object.
func (l *Landlock) applyTo(attr *C.spx_attr) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.err != nil {
		return l.err
	}
	if l.rs == nil {
		return errLandlockClosed
	}
	rc := C.spx_attr_set_landlock(attr, l.rs)
	runtime.KeepAlive(l)
	if rc != 0 {
		return syscall.Errno(rc)
	}
	return nil
}
