//! The `binary` module's BIFs: searching (`match/2,3`, `matches/2,3`,
//! `split/2,3`, `compile_pattern/1`), slicing (`part/2,3`, `at/2`,
//! `first/1`, `last/1`), `copy/1,2`, `list_to_bin/1`,
//! `longest_common_prefix/1`, `longest_common_suffix/1`,
//! `decode_unsigned/1,2`, `encode_unsigned/1,2`, `referenced_byte_size/1`.
//!
//! A search finds, at the leftmost position where any pattern matches, the
//! longest pattern that matches there ([`search`]). A compiled pattern is,
//! as on BEAM, `{bm, Ref}` (one pattern) or `{ac, Ref}` (several), where
//! `Ref` is a magic reference holding the compiled [`Searcher`], reused by
//! every search it is given to.

mod byteset;
mod search;

use std::sync::Arc;

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::{Heap, Term};
use ibig::{IBig, UBig};
use search::Searcher;

use crate::bif::arg::{arity, big_term, entry, index, proper_list};
use crate::bif::num_text::binary_bytes;

/// The `binary` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("compile_pattern", 1, compile_pattern),
    e("match", 2, match2),
    e("match", 3, match3),
    e("matches", 2, matches2),
    e("matches", 3, matches3),
    e("split", 2, split2),
    e("split", 3, split3),
    e("part", 2, part2),
    e("part", 3, part3),
    e("at", 2, at),
    e("first", 1, first),
    e("last", 1, last),
    e("copy", 1, copy1),
    e("copy", 2, copy2),
    e("list_to_bin", 1, list_to_bin),
    e("longest_common_prefix", 1, longest_common_prefix),
    e("longest_common_suffix", 1, longest_common_suffix),
    e("decode_unsigned", 1, decode_unsigned1),
    e("decode_unsigned", 2, decode_unsigned2),
    e("encode_unsigned", 1, encode_unsigned1),
    e("encode_unsigned", 2, encode_unsigned2),
    e("referenced_byte_size", 1, referenced_byte_size),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("binary", name, arity, f)
}

fn badarg() -> Exception {
    Exception::badarg()
}

fn atom(name: &str) -> Result<Term, Exception> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}

/// A binary argument's bytes (a bitstring of whole bytes).
fn bytes<'a>(t: Term) -> Result<std::borrow::Cow<'a, [u8]>, Exception> {
    binary_bytes(t).map_err(|_| badarg())
}

/// The search of a pattern argument: a non-empty binary, a non-empty list
/// of them, or a compiled pattern.
fn search(t: Term) -> Result<Arc<Searcher>, Exception> {
    match t.as_tuple().map(|t| t.elements()) {
        Some(&[tag, r]) => {
            let magic = r.as_magic().ok_or_else(badarg)?;
            let s = magic.get::<Arc<Searcher>>().ok_or_else(badarg)?;
            if tag != kind(s)? {
                return Err(badarg());
            }
            Ok(s.clone())
        }
        Some(_) => Err(badarg()),
        None => build(t).map(Arc::new),
    }
}

/// The tag of a compiled pattern: `bm` for one pattern, `ac` for several.
fn kind(s: &Searcher) -> Result<Term, Exception> {
    atom(if s.is_multi() { "ac" } else { "bm" })
}

