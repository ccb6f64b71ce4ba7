//! RECORD, type tests on any path: a test the interpreter sees pass is a
//! guard that it passes (as before); a test it sees fail is recorded too,
//! as a guard that the value keeps the type it has now (a small integer, a
//! float, a cons, a tuple of its arity, or the very atom or `[]`), from
//! which the test's failure follows; the recording then follows the
//! failure label with the interpreter. A value whose IR type is already
//! an untagged integer or an unboxed float needs no guard at all.

use enigma_vm::code::{Src, Target};
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::Cond;

/// A type test of one operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Test {
    /// `is_integer`.
    Integer,
    /// `is_float`.
    Float,
    /// `is_number`.
    Number,
    /// `is_atom`.
    Atom,
    /// `is_tuple`.
    Tuple,
    /// `test_arity` / `is_tuple_of_arity`.
    Arity(u32),
    /// `is_list`.
    List,
}

impl Recording {
    /// Records type test `test` of `src`, which the interpreter saw hold
    /// `seen`.
    pub(super) fn type_test(
        &mut self,
        pc: Target,
        test: Test,
        src: Src,
        seen: Term,
    ) -> Result<Step, Abort> {
        let passes = match test {
            Test::Integer => seen.is_integer(),
            Test::Float => seen.as_float().is_some(),
            Test::Number => seen.is_integer() || seen.as_float().is_some(),
            Test::Atom => seen.is_atom(),
            Test::Tuple => seen.as_tuple().is_some(),
            Test::Arity(n) => seen.as_tuple().is_some_and(|t| t.len() == n as usize),
            Test::List => seen.is_list() || seen.is_nil(),
        };
        if passes && !(seen.is_small() || seen.as_float().is_some()) {
            match test {
                Test::Tuple => {
                    self.tuple(pc, src, seen, None)?;
                    return Ok(Step::Continue);
                }
                Test::Arity(n) => {
                    self.tuple(pc, src, seen, Some(n))?;
                    return Ok(Step::Continue);
                }
                Test::List if seen.is_list() => {
                    self.cons(pc, src, seen)?;
                    return Ok(Step::Continue);
                }
                _ => {}
            }
        }
        if seen.is_integer() && !seen.is_small() {
            return Err("type test of a bignum".into());
        }
        self.pin_type(pc, src, seen)?;
        Ok(Step::Continue)
    }

    /// Guards that `src` keeps the type the interpreter saw (`seen`): a
    /// small integer or a float (unboxed from then on), a cons, a tuple of
    /// its arity, or the immediate itself.
    pub(super) fn pin_type(&mut self, pc: Target, src: Src, seen: Term) -> Result<(), Abort> {
        if seen.is_small() {
            self.int_operand(pc, src)?;
        } else if seen.as_float().is_some() {
            self.float_operand(pc, src, seen)?;
        } else if seen.is_list() {
            self.cons(pc, src, seen)?;
        } else if let Some(t) = seen.as_tuple() {
            self.tuple(pc, src, seen, Some(t.len() as u32))?;
        } else if seen.is_atom() || seen.is_nil() {
            self.guard_imm(pc, src, seen, Cond::Eq)?;
        } else {
            return Err("type test of this kind of term".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Op;
    use crate::record::tests::anchor;
    use enigma_vm::code::{Fail, Instr, Reg};

    fn ops(r: Recording) -> Vec<Op> {
        r.into_trace().ins.iter().map(|i| i.op).collect()
    }

    #[test]
    fn a_failing_test_pins_the_type_seen_and_recording_goes_on() {
        let mut heap = enigma_vm::term::Heap::new();
        let x = [Term::small(5), heap.float(1.5)];
        let src = Src::reg(Reg::x(0));
        let mut r = Recording::new(anchor(), &[], &x);
        // x0 is an untagged integer from the entry: no guard at all.
        let float = Instr::IsFloat {
            fail: Fail::to(40),
            src,
        };
        let before = r.trace.ins.len();
        assert_eq!(r.instr(10, &float, &x), Ok(Step::Continue));
        assert_eq!(r.trace.ins.len(), before);
        // x1, a float, fails is_tuple and is_integer: guarded a float.
        let tuple = Instr::IsTuple {
            fail: Fail::to(40),
            src: Src::reg(Reg::x(1)),
        };
        assert_eq!(r.instr(11, &tuple, &x), Ok(Step::Continue));
        let int = Instr::IsInteger {
            fail: Fail::to(40),
            src: Src::reg(Reg::x(1)),
        };
        assert_eq!(r.instr(12, &int, &x), Ok(Step::Continue));
        let ops = ops(r);
        assert!(!ops.iter().any(|o| matches!(o, Op::GuardTuple(..))));
    }

    #[test]
    fn tuples_of_another_arity_and_atoms_are_pinned() {
        let mut heap = enigma_vm::term::Heap::new();
        let t = heap.tuple(&[Term::small(1), Term::small(2), Term::small(3)]);
        let atom = Term::atom(enigma_vm::atom::Atom::intern("ok").unwrap());
        let x = [t, atom];
        let mut r = Recording::new(anchor(), &[], &x);
        let arity = Instr::TestArity {
            fail: Fail::to(40),
            src: Src::reg(Reg::x(0)),
            arity: 2,
        };
        assert_eq!(r.instr(10, &arity, &x), Ok(Step::Continue));
        let list = Instr::IsList {
            fail: Fail::to(40),
            src: Src::reg(Reg::x(1)),
        };
        assert_eq!(r.instr(11, &list, &x), Ok(Step::Continue));
        let ops = ops(r);
        assert!(ops
            .iter()
            .any(|o| matches!(o, Op::GuardTuple(_, Some(3), _))));
        assert!(ops.iter().any(|o| matches!(o, Op::Guard(Cond::Eq, ..))));
    }
}
