//! Windows AppContainers: the SIDs Windows derives for profile and
//! capability names (computed here, on every platform), and the explicit,
//! persistent operations on profiles and ACLs (Windows only: `ENOTSUP`
//! elsewhere).
//!
//! A child is put in an AppContainer with
//! [`Command::appcontainer`](crate::Command::appcontainer) and
//! [`Command::appcontainer_flags`](crate::Command::appcontainer_flags).
//!
//! ```
//! assert_eq!(spx::appcontainer::capability_sid("internetClient")?, "S-1-15-3-1");
//! assert!(spx::appcontainer::sid("spx.example")?.starts_with("S-1-15-2-"));
//! # Ok::<(), spx::Error>(())
//! ```

use std::ffi::CString;
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use spx_sys as sys;

use crate::error::{Error, Result, EINVAL};

flags! {
    /// Options of the AppContainer a child runs in.
    pub struct Flags: u32 {
        /// A less privileged AppContainer: not a member of ALL APPLICATION
        /// PACKAGES (S-1-15-2-1), so without the access Windows gives every
        /// AppContainer; only ALL RESTRICTED APPLICATION PACKAGES, the
        /// capabilities and explicit grants count.
        const LPAC = sys::SPX_APPCONTAINER_LPAC;
        /// Use the derived SID only and create no profile (no profile
        /// folder or registry storage for the child).
        const NO_PROFILE = sys::SPX_APPCONTAINER_NO_PROFILE;
    }
}

flags! {
    /// Rights given by [`grant`].
    pub struct Access: u32 {
        /// GENERIC_READ.
        const READ = sys::SPX_ACCESS_READ;
        /// GENERIC_WRITE.
        const WRITE = sys::SPX_ACCESS_WRITE;
        /// GENERIC_EXECUTE.
        const EXECUTE = sys::SPX_ACCESS_EXECUTE;
    }
}

/// The SID Windows derives for the AppContainer profile `name`
/// (`S-1-15-2-` and seven numbers from the SHA-256 of the lower-cased name).
/// Computed, not looked up: works on every platform. A name that is not 1
/// to 64 characters of `A-Z a-z 0-9 - _ .` and space is `EINVAL`
/// (`ERROR_INVALID_PARAMETER` on Windows).
pub fn sid(name: &str) -> Result<String> {
    derive("appcontainer sid", name, |s, buf, len| unsafe {
        sys::spx_appcontainer_sid(s, buf, len)
    })
}

/// The SID of a capability: `S-1-15-3-1` to `S-1-15-3-12` for the twelve
/// names that predate Windows 10 (`internetClient` ... `contacts`), a SID
/// derived from the name otherwise (`lpacCom`, `registryRead`), as
/// `DeriveCapabilitySidsFromName` does. A SID string is checked and returned
/// in canonical form. Works on every platform.
pub fn capability_sid(capability: &str) -> Result<String> {
    derive("capability sid", capability, |s, buf, len| unsafe {
        sys::spx_capability_sid(s, buf, len)
    })
}

fn derive(
    what: &str,
    input: &str,
    f: impl FnOnce(*const c_char, *mut c_char, usize) -> i32,
) -> Result<String> {
    let input = c_string(input.as_bytes(), what)?;
    let mut buf = [0 as c_char; sys::SPX_SID_MAX as usize];
    let rc = f(input.as_ptr(), buf.as_mut_ptr(), buf.len());
    if rc != 0 {
        return Err(Error::call(rc, what));
    }
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    // The library writes ASCII only.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Delete the AppContainer profile `name` (spx never deletes one by itself).
/// A missing profile is no error. Windows only: `ENOTSUP` elsewhere; a
/// Windows without AppContainer profiles (or wine) gives
/// `ERROR_NOT_SUPPORTED`.
pub fn delete(name: &str) -> Result<()> {
    let name = c_string(name.as_bytes(), "appcontainer delete")?;
    // SAFETY: a NUL-terminated string.
    let rc = unsafe { sys::spx_appcontainer_delete(name.as_ptr()) };
    call(rc, "appcontainer delete")
}

/// Grant the AppContainer `name` `access` to `path`: an explicit and
/// persistent change of the path's ACL (inherited by the contents of a
/// directory) that outlives the child and this process. Windows only
/// (`ENOTSUP` elsewhere).
pub fn grant<P: AsRef<Path>>(name: &str, path: P, access: Access) -> Result<()> {
    let name = c_string(name.as_bytes(), "appcontainer grant")?;
    let path = c_string(path.as_ref().as_os_str().as_bytes(), "appcontainer grant")?;
    // SAFETY: NUL-terminated strings.
    let rc = unsafe { sys::spx_appcontainer_grant(name.as_ptr(), path.as_ptr(), access.bits()) };
    call(rc, "appcontainer grant")
}

/// Remove every access the AppContainer `name` was given on `path`.
/// Windows only (`ENOTSUP` elsewhere).
pub fn revoke<P: AsRef<Path>>(name: &str, path: P) -> Result<()> {
    let name = c_string(name.as_bytes(), "appcontainer revoke")?;
    let path = c_string(path.as_ref().as_os_str().as_bytes(), "appcontainer revoke")?;
    // SAFETY: NUL-terminated strings.
    let rc = unsafe { sys::spx_appcontainer_revoke(name.as_ptr(), path.as_ptr()) };
    call(rc, "appcontainer revoke")
}

fn c_string(s: &[u8], what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::call(EINVAL, &format!("{what}: a NUL byte")))
}

fn call(rc: i32, what: &str) -> Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::call(rc, what))
    }
}
