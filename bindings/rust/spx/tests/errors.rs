//! Error mapping (stage, errno, message; into io::Error and back) and every
//! bad input, each refused with a clear errno at the parent's PREPARE stage.

mod common;

use std::fs::File;
use std::io;

use common::{probe, probe_cmd};
use spx::landlock::{AccessFs, AccessNet, Compat, Ruleset, Scope};
use spx::seccomp::{Action, Filter, SockFilter};
use spx::{Cap, Command, Resource, SecureBits, Stage};

const ENOENT: i32 = 2;
const EACCES: i32 = 13;
const EBADF: i32 = 9;
const ENOTDIR: i32 = 20;
const EINVAL: i32 = 22;

/// The spawn fails in the parent with EINVAL, naming `what` in its message.
fn einval(cmd: &mut Command, what: &str) {
    let e = cmd.status().unwrap_err();
    assert_eq!(e.stage(), Stage::PREPARE, "{e:?}");
    assert_eq!(e.raw_os_error(), Some(EINVAL), "{e:?}");
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert!(e.message().contains(what), "{what:?} not in {e}");
}

#[test]
fn a_child_stage_failure_carries_stage_errno_and_message() {
    let e = probe_cmd(&[])
        .current_dir("/srv/spx-missing")
        .status()
        .unwrap_err();
    assert_eq!(e.stage(), Stage::CHDIR);
    assert_eq!(e.stage().name(), "chdir");
    assert_eq!(e.raw_os_error(), Some(ENOENT));
    assert_eq!(e.kind(), io::ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "chdir: No such file or directory: /srv/spx-missing"
    );
    assert!(format!("{e:?}").contains("chdir"));

    // Into io::Error: kind and message kept, the spx::Error reachable.
    let io_err: io::Error = e.clone().into();
    assert_eq!(io_err.kind(), io::ErrorKind::NotFound);
    assert_eq!(io_err.to_string(), e.to_string());
    let back = spx::Error::from_io(&io_err).unwrap();
    assert_eq!(back, &e);
    assert_eq!(back.raw_os_error(), Some(ENOENT));
    // And back again into spx::Error unchanged.
    assert_eq!(spx::Error::from(io_err), e);
    // An io::Error of another origin maps to Stage::NONE with its errno.
    let other = spx::Error::from(io::Error::from_raw_os_error(EBADF));
    assert_eq!(other.stage(), Stage::NONE);
    assert_eq!(other.raw_os_error(), Some(EBADF));
}

#[test]
fn exec_of_a_file_that_is_not_executable() {
    let e = Command::new("/etc/passwd").status().unwrap_err();
    assert_eq!(e.stage(), Stage::EXEC);
    assert_eq!(e.raw_os_error(), Some(EACCES));
    assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
}

#[test]
fn identity_failure_names_its_stage() {
    if common::is_root() {
        // Root may change ids: fail at another of the child's stages.
        let e = probe_cmd(&[]).chroot("/spx-missing").status().unwrap_err();
        assert_eq!(e.stage(), Stage::CHROOT, "{e:?}");
        assert_eq!(e.raw_os_error(), Some(ENOENT), "{e:?}");
        assert!(e.to_string().starts_with("chroot: "), "{e}");
    } else {
        let e = probe_cmd(&[])
            .uid(0)
            .gid(0)
            .groups(&[])
            .status()
            .unwrap_err();
        assert!(
            matches!(e.stage(), Stage::SETGROUPS | Stage::SETGID | Stage::SETUID),
            "{e:?}"
        );
        assert_eq!(e.raw_os_error(), Some(1)); // EPERM
    }
}

#[test]
fn bad_strings() {
    einval(&mut Command::new("/bin/tr\0ue"), "program");
    einval(Command::new("/bin/true").arg("a\0b"), "argument");
    einval(Command::new("/bin/true").arg0("a\0b"), "argument");
    einval(Command::new("/bin/true").env("K", "v\0"), "environment");
    einval(Command::new("/bin/true").env("K\0", "v"), "environment");
    einval(Command::new("/bin/true").env("K=V", "v"), "environment");
    einval(Command::new("/bin/true").env("", "v"), "environment");
    einval(Command::new("/bin/true").current_dir("a\0b"), "current_dir");
    einval(Command::new("/bin/true").current_dir(""), "current_dir");
    einval(Command::new("/bin/true").chroot(""), "chroot");
}

