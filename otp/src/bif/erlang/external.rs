//! The external term format and the portable hashes as BIFs:
//! `term_to_binary/1,2`, `term_to_iovec/1,2`, `binary_to_term/1,2`, `external_size/1,2`,
//! `phash/2`, `phash2/1,2`.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::etf::{self, EncodeOptions, EtfError};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;
use enigma_vm::term::{map, phash};

use crate::bif::arg::{arity, entry, proper_list};
use crate::bif::num_text::binary_bytes;

/// The external-format and hash BIFs.
pub const TABLE: &[BifEntry] = &[
    e("term_to_binary", 1, term_to_binary),
    e("term_to_binary", 2, term_to_binary_opts),
    e("term_to_iovec", 1, term_to_iovec),
    e("term_to_iovec", 2, term_to_iovec_opts),
    e("binary_to_term", 1, binary_to_term),
    e("binary_to_term", 2, binary_to_term_opts),
    e("external_size", 1, external_size),
    e("external_size", 2, external_size_opts),
    e("phash", 2, phash1),
    e("phash2", 1, phash2),
    e("phash2", 2, phash2_range),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Bytes of external format encoded or decoded per reduction (about
/// BEAM's rate: its encoder counts terms and copied bytes, its decoder
/// `B2T_BYTES_PER_REDUCTION` = 128 bytes).
const ETF_BYTES_PER_RED: usize = 128;

fn encode(p: &mut Process, t: Term, opts: &EncodeOptions) -> Result<Term, Exception> {
    let bytes = etf::encode(t, opts).map_err(|_| Exception::badarg())?;
    p.charge(bytes.len() / ETF_BYTES_PER_RED);
    Ok(p.heap.binary(&bytes))
}

fn term_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    encode(p, t, &EncodeOptions::default())
}

fn term_to_iovec(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    iovec(p, t, &EncodeOptions::default())
}

/// As `term_to_iovec/1`; a compressed encoding (level above 0) is one
/// binary, not a list, as BEAM returns it.
fn term_to_iovec_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, opts] = arity(args)?;
    let o = encode_options(opts)?;
    if o.compression > 0 {
        return encode(p, t, &o);
    }
    iovec(p, t, &o)
}

/// `term_to_binary/2`'s bytes as an I/O vector, as BEAM's
/// `term_to_iovec` builds it: every byte-aligned binary in the term of more
/// than 64 whole bytes (off-heap on BEAM) is an element of its own,
/// between binaries holding the encoding's other bytes.
fn iovec(p: &mut Process, t: Term, o: &EncodeOptions) -> Result<Term, Exception> {
    let (bytes, splits) = etf::encode_iovec(t, o).map_err(|_| Exception::badarg())?;
    let whole: usize = splits
        .iter()
        .filter_map(|&(_, b)| b.bitstring_size())
        .map(|bits| bits / 8)
        .sum();
    p.charge((bytes.len() + whole) / ETF_BYTES_PER_RED);
    let mut items = Vec::with_capacity(2 * splits.len() + 1);
    let mut from = 0;
    for (at, b) in splits {
        if at > from {
            items.push(p.heap.binary(&bytes[from..at]));
        }
        let bits = b.bitstring_size().unwrap_or(0);
        items.push(if bits % 8 == 0 {
            b
        } else {
            p.heap.sub_view(b, 0, bits / 8 * 8)
        });
        from = at;
    }
    if from < bytes.len() {
        items.push(p.heap.binary(&bytes[from..]));
    }
    Ok(p.heap.list(&items))
}

/// A `{Name, Value}` option whose value is a small integer in `0..=max`.
fn level(opt: Term, name: &str, max: i64) -> Option<i64> {
    let tuple = opt.as_tuple()?;
    match tuple.elements() {
        &[k, v] if k.as_atom().map(Atom::name) == Some(name) => {
            v.as_small().filter(|v| (0..=max).contains(v))
        }
        _ => None,
    }
}

/// The options of `term_to_binary/2`, as BEAM reads them (later ones win).
fn encode_options(opts: Term) -> Result<EncodeOptions, Exception> {
    let mut o = EncodeOptions::default();
    let mut it = opts.list_iter();
    for opt in it.by_ref() {
        match opt.as_atom().map(Atom::name) {
            Some("compressed") => o.compression = EncodeOptions::DEFAULT_COMPRESSION,
            Some("deterministic") => o.deterministic = true,
            Some(_) => return Err(Exception::badarg()),
            None => {
                if let Some(l) = level(opt, "compressed", 9) {
                    o.compression = l as u32;
                } else if let Some(v) = level(opt, "minor_version", 2) {
                    o.minor_version = v as u8;
                } else {
                    return Err(Exception::badarg());
                }
            }
        }
    }
    if it.tail().is_nil() {
        Ok(o)
    } else {
        Err(Exception::badarg())
    }
}

