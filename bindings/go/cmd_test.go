//go:build linux

package spx_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"spx.dev/spx"
)

func TestVersion(t *testing.T) {
	v := spx.Version()
	if parts := strings.Split(v, "."); len(parts) != 3 {
		t.Fatalf("Version() = %q, want MAJOR.MINOR.PATCH", v)
	}
}

func TestStageNames(t *testing.T) {
	for stage, want := range map[spx.Stage]string{
		spx.StageExec: "exec", spx.StageChdir: "chdir", spx.StageSetuid: "setuid",
		spx.StageLandlock: "landlock", spx.StagePrepare: "prepare", spx.Stage(999): "unknown",
	} {
		if got := stage.String(); got != want {
			t.Errorf("Stage(%d).String() = %q, want %q", int(stage), got, want)
		}
	}
}

func TestCapNames(t *testing.T) {
	for _, name := range []string{"cap_sys_time", "CAP_SYS_TIME", "sys_time"} {
		c, err := spx.CapFromName(name)
		if err != nil || c != spx.CAP_SYS_TIME {
			t.Errorf("CapFromName(%q) = %v, %v; want CAP_SYS_TIME", name, c, err)
		}
	}
	if _, err := spx.CapFromName("cap_nonsense"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("CapFromName(unknown): err = %v, want EINVAL", err)
	}
	if got := spx.CAP_SYS_TIME.String(); got != "cap_sys_time" {
		t.Errorf("CAP_SYS_TIME.String() = %q", got)
	}
	if spx.CAP_CHOWN != 0 || spx.CAP_SYS_TIME != 25 || spx.CAP_CHECKPOINT_RESTORE != 40 {
		t.Error("capability numbers differ from <linux/capability.h>")
	}
	for c := spx.CAP_CHOWN; c <= spx.CAP_CHECKPOINT_RESTORE; c++ {
		back, err := spx.CapFromName(c.String())
		if err != nil || back != c {
			t.Errorf("round trip of %d via %q: %v, %v", int(c), c.String(), back, err)
		}
	}
	if got := spx.Cap(200).String(); got != "Cap(200)" {
		t.Errorf("Cap(200).String() = %q", got)
	}
}

func TestRunAndExitStatus(t *testing.T) {
	if err := spx.Command("true").Run(); err != nil {
		t.Fatalf("true: %v", err)
	}

	cmd := spx.Command("/bin/sh", "-c", "exit 7")
	ee := exitError(t, cmd.Run())
	if ee.ExitCode() != 7 || !ee.Exited() || ee.Success() || ee.Signaled() || ee.Error() != "exit status 7" {
		t.Errorf("exit 7: code %d exited %v success %v, %q", ee.ExitCode(), ee.Exited(), ee.Success(), ee.Error())
	}
	if ws := ee.Sys().(syscall.WaitStatus); !ws.Exited() || ws.ExitStatus() != 7 {
		t.Errorf("Sys() = %#v", ws)
	}
	if cmd.ProcessState.Pid() != cmd.Process.Pid {
		t.Errorf("ProcessState.Pid %d != Process.Pid %d", cmd.ProcessState.Pid(), cmd.Process.Pid)
	}

	ee = exitError(t, spx.Command("/bin/sh", "-c", "kill -TERM $$").Run())
	if !ee.Signaled() || ee.Signal() != syscall.SIGTERM || ee.ExitCode() != -1 || ee.Exited() || ee.Error() != "signal: terminated" {
		t.Errorf("killed by TERM: signaled %v sig %v code %d, %q", ee.Signaled(), ee.Signal(), ee.ExitCode(), ee.Error())
	}
	if ws := ee.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("Sys() = %#v", ws)
	}
}

