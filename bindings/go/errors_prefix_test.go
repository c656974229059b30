//go:build linux

package spx

import (
	"strings"
	"testing"
)

// Every error string says "spx:" once, also when a builder's error (which
// carries the prefix itself) comes back from Start.
func TestErrorPrefixOnce(t *testing.T) {
	var errs []error
	cmd := Command("true")
	cmd.Landlock = NewLandlock(7, true).AllowPath("/spx-no-such-path", LandlockFSRO)
	errs = append(errs, cmd.Run())
	cmd = Command("true")
	cmd.Seccomp = NewSeccomp(ActAllow).Add("spx_no_such_syscall", ActAllow)
	errs = append(errs, cmd.Run())
	errs = append(errs, Command("spx-no-such-command").Run())
	_, err := CapFromName("cap_no_such_thing")
	errs = append(errs, err)
	_, err = RlimitFromName("no_such_limit")
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		if s := err.Error(); !strings.HasPrefix(s, "spx: ") || strings.Count(s, "spx:") != 1 {
			t.Errorf("case %d: %q: want one leading \"spx: \"", i, s)
		}
	}
}