/// The searcher for a binary or a non-empty list of non-empty binaries.
fn build(t: Term) -> Result<Searcher, Exception> {
    let items = if t.is_bitstring() {
        vec![t]
    } else {
        proper_list(t)?
    };
    if items.is_empty() {
        return Err(badarg());
    }
    let pats = items
        .into_iter()
        .map(|p| match bytes(p) {
            Ok(b) if !b.is_empty() => Ok(b.into_owned()),
            _ => Err(badarg()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Searcher::new(&pats).ok_or_else(Exception::system_limit)
}

/// A `{Start, Length}` part of a binary of `size` bytes (a negative length
/// reaches back from `Start`), as a byte range.
pub(crate) fn part_range(spec: Term, size: usize) -> Result<(usize, usize), Exception> {
    match spec.as_tuple().map(|t| t.elements()) {
        Some(&[pos, len]) => range(pos, len, size),
        _ => Err(badarg()),
    }
}

/// `Pos, Len` of a binary of `size` bytes, as a byte range.
pub(crate) fn range(pos: Term, len: Term, size: usize) -> Result<(usize, usize), Exception> {
    let (Some(pos), Some(len)) = (pos.as_small(), len.as_small()) else {
        return Err(badarg());
    };
    let (start, end) = if len < 0 {
        (pos + len, pos)
    } else {
        (pos, pos + len)
    };
    if start < 0 || end > size as i64 {
        return Err(badarg());
    }
    Ok((start as usize, end as usize))
}

/// The search options of `match/3`, `matches/3` and `split/3`: the scope,
/// and the flags `global`, `trim` and `trim_all` where `split` allows them.
#[derive(Default)]
struct SearchOptions {
    scope: Option<(usize, usize)>,
    global: bool,
    trim: bool,
    trim_all: bool,
}

fn search_options(opts: Term, size: usize, split: bool) -> Result<SearchOptions, Exception> {
    let mut o = SearchOptions::default();
    // BEAM reads options up to the list's tail without checking it.
    if opts != Term::NIL && opts.as_cons().is_none() {
        return Err(badarg());
    }
    let mut rest = opts;
    while let Some((opt, tail)) = rest.as_cons() {
        rest = tail;
        match opt.as_atom().map(Atom::name) {
            Some("global") if split => o.global = true,
            Some("trim") if split => o.trim = true,
            Some("trim_all") if split => o.trim_all = true,
            Some(_) => return Err(badarg()),
            None => match opt.as_tuple().map(|t| t.elements()) {
                Some(&[k, spec]) if k == atom("scope")? => {
                    o.scope = Some(part_range(spec, size)?);
                }
                _ => return Err(badarg()),
            },
        }
    }
    Ok(o)
}

fn pos_len(heap: &mut Heap, (pos, len): (usize, usize)) -> Term {
    heap.tuple(&[Term::small(pos as i64), Term::small(len as i64)])
}

fn compile_pattern(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pat] = arity(args)?;
    let searcher = build(pat)?;
    let tag = kind(&searcher)?;
    let r = p
        .heap
        .magic_ref(fresh_ref_ids(), Magic::new(Arc::new(searcher)));
    Ok(p.heap.tuple(&[tag, r]))
}

fn do_match(p: &mut Process, subject: Term, pat: Term, opts: Term) -> Result<Term, Exception> {
    let (s, search, _, (from, to)) = prepare(subject, pat, opts, false)?;
    let found = search.and_then(|search| {
        let m = search.find(&s, from, to);
        let end = m.map_or(to, |(pos, len)| pos + len);
        p.charge(search.reductions(end - from));
        m
    });
    match found {
        Some(m) => Ok(pos_len(&mut p.heap, m)),
        None => atom("nomatch"),
    }
}

/// The arguments of a search: the subject's bytes, the searcher, the
/// options and the byte range searched. No searcher when the range ends at
/// 0: BEAM answers then without looking at the pattern, even an invalid
/// one (`binary:split(<<>>, all)` is `[<<>>]`).
type Prepared<'a> = (
    std::borrow::Cow<'a, [u8]>,
    Option<Arc<Searcher>>,
    SearchOptions,
    (usize, usize),
);

fn prepare<'a>(
    subject: Term,
    pat: Term,
    opts: Term,
    split: bool,
) -> Result<Prepared<'a>, Exception> {
    let s = bytes(subject)?;
    let o = search_options(opts, s.len(), split)?;
    let scope = o.scope.unwrap_or((0, s.len()));
    let search = if scope.1 == 0 {
        None
    } else {
        Some(search(pat)?)
    };
    Ok((s, search, o, scope))
}

