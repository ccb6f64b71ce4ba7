//! Making, naming, giving away, describing and deleting tables:
//! `ets:new/2`, `delete/1`, `give_away/3`, `rename/2`, `whereis/1`,
//! `all/0` (through `internal_request_all/0`), `info/1,2`, `setopts/2`,
//! `safe_fixtable/2`.

use std::sync::Arc;

use parking_lot::Mutex;

use enigma_interp::sched;
use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Kind, Term};

use super::hash::{HashTable, FINE_LOCKS};
use super::objects::{copy, Objects, Tree};
use super::store::{self, Access, Data, Need, Table, Type};
use super::{atom, badarg};

/// The options of `ets:new/2`.
struct Options {
    kind: Type,
    access: Access,
    keypos: usize,
    named: bool,
    heir: Option<(Term, Term)>,
    flags: [bool; 4],
    /// `{write_concurrency, auto}` (the last `write_concurrency` given).
    auto: bool,
    /// A `decentralized_counters` option given.
    counters: Option<bool>,
}

/// The `{Key, Bool}` options that only read back, by flag index.
const FLAGS: [&str; 4] = [
    "decentralized_counters",
    "read_concurrency",
    "write_concurrency",
    "compressed",
];

fn options(list: Term) -> Option<Options> {
    let mut o = Options {
        kind: Type::Set,
        access: Access::Protected,
        keypos: 1,
        named: false,
        heir: None,
        flags: [false; 4],
        auto: false,
        counters: None,
    };
    for opt in list.proper_list()? {
        if let Some(a) = opt.as_atom() {
            match a.name() {
                "set" => o.kind = Type::Set,
                "ordered_set" => o.kind = Type::OrderedSet,
                "bag" => o.kind = Type::Bag,
                "duplicate_bag" => o.kind = Type::DuplicateBag,
                "public" => o.access = Access::Public,
                "protected" => o.access = Access::Protected,
                "private" => o.access = Access::Private,
                "named_table" => o.named = true,
                "compressed" => o.flags[3] = true,
                _ => return None,
            }
            continue;
        }
        let t = opt.as_tuple()?;
        let key = t.get(0)?.as_atom()?.name();
        match (key, t.len()) {
            ("keypos", 2) => o.keypos = t.get(1)?.as_small().filter(|&k| k >= 1)? as usize,
            ("heir", 2) if t.get(1)? == Term::atom(Atom::intern("none").ok()?) => o.heir = None,
            ("heir", 3) => {
                let pid = t.get(1)?;
                pid.as_local_pid()?;
                o.heir = Some((pid, t.get(2)?));
            }
            ("write_concurrency", 2) if t.get(1)? == atom("auto") => {
                o.flags[2] = true;
                o.auto = true;
            }
            (k, 2) => {
                let i = FLAGS.iter().position(|&f| f == k)?;
                let on = super::boolean(t.get(1)?)?;
                o.flags[i] = on;
                match i {
                    0 => o.counters = Some(on),
                    2 => o.auto = false,
                    _ => {}
                }
            }
            _ => return None,
        }
    }
    Some(o)
}

/// `ets:new(Name, Options)`.
pub fn new_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let name = args[0].as_atom().ok_or_else(badarg)?;
    let mut o = options(args[1]).ok_or_else(badarg)?;
    // Decentralized counters need write concurrency; `auto` and an
    // `ordered_set` turn them on unless told otherwise (as `info/2` reads
    // them back on erl).
    let default = o.auto || o.kind == Type::OrderedSet;
    o.flags[0] = o.flags[2] && o.counters.unwrap_or(default);
    let objects = if o.kind == Type::OrderedSet {
        Objects::Tree(Tree::default())
    } else {
        let nlocks = if o.flags[2] { FINE_LOCKS } else { 1 };
        Objects::Hash(HashTable::new(nlocks, o.flags[0]))
    };
    let heir = match o.heir {
        Some((pid, data)) => Some((pid, copy(data).ok_or_else(badarg)?)),
        None => None,
    };
    let table = Arc::new(Table {
        id: store::next_id(),
        kind: o.kind,
        keypos: o.keypos,
        named: o.named,
        flags: o.flags,
        data: Mutex::new(Data {
            objects,
            owner: p.pid,
            name,
            heir,
            fixes: Vec::new(),
            dead: false,
            access: o.access,
        }),
    });
    let ident = {
        let d = table.data.lock();
        table.ident(&mut p.heap, &d)
    };
    store::add(table, name, p.pid)?;
    Ok(ident)
}

/// `ets:delete(Tab)`: the owner's (or anyone's, for a public table).
pub fn delete_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    store::remove(&t, &mut d);
    Ok(Term::TRUE)
}

