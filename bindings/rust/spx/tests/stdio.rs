//! Standard streams: pipes with several MiB each way, null, files, chaining.

mod common;

use std::fs::File;
use std::io::{Read, Write};

use common::{probe_cmd, run, temp_dir};
use spx::{Command, Stdio};

#[test]
fn several_mib_on_stdout_and_stderr_at_once() {
    let out = Command::new("/bin/sh")
        .args([
            "-c",
            "head -c 8388608 /dev/zero & head -c 5000000 /dev/zero >&2; wait",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), 8 << 20);
    assert_eq!(out.stderr.len(), 5_000_000);
}

#[test]
fn several_mib_through_stdin_and_back() {
    let data: Vec<u8> = (0..6_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut child = Command::new("/bin/cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || stdin.write_all(&data))
    };
    let mut back = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut back).unwrap();
    writer.join().unwrap().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        back == data,
        "cat returned {} bytes, not the {} sent",
        back.len(),
        data.len()
    );
}

#[test]
fn wait_closes_stdin() {
    let mut child = Command::new("/bin/cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.as_mut().unwrap().write_all(b"x").unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn null_file_and_inherit() {
    let out = probe_cmd(&["echo=gone"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"");

    let dir = temp_dir("stdio");
    let path = dir.join("out");
    let st = probe_cmd(&["echo=to-file"])
        .stdout(File::create(&path).unwrap())
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "to-file\n");

    // Inherited: the child's fd 0 is the parent's.
    let mine = std::fs::read_link("/proc/self/fd/0").unwrap();
    let out = run(probe_cmd(&["fds"]).stdin(Stdio::inherit()));
    assert_eq!(
        common::fields(&out, "fd")[0],
        format!("0 -> {}", mine.display())
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn output_gives_stdin_from_dev_null() {
    let out = run(&mut probe_cmd(&["fds"]));
    assert_eq!(common::fields(&out, "fd")[0], "0 -> /dev/null");
}

#[test]
fn a_childs_output_feeds_another_child() {
    let mut first = probe_cmd(&["echo=chained"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = Command::new("/bin/cat")
        .stdin(first.stdout.take().unwrap())
        .output()
        .unwrap();
    assert!(first.wait().unwrap().success());
    assert_eq!(out.stdout, b"chained\n");
}

#[test]
fn a_reused_command_gets_fresh_pipes() {
    let mut cmd = probe_cmd(&["echo=again"]);
    cmd.stdout(Stdio::piped());
    for _ in 0..3 {
        let out = cmd.output().unwrap();
        assert_eq!(out.stdout, b"again\n");
    }
    // Two children of one command at once: each has its own pipe, and each
    // reaches end-of-file when its child exits.
    let mut a = cmd.spawn().unwrap();
    let mut b = cmd.spawn().unwrap();
    let (mut sa, mut sb) = (String::new(), String::new());
    a.stdout.take().unwrap().read_to_string(&mut sa).unwrap();
    b.stdout.take().unwrap().read_to_string(&mut sb).unwrap();
    assert_eq!((sa.as_str(), sb.as_str()), ("again\n", "again\n"));
    a.wait().unwrap();
    b.wait().unwrap();
}
