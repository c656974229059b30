//! `Command`: the builder, shaped like `std::process::Command` and
//! `std::os::unix::process::CommandExt`, plus the security attributes.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr, OsString};
use std::fs::{File, OpenOptions};
use std::os::raw::c_char;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::io::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output};
use std::ptr::{self, NonNull};
use std::sync::Arc;

use spx_sys as sys;

use crate::appcontainer;
use crate::attr::Attr;
use crate::cap::{raw_caps, Cap};
use crate::child::Child;
use crate::error::{Error, Result, EINVAL};
use crate::landlock::{Compat, RestrictFlags, Ruleset, RESTRICT_FLAGS_ABI};
use crate::limits::{Resource, SecureBits};
use crate::process::Process;
use crate::seccomp::{self, Filter, SockFilter};
use crate::stdio::{ChildStderr, ChildStdin, ChildStdout, Kind, Stdio};
use crate::sys as libc;
use crate::windows::{JobFlags, RawHandle};

/// A process to start, with its security attributes.
///
/// The child is created vfork-style by libspx (`clone3(CLONE_VM |
/// CLONE_VFORK)`), whatever is set: unlike `std::process::Command`, which
/// falls back to fork+exec as soon as a uid, gid, groups or `pre_exec` is
/// set, a spawn costs the same with every attribute and at any parent size.
///
/// ```no_run
/// # fn main() -> Result<(), spx::Error> {
/// // ntpd as nobody, with exactly CAP_SYS_TIME.
/// let status = spx::Command::new("/usr/sbin/ntpd")
///     .arg("-q")
///     .uid(65534)
///     .gid(65534)
///     .groups(&[])
///     .ambient_caps(&[spx::Cap::SYS_TIME])
///     .stdin(spx::Stdio::null())
///     .status()?;
/// # Ok(()) }
/// ```
///
/// Settings are checked when the command is spawned: a bad one makes
/// [`spawn`](Command::spawn) fail with [`Stage::PREPARE`](crate::Stage::PREPARE)
/// and `EINVAL` (or the errno the library gives), naming the setting. Each
/// spawn builds a fresh library attribute object, so a `Command` can be
/// spawned any number of times, and the pipes of one spawn are never open
/// in the next.
///
/// As std does, the child gets SIGPIPE back at its default action (Rust
/// programs ignore it, and an ignored signal stays ignored across exec).
/// Every descriptor of the caller other than 0, 1, 2 and those given to
/// [`fd`](Command::fd) is closed in the child, with or without `O_CLOEXEC`.
pub struct Command {
    program: OsString,
    arg0: Option<OsString>,
    args: Vec<OsString>,
    env_clear: bool,
    env: BTreeMap<OsString, Option<OsString>>,
    cwd: Option<PathBuf>,
    stdio: [Option<Stdio>; 3],
    fds: Vec<(RawFd, Option<OwnedFd>)>,
    search_path: Option<bool>,
    uid: Option<u32>,
    gid: Option<u32>,
    groups: Groups,
    ambient: Option<Vec<Cap>>,
    inheritable: Option<Vec<Cap>>,
    bounding: Option<Vec<Cap>>,
    no_new_privs: bool,
    chroot: Option<PathBuf>,
    landlock: Option<Option<OwnedFd>>,
    landlock_best_effort: bool,
    landlock_flags: RestrictFlags,
    seccomp: Option<Seccomp>,
    exec_fd: Option<OwnedFd>,
    exec_dirfd: Option<(OwnedFd, bool)>,
    sigmask: Option<Vec<i32>>,
    sigdefault: Vec<i32>,
    rlimits: Vec<(Resource, u64, u64)>,
    setsid: bool,
    pgroup: Option<i64>,
    ctty: Option<RawFd>,
    foreground: Option<RawFd>,
    cgroup: Option<OwnedFd>,
    pdeathsig: Option<i32>,
    umask: Option<u32>,
    securebits: Option<SecureBits>,
    appcontainer: Option<(OsString, Vec<OsString>)>,
    appcontainer_flags: Option<appcontainer::Flags>,
    job: Option<JobFlags>,
    // Handles as integers, so that a Command stays Send and Sync.
    stdio_handles: Vec<(i32, usize)>,
    handles: Vec<usize>,
    /// A setting that could not even be recorded (a descriptor that could
    /// not be duplicated, a ruleset that could not be created): returned by
    /// every spawn.
    error: Option<Error>,
}

enum Groups {
    Default,
    Exactly(Vec<u32>),
    Keep,
}

enum Seccomp {
    Filter(Arc<seccomp::Handle>),
    Bpf(Vec<SockFilter>),
}

