//! IF-CONVERSION: a loop whose iterations take one of two short paths
//! at a guard, unpredictably (bench_collatz's parity: half its
//! iterations fail the root trace's guard and run the side trace), pays
//! a mispredicted branch at about every other iteration. When the side
//! trace of that guard's exit is short and pure and ends at the root's
//! loop head, [`merge`] builds, in its place, a side trace with a loop of
//! its own that runs both paths in every iteration and selects the next
//! arguments without a branch ([`Op::Select`]):
//!
//! - first the side trace as recorded (the iteration the root's exit
//!   left unfinished), counting its reduction
//!   ([`Trace::entry_yield`](crate::ir::Trace::entry_yield));
//! - then `Loop`, a phi per root phi, and the root's loop body up to the
//!   guard, as is (its guards are every iteration's);
//! - the guard's condition as a predicate (the guard's own operand when
//!   it compares with 0, else [`Op::Cmp`]);
//! - the root's rest and the side trace's body, both always computed;
//!   an operation on both paths with the same operands is computed once;
//! - per argument, a [`Op::Select`] of the two paths' values.
//!
//! Both paths may only compute: constants, boxing, and integer
//! arithmetic whose only exit is its overflow (no `div`/`rem`). Such an
//! exit belongs to its path ([`PathExit`]): taken only when the
//! predicate says that path; on the other path the iteration goes on
//! (the value, wrapped or half-computed, is read only by its path and
//! the select that drops it) or, for an operation both paths share,
//! leaves through the other path's snapshot. Every snapshot is the
//! root's or the side trace's own, so the interpreter sees exactly the
//! state it would have seen without the conversion.

use crate::backend::{Operand, Store};
use crate::ir::{Cond, IntOp, Op, PathExit, Ref, Trace, Ty};
use crate::snapshot::Snapshot;

/// The most instructions the two paths may have together.
const MAX_PATHS: usize = 32;

/// Whether a path may hold `op` (see the module's doc).
fn pure_on_path(op: &Op) -> bool {
    match op {
        Op::KInt(_) | Op::KTerm(_) | Op::Box(_) | Op::Nop => true,
        Op::Arith(op, ..) => !matches!(op, IntOp::Div | IntOp::Rem),
        _ => false,
    }
}

/// Whether the root's loop body may hold `op` before the guard.
fn plain_before(op: &Op) -> bool {
    pure_on_path(op)
        || matches!(
            op,
            Op::Phi(_)
                | Op::Guard(..)
                | Op::Unbox(..)
                | Op::GuardList(..)
                | Op::Head(_)
                | Op::Tail(_)
                | Op::GuardTuple(..)
                | Op::Element(..)
        )
}

/// Whether `op` is a constant.
fn konst(op: &Op) -> bool {
    matches!(op, Op::KInt(_) | Op::KTerm(_) | Op::KFloat(_))
}

/// The trace being built and the maps from the root's and the side
/// trace's values to its own.
struct Merge<'a> {
    m: Trace,
    root: &'a Trace,
    side: &'a Trace,
    rmap: Vec<Option<Ref>>,
    smap: Vec<Option<Ref>>,
    rsnaps: Vec<Option<u32>>,
}

