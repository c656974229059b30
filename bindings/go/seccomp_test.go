//go:build linux

package spx_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"spx.dev/spx"
)

// socketHelper creates sockets of three kinds and prints, for each, "ok" or
// the errno number: what a filter with argument conditions let through;
// "inet-hi" is AF_INET with the upper half of the family's register set,
// which the kernel ignores.
func socketHelper() int {
	fd, _, e := syscall.RawSyscall(syscall.SYS_SOCKET, 0xffffffff00000000|syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if e != 0 {
		fmt.Printf("inet-hi: %d\n", e)
	} else {
		syscall.Close(int(fd))
		fmt.Println("inet-hi: ok")
	}
	for _, c := range []struct {
		name         string
		domain, kind int
	}{
		{"inet", syscall.AF_INET, syscall.SOCK_STREAM},
		{"unix", syscall.AF_UNIX, syscall.SOCK_STREAM},
		{"unix-dgram", syscall.AF_UNIX, syscall.SOCK_DGRAM},
	} {
		fd, err := syscall.Socket(c.domain, c.kind|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			fmt.Printf("%s: %d\n", c.name, err.(syscall.Errno))
			continue
		}
		syscall.Close(fd)
		fmt.Printf("%s: ok\n", c.name)
	}
	return 0
}

// socketResults runs socketHelper under filter and returns its lines.
func socketResults(t *testing.T, filter *spx.Seccomp) map[string]string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := spx.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=socket")
	cmd.Seccomp = filter
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("socket helper: %v\n%s", err, out)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		m[k] = v
	}
	return m
}

// probe returns the path of libspx's probe program (tests/probe.c), which
// reports from inside what the child got; the test skips, saying why, when
// SPX_BUILD_DIR does not lead to one or the probe lacks the command.
func probe(t *testing.T, command string) string {
	t.Helper()
	dir := os.Getenv("SPX_BUILD_DIR")
	if dir == "" {
		t.Skip("SPX_BUILD_DIR is not set: no probe program (check.sh sets it)")
	}
	p := filepath.Join(dir, "tests", "spx-probe")
	src, err := os.ReadFile(filepath.Join(dir, "..", "tests", "probe.c"))
	if _, serr := os.Stat(p); serr != nil {
		t.Skipf("no probe program: %v", serr)
	}
	if err == nil && !bytes.Contains(src, []byte(" "+command+" ")) && !bytes.Contains(src, []byte(" "+command+"=")) {
		t.Skipf("the probe has no %q command", command)
	}
	return p
}

// TestSeccompCond: a rule with conditions applies to some calls of a system
// call and not to others, seen from inside the child.
func TestSeccompCond(t *testing.T) {
	f := spx.NewSeccomp(spx.ActAllow).
		AddCond("socket", spx.ActErrno(syscall.EACCES), spx.Cond{Arg: 0, Op: spx.CmpEQ, Value: syscall.AF_INET}).
		// Two conditions (both must hold), one of them on masked bits: the
		// type argument carries SOCK_CLOEXEC above the type.
		AddCond("socket", spx.ActErrno(syscall.EPROTOTYPE),
			spx.Cond{Arg: 0, Op: spx.CmpEQ, Value: syscall.AF_UNIX},
			spx.Cond{Arg: 1, Op: spx.CmpMaskedEQ, Value: 0xf, Value2: syscall.SOCK_DGRAM})
	defer f.Close()
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	got := socketResults(t, f)
	want := map[string]string{"inet": fmt.Sprint(int(syscall.EACCES)), "unix": "ok", "unix-dgram": fmt.Sprint(int(syscall.EPROTOTYPE))}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("socket %s under the filter: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}

	// A 32-bit argument compared as a whole register: a program setting the
	// upper half slips past CmpEQ (the kernel ignores that half), not past
	// Arg32EQ.
	if got["inet-hi"] != "ok" {
		t.Errorf("AF_INET with the upper half set under a CmpEQ rule: %q (the kernel no longer ignores the upper half?)", got["inet-hi"])
	}
	low := spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActErrno(syscall.EACCES), spx.Arg32EQ(0, syscall.AF_INET))
	defer low.Close()
	got = socketResults(t, low)
	if got["inet"] != fmt.Sprint(int(syscall.EACCES)) || got["inet-hi"] != got["inet"] || got["unix"] != "ok" {
		t.Errorf("sockets under an Arg32EQ rule: %v", got)
	}

	// Without conditions AddCond is Add: every socket fails.
	all := spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActErrno(syscall.EACCES))
	defer all.Close()
	got = socketResults(t, all)
	if got["unix"] != fmt.Sprint(int(syscall.EACCES)) || got["inet"] != got["unix"] {
		t.Errorf("socket under an unconditional AddCond: %v", got)
	}
}

