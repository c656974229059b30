//go:build linux

package spx_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"testing"
	"time"

	"spx.dev/spx"
)

// leakSpawns is the number of spawns of TestNoLeaks: SPX_LEAK_SPAWNS, or
// 2,000 (10,000 in bench.sh, without the race detector).
func leakSpawns(t *testing.T) int {
	if s := os.Getenv("SPX_LEAK_SPAWNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("SPX_LEAK_SPAWNS: %v", err)
		}
		return n
	}
	if testing.Short() {
		return 300
	}
	return 2000
}

// TestNoLeaks spawns many commands, most with every attribute the process
// may use and a few failing ones, building and closing rulesets and filters
// on the way, and checks that the C heap, the descriptors and the resident
// set do not grow with the count.
func TestNoLeaks(t *testing.T) {
	if os.Getenv("SPX_LEAK_EXACT") == "" {
		// glibc counts the chunks its per-thread caches (tcache) and
		// arenas keep after free as in use, and Go makes its C calls from
		// many threads: the C heap figure would drift by some 100 KiB over
		// 10,000 spawns without a leak. Run alone, in a copy of this test
		// binary with those caches off, so that the figure is exact.
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(exe, "-test.run=^TestNoLeaks$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "SPX_LEAK_EXACT=1", "SPX_LEAK_SPAWNS="+strconv.Itoa(leakSpawns(t)),
			"GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1")
		out, err := cmd.CombinedOutput()
		t.Logf("with GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1:\n%s", out)
		if err != nil {
			t.Fatalf("%v", err)
		}
		return
	}
	n := leakSpawns(t)
	root := os.Geteuid() == 0
	landlock := spx.LandlockABI() > 0
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil { // for uid 65534
		t.Fatal(err)
	}
	rs := spx.NewLandlock(7, true).AllowPath("/", spx.LandlockFSROX).AllowPath(dir, spx.LandlockFSRW)
	defer rs.Close()
	deny := spx.NewSeccomp(spx.ActAllow).Add("mkdir", spx.ActErrno(syscall.EPERM))
	defer deny.Close()
	exe, err := os.Open("/bin/true")
	if err != nil {
		t.Fatal(err)
	}
	defer exe.Close()
	profile, err := os.ReadFile(filepath.Join("testdata", "deny-list.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, ociErr := spx.FromOCI(profile)
	oci := ociErr == nil // a libspx without the reader answers ENOTSUP
	inet := spx.Cond{Arg: 0, Op: spx.CmpEQ, Value: syscall.AF_INET}

	var out bytes.Buffer
	spawn := func(i int) {
		var cmd *spx.Cmd
		switch {
		case i%50 == 49: // fails in the child
			cmd = spx.Command("/nonexistent/spx")
			if err := cmd.Run(); err == nil {
				t.Fatal("nonexistent program ran")
			}
			return
		case i%50 == 48: // fails in the parent, after some setters
			cmd = spx.Command("true")
			cmd.Stdout = &out
			cmd.Landlock = rs
			cmd.AmbientCaps = []spx.Cap{spx.Cap(1000)}
			if err := cmd.Run(); err == nil {
				t.Fatal("bad capability accepted")
			}
			// Refused builders and profiles.
			if err := spx.NewSeccomp(spx.ActAllow).AddCond("socket", spx.ActLog, inet, spx.Cond{Arg: 0, Op: spx.CmpNE}).Err(); err == nil {
				t.Fatal("two conditions on one argument accepted")
			}
			if _, err := spx.FromOCI(append(profile[:len(profile):len(profile)], '}')); err == nil {
				t.Fatal("a profile with trailing garbage accepted")
			}
			cmd = spx.Command("true")
			cmd.Seccomp = deny
			cmd.UseCgroupFD, cmd.CgroupFD = true, int(exe.Fd())
			cmd.Rlimits = []spx.Rlimit{{Resource: spx.RLIMIT_CORE}, {Resource: spx.RLIMIT_NOFILE, Cur: 2, Max: 1}}
			if err := cmd.Run(); err == nil {
				t.Fatal("bad rlimit accepted")
			}
			return
		case i%10 == 7: // fresh builders
			l := spx.NewLandlock(7, true).AllowPath("/", spx.LandlockFSROX).AllowPath(dir, spx.LandlockFSRW)
			s := spx.NewSeccomp(spx.ActAllow).Add("mkdirat", spx.ActErrno(syscall.EPERM)).
				AddCond("socket", spx.ActErrno(syscall.EACCES), inet).SetFlags(spx.SeccompFlagLog)
			if oci && i%100 == 17 { // a profile's filter, now and then
				s.Close()
				if s, err = spx.FromOCI(profile); err != nil {
					t.Fatal(err)
				}
			}
			cmd = spx.Command("true")
			if landlock {
				cmd.Landlock = l
			}
			cmd.Seccomp = s
			if err := cmd.Run(); err != nil {
				t.Fatal(err)
			}
			if i%20 == 7 { // or left to the finalizers
				l.Close()
				s.Close()
			}
			return
		case i%2 == 0:
			cmd = spx.Command("/bin/true")
		default: // everything
			cmd = &spx.Cmd{Args: []string{"true", "x"}, ExecFile: exe, Dir: dir, Env: []string{"A=b"}}
			cmd.Stdout = &out
			cmd.NoNewPrivs = true
			if landlock {
				cmd.Landlock = rs
			}
			cmd.Seccomp = deny
			cmd.Rlimits = []spx.Rlimit{{Resource: spx.RLIMIT_CORE}, {Resource: spx.RLIMIT_NPROC, Cur: 1000, Max: 1000}}
			cmd.Setsid = true
			cmd.UseUmask, cmd.Umask = true, 0o027
			if i%4 == 1 { // on the binding's own thread
				cmd.Pdeathsig = syscall.SIGKILL
			}
			if root {
				cmd.Credential = &spx.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{1, 2}}
				cmd.AmbientCaps = []spx.Cap{spx.CAP_SYS_TIME}
				cmd.BoundingCaps = []spx.Cap{spx.CAP_SYS_TIME}
				cmd.Securebits = spx.SecbitNoCapAmbientRaise | spx.SecbitNoCapAmbientRaiseLocked
			}
		}
		if err := cmd.Run(); err != nil {
			t.Fatalf("spawn %d: %v", i, err)
		}
	}

	settle := func() {
		runtime.GC()
		debug.FreeOSMemory()
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	warm := n / 10
	if warm > 500 {
		warm = 500
	}
	for i := 0; i < warm; i++ {
		spawn(i)
	}
	settle()
	fd0, heap0, rss0 := openFDs(t), spx.CHeapInUse(), vmRSS(t)
	start := time.Now()
	for i := 0; i < n; i++ {
		spawn(i)
	}
	elapsed := time.Since(start)
	settle()
	fd1, heap1, rss1 := openFDs(t), spx.CHeapInUse(), vmRSS(t)

	t.Logf("%d spawns in %v (%v each); C heap in use %+d bytes (%d -> %d); VmRSS %+d KiB (%d -> %d KiB); fds %d -> %d",
		n, elapsed.Round(time.Millisecond), (elapsed / time.Duration(n)).Round(time.Microsecond),
		heap1-heap0, heap0, heap1, (rss1-rss0)>>10, rss0>>10, rss1>>10, fd0, fd1)
	if fd1 > fd0 {
		t.Errorf("descriptors leaked: %d before, %d after", fd0, fd1)
	}
	// Without glibc's caches (see above) the figure is exact: the
	// allowance is for what libseccomp and json-c set up once, late. A
	// leak of 32 bytes a spawn shows at the default 2,000 spawns.
	if heap0 >= 0 && heap1-heap0 > 48<<10 {
		t.Errorf("C heap grew by %d bytes over %d spawns (%d per spawn)", heap1-heap0, n, (heap1-heap0)/int64(n))
	}
	// Generous: the Go heap, the race detector's shadow memory and thread
	// stacks move the resident set a little either way.
	if rss1-rss0 > 48<<20 {
		t.Errorf("VmRSS grew by %d KiB over %d spawns", (rss1-rss0)>>10, n)
	}
}
