//go:build linux

package spx_test

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"spx.dev/spx"
)

func TestSigMask(t *testing.T) {
	cmd := statusCommand()
	cmd.SigMask = []syscall.Signal{syscall.SIGUSR1, syscall.SIGTERM}
	wantField(t, childStatus(t, cmd), "SigBlk", "0000000000004200")
	cmd = statusCommand()
	cmd.SigMask = []syscall.Signal{} // non-nil and empty: nothing blocked
	wantField(t, childStatus(t, cmd), "SigBlk", "0000000000000000")

	cmd = statusCommand()
	cmd.SigMask = []syscall.Signal{65}
	if err := cmd.Run(); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("signal 65 in SigMask: got %v, want EINVAL", err)
	}
}

func TestSigDefault(t *testing.T) {
	signal.Ignore(syscall.SIGUSR2)
	defer signal.Reset(syscall.SIGUSR2)
	const usr2 = 1 << (syscall.SIGUSR2 - 1)
	ignored := func(cmd *spx.Cmd) bool {
		v, err := strconv.ParseUint(childStatus(t, cmd)["SigIgn"], 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v&usr2 != 0
	}
	if !ignored(statusCommand()) {
		t.Fatal("an ignored SIGUSR2 is not inherited (as os/exec's children inherit it)")
	}
	cmd := statusCommand()
	cmd.SigDefault = []syscall.Signal{syscall.SIGUSR2}
	if ignored(cmd) {
		t.Fatal("SigDefault did not reset SIGUSR2")
	}

	cmd = statusCommand()
	cmd.SigDefault = []syscall.Signal{0}
	if err := cmd.Run(); !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("signal 0 in SigDefault: got %v, want EINVAL", err)
	}
}

func TestExecDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/bin/true", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	cmd := &spx.Cmd{Path: "link", ExecDir: d}
	if err := cmd.Run(); err != nil {
		t.Fatalf("exec of link beneath ExecDir: %v", err)
	}
	cmd = &spx.Cmd{Path: "link", ExecDir: d, ExecDirNoFollow: true}
	spawnError(t, cmd.Run(), spx.StageExec, syscall.ELOOP)
	cmd = &spx.Cmd{Path: "missing", ExecDir: d}
	spawnError(t, cmd.Run(), spx.StageExec, syscall.ENOENT)

	f, err := os.Open("/etc/hostname")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	cmd = &spx.Cmd{Path: "x", ExecDir: f} // not a directory
	if err := cmd.Run(); !errors.Is(err, syscall.ENOTDIR) {
		t.Fatalf("ExecDir on a file: got %v, want ENOTDIR", err)
	}
}
