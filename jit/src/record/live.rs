//! RECORD, live registers at an exit: a snapshot names every X and float
//! register the trace wrote, but the interpreter resuming at its `pc`
//! may never read some of them again. BEAM's code says which: a
//! register the instructions from `pc` on write before reading is dead,
//! and so are the X registers at or above a `test_heap`'s or an
//! `allocate`'s live count, those at or above a call's arity, and every
//! float register at a call or a return (`beam_validator` prunes them
//! there: `prune_x_regs`, `kill_fregs`). A dead slot left out of the
//! snapshot frees its value's machine register from the exit on
//! (bench_nbody's `pull/4` named five stale float registers at each exit
//! after `math:sqrt/1`), and the exit writes less.
//!
//! What is live before an instruction follows from what is live after
//! it along the straight line from `pc` through the few instructions whose
//! reads and writes are known here (moves, tuple and list building and
//! reading, float moves and arithmetic, heap checks and frames), worked
//! out backwards from where that line ends: a call or a return (their
//! arguments live), or anything else (a branch, a BIF, an instruction not
//! known here), where every register is.

use enigma_vm::code::{Instr, Reg, Src, SrcKind, Target};

use crate::ir::Ref;
use crate::snapshot::F_SLOT;

/// Most instructions the scan looks at from one `pc`.
const SCAN: usize = 64;

/// The bit of X register source `s` (0 for anything else, and for X
/// registers from 64 up, which are never left out).
fn src(s: Src) -> u64 {
    match s.kind() {
        SrcKind::X(n) => bit(n),
        _ => 0,
    }
}

/// The bit of X register destination `r` (see [`src`]).
fn reg(r: Reg) -> u64 {
    if r.is_y() {
        0
    } else {
        bit(r.index())
    }
}

/// The bit of register `n` in its file's mask (0 from 64 up).
fn bit(n: usize) -> u64 {
    1u64.checked_shl(n as u32).filter(|_| n < 64).unwrap_or(0)
}

/// The bit of float register `f`.
fn freg(f: u16) -> u64 {
    bit(usize::from(f))
}

/// The registers live before an instruction, as masks over the X and
/// the float registers (bits from 64 up are not kept: those registers
/// are always live).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Live {
    x: u64,
    f: u64,
}

/// Every register live: what nothing is known about.
const ALL: Live = Live {
    x: u64::MAX,
    f: u64::MAX,
};

/// The X registers below `n`.
fn below(n: u32) -> u64 {
    1u64.checked_shl(n).map_or(u64::MAX, |b| b - 1)
}

/// Reads the X registers `rx` and float registers `rf`, then writes
/// `wx` and `wf`: what is live before, given what is live `after`.
fn moves(after: Live, (rx, rf): (u64, u64), (wx, wf): (u64, u64)) -> Live {
    Live {
        x: (after.x & !wx) | rx,
        f: (after.f & !wf) | rf,
    }
}

