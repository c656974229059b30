//! Landlock rulesets, applied to the child only: the calling process keeps
//! all its access.
//!
//! ```no_run
//! use spx::landlock::{AccessFs, Compat, Ruleset, RulesetStatus};
//! # fn main() -> Result<(), spx::Error> {
//! // ABI 3 (Linux 6.2): rights of newer kernels are not handled, so the
//! // sandbox does not tighten by itself when the kernel is upgraded.
//! let ruleset = Ruleset::new(3, Compat::BestEffort)?
//!     .allow_path("/usr", AccessFs::ROX)?
//!     .allow_path("/etc", AccessFs::RO)?
//!     .allow_path("/tmp/out", AccessFs::RW)?;
//! if ruleset.status() != RulesetStatus::FullyEnforced {
//!     eprintln!("warning: this kernel enforces only part of the sandbox");
//! }
//! spx::Command::new("/usr/bin/git").arg("status").landlock(&ruleset).status()?;
//! # Ok(()) }
//! ```

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::{FromRawFd, OwnedFd};
use std::path::Path;
use std::ptr::{self, NonNull};

use spx_sys as sys;

use crate::error::{check, Error, Result, EINVAL, ENOMEM};

flags! {
    /// Filesystem access rights (the kernel's `LANDLOCK_ACCESS_FS_*`).
    pub struct AccessFs: u64 {
        /// Execute a file.
        const EXECUTE = sys::SPX_LANDLOCK_FS_EXECUTE as u64;
        /// Open a file with write access.
        const WRITE_FILE = sys::SPX_LANDLOCK_FS_WRITE_FILE as u64;
        /// Open a file with read access.
        const READ_FILE = sys::SPX_LANDLOCK_FS_READ_FILE as u64;
        /// Open a directory or list its content.
        const READ_DIR = sys::SPX_LANDLOCK_FS_READ_DIR as u64;
        /// Remove an empty directory or rename one.
        const REMOVE_DIR = sys::SPX_LANDLOCK_FS_REMOVE_DIR as u64;
        /// Unlink or rename a file.
        const REMOVE_FILE = sys::SPX_LANDLOCK_FS_REMOVE_FILE as u64;
        /// Create a character device.
        const MAKE_CHAR = sys::SPX_LANDLOCK_FS_MAKE_CHAR as u64;
        /// Create a directory.
        const MAKE_DIR = sys::SPX_LANDLOCK_FS_MAKE_DIR as u64;
        /// Create a regular file.
        const MAKE_REG = sys::SPX_LANDLOCK_FS_MAKE_REG as u64;
        /// Create a UNIX domain socket.
        const MAKE_SOCK = sys::SPX_LANDLOCK_FS_MAKE_SOCK as u64;
        /// Create a named pipe.
        const MAKE_FIFO = sys::SPX_LANDLOCK_FS_MAKE_FIFO as u64;
        /// Create a block device.
        const MAKE_BLOCK = sys::SPX_LANDLOCK_FS_MAKE_BLOCK as u64;
        /// Create a symbolic link.
        const MAKE_SYM = sys::SPX_LANDLOCK_FS_MAKE_SYM as u64;
        /// Link or rename across directories (ABI 2). The kernel denies it
        /// under any filesystem ruleset unless a rule grants it; see
        /// [`Ruleset::handle_access`].
        const REFER = sys::SPX_LANDLOCK_FS_REFER as u64;
        /// Truncate a file (ABI 3).
        const TRUNCATE = sys::SPX_LANDLOCK_FS_TRUNCATE as u64;
        /// ioctl(2) on a device (ABI 5).
        const IOCTL_DEV = sys::SPX_LANDLOCK_FS_IOCTL_DEV as u64;
        /// Connect or send to a pathname UNIX socket beneath the rule (ABI
        /// 9); valid on a rule for the socket file itself. Handling it
        /// denies every such socket (syslog, journald, D-Bus) no rule allows.
        const RESOLVE_UNIX = sys::SPX_LANDLOCK_FS_RESOLVE_UNIX as u64;
        /// Read files and list directories.
        const RO = sys::SPX_LANDLOCK_FS_RO as u64;
        /// `RO` plus execute.
        const ROX = sys::SPX_LANDLOCK_FS_ROX as u64;
        /// Every filesystem right of ABI 1 to 8 (best effort keeps those of
        /// the running kernel). Its value is fixed, as the C macro's, so it
        /// never grows: it lacks [`RESOLVE_UNIX`](AccessFs::RESOLVE_UNIX)
        /// (ABI 9). For every right of an ABI, see [`AccessFs::of_abi`].
        const RW = sys::SPX_LANDLOCK_FS_RW as u64;
    }
}

