//! Resource limits, session and process group, umask, parent-death signal,
//! cgroup placement: read back from inside the child.

mod common;

use std::fs::File;
use std::time::Duration;

use common::{field, probe_cmd, run};
use spx::Resource;

#[test]
fn resource_limits() {
    let out = run(probe_cmd(&["limits"])
        .rlimit(Resource::NOFILE, 100, 200)
        .rlimit(Resource::CORE, 0, 0));
    assert_eq!(field(&out, "limit nofile"), "100 200");
    assert_eq!(field(&out, "limit core"), "0 0");
    // The same resource again replaces the earlier values.
    let out = run(probe_cmd(&["limits"])
        .rlimit(Resource::NOFILE, 100, 200)
        .rlimit(Resource::NOFILE, 50, 60));
    assert_eq!(field(&out, "limit nofile"), "50 60");
    assert_eq!(Resource::from_name("nofile"), Some(Resource::NOFILE));
    assert_eq!(Resource::from_name("RLIMIT_NPROC"), Some(Resource::NPROC));
    assert_eq!(Resource::from_name("nope"), None);
    assert_eq!(format!("{:?}", Resource::AS), "RLIMIT_AS");
}

/// Whether this process has CAP_SYS_RESOURCE (containers often drop it).
fn has_sys_resource() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let eff = u64::from_str_radix(field(&status, "CapEff"), 16).unwrap();
    eff & (1 << 24) != 0
}

#[test]
fn unlimited_limit_and_raising_a_hard_limit() {
    // The address space is unlimited by default: lower it, then ask for
    // "unlimited" again (a raise of the soft limit only).
    let out =
        run(probe_cmd(&["limits"]).rlimit(Resource::AS, Resource::INFINITY, Resource::INFINITY));
    assert_eq!(field(&out, "limit as"), "-1 -1");
    let out = run(probe_cmd(&["limits"]).rlimit(Resource::AS, 1 << 40, Resource::INFINITY));
    assert_eq!(field(&out, "limit as"), format!("{} -1", 1u64 << 40));

    // Raising a hard limit needs CAP_SYS_RESOURCE, checked in the child.
    let mine = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = mine
        .lines()
        .find(|l| l.starts_with("Max locked memory"))
        .unwrap()
        .to_string();
    if line.contains("unlimited") {
        common::skip(
            module_path!(),
            "RLIMIT_MEMLOCK is already unlimited: no hard limit to raise",
        );
        return;
    }
    let r = probe_cmd(&["limits"])
        .rlimit(Resource::MEMLOCK, Resource::INFINITY, Resource::INFINITY)
        .output();
    if has_sys_resource() {
        assert_eq!(
            field(
                &String::from_utf8(r.unwrap().stdout).unwrap(),
                "limit memlock"
            ),
            "-1 -1"
        );
    } else {
        let e = r.unwrap_err();
        assert_eq!(e.stage(), spx::Stage::RLIMIT, "{e:?}");
        assert_eq!(e.raw_os_error(), Some(1), "{e:?}");
    }
}

#[test]
fn new_session_and_process_group() {
    let out = run(probe_cmd(&["stat"]).setsid(true));
    let pid = field(&out, "pid");
    assert_eq!(field(&out, "session"), pid);
    assert_eq!(field(&out, "pgrp"), pid);
    assert_eq!(field(&out, "tty_nr"), "0");

    let out = run(probe_cmd(&["stat"]).process_group(0));
    let pid = field(&out, "pid");
    assert_eq!(field(&out, "pgrp"), pid);
    assert_ne!(field(&out, "session"), pid);

    let out = run(&mut probe_cmd(&["stat"]));
    assert_ne!(field(&out, "pgrp"), field(&out, "pid"));
}

#[test]
fn umask() {
    let out = run(probe_cmd(&["status"]).umask(0o027));
    assert_eq!(field(&out, "Umask"), "0027");
    let out = run(probe_cmd(&["status"]).umask(0o777));
    assert_eq!(field(&out, "Umask"), "0777");
}

