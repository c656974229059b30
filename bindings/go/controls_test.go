//go:build linux

package spx_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"spx.dev/spx"
)

// The tests below check resource limits, sessions and process groups, the
// controlling terminal, cgroup placement, the parent-death signal, the umask
// and the securebits from inside the child: /proc/self/limits,
// /proc/self/stat, /proc/self/cgroup, /proc/self/status, and prctl values
// printed by this test binary run as a helper (prctlHelper).

// procStat holds the fields of /proc/<pid>/stat the tests look at.
type procStat struct {
	pid, ppid, pgrp, session, ttyNr, tpgid int
}

func parseStat(t testing.TB, out []byte) procStat {
	t.Helper()
	s := string(out)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		t.Fatalf("not a /proc/self/stat: %q", out)
	}
	f := strings.Fields(s[i+1:]) // state ppid pgrp session tty_nr tpgid ...
	pid, _ := strconv.Atoi(strings.Fields(s)[0])
	n := func(k int) int {
		v, err := strconv.Atoi(f[k])
		if err != nil {
			t.Fatalf("/proc/self/stat field %d: %q", k+3, out)
		}
		return v
	}
	return procStat{pid: pid, ppid: n(1), pgrp: n(2), session: n(3), ttyNr: n(4), tpgid: n(5)}
}

// childStat runs cat /proc/self/stat as set up by setup, and returns the
// child's fields.
func childStat(t *testing.T, setup func(*spx.Cmd)) procStat {
	t.Helper()
	cmd := spx.Command("/bin/cat", "/proc/self/stat")
	setup(cmd)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd, err)
	}
	return parseStat(t, out)
}

func selfStat(t testing.TB) procStat {
	t.Helper()
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	return parseStat(t, b)
}

// limitsOf returns the soft and hard values of a /proc/self/limits line
// ("Max open files"), as printed ("1024", "unlimited").
func limitsOf(t testing.TB, out []byte, name string) (soft, hard string) {
	t.Helper()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, name+"  ") {
			f := strings.Fields(line[len(name):])
			if len(f) >= 2 {
				return f[0], f[1]
			}
		}
	}
	t.Fatalf("no %q in /proc/self/limits:\n%s", name, out)
	return "", ""
}

func childLimits(t *testing.T, rl []spx.Rlimit) []byte {
	t.Helper()
	cmd := spx.Command("/bin/cat", "/proc/self/limits")
	cmd.Rlimits = rl
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cat /proc/self/limits with %v: %v", rl, err)
	}
	return out
}

// hasCap reports whether this process has cap in its effective set.
func hasCap(t testing.TB, c spx.Cap) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "CapEff:") {
			m, err := strconv.ParseUint(strings.TrimSpace(line[len("CapEff:"):]), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return m&(1<<uint(c)) != 0
		}
	}
	t.Fatal("no CapEff")
	return false
}

func TestRlimitFromName(t *testing.T) {
	for name, want := range map[string]int{
		"nofile": spx.RLIMIT_NOFILE, "NOFILE": spx.RLIMIT_NOFILE, "RLIMIT_NOFILE": spx.RLIMIT_NOFILE,
		"rlimit_as": spx.RLIMIT_AS, "cpu": spx.RLIMIT_CPU, "nproc": spx.RLIMIT_NPROC, "rttime": spx.RLIMIT_RTTIME,
	} {
		if got, err := spx.RlimitFromName(name); got != want || err != nil {
			t.Errorf("RlimitFromName(%q) = %d, %v; want %d", name, got, err, want)
		}
	}
	if spx.RLIMIT_NOFILE != syscall.RLIMIT_NOFILE || spx.RLIMIT_AS != syscall.RLIMIT_AS {
		t.Error("RLIMIT_* differ from syscall's")
	}
	for _, name := range []string{"", "nofiles", "RLIMIT_", "no\x00file"} {
		if got, err := spx.RlimitFromName(name); got != -1 || !errors.Is(err, syscall.EINVAL) {
			t.Errorf("RlimitFromName(%q) = %d, %v; want -1, EINVAL", name, got, err)
		}
	}
}

