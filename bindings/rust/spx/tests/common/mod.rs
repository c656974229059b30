//! Helpers shared by the integration tests: the probe program the children
//! run (tests/probe.c of libspx, which reports from inside what it got), and
//! visible skips for tests that need root.
#![allow(dead_code)]

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

/// `<build>/tests/spx-probe`, from SPX_BUILD_DIR (check.sh sets it) or next
/// to SPX_LIB_DIR (`<build>/lib`).
pub fn probe() -> PathBuf {
    probe_named("spx-probe")
}

/// The statically linked probe, for chroot tests.
pub fn static_probe() -> PathBuf {
    probe_named("spx-probe-static")
}

fn probe_named(name: &str) -> PathBuf {
    let build = std::env::var_os("SPX_BUILD_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("SPX_LIB_DIR").map(|d| PathBuf::from(d).join("..")))
        .expect("set SPX_BUILD_DIR to the libspx build tree (its tests/spx-probe is the child these tests run)");
    let p = build.join("tests").join(name);
    assert!(p.exists(), "no {} (build the C library first)", p.display());
    p
}

pub fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Say that a test is skipped, and why, where it shows: written to the
/// real stderr, which the test harness does not capture (it captures the
/// print macros only).
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    // One write, so that lines of parallel tests do not mix.
    let _ = std::io::stderr().write_all(format!("\nSKIP {test}: {why}\n").as_bytes());
}

/// Return early, saying so, when not root.
#[macro_export]
macro_rules! need_root {
    ($why:expr) => {
        if !common::is_root() {
            common::skip(
                &format!("{}:{}", file!(), line!()),
                &format!("not root, {}", $why),
            );
            return;
        }
    };
}

/// Run the probe with these commands under `cmd`'s settings; its stdout.
pub fn run(cmd: &mut spx::Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A Command running the probe with these commands.
pub fn probe_cmd(args: &[&str]) -> spx::Command {
    let mut c = spx::Command::new(probe());
    c.args(args);
    c
}

/// The value of the first "key: value" line for `key` (the key without its colon).
pub fn field<'a>(out: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}:");
    out.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {key}: in\n{out}"))
        .trim()
}

/// Every value of "key: value" lines for `key`.
pub fn fields<'a>(out: &'a str, key: &str) -> Vec<&'a str> {
    let prefix = format!("{key}:");
    out.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::trim)
        .collect()
}

/// The capability mask of these capabilities, as /proc/self/status prints it.
pub fn cap_mask(caps: &[spx::Cap]) -> String {
    format!("{:016x}", caps.iter().fold(0u64, |m, c| m | 1 << c.raw()))
}

/// A fresh directory under the system's temporary directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "spx-rust-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
