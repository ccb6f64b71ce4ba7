//! `erl_prim_loader`'s file reads (`list_dir/1`, `get_file/1`), which
//! `code`'s Erlang functions (`where_is_file/1,2`, `all_available/0`) call:
//! BEAM's `erl_prim_loader` is a process started by `init`, which Enigma
//! does not boot, so these read the file system directly.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::atom;

/// The `erl_prim_loader` functions.
pub const TABLE: &[BifEntry] = &[
    entry("erl_prim_loader", "list_dir", 1, list_dir),
    entry("erl_prim_loader", "get_file", 1, get_file),
];

/// A file name argument: a string (anything else is `error`).
fn name(t: Term) -> Option<String> {
    t.as_string()
}

/// `{ok, Names}` (in the directory's order) or `error`.
fn list_dir(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dir] = arity(args)?;
    let Some(names) = name(dir).and_then(|d| {
        std::fs::read_dir(d)
            .ok()?
            .map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Option<Vec<String>>>()
    }) else {
        return atom("error");
    };
    let items: Vec<Term> = names.iter().map(|n| p.heap.string(n)).collect();
    let list = p.heap.list(&items);
    let ok = atom("ok")?;
    Ok(p.heap.tuple(&[ok, list]))
}

/// `{ok, Bytes, File}` (the name as given) or `error`.
fn get_file(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [file] = arity(args)?;
    let Some((bytes, file)) = name(file).and_then(|f| Some((std::fs::read(&f).ok()?, f))) else {
        return atom("error");
    };
    let bin = p.heap.binary(&bytes);
    let full = p.heap.string(&file);
    let ok = atom("ok")?;
    Ok(p.heap.tuple(&[ok, bin, full]))
}
