//! keep_groups: the caller's supplementary groups pass to the child. This
//! test binary gives itself a group first, so that keeping and clearing
//! differ (its own process: the change affects nothing else).

mod common;

use common::{field, probe_cmd, run};

extern "C" {
    fn setgroups(n: usize, list: *const u32) -> i32;
}

#[test]
fn keep_groups_passes_the_callers_groups_and_the_default_clears_them() {
    need_root!("setgroups needs CAP_SETGID");
    let mine = [4242u32];
    // SAFETY: a valid array of one group.
    assert_eq!(unsafe { setgroups(mine.len(), mine.as_ptr()) }, 0);

    let out = run(probe_cmd(&["status"])
        .uid(65534)
        .gid(65534)
        .keep_groups(true));
    assert_eq!(field(&out, "Groups"), "4242");
    let out = run(probe_cmd(&["status"]).uid(65534).gid(65534));
    assert_eq!(field(&out, "Groups"), "");
    // groups() replaces keep_groups(), and keep_groups(false) the default.
    let out = run(probe_cmd(&["status"])
        .uid(65534)
        .gid(65534)
        .keep_groups(true)
        .groups(&[7]));
    assert_eq!(field(&out, "Groups"), "7");
    let out = run(probe_cmd(&["status"])
        .uid(65534)
        .gid(65534)
        .keep_groups(true)
        .keep_groups(false));
    assert_eq!(field(&out, "Groups"), "");
}
