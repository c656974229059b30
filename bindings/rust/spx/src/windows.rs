//! The Windows process attributes that have no Linux counterpart: jobs and
//! handles. On Linux, a command that sets one fails to spawn with `ENOTSUP`
//! at [`Stage::PREPARE`](crate::Stage::PREPARE), and no child is created.

use spx_sys as sys;

/// A Windows `HANDLE` (what `std::os::windows::io::RawHandle` is there).
pub type RawHandle = *mut std::os::raw::c_void;

flags! {
    /// Options of the job object a child starts in
    /// ([`Command::job`](crate::Command::job)).
    pub struct JobFlags: u32 {
        /// Closing the job ends every process still in it (the child and
        /// what it started). The job is closed when the library's process
        /// handle is freed: when the [`Child`](crate::Child) is dropped,
        /// or, if the child still runs then, once it has exited (it is
        /// waited for in the background). Processes the child left running
        /// in the job end then. The one case in which spx kills.
        const KILL_ON_CLOSE = sys::SPX_JOB_KILL_ON_CLOSE;
    }
}
