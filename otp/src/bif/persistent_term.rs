//! `persistent_term`: a global key-value store. Values are copied out of
//! the caller's heap into their own fragment (`Message::copy`) and read in
//! place, as BEAM's persistent terms are never copied on `get`.
//!
//! One store per scheduler thread for now: Enigma runs Erlang on a single
//! thread until issue 5.

use std::cell::RefCell;

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Term;

/// The `persistent_term` BIFs.
pub const TABLE: &[BifEntry] = &[
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

thread_local! {
    /// `(key, value)` pairs, each copied into its own fragment.
    static STORE: RefCell<Vec<(Message, Message)>> = const { RefCell::new(Vec::new()) };
    /// Replaced and erased entries: processes may still hold their terms
    /// and there is no collector to tell when they stop (issue 5).
    static RETIRED: RefCell<Vec<Message>> = const { RefCell::new(Vec::new()) };
}

fn retire(m: Message) {
    RETIRED.with(|r| r.borrow_mut().push(m));
}

fn lookup(key: Term) -> Option<Term> {
    STORE.with(|s| {
        s.borrow()
            .iter()
            .find(|(k, _)| eq_exact(k.term, key))
            .map(|(_, v)| v.term)
    })
}

fn get_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let pairs: Vec<Term> = STORE.with(|s| {
        s.borrow()
            .iter()
            .map(|(k, v)| p.heap.tuple(&[k.term, v.term]))
            .collect()
    });
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
    let v = Message::copy(args[1]).map_err(|_| Exception::badarg())?;
    STORE.with(|s| {
        let mut s = s.borrow_mut();
        match s.iter_mut().find(|(old, _)| eq_exact(old.term, args[0])) {
            Some(slot) => retire(std::mem::replace(&mut slot.1, v)),
            None => s.push((k, v)),
        }
    });
    Ok(Term::atom(Atom::OK))
}

fn erase_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let found = STORE.with(|s| {
        let mut s = s.borrow_mut();
        let i = s.iter().position(|(k, _)| eq_exact(k.term, args[0]));
        i.map(|i| {
            let (k, v) = s.remove(i);
            retire(k);
            retire(v);
        })
        .is_some()
    });
    Ok(Term::bool(found))
}
