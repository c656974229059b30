//! Every function of the C API has a safe counterpart: each `spx_*` function
//! declared in spx-sys's bindings is called somewhere in this crate's
//! sources. With spx-sys's symbol test (every exported symbol is declared),
//! a function added to libspx cannot be forgotten by the binding.

use std::path::Path;

/// Functions deliberately not called, and why.
const NOT_CALLED: &[(&str, &str)] = &[(
    "spx_attr_set_landlock",
    "a convenience for spx_landlock_create_fd + spx_attr_set_landlock_fd, \
     which Command::landlock calls itself, so that the kernel ruleset is \
     created once per command instead of once per spawn",
)];

#[test]
fn every_c_function_is_called_by_the_safe_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bindings = std::fs::read_to_string(root.join("../spx-sys/src/bindings.rs")).unwrap();
    let mut sources = String::new();
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        sources += &std::fs::read_to_string(entry.unwrap().path()).unwrap();
    }
    let declared: Vec<&str> = bindings
        .split("pub fn ")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap().trim())
        .collect();
    assert!(
        declared.len() > 40,
        "{} functions in bindings.rs",
        declared.len()
    );
    let missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|f| !NOT_CALLED.iter().any(|(n, _)| n == f))
        .filter(|f| !sources.contains(&format!("sys::{f}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "C functions without a safe counterpart in spx/src: {missing:?}"
    );
    for (f, _) in NOT_CALLED {
        assert!(
            declared.contains(f),
            "{f} is no longer in the C API: drop it from NOT_CALLED"
        );
    }
}
