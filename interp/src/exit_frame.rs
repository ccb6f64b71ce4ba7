//! The stack frame a trace exit leaves live (docs/JIT.md, Y registers):
//! a trace that allocated a frame keeps its Y registers in the seam's
//! frame buffer, and an exit before the frame is dropped has the
//! interpreter push it, as `allocate` and the stores the trace made would
//! have.

use enigma_vm::term::Term;

use crate::code;
use crate::run::Run;
use crate::seam::Seam;

impl Run<'_> {
    /// Pushes the frame `s` says the exit left (`s.yframe` words of
    /// `buf`, y0 on top), boxing the Y registers that hold raw float bits
    /// and clearing those the trace never stored to.
    pub(crate) fn push_exit_frame(&mut self, s: &Seam, buf: &[Term]) {
        let words = (s.yframe as usize).min(buf.len());
        for i in (0..words).rev() {
            let bit = 1u64 << i;
            let t = if s.yset & bit == 0 {
                Term::NIL
            } else if s.yfloats & bit != 0 {
                self.p.heap.float(f64::from_bits(buf[i].raw()))
            } else {
                buf[i]
            };
            self.p.stack.push(t);
        }
        if s.ycall != 0 {
            self.p.stack.push(code::cp(self.id, s.ycall as u32));
        }
    }
}
