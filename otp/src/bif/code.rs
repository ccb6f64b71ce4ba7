//! Module `code` as BIFs on the VM's own code table and code path:
//! `is_loaded/1`, `which/1`, `all_loaded/0`, `delete/1`, `purge/1`,
//! `soft_purge/1`, `is_sticky/1`, `root_dir/0`, `lib_dir/0,1,2`,
//! `priv_dir/1`, `compiler_dir/0`, `get_object_code/1` (the path functions
//! are in `code_path.rs`). `enigma run` does not boot OTP's `init`; the
//! `code_server` process of the boot module answers `code.erl`'s requests
//! by calling these (docs/RUNTIME.md, "The code server").
//! `ensure_loaded/1`, `load_file/1`, `load_binary/3`,
//! `ensure_modules_loaded/1` (and `erlang:load_module/2`) run `on_load`
//! functions, so they are interpreter operations (`interp/src/special.rs`).
//! A module loaded from a binary is reported at its file name as given, one
//! loaded from the code path at its absolute name, as BEAM's code server
//! reports them; an old version is replaced without `not_purged`.
//! `erlang:pre_loaded/0` is here too: BEAM's preloaded modules are reported
//! as `preloaded`, as on BEAM.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use enigma_interp::code::{self, absolute};
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::module::PRE_LOADED;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::erlang::code_admin;
use crate::bif::helpers::atom;

/// The `code` functions answered without a code server.
pub const TABLE: &[BifEntry] = &[
    e("is_loaded", 1, is_loaded),
    e("which", 1, which),
    e("all_loaded", 0, all_loaded),
    e("delete", 1, delete),
    e("purge", 1, purge),
    e("soft_purge", 1, soft_purge),
    e("is_sticky", 1, is_sticky),
    e("root_dir", 0, root_dir),
    e("lib_dir", 0, lib_dir_0),
    e("lib_dir", 1, lib_dir_1),
    e("priv_dir", 1, priv_dir),
    e("lib_dir", 2, lib_dir_2),
    e("compiler_dir", 0, compiler_dir),
    e("get_object_code", 1, get_object_code),
    entry("erlang", "pre_loaded", 0, pre_loaded),
    entry("enigma_code", "set_file", 2, set_file),
    entry("enigma_code", "await_on_load", 1, await_on_load),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("code", name, arity, f)
}

static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// Records the OTP installation the VM runs (for `root_dir/0` & co.).
pub fn set_root(root: PathBuf) {
    let _ = ROOT.set(root);
}

fn root() -> Result<&'static Path, Exception> {
    ROOT.get()
        .map(PathBuf::as_path)
        .ok_or_else(Exception::badarg)
}

fn is_preloaded(m: Atom) -> bool {
    enigma_vm::module::is_preloaded(m)
}

/// The module argument; anything else fails as `code.erl`'s guards do.
fn module_arg(args: &[Term]) -> Result<Atom, Exception> {
    let [m] = arity(args)?;
    m.as_atom()
        .ok_or_else(|| Exception::error(Term::atom(Atom::FUNCTION_CLAUSE)))
}

fn path_term(p: &mut Process, path: &Path) -> Term {
    p.heap.string(&path.to_string_lossy())
}

/// The file a loaded module came from, or `preloaded`.
fn loaded_file(p: &mut Process, m: Atom) -> Result<Option<Term>, Exception> {
    // BEAM has its preloaded modules loaded from the start.
    if is_preloaded(m) {
        return atom("preloaded").map(Some);
    }
    if code::current(m).is_none() {
        return Ok(None);
    }
    Ok(Some(match code::file_of(m) {
        Some(f) => path_term(p, &f),
        None => atom("preloaded")?,
    }))
}

fn is_loaded(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    match loaded_file(p, m)? {
        Some(f) => {
            let tag = atom("file")?;
            Ok(p.heap.tuple(&[tag, f]))
        }
        None => Ok(Term::FALSE),
    }
}

fn which(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    if let Some(f) = loaded_file(p, m)? {
        return Ok(f);
    }
    match code::find(m) {
        Some(f) => Ok(path_term(p, &absolute(&f))),
        None => atom("non_existing"),
    }
}

