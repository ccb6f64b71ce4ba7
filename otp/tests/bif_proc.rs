//! The bif-proc BIFs against results from real BEAM.
//!
//! `bif_proc/fixture.txt.gz` is the output of `bif_proc/gen_fixture.erl`
//! on OTP 25 (that file says how to run it and describes the lines). Every
//! call is replayed through its export entry after `install_all()` and
//! its value or exception compared with `=:=`; failures are collected and
//! reported together.

use std::io::Read;

use enigma_otp::bif::install_all;
use enigma_vm::atom::Atom;
use enigma_vm::etf;
use enigma_vm::exception::Class;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Term;

fn fixture() -> String {
    let gz = include_bytes!("bif_proc/fixture.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("fixture decompresses");
    text
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn term(p: &mut Process, hex: &str) -> Term {
    etf::decode(&unhex(hex), &mut p.heap).expect("fixture term decodes")
}

/// Functions the fixture calls that are Erlang code in `unicode.erl`, on
/// BEAM as on Enigma: `tests/erlang/run_unicode_conv.erl` runs the same
/// calls against `erl`.
const ERLANG_CODE: &[(&str, &str, usize)] = &[
    ("unicode", "characters_to_binary", 1),
    ("unicode", "characters_to_binary", 3),
    ("unicode", "characters_to_list", 1),
];

fn call(line: &str) -> Option<String> {
    let f: Vec<&str> = line.split(' ').collect();
    let [_, m, name, args, class, expect] = f[..] else {
        return Some(format!("bad line {line}"));
    };
    let mut p = Process::new(Term::pid(0, 0));
    let args = term(&mut p, args).proper_list().expect("argument list");
    if ERLANG_CODE.contains(&(m, name, args.len())) {
        return None;
    }
    let expect = term(&mut p, expect);
    let export = Export::get_or_create(
        Atom::intern(m).unwrap(),
        Atom::intern(name).unwrap(),
        args.len() as u32,
    );
    let Some(bif) = export.bif() else {
        return Some(format!("{m}:{name}/{} is not registered", args.len()));
    };
    let got = bif(&mut p, &args);
    let ok = match (&got, class) {
        (Ok(v), "ok") => eq_exact(*v, expect),
        (Err(e), "error") => e.class == Class::Error && eq_exact(e.reason, expect),
        _ => false,
    };
    (!ok).then(|| format!("{m}:{name}{args:?}: expected {class} {expect:?}, got {got:?}"))
}

fn pdict(line: &str) -> Option<String> {
    let f: Vec<&str> = line.split(' ').collect();
    let mut p = Process::new(Term::pid(0, 0));
    let ops = term(&mut p, f[1]).proper_list().expect("ops");
    let expect = term(&mut p, f[3]);
    for op in &ops {
        let t = op.as_tuple().expect("op tuple");
        let (name, arity) = if t.len() == 3 {
            ("put", 2)
        } else {
            ("erase", 1)
        };
        let e = Export::get_or_create(Atom::ERLANG, Atom::intern(name).unwrap(), arity);
        e.bif().expect("dictionary BIF")(&mut p, &t.elements()[1..]).expect("op succeeds");
    }
    let get = Export::get_or_create(Atom::ERLANG, Atom::intern("get").unwrap(), 0);
    let got = get.bif().expect("get/0")(&mut p, &[]).expect("get/0 succeeds");
    (!eq_exact(got, expect)).then(|| format!("pdict {ops:?}: expected {expect:?}, got {got:?}"))
}

#[test]
fn bifs_match_beam() {
    install_all().unwrap();
    let text = fixture();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text.lines() {
        n += 1;
        let failure = if line.starts_with("pdict ") {
            pdict(line)
        } else {
            call(line)
        };
        failures.extend(failure);
    }
    assert!(n > 20_000, "fixture has {n} lines");
    for f in failures.iter().take(40) {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {n} fixture lines differ",
        failures.len()
    );
}
