//! Spawn child processes with Linux security attributes, at vfork cost.
//!
//! `spx` is the Rust binding of libspx. Its [`Command`] reads like
//! `std::process::Command`, and adds what std cannot set without falling back
//! to fork+exec (or at all): a uid/gid/groups change with **ambient
//! capabilities that survive it**, inheritable and bounding sets,
//! no_new_privs, chroot, a **Landlock** ruleset and a **seccomp** filter
//! applied to the child only, an **exec of a file descriptor** (a sealed
//! memfd), resource limits, sessions and process groups, cgroup placement,
//! a parent-death signal, a umask and securebits.
//!
//! ```no_run
//! use spx::{landlock, seccomp, Cap, Command, Stdio};
//!
//! # fn main() -> Result<(), spx::Error> {
//! let ruleset = landlock::Ruleset::new(3, landlock::Compat::BestEffort)?
//!     .allow_path("/usr", landlock::AccessFs::ROX)?
//!     .allow_path("/etc", landlock::AccessFs::RO)?;
//! let filter = seccomp::Filter::new(seccomp::Action::Allow)?
//!     .rule("socket", seccomp::Action::Errno(1 /* EPERM */))?;
//! let output = Command::new("/usr/bin/id")
//!     .uid(65534)
//!     .gid(65534)
//!     .groups(&[])
//!     .ambient_caps(&[Cap::SYS_TIME])
//!     .landlock(&ruleset)
//!     .seccomp(&filter)
//!     .stdin(Stdio::null())
//!     .output()?;
//! println!("{}", String::from_utf8_lossy(&output.stdout));
//! # Ok(()) }
//! ```
//!
//! # Identity
//!
//! A [`uid`](Command::uid) needs a [`gid`](Command::gid): the library refuses
//! a uid alone (`EINVAL` at [`Stage::PREPARE`]). A child with a new identity
//! inherits nothing unasked: no supplementary group (unless
//! [`groups`](Command::groups) or [`keep_groups`](Command::keep_groups)), no
//! ambient or inheritable capability (unless
//! [`ambient_caps`](Command::ambient_caps) or
//! [`inheritable_caps`](Command::inheritable_caps)), even from a non-root
//! caller that has ambient capabilities.
//!
//! # Errors
//!
//! A failed spawn is an [`Error`] naming the [`Stage`] that failed (in the
//! calling process, or in the child before it ran the program: chdir,
//! setuid, landlock, exec...), its errno and the library's message, such as
//! `chdir: No such file or directory: /srv/missing`.
//!
//! # Windows
//!
//! The Windows attributes of libspx are here too, for code that builds its
//! commands the same way on both systems: [`Command::appcontainer`] (with
//! [`appcontainer::Flags`]), [`Command::job`], [`Command::stdio_handle`],
//! [`Command::inherit_handle`] and [`Child::raw_handle`]. This crate is
//! built for Linux, where a command that sets them fails at
//! [`Stage::PREPARE`] with `ENOTSUP` instead of running unconfined. The
//! SID derivations of [`appcontainer`] work everywhere.
//!
//! # Threads and async
//!
//! Any number of threads may spawn at once. [`Child::pidfd`] becomes
//! readable when the child exits, for event loops (tokio's `AsyncFd`).
//!
//! # Building
//!
//! The crate links libspx, found through `pkg-config spx` or `SPX_LIB_DIR`
//! (see the README of `bindings/rust`).

#![warn(missing_docs)]

#[macro_use]
mod flags;

pub mod appcontainer;
mod attr;
mod cap;
mod child;
mod command;
mod error;
pub mod landlock;
mod limits;
mod process;
mod reaper;
pub mod seccomp;
mod stdio;
mod sys;
mod windows;

pub use cap::Cap;
pub use child::Child;
pub use command::Command;
pub use error::{Error, Result, Stage};
pub use limits::{Resource, SecureBits};
pub use stdio::{ChildStderr, ChildStdin, ChildStdout, Stdio};
pub use windows::{JobFlags, RawHandle};

/// The version of the libspx in use, "MAJOR.MINOR.PATCH".
pub fn version() -> &'static str {
    // SAFETY: a static NUL-terminated string, never NULL.
    unsafe { std::ffi::CStr::from_ptr(spx_sys::spx_version()) }
        .to_str()
        .unwrap_or("unknown")
}
