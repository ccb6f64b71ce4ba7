//! Funs: closures over a module's lambda, and external funs `fun M:F/A`.
//!
//! ```text
//! closure     [hdr(2 + n), &'static FunEntry, creator pid, free var 1 .. n]
//! export fun  [hdr(1), &'static Export]
//! ```
//!
//! [`Export`] and [`FunEntry`] are interned in global tables and live for the
//! VM's life, like BEAM's export and fun tables: terms point at them and code
//! loading updates the code they lead to, never their identity.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use ahash::AHashMap;
use parking_lot::{Mutex, MutexGuard};

use super::boxed::Subtag;
use super::{Heap, Term};
use crate::atom::Atom;

/// An entry of the export table: one `Module:Function/Arity`.
#[derive(Debug)]
pub struct Export {
    /// The module.
    pub module: Atom,
    /// The function name.
    pub function: Atom,
    /// The arity.
    pub arity: u32,
    /// Where calls through this entry go; 0 while the function is not loaded.
    /// Its meaning belongs to the code loader that fills it in.
    pub address: AtomicUsize,
    /// The BIF implementing this function, if it is a BIF (see `crate::bif`).
    pub(crate) bif: crate::bif::BifSlot,
    /// When the entry was created, counting from 0: BEAM lists a module's
    /// exports newest entry first (`module_info(exports)`), and an entry is
    /// made when a BIF is registered, a loaded module imports the function
    /// or the function's own module is loaded, whichever comes first.
    pub created: u32,
    /// Whether only decoding an external term (`binary_to_term/1`) has
    /// asked for this entry so far: a `safe` decode does not take such an
    /// entry as a known function (BEAM's active export entries).
    decoded_only: AtomicBool,
}

/// A lambda of some module version, as named in its `FunT` chunk or in an
/// external term (`NEW_FUN_EXT`).
#[derive(Debug)]
pub struct FunEntry {
    /// The module that defines the lambda.
    pub module: Atom,
    /// Index in the module's lambda table.
    pub index: u32,
    /// MD5 of the module's code (`NEW_FUN_EXT`'s `Uniq`).
    pub uniq: [u8; 16],
    /// The old index (`OldIndex`).
    pub old_index: u32,
    /// The old unique value (`OldUniq`).
    pub old_uniq: u32,
    /// Number of arguments the fun takes.
    pub arity: u32,
    /// Number of free variables it captures.
    pub num_free: u32,
    /// Where the lambda's code is; 0 while not loaded.
    pub address: AtomicUsize,
}

type MfaKey = (Atom, Atom, u32);
type FunKey = (Atom, [u8; 16], u32, u32);

fn exports() -> MutexGuard<'static, AHashMap<MfaKey, &'static Export>> {
    static T: OnceLock<Mutex<AHashMap<MfaKey, &'static Export>>> = OnceLock::new();
    T.get_or_init(Default::default).lock()
}

fn funs() -> &'static Mutex<AHashMap<FunKey, &'static FunEntry>> {
    static T: OnceLock<Mutex<AHashMap<FunKey, &'static FunEntry>>> = OnceLock::new();
    T.get_or_init(Default::default)
}

impl Export {
    /// The export entry for `module:function/arity`, created on first use.
    pub fn get_or_create(module: Atom, function: Atom, arity: u32) -> &'static Export {
        let e = Export::entry(module, function, arity, false);
        e.decoded_only.store(false, Ordering::Relaxed);
        e
    }

    /// The entry for an export fun decoded from an external term: created
    /// if need be, but not known to a later `safe` decode until code or a
    /// BIF refers to it ([`Export::is_known`]).
    pub fn get_or_create_decoded(module: Atom, function: Atom, arity: u32) -> &'static Export {
        Export::entry(module, function, arity, true)
    }

    fn entry(module: Atom, function: Atom, arity: u32, decoded: bool) -> &'static Export {
        let mut table = exports();
        let created = table.len() as u32;
        table.entry((module, function, arity)).or_insert_with(|| {
            Box::leak(Box::new(Export {
                module,
                function,
                arity,
                address: AtomicUsize::new(0),
                bif: crate::bif::BifSlot::new(),
                created,
                decoded_only: AtomicBool::new(decoded),
            }))
        })
    }

    /// Whether code, the loader or a BIF has referred to this entry (not
    /// only a decoded external term), or its function is loaded.
    pub fn is_known(&self) -> bool {
        self.address() != 0 || !self.decoded_only.load(Ordering::Relaxed)
    }

    /// The export entry, if one was ever created.
    pub fn lookup(module: Atom, function: Atom, arity: u32) -> Option<&'static Export> {
        exports().get(&(module, function, arity)).copied()
    }

    /// The code address, 0 if not loaded.
    pub fn address(&self) -> usize {
        self.address.load(Ordering::Acquire)
    }
}