/// abi as the C API takes it; an ABI beyond `i32` is unknown.
fn c_abi(abi: u32) -> Option<i32> {
    i32::try_from(abi).ok()
}

impl AccessFs {
    /// Every filesystem right of Landlock ABI `abi` (1..=10), or `None` for
    /// an ABI the library does not know.
    ///
    /// `0` means the newest ABI of the libspx the program runs with: a
    /// ruleset handling that denies more by itself after a library upgrade
    /// (ABI 9: every pathname UNIX socket), so prefer a fixed number.
    pub fn of_abi(abi: u32) -> Option<AccessFs> {
        let abi = c_abi(abi)?;
        // SAFETY: no pointer.
        let bits = unsafe { sys::spx_landlock_fs_rights(abi) };
        // Every known ABI has filesystem rights: 0 means unknown.
        (bits != 0).then_some(AccessFs(bits))
    }
}

flags! {
    /// Port rights: TCP (ABI 4) and UDP (ABI 10).
    pub struct AccessNet: u64 {
        /// Bind a TCP socket to the port.
        const BIND_TCP = sys::SPX_LANDLOCK_NET_BIND_TCP as u64;
        /// Connect a TCP socket to the port.
        const CONNECT_TCP = sys::SPX_LANDLOCK_NET_CONNECT_TCP as u64;
        /// Bind a UDP socket to the port (ABI 10).
        const BIND_UDP = sys::SPX_LANDLOCK_NET_BIND_UDP as u64;
        /// Connect a UDP socket to the port, or send a datagram to it (ABI
        /// 10). Handling it denies DNS unless port 53 is allowed.
        const CONNECT_SEND_UDP = sys::SPX_LANDLOCK_NET_CONNECT_SEND_UDP as u64;
    }
}

impl AccessNet {
    /// Every port right of Landlock ABI `abi` (empty before ABI 4), or
    /// `None` for an unknown ABI. `0` means the newest: see
    /// [`AccessFs::of_abi`] for why not to handle that.
    pub fn of_abi(abi: u32) -> Option<AccessNet> {
        AccessFs::of_abi(abi)?;
        // SAFETY: no pointer; the ABI is known (checked above).
        Some(AccessNet(unsafe {
            sys::spx_landlock_net_rights(c_abi(abi)?)
        }))
    }
}

flags! {
    /// IPC scoped to the child's Landlock domain (ABI 6).
    pub struct Scope: u64 {
        /// No connecting to abstract UNIX sockets outside the domain.
        const ABSTRACT_UNIX_SOCKET = sys::SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET as u64;
        /// No signals to processes outside the domain.
        const SIGNAL = sys::SPX_LANDLOCK_SCOPE_SIGNAL as u64;
    }
}

impl Scope {
    /// Every scope of Landlock ABI `abi` (empty before ABI 6), or `None`
    /// for an unknown ABI. `0` means the newest: see [`AccessFs::of_abi`].
    pub fn of_abi(abi: u32) -> Option<Scope> {
        AccessFs::of_abi(abi)?;
        // SAFETY: no pointer; the ABI is known (checked above).
        Some(Scope(unsafe { sys::spx_landlock_scopes(c_abi(abi)?) }))
    }
}

flags! {
    /// Flags of one rule ([`Ruleset::allow_path_flags`],
    /// [`Ruleset::allow_port_flags`]).
    pub struct RuleFlags: u32 {
        /// A quiet rule (ABI 10): denials beneath it (or on its port) of
        /// the rights given to [`Ruleset::quiet`] are not logged. Best
        /// effort drops it on an older kernel; a hard requirement refuses
        /// it there (`ENOTSUP`).
        const QUIET = sys::SPX_LANDLOCK_RULE_QUIET;
    }
}

