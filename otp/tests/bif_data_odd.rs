//! Every registered BIF called with odd arguments of every term kind,
//! including long and deep terms: each call must return (a value or an
//! exception), never panic or overflow the stack. Results are not checked
//! here; `bif_data.rs` checks them against BEAM.

use enigma_otp::bif::{all_entries, install_all};
use enigma_vm::atom::Atom;
use enigma_vm::process::Process;
use enigma_vm::term::fun::{Export, FunEntry};
use enigma_vm::term::{Heap, Term, MAX_SMALL, MIN_SMALL};
use ibig::IBig;

/// How long the long lists and how deep the deep terms are.
const LONG: usize = 10_000;

fn pool(h: &mut Heap) -> Vec<Term> {
    let node = Atom::intern("other@host").unwrap();
    let long_atom = Atom::intern(&"\u{1F600}".repeat(255)).unwrap();
    let long_list: Vec<Term> = (0..LONG as i64).map(|i| Term::small(i % 300)).collect();
    let long_list = h.list(&long_list);
    let mut deep_list = Term::NIL;
    let mut deep_tuple = Term::small(0);
    for _ in 0..LONG {
        deep_list = h.cons(deep_list, Term::NIL);
        deep_tuple = h.tuple(&[deep_tuple]);
    }
    let pairs: Vec<Term> = (0..200)
        .map(|i| h.tuple(&[Term::small(i), Term::atom(Atom::OK)]))
        .collect();
    let keyed = h.list(&pairs);
    let big = h.big(&(IBig::from(1u8) << 100_000usize));
    let neg_big = h.big(&(-(IBig::from(3u8) << 200usize)));
    let bytes: Vec<u8> = (0..=255).collect();
    let refc = h.binary(&bytes);
    let unaligned = h.sub_binary(refc, 3, 80);
    let bits = h.bitstring(&[0b1010_0000], 3);
    let etf = h.binary(&[131, 104, 2, 97, 1, 100, 0, 1, 120]);
    let bad_etf = h.binary(&[131, 108, 255, 255, 255, 255]);
    let small_map_pairs = [(Term::atom(Atom::OK), Term::small(1))];
    let small_map = h.map_from_pairs(&small_map_pairs);
    let big_map_pairs: Vec<(Term, Term)> = (0..40).map(|i| (Term::small(i), Term::NIL)).collect();
    let big_map = h.map_from_pairs(&big_map_pairs);
    let empty_map = h.map_from_pairs(&[]);
    let export = Export::get_or_create(Atom::ERLANG, Atom::intern("length").unwrap(), 1);
    let export_fun = h.export_fun(export);
    let entry = FunEntry::intern(Atom::intern("odd_mod").unwrap(), [1; 16], 0, 0, 0, 1, 1);
    let closure = h.closure(entry, Term::pid(1, 0), &[Term::small(1)]);
    let improper = h.list_with_tail(&[Term::small(1), Term::small(2)], Term::atom(Atom::OK));
    let string = h.string("12.5e3");
    let iolist_parts = [Term::small(1), refc, Term::NIL];
    let iolist = h.list_with_tail(&iolist_parts, bits);
    let opts_parts = [Term::atom(Atom::intern("compressed").unwrap())];
    let opts = h.list(&opts_parts);
    let tuple3 = h.tuple(&[Term::atom(Atom::OK), Term::small(1), Term::small(2)]);
    let empty_tuple = h.tuple(&[]);
    let wide: Vec<Term> = (0..1000).map(Term::small).collect();
    let wide_tuple = h.tuple(&wide);
    vec![
        Term::small(0),
        Term::small(1),
        Term::small(-1),
        Term::small(2),
        Term::small(36),
        Term::small(MAX_SMALL),
        Term::small(MIN_SMALL),
        big,
        neg_big,
        h.float(0.0),
        h.float(-0.0),
        h.float(f64::MAX),
        h.float(-f64::MAX),
        h.float(5e-324),
        h.float(1.5),
        Term::TRUE,
        Term::FALSE,
        Term::atom(Atom::EMPTY),
        Term::atom(long_atom),
        Term::atom(Atom::intern("latin1").unwrap()),
        Term::NIL,
        long_list,
        deep_list,
        keyed,
        improper,
        string,
        iolist,
        opts,
        empty_tuple,
        tuple3,
        wide_tuple,
        deep_tuple,
        h.binary(b""),
        refc,
        unaligned,
        bits,
        etf,
        bad_etf,
        empty_map,
        small_map,
        big_map,
        export_fun,
        closure,
        Term::pid(5, 1),
        h.external_pid(node, 7, 0, 3),
        Term::port(9),
        h.external_port(node, 1 << 40, 2),
        h.local_ref(&[1, 2, 3]),
        h.external_ref(node, 1, &[4, 5, 6, 7, 8]),
    ]
}

