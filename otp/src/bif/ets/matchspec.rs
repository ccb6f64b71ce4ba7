//! Match specifications: `[{Head, Guards, Body}]` compiled into clauses
//! (patterns with `'$N'` variables and `'_'`, guard and body expressions
//! calling the guard BIFs through their export entries) and run against
//! objects. As on BEAM, a guard that fails or raises fails its clause, and
//! a call in the body that raises is the atom `'EXIT'`.
//!
//! A compiled specification refers to the terms of the specification it
//! came from (literals, constants), so it lives no longer than they do:
//! one BIF call.

use std::cell::{Cell, RefCell};

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifFn;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::map;
use enigma_vm::term::order::{compare, compare_exact, eq_exact};
use enigma_vm::term::print::Printed;
use enigma_vm::term::Term;

/// A head pattern.
enum Pat {
    /// `'$N'`: the variable in slot `usize` (bound or compared).
    Var(usize),
    /// `'_'`.
    Any,
    /// A term compared exactly.
    Lit(Term),
    /// A tuple of patterns.
    Tuple(Vec<Pat>),
    /// A list cell.
    Cons(Box<Pat>, Box<Pat>),
    /// A map with at least these keys, their values matching.
    Map(Vec<(Term, Pat)>),
}

/// A guard or body expression.
enum Expr {
    /// A variable's slot.
    Var(usize),
    /// `'$_'`: the whole object.
    Object,
    /// `'$$'`: every variable, in number order.
    Bindings,
    /// A constant (`{const, T}` or a literal).
    Const(Term),
    /// `{{E...}}`: a tuple.
    Tuple(Vec<Expr>),
    /// A list of expressions and its tail.
    List(Vec<Expr>, Box<Expr>),
    /// A map of key and value expressions.
    Map(Vec<(Expr, Expr)>),
    /// `self()`.
    SelfPid,
    /// `{caller}` (trace dialect): the calling function's `{M, F, A}`.
    Caller,
    /// `andalso` (`true`) or `orelse` (`false`): stops at the first
    /// operand that is not the given value; the last operand's value is
    /// the result, whatever it is.
    Short(bool, Vec<Expr>),
    /// `and` (`true`) or `or` (`false`) of any number of operands, all
    /// evaluated; each must be a boolean.
    Strict(bool, Vec<Expr>),
    /// A guard BIF call.
    Call(BifFn, Vec<Expr>),
    /// A trace action (`message`, `return_trace`, `exception_trace`) and
    /// its operand: recorded for the traced call, `true`.
    Action(Action, Option<Box<Expr>>),
}

/// The actions of a trace specification's body that call tracing acts on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    /// `{message, X}`.
    Message,
    /// `{return_trace}`.
    ReturnTrace,
    /// `{exception_trace}`.
    ExceptionTrace,
}

/// One clause.
struct Clause {
    head: Pat,
    /// The head as given (its terms live as long as the specification's).
    head_term: Term,
    guards: Vec<Expr>,
    body: Vec<Expr>,
}

/// What a specification is used on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Table objects (`ets:select/2`, `match_spec_test(_, _, table)`).
    Table,
    /// Call arguments (`match_spec_test(_, _, trace)`).
    Trace,
}

/// A compiled match specification.
pub struct MatchSpec {
    clauses: Vec<Clause>,
    /// The variable numbers of the heads, by slot, ascending.
    vars: Vec<u32>,
    /// Run on a table whose keys BEAM looks up: the key position, whether
    /// keys compare with `==` (`ordered_set`) rather than `=:=`, and each
    /// clause's ground key (found once, not per object).
    table: Option<(usize, bool, Vec<Option<Term>>)>,
}

