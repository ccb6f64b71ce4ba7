//! Byte loops (`Instr::ByteLoop`): a loop that matches a binary byte by
//! byte, run through many back edges in one dispatch.
//!
//! The loader marks a back edge as a byte loop when its target starts a
//! match and every instruction from there to the edge is one this module
//! runs (docs/LOADER.md). The marked edge runs as the edge it holds; then,
//! when the head's context holds its bytes in place at a byte boundary,
//! the loop runs here from its head, on each instruction's usual case
//! only: the context's bytes in a slice and its position in a local,
//! stored when the loop stops. Each instruction either runs whole,
//! writing what its own handler would, or not at all: the loop stops
//! there and the instruction loop goes on with it, which runs its every
//! case. A back edge is taken here only when neither the budget nor its
//! countdown would run out on it (the instruction loop takes that one),
//! with its reduction and its count, so that reductions, yields and the
//! JIT's counters are what one dispatch per instruction gives.
//!
//! The head (the match's start, its byte read and a `Rest/binary` test)
//! and the back edge its usual path reaches are decoded once per dispatch
//! and run without a dispatch per byte ([`fast`]); the other paths of the
//! loop (a byte tested for, a guard in the body) run one instruction at a
//! time ([`scan_step`]).

use enigma_vm::code::instr::AddBandLoop;
use enigma_vm::code::{ArithOp, Countdown, Fail, Instr, Reg, Target};
use enigma_vm::term::match_state::MatchState;
use enigma_vm::term::Term;

use super::bs_match::{u8_ne, xb};
use crate::cursor::Cursor;
use crate::run::{add_delta, add_tagged, small_lt, Run, Step, NUM_REGS};

/// The X registers.
type Regs = [Term; NUM_REGS];

/// The context a byte loop runs over, and what it keeps in locals.
struct Scan<'a> {
    /// The context's term.
    t: Term,
    /// The context.
    ms: MatchState,
    /// Its whole bytes, in place.
    bytes: &'a [u8],
    /// The next byte.
    at: usize,
    /// Whether its bits are whole bytes (so that a byte read leaves whole
    /// bytes).
    whole: bool,
    /// The loop's head.
    head: Target,
    /// Reductions left (`Cursor::budget`).
    budget: i64,
}

impl Scan<'_> {
    /// The next byte of the context, read, if `t` is the context and a
    /// byte is left.
    #[inline(always)]
    fn byte(&mut self, t: Term) -> Option<u8> {
        if t != self.t {
            return None;
        }
        let v = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(v)
    }
}

/// A back edge's target and countdown.
fn edge(i: &Instr) -> Option<(Target, &Countdown)> {
    match i {
        Instr::LoopOnly { target, count, .. } | Instr::MoveLoopOnly { target, count, .. } => {
            Some((*target, count))
        }
        Instr::AddBandLoop(op) => Some((op.target, &op.count)),
        _ => None,
    }
}

/// Where a test goes: on, or to `fail` (a test always has a label).
#[inline(always)]
fn test(ok: bool, next: Target, fail: Fail) -> Target {
    match fail.target() {
        Some(t) if !ok => t,
        _ => next,
    }
}

/// X register `r`'s index: `None` for a Y register, which the loop leaves
/// to the instruction loop.
#[inline(always)]
fn xi(r: Reg) -> Option<usize> {
    (!r.is_y()).then_some(r.index() % NUM_REGS)
}

