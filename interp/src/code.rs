//! Loaded code as the interpreter addresses it.
//!
//! Every loaded module version gets a *code id* (from 1) and a slot in a
//! global, append-only table, so a code position is `(code id, instruction
//! index)` and fits in one word:
//!
//! - `Export::address` / `FunEntry::address`: `code_id << 32 | entry`; 0 is
//!   "not loaded"; values below `1 << 32` name an interpreter operation
//!   ([`crate::special::Op`]: `erlang:error/1`, `apply/3`, ...).
//! - continuation pointers and catch markers on the process stack hold the
//!   same pair (see [`cp`] and [`catch_marker`]).
//!
//! Slots are never emptied (no purge yet), so a `&'static Module` taken from
//! a slot stays valid: calls never clone an `Arc` or hash.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::code::{Module, Target};
use enigma_vm::loader::{self, LoadError};
use enigma_vm::module::{ModuleTable, ModuleTableError};
use enigma_vm::term::Term;

use crate::counters::Counters;
use parking_lot::Mutex;
use thiserror::Error;

/// Most module versions one VM can load.
const MAX_CODE: usize = 1 << 16;

/// Why a module could not be loaded.
#[derive(Debug, Error)]
pub enum CodeError {
    /// No `MODULE.beam` on the code path.
    #[error("module {0} not found on the code path")]
    NotFound(String),
    /// The file could not be read.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The loader refused the file.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// The file holds another module than its name says.
    #[error("{path}: file holds module {found}")]
    WrongName {
        /// The file.
        path: PathBuf,
        /// The module inside.
        found: String,
    },
    /// The module table refused it.
    #[error("{0}")]
    Table(#[from] ModuleTableError),
    /// Too many module versions.
    #[error("too many loaded module versions")]
    Full,
}

/// A version waiting for its `on_load` function.
struct Pending {
    id: u32,
    file: Option<PathBuf>,
    /// A process runs the function now (the version was loaded on demand
    /// or by a `code` function): callers wait for it. Else
    /// (`erlang:finish_loading/1`, `load_module/2`) only
    /// `erlang:call_on_load_function/1` runs it, and the module is not
    /// loaded for anyone else.
    running: bool,
    /// Processes that wait for the running function to end, each sent
    /// `{enigma_on_load, Module}` then ([`await_running`]).
    waiters: Vec<Term>,
}

/// A loaded version and its profiling counters.
pub struct LoadedCode {
    /// The code.
    pub module: Arc<Module>,
    /// Its anchor counters.
    pub counters: Counters,
}

struct Code {
    slots: Box<[OnceLock<LoadedCode>]>,
    next: AtomicU32,
    table: ModuleTable,
    /// Code id of each module's current version.
    current: Mutex<AHashMap<Atom, u32>>,
    path: Mutex<Vec<PathBuf>>,
    /// The file each module's current version was loaded from.
    files: Mutex<AHashMap<Atom, PathBuf>>,
    /// Versions installed but not current, whose `on_load` function must
    /// run first, with the file each came from.
    pending: Mutex<AHashMap<Atom, Pending>>,
    /// Serialises loading so that a module is loaded once.
    loading: Mutex<()>,
}

fn code() -> &'static Code {
    static C: OnceLock<Code> = OnceLock::new();
    C.get_or_init(|| Code {
        slots: (0..MAX_CODE).map(|_| OnceLock::new()).collect(),
        next: AtomicU32::new(1),
        table: ModuleTable::new(),
        current: Mutex::new(AHashMap::new()),
        path: Mutex::new(Vec::new()),
        files: Mutex::new(AHashMap::new()),
        pending: Mutex::new(AHashMap::new()),
        loading: Mutex::new(()),
    })
}

/// The module version with code id `id`.
#[inline]
pub fn module(id: u32) -> Option<&'static Module> {
    code().slots.get(id as usize)?.get().map(|l| &*l.module)
}

/// The module version with code id `id` and its counters.
#[inline]
pub fn loaded(id: u32) -> Option<&'static LoadedCode> {
    code().slots.get(id as usize)?.get()
}

