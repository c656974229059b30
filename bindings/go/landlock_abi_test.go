//go:build linux

package spx_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"spx.dev/spx"
)

// The rights of each Landlock ABI as the kernel documents them
// (Documentation/userspace-api/landlock.rst and uapi linux/landlock.h of
// Linux 7.2): filesystem bits 0-12 in ABI 1, REFER (13) in 2, TRUNCATE (14)
// in 3, IOCTL_DEV (15) in 5, RESOLVE_UNIX (16) in 9; TCP bind/connect in 4,
// UDP bind/connect-send in 10; both scopes in 6.
var landlockABIRights = []struct {
	abi   int
	fs    spx.LandlockFSAccess
	net   spx.LandlockNetAccess
	scope spx.LandlockScope
}{
	{1, 1<<13 - 1, 0, 0},
	{2, 1<<14 - 1, 0, 0},
	{3, 1<<15 - 1, 0, 0},
	{4, 1<<15 - 1, 3, 0},
	{5, 1<<16 - 1, 3, 0},
	{6, 1<<16 - 1, 3, 3},
	{7, 1<<16 - 1, 3, 3},
	{8, 1<<16 - 1, 3, 3},
	{9, 1<<17 - 1, 3, 3},
	{10, 1<<17 - 1, 15, 3},
}

func TestLandlockRightsOfABI(t *testing.T) {
	for _, w := range landlockABIRights {
		if got := spx.LandlockFSRights(w.abi); got != w.fs {
			t.Errorf("LandlockFSRights(%d) = %#x, want %#x", w.abi, got, w.fs)
		}
		if got := spx.LandlockNetRights(w.abi); got != w.net {
			t.Errorf("LandlockNetRights(%d) = %#x, want %#x", w.abi, got, w.net)
		}
		if got := spx.LandlockScopes(w.abi); got != w.scope {
			t.Errorf("LandlockScopes(%d) = %#x, want %#x", w.abi, got, w.scope)
		}
	}
	// 0 is the newest ABI the library knows; anything else is unknown.
	newest := landlockABIRights[len(landlockABIRights)-1]
	if spx.LandlockFSRights(0) != newest.fs || spx.LandlockNetRights(0) != newest.net || spx.LandlockScopes(0) != newest.scope {
		t.Errorf("ABI 0 is not ABI %d", newest.abi)
	}
	unknown := []int{-1, 11, 1 << 30}
	var wide uint64 = 1<<32 + 7 // C.int would keep 7, a known ABI
	if strconv.IntSize == 64 {
		unknown = append(unknown, int(wide))
		if err := spx.NewLandlock(int(wide), true).Err(); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("NewLandlock(1<<32 + 7): %v, want EINVAL", err)
		}
	}
	for _, abi := range unknown {
		if spx.LandlockFSRights(abi) != 0 || spx.LandlockNetRights(abi) != 0 || spx.LandlockScopes(abi) != 0 {
			t.Errorf("ABI %d: rights %#x %#x %#x, want none", abi,
				spx.LandlockFSRights(abi), spx.LandlockNetRights(abi), spx.LandlockScopes(abi))
		}
	}
	// The fixed FS_RW stays the rights of ABI 1 to 8.
	if spx.LandlockFSRW != spx.LandlockFSRights(8) || spx.LandlockFSRW&spx.LandlockFSResolveUnix != 0 {
		t.Errorf("LandlockFSRW = %#x", spx.LandlockFSRW)
	}
}

// TestLandlockErrata compares the binding's answer with the kernel's own.
func TestLandlockErrata(t *testing.T) {
	const sysLandlockCreateRuleset = 444 // the same number on every architecture
	const createRulesetErrata = 1 << 1
	want, _, errno := syscall.Syscall(sysLandlockCreateRuleset, 0, 0, createRulesetErrata)
	if errno != 0 {
		want = 0 // no Landlock, or a kernel that cannot say
	}
	if got := spx.LandlockErrata(); got != int(want) {
		t.Errorf("LandlockErrata() = %#x, kernel says %#x (%v)", got, want, errno)
	}
	t.Logf("errata: %#x", spx.LandlockErrata())
}