func TestRlimits(t *testing.T) {
	out := childLimits(t, []spx.Rlimit{
		{Resource: spx.RLIMIT_NOFILE, Cur: 100, Max: 200},
		{Resource: spx.RLIMIT_CORE, Cur: 0, Max: 0},
		{Resource: spx.RLIMIT_CPU, Cur: 1000, Max: 2000},
		{Resource: spx.RLIMIT_NPROC, Cur: 500, Max: 600},
	})
	for _, c := range []struct{ name, soft, hard string }{
		{"Max open files", "100", "200"},
		{"Max core file size", "0", "0"},
		{"Max cpu time", "1000", "2000"},
		{"Max processes", "500", "600"},
	} {
		if soft, hard := limitsOf(t, out, c.name); soft != c.soft || hard != c.hard {
			t.Errorf("%s: %s %s, want %s %s", c.name, soft, hard, c.soft, c.hard)
		}
	}

	// The same resource twice: the last values win.
	out = childLimits(t, []spx.Rlimit{{spx.RLIMIT_NOFILE, 10, 20}, {spx.RLIMIT_NOFILE, 30, 40}})
	if soft, hard := limitsOf(t, out, "Max open files"); soft != "30" || hard != "40" {
		t.Errorf("NOFILE set twice: %s %s, want 30 40", soft, hard)
	}

	// RlimInfinity is "unlimited" (kept under an unlimited hard limit).
	var core syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CORE, &core); err != nil {
		t.Fatal(err)
	}
	if core.Max == spx.RlimInfinity {
		out = childLimits(t, []spx.Rlimit{{spx.RLIMIT_CORE, spx.RlimInfinity, spx.RlimInfinity}})
		if soft, hard := limitsOf(t, out, "Max core file size"); soft != "unlimited" || hard != "unlimited" {
			t.Errorf("core unlimited: %s %s", soft, hard)
		}
	} else {
		t.Logf("hard RLIMIT_CORE is %d here: unlimited not checked", core.Max)
	}

	// A limit the child does not set is the caller's.
	out = childLimits(t, []spx.Rlimit{{spx.RLIMIT_CORE, 0, 0}})
	var nofile syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile); err != nil {
		t.Fatal(err)
	}
	if soft, hard := limitsOf(t, out, "Max open files"); soft != fmt.Sprint(nofile.Cur) || hard != fmt.Sprint(nofile.Max) {
		t.Errorf("NOFILE not set: %s %s, want the caller's %d %d", soft, hard, nofile.Cur, nofile.Max)
	}
}

func TestRlimitErrors(t *testing.T) {
	run := func(rl ...spx.Rlimit) error {
		cmd := spx.Command("/bin/true")
		cmd.Rlimits = rl
		return cmd.Run()
	}
	spawnError(t, run(spx.Rlimit{spx.RLIMIT_NOFILE, 300, 299}), spx.StagePrepare, syscall.EINVAL)
	spawnError(t, run(spx.Rlimit{16, 1, 1}), spx.StagePrepare, syscall.EINVAL)
	spawnError(t, run(spx.Rlimit{-1, 1, 1}), spx.StagePrepare, syscall.EINVAL)
	spawnError(t, run(spx.Rlimit{1 << 40, 1, 1}), spx.StagePrepare, syscall.EINVAL)
	se := spawnError(t, run(spx.Rlimit{spx.RLIMIT_CORE, 0, 0}, spx.Rlimit{spx.RLIMIT_AS, 2, 1}), spx.StagePrepare, syscall.EINVAL)
	if !strings.Contains(se.Error(), "rlimit 9") {
		t.Errorf("error does not name the resource: %v", se)
	}

	// Raising the hard limit needs CAP_SYS_RESOURCE (which root lacks on
	// some machines): EPERM in the child, at the rlimit stage.
	var nofile syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile); err != nil {
		t.Fatal(err)
	}
	if nofile.Max == spx.RlimInfinity || nofile.Max >= 1<<20 {
		t.Logf("hard RLIMIT_NOFILE %d cannot be raised: not checked", nofile.Max)
		return
	}
	err := run(spx.Rlimit{spx.RLIMIT_NOFILE, nofile.Max + 1, nofile.Max + 1})
	if hasCap(t, spx.CAP_SYS_RESOURCE) {
		if err != nil {
			t.Errorf("raising the hard NOFILE with CAP_SYS_RESOURCE: %v", err)
		}
	} else {
		spawnError(t, err, spx.StageRlimit, syscall.EPERM)
	}
}

// TestRlimitNofileRestored: the Go runtime raises its soft RLIMIT_NOFILE to
// the hard limit at startup; the binding gives children the original value
// back, as os/exec does since Go 1.21. The caller here is this test binary
// run again with a soft limit of 256 (nofileHelper).
func TestRlimitNofileRestored(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Max < 512 {
		t.Skipf("hard RLIMIT_NOFILE %d too low", lim.Max)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := spx.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=nofile")
	cmd.Rlimits = []spx.Rlimit{{spx.RLIMIT_NOFILE, 256, lim.Max}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the caller with soft NOFILE 256: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		got[k] = v
	}
	hard := fmt.Sprint(lim.Max)
	want := map[string]string{
		"caller":                         hard, // what the Go runtime made of 256
		"spx child":                      "256",
		"spx child, own NOFILE":          "100",
		"spx child, after Setrlimit":     "300",
		"os/exec child, after Setrlimit": "300",
	}
	if goMinor() >= 21 {
		want["os/exec child"] = "256"
	} else {
		// os/exec restores the limit since Go 1.21 only.
		want["os/exec child"] = hard
		t.Logf("%s: os/exec gives its child the raised soft NOFILE (%s); spx gives back the original (256)", runtime.Version(), got["os/exec child"])
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: soft NOFILE %q, want %q", k, got[k], v)
		}
	}
	if goMinor() >= 21 && got["spx child"] != got["os/exec child"] {
		t.Errorf("spx child %s, os/exec child %s: differ", got["spx child"], got["os/exec child"])
	}
	if t.Failed() {
		t.Logf("the caller said:\n%s", out)
	}
}