impl Command {
    /// A command running `program`: a path, or a name without `/` looked up
    /// in `PATH` when spawned (in the calling process, for the identity the
    /// child will have, inside the chroot if one is set). The lookup uses
    /// the caller's `PATH`, not one given to [`env`](Command::env).
    pub fn new<S: AsRef<OsStr>>(program: S) -> Command {
        Command {
            program: program.as_ref().to_owned(),
            arg0: None,
            args: Vec::new(),
            env_clear: false,
            env: BTreeMap::new(),
            cwd: None,
            stdio: [None, None, None],
            fds: Vec::new(),
            search_path: None,
            uid: None,
            gid: None,
            groups: Groups::Default,
            ambient: None,
            inheritable: None,
            bounding: None,
            no_new_privs: false,
            chroot: None,
            landlock: None,
            landlock_best_effort: false,
            landlock_flags: RestrictFlags::empty(),
            seccomp: None,
            exec_fd: None,
            exec_dirfd: None,
            sigmask: None,
            sigdefault: Vec::new(),
            rlimits: Vec::new(),
            setsid: false,
            pgroup: None,
            ctty: None,
            foreground: None,
            cgroup: None,
            pdeathsig: None,
            umask: None,
            securebits: None,
            appcontainer: None,
            appcontainer_flags: None,
            job: None,
            stdio_handles: Vec::new(),
            handles: Vec::new(),
            error: None,
        }
    }

    // ---- std::process::Command -------------------------------------------

