//! RECORD, bit syntax: binary matching on match contexts
//! (`enigma_vm::term::match_state`) in traces.
//!
//! A match context is a heap object the interpreter updates in place. The
//! trace does the same: it guards once per context value that the value
//! is a context whose bytes are at a fixed address while the trace runs
//! (an off-heap buffer at a byte boundary, see [`MatchState::in_place`],
//! or a heap binary, which only a collection moves), reads the position
//! and size words, and
//! stores each new position as soon as a segment is taken. So every exit
//! finds the context exactly as the interpreter would have left it, and
//! snapshots need nothing more than the X registers. Within an iteration
//! the recorder remembers the last position it read or wrote (one
//! context at a time: two values may be the same context) and each
//! context's size (it never changes), so a loop reads each from memory
//! once.
//!
//! Supported: `bs_start_match3/4` on a context (a no-op; with the
//! `bs_get_position` the loader fuses to it, `BsStartMatchPos`),
//! `BsGetUint` (and `BsGetU8/16/32`) and `bs_get_integer2` of up to 57 bits (big-endian, or at
//! most 8 bits; signed too) at any bit position, `bs_skip_bits2`,
//! `bs_get_binary2` and `bs_get_tail` (a sub-binary allocated in the
//! trace after a heap check of its own), `bs_test_tail2`, `bs_test_unit`
//! (power-of-two units; `BsTestUnit8`),
//! `bs_match_string` of up to 16 bytes, `bs_get_position`,
//! `bs_set_position`. An integer segment's size held in a register is
//! guarded to keep the value the interpreter saw. Integers of 1, 2 or 4 bytes that
//! the interpreter read at a byte boundary are loaded directly (guarded to
//! stay at one); any other is taken from an 8-byte window (the bytes from
//! its first, or the bitstring's last 8), for a bitstring of at least 8
//! bytes (guarded). A segment that is missing on the recorded path
//! becomes a guard that it is still missing, and the trace follows the
//! failure label as the interpreter does.

use std::collections::{HashMap, HashSet};

use enigma_interp::instr::bs_build::{little, SIGNED};
use enigma_vm::atom::Atom;
use enigma_vm::code::instr::StartU8Eq;
use enigma_vm::code::{Fail, Instr, Reg, Src, SrcKind, Target};
use enigma_vm::term::match_state::MatchState;
use enigma_vm::term::Subtag;
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::{Cond, IntOp, Op, Ref, Ty};

/// What the recording knows of the match contexts it reads.
#[derive(Debug, Default)]
pub(super) struct Ctxs {
    /// Values already guarded to be contexts read in place.
    guarded: HashSet<Ref>,
    /// The last position read or written, and its context.
    pos: Option<(Ref, Ref)>,
    /// Sizes read, per context value.
    size: HashMap<Ref, Ref>,
    /// The module's string table (`bs_match_string`).
    strings: &'static [u8],
}

/// Widest integer segment read in a trace: it and the bits before it in
/// its first byte fit an 8-byte window.
const MAX_BITS: u32 = 57;

/// A segment's size in bits: an IR value, and the value the interpreter
/// sees.
type Seg = (Ref, u32);

/// Words a piece cut from a match context takes (`Op::SubBinary`): a
/// sub-binary (`[hdr, bit size, bit offset, original]`, 4 words) or, for
/// at most 64 whole bytes, the heap binary BEAM copies them into (2 + 8).
const PIECE_WORDS: u32 = 10;

/// Longest string `bs_match_string` compares in a trace, in bytes.
const MAX_STRING: usize = 16;

/// Whether [`Recording::bits`] records `i`.
pub(super) fn is_match(i: &Instr) -> bool {
    matches!(
        i,
        Instr::BsStartMatch { .. }
            | Instr::BsStartMatchResume { .. }
            | Instr::BsStartMatchPos { .. }
            | Instr::BsGetUint { .. }
            | Instr::BsGetU8 { .. }
            | Instr::BsGetU8Eq { .. }
            | Instr::BsGetU8Select { .. }
            | Instr::BsStartU8Eq(_)
            | Instr::BsGetU16 { .. }
            | Instr::BsGetU32 { .. }
            | Instr::BsTestUnit8 { .. }
            | Instr::BsGetInteger2(_)
            | Instr::BsGetBinary2(_)
            | Instr::BsGetTail { .. }
            | Instr::BsSkipBits2 { .. }
            | Instr::BsTestTail2 { .. }
            | Instr::BsTestUnit { .. }
            | Instr::BsGetPosition { .. }
            | Instr::BsSetPosition { .. }
            | Instr::BsMatchString { .. }
    )
}