/// `ets:give_away(Tab, Pid, GiftData)`: to another live local process,
/// which gets `{'ETS-TRANSFER', Tab, FromPid, GiftData}`.
pub fn give_away_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let to = args[1];
    if to.as_local_pid().is_none() {
        return Err(badarg());
    }
    let t = store::table(args[0])?;
    // BEAM's causes: the caller must own the table and give it to another.
    if t.data.lock().owner != p.pid {
        return Err(Exception::badarg_because("not_owner"));
    }
    if to == p.pid {
        return Err(Exception::badarg_because("owner"));
    }
    // The scheduler's lock is not taken under a table's.
    if !sched::is_alive(to) {
        return Err(badarg());
    }
    let mut m = Message::copy(args[2]).map_err(|_| badarg())?;
    {
        let mut d = t.open(p, Need::Own)?;
        t.set_owner(&mut d, to);
        let h = &mut m.fragment;
        let ident = t.ident(h, &d);
        m.term = h.tuple(&[atom("ETS-TRANSFER"), ident, p.pid, m.term]);
    }
    sched::deliver(to, m);
    Ok(Term::TRUE)
}

/// `ets:rename(Tab, Name)`: a named table's new name (`badarg` if
/// taken), an unnamed table's identifier (renamed all the same).
pub fn rename_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let name = args[1].as_atom().ok_or_else(badarg)?;
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Write)?;
    if t.named {
        let mut r = store::registry().write();
        if r.by_name.contains_key(&name) {
            return Err(badarg());
        }
        r.by_name.remove(&d.name);
        r.by_name.insert(name, t.clone());
    }
    d.name = name;
    Ok(if t.named { Term::atom(name) } else { args[0] })
}

/// `ets:whereis(Name)`: a named table's reference, or `undefined`.
pub fn whereis_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let name = args[0].as_atom().ok_or_else(badarg)?;
    let t = store::registry().read().by_name.get(&name).cloned();
    Ok(match t {
        Some(t) => store::tid(&mut p.heap, t.id),
        None => Term::atom(Atom::UNDEFINED),
    })
}

/// `ets:internal_request_all()`: `ets:all/0` waits for one `{Ref, Tabs}`
/// per scheduler; the first carries every table, the others none.
pub fn internal_request_all_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let r = sched::make_ref(&mut p.heap);
    let tables = store::all();
    let mut first = Message::copy(r).map_err(|_| badarg())?;
    let h = &mut first.fragment;
    let idents: Vec<Term> = tables
        .iter()
        .map(|t| {
            let d = t.data.lock();
            t.ident(h, &d)
        })
        .collect();
    let list = h.list(&idents);
    first.term = h.tuple(&[first.term, list]);
    sched::deliver(p.pid, first);
    for _ in 1..enigma_interp::smp::schedulers() {
        let mut m = Message::copy(r).map_err(|_| badarg())?;
        m.term = m.fragment.tuple(&[m.term, Term::NIL]);
        sched::deliver(p.pid, m);
    }
    Ok(r)
}

/// The words of an empty table as BEAM 25 counts them, by its kind and
/// concurrency options: a hash table's locks (64 with
/// `write_concurrency`, padded further with `read_concurrency`) and
/// counters, an `ordered_set`'s tree or, with `write_concurrency`, its
/// contention-adapting tree.
fn base_words(t: &Table) -> usize {
    let [decentralized, read, write, _] = t.flags;
    let read = usize::from(read);
    match (t.kind.name() == "ordered_set", write) {
        (true, false) => 139 + 32 * read,
        (true, true) => 32 * read + if decentralized { 133 } else { 99 },
        (false, false) => 305 + 32 * read,
        (false, true) => 1361 + 2048 * read + if decentralized { 34 } else { 0 },
    }
}

/// The value of info item `item`, `None` for an unknown item.
fn item(p: &mut Process, t: &Table, d: &Data, item: &str) -> Option<Term> {
    let h = &mut p.heap;
    Some(match item {
        "id" => store::tid(h, t.id),
        "decentralized_counters" => Term::bool(t.flags[0]),
        "read_concurrency" => Term::bool(t.flags[1]),
        "write_concurrency" => Term::bool(t.flags[2]),
        "compressed" => Term::bool(t.flags[3]),
        "memory" => h.int((d.objects.words() + base_words(t)) as i64),
        "owner" => d.owner,
        "heir" => match &d.heir {
            Some((pid, _)) => *pid,
            None => atom("none"),
        },
        "name" => Term::atom(d.name),
        "size" => h.int(d.objects.size() as i64),
        "node" => Term::atom(Atom::NONODE),
        "named_table" => Term::bool(t.named),
        "type" => atom(t.kind.name()),
        "keypos" => Term::small(t.keypos as i64),
        "protection" => atom(d.access.name()),
        "fixed" => Term::bool(!d.fixes.is_empty()),
        "safe_fixed" | "safe_fixed_monotonic_time" if d.fixes.is_empty() => Term::FALSE,
        "safe_fixed" | "safe_fixed_monotonic_time" => {
            let pairs: Vec<Term> = d
                .fixes
                .iter()
                .map(|&(pid, n)| {
                    let n = h.int(n as i64);
                    h.tuple(&[pid, n])
                })
                .collect();
            let list = h.list(&pairs);
            let now = h.int(0);
            h.tuple(&[now, list])
        }
        "binary" => Term::NIL,
        "stats" => {
            let zero = h.float(0.0);
            h.tuple(&[
                Term::small(256),
                zero,
                zero,
                zero,
                Term::small(0),
                Term::small(0),
                Term::small(0),
                Term::small(1),
            ])
        }
        _ => return None,
    })
}

