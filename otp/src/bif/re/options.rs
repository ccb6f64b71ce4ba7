//! The option lists of `re:compile/2` and `re:run/3`, parsed as BEAM does:
//! an unknown option, an improper list, or (with a precompiled pattern) a
//! compile-only option is `badarg`.

use enigma_vm::exception::Exception;
use enigma_vm::term::{Kind, Term};
use pcre2_sys as sys;

use crate::bif::helpers::iodata_bytes;

/// How a pattern is compiled: PCRE2 options, newline and `\R` conventions.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct CompileOpts {
    /// `PCRE2_*` compile option bits.
    pub options: u32,
    /// `PCRE2_NEWLINE_*`, 0 for the default (LF, as BEAM's PCRE is built).
    pub newline: u32,
    /// `PCRE2_BSR_*`, 0 for the default (Unicode newlines).
    pub bsr: u32,
}

impl CompileOpts {
    /// Whether the pattern (and so the subject) is UTF-8.
    pub fn unicode(&self) -> bool {
        self.options & sys::PCRE2_UTF != 0
    }
}

/// Which captured groups a match returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Groups {
    /// `all`: the whole match and every group up to the last set one.
    All,
    /// `all_but_first`.
    AllButFirst,
    /// `all_names`: the named groups, in name order.
    AllNames,
    /// `first`: the whole match.
    First,
    /// `none`: the result is `match`.
    None,
    /// An explicit list of group numbers and names.
    List(Vec<GroupId>),
}

/// One entry of an explicit capture list.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupId {
    /// A group number.
    Number(usize),
    /// A group name.
    Name(Vec<u8>),
}

/// How a captured group is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureType {
    /// `{Start, Length}` in bytes.
    Index,
    /// A string (a list of code points in Unicode mode).
    List,
    /// A binary.
    Binary,
}

/// The options of one `re:run`.
#[derive(Clone, Debug)]
pub struct RunOpts {
    /// `PCRE2_*` match option bits.
    pub match_options: u32,
    /// `global`.
    pub global: bool,
    /// `{offset, N}`.
    pub offset: usize,
    /// `{capture, ...}`.
    pub groups: Groups,
    /// The capture type.
    pub capture_type: CaptureType,
    /// `report_errors`.
    pub report_errors: bool,
    /// `{match_limit, N}`.
    pub match_limit: Option<u32>,
    /// `{match_limit_recursion, N}` (PCRE2's depth limit).
    pub depth_limit: Option<u32>,
    /// A compile-only option was given (not allowed with a precompiled pattern).
    pub compile_only: bool,
    /// `{newline, NL}` or `bsr_*` given at run time.
    pub newline: u32,
    /// `bsr_anycrlf` / `bsr_unicode` given at run time.
    pub bsr: u32,
}

fn newline(t: Term) -> Option<u32> {
    let a = t.as_atom()?;
    Some(match a.name() {
        "cr" => sys::PCRE2_NEWLINE_CR,
        "lf" => sys::PCRE2_NEWLINE_LF,
        "crlf" => sys::PCRE2_NEWLINE_CRLF,
        "anycrlf" => sys::PCRE2_NEWLINE_ANYCRLF,
        "any" => sys::PCRE2_NEWLINE_ANY,
        _ => return None,
    })
}

/// One compile option into `c`; `false` if `t` is not one.
fn compile_opt(t: Term, c: &mut CompileOpts) -> bool {
    if let Some(a) = t.as_atom() {
        let bit = match a.name() {
            "unicode" => sys::PCRE2_UTF,
            "anchored" => sys::PCRE2_ANCHORED,
            "caseless" => sys::PCRE2_CASELESS,
            "dollar_endonly" => sys::PCRE2_DOLLAR_ENDONLY,
            "dotall" => sys::PCRE2_DOTALL,
            "extended" => sys::PCRE2_EXTENDED,
            "firstline" => sys::PCRE2_FIRSTLINE,
            "multiline" => sys::PCRE2_MULTILINE,
            "no_auto_capture" => sys::PCRE2_NO_AUTO_CAPTURE,
            "dupnames" => sys::PCRE2_DUPNAMES,
            "ungreedy" => sys::PCRE2_UNGREEDY,
            "no_start_optimize" => sys::PCRE2_NO_START_OPTIMIZE,
            "ucp" => sys::PCRE2_UCP,
            "never_utf" => sys::PCRE2_NEVER_UTF,
            "bsr_anycrlf" => {
                c.bsr = sys::PCRE2_BSR_ANYCRLF;
                return true;
            }
            "bsr_unicode" => {
                c.bsr = sys::PCRE2_BSR_UNICODE;
                return true;
            }
            _ => return false,
        };
        c.options |= bit;
        return true;
    }
    match pair(t) {
        Some(("newline", v)) => newline(v).map(|nl| c.newline = nl).is_some(),
        _ => false,
    }
}

/// `{Atom, Value}` as its name and value.
fn pair(t: Term) -> Option<(&'static str, Term)> {
    let tup = t.as_tuple()?;
    match tup.elements() {
        [k, v] => Some((k.as_atom()?.name(), *v)),
        _ => None,
    }
}

/// The options of `re:compile/2`.
pub fn parse_compile(list: Term) -> Result<CompileOpts, Exception> {
    let mut c = CompileOpts::default();
    let badopt = || Exception::badarg_because("badopt");
    for t in list.proper_list().ok_or_else(badopt)? {
        if !compile_opt(t, &mut c) {
            return Err(badopt());
        }
    }
    Ok(c)
}