impl FunEntry {
    /// The entry for a lambda, created on first use.
    pub fn intern(
        module: Atom,
        uniq: [u8; 16],
        index: u32,
        old_index: u32,
        old_uniq: u32,
        arity: u32,
        num_free: u32,
    ) -> &'static FunEntry {
        funs()
            .lock()
            .entry((module, uniq, index, arity))
            .or_insert_with(|| {
                Box::leak(Box::new(FunEntry {
                    module,
                    index,
                    uniq,
                    old_index,
                    old_uniq,
                    arity,
                    num_free,
                    address: AtomicUsize::new(0),
                }))
            })
    }
}

/// A view of a closure.
#[derive(Clone, Copy)]
pub struct Closure(Term);

impl Closure {
    /// The lambda it runs.
    pub fn entry(self) -> &'static FunEntry {
        // SAFETY: closures store a pointer obtained from a leaked FunEntry.
        unsafe { &*(self.0.boxed_word(0) as *const FunEntry) }
    }

    /// The pid of the process that created it.
    pub fn creator(self) -> Term {
        Term::from_raw(self.0.boxed_word(1))
    }

    /// The captured values.
    pub fn free_vars<'a>(self) -> &'a [Term] {
        let words = self.0.boxed_words();
        // SAFETY: Term is a transparent u64; the words after the pid are terms.
        unsafe { std::slice::from_raw_parts(words.as_ptr().add(2) as *const Term, words.len() - 2) }
    }
}

impl Heap {
    /// A closure over `entry` capturing `free`.
    pub fn closure(&mut self, entry: &'static FunEntry, creator: Term, free: &[Term]) -> Term {
        let mut payload = Vec::with_capacity(2 + free.len());
        payload.push(entry as *const FunEntry as u64);
        payload.push(creator.raw());
        payload.extend(free.iter().map(|t| t.raw()));
        self.boxed(Subtag::Fun, &payload)
    }

    /// An external fun `fun M:F/A`.
    pub fn export_fun(&mut self, export: &'static Export) -> Term {
        self.boxed(Subtag::Export, &[export as *const Export as u64])
    }
}

impl Term {
    /// The closure, if this is one.
    pub fn as_closure(self) -> Option<Closure> {
        matches!(self.header(), Some(h) if h.subtag() == Subtag::Fun).then_some(Closure(self))
    }

    /// The export entry, if this is an external fun.
    pub fn as_export(self) -> Option<&'static Export> {
        match self.header() {
            // SAFETY: export funs store a pointer obtained from a leaked Export.
            Some(h) if h.subtag() == Subtag::Export => {
                Some(unsafe { &*(self.boxed_word(0) as *const Export) })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_interned() {
        let m = Atom::intern("fun_test_mod").unwrap();
        let f = Atom::intern("go").unwrap();
        let a = Export::get_or_create(m, f, 2);
        let b = Export::get_or_create(m, f, 2);
        assert!(std::ptr::eq(a, b));
        assert!(Export::lookup(m, f, 3).is_none());
        let mut h = Heap::new();
        let t = h.export_fun(a);
        assert!(std::ptr::eq(t.as_export().unwrap(), a));
    }

    #[test]
    fn closures_keep_their_environment() {
        let m = Atom::intern("fun_test_mod").unwrap();
        let e = FunEntry::intern(m, [7; 16], 0, 0, 12345, 1, 2);
        let mut h = Heap::new();
        let pid = Term::pid(3, 0);
        let c = h.closure(e, pid, &[Term::small(1), Term::NIL]);
        let c = c.as_closure().unwrap();
        assert!(std::ptr::eq(c.entry(), e));
        assert_eq!(c.creator(), pid);
        assert_eq!(c.free_vars(), &[Term::small(1), Term::NIL]);
    }
}
