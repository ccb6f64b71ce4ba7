//! Printing terms as `io:format("~w", [T])` does.
//!
//! The printer walks the term with an explicit work stack, so a list of ten
//! million elements or a tuple nested a million deep prints without native
//! recursion.

use std::fmt::{self, Write};

use ibig::UBig;

use super::boxed::Subtag;
use super::{Kind, Term};

/// A term displayed in `~w` format.
pub struct Printed(pub Term);

impl fmt::Display for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_term(f, self.0)
    }
}

enum Work {
    Term(Term),
    Text(&'static str),
    /// The rest of a list after an element has been printed.
    ListRest(Term),
    /// The remaining elements of a tuple.
    Elements(&'static [Term]),
}

/// Writes `t` in `~w` format.
pub fn write_term(out: &mut dyn Write, t: Term) -> fmt::Result {
    let mut stack = vec![Work::Term(t)];
    while let Some(w) = stack.pop() {
        match w {
            Work::Text(s) => out.write_str(s)?,
            Work::Elements(es) => {
                if let Some((first, rest)) = es.split_first() {
                    if !rest.is_empty() {
                        stack.push(Work::Elements(rest));
                        stack.push(Work::Text(","));
                    }
                    stack.push(Work::Term(*first));
                }
            }
            Work::ListRest(tail) => match tail.as_cons() {
                Some((h, t)) => {
                    out.write_char(',')?;
                    stack.push(Work::ListRest(t));
                    stack.push(Work::Term(h));
                }
                None if tail.is_nil() => out.write_char(']')?,
                None => {
                    out.write_char('|')?;
                    stack.push(Work::Text("]"));
                    stack.push(Work::Term(tail));
                }
            },
            Work::Term(t) => write_one(out, t, &mut stack)?,
        }
    }
    Ok(())
}

fn write_one(out: &mut dyn Write, t: Term, stack: &mut Vec<Work>) -> fmt::Result {
    match t.kind() {
        Kind::Small => write!(out, "{}", t.small_value()),
        Kind::Big => write!(out, "{}", t.as_bignum().unwrap_or_default()),
        Kind::Float => out.write_str(&format_float(t.as_float().unwrap_or(0.0))),
        Kind::Atom => out.write_str(&quote_atom(t.as_atom().map_or("", |a| a.name()))),
        Kind::Nil => out.write_str("[]"),
        Kind::List => {
            let (h, tl) = t.as_cons().unwrap_or((Term::NIL, Term::NIL));
            out.write_char('[')?;
            stack.push(Work::ListRest(tl));
            stack.push(Work::Term(h));
            Ok(())
        }
        Kind::Tuple => {
            out.write_char('{')?;
            stack.push(Work::Text("}"));
            stack.push(Work::Elements(t.as_tuple().map_or(&[], |tu| tu.elements())));
            Ok(())
        }
        Kind::Binary => write_bits(out, t),
        Kind::Pid => match t.as_local_pid() {
            Some((n, s)) => write!(out, "<0.{n}.{s}>"),
            None => {
                let e = t.as_external_pid().expect("pid kind");
                write!(out, "<{}.{}.{}>", node_number(e.node), e.id, e.serial)
            }
        },
        Kind::Port => match t.as_local_port() {
            Some(n) => write!(out, "#Port<0.{n}>"),
            None => {
                let e = t.as_external_port().expect("port kind");
                write!(out, "#Port<{}.{}>", node_number(e.node), e.id)
            }
        },
        Kind::Ref => {
            let r = t.as_ref_id().expect("ref kind");
            let node = r.node.map_or(0, |(n, _)| node_number(n));
            write!(out, "#Ref<{node}")?;
            for id in r.ids.iter().rev() {
                write!(out, ".{id}")?;
            }
            out.write_char('>')
        }
        Kind::Fun => {
            if let Some(e) = t.as_export() {
                write!(
                    out,
                    "fun {}:{}/{}",
                    quote_atom(e.module.name()),
                    quote_atom(e.function.name()),
                    e.arity
                )
            } else {
                let c = t.as_closure().expect("fun kind");
                let e = c.entry();
                write!(
                    out,
                    "#Fun<{}.{}.{}>",
                    quote_atom(e.module.name()),
                    e.old_index,
                    e.old_uniq
                )
            }
        }
        Kind::Map => super::map::write_map(out, t, stack_pusher(stack)),
        Kind::Internal => match t.header().map(|h| h.subtag()) {
            Some(Subtag::MatchState) => out.write_str("#MatchState"),
            _ if t.is_catch() => write!(out, "#Catch<{}>", t.catch_index()),
            _ => write!(out, "#Internal<{:#x}>", t.raw()),
        },
    }
}

/// Lets the map printer schedule its keys and values on the work stack: it
/// is handed the items to print in order, as terms or separators.
pub(crate) enum Item {
    /// A term to print.
    Term(Term),
    /// Literal text.
    Text(&'static str),
}

fn stack_pusher(stack: &mut Vec<Work>) -> impl FnOnce(Vec<Item>) + '_ {
    move |items| {
        for item in items.into_iter().rev() {
            stack.push(match item {
                Item::Term(t) => Work::Term(t),
                Item::Text(s) => Work::Text(s),
            });
        }
    }
}

/// Other nodes have no distribution entry yet, so they print as node 1 (the
/// first remote node BEAM would number).
fn node_number(node: crate::atom::Atom) -> u32 {
    u32::from(node != crate::atom::Atom::NONODE)
}

fn write_bits(out: &mut dyn Write, t: Term) -> fmt::Result {
    let bits = t.as_bits().expect("binary kind");
    out.write_str("<<")?;
    let whole = bits.bit_size / 8;
    for i in 0..whole {
        if i > 0 {
            out.write_char(',')?;
        }
        write!(out, "{}", bits.byte(i))?;
    }
    let rest = bits.bit_size % 8;
    if rest > 0 {
        if whole > 0 {
            out.write_char(',')?;
        }
        write!(out, "{}:{}", bits.byte(whole) >> (8 - rest), rest)?;
    }
    out.write_str(">>")
}

/// Formats a float as `float_to_list(F, [short])` does (which `~w` uses):
/// the shortest digits that read back to the same float, in fixed or
/// scientific notation, whichever is shorter (fixed on a tie), but never fixed
/// from 2^53 up, where not every integer is a float.
pub fn format_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde±X".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("exponent is a number");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = tie_to_even(f.abs(), digits, exp);
    let sign = if f < 0.0 { "-" } else { "" };

    let scientific = if digits.len() == 1 {
        format!("{digits}.0e{exp}")
    } else {
        format!("{}.{}e{exp}", &digits[..1], &digits[1..])
    };
    let n = digits.len() as i32;
    let fixed = if exp < 0 {
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    } else if exp + 1 >= n {
        format!("{}{}.0", digits, "0".repeat((exp + 1 - n) as usize))
    } else {
        let point = (exp + 1) as usize;
        format!("{}.{}", &digits[..point], &digits[point..])
    };
    if fixed.len() <= scientific.len() && f.abs() < 9007199254740992.0 {
        format!("{sign}{fixed}")
    } else {
        format!("{sign}{scientific}")
    }
}

/// Rust's shortest digits break an exact tie between two shortest
/// candidates upwards; Ryu, which BEAM uses, picks the even one: 0.5260391235351562
/// is exactly halfway between ...562 and ...563 and BEAM prints ...562.
/// `digits` with exponent `exp` are Rust's shortest digits for `x` (> 0).
fn tie_to_even(x: f64, digits: String, exp: i32) -> String {
    let n = digits.len();
    let last = digits.as_bytes()[n - 1] - b'0';
    if n < 2 || last.is_multiple_of(2) {
        return digits;
    }
    // The candidate one below, and the midpoint `mid * 10^(exp - n)` between it
    // and `digits`; `digits` has at most 17 digits, so `mid` fits a u64.
    let below = format!("{}{}", &digits[..n - 1], last - 1);
    let Ok(d) = digits.parse::<u64>() else {
        return digits;
    };
    let mid = d * 10 - 5;
    let scale = exp - n as i32;
    // Cheap test first: a midpoint that reads back as another float is no tie.
    if format!("{mid}e{scale}").parse::<f64>() != Ok(x) || !is_exactly(x, mid, scale) {
        return digits;
    }
    let below_value = format!("{}.{}e{exp}", &below[..1], &below[1..]).parse::<f64>();
    if below_value == Ok(x) {
        below
    } else {
        digits
    }
}

/// Whether the finite float `x` (> 0) equals `m * 10^k` exactly.
fn is_exactly(x: f64, m: u64, k: i32) -> bool {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7FF) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // x = xm * 2^e2
    let (xm, e2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let ten = |p: i32| UBig::from(10u8).pow(p.max(0) as usize);
    let lhs = (UBig::from(xm) << e2.max(0) as usize) * ten(-k);
    let rhs = (UBig::from(m) << (-e2).max(0) as usize) * ten(k);
    lhs == rhs
}

/// Words that must be quoted as atoms because they are reserved.
const RESERVED: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

/// An atom's name as Erlang writes it: quoted when it must be.
pub fn quote_atom(name: &str) -> String {
    let is_lower = |c: char| c.is_ascii_lowercase() || (('ß'..='ÿ').contains(&c) && c != '÷');
    let is_name_char = |c: char| {
        c.is_ascii_alphanumeric()
            || c == '_'
            || c == '@'
            || (('À'..='ÿ').contains(&c) && c != '×' && c != '÷')
    };
    let bare = name.chars().next().is_some_and(is_lower)
        && name.chars().all(is_name_char)
        && !RESERVED.contains(&name);
    if bare {
        return name.to_string();
    }
    let mut s = String::with_capacity(name.len() + 2);
    s.push('\'');
    for c in name.chars() {
        match c {
            '\'' => s.push_str("\\'"),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\x0B' => s.push_str("\\v"),
            '\x08' => s.push_str("\\b"),
            '\x0C' => s.push_str("\\f"),
            '\x1B' => s.push_str("\\e"),
            '\x7F' => s.push_str("\\d"),
            c if (c as u32) < 0x20 => {
                s.push('^');
                s.push(char::from_u32(c as u32 + 0x40).unwrap_or('?'));
            }
            c => s.push(c),
        }
    }
    s.push('\'');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atom::Atom;
    use crate::term::Heap;

    // Expected strings below were printed by `erl` (OTP 25) with `~w`.
    #[test]
    fn floats_print_as_beam_prints_them() {
        let cases = [
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1.0e15, "1.0e15"),
            (1.2345678901234568e17, "1.2345678901234568e17"),
            (0.001, "0.001"),
            (0.0001, "0.0001"),
            (1.0e-5, "1.0e-5"),
            (-0.0, "-0.0"),
            (5.0e-324, "5.0e-324"),
            (12345.678, "12345.678"),
            (1000.0, "1.0e3"),
            (123456.0, "123456.0"),
            (120.0, "120.0"),
            (1200.0, "1.2e3"),
            (0.00012, "1.2e-4"),
            (123.0e10, "1.23e12"),
            (-1000.0, "-1.0e3"),
            (1234567890123456.0, "1234567890123456.0"),
            (9007199254740992.0, "9.007199254740992e15"),
            (4503599627370497.0, "4503599627370497.0"),
            (0.00015, "1.5e-4"),
            (0.30000000000000004, "0.30000000000000004"),
            // Exact ties between two shortest candidates: Ryu picks the even.
            (f64::from_bits(0x3fbc_3240_0000_0000), "0.11014175415039062"),
            (f64::from_bits(0x4306_38c4_332f_d87a), "781858101394191.2"),
            (-3.6388015747070312, "-3.6388015747070312"),
        ];
        for (f, s) in cases {
            assert_eq!(format_float(f), s, "{f:?}");
        }
    }

