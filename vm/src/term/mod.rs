//! Erlang terms: one tagged 64-bit word (DESIGN §2).
//!
//! The tagging is BEAM's, so that JIT guards are one or two instructions:
//!
//! ```text
//! primary tag, bits 0-1:  00 header (inside heap objects only)
//!                         01 list   (pointer to a cons cell)
//!                         10 boxed  (pointer to a header word)
//!                         11 immediate
//! immediate, bits 0-3:    0011 local pid, 0111 local port, 1111 small integer,
//!                         1011 second-level immediate:
//! bits 0-5:               001011 atom, 011011 catch marker, 111011 nil
//! ```
//!
//! A header word is `arity << 6 | subtag << 2`, where the arity is the number of
//! words that follow the header and the subtag names the object kind
//! ([`Subtag`]). Pointers are to 8-byte aligned words, so the tag bits are free.
//!
//! # The invariant behind the accessors
//!
//! A list or boxed term is a raw pointer into some heap (a process heap, a heap
//! fragment or a module's literal area). The accessors in this module read
//! through it. They are sound as long as the term is used only while the memory
//! it points into is alive and has not been moved by a collection — the same
//! contract every Erlang VM keeps: terms are rooted by the code that holds them,
//! and after a GC only the rewritten roots are used. Everything in `vm` that
//! creates terms allocates them through [`heap::Heap`], and every `unsafe`
//! block that dereferences a term lives in this module tree.

pub mod beam_size;
pub mod bignum;
pub mod binary;
pub mod bits;
pub mod boxed;
pub mod chunk;
pub mod construct;
pub mod copy;
mod equal;
pub mod fun;
pub mod gc;
pub mod heap;
pub mod ids;
pub mod jenkins;
pub mod list;
pub mod literal;
pub mod magic;
pub mod map;
pub mod match_state;
pub mod order;
pub mod phash;
pub mod pieces;
pub mod print;

use crate::atom::Atom;

pub use boxed::Subtag;
pub use heap::Heap;

/// Primary tag: header word.
pub const TAG_HEADER: u64 = 0b00;
/// Primary tag: pointer to a cons cell.
pub const TAG_LIST: u64 = 0b01;
/// Primary tag: pointer to a boxed object's header.
pub const TAG_BOXED: u64 = 0b10;
/// Primary tag: immediate.
pub const TAG_IMMED1: u64 = 0b11;
/// Immediate tag (4 bits): local pid.
pub const TAG_PID: u64 = 0b0011;
/// Immediate tag (4 bits): local port.
pub const TAG_PORT: u64 = 0b0111;
/// Immediate tag (4 bits): second-level immediate follows.
pub const TAG_IMMED2: u64 = 0b1011;
/// Immediate tag (4 bits): small integer.
pub const TAG_SMALL: u64 = 0b1111;
/// Second-level immediate tag (6 bits): atom.
pub const TAG_ATOM: u64 = 0b00_1011;
/// Second-level immediate tag (6 bits): catch marker on the stack.
pub const TAG_CATCH: u64 = 0b01_1011;
/// Second-level immediate tag (6 bits): the empty list.
pub const TAG_NIL: u64 = 0b11_1011;

/// Smallest small integer: -2^59.
pub const MIN_SMALL: i64 = -(1 << 59);
/// Largest small integer: 2^59 - 1.
pub const MAX_SMALL: i64 = (1 << 59) - 1;

/// One Erlang term.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Term(u64);

/// What a term is, decoded once so callers can `match` on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A small integer.
    Small,
    /// A bignum.
    Big,
    /// A float.
    Float,
    /// An atom.
    Atom,
    /// A local or external reference.
    Ref,
    /// A closure or an external fun (`fun M:F/A`).
    Fun,
    /// A local or external port.
    Port,
    /// A local or external pid.
    Pid,
    /// A tuple.
    Tuple,
    /// A map, flat or hashed.
    Map,
    /// The empty list.
    Nil,
    /// A cons cell.
    List,
    /// A binary or bitstring of any representation.
    Binary,
    /// Not a term a program can see: a header word, a catch marker, a
    /// continuation pointer or a match state.
    Internal,
}

