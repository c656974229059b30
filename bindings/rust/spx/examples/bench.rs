//! spx against std::process::Command: spawn and wait for /bin/true, with the
//! parent at 20 MiB and at 1 GiB of resident memory, plain and with a
//! uid/gid change (where std falls back to fork+exec, whose cost grows with
//! the parent's memory). All four are interleaved in rounds, so that a
//! disturbance on the machine hits them alike; each cell is the median of
//! the rounds' means.
//!
//!   cargo run --release --example bench [-- ROUNDS]
//!
//! The uid/gid rows need root (they are left out otherwise).

use std::os::unix::process::CommandExt;
use std::time::Instant;

const PROGRAM: &str = "/bin/true";
const NOBODY: u32 = 65534;

#[derive(Clone, Copy)]
enum Kind {
    Spx,
    Std,
}

fn spawn_once(kind: Kind, uid_change: bool) {
    let ok = match (kind, uid_change) {
        (Kind::Spx, false) => spx::Command::new(PROGRAM).status().expect("spx").success(),
        (Kind::Spx, true) => spx::Command::new(PROGRAM)
            .uid(NOBODY)
            .gid(NOBODY)
            .groups(&[])
            .status()
            .expect("spx uid")
            .success(),
        (Kind::Std, false) => std::process::Command::new(PROGRAM)
            .status()
            .expect("std")
            .success(),
        // std clears the groups itself when root drops to another uid.
        (Kind::Std, true) => std::process::Command::new(PROGRAM)
            .uid(NOBODY)
            .gid(NOBODY)
            .status()
            .expect("std uid")
            .success(),
    };
    assert!(ok);
}

/// Mean microseconds per spawn over `n` spawns.
fn batch(kind: Kind, uid_change: bool, n: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        spawn_once(kind, uid_change);
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap();
    kib / 1024.0
}

/// Grow the resident set to about `mib` MiB, touching every page.
fn grow_to(ballast: &mut Vec<Vec<u8>>, mib: usize) {
    let chunk = 16 << 20;
    while (rss_mib() as usize) + 16 <= mib {
        let mut v = vec![0u8; chunk];
        for i in (0..chunk).step_by(4096) {
            v[i] = 1;
        }
        ballast.push(v);
    }
    let missing = mib.saturating_sub(rss_mib() as usize) << 20;
    if missing > 0 {
        let mut v = vec![0u8; missing];
        for i in (0..missing).step_by(4096) {
            v[i] = 1;
        }
        ballast.push(v);
    }
}

struct Row {
    rss: f64,
    uid_change: bool,
    spx: f64,
    std: f64,
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    println!(
        "spx {} vs std::process::Command, spawn + wait of {PROGRAM}, median of {rounds} interleaved rounds",
        spx::version()
    );
    if !root {
        println!("(not root: the uid/gid rows are left out)");
    }

    let mut ballast = Vec::new();
    let mut rows = Vec::new();
    for target in [20usize, 1024] {
        grow_to(&mut ballast, target);
        let rss = rss_mib();
        let modes: &[bool] = if root { &[false, true] } else { &[false] };
        for &uid_change in modes {
            // fork+exec at 1 GiB is slow: fewer spawns per batch there.
            let n = if uid_change && target > 100 { 40 } else { 200 };
            for kind in [Kind::Spx, Kind::Std] {
                spawn_once(kind, uid_change); // warm up
            }
            let (mut s, mut t) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                s.push(batch(Kind::Spx, uid_change, n));
                t.push(batch(Kind::Std, uid_change, n));
            }
            rows.push(Row {
                rss,
                uid_change,
                spx: median(s),
                std: median(t),
            });
        }
    }

    println!();
    println!("| parent RSS | child            | spx (µs) | std (µs) | spx/std |");
    println!("|-----------:|------------------|---------:|---------:|--------:|");
    for r in &rows {
        println!(
            "| {:>6.0} MiB | {:<16} | {:>8.1} | {:>8.1} | {:>6.2}x |",
            r.rss,
            if r.uid_change {
                "uid/gid change"
            } else {
                "plain"
            },
            r.spx,
            r.std,
            r.spx / r.std
        );
    }
    println!();
    for r in &rows {
        if r.uid_change {
            println!(
                "At {:.0} MiB with a uid/gid change, spx is {:.1}x faster than std (std forks).",
                r.rss,
                r.std / r.spx
            );
        } else {
            println!(
                "At {:.0} MiB plain, spx costs {:.2}x of std (both vfork-style; goal: at or below 1.0x).",
                r.rss,
                r.spx / r.std
            );
        }
    }
    drop(ballast);
}
