//! Cons cells and list traversal.
//!
//! A cons cell is two words, `[head, tail]`; a list term points at the head.

use super::Term;

impl Term {
    /// Head and tail of a cons cell, if this is one.
    #[inline]
    pub fn as_cons(self) -> Option<(Term, Term)> {
        if self.is_list() {
            // SAFETY: a list term points at a live two-word cons cell.
            let (h, t) = unsafe { (*self.ptr(), *self.ptr().add(1)) };
            Some((Term::from_raw(h), Term::from_raw(t)))
        } else {
            None
        }
    }

    /// Iterates over the heads of a list; stops at the first tail that is not
    /// a cons cell (check [`ListIter::tail`] for improper lists).
    pub fn list_iter(self) -> ListIter {
        ListIter { rest: self }
    }

    /// The elements of a proper list, or `None` if this is not one.
    pub fn proper_list(self) -> Option<Vec<Term>> {
        let mut it = self.list_iter();
        let v: Vec<Term> = it.by_ref().collect();
        it.tail().is_nil().then_some(v)
    }

    /// Length of a proper list, or `None` if this is not one.
    pub fn list_length(self) -> Option<usize> {
        let mut it = self.list_iter();
        let n = it.by_ref().count();
        it.tail().is_nil().then_some(n)
    }

    /// The string a proper list of Unicode code points spells, if it is one.
    pub fn as_string(self) -> Option<String> {
        let mut s = String::new();
        let mut it = self.list_iter();
        for c in it.by_ref() {
            s.push(char::from_u32(u32::try_from(c.as_small()?).ok()?)?);
        }
        it.tail().is_nil().then_some(s)
    }
}

/// Iterator over the heads of a list.
pub struct ListIter {
    rest: Term,
}

impl ListIter {
    /// What is left: `[]` after a proper list, the improper tail otherwise.
    pub fn tail(&self) -> Term {
        self.rest
    }
}

impl Iterator for ListIter {
    type Item = Term;

    #[inline]
    fn next(&mut self) -> Option<Term> {
        let (h, t) = self.rest.as_cons()?;
        self.rest = t;
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use crate::term::Heap;
    use crate::term::Term;

    #[test]
    fn improper_lists_are_detected() {
        let mut h = Heap::new();
        let l = h.list_with_tail(&[Term::small(1)], Term::small(2));
        assert_eq!(l.proper_list(), None);
        assert_eq!(l.list_length(), None);
        let mut it = l.list_iter();
        assert_eq!(it.next(), Some(Term::small(1)));
        assert_eq!(it.next(), None);
        assert_eq!(it.tail(), Term::small(2));
    }

    #[test]
    fn strings_round_trip() {
        let mut h = Heap::new();
        let s = h.string("héllo");
        assert_eq!(s.as_string().as_deref(), Some("héllo"));
        assert_eq!(s.list_length(), Some(5));
    }
}
