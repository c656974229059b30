//! Linux capabilities, by number, with the kernel's names.

use std::ffi::{CStr, CString};
use std::fmt;

use spx_sys as sys;

/// A Linux capability (capabilities(7)): `Cap::SYS_TIME`, `Cap::NET_BIND_SERVICE`...
///
/// A number rather than an enum: a kernel newer than this crate may know
/// more, and [`Cap::from_name`] finds them through the library.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cap(i32);

macro_rules! caps {
    ($($name:ident = $n:expr;)*) => {
        impl Cap {
            $(#[doc = concat!("`CAP_", stringify!($name), "`.")] pub const $name: Cap = Cap($n);)*
        }
    };
}

caps! {
    CHOWN = 0; DAC_OVERRIDE = 1; DAC_READ_SEARCH = 2; FOWNER = 3; FSETID = 4; KILL = 5;
    SETGID = 6; SETUID = 7; SETPCAP = 8; LINUX_IMMUTABLE = 9; NET_BIND_SERVICE = 10;
    NET_BROADCAST = 11; NET_ADMIN = 12; NET_RAW = 13; IPC_LOCK = 14; IPC_OWNER = 15;
    SYS_MODULE = 16; SYS_RAWIO = 17; SYS_CHROOT = 18; SYS_PTRACE = 19; SYS_PACCT = 20;
    SYS_ADMIN = 21; SYS_BOOT = 22; SYS_NICE = 23; SYS_RESOURCE = 24; SYS_TIME = 25;
    SYS_TTY_CONFIG = 26; MKNOD = 27; LEASE = 28; AUDIT_WRITE = 29; AUDIT_CONTROL = 30;
    SETFCAP = 31; MAC_OVERRIDE = 32; MAC_ADMIN = 33; SYSLOG = 34; WAKE_ALARM = 35;
    BLOCK_SUSPEND = 36; AUDIT_READ = 37; PERFMON = 38; BPF = 39; CHECKPOINT_RESTORE = 40;
}

impl Cap {
    /// The capability with this number. Whether the kernel knows it is
    /// checked when a command using it is spawned (EINVAL).
    pub const fn from_raw(n: i32) -> Cap {
        Cap(n)
    }

    /// The capability's number.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The capability named `"cap_sys_time"`, `"CAP_SYS_TIME"` or `"sys_time"`.
    pub fn from_name(name: &str) -> Option<Cap> {
        let name = CString::new(name).ok()?;
        // SAFETY: a valid NUL-terminated string.
        let n = unsafe { sys::spx_cap_from_name(name.as_ptr()) };
        (n >= 0).then_some(Cap(n))
    }

    /// The kernel's name, `"cap_sys_time"` style, or `None` for a number the
    /// library does not know.
    pub fn name(self) -> Option<&'static str> {
        // SAFETY: the library returns a static string or NULL.
        let p = unsafe { sys::spx_cap_name(self.0) };
        if p.is_null() {
            None
        } else {
            // SAFETY: non-NULL, static and NUL-terminated.
            unsafe { CStr::from_ptr(p) }.to_str().ok()
        }
    }
}

impl fmt::Debug for Cap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "Cap({})", self.0),
        }
    }
}

/// The capability numbers as the C API takes them.
pub(crate) fn raw_caps(caps: &[Cap]) -> Vec<i32> {
    caps.iter().map(|c| c.0).collect()
}
