//! NESTED: what the recorder of a loop that calls a compiled loop learns
//! from the interpreter's entry into the callee's trace (see
//! `record/call.rs`): the recorder asks to watch the next entry, and the
//! JIT's entry notes where that trace left. Per scheduler thread: the
//! recording and the entry run on the same one, one after the other.

use std::cell::Cell;

use enigma_interp::seam::Seam;
use enigma_vm::term::Term;

/// Where a watched trace entry left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Left {
    /// The trace entered.
    pub entered: u32,
    /// The exit's kind (`seam::EXIT_*`).
    pub exit: u32,
    /// Where the interpreter resumes.
    pub pc: u64,
    /// Floats the exit left to box.
    pub boxmask: u64,
    /// Whether the exit left frames to push (its own, or those of the
    /// traces that called the one that exited, below the buffer's base).
    pub inside: bool,
}

thread_local! {
    static WATCH: Cell<bool> = const { Cell::new(false) };
    static LEFT: Cell<Option<Left>> = const { Cell::new(None) };
}

/// Watch the next trace entry on this thread.
pub(crate) fn watch() {
    WATCH.set(true);
    LEFT.set(None);
}

/// Whether the entry of `trace` that just returned with `seam` (entered
/// with the frame buffer's base at `y`) was watched; if so, it is noted
/// (and the watch ends). Inlined: every
/// trace entry asks, and the thread-local read left out of line cost
/// about six instructions an entry.
#[inline(always)]
pub(crate) fn entered(trace: u32, seam: &Seam, y: *mut Term) -> bool {
    if !WATCH.replace(false) {
        return false;
    }
    LEFT.set(Some(Left {
        entered: trace,
        exit: seam.exit,
        pc: seam.pc,
        boxmask: seam.boxmask,
        inside: seam.yframe != 0 || seam.y != y,
    }));
    true
}

/// Whether the next trace entry on this thread is watched.
pub(crate) fn watching() -> bool {
    WATCH.get()
}

/// Where the watched entry left, if one happened; ends the watch.
pub(crate) fn left() -> Option<Left> {
    WATCH.set(false);
    LEFT.take()
}

#[cfg(test)]
pub(crate) mod tests {
    use enigma_interp::seam::Seam;

    /// A seam with null pointers, for exits that only say where they left.
    pub(crate) fn seam() -> Seam {
        Seam {
            x: std::ptr::null_mut(),
            ytop: std::ptr::null_mut(),
            reds: 0,
            pc: 0,
            exit: 0,
            snapshot: 0,
            trace: 0,
            f: std::ptr::null_mut(),
            boxmask: 0,
            htop: std::ptr::null_mut(),
            hlimit: std::ptr::null_mut(),
            y: std::ptr::null_mut(),
            yframe: 0,
            yset: 0,
            yfloats: 0,
            ylimit: std::ptr::null_mut(),
        }
    }

    #[test]
    fn only_a_watched_entry_is_noted_and_only_once() {
        let s = seam();
        assert!(!super::entered(1, &s, s.y));
        assert_eq!(super::left(), None);
        super::watch();
        assert!(super::entered(2, &s, s.y));
        assert!(!super::entered(3, &s, s.y));
        assert_eq!(super::left().map(|l| l.entered), Some(2));
        assert_eq!(super::left(), None);
    }
}
