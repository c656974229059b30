//! chroot, Landlock, seccomp and exec of a descriptor, seen from the child.

mod common;

use std::fs::File;
use std::os::unix::io::{FromRawFd, OwnedFd};
use std::path::Path;

use common::{field, probe, probe_cmd, run, static_probe, temp_dir};
use spx::landlock::{self, AccessFs, Compat, Ruleset, RulesetStatus};
use spx::seccomp::{Action, Filter, SockFilter};

#[test]
fn chroot_runs_the_program_inside() {
    need_root!("chroot needs CAP_SYS_CHROOT");
    let root = temp_dir("chroot");
    // A hard link where possible: a copy's write descriptor, inherited for
    // a moment by children other tests start meanwhile, makes the exec fail
    // with ETXTBSY; the copy is retried for that reason.
    if std::fs::hard_link(static_probe(), root.join("probe")).is_err() {
        std::fs::copy(static_probe(), root.join("probe")).unwrap();
    }
    let outside = format!("read={}", probe().display());
    let mut cmd = spx::Command::new("/probe");
    cmd.args(["cwd", "read=/probe", &outside]).chroot(&root);
    let mut tries = 0;
    let out = loop {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(26) && tries < 100 => tries += 1, // ETXTBSY
            r => break String::from_utf8(r.unwrap().stdout).unwrap(),
        }
    };
    assert_eq!(field(&out, "cwd"), "/");
    assert_eq!(field(&out, "read /probe"), "ok");
    assert_eq!(
        field(&out, &format!("read {}", probe().display())),
        "ENOENT"
    );
    std::fs::remove_dir_all(root).unwrap();
}

fn sandbox_for_probe(dir: &Path) -> Ruleset {
    let probe = probe();
    Ruleset::new(1, Compat::BestEffort)
        .unwrap()
        .allow_path(probe.parent().unwrap(), AccessFs::ROX)
        .unwrap()
        .allow_path("/usr", AccessFs::ROX)
        .unwrap()
        .allow_path("/lib", AccessFs::ROX)
        .unwrap()
        .allow_path("/proc", AccessFs::RO)
        .unwrap()
        .allow_path(dir, AccessFs::RW)
        .unwrap()
}

#[test]
fn landlock_restricts_the_child_only() {
    if landlock::abi() == 0 {
        common::skip(module_path!(), "no Landlock in this kernel");
        return;
    }
    let dir = temp_dir("landlock");
    let outside = temp_dir("landlock-outside");
    let ruleset = sandbox_for_probe(&dir);
    assert_eq!(ruleset.status(), RulesetStatus::FullyEnforced);
    let inside = dir.join("a");
    let denied = outside.join("b");
    let out = run(probe_cmd(&[
        &format!("write={}", inside.display()),
        &format!("write={}", denied.display()),
        "status",
    ])
    .landlock(&ruleset));
    assert_eq!(field(&out, &format!("write {}", inside.display())), "ok");
    assert_eq!(
        field(&out, &format!("write {}", denied.display())),
        "EACCES"
    );
    // no_new_privs is implied unless the child keeps CAP_SYS_ADMIN (root).
    let nnp = if common::is_root() { "0" } else { "1" };
    assert_eq!(field(&out, "NoNewPrivs"), nnp);
    // The parent keeps its access.
    File::create(&denied).unwrap();

    // The same through a descriptor made by the ruleset.
    let fd = ruleset.create_fd().unwrap().expect("a kernel ruleset");
    let again = outside.join("c");
    let out = run(probe_cmd(&[&format!("write={}", again.display())]).landlock_fd(&fd));
    assert_eq!(field(&out, &format!("write {}", again.display())), "EACCES");
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(outside).unwrap();
}

#[test]
fn landlock_network_only_ruleset() {
    if landlock::abi() < 4 {
        common::skip(
            module_path!(),
            &format!("Landlock ABI {} has no network rules", landlock::abi()),
        );
        return;
    }
    let ruleset = Ruleset::new(4, Compat::HardRequirement)
        .unwrap()
        .handle_access(AccessFs::empty(), landlock::AccessNet::BIND_TCP)
        .unwrap()
        .allow_port(47001, landlock::AccessNet::BIND_TCP)
        .unwrap();
    let out = run(probe_cmd(&["bind=47001", "bind=47002", "write=/dev/null"]).landlock(&ruleset));
    assert_eq!(field(&out, "bind 47001"), "ok");
    assert_eq!(field(&out, "bind 47002"), "EACCES");
    assert_eq!(field(&out, "write /dev/null"), "ok");
}

