//! The stack frames a trace exit leaves live (docs/JIT.md, Y registers):
//! a trace that allocated a frame keeps its Y registers in the seam's
//! frame buffer, and an exit before the frame is dropped has the
//! interpreter push it, as `allocate` and the stores the trace made would
//! have. Below it in the buffer are the frames of a function trace's
//! recursive calls, or of the traces that called the one that exits (at
//! any depth), each followed by its trailer: they are pushed first, each
//! with its continuation.

use enigma_vm::term::Term;

use crate::code;
use crate::run::Run;
use crate::seam::{self, Seam};

impl Run<'_> {
    /// Pushes the frames `s` says the exit left in the frame buffer
    /// `buf`: those below `s.y` (a function trace's recursive calls, or
    /// the frames of the traces that called the one that exited, each
    /// followed by its [`seam::trailer`], from which it is pushed with its
    /// continuation), then from `s.y` on `s.yframe` words (y0 on top).
    pub(crate) fn push_exit_frame(&mut self, s: &Seam, buf: &[Term]) {
        let below = (s.y as usize)
            .saturating_sub(buf.as_ptr() as usize)
            .checked_div(std::mem::size_of::<Term>())
            .unwrap_or(0)
            .min(buf.len());
        if below == 0 && s.yframe == 0 {
            // Nothing to push: the common exit (a loop's, or a return into
            // the interpreted caller) pays none of the walk below.
            return;
        }
        if let Some((cont, words, set, floats)) = one_frame(buf, below) {
            // One frame below (a trace called by a trace, or a recursion
            // one call deep): pushed as it is, without the walk's turn.
            self.push_frame(&buf[..words], set, floats);
            self.push(code::cp(self.id, cont));
            let buf = &buf[below..];
            let words = (s.yframe as usize).min(buf.len());
            self.push_frame(&buf[..words], s.yset, s.yfloats);
            return;
        }
        // The trailers are found from the top down: each frame is pushed
        // upside down (its continuation first, then y0 up), and the whole
        // run turned over after, on the stack's `Vec` (its length synced
        // from the run's pointers, which are reloaded after).
        self.sync_stack();
        let capacity = self.p.stack.capacity();
        let base = self.p.stack.len();
        let mut top = below;
        while let Some(at) = top.checked_sub(1) {
            let (cont, words, set, floats) = seam::untrailer(buf[at].raw());
            let Some(start) = at.checked_sub(words) else {
                break;
            };
            self.p.stack.push(code::cp(self.id, cont));
            for i in 0..words {
                let t = self.frame_word(buf[start + i], i, set, floats);
                self.p.stack.push(t);
            }
            top = start;
        }
        self.p.stack[base..].reverse();
        self.reload_stack();
        if self.p.stack.capacity() != capacity {
            self.stack_grew(self.p.stack.len());
        }
        let buf = &buf[below..];
        let words = (s.yframe as usize).min(buf.len());
        self.push_frame(&buf[..words], s.yset, s.yfloats);
    }

    /// Pushes the frame in `buf` (y0 on top), boxing the Y registers of
    /// `floats`, which hold raw float bits, and clearing those not in
    /// `set`, which the trace never stored to.
    fn push_frame(&mut self, buf: &[Term], set: u64, floats: u64) {
        for i in (0..buf.len()).rev() {
            let t = self.frame_word(buf[i], i, set, floats);
            self.push(t);
        }
    }

    /// Y register `i` of a frame whose word in the buffer is `w` (see
    /// [`Run::push_frame`]).
    fn frame_word(&mut self, w: Term, i: usize, set: u64, floats: u64) -> Term {
        let bit = 1u64 << i;
        if set & bit == 0 {
            Term::NIL
        } else if floats & bit != 0 {
            self.p.heap.float(f64::from_bits(w.raw()))
        } else {
            w
        }
    }
}

/// The continuation and shape of the frame below `below` words of the
/// buffer `buf` when it is the only one there (its trailer the last of
/// those words, its words all the others).
fn one_frame(buf: &[Term], below: usize) -> Option<(u32, usize, u64, u64)> {
    let at = below.checked_sub(1)?;
    let (cont, words, set, floats) = seam::untrailer(buf.get(at)?.raw());
    (words == at).then_some((cont, words, set, floats))
}
