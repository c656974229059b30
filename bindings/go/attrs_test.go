//go:build linux

package spx_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"spx.dev/spx"
)

// The tests below read the child's own /proc/self/status to see the
// attributes it really ended with.

func TestCredential(t *testing.T) {
	needRoot(t)
	cmd := statusCommand()
	cmd.Credential = &spx.Credential{Uid: 1234, Gid: 5678, Groups: []uint32{4, 27, 100}}
	st := childStatus(t, cmd)
	wantField(t, st, "Uid", "1234 1234 1234 1234")
	wantField(t, st, "Gid", "5678 5678 5678 5678")
	wantField(t, st, "Groups", "4 27 100")
	wantField(t, st, "CapEff", capMask()) // a uid change drops every capability
	wantField(t, st, "CapPrm", capMask())
	wantField(t, st, "CapAmb", capMask())

	cmd = statusCommand()
	cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534} // nil Groups: none
	st = childStatus(t, cmd)
	wantField(t, st, "Groups", "")
	// NoSetGroups: see TestNoSetGroups.
}

// TestNoSetGroups: NoSetGroups keeps the caller's supplementary groups
// across a change of uid and gid, which libspx would otherwise clear. The
// caller is this test binary run again with groups 7 8 9 (groupsHelper), so
// that the groups are not empty and the test process keeps its own.
func TestNoSetGroups(t *testing.T) {
	needRoot(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := spx.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=groups")
	cmd.Credential = &spx.Credential{Uid: 0, Gid: 0, Groups: []uint32{7, 8, 9}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the caller with groups 7 8 9: %v\n%s", err, out)
	}
	want := "caller: [7 8 9]\nNoSetGroups: [7 8 9]\nGroups nil: []\nGroups [5]: [5]\n"
	if string(out) != want {
		t.Errorf("the caller with groups 7 8 9 said:\n%s\nwant:\n%s", out, want)
	}
}

// groupsHelper is TestNoSetGroups's caller: it prints its own groups
// (os.Getgroups), then the Groups line of children run as nobody with
// NoSetGroups, with nil Groups and with Groups [5].
func groupsHelper() int {
	mine, err := os.Getgroups()
	if err != nil {
		fmt.Println("getgroups:", err)
		return 1
	}
	fmt.Printf("caller: %v\n", mine)
	cases := []struct {
		name string
		cred spx.Credential
	}{
		{"NoSetGroups", spx.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{1, 2}, NoSetGroups: true}},
		{"Groups nil", spx.Credential{Uid: 65534, Gid: 65534}},
		{"Groups [5]", spx.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{5}}},
	}
	for _, c := range cases {
		cmd := statusCommand()
		cred := c.cred
		cmd.Credential = &cred
		out, err := cmd.Output()
		if err != nil {
			fmt.Printf("%s: %v\n", c.name, err)
			return 1
		}
		groups := "?"
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "Groups:") {
				groups = fmt.Sprint(strings.Fields(strings.TrimPrefix(line, "Groups:")))
			}
		}
		fmt.Printf("%s: %s\n", c.name, groups)
	}
	return 0
}

// TestAmbientCaps is the NTP case of golang/go#19713: a child running as
// nobody with CAP_SYS_TIME (and here CAP_NET_BIND_SERVICE) kept across the
// uid change, and nothing else.
func TestAmbientCaps(t *testing.T) {
	needRoot(t)
	cmd := statusCommand()
	cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534}
	cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME, spx.CAP_NET_BIND_SERVICE}
	st := childStatus(t, cmd)
	want := capMask(spx.CAP_SYS_TIME, spx.CAP_NET_BIND_SERVICE)
	wantField(t, st, "Uid", "65534 65534 65534 65534")
	wantField(t, st, "Gid", "65534 65534 65534 65534")
	wantField(t, st, "Groups", "")
	wantField(t, st, "CapAmb", want)
	wantField(t, st, "CapPrm", want)
	wantField(t, st, "CapEff", want)
	wantField(t, st, "CapInh", want)

	// The capability really works: set the clock to what it is (a no-op)
	// with date(1), which needs CAP_SYS_TIME; without it, EPERM.
	for _, keep := range []bool{true, false} {
		cmd := spx.Command("/bin/sh", "-c", `date -s "@$(date +%s)" >/dev/null`)
		cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534}
		if keep {
			cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
		}
		out, err := cmd.CombinedOutput()
		if keep && err != nil {
			t.Errorf("date -s with CAP_SYS_TIME: %v %s", err, out)
		}
		if !keep && err == nil {
			t.Errorf("date -s without CAP_SYS_TIME succeeded")
		}
	}

	// An empty, non-nil list clears the ambient set.
	cmd = statusCommand()
	cmd.AmbientCaps = []spx.Cap{}
	st = childStatus(t, cmd)
	wantField(t, st, "CapAmb", capMask())
}

