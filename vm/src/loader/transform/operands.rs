//! Operand shaping: generic operands to the loaded code's operand types,
//! checked (registers in range, labels defined, indices in their tables).

use super::{bad, Tx, R};
use crate::atom::Atom;
use crate::code::instr::SelectTable;
use crate::code::operand::{FReg, HeapNeed, MAX_X_REGS, MAX_Y_REGS};
use crate::code::{Fail, Reg, Span, Src, SrcKind, Target};
use crate::loader::compact::{AllocKind, Operand, Reg as CReg};
use crate::loader::generic::GenInstr;
use crate::term::fun::Export;
use crate::term::order::eq_exact;
use crate::term::{Kind, Term};

impl Tx<'_> {
    // ---- operand shaping ----

    pub(super) fn label_target(&self, ins: &GenInstr, l: u32) -> R<Target> {
        if l as usize >= self.labels.len() {
            return Err(bad(
                ins,
                format!("label {l} not below the label count {}", self.labels.len()),
            ));
        }
        if self.first_pass {
            return Ok(0);
        }
        self.labels[l as usize].ok_or_else(|| bad(ins, format!("label {l} is never defined")))
    }

    pub(super) fn target(&self, ins: &GenInstr, op: &Operand) -> R<Target> {
        match *op {
            Operand::Label(l) if l != 0 => self.label_target(ins, l),
            _ => Err(bad(ins, "expected a label")),
        }
    }

    pub(super) fn fail(&self, ins: &GenInstr, op: &Operand) -> R<Fail> {
        match *op {
            Operand::Label(0) => Ok(Fail::NONE),
            Operand::Label(l) => Ok(Fail::to(self.label_target(ins, l)?)),
            _ => Err(bad(ins, "expected a failure label")),
        }
    }

    /// A register operand; a typed register's type is recorded for the
    /// instruction being built.
    pub(super) fn reg(&mut self, ins: &GenInstr, op: &Operand) -> R<Reg> {
        let (y, n) = match *op {
            Operand::X(n) | Operand::TypedReg(CReg::X(n), _) => (false, n),
            Operand::Y(n) | Operand::TypedReg(CReg::Y(n), _) => (true, n),
            _ => return Err(bad(ins, "expected a register")),
        };
        let reg = match (y, n) {
            (false, n) if n < MAX_X_REGS => Reg::x(n as u16),
            (true, n) if n < MAX_Y_REGS => Reg::y(n as u16),
            _ => return Err(bad(ins, format!("register {n} out of range"))),
        };
        if let Operand::TypedReg(_, ty) = *op {
            let at = self.here();
            self.out.reg_types.push((at, reg, ty));
        }
        Ok(reg)
    }

    pub(super) fn src(&mut self, ins: &GenInstr, op: &Operand) -> R<Src> {
        Ok(match op {
            Operand::X(_) | Operand::Y(_) | Operand::TypedReg(..) => Src::reg(self.reg(ins, op)?),
            Operand::Atom(a) => Src::constant(Term::atom(*a)),
            Operand::Nil => Src::constant(Term::NIL),
            Operand::Int(n) if Term::fits_small(*n) => Src::constant(Term::small(*n)),
            // The first pass only computes positions, which never depend on
            // a constant's value: build heap constants once, in the second.
            Operand::Int(_) | Operand::BigInt(_) | Operand::Float(_) if self.first_pass => {
                Src::constant(Term::NIL)
            }
            Operand::Int(n) => Src::constant(self.literals.heap_mut().int(*n)),
            Operand::BigInt(b) => Src::constant(self.literals.heap_mut().big(b)),
            Operand::Char(c) => Src::constant(Term::small(i64::from(*c))),
            Operand::Float(f) => Src::constant(self.literals.heap_mut().float(*f)),
            Operand::Literal(i) => Src::constant(
                self.literals
                    .get(*i)
                    .ok_or_else(|| bad(ins, format!("literal {i} out of range")))?,
            ),
            _ => return Err(bad(ins, "expected a register or a constant")),
        })
    }

    pub(super) fn u(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        match *op {
            Operand::U(n) => {
                u32::try_from(n).map_err(|_| bad(ins, format!("number {n} too large")))
            }
            _ => Err(bad(ins, "expected an unsigned number")),
        }
    }

    pub(super) fn live(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        let n = self.u(ins, op)?;
        if n > MAX_X_REGS {
            return Err(bad(ins, format!("live count {n} out of range")));
        }
        Ok(n)
    }

    pub(super) fn freg(&self, ins: &GenInstr, op: &Operand) -> R<FReg> {
        match *op {
            Operand::FloatReg(n) if n < MAX_X_REGS => Ok(n as FReg),
            _ => Err(bad(ins, "expected a float register")),
        }
    }

    pub(super) fn atom(&self, ins: &GenInstr, op: &Operand) -> R<Atom> {
        match *op {
            Operand::Atom(a) => Ok(a),
            _ => Err(bad(ins, "expected an atom")),
        }
    }

    pub(super) fn heap_need(&self, ins: &GenInstr, op: &Operand) -> R<HeapNeed> {
        match op {
            Operand::U(_) => Ok(HeapNeed {
                words: self.u(ins, op)?,
                ..HeapNeed::default()
            }),
            Operand::Alloc(items) => {
                let mut need = HeapNeed::default();
                for &(kind, n) in items {
                    let n = u32::try_from(n).map_err(|_| bad(ins, "allocation too large"))?;
                    match kind {
                        AllocKind::Words => need.words = need.words.saturating_add(n),
                        AllocKind::Floats => need.floats = need.floats.saturating_add(n),
                        AllocKind::Funs => need.funs = need.funs.saturating_add(n),
                    }
                }
                Ok(need)
            }
            _ => Err(bad(ins, "expected a heap need")),
        }
    }

    pub(super) fn import(&self, ins: &GenInstr, op: &Operand) -> R<&'static Export> {
        let i = self.u(ins, op)? as usize;
        self.imports
            .get(i)
            .copied()
            .ok_or_else(|| bad(ins, format!("import {i} out of range")))
    }

    pub(super) fn list<'o>(&self, ins: &GenInstr, op: &'o Operand) -> R<&'o [Operand]> {
        match op {
            Operand::List(items) => Ok(items),
            _ => Err(bad(ins, "expected a list")),
        }
    }

    pub(super) fn span_of(&mut self, srcs: Vec<Src>) -> R<Span> {
        let start = u32::try_from(self.out.operands.len()).unwrap_or(u32::MAX);
        let len = srcs.len() as u32;
        self.out.operands.extend(srcs);
        Ok(Span { start, len })
    }

    pub(super) fn src_span(&mut self, ins: &GenInstr, items: &[Operand]) -> R<Span> {
        let srcs = items
            .iter()
            .map(|o| self.src(ins, o))
            .collect::<R<Vec<_>>>()?;
        self.span_of(srcs)
    }

    pub(super) fn string(&self, ins: &GenInstr, offset: u32, len: u32) -> R<Span> {
        let end = offset as usize + len as usize;
        if end > self.file.strings.len() {
            return Err(bad(
                ins,
                format!("string {offset}+{len} outside the string table"),
            ));
        }
        Ok(Span { start: offset, len })
    }

    pub(super) fn flags(&self, ins: &GenInstr, op: &Operand) -> R<u32> {
        match op {
            Operand::U(_) => self.u(ins, op),
            Operand::Nil => Ok(0),
            Operand::Literal(i) => {
                let t = self
                    .literals
                    .get(*i)
                    .ok_or_else(|| bad(ins, "literal out of range"))?;
                let mut flags = 0;
                for f in t.list_iter() {
                    flags |= match f.as_atom().map(Atom::name) {
                        Some("aligned") => 1,
                        Some("little") => 2,
                        Some("signed") => 4,
                        Some("exact") => 8,
                        Some("native") => 16,
                        Some("big" | "unsigned") => 0,
                        _ => return Err(bad(ins, "unknown segment flag")),
                    };
                }
                Ok(flags)
            }
            _ => Err(bad(ins, "expected segment flags")),
        }
    }

    pub(super) fn select(&mut self, ins: &GenInstr, op: &Operand, arities: bool) -> R<u32> {
        let items = self.list(ins, op)?;
        if items.len() % 2 != 0 {
            return Err(bad(ins, "odd select list"));
        }
        let mut pairs = Vec::with_capacity(items.len() / 2);
        for p in items.chunks_exact(2) {
            let key = if arities {
                Term::small(i64::from(self.u(ins, &p[0])?))
            } else {
                match self.src(ins, &p[0])? {
                    s if s.is_reg() => return Err(bad(ins, "select on a register value")),
                    s => match s.kind() {
                        SrcKind::Const(t) => t,
                        _ => return Err(bad(ins, "select value")),
                    },
                }
            };
            pairs.push((key, self.target(ins, &p[1])?));
        }
        let table = build_select(pairs, arities);
        self.out.selects.push(table);
        Ok(self.out.selects.len() as u32 - 1)
    }
}

