//! Fused instructions followed by their plain copies (`code::fuse`): the
//! rule finds a sequence of generic instructions by its opcodes,
//! translates it as it would be translated alone (into the positions
//! after a slot for the fused instruction), and fills the slot with the
//! fused form of what came out, or undoes the whole attempt when there is
//! none (an operand shape the fused form does not take).

use super::{Tx, R};
use crate::code::move_run::MAX_MOVES;
use crate::code::Instr;
use crate::loader::compact::{Operand, Reg as CReg};
use crate::loader::genop::GenOp;

impl Tx<'_> {
    /// The generic instructions from `i` that may fuse: how many, and for
    /// an `is_lt` whose fail label returns an X register, that register.
    /// Only opcodes and labels decide, never label positions or operand
    /// values, so both passes agree.
    fn fusion_at(&self, i: usize) -> Option<(usize, Option<u16>)> {
        use GenOp as G;
        let g = self.gen;
        // Most instructions start no sequence: one test of the opcode.
        if !matches!(
            g[i].op,
            G::IsNonemptyList
                | G::TestHeap
                | G::IsLt
                | G::GcBif2
                | G::Move
                | G::Trim
                | G::IsEqExact
                | G::IsNil
        ) {
            return None;
        }
        let op = |k: usize| g.get(i + k).map(|n| n.op);
        let ops = [op(0)?, op(1).unwrap_or(G::Label), op(2).unwrap_or(G::Label)];
        // Operand shapes first, as far as the fused forms need them: a
        // failed attempt translates twice, and a constant translated
        // twice would build its literal twice.
        let arg = |k: usize, n: usize| g.get(i + k).and_then(|ins| ins.args.get(n));
        let (x, y) = (|k, n| is_x(arg(k, n)), |k, n| is_y(arg(k, n)));
        let small = |k, n| matches!(arg(k, n), Some(Operand::Int(_)));
        Some(match ops {
            [G::Move, G::Move, G::Move] if self.move_run_at(i).is_some() => {
                (self.move_run_at(i)?, None)
            }
            // With the body call after it when there is one (a `line`
            // between marks the call's position, as unfused).
            [G::IsNonemptyList, G::Allocate, G::GetList]
                if x(0, 1) && x(2, 0) && y(2, 1) && x(2, 2) =>
            {
                let call = if op(3) == Some(G::Line) { 4 } else { 3 };
                (
                    if op(call) == Some(G::Call) {
                        call + 1
                    } else {
                        3
                    },
                    None,
                )
            }
            [G::TestHeap, G::PutList, G::Deallocate]
                if op(3) == Some(G::Return) && y(1, 0) && x(1, 1) && x(1, 2) =>
            {
                (4, None)
            }
            [G::IsLt, G::Return, _] if x(0, 1) && small(0, 2) => (2, None),
            // The test's fail label right after the return: the fused
            // form's failing path skips the copies.
            [G::IsEqExact | G::IsNil, G::Move, G::Return]
                if x(0, 1)
                    && (ops[0] == G::IsNil
                        || matches!(
                            arg(0, 2),
                            Some(Operand::Int(_) | Operand::Atom(_) | Operand::Nil)
                        ))
                    && x(1, 0)
                    && matches!(arg(1, 1), Some(Operand::X(0)))
                    && self.label_follows(arg(0, 0)?, i + 3) =>
            {
                (3, None)
            }
            [G::IsLt, _, _] if x(0, 1) && x(0, 2) => {
                (1, Some(self.returns_x_at(g[i].args.first()?)?))
            }
            [G::GcBif2, G::Deallocate, G::Return] if y(0, 3) && x(0, 4) && x(0, 5) => (3, None),
            // With the moves and the body call after it when their shape
            // has a fused form.
            [G::GcBif2, G::Allocate, G::InitYregs] if x(0, 3) && small(0, 4) && x(0, 5) => {
                (3 + self.pre_run_at(i + 3, true).unwrap_or(0), None)
            }
            [G::GcBif2, G::Allocate, _] if x(0, 3) && small(0, 4) && x(0, 5) => {
                (2 + self.pre_run_at(i + 2, true).unwrap_or(0), None)
            }
            [G::GcBif2, G::Move, _] if y(0, 3) && small(0, 4) && x(0, 5) => {
                (1 + self.pre_run_at(i + 1, false)?, None)
            }
            [G::Move, G::Call, _] if x(0, 0) && x(0, 1) => (2, None),
            [G::Trim, G::Call, _] => (2, None),
            // A back edge (a label already passed), so both passes
            // translate it as a `LoopLast`.
            [G::Move, G::CallLast, _] if y(0, 0) && x(0, 1) => match arg(1, 1)? {
                Operand::Label(l) if *self.label_at.get(*l as usize)? < i => (2, None),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The register shapes (`(source is Y, destination is Y)`) of the
    /// generic moves from `i`, up to one more than a run holds, and how
    /// many there are; `None` when one of them moves no register.
    fn moves_at(&self, i: usize) -> Option<([(bool, bool); MAX_MOVES + 1], usize)> {
        let g = self.gen;
        let (mut kinds, mut n) = ([(false, false); MAX_MOVES + 1], 0);
        while n <= MAX_MOVES && g.get(i + n).is_some_and(|m| m.op == GenOp::Move) {
            let (src, dst) = (g[i + n].args.first(), g[i + n].args.get(1));
            if !(is_x(src) || is_y(src)) || !(is_x(dst) || is_y(dst)) {
                return None;
            }
            kinds[n] = (is_y(src), is_y(dst));
            n += 1;
        }
        Some((kinds, n))
    }

    /// The generic instructions of a run of register moves from `i` and
    /// the call after it (`call`, `trim | call` or `call_last`), when the
    /// run's shape has a fused form (`code::move_run`).
    fn move_run_at(&self, i: usize) -> Option<usize> {
        use GenOp as G;
        let g = self.gen;
        let (kinds, n) = self.moves_at(i)?;
        let k = i + n;
        if !Instr::move_run_shape(&kinds[..n]) {
            return None;
        }
        match (g.get(k)?.op, g.get(k + 1).map(|n| n.op)) {
            (G::Call | G::CallLast, _) => Some(k + 1 - i),
            (G::Trim, Some(G::Call)) => Some(k + 2 - i),
            _ => None,
        }
    }

    /// The generic instructions of the moves from `i` and the body call
    /// after them (`call` or `trim | call`), when an add before them
    /// (with an `allocate` between when `alloc`) fuses with them
    /// (`Instr::pre_run_shape`).
    fn pre_run_at(&self, i: usize, alloc: bool) -> Option<usize> {
        use GenOp as G;
        let g = self.gen;
        let (kinds, n) = self.moves_at(i)?;
        let k = i + n;
        let trim = match (g.get(k)?.op, g.get(k + 1).map(|n| n.op)) {
            (G::Call, _) => false,
            (G::Trim, Some(G::Call)) => true,
            _ => return None,
        };
        if !Instr::pre_run_shape(alloc, &kinds[..n], trim) {
            return None;
        }
        Some(k + 1 + usize::from(trim) - i)
    }

    /// Whether `label` is the generic instruction at `at`.
    fn label_follows(&self, label: &Operand, at: usize) -> bool {
        matches!(*label, Operand::Label(l) if self.label_at.get(l as usize) == Some(&at))
    }

    /// `N` when `label` leads to `move {x,N} {x,0} | return`.
    fn returns_x_at(&self, label: &Operand) -> Option<u16> {
        let Operand::Label(l) = *label else {
            return None;
        };
        let at = *self.label_at.get(l as usize)?;
        let (mv, ret) = (self.gen.get(at.checked_add(1)?)?, self.gen.get(at + 2)?);
        match (mv.op, mv.args.as_slice(), ret.op) {
            (GenOp::Move, [Operand::X(n), Operand::X(0)], GenOp::Return) => u16::try_from(*n).ok(),
            _ => None,
        }
    }

    /// Emits a fused instruction and its copies for the generic
    /// instructions from `i`, if they fuse; returns how many it consumed.
    pub(super) fn fused_with_copies(&mut self, i: usize) -> R<Option<usize>> {
        if self.plain_only {
            return Ok(None);
        }
        let Some((n, returns_x)) = self.fusion_at(i) else {
            return Ok(None);
        };
        let at = self.out.code.len();
        let saved = (
            self.out.operands.len(),
            self.out.selects.len(),
            self.out.reg_types.len(),
            self.out.line_marks.len(),
        );
        // The slot; the copies are translated at their own positions
        // (continuation pointers, typed registers, back edges).
        self.out.code.push(Instr::CodeEnd);
        self.plain_only = true;
        let mut j = i;
        while j < i + n {
            j += self.translate_one(j)?;
        }
        self.plain_only = false;
        let copies = &self.out.code[at + 1..];
        let fused = match (j == i + n, returns_x) {
            (false, _) => None,
            (true, Some(src)) if copies.len() == 1 => Instr::else_return(&copies[0], src),
            (true, Some(_)) => None,
            (true, None) => Instr::fuse(copies),
        };
        match fused {
            Some(f) => {
                self.out.code[at] = f;
                Ok(Some(n))
            }
            None => {
                self.out.code.truncate(at);
                self.out.operands.truncate(saved.0);
                self.out.selects.truncate(saved.1);
                self.out.reg_types.truncate(saved.2);
                self.out.line_marks.truncate(saved.3);
                Ok(None)
            }
        }
    }
}

/// Whether `op` is an X register (typed or not).
fn is_x(op: Option<&Operand>) -> bool {
    matches!(op, Some(Operand::X(_) | Operand::TypedReg(CReg::X(_), _)))
}

/// Whether `op` is a Y register (typed or not).
fn is_y(op: Option<&Operand>) -> bool {
    matches!(op, Some(Operand::Y(_) | Operand::TypedReg(CReg::Y(_), _)))
}