impl Term {
    /// The empty list `[]`.
    pub const NIL: Term = Term(TAG_NIL);
    /// The atom `true`.
    pub const TRUE: Term = Term::atom(Atom::TRUE);
    /// The atom `false`.
    pub const FALSE: Term = Term::atom(Atom::FALSE);

    /// The raw word.
    #[inline]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// A term from its raw word. The word must be a valid term (or a header
    /// word, where the caller handles heap object internals).
    #[inline]
    pub const fn from_raw(raw: u64) -> Term {
        Term(raw)
    }

    /// A small integer; `v` must be within [`MIN_SMALL`]..=[`MAX_SMALL`].
    #[inline]
    pub const fn small(v: i64) -> Term {
        debug_assert!(v >= MIN_SMALL && v <= MAX_SMALL);
        Term(((v as u64) << 4) | TAG_SMALL)
    }

    /// Whether `v` fits in a small integer.
    #[inline]
    pub const fn fits_small(v: i64) -> bool {
        v >= MIN_SMALL && v <= MAX_SMALL
    }

    /// An atom.
    #[inline]
    pub const fn atom(a: Atom) -> Term {
        Term(((a.index() as u64) << 6) | TAG_ATOM)
    }

    /// `true` or `false`.
    #[inline]
    pub const fn bool(b: bool) -> Term {
        if b {
            Term::TRUE
        } else {
            Term::FALSE
        }
    }

    /// A catch marker holding a code index (stack frames only).
    #[inline]
    pub const fn catch(index: u64) -> Term {
        Term((index << 6) | TAG_CATCH)
    }

    /// A local pid `<0.number.serial>`.
    #[inline]
    pub const fn pid(number: u32, serial: u32) -> Term {
        Term(((serial as u64 & 0x0FFF_FFFF) << 36) | ((number as u64) << 4) | TAG_PID)
    }

    /// A local port `#Port<0.number>`.
    #[inline]
    pub const fn port(number: u64) -> Term {
        Term((number << 4) | TAG_PORT)
    }

    /// A list term pointing at a cons cell `[head, tail]`.
    #[inline]
    pub fn list_ptr(cell: *const u64) -> Term {
        debug_assert!(cell as usize & 7 == 0);
        Term(cell as u64 | TAG_LIST)
    }

    /// A boxed term pointing at a header word.
    #[inline]
    pub fn boxed_ptr(header: *const u64) -> Term {
        debug_assert!(header as usize & 7 == 0);
        Term(header as u64 | TAG_BOXED)
    }

    /// Primary tag (2 bits).
    #[inline]
    pub const fn primary_tag(self) -> u64 {
        self.0 & 0b11
    }

    /// Is this a small integer?
    #[inline]
    pub const fn is_small(self) -> bool {
        self.0 & 0xF == TAG_SMALL
    }

    /// Is this an atom?
    #[inline]
    pub const fn is_atom(self) -> bool {
        self.0 & 0x3F == TAG_ATOM
    }

    /// Is this `[]`?
    #[inline]
    pub const fn is_nil(self) -> bool {
        self.0 == TAG_NIL
    }

    /// Is this a cons cell?
    #[inline]
    pub const fn is_list(self) -> bool {
        self.0 & 0b11 == TAG_LIST
    }

    /// Is this a pointer to a boxed object?
    #[inline]
    pub const fn is_boxed(self) -> bool {
        self.0 & 0b11 == TAG_BOXED
    }

    /// Is this a catch marker?
    #[inline]
    pub const fn is_catch(self) -> bool {
        self.0 & 0x3F == TAG_CATCH
    }

    /// The small integer's value (only meaningful if [`Term::is_small`]).
    #[inline]
    pub const fn small_value(self) -> i64 {
        (self.0 as i64) >> 4
    }

    /// The small integer's value, if this is one.
    #[inline]
    pub const fn as_small(self) -> Option<i64> {
        if self.is_small() {
            Some(self.small_value())
        } else {
            None
        }
    }

    /// The atom, if this is one.
    #[inline]
    pub const fn as_atom(self) -> Option<Atom> {
        if self.is_atom() {
            Some(Atom::from_index_unchecked((self.0 >> 6) as u32))
        } else {
            None
        }
    }

