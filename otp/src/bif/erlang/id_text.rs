//! Identifiers and funs as text and back: `pid_to_list/1`,
//! `port_to_list/1`, `ref_to_list/1`, `fun_to_list/1`, `list_to_pid/1`,
//! `list_to_port/1`, `list_to_ref/1`, and `make_fun/3`.
//!
//! Only identifiers of this node parse (node part `0`), with BEAM's limits:
//! a pid's number below 2^15 and serial below 2^13, a port's number below
//! 2^28, exactly three reference words, the last printed below 2^18.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Kind, Term};

use crate::bif::arg::{arity, entry};

/// The identifier BIFs.
pub const TABLE: &[BifEntry] = &[
    e("pid_to_list", 1, pid_to_list),
    e("port_to_list", 1, port_to_list),
    e("ref_to_list", 1, ref_to_list),
    e("fun_to_list", 1, fun_to_list),
    e("list_to_pid", 1, list_to_pid),
    e("list_to_port", 1, list_to_port),
    e("list_to_ref", 1, list_to_ref),
    e("make_fun", 3, make_fun),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// A term of the given kind as `~w` prints it.
fn to_list(p: &mut Process, args: &[Term], kind: Kind) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    if t.kind() != kind {
        return Err(Exception::badarg());
    }
    let s = t.to_string();
    Ok(p.heap.string(&s))
}

fn pid_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_list(p, args, Kind::Pid)
}

fn port_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_list(p, args, Kind::Port)
}

fn ref_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_list(p, args, Kind::Ref)
}

fn fun_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_list(p, args, Kind::Fun)
}

/// The dot-separated numbers of `text` between `prefix` and `>`; each a
/// run of decimal digits that fits in a `u64`.
fn numbers(l: Term, prefix: &str) -> Result<Vec<u64>, Exception> {
    let text = l.as_string().ok_or_else(Exception::badarg)?;
    let inner = text
        .strip_prefix(prefix)
        .and_then(|s| s.strip_suffix('>'))
        .ok_or_else(Exception::badarg)?;
    inner
        .split('.')
        .map(|n| {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Exception::badarg());
            }
            n.parse::<u64>().map_err(|_| Exception::badarg())
        })
        .collect()
}

fn list_to_pid(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    match numbers(l, "<")?[..] {
        [0, number, serial] if number < 1 << 15 && serial < 1 << 13 => {
            Ok(Term::pid(number as u32, serial as u32))
        }
        _ => Err(Exception::badarg()),
    }
}

fn list_to_port(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    match numbers(l, "#Port<")?[..] {
        [0, number] if number < 1 << 28 => Ok(Term::port(number)),
        _ => Err(Exception::badarg()),
    }
}

fn list_to_ref(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    match numbers(l, "#Ref<")?[..] {
        [0, a, b, c] if a <= u64::from(u32::MAX) && b <= u64::from(u32::MAX) && c < 1 << 18 => {
            // Printed most significant word first; stored ids[0] first.
            Ok(p.heap.local_ref(&[c as u32, b as u32, a as u32]))
        }
        _ => Err(Exception::badarg()),
    }
}

fn make_fun(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m, f, a] = arity(args)?;
    let (Some(m), Some(f)) = (m.as_atom(), f.as_atom()) else {
        return Err(Exception::badarg());
    };
    match a.as_small().and_then(|a| u32::try_from(a).ok()) {
        Some(a) if a <= 255 => Ok(p.heap.export_fun(Export::get_or_create(m, f, a))),
        _ => Err(Exception::badarg()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_read_back_as_printed() {
        let mut p = Process::new(Term::pid(0, 0));
        let r = p.heap.local_ref(&[3, 2, 1]);
        let text = ref_to_list(&mut p, &[r]).unwrap();
        let back = list_to_ref(&mut p, &[text]).unwrap();
        assert_eq!(back.to_string(), r.to_string());
    }
}
