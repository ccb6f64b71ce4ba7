//! The conversion BEAM does in C (`erl_unicode.c`): chardata in `latin1`
//! or UTF-8 to code points, for `characters_to_binary/2` and
//! `characters_to_list/2`.
//!
//! The walk is iterative. Each level of list nesting keeps the tail after
//! the element being converted; when an element fails, the rest is that
//! element (or what is left of its binary) consed onto each level's tail,
//! innermost first, which is the shape BEAM returns. A UTF-8 sequence may
//! continue in the next binary; if something else comes next, the rest
//! is `[CutOffBytes, RestFromThere]`.

use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

use super::codec::{utf8_char, Encoding};
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

/// Bytes of a UTF-8 sequence still waiting for their continuation.
struct Pending {
    bytes: Vec<u8>,
    missing: usize,
}

struct Walk<'p> {
    p: &'p mut Process,
    latin1: bool,
    chars: Vec<u32>,
    pending: Option<Pending>,
}

/// Why the walk stopped early.
enum Stop {
    /// Not chardata: `badarg`.
    BadArg,
    /// An invalid character; the rest of the data.
    Error(Term),
}

impl Walk<'_> {
    /// The rest when `elem` fails inside the levels `frames`.
    fn fold(&mut self, elem: Term, frames: &[Term]) -> Term {
        frames
            .iter()
            .rev()
            .fold(elem, |r, &tail| self.p.heap.cons(r, tail))
    }

    /// `[Pending, Rest]` when bytes are pending, else `rest`.
    fn with_pending(&mut self, rest: Term) -> Term {
        match self.pending.take() {
            Some(pend) => {
                let b = self.p.heap.binary(&pend.bytes);
                self.p.heap.list(&[b, rest])
            }
            None => rest,
        }
    }

    fn int(&mut self, t: Term, frames: &[Term]) -> Result<(), Stop> {
        let max = if self.latin1 { 255 } else { 0x10FFFF };
        let ok = t
            .as_small()
            .filter(|c| (0..=max).contains(c) && !(0xD800..=0xDFFF).contains(c));
        if self.pending.is_some() || ok.is_none() {
            let r = self.fold(t, frames);
            return Err(Stop::Error(self.with_pending(r)));
        }
        self.chars.extend(ok.map(|c| c as u32));
        Ok(())
    }

    fn binary(&mut self, t: Term, frames: &[Term]) -> Result<(), Stop> {
        let bytes = binary_bytes(t).ok_or(Stop::BadArg)?;
        if self.latin1 {
            self.chars.extend(bytes.iter().map(|&b| u32::from(b)));
            return Ok(());
        }
        let mut i = 0;
        if let Some(mut pend) = self.pending.take() {
            // BEAM takes the bytes the sequence still needs from the next
            // binaries, whatever they are, before judging it.
            if bytes.len() < pend.missing {
                pend.bytes.extend_from_slice(&bytes);
                pend.missing -= bytes.len();
                self.pending = Some(pend);
                return Ok(());
            }
            let mut seq = pend.bytes.clone();
            seq.extend_from_slice(&bytes[..pend.missing]);
            match utf8_char(&seq) {
                Some((c, n)) if n == seq.len() => {
                    self.chars.push(c);
                    i = pend.missing;
                }
                _ => {
                    self.pending = Some(pend);
                    let r = self.fold(t, frames);
                    return Err(Stop::Error(self.with_pending(r)));
                }
            }
        }
        while i < bytes.len() {
            match utf8_char(&bytes[i..]) {
                Some((c, n)) => {
                    self.chars.push(c);
                    i += n;
                }
                None => {
                    if let Some(missing) = incomplete(&bytes[i..]) {
                        self.pending = Some(Pending {
                            bytes: bytes[i..].to_vec(),
                            missing,
                        });
                        return Ok(());
                    }
                    let sub = self.p.heap.binary(&bytes[i..]);
                    return Err(Stop::Error(self.fold(sub, frames)));
                }
            }
        }
        Ok(())
    }

    fn run(&mut self, data: Term) -> Result<(), Stop> {
        if data.kind() == Kind::Binary {
            return self.binary(data, &[]);
        }
        if !matches!(data.kind(), Kind::List | Kind::Nil) {
            return Err(Stop::BadArg);
        }
        let mut frames = vec![data];
        while let Some(&top) = frames.last() {
            match top.kind() {
                Kind::Nil => {
                    frames.pop();
                }
                Kind::List => {
                    let (h, tl) = top.as_cons().ok_or(Stop::BadArg)?;
                    if let Some(last) = frames.last_mut() {
                        *last = tl;
                    }
                    match h.kind() {
                        Kind::Small | Kind::Big => self.int(h, &frames)?,
                        Kind::Binary => self.binary(h, &frames)?,
                        Kind::List | Kind::Nil => frames.push(h),
                        _ => return Err(Stop::BadArg),
                    }
                }
                Kind::Binary => {
                    frames.pop();
                    self.binary(top, &frames)?;
                }
                _ => return Err(Stop::BadArg),
            }
        }
        Ok(())
    }
}

/// How many bytes would complete the UTF-8 tail `b`, if some could.
fn incomplete(b: &[u8]) -> Option<usize> {
    let need = match b.first()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    (b.len() < need && b[1..].iter().all(|x| x & 0xC0 == 0x80)).then(|| need - b.len())
}

/// Converts `data` (chardata in `enc`, which must be `latin1` or UTF-8);
/// `None` if it is not chardata.
pub fn convert(p: &mut Process, data: Term, enc: Encoding) -> Option<Converted> {
    let mut w = Walk {
        p,
        latin1: enc == Encoding::Latin1,
        chars: Vec::new(),
        pending: None,
    };
    match w.run(data) {
        Ok(()) => Some(match w.pending.take() {
            // Bytes absorbed from later binaries may not continue the
            // sequence; then it is an error, not a cut-off.
            Some(pend) if pend.bytes[1..].iter().all(|b| b & 0xC0 == 0x80) => {
                let b = w.p.heap.binary(&pend.bytes);
                Converted::Incomplete(w.chars, b)
            }
            Some(pend) => {
                let b = w.p.heap.binary(&pend.bytes);
                Converted::Error(w.chars, b)
            }
            None => Converted::Ok(w.chars),
        }),
        Err(Stop::Error(rest)) => Some(Converted::Error(w.chars, rest)),
        Err(Stop::BadArg) => None,
    }
}
