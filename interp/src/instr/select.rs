//! Comparisons, tuple tests and jump tables (`select_val`,
//! `select_tuple_arity`).

use std::cmp::Ordering;

use enigma_vm::code::instr::SelectTable;
use enigma_vm::code::{Fail, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::order;
use enigma_vm::term::Term;

use crate::run::{Run, Step};

/// `a < b` with the small-integer fast path.
#[inline(always)]
pub fn less(a: Term, b: Term) -> bool {
    if a.is_small() && b.is_small() {
        a.small_value() < b.small_value()
    } else {
        order::compare(a, b) == Ordering::Less
    }
}

/// `a == b` with the identical-word fast path.
#[inline(always)]
pub fn equal(a: Term, b: Term) -> bool {
    a == b || (!(a.is_small() && b.is_small()) && order::eq(a, b))
}

/// `a =:= b` with the identical-word fast path.
#[inline(always)]
pub fn exact(a: Term, b: Term) -> bool {
    a == b || (a.is_boxed() || a.is_list()) && order::eq_exact(a, b)
}

impl Run<'_> {
    /// `is_lt`.
    #[inline(always)]
    pub(crate) fn is_lt(&mut self, fail: Fail, a: Src, b: Src) {
        let ok = less(self.get(a), self.get(b));
        self.test(fail, ok)
    }

    /// `is_ge`.
    #[inline(always)]
    pub(crate) fn is_ge(&mut self, fail: Fail, a: Src, b: Src) {
        let ok = !less(self.get(a), self.get(b));
        self.test(fail, ok)
    }

    /// `is_eq` (`want`) / `is_ne`.
    #[inline(always)]
    pub(crate) fn is_eq(&mut self, fail: Fail, a: Src, b: Src, want: bool) {
        let ok = equal(self.get(a), self.get(b)) == want;
        self.test(fail, ok)
    }

    /// `is_eq_exact` (`want`) / `is_ne_exact`.
    #[inline(always)]
    pub(crate) fn is_eq_exact(&mut self, fail: Fail, a: Src, b: Src, want: bool) {
        let ok = exact(self.get(a), self.get(b)) == want;
        self.test(fail, ok)
    }

    /// Whether `src` is a tuple of `arity` elements (`test_arity`,
    /// `is_tuple` + `test_arity`).
    #[inline(always)]
    pub(crate) fn tuple_of_arity(&self, src: Src, arity: u32) -> bool {
        self.get(src)
            .as_tuple()
            .is_some_and(|t| t.len() == arity as usize)
    }

    /// `is_tagged_tuple`.
    #[inline(always)]
    pub(crate) fn is_tagged_tuple(&mut self, fail: Fail, src: Src, arity: u32, tag: Term) {
        let ok = self
            .get(src)
            .as_tuple()
            .is_some_and(|t| t.len() == arity as usize && t.get(0) == Some(tag));
        self.test(fail, ok)
    }

    /// `is_function2`.
    pub(crate) fn is_function2(&mut self, fail: Fail, src: Src, arity: Src) {
        let (f, a) = (self.get(src), self.get(arity));
        let ok = match (crate::instr::fun::fun_arity(f), a.as_small()) {
            (Some(n), Some(want)) => n as i64 == want,
            _ => false,
        };
        self.test(fail, ok)
    }

    fn jump_or_fail(&mut self, target: Option<u32>, fail: Fail) -> Step {
        match target.or(fail.target()) {
            Some(t) => {
                self.goto(t);
                Ok(())
            }
            None => Err(Exception::badarg().into()),
        }
    }

    /// `select_val`.
    pub(crate) fn select_val(&mut self, src: Src, fail: Fail, table: u32) -> Step {
        let v = self.get(src);
        let m = self.m;
        let target = match m.selects.get(table as usize) {
            Some(SelectTable::Jump { min, targets }) => v
                .as_small()
                .and_then(|n| n.checked_sub(*min))
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| targets.get(i).copied().flatten()),
            Some(SelectTable::Sorted { keys, targets }) => {
                keys.binary_search(&v.raw()).ok().map(|i| targets[i])
            }
            Some(SelectTable::Linear { keys, targets }) => {
                keys.iter().position(|&k| exact(k, v)).map(|i| targets[i])
            }
            None => None,
        };
        self.jump_or_fail(target, fail)
    }

    /// `select_tuple_arity`.
    pub(crate) fn select_tuple_arity(&mut self, src: Src, fail: Fail, table: u32) -> Step {
        let m = self.m;
        let target = match (self.get(src).as_tuple(), m.selects.get(table as usize)) {
            (Some(t), Some(SelectTable::Sorted { keys, targets })) => keys
                .binary_search(&(t.len() as u64))
                .ok()
                .map(|i| targets[i]),
            _ => None,
        };
        self.jump_or_fail(target, fail)
    }
}
