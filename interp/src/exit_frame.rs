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

    /// Moves the frames on top of the process stack whose shapes are
    /// among `keys` (their continuations, words and Y registers set:
    /// [`seam::Jit::return_keys`]) into the frame buffer `buf`, as a
    /// function trace's recursive calls would have left them there, each
    /// followed by its trailer; returns the words taken. The stack is
    /// synced ([`Run::sync_stack`]). A frame goes only when its Y
    /// registers outside the shape's set are `[]` (as an exit pushes
    /// them) and none holds raw floats; at most [`PULL_WORDS`] words, so
    /// the recursion keeps most of the buffer. Any exit pushes them back
    /// ([`Run::push_exit_frame`]); a return into one runs its return
    /// trace, so a recursion whose frames an exit left on the stack (a
    /// yield: tak's) returns into them compiled, not interpreted with
    /// every next call entering the trace afresh.
    pub(crate) fn pull_frames(
        &mut self,
        keys: [u64; seam::RETURN_SITES],
        buf: &mut [Term],
    ) -> usize {
        if keys == [0; seam::RETURN_SITES] {
            return 0;
        }
        let stack = &self.p.stack;
        let high = code::cp_high(self.id);
        // (the stack's length above the frame, its trailer), top down.
        let mut found: Vec<(usize, u64)> = Vec::new();
        let (mut top, mut words_in) = (stack.len(), 0);
        while let Some(&cp) = top.checked_sub(1).and_then(|at| stack.get(at)) {
            let cp = cp.raw();
            let Some(&key) = keys
                .iter()
                .find(|&&k| k != 0 && cp == high | u64::from(k as u32) << 2)
            else {
                break;
            };
            let (_, words, set, floats) = seam::untrailer(key);
            let Some(start) = (top - 1).checked_sub(words) else {
                break;
            };
            // y0 just below the continuation, y(words - 1) at `start`.
            let nil = |i: usize| set >> i & 1 != 0 || stack[top - 2 - i] == Term::NIL;
            if floats != 0 || words_in + words + 1 > PULL_WORDS || !(0..words).all(nil) {
                break;
            }
            found.push((top, key));
            words_in += words + 1;
            top = start;
        }
        if found.is_empty() {
            return 0;
        }
        let mut at = 0;
        for &(above, key) in found.iter().rev() {
            let words = seam::untrailer(key).1;
            for i in 0..words {
                buf[at + i] = stack[above - 2 - i];
            }
            buf[at + words] = Term::from_raw(key);
            at += words + 1;
        }
        self.p.stack.truncate(top);
        self.reload_stack();
        at
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

/// The most words of frames and trailers [`Run::pull_frames`] moves into
/// the frame buffer at an entry: a quarter of it (64 of tak's frames).
pub const PULL_WORDS: usize = seam::BUFFER_WORDS / 4;

/// The continuation and shape of the frame below `below` words of the
/// buffer `buf` when it is the only one there (its trailer the last of
/// those words, its words all the others).
fn one_frame(buf: &[Term], below: usize) -> Option<(u32, usize, u64, u64)> {
    let at = below.checked_sub(1)?;
    let (cont, words, set, floats) = seam::untrailer(buf.get(at)?.raw());
    (words == at).then_some((cont, words, set, floats))
}