func TestPidAndArgs(t *testing.T) {
	cmd := spx.Command("/bin/sh", "-c", `echo $$; printf '%s|' "$0" "$@"`, "zero", "a b", "", "c")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(out), "\n", 2)
	if lines[0] != strconv.Itoa(cmd.Process.Pid) {
		t.Errorf("child's $$ %q, Process.Pid %d", lines[0], cmd.Process.Pid)
	}
	if lines[1] != "zero|a b||c|" {
		t.Errorf("args: %q", lines[1])
	}
	if s := cmd.String(); s != "/bin/sh -c echo $$; printf '%s|' \"$0\" \"$@\" zero a b  c" {
		t.Errorf("String() = %q", s)
	}
}

func TestCmdMisuse(t *testing.T) {
	cmd := spx.Command("true")
	if err := cmd.Wait(); err == nil {
		t.Error("Wait before Start succeeded")
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Error("second Wait succeeded")
	}
	if err := (&spx.Cmd{}).Run(); err == nil {
		t.Error("empty Cmd ran")
	}
	c2 := spx.Command("true")
	c2.Stdout = io.Discard
	if _, err := c2.Output(); err == nil {
		t.Error("Output with Stdout set succeeded")
	}
}

func TestKillAndSignal(t *testing.T) {
	cmd := spx.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	time.Sleep(20 * time.Millisecond) // let Wait block
	if err := cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-waited:
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return after the signal")
	}
	ee := exitError(t, err)
	if ee.Signal() != syscall.SIGUSR1 {
		t.Errorf("got %v, want SIGUSR1", ee)
	}
	if err := cmd.Process.Kill(); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("Kill after Wait: %v, want os.ErrProcessDone", err)
	}
	st, err := cmd.Process.Wait()
	if err != nil || st != cmd.ProcessState {
		t.Errorf("Process.Wait again: %v, %v", st, err)
	}
	if err := cmd.Process.Release(); err != nil {
		t.Error(err)
	}

	cmd = spx.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if ee := exitError(t, cmd.Wait()); ee.String() != "signal: killed" {
		t.Errorf("got %q", ee.String())
	}
}

func TestCommandContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := spx.CommandContext(ctx, "sleep", "60").Run()
	if ee := exitError(t, err); ee.Signal() != syscall.SIGKILL {
		t.Errorf("got %v, want killed", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if err := spx.CommandContext(ctx, "true").Run(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with a done context: %v", err)
	}
	if err := spx.CommandContext(context.Background(), "true").Run(); err != nil {
		t.Error(err)
	}
}

// TestErrors checks the mapping of spawn failures to *spx.Error.
func TestErrors(t *testing.T) {
	t.Run("missing program", func(t *testing.T) {
		cmd := spx.Command("/nonexistent/spx-test-program", "x")
		err := cmd.Run()
		se := spawnError(t, err, spx.StageExec, syscall.ENOENT)
		if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, syscall.ENOENT) {
			t.Errorf("errors.Is(%v, fs.ErrNotExist) is false", err)
		}
		if se.Path != "/nonexistent/spx-test-program" || !strings.Contains(err.Error(), "/nonexistent/spx-test-program") {
			t.Errorf("error does not name the program: %v", err)
		}
		if cmd.Process != nil {
			t.Error("Process set after a failed Start")
		}
	})
	t.Run("not executable", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "data")
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := spx.Command(p).Run()
		spawnError(t, err, spx.StageExec, syscall.EACCES)
		if !errors.Is(err, os.ErrPermission) {
			t.Errorf("errors.Is(%v, os.ErrPermission) is false", err)
		}
	})
	t.Run("bad dir", func(t *testing.T) {
		cmd := spx.Command("true")
		cmd.Dir = "/nonexistent/spx-test-dir"
		err := cmd.Run()
		spawnError(t, err, spx.StageChdir, syscall.ENOENT)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("errors.Is(%v, fs.ErrNotExist) is false", err)
		}
	})
	t.Run("not in PATH", func(t *testing.T) {
		cmd := spx.Command("spx-no-such-program-anywhere")
		if cmd.Err == nil {
			t.Fatal("Command did not record the failed lookup in Err")
		}
		err := cmd.Run()
		spawnError(t, err, spx.StagePrepare, syscall.ENOENT)
		if !errors.Is(err, exec.ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v: want both exec.ErrNotFound and fs.ErrNotExist", err)
		}
	})
	t.Run("NUL in argument", func(t *testing.T) {
		spawnError(t, spx.Command("/bin/echo", "a\x00b").Run(), spx.StagePrepare, syscall.EINVAL)
	})
	t.Run("bad capability", func(t *testing.T) {
		cmd := spx.Command("true")
		cmd.AmbientCaps = []spx.Cap{spx.Cap(99)}
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
	})
	t.Run("ambient capability outside the bounding set", func(t *testing.T) {
		cmd := spx.Command("true")
		cmd.BoundingCaps = []spx.Cap{spx.CAP_SYS_TIME}
		cmd.AmbientCaps = []spx.Cap{spx.CAP_CHOWN}
		spawnError(t, cmd.Run(), spx.StagePrepare, syscall.EINVAL)
	})
	t.Run("identity change without privilege", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("needs a user other than root")
		}
		cmd := spx.Command("true")
		cmd.Credential = &spx.Credential{Uid: 0, Gid: 0}
		err := cmd.Run()
		spawnError(t, err, spx.StageSetgroups, syscall.EPERM)
		if !errors.Is(err, os.ErrPermission) {
			t.Errorf("errors.Is(%v, os.ErrPermission) is false", err)
		}
	})
	t.Run("failed setter releases pipes", func(t *testing.T) {
		before := openFDs(t)
		for i := 0; i < 20; i++ {
			cmd := spx.Command("true")
			cmd.Stdin = strings.NewReader("x")
			cmd.Stdout = io.Discard
			cmd.Dir = "/nonexistent/spx-test-dir"
			if err := cmd.Run(); err == nil {
				t.Fatal("ran")
			}
		}
		if after := openFDs(t); after > before {
			t.Errorf("descriptors leaked: %d before, %d after", before, after)
		}
	})
}

func TestOutputAndCombinedOutput(t *testing.T) {
	out, err := spx.Command("/bin/sh", "-c", "echo out; echo err >&2").Output()
	if err != nil || string(out) != "out\n" {
		t.Errorf("Output: %q, %v", out, err)
	}

	out, err = spx.Command("/bin/sh", "-c", "echo 1; echo 2 >&2; echo 3; echo 4 >&2").CombinedOutput()
	if err != nil || string(out) != "1\n2\n3\n4\n" {
		t.Errorf("CombinedOutput: %q, %v", out, err)
	}

	_, err = spx.Command("/bin/sh", "-c", "echo oops >&2; exit 3").Output()
	if ee := exitError(t, err); ee.ExitCode() != 3 || string(ee.Stderr) != "oops\n" {
		t.Errorf("ExitError: code %d, Stderr %q", ee.ExitCode(), ee.Stderr)
	}

	// Only the head and the tail of a long standard error are kept.
	_, err = spx.Command("/bin/sh", "-c", "echo begin >&2; head -c 1000000 /dev/zero >&2; echo end >&2; exit 1").Output()
	ee := exitError(t, err)
	if len(ee.Stderr) > 70000 || !bytes.HasPrefix(ee.Stderr, []byte("begin\n")) || !bytes.HasSuffix(ee.Stderr, []byte("end\n")) ||
		!bytes.Contains(ee.Stderr, []byte("... omitting ")) {
		t.Errorf("Stderr of %d bytes: %q ... %q", len(ee.Stderr), ee.Stderr[:20], ee.Stderr[len(ee.Stderr)-20:])
	}
}

