//! Background reaping of children whose `Child` was dropped unwaited, so
//! that none stays a zombie for the rest of the program's life (std's
//! `Child` leaves them).
//!
//! One thread, started at the first such drop, polls the children's pidfds
//! (plus a pipe that announces new ones) and reaps each as it exits. Children
//! without a pidfd (kernels before 5.3) are polled every 100 ms.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::io::AsRawFd;
use std::sync::Mutex;

use crate::process::Process;
use crate::sys;

struct Reaper {
    children: Vec<Process>,
    wake: File,
    /// A wake-up byte is in the pipe and not yet seen: no need for another
    /// (so the pipe never fills, and a write never blocks under the lock).
    woken: bool,
}

static REAPER: Mutex<Option<Reaper>> = Mutex::new(None);

/// Reap `p` now if it has exited, otherwise once it does.
pub(crate) fn adopt(mut p: Process) {
    if !matches!(p.wait_timeout(0), Ok(None)) {
        return; // reaped now (or nothing left to reap)
    }
    let mut guard = REAPER.lock().unwrap_or_else(|e| e.into_inner());
    if guard.is_none() {
        match start() {
            Some(r) => *guard = Some(r),
            // No thread: the child stays unreaped, as with std's Child.
            None => return,
        }
    }
    if let Some(r) = guard.as_mut() {
        r.children.push(p);
        if !r.woken {
            r.woken = true;
            let _ = (&r.wake).write(b"x");
        }
    }
}

fn start() -> Option<Reaper> {
    let (read, write) = sys::pipe().ok()?;
    std::thread::Builder::new()
        .name("spx-reaper".into())
        .spawn(move || run(File::from(read)))
        .ok()?;
    Some(Reaper {
        children: Vec::new(),
        wake: File::from(write),
        woken: false,
    })
}

fn run(wake: File) {
    let mut buf = [0u8; 64];
    loop {
        let (mut fds, slow) = {
            let guard = REAPER.lock().unwrap_or_else(|e| e.into_inner());
            let children = guard.as_ref().map_or(&[][..], |r| &r.children[..]);
            let mut fds = vec![sys::PollFd {
                fd: wake.as_raw_fd(),
                events: sys::POLLIN,
                revents: 0,
            }];
            // Only this thread removes children, so their pidfds stay open
            // while it polls them unlocked.
            fds.extend(children.iter().map(|c| sys::PollFd {
                fd: c.pidfd(),
                events: sys::POLLIN,
                revents: 0,
            }));
            let slow = children.iter().any(|c| c.pidfd() < 0);
            (fds, slow)
        };
        let _ = sys::poll_fds(&mut fds, if slow { 100 } else { -1 });
        let mut guard = REAPER.lock().unwrap_or_else(|e| e.into_inner());
        if fds[0].revents != 0 {
            // At most a few bytes: see Reaper::woken.
            let _ = (&wake).read(&mut buf);
        }
        if let Some(r) = guard.as_mut() {
            r.woken = false;
            r.children
                .retain_mut(|c| matches!(c.wait_timeout(0), Ok(None)));
        }
    }
}