/// What is live before `ins`, given what is live after it (`None`: not
/// known yet, where only an instruction that ends the straight line, a
/// call, a return or one not known, answers).
fn before(ins: &Instr, operands: &[Src], after: Option<Live>) -> Option<Live> {
    let x = |n: u16| bit(usize::from(n));
    let pass = |r: (u64, u64), w: (u64, u64)| after.map(|a| moves(a, r, w));
    match *ins {
        // A fused instruction: its plain copies follow and say the same.
        ref fused if fused.copies() > 0 => after,
        Instr::Move { src: s, dst } => pass((src(s), 0), (reg(dst), 0)),
        Instr::MoveXX { src: s, dst } => pass((x(s), 0), (x(dst), 0)),
        Instr::MoveXY { src: s, .. } => pass((x(s), 0), (0, 0)),
        Instr::MoveYX { dst, .. } => pass((0, 0), (x(dst), 0)),
        Instr::GetTupleElement { src: s, dst, .. }
        | Instr::GetHd { src: s, dst }
        | Instr::GetTl { src: s, dst } => pass((src(s), 0), (reg(dst), 0)),
        Instr::GetList { src: s, head, tail } => pass((src(s), 0), (reg(head) | reg(tail), 0)),
        Instr::PutList { head, tail, dst } => pass((src(head) | src(tail), 0), (reg(dst), 0)),
        Instr::PutTuple2 { dst, elements } => match operands.get(elements.range()) {
            Some(elems) => pass((elems.iter().fold(0, |m, &e| m | src(e)), 0), (reg(dst), 0)),
            None => Some(ALL),
        },
        Instr::FloadFr { src: s, dst } | Instr::Fconv { src: s, dst } => {
            pass((src(s), 0), (0, freg(dst)))
        }
        Instr::FconvX { src: s, dst } | Instr::FloadX { src: s, dst } => {
            pass((x(s), 0), (0, freg(dst)))
        }
        Instr::FloadImm { dst, .. } => pass((0, 0), (0, freg(dst))),
        Instr::FstoreFr { src: f, dst } => pass((0, freg(f)), (reg(dst), 0)),
        Instr::FmoveFr { src: f, dst } | Instr::Fnegate { a: f, dst } => {
            pass((0, freg(f)), (0, freg(dst)))
        }
        Instr::Fadd { a, b, dst }
        | Instr::Fsub { a, b, dst }
        | Instr::Fmul { a, b, dst }
        | Instr::Fdiv { a, b, dst } => pass((0, freg(a) | freg(b)), (0, freg(dst))),
        Instr::Init { dst } => pass((0, 0), (reg(dst), 0)),
        Instr::Deallocate { .. } => after,
        // X registers from the live count up are dead; float registers
        // keep their values.
        Instr::TestHeap { live, .. }
        | Instr::Allocate { live, .. }
        | Instr::AllocateHeap { live, .. }
        | Instr::AllocateZero { live, .. }
        | Instr::AllocateHeapZero { live, .. } => after.map(|a| Live {
            x: below(live),
            f: a.f,
        }),
        // The arguments only; no float register survives a call.
        Instr::Call { arity, .. }
        | Instr::CallLast { arity, .. }
        | Instr::CallOnly { arity, .. }
        | Instr::LoopLast { arity, .. }
        | Instr::LoopOnly { arity, .. }
        | Instr::CallExt { arity, .. }
        | Instr::CallExtLast { arity, .. }
        | Instr::CallExtOnly { arity, .. } => Some(Live {
            x: below(arity),
            f: 0,
        }),
        Instr::Return => Some(Live { x: 1, f: 0 }),
        // A specialised pair (`TestHeapFstore`, `FloadXMul` and the
        // like): its two plain instructions; anything else is not known.
        ref other => match other.unfused() {
            Some((first, second)) => {
                let mid = before(&second, operands, after);
                before(&first, operands, mid)
            }
            None => Some(ALL),
        },
    }
}

/// What is live before each instruction of a module's code, worked out
/// backwards along the straight line from each position asked about and
/// remembered within a window of positions, so the snapshots of one
/// trace (mostly on one line) cost one pass.
pub(super) struct Liveness<'a> {
    code: &'a [Instr],
    operands: &'a [Src],
    /// The first position remembered.
    base: usize,
    known: Vec<Option<Live>>,
}

/// Most positions a [`Liveness`] remembers.
const WINDOW: usize = 4096;

