//! The table store: every ETS table by id and by name, its owner, access
//! rights and options, each behind a lock of its own so that processes on
//! several schedulers use different tables without waiting for each other.
//!
//! Lock order: a table, then the registry (the registry's lock is never
//! held while a table's is taken); the scheduler's lock is never taken
//! while an ETS lock is held (the owner-exit hook runs under the
//! scheduler's lock and takes ETS locks after it).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use ahash::AHashMap;
use parking_lot::{Mutex, MutexGuard, RwLock};

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Kind, Term};

use super::objects::Objects;

/// The four table types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Type {
    /// One object per key, hashed.
    Set,
    /// One object per key, in term order.
    OrderedSet,
    /// Several distinct objects per key.
    Bag,
    /// Several objects per key, duplicates kept.
    DuplicateBag,
}

impl Type {
    /// The type's atom name.
    pub fn name(self) -> &'static str {
        match self {
            Type::Set => "set",
            Type::OrderedSet => "ordered_set",
            Type::Bag => "bag",
            Type::DuplicateBag => "duplicate_bag",
        }
    }

    /// Whether a key holds several objects.
    pub fn is_bag(self) -> bool {
        matches!(self, Type::Bag | Type::DuplicateBag)
    }
}

/// Who may read and write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    /// Everyone reads and writes.
    Public,
    /// Everyone reads, the owner writes.
    Protected,
    /// Only the owner.
    Private,
}

impl Access {
    /// The access's atom name.
    pub fn name(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Protected => "protected",
            Access::Private => "private",
        }
    }
}

/// What a table holds besides its objects (all of it under the table's
/// lock).
pub struct Data {
    /// The objects.
    pub objects: Objects,
    /// The owner's pid.
    pub owner: Term,
    /// Its name (the atom given to `ets:new/2`, `rename/2`).
    pub name: Atom,
    /// The heir and its data.
    pub heir: Option<(Term, Message)>,
    /// Processes that fixed the table (`safe_fixtable/2`), with counts.
    pub fixes: Vec<(Term, u64)>,
    /// Whether the table was deleted (a holder of its `Arc` may still
    /// look at it).
    pub dead: bool,
    /// Its access (`setopts/2` changes it).
    pub access: Access,
}

/// One table.
pub struct Table {
    /// Its id, the number in its reference.
    pub id: u64,
    /// Its type.
    pub kind: Type,
    /// The key's position in its objects (1-based).
    pub keypos: usize,
    /// Whether it is known by name.
    pub named: bool,
    /// Options that only read back: read/write concurrency, decentralized
    /// counters, compressed.
    pub flags: [bool; 4],
    /// The rest.
    pub data: Mutex<Data>,
}

impl Table {
    /// The table's identifier as `ets:new/2` returned it: its name if it
    /// is named, else its reference.
    pub fn ident(&self, heap: &mut Heap, d: &Data) -> Term {
        if self.named {
            Term::atom(d.name)
        } else {
            tid(heap, self.id)
        }
    }
}

/// The word that marks a table reference (`ETS\0`).
const TID_MARK: u32 = 0x4554_5300;

/// The reference of table `id`.
pub fn tid(heap: &mut Heap, id: u64) -> Term {
    heap.local_ref(&[id as u32, TID_MARK, (id >> 32) as u32])
}

/// The table id of a table reference.
fn tid_id(t: Term) -> Option<u64> {
    match t.local_ref_ids3()? {
        [lo, TID_MARK, hi] => Some(lo as u64 | (hi as u64) << 32),
        _ => None,
    }
}

/// Every table, by id and by name.
#[derive(Default)]
pub struct Registry {
    /// Tables by id.
    pub by_id: AHashMap<u64, Arc<Table>>,
    /// Named tables by name.
    pub by_name: AHashMap<Atom, Arc<Table>>,
    /// The ids of the tables each owner (a raw pid) owns, so that a dying
    /// process finds its tables at once.
    by_owner: AHashMap<u64, Vec<u64>>,
}

impl Registry {
    /// Forgets that `owner` owns table `id`.
    fn disown(&mut self, owner: Term, id: u64) {
        if let Some(ids) = self.by_owner.get_mut(&owner.raw()) {
            ids.retain(|&i| i != id);
            if ids.is_empty() {
                self.by_owner.remove(&owner.raw());
            }
        }
    }
}

/// The registry.
pub fn registry() -> &'static RwLock<Registry> {
    static R: OnceLock<RwLock<Registry>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Live tables: a dying process pays one load while there are none.
static TABLES: AtomicUsize = AtomicUsize::new(0);

/// Fixes held (a process that fixed a table, however often): a dying
/// process looks through the tables for its own only while there are any.
pub static FIXES: AtomicUsize = AtomicUsize::new(0);