impl Run<'_> {
    /// `ByteLoop`: its back edge, then the loop from its head, many
    /// iterations while every instruction's usual case holds (see the
    /// module's doc). Out of line (`run::outlined`), with the position in
    /// `Run::cur`: its dispatch is once per loop, not per byte.
    pub(crate) fn byte_loop(&mut self, back: &'static Instr) -> Step {
        let mut cur = self.cur;
        let Some((head, count)) = edge(back) else {
            return Ok(());
        };
        // Whether the edge leaves the budget and the countdown above zero,
        // as every edge the loop takes must. While the JIT records, which
        // sees one instruction at a time, no loop.
        let room = !self.recording
            && self.cur.budget > 1
            && (!cfg!(feature = "counters") || count.left() > 1);
        self.back_edge(&mut cur, back)?;
        self.cur = cur;
        if !room {
            return Ok(());
        }
        let code = cur.code();
        let Some(mut s) = self.scan_start(code, head) else {
            return Ok(());
        };
        let at = scan(&mut self.x, &mut s, code);
        s.ms.advance_to(s.at * 8);
        cur.budget = s.budget;
        cur.goto(at);
        self.cur = cur;
        Ok(())
    }

    /// The back edge `back`, as its own handler runs it.
    fn back_edge(&mut self, cur: &mut Cursor, back: &'static Instr) -> Step {
        match *back {
            Instr::LoopOnly {
                arity,
                target,
                ref count,
            } => self.loop_only::<true>(cur, target, arity, count),
            Instr::MoveLoopOnly {
                src,
                dst,
                arity,
                target,
                ref count,
            } => {
                self.x[dst as usize % NUM_REGS] = self.x[src as usize % NUM_REGS];
                self.loop_only::<true>(cur, target, arity, count)
            }
            Instr::AddBandLoop(ref op) => self.add_band_loop(cur, op),
            _ => Ok(()),
        }
    }

    /// The context the loop's head at `head` starts from, if it holds its
    /// bytes in place and is at a byte boundary.
    fn scan_start<'a>(&self, code: &[Instr], head: Target) -> Option<Scan<'a>> {
        let t = match code.get(head as usize)? {
            Instr::BsStartMatch { src, .. } | Instr::BsStartMatchPos { src, .. } => self.get(*src),
            Instr::BsStartU8Eq(h) => self.reg(xb(h.src)),
            _ => return None,
        };
        let ms = t.as_match_state()?;
        let bytes = ms.bytes_in_place()?;
        let pos = ms.position();
        (pos & 7 == 0).then_some(Scan {
            t,
            ms,
            bytes,
            at: pos / 8,
            whole: ms.bit_size() & 7 == 0,
            head,
            budget: self.cur.budget,
        })
    }
}

/// A loop's head decoded, as X register indices: the start of the match
/// (`BsStartMatch`, `BsStartMatchPos`), its byte read (`BsGetU8`,
/// `BsGetU8Eq`, a one-byte `BsSkipBits2`) and a whole-bytes test after
/// it, or a `BsStartU8Eq`, which does it all. A head that writes no
/// position or no byte has `ctx` there: [`head_step`] writes the context
/// last, which undoes such a write; the position and the byte are
/// written in their instructions' order, and neither goes to the
/// context's register otherwise (checked), so the registers end as the
/// instructions leave them.
#[derive(Clone, Copy)]
struct Head {
    src: usize,
    ctx: usize,
    pos: usize,
    dst: usize,
    /// The byte tested for, and where the others go.
    eq: Option<(u8, Target)>,
    /// Where the loop goes on after the head.
    next: Target,
}