#[test]
fn seccomp_filter_denies_the_listed_calls() {
    let filter = Filter::new(Action::Allow)
        .unwrap()
        .rule("mkdir", Action::Errno(1))
        .unwrap()
        .rule("mkdirat", Action::Errno(1))
        .unwrap();
    assert!(filter.bpf_len().unwrap() > 0);
    let dir = temp_dir("seccomp");
    let target = dir.join("d");
    let arg = format!("mkdir={}", target.display());
    let out = run(probe_cmd(&[&arg, "status"]).seccomp(&filter));
    assert_eq!(field(&out, &format!("mkdir {}", target.display())), "EPERM");
    assert_eq!(field(&out, "Seccomp"), "2");
    // Without the filter the same call works.
    let out = run(&mut probe_cmd(&[&arg]));
    assert_eq!(field(&out, &format!("mkdir {}", target.display())), "ok");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_filter_changed_after_use_leaves_the_command_as_it_was() {
    let filter = Filter::new(Action::Allow)
        .unwrap()
        .rule("socket", Action::Errno(13))
        .unwrap();
    let mut cmd = probe_cmd(&["socket"]);
    cmd.seccomp(&filter);
    let filter = filter.rule("socket", Action::Errno(1)).unwrap();
    assert_eq!(field(&run(&mut cmd), "socket"), "EACCES");
    assert_eq!(
        field(&run(probe_cmd(&["socket"]).seccomp(&filter)), "socket"),
        "EPERM"
    );
}

#[cfg(target_arch = "x86_64")]
#[test]
fn raw_bpf_program() {
    // ld arch; jne x86_64 -> kill; ld nr; jeq mkdir -> EACCES; allow
    const LD_W_ABS: u16 = 0x20;
    const JEQ_K: u16 = 0x15;
    const RET_K: u16 = 0x06;
    let prog = [
        SockFilter {
            code: LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 4,
        },
        SockFilter {
            code: JEQ_K,
            jt: 1,
            jf: 0,
            k: 0xc000_003e,
        },
        SockFilter {
            code: RET_K,
            jt: 0,
            jf: 0,
            k: 0x8000_0000,
        },
        SockFilter {
            code: LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 0,
        },
        SockFilter {
            code: JEQ_K,
            jt: 0,
            jf: 1,
            k: 83,
        },
        SockFilter {
            code: RET_K,
            jt: 0,
            jf: 0,
            k: spx_errno(13),
        },
        SockFilter {
            code: RET_K,
            jt: 0,
            jf: 0,
            k: 0x7fff_0000,
        },
    ];
    let dir = temp_dir("bpf");
    let target = dir.join("d");
    let out = run(probe_cmd(&[&format!("mkdir={}", target.display())]).seccomp_bpf(&prog));
    assert_eq!(
        field(&out, &format!("mkdir {}", target.display())),
        "EACCES"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(target_arch = "x86_64")]
fn spx_errno(e: u32) -> u32 {
    Action::Errno(e as i32).to_raw().unwrap()
}

#[test]
fn exec_of_a_descriptor() {
    let file = File::open(probe()).unwrap();
    let out = run(spx::Command::new("my-name")
        .args(["argv0", "exe"])
        .exec_fd(&file));
    assert_eq!(field(&out, "argv0"), "my-name");
    assert_eq!(
        Path::new(field(&out, "exe")),
        probe().canonicalize().unwrap()
    );
}

extern "C" {
    fn memfd_create(name: *const std::os::raw::c_char, flags: u32) -> i32;
}

#[test]
fn exec_of_a_memfd() {
    // SAFETY: a valid name; the new descriptor is owned below.
    let fd = unsafe {
        memfd_create(b"spx-test\0".as_ptr().cast(), 1 /* MFD_CLOEXEC */)
    };
    assert!(fd >= 0);
    // SAFETY: fresh and unowned.
    let mut mem = File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    std::io::copy(&mut File::open(probe()).unwrap(), &mut mem).unwrap();
    let out = run(spx::Command::new("probe").arg("exe").exec_fd(mem));
    assert!(field(&out, "exe").starts_with("/memfd:spx-test"), "{out}");
}

#[test]
fn exec_relative_to_a_directory() {
    let probe = probe();
    let dir = File::open(probe.parent().unwrap()).unwrap();
    let name = probe.file_name().unwrap();
    let out = run(spx::Command::new(name).arg("exe").exec_dirfd(&dir, false));
    assert_eq!(Path::new(field(&out, "exe")), probe.canonicalize().unwrap());

    // nofollow refuses a final symbolic link, at the exec stage.
    let links = temp_dir("dirfd");
    std::os::unix::fs::symlink(&probe, links.join("link")).unwrap();
    let dir = File::open(&links).unwrap();
    let out = run(spx::Command::new("link").arg("exe").exec_dirfd(&dir, false));
    assert_eq!(Path::new(field(&out, "exe")), probe.canonicalize().unwrap());
    let e = spx::Command::new("link")
        .exec_dirfd(&dir, true)
        .status()
        .unwrap_err();
    assert_eq!(e.stage(), spx::Stage::EXEC);
    assert_eq!(e.raw_os_error(), Some(40)); // ELOOP
    std::fs::remove_dir_all(links).unwrap();
}

#[test]
fn no_new_privs() {
    let out = run(probe_cmd(&["status"]).no_new_privs(true));
    assert_eq!(field(&out, "NoNewPrivs"), "1");
    let out = run(&mut probe_cmd(&["status"]));
    assert_eq!(field(&out, "NoNewPrivs"), "0");
}
