//go:build linux

package spx_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"spx.dev/spx"
)

// ExecFile runs a program from a descriptor (execveat) instead of a path,
// here a sealed memfd holding a copy of echo: nobody can change the program
// between the check and the exec (golang/go#72102).
func Example_execSealedMemfd() {
	echo, err := os.ReadFile("/bin/echo")
	if err != nil {
		log.Fatal(err)
	}
	f, err := sealedMemfd("echo", echo)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	cmd := &spx.Cmd{
		Args:     []string{"echo", "hello from a sealed memfd"}, // argv[0] is "echo"
		ExecFile: f,
	}
	out, err := cmd.Output()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(out))
	// Output:
	// hello from a sealed memfd
}

// sealedMemfd returns a memfd holding content, sealed against any change.
// (golang.org/x/sys/unix has MemfdCreate and the F_SEAL_* constants; the
// standard library alone is used here.)
func sealedMemfd(name string, content []byte) (*os.File, error) {
	const (
		mfdCloexec, mfdAllowSealing                   = 0x1, 0x2
		fAddSeals                                     = 1033
		fSealSeal, fSealShrink, fSealGrow, fSealWrite = 0x1, 0x2, 0x4, 0x8
	)
	nr, ok := map[string]uintptr{"amd64": 319, "386": 356, "arm64": 279, "riscv64": 279,
		"arm": 385, "ppc64le": 360, "s390x": 350, "loong64": 279}[runtime.GOARCH]
	if !ok {
		return nil, errors.New("memfd_create: unknown system call number on " + runtime.GOARCH)
	}
	cname, err := syscall.BytePtrFromString(name)
	if err != nil {
		return nil, err
	}
	fd, _, errno := syscall.Syscall(nr, uintptr(unsafe.Pointer(cname)), mfdCloexec|mfdAllowSealing, 0)
	if errno != 0 {
		return nil, os.NewSyscallError("memfd_create", errno)
	}
	f := os.NewFile(fd, "memfd:"+name)
	if _, err := f.Write(content); err != nil {
		f.Close()
		return nil, err
	}
	_, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, fAddSeals, fSealSeal|fSealShrink|fSealGrow|fSealWrite)
	if errno != 0 {
		f.Close()
		return nil, os.NewSyscallError("fcntl F_ADD_SEALS", errno)
	}
	return f, nil
}