/// The loop's head at `at`, decoded, if it has one of [`Head`]'s shapes,
/// on a context whose bits are `whole` bytes or not.
fn head_of(code: &[Instr], at: Target, whole: bool) -> Option<Head> {
    let mut h = match *code.get(at as usize)? {
        Instr::BsStartU8Eq(ref h) if h.ctx != h.pos && h.ctx != h.dst => Head {
            src: h.src.into(),
            ctx: h.ctx.into(),
            pos: h.pos.into(),
            dst: h.dst.into(),
            eq: Some((h.byte, u8_ne(whole, h.ne, h.unit))),
            next: at + 1,
        },
        Instr::BsStartMatch { src, dst, .. } => {
            let ctx = xi(dst)?;
            Head {
                src: xi(src.as_reg()?)?,
                ctx,
                pos: ctx,
                dst: ctx,
                eq: None,
                next: at + 1,
            }
        }
        Instr::BsStartMatchPos { src, dst, pos, .. } => {
            let ctx = xi(dst)?;
            Head {
                src: xi(src.as_reg()?)?,
                ctx,
                pos: xi(pos).filter(|&p| p != ctx)?,
                dst: ctx,
                eq: None,
                next: at + 1,
            }
        }
        _ => return None,
    };
    if h.eq.is_none() {
        let read = code.get(h.next as usize)?;
        match *read {
            Instr::BsGetU8 { ctx, dst, .. } if xi(ctx)? == h.ctx => {
                h.dst = xi(dst).filter(|&d| d != h.ctx)?;
            }
            Instr::BsGetU8Eq {
                ctx,
                dst,
                byte,
                ne,
                unit,
                ..
            } if xi(ctx)? == h.ctx => {
                h.dst = xi(dst).filter(|&d| d != h.ctx)?;
                h.eq = Some((byte, u8_ne(whole, ne, unit)));
            }
            Instr::BsSkipBits2 { ctx, .. } if read.skips_one_byte() && xi(ctx)? == h.ctx => {}
            _ => return None,
        }
        h.next += 1;
    }
    // A `Rest/binary` tail's test, which every byte passes when the bits
    // are whole bytes.
    if let (true, None, Some(&Instr::BsTestUnit8 { ctx, .. })) =
        (whole, h.eq, code.get(h.next as usize))
    {
        if xi(ctx)? == h.ctx {
            h.next += 1;
        }
    }
    Some(h)
}

/// The decoded head on the context `t` over `bytes`, from byte `at`:
/// where the loop goes on, or `None` (nothing done) if the head's
/// register no longer holds the context or no byte is left. `EQ` if the
/// head may test its byte for a literal.
#[inline(always)]
fn head_step<const EQ: bool>(
    x: &mut Regs,
    t: Term,
    bytes: &[u8],
    at: &mut usize,
    h: &Head,
) -> Option<Target> {
    if x[h.src % NUM_REGS] != t {
        return None;
    }
    let v = *bytes.get(*at)?;
    x[h.pos % NUM_REGS] = Term::small(8 * *at as i64);
    x[h.dst % NUM_REGS] = Term::small(i64::from(v));
    x[h.ctx % NUM_REGS] = t;
    *at += 1;
    Some(match h.eq {
        Some((byte, ne)) if EQ && v != byte => ne,
        _ => h.next,
    })
}

/// What a back edge does besides its reduction and its count, decoded:
/// true if done, false (nothing written) if its usual case does not hold.
trait Tail: Copy {
    fn run(self, x: &mut Regs) -> bool;
}

/// `LoopOnly`: nothing.
#[derive(Clone, Copy)]
struct Plain;

impl Tail for Plain {
    #[inline(always)]
    fn run(self, _: &mut Regs) -> bool {
        true
    }
}

/// `MoveLoopOnly`'s move.
#[derive(Clone, Copy)]
struct Move {
    from: usize,
    to: usize,
}

impl Tail for Move {
    #[inline(always)]
    fn run(self, x: &mut Regs) -> bool {
        x[self.to % NUM_REGS] = x[self.from % NUM_REGS];
        true
    }
}

/// `AddBandLoop`'s add, band and move, on small integers.
#[derive(Clone, Copy)]
struct AddBand {
    op: ArithOp,
    a: usize,
    b: usize,
    sum: usize,
    band: usize,
    mask: u64,
    from: usize,
    to: usize,
}

impl AddBand {
    fn new(op: &AddBandLoop) -> AddBand {
        AddBand {
            op: op.op,
            a: op.a.into(),
            b: op.b.into(),
            sum: op.sum.into(),
            band: op.band_dst.into(),
            mask: op.tagged_mask() as u64,
            from: op.src.into(),
            to: op.dst.into(),
        }
    }
}