impl Recording {
    /// The recording with the module's string table, which
    /// `bs_match_string` compares with.
    pub fn with_strings(mut self, strings: &'static [u8]) -> Recording {
        self.ctxs.strings = strings;
        self
    }

    /// Records a binary-matching instruction (see [`is_match`]).
    pub(super) fn bits(&mut self, pc: Target, instr: &Instr, x: &[Term]) -> Result<Step, Abort> {
        match *instr {
            Instr::BsStartMatch { src, dst, .. } | Instr::BsStartMatchResume { src, dst } => {
                let r = src.as_reg().ok_or("bs_start_match on a constant")?;
                let (v, _) = self.context(pc, r, x)?;
                self.write(dst, v)
            }
            Instr::BsStartMatchPos { src, dst, pos, .. } => {
                // Not through `Instr::unfused`: its `bs_get_position`
                // would read `dst` before the start wrote it.
                let r = src.as_reg().ok_or("bs_start_match on a constant")?;
                let (v, _) = self.context(pc, r, x)?;
                self.write(dst, v)?;
                let p = self.position(v);
                self.write(pos, p)
            }
            Instr::BsStartU8Eq(StartU8Eq {
                src,
                ctx,
                pos,
                get_fail,
                dst,
                byte,
                ne,
                unit,
                ..
            }) => {
                let [src, ctx, pos, dst] = [src, ctx, pos, dst].map(|r| Reg::x(r.into()));
                // `pos` is written after the get's guards: their exits run
                // the whole instruction again, and `pos` may be `src`.
                // `ctx` holds `src`'s context either way.
                let (v, _) = self.context(pc, src, x)?;
                self.write(ctx, v)?;
                let p = self.position(v);
                // What the get sees: the context in `ctx`.
                let mut seen = x.to_vec();
                if let (Some(c), Some(&m)) = (seen.get_mut(ctx.index()), x.get(src.index())) {
                    *c = m;
                }
                let test = (byte, ne, unit);
                self.get_u8_eq(pc, (get_fail, ctx), (Some((pos, p)), dst), test, &seen)
            }
            Instr::BsGetU8Eq {
                fail,
                ctx,
                dst,
                byte,
                ne,
                unit,
            } => self.get_u8_eq(pc, (fail, ctx), (None, dst), (byte, ne, unit), x),
            Instr::BsGetU8Select {
                fail,
                ctx,
                dst,
                sfail,
                table,
            } => {
                // The select's guards come before the context moves: their
                // exits run the whole instruction again (`dst` is not
                // `ctx`, so writing it first is harmless).
                let (_, ms) = self.context(pc, ctx, x)?;
                let seen = ms.peek_uint(8).map_or(Term::NIL, |b| Term::small(b as i64));
                let Some((v, pos, k, value)) = self.read_int(pc, (fail, ctx), (8, false), x)?
                else {
                    return Ok(Step::Continue);
                };
                self.write(dst, value)?;
                self.select_val(pc, Src::reg(dst), seen, table, sfail)?;
                self.advance(v, pos, k);
                Ok(Step::Continue)
            }
            Instr::BsGetUint {
                fail,
                ctx,
                bits,
                dst,
            } => self.get_int(pc, (fail, ctx), (bits, false), dst, x),
            Instr::BsGetU8 { .. }
            | Instr::BsGetU16 { .. }
            | Instr::BsGetU32 { .. }
            | Instr::BsTestUnit8 { .. } => {
                let general = instr.general().ok_or("not specialised")?;
                self.bits(pc, &general, x)
            }
            Instr::BsGetInteger2(ref get) => {
                let bits = self.seg_bits(pc, get.size, get.unit, x)?;
                if little(get.flags) && bits > 8 {
                    return Err("bs_get_integer2 little-endian".into());
                }
                let signed = get.flags & SIGNED != 0;
                self.get_int(pc, (get.fail, get.ctx), (bits, signed), get.dst, x)
            }
            Instr::BsGetBinary2(ref get) => {
                let all =
                    matches!(get.size.kind(), SrcKind::Const(t) if t == Term::atom(Atom::ALL));
                if all {
                    let (v, ms) = self.context(pc, get.ctx, x)?;
                    let ok = ms.remaining() % get.unit.max(1) as usize == 0;
                    self.unit_test(pc, get.fail, (v, ok), get.unit)?;
                    if !ok {
                        return Ok(Step::Continue);
                    }
                    return self.tail(pc, v, get.dst, true);
                }
                let seg = self.seg_value(pc, get.size, get.unit, x)?;
                let Some((v, pos)) = self.take(pc, (get.fail, get.ctx), seg, x)? else {
                    return Ok(Step::Continue);
                };
                self.heap_room(pc)?;
                let sub = self.trace.push(Op::SubBinary(v, pos, seg.0), Ty::Term);
                self.advance(v, pos, seg.0);
                self.write(get.dst, sub)
            }
            Instr::BsGetTail { ctx, dst, .. } => {
                let (v, _) = self.context(pc, ctx, x)?;
                self.tail(pc, v, dst, false)
            }
            Instr::BsSkipBits2 {
                fail,
                ctx,
                size,
                unit,
                ..
            } => {
                let seg = self.seg_value(pc, size, unit, x)?;
                let Some((v, pos)) = self.take(pc, (fail, ctx), seg, x)? else {
                    return Ok(Step::Continue);
                };
                self.advance(v, pos, seg.0);
                Ok(Step::Continue)
            }
            Instr::BsTestTail2 { fail, ctx, bits } => {
                let (v, ms) = self.context(pc, ctx, x)?;
                let ok = ms.remaining() == bits as usize;
                let rem = self.remaining(v);
                let k = self.trace.push(Op::KInt(i64::from(bits)), Ty::Int);
                self.test(pc, fail, ok, (Cond::Eq, rem, k))
            }
            Instr::BsTestUnit { fail, ctx, unit } => {
                let (v, ms) = self.context(pc, ctx, x)?;
                let ok = ms.remaining() % unit.max(1) as usize == 0;
                self.unit_test(pc, fail, (v, ok), unit)
            }
            Instr::BsGetPosition { ctx, dst, .. } => {
                let (v, _) = self.context(pc, ctx, x)?;
                let p = self.position(v);
                self.write(dst, p)
            }
            Instr::BsSetPosition { ctx, pos } => {
                let (v, ms) = self.context(pc, ctx, x)?;
                let seen = match pos.kind() {
                    SrcKind::X(i) => x.get(i).copied(),
                    SrcKind::Const(t) => Some(t),
                    SrcKind::Y(_) => None,
                };
                let fits = seen
                    .and_then(Term::as_small)
                    .and_then(|p| usize::try_from(p).ok())
                    .is_some_and(|p| p <= ms.bit_size());
                if !fits {
                    return Err("bs_set_position outside the bitstring".into());
                }
                let p = self.int_operand(pc, pos)?;
                let size = self.size(v);
                let zero = self.trace.push(Op::KInt(0), Ty::Int);
                let snap = self.snapshot(pc);
                self.trace
                    .push(Op::Guard(Cond::Ge, p, zero, snap), Ty::None);
                self.trace
                    .push(Op::Guard(Cond::Ge, size, p, snap), Ty::None);
                self.set_position(v, p);
                Ok(Step::Continue)
            }
            Instr::BsMatchString {
                fail,
                ctx,
                bits,
                string,
            } => {
                let want = self
                    .ctxs
                    .strings
                    .get(string.range())
                    .filter(|w| w.len() <= MAX_STRING && w.len() * 8 == bits as usize)
                    .ok_or("bs_match_string of this size")?;
                self.match_string(pc, (fail, ctx), want, x)
            }
            _ => Err("not a binary-matching instruction".into()),
        }
    }

