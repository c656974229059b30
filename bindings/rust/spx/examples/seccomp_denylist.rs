//! Seed: a seccomp deny-list (as `spx-run --deny-syscalls`): everything is
//! allowed except making directories and sockets, which fail with EPERM.
//!
//!   cargo run --example seccomp_denylist -- /bin/mkdir /tmp/spx-denied

use spx::seccomp::{Action, Filter};
use spx::Command;

const EPERM: i32 = 1;

fn main() -> Result<(), spx::Error> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        args = vec!["/bin/mkdir".into(), "/tmp/spx-denied".into()];
    }
    let mut filter = Filter::new(Action::Allow)?;
    for call in ["mkdir", "mkdirat", "socket", "socketpair"] {
        filter = filter.rule(call, Action::Errno(EPERM))?;
    }
    println!("filter: {} BPF instructions", filter.bpf_len()?);
    let status = Command::new(&args[0])
        .args(&args[1..])
        .seccomp(&filter)
        .status()?;
    println!("{}: {status}", args[0]);
    Ok(())
}