flags! {
    /// Flags of the child's `landlock_restrict_self` (ABI 7), given with
    /// [`Command::landlock_flags`](crate::Command::landlock_flags): which
    /// denials the kernel logs. Logged denials are audit records (type
    /// 1423, `AUDIT_LANDLOCK_ACCESS`; `ausearch -m 1423`); with audit
    /// disabled nothing is logged.
    pub struct RestrictFlags: u32 {
        /// No logging of denials before the program is executed (the
        /// launcher's own setup).
        const LOG_SAME_EXEC_OFF = sys::SPX_LANDLOCK_LOG_SAME_EXEC_OFF;
        /// Log the program's denials too: by default the kernel logs a
        /// domain's denials only until exec, which for a launcher means
        /// none of the program's.
        const LOG_NEW_EXEC_ON = sys::SPX_LANDLOCK_LOG_NEW_EXEC_ON;
        /// No logging of the denials of domains the program creates
        /// itself. It works without a ruleset too.
        const LOG_SUBDOMAINS_OFF = sys::SPX_LANDLOCK_LOG_SUBDOMAINS_OFF;
    }
}

/// The first Landlock ABI with the [`RestrictFlags`].
pub(crate) const RESTRICT_FLAGS_ABI: u32 = 7;

/// What to do with rights the running kernel cannot enforce (the `landlock`
/// crate's `CompatLevel`, minus its middle level).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compat {
    /// Drop them, and say so in [`Ruleset::status`]; without Landlock at
    /// all, children run unrestricted ([`RulesetStatus::NotEnforced`]).
    BestEffort,
    /// Never enforce less than asked: such a right is `ENOTSUP` (at
    /// [`Ruleset::allow_path`] for rules, at [`Ruleset::new`] or spawn time
    /// for the handled set).
    HardRequirement,
}

/// How much of a ruleset the running kernel enforces (as the `landlock`
/// crate reports it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RulesetStatus {
    /// Everything asked is enforced.
    FullyEnforced,
    /// Enforced, but some asked rights are unknown to this kernel.
    PartiallyEnforced,
    /// Nothing is enforced: no Landlock in the kernel, or best effort found
    /// nothing it could enforce as asked.
    NotEnforced,
}

/// The running kernel's Landlock ABI version: 1, 2, ...; 0 without Landlock.
pub fn abi() -> u32 {
    // SAFETY: no argument.
    let v = unsafe { sys::spx_landlock_abi() };
    u32::try_from(v).unwrap_or(0)
}

/// The Landlock errata the running kernel has fixed
/// (`LANDLOCK_CREATE_RULESET_ERRATA`), a bit mask: bit 0, TCP rights no
/// longer applied to SMC, MPTCP or SCTP sockets by mistake; bit 1, signal
/// scoping no longer denies too much; bit 2, disconnected directories can
/// no longer widen [`AccessFs::REFER`]. 0 when none is fixed or the kernel
/// cannot say.
pub fn errata() -> u32 {
    // SAFETY: no argument.
    let v = unsafe { sys::spx_landlock_errata() };
    u32::try_from(v).unwrap_or(0)
}

/// A Landlock ruleset, built once and usable for any number of spawns (and
/// from any thread: it is only read once built).
///
/// It handles every right of its ABI unless [`handle_access`] narrows it:
/// whatever no rule allows is denied.
///
/// [`handle_access`]: Ruleset::handle_access
pub struct Ruleset {
    raw: NonNull<sys::spx_landlock>,
    compat: Compat,
}

// SAFETY: the C object is owned by this value alone; it is modified only
// through `self` by value (the builder methods), and the `&self` functions
// (status, create_fd, attr_set_landlock) only read it.
unsafe impl Send for Ruleset {}
// SAFETY: see Send: shared access only reads.
unsafe impl Sync for Ruleset {}