fn match2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat] = arity(args)?;
    do_match(p, s, pat, Term::NIL)
}

fn match3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat, opts] = arity(args)?;
    do_match(p, s, pat, opts)
}

fn do_matches(p: &mut Process, subject: Term, pat: Term, opts: Term) -> Result<Term, Exception> {
    let (s, search, _, (from, to)) = prepare(subject, pat, opts, false)?;
    let found: Vec<Term> = search
        .map(|search| {
            p.charge(search.reductions(to - from));
            search.find_all(&s, from, to)
        })
        .unwrap_or_default()
        .into_iter()
        .map(|m| pos_len(&mut p.heap, m))
        .collect();
    Ok(p.heap.list(&found))
}

fn matches2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat] = arity(args)?;
    do_matches(p, s, pat, Term::NIL)
}

fn matches3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat, opts] = arity(args)?;
    do_matches(p, s, pat, opts)
}

fn do_split(p: &mut Process, subject: Term, pat: Term, opts: Term) -> Result<Term, Exception> {
    let (s, search, o, (from, to)) = prepare(subject, pat, opts, true)?;
    let Some(search) = search else {
        // BEAM's shortcut: the subject whole, or nothing if it is empty
        // and trimmed.
        let trimmed = s.is_empty() && (o.trim || o.trim_all);
        return Ok(if trimmed {
            Term::NIL
        } else {
            p.heap.list(&[subject])
        });
    };
    // The pieces, as byte ranges of the subject (counted first where that
    // is cheap: the vector then never grows, copying what it holds).
    let pieces = o.global.then(|| search.count_hint(&s, from, to)).flatten();
    let mut ranges = Vec::with_capacity(pieces.map_or(2, |n| n + 1));
    let mut start = 0;
    let mut cut = |pos: usize, len: usize| {
        ranges.push((start, pos));
        start = pos + len;
    };
    if o.global {
        p.charge(search.reductions(to - from));
        search.each(&s, from, to, cut);
    } else {
        let m = search.find(&s, from, to);
        let end = m.map_or(to, |(pos, len)| pos + len);
        p.charge(search.reductions(end - from));
        if let Some((pos, len)) = m {
            cut(pos, len);
        }
    }
    ranges.push((start, s.len()));
    if o.trim_all {
        ranges.retain(|(a, b)| a != b);
    } else if o.trim {
        while ranges.last().is_some_and(|(a, b)| a == b) {
            ranges.pop();
        }
    }
    Ok(p.heap.piece_list(subject, &s, &ranges))
}

fn split2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat] = arity(args)?;
    do_split(p, s, pat, Term::NIL)
}

fn split3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pat, opts] = arity(args)?;
    do_split(p, s, pat, opts)
}

/// `binary:part/2`: `binary_part/2`, which takes the whole bytes of a
/// bitstring, as on BEAM.
fn part2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    crate::bif::erlang::binary::binary_part2(p, args)
}

/// `binary:part/3`: `binary_part/3`.
fn part3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    crate::bif::erlang::binary::binary_part3(p, args)
}

fn at(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, pos] = arity(args)?;
    let b = bytes(s)?;
    let i = index(pos).ok_or_else(badarg)?;
    b.get(i)
        .map(|&v| Term::small(i64::from(v)))
        .ok_or_else(badarg)
}

fn first(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s] = arity(args)?;
    bytes(s)?
        .first()
        .map(|&v| Term::small(i64::from(v)))
        .ok_or_else(badarg)
}

fn last(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s] = arity(args)?;
    bytes(s)?
        .last()
        .map(|&v| Term::small(i64::from(v)))
        .ok_or_else(badarg)
}

fn copy1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s] = arity(args)?;
    let b = bytes(s)?;
    Ok(p.heap.binary(&b))
}

/// Largest result `copy/2` builds: beyond it BEAM cannot allocate either.
const MAX_COPY_BYTES: usize = 1 << 32;

