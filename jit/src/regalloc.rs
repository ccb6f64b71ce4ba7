//! REGALLOC: linear-scan register allocation over a trace.
//!
//! Each value that needs a register (everything but constants, which the
//! backends encode as immediates, and instructions without a value) lives
//! from its definition to its last use. Uses are operands, the values a
//! guard's snapshot names (at the guard), and the back edge and the yield
//! snapshot (at the end).
//! A value defined before the loop and used in it is live to the end, as
//! are the loop-carried values, so both survive every iteration. A value
//! defined at `i` never shares a register with an operand of `i` (ranges
//! are freed only after their last use), so backends may write the result
//! before they are done reading the operands, with one exception
//! ([`reuses_first_operand`]): integer arithmetic may take the register of
//! its first operand when that operand's life ends there, as `add r, k`
//! does in place (the loop counter `N - 1` in `N`'s register, so the back
//! edge moves nothing). When such an operation can overflow, its exit's
//! snapshot may name the operand: the backend undoes the operation before
//! leaving (`add` then `sub`), which only `+` and `-` allow.
//!
//! Floats ([`Ty::Float`]) live in a register file of their own: their
//! indices count from 0 in that file.
//!
//! A side trace's [`Op::Inherit`] values take the registers they are
//! inherited in.
//!
//! No spilling yet: a trace that needs more registers than the backend has
//! is not compiled.

use crate::ir::{IntOp, Op, Ref, Trace, Ty};

/// Where each value lives: a register index below the backend's count
/// for its file (general or float), or `None` (constants, no value).
#[derive(Debug, PartialEq, Eq)]
pub struct Allocation {
    /// Per value.
    pub reg: Vec<Option<u8>>,
    /// Per value, the index of its last use (its own where it has none).
    pub end: Vec<usize>,
}

impl Allocation {
    /// The registers (a mask of indices, general and float) of the
    /// values defined before `i` and used at or after it: what a call at
    /// `i` out of the trace must keep (its own operands and its exit's
    /// snapshot included).
    pub fn live_at(&self, t: &Trace, i: usize) -> (u32, u32) {
        let (mut gregs, mut fregs) = (0u32, 0u32);
        for v in 0..i {
            if let Some(r) = self.reg[v].filter(|_| self.end[v] >= i) {
                match t.ins[v].ty {
                    Ty::Float => fregs |= 1 << r,
                    _ => gregs |= 1 << r,
                }
            }
        }
        (gregs, fregs)
    }
}

/// Whether `r` needs a register.
fn needs_reg(t: &Trace, r: usize) -> bool {
    t.ins[r].ty != Ty::None
        && !matches!(
            t.ins[r].op,
            Op::KInt(_) | Op::KTerm(_) | Op::KFloat(_) | Op::Nop
        )
}

/// The last use of each value.
fn last_uses(t: &Trace) -> Vec<usize> {
    let n = t.ins.len();
    let mut end: Vec<usize> = (0..n).collect();
    let loop_at = t.loop_at().unwrap_or(n);
    let use_at = |r: Ref, at: usize, end: &mut Vec<usize>| {
        let r = r as usize;
        let at = if r < loop_at && at > loop_at { n } else { at };
        end[r] = end[r].max(at);
    };
    for (i, ins) in t.ins.iter().enumerate() {
        // A phi's entry value is read once, by the moves at the loop head.
        let at = if matches!(ins.op, Op::Phi(_)) {
            loop_at
        } else {
            i
        };
        for r in ins.op.operands() {
            use_at(r, at, &mut end);
        }
        if let Some(s) = ins.op.snapshot() {
            for &(_, r) in &t.snaps[s as usize].regs {
                use_at(r, i, &mut end);
            }
        }
    }
    // An if-converted loop's path exits read their predicate, and the
    // other path's snapshot, where they are taken.
    for p in &t.paths {
        let at = p.at as usize;
        use_at(p.pred, at, &mut end);
        for &(_, r) in p.other.iter().flat_map(|&o| &t.snaps[o as usize].regs) {
            use_at(r, at, &mut end);
        }
    }
    // The reduction the first iteration of a side trace with a loop of its
    // own counts before the loop (see `opt/ifconv.rs`) may exit there.
    if let Some(s) = t.entry_yield {
        for &(_, r) in &t.snaps[s as usize].regs {
            use_at(r, loop_at, &mut end);
        }
    }
    // A phi's register is written by the back edge's moves, after every
    // other value is read, and the yield snapshot reads it after them: so
    // a phi lives only to its last use in the body.
    for &(_, v) in &t.back {
        use_at(v, n, &mut end);
    }
    // The yield snapshot is written at the end (a side trace's link too),
    // and so is a return's other one.
    let ret_empty = t.ret.and_then(|r| t.snaps.get(r.empty as usize));
    for s in t
        .snaps
        .get(t.yield_snap as usize)
        .into_iter()
        .chain(ret_empty)
    {
        for &(_, r) in &s.regs {
            if !matches!(t.ins[r as usize].op, Op::Phi(_)) {
                use_at(r, n, &mut end);
            }
        }
    }
    end
}