// goMinor is the minor version of the Go that built the test (1.N), or
// 1000 for a development version.
func goMinor() int {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	if i := strings.IndexAny(v, ".rcbeta"); i >= 0 {
		v = v[:i]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 1000
	}
	return n
}

// nofileHelper prints its own soft NOFILE and its children's: spx and
// os/exec children, one with its own NOFILE, and both after the program
// set the limit itself.
func nofileHelper() int {
	soft := func(out []byte, err error) string {
		if err != nil {
			return "error " + err.Error()
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "Max open files") {
				return strings.Fields(line[len("Max open files"):])[0]
			}
		}
		return "?"
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Println("getrlimit:", err)
		return 1
	}
	fmt.Println("caller:", lim.Cur)
	fmt.Println("spx child:", soft(spx.Command("/bin/cat", "/proc/self/limits").Output()))
	fmt.Println("os/exec child:", soft(exec.Command("/bin/cat", "/proc/self/limits").Output()))
	own := spx.Command("/bin/cat", "/proc/self/limits")
	own.Rlimits = []spx.Rlimit{{spx.RLIMIT_NOFILE, 100, lim.Max}}
	fmt.Println("spx child, own NOFILE:", soft(own.Output()))
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 300, Max: lim.Max}); err != nil {
		fmt.Println("setrlimit:", err)
		return 1
	}
	fmt.Println("spx child, after Setrlimit:", soft(spx.Command("/bin/cat", "/proc/self/limits").Output()))
	fmt.Println("os/exec child, after Setrlimit:", soft(exec.Command("/bin/cat", "/proc/self/limits").Output()))
	return 0
}

