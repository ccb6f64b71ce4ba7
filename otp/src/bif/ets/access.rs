//! Reading and writing objects by key: `insert/2`, `insert_new/2`,
//! `lookup/2`, `lookup_element/3`, `member/2`, `take/2`, `delete/2`,
//! `delete_object/2`, `internal_delete_all/2`, `update_counter/3,4`,
//! `update_element/3`, `first/1`, `next/2`, `last/1`, `prev/2`, `slot/2`.
//! Objects are copied in on writes and out onto the caller's heap on
//! reads.

use ibig::IBig;

use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::Term;

use super::objects::{copy, Objects};
use super::store::{self, Data, Need, Table, Type};
use super::{atom, badarg, key_of, out, out_list};

/// The objects of an `insert` argument (one tuple or a list of them),
/// each with its key; `None` if one is not a tuple of at least `keypos`
/// elements.
fn objects_of(arg: Term, keypos: usize) -> Option<Vec<(Term, Term)>> {
    let objs = match arg.as_tuple() {
        Some(_) => vec![arg],
        None => arg.proper_list()?,
    };
    objs.into_iter()
        .map(|o| key_of(o, keypos).map(|k| (k, o)))
        .collect()
}

/// Stores `obj` (key `key`) as the table's type says.
fn store_one(kind: Type, objects: &mut Objects, key: Term, obj: Term) -> Option<()> {
    let m = copy(obj)?;
    match kind {
        Type::Set | Type::OrderedSet => {
            // An ordered_set's key is the new object's (`1.0` replaces `1`).
            if kind == Type::OrderedSet {
                objects.remove(key);
            }
            objects.put(key, vec![m]);
        }
        Type::Bag | Type::DuplicateBag => {
            let dup = kind == Type::Bag
                && objects
                    .get(key)
                    .is_some_and(|v| v.iter().any(|o| eq_exact(o.term, obj)));
            if !dup {
                objects.push(key, m);
            }
        }
    }
    Some(())
}

fn insert(p: &mut Process, args: &[Term], only_new: bool) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let objs = objects_of(args[1], t.keypos).ok_or_else(badarg)?;
    let mut d = t.open(p, Need::Write)?;
    p.charge(objs.len());
    if only_new && objs.iter().any(|&(k, _)| d.objects.get(k).is_some()) {
        return Ok(Term::FALSE);
    }
    // BEAM puts a list's objects into a `bag` last first (its list insert
    // builds them into a chain by prepending), into the other kinds in order.
    let backward = t.kind == Type::Bag;
    let mut it: Box<dyn Iterator<Item = (Term, Term)>> = if backward {
        Box::new(objs.into_iter().rev())
    } else {
        Box::new(objs.into_iter())
    };
    it.try_for_each(|(k, o)| store_one(t.kind, &mut d.objects, k, o).ok_or_else(badarg))?;
    Ok(Term::TRUE)
}

/// `ets:insert(Tab, ObjectOrObjects)`.
pub fn insert_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    insert(p, args, false)
}

/// `ets:insert_new(Tab, ObjectOrObjects)`: nothing if a key is present.
pub fn insert_new_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    insert(p, args, true)
}

/// `ets:lookup(Tab, Key)`.
pub fn lookup_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let d = t.open(p, Need::Read)?;
    Ok(match d.objects.get(args[1]) {
        Some(v) => out_list(p, v),
        None => Term::NIL,
    })
}

/// `ets:lookup_element(Tab, Key, Pos)`: `badarg` for a missing key or a
/// position past an object's end; a list for the bag kinds.
pub fn lookup_element_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let pos = super::position(args[2]).ok_or_else(badarg)?;
    let t = store::table(args[0])?;
    let d = t.open(p, Need::Read)?;
    let v = d
        .objects
        .get(args[1])
        .ok_or_else(|| Exception::badarg_because("badkey"))?;
    let elems = v
        .iter()
        .map(|o| o.term.as_tuple().and_then(|tp| tp.get(pos - 1)))
        .collect::<Option<Vec<Term>>>()
        .ok_or_else(badarg)?;
    let copies: Vec<Term> = elems.into_iter().map(|e| out(p, e)).collect();
    Ok(if t.kind.is_bag() {
        p.heap.list(&copies)
    } else {
        copies.first().copied().ok_or_else(badarg)?
    })
}

/// `ets:member(Tab, Key)`.
pub fn member_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let d = t.open(p, Need::Read)?;
    Ok(Term::bool(d.objects.get(args[1]).is_some()))
}

