//! The child's standard streams: what [`Command::stdin`] and friends take,
//! and the parent's ends of piped ones.
//!
//! [`Command::stdin`]: crate::Command::stdin

use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::unix::io::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

/// What one of the child's descriptors 0, 1, 2 is connected to (as
/// `std::process::Stdio`).
#[derive(Debug)]
pub struct Stdio(pub(crate) Kind);

#[derive(Debug)]
pub(crate) enum Kind {
    Inherit,
    Null,
    Piped,
    Fd(OwnedFd),
}

impl Stdio {
    /// The caller's own descriptor.
    pub fn inherit() -> Stdio {
        Stdio(Kind::Inherit)
    }

    /// `/dev/null`.
    pub fn null() -> Stdio {
        Stdio(Kind::Null)
    }

    /// A new pipe; the parent's end is in [`Child::stdin`], `stdout` or
    /// `stderr`. Each spawn gets its own pipe.
    ///
    /// [`Child::stdin`]: crate::Child::stdin
    pub fn piped() -> Stdio {
        Stdio(Kind::Piped)
    }
}

impl From<OwnedFd> for Stdio {
    /// This descriptor (a copy of it is given to each child).
    fn from(fd: OwnedFd) -> Stdio {
        Stdio(Kind::Fd(fd))
    }
}

impl From<File> for Stdio {
    fn from(f: File) -> Stdio {
        Stdio(Kind::Fd(f.into()))
    }
}

macro_rules! into_stdio {
    ($($t:ident),*) => {$(
        impl From<$t> for Stdio {
            /// The other end of a child's pipe, to chain children.
            fn from(p: $t) -> Stdio {
                Stdio(Kind::Fd(p.0.into()))
            }
        }
    )*};
}
into_stdio!(ChildStdin, ChildStdout, ChildStderr);

macro_rules! pipe_end {
    ($(#[$m:meta])* $t:ident) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $t(pub(crate) File);

        impl AsFd for $t {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.0.as_fd()
            }
        }
        impl AsRawFd for $t {
            fn as_raw_fd(&self) -> RawFd {
                self.0.as_raw_fd()
            }
        }
        impl IntoRawFd for $t {
            fn into_raw_fd(self) -> RawFd {
                self.0.into_raw_fd()
            }
        }
        impl From<$t> for OwnedFd {
            fn from(p: $t) -> OwnedFd {
                p.0.into()
            }
        }
        impl FromRawFd for $t {
            unsafe fn from_raw_fd(fd: RawFd) -> $t {
                $t(File::from_raw_fd(fd))
            }
        }
        impl From<OwnedFd> for $t {
            fn from(fd: OwnedFd) -> $t {
                $t(File::from(fd))
            }
        }
    };
}

pipe_end! {
    /// The parent's end of the child's piped standard input. Dropping it
    /// (or [`Child::wait`](crate::Child::wait)) sends end-of-file.
    ChildStdin
}
pipe_end! {
    /// The parent's end of the child's piped standard output.
    ChildStdout
}
pipe_end! {
    /// The parent's end of the child's piped standard error.
    ChildStderr
}

impl Write for ChildStdin {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.0.write_vectored(bufs)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &ChildStdin {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&self.0).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

macro_rules! readable {
    ($($t:ident),*) => {$(
        impl Read for $t {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.0.read(buf)
            }
            fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
                self.0.read_vectored(bufs)
            }
            fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
                self.0.read_to_end(buf)
            }
        }
    )*};
}
readable!(ChildStdout, ChildStderr);
