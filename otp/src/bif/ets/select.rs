//! Match specifications on tables: `ets:select/1,2,3`, `select_reverse`,
//! `match/1,2,3`, `match_object/1,2,3`, `select_count/2`,
//! `select_delete/2`, `select_replace/2`, and on terms:
//! `match_spec_compile/1`, `match_spec_run_r/3`, `is_compiled_ms/1`,
//! `erlang:match_spec_test/3`.
//!
//! A continuation of `select/3` has BEAM's shape, so that
//! `ets:repair_continuation/2` (Erlang code) takes it: `{Tab, LastKey,
//! EndCondition, Limit, CompiledMs, [], Reverse, 0}` for an `ordered_set`
//! (erl_db_tree.c's; the end condition `[]`, as for a key not bound;
//! `Reverse` 0 or 1; the next chunk starts after the last key returned), `{Tid, Bucket, Limit, CompiledMs, Rest, RestSize}` for the
//! hash kinds, as `erl_db_hash.c` walks them: results are consed in bucket
//! order (so a whole walk lists them last bucket first), a chunk ends at
//! the first bucket end with `Limit` results or more, the oldest `Limit` are
//! returned and the rest kept in the continuation for the next call.

use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Term;

use super::hash::HashTable;
use super::matchspec::{self, var_number, Kind, MatchSpec};
use super::objects::{copy, Objects};
use super::store::{self, Need, Type};
use super::{atom, badarg, key_of, out};

/// Objects BEAM's table walks visit before they yield (`select_delete`
/// then leaves the table unshrunk: it fixed the table to yield).
pub const ITERATIONS: usize = 1000;

/// A compiled specification kept by `match_spec_compile/1`: a copy of the
/// specification, compiled again where it is run.
struct Compiled(Message);

/// `[{Pattern, [], [Result]}]` on the caller's heap.
fn pattern_ms(p: &mut Process, pattern: Term, result: &str) -> Term {
    let r = atom(result);
    let body = p.heap.list(&[r]);
    let clause = p.heap.tuple(&[pattern, Term::NIL, body]);
    p.heap.list(&[clause])
}

/// The specification argument compiled for tables (`badarg` if it is not
/// one).
fn compile(ms: Term) -> Result<MatchSpec, Exception> {
    MatchSpec::compile(ms, Kind::Table).map_err(|_| badarg())
}

/// Adds the results of `spec` on `objects` (copied onto the caller's
/// heap) to `results`.
fn matches(p: &mut Process, spec: &MatchSpec, objects: &[Message], results: &mut Vec<Term>) {
    for o in objects {
        if let Some(r) = spec.run(p, o.term) {
            results.push(out(p, r));
        }
    }
}

/// Runs `ms` over an `ordered_set`'s objects after `after` (from the
/// start for `None`), in order or reversed; stops after the key at which
/// `limit` results are reached. The results (copied onto the caller's
/// heap) and the last key visited if it stopped early.
fn run(
    p: &mut Process,
    tab: Term,
    ms: Term,
    after: Option<Term>,
    limit: usize,
    reverse: bool,
) -> Result<(Vec<Term>, Option<Term>), Exception> {
    let t = store::table(tab)?;
    let d = t.open(p, Need::Read)?;
    let spec = compile(ms)?.on_table(t.keypos, t.kind == Type::OrderedSet);
    let Objects::Tree(tree) = &d.objects else {
        return Err(badarg());
    };
    let mut results = Vec::new();
    if let (Some(k), None) = (spec.fixed_key(t.keypos), after) {
        if let Some(v) = tree.get(k) {
            matches(p, &spec, v, &mut results);
        }
        return Ok((results, None));
    }
    let mut visited = 0usize;
    for (k, v) in tree.from(after, !reverse) {
        visited += v.len();
        matches(p, &spec, v, &mut results);
        if results.len() >= limit {
            let last = out(p, k);
            p.charge(visited);
            return Ok((results, Some(last)));
        }
    }
    p.charge(visited);
    Ok((results, None))
}

