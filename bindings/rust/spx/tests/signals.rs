//! sigdefault: a signal the caller ignores is reset in the child only when
//! listed. This binary ignores SIGUSR2 itself (its own process).

mod common;

use common::{field, probe_cmd, run};

extern "C" {
    fn signal(sig: i32, handler: usize) -> usize;
}

const SIGUSR2: i32 = 12;
const SIG_IGN: usize = 1;

fn ignored(out: &str) -> u64 {
    u64::from_str_radix(field(out, "SigIgn"), 16).unwrap()
}

#[test]
fn sigdefault_resets_an_ignored_signal() {
    // SAFETY: setting a disposition; no handler code involved.
    unsafe { signal(SIGUSR2, SIG_IGN) };
    let bit = 1u64 << (SIGUSR2 - 1);
    // Ignored signals stay ignored across exec (POSIX)...
    assert_ne!(ignored(&run(&mut probe_cmd(&["status"]))) & bit, 0);
    // ...unless listed.
    let out = run(probe_cmd(&["status"]).sigdefault(&[SIGUSR2]));
    assert_eq!(ignored(&out) & bit, 0);
    // SIGPIPE stays reset as well.
    assert_eq!(ignored(&out) & (1 << 12), 0);
}
