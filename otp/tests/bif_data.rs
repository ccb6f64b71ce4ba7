//! The data BIFs (`erlang` arithmetic, comparisons, type tests, tuples,
//! lists, conversions, binaries, the external format, `lists`, `math`,
//! `string`) called through their export entries, against what real BEAM
//! returns or raises.
//!
//! The fixture `bif_data/fixture.etf` is written by
//! `bif_data/gen_fixture.erl` on OTP 25 (see that file for how to run it):
//! a list of `{M, F, Args, Result}`. Results are compared through their
//! external format, so the comparison is exact (a float's sign of zero, an
//! integer versus a float). Failures are collected and reported together.

use enigma_otp::bif::{all_entries, install_all};
use enigma_vm::atom::Atom;
use enigma_vm::bif::BifFn;
use enigma_vm::etf::{self, EncodeOptions};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};

fn bif(m: Atom, f: Atom, arity: u32) -> Option<BifFn> {
    Export::lookup(m, f, arity)?.bif()
}

fn bytes(t: Term) -> Vec<u8> {
    etf::encode(t, &EncodeOptions::default()).expect("encodable")
}

/// What a call gave, as `{ok, V}` or `{Class, Reason}` on `heap`.
fn outcome(heap: &mut Heap, r: Result<Term, Exception>) -> Term {
    match r {
        Ok(v) => heap.tuple(&[Term::atom(Atom::OK), v]),
        Err(e) => heap.tuple(&[Term::atom(e.class.atom()), e.reason]),
    }
}

#[test]
fn every_bif_matches_beam() {
    install_all().unwrap();
    let mut heap = Heap::new();
    let cases = etf::decode(include_bytes!("bif_data/fixture.etf"), &mut heap).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    let mut seen = std::collections::HashSet::new();
    for case in cases.list_iter() {
        let &[m, f, args, expected] = case.as_tuple().unwrap().elements() else {
            panic!("bad case {case}");
        };
        let args = args.proper_list().unwrap();
        let (m, f) = (m.as_atom().unwrap(), f.as_atom().unwrap());
        seen.insert((m, f, args.len() as u32));
        let Some(bif) = bif(m, f, args.len() as u32) else {
            failures.push(format!("{m}:{f}/{} is not registered", args.len()));
            continue;
        };
        count += 1;
        let mut p = Process::new(Term::pid(0, 0));
        let r = bif(&mut p, &args);
        let got = outcome(&mut p.heap, r);
        if bytes(got) != bytes(expected) {
            let shown: Vec<String> = args.iter().map(|a| format!("{a}")).collect();
            let line = format!("{m}:{f}({}) = {got}, BEAM: {expected}", shown.join(", "));
            failures.push(line.chars().take(400).collect());
        }
    }
    for e in all_entries() {
        let key = (
            Atom::intern(e.module).unwrap(),
            Atom::intern(e.name).unwrap(),
            e.arity,
        );
        if !seen.contains(&key) {
            failures.push(format!("{}:{}/{} has no case", e.module, e.name, e.arity));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}

/// BEAM's compiled patterns are magic references no fixture can carry;
/// a compiled pattern must search exactly as its source patterns do.
#[test]
fn compiled_patterns_search_as_their_source() {
    install_all().unwrap();
    let binary = Atom::intern("binary").unwrap();
    let call = |p: &mut Process, f: &str, args: &[Term]| {
        let f = bif(binary, Atom::intern(f).unwrap(), args.len() as u32).unwrap();
        f(p, args)
    };
    let mut p = Process::new(Term::pid(0, 0));
    let subject = p.heap.binary(b"abcabcbca");
    let pats = [
        p.heap.binary(b"bc"),
        p.heap.binary(b"b"),
        p.heap.binary(b"ca"),
    ];
    for n in 1..=pats.len() {
        let source = p.heap.list(&pats[..n]);
        let compiled = call(&mut p, "compile_pattern", &[source]).unwrap();
        for f in ["match", "matches", "split"] {
            let a = call(&mut p, f, &[subject, source]).unwrap();
            let b = call(&mut p, f, &[subject, compiled]).unwrap();
            assert_eq!(bytes(a), bytes(b), "{f} with {n} patterns");
        }
    }
}