/// A fresh table id.
pub fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Adds `t`, owned by `owner`, to the registry: `badarg` if it is named
/// and the name is taken.
pub fn add(t: Arc<Table>, name: Atom, owner: Term) -> Result<(), Exception> {
    let mut r = registry().write();
    if t.named {
        if r.by_name.contains_key(&name) {
            return Err(Exception::badarg_because("already_exists"));
        }
        r.by_name.insert(name, t.clone());
    }
    r.by_owner.entry(owner.raw()).or_default().push(t.id);
    r.by_id.insert(t.id, t);
    TABLES.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Takes `t` out of the registry and empties it (the table's lock held:
/// the registry's is taken after it).
pub fn remove(t: &Table, d: &mut Data) {
    let mut r = registry().write();
    if r.by_id.remove(&t.id).is_some() {
        r.disown(d.owner, t.id);
        TABLES.fetch_sub(1, Ordering::Relaxed);
    }
    if t.named {
        r.by_name.remove(&d.name);
    }
    d.dead = true;
    d.objects.clear();
    d.heir = None;
    FIXES.fetch_sub(std::mem::take(&mut d.fixes).len(), Ordering::Relaxed);
}

/// Releases the fixes `pid` held, as BEAM does when a fixing process
/// exits: a table fixed by a dead process would otherwise never grow or
/// shrink again.
fn release_fixes(pid: Term) {
    for t in all() {
        let mut d = t.data.lock();
        if let Some(i) = d.fixes.iter().position(|&(p, _)| p == pid) {
            d.fixes.remove(i);
            FIXES.fetch_sub(1, Ordering::Relaxed);
            let fixed = !d.fixes.is_empty();
            if let Objects::Hash(h) = &mut d.objects {
                h.set_fixed(fixed);
            }
        }
    }
}

/// The table a table argument names (an atom for a named table, or a
/// table reference).
pub fn find(t: Term) -> Option<Arc<Table>> {
    let r = registry().read();
    match t.kind() {
        Kind::Atom => r.by_name.get(&t.as_atom()?).cloned(),
        Kind::Ref => r.by_id.get(&tid_id(t)?).cloned(),
        _ => None,
    }
}

/// What an operation needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Reading the objects.
    Read,
    /// Writing them.
    Write,
    /// Being the owner (`give_away/3`, `setopts/2`).
    Own,
    /// Nothing: `info/1,2` answers anyone.
    Info,
}

impl Table {
    /// The table's data, locked, when `p` may do what `need` says;
    /// `badarg` otherwise (as BEAM's access checks).
    pub fn open(&self, p: &Process, need: Need) -> Result<MutexGuard<'_, Data>, Exception> {
        let d = self.data.lock();
        let owner = d.owner == p.pid;
        let ok = !d.dead
            && match (need, d.access) {
                (Need::Info, _) => true,
                (Need::Own, _) | (_, Access::Private) => owner,
                (Need::Write, Access::Protected) => owner,
                _ => true,
            };
        if ok {
            Ok(d)
        } else if d.dead {
            Err(Exception::badarg_because("id"))
        } else {
            Err(Exception::badarg_because("access"))
        }
    }

    /// Makes `pid` the owner (the table's lock held).
    pub fn set_owner(&self, d: &mut Data, pid: Term) {
        let mut r = registry().write();
        r.disown(d.owner, self.id);
        r.by_owner.entry(pid.raw()).or_default().push(self.id);
        d.owner = pid;
    }
}

/// The table `t` names; else `badarg` with BEAM's cause: `type` for a
/// term that is no atom or reference, `id` for one that names no table.
pub fn table(t: Term) -> Result<Arc<Table>, Exception> {
    find(t).ok_or_else(|| {
        if t.as_atom().is_some() || t.kind() == Kind::Ref {
            Exception::badarg_because("id")
        } else {
            Exception::badarg_because("type")
        }
    })
}

/// How many tables there are (`system_info(ets_count)`).
pub fn count() -> usize {
    registry().read().by_id.len()
}

/// Every table's id term and data lock, for `ets:all/0`.
pub fn all() -> Vec<Arc<Table>> {
    let mut v: Vec<_> = registry().read().by_id.values().cloned().collect();
    v.sort_by_key(|t| t.id);
    v
}

/// The owner-exit hook: the tables `pid` owned go to their heirs (when
/// alive, `alive` says) or are deleted; the `'ETS-TRANSFER'` messages to
/// send. Runs under the scheduler's lock.
pub fn owner_exit(pid: Term, alive: &dyn Fn(Term) -> bool) -> Vec<(Term, Message)> {
    if TABLES.load(Ordering::Relaxed) == 0 {
        return Vec::new();
    }
    if FIXES.load(Ordering::Relaxed) != 0 {
        release_fixes(pid);
    }
    let owned: Vec<Arc<Table>> = {
        let r = registry().read();
        let Some(ids) = r.by_owner.get(&pid.raw()) else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| r.by_id.get(id).cloned())
            .collect()
    };
    let mut sends = Vec::new();
    for t in owned {
        let mut d = t.data.lock();
        if d.dead || d.owner != pid {
            continue;
        }
        match d.heir.take() {
            Some((heir, data)) if heir != pid && alive(heir) => {
                t.set_owner(&mut d, heir);
                let mut m = data;
                let h = &mut m.fragment;
                let ident = t.ident(h, &d);
                let tag = Term::atom(Atom::intern("ETS-TRANSFER").unwrap_or(Atom::UNDEFINED));
                m.term = h.tuple(&[tag, ident, pid, m.term]);
                sends.push((heir, m));
            }
            _ => remove(&t, &mut d),
        }
    }
    sends
}