func TestSetsidSetpgid(t *testing.T) {
	self := selfStat(t)

	st := childStat(t, func(*spx.Cmd) {})
	if st.pgrp != self.pgrp || st.session != self.session {
		t.Errorf("default: pgrp %d session %d, want the caller's %d %d", st.pgrp, st.session, self.pgrp, self.session)
	}

	st = childStat(t, func(c *spx.Cmd) { c.Setsid = true })
	if st.session != st.pid || st.pgrp != st.pid || st.ttyNr != 0 {
		t.Errorf("Setsid: %+v, want a session and group led by the child, no terminal", st)
	}

	st = childStat(t, func(c *spx.Cmd) { c.Setpgid = true })
	if st.pgrp != st.pid || st.session != self.session {
		t.Errorf("Setpgid: %+v, want a group led by the child in the caller's session %d", st, self.session)
	}

	st = childStat(t, func(c *spx.Cmd) { c.Setsid, c.Setpgid = true, true }) // Pgid 0: nothing more
	if st.session != st.pid || st.pgrp != st.pid {
		t.Errorf("Setsid and Setpgid: %+v", st)
	}

	// Join a group: the leader is a child in its own group.
	leader := spx.Command("/bin/sleep", "30")
	leader.Setpgid = true
	if err := leader.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { leader.Process.Kill(); leader.Wait() }()
	st = childStat(t, func(c *spx.Cmd) { c.Setpgid, c.Pgid = true, leader.Process.Pid })
	if st.pgrp != leader.Process.Pid {
		t.Errorf("Pgid %d: child's group %d", leader.Process.Pid, st.pgrp)
	}

	// The group can be signaled as a whole: a shell and its background
	// sleep both die.
	tree := spx.Command("/bin/sh", "-c", "sleep 30 & echo $!; wait")
	tree.Setpgid = true
	stdout, err := tree.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	sleeper, _ := strconv.Atoi(strings.TrimSpace(line))
	if err := syscall.Kill(-tree.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if ee := exitError(t, tree.Wait()); ee.Signal() != syscall.SIGKILL {
		t.Errorf("shell: %v", ee)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(sleeper) + "/stat")
		if err != nil || bytes.Contains(b, []byte(") Z ")) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("background sleep %d survived kill(-pgid)", sleeper)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSessionErrors(t *testing.T) {
	run := func(setup func(*spx.Cmd)) error {
		cmd := spx.Command("/bin/true")
		setup(cmd)
		return cmd.Run()
	}
	spawnError(t, run(func(c *spx.Cmd) { c.Setpgid, c.Pgid = true, -1 }), spx.StagePrepare, syscall.EINVAL)
	spawnError(t, run(func(c *spx.Cmd) { c.Foreground, c.Pgid = true, -5 }), spx.StagePrepare, syscall.EINVAL)
	// A new session cannot join a group (here: our own).
	spawnError(t, run(func(c *spx.Cmd) { c.Setsid, c.Setpgid, c.Pgid = true, true, syscall.Getpgrp() }), spx.StagePrepare, syscall.EINVAL)
	// A group that does not exist.
	dead := spx.Command("/bin/true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	err := run(func(c *spx.Cmd) { c.Setpgid, c.Pgid = true, dead.ProcessState.Pid() })
	var se *spx.Error
	if !errors.As(err, &se) || se.Stage != spx.StageSession {
		t.Errorf("Pgid of a dead process: %v", err)
	}
	// A terminal needs a new session; -1 is no descriptor.
	spawnError(t, run(func(c *spx.Cmd) { c.Setctty = true }), spx.StagePrepare, syscall.EINVAL)
	spawnError(t, run(func(c *spx.Cmd) { c.Setsid, c.Setctty, c.Ctty = true, true, -1 }), spx.StagePrepare, syscall.EBADF)
	spawnError(t, run(func(c *spx.Cmd) { c.Setsid, c.Setctty, c.Ctty = true, true, 1<<40 }), spx.StagePrepare, syscall.EBADF)
	spawnError(t, run(func(c *spx.Cmd) { c.Foreground, c.Ctty = true, -1 }), spx.StagePrepare, syscall.EBADF)
	// /dev/null (Stdin) is no terminal.
	spawnError(t, run(func(c *spx.Cmd) { c.Setsid, c.Setctty = true, true }), spx.StageSession, syscall.ENOTTY)
	spawnError(t, run(func(c *spx.Cmd) { c.Foreground = true }), spx.StageSession, syscall.ENOTTY)
}

// openPty opens a new pseudo-terminal (posix_openpt, grantpt, unlockpt,
// ptsname with /dev/ptmx's ioctls); neither end becomes our terminal.
func openPty(t testing.TB) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatalf("TIOCGPTN: %v", e)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatalf("TIOCSPTLCK: %v", e)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// TestSetctty: a child in a new session takes the pty at its descriptor 0
// as its controlling terminal, and its group is that terminal's foreground
// group.
func TestSetctty(t *testing.T) {
	_, slave := openPty(t)
	var fi syscall.Stat_t
	if err := syscall.Fstat(int(slave.Fd()), &fi); err != nil {
		t.Fatal(err)
	}
	st := childStat(t, func(c *spx.Cmd) { c.Stdin, c.Setsid, c.Setctty = slave, true, true })
	if st.ttyNr != int(fi.Rdev) || st.tpgid != st.pid || st.session != st.pid {
		t.Errorf("child %+v, want tty_nr %d and tpgid = session = pid", st, fi.Rdev)
	}

	// Ctty names a descriptor of the child: here ExtraFiles[1], fd 4.
	st = childStat(t, func(c *spx.Cmd) {
		c.ExtraFiles = []*os.File{nil, slave}
		c.Setsid, c.Setctty, c.Ctty = true, true, 4
	})
	if st.ttyNr != int(fi.Rdev) {
		t.Errorf("Ctty 4: child's tty_nr %d, want %d", st.ttyNr, fi.Rdev)
	}
}

// TestForeground runs this test binary as a session leader on a pty
// (jobHelper), which starts children in new groups, with and without
// Foreground, and reports what they saw.
func TestForeground(t *testing.T) {
	_, slave := openPty(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := spx.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=job")
	cmd.Stdin = slave
	cmd.Setsid, cmd.Setctty = true, true
	out, err := cmd.CombinedOutput()
	want := "leader: ok\nForeground: ok\nSetpgid: ok\nForeground, no Setpgid: ok\n"
	if err != nil || string(out) != want {
		t.Errorf("the session leader said (%v):\n%s\nwant:\n%s", err, out, want)
	}
}

// jobHelper is TestForeground's session leader, with the pty as its
// terminal on fd 0.
func jobHelper() int {
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		fmt.Println(err)
		return 1
	}
	check := func(name string, st procStat, ok bool) {
		if ok {
			fmt.Println(name + ": ok")
		} else {
			fmt.Printf("%s: FAILED: %+v\n", name, st)
		}
	}
	var fail failer
	me := parseStat(&fail, self)
	check("leader", me, me.session == me.pid && me.tpgid == me.pid && me.ttyNr != 0)
	stat := func(setup func(*spx.Cmd)) procStat {
		cmd := spx.Command("/bin/cat", "/proc/self/stat")
		cmd.Stdin = os.Stdin
		setup(cmd)
		out, err := cmd.Output()
		if err != nil {
			fmt.Println(err)
			return procStat{}
		}
		return parseStat(&fail, out)
	}
	st := stat(func(c *spx.Cmd) { c.Setpgid, c.Foreground = true, true })
	check("Foreground", st, st.pid != 0 && st.pgrp == st.pid && st.tpgid == st.pid && st.session == me.pid)
	st = stat(func(c *spx.Cmd) { c.Setpgid = true })
	check("Setpgid", st, st.pid != 0 && st.pgrp == st.pid && st.tpgid != st.pid)
	// As in syscall.SysProcAttr, Foreground implies Setpgid.
	st = stat(func(c *spx.Cmd) { c.Foreground = true })
	check("Foreground, no Setpgid", st, st.pid != 0 && st.pgrp == st.pid && st.tpgid == st.pid)
	return 0
}

// failer is a testing.TB for helpers: Fatalf prints and exits.
type failer struct{ testing.TB }

func (failer) Helper() {}
func (failer) Fatalf(format string, args ...interface{}) {
	fmt.Printf(format+"\n", args...)
	os.Exit(1)
}

// cgroup2Root returns the mount point of the cgroup v2 hierarchy and the
// path of its root inside the hierarchy, from /proc/self/mountinfo.
func cgroup2Root() (mnt, root string) {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		f := strings.Fields(pre)
		if ok && len(f) >= 5 && strings.HasPrefix(post, "cgroup2 ") {
			return f[4], f[3]
		}
	}
	return "", ""
}

// TestCgroup creates a cgroup v2 directory and starts a child in it.
func TestCgroup(t *testing.T) {
	needRoot(t)
	mnt, root := cgroup2Root()
	if mnt == "" {
		t.Skip("skipped: no cgroup v2 hierarchy in /proc/self/mountinfo")
	}
	name := fmt.Sprintf("spx-go-test-%d", os.Getpid())
	dir := filepath.Join(mnt, name)
	os.Remove(dir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("skipped: cannot create a cgroup under %s: %v", mnt, err)
	}
	defer func() {
		if err := os.Remove(dir); err != nil {
			t.Errorf("cgroup not empty after the children: %v", err)
		}
	}()
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	cmd := spx.Command("/bin/cat", "/proc/self/cgroup")
	cmd.UseCgroupFD, cmd.CgroupFD = true, int(f.Fd())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "0::" + filepath.Join(root, name)
	if !strings.Contains("\n"+string(out), "\n"+want+"\n") {
		t.Errorf("child's /proc/self/cgroup has no %q:\n%s", want, out)
	}

	// Without UseCgroupFD, CgroupFD means nothing.
	cmd = spx.Command("/bin/cat", "/proc/self/cgroup")
	cmd.CgroupFD = int(f.Fd())
	if out, err := cmd.Output(); err != nil || strings.Contains(string(out), name) {
		t.Errorf("CgroupFD without UseCgroupFD: %v\n%s", err, out)
	}

	// And with Pdeathsig, Setsid, Rlimits: all attributes at once.
	cmd = spx.Command("/bin/sh", "-c", "cat /proc/self/cgroup /proc/self/stat")
	cmd.UseCgroupFD, cmd.CgroupFD = true, int(f.Fd())
	cmd.Setsid, cmd.Pdeathsig = true, syscall.SIGKILL
	cmd.Rlimits = []spx.Rlimit{{spx.RLIMIT_NPROC, 64, 64}}
	if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), want+"\n") {
		t.Errorf("cgroup with other attributes: %v\n%s", err, out)
	}
}