#[test]
fn bad_identity() {
    einval(Command::new("/bin/true").uid(u32::MAX).gid(0), "uid");
    einval(Command::new("/bin/true").uid(0).gid(u32::MAX), "gid");
    einval(
        Command::new("/bin/true")
            .uid(0)
            .gid(0)
            .groups(&[1, u32::MAX]),
        "groups",
    );
    einval(
        Command::new("/bin/true")
            .uid(0)
            .gid(0)
            .groups(&vec![1; 65537]),
        "groups",
    );
}

#[test]
fn bad_capabilities() {
    einval(
        Command::new("/bin/true").ambient_caps(&[Cap::from_raw(99)]),
        "ambient_caps",
    );
    einval(
        Command::new("/bin/true").ambient_caps(&[Cap::from_raw(-1)]),
        "ambient_caps",
    );
    einval(
        Command::new("/bin/true").inheritable_caps(&[Cap::from_raw(64)]),
        "inheritable_caps",
    );
    einval(
        Command::new("/bin/true").bounding_caps(&[Cap::from_raw(1000)]),
        "bounding_caps",
    );
    // Ambient outside the requested bounding set: refused at spawn.
    let e = probe_cmd(&[])
        .bounding_caps(&[Cap::CHOWN])
        .ambient_caps(&[Cap::SYS_TIME])
        .status()
        .unwrap_err();
    assert_eq!(e.stage(), Stage::PREPARE);
    assert_eq!(e.raw_os_error(), Some(EINVAL));
    einval(
        Command::new("/bin/true").securebits(SecureBits::from_bits_retain(1 << 4)),
        "securebits",
    );
}

#[test]
fn bad_descriptors_and_signals() {
    einval(
        Command::new("/bin/true").fd(-1, File::open("/dev/null").unwrap()),
        "fd -1",
    );
    einval(Command::new("/bin/true").close_fd(-2), "fd -2");
    let e = Command::new("/bin/true")
        .fd(1 << 30, File::open("/dev/null").unwrap())
        .status()
        .unwrap_err();
    assert_eq!((e.stage(), e.raw_os_error()), (Stage::PREPARE, Some(EBADF)));
    einval(Command::new("/bin/true").sigmask(&[0]), "sigmask");
    einval(Command::new("/bin/true").sigmask(&[65]), "sigmask");
    einval(Command::new("/bin/true").sigdefault(&[9]), "sigdefault");
    einval(Command::new("/bin/true").sigdefault(&[19]), "sigdefault");
    einval(Command::new("/bin/true").pdeathsig(65), "pdeathsig");
    einval(Command::new("/bin/true").pdeathsig(-1), "pdeathsig");
}

#[test]
fn bad_controls() {
    einval(
        Command::new("/bin/true").rlimit(Resource::NOFILE, 10, 5),
        "rlimit",
    );
    einval(
        Command::new("/bin/true").rlimit(Resource::from_raw(99), 1, 1),
        "rlimit",
    );
    einval(Command::new("/bin/true").process_group(-2), "process_group");
    einval(
        Command::new("/bin/true").controlling_tty(-2),
        "controlling_tty",
    );
    einval(Command::new("/bin/true").foreground(-2), "foreground");
    einval(Command::new("/bin/true").umask(0o1000), "umask");
    einval(Command::new("/bin/true").umask(u32::MAX), "umask");
    // A terminal needs a new session: refused at spawn.
    let e = Command::new("/bin/true")
        .controlling_tty(0)
        .status()
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::PREPARE, Some(EINVAL))
    );
    // A cgroup or exec directory must be a directory.
    let file = File::open(probe()).unwrap();
    let e = Command::new("/bin/true")
        .cgroup(&file)
        .status()
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::PREPARE, Some(ENOTDIR))
    );
    let e = Command::new("true")
        .exec_dirfd(&file, false)
        .status()
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::PREPARE, Some(ENOTDIR))
    );
}