fn all_loaded(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut names: Vec<Atom> = code::all()
        .map(|(_, m, _)| m.name)
        .filter(|&m| code::current(m).is_some())
        .collect();
    names.sort_by_key(|m| m.index());
    names.dedup();
    let mut items = Vec::with_capacity(names.len());
    for m in names {
        if let Some(f) = loaded_file(p, m)? {
            items.push(p.heap.tuple(&[Term::atom(m), f]));
        }
    }
    Ok(p.heap.list(&items))
}

/// The current code becomes old (`false` if `m` has old code already or
/// is not loaded, as `code_server` answers).
fn delete(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    Ok(Term::bool(!code_admin::has_old(m) && code_admin::delete(m)))
}

/// Drops old code. No process runs old code that a purge would kill it
/// for (Enigma keeps every version a process runs), so `false`.
fn purge(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    code_admin::purge(m);
    Ok(Term::FALSE)
}

fn soft_purge(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    code_admin::purge(m);
    Ok(Term::TRUE)
}

fn is_sticky(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    Ok(Term::bool(is_preloaded(m) || code::is_sticky(m)))
}

fn root_dir(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let r = root()?;
    Ok(path_term(p, r))
}

fn lib_dir_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let lib = root()?.join("lib");
    Ok(path_term(p, &lib))
}

/// `lib/App-Vsn` (the newest version when several are installed) or
/// `lib/App`.
fn app_dir(app: Atom) -> Result<Option<PathBuf>, Exception> {
    let lib = root()?.join("lib");
    let name = app.name();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&lib)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|d| {
                    d.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n == name || n.strip_prefix(name).is_some_and(|v| v.starts_with('-'))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    Ok(found.pop())
}

fn lib_dir_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let app = module_arg(args)?;
    match app_dir(app)? {
        Some(d) => Ok(path_term(p, &d)),
        None => bad_name(p),
    }
}

fn priv_dir(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let app = module_arg(args)?;
    match app_dir(app)? {
        Some(d) => Ok(path_term(p, &d.join("priv"))),
        None => bad_name(p),
    }
}

fn lib_dir_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [app, sub] = arity(args)?;
    let (Some(app), Some(sub)) = (app.as_atom(), sub.as_atom()) else {
        return Err(Exception::error(Term::atom(Atom::FUNCTION_CLAUSE)));
    };
    match app_dir(app)? {
        Some(d) => Ok(path_term(p, &d.join(sub.name()))),
        None => bad_name(p),
    }
}

fn compiler_dir(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let compiler = Atom::intern("compiler").map_err(|_| Exception::system_limit())?;
    let dir = app_dir(compiler)?.unwrap_or_else(|| PathBuf::from("compiler"));
    Ok(path_term(p, &dir))
}

/// `{M, Beam, File}` for the `M.beam` loading would find on the code path
/// (its file name made absolute), or `error`.
fn get_object_code(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = module_arg(args)?;
    let found = code::find(m).and_then(|f| Some((std::fs::read(&f).ok()?, f)));
    let Some((bytes, file)) = found else {
        return atom("error");
    };
    let beam = p.heap.binary(&bytes);
    let file = path_term(p, &absolute(&file));
    Ok(p.heap.tuple(&[Term::atom(m), beam, file]))
}

fn bad_name(p: &mut Process) -> Result<Term, Exception> {
    let why = atom("bad_name")?;
    Ok(p.heap.tuple(&[Term::atom(Atom::ERROR), why]))
}

fn pre_loaded(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut items = Vec::with_capacity(PRE_LOADED.len());
    for name in PRE_LOADED {
        items.push(atom(name)?);
    }
    Ok(p.heap.list(&items))
}

/// `enigma_code:set_file(M, File)`: the boot module's code server records
/// the file of a module `erlang:finish_loading/1` installed (what
/// `code:which/1` reports, as OTP's code server's table does).
fn set_file(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m, file] = arity(args)?;
    let (Some(m), Some(file)) = (m.as_atom(), file.as_string()) else {
        return Err(Exception::badarg());
    };
    code::set_file(m, file.into());
    Ok(Term::TRUE)
}

/// `enigma_code:await_on_load(M)`: whether a process runs the `on_load`
/// function of a version of `M`; if so, the caller is sent
/// `{enigma_on_load, M}` when it ends (the boot module waits for that).
fn await_on_load(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    let m = m.as_atom().ok_or_else(Exception::badarg)?;
    Ok(Term::bool(code::await_running(m, p.pid)))
}
