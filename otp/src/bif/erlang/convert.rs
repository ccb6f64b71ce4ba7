//! Conversions between atoms, numbers and text: `atom_to_list/1`,
//! `list_to_atom/1` and friends, and the number/text BIFs that wrap
//! [`crate::bif::num_text`].

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, int_term};
use crate::bif::num_text::{
    base_arg, binary_bytes, float_to_text, integer_to_text, list_bytes, list_to_integer,
    text_to_float, text_to_integer, BadArg, Base,
};

/// The conversion BIFs.
pub const TABLE: &[BifEntry] = &[
    e("atom_to_list", 1, atom_to_list),
    e("list_to_atom", 1, list_to_atom),
    e("list_to_existing_atom", 1, list_to_existing_atom),
    e("atom_to_binary", 1, atom_to_binary),
    e("atom_to_binary", 2, atom_to_binary_enc),
    e("binary_to_atom", 1, binary_to_atom),
    e("binary_to_atom", 2, binary_to_atom_enc),
    e("binary_to_existing_atom", 1, binary_to_existing_atom),
    e("binary_to_existing_atom", 2, binary_to_existing_atom_enc),
    e("integer_to_list", 1, integer_to_list),
    e("integer_to_list", 2, integer_to_list_base),
    e("integer_to_binary", 1, integer_to_binary),
    e("integer_to_binary", 2, integer_to_binary_base),
    e("list_to_integer", 1, list_to_integer_1),
    e("list_to_integer", 2, list_to_integer_2),
    e("binary_to_integer", 1, binary_to_integer),
    e("binary_to_integer", 2, binary_to_integer_base),
    e("float_to_list", 1, float_to_list),
    e("float_to_list", 2, float_to_list_opts),
    e("float_to_binary", 1, float_to_binary),
    e("float_to_binary", 2, float_to_binary_opts),
    e("list_to_float", 1, list_to_float),
    e("binary_to_float", 1, binary_to_float),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

fn badarg(_: BadArg) -> Exception {
    Exception::badarg()
}

fn atom_arg(t: Term) -> Result<Atom, Exception> {
    t.as_atom().ok_or_else(Exception::badarg)
}

/// An atom's name from code points: a proper list of Unicode scalar values.
fn list_name(l: Term) -> Result<String, Exception> {
    let mut s = String::new();
    let mut it = l.list_iter();
    for c in it.by_ref() {
        let c = c
            .as_small()
            .and_then(|v| u32::try_from(v).ok())
            .and_then(char::from_u32)
            .ok_or_else(Exception::badarg)?;
        s.push(c);
    }
    if it.tail().is_nil() {
        Ok(s)
    } else {
        Err(Exception::badarg())
    }
}

/// Creates an atom; too long a name or a full table is `system_limit`.
fn make_atom(name: &str) -> Result<Term, Exception> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit())
}

fn existing_atom(name: &str) -> Result<Term, Exception> {
    Atom::existing(name)
        .map(Term::atom)
        .ok_or_else(Exception::badarg)
}

fn atom_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    Ok(p.heap.string(atom_arg(a)?.name()))
}

fn list_to_atom(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    make_atom(&list_name(l)?)
}

fn list_to_existing_atom(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    existing_atom(&list_name(l)?)
}

/// Whether an encoding argument means Latin-1 (`false`: UTF-8).
fn latin1(enc: Term) -> Result<bool, Exception> {
    match enc.as_atom().map(Atom::name) {
        Some("latin1") => Ok(true),
        Some("utf8" | "unicode") => Ok(false),
        _ => Err(Exception::badarg()),
    }
}

fn atom_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    Ok(p.heap.binary(atom_arg(a)?.name().as_bytes()))
}

fn atom_to_binary_enc(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, enc] = arity(args)?;
    let name = atom_arg(a)?.name();
    if !latin1(enc)? {
        return Ok(p.heap.binary(name.as_bytes()));
    }
    let bytes = name
        .chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| Exception::badarg()))
        .collect::<Result<Vec<u8>, _>>()?;
    Ok(p.heap.binary(&bytes))
}