/// `ets:take(Tab, Key)`: the objects, removed.
pub fn take_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    Ok(match d.objects.remove(args[1]) {
        Some(v) => out_list(p, &v),
        None => Term::NIL,
    })
}

/// `ets:delete(Tab, Key)`.
pub fn delete_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    d.objects.remove(args[1]);
    Ok(Term::TRUE)
}

/// `ets:delete_object(Tab, Object)`: the objects equal (`=:=`) to it.
pub fn delete_object_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let key = key_of(args[1], t.keypos).ok_or_else(badarg)?;
    let mut d = t.open(p, Need::Write)?;
    d.objects.remove_where(key, |o| eq_exact(o.term, args[1]));
    Ok(Term::TRUE)
}

/// `ets:internal_delete_all(Tab, undefined)`: the number deleted.
pub fn internal_delete_all_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    let n = d.objects.clear();
    Ok(p.heap.int(n as i64))
}

/// The object under `key` in a set-kind table, for an update (`badarg`
/// for the bag kinds).
fn single(t: &Table, d: &Data, key: Term) -> Result<Option<Term>, Exception> {
    if t.kind.is_bag() {
        return Err(badarg());
    }
    Ok(d.objects.get(key).and_then(|v| v.first()).map(|o| o.term))
}

/// One `update_counter` operation: position, increment and an optional
/// threshold and value to set beyond it.
struct Op {
    pos: usize,
    incr: IBig,
    limit: Option<(IBig, Term)>,
}

/// The operation `t` stands for (its form only: its position is checked
/// against the object, as BEAM does once it has found one).
fn op(t: Term, keypos: usize) -> Option<Op> {
    if let Some(i) = super::integer(t) {
        return Some(Op {
            pos: keypos + 1,
            incr: i,
            limit: None,
        });
    }
    let tp = t.as_tuple()?;
    let pos = super::position(tp.get(0)?)?;
    let incr = super::integer(tp.get(1)?)?;
    let limit = match tp.len() {
        2 => None,
        4 => Some((super::integer(tp.get(2)?)?, tp.get(3)?)),
        _ => return None,
    };
    Some(Op { pos, incr, limit })
}

/// The counter operations of an `update_counter` argument.
fn ops(t: Term, keypos: usize) -> Option<(Vec<Op>, bool)> {
    if t.is_list() || t.is_nil() {
        let ops = t
            .proper_list()?
            .into_iter()
            .map(|o| op(o, keypos))
            .collect::<Option<Vec<Op>>>()?;
        return Some((ops, true));
    }
    Some((vec![op(t, keypos)?], false))
}

/// Applies `ops` to `obj` (whose key is at `keypos`) on the caller's
/// heap: the new object and the new values; else `badarg` with BEAM's
/// cause (`position` past the object's end, `keypos` at its key).
fn apply_ops(
    p: &mut Process,
    obj: Term,
    keypos: usize,
    ops: &[Op],
) -> Result<(Term, Vec<Term>), Exception> {
    let mut elems = obj.as_tuple().ok_or_else(badarg)?.elements().to_vec();
    let mut results = Vec::with_capacity(ops.len());
    for o in ops {
        if o.pos > elems.len() {
            return Err(Exception::badarg_because("position"));
        }
        if o.pos == keypos {
            return Err(Exception::badarg_because("keypos"));
        }
        let cur = super::integer(elems[o.pos - 1]).ok_or_else(badarg)?;
        let mut v = cur + &o.incr;
        let mut set = None;
        if let Some((limit, value)) = &o.limit {
            let over = if o.incr >= IBig::from(0) {
                v > *limit
            } else {
                v < *limit
            };
            if over {
                set = Some(*value);
                v = super::integer(*value).ok_or_else(badarg)?;
            }
        }
        let term = match set {
            Some(t) => t,
            None => crate::bif::arg::big_term(&mut p.heap, &v).map_err(|_| badarg())?,
        };
        elems[o.pos - 1] = term;
        results.push(term);
    }
    Ok((p.heap.tuple(&elems), results))
}

fn update_counter(
    p: &mut Process,
    args: &[Term],
    default: Option<Term>,
) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let (ops, many) = ops(args[2], t.keypos).ok_or_else(badarg)?;
    let mut d = t.open(p, Need::Write)?;
    let obj = match (single(&t, &d, args[1])?, default) {
        (Some(o), _) => o,
        (None, Some(def)) => {
            // The default's key is replaced by `Key`.
            let tp = def
                .as_tuple()
                .filter(|tp| tp.len() >= t.keypos)
                .ok_or_else(badarg)?;
            let mut elems = tp.elements().to_vec();
            elems[t.keypos - 1] = args[1];
            p.heap.tuple(&elems)
        }
        (None, None) => return Err(Exception::badarg_because("badkey")),
    };
    let (new, results) = apply_ops(p, obj, t.keypos, &ops)?;
    let m: Message = copy(new).ok_or_else(badarg)?;
    d.objects.put(args[1], vec![m]);
    Ok(if many {
        p.heap.list(&results)
    } else {
        results.first().copied().ok_or_else(badarg)?
    })
}

