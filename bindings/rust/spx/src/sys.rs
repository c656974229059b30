//! The few libc functions std does not expose, declared here so that the
//! crate needs no `libc` dependency. Linux only, like the library.

use std::io;
use std::os::raw::{c_int, c_short, c_ulong};
use std::os::unix::io::{FromRawFd, OwnedFd};

const O_CLOEXEC: c_int = 0o2_000_000;
pub(crate) const POLLIN: c_short = 0x1;
pub(crate) const SIGKILL: c_int = 9;
pub(crate) const SIGPIPE: c_int = 13;

#[repr(C)]
pub(crate) struct PollFd {
    pub fd: c_int,
    pub events: c_short,
    pub revents: c_short,
}

extern "C" {
    fn pipe2(fds: *mut c_int, flags: c_int) -> c_int;
    fn poll(fds: *mut PollFd, n: c_ulong, timeout: c_int) -> c_int;
}

/// A close-on-exec pipe: (read end, write end).
pub(crate) fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { pipe2(fds.as_mut_ptr(), O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two fresh descriptors owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// poll(2), retried on EINTR; the number of ready descriptors.
pub(crate) fn poll_fds(fds: &mut [PollFd], timeout_ms: c_int) -> io::Result<usize> {
    loop {
        // SAFETY: `fds` is a valid array of its length.
        let n = unsafe { poll(fds.as_mut_ptr(), fds.len() as c_ulong, timeout_ms) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}