/// The items of `ets:info/1`, in BEAM's order.
const INFO: [&str; 15] = [
    "id",
    "decentralized_counters",
    "read_concurrency",
    "write_concurrency",
    "compressed",
    "memory",
    "owner",
    "heir",
    "name",
    "size",
    "node",
    "named_table",
    "type",
    "keypos",
    "protection",
];

/// A table argument that names no table: `undefined` for a table-like
/// term, `badarg` for anything else.
fn no_table(tab: Term) -> Result<Term, Exception> {
    match tab.kind() {
        Kind::Atom | Kind::Ref => Ok(Term::atom(Atom::UNDEFINED)),
        _ => Err(Exception::badarg_because("type")),
    }
}

/// `ets:info(Tab)`.
pub fn info_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let Some(t) = store::find(args[0]) else {
        return no_table(args[0]);
    };
    let Ok(d) = t.open(p, Need::Info) else {
        return no_table(args[0]);
    };
    let mut pairs = Vec::with_capacity(INFO.len());
    for name in INFO {
        let v = item(p, &t, &d, name).unwrap_or(Term::NIL);
        pairs.push(p.heap.tuple(&[atom(name), v]));
    }
    Ok(p.heap.list(&pairs))
}

/// `ets:info(Tab, Item)`.
pub fn info_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let name = args[1].as_atom().ok_or_else(badarg)?;
    let Some(t) = store::find(args[0]) else {
        return no_table(args[0]);
    };
    let Ok(d) = t.open(p, Need::Info) else {
        return no_table(args[0]);
    };
    item(p, &t, &d, name.name()).ok_or_else(badarg)
}

/// `ets:setopts(Tab, Opts)`: the heir (`{heir, Pid, Data}`, `{heir,
/// none}`) and `{protection, P}`, the owner's only.
pub fn setopts_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let opts = match args[1].proper_list() {
        Some(l) => l,
        None => vec![args[1]],
    };
    let mut heirs = Vec::new();
    let mut access = None;
    for o in opts {
        let t = o.as_tuple().ok_or_else(badarg)?;
        match (t.get(0).and_then(Term::as_atom).map(Atom::name), t.len()) {
            (Some("protection"), 2) => {
                access = Some(match t.get(1).and_then(Term::as_atom).map(Atom::name) {
                    Some("public") => Access::Public,
                    Some("protected") => Access::Protected,
                    Some("private") => Access::Private,
                    _ => return Err(badarg()),
                });
            }
            (Some("heir"), 2) if t.get(1) == Some(atom("none")) => heirs.push(None),
            (Some("heir"), 3) => {
                let pid = t
                    .get(1)
                    .filter(|p| p.as_local_pid().is_some())
                    .ok_or_else(badarg)?;
                let data = copy(t.get(2).ok_or_else(badarg)?).ok_or_else(badarg)?;
                heirs.push(Some((pid, data)));
            }
            _ => return Err(badarg()),
        }
    }
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Own)?;
    for h in heirs {
        d.heir = h;
    }
    if let Some(a) = access {
        d.access = a;
    }
    Ok(Term::TRUE)
}

/// `ets:safe_fixtable(Tab, Bool)`: counted per process. A fixed hash
/// table neither grows nor shrinks and keeps deleted keys' places until
/// the last fix is released, as BEAM's.
pub fn safe_fixtable_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let on = super::boolean(args[1]).ok_or_else(badarg)?;
    let t = store::table(args[0])?;
    let mut d = t.open(p, Need::Read)?;
    let i = d.fixes.iter().position(|&(pid, _)| pid == p.pid);
    match (i, on) {
        (Some(i), true) => d.fixes[i].1 += 1,
        (None, true) => {
            d.fixes.push((p.pid, 1));
            store::FIXES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        (Some(i), false) => {
            d.fixes[i].1 -= 1;
            if d.fixes[i].1 == 0 {
                d.fixes.remove(i);
                store::FIXES.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        (None, false) => {}
    }
    let fixed = !d.fixes.is_empty();
    if let Objects::Hash(h) = &mut d.objects {
        h.set_fixed(fixed);
    }
    Ok(Term::TRUE)
}