#[test]
fn pdeathsig_is_set_and_fires_when_the_spawning_thread_exits() {
    let out = run(probe_cmd(&["pdeathsig"]).pdeathsig(9));
    assert_eq!(field(&out, "pdeathsig"), "9");

    let child = std::thread::spawn(|| probe_cmd(&["sleep=60000"]).pdeathsig(9).spawn().unwrap())
        .join()
        .unwrap();
    let mut child = child;
    let status = child.wait_timeout(Duration::from_secs(50)).unwrap();
    let status = status.unwrap_or_else(|| {
        child.kill().unwrap();
        panic!("the child outlived its spawning thread");
    });
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9));
}

/// The cgroup v2 mount point, from /proc/self/mountinfo.
fn cgroup2_root() -> Option<String> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    info.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        (right.split_whitespace().next() == Some("cgroup2"))
            .then(|| left.split_whitespace().nth(4).unwrap().to_string())
    })
}

#[test]
fn cgroup_placement() {
    need_root!("creating a cgroup needs root");
    let root = match cgroup2_root() {
        Some(r) => r,
        None => {
            common::skip(module_path!(), "no cgroup v2 hierarchy mounted");
            return;
        }
    };
    let name = format!("spx-rust-test-{}", std::process::id());
    let dir = std::path::Path::new(&root).join(&name);
    if let Err(e) = std::fs::create_dir(&dir) {
        common::skip(
            module_path!(),
            &format!("cannot create {}: {e}", dir.display()),
        );
        return;
    }
    let out = probe_cmd(&["cgroup"])
        .cgroup(File::open(&dir).unwrap())
        .output();
    let _ = std::fs::remove_dir(&dir);
    let out = out.unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("cgroup: 0::/") && l.ends_with(&name)),
        "{text}"
    );
}

extern "C" {
    fn posix_openpt(flags: i32) -> i32;
    fn grantpt(fd: i32) -> i32;
    fn unlockpt(fd: i32) -> i32;
    fn ptsname_r(fd: i32, buf: *mut u8, len: usize) -> i32;
}

/// A pseudo-terminal: (master, the path of its slave).
fn pty() -> (File, String) {
    use std::os::unix::io::FromRawFd;
    const O_RDWR_NOCTTY_CLOEXEC: i32 = 0o2 | 0o400 | 0o2_000_000;
    // SAFETY: plain calls on a descriptor owned just below.
    let fd = unsafe { posix_openpt(O_RDWR_NOCTTY_CLOEXEC) };
    assert!(fd >= 0, "posix_openpt");
    // SAFETY: fresh descriptor.
    let master = unsafe { File::from_raw_fd(fd) };
    let mut buf = [0u8; 128];
    // SAFETY: valid descriptor and buffer.
    unsafe {
        assert_eq!(grantpt(fd), 0);
        assert_eq!(unlockpt(fd), 0);
        assert_eq!(ptsname_r(fd, buf.as_mut_ptr(), buf.len()), 0);
    }
    let len = buf.iter().position(|&b| b == 0).unwrap();
    (master, String::from_utf8(buf[..len].to_vec()).unwrap())
}

#[test]
fn controlling_terminal_and_foreground_group() {
    let (_master, slave_path) = pty();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&slave_path)
        .unwrap();
    let out = run(probe_cmd(&["stat"])
        .fd(5, &slave)
        .setsid(true)
        .controlling_tty(5)
        .foreground(5));
    let pid = field(&out, "pid");
    assert_ne!(field(&out, "tty_nr"), "0", "a controlling terminal");
    assert_eq!(field(&out, "tpgid"), pid, "its group in the foreground");
    assert_eq!(field(&out, "session"), pid);

    // Without the terminal: no controlling terminal.
    let out = run(probe_cmd(&["stat"]).fd(5, &slave).setsid(true));
    assert_eq!(field(&out, "tty_nr"), "0");
}