/// The first operand of `i` when `i` may write its result to that
/// operand's register (see the module's doc): integer arithmetic on two
/// different values (an operation on one value twice would clobber its
/// other operand), other than `div`/`rem` (which need fixed registers);
/// one that exits on overflow only for `+` and `-`, which the backend
/// undoes on the way out. A select's value when not taken (its third
/// operand): the backend moves the taken one over it. Float arithmetic on two different values when
/// it has no exit of its own (`opt/fcheck.rs`).
pub fn reuses_first_operand(t: &Trace, i: usize) -> Option<usize> {
    match t.ins[i].op {
        Op::Arith(op, a, b, exit) => {
            let ok = match exit {
                None => !matches!(op, IntOp::Div | IntOp::Rem),
                Some(_) => matches!(op, IntOp::Add | IntOp::Sub),
            };
            (ok && a != b && t.ty(a) == Ty::Int).then_some(a as usize)
        }
        // A select keeps the value it does not take in place.
        Op::Select(p, x, y) => (p != y && x != y).then_some(y as usize),
        // Float arithmetic whose finiteness a later check covers.
        Op::FArith(_, a, b, None) => (a != b && t.ty(a) == Ty::Float).then_some(a as usize),
        _ => None,
    }
}

/// Allocates `count` general registers and `fcount` float registers to
/// `t`'s values.
pub fn allocate(t: &Trace, count: u8, fcount: u8) -> Result<Allocation, String> {
    let end = last_uses(t);
    let mut reg: Vec<Option<u8>> = vec![None; t.ins.len()];
    let mut holders: [Vec<Option<usize>>; 2] =
        [vec![None; count as usize], vec![None; fcount as usize]];
    // A back-edge value prefers its phi's register (free by then if the
    // phi's last use comes first): the back edge's move disappears.
    let mut hint = vec![None; t.ins.len()];
    for &(phi, v) in &t.back {
        hint[v as usize] = Some(phi as usize);
    }
    for i in 0..t.ins.len() {
        for h in holders.iter_mut().flatten() {
            if h.is_some_and(|v| end[v] < i) {
                *h = None;
            }
        }
        if !needs_reg(t, i) {
            continue;
        }
        let holder = &mut holders[usize::from(t.ins[i].ty == Ty::Float)];
        // A side trace's inherited values stay where the parent left them
        // (they come first, each in its own register).
        if let Op::Inherit(r) = t.ins[i].op {
            let slot = holder
                .get_mut(usize::from(r))
                .filter(|h| h.is_none())
                .ok_or("an inherited register is taken")?;
            *slot = Some(i);
            reg[i] = Some(r);
            continue;
        }
        // The first operand's register, when this is its last use and
        // the operation may be done in place.
        let inplace = reuses_first_operand(t, i)
            .filter(|&a| end[a] == i)
            .and_then(|a| reg[a])
            .map(usize::from);
        let hinted = hint[i]
            .and_then(|p| reg[p])
            .map(usize::from)
            .filter(|&r| holder[r].is_none() || Some(r) == inplace);
        let free = hinted
            .or(inplace)
            .or_else(|| holder.iter().position(Option::is_none))
            .ok_or("out of registers")?;
        holder[free] = Some(i);
        reg[i] = Some(free as u8);
    }
    Ok(Allocation { reg, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trace with one snapshot and an unboxed x0: the trace and x0.
    fn entry() -> (Trace, Ref) {
        let mut t = Trace::default();
        t.snaps.push(crate::snapshot::Snapshot {
            pc: 0,
            regs: Vec::new(),
            frame: None,
        });
        let x = t.push(Op::LoadX(0), Ty::Term);
        let u = t.push(Op::Unbox(x, 0), Ty::Int);
        (t, u)
    }

    #[test]
    fn invariants_and_phis_keep_their_registers_across_the_loop() {
        let (mut t, u) = entry();
        let inv = t.push(Op::LoadX(1), Ty::Term);
        t.push(Op::Loop, Ty::None);
        let phi = t.push(Op::Phi(u), Ty::Int);
        let k = t.push(Op::KInt(1), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Sub, phi, k, Some(0)), Ty::Int);
        let b = t.push(Op::Box(s), Ty::Term);
        let _ = t.push(Op::Guard(crate::ir::Cond::Ne, b, inv, 0), Ty::None);
        t.back = vec![(phi, s)];
        let a = allocate(&t, 8, 0).unwrap();
        let r = |v: Ref| a.reg[v as usize].unwrap();
        assert_eq!(a.reg[k as usize], None);
        assert_ne!(r(inv), r(phi));
        assert_ne!(r(inv), r(s));
        assert_ne!(r(inv), r(b));
        // `N - 1` in place: the phi's life ends there.
        assert_eq!(r(phi), r(s));
        assert_ne!(r(phi), r(inv));
        assert_ne!(r(s), r(b));
        // Three values are live at `s` (inv, phi, s) and at `b` (inv, s,
        // b: the phi's last use was `s`); the entry value's register is
        // free once the loop starts.
        assert_eq!(allocate(&t, 3, 0).map(|_| ()), Ok(()));
        assert_eq!(allocate(&t, 2, 0), Err("out of registers".to_string()));
    }

    #[test]
    fn a_call_keeps_what_lives_across_it_and_what_its_exit_reads() {
        let (mut t, u) = entry();
        let dead = t.push(Op::LoadX(1), Ty::Term);
        let _ = t.push(Op::Box(dead), Ty::Term);
        let after = t.push(Op::LoadX(2), Ty::Term);
        let f = t.push(Op::LoadX(3), Ty::Term);
        t.push(Op::UnboxFloat(f, 0), Ty::Float);
        t.snaps.push(crate::snapshot::Snapshot {
            pc: 1,
            regs: vec![(0, u)],
            frame: None,
        });
        let call = t.push(Op::ListReverse(after, 1), Ty::Term) as usize;
        let _ = t.push(
            Op::Guard(crate::ir::Cond::Ne, call as Ref, after, 0),
            Ty::None,
        );
        t.yield_snap = 0;
        let a = allocate(&t, 8, 4).unwrap();
        let bit = |v: Ref| 1u32 << a.reg[v as usize].unwrap();
        // x0 for the exit's snapshot, x2 read after the call; neither the
        // value dead before it nor the float unused after it.
        assert_eq!(a.live_at(&t, call), (bit(u) | bit(after), 0));
    }

    #[test]
    fn back_edge_values_take_their_phis_register() {
        let (mut t, u) = entry();
        t.push(Op::Loop, Ty::None);
        let phi = t.push(Op::Phi(u), Ty::Int);
        let k = t.push(Op::KInt(1), Ty::Int);
        let d = t.push(Op::Arith(IntOp::Sub, phi, k, Some(0)), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, d, k, Some(0)), Ty::Int);
        t.back = vec![(phi, s)];
        let a = allocate(&t, 4, 0).unwrap();
        assert_eq!(a.reg[s as usize], a.reg[phi as usize]);
        // Both in place.
        assert_eq!(a.reg[d as usize], a.reg[phi as usize]);
    }

    #[test]
    fn arithmetic_is_in_place_only_where_its_first_operand_dies() {
        let (mut t, u) = entry();
        t.push(Op::Loop, Ty::None);
        let phi = t.push(Op::Phi(u), Ty::Int);
        let k = t.push(Op::KInt(3), Ty::Int);
        // The phi lives on (the product reads it): not in place.
        let d = t.push(Op::Arith(IntOp::Add, phi, k, Some(0)), Ty::Int);
        // `*` may overflow and cannot be undone: not in place.
        let p = t.push(Op::Arith(IntOp::Mul, phi, k, Some(0)), Ty::Int);
        // `d * d`: one value twice, not in place.
        let q = t.push(Op::Arith(IntOp::Mul, d, d, None), Ty::Int);
        // `p band q`, no exit, both die: in place in `p`'s register.
        let s = t.push(Op::Arith(IntOp::And, p, q, None), Ty::Int);
        t.back = vec![(phi, s)];
        let a = allocate(&t, 5, 0).unwrap();
        let r = |v: Ref| a.reg[v as usize].unwrap();
        assert_ne!(r(d), r(phi));
        assert_ne!(r(p), r(phi));
        assert_ne!(r(q), r(d));
        assert_eq!(r(s), r(p));
        assert_eq!(reuses_first_operand(&t, s as usize), Some(p as usize));
        assert_eq!(reuses_first_operand(&t, p as usize), None);
        assert_eq!(reuses_first_operand(&t, q as usize), None);
        assert_eq!(reuses_first_operand(&t, d as usize), Some(phi as usize));
    }

    #[test]
    fn inherited_values_keep_their_parents_registers() {
        let mut t = Trace::default();
        let a = t.push(Op::Inherit(4), Ty::Int);
        let f = t.push(Op::Inherit(2), Ty::Float);
        let b = t.push(Op::Inherit(0), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, a, b, None), Ty::Int);
        let al = allocate(&t, 6, 3).unwrap();
        assert_eq!(al.reg[a as usize], Some(4));
        assert_eq!(al.reg[f as usize], Some(2));
        assert_eq!(al.reg[b as usize], Some(0));
        // Both operands die at the sum: it is computed in place.
        assert_eq!(al.reg[s as usize], Some(4));
        // A register the parent's file does not have.
        assert!(allocate(&t, 4, 3).is_err());
    }

    #[test]
    fn path_exits_keep_their_predicate_and_selects_reuse_the_dropped_value() {
        let (mut t, u) = entry();
        t.push(Op::Loop, Ty::None);
        let phi = t.push(Op::Phi(u), Ty::Int);
        let one = t.push(Op::KInt(1), Ty::Int);
        let bit = t.push(Op::Arith(IntOp::And, phi, one, None), Ty::Int);
        let three = t.push(Op::KInt(3), Ty::Int);
        // Only the exit's stub reads the predicate, after the product.
        let odd = t.push(Op::Arith(IntOp::Mul, phi, three, Some(0)), Ty::Int);
        t.back = vec![(phi, odd)];
        t.paths.push(crate::ir::PathExit {
            at: odd,
            pred: bit,
            when: true,
            other: None,
        });
        let a = allocate(&t, 8, 0).unwrap();
        assert_ne!(a.reg[bit as usize], a.reg[odd as usize]);
        // A select moves the taken value over the dropped one.
        let half = t.push(Op::Arith(IntOp::Sar(1), phi, one, None), Ty::Int);
        let sel = t.push(Op::Select(bit, odd, half), Ty::Int);
        t.back = vec![(phi, sel)];
        assert_eq!(reuses_first_operand(&t, sel as usize), Some(half as usize));
        let a = allocate(&t, 8, 0).unwrap();
        let r = |v: Ref| a.reg[v as usize].unwrap();
        assert_ne!(r(sel), r(odd));
        assert_ne!(r(sel), r(bit));
        // The first iteration's yield, before the loop, reads its values.
        t.entry_yield = Some(0);
        t.snaps[0].regs.push((0, u));
        assert!(allocate(&t, 8, 0).is_ok());
    }

    #[test]
    fn floats_take_registers_of_their_own() {
        let (mut t, u) = entry();
        let f = t.push(Op::IntToFloat(u), Ty::Float);
        let k = t.push(Op::KFloat(1.5f64.to_bits()), Ty::Float);
        let s = t.push(Op::FArith(crate::ir::FOp::Add, f, k, Some(0)), Ty::Float);
        let g = t.push(Op::FGuard(crate::ir::Cond::Lt, s, f, 0), Ty::None);
        let a = allocate(&t, 2, 2).unwrap();
        assert!(a.reg[u as usize].is_some());
        assert_eq!(a.reg[k as usize], None);
        assert_eq!(a.reg[g as usize], None);
        assert_ne!(a.reg[f as usize], a.reg[s as usize]);
        assert_eq!(
            allocate(&t, 2, 1).map(|_| ()),
            Err("out of registers".into())
        );
    }
}