func TestInheritableAndBounding(t *testing.T) {
	needRoot(t)
	cmd := statusCommand()
	cmd.InheritableCaps = []spx.Cap{spx.CAP_CHOWN, spx.CAP_KILL}
	st := childStatus(t, cmd)
	wantField(t, st, "CapInh", capMask(spx.CAP_CHOWN, spx.CAP_KILL))

	cmd = statusCommand()
	cmd.InheritableCaps = []spx.Cap{spx.CAP_CHOWN}
	cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
	st = childStatus(t, cmd)
	wantField(t, st, "CapInh", capMask(spx.CAP_CHOWN, spx.CAP_SYS_TIME))
	wantField(t, st, "CapAmb", capMask(spx.CAP_SYS_TIME))

	cmd = statusCommand()
	cmd.BoundingCaps = []spx.Cap{spx.CAP_CHOWN, spx.CAP_SYS_TIME}
	st = childStatus(t, cmd)
	wantField(t, st, "CapBnd", capMask(spx.CAP_CHOWN, spx.CAP_SYS_TIME))
	wantField(t, st, "CapEff", capMask(spx.CAP_CHOWN, spx.CAP_SYS_TIME)) // root's exec: bounded

	cmd = statusCommand()
	cmd.BoundingCaps = []spx.Cap{}
	st = childStatus(t, cmd)
	wantField(t, st, "CapBnd", capMask())
	wantField(t, st, "CapEff", capMask())
}

func TestNoNewPrivs(t *testing.T) {
	cmd := statusCommand()
	st := childStatus(t, cmd)
	wantField(t, st, "NoNewPrivs", "0")

	cmd = statusCommand()
	cmd.NoNewPrivs = true
	st = childStatus(t, cmd)
	wantField(t, st, "NoNewPrivs", "1")
}