/// Whether `t` is an immediate (compared by its word alone).
pub(super) fn is_immediate(t: Term) -> bool {
    matches!(t.kind(), Kind::Small | Kind::Atom | Kind::Nil)
}

/// Chooses the table shape for a select: a jump table when the keys are
/// small integers covering at least half of their range (and the range is
/// modest), a bisection table when all keys are immediates, else a linear
/// list compared with `=:=`. Later duplicates of a key never match, as in
/// a linear scan.
pub(super) fn build_select(mut pairs: Vec<(Term, Target)>, arities: bool) -> SelectTable {
    let mut seen: Vec<(Term, Target)> = Vec::with_capacity(pairs.len());
    let mut immediates = ahash::AHashSet::new();
    for (k, t) in pairs.drain(..) {
        let new = if is_immediate(k) {
            immediates.insert(k.raw())
        } else {
            !seen.iter().any(|&(s, _)| eq_exact(s, k))
        };
        if new {
            seen.push((k, t));
        }
    }
    let pairs = seen;
    let smalls: Option<Vec<i64>> = pairs.iter().map(|(k, _)| k.as_small()).collect();
    if let (Some(vals), false) = (&smalls, arities) {
        if let (Some(&min), Some(&max)) = (vals.iter().min(), vals.iter().max()) {
            let range = max.abs_diff(min) + 1;
            if range <= 4096 && range <= 2 * vals.len() as u64 {
                let mut targets = vec![None; range as usize];
                for (&v, &(_, t)) in vals.iter().zip(&pairs) {
                    targets[v.abs_diff(min) as usize] = Some(t);
                }
                return SelectTable::Jump {
                    min,
                    targets: targets.into(),
                };
            }
        }
    }
    if pairs.iter().all(|(k, _)| is_immediate(*k)) {
        let mut sorted: Vec<(u64, Target)> = pairs
            .iter()
            .map(|&(k, t)| {
                (
                    if arities {
                        k.as_small().unwrap_or(0) as u64
                    } else {
                        k.raw()
                    },
                    t,
                )
            })
            .collect();
        sorted.sort_by_key(|&(k, _)| k);
        return SelectTable::Sorted {
            keys: sorted.iter().map(|&(k, _)| k).collect(),
            targets: sorted.iter().map(|&(_, t)| t).collect(),
        };
    }
    SelectTable::Linear {
        keys: pairs.iter().map(|&(k, _)| k).collect(),
        targets: pairs.iter().map(|&(_, t)| t).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(s: &str) -> Term {
        Term::atom(Atom::intern(s).unwrap())
    }

    #[test]
    fn dense_small_integers_make_a_jump_table() {
        let pairs = (1..=7)
            .map(|i| (Term::small(i), i as Target * 10))
            .collect();
        match build_select(pairs, false) {
            SelectTable::Jump { min, targets } => {
                assert_eq!(min, 1);
                assert_eq!(targets.len(), 7);
                assert_eq!(targets[2], Some(30));
            }
            t => panic!("expected a jump table, got {t:?}"),
        }
    }

    #[test]
    fn sparse_or_mixed_immediates_are_sorted_and_first_duplicate_wins() {
        let pairs = vec![
            (atom("b"), 1),
            (Term::small(1000), 2),
            (atom("a"), 3),
            (atom("b"), 4),
        ];
        match build_select(pairs, false) {
            SelectTable::Sorted { keys, targets } => {
                assert_eq!(keys.len(), 3);
                assert!(keys.windows(2).all(|w| w[0] < w[1]));
                let b = keys.iter().position(|&k| k == atom("b").raw()).unwrap();
                assert_eq!(targets[b], 1);
            }
            t => panic!("expected a sorted table, got {t:?}"),
        }
    }

    #[test]
    fn boxed_keys_are_linear_and_arities_sorted() {
        let mut h = crate::term::Heap::new();
        let f = h.float(1.5);
        assert!(matches!(
            build_select(vec![(f, 1), (atom("x"), 2)], false),
            SelectTable::Linear { .. }
        ));
        match build_select(vec![(Term::small(3), 1), (Term::small(2), 2)], true) {
            SelectTable::Sorted { keys, targets } => {
                assert_eq!(&*keys, &[2, 3]);
                assert_eq!(&*targets, &[2, 1]);
            }
            t => panic!("expected a sorted table, got {t:?}"),
        }
    }
}
