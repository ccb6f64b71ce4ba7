//! The code path functions of module `code` (`get_path/0`, `add_path*/1`,
//! `add_paths*/1`, `set_path/1`, `del_path/1`, `get_mode/0`), answered on
//! the VM's own code path (`enigma_interp::code::path`), the one loading
//! on demand searches: Enigma has no `code_server` process (see
//! `bif/code.rs`). Directories are normalized and checked as OTP 25's
//! `code_server.erl` does: `filename:join([Dir])`, then a directory that
//! does not exist is `{error, bad_directory}`.

use std::path::PathBuf;

use enigma_interp::code;
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::atom;

/// The code path functions.
pub const TABLE: &[BifEntry] = &[
    e("get_path", 0, get_path),
    e("add_path", 1, add_path_last),
    e("add_pathz", 1, add_path_last),
    e("add_patha", 1, add_path_first),
    e("add_paths", 1, add_paths_last),
    e("add_pathsz", 1, add_paths_last),
    e("add_pathsa", 1, add_paths_first),
    e("set_path", 1, set_path),
    e("del_path", 1, del_path),
    e("get_mode", 0, get_mode),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("code", name, arity, f)
}

/// `code.erl`'s guards failing: `function_clause`.
fn function_clause() -> Exception {
    Exception::error(Term::atom(Atom::FUNCTION_CLAUSE))
}

/// `filename:join([Dir])` of a directory name: no repeated or trailing
/// slashes, no `.` components but a leading or last one.
fn normalize(dir: &str) -> String {
    let absolute = dir.starts_with('/');
    let parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let last = parts.len().saturating_sub(1);
    let kept: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|&(i, s)| *s != "." || i == 0 || i == last)
        .map(|(_, s)| *s)
        .collect();
    let joined = kept.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// A directory argument (a string) normalized, if it names a directory.
fn directory(t: Term) -> Option<PathBuf> {
    let dir = normalize(&t.as_string()?);
    let path = PathBuf::from(dir);
    path.is_dir().then_some(path)
}

/// A directory of a list of them: a string or an atom.
fn directory_item(t: Term) -> Option<PathBuf> {
    match t.as_atom() {
        Some(a) => {
            let p = PathBuf::from(normalize(a.name()));
            p.is_dir().then_some(p)
        }
        None => directory(t),
    }
}

fn bad_directory(p: &mut Process) -> Result<Term, Exception> {
    let why = atom("bad_directory")?;
    Ok(p.heap.tuple(&[Term::atom(Atom::ERROR), why]))
}

fn get_path(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let dirs: Vec<Term> = code::path()
        .iter()
        .map(|d| p.heap.string(&d.to_string_lossy()))
        .collect();
    Ok(p.heap.list(&dirs))
}

/// Puts `dir` first (moving it if present) or last (unless present).
fn add(dir: PathBuf, first: bool) {
    let mut path = code::path();
    if first {
        path.retain(|d| *d != dir);
        path.insert(0, dir);
    } else if !path.contains(&dir) {
        path.push(dir);
    }
    code::set_path(path);
}

fn add_path(p: &mut Process, args: &[Term], first: bool) -> Result<Term, Exception> {
    let [dir] = arity(args)?;
    if !dir.is_list() && !dir.is_nil() {
        return Err(function_clause());
    }
    match directory(dir) {
        Some(d) => {
            add(d, first);
            Ok(Term::TRUE)
        }
        None => bad_directory(p),
    }
}

fn add_path_last(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    add_path(p, args, false)
}

fn add_path_first(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    add_path(p, args, true)
}

/// Each directory added in turn (an atom names one too); the bad ones are
/// skipped.
fn add_paths(args: &[Term], first: bool) -> Result<Term, Exception> {
    let [dirs] = arity(args)?;
    if !dirs.is_list() && !dirs.is_nil() {
        return Err(function_clause());
    }
    for d in dirs.list_iter() {
        if let Some(dir) = directory_item(d) {
            add(dir, first);
        }
    }
    atom("ok")
}

fn add_paths_last(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    add_paths(args, false)
}

fn add_paths_first(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    add_paths(args, true)
}

/// A new path of existing directories (an atom names one too), or
/// `{error, bad_directory}` and the old path kept.
fn set_path(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dirs] = arity(args)?;
    if !dirs.is_list() && !dirs.is_nil() {
        return Err(function_clause());
    }
    let mut path = Vec::new();
    let mut it = dirs.list_iter();
    for d in it.by_ref() {
        match directory_item(d) {
            Some(dir) => path.push(dir),
            None => return bad_directory(p),
        }
    }
    if !it.tail().is_nil() {
        return bad_directory(p);
    }
    code::set_path(path);
    Ok(Term::TRUE)
}

/// The application name of a code path directory, as `code_server.erl`'s
/// `get_name/1`: `.../Name[-Vsn]/ebin` or `.../Name[-Vsn]`.
fn app_name(dir: &std::path::Path) -> String {
    let mut parts: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.len() >= 2 && parts.last().is_some_and(|l| l == "ebin") {
        parts.pop();
    }
    let last = parts.pop().unwrap_or_default();
    match last.find('-') {
        Some(i) => last[..i].to_string(),
        None => last,
    }
}

/// Removes the first directory named `Name` (the directory itself, or the
/// application `Name[-Vsn]`): `true`, or `false` if none is.
fn del_path(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name] = arity(args)?;
    let name = match name.as_atom() {
        Some(a) => a.name().to_string(),
        None if name.is_list() || name.is_nil() => match name.as_string() {
            Some(s) => s,
            None => {
                let why = atom("bad_name")?;
                return Ok(p.heap.tuple(&[Term::atom(Atom::ERROR), why]));
            }
        },
        None => return Err(function_clause()),
    };
    let name = normalize(&name);
    let mut path = code::path();
    let at = path
        .iter()
        .position(|d| app_name(d) == name || d.to_string_lossy() == name);
    match at {
        Some(i) => {
            path.remove(i);
            code::set_path(path);
            Ok(Term::TRUE)
        }
        None => Ok(Term::FALSE),
    }
}

/// Always `interactive`: modules load on demand.
fn get_mode(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atom("interactive")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_as_filename_join() {
        for (dir, want) in [
            ("./a/", "./a"),
            ("a//b/", "a/b"),
            ("/x/./y", "/x/y"),
            (".", "."),
            ("a/.", "a/."),
            ("a/../b", "a/../b"),
            ("/", "/"),
        ] {
            assert_eq!(normalize(dir), want, "{dir}");
        }
    }

    #[test]
    fn app_names() {
        let name = |d: &str| app_name(std::path::Path::new(d));
        assert_eq!(name("/usr/lib/erlang/lib/tools-3.5.3/ebin"), "tools");
        assert_eq!(name("/usr/lib/erlang/lib/wx-2.2.1"), "wx");
        assert_eq!(name("/tmp"), "tmp");
    }
}
