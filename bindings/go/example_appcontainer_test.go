package spx_test

import (
	"fmt"

	"spx.dev/spx"
)

// The SIDs Windows gives an AppContainer profile and capabilities are
// computed, on any platform: to prepare ACLs or policies for a sandbox ahead
// of its first run, for example.
func ExampleAppContainerSID() {
	sid, err := spx.AppContainerSID("Microsoft.MicrosoftEdge_8wekyb3d8bbwe")
	if err != nil {
		panic(err)
	}
	fmt.Println(sid)
	for _, c := range []string{"internetClient", "lpacCom"} {
		sid, err := spx.CapabilitySID(c)
		if err != nil {
			panic(err)
		}
		fmt.Println(c, sid)
	}
	// Output:
	// S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194
	// internetClient S-1-15-3-1
	// lpacCom S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256
}
