//! The global atom table.
//!
//! One append-only table for the whole VM, shared by every scheduler thread.
//! An atom is an index into it; the index never changes and atoms are never
//! freed, as on BEAM. Lookups by name take a read lock; the name of an index is
//! read without any lock, from segments of leaked strings written once.
//!
//! The table holds at most [`MAX_ATOMS`] atoms (BEAM's default `+t` limit);
//! creating one more is a `system_limit` error, never a crash.

use std::fmt;
use std::sync::OnceLock;

use ahash::AHashMap;
use parking_lot::RwLock;

/// BEAM's default limit on the number of atoms (`erlang:system_info(atom_limit)`).
pub const MAX_ATOMS: usize = 1_048_576;

/// Longest atom name in characters (BEAM: 255 characters).
pub const MAX_ATOM_CHARS: usize = 255;

/// An interned atom: an index into the global atom table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom(u32);

/// Why an atom could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AtomError {
    /// The table is full (`system_limit` in Erlang).
    #[error("atom table full ({MAX_ATOMS} atoms)")]
    TableFull,
    /// The name is longer than 255 characters (`system_limit` in Erlang).
    #[error("atom name longer than {MAX_ATOM_CHARS} characters")]
    TooLong,
}

struct AtomTable {
    by_name: AHashMap<&'static str, u32>,
    /// Atoms created so far (the next index).
    count: usize,
    limit: usize,
}

impl AtomTable {
    /// Appends `name` as the next atom (the caller holds the write lock).
    fn push(&mut self, name: &'static str) -> u32 {
        let idx = self.count as u32;
        // Set before the index is handed out, so every holder of the atom
        // finds its name.
        let segment = NAMES[self.count / SEGMENT]
            .get_or_init(|| (0..SEGMENT).map(|_| OnceLock::new()).collect());
        let _ = segment[self.count % SEGMENT].set(name);
        self.by_name.insert(name, idx);
        self.count += 1;
        idx
    }
}

/// Names per segment of [`NAMES`].
const SEGMENT: usize = 1024;

/// The names by index, read without a lock (atom comparison and printing
/// read them all the time): segments allocated on first use and never
/// moved, each slot written once under the table's write lock.
static NAMES: [OnceLock<Box<[OnceLock<&'static str>]>>; MAX_ATOMS / SEGMENT] =
    [const { OnceLock::new() }; MAX_ATOMS / SEGMENT];

fn table() -> &'static RwLock<AtomTable> {
    static TABLE: OnceLock<RwLock<AtomTable>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = AtomTable {
            by_name: AHashMap::with_capacity(8192),
            count: 0,
            limit: MAX_ATOMS,
        };
        for name in PREDEFINED {
            t.push(name);
        }
        RwLock::new(t)
    })
}

macro_rules! predefined_atoms {
    ($($konst:ident = $name:literal),* $(,)?) => {
        const PREDEFINED: &[&str] = &[$($name),*];
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u32)]
        enum PredefIndex { $($konst),* }
        impl Atom {
            $(
                #[doc = concat!("The atom `", $name, "`.")]
                pub const $konst: Atom = Atom(PredefIndex::$konst as u32);
            )*
        }
    };
}

// Atoms the runtime names directly. Their indices are fixed, so they are
// constants and comparisons against them need no table lookup.
predefined_atoms! {
    FALSE = "false",
    TRUE = "true",
    OK = "ok",
    ERROR = "error",
    UNDEFINED = "undefined",
    BADARG = "badarg",
    BADARITH = "badarith",
    BADMATCH = "badmatch",
    FUNCTION_CLAUSE = "function_clause",
    CASE_CLAUSE = "case_clause",
    IF_CLAUSE = "if_clause",
    UNDEF = "undef",
    BADFUN = "badfun",
    BADARITY = "badarity",
    TRY_CLAUSE = "try_clause",
    BADRECORD = "badrecord",
    BADKEY = "badkey",
    BADMAP = "badmap",
    SYSTEM_LIMIT = "system_limit",
    NOPROC = "noproc",
    NORMAL = "normal",
    KILL = "kill",
    KILLED = "killed",
    EXIT = "EXIT",
    THROW = "throw",
    EXIT_CLASS = "exit",
    NONODE = "nonode@nohost",
    ERLANG = "erlang",
    MODULE_INFO = "module_info",
    INFINITY = "infinity",
    FILE = "file",
    LINE = "line",
    ALL = "all",
    NIL_ATOM = "nil",
    EMPTY = "",
}