/// `select`-like with no limit: the results as a list.
fn all(p: &mut Process, tab: Term, ms: Term, reverse: bool) -> Result<Term, Exception> {
    if let Some(r) = hash_select(p, tab, ms, None)? {
        return Ok(r);
    }
    let (results, _) = run(p, tab, ms, None, usize::MAX, reverse)?;
    Ok(p.heap.list(&results))
}

/// The results of `spec` on bucket `ix`'s objects in chain order (a key's
/// newest object first), consed onto `list`; how many, and objects seen.
fn walk_bucket(
    p: &mut Process,
    spec: &MatchSpec,
    h: &HashTable,
    ix: usize,
    list: &mut Term,
) -> (usize, usize) {
    let (mut got, mut seen) = (0, 0);
    for g in h.bucket(ix) {
        for o in g.objs.iter().rev() {
            seen += 1;
            if let Some(r) = spec.run(p, o.term) {
                let r = out(p, r);
                *list = p.heap.cons(r, *list);
                got += 1;
            }
        }
    }
    (got, seen)
}

/// Walks buckets from `ix` on, consing results onto `list` (which holds
/// `got`), until the table's end (`None`) or the end of a bucket with
/// `chunk` results or more (0: no limit): the next bucket to visit.
fn walk(
    p: &mut Process,
    spec: &MatchSpec,
    h: &HashTable,
    mut ix: usize,
    chunk: usize,
    list: &mut Term,
    got: &mut usize,
) -> Option<usize> {
    let mut seen = 0;
    let next = loop {
        let (n, s) = walk_bucket(p, spec, h, ix, list);
        *got += n;
        seen += s;
        match h.next_slot(ix) {
            None => break None,
            Some(n) if chunk > 0 && *got >= chunk => break Some(n),
            Some(n) => ix = n,
        }
    };
    p.charge(seen);
    next
}

/// The buckets a specification whose every clause names its key visits,
/// in clause order (`analyze_pattern`): `None` if some clause does not.
/// A plain table skips keys it lacks; a `write_concurrency` one does not
/// look.
fn key_buckets(spec: &MatchSpec, h: &HashTable, keypos: usize) -> Option<Vec<usize>> {
    let keys = spec.fixed_keys(keypos)?;
    let mut buckets: Vec<usize> = Vec::new();
    for k in keys.into_iter().flatten() {
        if !h.is_fine_locked() && h.get(k).is_none() {
            continue;
        }
        let b = h.bucket_of(k);
        if !buckets.contains(&b) {
            buckets.push(b);
        }
    }
    Some(buckets)
}

/// `select/2` (`chunk` `None`) or `select/3` of a hash table: `None` if
/// `tab` is an `ordered_set`.
fn hash_select(
    p: &mut Process,
    tab: Term,
    ms: Term,
    chunk: Option<(usize, Option<Term>)>,
) -> Result<Option<Term>, Exception> {
    let t = store::table(tab)?;
    let d = t.open(p, Need::Read)?;
    let spec = compile(ms)?.on_table(t.keypos, t.kind == Type::OrderedSet);
    let Objects::Hash(h) = &d.objects else {
        return Ok(None);
    };
    let limit = chunk.map_or(0, |(n, _)| n);
    let mut list = Term::NIL;
    let mut got = 0;
    let next = match key_buckets(&spec, h, t.keypos) {
        Some(buckets) => {
            for b in buckets {
                let (n, s) = walk_bucket(p, &spec, h, b, &mut list);
                got += n;
                p.charge(s);
            }
            None
        }
        None => walk(p, &spec, h, 0, limit, &mut list, &mut got),
    };
    let Some((limit, compiled)) = chunk else {
        return Ok(Some(list));
    };
    // The newest results beyond the limit wait in the continuation.
    let mut rest = Term::NIL;
    let mut rest_size = 0;
    if got > limit {
        rest_size = got - limit;
        let mut kept = Vec::with_capacity(rest_size);
        for _ in 0..rest_size {
            let (hd, tl) = list.as_cons().ok_or_else(badarg)?;
            kept.push(hd);
            list = tl;
        }
        rest = p.heap.list(&kept);
    }
    let ms = match compiled {
        Some(c) => c,
        None => compiled_ref(p, ms)?,
    };
    let tid = store::tid(&mut p.heap, t.id);
    let cont = Cont { tid, limit, ms };
    Ok(Some(cont.result(p, list, rest, rest_size, next)))
}