#[test]
fn bad_landlock_rulesets() {
    let code = |r: Result<Ruleset, spx::Error>| {
        let e = r.unwrap_err();
        assert_eq!(e.stage(), Stage::PREPARE);
        e.raw_os_error().unwrap()
    };
    assert_eq!(code(Ruleset::new(99, Compat::BestEffort)), EINVAL);
    assert_eq!(code(Ruleset::new(u32::MAX, Compat::BestEffort)), EINVAL);
    let rs = || Ruleset::new(1, Compat::BestEffort).unwrap();
    let e = rs().allow_path("/spx/missing", AccessFs::RO).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(ENOENT));
    assert!(e.to_string().contains("/spx/missing"), "{e}");
    assert_eq!(code(rs().allow_path("/", AccessFs::empty())), EINVAL);
    assert_eq!(code(rs().allow_path("a\0b", AccessFs::RO)), EINVAL);
    assert_eq!(
        code(rs().allow_path("/", AccessFs::from_bits_retain(1 << 40))),
        EINVAL
    );
    assert_eq!(code(rs().allow_port(80, AccessNet::empty())), EINVAL);
    assert_eq!(code(rs().scope(Scope::from_bits_retain(1 << 9))), EINVAL);
    assert_eq!(
        code(rs().handle_access(AccessFs::from_bits_retain(1 << 40), AccessNet::empty())),
        EINVAL
    );
}

#[test]
fn bad_seccomp_filters() {
    let code = |r: Result<Filter, spx::Error>| r.unwrap_err().raw_os_error().unwrap();
    let f = || Filter::new(Action::Allow).unwrap();
    assert_eq!(code(f().rule("no_such_syscall", Action::Errno(1))), EINVAL);
    assert_eq!(code(f().rule("mk\0dir", Action::Errno(1))), EINVAL);
    assert_eq!(code(f().rule("mkdir", Action::Errno(4095))), EINVAL);
    assert_eq!(code(f().rule("mkdir", Action::Errno(4096))), EINVAL);
    assert_eq!(code(f().rule("mkdir", Action::Errno(-1))), EINVAL);
    assert_eq!(code(f().rule_nr(-1, Action::Errno(1))), EINVAL);
    assert_eq!(code(f().rule_nr(100_000, Action::Errno(1))), EINVAL);
    assert_eq!(code(Filter::new(Action::Errno(5000))), EINVAL);
    assert_eq!(
        Action::Errno(4094).to_raw(),
        Some(spx_sys::SPX_SECCOMP_ERRNO(4094))
    );
    einval(Command::new("/bin/true").seccomp_bpf(&[]), "seccomp_bpf");
    let too_long = vec![
        SockFilter {
            code: 6,
            jt: 0,
            jf: 0,
            k: 0x7fff_0000
        };
        4097
    ];
    einval(
        Command::new("/bin/true").seccomp_bpf(&too_long),
        "seccomp_bpf",
    );
}

#[test]
fn a_command_with_a_bad_setting_can_be_fixed() {
    let mut cmd = Command::new("/bin/true");
    cmd.uid(0);
    assert!(cmd.status().is_err());
    cmd.gid(0);
    if common::is_root() {
        assert!(cmd.status().unwrap().success());
    }
}

#[test]
fn stage_names() {
    assert_eq!(Stage::PREPARE.name(), "prepare");
    assert_eq!(Stage::SETUID.name(), "setuid");
    assert_eq!(Stage::LANDLOCK.name(), "landlock");
    assert_eq!(Stage::RLIMIT.raw(), 17);
    assert_eq!(Stage::from_raw(999).name(), "unknown");
    assert_eq!(Stage::EXEC.to_string(), "exec");
}

#[test]
fn descriptors_of_the_wrong_kind() {
    // Not a Landlock ruleset.
    let null = File::open("/dev/null").unwrap();
    let e = Command::new("/bin/true")
        .landlock_fd(&null)
        .status()
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::LANDLOCK, Some(77)),
        "{e:?}"
    ); // EBADFD
       // A directory is not a program.
    let dir = File::open("/").unwrap();
    let e = Command::new("root").exec_fd(&dir).status().unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::EXEC, Some(EACCES)),
        "{e:?}"
    );
    // A directory that is not a cgroup v2 one.
    if common::is_root() {
        let e = Command::new("/bin/true").cgroup(&dir).status().unwrap_err();
        assert_eq!(
            (e.stage(), e.raw_os_error()),
            (Stage::CGROUP, Some(EBADF)),
            "{e:?}"
        );
    }
}