// TestSeccompCondClone: CmpMaskedEQ on clone's flags denies new user
// namespaces while a plain clone works.
func TestSeccompCondClone(t *testing.T) {
	p := probe(t, "clone")
	f := spx.NewSeccomp(spx.ActAllow).AddCond("clone", spx.ActErrno(syscall.EPERM),
		spx.Cond{Arg: 0, Op: spx.CmpMaskedEQ, Value: syscall.CLONE_NEWUSER, Value2: syscall.CLONE_NEWUSER})
	defer f.Close()
	cmd := spx.Command(p, "clone=0", fmt.Sprintf("clone=%x", syscall.CLONE_NEWUSER))
	cmd.Seccomp = f
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, want := range []string{"clone 0: ok", fmt.Sprintf("clone %x: EPERM", syscall.CLONE_NEWUSER)} {
		if !strings.Contains(string(out), want) {
			t.Errorf("probe output %q lacks %q", out, want)
		}
	}
}

func TestSeccompCondErrors(t *testing.T) {
	eq := spx.Cond{Arg: 0, Op: spx.CmpEQ, Value: 1}
	seven := []spx.Cond{{Arg: 0, Op: spx.CmpEQ}, {Arg: 1, Op: spx.CmpEQ}, {Arg: 2, Op: spx.CmpEQ}, {Arg: 3, Op: spx.CmpEQ},
		{Arg: 4, Op: spx.CmpEQ}, {Arg: 5, Op: spx.CmpEQ}, {Arg: 5, Op: spx.CmpNE}}
	for _, c := range []struct {
		name  string
		build func() *spx.Seccomp
		errno syscall.Errno
	}{
		{"argument 6", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 6, Op: spx.CmpEQ})
		}, syscall.EINVAL},
		{"argument 2^32 (not narrowed to 0)", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 1 << 32, Op: spx.CmpEQ})
		}, syscall.EINVAL},
		{"operator 0", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 0})
		}, syscall.EINVAL},
		{"operator 8", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 0, Op: 8})
		}, syscall.EINVAL},
		{"operator 2^32+4 (not narrowed to EQ)", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 0, Op: 1<<32 + 4})
		}, syscall.EINVAL},
		{"seven conditions", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, seven...) }, syscall.EINVAL},
		{"an argument twice", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, eq, spx.Cond{Arg: 0, Op: spx.CmpNE, Value: 2})
		}, syscall.EINVAL},
		{"unknown system call", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).AddCond("no_such_call_spx", spx.ActLog, eq) }, syscall.EINVAL},
		{"NUL in the name", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).AddCond("sock\x00et", spx.ActLog, eq) }, syscall.EINVAL},
		{"bad action", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).AddCond("socket", 0x12345678, eq) }, syscall.EINVAL},
		{"conditional rule after an unconditional one", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).Add("socket", spx.ActErrno(syscall.EPERM)).AddCond("socket", spx.ActLog, eq)
		}, syscall.EEXIST},
		{"errno 4095 (MAX_ERRNO, refused by libseccomp)", func() *spx.Seccomp {
			return spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActErrno(4095), eq)
		}, syscall.EINVAL},
		{"unknown flag", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).SetFlags(2) }, syscall.EINVAL},
		{"flag above 32 bits", func() *spx.Seccomp { return spx.NewSeccomp(spx.ActAllow).SetFlags(1<<32 | spx.SeccompFlagLog) }, syscall.EINVAL},
	} {
		f := c.build()
		err := f.Err()
		if !errors.Is(err, c.errno) {
			t.Errorf("%s: Err() = %v, want %v", c.name, err, c.errno)
		}
		if err != nil && strings.Count(err.Error(), "spx:") != 1 {
			t.Errorf("%s: %q does not say spx: once", c.name, err)
		}
		// The error is kept: the filter cannot be used.
		cmd := spx.Command("true")
		cmd.Seccomp = f
		if err := cmd.Run(); !errors.Is(err, c.errno) {
			t.Errorf("%s: Run() = %v", c.name, err)
		}
		f.Close()
	}

	// A rule after a failed one is not added: the first error stays.
	f := spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, spx.Cond{Arg: 9, Op: spx.CmpEQ}).AddCond("socket", spx.ActLog, eq)
	if err := f.Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("first error lost: %v", err)
	}
	f.Close()
	if err := f.AddCond("socket", spx.ActLog, eq).Err(); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("AddCond after Close: %v", err)
	}
	closed := spx.NewSeccomp(spx.ActAllow)
	closed.Close()
	if err := closed.SetFlags(spx.SeccompFlagLog).Err(); err == nil {
		t.Error("SetFlags after Close succeeded")
	}
}