impl Tail for AddBand {
    #[inline(always)]
    fn run(self, x: &mut Regs) -> bool {
        let Some(sum) = add_tagged(self.op, x[self.a % NUM_REGS], x[self.b % NUM_REGS]) else {
            return false;
        };
        x[self.sum % NUM_REGS] = sum;
        x[self.band % NUM_REGS] = Term::from_raw(sum.raw() & self.mask);
        x[self.to % NUM_REGS] = x[self.from % NUM_REGS];
        true
    }
}

/// A register operation of a loop's body, decoded: true if done, false
/// (nothing written) if its usual case does not hold.
#[derive(Clone, Copy)]
enum Op {
    /// `AddXI`.
    AddImm { a: usize, delta: i64, dst: usize },
    /// `AddRR`, `AddXX`.
    Add {
        op: ArithOp,
        a: usize,
        b: usize,
        dst: usize,
    },
    /// `BandXI`.
    Band { a: usize, mask: u64, dst: usize },
    /// `MoveXX`, each half of a `Move2XXXX`.
    Move { from: usize, to: usize },
}

impl Op {
    /// The operations `i` does, if it is one of [`Op`]'s kinds on X
    /// registers (two for a `Move2XXXX`).
    fn decode(i: &Instr) -> Option<(Op, Option<Op>)> {
        let n = |r: u16| r as usize % NUM_REGS;
        let op = match *i {
            Instr::AddXI { a, delta, dst, .. } => Op::AddImm {
                a: n(a),
                delta,
                dst: xi(dst)?,
            },
            Instr::AddRR { op, a, b, dst, .. } => Op::Add {
                op,
                a: xi(a)?,
                b: xi(b)?,
                dst: xi(dst)?,
            },
            Instr::AddXX { a, b, dst, .. } => Op::Add {
                op: ArithOp::Add,
                a: n(a),
                b: n(b),
                dst: n(dst),
            },
            Instr::BandXI { a, mask, dst, .. } => Op::Band {
                a: n(a),
                mask: mask as u64,
                dst: xi(dst)?,
            },
            Instr::MoveXX { src, dst } => Op::Move {
                from: n(src),
                to: n(dst),
            },
            Instr::Move2XXXX(r) => {
                let second = Op::Move {
                    from: n(r.src2),
                    to: n(r.dst2),
                };
                let first = Op::Move {
                    from: n(r.src1),
                    to: n(r.dst1),
                };
                return Some((first, Some(second)));
            }
            _ => return None,
        };
        Some((op, None))
    }

    #[inline(always)]
    fn run(self, x: &mut Regs) -> bool {
        let (dst, v) = match self {
            Op::AddImm { a, delta, dst } => (dst, add_delta(x[a % NUM_REGS], delta)),
            Op::Add { op, a, b, dst } => (dst, add_tagged(op, x[a % NUM_REGS], x[b % NUM_REGS])),
            Op::Band { a, mask, dst } => {
                let t = x[a % NUM_REGS];
                (dst, t.is_small().then(|| Term::from_raw(t.raw() & mask)))
            }
            Op::Move { from, to } => (to, Some(x[from % NUM_REGS])),
        };
        match v {
            Some(v) => {
                x[dst % NUM_REGS] = v;
                true
            }
            None => false,
        }
    }
}

/// The most operations a decoded loop body holds.
const MAX_OPS: usize = 4;

/// A loop's usual path after its head, decoded: a straight line of
/// register operations (one instruction each, but for a `Move2XXXX`'s
/// second half), then a back edge to the head.
#[derive(Clone, Copy)]
struct Body<T> {
    ops: [Op; MAX_OPS],
    n: usize,
    /// Whether each operation is its instruction's first (a `Move2XXXX`'s
    /// second half is not: a stop there is at the instruction before).
    starts: [bool; MAX_OPS],
    tail: T,
}

impl Body<()> {
    /// This body ending in `tail`.
    fn with<T>(self, tail: T) -> Body<T> {
        Body {
            ops: self.ops,
            n: self.n,
            starts: self.starts,
            tail,
        }
    }
}

