//! The BIFs of module `re` (`run/2,3`, `internal_run/4`, `compile/1,2`,
//! `inspect/2`, `version/0`) on PCRE2; `re:replace/split/grun` are
//! `re.erl`'s own code over these.
//!
//! A compiled pattern is `{re_pattern, Groups, Unicode, CrLf, Binary}` as on
//! BEAM, with Enigma's binary (see [`registry`]). Indexes are in bytes of
//! the subject (UTF-8 in Unicode mode), as on BEAM.

mod latin1;
mod options;
// The PCRE2 C library through its raw bindings.
#[allow(unsafe_code)]
mod pcre;
mod registry;
mod text;

use std::sync::Arc;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;
use pcre2_sys as sys;

use crate::bif::arg::{arity, boolean, entry};
use crate::bif::helpers::{atom, binary_bytes, is_atom};
use options::{CaptureType, CompileOpts, GroupId, Groups, RunOpts};
use pcre::{Code, CompileError, Outcome};

/// The `re` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("version", 0, version),
    e("compile", 1, compile_1),
    e("compile", 2, compile_2),
    e("run", 2, run_2),
    e("run", 3, run_3),
    e("internal_run", 4, internal_run),
    e("inspect", 2, inspect),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("re", name, arity, f)
}

/// BEAM's answer: programs compare or print it, and Enigma's engine is
/// PCRE2 with PCRE 8.44's pattern language (docs/RUNTIME.md).
const VERSION: &str = "8.44 2020-02-12";

fn version(p: &mut Process, _args: &[Term]) -> Result<Term, Exception> {
    Ok(p.heap.binary(VERSION.as_bytes()))
}

/// The pattern term for compiled code.
fn pattern_term(p: &mut Process, key: &[u8], code: &Code) -> Result<Term, Exception> {
    let crlf = matches!(
        code.newline,
        sys::PCRE2_NEWLINE_CRLF | sys::PCRE2_NEWLINE_ANY | sys::PCRE2_NEWLINE_ANYCRLF
    );
    let bin = p.heap.binary(key);
    let groups = p.heap.int(code.groups as i64);
    let elems = [
        atom("re_pattern")?,
        groups,
        Term::small(i64::from(code.utf)),
        Term::small(i64::from(crlf)),
        bin,
    ];
    Ok(p.heap.tuple(&elems))
}

/// `{Message, Offset}` of a compile error.
fn compile_error(p: &mut Process, err: CompileError) -> Term {
    let msg = p.heap.string(&text::compile_message(err.code));
    let off = p.heap.int(err.offset as i64);
    p.heap.tuple(&[msg, off])
}

fn compile(p: &mut Process, pattern: Term, opts: CompileOpts) -> Result<Term, Exception> {
    let source = text::bytes(pattern, opts.unicode()).ok_or_else(Exception::badarg)?;
    match registry::code(&opts, &source) {
        Ok((key, code)) => {
            let t = pattern_term(p, &key, &code)?;
            Ok(p.heap.tuple(&[atom("ok")?, t]))
        }
        Err(err) => {
            let reason = compile_error(p, err);
            Ok(p.heap.tuple(&[atom("error")?, reason]))
        }
    }
}

fn compile_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pattern] = arity(args)?;
    compile(p, pattern, CompileOpts::default())
}

fn compile_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pattern, opts] = arity(args)?;
    let opts = options::parse_compile(opts)?;
    compile(p, pattern, opts)
}

/// The options and source inside a `{re_pattern, ...}` term, if it is one
/// of Enigma's.
fn precompiled(t: Term) -> Option<(CompileOpts, Vec<u8>)> {
    let tup = t.as_tuple()?;
    match tup.elements() {
        [tag, _, _, _, bin] if is_atom(*tag, "re_pattern") => {
            let bytes = binary_bytes(*bin)?;
            let (opts, source) = registry::parse_key(&bytes)?;
            Some((opts, source.to_vec()))
        }
        _ => None,
    }
}