// landlockHelper runs as a child (TestMain) and reports, one line per
// argument, what Landlock let it do: write=PATH, tcp-bind=PORT,
// udp-bind=PORT, udp-send=PORT.
func landlockHelper() int {
	for _, op := range os.Args[1:] {
		name, arg, _ := strings.Cut(op, "=")
		var err error
		switch name {
		case "write":
			err = os.WriteFile(arg, []byte("x"), 0o600)
		case "tcp-bind":
			var l net.Listener
			if l, err = net.Listen("tcp4", "127.0.0.1:"+arg); err == nil {
				l.Close()
			}
		case "udp-bind":
			var c net.PacketConn
			if c, err = net.ListenPacket("udp4", "127.0.0.1:"+arg); err == nil {
				c.Close()
			}
		case "udp-send":
			var c net.Conn
			if c, err = net.Dial("udp4", "127.0.0.1:"+arg); err == nil {
				_, err = c.Write([]byte("x"))
				c.Close()
			}
		default:
			fmt.Printf("%s: unknown\n", op)
			return 2
		}
		var errno syscall.Errno
		switch {
		case err == nil:
			fmt.Printf("%s: ok\n", op)
		case errors.As(err, &errno):
			fmt.Printf("%s: %d\n", op, int(errno))
		default:
			fmt.Printf("%s: %v\n", op, err)
		}
	}
	return 0
}

// runLandlockHelper runs landlockHelper under rs and returns its lines.
func runLandlockHelper(t *testing.T, rs *spx.Landlock, flags spx.LandlockRestrictFlags, ops ...string) map[string]string {
	t.Helper()
	cmd := spx.Command(os.Args[0], ops...)
	cmd.Env = append(os.Environ(), helperEnv+"=landlock")
	cmd.Landlock = rs
	cmd.LandlockFlags = flags
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v (%s)", cmd, err, out)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		got[k] = v
	}
	return got
}

// freePort returns a TCP and UDP port of 127.0.0.1 nobody uses now.
func freePort(t *testing.T) string {
	t.Helper()
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp4", "127.0.0.1:"+strconv.Itoa(port))
		l.Close()
		if err == nil {
			u.Close()
			return strconv.Itoa(port)
		}
	}
	t.Fatal("no free port")
	return ""
}

