//! A started child: wait for it, signal it, talk to it through its pipes.

use std::io::{self, Read};
use std::os::unix::io::BorrowedFd;
use std::process::{ExitStatus, Output};
use std::time::Duration;

use crate::process::Process;
use crate::stdio::{ChildStderr, ChildStdin, ChildStdout};
use crate::{reaper, sys};

/// A running or exited child process (as `std::process::Child`).
///
/// Dropping a `Child` never kills it. A child not yet waited for is reaped
/// in the background once it exits (by one helper thread, started at the
/// first such drop), so it never stays a zombie; its exit status is then
/// lost. Call [`wait`](Child::wait) to get it.
#[derive(Debug)]
pub struct Child {
    process: Option<Process>,
    status: Option<ExitStatus>,
    /// The parent's end of the child's standard input, if it was
    /// [`Stdio::piped`](crate::Stdio::piped).
    pub stdin: Option<ChildStdin>,
    /// The parent's end of the child's standard output, if piped.
    pub stdout: Option<ChildStdout>,
    /// The parent's end of the child's standard error, if piped.
    pub stderr: Option<ChildStderr>,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Process({})", self.pid())
    }
}

impl Child {
    pub(crate) fn new(
        process: Process,
        stdin: Option<ChildStdin>,
        stdout: Option<ChildStdout>,
        stderr: Option<ChildStderr>,
    ) -> Child {
        Child {
            process: Some(process),
            status: None,
            stdin,
            stdout,
            stderr,
        }
    }

    fn process(&self) -> &Process {
        self.process
            .as_ref()
            .expect("a Child always holds its process until dropped")
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.process().pid() as u32
    }

    /// The child's pidfd: it becomes readable when the child exits, so an
    /// event loop can wait for it without a thread. `None` on kernels that
    /// gave none (before 5.3). After the child has been reaped it stays
    /// valid, but no longer refers to a process.
    ///
    /// With tokio (`AsyncFd`; tokio is not a dependency of this crate):
    ///
    /// ```ignore
    /// let mut child = spx::Command::new("/bin/sleep").arg("1").spawn()?;
    /// let pidfd = child.pidfd().expect("Linux 5.3 or later");
    /// let ready = tokio::io::unix::AsyncFd::with_interest(pidfd, tokio::io::Interest::READABLE)?;
    /// ready.readable().await?.retain_ready(); // the child has exited
    /// drop(ready);
    /// let status = child.try_wait()?.expect("exited");
    /// ```
    pub fn pidfd(&self) -> Option<BorrowedFd<'_>> {
        let fd = self.process().pidfd();
        // SAFETY: owned by the handle, which lives as long as `self`.
        (fd >= 0).then(|| unsafe { BorrowedFd::borrow_raw(fd) })
    }

    /// Windows: the child's process handle (owned by the `Child`: do not
    /// close it), for `WaitForMultipleObjects` and the like. `None` on Linux,
    /// where [`pidfd`](Child::pidfd) plays that part.
    pub fn raw_handle(&self) -> Option<crate::RawHandle> {
        let h = self.process().handle();
        (!h.is_null()).then_some(h)
    }

    /// Wait for the child to exit, closing its standard input first (so a
    /// child reading it sees end-of-file). Calling it again returns the same
    /// status.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        self.wait_ms(-1)
            .map(|s| s.expect("an endless wait returns a status"))
    }

    /// The exit status if the child has exited, `None` if it still runs.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.wait_ms(0)
    }

    /// Wait at most `timeout` (rounded up to a millisecond) for the child;
    /// `None` if it still runs. Its standard input stays open.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        let ms = timeout.as_nanos().saturating_add(999_999) / 1_000_000;
        self.wait_ms(i32::try_from(ms).unwrap_or(i32::MAX))
    }

    fn wait_ms(&mut self, ms: i32) -> io::Result<Option<ExitStatus>> {
        if let Some(s) = self.status {
            return Ok(Some(s));
        }
        let s = self
            .process
            .as_mut()
            .expect("held until drop")
            .wait_timeout(ms)?;
        self.status = s;
        Ok(s)
    }

    /// Kill the child with SIGKILL. A child already waited for is left
    /// alone (`Ok`); one that exited unwaited is a zombie, and SIGKILL does
    /// nothing to it.
    pub fn kill(&mut self) -> io::Result<()> {
        if self.status.is_some() {
            return Ok(());
        }
        self.signal(sys::SIGKILL)
    }

    /// Send signal `sig`, through the pidfd: never to another process that
    /// reused the pid. `ESRCH` once the child has been reaped.
    pub fn signal(&self, sig: i32) -> io::Result<()> {
        self.process().signal(sig)
    }

    /// Wait for the child and collect its piped standard output and error
    /// (read together, so a child filling one pipe never blocks).
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        let (stdout, stderr) = (self.stdout.take(), self.stderr.take());
        let (out, err) = std::thread::scope(|s| -> io::Result<(Vec<u8>, Vec<u8>)> {
            let reader = stderr.map(|mut e| {
                s.spawn(move || {
                    let mut v = Vec::new();
                    e.read_to_end(&mut v).map(|_| v)
                })
            });
            let mut out = Vec::new();
            if let Some(mut o) = stdout {
                o.read_to_end(&mut out)?;
            }
            let err = match reader {
                Some(r) => r.join().map_err(|_| {
                    io::Error::new(io::ErrorKind::Other, "stderr reader panicked")
                })??,
                None => Vec::new(),
            };
            Ok((out, err))
        })?;
        let status = self.wait()?;
        Ok(Output {
            status,
            stdout: out,
            stderr: err,
        })
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if let Some(p) = self.process.take() {
            if self.status.is_none() {
                reaper::adopt(p);
            }
        }
    }
}
