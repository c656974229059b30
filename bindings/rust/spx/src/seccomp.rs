//! seccomp filters for the child, compiled by libseccomp in the calling
//! process and installed by the child last, just before exec.
//!
//! ```no_run
//! use spx::seccomp::{Action, Filter};
//! # fn main() -> Result<(), spx::Error> {
//! // A deny-list: everything is allowed but creating sockets and directories.
//! let filter = Filter::new(Action::Allow)?
//!     .rule("socket", Action::Errno(1 /* EPERM */))?
//!     .rule("mkdir", Action::Errno(1))?
//!     .rule("mkdirat", Action::Errno(1))?;
//! spx::Command::new("/bin/mkdir").arg("/tmp/d").seccomp(&filter).status()?;
//! # Ok(()) }
//! ```

use std::ffi::CString;
use std::ptr::{self, NonNull};
use std::sync::Arc;

use spx_sys as sys;

use crate::error::{check, Error, Result, EINVAL, ENOMEM};

/// What a rule does to a system call (the `libseccomp` crate's
/// `ScmpAction` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Allow the call.
    Allow,
    /// Kill the whole process (SIGSYS).
    KillProcess,
    /// Allow and log.
    Log,
    /// Fail with this errno (0..=4095).
    Errno(i32),
    /// Send SIGSYS (catchable).
    Trap,
}

impl Action {
    /// The `SPX_SECCOMP_*` value; `None` for an errno outside 0..=4095.
    pub fn to_raw(self) -> Option<u32> {
        Some(match self {
            Action::Allow => sys::SPX_SECCOMP_ALLOW,
            Action::KillProcess => sys::SPX_SECCOMP_KILL_PROCESS,
            Action::Log => sys::SPX_SECCOMP_LOG,
            Action::Trap => sys::SPX_SECCOMP_TRAP,
            Action::Errno(e) if (0..=4095).contains(&e) => sys::SPX_SECCOMP_ERRNO(e as u32),
            Action::Errno(_) => return None,
        })
    }

    fn raw(self, what: &str) -> Result<u32> {
        self.to_raw().ok_or_else(|| Error::prepare(EINVAL, what))
    }
}

/// One classic-BPF instruction (`struct sock_filter`), for
/// [`Command::seccomp_bpf`](crate::Command::seccomp_bpf).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockFilter {
    /// Opcode.
    pub code: u16,
    /// Jump offset if true.
    pub jt: u8,
    /// Jump offset if false.
    pub jf: u8,
    /// Operand.
    pub k: u32,
}

/// The C filter object, shared (read-only) between a [`Filter`] and the
/// commands it was given to.
pub(crate) struct Handle(NonNull<sys::spx_seccomp>);

// SAFETY: once shared, the object is only read: spx_attr_set_seccomp compiles
// it into a fresh libseccomp context on every call. It is modified only while
// its `Arc` is unique (see Filter::handle_mut).
unsafe impl Send for Handle {}
// SAFETY: see Send.
unsafe impl Sync for Handle {}