// TestChroot runs /bin/sh inside a directory holding only it, its libraries
// and a marker file.
func TestChroot(t *testing.T) {
	needRoot(t)
	root := t.TempDir()
	sh, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{sh}
	out, err := exec.Command("ldd", sh).Output()
	if err != nil {
		t.Skip("ldd: ", err)
	}
	for _, f := range strings.Fields(string(out)) {
		if strings.HasPrefix(f, "/") {
			files = append(files, f)
		}
	}
	for _, f := range files {
		copyFile(t, f, filepath.Join(root, f))
	}
	copyFile(t, sh, filepath.Join(root, "bin/sh"))
	if err := os.MkdirAll(filepath.Join(root, "inside/sub"), 0o755); err != nil {
		t.Fatal(err)
	}

	cmd := spx.Command("/bin/sh", "-c", `cd ..; echo *; pwd`)
	cmd.Chroot = root
	cmd.Dir = "/inside/sub"
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "sub\n/inside\n" {
		t.Errorf("chrooted child printed %q", got)
	}

	// A bare name is looked up (in the parent's PATH) inside the chroot.
	cmd = spx.Command("sh", "-c", "echo found")
	cmd.Chroot = root
	if got, err := cmd.Output(); err != nil || string(got) != "found\n" {
		t.Errorf("PATH search in chroot: %q, %v", got, err)
	}

	cmd = spx.Command("/bin/true") // not in the chroot
	cmd.Chroot = root
	spawnError(t, cmd.Run(), spx.StageExec, syscall.ENOENT)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// landlockSandbox is the git case of golang/go#68595: read and execute the
// system, write only in one directory.
func landlockSandbox(t *testing.T, dir string) *spx.Landlock {
	rs := spx.NewLandlock(7, true).
		AllowPath("/", spx.LandlockFSROX).
		AllowPath("/dev/null", spx.LandlockFSRW).
		AllowPath(dir, spx.LandlockFSRW)
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	return rs
}

func TestLandlock(t *testing.T) {
	needLandlock(t)
	allowed, other := t.TempDir(), t.TempDir()
	rs := landlockSandbox(t, allowed)
	if st := rs.Status(); st == spx.LandlockNotEnforced {
		t.Fatalf("Status() = %v", st)
	}
	script := `echo inside > "$1/a" && cat "$1/a" && mkdir "$1/d" && rm "$1/a"; echo outside > "$2/b"`

	run := func(t *testing.T, cmd *spx.Cmd) {
		cmd.Env = []string{"LC_ALL=C", "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		if ee := exitError(t, err); ee.ExitCode() == 0 {
			t.Fatalf("write outside succeeded: %s", out)
		}
		if !bytes.HasPrefix(out, []byte("inside\n")) || !bytes.Contains(out, []byte("Permission denied")) {
			t.Errorf("child printed %q", out)
		}
		if _, err := os.Stat(filepath.Join(allowed, "d")); err != nil {
			t.Errorf("mkdir in the allowed directory: %v", err)
		}
		if _, err := os.Stat(filepath.Join(other, "b")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("file written outside: %v", err)
		}
		os.Remove(filepath.Join(allowed, "d"))
	}
	t.Run("ruleset", func(t *testing.T) {
		cmd := spx.Command("/bin/sh", "-c", script, "sh", allowed, other)
		cmd.Landlock = rs
		run(t, cmd)
	})
	t.Run("descriptor", func(t *testing.T) {
		f, err := rs.Ruleset()
		if err != nil || f == nil {
			t.Fatalf("Ruleset() = %v, %v", f, err)
		}
		defer f.Close()
		cmd := spx.Command("/bin/sh", "-c", script, "sh", allowed, other)
		cmd.LandlockFD = f
		run(t, cmd)
	})
	// The calling process is not restricted.
	if err := os.WriteFile(filepath.Join(other, "parent"), nil, 0o600); err != nil {
		t.Errorf("parent restricted: %v", err)
	}
}

func TestLandlockErrors(t *testing.T) {
	rs := spx.NewLandlock(7, true).AllowPath("/nonexistent/spx", spx.LandlockFSRO).AllowPath("/", spx.LandlockFSRO)
	defer rs.Close()
	if err := rs.Err(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("AllowPath(missing): Err() = %v", err)
	}
	cmd := spx.Command("true")
	cmd.Landlock = rs
	err := cmd.Run()
	spawnError(t, err, spx.StagePrepare, syscall.ENOENT)

	if err := spx.NewLandlock(99, false).Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("NewLandlock(99): %v", err)
	}
	if err := spx.NewLandlock(7, true).AllowPath("/", 0).Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("AllowPath(no rights): %v", err)
	}

	closed := spx.NewLandlock(7, true)
	closed.Close()
	closed.Close()
	if err := closed.AllowPath("/", spx.LandlockFSRO).Err(); err == nil {
		t.Error("AllowPath after Close succeeded")
	}
	cmd = spx.Command("true")
	cmd.Landlock = spx.NewLandlock(7, true)
	cmd.LandlockFD = os.Stdin
	spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
}

func TestLandlockNetAndScope(t *testing.T) {
	if spx.LandlockABI() < 6 {
		t.Skip("needs Landlock ABI 6")
	}
	rs := spx.NewLandlock(6, false).
		AllowPath("/", spx.LandlockFSROX).
		AllowPort(8080, spx.LandlockNetBindTCP|spx.LandlockNetConnectTCP).
		SetScope(spx.LandlockScopeSignal | spx.LandlockScopeAbstractUnixSocket)
	defer rs.Close()
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if st := rs.Status(); st != spx.LandlockFullyEnforced {
		t.Errorf("Status() = %v", st)
	}
	// A scoped child cannot signal outside its domain: here, its parent.
	cmd := spx.Command("/bin/sh", "-c", `kill -0 $PPID 2>/dev/null && echo sent || echo denied`)
	cmd.Landlock = rs
	if out, err := cmd.Output(); err != nil || string(out) != "denied\n" {
		t.Errorf("signal out of the domain: %q, %v", out, err)
	}
}

