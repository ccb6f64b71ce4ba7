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

    /// `get_list`.
    #[inline(always)]
    pub(crate) fn get_list(&mut self, src: Src, head: Reg, tail: Reg) -> Step {
        let (h, t) = self.get(src).as_cons().ok_or_else(Exception::badarg)?;
        self.set(head, h);
        self.set(tail, t);
        Ok(())
    }

    /// `get_hd`.
    #[inline(always)]
    pub(crate) fn get_hd(&mut self, src: Src, dst: Reg) -> Step {
        let (h, _) = self.get(src).as_cons().ok_or_else(Exception::badarg)?;
        self.set(dst, h);
        Ok(())
    }

    /// `get_tl`.
    #[inline(always)]
    pub(crate) fn get_tl(&mut self, src: Src, dst: Reg) -> Step {
        let (_, t) = self.get(src).as_cons().ok_or_else(Exception::badarg)?;
        self.set(dst, t);
        Ok(())
    }

    /// `get_tuple_element`.
    #[inline(always)]
    pub(crate) fn get_tuple_element(&mut self, src: Src, index: u32, dst: Reg) -> Step {
        let e = self
            .get(src)
            .as_tuple()
            .and_then(|t| t.get(index as usize))
            .ok_or_else(Exception::badarg)?;
        self.set(dst, e);
        Ok(())
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