    /// `BsGetUint` and `bs_get_integer2` of a literal size up to 57 bits,
    /// big-endian (or at most 8 bits): 1, 2 or 4 unsigned bytes where the
    /// interpreter read them at a byte boundary (guarded to stay at one),
    /// else the general read of an 8-byte window, for a bitstring of at
    /// least 8 bytes (guarded).
    fn get_int(
        &mut self,
        pc: Target,
        at: (Fail, Reg),
        bits: (u32, bool),
        dst: Reg,
        x: &[Term],
    ) -> Result<Step, Abort> {
        let Some((v, pos, k, value)) = self.read_int(pc, at, bits, x)? else {
            return Ok(Step::Continue);
        };
        self.advance(v, pos, k);
        self.write(dst, value)
    }

    /// `BsGetU8Eq` (and its part of `BsStartU8Eq`): the byte, and a guard
    /// that it is `byte` or not, as the interpreter saw, before the
    /// context moves: an exit runs the whole instruction again. Then
    /// `first` (a register write of the fused instruction that must come
    /// after the guards), then `dst`. A byte that is not `byte` with a
    /// `unit` label: the `BsTestUnit8` at `ne`, which the interpreter did
    /// too, recorded as that instruction (its exits resume there).
    fn get_u8_eq(
        &mut self,
        pc: Target,
        at: (Fail, Reg),
        (first, dst): (Option<(Reg, Ref)>, Reg),
        (byte, ne, unit): (u8, Target, Fail),
        x: &[Term],
    ) -> Result<Step, Abort> {
        let (_, ms) = self.context(pc, at.1, x)?;
        let eq = ms.peek_uint(8) == Some(u64::from(byte));
        let read = self.read_int(pc, at, (8, false), x)?;
        let Some((v, pos, k, value)) = read else {
            return match first {
                Some((r, p)) => self.write(r, p),
                None => Ok(Step::Continue),
            };
        };
        let b = self.trace.push(Op::KInt(i64::from(byte)), Ty::Int);
        self.test(pc, Fail::to(ne), eq, (Cond::Eq, value, b))?;
        self.advance(v, pos, k);
        if let Some((r, p)) = first {
            self.write(r, p)?;
        }
        self.write(dst, value)?;
        match unit.target() {
            Some(_) if !eq => {
                let test = Instr::BsTestUnit {
                    fail: unit,
                    ctx: at.1,
                    unit: 8,
                };
                self.bits(ne, &test, x)
            }
            _ => Ok(Step::Continue),
        }
    }