impl Atom {
    /// Interns `name`, creating the atom if it does not exist yet.
    pub fn intern(name: &str) -> Result<Atom, AtomError> {
        if let Some(a) = Atom::existing(name) {
            return Ok(a);
        }
        if name.chars().count() > MAX_ATOM_CHARS {
            return Err(AtomError::TooLong);
        }
        let mut t = table().write();
        if let Some(&idx) = t.by_name.get(name) {
            return Ok(Atom(idx));
        }
        if t.count >= t.limit {
            return Err(AtomError::TableFull);
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        Ok(Atom(t.push(leaked)))
    }

    /// Interns a name given as Latin-1 bytes (how `ATOM_EXT` and
    /// `list_to_atom` of Latin-1 characters spell it).
    pub fn intern_latin1(bytes: &[u8]) -> Result<Atom, AtomError> {
        let s: String = bytes.iter().map(|&b| b as char).collect();
        Atom::intern(&s)
    }

    /// The atom named `name`, if it exists (`list_to_existing_atom`).
    pub fn existing(name: &str) -> Option<Atom> {
        table().read().by_name.get(name).map(|&i| Atom(i))
    }

    /// The atom's name.
    pub fn name(self) -> &'static str {
        let i = self.0 as usize;
        let lookup = || {
            NAMES
                .get(i / SEGMENT)?
                .get()?
                .get(i % SEGMENT)?
                .get()
                .copied()
        };
        // A predefined atom can be named before anything created the table.
        lookup()
            .or_else(|| {
                table();
                lookup()
            })
            .unwrap_or("")
    }

    /// The atom's index in the table.
    pub const fn index(self) -> u32 {
        self.0
    }

    /// An atom from an index read out of a term word, where only table
    /// indices are ever stored.
    pub(crate) const fn from_index_unchecked(index: u32) -> Atom {
        Atom(index)
    }

    /// The atom with table index `index`, if one exists.
    pub fn from_index(index: u32) -> Option<Atom> {
        ((index as usize) < table().read().count).then_some(Atom(index))
    }

    /// `true` or `false` as an atom.
    pub const fn from_bool(b: bool) -> Atom {
        if b {
            Atom::TRUE
        } else {
            Atom::FALSE
        }
    }
}

/// Number of atoms in the table (`erlang:system_info(atom_count)`).
pub fn atom_count() -> usize {
    table().read().count
}

/// Sets the table's limit, for tests that fill it up. Never below the
/// current count.
pub fn set_atom_limit(limit: usize) {
    let mut t = table().write();
    t.limit = limit.max(t.count);
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::term::print::quote_atom(self.name()))
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_atoms_have_their_names() {
        assert_eq!(Atom::TRUE.name(), "true");
        assert_eq!(Atom::intern("badarg").unwrap(), Atom::BADARG);
        assert_eq!(Atom::EMPTY.name(), "");
    }

    #[test]
    fn intern_is_idempotent() {
        let a = Atom::intern("some_atom_for_intern_test").unwrap();
        let b = Atom::intern("some_atom_for_intern_test").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.name(), "some_atom_for_intern_test");
        assert_eq!(Atom::existing("some_atom_for_intern_test"), Some(a));
        assert_eq!(Atom::existing("surely_never_interned_zzz"), None);
    }

    #[test]
    fn long_names_are_rejected() {
        let long = "x".repeat(256);
        assert_eq!(Atom::intern(&long), Err(AtomError::TooLong));
        let ok = "ä".repeat(255);
        assert!(Atom::intern(&ok).is_ok());
    }
}
