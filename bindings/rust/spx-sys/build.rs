//! Finds libspx: `SPX_LIB_DIR` (a directory holding libspx.so) first, then
//! the `pkg-config` program (not the crate: spx-sys has no dependency).

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=SPX_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_LIBDIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_SYSROOT_DIR");

    if let Some(dir) = env::var_os("SPX_LIB_DIR") {
        let dir = Path::new(&dir);
        if !dir.join("libspx.so").exists() && !dir.join("libspx.a").exists() {
            fail(&format!("SPX_LIB_DIR={} holds no libspx.so", dir.display()));
        }
        println!("cargo:rustc-link-search=native={}", dir.display());
        println!("cargo:rustc-link-lib=dylib=spx");
        println!("cargo:lib_dir={}", dir.display());
        return;
    }

    match Command::new("pkg-config").args(["--libs", "spx"]).output() {
        Ok(out) if out.status.success() => {
            let libs = String::from_utf8_lossy(&out.stdout);
            let mut linked = false;
            for flag in libs.split_whitespace() {
                if let Some(dir) = flag.strip_prefix("-L") {
                    println!("cargo:rustc-link-search=native={dir}");
                    println!("cargo:lib_dir={dir}");
                } else if let Some(lib) = flag.strip_prefix("-l") {
                    println!("cargo:rustc-link-lib=dylib={lib}");
                    linked |= lib == "spx";
                }
            }
            if !linked {
                fail(&format!(
                    "`pkg-config --libs spx` printed no -lspx: {}",
                    libs.trim()
                ));
            }
        }
        Ok(out) => fail(&format!(
            "`pkg-config --libs spx` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => fail(&format!("cannot run pkg-config: {e}")),
    }
}

fn fail(why: &str) -> ! {
    eprintln!(
        "spx-sys: libspx not found ({why}).\n\
         Either install libspx so that `pkg-config spx` finds it (PKG_CONFIG_PATH \
         for a prefix of your own), or set SPX_LIB_DIR to the directory holding \
         libspx.so (a meson build tree: <build>/lib). At run time the loader must \
         find it too: LD_LIBRARY_PATH=<that directory>."
    );
    std::process::exit(1);
}