func TestCgroupErrors(t *testing.T) {
	run := func(fd int) error {
		cmd := spx.Command("/bin/true")
		cmd.UseCgroupFD, cmd.CgroupFD = true, fd
		return cmd.Run()
	}
	spawnError(t, run(-1), spx.StagePrepare, syscall.EBADF)
	spawnError(t, run(999999), spx.StagePrepare, syscall.EBADF)
	file, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	spawnError(t, run(int(file.Fd())), spx.StagePrepare, syscall.ENOTDIR)
	// A directory that is not a cgroup v2: the placement's error, not a
	// failed clone.
	tmp, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	spawnError(t, run(int(tmp.Fd())), spx.StageCgroup, syscall.EBADF)
}

// prctlCommand runs this test binary as a helper printing its securebits
// and parent-death signal (prctlHelper), from exe (os.Executable if "").
func prctlCommand(t testing.TB, exe string) *spx.Cmd {
	t.Helper()
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			t.Fatal(err)
		}
	}
	cmd := spx.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=prctl")
	return cmd
}

func prctlOutput(t *testing.T, cmd *spx.Cmd) map[string]string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, out)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		m[k] = v
	}
	return m
}

func prctlHelper() int {
	bits, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_GET_SECUREBITS, 0, 0)
	if e != 0 {
		fmt.Println("PR_GET_SECUREBITS:", e)
		return 1
	}
	var sig int32
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_GET_PDEATHSIG, uintptr(unsafe.Pointer(&sig)), 0); e != 0 {
		fmt.Println("PR_GET_PDEATHSIG:", e)
		return 1
	}
	fmt.Printf("securebits: %s\npdeathsig: %d\nuid: %d\n", spx.Securebits(bits), sig, os.Getuid())
	return 0
}

