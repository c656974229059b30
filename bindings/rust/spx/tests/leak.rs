//! 10,000 spawns: no descriptor and no memory left behind. Its own test
//! binary, so no other test's threads or files disturb the counts.

use std::time::Duration;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn round(n: usize) {
    let mut cmd = spx::Command::new("/bin/true");
    cmd.stdout(spx::Stdio::piped()).stderr(spx::Stdio::piped());
    for i in 0..n {
        match i % 4 {
            0 => assert!(cmd.status().unwrap().success()),
            1 => assert!(cmd.output().unwrap().status.success()),
            2 => {
                // Dropped unwaited: reaped in the background.
                let c = cmd.spawn().unwrap();
                drop(c);
            }
            _ => {
                let e = spx::Command::new("/bin/true")
                    .current_dir("/spx-missing")
                    .status()
                    .unwrap_err();
                assert_eq!(e.raw_os_error(), Some(2));
            }
        }
    }
}

#[test]
fn ten_thousand_spawns_leak_nothing() {
    round(500); // warm up: the reaper thread, allocator pools
    std::thread::sleep(Duration::from_millis(200));
    let (fds, rss) = (open_fds(), rss_kib());
    round(10_000);
    // Let the reaper finish with the last dropped children.
    for _ in 0..500 {
        if open_fds() <= fds {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let (fds_after, rss_after) = (open_fds(), rss_kib());
    assert_eq!(fds_after, fds, "descriptors before and after 10,000 spawns");
    assert!(
        rss_after < rss + 4096,
        "RSS grew from {rss} KiB to {rss_after} KiB"
    );
    eprintln!("10,000 spawns: fds {fds} -> {fds_after}, RSS {rss} -> {rss_after} KiB");
}
