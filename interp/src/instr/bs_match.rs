//! Binary matching: match contexts (`enigma_vm::term::match_state`) and
//! the `bs_get_*`, `bs_skip_*`, `bs_test_*`, `bs_match_string` and
//! position instructions. A segment that is not there, has a bad size or
//! does not decode (bad UTF, NaN floats) takes the fail label, as on BEAM.

use enigma_vm::code::instr::{BsGet, StartU8Eq};
use enigma_vm::code::{Fail, Instr, Reg, Src, Target};
use enigma_vm::exception::Exception;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::binary::Bits;
use enigma_vm::term::match_state::MatchState;
use enigma_vm::term::Term;

use super::bs_build::{little, seg_bits, SIGNED};
use crate::cursor::Cursor;
use crate::run::{Run, Step, Stop, NUM_REGS};

/// Which UTF encoding.
#[derive(Clone, Copy)]
pub(crate) enum Utf {
    Utf8,
    Utf16,
    Utf32,
}

/// Whether `bits` is a multiple of `unit` (0 and 1 accept anything);
/// without a division for the usual power-of-two units.
fn multiple_of(bits: usize, unit: u32) -> bool {
    let unit = unit as usize;
    if unit.is_power_of_two() {
        bits & (unit - 1) == 0
    } else {
        unit == 0 || bits.is_multiple_of(unit)
    }
}

/// X register `r`: the loader gives the fused instructions X registers
/// only, and this tells the compiler so (no test for a Y register).
#[inline(always)]
fn x(r: Reg) -> Reg {
    Reg::x(r.index() as u16)
}

/// X register `r`, of a fused instruction's byte-sized operand: below
/// the register array's length, so indexing it needs no mask.
#[inline(always)]
pub(crate) fn xb(r: u8) -> Reg {
    Reg::x(u16::from(r))
}

/// Where a byte test goes when the byte is not the one tested for: to
/// `ne`, or with a `unit` label, past the `BsTestUnit8` at `ne` when
/// `whole` bytes are left, else to `unit` (see `Instr::BsGetU8Eq`).
#[inline(always)]
pub(crate) fn u8_ne(whole: bool, ne: Target, unit: Fail) -> Target {
    match unit.target() {
        // The loader checked that `ne` holds a `BsTestUnit8`, so `ne + 1`
        // is an instruction of the same code.
        Some(_) if whole => ne + 1,
        Some(u) => u,
        None => ne,
    }
}

