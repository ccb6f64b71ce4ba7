//! The `lists` functions BEAM implements in C: `reverse/2`, `keyfind/3`,
//! `keymember/3`, `keysearch/3`, `member/2`.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::order::{eq, eq_exact};
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, index, proper_list};

/// The `lists` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("reverse", 2, reverse),
    e("keyfind", 3, keyfind),
    e("keymember", 3, keymember),
    e("keysearch", 3, keysearch),
    e("member", 2, member),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("lists", name, arity, f)
}

/// Whether a term is an immediate (no heap object behind it).
fn immediate(t: Term) -> bool {
    !(t.is_list() || t.is_boxed())
}

/// `a == b`, without a term walk when an immediate other than a small
/// integer is involved (only a small integer can equal another term).
fn equal(a: Term, b: Term) -> bool {
    if a == b {
        return true;
    }
    let plain = |t: Term| immediate(t) && !t.is_small();
    if plain(a) || plain(b) || (immediate(a) && immediate(b)) {
        return false;
    }
    eq(a, b)
}

/// `a =:= b`, without a term walk when either is an immediate.
fn exact_equal(a: Term, b: Term) -> bool {
    a == b || (!immediate(a) && !immediate(b) && eq_exact(a, b))
}

fn reverse(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l, tail] = arity(args)?;
    let mut items = proper_list(l)?;
    items.reverse();
    Ok(p.heap.list_with_tail(&items, tail))
}

/// The first tuple in `list` whose `n`th element is `==` to `key`;
/// `badarg` for a bad position or a list that ends improperly before one
/// is found.
fn find_key(key: Term, n: Term, list: Term) -> Result<Option<Term>, Exception> {
    let pos = match index(n) {
        Some(i) if i >= 1 => i - 1,
        _ => return Err(Exception::badarg()),
    };
    let mut it = list.list_iter();
    for x in it.by_ref() {
        if let Some(el) = x.as_tuple().and_then(|t| t.get(pos)) {
            if equal(el, key) {
                return Ok(Some(x));
            }
        }
    }
    if it.tail().is_nil() {
        Ok(None)
    } else {
        Err(Exception::badarg())
    }
}

fn keyfind(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    Ok(find_key(k, n, l)?.unwrap_or(Term::FALSE))
}

fn keymember(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    Ok(Term::bool(find_key(k, n, l)?.is_some()))
}

fn keysearch(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    match find_key(k, n, l)? {
        Some(t) => {
            let value = Term::atom(Atom::intern("value").map_err(|_| Exception::system_limit())?);
            Ok(p.heap.tuple(&[value, t]))
        }
        None => Ok(Term::FALSE),
    }
}

fn member(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [x, l] = arity(args)?;
    let mut it = l.list_iter();
    if it.by_ref().any(|y| exact_equal(x, y)) {
        return Ok(Term::TRUE);
    }
    if it.tail().is_nil() {
        Ok(Term::FALSE)
    } else {
        Err(Exception::badarg())
    }
}
