//! Fused loop tails (`enigma_vm::code::instr::AddBandLoop`): the
//! arithmetic a loop does on its way to its back edge, in one dispatch.

use enigma_vm::code::instr::AddBandLoop;
use enigma_vm::term::Term;

use super::bs_match::xb;
use crate::cursor::Cursor;
use crate::run::{add_tagged, Run, Step};

impl Run<'_> {
    /// `AddBandLoop`: `AddRR`, `BandXI` on its result, `MoveLoopOnly`.
    /// On small integers the add is one add of the tagged words and the
    /// band one `and`; anything else (bignums, floats, errors) runs the
    /// two operators' general paths.
    #[inline(always)]
    pub(crate) fn add_band_loop(&mut self, cur: &mut Cursor, op: &'static AddBandLoop) -> Step {
        // Not through `add_band`: this shape keeps the instruction
        // loop's register allocation as it was (callgrind: +0.9% on the
        // call benchmarks with the helper).
        match add_tagged(op.op, self.reg(xb(op.a)), self.reg(xb(op.b))) {
            Some(sum) => {
                self.set(xb(op.sum), sum);
                let masked = sum.raw() & op.tagged_mask() as u64;
                self.set(xb(op.band_dst), Term::from_raw(masked));
            }
            None => self.add_band_slow(*cur, op)?,
        }
        let v = self.reg(xb(op.src));
        self.set(xb(op.dst), v);
        self.loop_only::<true>(cur, op.target, op.arity.into(), &op.count)
    }

    /// The add and the band of [`Run::add_band_loop`] when the add is not
    /// one of two small integers with a small sum.
    #[inline(never)]
    fn add_band_slow(&mut self, cur: Cursor, op: &AddBandLoop) -> Step {
        // The general paths may raise: the position must be this
        // instruction's (the cursor goes by value, so that the loop's
        // stays in a register).
        self.cur = cur;
        let [add, band, _] = op.unfused();
        self.op2_general_slow(&add)?;
        match self.reg(xb(op.sum)) {
            t if t.is_small() => {
                let masked = t.raw() & op.tagged_mask() as u64;
                self.set(xb(op.band_dst), Term::from_raw(masked));
                Ok(())
            }
            _ => self.op2_general_slow(&band),
        }
    }
}