// TestSeccompFlagLog: the kernel accepts a filter with
// SECCOMP_FILTER_FLAG_LOG (the start would fail at StageSeccomp otherwise)
// and the child runs under it.
func TestSeccompFlagLog(t *testing.T) {
	f := spx.NewSeccomp(spx.ActAllow).Add("mkdir", spx.ActErrno(syscall.EPERM)).Add("mkdirat", spx.ActErrno(syscall.EPERM)).SetFlags(spx.SeccompFlagLog)
	defer f.Close()
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	cmd := statusCommand()
	cmd.Seccomp = f
	st := childStatus(t, cmd)
	wantField(t, st, "Seccomp", "2")
	if _, ok := st["Seccomp_filters"]; !ok {
		t.Skip("no Seccomp_filters in /proc/self/status (Linux < 5.9): the filter count is not visible")
	}
	wantField(t, st, "Seccomp_filters", "1")

	// The flags are replaced, not added to: 0 clears them.
	if err := f.SetFlags(0).Err(); err != nil {
		t.Errorf("SetFlags(0): %v", err)
	}
}

// auditRecords returns the seccomp audit records (type=1326) of process pid
// in /dev/kmsg from the position of kmsg, a non-blocking descriptor, on
// (they go there without auditd).
func auditRecords(kmsg int, pid int) []string {
	var found []string
	rec := make([]byte, 8192)
	for {
		n, err := syscall.Read(kmsg, rec)
		if err == syscall.EPIPE { // overwritten records
			continue
		}
		if err != nil || n <= 0 { // EAGAIN: the end
			return found
		}
		line := string(rec[:n])
		if strings.Contains(line, "type=1326") && strings.Contains(line, fmt.Sprintf(" pid=%d ", pid)) {
			found = append(found, line)
		}
	}
}

// TestSeccompFlagLogReachesTheKernel: with SeccompFlagLog the kernel logs
// the child's ERRNO answer, which it does not log without the flag (seen in
// /dev/kmsg; a LOG action without the flag is the control that tells a lost
// flag from a kernel that logs nothing).
func TestSeccompFlagLogReachesTheKernel(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("looks for x86_64's mkdir number in the audit record")
	}
	// A raw descriptor: os.File.Fd would make it blocking again.
	kmsg, err := syscall.Open("/dev/kmsg", syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("/dev/kmsg: %v", err)
	}
	defer syscall.Close(kmsg)
	if _, err := syscall.Seek(kmsg, 0, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	mkdir := func(f *spx.Seccomp) int {
		t.Helper()
		cmd := spx.Command("/bin/mkdir", "/nonexistent-spx-go-log/x")
		cmd.Seccomp = f
		_ = cmd.Run()                      // fails, with EXDEV or ENOENT
		time.Sleep(200 * time.Millisecond) // kauditd prints asynchronously
		return cmd.Process.Pid
	}
	// syscall=83: mkdir on x86_64; code=0x50000: ERRNO, without its value.
	seen := func(pid int, code string) bool {
		for _, r := range auditRecords(kmsg, pid) {
			if strings.Contains(r, " syscall=83 ") && strings.Contains(r, code) {
				return true
			}
		}
		return false
	}
	logged := spx.NewSeccomp(spx.ActAllow).Add("mkdir", spx.ActErrno(syscall.EXDEV)).SetFlags(spx.SeccompFlagLog)
	defer logged.Close()
	if seen(mkdir(logged), "code=0x50000") {
		return
	}
	control := spx.NewSeccomp(spx.ActAllow).Add("mkdir", spx.ActLog)
	defer control.Close()
	if seen(mkdir(control), "code=0x7ffc0000") {
		t.Fatal("the kernel logged a LOG action but not the ERRNO of a filter with SeccompFlagLog: the flag was lost")
	}
	t.Skip("no seccomp audit record in /dev/kmsg (audit off, rate-limited, or errno not in kernel.seccomp.actions_logged)")
}