#[test]
fn no_bif_panics_on_odd_arguments() {
    install_all().unwrap();
    let mut heap = Heap::new();
    let all = pool(&mut heap);
    // Three-argument BIFs get a smaller pool: every kind still appears.
    let few: Vec<Term> = all.iter().copied().step_by(3).collect();
    let mut calls = 0u64;
    for e in all_entries() {
        let m = Atom::intern(e.module).unwrap();
        let f = Atom::intern(e.name).unwrap();
        let bif = Export::get_or_create(m, f, e.arity)
            .bif()
            .expect("installed");
        let mut call = |args: &[Term]| {
            let mut p = Process::new(Term::pid(0, 0));
            let _ = bif(&mut p, args);
            calls += 1;
        };
        match e.arity {
            0 => call(&[]),
            1 => all.iter().for_each(|&a| call(&[a])),
            2 => all
                .iter()
                .for_each(|&a| all.iter().for_each(|&b| call(&[a, b]))),
            _ => few.iter().for_each(|&a| {
                few.iter()
                    .for_each(|&b| few.iter().for_each(|&c| call(&[a, b, c])))
            }),
        }
        // A caller passing the wrong count gets an exception, not a panic.
        call(&all[..(e.arity as usize + 1).min(all.len())]);
    }
    assert!(calls > 100_000);
}

#[test]
fn list_subtraction_is_not_quadratic() {
    install_all().unwrap();
    let mut p = Process::new(Term::pid(0, 0));
    let n = 200_000;
    let a: Vec<Term> = (0..n).map(Term::small).collect();
    let b: Vec<Term> = (0..n).rev().step_by(2).map(Term::small).collect();
    let a = p.heap.list(&a);
    let b = p.heap.list(&b);
    let minus = Export::get_or_create(Atom::ERLANG, Atom::intern("--").unwrap(), 2)
        .bif()
        .unwrap();
    let start = std::time::Instant::now();
    let r = minus(&mut p, &[a, b]).unwrap();
    // Quadratic would be 2 * 10^10 comparisons: minutes, not seconds.
    assert!(start.elapsed().as_secs() < 20);
    let left: Vec<i64> = r.list_iter().map(|t| t.small_value()).collect();
    assert_eq!(left.len(), n as usize / 2);
    // `b` holds the odd numbers below `n` (even), so the evens are left.
    assert!(left.iter().all(|v| v % 2 == 0));
}

#[test]
fn deeply_nested_compiled_patterns_return() {
    install_all().unwrap();
    let mut p = Process::new(Term::pid(0, 0));
    let bm = Term::atom(Atom::intern("bm").unwrap());
    let mut pat = p.heap.binary(b"a");
    for _ in 0..1_000_000 {
        pat = p.heap.tuple(&[bm, pat]);
    }
    let subject = p.heap.binary(b"abc");
    let f = Export::get_or_create(
        Atom::intern("binary").unwrap(),
        Atom::intern("match").unwrap(),
        2,
    )
    .bif()
    .unwrap();
    assert!(f(&mut p, &[subject, pat]).is_err());
}
