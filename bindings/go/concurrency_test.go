//go:build linux

package spx_test

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"spx.dev/spx"
)

// TestConcurrentWithOSExec starts 200 goroutines x 20 spx commands while
// other goroutines run os/exec commands, and checks that every status reaches
// the right caller: spx reaps its children through their pidfds and os/exec
// reaps its own pids, so neither steals the other's.
func TestConcurrentWithOSExec(t *testing.T) {
	goroutines, perGoroutine := 200, 20
	if testing.Short() {
		goroutines, perGoroutine = 50, 10
	}
	stop := make(chan struct{})
	var osexecRuns atomic.Int64
	var osexecWG sync.WaitGroup
	osexecErrs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		osexecWG.Add(1)
		go func(g int) {
			defer osexecWG.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code := (g*7 + i) % 5
				cmd := exec.Command("/bin/sh", "-c", "echo $0; exit "+strconv.Itoa(code), strconv.Itoa(i))
				out, err := cmd.Output()
				if got := cmd.ProcessState.ExitCode(); got != code || string(out) != strconv.Itoa(i)+"\n" {
					osexecErrs <- fmt.Errorf("os/exec: exit %d output %q (%v), want %d", got, out, err, code)
					return
				}
				osexecRuns.Add(1)
			}
		}(g)
	}

	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < perGoroutine; i++ {
				if err := oneSpawn(g, i); err != nil {
					errs <- fmt.Errorf("goroutine %d spawn %d: %w", g, i, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(stop)
	osexecWG.Wait()
	close(errs)
	close(osexecErrs)
	for err := range errs {
		t.Error(err)
	}
	for err := range osexecErrs {
		t.Error(err)
	}
	if osexecRuns.Load() == 0 {
		t.Error("no os/exec command ran alongside")
	}
	t.Logf("%d spx commands, %d os/exec commands", goroutines*perGoroutine, osexecRuns.Load())
}

// oneSpawn runs one of a few kinds of commands and checks its outcome.
func oneSpawn(g, i int) error {
	switch i % 4 {
	case 0: // an exit status
		code := (g + i) % 256
		err := spx.Command("/bin/sh", "-c", "exit "+strconv.Itoa(code)).Run()
		var ee *spx.ExitError
		switch {
		case code == 0 && err != nil:
			return err
		case code != 0 && (!errors.As(err, &ee) || ee.ExitCode() != code):
			return fmt.Errorf("got %v, want exit status %d", err, code)
		}
	case 1: // output through a pipe
		want := strconv.Itoa(g) + " " + strconv.Itoa(i) + "\n"
		out, err := spx.Command("/bin/echo", strconv.Itoa(g), strconv.Itoa(i)).Output()
		if err != nil || string(out) != want {
			return fmt.Errorf("output %q, %v; want %q", out, err, want)
		}
	case 2: // a signal
		cmd := spx.Command("sleep", "30")
		if err := cmd.Start(); err != nil {
			return err
		}
		if err := cmd.Process.Kill(); err != nil {
			return err
		}
		var ee *spx.ExitError
		if err := cmd.Wait(); !errors.As(err, &ee) || ee.String() != "signal: killed" {
			return fmt.Errorf("got %v, want signal: killed", err)
		}
	case 3: // a failure to start
		err := spx.Command("/nonexistent/spx").Run()
		var se *spx.Error
		if !errors.As(err, &se) || se.Stage != spx.StageExec {
			return fmt.Errorf("got %v, want an exec stage error", err)
		}
	}
	return nil
}
