// Package spx starts child processes with the security attributes that
// os/exec cannot set, through the libspx C library: on Linux identities,
// capabilities, Landlock, seccomp and the rest below; on Windows
// AppContainers, jobs and an exact list of inherited handles (see Windows).
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
//     built with NewLandlock(abi, ...).AllowPath(...), and LandlockFlags, the
//     child's landlock_restrict_self flags (denial logging).
//   - ExecFile: execute an open file (execveat), such as a sealed memfd or an
//     O_PATH descriptor, instead of a path.
//   - Seccomp (or SeccompProgram): a seccomp filter installed just before
//     exec, built with NewSeccomp(...).Add(...) (AddCond for rules on the
//     arguments, SetFlags(SeccompFlagLog) to log), or read from an OCI
//     runtime-spec profile (Docker's, Kubernetes') with FromOCI.
//   - Rlimits: resource limits ([]Rlimit{{RLIMIT_NOFILE, 1024, 4096}},
//     RlimitFromName("nproc")), set before the identity changes.
//   - Setsid, Setpgid and Pgid, Setctty, Foreground and Ctty, Pdeathsig,
//     UseCgroupFD and CgroupFD: named and meant as in syscall.SysProcAttr,
//     except that Ctty is always a descriptor number of the child and that
//     Pdeathsig is tied to the process, not to a thread (see below).
//     CgroupFD places the child in a cgroup v2 from its first instruction.
//   - UseUmask and Umask: the child's umask (without UseUmask, the
//     caller's).
//   - Securebits: the child's securebits (SecbitNoRoot, ...), for example
//     so that a child that stays root has exactly its AmbientCaps.
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
// # Parent-death signal
//
// The kernel sends a child its parent-death signal (prctl
// PR_SET_PDEATHSIG) when the thread that created it exits, even if the
// process goes on. In Go that is an accident waiting to happen: a goroutine
// that ends while locked to its thread (runtime.LockOSThread) takes the
// thread with it, and the children it started with os/exec and a
// Pdeathsig get the signal then (go.dev/issue/27505). This package spawns
// every Cmd that has a Pdeathsig from one goroutine of its own, locked for
// the life of the process to its OS thread and never ending: the signal
// comes when the process exits (or is killed), whatever goroutine called
// Start and whatever became of its thread. Such spawns take turns on that
// thread, each until its child has exec'd; the thread is created at the
// first one. As the children are created by that thread, state that
// belongs to the calling thread only (a namespace entered with setns from a
// locked goroutine, per-thread capabilities, an SELinux exec context) does
// not reach a child with a Pdeathsig.
//
// # The open-file limit
//
// A Go program raises its own soft RLIMIT_NOFILE to the hard limit at
// startup (package os does it, or syscall since Go 1.21). Since Go 1.21
// os/exec gives its children the original soft limit back; this package
// does the same with every Go version (a C constructor reads the limit
// before the Go runtime starts): unless Cmd.Rlimits sets RLIMIT_NOFILE, a
// child gets the soft limit the program started with, as long as the
// process's limit is still the one Go raised it to. Once the program has
// changed it (syscall.Setrlimit), the children inherit the current limit,
// as with os/exec. (Setting it to exactly the raised values cannot be told
// apart from not changing it.)
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
// # Windows
//
// The package builds for GOOS=windows with cgo (mingw-w64) against
// spx.dll. There Cmd has the fields of os/exec.Cmd (Path, Args, Env, Dir,
// Stdin, Stdout, Stderr) and:
//
//   - AppContainer: run the child in an AppContainer (profile name,
//     capabilities by name or SID, LPAC, NoProfile); spx_attr_set_appcontainer
//     and spx_attr_set_appcontainer_flags. The spawn fails closed: a child
//     whose token is not confined as asked is terminated before it runs,
//     and Start fails at StageAppContainer.
//   - AdditionalInheritedHandles: the only handles inherited besides the
//     standard ones (spx_attr_add_handle, PROC_THREAD_ATTRIBUTE_HANDLE_LIST).
//     The standard handles go through spx_attr_set_stdio_handle.
//   - UseJob and JobFlags: the child starts inside a new job object
//     (spx_attr_set_job); Process.Kill ends the whole job, and
//     JobKillOnClose ends it when the Process is released.
//   - Process.Handle: the process handle (spx_process_handle).
//
// Errors carry Win32 error codes in Error.Errno there (syscall.Errno means
// that on Windows). AppContainerSID and CapabilitySID (spx_appcontainer_sid,
// spx_capability_sid) compute the SIDs Windows derives, on every platform.
// DeleteAppContainer, GrantAppContainer and RevokeAppContainer
// (spx_appcontainer_delete, _grant, _revoke) change profiles and ACLs
// explicitly and persistently; nothing does so implicitly.
//
// On Linux, Cmd.AppContainer exists too so that code that sets it fails
// (ENOTSUP at StagePrepare) rather than running unconfined, and the
// profile and ACL functions return ENOTSUP. The handle, job and process
// handle functions are bound on Windows only: on Linux the same things are
// Stdin/Stdout/Stderr and ExtraFiles (descriptors), UseCgroupFD (a group
// that can be killed as one) and Process.Pid with its pidfd, and the C
// functions answer ENOTSUP (NULL for spx_process_handle) there.
//
// # What is not bound, and why
//
// spx_process_wait_timeout: a Go program waits with a goroutine and a
// select, a timer or a context (exec.CommandContext's way), which Wait
// already serves; a blocking wait with a timeout would only hold an OS
// thread.
//
// # Building
//
// The package uses cgo and finds the library with pkg-config (package spx).
// For a library built but not installed, point PKG_CONFIG_PATH at the build
// tree's pkgconfig directory and LD_LIBRARY_PATH at its lib directory. For
// Windows: CGO_ENABLED=1 GOOS=windows GOARCH=amd64
// CC=x86_64-w64-mingw32-gcc, PKG_CONFIG_PATH at the cross build's
// pkgconfig directory, and spx.dll next to the program (check-windows.sh
// does all of it).
package spx
