//! The std-like settings: directory, environment, argv[0], PATH search,
//! descriptors, signal mask.

mod common;

use std::fs::File;
use std::path::Path;

use common::{field, fields, probe, probe_cmd, run, temp_dir};

#[test]
fn current_dir() {
    let dir = temp_dir("cwd");
    let out = run(probe_cmd(&["cwd"]).current_dir(&dir));
    assert_eq!(Path::new(field(&out, "cwd")), dir.canonicalize().unwrap());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn environment_is_inherited_changed_or_cleared() {
    std::env::set_var("SPX_RUST_TEST_INHERITED", "yes");
    std::env::set_var("SPX_RUST_TEST_REMOVED", "yes");
    let out = run(probe_cmd(&["env"])
        .env("SPX_RUST_TEST_ADDED", "a=b")
        .env_remove("SPX_RUST_TEST_REMOVED"));
    let env = fields(&out, "env");
    assert!(env.contains(&"SPX_RUST_TEST_INHERITED=yes"), "{env:?}");
    assert!(env.contains(&"SPX_RUST_TEST_ADDED=a=b"), "{env:?}");
    assert!(
        !env.iter().any(|v| v.starts_with("SPX_RUST_TEST_REMOVED=")),
        "{env:?}"
    );

    let out = run(probe_cmd(&["env"])
        .env("IGNORED", "1")
        .env_clear()
        .envs([("ONLY", "1")]));
    assert_eq!(fields(&out, "env"), ["ONLY=1"]);

    // No change at all: the caller's environment as it is.
    let out = run(&mut probe_cmd(&["env"]));
    assert!(fields(&out, "env").contains(&"SPX_RUST_TEST_REMOVED=yes"));
}

#[test]
fn arg0_and_arguments() {
    let out = run(probe_cmd(&["argv0"]).arg0("renamed"));
    assert_eq!(field(&out, "argv0"), "renamed");
    let out = run(&mut probe_cmd(&["argv0"]));
    assert_eq!(Path::new(field(&out, "argv0")), probe());
    let cmd = probe_cmd(&["a", "b"]);
    assert_eq!(cmd.get_program(), probe().as_os_str());
    assert_eq!(cmd.get_args().collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn path_search() {
    let out = spx::Command::new("true").status().unwrap();
    assert!(out.success());
    let out = spx::Command::new("false").status().unwrap();
    assert_eq!(out.code(), Some(1));
    let e = spx::Command::new("spx-no-such-program")
        .status()
        .unwrap_err();
    assert_eq!(e.stage(), spx::Stage::PREPARE);
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    // A name with a slash is not searched.
    let e = spx::Command::new("./spx-no-such-program")
        .status()
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(2));
    // search_path(false) takes a bare name as a path relative to the cwd.
    let e = spx::Command::new("true")
        .search_path(false)
        .current_dir("/")
        .status()
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(2));
}

#[test]
fn descriptors_are_mapped_and_others_closed() {
    let dir = temp_dir("fds");
    let path = dir.join("seven");
    let f = File::create(&path).unwrap();
    let other = File::create(dir.join("not-given")).unwrap();
    let out = run(probe_cmd(&["fds"]).fd(7, &f).close_fd(0));
    let fds = fields(&out, "fd");
    assert!(
        fds.contains(&format!("7 -> {}", path.display()).as_str()),
        "{fds:?}"
    );
    assert!(!fds.iter().any(|l| l.starts_with("0 ")), "{fds:?}");
    assert_eq!(fds.len(), 3, "only 1, 2 and 7: {fds:?}");
    drop(other);

    // The probe writes to a mapped descriptor.
    let (mut r, w) = pipe_pair();
    let out = run(probe_cmd(&["out=9", "echo=hello"]).fd(9, &w));
    drop(w);
    assert_eq!(out, "");
    let mut got = String::new();
    std::io::Read::read_to_string(&mut r, &mut got).unwrap();
    assert_eq!(got, "hello\n");
    std::fs::remove_dir_all(dir).unwrap();
}

extern "C" {
    fn pipe(fds: *mut i32) -> i32;
}

/// A plain pipe: (read end, write end).
fn pipe_pair() -> (File, File) {
    use std::os::unix::io::FromRawFd;
    let mut fds = [0i32; 2];
    // SAFETY: room for two descriptors, owned below.
    assert_eq!(unsafe { pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: fresh descriptors.
    unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) }
}

#[test]
fn signal_mask() {
    let out = run(probe_cmd(&["status"]).sigmask(&[10, 12]));
    assert_eq!(
        field(&out, "SigBlk"),
        format!("{:016x}", (1u64 << 9) | (1 << 11))
    );
    let out = run(probe_cmd(&["status"]).sigmask(&[]));
    assert_eq!(field(&out, "SigBlk"), "0000000000000000");
}

#[test]
fn appcontainer_is_windows_only() {
    let e = probe_cmd(&[])
        .appcontainer("box", &["S-1-15-3-1"])
        .status()
        .unwrap_err();
    assert_eq!(e.stage(), spx::Stage::PREPARE);
    assert_eq!(e.raw_os_error(), Some(95)); // ENOTSUP
}

#[test]
fn library_version() {
    assert_eq!(spx::version(), "0.1.0");
}
