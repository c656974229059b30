//! Every function libspx.so exports is declared in the generated bindings,
//! so a new C function cannot be forgotten: after a header change, run
//! regen.sh (and `make check` runs `regen.sh --check`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn library() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPX_LIB_DIR") {
        return PathBuf::from(dir).join("libspx.so");
    }
    let out = Command::new("pkg-config")
        .args(["--variable=libdir", "spx"])
        .output()
        .expect("pkg-config (or set SPX_LIB_DIR)");
    assert!(
        out.status.success(),
        "pkg-config spx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()).join("libspx.so")
}

fn exported(lib: &PathBuf) -> BTreeSet<String> {
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(lib)
        .output()
        .expect("nm (binutils)");
    assert!(
        out.status.success(),
        "nm {}: {}",
        lib.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, kind, name) = (f.next()?, f.next()?, f.next()?);
            // Versioned: "spx_spawn@@SPX_0".
            let name = name.split('@').next().unwrap();
            (kind == "T" && name.starts_with("spx_")).then(|| name.to_string())
        })
        .collect()
}

fn declared() -> BTreeSet<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/bindings.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    text.split("pub fn ")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn every_exported_function_is_declared() {
    let lib = library();
    let exported = exported(&lib);
    assert!(
        exported.len() > 40,
        "only {} spx_* symbols in {}",
        exported.len(),
        lib.display()
    );
    let declared = declared();
    let missing: Vec<_> = exported.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "exported by {} but not in bindings.rs (run spx-sys/regen.sh): {missing:?}",
        lib.display()
    );
    let stale: Vec<_> = declared.difference(&exported).collect();
    assert!(
        stale.is_empty(),
        "declared in bindings.rs but not exported by {}: {stale:?}",
        lib.display()
    );
}

#[test]
fn the_library_answers() {
    let v = unsafe { std::ffi::CStr::from_ptr(spx_sys::spx_version()) };
    let expected = format!(
        "{}.{}.{}",
        spx_sys::SPX_VERSION_MAJOR,
        spx_sys::SPX_VERSION_MINOR,
        spx_sys::SPX_VERSION_PATCH
    );
    assert_eq!(v.to_str().unwrap(), expected);
}