impl Handle {
    fn new(default: u32) -> Result<Handle> {
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` receives a new object on success.
        check(
            unsafe { sys::spx_seccomp_new(&mut raw, default) },
            "seccomp filter",
        )?;
        NonNull::new(raw)
            .map(Handle)
            .ok_or_else(|| Error::prepare(ENOMEM, "seccomp filter"))
    }

    pub(crate) fn as_ptr(&self) -> *const sys::spx_seccomp {
        self.0.as_ptr()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::spx_seccomp_free(self.0.as_ptr()) }
    }
}

#[derive(Clone, Debug)]
enum Syscall {
    Name(CString),
    Nr(i32),
}

/// A seccomp filter for the native architecture (other architectures'
/// calls, x32 included, are killed). Unless a rule names them, `execve` and
/// `execveat` stay allowed so the child can run its program, and they stay
/// allowed for the program's life: to limit what it may execute, use
/// Landlock's [`AccessFs::EXECUTE`](crate::landlock::AccessFs::EXECUTE).
///
/// Built once, it can be given to any number of commands.
#[derive(Clone)]
pub struct Filter {
    handle: Arc<Handle>,
    default: u32,
    rules: Vec<(Syscall, u32)>,
}

impl Filter {
    /// A filter applying `default` to every call without a rule.
    pub fn new(default: Action) -> Result<Filter> {
        let default = default.raw("seccomp default action")?;
        Ok(Filter {
            handle: Arc::new(Handle::new(default)?),
            default,
            rules: Vec::new(),
        })
    }

    /// Give the system call `name` ("mkdir", "socket"...) this action. A name
    /// libseccomp knows but this architecture lacks is ignored and counted
    /// ([`Filter::ignored`]); an unknown name is EINVAL.
    pub fn rule(mut self, name: &str, action: Action) -> Result<Self> {
        let what = format!("seccomp rule {name}");
        let action = action.raw(&what)?;
        let c = CString::new(name).map_err(|_| Error::prepare(EINVAL, &what))?;
        // SAFETY: valid object (unique, see handle_mut) and string.
        check(
            unsafe { sys::spx_seccomp_add(self.handle_mut()?, c.as_ptr(), action) },
            &what,
        )?;
        self.rules.push((Syscall::Name(c), action));
        Ok(self)
    }

    /// Like [`rule`](Filter::rule) with a native system call number.
    pub fn rule_nr(mut self, nr: i32, action: Action) -> Result<Self> {
        let what = format!("seccomp rule {nr}");
        let action = action.raw(&what)?;
        // SAFETY: valid object (unique, see handle_mut).
        check(
            unsafe { sys::spx_seccomp_add_nr(self.handle_mut()?, nr, action) },
            &what,
        )?;
        self.rules.push((Syscall::Nr(nr), action));
        Ok(self)
    }

    /// How many rule names were ignored as absent on this architecture.
    pub fn ignored(&self) -> usize {
        // SAFETY: valid object.
        unsafe { sys::spx_seccomp_ignored(self.handle.as_ptr()) }
    }

    /// The compiled filter's length in BPF instructions.
    pub fn bpf_len(&self) -> Result<usize> {
        let mut n = 0;
        // SAFETY: valid object.
        check(
            unsafe { sys::spx_seccomp_length(self.handle.as_ptr(), &mut n) },
            "seccomp filter",
        )?;
        Ok(n)
    }

    pub(crate) fn shared(&self) -> Arc<Handle> {
        Arc::clone(&self.handle)
    }

    /// The C object, for a change. A command given this filter earlier keeps
    /// the object as it was then: the filter goes on with a copy, rebuilt
    /// from the rules recorded so far.
    fn handle_mut(&mut self) -> Result<*mut sys::spx_seccomp> {
        if Arc::get_mut(&mut self.handle).is_none() {
            let fresh = Handle::new(self.default)?;
            for (call, action) in &self.rules {
                // SAFETY: valid, unshared object; these rules were accepted before.
                let rc = unsafe {
                    match call {
                        Syscall::Name(c) => {
                            sys::spx_seccomp_add(fresh.0.as_ptr(), c.as_ptr(), *action)
                        }
                        Syscall::Nr(nr) => sys::spx_seccomp_add_nr(fresh.0.as_ptr(), *nr, *action),
                    }
                };
                check(rc, "seccomp filter copy")?;
            }
            self.handle = Arc::new(fresh);
        }
        Ok(self.handle.0.as_ptr())
    }
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter")
            .field("default", &format_args!("{:#x}", self.default))
            .field("rules", &self.rules.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_as_the_c_macros_write_them() {
        assert_eq!(Action::Allow.to_raw(), Some(0x7fff_0000));
        assert_eq!(Action::KillProcess.to_raw(), Some(0x8000_0000));
        assert_eq!(Action::Errno(1).to_raw(), Some(0x0005_0001));
        assert_eq!(Action::Errno(4095).to_raw(), Some(0x0005_0fff));
        assert_eq!(Action::Errno(4096).to_raw(), None);
        assert_eq!(Action::Errno(-1).to_raw(), None);
        assert_eq!(std::mem::size_of::<SockFilter>(), 8);
    }
}
