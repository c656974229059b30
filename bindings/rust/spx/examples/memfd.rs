//! Seed: execute a sealed memfd (Go issue 72102, "execveat"). The program is
//! copied into an anonymous file, sealed so nobody can change it between the
//! check and the exec, and run from its descriptor: no path, no race.
//!
//!   cargo run --example memfd -- /bin/echo hello from a memfd

use std::fs::File;
use std::io;
use std::os::raw::{c_char, c_int, c_uint};
use std::os::unix::io::{AsRawFd, FromRawFd};

use spx::Command;

extern "C" {
    fn memfd_create(name: *const c_char, flags: c_uint) -> c_int;
    fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
}

const MFD_CLOEXEC: c_uint = 1;
const MFD_ALLOW_SEALING: c_uint = 2;
const F_ADD_SEALS: c_int = 1033;
const F_SEAL_SEAL: c_int = 1;
const F_SEAL_SHRINK: c_int = 2;
const F_SEAL_GROW: c_int = 4;
const F_SEAL_WRITE: c_int = 8;

/// A sealed in-memory copy of the file at `path`.
fn sealed_copy(path: &str) -> io::Result<File> {
    // SAFETY: a NUL-terminated name; the descriptor is owned just below.
    let fd = unsafe {
        memfd_create(
            b"spx-example\0".as_ptr().cast(),
            MFD_CLOEXEC | MFD_ALLOW_SEALING,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor nobody else owns.
    let mut mem = unsafe { File::from_raw_fd(fd) };
    io::copy(&mut File::open(path)?, &mut mem)?;
    let seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    // SAFETY: fcntl on an open descriptor with an int argument.
    if unsafe { fcntl(mem.as_raw_fd(), F_ADD_SEALS, seals) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(mem)
}

fn main() -> io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        args = vec![
            "/bin/echo".into(),
            "hello".into(),
            "from".into(),
            "a".into(),
            "sealed".into(),
            "memfd".into(),
        ];
    }
    let program = sealed_copy(&args[0])?;
    // argv[0] is the name given to Command::new; the file is the memfd.
    let status = Command::new(&args[0])
        .args(&args[1..])
        .exec_fd(&program)
        .status()?;
    println!("{}: {status}", args[0]);
    Ok(())
}