// worldExecutable returns a copy of this test binary that any user can run,
// for children that change uid.
var worldExe struct {
	once sync.Once
	path string
	err  error
}

// removeWorldExecutable removes worldExecutable's copy, if any (TestMain).
func removeWorldExecutable() {
	if worldExe.path != "" {
		os.RemoveAll(filepath.Dir(worldExe.path))
	}
}

func worldExecutable(t *testing.T) string {
	t.Helper()
	worldExe.once.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			worldExe.err = err
			return
		}
		dir, err := os.MkdirTemp("", "spx-go-test-")
		if err != nil {
			worldExe.err = err
			return
		}
		dst := filepath.Join(dir, "spx.test")
		src, err := os.Open(exe)
		if err != nil {
			worldExe.err = err
			return
		}
		defer src.Close()
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
		if err == nil {
			_, err = io.Copy(out, src)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err == nil {
			err = os.Chmod(dir, 0o755)
		}
		worldExe.path, worldExe.err = dst, err
	})
	if worldExe.err != nil {
		t.Fatal(worldExe.err)
	}
	return worldExe.path
}

func TestPdeathsigValue(t *testing.T) {
	m := prctlOutput(t, prctlCommand(t, ""))
	if m["pdeathsig"] != "0" {
		t.Errorf("default pdeathsig %q", m["pdeathsig"])
	}
	cmd := prctlCommand(t, "")
	cmd.Pdeathsig = syscall.SIGTERM
	if m := prctlOutput(t, cmd); m["pdeathsig"] != "15" {
		t.Errorf("Pdeathsig SIGTERM: pdeathsig %q", m["pdeathsig"])
	}
	if os.Geteuid() == 0 { // it survives the identity change
		cmd := prctlCommand(t, worldExecutable(t))
		cmd.Pdeathsig = syscall.SIGUSR1
		cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534}
		if m := prctlOutput(t, cmd); m["pdeathsig"] != "10" || m["uid"] != "65534" {
			t.Errorf("Pdeathsig SIGUSR1 as nobody: %v", m)
		}
	}
	for _, sig := range []syscall.Signal{-1, 65, 1 << 40} {
		cmd := spx.Command("/bin/true")
		cmd.Pdeathsig = sig
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
	}
}

// aliveAfter reports whether done (closed when Wait returned) is still open
// after d.
func aliveAfter(done <-chan struct{}, d time.Duration) bool {
	select {
	case <-done:
		return false
	case <-time.After(d):
		return true
	}
}

// runOnExitingThread runs f on a goroutine locked to an OS thread, other
// than the main one, that ends still locked, so that Go terminates the
// thread (the main thread would only be parked); it returns once the thread
// is gone.
func runOnExitingThread(f func() error) error {
	type result struct {
		tid int
		err error
	}
	onMain := make(chan struct{}) // holds a goroutine found on the main thread
	defer close(onMain)
	for {
		res := make(chan result)
		go func() {
			runtime.LockOSThread() // never unlocked when on another thread
			if syscall.Gettid() == syscall.Getpid() {
				res <- result{}
				<-onMain
				runtime.UnlockOSThread()
				return
			}
			res <- result{syscall.Gettid(), f()}
		}()
		r := <-res
		if r.tid == 0 {
			continue // the main thread is now busy: try again
		}
		if r.err != nil {
			return r.err
		}
		task := "/proc/self/task/" + strconv.Itoa(r.tid)
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(task); errors.Is(err, os.ErrNotExist) {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("thread %d still there after its locked goroutine ended", r.tid)
			}
		}
	}
}