fn group_id(t: Term) -> Option<GroupId> {
    if let Some(n) = t.as_small() {
        return usize::try_from(n).ok().map(GroupId::Number);
    }

    if let Some(a) = t.as_atom() {
        return Some(GroupId::Name(a.name().as_bytes().to_vec()));
    }
    match t.kind() {
        Kind::List | Kind::Nil | Kind::Binary => iodata_bytes(t).map(GroupId::Name),
        _ => None,
    }
}

fn groups(t: Term) -> Option<Groups> {
    if let Some(a) = t.as_atom() {
        return Some(match a.name() {
            "all" => Groups::All,
            "all_but_first" => Groups::AllButFirst,
            "all_names" => Groups::AllNames,
            "first" => Groups::First,
            "none" => Groups::None,
            _ => return None,
        });
    }
    let ids = t.proper_list()?;
    ids.into_iter()
        .map(group_id)
        .collect::<Option<Vec<_>>>()
        .map(Groups::List)
}

fn capture_type(t: Term) -> Option<CaptureType> {
    Some(match t.as_atom()?.name() {
        "index" => CaptureType::Index,
        "list" => CaptureType::List,
        "binary" => CaptureType::Binary,
        _ => return None,
    })
}

/// What [`run_opt`] made of an option.
enum RunOpt {
    /// A run option, taken.
    Taken,
    /// A `{capture, ...}` whose groups or type are bad: erts reads the
    /// capture specification after the other options, and refuses it with
    /// a plain `badarg` (no `badopt` cause).
    BadCapture,
    /// Not a run option.
    Not,
}

/// One run-only option into `r`.
fn run_opt(t: Term, r: &mut RunOpts) -> RunOpt {
    let capture = |ok: bool| {
        if ok {
            RunOpt::Taken
        } else {
            RunOpt::BadCapture
        }
    };
    if let Some(tup) = t.as_tuple() {
        if let [k, g, ty] = tup.elements() {
            if k.as_atom().is_some_and(|a| a.name() == "capture") {
                return capture(match (groups(*g), capture_type(*ty)) {
                    (Some(g), Some(ty)) => {
                        r.groups = g;
                        r.capture_type = ty;
                        true
                    }
                    _ => false,
                });
            }
        }
        if let Some(("capture", v)) = pair(t) {
            return capture(groups(v).map(|g| r.groups = g).is_some());
        }
    }
    if run_flag(t, r) {
        RunOpt::Taken
    } else {
        RunOpt::Not
    }
}

/// One run-only option but `capture` into `r`; `false` if `t` is not one.
fn run_flag(t: Term, r: &mut RunOpts) -> bool {
    if let Some(a) = t.as_atom() {
        let bit = match a.name() {
            "anchored" => sys::PCRE2_ANCHORED,
            "notbol" => sys::PCRE2_NOTBOL,
            "noteol" => sys::PCRE2_NOTEOL,
            "notempty" => sys::PCRE2_NOTEMPTY,
            "notempty_atstart" => sys::PCRE2_NOTEMPTY_ATSTART,
            "global" => {
                r.global = true;
                return true;
            }
            "report_errors" => {
                r.report_errors = true;
                return true;
            }
            "bsr_anycrlf" => {
                r.bsr = sys::PCRE2_BSR_ANYCRLF;
                return true;
            }
            "bsr_unicode" => {
                r.bsr = sys::PCRE2_BSR_UNICODE;
                return true;
            }
            _ => return false,
        };
        r.match_options |= bit;
        return true;
    }
    let limit = |v: Term| v.as_small().and_then(|n| u32::try_from(n).ok());
    match pair(t) {
        Some((k, v)) => match k {
            "offset" => match v.as_small().and_then(|n| usize::try_from(n).ok()) {
                Some(o) => {
                    r.offset = o;
                    true
                }
                None => false,
            },
            "match_limit" => limit(v).map(|l| r.match_limit = Some(l)).is_some(),
            "match_limit_recursion" => limit(v).map(|l| r.depth_limit = Some(l)).is_some(),
            "newline" => newline(v).map(|nl| r.newline = nl).is_some(),
            _ => false,
        },
        None => false,
    }
}

/// The options of `re:run/3`: the run options and the compile options
/// (for a pattern given as text).
pub fn parse_run(list: Term) -> Result<(RunOpts, CompileOpts), Exception> {
    let mut r = RunOpts {
        match_options: 0,
        global: false,
        offset: 0,
        groups: Groups::All,
        capture_type: CaptureType::Index,
        report_errors: false,
        match_limit: None,
        depth_limit: None,
        compile_only: false,
        newline: 0,
        bsr: 0,
    };
    let mut c = CompileOpts::default();
    let badopt = || Exception::badarg_because("badopt");
    let mut bad_capture = false;
    for t in list.proper_list().ok_or_else(badopt)? {
        match run_opt(t, &mut r) {
            RunOpt::Taken => continue,
            RunOpt::BadCapture => {
                bad_capture = true;
                continue;
            }
            RunOpt::Not => {}
        }
        if !compile_opt(t, &mut c) {
            return Err(badopt());
        }
        r.compile_only = true;
    }
    if bad_capture {
        return Err(Exception::badarg());
    }
    c.newline = if r.newline != 0 { r.newline } else { c.newline };
    c.bsr = if r.bsr != 0 { r.bsr } else { c.bsr };
    Ok((r, c))
}