fn inspect(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [mp, item] = arity(args)?;
    let (opts, source) = precompiled(mp).ok_or_else(Exception::badarg)?;
    if !is_atom(item, "namelist") {
        return Err(Exception::badarg());
    }
    let (_, code) = registry::code(&opts, &source).map_err(|_| Exception::badarg())?;
    let mut names: Vec<&[u8]> = code.names.iter().map(|(n, _)| n.as_slice()).collect();
    names.dedup();
    let items: Vec<Term> = names.into_iter().map(|n| p.heap.binary(n)).collect();
    let list = p.heap.list(&items);
    Ok(p.heap.tuple(&[atom("namelist")?, list]))
}

fn run_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [subject, re] = arity(args)?;
    run(p, subject, re, Term::NIL)
}

fn run_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [subject, re, opts] = arity(args)?;
    run(p, subject, re, opts)
}

/// `re:grun`'s entry: `run/3` with a flag BEAM uses only to skip checking
/// the subject's UTF-8 again.
fn internal_run(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [subject, re, opts, first] = arity(args)?;
    boolean(first).ok_or_else(Exception::badarg)?;
    run(p, subject, re, opts)
}

/// `{error, Reason}`.
fn error(p: &mut Process, reason: Term) -> Result<Term, Exception> {
    Ok(p.heap.tuple(&[atom("error")?, reason]))
}

fn run(p: &mut Process, subject: Term, re: Term, opts: Term) -> Result<Term, Exception> {
    let (run_opts, mut copts) = options::parse_run(opts)?;
    let source = match precompiled(re) {
        Some((pattern_opts, source)) => {
            if run_opts.compile_only {
                return Err(Exception::badarg());
            }
            let (newline, bsr) = (copts.newline, copts.bsr);
            copts = pattern_opts;
            copts.newline = if newline != 0 { newline } else { copts.newline };
            copts.bsr = if bsr != 0 { bsr } else { copts.bsr };
            source
        }
        None if re.as_tuple().is_some() => return Err(Exception::badarg()),
        None => text::bytes(re, copts.unicode()).ok_or_else(Exception::badarg)?,
    };
    let subject = text::bytes(subject, copts.unicode()).ok_or_else(Exception::badarg)?;
    let code = match registry::code(&copts, &source) {
        Ok((_, code)) => code,
        Err(err) if run_opts.report_errors => {
            let reason = compile_error(p, err);
            let reason = p.heap.tuple(&[atom("compile")?, reason]);
            return error(p, reason);
        }
        Err(_) => return Err(Exception::badarg()),
    };
    if run_opts.offset > subject.len() {
        return Err(Exception::badarg());
    }
    match matches(&code, &subject, &run_opts) {
        Ok(found) if found.is_empty() => Ok(atom("nomatch")?),
        Ok(found) => result(p, &code, &subject, &run_opts, found),
        Err(rc) => match rc {
            sys::PCRE2_ERROR_MATCHLIMIT if run_opts.report_errors => {
                let r = atom("match_limit")?;
                error(p, r)
            }
            sys::PCRE2_ERROR_DEPTHLIMIT | sys::PCRE2_ERROR_HEAPLIMIT if run_opts.report_errors => {
                let r = atom("match_limit_recursion")?;
                error(p, r)
            }
            sys::PCRE2_ERROR_MATCHLIMIT
            | sys::PCRE2_ERROR_DEPTHLIMIT
            | sys::PCRE2_ERROR_HEAPLIMIT => Ok(atom("nomatch")?),
            // Bad UTF-8 in the subject, an offset inside a character.
            _ => Err(Exception::badarg()),
        },
    }
}

type Match = Vec<Option<(usize, usize)>>;

