//! RECORD, guard BIFs with pure semantics: `hd/1`, `tl/1` and
//! `element/2` on the types the interpreter saw. Each guards what it
//! needs (a cons; a tuple of the arity seen and the index seen) and exits
//! before the BIF otherwise, where the interpreter fails or raises as it
//! would.

use enigma_vm::code::{Reg, Src, Target};
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::{Cond, FOp, Op, Ty};

/// An `erlang` BIF's name, when `e` is one.
fn erlang_bif(e: &Export) -> Option<&'static str> {
    (e.module.name() == "erlang").then(|| e.function.name())
}

impl Recording {
    /// `bif1`/`gc_bif1`: `hd/1` and `tl/1`.
    pub(super) fn bif1(
        &mut self,
        pc: Target,
        bif: &'static Export,
        (a, seen): (Src, Term),
        dst: Reg,
    ) -> Result<Step, Abort> {
        let head = match erlang_bif(bif) {
            Some("hd") => true,
            Some("tl") => false,
            _ => return Err(format!("bif {}/1", bif.function.name())),
        };
        let v = self.cons(pc, a, seen)?;
        let r = if head {
            self.trace.push(Op::Head(v), Ty::Term)
        } else {
            self.trace.push(Op::Tail(v), Ty::Term)
        };
        self.write(dst, r)
    }

    /// `bif2`: `element/2` with the index and the tuple's arity seen.
    pub(super) fn bif2(
        &mut self,
        pc: Target,
        bif: &'static Export,
        (a, ta): (Src, Term),
        (b, tb): (Src, Term),
        dst: Reg,
    ) -> Result<Step, Abort> {
        if erlang_bif(bif) != Some("element") {
            return Err(format!("bif {}/2", bif.function.name()));
        }
        let arity = tb.as_tuple().map_or(0, |t| t.len());
        let index = ta.as_small().filter(|&i| i >= 1 && i as usize <= arity);
        let Some(index) = index else {
            return Err("element/2 that fails".into());
        };
        let i = self.int_operand(pc, a)?;
        let k = self.trace.push(Op::KInt(index), Ty::Int);
        let snap = self.snapshot(pc);
        self.trace.push(Op::Guard(Cond::Eq, i, k, snap), Ty::None);
        let t = self.tuple(pc, b, tb, Some(arity as u32))?;
        let e = self.trace.push(Op::Element(t, index as u32 - 1), Ty::Term);
        self.write(dst, e)
    }

    /// `gc_bif2` of `erlang:'/'/2` on two numbers (integers converted):
    /// a float division, exiting before the BIF when the quotient is not
    /// finite (a zero divisor, an overflow), where the interpreter raises
    /// `badarith`.
    pub(super) fn gc_bif(
        &mut self,
        pc: Target,
        bif: &'static Export,
        args: &[(Src, Term)],
        dst: Reg,
    ) -> Result<Step, Abort> {
        let &[(a, ta), (b, tb)] = args else {
            return Err(format!("gc_bif {}/{}", bif.function.name(), args.len()));
        };
        if erlang_bif(bif) != Some("/") {
            return Err(format!("gc_bif {}/2", bif.function.name()));
        }
        let va = self.float_operand(pc, a, ta)?;
        let vb = self.float_operand(pc, b, tb)?;
        let snap = self.snapshot(pc);
        let r = self
            .trace
            .push(Op::FArith(FOp::Div, va, vb, Some(snap)), Ty::Float);
        self.write(dst, r)
    }
}

#[cfg(test)]
mod tests {
    use enigma_vm::atom::Atom;
    use enigma_vm::code::{Fail, Instr, Reg, Src};
    use enigma_vm::term::fun::Export;
    use enigma_vm::term::{Heap, Term};

    use crate::ir::{Cond, Op};
    use crate::record::tests::anchor;
    use crate::record::{Recording, Step};

    fn erlang(f: &str, arity: u32) -> &'static Export {
        let a = |s| Atom::intern(s).expect("atom");
        Export::get_or_create(a("erlang"), a(f), arity)
    }

    #[test]
    fn element_guards_index_and_arity_and_hd_the_cons() {
        let mut heap = Heap::new();
        let t = heap.tuple(&[Term::small(1), Term::small(2)]);
        let l = heap.cons(Term::small(3), Term::NIL);
        let x = [t, l];
        let mut r = Recording::new(anchor(), &[], &x);
        let element = Instr::Bif2 {
            fail: Fail::NONE,
            bif: erlang("element", 2),
            a: Src::constant(Term::small(2)),
            b: Src::reg(Reg::x(0)),
            dst: Reg::x(2),
        };
        assert_eq!(r.step(10, &element, &x, &[]), Ok(Step::Continue));
        let hd = Instr::Bif1 {
            fail: Fail::NONE,
            bif: erlang("hd", 1),
            a: Src::reg(Reg::x(1)),
            dst: Reg::x(3),
        };
        assert_eq!(r.step(11, &hd, &x, &[]), Ok(Step::Continue));
        // An index the interpreter would fail on, and other BIFs, abort.
        let out_of_range = Instr::Bif2 {
            fail: Fail::NONE,
            bif: erlang("element", 2),
            a: Src::constant(Term::small(3)),
            b: Src::reg(Reg::x(0)),
            dst: Reg::x(2),
        };
        assert!(r.step(12, &out_of_range, &x, &[]).is_err());
        let ops: Vec<Op> = r.into_trace().ins.iter().map(|i| i.op).collect();
        assert!(ops.iter().any(|o| matches!(o, Op::Guard(Cond::Eq, ..))));
        assert!(ops
            .iter()
            .any(|o| matches!(o, Op::GuardTuple(_, Some(2), _))));
        assert!(ops.iter().any(|o| matches!(o, Op::Element(_, 1))));
        assert!(ops.iter().any(|o| matches!(o, Op::GuardList(_, true, _))));
        assert!(ops.iter().any(|o| matches!(o, Op::Head(_))));
        let mut r = Recording::new(anchor(), &[], &x);
        let other = Instr::Bif1 {
            fail: Fail::NONE,
            bif: erlang("length", 1),
            a: Src::reg(Reg::x(1)),
            dst: Reg::x(3),
        };
        assert!(r.step(10, &other, &x, &[]).is_err());
    }
}
