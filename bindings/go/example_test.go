//go:build linux

package spx_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"spx.dev/spx"
)

// A command is used like exec.Cmd; errors say which stage of the start
// failed.
func ExampleCommand() {
	out, err := spx.Command("echo", "hello").Output()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s", out)

	err = spx.Command("/nonexistent/program").Run()
	var se *spx.Error
	if errors.As(err, &se) {
		fmt.Println("stage:", se.Stage, "- not found:", errors.Is(err, fs.ErrNotExist))
	}

	err = spx.Command("/bin/sh", "-c", "exit 3").Run()
	var ee *spx.ExitError
	if errors.As(err, &ee) {
		fmt.Println("exit code:", ee.ExitCode())
	}
	// Output:
	// hello
	// stage: exec - not found: true
	// exit code: 3
}

// Landlock confines a program (here a shell; git in golang/go#68595) to one
// writable directory, without restricting the calling program.
func Example_landlock() {
	work, err := os.MkdirTemp("", "spx-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	// Read and execute everything; write only in work (and /dev/null).
	// The ABI is pinned (7, Linux 6.15): ABI 0, "the newest", would deny
	// more by itself after a library upgrade (UNIX sockets, UDP).
	rs := spx.NewLandlock(7, true).
		AllowPath("/", spx.LandlockFSROX).
		AllowPath("/dev/null", spx.LandlockFSRW).
		AllowPath(work, spx.LandlockFSRW)
	defer rs.Close()
	if err := rs.Err(); err != nil {
		log.Fatal(err)
	}

	cmd := spx.Command("/bin/sh", "-c", `
		echo data > "$1/inside" && echo "write inside: ok"
		echo data > "$HOME/spx-example-outside" 2>/dev/null || echo "write outside: denied"
		`, "sh", work)
	cmd.Env = []string{"HOME=" + os.TempDir()}
	cmd.Landlock = rs
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	fmt.Println("enforced:", rs.Status() != spx.LandlockNotEnforced)
	// Output:
	// write inside: ok
	// write outside: denied
	// enforced: true
}

// A seccomp deny-list: everything is allowed except creating directories,
// which fails with EPERM. The filter is installed in the child only.
func Example_seccompDenyList() {
	deny := spx.NewSeccomp(spx.ActAllow).
		Add("mkdir", spx.ActErrno(syscall.EPERM)).
		Add("mkdirat", spx.ActErrno(syscall.EPERM))
	defer deny.Close()
	if err := deny.Err(); err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "spx-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	var stderr bytes.Buffer
	cmd := spx.Command("/bin/mkdir", filepath.Join(dir, "new"))
	cmd.Env = []string{"LC_ALL=C"}
	cmd.Stderr = &stderr
	cmd.Seccomp = deny
	err = cmd.Run()
	fmt.Println("mkdir:", err)
	fmt.Println("says:", strings.Contains(stderr.String(), "Operation not permitted"))

	// The calling process is not filtered.
	fmt.Println("parent:", os.Mkdir(filepath.Join(dir, "new"), 0o700))
	// Output:
	// mkdir: exit status 1
	// says: true
	// parent: <nil>
}

// A rule with a condition on an argument: the child cannot create IPv4
// sockets (a network sandbox) but keeps UNIX ones (for syslog, D-Bus, ...).
// The family is an int: Arg32EQ compares the half the kernel reads. Python
// reports the errno each socket() call got.
func ExampleSeccomp_AddCond() {
	f := spx.NewSeccomp(spx.ActAllow).
		AddCond("socket", spx.ActErrno(syscall.EACCES), spx.Arg32EQ(0, syscall.AF_INET))
	defer f.Close()

	cmd := spx.Command("/usr/bin/python3", "-S", "-c", `
import socket
for name, family in (("inet", socket.AF_INET), ("unix", socket.AF_UNIX)):
    try:
        socket.socket(family).close()
        print(name, "ok")
    except OSError as e:
        print(name, e.strerror)
`)
	cmd.Seccomp = f
	cmd.Env = []string{"LC_ALL=C"}
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	// Output:
	// inet Permission denied
	// unix ok
}

func ExampleCapFromName() {
	c, err := spx.CapFromName("CAP_SYS_TIME")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(int(c), c, c == spx.CAP_SYS_TIME)
	// Output:
	// 25 cap_sys_time true
}

// Resource limits, a session of its own, a umask and a parent-death signal
// for a child, seen from inside it.
func Example_controls() {
	nofile, err := spx.RlimitFromName("nofile")
	if err != nil {
		log.Fatal(err)
	}
	cmd := spx.Command("/bin/sh", "-c", `ulimit -n; umask; [ "$(cut -d' ' -f6 /proc/$$/stat)" = $$ ] && echo "leads its session"`)
	cmd.Rlimits = []spx.Rlimit{{Resource: nofile, Cur: 64, Max: 128}}
	cmd.Setsid = true
	cmd.UseUmask, cmd.Umask = true, 0o027
	cmd.Pdeathsig = syscall.SIGKILL // if this program dies first
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s", out)
	// Output:
	// 64
	// 0027
	// leads its session
}