    /// The read of [`Recording::get_int`], the context not yet moved: the
    /// context, its position, the segment's size and the value; `None`
    /// if the segment is missing on the recorded path.
    fn read_int(
        &mut self,
        pc: Target,
        at: (Fail, Reg),
        (bits, signed): (u32, bool),
        x: &[Term],
    ) -> Result<Option<(Ref, Ref, Ref, Ref)>, Abort> {
        if !(1..=MAX_BITS).contains(&bits) {
            return Err(format!("bs_get_integer2 of {bits} bits"));
        }
        let (_, ms) = self.context(pc, at.1, x)?;
        let bytes = match bits {
            _ if signed || ms.position() % 8 != 0 => None,
            8 => Some(1),
            16 => Some(2),
            32 => Some(4),
            _ => None,
        };
        if bytes.is_none() && ms.bit_size() < 64 {
            return Err("bs_get_integer2 in a bitstring under 8 bytes".into());
        }
        let k = self.trace.push(Op::KInt(i64::from(bits)), Ty::Int);
        let Some((v, pos)) = self.take(pc, at, (k, bits), x)? else {
            return Ok(None);
        };
        let value = match bytes {
            Some(n) => {
                self.aligned(pc, at.1, pos, x)?;
                self.trace.push(Op::CtxBytes(v, pos, n), Ty::Int)
            }
            None => {
                let size = self.size(v);
                let k = self.trace.push(Op::KInt(64), Ty::Int);
                let snap = self.snapshot(pc);
                self.trace
                    .push(Op::Guard(Cond::Ge, size, k, snap), Ty::None);
                let op = Op::CtxBits(v, pos, bits as u8, signed);
                self.trace.push(op, Ty::Int)
            }
        };
        Ok(Some((v, pos, k, value)))
    }