fn term_to_binary_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, opts] = arity(args)?;
    let o = encode_options(opts)?;
    encode(p, t, &o)
}

/// `external_size`: the encoded size, except that BEAM counts each
/// closure's old index and old uniq as `INTEGER_EXT` (5 bytes) where the
/// encoder writes a `SMALL_INTEGER_EXT` (2 bytes) for values below 256.
fn size_of(p: &mut Process, t: Term, opts: &EncodeOptions) -> Result<Term, Exception> {
    let n = etf::encode(t, opts).map_err(|_| Exception::badarg())?.len();
    Ok(p.heap.int((n + 3 * small_fun_fields(t)) as i64))
}

/// How many old indices and old uniqs of closures inside `t` are below
/// 256 (an explicit stack: terms may be deep).
fn small_fun_fields(t: Term) -> usize {
    let mut count = 0;
    let mut stack = vec![t];
    while let Some(x) = stack.pop() {
        if let Some((h, tl)) = x.as_cons() {
            stack.extend([h, tl]);
        } else if let Some(tuple) = x.as_tuple() {
            stack.extend_from_slice(tuple.elements());
        } else if x.is_map() {
            stack.extend(map::iter(x).flat_map(|(k, v)| [k, v]));
        } else if let Some(c) = x.as_closure() {
            let e = c.entry();
            count += usize::from(e.old_index < 256) + usize::from(e.old_uniq < 256);
            stack.extend_from_slice(c.free_vars());
        }
    }
    count
}

fn external_size(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    size_of(p, t, &EncodeOptions::default())
}

/// `external_size/2` takes a list of `{minor_version, 0 | 1}` (BEAM's
/// `external_size_2`: 0 turns new floats off for good, 1 changes nothing,
/// so `[{minor_version, 0}, {minor_version, 1}]` is still version 0).
fn external_size_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, opts] = arity(args)?;
    let mut o = EncodeOptions::default();
    for opt in proper_list(opts)? {
        match level(opt, "minor_version", 1) {
            Some(0) => o.minor_version = 0,
            Some(_) => {}
            None => return Err(Exception::badarg()),
        }
    }
    size_of(p, t, &o)
}

fn decode_error(e: EtfError) -> Exception {
    match e {
        EtfError::AtomTableFull => Exception::system_limit(),
        _ => Exception::badarg(),
    }
}

fn binary_to_term(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bytes = binary_bytes(b).map_err(|_| Exception::badarg())?;
    p.charge(bytes.len() / ETF_BYTES_PER_RED);
    etf::decode(&bytes, &mut p.heap).map_err(decode_error)
}

fn binary_to_term_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, opts] = arity(args)?;
    // The options first, as BEAM: a bad one is `badopt` whatever the binary.
    let (mut safe, mut used) = (false, false);
    let mut it = opts.list_iter();
    for opt in it.by_ref() {
        match opt.as_atom().map(Atom::name) {
            Some("safe") => safe = true,
            Some("used") => used = true,
            _ => return Err(Exception::badarg_because("badopt")),
        }
    }
    if !it.tail().is_nil() {
        return Err(Exception::badarg_because("badopt"));
    }
    let bytes = binary_bytes(b).map_err(|_| Exception::badarg())?;
    let (t, n) = etf::decode_prefix(&bytes, &mut p.heap, safe).map_err(decode_error)?;
    p.charge(n / ETF_BYTES_PER_RED);
    if used {
        let n = p.heap.int(n as i64);
        Ok(p.heap.tuple(&[t, n]))
    } else {
        Ok(t)
    }
}

/// A hash range argument: an integer in `1..=2^32`.
fn range(r: Term) -> Result<u64, Exception> {
    r.as_small()
        .and_then(|v| u64::try_from(v).ok())
        .filter(|v| (1..=phash::MAX_RANGE).contains(v))
        .ok_or_else(Exception::badarg)
}

fn phash1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, r] = arity(args)?;
    let h = phash::phash(t, range(r)?).map_err(|_| Exception::badarg())?;
    Ok(p.heap.int(h as i64))
}

fn phash2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    Ok(Term::small(i64::from(phash::phash2(t))))
}

fn phash2_range(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, r] = arity(args)?;
    let h = phash::phash2_range(t, range(r)?).map_err(|_| Exception::badarg())?;
    Ok(Term::small(i64::from(h)))
}