fn copy2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [s, n] = arity(args)?;
    // BEAM takes any count below 2^64, and makes no copies of any
    // bitstring (even one of a partial byte) or of an empty binary.
    let Some(n) = index(n) else {
        let big = n.as_int().map(|i| i.to_ibig());
        return match big.map(|v| u64::try_from(&v).is_ok()) {
            Some(true) if s.is_bitstring() && bytes(s)?.is_empty() => Ok(p.heap.binary(&[])),
            Some(true) if s.is_bitstring() => Err(Exception::system_limit()),
            _ => Err(badarg()),
        };
    };
    if n == 0 && s.is_bitstring() {
        return Ok(p.heap.binary(&[]));
    }
    let b = bytes(s)?;
    match b.len().checked_mul(n) {
        Some(total) if total <= MAX_COPY_BYTES => Ok(p.heap.binary(&b.repeat(n))),
        _ => Err(Exception::system_limit()),
    }
}

fn list_to_bin(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    crate::bif::erlang::binary::list_to_binary(p, args)
}

/// The binaries of a non-empty list argument.
fn binaries<'a>(t: Term) -> Result<Vec<std::borrow::Cow<'a, [u8]>>, Exception> {
    let items = proper_list(t)?;
    if items.is_empty() {
        return Err(badarg());
    }
    items.into_iter().map(bytes).collect()
}

fn longest_common_prefix(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let bins = binaries(l)?;
    let n = (0..)
        .take_while(|&i| {
            bins.iter()
                .all(|b| b.get(i).is_some() && b[i] == bins[0][i])
        })
        .count();
    Ok(Term::small(n as i64))
}

fn longest_common_suffix(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let bins = binaries(l)?;
    let at = |b: &[u8], i: usize| b.len().checked_sub(i + 1).map(|j| b[j]);
    let n = (0..)
        .take_while(|&i| {
            let c = at(&bins[0], i);
            c.is_some() && bins.iter().all(|b| at(b, i) == c)
        })
        .count();
    Ok(Term::small(n as i64))
}

/// Whether an endianness argument is `little` (`false`: `big`).
fn little(t: Term) -> Result<bool, Exception> {
    match t.as_atom().map(Atom::name) {
        Some("big") => Ok(false),
        Some("little") => Ok(true),
        _ => Err(badarg()),
    }
}

fn decode_unsigned(p: &mut Process, bin: Term, little: bool) -> Result<Term, Exception> {
    let b = bytes(bin)?;
    let n = if little {
        UBig::from_le_bytes(&b)
    } else {
        UBig::from_be_bytes(&b)
    };
    big_term(&mut p.heap, &IBig::from(n))
}

fn decode_unsigned1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    decode_unsigned(p, b, false)
}

fn decode_unsigned2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, endian] = arity(args)?;
    let little = little(endian)?;
    decode_unsigned(p, b, little)
}

fn encode_unsigned(p: &mut Process, n: Term, little: bool) -> Result<Term, Exception> {
    let n = n.as_int().ok_or_else(badarg)?.to_ibig();
    let n = UBig::try_from(n).map_err(|_| badarg())?;
    let mut b = n.to_le_bytes();
    if b.is_empty() {
        b.push(0);
    }
    if !little {
        b.reverse();
    }
    Ok(p.heap.binary(&b))
}

fn encode_unsigned1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n] = arity(args)?;
    encode_unsigned(p, n, false)
}

fn encode_unsigned2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, endian] = arity(args)?;
    let little = little(endian)?;
    encode_unsigned(p, n, little)
}

/// The size of the binary a (sub-)binary points into. Enigma's heap and
/// off-heap binaries are where BEAM's are, and a buffer made by appending
/// reports the size of BEAM's writable binary, so this is BEAM's answer.
fn referenced_byte_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let n = b.referenced_byte_size().ok_or_else(badarg)?;
    Ok(Term::small(n as i64))
}