impl<'a> Liveness<'a> {
    /// Over `code`, reading tuples' elements from `operands`, to be asked
    /// about positions from `lo` to `hi`.
    pub(super) fn new(
        code: &'a [Instr],
        operands: &'a [Src],
        lo: Target,
        hi: Target,
    ) -> Liveness<'a> {
        let span = (hi.saturating_sub(lo) as usize).saturating_add(SCAN + 1);
        Liveness {
            code,
            operands,
            base: lo as usize,
            known: vec![None; span.min(WINDOW).min(code.len())],
        }
    }

    /// What is remembered at `at`.
    fn known(&self, at: usize) -> Option<Live> {
        at.checked_sub(self.base)
            .and_then(|i| self.known.get(i))
            .copied()
            .flatten()
    }

    /// Remembers `live` at `at` (within the window).
    fn remember(&mut self, at: usize, live: Live) {
        if let Some(k) = at
            .checked_sub(self.base)
            .and_then(|i| self.known.get_mut(i))
        {
            *k = Some(live);
        }
    }

    /// What is live before the instruction at `pc`.
    fn at(&mut self, pc: usize) -> Live {
        // Forward to where the answer is known: a position worked out
        // before, the line's end, or the scan's limit (all live).
        let mut line = Vec::new();
        let mut at = pc;
        let mut live = loop {
            if let Some(l) = self.known(at) {
                break l;
            }
            let Some(ins) = self.code.get(at).filter(|_| line.len() < SCAN) else {
                break ALL;
            };
            if let Some(l) = before(ins, self.operands, None) {
                self.remember(at, l);
                break l;
            }
            line.push(at);
            at += 1;
        };
        for &p in line.iter().rev() {
            live = before(&self.code[p], self.operands, Some(live)).unwrap_or(ALL);
            self.remember(p, live);
        }
        live
    }

    /// Keeps in `regs` (a snapshot's slots) only those live before the
    /// instruction at `pc`.
    pub(super) fn prune(&mut self, pc: Target, regs: &mut Vec<(u16, Ref)>) {
        if self.code.is_empty() || regs.is_empty() {
            return;
        }
        let live = self.at(pc as usize);
        regs.retain(|&(s, _)| match s.checked_sub(F_SLOT) {
            Some(f) => f >= 64 || live.f & freg(f) != 0,
            None => s >= 64 || live.x & bit(usize::from(s)) != 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enigma_vm::atom::Atom;
    use enigma_vm::code::operand::HeapNeed;
    use enigma_vm::code::{Countdown, Span};
    use enigma_vm::term::fun::Export;

    fn a(s: &str) -> Atom {
        Atom::intern(s).expect("atom")
    }

    fn x(n: u16) -> Src {
        Src::reg(Reg::x(n))
    }

    /// The slots of `regs` (valued by their slot) that stay.
    fn kept(code: &[Instr], operands: &[Src], pc: Target, slots: &[u16]) -> Vec<u16> {
        let mut regs: Vec<(u16, Ref)> = slots.iter().map(|&s| (s, Ref::from(s & 0xff))).collect();
        Liveness::new(code, operands, pc, pc).prune(pc, &mut regs);
        regs.into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn registers_written_before_read_or_beyond_the_live_count_are_dead() {
        let f = |n: u16| F_SLOT + n;
        let operands = [x(1), x(6)];
        let code = [
            // x1 read; fr0 written before it is read.
            Instr::FloadFr { src: x(1), dst: 0 },
            Instr::Fmul { a: 0, b: 1, dst: 2 },
            // x2 written.
            Instr::FstoreFr {
                src: 2,
                dst: Reg::x(2),
            },
            Instr::PutTuple2 {
                dst: Reg::x(3),
                elements: Span { start: 0, len: 2 },
            },
            // x4, x5 and x7 dead here, x0 live.
            Instr::TestHeap {
                heap: HeapNeed::default(),
                live: 4,
            },
            // Float registers survive a heap check and die at a call.
            Instr::CallExt {
                arity: 1,
                export: Export::get_or_create(a("math"), a("sqrt"), 1),
                count: Countdown::new(),
            },
        ];
        let all = [0, 1, 2, 3, 4, 5, 6, 7, f(0), f(1), f(2), f(3)];
        assert_eq!(kept(&code, &operands, 0, &all), vec![0, 1, 6, f(1)]);
        // From the heap check: x0..x3 live, floats dead at the call.
        assert_eq!(kept(&code, &operands, 4, &all), vec![0, 1, 2, 3]);
        // At the call: its argument only.
        assert_eq!(kept(&code, &operands, 5, &all), vec![0]);
        // One pass answers for every position on the line alike.
        let mut live = Liveness::new(&code, &operands, 0, 5);
        for (pc, want) in [
            (4, vec![0, 1, 2, 3]),
            (0, vec![0, 1, 6, f(1)]),
            (5, vec![0]),
        ] {
            let mut regs: Vec<(u16, Ref)> = all.iter().map(|&s| (s, 0)).collect();
            live.prune(pc, &mut regs);
            assert_eq!(regs.iter().map(|r| r.0).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn an_unknown_instruction_keeps_every_undecided_slot() {
        let code = [
            Instr::Move {
                src: x(0),
                dst: Reg::x(1),
            },
            Instr::Swap {
                a: Reg::x(2),
                b: Reg::x(3),
            },
            Instr::Return,
        ];
        let all = [0, 1, 2, 3, F_SLOT];
        assert_eq!(kept(&code, &[], 0, &all), vec![0, 2, 3, F_SLOT]);
        // Past the end of the code: nothing is known.
        assert_eq!(kept(&code, &[], 9, &all), all.to_vec());
        // A return reads x0 only.
        assert_eq!(kept(&code, &[], 2, &all), vec![0]);
    }
}
