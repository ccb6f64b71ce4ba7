//! `persistent_term`: a global key-value store. Values are copied out of
//! the caller's heap into the literal region (`Literal::copy`) and read
//! in place, as BEAM's persistent terms are literals: never copied on
//! `get`, nor into messages.
//!
//! One store for every scheduler thread.

use std::sync::OnceLock;

use parking_lot::RwLock;

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::literal::Literal;
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Term;

/// The `persistent_term` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "persistent_term",
        name: "info",
        arity: 0,
        f: info_0,
    },
    BifEntry {
        module: "persistent_term",
        name: "get",
        arity: 0,
        f: get_0,
    },
    BifEntry {
        module: "persistent_term",
        name: "get",
        arity: 1,
        f: get_1,
    },
    BifEntry {
        module: "persistent_term",
        name: "get",
        arity: 2,
        f: get_2,
    },
    BifEntry {
        module: "persistent_term",
        name: "put",
        arity: 2,
        f: put_2,
    },
    BifEntry {
        module: "persistent_term",
        name: "erase",
        arity: 1,
        f: erase_1,
    },
];

/// The store: `(key, value)` pairs, each copied into its own fragment,
/// and the replaced and erased entries (processes may still hold their
/// terms and no global collector tells when they stop). Read by every
/// scheduler, written rarely: a reader-writer lock.
#[derive(Default)]
struct Store {
    pairs: Vec<(Message, Literal)>,
    /// Replaced values (no key) and erased entries.
    retired: Vec<(Option<Message>, Literal)>,
}

fn store() -> &'static RwLock<Store> {
    static S: OnceLock<RwLock<Store>> = OnceLock::new();
    S.get_or_init(Default::default)
}

fn lookup(key: Term) -> Option<Term> {
    store()
        .read()
        .pairs
        .iter()
        .find(|(k, _)| eq_exact(k.term, key))
        .map(|(_, v)| v.term)
}

/// `#{count => Keys, memory => Bytes}`: the bytes of the stored terms'
/// fragments (BEAM counts its hash table too, so its figure is larger).
fn info_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let (count, words) = {
        let s = store().read();
        let words: usize = s
            .pairs
            .iter()
            .map(|(k, v)| k.fragment.words_used() + v.heap.words_used())
            .sum();
        (s.pairs.len(), words)
    };
    let keys = [Atom::intern("count"), Atom::intern("memory")];
    let [Ok(c), Ok(m)] = keys else {
        return Err(Exception::system_limit());
    };
    let memory = p.heap.int((words * 8) as i64);
    Ok(p.heap.map_from_pairs(&[
        (Term::atom(c), Term::small(count as i64)),
        (Term::atom(m), memory),
    ]))
}

fn get_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let pairs: Vec<Term> = store()
        .read()
        .pairs
        .iter()
        .map(|(k, v)| p.heap.tuple(&[k.term, v.term]))
        .collect();
    Ok(p.heap.list(&pairs))
}

/// A missing key raises plain `badarg` in OTP 25.
fn get_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    lookup(args[0]).ok_or_else(Exception::badarg)
}

fn get_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    Ok(lookup(args[0]).unwrap_or(args[1]))
}

fn put_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let k = Message::copy(args[0]).map_err(|_| Exception::badarg())?;
    let v = Literal::copy(args[1]).map_err(|_| Exception::badarg())?;
    let mut s = store().write();
    let Store { pairs, retired } = &mut *s;
    match pairs
        .iter_mut()
        .find(|(old, _)| eq_exact(old.term, args[0]))
    {
        Some(slot) => retired.push((None, std::mem::replace(&mut slot.1, v))),
        None => pairs.push((k, v)),
    }
    Ok(Term::atom(Atom::OK))
}

fn erase_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let mut s = store().write();
    let i = s.pairs.iter().position(|(k, _)| eq_exact(k.term, args[0]));
    if let Some(i) = i {
        let (k, v) = s.pairs.remove(i);
        s.retired.push((Some(k), v));
    }
    Ok(Term::bool(i.is_some()))
}