/// `ets:update_counter(Tab, Key, UpdateOp)`.
pub fn update_counter_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    update_counter(p, args, None)
}

/// `ets:update_counter(Tab, Key, UpdateOp, Default)`.
pub fn update_counter_4(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    update_counter(p, args, Some(args[3]))
}

/// `ets:update_element(Tab, Key, {Pos, Value} | [{Pos, Value}])`.
pub fn update_element_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let specs = match args[2].as_tuple() {
        Some(_) => vec![args[2]],
        None => args[2].proper_list().ok_or_else(badarg)?,
    };
    let mut changes = Vec::with_capacity(specs.len());
    for s in specs {
        let tp = s.as_tuple().filter(|tp| tp.len() == 2).ok_or_else(badarg)?;
        let pos = tp.get(0).and_then(super::position).ok_or_else(badarg)?;
        changes.push((pos, tp.get(1).ok_or_else(badarg)?));
    }
    let mut d = t.open(p, Need::Write)?;
    let Some(obj) = single(&t, &d, args[1])? else {
        return Ok(Term::FALSE);
    };
    let mut elems = obj.as_tuple().ok_or_else(badarg)?.elements().to_vec();
    for (pos, v) in changes {
        if pos == t.keypos {
            return Err(Exception::badarg_because("keypos"));
        }
        *elems.get_mut(pos - 1).ok_or_else(badarg)? = v;
    }
    let new = p.heap.tuple(&elems);
    let m = copy(new).ok_or_else(badarg)?;
    d.objects.put(args[1], vec![m]);
    Ok(Term::TRUE)
}

/// `first`/`last` (no key) and `next`/`prev` (a key); a hash table's key
/// must be present (`badarg`; a key deleted while the table is fixed is),
/// an `ordered_set`'s need not. A hash table walks its buckets: `last` is
/// `first` and `prev` is `next` there, as on BEAM.
fn step(p: &mut Process, tab: Term, key: Option<Term>, forward: bool) -> Result<Term, Exception> {
    let t = store::table(tab)?;
    let d = t.open(p, Need::Read)?;
    let next = match &d.objects {
        Objects::Tree(tree) => tree.step(key, forward),
        Objects::Hash(h) => h.step(key).ok_or_else(badarg)?,
    };
    Ok(match next {
        Some(k) => out(p, k),
        None => atom("$end_of_table"),
    })
}

/// `ets:first(Tab)`.
pub fn first_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    step(p, args[0], None, true)
}

/// `ets:last(Tab)`.
pub fn last_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    step(p, args[0], None, false)
}

/// `ets:next(Tab, Key)`.
pub fn next_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    step(p, args[0], Some(args[1]), true)
}

/// `ets:prev(Tab, Key)`.
pub fn prev_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    step(p, args[0], Some(args[1]), false)
}

/// `ets:slot(Tab, I)`: an `ordered_set`'s `I`th key's objects (0-based),
/// a hash table's bucket `I` (its keys last in chain first, each key's
/// objects oldest first, as BEAM conses them); `'$end_of_table'` just past
/// the last, `badarg` beyond.
pub fn slot_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let i = args[1]
        .as_small()
        .and_then(|i| usize::try_from(i).ok())
        .ok_or_else(badarg)?;
    let t = store::table(args[0])?;
    let d = t.open(p, Need::Read)?;
    let end = match &d.objects {
        Objects::Tree(tree) => tree.iter().count(),
        Objects::Hash(h) => h.nactive(),
    };
    if i > end {
        return Err(badarg());
    }
    if i == end {
        return Ok(atom("$end_of_table"));
    }
    Ok(match &d.objects {
        Objects::Tree(tree) => match tree.iter().nth(i) {
            Some((_, v)) => out_list(p, v),
            None => atom("$end_of_table"),
        },
        Objects::Hash(h) => {
            let groups = h.bucket(i);
            p.charge(groups.len());
            let mut list = Term::NIL;
            for g in groups {
                for o in g.objs.iter().rev() {
                    let c = out(p, o.term);
                    list = p.heap.cons(c, list);
                }
            }
            list
        }
    })
}