// TestLandlockNetworkOnly: a ruleset handling only TCP connect leaves the
// filesystem alone.
func TestLandlockNetworkOnly(t *testing.T) {
	if spx.LandlockABI() < 4 {
		t.Skip("needs Landlock ABI 4")
	}
	rs := spx.NewLandlock(4, false).SetHandled(0, spx.LandlockNetConnectTCP)
	defer rs.Close()
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := spx.Command("/bin/sh", "-c", "echo ok > "+dir+"/f && cat "+dir+"/f")
	cmd.Landlock = rs
	if out, err := cmd.Output(); err != nil || string(out) != "ok\n" {
		t.Errorf("filesystem under a network-only ruleset: %q, %v", out, err)
	}
}

// TestExecFile runs a sealed memfd holding a copy of echo, the case of
// golang/go#72102.
func TestExecFile(t *testing.T) {
	mfd := memfdCopy(t, "/bin/echo", nil)
	cmd := &spx.Cmd{Args: []string{"echo", "from", "a", "memfd"}, ExecFile: mfd}
	out, err := cmd.Output()
	if err != nil || string(out) != "from a memfd\n" {
		t.Fatalf("memfd: %q, %v", out, err)
	}

	// The descriptor does not reach the program.
	cmd = &spx.Cmd{Args: []string{"sleep", "60"}, ExecFile: memfdCopy(t, "/bin/sleep", nil)}
	if fds := childFDs(t, cmd); len(fds) != 3 {
		t.Errorf("child's descriptors: %v", fds)
	}

	// An O_PATH descriptor works too, and Command's lookup does not matter.
	f, err := os.OpenFile("/bin/echo", 0x200000 /* O_PATH */ |syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd = spx.Command("not-a-program-in-path", "o_path")
	cmd.ExecFile = f
	if out, err := cmd.Output(); err != nil || string(out) != "o_path\n" {
		t.Errorf("O_PATH: %q, %v", out, err)
	}

	// A #! script's interpreter gets to read it.
	script := memfdCopy(t, "", []byte("#!/bin/sh\necho script \"$@\"\n"))
	cmd = &spx.Cmd{Args: []string{"script", "arg"}, ExecFile: script}
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "script arg\n" {
		t.Errorf("script in a memfd: %q, %v", out, err)
	}
}

// TestSeccomp denies mkdir in the child: /bin/mkdir fails with EPERM.
func TestSeccomp(t *testing.T) {
	dir := t.TempDir()
	deny := spx.NewSeccomp(spx.ActAllow).
		Add("mkdir", spx.ActErrno(syscall.EPERM)).
		Add("mkdirat", spx.ActErrno(syscall.EPERM))
	defer deny.Close()
	if err := deny.Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := deny.Len(); err != nil || n == 0 {
		t.Errorf("Len() = %d, %v", n, err)
	}

	cmd := spx.Command("/bin/mkdir", filepath.Join(dir, "x"))
	cmd.Seccomp = deny
	cmd.Env = []string{"LC_ALL=C"}
	out, err := cmd.CombinedOutput()
	if ee := exitError(t, err); ee.ExitCode() != 1 || !strings.Contains(string(out), "Operation not permitted") {
		t.Errorf("mkdir under the filter: %v %q", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory created: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "parent"), 0o700); err != nil {
		t.Errorf("parent filtered: %v", err)
	}

	st := childStatus(t, func() *spx.Cmd { c := statusCommand(); c.Seccomp = deny; return c }())
	wantField(t, st, "Seccomp", "2")

	// By number, with another errno.
	byNr := spx.NewSeccomp(spx.ActAllow).AddNr(syscall.SYS_MKDIRAT, spx.ActErrno(syscall.EROFS)).AddNr(syscall.SYS_MKDIR, spx.ActErrno(syscall.EROFS))
	defer byNr.Close()
	cmd = spx.Command("/bin/mkdir", filepath.Join(dir, "y"))
	cmd.Seccomp = byNr
	cmd.Env = []string{"LC_ALL=C"}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "Read-only file system") {
		t.Errorf("mkdir denied by number: %v %q", err, out)
	}

	// A killing rule.
	kill := spx.NewSeccomp(spx.ActAllow).Add("uname", spx.ActKillProcess)
	defer kill.Close()
	cmd = spx.Command("uname")
	cmd.Seccomp = kill
	if ee := exitError(t, cmd.Run()); ee.Signal() != syscall.SIGSYS {
		t.Errorf("uname under a kill rule: %v", ee)
	}
}

