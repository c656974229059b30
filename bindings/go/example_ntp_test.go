//go:build linux && !spx_noroot

// This example needs root (check.sh builds the tests with -tags spx_noroot
// otherwise).

package spx_test

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"strings"

	"spx.dev/spx"
)

// An NTP client that runs as nobody and keeps only CAP_SYS_TIME
// (golang/go#19713). The capability is in the ambient set, so it survives
// the change of uid and the exec. Here the "client" prints its own
// credentials; it would be spx.Command("/usr/sbin/ntpd", "-q") for real.
func Example_ntpAsNobody() {
	cmd := spx.Command("/bin/cat", "/proc/self/status")
	cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534} // no supplementary group
	cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), ":")
		switch key {
		case "Uid", "Gid", "CapEff", "CapAmb":
			fmt.Println(key, strings.Join(strings.Fields(value), " "))
		}
	}
	// Output:
	// Uid 65534 65534 65534 65534
	// Gid 65534 65534 65534 65534
	// CapEff 0000000002000000
	// CapAmb 0000000002000000
}
