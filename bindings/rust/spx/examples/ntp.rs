//! Seed: run an NTP client as `nobody` with exactly CAP_SYS_TIME (Go issue
//! 19713, "ambient capabilities"). The capability survives the uid change as
//! an ambient one; the child gets no group and nothing else.
//!
//!   sudo cargo run --example ntp                 # shows what the child got
//!   sudo cargo run --example ntp -- /usr/sbin/ntpd -q -n
//!
//! Without a program, the child is `grep` reading its own status.

use spx::{Cap, Command, Stdio};

fn main() -> Result<(), spx::Error> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        args = [
            "/bin/grep",
            "-E",
            "^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Amb))",
            "/proc/self/status",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
    }
    let status = Command::new(&args[0])
        .args(&args[1..])
        .uid(65534)
        .gid(65534)
        .groups(&[])
        .ambient_caps(&[Cap::SYS_TIME])
        .stdin(Stdio::null())
        .status();
    match status {
        Ok(status) => {
            println!("{}: {status}", args[0]);
            Ok(())
        }
        Err(e) => {
            // For instance "setgroups: Operation not permitted" when not root.
            eprintln!("ntp example: {e} (stage {})", e.stage());
            Err(e)
        }
    }
}
