//! List BIFs: `length/1`, `hd/1`, `tl/1`, `'++'/2`, `'--'/2` (also named
//! `append/2` and `subtract/2`).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::order::compare_exact;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, proper_list};

/// The list BIFs.
pub const TABLE: &[BifEntry] = &[
    e("length", 1, length),
    e("hd", 1, hd),
    e("tl", 1, tl),
    e("++", 2, append),
    e("--", 2, subtract),
    e("append", 2, append),
    e("subtract", 2, subtract),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// List cells `length/1` counts per reduction (BEAM's
/// `erts_trapping_length_1`).
const LENGTH_CELLS_PER_RED: usize = 16;

fn length(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let n = l.list_length().ok_or_else(Exception::badarg)?;
    p.charge(n / LENGTH_CELLS_PER_RED);
    Ok(Term::small(n as i64))
}

fn hd(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    l.as_cons().map(|(h, _)| h).ok_or_else(Exception::badarg)
}

fn tl(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    l.as_cons().map(|(_, t)| t).ok_or_else(Exception::badarg)
}

fn append(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    let items = proper_list(a)?;
    Ok(p.heap.list_with_tail(&items, b))
}

/// A term ordered by `=:=` (the exact term order), to count what `--`
/// removes in O(n log n).
struct Exact(Term);

impl PartialEq for Exact {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_exact(self.0, other.0)
    }
}

/// `A -- B`: each element of `B` removes the first element of `A` that is
/// `=:=` to it; so an element of `A` goes when fewer of its equals came
/// before it in `A` than `B` holds.
fn subtract(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    let items = proper_list(a)?;
    let remove = proper_list(b)?;
    if items.is_empty() || remove.is_empty() {
        return Ok(a);
    }
    let mut counts: BTreeMap<Exact, usize> = BTreeMap::new();
    for r in remove {
        *counts.entry(Exact(r)).or_insert(0) += 1;
    }
    let kept: Vec<Term> = items
        .into_iter()
        .filter(|x| match counts.get_mut(&Exact(*x)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect();
    Ok(p.heap.list(&kept))
}
