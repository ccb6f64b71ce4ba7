//! `erlang:memory/0,1`: BEAM's memory categories, in bytes. `processes`
//! adds up every process's `Process::heap_stats().memory_bytes`; `total`
//! is the OS process's resident memory (at least `processes`), and
//! `system` the rest. `binary` is the bytes of the off-heap binary buffers
//! alive (BEAM adds its allocators' overhead), `code` the size of the
//! loaded modules' instructions and tables, `atom` an estimate; Enigma has
//! no ETS yet (`ets` is 0).

use enigma_vm::atom::{atom_count, Atom};
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::super::helpers::int;

/// The `erlang:memory/0,1` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "memory",
        arity: 0,
        f: memory_0,
    },
    BifEntry {
        module: "erlang",
        name: "memory",
        arity: 1,
        f: memory_1,
    },
];

/// The categories `memory/0` lists, in BEAM's order.
pub(super) const KEYS: [&str; 9] = [
    "total",
    "processes",
    "processes_used",
    "system",
    "atom",
    "atom_used",
    "binary",
    "code",
    "ets",
];

/// Resident memory of this OS process, from `/proc/self/statm`.
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// The value of one category, `None` for an unknown one.
pub(super) fn category(p: &Process, key: &str) -> Option<usize> {
    let processes = p.heap_stats().memory_bytes + enigma_interp::sched::process_memory();
    let total = resident_bytes().max(processes);
    // An atom's table entry and name: about as much as BEAM's.
    let atoms = atom_count() * 48;
    Some(match key {
        "total" => total,
        "processes" | "processes_used" => processes,
        "system" => total - processes,
        "atom" | "atom_used" => atoms,
        "binary" => enigma_vm::term::binary::live_bytes(),
        "code" => code_bytes(),
        "ets" => 0,
        _ => return None,
    })
}

/// The loaded modules' instructions, operands, jump tables and function
/// tables.
fn code_bytes() -> usize {
    use std::mem::size_of_val;
    enigma_interp::code::all()
        .map(|(_, m, _)| {
            size_of_val(m.code.as_slice())
                + size_of_val(m.operands.as_slice())
                + size_of_val(m.selects.as_slice())
                + size_of_val(m.functions.as_slice())
                + size_of_val(m.line_marks.as_slice())
        })
        .sum()
}

fn memory_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut pairs = Vec::with_capacity(KEYS.len());
    for key in KEYS {
        let v = category(p, key).unwrap_or(0);
        let k = Term::atom(Atom::intern(key).map_err(|_| Exception::system_limit())?);
        let v = int(&mut p.heap, v as i128);
        pairs.push(p.heap.tuple(&[k, v]));
    }
    Ok(p.heap.list(&pairs))
}

fn memory_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let one = |p: &mut Process, t: Term| -> Result<Term, Exception> {
        let v = t
            .as_atom()
            .and_then(|a| category(p, a.name()))
            .ok_or_else(Exception::badarg)?;
        Ok(int(&mut p.heap, v as i128))
    };
    let arg = args[0];
    if arg.is_atom() {
        return one(p, arg);
    }
    let keys = arg.proper_list().ok_or_else(Exception::badarg)?;
    let mut pairs = Vec::with_capacity(keys.len());
    for k in keys {
        let v = one(p, k)?;
        pairs.push(p.heap.tuple(&[k, v]));
    }
    Ok(p.heap.list(&pairs))
}
