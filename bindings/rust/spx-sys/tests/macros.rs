//! The hand-written translations of the header's function-like and
//! unevaluated macros agree with the C compiler's view of them.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::Command;

const ERRNOS: [u32; 7] = [0, 1, 13, 38, 4095, 4096, 0x1_0001];

#[test]
fn hand_written_macros_match_the_c_header() {
    let include = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../include");
    assert!(
        include.join("spx.h").exists(),
        "no spx.h in {}",
        include.display()
    );
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let dir = std::env::temp_dir().join(format!("spx-sys-macros-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("m.c");
    let exe = dir.join("m");
    let mut c = String::from("#include <stdio.h>\n#include <spx.h>\nint main(void) {\n");
    for e in ERRNOS {
        writeln!(
            c,
            "    printf(\"%u\\n\", (unsigned)SPX_SECCOMP_ERRNO({e}u));"
        )
        .unwrap();
    }
    c += "    printf(\"%llu\\n\", (unsigned long long)SPX_RLIM_INFINITY);\n    return 0;\n}\n";
    std::fs::write(&src, c).unwrap();
    let status = Command::new(&cc)
        .arg("-I")
        .arg(&include)
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler {cc}: {e}"));
    assert!(status.success(), "{cc} failed on {}", src.display());
    let out = Command::new(&exe).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();

    let mut want: Vec<String> = ERRNOS
        .iter()
        .map(|&e| spx_sys::SPX_SECCOMP_ERRNO(e).to_string())
        .collect();
    want.push(spx_sys::SPX_RLIM_INFINITY.to_string());
    assert_eq!(got, want);
}
