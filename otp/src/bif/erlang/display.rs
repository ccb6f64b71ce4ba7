//! `erlang:display/1`, `display_string/1` and `display_nl/0`: BEAM's debugging
//! output, written straight to the standard streams and bypassing `io`.
//!
//! `display/1` prints with the runtime's C term printer
//! (`erl_printf_term.c`), whose format differs from `~w`: floats as C's
//! `%e`, strings and atoms as raw Latin-1 or UTF-8 bytes with few escapes,
//! maps without spaces around `=>`. BEAM ends every line with `\r\n`, even
//! when the stream is a file or a pipe; so does this. Maps of more than 32
//! keys print their trie's nodes, as BEAM's do.

use std::io::Write;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{map, Kind, Term};

/// The display BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "display",
        arity: 1,
        f: display_1,
    },
    BifEntry {
        module: "erlang",
        name: "display_string",
        arity: 1,
        f: display_string_1,
    },
    BifEntry {
        module: "erlang",
        name: "display_nl",
        arity: 0,
        f: display_nl_0,
    },
];

fn display_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = args else {
        return Err(Exception::badarg());
    };
    let mut out = display_bytes(*t);
    out.extend_from_slice(b"\r\n");
    let mut stdout = std::io::stdout().lock();
    // Output errors (a closed pipe) are ignored, as BEAM ignores them.
    let _ = stdout.write_all(&out).and_then(|()| stdout.flush());
    Ok(Term::TRUE)
}

fn display_string_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = args else {
        return Err(Exception::badarg());
    };
    let mut out = String::new();
    for c in t.proper_list().ok_or_else(Exception::badarg)? {
        let c = c
            .as_small()
            .and_then(|c| u32::try_from(c).ok())
            .and_then(char::from_u32)
            .ok_or_else(Exception::badarg)?;
        if c == '\n' {
            out.push('\r');
        }
        out.push(c);
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(out.as_bytes())
        .and_then(|()| stderr.flush());
    Ok(Term::TRUE)
}

/// `erlang:display_nl/0`: a line end on standard error, as
/// `display_string/1` writes one.
fn display_nl_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(b"\r\n").and_then(|()| stderr.flush());
    Ok(Term::TRUE)
}

enum Work {
    Term(Term),
    Text(&'static str),
    /// The rest of a list after an element.
    ListRest(Term),
    /// Remaining tuple elements.
    Elements(&'static [Term]),
}

/// `t` as `erlang:display/1` prints it, without the line end.
pub fn display_bytes(t: Term) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![Work::Term(t)];
    while let Some(w) = stack.pop() {
        match w {
            Work::Text(s) => out.extend_from_slice(s.as_bytes()),
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
                    out.push(b',');
                    stack.push(Work::ListRest(t));
                    stack.push(Work::Term(h));
                }
                None if tail.is_nil() => out.push(b']'),
                None => {
                    out.push(b'|');
                    stack.push(Work::Text("]"));
                    stack.push(Work::Term(tail));
                }
            },
            Work::Term(t) => one(&mut out, t, &mut stack),
        }
    }
    out
}

fn one(out: &mut Vec<u8>, t: Term, stack: &mut Vec<Work>) {
    match t.kind() {
        Kind::Small => out.extend_from_slice(t.small_value().to_string().as_bytes()),
        Kind::Big => {
            out.extend_from_slice(t.as_bignum().unwrap_or_default().to_string().as_bytes())
        }
        Kind::Float => out.extend_from_slice(c_exp(t.as_float().unwrap_or(0.0)).as_bytes()),
        Kind::Atom => atom(out, t.as_atom().map_or("", |a| a.name())),
        Kind::Nil => out.extend_from_slice(b"[]"),
        Kind::List => {
            if let Some(s) = printable_string(t) {
                out.push(b'"');
                for c in s {
                    match c {
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'"' => out.extend_from_slice(b"\\\""),
                        c => out.push(c),
                    }
                }
                out.push(b'"');
            } else if let Some((h, tl)) = t.as_cons() {
                out.push(b'[');
                stack.push(Work::ListRest(tl));
                stack.push(Work::Term(h));
            }
        }
        Kind::Tuple => {
            out.push(b'{');
            stack.push(Work::Text("}"));
            stack.push(Work::Elements(t.as_tuple().map_or(&[], |tu| tu.elements())));
        }
        Kind::Map => match map::trie_node(t) {
            // A trie prints its shape: bitmaps in hex, leaves as the cons
            // cells `[K|V]` they are.
            Some((bitmap, slots)) => {
                out.extend_from_slice(format!("#<{bitmap:x}>{{").as_bytes());
                stack.push(Work::Text("}"));
                stack.push(Work::Elements(slots));
            }
            None => {
                out.extend_from_slice(b"#{");
                stack.push(Work::Text("}"));
                let entries: Vec<(Term, Term)> = map::iter(t).collect();
                for (i, (k, v)) in entries.into_iter().enumerate().rev() {
                    stack.push(Work::Term(v));
                    stack.push(Work::Text("=>"));
                    stack.push(Work::Term(k));
                    if i > 0 {
                        stack.push(Work::Text(","));
                    }
                }
            }
        },
        Kind::Binary => binary(out, t),
        Kind::Fun => {
            if let Some(e) = t.as_export() {
                out.extend_from_slice(b"fun ");
                atom(out, e.module.name());
                out.push(b':');
                atom(out, e.function.name());
                out.extend_from_slice(format!("/{}", e.arity).as_bytes());
            } else if let Some(c) = t.as_closure() {
                let e = c.entry();
                let s = format!("#Fun<{}.{}.{}>", e.module.name(), e.old_index, e.old_uniq);
                out.extend_from_slice(s.as_bytes());
            }
        }
        // Pids, ports and references print as in `~w`.
        Kind::Pid | Kind::Port | Kind::Ref => out.extend_from_slice(t.to_string().as_bytes()),
        Kind::Internal => match map::trie_node(t) {
            Some((bitmap, slots)) => {
                out.extend_from_slice(format!("<{bitmap:x}>{{").as_bytes());
                stack.push(Work::Text("}"));
                stack.push(Work::Elements(slots));
            }
            None => out.extend_from_slice(t.to_string().as_bytes()),
        },
    }
}