/// The straight line of register operations from `at` on, then the back
/// edge to `head` it ends with, decoded, if there are such and at most
/// [`MAX_OPS`] operations: the operations and the edge.
fn body_at(code: &[Instr], mut at: Target, head: Target) -> Option<(Body<()>, &Instr, &Countdown)> {
    let mut body = Body {
        ops: [Op::Move { from: 0, to: 0 }; MAX_OPS],
        n: 0,
        starts: [true; MAX_OPS],
        tail: (),
    };
    loop {
        let i = code.get(at as usize)?;
        let back = match i {
            Instr::ByteLoop(back) => back,
            i => i,
        };
        if let Some((target, count)) = edge(back) {
            return (target == head).then_some((body, back, count));
        }
        let (first, second) = Op::decode(i)?;
        for (k, op) in [Some(first), second].into_iter().flatten().enumerate() {
            *body.ops.get_mut(body.n)? = op;
            body.starts[body.n] = k == 0;
            body.n += 1;
        }
        at += 1;
    }
}

/// Runs the loop from its head on the X registers `x` until an
/// instruction's usual case does not hold: that instruction's position.
/// The registers are a local here, not reached through `Run`, so that the
/// compiler keeps their address in a register.
fn scan(x: &mut Regs, s: &mut Scan, code: &'static [Instr]) -> Target {
    let Some(h) = head_of(code, s.head, s.whole) else {
        loop {
            if let Some(pc) = steps(x, s, code, s.head) {
                return pc;
            }
        }
    };
    // The usual path: other bytes than a tested one, or on.
    let usual = h.eq.map_or(h.next, |(_, ne)| ne);
    let Some((body, back, count)) = body_at(code, usual, s.head) else {
        loop {
            let Some(pc) = head_step::<true>(x, s.t, s.bytes, &mut s.at, &h) else {
                return s.head;
            };
            if let Some(pc) = steps(x, s, code, pc) {
                return pc;
            }
        }
    };
    match *back {
        Instr::MoveLoopOnly { src, dst, .. } => {
            let tail = Move {
                from: src.into(),
                to: dst.into(),
            };
            scan_fast(x, s, code, &h, usual, &body.with(tail), count)
        }
        Instr::AddBandLoop(ref op) => {
            let tail = AddBand::new(op);
            scan_fast(x, s, code, &h, usual, &body.with(tail), count)
        }
        _ => scan_fast(x, s, code, &h, usual, &body.with(Plain), count),
    }
}

/// [`scan`] with the head `h` and the usual path's body `b` decoded: the
/// two run by [`fast`], every other path one instruction at a time.
fn scan_fast<T: Tail>(
    x: &mut Regs,
    s: &mut Scan,
    code: &[Instr],
    h: &Head,
    usual: Target,
    b: &Body<T>,
    count: &Countdown,
) -> Target {
    loop {
        match run_fast(x, s, h, usual, b, count) {
            (pc, true) => {
                if let Some(pc) = steps(x, s, code, pc) {
                    return pc;
                }
            }
            (pc, false) => return pc,
        }
    }
}

/// [`fast`] for `h` and `b`, chosen by whether the head tests its byte
/// and whether the body has operations before its edge.
fn run_fast<T: Tail>(
    x: &mut Regs,
    s: &mut Scan,
    h: &Head,
    usual: Target,
    b: &Body<T>,
    count: &Countdown,
) -> (Target, bool) {
    match (h.eq.is_some(), b.n != 0) {
        (true, true) => fast::<T, true, true>(x, s, h, usual, b, count),
        (true, false) => fast::<T, true, false>(x, s, h, usual, b, count),
        (false, true) => fast::<T, false, true>(x, s, h, usual, b, count),
        (false, false) => fast::<T, false, false>(x, s, h, usual, b, count),
    }
}