// TestPdeathsigThreadExit: the goroutine that starts a child with a
// Pdeathsig ends while locked to its OS thread, so Go terminates that
// thread. The kernel signals the children of an exiting thread: os/exec's
// child gets the signal then, spx's (spawned from the binding's own thread)
// lives on until this process exits.
func TestPdeathsigThreadExit(t *testing.T) {
	cmd := spx.Command("/bin/sleep", "60")
	cmd.Pdeathsig = syscall.SIGKILL
	if err := runOnExitingThread(cmd.Start); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var werr error
	go func() { werr = cmd.Wait(); close(done) }()
	if !aliveAfter(done, 500*time.Millisecond) {
		t.Fatalf("spx child died with its caller's thread: %v", werr)
	}
	cmd.Process.Kill()
	<-done

	// The same with os/exec: the kernel kills the child with the thread.
	ocmd := exec.Command("/bin/sleep", "60")
	ocmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := runOnExitingThread(ocmd.Start); err != nil {
		t.Fatal(err)
	}
	odone := make(chan struct{})
	var oerr error
	go func() { oerr = ocmd.Wait(); close(odone) }()
	if aliveAfter(odone, 10*time.Second) {
		ocmd.Process.Kill()
		<-odone
		t.Fatal("os/exec's child outlived the thread that started it")
	}
	var ee *exec.ExitError
	if !errors.As(oerr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("os/exec's child: %v, want killed by its Pdeathsig", oerr)
	}
}

// TestPdeathsigParentExit: the child gets its signal when the process that
// started it exits. This test binary runs as a subreaper (reaperHelper)
// that starts it again as the parent (pdeathParentHelper); the parent
// starts sleep with Pdeathsig SIGTERM from a goroutine that then ends
// locked to its thread, checks that sleep lives on, prints its pid and
// exits; sleep, now the reaper's child, must die of SIGTERM.
func TestPdeathsigParentExit(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=reaper")
	out, err := cmd.CombinedOutput()
	want := "parent: sleep alive after its caller's thread exited\nparent: exiting\nreaper: sleep killed by terminated\n"
	if err != nil || !strings.HasSuffix(string(out), want) {
		t.Errorf("the reaper said (%v):\n%s\nwant it to end with:\n%s", err, out, want)
	}
}

const prSetChildSubreaper = 36