impl Merge<'_> {
    /// The merged value of the root's `r` (its constants copied once).
    fn root_value(&mut self, r: Ref) -> Option<Ref> {
        if let Some(v) = self.rmap[r as usize] {
            return Some(v);
        }
        let ins = self.root.ins[r as usize];
        if !konst(&ins.op) {
            return None;
        }
        let v = self.konst(ins.op, ins.ty);
        self.rmap[r as usize] = Some(v);
        Some(v)
    }

    /// The constant `op` in the loop (one value per constant, so that
    /// the same operation on both paths has the same operands).
    fn konst(&mut self, op: Op, ty: Ty) -> Ref {
        let loop_at = self.m.loop_at().unwrap_or(0);
        match (loop_at..self.m.ins.len())
            .find(|&i| self.m.ins[i].op == op && self.m.ins[i].ty == ty)
        {
            Some(i) => i as Ref,
            None => self.m.push(op, ty),
        }
    }

    /// The merged copy of the root's snapshot `s`.
    fn root_snap(&mut self, s: u32) -> Option<u32> {
        if let Some(n) = self.rsnaps[s as usize] {
            return Some(n);
        }
        let snap = self.root.snaps.get(s as usize)?.clone();
        let mut regs = Vec::with_capacity(snap.regs.len());
        for (slot, r) in snap.regs {
            regs.push((slot, self.root_value(r)?));
        }
        self.m.snaps.push(Snapshot { regs, ..snap });
        let n = self.m.snaps.len() as u32 - 1;
        self.rsnaps[s as usize] = Some(n);
        Some(n)
    }

    /// The merged copy of the side trace's snapshot `s`, its values those
    /// of the loop body.
    fn side_snap(&mut self, s: u32) -> Option<u32> {
        let snap = self.side.snaps.get(s as usize)?.clone();
        let mut regs = Vec::with_capacity(snap.regs.len());
        for (slot, r) in snap.regs {
            regs.push((slot, self.smap[r as usize]?));
        }
        self.m.snaps.push(Snapshot { regs, ..snap });
        Some(self.m.snaps.len() as u32 - 1)
    }

    /// Moves the root path's instruction `j` to the end of the trace built
    /// so far (its old place a `Nop`), when no instruction or snapshot
    /// after it reads it: its operands and its snapshot's values come
    /// before it, so they still do. The new place, or `None`.
    fn move_down(&mut self, j: usize) -> Option<usize> {
        let r = j as Ref;
        let read = self.m.ins[j + 1..].iter().any(|ins| {
            let mut op = ins.op;
            let mut reads = false;
            op.map_operands(|o| {
                reads |= o == r;
                o
            });
            reads
        });
        let named = self
            .m
            .snaps
            .iter()
            .any(|s| s.regs.iter().any(|&(_, v)| v == r));
        if read || named {
            return None;
        }
        let ins = self.m.ins[j];
        self.m.ins[j].op = Op::Nop;
        let to = self.m.push(ins.op, ins.ty);
        for v in self.rmap.iter_mut().chain(self.smap.iter_mut()) {
            if *v == Some(r) {
                *v = Some(to);
            }
        }
        for p in self.m.paths.iter_mut().filter(|p| p.at == r) {
            p.at = to;
        }
        Some(to as usize)
    }

    /// Copies the root's instruction `i` into the loop body.
    fn copy_root(&mut self, i: usize) -> Option<Ref> {
        let ins = self.root.ins[i];
        if konst(&ins.op) {
            return self.root_value(i as Ref);
        }
        let mut op = ins.op;
        let mut ok = true;
        op.map_operands(|r| {
            self.root_value(r).unwrap_or_else(|| {
                ok = false;
                r
            })
        });
        if let Some(s) = op.snapshot_mut() {
            match self.root_snap(*s) {
                Some(n) => *s = n,
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let v = self.m.push(op, ins.ty);
        self.rmap[i] = Some(v);
        Some(v)
    }
}

/// The side trace `side` of exit `exit` of the root trace `root` (both
/// optimised), turned into a loop running both paths (see the module's
/// doc), or `None` when the two do not qualify. `inherited` is what the
/// side trace inherited at that exit (`backend::Output::inherit`): it
/// names the root's values its [`Op::Inherit`]s stand for.
pub fn merge(root: &Trace, exit: u32, inherited: &[Store], side: &Trace) -> Option<Trace> {
    let la = root.loop_at()?;
    let mut guards = (0..root.ins.len()).filter(|&i| root.ins[i].op.snapshot() == Some(exit));
    let (g, None) = (guards.next()?, guards.next()) else {
        return None;
    };
    let Op::Guard(cond, ga, gb, _) = root.ins[g].op else {
        return None;
    };
    let phis: Vec<usize> = (la + 1..root.ins.len())
        .take_while(|&i| matches!(root.ins[i].op, Op::Phi(_)))
        .collect();
    let args = &side.snaps.get(side.yield_snap as usize)?.regs;
    let root_yield = root.snaps.get(root.yield_snap as usize)?;
    let qualifies = g > la
        && root.ins[la + 1..g].iter().all(|i| plain_before(&i.op))
        && root.ins[g + 1..].iter().all(|i| pure_on_path(&i.op))
        && side
            .ins
            .iter()
            .all(|i| pure_on_path(&i.op) || matches!(i.op, Op::Inherit(_) | Op::Guard(..)))
        && side.back.is_empty()
        && side.loop_at().is_none()
        && root.calls.is_empty()
        && root.paths.is_empty()
        && root.ins.len() - g + side.ins.len() <= MAX_PATHS
        && side.snaps[side.yield_snap as usize].pc == root_yield.pc
        && args.len() == phis.len()
        && args
            .iter()
            .zip(&phis)
            .enumerate()
            .all(|(k, (&(x, v), &p))| {
                usize::from(x) == k && side.ty(v) == root.ins[p].ty && root.ins[p].ty != Ty::Float
            });
    if !qualifies {
        return None;
    }
    let mut mg = Merge {
        m: side.clone(),
        root,
        side,
        rmap: vec![None; root.ins.len()],
        smap: vec![None; side.ins.len()],
        rsnaps: vec![None; root.snaps.len()],
    };
    mg.m.entry_yield = Some(side.yield_snap);
    mg.m.push(Op::Loop, Ty::None);
    for (&(_, v), &p) in args.iter().zip(&phis) {
        mg.rmap[p] = Some(mg.m.push(Op::Phi(v), root.ins[p].ty));
    }
    for i in la + 1 + phis.len()..g {
        mg.copy_root(i)?;
    }
    // The predicate: not 0 on the root's path when `when`.
    let (pred, when) = match (cond, root.ins[gb as usize].op) {
        (Cond::Eq | Cond::Ne, Op::KInt(0)) => (mg.root_value(ga)?, cond == Cond::Ne),
        _ => {
            let (a, b) = (mg.root_value(ga)?, mg.root_value(gb)?);
            (mg.m.push(Op::Cmp(cond, a, b), Ty::Int), true)
        }
    };
    // The side trace's operations that cannot exit come first, where
    // their operands allow: a shared operation's exit on the side trace's
    // path may name them.
    for (i, ins) in side.ins.iter().enumerate() {
        let v = match ins.op {
            Op::Inherit(r) => inherited_root_value(root, exit, inherited, r, ins.ty)
                .and_then(|rv| mg.root_value(rv))?,
            op if konst(&op) => mg.konst(op, ins.ty),
            mut op if op.snapshot().is_none() => {
                let mut ready = true;
                op.map_operands(|r| {
                    mg.smap[r as usize].unwrap_or_else(|| {
                        ready = false;
                        r
                    })
                });
                if !ready {
                    continue;
                }
                mg.m.push(op, ins.ty)
            }
            _ => continue,
        };
        mg.smap[i] = Some(v);
    }
    let guard_operands = mg.root_value(ga).zip(mg.root_value(gb));
    let root_path = mg.m.ins.len();
    for i in g + 1..root.ins.len() {
        let v = mg.copy_root(i)?;
        if mg.m.ins[v as usize].op.snapshot().is_some() && v as usize >= root_path {
            mg.m.paths.push(PathExit {
                at: v,
                pred,
                when,
                other: None,
            });
        }
    }
    let side_path = mg.m.ins.len();
    for (i, ins) in side.ins.iter().enumerate() {
        if mg.smap[i].is_some() {
            continue;
        }
        let mut op = ins.op;
        let mut ready = true;
        op.map_operands(|r| {
            mg.smap[r as usize].unwrap_or_else(|| {
                ready = false;
                r
            })
        });
        if !ready {
            return None;
        }
        // The side trace may test the root's guard again, the
        // other way round (it resumed at the test): the path
        // implies it.
        if let Op::Guard(c, a, b, _) = op {
            if c == cond.negate() && Some((a, b)) == guard_operands {
                continue;
            }
            return None;
        }
        let snap = op.snapshot_mut().map(|s| std::mem::replace(s, 0));
        let twin = (root_path..side_path).find(|&j| {
            let mut o = mg.m.ins[j].op;
            let had = o.snapshot_mut().map(|s| *s = 0).is_some();
            o == op && had == snap.is_some()
        });
        // The twin exits through this path's snapshot, which must name
        // only values defined before it: the latest of them, if all are
        // defined.
        let latest = snap.map_or(Some(None), |s| {
            side.snaps[s as usize]
                .regs
                .iter()
                .try_fold(None, |m: Option<Ref>, &(_, r)| {
                    Some(m.max(Some(mg.smap[r as usize]?)))
                })
        });
        let named_before = |j: usize| latest.is_some_and(|l| l.is_none_or(|l| (l as usize) < j));
        // A twin before one of them (the root takes the even path: the
        // odd path's `S + 1` follows `3 * N + 1`, which its snapshot
        // names) moves here, after them, when nothing read it since.
        let twin = match twin {
            Some(j) if !named_before(j) && latest.is_some() => mg.move_down(j),
            t => t,
        };
        if let Some(j) = twin.filter(|&j| named_before(j)) {
            mg.smap[i] = Some(j as Ref);
            if let Some(s) = snap {
                let other = mg.side_snap(s)?;
                let p = mg.m.paths.iter_mut().find(|p| p.at == j as Ref)?;
                p.other = Some(other);
            }
            continue;
        }
        if let Some(s) = snap {
            *op.snapshot_mut()? = mg.side_snap(s)?;
        }
        let v = mg.m.push(op, ins.ty);
        mg.smap[i] = Some(v);
        if snap.is_some() {
            mg.m.paths.push(PathExit {
                at: v,
                pred,
                when: !when,
                other: None,
            });
        }
    }
    let mut back = Vec::with_capacity(phis.len());
    for (k, &p) in phis.iter().enumerate() {
        let &(_, r) = root.back.iter().find(|&&(ph, _)| ph as usize == p)?;
        let rv = mg.root_value(r)?;
        let sv = mg.smap[args[k].1 as usize]?;
        let next = if rv == sv {
            rv
        } else {
            let (x, y) = if when { (rv, sv) } else { (sv, rv) };
            mg.m.push(Op::Select(pred, x, y), root.ins[p].ty)
        };
        back.push((mg.rmap[p]?, next));
    }
    mg.m.back = back;
    mg.m.yield_snap = mg.root_snap(root.yield_snap)?;
    Some(mg.m)
}

/// The root's value a side trace's `Inherit(reg)` (of type `ty`) stands
/// for: the one its exit `exit` writes from that register.
fn inherited_root_value(
    root: &Trace,
    exit: u32,
    inherited: &[Store],
    reg: u8,
    ty: Ty,
) -> Option<Ref> {
    let st = inherited
        .iter()
        .find(|st| st.value == Operand::Reg(reg) && (st.ty == Ty::Float) == (ty == Ty::Float))?;
    let snap = root.snaps.get(exit as usize)?;
    snap.regs
        .iter()
        .find(|&&(s, _)| s == st.slot)
        .map(|&(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(t: &mut Trace, pc: u32, regs: Vec<(u16, Ref)>) -> u32 {
        t.snaps.push(Snapshot {
            pc,
            regs,
            frame: None,
        });
        t.snaps.len() as u32 - 1
    }

    /// A root trace of `steps(N, S)` up to its loop body: the trace, the
    /// phis of `N` and `S`, and the constant 1.
    fn loop_head() -> (Trace, Ref, Ref, Ref) {
        let mut r = Trace::default();
        let s0 = snap(&mut r, 30, vec![]);
        let x0 = r.push(Op::LoadX(0), Ty::Term);
        let n0 = r.push(Op::Unbox(x0, s0), Ty::Int);
        let x1 = r.push(Op::LoadX(1), Ty::Term);
        let a0 = r.push(Op::Unbox(x1, s0), Ty::Int);
        r.push(Op::Loop, Ty::None);
        let n = r.push(Op::Phi(n0), Ty::Int);
        let a = r.push(Op::Phi(a0), Ty::Int);
        let one = r.push(Op::KInt(1), Ty::Int);
        (r, n, a, one)
    }

    /// collatz's `steps/2` as its root trace records it (the odd path)
    /// and the side trace of its parity guard (the even path).
    fn collatz() -> (Trace, Trace, Vec<Store>) {
        let (mut r, n, a, one) = loop_head();
        let s1 = snap(&mut r, 30, vec![(0, n), (1, a)]);
        r.push(Op::Guard(Cond::Ne, n, one, s1), Ty::None);
        let bit = r.push(Op::Arith(IntOp::And, n, one, None), Ty::Int);
        let zero = r.push(Op::KInt(0), Ty::Int);
        let s2 = snap(&mut r, 33, vec![(0, n), (1, a), (2, zero)]);
        r.push(Op::Guard(Cond::Ne, bit, zero, s2), Ty::None);
        let three = r.push(Op::KInt(3), Ty::Int);
        let s3 = snap(&mut r, 37, vec![(0, n), (1, a)]);
        let t = r.push(Op::Arith(IntOp::Mul, n, three, Some(s3)), Ty::Int);
        let s4 = snap(&mut r, 38, vec![(0, t), (1, a)]);
        let u = r.push(Op::Arith(IntOp::Add, t, one, Some(s4)), Ty::Int);
        let s5 = snap(&mut r, 39, vec![(0, u), (1, a)]);
        let b = r.push(Op::Arith(IntOp::Add, a, one, Some(s5)), Ty::Int);
        r.yield_snap = snap(&mut r, 30, vec![(0, n), (1, a)]);
        r.back = vec![(n, u), (a, b)];
        let inherited = vec![
            Store {
                slot: 0,
                value: Operand::Reg(0),
                ty: Ty::Int,
            },
            Store {
                slot: 1,
                value: Operand::Reg(1),
                ty: Ty::Int,
            },
        ];
        let mut s = Trace::default();
        let n = s.push(Op::Inherit(0), Ty::Int);
        let a = s.push(Op::Inherit(1), Ty::Int);
        let one = s.push(Op::KInt(1), Ty::Int);
        let h = s.push(Op::Arith(IntOp::Sar(1), n, one, None), Ty::Int);
        let s0 = snap(&mut s, 35, vec![(0, h), (1, a)]);
        let b = s.push(Op::Arith(IntOp::Add, a, one, Some(s0)), Ty::Int);
        s.yield_snap = snap(&mut s, 30, vec![(0, h), (1, b)]);
        (r, s, inherited)
    }

    #[test]
    fn both_paths_run_and_their_arguments_are_selected() {
        let (r, s, inherited) = collatz();
        let m = merge(&r, 2, &inherited, &s).expect("merged");
        let la = m.loop_at().unwrap();
        // The side trace comes first, as recorded, then the loop.
        assert_eq!(&m.ins[..s.ins.len()], &s.ins[..]);
        assert_eq!(m.entry_yield, Some(s.yield_snap));
        // No guard on the parity: its band is the predicate.
        let guards = m.ins[la..]
            .iter()
            .filter(|i| matches!(i.op, Op::Guard(..)))
            .count();
        assert_eq!(guards, 1);
        let selects: Vec<Op> = m
            .ins
            .iter()
            .map(|i| i.op)
            .filter(|op| matches!(op, Op::Select(..)))
            .collect();
        // `S + 1` is on both paths: computed once, no select for it.
        assert_eq!(selects.len(), 1);
        let adds = m.ins[la..]
            .iter()
            .filter(|i| matches!(i.op, Op::Arith(IntOp::Add, ..)))
            .count();
        assert_eq!(adds, 2);
        // The odd path's `*` and `+ 1` exit only on it; the shared
        // `S + 1` exits through either path's snapshot.
        assert_eq!(m.paths.len(), 3);
        assert!(m.paths.iter().all(|p| p.when));
        let shared: Vec<&PathExit> = m.paths.iter().filter(|p| p.other.is_some()).collect();
        assert_eq!(shared.len(), 1);
        let own = m.ins[shared[0].at as usize].op.snapshot().unwrap();
        assert_eq!(m.snaps[own as usize].pc, 39);
        assert_eq!(m.snaps[shared[0].other.unwrap() as usize].pc, 35);
        assert_eq!(m.back.len(), 2);
        assert_eq!(m.snaps[m.yield_snap as usize].pc, 30);
    }

    #[test]
    fn guards_or_divisions_on_a_path_keep_the_branch() {
        let (mut r, s, inherited) = collatz();
        let last = r.ins.len() as Ref - 1;
        let Op::Arith(_, a, one, snap) = r.ins[last as usize].op else {
            unreachable!()
        };
        r.ins[last as usize].op = Op::Arith(IntOp::Div, a, one, snap);
        assert!(merge(&r, 2, &inherited, &s).is_none());
        let (r, mut s, inherited) = collatz();
        s.push(Op::Guard(Cond::Ne, 0, 2, 0), Ty::None);
        assert!(merge(&r, 2, &inherited, &s).is_none());
        // An exit that is not the guard's.
        let (r, s, inherited) = collatz();
        assert!(merge(&r, 3, &inherited, &s).is_none());
    }

    /// collatz's `steps/2` with the even path as the root and the odd
    /// path as the side trace of its parity guard (that guard's
    /// snapshot); `reread`: the root's path reads its `S + 1` again
    /// (`S + 2` as `(S + 1) + 1`).
    fn even_root(reread: bool) -> (Trace, Trace, u32) {
        let (mut r, n, a, one) = loop_head();
        let bit = r.push(Op::Arith(IntOp::And, n, one, None), Ty::Int);
        let zero = r.push(Op::KInt(0), Ty::Int);
        let s1 = snap(&mut r, 33, vec![(0, n), (1, a)]);
        r.push(Op::Guard(Cond::Eq, bit, zero, s1), Ty::None);
        // The even path as the side trace of `collatz()` records it.
        let h = r.push(Op::Arith(IntOp::Sar(1), n, one, None), Ty::Int);
        let s2 = snap(&mut r, 35, vec![(0, h), (1, a)]);
        let mut b = r.push(Op::Arith(IntOp::Add, a, one, Some(s2)), Ty::Int);
        if reread {
            let s3 = snap(&mut r, 36, vec![(0, h), (1, b)]);
            b = r.push(Op::Arith(IntOp::Add, b, one, Some(s3)), Ty::Int);
        }
        r.yield_snap = snap(&mut r, 30, vec![(0, n), (1, a)]);
        r.back = vec![(n, h), (a, b)];
        // The odd path: `collatz()`'s root body from its parity guard on.
        let mut s = Trace::default();
        let sn = s.push(Op::Inherit(0), Ty::Int);
        let sa = s.push(Op::Inherit(1), Ty::Int);
        let one = s.push(Op::KInt(1), Ty::Int);
        let three = s.push(Op::KInt(3), Ty::Int);
        let t0 = snap(&mut s, 37, vec![(0, sn), (1, sa)]);
        let t = s.push(Op::Arith(IntOp::Mul, sn, three, Some(t0)), Ty::Int);
        let t1 = snap(&mut s, 38, vec![(0, t), (1, sa)]);
        let u = s.push(Op::Arith(IntOp::Add, t, one, Some(t1)), Ty::Int);
        let t2 = snap(&mut s, 39, vec![(0, u), (1, sa)]);
        let sb = s.push(Op::Arith(IntOp::Add, sa, one, Some(t2)), Ty::Int);
        s.yield_snap = snap(&mut s, 30, vec![(0, u), (1, sb)]);
        (r, s, s1)
    }

    /// Every exit of `m`'s paths names only values defined before its
    /// instruction.
    fn exits_name_earlier_values(m: &Trace) {
        for p in &m.paths {
            let own = m.ins[p.at as usize].op.snapshot().unwrap();
            for s in std::iter::once(own).chain(p.other) {
                assert!(m.snaps[s as usize].regs.iter().all(|&(_, v)| v < p.at));
            }
        }
    }

    #[test]
    fn a_shared_operation_exits_through_snapshots_of_values_before_it() {
        // The side trace's `S + 1` comes after `3 * N + 1`, which its
        // snapshot names: the root's `S + 1`, which nothing reads before,
        // moves after it and is shared.
        let (.., inherited) = collatz();
        let (r, s, guard) = even_root(false);
        let m = merge(&r, guard, &inherited, &s).expect("merged");
        let la = m.loop_at().unwrap();
        let adds: Vec<usize> = (la..m.ins.len())
            .filter(|&i| matches!(m.ins[i].op, Op::Arith(IntOp::Add, ..)))
            .collect();
        assert_eq!(adds.len(), 2);
        let shared: Vec<&PathExit> = m.paths.iter().filter(|p| p.other.is_some()).collect();
        assert_eq!(shared.len(), 1);
        // Its old place is empty, and one select is left (`N`'s).
        assert_eq!(m.ins.iter().filter(|i| i.op == Op::Nop).count(), 1);
        let selects = m.ins.iter().filter(|i| matches!(i.op, Op::Select(..)));
        assert_eq!(selects.count(), 1);
        exits_name_earlier_values(&m);
        // The predicate is the band, not 0 on the side trace's path.
        assert!(m.paths.iter().all(|p| p.pred == m.paths[0].pred));
        assert_eq!(m.paths.iter().filter(|p| p.when).count(), 2);
    }

    #[test]
    fn a_twin_read_on_its_path_stays_and_is_not_shared() {
        // Moving the root's `S + 1` would leave its second read before it.
        let (.., inherited) = collatz();
        let (r, s, guard) = even_root(true);
        let m = merge(&r, guard, &inherited, &s).expect("merged");
        assert!(m.ins.iter().all(|i| i.op != Op::Nop));
        assert!(m.paths.iter().all(|p| p.other.is_none()));
        exits_name_earlier_values(&m);
    }
}
