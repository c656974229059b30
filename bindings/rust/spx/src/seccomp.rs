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
//!
//! Rules can look at the call's arguments, and a filter can come from an OCI
//! runtime-spec profile (the JSON of Docker, Podman and Kubernetes):
//!
//! ```no_run
//! use spx::seccomp::{Action, Cond, Filter, Flags};
//! # fn main() -> Result<(), spx::Error> {
//! // IPv4 sockets fail, UNIX ones work; each denial is logged. The family
//! // is an int: eq32 compares the half of the register the kernel reads.
//! let filter = Filter::new(Action::Allow)?
//!     .rule_if("socket", Action::Errno(13 /* EACCES */), &[Cond::eq32(0, 2 /* AF_INET */)])?
//!     .flags(Flags::LOG)?;
//! let profile = std::fs::read("/etc/containers/seccomp.json").expect("profile");
//! let from_profile = Filter::from_oci(&profile)?;
//! # let _ = (filter, from_profile);
//! # Ok(()) }
//! ```

use std::ffi::{CStr, CString};
use std::ptr::{self, NonNull};
use std::sync::Arc;

use spx_sys as sys;

use crate::error::{check, strerror, Error, Result, EINVAL, ENOMEM};
use crate::Cap;

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
    /// Fail with this errno (0..=4094: libseccomp refuses 4095, the
    /// kernel's MAX_ERRNO).
    Errno(i32),
    /// Send SIGSYS (catchable).
    Trap,
}

impl Action {
    /// The `SPX_SECCOMP_*` value; `None` for an errno outside 0..=4094.
    pub fn to_raw(self) -> Option<u32> {
        Some(match self {
            Action::Allow => sys::SPX_SECCOMP_ALLOW,
            Action::KillProcess => sys::SPX_SECCOMP_KILL_PROCESS,
            Action::Log => sys::SPX_SECCOMP_LOG,
            Action::Trap => sys::SPX_SECCOMP_TRAP,
            Action::Errno(e) if (0..=4094).contains(&e) => sys::SPX_SECCOMP_ERRNO(e as u32),
            Action::Errno(_) => return None,
        })
    }

    fn raw(self, what: &str) -> Result<u32> {
        self.to_raw().ok_or_else(|| Error::prepare(EINVAL, what))
    }
}

/// How a [`Cond`] compares a system call argument (libseccomp's operators),
/// with its operand. The filter compares the whole 64-bit register. For a
/// 32-bit argument (socket's family, ioctl's request, a descriptor) the
/// kernel reads only the low half and the program chooses the upper one: a
/// program that sets it slips past `Eq`, `Ne` and the orderings while the
/// kernel still sees the value the rule named. A rule that denies on a
/// 32-bit value must compare the low half: [`Cond::eq32`]. A rule that
/// allows on equality fails closed and needs no mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// argument != value
    Ne(u64),
    /// argument < value
    Lt(u64),
    /// argument <= value
    Le(u64),
    /// argument == value
    Eq(u64),
    /// argument >= value
    Ge(u64),
    /// argument > value
    Gt(u64),
    /// argument & mask == value
    MaskedEq {
        /// The bits compared.
        mask: u64,
        /// What they must be.
        value: u64,
    },
}

/// A condition on one argument of a system call, for [`Filter::rule_if`]:
/// `Cond::eq32(1, 0x5412 /* TIOCSTI */)` holds for `ioctl(fd, TIOCSTI,
/// ...)`, whatever the upper half of the request's register holds;
/// `Cond::new(0, Cmp::MaskedEq { mask: CLONE_NEWUSER, value: CLONE_NEWUSER })`
/// for a `clone` that creates a user namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cond {
    /// The argument, 0..=5.
    pub arg: u32,
    /// The comparison and its operand.
    pub cmp: Cmp,
}