impl Run<'_> {
    #[inline(always)]
    fn ctx(&self, r: Reg) -> Result<MatchState, Exception> {
        let t = if r.is_y() {
            self.y(r.index())
        } else {
            self.x[r.index() % NUM_REGS]
        };
        t.as_match_state().ok_or_else(Exception::badarg)
    }

    /// Jumps to `fail` (a failed match); `badarg` if there is no label.
    #[inline]
    fn bs_fail(&mut self, fail: Fail) -> Step {
        match fail.target() {
            Some(t) => {
                self.goto(t);
                Ok(())
            }
            None => Err(Exception::badarg().into()),
        }
    }

    /// The bits a segment of `size` (integer or `all`) and `unit` covers
    /// when `rest` bits are left, if they are there.
    #[inline]
    fn seg_size(&self, rest: usize, size: Src, unit: u32) -> Option<usize> {
        let s = self.get(size);
        if let Some(n) = s.as_small() {
            // The usual case: a literal or computed small size.
            return usize::try_from(n)
                .ok()?
                .checked_mul(unit as usize)
                .filter(|&bits| bits <= rest);
        }
        if s == Term::atom(enigma_vm::atom::Atom::ALL) {
            return multiple_of(rest, unit).then_some(rest);
        }
        seg_bits(s, unit).ok().filter(|&bits| bits <= rest)
    }

    /// The context in `r`, its bits, its position and a segment's size
    /// there (`None` if the segment is not there).
    #[inline]
    fn segment(
        &self,
        r: Reg,
        size: Src,
        unit: u32,
    ) -> Result<(MatchState, Bits<'static>, usize, Option<usize>), Exception> {
        let ms = self.ctx(r)?;
        let bits = ms.bits();
        let pos = ms.position();
        let seg = self.seg_size(bits.bit_size.saturating_sub(pos), size, unit);
        Ok((ms, bits, pos, seg))
    }

    /// `bs_start_match3` / `bs_start_match4`: a context over a bitstring;
    /// a context stays itself.
    #[inline(always)]
    pub(crate) fn bs_start_match(&mut self, fail: Fail, src: Src, dst: Reg) -> Step {
        let t = self.get(src);
        if t.as_match_state().is_some() {
            self.set(dst, t);
        } else if t.is_bitstring() {
            let ms = self.p.heap.match_state(t);
            self.set(dst, ms);
        } else {
            return self.bs_fail(fail);
        }
        Ok(())
    }

    /// `BsStartMatchPos`: `bs_start_match` into `dst`, then its position
    /// into `pos` (0 for a new context).
    #[inline(always)]
    pub(crate) fn bs_start_match_pos(&mut self, fail: Fail, src: Src, dst: Reg, pos: Reg) -> Step {
        let t = self.get(src);
        let (ctx, at) = if let Some(ms) = t.as_match_state() {
            (t, ms.position())
        } else if t.is_bitstring() {
            (self.p.heap.match_state(t), 0)
        } else {
            return self.bs_fail(fail);
        };
        self.set(dst, ctx);
        self.set(pos, Term::small(at as i64));
        Ok(())
    }

    /// `bs_get_integer2`.
    pub(crate) fn bs_get_integer(&mut self, op: &BsGet) -> Step {
        let (ms, b, pos, seg) = self.segment(op.ctx, op.size, op.unit)?;
        let got = seg.and_then(|bits| {
            let v = b.read_int(pos, bits, little(op.flags), op.flags & SIGNED != 0)?;
            Some((v, bits))
        });
        let Some((v, bits)) = got else {
            return self.bs_fail(op.fail);
        };
        let t = match v {
            Int::Small(i) => self.p.heap.int(i),
            Int::Big(b) => self.p.heap.big(&b),
        };
        ms.advance_to(pos + bits);
        self.set(op.dst, t);
        Ok(())
    }

    /// `BsGetUint`: `bs_get_integer2` with no size operand to decode and a
    /// small integer result.
    #[inline(always)]
    pub(crate) fn bs_get_uint(&mut self, fail: Fail, ctx: Reg, bits: u32, dst: Reg) -> Step {
        match self.ctx(ctx)?.read_uint(bits as usize) {
            Some(v) => {
                self.set(dst, Term::small(v as i64));
                Ok(())
            }
            None => self.bs_fail(fail),
        }
    }

    /// `BsGetU8/16/32`: the unsigned big-endian integer in the next `N`
    /// bytes.
    #[inline(always)]
    pub(crate) fn bs_get_be<const N: usize>(&mut self, fail: Fail, ctx: Reg, dst: Reg) -> Step {
        match self.ctx(ctx)?.read_be::<N>() {
            Some(v) => {
                self.set(dst, Term::small(v as i64));
                Ok(())
            }
            None => self.bs_fail(fail),
        }
    }

    /// `BsGetU8Eq`: `BsGetU8`, then to `ne` unless the byte is `byte`;
    /// X registers only (checked by the loader).
    #[inline(always)]
    pub(crate) fn bs_get_u8_eq(&mut self, instr: &Instr) -> Step {
        let Instr::BsGetU8Eq {
            fail,
            ctx,
            dst,
            byte,
            ne,
            unit,
        } = *instr
        else {
            return Ok(());
        };
        let ms = self.ctx(x(ctx))?;
        self.u8_eq(ms, ms.read_be::<1>(), (fail, dst), (byte, ne, unit))
    }

    /// `BsGetU8Select`: `BsGetU8`, then `select_val` on the byte; X
    /// registers only (checked by the loader).
    #[inline(always)]
    pub(crate) fn bs_get_u8_select(&mut self, instr: &Instr) -> Step {
        let Instr::BsGetU8Select {
            fail,
            ctx,
            dst,
            sfail,
            table,
        } = *instr
        else {
            return Ok(());
        };
        let Some(v) = self.ctx(x(ctx))?.read_be::<1>() else {
            return self.bs_fail(fail);
        };
        self.set(x(dst), Term::small(v as i64));
        self.select_val(Src::reg(dst), sfail, table)
    }

    /// `BsStartU8Eq`: `BsStartMatchPos`, then `BsGetU8Eq` on the context
    /// it started, all in X registers (checked by the loader), at the
    /// loop's cursor `cur`: the usual case inline, the others out of line.
    #[inline(always)]
    pub(crate) fn bs_start_u8_eq(&mut self, cur: &mut Cursor, op: &StartU8Eq) -> Step {
        match self.bs_start_u8_eq_fast(op) {
            Some(None) => Ok(()),
            Some(Some(t)) => {
                cur.goto(t);
                Ok(())
            }
            None => {
                *cur = self.bs_start_u8_eq_slow(*cur, op)?;
                Ok(())
            }
        }
    }

    /// `BsStartU8Eq`'s usual case: `src` holds a context over bytes in
    /// place, at a byte boundary, with a byte left. `Some(None)` to go on,
    /// `Some(Some(t))` to jump to `t`, or `None`, with nothing done, for
    /// [`Run::bs_start_u8_eq_slow`]. Each operand is read where it is
    /// used, so that nothing waits in a spilled register.
    #[inline(always)]
    fn bs_start_u8_eq_fast(&mut self, op: &StartU8Eq) -> Option<Option<Target>> {
        let t = self.reg(xb(op.src));
        let ms = t.as_match_state()?;
        let (v, at, whole) = ms.next_byte_in_place()?;
        self.set(xb(op.ctx), t);
        self.set(xb(op.pos), Term::small(at as i64));
        self.set(xb(op.dst), Term::small(i64::from(v)));
        if v == op.byte {
            return Some(None);
        }
        Some(Some(u8_ne(whole, op.ne, op.unit)))
    }

    /// `BsStartU8Eq`, every case, at `cur` (in `Run::cur` for the general
    /// path's jumps and raise): where to go on. The cursor goes by value,
    /// so that the loop's stays in a register.
    #[inline(never)]
    fn bs_start_u8_eq_slow(&mut self, cur: Cursor, op: &StartU8Eq) -> Result<Cursor, Stop> {
        self.cur = cur;
        self.bs_start_u8_eq_general(op)?;
        Ok(self.cur)
    }

    /// `BsStartU8Eq`, every case (see [`Run::bs_start_u8_eq_fast`]).
    fn bs_start_u8_eq_general(&mut self, op: &StartU8Eq) -> Step {
        let t = self.reg(xb(op.src));
        let (t, ms) = match t.as_match_state() {
            Some(ms) => (t, ms),
            None => match t.is_bitstring().then(|| self.p.heap.match_state(t)) {
                Some(c) => (c, c.as_match_state().ok_or_else(Exception::badarg)?),
                None => return self.bs_fail(op.fail),
            },
        };
        // Both reads before the register writes, which the compiler
        // cannot tell from the context's words.
        let at = ms.position();
        let got = ms.read_be::<1>();
        self.set(xb(op.ctx), t);
        self.set(xb(op.pos), Term::small(at as i64));
        self.u8_eq(
            ms,
            got,
            (op.get_fail, xb(op.dst)),
            (op.byte, op.ne, op.unit),
        )
    }

    /// The byte `got` of `ms` (`None`: none left) into X register `dst`,
    /// then to `ne` unless it is `byte`; with a `unit` label, on past the
    /// `BsTestUnit8` at `ne` or to `unit` (see `Instr::BsGetU8Eq`).
    #[inline(always)]
    fn u8_eq(
        &mut self,
        ms: MatchState,
        got: Option<u64>,
        (fail, dst): (Fail, Reg),
        (byte, ne, unit): (u8, Target, Fail),
    ) -> Step {
        let Some(v) = got else {
            return self.bs_fail(fail);
        };
        self.set(x(dst), Term::small(v as i64));
        if v != u64::from(byte) {
            self.goto(u8_ne(ms.whole_bytes_left(), ne, unit));
        }
        Ok(())
    }

    /// `bs_get_float2`.
    pub(crate) fn bs_get_float(&mut self, op: &BsGet) -> Step {
        let (ms, b, pos, seg) = self.segment(op.ctx, op.size, op.unit)?;
        let got = seg.and_then(|bits| Some((b.read_float(pos, bits, little(op.flags))?, bits)));
        let Some((f, bits)) = got else {
            return self.bs_fail(op.fail);
        };
        ms.advance_to(pos + bits);
        let t = self.p.heap.float(f);
        self.set(op.dst, t);
        Ok(())
    }

    /// `bs_get_binary2`.
    pub(crate) fn bs_get_binary(&mut self, op: &BsGet) -> Step {
        let (ms, _, pos, seg) = self.segment(op.ctx, op.size, op.unit)?;
        let Some(bits) = seg else {
            return self.bs_fail(op.fail);
        };
        let t = self.p.heap.sub_binary(ms.binary(), pos, bits);
        ms.advance_to(pos + bits);
        self.set(op.dst, t);
        Ok(())
    }

    /// `bs_skip_bits2`.
    pub(crate) fn bs_skip_bits(&mut self, fail: Fail, ctx: Reg, size: Src, unit: u32) -> Step {
        match self.segment(ctx, size, unit)? {
            (ms, _, pos, Some(bits)) => {
                ms.advance_to(pos + bits);
                Ok(())
            }
            _ => self.bs_fail(fail),
        }
    }

    /// `bs_test_tail2`: exactly `bits` bits left.
    #[inline]
    pub(crate) fn bs_test_tail(&mut self, fail: Fail, ctx: Reg, bits: u32) -> Step {
        let ms = self.ctx(ctx)?;
        if ms.remaining() == bits as usize {
            Ok(())
        } else {
            self.bs_fail(fail)
        }
    }

    /// `bs_test_unit`: the bits left are a multiple of `unit`.
    #[inline(always)]
    pub(crate) fn bs_test_unit(&mut self, fail: Fail, ctx: Reg, unit: u32) -> Step {
        let ms = self.ctx(ctx)?;
        if multiple_of(ms.remaining(), unit) {
            Ok(())
        } else {
            self.bs_fail(fail)
        }
    }

    /// `BsTestUnit8`: the bits left are whole bytes.
    #[inline(always)]
    pub(crate) fn bs_test_unit8(&mut self, fail: Fail, ctx: Reg) -> Step {
        if self.ctx(ctx)?.whole_bytes_left() {
            Ok(())
        } else {
            self.bs_fail(fail)
        }
    }

    /// `bs_match_string`: the next `bits` bits equal the string's.
    pub(crate) fn bs_match_string(
        &mut self,
        fail: Fail,
        ctx: Reg,
        bits: u32,
        string: enigma_vm::code::operand::Span,
    ) -> Step {
        let ms = self.ctx(ctx)?;
        let pos = ms.position();
        let bits = bits as usize;
        let want = self.m.strings.get(string.range()).map(|bytes| Bits {
            bytes,
            bit_offset: 0,
            bit_size: bits.min(bytes.len() * 8),
        });
        let ok = match (want, ms.bits().slice(pos, bits)) {
            (Some(w), Some(h)) => w.bit_size == bits && w.to_vec() == h.to_vec(),
            _ => false,
        };
        if !ok {
            return self.bs_fail(fail);
        }
        ms.set_position(pos + bits);
        Ok(())
    }

    /// `bs_get_utf8/16/32` (`dst` given) and `bs_skip_utf8/16/32`.
    pub(crate) fn bs_utf(
        &mut self,
        fail: Fail,
        ctx: Reg,
        flags: u32,
        utf: Utf,
        dst: Option<Reg>,
    ) -> Step {
        let ms = self.ctx(ctx)?;
        let pos = ms.position();
        let b = ms.bits();
        let le = little(flags);
        let got = match utf {
            Utf::Utf8 => b.read_utf8(pos),
            Utf::Utf16 => b.read_utf16(pos, le),
            Utf::Utf32 => b.read_utf32(pos, le),
        };
        let Some((cp, bits)) = got else {
            return self.bs_fail(fail);
        };
        ms.set_position(pos + bits);
        if let Some(d) = dst {
            self.set(d, Term::small(cp as i64));
        }
        Ok(())
    }

    /// `bs_get_tail`: the rest as a sub-binary.
    pub(crate) fn bs_get_tail(&mut self, ctx: Reg, dst: Reg) -> Step {
        let ms = self.ctx(ctx)?;
        let t = self
            .p
            .heap
            .sub_binary(ms.binary(), ms.position(), ms.remaining());
        self.set(dst, t);
        Ok(())
    }

    /// `bs_get_position`.
    #[inline(always)]
    pub(crate) fn bs_get_position(&mut self, ctx: Reg, dst: Reg) -> Step {
        let ms = self.ctx(ctx)?;
        self.set(dst, Term::small(ms.position() as i64));
        Ok(())
    }

    /// `bs_set_position`.
    pub(crate) fn bs_set_position(&mut self, ctx: Reg, pos: Src) -> Step {
        let ms = self.ctx(ctx)?;
        let p = self.get(pos).as_small().ok_or_else(Exception::badarg)?;
        ms.set_position(usize::try_from(p).map_err(|_| Exception::badarg())?);
        Ok(())
    }
}