// TestLandlockStrictRefusesNewerRights: what the kernel (ABI < 9 or 10)
// lacks is ENOTSUP in strict mode, when asked and not later.
func TestLandlockStrictRefusesNewerRights(t *testing.T) {
	needLandlock(t)
	kernel := spx.LandlockABI()
	// A right outside the ruleset's own ABI, whatever the kernel.
	rs := spx.NewLandlock(7, false).AllowPath("/", spx.LandlockFSResolveUnix)
	defer rs.Close()
	if err := rs.Err(); !errors.Is(err, syscall.ENOTSUP) {
		t.Errorf("ABI 7 ruleset, RESOLVE_UNIX rule: %v, want ENOTSUP", err)
	}
	rs = spx.NewLandlock(7, false).AllowPathFlags("/", spx.LandlockFSRO, 1<<1)
	defer rs.Close()
	if err := rs.Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("unknown rule flag: %v, want EINVAL", err)
	}
	rs = spx.NewLandlock(10, false).AllowPort(1, 1<<4)
	defer rs.Close()
	if err := rs.Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("unknown port right: %v, want EINVAL", err)
	}
	if kernel >= 10 {
		t.Skipf("the kernel has Landlock ABI %d: nothing newer to refuse", kernel)
	}
	cases := map[string]*spx.Landlock{
		"UDP port rule": spx.NewLandlock(10, false).AllowPort(53, spx.LandlockNetBindUDP|spx.LandlockNetConnectSendUDP),
		"quiet":         spx.NewLandlock(10, false).SetQuiet(spx.LandlockFSRO, 0, 0),
		"quiet rule":    spx.NewLandlock(10, false).AllowPathFlags("/", spx.LandlockFSRO, spx.LandlockRuleQuiet),
		"quiet port":    spx.NewLandlock(10, false).AllowPortFlags(80, spx.LandlockNetConnectTCP, spx.LandlockRuleQuiet),
		"handled UDP":   spx.NewLandlock(10, false).SetHandled(0, spx.LandlockNetBindUDP),
	}
	if kernel < 9 {
		cases["RESOLVE_UNIX rule"] = spx.NewLandlock(9, false).AllowPath("/", spx.LandlockFSResolveUnix)
	}
	for name, rs := range cases {
		if err := rs.Err(); !errors.Is(err, syscall.ENOTSUP) {
			t.Errorf("%s on ABI %d: %v, want ENOTSUP", name, kernel, err)
		}
		rs.Close()
	}
	// Handling every right of ABI 10 cannot be done here: the ruleset says
	// so, and a command using it does not start.
	rs = spx.NewLandlock(10, false).AllowPath("/", spx.LandlockFSROX)
	defer rs.Close()
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if st := rs.Status(); st == spx.LandlockFullyEnforced {
		t.Errorf("strict ABI 10 on ABI %d: Status() = %v", kernel, st)
	}
	cmd := spx.Command("/bin/true")
	cmd.Landlock = rs
	spawnError(t, cmd.Run(), spx.StagePrepare, syscall.ENOTSUP)
	if f, err := rs.Ruleset(); !errors.Is(err, syscall.ENOTSUP) || f != nil {
		t.Errorf("Ruleset() = %v, %v; want ENOTSUP", f, err)
	}
}

// TestLandlockBestEffortDropsNewerRights: an ABI 10 ruleset on an older
// kernel drops UDP, RESOLVE_UNIX and quiet settings, says so, and still
// enforces the rest.
func TestLandlockBestEffortDropsNewerRights(t *testing.T) {
	kernel := spx.LandlockABI()
	if kernel < 4 || kernel >= 10 {
		t.Skipf("needs a kernel with Landlock ABI 4 to 9, not %d", kernel)
	}
	allowed, other := t.TempDir(), t.TempDir()
	port := freePort(t)
	p, _ := strconv.Atoi(port)
	rs := spx.NewLandlock(10, true).
		AllowPath("/", spx.LandlockFSROX).
		AllowPath("/dev/null", spx.LandlockFSRW).
		AllowPathFlags(allowed, spx.LandlockFSRights(10), spx.LandlockRuleQuiet).
		AllowPort(uint16(p), spx.LandlockNetBindUDP|spx.LandlockNetConnectSendUDP).
		SetQuiet(spx.LandlockFSRights(10), spx.LandlockNetRights(10), 0)
	defer rs.Close()
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if st := rs.Status(); st != spx.LandlockPartiallyEnforced {
		t.Errorf("Status() = %v, want %v", st, spx.LandlockPartiallyEnforced)
	}
	in, out := filepath.Join(allowed, "f"), filepath.Join(other, "f")
	got := runLandlockHelper(t, rs, 0, "write="+in, "write="+out, "tcp-bind="+port, "udp-bind="+port, "udp-send="+port)
	want := map[string]string{
		"write=" + in:      "ok",
		"write=" + out:     strconv.Itoa(int(syscall.EACCES)),
		"tcp-bind=" + port: strconv.Itoa(int(syscall.EACCES)), // TCP is still handled
		"udp-bind=" + port: "ok",                              // UDP rights were dropped
		"udp-send=" + port: "ok",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("child %s: %q, want %q", k, got[k], v)
		}
	}
}