    /// Add an argument.
    pub fn arg<S: AsRef<OsStr>>(&mut self, arg: S) -> &mut Command {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Add arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// The child's `argv[0]` (the program by default).
    pub fn arg0<S: AsRef<OsStr>>(&mut self, arg0: S) -> &mut Command {
        self.arg0 = Some(arg0.as_ref().to_owned());
        self
    }

    /// Set an environment variable (on top of the caller's environment,
    /// unless [`env_clear`](Command::env_clear)).
    pub fn env<K: AsRef<OsStr>, V: AsRef<OsStr>>(&mut self, key: K, val: V) -> &mut Command {
        self.env
            .insert(key.as_ref().to_owned(), Some(val.as_ref().to_owned()));
        self
    }

    /// Set environment variables.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        for (k, v) in vars {
            self.env(k, v);
        }
        self
    }

    /// Remove a variable from the child's environment.
    pub fn env_remove<K: AsRef<OsStr>>(&mut self, key: K) -> &mut Command {
        self.env.insert(key.as_ref().to_owned(), None);
        self
    }

    /// Start from an empty environment (and forget earlier `env` calls).
    pub fn env_clear(&mut self) -> &mut Command {
        self.env_clear = true;
        self.env.clear();
        self
    }

    /// The child's working directory (inside the [`chroot`](Command::chroot),
    /// if one is set). A directory that does not exist fails at
    /// [`Stage::CHDIR`](crate::Stage::CHDIR).
    pub fn current_dir<P: AsRef<Path>>(&mut self, dir: P) -> &mut Command {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    /// The child's standard input. Default: inherited, except for
    /// [`output`](Command::output) (`/dev/null`).
    pub fn stdin<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.stdio[0] = Some(cfg.into());
        self
    }

    /// The child's standard output. Default: inherited, except for
    /// [`output`](Command::output) (piped).
    pub fn stdout<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.stdio[1] = Some(cfg.into());
        self
    }

    /// The child's standard error. Default: inherited, except for
    /// [`output`](Command::output) (piped).
    pub fn stderr<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.stdio[2] = Some(cfg.into());
        self
    }

    /// The program given to [`new`](Command::new).
    pub fn get_program(&self) -> &OsStr {
        &self.program
    }

    /// The arguments, without `argv[0]`.
    pub fn get_args(&self) -> impl Iterator<Item = &OsStr> {
        self.args.iter().map(|a| a.as_os_str())
    }

    /// The working directory, if set.
    pub fn get_current_dir(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// Start the child. Its standard streams are inherited unless set.
    pub fn spawn(&mut self) -> Result<Child> {
        self.spawn_with([StdioDefault::Inherit; 3])
    }

    /// Run the child to completion and return its exit status (streams
    /// inherited unless set).
    pub fn status(&mut self) -> Result<ExitStatus> {
        let mut child = self.spawn_with([StdioDefault::Inherit; 3])?;
        Ok(child.wait()?)
    }

    /// Run the child to completion, collecting its standard output and error
    /// (piped unless set; standard input is `/dev/null` unless set).
    pub fn output(&mut self) -> Result<Output> {
        let child =
            self.spawn_with([StdioDefault::Null, StdioDefault::Piped, StdioDefault::Piped])?;
        Ok(child.wait_with_output()?)
    }

    // ---- std::os::unix::process::CommandExt -------------------------------

    /// Run the child as this user id (real, effective and saved; needs
    /// CAP_SETUID).
    ///
    /// A uid needs a [`gid`](Command::gid): a uid alone is refused (`EINVAL`
    /// at [`Stage::PREPARE`](crate::Stage::PREPARE)), since keeping the
    /// caller's group, often root's, is never what a privilege drop means.
    /// A uid or gid other than the caller's also clears what the child would
    /// otherwise inherit unasked: its supplementary groups (unless
    /// [`groups`](Command::groups) or [`keep_groups`](Command::keep_groups)),
    /// its ambient capabilities (unless [`ambient_caps`](Command::ambient_caps))
    /// and its inheritable ones (unless
    /// [`inheritable_caps`](Command::inheritable_caps)). A uid and gid equal
    /// to the caller's own change and clear nothing.
    pub fn uid(&mut self, uid: u32) -> &mut Command {
        self.uid = Some(uid);
        self
    }

    /// Run the child with this group id (real, effective and saved; needs
    /// CAP_SETGID). See [`uid`](Command::uid) for what a new identity clears.
    pub fn gid(&mut self, gid: u32) -> &mut Command {
        self.gid = Some(gid);
        self
    }

    /// Exactly these supplementary groups (empty: none). Replaces
    /// [`keep_groups`](Command::keep_groups).
    pub fn groups(&mut self, groups: &[u32]) -> &mut Command {
        self.groups = Groups::Exactly(groups.to_vec());
        self
    }

    /// Keep the caller's supplementary groups across a uid or gid change
    /// (no setgroups(2) call) instead of clearing them: for a caller without
    /// CAP_SETGID, or in a user namespace that denies setgroups, that knows
    /// its groups are safe to pass on (Go's `NoSetGroups`). Replaces
    /// [`groups`](Command::groups); `false` restores the default.
    pub fn keep_groups(&mut self, keep: bool) -> &mut Command {
        self.groups = if keep { Groups::Keep } else { Groups::Default };
        self
    }

    // ---- capabilities and privileges ---------------------------------------

    /// Exactly the child's ambient capabilities. They survive the change to
    /// [`uid`](Command::uid): the program runs with them permitted and
    /// effective (and inheritable), and nothing else. Each must be in the
    /// bounding set (the caller's, and [`bounding_caps`](Command::bounding_caps)'s).
    /// A child that stays root gets every capability from exec anyway,
    /// unless [`securebits`](Command::securebits) says `NOROOT`. An empty
    /// slice clears the ambient set.
    pub fn ambient_caps(&mut self, caps: &[Cap]) -> &mut Command {
        self.ambient = Some(caps.to_vec());
        self
    }

    /// The child's inheritable set: exactly these, plus the ambient ones.
    pub fn inheritable_caps(&mut self, caps: &[Cap]) -> &mut Command {
        self.inheritable = Some(caps.to_vec());
        self
    }

    /// Reduce the child's bounding set to exactly these (needs CAP_SETPCAP);
    /// empty empties it.
    pub fn bounding_caps(&mut self, keep: &[Cap]) -> &mut Command {
        self.bounding = Some(keep.to_vec());
        self
    }

    /// Set no_new_privs in the child: nothing it runs gains privileges from
    /// set-user-ID bits or file capabilities. A Landlock ruleset or seccomp
    /// filter sets it anyway, unless the child keeps CAP_SYS_ADMIN.
    pub fn no_new_privs(&mut self, on: bool) -> &mut Command {
        self.no_new_privs = on;
        self
    }

    /// chroot(2) the child into `dir` (needs CAP_SYS_CHROOT); the program
    /// and the working directory are then found inside it.
    pub fn chroot<P: AsRef<Path>>(&mut self, dir: P) -> &mut Command {
        self.chroot = Some(dir.as_ref().to_owned());
        self
    }

    /// The child's securebits (`SecureBits::NOROOT | SecureBits::NOROOT_LOCKED`
    /// makes a child that stays root get exactly its ambient capabilities).
    /// Bits the kernel lacks fail at [`Stage::SECUREBITS`](crate::Stage::SECUREBITS).
    pub fn securebits(&mut self, bits: SecureBits) -> &mut Command {
        self.securebits = Some(bits);
        self
    }

    // ---- sandboxes -----------------------------------------------------------

    /// Restrict the child (only the child) with this Landlock ruleset. The
    /// kernel ruleset is created now, once, and given to every spawn; a
    /// best-effort ruleset with nothing to enforce on this kernel leaves the
    /// child unrestricted (see [`Ruleset::status`]).
    pub fn landlock(&mut self, ruleset: &Ruleset) -> &mut Command {
        match ruleset.create_fd() {
            Ok(fd) => {
                self.landlock = Some(fd);
                self.landlock_best_effort = ruleset.compat() == Compat::BestEffort;
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Restrict the child with a Landlock ruleset descriptor made elsewhere
    /// (duplicated now).
    pub fn landlock_fd<F: AsFd>(&mut self, ruleset: F) -> &mut Command {
        if let Some(fd) = self.dup(ruleset, "landlock fd") {
            self.landlock = Some(Some(fd));
            self.landlock_best_effort = false;
        }
        self
    }

    /// Flags for the child's `landlock_restrict_self` (ABI 7):
    /// [`RestrictFlags::LOG_NEW_EXEC_ON`], for instance, has the kernel log
    /// the program's denials. They apply with a ruleset, except
    /// [`RestrictFlags::LOG_SUBDOMAINS_OFF`], which also works alone. On a
    /// kernel without them the spawn fails with `ENOTSUP` at
    /// [`Stage::LANDLOCK`](crate::Stage::LANDLOCK), unless the ruleset given
    /// to [`landlock`](Command::landlock) is [`Compat::BestEffort`]: then
    /// they are dropped.
    pub fn landlock_flags(&mut self, flags: RestrictFlags) -> &mut Command {
        self.landlock_flags = flags;
        self
    }

    /// Install this seccomp filter in the child, just before exec. Later
    /// changes to `filter` do not affect this command.
    pub fn seccomp(&mut self, filter: &Filter) -> &mut Command {
        self.seccomp = Some(Seccomp::Filter(filter.shared()));
        self
    }

    /// Install a raw classic-BPF program (1..=4096 instructions) instead; its
    /// author must allow the exec.
    pub fn seccomp_bpf(&mut self, program: &[SockFilter]) -> &mut Command {
        self.seccomp = Some(Seccomp::Bpf(program.to_vec()));
        self
    }

    /// Windows only: run the child in the AppContainer profile `name`
    /// (created when missing, never deleted implicitly: see
    /// [`appcontainer::delete`]) with these capabilities, names
    /// (`"internetClient"`, `"lpacCom"`) or SID strings (`"S-1-15-3-1"`).
    /// The spawn fails closed: a child whose token is not confined as asked
    /// is terminated before it runs ([`Stage::APPCONTAINER`](crate::Stage::APPCONTAINER)).
    /// On Linux, spawning fails with `ENOTSUP`.
    pub fn appcontainer<S: AsRef<OsStr>>(
        &mut self,
        name: S,
        capability_sids: &[S],
    ) -> &mut Command {
        let sids = capability_sids
            .iter()
            .map(|s| s.as_ref().to_owned())
            .collect();
        self.appcontainer = Some((name.as_ref().to_owned(), sids));
        self
    }

    /// Windows only: options of the [`appcontainer`](Command::appcontainer)
    /// ([`appcontainer::Flags::LPAC`], [`appcontainer::Flags::NO_PROFILE`]).
    pub fn appcontainer_flags(&mut self, flags: appcontainer::Flags) -> &mut Command {
        self.appcontainer_flags = Some(flags);
        self
    }

    /// Windows only: start the child inside a new job object, from its first
    /// instruction (its own children join it; [`Child::kill`] ends the
    /// whole job), with these options. A job that cannot be set up fails at
    /// [`Stage::JOB`](crate::Stage::JOB). On Linux, spawning fails with
    /// `ENOTSUP`.
    pub fn job(&mut self, flags: JobFlags) -> &mut Command {
        self.job = Some(flags);
        self
    }

    /// Windows only: the handle the child gets as its standard input (0),
    /// output (1) or error (2); null for none. Not copied: it must stay
    /// open until the spawns that use it have returned. On Linux, spawning
    /// fails with `ENOTSUP` (use [`stdin`](Command::stdin) and the like).
    pub fn stdio_handle(&mut self, which: i32, handle: RawHandle) -> &mut Command {
        self.stdio_handles.retain(|(w, _)| *w != which);
        self.stdio_handles.push((which, handle as usize));
        self
    }

    /// Windows only: let the child inherit `handle` with the same value.
    /// Only the standard handles and those given here are inherited
    /// (`PROC_THREAD_ATTRIBUTE_HANDLE_LIST`). The library makes the handle
    /// inheritable; it must stay open until the spawns that use it have
    /// returned. On Linux, spawning fails with `ENOTSUP`.
    pub fn inherit_handle(&mut self, handle: RawHandle) -> &mut Command {
        self.handles.push(handle as usize);
        self
    }

    // ---- what is executed -----------------------------------------------------

    /// Execute this file descriptor (`execveat(fd, "", AT_EMPTY_PATH)`)
    /// instead of a path: a sealed memfd, an `O_PATH` or read-only
    /// descriptor. The program given to [`new`](Command::new) is then only
    /// `argv[0]`. The descriptor is duplicated now and is not inherited by
    /// the program (except by a `#!` script's interpreter, which needs it).
    pub fn exec_fd<F: AsFd>(&mut self, fd: F) -> &mut Command {
        if let Some(fd) = self.dup(fd, "exec fd") {
            self.exec_fd = Some(fd);
        }
        self
    }

    /// Resolve the program relative to this directory (`execveat(dirfd,
    /// program)`), without `PATH` search; `nofollow` refuses a final
    /// symbolic link.
    pub fn exec_dirfd<F: AsFd>(&mut self, dirfd: F, nofollow: bool) -> &mut Command {
        if let Some(fd) = self.dup(dirfd, "exec dirfd") {
            self.exec_dirfd = Some((fd, nofollow));
        }
        self
    }

    /// Whether to look the program up in `PATH`. By default, as std does, a
    /// program without `/` is looked up and one with `/` is not.
    pub fn search_path(&mut self, on: bool) -> &mut Command {
        self.search_path = Some(on);
        self
    }

    // ---- descriptors and signals -------------------------------------------

    /// Give the child `fd` as its descriptor `child_fd` (duplicated now;
    /// any permutation works). Mapping the same `child_fd` again replaces it.
    pub fn fd<F: AsFd>(&mut self, child_fd: RawFd, fd: F) -> &mut Command {
        if let Some(fd) = self.dup(fd, "fd") {
            self.fds.push((child_fd, Some(fd)));
        }
        self
    }

    /// Close `child_fd` in the child (for 0, 1 or 2, which are otherwise
    /// inherited).
    pub fn close_fd(&mut self, child_fd: RawFd) -> &mut Command {
        self.fds.push((child_fd, None));
        self
    }

    /// Exactly these signals blocked in the child at exec (default: the
    /// spawning thread's mask).
    pub fn sigmask(&mut self, signals: &[i32]) -> &mut Command {
        self.sigmask = Some(signals.to_vec());
        self
    }

    /// Reset these signals to their default action in the child even if the
    /// caller ignores them (SIGPIPE always is; caught signals always are).
    pub fn sigdefault(&mut self, signals: &[i32]) -> &mut Command {
        self.sigdefault = signals.to_vec();
        self
    }

    /// Send `signal` to the child when the spawning **thread** exits (the
    /// kernel ties it to the thread, not the process: spawn from a thread
    /// that lives as long as the child should). 0: none.
    pub fn pdeathsig(&mut self, signal: i32) -> &mut Command {
        self.pdeathsig = Some(signal);
        self
    }

    // ---- limits, session, cgroup, umask ------------------------------------

    /// Set a resource limit in the child (before its identity changes, so
    /// raising a hard limit works while still privileged). `Resource::INFINITY`
    /// is unlimited. Setting the same resource again replaces it.
    pub fn rlimit(&mut self, resource: Resource, soft: u64, hard: u64) -> &mut Command {
        self.rlimits.retain(|(r, _, _)| *r != resource);
        self.rlimits.push((resource, soft, hard));
        self
    }

    /// Start the child in a new session (and process group) that it leads,
    /// without a controlling terminal.
    pub fn setsid(&mut self, on: bool) -> &mut Command {
        self.setsid = on;
        self
    }

    /// The child's process group (as std's `process_group`): 0 a new group
    /// led by the child, > 0 join that group, -1 the caller's (default).
    pub fn process_group(&mut self, pgid: i64) -> &mut Command {
        self.pgroup = Some(pgid);
        self
    }

    /// After [`setsid`](Command::setsid), make the terminal at the child's
    /// descriptor `child_fd` its controlling terminal; -1: none.
    pub fn controlling_tty(&mut self, child_fd: RawFd) -> &mut Command {
        self.ctty = Some(child_fd);
        self
    }

    /// Make the child's process group the foreground group of the terminal
    /// at the child's descriptor `child_fd`; -1: none.
    pub fn foreground(&mut self, child_fd: RawFd) -> &mut Command {
        self.foreground = Some(child_fd);
        self
    }

    /// Create the child directly in this cgroup v2 directory
    /// (`CLONE_INTO_CGROUP`): it never runs outside it. Duplicated now.
    pub fn cgroup<F: AsFd>(&mut self, dir: F) -> &mut Command {
        if let Some(fd) = self.dup(dir, "cgroup fd") {
            self.cgroup = Some(fd);
        }
        self
    }

    /// The child's umask (0..=0o777).
    pub fn umask(&mut self, mask: u32) -> &mut Command {
        self.umask = Some(mask);
        self
    }

    // ---- the spawn -------------------------------------------------------------

    fn fail(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn dup<F: AsFd>(&mut self, fd: F, what: &str) -> Option<OwnedFd> {
        match fd.as_fd().try_clone_to_owned() {
            Ok(fd) => Some(fd),
            Err(e) => {
                self.fail(Error::prepare(e.raw_os_error().unwrap_or(EINVAL), what));
                None
            }
        }
    }

    fn spawn_with(&mut self, defaults: [StdioDefault; 3]) -> Result<Child> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let attr = Attr::new()?;
        let mut ends: [Option<File>; 3] = [None, None, None];
        for (i, default) in defaults.iter().enumerate() {
            let kind = match &self.stdio[i] {
                Some(Stdio(kind)) => kind,
                None => match default {
                    StdioDefault::Inherit => &Kind::Inherit,
                    StdioDefault::Null => &Kind::Null,
                    StdioDefault::Piped => &Kind::Piped,
                },
            };
            ends[i] = stdio_into(&attr, i as RawFd, kind)?;
        }
        self.configure(&attr)?;

        let path = if self.exec_fd.is_some() {
            None
        } else {
            Some(cstring(self.program.as_bytes().to_vec(), "program")?)
        };
        let argv0 = self.arg0.as_ref().unwrap_or(&self.program);
        let argv = cstrings(
            std::iter::once(argv0)
                .chain(&self.args)
                .map(|a| a.as_bytes().to_vec()),
            "argument",
        )?;
        let argv_ptrs = null_terminated(&argv);
        let envp = self.environment()?;
        let envp_ptrs = envp.as_ref().map(|e| null_terminated(e));

        let mut raw = ptr::null_mut();
        // SAFETY: zeroed is a valid spx_error (integers and a char array).
        let mut err: sys::spx_error = unsafe { std::mem::zeroed() };
        // SAFETY: every pointer is valid for the call; the arrays are
        // NULL-terminated and their strings outlive it.
        let rc = unsafe {
            sys::spx_spawn(
                &mut raw,
                attr.as_ptr(),
                path.as_ref().map_or(ptr::null(), |p| p.as_ptr()),
                argv_ptrs.as_ptr(),
                envp_ptrs.as_ref().map_or(ptr::null(), |e| e.as_ptr()),
                &mut err,
            )
        };
        if rc != 0 {
            return Err(Error::from_spawn(rc, &err));
        }
        let raw = NonNull::new(raw).expect("spx_spawn succeeded with a handle");
        // SAFETY: a fresh handle, owned from now on by the Child.
        let process = unsafe { Process::from_raw(raw) };
        let [i, o, e] = ends;
        Ok(Child::new(
            process,
            i.map(ChildStdin),
            o.map(ChildStdout),
            e.map(ChildStderr),
        ))
    }

    /// Every setting but the standard streams, into `attr`.
    fn configure(&self, attr: &Attr) -> Result<()> {
        for (child_fd, fd) in &self.fds {
            let parent = fd.as_ref().map_or(-1, |f| f.as_raw_fd());
            // SAFETY (all setters below): valid object, pointers to live
            // data of the given length.
            attr.set(&format!("fd {child_fd}"), |a| unsafe {
                sys::spx_attr_set_fd(a, *child_fd, parent)
            })?;
        }
        if let Some(dir) = &self.cwd {
            attr.set_str("current_dir", dir.as_os_str().as_bytes(), |a, s| unsafe {
                sys::spx_attr_set_cwd(a, s)
            })?;
        }
        if let Some(dir) = &self.chroot {
            attr.set_str("chroot", dir.as_os_str().as_bytes(), |a, s| unsafe {
                sys::spx_attr_set_chroot(a, s)
            })?;
        }
        let search = self.search_path.unwrap_or_else(|| {
            self.exec_fd.is_none()
                && self.exec_dirfd.is_none()
                && !self.program.as_bytes().contains(&b'/')
        });
        if search {
            attr.set("search_path", |a| unsafe {
                sys::spx_attr_set_search_path(a, 1)
            })?;
        }
        if let Some(uid) = self.uid {
            attr.set("uid", |a| unsafe { sys::spx_attr_set_uid(a, uid) })?;
        }
        if let Some(gid) = self.gid {
            attr.set("gid", |a| unsafe { sys::spx_attr_set_gid(a, gid) })?;
        }
        match &self.groups {
            Groups::Default => {}
            Groups::Exactly(g) => attr.set("groups", |a| unsafe {
                sys::spx_attr_set_groups(a, g.as_ptr(), g.len())
            })?,
            Groups::Keep => attr.set("keep_groups", |a| unsafe {
                sys::spx_attr_set_keep_groups(a, 1)
            })?,
        }
        if let Some(caps) = &self.ambient {
            let c = raw_caps(caps);
            attr.set("ambient_caps", |a| unsafe {
                sys::spx_attr_set_ambient(a, c.as_ptr(), c.len())
            })?;
        }
        if let Some(caps) = &self.inheritable {
            let c = raw_caps(caps);
            attr.set("inheritable_caps", |a| unsafe {
                sys::spx_attr_set_inheritable(a, c.as_ptr(), c.len())
            })?;
        }
        if let Some(caps) = &self.bounding {
            let c = raw_caps(caps);
            attr.set("bounding_caps", |a| unsafe {
                sys::spx_attr_set_bounding(a, c.as_ptr(), c.len())
            })?;
        }
        if self.no_new_privs {
            attr.set("no_new_privs", |a| unsafe {
                sys::spx_attr_set_no_new_privs(a, 1)
            })?;
        }
        if let Some(bits) = self.securebits {
            attr.set("securebits", |a| unsafe {
                sys::spx_attr_set_securebits(a, bits.bits())
            })?;
        }
        if let Some(Some(fd)) = &self.landlock {
            let fd = fd.as_raw_fd();
            attr.set("landlock", |a| unsafe {
                sys::spx_attr_set_landlock_fd(a, fd)
            })?;
        }
        let flags = restrict_flags(
            self.landlock_flags,
            self.landlock_best_effort,
            crate::landlock::abi(),
        );
        if !flags.is_empty() {
            attr.set("landlock_flags", |a| unsafe {
                sys::spx_attr_set_landlock_flags(a, flags.bits())
            })?;
        }
        match &self.seccomp {
            None => {}
            Some(Seccomp::Filter(h)) => attr.set("seccomp", |a| unsafe {
                sys::spx_attr_set_seccomp(a, h.as_ptr())
            })?,
            Some(Seccomp::Bpf(p)) => attr.set("seccomp_bpf", |a| unsafe {
                sys::spx_attr_set_seccomp_bpf(a, p.as_ptr().cast(), p.len())
            })?,
        }
        if let Some((name, sids)) = &self.appcontainer {
            let name = cstring(name.as_bytes().to_vec(), "appcontainer")?;
            let sids = cstrings(sids.iter().map(|s| s.as_bytes().to_vec()), "appcontainer")?;
            let ptrs: Vec<*const c_char> = sids.iter().map(|s| s.as_ptr()).collect();
            attr.set("appcontainer", |a| unsafe {
                sys::spx_attr_set_appcontainer(a, name.as_ptr(), ptrs.as_ptr(), ptrs.len())
            })?;
        }
        if let Some(flags) = self.appcontainer_flags {
            attr.set("appcontainer_flags", |a| unsafe {
                sys::spx_attr_set_appcontainer_flags(a, flags.bits())
            })?;
        }
        if let Some(flags) = self.job {
            attr.set("job", |a| unsafe { sys::spx_attr_set_job(a, flags.bits()) })?;
        }
        for &(which, handle) in &self.stdio_handles {
            attr.set(&format!("stdio_handle {which}"), |a| unsafe {
                sys::spx_attr_set_stdio_handle(a, which, handle as RawHandle)
            })?;
        }
        for &handle in &self.handles {
            attr.set("inherit_handle", |a| unsafe {
                sys::spx_attr_add_handle(a, handle as RawHandle)
            })?;
        }
        if let Some(fd) = &self.exec_fd {
            let fd = fd.as_raw_fd();
            attr.set("exec_fd", |a| unsafe { sys::spx_attr_set_execfd(a, fd) })?;
        }
        if let Some((fd, nofollow)) = &self.exec_dirfd {
            let (fd, flags) = (
                fd.as_raw_fd(),
                if *nofollow {
                    sys::SPX_AT_SYMLINK_NOFOLLOW as i32
                } else {
                    0
                },
            );
            attr.set("exec_dirfd", |a| unsafe {
                sys::spx_attr_set_exec_dirfd(a, fd, flags)
            })?;
        }
        if let Some(mask) = &self.sigmask {
            attr.set("sigmask", |a| unsafe {
                sys::spx_attr_set_sigmask(a, mask.as_ptr(), mask.len())
            })?;
        }
        let mut dfl = vec![libc::SIGPIPE];
        dfl.extend(self.sigdefault.iter().filter(|&&s| s != libc::SIGPIPE));
        attr.set("sigdefault", |a| unsafe {
            sys::spx_attr_set_sigdefault(a, dfl.as_ptr(), dfl.len())
        })?;
        if let Some(sig) = self.pdeathsig {
            attr.set("pdeathsig", |a| unsafe {
                sys::spx_attr_set_pdeathsig(a, sig)
            })?;
        }
        for (r, soft, hard) in &self.rlimits {
            let what = format!("rlimit {r:?}");
            attr.set(&what, |a| unsafe {
                sys::spx_attr_set_rlimit(a, r.raw(), *soft, *hard)
            })?;
        }
        if self.setsid {
            attr.set("setsid", |a| unsafe { sys::spx_attr_set_setsid(a, 1) })?;
        }
        if let Some(pgid) = self.pgroup {
            attr.set("process_group", |a| unsafe {
                sys::spx_attr_set_pgroup(a, pgid)
            })?;
        }
        if let Some(fd) = self.ctty {
            attr.set("controlling_tty", |a| unsafe {
                sys::spx_attr_set_ctty(a, fd)
            })?;
        }
        if let Some(fd) = self.foreground {
            attr.set("foreground", |a| unsafe {
                sys::spx_attr_set_foreground(a, fd)
            })?;
        }
        if let Some(fd) = &self.cgroup {
            let fd = fd.as_raw_fd();
            attr.set("cgroup", |a| unsafe { sys::spx_attr_set_cgroup_fd(a, fd) })?;
        }
        if let Some(mask) = self.umask {
            let mask = i32::try_from(mask).map_err(|_| Error::prepare(EINVAL, "umask"))?;
            attr.set("umask", |a| unsafe { sys::spx_attr_set_umask(a, mask) })?;
        }
        Ok(())
    }

    /// The child's environment, or `None` to inherit the caller's as is.
    fn environment(&self) -> Result<Option<Vec<CString>>> {
        if !self.env_clear && self.env.is_empty() {
            return Ok(None);
        }
        let mut vars: BTreeMap<OsString, OsString> = BTreeMap::new();
        if !self.env_clear {
            vars.extend(std::env::vars_os());
        }
        for (k, v) in &self.env {
            let key = k.as_bytes();
            if key.is_empty() || key.contains(&b'=') {
                return Err(Error::prepare(
                    EINVAL,
                    &format!("environment variable {k:?}"),
                ));
            }
            match v {
                Some(v) => vars.insert(k.clone(), v.clone()),
                None => vars.remove(k),
            };
        }
        let pairs = vars.into_iter().map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend(v.into_vec());
            kv
        });
        cstrings(pairs, "environment").map(Some)
    }
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.program)?;
        for a in &self.args {
            write!(f, " {a:?}")?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum StdioDefault {
    Inherit,
    Null,
    Piped,
}

/// Connect the child's descriptor `fd` as `kind` says; the parent's end of
/// a pipe is returned. The library duplicates what it is given, so the
/// child's ends are closed here as soon as they are set.
fn stdio_into(attr: &Attr, fd: RawFd, kind: &Kind) -> Result<Option<File>> {
    let what = ["stdin", "stdout", "stderr"][fd as usize];
    let io_err = |e: std::io::Error| Error::prepare(e.raw_os_error().unwrap_or(EINVAL), what);
    let set = |child_end: RawFd| {
        // SAFETY: valid object; the descriptor is open.
        attr.set(what, |a| unsafe { sys::spx_attr_set_fd(a, fd, child_end) })
    };
    match kind {
        Kind::Inherit => Ok(None),
        Kind::Null => {
            let null = if fd == 0 {
                File::open("/dev/null")
            } else {
                OpenOptions::new().write(true).open("/dev/null")
            }
            .map_err(io_err)?;
            set(null.as_raw_fd()).map(|_| None)
        }
        Kind::Piped => {
            let (read, write) = libc::pipe().map_err(io_err)?;
            let (child_end, parent_end) = if fd == 0 {
                (read, write)
            } else {
                (write, read)
            };
            set(child_end.as_raw_fd())?;
            Ok(Some(File::from(parent_end)))
        }
        Kind::Fd(f) => set(f.as_raw_fd()).map(|_| None),
    }
}

fn cstring(s: Vec<u8>, what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::prepare(EINVAL, &format!("{what} contains a NUL byte")))
}

fn cstrings<I: IntoIterator<Item = Vec<u8>>>(items: I, what: &str) -> Result<Vec<CString>> {
    items.into_iter().map(|s| cstring(s, what)).collect()
}

fn null_terminated(strings: &[CString]) -> Vec<*const c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr())
        .chain(std::iter::once(ptr::null()))
        .collect()
}

/// The restrict_self flags a spawn passes. The library makes them best
/// effort for a best-effort ruleset given by spx_attr_set_landlock(); this
/// crate gives the descriptor instead (created once per command), so it
/// drops them itself, as the library would, on a kernel that lacks them.
fn restrict_flags(flags: RestrictFlags, best_effort: bool, kernel_abi: u32) -> RestrictFlags {
    if best_effort && kernel_abi < RESTRICT_FLAGS_ABI {
        RestrictFlags::empty()
    } else {
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_effort_drops_the_restrict_flags_on_a_kernel_without_them() {
        let f = RestrictFlags::LOG_NEW_EXEC_ON | RestrictFlags::LOG_SUBDOMAINS_OFF;
        assert_eq!(restrict_flags(f, true, 6), RestrictFlags::empty());
        assert_eq!(restrict_flags(f, true, 0), RestrictFlags::empty());
        assert_eq!(restrict_flags(f, true, 7), f);
        // Strict (or a descriptor): the library refuses them at the landlock stage.
        assert_eq!(restrict_flags(f, false, 6), f);
    }
}