func TestSeccompProgram(t *testing.T) {
	const retAllow = 0x7fff0000
	cmd := statusCommand()
	cmd.SeccompProgram = []syscall.SockFilter{{Code: syscall.BPF_RET | syscall.BPF_K, K: retAllow}}
	st := childStatus(t, cmd)
	wantField(t, st, "Seccomp", "2")
	if os.Geteuid() != 0 {
		wantField(t, st, "NoNewPrivs", "1")
	}

	cmd = spx.Command("true")
	cmd.Seccomp = spx.NewSeccomp(spx.ActAllow)
	cmd.SeccompProgram = []syscall.SockFilter{}
	spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
}

func TestSeccompErrors(t *testing.T) {
	f := spx.NewSeccomp(spx.ActAllow).Add("no_such_syscall_spx", spx.ActErrno(syscall.EPERM)).Add("mkdir", spx.ActLog)
	defer f.Close()
	if err := f.Err(); !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "no_such_syscall_spx") {
		t.Errorf("Err() = %v", err)
	}
	cmd := spx.Command("true")
	cmd.Seccomp = f
	spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)

	if err := spx.NewSeccomp(0x12345678).Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("NewSeccomp(bad action): %v", err)
	}
	if err := spx.NewSeccomp(spx.ActAllow).AddNr(-1, spx.ActLog).Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("AddNr(-1): %v", err)
	}
	closed := spx.NewSeccomp(spx.ActAllow)
	closed.Close()
	if err := closed.Add("mkdir", spx.ActLog).Err(); err == nil {
		t.Error("Add after Close succeeded")
	}
	if n := closed.Ignored(); n != 0 {
		t.Errorf("Ignored() = %d", n)
	}
}

// TestEverythingTogether combines every attribute in one child.
func TestEverythingTogether(t *testing.T) {
	needRoot(t)
	needLandlock(t)
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	deny := spx.NewSeccomp(spx.ActAllow).Add("mkdir", spx.ActErrno(syscall.EPERM)).Add("mkdirat", spx.ActErrno(syscall.EPERM))
	defer deny.Close()
	cmd := &spx.Cmd{
		Args:         []string{"sh", "-c", `cat /proc/self/status /proc/self/limits; echo "session: $(cut -d' ' -f6 /proc/self/stat) $$"; echo x > ./f && echo wrote; mkdir d || echo nomkdir`},
		ExecFile:     memfdCopy(t, "/bin/sh", nil),
		Dir:          dir,
		Env:          []string{"LC_ALL=C", "PATH=/usr/bin:/bin"},
		Credential:   &spx.Credential{Uid: 65534, Gid: 65534},
		AmbientCaps:  []spx.Cap{spx.CAP_SYS_TIME},
		BoundingCaps: []spx.Cap{spx.CAP_SYS_TIME, spx.CAP_NET_BIND_SERVICE},
		NoNewPrivs:   true,
		Landlock:     landlockSandbox(t, dir),
		Seccomp:      deny,
		Rlimits:      []spx.Rlimit{{Resource: spx.RLIMIT_NOFILE, Cur: 64, Max: 128}},
		Setsid:       true,
		Pdeathsig:    syscall.SIGKILL,
		UseUmask:     true,
		Umask:        0o027,
		Securebits:   spx.SecbitNoCapAmbientRaise | spx.SecbitNoCapAmbientRaiseLocked,
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	st := parseStatus(t, out)
	wantField(t, st, "Uid", "65534 65534 65534 65534")
	wantField(t, st, "CapAmb", capMask(spx.CAP_SYS_TIME))
	wantField(t, st, "CapEff", capMask(spx.CAP_SYS_TIME))
	wantField(t, st, "CapBnd", capMask(spx.CAP_SYS_TIME, spx.CAP_NET_BIND_SERVICE))
	wantField(t, st, "NoNewPrivs", "1")
	wantField(t, st, "Seccomp", "2")
	wantField(t, st, "Umask", "0027")
	if soft, hard := limitsOf(t, out, "Max open files"); soft != "64" || hard != "128" {
		t.Errorf("NOFILE %s %s", soft, hard)
	}
	if f := strings.Fields(st["session"]); len(f) != 2 || f[0] != f[1] {
		t.Errorf("session: %q, want the shell's pid", st["session"])
	}
	if !bytes.HasSuffix(out, []byte("wrote\nnomkdir\n")) {
		t.Errorf("child's output ends with %q", out[len(out)-40:])
	}
}