    /// The catch marker's code index (only meaningful if [`Term::is_catch`]).
    #[inline]
    pub const fn catch_index(self) -> u64 {
        self.0 >> 6
    }

    /// A local pid's number and serial, if this is a local pid.
    #[inline]
    pub const fn as_local_pid(self) -> Option<(u32, u32)> {
        if self.0 & 0xF == TAG_PID {
            Some((((self.0 >> 4) & 0xFFFF_FFFF) as u32, (self.0 >> 36) as u32))
        } else {
            None
        }
    }

    /// A local port's number, if this is a local port.
    #[inline]
    pub const fn as_local_port(self) -> Option<u64> {
        if self.0 & 0xF == TAG_PORT {
            Some(self.0 >> 4)
        } else {
            None
        }
    }

    /// The address a list or boxed term points to (tag bits cleared).
    #[inline]
    pub const fn ptr(self) -> *const u64 {
        (self.0 & !0b11) as *const u64
    }

    /// The boxed object's header word, if this is a boxed term.
    #[inline]
    pub fn header(self) -> Option<boxed::Header> {
        if self.is_boxed() {
            // SAFETY: a boxed term points at a live header word (module invariant).
            Some(boxed::Header(unsafe { *self.ptr() }))
        } else {
            None
        }
    }

    /// Classifies the term.
    pub fn kind(self) -> Kind {
        match self.0 & 0b11 {
            TAG_LIST => Kind::List,
            TAG_BOXED => match self.header().map(|h| h.subtag()) {
                Some(s) => s.kind(),
                None => Kind::Internal,
            },
            TAG_IMMED1 => match self.0 & 0xF {
                TAG_PID => Kind::Pid,
                TAG_PORT => Kind::Port,
                TAG_SMALL => Kind::Small,
                _ => match self.0 & 0x3F {
                    TAG_ATOM => Kind::Atom,
                    TAG_NIL => Kind::Nil,
                    _ => Kind::Internal,
                },
            },
            _ => Kind::Internal,
        }
    }

    /// Is this an integer (small or big)?
    pub fn is_integer(self) -> bool {
        matches!(self.kind(), Kind::Small | Kind::Big)
    }

    /// Is this a number?
    pub fn is_number(self) -> bool {
        matches!(self.kind(), Kind::Small | Kind::Big | Kind::Float)
    }

    /// Is this a tuple?
    pub fn is_tuple(self) -> bool {
        matches!(self.header(), Some(h) if h.subtag() == Subtag::Tuple)
    }

    /// Is this a float?
    pub fn is_float(self) -> bool {
        matches!(self.header(), Some(h) if h.subtag() == Subtag::Float)
    }
}

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", print::Printed(*self))
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", print::Printed(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_is_one_word() {
        assert_eq!(std::mem::size_of::<Term>(), 8);
    }

    #[test]
    fn small_integers_round_trip_at_the_edges() {
        for v in [0, 1, -1, 42, MIN_SMALL, MAX_SMALL, 1 << 40, -(1 << 40)] {
            let t = Term::small(v);
            assert!(t.is_small());
            assert_eq!(t.small_value(), v);
            assert_eq!(t.kind(), Kind::Small);
        }
        assert!(!Term::fits_small(MAX_SMALL + 1));
        assert!(!Term::fits_small(MIN_SMALL - 1));
    }

    #[test]
    fn immediates_classify() {
        assert_eq!(Term::NIL.kind(), Kind::Nil);
        assert_eq!(Term::TRUE.kind(), Kind::Atom);
        assert_eq!(Term::TRUE.as_atom(), Some(Atom::TRUE));
        assert_eq!(Term::pid(5, 3).as_local_pid(), Some((5, 3)));
        assert_eq!(Term::pid(5, 3).kind(), Kind::Pid);
        assert_eq!(Term::port(9).as_local_port(), Some(9));
        assert_eq!(Term::catch(17).kind(), Kind::Internal);
        assert_eq!(Term::catch(17).catch_index(), 17);
    }
}