/// What a hash table's continuation carries from chunk to chunk.
struct Cont {
    tid: Term,
    limit: usize,
    ms: Term,
}

impl Cont {
    /// `{Results, Continuation}`, `{Results, '$end_of_table'}` or
    /// `'$end_of_table'` after a chunk that leaves `rest` (`rest_size`
    /// results) and goes on at bucket `next`.
    fn result(
        &self,
        p: &mut Process,
        list: Term,
        rest: Term,
        rest_size: usize,
        next: Option<usize>,
    ) -> Term {
        let end = atom("$end_of_table");
        if !rest.is_nil() || next.is_some() {
            let slot = next.map_or(-1, |n| n as i64);
            let cont = p.heap.tuple(&[
                self.tid,
                Term::small(slot),
                Term::small(self.limit as i64),
                self.ms,
                rest,
                Term::small(rest_size as i64),
            ]);
            p.heap.tuple(&[list, cont])
        } else if !list.is_nil() {
            p.heap.tuple(&[list, end])
        } else {
            end
        }
    }
}

/// `select/1` of a hash table's continuation `{Tid, Bucket, Limit,
/// CompiledMs, Rest, RestSize}`.
fn hash_continue(p: &mut Process, c: &[Term]) -> Result<Term, Exception> {
    let &[tid, slot, lim, ms, rest, rest_size] = c else {
        return Err(badarg());
    };
    let (Some(slot), Some(limit), Some(mut got)) = (
        slot.as_small(),
        lim.as_small().and_then(|n| usize::try_from(n).ok()),
        rest_size.as_small().and_then(|n| usize::try_from(n).ok()),
    ) else {
        return Err(badarg());
    };
    if !(rest.is_list() || rest.is_nil()) {
        return Err(badarg());
    }
    let magic = ms.as_magic().ok_or_else(badarg)?;
    let spec = compile(magic.get::<Compiled>().ok_or_else(badarg)?.0.term)?;
    let t = store::table(tid)?;
    let spec = spec.on_table(t.keypos, t.kind == Type::OrderedSet);
    let d = t.open(p, Need::Read)?;
    let Objects::Hash(h) = &d.objects else {
        return Err(badarg());
    };
    let mut list = rest;
    let mut next = usize::try_from(slot).ok();
    if let Some(ix) = next.filter(|_| got < limit || limit == 0) {
        if ix >= h.nactive() {
            return Err(badarg());
        }
        next = walk(p, &spec, h, ix, limit, &mut list, &mut got);
    }
    if limit == 0 {
        return Ok(list);
    }
    // The newest results beyond the limit go back, reversed, as BEAM's
    // continuing walk moves them.
    let mut rest = Term::NIL;
    let mut rest_size = 0;
    while got > limit {
        let (hd, tl) = list.as_cons().ok_or_else(badarg)?;
        rest = p.heap.cons(hd, rest);
        list = tl;
        got -= 1;
        rest_size += 1;
    }
    Ok(Cont { tid, limit, ms }.result(p, list, rest, rest_size, next))
}

/// One chunk of at most about `limit` results: `{Results, Continuation}`
/// or `'$end_of_table'`. The continuation holds `compiled` (the
/// specification compiled, from the continuation being followed), or a
/// fresh one.
fn chunk(
    p: &mut Process,
    tab: Term,
    ms: Term,
    compiled: Option<Term>,
    after: Option<Term>,
    limit: usize,
    reverse: bool,
) -> Result<Term, Exception> {
    if after.is_none() {
        if let Some(r) = hash_select(p, tab, ms, Some((limit, compiled)))? {
            return Ok(r);
        }
    }
    let (results, last) = run(p, tab, ms, after, limit, reverse)?;
    if results.is_empty() {
        return Ok(atom("$end_of_table"));
    }
    let list = p.heap.list(&results);
    let cont = match last {
        Some(k) => {
            let lim = p.heap.int(limit as i64);
            let ms = match compiled {
                Some(c) => c,
                None => compiled_ref(p, ms)?,
            };
            let zero = Term::small(0);
            let rev = Term::small(reverse as i64);
            p.heap
                .tuple(&[tab, k, Term::NIL, lim, ms, Term::NIL, rev, zero])
        }
        None => atom("$end_of_table"),
    };
    Ok(p.heap.tuple(&[list, cont]))
}

