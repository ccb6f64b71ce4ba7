//! Fused loop tails (`enigma_vm::code::instr::AddBandLoop`): the
//! arithmetic a loop does on its way to its back edge, in one dispatch;
//! and byte loops (`Instr::ByteLoop`), whose head is a `BsStartU8Eq`, run
//! through several back edges in one dispatch.

use enigma_vm::code::instr::{AddBandLoop, StartU8Eq};
use enigma_vm::code::{Instr, Target};
use enigma_vm::term::Term;

use super::bs_match::{u8_ne, xb};
use crate::cursor::Cursor;
use crate::run::{add_tagged, Run, Step};

/// Why a byte loop stops, each iteration's register writes done.
enum Exit {
    /// At the head, before it ran: its own handler runs it.
    Head,
    /// At this position, the back edges counted.
    At(Target),
    /// At the back edge, which the plain `loop_only` path takes (the
    /// budget or the countdown runs out there).
    Edge,
}

impl Run<'_> {
    /// `AddBandLoop`: `AddRR`, `BandXI` on its result, `MoveLoopOnly`.
    /// On small integers the add is one add of the tagged words and the
    /// band one `and`; anything else (bignums, floats, errors) runs the
    /// two operators' general paths.
    #[inline(always)]
    pub(crate) fn add_band_loop(&mut self, cur: &mut Cursor, op: &'static AddBandLoop) -> Step {
        // Not through `add_band_move`: this shape keeps the instruction
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
        self.loop_only(cur, op.target, op.arity.into(), &op.count)
    }

    /// `AddBandLoop`'s add, band and move.
    #[inline(always)]
    fn add_band_move(&mut self, cur: Cursor, op: &AddBandLoop) -> Step {
        if !self.add_band(op) {
            self.add_band_slow(cur, op)?;
        }
        let v = self.reg(xb(op.src));
        self.set(xb(op.dst), v);
        Ok(())
    }

    /// The add and the band of an `AddBandLoop` when the add is one of two
    /// small integers with a small sum; false, with nothing written,
    /// otherwise.
    #[inline(always)]
    fn add_band(&mut self, op: &AddBandLoop) -> bool {
        let Some(sum) = add_tagged(op.op, self.reg(xb(op.a)), self.reg(xb(op.b))) else {
            return false;
        };
        self.set(xb(op.sum), sum);
        let masked = sum.raw() & op.tagged_mask() as u64;
        self.set(xb(op.band_dst), Term::from_raw(masked));
        true
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

    /// `ByteLoop`: `AddBandLoop`, then its back edge, the head's usual
    /// case (a context over bytes in place at a byte boundary, a byte
    /// left) and this tail again, for as long as the head reads a byte
    /// other than its own with whole bytes left and the tail's add is of
    /// small integers, but no further than the budget and the back edge's
    /// countdown allow without their slow path; one iteration while the
    /// JIT records, which sees one instruction at a time. Each iteration
    /// writes the registers the two instructions would; the context's
    /// position is kept here and stored when the loop stops. It continues
    /// where the two instructions would go next, or at one of them, which
    /// then runs its every case. Out of line (`run::outlined`), with the
    /// position in `Run::cur`: its dispatch is once per loop, not per
    /// byte.
    pub(crate) fn byte_loop(&mut self, op: &'static AddBandLoop) -> Step {
        let mut cur = self.cur;
        self.add_band_move(cur, op)?;
        let here = cur.pc() - 1;
        let head = match cur.code().get(op.target as usize) {
            Some(Instr::BsStartU8Eq(head)) if !self.recording => head,
            _ => {
                self.loop_only(&mut cur, op.target, op.arity.into(), &op.count)?;
                self.cur = cur;
                return Ok(());
            }
        };
        let left = if cfg!(feature = "counters") {
            i64::from(op.count.left())
        } else {
            i64::MAX
        };
        // Back edges this loop counts with no slow path (the last one
        // taken leaves both the budget and the countdown above zero).
        let room = self.budget.min(left) - 1;
        if room <= 0 {
            self.loop_only(&mut cur, op.target, op.arity.into(), &op.count)?;
            self.cur = cur;
            return Ok(());
        }
        let t = self.reg(xb(head.src));
        let found = t
            .as_match_state()
            .and_then(|ms| Some((ms, ms.bytes_in_place()?)))
            .filter(|(ms, _)| ms.position() & 7 == 0);
        let (n, exit) = match found {
            // The head's path for another byte is this tail.
            Some((ms, bytes)) if u8_ne(ms.bit_size() & 7 == 0, head.ne, head.unit) == here => {
                let at = ms.position() / 8;
                let (at, spare, exit) =
                    self.byte_loop_run(op, head, (t, bytes, at), here, room - 1);
                ms.advance_to(at * 8);
                (room - spare, exit)
            }
            _ => (1, Exit::Head),
        };
        self.budget -= n;
        if cfg!(feature = "counters") {
            op.count.tick_n(n as i32);
        }
        match exit {
            Exit::Head => cur.goto(op.target),
            Exit::At(to) => cur.goto(to),
            Exit::Edge => self.loop_only(&mut cur, op.target, op.arity.into(), &op.count)?,
        }
        self.cur = cur;
        Ok(())
    }

    /// The iterations of [`Run::byte_loop`] over the context `t`, whose
    /// whole bytes are `bytes`, from byte `at`, `here` this tail, with
    /// `spare` more back edges to count after the one taken: the next
    /// byte, the spare back edges left and where the loop stopped.
    #[inline(always)]
    fn byte_loop_run(
        &mut self,
        op: &AddBandLoop,
        head: &StartU8Eq,
        (t, bytes, mut at): (Term, &[u8], usize),
        here: Target,
        mut spare: i64,
    ) -> (usize, i64, Exit) {
        loop {
            // The head. Its register may hold another term by now: the
            // loader does not tie the two instructions' registers together.
            if self.reg(xb(head.src)) != t {
                return (at, spare, Exit::Head);
            }
            let Some(&v) = bytes.get(at) else {
                return (at, spare, Exit::Head);
            };
            self.set(xb(head.ctx), t);
            self.set(xb(head.pos), Term::small(8 * at as i64));
            self.set(xb(head.dst), Term::small(i64::from(v)));
            at += 1;
            if v == head.byte {
                return (at, spare, Exit::At(op.target + 1));
            }
            // The tail; its every other case in its own handler.
            if !self.add_band(op) {
                return (at, spare, Exit::At(here));
            }
            let v = self.reg(xb(op.src));
            self.set(xb(op.dst), v);
            if spare == 0 {
                return (at, spare, Exit::Edge);
            }
            spare -= 1;
        }
    }
}