/// C's `%e`: six decimals and an exponent of at least two digits.
fn c_exp(f: f64) -> String {
    let s = format!("{f:.6e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
}

/// Is `c` a control character for the C printer (Latin-1 aware)?
fn is_cntrl(c: i64) -> bool {
    c < 32 || c == 127 || (128..160).contains(&c)
}

/// The bytes of a non-empty flat list of printable Latin-1 characters.
fn printable_string(t: Term) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut l = t;
    while let Some((h, tl)) = l.as_cons() {
        let c = h.as_small().filter(|c| (0..256).contains(c))?;
        if is_cntrl(c) && !matches!(c, 9 | 10 | 13 | 32) {
            return None;
        }
        bytes.push(c as u8);
        l = tl;
    }
    (l.is_nil() && !bytes.is_empty()).then_some(bytes)
}

fn binary(out: &mut Vec<u8>, t: Term) {
    let Some(bits) = t.as_bits() else { return };
    let whole = bits.bit_size / 8;
    let tail_bits = bits.bit_size % 8;
    let bytes: Vec<u8> = (0..whole).map(|i| bits.byte(i)).collect();
    if tail_bits == 0 && !bytes.is_empty() && bytes.iter().all(|b| (32..127).contains(b)) {
        out.extend_from_slice(b"<<\"");
        for &b in &bytes {
            if b == b'"' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.extend_from_slice(b"\">>");
        return;
    }
    let mut parts: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
    if tail_bits > 0 {
        let last = bits.byte(whole) >> (8 - tail_bits);
        parts.push(format!("{last}:{tail_bits}"));
    }
    out.extend_from_slice(format!("<<{}>>", parts.join(",")).as_bytes());
}

/// The Latin-1 character a UTF-8 sequence starting `c1, c2` stands for,
/// as the C printer judges it: a continuation byte passes as a letter, the
/// lead of a 3- or 4-byte sequence as a character that needs quoting.
fn latin1_char(c1: u8, c2: u8) -> u32 {
    if c1 & 0x80 == 0 {
        u32::from(c1)
    } else if c1 & 0xE0 == 0xC0 {
        (u32::from(c1 & 0x1F) << 6) | u32::from(c2 & 0x3F)
    } else if c1 & 0xC0 == 0x80 {
        u32::from(b'a')
    } else {
        0
    }
}

fn is_lower(c: u32) -> bool {
    (u32::from(b'a')..=u32::from(b'z')).contains(&c) || ((223..=255).contains(&c) && c != 247)
}

fn is_upper(c: u32) -> bool {
    (u32::from(b'A')..=u32::from(b'Z')).contains(&c) || ((192..=222).contains(&c) && c != 215)
}

fn is_alnum(c: u32) -> bool {
    (u32::from(b'0')..=u32::from(b'9')).contains(&c)
        || is_lower(c)
        || is_upper(c)
        || c == u32::from(b'_')
}

/// An atom, quoted when the C printer quotes it.
fn atom(out: &mut Vec<u8>, name: &str) {
    let s = name.as_bytes();
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    let at = |i: usize| latin1_char(s[i], s.get(i + 1).copied().unwrap_or(0));
    let quote = !is_lower(at(0)) || (1..s.len()).any(|i| !is_alnum(at(i)));
    if quote {
        out.push(b'\'');
    }
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        match c {
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0b => out.extend_from_slice(b"\\v"),
            c if c < b' ' => out.extend_from_slice(format!("\\{c:03o}").as_bytes()),
            0xC2 if s.get(i).is_some_and(|&n| n < 0xA0) => {
                // A C1 control character (128..159), escaped in octal.
                out.extend_from_slice(format!("\\{:03o}", s[i]).as_bytes());
                i += 1;
            }
            c => out.push(c),
        }
    }
    if quote {
        out.push(b'\'');
    }
}