/// The matches of one run: one, or with `global` all of them, restarting
/// after an empty match as BEAM does (first a non-empty match anchored at
/// the same place, else one character on, a CRLF counting as one character
/// when the newline convention includes it).
fn matches(code: &Arc<Code>, subject: &[u8], opts: &RunOpts) -> Result<Vec<Match>, i32> {
    let mut m = code.matcher(opts.match_limit, opts.depth_limit);
    let crlf = matches!(
        code.newline,
        sys::PCRE2_NEWLINE_CRLF | sys::PCRE2_NEWLINE_ANY | sys::PCRE2_NEWLINE_ANYCRLF
    );
    let mut found = Vec::new();
    let mut start = opts.offset;
    let mut retry = 0;
    loop {
        match m.exec(subject, start, opts.match_options | retry) {
            Outcome::Match(groups) => {
                let (s, e) = groups.first().copied().flatten().unwrap_or((start, start));
                found.push(groups);
                if !opts.global {
                    break;
                }
                start = e;
                retry = if s == e {
                    sys::PCRE2_NOTEMPTY_ATSTART | sys::PCRE2_ANCHORED
                } else {
                    0
                };
            }
            Outcome::NoMatch if retry == 0 => break,
            Outcome::NoMatch => {
                retry = 0;
                start += if crlf && subject[start..].starts_with(b"\r\n") {
                    2
                } else {
                    1
                };
                if code.utf {
                    while start < subject.len() && subject[start] & 0xC0 == 0x80 {
                        start += 1;
                    }
                }
                if start > subject.len() {
                    break;
                }
            }
            Outcome::Error(rc) => return Err(rc),
        }
    }
    Ok(found)
}

/// The result term of a successful run.
fn result(
    p: &mut Process,
    code: &Code,
    subject: &[u8],
    opts: &RunOpts,
    found: Vec<Match>,
) -> Result<Term, Exception> {
    // `all_names` of a pattern without names is `none`, as on BEAM.
    if opts.groups == Groups::None || opts.groups == Groups::AllNames && code.names.is_empty() {
        return atom("match");
    }
    let mut per_match = Vec::with_capacity(found.len());
    for groups in &found {
        let picked = pick(code, &opts.groups, groups);
        let items: Vec<Term> = picked
            .into_iter()
            .map(|g| capture(p, subject, g, opts.capture_type, code.utf))
            .collect();
        per_match.push(p.heap.list(&items));
    }
    let captured = if opts.global {
        p.heap.list(&per_match)
    } else {
        per_match[0]
    };
    Ok(p.heap.tuple(&[atom("match")?, captured]))
}

/// The groups a capture spec names, for one match.
fn pick(code: &Code, spec: &Groups, groups: &Match) -> Match {
    let group = |n: usize| groups.get(n).copied().flatten();
    // With `dupnames` several groups share a name: the first set one.
    let by_name = |name: &[u8]| {
        code.names
            .iter()
            .filter(|(n, _)| n.as_slice() == name)
            .find_map(|&(_, g)| group(g))
    };
    match spec {
        Groups::All => groups.clone(),
        Groups::AllButFirst => groups.iter().skip(1).copied().collect(),
        Groups::First => vec![group(0)],
        Groups::None => Vec::new(),
        Groups::AllNames => {
            let mut names: Vec<&[u8]> = code.names.iter().map(|(n, _)| n.as_slice()).collect();
            names.dedup();
            names.into_iter().map(by_name).collect()
        }
        Groups::List(ids) => ids
            .iter()
            .map(|id| match id {
                GroupId::Number(n) => group(*n),
                GroupId::Name(name) => by_name(name),
            })
            .collect(),
    }
}

/// One captured group as a term of the capture type (unset: `{-1,0}`,
/// `[]` or `<<>>`).
fn capture(
    p: &mut Process,
    subject: &[u8],
    g: Option<(usize, usize)>,
    ty: CaptureType,
    unicode: bool,
) -> Term {
    match (ty, g) {
        (CaptureType::Index, Some((s, e))) => {
            let (s, l) = (p.heap.int(s as i64), p.heap.int((e - s) as i64));
            p.heap.tuple(&[s, l])
        }
        (CaptureType::Index, None) => p.heap.tuple(&[Term::small(-1), Term::small(0)]),
        (CaptureType::List, Some((s, e))) => text::list(p, &subject[s..e], unicode),
        (CaptureType::List, None) => Term::NIL,
        (CaptureType::Binary, Some((s, e))) => p.heap.binary(&subject[s..e]),
        (CaptureType::Binary, None) => p.heap.binary(&[]),
    }
}
