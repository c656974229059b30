// Package spx starts child processes with the Linux security attributes that
// os/exec cannot set, through the libspx C library.
//
// A Cmd is used like an exec.Cmd: Command looks the program up in PATH, the
// fields Path, Args, Env, Dir, Stdin, Stdout, Stderr and ExtraFiles mean what
// they mean there, and Run, Start, Wait, Output, CombinedOutput and the
// *Pipe methods behave the same way. Further fields describe the child:
//
//   - Credential: user, group and supplementary groups. A new user or
//     group gets no supplementary group and no ambient or inheritable
//     capability of the caller's unless asked (Groups, NoSetGroups,
//     AmbientCaps, InheritableCaps).
//   - AmbientCaps: capabilities kept across the change of user and the exec,
//     so that an unprivileged program runs with exactly these (for example
//     an NTP client with CAP_SYS_TIME, as nobody).
//   - InheritableCaps, BoundingCaps, NoNewPrivs, Chroot.
//   - Landlock (or LandlockFD): a Landlock ruleset applied to the child only,
//     built with NewLandlock(...).AllowPath(...).
//   - ExecFile: execute an open file (execveat), such as a sealed memfd or an
//     O_PATH descriptor, instead of a path.
//   - Seccomp (or SeccompProgram): a seccomp filter installed just before
//     exec, built with NewSeccomp(...).Add(...).
//
// None of these touch the calling process: the library creates the child
// with clone3(CLONE_VM|CLONE_VFORK) and sets everything up in it with raw
// system calls, in a fixed order of stages (see Stage) ending in the exec.
//
// # Errors
//
// When the child cannot be started, Start (and Run, Output...) returns an
// *Error that names the failed stage and unwraps to the syscall.Errno, so
// that errors.Is(err, fs.ErrNotExist) or errors.Is(err, fs.ErrPermission)
// work as with os/exec. The program never ran; no process is left behind. A
// program that ran and did not exit with status 0 gives an *ExitError, with
// the exit code or the signal.
//
// # Resources
//
// Landlock and Seccomp hold C memory: Close them when done (finalizers free
// them otherwise). Cmd holds none: the library's attribute object, the C
// copies of the arguments and environment and the pipes' child ends live
// only during Start, and the process handle is released by Wait. Go strings
// are copied into C memory for each call and freed before it returns; the
// library keeps no pointer to Go memory.
//
// # Concurrency
//
// Commands may be started from any number of goroutines at once, and side by
// side with os/exec: spx waits for its children through their pidfds (or
// their pids on old kernels), never for "any child", so neither reaps the
// other's processes. A Landlock or Seccomp may be shared by concurrent
// commands. Process.Kill and Process.Signal may be called while another
// goroutine waits.
//
// # Building
//
// The package uses cgo and finds the library with pkg-config (package spx).
// For a library built but not installed, point PKG_CONFIG_PATH at the build
// tree's pkgconfig directory and LD_LIBRARY_PATH at its lib directory.
package spx