/// The decoded head, then the decoded body and back edge `b` (at `usual`,
/// counting at `count`) when the head goes there, for as long as their
/// usual cases hold: where it stopped, and whether that is after a head
/// whose path goes elsewhere (to run one by one) rather than at an
/// instruction to leave to the instruction loop. `EQ` when the head tests
/// its byte for a literal, `OPS` when the body has operations before its
/// back edge. The back edges it may take are counted before it starts
/// (the last one leaves the budget and the countdown above zero) and
/// added when it stops. Not inlined: its locals get the registers.
#[inline(never)]
fn fast<T: Tail, const EQ: bool, const OPS: bool>(
    x: &mut Regs,
    s: &mut Scan,
    h: &Head,
    usual: Target,
    b: &Body<T>,
    count: &Countdown,
) -> (Target, bool) {
    let (h, tail, n) = (*h, b.tail, b.n.min(MAX_OPS));
    let (t, bytes) = (s.t, s.bytes);
    let left = if cfg!(feature = "counters") {
        i64::from(count.left())
    } else {
        i64::MAX
    };
    let room = s.budget.min(left) - 1;
    let mut at = s.at;
    let mut taken = 0;
    let stop = 'bytes: loop {
        let Some(pc) = head_step::<EQ>(x, t, bytes, &mut at, &h) else {
            break (s.head, false);
        };
        if EQ && pc != usual {
            break (pc, true);
        }
        if taken >= room {
            break (pc, false);
        }
        // Each operation is its own instruction (a `Move2XXXX`'s halves
        // are one, whose first half cannot fail): a stop is at the first
        // one not done.
        let mut pc = pc;
        if OPS {
            for k in 0..n {
                if !b.ops[k].run(x) {
                    break 'bytes (pc, false);
                }
                if b.starts.get(k + 1).copied().unwrap_or(true) {
                    pc += 1;
                }
            }
        }
        if !tail.run(x) {
            break (pc, false);
        }
        taken += 1;
    };
    s.at = at;
    s.budget -= taken;
    if cfg!(feature = "counters") {
        count.tick_n(taken as i32);
    }
    stop
}

/// Runs the instructions from `pc` one by one until one goes to the
/// loop's head (`None`) or one's usual case does not hold (its position).
#[inline(never)]
fn steps(x: &mut Regs, s: &mut Scan, code: &[Instr], mut pc: Target) -> Option<Target> {
    loop {
        match code.get(pc as usize).and_then(|i| scan_step(x, s, i, pc)) {
            Some(next) if next == s.head => return None,
            Some(next) => pc = next,
            None => return Some(pc),
        }
    }
}

