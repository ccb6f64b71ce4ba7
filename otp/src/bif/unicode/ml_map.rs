//! The conversion `unicode.erl` does in Erlang for the encoding pairs
//! BEAM's C code leaves to it (UTF-16, UTF-32, and `latin1` output):
//! `ml_map/3` and its helpers, ported clause by clause so that the
//! `{error, _, Rest}` and `{incomplete, _, _}` results have the same shape.
//! Where the Erlang code raises (a `case_clause`, a failed `list_to_binary`)
//! this returns [`Raised`], which the BIF reports as `badarg`.

use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};
use ibig::IBig;

use super::codec::{decode, encode_char, Encoding, End, Raised};
use crate::bif::helpers::{binary_bytes, to_ibig};

/// Binaries above this size are converted in slices, as `ml_map` does.
const SLICE: usize = 8192;

/// The accumulator of `ml_map`: the output so far, possibly with an
/// incomplete sequence waiting for more bytes.
pub enum Acc {
    /// `Accum`.
    Bin(Vec<u8>),
    /// `{{Incomplete, Missing}, Accum}`.
    Pending(Vec<u8>, usize, Vec<u8>),
}

/// What `ml_map` returns.
pub enum Res {
    /// An accumulator (`{incomplete, ...}` when pending).
    Acc(Acc),
    /// `{error, Converted, Rest}`.
    Error(Vec<u8>, Term),
}

/// The conversion's parameters (`InTrans`, `OutTrans`, `Limit`).
pub struct Ctx {
    /// Input encoding.
    pub from: Encoding,
    /// Output encoding.
    pub to: Encoding,
}

impl Ctx {
    fn limit(&self) -> u32 {
        if self.to == Encoding::Latin1 || self.from == Encoding::Latin1 {
            255
        } else {
            0x10FFFF
        }
    }

    /// `OutTrans(List)` where it must succeed.
    fn out(&self, chars: &[u32], acc: &mut Vec<u8>) -> Result<(), Raised> {
        for &c in chars {
            encode_char(self.to, i128::from(c), acc).ok_or(Raised)?;
        }
        Ok(())
    }
}

enum BinRes {
    Bin(Vec<u8>),
    Incomplete(Vec<u8>, Term, usize),
    Error(Vec<u8>, Term),
}

/// The fun's binary clause: decode, encode, append.
fn fun_bin(p: &mut Process, ctx: &Ctx, part: &[u8], mut acc: Vec<u8>) -> Result<BinRes, Raised> {
    let (chars, end) = decode(ctx.from, part, ctx.to == Encoding::Latin1)?;
    ctx.out(&chars, &mut acc)?;
    Ok(match end {
        End::Done => BinRes::Bin(acc),
        End::Error(i) => BinRes::Error(acc, p.heap.binary(&part[i..])),
        End::Incomplete(i, missing) => BinRes::Incomplete(acc, p.heap.binary(&part[i..]), missing),
    })
}

/// The new accumulator, or the accumulator and the rest `[Part]`.
type IntRes = Result<Vec<u8>, (Vec<u8>, Term)>;

/// The fun's integer clause: `Ok` with the new accumulator or `Err` with
/// the accumulator and the rest `[Part]`.
fn fun_int(p: &mut Process, ctx: &Ctx, part: Term, mut acc: Vec<u8>) -> Result<IntRes, Raised> {
    let v = to_ibig(part).ok_or(Raised)?;
    if v <= IBig::from(ctx.limit()) {
        let c = i128::try_from(&v).unwrap_or(i128::MIN);
        let before = acc.len();
        if encode_char(ctx.to, c, &mut acc).is_some() {
            return Ok(Ok(acc));
        }
        // `list_to_binary([Part])` raises; the UTF encoders return an error.
        if ctx.to == Encoding::Latin1 {
            return Err(Raised);
        }
        acc.truncate(before);
    }
    let rest = p.heap.list(&[part]);
    Ok(Err((acc, rest)))
}

/// `Rest` as the callers of a nested `ml_map` pass it up: consed onto
/// each level's tail, innermost first.
fn wrap(p: &mut Process, rest: Term, tails: &[Term]) -> Term {
    tails.iter().rev().fold(rest, |r, &tl| p.heap.cons(r, tl))
}

