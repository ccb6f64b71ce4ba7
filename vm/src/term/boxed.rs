//! Header words of boxed heap objects, and the small boxed kinds (tuples,
//! floats) whose layout is a header plus plain words.
//!
//! ```text
//! header = arity << 6 | subtag << 2 | 0b00     (arity = words after the header)
//!
//! tuple       [hdr(n), e1 .. en]
//! float       [hdr(1), f64 bits]
//! bignum      [hdr(n), limb0 .. limb(n-1)]          little-endian u64 limbs
//! local ref   [hdr, count, packed u32 ids]           see `ids`
//! fun         [hdr, &FunEntry, creator pid, free vars..]   see `fun`
//! export      [hdr(1), &Export]                            see `fun`
//! refc binary [hdr(2), byte size, Arc<BinaryBuf>]          see `binary`
//! heap binary [hdr, byte size, bytes..]
//! sub binary  [hdr(3), bit size, bit offset, original binary]
//! map         see `map`
//! external pid/port/ref   see `ids`
//! ```

use super::{Kind, Term};

/// A boxed object's kind, bits 2-5 of its header word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Subtag {
    /// Tuple; arity = number of elements.
    Tuple = 0,
    /// Binary match state (bit syntax); not a term programs see.
    MatchState = 1,
    /// Positive bignum.
    PosBig = 2,
    /// Negative bignum.
    NegBig = 3,
    /// Local reference.
    Ref = 4,
    /// Closure.
    Fun = 5,
    /// Float.
    Float = 6,
    /// External fun `fun M:F/A`.
    Export = 7,
    /// Reference-counted off-heap binary.
    RefcBin = 8,
    /// Binary stored in the heap (at most 64 bytes).
    HeapBin = 9,
    /// Sub-binary: a bit range of another binary.
    SubBin = 10,
    /// Map (flat or hash-array-mapped trie root).
    Map = 11,
    /// Pid on another node.
    ExtPid = 12,
    /// Port on another node.
    ExtPort = 13,
    /// Reference from another node.
    ExtRef = 14,
    /// Inner node of a hash-array-mapped trie; never a term itself.
    MapNode = 15,
}

const SUBTAGS: [Subtag; 16] = [
    Subtag::Tuple,
    Subtag::MatchState,
    Subtag::PosBig,
    Subtag::NegBig,
    Subtag::Ref,
    Subtag::Fun,
    Subtag::Float,
    Subtag::Export,
    Subtag::RefcBin,
    Subtag::HeapBin,
    Subtag::SubBin,
    Subtag::Map,
    Subtag::ExtPid,
    Subtag::ExtPort,
    Subtag::ExtRef,
    Subtag::MapNode,
];

impl Subtag {
    /// The term kind a boxed object of this subtag is.
    pub const fn kind(self) -> Kind {
        match self {
            Subtag::Tuple => Kind::Tuple,
            Subtag::PosBig | Subtag::NegBig => Kind::Big,
            Subtag::Ref | Subtag::ExtRef => Kind::Ref,
            Subtag::Fun | Subtag::Export => Kind::Fun,
            Subtag::Float => Kind::Float,
            Subtag::RefcBin | Subtag::HeapBin | Subtag::SubBin => Kind::Binary,
            Subtag::Map => Kind::Map,
            Subtag::ExtPid => Kind::Pid,
            Subtag::ExtPort => Kind::Port,
            Subtag::MatchState | Subtag::MapNode => Kind::Internal,
        }
    }
}

/// A header word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Header(pub u64);

impl Header {
    /// A header for an object of `arity` words after the header.
    #[inline]
    pub const fn new(subtag: Subtag, arity: usize) -> Header {
        Header(((arity as u64) << 6) | ((subtag as u64) << 2))
    }

    /// The object kind.
    #[inline]
    pub const fn subtag(self) -> Subtag {
        SUBTAGS[((self.0 >> 2) & 0xF) as usize]
    }

    /// Number of words after the header.
    #[inline]
    pub const fn arity(self) -> usize {
        (self.0 >> 6) as usize
    }
}

/// A view of a tuple on some heap.
#[derive(Clone, Copy)]
pub struct Tuple(*const u64);

impl Tuple {
    /// Number of elements.
    #[inline]
    pub fn len(self) -> usize {
        // SAFETY: `Tuple` is only made from a boxed term whose header is a tuple's.
        Header(unsafe { *self.0 }).arity()
    }

    /// Whether this is `{}`.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Element `i` (0-based); `None` when out of range.
    #[inline]
    pub fn get(self, i: usize) -> Option<Term> {
        (i < self.len()).then(|| self.elements()[i])
    }

    /// The elements.
    #[inline]
    pub fn elements<'a>(self) -> &'a [Term] {
        // SAFETY: the header is followed by `arity` element words, alive while
        // the term is (module invariant); Term is a transparent u64.
        unsafe { std::slice::from_raw_parts(self.0.add(1) as *const Term, self.len()) }
    }

    /// Address of the header word, for in-place initialisation by the owner.
    pub fn as_ptr(self) -> *const u64 {
        self.0
    }
}

impl Term {
    /// The tuple, if this is one.
    #[inline]
    pub fn as_tuple(self) -> Option<Tuple> {
        match self.header() {
            Some(h) if h.subtag() == Subtag::Tuple => Some(Tuple(self.ptr())),
            _ => None,
        }
    }

    /// The float's value, if this is a float.
    #[inline]
    pub fn as_float(self) -> Option<f64> {
        if !self.is_boxed() {
            return None;
        }
        // The pointer as the boxed tag's offset (folds into the loads'
        // addressing, where `ptr`'s mask is an instruction of its own).
        let p = self.0.wrapping_sub(super::TAG_BOXED) as *const u64;
        // Every float's header is this one word (`Heap::float`, and the
        // JIT's guards compare it so too): one compare, no subtag mask.
        // SAFETY: a boxed term points at a live header word (module
        // invariant), and a float's header is followed by its data word.
        unsafe { (*p == Header::new(Subtag::Float, 1).0).then(|| f64::from_bits(*p.add(1))) }
    }

    /// Word `i` after a boxed object's header (`i` < arity), for the object
    /// modules of this crate.
    #[inline]
    pub(crate) fn boxed_word(self, i: usize) -> u64 {
        debug_assert!(self.header().is_some_and(|h| i < h.arity()));
        // SAFETY: `i` is within the object's arity (checked above in debug).
        unsafe { *self.ptr().add(1 + i) }
    }

    /// The words after a boxed object's header.
    #[inline]
    pub(crate) fn boxed_words<'a>(self) -> &'a [u64] {
        let arity = self.header().map_or(0, |h| h.arity());
        // SAFETY: the header is followed by `arity` words (module invariant).
        unsafe { std::slice::from_raw_parts(self.ptr().add(1), arity) }
    }
}
