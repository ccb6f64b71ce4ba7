//! `nouse_stdio`: the program reads its input from file descriptor 3 and
//! writes its output to 4, set up in the child between `fork` and `exec`.

use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;

/// Makes `input` the child's descriptor 3 and `output` its descriptor 4.
/// The pipes must stay open in the parent until the child is spawned.
pub(super) fn use_fds_3_4(cmd: &mut Command, input: &impl AsRawFd, output: &impl AsRawFd) {
    let (i, o): (RawFd, RawFd) = (input.as_raw_fd(), output.as_raw_fd());
    let setup = move || {
        // Copies above 4 first, so that neither `dup2` overwrites the
        // other's source; `dup2` clears close-on-exec on 3 and 4.
        // SAFETY: only async-signal-safe calls on descriptors the child owns.
        let ok = unsafe {
            let (i2, o2) = (
                libc::fcntl(i, libc::F_DUPFD_CLOEXEC, 5),
                libc::fcntl(o, libc::F_DUPFD_CLOEXEC, 5),
            );
            i2 >= 0 && o2 >= 0 && libc::dup2(i2, 3) == 3 && libc::dup2(o2, 4) == 4
        };
        if ok {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    };
    // SAFETY: the closure allocates nothing and calls only `fcntl` and
    // `dup2`, which are safe between `fork` and `exec`.
    unsafe {
        cmd.pre_exec(setup);
    }
}
