//! Resource limits (setrlimit) and securebits for the child.

use std::ffi::CString;
use std::fmt;

use spx_sys as sys;

/// A resource limit (setrlimit(2)): `Resource::NOFILE`, `Resource::NPROC`...
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Resource(i32);

macro_rules! resources {
    ($($name:ident = $n:expr;)*) => {
        impl Resource {
            $(#[doc = concat!("`RLIMIT_", stringify!($name), "`.")] pub const $name: Resource = Resource($n);)*
        }
        const NAMES: &[(&str, i32)] = &[$((stringify!($name), $n)),*];
    };
}

resources! {
    CPU = 0; FSIZE = 1; DATA = 2; STACK = 3; CORE = 4; RSS = 5; NPROC = 6; NOFILE = 7;
    MEMLOCK = 8; AS = 9; LOCKS = 10; SIGPENDING = 11; MSGQUEUE = 12; NICE = 13;
    RTPRIO = 14; RTTIME = 15;
}

impl Resource {
    /// No limit (`RLIM_INFINITY`), for [`Command::rlimit`](crate::Command::rlimit).
    pub const INFINITY: u64 = sys::SPX_RLIM_INFINITY;

    /// The resource with this `RLIMIT_*` number (checked at spawn: EINVAL).
    pub const fn from_raw(n: i32) -> Resource {
        Resource(n)
    }

    /// The `RLIMIT_*` number.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The resource named `"nofile"`, `"NOFILE"` or `"RLIMIT_NOFILE"`.
    pub fn from_name(name: &str) -> Option<Resource> {
        let name = CString::new(name).ok()?;
        // SAFETY: a valid NUL-terminated string.
        let n = unsafe { sys::spx_rlimit_from_name(name.as_ptr()) };
        (n >= 0).then_some(Resource(n))
    }
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match NAMES.iter().find(|(_, n)| *n == self.0) {
            Some((name, _)) => write!(f, "RLIMIT_{name}"),
            None => write!(f, "Resource({})", self.0),
        }
    }
}

flags! {
    /// The child's securebits (linux/securebits.h), set where it still holds
    /// CAP_SETPCAP. `NOROOT | NOROOT_LOCKED` with ambient capabilities gives a
    /// child that stays root exactly those capabilities.
    pub struct SecureBits: u32 {
        /// Root gets no capabilities from exec.
        const NOROOT = sys::SPX_SECBIT_NOROOT;
        /// Lock `NOROOT`.
        const NOROOT_LOCKED = sys::SPX_SECBIT_NOROOT_LOCKED;
        /// Changing uids to or from 0 does not touch the capability sets.
        const NO_SETUID_FIXUP = sys::SPX_SECBIT_NO_SETUID_FIXUP;
        /// Lock `NO_SETUID_FIXUP`.
        const NO_SETUID_FIXUP_LOCKED = sys::SPX_SECBIT_NO_SETUID_FIXUP_LOCKED;
        /// Lock keep-caps off.
        const KEEP_CAPS_LOCKED = sys::SPX_SECBIT_KEEP_CAPS_LOCKED;
        /// No raising of ambient capabilities.
        const NO_CAP_AMBIENT_RAISE = sys::SPX_SECBIT_NO_CAP_AMBIENT_RAISE;
        /// Lock `NO_CAP_AMBIENT_RAISE`.
        const NO_CAP_AMBIENT_RAISE_LOCKED = sys::SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
        /// Linux 6.14+: interpreters check files with execveat(AT_EXECVE_CHECK).
        const EXEC_RESTRICT_FILE = sys::SPX_SECBIT_EXEC_RESTRICT_FILE;
        /// Lock `EXEC_RESTRICT_FILE`.
        const EXEC_RESTRICT_FILE_LOCKED = sys::SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED;
        /// Linux 6.14+: interpreters refuse interactive use.
        const EXEC_DENY_INTERACTIVE = sys::SPX_SECBIT_EXEC_DENY_INTERACTIVE;
        /// Lock `EXEC_DENY_INTERACTIVE`.
        const EXEC_DENY_INTERACTIVE_LOCKED = sys::SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED;
    }
}
