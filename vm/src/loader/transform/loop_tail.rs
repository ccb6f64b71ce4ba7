//! Fused loop tails: the arithmetic a loop does on its way to its back
//! edge, in one dispatch.

use super::{Tx, R};
use crate::code::instr::AddBandLoop;
use crate::code::{ArithOp, Countdown, Fail, Instr, Reg, Target};
use crate::loader::compact::{Operand, Reg as CReg};
use crate::loader::genop::GenOp;

/// X register `r`'s number, if it is an X register below 256.
fn x8(r: Reg) -> Option<u8> {
    u8::try_from(r.index()).ok().filter(|_| !r.is_y())
}

impl Tx<'_> {
    /// `gc_bif2 +|- A B S | gc_bif2 band S Mask D | move {x,_} {x,_} |
    /// call_only N L` at `i`, with `L` earlier (a back edge), as one
    /// [`Instr::AddBandLoop`], if the first two would be an
    /// [`Instr::AddRR`] and an [`Instr::BandXI`] on its result, neither
    /// with a fail label, every register an X register below 256, `S`
    /// neither `A` nor `B`, and `Mask` shifted to the small integers' tag
    /// a 32-bit integer.
    pub(super) fn add_band_loop(&mut self, i: usize) -> R<Option<Instr>> {
        let g = self.gen;
        let Some([add, band, mv, call]) = g.get(i..i + 4) else {
            return Ok(None);
        };
        let ops = [add.op, band.op, mv.op, call.op];
        if ops != [GenOp::GcBif2, GenOp::GcBif2, GenOp::Move, GenOp::CallOnly]
            || self.arith_op(add).is_none()
            || self.arith_op(band) != Some(ArithOp::Band)
        {
            return Ok(None);
        }
        let back = match call.args.get(1) {
            Some(&Operand::Label(l)) => self.label_at.get(l as usize).is_some_and(|&at| at < i),
            _ => false,
        };
        // Operand shapes first: translating a constant could build a
        // literal that an unfused translation builds again.
        let is_x = |op: Option<&Operand>| {
            matches!(op, Some(Operand::X(_) | Operand::TypedReg(CReg::X(_), _)))
        };
        let shapes = is_x(add.args.get(3))
            && is_x(add.args.get(4))
            && is_x(band.args.get(3))
            && matches!(band.args.get(4), Some(Operand::Int(_)));
        if !(back && shapes) {
            return Ok(None);
        }
        // Typed registers record their types as they are translated: an
        // unfused translation records them again.
        let typed = self.out.reg_types.len();
        let fused = self.add_band_loop_at(i)?;
        if fused.is_none() {
            self.out.reg_types.truncate(typed);
        }
        Ok(fused)
    }

    /// [`Tx::add_band_loop`] once the operand shapes are checked.
    fn add_band_loop_at(&mut self, i: usize) -> R<Option<Instr>> {
        let g = self.gen;
        let [add, band, mv, call] = [i, i + 1, i + 2, i + 3].map(|k| &g[k]);
        let (
            Instr::AddRR {
                op,
                fail: Fail::NONE,
                live: add_live,
                a,
                b,
                dst: sum,
            },
            Instr::BandXI {
                fail: Fail::NONE,
                live: band_live,
                a: band_a,
                mask,
                dst: band_dst,
            },
            Instr::MoveXX { src, dst },
        ) = (self.op2(add)?, self.op2(band)?, self.simple(mv)?)
        else {
            return Ok(None);
        };
        let regs = (x8(a), x8(b), x8(sum), x8(band_dst));
        let (Some(a), Some(b), Some(sum), Some(band_dst)) = regs else {
            return Ok(None);
        };
        let bytes = (
            u8::try_from(add_live),
            u8::try_from(band_live),
            u8::try_from(src),
            u8::try_from(dst),
            u8::try_from(self.u(call, &call.args[0])?),
            i32::try_from(mask),
        );
        let (Ok(add_live), Ok(band_live), Ok(src), Ok(dst), Ok(arity), Ok(mask)) = bytes else {
            return Ok(None);
        };
        if u16::from(sum) != band_a || sum == a || sum == b {
            return Ok(None);
        }
        let target = self.target(call, &call.args[1])?;
        let op = AddBandLoop {
            op,
            a,
            b,
            sum,
            add_live,
            band_dst,
            band_live,
            src,
            dst,
            arity,
            mask,
            target,
            count: Countdown::new(),
        };
        Ok(Some(Instr::AddBandLoop(op)))
    }

    /// `edge`, about to be emitted, as an [`Instr::ByteLoop`] if it is a
    /// back edge that closes a byte loop: its target starts matching a
    /// binary (`BsStartMatch`, `BsStartMatchPos`, `BsStartU8Eq`) and every
    /// instruction from there to here is one the interpreter's byte loop
    /// runs ([`byte_loop_step`]). Known on the second pass, when the
    /// instructions before this one are translated; the first pass's
    /// answer does not change the code's size.
    pub(super) fn byte_loop(&self, edge: Instr) -> Instr {
        let target = match edge {
            Instr::LoopOnly { target, .. } | Instr::MoveLoopOnly { target, .. } => target,
            Instr::AddBandLoop(ref op) => op.target,
            _ => return edge,
        };
        let code = &self.out.code;
        let Some(body) = code.get(target as usize..) else {
            return edge;
        };
        let head = matches!(
            body.first(),
            Some(
                Instr::BsStartMatch { .. } | Instr::BsStartMatchPos { .. } | Instr::BsStartU8Eq(_)
            )
        );
        if self.first_pass || !head || !body.iter().all(|i| byte_loop_step(i, target)) {
            return edge;
        }
        Instr::ByteLoop(Box::new(edge))
    }
}

/// Whether the interpreter's byte loop runs `i`, in a loop back to
/// `target` (docs/LOADER.md): what it does not run, it leaves to the
/// instruction loop, so this only keeps loops it would leave at once
/// from paying for a `ByteLoop`'s set-up at every byte.
fn byte_loop_step(i: &Instr, target: Target) -> bool {
    match i {
        Instr::LoopOnly { target: t, .. } | Instr::MoveLoopOnly { target: t, .. } => *t == target,
        Instr::AddBandLoop(op) => op.target == target,
        Instr::ByteLoop(edge) => byte_loop_step(edge, target),
        Instr::BsSkipBits2 { .. } => i.skips_one_byte(),
        Instr::BsStartMatch { src, .. } => src.as_reg().is_some(),
        Instr::BsStartMatchPos { src, .. } => src.as_reg().is_some(),
        Instr::BsStartU8Eq(_)
        | Instr::BsGetU8 { .. }
        | Instr::BsGetU8Eq { .. }
        | Instr::BsTestUnit8 { .. }
        | Instr::MoveXX { .. }
        | Instr::Move2XXXX(_)
        | Instr::AddXI { .. }
        | Instr::AddRR { .. }
        | Instr::AddXX { .. }
        | Instr::BandXI { .. }
        | Instr::IsEqExactXI { .. }
        | Instr::IsNeExactXI { .. }
        | Instr::IsLtXI { .. }
        | Instr::IsGeXI { .. }
        | Instr::IsLtIX { .. }
        | Instr::IsGeIX { .. }
        | Instr::Jump { .. } => true,
        _ => false,
    }
}