impl Ruleset {
    /// A ruleset handling every access right of Landlock ABI `abi` (1..=10),
    /// until [`handle_access`](Ruleset::handle_access) narrows it.
    ///
    /// Pin `abi` to the ABI the program was tested with. `0` means the
    /// newest ABI of the libspx the program runs with, not the one it was
    /// built with: a library upgrade then handles, so denies, more by itself
    /// (ABI 9 every pathname UNIX socket such as journald or D-Bus, ABI 10
    /// all UDP and so DNS), and a [`Compat::HardRequirement`] ruleset fails
    /// with `ENOTSUP` on every older kernel.
    pub fn new(abi: u32, compat: Compat) -> Result<Ruleset> {
        let abi = i32::try_from(abi).map_err(|_| Error::prepare(EINVAL, "landlock ruleset"))?;
        let flags = match compat {
            Compat::BestEffort => sys::SPX_LANDLOCK_BEST_EFFORT,
            Compat::HardRequirement => 0,
        };
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` receives a new object on success.
        check(
            unsafe { sys::spx_landlock_new(&mut raw, abi, flags) },
            "landlock ruleset",
        )?;
        NonNull::new(raw)
            .map(|raw| Ruleset { raw, compat })
            .ok_or_else(|| Error::prepare(ENOMEM, "landlock ruleset"))
    }

    /// Allow `access` beneath `path` (opened now). A rule on a file keeps
    /// only the rights that apply to files.
    pub fn allow_path(self, path: impl AsRef<Path>, access: AccessFs) -> Result<Self> {
        let path = path.as_ref();
        let what = format!("landlock allow_path {}", path.display());
        let c =
            CString::new(path.as_os_str().as_bytes()).map_err(|_| Error::prepare(EINVAL, &what))?;
        // SAFETY: valid object and string.
        check(
            unsafe { sys::spx_landlock_allow_path(self.raw.as_ptr(), c.as_ptr(), access.bits()) },
            &what,
        )?;
        Ok(self)
    }

    /// [`allow_path`](Ruleset::allow_path) with rule flags
    /// ([`RuleFlags::QUIET`]).
    pub fn allow_path_flags(
        self,
        path: impl AsRef<Path>,
        access: AccessFs,
        flags: RuleFlags,
    ) -> Result<Self> {
        let path = path.as_ref();
        let what = format!("landlock allow_path_flags {}", path.display());
        let c =
            CString::new(path.as_os_str().as_bytes()).map_err(|_| Error::prepare(EINVAL, &what))?;
        // SAFETY: valid object and string.
        check(
            unsafe {
                sys::spx_landlock_allow_path_flags(
                    self.raw.as_ptr(),
                    c.as_ptr(),
                    access.bits(),
                    flags.bits(),
                )
            },
            &what,
        )?;
        Ok(self)
    }

    /// Allow `access` for `port`: TCP rights from ABI 4, UDP from ABI 10.
    pub fn allow_port(self, port: u16, access: AccessNet) -> Result<Self> {
        let what = format!("landlock allow_port {port}");
        // SAFETY: valid object.
        check(
            unsafe {
                sys::spx_landlock_allow_port(self.raw.as_ptr(), u64::from(port), access.bits())
            },
            &what,
        )?;
        Ok(self)
    }

    /// [`allow_port`](Ruleset::allow_port) with rule flags
    /// ([`RuleFlags::QUIET`]).
    pub fn allow_port_flags(self, port: u16, access: AccessNet, flags: RuleFlags) -> Result<Self> {
        let what = format!("landlock allow_port_flags {port}");
        // SAFETY: valid object.
        check(
            unsafe {
                sys::spx_landlock_allow_port_flags(
                    self.raw.as_ptr(),
                    u64::from(port),
                    access.bits(),
                    flags.bits(),
                )
            },
            &what,
        )?;
        Ok(self)
    }

    /// The rights whose denials are not logged (ABI 10): beneath rules made
    /// with [`RuleFlags::QUIET`] for filesystem and port rights, anywhere
    /// for scopes. Only handled rights can be quiet; all empty removes
    /// quieting. A hard requirement refuses it on an older kernel
    /// (`ENOTSUP`); best effort drops it and [`status`](Ruleset::status)
    /// says so.
    pub fn quiet(self, fs: AccessFs, net: AccessNet, scopes: Scope) -> Result<Self> {
        // SAFETY: valid object.
        let rc = unsafe {
            sys::spx_landlock_set_quiet(self.raw.as_ptr(), fs.bits(), net.bits(), scopes.bits())
        };
        check(rc, "landlock quiet")?;
        Ok(self)
    }

    /// Scope the child's IPC to its own domain (ABI 6); empty removes scoping.
    pub fn scope(self, scopes: Scope) -> Result<Self> {
        // SAFETY: valid object.
        check(
            unsafe { sys::spx_landlock_set_scope(self.raw.as_ptr(), scopes.bits()) },
            "landlock scope",
        )?;
        Ok(self)
    }

    /// Restrict only these rights: `handle_access(AccessFs::empty(),
    /// AccessNet::BIND_TCP)` limits which ports the child may bind and
    /// leaves the filesystem alone. Filesystem rights without
    /// [`AccessFs::REFER`] leave reparenting allowed (the library grants it
    /// beneath `/`, since the kernel would otherwise deny it everywhere).
    pub fn handle_access(self, fs: AccessFs, net: AccessNet) -> Result<Self> {
        // SAFETY: valid object.
        let rc = unsafe { sys::spx_landlock_set_handled(self.raw.as_ptr(), fs.bits(), net.bits()) };
        check(rc, "landlock handled rights")?;
        Ok(self)
    }

    /// Whether the ruleset drops what the kernel lacks.
    pub fn compat(&self) -> Compat {
        self.compat
    }

    /// What this ruleset enforces on the running kernel.
    pub fn status(&self) -> RulesetStatus {
        // SAFETY: valid object.
        match unsafe { sys::spx_landlock_status(self.raw.as_ptr()) } as u32 {
            sys::SPX_LANDLOCK_FULLY_ENFORCED => RulesetStatus::FullyEnforced,
            sys::SPX_LANDLOCK_PARTIALLY_ENFORCED => RulesetStatus::PartiallyEnforced,
            _ => RulesetStatus::NotEnforced,
        }
    }

    /// A kernel ruleset descriptor for this ruleset, or `None` when best
    /// effort found nothing to enforce. [`Command::landlock`] calls this.
    ///
    /// [`Command::landlock`]: crate::Command::landlock
    pub fn create_fd(&self) -> Result<Option<OwnedFd>> {
        let mut fd = -1;
        // SAFETY: valid object; `fd` receives a new descriptor we then own.
        check(
            unsafe { sys::spx_landlock_create_fd(self.raw.as_ptr(), &mut fd) },
            "landlock ruleset",
        )?;
        // SAFETY: a fresh descriptor owned by nobody else.
        Ok((fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) }))
    }
}

impl Drop for Ruleset {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::spx_landlock_free(self.raw.as_ptr()) }
    }
}

impl std::fmt::Debug for Ruleset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ruleset")
            .field("status", &self.status())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_combine_and_print() {
        assert_eq!(AccessFs::RO, AccessFs::READ_FILE | AccessFs::READ_DIR);
        assert!(AccessFs::ROX.contains(AccessFs::EXECUTE));
        assert_eq!((AccessFs::ROX - AccessFs::RO), AccessFs::EXECUTE);
        assert_eq!(
            format!("{:?}", AccessFs::RO),
            "AccessFs(READ_FILE | READ_DIR)"
        );
        assert_eq!(
            format!("{:?}", Scope::from_bits_retain(1 << 8)),
            "Scope(0x100)"
        );
        assert!(AccessNet::empty().is_empty());
        assert_eq!(AccessFs::RW.bits(), (1 << 16) - 1);
        assert_eq!(
            format!("{:?}", AccessNet::BIND_UDP | AccessNet::CONNECT_SEND_UDP),
            "AccessNet(BIND_UDP | CONNECT_SEND_UDP)"
        );
        assert!(!AccessFs::RW.contains(AccessFs::RESOLVE_UNIX));
    }
}
