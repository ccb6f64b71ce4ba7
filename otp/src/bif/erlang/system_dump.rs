//! The `erlang:system_info/1` items that describe BEAM's own machinery:
//! the text reports (`info`, `loaded`, `dist`), the allocators
//! (`allocator`, `{allocator, A}`, `{allocator_sizes, A}`,
//! `allocated_areas`), `check_io` and `system_logger`. Enigma has no
//! `alloc_util` allocators and no poll set, so these have BEAM's shapes
//! with what Enigma knows (memory, atoms, loaded code) and zero or
//! "disabled" for the rest; monitoring tools that read them get
//! well-formed answers.

use enigma_vm::atom::{atom_count, Atom};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Heap, Term};

use super::system::ALLOC_UTIL_ALLOCATORS;
use crate::bif::helpers::{atom, int, is_atom};

/// BEAM's limits, which size its process and port tables.
const PROCESS_LIMIT: usize = 262_144;
const PORT_LIMIT: usize = 65_536;

/// The answer for `key` if it is one of this module's items.
pub(super) fn answer(p: &mut Process, key: Term) -> Option<Result<Term, Exception>> {
    if let Some(t) = key.as_tuple() {
        let (k, a) = (t.get(0)?, t.get(1)?);
        let per_allocator = is_atom(k, "allocator") || is_atom(k, "allocator_sizes");
        if t.len() != 2 || !per_allocator {
            return None;
        }
        // Every allocator is disabled (`false`); an unknown one is
        // `badarg`, as BEAM's `erlang:get_alloc_info/2` makes it.
        let known = a.as_atom().is_some_and(|a| {
            ALLOC_UTIL_ALLOCATORS.contains(&a.name()) || OTHER_ALLOCATORS.contains(&a.name())
        });
        return Some(if known {
            Ok(Term::FALSE)
        } else {
            Err(Exception::badarg())
        });
    }
    let name = key.as_atom()?.name();
    Some(match name {
        "dist" => Ok(p.heap.binary(b"=node:'nonode@nohost'\n=no_distribution\n")),
        "loaded" => Ok(p.heap.binary(loaded().as_bytes())),
        "info" => {
            let text = info(p);
            Ok(p.heap.binary(text.as_bytes()))
        }
        "allocated_areas" => allocated_areas(&mut p.heap),
        "allocator" => {
            let none = Term::atom(Atom::UNDEFINED);
            Ok(p.heap.tuple(&[none, Term::NIL, Term::NIL, Term::NIL]))
        }
        "check_io" => check_io(&mut p.heap),
        // Where the emulator's reports go: Enigma sends them to `logger`.
        "system_logger" => atom("logger").map(|l| {
            l.as_atom()
                .and_then(enigma_interp::sched::whereis)
                .unwrap_or(l)
        }),
        _ => return None,
    })
}

/// BEAM 25's allocators that are not built on `alloc_util`, as
/// `{allocator, A}` names them (those that are: `ALLOC_UTIL_ALLOCATORS`).
const OTHER_ALLOCATORS: &[&str] = &[
    "sys_alloc",
    "mseg_alloc",
    "sys_aligned_alloc",
    "literal_mmap",
    "exec_alloc",
    "exec_mmap",
    "erts_mmap",
];

/// The bytes of module `m`'s loaded code.
fn module_bytes(m: &enigma_vm::code::Module) -> usize {
    use std::mem::size_of_val;
    size_of_val(m.code.as_slice())
        + size_of_val(m.operands.as_slice())
        + size_of_val(m.selects.as_slice())
        + size_of_val(m.functions.as_slice())
        + size_of_val(m.line_marks.as_slice())
}

/// `loaded`: the code's total size, then each module and its size, in
/// load order, as BEAM's `erts_loaded` writes them.
fn loaded() -> String {
    use std::fmt::Write;
    let modules: Vec<(String, usize)> = enigma_interp::code::all()
        .map(|(_, m, _)| (m.name.name().to_string(), module_bytes(m)))
        .collect();
    let total: usize = modules.iter().map(|m| m.1).sum();
    let mut out = format!("Current code: {total}\nOld code: 0\n");
    for (name, size) in modules {
        let _ = writeln!(out, "{name} {size}");
    }
    out
}

/// The estimates of `allocated_areas`, by name, in BEAM's order (bytes).
fn areas() -> Vec<(&'static str, usize)> {
    let code: usize = enigma_interp::code::all()
        .map(|(_, m, _)| module_bytes(m))
        .sum();
    let atoms = atom_count() * 48;
    vec![
        ("sys_misc", 0),
        ("static", 0),
        ("atom_table", atoms),
        ("module_table", 0),
        ("export_table", 0),
        ("export_list", 0),
        ("register_table", 0),
        ("fun_table", 0),
        ("module_refs", 0),
        ("loaded_code", code),
        ("dist_table", 0),
        ("node_table", 0),
        ("bits_bufs_size", 0),
        ("bif_timer", 0),
        ("process_table", PROCESS_LIMIT * 12),
        ("port_table", PORT_LIMIT * 12),
        ("ets_misc", 0),
        ("external_alloc", code),
    ]
}

/// `allocated_areas`: `[{Area, Bytes}]`, `atom_space` as
/// `{atom_space, Allocated, Used}`.
fn allocated_areas(heap: &mut Heap) -> Result<Term, Exception> {
    let atoms = int(heap, (atom_count() * 32) as i128);
    let mut items = Vec::new();
    for (name, bytes) in areas() {
        if name == "atom_table" {
            let space = heap.tuple(&[atom("atom_space")?, atoms, atoms]);
            items.push(space);
        }
        let v = int(heap, bytes as i128);
        items.push(heap.tuple(&[atom(name)?, v]));
    }
    Ok(heap.list(&items))
}

/// `info`: the memory report and the allocated areas, as BEAM's
/// `erts_info` starts.
fn info(p: &Process) -> String {
    use std::fmt::Write;
    let mut out = String::from("=memory\n");
    for key in super::memory::KEYS {
        let v = super::memory::category(p, key).unwrap_or(0);
        let _ = writeln!(out, "{key}: {v}");
    }
    out.push_str("=allocated_areas\n");
    for (name, bytes) in areas() {
        if name == "atom_table" {
            let space = atom_count() * 32;
            let _ = writeln!(out, "atom_space: {space} {space}");
        }
        let _ = writeln!(out, "{name}: {bytes}");
    }
    out
}

/// The most descriptors this process may open (`RLIMIT_NOFILE`).
fn max_fds() -> i64 {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse().ok()
        })
        .unwrap_or(1024)
}

/// `check_io`: one poll set, empty (Enigma waits on no descriptor).
fn check_io(heap: &mut Heap) -> Result<Term, Exception> {
    let items = [
        ("name", atom("erts_poll")?),
        ("primary", atom("epoll")?),
        ("kernel_poll", atom("epoll")?),
        ("memory_size", Term::small(0)),
        ("total_poll_set_size", Term::small(0)),
        ("lazy_updates", Term::FALSE),
        ("pending_updates", Term::small(0)),
        ("batch_updates", Term::FALSE),
        ("concurrent_updates", Term::TRUE),
        ("fallback", Term::FALSE),
        ("max_fds", Term::small(max_fds())),
        ("active_fds", Term::small(0)),
        ("poll_threads", Term::small(0)),
    ];
    let mut pairs = Vec::with_capacity(items.len());
    for (k, v) in items {
        pairs.push(heap.tuple(&[atom(k)?, v]));
    }
    let set = heap.list(&pairs);
    Ok(heap.list(&[set]))
}