    /// `bs_match_string` of the bytes `want`: compared 4, 2 or 1 at a
    /// time, the differences or-ed into one value that one guard checks.
    fn match_string(
        &mut self,
        pc: Target,
        at: (Fail, Reg),
        want: &[u8],
        x: &[Term],
    ) -> Result<Step, Abort> {
        let bits = want.len() as u32 * 8;
        let k = self.trace.push(Op::KInt(i64::from(bits)), Ty::Int);
        let Some((v, pos)) = self.take(pc, at, (k, bits), x)? else {
            return Ok(Step::Continue);
        };
        let (_, ms) = self.aligned(pc, at.1, pos, x)?;
        let here = ms.bits().slice(ms.position(), bits as usize);
        let matched = here.is_some_and(|b| b.to_vec() == want);
        let mut diff = None;
        let mut offset = 0;
        while offset < want.len() {
            let n = if offset + 4 <= want.len() {
                4
            } else if offset + 2 <= want.len() {
                2
            } else {
                1
            };
            let chunk = want[offset..offset + n]
                .iter()
                .fold(0i64, |a, &b| a << 8 | i64::from(b));
            let p = if offset == 0 {
                pos
            } else {
                let k = self.trace.push(Op::KInt(offset as i64 * 8), Ty::Int);
                self.trace
                    .push(Op::Arith(IntOp::Add, pos, k, None), Ty::Int)
            };
            let got = self.trace.push(Op::CtxBytes(v, p, n as u8), Ty::Int);
            let k = self.trace.push(Op::KInt(chunk), Ty::Int);
            let d = self
                .trace
                .push(Op::Arith(IntOp::Xor, got, k, None), Ty::Int);
            diff = Some(match diff {
                Some(acc) => self.trace.push(Op::Arith(IntOp::Or, acc, d, None), Ty::Int),
                None => d,
            });
            offset += n;
        }
        let diff = diff.ok_or("bs_match_string of nothing")?;
        let zero = self.trace.push(Op::KInt(0), Ty::Int);
        self.test(pc, at.0, matched, (Cond::Eq, diff, zero))?;
        if matched {
            self.advance(v, pos, k);
        }
        Ok(Step::Continue)
    }

