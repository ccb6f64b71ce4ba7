//! HELPER: functions compiled code calls out to, for library calls whose
//! result is known (`lists:reverse/1`). With `exec`, the crate's only
//! `unsafe`: a helper is handed the seam as a raw pointer (the C calling
//! convention of traces) and writes new terms at its heap top, in the
//! room the heap gave the trace (`Seam::hlimit`).

#![allow(unsafe_code)]

use enigma_interp::seam::Seam;
use enigma_vm::term::binary::{heap_binary_words, write_heap_binary};
use enigma_vm::term::{Term, TAG_LIST};

/// `lists:reverse/1` of `list` (a raw term), written at the seam's heap
/// top, which moves up past it. Returns the raw result, or 0 (no term is
/// 0) leaving the heap top where it was when `list` is not a proper list
/// or the room up to `hlimit` is too small: the trace then exits to the
/// `call_ext`, where the interpreter calls the function (and collects, or
/// raises).
pub(crate) extern "C" fn reverse(seam: *mut Seam, list: u64) -> u64 {
    // SAFETY: compiled code passes the seam it runs on, which is valid
    // and which nothing else touches while the trace runs.
    let seam = unsafe { &mut *seam };
    // One pass: each cell is written at the next two words above the
    // heap top, its tail the cell before; the top moves only when the
    // list ended properly within the room (what was written above it
    // otherwise is free space again). `last` is the highest address a
    // cell may start at, so each cell tests its room with one compare; an
    // `hlimit` below one cell's bytes leaves room for none.
    let Some(last) = (seam.hlimit as usize).checked_sub(16) else {
        return if list == Term::NIL.raw() { list } else { 0 };
    };
    let mut at = seam.htop;
    let (mut rest, mut acc) = (list, Term::NIL.raw());
    while rest != Term::NIL.raw() {
        // A list term is its cell's address plus its tag: with the tag
        // taken off, the low bits are zero for a list and only for one.
        let cell = rest.wrapping_sub(TAG_LIST);
        if cell & 0b11 != 0 || at as usize > last {
            return 0;
        }
        let cell = cell as *const u64;
        // SAFETY: `rest` is a list term, so `cell` is a two-word cons cell
        // on a heap the process owns; `at .. at + 2` lies below `hlimit`
        // (checked above), in the room the heap handed the trace, which
        // nothing else uses.
        unsafe {
            *at = *cell;
            *at.add(1) = acc;
            rest = *cell.add(1);
        }
        acc = Term::list_ptr(at).raw();
        at = at.wrapping_add(2);
    }
    seam.htop = at;
    acc
}

/// The `bits` bits at bit `pos` of the bitstring the match context `ctx`
/// (a raw term) matches, at most 64 whole bytes (the JIT's
/// `Op::SubBinary` checked), copied into a heap binary written at the
/// seam's heap top, which moves up past it; BEAM copies such pieces
/// (`Heap::sub_binary`). Returns the raw binary. The heap check before
/// the op left room for the largest (`record::bits::PIECE_WORDS`).
pub(crate) extern "C" fn copy_piece(seam: *mut Seam, ctx: u64, pos: u64, bits: u64) -> u64 {
    // SAFETY: compiled code passes the seam it runs on, which is valid
    // and which nothing else touches while the trace runs.
    let seam = unsafe { &mut *seam };
    let piece = Term::from_raw(ctx)
        .as_match_state()
        .and_then(|ms| ms.binary().as_bits())
        .and_then(|b| b.slice(pos as usize, bits as usize));
    let Some(piece) = piece else {
        // The trace guarded the context and the segment's room before.
        unreachable!("a piece outside its match context");
    };
    let words = heap_binary_words(piece.bit_size / 8);
    // SAFETY: the heap check before the op guaranteed room up to
    // `hlimit` for the largest piece, which nothing else uses; every word
    // is written by `write_heap_binary` before anything reads it.
    let slot = unsafe { std::slice::from_raw_parts_mut(seam.htop, words) };
    let t = write_heap_binary(slot, piece);
    seam.htop = seam.htop.wrapping_add(words);
    t.raw()
}

#[cfg(test)]
mod tests {
    use enigma_vm::term::{Heap, Term};

    /// Reverses `list` into a heap area of `room` words: the result and
    /// the words taken.
    fn reverse_in(list: Term, room: usize) -> (u64, usize) {
        let mut area = vec![0u64; room];
        let mut s = crate::nested::tests::seam();
        s.htop = area.as_mut_ptr();
        s.hlimit = s.htop.wrapping_add(room);
        let r = super::reverse(&mut s, list.raw());
        (r, (s.htop as usize - area.as_ptr() as usize) / 8)
    }

    #[test]
    fn reverses_into_the_room_or_makes_nothing() {
        let mut heap = Heap::new();
        let items = [Term::small(1), Term::small(2), Term::small(3)];
        let list = heap.list(&items);
        let mut area = vec![0u64; 6];
        let mut s = crate::nested::tests::seam();
        s.htop = area.as_mut_ptr();
        s.hlimit = s.htop.wrapping_add(6);
        let r = Term::from_raw(super::reverse(&mut s, list.raw()));
        let mut back = items.to_vec();
        back.reverse();
        assert_eq!(r.proper_list(), Some(back));
        assert_eq!(s.htop, s.hlimit);
        assert_eq!(reverse_in(list, 5), (0, 0));
        assert_eq!(reverse_in(Term::NIL, 0), (Term::NIL.raw(), 0));
        let improper = heap.list_with_tail(&items, Term::small(4));
        assert_eq!(reverse_in(improper, 100), (0, 0));
        assert_eq!(reverse_in(Term::small(4), 100), (0, 0));
    }
}