/// Every loaded version with its code id and counters.
pub fn all() -> impl Iterator<Item = (u32, &'static Module, &'static Counters)> {
    let n = code().next.load(Ordering::Acquire) as usize;
    code().slots[1..n.min(MAX_CODE)]
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.get().map(|l| (i as u32 + 1, &*l.module, &l.counters)))
}

/// Sets the code path searched by [`ensure_loaded`], in order.
pub fn set_path(dirs: Vec<PathBuf>) {
    *code().path.lock() = dirs;
}

/// The code path.
pub fn path() -> Vec<PathBuf> {
    code().path.lock().clone()
}

/// The code id of `name`'s current version, if loaded.
pub fn current(name: Atom) -> Option<u32> {
    code().current.lock().get(&name).copied()
}

/// The file `name`'s current version was loaded from (`None` if it is
/// not loaded or was not loaded from a file).
pub fn file_of(name: Atom) -> Option<PathBuf> {
    code().files.lock().get(&name).cloned()
}

/// Applications whose modules are sticky (OTP's default sticky dirs).
const STICKY_APPS: &[&str] = &["kernel", "stdlib", "compiler"];

/// Whether `name` was loaded from a sticky directory (`APP-VSN/ebin` of
/// kernel, stdlib or compiler), which `code:load_file/1` refuses to replace.
pub fn is_sticky(name: Atom) -> bool {
    let Some(file) = file_of(name) else {
        return false;
    };
    let ebin = file.parent();
    let app = ebin.and_then(Path::parent).and_then(Path::file_name);
    let in_ebin = ebin.and_then(Path::file_name).is_some_and(|n| n == "ebin");
    in_ebin
        && app.and_then(|n| n.to_str()).is_some_and(|n| {
            STICKY_APPS
                .iter()
                .any(|a| n == *a || n.strip_prefix(a).is_some_and(|v| v.starts_with('-')))
        })
}

/// Where `MODULE.beam` is on the code path.
pub fn find(name: Atom) -> Option<PathBuf> {
    let file = format!("{}.beam", name.name());
    path()
        .into_iter()
        .map(|d| d.join(&file))
        .find(|p| p.is_file())
}

