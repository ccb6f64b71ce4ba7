//! Data movement, stack frames, lists and tuples.

use enigma_vm::code::{Instr, Move2Regs, Reg, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::Term;

use crate::regs::XBase;
use crate::run::{Run, Step};

impl Run<'_> {
    /// Register `i`, a Y register if `Y`.
    #[inline(always)]
    pub(crate) fn reg_in<const Y: bool>(&self, xs: XBase, i: u16) -> Term {
        if Y {
            self.y(i as usize)
        } else {
            xs.get(i as usize)
        }
    }

    /// Writes register `i`, a Y register if `Y`.
    #[inline(always)]
    pub(crate) fn set_in<const Y: bool>(&mut self, xs: XBase, i: u16, t: Term) {
        if Y {
            self.set_y(i as usize, t)
        } else {
            xs.set(i as usize, t)
        }
    }

    /// Two register moves whose shape the loader fixed (`Instr::move2`):
    /// `S1`, `D1`, `S2`, `D2` tell which registers are Y registers.
    /// `r` by reference: each number is then loaded where it is used (one
    /// `movzx` each), not as one word taken apart with shifts.
    #[inline(always)]
    pub(crate) fn move2<const S1: bool, const D1: bool, const S2: bool, const D2: bool>(
        &mut self,
        xs: XBase,
        r: &Move2Regs,
    ) {
        let t = self.reg_in::<S1>(xs, r.src1);
        self.set_in::<D1>(xs, r.dst1, t);
        let t = self.reg_in::<S2>(xs, r.src2);
        self.set_in::<D2>(xs, r.dst2, t);
    }

    /// `init_yregs`.
    pub(crate) fn init_yregs(&mut self, regs: Span) {
        let m = self.m;
        for &r in &m.operands[regs.range()] {
            if let Some(r) = r.as_reg() {
                self.set(r, Term::NIL);
            }
        }
    }

    /// `swap`.
    #[inline(always)]
    pub(crate) fn swap(&mut self, a: Reg, b: Reg) {
        let (ta, tb) = (self.get(Src::reg(a)), self.get(Src::reg(b)));
        self.set(a, tb);
        self.set(b, ta);
    }

    // The four below return whether `src` was what they read (`badarg`
    // otherwise, raised by the instruction loop), not a `Step`: a result
    // the loop tests stays in a register.

    /// `get_list`.
    #[inline(always)]
    pub(crate) fn get_list(&mut self, src: Src, head: Reg, tail: Reg) -> bool {
        let Some((h, t)) = self.get(src).as_cons() else {
            return false;
        };
        self.set(head, h);
        self.set(tail, t);
        true
    }

    /// `get_hd`.
    #[inline(always)]
    pub(crate) fn get_hd(&mut self, src: Src, dst: Reg) -> bool {
        let Some((h, _)) = self.get(src).as_cons() else {
            return false;
        };
        self.set(dst, h);
        true
    }

    /// `get_tl`.
    #[inline(always)]
    pub(crate) fn get_tl(&mut self, src: Src, dst: Reg) -> bool {
        let Some((_, t)) = self.get(src).as_cons() else {
            return false;
        };
        self.set(dst, t);
        true
    }

    /// `get_tuple_element`.
    #[inline(always)]
    pub(crate) fn get_tuple_element(&mut self, src: Src, index: u32, dst: Reg) -> bool {
        let Some(e) = self.get(src).as_tuple().and_then(|t| t.get(index as usize)) else {
            return false;
        };
        self.set(dst, e);
        true
    }

    /// `Instr::GetPairXX`: two consecutive elements of a tuple in an X
    /// register.
    #[inline(always)]
    pub(crate) fn get_pair_xx(&mut self, instr: &Instr) -> bool {
        let Instr::GetPairXX {
            src,
            index,
            dst0,
            dst1,
        } = *instr
        else {
            return false;
        };
        let i = index as usize;
        let Some(t) = self.xr(src as usize).as_tuple().filter(|t| i + 1 < t.len()) else {
            return false;
        };
        let e = t.elements();
        self.set_xr(dst0 as usize, e[i]);
        self.set_xr(dst1 as usize, e[i + 1]);
        true
    }

    /// `set_tuple_element` (on a tuple the code just built).
    pub(crate) fn set_tuple_element(&mut self, value: Src, tuple: Src, index: u32) -> Step {
        let (v, t) = (self.get(value), self.get(tuple));
        match t.as_tuple() {
            Some(tup) if (index as usize) < tup.len() => {
                self.p.heap.set_tuple_element(t, index as usize, v);
                Ok(())
            }
            _ => Err(Exception::badarg().into()),
        }
    }

    /// `put_list`.
    #[inline(always)]
    pub(crate) fn put_list(&mut self, head: Src, tail: Src, dst: Reg) {
        let (h, t) = (self.get(head), self.get(tail));
        let c = self.p.heap.cons(h, t);
        self.set(dst, c)
    }

    /// `put_tuple2`.
    pub(crate) fn put_tuple2(&mut self, dst: Reg, elements: Span) {
        let m = self.m;
        let srcs = &m.operands[elements.range()];
        // Elements are read into a stack array, then allocated and copied
        // at once (binary-trees: 173 instructions per pair before, as a
        // tuple filled with `[]` and then set element by element); pairs
        // and triples with a copy of constant length.
        let t = match *srcs {
            [a, b] => {
                let e = [self.get(a), self.get(b)];
                self.p.heap.tuple(&e)
            }
            [a, b, c] => {
                let e = [self.get(a), self.get(b), self.get(c)];
                self.p.heap.tuple(&e)
            }
            _ => self.put_tuple_any(srcs),
        };
        self.set(dst, t);
    }

    /// `test_heap | put_tuple2` of a pair (`Instr::TestHeapPutPair`):
    /// the elements are read after the safe point, which may move them;
    /// `budget` is the instruction loop's ([`Run::safe_point_in`]).
    #[inline(always)]
    pub(crate) fn test_heap_put_pair(
        &mut self,
        budget: &mut i64,
        live: u16,
        dst: Reg,
        a: Src,
        b: Src,
    ) {
        let t = self.test_heap_pair(budget, u32::from(live), |r| [r.get(a), r.get(b)]);
        self.set(dst, t);
    }

    /// A tuple of any arity, for `put_tuple2`.
    fn put_tuple_any(&mut self, srcs: &[Src]) -> Term {
        if srcs.len() <= SMALL_TUPLE {
            let mut e = [Term::NIL; SMALL_TUPLE];
            for (e, &s) in e.iter_mut().zip(srcs) {
                *e = self.get(s);
            }
            self.p.heap.tuple(&e[..srcs.len()])
        } else {
            // Built in place, without a temporary array: reading an element
            // after the tuple is allocated is safe, as allocation moves
            // nothing.
            let t = self.p.heap.tuple_filled(srcs.len(), Term::NIL);
            for (i, &s) in srcs.iter().enumerate() {
                let v = self.get(s);
                self.p.heap.set_tuple_element(t, i, v);
            }
            t
        }
    }
}

/// The largest tuple `put_tuple2` builds from a stack array.
const SMALL_TUPLE: usize = 8;