// needOCIReader skips, saying so, when this libspx answers ENOTSUP to the
// smallest valid profile: a library built without the reader.
func needOCIReader(t *testing.T) {
	t.Helper()
	f, err := spx.FromOCI([]byte(`{"defaultAction": "SCMP_ACT_ALLOW"}`))
	if errors.Is(err, syscall.ENOTSUP) {
		t.Skipf("this libspx cannot read OCI profiles: %v", err)
	}
	if err != nil {
		t.Fatalf("the smallest profile: %v", err)
	}
	f.Close()
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFromOCIDenyList: a deny-list profile (testdata/deny-list.json) with an
// argument condition, run by real programs.
func TestFromOCIDenyList(t *testing.T) {
	needOCIReader(t)
	profile := readTestdata(t, "deny-list.json")
	f, err := spx.FromOCI(profile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	dir := t.TempDir()
	cmd := spx.Command("mkdir", filepath.Join(dir, "x"))
	cmd.Seccomp = f
	cmd.Env = []string{"LC_ALL=C"}
	out, err := cmd.CombinedOutput()
	if ee := exitError(t, err); ee.ExitCode() != 1 || !strings.Contains(string(out), "Permission denied") {
		t.Errorf("mkdir under the deny-list: %v %q", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("the directory was created")
	}
	// The profile compares the family's low half (SCMP_CMP_MASKED_EQ with
	// 0xffffffff): the upper half of the register does not help.
	got := socketResults(t, f)
	if got["inet"] != fmt.Sprint(int(syscall.EAFNOSUPPORT)) || got["inet-hi"] != got["inet"] || got["unix"] != "ok" {
		t.Errorf("sockets under the deny-list: %v", got)
	}

	// excludes.caps: the ptrace rule is left out for a child holding
	// CAP_SYS_PTRACE, so its filter is shorter.
	withCap, err := spx.FromOCI(profile, spx.CAP_SYS_PTRACE)
	if err != nil {
		t.Fatal(err)
	}
	defer withCap.Close()
	n, err := f.Len()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := withCap.Len(); err != nil || m >= n {
		t.Errorf("filter for a child with CAP_SYS_PTRACE: %d instructions (%v), without: %d", m, err, n)
	}
}

// TestFromOCIAllowList: an allow-list profile (testdata/allow-list.json)
// that does not list clone3 runs ls, git and a python3 that starts a
// thread (glibc falls back to clone on ENOSYS); a call it does not list
// fails with its defaultErrnoRet.
func TestFromOCIAllowList(t *testing.T) {
	needOCIReader(t)
	f, err := spx.FromOCI(readTestdata(t, "allow-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The 32-bit names (_llseek, fstat64, ...) are absent on 64-bit
	// architectures: counted, not refused.
	if f.Ignored() == 0 {
		t.Error("Ignored() = 0: the 32-bit names were not counted")
	}
	run := func(want string, name string, args ...string) {
		t.Helper()
		path, err := exec.LookPath(name)
		if err != nil {
			t.Logf("SKIP %s: not installed", name)
			return
		}
		cmd := spx.Command(path, args...)
		cmd.Seccomp = f
		cmd.Env = []string{"LC_ALL=C", "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%s %q under the allow-list: %v, output %q (want %q)", name, args, err, out, want)
		}
	}
	run("bin", "ls", "/")
	run("git version", "git", "--version")
	run("thread ok\n", "/usr/bin/python3", "-S", "-c", "import threading\nt = threading.Thread(target=print, args=('thread ok',))\nt.start(); t.join()")

	// Not listed: mkdir gets EPERM (defaultErrnoRet 1); socket only for AF_UNIX.
	dir := t.TempDir()
	cmd := spx.Command("/bin/mkdir", filepath.Join(dir, "x"))
	cmd.Seccomp = f
	cmd.Env = []string{"LC_ALL=C"}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "Operation not permitted") {
		t.Errorf("mkdir under the allow-list: %v %q", err, out)
	}
	got := socketResults(t, f)
	if got["inet"] != fmt.Sprint(int(syscall.EPERM)) || got["unix"] != "ok" {
		t.Errorf("sockets under the allow-list: %v", got)
	}
}

// TestFromOCIErrors: every malformed profile is refused with the reader's
// message, which names where in the JSON it went wrong.
func TestFromOCIErrors(t *testing.T) {
	needOCIReader(t)
	rule := func(r string) string {
		return `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [` + r + `]}`
	}
	huge := append([]byte(rule(`{"names": ["read"], "action": "SCMP_ACT_ALLOW"}`)), bytes.Repeat([]byte(" "), 4<<20)...)
	for _, c := range []struct {
		name    string
		profile []byte
		errno   syscall.Errno
		want    string // in the message (a regular expression)
	}{
		{"empty", nil, syscall.EINVAL, "."},
		{"blank", []byte("  \n"), syscall.EINVAL, "."},
		{"bad JSON", []byte(`{"defaultAction": "SCMP_ACT_ALLOW",`), syscall.EINVAL, "."},
		{"not an object", []byte(`["SCMP_ACT_ALLOW"]`), syscall.EINVAL, "."},
		{"no default action", []byte(`{"syscalls": []}`), syscall.EINVAL, "defaultAction"},
		{"default action of the wrong type", []byte(`{"defaultAction": 5}`), syscall.EINVAL, "defaultAction"},
		{"unknown default action", []byte(`{"defaultAction": "SCMP_ACT_MAYBE"}`), syscall.EINVAL, `defaultAction.*SCMP_ACT_MAYBE`},
		{"unknown key", []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "sycalls": []}`), syscall.EINVAL, "sycalls"},
		{"names not a list", []byte(rule(`{"names": "read", "action": "SCMP_ACT_ALLOW"}`)), syscall.EINVAL, `syscalls\[0\]\.names`},
		{"unknown action", []byte(rule(`{"names": ["read"], "action": "SCMP_ACT_ALLOW"}, {"names": ["write"], "action": "SCMP_ACT_FOO"}`)), syscall.EINVAL, `syscalls\[1\]\.action.*SCMP_ACT_FOO`},
		{"unknown operator", []byte(rule(`{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_FOO"}]}`)), syscall.EINVAL, `syscalls\[0\]\.args\[0\]\.op.*SCMP_CMP_FOO`},
		{"index 6", []byte(rule(`{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 2, "op": "SCMP_CMP_EQ"}]}`)), syscall.EINVAL, `syscalls\[0\]\.args\[0\]\.index`},
		{"negative index", []byte(rule(`{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": -1, "value": 2, "op": "SCMP_CMP_EQ"}]}`)), syscall.EINVAL, `syscalls\[0\]\.args\[0\]\.index`},
		{"value a string", []byte(rule(`{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": "2", "op": "SCMP_CMP_EQ"}]}`)), syscall.EINVAL, `syscalls\[0\]\.args\[0\]\.value`},
		{"errnoRet a string", []byte(rule(`{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": "EPERM"}`)), syscall.EINVAL, `syscalls\[0\]\.errnoRet`},
		{"notify", []byte(rule(`{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}`)), syscall.ENOTSUP, `syscalls\[0\]`},
		{"over 4 MiB", huge, syscall.E2BIG, "."},
	} {
		f, err := spx.FromOCI(c.profile)
		if f != nil {
			t.Errorf("%s: got a filter", c.name)
			f.Close()
		}
		if !errors.Is(err, c.errno) {
			t.Errorf("%s: %v, want %v", c.name, err, c.errno)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		msg := strings.TrimSuffix(strings.TrimPrefix(err.Error(), "spx: seccomp profile: "), ": "+c.errno.Error())
		if msg == err.Error() || msg == "" || !regexp.MustCompile(c.want).MatchString(msg) {
			t.Errorf("%s: message %q does not match %q", c.name, err, c.want)
		}
	}
	t.Run("unknown system call names are counted", func(t *testing.T) {
		f, err := spx.FromOCI([]byte(rule(`{"names": ["read", "no_such_call_spx"], "action": "SCMP_ACT_LOG"}`)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Ignored() != 1 {
			t.Errorf("Ignored() = %d, want 1", f.Ignored())
		}
	})
	t.Run("a capability number above 63", func(t *testing.T) {
		if _, err := spx.FromOCI([]byte(rule("")), spx.Cap(64)); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("FromOCI(caps 64): %v", err)
		}
	})
}

// TestEverySpxFunctionIsMentioned: the house rule that this binding binds
// every function libspx exports, or says in doc.go why not.
func TestEverySpxFunctionIsMentioned(t *testing.T) {
	dir := os.Getenv("SPX_BUILD_DIR")
	if dir == "" {
		t.Skip("SPX_BUILD_DIR is not set: no library to list (check.sh sets it)")
	}
	out, err := exec.Command("nm", "-D", "--defined-only", filepath.Join(dir, "lib", "libspx.so")).Output()
	if err != nil {
		t.Skipf("nm: %v", err)
	}
	var sources []byte
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, b...)
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[1] != "T" || !strings.HasPrefix(f[2], "spx_") {
			continue
		}
		name, _, _ := strings.Cut(f[2], "@")
		n++
		if !regexp.MustCompile(`\b` + name + `\b`).Match(sources) {
			t.Errorf("%s is exported by libspx but neither bound (C.%s) nor explained in doc.go", name, name)
		}
	}
	if n < 40 {
		t.Errorf("only %d spx_* functions in the library", n)
	}
}
