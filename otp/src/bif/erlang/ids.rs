//! Identity BIFs: `self/0`, `node/0,1`, `nodes/0`, `make_ref/0`,
//! `unique_integer/0,1`. There is no distribution: this node is
//! `nonode@nohost` and knows no other.

use std::sync::atomic::{AtomicU64, Ordering};

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term, MIN_SMALL};

use crate::bif::helpers::{int, is_atom};

/// The identity BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "self",
        arity: 0,
        f: self_0,
    },
    BifEntry {
        module: "erlang",
        name: "node",
        arity: 0,
        f: node_0,
    },
    BifEntry {
        module: "erlang",
        name: "node",
        arity: 1,
        f: node_1,
    },
    BifEntry {
        module: "erlang",
        name: "nodes",
        arity: 0,
        f: nodes_0,
    },
    BifEntry {
        module: "erlang",
        name: "make_ref",
        arity: 0,
        f: make_ref_0,
    },
    BifEntry {
        module: "erlang",
        name: "unique_integer",
        arity: 0,
        f: unique_integer_0,
    },
    BifEntry {
        module: "erlang",
        name: "unique_integer",
        arity: 1,
        f: unique_integer_1,
    },
];

fn self_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.pid)
}

fn node_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::atom(Atom::NONODE))
}

fn node_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = args else {
        return Err(Exception::badarg());
    };
    let remote = match t.kind() {
        Kind::Pid => t.as_external_pid().map(|e| e.node),
        Kind::Port => t.as_external_port().map(|e| e.node),
        Kind::Ref => t.as_ref_id().and_then(|r| r.node.map(|(n, _)| n)),
        _ => return Err(Exception::badarg()),
    };
    Ok(Term::atom(remote.unwrap_or(Atom::NONODE)))
}

fn nodes_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::NIL)
}

fn make_ref_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.heap.local_ref(&enigma_vm::term::ids::fresh_ref_ids()))
}

/// Unique integers handed out so far (shared by every variant, as BEAM's
/// are all drawn from one sequence per kind).
static UNIQUE: AtomicU64 = AtomicU64::new(0);
static MONOTONIC: AtomicU64 = AtomicU64::new(0);

fn unique_integer_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    unique(p, false, false)
}

fn unique_integer_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [opts] = args else {
        return Err(Exception::badarg());
    };
    let (mut positive, mut monotonic) = (false, false);
    for o in opts.proper_list().ok_or_else(Exception::badarg)? {
        if is_atom(o, "positive") {
            positive = true;
        } else if is_atom(o, "monotonic") {
            monotonic = true;
        } else {
            return Err(Exception::badarg());
        }
    }
    unique(p, positive, monotonic)
}

/// BEAM starts the signed sequences at the smallest small integer and the
/// positive ones at 1.
fn unique(p: &mut Process, positive: bool, monotonic: bool) -> Result<Term, Exception> {
    let counter = if monotonic { &MONOTONIC } else { &UNIQUE };
    let n = i128::from(counter.fetch_add(1, Ordering::Relaxed));
    let v = if positive {
        n + 1
    } else {
        i128::from(MIN_SMALL) + n
    };
    Ok(int(&mut p.heap, v))
}
