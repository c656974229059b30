//! uid, gid, groups and capabilities, checked in the child's /proc/self/status.

mod common;

use common::{cap_mask, field, probe_cmd, run};
use spx::Cap;

#[test]
fn uid_gid_and_groups() {
    need_root!("changing uid needs CAP_SETUID");
    let out = run(probe_cmd(&["status"])
        .uid(65534)
        .gid(65533)
        .groups(&[65532, 100]));
    assert_eq!(field(&out, "Uid"), "65534\t65534\t65534\t65534");
    assert_eq!(field(&out, "Gid"), "65533\t65533\t65533\t65533");
    let mut groups: Vec<&str> = field(&out, "Groups").split_whitespace().collect();
    groups.sort_unstable();
    assert_eq!(groups, ["100", "65532"]);
}

#[test]
fn a_new_identity_inherits_no_group_and_no_capability_unasked() {
    need_root!("changing uid needs CAP_SETUID");
    let out = run(probe_cmd(&["status"]).uid(65534).gid(65534));
    assert_eq!(field(&out, "Groups"), "");
    for key in ["CapInh", "CapPrm", "CapEff", "CapAmb"] {
        assert_eq!(field(&out, key), "0000000000000000", "{key}");
    }
}

#[test]
fn ambient_capabilities_survive_the_uid_change() {
    need_root!("changing uid needs CAP_SETUID");
    let caps = [Cap::NET_BIND_SERVICE];
    let out = run(probe_cmd(&["status", "bind=81"])
        .uid(65534)
        .gid(65534)
        .groups(&[])
        .ambient_caps(&caps));
    assert_eq!(field(&out, "Uid"), "65534\t65534\t65534\t65534");
    for key in ["CapAmb", "CapPrm", "CapEff", "CapInh"] {
        assert_eq!(field(&out, key), cap_mask(&caps), "{key}");
    }
    assert_eq!(field(&out, "bind 81"), "ok");

    // Without it, the same child cannot bind a privileged port.
    let out = run(probe_cmd(&["bind=81"]).uid(65534).gid(65534));
    assert_eq!(field(&out, "bind 81"), "EACCES");
}

#[test]
fn inheritable_capabilities() {
    need_root!("changing uid needs CAP_SETUID");
    let out = run(probe_cmd(&["status"])
        .uid(65534)
        .gid(65534)
        .inheritable_caps(&[Cap::CHOWN])
        .ambient_caps(&[Cap::SYS_TIME]));
    assert_eq!(
        field(&out, "CapInh"),
        cap_mask(&[Cap::CHOWN, Cap::SYS_TIME])
    );
    assert_eq!(field(&out, "CapAmb"), cap_mask(&[Cap::SYS_TIME]));
}

#[test]
fn bounding_set() {
    need_root!("reducing the bounding set needs CAP_SETPCAP");
    let keep = [Cap::NET_BIND_SERVICE, Cap::SYS_TIME];
    let out = run(probe_cmd(&["status"]).bounding_caps(&keep));
    assert_eq!(field(&out, "CapBnd"), cap_mask(&keep));
    let out = run(probe_cmd(&["status"]).bounding_caps(&[]));
    assert_eq!(field(&out, "CapBnd"), "0000000000000000");
}

#[test]
fn securebits_noroot_gives_a_root_child_exactly_its_ambient_set() {
    need_root!("securebits need CAP_SETPCAP");
    let caps = [Cap::NET_BIND_SERVICE];
    let bits = spx::SecureBits::NOROOT | spx::SecureBits::NOROOT_LOCKED;
    let out = run(probe_cmd(&["status", "securebits"])
        .ambient_caps(&caps)
        .securebits(bits));
    assert_eq!(field(&out, "securebits"), bits.bits().to_string());
    assert_eq!(field(&out, "Uid"), "0\t0\t0\t0");
    assert_eq!(field(&out, "CapEff"), cap_mask(&caps));
    assert_eq!(field(&out, "CapPrm"), cap_mask(&caps));
}

#[test]
fn a_uid_without_a_gid_is_refused() {
    let e = probe_cmd(&["status"]).uid(65534).output().unwrap_err();
    assert_eq!(e.stage(), spx::Stage::PREPARE);
    assert_eq!(e.raw_os_error(), Some(22));
}

#[test]
fn capability_names() {
    assert_eq!(Cap::from_name("sys_time"), Some(Cap::SYS_TIME));
    assert_eq!(Cap::from_name("CAP_SYS_TIME"), Some(Cap::SYS_TIME));
    assert_eq!(
        Cap::from_name("cap_net_bind_service"),
        Some(Cap::NET_BIND_SERVICE)
    );
    assert_eq!(Cap::from_name("no_such_cap"), None);
    assert_eq!(Cap::from_name("sys\0time"), None);
    assert_eq!(Cap::SYS_TIME.name(), Some("cap_sys_time"));
    assert_eq!(Cap::from_raw(999).name(), None);
    assert_eq!(format!("{:?}", Cap::CHOWN), "cap_chown");
    // The constants agree with the library's table.
    for n in 0..=40 {
        let c = Cap::from_raw(n);
        assert_eq!(Cap::from_name(c.name().unwrap()), Some(c));
    }
}
