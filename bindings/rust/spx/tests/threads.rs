//! Many threads spawning at once, and which types may cross threads.

mod common;

use common::{field, probe_cmd};

#[test]
fn eight_threads_spawn_at_once() {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                for i in 0..50 {
                    let word = format!("t{t}i{i}");
                    let out = common::run(&mut probe_cmd(&[&format!("echo={word}"), "stat"]));
                    assert!(out.starts_with(&format!("{word}\n")), "{out}");
                    assert_eq!(field(&out, "ppid"), std::process::id().to_string());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn one_ruleset_and_filter_shared_by_threads() {
    use spx::seccomp::{Action, Filter};
    let filter = Filter::new(Action::Allow)
        .unwrap()
        .rule("socket", Action::Errno(13))
        .unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..20 {
                    let out = common::run(probe_cmd(&["socket"]).seccomp(&filter));
                    assert_eq!(field(&out, "socket"), "EACCES");
                }
            });
        }
    });
}

fn send_sync<T: Send + Sync>() {}

#[test]
fn send_and_sync() {
    send_sync::<spx::Command>();
    send_sync::<spx::Child>();
    send_sync::<spx::Error>();
    send_sync::<spx::Stdio>();
    send_sync::<spx::ChildStdin>();
    send_sync::<spx::landlock::Ruleset>();
    send_sync::<spx::seccomp::Filter>();
}