func TestStdio(t *testing.T) {
	t.Run("reader and writers", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := spx.Command("/bin/sh", "-c", "cat; echo to-err >&2")
		cmd.Stdin = strings.NewReader("to-out\n")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		if stdout.String() != "to-out\n" || stderr.String() != "to-err\n" {
			t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
		}
	})
	t.Run("files passed directly", func(t *testing.T) {
		dir := t.TempDir()
		in := filepath.Join(dir, "in")
		if err := os.WriteFile(in, []byte("from a file\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fin, err := os.Open(in)
		if err != nil {
			t.Fatal(err)
		}
		defer fin.Close()
		fout, err := os.Create(filepath.Join(dir, "out"))
		if err != nil {
			t.Fatal(err)
		}
		defer fout.Close()
		cmd := spx.Command("/bin/sh", "-c", "cat; readlink /proc/self/fd/0 /proc/self/fd/1")
		cmd.Stdin, cmd.Stdout = fin, fout
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(fout.Name())
		if want := "from a file\n" + in + "\n" + fout.Name() + "\n"; string(got) != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("nil is the null device", func(t *testing.T) {
		fds := childFDs(t, spx.Command("sleep", "60"))
		for _, fd := range []string{"0", "1", "2"} {
			if fds[fd] != "/dev/null" {
				t.Errorf("child's fd %s is %q, want /dev/null", fd, fds[fd])
			}
		}
	})
	t.Run("pipes", func(t *testing.T) {
		cmd := spx.Command("/bin/sh", "-c", "read x; echo got $x; echo e >&2")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, "hello\n")
		stdin.Close()
		out, _ := io.ReadAll(stdout)
		errOut, _ := io.ReadAll(stderr)
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		if string(out) != "got hello\n" || string(errOut) != "e\n" {
			t.Errorf("out %q err %q", out, errOut)
		}
		if err := stdin.Close(); err != nil {
			t.Errorf("second Close of StdinPipe: %v", err)
		}
	})
	t.Run("child ignores its input", func(t *testing.T) {
		cmd := spx.Command("true")
		cmd.Stdin = bytes.NewReader(make([]byte, 4<<20))
		if err := cmd.Run(); err != nil {
			t.Errorf("EPIPE on stdin must not be an error: %v", err)
		}
	})
	t.Run("writer error", func(t *testing.T) {
		// The shell survives its child's SIGPIPE, so the error is the copy's.
		cmd := spx.Command("/bin/sh", "-c", "head -c 1000000 /dev/zero; exit 0")
		cmd.Stdout = failingWriter{}
		if err := cmd.Run(); err == nil || !strings.Contains(err.Error(), "writer failed") {
			t.Errorf("got %v", err)
		}
	})
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("writer failed") }

// TestLargeIO moves many MiB through pipes in both directions at once.
func TestLargeIO(t *testing.T) {
	const size = 24 << 20
	out, err := spx.Command("head", "-c", strconv.Itoa(size), "/dev/zero").Output()
	if err != nil || len(out) != size {
		t.Fatalf("Output: %d bytes, %v", len(out), err)
	}

	in := make([]byte, 8<<20)
	rand.New(rand.NewSource(1)).Read(in)
	var stdout, stderr bytes.Buffer
	cmd := spx.Command("/bin/sh", "-c", "tee /dev/stderr")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(stdout.Bytes()) != sha256.Sum256(in) || sha256.Sum256(stderr.Bytes()) != sha256.Sum256(in) {
		t.Errorf("data differs: %d and %d bytes back of %d", stdout.Len(), stderr.Len(), len(in))
	}
}

func TestExtraFilesAndClosing(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "five"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A descriptor without close-on-exec must not reach the child either.
	leaky, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(leaky)

	cmd := spx.Command("/bin/sh", "-c", `echo to-three >&3; echo to-five >&5`)
	cmd.ExtraFiles = []*os.File{w, nil, f}
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	three, _ := io.ReadAll(r)
	five, _ := os.ReadFile(f.Name())
	if string(three) != "to-three\n" || string(five) != "to-five\n" {
		t.Errorf("fd 3 got %q, fd 5 got %q", three, five)
	}

	cmd = spx.Command("sleep", "60")
	cmd.ExtraFiles = []*os.File{r, nil, f}
	fds := childFDs(t, cmd)
	if len(fds) != 5 || fds["3"] != pipeName(t, r) || fds["5"] != f.Name() || fds["4"] != "" {
		t.Errorf("child's descriptors: %v; want 0, 1, 2, 3 (%s) and 5 (%s)", fds, pipeName(t, r), f.Name())
	}
}

// childFDs starts cmd (a sleep), lists its descriptors and their targets
// from outside, then kills it.
func childFDs(t *testing.T, cmd *spx.Cmd) map[string]string {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	dir := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/fd"
	// Wait for sleep to sleep: the dynamic loader opens and closes files
	// before that.
	deadline := time.Now().Add(5 * time.Second)
	for {
		wchan, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/wchan")
		if bytes.Contains(wchan, []byte("nanosleep")) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range ents {
		target, _ := os.Readlink(filepath.Join(dir, e.Name()))
		m[e.Name()] = target
	}
	return m
}

func pipeName(t *testing.T, f *os.File) string {
	t.Helper()
	s, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEnvAndDir(t *testing.T) {
	cmd := spx.Command("env")
	cmd.Env = []string{"A=1", "B=2", "A=3", "EMPTY="}
	out, err := cmd.Output()
	if err != nil || string(out) != "B=2\nA=3\nEMPTY=\n" {
		t.Errorf("explicit Env: %q, %v", out, err)
	}

	cmd = spx.Command("env")
	cmd.Env = []string{}
	if out, err := cmd.Output(); err != nil || len(out) != 0 {
		t.Errorf("empty Env: %q, %v", out, err)
	}

	t.Setenv("SPX_TEST_INHERITED", "yes")
	dir := t.TempDir()
	cmd = spx.Command("/bin/sh", "-c", `echo "$SPX_TEST_INHERITED"; echo "$PWD"; pwd -P`)
	cmd.Dir = dir
	out, err = cmd.Output()
	real, _ := filepath.EvalSymlinks(dir)
	if want := "yes\n" + dir + "\n" + real + "\n"; err != nil || string(out) != want {
		t.Errorf("inherited Env and Dir: %q, %v; want %q", out, err, want)
	}
	if env := cmd.Environ(); env[len(env)-1] != "PWD="+dir {
		t.Errorf("Environ() ends with %q", env[len(env)-1])
	}
}

// TestSignalStateLikeOSExec checks that a child starts with the same blocked
// and ignored signals as one started by os/exec, with a signal ignored and
// one caught by the Go program.
func TestSignalStateLikeOSExec(t *testing.T) {
	signal.Ignore(syscall.SIGUSR2)
	defer signal.Reset(syscall.SIGUSR2)
	caught := make(chan os.Signal, 1)
	signal.Notify(caught, syscall.SIGHUP)
	defer signal.Stop(caught)

	sigLines := func(out []byte, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "SigBlk") || strings.HasPrefix(l, "SigIgn") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	got := sigLines(spx.Command("/bin/cat", "/proc/self/status").Output())
	want := sigLines(exec.Command("/bin/cat", "/proc/self/status").Output())
	// The exact set depends on what our own parent ignores (make, for one,
	// leaves signal 32 ignored): compare with os/exec, and look for SIGUSR2.
	var ignored uint64
	if i := strings.Index(got, "SigIgn:\t"); i >= 0 {
		fmt.Sscanf(got[i+len("SigIgn:\t"):], "%x", &ignored)
	}
	if got != want || ignored&(uint64(1)<<(syscall.SIGUSR2-1)) == 0 {
		t.Errorf("spx child:\n%s\nos/exec child:\n%s", got, want)
	}
}