impl Cond {
    /// A condition on argument `arg` (0..=5).
    pub const fn new(arg: u32, cmp: Cmp) -> Cond {
        Cond { arg, cmp }
    }

    /// The 32-bit argument `arg` equals `value` as the kernel reads it: the
    /// low half of the register compared (`MaskedEq` with the mask
    /// `0xffff_ffff`), so that a program cannot slip past a denying rule by
    /// setting the upper half. For `int` and `unsigned int` arguments.
    pub const fn eq32(arg: u32, value: u32) -> Cond {
        Cond {
            arg,
            cmp: Cmp::MaskedEq {
                mask: 0xffff_ffff,
                value: value as u64,
            },
        }
    }

    /// The C structure (`spx_seccomp_cond`).
    pub fn to_raw(self) -> sys::spx_seccomp_cond {
        let (op, value, value2) = match self.cmp {
            Cmp::Ne(v) => (sys::SPX_CMP_NE, v, 0),
            Cmp::Lt(v) => (sys::SPX_CMP_LT, v, 0),
            Cmp::Le(v) => (sys::SPX_CMP_LE, v, 0),
            Cmp::Eq(v) => (sys::SPX_CMP_EQ, v, 0),
            Cmp::Ge(v) => (sys::SPX_CMP_GE, v, 0),
            Cmp::Gt(v) => (sys::SPX_CMP_GT, v, 0),
            Cmp::MaskedEq { mask, value } => (sys::SPX_CMP_MASKED_EQ, mask, value),
        };
        sys::spx_seccomp_cond {
            arg: self.arg,
            op: op as i32,
            value,
            value2,
        }
    }
}

