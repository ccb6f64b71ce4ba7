//! Stack frames on the process's Erlang stack (`Process::stack`, a `Vec`
//! growing upward, y0 on top): `allocate` pushes a frame of Y slots
//! without `Vec::resize`'s general fill loop.
//!
//! The `unsafe` here: the new slots are written into the reserved
//! capacity, then the length is set over them.

use enigma_vm::term::Term;

/// Pushes `n` slots holding `[]` (the collector scans every stack word as
/// a term, so a fresh Y slot must hold one before anything reads it).
#[inline(always)]
pub(crate) fn push_nils(s: &mut Vec<Term>, n: usize) {
    let len = s.len();
    if s.capacity() - len < n {
        grow(s, n);
    }
    let end = len + n;
    let base = s.as_mut_ptr();
    // A plain loop over the new words: frames are small (one or two
    // slots are the common case), so no vectorised fill.
    let mut i = len;
    while i < end {
        // SAFETY: `i < len + n <= capacity` (reserved above): the write
        // stays in the buffer, past the initialised part.
        unsafe { base.add(i).write(Term::NIL) };
        i += 1;
    }
    // SAFETY: `end` is within the capacity and the words from `len` to
    // `end` were initialised by the loop just before.
    unsafe { s.set_len(end) }
}

/// Makes room for `n` more words: the stack grows rarely, so out of line.
#[cold]
#[inline(never)]
fn grow(s: &mut Vec<Term>, n: usize) {
    s.reserve(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_nils_and_grows() {
        let mut s = vec![Term::small(7)];
        push_nils(&mut s, 0);
        assert_eq!(s, [Term::small(7)]);
        for n in [1, 2, 3, 17, 1000] {
            let before = s.len();
            push_nils(&mut s, n);
            assert_eq!(s.len(), before + n);
            assert!(s[before..].iter().all(|&t| t == Term::NIL));
        }
        assert_eq!(s[0], Term::small(7));
    }
}
