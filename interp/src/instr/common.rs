//! Data movement, stack frames, lists and tuples.

use enigma_vm::code::{Reg, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::Term;

use crate::run::{Run, Step};

impl Run<'_> {
    /// `allocate*`: pushes `words` Y slots (cleared: there is no collector
    /// yet that could misread a stale slot, but `catch` scanning could).
    #[inline(always)]
    pub(crate) fn allocate(&mut self, words: u32) {
        let s = &mut self.p.stack;
        s.resize(s.len() + words as usize, Term::NIL);
    }

    /// `deallocate` / `trim`: pops `words` Y slots (y0 first).
    #[inline(always)]
    pub(crate) fn deallocate(&mut self, words: u32) {
        let s = &mut self.p.stack;
        s.truncate(s.len().saturating_sub(words as usize));
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
        let srcs = &self.m.operands[elements.range()];
        // Built in place, without a temporary array (binary-trees spent 7%
        // of its instructions collecting the elements into one): reading
        // an element after the tuple is allocated is safe, as allocation
        // moves nothing.
        let t = self.p.heap.tuple_filled(srcs.len(), Term::NIL);
        for (i, &s) in srcs.iter().enumerate() {
            let v = self.get(s);
            self.p.heap.set_tuple_element(t, i, v);
        }
        self.set(dst, t);
    }
}
