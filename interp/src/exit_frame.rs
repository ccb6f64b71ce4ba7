//! The stack frames a trace exit leaves live (docs/JIT.md, Y registers):
//! a trace that allocated a frame keeps its Y registers in the seam's
//! frame buffer, and an exit before the frame is dropped has the
//! interpreter push it, as `allocate` and the stores the trace made would
//! have. An exit from inside a function the trace called pushes the
//! caller's frame, the call's continuation and the callee's frame (its
//! words follow the caller's in the buffer).

use enigma_vm::term::Term;

use crate::code;
use crate::run::Run;
use crate::seam::Seam;

impl Run<'_> {
    /// Pushes the frames `s` says the exit left in the frame buffer
    /// `buf`: those of a function trace's recursive calls below `s.y`
    /// (`s.yrec` words each and a word for the continuation
    /// `s.yreccont`),
    /// then from `s.y` on `s.yframe` words (y0 on top), the continuation
    /// `s.ycall`, and `s.yinner` words after the first frame's.
    pub(crate) fn push_exit_frame(&mut self, s: &Seam, buf: &[Term]) {
        let below = (s.y as usize)
            .saturating_sub(buf.as_ptr() as usize)
            .checked_div(std::mem::size_of::<Term>())
            .unwrap_or(0)
            .min(buf.len());
        if let Some(each) = (s.yrec as usize).checked_add(1) {
            for frame in buf[..below].chunks_exact(each) {
                self.push_frame(&frame[..each - 1], s.yrecset, s.yrecfloats);
                self.push(code::cp(self.id, s.yreccont as u32));
            }
        }
        let buf = &buf[below..];
        let words = (s.yframe as usize).min(buf.len());
        self.push_frame(&buf[..words], s.yset, s.yfloats);
        if s.ycall != 0 {
            self.push(code::cp(self.id, s.ycall as u32));
        }
        if s.yinner != 0 {
            let end = (words + s.yinner as usize).min(buf.len());
            self.push_frame(&buf[words..end], s.yinset, s.yinfloats);
        }
    }

    /// Pushes the frame in `buf` (y0 first), boxing the Y registers of
    /// `floats`, which hold raw float bits, and clearing those not in
    /// `set`, which the trace never stored to.
    fn push_frame(&mut self, buf: &[Term], set: u64, floats: u64) {
        for i in (0..buf.len()).rev() {
            let bit = 1u64 << i;
            let t = if set & bit == 0 {
                Term::NIL
            } else if floats & bit != 0 {
                self.p.heap.float(f64::from_bits(buf[i].raw()))
            } else {
                buf[i]
            };
            self.push(t);
        }
    }
}