flags! {
    /// Flags of a whole filter (`SPX_SECCOMP_FLAG_*`).
    pub struct Flags: u32 {
        /// Log every call the filter does not allow (SECCOMP_FILTER_FLAG_LOG:
        /// audit, or the kernel log without auditd, subject to
        /// `/proc/sys/kernel/seccomp/actions_logged`). A kernel without the
        /// flag fails the spawn at [`Stage::SECCOMP`](crate::Stage::SECCOMP)
        /// rather than run the child unlogged.
        const LOG = sys::SPX_SECCOMP_FLAG_LOG;
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

    /// The filter of an OCI profile; the reader's message in the error.
    fn from_oci(json: &[u8], caps: &[i32]) -> Result<Handle> {
        let mut raw = ptr::null_mut();
        let mut msg = [0 as std::os::raw::c_char; 512];
        // A slice's pointer is never NULL, even empty: the reader reports an
        // empty profile as empty rather than as a NULL argument.
        let text = json;
        // SAFETY: `text` is `len` readable bytes; `caps` likewise; `msg` is
        // writable for its length; `raw` receives a new object on success
        // only.
        let rc = unsafe {
            if caps.is_empty() {
                sys::spx_seccomp_from_oci(
                    &mut raw,
                    text.as_ptr().cast(),
                    text.len(),
                    msg.as_mut_ptr(),
                    msg.len(),
                )
            } else {
                sys::spx_seccomp_from_oci_caps(
                    &mut raw,
                    text.as_ptr().cast(),
                    text.len(),
                    caps.as_ptr(),
                    caps.len(),
                    msg.as_mut_ptr(),
                    msg.len(),
                )
            }
        };
        if rc != 0 {
            // SAFETY: the library NUL-terminates what it writes (truncating
            // to fit); the last byte is still the zero it was given.
            let detail = unsafe { CStr::from_ptr(msg.as_ptr()) }.to_string_lossy();
            return Err(if detail.is_empty() {
                Error::prepare(rc, "seccomp profile")
            } else {
                Error::with_message(
                    rc,
                    format!("prepare: seccomp profile: {detail}: {}", strerror(rc)),
                )
            });
        }
        NonNull::new(raw)
            .map(Handle)
            .ok_or_else(|| Error::prepare(ENOMEM, "seccomp profile"))
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

/// Where a filter started from, to build a copy (see `Filter::handle_mut`).
#[derive(Clone)]
enum Origin {
    Default(u32),
    Oci { json: Arc<[u8]>, caps: Vec<i32> },
}

/// A change accepted by the C object, replayed on a copy.
#[derive(Clone, Debug)]
enum Change {
    Rule(Syscall, u32),
    RuleIf(CString, u32, Vec<sys::spx_seccomp_cond>),
    Flags(u32),
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
    origin: Origin,
    changes: Vec<Change>,
}

impl Filter {
    /// A filter applying `default` to every call without a rule.
    pub fn new(default: Action) -> Result<Filter> {
        let default = default.raw("seccomp default action")?;
        Ok(Filter {
            handle: Arc::new(Handle::new(default)?),
            origin: Origin::Default(default),
            changes: Vec::new(),
        })
    }

    /// The filter of an OCI runtime-spec seccomp profile (the JSON file of
    /// Docker, Podman, containerd, Kubernetes' `seccompProfile: Localhost`),
    /// for a child that holds no capabilities (see
    /// [`from_oci_caps`](Filter::from_oci_caps)). Rules whose `includes` or
    /// `excludes` do not hold for this architecture and kernel are left out;
    /// system call names unknown to libseccomp are counted
    /// ([`ignored`](Filter::ignored)), not refused. More rules and flags can
    /// be added afterwards.
    ///
    /// A malformed profile is EINVAL with the reader's message, which names
    /// the JSON path: `prepare: seccomp profile: syscalls[12].args[0].op:
    /// unknown operator "SCMP_CMP_FOO": Invalid argument`. An action spx
    /// cannot run (SCMP_ACT_NOTIFY, SCMP_ACT_TRACE) or a profile for another
    /// architecture is ENOTSUP; a profile over 4 MiB, E2BIG.
    pub fn from_oci(json: &[u8]) -> Result<Filter> {
        Filter::from_oci_caps(json, &[])
    }

    /// [`from_oci`](Filter::from_oci) for a child holding the capabilities
    /// `caps` (its permitted set after the spawn: what
    /// [`Command::ambient_caps`](crate::Command::ambient_caps) gives it, or
    /// a root child keeping its capabilities): a rule's `includes.caps`
    /// holds when all its capabilities are in `caps`, `excludes.caps` when
    /// any is.
    pub fn from_oci_caps(json: &[u8], caps: &[Cap]) -> Result<Filter> {
        let caps: Vec<i32> = caps.iter().map(|c| c.raw()).collect();
        Ok(Filter {
            handle: Arc::new(Handle::from_oci(json, &caps)?),
            origin: Origin::Oci {
                json: Arc::from(json),
                caps,
            },
            changes: Vec::new(),
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
        self.changes.push(Change::Rule(Syscall::Name(c), action));
        Ok(self)
    }

    /// Give the system call `name` this action when every one of `conds`
    /// holds (at most six, each on a different argument). For an "or", add
    /// one rule per alternative; a call matching none of its conditional
    /// rules gets the default action. With no conditions this is
    /// [`rule`](Filter::rule). An unconditional rule replaces the earlier
    /// rules for the call; a conditional rule after an unconditional one
    /// with another action is EEXIST (it could never apply).
    pub fn rule_if(mut self, name: &str, action: Action, conds: &[Cond]) -> Result<Self> {
        let what = format!("seccomp rule {name} with {} conditions", conds.len());
        let action = action.raw(&what)?;
        let c = CString::new(name).map_err(|_| Error::prepare(EINVAL, &what))?;
        let raw: Vec<sys::spx_seccomp_cond> = conds.iter().map(|c| c.to_raw()).collect();
        // SAFETY: valid object (unique, see handle_mut), string and array of
        // `raw.len()` conditions (dangling but non-null when empty).
        check(
            unsafe {
                sys::spx_seccomp_add_cond(
                    self.handle_mut()?,
                    c.as_ptr(),
                    action,
                    raw.as_ptr(),
                    raw.len(),
                )
            },
            &what,
        )?;
        self.changes.push(Change::RuleIf(c, action, raw));
        Ok(self)
    }

    /// Set the filter's flags, replacing earlier ones.
    pub fn flags(mut self, flags: Flags) -> Result<Self> {
        let what = format!("seccomp flags {:#x}", flags.bits());
        // SAFETY: valid object (unique, see handle_mut).
        check(
            unsafe { sys::spx_seccomp_set_flags(self.handle_mut()?, flags.bits()) },
            &what,
        )?;
        self.changes.push(Change::Flags(flags.bits()));
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
        self.changes.push(Change::Rule(Syscall::Nr(nr), action));
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
    /// from its origin and the changes recorded so far.
    fn handle_mut(&mut self) -> Result<*mut sys::spx_seccomp> {
        if Arc::get_mut(&mut self.handle).is_none() {
            let fresh = match &self.origin {
                Origin::Default(d) => Handle::new(*d)?,
                Origin::Oci { json, caps } => Handle::from_oci(json, caps)?,
            };
            let f = fresh.0.as_ptr();
            for change in &self.changes {
                // SAFETY: valid, unshared object; these changes were accepted before.
                let rc = unsafe {
                    match change {
                        Change::Rule(Syscall::Name(c), action) => {
                            sys::spx_seccomp_add(f, c.as_ptr(), *action)
                        }
                        Change::Rule(Syscall::Nr(nr), action) => {
                            sys::spx_seccomp_add_nr(f, *nr, *action)
                        }
                        Change::RuleIf(c, action, conds) => sys::spx_seccomp_add_cond(
                            f,
                            c.as_ptr(),
                            *action,
                            conds.as_ptr(),
                            conds.len(),
                        ),
                        Change::Flags(bits) => sys::spx_seccomp_set_flags(f, *bits),
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
        let mut d = f.debug_struct("Filter");
        match &self.origin {
            Origin::Default(a) => d.field("default", &format_args!("{a:#x}")),
            Origin::Oci { json, .. } => d.field("oci_profile_bytes", &json.len()),
        };
        d.field("changes", &self.changes.len()).finish()
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
        assert_eq!(Action::Errno(4094).to_raw(), Some(0x0005_0ffe));
        assert_eq!(Action::Errno(4095).to_raw(), None);
        assert_eq!(Action::Errno(4096).to_raw(), None);
        assert_eq!(Action::Errno(-1).to_raw(), None);
        assert_eq!(std::mem::size_of::<SockFilter>(), 8);
    }

    #[test]
    fn conditions_as_the_c_structure_holds_them() {
        let c = Cond::new(
            1,
            Cmp::MaskedEq {
                mask: 0xf,
                value: 2,
            },
        )
        .to_raw();
        assert_eq!((c.arg, c.op, c.value, c.value2), (1, 7, 0xf, 2));
        let c = Cond::new(0, Cmp::Eq(u64::MAX)).to_raw();
        assert_eq!((c.arg, c.op, c.value, c.value2), (0, 4, u64::MAX, 0));
        let ops: Vec<i32> = [
            Cmp::Ne(0),
            Cmp::Lt(0),
            Cmp::Le(0),
            Cmp::Eq(0),
            Cmp::Ge(0),
            Cmp::Gt(0),
        ]
        .iter()
        .map(|&cmp| Cond::new(0, cmp).to_raw().op)
        .collect();
        assert_eq!(ops, [1, 2, 3, 4, 5, 6]);
        assert_eq!(Flags::LOG.bits(), 1);
        let c = Cond::eq32(1, 0x5412).to_raw();
        assert_eq!(
            (c.arg, c.op, c.value, c.value2),
            (1, 7, 0xffff_ffff, 0x5412)
        );
    }
}