/// The instruction `i` at `pc`, if its usual case holds: where to go next.
/// Nothing is written otherwise.
#[inline(always)]
fn scan_step(x: &mut Regs, s: &mut Scan, i: &Instr, pc: Target) -> Option<Target> {
    let next = pc + 1;
    match *i {
        Instr::BsStartMatch { src, dst, .. } => {
            if x[xi(src.as_reg()?)?] != s.t {
                return None;
            }
            x[xi(dst)?] = s.t;
        }
        Instr::BsStartMatchPos { src, dst, pos, .. } => {
            let (src, dst, pos) = (xi(src.as_reg()?)?, xi(dst)?, xi(pos)?);
            if x[src] != s.t {
                return None;
            }
            x[dst] = s.t;
            x[pos] = Term::small(8 * s.at as i64);
        }
        Instr::BsStartU8Eq(ref h) => {
            let at = s.at;
            let v = s.byte(x[usize::from(h.src)])?;
            x[usize::from(h.ctx)] = s.t;
            x[usize::from(h.pos)] = Term::small(8 * at as i64);
            x[usize::from(h.dst)] = Term::small(i64::from(v));
            if v != h.byte {
                return Some(u8_ne(s.whole, h.ne, h.unit));
            }
        }
        Instr::BsGetU8 { ctx, dst, .. } => {
            let (ctx, dst) = (xi(ctx)?, xi(dst)?);
            let v = s.byte(x[ctx])?;
            x[dst] = Term::small(i64::from(v));
        }
        Instr::BsGetU8Eq {
            ctx,
            dst,
            byte,
            ne,
            unit,
            ..
        } => {
            let (ctx, dst) = (xi(ctx)?, xi(dst)?);
            let v = s.byte(x[ctx])?;
            x[dst] = Term::small(i64::from(v));
            if v != byte {
                return Some(u8_ne(s.whole, ne, unit));
            }
        }
        Instr::BsSkipBits2 { ctx, .. } if i.skips_one_byte() => {
            s.byte(x[xi(ctx)?])?;
        }
        Instr::BsTestUnit8 { ctx, .. } => {
            if x[xi(ctx)?] != s.t || !s.whole {
                return None;
            }
        }
        Instr::MoveXX { src, dst } => x[dst as usize % NUM_REGS] = x[src as usize % NUM_REGS],
        Instr::Move2XXXX(r) => {
            x[r.dst1 as usize % NUM_REGS] = x[r.src1 as usize % NUM_REGS];
            x[r.dst2 as usize % NUM_REGS] = x[r.src2 as usize % NUM_REGS];
        }
        Instr::AddXI { a, delta, dst, .. } => {
            let dst = xi(dst)?;
            x[dst] = add_delta(x[a as usize % NUM_REGS], delta)?;
        }
        Instr::AddRR { op, a, b, dst, .. } => {
            let (a, b, dst) = (xi(a)?, xi(b)?, xi(dst)?);
            x[dst] = add_tagged(op, x[a], x[b])?;
        }
        Instr::AddXX { a, b, dst, .. } => {
            let (a, b) = (x[a as usize % NUM_REGS], x[b as usize % NUM_REGS]);
            x[dst as usize % NUM_REGS] = add_tagged(ArithOp::Add, a, b)?;
        }
        Instr::BandXI { a, mask, dst, .. } => {
            let (t, dst) = (x[a as usize % NUM_REGS], xi(dst)?);
            if !t.is_small() {
                return None;
            }
            x[dst] = Term::from_raw(t.raw() & mask as u64);
        }
        Instr::IsEqExactXI { fail, a, imm } => {
            return Some(test(x[a as usize % NUM_REGS] == imm, next, fail));
        }
        Instr::IsNeExactXI { fail, a, imm } => {
            return Some(test(x[a as usize % NUM_REGS] != imm, next, fail));
        }
        Instr::IsLtXI { fail, a, imm } => {
            return Some(test(small_lt(x[a as usize % NUM_REGS], imm), next, fail));
        }
        Instr::IsGeXI { fail, a, imm } => {
            return Some(test(!small_lt(x[a as usize % NUM_REGS], imm), next, fail));
        }
        Instr::IsLtIX { fail, imm, a } => {
            return Some(test(small_lt(imm, x[a as usize % NUM_REGS]), next, fail));
        }
        Instr::IsGeIX { fail, imm, a } => {
            return Some(test(!small_lt(imm, x[a as usize % NUM_REGS]), next, fail));
        }
        Instr::Jump { target } => return Some(target),
        Instr::LoopOnly { .. } | Instr::MoveLoopOnly { .. } | Instr::AddBandLoop(_) => {
            return scan_edge(x, s, i);
        }
        Instr::ByteLoop(ref back) => return scan_edge(x, s, back),
        _ => return None,
    }
    Some(next)
}

/// The back edge `back` inside the loop: to the head, if it goes there
/// and its usual case holds, with its reduction and its count.
#[inline(always)]
fn scan_edge(x: &mut Regs, s: &mut Scan, back: &Instr) -> Option<Target> {
    let (target, count) = edge(back)?;
    let due = cfg!(feature = "counters") && count.left() <= 1;
    if target != s.head || s.budget <= 1 || due {
        return None;
    }
    let done = match *back {
        Instr::MoveLoopOnly { src, dst, .. } => Move {
            from: src.into(),
            to: dst.into(),
        }
        .run(x),
        Instr::AddBandLoop(ref op) => AddBand::new(op).run(x),
        _ => true,
    };
    if !done {
        return None;
    }
    s.budget -= 1;
    if cfg!(feature = "counters") {
        count.tick();
    }
    Some(s.head)
}