/// `ml_map(Term, Fun, Acc)`. The Erlang function recurses into nested
/// lists; this keeps the outer tails on a stack instead.
pub fn ml_map(p: &mut Process, ctx: &Ctx, data: Term, acc: Acc) -> Result<Res, Raised> {
    let mut t = data;
    let mut acc = acc;
    let mut tails: Vec<Term> = Vec::new();
    loop {
        match t.kind() {
            Kind::Nil => match tails.pop() {
                Some(tl) => t = tl,
                None => return Ok(Res::Acc(acc)),
            },
            Kind::List => {
                let (h, tl) = t.as_cons().ok_or(Raised)?;
                match h.kind() {
                    Kind::Small | Kind::Big => match acc {
                        Acc::Pending(inc, _, a) => {
                            let inc = p.heap.binary(&inc);
                            let rest = p.heap.cons(inc, t);
                            return Ok(Res::Error(a, wrap(p, rest, &tails)));
                        }
                        Acc::Bin(a) => match fun_int(p, ctx, h, a)? {
                            Ok(a) => {
                                acc = Acc::Bin(a);
                                t = tl;
                            }
                            Err((a, rest)) => {
                                let rest = p.heap.cons(rest, tl);
                                return Ok(Res::Error(a, wrap(p, rest, &tails)));
                            }
                        },
                    },
                    Kind::Binary => {
                        let part = binary_bytes(h).ok_or(Raised)?;
                        match acc {
                            Acc::Pending(mut inc, missing, a) => {
                                if part.len() >= missing {
                                    inc.extend_from_slice(&part[..missing]);
                                    let new_part = p.heap.binary(&inc);
                                    let trailing = p.heap.binary(&part[missing..]);
                                    t = p.heap.list_with_tail(&[new_part, trailing], tl);
                                    acc = Acc::Bin(a);
                                } else {
                                    inc.extend_from_slice(&part);
                                    acc = Acc::Pending(inc, missing - part.len(), a);
                                    t = tl;
                                }
                            }
                            Acc::Bin(a) if part.len() > SLICE => {
                                let p1 = p.heap.binary(&part[..SLICE]);
                                let p2 = p.heap.binary(&part[SLICE..]);
                                t = p.heap.list_with_tail(&[p1, p2], tl);
                                acc = Acc::Bin(a);
                            }
                            Acc::Bin(a) => match fun_bin(p, ctx, &part, a)? {
                                BinRes::Bin(a) => {
                                    acc = Acc::Bin(a);
                                    t = tl;
                                }
                                BinRes::Incomplete(a, rest, missing) => {
                                    let rest = binary_bytes(rest).ok_or(Raised)?;
                                    acc = Acc::Pending(rest, missing, a);
                                    t = tl;
                                }
                                BinRes::Error(a, rest) => {
                                    let rest = p.heap.cons(rest, tl);
                                    return Ok(Res::Error(a, wrap(p, rest, &tails)));
                                }
                            },
                        }
                    }
                    Kind::List | Kind::Nil => {
                        tails.push(tl);
                        t = h;
                    }
                    _ => return Err(Raised),
                }
            }
            Kind::Binary => {
                let part = binary_bytes(t).ok_or(Raised)?;
                match acc {
                    Acc::Pending(inc, missing, a) => {
                        if part.len() >= missing {
                            let inc = p.heap.binary(&inc);
                            t = p.heap.list(&[inc, t]);
                            acc = Acc::Bin(a);
                        } else {
                            let mut inc = inc;
                            inc.extend_from_slice(&part);
                            acc = Acc::Pending(inc, missing - part.len(), a);
                            match tails.pop() {
                                Some(tl) => t = tl,
                                None => return Ok(Res::Acc(acc)),
                            }
                        }
                    }
                    Acc::Bin(a) if part.len() > SLICE => {
                        let p1 = p.heap.binary(&part[..SLICE]);
                        let p2 = p.heap.binary(&part[SLICE..]);
                        t = p.heap.list(&[p1, p2]);
                        acc = Acc::Bin(a);
                    }
                    Acc::Bin(a) => {
                        acc = match fun_bin(p, ctx, &part, a)? {
                            BinRes::Bin(a) => Acc::Bin(a),
                            BinRes::Incomplete(a, rest, missing) => {
                                let rest = binary_bytes(rest).ok_or(Raised)?;
                                Acc::Pending(rest, missing, a)
                            }
                            BinRes::Error(a, rest) => {
                                return Ok(Res::Error(a, wrap(p, rest, &tails)))
                            }
                        };
                        match tails.pop() {
                            Some(tl) => t = tl,
                            None => return Ok(Res::Acc(acc)),
                        }
                    }
                }
            }
            _ => return Err(Raised),
        }
    }
}