func reaperHelper() int {
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		fmt.Println("PR_SET_CHILD_SUBREAPER:", e)
		return 1
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Println(err)
		return 1
	}
	parent := exec.Command(exe)
	parent.Env = append(os.Environ(), helperEnv+"=pdeath-parent")
	parent.Stderr = os.Stdout
	out, err := parent.Output()
	fmt.Print(string(out))
	if err != nil {
		fmt.Println("parent:", err)
		return 1
	}
	// The parent has been reaped: its orphan is ours now.
	var pid int
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "parent: pid ") {
			pid, _ = strconv.Atoi(strings.TrimPrefix(line, "parent: pid "))
		}
	}
	if pid <= 0 {
		fmt.Println("reaper: no pid")
		return 1
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err != nil {
			fmt.Println("reaper: wait4:", err)
			return 1
		}
		if got == pid {
			if ws.Signaled() {
				fmt.Println("reaper: sleep killed by", ws.Signal())
			} else {
				fmt.Println("reaper: sleep exited", ws.ExitStatus())
			}
			return 0
		}
		if time.Now().After(deadline) {
			fmt.Println("reaper: sleep still running 10 s after its parent exited")
			syscall.Kill(pid, syscall.SIGKILL)
			syscall.Wait4(pid, &ws, 0, nil)
			return 1
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func pdeathParentHelper() int {
	cmd := spx.Command("/bin/sleep", "60")
	cmd.Pdeathsig = syscall.SIGTERM
	if err := runOnExitingThread(cmd.Start); err != nil {
		fmt.Println("parent:", err)
		return 1
	}
	time.Sleep(200 * time.Millisecond)
	b, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/stat")
	if err != nil || bytes.Contains(b, []byte(") Z ")) {
		fmt.Printf("parent: sleep gone after its caller's thread exited: %v %s\n", err, b)
		return 1
	}
	fmt.Println("parent: pid", cmd.Process.Pid)
	fmt.Println("parent: sleep alive after its caller's thread exited")
	fmt.Println("parent: exiting")
	os.Exit(0) // without Wait: the child must die of its Pdeathsig
	return 0
}

// TestPdeathsigConcurrent starts many children with a Pdeathsig at once:
// they take turns on the binding's thread.
func TestPdeathsigConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				cmd := spx.Command("/bin/sh", "-c", "exit "+strconv.Itoa((g+i)%7))
				cmd.Pdeathsig = syscall.SIGKILL
				err := cmd.Run()
				if code := cmd.ProcessState.ExitCode(); code != (g+i)%7 {
					errs <- fmt.Errorf("goroutine %d spawn %d: exit %d, %v", g, i, code, err)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	umask := func(set bool, mask int) string {
		cmd := statusCommand()
		cmd.UseUmask, cmd.Umask = set, mask
		return childStatus(t, cmd)["Umask"]
	}
	if got := umask(false, 0); got != "0022" {
		t.Errorf("inherited umask %q, want 0022", got)
	}
	if got := umask(false, 0o077); got != "0022" {
		t.Errorf("Umask without UseUmask: %q, want the caller's 0022", got)
	}
	if got := umask(true, 0o027); got != "0027" {
		t.Errorf("Umask 027: %q", got)
	}
	if got := umask(true, 0); got != "0000" {
		t.Errorf("Umask 0: %q", got)
	}
	// It applies to the files the program creates.
	dir := t.TempDir()
	cmd := spx.Command("/bin/sh", "-c", "echo > "+dir+"/f")
	cmd.UseUmask, cmd.Umask = true, 0o077
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir + "/f"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file created under umask 077: %v %v", fi.Mode(), err)
	}
	for _, bad := range []int{-1, 0o1000, 1 << 40} {
		cmd := spx.Command("/bin/true")
		cmd.UseUmask, cmd.Umask = true, bad
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
	}
}

func TestSecurebitsString(t *testing.T) {
	for b, want := range map[spx.Securebits]string{
		0: "0",
		spx.SecbitNoRoot | spx.SecbitNoRootLocked:             "noroot|noroot_locked",
		spx.SecbitExecDenyInteractiveLocked:                   "exec_deny_interactive_locked",
		spx.SecbitKeepCapsLocked | 1<<4 | 1<<12:               "keep_caps_locked|0x1010",
		spx.SecbitNoCapAmbientRaise | spx.SecbitNoSetuidFixup: "no_setuid_fixup|no_cap_ambient_raise",
	} {
		if got := b.String(); got != want {
			t.Errorf("Securebits(%#x).String() = %q, want %q", uint32(b), got, want)
		}
	}
}

func TestSecurebits(t *testing.T) {
	needRoot(t) // the child needs CAP_SETPCAP
	m := prctlOutput(t, prctlCommand(t, ""))
	if m["securebits"] != "0" {
		t.Errorf("default securebits %q", m["securebits"])
	}
	cmd := prctlCommand(t, "")
	cmd.Securebits = spx.SecbitNoSetuidFixup | spx.SecbitKeepCapsLocked
	if m := prctlOutput(t, cmd); m["securebits"] != "no_setuid_fixup|keep_caps_locked" {
		t.Errorf("securebits %q", m["securebits"])
	}

	// A child that stays root, with NOROOT: exactly its ambient set.
	cmd = statusCommand()
	cmd.AmbientCaps = []spx.Cap{spx.CAP_NET_BIND_SERVICE}
	cmd.Securebits = spx.SecbitNoRoot | spx.SecbitNoRootLocked
	st := childStatus(t, cmd)
	want := capMask(spx.CAP_NET_BIND_SERVICE)
	wantField(t, st, "Uid", "0 0 0 0")
	wantField(t, st, "CapAmb", want)
	wantField(t, st, "CapPrm", want)
	wantField(t, st, "CapEff", want)

	// A new uid, ambient capabilities, and every capability-related lock.
	all := spx.SecbitNoRoot | spx.SecbitNoRootLocked | spx.SecbitNoSetuidFixup | spx.SecbitNoSetuidFixupLocked |
		spx.SecbitKeepCapsLocked | spx.SecbitNoCapAmbientRaise | spx.SecbitNoCapAmbientRaiseLocked
	cmd = statusCommand()
	cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534}
	cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
	cmd.Securebits = all
	st = childStatus(t, cmd)
	want = capMask(spx.CAP_SYS_TIME)
	wantField(t, st, "Uid", "65534 65534 65534 65534")
	wantField(t, st, "CapAmb", want)
	wantField(t, st, "CapPrm", want)
	wantField(t, st, "CapEff", want)
	cmd = prctlCommand(t, worldExecutable(t))
	cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534}
	cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
	cmd.Securebits = all
	if m := prctlOutput(t, cmd); m["securebits"] != all.String() || m["uid"] != "65534" {
		t.Errorf("as nobody: %v, want securebits %s", m, all)
	}

	// The exec restrictions of Linux 6.14, where the kernel has them.
	cmd = prctlCommand(t, "")
	cmd.Securebits = spx.SecbitExecRestrictFile | spx.SecbitExecDenyInteractive
	out, err := cmd.CombinedOutput()
	var se *spx.Error
	if errors.As(err, &se) && se.Stage == spx.StageSecurebits && se.Errno == syscall.ENOTSUP {
		t.Logf("no exec securebits in this kernel: %v", err)
	} else if err != nil || !strings.Contains(string(out), "securebits: exec_restrict_file|exec_deny_interactive\n") {
		t.Errorf("exec securebits: %v\n%s", err, out)
	}

	for _, bad := range []spx.Securebits{1 << 4, 1 << 12, 1 << 31} {
		cmd := spx.Command("/bin/true")
		cmd.Securebits = bad
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
	}
}