    #[test]
    fn atoms_quote_as_beam_quotes_them() {
        for (name, s) in [
            ("a b", "'a b'"),
            ("A", "'A'"),
            ("aB", "aB"),
            ("and", "'and'"),
            ("x@y", "x@y"),
            ("_x", "'_x'"),
            ("", "''"),
            ("a.b", "'a.b'"),
            ("hello\n", "'hello\\n'"),
            ("maybe", "maybe"),
            ("else", "else"),
            ("when", "'when'"),
        ] {
            assert_eq!(quote_atom(name), s);
        }
    }

    #[test]
    fn compound_terms_print_as_beam_prints_them() {
        let mut h = Heap::new();
        let bin = h.binary(&[1, 2, 3]);
        let bits = h.bitstring(&[0b0010_0000], 3);
        let abc = h.binary(b"abc\x40");
        let abc_bits = h.sub_binary(abc, 0, 26);
        let empty = h.tuple(&[]);
        let a = Atom::intern("a").unwrap();
        let one = h.tuple(&[Term::atom(a)]);
        let improper = h.list_with_tail(&[Term::small(1)], Term::small(2));
        let s = h.string("abc");
        let l = h.list(&[
            bin,
            bits,
            abc_bits,
            empty,
            one,
            improper,
            s,
            Term::pid(9, 0),
        ]);
        assert_eq!(
            l.to_string(),
            "[<<1,2,3>>,<<1:3>>,<<97,98,99,1:2>>,{},{a},[1|2],[97,98,99],<0.9.0>]"
        );
        let r = h.local_ref(&[97280, 767557634, 3992119302]);
        assert_eq!(r.to_string(), "#Ref<0.3992119302.767557634.97280>");
    }

    #[test]
    fn deep_terms_print_without_recursion() {
        let mut h = Heap::new();
        let mut t = Term::NIL;
        for _ in 0..1_000_000 {
            t = h.tuple(&[t]);
        }
        let s = t.to_string();
        assert_eq!(s.len(), 2 * 1_000_000 + 2);
    }
}
