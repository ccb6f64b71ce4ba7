//! BIFs of module `unicode`: `characters_to_binary/2`,
//! `characters_to_list/2` and `bin_is_7bit/1` (the /1 and /3 forms are
//! Erlang code in `unicode.erl`, as on BEAM, so their errors carry its
//! locations).
//!
//! BEAM converts `latin1` and UTF-8 input to UTF-8 in C ([`native`]) and
//! leaves every other encoding pair to Erlang code in `unicode.erl`
//! ([`ml_map`]); the two give differently shaped `{error, _, Rest}`
//! results, so both are reproduced and each call goes where BEAM sends it.

pub mod codec;
pub mod ml_map;
pub mod native;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

use crate::bif::helpers::{atom, binary_bytes};
use codec::{utf8_char, Encoding};
use ml_map::{Acc, Ctx, Res};
use native::Converted;

/// The `unicode` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "unicode",
        name: "characters_to_binary",
        arity: 2,
        f: c_to_b_2_same,
    },
    BifEntry {
        module: "unicode",
        name: "characters_to_list",
        arity: 2,
        f: c_to_l_2,
    },
    BifEntry {
        module: "unicode",
        name: "bin_is_7bit",
        arity: 1,
        f: bin_is_7bit_1,
    },
];

/// A conversion's result before it becomes a term: UTF-8 (or other
/// output) bytes, with the error or incomplete tail if any.
enum Out {
    Done(Vec<u8>),
    Error(Vec<u8>, Term),
    Incomplete(Vec<u8>, Term),
}

impl Out {
    /// The UTF-8 bytes converted.
    fn converted(&self) -> usize {
        match self {
            Out::Done(b) | Out::Error(b, _) | Out::Incomplete(b, _) => b.len(),
        }
    }
}

/// UTF-8 bytes converted per reduction (about BEAM's rate for
/// `characters_to_list` of ASCII text, which charges per character).
const BYTES_PER_RED: usize = 4;

fn utf8(chars: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(chars.len());
    for &c in chars {
        codec::encode_char(Encoding::Utf8, i128::from(c), &mut out);
    }
    out
}

fn from_native(c: Converted) -> Out {
    match c {
        Converted::Ok(cs) => Out::Done(utf8(&cs)),
        Converted::Error(cs, rest) => Out::Error(utf8(&cs), rest),
        Converted::Incomplete(cs, rest) => Out::Incomplete(utf8(&cs), rest),
    }
}

fn run_ml_map(p: &mut Process, data: Term, from: Encoding, to: Encoding) -> Result<Out, Exception> {
    let ctx = Ctx { from, to };
    let res =
        ml_map::ml_map(p, &ctx, data, Acc::Bin(Vec::new())).map_err(|_| Exception::badarg())?;
    Ok(match res {
        Res::Acc(Acc::Bin(b)) => Out::Done(b),
        Res::Acc(Acc::Pending(inc, _, a)) => {
            let inc = p.heap.binary(&inc);
            Out::Incomplete(a, inc)
        }
        Res::Error(a, rest) => Out::Error(a, rest),
    })
}

fn encoding(t: Term) -> Result<Encoding, Exception> {
    Encoding::parse(t).ok_or_else(Exception::badarg)
}

/// `characters_to_binary(Data, In)`: UTF-8 out.
fn to_utf8(p: &mut Process, data: Term, from: Encoding) -> Result<Out, Exception> {
    match from {
        Encoding::Latin1 | Encoding::Utf8 => native::convert(p, data, from == Encoding::Latin1)
            .map(from_native)
            .ok_or_else(Exception::badarg),
        _ => run_ml_map(p, data, from, Encoding::Utf8),
    }
}

/// A list of one binary, which BEAM's `characters_to_binary/2` converts
/// as that binary (so an error's rest is a binary, not a list).
fn lone_element(data: Term) -> Term {
    match data.as_cons() {
        Some((h, tl)) if h.kind() == Kind::Binary && tl.is_nil() => h,
        _ => data,
    }
}

fn binary_result(p: &mut Process, out: Out) -> Result<Term, Exception> {
    Ok(match out {
        Out::Done(b) => p.heap.binary(&b),
        Out::Error(b, rest) => {
            let (tag, b) = (atom("error")?, p.heap.binary(&b));
            p.heap.tuple(&[tag, b, rest])
        }
        Out::Incomplete(b, rest) => {
            let (tag, b) = (atom("incomplete")?, p.heap.binary(&b));
            p.heap.tuple(&[tag, b, rest])
        }
    })
}

/// The code points of valid UTF-8 bytes.
fn utf8_list(p: &mut Process, b: &[u8]) -> Term {
    let mut chars = Vec::new();
    let mut i = 0;
    while let Some((c, n)) = utf8_char(&b[i..]) {
        chars.push(Term::small(i64::from(c)));
        i += n;
    }
    p.heap.list(&chars)
}

fn list_result(p: &mut Process, out: Out) -> Result<Term, Exception> {
    Ok(match out {
        Out::Done(b) => utf8_list(p, &b),
        Out::Error(b, rest) => {
            let (tag, l) = (atom("error")?, utf8_list(p, &b));
            p.heap.tuple(&[tag, l, rest])
        }
        Out::Incomplete(b, rest) => {
            let (tag, l) = (atom("incomplete")?, utf8_list(p, &b));
            p.heap.tuple(&[tag, l, rest])
        }
    })
}

fn c_to_b_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data, from] = args else {
        return Err(Exception::badarg());
    };
    let from = encoding(*from)?;
    let data = match from {
        Encoding::Latin1 | Encoding::Utf8 => lone_element(*data),
        _ => *data,
    };
    let out = to_utf8(p, data, from)?;
    p.charge(out.converted() / BYTES_PER_RED);
    binary_result(p, out)
}

/// `characters_to_binary/2`, which returns a binary (or a list of one
/// binary) that converts to itself as it is, as BEAM returns it (so a
/// small piece of a large binary still references it). From UTF-8 or
/// Latin-1, a result as long as the input is the input.
fn c_to_b_2_same(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let out = c_to_b_2(p, args)?;
    let [data, from] = args else {
        return Ok(out);
    };
    let lone = if data.is_bitstring() {
        Some(*data)
    } else {
        crate::bif::erlang::binary::lone_binary(*data, false)
    };
    let same = matches!(
        Encoding::parse(*from),
        Some(Encoding::Latin1 | Encoding::Utf8)
    );
    Ok(match lone {
        Some(bin) if same && out.bitstring_size() == bin.bitstring_size() => bin,
        _ => out,
    })
}

fn is_7bit(t: Term) -> bool {
    binary_bytes(t).is_some_and(|b| b.is_ascii())
}

fn c_to_l_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data, from] = args else {
        return Err(Exception::badarg());
    };
    let from = encoding(*from)?;
    let whole_bytes = data.as_bits().is_some_and(|b| b.bit_size % 8 == 0);
    let out = if whole_bytes && from == Encoding::Utf8 {
        from_native(native::binary_to_list(p, *data))
    } else {
        to_utf8(p, *data, from)?
    };
    p.charge(out.converted() / BYTES_PER_RED);
    list_result(p, out)
}

fn bin_is_7bit_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = args else {
        return Err(Exception::badarg());
    };
    Ok(Term::bool(is_7bit(*t)))
}
