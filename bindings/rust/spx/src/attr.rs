//! The library's attribute object, owned for the duration of one spawn.

use std::ffi::CString;
use std::ptr::NonNull;

use spx_sys as sys;

use crate::error::{check, Error, Result, EINVAL, ENOMEM};

/// An `spx_attr`, freed (with the descriptors it duplicated) on drop.
pub(crate) struct Attr(NonNull<sys::spx_attr>);

impl Attr {
    pub(crate) fn new() -> Result<Attr> {
        // SAFETY: no argument; NULL only when out of memory.
        NonNull::new(unsafe { sys::spx_attr_new() })
            .map(Attr)
            .ok_or_else(|| Error::prepare(ENOMEM, "attributes"))
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::spx_attr {
        self.0.as_ptr()
    }

    /// Call a setter with the object, naming it in the error.
    pub(crate) fn set(&self, what: &str, f: impl FnOnce(*mut sys::spx_attr) -> i32) -> Result<()> {
        check(f(self.as_ptr()), what)
    }

    /// Call a setter taking a C string (NUL inside: EINVAL).
    pub(crate) fn set_str(
        &self,
        what: &str,
        s: &[u8],
        f: impl FnOnce(*mut sys::spx_attr, *const std::os::raw::c_char) -> i32,
    ) -> Result<()> {
        let c = CString::new(s).map_err(|_| Error::prepare(EINVAL, what))?;
        check(f(self.as_ptr(), c.as_ptr()), what)
    }
}

impl Drop for Attr {
    fn drop(&mut self) {
        // SAFETY: owned, freed once.
        unsafe { sys::spx_attr_free(self.0.as_ptr()) }
    }
}