    /// The bits a segment of `size` (a literal, or a small integer in an X
    /// register, guarded to keep the value the interpreter saw: sizes are
    /// usually loop invariant) times `unit` covers.
    fn seg_bits(&mut self, pc: Target, size: Src, unit: u32, x: &[Term]) -> Result<u32, Abort> {
        let seen = match size.kind() {
            SrcKind::Const(t) => t,
            SrcKind::X(i) => x.get(i).copied().unwrap_or(Term::NIL),
            SrcKind::Y(_) => return Err("segment size in a Y register".into()),
        };
        let n = seen
            .as_small()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n < 1 << 24)
            .ok_or("segment size not a small integer")?;
        let bits = n.checked_mul(unit).ok_or("segment too large")?;
        if size.is_reg() {
            let v = self.int_operand(pc, size)?;
            let k = self.trace.push(Op::KInt(i64::from(n)), Ty::Int);
            let snap = self.snapshot(pc);
            self.trace.push(Op::Guard(Cond::Eq, v, k, snap), Ty::None);
        }
        Ok(bits)
    }

    /// Guards that the bits left in the context `v` are a multiple of
    /// `unit` when `ok` (the interpreter saw they are), else that they are
    /// not.
    fn unit_test(
        &mut self,
        pc: Target,
        fail: Fail,
        (v, ok): (Ref, bool),
        unit: u32,
    ) -> Result<Step, Abort> {
        if unit <= 1 {
            return Ok(Step::Continue);
        }
        if !unit.is_power_of_two() {
            return Err("a unit not a power of two".into());
        }
        let rem = self.remaining(v);
        let mask = self.trace.push(Op::KInt(i64::from(unit - 1)), Ty::Int);
        let low = self
            .trace
            .push(Op::Arith(IntOp::And, rem, mask, None), Ty::Int);
        let zero = self.trace.push(Op::KInt(0), Ty::Int);
        self.test(pc, fail, ok, (Cond::Eq, low, zero))
    }

    /// The rest of the context `v` as a sub-binary in `dst`; the context
    /// moves to its end if `moves` (`bs_get_binary2` of `all`, not
    /// `bs_get_tail`).
    fn tail(&mut self, pc: Target, v: Ref, dst: Reg, moves: bool) -> Result<Step, Abort> {
        let rem = self.remaining(v);
        let pos = self.position(v);
        let size = self.size(v);
        self.heap_room(pc)?;
        let sub = self.trace.push(Op::SubBinary(v, pos, rem), Ty::Term);
        if moves {
            self.set_position(v, size);
        }
        self.write(dst, sub)
    }

    /// A heap check for one sub-binary, exiting to `pc` where the
    /// interpreter allocates it; not within the room of a `test_heap`,
    /// which was checked for the words it names only.
    fn heap_room(&mut self, pc: Target) -> Result<(), Abort> {
        if self.room != 0 {
            return Err("a sub-binary within a test_heap's room".into());
        }
        self.heap_check_words(pc, PIECE_WORDS);
        // The room it checks is the sub-binary's alone.
        self.room_check = None;
        Ok(())
    }

    /// The bits a segment of `size` (a literal, or a small integer in an X
    /// register, guarded not negative) times `unit` covers, as a value and
    /// as the interpreter sees it now.
    fn seg_value(&mut self, pc: Target, size: Src, unit: u32, x: &[Term]) -> Result<Seg, Abort> {
        let SrcKind::X(i) = size.kind() else {
            let bits = self.seg_bits(pc, size, unit, x)?;
            return Ok((self.trace.push(Op::KInt(i64::from(bits)), Ty::Int), bits));
        };
        let bits = x
            .get(i)
            .and_then(|t| t.as_small())
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n < 1 << 24)
            .and_then(|n| n.checked_mul(unit))
            .ok_or("segment size not a small integer")?;
        let n = self.int_operand(pc, size)?;
        let zero = self.trace.push(Op::KInt(0), Ty::Int);
        let snap = self.snapshot(pc);
        self.trace
            .push(Op::Guard(Cond::Ge, n, zero, snap), Ty::None);
        let v = if unit == 1 {
            n
        } else {
            let u = self.trace.push(Op::KInt(i64::from(unit)), Ty::Int);
            self.trace
                .push(Op::Arith(IntOp::Mul, n, u, Some(snap)), Ty::Int)
        };
        Ok((v, bits))
    }

    /// Guards that the position `pos` of the context in `ctx` is at a
    /// byte boundary, as the interpreter saw it.
    fn aligned(
        &mut self,
        pc: Target,
        ctx: Reg,
        pos: Ref,
        x: &[Term],
    ) -> Result<(Ref, MatchState), Abort> {
        let (v, ms) = self.context(pc, ctx, x)?;
        if ms.position() % 8 != 0 {
            return Err("bit syntax off a byte boundary".into());
        }
        let seven = self.trace.push(Op::KInt(7), Ty::Int);
        let low = self
            .trace
            .push(Op::Arith(IntOp::And, pos, seven, None), Ty::Int);
        let zero = self.trace.push(Op::KInt(0), Ty::Int);
        let snap = self.snapshot(pc);
        self.trace
            .push(Op::Guard(Cond::Eq, low, zero, snap), Ty::None);
        Ok((v, ms))
    }

    /// A segment of `bits` bits at the context in `ctx`: guards that it is
    /// there (the context and its position, `Some`) or, as the interpreter
    /// saw, that it is not (`None`: the interpreter goes to `fail`).
    fn take(
        &mut self,
        pc: Target,
        (fail, ctx): (Fail, Reg),
        (k, bits): Seg,
        x: &[Term],
    ) -> Result<Option<(Ref, Ref)>, Abort> {
        let (v, ms) = self.context(pc, ctx, x)?;
        let ok = ms.remaining() >= bits as usize;
        let rem = self.remaining(v);
        self.test(pc, fail, ok, (Cond::Ge, rem, k))?;
        Ok(ok.then(|| (v, self.position(v))))
    }

    /// Guards `a cond b` when `ok` (the interpreter's test passed), the
    /// opposite when not (the interpreter goes to `fail`, which must be a
    /// label: without one it raises, which traces leave to it).
    fn test(
        &mut self,
        pc: Target,
        fail: Fail,
        ok: bool,
        (cond, a, b): (Cond, Ref, Ref),
    ) -> Result<Step, Abort> {
        if !ok && fail.target().is_none() {
            return Err("bit syntax test that raises".into());
        }
        let cond = if ok { cond } else { cond.negate() };
        let snap = self.snapshot(pc);
        self.trace.push(Op::Guard(cond, a, b, snap), Ty::None);
        Ok(Step::Continue)
    }

    /// The context in `r` (which the interpreter saw is one, read in
    /// place), guarded once per value.
    fn context(&mut self, pc: Target, r: Reg, x: &[Term]) -> Result<(Ref, MatchState), Abort> {
        if r.is_y() {
            return Err("match context in a Y register".into());
        }
        let seen = x.get(r.index()).copied().unwrap_or(Term::NIL);
        let ms = seen
            .as_match_state()
            .ok_or("bit syntax on a binary (a new match context)")?;
        if !ms.in_place() && ms.binary().header().map(|h| h.subtag()) != Some(Subtag::HeapBin) {
            return Err(
                "match context on a sub-binary of a heap binary or off a byte boundary".into(),
            );
        }
        let v = self.operand(Src::reg(r))?;
        if self.trace.ty(v) != Ty::Term {
            return Err("match context held as a number".into());
        }
        if self.ctxs.guarded.insert(v) {
            let snap = self.snapshot(pc);
            self.trace.push(Op::GuardCtx(v, snap), Ty::None);
        }
        Ok((v, ms))
    }

    /// The context's position.
    fn position(&mut self, v: Ref) -> Ref {
        match self.ctxs.pos {
            Some((c, p)) if c == v => p,
            _ => {
                let p = self.trace.push(Op::CtxPos(v), Ty::Int);
                self.ctxs.pos = Some((v, p));
                p
            }
        }
    }

    /// The context's size in bits.
    fn size(&mut self, v: Ref) -> Ref {
        if let Some(&s) = self.ctxs.size.get(&v) {
            return s;
        }
        let s = self.trace.push(Op::CtxSize(v), Ty::Int);
        self.ctxs.size.insert(v, s);
        s
    }

    /// The bits left.
    fn remaining(&mut self, v: Ref) -> Ref {
        let size = self.size(v);
        let pos = self.position(v);
        self.trace
            .push(Op::Arith(IntOp::Sub, size, pos, None), Ty::Int)
    }

    /// Stores `p` as the context's position.
    fn set_position(&mut self, v: Ref, p: Ref) {
        self.trace.push(Op::CtxSetPos(v, p), Ty::None);
        self.ctxs.pos = Some((v, p));
    }

    /// Moves the context at `pos` past a segment of `bits` bits (which
    /// the guards showed is there: the sum stays within its size).
    fn advance(&mut self, v: Ref, pos: Ref, bits: Ref) {
        let next = self
            .trace
            .push(Op::Arith(IntOp::Add, pos, bits, None), Ty::Int);
        self.set_position(v, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enigma_interp::seam::Anchor;
    use enigma_vm::code::Countdown;
    use enigma_vm::term::Heap;

    fn anchor() -> Anchor {
        Anchor {
            id: 1,
            pc: 10,
            arity: 3,
        }
    }

    fn count(r: &Recording, f: fn(&Op) -> bool) -> usize {
        r.trace.ins.iter().filter(|i| f(&i.op)).count()
    }

    #[test]
    fn a_byte_loop_guards_the_context_once_and_stores_each_position() {
        let mut heap = Heap::new();
        let bin = heap.binary(&[7; 100]);
        let ms = heap.match_state(bin);
        let x = [ms, Term::small(0), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let (x0, x3) = (Reg::x(0), Reg::x(3));
        let body = [
            Instr::BsStartMatch {
                fail: Fail::to(5),
                src: Src::reg(x0),
                live: 3,
                dst: x3,
            },
            Instr::BsGetPosition {
                ctx: x3,
                dst: x0,
                live: 4,
            },
            Instr::BsGetUint {
                fail: Fail::to(7),
                ctx: x3,
                bits: 8,
                dst: Reg::x(4),
            },
            Instr::BsTestUnit {
                fail: Fail::to(6),
                ctx: x3,
                unit: 8,
            },
            Instr::MoveXX { src: 3, dst: 0 },
        ];
        let mut seen = x.to_vec();
        seen.resize(5, Term::NIL);
        seen[3] = ms;
        for (pc, i) in body.iter().enumerate() {
            assert_eq!(r.instr(11 + pc as u32, i, &seen), Ok(Step::Continue));
        }
        let call = Instr::CallOnly {
            arity: 3,
            target: 10,
            count: Countdown::new(),
        };
        assert_eq!(r.instr(20, &call, &seen), Ok(Step::Closed));
        assert_eq!(count(&r, |o| matches!(o, Op::GuardCtx(..))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxPos(_))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxSize(_))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxBytes(_, _, 1))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxSetPos(..))), 1);
        // The context is loop invariant: the back edge carries the phi.
        let t = r.into_trace();
        let (phi, v) = t.back[0];
        assert_eq!(phi, v);
    }

    #[test]
    fn a_missing_segment_is_guarded_missing_and_heap_sub_binaries_abort() {
        let mut heap = Heap::new();
        let big = heap.binary(&[1; 80]);
        let ms = heap.match_state(big);
        ms.as_match_state().unwrap().set_position(80 * 8 - 4);
        let x = [ms, Term::small(0), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let get = Instr::BsGetUint {
            fail: Fail::to(7),
            ctx: Reg::x(0),
            bits: 8,
            dst: Reg::x(4),
        };
        assert_eq!(r.instr(11, &get, &x), Ok(Step::Continue));
        assert_eq!(count(&r, |o| matches!(o, Op::Guard(Cond::Lt, ..))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxBytes(..))), 0);
        // Without a failure label the interpreter raises: not recorded.
        let raise = Instr::BsGetUint {
            fail: Fail::NONE,
            ctx: Reg::x(0),
            bits: 8,
            dst: Reg::x(4),
        };
        assert!(r.instr(12, &raise, &x).is_err());
        // A heap binary is read where it lies; a sub-binary of one is not.
        let small = heap.binary(b"abc");
        let x = [heap.match_state(small), Term::small(0), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        assert_eq!(r.instr(11, &get, &x), Ok(Step::Continue));
        let part = heap.sub_view(small, 8, 16);
        let x = [heap.match_state(part), Term::small(0), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        assert!(r.instr(11, &get, &x).is_err());
    }

    #[test]
    fn reads_off_a_byte_boundary_use_the_window_and_guard_its_length() {
        let mut heap = Heap::new();
        let big = heap.binary(&[0xA5; 80]);
        let ms = heap.match_state(big);
        ms.as_match_state().unwrap().set_position(3);
        let x = [ms, Term::small(12), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let get = Instr::BsGetUint {
            fail: Fail::to(7),
            ctx: Reg::x(0),
            bits: 12,
            dst: Reg::x(4),
        };
        assert_eq!(r.instr(11, &get, &x), Ok(Step::Continue));
        assert_eq!(count(&r, |o| matches!(o, Op::CtxBits(_, _, 12, false))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxBytes(..))), 0);
        let k64 = |r: &Recording| r.trace.ins.iter().any(|i| i.op == Op::KInt(64));
        assert!(k64(&r));
        // Too wide for the window.
        let wide = Instr::BsGetUint {
            fail: Fail::to(7),
            ctx: Reg::x(0),
            bits: 58,
            dst: Reg::x(4),
        };
        assert!(r.instr(12, &wide, &x).is_err());
    }

    #[test]
    fn binary_segments_allocate_a_sub_binary_under_a_heap_check_of_their_own() {
        let mut heap = Heap::new();
        let big = heap.binary(&[3; 100]);
        let ms = heap.match_state(big);
        let x = [ms, Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let get = Instr::BsGetBinary2(Box::new(enigma_vm::code::instr::BsGet {
            fail: Fail::to(7),
            ctx: Reg::x(0),
            dst: Reg::x(3),
            live: 3,
            unit: 8,
            flags: 0,
            size: Src::reg(Reg::x(1)),
        }));
        assert_eq!(r.instr(11, &get, &x), Ok(Step::Continue));
        assert_eq!(count(&r, |o| matches!(o, Op::HeapCheck(PIECE_WORDS, _))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::SubBinary(..))), 1);
        // The size is a value (times the unit), not specialised.
        assert_eq!(count(&r, |o| matches!(o, Op::Arith(IntOp::Mul, ..))), 1);
        assert_eq!(count(&r, |o| matches!(o, Op::CtxSetPos(..))), 1);
    }
}