/// Makes `name` not loaded (`code:delete/1`): its exports stop pointing at
/// its code, so the next call loads it again. Running code and funs keep
/// the old version. False if it was not loaded.
pub fn unload(name: Atom) -> bool {
    let c = code();
    let _guard = c.loading.lock();
    let Some(id) = c.current.lock().remove(&name) else {
        return false;
    };
    c.files.lock().remove(&name);
    if let Some(m) = module(id) {
        for &(export, entry) in &m.exports {
            let _ = export.address.compare_exchange(
                address(id, entry),
                0,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
    }
    true
}

/// What [`ensure_loaded`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    /// The module was loaded before.
    Already(u32),
    /// It was loaded now (pending if it has an `on_load` function, which
    /// the caller must run: [`install_pending`]).
    New(u32),
    /// Another load's `on_load` function is running: wait for it.
    Pending,
}

/// Loads `name` from the code path unless it is loaded (or pending).
pub fn ensure_loaded(name: Atom) -> Result<Loaded, CodeError> {
    let _guard = code().loading.lock();
    if let Some(id) = current(name) {
        return Ok(Loaded::Already(id));
    }
    if running(name) {
        return Ok(Loaded::Pending);
    }
    let path = find(name).ok_or_else(|| CodeError::NotFound(name.name().to_string()))?;
    load_file(&path, Some(name)).map(Loaded::New)
}

/// Loads `name` from the code path again (`code:load_file/1`), replacing
/// a loaded version.
pub fn reload(name: Atom) -> Result<Loaded, CodeError> {
    let _guard = code().loading.lock();
    if running(name) {
        return Ok(Loaded::Pending);
    }
    let path = find(name).ok_or_else(|| CodeError::NotFound(name.name().to_string()))?;
    load_file(&path, Some(name)).map(Loaded::New)
}

/// Loads a `.beam` file as the current version of its module and points
/// its exports and lambdas at it (a module with an `on_load` function is
/// left pending). `expect` checks the module's name.
pub fn load_file(path: &Path, expect: Option<Atom>) -> Result<u32, CodeError> {
    let bytes = std::fs::read(path).map_err(|e| CodeError::Io(path.to_path_buf(), e))?;
    let m = loader::load(&bytes)?;
    if let Some(want) = expect {
        if m.name != want {
            return Err(CodeError::WrongName {
                path: path.to_path_buf(),
                found: m.name.name().to_string(),
            });
        }
    }
    install_or_pend(m, Some(absolute(path)), true)
}

/// Installs `m` as current, recording its file, or pending when it has an
/// `on_load` function (`running`: the caller runs it now). The caller
/// holds the loading lock.
fn install_or_pend(m: Module, file: Option<PathBuf>, running: bool) -> Result<u32, CodeError> {
    let name = m.name;
    if m.on_load.is_some() {
        return pend(m, file, running);
    }
    let id = install(m)?;
    crate::call_trace::loaded(name);
    let mut files = code().files.lock();
    match file {
        Some(f) => files.insert(name, f),
        None => files.remove(&name),
    };
    Ok(id)
}

/// Whether the version `id` waits for its `on_load` function.
pub fn is_pending(id: u32) -> bool {
    module(id).is_some_and(|m| pending(m.name) == Some(id))
}

/// `path` made absolute against the current directory, without `.` parts
/// (as `filename:absname/1`, which the code server applies to the files
/// it loads from the code path).
pub fn absolute(path: &Path) -> PathBuf {
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    full.components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// Loads the `.beam` bytes of module `name` (`code:load_binary/3`,
/// `erlang:load_module/2`) as its current version (pending if it has an
/// `on_load` function, which `code:load_binary/3` runs at once); `file`
/// (`code:load_binary/3`'s, `None` for `load_module/2`) is what
/// `code:which/1` reports. Bytes of another module are refused.
pub fn load_binary(name: Atom, file: Option<PathBuf>, bytes: &[u8]) -> Result<Loaded, CodeError> {
    let _guard = code().loading.lock();
    if running(name) {
        return Ok(Loaded::Pending);
    }
    let m = loader::load(bytes)?;
    if m.name != name {
        return Err(CodeError::WrongName {
            path: file.unwrap_or_default(),
            found: m.name.name().to_string(),
        });
    }
    let running = file.is_some();
    install_or_pend(m, file, running).map(Loaded::New)
}

/// Installs a loaded module and returns its code id.
pub fn install(m: Module) -> Result<u32, CodeError> {
    let (id, arc) = register(m)?;
    code().current.lock().insert(arc.name, id);
    point_at(id, &arc);
    Ok(id)
}

/// Installs modules that `erlang:finish_loading/1` checked, all at once
/// (under the loading lock): their code ids. The files they came from are
/// forgotten until the caller records new ones ([`set_file`]).
pub fn install_all(ms: Vec<Module>) -> Result<Vec<u32>, CodeError> {
    let _guard = code().loading.lock();
    ms.into_iter()
        .map(|m| {
            let name = m.name;
            code().files.lock().remove(&name);
            let id = install(m)?;
            crate::call_trace::loaded(name);
            Ok(id)
        })
        .collect()
}

/// Holds the loading lock: no module is loaded while it is held.
pub fn loading_guard() -> parking_lot::MutexGuard<'static, ()> {
    code().loading.lock()
}

/// The names of the modules with a current version.
pub fn current_modules() -> Vec<Atom> {
    code().current.lock().keys().copied().collect()
}

/// Installs `m`, a copy of its module's current version (call tracing:
/// `crate::call_trace`), in its place: current, and its exports and
/// lambdas pointing at it. The version it replaces does not become old
/// code. The caller holds the loading lock.
pub fn install_copy(m: Module) -> Result<u32, CodeError> {
    install(m)
}

/// Records the file `name`'s current version came from (what
/// `code:which/1` reports).
pub fn set_file(name: Atom, file: PathBuf) {
    code().files.lock().insert(name, file);
}

/// Installs `m` without making it current (calls still reach the current
/// version, if any): its `on_load` function must run first
/// (`erlang:call_on_load_function/1`), then [`finish_pending`] decides.
pub fn install_pending(m: Module) -> Result<u32, CodeError> {
    let _guard = code().loading.lock();
    pend(m, None, false)
}

/// Registers `m` as its module's pending version (the caller holds the
/// loading lock).
fn pend(m: Module, file: Option<PathBuf>, running: bool) -> Result<u32, CodeError> {
    let name = m.name;
    let (id, _) = register(m)?;
    let waiters = Vec::new();
    let p = Pending {
        id,
        file,
        running,
        waiters,
    };
    code().pending.lock().insert(name, p);
    Ok(id)
}

/// The code id of `name`'s version waiting for its `on_load` function.
pub fn pending(name: Atom) -> Option<u32> {
    code().pending.lock().get(&name).map(|p| p.id)
}

/// Whether a process runs the `on_load` function of `name`'s pending
/// version.
pub fn running(name: Atom) -> bool {
    code().pending.lock().get(&name).is_some_and(|p| p.running)
}

/// Whether a process runs the `on_load` function of `name`'s pending
/// version; if so, `pid` is sent `{enigma_on_load, Name}` when it ends
/// (checked and recorded under the loading lock, which [`finish_pending`]
/// holds: no wake-up is lost).
pub fn await_running(name: Atom, pid: Term) -> bool {
    let _guard = code().loading.lock();
    match code().pending.lock().get_mut(&name) {
        Some(p) if p.running => {
            p.waiters.push(pid);
            true
        }
        _ => false,
    }
}

/// Ends `name`'s pending version: with `keep` it becomes current (with the
/// file it came from), else it is dropped; the processes waiting for it
/// are woken. False if nothing was pending.
pub fn finish_pending(name: Atom, keep: bool) -> bool {
    let Some(waiters) = end_pending(name, keep) else {
        return false;
    };
    let mut heap = enigma_vm::term::Heap::new();
    let tag = Atom::intern("enigma_on_load").unwrap_or(Atom::UNDEFINED);
    let msg = heap.tuple(&[Term::atom(tag), Term::atom(name)]);
    for pid in waiters {
        if let Ok(m) = enigma_vm::process::Message::copy(msg) {
            crate::sched::deliver(pid, m);
        }
    }
    true
}

/// [`finish_pending`]'s work under the loading lock: the waiters to wake.
fn end_pending(name: Atom, keep: bool) -> Option<Vec<Term>> {
    let c = code();
    let _guard = c.loading.lock();
    let Pending {
        id, file, waiters, ..
    } = c.pending.lock().remove(&name)?;
    if let (true, Some(m)) = (keep, module(id)) {
        c.current.lock().insert(name, id);
        let mut files = c.files.lock();
        match file {
            Some(f) => files.insert(name, f),
            None => files.remove(&name),
        };
        drop(files);
        point_at(id, m);
        crate::call_trace::loaded(name);
    }
    Some(waiters)
}

/// Gives `m` a code id and its slot in the code table.
fn register(mut m: Module) -> Result<(u32, Arc<Module>), CodeError> {
    let c = code();
    let id = c.next.fetch_add(1, Ordering::AcqRel);
    if id as usize >= MAX_CODE {
        return Err(CodeError::Full);
    }
    // Local calls push their continuation pointers whole: the loader
    // wrote the position's bits, the id's are known now.
    for i in &mut m.code {
        if let Some(cont) = i.cont_mut() {
            *cont |= cp_high(id);
        }
    }
    // Old code stays addressable by running processes; there is no purge
    // yet, so make room for the new version by dropping the table's old one.
    c.table.purge(m.name);
    let arc = c.table.install(m)?;
    let _ = c.slots[id as usize].set(LoadedCode {
        module: Arc::clone(&arc),
        counters: Counters::new(arc.code.len()),
    });
    Ok((id, arc))
}

/// Points the exports and lambdas of `m` (code id `id`) at its code.
fn point_at(id: u32, m: &Module) {
    for &(export, entry) in &m.exports {
        let cur = export.address();
        let special = cur != 0 && cur < 1 << 32;
        if export.bif().is_none() && !special {
            export.address.store(address(id, entry), Ordering::Release);
        }
    }
    for l in &m.lambdas {
        l.entry
            .address
            .store(address(id, l.code), Ordering::Release);
    }
}

/// An export or fun address for code id `id` at `pc`.
#[inline]
pub fn address(id: u32, pc: Target) -> usize {
    ((id as usize) << 32) | pc as usize
}

/// Splits an address into code id and instruction index.
#[inline]
pub fn split(address: usize) -> (u32, Target) {
    ((address >> 32) as u32, address as u32)
}

/// A continuation pointer: a stack word with the header tag (no term has
/// it) holding a code position.
#[inline]
pub fn cp(id: u32, pc: Target) -> Term {
    Term::from_raw(((id as u64) << 34) | ((pc as u64) << 2))
}

/// The bits of code `id` in its continuation pointers ([`cp`]): a call
/// ORs its return position's bits (`pc << 2`) into them.
#[inline]
pub fn cp_high(id: u32) -> u64 {
    (id as u64) << 34
}

/// The bits of a word that [`cp_key`] compares: the code id and the tag.
pub const CP_KEY_MASK: u64 = 0xFFFF_FFFC_0000_0003;

/// [`CP_KEY_MASK`] with the position's top three bits too: what
/// `return`'s fast path tests, a 32-bit immediate that the instruction
/// sign-extends (where the whole mask is a 64-bit constant loaded first).
/// It takes continuation pointers to positions below 2^29 (every loaded
/// module's); one to a higher position takes the slow path, which
/// decodes it whole.
pub const CP_FAST_MASK: u64 = 0xFFFF_FFFF_8000_0003;

/// What a continuation pointer into code `id` is, less its position's
/// bits: `return` subtracts it from the word on top of the stack and
/// tests the difference with [`CP_KEY_MASK`] (zero there exactly when
/// the word is such a pointer; what is left is `pc << 2`), so that the
/// test and the target take one subtraction, one mask and a compare.
/// Id 0 (no module: its continuation pointers end the run) runs no
/// `return`; its key is that of id `2^30 - 1`, above [`MAX_CODE`].
#[inline]
pub fn cp_key(id: u32) -> u64 {
    if id == 0 {
        CP_KEY_MASK & !0b11
    } else {
        cp_high(id)
    }
}

/// The report BEAM's loader logs when it refuses the file of module
/// `name`, as erts words it (`None` when no file was read).
pub fn loader_report(name: Atom, e: &CodeError) -> Option<String> {
    let m = Term::atom(name);
    let (place, why) = match e {
        CodeError::NotFound(_) | CodeError::Io(..) => return None,
        CodeError::Load(l) if l.chunk == enigma_vm::loader::error::ChunkId::HEADER => {
            ("beam/beam_load.c(144)", "corrupt file header".to_string())
        }
        CodeError::WrongName { found, .. } => (
            "beam/beam_load.c(180)",
            format!("module name in object code is {found}"),
        ),
        // BEAM words the rest in its own ways; Enigma's loader says where.
        other => ("enigma loader", other.to_string()),
    };
    Some(format!("{place}: Error loading module {m}:\n  {why}\n"))
}

/// The code position in a continuation pointer, `None` for any other word.
#[inline]
pub fn as_cp(t: Term) -> Option<(u32, Target)> {
    let raw = t.raw();
    (raw & 0b11 == 0).then_some(((raw >> 34) as u32, (raw >> 2) as u32))
}

/// The continuation pointer that ends a process (or a nested run): code id
/// 0 names no module.
pub const EXIT_CP: Term = Term::from_raw(0);

/// A catch marker for the handler at `(id, pc)`.
#[inline]
pub fn catch_marker(id: u32, pc: Target) -> Term {
    Term::catch(((id as u64) << 32) | pc as u64)
}

/// The handler position in a catch marker.
#[inline]
pub fn catch_target(t: Term) -> (u32, Target) {
    let i = t.catch_index();
    ((i >> 32) as u32, i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_positions_round_trip_through_stack_words_and_addresses() {
        for (id, pc) in [(1, 0), (7, 12345), ((1 << 20) - 1, u32::MAX >> 2)] {
            let w = cp(id, pc);
            assert_eq!(as_cp(w), Some((id, pc)));
            assert!(!w.is_catch());
            assert_eq!(catch_target(catch_marker(id, pc)), (id, pc));
            assert_eq!(split(address(id, pc)), (id, pc));
        }
        assert_eq!(as_cp(Term::NIL), None);
        assert_eq!(as_cp(Term::small(3)), None);
        assert_eq!(as_cp(EXIT_CP), Some((0, 0)));
    }
}