// TestLandlockLogFlags: the kernel accepts the restrict_self flags (ABI 7)
// with a ruleset, by descriptor, and LandlockLogSubdomainsOff without one;
// an unknown flag is refused before anything runs.
func TestLandlockLogFlags(t *testing.T) {
	if spx.LandlockABI() < 7 {
		t.Skip("needs Landlock ABI 7 (the logging flags)")
	}
	allowed, other := t.TempDir(), t.TempDir()
	all := spx.LandlockLogSameExecOff | spx.LandlockLogNewExecOn | spx.LandlockLogSubdomainsOff
	rs := spx.NewLandlock(7, false).
		AllowPath("/", spx.LandlockFSROX).
		AllowPath("/dev/null", spx.LandlockFSRW).
		AllowPath(allowed, spx.LandlockFSRW)
	defer rs.Close()
	in, out := filepath.Join(allowed, "f"), filepath.Join(other, "f")
	for _, flags := range []spx.LandlockRestrictFlags{spx.LandlockLogNewExecOn, all} {
		got := runLandlockHelper(t, rs, flags, "write="+in, "write="+out)
		if got["write="+in] != "ok" || got["write="+out] != strconv.Itoa(int(syscall.EACCES)) {
			t.Errorf("flags %#x: child got %v", flags, got)
		}
	}

	t.Run("descriptor", func(t *testing.T) {
		f, err := rs.Ruleset()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := spx.Command("/bin/sh", "-c", `echo x > "$1"`, "sh", out)
		cmd.LandlockFD = f
		cmd.LandlockFlags = all
		if err := cmd.Run(); exitError(t, err).ExitCode() == 0 {
			t.Error("write outside succeeded")
		}
	})
	t.Run("no ruleset", func(t *testing.T) {
		cmd := spx.Command("/bin/sh", "-c", `echo x > "$1"`, "sh", out)
		cmd.LandlockFlags = spx.LandlockLogSubdomainsOff
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("unrestricted child could not write: %v", err)
		}
	})
	t.Run("unknown flag", func(t *testing.T) {
		cmd := spx.Command("/bin/sh", "-c", `echo x > "$1"`, "sh", filepath.Join(other, "never"))
		cmd.Landlock = rs
		cmd.LandlockFlags = 1 << 3 // TSYNC (ABI 8) has no meaning for a child
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
		if _, err := os.Stat(filepath.Join(other, "never")); err == nil {
			t.Error("the child ran")
		}
	})
}

// auditExchange sends one AUDIT_GET, or an AUDIT_SET of the enabled flag,
// over the audit netlink socket, and returns whether audit is enabled and
// which process, if any, receives its records.
func auditExchange(set bool, enable bool) (enabled bool, daemon uint32, err error) {
	const netlinkAudit, auditGet, auditSet, statusEnabled = 9, 1000, 1001, 1
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, netlinkAudit)
	if err != nil {
		return false, 0, err
	}
	defer syscall.Close(fd)
	tv := syscall.Timeval{Sec: 2}
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv); err != nil {
		return false, 0, err
	}
	typ, flags, payload := uint16(auditGet), uint16(syscall.NLM_F_REQUEST), []byte(nil)
	if set {
		// struct audit_status, only mask and enabled set: the kernel
		// reads what it is given and zeroes the rest.
		typ, flags, payload = auditSet, syscall.NLM_F_REQUEST|syscall.NLM_F_ACK, make([]byte, 8)
		binary.LittleEndian.PutUint32(payload[0:], statusEnabled)
		if enable {
			binary.LittleEndian.PutUint32(payload[4:], 1)
		}
	}
	req := make([]byte, syscall.NLMSG_HDRLEN+len(payload))
	binary.LittleEndian.PutUint32(req[0:], uint32(len(req)))
	binary.LittleEndian.PutUint16(req[4:], typ)
	binary.LittleEndian.PutUint16(req[6:], flags)
	binary.LittleEndian.PutUint32(req[8:], 1)
	copy(req[syscall.NLMSG_HDRLEN:], payload)
	if err := syscall.Sendto(fd, req, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return false, 0, err
	}
	buf := make([]byte, 8192)
	for {
		n, _, err := syscall.Recvfrom(fd, buf, 0)
		if err != nil {
			return false, 0, err
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return false, 0, err
		}
		for _, m := range msgs {
			switch {
			case m.Header.Type == syscall.NLMSG_ERROR && len(m.Data) >= 4:
				e := int32(binary.LittleEndian.Uint32(m.Data))
				if e != 0 {
					return false, 0, syscall.Errno(-e)
				}
				if set { // the acknowledgement
					return enable, 0, nil
				}
			case m.Header.Type == auditGet && len(m.Data) >= 16:
				// struct audit_status: mask, enabled, failure, pid, ...
				return binary.LittleEndian.Uint32(m.Data[4:]) != 0, binary.LittleEndian.Uint32(m.Data[12:]), nil
			}
		}
	}
}

