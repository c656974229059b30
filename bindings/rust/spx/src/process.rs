//! The library's process handle: pid, pidfd, wait and signal.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::ptr::NonNull;

use spx_sys as sys;

const ETIMEDOUT: i32 = 110;

/// An `spx_process`, freed on drop (which never kills nor reaps).
pub(crate) struct Process(NonNull<sys::spx_process>);

// SAFETY: the library allows a handle to be used from any thread, and
// spx_process_kill concurrently with a wait on the same handle; the waits
// themselves take `&mut self`.
unsafe impl Send for Process {}
// SAFETY: the `&self` functions (pid, pidfd, kill) are safe concurrently with
// each other and with a wait, as spx.h documents.
unsafe impl Sync for Process {}

impl Process {
    /// # Safety
    /// `raw` is a live handle from spx_spawn, owned by nobody else.
    pub(crate) unsafe fn from_raw(raw: NonNull<sys::spx_process>) -> Process {
        Process(raw)
    }

    pub(crate) fn pid(&self) -> i64 {
        // SAFETY: valid handle.
        unsafe { sys::spx_process_pid(self.0.as_ptr()) }
    }

    pub(crate) fn handle(&self) -> *mut std::os::raw::c_void {
        // SAFETY: valid handle.
        unsafe { sys::spx_process_handle(self.0.as_ptr()) }
    }

    pub(crate) fn pidfd(&self) -> i32 {
        // SAFETY: valid handle.
        unsafe { sys::spx_process_pidfd(self.0.as_ptr()) }
    }

    /// Wait up to `timeout_ms` (negative: forever); `None` while it runs.
    pub(crate) fn wait_timeout(&mut self, timeout_ms: i32) -> io::Result<Option<ExitStatus>> {
        let (mut code, mut sig) = (0, 0);
        let p = self.0.as_ptr();
        // SAFETY: valid handle, valid out-pointers.
        let rc = unsafe {
            if timeout_ms < 0 {
                sys::spx_process_wait(p, &mut code, &mut sig)
            } else {
                sys::spx_process_wait_timeout(p, timeout_ms, &mut code, &mut sig)
            }
        };
        match rc {
            0 => {
                // The status as waitpid(2) encodes it, so that std's
                // ExitStatus answers code(), signal() and core_dumped().
                // SAFETY: valid handle.
                let core = unsafe { sys::spx_process_core_dumped(self.0.as_ptr()) } != 0;
                let raw = if sig != 0 {
                    sig | if core { 0x80 } else { 0 }
                } else {
                    (code & 0xff) << 8
                };
                Ok(Some(ExitStatus::from_raw(raw)))
            }
            ETIMEDOUT => Ok(None),
            e => Err(io::Error::from_raw_os_error(e)),
        }
    }

    pub(crate) fn signal(&self, sig: i32) -> io::Result<()> {
        // SAFETY: valid handle; safe concurrently with a wait.
        match unsafe { sys::spx_process_kill(self.0.as_ptr(), sig) } {
            0 => Ok(()),
            e => Err(io::Error::from_raw_os_error(e)),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // SAFETY: owned, freed once; never kills.
        unsafe { sys::spx_process_free(self.0.as_ptr()) }
    }
}
