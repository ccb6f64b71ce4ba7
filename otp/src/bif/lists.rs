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

/// List cells `lists:reverse/2` handles per reduction (BEAM's
/// `CELLS_PER_RED` in `erl_bif_lists.c`).
const REVERSE_CELLS_PER_RED: usize = 40;

/// Elements `member/2` looks at per reduction (as BEAM counts them).
const MEMBER_PER_RED: usize = 16;

/// The key searches charge nothing for a list shorter than this, and a
/// whole slice's reductions ([`SLICE_REDS`]) for each such stretch of a
/// longer one: BEAM's `keyfind` runs up to `10 * CONTEXT_REDS` elements,
/// then spends the slice and traps.
const KEY_SEARCH_STRETCH: usize = 10 * SLICE_REDS;

/// BEAM's `CONTEXT_REDS`, the reductions of a slice.
const SLICE_REDS: usize = 4000;

/// What a key search that looked at `seen` elements costs.
fn key_search_reds(seen: usize) -> usize {
    seen / KEY_SEARCH_STRETCH * SLICE_REDS
}

fn reverse(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l, tail] = arity(args)?;
    let mut items = proper_list(l)?;
    p.charge(items.len() / REVERSE_CELLS_PER_RED);
    items.reverse();
    Ok(p.heap.list_with_tail(&items, tail))
}

/// The first tuple in `list` whose `n`th element is `==` to `key`;
/// `badarg` for a bad position or a list that ends improperly before one
/// is found.
fn find_key(p: &mut Process, key: Term, n: Term, list: Term) -> Result<Option<Term>, Exception> {
    let pos = match index(n) {
        Some(i) if i >= 1 => i - 1,
        _ => return Err(Exception::badarg()),
    };
    let mut it = list.list_iter();
    let mut seen = 0;
    for x in it.by_ref() {
        seen += 1;
        if let Some(el) = x.as_tuple().and_then(|t| t.get(pos)) {
            if equal(el, key) {
                p.charge(key_search_reds(seen));
                return Ok(Some(x));
            }
        }
    }
    p.charge(key_search_reds(seen));
    if it.tail().is_nil() {
        Ok(None)
    } else {
        Err(Exception::badarg())
    }
}

fn keyfind(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    Ok(find_key(p, k, n, l)?.unwrap_or(Term::FALSE))
}

fn keymember(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    Ok(Term::bool(find_key(p, k, n, l)?.is_some()))
}

fn keysearch(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, n, l] = arity(args)?;
    match find_key(p, k, n, l)? {
        Some(t) => {
            let value = Term::atom(Atom::intern("value").map_err(|_| Exception::system_limit())?);
            Ok(p.heap.tuple(&[value, t]))
        }
        None => Ok(Term::FALSE),
    }
}

fn member(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [x, l] = arity(args)?;
    let mut it = l.list_iter();
    let mut seen = 0;
    let found = it.by_ref().any(|y| {
        seen += 1;
        exact_equal(x, y)
    });
    p.charge(seen / MEMBER_PER_RED);
    if found {
        return Ok(Term::TRUE);
    }
    if it.tail().is_nil() {
        Ok(Term::FALSE)
    } else {
        Err(Exception::badarg())
    }
}
