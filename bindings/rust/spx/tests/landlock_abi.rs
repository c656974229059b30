//! Landlock ABI 7 to 10 through the safe crate: the rights of each ABI, the
//! errata, what a kernel older than 9 or 10 does with newer rights (strict
//! refusal, best-effort drop), and the restrict_self logging flags, seen
//! from the probe in real children.

mod common;

use std::os::raw::c_long;
use std::path::Path;

use common::{field, probe_cmd, run, skip, temp_dir};
use spx::landlock::{
    self, AccessFs, AccessNet, Compat, RestrictFlags, RuleFlags, Ruleset, RulesetStatus, Scope,
};
use spx::Stage;

const EINVAL: i32 = 22;
const ENOTSUP: i32 = 95;

/// Each ABI's rights as the kernel documents them (uapi linux/landlock.h and
/// Documentation/userspace-api/landlock.rst, Linux 7.2): filesystem bits
/// 0-12 in ABI 1, REFER in 2, TRUNCATE in 3, IOCTL_DEV in 5, RESOLVE_UNIX in
/// 9; TCP in 4, UDP in 10; both scopes in 6.
const DOCUMENTED: [(u32, u64, u64, u64); 10] = [
    (1, (1 << 13) - 1, 0, 0),
    (2, (1 << 14) - 1, 0, 0),
    (3, (1 << 15) - 1, 0, 0),
    (4, (1 << 15) - 1, 3, 0),
    (5, (1 << 16) - 1, 3, 0),
    (6, (1 << 16) - 1, 3, 3),
    (7, (1 << 16) - 1, 3, 3),
    (8, (1 << 16) - 1, 3, 3),
    (9, (1 << 17) - 1, 3, 3),
    (10, (1 << 17) - 1, 15, 3),
];

#[test]
fn rights_of_each_abi_are_the_kernels() {
    for (abi, fs, net, scope) in DOCUMENTED {
        assert_eq!(
            AccessFs::of_abi(abi).map(AccessFs::bits),
            Some(fs),
            "ABI {abi}"
        );
        assert_eq!(
            AccessNet::of_abi(abi).map(AccessNet::bits),
            Some(net),
            "ABI {abi}"
        );
        assert_eq!(
            Scope::of_abi(abi).map(Scope::bits),
            Some(scope),
            "ABI {abi}"
        );
    }
    assert_eq!(AccessFs::of_abi(0), AccessFs::of_abi(10));
    assert_eq!(AccessNet::of_abi(0), AccessNet::of_abi(10));
    for abi in [11, 1 << 31, u32::MAX] {
        assert_eq!(AccessFs::of_abi(abi), None, "ABI {abi}");
        assert_eq!(AccessNet::of_abi(abi), None, "ABI {abi}");
        assert_eq!(Scope::of_abi(abi), None, "ABI {abi}");
    }
    // The fixed RW keeps the rights of ABI 1 to 8.
    assert_eq!(Some(AccessFs::RW), AccessFs::of_abi(8));
}

extern "C" {
    fn syscall(number: c_long, ...) -> c_long;
}

#[test]
fn errata_are_the_kernels() {
    const SYS_LANDLOCK_CREATE_RULESET: c_long = 444;
    const ERRATA: u32 = 1 << 1;
    // SAFETY: a query with no pointer (NULL attribute, size 0).
    let raw = unsafe { syscall(SYS_LANDLOCK_CREATE_RULESET, 0usize, 0usize, ERRATA) };
    let want = u32::try_from(raw).unwrap_or(0); // an error: none known
    assert_eq!(landlock::errata(), want);
}

fn code<T: std::fmt::Debug>(r: spx::Result<T>) -> i32 {
    r.unwrap_err().raw_os_error().unwrap()
}

#[test]
fn bad_rule_flags_and_quiet_bits_are_refused() {
    let rs = || Ruleset::new(10, Compat::BestEffort).unwrap();
    let bad = RuleFlags::from_bits_retain(1 << 1);
    assert_eq!(code(rs().allow_path_flags("/", AccessFs::RO, bad)), EINVAL);
    assert_eq!(
        code(rs().allow_port_flags(80, AccessNet::BIND_TCP, bad)),
        EINVAL
    );
    assert_eq!(
        code(rs().allow_port(80, AccessNet::from_bits_retain(1 << 4))),
        EINVAL
    );
    let e = rs()
        .quiet(
            AccessFs::from_bits_retain(1 << 40),
            AccessNet::empty(),
            Scope::empty(),
        )
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::PREPARE, Some(EINVAL))
    );
    assert_eq!(
        code(rs().quiet(
            AccessFs::empty(),
            AccessNet::empty(),
            Scope::from_bits_retain(1 << 5)
        )),
        EINVAL
    );
    // A right outside the ruleset's own ABI, whatever the kernel.
    assert_eq!(
        code(
            Ruleset::new(7, Compat::HardRequirement)
                .unwrap()
                .allow_path("/", AccessFs::RESOLVE_UNIX)
        ),
        ENOTSUP
    );
}

