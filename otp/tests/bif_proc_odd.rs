//! Every BIF of `install_all()` called with odd arguments: each call must
//! return (a value or an exception), never panic.

use enigma_otp::bif::{install_all, tables};
use enigma_vm::atom::Atom;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term, MAX_SMALL, MIN_SMALL};
use ibig::IBig;

fn odd_terms(h: &mut Heap) -> Vec<Term> {
    let atom = |s: &str| Term::atom(Atom::intern(s).unwrap());
    let mut v = vec![
        Term::small(0),
        Term::small(-1),
        Term::small(1),
        Term::small(255),
        Term::small(256),
        Term::small(0xD800),
        Term::small(0x110000),
        Term::small(MAX_SMALL),
        Term::small(MIN_SMALL),
        h.big(&(IBig::from(1u8) << 100)),
        h.big(&-(IBig::from(1u8) << 100)),
        h.float(1.5),
        h.float(-0.0),
        h.float(f64::MAX),
        Term::NIL,
        Term::TRUE,
        Term::atom(Atom::UNDEFINED),
    ];
    for a in [
        "foo",
        "latin1",
        "unicode",
        "utf8",
        "utf16",
        "utf32",
        "positive",
        "monotonic",
        "native",
        "second",
        "perf_counter",
        "runtime",
        "wall_clock",
        "reductions",
        "otp_release",
    ] {
        v.push(atom(a));
    }
    let improper = h.cons(Term::small(1), Term::small(2));
    let string = h.string("h\u{e9}llo \u{20ac}");
    let bin = h.binary(b"abc\xff\xe2\x82");
    let bits = h.bitstring(&[0xff, 0x80], 9);
    let sub = h.sub_binary(bin, 3, 16);
    let empty_tuple = h.tuple(&[]);
    let utf16 = h.tuple(&[atom("utf16"), atom("little")]);
    let date = h.tuple(&[Term::small(2020), Term::small(2), Term::small(29)]);
    let time = h.tuple(&[Term::small(23), Term::small(59), Term::small(59)]);
    let datetime = h.tuple(&[date, time]);
    let pairs: Vec<(Term, Term)> = (0..40).map(|i| (Term::small(i), Term::small(i))).collect();
    let big_map = h.map_from_pairs(&pairs);
    let small_map = h.map_from_pairs(&pairs[..2]);
    let export = h.export_fun(Export::get_or_create(
        Atom::ERLANG,
        atom("self").as_atom().unwrap(),
        0,
    ));
    let r = h.local_ref(&[1, 2, 3]);
    let opts = h.list(&[atom("positive"), atom("monotonic")]);
    let bad_opts = h.list_with_tail(&[atom("positive")], atom("x"));
    let mut deep = Term::NIL;
    for i in 0..100_000 {
        deep = h.list_with_tail(&[deep], if i % 2 == 0 { Term::NIL } else { bin });
    }
    let long: Vec<Term> = (0..10_000).map(|i| Term::small(i % 300)).collect();
    let long = h.list(&long);
    let deep_iolist = h.list(&[bin, string, improper]);
    v.extend([
        improper,
        string,
        bin,
        bits,
        sub,
        empty_tuple,
        utf16,
        date,
        datetime,
        big_map,
        small_map,
        export,
        r,
        Term::pid(0, 0),
        Term::port(1),
        opts,
        bad_opts,
        deep,
        long,
        deep_iolist,
    ]);
    v
}

#[test]
fn no_bif_panics_on_odd_arguments() {
    install_all().unwrap();
    let mut p = Process::new(Term::pid(0, 0));
    let odd = odd_terms(&mut p.heap);
    let mut calls = 0;
    for table in tables() {
        for e in table {
            let export = Export::get_or_create(
                Atom::intern(e.module).unwrap(),
                Atom::intern(e.name).unwrap(),
                e.arity,
            );
            let bif = export.bif().expect("installed");
            let n = e.arity as usize;
            if n == 0 {
                let _ = bif(&mut p, &[]);
                calls += 1;
                continue;
            }
            // Every odd term in every position, the others cycling through
            // the table.
            for (i, &t) in odd.iter().enumerate() {
                for pos in 0..n {
                    let args: Vec<Term> = (0..n)
                        .map(|k| {
                            if k == pos {
                                t
                            } else {
                                odd[(i + k * 7) % odd.len()]
                            }
                        })
                        .collect();
                    let _ = bif(&mut p, &args);
                    calls += 1;
                }
            }
        }
    }
    assert!(calls > 1000);
}
