//! The Windows API of libspx as seen from Linux: the SID derivations work
//! (against the values Microsoft publishes), everything else answers
//! ENOTSUP, and a command that asks for a Windows attribute never runs.

mod common;

use std::ptr;

use spx::appcontainer::{self, Access, Flags};
use spx::{Command, JobFlags, Stage};

const EINVAL: i32 = 22;
const ENOTSUP: i32 = 95;

const EDGE_SID: &str =
    "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194";

#[test]
fn appcontainer_sids_match_windows() {
    assert_eq!(
        appcontainer::sid("Microsoft.MicrosoftEdge_8wekyb3d8bbwe").unwrap(),
        EDGE_SID
    );
    // Profile names are case-insensitive: the name is lower-cased first.
    assert_eq!(
        appcontainer::sid("MICROSOFT.MICROSOFTEDGE_8WEKYB3D8BBWE").unwrap(),
        EDGE_SID
    );
}

#[test]
fn capability_sids_match_windows() {
    for (name, sid) in [
        ("internetClient", "S-1-15-3-1"),
        ("internetClientServer", "S-1-15-3-2"),
        ("contacts", "S-1-15-3-12"),
        ("lpacCom", "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256"),
        ("registryRead", "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681"),
        ("S-1-15-3-1", "S-1-15-3-1"),
    ] {
        assert_eq!(appcontainer::capability_sid(name).unwrap(), sid, "{name}");
    }
}

#[test]
fn bad_names_and_sids_are_einval() {
    let long = "a".repeat(65);
    for name in ["", long.as_str(), "a/b", "a\\b", "nul\0byte", "caf\u{e9}"] {
        let e = appcontainer::sid(name).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(EINVAL), "{name:?}: {e}");
        assert_eq!(e.stage(), Stage::NONE);
    }
    assert!(appcontainer::sid(&"a".repeat(64)).is_ok());
    for cap in ["", "nul\0byte", "S-1-15-3-", "S-1-x", "S-1-15-3-1-"] {
        let e = appcontainer::capability_sid(cap).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(EINVAL), "{cap:?}: {e}");
    }
}

#[test]
fn profile_and_acl_changes_are_enotsup() {
    let dir = common::temp_dir("windows-acl");
    for e in [
        appcontainer::delete("spx-test").unwrap_err(),
        appcontainer::grant("spx-test", &dir, Access::READ | Access::WRITE).unwrap_err(),
        appcontainer::revoke("spx-test", &dir).unwrap_err(),
    ] {
        assert_eq!(e.raw_os_error(), Some(ENOTSUP), "{e}");
        assert!(e.to_string().starts_with("appcontainer "), "{e}");
    }
}

/// Each Windows attribute alone makes the spawn fail at PREPARE with
/// ENOTSUP: the child never runs (it would create the marker).
#[test]
fn windows_attributes_fail_closed() {
    let dir = common::temp_dir("windows-attrs");
    let marker = dir.join("ran");
    type Setting = (&'static str, fn(&mut Command));
    let settings: [Setting; 6] = [
        ("appcontainer", |c| {
            c.appcontainer("spx-test", &["internetClient"]);
        }),
        ("appcontainer_flags", |c| {
            c.appcontainer_flags(Flags::LPAC | Flags::NO_PROFILE);
        }),
        ("job", |c| {
            c.job(JobFlags::KILL_ON_CLOSE);
        }),
        ("job without flags", |c| {
            c.job(JobFlags::empty());
        }),
        ("stdio_handle", |c| {
            c.stdio_handle(1, ptr::null_mut());
        }),
        ("inherit_handle", |c| {
            c.inherit_handle(8 as spx::RawHandle);
        }),
    ];
    for (what, set) in settings {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(format!("touch {}", marker.display()));
        set(&mut cmd);
        let e = cmd.status().unwrap_err();
        assert_eq!(
            (e.stage(), e.raw_os_error()),
            (Stage::PREPARE, Some(ENOTSUP)),
            "{what}: {e}"
        );
        assert!(!marker.exists(), "{what}: the child ran");
    }
}

#[test]
fn a_linux_child_has_no_windows_handle() {
    let mut child = Command::new("/bin/true").spawn().unwrap();
    assert_eq!(child.raw_handle(), None);
    assert!(child.pidfd().is_some());
    child.wait().unwrap();
}

#[test]
fn the_job_stage_has_a_name() {
    assert_eq!(Stage::JOB.raw(), 34);
    assert_eq!(Stage::JOB.name(), "job");
}
