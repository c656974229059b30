//! Errors: the stage that failed, its errno and the library's message.

use std::ffi::CStr;
use std::fmt;
use std::io;

use spx_sys as sys;

/// A `Result` whose error is an [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Where a spawn failed: in the parent ([`Stage::PREPARE`]) or at one of the
/// child's ordered stages (signals, chroot, bounding set, setgroups, setgid,
/// setuid, caps, ambient, chdir, fds, no_new_privs, Landlock, signal mask,
/// seccomp, exec).
///
/// A number rather than an enum, so that stages a newer libspx adds are still
/// reported (with their name from the library) instead of being lost.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stage(i32);

macro_rules! stages {
    ($($(#[$m:meta])* $name:ident = $c:ident;)*) => {
        impl Stage {
            $($(#[$m])* pub const $name: Stage = Stage(sys::$c as i32);)*
        }
    };
}

stages! {
    /// Nothing failed, or an error that is not the library's (an I/O error
    /// while reading a child's output, for instance).
    NONE = SPX_STAGE_NONE;
    /// Parent side: argument checks, path lookup, allocation, plan building.
    PREPARE = SPX_STAGE_PREPARE;
    /// Creating the child (clone3/clone).
    CLONE = SPX_STAGE_CLONE;
    /// chroot(2).
    CHROOT = SPX_STAGE_CHROOT;
    /// chdir(2) into the working directory.
    CHDIR = SPX_STAGE_CHDIR;
    /// Dropping capabilities from the bounding set.
    BOUNDING = SPX_STAGE_BOUNDING;
    /// setgroups(2).
    SETGROUPS = SPX_STAGE_SETGROUPS;
    /// setresgid(2).
    SETGID = SPX_STAGE_SETGID;
    /// setresuid(2).
    SETUID = SPX_STAGE_SETUID;
    /// Keeping capabilities across the uid change and capset(2).
    CAPS = SPX_STAGE_CAPS;
    /// Clearing and raising the ambient set.
    AMBIENT = SPX_STAGE_AMBIENT;
    /// Arranging descriptors and closing the others.
    FDS = SPX_STAGE_FDS;
    /// prctl(PR_SET_NO_NEW_PRIVS).
    NO_NEW_PRIVS = SPX_STAGE_NO_NEW_PRIVS;
    /// landlock_restrict_self(2).
    LANDLOCK = SPX_STAGE_LANDLOCK;
    /// Installing the seccomp filter.
    SECCOMP = SPX_STAGE_SECCOMP;
    /// execve(2) / execveat(2).
    EXEC = SPX_STAGE_EXEC;
    /// Resetting signal dispositions.
    SIGNALS = SPX_STAGE_SIGNALS;
    /// setrlimit(2).
    RLIMIT = SPX_STAGE_RLIMIT;
    /// setsid, setpgid, TIOCSCTTY, tcsetpgrp.
    SESSION = SPX_STAGE_SESSION;
    /// Placement in the cgroup.
    CGROUP = SPX_STAGE_CGROUP;
    /// prctl(PR_SET_PDEATHSIG).
    PDEATHSIG = SPX_STAGE_PDEATHSIG;
    /// Setting the securebits.
    SECUREBITS = SPX_STAGE_SECUREBITS;
    /// umask(2).
    UMASK = SPX_STAGE_UMASK;
    /// Windows: building the AppContainer profile.
    APPCONTAINER = SPX_STAGE_APPCONTAINER;
    /// Windows: CreateProcessW.
    CREATE_PROCESS = SPX_STAGE_CREATE_PROCESS;
    /// Windows: creating the job object of [`Command::job`](crate::Command::job).
    JOB = SPX_STAGE_JOB;
}

impl Stage {
    /// The stage with this `SPX_STAGE_*` number.
    pub const fn from_raw(stage: i32) -> Stage {
        Stage(stage)
    }

    /// The `SPX_STAGE_*` number.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The library's short name: "setuid", "landlock", ... ("unknown" for a
    /// number it does not know).
    pub fn name(self) -> &'static str {
        // SAFETY: spx_stage_name returns a static NUL-terminated string, never NULL.
        let name = unsafe { CStr::from_ptr(sys::spx_stage_name(self.0)) };
        name.to_str().unwrap_or("unknown")
    }
}

impl fmt::Debug for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stage({}: {})", self.0, self.name())
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed spawn or setting: the stage, the errno and the library's message
/// (`"chdir: No such file or directory: /srv/missing"`).
///
/// [`raw_os_error`](Error::raw_os_error) and [`kind`](Error::kind) work as
/// on an [`io::Error`]. Converted into an `io::Error` (with `?` in a function
/// returning `io::Result`), it keeps its message, stage included, and its
/// kind; std cannot give such an error a `raw_os_error()`, so the errno is
/// reached through [`Error::from_io`]:
///
/// ```
/// fn run() -> std::io::Result<()> {
///     spx::Command::new("/bin/true").current_dir("/nonexistent").status()?;
///     Ok(())
/// }
/// let e = run().unwrap_err();
/// assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
/// assert!(e.to_string().starts_with("chdir: "));
/// let spx_error = spx::Error::from_io(&e).unwrap();
/// assert_eq!(spx_error.stage(), spx::Stage::CHDIR);
/// assert_eq!(spx_error.raw_os_error(), Some(2)); // ENOENT
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    stage: Stage,
    message: String,
}

impl Error {
    /// The stage that failed ([`Stage::PREPARE`] for anything decided in the
    /// calling process, such as a bad argument).
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The errno value (always `Some`).
    pub fn raw_os_error(&self) -> Option<i32> {
        Some(self.code)
    }

    /// The errno's [`io::ErrorKind`].
    pub fn kind(&self) -> io::ErrorKind {
        io::Error::from_raw_os_error(self.code).kind()
    }

    /// The message, as the C library writes it: "stage: reason[: detail]".
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `spx::Error` inside an `io::Error` made from one (by `?` or
    /// `into()`), to reach its stage and errno.
    pub fn from_io(error: &io::Error) -> Option<&Error> {
        error.get_ref().and_then(|e| e.downcast_ref::<Error>())
    }

    /// An error of the calling process, before any child exists: `what`
    /// names the setting ("uid", "landlock allow_path /srv").
    pub(crate) fn prepare(code: i32, what: &str) -> Error {
        Error {
            code,
            stage: Stage::PREPARE,
            message: format!("prepare: {what}: {}", strerror(code)),
        }
    }

    /// An error of the calling process with a message of its own (the OCI
    /// profile reader's, for instance).
    pub(crate) fn with_message(code: i32, message: String) -> Error {
        Error {
            code,
            stage: Stage::PREPARE,
            message,
        }
    }

    /// The error of a library call that is not part of a spawn
    /// ([`Stage::NONE`]): `what` names it ("appcontainer sid").
    pub(crate) fn call(code: i32, what: &str) -> Error {
        Error {
            code,
            stage: Stage::NONE,
            message: format!("{what}: {}", strerror(code)),
        }
    }

    /// The library's report of a failed spx_spawn().
    pub(crate) fn from_spawn(rc: i32, e: &sys::spx_error) -> Error {
        // The library NUL-terminates the message; read up to the first NUL.
        let bytes: Vec<u8> = e
            .message
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        let mut message = String::from_utf8_lossy(&bytes).into_owned();
        let stage = Stage(if e.stage != 0 {
            e.stage
        } else {
            Stage::PREPARE.0
        });
        let code = if e.code != 0 { e.code } else { rc };
        if message.is_empty() {
            message = format!("{}: {}", stage.name(), strerror(code));
        }
        Error {
            code,
            stage,
            message,
        }
    }
}

impl From<io::Error> for Error {
    /// An I/O error of the calling process after the spawn (reading a
    /// child's output, waiting), at [`Stage::NONE`].
    fn from(e: io::Error) -> Error {
        if let Some(inner) = Error::from_io(&e) {
            return inner.clone();
        }
        Error {
            code: e.raw_os_error().unwrap_or(EIO),
            stage: Stage::NONE,
            message: e.to_string(),
        }
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::new(e.kind(), e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("stage", &self.stage)
            .field("code", &self.code)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for Error {}

pub(crate) const EINVAL: i32 = 22;
pub(crate) const EIO: i32 = 5;
pub(crate) const ENOMEM: i32 = 12;

/// strerror's text without std's " (os error N)" suffix, as the C messages read.
pub(crate) fn strerror(code: i32) -> String {
    let text = io::Error::from_raw_os_error(code).to_string();
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// `rc` (0 or an errno from a setter) as a `Result`, naming the setting.
pub(crate) fn check(rc: i32, what: &str) -> Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::prepare(rc, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_the_libraries() {
        assert_eq!(strerror(2), "No such file or directory");
        let e = Error::prepare(EINVAL, "uid");
        assert_eq!(e.to_string(), "prepare: uid: Invalid argument");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn a_spawn_report_without_message_gets_one() {
        // SAFETY: zeroed is a valid spx_error.
        let mut raw: sys::spx_error = unsafe { std::mem::zeroed() };
        raw.code = 13;
        raw.stage = Stage::EXEC.raw();
        let e = Error::from_spawn(13, &raw);
        assert_eq!((e.stage(), e.raw_os_error()), (Stage::EXEC, Some(13)));
        assert_eq!(e.message(), "exec: Permission denied");
        // No stage at all: the parent's.
        raw.stage = 0;
        assert_eq!(Error::from_spawn(13, &raw).stage(), Stage::PREPARE);
    }
}
