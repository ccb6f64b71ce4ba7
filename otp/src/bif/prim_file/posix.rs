//! The one system call `std` does not wrap that `prim_file` needs:
//! `access(2)`, which answers for the calling user (root included) where
//! permission bits alone cannot.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
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
