package spx_test

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"spx.dev/spx"
)

// The Windows-only functions answer ENOTSUP on Linux, and change nothing.
func TestWindowsOnlyFunctionsAreNotSupportedOnLinux(t *testing.T) {
	dir := t.TempDir()
	before, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	for what, err := range map[string]error{
		"DeleteAppContainer": spx.DeleteAppContainer("spx-test"),
		"GrantAppContainer":  spx.GrantAppContainer("spx-test", dir, spx.AccessRead|spx.AccessWrite),
		"RevokeAppContainer": spx.RevokeAppContainer("spx-test", dir),
	} {
		if !errors.Is(err, syscall.ENOTSUP) {
			t.Errorf("%s: %v, want ENOTSUP", what, err)
		}
	}
	after, err := os.Stat(dir)
	if err != nil || after.Mode() != before.Mode() {
		t.Errorf("the directory changed: %v -> %v (%v)", before.Mode(), after.Mode(), err)
	}
}

// A Cmd that asks for an AppContainer never runs unconfined: it fails at
// StagePrepare with ENOTSUP, before any child exists.
func TestAppContainerCmdIsRefusedOnLinux(t *testing.T) {
	marker := t.TempDir() + "/ran"
	for _, ac := range []*spx.AppContainer{
		{Name: "spx-test"},
		{Name: "spx-test", Capabilities: []string{"internetClient", "S-1-15-3-2"}, LPAC: true, NoProfile: true},
	} {
		cmd := spx.Command("/bin/sh", "-c", "touch "+marker)
		cmd.AppContainer = ac
		err := cmd.Run()
		var se *spx.Error
		if !errors.As(err, &se) || se.Stage != spx.StagePrepare || se.Errno != syscall.ENOTSUP {
			t.Errorf("AppContainer %+v: %v, want ENOTSUP at StagePrepare", ac, err)
		}
		if cmd.Process != nil {
			t.Errorf("a process was started")
		}
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Errorf("the child ran: %v", err)
	}
}