fn limit(t: Term) -> Result<usize, Exception> {
    t.as_small()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 0)
        .ok_or_else(badarg)
}

/// The limit of a call on `tab`; a bad one is `badarg` after the table's
/// own checks, whose causes come first on BEAM (it reads the table before
/// the other arguments).
fn table_limit(p: &Process, tab: Term, t: Term) -> Result<usize, Exception> {
    limit(t).or_else(|e| {
        drop(store::table(tab)?.open(p, Need::Read)?);
        Err(e)
    })
}

/// `ets:select(Tab, MatchSpec)`.
pub fn select_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    all(p, args[0], args[1], false)
}

/// `ets:select(Tab, MatchSpec, Limit)`.
pub fn select_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = table_limit(p, args[0], args[2])?;
    chunk(p, args[0], args[1], None, None, n, false)
}

/// `ets:select_reverse(Tab, MatchSpec)`: reversed for an `ordered_set`,
/// as `select/2` for the others.
pub fn select_reverse_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    all(p, args[0], args[1], true)
}

/// `ets:select_reverse(Tab, MatchSpec, Limit)`.
pub fn select_reverse_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = table_limit(p, args[0], args[2])?;
    chunk(p, args[0], args[1], None, None, n, true)
}

/// `select/1`, `select_reverse/1`, `match/1`, `match_object/1`: the next
/// chunk of a continuation.
pub fn select_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0] == atom("$end_of_table") {
        return Ok(args[0]);
    }
    let c = args[0].as_tuple().ok_or_else(badarg)?;
    let (tab, key, lim, ms, reverse) = match *c.elements() {
        [tab, key, _, lim, ms, _, rev, _] => (tab, key, lim, ms, rev == Term::small(1)),
        [_, _, _, _, _, _] => return hash_continue(p, c.elements()),
        _ => return Err(badarg()),
    };
    let n = limit(lim)?;
    let magic = ms.as_magic().ok_or_else(badarg)?;
    let spec = magic.get::<Compiled>().ok_or_else(badarg)?.0.term;
    chunk(p, tab, spec, Some(ms), Some(key), n, reverse)
}

/// A compiled specification of `ms` (which compiles) for a continuation.
fn compiled_ref(p: &mut Process, ms: Term) -> Result<Term, Exception> {
    let m = Message::copy(ms).map_err(|_| badarg())?;
    Ok(p.heap.magic_ref(fresh_ref_ids(), Magic::new(Compiled(m))))
}

/// `match` (`result` `'$$'`) or `match_object` (`'$_'`) of `[Tab,
/// Pattern]` or `[Tab, Pattern, Limit]`: `select` of `[{Pattern, [],
/// [Result]}]`.
fn pattern(p: &mut Process, args: &[Term], result: &str) -> Result<Term, Exception> {
    let n = args
        .get(2)
        .map(|&l| table_limit(p, args[0], l))
        .transpose()?;
    let ms = pattern_ms(p, args[1], result);
    match n {
        Some(n) => chunk(p, args[0], ms, None, None, n, false),
        None => all(p, args[0], ms, false),
    }
}

/// `ets:match(Tab, Pattern)` and `ets:match(Tab, Pattern, Limit)`.
pub fn match_2_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    pattern(p, args, "$$")
}

/// `ets:match_object(Tab, Pattern)` and `(Tab, Pattern, Limit)`.
pub fn match_object_2_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    pattern(p, args, "$_")
}

