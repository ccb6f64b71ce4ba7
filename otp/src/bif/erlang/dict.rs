//! The process dictionary BIFs: `put/2`, `get/0,1`, `get_keys/0,1`,
//! `erase/0,1`. The table itself is `enigma_vm::pdict`.

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

/// The dictionary BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "put",
        arity: 2,
        f: put_2,
    },
    BifEntry {
        module: "erlang",
        name: "get",
        arity: 0,
        f: get_0,
    },
    BifEntry {
        module: "erlang",
        name: "get",
        arity: 1,
        f: get_1,
    },
    BifEntry {
        module: "erlang",
        name: "get_keys",
        arity: 0,
        f: get_keys_0,
    },
    BifEntry {
        module: "erlang",
        name: "get_keys",
        arity: 1,
        f: get_keys_1,
    },
    BifEntry {
        module: "erlang",
        name: "erase",
        arity: 0,
        f: erase_0,
    },
    BifEntry {
        module: "erlang",
        name: "erase",
        arity: 1,
        f: erase_1,
    },
];

const UNDEFINED: Term = Term::atom(Atom::UNDEFINED);

fn put_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, v] = args else {
        return Err(Exception::badarg());
    };
    Ok(p.dictionary.put(*k, *v).unwrap_or(UNDEFINED))
}

fn get_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(entries_list(p))
}

fn get_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k] = args else {
        return Err(Exception::badarg());
    };
    Ok(p.dictionary.get(*k).unwrap_or(UNDEFINED))
}

fn get_keys_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let keys: Vec<Term> = p.dictionary.entries().into_iter().map(|(k, _)| k).collect();
    Ok(p.heap.list(&keys))
}

fn get_keys_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [v] = args else {
        return Err(Exception::badarg());
    };
    let keys: Vec<Term> = p
        .dictionary
        .entries()
        .into_iter()
        .filter(|&(_, val)| enigma_vm::term::order::eq_exact(val, *v))
        .map(|(k, _)| k)
        .collect();
    Ok(p.heap.list(&keys))
}

fn erase_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let all = entries_list(p);
    p.dictionary.clear();
    Ok(all)
}

fn erase_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k] = args else {
        return Err(Exception::badarg());
    };
    Ok(p.dictionary.erase(*k).unwrap_or(UNDEFINED))
}

/// The `{Key, Value}` list of `get/0`.
fn entries_list(p: &mut Process) -> Term {
    let pairs: Vec<Term> = p
        .dictionary
        .entries()
        .into_iter()
        .map(|(k, v)| p.heap.tuple(&[k, v]))
        .collect();
    p.heap.list(&pairs)
}
