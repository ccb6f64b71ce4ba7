//! The system calls `std` does not wrap that `prim_file` needs:
//! `access(2)`, which answers for the calling user (root included) where
//! permission bits alone cannot; `posix_fadvise` and `posix_fallocate`;
//! and taking over a file descriptor (`file_desc_to_ref`).

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::{AsRawFd, FromRawFd};
use std::path::Path;

/// What to ask `access(2)` about.
#[derive(Clone, Copy)]
pub enum Access {
    /// `R_OK`.
    Read,
    /// `W_OK`.
    Write,
}

/// Whether this process may read or write the file at `path`.
pub fn may(path: &Path, what: Access) -> bool {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mode = match what {
        Access::Read => libc::R_OK,
        Access::Write => libc::W_OK,
    };
    // SAFETY: `c` is a NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

/// The `posix_fadvise` advice an atom of `file:advise/4` names.
pub fn advice(name: &str) -> Option<i32> {
    Some(match name {
        "normal" => libc::POSIX_FADV_NORMAL,
        "random" => libc::POSIX_FADV_RANDOM,
        "sequential" => libc::POSIX_FADV_SEQUENTIAL,
        "will_need" => libc::POSIX_FADV_WILLNEED,
        "dont_need" => libc::POSIX_FADV_DONTNEED,
        "no_reuse" => libc::POSIX_FADV_NOREUSE,
        _ => return None,
    })
}

/// Gives the kernel `advice` on `len` bytes of `f` at `at`; its answer
/// does not matter (advice is only advice).
pub fn advise(f: &File, at: i64, len: i64, advice: i32) {
    // SAFETY: a system call on an open descriptor, with plain integers.
    unsafe { libc::posix_fadvise(f.as_raw_fd(), at, len, advice) };
}

/// Makes sure the `len` bytes of `f` at `at` are allocated, growing the
/// file to hold them.
pub fn allocate(f: &File, at: i64, len: i64) -> io::Result<()> {
    loop {
        // SAFETY: a system call on an open descriptor, with plain integers.
        let r = unsafe { libc::posix_fallocate(f.as_raw_fd(), at, len) };
        match r {
            0 => return Ok(()),
            libc::EINTR => continue,
            e => return Err(io::Error::from_raw_os_error(e)),
        }
    }
}

/// The open file descriptor `fd`, which the returned file then owns (it
/// closes it), as erts' `file_desc_to_ref` takes one over; the error when
/// `fd` is no open descriptor.
pub fn adopt(fd: i32) -> io::Result<File> {
    // SAFETY: `fcntl(F_GETFL)` only reads the descriptor's flags.
    if unsafe { libc::fcntl(fd, libc::F_GETFL) } == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is open; the caller asked for it to be owned here, as
    // on BEAM, where closing the file closes the descriptor.
    Ok(unsafe { File::from_raw_fd(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_for_existing_and_missing_files() {
        assert!(may(Path::new("/"), Access::Read));
        assert!(!may(Path::new("/no/such/enigma/file"), Access::Read));
        assert!(!may(Path::new("/no/such/enigma/file"), Access::Write));
    }
}
