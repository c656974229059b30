//! The header's plain-data structures come out of bindgen as values a Rust
//! caller can copy, compare by field and print: regen.sh's options decide
//! that (blocklisting glibc's typedefs once hid uint64_t from bindgen's
//! derive analysis and spx_seccomp_cond lost Copy, Clone and Debug). Their
//! layout is checked by bindgen's own tests in bindings.rs, against clang.

fn plain_data<T: Copy + Clone + std::fmt::Debug>() {}

#[test]
fn plain_data_structures_are_copy_clone_and_debug() {
    plain_data::<spx_sys::spx_seccomp_cond>();
    plain_data::<spx_sys::spx_error>();
    let c = spx_sys::spx_seccomp_cond {
        arg: 1,
        op: spx_sys::SPX_CMP_MASKED_EQ as i32,
        value: u64::MAX,
        value2: 2,
    };
    let d = c;
    assert_eq!((d.arg, d.op, d.value, d.value2), (1, 7, u64::MAX, 2));
    assert!(format!("{c:?}").contains("value2: 2"));
    assert_eq!(std::mem::size_of::<spx_sys::spx_seccomp_cond>(), 24);
}
