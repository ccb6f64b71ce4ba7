//! The number/text conversion BIFs against values from real BEAM.
//!
//! The fixture `num_text/fixture.txt.gz` is the output of
//! `num_text/gen_fixture.erl` run on OTP 25 (see that file for how to run
//! it and for the line format). Every line is checked; failures are
//! collected and reported together.

use std::io::Read;

use enigma_otp::bif::num_text::{
    base_arg, binary_bytes, ceil_float, float_prefix, float_to_text, floor_float, format_float,
    int_to_float, integer_prefix, integer_to_text, list_bytes, list_to_integer, round_float,
    text_to_float, text_to_integer, trunc_float, BadArg, Base, PrefixError, DEFAULT_FORMAT,
};
use enigma_vm::atom::Atom;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::{Heap, Term};
use ibig::IBig;

fn fixture() -> String {
    let gz = include_bytes!("num_text/fixture.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("fixture decompresses");
    text
}

fn float_of_bits(hex: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(hex, 16).expect("float bits"))
}

fn bytes_of_hex(hex: &str) -> Vec<u8> {
    if hex == "-" {
        return Vec::new();
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex byte"))
        .collect()
}

fn int_of(text: &str) -> Int {
    let v: IBig = text.parse().expect("integer");
    match i64::try_from(&v) {
        Ok(s) => Int::Small(s),
        Err(_) => Int::Big(v),
    }
}

/// A scalar of the fixture's option and base encodings: an integer, a float
/// (has a '.'), a string in double quotes, `[]`, or an atom.
fn scalar(h: &mut Heap, s: &str) -> Term {
    if let Ok(v) = s.parse::<IBig>() {
        return h.big(&v);
    }
    if s.contains('.') {
        if let Ok(f) = s.parse::<f64>() {
            return h.float(f);
        }
    }
    if let Some(text) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return h.string(text);
    }
    if s == "[]" {
        return Term::NIL;
    }
    Term::atom(Atom::intern(s).expect("atom"))
}

/// Rebuilds an option list from the fixture's OPTS encoding.
fn options(h: &mut Heap, enc: &str) -> Term {
    if enc == "-" {
        return Term::NIL;
    }
    if let Some(atom) = enc.strip_prefix('!') {
        return scalar(h, atom);
    }
    let (elems, tail) = match enc.rsplit_once('|') {
        Some((e, t)) => (e, scalar(h, t)),
        None => (enc, Term::NIL),
    };
    let elems: Vec<Term> = elems
        .split(',')
        .map(|e| {
            if let Some(n) = e.strip_prefix('#') {
                scalar(h, n)
            } else if e.contains('=') {
                let parts: Vec<Term> = e.split('=').map(|p| scalar(h, p)).collect();
                h.tuple(&parts)
            } else {
                scalar(h, e)
            }
        })
        .collect();
    h.list_with_tail(&elems, tail)
}

/// Rebuilds a list from the fixture's LIST encoding.
fn term_list(h: &mut Heap, enc: &str) -> Term {
    if enc == "-" {
        return Term::NIL;
    }
    if let Some(t) = enc.strip_prefix('!') {
        return scalar(h, t);
    }
    let (elems, tail) = match enc.split_once('|') {
        Some((e, t)) => (e, scalar(h, t)),
        None => (enc, Term::NIL),
    };
    let elems: Vec<Term> = elems.split(',').map(|e| scalar(h, e)).collect();
    h.list_with_tail(&elems, tail)
}

/// A list in the fixture's LIST encoding.
fn list_enc(t: Term) -> String {
    if t.is_nil() {
        return "-".to_string();
    }
    if t.as_cons().is_none() {
        return format!("!{t}");
    }
    let mut it = t.list_iter();
    let elems: Vec<String> = it.by_ref().map(|e| e.to_string()).collect();
    let mut s = elems.join(",");
    if !it.tail().is_nil() {
        s.push_str(&format!("|{}", it.tail()));
    }
    s
}

fn show_prefix<T>(
    r: Result<(T, Term), PrefixError>,
    show: impl Fn(T) -> String,
    none: &str,
) -> String {
    match r {
        Ok((v, rest)) => format!("{} {}", show(v), list_enc(rest)),
        Err(PrefixError::NotAList) => "error:not_a_list".to_string(),
        Err(PrefixError::NoNumber) => format!("error:{none}"),
    }
}