/// An atom's name from a binary in the given encoding.
fn binary_name(bin: Term, latin1: bool) -> Result<String, Exception> {
    let bytes = binary_bytes(bin).map_err(badarg)?;
    if latin1 {
        Ok(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        String::from_utf8(bytes.into_owned()).map_err(|_| Exception::badarg())
    }
}

fn binary_to_atom(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    make_atom(&binary_name(b, false)?)
}

fn binary_to_atom_enc(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, enc] = arity(args)?;
    let latin1 = latin1(enc)?;
    make_atom(&binary_name(b, latin1)?)
}

fn binary_to_existing_atom(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    existing_atom(&binary_name(b, false)?)
}

fn binary_to_existing_atom_enc(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, enc] = arity(args)?;
    let latin1 = latin1(enc)?;
    existing_atom(&binary_name(b, latin1)?)
}

/// The text of an integer argument in a base.
fn int_text(n: Term, base: Base) -> Result<String, Exception> {
    let n = n.as_int().ok_or_else(Exception::badarg)?;
    Ok(integer_to_text(&n, base))
}

fn integer_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n] = arity(args)?;
    let s = int_text(n, Base::DECIMAL)?;
    Ok(p.heap.string(&s))
}

fn integer_to_list_base(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, base] = arity(args)?;
    let s = int_text(n, base_arg(base).map_err(badarg)?)?;
    Ok(p.heap.string(&s))
}

fn integer_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n] = arity(args)?;
    let s = int_text(n, Base::DECIMAL)?;
    Ok(p.heap.binary(s.as_bytes()))
}

fn integer_to_binary_base(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, base] = arity(args)?;
    let s = int_text(n, base_arg(base).map_err(badarg)?)?;
    Ok(p.heap.binary(s.as_bytes()))
}

fn list_to_integer_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let n = list_to_integer(l, Base::DECIMAL).map_err(badarg)?;
    int_term(&mut p.heap, &n)
}

fn list_to_integer_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l, base] = arity(args)?;
    let n = list_to_integer(l, base_arg(base).map_err(badarg)?).map_err(badarg)?;
    int_term(&mut p.heap, &n)
}

fn binary_to_integer(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bytes = binary_bytes(b).map_err(badarg)?;
    let n = text_to_integer(&bytes, Base::DECIMAL).map_err(badarg)?;
    int_term(&mut p.heap, &n)
}

fn binary_to_integer_base(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b, base] = arity(args)?;
    let bytes = binary_bytes(b).map_err(badarg)?;
    let n = text_to_integer(&bytes, base_arg(base).map_err(badarg)?).map_err(badarg)?;
    int_term(&mut p.heap, &n)
}

fn float_text(f: Term, opts: Term) -> Result<String, Exception> {
    let f = f.as_float().ok_or_else(Exception::badarg)?;
    float_to_text(f, opts).map_err(badarg)
}

fn float_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [f] = arity(args)?;
    let s = float_text(f, Term::NIL)?;
    Ok(p.heap.string(&s))
}

fn float_to_list_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [f, opts] = arity(args)?;
    let s = float_text(f, opts)?;
    Ok(p.heap.string(&s))
}

fn float_to_binary(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [f] = arity(args)?;
    let s = float_text(f, Term::NIL)?;
    Ok(p.heap.binary(s.as_bytes()))
}

fn float_to_binary_opts(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [f, opts] = arity(args)?;
    let s = float_text(f, opts)?;
    Ok(p.heap.binary(s.as_bytes()))
}

fn list_to_float(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let bytes = list_bytes(l).map_err(badarg)?;
    let f = text_to_float(&bytes).map_err(badarg)?;
    Ok(p.heap.float(f))
}

fn binary_to_float(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [b] = arity(args)?;
    let bytes = binary_bytes(b).map_err(badarg)?;
    let f = text_to_float(&bytes).map_err(badarg)?;
    Ok(p.heap.float(f))
}
