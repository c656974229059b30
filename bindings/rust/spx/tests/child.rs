//! Child: exit status, signals, waits with and without a limit, the pidfd,
//! and what dropping an unwaited child does.

mod common;

use std::os::unix::io::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use common::{field, probe_cmd};
use spx::Stdio;

#[test]
fn exit_code_and_signal() {
    let st = probe_cmd(&["exit=7"]).status().unwrap();
    assert_eq!(st.code(), Some(7));
    assert!(!st.success());
    let st = probe_cmd(&["raise=15"]).status().unwrap();
    assert_eq!(st.code(), None);
    assert_eq!(st.signal(), Some(15));
    assert!(!st.core_dumped());
}

#[test]
fn id_is_the_childs_pid() {
    let mut child = probe_cmd(&["stat"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert_eq!(field(&out, "pid"), child.id().to_string());
    assert_eq!(field(&out, "ppid"), std::process::id().to_string());
    assert!(child.wait().unwrap().success());
}

#[test]
fn kill_try_wait_and_wait_timeout() {
    let mut child = probe_cmd(&["sleep=60000"]).spawn().unwrap();
    assert_eq!(child.try_wait().unwrap(), None);
    assert_eq!(child.wait_timeout(Duration::from_millis(20)).unwrap(), None);
    child.kill().unwrap();
    let st = child.wait().unwrap();
    assert_eq!(st.signal(), Some(9));
    // Waiting again gives the same status; killing a reaped child is Ok.
    assert_eq!(child.wait().unwrap(), st);
    assert_eq!(child.try_wait().unwrap(), Some(st));
    child.kill().unwrap();
    // A raw signal to a reaped child: ESRCH, never another process.
    assert_eq!(child.signal(15).unwrap_err().raw_os_error(), Some(3));
}

#[test]
fn signal() {
    let mut child = probe_cmd(&["sleep=60000"]).spawn().unwrap();
    child.signal(10).unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(10));
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

extern "C" {
    fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
}

#[test]
fn pidfd_becomes_readable_at_exit() {
    let mut child = probe_cmd(&["sleep=50"]).spawn().unwrap();
    let pidfd = match child.pidfd() {
        Some(fd) => fd.as_raw_fd(),
        None => {
            common::skip(module_path!(), "the kernel gave no pidfd");
            return;
        }
    };
    let mut pfd = PollFd {
        fd: pidfd,
        events: 1, /* POLLIN */
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let n = unsafe { poll(&mut pfd, 1, -1) };
    assert_eq!(n, 1);
    assert_eq!(pfd.revents & 1, 1, "revents {:#x}", pfd.revents);
    assert!(child.try_wait().unwrap().unwrap().success());
}

fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim().chars().next()
}

/// Poll (not a timing assertion: the limit only bounds a failing test).
fn gone_within(pid: u32, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if state(pid).is_none() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn dropping_a_running_child_neither_kills_it_nor_leaves_a_zombie() {
    let child = probe_cmd(&["sleep=300"]).spawn().unwrap();
    let pid = child.id();
    drop(child);
    assert_eq!(
        state(pid).map(|s| s != 'Z'),
        Some(true),
        "still running after drop"
    );
    assert!(
        gone_within(pid, Duration::from_secs(60)),
        "pid {pid} not reaped: {:?}",
        state(pid)
    );

    // Several at once, with one that has already exited.
    let done = probe_cmd(&[]).spawn().unwrap();
    let done_pid = done.id();
    while state(done_pid) != Some('Z') {
        std::thread::sleep(Duration::from_millis(5));
    }
    let pids: Vec<u32> = (0..5)
        .map(|i| {
            let c = probe_cmd(&[&format!("sleep={}", 50 * i)]).spawn().unwrap();
            let pid = c.id();
            drop(c);
            pid
        })
        .collect();
    drop(done);
    assert_eq!(state(done_pid), None, "an exited child is reaped at drop");
    for pid in pids {
        assert!(
            gone_within(pid, Duration::from_secs(60)),
            "pid {pid}: {:?}",
            state(pid)
        );
    }
}

#[test]
fn wait_with_output() {
    let child = probe_cmd(&["echo=out", "out=2", "echo=err"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"out\n");
    assert_eq!(out.stderr, b"err\n");
}

#[test]
fn sigpipe_is_back_to_default_in_the_child() {
    // The Rust runtime ignores SIGPIPE in this process...
    let mine = std::fs::read_to_string("/proc/self/status").unwrap();
    let ign = u64::from_str_radix(field(&mine, "SigIgn"), 16).unwrap();
    assert_ne!(ign & (1 << 12), 0, "the test process should ignore SIGPIPE");
    // ...and the child gets the default action back, as with std.
    let out = common::run(&mut probe_cmd(&["status"]));
    let ign = u64::from_str_radix(field(&out, "SigIgn"), 16).unwrap();
    assert_eq!(ign & (1 << 12), 0, "SigIgn {ign:x}");
}