/// The number of `'$N'`, if `t` is one.
pub(super) fn var_number(t: Term) -> Option<u32> {
    let name = t.as_atom()?.name();
    let digits = name.strip_prefix('$')?;
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Guard functions a match specification may call (the erlang module's;
/// OTP 25's list: no `tuple_size`, `min`, `max`, `is_boolean`).
const GUARD_BIFS: &[(&str, u32)] = &[
    ("is_atom", 1),
    ("is_float", 1),
    ("is_integer", 1),
    ("is_list", 1),
    ("is_number", 1),
    ("is_pid", 1),
    ("is_port", 1),
    ("is_reference", 1),
    ("is_tuple", 1),
    ("is_map", 1),
    ("is_map_key", 2),
    ("is_binary", 1),
    ("is_function", 1),
    ("is_record", 3),
    ("abs", 1),
    ("element", 2),
    ("hd", 1),
    ("tl", 1),
    ("length", 1),
    ("map_get", 2),
    ("map_size", 1),
    ("node", 0),
    ("node", 1),
    ("round", 1),
    ("trunc", 1),
    ("float", 1),
    ("size", 1),
    ("bit_size", 1),
    ("byte_size", 1),
    ("binary_part", 2),
    ("binary_part", 3),
    ("not", 1),
    ("and", 2),
    ("or", 2),
    ("xor", 2),
    ("+", 1),
    ("-", 1),
    ("+", 2),
    ("-", 2),
    ("*", 2),
    ("/", 2),
    ("div", 2),
    ("rem", 2),
    ("band", 2),
    ("bor", 2),
    ("bxor", 2),
    ("bnot", 1),
    ("bsl", 2),
    ("bsr", 2),
    (">", 2),
    (">=", 2),
    ("<", 2),
    ("=<", 2),
    ("=:=", 2),
    ("==", 2),
    ("=/=", 2),
    ("/=", 2),
];

/// How deep a pattern or expression may nest: compiling, matching and
/// evaluating recurse on the scheduler's native stack. A literal list in a
/// pattern is a chain of cells, so this also bounds such a list's length
/// (BEAM takes deeper specifications).
const MAX_DEPTH: usize = 10_000;

const TOO_DEEP: &str = "Match specification nests too deep.";

/// Compiling: the variable numbers of every head, ascending (a
/// variable's slot is its index here), and the errors found so far. As
/// erts' `db_match_compile` does when asked for its errors, a clause's
/// expressions are all compiled, each error noted (an expression in
/// error compiles to a placeholder), in erts' order: a call's operands,
/// a tuple's elements and a map's values then keys last first, a list's
/// and `andalso`'s first first, guards before the body.
struct Compiler {
    vars: Vec<u32>,
    kind: Kind,
    errors: RefCell<Vec<String>>,
    /// Whether a guard is being compiled (not a body).
    in_guard: Cell<bool>,
}

impl Compiler {
    fn slot(&self, n: u32) -> usize {
        self.vars.binary_search(&n).unwrap_or(0)
    }

    /// Notes an error; the expression's placeholder.
    fn error(&self, msg: String) -> Result<Expr, String> {
        self.errors.borrow_mut().push(msg);
        Ok(Expr::Const(Term::NIL))
    }

    /// The errors noted, taken.
    fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut self.errors.borrow_mut())
    }

    fn pattern(&self, t: Term, depth: usize) -> Result<Pat, String> {
        if depth > MAX_DEPTH {
            return Err(TOO_DEEP.into());
        }
        if let Some(n) = var_number(t) {
            return Ok(Pat::Var(self.slot(n)));
        }
        if t.is_map() {
            let mut ps = Vec::new();
            for (k, v) in map::entries(t) {
                if var_number(k).is_some() {
                    return Err("Variable found in map key.".into());
                }
                if k.as_atom().is_some_and(|a| a.name() == "_") {
                    return Err("Underscore found in map key.".into());
                }
                ps.push((k, self.pattern(v, depth + 1)?));
            }
            return Ok(Pat::Map(ps));
        }
        // A part with no variables, `'_'` or map is one literal, however
        // deep.
        if !has_vars(t) {
            return Ok(Pat::Lit(t));
        }
        if t.as_atom().is_some_and(|a| a.name() == "_") {
            return Ok(Pat::Any);
        }
        if let Some(tp) = t.as_tuple() {
            let ps = tp
                .elements()
                .iter()
                .map(|&e| self.pattern(e, depth + 1))
                .collect::<Result<_, _>>()?;
            return Ok(Pat::Tuple(ps));
        }
        if let Some((h, tl)) = t.as_cons() {
            return Ok(Pat::Cons(
                Box::new(self.pattern(h, depth + 1)?),
                Box::new(self.pattern(tl, depth + 1)?),
            ));
        }
        Ok(Pat::Lit(t))
    }

    /// The expressions of a guard or body list, first first; its tail if
    /// improper is an error noted after them.
    fn exprs(&self, list: Term, heads: &[u32]) -> Result<Vec<Expr>, String> {
        let mut es = Vec::new();
        let mut rest = list;
        while let Some((e, tl)) = rest.as_cons() {
            es.push(self.expr(e, heads, 0)?);
            rest = tl;
        }
        if !rest.is_nil() {
            self.error("Match expression is not a proper list.".into())?;
        }
        Ok(es)
    }

    /// `ts` compiled last first (erts lays them out so), in their order.
    fn reversed(&self, ts: &[Term], heads: &[u32], depth: usize) -> Result<Vec<Expr>, String> {
        let mut es = ts
            .iter()
            .rev()
            .map(|&e| self.expr(e, heads, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        es.reverse();
        Ok(es)
    }

    /// An expression of a clause whose head binds the variables `heads`;
    /// `Err` only for one nested too deep (the others are noted).
    fn expr(&self, t: Term, heads: &[u32], depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err(TOO_DEEP.into());
        }
        if let Some(n) = var_number(t) {
            if !heads.contains(&n) {
                return self.error(format!("Variable ${n} is unbound."));
            }
            return Ok(Expr::Var(self.slot(n)));
        }
        if let Some(a) = t.as_atom() {
            return Ok(match a.name() {
                "$_" => Expr::Object,
                "$$" => Expr::Bindings,
                _ => Expr::Const(t),
            });
        }
        if let Some((_, _)) = t.as_cons() {
            let mut elems = Vec::new();
            let mut rest = t;
            while let Some((h, tl)) = rest.as_cons() {
                elems.push(self.expr(h, heads, depth + 1)?);
                rest = tl;
            }
            return Ok(Expr::List(
                elems,
                Box::new(self.expr(rest, heads, depth + 1)?),
            ));
        }
        if t.is_map() {
            let (keys, values): (Vec<Term>, Vec<Term>) = map::entries(t).into_iter().unzip();
            let values = self.reversed(&values, heads, depth)?;
            let keys = self.reversed(&keys, heads, depth)?;
            return Ok(Expr::Map(keys.into_iter().zip(values).collect()));
        }
        let Some(tp) = t.as_tuple() else {
            return Ok(Expr::Const(t));
        };
        let elems = tp.elements();
        let neither = || {
            format!(
                "{} is neither a function call, nor a tuple (tuples are written {{{{ ... }}}}).",
                Printed(t)
            )
        };
        match elems {
            [] => self.error(neither()),
            [inner] if inner.is_tuple() => {
                let it = inner.as_tuple().map(|x| x.elements()).unwrap_or(&[]);
                Ok(Expr::Tuple(self.reversed(it, heads, depth)?))
            }
            [f, rest @ ..] => {
                let Some(name) = f.as_atom().filter(|_| var_number(*f).is_none()) else {
                    return self.error(neither());
                };
                self.form(t, name, rest, heads, depth)
            }
        }
    }

    /// `{Name, Args...}` (the tuple `t`): a special form or a function
    /// call, with erts' messages for those it refuses.
    fn form(
        &self,
        t: Term,
        name: Atom,
        rest: &[Term],
        heads: &[u32],
        depth: usize,
    ) -> Result<Expr, String> {
        let n = name.name();
        let special = |what: &str| format!("Special form '{n}' {what} in {}.", Printed(t));
        match n {
            "const" if rest.len() == 1 => return Ok(Expr::Const(rest[0])),
            "const" => return self.error(special("called with more than one argument")),
            "self" if rest.is_empty() => return Ok(Expr::SelfPid),
            "self" => return self.error(special("called with arguments")),
            "and" | "or" | "andalso" | "andthen" | "orelse" if rest.is_empty() => {
                // erts names `andthen` by the form it stands for, and
                // prints the tuple without quoting the keyword.
                let form = match n {
                    "andthen" => "andalso",
                    _ => n,
                };
                return self.error(format!(
                    "Special form '{form}' called without arguments in {{{n}}}."
                ));
            }
            "and" | "or" => {
                return Ok(Expr::Strict(n == "and", self.reversed(rest, heads, depth)?));
            }
            "andalso" | "andthen" | "orelse" => {
                let es = rest
                    .iter()
                    .map(|&e| self.expr(e, heads, depth + 1))
                    .collect::<Result<_, _>>()?;
                return Ok(Expr::Short(n != "orelse", es));
            }
            _ => {}
        }
        if let Some(&(_, min, max, in_guard)) = TRACE_FORMS.iter().find(|f| f.0 == n) {
            if self.kind == Kind::Table {
                return self.error(format!("Special form '{n}' used in wrong dialect."));
            }
            if self.in_guard.get() && !in_guard {
                // erts' own spelling for one of them.
                let n = if n == "set_seq_token" {
                    "set_seq_trace"
                } else {
                    n
                };
                return self.error(format!("Special form '{n}' called in guard context."));
            }
            if rest.len() < min || rest.len() > max {
                return self.error(special(if max == 0 {
                    "called with arguments"
                } else {
                    "called with wrong number of arguments"
                }));
            }
            let mut operands = self.reversed(rest, heads, depth)?;
            let action = match n {
                "message" => Some(Action::Message),
                "return_trace" => Some(Action::ReturnTrace),
                "exception_trace" => Some(Action::ExceptionTrace),
                _ => None,
            };
            return Ok(match action {
                Some(a) => Expr::Action(a, operands.pop().map(Box::new)),
                None if n == "caller" => Expr::Caller,
                None => Expr::Const(Term::FALSE),
            });
        }
        let arity = rest.len() as u32;
        match lookup(name, arity, self.kind) {
            Ok(Some(f)) => Ok(Expr::Call(f, self.reversed(rest, heads, depth)?)),
            // A function of the trace dialect, in a trace specification:
            // it does nothing here (no tracing).
            Ok(None) => {
                self.reversed(rest, heads, depth)?;
                Ok(Expr::Const(Term::FALSE))
            }
            Err(msg) => self.error(msg),
        }
    }
}

/// erts' message for a specification that is no list, or empty.
pub const EMPTY: &str = "Match programs are not in a list.";

/// The special forms of the trace dialect (erts' `dmc_fun`): their name,
/// fewest and most operands, and whether a guard may use them. In a
/// table's specification an error; in a trace specification they do
/// nothing here (no tracing): `false`, so a guard using one fails, as on
/// a process that is not traced (a trace body's value is not its
/// result).
const TRACE_FORMS: &[(&str, usize, usize, bool)] = &[
    ("message", 1, 1, false),
    ("is_seq_trace", 0, 0, true),
    ("set_seq_token", 2, 2, false),
    ("get_seq_token", 0, 0, false),
    ("return_trace", 0, 0, false),
    ("exception_trace", 0, 0, false),
    ("display", 1, 1, false),
    ("process_dump", 0, 0, false),
    ("enable_trace", 1, 2, false),
    ("disable_trace", 1, 2, false),
    ("trace", 2, 3, false),
    ("caller", 0, 0, false),
    ("silent", 1, 1, false),
];

/// Functions of the trace dialect only (erts' guard table).
const TRACE_BIFS: &[(&str, u32)] = &[("get_tcw", 0), ("set_tcw", 1)];

/// The guard BIF `name`/`arity` a specification of `kind` calls (`None`:
/// a trace-dialect function, which does nothing here); erts' message for
/// one it may not call.
fn lookup(name: Atom, arity: u32, kind: Kind) -> Result<Option<BifFn>, String> {
    if TRACE_BIFS.contains(&(name.name(), arity)) {
        return match kind {
            Kind::Table => Err(format!(
                "Function {}/{arity} cannot be called in this context.",
                Printed(Term::atom(name))
            )),
            Kind::Trace => Ok(None),
        };
    }
    let allowed = GUARD_BIFS
        .iter()
        .any(|&(n, a)| n == name.name() && a == arity);
    let f = Export::lookup(Atom::ERLANG, name, arity).and_then(Export::bif);
    match f {
        Some(f) if allowed => Ok(Some(f)),
        _ => Err(format!(
            "Function {}/{arity} does_not_exist.",
            Printed(Term::atom(name))
        )),
    }
}

impl MatchSpec {
    /// Compiles `ms`; erts' messages for what it refuses: a malformed
    /// specification or clause, an error in a head, or every error in the
    /// expressions of the first clause that has any. An empty one matches
    /// nothing (the `select` family takes it; `match_spec_compile/1` and
    /// `match_spec_test/3` refuse it: [`EMPTY`]).
    pub fn compile(ms: Term, kind: Kind) -> Result<MatchSpec, Vec<String>> {
        let one = |msg: &str| Err(vec![msg.to_string()]);
        if !ms.is_list() && !ms.is_nil() {
            return one(EMPTY);
        }
        let Some(list) = ms.proper_list() else {
            return one("Match programs are not in a proper list.");
        };
        let mut parts = Vec::with_capacity(list.len());
        let mut vars = Vec::new();
        for cl in &list {
            let Some(tp) = cl.as_tuple().filter(|t| t.len() == 3) else {
                return one("Match program part is not a tuple of arity 3.");
            };
            let [h, g, b] = [0, 1, 2].map(|i| tp.get(i).unwrap_or(Term::NIL));
            collect_vars(h, &mut vars);
            parts.push((h, g, b));
        }
        vars.sort_unstable();
        vars.dedup();
        let c = Compiler {
            vars,
            kind,
            errors: RefCell::new(Vec::new()),
            in_guard: Cell::new(false),
        };
        let mut clauses = Vec::with_capacity(parts.len());
        for (h, g, b) in parts {
            // A table head that is no tuple matches nothing, as on BEAM.
            let ok_head = match kind {
                Kind::Table => true,
                Kind::Trace => {
                    h.is_list() || h.is_nil() || h.as_atom().is_some_and(|a| a.name() == "_")
                }
            };
            if !ok_head {
                return one("Match head is invalid in this context.");
            }
            let head = c.pattern(h, 0).map_err(|e| vec![e])?;
            let mut in_head = Vec::new();
            collect_vars(h, &mut in_head);
            c.in_guard.set(true);
            let guards = if g.is_list() || g.is_nil() {
                c.exprs(g, &in_head)
            } else {
                c.error("Match expression is not a list.".into())
                    .map(|_| Vec::new())
            };
            let guards = guards.map_err(|e| vec![e])?;
            c.in_guard.set(false);
            // A trace specification's body may be empty.
            let body = if b.is_list() || (kind == Kind::Trace && b.is_nil()) {
                c.exprs(b, &in_head)
            } else {
                c.error("Body clause does not return anything.".into())
                    .map(|_| Vec::new())
            };
            let body = body.map_err(|e| vec![e])?;
            let errors = c.take_errors();
            if !errors.is_empty() {
                return Err(errors);
            }
            clauses.push(Clause {
                head,
                head_term: h,
                guards,
                body,
            });
        }
        Ok(MatchSpec {
            clauses,
            vars: c.vars,
            table: None,
        })
    }

    /// The result of the first clause that matches `obj`, or `None`. The
    /// result may share parts of `obj`: the caller copies it where it must
    /// outlive `obj`.
    pub fn run(&self, p: &mut Process, obj: Term) -> Option<Term> {
        self.run_with_actions(p, obj).map(|(r, _)| r)
    }

    /// [`MatchSpec::run`], with the trace actions the matching clause's
    /// body ran (in order).
    pub fn run_with_actions(
        &self,
        p: &mut Process,
        obj: Term,
    ) -> Option<(Term, Vec<(Action, Term)>)> {
        self.run_traced(p, obj, Term::atom(Atom::UNDEFINED))
    }

    /// [`MatchSpec::run_with_actions`] of a traced call whose caller is
    /// `caller` (`{caller}`'s value: `{M, F, A}` or `undefined`).
    pub fn run_traced(
        &self,
        p: &mut Process,
        obj: Term,
        caller: Term,
    ) -> Option<(Term, Vec<(Action, Term)>)> {
        let mut binds: Vec<Option<Term>> = Vec::new();
        for (i, cl) in self.clauses.iter().enumerate() {
            binds.clear();
            if !matches(&cl.head, obj, &mut binds) || !self.key_agrees(i, obj) {
                continue;
            }
            let mut cx = Cx {
                p: &mut *p,
                obj,
                binds: &binds,
                vars: &self.vars,
                actions: Vec::new(),
                caller,
            };
            if !cl
                .guards
                .iter()
                .all(|g| cx.eval(g, false) == Ok(Term::TRUE))
            {
                continue;
            }
            let mut result = Term::TRUE;
            for e in &cl.body {
                result = cx
                    .eval(e, true)
                    .unwrap_or(Term::atom(Atom::intern("EXIT").unwrap_or(Atom::UNDEFINED)));
            }
            return Some((result, cx.actions));
        }
        None
    }

    /// Each clause's key when every clause's head fixes its key position
    /// to a literal (`None` for a clause that matches no object), as
    /// BEAM's `analyze_pattern` finds them; `None` otherwise.
    pub fn fixed_keys(&self, keypos: usize) -> Option<Vec<Option<Term>>> {
        self.clauses
            .iter()
            .map(|cl| match &cl.head {
                Pat::Var(_) | Pat::Any => None,
                Pat::Tuple(ps) => match ps.get(keypos - 1) {
                    Some(Pat::Lit(t)) => Some(Some(*t)),
                    Some(_) => cl.ground_key(keypos).map(Some),
                    None => Some(None),
                },
                Pat::Lit(t) => Some(t.as_tuple().and_then(|tp| tp.get(keypos - 1))),
                Pat::Cons(..) | Pat::Map(_) => Some(None),
            })
            .collect()
    }

    /// The key a specification of one clause can only match, if its head
    /// fixes the key position to a literal (so a lookup finds its
    /// objects).
    pub fn fixed_key(&self, keypos: usize) -> Option<Term> {
        let [cl] = self.clauses.as_slice() else {
            return None;
        };
        match &cl.head {
            Pat::Tuple(ps) => match ps.get(keypos - 1)? {
                Pat::Lit(t) => Some(*t),
                _ => cl.ground_key(keypos),
            },
            _ => None,
        }
    }
}

impl MatchSpec {
    /// The specification as it runs on a table with keys at `keypos`,
    /// compared with `==` when `ordered` (else `=:=`): when every clause
    /// names its key (one clause, for an `ordered_set`), BEAM looks the
    /// keys up instead of scanning, so a ground key matches exactly that
    /// key. (An `ordered_set` scanned for several clauses compares some
    /// ground keys exactly too; not modelled.)
    pub fn on_table(mut self, keypos: usize, ordered: bool) -> MatchSpec {
        let lookup = !ordered || self.clauses.len() == 1;
        if lookup && self.fixed_keys(keypos).is_some() {
            let keys = self
                .clauses
                .iter()
                .map(|cl| cl.ground_key(keypos))
                .collect();
            self.table = Some((keypos, ordered, keys));
        }
        self
    }

    /// On a table, a clause whose key position is ground matches only
    /// objects with that very key (see [`Clause::ground_key`]).
    fn key_agrees(&self, clause: usize, obj: Term) -> bool {
        let Some((keypos, ordered, keys)) = &self.table else {
            return true;
        };
        let (keypos, ordered) = (*keypos, *ordered);
        let Some(key) = keys[clause] else {
            return true;
        };
        let Some(k) = obj.as_tuple().and_then(|t| t.get(keypos - 1)) else {
            return true;
        };
        let order = if ordered {
            compare(k, key)
        } else {
            compare_exact(k, key)
        };
        order == std::cmp::Ordering::Equal
    }
}

impl Clause {
    /// The head's key position when it holds no variable, not even in a
    /// map: BEAM's `analyze_pattern` takes it as a bound key and looks it
    /// up (`=:=`), so a map there matches that map only, not the larger
    /// maps a map pattern matches elsewhere.
    fn ground_key(&self, keypos: usize) -> Option<Term> {
        let key = self.head_term.as_tuple()?.get(keypos - 1)?;
        let mut todo = vec![key];
        while let Some(t) = todo.pop() {
            if var_number(t).is_some() || t.as_atom().is_some_and(|a| a.name() == "_") {
                return None;
            }
            if t.is_map() {
                todo.extend(map::entries(t).into_iter().flat_map(|(k, v)| [k, v]));
            } else if let Some(tp) = t.as_tuple() {
                todo.extend_from_slice(tp.elements());
            } else if let Some((h, tl)) = t.as_cons() {
                todo.extend([h, tl]);
            }
        }
        Some(key)
    }
}

/// Whether pattern `t` has a variable, `'_'` or a map (a map pattern
/// matches larger maps, so it is no literal) (without recursing).
fn has_vars(t: Term) -> bool {
    let mut todo = vec![t];
    while let Some(t) = todo.pop() {
        if let Some(a) = t.as_atom() {
            if a.name() == "_" || var_number(t).is_some() {
                return true;
            }
        } else if t.is_map() {
            return true;
        } else if let Some(tp) = t.as_tuple() {
            todo.extend_from_slice(tp.elements());
        } else if let Some((h, tl)) = t.as_cons() {
            todo.extend([h, tl]);
        }
    }
    false
}

/// The variable numbers in pattern `t`.
fn collect_vars(t: Term, out: &mut Vec<u32>) {
    let mut todo = vec![t];
    while let Some(t) = todo.pop() {
        if let Some(n) = var_number(t) {
            out.push(n);
        } else if t.is_map() {
            todo.extend(map::entries(t).into_iter().map(|(_, v)| v));
        } else if let Some(tp) = t.as_tuple() {
            todo.extend_from_slice(tp.elements());
        } else if let Some((h, tl)) = t.as_cons() {
            todo.extend([h, tl]);
        }
    }
}

/// Matches `t` against `pat`, binding variables by number in `binds`.
fn matches(pat: &Pat, t: Term, binds: &mut Vec<Option<Term>>) -> bool {
    match pat {
        Pat::Any => true,
        Pat::Lit(l) => eq_exact(*l, t),
        Pat::Var(n) => {
            if binds.len() <= *n {
                binds.resize(*n + 1, None);
            }
            match binds[*n] {
                Some(b) => eq_exact(b, t),
                None => {
                    binds[*n] = Some(t);
                    true
                }
            }
        }
        Pat::Tuple(ps) => t.as_tuple().is_some_and(|tp| {
            tp.len() == ps.len()
                && ps
                    .iter()
                    .zip(tp.elements())
                    .all(|(p, &e)| matches(p, e, binds))
        }),
        Pat::Cons(h, tl) => t
            .as_cons()
            .is_some_and(|(a, b)| matches(h, a, binds) && matches(tl, b, binds)),
        Pat::Map(ps) => {
            t.is_map()
                && ps
                    .iter()
                    .all(|(k, p)| t.map_get(*k).is_some_and(|v| matches(p, v, binds)))
        }
    }
}

/// Evaluation context.
struct Cx<'a> {
    p: &'a mut Process,
    obj: Term,
    binds: &'a [Option<Term>],
    vars: &'a [u32],
    /// The trace actions the body ran, with their operand's value.
    actions: Vec<(Action, Term)>,
    /// `{caller}`'s value.
    caller: Term,
}

