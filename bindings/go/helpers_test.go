//go:build linux

package spx_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"spx.dev/spx"
)

// helperEnv, set in the environment, makes the test binary a helper
// process instead of running the tests (see TestMain).
const helperEnv = "SPX_GO_TEST_HELPER"

// TestMain runs the tests, or a helper that a test started as a child:
// groups (TestNoSetGroups), nofile (TestRlimitNofileRestored), job
// (TestForeground), prctl (securebits and pdeathsig), reaper and
// pdeath-parent (TestPdeathsigParentExit), landlock (landlockHelper),
// socket (TestSeccompCond).
func TestMain(m *testing.M) {
	switch h := os.Getenv(helperEnv); h {
	case "":
		code := m.Run()
		removeWorldExecutable()
		os.Exit(code)
	case "groups":
		os.Exit(groupsHelper())
	case "nofile":
		os.Exit(nofileHelper())
	case "job":
		os.Exit(jobHelper())
	case "prctl":
		os.Exit(prctlHelper())
	case "reaper":
		os.Exit(reaperHelper())
	case "pdeath-parent":
		os.Exit(pdeathParentHelper())
	case "landlock":
		os.Exit(landlockHelper())
	case "socket":
		os.Exit(socketHelper())
	default:
		fmt.Fprintf(os.Stderr, "%s=%s: unknown helper\n", helperEnv, h)
		os.Exit(2)
	}
}

// needRoot skips a test that needs the privileges of root.
func needRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
}

// needLandlock skips a test when the kernel has no Landlock.
func needLandlock(t testing.TB) {
	t.Helper()
	if spx.LandlockABI() == 0 {
		t.Skip("needs Landlock in the kernel")
	}
}

// childStatus runs cmd, which must print /proc/self/status (see
// statusCommand), and returns its fields.
func childStatus(t *testing.T, cmd *spx.Cmd) map[string]string {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd, err)
	}
	return parseStatus(t, out)
}

// statusCommand is a command printing its own /proc/self/status.
func statusCommand() *spx.Cmd { return spx.Command("/bin/cat", "/proc/self/status") }

func parseStatus(t *testing.T, out []byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	if m["Pid"] == "" {
		t.Fatalf("not a /proc/self/status: %q", out)
	}
	return m
}

// capMask is the /proc/self/status spelling of a capability set.
func capMask(caps ...spx.Cap) string {
	var m uint64
	for _, c := range caps {
		m |= 1 << uint(c)
	}
	return fmt.Sprintf("%016x", m)
}

// wantField checks one /proc/self/status field.
func wantField(t *testing.T, st map[string]string, key, want string) {
	t.Helper()
	if got := strings.Join(strings.Fields(st[key]), " "); got != want {
		t.Errorf("child %s: got %q, want %q", key, got, want)
	}
}

// spawnError asserts err is an *spx.Error at stage with errno.
func spawnError(t *testing.T, err error, stage spx.Stage, errno syscall.Errno) *spx.Error {
	t.Helper()
	var se *spx.Error
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want *spx.Error", err, err)
	}
	if se.Stage != stage || se.Errno != errno {
		t.Fatalf("got stage %v errno %d (%v), want stage %v errno %d (%v); error: %v",
			se.Stage, int(se.Errno), se.Errno, stage, int(errno), errno, err)
	}
	return se
}

// exitError asserts err is an *spx.ExitError.
func exitError(t *testing.T, err error) *spx.ExitError {
	t.Helper()
	var ee *spx.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("got %T %v, want *spx.ExitError", err, err)
	}
	return ee
}

// memfdCopy returns a sealed memfd holding a copy of the file at path, or the
// given content when path is empty.
func memfdCopy(t testing.TB, path string, content []byte) *os.File {
	t.Helper()
	f, err := newSealedMemfd("spx-test", path, content)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func newSealedMemfd(name, path string, content []byte) (*os.File, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		content = b
	}
	return sealedMemfd(name, content)
}

// openFDs counts this process's open descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // the directory being read
}

// vmRSS returns this process's resident set size in bytes.
func vmRSS(t testing.TB) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			v := line[len("VmRSS:"):]
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
