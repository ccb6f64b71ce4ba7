//! The conversion BEAM does in C (`erl_unicode.c`): chardata in `latin1`
//! or UTF-8 to code points, for `characters_to_binary/2` and
//! `characters_to_list/2`.
//!
//! It follows the C code's shape because the shape of its results is part
//! of the API. The whole input is type-checked first (`utf8_need`), so a
//! non-character anywhere is `badarg` even after an invalid byte. The walk
//! then keeps a UTF-8 sequence cut off at a binary's end as "leftover"
//! bytes, whatever they are, and completes them from the next binary; an
//! integer after leftover bytes is an error. On an error the rest is the
//! failing element (or what is left of its binary) consed onto each list
//! level's tail, innermost first, with `[Leftover, Rest]` around it when
//! bytes were left over; leftover bytes at the end are `incomplete` when
//! they could start a sequence, else an error, and are the rest alone.
//! A plain binary given to `characters_to_list/2` as UTF-8 is decoded on
//! its own path ([`binary_to_list`]), as BEAM's `utf8_to_list`.

use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

use super::codec::utf8_char;
use crate::bif::helpers::binary_bytes;

/// The outcome of a conversion.
pub enum Converted {
    /// Every character.
    Ok(Vec<u32>),
    /// The characters before an invalid one, and the rest from there.
    Error(Vec<u32>, Term),
    /// The characters before a sequence cut off at the end, and its bytes.
    Incomplete(Vec<u32>, Term),
}

/// The length of the UTF-8 sequence `first` starts, as BEAM's `utf8_len`
/// classifies lead bytes (`C0`, `C1` and `F5`-`F7` included); `None` for a
/// continuation byte or `F8`-`FF`.
fn utf8_len(first: u8) -> Option<usize> {
    match first {
        0x00..=0x7F => Some(1),
        0xC0..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF7 => Some(4),
        _ => None,
    }
}

/// BEAM's `check_leftovers`: whether bytes cut off at the end could still
/// be completed (`incomplete`) rather than being an error.
fn could_complete(b: &[u8]) -> bool {
    let cont = |i: usize| b.get(i).is_some_and(|x| x & 0xC0 == 0x80);
    match b.first() {
        Some(0xC0..=0xDF) => true,
        Some(0xE0..=0xEF) => b.len() < 2 || (b.len() < 3 && cont(1)),
        Some(0xF0..=0xF7) => {
            b.len() < 2 || (b.len() < 3 && cont(1)) || (b.len() < 4 && cont(1) && cont(2))
        }
        _ => false,
    }
}

/// Whether `t` is chardata BEAM's `utf8_need` accepts: lists (improper
/// ones ending in a binary) of integers, binaries and such lists.
/// Integers are not range-checked here: a bad one (a bignum too) is an
/// error later, not `badarg`.
fn is_chardata(t: Term) -> bool {
    let aligned = |t: Term| t.as_bits().is_some_and(|b| b.bit_size % 8 == 0);
    match t.kind() {
        Kind::Nil => return true,
        Kind::Binary => return aligned(t),
        Kind::List => {}
        _ => return false,
    }
    let mut stack = vec![t];
    while let Some(mut l) = stack.pop() {
        while let Some((h, tl)) = l.as_cons() {
            match h.kind() {
                Kind::Small | Kind::Big | Kind::Nil => {}
                Kind::List => stack.push(h),
                Kind::Binary if aligned(h) => {}
                _ => return false,
            }
            l = tl;
        }
        match l.kind() {
            Kind::Nil => {}
            Kind::Binary if aligned(l) => {}
            _ => return false,
        }
    }
    true
}

struct Walk<'p> {
    p: &'p mut Process,
    latin1: bool,
    chars: Vec<u32>,
    /// The bytes of a sequence cut off at the end of a binary.
    leftover: Vec<u8>,
}