/// `ets:select_count(Tab, MatchSpec)`: the objects whose result is `true`.
pub fn select_count_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let d = t.open(p, Need::Read)?;
    let spec = compile(args[1])?.on_table(t.keypos, t.kind == Type::OrderedSet);
    let mut n = 0i64;
    for (_, v) in d.objects.iter() {
        for o in v {
            n += (spec.run(p, o.term) == Some(Term::TRUE)) as i64;
        }
    }
    p.charge(d.objects.size());
    Ok(p.heap.int(n))
}

/// `ets:internal_select_delete(Tab, MatchSpec)`: deletes the objects whose
/// result is `true`; how many.
pub fn select_delete_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    let spec = compile(args[1])?.on_table(t.keypos, t.kind == Type::OrderedSet);
    p.charge(d.objects.size());
    let only_writer = d.access != store::Access::Public && d.owner == p.pid;
    let gone = d
        .objects
        .retain(only_writer, |o| spec.run(p, o.term) != Some(Term::TRUE));
    Ok(p.heap.int(gone as i64))
}

/// `ets:select_replace(Tab, MatchSpec)`: replaces each matching object by
/// its result, which must keep the key (`badarg` otherwise, before any
/// change); a `bag` is refused (`table_type`), as BEAM; how many.
pub fn select_replace_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    if t.kind == Type::Bag {
        return Err(Exception::badarg_because("table_type"));
    }
    let spec = compile(args[1])?.on_table(t.keypos, t.kind == Type::OrderedSet);
    let clauses = args[1].proper_list().unwrap_or_default();
    let kept = clauses.iter().all(|cl| {
        let part = |i| cl.as_tuple().and_then(|c| c.get(i));
        matches!((part(0), part(2)), (Some(h), Some(b)) if keeps_key(t.keypos, h, b))
    });
    if !kept {
        return Err(badarg());
    }
    let mut changes = Vec::new();
    for (k, v) in d.objects.iter() {
        for (i, o) in v.iter().enumerate() {
            let Some(r) = spec.run(p, o.term) else {
                continue;
            };
            let same_key = key_of(r, t.keypos).is_some_and(|rk| eq_exact(rk, k));
            if !same_key {
                return Err(badarg());
            }
            changes.push((k, i, copy(r).ok_or_else(badarg)?));
        }
    }
    p.charge(d.objects.size());
    let n = changes.len();
    for (k, i, m) in changes {
        if let Some(v) = d.objects.get_mut(k) {
            v[i] = m;
        }
    }
    Ok(p.heap.int(n as i64))
}

/// `ets:match_spec_compile(MatchSpec)`: a magic reference.
pub fn match_spec_compile_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].is_nil() {
        return Err(badarg());
    }
    compile(args[0])?;
    compiled_ref(p, args[0])
}

/// `ets:is_compiled_ms(Term)`.
pub fn is_compiled_ms_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let ok = args[0]
        .as_magic()
        .is_some_and(|m| m.get::<Compiled>().is_some());
    Ok(Term::bool(ok))
}

/// `ets:match_spec_run_r(List, CompiledMs, Acc)`: the results of the
/// elements that match, prepended to `Acc` in reverse order.
pub fn match_spec_run_r_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let magic = args[1].as_magic().ok_or_else(badarg)?;
    let c = magic.get::<Compiled>().ok_or_else(badarg)?;
    let spec = compile(c.0.term)?;
    let items = args[0].proper_list().ok_or_else(badarg)?;
    let mut acc = args[2];
    for it in items {
        if let Some(r) = spec.run(p, it) {
            let r = out(p, r);
            acc = p.heap.cons(r, acc);
        }
    }
    Ok(acc)
}

