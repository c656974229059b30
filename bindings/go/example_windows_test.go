package spx_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"spx.dev/spx"
)

// A child in a job object that ends with the Process: nothing it starts
// outlives it.
func ExampleCmd_job() {
	cmd := spx.Command(filepath.Join(os.Getenv("SystemRoot"), "System32", "cmd.exe"), "/c", "exit 7")
	cmd.UseJob, cmd.JobFlags = true, spx.JobKillOnClose
	err := cmd.Run()
	var ee *spx.ExitError
	if errors.As(err, &ee) {
		fmt.Println(ee.ExitCode())
	}
	// Output: 7
}

// An AppContainer child, with capabilities by name. It fails closed: where
// the child cannot be confined (wine has no AppContainer), it never runs.
func ExampleCmd_appContainer() {
	cmd := spx.Command(filepath.Join(os.Getenv("SystemRoot"), "System32", "cmd.exe"), "/c", "exit 0")
	cmd.AppContainer = &spx.AppContainer{
		Name:         "spx.example",
		Capabilities: []string{"internetClient"},
	}
	err := cmd.Run()
	var se *spx.Error
	if errors.As(err, &se) && se.Stage == spx.StageAppContainer {
		fmt.Println("not confined, not run")
		return
	}
	fmt.Println(err == nil)
}