impl Walk<'_> {
    /// The rest when `elem` fails inside the levels `frames`.
    fn fold(&mut self, elem: Term, frames: &[Term]) -> Term {
        frames
            .iter()
            .rev()
            .fold(elem, |r, &tail| self.p.heap.cons(r, tail))
    }

    /// Converts the integer at the head of `cell`; the rest on an error.
    fn int(&mut self, h: Term, cell: Term, frames: &[Term]) -> Result<(), Term> {
        let max = if self.latin1 { 255 } else { 0x10FFFF };
        let ok = h
            .as_small()
            .filter(|c| (0..=max).contains(c) && !(0xD800..=0xDFFF).contains(c));
        match ok {
            Some(c) if self.leftover.is_empty() => {
                self.chars.push(c as u32);
                Ok(())
            }
            _ => Err(self.fold(cell, &frames[..frames.len() - 1])),
        }
    }

    /// Converts a binary; on an error, the binary's rest from the failing
    /// sequence (the whole binary if it fails to complete leftover bytes).
    fn binary(&mut self, t: Term) -> Result<(), Term> {
        let Some(bytes) = binary_bytes(t) else {
            return Err(t);
        };
        if self.latin1 {
            self.chars.extend(bytes.iter().map(|&b| u32::from(b)));
            return Ok(());
        }
        let mut i = 0;
        if let Some(&first) = self.leftover.first() {
            let need = utf8_len(first).unwrap_or(1);
            let from = need - self.leftover.len();
            if bytes.len() < from {
                self.leftover.extend_from_slice(&bytes);
                return Ok(());
            }
            let mut seq = self.leftover.clone();
            seq.extend_from_slice(&bytes[..from]);
            match utf8_char(&seq) {
                Some((c, n)) if n == need => self.chars.push(c),
                _ => return Err(t),
            }
            self.leftover.clear();
            i = from;
        }
        while i < bytes.len() {
            let n = utf8_len(bytes[i]);
            if let Some(n) = n.filter(|&n| n > 1 && bytes.len() - i < n) {
                debug_assert!(n > bytes.len() - i);
                self.leftover = bytes[i..].to_vec();
                return Ok(());
            }
            match n.and_then(|n| utf8_char(&bytes[i..i + n])) {
                Some((c, len)) => {
                    self.chars.push(c);
                    i += len;
                }
                None => return Err(self.p.heap.binary(&bytes[i..])),
            }
        }
        Ok(())
    }

    /// Walks `data`; the rest from the first error.
    fn run(&mut self, data: Term) -> Result<(), Term> {
        if data.kind() != Kind::List {
            return match data.kind() {
                Kind::Nil => Ok(()),
                _ => self.binary(data),
            };
        }
        let mut frames = vec![data];
        while let Some(&top) = frames.last() {
            match top.as_cons() {
                Some((h, tl)) => match h.kind() {
                    Kind::List | Kind::Nil => {
                        if let Some(last) = frames.last_mut() {
                            *last = tl;
                        }
                        frames.push(h);
                    }
                    Kind::Binary => {
                        if let Some(last) = frames.last_mut() {
                            *last = tl;
                        }
                        if let Err(rest) = self.binary(h) {
                            return Err(self.fold(rest, &frames));
                        }
                    }
                    _ => {
                        self.int(h, top, &frames)?;
                        if let Some(last) = frames.last_mut() {
                            *last = tl;
                        }
                    }
                },
                None => {
                    frames.pop();
                    if top.kind() == Kind::Binary {
                        if let Err(rest) = self.binary(top) {
                            return Err(self.fold(rest, &frames));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Converts `data` (chardata in `latin1`, or UTF-8 when `latin1` is
/// false); `None` if it is not chardata (`badarg`).
pub fn convert(p: &mut Process, data: Term, latin1: bool) -> Option<Converted> {
    if !is_chardata(data) {
        return None;
    }
    let mut w = Walk {
        p,
        latin1,
        chars: Vec::new(),
        leftover: Vec::new(),
    };
    let res = w.run(data);
    let leftover = std::mem::take(&mut w.leftover);
    Some(match res {
        Err(rest) if leftover.is_empty() => Converted::Error(w.chars, rest),
        Err(rest) => {
            let b = w.p.heap.binary(&leftover);
            let rest = w.p.heap.list(&[b, rest]);
            Converted::Error(w.chars, rest)
        }
        Ok(()) if leftover.is_empty() => Converted::Ok(w.chars),
        Ok(()) => {
            let b = w.p.heap.binary(&leftover);
            if could_complete(&leftover) {
                Converted::Incomplete(w.chars, b)
            } else {
                Converted::Error(w.chars, b)
            }
        }
    })
}

/// `characters_to_list(Binary, unicode)`: BEAM decodes a plain binary on
/// its own path, where a sequence cut short by the binary's end is judged
/// by its bytes (`incomplete` or an error). `bin` holds whole bytes.
pub fn binary_to_list(p: &mut Process, bin: Term) -> Converted {
    let bytes = binary_bytes(bin).unwrap_or_default();
    let mut chars = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let n = utf8_len(bytes[i]);
        if n.is_some_and(|n| bytes.len() - i < n) {
            let rest = p.heap.binary(&bytes[i..]);
            return if could_complete(&bytes[i..]) {
                Converted::Incomplete(chars, rest)
            } else {
                Converted::Error(chars, rest)
            };
        }
        match n.and_then(|n| utf8_char(&bytes[i..i + n])) {
            Some((c, len)) => {
                chars.push(c);
                i += len;
            }
            None => return Converted::Error(chars, p.heap.binary(&bytes[i..])),
        }
    }
    Converted::Ok(chars)
}
