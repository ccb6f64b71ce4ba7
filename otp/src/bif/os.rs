//! BIFs of module `os`: the environment, the OS process id, signal
//! handling and `find_executable/1,2` (Erlang in OTP's `os.erl`, over
//! `file:read_file_info/1`, which needs OTP's file server). (The OS clock
//! BIFs are in `erlang/time.rs`.)

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

/// The `os` BIFs.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "os",
        name: "getenv",
        arity: 0,
        f: getenv_0,
    },
    BifEntry {
        module: "os",
        name: "getenv",
        arity: 1,
        f: getenv_1,
    },
    BifEntry {
        module: "os",
        name: "getenv",
        arity: 2,
        f: getenv_2,
    },
    BifEntry {
        module: "os",
        name: "env",
        arity: 0,
        f: env_0,
    },
    BifEntry {
        module: "os",
        name: "putenv",
        arity: 2,
        f: putenv_2,
    },
    BifEntry {
        module: "os",
        name: "unsetenv",
        arity: 1,
        f: unsetenv_1,
    },
    BifEntry {
        module: "os",
        name: "getpid",
        arity: 0,
        f: getpid_0,
    },
    BifEntry {
        module: "os",
        name: "set_signal",
        arity: 2,
        f: set_signal_2,
    },
    BifEntry {
        module: "os",
        name: "find_executable",
        arity: 1,
        f: find_executable_1,
    },
    BifEntry {
        module: "os",
        name: "find_executable",
        arity: 2,
        f: find_executable_2,
    },
];

/// A character list for OS text: UTF-8 decoded, or byte by byte where it
/// is not valid UTF-8.
fn os_string(p: &mut Process, s: &OsStr) -> Term {
    let chars: Vec<Term> = match std::str::from_utf8(s.as_bytes()) {
        Ok(text) => text
            .chars()
            .map(|c| Term::small(i64::from(u32::from(c))))
            .collect(),
        Err(_) => s
            .as_bytes()
            .iter()
            .map(|&b| Term::small(i64::from(b)))
            .collect(),
    };
    p.heap.list(&chars)
}

/// OS text: a possibly deep list of characters, without NUL.
fn os_text(t: Term) -> Option<String> {
    let mut text = String::new();
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t.kind() {
            Kind::Nil => {}
            Kind::List => {
                let (h, tl) = t.as_cons()?;
                stack.push(tl);
                match h.as_small() {
                    Some(c) => text.push(char::from_u32(u32::try_from(c).ok()?)?),
                    None if matches!(h.kind(), Kind::List | Kind::Nil) => stack.push(h),
                    None => return None,
                }
            }
            _ => return None,
        }
    }
    (!text.contains('\0')).then_some(text)
}

/// A variable name: OS text without `=`.
fn var_name(t: Term) -> Option<OsString> {
    os_text(t)
        .filter(|name| !name.contains('='))
        .map(OsString::from)
}

/// The variable's value, `Ok(None)` if it is unset, `Err` for a bad name.
fn lookup(t: Term) -> Result<Option<OsString>, Exception> {
    let name = var_name(t).ok_or_else(Exception::badarg)?;
    if name.is_empty() {
        return Ok(None);
    }
    Ok(std::env::var_os(name))
}

fn getenv_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name] = args else {
        return Err(Exception::badarg());
    };
    Ok(match lookup(*name)? {
        Some(v) => os_string(p, &v),
        None => Term::FALSE,
    })
}

fn getenv_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name, default] = args else {
        return Err(Exception::badarg());
    };
    Ok(match lookup(*name)? {
        Some(v) => os_string(p, &v),
        None => *default,
    })
}

fn env_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let pairs: Vec<Term> = std::env::vars_os()
        .map(|(k, v)| {
            let k = os_string(p, &k);
            let v = os_string(p, &v);
            p.heap.tuple(&[k, v])
        })
        .collect();
    Ok(p.heap.list(&pairs))
}

/// `["Key=Value", ...]`, as `os.erl` builds it from `os:env/0`.
fn getenv_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let vars: Vec<Term> = std::env::vars_os()
        .map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend_from_slice(v.as_bytes());
            os_string(p, OsStr::from_bytes(&kv))
        })
        .collect();
    Ok(p.heap.list(&vars))
}

fn putenv_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name, value] = args else {
        return Err(Exception::badarg());
    };
    let name = var_name(*name).ok_or_else(Exception::badarg)?;
    let value = os_text(*value).ok_or_else(Exception::badarg)?;
    if !name.is_empty() {
        std::env::set_var(name, value);
    }
    Ok(Term::TRUE)
}

fn unsetenv_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name] = args else {
        return Err(Exception::badarg());
    };
    let name = var_name(*name).ok_or_else(Exception::badarg)?;
    if !name.is_empty() {
        std::env::remove_var(name);
    }
    Ok(Term::TRUE)
}

fn getpid_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.heap.string(&std::process::id().to_string()))
}

/// The signals `os:set_signal/2` may change.
const SIGNALS: &[&str] = &[
    "sighup", "sigquit", "sigabrt", "sigalrm", "sigterm", "sigusr1", "sigusr2", "sigchld",
    "sigstop", "sigtstp",
];

/// Checks the signal and option and answers `ok`; the VM keeps its own
/// handling (BEAM's `handle` delivers signals to `erl_signal_server`,
/// which Enigma does not run).
fn set_signal_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let &[sig, opt] = args else {
        return Err(Exception::badarg());
    };
    if !sig.as_atom().is_some_and(|s| SIGNALS.contains(&s.name())) {
        return Err(Exception::badarg());
    }
    match opt.as_atom().map(|a| a.name()) {
        Some("default" | "handle" | "ignore") => crate::bif::helpers::atom("ok"),
        _ => Err(Exception::badarg_because("badopt")),
    }
}

fn function_clause() -> Exception {
    Exception::error(Term::atom(enigma_vm::atom::Atom::FUNCTION_CLAUSE))
}

/// A regular file with an execute bit set, as `os.erl`'s
/// `verify_executable/3` checks.
fn executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `Name` itself if it is a path, else the first `Dir/Name` of `Path`'s
/// `:`-separated directories (an empty one is `.`) that is executable.
fn find_executable(p: &mut Process, name: Term, path: &str) -> Result<Term, Exception> {
    let name = match name.as_atom() {
        Some(a) => a.name().to_string(),
        None => os_text(name).ok_or_else(function_clause)?,
    };
    let found = if name.starts_with('/') {
        executable(std::path::Path::new(&name)).then(|| name.clone())
    } else {
        path.split(':').find_map(|dir| {
            let full = if dir.is_empty() || dir == "." {
                name.clone()
            } else {
                format!("{}/{name}", dir.trim_end_matches('/'))
            };
            executable(std::path::Path::new(&full)).then_some(full)
        })
    };
    Ok(match found {
        Some(f) => os_string(p, OsStr::new(&f)),
        None => Term::FALSE,
    })
}

fn find_executable_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = std::env::var("PATH").unwrap_or_default();
    find_executable(p, args[0], &path)
}

fn find_executable_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let path = os_text(args[1]).ok_or_else(function_clause)?;
    find_executable(p, args[0], &path)
}