/// `erlang:match_spec_test(Term, MatchSpec, table | trace)`: `{ok,
/// Result, [], []}` (`false` when nothing matches; a trace match's result
/// is `true`), or `{error, [{error, Message}, ...]}`.
pub fn match_spec_test_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let kind = match args[2].as_atom().map(|a| a.name()) {
        Some("table") => Kind::Table,
        Some("trace") => Kind::Trace,
        _ => return Err(badarg()),
    };
    if kind == Kind::Trace && !(args[0].is_list() || args[0].is_nil()) {
        return Err(badarg());
    }
    let compiled = if args[1].is_nil() {
        Err(vec![matchspec::EMPTY.to_string()])
    } else {
        MatchSpec::compile(args[1], kind)
    };
    let spec = match compiled {
        Ok(s) => s,
        Err(msgs) => {
            let errors: Vec<Term> = msgs
                .iter()
                .map(|msg| {
                    let text = p.heap.string(msg);
                    p.heap.tuple(&[atom("error"), text])
                })
                .collect();
            let list = p.heap.list(&errors);
            return Ok(p.heap.tuple(&[atom("error"), list]));
        }
    };
    // A trace match's result is its `{message, X}`'s `X` (`true` with
    // none), and its flags the trace actions it ran.
    let mut flags = Vec::new();
    let r = match (spec.run_with_actions(p, args[0]), kind) {
        (None, _) => Term::FALSE,
        (Some((_, actions)), Kind::Trace) => {
            let mut r = Term::TRUE;
            for (a, v) in actions {
                match a {
                    matchspec::Action::Message => r = v,
                    matchspec::Action::ReturnTrace => flags.push(atom("return_trace")),
                    matchspec::Action::ExceptionTrace => flags.push(atom("exception_trace")),
                }
            }
            r
        }
        (Some((r, _)), Kind::Table) => r,
    };
    let flags = p.heap.list(&flags);
    Ok(p.heap.tuple(&[atom("ok"), r, flags, Term::NIL]))
}

/// Whether a clause with head `head` and body `body` always gives an
/// object with the matched object's key, as `select_replace/2` demands of
/// every clause before it runs (erts' `db_match_keeps_key`): the body is
/// `['$_']`, or one tuple built (`{{...}}`) or constant (`{const, T}`)
/// whose key is the head's key or `{element, KeyPos, '$_'}`.
fn keeps_key(keypos: usize, head: Term, body: Term) -> bool {
    let Some((single, rest)) = body.as_cons() else {
        return false;
    };
    if !rest.is_nil() {
        return false;
    }
    if single == atom("$_") {
        return true;
    }
    let (Some(built), Some(head_key)) = (single.as_tuple(), key_of(head, keypos)) else {
        return false;
    };
    let (sub, constant) = match *built.elements() {
        [c, t] if c == atom("const") => (t, true),
        [t] => (t, false),
        _ => return false,
    };
    let Some(body_key) = key_of(sub, keypos) else {
        return false;
    };
    if same_when_built(head_key, body_key, constant) {
        return true;
    }
    let element_of_object = body_key.as_tuple().is_some_and(|tp| {
        tp.elements() == [atom("element"), Term::small(keypos as i64), atom("$_")]
    });
    !constant && element_of_object
}

/// Whether building `b` (a body expression; `constant` inside `{const,
/// _}`) always gives the term that pattern `a` matched (erts'
/// `db_match_eq_body`).
fn same_when_built(a: Term, b: Term, constant: bool) -> bool {
    let mut todo = vec![(a, b, constant)];
    while let Some((a, b, constant)) = todo.pop() {
        if let Some((bh, bt)) = b.as_cons() {
            let Some((ah, at)) = a.as_cons() else {
                return false;
            };
            todo.push((at, bt, constant));
            todo.push((ah, bh, constant));
        } else if let Some(mut bt) = b.as_tuple() {
            if !constant {
                match *bt.elements() {
                    [inner] if inner.is_tuple() => {
                        bt = inner.as_tuple().unwrap_or(bt);
                    }
                    [c, t] if c == atom("const") => {
                        todo.push((a, t, true));
                        continue;
                    }
                    _ => return false,
                }
            }
            let Some(at) = a.as_tuple().filter(|at| at.len() == bt.len()) else {
                return false;
            };
            for (&x, &y) in at.elements().iter().zip(bt.elements()) {
                todo.push((x, y, constant));
            }
        } else if b.is_map() {
            return false;
        } else {
            let special = ["_", "$$", "$_"].iter().any(|n| a == atom(n));
            let variable = var_number(a).is_some();
            if !eq_exact(a, b) || special || (constant && variable) {
                return false;
            }
        }
    }
    true
}