// TestLandlockLogNewExecOnReachesTheKernel: with LandlockLogNewExecOn the
// program's own denial is an audit record (type 1423, naming the denied
// path); without it, the kernel logs nothing of the program's. Needs audit
// enabled with no audit daemon, so that the records reach the kernel log;
// SPX_TEST_AUDIT=enable lets the test enable audit for its duration (a
// setting of the whole machine, hence not by default), as the C suite does.
func TestLandlockLogNewExecOnReachesTheKernel(t *testing.T) {
	if spx.LandlockABI() < 7 {
		t.Skip("needs Landlock ABI 7 (the logging flags)")
	}
	needRoot(t)
	enabled, daemon, err := auditExchange(false, false)
	if err == nil && !enabled && os.Getenv("SPX_TEST_AUDIT") == "enable" {
		if _, _, err = auditExchange(true, true); err == nil {
			enabled = true
			t.Cleanup(func() {
				if _, _, err := auditExchange(true, false); err != nil {
					t.Errorf("disabling audit again: %v", err)
				}
			})
		}
	}
	switch {
	case err != nil:
		t.Skipf("cannot read or set the audit status: %v", err)
	case !enabled:
		t.Skip("audit is disabled in this kernel, so Landlock logs nothing to observe (SPX_TEST_AUDIT=enable lets the test enable it)")
	case daemon != 0:
		t.Skipf("audit records go to the audit daemon (pid %d), not the kernel log", daemon)
	}
	kmsg, err := os.Open("/dev/kmsg")
	if err != nil {
		t.Skipf("cannot read the kernel log: %v", err)
	}
	defer kmsg.Close()
	if _, err := kmsg.Seek(0, 2); err != nil { // SEEK_END: only new records
		t.Skipf("/dev/kmsg: %v", err)
	}
	// The record names the directory where the file could not be made.
	unlogged, logged := t.TempDir(), t.TempDir()
	rs := spx.NewLandlock(7, false).AllowPath("/", spx.LandlockFSROX).AllowPath("/dev/null", spx.LandlockFSRW)
	defer rs.Close()
	denied := func(flags spx.LandlockRestrictFlags, dir string) {
		cmd := spx.Command("/bin/sh", "-c", `echo x > "$1/f" 2>/dev/null; exit 0`, "sh", dir)
		cmd.Landlock = rs
		cmd.LandlockFlags = flags
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
	}
	denied(0, unlogged)
	denied(spx.LandlockLogNewExecOn, logged)
	time.Sleep(200 * time.Millisecond)
	fd := int(kmsg.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	buf := make([]byte, 8192)
	for {
		n, err := syscall.Read(fd, buf)
		if n > 0 {
			if line := buf[:n]; bytes.Contains(line, []byte("type=1423")) {
				log.Write(line)
			}
		}
		if err == syscall.EPIPE { // overwritten records: go on
			continue
		}
		if err != nil || n <= 0 {
			break
		}
	}
	if !bytes.Contains(log.Bytes(), []byte(logged)) {
		t.Errorf("no audit record of the program's denial with LandlockLogNewExecOn; records: %s", log.Bytes())
	}
	if bytes.Contains(log.Bytes(), []byte(unlogged)) {
		t.Errorf("the program's denial was logged without LandlockLogNewExecOn: %s", log.Bytes())
	}
}
