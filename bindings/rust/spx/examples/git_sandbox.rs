//! Seed: a Landlock sandbox for git (Go issue 68595, "Landlock sandboxing").
//! git may read the system and write only inside the repository; the parent
//! keeps all its access, since the ruleset applies to the child only.
//!
//!   cargo run --example git_sandbox -- /path/to/repo status
//!   cargo run --example git_sandbox -- /path/to/repo gc   # writes inside: allowed

use std::path::PathBuf;

use spx::landlock::{AccessFs, Compat, Ruleset, RulesetStatus};
use spx::Command;

fn main() -> Result<(), spx::Error> {
    let mut args = std::env::args_os().skip(1);
    let repo = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let git_args: Vec<_> = args.collect();
    let git_args = if git_args.is_empty() {
        vec!["status".into()]
    } else {
        git_args
    };

    // ABI 3 (Linux 6.2): a fixed ABI, so that a kernel upgrade does not
    // tighten the sandbox by itself. Best effort: on older kernels, enforce
    // what they can and say so.
    let mut ruleset = Ruleset::new(3, Compat::BestEffort)?
        .allow_path("/usr", AccessFs::ROX)?
        .allow_path("/etc", AccessFs::RO)?
        .allow_path("/proc", AccessFs::RO)?
        .allow_path("/dev/null", AccessFs::READ_FILE | AccessFs::WRITE_FILE)?
        .allow_path(&repo, AccessFs::RW)?;
    for dir in ["/lib", "/lib64", "/bin"] {
        if std::path::Path::new(dir).exists() {
            ruleset = ruleset.allow_path(dir, AccessFs::ROX)?;
        }
    }
    match ruleset.status() {
        RulesetStatus::FullyEnforced => {}
        RulesetStatus::PartiallyEnforced => {
            eprintln!("git_sandbox: this kernel enforces only part of the ruleset")
        }
        RulesetStatus::NotEnforced => {
            eprintln!("git_sandbox: no Landlock here: git runs unrestricted")
        }
    }

    let status = Command::new("git")
        .args(&git_args)
        .current_dir(&repo)
        // The user's and system's git configuration are outside the sandbox.
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .landlock(&ruleset)
        .status()?;
    println!("git: {status}");
    Ok(())
}
