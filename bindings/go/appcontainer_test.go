package spx_test

import (
	"errors"
	"strings"
	"testing"

	"spx.dev/spx"
)

// The SIDs Windows derives, as published by Microsoft (and listed in the
// notes of issue 18): computed by the library on every platform.
func TestAppContainerSIDMatchesWindows(t *testing.T) {
	for _, tc := range []struct{ name, sid string }{
		{"Microsoft.MicrosoftEdge_8wekyb3d8bbwe", "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194"},
		// The name is lower-cased first: the profile name is case-insensitive.
		{"MICROSOFT.MICROSOFTEDGE_8WEKYB3D8BBWE", "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194"},
	} {
		got, err := spx.AppContainerSID(tc.name)
		if err != nil || got != tc.sid {
			t.Errorf("AppContainerSID(%q) = %q, %v; want %q", tc.name, got, err, tc.sid)
		}
	}
}

func TestCapabilitySIDMatchesWindows(t *testing.T) {
	for _, tc := range []struct{ name, sid string }{
		{"internetClient", "S-1-15-3-1"},
		{"internetClientServer", "S-1-15-3-2"},
		{"contacts", "S-1-15-3-12"},
		{"lpacCom", "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256"},
		{"registryRead", "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681"},
		// A SID string is returned as is.
		{"S-1-15-3-1", "S-1-15-3-1"},
		{"S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681", "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681"},
	} {
		got, err := spx.CapabilitySID(tc.name)
		if err != nil || got != tc.sid {
			t.Errorf("CapabilitySID(%q) = %q, %v; want %q", tc.name, got, err, tc.sid)
		}
	}
}

func TestSIDFunctionsRefuseBadInput(t *testing.T) {
	for _, name := range []string{"", strings.Repeat("a", 65), "a/b", "a\\b", "a:b", "nul\x00byte", "caf\u00e9"} {
		if sid, err := spx.AppContainerSID(name); !errors.Is(err, spx.ErrInvalid) || sid != "" {
			t.Errorf("AppContainerSID(%q) = %q, %v; want the invalid-argument error", name, sid, err)
		}
	}
	if _, err := spx.AppContainerSID(strings.Repeat("a", 64)); err != nil {
		t.Errorf("a 64-character name: %v", err)
	}
	for _, c := range []string{"", "nul\x00byte", "S-1-15-3-", "S-1-x", "S-1-15-3-1-"} {
		if sid, err := spx.CapabilitySID(c); !errors.Is(err, spx.ErrInvalid) || sid != "" {
			t.Errorf("CapabilitySID(%q) = %q, %v; want the invalid-argument error", c, sid, err)
		}
	}
}