#[test]
fn strict_refuses_what_an_older_kernel_lacks() {
    let kernel = landlock::abi();
    if kernel == 0 || kernel >= 10 {
        skip(
            "strict_refuses_what_an_older_kernel_lacks",
            &format!("needs Landlock ABI 1 to 9, not {kernel}"),
        );
        return;
    }
    let rs = || Ruleset::new(10, Compat::HardRequirement).unwrap();
    let udp = AccessNet::BIND_UDP | AccessNet::CONNECT_SEND_UDP;
    assert_eq!(code(rs().allow_port(53, udp)), ENOTSUP);
    assert_eq!(
        code(rs().quiet(AccessFs::RO, AccessNet::empty(), Scope::empty())),
        ENOTSUP
    );
    assert_eq!(
        code(rs().allow_path_flags("/", AccessFs::RO, RuleFlags::QUIET)),
        ENOTSUP
    );
    assert_eq!(
        code(rs().allow_port_flags(80, AccessNet::CONNECT_TCP, RuleFlags::QUIET)),
        ENOTSUP
    );
    assert_eq!(code(rs().handle_access(AccessFs::empty(), udp)), ENOTSUP);
    if kernel < 9 {
        assert_eq!(code(rs().allow_path("/", AccessFs::RESOLVE_UNIX)), ENOTSUP);
    }
    // Every right of ABI 10 cannot be handled here: the status says so and
    // the command does not start.
    let all = rs().allow_path("/", AccessFs::ROX).unwrap();
    assert_ne!(all.status(), RulesetStatus::FullyEnforced);
    assert_eq!(code(all.create_fd()), ENOTSUP);
    let e = probe_cmd(&["echo=ran"])
        .landlock(&all)
        .output()
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(ENOTSUP), "{e}");
}

/// A UDP port nobody uses now on the loopback, also free for TCP.
fn free_port() -> u16 {
    for _ in 0..20 {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port");
}

#[test]
fn best_effort_drops_what_an_older_kernel_lacks() {
    let kernel = landlock::abi();
    if !(4..10).contains(&kernel) {
        skip(
            "best_effort_drops_what_an_older_kernel_lacks",
            &format!("needs Landlock ABI 4 to 9, not {kernel}"),
        );
        return;
    }
    let (dir, other) = (temp_dir("ll10-in"), temp_dir("ll10-out"));
    let port = free_port();
    let rs = Ruleset::new(10, Compat::BestEffort)
        .unwrap()
        .allow_path("/", AccessFs::ROX)
        .unwrap()
        .allow_path_flags(&dir, AccessFs::of_abi(10).unwrap(), RuleFlags::QUIET)
        .unwrap()
        .allow_port(port, AccessNet::BIND_UDP | AccessNet::CONNECT_SEND_UDP)
        .unwrap()
        .quiet(
            AccessFs::of_abi(10).unwrap(),
            AccessNet::of_abi(10).unwrap(),
            Scope::empty(),
        )
        .unwrap();
    assert_eq!(rs.status(), RulesetStatus::PartiallyEnforced);
    let (inside, outside) = (dir.join("f"), other.join("f"));
    let out = run(probe_cmd(&[
        &format!("write={}", inside.display()),
        &format!("write={}", outside.display()),
        &format!("bind={port}"),
        &format!("bind-udp={port}"),
        &format!("send-udp={port}"),
    ])
    .landlock(&rs));
    assert_eq!(field(&out, &format!("write {}", inside.display())), "ok");
    assert_eq!(
        field(&out, &format!("write {}", outside.display())),
        "EACCES"
    );
    assert_eq!(
        field(&out, &format!("bind {port}")),
        "EACCES",
        "TCP is still handled"
    );
    assert_eq!(
        field(&out, &format!("bind-udp {port}")),
        "ok",
        "UDP was dropped"
    );
    assert_eq!(field(&out, &format!("send-udp {port}")), "ok");
    for d in [dir, other] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

fn strict_sandbox(dir: &Path) -> Ruleset {
    Ruleset::new(7, Compat::HardRequirement)
        .unwrap()
        .allow_path("/", AccessFs::ROX)
        .unwrap()
        .allow_path(dir, AccessFs::RW)
        .unwrap()
}

#[test]
fn log_flags_reach_the_child() {
    if landlock::abi() < 7 {
        skip(
            "log_flags_reach_the_child",
            "needs Landlock ABI 7 (the logging flags)",
        );
        return;
    }
    let (dir, other) = (temp_dir("lllog-in"), temp_dir("lllog-out"));
    let rs = strict_sandbox(&dir);
    let all = RestrictFlags::LOG_SAME_EXEC_OFF
        | RestrictFlags::LOG_NEW_EXEC_ON
        | RestrictFlags::LOG_SUBDOMAINS_OFF;
    let (inside, outside) = (dir.join("f"), other.join("f"));
    let args = [
        format!("write={}", inside.display()),
        format!("write={}", outside.display()),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for flags in [RestrictFlags::LOG_NEW_EXEC_ON, all] {
        let out = run(probe_cmd(&args).landlock(&rs).landlock_flags(flags));
        assert_eq!(
            field(&out, &format!("write {}", inside.display())),
            "ok",
            "{flags:?}"
        );
        assert_eq!(
            field(&out, &format!("write {}", outside.display())),
            "EACCES",
            "{flags:?}"
        );
    }
    // By descriptor, as well.
    let fd = rs.create_fd().unwrap().unwrap();
    let out = run(probe_cmd(&args).landlock_fd(&fd).landlock_flags(all));
    assert_eq!(
        field(&out, &format!("write {}", outside.display())),
        "EACCES"
    );
    // LOG_SUBDOMAINS_OFF alone, with no ruleset: nothing else restricted.
    let out = run(probe_cmd(&args).landlock_flags(RestrictFlags::LOG_SUBDOMAINS_OFF));
    assert_eq!(field(&out, &format!("write {}", outside.display())), "ok");
    // An unknown flag: refused before anything runs.
    let never = other.join("never");
    let e = probe_cmd(&[&format!("write={}", never.display())])
        .landlock(&rs)
        .landlock_flags(RestrictFlags::from_bits_retain(1 << 3))
        .output()
        .unwrap_err();
    assert_eq!(
        (e.stage(), e.raw_os_error()),
        (Stage::PREPARE, Some(EINVAL)),
        "{e}"
    );
    assert!(!never.exists());
    for d in [dir, other] {
        std::fs::remove_dir_all(d).unwrap();
    }
}
