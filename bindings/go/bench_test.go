//go:build linux

package spx_test

import (
	"os/exec"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"spx.dev/spx"
)

// ballast keeps a large heap alive during the "heap=1GiB" benchmarks.
var ballast []byte

var benchHeaps = []struct {
	name string
	size int
}{{"small", 0}, {"1GiB", 1 << 30}}

// withHeap runs fn with a heap of size bytes allocated, touched and live.
func withHeap(b *testing.B, size int, fn func(b *testing.B)) {
	if size > 0 {
		ballast = make([]byte, size)
		for i := 0; i < len(ballast); i += 4096 {
			ballast[i] = 1 // make it resident
		}
		defer func() {
			ballast = nil
			debug.FreeOSMemory() // give the pages back now, not while measuring
		}()
	}
	// Let the collections started by the allocation finish.
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	fn(b)
}

func runSpx(b *testing.B) {
	if err := spx.Command("/bin/true").Run(); err != nil {
		b.Fatal(err)
	}
}

func runOSExec(b *testing.B) {
	if err := exec.Command("/bin/true").Run(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSpawn runs /bin/true with spx and with os/exec, side by side, in
// a process with a small heap and then with 1 GiB of touched heap.
func BenchmarkSpawn(b *testing.B) {
	for _, heap := range benchHeaps {
		b.Run("heap="+heap.name, func(b *testing.B) {
			withHeap(b, heap.size, func(b *testing.B) {
				b.Run("spx", func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						runSpx(b)
					}
				})
				b.Run("os-exec", func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						runOSExec(b)
					}
				})
			})
		})
	}
}

// BenchmarkSpawnPaired alternates the two in one loop, so that load from
// elsewhere on the machine weighs on both alike, and reports each one's time
// and their ratio (the figure bench.sh prints).
func BenchmarkSpawnPaired(b *testing.B) {
	for _, heap := range benchHeaps {
		b.Run("heap="+heap.name, func(b *testing.B) {
			withHeap(b, heap.size, func(b *testing.B) {
				var spxTime, execTime time.Duration
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if i%2 == 0 {
						runSpx(b)
						t1 := time.Now()
						runOSExec(b)
						spxTime += t1.Sub(t0)
						execTime += time.Since(t1)
					} else {
						runOSExec(b)
						t1 := time.Now()
						runSpx(b)
						execTime += t1.Sub(t0)
						spxTime += time.Since(t1)
					}
				}
				n := float64(b.N)
				b.ReportMetric(float64(spxTime.Nanoseconds())/n, "spx-ns/op")
				b.ReportMetric(float64(execTime.Nanoseconds())/n, "os-exec-ns/op")
				b.ReportMetric(float64(spxTime)/float64(execTime), "spx/os-exec")
			})
		})
	}
}