impl Cx<'_> {
    /// The value of `e`; `Err` when a call raises (in a body, the call is
    /// `'EXIT'` instead).
    fn eval(&mut self, e: &Expr, body: bool) -> Result<Term, ()> {
        Ok(match e {
            Expr::Var(n) => self.binds.get(*n).copied().flatten().ok_or(())?,
            Expr::Object => self.obj,
            Expr::Bindings => {
                let vals: Vec<Term> = self
                    .vars
                    .iter()
                    .enumerate()
                    .filter_map(|(slot, _)| self.binds.get(slot).copied().flatten())
                    .collect();
                self.p.heap.list(&vals)
            }
            Expr::Const(t) => *t,
            Expr::SelfPid => self.p.pid,
            Expr::Caller => self.caller,
            Expr::Tuple(es) => {
                let vals = es
                    .iter()
                    .map(|e| self.eval(e, body))
                    .collect::<Result<Vec<_>, _>>()?;
                self.p.heap.tuple(&vals)
            }
            Expr::List(es, tail) => {
                let vals = es
                    .iter()
                    .map(|e| self.eval(e, body))
                    .collect::<Result<Vec<_>, _>>()?;
                let tail = self.eval(tail, body)?;
                self.p.heap.list_with_tail(&vals, tail)
            }
            Expr::Map(pairs) => {
                let mut kvs = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    kvs.push((self.eval(k, body)?, self.eval(v, body)?));
                }
                self.p.heap.map_from_pairs(&kvs)
            }
            Expr::Short(stop_unless, es) => {
                let Some((last, first)) = es.split_last() else {
                    return Ok(Term::bool(*stop_unless));
                };
                for e in first {
                    let v = self.eval(e, body)?;
                    if v != Term::bool(*stop_unless) {
                        return if v == Term::bool(!*stop_unless) {
                            Ok(v)
                        } else {
                            self.fail(body)
                        };
                    }
                }
                self.eval(last, body)?
            }
            Expr::Strict(and, es) => {
                let mut all = *and;
                for e in es {
                    let v = self.eval(e, body)?;
                    if v != Term::TRUE && v != Term::FALSE {
                        return self.fail(body);
                    }
                    if v == Term::bool(!*and) {
                        all = !*and;
                    }
                }
                Term::bool(all)
            }
            Expr::Call(f, es) => {
                let args = es
                    .iter()
                    .map(|e| self.eval(e, body))
                    .collect::<Result<Vec<_>, _>>()?;
                match f(self.p, &args) {
                    Ok(v) => v,
                    Err(_) => return self.fail(body),
                }
            }
            Expr::Action(a, operand) => {
                let v = match operand {
                    Some(e) => self.eval(e, body)?,
                    None => Term::TRUE,
                };
                self.actions.push((*a, v));
                Term::TRUE
            }
        })
    }

    fn fail(&self, body: bool) -> Result<Term, ()> {
        if body {
            Ok(Term::atom(Atom::intern("EXIT").unwrap_or(Atom::UNDEFINED)))
        } else {
            Err(())
        }
    }
}