/// A base argument as the fixture prints it with `~w`.
fn base_term(h: &mut Heap, enc: &str) -> Term {
    match enc.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(chars) => {
            let elems: Vec<Term> = chars.split(',').map(|c| scalar(h, c)).collect();
            h.list(&elems)
        }
        None => scalar(h, enc),
    }
}

fn show<T: ToString>(r: Result<T, BadArg>) -> String {
    r.map_or_else(|_| "badarg".to_string(), |v| v.to_string())
}

fn show_float(r: Result<f64, BadArg>) -> String {
    r.map_or_else(
        |_| "badarg".to_string(),
        |f| format!("{:016x}", f.to_bits()),
    )
}

fn show_int(i: &Int) -> String {
    i.to_ibig().to_string()
}

/// Checks one fixture line; `Some(got)` when we disagree.
fn check(h: &mut Heap, line: &str) -> Option<String> {
    let f: Vec<&str> = line.split(' ').collect();
    let (got, want) = match f[0] {
        "f2l" => {
            let x = float_of_bits(f[1]);
            let got = if f[2] == "/1" {
                show(format_float(x, DEFAULT_FORMAT))
            } else {
                let opts = options(h, f[2]);
                show(float_to_text(x, opts))
            };
            (got, f[3].to_string())
        }
        "l2f" => {
            let bytes = bytes_of_hex(f[1]);
            let list = {
                let chars: Vec<Term> = bytes.iter().map(|&b| Term::small(b.into())).collect();
                h.list(&chars)
            };
            let bin = h.binary(&bytes);
            let via_list = show_float(list_bytes(list).and_then(|b| text_to_float(&b)));
            let via_bin = show_float(binary_bytes(bin).and_then(|b| text_to_float(&b)));
            if via_list != via_bin {
                return Some(format!("list {via_list}, binary {via_bin}"));
            }
            (via_list, f[2].to_string())
        }
        "i2l" => {
            let n = int_of(f[1]);
            let base = if f[2] == "/1" {
                Ok(Base::DECIMAL)
            } else {
                let t = base_term(h, f[2]);
                base_arg(t)
            };
            (show(base.map(|b| integer_to_text(&n, b))), f[3].to_string())
        }
        "l2i" => {
            let bytes = bytes_of_hex(f[1]);
            let base = if f[2] == "/1" {
                Ok(Base::DECIMAL)
            } else {
                let t = base_term(h, f[2]);
                base_arg(t)
            };
            let via_bin = base.and_then(|b| text_to_integer(&bytes, b));
            let chars: Vec<Term> = bytes.iter().map(|&b| Term::small(b.into())).collect();
            let list = h.list(&chars);
            let via_list = base.and_then(|b| list_to_integer(list, b));
            if via_list != via_bin {
                return Some(format!("list {via_list:?}, binary {via_bin:?}"));
            }
            (show(via_bin.map(|i| show_int(&i))), f[3].to_string())
        }
        "rnd" => {
            let x = float_of_bits(f[1]);
            let got = [
                round_float(x),
                trunc_float(x),
                floor_float(x),
                ceil_float(x),
            ]
            .iter()
            .map(show_int)
            .collect::<Vec<_>>()
            .join(" ");
            (got, f[2..].join(" "))
        }
        "flt" => (show_float(int_to_float(&int_of(f[1]))), f[2].to_string()),
        "li" => {
            let list = term_list(h, f[1]);
            let base = if f[2] == "/1" {
                Ok(Base::DECIMAL)
            } else {
                let t = base_term(h, f[2]);
                base_arg(t)
            };
            let got = base.and_then(|b| list_to_integer(list, b));
            (show(got.map(|i| show_int(&i))), f[3].to_string())
        }
        "sli" => {
            let list = term_list(h, f[1]);
            let got = show_prefix(
                integer_prefix(list, Base::DECIMAL),
                |i| show_int(&i),
                "no_integer",
            );
            (got, f[2..].join(" "))
        }
        "slf" => {
            let list = term_list(h, f[1]);
            let got = show_prefix(
                float_prefix(list),
                |x| format!("{:016x}", x.to_bits()),
                "no_float",
            );
            (got, f[2..].join(" "))
        }
        other => panic!("unknown fixture line kind {other}"),
    };
    (got != want).then_some(got)
}

#[test]
fn conversions_match_beam() {
    let text = fixture();
    let mut h = Heap::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines() {
        count += 1;
        if let Some(got) = check(&mut h, line) {
            failures.push(format!("{line}\n    we give: {got}"));
        }
    }
    assert!(count > 40_000, "fixture has only {count} lines");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ from BEAM:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
